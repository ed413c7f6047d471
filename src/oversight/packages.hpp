#pragma once
// Reads stats.json from evidence packages (issue 8) for --packages: the
// authorised request breadth per case reference. Tolerant of extra fields;
// the fields read are listed in docs/oversight-format.md.

#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <unordered_map>
#include <vector>

#include "oversight/metrics.hpp"
#include "remit/status.hpp"

namespace remit::oversight {

struct PackageStats {
  std::string case_reference;
  int scope_version = 0;
  Breadth breadth;  // max window days over lines; distinct categories over lines
                    // (9 = all)
  std::filesystem::path file;
};

struct PackageScan {
  std::vector<PackageStats> stats;
  std::vector<std::string> problems;  // "path: reason" (no content)
};

// Finds stats.json at DIR, DIR/*/ and DIR/*/*/ (not following symlinks).
[[nodiscard]] Result<PackageScan> scan_packages(const std::filesystem::path& dir);

// Parses one stats.json text. Errors name the field, never values.
[[nodiscard]] Result<PackageStats> parse_stats_json(const std::string& text);

// Matches packages to cases by case reference (highest scope version wins)
// and returns per-case breadth plus a summary for metrics.json.
void match_packages(const PackageScan& scan, const std::vector<std::string>& case_refs, std::vector<Breadth>& out,
                    nlohmann::json& summary);

}  // namespace remit::oversight
