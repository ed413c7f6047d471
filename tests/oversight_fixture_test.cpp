// The hand-built fixture (tests/fixtures/oversight/hand.csv, 28 cases) run
// with --min-cell 0: every value below was worked out by hand from the CSV
// (offsets in days since report; D = data date 2021-12-31). A calculator was
// used only for the square roots in the Wilson/Newcombe intervals and to
// solve the Cox score equation, which is written out in full.
//
// Cohort 2020: all reported 2020-03-01 (D is day 670)
//   A1 W0 | A2 W5, request d2 (30 days; message;call), taken d3, returned d20
//   A3 W30, request d10 (400 days; all) refused | A4 W40, recorded no
//   A5 NFA20 | A6 NFA60, request d1 (7 days; message), taken d1, returned d50,
//   referred d50 A7 referred d80, charged d100, trial d400, convicted d410 A8
//   referred d90, charged d100, discontinued d200 | A9 open A10 open, recorded
//   unknown, request d15 (breadth unknown) refused
// Cohort 2021: B1-B15 reported 2021-06-01 (D is day 213)
//   B1 W0 | B2 W0, request d0 (2555 days; all), taken d0 | B3 W3, request d1
//   (14; 3 categories), taken d2 B4 W7 | B5 W8, request d2 (90; media) refused
//   | B6 W20 recorded no | B7 W31 B8 W100 and NFA100 (same day), referred d50 |
//   B9 NFA10 | B10 NFA45, request d5 (3; message) refused B11 referred d30,
//   charged d60, trial d150, convicted d160 B12 referred d40, charged d60,
//   trial d170, acquitted d180 | B13 referred d60, charged d90, ongoing B14
//   device taken d4 without a request date, returned d30 (excluded from the
//   device analysis) B15 open | B16 reported 12-20, W5 (11 days of follow-up) |
//   B17 reported 12-28, open (3 days) B18 reported 12-10, W21 (21 days of
//   follow-up)
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <sstream>

#include "support/support.hpp"

using nlohmann::json;
using namespace remit::test;

namespace {

const fs::path kFixture = fs::path(REMIT_SOURCE_DIR) / "tests/fixtures/oversight/hand.csv";

struct Run {
  TempDir dir;
  json doc;
  std::string stdout_json;
};

Run& run() {
  static Run* r = [] {
    auto* x = new Run;
    auto res = run_remit({"oversight", kFixture.string(), "--out", (x->dir / "out").string(), "--min-cell", "0",
                          "--data-date", "2021-12-31", "--json"});
    EXPECT_EQ(res.exit_code, 0) << res.err;
    x->doc = json::parse(read_file(x->dir / "out/metrics.json"));
    x->stdout_json = res.out;
    return x;
  }();
  return *r;
}

const json& cohort(const std::string& name) {
  for (const auto& c : run().doc["cohorts"])
    if (c["cohort"] == name) return c;
  ADD_FAILURE() << "no cohort " << name;
  static json empty;
  return empty;
}

int64_t n(const json& c) {
  return c["count"].get<int64_t>();
}
double share(const json& r) {
  return r["share"].get<double>();
}

void expect_rate(const json& r, int64_t num, int64_t den, const std::string& label) {
  EXPECT_EQ(r["count"], num);
  EXPECT_EQ(r["denominator"], den);
  EXPECT_EQ(r["denominator_label"], label);
  EXPECT_DOUBLE_EQ(share(r), static_cast<double>(num) / static_cast<double>(den));
}

const std::string kReports = "all reports in the cohort";
const std::string kWithdrawals = "withdrawals in the cohort";

}  // namespace

TEST(OversightFixture, ParametersAndProvenance) {
  const auto& d = run().doc;
  EXPECT_EQ(d["parameters"]["data_date"], "2021-12-31");
  EXPECT_EQ(d["parameters"]["data_date_source"], "--data-date");
  EXPECT_EQ(d["parameters"]["min_cell"], 0);
  EXPECT_EQ(d["parameters"]["cohort_by"], "year");
  EXPECT_EQ(d["input"]["sha256"], sha256_of_file(kFixture));
  EXPECT_FALSE(d["tool"]["version"].get<std::string>().empty());
  EXPECT_EQ(json::parse(run().stdout_json),
            d);  // --json prints the same document
  ASSERT_EQ(d["cohorts"].size(), 2u);
  EXPECT_EQ(d["cohorts"][0]["cohort"], "2020");
  EXPECT_EQ(d["cohorts"][1]["cohort"], "2021");
}

// 1. Funnel. 2020: recorded yes A1 A2(YES) A3 A5 A6 A7 A8 A9 = 8 (A4 no, A10
// empty); suspect A3 A5 A7 A8 = 4; referred A6 A7 A8 = 3; charged A7 A8 = 2;
// trial A7 = 1; verdict A7 = 1; convicted 1. 2021: recorded 17 (B6 no); suspect
// B8 B11 B12 B13 = 4; referred B8 B11 B12 B13 = 4; charged B11 B12 B13 = 3;
// trial B11 B12 = 2; verdict 2; convicted B11 = 1.
TEST(OversightFixture, Funnel) {
  const std::pair<const char*, std::array<int, 2>> stages[] = {{"reported", {10, 18}},
                                                               {"recorded_as_crime", {8, 17}},
                                                               {"suspect_identified", {4, 4}},
                                                               {"referred", {3, 4}},
                                                               {"charged", {2, 3}},
                                                               {"trial", {1, 2}},
                                                               {"verdict", {1, 2}},
                                                               {"convicted", {1, 1}}};
  for (int k = 0; k < 2; ++k) {
    const auto& c = cohort(k ? "2021" : "2020");
    const int reports = k ? 18 : 10;
    EXPECT_EQ(n(c["reports"]), reports);
    ASSERT_EQ(c["funnel"].size(), 8u);
    for (size_t i = 0; i < 8; ++i) {
      EXPECT_EQ(c["funnel"][i]["stage"], stages[i].first);
      expect_rate(c["funnel"][i], stages[i].second[k], reports, kReports);
    }
  }
}

// 2, 3. Withdrawal. 2020: withdrawn A1-A4 = 4 at days 0, 5, 30, 40; within 7:
// 2; within 30: 3 (30 counts: <= 30); median of 0,5,30,40 = (5+30)/2 = 17.5.
// All 10 have >= 30 days of follow-up. 2021: withdrawn B1-B8, B16, B18 = 10 at
// 0,0,3,7,8,20,31,100,5,21; within 7: B1 B2 B3 B4 B16 = 5; within 30: + B5 B6
// B18 = 8; sorted 0,0,3,5,7,8,20,21,31,100: median (7+8)/2 = 7.5; followed up 7
// days: all but B17 = 17; 30 days: the 15 June reports.
TEST(OversightFixture, Withdrawal) {
  const auto& a = cohort("2020")["withdrawal"];
  expect_rate(a["withdrawn"], 4, 10, kReports);
  expect_rate(a["within_7_days"]["share_of_reports"], 2, 10, kReports);
  expect_rate(a["within_7_days"]["share_of_withdrawals"], 2, 4, kWithdrawals);
  expect_rate(a["within_30_days"]["share_of_reports"], 3, 10, kReports);
  expect_rate(a["within_30_days"]["share_of_withdrawals"], 3, 4, kWithdrawals);
  EXPECT_DOUBLE_EQ(a["median_days_among_withdrawals"].get<double>(), 17.5);
  EXPECT_EQ(n(a["reports_followed_up_7_days"]), 10);
  EXPECT_EQ(n(a["reports_followed_up_30_days"]), 10);
  const auto& b = cohort("2021")["withdrawal"];
  expect_rate(b["withdrawn"], 10, 18, kReports);
  expect_rate(b["within_7_days"]["share_of_reports"], 5, 18, kReports);
  expect_rate(b["within_7_days"]["share_of_withdrawals"], 5, 10, kWithdrawals);
  expect_rate(b["within_30_days"]["share_of_reports"], 8, 18, kReports);
  expect_rate(b["within_30_days"]["share_of_withdrawals"], 8, 10, kWithdrawals);
  EXPECT_DOUBLE_EQ(b["median_days_among_withdrawals"].get<double>(), 7.5);
  EXPECT_EQ(n(b["reports_followed_up_7_days"]), 17);
  EXPECT_EQ(n(b["reports_followed_up_30_days"]), 15);
  expect_rate(cohort("2020")["no_further_action"], 2, 10, kReports);
  expect_rate(cohort("2021")["no_further_action"], 3, 18, kReports);
}

// 4a. Kaplan-Meier (event: withdrawal; censored at NFA/final outcome, else D).
// 2020: t0 n10 d1 S=9/10; t5 n9 d1 S=8/10; (A5 censored 20) t30 n7 d1
// S=0.8*6/7=24/35; t40 n6 d1 S=24/35*5/6=4/7. Never <= 0.5: median not reached.
// 2021: t0 n18 d2 S=8/9; t3 n16 d1 (B17 censored at 3, still at risk) S=5/6; t5
// n14 S=65/84; t7 n13 S=5/7; t8 n12 S=55/84; (B9 censored 10) t20 n10 S=33/56;
// t21 n9 S=11/21; t31 n8 S=11/24 <= 0.5 -> median 31; (B10 censored 45) t100 n6
// (B8: withdrawal on the NFA day counts) S=55/144.
TEST(OversightFixture, KaplanMeier) {
  struct Step {
    int day;
    double s;
    int at_risk;
  };
  const std::vector<Step> a = {{0, 0.9, 10}, {5, 0.8, 9}, {30, 24.0 / 35, 7}, {40, 4.0 / 7, 6}};
  const std::vector<Step> b = {{0, 8.0 / 9, 18},   {3, 5.0 / 6, 16},   {5, 65.0 / 84, 14},
                               {7, 5.0 / 7, 13},   {8, 55.0 / 84, 12}, {20, 33.0 / 56, 10},
                               {21, 11.0 / 21, 9}, {31, 11.0 / 24, 8}, {100, 55.0 / 144, 6}};
  for (int k = 0; k < 2; ++k) {
    const auto& km = cohort(k ? "2021" : "2020")["kaplan_meier"];
    const auto& want = k ? b : a;
    ASSERT_EQ(km["steps"].size(), want.size());
    for (size_t i = 0; i < want.size(); ++i) {
      EXPECT_EQ(km["steps"][i]["day"], want[i].day);
      EXPECT_NEAR(km["steps"][i]["survival"].get<double>(), want[i].s, 1e-12);
      EXPECT_EQ(km["steps"][i]["at_risk"], want[i].at_risk);
    }
  }
  EXPECT_TRUE(cohort("2020")["kaplan_meier"]["median_days"].is_null());
  EXPECT_EQ(cohort("2021")["kaplan_meier"]["median_days"], 31);
  EXPECT_NEAR(cohort("2021")["kaplan_meier"]["withdrawn_by_day_7"].get<double>(), 1 - 5.0 / 7, 1e-12);
  EXPECT_NEAR(cohort("2021")["kaplan_meier"]["withdrawn_by_day_30"].get<double>(), 1 - 11.0 / 21, 1e-12);
}

// 4b. Aalen-Johansen, causes withdrawal (W), NFA (N), charge (C); F_k(t) +=
// S(t-) d_k/n. 2020 (no censoring before day 100): t0 n10 W: F_W=.1, S=.9; t5
// n9 W: +.9/9 -> .2, S=.8; t20 n8 N: F_N=.1, S=.7; t30 n7 W: +.1 -> .3, S=.6;
// t40 n6 W: .4, S=.5; t60 n5 N: .2, S=.4; t100 n4 C x2: F_C=.4*2/4=.2. 2021: t0
// n18 W2: F_W=1/9, S=8/9; t3 n16 W: +(8/9)/16 -> 1/6, S=5/6 (B3, B17 leave); t5
// n14 W: +5/84 -> 19/84, S=65/84; t7 n13 W: 24/84, S=60/84; t8 n12 W: 29/84,
// S=55/84; t10 n11 N: F_N=5/84, S=50/84; t20 n10 W: 34/84; t21 n9 W: 39/84; t31
// n8 W: 44/84, S=35/84; t45 n7 N: 10/84, S=30/84; t60 n6 C2: F_C=10/84,
// S=20/84; t90 n4 C: 15/84, S=15/84; t100 n3 W (tie with NFA: withdrawal
// first): 49/84.
TEST(OversightFixture, CumulativeIncidence) {
  struct Step {
    int day;
    double w, nfa, c;
  };
  const std::vector<Step> a = {{0, .1, 0, 0},   {5, .2, 0, 0},   {20, .2, .1, 0},  {30, .3, .1, 0},
                               {40, .4, .1, 0}, {60, .4, .2, 0}, {100, .4, .2, .2}};
  const double u = 1.0 / 84;
  const std::vector<Step> b = {{0, 1.0 / 9, 0, 0},
                               {3, 1.0 / 6, 0, 0},
                               {5, 19 * u, 0, 0},
                               {7, 24 * u, 0, 0},
                               {8, 29 * u, 0, 0},
                               {10, 29 * u, 5 * u, 0},
                               {20, 34 * u, 5 * u, 0},
                               {21, 39 * u, 5 * u, 0},
                               {31, 44 * u, 5 * u, 0},
                               {45, 44 * u, 10 * u, 0},
                               {60, 44 * u, 10 * u, 10 * u},
                               {90, 44 * u, 10 * u, 15 * u},
                               {100, 49 * u, 10 * u, 15 * u}};
  for (int k = 0; k < 2; ++k) {
    const auto& cif = cohort(k ? "2021" : "2020")["cumulative_incidence"];
    const auto& want = k ? b : a;
    ASSERT_EQ(cif["steps"].size(), want.size());
    for (size_t i = 0; i < want.size(); ++i) {
      const auto& s = cif["steps"][i];
      EXPECT_EQ(s["day"], want[i].day);
      EXPECT_NEAR(s["withdrawal"].get<double>(), want[i].w, 1e-12) << i;
      EXPECT_NEAR(s["no_further_action"].get<double>(), want[i].nfa, 1e-12) << i;
      EXPECT_NEAR(s["charge"].get<double>(), want[i].c, 1e-12) << i;
    }
  }
}

// 5. Trial and conviction with Wilson intervals (z = 1.959964):
// 2020 trial 1/10 -> 0.017876-0.404150; 2021 trial 2/18 -> 0.031020-0.327998;
// 2021 convicted 1/18 -> 0.009875-0.257573.
TEST(OversightFixture, TrialAndConviction) {
  const auto& a = cohort("2020");
  const auto& b = cohort("2021");
  expect_rate(a["trial"], 1, 10, kReports);
  expect_rate(a["convicted"], 1, 10, kReports);
  expect_rate(b["trial"], 2, 18, kReports);
  expect_rate(b["convicted"], 1, 18, kReports);
  EXPECT_NEAR(a["trial"]["ci95"][0].get<double>(), 0.017876, 5e-7);
  EXPECT_NEAR(a["trial"]["ci95"][1].get<double>(), 0.404150, 5e-7);
  EXPECT_NEAR(b["trial"]["ci95"][0].get<double>(), 0.031020, 5e-7);
  EXPECT_NEAR(b["trial"]["ci95"][1].get<double>(), 0.327998, 5e-7);
  EXPECT_NEAR(b["convicted"]["ci95"][0].get<double>(), 0.009875, 5e-7);
  EXPECT_NEAR(b["convicted"]["ci95"][1].get<double>(), 0.257573, 5e-7);
}

// 6. Change 2021 minus 2020, Newcombe hybrid score:
// recorded 17/18-8/10 = 0.144444 (-0.103247, 0.457631); withdrawn 10/18-4/10 =
// 0.155556 (-0.205348, 0.460976) within 7: 5/18-2/10 = 0.077778 (-0.267680,
// 0.349582); within 30: 8/18-3/10 = 0.144444 (-0.218163, 0.435372) trial
// 2/18-1/10 = 0.011111 (-0.303407, 0.243025); convicted 1/18-1/10 = -0.044444
// (-0.352006, 0.173627)
TEST(OversightFixture, ChangeFromPreviousCohort) {
  EXPECT_TRUE(cohort("2020")["change_from_previous"].is_null());
  const auto& ch = cohort("2021")["change_from_previous"];
  EXPECT_EQ(ch["previous_cohort"], "2020");
  const std::tuple<const char*, double, double, double> want[] = {
      {"recorded_as_crime", 17.0 / 18 - 0.8, -0.103247, 0.457631},
      {"withdrawn", 10.0 / 18 - 0.4, -0.205348, 0.460976},
      {"withdrawn_within_7_days", 5.0 / 18 - 0.2, -0.267680, 0.349582},
      {"withdrawn_within_30_days", 8.0 / 18 - 0.3, -0.218163, 0.435372},
      {"trial", 2.0 / 18 - 0.1, -0.303407, 0.243025},
      {"convicted", 1.0 / 18 - 0.1, -0.352006, 0.173627}};
  ASSERT_EQ(ch["measures"].size(), 6u);
  for (size_t i = 0; i < 6; ++i) {
    const auto& m = ch["measures"][i];
    EXPECT_EQ(m["measure"], std::get<0>(want[i]));
    EXPECT_NEAR(m["difference"].get<double>(), std::get<1>(want[i]), 1e-12);
    EXPECT_NEAR(m["ci95"][0].get<double>(), std::get<2>(want[i]), 5e-7);
    EXPECT_NEAR(m["ci95"][1].get<double>(), std::get<3>(want[i]), 5e-7);
  }
}

// 7. Device requests, time-varying exposure (exposed from the day after the
// request). 2020 risk sets on event days (n0 unexposed, n1 exposed):
//   t0 A1 (n1=0: no information); t5 A2 exposed: n0=7 (A3 A4 A5 A7 A8 A9 A10),
//   n1=2 (A2 A6); t30 A3 exposed: n0=4 (A4 A7 A8 A9), n1=3 (A3 A6 A10); t40 A4
//   unexposed: n0=4, n1=2 (A6 A10). Score: 2 - 2x/(7+2x) - 3x/(4+3x) -
//   2x/(4+2x) = 0 -> x = HR = 4.319162, beta = 1.463061, information 1/se^2
//   with se = 1.246281 -> 95% 0.375460-49.686155. Bands: days 0-7 A6 (no event:
//   not estimable), 8-30 A2, 366+ A3, unknown A10: cases 1,1,0,1,1; categories
//   1: A6; 2-3: A2; all: A3; unknown: A10. Held: not (yet) taken A2 A3 A10 (1
//   event, A3), held 1-7 A2 A6 (1 event, A2), 8-30 A6, 31-90 A6, returned after
//   31-90 days A6.
// 2021 (B14 excluded: taken without a request date; B2 requested on day 0 and
// withdrew on day 0:
//   unexposed event): t3 B3 exposed n0=13 n1=2; t5 B16 n0=12 n1=1; t7 B4 n0=10
//   n1=2; t8 B5 exposed n0=9 n1=2; t20 B6 n0=8 n1=1; t21 B18 n0=7 n1=1; t31 B7
//   n0=6 n1=1 (t0, t100: n1=0). Score: 2 - 2x/(13+2x) - x/(12+x) - 2x/(10+2x) -
//   2x/(9+2x) - x/(8+x) - x/(7+x) - x/(6+x) = 0
//   -> HR 2.617587 (0.500960-13.677269).
TEST(OversightFixture, DeviceRequests) {
  const auto& a = cohort("2020")["device_requests"];
  EXPECT_EQ(n(a["cases_analysed"]), 10);
  EXPECT_EQ(n(a["excluded_device_taken_without_request_date"]), 0);
  EXPECT_EQ(n(a["reference_events"]), 2);
  expect_rate(a["naive_comparison"]["requested"], 2, 4, "cases with a device request in the cohort");
  expect_rate(a["naive_comparison"]["not_requested"], 2, 6, "cases without a device request in the cohort");
  const auto& h = a["hazard_ratios"];
  ASSERT_EQ(h.size(), 20u);
  EXPECT_EQ(h[0]["band"], "any request");
  EXPECT_EQ(n(h[0]["exposed_cases"]), 4);
  EXPECT_EQ(n(h[0]["exposed_events"]), 2);
  EXPECT_NEAR(h[0]["hazard_ratio"].get<double>(), 4.319162, 5e-7);
  EXPECT_NEAR(h[0]["ci95"][0].get<double>(), 0.375460, 5e-7);
  EXPECT_NEAR(h[0]["ci95"][1].get<double>(), 49.686155, 5e-6);
  const int days_cases[] = {1, 1, 0, 1, 1}, days_events[] = {0, 1, 0, 1, 0};
  for (int i = 0; i < 5; ++i) {
    EXPECT_EQ(h[1 + i]["family"], "request days covered");
    EXPECT_EQ(n(h[1 + i]["exposed_cases"]), days_cases[i]) << i;
    EXPECT_EQ(n(h[1 + i]["exposed_events"]), days_events[i]) << i;
  }
  EXPECT_TRUE(h[1]["hazard_ratio"].is_null());  // no exposed event
  EXPECT_FALSE(h[1]["estimable"].get<bool>());
  const int cat_cases[] = {1, 1, 0, 1, 1};
  for (int i = 0; i < 5; ++i) EXPECT_EQ(n(h[6 + i]["exposed_cases"]), cat_cases[i]) << i;
  const int held_cases[] = {3, 2, 1, 1, 0, 0, 0, 1, 0}, held_events[] = {1, 1, 0, 0, 0, 0, 0, 0, 0};
  for (int i = 0; i < 9; ++i) {
    EXPECT_EQ(h[11 + i]["family"], "days held");
    EXPECT_EQ(n(h[11 + i]["exposed_cases"]), held_cases[i]) << i;
    EXPECT_EQ(n(h[11 + i]["exposed_events"]), held_events[i]) << i;
  }
  const auto& b = cohort("2021")["device_requests"];
  EXPECT_EQ(n(b["cases_analysed"]), 17);
  EXPECT_EQ(n(b["excluded_device_taken_without_request_date"]), 1);
  EXPECT_EQ(n(b["reference_events"]), 8);
  expect_rate(b["naive_comparison"]["requested"], 3, 5, "cases with a device request in the cohort");
  expect_rate(b["naive_comparison"]["not_requested"], 7, 13, "cases without a device request in the cohort");
  const auto& g = b["hazard_ratios"];
  EXPECT_EQ(n(g[0]["exposed_cases"]), 3);
  EXPECT_EQ(n(g[0]["exposed_events"]), 2);
  EXPECT_NEAR(g[0]["hazard_ratio"].get<double>(), 2.617587, 5e-7);
  EXPECT_NEAR(g[0]["ci95"][0].get<double>(), 0.500960, 5e-7);
  EXPECT_NEAR(g[0]["ci95"][1].get<double>(), 13.677269, 5e-6);
  const int d21[] = {1, 1, 1, 0, 0};  // B10 (3 days), B3 (14), B5 (90); B2 never exposed
  for (int i = 0; i < 5; ++i) EXPECT_EQ(n(g[1 + i]["exposed_cases"]), d21[i]) << i;
  EXPECT_EQ(n(g[6]["exposed_cases"]), 2);  // 1 category: B5, B10
  EXPECT_EQ(n(g[7]["exposed_cases"]), 1);  // 2-3: B3
  EXPECT_EQ(n(g[11]["exposed_cases"]),
            3);                              // not (yet) taken: B3 (day 2), B5, B10
  EXPECT_EQ(n(g[11]["exposed_events"]), 1);  // B5
  EXPECT_EQ(n(g[12]["exposed_events"]), 1);  // B3 on day 3, held 1 day
}

// 8. Refusals. 2020: refused A3 (withdrawn, not charged), A10 (open);
// requested, not refused: A2 (withdrawn), A6 (NFA). 2021: refused B5
// (withdrawn), B10 (NFA); not refused B2, B3 (withdrawn).
TEST(OversightFixture, Refusals) {
  const int a_ref[] = {0, 0, 0, 0, 1, 0, 1}, a_agr[] = {0, 0, 0, 0, 1, 1, 0};
  const int b_ref[] = {0, 0, 0, 0, 1, 1, 0}, b_agr[] = {0, 0, 0, 0, 2, 0, 0};
  for (int k = 0; k < 2; ++k) {
    const auto& r = cohort(k ? "2021" : "2020")["refusals"];
    EXPECT_EQ(n(r["refused"]), 2);
    EXPECT_EQ(n(r["requested_not_refused"]), 2);
    ASSERT_EQ(r["outcomes"].size(), 7u);
    for (size_t i = 0; i < 7; ++i) {
      EXPECT_EQ(r["outcomes"][i]["refused"]["count"], (k ? b_ref : a_ref)[i]) << i;
      EXPECT_EQ(r["outcomes"][i]["requested_not_refused"]["count"], (k ? b_agr : a_agr)[i]) << i;
      EXPECT_EQ(r["outcomes"][i]["refused"]["denominator"], 2);
    }
  }
  EXPECT_EQ(cohort("2020")["refusals"]["outcomes"][5]["status"],
            "no further action by police (not withdrawn, not charged)");
}

// 9. Data quality over 28 rows: withdrawn_at filled for 14 (A1-A4, B1-B8, B16,
// B18) -> 14 empty; recorded_as_crime empty only for A10; outcome filled for A7
// A8 B11 B12 B13 -> 23 empty; withdrawal_reason never filled -> 28; one note:
// B14 taken without a request date.
TEST(OversightFixture, DataQuality) {
  const auto& q = run().doc["data_quality"];
  EXPECT_EQ(n(q["rows_read"]), 28);
  EXPECT_EQ(n(q["rows_used"]), 28);
  EXPECT_EQ(n(q["rows_skipped"]), 0);
  std::map<std::string, int64_t> missing;
  for (const auto& m : q["missing_by_column"]) missing[m["column"]] = m["count"];
  EXPECT_EQ(missing["reported_at"], 0);
  EXPECT_EQ(missing["withdrawn_at"], 14);
  EXPECT_EQ(missing["recorded_as_crime"], 1);
  EXPECT_EQ(missing["outcome"], 23);
  EXPECT_EQ(missing["withdrawal_reason"], 28);
  EXPECT_EQ(missing["force"], 0);
  ASSERT_EQ(q["consistency_notes"].size(), 1u);
  EXPECT_EQ(q["consistency_notes"][0]["note"], "device_taken_at without device_requested_at");
  EXPECT_EQ(n(q["consistency_notes"][0]), 1);
  EXPECT_EQ(q["extra_columns"], 0);
}

// The tables carry the same numbers: 2021 withdrawn within 30 days, of reports,
// is 8/18.
TEST(OversightFixture, CsvTablesAgree) {
  const std::string summary = read_file(run().dir / "out/summary.csv");
  EXPECT_NE(summary.find("2021,,,18,10,18,all reports in the cohort,0.555556"), std::string::npos) << summary;
  for (auto f : {"funnel.csv", "changes.csv", "kaplan_meier.csv", "cumulative_incidence.csv", "device_requests.csv",
                 "refusals.csv", "data_quality.csv", "dashboard.html"})
    EXPECT_TRUE(fs::exists(run().dir / "out" / f)) << f;
}

// Cohort rules: quarters and financial years from reported_at, or the cohort
// column.
TEST(OversightFixture, CohortRules) {
  auto q = run_remit({"oversight", kFixture.string(), "--json", "--min-cell", "0", "--data-date", "2021-12-31",
                      "--cohort-by", "quarter"});
  ASSERT_EQ(q.exit_code, 0) << q.err;
  auto doc = json::parse(q.out);
  ASSERT_EQ(doc["cohorts"].size(), 3u);
  EXPECT_EQ(doc["cohorts"][0]["cohort"], "2020-Q1");  // A1-A10, 1 March 2020
  EXPECT_EQ(doc["cohorts"][1]["cohort"], "2021-Q2");  // B1-B15, 1 June 2021
  EXPECT_EQ(doc["cohorts"][2]["cohort"], "2021-Q4");  // B16-B18, December 2021
  EXPECT_EQ(doc["cohorts"][2]["reports"]["count"], 3);
  auto f = run_remit({"oversight", kFixture.string(), "--json", "--min-cell", "0", "--data-date", "2021-12-31",
                      "--cohort-by", "financial-year"});
  ASSERT_EQ(f.exit_code, 0) << f.err;
  doc = json::parse(f.out);
  ASSERT_EQ(doc["cohorts"].size(), 2u);
  EXPECT_EQ(doc["cohorts"][0]["cohort"],
            "2019/20");  // 1 March 2020 is before April
  EXPECT_EQ(doc["cohorts"][1]["cohort"], "2021/22");
  EXPECT_EQ(doc["parameters"]["cohort_by"], "financial-year");
  // --by on the force column: N and S partition each cohort.
  auto b = run_remit(
      {"oversight", kFixture.string(), "--json", "--min-cell", "0", "--data-date", "2021-12-31", "--by", "force"});
  ASSERT_EQ(b.exit_code, 0) << b.err;
  doc = json::parse(b.out);
  ASSERT_EQ(doc["groups"].size(), 4u);
  EXPECT_EQ(doc["groups"][0]["by"]["value"], "N");
  EXPECT_EQ(doc["groups"][0]["reports"]["count"], 6);  // A1 A2 A5 A6 A8 A10
  EXPECT_EQ(doc["groups"][1]["reports"]["count"], 4);  // A3 A4 A7 A9
  EXPECT_EQ(doc["groups"][2]["change_from_previous"]["previous_cohort"], "2020");
}

namespace remit::test {
namespace {

// Without --out or --json, a person at a terminal gets the headline table:
// one row per cohort with the hand-computed withdrawal share (10 of 18).
TEST(OversightFixture, PrintsAHeadlineTableWhenNoOutputIsChosen) {
  auto r = run_remit({"oversight", kFixture.string(), "--min-cell", "0", "--data-date", "2021-12-31"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("withdrawn <=30 days"), std::string::npos) << r.out;
  bool found = false;
  std::istringstream lines(r.out);
  for (std::string line; std::getline(lines, line);) {
    if (line.rfind("2021", 0) != 0) continue;
    found = true;
    EXPECT_NE(line.find(" 18 "), std::string::npos) << line;
    EXPECT_NE(line.find("55.6%"), std::string::npos) << line;
  }
  EXPECT_TRUE(found) << r.out;
}

}  // namespace
}  // namespace remit::test
