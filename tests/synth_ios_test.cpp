// remit synth ios: determinism for every format, databases that open and
// hold what the truth says (per variant), canary placement against the
// canonical scope, the typedstream encoder, the generated schemas against
// the real samples in ../shared/conformance, parser round trip for every
// iOS parser in the registry (skipped, with a message, for those not yet
// registered), CLI errors and --size padding.
#include <fmt/format.h>
#include <fmt/ranges.h>
#include <gtest/gtest.h>
#include <sqlite3.h>
#include <sys/stat.h>

#include <algorithm>
#include <chrono>
#include <cstring>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <thread>

#include "remit/hash.hpp"
#include "remit/registry.hpp"
#include "remit/source.hpp"
#include "remit/timeconv.hpp"
#include "support/support.hpp"
#include "support/truth.hpp"
#include "synth/ios.hpp"
#include "synth/ios/backup_layout.hpp"
#include "synth/ios/backup_output.hpp"
#include "synth/ios/typedstream.hpp"

namespace remit::test {
namespace {

using nlohmann::json;
constexpr std::string_view kCanary = "OUT-OF-SCOPE-CANARY";

const std::string kSms = "private/var/mobile/Library/SMS/sms.db";
const std::string kCalls = "private/var/mobile/Library/CallHistoryDB/CallHistory.storedata";
const std::string kCallsTemp = "private/var/mobile/Library/CallHistoryDB/CallHistoryTemp.storedata";
const std::string kAb = "private/var/mobile/Library/AddressBook/AddressBook.sqlitedb";
const std::string kAbImages = "private/var/mobile/Library/AddressBook/AddressBookImages.sqlitedb";
const std::string kPhotos = "private/var/mobile/Media/PhotoData/Photos.sqlite";
const std::string kSafari = "private/var/mobile/Library/Safari/History.db";

std::vector<std::string> small_args(const fs::path& out, const std::string& format, uint64_t seed = 7,
                                    std::vector<std::string> variants = {}) {
  std::vector<std::string> a = {"synth",
                                "ios",
                                "--out",
                                out.string(),
                                "--format",
                                format,
                                "--seed",
                                std::to_string(seed),
                                "--days",
                                "45",
                                "--contacts",
                                "25",
                                "--photos",
                                "4",
                                "--messages-per-day",
                                "10"};
  for (auto& v : variants) {
    a.push_back("--variant");
    a.push_back(v);
  }
  if (format == "itunes-encrypted") {
    a.push_back("--kdf-rounds");
    a.push_back("1000");
  }
  return a;
}

bool is_folder_format(const std::string& format) {
  return format == "dir" || format == "itunes" || format == "itunes-encrypted";
}

// The password PATH.story.json records for an encrypted synthetic backup.
std::string story_password(const fs::path& out) {
  const json story = json::parse(read_file(fs::path(out.string() + ".story.json")));
  return story["backup"]["password"].get<std::string>();
}

synth::IosOptions small_opts(const fs::path& out, std::vector<std::string> variants = {},
                             synth::OutputFormat f = synth::OutputFormat::dir, uint64_t seed = 7) {
  synth::IosOptions o;
  o.out = out;
  o.format = f;
  o.story.seed = seed;
  o.story.days = 45;
  o.story.contacts = 25;
  o.story.photos = 4;
  o.story.messages_per_day = 10;
  auto v = synth::parse_ios_variants(variants);
  EXPECT_TRUE(v.ok()) << (v ? "" : v.error().message);
  if (v) o.variants = *v;
  return o;
}

std::map<std::string, std::tuple<std::string, unsigned, int64_t>> tree(const fs::path& root) {
  std::map<std::string, std::tuple<std::string, unsigned, int64_t>> m;
  for (auto it = fs::recursive_directory_iterator(root); it != fs::recursive_directory_iterator(); ++it) {
    struct stat st {};
    ::lstat(it->path().c_str(), &st);
    const std::string rel = fs::relative(it->path(), root).generic_string();
    m[rel] = {it->is_regular_file() ? read_file(it->path()) : std::string(), st.st_mode & 07777,
              it->is_regular_file() ? static_cast<int64_t>(st.st_mtime) : 0};
  }
  return m;
}

// --- determinism ----------------------------------------------------------

class SynthIosFormat : public ::testing::TestWithParam<std::string> {};

TEST_P(SynthIosFormat, SameArgumentsGiveByteIdenticalOutput) {
  const std::string fmt = GetParam();
  const std::string name = is_folder_format(fmt) ? "x" : "x." + fmt;
  TempDir a, b, c;
  auto r1 = run_remit(small_args(a / name, fmt));
  ASSERT_EQ(r1.exit_code, 0) << r1.err;
  std::this_thread::sleep_for(std::chrono::milliseconds(1100));  // another process, another second
  auto r2 = run_remit(small_args(b / name, fmt));
  ASSERT_EQ(r2.exit_code, 0) << r2.err;
  if (is_folder_format(fmt)) {
    const auto ta = tree(a / name), tb = tree(b / name);
    EXPECT_GT(ta.size(), fmt == "dir" ? 50u : 30u);
    EXPECT_TRUE(ta == tb) << "folder trees differ";
  } else {
    EXPECT_EQ(sha256_of_file(a / name), sha256_of_file(b / name));
  }
  EXPECT_EQ(read_file(a / (name + ".truth.jsonl")), read_file(b / (name + ".truth.jsonl")));
  EXPECT_EQ(read_file(a / (name + ".story.json")), read_file(b / (name + ".story.json")));
  EXPECT_EQ(read_file(a / (name + ".scope.toml")), read_file(b / (name + ".scope.toml")));
  auto r3 = run_remit(small_args(c / name, fmt, 8));
  ASSERT_EQ(r3.exit_code, 0) << r3.err;
  EXPECT_NE(read_file(a / (name + ".truth.jsonl")), read_file(c / (name + ".truth.jsonl")));
  // Another seed is another suspect and incident, so another scope.
  EXPECT_NE(read_file(a / (name + ".scope.toml")), read_file(c / (name + ".scope.toml")));
  // Nothing but the four outputs (extraction, truth, story, scope) is left.
  size_t n = 0;
  for (auto& e : fs::directory_iterator(a.path())) {
    (void)e;
    ++n;
  }
  EXPECT_EQ(n, 4u) << "temporary files left behind";
  SourceOptions so;
  if (fmt == "itunes-encrypted") so.password = story_password(a / name);
  auto src = open_source(a / name, so);
  ASSERT_TRUE(src.ok()) << src.error().message;
  EXPECT_GT((*src)->entries().size(), fmt == "ufdr" ? 10u : 50u);  // a UFDR holds report.xml and the media
  if (fmt.starts_with("itunes")) {
    EXPECT_EQ((*src)->kind(), SourceKind::itunes_backup);
    for (const char* f : {"Manifest.db", "Manifest.plist", "Info.plist", "Status.plist"})
      EXPECT_TRUE(fs::is_regular_file(a / name / f)) << f;
    // Stored files are named by SHA-1(domain-relativePath) under XX/.
    const std::string id = sha1_hex("HomeDomain-Library/SMS/sms.db");
    EXPECT_TRUE(fs::is_regular_file(a / name / id.substr(0, 2) / id));
    const bool plain_sqlite = read_file(a / name / "Manifest.db").starts_with("SQLite format 3");
    EXPECT_EQ(plain_sqlite, fmt == "itunes") << "Manifest.db is encrypted exactly when the backup is";
    // The seed keys the backup: another seed, other keys.
    if (fmt == "itunes-encrypted") {
      EXPECT_NE(read_file(a / name / "Manifest.plist"), read_file(c / name / "Manifest.plist"));
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Formats, SynthIosFormat,
                         ::testing::Values("dir", "tar", "tar.gz", "zip", "ufdr", "itunes", "itunes-encrypted"),
                         [](const auto& info) {
                           std::string s = info.param;
                           for (char& ch : s)
                             if (ch == '.' || ch == '-') ch = '_';
                           return s;
                         });

// Every variant is deterministic too (the WAL histories and the absolute
// entry names included).
TEST(SynthIosDeterminism, VariantsAreByteIdentical) {
  TempDir a, b;
  const std::vector<std::string> v1 = {"addressbook-wal-superseded", "prefix-absolute", "wal", "sms-attributed-body"};
  ASSERT_EQ(run_remit(small_args(a / "x.tar", "tar", 5, v1)).exit_code, 0);
  ASSERT_EQ(run_remit(small_args(b / "x.tar", "tar", 5, v1)).exit_code, 0);
  EXPECT_EQ(sha256_of_file(a / "x.tar"), sha256_of_file(b / "x.tar"));
  const std::vector<std::string> v2 = {"prefix-filesystem2", "photos-zgenericasset", "sms-dates-seconds",
                                       "addressbook-wal-only"};
  ASSERT_EQ(run_remit(small_args(a / "y.zip", "zip", 5, v2)).exit_code, 0);
  ASSERT_EQ(run_remit(small_args(b / "y.zip", "zip", 5, v2)).exit_code, 0);
  EXPECT_EQ(sha256_of_file(a / "y.zip"), sha256_of_file(b / "y.zip"));
  EXPECT_EQ(read_file(a / "y.zip.truth.jsonl"), read_file(b / "y.zip.truth.jsonl"));
}

// --- databases --------------------------------------------------------------

struct Db {
  sqlite3* db = nullptr;
  ~Db() {
    if (db) sqlite3_close(db);
  }
  int64_t count(const std::string& sql) const {
    sqlite3_stmt* st = nullptr;
    int64_t n = -1;
    if (sqlite3_prepare_v2(db, sql.c_str(), -1, &st, nullptr) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
      n = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return n;
  }
  std::string text(const std::string& sql) const {
    sqlite3_stmt* st = nullptr;
    std::string s;
    if (sqlite3_prepare_v2(db, sql.c_str(), -1, &st, nullptr) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW) {
      const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(st, 0));
      if (p) s = p;
    }
    sqlite3_finalize(st);
    return s;
  }
  bool has_table(const std::string& t) const {
    return count("SELECT count(*) FROM sqlite_master WHERE type='table' AND name='" + t + "'") == 1;
  }
  std::set<std::string> names(const std::string& type) const {
    std::set<std::string> out;
    sqlite3_stmt* st = nullptr;
    if (sqlite3_prepare_v2(db, ("SELECT name FROM sqlite_master WHERE type='" + type + "'").c_str(), -1, &st,
                           nullptr) == SQLITE_OK)
      while (sqlite3_step(st) == SQLITE_ROW) out.insert(reinterpret_cast<const char*>(sqlite3_column_text(st, 0)));
    sqlite3_finalize(st);
    return out;
  }
  std::vector<std::string> columns(const std::string& table) const {
    std::vector<std::string> out;
    sqlite3_stmt* st = nullptr;
    if (sqlite3_prepare_v2(db, ("PRAGMA table_info(" + table + ")").c_str(), -1, &st, nullptr) == SQLITE_OK)
      while (sqlite3_step(st) == SQLITE_ROW)
        out.emplace_back(reinterpret_cast<const char*>(sqlite3_column_text(st, 1)));
    sqlite3_finalize(st);
    return out;
  }
};

// Opens any container with remit's own sources and copies databases (with
// their -wal/-shm) out to a scratch folder to open them with SQLite.
class Extraction {
 public:
  explicit Extraction(const fs::path& p) {
    auto s = open_source(p);
    EXPECT_TRUE(s.ok()) << (s ? "" : s.error().message);
    if (s) src_ = std::move(*s);
  }
  const Source& source() const { return *src_; }
  bool exists(const std::string& logical) const { return src_ && src_->find(logical) != nullptr; }
  std::string bytes(const std::string& logical) const {
    const Entry* e = src_ ? src_->find(logical) : nullptr;
    if (!e) return {};
    auto b = src_->read(*e, 1ULL << 30);
    if (!b) return {};
    return std::string(b->begin(), b->end());
  }
  std::unique_ptr<Db> open(const std::string& logical) {
    if (!exists(logical)) return nullptr;
    const fs::path dst = tmp_ / (std::to_string(n_++) + "-" + fs::path(logical).filename().string());
    write_file(dst, bytes(logical));
    for (const char* side : {"-wal", "-shm"})
      if (exists(logical + side)) {
        fs::path d = dst;
        d += side;
        write_file(d, bytes(logical + side));
      }
    auto d = std::make_unique<Db>();
    if (sqlite3_open_v2(dst.c_str(), &d->db, SQLITE_OPEN_READWRITE, nullptr) != SQLITE_OK) return nullptr;
    return d;
  }

 private:
  std::unique_ptr<Source> src_;
  TempDir tmp_;
  int n_ = 0;
};

std::map<std::string, size_t> truth_counts(const std::vector<TruthRecord>& truth, bool recovered = false) {
  std::map<std::string, size_t> m;
  for (const auto& r : truth)
    if (r.item.recovered == recovered) ++m[r.item.provenance.path + "#" + r.item.provenance.table];
  return m;
}

std::string find_group_dir(const Source& s) {
  for (const auto& e : s.entries())
    if (path_has_suffix(e.path, "ChatStorage.sqlite")) return e.path.substr(0, e.path.size() - 18);
  return {};
}

struct VariantCase {
  std::string name;
  std::vector<std::string> variants;
  synth::OutputFormat format = synth::OutputFormat::dir;
};
void PrintTo(const VariantCase& c, std::ostream* os) {
  *os << c.name;
}

std::string out_name(const VariantCase& vc) {
  switch (vc.format) {
    case synth::OutputFormat::tar:
      return "x.tar";
    case synth::OutputFormat::tar_gz:
      return "x.tar.gz";
    case synth::OutputFormat::zip:
      return "x.zip";
    default:
      return "x";
  }
}

class SynthIosVariant : public ::testing::TestWithParam<VariantCase> {};

TEST_P(SynthIosVariant, DatabasesOpenHaveTheirTablesAndHoldTheTruthRows) {
  const auto& vc = GetParam();
  TempDir t;
  const fs::path out = t / out_name(vc);
  auto sum = synth::generate_ios(small_opts(out, vc.variants, vc.format));
  ASSERT_TRUE(sum.ok()) << sum.error().message;
  const auto truth = load_truth(fs::path(out.string() + ".truth.jsonl"));
  ASSERT_EQ(truth.size(), sum->items);
  const auto counts = truth_counts(truth);
  const auto v = *synth::parse_ios_variants(vc.variants);
  Extraction x(out);
  auto truth_n = [&](const std::string& path, const std::string& table) {
    auto it = counts.find(path + "#" + table);
    return it == counts.end() ? int64_t{0} : static_cast<int64_t>(it->second);
  };
  auto check_db = [&](const std::string& logical) -> std::unique_ptr<Db> {
    auto d = x.open(logical);
    EXPECT_TRUE(d) << logical << " missing or does not open";
    if (d) {
      EXPECT_EQ(d->text("PRAGMA integrity_check"), "ok") << logical;
    }
    return d;
  };

  // Entry names follow the prefix variant; logical paths do not change.
  {
    size_t named = 0;
    const std::string want = v.prefix == synth::IosVariants::Prefix::absolute      ? "/private/var/mobile/"
                             : v.prefix == synth::IosVariants::Prefix::filesystem2 ? "filesystem2/mobile/"
                                                                                   : "private/var/mobile/";
    for (const auto& e : x.source().entries()) {
      if (e.type != EntryType::file) continue;
      EXPECT_EQ(e.name.rfind(want, 0), 0u) << e.name;
      EXPECT_EQ(e.path.rfind("private/var/mobile/", 0), 0u) << e.path;
      ++named;
    }
    EXPECT_GT(named, 20u);
    for (const auto& r : truth) {
      EXPECT_EQ(r.item.provenance.entry_name.rfind(want, 0), 0u) << r.item.provenance.entry_name;
      EXPECT_EQ(r.item.provenance.origin, r.item.recovered ? "wal_superseded" : "live");
    }
  }
  // sms.db
  {
    auto d = check_db(kSms);
    ASSERT_TRUE(d);
    for (const char* tbl : {"message", "handle", "chat", "chat_message_join", "chat_handle_join",
                            "message_attachment_join", "attachment", "deleted_messages", "kvtable"})
      EXPECT_TRUE(d->has_table(tbl)) << tbl;
    EXPECT_GE(d->names("trigger").size(), 14u);
    // Triggers that call functions only Messages defines, as in real files.
    EXPECT_NE(d->text("SELECT sql FROM sqlite_master WHERE name = 'after_delete_on_attachment'")
                  .find("delete_attachment_path(OLD.filename)"),
              std::string::npos);
    EXPECT_NE(d->text("SELECT sql FROM sqlite_master WHERE name = 'before_delete_on_attachment'")
                  .find("before_delete_attachment_path("),
              std::string::npos);
    EXPECT_EQ(d->count("SELECT count(*) FROM message"), truth_n(kSms, "message"));
    EXPECT_GT(truth_n(kSms, "message"), 50);
    const bool ns = v.sms_dates == synth::IosVariants::SmsDates::nanoseconds;
    EXPECT_EQ(d->count(std::string("SELECT count(*) FROM message WHERE date ") + (ns ? "<= 1e15" : "> 1e10")), 0);
    const bool only_attr = v.sms_text == synth::IosVariants::SmsText::attributed_body_only;
    EXPECT_EQ(d->count("SELECT count(*) FROM message WHERE text IS NULL"),
              only_attr ? d->count("SELECT count(*) FROM message") : 0);
    EXPECT_EQ(d->count("SELECT count(*) FROM message WHERE attributedBody IS NULL"), 0);
    // Group messages sent by the owner never carry a handle; in the variant
    // no outgoing message does.
    EXPECT_GT(d->count("SELECT count(*) FROM message m JOIN chat_message_join j ON j.message_id = m.ROWID JOIN chat "
                       "c ON c.ROWID = j.chat_id WHERE c.style = 43 AND m.is_from_me = 1 AND m.handle_id = 0"),
              0);
    const int64_t own_with_handle = d->count("SELECT count(*) FROM message WHERE is_from_me = 1 AND handle_id != 0");
    if (v.sms_handles == synth::IosVariants::SmsHandles::zero_for_own)
      EXPECT_EQ(own_with_handle, 0);
    else
      EXPECT_GT(own_with_handle, 0);
    EXPECT_GT(d->count("SELECT count(*) FROM chat WHERE style = 43"), 0);
    EXPECT_GT(d->count("SELECT count(*) FROM chat_handle_join GROUP BY chat_id HAVING count(*) > 1"), 0);
    // Attachments: the recorded ~/Library paths exist in the extraction.
    sqlite3_stmt* st = nullptr;
    ASSERT_EQ(sqlite3_prepare_v2(d->db, "SELECT filename, total_bytes FROM attachment", -1, &st, nullptr), SQLITE_OK);
    int files = 0;
    while (sqlite3_step(st) == SQLITE_ROW) {
      const std::string f = reinterpret_cast<const char*>(sqlite3_column_text(st, 0));
      ASSERT_EQ(f.rfind("~/Library/SMS/Attachments/", 0), 0u) << f;
      const std::string logical = "private/var/mobile/" + f.substr(2);
      EXPECT_TRUE(x.exists(logical)) << logical;
      EXPECT_EQ(static_cast<int64_t>(x.bytes(logical).size()), sqlite3_column_int64(st, 1));
      ++files;
    }
    sqlite3_finalize(st);
    EXPECT_GT(files, 0);
    if (v.wal) {
      EXPECT_TRUE(x.exists(kSms + "-wal"));
      EXPECT_GT(x.bytes(kSms + "-wal").size(), 0u);
    }
  }
  // Call history: main store and the temp store.
  {
    auto d = check_db(kCalls);
    auto t2 = check_db(kCallsTemp);
    ASSERT_TRUE(d);
    ASSERT_TRUE(t2);
    for (const char* tbl : {"ZCALLRECORD", "ZHANDLE", "Z_2REMOTEPARTICIPANTHANDLES", "ZCALLDBPROPERTIES",
                            "Z_PRIMARYKEY", "Z_METADATA", "Z_MODELCACHE"})
      EXPECT_TRUE(d->has_table(tbl)) << tbl;
    EXPECT_EQ(d->count("SELECT count(*) FROM ZCALLRECORD"), truth_n(kCalls, "ZCALLRECORD"));
    EXPECT_EQ(t2->count("SELECT count(*) FROM ZCALLRECORD"), truth_n(kCallsTemp, "ZCALLRECORD"));
    EXPECT_GT(truth_n(kCalls, "ZCALLRECORD"), 10);
    EXPECT_GT(d->count("SELECT count(*) FROM ZCALLRECORD WHERE typeof(ZADDRESS) = 'blob'"), 0);
    EXPECT_GT(d->count("SELECT count(*) FROM ZCALLRECORD WHERE typeof(ZADDRESS) = 'text'"), 0);
    EXPECT_EQ(d->count("SELECT Z_MAX FROM Z_PRIMARYKEY WHERE Z_NAME = 'CallRecord'"),
              d->count("SELECT max(Z_PK) FROM ZCALLRECORD"));
  }
  // AddressBook (+ Images).
  {
    auto d = check_db(kAb);
    ASSERT_TRUE(d);
    for (const char* tbl : {"ABPerson", "ABMultiValue", "ABMultiValueLabel", "ABMultiValueEntry",
                            "ABMultiValueEntryKey", "ABStore", "ABPhoneLastFour", "ABPersonFullTextSearch_content"})
      EXPECT_TRUE(d->has_table(tbl)) << tbl;
    EXPECT_EQ(d->count("SELECT count(*) FROM sqlite_master WHERE sql LIKE '%ab_update_value_from_trigger(%'"), 4);
    EXPECT_NE(d->text("SELECT sql FROM sqlite_master WHERE name = 'ABPersonFullTextSearch'").find("ab_cf_tokenizer"),
              std::string::npos);
    EXPECT_EQ(d->count("SELECT count(*) FROM ABPerson"), truth_n(kAb, "ABPerson"));
    EXPECT_GT(truth_n(kAb, "ABPerson"), 15);
    const bool wal_only = v.addressbook != synth::IosVariants::AddressBook::main_file;
    EXPECT_EQ(x.exists(kAb + "-wal"), wal_only);
    if (wal_only) {
      EXPECT_EQ(x.bytes(kAb).size(), 4096u) << "rows only in the -wal: the main file is one page";
      EXPECT_GT(x.bytes(kAb + "-wal").size(), 100000u);
    }
    const auto rec = truth_counts(truth, true);
    const size_t recovered = rec.count(kAb + "#ABPerson") ? rec.at(kAb + "#ABPerson") : 0;
    if (v.addressbook == synth::IosVariants::AddressBook::wal_superseded) {
      EXPECT_EQ(recovered, 3u);
      const std::string wal = x.bytes(kAb + "-wal");
      for (const auto& r : truth) {
        if (!r.item.recovered) continue;
        // Not a live row, but still in the WAL's earlier frames.
        const std::string rowid = r.item.provenance.row.substr(6);
        EXPECT_EQ(d->count("SELECT count(*) FROM ABPerson WHERE ROWID = " + rowid), 0);
        const std::string note = r.item.body.substr(0, r.item.body.find(' '));
        EXPECT_NE(wal.find(r.item.body), std::string::npos) << "superseded row not in the WAL: " << note;
      }
    } else {
      EXPECT_EQ(recovered, 0u);
    }
    auto im = check_db(kAbImages);
    ASSERT_TRUE(im);
    EXPECT_TRUE(im->has_table("ABThumbnailImage"));
    EXPECT_GT(im->count("SELECT count(*) FROM ABThumbnailImage"), 0);
  }
  // WhatsApp.
  {
    const std::string group = find_group_dir(x.source());
    ASSERT_FALSE(group.empty());
    EXPECT_TRUE(x.exists(group + ".com.apple.mobile_container_manager.metadata.plist"));
    auto d = check_db(group + "ChatStorage.sqlite");
    ASSERT_TRUE(d);
    for (const char* tbl : {"ZWAMESSAGE", "ZWACHATSESSION", "ZWAGROUPMEMBER", "ZWAGROUPINFO", "ZWAMEDIAITEM",
                            "ZWAMESSAGEINFO", "Z_PRIMARYKEY", "Z_METADATA"})
      EXPECT_TRUE(d->has_table(tbl)) << tbl;
    EXPECT_EQ(d->count("SELECT count(*) FROM ZWAMESSAGE"), truth_n(group + "ChatStorage.sqlite", "ZWAMESSAGE"));
    EXPECT_GT(d->count("SELECT count(*) FROM ZWAMESSAGE WHERE ZMESSAGETYPE = 10"), 3);
    EXPECT_GT(d->count("SELECT count(*) FROM ZWAMESSAGE WHERE ZMESSAGETYPE = 6"), 0);
    EXPECT_GT(d->count("SELECT count(*) FROM ZWAMESSAGE WHERE ZMESSAGETYPE = 1"), 0);
    EXPECT_GT(d->count("SELECT count(*) FROM ZWACHATSESSION WHERE ZSESSIONTYPE = 1"), 2);
    EXPECT_GT(d->count("SELECT count(*) FROM ZWAMESSAGE WHERE ZGROUPMEMBER IS NOT NULL"), 0);
    EXPECT_EQ(d->count("SELECT Z_MAX FROM Z_PRIMARYKEY WHERE Z_NAME = 'WAMessage'"),
              d->count("SELECT max(Z_PK) FROM ZWAMESSAGE"));
    auto cdb = check_db(group + "CallHistory.sqlite");
    ASSERT_TRUE(cdb);
    EXPECT_EQ(cdb->count("SELECT count(*) FROM ZWACDCALLEVENT"),
              truth_n(group + "CallHistory.sqlite", "ZWACDCALLEVENT"));
    EXPECT_EQ(cdb->count("SELECT count(*) FROM ZWACDCALLEVENT e JOIN ZWACDCALLEVENTPARTICIPANT p ON "
                         "p.Z1PARTICIPANTS = e.Z1CALLEVENTS"),
              cdb->count("SELECT count(*) FROM ZWACDCALLEVENT"));
    auto kdb = check_db(group + "ContactsV2.sqlite");
    ASSERT_TRUE(kdb);
    EXPECT_EQ(kdb->count("SELECT count(*) FROM ZWAADDRESSBOOKCONTACT"),
              truth_n(group + "ContactsV2.sqlite", "ZWAADDRESSBOOKCONTACT"));
    if (v.wal) {
      EXPECT_TRUE(x.exists(group + "ChatStorage.sqlite-wal"));
    }
  }
  // Photos.
  {
    auto d = check_db(kPhotos);
    ASSERT_TRUE(d);
    const bool zasset = v.photos == synth::IosVariants::Photos::zasset;
    EXPECT_EQ(d->has_table("ZASSET"), zasset);
    EXPECT_EQ(d->has_table("ZGENERICASSET"), !zasset);
    EXPECT_EQ(d->has_table("ZEXTENDEDATTRIBUTES"), zasset);
    const std::string table = zasset ? "ZASSET" : "ZGENERICASSET";
    EXPECT_EQ(d->count("SELECT count(*) FROM " + table), truth_n(kPhotos, table));
    EXPECT_EQ(d->count("SELECT count(*) FROM " + table +
                       " a JOIN ZADDITIONALASSETATTRIBUTES x ON "
                       "x.Z_PK = a.ZADDITIONALATTRIBUTES AND x.ZASSET = a.Z_PK"),
              truth_n(kPhotos, table));
  }
  // Safari.
  {
    auto d = check_db(kSafari);
    ASSERT_TRUE(d);
    EXPECT_EQ(d->count("SELECT count(*) FROM history_visits"), truth_n(kSafari, "history_visits"));
    EXPECT_EQ(d->count("SELECT count(*) FROM history_visits v LEFT JOIN history_items i ON i.id = v.history_item "
                       "WHERE i.id IS NULL"),
              0);
  }
  // Files: every media item and attachment exists with the size and hash the
  // truth gives; missing WhatsApp media is really missing.
  size_t media = 0, missing = 0, attached = 0;
  for (const auto& r : truth) {
    if (r.item.file) {
      ++media;
      const std::string b = x.bytes(r.item.file->path);
      ASSERT_FALSE(b.empty()) << r.item.file->path;
      EXPECT_EQ(b.size(), r.item.file->size.value_or(0));
      EXPECT_EQ(sha256_hex(b), r.item.file->sha256);
    }
    for (const auto& a : r.item.attachments) {
      if (a.missing) {
        ++missing;
        EXPECT_TRUE(a.path.empty());
        EXPECT_FALSE(a.name.empty());
        EXPECT_FALSE(x.exists(find_group_dir(x.source()) + "Message/" + a.name)) << a.name;
      } else {
        ++attached;
        EXPECT_EQ(sha256_hex(x.bytes(a.path)), a.sha256) << a.path;
      }
    }
  }
  EXPECT_EQ(media, 4u);
  EXPECT_GT(missing, 0u);
  EXPECT_GT(attached, 2u);
}

// --- canaries -----------------------------------------------------------------

TEST_P(SynthIosVariant, CanariesFollowTheCanonicalScopeAndItsMargin) {
  const auto& vc = GetParam();
  TempDir t;
  const fs::path out = t / out_name(vc);
  auto sum = synth::generate_ios(small_opts(out, vc.variants, vc.format, 11));
  ASSERT_TRUE(sum.ok()) << sum.error().message;
  const json story = json::parse(read_file(fs::path(out.string() + ".story.json")));
  const std::string suspect = story["suspect"]["number"]["e164"];
  const auto win = story["canonical_scope"]["window"];
  const int64_t ws = *parse_iso8601_ms(win["start_utc"].get<std::string>());
  const int64_t we = *parse_iso8601_ms(win["end_utc_exclusive"].get<std::string>());
  const int64_t margin = story["canonical_scope"]["margin_days"].get<int64_t>() * 86400000;
  std::istringstream lines(read_file(fs::path(out.string() + ".truth.jsonl")));
  std::string line;
  size_t n = 0, in = 0;
  std::set<std::string> parsers;
  while (std::getline(lines, line)) {
    ++n;
    auto item = item_from_json_line(line);
    ASSERT_TRUE(item.ok()) << item.error().message;
    const Item& it = *item;
    parsers.insert(it.provenance.parser);
    const bool expected = json::parse(line)["expected_in_scope"].get<bool>();
    bool with_suspect = false, sent_by_suspect = false;
    for (const auto& p : it.parties) {
      if (p.normalised == suspect) {
        with_suspect = true;
        if (p.role == PartyRole::from) sent_by_suspect = true;
      }
    }
    const bool comms = it.category == Category::message || it.category == Category::call;
    const bool inside = it.time.utc_ms && *it.time.utc_ms >= ws && *it.time.utc_ms < we;
    const bool rule = comms && !it.system && !it.recovered && inside && with_suspect && (!it.group || sent_by_suspect);
    EXPECT_EQ(expected, rule) << line;
    if (expected) {
      ++in;
      EXPECT_EQ(line.find(kCanary), std::string::npos) << "in-scope item carries the canary: " << line;
      continue;
    }
    if (comms && with_suspect) {
      ASSERT_TRUE(it.time.utc_ms);
      EXPECT_TRUE(*it.time.utc_ms < ws - margin || *it.time.utc_ms >= we + margin) << line;
    }
    const std::string& parser = it.provenance.parser;
    if (it.category == Category::message && !it.system) {
      EXPECT_NE(it.body.find(kCanary), std::string::npos) << line;
    } else if (it.category == Category::call && parser == "ios.callhistory") {
      ASSERT_FALSE(it.parties.empty());
      EXPECT_NE(it.parties[0].name.find(kCanary), std::string::npos) << line;
    } else if (it.category == Category::contact) {
      // ContactsV2 rows of people not on WhatsApp have no free text at all.
      const bool whatsapp_user =
          std::any_of(it.parties.begin(), it.parties.end(), [](const Party& p) { return p.label == "whatsapp"; });
      if (parser != "ios.whatsapp_contacts" || whatsapp_user) {
        EXPECT_NE(it.body.find(kCanary), std::string::npos) << line;
      }
    } else if (it.category == Category::web_visit) {
      EXPECT_NE(it.title.find(kCanary), std::string::npos) << line;
      EXPECT_NE(it.url.find(kCanary), std::string::npos) << line;
    } else if (it.category == Category::media) {
      EXPECT_NE(it.title.find(kCanary), std::string::npos) << line;
    }
  }
  EXPECT_GT(n, 400u);
  EXPECT_EQ(in, sum->in_scope);
  EXPECT_GE(in, 18u);
  EXPECT_EQ(parsers, (std::set<std::string>{"ios.sms", "ios.callhistory", "ios.addressbook", "ios.whatsapp",
                                            "ios.whatsapp_contacts", "ios.photos", "ios.safari"}));
}

INSTANTIATE_TEST_SUITE_P(Variants, SynthIosVariant,
                         ::testing::Values(VariantCase{"defaults", {}},
                                           VariantCase{"seconds_attributed_handlezero",
                                                       {"sms-dates-seconds", "sms-attributed-body", "sms-handle-zero"}},
                                           VariantCase{"zgeneric_walonly_filesystem2_wal",
                                                       {"photos-zgenericasset", "addressbook-wal-only",
                                                        "prefix-filesystem2", "wal"},
                                                       synth::OutputFormat::zip},
                                           VariantCase{"superseded_absolute",
                                                       {"addressbook-wal-superseded", "prefix-absolute"},
                                                       synth::OutputFormat::tar}),
                         [](const auto& info) { return info.param.name; });

// --- typedstream ------------------------------------------------------------

std::string hex(const std::string& s) {
  static const char* d = "0123456789abcdef";
  std::string o;
  for (unsigned char c : s) {
    o += d[c >> 4];
    o += d[c & 15];
  }
  return o;
}

// The bytes of an NSAttributedString as Messages archives it, written out by
// hand from the typedstream format (streamer 4, "streamtyped", system 1000;
// heads 0x84 new, 0x85 nil, 0x86 end of object; references from 0x92).
TEST(SynthIosTypedStream, AttributedStringHasTheMessagesLayout) {
  std::string want;
  auto lit = [&](std::string_view s) { want.append(s.data(), s.size()); };
  auto byte = [&](unsigned b) { want.push_back(static_cast<char>(b)); };
  byte(0x04), byte(0x0b), lit("streamtyped"), byte(0x81), byte(0xe8), byte(0x03);
  byte(0x84), byte(0x01), lit("@");                                           // group "@" (string 0)
  byte(0x84), byte(0x84), byte(0x84), byte(0x12), lit("NSAttributedString");  // object 0, class 1, string 1
  byte(0x00), byte(0x84), byte(0x84), byte(0x08), lit("NSObject"), byte(0x00), byte(0x85);  // class 2, string 2
  byte(0x92);                                                                               // group "@" by reference
  byte(0x84), byte(0x84), byte(0x84), byte(0x08), lit("NSString"), byte(0x01);  // object 3, class 4, string 3
  byte(0x94);                                                                   // superclass: object 2 (NSObject)
  byte(0x84), byte(0x01), lit("+"), byte(0x05), lit("Hello"), byte(0x86);       // string 4 "+"
  byte(0x84), byte(0x02), lit("iI"), byte(0x01), byte(0x05);                    // string 5, run 1 of 5 units
  byte(0x92), byte(0x84), byte(0x84), byte(0x84), byte(0x0c), lit("NSDictionary"), byte(0x00), byte(0x94);
  byte(0x84), byte(0x01), lit("i"), byte(0x01);  // string 7 "i", one entry
  byte(0x92), byte(0x84), byte(0x96), byte(0x96), byte(0x1d), lit("__kIMMessagePartAttributeName"), byte(0x86);
  byte(0x92), byte(0x84), byte(0x84), byte(0x84), byte(0x08), lit("NSNumber"), byte(0x00);
  byte(0x84), byte(0x84), byte(0x07), lit("NSValue"), byte(0x00), byte(0x94);
  byte(0x84), byte(0x01), lit("*"), byte(0x84), byte(0x99), byte(0x99), byte(0x00);  // C string "i", value 0
  byte(0x86), byte(0x86), byte(0x86);
  EXPECT_EQ(hex(synth::ios::archive_attributed_string("Hello")), hex(want));
}

TEST(SynthIosTypedStream, LengthsAndUtf16Units) {
  EXPECT_EQ(synth::ios::utf16_length("Hello"), 5u);
  EXPECT_EQ(synth::ios::utf16_length("😉"), 2u);           // outside the BMP: a surrogate pair
  EXPECT_EQ(synth::ios::utf16_length("caf\xc3\xa9"), 4u);  // é: one unit
  // A 200-byte text: its length is a 2-byte integer (0x81, little-endian).
  const std::string long_text(200, 'a');
  const std::string blob = synth::ios::archive_attributed_string(long_text);
  const std::string marker = std::string("\x84\x01+\x81\xc8\x00", 6) + long_text;
  EXPECT_NE(blob.find(marker), std::string::npos);
  // 127 fits in one byte; 128 does not (it would read as a tag).
  synth::ios::TypedStreamWriter w;
  w.integer(127);
  w.integer(128);
  w.integer(-110);
  w.integer(-111);
  w.integer(70000);
  const std::string b = w.bytes().substr(16);
  EXPECT_EQ(hex(b),
            "7f"
            "818000"
            "92"
            "8191ff"
            "827011"
            "0100");
}

// --- backup layout -------------------------------------------------------------

TEST(SynthIosBackupLayout, LogicalPathsMapToTheirBackupDomains) {
  using synth::ios::backup_path_for;
  using BP = synth::ios::BackupPath;
  EXPECT_EQ(backup_path_for("private/var/mobile/Library/SMS/sms.db"), (BP{"HomeDomain", "Library/SMS/sms.db"}));
  EXPECT_EQ(backup_path_for("private/var/mobile/Library/SMS/sms.db-wal"), (BP{"HomeDomain", "Library/SMS/sms.db-wal"}));
  EXPECT_FALSE(backup_path_for("private/var/mobile/Library/SMS/sms.db-shm"));
  EXPECT_EQ(backup_path_for("private/var/mobile/Library/SMS/Attachments/ab/01/G/IMG_1.jpeg"),
            (BP{"MediaDomain", "Library/SMS/Attachments/ab/01/G/IMG_1.jpeg"}));
  EXPECT_EQ(backup_path_for("private/var/mobile/Media/DCIM/100APPLE/IMG_0001.JPG"),
            (BP{"CameraRollDomain", "Media/DCIM/100APPLE/IMG_0001.JPG"}));
  EXPECT_EQ(backup_path_for("private/var/mobile/Media/PhotoData/Photos.sqlite"),
            (BP{"CameraRollDomain", "Media/PhotoData/Photos.sqlite"}));
  EXPECT_EQ(backup_path_for("private/var/mobile/Containers/Shared/AppGroup/group.net.whatsapp.WhatsApp.shared/"
                            "Message/Media/x.jpg"),
            (BP{"AppDomainGroup-group.net.whatsapp.WhatsApp.shared", "Message/Media/x.jpg"}));
  EXPECT_EQ(backup_path_for("private/var/mobile/Containers/Data/Application/co.hinge.app/Library/x.plist"),
            (BP{"AppDomain-co.hinge.app", "Library/x.plist"}));
  EXPECT_FALSE(
      backup_path_for("private/var/mobile/Containers/Shared/AppGroup/G/"
                      ".com.apple.mobile_container_manager.metadata.plist"));
  EXPECT_FALSE(backup_path_for("data/data/com.whatsapp/databases/msgstore.db"));
  EXPECT_EQ(backup_path_for("private/var/mobile/Library/Safari/History.db"),
            (BP{"HomeDomain", "Library/Safari/History.db"}));
}

// --- schemas against the real samples ------------------------------------------

// Reads a database out of a conformance zip (main file only: its schema).
std::unique_ptr<Db> sample_db(const fs::path& zip, const std::string& suffix, const TempDir& tmp) {
  auto s = open_source(zip);
  if (!s) return nullptr;
  auto hits = (*s)->find_suffix(suffix);
  if (hits.empty()) return nullptr;
  auto b = (*s)->read(*hits.front(), 1ULL << 30);
  if (!b) return nullptr;
  const fs::path p = tmp / (std::to_string(hits.front()->ordinal) + fs::path(suffix).filename().string());
  write_file(p, std::string(b->begin(), b->end()));
  for (const char* side : {"-wal"}) {
    if (const Entry* w = (*s)->find(hits.front()->path + side)) {
      auto wb = (*s)->read(*w, 1ULL << 30);
      if (wb) write_file(fs::path(p.string() + side), std::string(wb->begin(), wb->end()));
    }
  }
  auto d = std::make_unique<Db>();
  if (sqlite3_open_v2(p.c_str(), &d->db, SQLITE_OPEN_READWRITE, nullptr) != SQLITE_OK) return nullptr;
  return d;
}

TEST(SynthIosConformance, GeneratedTablesHaveTheColumnsOfRealSamples) {
  REMIT_REQUIRE_CONFORMANCE(conf);
  TempDir t, tmp;
  auto sum = synth::generate_ios(small_opts(t / "x"));
  ASSERT_TRUE(sum.ok()) << sum.error().message;
  Extraction x(t / "x");
  const std::string group = find_group_dir(x.source());
  struct Pair {
    fs::path sample;
    std::string sample_suffix, generated;
    std::vector<std::string> tables;
  };
  const fs::path il = conf / "ileapp";
  const std::vector<Pair> pairs = {
      {conf / "plaso/macos-imessage-chat.db",
       "",
       kSms,
       {"message", "handle", "chat", "attachment", "chat_message_join", "chat_handle_join", "message_attachment_join",
        "deleted_messages", "_SqliteDatabaseProperties"}},
      {il / "testdata.addressBook.addressBook.josh_ios15_ffs.zip",
       "AddressBook/AddressBook.sqlitedb",
       kAb,
       {"ABPerson", "ABMultiValue", "ABMultiValueLabel", "ABMultiValueEntry", "ABMultiValueEntryKey", "ABStore",
        "ABAccount", "ABGroup", "ABPersonLink", "ABPhoneLastFour", "ABPersonChanges", "FirstSortSectionCount",
        "ClientCursor"}},
      {il / "testdata.addressBook.addressBook.josh_ios15_ffs.zip",
       "AddressBook/AddressBookImages.sqlitedb",
       kAbImages,
       {"ABThumbnailImage", "ABFullSizeImage"}},
      {il / "testdata.whatsApp.whatsAppMessages.josh_ios15_ffs.zip",
       "ChatStorage.sqlite",
       group + "ChatStorage.sqlite",
       {"ZWAMESSAGE", "ZWACHATSESSION", "ZWAGROUPINFO", "ZWAGROUPMEMBER", "ZWAMEDIAITEM", "ZWAMESSAGEINFO",
        "ZWAPROFILEPUSHNAME", "Z_PRIMARYKEY", "Z_METADATA", "Z_MODELCACHE"}},
      {il / "testdata.whatsApp.whatsAppCallHistory.josh_ios15_ffs.zip",
       "CallHistory.sqlite",
       group + "CallHistory.sqlite",
       {"ZWAAGGREGATECALLEVENT", "ZWACDCALLEVENT", "ZWACDCALLEVENTPARTICIPANT"}},
      {il / "testdata.whatsApp.whatsAppContacts.josh_ios15_ffs.zip",
       "ContactsV2.sqlite",
       group + "ContactsV2.sqlite",
       {"ZWAADDRESSBOOKCONTACT"}},
  };
  for (const auto& p : pairs) {
    std::unique_ptr<Db> real;
    if (p.sample_suffix.empty()) {
      // A plain database file: open a copy (reading may create sidecars).
      const fs::path c = tmp / p.sample.filename();
      fs::copy_file(p.sample, c, fs::copy_options::overwrite_existing);
      real = std::make_unique<Db>();
      ASSERT_EQ(sqlite3_open_v2(c.c_str(), &real->db, SQLITE_OPEN_READONLY, nullptr), SQLITE_OK);
    } else {
      real = sample_db(p.sample, p.sample_suffix, tmp);
    }
    ASSERT_TRUE(real) << p.sample;
    auto gen = x.open(p.generated);
    ASSERT_TRUE(gen) << p.generated;
    for (const auto& table : p.tables) {
      const auto rc = real->columns(table);
      ASSERT_FALSE(rc.empty()) << p.sample << " " << table;
      const auto gc = gen->columns(table);
      const std::set<std::string> have(gc.begin(), gc.end());
      for (const auto& col : rc) EXPECT_TRUE(have.count(col)) << table << "." << col << " (from " << p.sample << ")";
    }
    // Triggers and indexes of the real file exist here too.
    for (const char* type : {"trigger", "index"}) {
      const auto want = real->names(type), got = gen->names(type);
      for (const auto& n : want)
        if (n.rfind("sqlite_autoindex", 0) != 0 && !(p.sample_suffix.empty() && std::string(type) == "index")) {
          EXPECT_TRUE(got.count(n)) << type << " " << n << " (from " << p.sample << ")";
        }
    }
  }
}

// --- parser round trip ----------------------------------------------------------

const std::vector<std::string> kIosParsers = {"ios.sms",      "ios.callhistory",       "ios.addressbook",
                                              "ios.whatsapp", "ios.whatsapp_contacts", "ios.photos",
                                              "ios.safari"};

bool registered(const std::string& name) {
  for (const auto& spec : artifact_registry())
    if (spec.id == name) return true;
  return false;
}

enum class Backup { none, itunes, itunes_encrypted };

struct RoundTripCase {
  std::string name;
  std::vector<std::string> variants;
  synth::OutputFormat format = synth::OutputFormat::tar;
  Backup backup = Backup::none;
};
void PrintTo(const RoundTripCase& c, std::ostream* os) {
  *os << c.name;
}

class SynthIosRoundTrip : public ::testing::TestWithParam<RoundTripCase> {};

TEST_P(SynthIosRoundTrip, ParsersReproduceTheTruth) {
  std::vector<std::string> present, absent;
  for (const auto& p : kIosParsers) (registered(p) ? present : absent).push_back(p);
  if (present.empty())
    GTEST_SKIP() << "no iOS parser is in the registry yet (src/artifacts/registry.cpp); waiting for: "
                 << fmt::format("{}", fmt::join(absent, ", "));
  const auto& rc = GetParam();
  TempDir t;
  const std::string name = rc.format == synth::OutputFormat::dir || rc.backup != Backup::none ? "x"
                           : rc.format == synth::OutputFormat::zip                            ? "x.zip"
                                                                                              : "x.tar";
  auto opts = small_opts(t / name, rc.variants, rc.format, 3);
  opts.backup.enabled = rc.backup != Backup::none;
  opts.backup.encrypted = rc.backup == Backup::itunes_encrypted;
  opts.backup.kdf_rounds = 1000;
  auto sum = synth::generate_ios(opts);
  ASSERT_TRUE(sum.ok()) << sum.error().message;
  const auto truth = load_truth(t / (name + ".truth.jsonl"));
  SourceOptions so;
  so.retain = is_wanted_path;
  if (rc.backup == Backup::itunes_encrypted) so.password = story_password(t / name);
  auto src = open_source(t / name, so);
  ASSERT_TRUE(src.ok()) << src.error().message;
  PartyNormaliser parties("GB");
  std::vector<Item> items;
  auto scan = scan_source(**src, parties, [&](Item&& it) { items.push_back(std::move(it)); });
  EXPECT_EQ(scan.stats.parser_failures, 0u);
  for (const auto& p : present) {
    TruthFilter f;
    f.parsers = {p};
    const TruthDiff d = compare_with_truth(items, truth, f);
    std::string problems;
    for (const auto& s : d.problems) problems += s + "\n";
    EXPECT_TRUE(d.exact()) << p << ": expected " << d.expected << " parsed " << d.parsed << " matched " << d.matched
                           << "\n"
                           << problems;
    EXPECT_GT(d.expected, 0u) << p;
  }
  if (!absent.empty())
    std::cout << "[ note ] not yet registered, not compared: " << fmt::format("{}", fmt::join(absent, ", "))
              << std::endl;
}

INSTANTIATE_TEST_SUITE_P(
    Cases, SynthIosRoundTrip,
    ::testing::Values(
        RoundTripCase{"defaults_tar", {}}, RoundTripCase{"defaults_dir", {}, synth::OutputFormat::dir},
        RoundTripCase{"defaults_zip", {}, synth::OutputFormat::zip},
        RoundTripCase{"seconds_attributed_handlezero", {"sms-dates-seconds", "sms-attributed-body", "sms-handle-zero"}},
        RoundTripCase{"zgeneric_walonly_filesystem2_wal",
                      {"photos-zgenericasset", "addressbook-wal-only", "prefix-filesystem2", "wal"},
                      synth::OutputFormat::zip},
        RoundTripCase{"superseded_absolute", {"addressbook-wal-superseded", "prefix-absolute"}},
        RoundTripCase{"defaults_itunes", {}, synth::OutputFormat::dir, Backup::itunes},
        RoundTripCase{"defaults_itunes_encrypted", {}, synth::OutputFormat::dir, Backup::itunes_encrypted},
        RoundTripCase{"seconds_attributed_handlezero_zgeneric_walonly_wal_itunes",
                      {"sms-dates-seconds", "sms-attributed-body", "sms-handle-zero", "photos-zgenericasset",
                       "addressbook-wal-only", "wal"},
                      synth::OutputFormat::dir,
                      Backup::itunes},
        RoundTripCase{"superseded_itunes_encrypted",
                      {"addressbook-wal-superseded"},
                      synth::OutputFormat::dir,
                      Backup::itunes_encrypted}),
    [](const auto& info) { return info.param.name; });

// --format ufdr: the same extraction rendered by the UFDR writer; remit's
// UFDR reader must report exactly the truth written beside it.
TEST(SynthIosUfdr, ReportParsesToTheTruthAndKeepsTheScopeFlags) {
  if (!registered("ufdr.report")) GTEST_SKIP() << "ufdr.report is not in the registry";
  TempDir t;
  auto o = small_opts(t / "x.ufdr", {}, synth::OutputFormat::ufdr, 3);
  auto sum = synth::generate_ios(o);
  ASSERT_TRUE(sum.ok()) << sum.error().message;
  // Nothing but the four outputs (UFDR, truth, story, scope) is left.
  size_t n = 0;
  for (auto& e : fs::directory_iterator(t.path())) {
    (void)e;
    ++n;
  }
  EXPECT_EQ(n, 4u);
  EXPECT_EQ(sum->scope, t / "x.ufdr.scope.toml");
  const auto truth = load_truth(t / "x.ufdr.truth.jsonl");
  // The same life as the folder form: as many items, as many in scope.
  auto dir = synth::generate_ios(small_opts(t / "d", {}, synth::OutputFormat::dir, 3));
  ASSERT_TRUE(dir.ok());
  EXPECT_EQ(sum->items, dir->items);
  EXPECT_EQ(sum->in_scope, dir->in_scope);
  size_t in = 0;
  for (const auto& r : truth) {
    EXPECT_EQ(r.item.provenance.parser, "ufdr.report");
    if (r.expected_in_scope) ++in;
  }
  EXPECT_EQ(in, dir->in_scope);
  auto src = open_source(t / "x.ufdr");
  ASSERT_TRUE(src.ok()) << src.error().message;
  EXPECT_EQ((*src)->kind(), SourceKind::ufdr);
  PartyNormaliser parties("GB");
  std::vector<Item> items;
  auto scan = scan_source(**src, parties, [&](Item&& it) { items.push_back(std::move(it)); });
  TruthFilter f;
  f.parsers = {"ufdr.report"};
  const TruthDiff d = compare_with_truth(items, truth, f);
  std::string problems;
  for (const auto& p : d.problems) problems += p + "\n";
  EXPECT_TRUE(d.exact()) << "expected " << d.expected << " parsed " << d.parsed << " matched " << d.matched << "\n"
                         << problems;
  EXPECT_GT(d.expected, 500u);
}

// --- CLI ----------------------------------------------------------------------

// PATH.scope.toml is the story's canonical scope as a scope file: it plans,
// story.json names it, and a scoped run over the extraction returns exactly
// the truth's expected_in_scope items. No iOS file system parser is in this
// build, so the run goes through the UFDR form (parser ufdr.report), whose
// truth keeps the flags of the items it renders.
TEST(SynthIosScope, ScopedRunReturnsExactlyTheExpectedInScopeItems) {
  if (!registered("ufdr.report")) GTEST_SKIP() << "ufdr.report is not in the registry";
  TempDir t;
  const fs::path out = t / "phone.ufdr";
  auto gen = run_remit(small_args(out, "ufdr", 21));
  ASSERT_EQ(gen.exit_code, 0) << gen.err;
  const fs::path scope = out.string() + ".scope.toml";
  const json story = json::parse(read_file(fs::path(out.string() + ".story.json")));
  EXPECT_EQ(story["canonical_scope"]["scope_toml"], "phone.ufdr.scope.toml");
  const std::string scope_text = read_file(scope);
  EXPECT_NE(scope_text.find(story["canonical_scope"]["window"]["start_date"].get<std::string>()), std::string::npos);
  EXPECT_NE(scope_text.find(story["suspect"]["number"]["national"].get<std::string>()), std::string::npos);
  auto plan = run_remit({"plan", scope.string()});
  EXPECT_EQ(plan.exit_code, 0) << plan.out << plan.err;

  std::set<std::string> expected;
  size_t out_of_scope = 0;
  for (const auto& r : load_truth(fs::path(out.string() + ".truth.jsonl"))) {
    if (r.expected_in_scope)
      expected.insert(r.item.provenance.locator());
    else
      ++out_of_scope;
  }
  ASSERT_GT(expected.size(), 5u) << "the story must put something in scope";
  ASSERT_GT(out_of_scope, expected.size()) << "most of a life is out of scope";
  auto r = run_remit({"items", out.string(), "--scope", scope.string()}, {{"REMIT_STATE_DIR", (t / "state").string()}});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto items = parse_items(r.out);
  std::set<std::string> got;
  for (const auto& it : items) got.insert(it.provenance.locator());
  for (const auto& l : expected)
    if (!got.count(l)) ADD_FAILURE() << "missing " << l;
  for (const auto& l : got)
    if (!expected.count(l)) ADD_FAILURE() << "extra " << l;
  EXPECT_EQ(got.size(), expected.size());
  EXPECT_EQ(r.out.find(kCanary), std::string::npos) << "canary on stdout";
  EXPECT_EQ(r.err.find(kCanary), std::string::npos) << "canary on stderr";
}

// --format itunes / itunes-encrypted through the CLI, as an examiner would
// read them: `remit items PATH --unscoped` (with --password-file for the
// encrypted one) gives exactly the truth; a scoped run with PATH.scope.toml
// gives exactly the expected_in_scope items and no canary; a wrong password
// is exit 2 with nothing on stdout.
class SynthIosItunesCli : public ::testing::TestWithParam<std::string> {};

TEST_P(SynthIosItunesCli, ItemsReproduceTheTruthAndTheScopeSelectsExactlyTheInScopeItems) {
  for (const auto& p : kIosParsers)
    if (!registered(p)) GTEST_SKIP() << p << " is not in the registry";
  const std::string fmt = GetParam();
  const bool encrypted = fmt == "itunes-encrypted";
  TempDir t;
  const fs::path out = t / "phone";
  auto gen = run_remit(small_args(out, fmt, 23));
  ASSERT_EQ(gen.exit_code, 0) << gen.err;
  const json story = json::parse(read_file(fs::path(out.string() + ".story.json")));
  EXPECT_EQ(story["generator"]["format"], fmt);
  EXPECT_EQ(story["backup"]["encrypted"], encrypted);
  std::vector<std::string> pw;
  if (encrypted) {
    EXPECT_NE(gen.err.find("phone.story.json"), std::string::npos) << "where the password is: " << gen.err;
    EXPECT_EQ(story["backup"]["password_from"], "derived from --seed");
    EXPECT_EQ(story["backup"]["kdf_rounds_sha256"], 1000);
    write_file(t / "pw.txt", story_password(out) + "\n");
    pw = {"--password-file", (t / "pw.txt").string()};
  }
  const std::map<std::string, std::string> env{{"REMIT_STATE_DIR", (t / "state").string()}};
  auto with = [&](std::vector<std::string> a) {
    a.insert(a.end(), pw.begin(), pw.end());
    return a;
  };

  // Unscoped: every item of the truth, exactly.
  const auto truth = load_truth(fs::path(out.string() + ".truth.jsonl"));
  ASSERT_GT(truth.size(), 500u);
  auto all = run_remit(with({"items", out.string(), "--unscoped", "--reason", "test"}), env);
  ASSERT_EQ(all.exit_code, 0) << all.err;
  const auto items = parse_items(all.out);
  const TruthDiff d = compare_with_truth(items, truth, TruthFilter{});
  std::string problems;
  for (const auto& p : d.problems) problems += p + "\n";
  EXPECT_TRUE(d.exact()) << "expected " << d.expected << " parsed " << d.parsed << " matched " << d.matched << "\n"
                         << problems;
  EXPECT_EQ(d.expected, truth.size());
  // Provenance as the backup Source names files: containers by id, entry
  // names "<domain>-<relativePath>".
  size_t whatsapp = 0;
  for (const auto& r : truth) {
    EXPECT_EQ(r.item.provenance.container, "phone");
    EXPECT_EQ(r.item.provenance.path.find("AppGroup/") != std::string::npos,
              r.item.provenance.path.find("AppGroup/group.net.whatsapp.WhatsApp.shared/") != std::string::npos)
        << r.item.provenance.path;
    if (r.item.provenance.parser == "ios.whatsapp") {
      ++whatsapp;
      EXPECT_TRUE(r.item.provenance.entry_name.starts_with("AppDomainGroup-group.net.whatsapp.WhatsApp.shared-"))
          << r.item.provenance.entry_name;
    }
    if (r.item.provenance.parser == "ios.sms") {
      EXPECT_EQ(r.item.provenance.entry_name, "HomeDomain-Library/SMS/sms.db");
    }
  }
  EXPECT_GT(whatsapp, 0u);

  // Scoped: exactly the expected_in_scope items, no canary anywhere.
  const fs::path scope = out.string() + ".scope.toml";
  std::set<std::string> expected;
  for (const auto& r : truth)
    if (r.expected_in_scope) expected.insert(r.item.provenance.locator());
  ASSERT_GT(expected.size(), 5u);
  auto scoped = run_remit(with({"items", out.string(), "--scope", scope.string()}), env);
  ASSERT_EQ(scoped.exit_code, 0) << scoped.err;
  std::set<std::string> got;
  for (const auto& it : parse_items(scoped.out)) got.insert(it.provenance.locator());
  for (const auto& l : expected)
    if (!got.count(l)) ADD_FAILURE() << "missing " << l;
  for (const auto& l : got)
    if (!expected.count(l)) ADD_FAILURE() << "extra " << l;
  EXPECT_EQ(scoped.out.find(kCanary), std::string::npos) << "canary on stdout";
  EXPECT_EQ(scoped.err.find(kCanary), std::string::npos) << "canary on stderr";

  if (!encrypted) return;
  // A wrong password: exit 2, a clear error, nothing on stdout.
  write_file(t / "wrong.txt", "not-the-password\n");
  auto wrong = run_remit(
      {"items", out.string(), "--unscoped", "--reason", "test", "--password-file", (t / "wrong.txt").string()}, env);
  EXPECT_EQ(wrong.exit_code, 2) << wrong.err;
  EXPECT_TRUE(wrong.out.empty());
  EXPECT_NE(wrong.err.find("wrong password"), std::string::npos) << wrong.err;
  // No password at all (stdin is not a terminal): exit 2 too.
  auto none = run_remit({"items", out.string(), "--unscoped", "--reason", "test"}, env);
  EXPECT_EQ(none.exit_code, 2) << none.err;
  EXPECT_TRUE(none.out.empty());
}

// A password given with --password-file encrypts the backup; story.json then
// says where it came from and does not repeat it.
TEST(SynthIosItunesCli, GivenPasswordFileEncryptsAndIsNotRecorded) {
  TempDir t;
  write_file(t / "given.txt", "correct horse battery\n");
  auto a = small_args(t / "b", "itunes-encrypted", 4);
  a.insert(a.end(), {"--password-file", (t / "given.txt").string()});
  auto gen = run_remit(a);
  ASSERT_EQ(gen.exit_code, 0) << gen.err;
  const json story = json::parse(read_file(t / "b.story.json"));
  EXPECT_EQ(story["backup"]["password_from"], "--password-file");
  EXPECT_TRUE(story["backup"]["password"].is_null());
  EXPECT_EQ(read_file(t / "b.story.json").find("correct horse"), std::string::npos);
  SourceOptions so;
  so.password = "correct horse battery";
  auto src = open_source(t / "b", so);
  ASSERT_TRUE(src.ok()) << src.error().message;
  EXPECT_TRUE((*src)->find(kSms) != nullptr);
  so.password = synth::ios::derived_backup_password(4);
  auto bad = open_source(t / "b", so);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().code, Errc::wrong_password);
}

INSTANTIATE_TEST_SUITE_P(Formats, SynthIosItunesCli, ::testing::Values("itunes", "itunes-encrypted"),
                         [](const auto& info) {
                           return info.param == "itunes" ? std::string("itunes") : std::string("itunes_encrypted");
                         });

TEST(SynthIosCli, ErrorsAreUsageErrorsAndLeaveNothingBehind) {
  TempDir t;
  auto base = [&](std::vector<std::string> extra, std::string out = "x.tar") {
    std::vector<std::string> a = {"synth", "ios",        "--out", (t / out).string(),   "--days", "40", "--photos",
                                  "1",     "--contacts", "20",    "--messages-per-day", "3"};
    a.insert(a.end(), extra.begin(), extra.end());
    return a;
  };
  for (const auto& bad : std::vector<std::vector<std::string>>{
           {"--format", "rar"},
           {"--password-file", "/nonexistent"},
           {"--format", "tar", "--kdf-rounds", "5"},
           {"--format", "itunes-encrypted", "--kdf-rounds", "0"},
           {"--format", "itunes-encrypted", "--password-file", "/nonexistent/pw"},
           {"--format", "itunes", "--variant", "prefix-filesystem2"},
           {"--format", "itunes", "--size", "3G"},
           {"--variant", "sms-dates-minutes"},
           {"--variant", "photos-zasset", "--variant", "photos-zgenericasset"},
           {"--variant", "addressbook-wal-only", "--variant", "addressbook-wal-superseded"},
           {"--days", "5"},
           {"--size", "lots"}}) {
    auto r = run_remit(base(bad));
    EXPECT_EQ(r.exit_code, 2) << bad.back() << ": " << r.err;
    EXPECT_FALSE(r.err.empty());
  }
  auto big = run_remit(base({"--format", "itunes", "--size", "3G"}, "bk"));
  EXPECT_NE(big.err.find("in memory"), std::string::npos) << big.err;
  auto absolute_dir = run_remit(base({"--variant", "prefix-absolute"}, "folder"));
  EXPECT_EQ(absolute_dir.exit_code, 2);
  EXPECT_NE(absolute_dir.err.find("archive"), std::string::npos) << absolute_dir.err;
  EXPECT_TRUE(fs::is_empty(t.path()));
  auto ok = run_remit(base({"--json"}));
  ASSERT_EQ(ok.exit_code, 0) << ok.err;
  const json summary = json::parse(ok.out);
  EXPECT_EQ(summary["format"], "tar");
  EXPECT_GT(summary["items"].get<int64_t>(), 0);
  EXPECT_EQ(summary["scope"], (t / "x.tar.scope.toml").string());
  EXPECT_TRUE(fs::is_regular_file(t / "x.tar.scope.toml"));
  EXPECT_NE(ok.err.find("x.tar.scope.toml"), std::string::npos) << ok.err;
  auto again = run_remit(base({}));
  EXPECT_EQ(again.exit_code, 2);
  EXPECT_NE(again.err.find("already exists"), std::string::npos) << again.err;
  auto help = run_remit({"synth", "ios", "--help"});
  EXPECT_EQ(help.exit_code, 0);
  EXPECT_NE(help.out.find("--variant"), std::string::npos);
  auto list = run_remit({"synth", "ios", "--list-variants"});
  EXPECT_EQ(list.exit_code, 0);
  for (const auto& v : synth::ios_variants()) EXPECT_NE(list.out.find(std::string(v.name)), std::string::npos);
}

// --- size -----------------------------------------------------------------------

TEST(SynthIosSize, PaddingReachesTheRequestedSizeInsideValidFiles) {
  TempDir t;
  auto o = small_opts(t / "x");
  o.size = 6ULL << 20;
  auto sum = synth::generate_ios(o);
  ASSERT_TRUE(sum.ok()) << sum.error().message;
  uint64_t total = 0;
  for (auto& e : fs::recursive_directory_iterator(t / "x"))
    if (e.is_regular_file()) total += e.file_size();
  EXPECT_EQ(total, o.size);
  EXPECT_EQ(sum->content_bytes, o.size);
  auto sum2 = synth::generate_ios(small_opts(t / "y"));
  ASSERT_TRUE(sum2.ok());
  auto ta = load_truth(t / "x.truth.jsonl"), tb = load_truth(t / "y.truth.jsonl");
  ASSERT_EQ(ta.size(), tb.size());
  size_t padded = 0;
  for (size_t i = 0; i < ta.size(); ++i) {
    if (ta[i].item.provenance.parser != "ios.photos") continue;
    EXPECT_EQ(ta[i].item.time, tb[i].item.time);
    if (ta[i].item.file->size != tb[i].item.file->size) ++padded;
  }
  EXPECT_GT(padded, 0u);
}

}  // namespace
}  // namespace remit::test
