// Timestamp conversions (include/remit/timeconv.hpp).
// Epoch facts: artifacts.md "Time"; Apple Core Data reference date
// 2001-01-01T00:00:00Z = 978307200 s after 1970; Chrome/WebKit time is µs
// since 1601-01-01 (11644473600 s before 1970).
#include "remit/timeconv.hpp"

#include <fmt/format.h>

#include <cctype>
#include <cmath>
#include <utility>

namespace remit {
namespace {

constexpr std::pair<TimeUnit, std::string_view> kUnits[] = {
    {TimeUnit::unix_ms, "unix_ms"},       {TimeUnit::unix_s, "unix_s"},
    {TimeUnit::unix_us, "unix_us"},       {TimeUnit::mac_s, "mac_s"},
    {TimeUnit::mac_ns, "mac_ns"},         {TimeUnit::mac_auto, "mac_auto"},
    {TimeUnit::webkit_us, "webkit_us"},   {TimeUnit::iso8601, "iso8601"},
    {TimeUnit::exif_local, "exif_local"}, {TimeUnit::file_mtime_ns, "file_mtime_ns"},
};

std::optional<int64_t> plausible(int64_t ms) noexcept {
  if (ms < kMinPlausibleMs || ms > kMaxPlausibleMs) return std::nullopt;
  return ms;
}

int64_t floor_div(int64_t a, int64_t b) noexcept {
  int64_t q = a / b;
  if ((a % b != 0) && ((a < 0) != (b < 0))) --q;
  return q;
}

// civil_from_days (H. Hinnant's public-domain algorithm).
void civil_from_days(int64_t z, int64_t& y, unsigned& m, unsigned& d) noexcept {
  z += 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const auto doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  y = static_cast<int64_t>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  d = doy - (153 * mp + 2) / 5 + 1;
  m = mp < 10 ? mp + 3 : mp - 9;
  y += (m <= 2);
}

}  // namespace

int64_t days_from_civil(int64_t y, unsigned m, unsigned d) noexcept {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const auto yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

std::string_view to_string(TimeUnit u) noexcept {
  for (const auto& [k, s] : kUnits)
    if (k == u) return s;
  return "unknown";
}

std::optional<TimeUnit> parse_time_unit(std::string_view s) noexcept {
  for (const auto& [k, t] : kUnits)
    if (t == s) return k;
  return std::nullopt;
}

std::optional<int64_t> to_unix_ms(int64_t raw, TimeUnit unit) noexcept {
  constexpr int64_t kLimit = 4'000'000'000'000'000'000LL;  // keeps the arithmetic below from overflowing
  if (raw > kLimit || raw < -kLimit) return std::nullopt;
  switch (unit) {
    case TimeUnit::unix_ms:
      return plausible(raw);
    case TimeUnit::unix_s:
      if (raw > kMaxPlausibleMs) return std::nullopt;
      return plausible(raw * 1000);
    case TimeUnit::unix_us:
      return plausible(floor_div(raw, 1000));
    case TimeUnit::file_mtime_ns:
      return plausible(floor_div(raw, 1'000'000));
    case TimeUnit::mac_s:
      if (raw > kMaxPlausibleMs || raw < -kMaxPlausibleMs) return std::nullopt;
      return plausible((raw + kMacEpochOffsetS) * 1000);
    case TimeUnit::mac_ns:
      return plausible(floor_div(raw, 1'000'000) + kMacEpochOffsetS * 1000);
    case TimeUnit::mac_auto:
      return to_unix_ms(
          raw, (raw > 1'000'000'000'000'000LL || raw < -1'000'000'000'000'000LL) ? TimeUnit::mac_ns : TimeUnit::mac_s);
    case TimeUnit::webkit_us:
      return plausible(floor_div(raw - kWebkitEpochOffsetUs, 1000));
    case TimeUnit::iso8601:
    case TimeUnit::exif_local:
      return std::nullopt;
  }
  return std::nullopt;
}

std::optional<int64_t> to_unix_ms(double raw, TimeUnit unit) noexcept {
  if (!std::isfinite(raw)) return std::nullopt;
  double ms = 0;
  switch (unit) {
    case TimeUnit::unix_ms:
      ms = raw;
      break;
    case TimeUnit::unix_s:
      ms = raw * 1000.0;
      break;
    case TimeUnit::unix_us:
      ms = raw / 1000.0;
      break;
    case TimeUnit::file_mtime_ns:
      ms = raw / 1e6;
      break;
    case TimeUnit::mac_s:
      ms = (raw + static_cast<double>(kMacEpochOffsetS)) * 1000.0;
      break;
    case TimeUnit::mac_ns:
      ms = raw / 1e6 + static_cast<double>(kMacEpochOffsetS) * 1000.0;
      break;
    case TimeUnit::mac_auto:
      return to_unix_ms(raw, std::fabs(raw) > 1e15 ? TimeUnit::mac_ns : TimeUnit::mac_s);
    case TimeUnit::webkit_us:
      ms = (raw - static_cast<double>(kWebkitEpochOffsetUs)) / 1000.0;
      break;
    case TimeUnit::iso8601:
    case TimeUnit::exif_local:
      return std::nullopt;
  }
  if (!(ms >= static_cast<double>(kMinPlausibleMs) && ms <= static_cast<double>(kMaxPlausibleMs))) return std::nullopt;
  // Floats (Core Data seconds) are rounded to the nearest millisecond so a
  // stored 600000000.123 does not become ...122.
  return static_cast<int64_t>(std::llround(ms));
}

std::string format_rfc3339_ms(int64_t unix_ms) {
  const int64_t days = floor_div(unix_ms, 86'400'000);
  const int64_t rem = unix_ms - days * 86'400'000;
  int64_t y = 0;
  unsigned m = 0, d = 0;
  civil_from_days(days, y, m, d);
  const int64_t h = rem / 3'600'000, mi = (rem / 60'000) % 60, s = (rem / 1000) % 60, ms = rem % 1000;
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z", y, m, d, h, mi, s, ms);
}

std::string format_date_utc(int64_t unix_ms) {
  int64_t y = 0;
  unsigned m = 0, d = 0;
  civil_from_days(floor_div(unix_ms, 86'400'000), y, m, d);
  return fmt::format("{:04}-{:02}-{:02}", y, m, d);
}

std::optional<int64_t> parse_iso8601_ms(std::string_view t) {
  size_t i = 0;
  auto digits = [&](size_t n, int64_t& out) {
    out = 0;
    for (size_t k = 0; k < n; ++k) {
      if (i >= t.size() || !std::isdigit(static_cast<unsigned char>(t[i]))) return false;
      out = out * 10 + (t[i++] - '0');
    }
    return true;
  };
  while (i < t.size() && std::isspace(static_cast<unsigned char>(t[i]))) ++i;
  int64_t y = 0, mo = 0, d = 0, h = 0, mi = 0, s = 0;
  if (!digits(4, y) || i >= t.size() || t[i++] != '-' || !digits(2, mo) || i >= t.size() || t[i++] != '-' ||
      !digits(2, d))
    return std::nullopt;
  int64_t frac_ms = 0;
  if (i < t.size() && (t[i] == 'T' || t[i] == 't' || t[i] == ' ')) {
    ++i;
    if (!digits(2, h) || i >= t.size() || t[i++] != ':' || !digits(2, mi)) return std::nullopt;
    if (i < t.size() && t[i] == ':') {
      ++i;
      if (!digits(2, s)) return std::nullopt;
      if (i < t.size() && (t[i] == '.' || t[i] == ',')) {
        ++i;
        int64_t scale = 100;
        size_t start = i;
        while (i < t.size() && std::isdigit(static_cast<unsigned char>(t[i]))) {
          frac_ms += (t[i] - '0') * scale;
          scale /= 10;
          ++i;
        }
        if (i == start) return std::nullopt;
      }
    }
  }
  int64_t offset_min = 0;
  if (i < t.size()) {
    if (t[i] == 'Z' || t[i] == 'z') {
      ++i;
    } else if (t[i] == '+' || t[i] == '-') {
      const int sign = t[i++] == '-' ? -1 : 1;
      int64_t oh = 0, om = 0;
      if (!digits(2, oh)) return std::nullopt;
      if (i < t.size() && t[i] == ':') ++i;
      if (i < t.size() && std::isdigit(static_cast<unsigned char>(t[i])) && !digits(2, om)) return std::nullopt;
      if (oh > 23 || om > 59) return std::nullopt;
      offset_min = sign * (oh * 60 + om);
    }
  }
  while (i < t.size() && std::isspace(static_cast<unsigned char>(t[i]))) ++i;
  if (i != t.size()) return std::nullopt;
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 60) return std::nullopt;
  const int64_t days = days_from_civil(y, static_cast<unsigned>(mo), static_cast<unsigned>(d));
  const int64_t ms = ((days * 24 + h) * 60 + mi) * 60'000 + s * 1000 + frac_ms - offset_min * 60'000;
  return ms;
}

}  // namespace remit
