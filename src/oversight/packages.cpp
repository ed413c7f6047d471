// stats.json reader for --packages (see packages.hpp,
// docs/oversight-format.md).
#include "oversight/packages.hpp"

#include <fmt/format.h>

#include <fstream>
#include <set>
#include <sstream>

#include "remit/text.hpp"
#include "remit/vocabulary.hpp"

namespace remit::oversight {

namespace fs = std::filesystem;
using json = nlohmann::json;

namespace {
const json* field(const json& j, std::initializer_list<const char*> names) {
  for (const char* n : names) {
    auto it = j.find(n);
    if (it != j.end() && !it->is_null()) return &*it;
  }
  return nullptr;
}
}  // namespace

Result<PackageStats> parse_stats_json(const std::string& text) {
  json j = json::parse(text, nullptr, false);
  if (j.is_discarded() || !j.is_object()) return make_error(Errc::malformed, "not a JSON object");
  PackageStats s;
  const json* ref = field(j, {"case_reference", "case_ref"});
  if (!ref || !ref->is_string() || ref->get<std::string>().empty())
    return make_error(Errc::malformed, "case_reference is missing or not a string");
  s.case_reference = ref->get<std::string>();
  if (const json* v = field(j, {"scope_version"})) {
    if (!v->is_number_integer()) return make_error(Errc::malformed, "scope_version is not an integer");
    s.scope_version = v->get<int>();
  }
  const json* lines = field(j, {"lines"});
  if (!lines || !lines->is_array()) return make_error(Errc::malformed, "lines is missing or not an array");
  unsigned mask = 0;
  bool everything = false;
  int32_t days = -1;
  for (const auto& line : *lines) {
    if (!line.is_object()) return make_error(Errc::malformed, "lines[] entry is not an object");
    if (const json* d = field(line, {"authorised_window_days", "window_days", "authorised_days"})) {
      if (!d->is_number() || d->get<double>() < 0)
        return make_error(Errc::malformed, "lines[].window_days is not a number");
      days = std::max(days, static_cast<int32_t>(std::ceil(d->get<double>())));
    }
    if (const json* e = field(line, {"everything"}); e && e->is_boolean() && e->get<bool>()) everything = true;
    if (const json* cats = field(line, {"categories", "authorised_categories"})) {
      if (!cats->is_array()) return make_error(Errc::malformed, "lines[].categories is not an array");
      for (const auto& c : *cats) {
        if (!c.is_string()) return make_error(Errc::malformed, "lines[].categories has a non-string entry");
        const auto tok = ascii_lower(c.get<std::string>());
        if (tok == "all" || tok == "*" || tok == "everything") {
          everything = true;
          continue;
        }
        auto cat = parse_category(tok);
        if (!cat) return make_error(Errc::malformed, "lines[].categories has an unknown category token");
        mask |= 1u << static_cast<unsigned>(*cat);
      }
    }
  }
  s.breadth.days = days;
  const int n = __builtin_popcount(mask);
  s.breadth.categories = everything ? static_cast<int8_t>(kAllCategoryCount)
                         : n > 0    ? static_cast<int8_t>(n)
                                    : static_cast<int8_t>(-1);
  return s;
}

Result<PackageScan> scan_packages(const fs::path& dir) {
  std::error_code ec;
  if (!fs::is_directory(dir, ec))
    return make_error(Errc::not_found, printable(dir.string()) + ": --packages is not a folder");
  PackageScan scan;
  std::vector<fs::path> files;
  auto consider = [&](const fs::path& folder) {
    const fs::path f = folder / "stats.json";
    if (fs::is_regular_file(fs::symlink_status(f, ec))) files.push_back(f);
  };
  consider(dir);
  for (const auto& e : fs::directory_iterator(dir, ec)) {
    if (!e.is_directory(ec) || e.is_symlink(ec)) continue;
    consider(e.path());
    for (const auto& e2 : fs::directory_iterator(e.path(), ec))
      if (e2.is_directory(ec) && !e2.is_symlink(ec)) consider(e2.path());
  }
  std::sort(files.begin(), files.end());
  for (const auto& f : files) {
    std::ifstream in(f, std::ios::binary);
    std::ostringstream ss;
    ss << in.rdbuf();
    if (!in && !in.eof()) {
      scan.problems.push_back(printable(f.string()) + ": cannot read");
      continue;
    }
    auto s = parse_stats_json(ss.str());
    if (!s) {
      scan.problems.push_back(printable(f.string()) + ": " + s.error().message);
      continue;
    }
    s->file = f;
    scan.stats.push_back(std::move(*s));
  }
  return scan;
}

void match_packages(const PackageScan& scan, const std::vector<std::string>& case_refs, std::vector<Breadth>& out,
                    json& summary) {
  std::unordered_map<std::string, const PackageStats*> best;
  for (const auto& s : scan.stats) {
    auto& b = best[s.case_reference];
    if (!b || s.scope_version > b->scope_version) b = &s;
  }
  out.assign(case_refs.size(), Breadth{});
  int64_t matched = 0;
  std::set<std::string> used;
  for (size_t i = 0; i < case_refs.size(); ++i) {
    auto it = best.find(case_refs[i]);
    if (it == best.end()) continue;
    out[i] = it->second->breadth;
    used.insert(it->first);
    ++matched;
  }
  // Counts of packages are not counts of people: not suppressed.
  summary = {{"stats_files_read", scan.stats.size()},
             {"stats_files_rejected", scan.problems.size()},
             {"case_references_in_packages", best.size()},
             {"cases_matched", matched},
             {"package_case_references_not_in_csv", best.size() - used.size()},
             {"rule",
              "highest scope_version per case reference; days = "
              "largest authorised window over lines; "
              "categories = distinct categories over lines"}};
}

}  // namespace remit::oversight
