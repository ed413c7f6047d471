// scope.json (src/package/scope_json.hpp).
#include "package/scope_json.hpp"

#include <nlohmann/json.hpp>

#include "remit/hash.hpp"
#include "remit/timeconv.hpp"

namespace remit::pkg {
namespace {
using json = nlohmann::json;

json officer(const Officer& o) {
  return {{"name", o.name}, {"rank", o.rank}, {"number", o.number}};
}

json opt_time(const std::optional<int64_t>& ms) {
  return ms ? json(format_rfc3339_ms(*ms)) : json(nullptr);
}
}  // namespace

std::string mask_identifier(std::string_view id) {
  const auto at = id.find('@');
  if (at != std::string_view::npos && at > 0) {
    return std::string(id.substr(0, 1)) + "•••" + std::string(id.substr(at));
  }
  size_t digits = 0;
  for (char c : id)
    if (c >= '0' && c <= '9') ++digits;
  if (digits >= 4) {
    std::string out;
    size_t seen = 0;
    for (char c : id) {
      if (c >= '0' && c <= '9') {
        ++seen;
        out += seen + 4 > digits ? std::string(1, c) : std::string("•");
      } else if (c == '+') {
        out += c;
      }
    }
    return out;
  }
  if (id.size() <= 2) return std::string(id);
  return std::string(id.substr(0, 1)) + "•••";
}

std::string scope_to_json(const Scope& s) {
  json j;
  j["format"] = kScopeJsonFormat;
  j["sha256"] = s.sha256.empty() ? sha256_hex(s.text) : s.sha256;
  j["version"] = s.version;
  j["parent_version"] = s.parent_version ? json(*s.parent_version) : json(nullptr);
  j["change_justification"] = s.change_justification;
  j["case"] = {{"reference", s.case_reference},
               {"offence", s.offence},
               {"time_zone", s.time_zone},
               {"region", s.region},
               {"incident",
                {{"start", s.incident_start_text},
                 {"end", s.incident_end_text},
                 {"start_utc", opt_time(s.incident_start_ms)},
                 {"end_utc", opt_time(s.incident_end_ms)}}},
               {"exhibit_reference", s.exhibit_reference},
               {"device_description", s.device_description},
               {"user",
                {{"role", s.user.role},
                 {"age", s.user.age ? json(*s.user.age) : json(nullptr)},
                 {"has_capacity", s.user.has_capacity}}}};
  j["agreement"] = {{"given_by", s.agreement.given_by},
                    {"form", s.agreement.form},
                    {"time", s.agreement.time_text},
                    {"time_utc", opt_time(s.agreement.time_ms)},
                    {"notice_version", s.agreement.notice_version},
                    {"responsible_adult", s.agreement.responsible_adult},
                    {"users_own_views_recorded", !s.agreement.users_own_views.empty()},
                    {"withdrawn", s.agreement.withdrawn}};
  j["authorisation"] = {{"requesting", officer(s.authorisation.requesting)},
                        {"requested_by", s.authorisation.requested_by},
                        {"request_reference", s.authorisation.request_reference},
                        {"sanctioning", officer(s.authorisation.sanctioning)},
                        {"sanction_time", s.authorisation.sanction_time_text},
                        {"sanction_time_utc", opt_time(s.authorisation.sanction_time_ms)},
                        {"sanction_reasons", s.authorisation.sanction_reasons}};
  json lines = json::array();
  for (const auto& l : s.lines) {
    json lim = json::array();
    for (const auto& m : l.less_intrusive) lim.push_back({{"means", m.means}, {"why_not", m.why_not}});
    json cats = json::array();
    for (auto c : l.categories) cats.push_back(std::string(to_string(c)));
    json parties = json::array();
    for (const auto& p : l.parties)
      parties.push_back({{"label", p.label},
                         {"kind", std::string(to_string(p.id.kind))},
                         {"normalised", p.id.value},
                         {"masked", mask_identifier(p.id.value.empty() ? p.raw : p.id.value)}});
    json windows = json::array();
    for (const auto& w : l.windows)
      windows.push_back({{"start", w.start_text},
                         {"end", w.end_text},
                         {"start_utc", format_rfc3339_ms(w.start_ms)},
                         {"end_utc", format_rfc3339_ms(w.end_ms)},
                         {"start_ms", w.start_ms},
                         {"end_ms", w.end_ms}});
    json kws = json::array();
    for (const auto& k : l.keywords)
      kws.push_back({{"pattern", k.pattern}, {"regex", k.regex}, {"proposed_by", k.proposed_by}});
    lines.push_back(
        {{"id", l.id},
         {"purpose", l.purpose},
         {"purpose_plain", l.purpose_plain},
         {"belief", l.belief},
         {"basis", l.basis},
         {"less_intrusive", lim},
         {"categories", cats},
         {"parties", parties},
         {"windows", windows},
         {"tolerance_ms", l.tolerance_ms},
         {"keywords", kws},
         {"group_rule", l.group_rule == GroupRule::whole_conversation ? "whole_conversation" : "sent_by_or_to_party"},
         {"include_undated", l.include_undated},
         {"exceptional_window_justification", l.exceptional_window_justification}});
  }
  j["lines"] = lines;
  j["handling"] = {{"retention_basis", s.handling.retention_basis},
                   {"review_date", s.handling.review_date},
                   {"delete_out_of_scope_by", s.handling.delete_out_of_scope_by},
                   {"device_return_target", s.handling.device_return_target},
                   {"who_will_see", s.handling.who_will_see},
                   {"contact", s.handling.contact},
                   {"advocate_service", s.handling.advocate_service}};
  return j.dump(2, ' ', false, json::error_handler_t::replace) + "\n";
}

}  // namespace remit::pkg
