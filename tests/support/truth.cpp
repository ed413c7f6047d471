#include "support/truth.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>

#include "support/support.hpp"

namespace remit::test {

std::vector<TruthRecord> load_truth(const std::filesystem::path& path) {
  std::vector<TruthRecord> out;
  std::istringstream in(read_file(path));
  std::string line;
  size_t n = 0;
  while (std::getline(in, line)) {
    ++n;
    if (line.empty()) continue;
    auto j = nlohmann::json::parse(line, nullptr, false);
    if (j.is_discarded()) {
      ADD_FAILURE() << path << ":" << n << ": not JSON";
      continue;
    }
    TruthRecord r;
    r.expected_in_scope = j.value("expected_in_scope", false);
    j.erase("expected_in_scope");
    auto it = item_from_json_line(j.dump());
    if (!it) {
      ADD_FAILURE() << path << ":" << n << ": " << it.error().message;
      continue;
    }
    r.item = std::move(*it);
    out.push_back(std::move(r));
  }
  return out;
}

namespace {

bool selected(const Item& it, const TruthFilter& f) {
  if (!f.categories.empty() && !f.categories.count(it.category)) return false;
  if (!f.parsers.empty() && !f.parsers.count(it.provenance.parser)) return false;
  return true;
}

std::string time_text(const Timestamp& t) {
  return t.utc_ms ? format_rfc3339_ms(*t.utc_ms) : "undated";
}

std::vector<std::string> party_keys(const Item& it) {
  std::vector<std::string> v;
  for (const auto& p : it.parties) v.push_back(p.normalised + "/" + std::string(to_string(p.role)));
  std::sort(v.begin(), v.end());
  return v;
}

std::vector<std::string> attachment_keys(const Item& it) {
  std::vector<std::string> v;
  for (const auto& a : it.attachments) v.push_back(a.path + (a.missing ? " (missing)" : ""));
  std::sort(v.begin(), v.end());
  return v;
}

std::string join(const std::vector<std::string>& v) {
  std::string s;
  for (const auto& x : v) s += (s.empty() ? "" : ", ") + x;
  return "[" + s + "]";
}

void diff_fields(const Item& want, const Item& got, std::vector<std::string>& out) {
  auto field = [&](const char* name, const std::string& w, const std::string& g) {
    if (w != g) out.push_back(fmt::format("{}: {}: want '{}' got '{}'", want.provenance.locator(), name, w, g));
  };
  field("category", std::string(to_string(want.category)), std::string(to_string(got.category)));
  field("time", time_text(want.time), time_text(got.time));
  field("direction", std::string(to_string(want.direction)), std::string(to_string(got.direction)));
  field("parties", join(party_keys(want)), join(party_keys(got)));
  field("body", want.body, got.body);
  field("outcome", std::string(to_string(want.outcome)), std::string(to_string(got.outcome)));
  const auto dur = [](const std::optional<double>& d) { return d ? fmt::format("{:.3f}", *d) : std::string("-"); };
  field("duration_s", dur(want.duration_s), dur(got.duration_s));
  field("url", want.url, got.url);
  if (want.category == Category::web_visit || want.category == Category::media) field("title", want.title, got.title);
  field("file.path", want.file ? want.file->path : "", got.file ? got.file->path : "");
  field("attachments", join(attachment_keys(want)), join(attachment_keys(got)));
  field("system", want.system ? "true" : "false", got.system ? "true" : "false");
  field("group", want.group ? "true" : "false", got.group ? "true" : "false");
  field("deleted", want.deleted ? "true" : "false", got.deleted ? "true" : "false");
  field("recovered", want.recovered ? "true" : "false", got.recovered ? "true" : "false");
}

}  // namespace

TruthDiff compare_with_truth(const std::vector<Item>& parsed, const std::vector<TruthRecord>& truth,
                             const TruthFilter& filter) {
  TruthDiff d;
  std::multimap<std::string, const Item*> by_loc;
  for (const auto& it : parsed) {
    if (!selected(it, filter)) continue;
    ++d.parsed;
    by_loc.emplace(it.provenance.locator(), &it);
  }
  std::set<std::string> seen;
  for (const auto& r : truth) {
    if (!selected(r.item, filter)) continue;
    ++d.expected;
    const std::string loc = r.item.provenance.locator();
    seen.insert(loc);
    const auto n = by_loc.count(loc);
    if (n == 0) {
      d.problems.push_back(loc + ": not found by the parser");
      continue;
    }
    if (n > 1) d.problems.push_back(fmt::format("{}: parsed {} times", loc, n));
    std::vector<std::string> diffs;
    diff_fields(r.item, *by_loc.find(loc)->second, diffs);
    if (diffs.empty() && n == 1) ++d.matched;
    d.problems.insert(d.problems.end(), diffs.begin(), diffs.end());
  }
  for (const auto& [loc, it] : by_loc)
    if (!seen.count(loc)) d.problems.push_back(loc + ": parsed but not in the truth");
  if (d.problems.size() > 50) d.problems.resize(50);
  return d;
}

}  // namespace remit::test
