#pragma once
// Civil time for the synthetic life: the story is lived in one IANA time
// zone (Europe/London by default), with real daylight-saving changes, and
// every artifact stores UTC instants in its own encoding.
//
// Uses Howard Hinnant's date/tz (g++ 12 has no std::chrono tz database);
// the heavy header stays inside clock.cpp. All functions are pure and
// thread-safe once the zone is loaded (construction loads it).

#include <cstdint>
#include <memory>
#include <string>

namespace remit::synth {

// A calendar date as days since 1970-01-01 (proleptic Gregorian).
using DayNumber = int64_t;

struct LocalDateTime {
  int year = 1970;
  unsigned month = 1, day = 1;
  unsigned hour = 0, minute = 0, second = 0;
};

class Clock {
 public:
  // Throws std::runtime_error if the zone is unknown (caller validates).
  explicit Clock(const std::string& zone = "Europe/London");
  ~Clock();
  Clock(const Clock&) = delete;
  Clock& operator=(const Clock&) = delete;

  [[nodiscard]] const std::string& zone_name() const noexcept { return zone_name_; }

  // UTC ms of a local wall-clock time on `day` at seconds-since-midnight.
  // Non-existent times (spring forward gap) move forward; ambiguous times
  // (autumn fold) take the earlier instant.
  [[nodiscard]] int64_t local_to_utc_ms(DayNumber day, int64_t seconds_of_day) const;
  // Local midnight at the start of `day`, as UTC ms.
  [[nodiscard]] int64_t day_start_utc_ms(DayNumber day) const { return local_to_utc_ms(day, 0); }
  // The local calendar day containing a UTC instant.
  [[nodiscard]] DayNumber local_day(int64_t utc_ms) const;
  // UTC offset in minutes at an instant (e.g. 60 during BST).
  [[nodiscard]] int offset_minutes(int64_t utc_ms) const;
  [[nodiscard]] LocalDateTime local(int64_t utc_ms) const;
  // Day of the week of a local day: 0 Sunday .. 6 Saturday.
  [[nodiscard]] static unsigned weekday(DayNumber day);
  [[nodiscard]] static std::string iso_date(DayNumber day);  // "2026-03-13"
  [[nodiscard]] static DayNumber civil_day(int y, unsigned m, unsigned d);

  // "2026:03:13 21:04:05" (EXIF), "+01:00", "2026-03-13T21:04:05+01:00".
  [[nodiscard]] std::string exif_local(int64_t utc_ms) const;
  [[nodiscard]] std::string offset_text(int64_t utc_ms) const;
  [[nodiscard]] std::string iso_local(int64_t utc_ms) const;

 private:
  std::string zone_name_;
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace remit::synth
