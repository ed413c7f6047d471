#pragma once
// Timestamps and durations as Cellebrite UFDR report.xml files write them.
// Internal to src/artifacts/ufdr.
//
// Forms accepted (facts from public readers of real reports: IPED
// UfedXmlReader's date formats, casework CASE-Implementation-UFED-XML
// UFEDtoJSON.cleanDate, and a published analysis of PA 7/10 reports):
//   ISO-8601   2021-05-21T02:38:43.000+00:00, 2024-10-29T17:17:48.838 (no
//              offset), fractions of 0..9 digits, 'T' or ' ' separator,
//              offsets Z, +hh:mm, +hhmm, +hh, " UTC", "GMT+hh:mm";
//   day-month  13-Mar-19 09:04:05 +00:00 (one or two spaces before the
//              offset), 13/03/2019 21:04:05 +01:00, also with '.' or '-'
//              between numeric fields, 2- or 4-digit years, 12-hour clocks
//              with AM/PM, offsets written "(UTC+01:00)" or "UTC+1";
//   EXIF       2019:03:13 21:04:05 (no offset).
// Two-digit years: 70-99 are 19xx, 00-69 are 20xx. Numeric day-month dates
// are read day first (dd/MM/yyyy) and never swapped: a month above 12 is
// rejected rather than guessed.
//
// Pure functions, thread-safe, never throw.

#include <cstdint>
#include <optional>
#include <string_view>

namespace remit::ufdr {

struct ParsedTime {
  int64_t utc_ms = 0;       // when !has_offset: the wall-clock time read as if it were UTC
  bool has_offset = false;  // the text carried an offset or a UTC marker
  int offset_min = 0;       // the offset it carried (0 without one)
};

[[nodiscard]] std::optional<ParsedTime> parse_time(std::string_view text) noexcept;

// .NET TimeSpan text ("00:00:33.6090010", "1.02:03:04", "02:03") or a plain
// number of seconds ("33", "33.5"). Negative or malformed: nullopt.
[[nodiscard]] std::optional<double> parse_duration_s(std::string_view text) noexcept;

}  // namespace remit::ufdr
