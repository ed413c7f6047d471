// Evidence SQLite opened from memory: WAL replay of committed frames only,
// defensive settings, hostile schemas.
#include <gtest/gtest.h>

#include <fstream>

#include "remit/evidence_db.hpp"
#include "remit/registry.hpp"
#include "support/golden.hpp"
#include "support/support.hpp"

namespace remit::test {
namespace {

Bytes to_bytes(const std::string& s) {
  return Bytes(s.begin(), s.end());
}

constexpr const char* kSchema =
    "CREATE TABLE sms (_id INTEGER PRIMARY KEY, thread_id INTEGER, address TEXT, date INTEGER, date_sent INTEGER, "
    "type INTEGER, body TEXT, read INTEGER);"
    "INSERT INTO sms VALUES (1, 1, '07700900001', 1700000000000, 0, 1, 'in the main file', 1);";

TEST(EvidenceDb, RowsOnlyInTheWalAreFound) {
  TempDir t;
  const auto db = t / "mmssms.db";
  build_sqlite(db, kSchema,
               "INSERT INTO sms VALUES (2, 1, '07700900002', 1700000001000, 0, 2, 'only in the wal', 1);"
               "INSERT INTO sms VALUES (3, 1, '07700900003', 1700000002000, 0, 1, 'also only in the wal', 0);");
  ASSERT_TRUE(fs::exists(t / "mmssms.db-wal"));
  // Sanity: the main file alone holds one row.
  {
    auto only_main = EvidenceDb::open(to_bytes(read_file(db)), std::nullopt, std::nullopt, "main-only");
    ASSERT_TRUE(only_main.ok()) << only_main.error().message;
    EXPECT_EQ(only_main->count_rows("sms"), 1);
  }
  auto full = EvidenceDb::open(to_bytes(read_file(db)), to_bytes(read_file(t / "mmssms.db-wal")), std::nullopt, "full");
  ASSERT_TRUE(full.ok()) << full.error().message;
  EXPECT_EQ(full->count_rows("sms"), 3);
  EXPECT_TRUE(full->wal_info().header_valid);
  EXPECT_GE(full->wal_info().commits, 1u);
  EXPECT_EQ(full->wal_info().uncommitted_frames, 0u);

  // Snapshot before any WAL commit: only the main file's row.
  auto snap0 = EvidenceDb::open(to_bytes(read_file(db)), to_bytes(read_file(t / "mmssms.db-wal")), std::nullopt, "snap",
                                uint64_t{0});
  ASSERT_TRUE(snap0.ok());
  EXPECT_EQ(snap0->count_rows("sms"), 1);
}

TEST(EvidenceDb, FramesAfterTheLastCommitAreNotLiveRows) {
  TempDir t;
  const auto db = t / "mmssms.db";
  // Two transactions in the WAL; the second one spans several pages.
  std::string big =
      "INSERT INTO sms VALUES (2, 1, 'x', 1, 0, 1, 'committed', 1);"
      "BEGIN;";
  for (int i = 10; i < 200; ++i)
    big += "INSERT INTO sms VALUES (" + std::to_string(i) + ", 1, 'y', 1, 0, 1, '" + std::string(200, 'z') + "', 1);";
  big += "COMMIT;";
  build_sqlite(db, kSchema, big);
  std::string wal = read_file(t / "mmssms.db-wal");
  auto full = EvidenceDb::open(to_bytes(read_file(db)), to_bytes(wal), std::nullopt, "full");
  ASSERT_TRUE(full.ok());
  EXPECT_EQ(full->count_rows("sms"), 2 + 190);
  // Cut the last frame (the commit frame of the big transaction).
  const uint32_t page = (uint8_t(wal[8]) << 24) | (uint8_t(wal[9]) << 16) | (uint8_t(wal[10]) << 8) | uint8_t(wal[11]);
  wal.resize(wal.size() - (24 + page));
  auto cut = EvidenceDb::open(to_bytes(read_file(db)), to_bytes(wal), std::nullopt, "cut");
  ASSERT_TRUE(cut.ok()) << cut.error().message;
  EXPECT_EQ(cut->count_rows("sms"), 2) << "rows of an uncommitted transaction must not be live";
  EXPECT_GT(cut->wal_info().uncommitted_frames, 0u);
  EXPECT_FALSE(cut->notes().empty());
}

TEST(EvidenceDb, CorruptWalChecksumStopsReplayThere) {
  TempDir t;
  const auto db = t / "mmssms.db";
  build_sqlite(db, kSchema, "INSERT INTO sms VALUES (2, 1, 'x', 1, 0, 1, 'wal row', 1);");
  std::string wal = read_file(t / "mmssms.db-wal");
  wal[32 + 24 + 100] ^= 0x55;  // a byte of the first frame's page
  auto r = EvidenceDb::open(to_bytes(read_file(db)), to_bytes(wal), std::nullopt, "x");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->count_rows("sms"), 1);
  EXPECT_EQ(r->wal_info().commits, 0u);
}

TEST(EvidenceDb, GarbageAndEmptyInputGiveErrorsNotCrashes) {
  EXPECT_FALSE(EvidenceDb::open(Bytes{}, std::nullopt, std::nullopt, "empty").ok());
  EXPECT_FALSE(EvidenceDb::open(to_bytes("definitely not a database, just text of some length ........................"
                                         "..........................................................."),
                                std::nullopt, std::nullopt, "text")
                   .ok());
  TempDir t;
  build_sqlite(t / "a.db", kSchema);
  std::string bytes = read_file(t / "a.db");
  bytes.resize(bytes.size() / 2 + 100);  // truncated mid-page
  auto r = EvidenceDb::open(to_bytes(bytes), std::nullopt, std::nullopt, "trunc");
  if (r.ok()) {
    auto st = r->prepare("SELECT * FROM sms");
    if (st.ok())
      while (st->step()) {
      }
  }
  SUCCEED();
}

TEST(EvidenceDb, TriggersCallingUnknownFunctionsNeverBlockAReadAndNeverFire) {
  TempDir t;
  build_sqlite(t / "a.db",
               "CREATE TABLE t (x INTEGER);"
               "CREATE TABLE log (y INTEGER);"
               "INSERT INTO t VALUES (1), (2);"
               "PRAGMA writable_schema=ON;"
               "INSERT INTO sqlite_master VALUES ('trigger','tr','t',0,"
               "'CREATE TRIGGER tr AFTER INSERT ON t BEGIN SELECT app_defined_function(new.x); END');"
               "INSERT INTO sqlite_master VALUES ('view','v','v',0,'CREATE VIEW v AS SELECT app_fn(x) FROM t');");
  auto r = EvidenceDb::open(to_bytes(read_file(t / "a.db")), std::nullopt, std::nullopt, "trig");
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->count_rows("t"), 2);
  // Writes are impossible: the image is read-only and the connection query_only.
  auto st = r->prepare("INSERT INTO t VALUES (3)");
  if (st.ok()) {
    EXPECT_FALSE(st->step());
  }
  EXPECT_EQ(r->count_rows("t"), 2);
  EXPECT_EQ(r->count_rows("log"), 0);
}

TEST(EvidenceDb, SchemaHelpersSurviveDrift) {
  TempDir t;
  build_sqlite(t / "a.db", kSchema);
  auto r = EvidenceDb::open(to_bytes(read_file(t / "a.db")), std::nullopt, std::nullopt, "a");
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r->has_table("sms"));
  EXPECT_TRUE(r->has_table("SMS"));
  EXPECT_FALSE(r->has_table("pdu"));
  EXPECT_TRUE(r->has_column("sms", "body"));
  EXPECT_FALSE(r->has_column("sms", "subject"));
  EXPECT_EQ(r->col_or_null("sms", "subject"), "NULL");
  EXPECT_EQ(r->col_or_null("sms", "body"), "\"sms\".\"body\"");
  EXPECT_EQ(quote_ident("we\"ird"), "\"we\"\"ird\"");
}

}  // namespace
}  // namespace remit::test
