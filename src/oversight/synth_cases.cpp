// remit synth cases: synthetic case records whose true rates, as shares of
// all reports in the cohort, are calibrated to the published figures
// (docs/oversight-metrics.md, "Generator"). Test instrument; never real data.
//
// Model (days since report t = 0..730; nothing happens after day 730):
//   each day, in this order: withdrawal with hazard lw(t) * m(t), no further
//   action (NFA) with hazard ln (from day 14), charge with hazard lc (from
//   day 30); the first of these ends the pre-charge phase. Then the device
//   process moves: a request (for request-eligible cases, daily hazard
//   kRequestHazard; refused with probability kRefuse), taking (daily hazard
//   kTakeHazard), return (daily hazard kReturnHazard). m(t) = 1 before the
//   day after the request, and afterwards kRequestEffect x days factor x
//   categories factor x phase factor (held days so far, or returned).
//   lw is piecewise constant on days 0-7, 8-30, 31-730.
// The five hazards are solved per cohort so that the exact expected shares
// (computed by dynamic programming over the same Markov chain the sampler
// follows) equal the targets; the sampler then draws from that chain, so
// the truth file's shares are the data's expected values.
#include <fcntl.h>
#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>
#include <fstream>
#include <nlohmann/json.hpp>

#include "oversight/records.hpp"
#include "remit/oversight.hpp"
#include "remit/text.hpp"
#include "remit/timeconv.hpp"
#include "remit/version.hpp"

namespace remit::oversight {

namespace {

using json = nlohmann::json;
namespace fs = std::filesystem;

constexpr int kHorizon = 730;
constexpr int kHeldPhases = 91;  // held day 1..91 (91 = day 91 onwards)
// Phases: 0 pre-request, 1 awaiting taking, 2 refused, 3..93 held day d, 94..97
// returned band.
constexpr int kPre = 0, kAwait = 1, kRefused = 2, kHeld0 = 3, kRet0 = kHeld0 + kHeldPhases, kPhases = kRet0 + 4;

constexpr double kRequestHazard = 1.0 / 6.0;  // mean about 6 days from report to request
constexpr double kRefuse = 0.15;
constexpr double kTakeHazard = 1.0 / 2.0;
constexpr double kReturnHazard = 1.0 / 60.0;
constexpr double kRequestEffect = 1.5;
constexpr double kTrialGivenCharge = 0.75;
constexpr double kConvictedGivenTrial = 0.5;
constexpr double kOpenShare = 0.03;  // still open at day 730 (no event)

// Breadth classes of a request (probabilities and hazard factors).
struct BreadthClass {
  const char* label;
  double prob;
  double factor;
};
constexpr std::array<BreadthClass, 4> kDaysClasses = {
    {{"0-7 days", 0.25, 1.0}, {"8-30 days", 0.30, 1.15}, {"31-365 days", 0.25, 1.35}, {"366 days or more", 0.20, 1.6}}};
constexpr std::array<BreadthClass, 4> kCategoryClasses = {{{"1 category", 0.30, 1.0},
                                                           {"2-3 categories", 0.35, 1.1},
                                                           {"4-8 categories", 0.15, 1.25},
                                                           {"all categories", 0.20, 1.45}}};
// Phase factors: awaiting/refused, held 1-7, 8-30, 31-90, 91+, returned (any
// band).
constexpr double kAwaitFactor = 1.0, kHeldFactors[4] = {1.0, 1.2, 1.4, 1.6}, kReturnedFactor = 1.1;

int held_class(int d) {
  return d <= 7 ? 0 : d <= 30 ? 1 : d <= 90 ? 2 : 3;
}

double phase_factor(int phase) {
  if (phase == kPre) return 1.0;
  if (phase == kAwait || phase == kRefused) return kRequestEffect * kAwaitFactor;
  if (phase < kRet0) return kRequestEffect * kHeldFactors[held_class(phase - kHeld0 + 1)];
  return kRequestEffect * kReturnedFactor;
}

struct Targets {
  double recorded, w7, w30, ever, trial, convicted, request;
  bool pinned_recorded, pinned_w7, pinned_w30, pinned_ever, pinned_trial, pinned_convicted;
};

// Published figures (pinned) and stated assumptions in between.
Targets targets_for(int year) {
  struct Row {
    int year;
    Targets t;
  };
  static const Row rows[] = {
      {2016, {0.84, 0.10, 0.22, 0.58, 0.06, 0.03, 0.30, true, false, false, true, true, true}},
      {2019, {0.88, 0.08, 0.18, 0.50, 0.03, 0.015, 0.45, false, false, true, false, false, false}},
      {2021, {0.90, 0.38, 0.64, 0.75, 0.01, 0.005, 0.60, false, true, true, false, true, false}},
  };
  if (year < rows[0].year) {
    Targets t = rows[0].t;
    t.pinned_recorded = t.pinned_w7 = t.pinned_w30 = t.pinned_ever = t.pinned_trial = t.pinned_convicted = false;
    return t;
  }
  for (size_t i = 0; i + 1 < std::size(rows); ++i) {
    const auto& a = rows[i];
    const auto& b = rows[i + 1];
    if (year == a.year) return a.t;
    if (year > a.year && year < b.year) {
      const double f = static_cast<double>(year - a.year) / (b.year - a.year);
      auto mix = [f](double x, double y) { return x + f * (y - x); };
      return Targets{mix(a.t.recorded, b.t.recorded),
                     mix(a.t.w7, b.t.w7),
                     mix(a.t.w30, b.t.w30),
                     mix(a.t.ever, b.t.ever),
                     mix(a.t.trial, b.t.trial),
                     mix(a.t.convicted, b.t.convicted),
                     mix(a.t.request, b.t.request),
                     false,
                     false,
                     false,
                     false,
                     false,
                     false};
    }
  }
  Targets last = rows[std::size(rows) - 1].t;
  if (year != rows[std::size(rows) - 1].year)
    last.pinned_recorded = last.pinned_w7 = last.pinned_w30 = last.pinned_ever = last.pinned_trial =
        last.pinned_convicted = false;
  return last;
}

struct Hazards {
  double w1 = 0.01, w2 = 0.01, w3 = 0.001, n = 0.001, c = 0.0001;
};

double lw(const Hazards& h, int t) {
  if (t <= 7) return h.w1;
  if (t <= 30) return h.w2;
  if (t <= kHorizon) return h.w3;
  return 0;
}
double ln_(const Hazards& h, int t) {
  return t >= 14 && t <= kHorizon ? h.n : 0;
}
double lc_(const Hazards& h, int t) {
  return t >= 30 && t <= kHorizon ? h.c : 0;
}

struct Expected {
  double w7 = 0, w30 = 0, ever = 0, nfa = 0, charged = 0;
};

// Exact expected shares under the chain (full follow-up).
Expected expected(const Hazards& h, double request_share, int horizon = kHorizon) {
  Expected e;
  struct Chain {
    double weight, breadth;
    bool eligible;
  };
  std::vector<Chain> chains{{1 - request_share, 1.0, false}};
  for (const auto& d : kDaysClasses)
    for (const auto& c : kCategoryClasses)
      chains.push_back({request_share * d.prob * c.prob, d.factor * c.factor, true});
  std::array<double, kPhases> mass{}, next{};
  std::array<double, kPhases> mult{};
  for (const auto& ch : chains) {
    mass.fill(0);
    mass[kPre] = ch.weight;
    for (int p = 0; p < kPhases; ++p) mult[p] = p == kPre ? 1.0 : phase_factor(p) * ch.breadth;
    for (int t = 0; t <= horizon; ++t) {
      next.fill(0);
      const double pn = 1 - std::exp(-ln_(h, t)), pc = 1 - std::exp(-lc_(h, t));
      const double lwt = lw(h, t);
      const int pmax = ch.eligible ? kPhases : 1;
      for (int p = 0; p < pmax; ++p) {
        double m = mass[p];
        if (m == 0) continue;
        const double pw = 1 - std::exp(-lwt * mult[p]);
        const double w = m * pw;
        if (t <= 7) e.w7 += w;
        if (t <= 30) e.w30 += w;
        e.ever += w;
        m -= w;
        e.nfa += m * pn;
        m *= 1 - pn;
        e.charged += m * pc;
        m *= 1 - pc;
        if (!ch.eligible) {
          next[p] += m;
        } else if (p == kPre) {
          next[kRefused] += m * kRequestHazard * kRefuse;
          next[kAwait] += m * kRequestHazard * (1 - kRefuse);
          next[kPre] += m * (1 - kRequestHazard);
        } else if (p == kAwait) {
          next[kHeld0] += m * kTakeHazard;
          next[kAwait] += m * (1 - kTakeHazard);
        } else if (p == kRefused || p >= kRet0) {
          next[p] += m;
        } else {
          const int d = p - kHeld0 + 1;
          next[kRet0 + held_class(d)] += m * kReturnHazard;
          next[std::min(p + 1, kRet0 - 1)] += m * (1 - kReturnHazard);
        }
      }
      mass = next;
    }
  }
  return e;
}

// Solves one hazard by bisection on log scale so that f(h) == target
// (f increasing in the hazard).
template <class F>
double solve(double target, F f) {
  double lo = std::log(1e-7), hi = std::log(20.0);
  for (int i = 0; i < 60; ++i) {
    const double mid = (lo + hi) / 2;
    if (f(std::exp(mid)) < target)
      lo = mid;
    else
      hi = mid;
    if (hi - lo < 1e-9) break;
  }
  return std::exp((lo + hi) / 2);
}

// Solves 4x4 linear system in place (Gaussian elimination, partial pivoting).
bool solve4(double a[4][4], double b[4]) {
  for (int c = 0; c < 4; ++c) {
    int piv = c;
    for (int r = c + 1; r < 4; ++r)
      if (std::fabs(a[r][c]) > std::fabs(a[piv][c])) piv = r;
    if (std::fabs(a[piv][c]) < 1e-300) return false;
    std::swap(a[c], a[piv]);
    std::swap(b[c], b[piv]);
    for (int r = 0; r < 4; ++r) {
      if (r == c) continue;
      const double f = a[r][c] / a[c][c];
      for (int k = c; k < 4; ++k) a[r][k] -= f * a[c][k];
      b[r] -= f * b[c];
    }
  }
  for (int c = 0; c < 4; ++c) b[c] /= a[c][c];
  return true;
}

Hazards calibrate(const Targets& t) {
  Hazards h;
  const double charged = t.trial / kTrialGivenCharge;
  const double nfa = 1 - t.ever - charged - kOpenShare;
  // Days 0-7 depend on w1 only (NFA starts on day 14, charge on day 30).
  h.w1 = solve(t.w7, [&](double x) {
    Hazards g = h;
    g.w1 = x;
    return expected(g, t.request, 7).w7;
  });
  // Newton on log hazards for (w2, w3, n, c) -> (w30, ever, nfa, charged).
  const double target[4] = {t.w30, t.ever, nfa, charged};
  double x[4] = {std::log(0.02), std::log(0.002), std::log(0.001), std::log(0.0002)};
  auto eval = [&](const double* v, double* out) {
    Hazards g = h;
    g.w2 = std::exp(v[0]);
    g.w3 = std::exp(v[1]);
    g.n = std::exp(v[2]);
    g.c = std::exp(v[3]);
    const Expected e = expected(g, t.request);
    out[0] = e.w30;
    out[1] = e.ever;
    out[2] = e.nfa;
    out[3] = e.charged;
  };
  for (int it = 0; it < 40; ++it) {
    double f[4];
    eval(x, f);
    double r[4], worst = 0;
    for (int i = 0; i < 4; ++i) {
      r[i] = target[i] - f[i];
      worst = std::max(worst, std::fabs(r[i]));
    }
    if (worst < 1e-10) break;
    double jac[4][4];
    for (int j = 0; j < 4; ++j) {
      double xp[4] = {x[0], x[1], x[2], x[3]}, fp[4];
      xp[j] += 1e-5;
      eval(xp, fp);
      for (int i = 0; i < 4; ++i) jac[i][j] = (fp[i] - f[i]) / 1e-5;
    }
    if (!solve4(jac, r)) break;
    for (int i = 0; i < 4; ++i) x[i] += std::clamp(r[i], -2.0, 2.0);
  }
  h.w2 = std::exp(x[0]);
  h.w3 = std::exp(x[1]);
  h.n = std::exp(x[2]);
  h.c = std::exp(x[3]);
  return h;
}

// xoshiro256** seeded by splitmix64: small, fast, identical on every platform.
class Rng {
 public:
  explicit Rng(uint64_t seed) {
    for (auto& x : s_) {
      seed += 0x9E3779B97F4A7C15ULL;
      uint64_t z = seed;
      z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
      z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
      x = z ^ (z >> 31);
    }
  }
  uint64_t next() {
    const uint64_t r = rotl(s_[1] * 5, 7) * 9;
    const uint64_t t = s_[1] << 17;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = rotl(s_[3], 45);
    return r;
  }
  double uniform() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }
  bool chance(double p) { return uniform() < p; }
  int between(int a, int b) { return a + static_cast<int>(next() % static_cast<uint64_t>(b - a + 1)); }
  template <class Arr>
  size_t pick(const Arr& classes) {
    double u = uniform(), acc = 0;
    for (size_t i = 0; i < classes.size(); ++i) {
      acc += classes[i].prob;
      if (u < acc) return i;
    }
    return classes.size() - 1;
  }

 private:
  static uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  uint64_t s_[4];
};

const char* kCategories[] = {"message",  "call", "contact",  "media", "web_visit",
                             "location", "note", "calendar", "email"};
const char* kForces[] = {"North", "South", "East", "West", "Central"};
const char* kAgeBands[] = {"under 18", "18-24", "25-34", "35-44", "45 and over"};
const char* kReasons[] = {"did not want to continue", "length of the investigation", "concern about the device request",
                          "wants to move on", "fear of the suspect"};

std::string date_or_empty(int32_t day, int32_t data_date) {
  return day == kNoDay || day > data_date ? std::string() : format_day(day);
}

// A file written through a temp name beside it, renamed into place on commit.
class AtomicFile {
 public:
  explicit AtomicFile(fs::path p)
      : path_(std::move(p)),
        tmp_(path_.parent_path() / ("." + path_.filename().string() + ".tmp-" + std::to_string(::getpid()))) {
    fd_ = ::open(tmp_.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  }
  ~AtomicFile() {
    if (fd_ >= 0) ::close(fd_);
    if (!committed_) ::unlink(tmp_.c_str());
  }
  bool ok() const { return fd_ >= 0 && good_; }
  void write(std::string& buf) {
    size_t off = 0;
    while (good_ && off < buf.size()) {
      const ssize_t n = ::write(fd_, buf.data() + off, buf.size() - off);
      if (n < 0 && errno == EINTR) continue;
      if (n < 0)
        good_ = false;
      else
        off += static_cast<size_t>(n);
    }
    buf.clear();
  }
  Status commit() {
    if (!ok()) return make_error(Errc::io, printable(path_.string()) + ": write failed");
    if (::fsync(fd_) != 0 || ::close(fd_) != 0) {
      fd_ = -1;
      return make_error(Errc::io, printable(path_.string()) + ": fsync failed");
    }
    fd_ = -1;
    if (::rename(tmp_.c_str(), path_.c_str()) != 0)
      return make_error(Errc::io, printable(path_.string()) + ": rename failed");
    committed_ = true;
    return {};
  }

 private:
  fs::path path_, tmp_;
  int fd_ = -1;
  bool good_ = true, committed_ = false;
};

Status write_atomic(const fs::path& p, const std::string& data) {
  const fs::path tmp = p.parent_path() / ("." + p.filename().string() + ".tmp-" + std::to_string(::getpid()));
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return make_error(Errc::io, printable(tmp.string()) + ": cannot create");
  size_t off = 0;
  while (off < data.size()) {
    const ssize_t n = ::write(fd, data.data() + off, data.size() - off);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      ::close(fd);
      ::unlink(tmp.c_str());
      return make_error(Errc::io, printable(p.string()) + ": write failed");
    }
    off += static_cast<size_t>(n);
  }
  if (::fsync(fd) != 0 || ::close(fd) != 0) {
    ::unlink(tmp.c_str());
    return make_error(Errc::io, printable(p.string()) + ": fsync failed");
  }
  if (::rename(tmp.c_str(), p.c_str()) != 0) {
    ::unlink(tmp.c_str());
    return make_error(Errc::io, printable(p.string()) + ": rename failed");
  }
  return {};
}

}  // namespace

Result<SynthSummary> generate_cases(const SynthOptions& opt) {
  std::vector<SynthCohort> cohorts = opt.cohorts;
  if (cohorts.empty()) cohorts = {{2016, 501}, {2019, 1000}, {2021, 1000}};
  int last_year = 0;
  for (const auto& c : cohorts) {
    if (c.year < 1990 || c.year > 2100)
      return make_error(Errc::usage, fmt::format("--cohort {}: year out of range", c.year));
    if (c.cases < 1 || c.cases > 50'000'000)
      return make_error(Errc::usage, fmt::format("--cohort {}:{}: case count out of range", c.year, c.cases));
    last_year = std::max(last_year, c.year);
  }
  const int64_t today =
      std::chrono::duration_cast<std::chrono::hours>(std::chrono::system_clock::now().time_since_epoch()).count() / 24;
  int32_t data_date;
  if (opt.data_date) {
    std::string why;
    auto d = parse_case_date(*opt.data_date, why);
    if (!d || d->utc_ms) return make_error(Errc::usage, "--data-date: expected a date YYYY-MM-DD");
    data_date = d->day;
  } else {
    data_date = static_cast<int32_t>(std::min<int64_t>(days_from_civil(last_year + 4, 12, 31), today - 1));
  }
  if (data_date > today) return make_error(Errc::usage, "--data-date is in the future");

  json truth;
  truth["generator"] = "remit synth cases";
  truth["tool_version"] = kVersion;
  truth["seed"] = opt.seed;
  truth["data_date"] = format_day(data_date);
  truth["denominator"] = "all reports in the cohort";
  truth["follow_up_note"] =
      "expected shares assume full follow-up (730 days for withdrawal, NFA and "
      "charge; trial and verdict up to 620 days "
      "after charge); reports closer to the data date are censored in the data";
  json device;
  device["request_hazard_per_day"] = kRequestHazard;
  device["refused_probability"] = kRefuse;
  device["take_hazard_per_day"] = kTakeHazard;
  device["return_hazard_per_day"] = kReturnHazard;
  device["exposure_starts"] = "the day after the request date";
  device["request_effect"] = kRequestEffect;
  for (const auto& d : kDaysClasses) device["days_factor"][d.label] = d.factor;
  for (const auto& c : kCategoryClasses) device["categories_factor"][c.label] = c.factor;
  device["phase_factor"] = {{"requested, device not (yet) taken or refused", kAwaitFactor},
                            {"device held, days 1-7", kHeldFactors[0]},
                            {"device held, days 8-30", kHeldFactors[1]},
                            {"device held, days 31-90", kHeldFactors[2]},
                            {"device held, day 91 onwards", kHeldFactors[3]},
                            {"returned", kReturnedFactor}};
  device["hazard_multiplier"] =
      "request_effect x days_factor x categories_factor x phase_factor, after "
      "the request";
  truth["device_model"] = device;
  truth["trial_given_charge"] = kTrialGivenCharge;
  truth["convicted_given_trial"] = kConvictedGivenTrial;

  AtomicFile csv(opt.out);
  if (!csv.ok()) return make_error(Errc::io, printable(opt.out.string()) + ": cannot create (does the folder exist?)");
  std::string out;
  out.reserve(static_cast<size_t>(1) << 22);
  out +=
      "case_ref,reported_at,recorded_as_crime,suspect_identified_at,device_"
      "requested_at,request_days,"
      "request_categories,device_refused,device_taken_at,device_returned_at,"
      "withdrawn_at,withdrawal_reason,nfa_at,"
      "referred_at,charged_at,trial_at,outcome,outcome_at,force,age_band\r\n";
  int64_t rows = 0;
  json jcohorts = json::array();
  for (const auto& co : cohorts) {
    const Targets tg = targets_for(co.year);
    const Hazards h = calibrate(tg);
    const Expected ex = expected(h, tg.request);
    json jc;
    jc["year"] = co.year;
    jc["cases"] = co.cases;
    json pinned = json::object();
    if (tg.pinned_recorded) pinned["recorded_as_crime"] = tg.recorded;
    if (tg.pinned_w7) pinned["withdrawn_within_7_days"] = tg.w7;
    if (tg.pinned_w30) pinned["withdrawn_within_30_days"] = tg.w30;
    if (tg.pinned_ever) pinned["withdrawn_ever"] = tg.ever;
    if (tg.pinned_trial) pinned["trial"] = tg.trial;
    if (tg.pinned_convicted) pinned["convicted"] = tg.convicted;
    jc["published_targets"] = pinned;
    jc["expected_shares_of_reports"] = {
        {"recorded_as_crime", tg.recorded},        {"withdrawn_within_7_days", ex.w7},
        {"withdrawn_within_30_days", ex.w30},      {"withdrawn_ever", ex.ever},
        {"no_further_action_first", ex.nfa},       {"charged", ex.charged},
        {"trial", ex.charged * kTrialGivenCharge}, {"convicted", ex.charged * kTrialGivenCharge * kConvictedGivenTrial},
        {"device_request_eligible", tg.request}};
    jc["hazards_per_day"] = {{"withdrawal_days_0_7", h.w1},
                             {"withdrawal_days_8_30", h.w2},
                             {"withdrawal_days_31_730", h.w3},
                             {"nfa_from_day_14", h.n},
                             {"charge_from_day_30", h.c}};
    jcohorts.push_back(jc);

    Rng rng(opt.seed * 0x100000001B3ULL ^ static_cast<uint64_t>(co.year) * 0x9E3779B97F4A7C15ULL);
    const int32_t year_start = static_cast<int32_t>(days_from_civil(co.year, 1, 1));
    const int32_t year_end = static_cast<int32_t>(days_from_civil(co.year, 12, 31));
    const int32_t last_report = std::min(year_end, data_date);
    if (last_report < year_start)
      return make_error(Errc::usage, fmt::format("--cohort {}: after the data date", co.year));
    for (int64_t i = 0; i < co.cases; ++i) {
      const int32_t rep = rng.between(year_start, last_report);
      const bool recorded = rng.chance(tg.recorded);
      const bool eligible = rng.chance(tg.request);
      const size_t dcls = rng.pick(kDaysClasses), ccls = rng.pick(kCategoryClasses);
      const double breadth = kDaysClasses[dcls].factor * kCategoryClasses[ccls].factor;
      int phase = kPre;
      int32_t requested = kNoDay, taken = kNoDay, returned = kNoDay, withdrawn = kNoDay, nfa = kNoDay, charged = kNoDay;
      bool refused = false;
      const int last_t = std::min(kHorizon, data_date - rep);
      for (int t = 0; t <= last_t; ++t) {
        const double m = phase == kPre ? 1.0 : phase_factor(phase) * breadth;
        if (rng.chance(1 - std::exp(-lw(h, t) * m))) {
          withdrawn = rep + t;
          break;
        }
        if (rng.chance(1 - std::exp(-ln_(h, t)))) {
          nfa = rep + t;
          break;
        }
        if (rng.chance(1 - std::exp(-lc_(h, t)))) {
          charged = rep + t;
          break;
        }
        if (!eligible) continue;
        if (phase == kPre) {
          if (rng.chance(kRequestHazard)) {
            requested = rep + t;
            refused = rng.chance(kRefuse);
            phase = refused ? kRefused : kAwait;
          }
        } else if (phase == kAwait) {
          if (rng.chance(kTakeHazard)) {
            taken = rep + t;
            phase = kHeld0;
          }
        } else if (phase >= kHeld0 && phase < kRet0) {
          const int d = phase - kHeld0 + 1;
          if (rng.chance(kReturnHazard)) {
            returned = rep + t;
            phase = kRet0 + held_class(d);
          } else {
            phase = std::min(phase + 1, kRet0 - 1);
          }
        }
      }
      // A held device comes back after the case ends too (same return hazard).
      if (taken != kNoDay && returned == kNoDay && phase < kRet0) {
        int32_t d = std::max(taken + 1, withdrawn != kNoDay ? withdrawn
                                        : nfa != kNoDay     ? nfa
                                        : charged != kNoDay ? charged
                                                            : taken + 1);
        while (d <= data_date && !rng.chance(kReturnHazard)) ++d;
        if (d <= data_date) returned = d;
      }
      // Suspect identified, referral, trial and outcome.
      const int32_t end = withdrawn != kNoDay ? withdrawn
                          : nfa != kNoDay     ? nfa
                          : charged != kNoDay ? charged
                                              : data_date;
      int32_t suspect = kNoDay;
      if (rng.chance(0.75)) {
        const int32_t s = rep + rng.between(0, 20);
        if (s <= end || charged != kNoDay) suspect = charged != kNoDay ? std::min(s, charged) : s;
      }
      int32_t referred = kNoDay, trial = kNoDay, outcome_at = kNoDay;
      std::string outcome;
      if (charged != kNoDay) {
        referred = std::max(rep, charged - rng.between(5, 60));
        if (suspect == kNoDay) suspect = std::max(rep, referred - rng.between(0, 10));
        if (suspect > referred) suspect = referred;
        if (rng.chance(kTrialGivenCharge)) {
          trial = charged + rng.between(250, 600);
          const bool convicted = rng.chance(kConvictedGivenTrial);
          outcome_at = trial + rng.between(3, 20);
          if (trial > data_date) {
            trial = kNoDay;
            outcome = "ongoing";
            outcome_at = kNoDay;
          } else if (outcome_at > data_date) {
            outcome = "ongoing";
            outcome_at = kNoDay;
          } else {
            outcome = convicted ? "convicted" : "acquitted";
          }
        } else {
          outcome_at = charged + rng.between(30, 200);
          if (outcome_at > data_date) {
            outcome = "ongoing";
            outcome_at = kNoDay;
          } else {
            outcome = "discontinued";
          }
        }
      } else if (nfa != kNoDay && rng.chance(0.3)) {
        referred = std::max(rep, nfa - rng.between(5, 30));
        if (suspect == kNoDay || suspect > referred) suspect = referred;
      }
      std::string days_text, cats_text;
      if (requested != kNoDay) {
        static const int kDayChoices[4][2] = {{3, 7}, {14, 30}, {90, 365}, {730, 2555}};
        days_text = std::to_string(kDayChoices[dcls][rng.between(0, 1)]);
        if (ccls == 3) {
          cats_text = "all";
        } else {
          const int n = ccls == 0 ? 1 : ccls == 1 ? rng.between(2, 3) : rng.between(4, 8);
          int idx[9] = {0, 1, 2, 3, 4, 5, 6, 7, 8};
          for (int k = 0; k < n; ++k) std::swap(idx[k], idx[k + rng.between(0, 8 - k)]);
          std::sort(idx, idx + n);
          for (int k = 0; k < n; ++k) {
            if (k) cats_text += ';';
            cats_text += kCategories[idx[k]];
          }
        }
      }
      out += fmt::format("C{:02}-{:07},", co.year % 100, i + 1);
      out += format_day(rep);
      out += recorded ? ",yes," : ",no,";
      out += date_or_empty(suspect, data_date);
      out += ',';
      out += date_or_empty(requested, data_date);
      out += ',';
      out += days_text;
      out += ',';
      out += cats_text;
      out += ',';
      out += requested == kNoDay ? "" : refused ? "yes" : "no";
      out += ',';
      out += date_or_empty(taken, data_date);
      out += ',';
      out += date_or_empty(returned, data_date);
      out += ',';
      out += date_or_empty(withdrawn, data_date);
      out += ',';
      if (withdrawn != kNoDay) out += kReasons[rng.between(0, 4)];
      out += ',';
      out += date_or_empty(nfa, data_date);
      out += ',';
      out += date_or_empty(referred, data_date);
      out += ',';
      out += date_or_empty(charged, data_date);
      out += ',';
      out += date_or_empty(trial, data_date);
      out += ',';
      out += outcome;
      out += ',';
      out += date_or_empty(outcome_at, data_date);
      out += ',';
      out += kForces[rng.between(0, 4)];
      out += ',';
      out += kAgeBands[rng.between(0, 4)];
      out += "\r\n";
      ++rows;
      if (out.size() > (static_cast<size_t>(1) << 22) - 4096) csv.write(out);
    }
  }
  truth["cohorts"] = jcohorts;
  // The truth file first: a CSV never appears without its truth.
  csv.write(out);
  const fs::path truth_path = opt.out.string() + ".truth.json";
  if (auto s = write_atomic(truth_path, truth.dump(2) + "\n"); !s) return std::move(s).error();
  if (auto s = csv.commit(); !s) return std::move(s).error();
  return SynthSummary{rows, truth_path, format_day(data_date)};
}

}  // namespace remit::oversight
