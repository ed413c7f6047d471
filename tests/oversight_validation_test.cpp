// Validation: every error names its line and column (and never the value);
// --lenient skips and counts; nothing is written on failure.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "support/support.hpp"

using namespace remit::test;

namespace {

const std::string kHeader =
    "case_ref,reported_at,recorded_as_crime,suspect_identified_at,device_"
    "requested_at,request_days,"
    "request_categories,device_refused,device_taken_at,device_returned_at,"
    "withdrawn_at,withdrawal_reason,nfa_at,"
    "referred_at,charged_at,trial_at,outcome,outcome_at\n";
const std::string kGood = "G1,2021-01-05,yes,,,,,,,,2021-01-09,,,,,,,\n";

// Builds a row from the good one with one column replaced.
std::string row(const std::string& ref, std::map<std::string, std::string> cells) {
  const std::vector<std::string> cols = {"case_ref",
                                         "reported_at",
                                         "recorded_as_crime",
                                         "suspect_identified_at",
                                         "device_requested_at",
                                         "request_days",
                                         "request_categories",
                                         "device_refused",
                                         "device_taken_at",
                                         "device_returned_at",
                                         "withdrawn_at",
                                         "withdrawal_reason",
                                         "nfa_at",
                                         "referred_at",
                                         "charged_at",
                                         "trial_at",
                                         "outcome",
                                         "outcome_at"};
  cells.emplace("case_ref", ref);
  cells.emplace("reported_at", "2021-02-01");
  std::string out;
  for (size_t i = 0; i < cols.size(); ++i) {
    if (i) out += ',';
    out += cells.count(cols[i]) ? cells[cols[i]] : "";
  }
  return out + "\n";
}

struct Case {
  std::string name, csv, column, reason_part;
  int line;
};

}  // namespace

TEST(OversightValidation, EveryErrorNamesLineAndColumn) {
  const std::vector<Case> cases = {
      {"bad date", kHeader + kGood + row("X", {{"withdrawn_at", "2021-13-01"}}), "withdrawn_at", "calendar date", 3},
      {"not a date", kHeader + kGood + row("X", {{"nfa_at", "yesterday"}}), "nfa_at", "ISO 8601", 3},
      {"no offset", kHeader + kGood + row("X", {{"charged_at", "2021-03-01T10:00:00"}}), "charged_at", "offset", 3},
      {"withdrawn before reported", kHeader + kGood + row("X", {{"withdrawn_at", "2021-01-01"}}), "withdrawn_at",
       "before reported_at", 3},
      {"returned before taken",
       kHeader + kGood + row("X", {{"device_taken_at", "2021-02-10"}, {"device_returned_at", "2021-02-05"}}),
       "device_returned_at", "before device_taken_at", 3},
      {"trial before charge", kHeader + kGood + row("X", {{"charged_at", "2021-05-01"}, {"trial_at", "2021-04-01"}}),
       "trial_at", "before charged_at", 3},
      {"same-day times out of order",
       kHeader + kGood +
           row("X", {{"reported_at", "2021-02-01T10:00:00+00:00"}, {"withdrawn_at", "2021-02-01T09:00:00Z"}}),
       "withdrawn_at", "before reported_at", 3},
      {"yes/no", kHeader + kGood + row("X", {{"recorded_as_crime", "maybe"}}), "recorded_as_crime", "yes or no", 3},
      {"integer", kHeader + kGood + row("X", {{"request_days", "7.5"}}), "request_days", "whole number", 3},
      {"category", kHeader + kGood + row("X", {{"request_categories", "message;photos"}}), "request_categories",
       "unknown category", 3},
      {"outcome token", kHeader + kGood + row("X", {{"outcome", "guilty"}}), "outcome", "convicted, acquitted", 3},
      {"outcome_at without outcome", kHeader + kGood + row("X", {{"outcome_at", "2021-06-01"}}), "outcome_at",
       "outcome is empty", 3},
      {"duplicate", kHeader + kGood + row("G1", {}), "case_ref", "duplicate case_ref (first seen on line 2)", 3},
      {"empty case_ref", kHeader + kGood + row("", {}), "case_ref", "empty", 3},
      {"empty reported_at", kHeader + kGood + row("X", {{"reported_at", ""}}), "reported_at", "empty", 3},
      {"future", kHeader + kGood + row("X", {{"withdrawn_at", "2999-01-01"}}), "withdrawn_at", "after today", 3},
      {"quote in field", kHeader + kGood + "X,2021-02-01,ye\"s,,,,,,,,,,,,,,,\n", "recorded_as_crime", "quote", 3},
      {"invalid utf-8", kHeader + kGood + "X,2021-02-01,yes,,,,,,,,,bad \xff reason,,,,,,\n", "withdrawal_reason",
       "UTF-8", 3},
      {"multi-line quoted field, error on the next record",
       kHeader + "M1,2021-01-05,yes,,,,,,,,2021-01-09,\"two\nlines\",,,,,,\n" + row("X", {{"nfa_at", "x"}}), "nfa_at",
       "ISO 8601", 4},
  };
  for (const auto& c : cases) {
    TempDir d;
    write_file(d / "cases.csv", c.csv);
    auto r = run_remit({"oversight", (d / "cases.csv").string(), "--out", (d / "out").string()});
    EXPECT_EQ(r.exit_code, 2) << c.name;
    const std::string want = "cases.csv: line " + std::to_string(c.line) + ", column " + c.column + ":";
    EXPECT_NE(r.err.find(want), std::string::npos) << c.name << "\n" << r.err;
    EXPECT_NE(r.err.find(c.reason_part), std::string::npos) << c.name << "\n" << r.err;
    EXPECT_FALSE(fs::exists(d / "out")) << c.name;
    // No value is echoed.
    EXPECT_EQ(r.err.find("yesterday"), std::string::npos);
    EXPECT_EQ(r.err.find("guilty"), std::string::npos);
    EXPECT_EQ(r.err.find("photos"), std::string::npos);
  }
}

TEST(OversightValidation, WholeRowErrorsNameTheLine) {
  TempDir d;
  write_file(d / "cases.csv", kHeader + kGood + "X,2021-02-01,yes\n\n" + row("Y", {}));
  auto r = run_remit({"oversight", (d / "cases.csv").string(), "--json"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("cases.csv: line 3: has 3 fields; the header has 18"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("cases.csv: line 4: blank line"), std::string::npos) << r.err;
}

TEST(OversightValidation, DataDateAndHeaderErrors) {
  TempDir d;
  write_file(d / "cases.csv", kHeader + kGood + row("X", {{"withdrawn_at", "2021-03-01"}}));
  auto r = run_remit({"oversight", (d / "cases.csv").string(), "--json", "--data-date", "2021-02-15"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("line 3, column withdrawn_at: date is after the data date"), std::string::npos) << r.err;

  write_file(d / "missing.csv", "case_ref,reported_at\nA,2021-01-01\n");
  r = run_remit({"oversight", (d / "missing.csv").string(), "--json"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("missing.csv: line 1: required column(s) missing: recorded_as_crime"), std::string::npos)
      << r.err;

  write_file(d / "dup.csv", "case_ref,case_ref\n");
  r = run_remit({"oversight", (d / "dup.csv").string(), "--json"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("line 1, column 2: duplicate header name"), std::string::npos) << r.err;

  write_file(d / "ok.csv", kHeader + kGood);
  r = run_remit({"oversight", (d / "ok.csv").string(), "--json", "--by", "nosuch"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("--by nosuch: no such column"), std::string::npos) << r.err;
  r = run_remit({"oversight", (d / "ok.csv").string()});
  EXPECT_EQ(r.exit_code, 2);  // neither --out nor --json
  r = run_remit({"oversight", (d / "absent.csv").string(), "--json"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("cannot open"), std::string::npos);
}

TEST(OversightValidation, LenientSkipsAndCounts) {
  TempDir d;
  write_file(d / "cases.csv", kHeader + kGood + row("X", {{"withdrawn_at", "2021-01-01"}}) + row("G1", {}) +
                                  row("Z", {{"recorded_as_crime", "no"}}));
  auto r = run_remit(
      {"oversight", (d / "cases.csv").string(), "--out", (d / "out").string(), "--lenient", "--min-cell", "0"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("skipped: cases.csv: line 3, column withdrawn_at"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("skipped: cases.csv: line 4, column case_ref: duplicate"), std::string::npos) << r.err;
  auto doc = nlohmann::json::parse(read_file(d / "out/metrics.json"));
  const auto& q = doc["data_quality"];
  EXPECT_EQ(q["rows_read"]["count"], 4);
  EXPECT_EQ(q["rows_used"]["count"], 2);
  EXPECT_EQ(q["rows_skipped"]["count"], 2);
  std::map<std::string, int> kinds;
  for (const auto& k : q["skipped_by_kind"]) kinds[k["kind"]] = k["count"];
  EXPECT_EQ(kinds["order"], 1);
  EXPECT_EQ(kinds["duplicate"], 1);
  EXPECT_EQ(doc["parameters"]["lenient"], true);
}

TEST(OversightValidation, OutputFolderIsNeverHalfWritten) {
  TempDir d;
  write_file(d / "cases.csv", kHeader + kGood);
  fs::create_directories(d / "out");
  write_file(d / "out/keep.txt", "x");
  auto r = run_remit({"oversight", (d / "cases.csv").string(), "--out", (d / "out").string()});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("already exists"), std::string::npos);
  EXPECT_TRUE(fs::exists(d / "out/keep.txt"));
  r = run_remit({"oversight", (d / "cases.csv").string(), "--out", (d / "out").string(), "--force"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_FALSE(fs::exists(d / "out/keep.txt"));
  EXPECT_TRUE(fs::exists(d / "out/metrics.json"));
  // No temp folders are left beside --out.
  for (const auto& e : fs::directory_iterator(d.path()))
    EXPECT_EQ(e.path().filename().string().find(".out."), std::string::npos) << e.path();
}
