// Statistics against published worked examples, and the suppression engine.
#include <gtest/gtest.h>

#include <cmath>

#include "oversight/cells.hpp"
#include "oversight/stats.hpp"

using namespace remit::oversight;

// Newcombe (1998), Stat Med 17:857, table II: 81/263 -> 0.2553-0.3662 (Wilson
// score).
TEST(OversightStats, WilsonPublishedExample) {
  const auto ci = wilson(81, 263);
  EXPECT_NEAR(ci.lo, 0.2553, 5e-5);
  EXPECT_NEAR(ci.hi, 0.3662, 5e-5);
  // Edge cases: 0/n and n/n stay inside [0, 1].
  EXPECT_EQ(wilson(0, 10).lo, 0.0);
  EXPECT_NEAR(wilson(10, 10).hi, 1.0, 1e-12);
}

// Newcombe (1998), Stat Med 17:873, method 10: 56/70 - 48/80 = 0.2, 95%
// 0.0524-0.3339.
TEST(OversightStats, NewcombePublishedExample) {
  const auto d = newcombe(56, 70, 48, 80);
  EXPECT_NEAR(d.diff, 0.2, 1e-12);
  EXPECT_NEAR(d.lo, 0.0524, 5e-5);
  EXPECT_NEAR(d.hi, 0.3339, 5e-5);
}

// Freireich et al. (1963) 6-MP arm, weeks of remission, * = censored:
// 6 6 6 6* 7 9* 10 10* 11* 13 16 17* 19* 20* 22 23 25* 32* 32* 34* 35*.
// Published KM (e.g. Kleinbaum & Klein, Survival Analysis, table 2.x):
// S(6)=0.857, S(7)=0.807, S(10)=0.753, S(13)=0.690, S(16)=0.627, S(22)=0.538,
// S(23)=0.448; median 23.
TEST(OversightStats, KaplanMeierFreireich) {
  const int times[] = {6, 6, 6, 6, 7, 9, 10, 10, 11, 13, 16, 17, 19, 20, 22, 23, 25, 32, 32, 34, 35};
  const int event[] = {1, 1, 1, 0, 1, 0, 1, 0, 0, 1, 1, 0, 0, 0, 1, 1, 0, 0, 0, 0, 0};
  std::vector<SurvObs> obs;
  for (int i = 0; i < 21; ++i) obs.push_back({times[i], static_cast<uint8_t>(event[i])});
  const auto km = kaplan_meier(obs, 1);
  const std::pair<int, double> published[] = {{6, 0.857},  {7, 0.807},  {10, 0.753}, {13, 0.690},
                                              {16, 0.627}, {22, 0.538}, {23, 0.448}};
  ASSERT_EQ(km.size(), 7u);
  for (size_t i = 0; i < 7; ++i) {
    EXPECT_EQ(km[i].time, published[i].first);
    EXPECT_NEAR(km[i].survival, published[i].second, 5e-4);
  }
  EXPECT_EQ(km[0].at_risk, 21);
  EXPECT_EQ(km[1].at_risk, 17);
  ASSERT_TRUE(km_median(km).has_value());
  EXPECT_EQ(*km_median(km), 23);
  // Greenwood-based log(-log) interval brackets the estimate.
  for (const auto& s : km) {
    EXPECT_LE(s.lo, s.survival);
    EXPECT_GE(s.hi, s.survival);
  }
}

// Satagopan et al. (2004), Br J Cancer 91:1229, table 2: cumulative incidence
// of breast-cancer death with death from other causes competing, 305 patients;
// the nine listed (7 C, 10 E, 14 C, 16 E, 18 CR, 23 E, 24 C, 26 CR, 27 E) plus
// 296 followed past 27 months. Published (percent, one decimal): overall
// survival after 10,16,18,23,26,27: 99.7 99.3 99.0 98.7 98.3 98.0; incidence
// per event 0.3 each, with S(t-) 100, 99.7, 99.0, 98.3. Exact (by hand): F(27)
// = 1/304 + (303/304)/302 + (303/304)(301/302)(300/301)/300
//                        + (303/304)(301/302)(300/301)(299/300)(297/298)/297 =
//                        0.013202
// (the table's 1.2 is the sum of its rounded 0.3 steps).
TEST(OversightStats, AalenJohansenSatagopan) {
  std::vector<SurvObs> obs = {{7, 0}, {10, 1}, {14, 0}, {16, 1}, {18, 2}, {23, 1}, {24, 0}, {26, 2}, {27, 1}};
  for (int i = 0; i < 296; ++i) obs.push_back({40, 0});
  const auto cif = aalen_johansen(obs, 2);
  ASSERT_EQ(cif.size(), 6u);
  const int times[] = {10, 16, 18, 23, 26, 27};
  const int at_risk[] = {304, 302, 301, 300, 298, 297};
  const double s_before_pct[] = {100, 99.7, 99.3, 99.0, 98.7, 98.3};
  for (size_t i = 0; i < 6; ++i) {
    EXPECT_EQ(cif[i].time, times[i]);
    EXPECT_EQ(cif[i].at_risk, at_risk[i]);
    EXPECT_NEAR(100 * cif[i].survival_before, s_before_pct[i], 0.05);
  }
  // Published per-event incidence 0.3%.
  EXPECT_NEAR(100 * cif[0].cif[0], 0.3, 0.05);
  EXPECT_NEAR(100 * (cif[1].cif[0] - cif[0].cif[0]), 0.3, 0.05);
  EXPECT_NEAR(100 * (cif[5].cif[0] - cif[4].cif[0]), 0.3, 0.05);
  const double exact = 1.0 / 304 + (303.0 / 304) / 302 + (303.0 / 304) * (301.0 / 302) * (300.0 / 301) / 300 +
                       (303.0 / 304) * (301.0 / 302) * (300.0 / 301) * (299.0 / 300) * (297.0 / 298) / 297;
  EXPECT_NEAR(cif[5].cif[0], exact, 1e-12);
  EXPECT_NEAR(exact, 0.013202, 5e-7);
  // Other-cause incidence: (303/304)(301/302)/301 +
  // (303/304)(301/302)(300/301)(299/300)/298.
  const double other =
      (303.0 / 304) * (301.0 / 302) / 301 + (303.0 / 304) * (301.0 / 302) * (300.0 / 301) * (299.0 / 300) / 298;
  EXPECT_NEAR(cif[5].cif[1], other, 1e-12);
  // With one cause and no competing events, 1 - CIF equals Kaplan-Meier.
  std::vector<SurvObs> single = {{1, 1}, {2, 0}, {3, 1}, {3, 1}, {5, 0}, {8, 1}};
  const auto a = aalen_johansen(single, 1);
  const auto k = kaplan_meier(single, 1);
  ASSERT_EQ(a.size(), k.size());
  for (size_t i = 0; i < a.size(); ++i) EXPECT_NEAR(1 - a[i].cif[0], k[i].survival, 1e-12);
}

// One event time: the Cox score equation d1 = d n1 x / (n0 + n1 x) gives x = d1
// n0 / (d0 n1).
TEST(OversightStats, CoxClosedForm) {
  RiskSets r;
  r.resize(3);
  r.n0 = {0, 40, 0};
  r.n1 = {0, 20, 0};
  r.d0 = {0, 4, 0};
  r.d1 = {0, 6, 0};
  const auto c = cox_two_group(r);
  ASSERT_TRUE(c.estimable);
  EXPECT_NEAR(c.hr, 6.0 * 40 / (4.0 * 20), 1e-9);
  // Information d * s (1 - s) at the solution, s = n1 x / (n0 + n1 x) = 0.6.
  EXPECT_NEAR(c.se, 1 / std::sqrt(10 * 0.6 * 0.4), 1e-9);
  r.d1 = {0, 0, 0};
  EXPECT_FALSE(cox_two_group(r).estimable);
}

TEST(OversightCells, PrimaryAndSecondary) {
  CellTable t;
  const CellId total = t.add(100);
  const CellId a = t.add(3), b = t.add(50), c = t.add(47);
  t.constrain(total, {a, b, c});
  t.suppress(10);
  EXPECT_TRUE(t.suppressed(a));
  // a alone would be total - b - c: one more part is suppressed (the smallest,
  // c).
  EXPECT_TRUE(t.suppressed(c));
  EXPECT_FALSE(t.suppressed(b));
  EXPECT_FALSE(t.suppressed(total));
}

TEST(OversightCells, SuppressedPartsMustNotRevealASmallSum) {
  CellTable t;
  const CellId total = t.add(40);
  const CellId a = t.add(2), b = t.add(3), c = t.add(15), d = t.add(20);
  t.constrain(total, {a, b, c, d});
  t.suppress(10);
  // a + b = 5 < 10 would show that both are small: c joins them.
  EXPECT_TRUE(t.suppressed(a) && t.suppressed(b) && t.suppressed(c));
  EXPECT_FALSE(t.suppressed(d));
}

TEST(OversightCells, ZerosShownUnlessAsked) {
  CellTable t;
  const CellId z = t.add(0), s = t.add(5);
  t.suppress(10);
  EXPECT_FALSE(t.suppressed(z));
  EXPECT_TRUE(t.suppressed(s));
  CellTable u;
  const CellId z2 = u.add(0);
  u.suppress(10, true);
  EXPECT_TRUE(u.suppressed(z2));
}

TEST(OversightCells, ChainedTotalsStaySafe) {
  // rows = used + skipped; used = cohort1 + cohort2: a small cohort must not be
  // recoverable through either relation.
  CellTable t;
  const CellId rows = t.add(1005, kCostSummary), used = t.add(1005, kCostSummary), skipped = t.add(0, kCostSummary);
  const CellId c1 = t.add(1000, kCostReports), c2 = t.add(5, kCostReports);
  t.constrain(rows, {used, skipped});
  t.constrain(used, {c1, c2});
  t.suppress(10);
  EXPECT_TRUE(t.suppressed(c2));
  EXPECT_FALSE(t.suppressed(c1));  // the big cohort keeps its denominator
  EXPECT_TRUE(t.suppressed(used));
  EXPECT_TRUE(t.suppressed(rows) || t.suppressed(skipped));
}
