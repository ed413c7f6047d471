// Local times, durations and dates in words for the scope layer.
//
// References: Howard Hinnant's date/tz (time_zone::get_info(local_time)
// gives local_info::{unique, nonexistent, ambiguous} with the two sys_info
// around a transition); IANA tzdata from the Debian tzdata package
// (USE_OS_TZDB); GOV.UK style guide for times ("9am", "5:30pm", "midday",
// "midnight") and dates ("13 March 2026").
#include <date/date.h>
#include <date/tz.h>
#include <fmt/format.h>

#include <cctype>
#include <charconv>

#include "remit/timeconv.hpp"
#include "scope/detail.hpp"

namespace remit::scope_detail {
namespace {

using std::chrono::hours;
using std::chrono::milliseconds;
using std::chrono::minutes;
using std::chrono::seconds;

const date::time_zone* zone(std::string_view tz) {
  if (tz.empty() || tz.size() > 64) return nullptr;
  try {
    return date::locate_zone(std::string(tz));
  } catch (...) {
    return nullptr;
  }
}

bool read_int(std::string_view s, size_t pos, size_t len, int& out) {
  if (pos + len > s.size()) return false;
  for (size_t i = pos; i < pos + len; ++i)
    if (!std::isdigit(static_cast<unsigned char>(s[i]))) return false;
  const auto r = std::from_chars(s.data() + pos, s.data() + pos + len, out);
  return r.ec == std::errc();
}

date::local_seconds local_seconds_of(const LocalText& t) {
  const date::local_days d{date::year{t.year} / date::month{t.month} / date::day{t.day}};
  return date::local_seconds{d} + hours{t.hour} + minutes{t.minute} + seconds{t.second};
}

LocalText from_local_seconds(date::local_seconds ls) {
  const auto days = date::floor<date::days>(ls);
  const date::year_month_day ymd{days};
  const date::hh_mm_ss<seconds> hms{ls - days};
  LocalText t;
  t.year = static_cast<int>(ymd.year());
  t.month = static_cast<unsigned>(ymd.month());
  t.day = static_cast<unsigned>(ymd.day());
  t.has_time = true;
  t.hour = static_cast<int>(hms.hours().count());
  t.minute = static_cast<int>(hms.minutes().count());
  t.second = static_cast<int>(hms.seconds().count());
  return t;
}

constexpr const char* kMonths[] = {"January", "February", "March",     "April",   "May",      "June",
                                   "July",    "August",   "September", "October", "November", "December"};

std::string plural(int64_t n, std::string_view unit) {
  return fmt::format("{} {}{}", n, unit, n == 1 ? "" : "s");
}

}  // namespace

std::optional<LocalText> parse_local_text(std::string_view s) {
  LocalText t;
  int y = 0, m = 0, d = 0;
  if (s.size() < 10 || s[4] != '-' || s[7] != '-' || !read_int(s, 0, 4, y) || !read_int(s, 5, 2, m) ||
      !read_int(s, 8, 2, d))
    return std::nullopt;
  const date::year_month_day ymd{date::year{y} / date::month{static_cast<unsigned>(m)} /
                                 date::day{static_cast<unsigned>(d)}};
  if (!ymd.ok() || y < 1970 || y > 2199) return std::nullopt;
  t.year = y;
  t.month = static_cast<unsigned>(m);
  t.day = static_cast<unsigned>(d);
  if (s.size() == 10) return t;
  if (s[10] != 'T' && s[10] != 't' && s[10] != ' ') return std::nullopt;
  size_t pos = 11;
  if (!read_int(s, pos, 2, t.hour) || pos + 2 >= s.size() || s[pos + 2] != ':' || !read_int(s, pos + 3, 2, t.minute))
    return std::nullopt;
  pos += 5;
  if (pos < s.size() && s[pos] == ':') {
    if (!read_int(s, pos + 1, 2, t.second)) return std::nullopt;
    pos += 3;
  }
  if (t.hour > 23 || t.minute > 59 || t.second > 59) return std::nullopt;
  t.has_time = true;
  if (pos == s.size()) return t;
  if (s[pos] == 'Z' || s[pos] == 'z') {
    if (pos + 1 != s.size()) return std::nullopt;
    t.offset_min = 0;
    return t;
  }
  if (s[pos] != '+' && s[pos] != '-') return std::nullopt;
  const int sign = s[pos] == '-' ? -1 : 1;
  int oh = 0, om = 0;
  if (!read_int(s, pos + 1, 2, oh)) return std::nullopt;
  size_t after = pos + 3;
  if (after < s.size() && s[after] == ':') ++after;
  if (!read_int(s, after, 2, om) || after + 2 != s.size() || oh > 23 || om > 59) return std::nullopt;
  t.offset_min = sign * (oh * 60 + om);
  return t;
}

std::string format_local_text(const LocalText& t) {
  std::string out = fmt::format("{:04}-{:02}-{:02}", t.year, t.month, t.day);
  if (!t.has_time) return out;
  out += fmt::format("T{:02}:{:02}:{:02}", t.hour, t.minute, t.second);
  if (t.offset_min) {
    if (*t.offset_min == 0) {
      out += 'Z';
    } else {
      const int a = std::abs(*t.offset_min);
      out += fmt::format("{}{:02}:{:02}", *t.offset_min < 0 ? '-' : '+', a / 60, a % 60);
    }
  }
  return out;
}

bool valid_time_zone(std::string_view tz) {
  return zone(tz) != nullptr;
}

Result<int64_t> resolve_instant(const LocalText& t, std::string_view tz, Pick pick) {
  if (t.offset_min) {
    const int64_t days = days_from_civil(t.year, t.month, t.day);
    const int64_t secs = days * 86400 + t.hour * 3600 + t.minute * 60 + t.second - int64_t{*t.offset_min} * 60;
    return secs * 1000;
  }
  const date::time_zone* z = zone(tz);
  if (!z) return make_error(Errc::malformed, fmt::format("unknown time zone '{}'", tz));
  try {
    const date::local_seconds ls = local_seconds_of(t);
    const date::local_info info = z->get_info(ls);
    date::sys_seconds sys;
    switch (info.result) {
      case date::local_info::unique:
        sys = date::sys_seconds{ls.time_since_epoch() - info.first.offset};
        break;
      case date::local_info::ambiguous:
        sys = date::sys_seconds{ls.time_since_epoch() -
                                (pick == Pick::earliest ? info.first.offset : info.second.offset)};
        break;
      case date::local_info::nonexistent:
        sys = info.second.begin;
        break;
    }
    return static_cast<int64_t>(sys.time_since_epoch().count()) * 1000;
  } catch (const std::exception& e) {
    return make_error(Errc::malformed, fmt::format("cannot read {} in time zone '{}'", format_local_text(t), tz));
  }
}

Result<int64_t> start_of_next_day(const LocalText& t, std::string_view tz) {
  const date::sys_days next =
      date::sys_days{date::year{t.year} / date::month{t.month} / date::day{t.day}} + date::days{1};
  const date::year_month_day ymd{next};
  LocalText n;
  n.year = static_cast<int>(ymd.year());
  n.month = static_cast<unsigned>(ymd.month());
  n.day = static_cast<unsigned>(ymd.day());
  n.offset_min = t.offset_min;
  if (t.offset_min) n.has_time = true;  // midnight at that offset
  return resolve_instant(n, tz, Pick::earliest);
}

LocalText to_local(int64_t utc_ms, std::string_view tz) {
  const date::sys_seconds sys{date::floor<seconds>(milliseconds{utc_ms})};
  const date::time_zone* z = zone(tz);
  if (!z) return from_local_seconds(date::local_seconds{sys.time_since_epoch()});
  const date::sys_info info = z->get_info(sys);
  return from_local_seconds(date::local_seconds{sys.time_since_epoch() + info.offset});
}

int offset_minutes_at(int64_t utc_ms, std::string_view tz) {
  const date::time_zone* z = zone(tz);
  if (!z) return 0;
  const date::sys_seconds sys{date::floor<seconds>(milliseconds{utc_ms})};
  return static_cast<int>(std::chrono::duration_cast<minutes>(z->get_info(sys).offset).count());
}

bool local_time_ambiguous(const LocalText& t, std::string_view tz) {
  if (t.offset_min) return false;
  const date::time_zone* z = zone(tz);
  if (!z) return false;
  try {
    return z->get_info(local_seconds_of(t)).result != date::local_info::unique;
  } catch (...) {
    return false;
  }
}

std::optional<int64_t> parse_duration(std::string_view s) {
  if (s == "0") return 0;
  if (s.empty() || s.size() > 32) return std::nullopt;
  int64_t total = 0;
  size_t pos = 0;
  int last_rank = 5;
  while (pos < s.size()) {
    size_t start = pos;
    while (pos < s.size() && std::isdigit(static_cast<unsigned char>(s[pos]))) ++pos;
    if (pos == start || pos == s.size()) return std::nullopt;
    int64_t n = 0;
    if (std::from_chars(s.data() + start, s.data() + pos, n).ec != std::errc() || n > 100000) return std::nullopt;
    int rank;
    int64_t unit;
    switch (s[pos]) {
      case 'd':
        rank = 4;
        unit = 86400000;
        break;
      case 'h':
        rank = 3;
        unit = 3600000;
        break;
      case 'm':
        rank = 2;
        unit = 60000;
        break;
      case 's':
        rank = 1;
        unit = 1000;
        break;
      default:
        return std::nullopt;
    }
    if (rank >= last_rank) return std::nullopt;  // units in order, each once
    last_rank = rank;
    total += n * unit;
    ++pos;
  }
  return total;
}

std::string format_duration(int64_t ms) {
  if (ms <= 0) return "0";
  std::string out;
  int64_t s = ms / 1000;
  for (auto [unit, len] : {std::pair{'d', int64_t{86400}}, {'h', 3600}, {'m', 60}, {'s', 1}}) {
    if (s >= len) {
      out += fmt::format("{}{}", s / len, unit);
      s %= len;
    }
  }
  return out.empty() ? "0" : out;
}

std::string duration_words(int64_t ms) {
  if (ms <= 0) return "no time";
  std::vector<std::string> parts;
  int64_t s = ms / 1000;
  if (s >= 86400) parts.push_back(plural(s / 86400, "day")), s %= 86400;
  if (s >= 3600) parts.push_back(plural(s / 3600, "hour")), s %= 3600;
  if (s >= 60) parts.push_back(plural(s / 60, "minute")), s %= 60;
  if (s > 0) parts.push_back(plural(s, "second"));
  return join_words(parts);
}

std::string date_words(const LocalText& t, bool with_year) {
  std::string out = fmt::format("{} {}", t.day, kMonths[(t.month - 1) % 12]);
  if (with_year) out += fmt::format(" {}", t.year);
  return out;
}

std::string time_words(const LocalText& t) {
  if (t.hour == 0 && t.minute == 0 && t.second == 0) return "midnight";
  if (t.hour == 12 && t.minute == 0 && t.second == 0) return "midday";
  const int h12 = t.hour % 12 == 0 ? 12 : t.hour % 12;
  std::string out = std::to_string(h12);
  if (t.minute != 0 || t.second != 0) out += fmt::format(":{:02}", t.minute);
  if (t.second != 0) out += fmt::format(":{:02}", t.second);
  out += t.hour < 12 ? "am" : "pm";
  return out;
}

std::string window_words(const TimeWindow& w, std::string_view tz) {
  auto s = parse_local_text(w.start_text);
  auto e = parse_local_text(w.end_text);
  if (!s || !e) {  // built without text: show the instants in the zone
    s = to_local(w.start_ms, tz);
    e = to_local(w.end_ms, tz);
  }
  if (s->offset_min) s = to_local(*resolve_instant(*s, tz, Pick::earliest), tz);
  if (e->offset_min) e = to_local(*resolve_instant(*e, tz, Pick::earliest), tz);
  // Midnight at the start is a whole day; midnight at the end closes the day before.
  const bool s_day = !s->has_time || (s->hour == 0 && s->minute == 0 && s->second == 0);
  bool e_day = !e->has_time;
  if (e->has_time && e->hour == 0 && e->minute == 0 && e->second == 0) {
    const date::year_month_day prev{date::sys_days{date::year{e->year} / date::month{e->month} / date::day{e->day}} -
                                    date::days{1}};
    e->year = static_cast<int>(prev.year());
    e->month = static_cast<unsigned>(prev.month());
    e->day = static_cast<unsigned>(prev.day());
    e_day = true;
  }
  const bool same_year = s->year == e->year;
  const bool same_day = same_year && s->month == e->month && s->day == e->day;
  if (s_day && e_day) {
    if (same_day) return "on " + date_words(*s);
    return fmt::format("from {} to {}", date_words(*s, !same_year), date_words(*e));
  }
  if (same_day && !s_day && !e_day)
    return fmt::format("from {} to {} on {}", time_words(*s), time_words(*e), date_words(*e));
  const std::string from = s_day ? "the start of " + date_words(*s, !same_year)
                                 : fmt::format("{} on {}", time_words(*s), date_words(*s, !same_year));
  const std::string to =
      e_day ? "the end of " + date_words(*e) : fmt::format("{} on {}", time_words(*e), date_words(*e));
  return fmt::format("from {} to {}", from, to);
}

std::string join_words(const std::vector<std::string>& parts, std::string_view last_sep) {
  std::string out;
  for (size_t i = 0; i < parts.size(); ++i) {
    if (i > 0) out += (i + 1 == parts.size()) ? std::string(last_sep) : std::string(", ");
    out += parts[i];
  }
  return out;
}

std::string base64(std::string_view bytes) {
  static constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  size_t i = 0;
  for (; i + 2 < bytes.size(); i += 3) {
    const uint32_t v =
        (uint32_t(uint8_t(bytes[i])) << 16) | (uint32_t(uint8_t(bytes[i + 1])) << 8) | uint32_t(uint8_t(bytes[i + 2]));
    out += kAlphabet[(v >> 18) & 63];
    out += kAlphabet[(v >> 12) & 63];
    out += kAlphabet[(v >> 6) & 63];
    out += kAlphabet[v & 63];
  }
  if (i < bytes.size()) {
    uint32_t v = uint32_t(uint8_t(bytes[i])) << 16;
    if (i + 1 < bytes.size()) v |= uint32_t(uint8_t(bytes[i + 1])) << 8;
    out += kAlphabet[(v >> 18) & 63];
    out += kAlphabet[(v >> 12) & 63];
    out += (i + 1 < bytes.size()) ? kAlphabet[(v >> 6) & 63] : '=';
    out += '=';
  }
  return out;
}

}  // namespace remit::scope_detail
