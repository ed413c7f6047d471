// Suppression: with --min-cell 10, no count from 1 to 9 appears in any output
// (metrics.json, every CSV table, dashboard.html), nothing derived from a
// suppressed count is shown, and no suppressed count can be recovered from
// the additive relations the outputs publish (totals and their parts).
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <regex>
#include <sstream>

#include "support/support.hpp"

using nlohmann::json;
using namespace remit::test;

namespace {

constexpr int64_t kN = 10;

struct Published {
  TempDir dir;
  json doc;
};

// Small cohorts split by two grouping columns: many small cells.
Published& published() {
  static Published* p = [] {
    auto* x = new Published;
    auto r = run_remit({"synth", "cases", "--out", (x->dir / "cases.csv").string(), "--seed", "3", "--cohort",
                        "2019:160", "--cohort", "2021:140", "--data-date", "2024-12-31"});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    r = run_remit({"oversight", (x->dir / "cases.csv").string(), "--out", (x->dir / "out").string(), "--by", "force",
                   "--by", "age_band", "--data-date", "2024-12-31"});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    x->doc = json::parse(read_file(x->dir / "out/metrics.json"));
    return x;
  }();
  return *p;
}

bool small(const json& v) {
  return v.is_number_integer() && v.get<int64_t>() > 0 && v.get<int64_t>() < kN;
}

// Visits every object in the document with its JSON pointer.
void walk(const json& j, const std::string& path, const std::function<void(const json&, const std::string&)>& f) {
  if (j.is_object()) {
    f(j, path);
    for (auto it = j.begin(); it != j.end(); ++it) walk(it.value(), path + "/" + it.key(), f);
  } else if (j.is_array()) {
    for (size_t i = 0; i < j.size(); ++i) walk(j[i], path + "/" + std::to_string(i), f);
  }
}

// Count leaves of one subset, by path ("" for null = suppressed).
std::map<std::string, json> counts_of(const json& subset) {
  std::map<std::string, json> out;
  walk(subset, "", [&](const json& o, const std::string& p) {
    if (o.contains("count") && !o.contains("denominator_label")) out[p] = o["count"];
    if (o.contains("denominator_label") && o.contains("count")) out[p + "#num"] = o["count"];
  });
  return out;
}

// One additive relation: total = sum(parts). Not recoverable means: no
// suppressed cell, or at least two, and when the total is shown the suppressed
// parts add up to at least N.
void expect_safe(const json& total, const std::vector<json>& parts, const std::string& what) {
  int suppressed = total.is_null() ? 1 : 0;
  int64_t shown_sum = 0;
  for (const auto& p : parts) {
    if (p.is_null())
      ++suppressed;
    else
      shown_sum += p.get<int64_t>();
  }
  if (suppressed == 0) {
    EXPECT_EQ(total.get<int64_t>(), shown_sum) << what << ": parts do not add up";
    return;
  }
  EXPECT_GE(suppressed, 2) << what << ": a single suppressed cell can be recovered";
  if (!total.is_null()) {
    EXPECT_GE(total.get<int64_t>() - shown_sum, kN) << what << ": suppressed cells are small";
  }
}

}  // namespace

TEST(OversightSuppression, NoSmallCountInMetricsJson) {
  int suppressed = 0, shown = 0;
  walk(published().doc, "", [&](const json& o, const std::string& p) {
    for (const char* key : {"count", "denominator", "at_risk"}) {
      if (!o.contains(key)) continue;
      EXPECT_FALSE(small(o[key])) << p << "/" << key << " = " << o[key];
      (o[key].is_null() ? suppressed : shown)++;
    }
    // Anything derived from a suppressed count is not shown either.
    if (o.contains("denominator_label") && o.contains("count") &&
        (o["count"].is_null() || o["denominator"].is_null())) {
      EXPECT_TRUE(o["share"].is_null()) << p;
      EXPECT_TRUE(o["ci95"].is_null()) << p;
    }
    if (o.contains("hazard_ratio") &&
        (o["exposed_cases"]["count"].is_null() || o["exposed_events"]["count"].is_null())) {
      EXPECT_TRUE(o["hazard_ratio"].is_null()) << p;
    }
    if (o.contains("difference") && o.value("suppressed", false)) {
      EXPECT_TRUE(o["difference"].is_null()) << p;
    }
  });
  EXPECT_GT(suppressed, 50);  // the fixture really exercises suppression
  EXPECT_GT(shown, 50);
}

TEST(OversightSuppression, NoSmallCountInCsvTables) {
  const std::regex count_col(
      "(^|_)(count|denominator|reports|at_risk|exposed_"
      "cases|exposed_events|reference_events)$");
  for (const auto& e : fs::directory_iterator(published().dir / "out")) {
    if (e.path().extension() != ".csv") continue;
    std::istringstream in(read_file(e.path()));
    std::string line;
    std::getline(in, line);
    std::vector<std::string> header;
    {
      std::stringstream hs(line.substr(0, line.find('\r')));
      for (std::string h; std::getline(hs, h, ',');) header.push_back(h);
    }
    // Quoted fields only hold labels without commas in this fixture, so a plain
    // split is enough for the numeric columns checked here.
    while (std::getline(in, line)) {
      if (!line.empty() && line.back() == '\r') line.pop_back();
      std::vector<std::string> cells;
      std::stringstream ls(line);
      for (std::string c; std::getline(ls, c, ',');) cells.push_back(c);
      for (size_t i = 0; i < header.size() && i < cells.size(); ++i) {
        const bool is_count = std::regex_search(header[i], count_col) ||
                              (e.path().filename() == "data_quality.csv" && header[i] == "count");
        if (!is_count || cells[i].empty() || cells[i] == "suppressed") continue;
        if (cells[i].find_first_not_of("0123456789") != std::string::npos) continue;  // a label column
        const long v = std::stol(cells[i]);
        EXPECT_TRUE(v == 0 || v >= kN) << e.path().filename() << " " << header[i] << " = " << v;
      }
    }
  }
}

TEST(OversightSuppression, NoSmallCountInDashboard) {
  const std::string html = read_file(published().dir / "out/dashboard.html");
  const std::regex cell("class=\"n\">([0-9]+)<");
  int seen = 0;
  for (auto it = std::sregex_iterator(html.begin(), html.end(), cell); it != std::sregex_iterator(); ++it) {
    const long v = std::stol((*it)[1]);
    EXPECT_TRUE(v == 0 || v >= kN) << v;
    ++seen;
  }
  EXPECT_GT(seen, 20);
  EXPECT_NE(html.find("suppressed"), std::string::npos);
}

TEST(OversightSuppression, NoSuppressedCellCanBeRecovered) {
  const auto& doc = published().doc;
  // (a) every count of a cohort is the sum of the same count over the groups of
  // each --by column.
  for (const auto& c : doc["cohorts"]) {
    const auto total = counts_of(c);
    for (const std::string col : {"force", "age_band"}) {
      std::vector<std::map<std::string, json>> groups;
      for (const auto& g : doc["groups"])
        if (g["cohort"] == c["cohort"] && g["by"]["column"] == col) groups.push_back(counts_of(g));
      ASSERT_FALSE(groups.empty());
      for (const auto& [path, t] : total) {
        std::vector<json> parts;
        for (const auto& g : groups) parts.push_back(g.at(path));
        expect_safe(t, parts, c["cohort"].get<std::string>() + " by " + col + " " + path);
      }
    }
  }
  // (b) partitions inside each subset.
  auto subsets = doc["cohorts"];
  for (const auto& g : doc["groups"]) subsets.push_back(g);
  for (const auto& s : subsets) {
    const std::string name = s["cohort"].get<std::string>() + (s.contains("by") ? s["by"].dump() : "");
    const auto& dev = s["device_requests"];
    const auto& naive = dev["naive_comparison"];
    expect_safe(s["reports"]["count"], {naive["requested"]["denominator"], naive["not_requested"]["denominator"]},
                name + " requested + not requested = reports");
    expect_safe(s["withdrawal"]["withdrawn"]["count"], {naive["requested"]["count"], naive["not_requested"]["count"]},
                name + " withdrawn split by request");
    const auto& h = dev["hazard_ratios"];
    for (const std::string family : {"request days covered", "request categories", "days held"}) {
      std::vector<json> cases, events;
      for (const auto& c : h)
        if (c["family"] == family) {
          cases.push_back(c["exposed_cases"]["count"]);
          events.push_back(c["exposed_events"]["count"]);
        }
      if (family != "days held") expect_safe(h[0]["exposed_cases"]["count"], cases, name + " " + family + " cases");
      expect_safe(h[0]["exposed_events"]["count"], events, name + " " + family + " events");
    }
    for (const std::string group : {"refused", "requested_not_refused"}) {
      std::vector<json> parts;
      for (const auto& o : s["refusals"]["outcomes"]) parts.push_back(o[group]["count"]);
      expect_safe(s["refusals"][group]["count"], parts, name + " " + group + " outcomes");
    }
  }
  // (c) data quality against the cohorts.
  const auto& q = doc["data_quality"];
  expect_safe(q["rows_read"]["count"], {q["rows_used"]["count"], q["rows_skipped"]["count"]}, "rows");
  std::vector<json> reports;
  for (const auto& c : doc["cohorts"]) reports.push_back(c["reports"]["count"]);
  expect_safe(q["rows_used"]["count"], reports, "rows used = cohort reports");
  for (const auto& m : q["missing_by_column"]) {
    if (m["column"] != "withdrawn_at") continue;
    std::vector<json> parts{m["count"]};
    for (const auto& c : doc["cohorts"]) parts.push_back(c["withdrawal"]["withdrawn"]["count"]);
    expect_safe(q["rows_used"]["count"], parts, "rows used = empty withdrawn_at + withdrawn");
  }
}

// Curves: no step is drawn with fewer than N at risk, and each drawn step holds
// at least N events.
TEST(OversightSuppression, CurveSteps) {
  TempDir d;
  const fs::path fixture = fs::path(REMIT_SOURCE_DIR) / "tests/fixtures/oversight/hand.csv";
  auto r = run_remit({"oversight", fixture.string(), "--json", "--data-date", "2021-12-31", "--min-cell", "5"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto doc = json::parse(r.out);
  const auto& km = doc["cohorts"][1]["kaplan_meier"];  // 2021: 18 reports
  // Hand: steps (day, at risk, events) 0/18/2, 3/16/1, 5/14/1, 7/13/1, 8/12/1,
  // 20/10/1, 21/9/1, 31/8/1, 100/6/1. All have >= 5 at risk. Merged to >= 5
  // events per drawn step: days 0-7 hold 2+1+1+1 = 5 (drawn at day 7); days 8,
  // 20, 21, 31, 100 hold the next 5 (drawn at day 100).
  ASSERT_EQ(km["steps"].size(), 2u) << km.dump();
  EXPECT_EQ(km["steps"][0]["day"], 7);
  EXPECT_EQ(km["steps"][1]["day"], 100);
  for (const auto& s : km["steps"]) EXPECT_GE(s["at_risk"].get<int>(), 5);
  // 2020 has 10 reports and only 4 withdrawals: nothing can be drawn.
  EXPECT_TRUE(doc["cohorts"][0]["kaplan_meier"]["steps"].empty());
  // At N = 10 the 2021 curve stops at day 21 (9 at risk) and nothing has 10
  // events by then.
  r = run_remit({"oversight", fixture.string(), "--json", "--data-date", "2021-12-31"});
  ASSERT_EQ(r.exit_code, 0);
  const auto doc10 = json::parse(r.out);
  EXPECT_TRUE(doc10["cohorts"][1]["kaplan_meier"]["steps"].empty());
  EXPECT_EQ(doc10["cohorts"][1]["kaplan_meier"]["not_drawn_from_day"], 21);
}
