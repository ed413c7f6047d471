// NSKeyedArchiver decoder and encoder on top of libplist
// (include/remit/apple.hpp).
//
// References (facts only):
//  - Apple Foundation NSKeyedArchiver: top-level keys $archiver
//    ("NSKeyedArchiver"), $version (100000), $top (root UID), $objects
//    (index 0 is the "$null" placeholder); an archived object is a
//    dictionary whose "$class" UID points at {$classname, $classes}.
//  - swift-corelibs-foundation NSKeyedArchiver / NSKeyedUnarchiver: the
//    keys of Foundation classes (NS.string, NS.bytes, NS.data, NS.time,
//    NS.objects, NS.keys, NS.uuidbytes, NS.base, NS.relative).
//  - iTunes/Finder backups, Manifest.db Files.file: class MBFile with
//    LastModified, Birth, LastStatusChange, Size, Mode, InodeNumber, UserID,
//    GroupID, Flags, ProtectionClass (integers inline), RelativePath and
//    Target (UID -> string), EncryptionKey (UID -> NSMutableData).
// Format notes: docs/formats/ios-nskeyedarchiver.md.
#include <fmt/format.h>
#include <plist/plist.h>

#include <cmath>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <map>
#include <memory>
#include <set>

#include "remit/apple.hpp"
#include "remit/item.hpp"

namespace remit::apple {

const ArchivedValue* ArchivedValue::get(std::string_view key) const noexcept {
  for (const auto& [k, v] : fields)
    if (k == key) return &v;
  return nullptr;
}

std::optional<int64_t> ArchivedValue::as_int() const noexcept {
  switch (kind) {
    case Kind::integer:
      return integer;
    case Kind::boolean:
      return boolean ? 1 : 0;
    case Kind::real:
    case Kind::date:
      if (!std::isfinite(real) || std::fabs(real) > 9.0e18) return std::nullopt;
      return static_cast<int64_t>(real);
    default:
      return std::nullopt;
  }
}

std::optional<double> ArchivedValue::as_real() const noexcept {
  switch (kind) {
    case Kind::integer:
      return static_cast<double>(integer);
    case Kind::boolean:
      return boolean ? 1.0 : 0.0;
    case Kind::real:
    case Kind::date:
      return real;
    default:
      return std::nullopt;
  }
}

namespace {

struct PlistFree {
  void operator()(plist_t p) const noexcept {
    if (p) plist_free(p);
  }
};
using PlistPtr = std::unique_ptr<void, PlistFree>;

struct KaError {
  Errc code;
  std::string message;
};

[[noreturn]] void fail(std::string msg, Errc code = Errc::malformed) {
  throw KaError{code, "NSKeyedArchiver: " + std::move(msg)};
}

std::string node_string(plist_t n) {
  uint64_t len = 0;
  const char* p = plist_get_string_ptr(n, &len);
  return p ? std::string(p, len) : std::string();
}

std::string node_data(plist_t n) {
  uint64_t len = 0;
  const char* p = plist_get_data_ptr(n, &len);
  return p ? std::string(p, len) : std::string();
}

// A UID reference: a binary plist UID, or (XML plists, which have no UID
// type) a dictionary whose only key is "CF$UID" with an integer value.
bool uid_of(plist_t n, uint64_t* out) {
  if (!n) return false;
  if (plist_get_node_type(n) == PLIST_UID) {
    plist_get_uid_val(n, out);
    return true;
  }
  if (plist_get_node_type(n) == PLIST_DICT && plist_dict_get_size(n) == 1) {
    plist_t v = plist_dict_get_item(n, "CF$UID");
    if (v && plist_get_node_type(v) == PLIST_UINT) {
      plist_get_uint_val(v, out);
      return true;
    }
  }
  return false;
}

class Unarchiver {
 public:
  Unarchiver(plist_t objects, const KeyedArchiveLimits& lim) : objects_(objects), lim_(lim) {
    count_ = plist_array_get_size(objects_);
  }

  // Upper bound of the nodes that expanding `uid` produces, memoised per UID
  // so shared references cost nothing to measure (a back-reference on the
  // current path counts 1: it becomes null). Saturates at max_nodes + 1.
  uint64_t expanded_nodes(uint64_t uid) {
    if (uid >= count_) return 1;
    if (auto it = memo_.find(uid); it != memo_.end()) return it->second;
    if (!measuring_.insert(uid).second) return 1;
    const uint64_t c = node_cost(plist_array_get_item(objects_, static_cast<uint32_t>(uid)), 0);
    measuring_.erase(uid);
    memo_[uid] = c;
    return c;
  }

  ArchivedValue resolve_uid(uint64_t uid, size_t depth) {
    if (uid >= count_) fail(fmt::format("UID {} beyond the {} archived objects", uid, count_));
    if (active_.count(uid)) {
      // A cycle (legitimate in object graphs): represent the back-reference as null.
      ArchivedValue v;
      note_node();
      return v;
    }
    active_.insert(uid);
    ArchivedValue v = convert(plist_array_get_item(objects_, static_cast<uint32_t>(uid)), depth, uid == 0);
    active_.erase(uid);
    return v;
  }

 private:
  void note_node() {
    if (++nodes_ > lim_.max_nodes) fail("too many nodes in the expanded archive", Errc::too_large);
  }

  // A field value: a UID is resolved, anything else converted in place.
  ArchivedValue field(plist_t n, size_t depth) {
    if (uint64_t uid = 0; uid_of(n, &uid)) return resolve_uid(uid, depth + 1);
    return convert(n, depth + 1, false);
  }

  static bool has_class(const std::vector<std::string>& classes, std::initializer_list<std::string_view> names) {
    for (const auto& c : classes)
      for (auto n : names)
        if (c == n) return true;
    return false;
  }

  ArchivedValue convert(plist_t n, size_t depth, bool is_null_slot) {
    if (depth > lim_.max_depth) fail("nesting too deep", Errc::too_large);
    note_node();
    ArchivedValue v;
    if (!n) return v;
    if (uint64_t uid = 0; plist_get_node_type(n) == PLIST_DICT && uid_of(n, &uid)) return resolve_uid(uid, depth + 1);
    switch (plist_get_node_type(n)) {
      case PLIST_BOOLEAN: {
        uint8_t b = 0;
        plist_get_bool_val(n, &b);
        v.kind = ArchivedValue::Kind::boolean;
        v.boolean = b != 0;
        return v;
      }
      case PLIST_UINT: {
        uint64_t u = 0;
        plist_get_uint_val(n, &u);
        v.kind = ArchivedValue::Kind::integer;
        v.integer = static_cast<int64_t>(u);  // libplist 2.2 keeps negatives as two's complement
        return v;
      }
      case PLIST_REAL: {
        v.kind = ArchivedValue::Kind::real;
        plist_get_real_val(n, &v.real);
        return v;
      }
      case PLIST_STRING:
      case PLIST_KEY: {
        std::string s = node_string(n);
        if (is_null_slot && s == "$null") return v;
        v.kind = ArchivedValue::Kind::string;
        v.bytes = std::move(s);
        return v;
      }
      case PLIST_DATA:
        v.kind = ArchivedValue::Kind::data;
        v.bytes = node_data(n);
        return v;
      case PLIST_DATE: {
        int32_t sec = 0, usec = 0;
        plist_get_date_val(n, &sec, &usec);
        v.kind = ArchivedValue::Kind::date;
        v.real = static_cast<double>(sec) + static_cast<double>(usec) / 1e6;
        return v;
      }
      case PLIST_UID: {
        uint64_t uid = 0;
        plist_get_uid_val(n, &uid);
        return resolve_uid(uid, depth + 1);
      }
      case PLIST_ARRAY: {
        v.kind = ArchivedValue::Kind::array;
        const uint32_t sz = plist_array_get_size(n);
        for (uint32_t i = 0; i < sz; ++i) v.items.push_back(field(plist_array_get_item(n, i), depth));
        return v;
      }
      case PLIST_DICT:
        break;
      default:
        return v;
    }
    // A dictionary: an archived object when it has $class, else a plain dict.
    plist_t cls = plist_dict_get_item(n, "$class");
    if (!cls) {
      v.kind = ArchivedValue::Kind::dict;
      each_entry(n, [&](const std::string& k, plist_t val) { v.fields.emplace_back(k, field(val, depth)); });
      return v;
    }
    uint64_t cuid = 0;
    if (!uid_of(cls, &cuid)) fail("$class is not a UID");
    if (cuid >= count_) fail(fmt::format("$class UID {} beyond the archived objects", cuid));
    plist_t cdict = plist_array_get_item(objects_, static_cast<uint32_t>(cuid));
    if (!cdict || plist_get_node_type(cdict) != PLIST_DICT)
      fail(fmt::format("class entry {} is not a dictionary", cuid));
    std::string cname;
    if (plist_t cn = plist_dict_get_item(cdict, "$classname"); cn && plist_get_node_type(cn) == PLIST_STRING)
      cname = node_string(cn);
    std::vector<std::string> classes;
    if (plist_t cs = plist_dict_get_item(cdict, "$classes"); cs && plist_get_node_type(cs) == PLIST_ARRAY) {
      const uint32_t sz = plist_array_get_size(cs);
      for (uint32_t i = 0; i < sz && i < 64; ++i) {
        plist_t c = plist_array_get_item(cs, i);
        if (c && plist_get_node_type(c) == PLIST_STRING) classes.push_back(node_string(c));
      }
    }
    if (classes.empty() && !cname.empty()) classes.push_back(cname);

    auto get = [&](const char* key) -> plist_t { return plist_dict_get_item(n, key); };
    if (has_class(classes, {"NSString", "NSMutableString"})) {
      if (plist_t s = get("NS.string")) {
        ArchivedValue sv = field(s, depth);
        if (sv.kind == ArchivedValue::Kind::string) return sv;
      }
      if (plist_t b = get("NS.bytes"); b && plist_get_node_type(b) == PLIST_DATA) {
        v.kind = ArchivedValue::Kind::string;
        v.bytes = node_data(b);
        return v;
      }
    }
    if (has_class(classes, {"NSData", "NSMutableData"})) {
      if (plist_t d = get("NS.data")) {
        ArchivedValue dv = field(d, depth);
        if (dv.kind == ArchivedValue::Kind::data) return dv;
        if (dv.kind == ArchivedValue::Kind::null) {
          v.kind = ArchivedValue::Kind::data;
          return v;
        }
      }
    }
    if (has_class(classes, {"NSDate"})) {
      if (plist_t t = get("NS.time")) {
        ArchivedValue tv = field(t, depth);
        if (auto r = tv.as_real()) {
          v.kind = ArchivedValue::Kind::date;
          v.real = *r;
          return v;
        }
      }
    }
    if (has_class(classes, {"NSNull"})) return v;
    if (has_class(classes, {"NSUUID"})) {
      if (plist_t b = get("NS.uuidbytes"); b && plist_get_node_type(b) == PLIST_DATA) {
        v.kind = ArchivedValue::Kind::data;
        v.bytes = node_data(b);
        return v;
      }
    }
    if (has_class(classes, {"NSURL"})) {
      ArchivedValue base = get("NS.base") ? field(get("NS.base"), depth) : ArchivedValue{};
      ArchivedValue rel = get("NS.relative") ? field(get("NS.relative"), depth) : ArchivedValue{};
      v.kind = ArchivedValue::Kind::string;
      v.bytes = (base.kind == ArchivedValue::Kind::string ? base.bytes : std::string()) +
                (rel.kind == ArchivedValue::Kind::string ? rel.bytes : std::string());
      return v;
    }
    if (has_class(classes, {"NSDictionary", "NSMutableDictionary"})) {
      plist_t keys = get("NS.keys");
      plist_t objs = get("NS.objects");
      if (keys && objs && plist_get_node_type(keys) == PLIST_ARRAY && plist_get_node_type(objs) == PLIST_ARRAY) {
        v.kind = ArchivedValue::Kind::dict;
        const uint32_t nk = plist_array_get_size(keys), no = plist_array_get_size(objs);
        if (nk != no) fail(fmt::format("dictionary has {} keys but {} values", nk, no));
        for (uint32_t i = 0; i < nk; ++i) {
          ArchivedValue k = field(plist_array_get_item(keys, i), depth);
          std::string key = k.kind == ArchivedValue::Kind::string    ? k.bytes
                            : k.kind == ArchivedValue::Kind::integer ? std::to_string(k.integer)
                                                                     : fmt::format("#{}", i);
          v.fields.emplace_back(std::move(key), field(plist_array_get_item(objs, i), depth));
        }
        return v;
      }
    }
    if (has_class(classes,
                  {"NSArray", "NSMutableArray", "NSSet", "NSMutableSet", "NSOrderedSet", "NSMutableOrderedSet"})) {
      plist_t objs = get("NS.objects");
      if (objs && plist_get_node_type(objs) == PLIST_ARRAY) {
        v.kind = ArchivedValue::Kind::array;
        const uint32_t sz = plist_array_get_size(objs);
        for (uint32_t i = 0; i < sz; ++i) v.items.push_back(field(plist_array_get_item(objs, i), depth));
        return v;
      }
    }
    v.kind = ArchivedValue::Kind::object;
    v.class_name = cname;
    v.classes = std::move(classes);
    each_entry(n, [&](const std::string& k, plist_t val) {
      if (k != "$class") v.fields.emplace_back(k, field(val, depth));
    });
    return v;
  }

  // Calls f(key, value) per entry. f may throw (decode errors): the
  // iterator is owned so it is freed either way.
  template <class F>
  void each_entry(plist_t dict, F&& f) {
    plist_dict_iter raw = nullptr;
    plist_dict_new_iter(dict, &raw);
    std::unique_ptr<void, decltype(&std::free)> it(raw, &std::free);
    if (!it) return;
    for (;;) {
      char* key = nullptr;
      plist_t val = nullptr;
      plist_dict_next_item(dict, it.get(), &key, &val);
      if (!key) break;
      std::string k(key);
      std::free(key);
      if (val) f(k, val);
    }
  }

  uint64_t node_cost(plist_t n, size_t depth) {
    const uint64_t cap = lim_.max_nodes + 1;
    if (!n || depth > lim_.max_depth) return cap;
    if (uint64_t uid = 0; uid_of(n, &uid)) return expanded_nodes(uid);
    uint64_t total = 1;
    auto add = [&](uint64_t c) { total = std::min(cap, total + c); };
    switch (plist_get_node_type(n)) {
      case PLIST_ARRAY: {
        const uint32_t sz = plist_array_get_size(n);
        for (uint32_t i = 0; i < sz && total < cap; ++i) add(node_cost(plist_array_get_item(n, i), depth + 1));
        break;
      }
      case PLIST_DICT:
        each_entry(n, [&](const std::string&, plist_t v) {
          if (total < cap) add(node_cost(v, depth + 1));
        });
        break;
      default:
        break;
    }
    return total;
  }

  plist_t objects_;
  const KeyedArchiveLimits& lim_;
  uint32_t count_ = 0;
  size_t nodes_ = 0;
  std::set<uint64_t> active_;
  std::set<uint64_t> measuring_;
  std::map<uint64_t, uint64_t> memo_;
};

}  // namespace

// libplist 2.2 expands every reference of a binary plist into its own copy
// of the referenced subtree, so a small hostile file whose objects refer to
// one another many times would expand exponentially inside libplist (and a
// reference cycle would recurse); and it asserts (aborts the process) on a
// dictionary key that is not a string. This walks the object table
// (trailer, offset table, container markers) and rejects cycles, non-string
// keys and any file whose expanded tree would exceed `max_nodes`.
// Reference: Apple CF source, CFBinaryPList.c (format comment at the top).
Status check_plist_for_libplist(std::span<const unsigned char> d, size_t max_nodes, size_t max_depth) {
  const bool binary = d.size() >= 8 && std::memcmp(d.data(), "bplist00", 8) == 0;
  if (!binary) return {};  // XML: no shared references; libplist validates its structure
  auto bad = [](std::string m) { return make_error(Errc::malformed, "binary plist " + m); };
  if (d.size() < 8 + 32) return bad("too short");
  const unsigned char* t = d.data() + d.size() - 32;
  auto be = [](const unsigned char* p, size_t n) {
    uint64_t v = 0;
    for (size_t i = 0; i < n; ++i) v = (v << 8) | p[i];
    return v;
  };
  const size_t off_size = t[6], ref_size = t[7];
  const uint64_t num = be(t + 8, 8), top = be(t + 16, 8), table = be(t + 24, 8);
  if (off_size < 1 || off_size > 8 || ref_size < 1 || ref_size > 8) return bad("trailer has bad sizes");
  if (num == 0 || top >= num || table < 8 || table >= d.size() - 32) return bad("trailer is out of range");
  if (num > (d.size() - 32 - table) / off_size) return bad("offset table is truncated");
  std::vector<uint64_t> offs(num);
  for (uint64_t i = 0; i < num; ++i) {
    offs[i] = be(d.data() + table + i * off_size, off_size);
    if (offs[i] < 8 || offs[i] >= table) return bad("object offset is out of range");
  }
  // A dictionary key must be a string (ASCII 0x5n or UTF-16 0x6n) without
  // NUL characters: libplist 2.2 asserts (aborts) on either.
  auto valid_key = [&](uint64_t i) -> bool {
    size_t p = offs[i];
    const unsigned char m = d[p];
    const unsigned hi = m >> 4;
    if (hi != 0x5 && hi != 0x6) return false;
    uint64_t len = m & 0x0F;
    ++p;
    if (len == 0x0F) {
      if (p >= table || (d[p] >> 4) != 0x1) return false;
      const size_t n = size_t{1} << (d[p] & 0x0F);
      if (n > 8 || p + 1 + n > table) return false;
      len = be(d.data() + p + 1, n);
      p += 1 + n;
    }
    const uint64_t bytes = hi == 0x6 ? len * 2 : len;
    if (len > table || bytes > table - p) return false;
    if (hi == 0x5) return std::memchr(d.data() + p, 0, bytes) == nullptr;
    for (uint64_t u = 0; u < len; ++u)
      if (d[p + 2 * u] == 0 && d[p + 2 * u + 1] == 0) return false;
    return true;
  };
  // Children of a container object (arrays, sets, dicts); empty otherwise.
  auto children = [&](uint64_t i, std::vector<uint64_t>& out) -> bool {
    out.clear();
    size_t p = offs[i];
    const unsigned char m = d[p];
    const unsigned hi = m >> 4;
    if (hi != 0xA && hi != 0xC && hi != 0xD) return true;
    uint64_t count = m & 0x0F;
    ++p;
    if (count == 0x0F) {
      if (p >= table || (d[p] >> 4) != 0x1) return false;
      const size_t n = size_t{1} << (d[p] & 0x0F);
      if (n > 8 || p + 1 + n > table) return false;
      count = be(d.data() + p + 1, n);
      p += 1 + n;
    }
    const uint64_t refs = hi == 0xD ? count * 2 : count;
    if (count > num * 2 || refs > (table - p) / ref_size) return false;
    for (uint64_t k = 0; k < refs; ++k) {
      const uint64_t r = be(d.data() + p + k * ref_size, ref_size);
      if (r >= num) return false;
      // A dictionary's first `count` references are its keys, which must be
      // strings (ASCII 0x5n or UTF-16 0x6n): libplist 2.2 asserts otherwise.
      if (hi == 0xD && k < count && !valid_key(r)) return false;
      out.push_back(r);
    }
    return true;
  };
  // Iterative post-order walk with memoised expanded sizes.
  std::vector<uint64_t> size(num, 0);
  std::vector<uint8_t> state(num, 0);  // 0 new, 1 on stack, 2 done
  struct Frame {
    uint64_t obj;
    std::vector<uint64_t> kids;
    size_t next = 0;
  };
  std::vector<Frame> stack;
  auto push = [&](uint64_t o) -> Status {
    Frame f{o, {}, 0};
    if (!children(o, f.kids)) return bad("container object is malformed");
    state[o] = 1;
    stack.push_back(std::move(f));
    if (stack.size() > max_depth + 2) return make_error(Errc::too_large, "binary plist nested too deeply");
    return {};
  };
  for (uint64_t root = 0; root < num; ++root) {
    if (state[root] != 0) continue;
    if (auto st = push(root); !st) return st;
    while (!stack.empty()) {
      Frame& f = stack.back();
      if (f.next < f.kids.size()) {
        const uint64_t k = f.kids[f.next++];
        if (state[k] == 1) return bad("has a reference cycle");
        if (state[k] == 0) {
          if (auto st = push(k); !st) return st;
        }
        continue;
      }
      uint64_t total = 1;
      for (uint64_t k : f.kids) {
        total += size[k];
        if (total > max_nodes) return make_error(Errc::too_large, "binary plist expands to too many nodes");
      }
      size[f.obj] = total;
      state[f.obj] = 2;
      stack.pop_back();
    }
  }
  return {};
}

Result<ArchivedValue> decode_keyed_archive(std::span<const unsigned char> data, const KeyedArchiveLimits& limits) {
  if (data.empty()) return make_error(Errc::malformed, "NSKeyedArchiver: empty input");
  if (data.size() > limits.max_input_bytes || data.size() > std::numeric_limits<uint32_t>::max())
    return make_error(Errc::too_large, fmt::format("NSKeyedArchiver: {} bytes exceeds the limit", data.size()));
  const bool binary = data.size() >= 8 && std::memcmp(data.data(), "bplist00", 8) == 0;
  const bool xml = !binary && data.size() >= 5 &&
                   (std::memcmp(data.data(), "<?xml", 5) == 0 || std::memcmp(data.data(), "<plis", 5) == 0);
  if (!binary && !xml) return make_error(Errc::malformed, "NSKeyedArchiver: not a property list");
  if (auto st = check_plist_for_libplist(data, limits.max_nodes, limits.max_depth); !st)
    return make_error(st.error().code, "NSKeyedArchiver: " + st.error().message);
  plist_t raw = nullptr;
  if (binary)
    plist_from_bin(reinterpret_cast<const char*>(data.data()), static_cast<uint32_t>(data.size()), &raw);
  else
    plist_from_xml(reinterpret_cast<const char*>(data.data()), static_cast<uint32_t>(data.size()), &raw);
  PlistPtr root(raw);
  if (!raw) return make_error(Errc::malformed, "NSKeyedArchiver: the property list does not parse");
  if (plist_get_node_type(raw) != PLIST_DICT)
    return make_error(Errc::malformed, "NSKeyedArchiver: top level is not a dictionary");
  plist_t archiver = plist_dict_get_item(raw, "$archiver");
  if (!archiver || plist_get_node_type(archiver) != PLIST_STRING || node_string(archiver) != "NSKeyedArchiver")
    return make_error(Errc::malformed, "NSKeyedArchiver: $archiver is missing or not NSKeyedArchiver");
  plist_t objects = plist_dict_get_item(raw, "$objects");
  if (!objects || plist_get_node_type(objects) != PLIST_ARRAY)
    return make_error(Errc::malformed, "NSKeyedArchiver: $objects is missing or not an array");
  plist_t top = plist_dict_get_item(raw, "$top");
  if (!top || plist_get_node_type(top) != PLIST_DICT)
    return make_error(Errc::malformed, "NSKeyedArchiver: $top is missing or not a dictionary");
  plist_t rootref = plist_dict_get_item(top, "root");
  if (!rootref) {
    // Some archivers use another key: take the first UID in $top.
    plist_dict_iter it = nullptr;
    plist_dict_new_iter(top, &it);
    if (it) {
      for (;;) {
        char* key = nullptr;
        plist_t val = nullptr;
        plist_dict_next_item(top, it, &key, &val);
        if (!key) break;
        std::free(key);
        if (uint64_t tmp = 0; uid_of(val, &tmp)) {
          rootref = val;
          break;
        }
      }
      std::free(it);
    }
  }
  uint64_t uid = 0;
  if (!uid_of(rootref, &uid)) return make_error(Errc::malformed, "NSKeyedArchiver: $top has no root UID");
  try {
    Unarchiver u(objects, limits);
    if (u.expanded_nodes(uid) > limits.max_nodes)
      return make_error(Errc::too_large, "NSKeyedArchiver: archive expands to too many nodes");
    return u.resolve_uid(uid, 0);
  } catch (const KaError& e) {
    return make_error(e.code, e.message);
  } catch (const std::bad_alloc&) {
    return make_error(Errc::too_large, "NSKeyedArchiver: out of memory while decoding");
  }
}

// ---- encoder ---------------------------------------------------------------

namespace {

// libplist's binary writer needs valid UTF-8 (it converts non-ASCII strings
// to UTF-16): invalid sequences become U+FFFD, NULs end a C string anyway.
std::string utf8(std::string s) {
  sanitize_utf8(s);
  if (auto nul = s.find('\0'); nul != std::string::npos) s.resize(nul);
  return s;
}

class Archiver {
 public:
  explicit Archiver(bool data_as_object) : data_as_object_(data_as_object) {
    objects_ = plist_new_array();
    plist_array_append_item(objects_, plist_new_string("$null"));
  }
  ~Archiver() {
    if (objects_) plist_free(objects_);
  }
  Archiver(const Archiver&) = delete;
  Archiver& operator=(const Archiver&) = delete;

  uint64_t add(const ArchivedValue& v, size_t depth = 0) {
    if (depth > 64) fail("value nested too deeply to encode");
    switch (v.kind) {
      case ArchivedValue::Kind::null:
        return 0;
      case ArchivedValue::Kind::string:
        return append(plist_new_string(utf8(v.bytes).c_str()));
      case ArchivedValue::Kind::boolean:
        return append(plist_new_bool(v.boolean ? 1 : 0));
      case ArchivedValue::Kind::integer:
        return append(plist_new_uint(static_cast<uint64_t>(v.integer)));
      case ArchivedValue::Kind::real:
        return append(plist_new_real(v.real));
      case ArchivedValue::Kind::data: {
        if (!data_as_object_) return append(plist_new_data(v.bytes.data(), v.bytes.size()));
        const uint64_t idx = reserve();
        plist_t d = plist_new_dict();
        plist_dict_set_item(d, "NS.data", plist_new_data(v.bytes.data(), v.bytes.size()));
        plist_dict_set_item(d, "$class",
                            plist_new_uid(class_uid("NSMutableData", {"NSMutableData", "NSData", "NSObject"})));
        return fill(idx, d);
      }
      case ArchivedValue::Kind::date: {
        const uint64_t idx = reserve();
        plist_t d = plist_new_dict();
        plist_dict_set_item(d, "NS.time", plist_new_real(v.real));
        plist_dict_set_item(d, "$class", plist_new_uid(class_uid("NSDate", {"NSDate", "NSObject"})));
        return fill(idx, d);
      }
      case ArchivedValue::Kind::array: {
        const uint64_t idx = reserve();
        plist_t arr = plist_new_array();
        for (const auto& item : v.items) plist_array_append_item(arr, plist_new_uid(add(item, depth + 1)));
        plist_t d = plist_new_dict();
        plist_dict_set_item(d, "NS.objects", arr);
        plist_dict_set_item(d, "$class", plist_new_uid(class_uid("NSArray", {"NSArray", "NSObject"})));
        return fill(idx, d);
      }
      case ArchivedValue::Kind::dict: {
        const uint64_t idx = reserve();
        plist_t keys = plist_new_array();
        plist_t objs = plist_new_array();
        for (const auto& [k, item] : v.fields) {
          ArchivedValue ks;
          ks.kind = ArchivedValue::Kind::string;
          ks.bytes = utf8(k);
          plist_array_append_item(keys, plist_new_uid(add(ks, depth + 1)));
          plist_array_append_item(objs, plist_new_uid(add(item, depth + 1)));
        }
        plist_t d = plist_new_dict();
        plist_dict_set_item(d, "NS.keys", keys);
        plist_dict_set_item(d, "NS.objects", objs);
        plist_dict_set_item(d, "$class", plist_new_uid(class_uid("NSDictionary", {"NSDictionary", "NSObject"})));
        return fill(idx, d);
      }
      case ArchivedValue::Kind::object: {
        const uint64_t idx = reserve();
        plist_t d = plist_new_dict();
        for (const auto& [k, item] : v.fields) {
          switch (item.kind) {
            case ArchivedValue::Kind::integer:
              plist_dict_set_item(d, utf8(k).c_str(), plist_new_uint(static_cast<uint64_t>(item.integer)));
              break;
            case ArchivedValue::Kind::real:
              plist_dict_set_item(d, utf8(k).c_str(), plist_new_real(item.real));
              break;
            case ArchivedValue::Kind::boolean:
              plist_dict_set_item(d, utf8(k).c_str(), plist_new_bool(item.boolean));
              break;
            default:
              plist_dict_set_item(d, utf8(k).c_str(), plist_new_uid(add(item, depth + 1)));
              break;
          }
        }
        std::vector<std::string> classes = v.classes;
        if (classes.empty()) classes = {v.class_name, "NSObject"};
        for (auto& c : classes) c = utf8(c);
        plist_dict_set_item(d, "$class", plist_new_uid(class_uid(utf8(v.class_name), classes)));
        return fill(idx, d);
      }
    }
    return 0;
  }

  Result<std::vector<unsigned char>> finish(uint64_t root) {
    plist_t top = plist_new_dict();
    plist_dict_set_item(top, "$version", plist_new_uint(100000));
    plist_dict_set_item(top, "$archiver", plist_new_string("NSKeyedArchiver"));
    plist_t t = plist_new_dict();
    plist_dict_set_item(t, "root", plist_new_uid(root));
    plist_dict_set_item(top, "$top", t);
    plist_dict_set_item(top, "$objects", objects_);
    objects_ = nullptr;  // owned by top now
    PlistPtr owner(top);
    char* bin = nullptr;
    uint32_t len = 0;
    plist_to_bin(top, &bin, &len);
    if (!bin) return make_error(Errc::internal, "NSKeyedArchiver: cannot serialise the archive");
    std::vector<unsigned char> out(reinterpret_cast<unsigned char*>(bin), reinterpret_cast<unsigned char*>(bin) + len);
    plist_to_bin_free(bin);
    return out;
  }

 private:
  uint64_t append(plist_t n) {
    plist_array_append_item(objects_, n);
    return plist_array_get_size(objects_) - 1;
  }
  uint64_t reserve() { return append(plist_new_bool(0)); }
  uint64_t fill(uint64_t idx, plist_t node) {
    plist_array_set_item(objects_, node, static_cast<uint32_t>(idx));
    return idx;
  }
  uint64_t class_uid(const std::string& name, const std::vector<std::string>& classes) {
    if (auto it = class_uids_.find(name); it != class_uids_.end()) return it->second;
    plist_t d = plist_new_dict();
    plist_dict_set_item(d, "$classname", plist_new_string(name.c_str()));
    plist_t arr = plist_new_array();
    for (const auto& c : classes) plist_array_append_item(arr, plist_new_string(c.c_str()));
    plist_dict_set_item(d, "$classes", arr);
    const uint64_t uid = append(d);
    class_uids_[name] = uid;
    return uid;
  }

  bool data_as_object_;
  plist_t objects_ = nullptr;
  std::map<std::string, uint64_t> class_uids_;
};

}  // namespace

Result<std::vector<unsigned char>> encode_keyed_archive(const ArchivedValue& root, bool data_as_object) {
  try {
    Archiver a(data_as_object);
    const uint64_t uid = a.add(root);
    return a.finish(uid);
  } catch (const KaError& e) {
    return make_error(e.code, e.message);
  }
}

}  // namespace remit::apple
