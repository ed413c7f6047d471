// Shared generator plumbing (src/synth/generator.hpp): variant choice, the
// story JSON and the final commit. Moved here from the Android generator so
// every platform writes PATH.story.json the same way.
#include "synth/generator.hpp"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "remit/timeconv.hpp"
#include "remit/version.hpp"

namespace remit::synth {

namespace fs = std::filesystem;

namespace {

using json = nlohmann::ordered_json;

json number_json(const PhoneNumber& p) {
  return json{{"e164", p.e164},
              {"national", p.national},
              {"national_compact", p.national_compact},
              {"international", p.intl_spaced},
              {"digits", p.digits},
              {"whatsapp_jid", p.jid()},
              {"spellings", json::array({p.national, p.intl_spaced, p.e164, p.national_compact, p.jid()})}};
}

std::string story_json_impl(const Story& s, const StoryJsonInfo& info, const TruthWriter& truth) {
  const Clock& clk = s.clock();
  const auto& sc = s.scope();
  json j;
  j["generator"] = {{"command", info.command},
                    {"remit_version", kVersion},
                    {"seed", s.options().seed},
                    {"days", s.options().days},
                    {"contacts", s.options().contacts},
                    {"messages_per_day", s.options().messages_per_day},
                    {"photos", s.options().photos},
                    {"size", info.size},
                    {"format", info.format},
                    {"variants", info.variants}};
  j["container"] = info.container;
  j["time_zone"] = sc.time_zone;
  j["region"] = sc.region;
  j["canary"] = std::string(kCanary);
  j["first_day"] = Clock::iso_date(s.first_day());
  j["extraction_time"] = {{"utc", format_rfc3339_ms(s.extraction_ms())}, {"local", clk.iso_local(s.extraction_ms())}};
  const Person& me = s.owner();
  j["owner"] = {{"name", me.first + " " + me.last}, {"role", "complainant"}, {"number", number_json(me.phone)}};
  const Person& su = s.suspect();
  j["suspect"] = {{"name", su.first + " " + su.last}, {"saved_as", su.display}, {"number", number_json(su.phone)}};
  j["incident"] = {{"start_utc", format_rfc3339_ms(s.incident_start_ms())},
                   {"end_utc", format_rfc3339_ms(s.incident_end_ms())},
                   {"start_local", clk.iso_local(s.incident_start_ms())},
                   {"end_local", clk.iso_local(s.incident_end_ms())}};
  json parties = json::array();
  for (const auto& p : sc.parties) parties.push_back({{"raw", p.raw}, {"e164", p.e164}, {"label", p.label}});
  j["canonical_scope"] = {{"case_reference", sc.case_reference},
                          {"time_zone", sc.time_zone},
                          {"region", sc.region},
                          {"categories", sc.categories},
                          {"parties", parties},
                          {"window",
                           {{"start_date", sc.window_start_date},
                            {"end_date", sc.window_end_date},
                            {"start_utc", format_rfc3339_ms(sc.window_start_ms)},
                            {"end_utc_exclusive", format_rfc3339_ms(sc.window_end_ms)}}},
                          {"one_to_one", "every message and call with the suspect"},
                          {"group_rule", sc.group_rule},
                          {"tolerance_ms", sc.tolerance_ms},
                          {"margin_days", sc.margin_days},
                          {"scope_toml", info.container + ".scope.toml"}};
  json people = json::array();
  for (const auto& p : s.people()) {
    if (p.role == Role::owner) continue;
    json pj{{"id", p.id},
            {"role", std::string(to_string(p.role))},
            {"saved_as", p.display},
            {"in_contacts", p.in_contacts},
            {"whatsapp", p.whatsapp}};
    if (!p.phone.empty()) pj["e164"] = p.phone.e164;
    if (!p.sender_id.empty()) pj["sender_id"] = p.sender_id;
    people.push_back(pj);
  }
  j["people"] = people;
  json groups = json::array();
  for (const auto& g : s.groups()) {
    json m = json::array();
    for (auto id : g.members) m.push_back(s.person(id).phone.e164);
    groups.push_back({{"name", g.name},
                      {"app", g.whatsapp ? "whatsapp" : "mms"},
                      {"jid", g.jid},
                      {"created", Clock::iso_date(g.created)},
                      {"has_suspect", g.has_suspect},
                      {"members", m}});
  }
  j["groups"] = groups;
  j["artifacts"] = info.artifacts;
  json per = json::object();
  for (const auto& [k, n] : truth.per_table()) per[k] = n;
  j["truth"] = {{"items", truth.items()}, {"expected_in_scope", truth.in_scope()}, {"per_parser_table", per}};
  return j.dump(2) + "\n";
}

}  // namespace

Result<std::map<std::string, std::string>> choose_variants(const std::vector<VariantInfo>& table,
                                                           const std::vector<std::string>& names) {
  std::map<std::string, std::string> chosen;  // group -> name
  for (const auto& n : names) {
    const VariantInfo* info = nullptr;
    for (const auto& vi : table)
      if (vi.name == n) info = &vi;
    if (!info) {
      std::string all;
      for (const auto& vi : table) all += (all.empty() ? "" : ", ") + std::string(vi.name);
      return make_error(Errc::usage, fmt::format("unknown --variant '{}' (known: {})", n, all));
    }
    const std::string group(info->group);
    if (auto it = chosen.find(group); it != chosen.end() && it->second != n)
      return make_error(Errc::usage, fmt::format("--variant {} and --variant {} both choose the {} layout; pick one",
                                                 it->second, n, group));
    chosen[group] = n;
  }
  return chosen;
}

std::string story_json(const Story& story, const StoryJsonInfo& info, const TruthWriter& truth) {
  return story_json_impl(story, info, truth);
}

Result<Sidecars> Sidecars::create(const fs::path& out, bool force) {
  auto beside = [&](const char* suffix) {
    fs::path p = out;
    p += suffix;
    return AtomicFile::create(p, force);
  };
  auto truth = beside(".truth.jsonl");
  if (!truth) return truth.error();
  auto story = beside(".story.json");
  if (!story) return story.error();
  auto scope = beside(".scope.toml");
  if (!scope) return scope.error();
  return Sidecars{std::move(*truth), std::move(*story), std::move(*scope)};
}

Status commit_outputs(Sidecars& files, Output& out) {
  AtomicFile &truth = files.truth, &story = files.story, &scope = files.scope;
  const fs::path truth_path = truth.final_path(), story_path = story.final_path(), scope_path = scope.final_path();
  auto undo = [&](std::initializer_list<const fs::path*> paths) {
    std::error_code ec;
    for (const fs::path* p : paths) fs::remove(*p, ec);
  };
  if (auto st = truth.rename_into_place(); !st) return st;
  if (auto st = story.rename_into_place(); !st) {
    undo({&truth_path});
    return st;
  }
  if (auto st = scope.rename_into_place(); !st) {
    undo({&truth_path, &story_path});
    return st;
  }
  if (auto st = out.commit(); !st) {
    undo({&truth_path, &story_path, &scope_path});
    return st;
  }
  return {};
}

}  // namespace remit::synth
