// The calibrated generator: generated cohorts of 5,000 cases give rates
// within sampling error of the truth file; the truth matches the published
// figures; output is deterministic for a seed.
#include <gtest/gtest.h>

#include <cmath>
#include <nlohmann/json.hpp>

#include "support/support.hpp"

using nlohmann::json;
using namespace remit::test;

namespace {

struct Generated {
  TempDir dir;
  json truth, metrics;
};

Generated& generated() {
  static Generated* g = [] {
    auto* x = new Generated;
    auto r = run_remit({"synth", "cases", "--out", (x->dir / "cases.csv").string(), "--seed", "11", "--cohort",
                        "2016:5000", "--cohort", "2019:5000", "--cohort", "2021:5000"});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    x->truth = json::parse(read_file(x->dir / "cases.csv.truth.json"));
    // Censor at the generator's data date so follow-up is complete.
    r = run_remit({"oversight", (x->dir / "cases.csv").string(), "--out", (x->dir / "out").string(), "--data-date",
                   x->truth["data_date"].get<std::string>()});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    x->metrics = json::parse(read_file(x->dir / "out/metrics.json"));
    return x;
  }();
  return *g;
}

const json& cohort(const json& doc, const std::string& year) {
  for (const auto& c : doc["cohorts"])
    if (c["cohort"] == year) return c;
  static json none;
  ADD_FAILURE() << year;
  return none;
}

const json& truth(int year) {
  for (const auto& c : generated().truth["cohorts"])
    if (c["year"] == year) return c;
  static json none;
  ADD_FAILURE() << year;
  return none;
}

// |observed - p| <= 4 standard errors of a binomial share at n.
void within_sampling_error(double observed, double p, double n, const std::string& what) {
  const double se = std::sqrt(p * (1 - p) / n);
  EXPECT_LE(std::fabs(observed - p), 4 * se + 1e-12) << what << ": observed " << observed << " truth " << p;
}

}  // namespace

TEST(OversightSynth, TruthMatchesPublishedFigures) {
  const auto& t16 = truth(2016)["expected_shares_of_reports"];
  EXPECT_NEAR(t16["recorded_as_crime"].get<double>(), 0.84, 1e-9);
  EXPECT_NEAR(t16["withdrawn_ever"].get<double>(), 0.58, 1e-6);
  EXPECT_NEAR(t16["trial"].get<double>(), 0.06, 1e-6);
  EXPECT_NEAR(t16["convicted"].get<double>(), 0.03, 1e-6);
  EXPECT_NEAR(truth(2019)["expected_shares_of_reports"]["withdrawn_within_30_days"].get<double>(), 0.18, 1e-6);
  const auto& t21 = truth(2021)["expected_shares_of_reports"];
  EXPECT_NEAR(t21["withdrawn_within_30_days"].get<double>(), 0.64, 1e-6);
  EXPECT_NEAR(t21["withdrawn_within_7_days"].get<double>(), 0.38, 1e-6);
  EXPECT_NEAR(t21["trial"].get<double>(), 0.01, 1e-6);
  EXPECT_EQ(truth(2016)["published_targets"].size(), 4u);
}

TEST(OversightSynth, ComputedRatesWithinSamplingErrorOfTruth) {
  for (int year : {2016, 2019, 2021}) {
    const auto& c = cohort(generated().metrics, std::to_string(year));
    const auto& t = truth(year)["expected_shares_of_reports"];
    const double n = c["reports"]["count"].get<double>();
    ASSERT_EQ(n, 5000);
    const auto& w = c["withdrawal"];
    const std::string y = std::to_string(year);
    within_sampling_error(c["funnel"][1]["share"].get<double>(), t["recorded_as_crime"].get<double>(), n,
                          y + " recorded");
    within_sampling_error(w["withdrawn"]["share"].get<double>(), t["withdrawn_ever"].get<double>(), n, y + " ever");
    within_sampling_error(w["within_7_days"]["share_of_reports"]["share"].get<double>(),
                          t["withdrawn_within_7_days"].get<double>(), n, y + " within 7");
    within_sampling_error(w["within_30_days"]["share_of_reports"]["share"].get<double>(),
                          t["withdrawn_within_30_days"].get<double>(), n, y + " within 30");
    within_sampling_error(c["trial"]["share"].get<double>(), t["trial"].get<double>(), n, y + " trial");
    within_sampling_error(c["convicted"]["share"].get<double>(), t["convicted"].get<double>(), n, y + " convicted");
    within_sampling_error(c["no_further_action"]["share"].get<double>(), t["no_further_action_first"].get<double>(), n,
                          y + " nfa");
  }
}

// Requests raise the withdrawal hazard, broader and longer-held ones more: the
// time-varying hazard ratios recover that ordering.
TEST(OversightSynth, DeviceEffectIsRecovered) {
  const auto& h = cohort(generated().metrics, "2021")["device_requests"]["hazard_ratios"];
  auto hr = [&](const std::string& band) {
    for (const auto& c : h)
      if (c["band"] == band) return c["hazard_ratio"].get<double>();
    ADD_FAILURE() << band;
    return 0.0;
  };
  EXPECT_GT(h[0]["ci95"][0].get<double>(),
            1.0);  // any request: the whole interval above 1
  EXPECT_GT(hr("366 days or more"), hr("0-7 days"));
  EXPECT_GT(hr("all categories"), hr("1 category"));
}

TEST(OversightSynth, DeterministicForASeed) {
  TempDir d;
  for (const char* name : {"a.csv", "b.csv"}) {
    auto r = run_remit({"synth", "cases", "--out", (d / name).string(), "--seed", "5", "--cohort", "2020:300",
                        "--data-date", "2023-06-30"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
  }
  EXPECT_EQ(read_file(d / "a.csv"), read_file(d / "b.csv"));
  EXPECT_EQ(read_file(d / "a.csv.truth.json"), read_file(d / "b.csv.truth.json"));
  auto r = run_remit({"synth", "cases", "--out", (d / "c.csv").string(), "--seed", "6", "--cohort", "2020:300",
                      "--data-date", "2023-06-30"});
  ASSERT_EQ(r.exit_code, 0);
  EXPECT_NE(read_file(d / "a.csv"), read_file(d / "c.csv"));
  // Generated records always pass strict validation.
  r = run_remit({"oversight", (d / "a.csv").string(), "--json", "--data-date", "2023-06-30"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  r = run_remit({"synth", "cases", "--out", (d / "bad.csv").string(), "--cohort", "2020"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_FALSE(fs::exists(d / "bad.csv"));
}
