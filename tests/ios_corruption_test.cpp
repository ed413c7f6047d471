// Corruption cases for every iOS parser: an empty file, garbage, a truncated
// database, a broken header, the wrong schema, invalid UTF-8, a huge field,
// a WAL with a broken checksum, and every page of the database damaged in
// turn. Each must give partial results or none plus a recorded warning,
// never a crash and never a parser failure.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <random>
#include <set>

#include "remit/registry.hpp"
#include "remit/source.hpp"
#include "support/golden.hpp"
#include "support/support.hpp"

namespace remit::test {
namespace {

struct Target {
  const char* parser;
  const char* path;   // logical path in the extraction
  const char* sql;    // fixture SQL (a golden case's input)
  const char* table;  // a table and text column to damage
  const char* column;
};
void PrintTo(const Target& t, std::ostream* os) {
  *os << t.parser;
}

const Target kTargets[] = {
    {"ios.sms", "private/var/mobile/Library/SMS/sms.db",
     "ios_sms_schema/input/filesystem2/mobile/Library/SMS/sms.db.sql", "message", "text"},
    {"ios.callhistory", "private/var/mobile/Library/CallHistoryDB/CallHistory.storedata",
     "ios_callhistory_schema/input/private/var/mobile/Library/CallHistoryDB/CallHistory.storedata.sql", "ZCALLRECORD",
     "ZADDRESS"},
    {"ios.addressbook", "private/var/mobile/Library/AddressBook/AddressBook.sqlitedb",
     "ios_addressbook_wal/input/private/var/mobile/Library/AddressBook/AddressBook.sqlitedb.sql", "ABPerson", "First"},
    {"ios.whatsapp", "private/var/mobile/Containers/Shared/AppGroup/G/ChatStorage.sqlite",
     "ios_whatsapp_schema/input/private/var/mobile/Containers/Shared/AppGroup/1F2E3D4C-0000-4000-8000-00000000A001/"
     "ChatStorage.sqlite.sql",
     "ZWAMESSAGE", "ZTEXT"},
    {"ios.whatsapp", "private/var/mobile/Containers/Shared/AppGroup/G/CallHistory.sqlite",
     "ios_whatsapp_schema/input/private/var/mobile/Containers/Shared/AppGroup/1F2E3D4C-0000-4000-8000-00000000A001/"
     "CallHistory.sqlite.sql",
     "ZWACDCALLEVENTPARTICIPANT", "ZJIDSTRING"},
    {"ios.whatsapp_contacts", "private/var/mobile/Containers/Shared/AppGroup/G/ContactsV2.sqlite",
     "ios_whatsapp_schema/input/private/var/mobile/Containers/Shared/AppGroup/1F2E3D4C-0000-4000-8000-00000000A001/"
     "ContactsV2.sqlite.sql",
     "ZWAADDRESSBOOKCONTACT", "ZFULLNAME"},
    {"ios.photos", "private/var/mobile/Media/PhotoData/Photos.sqlite",
     "ios_photos_schema/input/private/var/mobile/Media/PhotoData/Photos.sqlite.sql", "ZASSET", "ZFILENAME"},
    {"ios.safari", "private/var/mobile/Library/Safari/History.db",
     "ios_safari_schema/input/var/mobile/Library/Safari/History.db.sql", "history_visits", "title"},
};

class IosCorruption : public ::testing::TestWithParam<Target> {};

std::string fixture_db(const TempDir& t, const Target& target, const std::string& extra_sql = {}) {
  const fs::path db = t / "fixture.db";
  build_sqlite(db, read_file(fs::path(REMIT_SOURCE_DIR) / "tests/cases" / target.sql) + extra_sql);
  std::string bytes = read_file(db);
  fs::remove(db);
  return bytes;
}

struct Outcome {
  std::vector<Item> items;
  std::multiset<std::string> codes;
};

Outcome run(const TempDir& t, const Target& target, const std::string& db, const std::string& wal = {},
            const std::string& name = "ev") {
  std::vector<FixtureEntry> entries;
  FixtureEntry e;
  e.name = target.path;
  e.data = db;
  entries.push_back(e);
  if (!wal.empty()) {
    FixtureEntry w;
    w.name = std::string(target.path) + "-wal";
    w.data = wal;
    entries.push_back(w);
  }
  const fs::path dir = t / name;
  fs::remove_all(dir);
  make_folder(dir, entries);
  SourceOptions so;
  so.hash_container = false;
  auto src = open_source(dir, so);
  EXPECT_TRUE(src.ok());
  Outcome o;
  if (!src) return o;
  PartyNormaliser parties("GB");
  auto scan = scan_source(**src, parties, [&](Item&& it) { o.items.push_back(std::move(it)); });
  for (const auto& w : scan.warnings) {
    o.codes.insert(w.code);
    EXPECT_NE(w.code, "parser_failed") << target.parser << ": " << w.message;
    EXPECT_EQ(w.parser, target.parser);
  }
  EXPECT_EQ(scan.stats.parser_failures, 0u);
  return o;
}

TEST_P(IosCorruption, EmptyGarbageAndBadHeader) {
  const Target& tg = GetParam();
  TempDir t;
  auto o = run(t, tg, "");
  EXPECT_TRUE(o.items.empty());
  EXPECT_TRUE(o.codes.count("unreadable_database")) << tg.parser << " empty";
  std::mt19937 rng(7);
  std::string garbage(8192, '\0');
  for (auto& c : garbage) c = static_cast<char>(rng());
  o = run(t, tg, garbage);
  EXPECT_TRUE(o.items.empty());
  EXPECT_TRUE(o.codes.count("unreadable_database")) << tg.parser << " garbage";
  std::string db = fixture_db(t, tg);
  db[16] = 0x03;  // page size 0x03xx: not a power of two
  db[17] = 0x01;
  o = run(t, tg, db);
  EXPECT_TRUE(o.codes.count("unreadable_database")) << tg.parser << " bad header";
}

TEST_P(IosCorruption, TruncatedDatabaseGivesPartialResultsAndAWarning) {
  const Target& tg = GetParam();
  TempDir t;
  const std::string db = fixture_db(t, tg);
  const auto full = run(t, tg, db);
  ASSERT_FALSE(full.items.empty()) << tg.parser;
  const size_t page = (static_cast<unsigned char>(db[16]) << 8) | static_cast<unsigned char>(db[17]);
  for (size_t keep : {db.size() / 2, db.size() - page, size_t{page}, size_t{100}}) {
    auto o = run(t, tg, db.substr(0, keep));
    EXPECT_LE(o.items.size(), full.items.size());
    EXPECT_FALSE(o.codes.empty()) << tg.parser << ": truncation to " << keep << " bytes left no warning";
  }
}

TEST_P(IosCorruption, WrongSchemaIsAMissingTable) {
  const Target& tg = GetParam();
  TempDir t;
  const fs::path db = t / "other.db";
  build_sqlite(db, "CREATE TABLE unrelated (a, b); INSERT INTO unrelated VALUES (1, 2);");
  auto o = run(t, tg, read_file(db));
  EXPECT_TRUE(o.items.empty());
  EXPECT_TRUE(o.codes.count("missing_table") || o.codes.count("unrecognised_schema")) << tg.parser;
}

TEST_P(IosCorruption, InvalidUtf8IsReplacedAndCounted) {
  const Target& tg = GetParam();
  TempDir t;
  const std::string sql = std::string("UPDATE ") + tg.table + " SET " + tg.column +
                          " = CAST(X'41FF42C3' AS TEXT) WHERE rowid = (SELECT min(rowid) FROM " + tg.table + ");";
  auto o = run(t, tg, fixture_db(t, tg, sql));
  ASSERT_FALSE(o.items.empty());
  EXPECT_TRUE(o.codes.count("bad_utf8")) << tg.parser;
  bool replaced = false;
  for (const auto& it : o.items)
    replaced = replaced || to_json_line(it).find(
                               "A\xEF\xBF\xBD"
                               "B") != std::string::npos;
  EXPECT_TRUE(replaced) << tg.parser;
}

TEST_P(IosCorruption, HugeFieldIsRead) {
  const Target& tg = GetParam();
  TempDir t;
  const std::string sql = std::string("UPDATE ") + tg.table + " SET " + tg.column +
                          " = hex(zeroblob(3000000)) WHERE rowid = (SELECT min(rowid) FROM " + tg.table + ");";
  auto full = run(t, tg, fixture_db(t, tg));
  auto o = run(t, tg, fixture_db(t, tg, sql));
  EXPECT_EQ(o.items.size(), full.items.size()) << tg.parser;
  // Identifier columns: kept verbatim, never handed to the phone-number
  // normaliser (which takes minutes on megabytes).
  const std::string col = tg.column;
  if (col == "ZADDRESS" || col == "ZJIDSTRING") {
    EXPECT_TRUE(o.codes.count("oversized_identifier")) << tg.parser;
  }
}

TEST_P(IosCorruption, BrokenWalChecksumKeepsTheMainFile) {
  const Target& tg = GetParam();
  TempDir t;
  const std::string db = fixture_db(t, tg);
  const auto full = run(t, tg, db);
  // A WAL whose header checksum is wrong: ignored with a note.
  std::string wal(32 + 24 + 4096, '\0');
  const unsigned char hdr[] = {0x37, 0x7f, 0x06, 0x82, 0, 0x2d, 0xe2, 0x18, 0, 0, 0x10, 0};
  std::copy(std::begin(hdr), std::end(hdr), wal.begin());
  auto o = run(t, tg, db, wal);
  EXPECT_EQ(o.items.size(), full.items.size()) << tg.parser;
  EXPECT_TRUE(o.codes.count("sqlite_note")) << tg.parser;
}

TEST_P(IosCorruption, EveryPageDamagedInTurn) {
  const Target& tg = GetParam();
  TempDir t;
  const std::string db = fixture_db(t, tg);
  const size_t page = (static_cast<unsigned char>(db[16]) << 8) | static_cast<unsigned char>(db[17]);
  std::mt19937 rng(11);
  for (size_t p = 0; p * page < db.size(); ++p) {
    std::string d = db;
    // Scribble over the page body (keep the file header so SQLite opens it).
    for (size_t i = p == 0 ? 100 : p * page; i < std::min(d.size(), (p + 1) * page); i += 7)
      d[i] = static_cast<char>(rng());
    (void)run(t, tg, d, {}, "page" + std::to_string(p));
  }
}

std::string target_name(const ::testing::TestParamInfo<Target>& info) {
  std::string n = std::string(info.param.parser) + "_" + std::string(info.param.table);
  for (char& c : n)
    if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
  return n;
}

INSTANTIATE_TEST_SUITE_P(Parsers, IosCorruption, ::testing::ValuesIn(kTargets), target_name);

}  // namespace
}  // namespace remit::test
