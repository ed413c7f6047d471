#pragma once
// Oversight: attrition metrics from case records, and a calibrated
// synthetic case-record generator (issue 9; definitions in
// docs/oversight-metrics.md, input format in docs/oversight-format.md).
//
// Contracts:
// - run_oversight() reads one CSV file of case records (RFC 4180, UTF-8,
//   header row), validates it strictly, computes the metrics, applies
//   small-cell suppression and, when `out` is set, writes metrics.json, CSV
//   tables and dashboard.html into `out` atomically (temp folder next to it,
//   fsync, rename). It never echoes cell values in errors: messages name
//   the file, line, column and reason only.
// - generate_cases() writes a CSV in the same format plus FILE.truth.json,
//   deterministically for a given seed.
// - Both are re-entrant (no global state); neither throws.

#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "remit/status.hpp"

namespace remit::oversight {

enum class CohortBy {
  automatic,       // the `cohort` column when present, else the calendar year of
                   // reported_at
  year,            // calendar year of reported_at: "2019"
  financial_year,  // April-March: "2019/20" starts 2019-04-01
  quarter,         // calendar quarter: "2019-Q2"
};

struct Options {
  std::filesystem::path input;           // CASES.csv
  std::filesystem::path out;             // output folder; empty: write nothing
  bool replace_out = false;              // replace an existing output folder (still atomic)
  std::optional<std::string> data_date;  // "YYYY-MM-DD"; default: the latest date in the file
  CohortBy cohort_by = CohortBy::automatic;
  std::vector<std::string> by;     // grouping columns for per-group metrics
  int64_t min_cell = 10;           // counts from 1 to min_cell-1 are suppressed; 0 disables
  bool suppress_zeros = false;     // also suppress counts of 0
  bool lenient = false;            // row errors become counted, reported skips
  std::filesystem::path packages;  // folder of evidence packages (stats.json); optional
  // Called now and then while the CSV is read (bytes read, file size); may be
  // empty.
  std::function<void(uint64_t done, uint64_t total)> on_progress;
};

// One rejected row (strict mode: a reason to fail; lenient: a skip).
struct RowError {
  int64_t line = 0;    // 1-based physical line where the record starts
  std::string column;  // header name, or "" for whole-row problems
  std::string reason;  // never contains the cell's value
  std::string kind;    // short code: syntax, fields, date, yes_no, integer, token,
                       // order, duplicate, ...
};

struct Report {
  std::string metrics_json;  // the published (suppressed) metrics document
  int64_t rows_read = 0;     // data rows in the file
  int64_t rows_used = 0;
  std::vector<RowError> skipped;   // lenient: every skipped row's first error
  std::vector<std::string> notes;  // human notes (data date used, packages matched, ...)
  std::vector<std::string> files;  // files written into `out` (relative names)
  double seconds = 0;              // wall time of the whole run
};

// Formats an error as "FILE: line N, column C: reason".
[[nodiscard]] std::string format_row_error(const std::filesystem::path& file, const RowError& e);

// Runs the whole command. In strict mode any row error fails with
// Errc::malformed, and the message lists the errors (up to 50, then a count).
[[nodiscard]] Result<Report> run_oversight(const Options& options);

// ---- Generator -------------------------------------------------------------

struct SynthCohort {
  int year = 0;
  int64_t cases = 0;
};

struct SynthOptions {
  std::filesystem::path out;  // CSV; FILE.truth.json is written beside it
  uint64_t seed = 1;
  std::vector<SynthCohort> cohorts;      // default: 2016:501 2019:1000 2021:1000
  std::optional<std::string> data_date;  // default: 2 years after the last cohort's end
};

struct SynthSummary {
  int64_t rows = 0;
  std::filesystem::path truth;
  std::string data_date;
};

// Writes the CSV and its truth file atomically (temp file, fsync, rename).
[[nodiscard]] Result<SynthSummary> generate_cases(const SynthOptions& options);

}  // namespace remit::oversight
