// UFDR timestamp and duration parsing (src/artifacts/ufdr/ufdr_time.hpp):
// every form the public readers of real reports document.
#include "artifacts/ufdr/ufdr_time.hpp"

#include <gtest/gtest.h>

#include "remit/timeconv.hpp"

namespace remit::ufdr {
namespace {

std::string utc(std::string_view s) {
  auto t = parse_time(s);
  return t ? format_rfc3339_ms(t->utc_ms) + (t->has_offset ? "" : " (no offset)") : "none";
}

TEST(UfdrTime, Iso8601) {
  EXPECT_EQ(utc("2021-05-21T02:38:43.000+00:00"), "2021-05-21T02:38:43.000Z");
  EXPECT_EQ(utc("2021-05-21T02:38:43+00:00"), "2021-05-21T02:38:43.000Z");
  EXPECT_EQ(utc("2021-05-21T02:38:43.123+01:00"), "2021-05-21T01:38:43.123Z");
  EXPECT_EQ(utc("2021-05-21T02:38:43.123-05:30"), "2021-05-21T08:08:43.123Z");
  EXPECT_EQ(utc("2021-05-21T02:38:43Z"), "2021-05-21T02:38:43.000Z");
  EXPECT_EQ(utc("2021-05-21T02:38:43.1234567+0200"), "2021-05-21T00:38:43.123Z") << "7-digit .NET fraction";
  EXPECT_EQ(utc("2021-05-21 02:38:43+02"), "2021-05-21T00:38:43.000Z");
  EXPECT_EQ(utc("  2024-10-29T17:17:48.838\n"), "2024-10-29T17:17:48.838Z (no offset)");
  EXPECT_EQ(utc("2024-10-29T17:17"), "2024-10-29T17:17:00.000Z (no offset)");
  EXPECT_EQ(utc("2024-10-29 17:17:48 UTC"), "2024-10-29T17:17:48.000Z");
  EXPECT_EQ(utc("2024-10-29 17:17:48 GMT+01:00"), "2024-10-29T16:17:48.000Z");
  EXPECT_EQ(utc("2024-02-29T00:00:00Z"), "2024-02-29T00:00:00.000Z");
}

TEST(UfdrTime, DayMonthYearForms) {
  EXPECT_EQ(utc("13-Mar-19 09:04:05 +00:00"), "2019-03-13T09:04:05.000Z");
  EXPECT_EQ(utc("13-Mar-19 09:04:05  +00:00"), "2019-03-13T09:04:05.000Z") << "two spaces (IPED df5)";
  EXPECT_EQ(utc("13-mar-2019 21:04:05 +01:00"), "2019-03-13T20:04:05.000Z");
  EXPECT_EQ(utc("13/03/2019 21:04:05 +01:00"), "2019-03-13T20:04:05.000Z");
  EXPECT_EQ(utc("03/11/2025 17:15:40"), "2025-11-03T17:15:40.000Z (no offset)") << "day first, never swapped";
  EXPECT_EQ(utc("13.03.2019 21:04:05 +00:00"), "2019-03-13T21:04:05.000Z");
  EXPECT_EQ(utc("1-Jan-70 00:00:01 +00:00"), "1970-01-01T00:00:01.000Z");
  EXPECT_EQ(utc("31-Dec-69 23:59:59 +00:00"), "2069-12-31T23:59:59.000Z") << "00-69 are 20xx";
  EXPECT_EQ(utc("13 March 2019 21:04:05 +00:00"), "2019-03-13T21:04:05.000Z");
  EXPECT_EQ(utc("13/03/2019 9:04:05 PM +00:00"), "2019-03-13T21:04:05.000Z");
  EXPECT_EQ(utc("13/03/2019 12:04:05 AM +00:00"), "2019-03-13T00:04:05.000Z");
  EXPECT_EQ(utc("13/03/2019 12:04:05 PM +00:00"), "2019-03-13T12:04:05.000Z");
  EXPECT_EQ(utc("13/03/2019 12:04:05PM(UTC+01:00)"), "2019-03-13T11:04:05.000Z");
  EXPECT_EQ(utc("13/03/2019 21:04:05 (UTC)"), "2019-03-13T21:04:05.000Z");
  EXPECT_EQ(utc("13/03/2019 21:04:05 UTC+1"), "2019-03-13T20:04:05.000Z");
  EXPECT_EQ(utc("13/03/2019"), "2019-03-13T00:00:00.000Z (no offset)");
}

TEST(UfdrTime, Exif) {
  EXPECT_EQ(utc("2019:03:13 21:04:05"), "2019-03-13T21:04:05.000Z (no offset)");
}

TEST(UfdrTime, Rejects) {
  for (std::string_view bad :
       {"", "not a date", "13/13/2019 10:00:00 +00:00", "32-Mar-19 09:04:05 +00:00", "29-Feb-23 09:04:05 +00:00",
        "2019-03-13T25:00:00Z", "2019-03-13T10:61:00Z", "13-Foo-19 09:04:05 +00:00", "13/03/2019 13:04:05 PM +00:00",
        "13/03/2019 10:04:05 +25:00", "2019-03-13T10:00:00 +01:00 trailing", "2019-03-13T10:00:00+",
        "123-03-2019 10:00:00", "13/03/201 10:00:00"})
    EXPECT_FALSE(parse_time(bad)) << bad;
}

TEST(UfdrTime, OffsetIsReported) {
  auto t = parse_time("2021-05-21T02:38:43+05:30");
  ASSERT_TRUE(t);
  EXPECT_TRUE(t->has_offset);
  EXPECT_EQ(t->offset_min, 330);
  auto u = parse_time("2021-05-21T02:38:43-01:00");
  EXPECT_EQ(u->offset_min, -60);
}

TEST(UfdrDuration, TimeSpanAndSeconds) {
  EXPECT_DOUBLE_EQ(parse_duration_s("00:00:33.6090010").value_or(-1), 33.609001);
  EXPECT_DOUBLE_EQ(parse_duration_s("01:02:03").value_or(-1), 3723);
  EXPECT_DOUBLE_EQ(parse_duration_s("1.02:03:04").value_or(-1), 93784);
  EXPECT_DOUBLE_EQ(parse_duration_s("02:03").value_or(-1), 7380) << ".NET reads hh:mm";
  EXPECT_DOUBLE_EQ(parse_duration_s("65").value_or(-1), 65);
  EXPECT_DOUBLE_EQ(parse_duration_s("65,5").value_or(-1), 65.5);
  EXPECT_DOUBLE_EQ(parse_duration_s(" 0 ").value_or(-1), 0);
  for (std::string_view bad : {"", "-5", "abc", "00:60:00", "00:00:60", "1:2", "00:00:01.", "12.5.3"})
    EXPECT_FALSE(parse_duration_s(bad)) << bad;
}

}  // namespace
}  // namespace remit::ufdr
