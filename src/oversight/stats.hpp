#pragma once
// Statistics for the oversight metrics. Pure functions, thread-safe.
//
// References (facts only; the code is ours):
// - Wilson score interval: E. B. Wilson (1927), JASA 22:209; worked example
//   81/263 -> 0.2553-0.3662 in R. G. Newcombe (1998), Stat Med 17:857, table
//   II.
// - Newcombe hybrid score interval for a difference of independent
//   proportions ("method 10"): R. G. Newcombe (1998), Stat Med 17:873;
//   worked example 56/70 - 48/80 -> 0.0524-0.3339.
// - Kaplan-Meier with Greenwood variance and the log(-log) interval:
//   Kalbfleisch & Prentice (2002); Freireich et al. 6-MP data (median 23).
// - Aalen-Johansen cumulative incidence: F_k(t) = sum_{t_j <= t} S(t_j-) d_kj /
// n_j
//   (Satagopan et al. 2004, Br J Cancer 91:1229, table 2 works one by hand).
// - Cox proportional hazards with one binary, time-varying covariate and
//   Breslow ties, fitted by Newton-Raphson on per-day risk-set counts
//   (exactly the partial likelihood of the counting-process data set).

#include <cstdint>
#include <optional>
#include <vector>

namespace remit::oversight {

inline constexpr double kZ95 = 1.959963984540054;

struct Interval {
  double lo = 0, hi = 0;
};

// Wilson score interval for x/n (n > 0).
[[nodiscard]] Interval wilson(int64_t x, int64_t n, double z = kZ95);

struct Difference {
  double diff = 0;
  double lo = 0, hi = 0;
};
// Newcombe's hybrid score interval for x1/n1 - x2/n2 (n1, n2 > 0).
[[nodiscard]] Difference newcombe(int64_t x1, int64_t n1, int64_t x2, int64_t n2, double z = kZ95);

// One subject: follow-up time in whole days (>= 0) and what ended it:
// 0 = censored, 1..K = the cause.
struct SurvObs {
  int32_t time = 0;
  uint8_t cause = 0;
};

struct KmStep {
  int32_t time = 0;
  int64_t at_risk = 0;
  int64_t events = 0;
  double survival = 1;
  double lo = 1, hi = 1;  // 95% log(-log) interval
};

// Kaplan-Meier for `cause` (other causes are treated as censoring), one step
// per distinct event time, in time order.
[[nodiscard]] std::vector<KmStep> kaplan_meier(const std::vector<SurvObs>& obs, uint8_t cause = 1);
// Smallest event time with S(t) <= 0.5; nullopt when never reached.
[[nodiscard]] std::optional<int32_t> km_median(const std::vector<KmStep>& steps);
// S(t) at day t (step function, right-continuous).
[[nodiscard]] double km_at(const std::vector<KmStep>& steps, int32_t t);

struct CifStep {
  int32_t time = 0;
  int64_t at_risk = 0;
  std::vector<int64_t> events;  // per cause (index cause-1)
  double survival_before = 1;   // all-cause S(t-)
  std::vector<double> cif;      // per cause, after this step
};

// Aalen-Johansen cumulative incidence for causes 1..causes; one step per
// distinct time with any event.
[[nodiscard]] std::vector<CifStep> aalen_johansen(const std::vector<SurvObs>& obs, int causes);

// Per-day risk-set counts for a two-group comparison (reference 0,
// exposed 1); all four vectors have the same length (days 0..T).
struct RiskSets {
  std::vector<int64_t> n0, n1, d0, d1;
  void resize(size_t days) {
    n0.assign(days, 0);
    n1.assign(days, 0);
    d0.assign(days, 0);
    d1.assign(days, 0);
  }
};

struct CoxResult {
  bool estimable = false;  // false when either group has no events or no risk-set overlap
  double beta = 0, se = 0;
  double hr = 0, lo = 0,
         hi = 0;  // hazard ratio exposed vs reference, 95% Wald interval
  int iterations = 0;
};
[[nodiscard]] CoxResult cox_two_group(const RiskSets& r);

}  // namespace remit::oversight
