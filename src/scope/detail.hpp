#pragma once
// Internals of the scope layer shared by its translation units. Not a
// public contract: only src/scope/*.cpp include this.

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "remit/scope.hpp"
#include "remit/status.hpp"

namespace remit::scope_detail {

// ---- Local times (date/tz) -------------------------------------------------

// A calendar date, optionally with a time of day and an explicit UTC offset,
// as written in a scope file.
struct LocalText {
  int year = 1970;
  unsigned month = 1, day = 1;
  bool has_time = false;
  int hour = 0, minute = 0, second = 0;
  std::optional<int> offset_min;  // set: an exact instant ("Z", "+01:00")
};

// Parses "YYYY-MM-DD", "YYYY-MM-DDTHH:MM[:SS]" (or a space for 'T'), with
// an optional "Z" / "+HH:MM" / "-HH:MM". Fractions of seconds are refused.
[[nodiscard]] std::optional<LocalText> parse_local_text(std::string_view s);
// Canonical text: "2026-03-13", "2026-03-13T21:00:00", "2026-03-13T21:00:00+01:00" / "...Z".
[[nodiscard]] std::string format_local_text(const LocalText& t);

[[nodiscard]] bool valid_time_zone(std::string_view tz);

// How to read a local time that the zone's clocks skipped or repeated.
enum class Pick { earliest, latest };

// UTC ms of a local text in `tz`. A date-only text means the start of that
// local day. Repeated local times pick `pick`; skipped ones give the instant
// the clocks jumped.
[[nodiscard]] Result<int64_t> resolve_instant(const LocalText& t, std::string_view tz, Pick pick);

// The start of the local day after `t`'s date (for a date-only window end).
[[nodiscard]] Result<int64_t> start_of_next_day(const LocalText& t, std::string_view tz);

// The local wall-clock reading of a UTC instant in `tz` (offset not set).
[[nodiscard]] LocalText to_local(int64_t utc_ms, std::string_view tz);
// The zone's UTC offset in minutes at a UTC instant.
[[nodiscard]] int offset_minutes_at(int64_t utc_ms, std::string_view tz);

// True when a local (offset-free) text is repeated or skipped in `tz`.
[[nodiscard]] bool local_time_ambiguous(const LocalText& t, std::string_view tz);

// ---- Durations ---------------------------------------------------------------

// "0", "90m", "2h", "1h30m", "2d", "45s" -> ms. Nullopt on anything else.
[[nodiscard]] std::optional<int64_t> parse_duration(std::string_view s);
// Canonical text for parse_duration ("2h", "1h30m", "0").
[[nodiscard]] std::string format_duration(int64_t ms);
// "2 hours", "1 hour and 30 minutes", "1 day".
[[nodiscard]] std::string duration_words(int64_t ms);

// ---- Words for dates ------------------------------------------------------------

// "13 March 2026"; with_year=false gives "13 March".
[[nodiscard]] std::string date_words(const LocalText& t, bool with_year = true);
// "9pm", "9:30am", "midday", "midnight".
[[nodiscard]] std::string time_words(const LocalText& t);
// "from 13 March to 17 March 2026" / "on 13 March 2026" / "from 9pm on
// 13 March to 6am on 17 March 2026": a window as the device user reads it.
[[nodiscard]] std::string window_words(const TimeWindow& w, std::string_view tz);

// ---- Text folding (ICU) ------------------------------------------------------

// Unicode full case folding, then NFD with combining marks removed, then
// NFC: "CAFÉ" and "cafe" fold to the same text. Invalid UTF-8 becomes U+FFFD.
[[nodiscard]] std::string fold_for_search(std::string_view utf8);
// Only the accent removal (for regex patterns, which must keep their case
// and escapes).
[[nodiscard]] std::string strip_accents(std::string_view utf8);

// ---- Ranks -------------------------------------------------------------------------

// Position on the police rank ladder (docs/policy.md): constable 1,
// sergeant 2, inspector 3, chief inspector 4, superintendent 5, chief
// superintendent 6, commander / assistant chief constable 7, deputy
// assistant commissioner / deputy chief constable 8, assistant commissioner
// / chief constable 9, deputy commissioner 10, commissioner 11. Prefixes
// "detective", "acting", "temporary" are ignored. 0 when not recognised.
[[nodiscard]] int rank_level(std::string_view rank);

// ---- Files ---------------------------------------------------------------------------

// Writes `data` to `path` atomically: a temporary file beside it, fsync,
// rename, fsync of the folder.
[[nodiscard]] Status write_file_atomic(const std::filesystem::path& path, std::string_view data);
[[nodiscard]] Status fsync_dir(const std::filesystem::path& dir);

// ---- Misc --------------------------------------------------------------------------

[[nodiscard]] std::string join_words(const std::vector<std::string>& parts, std::string_view last_sep = " and ");
[[nodiscard]] std::string base64(std::string_view bytes);

}  // namespace remit::scope_detail
