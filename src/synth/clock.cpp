// Civil time for the generators (src/synth/clock.hpp).
#include "synth/clock.hpp"

#include <date/date.h>
#include <date/tz.h>
#include <fmt/format.h>

#include <chrono>
#include <stdexcept>

namespace remit::synth {

using namespace std::chrono;

struct Clock::Impl {
  const date::time_zone* tz = nullptr;
};

Clock::Clock(const std::string& zone) : zone_name_(zone), impl_(std::make_unique<Impl>()) {
  impl_->tz = date::locate_zone(zone);  // throws on unknown zones
}
Clock::~Clock() = default;

int64_t Clock::local_to_utc_ms(DayNumber day, int64_t seconds_of_day) const {
  const date::local_seconds ls{date::local_days{date::days{day}}.time_since_epoch() + seconds{seconds_of_day}};
  const auto info = impl_->tz->get_info(ls);
  sys_seconds sys;
  switch (info.result) {
    case date::local_info::unique:
      sys = sys_seconds{ls.time_since_epoch() - info.first.offset};
      break;
    case date::local_info::ambiguous:
      sys = sys_seconds{ls.time_since_epoch() - info.first.offset};
      break;
    case date::local_info::nonexistent:
    default:
      // In the gap: the instant where the new offset begins.
      sys = info.second.begin;
      break;
  }
  return duration_cast<milliseconds>(sys.time_since_epoch()).count();
}

DayNumber Clock::local_day(int64_t utc_ms) const {
  const sys_time<milliseconds> t{milliseconds{utc_ms}};
  const auto info = impl_->tz->get_info(t);
  const auto local = t.time_since_epoch() + duration_cast<milliseconds>(info.offset);
  return date::floor<date::days>(milliseconds{local}).count();
}

int Clock::offset_minutes(int64_t utc_ms) const {
  const sys_time<milliseconds> t{milliseconds{utc_ms}};
  return static_cast<int>(duration_cast<minutes>(impl_->tz->get_info(t).offset).count());
}

LocalDateTime Clock::local(int64_t utc_ms) const {
  const int64_t local_ms = utc_ms + int64_t{offset_minutes(utc_ms)} * 60000;
  const auto dp = date::floor<date::days>(milliseconds{local_ms});
  const date::year_month_day ymd{date::sys_days{dp}};
  const int64_t sod = (local_ms - duration_cast<milliseconds>(dp).count()) / 1000;
  LocalDateTime out;
  out.year = static_cast<int>(ymd.year());
  out.month = static_cast<unsigned>(ymd.month());
  out.day = static_cast<unsigned>(ymd.day());
  out.hour = static_cast<unsigned>(sod / 3600);
  out.minute = static_cast<unsigned>(sod / 60 % 60);
  out.second = static_cast<unsigned>(sod % 60);
  return out;
}

unsigned Clock::weekday(DayNumber day) {
  return date::weekday{date::sys_days{date::days{day}}}.c_encoding();
}

std::string Clock::iso_date(DayNumber day) {
  const date::year_month_day ymd{date::sys_days{date::days{day}}};
  return fmt::format("{:04d}-{:02d}-{:02d}", static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()),
                     static_cast<unsigned>(ymd.day()));
}

DayNumber Clock::civil_day(int y, unsigned m, unsigned d) {
  return date::sys_days{date::year{y} / date::month{m} / date::day{d}}.time_since_epoch().count();
}

std::string Clock::exif_local(int64_t utc_ms) const {
  const auto l = local(utc_ms);
  return fmt::format("{:04d}:{:02d}:{:02d} {:02d}:{:02d}:{:02d}", l.year, l.month, l.day, l.hour, l.minute, l.second);
}

std::string Clock::offset_text(int64_t utc_ms) const {
  const int off = offset_minutes(utc_ms);
  const int a = off < 0 ? -off : off;
  return fmt::format("{}{:02d}:{:02d}", off < 0 ? '-' : '+', a / 60, a % 60);
}

std::string Clock::iso_local(int64_t utc_ms) const {
  const auto l = local(utc_ms);
  return fmt::format("{:04d}-{:02d}-{:02d}T{:02d}:{:02d}:{:02d}{}", l.year, l.month, l.day, l.hour, l.minute, l.second,
                     offset_text(utc_ms));
}

}  // namespace remit::synth
