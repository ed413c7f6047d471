// Reading a scope file (TOML, docs/scope-file.md) into a remit::Scope.
//
// References: TOML v1.0.0 (toml.io/en/v1.0.0: local date, local
// date-time, offset date-time, arrays of tables / inline tables); toml++
// 3.3 (toml::parse, node::source() for line and column).
//
// The reader is strict: unknown keys, wrong types, unknown tokens, invalid
// dates, unknown time zones, bad regular expressions and windows that end
// before they start are errors naming the file, line, column and field.
// Missing legal content (purpose, sanction, agreement, ...) is not a parse
// error: the file is well-formed, and lint_scope() reports it as a finding.
#include <fmt/format.h>
#include <re2/re2.h>
#include <toml++/toml.h>

#include <fstream>
#include <set>
#include <sstream>

#include "remit/hash.hpp"
#include "remit/party.hpp"
#include "remit/text.hpp"
#include "scope/detail.hpp"

namespace remit {
namespace {

using scope_detail::LocalText;

constexpr size_t kMaxErrors = 25;
constexpr size_t kMaxScopeBytes = 4u << 20;

class Reader {
 public:
  explicit Reader(std::string name) : name_(std::move(name)) {}

  void error(const toml::source_region& where, std::string_view field, std::string_view problem) {
    if (errors_.size() >= kMaxErrors) return;
    if (where.begin.line > 0)
      errors_.push_back(fmt::format("{}:{}:{}: {}: {}", name_, where.begin.line, where.begin.column, field, problem));
    else
      errors_.push_back(fmt::format("{}: {}: {}", name_, field, problem));
  }
  void error(const toml::node& n, std::string_view field, std::string_view problem) {
    error(n.source(), field, problem);
  }

  [[nodiscard]] bool ok() const { return errors_.empty(); }
  [[nodiscard]] std::string message() const {
    std::string out;
    for (size_t i = 0; i < errors_.size(); ++i) {
      if (i) out += '\n';
      out += errors_[i];
    }
    return out;
  }

  // Every key of `t` must be in `allowed`.
  void keys(const toml::table& t, std::string_view path, std::initializer_list<std::string_view> allowed) {
    for (auto&& [k, v] : t) {
      bool known = false;
      for (auto a : allowed) known = known || k.str() == a;
      if (!known) {
        std::string list;
        for (auto a : allowed) list += (list.empty() ? "" : ", ") + std::string(a);
        error(k.source(), join(path, k.str()), fmt::format("unknown field (expected one of: {})", list));
      }
    }
  }

  static std::string join(std::string_view path, std::string_view key) {
    return path.empty() ? std::string(key) : fmt::format("{}.{}", path, key);
  }

  const toml::table* table(const toml::table& parent, std::string_view key, std::string_view path) {
    const toml::node* n = parent.get(key);
    if (!n) return nullptr;
    if (!n->is_table()) {
      error(*n, join(path, key), "expected a table");
      return nullptr;
    }
    return n->as_table();
  }

  void str(const toml::table& t, std::string_view key, std::string_view path, std::string& out) {
    const toml::node* n = t.get(key);
    if (!n) return;
    if (!n->is_string()) return error(*n, join(path, key), "expected a string");
    out = std::string(trim(n->as_string()->get()));
  }

  void boolean(const toml::table& t, std::string_view key, std::string_view path, bool& out) {
    const toml::node* n = t.get(key);
    if (!n) return;
    if (!n->is_boolean()) return error(*n, join(path, key), "expected true or false");
    out = n->as_boolean()->get();
  }

  std::optional<int64_t> integer(const toml::table& t, std::string_view key, std::string_view path, int64_t lo,
                                 int64_t hi) {
    const toml::node* n = t.get(key);
    if (!n) return std::nullopt;
    if (!n->is_integer()) {
      error(*n, join(path, key), "expected a whole number");
      return std::nullopt;
    }
    const int64_t v = n->as_integer()->get();
    if (v < lo || v > hi) {
      error(*n, join(path, key), fmt::format("must be between {} and {}", lo, hi));
      return std::nullopt;
    }
    return v;
  }

  // A string token from a fixed list.
  void token(const toml::table& t, std::string_view key, std::string_view path,
             std::initializer_list<std::string_view> allowed, std::string& out) {
    const toml::node* n = t.get(key);
    if (!n) return;
    if (!n->is_string()) return error(*n, join(path, key), "expected a string");
    const std::string v(trim(n->as_string()->get()));
    for (auto a : allowed)
      if (v == a) {
        out = v;
        return;
      }
    std::string list;
    for (auto a : allowed) list += (list.empty() ? "" : ", ") + std::string(a);
    error(*n, join(path, key), fmt::format("'{}' is not one of: {}", printable(v), list));
  }

  std::vector<std::string> str_array(const toml::table& t, std::string_view key, std::string_view path) {
    std::vector<std::string> out;
    const toml::node* n = t.get(key);
    if (!n) return out;
    if (!n->is_array()) {
      error(*n, join(path, key), "expected an array of strings");
      return out;
    }
    size_t i = 0;
    for (const toml::node& e : *n->as_array()) {
      ++i;
      if (!e.is_string()) {
        error(e, fmt::format("{}[{}]", join(path, key), i), "expected a string");
        continue;
      }
      out.emplace_back(trim(e.as_string()->get()));
    }
    return out;
  }

  // A date or date-time node (TOML value or string) as LocalText.
  std::optional<LocalText> when(const toml::node& n, std::string_view field, bool allow_time = true) {
    LocalText t;
    if (const auto* d = n.as_date()) {
      const toml::date v = d->get();
      auto p = scope_detail::parse_local_text(fmt::format("{:04}-{:02}-{:02}", v.year, v.month, v.day));
      if (!p) {
        error(n, field, "date out of range (1970 to 2199)");
        return std::nullopt;
      }
      return p;
    }
    if (const auto* dt = n.as_date_time()) {
      if (!allow_time) {
        error(n, field, "expected a date (YYYY-MM-DD) without a time");
        return std::nullopt;
      }
      const toml::date_time v = dt->get();
      if (v.time.nanosecond != 0) {
        error(n, field, "fractions of a second are not supported");
        return std::nullopt;
      }
      std::string text = fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}", v.date.year, v.date.month, v.date.day,
                                     v.time.hour, v.time.minute, v.time.second);
      if (v.offset) {
        const int m = v.offset->minutes;
        text += m == 0 ? std::string("Z")
                       : fmt::format("{}{:02}:{:02}", m < 0 ? '-' : '+', std::abs(m) / 60, std::abs(m) % 60);
      }
      auto p = scope_detail::parse_local_text(text);
      if (!p) error(n, field, "date out of range (1970 to 2199)");
      return p;
    }
    if (const auto* s = n.as_string()) {
      auto p = scope_detail::parse_local_text(trim(s->get()));
      if (!p) {
        error(n, field,
              fmt::format("'{}' is not a date (YYYY-MM-DD) or date-time (YYYY-MM-DDTHH:MM[:SS][Z|+HH:MM])",
                          printable(s->get())));
        return std::nullopt;
      }
      if (!allow_time && p->has_time) {
        error(n, field, "expected a date (YYYY-MM-DD) without a time");
        return std::nullopt;
      }
      return p;
    }
    if (n.is_time()) {
      error(n, field, "a time of day needs a date");
      return std::nullopt;
    }
    error(n, field, allow_time ? "expected a date or date-time" : "expected a date (YYYY-MM-DD)");
    return std::nullopt;
  }

  // A point in time: text as written (canonical) plus UTC ms in `tz`.
  void instant(const toml::table& t, std::string_view key, std::string_view path, std::string_view tz,
               std::string& text, std::optional<int64_t>& ms) {
    const toml::node* n = t.get(key);
    if (!n) return;
    const std::string field = join(path, key);
    auto lt = when(*n, field);
    if (!lt) return;
    text = scope_detail::format_local_text(*lt);
    if (!tz_ok_) return;
    auto r = scope_detail::resolve_instant(*lt, tz, scope_detail::Pick::earliest);
    if (!r) return error(*n, field, r.error().message);
    ms = *r;
  }

  void date_text(const toml::table& t, std::string_view key, std::string_view path, std::string& out) {
    const toml::node* n = t.get(key);
    if (!n) return;
    auto lt = when(*n, join(path, key), /*allow_time=*/false);
    if (lt) out = scope_detail::format_local_text(*lt);
  }

  bool tz_ok_ = true;

 private:
  std::string name_;
  std::vector<std::string> errors_;
};

void read_officer(Reader& r, const toml::table& auth, std::string_view key, Officer& o) {
  const std::string path = Reader::join("authorisation", key);
  const toml::table* t = r.table(auth, key, "authorisation");
  if (!t) return;
  r.keys(*t, path, {"name", "rank", "number"});
  r.str(*t, "name", path, o.name);
  r.str(*t, "rank", path, o.rank);
  r.str(*t, "number", path, o.number);
}

bool valid_line_id(std::string_view id) {
  if (id.empty() || id.size() > 64) return false;
  for (char c : id)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.')) return false;
  return true;
}

constexpr std::string_view kEverything[] = {"all", "everything", "*", "any", "full_extraction", "whole_device"};

void read_line(Reader& r, const toml::table& t, size_t index, Scope& scope, const PartyNormaliser& norm,
               std::set<std::string>& ids) {
  LineOfEnquiry line;
  const std::string path = fmt::format("line[{}]", index);
  r.keys(t, path,
         {"id", "purpose", "purpose_plain", "belief", "basis", "less_intrusive", "categories", "parties", "windows",
          "tolerance", "keywords", "group_chats", "include_undated", "exceptional_window_justification"});
  r.str(t, "id", path, line.id);
  if (const toml::node* n = t.get("id"); !n) {
    r.error(t.source(), path, "missing field 'id' (each line of enquiry needs an id, e.g. \"L1\")");
  } else if (n->is_string() && !valid_line_id(line.id)) {
    r.error(*n, path + ".id", "use 1 to 64 letters, digits, '-', '_' or '.'");
  } else if (n->is_string() && !ids.insert(line.id).second) {
    r.error(*n, path + ".id", fmt::format("duplicate line id '{}'", line.id));
  }
  r.str(t, "purpose", path, line.purpose);
  r.str(t, "purpose_plain", path, line.purpose_plain);
  r.str(t, "belief", path, line.belief);
  r.str(t, "basis", path, line.basis);
  r.str(t, "exceptional_window_justification", path, line.exceptional_window_justification);
  r.boolean(t, "include_undated", path, line.include_undated);

  if (const toml::node* n = t.get("less_intrusive")) {
    if (!n->is_array()) {
      r.error(*n, path + ".less_intrusive", "expected an array of tables {means, why_not}");
    } else {
      size_t i = 0;
      for (const toml::node& e : *n->as_array()) {
        const std::string p = fmt::format("{}.less_intrusive[{}]", path, ++i);
        if (!e.is_table()) {
          r.error(e, p, "expected a table {means = \"...\", why_not = \"...\"}");
          continue;
        }
        LessIntrusiveMeans m;
        r.keys(*e.as_table(), p, {"means", "why_not"});
        r.str(*e.as_table(), "means", p, m.means);
        r.str(*e.as_table(), "why_not", p, m.why_not);
        line.less_intrusive.push_back(std::move(m));
      }
    }
  }

  if (const toml::node* n = t.get("categories")) {
    if (!n->is_array()) {
      r.error(*n, path + ".categories", "expected an array of category tokens");
    } else {
      size_t i = 0;
      for (const toml::node& e : *n->as_array()) {
        const std::string p = fmt::format("{}.categories[{}]", path, ++i);
        if (!e.is_string()) {
          r.error(e, p, "expected a category token");
          continue;
        }
        const std::string tok = ascii_lower(trim(e.as_string()->get()));
        bool every = false;
        for (auto ev : kEverything) every = every || tok == ev;
        if (every) {
          line.everything = true;
          continue;
        }
        auto c = parse_category(tok);
        if (!c) {
          r.error(e, p,
                  fmt::format("unknown category '{}' (expected message, call, contact, media, web_visit, location, "
                              "note, calendar or email)",
                              printable(tok)));
          continue;
        }
        if (std::find(line.categories.begin(), line.categories.end(), *c) == line.categories.end())
          line.categories.push_back(*c);
      }
    }
  }
  if (line.everything) line.categories.assign(kAllCategories.begin(), kAllCategories.end());

  if (const toml::node* n = t.get("parties")) {
    if (!n->is_array()) {
      r.error(*n, path + ".parties", "expected an array of identifiers or {id, label} tables");
    } else {
      size_t i = 0;
      for (const toml::node& e : *n->as_array()) {
        const std::string p = fmt::format("{}.parties[{}]", path, ++i);
        ScopeParty party;
        if (e.is_string()) {
          party.raw = std::string(trim(e.as_string()->get()));
        } else if (e.is_table()) {
          r.keys(*e.as_table(), p, {"id", "label"});
          r.str(*e.as_table(), "id", p, party.raw);
          r.str(*e.as_table(), "label", p, party.label);
        } else {
          r.error(e, p, "expected an identifier string or a table {id = \"...\", label = \"...\"}");
          continue;
        }
        party.id = norm.normalise(party.raw);
        if (party.id.value.empty()) {
          r.error(e, p, "empty identifier");
          continue;
        }
        line.parties.push_back(std::move(party));
      }
    }
  }

  if (const toml::node* n = t.get("windows")) {
    if (!n->is_array()) {
      r.error(*n, path + ".windows", "expected an array of tables {start, end}");
    } else {
      size_t i = 0;
      for (const toml::node& e : *n->as_array()) {
        const std::string p = fmt::format("{}.windows[{}]", path, ++i);
        if (!e.is_table()) {
          r.error(e, p, "expected a table {start = ..., end = ...}");
          continue;
        }
        const toml::table& w = *e.as_table();
        r.keys(w, p, {"start", "end"});
        const toml::node* s = w.get("start");
        const toml::node* en = w.get("end");
        if (!s || !en) {
          r.error(e, p, "a window needs both 'start' and 'end'");
          continue;
        }
        auto ls = r.when(*s, p + ".start");
        auto le = r.when(*en, p + ".end");
        if (!ls || !le || !r.tz_ok_) continue;
        auto win =
            make_window(scope_detail::format_local_text(*ls), scope_detail::format_local_text(*le), scope.time_zone);
        if (!win) {
          r.error(*en, p, win.error().message);
          continue;
        }
        line.windows.push_back(std::move(*win));
      }
    }
  }

  if (const toml::node* n = t.get("tolerance")) {
    if (n->is_integer() && n->as_integer()->get() == 0) {
      line.tolerance_ms = 0;
    } else if (!n->is_string()) {
      r.error(*n, path + ".tolerance", "expected a duration such as \"0\", \"30m\", \"2h\" or \"1d\"");
    } else if (auto d = scope_detail::parse_duration(trim(n->as_string()->get()))) {
      line.tolerance_ms = *d;
    } else {
      r.error(*n, path + ".tolerance",
              fmt::format("'{}' is not a duration (use \"0\", \"45s\", \"30m\", \"2h\", \"1h30m\" or \"1d\")",
                          printable(n->as_string()->get())));
    }
  }

  if (const toml::node* n = t.get("group_chats")) {
    std::string g;
    r.token(t, "group_chats", path, {"sent_by_party", "whole_conversation"}, g);
    if (g == "whole_conversation") line.group_rule = GroupRule::whole_conversation;
    (void)n;
  }

  if (const toml::node* n = t.get("keywords")) {
    if (!n->is_array()) {
      r.error(*n, path + ".keywords", "expected an array of words or {pattern, regex, proposed_by} tables");
    } else {
      size_t i = 0;
      for (const toml::node& e : *n->as_array()) {
        const std::string p = fmt::format("{}.keywords[{}]", path, ++i);
        Keyword k;
        if (e.is_string()) {
          k.pattern = std::string(e.as_string()->get());
        } else if (e.is_table()) {
          const toml::table& kt = *e.as_table();
          r.keys(kt, p, {"pattern", "regex", "proposed_by"});
          if (const toml::node* pn = kt.get("pattern"); pn && pn->is_string())
            k.pattern = std::string(pn->as_string()->get());
          else
            r.error(e, p + ".pattern", "expected a string");
          r.boolean(kt, "regex", p, k.regex);
          r.token(kt, "proposed_by", p, {"investigation", "prosecutor", "defence"}, k.proposed_by);
        } else {
          r.error(e, p, "expected a word or a table {pattern = \"...\", regex = true}");
          continue;
        }
        if (trim(k.pattern).empty()) {
          r.error(e, p, "empty keyword");
          continue;
        }
        if (k.regex) {
          RE2::Options opts;
          opts.set_log_errors(false);
          RE2 re(k.pattern, opts);
          if (!re.ok()) {
            r.error(e, p, fmt::format("invalid RE2 regular expression: {}", re.error()));
            continue;
          }
        }
        line.keywords.push_back(std::move(k));
      }
    }
  }
  scope.lines.push_back(std::move(line));
}

}  // namespace

Result<TimeWindow> make_window(std::string_view start_text, std::string_view end_text, std::string_view time_zone) {
  auto s = scope_detail::parse_local_text(trim(start_text));
  auto e = scope_detail::parse_local_text(trim(end_text));
  if (!s)
    return make_error(Errc::malformed,
                      fmt::format("window start '{}' is not a date or date-time", printable(start_text)));
  if (!e)
    return make_error(Errc::malformed, fmt::format("window end '{}' is not a date or date-time", printable(end_text)));
  auto sm = scope_detail::resolve_instant(*s, time_zone, scope_detail::Pick::earliest);
  if (!sm) return sm.error();
  // A date-only end includes that whole local day; a repeated local end
  // time takes its later reading, so the window covers all it says.
  auto em = e->has_time ? scope_detail::resolve_instant(*e, time_zone, scope_detail::Pick::latest)
                        : scope_detail::start_of_next_day(*e, time_zone);
  if (!em) return em.error();
  if (*em <= *sm)
    return make_error(Errc::malformed,
                      fmt::format("window ends ({}) before or when it starts ({})", scope_detail::format_local_text(*e),
                                  scope_detail::format_local_text(*s)));
  TimeWindow w;
  w.start_ms = *sm;
  w.end_ms = *em;
  w.start_text = scope_detail::format_local_text(*s);
  w.end_text = scope_detail::format_local_text(*e);
  return w;
}

Result<Scope> parse_scope(std::string_view toml_text, const std::filesystem::path& name) {
  const std::string display = name.string();
  if (toml_text.size() > kMaxScopeBytes)
    return make_error(Errc::too_large, fmt::format("{}: scope file larger than {} bytes", display, kMaxScopeBytes));
  toml::table root;
  try {
    root = toml::parse(toml_text, display);
  } catch (const toml::parse_error& e) {
    return make_error(Errc::malformed, fmt::format("{}:{}:{}: not valid TOML: {}", display, e.source().begin.line,
                                                   e.source().begin.column, e.description()));
  } catch (const std::exception& e) {
    return make_error(Errc::malformed, fmt::format("{}: not valid TOML: {}", display, e.what()));
  }

  Scope scope;
  Reader r(display);
  try {
    r.keys(root, "",
           {"remit_scope", "case", "device", "user", "agreement", "authorisation", "line", "handling", "version"});
    if (auto f = r.integer(root, "remit_scope", "", 1, 1000); f && *f != 1)
      r.error(root.get("remit_scope")->source(), "remit_scope",
              fmt::format("format {} is not supported (this remit reads format 1)", *f));

    // The case first: the time zone and region govern everything else.
    const toml::table* c = r.table(root, "case", "");
    if (!c) {
      r.error(root.source(), "case", "missing table [case] (reference, time_zone, incident_start, ...)");
      r.tz_ok_ = false;
    } else {
      r.keys(*c, "case", {"reference", "offence", "time_zone", "region", "incident_start", "incident_end"});
      r.str(*c, "reference", "case", scope.case_reference);
      r.str(*c, "offence", "case", scope.offence);
      r.str(*c, "time_zone", "case", scope.time_zone);
      if (const toml::node* n = c->get("time_zone")) {
        if (n->is_string() && !scope_detail::valid_time_zone(scope.time_zone)) {
          r.error(*n, "case.time_zone",
                  fmt::format("'{}' is not an IANA time zone (e.g. Europe/London)", printable(scope.time_zone)));
          r.tz_ok_ = false;
        }
      } else {
        r.error(c->source(), "case.time_zone",
                "missing: the IANA time zone the case's dates are in, e.g. \"Europe/London\"");
        r.tz_ok_ = false;
      }
      r.str(*c, "region", "case", scope.region);
      if (const toml::node* n = c->get("region"); n && n->is_string()) {
        bool ok = scope.region.size() == 2;
        for (char ch : scope.region) ok = ok && std::isalpha(static_cast<unsigned char>(ch));
        if (!ok) r.error(*n, "case.region", "expected an ISO 3166 two-letter region such as \"GB\"");
        for (char& ch : scope.region) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
      }
      r.instant(*c, "incident_start", "case", scope.time_zone, scope.incident_start_text, scope.incident_start_ms);
      r.instant(*c, "incident_end", "case", scope.time_zone, scope.incident_end_text, scope.incident_end_ms);
      if (const toml::node* n = c->get("incident_end")) {
        // A date-only incident end covers that whole day, like a window end.
        if (auto lt = scope_detail::parse_local_text(scope.incident_end_text); lt && !lt->has_time && r.tz_ok_) {
          if (auto nx = scope_detail::start_of_next_day(*lt, scope.time_zone)) scope.incident_end_ms = *nx;
        }
        if (scope.incident_start_ms && scope.incident_end_ms && *scope.incident_end_ms < *scope.incident_start_ms)
          r.error(*n, "case.incident_end", "the incident ends before it starts");
      }
    }

    if (const toml::table* d = r.table(root, "device", "")) {
      r.keys(*d, "device", {"exhibit", "description"});
      r.str(*d, "exhibit", "device", scope.exhibit_reference);
      r.str(*d, "description", "device", scope.device_description);
    }

    if (const toml::table* u = r.table(root, "user", "")) {
      r.keys(*u, "user", {"role", "age", "capacity", "no_contact_with"});
      r.token(*u, "role", "user", {"complainant", "witness", "suspect"}, scope.user.role);
      if (auto a = r.integer(*u, "age", "user", 0, 130)) scope.user.age = static_cast<int>(*a);
      r.boolean(*u, "capacity", "user", scope.user.has_capacity);
      scope.user.no_contact_with = r.str_array(*u, "no_contact_with", "user");
    }

    if (const toml::table* a = r.table(root, "agreement", "")) {
      r.keys(*a, "agreement",
             {"given_by", "form", "time", "notice_version", "responsible_adult", "responsible_adult_agreement",
              "users_own_views", "withdrawn", "withdrawn_time"});
      r.str(*a, "given_by", "agreement", scope.agreement.given_by);
      r.token(*a, "form", "agreement", {"written", "oral"}, scope.agreement.form);
      r.instant(*a, "time", "agreement", scope.time_zone, scope.agreement.time_text, scope.agreement.time_ms);
      if (const toml::node* n = a->get("notice_version")) {
        if (n->is_integer())
          scope.agreement.notice_version = std::to_string(n->as_integer()->get());
        else if (n->is_string())
          scope.agreement.notice_version = std::string(trim(n->as_string()->get()));
        else
          r.error(*n, "agreement.notice_version", "expected a version number or string");
      }
      r.str(*a, "responsible_adult", "agreement", scope.agreement.responsible_adult);
      r.str(*a, "responsible_adult_agreement", "agreement", scope.agreement.responsible_adult_agreement);
      r.str(*a, "users_own_views", "agreement", scope.agreement.users_own_views);
      r.boolean(*a, "withdrawn", "agreement", scope.agreement.withdrawn);
      std::optional<int64_t> wms;
      r.instant(*a, "withdrawn_time", "agreement", scope.time_zone, scope.agreement.withdrawn_time_text, wms);
    }

    if (const toml::table* a = r.table(root, "authorisation", "")) {
      r.keys(*a, "authorisation",
             {"requesting_officer", "requested_by", "request_reference", "in_anticipation_of_prosecutor",
              "sanctioning_officer", "sanction_time", "sanction_reasons"});
      read_officer(r, *a, "requesting_officer", scope.authorisation.requesting);
      r.token(*a, "requested_by", "authorisation", {"investigation", "prosecutor", "defence"},
              scope.authorisation.requested_by);
      r.str(*a, "request_reference", "authorisation", scope.authorisation.request_reference);
      r.boolean(*a, "in_anticipation_of_prosecutor", "authorisation",
                scope.authorisation.in_anticipation_of_prosecutor);
      read_officer(r, *a, "sanctioning_officer", scope.authorisation.sanctioning);
      r.instant(*a, "sanction_time", "authorisation", scope.time_zone, scope.authorisation.sanction_time_text,
                scope.authorisation.sanction_time_ms);
      r.str(*a, "sanction_reasons", "authorisation", scope.authorisation.sanction_reasons);
    }

    PartyNormaliser norm(scope.region.size() == 2 ? scope.region : "GB");
    if (const toml::node* n = root.get("line")) {
      if (!n->is_array()) {
        r.error(*n, "line", "expected [[line]] tables (an array of lines of enquiry)");
      } else {
        std::set<std::string> ids;
        size_t i = 0;
        for (const toml::node& e : *n->as_array()) {
          ++i;
          if (!e.is_table()) {
            r.error(e, fmt::format("line[{}]", i), "expected a table");
            continue;
          }
          read_line(r, *e.as_table(), i, scope, norm, ids);
        }
      }
    }

    if (const toml::table* h = r.table(root, "handling", "")) {
      r.keys(*h, "handling",
             {"retention_basis", "review_date", "delete_out_of_scope_by", "device_return_target", "who_will_see",
              "contact", "advocate_service"});
      r.str(*h, "retention_basis", "handling", scope.handling.retention_basis);
      r.date_text(*h, "review_date", "handling", scope.handling.review_date);
      r.date_text(*h, "delete_out_of_scope_by", "handling", scope.handling.delete_out_of_scope_by);
      r.date_text(*h, "device_return_target", "handling", scope.handling.device_return_target);
      scope.handling.who_will_see = r.str_array(*h, "who_will_see", "handling");
      r.str(*h, "contact", "handling", scope.handling.contact);
      r.str(*h, "advocate_service", "handling", scope.handling.advocate_service);
    }

    if (const toml::table* v = r.table(root, "version", "")) {
      r.keys(*v, "version", {"number", "parent", "justification"});
      if (auto n = r.integer(*v, "number", "version", 1, 1000000)) scope.version = static_cast<int>(*n);
      if (auto p = r.integer(*v, "parent", "version", 1, 1000000)) scope.parent_version = static_cast<int>(*p);
      r.str(*v, "justification", "version", scope.change_justification);
      if (scope.parent_version && *scope.parent_version >= scope.version)
        r.error(*v, "version.parent", "the parent version must be lower than this version's number");
    }
  } catch (const std::exception& e) {
    return make_error(Errc::internal, fmt::format("{}: unexpected failure reading the scope: {}", display, e.what()));
  }

  if (!r.ok()) return make_error(Errc::malformed, r.message());
  scope.path = name;
  scope.text = std::string(toml_text);
  scope.sha256 = sha256_hex(toml_text);
  return scope;
}

Result<Scope> load_scope(const std::filesystem::path& path) {
  std::error_code ec;
  if (!std::filesystem::exists(path, ec))
    return make_error(Errc::not_found, fmt::format("{}: no such scope file", path.string()));
  if (std::filesystem::is_directory(path, ec))
    return make_error(Errc::usage, fmt::format("{}: is a folder, not a scope file", path.string()));
  const auto size = std::filesystem::file_size(path, ec);
  if (ec) return make_error(Errc::io, fmt::format("{}: cannot read: {}", path.string(), ec.message()));
  if (size > kMaxScopeBytes)
    return make_error(Errc::too_large,
                      fmt::format("{}: scope file larger than {} bytes", path.string(), kMaxScopeBytes));
  std::ifstream in(path, std::ios::binary);
  if (!in) return make_error(Errc::io, fmt::format("{}: cannot open for reading", path.string()));
  std::ostringstream ss;
  ss << in.rdbuf();
  if (in.bad()) return make_error(Errc::io, fmt::format("{}: read error", path.string()));
  return parse_scope(ss.str(), path);
}

}  // namespace remit
