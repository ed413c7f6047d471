// Corruption cases for every Android parser: empty file, truncated file,
// wrong schema, missing table, missing column, NULLs everywhere, invalid
// UTF-8 and a 50 MB body (built here, not stored in the repository).
//
// Each variant is run through the real pipeline (folder source, registry
// detection, scan_source) and must give partial items plus a recorded
// warning, and never a crash or a parser failure. Expected counts are
// stated per variant below, from the fixtures built in this file.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <set>
#include <string>
#include <vector>

#include "remit/registry.hpp"
#include "remit/source.hpp"
#include "support/support.hpp"

namespace remit::test {
namespace {

constexpr int kRows = 300;
constexpr size_t kHuge = 50u << 20;

struct Target {
  const char* parser;
  const char* path;        // where the database sits in the extraction
  std::string schema;      // CREATE statements (and supporting rows)
  std::string row_sql;     // INSERT for one row; ?1 = row number
  const char* main_table;  // the table whose rows become items
  std::string null_row;    // INSERT of a row with NULL in every column it can have
  std::string bad_utf8;    // UPDATE putting invalid UTF-8 into a text column of row 1
  std::string huge;        // UPDATE setting a text column of row 1 to ?1 (50 MB)
  std::string drop_col;    // statements recreating main_table without one column it reads
  const char* missing_column_code = "missing_column";
};
void PrintTo(const Target& t, std::ostream* os) {
  *os << t.parser;
}

std::vector<Target> targets() {
  std::vector<Target> t;
  t.push_back(
      {"android.sms", "data/data/com.android.providers.telephony/databases/mmssms.db",
       "CREATE TABLE sms (_id INTEGER PRIMARY KEY, thread_id INTEGER, address TEXT, date INTEGER, "
       "date_sent INTEGER, type INTEGER, body TEXT, read INTEGER);"
       "CREATE TABLE pdu (_id INTEGER PRIMARY KEY, thread_id INTEGER, date INTEGER, msg_box INTEGER, m_type INTEGER);",
       "INSERT INTO sms (thread_id, address, date, type, body, read) VALUES (1, '07700900001', "
       "1700000000000 + ?1, 1, 'message body number ' || ?1, 1)",
       "sms", "INSERT INTO sms (_id) VALUES (NULL)",
       "UPDATE sms SET body = CAST(X'48656cff6c6f' AS TEXT) WHERE _id = 1", "UPDATE sms SET body = ?1 WHERE _id = 1",
       "CREATE TABLE sms2 AS SELECT _id, thread_id, date, type, body, read FROM sms; DROP TABLE sms; "
       "ALTER TABLE sms2 RENAME TO sms;"});
  t.push_back(
      {"android.calllog", "data/data/com.android.providers.contacts/databases/calllog.db",
       "CREATE TABLE calls (_id INTEGER PRIMARY KEY, number TEXT, date INTEGER, duration INTEGER, type INTEGER, "
       "name TEXT);",
       "INSERT INTO calls (number, date, duration, type, name) VALUES ('07700900002', 1700000000000 + ?1, ?1 % 60, "
       "1 + ?1 % 6, 'caller ' || ?1)",
       "calls", "INSERT INTO calls (_id) VALUES (NULL)", "UPDATE calls SET name = CAST(X'c328' AS TEXT) WHERE _id = 1",
       "UPDATE calls SET name = ?1 WHERE _id = 1",
       "CREATE TABLE c2 AS SELECT _id, number, date, type, name FROM calls; DROP TABLE calls; "
       "ALTER TABLE c2 RENAME TO calls;"});
  t.push_back(
      {"android.contacts", "data/data/com.android.providers.contacts/databases/contacts2.db",
       "CREATE TABLE raw_contacts (_id INTEGER PRIMARY KEY, contact_id INTEGER, display_name TEXT, deleted INTEGER);"
       "CREATE TABLE mimetypes (_id INTEGER PRIMARY KEY, mimetype TEXT);"
       "CREATE TABLE data (_id INTEGER PRIMARY KEY, raw_contact_id INTEGER, mimetype_id INTEGER, data1 TEXT, "
       "data2 TEXT, data3 TEXT);"
       "INSERT INTO mimetypes VALUES (5, 'vnd.android.cursor.item/phone_v2');",
       "INSERT INTO raw_contacts (_id, display_name, deleted) VALUES (?1, 'person ' || ?1, 0);"
       "INSERT INTO data (raw_contact_id, mimetype_id, data1, data2) VALUES (?1, 5, '07700 9' || (10000 + ?1), '2')",
       "raw_contacts", "INSERT INTO raw_contacts (_id) VALUES (NULL)",
       "UPDATE raw_contacts SET display_name = CAST(X'ff' AS TEXT) WHERE _id = 1",
       "UPDATE raw_contacts SET display_name = ?1 WHERE _id = 1",
       "CREATE TABLE r2 AS SELECT _id, contact_id, deleted FROM raw_contacts; DROP TABLE raw_contacts; "
       "ALTER TABLE r2 RENAME TO raw_contacts;"});
  t.push_back(
      {"android.whatsapp", "data/data/com.whatsapp/databases/msgstore.db",
       "CREATE TABLE jid (_id INTEGER PRIMARY KEY, user TEXT, server TEXT, type INTEGER, raw_string TEXT);"
       "CREATE TABLE chat (_id INTEGER PRIMARY KEY, jid_row_id INTEGER, subject TEXT);"
       "CREATE TABLE message (_id INTEGER PRIMARY KEY, chat_row_id INTEGER, from_me INTEGER, key_id TEXT, "
       "sender_jid_row_id INTEGER, timestamp INTEGER, received_timestamp INTEGER, message_type INTEGER, "
       "text_data TEXT, starred INTEGER, status INTEGER);"
       "CREATE TABLE message_media (message_row_id INTEGER PRIMARY KEY, file_path TEXT, mime_type TEXT, "
       "file_size INTEGER, media_name TEXT);"
       "INSERT INTO jid VALUES (1, '447700900003', 's.whatsapp.net', 0, '447700900003@s.whatsapp.net');"
       "INSERT INTO chat VALUES (1, 1, NULL);",
       "INSERT INTO message (chat_row_id, from_me, key_id, timestamp, message_type, text_data, status) VALUES "
       "(1, ?1 % 2, 'k' || ?1, 1700000000000 + ?1, 0, 'whatsapp text ' || ?1, 0)",
       "message", "INSERT INTO message (_id) VALUES (NULL)",
       "UPDATE message SET text_data = CAST(X'e282' AS TEXT) WHERE _id = 1",
       "UPDATE message SET text_data = ?1 WHERE _id = 1",
       "CREATE TABLE m2 AS SELECT _id, chat_row_id, from_me, key_id, timestamp, message_type, text_data, status "
       "FROM message; DROP TABLE message; ALTER TABLE m2 RENAME TO message;"});
  t.push_back({"android.whatsapp_contacts", "data/data/com.whatsapp/databases/wa.db",
               "CREATE TABLE wa_contacts (_id INTEGER PRIMARY KEY, jid TEXT, is_whatsapp_user INTEGER, number TEXT, "
               "display_name TEXT, given_name TEXT, family_name TEXT, wa_name TEXT);",
               "INSERT INTO wa_contacts (jid, is_whatsapp_user, display_name) VALUES ('4477009' || (10000 + ?1) || "
               "'@s.whatsapp.net', 1, 'wa person ' || ?1)",
               "wa_contacts", "INSERT INTO wa_contacts (_id) VALUES (NULL)",
               "UPDATE wa_contacts SET display_name = CAST(X'80' AS TEXT) WHERE _id = 1",
               "UPDATE wa_contacts SET display_name = ?1 WHERE _id = 1",
               "CREATE TABLE w2 AS SELECT _id, jid, is_whatsapp_user FROM wa_contacts; DROP TABLE wa_contacts; "
               "ALTER TABLE w2 RENAME TO wa_contacts;"});
  t.push_back(
      {"android.bugle", "data/data/com.google.android.apps.messaging/databases/bugle_db",
       "CREATE TABLE participants (_id INTEGER PRIMARY KEY, sub_id INT, normalized_destination TEXT, "
       "send_destination TEXT, display_destination TEXT, full_name TEXT);"
       "CREATE TABLE conversations (_id INTEGER PRIMARY KEY, name TEXT, participant_count INT);"
       "CREATE TABLE conversation_participants (_id INTEGER PRIMARY KEY, conversation_id INT, participant_id INT);"
       "CREATE TABLE messages (_id INTEGER PRIMARY KEY, conversation_id INT, sender_id INT, sent_timestamp INT, "
       "received_timestamp INT, message_protocol INT, message_status INT, read INT);"
       "CREATE TABLE parts (_id INTEGER PRIMARY KEY, message_id INT, text TEXT, uri TEXT, content_type TEXT, "
       "conversation_id INT);"
       "INSERT INTO participants VALUES (1, 1, NULL, NULL, NULL, NULL), (2, -2, '+447700900004', '07700900004', "
       "'07700 900004', 'X');"
       "INSERT INTO conversations VALUES (1, 'X', 1); INSERT INTO conversation_participants VALUES (1, 1, 2);",
       "INSERT INTO messages (_id, conversation_id, sender_id, sent_timestamp, received_timestamp, "
       "message_protocol, message_status, read) VALUES (?1, 1, 2, 1700000000000 + ?1, 1700000000000 + ?1, 0, "
       "100, 1); INSERT INTO parts (message_id, text, content_type, conversation_id) VALUES (?1, 'bugle ' || ?1, "
       "'text/plain', 1)",
       "messages", "INSERT INTO messages (_id) VALUES (NULL)",
       "UPDATE parts SET text = CAST(X'f09f' AS TEXT) WHERE message_id = 1",
       "UPDATE parts SET text = ?1 WHERE message_id = 1",
       "CREATE TABLE m2 AS SELECT _id, conversation_id, sender_id, sent_timestamp, received_timestamp, "
       "message_status, read FROM messages; DROP TABLE messages; ALTER TABLE m2 RENAME TO messages;"});
  t.push_back(
      {"android.chrome", "data/data/com.android.chrome/app_chrome/Default/History",
       "CREATE TABLE urls (id INTEGER PRIMARY KEY, url TEXT, title TEXT, visit_count INTEGER, last_visit_time INTEGER);"
       "CREATE TABLE visits (id INTEGER PRIMARY KEY, url INTEGER, visit_time INTEGER, from_visit INTEGER, "
       "transition INTEGER);",
       "INSERT INTO urls (id, url, title, visit_count, last_visit_time) VALUES (?1, 'https://example.org/' || ?1, "
       "'page ' || ?1, 1, 13340000000000000 + ?1); INSERT INTO visits (url, visit_time, from_visit, transition) "
       "VALUES (?1, 13340000000000000 + ?1, 0, 805306368)",
       "visits", "INSERT INTO visits (id) VALUES (NULL)", "UPDATE urls SET title = CAST(X'fe' AS TEXT) WHERE id = 1",
       "UPDATE urls SET title = ?1 WHERE id = 1",
       "CREATE TABLE v2 AS SELECT id, url, visit_time, from_visit FROM visits; DROP TABLE visits; "
       "ALTER TABLE v2 RENAME TO visits;"});
  return t;
}

void exec(sqlite3* db, const std::string& sql) {
  char* err = nullptr;
  ASSERT_EQ(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &err), SQLITE_OK) << (err ? err : "") << "\n" << sql;
}

// Runs `sql` (possibly several statements) binding ?1 to `arg` in each.
void exec_bound(sqlite3* db, const std::string& sql, int64_t arg) {
  const char* tail = sql.c_str();
  while (tail && *tail) {
    sqlite3_stmt* st = nullptr;
    ASSERT_EQ(sqlite3_prepare_v2(db, tail, -1, &st, &tail), SQLITE_OK) << sqlite3_errmsg(db);
    if (!st) break;
    if (sqlite3_bind_parameter_count(st) > 0) sqlite3_bind_int64(st, 1, arg);
    ASSERT_EQ(sqlite3_step(st), SQLITE_DONE) << sqlite3_errmsg(db);
    sqlite3_finalize(st);
  }
}

// Builds the target's database with `rows` rows at `file`; `edit` runs last.
void build_db(const fs::path& file, const Target& t, int rows, const std::function<void(sqlite3*)>& edit = {}) {
  fs::create_directories(file.parent_path());
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(file.c_str(), &db), SQLITE_OK);
  exec(db, "PRAGMA page_size=1024; PRAGMA journal_mode=DELETE;");
  exec(db, t.schema);
  exec(db, "BEGIN");
  for (int i = 1; i <= rows; ++i) exec_bound(db, t.row_sql, i);
  exec(db, "COMMIT");
  if (edit) edit(db);
  sqlite3_close(db);
}

struct Outcome {
  std::vector<Item> items;
  std::multiset<std::string> codes;
  uint64_t failures = 0;
};

Outcome run(const fs::path& root, std::string_view parser) {
  Outcome out;
  SourceOptions so;
  so.hash_container = false;
  auto src = open_source(root, so);
  EXPECT_TRUE(src.ok());
  if (!src.ok()) return out;
  PartyNormaliser parties("GB");
  auto scan = scan_source(**src, parties, [&](Item&& it) {
    if (it.provenance.parser == parser) out.items.push_back(std::move(it));
  });
  for (const auto& w : scan.warnings)
    if (w.parser == parser || w.parser.empty()) out.codes.insert(w.code);
  out.failures = scan.stats.parser_failures;
  return out;
}

class Corruption : public ::testing::TestWithParam<Target> {};

TEST_P(Corruption, GoodDatabaseGivesEveryRow) {
  const Target& t = GetParam();
  TempDir dir;
  build_db(dir.path() / t.path, t, kRows);
  auto o = run(dir.path(), t.parser);
  EXPECT_EQ(o.items.size(), static_cast<size_t>(kRows)) << t.parser;
  EXPECT_EQ(o.failures, 0u);
}

TEST_P(Corruption, EmptyFile) {
  const Target& t = GetParam();
  TempDir dir;
  fs::create_directories((dir.path() / t.path).parent_path());
  write_file(dir.path() / t.path, "");
  auto o = run(dir.path(), t.parser);
  EXPECT_TRUE(o.items.empty());
  EXPECT_TRUE(o.codes.count("unreadable_database")) << t.parser;
  EXPECT_EQ(o.failures, 0u);
}

TEST_P(Corruption, TruncatedFileGivesPartialRowsAndAWarning) {
  const Target& t = GetParam();
  TempDir dir;
  const fs::path file = dir.path() / t.path;
  build_db(file, t, kRows);
  const auto size = fs::file_size(file);
  fs::resize_file(file, size * 6 / 10);
  auto o = run(dir.path(), t.parser);
  EXPECT_LT(o.items.size(), static_cast<size_t>(kRows)) << t.parser;
  EXPECT_TRUE(o.codes.count("corrupt") || o.codes.count("unreadable_database") || o.codes.count("unreadable_table"))
      << t.parser << ": a truncated database must be reported";
  EXPECT_EQ(o.failures, 0u);
}

TEST_P(Corruption, WrongSchema) {
  const Target& t = GetParam();
  TempDir dir;
  const fs::path file = dir.path() / t.path;
  fs::create_directories(file.parent_path());
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(file.c_str(), &db), SQLITE_OK);
  exec(db, "CREATE TABLE unrelated (a INTEGER, b TEXT); INSERT INTO unrelated VALUES (1, 'x');");
  sqlite3_close(db);
  auto o = run(dir.path(), t.parser);
  EXPECT_TRUE(o.items.empty()) << t.parser;
  EXPECT_TRUE(o.codes.count("missing_table")) << t.parser;
  EXPECT_EQ(o.failures, 0u);
}

TEST_P(Corruption, MissingColumnGivesEveryRowAndAWarning) {
  const Target& t = GetParam();
  TempDir dir;
  build_db(dir.path() / t.path, t, kRows, [&](sqlite3* db) { exec(db, t.drop_col); });
  auto o = run(dir.path(), t.parser);
  EXPECT_EQ(o.items.size(), static_cast<size_t>(kRows)) << t.parser;
  EXPECT_TRUE(o.codes.count(t.missing_column_code)) << t.parser;
  EXPECT_EQ(o.failures, 0u);
}

TEST_P(Corruption, NullsEverywhere) {
  const Target& t = GetParam();
  TempDir dir;
  build_db(dir.path() / t.path, t, 0, [&](sqlite3* db) {
    for (int i = 0; i < 3; ++i) exec(db, t.null_row);
  });
  auto o = run(dir.path(), t.parser);
  // Every NULL row is still an item (undated, no parties), never dropped silently.
  EXPECT_EQ(o.items.size(), 3u) << t.parser;
  for (const auto& it : o.items) EXPECT_FALSE(it.time.dated()) << t.parser;
  EXPECT_EQ(o.failures, 0u);
}

TEST_P(Corruption, InvalidUtf8IsReplacedAndCounted) {
  const Target& t = GetParam();
  TempDir dir;
  build_db(dir.path() / t.path, t, kRows, [&](sqlite3* db) { exec(db, t.bad_utf8); });
  auto o = run(dir.path(), t.parser);
  EXPECT_EQ(o.items.size(), static_cast<size_t>(kRows)) << t.parser;
  EXPECT_TRUE(o.codes.count("bad_utf8")) << t.parser;
  bool found = false;
  for (const auto& it : o.items)
    for (const std::string* s : {&it.body, &it.title})
      if (s->find("\xEF\xBF\xBD") != std::string::npos) found = true;
  for (const auto& it : o.items)
    for (const auto& p : it.parties)
      if (p.name.find("\xEF\xBF\xBD") != std::string::npos) found = true;
  EXPECT_TRUE(found) << t.parser << ": the replacement character should appear where the bad bytes were";
  EXPECT_EQ(o.failures, 0u);
}

TEST_P(Corruption, FiftyMegabyteBody) {
  const Target& t = GetParam();
  TempDir dir;
  build_db(dir.path() / t.path, t, 20, [&](sqlite3* db) {
    sqlite3_stmt* st = nullptr;
    ASSERT_EQ(sqlite3_prepare_v2(db, t.huge.c_str(), -1, &st, nullptr), SQLITE_OK);
    std::string big(kHuge, 'a');
    sqlite3_bind_text(st, 1, big.data(), static_cast<int>(big.size()), SQLITE_TRANSIENT);
    ASSERT_EQ(sqlite3_step(st), SQLITE_DONE);
    sqlite3_finalize(st);
  });
  auto o = run(dir.path(), t.parser);
  EXPECT_EQ(o.items.size(), 20u) << t.parser;
  size_t longest = 0;
  for (const auto& it : o.items) {
    longest = std::max({longest, it.body.size(), it.title.size()});
    for (const auto& p : it.parties) longest = std::max(longest, p.name.size());
  }
  EXPECT_EQ(longest, kHuge) << t.parser << ": the 50 MB value is kept whole";
  EXPECT_EQ(o.failures, 0u);
}

std::string target_name(const ::testing::TestParamInfo<Target>& info) {
  std::string n = info.param.parser;
  for (char& c : n)
    if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
  return n;
}

INSTANTIATE_TEST_SUITE_P(Android, Corruption, ::testing::ValuesIn(targets()), target_name);

// MMS: a missing addr/part table still gives the pdu rows, with warnings.
TEST(CorruptionMms, MissingAddrAndPartTables) {
  TempDir dir;
  const fs::path file = dir.path() / "data/data/com.android.providers.telephony/databases/mmssms.db";
  fs::create_directories(file.parent_path());
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(file.c_str(), &db), SQLITE_OK);
  exec(db,
       "CREATE TABLE sms (_id INTEGER PRIMARY KEY, address TEXT, date INTEGER, type INTEGER, body TEXT);"
       "CREATE TABLE pdu (_id INTEGER PRIMARY KEY, thread_id INTEGER, date INTEGER, msg_box INTEGER, m_type INTEGER);"
       "INSERT INTO pdu VALUES (1, 1, 1700000000, 1, 132), (2, 1, 1700000100, 2, 128);");
  sqlite3_close(db);
  auto o = run(dir.path(), "android.sms");
  EXPECT_EQ(o.items.size(), 2u);
  EXPECT_GE(o.codes.count("missing_table"), 2u);  // addr and part
  EXPECT_EQ(o.failures, 0u);
}

// Media: damaged, empty and huge image files still give one media item each,
// timed by the file, with a warning where the metadata was unreadable.
TEST(CorruptionMedia, DamagedImagesStillGiveItems) {
  TempDir dir;
  const fs::path cam = dir.path() / "data/media/0/DCIM/Camera";
  fs::create_directories(cam);
  write_file(cam / "empty.jpg", "");
  write_file(cam / "garbage.jpg", std::string(5000, '\x07'));
  // A JPEG start-of-image followed by a truncated APP1 (Exif) segment.
  write_file(cam / "truncated.jpg", std::string("\xFF\xD8\xFF\xE1\x40\x00"
                                                "Exif\0\0II*\0\x08\0\0\0",
                                                20));
  write_file(cam / "huge.heic", std::string(kHuge, '\0'));
  write_file(cam / "broken.mp4", std::string("\0\0\0\x02"
                                             "moov",
                                             8) +
                                     std::string(100, 'x'));
  auto o = run(dir.path(), "android.media");
  EXPECT_EQ(o.items.size(), 5u);
  for (const auto& it : o.items) {
    EXPECT_EQ(it.time.source, TimeSource::file_mtime) << it.title;
    ASSERT_TRUE(it.file.has_value());
    EXPECT_EQ(it.file->sha256.size(), 64u) << it.title;
  }
  EXPECT_TRUE(o.codes.count("corrupt"));
  EXPECT_EQ(o.failures, 0u);
}

}  // namespace
}  // namespace remit::test
