#pragma once
// A strict RFC 4180 reader (and a small writer) for case records.
//
// Reader: streams from an std::istream in 1 MiB chunks, optionally feeding
// every byte to a SHA-256 Hasher, and yields one record at a time with the
// physical line on which it starts. Accepts CRLF or LF line ends, a UTF-8
// byte-order mark at the very start, and quoted fields holding commas,
// quotes ("") and line breaks. Reports, without guessing:
//   - a quote inside an unquoted field, or text after a closing quote
//     (the rest of the physical line is skipped, the record is flagged);
//   - a NUL byte or invalid UTF-8 in a field;
//   - a quoted field still open at end of file (fatal).
// No Debian package offers a strict reader that names line and field, so
// this one is ours; tests/oversight_csv_test.cpp fuzzes it with random
// input against a reference split.
//
// Writer: quotes a field only when needed; text fields that a spreadsheet
// would run as a formula (leading = + - @, tab, CR) are prefixed with '.
//
// Not thread-safe; one reader per stream.

#include <cstdint>
#include <istream>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "remit/hash.hpp"

namespace remit::oversight {

struct CsvIssue {
  size_t field = 0;    // 0-based field index where it happened
  std::string reason;  // no content
  bool fatal = false;  // the rest of the file cannot be read reliably
};

struct CsvRecord {
  std::vector<std::string> fields;
  size_t count = 0;               // fields in use (fields.size() may be larger, reused)
  int64_t line = 0;               // physical line where the record starts (1-based)
  bool blank = false;             // the line was empty
  std::optional<CsvIssue> issue;  // first problem in the record
};

class CsvReader {
 public:
  CsvReader(std::istream& in, Hasher* hasher);
  // Reads the next record into `rec`; false at end of input.
  bool next(CsvRecord& rec);
  [[nodiscard]] uint64_t bytes_read() const { return bytes_; }

 private:
  bool fill();
  int peek();
  int get();

  std::istream& in_;
  Hasher* hasher_;
  std::string buf_;
  size_t pos_ = 0;
  bool eof_ = false;
  bool first_ = true;
  int64_t line_ = 1;
  uint64_t bytes_ = 0;
};

// Validates UTF-8 (no overlongs, no surrogates, max U+10FFFF). NUL is rejected
// too.
[[nodiscard]] bool valid_utf8_no_nul(std::string_view s) noexcept;

// CSV writer helpers.
void csv_append_text(std::string& out,
                     std::string_view field);  // neutralises formulas
void csv_append_raw(std::string& out,
                    std::string_view field);  // numbers and fixed tokens

}  // namespace remit::oversight
