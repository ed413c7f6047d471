// The ufdr.report parser against hand-written report.xml fragments
// (tests/fixtures/ufdr, written from the public structure facts, not from
// remit's writer). Each fixture is zipped into a UFDR here and parsed with
// the real pipeline; expectations are written by hand from the fixture.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <random>

#include "remit/device.hpp"
#include "remit/hash.hpp"
#include "remit/registry.hpp"
#include "remit/source.hpp"
#include "remit/timeconv.hpp"
#include "support/support.hpp"

// FixtureEntry is written as {name, data} pairs throughout.
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"

namespace remit::test {
namespace {

const fs::path kFixtures = fs::path(REMIT_SOURCE_DIR) / "tests" / "fixtures" / "ufdr";

struct Parsed {
  std::vector<Item> items;
  std::vector<Warning> warnings;
  SourceKind kind = SourceKind::zip;
  const Warning* warning(std::string_view code) const {
    for (const auto& w : warnings)
      if (w.code == code) return &w;
    return nullptr;
  }
  uint64_t warned(std::string_view code) const {
    uint64_t n = 0;
    for (const auto& w : warnings)
      if (w.code == code) n += w.count;
    return n;
  }
  const Item& by_row(std::string_view row) const {
    for (const auto& it : items)
      if (it.provenance.row == row) return it;
    ADD_FAILURE() << "no item with row " << row;
    static const Item none;
    return none;
  }
  std::vector<const Item*> of(Category c) const {
    std::vector<const Item*> v;
    for (const auto& it : items)
      if (it.category == c) v.push_back(&it);
    return v;
  }
};

Parsed parse_ufdr(const std::string& report_xml, std::vector<FixtureEntry> files = {},
                  const std::string& report_name = "report.xml", bool hash_files = true) {
  TempDir dir;
  files.insert(files.begin(), FixtureEntry{report_name, report_xml});
  const fs::path zip = dir / "evidence.ufdr";
  make_zip(zip, files);
  SourceOptions so;
  so.hash_container = false;
  auto src = open_source(zip, so);
  Parsed out;
  if (!src.ok()) {
    ADD_FAILURE() << src.error().message;
    return out;
  }
  out.kind = (*src)->kind();
  PartyNormaliser parties("GB");
  auto scan = scan_source(
      **src, parties, [&](Item&& it) { out.items.push_back(std::move(it)); }, hash_files);
  out.warnings = scan.warnings;
  return out;
}

Parsed parse_fixture(const std::string& name, std::vector<FixtureEntry> files = {}) {
  return parse_ufdr(read_file(kFixtures / name), std::move(files));
}

std::string utc(const Timestamp& t) {
  return t.utc_ms ? format_rfc3339_ms(*t.utc_ms) : "undated";
}

std::string extra(const Item& it, std::string_view key) {
  for (const auto& [k, v] : it.extra)
    if (k == key) return v;
  return {};
}

// ------------------------------------------------------------------ calls

TEST(UfdrCalls, EveryFieldAndTimestampForm) {
  auto p = parse_fixture("calls.xml");
  EXPECT_EQ(p.kind, SourceKind::ufdr);
  ASSERT_EQ(p.items.size(), 8u);

  const Item& a = p.by_row("id=c0000001-0000-4000-8000-000000000001");
  EXPECT_EQ(a.category, Category::call);
  EXPECT_EQ(a.provenance.table, "model:Call");
  EXPECT_EQ(a.provenance.parser, "ufdr.report");
  EXPECT_EQ(a.provenance.path, "report.xml");
  EXPECT_EQ(a.service, "telephony");
  EXPECT_EQ(a.direction, Direction::incoming);
  EXPECT_EQ(a.outcome, CallOutcome::answered);
  EXPECT_EQ(utc(a.time), "2023-03-13T20:04:05.123Z");
  EXPECT_EQ(a.time.source, TimeSource::recorded);
  EXPECT_EQ(a.time.unit, TimeUnit::iso8601);
  ASSERT_TRUE(a.duration_s);
  EXPECT_DOUBLE_EQ(*a.duration_s, 65.5);
  ASSERT_EQ(a.parties.size(), 1u) << "the phone owner is not listed";
  EXPECT_EQ(a.parties[0].raw, "07700 900123");
  EXPECT_EQ(a.parties[0].normalised, "+447700900123");
  EXPECT_EQ(a.parties[0].role, PartyRole::from);
  EXPECT_EQ(a.parties[0].name, "Alex Carter");
  EXPECT_EQ(extra(a, "ufdr_extraction_id"), "0");
  EXPECT_EQ(extra(a, "ufdr_extraction"), "File System");
  EXPECT_EQ(extra(a, "source_path"), "/data/user_de/0/com.android.providers.contacts/databases/calllog.db");
  EXPECT_EQ(extra(a, "source_table"), "calls");

  const Item& b = p.by_row("id=c0000002-0000-4000-8000-000000000002");
  EXPECT_EQ(b.direction, Direction::outgoing);
  EXPECT_EQ(b.outcome, CallOutcome::answered);
  EXPECT_EQ(utc(b.time), "2023-03-14T08:00:00.000Z");
  EXPECT_DOUBLE_EQ(b.duration_s.value_or(-1), 65);
  ASSERT_EQ(b.parties.size(), 1u);
  EXPECT_EQ(b.parties[0].role, PartyRole::to);
  EXPECT_EQ(b.parties[0].normalised, "+447700900456");
  EXPECT_EQ(extra(b, "source_path"), "") << "no extraInfo for this model";

  const Item& c = p.by_row("id=c0000003-0000-4000-8000-000000000003");
  EXPECT_EQ(c.outcome, CallOutcome::missed);
  EXPECT_EQ(c.direction, Direction::incoming);
  EXPECT_TRUE(c.deleted);
  EXPECT_EQ(utc(c.time), "2023-03-13T09:04:05.000Z");
  EXPECT_EQ(c.time.raw, "13-Mar-23 09:04:05 +00:00");
  ASSERT_EQ(c.parties.size(), 1u);
  EXPECT_EQ(c.parties[0].role, PartyRole::from);

  const Item& d = p.by_row("id=c0000004-0000-4000-8000-000000000004");
  EXPECT_EQ(d.direction, Direction::incoming);
  EXPECT_EQ(d.outcome, CallOutcome::missed);
  EXPECT_EQ(utc(d.time), "2023-03-14T08:15:00.000Z");
  EXPECT_FALSE(d.duration_s) << "no Duration field: not invented";

  const Item& e = p.by_row("id=c0000005-0000-4000-8000-000000000005");
  EXPECT_EQ(e.outcome, CallOutcome::rejected);
  EXPECT_EQ(utc(e.time), "2023-03-16T02:30:00.000Z");

  const Item& f = p.by_row("id=c0000006-0000-4000-8000-000000000006");
  EXPECT_EQ(f.direction, Direction::outgoing);
  EXPECT_EQ(f.outcome, CallOutcome::unknown) << "outgoing, duration 0: the record does not say";
  EXPECT_EQ(utc(f.time), "2023-03-16T13:05:09.000Z");
  EXPECT_DOUBLE_EQ(f.duration_s.value_or(-1), 0);

  const Item& g = p.by_row("id=c0000007-0000-4000-8000-000000000007");
  EXPECT_EQ(g.service, "facetime_video");
  EXPECT_EQ(utc(g.time), "2023-03-17T13:00:30.250Z") << "offset from formattedTimestamp, ms from the value";
  EXPECT_EQ(g.time.source, TimeSource::recorded);
  EXPECT_DOUBLE_EQ(g.duration_s.value_or(-1), 86401);
  ASSERT_EQ(g.parties.size(), 1u);
  EXPECT_EQ(g.parties[0].kind, PartyKind::email);

  const Item& h = p.by_row("id=c0000008-0000-4000-8000-000000000008");
  EXPECT_EQ(utc(h.time), "2023-03-18T00:10:00.000Z") << "12 AM is midnight";
  EXPECT_EQ(h.time.source, TimeSource::local_guess) << "no offset: read as UTC, flagged";
  EXPECT_FALSE(p.warning("bad_timestamp"));
  EXPECT_FALSE(p.warning("corrupt"));
}

// --------------------------------------------------------------- messages

const std::string kPartBytes = "jpeg-bytes\n";  // SHA-256 20203049...e553, as the fixture lists (upper-case)

TEST(UfdrMessages, SmsMmsControlCharactersBase64Attachments) {
  auto p = parse_fixture("messages.xml", {{"files/Image/PART_1678912345678.jpg", kPartBytes},
                                          {"files/Database/mmssms.db", std::string(4096, '\0')}});
  // 1 media item (the tagged image) + 3 SMS + 1 MMS.
  ASSERT_EQ(p.items.size(), 5u);
  ASSERT_EQ(p.of(Category::media).size(), 1u);

  const Item& in = p.by_row("id=s0000001-0000-4000-8000-000000000001");
  EXPECT_EQ(in.provenance.table, "model:SMS");
  EXPECT_EQ(in.service, "sms");
  EXPECT_EQ(in.direction, Direction::incoming);
  const std::string fffd = "\xEF\xBF\xBD";
  std::string want = "See you at 7";
  for (int i = 0; i < 7; ++i) want += fffd;
  want += "!\ttab \nline & more";
  EXPECT_EQ(in.body, want) << "control references replaced one for one; tab, LF and &amp; kept";
  ASSERT_EQ(in.parties.size(), 1u) << "the owner (To, the device MSISDN) is not listed";
  EXPECT_EQ(in.parties[0].normalised, "+447700900123");
  EXPECT_EQ(in.parties[0].role, PartyRole::from);
  EXPECT_EQ(in.parties[0].name, "Alex Carter");
  EXPECT_TRUE(in.attachments.empty()) << "a jump target to the database it came from is not an attachment";
  EXPECT_EQ(extra(in, "source_file"), "files/Database/mmssms.db");
  EXPECT_EQ(extra(in, "smsc"), "+447700900999");
  EXPECT_EQ(extra(in, "ufdr_extraction"), "Logical");

  const Item& out = p.by_row("id=s0000002-0000-4000-8000-000000000002");
  EXPECT_EQ(out.direction, Direction::outgoing);
  EXPECT_TRUE(out.deleted);
  EXPECT_EQ(out.body, "Ok - see you there \xF0\x9F\x91\x8D") << "Base64String decoded";
  ASSERT_EQ(out.parties.size(), 1u) << "From is the owner by MSISDN (07700 900001 = +447700900001)";
  EXPECT_EQ(out.parties[0].normalised, "+447700900123");
  EXPECT_EQ(out.parties[0].role, PartyRole::to);

  const Item& st = p.by_row("id=s0000003-0000-4000-8000-000000000003");
  EXPECT_EQ(st.direction, Direction::incoming) << "Unread";
  ASSERT_EQ(st.parties.size(), 1u);
  EXPECT_EQ(st.parties[0].role, PartyRole::from) << "General role on a one-to-one incoming message";
  EXPECT_EQ(extra(st, "ufdr_extraction"), "File System");

  const Item& mms = p.by_row("id=m0000001-0000-4000-8000-000000000001");
  EXPECT_EQ(mms.provenance.table, "model:MMS");
  EXPECT_EQ(mms.service, "mms");
  EXPECT_EQ(mms.title, "Photo");
  EXPECT_EQ(mms.direction, Direction::incoming);
  ASSERT_EQ(mms.parties.size(), 2u);
  EXPECT_EQ(mms.parties[0].role, PartyRole::from);
  EXPECT_EQ(mms.parties[1].normalised, "+447700900789");
  EXPECT_EQ(mms.parties[1].role, PartyRole::to) << "another recipient of a group MMS stays a recipient";
  ASSERT_EQ(mms.attachments.size(), 2u) << "the jump target repeats the first attachment's file";
  EXPECT_EQ(mms.attachments[0].path, "files/Image/PART_1678912345678.jpg");
  EXPECT_EQ(mms.attachments[0].name, "IMG_0042.jpg");
  EXPECT_EQ(mms.attachments[0].mime, "image/jpeg");
  EXPECT_EQ(mms.attachments[0].size.value_or(0), kPartBytes.size());
  EXPECT_EQ(mms.attachments[0].sha256, "20203049b2164a062b280758781d33f1b97f832159d6b43c8a91059f7c7ce553");
  EXPECT_FALSE(mms.attachments[0].missing);
  EXPECT_TRUE(mms.attachments[1].missing) << "an attachment the report names but does not hold";
  EXPECT_EQ(mms.attachments[1].name, "voice.amr");
  EXPECT_TRUE(mms.attachments[1].path.empty());

  const Item& media = *p.of(Category::media)[0];
  EXPECT_EQ(media.file->path, "files/Image/PART_1678912345678.jpg");
  EXPECT_EQ(media.title, "PART_1678912345678.jpg");
  EXPECT_EQ(utc(media.time), "2023-03-15T10:00:05.000Z");
  EXPECT_EQ(media.time.source, TimeSource::file_mtime);

  const Warning* cc = p.warning("control_characters");
  ASSERT_TRUE(cc);
  EXPECT_EQ(cc->count, 7u) << "seven references outside CDATA; the one inside CDATA is literal text";
  EXPECT_FALSE(p.warning("hash_mismatch"));
  EXPECT_FALSE(p.warning("corrupt"));
  EXPECT_EQ(p.warned("missing_file"), 1u) << "voice.amr";
}

TEST(UfdrMessages, HashMismatchIsReported) {
  auto p = parse_fixture("messages.xml", {{"files/Image/PART_1678912345678.jpg", "tampered"}});
  EXPECT_GE(p.warned("hash_mismatch"), 1u);
  const Item& mms = p.by_row("id=m0000001-0000-4000-8000-000000000001");
  EXPECT_EQ(mms.attachments[0].sha256, sha256_hex(std::string_view("tampered"))) << "the file as read wins";
}

// ------------------------------------------------------------------ chats

std::vector<std::string> party_list(const Item& it) {
  std::vector<std::string> v;
  for (const auto& p : it.parties) v.push_back(p.normalised + "/" + std::string(to_string(p.role)));
  std::sort(v.begin(), v.end());
  return v;
}

TEST(UfdrChats, GroupAndOneToOneConversations) {
  auto p = parse_fixture("chats.xml", {{"files/Image/IMG-20230315-WA0001.jpg", "wa-image\n"}});
  ASSERT_EQ(p.items.size(), 9u);
  using V = std::vector<std::string>;
  const std::string alex = "+447700900123", sam = "+447700900456";

  const Item& m1 = p.by_row("id=i0000001-0000-4000-8000-000000000001");
  EXPECT_EQ(m1.provenance.table, "model:InstantMessage");
  EXPECT_EQ(m1.service, "whatsapp");
  EXPECT_EQ(m1.direction, Direction::incoming);
  EXPECT_TRUE(m1.group);
  EXPECT_EQ(m1.thread_id, "447700900456-1678900000@g.us");
  EXPECT_EQ(m1.thread_name, "Friday plans");
  EXPECT_EQ(utc(m1.time), "2023-03-15T08:01:00.500Z");
  EXPECT_EQ(party_list(m1), (V{alex + "/from", sam + "/participant"}));
  ASSERT_EQ(m1.other_times.size(), 1u);
  EXPECT_EQ(m1.other_times[0].name, "read");
  EXPECT_EQ(m1.body, "Who's in for Friday?");

  const Item& m2 = p.by_row("id=i0000002-0000-4000-8000-000000000002");
  EXPECT_EQ(m2.direction, Direction::outgoing);
  EXPECT_EQ(party_list(m2), (V{alex + "/to", sam + "/to"})) << "empty To: every other member";

  const Item& m3 = p.by_row("id=i0000003-0000-4000-8000-000000000003");
  EXPECT_TRUE(m3.system);
  EXPECT_EQ(m3.direction, Direction::unknown);
  EXPECT_EQ(party_list(m3), (V{alex + "/participant", sam + "/participant"}))
      << "the System Message pseudo-party is no one";

  const Item& m4 = p.by_row("id=i0000004-0000-4000-8000-000000000004");
  EXPECT_TRUE(m4.deleted);
  EXPECT_EQ(m4.body, "");
  EXPECT_EQ(utc(m4.time), "2023-03-15T08:05:00.000Z");
  EXPECT_EQ(party_list(m4), (V{alex + "/participant", sam + "/from"}));
  ASSERT_EQ(m4.attachments.size(), 1u);
  EXPECT_EQ(m4.attachments[0].path, "files/Image/IMG-20230315-WA0001.jpg") << "backslash path normalised";
  EXPECT_FALSE(m4.attachments[0].missing);
  EXPECT_EQ(m4.attachments[0].sha256, sha256_hex(std::string_view("wa-image\n")));
  ASSERT_TRUE(m4.location);
  EXPECT_DOUBLE_EQ(m4.location->lat, 51.5072);
  EXPECT_DOUBLE_EQ(m4.location->lon, -0.1276) << "decimal comma read";

  const Item& m5 = p.by_row("id=i0000005-0000-4000-8000-000000000005");
  EXPECT_EQ(m5.service, "imessage");
  EXPECT_FALSE(m5.group);
  EXPECT_EQ(m5.thread_id, "chat123456");
  EXPECT_EQ(party_list(m5), (V{"jo.bloggs@example.com/from"}));
  EXPECT_EQ(m5.parties[0].name, "Jo");
  const Item& m6 = p.by_row("id=i0000006-0000-4000-8000-000000000006");
  EXPECT_EQ(m6.direction, Direction::outgoing);
  EXPECT_EQ(party_list(m6), (V{"jo.bloggs@example.com/to"}));
  const Item& m7 = p.by_row("id=i0000007-0000-4000-8000-000000000007");
  EXPECT_EQ(m7.direction, Direction::incoming) << "no sender but Read";
  EXPECT_EQ(party_list(m7), (V{"jo.bloggs@example.com/from"})) << "participants read after the messages still count";

  const Item& m8 = p.by_row("id=i0000008-0000-4000-8000-000000000008");
  EXPECT_EQ(m8.service, "telegram");
  EXPECT_EQ(m8.thread_id, "-100123456");
  EXPECT_EQ(m8.direction, Direction::incoming);
  ASSERT_EQ(m8.parties.size(), 1u);
  EXPECT_EQ(m8.parties[0].raw, "@news_channel");

  ASSERT_EQ(p.of(Category::media).size(), 1u);
  const Item& media = *p.of(Category::media)[0];
  EXPECT_TRUE(media.deleted);
  EXPECT_EQ(media.service, "ufdr") << "the device path does not name an app";
  EXPECT_EQ(media.file->path, "files/Image/IMG-20230315-WA0001.jpg") << "space-padded Local Path segments trimmed";
  EXPECT_FALSE(p.warning("missing_file"));
  EXPECT_FALSE(p.warning("chat_context_incomplete"));
}

// ------------------------------------------------------- contacts, email

TEST(UfdrContactsEmail, EntriesAndAddressing) {
  auto p = parse_fixture("contacts_email.xml");
  ASSERT_EQ(p.items.size(), 4u);
  using V = std::vector<std::string>;
  const Item& c1 = p.by_row("id=k0000001-0000-4000-8000-000000000001");
  EXPECT_EQ(c1.category, Category::contact);
  EXPECT_EQ(c1.title, "Alex Carter");
  EXPECT_EQ(c1.body, "Met at the gym");
  EXPECT_EQ(utc(c1.time), "2021-06-01T09:00:00.000Z");
  ASSERT_EQ(c1.parties.size(), 3u) << "ProfilePicture is not an address";
  EXPECT_EQ(c1.parties[0].normalised, "+447700900123");
  EXPECT_EQ(c1.parties[0].label, "mobile");
  EXPECT_EQ(c1.parties[0].role, PartyRole::subject);
  EXPECT_EQ(c1.parties[0].name, "Alex Carter");
  EXPECT_EQ(c1.parties[1].normalised, "+442079460123");
  EXPECT_EQ(c1.parties[1].label, "home");
  EXPECT_EQ(c1.parties[2].normalised, "alex.carter@example.org");
  EXPECT_EQ(c1.parties[2].kind, PartyKind::email);
  EXPECT_EQ(c1.parties[2].label, "work");
  EXPECT_EQ(extra(c1, "ufdr_contact_type"), "PhoneBook");

  const Item& c2 = p.by_row("id=k0000002-0000-4000-8000-000000000002");
  EXPECT_EQ(c2.service, "whatsapp");
  EXPECT_TRUE(c2.deleted);
  EXPECT_FALSE(c2.time.dated());
  ASSERT_EQ(c2.parties.size(), 1u);
  EXPECT_EQ(c2.parties[0].normalised, "+447700900456");

  const Item& e1 = p.by_row("id=n0000001-0000-4000-8000-000000000001");
  EXPECT_EQ(e1.category, Category::email);
  EXPECT_EQ(e1.provenance.table, "model:Email");
  EXPECT_EQ(e1.service, "gmail");
  EXPECT_EQ(e1.direction, Direction::incoming);
  EXPECT_EQ(e1.title, "Friday");
  EXPECT_EQ(e1.body, "<p>See you Friday</p>");
  EXPECT_EQ(party_list(e1), (V{"alex.carter@example.org/from", "sam@example.org/cc"}))
      << "the account's own address (any case) is the owner";
  const Item& e2 = p.by_row("id=n0000002-0000-4000-8000-000000000002");
  EXPECT_EQ(e2.direction, Direction::outgoing) << "From is the account";
  EXPECT_EQ(e2.body, "Great") << "Snippet when there is no Body";
  EXPECT_EQ(party_list(e2), (V{"alex.carter@example.org/to"}));
  ASSERT_EQ(e2.attachments.size(), 1u);
  EXPECT_TRUE(e2.attachments[0].missing);
  EXPECT_EQ(e2.attachments[0].name, "plan.pdf");
}

// ----------------------------------------------------- locations and web

TEST(UfdrLocationWeb, CoordinatesVisitsBookmarksAndUnmappedTypes) {
  auto p = parse_fixture("location_web.xml");
  ASSERT_EQ(p.items.size(), 4u);
  const Item& l1 = p.by_row("id=o0000001-0000-4000-8000-000000000001");
  EXPECT_EQ(l1.category, Category::location);
  ASSERT_TRUE(l1.location);
  EXPECT_DOUBLE_EQ(l1.location->lat, 51.5014);
  EXPECT_DOUBLE_EQ(l1.location->lon, -0.1419);
  EXPECT_DOUBLE_EQ(l1.location->accuracy_m.value_or(-1), 12.5);
  EXPECT_EQ(utc(l1.time), "2023-03-15T17:17:48.838Z");
  EXPECT_EQ(l1.title, "Buckingham Palace");
  EXPECT_EQ(l1.service, "google_maps");
  EXPECT_FALSE(l1.recovered);

  const Item& l2 = p.by_row("id=o0000002-0000-4000-8000-000000000002");
  EXPECT_FALSE(l2.location) << "latitude 91.5 is not on Earth";
  EXPECT_FALSE(l2.time.dated());
  EXPECT_EQ(l2.time.raw, "not a date") << "the raw value is kept";
  EXPECT_TRUE(l2.recovered) << "iscarved";

  const Item& v = p.by_row("id=w0000001-0000-4000-8000-000000000001");
  EXPECT_EQ(v.category, Category::web_visit);
  EXPECT_EQ(v.service, "chrome");
  EXPECT_EQ(v.url, "https://www.example.org/search?q=train+times&x=1");
  EXPECT_EQ(v.title, "Train times");
  EXPECT_EQ(utc(v.time), "2023-03-15T07:45:00.000Z");
  EXPECT_EQ(extra(v, "visit_count"), "3");
  const Item& b = p.by_row("id=w0000002-0000-4000-8000-000000000002");
  EXPECT_EQ(b.service, "safari");
  EXPECT_EQ(extra(b, "web_kind"), "bookmark");
  EXPECT_EQ(utc(b.time), "2023-02-01T10:00:00.000Z") << "dd/MM/yyyy";

  EXPECT_EQ(p.warned("bad_coordinates"), 1u);
  EXPECT_EQ(p.warned("bad_timestamp"), 1u);
  // Never silently dropped: one unmapped_model warning per type, with the count.
  std::map<std::string, uint64_t> unmapped;
  for (const auto& w : p.warnings)
    if (w.code == "unmapped_model") unmapped[w.message.substr(11, w.message.find(':') - 11)] = w.count;
  EXPECT_EQ(unmapped, (std::map<std::string, uint64_t>{{"Cookie", 1}, {"InstalledApplication", 2}}));
}

// ------------------------------------------------------------ tagged files

TEST(UfdrTaggedFiles, MediaItemsFromTaggedFiles) {
  auto p = parse_fixture("tagged_files.xml", {{"files/Image/20230315_101500.jpg", "camjpg\n"},
                                              {"files/Video/clip.mp4", "movie"},
                                              {"files/Database/msgstore.db", "SQLite format 3"},
                                              {"files/Uncategorized/scan.JPG", "jpg"}});
  ASSERT_EQ(p.items.size(), 4u) << "three media files held, one missing; the database is not media";
  for (const auto& it : p.items) EXPECT_EQ(it.category, Category::media);
  const Item& cam = p.by_row("id=t0000001-0000-4000-8000-000000000001");
  EXPECT_EQ(cam.provenance.table, "file");
  EXPECT_EQ(cam.service, "camera");
  EXPECT_EQ(cam.title, "20230315_101500.jpg");
  ASSERT_TRUE(cam.file);
  EXPECT_EQ(cam.file->path, "files/Image/20230315_101500.jpg");
  EXPECT_EQ(cam.file->size.value_or(0), 7u);
  EXPECT_EQ(cam.file->sha256, "0c6accab903000000c78915b7bd81d7c30952286279f2f0657e0599ab749bd6d");
  EXPECT_EQ(utc(cam.time), "2023-03-15T11:14:59.000Z") << "EXIF capture time first";
  EXPECT_EQ(cam.time.unit, TimeUnit::exif_local);
  EXPECT_EQ(cam.time.source, TimeSource::local_guess) << "EXIF without an offset";
  ASSERT_EQ(cam.other_times.size(), 3u);
  EXPECT_EQ(cam.other_times[0].name, "created");
  EXPECT_EQ(utc(cam.other_times[1].time), "2023-03-15T10:15:01.000Z");
  EXPECT_EQ(cam.other_times[2].name, "accessed");
  EXPECT_EQ(extra(cam, "md5"), "d41d8cd98f00b204e9800998ecf8427e");
  EXPECT_EQ(extra(cam, "device_path"), "/data/media/0/DCIM/Camera/20230315_101500.jpg");
  EXPECT_EQ(extra(cam, "ufdr_extraction"), "File System");

  const Item& clip = p.by_row("id=t0000002-0000-4000-8000-000000000002");
  EXPECT_TRUE(clip.deleted);
  EXPECT_EQ(utc(clip.time), "2023-03-16T07:00:00.000Z");
  EXPECT_EQ(clip.time.source, TimeSource::file_mtime);

  const Item& gone = p.by_row("id=t0000003-0000-4000-8000-000000000003");
  ASSERT_TRUE(gone.file);
  EXPECT_TRUE(gone.file->missing);
  EXPECT_TRUE(gone.file->path.empty());
  EXPECT_EQ(gone.file->name, "gone.png");
  EXPECT_FALSE(gone.time.dated());

  const Item& scan = p.by_row("id=t0000005-0000-4000-8000-000000000005");
  EXPECT_EQ(scan.file->path, "files/Uncategorized/scan.JPG") << "untagged, recognised by its extension";
  EXPECT_EQ(p.warned("missing_file"), 1u);
  EXPECT_FALSE(p.warning("hash_mismatch"));
}

TEST(UfdrDevice, IdentityFromMetadata) {
  TempDir dir;
  make_zip(dir / "x.ufdr", {{"report.xml", read_file(kFixtures / "tagged_files.xml")}});
  SourceOptions so;
  so.hash_container = false;
  auto src = open_source(dir / "x.ufdr", so);
  ASSERT_TRUE(src.ok());
  auto d = read_ufdr_device_identity(**src);
  ASSERT_TRUE(d.ok()) << d.error().message;
  EXPECT_EQ(d->source, "ufdr");
  EXPECT_EQ(d->source_path, "report.xml");
  EXPECT_EQ(d->manufacturer, "Samsung");
  EXPECT_EQ(d->model, "SM-G991B");
  EXPECT_EQ(d->device_name, "Galaxy S21 5G");
  EXPECT_EQ(d->os_type, "Android");
  EXPECT_EQ(d->os_version, "13");
  EXPECT_EQ(d->imeis, (std::vector<std::string>{"350000000000001", "350000000000019"}));
  EXPECT_EQ(d->msisdns, (std::vector<std::string>{"+447700900002", "+447700900001"})) << "last used first";
  EXPECT_EQ(d->iccids, (std::vector<std::string>{"8944000000000000001"}));
  EXPECT_EQ(d->imsis, (std::vector<std::string>{"234150000000001"}));
  EXPECT_EQ(d->tool_version, "7.60.0.114");
  EXPECT_EQ(d->extraction_type, "FileSystem");
  EXPECT_EQ(d->extraction_start, "20/03/2023 09:00:00 +00:00");
  EXPECT_EQ(format_rfc3339_ms(d->extraction_start_utc_ms.value_or(0)), "2023-03-20T09:00:00.000Z");
  EXPECT_EQ(format_rfc3339_ms(d->extraction_end_utc_ms.value_or(0)), "2023-03-20T09:45:10.000Z");
  ASSERT_EQ(d->extractions.size(), 2u);
  EXPECT_EQ(d->extractions[1].id, "1");
  EXPECT_EQ(d->extractions[1].name, "File System");
  EXPECT_TRUE(d->extractions[1].partial);
  EXPECT_FALSE(d->extractions[0].partial);
  bool android_id = false;
  for (const auto& prop : d->properties)
    if (prop.name == "DeviceInfoAndroidID" && prop.value == "0123456789abcdef" && prop.section == "Device Info")
      android_id = true;
  EXPECT_TRUE(android_id) << "every property is kept verbatim";
}

TEST(UfdrDevice, NoReportIsNotFound) {
  TempDir dir;
  make_zip(dir / "x.zip", {{"other.txt", "x"}});
  SourceOptions so;
  so.hash_container = false;
  auto src = open_source(dir / "x.zip", so);
  ASSERT_TRUE(src.ok());
  EXPECT_EQ((*src)->kind(), SourceKind::zip);
  auto d = read_ufdr_device_identity(**src);
  ASSERT_FALSE(d.ok());
  EXPECT_EQ(d.error().code, Errc::not_found);
}

// ------------------------------------------------------------- corruption

// No warning may carry content: only structure and counts.
void expect_no_content_in_warnings(const Parsed& p, std::initializer_list<std::string_view> secrets) {
  for (const auto& w : p.warnings)
    for (auto sec : secrets) EXPECT_EQ(w.message.find(sec), std::string::npos) << w.code << ": " << w.message;
}

TEST(UfdrCorrupt, BadBase64AbsentJumpTargetEscapingPathsUnknownTypes) {
  auto p = parse_fixture("corrupt_damaged.xml", {{"files/Image/evil.jpg", "evil"}});
  // The media file (whose Local Path escapes), the SMS, the chat message.
  ASSERT_EQ(p.items.size(), 3u);
  const Item& sms = p.by_row("id=z1000001-0000-4000-8000-000000000001");
  EXPECT_EQ(sms.body, "SGVsbG8@!!") << "kept as written";
  EXPECT_EQ(p.warned("bad_base64"), 1u);

  const Item& msg = p.by_row("id=z5000001-0000-4000-8000-000000000001");
  ASSERT_EQ(msg.attachments.size(), 2u) << "the escaping attachment and the absent jump target, both missing";
  for (const auto& a : msg.attachments) {
    EXPECT_TRUE(a.missing);
    EXPECT_TRUE(a.path.empty());
  }
  EXPECT_EQ(msg.attachments[1].name, "ffffffff-0000-4000-8000-00000000dead");

  const Item& evil = *p.of(Category::media)[0];
  EXPECT_TRUE(evil.file->missing) << "a Local Path with '..' is never resolved";
  EXPECT_TRUE(evil.file->path.empty());
  EXPECT_EQ(p.warned("path_traversal"), 2u);
  EXPECT_EQ(p.warned("missing_file"), 3u);
  const Warning* u = p.warning("unmapped_model");
  ASSERT_TRUE(u);
  EXPECT_NE(u->message.find("SecretThing"), std::string::npos);
  EXPECT_EQ(u->count, 1u);
  expect_no_content_in_warnings(p, {"never printed", "SGVsbG8", "photo", "07700900123", "evil", "outside"});
}

TEST(UfdrCorrupt, TruncatedReportKeepsWhatWasRead) {
  const std::string full = read_file(kFixtures / "messages.xml");
  const size_t cut = full.find("<field name=\"Subject\" type=\"String\"><value type=\"String\">Photo");
  ASSERT_NE(cut, std::string::npos);
  auto p = parse_ufdr(full.substr(0, cut + 30), {{"files/Image/PART_1678912345678.jpg", kPartBytes}});
  EXPECT_EQ(p.of(Category::message).size(), 3u) << "the three SMS before the cut";
  EXPECT_EQ(p.of(Category::media).size(), 1u);
  const Warning* w = p.warning("corrupt");
  ASSERT_TRUE(w);
  EXPECT_NE(w->message.find("MMS"), std::string::npos) << w->message;
  EXPECT_NE(w->message.find("m0000001-0000-4000-8000-000000000001"), std::string::npos) << w->message;
  expect_no_content_in_warnings(p, {"Photo", "Look at this"});
}

TEST(UfdrCorrupt, TruncatedInsideAChatKeepsItsCompleteMessages) {
  const std::string full = read_file(kFixtures / "chats.xml");
  const size_t cut = full.find("<model type=\"InstantMessage\" id=\"i0000004");
  ASSERT_NE(cut, std::string::npos);
  auto p = parse_ufdr(full.substr(0, cut));
  EXPECT_EQ(p.of(Category::message).size(), 3u);
  EXPECT_TRUE(p.warning("corrupt"));
  const Item& m1 = p.by_row("id=i0000001-0000-4000-8000-000000000001");
  EXPECT_TRUE(m1.group) << "the chat's fields read before the cut still apply";
}

TEST(UfdrCorrupt, EntityDeclarationsAreRefused) {
  auto p = parse_fixture("corrupt_entities.xml");
  EXPECT_TRUE(p.items.empty());
  const Warning* w = p.warning("corrupt");
  ASSERT_TRUE(w);
  EXPECT_NE(w->message.find("entities"), std::string::npos) << w->message;
}

TEST(UfdrCorrupt, MissingReportXmlIsJustAZip) {
  TempDir dir;
  make_zip(dir / "no-report.ufdr", {{"files/Image/a.jpg", "x"}, {"Report.txt", "x"}});
  SourceOptions so;
  so.hash_container = false;
  auto src = open_source(dir / "no-report.ufdr", so);
  ASSERT_TRUE(src.ok());
  EXPECT_EQ((*src)->kind(), SourceKind::zip);
  PartyNormaliser parties("GB");
  size_t n = 0;
  auto scan = scan_source(**src, parties, [&](Item&&) { ++n; });
  EXPECT_EQ(n, 0u);
  for (const auto& d : scan.detections) EXPECT_NE(std::string(d.spec->id), "ufdr.report");
}

TEST(UfdrCorrupt, ReportXmlThatIsNotCellebriteIsNotParsed) {
  auto p = parse_ufdr("<?xml version=\"1.0\"?><report><entry>hello</entry></report>");
  EXPECT_TRUE(p.items.empty());
  EXPECT_TRUE(p.warning("not_a_ufdr_report"));
}

TEST(UfdrCorrupt, HostileZipEntriesNeverResolve) {
  // The zip holds an entry whose name climbs out; the report points at it.
  std::string xml = read_file(kFixtures / "tagged_files.xml");
  const std::string from = "files\\Image\\20230315_101500.jpg";
  const size_t at = xml.find(from);
  ASSERT_NE(at, std::string::npos);
  xml.replace(at, from.size(), "..\\escape.jpg");
  auto p = parse_ufdr(xml, {{"../escape.jpg", "camjpg\n"}, {"files/Video/clip.mp4", "movie"}});
  const Item& cam = p.by_row("id=t0000001-0000-4000-8000-000000000001");
  ASSERT_TRUE(cam.file);
  EXPECT_TRUE(cam.file->missing);
  EXPECT_TRUE(cam.file->path.empty());
  EXPECT_GE(p.warned("path_traversal"), 1u);
}

TEST(UfdrCorrupt, RawControlBytesAndInvalidUtf8AreRepaired) {
  std::string xml = read_file(kFixtures / "calls.xml");
  const std::string name = "<![CDATA[Alex Carter]]>";
  const size_t at = xml.find(name);
  ASSERT_NE(at, std::string::npos);
  xml.replace(at, name.size(),
              std::string("<![CDATA[Alex\x01 \xFF\xC3"
                          "Carter\x7F]]>"));
  auto p = parse_ufdr(xml);
  ASSERT_EQ(p.items.size(), 8u) << "the repair lets the whole report parse";
  const Item& a = p.by_row("id=c0000001-0000-4000-8000-000000000001");
  EXPECT_EQ(a.parties[0].name,
            "Alex\xEF\xBF\xBD \xEF\xBF\xBD\xEF\xBF\xBD"
            "Carter\x7F");
  EXPECT_EQ(p.warned("control_characters"), 1u);
  EXPECT_EQ(p.warned("bad_utf8"), 2u);
}

TEST(UfdrLayout, ReportInAFolderResolvesFilesBesideIt) {
  TempDir dir;
  make_zip(dir / "phone.zip", {{"Phone/report.xml", read_file(kFixtures / "messages.xml")},
                               {"Phone/files/Image/PART_1678912345678.jpg", kPartBytes}});
  SourceOptions so;
  so.hash_container = false;
  auto src = open_source(dir / "phone.zip", so);
  ASSERT_TRUE(src.ok());
  EXPECT_EQ((*src)->kind(), SourceKind::zip) << "not a UFDR container (no root report.xml)";
  PartyNormaliser parties("GB");
  std::vector<Item> items;
  auto scan = scan_source(**src, parties, [&](Item&& it) { items.push_back(std::move(it)); });
  ASSERT_EQ(items.size(), 5u);
  for (const auto& it : items) {
    EXPECT_EQ(it.provenance.path, "Phone/report.xml");
    if (it.provenance.row == "id=m0000001-0000-4000-8000-000000000001") {
      EXPECT_EQ(it.attachments.at(0).path, "Phone/files/Image/PART_1678912345678.jpg");
    }
  }
}

TEST(UfdrLayout, UnzippedFolderAndCapitalisedName) {
  TempDir dir;
  make_folder(dir / "ufdr", {{"Report.xml", read_file(kFixtures / "chats.xml")},
                             {"files/Image/IMG-20230315-WA0001.jpg", "wa-image\n"}});
  SourceOptions so;
  so.hash_container = false;
  auto src = open_source(dir / "ufdr", so);
  ASSERT_TRUE(src.ok());
  PartyNormaliser parties("GB");
  size_t n = 0;
  auto scan = scan_source(**src, parties, [&](Item&&) { ++n; });
  EXPECT_EQ(n, 9u);
  TempDir dir2;
  make_zip(dir2 / "cap.ufdr", {{"Report.xml", read_file(kFixtures / "chats.xml")}});
  auto src2 = open_source(dir2 / "cap.ufdr", so);
  ASSERT_TRUE(src2.ok());
  EXPECT_EQ((*src2)->kind(), SourceKind::ufdr);
}

// ------------------------------------------------------------- robustness

// A deterministic mutation run over every fixture (the corpus a fuzzer would
// start from): flipped bytes, inserted markup and references, truncations,
// duplicated slices. The parser must never crash or throw (a throw would
// surface as a parser_failed warning) and never invent more items than the
// document could hold.
TEST(UfdrRobustness, MutatedFixturesNeverCrash) {
  std::mt19937 rng(20240601);
  const char* names[] = {"calls.xml",        "messages.xml",     "chats.xml",          "contacts_email.xml",
                         "location_web.xml", "tagged_files.xml", "corrupt_damaged.xml"};
  const char* junk[] = {"<",
                        ">",
                        "&",
                        "&#x1;",
                        "&#",
                        "]]>",
                        "<![CDATA[",
                        "<model type=\"Chat\">",
                        "</model>",
                        "<value>",
                        "</field>",
                        "\xFF",
                        "\x00",
                        "<!--",
                        "<extraInfo id=\"x\">",
                        "\""};
  // More rounds (e.g. under the sanitizers): REMIT_UFDR_MUTATION_ROUNDS=500.
  const char* env = std::getenv("REMIT_UFDR_MUTATION_ROUNDS");
  const int rounds = env ? std::max(1, std::atoi(env)) : 30;
  if (const char* seed = std::getenv("REMIT_UFDR_MUTATION_SEED")) rng.seed(static_cast<unsigned>(std::atoi(seed)));
  for (const char* name : names) {
    const std::string base = read_file(kFixtures / name);
    for (int round = 0; round < rounds; ++round) {
      std::string x = base;
      std::uniform_int_distribution<size_t> pos(0, x.size() - 1);
      switch (round % 4) {
        case 0:
          for (int k = 0; k < 8; ++k) x[pos(rng)] = static_cast<char>(rng() & 0xFF);
          break;
        case 1:
          for (int k = 0; k < 6; ++k) x.insert(pos(rng), junk[rng() % std::size(junk)]);
          break;
        case 2:
          x.resize(pos(rng));
          break;
        case 3: {
          const size_t a = pos(rng), n = std::min<size_t>(x.size() - a, 400);
          x.insert(pos(rng), x.substr(a, n));
          break;
        }
      }
      auto p = parse_ufdr(x, {{"files/Image/IMG-20230315-WA0001.jpg", "wa-image\n"}});
      EXPECT_LE(p.items.size(), 64u) << name << " round " << round;
      EXPECT_FALSE(p.warning("parser_failed"))
          << name << " round " << round << ": "
          << (p.warning("parser_failed") ? p.warning("parser_failed")->message : "");
    }
  }
}

TEST(UfdrRobustness, DeepNestingIsCapped) {
  std::string x = "<project xmlns=\"http://pa.cellebrite.com/report/2.0\"><decodedData><modelType type=\"Contact\">";
  x += "<model type=\"Contact\" id=\"deep\">";
  for (int i = 0; i < 2000; ++i) x += "<multiModelField name=\"Entries\"><model type=\"X\" id=\"n\">";
  for (int i = 0; i < 2000; ++i) x += "</model></multiModelField>";
  x += "<field name=\"Name\"><value>Deep</value></field></model></modelType></decodedData></project>";
  auto p = parse_ufdr(x);
  ASSERT_EQ(p.items.size(), 1u);
  EXPECT_EQ(p.items[0].title, "Deep");
  EXPECT_GE(p.warned("limit"), 1u);
}

}  // namespace
}  // namespace remit::test
