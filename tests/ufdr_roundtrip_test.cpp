// Round trip: items built by hand -> write_ufdr (src/source/ufdr_writer) ->
// remit's UFDR reader. Every category the UFDR carries must come back equal
// to the input items (compared with tests/support/truth.hpp, keyed by the
// UFDR locator the writer assigned), and the writer must be deterministic.
#include <gtest/gtest.h>

#include "remit/device.hpp"
#include "remit/hash.hpp"
#include "remit/party.hpp"
#include "remit/registry.hpp"
#include "source/ufdr_writer.hpp"
#include "support/support.hpp"
#include "support/truth.hpp"

// UfdrFile and other aggregates are filled by position here.
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"

namespace remit::test {
namespace {

int64_t at(int day, int h, int m, int s = 0, int ms = 0) {
  return ((days_from_civil(2023, 3, static_cast<unsigned>(day)) * 24 + h) * 60 + m) * 60'000 + s * 1000 + ms;
}

Timestamp ts(int64_t ms, TimeSource src = TimeSource::recorded, TimeUnit unit = TimeUnit::unix_ms) {
  Timestamp t;
  t.utc_ms = ms;
  t.raw = std::to_string(ms);
  t.unit = unit;
  t.source = src;
  return t;
}

class Builder {
 public:
  Builder() : norm_("GB") {}
  Party party(const std::string& raw, PartyRole role, const std::string& name = {}, const std::string& label = {}) {
    Party p;
    p.raw = raw;
    p.role = role;
    p.name = name;
    p.label = label;
    norm_.fill(p);
    return p;
  }
  Item item(Category c, const std::string& service, int64_t time, const std::string& path, const std::string& table,
            int row) {
    Item it;
    it.category = c;
    it.service = service;
    it.time = ts(time);
    it.provenance.container = "android.tar";
    it.provenance.path = path;
    it.provenance.table = table;
    it.provenance.row = "_id=" + std::to_string(row);
    it.provenance.parser = "synthetic";
    it.provenance.parser_version = "1";
    return it;
  }

 private:
  PartyNormaliser norm_;
};

const std::string kAlex = "07700 900123", kSam = "+447700900456", kJo = "jo@example.org";
const std::string kSmsDb = "data/user_de/0/com.android.providers.telephony/databases/mmssms.db";
const std::string kWaDb = "data/data/com.whatsapp/databases/msgstore.db";

UfdrWriteRequest build_request() {
  Builder b;
  UfdrWriteRequest r;
  r.device.manufacturer = "Samsung";
  r.device.model = "SM-G991B";
  r.device.os_type = "Android";
  r.device.os_version = "13";
  r.device.imeis = {"350000000000001"};
  r.device.msisdns = {"+447700900001"};
  r.case_fields = {{"ExaminerName", "DC Example"}, {"CaseNumber", "OP/1"}};
  r.id_seed = "roundtrip";

  r.files.push_back({"/data/media/0/DCIM/Camera/IMG_1.jpg", "", "camera-bytes", {}, at(10, 9, 0), at(10, 9, 1)});
  r.files.push_back({"/data/media/0/Movies/v.mp4", "", "video-bytes", {}, {}, at(11, 8, 0)});
  r.files.push_back({"/sdcard/WhatsApp/Media/WhatsApp Images/IMG-WA0001.jpg", "", "wa-bytes", {}});
  r.files.push_back({"/data/user_de/0/com.android.providers.telephony/app_parts/PART_1.jpg", "", "part-bytes", {}});

  auto& v = r.items;
  // SMS and MMS.
  {
    Item it = b.item(Category::message, "sms", at(12, 9, 0, 0, 123), kSmsDb, "sms", 1);
    it.direction = Direction::incoming;
    it.parties = {b.party(kAlex, PartyRole::from, "Alex")};
    it.body = "See you at 7";
    v.push_back(it);
    it = b.item(Category::message, "sms", at(12, 9, 5), kSmsDb, "sms", 2);
    it.direction = Direction::outgoing;
    it.parties = {b.party(kAlex, PartyRole::to)};
    it.body = "Ok\x01 there & <b>\"here\"</b> ]]> end";  // a control character, markup, a CDATA terminator
    it.deleted = true;
    v.push_back(it);
    it = b.item(Category::message, "mms", at(12, 10, 0), kSmsDb, "pdu", 3);
    it.direction = Direction::incoming;
    it.group = true;
    it.title = "Photo";
    it.body = "Look";
    it.parties = {b.party(kAlex, PartyRole::from), b.party(kSam, PartyRole::participant)};
    FileRef part;
    part.path = "/data/user_de/0/com.android.providers.telephony/app_parts/PART_1.jpg";
    part.name = "PART_1.jpg";
    part.mime = "image/jpeg";
    FileRef gone;
    gone.name = "voice.amr";
    gone.missing = true;
    it.attachments = {part, gone};
    v.push_back(it);
  }
  // Calls.
  {
    const std::string db = "data/user_de/0/com.android.providers.contacts/databases/calllog.db";
    Item it = b.item(Category::call, "telephony", at(13, 20, 0), db, "calls", 1);
    it.direction = Direction::incoming;
    it.outcome = CallOutcome::answered;
    it.duration_s = 65.5;
    it.parties = {b.party(kAlex, PartyRole::from, "Alex")};
    v.push_back(it);
    it = b.item(Category::call, "telephony", at(13, 21, 0), db, "calls", 2);
    it.direction = Direction::outgoing;
    it.outcome = CallOutcome::unknown;
    it.duration_s = 0;
    it.parties = {b.party(kSam, PartyRole::to)};
    v.push_back(it);
    it = b.item(Category::call, "telephony", at(13, 22, 0), db, "calls", 3);
    it.direction = Direction::incoming;
    it.outcome = CallOutcome::missed;
    it.duration_s = 0;
    it.parties = {b.party(kSam, PartyRole::from)};
    v.push_back(it);
    it = b.item(Category::call, "telephony", at(13, 23, 0), db, "calls", 4);
    it.direction = Direction::incoming;
    it.outcome = CallOutcome::rejected;
    it.duration_s = 0;
    it.parties = {b.party(kAlex, PartyRole::from)};
    v.push_back(it);
    it = b.item(Category::call, "facetime_video", at(14, 8, 0),
                "private/var/mobile/Library/CallHistoryDB/CallHistory.storedata", "ZCALLRECORD", 5);
    it.direction = Direction::outgoing;
    it.outcome = CallOutcome::answered;
    it.duration_s = 3725.25;
    it.parties = {b.party(kJo, PartyRole::to)};
    v.push_back(it);
  }
  // WhatsApp group chat, one-to-one chat, iMessage.
  {
    Item it = b.item(Category::message, "whatsapp", at(15, 8, 1, 0, 500), kWaDb, "message", 1);
    it.thread_id = "447700900456-1678900000@g.us";
    it.thread_name = "Friday plans";
    it.group = true;
    it.direction = Direction::incoming;
    it.parties = {b.party(kAlex, PartyRole::from, "Alex"), b.party(kSam, PartyRole::participant, "Sam")};
    it.body = "Who's in?";
    v.push_back(it);
    it.provenance.row = "_id=2";
    it.time = ts(at(15, 8, 3));
    it.direction = Direction::outgoing;
    it.parties = {b.party(kAlex, PartyRole::to, "Alex"), b.party(kSam, PartyRole::to, "Sam")};
    it.body = "Me!";
    v.push_back(it);
    it.provenance.row = "_id=3";
    it.time = ts(at(15, 8, 4));
    it.direction = Direction::unknown;
    it.system = true;
    it.parties = {b.party(kAlex, PartyRole::participant), b.party(kSam, PartyRole::participant)};
    it.body = "Sam added Alex";
    v.push_back(it);
    it.provenance.row = "_id=4";
    it.time = ts(at(15, 8, 5));
    it.system = false;
    it.direction = Direction::incoming;
    it.deleted = true;
    it.parties = {b.party(kSam, PartyRole::from), b.party(kAlex, PartyRole::participant)};
    it.body = "";
    FileRef img;
    img.path = "/sdcard/WhatsApp/Media/WhatsApp Images/IMG-WA0001.jpg";
    img.name = "IMG-WA0001.jpg";
    it.attachments = {img};
    it.location = GeoPoint{51.5072, -0.1276, std::nullopt};
    v.push_back(it);

    Item one = b.item(Category::message, "whatsapp", at(16, 12, 0), kWaDb, "message", 5);
    one.thread_id = "447700900123@s.whatsapp.net";
    one.direction = Direction::incoming;
    one.parties = {b.party("447700900123@s.whatsapp.net", PartyRole::from)};
    one.body = "Are you ok?";
    v.push_back(one);
    one.provenance.row = "_id=6";
    one.time = ts(at(16, 12, 1));
    one.direction = Direction::outgoing;
    one.parties = {b.party("447700900123@s.whatsapp.net", PartyRole::to)};
    one.body = "Yes";
    v.push_back(one);

    Item im =
        b.item(Category::message, "imessage", at(17, 7, 0), "private/var/mobile/Library/SMS/sms.db", "message", 1);
    im.thread_id = "chat42";
    im.direction = Direction::incoming;
    im.parties = {b.party(kJo, PartyRole::from, "Jo")};
    im.body = "Hi \xF0\x9F\x91\x8B";
    v.push_back(im);
    im.provenance.row = "ROWID=2";
    im.time = Timestamp{};  // undated
    im.direction = Direction::outgoing;
    im.parties = {b.party(kJo, PartyRole::to)};
    im.body = "Hello";
    v.push_back(im);
  }
  // Contacts, e-mail, location, web, media, a note.
  {
    Item c = b.item(Category::contact, "android_contacts", at(1, 10, 0),
                    "data/data/com.android.providers.contacts/databases/contacts2.db", "raw_contacts", 1);
    c.title = "Alex Carter";
    c.body = "gym";
    c.parties = {b.party(kAlex, PartyRole::subject, "Alex Carter", "mobile"),
                 b.party("+44 20 7946 0123", PartyRole::subject, "Alex Carter", "home"),
                 b.party("Alex@Example.org", PartyRole::subject, "Alex Carter", "work")};
    v.push_back(c);

    Item e = b.item(Category::email, "gmail", at(14, 18, 0), "data/data/com.google.android.gm/databases/x.db",
                    "messages", 1);
    e.direction = Direction::incoming;
    e.title = "Friday";
    e.body = "<p>See you</p>";
    e.parties = {b.party(kJo, PartyRole::from, "Jo"), b.party("sam@example.org", PartyRole::cc)};
    v.push_back(e);
    e.provenance.row = "_id=2";
    e.time = ts(at(14, 18, 30));
    e.direction = Direction::outgoing;
    e.title = "Re: Friday";
    e.body = "Great";
    e.parties = {b.party(kJo, PartyRole::to)};
    FileRef pdf;
    pdf.name = "plan.pdf";
    pdf.missing = true;
    e.attachments = {pdf};
    v.push_back(e);

    Item l = b.item(Category::location, "google_maps", at(15, 17, 17, 48, 838), "data/x/location.db", "points", 1);
    l.location = GeoPoint{51.5014, -0.1419, 12.5};
    l.title = "Palace";
    v.push_back(l);

    Item w = b.item(Category::web_visit, "chrome", at(15, 7, 45),
                    "data/data/com.android.chrome/app_chrome/Default/History", "visits", 1);
    w.url = "https://www.example.org/search?q=a&b=c";
    w.title = "Search";
    w.extra = {{"visit_count", "3"}};
    v.push_back(w);
    Item bm = b.item(Category::web_visit, "safari", at(1, 10, 0), "private/var/mobile/Library/Safari/Bookmarks.db",
                     "bookmarks", 1);
    bm.url = "https://www.example.com/";
    bm.title = "Example";
    bm.extra = {{"web_kind", "bookmark"}};
    v.push_back(bm);

    Item m = b.item(Category::media, "camera", at(10, 8, 59, 58), "data/media/0/DCIM/Camera/IMG_1.jpg", "", 0);
    m.provenance.row.clear();
    m.time.unit = TimeUnit::exif_local;
    m.title = "IMG_1.jpg";
    FileRef f;
    f.path = "/data/media/0/DCIM/Camera/IMG_1.jpg";
    f.name = "IMG_1.jpg";
    m.file = f;
    v.push_back(m);
    Item vid = m;
    vid.time = ts(at(11, 8, 0), TimeSource::file_mtime, TimeUnit::file_mtime_ns);
    vid.title = "v.mp4";
    vid.file->path = "/data/media/0/Movies/v.mp4";
    vid.file->name = "v.mp4";
    vid.deleted = true;
    v.push_back(vid);
    Item lost = m;
    lost.time = ts(at(9, 7, 0), TimeSource::local_guess, TimeUnit::exif_local);
    lost.title = "lost.jpg";
    lost.file->path = "/data/media/0/DCIM/Camera/lost.jpg";
    lost.file->name = "lost.jpg";
    v.push_back(lost);

    Item note = b.item(Category::note, "notes", at(2, 10, 0), "data/x/notes.db", "notes", 1);
    note.title = "Note";
    note.body = "private";
    v.push_back(note);
  }
  return r;
}

TEST(UfdrRoundTrip, EveryCarriedCategoryComesBackEqual) {
  const UfdrWriteRequest req = build_request();
  TempDir dir;
  const fs::path out = dir / "synthetic.ufdr";
  auto res = write_ufdr(out, req);
  ASSERT_TRUE(res.ok()) << res.error().message;
  ASSERT_EQ(res->expected.size(), res->expected_from.size());
  EXPECT_EQ(res->expected.size(), req.items.size() - 1) << "all but the note";
  EXPECT_EQ(res->not_mapped, 1u);

  // The truth: each input item, keyed by the UFDR locator the writer gave
  // it, with file paths as they are inside the UFDR. Nothing else changed
  // except characters XML cannot carry.
  std::vector<TruthRecord> truth;
  for (size_t k = 0; k < res->expected.size(); ++k) {
    const Item& in = req.items[res->expected_from[k]];
    const Item& ex = res->expected[k];
    TruthRecord t;
    t.item = in;
    t.item.provenance = ex.provenance;
    t.item.attachments = ex.attachments;
    t.item.file = ex.file;
    // XML cannot carry U+0001: real reports write &#x1;, which a reader must
    // replace (with U+FFFD).
    std::string body = in.body;
    for (size_t p; (p = body.find('\x01')) != std::string::npos;) body.replace(p, 1, "\xEF\xBF\xBD");
    t.item.body = body;
    EXPECT_EQ(ex.body, body);
    EXPECT_EQ(ex.time, in.time);
    EXPECT_EQ(ex.parties, in.parties);
    EXPECT_EQ(ex.attachments.size(), in.attachments.size());
    truth.push_back(std::move(t));
  }

  SourceOptions so;
  so.hash_container = false;
  auto src = open_source(out, so);
  ASSERT_TRUE(src.ok()) << src.error().message;
  EXPECT_EQ((*src)->kind(), SourceKind::ufdr);
  PartyNormaliser parties("GB");
  std::vector<Item> parsed;
  auto scan = scan_source(**src, parties, [&](Item&& it) { parsed.push_back(std::move(it)); });
  const TruthDiff d = compare_with_truth(parsed, truth);
  for (const auto& p : d.problems) ADD_FAILURE() << p;
  EXPECT_TRUE(d.exact()) << d.matched << " of " << d.expected << " matched, " << d.parsed << " parsed";

  // What the truth comparison does not look at.
  for (const auto& it : parsed) {
    if (it.provenance.row.rfind("id=", 0) != 0) {
      ADD_FAILURE() << "row " << it.provenance.row;
    }
    bool has_source = false;
    for (const auto& [k, v] : it.extra) has_source = has_source || k == "source_path";
    if (it.category != Category::media) {
      EXPECT_TRUE(has_source) << it.provenance.row << ": extraInfo read back";
    }
    if (it.category == Category::message && it.service == "whatsapp") {
      EXPECT_FALSE(it.thread_id.empty());
    }
  }
  std::set<std::string> codes;
  for (const auto& w : scan.warnings) codes.insert(w.code);
  EXPECT_TRUE(codes.count("unmapped_model")) << "the note is counted, never silently dropped";
  EXPECT_TRUE(codes.count("control_characters")) << "the writer writes control characters as real reports do";
  EXPECT_FALSE(codes.count("corrupt"));
  EXPECT_FALSE(codes.count("hash_mismatch"));
  EXPECT_FALSE(codes.count("bad_timestamp"));

  // Device identity written and read back.
  auto dev = read_ufdr_device_identity(**src);
  ASSERT_TRUE(dev.ok());
  EXPECT_EQ(dev->model, "SM-G991B");
  EXPECT_EQ(dev->msisdns, std::vector<std::string>{"+447700900001"});
  EXPECT_EQ(dev->imeis, std::vector<std::string>{"350000000000001"});
}

TEST(UfdrRoundTrip, DeterministicAndAtomic) {
  const UfdrWriteRequest req = build_request();
  TempDir dir;
  auto a = write_ufdr(dir / "a.ufdr", req);
  auto b = write_ufdr(dir / "b.ufdr", req);
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(sha256_of_file(dir / "a.ufdr"), sha256_of_file(dir / "b.ufdr"));
  // No temporary files left behind.
  size_t n = 0;
  for (const auto& e : fs::directory_iterator(dir.path())) {
    ++n;
    EXPECT_TRUE(e.path().extension() == ".ufdr") << e.path();
  }
  EXPECT_EQ(n, 2u);
  // A failed write leaves nothing at the destination.
  UfdrWriteRequest bad = req;
  bad.files.push_back({"/x/missing.bin", "", "", dir / "does-not-exist.bin"});
  auto c = write_ufdr(dir / "c.ufdr", bad);
  EXPECT_FALSE(c.ok());
  EXPECT_FALSE(fs::exists(dir / "c.ufdr"));
  auto d = write_ufdr(dir / "no-such-dir" / "d.ufdr", req);
  EXPECT_FALSE(d.ok());
}

TEST(UfdrRoundTrip, DeflatedReportReadsTheSame) {
  UfdrWriteRequest req = build_request();
  req.deflate = true;
  TempDir dir;
  auto res = write_ufdr(dir / "z.ufdr", req);
  ASSERT_TRUE(res.ok());
  SourceOptions so;
  so.hash_container = false;
  auto src = open_source(dir / "z.ufdr", so);
  ASSERT_TRUE(src.ok());
  PartyNormaliser parties("GB");
  std::vector<Item> parsed;
  auto scan = scan_source(**src, parties, [&](Item&& it) { parsed.push_back(std::move(it)); });
  std::vector<TruthRecord> truth;
  for (auto& e : res->expected) truth.push_back({e, false});
  const TruthDiff d = compare_with_truth(parsed, truth);
  for (const auto& p : d.problems) ADD_FAILURE() << p;
  EXPECT_TRUE(d.exact());
}

}  // namespace
}  // namespace remit::test
