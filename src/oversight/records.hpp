#pragma once
// Case records: the pinned CSV columns (docs/oversight-format.md), value
// parsing and strict validation. Internal to the oversight layer.
//
// A loaded CaseSet holds only what the metrics need: dates as day numbers
// (days since 1970-01-01, the calendar date as written, in the offset
// given), flags, request breadth, and interned values of the cohort and
// --by columns. Cell values never appear in errors.

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "remit/oversight.hpp"
#include "remit/status.hpp"

namespace remit::oversight {

inline constexpr int32_t kNoDay = INT32_MIN;

// Date columns, in the order of the pinned table.
enum DateCol : int {
  d_reported,
  d_suspect,
  d_requested,
  d_taken,
  d_returned,
  d_withdrawn,
  d_nfa,
  d_referred,
  d_charged,
  d_trial,
  d_outcome,
  kDateCols
};

enum class Tri : uint8_t { unknown, no, yes };
enum class Outcome : uint8_t { none, convicted, acquitted, discontinued, ongoing };

inline constexpr int kAllCategoryCount = 9;  // remit::kAllCategories.size()

struct CaseRecord {
  int64_t line = 0;
  int32_t day[kDateCols];  // kNoDay when empty
  Tri recorded = Tri::unknown;
  Tri refused = Tri::unknown;
  Outcome outcome = Outcome::none;
  int32_t request_days = -1;       // -1 unknown
  int8_t request_categories = -1;  // number of distinct categories; 9 = all; -1 unknown/empty
  bool reason_given = false;       // withdrawal_reason non-empty (the text itself is never kept)
  uint32_t cohort = 0;             // index into CaseSet::cohorts
  std::vector<uint32_t> groups;    // per --by column: index into CaseSet::group_values[i]
};

// Per-column completeness and consistency notes for the data-quality report.
struct DataQuality {
  std::vector<std::string> columns;  // header order
  std::vector<int64_t> missing;      // empty cells per column, over rows used
  std::map<std::string, int64_t> skipped_by_kind;
  std::map<std::string, int64_t> notes;  // consistency notes that are not errors (see docs)
  int64_t extra_columns = 0;
};

struct CaseSet {
  std::vector<CaseRecord> cases;
  std::vector<std::string> case_refs;  // parallel to cases (for --packages)
  std::vector<std::string> cohorts;    // labels, in first-seen order
  std::vector<std::string> by_columns;
  std::vector<std::vector<std::string>> group_values;  // per --by column
  int32_t data_date = kNoDay;
  bool data_date_from_file = true;
  std::string input_sha256;
  int64_t rows_read = 0;
  std::vector<RowError> errors;  // every row error (first per row)
  DataQuality quality;
  std::string cohort_source;  // "column", "year", "financial-year", "quarter"
};

struct ParsedDate {
  int32_t day = kNoDay;           // calendar date as written
  std::optional<int64_t> utc_ms;  // when a time with offset was given
};

// Parses "YYYY-MM-DD" or an RFC 3339 date-time with an offset. nullopt and
// a reason on failure.
[[nodiscard]] std::optional<ParsedDate> parse_case_date(std::string_view s, std::string& reason);
[[nodiscard]] std::string format_day(int32_t day);

// Reads and validates the file. Fails only on file-level problems (cannot
// open, no header, missing required columns, unknown --by column, fatal CSV
// syntax); row errors are returned in CaseSet::errors and the rows are left
// out (the caller decides strict vs lenient).
[[nodiscard]] Result<CaseSet> load_cases(const Options& options);

}  // namespace remit::oversight
