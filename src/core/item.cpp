// Item JSON Lines serialisation (include/remit/item.hpp, docs/item-format.md).
#include "remit/item.hpp"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

namespace remit {
namespace {

using json = nlohmann::ordered_json;

json time_json(const Timestamp& t) {
  json j = json::object();
  if (t.utc_ms)
    j["utc"] = format_rfc3339_ms(*t.utc_ms);
  else
    j["utc"] = nullptr;
  j["raw"] = t.raw;
  j["unit"] = to_string(t.unit);
  j["source"] = to_string(t.source);
  return j;
}

json file_json(const FileRef& f) {
  json j = json::object();
  j["path"] = f.path;
  if (!f.name.empty()) j["name"] = f.name;
  if (!f.mime.empty()) j["mime"] = f.mime;
  if (f.size) j["size"] = *f.size;
  if (!f.sha256.empty()) j["sha256"] = f.sha256;
  if (f.missing) j["missing"] = true;
  return j;
}

void put_if(json& j, const char* key, const std::string& v) {
  if (!v.empty()) j[key] = v;
}

// --- reading -------------------------------------------------------------

struct Reader {
  std::string err;
  bool fail(std::string msg) {
    if (err.empty()) err = std::move(msg);
    return false;
  }
  bool str(const json& j, const char* key, std::string& out, bool required = false) {
    auto it = j.find(key);
    if (it == j.end() || it->is_null()) return required ? fail(fmt::format("missing field '{}'", key)) : true;
    if (!it->is_string()) return fail(fmt::format("field '{}' must be a string", key));
    out = it->get<std::string>();
    return true;
  }
  bool boolean(const json& j, const char* key, bool& out) {
    auto it = j.find(key);
    if (it == j.end() || it->is_null()) return true;
    if (!it->is_boolean()) return fail(fmt::format("field '{}' must be true or false", key));
    out = it->get<bool>();
    return true;
  }
  template <class E, class F>
  bool token(const json& j, const char* key, E& out, F parse, bool required = false) {
    std::string s;
    if (!str(j, key, s, required)) return false;
    if (s.empty()) return true;
    auto v = parse(s);
    if (!v) return fail(fmt::format("field '{}': unknown token '{}'", key, s));
    out = *v;
    return true;
  }
  bool number(const json& j, const char* key, std::optional<double>& out) {
    auto it = j.find(key);
    if (it == j.end() || it->is_null()) return true;
    if (!it->is_number()) return fail(fmt::format("field '{}' must be a number", key));
    out = it->get<double>();
    return true;
  }
  bool time(const json& j, const char* key, Timestamp& t, bool required) {
    auto it = j.find(key);
    if (it == j.end()) return required ? fail(fmt::format("missing field '{}'", key)) : true;
    if (!it->is_object()) return fail(fmt::format("field '{}' must be an object", key));
    std::string utc;
    if (!str(*it, "utc", utc) || !str(*it, "raw", t.raw)) return false;
    if (!utc.empty()) {
      t.utc_ms = parse_iso8601_ms(utc);
      if (!t.utc_ms) return fail(fmt::format("field '{}.utc': not an RFC 3339 time", key));
    }
    return token(*it, "unit", t.unit, parse_time_unit) && token(*it, "source", t.source, parse_time_source);
  }
  bool file(const json& j, FileRef& f) {
    if (!j.is_object()) return fail("file reference must be an object");
    if (!str(j, "path", f.path) || !str(j, "name", f.name) || !str(j, "mime", f.mime) || !str(j, "sha256", f.sha256) ||
        !boolean(j, "missing", f.missing))
      return false;
    if (auto it = j.find("size"); it != j.end() && !it->is_null()) {
      if (!it->is_number_unsigned()) return fail("file 'size' must be a non-negative integer");
      f.size = it->get<uint64_t>();
    }
    return true;
  }
};

}  // namespace

std::string Provenance::locator() const {
  return fmt::format("{}#{}:{}", path, table, row);
}
std::string Provenance::forensic_path() const {
  return fmt::format("{}!/{}#{}:{}", container, path, table, row);
}

std::string to_json_line(const Item& it) {
  json j = json::object();
  j["category"] = to_string(it.category);
  j["service"] = it.service;
  j["time"] = time_json(it.time);
  if (!it.other_times.empty()) {
    json a = json::array();
    for (const auto& nt : it.other_times) {
      json t = time_json(nt.time);
      t["name"] = nt.name;
      a.push_back(std::move(t));
    }
    j["other_times"] = std::move(a);
  }
  j["direction"] = to_string(it.direction);
  json parties = json::array();
  for (const auto& p : it.parties) {
    json pj = json::object();
    pj["raw"] = p.raw;
    pj["normalised"] = p.normalised;
    pj["kind"] = to_string(p.kind);
    pj["role"] = to_string(p.role);
    put_if(pj, "name", p.name);
    put_if(pj, "label", p.label);
    if (p.is_owner) pj["is_owner"] = true;
    parties.push_back(std::move(pj));
  }
  j["parties"] = std::move(parties);
  if (!it.thread_id.empty() || !it.thread_name.empty() || it.group) {
    j["thread"] = json{{"id", it.thread_id}, {"name", it.thread_name}, {"group", it.group}};
  }
  put_if(j, "body", it.body);
  put_if(j, "title", it.title);
  put_if(j, "url", it.url);
  if (!it.attachments.empty()) {
    json a = json::array();
    for (const auto& f : it.attachments) a.push_back(file_json(f));
    j["attachments"] = std::move(a);
  }
  if (it.file) j["file"] = file_json(*it.file);
  if (it.category == Category::call || it.outcome != CallOutcome::unknown) j["outcome"] = to_string(it.outcome);
  if (it.duration_s) j["duration_s"] = *it.duration_s;
  if (it.location) {
    json l = {{"lat", it.location->lat}, {"lon", it.location->lon}};
    if (it.location->accuracy_m) l["accuracy_m"] = *it.location->accuracy_m;
    j["location"] = std::move(l);
  }
  if (it.deleted) j["deleted"] = true;
  if (it.recovered) j["recovered"] = true;
  if (it.system) j["system"] = true;
  if (!it.extra.empty()) {
    json e = json::array();
    for (const auto& [k, v] : it.extra) e.push_back(json::array({k, v}));
    j["extra"] = std::move(e);
  }
  const auto& p = it.provenance;
  j["provenance"] = json{{"container", p.container},
                         {"path", p.path},
                         {"entry_name", p.entry_name},
                         {"table", p.table},
                         {"row", p.row},
                         {"parser", p.parser},
                         {"parser_version", p.parser_version},
                         {"origin", p.origin}};
  return j.dump(-1, ' ', false, json::error_handler_t::replace);
}

Result<Item> item_from_json_line(std::string_view line) {
  json j = json::parse(line, nullptr, false);
  if (j.is_discarded() || !j.is_object()) return make_error(Errc::malformed, "not a JSON object");
  Item it;
  Reader r;
  bool ok = r.token(j, "category", it.category, parse_category, true) && r.str(j, "service", it.service) &&
            r.time(j, "time", it.time, true) && r.token(j, "direction", it.direction, parse_direction) &&
            r.str(j, "body", it.body) && r.str(j, "title", it.title) && r.str(j, "url", it.url) &&
            r.token(j, "outcome", it.outcome, parse_call_outcome) && r.number(j, "duration_s", it.duration_s) &&
            r.boolean(j, "deleted", it.deleted) && r.boolean(j, "recovered", it.recovered) &&
            r.boolean(j, "system", it.system);
  if (ok) {
    if (auto ot = j.find("other_times"); ot != j.end()) {
      if (!ot->is_array()) ok = r.fail("field 'other_times' must be an array");
      for (size_t k = 0; ok && k < ot->size(); ++k) {
        NamedTime nt;
        json wrapper = {{"t", (*ot)[k]}};
        ok = r.time(wrapper, "t", nt.time, true) && r.str((*ot)[k], "name", nt.name, true);
        it.other_times.push_back(std::move(nt));
      }
    }
  }
  if (ok) {
    auto ps = j.find("parties");
    if (ps != j.end()) {
      if (!ps->is_array()) ok = r.fail("field 'parties' must be an array");
      for (size_t k = 0; ok && k < ps->size(); ++k) {
        const json& pj = (*ps)[k];
        Party p;
        ok = pj.is_object() && r.str(pj, "raw", p.raw) && r.str(pj, "normalised", p.normalised) &&
             r.token(pj, "kind", p.kind, parse_party_kind) && r.token(pj, "role", p.role, parse_party_role) &&
             r.str(pj, "name", p.name) && r.str(pj, "label", p.label) && r.boolean(pj, "is_owner", p.is_owner);
        if (!pj.is_object()) r.fail("each party must be an object");
        it.parties.push_back(std::move(p));
      }
    }
  }
  if (ok) {
    if (auto th = j.find("thread"); th != j.end()) {
      ok = th->is_object() ? (r.str(*th, "id", it.thread_id) && r.str(*th, "name", it.thread_name) &&
                              r.boolean(*th, "group", it.group))
                           : r.fail("field 'thread' must be an object");
    }
  }
  if (ok) {
    if (auto at = j.find("attachments"); at != j.end()) {
      if (!at->is_array()) ok = r.fail("field 'attachments' must be an array");
      for (size_t k = 0; ok && k < at->size(); ++k) {
        FileRef f;
        ok = r.file((*at)[k], f);
        it.attachments.push_back(std::move(f));
      }
    }
  }
  if (ok) {
    if (auto fj = j.find("file"); fj != j.end() && !fj->is_null()) {
      FileRef f;
      ok = r.file(*fj, f);
      it.file = std::move(f);
    }
  }
  if (ok) {
    if (auto lj = j.find("location"); lj != j.end() && !lj->is_null()) {
      std::optional<double> lat, lon, acc;
      ok =
          lj->is_object() && r.number(*lj, "lat", lat) && r.number(*lj, "lon", lon) && r.number(*lj, "accuracy_m", acc);
      if (ok && (!lat || !lon)) ok = r.fail("field 'location' needs lat and lon");
      if (ok) it.location = GeoPoint{*lat, *lon, acc};
    }
  }
  if (ok) {
    if (auto ej = j.find("extra"); ej != j.end()) {
      if (!ej->is_array()) ok = r.fail("field 'extra' must be an array of [key, value] pairs");
      for (size_t k = 0; ok && k < ej->size(); ++k) {
        const json& pair = (*ej)[k];
        if (!pair.is_array() || pair.size() != 2 || !pair[0].is_string() || !pair[1].is_string()) {
          ok = r.fail("field 'extra' must be an array of [key, value] string pairs");
          break;
        }
        it.extra.emplace_back(pair[0].get<std::string>(), pair[1].get<std::string>());
      }
    }
  }
  if (ok) {
    auto pj = j.find("provenance");
    if (pj == j.end() || !pj->is_object()) {
      ok = r.fail("missing field 'provenance'");
    } else {
      auto& p = it.provenance;
      ok = r.str(*pj, "container", p.container) && r.str(*pj, "path", p.path, true) &&
           r.str(*pj, "entry_name", p.entry_name) && r.str(*pj, "table", p.table) && r.str(*pj, "row", p.row) &&
           r.str(*pj, "parser", p.parser) && r.str(*pj, "parser_version", p.parser_version) &&
           r.str(*pj, "origin", p.origin);
    }
  }
  if (!ok) return make_error(Errc::malformed, r.err.empty() ? "malformed item" : r.err);
  return it;
}

size_t sanitize_utf8(std::string& s) {
  // Fast path: all ASCII.
  bool ascii = true;
  for (unsigned char c : s)
    if (c >= 0x80) {
      ascii = false;
      break;
    }
  if (ascii) return 0;
  std::string out;
  out.reserve(s.size());
  size_t bad = 0;
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  const size_t n = s.size();
  size_t i = 0;
  while (i < n) {
    const unsigned char c = p[i];
    size_t len = 0;
    uint32_t cp = 0;
    if (c < 0x80) {
      out.push_back(static_cast<char>(c));
      ++i;
      continue;
    }
    if ((c & 0xE0) == 0xC0) {
      len = 2;
      cp = c & 0x1F;
    } else if ((c & 0xF0) == 0xE0) {
      len = 3;
      cp = c & 0x0F;
    } else if ((c & 0xF8) == 0xF0) {
      len = 4;
      cp = c & 0x07;
    }
    bool valid = len != 0 && i + len <= n;
    for (size_t k = 1; valid && k < len; ++k) {
      if ((p[i + k] & 0xC0) != 0x80)
        valid = false;
      else
        cp = (cp << 6) | (p[i + k] & 0x3F);
    }
    if (valid) {
      // Reject overlongs, surrogates and out-of-range code points.
      if ((len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) || cp > 0x10FFFF ||
          (cp >= 0xD800 && cp <= 0xDFFF))
        valid = false;
    }
    if (valid) {
      out.append(s, i, len);
      i += len;
    } else {
      out += "\xEF\xBF\xBD";
      ++bad;
      ++i;
    }
  }
  s = std::move(out);
  return bad;
}

}  // namespace remit
