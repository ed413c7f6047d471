// Statistics for the oversight metrics (references in stats.hpp).
#include "oversight/stats.hpp"

#include <algorithm>
#include <cmath>

namespace remit::oversight {

Interval wilson(int64_t x, int64_t n, double z) {
  if (n <= 0) return {};
  const double nn = static_cast<double>(n);
  const double p = static_cast<double>(x) / nn;
  const double z2 = z * z;
  const double denom = 1 + z2 / nn;
  const double centre = (p + z2 / (2 * nn)) / denom;
  const double half = z * std::sqrt(p * (1 - p) / nn + z2 / (4 * nn * nn)) / denom;
  return {std::max(0.0, centre - half), std::min(1.0, centre + half)};
}

Difference newcombe(int64_t x1, int64_t n1, int64_t x2, int64_t n2, double z) {
  const double p1 = static_cast<double>(x1) / static_cast<double>(n1);
  const double p2 = static_cast<double>(x2) / static_cast<double>(n2);
  const Interval a = wilson(x1, n1, z), b = wilson(x2, n2, z);
  const double d = p1 - p2;
  return {d, d - std::sqrt((p1 - a.lo) * (p1 - a.lo) + (b.hi - p2) * (b.hi - p2)),
          d + std::sqrt((a.hi - p1) * (a.hi - p1) + (p2 - b.lo) * (p2 - b.lo))};
}

namespace {
// Counts per day: events per cause and all exits, for a counting sweep.
struct Tally {
  int32_t max_t = -1;
  std::vector<std::vector<int64_t>> events;  // [cause-1][t]
  std::vector<int64_t> exits;                // [t] events + censored
};
Tally tally(const std::vector<SurvObs>& obs, int causes) {
  Tally t;
  for (const auto& o : obs) t.max_t = std::max(t.max_t, o.time);
  const size_t days = static_cast<size_t>(t.max_t + 1);
  t.events.assign(static_cast<size_t>(causes), std::vector<int64_t>(days, 0));
  t.exits.assign(days, 0);
  for (const auto& o : obs) {
    if (o.time < 0) continue;
    ++t.exits[static_cast<size_t>(o.time)];
    if (o.cause >= 1 && o.cause <= causes) ++t.events[o.cause - 1][static_cast<size_t>(o.time)];
  }
  return t;
}
}  // namespace

std::vector<KmStep> kaplan_meier(const std::vector<SurvObs>& obs, uint8_t cause) {
  std::vector<KmStep> steps;
  if (obs.empty()) return steps;
  const Tally t = tally(obs, cause);
  const auto& ev = t.events[cause - 1];
  int64_t at_risk = static_cast<int64_t>(obs.size());
  double s = 1, greenwood = 0;
  for (int32_t day = 0; day <= t.max_t; ++day) {
    const auto d = ev[static_cast<size_t>(day)];
    if (d > 0) {
      s *= 1 - static_cast<double>(d) / static_cast<double>(at_risk);
      KmStep st{day, at_risk, d, s, s, s};
      if (at_risk > d) {
        greenwood += static_cast<double>(d) / (static_cast<double>(at_risk) * static_cast<double>(at_risk - d));
        if (s > 0 && s < 1) {
          const double se = std::sqrt(greenwood) / std::fabs(std::log(s));
          st.lo = std::pow(s, std::exp(kZ95 * se));
          st.hi = std::pow(s, std::exp(-kZ95 * se));
        }
      } else {
        st.lo = st.hi = 0;
      }
      steps.push_back(st);
    }
    at_risk -= t.exits[static_cast<size_t>(day)];
  }
  return steps;
}

std::optional<int32_t> km_median(const std::vector<KmStep>& steps) {
  for (const auto& s : steps)
    if (s.survival <= 0.5) return s.time;
  return std::nullopt;
}

double km_at(const std::vector<KmStep>& steps, int32_t t) {
  double s = 1;
  for (const auto& st : steps) {
    if (st.time > t) break;
    s = st.survival;
  }
  return s;
}

std::vector<CifStep> aalen_johansen(const std::vector<SurvObs>& obs, int causes) {
  std::vector<CifStep> steps;
  if (obs.empty()) return steps;
  const Tally t = tally(obs, causes);
  int64_t at_risk = static_cast<int64_t>(obs.size());
  double s = 1;
  std::vector<double> cif(static_cast<size_t>(causes), 0.0);
  for (int32_t day = 0; day <= t.max_t; ++day) {
    int64_t total = 0;
    for (int k = 0; k < causes; ++k) total += t.events[static_cast<size_t>(k)][static_cast<size_t>(day)];
    if (total > 0) {
      CifStep st;
      st.time = day;
      st.at_risk = at_risk;
      st.survival_before = s;
      st.events.resize(static_cast<size_t>(causes));
      for (int k = 0; k < causes; ++k) {
        const auto d = t.events[static_cast<size_t>(k)][static_cast<size_t>(day)];
        st.events[static_cast<size_t>(k)] = d;
        cif[static_cast<size_t>(k)] += s * static_cast<double>(d) / static_cast<double>(at_risk);
      }
      st.cif = cif;
      s *= 1 - static_cast<double>(total) / static_cast<double>(at_risk);
      steps.push_back(std::move(st));
    }
    at_risk -= t.exits[static_cast<size_t>(day)];
  }
  return steps;
}

CoxResult cox_two_group(const RiskSets& r) {
  CoxResult out;
  int64_t e0 = 0, e1 = 0;
  bool overlap = false;
  for (size_t t = 0; t < r.n0.size(); ++t) {
    if (r.d0[t] + r.d1[t] > 0 && r.n0[t] > 0 && r.n1[t] > 0) overlap = true;
    e0 += r.d0[t];
    e1 += r.d1[t];
  }
  if (e0 == 0 || e1 == 0 || !overlap) return out;
  double beta = 0, info = 0;
  bool converged = false;
  for (int it = 1; it <= 100; ++it) {
    double score = 0;
    info = 0;
    const double eb = std::exp(beta);
    for (size_t t = 0; t < r.n0.size(); ++t) {
      const int64_t d = r.d0[t] + r.d1[t];
      if (d == 0 || r.n1[t] == 0) continue;
      const double n0 = static_cast<double>(r.n0[t]), w1 = static_cast<double>(r.n1[t]) * eb;
      const double share = w1 / (n0 + w1);
      score += static_cast<double>(r.d1[t]) - static_cast<double>(d) * share;
      info += static_cast<double>(d) * share * (1 - share);
    }
    out.iterations = it;
    if (info <= 0) return out;
    double step = score / info;
    step = std::clamp(step, -5.0, 5.0);
    beta += step;
    if (std::fabs(step) < 1e-10) {
      converged = true;
      break;
    }
  }
  // A monotone likelihood (every event on one side of each risk set) drives
  // beta to infinity: no finite estimate.
  if (!converged || std::fabs(beta) > 15) return out;
  // Information at the final beta.
  {
    info = 0;
    const double eb = std::exp(beta);
    for (size_t t = 0; t < r.n0.size(); ++t) {
      const int64_t d = r.d0[t] + r.d1[t];
      if (d == 0 || r.n1[t] == 0) continue;
      const double n0 = static_cast<double>(r.n0[t]), w1 = static_cast<double>(r.n1[t]) * eb;
      const double share = w1 / (n0 + w1);
      info += static_cast<double>(d) * share * (1 - share);
    }
  }
  if (info <= 0 || !std::isfinite(beta)) return out;
  out.estimable = true;
  out.beta = beta;
  out.se = 1 / std::sqrt(info);
  out.hr = std::exp(beta);
  out.lo = std::exp(beta - kZ95 * out.se);
  out.hi = std::exp(beta + kZ95 * out.se);
  return out;
}

}  // namespace remit::oversight
