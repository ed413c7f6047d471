// The nine metric groups of issue 9, per cohort and per cohort x --by value,
// with small-cell suppression applied before anything is published.
// Definitions: docs/oversight-metrics.md.
#include "oversight/metrics.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <numeric>

#include "oversight/cells.hpp"
#include "oversight/stats.hpp"

namespace remit::oversight {

namespace {

using json = nlohmann::json;

constexpr const char* kReportsLabel = "all reports in the cohort";
constexpr const char* kWithdrawalsLabel = "withdrawals in the cohort";

// AJ causes.
constexpr uint8_t kCauseWithdrawal = 1, kCauseNfa = 2, kCauseCharge = 3;

const std::vector<std::string> kDaysBands = {"0-7 days", "8-30 days", "31-365 days", "366 days or more", "unknown"};
const std::vector<std::string> kCategoryBands = {"1 category", "2-3 categories", "4-8 categories", "all categories",
                                                 "unknown"};
const std::vector<std::string> kHeldStates = {
    "requested, device not (yet) taken", "device held, days 1-7",          "device held, days 8-30",
    "device held, days 31-90",           "device held, day 91 onwards",    "returned after 0-7 days held",
    "returned after 8-30 days held",     "returned after 31-90 days held", "returned after 91+ days held"};

int days_band(int32_t d) {
  if (d < 0) return 4;
  if (d <= 7) return 0;
  if (d <= 30) return 1;
  if (d <= 365) return 2;
  return 3;
}
int category_band(int c) {
  if (c < 0) return 4;
  if (c <= 1) return 0;
  if (c <= 3) return 1;
  if (c < kAllCategoryCount) return 2;
  return 3;
}
int held_band(int32_t h) {  // h >= 0 days
  if (h <= 7) return 0;
  if (h <= 30) return 1;
  if (h <= 90) return 2;
  return 3;
}

// Status partition for the refusal comparison (first match wins).
const std::vector<std::string> kStatuses = {"convicted",
                                            "acquitted",
                                            "discontinued",
                                            "charged, no final outcome yet",
                                            "withdrawn by the complainant (not charged)",
                                            "no further action by police (not withdrawn, not charged)",
                                            "open (none of the above by the data date)"};
size_t status_of(const CaseRecord& c) {
  if (c.outcome == Outcome::convicted) return 0;
  if (c.outcome == Outcome::acquitted) return 1;
  if (c.outcome == Outcome::discontinued) return 2;
  if (c.day[d_charged] != kNoDay) return 3;
  if (c.day[d_withdrawn] != kNoDay) return 4;
  if (c.day[d_nfa] != kNoDay) return 5;
  return 6;
}

struct Contrast {
  std::string family, label;
  CellId cases = 0, events = 0;
  CoxResult cox;
};

struct Subset {
  std::string cohort;
  int by = -1;
  uint32_t value = 0;
  std::vector<uint32_t> members;
  std::vector<CellId> additive;

  CellId reports, recorded, suspect, referred, charged, trial, verdict, convicted, withdrawn, nfa, w7, w30, f7, f30;
  std::optional<double> median_withdrawals;
  std::vector<KmStep> km;
  std::vector<CifStep> aj;

  CellId excluded, req, notreq, w_req, w_notreq, ref_events, analysed;
  std::vector<Contrast> contrasts;  // [0] any; then days bands; category bands; held states

  CellId refused_total, agreed_total;
  std::vector<CellId> refused_parts, agreed_parts;
};

class Calculator {
 public:
  Calculator(const MetricsInput& in, CellTable& t) : in_(in), cs_(*in.cases), t_(t) {}

  void compute(Subset& s) {
    s_ = &s;
    const int32_t D = cs_.data_date;
    int64_t recorded = 0, suspect = 0, referred = 0, charged = 0, trial = 0, verdict = 0, convicted = 0, withdrawn = 0,
            nfa = 0, w7 = 0, w30 = 0, f7 = 0, f30 = 0;
    std::vector<int32_t> tws;
    std::vector<SurvObs> km_obs, aj_obs;
    km_obs.reserve(s.members.size());
    aj_obs.reserve(s.members.size());
    for (uint32_t i : s.members) {
      const auto& c = cs_.cases[i];
      const int32_t rep = c.day[d_reported];
      auto rel = [&](int d) { return c.day[d] == kNoDay ? -1 : c.day[d] - rep; };
      recorded += c.recorded == Tri::yes;
      suspect += c.day[d_suspect] != kNoDay;
      referred += c.day[d_referred] != kNoDay;
      charged += c.day[d_charged] != kNoDay;
      trial += c.day[d_trial] != kNoDay;
      verdict += c.outcome == Outcome::convicted || c.outcome == Outcome::acquitted;
      convicted += c.outcome == Outcome::convicted;
      nfa += c.day[d_nfa] != kNoDay;
      const int32_t tw = rel(d_withdrawn);
      if (tw >= 0) {
        ++withdrawn;
        tws.push_back(tw);
        w7 += tw <= 7;
        w30 += tw <= 30;
      }
      f7 += D - rep >= 7;
      f30 += D - rep >= 30;
      km_obs.push_back(km_observation(c));
      aj_obs.push_back(aj_observation(c));
    }
    s.reports = add(static_cast<int64_t>(s.members.size()), s.by < 0 ? kCostReports : kCostTotal);
    s.recorded = add(recorded);
    s.suspect = add(suspect);
    s.referred = add(referred);
    s.charged = add(charged);
    s.trial = add(trial);
    s.verdict = add(verdict);
    s.convicted = add(convicted);
    s.withdrawn = add(withdrawn);
    s.nfa = add(nfa);
    s.w7 = add(w7);
    s.w30 = add(w30);
    s.f7 = add(f7);
    s.f30 = add(f30);
    if (!tws.empty()) {
      std::sort(tws.begin(), tws.end());
      const size_t n = tws.size();
      s.median_withdrawals = n % 2 ? tws[n / 2] : (tws[n / 2 - 1] + tws[n / 2]) / 2.0;
    }
    s.km = kaplan_meier(km_obs, 1);
    s.aj = aalen_johansen(aj_obs, 3);
    device(s);
    refusals(s);
  }

  // KM endpoint: withdrawal; censored at closure (NFA or final outcome) or at
  // the data date.
  SurvObs km_observation(const CaseRecord& c) const {
    const int32_t rep = c.day[d_reported];
    const int32_t closure = closure_day(c);
    const int32_t w = c.day[d_withdrawn];
    if (w != kNoDay && (closure == kNoDay || w <= closure)) return {w - rep, 1};
    return {(closure != kNoDay ? closure : cs_.data_date) - rep, 0};
  }

  // AJ: first of withdrawal (1), NFA (2), charge (3); ties in that order.
  SurvObs aj_observation(const CaseRecord& c) const {
    const int32_t rep = c.day[d_reported];
    int32_t best = INT32_MAX;
    uint8_t cause = 0;
    const std::pair<int, uint8_t> order[] = {
        {d_withdrawn, kCauseWithdrawal}, {d_nfa, kCauseNfa}, {d_charged, kCauseCharge}};
    for (auto [col, k] : order)
      if (c.day[col] != kNoDay && c.day[col] < best) {
        best = c.day[col];
        cause = k;
      }
    const int32_t closure = closure_day(c);
    const int32_t censor = closure != kNoDay ? closure : cs_.data_date;
    if (cause != 0 && best <= censor) return {best - rep, cause};
    return {censor - rep, 0};
  }

  static int32_t closure_day(const CaseRecord& c) {
    int32_t closure = c.day[d_nfa];
    const bool final_outcome =
        c.outcome == Outcome::convicted || c.outcome == Outcome::acquitted || c.outcome == Outcome::discontinued;
    if (final_outcome && c.day[d_outcome] != kNoDay && (closure == kNoDay || c.day[d_outcome] < closure))
      closure = c.day[d_outcome];
    return closure;
  }

 private:
  CellId add(int64_t v, int cost = kCostPart) {
    const CellId id = t_.add(v, cost);
    s_->additive.push_back(id);
    return id;
  }

  Breadth breadth(uint32_t i) const {
    const auto& c = cs_.cases[i];
    Breadth b{c.request_days, c.request_categories};
    if (!in_.authorised.empty()) {
      const auto& a = in_.authorised[i];
      if (a.days >= 0) b.days = a.days;
      if (a.categories >= 0) b.categories = a.categories;
    }
    return b;
  }

  void device(Subset& s) {
    const size_t families = 1 + kDaysBands.size() + kCategoryBands.size() + kHeldStates.size();
    const size_t days_base = 1, cat_base = days_base + kDaysBands.size(), held_base = cat_base + kCategoryBands.size();
    int64_t excluded = 0, req = 0, notreq = 0, w_req = 0, w_notreq = 0, analysed = 0;
    int32_t max_t = 0;
    for (uint32_t i : s.members) max_t = std::max(max_t, km_observation(cs_.cases[i]).time);
    const size_t days = static_cast<size_t>(max_t) + 2;
    std::vector<int64_t> diff0(days, 0), d0(days, 0);
    std::vector<std::vector<int64_t>> diff1(families, std::vector<int64_t>(days, 0)),
        d1(families, std::vector<int64_t>(days, 0));
    std::vector<int64_t> cases(families, 0);
    auto interval = [&](std::vector<int64_t>& diff, int32_t a, int32_t b) {
      if (a > b) return false;
      ++diff[static_cast<size_t>(a)];
      --diff[static_cast<size_t>(b) + 1];
      return true;
    };
    for (uint32_t i : s.members) {
      const auto& c = cs_.cases[i];
      const bool requested = c.day[d_requested] != kNoDay;
      const bool taken = c.day[d_taken] != kNoDay;
      const bool w = c.day[d_withdrawn] != kNoDay;
      if (requested || taken) {
        ++req;
        w_req += w;
      } else {
        ++notreq;
        w_notreq += w;
      }
      if (taken && !requested) {
        ++excluded;
        continue;
      }
      ++analysed;
      const SurvObs o = km_observation(c);
      const int32_t T = o.time;
      const bool ev = o.cause == 1;
      const int32_t rep = c.day[d_reported];
      if (!requested) {
        interval(diff0, 0, T);
        if (ev) ++d0[static_cast<size_t>(T)];
        continue;
      }
      const int32_t r = c.day[d_requested] - rep;
      interval(diff0, 0, std::min(r, T));
      if (ev && T <= r) ++d0[static_cast<size_t>(T)];
      if (r >= T) continue;
      const Breadth b = breadth(i);
      const size_t fam[] = {0, days_base + static_cast<size_t>(days_band(b.days)),
                            cat_base + static_cast<size_t>(category_band(b.categories))};
      for (size_t f : fam) {
        interval(diff1[f], r + 1, T);
        ++cases[f];
        if (ev) ++d1[f][static_cast<size_t>(T)];
      }
      // Held states partition [r+1, T].
      std::vector<bool> touched(kHeldStates.size(), false);
      auto held_interval = [&](size_t state, int32_t a, int32_t b) {
        b = std::min(b, T);
        if (interval(diff1[held_base + state], a, b)) {
          touched[state] = true;
          if (ev && T >= a && T <= b) ++d1[held_base + state][static_cast<size_t>(T)];
        }
      };
      const int32_t k = taken ? c.day[d_taken] - rep : -1;
      const int32_t m = c.day[d_returned] != kNoDay && taken ? c.day[d_returned] - rep : -1;
      if (k < 0) {
        held_interval(0, r + 1, T);
      } else {
        held_interval(0, r + 1, k);
        const int32_t held_end = m >= 0 ? m : T;
        const int32_t starts[] = {k + 1, k + 8, k + 31, k + 91};
        const int32_t ends[] = {k + 7, k + 30, k + 90, INT32_MAX - 1};
        for (size_t hb = 0; hb < 4; ++hb) held_interval(1 + hb, starts[hb], std::min(ends[hb], held_end));
        if (m >= 0) held_interval(5 + static_cast<size_t>(held_band(m - k)), m + 1, T);
      }
      for (size_t st = 0; st < kHeldStates.size(); ++st) cases[held_base + st] += touched[st];
    }
    s.excluded = add(excluded);
    s.req = add(req);
    s.notreq = add(notreq);
    s.w_req = add(w_req);
    s.w_notreq = add(w_notreq);
    s.analysed = add(analysed);
    RiskSets rs;
    rs.resize(days);
    int64_t run = 0, ref_events = 0;
    for (size_t t = 0; t < days; ++t) {
      run += diff0[t];
      rs.n0[t] = run;
      rs.d0[t] = d0[t];
      ref_events += d0[t];
    }
    s.ref_events = add(ref_events);
    s.contrasts.clear();
    for (size_t f = 0; f < families; ++f) {
      Contrast ct;
      if (f == 0) {
        ct.family = "any request";
        ct.label = "any request";
      } else if (f < cat_base) {
        ct.family = "request days covered";
        ct.label = kDaysBands[f - days_base];
      } else if (f < held_base) {
        ct.family = "request categories";
        ct.label = kCategoryBands[f - cat_base];
      } else {
        ct.family = "days held";
        ct.label = kHeldStates[f - held_base];
      }
      run = 0;
      int64_t events = 0;
      for (size_t t = 0; t < days; ++t) {
        run += diff1[f][t];
        rs.n1[t] = run;
        rs.d1[t] = d1[f][t];
        events += d1[f][t];
      }
      ct.cases = add(cases[f]);
      ct.events = add(events);
      ct.cox = cox_two_group(rs);
      s.contrasts.push_back(std::move(ct));
    }
    // Within-subset partitions.
    t_.constrain(s.reports, {s.req, s.notreq});
    t_.constrain(s.withdrawn, {s.w_req, s.w_notreq});
    std::vector<CellId> dc, de, cc, ce, he;
    for (size_t f = days_base; f < cat_base; ++f) {
      dc.push_back(s.contrasts[f].cases);
      de.push_back(s.contrasts[f].events);
    }
    for (size_t f = cat_base; f < held_base; ++f) {
      cc.push_back(s.contrasts[f].cases);
      ce.push_back(s.contrasts[f].events);
    }
    for (size_t f = held_base; f < families; ++f) he.push_back(s.contrasts[f].events);
    t_.constrain(s.contrasts[0].cases, dc);
    t_.constrain(s.contrasts[0].events, de);
    t_.constrain(s.contrasts[0].cases, cc);
    t_.constrain(s.contrasts[0].events, ce);
    t_.constrain(s.contrasts[0].events, he);
  }

  void refusals(Subset& s) {
    std::vector<int64_t> refused(kStatuses.size(), 0), agreed(kStatuses.size(), 0);
    int64_t nr = 0, na = 0;
    for (uint32_t i : s.members) {
      const auto& c = cs_.cases[i];
      if (c.refused == Tri::yes) {
        ++nr;
        ++refused[status_of(c)];
      } else if (c.day[d_requested] != kNoDay) {
        ++na;
        ++agreed[status_of(c)];
      }
    }
    s.refused_total = add(nr);
    s.agreed_total = add(na);
    s.refused_parts.clear();
    s.agreed_parts.clear();
    for (size_t k = 0; k < kStatuses.size(); ++k) {
      s.refused_parts.push_back(add(refused[k]));
      s.agreed_parts.push_back(add(agreed[k]));
    }
    t_.constrain(s.refused_total, s.refused_parts);
    t_.constrain(s.agreed_total, s.agreed_parts);
  }

  const MetricsInput& in_;
  const CaseSet& cs_;
  CellTable& t_;
  Subset* s_ = nullptr;
};

// ---- publishing ------------------------------------------------------------

class Publisher {
 public:
  Publisher(const CellTable& t, int64_t min_cell) : t_(t), n_(min_cell) {}

  json count(CellId id) const {
    if (t_.suppressed(id)) return {{"count", nullptr}, {"suppressed", true}};
    return {{"count", t_.value(id)}, {"suppressed", false}};
  }
  bool shown(std::initializer_list<CellId> ids) const {
    for (CellId id : ids)
      if (t_.suppressed(id)) return false;
    return true;
  }
  json rate(CellId num, CellId den, const char* label) const {
    json j;
    j["count"] = t_.suppressed(num) ? json(nullptr) : json(t_.value(num));
    j["denominator"] = t_.suppressed(den) ? json(nullptr) : json(t_.value(den));
    j["denominator_label"] = label;
    if (!shown({num, den}) || t_.value(den) == 0) {
      j["share"] = nullptr;
      j["ci95"] = nullptr;
      j["suppressed"] = !shown({num, den});
      return j;
    }
    const auto ci = wilson(t_.value(num), t_.value(den));
    j["share"] = static_cast<double>(t_.value(num)) / static_cast<double>(t_.value(den));
    j["ci95"] = {ci.lo, ci.hi};
    j["ci_method"] = "Wilson score";
    j["suppressed"] = false;
    return j;
  }
  json difference(CellId x1, CellId n1, CellId x2, CellId n2, const char* label) const {
    json j;
    j["denominator_label"] = label;
    if (!shown({x1, n1, x2, n2}) || t_.value(n1) == 0 || t_.value(n2) == 0) {
      j["difference"] = nullptr;
      j["ci95"] = nullptr;
      j["suppressed"] = !shown({x1, n1, x2, n2});
      return j;
    }
    const auto d = newcombe(t_.value(x1), t_.value(n1), t_.value(x2), t_.value(n2));
    j["difference"] = d.diff;
    j["ci95"] = {d.lo, d.hi};
    j["ci_method"] = "Newcombe hybrid score";
    j["suppressed"] = false;
    return j;
  }

  // Curve steps: stop at the first step with fewer than N at risk; merge
  // steps so that each drawn step holds at least N events.
  json km(const Subset& s) const {
    json j;
    j["event"] = "withdrawal";
    j["censoring"] =
        "no further action or a final outcome (convicted, "
        "acquitted, discontinued) before withdrawal, "
        "else the data date";
    j["time_unit"] = "days since report";
    json steps = json::array();
    if (t_.suppressed(s.reports)) {
      j["suppressed"] = true;
      j["steps"] = steps;
      j["median_days"] = nullptr;
      return j;
    }
    int64_t pending = 0;
    std::optional<int32_t> truncated;
    for (const auto& st : s.km) {
      if (st.at_risk < n_) {
        truncated = st.time;
        break;
      }
      pending += st.events;
      if (pending < n_ || pending == 0) continue;
      pending = 0;
      steps.push_back({{"day", st.time}, {"survival", st.survival}, {"ci95", {st.lo, st.hi}}, {"at_risk", st.at_risk}});
    }
    j["suppressed"] = false;
    j["steps"] = steps;
    j["not_drawn_from_day"] = truncated ? json(*truncated) : json(nullptr);
    auto med = km_median(s.km);
    j["median_days"] = med ? json(*med) : json(nullptr);
    for (int day : {7, 30}) {
      const bool visible = !truncated || *truncated > day;
      j[fmt::format("withdrawn_by_day_{}", day)] = visible ? json(1 - km_at(s.km, day)) : json(nullptr);
    }
    return j;
  }

  json cif(const Subset& s) const {
    json j;
    j["method"] = "Aalen-Johansen";
    j["causes"] = {"withdrawal", "no further action", "charge"};
    j["ties"] =
        "same-day events count as the first of withdrawal, no further "
        "action, charge";
    j["censoring"] = "a final outcome without a recorded charge, else the data date";
    j["time_unit"] = "days since report";
    json steps = json::array();
    if (t_.suppressed(s.reports)) {
      j["suppressed"] = true;
      j["steps"] = steps;
      return j;
    }
    int64_t pending = 0;
    std::optional<int32_t> truncated;
    for (const auto& st : s.aj) {
      if (st.at_risk < n_) {
        truncated = st.time;
        break;
      }
      pending += std::accumulate(st.events.begin(), st.events.end(), int64_t{0});
      if (pending < n_ || pending == 0) continue;
      pending = 0;
      steps.push_back(
          {{"day", st.time}, {"withdrawal", st.cif[0]}, {"no_further_action", st.cif[1]}, {"charge", st.cif[2]}});
    }
    j["suppressed"] = false;
    j["steps"] = steps;
    j["not_drawn_from_day"] = truncated ? json(*truncated) : json(nullptr);
    return j;
  }

  json contrast(const Contrast& c, CellId ref_events) const {
    json j;
    j["family"] = c.family;
    j["band"] = c.label;
    j["exposed_cases"] = count(c.cases);
    j["exposed_events"] = count(c.events);
    const bool ok = shown({c.cases, c.events, ref_events});
    j["estimable"] = c.cox.estimable;
    if (ok && c.cox.estimable) {
      j["hazard_ratio"] = c.cox.hr;
      j["ci95"] = {c.cox.lo, c.cox.hi};
    } else {
      j["hazard_ratio"] = nullptr;
      j["ci95"] = nullptr;
    }
    j["suppressed"] = !ok;
    return j;
  }

 private:
  const CellTable& t_;
  int64_t n_;
};

json subset_json(const Publisher& p, const CellTable& t, const Subset& s, const Subset* prev, const CaseSet& cs) {
  json j;
  j["cohort"] = s.cohort;
  if (s.by >= 0)
    j["by"] = {{"column", cs.by_columns[static_cast<size_t>(s.by)]},
               {"value", cs.group_values[static_cast<size_t>(s.by)][s.value]}};
  j["reports"] = p.count(s.reports);
  // 1. funnel
  const std::pair<const char*, CellId> stages[] = {{"reported", s.reports},
                                                   {"recorded_as_crime", s.recorded},
                                                   {"suspect_identified", s.suspect},
                                                   {"referred", s.referred},
                                                   {"charged", s.charged},
                                                   {"trial", s.trial},
                                                   {"verdict", s.verdict},
                                                   {"convicted", s.convicted}};
  json funnel = json::array();
  for (auto [name, id] : stages) {
    json st = p.rate(id, s.reports, kReportsLabel);
    st["stage"] = name;
    funnel.push_back(st);
  }
  j["funnel"] = funnel;
  // 2, 3. withdrawal
  json w;
  w["withdrawn"] = p.rate(s.withdrawn, s.reports, kReportsLabel);
  w["within_7_days"] = {{"share_of_reports", p.rate(s.w7, s.reports, kReportsLabel)},
                        {"share_of_withdrawals", p.rate(s.w7, s.withdrawn, kWithdrawalsLabel)}};
  w["within_30_days"] = {{"share_of_reports", p.rate(s.w30, s.reports, kReportsLabel)},
                         {"share_of_withdrawals", p.rate(s.w30, s.withdrawn, kWithdrawalsLabel)}};
  w["reports_followed_up_7_days"] = p.count(s.f7);
  w["reports_followed_up_30_days"] = p.count(s.f30);
  w["median_days_among_withdrawals"] =
      p.shown({s.withdrawn}) && s.median_withdrawals ? json(*s.median_withdrawals) : json(nullptr);
  w["median_days_among_withdrawals_denominator_label"] = kWithdrawalsLabel;
  j["withdrawal"] = w;
  j["no_further_action"] = p.rate(s.nfa, s.reports, kReportsLabel);
  // 4. curves
  j["kaplan_meier"] = p.km(s);
  j["cumulative_incidence"] = p.cif(s);
  // 5. trial and conviction
  j["trial"] = p.rate(s.trial, s.reports, kReportsLabel);
  j["convicted"] = p.rate(s.convicted, s.reports, kReportsLabel);
  // 6. change from the previous cohort
  if (prev) {
    json ch;
    ch["previous_cohort"] = prev->cohort;
    ch["direction"] = "this cohort minus the previous cohort";
    json m = json::array();
    const std::tuple<const char*, CellId, CellId> measures[] = {{"recorded_as_crime", s.recorded, prev->recorded},
                                                                {"withdrawn", s.withdrawn, prev->withdrawn},
                                                                {"withdrawn_within_7_days", s.w7, prev->w7},
                                                                {"withdrawn_within_30_days", s.w30, prev->w30},
                                                                {"trial", s.trial, prev->trial},
                                                                {"convicted", s.convicted, prev->convicted}};
    for (auto [name, a, b] : measures) {
      json d = p.difference(a, s.reports, b, prev->reports, kReportsLabel);
      d["measure"] = name;
      m.push_back(d);
    }
    ch["measures"] = m;
    j["change_from_previous"] = ch;
  } else {
    j["change_from_previous"] = nullptr;
  }
  // 7. device requests
  json dev;
  dev["method"] =
      "Cox proportional hazards, time-varying exposure: a case is unexposed "
      "from report to its request day and "
      "exposed from the day after; each band is compared with unexposed time "
      "only (Breslow ties, 95% Wald "
      "interval). Endpoint: withdrawal, censored as in the Kaplan-Meier curve.";
  dev["reference"] = "time since report before any device request (all cases)";
  dev["cases_analysed"] = p.count(s.analysed);
  dev["excluded_device_taken_without_request_date"] = p.count(s.excluded);
  dev["reference_events"] = p.count(s.ref_events);
  dev["naive_comparison"] = {
      {"note",
       "ever vs never requested; biased by immortal time, shown only "
       "for comparison"},
      {"requested", p.rate(s.w_req, s.req, "cases with a device request in the cohort")},
      {"not_requested", p.rate(s.w_notreq, s.notreq, "cases without a device request in the cohort")}};
  json contrasts = json::array();
  for (const auto& c : s.contrasts) contrasts.push_back(p.contrast(c, s.ref_events));
  dev["hazard_ratios"] = contrasts;
  j["device_requests"] = dev;
  // 8. refusals
  json ref;
  ref["refused"] = p.count(s.refused_total);
  ref["requested_not_refused"] = p.count(s.agreed_total);
  json rows = json::array();
  for (size_t k = 0; k < kStatuses.size(); ++k) {
    rows.push_back({{"status", kStatuses[k]},
                    {"refused", p.rate(s.refused_parts[k], s.refused_total, "cases where a request was refused")},
                    {"requested_not_refused",
                     p.rate(s.agreed_parts[k], s.agreed_total, "cases with a request that was not refused")},
                    {"difference", p.difference(s.refused_parts[k], s.refused_total, s.agreed_parts[k], s.agreed_total,
                                                "refused minus requested-not-refused")}});
  }
  ref["outcomes"] = rows;
  j["refusals"] = ref;
  (void)t;
  return j;
}

}  // namespace

json compute_metrics(const MetricsInput& in) {
  const CaseSet& cs = *in.cases;
  const Options& opt = *in.options;
  CellTable table;
  Calculator calc(in, table);

  // Cohorts in order of their earliest report, then label.
  std::vector<int32_t> first(cs.cohorts.size(), INT32_MAX);
  std::vector<std::vector<uint32_t>> members(cs.cohorts.size());
  for (uint32_t i = 0; i < cs.cases.size(); ++i) {
    const auto& c = cs.cases[i];
    members[c.cohort].push_back(i);
    first[c.cohort] = std::min(first[c.cohort], c.day[d_reported]);
  }
  std::vector<uint32_t> order(cs.cohorts.size());
  std::iota(order.begin(), order.end(), 0);
  std::sort(order.begin(), order.end(), [&](uint32_t a, uint32_t b) {
    return first[a] != first[b] ? first[a] < first[b] : cs.cohorts[a] < cs.cohorts[b];
  });

  std::vector<Subset> cohorts;
  for (uint32_t c : order) {
    Subset s;
    s.cohort = cs.cohorts[c];
    s.members = std::move(members[c]);
    calc.compute(s);
    cohorts.push_back(std::move(s));
  }
  // Groups: per --by column, per cohort, per value (value order: by label).
  std::vector<std::vector<std::vector<Subset>>> groups(cs.by_columns.size());
  for (size_t b = 0; b < cs.by_columns.size(); ++b) {
    std::vector<uint32_t> vorder(cs.group_values[b].size());
    std::iota(vorder.begin(), vorder.end(), 0);
    std::sort(vorder.begin(), vorder.end(),
              [&](uint32_t x, uint32_t y) { return cs.group_values[b][x] < cs.group_values[b][y]; });
    for (auto& co : cohorts) {
      std::map<uint32_t, std::vector<uint32_t>> by_value;
      for (uint32_t i : co.members) by_value[cs.cases[i].groups[b]].push_back(i);
      std::vector<Subset> row;
      for (uint32_t v : vorder) {
        auto it = by_value.find(v);
        if (it == by_value.end()) continue;
        Subset s;
        s.cohort = co.cohort;
        s.by = static_cast<int>(b);
        s.value = v;
        s.members = std::move(it->second);
        calc.compute(s);
        row.push_back(std::move(s));
      }
      // Every count in a cohort is the sum of the same count over its groups.
      for (size_t k = 0; k < co.additive.size(); ++k) {
        std::vector<CellId> parts;
        for (const auto& g : row) parts.push_back(g.additive[k]);
        table.constrain(co.additive[k], parts);
      }
      groups[b].push_back(std::move(row));
    }
  }

  // Data quality cells and their links to the cohort counts.
  const auto& dq = cs.quality;
  int64_t skipped_rows = 0;
  for (const auto& [k, v] : dq.skipped_by_kind) skipped_rows += v;
  const CellId rows_read = table.add(cs.rows_read, kCostSummary);
  const CellId rows_used = table.add(static_cast<int64_t>(cs.cases.size()), kCostSummary);
  const CellId rows_skipped = table.add(skipped_rows, kCostSummary);
  std::vector<std::pair<std::string, CellId>> kinds;
  for (const auto& [k, v] : dq.skipped_by_kind) kinds.emplace_back(k, table.add(v, kCostSummary));
  std::vector<CellId> missing;
  for (size_t i = 0; i < dq.columns.size(); ++i) missing.push_back(table.add(dq.missing[i], kCostSummary));
  std::vector<std::pair<std::string, CellId>> notes;
  for (const auto& [k, v] : dq.notes) notes.emplace_back(k, table.add(v, kCostSummary));
  table.constrain(rows_read, {rows_used, rows_skipped});
  {
    std::vector<CellId> parts;
    for (auto& [k, id] : kinds) parts.push_back(id);
    table.constrain(rows_skipped, parts);
    std::vector<CellId> reports;
    for (const auto& co : cohorts) reports.push_back(co.reports);
    table.constrain(rows_used, reports);
    // rows used = empty cells + cohort counts of the same column.
    const std::pair<const char*, CellId Subset::*> linked[] = {
        {"withdrawn_at", &Subset::withdrawn}, {"nfa_at", &Subset::nfa},
        {"charged_at", &Subset::charged},     {"trial_at", &Subset::trial},
        {"referred_at", &Subset::referred},   {"suspect_identified_at", &Subset::suspect}};
    for (auto [col, member] : linked) {
      auto it = std::find(dq.columns.begin(), dq.columns.end(), col);
      if (it == dq.columns.end()) continue;
      std::vector<CellId> parts{missing[static_cast<size_t>(it - dq.columns.begin())]};
      for (const auto& co : cohorts) parts.push_back(co.*member);
      table.constrain(rows_used, parts);
    }
  }

  table.suppress(opt.min_cell, opt.suppress_zeros);
  Publisher pub(table, opt.min_cell);

  json doc;
  doc["schema"] = "remit-oversight-metrics/1";
  doc["tool"] = {{"name", "remit"}, {"version", in.tool_version}};
  doc["input"] = {{"file", opt.input.filename().string()}, {"sha256", cs.input_sha256}};
  json params;
  params["data_date"] = format_day(cs.data_date);
  params["data_date_source"] = cs.data_date_from_file ? "latest date in the file" : "--data-date";
  params["cohort_by"] = cs.cohort_source;
  params["by"] = cs.by_columns;
  params["min_cell"] = opt.min_cell;
  params["suppress_zeros"] = opt.suppress_zeros;
  params["lenient"] = opt.lenient;
  params["packages"] = opt.packages.empty() ? json(nullptr) : json(opt.packages.filename().string());
  params["within_days"] = {7, 30};
  params["confidence_level"] = 0.95;
  params["within_n_days_rule"] = "withdrawn_at - reported_at <= N calendar days; the same day is 0";
  params["request_breadth_source"] = in.authorised.empty() ? "request_days and request_categories from the CSV"
                                                           : "authorised window days and categories from "
                                                             "stats.json where a package "
                                                             "matched the case reference, else the CSV";
  doc["parameters"] = params;
  doc["suppression"] = {
      {"min_cell", opt.min_cell},
      {"primary", opt.suppress_zeros ? "counts from 0 to min_cell-1" : "counts from 1 to min_cell-1 (a 0 is shown)"},
      {"marker",
       "a suppressed count is null with \"suppressed\": true; "
       "shares, intervals and ratios that depend on "
       "it are null too"},
      {"secondary",
       "no additive relation (a total and its parts) is left with a single "
       "suppressed cell, and the "
       "suppressed parts of a shown total add up to at least min_cell"},
      {"curves",
       "steps with fewer than min_cell at risk are not drawn; each "
       "drawn step holds at least min_cell "
       "events"}};
  json jc = json::array();
  for (size_t i = 0; i < cohorts.size(); ++i)
    jc.push_back(subset_json(pub, table, cohorts[i], i ? &cohorts[i - 1] : nullptr, cs));
  doc["cohorts"] = jc;
  json jg = json::array();
  for (size_t b = 0; b < groups.size(); ++b)
    for (size_t ci = 0; ci < groups[b].size(); ++ci)
      for (const auto& g : groups[b][ci]) {
        const Subset* prev = nullptr;
        if (ci > 0)
          for (const auto& pg : groups[b][ci - 1])
            if (pg.value == g.value) prev = &pg;
        jg.push_back(subset_json(pub, table, g, prev, cs));
      }
  doc["groups"] = jg;

  json q;
  q["rows_read"] = pub.count(rows_read);
  q["rows_used"] = pub.count(rows_used);
  q["rows_skipped"] = pub.count(rows_skipped);
  json sk = json::array();
  for (auto& [k, id] : kinds) {
    json e = pub.count(id);
    e["kind"] = k;
    sk.push_back(e);
  }
  q["skipped_by_kind"] = sk;
  json mc = json::array();
  for (size_t i = 0; i < dq.columns.size(); ++i) {
    json e = pub.rate(missing[i], rows_used, "rows used");
    e["column"] = dq.columns[i];
    mc.push_back(e);
  }
  q["missing_by_column"] = mc;
  json nj = json::array();
  for (auto& [k, id] : notes) {
    json e = pub.count(id);
    e["note"] = k;
    nj.push_back(e);
  }
  q["consistency_notes"] = nj;
  q["extra_columns"] = dq.extra_columns;
  doc["data_quality"] = q;
  doc["packages"] = in.packages_summary;
  return doc;
}

}  // namespace remit::oversight
