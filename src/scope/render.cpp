// Writing a Scope back as a scope file (render_scope_toml) and the
// generator's canonical scope (canonical_scope). docs/scope-file.md.
//
// References: TOML v1.0.0 basic strings (escapes \" \\ \b \t \n \f \r and
// \uXXXX for other control characters), offset/local date-time literals,
// arrays of tables.
#include <fmt/format.h>

#include "remit/item.hpp"
#include "remit/scope.hpp"
#include "remit/timeconv.hpp"
#include "scope/detail.hpp"

namespace remit {
namespace {

namespace sd = scope_detail;

std::string q(std::string_view in) {
  std::string s(in);
  sanitize_utf8(s);
  std::string out = "\"";
  for (char c : s) {
    const auto u = static_cast<unsigned char>(c);
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\b':
        out += "\\b";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\f':
        out += "\\f";
        break;
      case '\r':
        out += "\\r";
        break;
      default:
        if (u < 0x20 || u == 0x7f)
          out += fmt::format("\\u{:04X}", u);
        else
          out.push_back(c);
    }
  }
  out += '"';
  return out;
}

// A time as a TOML literal: the text as written when it parses, else the
// instant in UTC.
std::string when(const std::string& text, std::optional<int64_t> ms) {
  if (auto t = sd::parse_local_text(text)) return sd::format_local_text(*t);
  if (ms) {
    std::string s = format_rfc3339_ms(*ms);  // "....T..:..:..sssZ"
    const auto dot = s.find('.');
    if (dot != std::string::npos) s = s.substr(0, dot) + "Z";
    return s;
  }
  return {};
}

void kv(std::string& out, std::string_view key, const std::string& value) {
  if (!value.empty()) out += fmt::format("{} = {}\n", key, q(value));
}
void kv_raw(std::string& out, std::string_view key, const std::string& literal) {
  if (!literal.empty()) out += fmt::format("{} = {}\n", key, literal);
}

std::string str_array(const std::vector<std::string>& v) {
  std::string out = "[";
  for (size_t i = 0; i < v.size(); ++i) out += (i ? ", " : "") + q(v[i]);
  return out + "]";
}

std::string_view group_token(GroupRule g) {
  return g == GroupRule::whole_conversation ? "whole_conversation" : "sent_by_party";
}

// Local text with the zone's offset at that instant: exact and readable.
std::string offset_text(int64_t ms, const std::string& tz) {
  sd::LocalText t = sd::to_local(ms, tz);
  t.offset_min = sd::offset_minutes_at(ms, tz);
  return sd::format_local_text(t);
}

std::string date_text(int64_t ms, const std::string& tz) {
  sd::LocalText t = sd::to_local(ms, tz);
  t.has_time = false;
  return sd::format_local_text(t);
}

// The local calendar date of `ms`, moved by `days` whole days (calendar
// arithmetic, so a daylight-saving change in between cannot shift it).
std::string shifted_date_text(int64_t ms, const std::string& tz, int days) {
  const std::string d = date_text(ms, tz);  // YYYY-MM-DD
  const int64_t n = days_from_civil(std::stoll(d.substr(0, 4)), static_cast<unsigned>(std::stoi(d.substr(5, 2))),
                                    static_cast<unsigned>(std::stoi(d.substr(8, 2)))) +
                    days;
  return format_date_utc(n * 86'400'000);
}

}  // namespace

std::string render_scope_toml(const Scope& s) {
  std::string o;
  o += "# remit scope file: the legal record, the machine filter, the notice text and the\n"
       "# yardstick of the transparency report (docs/scope-file.md).\n";
  o += "remit_scope = 1\n\n[case]\n";
  kv(o, "reference", s.case_reference);
  kv(o, "offence", s.offence);
  kv(o, "time_zone", s.time_zone);
  kv(o, "region", s.region);
  kv_raw(o, "incident_start", when(s.incident_start_text, s.incident_start_ms));
  kv_raw(o, "incident_end", when(s.incident_end_text, s.incident_end_ms));

  o += "\n[device]\n";
  kv(o, "exhibit", s.exhibit_reference);
  kv(o, "description", s.device_description);

  o += "\n[user]\n";
  kv(o, "role", s.user.role);
  if (s.user.age) o += fmt::format("age = {}\n", *s.user.age);
  o += fmt::format("capacity = {}\n", s.user.has_capacity ? "true" : "false");
  if (!s.user.no_contact_with.empty()) o += "no_contact_with = " + str_array(s.user.no_contact_with) + "\n";

  o += "\n[agreement]\n";
  const Agreement& g = s.agreement;
  kv(o, "given_by", g.given_by);
  kv(o, "form", g.form);
  kv_raw(o, "time", when(g.time_text, g.time_ms));
  kv(o, "notice_version", g.notice_version);
  kv(o, "responsible_adult", g.responsible_adult);
  kv(o, "responsible_adult_agreement", g.responsible_adult_agreement);
  kv(o, "users_own_views", g.users_own_views);
  if (g.withdrawn) o += "withdrawn = true\n";
  kv_raw(o, "withdrawn_time", when(g.withdrawn_time_text, std::nullopt));

  o += "\n[authorisation]\n";
  const Authorisation& a = s.authorisation;
  kv(o, "requested_by", a.requested_by);
  kv(o, "request_reference", a.request_reference);
  if (a.in_anticipation_of_prosecutor) o += "in_anticipation_of_prosecutor = true\n";
  kv_raw(o, "sanction_time", when(a.sanction_time_text, a.sanction_time_ms));
  kv(o, "sanction_reasons", a.sanction_reasons);
  for (auto [key, off] : {std::pair{"requesting_officer", &a.requesting}, {"sanctioning_officer", &a.sanctioning}}) {
    if (off->name.empty() && off->rank.empty() && off->number.empty()) continue;
    o += fmt::format("\n[authorisation.{}]\n", key);
    kv(o, "name", off->name);
    kv(o, "rank", off->rank);
    kv(o, "number", off->number);
  }

  for (const auto& l : s.lines) {
    o += "\n[[line]]\n";
    kv(o, "id", l.id);
    kv(o, "purpose", l.purpose);
    kv(o, "purpose_plain", l.purpose_plain);
    kv(o, "belief", l.belief);
    kv(o, "basis", l.basis);
    std::vector<std::string> cats;
    if (l.everything)
      cats.emplace_back("everything");
    else
      for (Category c : l.categories) cats.emplace_back(to_string(c));
    o += "categories = " + str_array(cats) + "\n";
    if (!l.parties.empty()) {
      o += "parties = [\n";
      for (const auto& p : l.parties) {
        const std::string& id = p.raw.empty() ? p.id.value : p.raw;
        if (p.label.empty())
          o += fmt::format("  {},\n", q(id));
        else
          o += fmt::format("  {{ id = {}, label = {} }},\n", q(id), q(p.label));
      }
      o += "]\n";
    }
    o += "windows = [\n";
    for (const auto& w : l.windows)
      o += fmt::format("  {{ start = {}, end = {} }},\n", when(w.start_text, w.start_ms), when(w.end_text, w.end_ms));
    o += "]\n";
    o += fmt::format("tolerance = {}\n", q(sd::format_duration(l.tolerance_ms)));
    o += fmt::format("group_chats = {}\n", q(group_token(l.group_rule)));
    o += fmt::format("include_undated = {}\n", l.include_undated ? "true" : "false");
    if (!l.keywords.empty()) {
      o += "keywords = [\n";
      for (const auto& k : l.keywords) {
        o += fmt::format("  {{ pattern = {}, regex = {}", q(k.pattern), k.regex ? "true" : "false");
        if (!k.proposed_by.empty()) o += fmt::format(", proposed_by = {}", q(k.proposed_by));
        o += " },\n";
      }
      o += "]\n";
    }
    kv(o, "exceptional_window_justification", l.exceptional_window_justification);
    for (const auto& m : l.less_intrusive) {
      o += "\n[[line.less_intrusive]]\n";
      kv(o, "means", m.means);
      kv(o, "why_not", m.why_not);
    }
  }

  o += "\n[handling]\n";
  const Handling& h = s.handling;
  kv(o, "retention_basis", h.retention_basis);
  kv_raw(o, "review_date", when(h.review_date, std::nullopt));
  kv_raw(o, "delete_out_of_scope_by", when(h.delete_out_of_scope_by, std::nullopt));
  kv_raw(o, "device_return_target", when(h.device_return_target, std::nullopt));
  if (!h.who_will_see.empty()) o += "who_will_see = " + str_array(h.who_will_see) + "\n";
  kv(o, "contact", h.contact);
  kv(o, "advocate_service", h.advocate_service);

  o += "\n[version]\n";
  o += fmt::format("number = {}\n", s.version);
  if (s.parent_version) o += fmt::format("parent = {}\n", *s.parent_version);
  kv(o, "justification", s.change_justification);
  return o;
}

Result<Scope> canonical_scope(const CanonicalScopeSpec& spec) {
  if (!sd::valid_time_zone(spec.time_zone))
    return make_error(Errc::usage, fmt::format("canonical scope: unknown time zone '{}'", spec.time_zone));
  if (spec.incident_end_ms < spec.incident_start_ms)
    return make_error(Errc::usage, "canonical scope: the incident ends before it starts");
  if (spec.suspect.empty()) return make_error(Errc::usage, "canonical scope: the suspect's number is empty");
  constexpr int64_t kHour = 3600000, kDay = 24 * kHour;
  const std::string& tz = spec.time_zone;
  const int64_t is = spec.incident_start_ms, ie = spec.incident_end_ms;

  Scope s;
  s.case_reference = spec.case_reference;
  s.offence = "Rape (synthetic case for testing remit)";
  s.time_zone = tz;
  s.region = spec.region;
  s.incident_start_text = offset_text(is, tz);
  s.incident_end_text = offset_text(ie, tz);
  s.exhibit_reference = spec.exhibit_reference;
  s.device_description = spec.device_description;
  s.user.role = "complainant";
  s.user.age = 24;

  s.authorisation.requesting = {"DC Sam Example", "Detective Constable", "SYN101"};
  s.authorisation.requested_by = "investigation";
  s.authorisation.sanctioning = {"DI Alex Example", "Detective Inspector", "SYN202"};
  s.authorisation.sanction_time_text = offset_text(ie + 2 * kDay, tz);
  s.authorisation.sanction_reasons =
      "The complainant says the suspect messaged and called her before and after the incident. Messages and calls "
      "with him over these five days are a reasonable line of enquiry; nothing else is needed.";

  s.agreement.given_by = "the device user";
  s.agreement.form = "written";
  s.agreement.time_text = offset_text(ie + 2 * kDay + 2 * kHour, tz);
  s.agreement.notice_version = "1";

  LineOfEnquiry l;
  l.id = "L1";
  l.purpose =
      "To find messages and calls between the complainant and the suspect around the incident, which may "
      "show contact, arrangements and what was said afterwards.";
  l.purpose_plain = "To find what you and the other person said to each other around the time of the incident.";
  l.belief = "The complainant says the suspect messaged and called her before and after the incident.";
  l.basis = "The complainant's first account.";
  l.less_intrusive.push_back({"Screenshots offered by the complainant",
                              "Screenshots do not show deleted messages or reliable times, which the defence may "
                              "challenge."});
  l.categories = {Category::message, Category::call};
  ScopeParty p;
  p.raw = spec.suspect;
  p.label = "suspect";
  l.parties.push_back(std::move(p));
  // Whole local days, as the notice words it: from the day two days before
  // the incident to the end of the day two days after it.
  auto w = make_window(shifted_date_text(is, tz, -2), shifted_date_text(ie, tz, 2), tz);
  if (!w) return w.error();
  l.windows.push_back(std::move(*w));
  l.group_rule = GroupRule::sent_by_or_to_party;
  s.lines.push_back(std::move(l));

  s.handling.retention_basis = "while the case goes on, and as the law on keeping evidence says";
  s.handling.review_date = date_text(ie + 180 * kDay, tz);
  s.handling.delete_out_of_scope_by = date_text(ie + 30 * kDay, tz);
  s.handling.device_return_target = date_text(ie + 7 * kDay, tz);
  s.handling.who_will_see = {"the officers on the case", "the prosecutor", "the defence, if the case goes to court"};
  s.handling.contact = "DC Sam Example on 0207 946 0999";
  s.handling.advocate_service = "the local ISVA service on 0808 157 0999";
  s.version = 1;

  // Read it back, so the canonical scope is exactly what the file says.
  return parse_scope(render_scope_toml(s), "canonical.scope.toml");
}

}  // namespace remit
