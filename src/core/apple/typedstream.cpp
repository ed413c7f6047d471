// typedstream decoder (NSArchiver's format; include/remit/apple.hpp).
//
// References (facts only; the code is ours):
//  - dgelessus/python-typedstream, typedstream/stream.py and archiving.py:
//    header (streamer version 4, "streamtyped" = little-endian, "typedstream"
//    = big-endian, system version 1000), head-byte tags -128..-111
//    (-127 int16, -126 int32, -125 float/double, -124 NEW, -123 NIL,
//    -122 END_OF_OBJECT), reference numbers starting at -110, one shared
//    string table (type encodings, class names) and one object table
//    (objects numbered before their class, then each literal class of a
//    superclass chain, then literal C strings).
//  - Objective-C type encodings (Apple, "Type Encodings").
//  - Checked against the attributedBody blobs of plaso's
//    macos-imessage-chat.db (NSMutableAttributedString -> NSMutableString '+').
// Format notes: docs/formats/ios-typedstream.md.
#include <fmt/format.h>

#include <cstring>

#include "remit/apple.hpp"

namespace remit::apple {
namespace {

constexpr int kTagInt2 = -127;
constexpr int kTagInt4 = -126;
constexpr int kTagFloat = -125;
constexpr int kTagNew = -124;
constexpr int kTagNil = -123;
constexpr int kTagEnd = -122;
constexpr int kFirstTag = -128;
constexpr int kLastTag = -111;
constexpr int64_t kFirstRef = kLastTag + 1;  // -110

struct DecodeError {
  Errc code;
  std::string message;
};

class Decoder {
 public:
  Decoder(std::span<const unsigned char> d, const TypedStreamLimits& l, TypedStream& out) : d_(d), lim_(l), out_(out) {}

  void run() {
    header();
    while (pos_ < d_.size()) {
      const int h = head();
      out_.roots.push_back(group(h));
    }
  }

 private:
  [[noreturn]] void fail(std::string what, Errc code = Errc::malformed) const {
    throw DecodeError{code, fmt::format("typedstream: {} at byte {}", what, pos_)};
  }

  void need(size_t n) const {
    if (n > d_.size() - pos_) fail(fmt::format("truncated: {} more bytes needed, {} left", n, d_.size() - pos_));
  }

  int head() {
    need(1);
    return static_cast<int8_t>(d_[pos_++]);
  }

  uint64_t raw_uint(size_t n) {
    need(n);
    uint64_t v = 0;
    for (size_t i = 0; i < n; ++i) {
      const uint64_t b = d_[pos_ + i];
      v |= out_.big_endian ? (b << (8 * (n - 1 - i))) : (b << (8 * i));
    }
    pos_ += n;
    return v;
  }

  int64_t integer(int h, bool is_signed) {
    if (h < kFirstTag || h > kLastTag) return is_signed ? h : (h & 0xff);
    if (h == kTagInt2) {
      const auto v = static_cast<uint16_t>(raw_uint(2));
      return is_signed ? static_cast<int16_t>(v) : static_cast<int64_t>(v);
    }
    if (h == kTagInt4) {
      const auto v = static_cast<uint32_t>(raw_uint(4));
      return is_signed ? static_cast<int32_t>(v) : static_cast<int64_t>(v);
    }
    --pos_;
    fail(fmt::format("unexpected tag {:#04x} where an integer was expected", h & 0xff));
  }

  size_t reference(int h) {
    const int64_t v = integer(h, true) - kFirstRef;
    if (v < 0) fail("negative reference number");
    return static_cast<size_t>(v);
  }

  std::optional<std::string> unshared_string(int h) {
    if (h == kTagNil) return std::nullopt;
    const int64_t len = integer(h, false);
    if (len < 0) fail("negative string length");
    need(static_cast<size_t>(len));
    std::string s(reinterpret_cast<const char*>(d_.data() + pos_), static_cast<size_t>(len));
    pos_ += static_cast<size_t>(len);
    return s;
  }

  std::optional<std::string> shared_string(int h) {
    if (h == kTagNil) return std::nullopt;
    if (h == kTagNew) {
      auto s = unshared_string(head());
      if (!s) fail("a new shared string holds nil");
      strings_.push_back(*s);
      return s;
    }
    const size_t r = reference(h);
    if (r >= strings_.size())
      fail(fmt::format("shared string reference {} beyond the {} strings read", r, strings_.size()));
    return strings_[r];
  }

  void count_value() {
    if (++values_ > lim_.max_values) fail("too many values", Errc::too_large);
  }

  struct Depth {
    Decoder& d;
    explicit Depth(Decoder& dec) : d(dec) {
      if (++d.depth_ > d.lim_.max_depth) d.fail("nesting too deep", Errc::too_large);
    }
    ~Depth() { --d.depth_; }
  };

  // Returns the class index, or nullopt for a Nil class.
  std::optional<size_t> read_class(int h) {
    std::vector<size_t> chain;
    while (h == kTagNew) {
      auto name = shared_string(head());
      if (!name) fail("class name is nil");
      TsObject c;
      c.kind = TsObject::Kind::class_info;
      c.name = std::move(*name);
      c.version = integer(head(), true);
      chain.push_back(out_.objects.size());
      out_.objects.push_back(std::move(c));
      if (chain.size() > lim_.max_depth) fail("superclass chain too long", Errc::too_large);
      h = head();
    }
    std::optional<size_t> terminal;
    if (h != kTagNil) {
      const size_t r = reference(h);
      if (r >= out_.objects.size()) fail(fmt::format("class reference {} beyond the object table", r));
      if (out_.objects[r].kind != TsObject::Kind::class_info) fail(fmt::format("reference {} is not a class", r));
      terminal = r;
    }
    for (size_t i = chain.size(); i-- > 0;)
      out_.objects[chain[i]].superclass = i + 1 < chain.size() ? std::optional<size_t>(chain[i + 1]) : terminal;
    if (chain.empty()) return terminal;
    return chain.front();
  }

  TsValue object(int h) {
    TsValue v;
    if (h == kTagNil) return v;
    if (h == kTagNew) {
      Depth guard(*this);
      const size_t idx = out_.objects.size();
      out_.objects.push_back(TsObject{});
      auto cls = read_class(head());
      if (!cls) fail("object with a nil class");
      out_.objects[idx].class_index = cls;
      for (int n = head(); n != kTagEnd; n = head()) {
        TsGroup g = group(n);
        out_.objects[idx].contents.push_back(std::move(g));
      }
      out_.objects[idx].complete = true;
      v.kind = TsValue::Kind::object;
      v.index = idx;
      return v;
    }
    const size_t r = reference(h);
    if (r >= out_.objects.size()) fail(fmt::format("object reference {} beyond the object table", r));
    if (out_.objects[r].kind != TsObject::Kind::object) fail(fmt::format("reference {} is not an object", r));
    v.kind = TsValue::Kind::object;
    v.index = r;
    return v;
  }

  TsValue cstring(int h) {
    TsValue v;
    if (h == kTagNil) return v;
    if (h == kTagNew) {
      auto s = shared_string(head());
      if (!s) fail("a C string holds nil");
      TsObject o;
      o.kind = TsObject::Kind::cstring;
      o.bytes = std::move(*s);
      v.kind = TsValue::Kind::cstring;
      v.index = out_.objects.size();
      out_.objects.push_back(std::move(o));
      return v;
    }
    const size_t r = reference(h);
    if (r >= out_.objects.size()) fail(fmt::format("C string reference {} beyond the object table", r));
    if (out_.objects[r].kind != TsObject::Kind::cstring) fail(fmt::format("reference {} is not a C string", r));
    v.kind = TsValue::Kind::cstring;
    v.index = r;
    return v;
  }

  static std::string_view strip_qualifiers(std::string_view e) {
    while (!e.empty() && std::strchr("rnNoORVA", e.front()) != nullptr) e.remove_prefix(1);
    return e;
  }

  // Length of the single type encoding at the start of `e` (0 if malformed).
  size_t encoding_length(std::string_view e, size_t depth = 0) const {
    if (depth > lim_.max_depth) return 0;
    size_t i = 0;
    while (i < e.size() && std::strchr("rnNoORVA", e[i]) != nullptr) ++i;
    if (i >= e.size()) return 0;
    const char c = e[i];
    if (c == '[' || c == '{' || c == '(') {
      const char close = c == '[' ? ']' : c == '{' ? '}' : ')';
      size_t j = i + 1;
      if (c == '[') {
        while (j < e.size() && e[j] >= '0' && e[j] <= '9') ++j;
      } else {
        // name up to '=' (or the closing bracket)
        while (j < e.size() && e[j] != '=' && e[j] != close) {
          if (e[j] == '[' || e[j] == '{' || e[j] == '(') return 0;
          ++j;
        }
        if (j < e.size() && e[j] == '=') ++j;
      }
      while (j < e.size() && e[j] != close) {
        const size_t n = encoding_length(e.substr(j), depth + 1);
        if (n == 0) return 0;
        j += n;
      }
      if (j >= e.size()) return 0;
      return j + 1;
    }
    if (c == '^') {
      const size_t n = encoding_length(e.substr(i + 1), depth + 1);
      return n == 0 ? 0 : i + 1 + n;
    }
    return i + 1;
  }

  std::vector<std::string> split_encodings(std::string_view all) {
    std::vector<std::string> out;
    while (!all.empty()) {
      const size_t n = encoding_length(all);
      if (n == 0) fail("malformed type encoding");
      out.emplace_back(all.substr(0, n));
      all.remove_prefix(n);
    }
    if (out.empty()) fail("empty type encoding");
    return out;
  }

  TsValue value(std::string_view enc) {
    count_value();
    enc = strip_qualifiers(enc);
    if (enc.empty()) fail("empty type encoding");
    TsValue v;
    const char c = enc.front();
    if (enc.size() == 1) {
      switch (c) {
        case 'B':
        case 'C':
          need(1);
          v.kind = TsValue::Kind::integer;
          v.integer = d_[pos_++];
          v.is_unsigned = true;
          return v;
        case 'c':
          need(1);
          v.kind = TsValue::Kind::integer;
          v.integer = static_cast<int8_t>(d_[pos_++]);
          return v;
        case 'S':
        case 'I':
        case 'L':
        case 'Q':
          v.kind = TsValue::Kind::integer;
          v.is_unsigned = true;
          v.integer = integer(head(), false);
          return v;
        case 's':
        case 'i':
        case 'l':
        case 'q':
          v.kind = TsValue::Kind::integer;
          v.integer = integer(head(), true);
          return v;
        case 'f':
        case 'd': {
          const int h = head();
          v.kind = TsValue::Kind::real;
          if (h == kTagFloat) {
            if (c == 'f') {
              const auto bits = static_cast<uint32_t>(raw_uint(4));
              float f;
              std::memcpy(&f, &bits, 4);
              v.real = f;
            } else {
              const uint64_t bits = raw_uint(8);
              double dv;
              std::memcpy(&dv, &bits, 8);
              v.real = dv;
            }
          } else {
            v.real = static_cast<double>(integer(h, true));
          }
          return v;
        }
        case '*':
          return cstring(head());
        case '%':
        case ':': {
          auto s = shared_string(head());
          if (s) {
            v.kind = TsValue::Kind::bytes;
            v.bytes = std::move(*s);
          }
          return v;
        }
        case '+': {
          auto s = unshared_string(head());
          if (s) {
            v.kind = TsValue::Kind::bytes;
            v.bytes = std::move(*s);
          }
          return v;
        }
        case '#': {
          auto cls = read_class(head());
          if (cls) {
            v.kind = TsValue::Kind::class_ref;
            v.index = *cls;
          }
          return v;
        }
        case '@':
          return object(head());
        case '!':
          v.kind = TsValue::Kind::ignored;
          return v;
        default:
          break;
      }
    }
    if (c == '[') {
      Depth guard(*this);
      size_t j = 1;
      uint64_t n = 0;
      while (j < enc.size() && enc[j] >= '0' && enc[j] <= '9') {
        n = n * 10 + static_cast<uint64_t>(enc[j] - '0');
        if (n > lim_.max_values) fail("array length too large", Errc::too_large);
        ++j;
      }
      if (enc.size() < j + 2 || enc.back() != ']') fail("malformed array encoding");
      const std::string_view elem = strip_qualifiers(enc.substr(j, enc.size() - j - 1));
      if (elem == "c" || elem == "C") {
        need(n);
        v.kind = TsValue::Kind::bytes;
        v.bytes.assign(reinterpret_cast<const char*>(d_.data() + pos_), n);
        pos_ += n;
        return v;
      }
      v.kind = TsValue::Kind::array;
      for (uint64_t k = 0; k < n; ++k) v.items.push_back(value(elem));
      return v;
    }
    if (c == '{' || c == '(') {
      Depth guard(*this);
      const char close = c == '{' ? '}' : ')';
      if (enc.back() != close) fail("malformed struct encoding");
      std::string_view body = enc.substr(1, enc.size() - 2);
      if (auto eq = body.find('='); eq != std::string_view::npos) body.remove_prefix(eq + 1);
      v.kind = TsValue::Kind::structure;
      for (const auto& f : split_body(body)) v.items.push_back(value(f));
      return v;
    }
    fail(fmt::format("unsupported type encoding '{}'", std::string(enc.substr(0, 16))));
  }

  std::vector<std::string> split_body(std::string_view body) {
    std::vector<std::string> out;
    while (!body.empty()) {
      const size_t n = encoding_length(body);
      if (n == 0) fail("malformed struct field encoding");
      out.emplace_back(body.substr(0, n));
      body.remove_prefix(n);
    }
    return out;
  }

  TsGroup group(int h) {
    auto enc = shared_string(h);
    if (!enc) fail("type encoding is nil");
    if (enc->size() > lim_.max_encoding_length) fail("type encoding too long", Errc::too_large);
    TsGroup g;
    g.encodings = split_encodings(*enc);
    for (const auto& e : g.encodings) g.values.push_back(value(e));
    return g;
  }

  void header() {
    need(2);
    out_.streamer_version = d_[0];
    const size_t sig_len = d_[1];
    pos_ = 2;
    if (out_.streamer_version != 4)
      fail(fmt::format("streamer version {} is not supported (expected 4)", out_.streamer_version),
           out_.streamer_version == 3 ? Errc::unsupported : Errc::malformed);
    if (sig_len != 11) fail("signature length is not 11");
    need(11);
    const std::string_view sig(reinterpret_cast<const char*>(d_.data() + 2), 11);
    if (sig == "streamtyped") {
      out_.big_endian = false;
    } else if (sig == "typedstream") {
      out_.big_endian = true;
    } else {
      fail("bad signature (neither streamtyped nor typedstream)");
    }
    pos_ = 13;
    out_.system_version = static_cast<uint64_t>(integer(head(), false));
  }

  std::span<const unsigned char> d_;
  const TypedStreamLimits& lim_;
  TypedStream& out_;
  size_t pos_ = 0;
  size_t depth_ = 0;
  size_t values_ = 0;
  std::vector<std::string> strings_;
};

}  // namespace

std::vector<std::string> TypedStream::class_chain(size_t object_index) const {
  std::vector<std::string> out;
  if (object_index >= objects.size() || objects[object_index].kind != TsObject::Kind::object) return out;
  std::optional<size_t> c = objects[object_index].class_index;
  // A hostile stream can make a superclass chain loop: bound the walk.
  for (size_t steps = 0; c && *c < objects.size() && steps <= objects.size(); ++steps) {
    const TsObject& k = objects[*c];
    if (k.kind != TsObject::Kind::class_info) break;
    out.push_back(k.name);
    c = k.superclass;
  }
  return out;
}

bool TypedStream::is_kind_of(size_t object_index, std::string_view class_name) const {
  for (const auto& n : class_chain(object_index))
    if (n == class_name) return true;
  return false;
}

Result<TypedStream> decode_typedstream(std::span<const unsigned char> data, const TypedStreamLimits& limits) {
  TypedStream ts;
  try {
    Decoder(data, limits, ts).run();
  } catch (const DecodeError& e) {
    return make_error(e.code, e.message);
  } catch (const std::bad_alloc&) {
    return make_error(Errc::too_large, "typedstream: out of memory while decoding");
  }
  return ts;
}

namespace {

// The '+' bytes of a string object (NSString, NSMutableString, ...).
std::optional<std::string> string_object_text(const TypedStream& ts, size_t idx) {
  if (idx >= ts.objects.size()) return std::nullopt;
  for (const auto& g : ts.objects[idx].contents)
    for (const auto& v : g.values)
      if (v.kind == TsValue::Kind::bytes) return v.bytes;
  return std::nullopt;
}

}  // namespace

Result<std::string> attributed_string_text(std::span<const unsigned char> data, const TypedStreamLimits& limits) {
  auto ts = decode_typedstream(data, limits);
  if (!ts) return ts.error();
  for (const auto& g : ts->roots) {
    for (const auto& v : g.values) {
      if (v.kind != TsValue::Kind::object) continue;
      if (ts->is_kind_of(v.index, "NSString")) {
        if (auto s = string_object_text(*ts, v.index)) return *s;
      }
      if (ts->is_kind_of(v.index, "NSAttributedString")) {
        // The first value of an attributed string is its string object.
        for (const auto& cg : ts->objects[v.index].contents)
          for (const auto& cv : cg.values) {
            if (cv.kind == TsValue::Kind::object && ts->is_kind_of(cv.index, "NSString")) {
              if (auto s = string_object_text(*ts, cv.index)) return *s;
            }
            if (cv.kind == TsValue::Kind::bytes) return cv.bytes;
          }
      }
    }
  }
  return make_error(Errc::malformed, "typedstream: no NSAttributedString or NSString text found");
}

// ---- writer ---------------------------------------------------------------

namespace {

class Writer {
 public:
  std::vector<unsigned char> out;

  void byte(int v) { out.push_back(static_cast<unsigned char>(v & 0xff)); }
  void integer(int64_t v) {
    if (v >= kFirstRef && v <= 127) {
      byte(static_cast<int>(v));
    } else if (v >= INT16_MIN && v <= INT16_MAX) {
      byte(kTagInt2);
      byte(static_cast<int>(v & 0xff));
      byte(static_cast<int>((v >> 8) & 0xff));
    } else {
      byte(kTagInt4);
      for (int i = 0; i < 4; ++i) byte(static_cast<int>((v >> (8 * i)) & 0xff));
    }
  }
  void raw_string(std::string_view s) {
    integer(static_cast<int64_t>(s.size()));
    out.insert(out.end(), s.begin(), s.end());
  }
  // Shared strings: NEW + bytes the first time, then a reference.
  void shared(std::string_view s) {
    for (size_t i = 0; i < strings_.size(); ++i)
      if (strings_[i] == s) {
        integer(static_cast<int64_t>(i) + kFirstRef);
        return;
      }
    byte(kTagNew);
    raw_string(s);
    strings_.emplace_back(s);
  }
  // A class chain; classes already written become references.
  void klass(std::initializer_list<std::pair<std::string_view, int>> chain) {
    for (const auto& [name, version] : chain) {
      if (auto r = class_ref(name)) {
        integer(static_cast<int64_t>(*r) + kFirstRef);
        return;
      }
      byte(kTagNew);
      shared(name);
      integer(version);
      classes_.emplace_back(std::string(name), objects_++);
    }
    byte(kTagNil);
  }
  size_t new_object() {
    byte(kTagNew);
    return objects_++;
  }
  void end_object() { byte(kTagEnd); }
  size_t new_cstring(std::string_view s) {
    byte(kTagNew);
    shared(s);
    return objects_++;
  }

 private:
  std::optional<size_t> class_ref(std::string_view name) const {
    for (const auto& [n, idx] : classes_)
      if (n == name) return idx;
    return std::nullopt;
  }
  std::vector<std::string> strings_;
  std::vector<std::pair<std::string, size_t>> classes_;
  size_t objects_ = 0;
};

int64_t utf16_length(std::string_view s) {
  int64_t n = 0;
  for (size_t i = 0; i < s.size();) {
    const auto c = static_cast<unsigned char>(s[i]);
    size_t len = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 1;
    n += len == 4 ? 2 : 1;
    i += len;
  }
  return n;
}

}  // namespace

std::vector<unsigned char> encode_attributed_string(std::string_view utf8) {
  Writer w;
  w.byte(4);
  w.byte(11);
  for (char c : std::string_view("streamtyped")) w.byte(c);
  w.integer(1000);
  w.shared("@");
  w.new_object();
  w.klass({{"NSMutableAttributedString", 0}, {"NSAttributedString", 0}, {"NSObject", 0}});
  w.shared("@");
  w.new_object();
  w.klass({{"NSMutableString", 1}, {"NSString", 1}, {"NSObject", 0}});
  w.shared("+");
  w.raw_string(utf8);
  w.end_object();
  w.shared("iI");
  w.integer(1);
  w.integer(utf16_length(utf8));
  w.shared("@");
  w.new_object();
  w.klass({{"NSDictionary", 0}, {"NSObject", 0}});
  w.shared("i");
  w.integer(1);
  w.shared("@");
  w.new_object();
  w.klass({{"NSString", 1}});
  w.shared("+");
  w.raw_string("__kIMMessagePartAttributeName");
  w.end_object();
  w.shared("@");
  w.new_object();
  w.klass({{"NSNumber", 0}, {"NSValue", 0}, {"NSObject", 0}});
  w.shared("*");
  w.new_cstring("i");
  w.shared("i");
  w.integer(0);
  w.end_object();
  w.end_object();
  w.end_object();
  return std::move(w.out);
}

}  // namespace remit::apple
