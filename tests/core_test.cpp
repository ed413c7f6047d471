// Unit tests for the core layer: path normalisation, time conversion,
// party normalisation, the item JSON round trip, UTF-8 sanitising,
// registry path patterns.
#include <gtest/gtest.h>

#include <cmath>

#include "remit/item.hpp"
#include "remit/party.hpp"
#include "remit/registry.hpp"
#include "remit/source.hpp"
#include "remit/text.hpp"
#include "remit/timeconv.hpp"

namespace remit {
namespace {

TEST(PathNormalisation, StripsPrefixesAndMapsFilesystemRoots) {
  EXPECT_EQ(normalise_entry_path("/data/data/com.whatsapp/databases/msgstore.db"),
            "data/data/com.whatsapp/databases/msgstore.db");
  EXPECT_EQ(normalise_entry_path("./data//user_de/0/x.db"), "data/user_de/0/x.db");
  EXPECT_EQ(normalise_entry_path("filesystem1/data/data/a"), "data/data/a");
  EXPECT_EQ(normalise_entry_path("filesystem2/mobile/Library/SMS/sms.db"), "private/var/mobile/Library/SMS/sms.db");
  EXPECT_EQ(normalise_entry_path("/private/var/mobile/Library/SMS/sms.db"), "private/var/mobile/Library/SMS/sms.db");
  EXPECT_EQ(normalise_entry_path("var/mobile/Library/SMS/sms.db"), "private/var/mobile/Library/SMS/sms.db");
  EXPECT_EQ(normalise_entry_path("files\\Image\\a.jpg"), "files/Image/a.jpg");
}

TEST(PathNormalisation, RejectsTraversalAndNul) {
  EXPECT_FALSE(normalise_entry_path("../etc/passwd"));
  EXPECT_FALSE(normalise_entry_path("data/../../x"));
  EXPECT_FALSE(normalise_entry_path("a\\..\\b"));
  EXPECT_FALSE(normalise_entry_path(std::string_view("a\0b", 3)));
  // ".." inside a name is not a traversal.
  EXPECT_EQ(normalise_entry_path("a/..b/c"), "a/..b/c");
}

TEST(PathNormalisation, SuffixMatchesOnSegmentBoundaries) {
  EXPECT_TRUE(path_has_suffix("data/data/com.android.providers.telephony/databases/mmssms.db",
                              "com.android.providers.telephony/databases/mmssms.db"));
  EXPECT_FALSE(path_has_suffix("data/data/xcom.android.providers.telephony/databases/mmssms.db",
                               "com.android.providers.telephony/databases/mmssms.db"));
  EXPECT_TRUE(path_has_suffix("mmssms.db", "mmssms.db"));
}

TEST(RegistryPatterns, WildcardsAndDoubleStar) {
  EXPECT_TRUE(match_pattern("private/var/mobile/Containers/Shared/AppGroup/694F-BBC5/ChatStorage.sqlite",
                            "Containers/Shared/AppGroup/*/ChatStorage.sqlite"));
  EXPECT_FALSE(match_pattern("private/var/mobile/Containers/Shared/AppGroup/a/b/ChatStorage.sqlite",
                             "Containers/Shared/AppGroup/*/ChatStorage.sqlite"));
  EXPECT_TRUE(match_pattern("sdcard/DCIM/Camera/IMG_1.jpg", "DCIM/**/*.jpg"));
  EXPECT_TRUE(match_pattern("sdcard/DCIM/IMG_1.jpg", "DCIM/**/*.jpg"));
  EXPECT_FALSE(match_pattern("sdcard/DCIM/Camera/IMG_1.JPG", "DCIM/**/*.jpg"));
  EXPECT_TRUE(match_pattern("sdcard/DCIM/Camera/IMG_1.JPG", "DCIM/**/*.jpg", true));
  EXPECT_FALSE(match_pattern("", "x"));
}

TEST(TimeConversion, EpochsAndUnits) {
  EXPECT_EQ(to_unix_ms(int64_t{1383066341303}, TimeUnit::unix_ms), 1383066341303);
  EXPECT_EQ(to_unix_ms(int64_t{1383066341}, TimeUnit::unix_s), 1383066341000);
  // 2001-01-01T00:00:00Z is the Apple reference date.
  EXPECT_EQ(to_unix_ms(int64_t{0}, TimeUnit::mac_s), 978307200000);
  EXPECT_EQ(to_unix_ms(600000000.123, TimeUnit::mac_s), 1578307200123);
  // iOS sms.db: values above 1e15 are nanoseconds.
  EXPECT_EQ(to_unix_ms(int64_t{600000000123456789}, TimeUnit::mac_auto), 1578307200123);
  EXPECT_EQ(to_unix_ms(int64_t{600000000}, TimeUnit::mac_auto), 1578307200000);
  // Chrome: µs since 1601. 13253932800000000 µs = 2021-01-01T00:00:00Z.
  EXPECT_EQ(to_unix_ms(int64_t{13253932800000000}, TimeUnit::webkit_us), 1609459200000);
  // Implausible values are refused, not turned into a date.
  EXPECT_FALSE(to_unix_ms(int64_t{-5}, TimeUnit::unix_ms));
  EXPECT_FALSE(to_unix_ms(int64_t{9'000'000'000'000'000'000LL}, TimeUnit::unix_s));
  EXPECT_FALSE(to_unix_ms(std::nan(""), TimeUnit::mac_s));
}

TEST(TimeConversion, Rfc3339FormatAndParse) {
  EXPECT_EQ(format_rfc3339_ms(0), "1970-01-01T00:00:00.000Z");
  EXPECT_EQ(format_rfc3339_ms(1383066341303), "2013-10-29T17:05:41.303Z");
  EXPECT_EQ(format_rfc3339_ms(951782400000), "2000-02-29T00:00:00.000Z");  // leap day
  EXPECT_EQ(parse_iso8601_ms("2013-10-29T17:05:41.303Z"), 1383066341303);
  EXPECT_EQ(parse_iso8601_ms("2013-10-29T18:05:41.303+01:00"), 1383066341303);
  EXPECT_EQ(parse_iso8601_ms("2013-10-29T12:05:41-0500"), 1383066341000);
  EXPECT_EQ(parse_iso8601_ms("2013-10-29 17:05:41"), 1383066341000);
  EXPECT_EQ(parse_iso8601_ms("2013-10-29"), 1383004800000);
  EXPECT_FALSE(parse_iso8601_ms("2013-13-29T17:05:41Z"));
  EXPECT_FALSE(parse_iso8601_ms("yesterday"));
  EXPECT_FALSE(parse_iso8601_ms("2013-10-29T17:05:41Zjunk"));
}

TEST(PartyNormalisation, UkSpellingsAgree) {
  PartyNormaliser n("GB");
  const NormalisedId want{PartyKind::phone, "+447700900123"};
  EXPECT_EQ(n.normalise("07700 900123"), want);
  EXPECT_EQ(n.normalise("+44 7700 900123"), want);
  EXPECT_EQ(n.normalise("447700900123@s.whatsapp.net"), want);
  EXPECT_EQ(n.normalise("tel:+447700900123"), want);
  EXPECT_EQ(n.normalise("(07700) 900-123"), want);
}

TEST(PartyNormalisation, RegionMattersForNationalNumbers) {
  PartyNormaliser us("US");
  EXPECT_EQ(us.normalise("1 555-521-5554").value, "+15555215554");
  EXPECT_EQ(us.normalise("5404561685").value, "+15404561685");
  PartyNormaliser gb("GB");
  EXPECT_NE(gb.normalise("5404561685").value, "+15404561685");
}

TEST(PartyNormalisation, EmailsGroupsHandlesShortCodes) {
  PartyNormaliser n("GB");
  EXPECT_EQ(n.normalise("Jane.Doe@Example.ORG"), (NormalisedId{PartyKind::email, "jane.doe@example.org"}));
  EXPECT_EQ(n.normalise("mailto:jane@example.org").value, "jane@example.org");
  EXPECT_EQ(n.normalise("120363012345@g.us"), (NormalisedId{PartyKind::group, "120363012345@g.us"}));
  EXPECT_EQ(n.normalise("Vodafone"), (NormalisedId{PartyKind::handle, "vodafone"}));
  EXPECT_EQ(n.normalise("88088"), (NormalisedId{PartyKind::phone, "88088"}));
  EXPECT_EQ(n.normalise("   "), (NormalisedId{PartyKind::unknown, ""}));
}

Item sample_item() {
  Item it;
  it.category = Category::call;
  it.service = "telephony";
  it.time = Timestamp{1383772733283, "1383772733283", TimeUnit::unix_ms, TimeSource::recorded};
  it.other_times.push_back({"read", Timestamp{std::nullopt, "0", TimeUnit::mac_auto, TimeSource::none}});
  it.direction = Direction::outgoing;
  it.parties.push_back(Party{"5404561685", "+15404561685", PartyKind::phone, PartyRole::to, "Barney", "mobile", false});
  it.parties.push_back(Party{"me", "me", PartyKind::handle, PartyRole::from, "", "", true});
  it.thread_id = "7";
  it.thread_name = "Bowling \xF0\x9F\x8E\xB3";
  it.group = true;
  it.body = "line1\nline2 \"quoted\" <b>";
  it.title = "t";
  it.url = "https://example.org/?a=1&b=2";
  it.attachments.push_back(FileRef{"a/b.jpg", "b.jpg", "image/jpeg", 42, std::string(64, 'a'), false});
  it.attachments.push_back(FileRef{"", "gone.jpg", "", std::nullopt, "", true});
  it.file = FileRef{"DCIM/x.jpg", "x.jpg", "image/jpeg", 7, "", false};
  it.outcome = CallOutcome::answered;
  it.duration_s = 126.5;
  it.location = GeoPoint{51.5, -0.125, 12.0};
  it.deleted = true;
  it.recovered = true;
  it.system = true;
  it.extra = {{"call_type", "2"}, {"a", "b"}};
  it.provenance =
      Provenance{"c.tar", "data/x.db", "/data/x.db", "calls", "_id=715", "android.calllog", "1.0", "wal_superseded"};
  return it;
}

TEST(ItemJson, RoundTripIsExact) {
  const Item it = sample_item();
  const std::string line = to_json_line(it);
  EXPECT_EQ(line.find('\n'), std::string::npos) << "one line per item";
  auto back = item_from_json_line(line);
  ASSERT_TRUE(back.ok()) << back.error().message;
  EXPECT_EQ(*back, it);
  Item minimal;
  minimal.provenance.path = "p";
  auto back2 = item_from_json_line(to_json_line(minimal));
  ASSERT_TRUE(back2.ok());
  EXPECT_EQ(*back2, minimal);
}

TEST(ItemJson, RejectsUnknownTokensAndWrongTypes) {
  std::string line = to_json_line(sample_item());
  auto bad_cat = line;
  bad_cat.replace(bad_cat.find("\"call\""), 6, "\"callz\"");
  auto r = item_from_json_line(bad_cat);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("category"), std::string::npos);
  EXPECT_FALSE(item_from_json_line("[1,2]").ok());
  EXPECT_FALSE(item_from_json_line("{\"category\":\"message\"}").ok());  // no time, no provenance
  EXPECT_FALSE(item_from_json_line("not json").ok());
}

TEST(Utf8, InvalidSequencesAreReplacedAndCounted) {
  std::string s = "ok \xC3\xA9 bad \xFF\xFE end \xE2\x82";
  EXPECT_EQ(sanitize_utf8(s), 4u);
  EXPECT_EQ(s, "ok \xC3\xA9 bad \xEF\xBF\xBD\xEF\xBF\xBD end \xEF\xBF\xBD\xEF\xBF\xBD");
  std::string overlong = "\xC0\xAF";
  EXPECT_EQ(sanitize_utf8(overlong), 2u);
  std::string fine = "plain";
  EXPECT_EQ(sanitize_utf8(fine), 0u);
}

TEST(Text, PrintableEscapesControlsAndBidi) {
  EXPECT_EQ(printable("a\x1b[31mb"), "a\\x1b[31mb");
  EXPECT_EQ(printable("x\xE2\x80\xAEy"), "x\\u{202E}y");
  uint64_t v = 0;
  EXPECT_TRUE(parse_size("10G", v));
  EXPECT_EQ(v, 10ULL << 30);
  EXPECT_TRUE(parse_size("1.5M", v));
  EXPECT_EQ(v, 1572864u);
  EXPECT_FALSE(parse_size("ten", v));
  EXPECT_FALSE(parse_size("5Q", v));
}

}  // namespace
}  // namespace remit
