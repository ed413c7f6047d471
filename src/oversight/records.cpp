// Case-record ingest: the pinned columns, value rules and strict validation
// (issue 9; docs/oversight-format.md). Errors name line, column and reason,
// never the value.
#include "oversight/records.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <fstream>
#include <unordered_map>
#include <unordered_set>

#include "oversight/csv.hpp"
#include "remit/hash.hpp"
#include "remit/text.hpp"
#include "remit/timeconv.hpp"
#include "remit/vocabulary.hpp"

namespace remit::oversight {

namespace {

// Required columns (the pinned table). Order here is only for lookup.
enum Col : int {
  c_case_ref,
  c_reported,
  c_recorded,
  c_suspect,
  c_requested,
  c_request_days,
  c_request_categories,
  c_refused,
  c_taken,
  c_returned,
  c_withdrawn,
  c_withdrawal_reason,
  c_nfa,
  c_referred,
  c_charged,
  c_trial,
  c_outcome,
  c_outcome_at,
  kRequired
};

constexpr const char* kRequiredNames[kRequired] = {
    "case_ref",
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
    "outcome_at",
};

constexpr const char* kOptionalGrouping[] = {"cohort",    "force",      "offence_code", "age_band",      "sex",
                                             "ethnicity", "disability", "relationship", "domestic_abuse"};

// Date column -> CSV column.
constexpr Col kDateColumn[kDateCols] = {c_reported, c_suspect,  c_requested, c_taken, c_returned,  c_withdrawn,
                                        c_nfa,      c_referred, c_charged,   c_trial, c_outcome_at};

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

int parse_n(std::string_view s, size_t pos, size_t n) {
  int v = 0;
  for (size_t i = 0; i < n; ++i) v = v * 10 + (s[pos + i] - '0');
  return v;
}

bool all_digits(std::string_view s, size_t pos, size_t n) {
  if (pos + n > s.size()) return false;
  for (size_t i = 0; i < n; ++i)
    if (!is_digit(s[pos + i])) return false;
  return true;
}

unsigned days_in_month(int y, int m) {
  static constexpr unsigned k[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  return m == 2 && leap ? 29u : k[m - 1];
}

struct Interner {
  std::unordered_map<std::string, uint32_t> index;
  std::vector<std::string>* values;
  uint32_t get(const std::string& s) {
    auto it = index.find(s);
    if (it != index.end()) return it->second;
    const auto id = static_cast<uint32_t>(values->size());
    values->push_back(s);
    index.emplace(s, id);
    return id;
  }
};

struct RefHash {
  const std::vector<std::string>* refs;
  size_t operator()(uint32_t i) const { return std::hash<std::string>{}((*refs)[i]); }
};
struct RefEq {
  const std::vector<std::string>* refs;
  bool operator()(uint32_t a, uint32_t b) const { return (*refs)[a] == (*refs)[b]; }
};

}  // namespace

std::optional<ParsedDate> parse_case_date(std::string_view s, std::string& reason) {
  ParsedDate out;
  if (s.size() < 10 || !all_digits(s, 0, 4) || s[4] != '-' || !all_digits(s, 5, 2) || s[7] != '-' ||
      !all_digits(s, 8, 2)) {
    reason = "not an ISO 8601 date (YYYY-MM-DD, or a date-time with an offset)";
    return std::nullopt;
  }
  const int y = parse_n(s, 0, 4), m = parse_n(s, 5, 2), d = parse_n(s, 8, 2);
  if (y < 1900 || m < 1 || m > 12 || d < 1 || static_cast<unsigned>(d) > days_in_month(y, m)) {
    reason = "not a valid calendar date";
    return std::nullopt;
  }
  out.day = static_cast<int32_t>(days_from_civil(y, static_cast<unsigned>(m), static_cast<unsigned>(d)));
  if (s.size() == 10) return out;
  // Date-time: YYYY-MM-DDTHH:MM[:SS[.fff]](Z|+HH:MM|-HH:MM)
  if (s[10] != 'T' || !all_digits(s, 11, 2) || s.size() < 16 || s[13] != ':' || !all_digits(s, 14, 2)) {
    reason = "not an ISO 8601 date-time (YYYY-MM-DDTHH:MM[:SS]+HH:MM)";
    return std::nullopt;
  }
  if (parse_n(s, 11, 2) > 23 || parse_n(s, 14, 2) > 59) {
    reason = "not a valid time of day";
    return std::nullopt;
  }
  size_t p = 16;
  if (p < s.size() && s[p] == ':') {
    if (!all_digits(s, p + 1, 2) || parse_n(s, p + 1, 2) > 60) {
      reason = "not a valid time of day";
      return std::nullopt;
    }
    p += 3;
    if (p < s.size() && s[p] == '.') {
      ++p;
      const size_t start = p;
      while (p < s.size() && is_digit(s[p])) ++p;
      if (p == start) {
        reason = "empty fraction of a second";
        return std::nullopt;
      }
    }
  }
  const std::string_view zone = s.substr(p);
  const bool z = zone == "Z";
  const bool colon = zone.size() == 6 && (zone[0] == '+' || zone[0] == '-') && all_digits(zone, 1, 2) &&
                     zone[3] == ':' && all_digits(zone, 4, 2);
  const bool plain = zone.size() == 5 && (zone[0] == '+' || zone[0] == '-') && all_digits(zone, 1, 4);
  if (zone.empty()) {
    reason = "a date-time needs an offset (Z or +HH:MM)";
    return std::nullopt;
  }
  if (!z && !colon && !plain) {
    reason = "not a valid UTC offset (Z or +HH:MM)";
    return std::nullopt;
  }
  auto ms = parse_iso8601_ms(s);
  if (!ms) {
    reason = "not a valid date-time";
    return std::nullopt;
  }
  out.utc_ms = *ms;
  return out;
}

std::string format_day(int32_t day) {
  if (day == kNoDay) return "";
  return format_date_utc(static_cast<int64_t>(day) * 86400000LL);
}

namespace {

// Cohort labels by reported date; cheap civil conversion (Howard Hinnant's
// civil_from_days algorithm, public domain description).
void civil_from_days(int64_t z, int& y, unsigned& m, unsigned& d) {
  z += 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const auto doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int64_t yy = static_cast<int64_t>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  d = doy - (153 * mp + 2) / 5 + 1;
  m = mp < 10 ? mp + 3 : mp - 9;
  y = static_cast<int>(yy + (m <= 2));
}

std::string cohort_label(int32_t day, CohortBy by) {
  int y;
  unsigned m, d;
  civil_from_days(day, y, m, d);
  switch (by) {
    case CohortBy::financial_year: {
      const int start = m >= 4 ? y : y - 1;
      return fmt::format("{}/{:02}", start, (start + 1) % 100);
    }
    case CohortBy::quarter:
      return fmt::format("{}-Q{}", y, (m - 1) / 3 + 1);
    default:
      return std::to_string(y);
  }
}

struct Cell {
  std::string_view text;
  bool empty() const { return text.empty(); }
};

}  // namespace

Result<CaseSet> load_cases(const Options& options) {
  const std::string fname = options.input.filename().string();
  std::ifstream in(options.input, std::ios::binary);
  if (!in) return make_error(Errc::not_found, printable(options.input.string()) + ": cannot open the case-record file");
  Hasher hasher;
  CsvReader reader(in, &hasher);
  CsvRecord rec;
  CaseSet set;
  auto& dq = set.quality;

  // ---- header
  if (!reader.next(rec) || (rec.blank && rec.count == 1))
    return make_error(Errc::malformed, printable(fname) + ": line 1: the file is empty or has no header row");
  if (rec.issue)
    return make_error(Errc::malformed,
                      fmt::format("{}: line {}: header row: {}", printable(fname), rec.line, rec.issue->reason));
  std::vector<std::string> header(rec.fields.begin(), rec.fields.begin() + static_cast<long>(rec.count));
  dq.columns = header;
  dq.missing.assign(header.size(), 0);
  std::unordered_map<std::string, size_t> pos;
  for (size_t i = 0; i < header.size(); ++i) {
    if (header[i].empty())
      return make_error(Errc::malformed,
                        fmt::format("{}: line 1, column {}: header name is empty", printable(fname), i + 1));
    if (!pos.emplace(header[i], i).second)
      return make_error(Errc::malformed, fmt::format("{}: line 1, column {}: duplicate header name '{}'",
                                                     printable(fname), i + 1, printable(header[i])));
  }
  int idx[kRequired];
  std::string missing_cols;
  for (int c = 0; c < kRequired; ++c) {
    auto it = pos.find(kRequiredNames[c]);
    if (it == pos.end()) {
      missing_cols += missing_cols.empty() ? "" : ", ";
      missing_cols += kRequiredNames[c];
      idx[c] = -1;
    } else {
      idx[c] = static_cast<int>(it->second);
    }
  }
  if (!missing_cols.empty())
    return make_error(Errc::malformed,
                      fmt::format("{}: line 1: required column(s) missing: {}", printable(fname), missing_cols));
  {
    std::unordered_set<std::string> known(std::begin(kRequiredNames), std::end(kRequiredNames));
    known.insert(std::begin(kOptionalGrouping), std::end(kOptionalGrouping));
    for (const auto& h : header)
      if (!known.count(h)) ++dq.extra_columns;
  }
  const auto cohort_it = pos.find("cohort");
  const int cohort_col =
      (options.cohort_by == CohortBy::automatic && cohort_it != pos.end()) ? static_cast<int>(cohort_it->second) : -1;
  const CohortBy cohort_by = options.cohort_by == CohortBy::automatic ? CohortBy::year : options.cohort_by;
  set.cohort_source = cohort_col >= 0                         ? "column"
                      : cohort_by == CohortBy::financial_year ? "financial-year"
                      : cohort_by == CohortBy::quarter        ? "quarter"
                                                              : "year";
  std::vector<int> by_idx;
  for (const auto& b : options.by) {
    auto it = pos.find(b);
    if (it == pos.end())
      return make_error(Errc::usage,
                        fmt::format("{}: --by {}: no such column in the header", printable(fname), printable(b)));
    bool required = false;
    for (auto* r : kRequiredNames) required = required || b == r;
    if (required)
      return make_error(Errc::usage, fmt::format("--by {}: only grouping columns (cohort, force, offence_code, "
                                                 "age_band, sex, ethnicity, disability, relationship, "
                                                 "domestic_abuse) or extra columns can group",
                                                 printable(b)));
    by_idx.push_back(static_cast<int>(it->second));
    set.by_columns.push_back(b);
  }
  set.group_values.resize(by_idx.size());
  std::vector<Interner> group_interners(by_idx.size());
  for (size_t i = 0; i < by_idx.size(); ++i) group_interners[i].values = &set.group_values[i];
  Interner cohort_interner{{}, &set.cohorts};

  std::unordered_set<uint32_t, RefHash, RefEq> seen(1024, RefHash{&set.case_refs}, RefEq{&set.case_refs});
  std::vector<int64_t> ref_line;  // line of each accepted case_ref (parallel to case_refs)

  const int64_t today =
      std::chrono::duration_cast<std::chrono::hours>(std::chrono::system_clock::now().time_since_epoch()).count() / 24;

  std::optional<int32_t> explicit_data_date;
  if (options.data_date) {
    std::string why;
    auto d = parse_case_date(*options.data_date, why);
    if (!d || d->utc_ms) return make_error(Errc::usage, "--data-date: expected a date YYYY-MM-DD");
    explicit_data_date = d->day;
  }
  int32_t latest = kNoDay;

  std::error_code size_ec;
  const auto file_size = std::filesystem::file_size(options.input, size_ec);
  while (reader.next(rec)) {
    ++set.rows_read;
    if (options.on_progress && (set.rows_read & 0xFFFF) == 0 && !size_ec)
      options.on_progress(reader.bytes_read(), file_size);
    auto error = [&](int col, std::string kind, std::string reason) {
      set.errors.push_back(RowError{rec.line, col >= 0 && col < static_cast<int>(header.size()) ? header[col] : "",
                                    std::move(reason), std::move(kind)});
    };
    if (rec.issue) {
      error(static_cast<int>(rec.issue->field), "syntax", rec.issue->reason);
      if (rec.issue->fatal) break;
      continue;
    }
    if (rec.blank) {
      error(-1, "fields", "blank line");
      continue;
    }
    if (rec.count != header.size()) {
      error(-1, "fields", fmt::format("has {} fields; the header has {}", rec.count, header.size()));
      continue;
    }
    auto cell = [&](int c) -> std::string_view { return rec.fields[static_cast<size_t>(idx[c])]; };
    CaseRecord cr;
    cr.line = rec.line;
    std::fill(std::begin(cr.day), std::end(cr.day), kNoDay);
    bool bad = false;
    auto fail = [&](int c, const char* kind, std::string reason) {
      if (!bad) error(idx[c], kind, std::move(reason));
      bad = true;
    };
    // case_ref
    if (cell(c_case_ref).empty()) fail(c_case_ref, "missing", "case_ref is empty");
    // dates
    std::array<int64_t, kDateCols> ms;
    ms.fill(INT64_MIN);
    for (int d = 0; d < kDateCols && !bad; ++d) {
      auto t = cell(kDateColumn[d]);
      cr.day[d] = kNoDay;
      if (t.empty()) continue;
      std::string why;
      auto pd = parse_case_date(t, why);
      if (!pd) {
        fail(kDateColumn[d], "date", why);
        break;
      }
      cr.day[d] = pd->day;
      if (pd->utc_ms) ms[d] = *pd->utc_ms;
    }
    if (!bad && cr.day[d_reported] == kNoDay) fail(c_reported, "missing", "reported_at is empty");
    // yes/no
    auto yes_no = [&](int c, Tri& out) {
      if (bad) return;
      auto t = cell(c);
      if (t.empty())
        out = Tri::unknown;
      else if (iequals(t, "yes"))
        out = Tri::yes;
      else if (iequals(t, "no"))
        out = Tri::no;
      else
        fail(c, "yes_no", "expected yes or no (any case), or empty");
    };
    yes_no(c_recorded, cr.recorded);
    yes_no(c_refused, cr.refused);
    // request_days
    if (!bad && !cell(c_request_days).empty()) {
      auto t = cell(c_request_days);
      bool ok = t.size() <= 6;
      int64_t v = 0;
      for (char ch : t) {
        ok = ok && is_digit(ch);
        if (ok) v = v * 10 + (ch - '0');
      }
      if (!ok)
        fail(c_request_days, "integer", "expected a whole number of days (0 to 999999), or empty");
      else
        cr.request_days = static_cast<int32_t>(v);
    }
    // request_categories
    if (!bad && !cell(c_request_categories).empty()) {
      auto t = cell(c_request_categories);
      if (iequals(trim(t), "all")) {
        cr.request_categories = kAllCategoryCount;
      } else {
        unsigned mask = 0;
        for (auto tok : split(t, ';')) {
          tok = trim(tok);
          if (tok.empty()) {
            fail(c_request_categories, "token", "empty category token between ';'");
            break;
          }
          auto cat = parse_category(ascii_lower(tok));
          if (!cat) {
            fail(c_request_categories, "token",
                 "unknown category token (expected message, call, contact, "
                 "media, web_visit, location, note, "
                 "calendar, email, or all)");
            break;
          }
          if (iequals(tok, "all")) {
            fail(c_request_categories, "token", "'all' cannot be combined with other categories");
            break;
          }
          mask |= 1u << static_cast<unsigned>(*cat);
        }
        if (!bad) cr.request_categories = static_cast<int8_t>(__builtin_popcount(mask));
      }
    }
    // outcome
    if (!bad) {
      auto t = cell(c_outcome);
      if (t.empty())
        cr.outcome = Outcome::none;
      else if (iequals(t, "convicted"))
        cr.outcome = Outcome::convicted;
      else if (iequals(t, "acquitted"))
        cr.outcome = Outcome::acquitted;
      else if (iequals(t, "discontinued"))
        cr.outcome = Outcome::discontinued;
      else if (iequals(t, "ongoing"))
        cr.outcome = Outcome::ongoing;
      else
        fail(c_outcome, "token", "expected convicted, acquitted, discontinued, ongoing, or empty");
      if (!bad && cr.outcome == Outcome::none && cr.day[d_outcome] != kNoDay)
        fail(c_outcome_at, "inconsistent", "outcome_at is given but outcome is empty");
    }
    cr.reason_given = !cell(c_withdrawal_reason).empty();
    // ordering: every event on or after the report; then the pinned pairs
    auto before = [&](int a,
                      int b) {  // true if date a is strictly before date b
      if (ms[a] != INT64_MIN && ms[b] != INT64_MIN) return ms[a] < ms[b];
      return cr.day[a] < cr.day[b];
    };
    auto order = [&](int later, int earlier, const char* earlier_name) {
      if (bad || cr.day[later] == kNoDay || cr.day[earlier] == kNoDay) return;
      if (before(later, earlier)) fail(kDateColumn[later], "order", fmt::format("date is before {}", earlier_name));
    };
    for (int d = 1; d < kDateCols; ++d) order(d, d_reported, "reported_at");
    order(d_taken, d_requested, "device_requested_at");
    order(d_returned, d_taken, "device_taken_at");
    order(d_charged, d_referred, "referred_at");
    order(d_trial, d_charged, "charged_at");
    order(d_trial, d_referred, "referred_at");
    order(d_outcome, d_charged, "charged_at");
    if (cr.outcome == Outcome::convicted || cr.outcome == Outcome::acquitted) order(d_outcome, d_trial, "trial_at");
    // future dates, and dates after an explicit data date
    for (int d = 0; d < kDateCols && !bad; ++d)
      if (cr.day[d] != kNoDay && cr.day[d] > today) fail(kDateColumn[d], "future", "date is after today's date");
    for (int d = 0; d < kDateCols && !bad && explicit_data_date; ++d)
      if (cr.day[d] != kNoDay && cr.day[d] > *explicit_data_date)
        fail(kDateColumn[d], "after_data_date", "date is after the data date (--data-date)");
    // cohort
    std::string cohort;
    if (!bad) {
      if (cohort_col >= 0) {
        auto t = rec.fields[static_cast<size_t>(cohort_col)];
        if (t.empty()) {
          set.errors.push_back(RowError{rec.line, "cohort", "cohort is empty (the column is present)", "missing"});
          bad = true;
        }
        cohort = t;
      } else {
        cohort = cohort_label(cr.day[d_reported], cohort_by);
      }
    }
    // duplicates
    if (!bad) {
      set.case_refs.emplace_back(cell(c_case_ref));
      const auto id = static_cast<uint32_t>(set.case_refs.size() - 1);
      auto [it, inserted] = seen.insert(id);
      if (!inserted) {
        set.case_refs.pop_back();
        fail(c_case_ref, "duplicate", fmt::format("duplicate case_ref (first seen on line {})", ref_line[*it]));
      } else {
        ref_line.push_back(rec.line);
      }
    }
    if (bad) continue;
    cr.cohort = cohort_interner.get(cohort);
    cr.groups.resize(by_idx.size());
    for (size_t i = 0; i < by_idx.size(); ++i)
      cr.groups[i] = group_interners[i].get(rec.fields[static_cast<size_t>(by_idx[i])]);
    for (size_t i = 0; i < header.size(); ++i)
      if (rec.fields[i].empty()) ++dq.missing[i];
    for (int d = 0; d < kDateCols; ++d)
      if (cr.day[d] != kNoDay && cr.day[d] > latest) latest = cr.day[d];
    set.cases.push_back(std::move(cr));
  }
  // The whole file is hashed even if a fatal syntax error stopped the parse.
  while (reader.next(rec)) {
  }
  if (options.on_progress && !size_ec) options.on_progress(file_size, file_size);
  set.input_sha256 = hasher.hex_final();
  set.data_date_from_file = !explicit_data_date;
  set.data_date = explicit_data_date ? *explicit_data_date : latest;
  std::sort(set.errors.begin(), set.errors.end(), [](const RowError& a, const RowError& b) { return a.line < b.line; });
  for (const auto& e : set.errors) ++dq.skipped_by_kind[e.kind];

  // Consistency notes (not errors; see docs/oversight-format.md).
  auto note = [&](const char* key, bool cond) {
    if (cond) ++dq.notes[key];
  };
  for (const auto& c : set.cases) {
    const bool closed_before_withdrawal =
        c.day[d_withdrawn] != kNoDay &&
        ((c.day[d_nfa] != kNoDay && c.day[d_nfa] < c.day[d_withdrawn]) ||
         (c.day[d_outcome] != kNoDay && c.outcome != Outcome::ongoing && c.day[d_outcome] < c.day[d_withdrawn]));
    note("trial_at without charged_at", c.day[d_trial] != kNoDay && c.day[d_charged] == kNoDay);
    note("charged_at without referred_at", c.day[d_charged] != kNoDay && c.day[d_referred] == kNoDay);
    note("verdict without charged_at",
         (c.outcome == Outcome::convicted || c.outcome == Outcome::acquitted) && c.day[d_charged] == kNoDay);
    note("outcome without outcome_at",
         c.outcome != Outcome::none && c.outcome != Outcome::ongoing && c.day[d_outcome] == kNoDay);
    note("device_returned_at without device_taken_at", c.day[d_returned] != kNoDay && c.day[d_taken] == kNoDay);
    note("device_taken_at without device_requested_at", c.day[d_taken] != kNoDay && c.day[d_requested] == kNoDay);
    note("device_refused yes but device_taken_at given", c.refused == Tri::yes && c.day[d_taken] != kNoDay);
    note("device_refused yes without device_requested_at", c.refused == Tri::yes && c.day[d_requested] == kNoDay);
    note("request breadth without device_requested_at",
         (c.request_days >= 0 || c.request_categories >= 0) && c.day[d_requested] == kNoDay);
    note("withdrawal_reason without withdrawn_at", c.reason_given && c.day[d_withdrawn] == kNoDay);
    note("withdrawn after the case was closed", closed_before_withdrawal);
  }
  return set;
}

}  // namespace remit::oversight
