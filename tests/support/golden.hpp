#pragma once
// Golden, data-driven cases (tests/cases/<case>/). See tests/cases/README.md.

#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace remit::test {

struct GoldenCase {
  std::string name;
  std::filesystem::path dir;
  nlohmann::json spec;  // case.json
};
// Test names print as the case name, not as bytes.
inline void PrintTo(const GoldenCase& c, std::ostream* os) {
  *os << c.name;
}

// All case folders under tests/cases, sorted by name.
std::vector<GoldenCase> golden_cases();

// Materialises `c`'s input into `work` and returns the evidence path to
// open (a folder, tar or zip). Returns "" (and sets `skip_reason`) when the
// case needs conformance data that is absent.
std::filesystem::path build_case_evidence(const GoldenCase& c, const std::filesystem::path& work,
                                          std::string& skip_reason);

// Builds an SQLite database at `db` from an SQL script; if `wal_sql` is
// non-empty, the script's statements are then run in WAL mode and the
// database is copied with its -wal before any checkpoint, so those rows live
// only in the WAL.
void build_sqlite(const std::filesystem::path& db, const std::string& sql, const std::string& wal_sql = {});

// True when `expected` is a subset of `actual`: every key of an expected
// object exists in the actual one and matches; arrays match element-wise
// with equal length; numbers compare with a small tolerance.
bool json_subset(const nlohmann::json& expected, const nlohmann::json& actual, std::string& where);

}  // namespace remit::test
