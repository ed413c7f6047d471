// --packages: request breadth comes from the authorised scope in each evidence
// package's stats.json (issue 8), matched by case reference; the highest scope
// version wins; extra fields are ignored; a malformed file is an error naming
// it.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "oversight/packages.hpp"
#include "support/support.hpp"

using nlohmann::json;
using namespace remit::test;

namespace {
const fs::path kFixture = fs::path(REMIT_SOURCE_DIR) / "tests/fixtures/oversight/hand.csv";

void package(const fs::path& dir, const json& stats) {
  fs::create_directories(dir);
  write_file(dir / "stats.json", stats.dump(2));
  write_file(dir / "manifest.json", "{}");
}
}  // namespace

TEST(OversightPackages, ParseToleratesExtraFields) {
  auto s = remit::oversight::parse_stats_json(
      R"({"case_reference":"X1","scope_version":3,"future":{"a":1},
    "lines":[{"id":"L1","window_days":5,"categories":["message","call"],"count":12},
             {"id":"L2","window_days":40,"categories":["message","media"]}],
    "categories":{"message":{"device":100,"in_scope":12}},"device_return_target":"2024-01-01"})");
  ASSERT_TRUE(s) << s.error().message;
  EXPECT_EQ(s->case_reference, "X1");
  EXPECT_EQ(s->scope_version, 3);
  EXPECT_EQ(s->breadth.days, 40);
  EXPECT_EQ(s->breadth.categories, 3);
  auto all = remit::oversight::parse_stats_json(R"({"case_reference":"X","lines":[{"categories":["all"]}]})");
  ASSERT_TRUE(all);
  EXPECT_EQ(all->breadth.categories, 9);
  EXPECT_FALSE(remit::oversight::parse_stats_json(R"({"lines":[]})"));
  EXPECT_FALSE(remit::oversight::parse_stats_json(R"({"case_reference":"X","lines":[{"categories":["photos"]}]})"));
  EXPECT_FALSE(remit::oversight::parse_stats_json("not json"));
}

// Hand fixture, cohort 2021: B10's CSV request is 3 days, message (bands 0-7, 1
// category). Its package v2 authorised 400 days over message, call, media,
// location (bands 366+, 4-8); v1 (5 days) is older. Exposed cases per days band
// become 0-7: 0, 8-30: 1 (B3), 31-365: 1 (B5), 366+: 1 (B10); per category band
// 1: 1 (B5), 2-3: 1 (B3), 4-8: 1 (B10).
TEST(OversightPackages, AuthorisedBreadthReplacesTheCsv) {
  TempDir d;
  package(d / "pkgs/b10-v1", {{"case_reference", "B10"},
                              {"scope_version", 1},
                              {"lines", {{{"id", "L1"}, {"window_days", 5}, {"categories", {"message"}}}}}});
  package(d / "pkgs/b10-v2", {{"case_reference", "B10"},
                              {"scope_version", 2},
                              {"lines",
                               {{{"id", "L1"}, {"window_days", 400}, {"categories", {"message", "call"}}},
                                {{"id", "L2"}, {"window_days", 30}, {"categories", {"media", "location"}}}}}});
  package(d / "pkgs/other", {{"case_reference", "NOT-IN-CSV"}, {"lines", json::array()}});
  auto r = run_remit({"oversight", kFixture.string(), "--json", "--min-cell", "0", "--data-date", "2021-12-31",
                      "--packages", (d / "pkgs").string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto doc = json::parse(r.out);
  const auto& h = doc["cohorts"][1]["device_requests"]["hazard_ratios"];
  const int days[] = {0, 1, 1, 1, 0}, cats[] = {1, 1, 1, 0, 0};
  for (int i = 0; i < 5; ++i) {
    EXPECT_EQ(h[1 + i]["exposed_cases"]["count"], days[i]) << i;
    EXPECT_EQ(h[6 + i]["exposed_cases"]["count"], cats[i]) << i;
  }
  EXPECT_EQ(doc["packages"]["stats_files_read"], 3);
  EXPECT_EQ(doc["packages"]["cases_matched"], 1);
  EXPECT_EQ(doc["packages"]["package_case_references_not_in_csv"], 1);
  EXPECT_NE(doc["parameters"]["request_breadth_source"].get<std::string>().find("stats.json"), std::string::npos);
}

TEST(OversightPackages, MalformedStatsJsonNamesTheFile) {
  TempDir d;
  fs::create_directories(d / "pkgs/bad");
  write_file(d / "pkgs/bad/stats.json", "{\"case_reference\": 5}");
  auto r = run_remit(
      {"oversight", kFixture.string(), "--json", "--data-date", "2021-12-31", "--packages", (d / "pkgs").string()});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("bad/stats.json: case_reference"), std::string::npos) << r.err;
  r = run_remit({"oversight", kFixture.string(), "--json", "--data-date", "2021-12-31", "--packages",
                 (d / "pkgs").string(), "--lenient"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("package skipped"), std::string::npos) << r.err;
}
