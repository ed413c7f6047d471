#pragma once
// Time: conversion of the raw timestamp encodings found on phones into UTC
// milliseconds since 1970, and RFC 3339 formatting.
//
// Pure functions; thread-safe. None of them throws. Out-of-range input
// (before 1970-01-01 or after 2200-01-01 once converted) yields nullopt so
// a garbage column never becomes a plausible-looking date.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace remit {

// Units of raw timestamps. The token (to_string) is written into items as
// `time.unit` so the original value can always be reinterpreted.
enum class TimeUnit {
  unix_ms,        // ms since 1970 (Android sms.date, calls.date, WhatsApp Android)
  unix_s,         // s since 1970 (Android MMS pdu.date)
  unix_us,        // µs since 1970
  mac_s,          // s (float) since 2001-01-01 UTC (Core Data, AddressBook, Photos)
  mac_ns,         // ns since 2001-01-01 UTC (iOS 11+ sms.db)
  mac_auto,       // sms.db: ns if > 1e15 else s
  webkit_us,      // µs since 1601-01-01 (Chrome)
  iso8601,        // text with offset (UFDR, EXIF with OffsetTime)
  exif_local,     // EXIF "YYYY:MM:DD HH:MM:SS" without offset
  file_mtime_ns,  // file system mtime, ns since 1970
};

[[nodiscard]] std::string_view to_string(TimeUnit) noexcept;
[[nodiscard]] std::optional<TimeUnit> parse_time_unit(std::string_view) noexcept;

inline constexpr int64_t kMacEpochOffsetS = 978307200;                // 2001-01-01 - 1970-01-01
inline constexpr int64_t kWebkitEpochOffsetUs = 11644473600000000LL;  // 1970 - 1601 in µs
inline constexpr int64_t kMinPlausibleMs = 0;                         // 1970-01-01
inline constexpr int64_t kMaxPlausibleMs = 7258118400000LL;           // 2200-01-01

// Converts a numeric raw value. For mac_auto, values above 1e15 are ns.
[[nodiscard]] std::optional<int64_t> to_unix_ms(double raw, TimeUnit unit) noexcept;
[[nodiscard]] std::optional<int64_t> to_unix_ms(int64_t raw, TimeUnit unit) noexcept;

// Formats as RFC 3339 UTC with milliseconds: "2026-03-13T21:04:05.123Z".
[[nodiscard]] std::string format_rfc3339_ms(int64_t unix_ms);

// Parses RFC 3339 / ISO-8601 with optional fraction and optional offset
// ("Z", "+01:00", "+0100"). Without an offset the text is taken as UTC
// unless `local_offset_min` is given. Returns UTC ms.
[[nodiscard]] std::optional<int64_t> parse_iso8601_ms(std::string_view text);

// Formats a UTC instant as a calendar date "YYYY-MM-DD" (UTC).
[[nodiscard]] std::string format_date_utc(int64_t unix_ms);

// Days from civil date (proleptic Gregorian), for tests and generators.
[[nodiscard]] int64_t days_from_civil(int64_t y, unsigned m, unsigned d) noexcept;

}  // namespace remit
