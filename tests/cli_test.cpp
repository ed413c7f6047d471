// The remit executable as a user runs it: help, exit codes, the audited
// unscoped dump, evidence immutability, and no copy of evidence on disk.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <nlohmann/json.hpp>

#include "support/golden.hpp"
#include "support/support.hpp"

namespace remit::test {
namespace {

const char* kSmsPath = "data/data/com.android.providers.telephony/databases/mmssms.db";
const char* kMarker = "UNIQUE-MARKER-7f3a9c body that must never be copied to disk";

// A small SQL-built extraction with one distinctive message body.
std::string fixture_db(const fs::path& dir) {
  build_sqlite(dir / "mmssms.db",
               std::string("CREATE TABLE sms (_id INTEGER PRIMARY KEY, thread_id INTEGER, address TEXT, date INTEGER, "
                           "date_sent INTEGER DEFAULT 0, type INTEGER, body TEXT, read INTEGER);"
                           "INSERT INTO sms VALUES (1, 1, '07700 900123', 1773400000000, 0, 1, '") +
                   kMarker +
                   "', 1);"
                   "INSERT INTO sms VALUES (2, 1, '07700 900123', 1773400060000, 0, 2, 'reply', 1);");
  return read_file(dir / "mmssms.db");
}

TEST(Cli, HelpAndVersionOnEveryCommand) {
  auto top = run_remit({"--help"});
  EXPECT_EQ(top.exit_code, 0);
  EXPECT_NE(top.out.find("inspect"), std::string::npos);
  auto v = run_remit({"--version"});
  EXPECT_EQ(v.exit_code, 0);
  EXPECT_NE(v.out.find("remit "), std::string::npos);
  for (const char* cmd : {"inspect", "items", "synth"}) {
    auto h = run_remit({cmd, "--help"});
    EXPECT_EQ(h.exit_code, 0) << cmd;
    EXPECT_NE(h.out.find("Usage"), std::string::npos) << cmd;
  }
}

TEST(Cli, UsageErrorsExitWithTwoAndNameTheProblem) {
  EXPECT_EQ(run_remit({}).exit_code, 2);
  EXPECT_EQ(run_remit({"no-such-command"}).exit_code, 2);
  EXPECT_EQ(run_remit({"inspect", "--no-such-flag", "x"}).exit_code, 2);
  auto missing = run_remit({"inspect", "/nonexistent/ev.tar"});
  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_NE(missing.err.find("/nonexistent/ev.tar"), std::string::npos);
}

TEST(Cli, UnscopedItemsRefusesWithoutReasonAndAuditsWithOne) {
  TempDir t;
  make_tar(t / "ev.tar", {{kSmsPath, fixture_db(t.path())}});
  const std::map<std::string, std::string> env = {{"REMIT_STATE_DIR", (t / "state").string()}};
  auto no_flag = run_remit({"items", (t / "ev.tar").string()}, env);
  EXPECT_EQ(no_flag.exit_code, 2);
  EXPECT_TRUE(no_flag.out.empty());
  auto no_reason = run_remit({"items", (t / "ev.tar").string(), "--unscoped"}, env);
  EXPECT_EQ(no_reason.exit_code, 2);
  auto blank = run_remit({"items", (t / "ev.tar").string(), "--unscoped", "--reason", "   "}, env);
  EXPECT_EQ(blank.exit_code, 2);
  EXPECT_TRUE(blank.out.empty());
  EXPECT_FALSE(fs::exists(t / "state/unscoped-audit.jsonl"));

  auto ok = run_remit({"items", (t / "ev.tar").string(), "--unscoped", "--reason", "validate sms parser"}, env);
  ASSERT_EQ(ok.exit_code, 0) << ok.err;
  auto items = parse_items(ok.out);
  ASSERT_EQ(items.size(), 2u);
  EXPECT_EQ(items[0].body, kMarker);
  EXPECT_EQ(items[0].parties[0].normalised, "+447700900123");
  const auto log = read_file(t / "state/unscoped-audit.jsonl");
  auto j = nlohmann::json::parse(log.substr(0, log.find('\n')));
  EXPECT_EQ(j["reason"], "validate sms parser");
  EXPECT_EQ(j["evidence_sha256"], sha256_of_file(t / "ev.tar"));
  EXPECT_FALSE(j["user"].get<std::string>().empty());
  EXPECT_FALSE(j["time"].get<std::string>().empty());
  EXPECT_EQ(log.find(kMarker), std::string::npos) << "the audit log holds no content";
  struct stat st {};
  ASSERT_EQ(::stat((t / "state/unscoped-audit.jsonl").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
}

TEST(Cli, UnscopedItemsRefusesWhenTheAuditLogCannotBeWritten) {
  TempDir t;
  make_tar(t / "ev.tar", {{kSmsPath, fixture_db(t.path())}});
  write_file(t / "not-a-dir", "x");  // the state dir path is a file
  auto r = run_remit({"items", (t / "ev.tar").string(), "--unscoped", "--reason", "x"},
                     {{"REMIT_STATE_DIR", (t / "not-a-dir").string()}});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_TRUE(r.out.empty()) << "nothing may be shown without an audit record";
}

TEST(Cli, PlasoTarGivesTwelveJsonLines) {
  REMIT_REQUIRE_CONFORMANCE(conf);
  TempDir t;
  make_tar(t / "plaso.tar", {{"data/user_de/0/com.android.providers.telephony/databases/mmssms.db",
                              read_file(conf / "plaso/android-mmssms.db")},
                             {"data/data/com.android.providers.contacts/databases/contacts2.db",
                              read_file(conf / "plaso/android-contacts2.db")}});
  auto r = run_remit({"items", (t / "plaso.tar").string(), "--unscoped", "--reason", "test", "--region", "US"},
                     {{"REMIT_STATE_DIR", (t / "state").string()}});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto items = parse_items(r.out);
  ASSERT_EQ(items.size(), 12u);
  size_t calls = 0;
  for (const auto& it : items) calls += it.category == Category::call;
  EXPECT_EQ(calls, 3u);
  auto insp = run_remit({"inspect", (t / "plaso.tar").string(), "--json"});
  ASSERT_EQ(insp.exit_code, 0) << insp.err;
  auto j = nlohmann::json::parse(insp.out);
  EXPECT_EQ(j["sha256"], sha256_of_file(t / "plaso.tar"));
  EXPECT_EQ(j["items_by_category"]["message"], 9);
  EXPECT_EQ(j["items_by_category"]["call"], 3);
  EXPECT_EQ(insp.out.find("Yo Fred"), std::string::npos) << "inspect prints no content";
}

struct TreeState {
  std::map<std::string, std::string> hashes;
  std::map<std::string, int64_t> mtimes;
  bool operator==(const TreeState&) const = default;
};

TreeState snapshot(const fs::path& p) {
  TreeState s;
  if (fs::is_regular_file(p)) {
    s.hashes[p.filename().string()] = sha256_of_file(p);
    s.mtimes[p.filename().string()] = fs::last_write_time(p).time_since_epoch().count();
    return s;
  }
  for (auto& e : fs::recursive_directory_iterator(p)) {
    const auto rel = fs::relative(e.path(), p).string();
    s.hashes[rel] = e.is_regular_file() ? sha256_of_file(e.path()) : "dir";
    s.mtimes[rel] = fs::last_write_time(e.path()).time_since_epoch().count();
  }
  return s;
}

TEST(Safety, EvidenceIsUnchangedByEveryCommand) {
  TempDir t;
  const std::string db = fixture_db(t.path());
  // The database ships with a WAL, which a careless reader would checkpoint.
  build_sqlite(t / "wal/mmssms.db",
               "CREATE TABLE sms (_id INTEGER PRIMARY KEY, address TEXT, date INTEGER, type INTEGER, body TEXT);",
               "INSERT INTO sms VALUES (1, '07700900123', 1773400000000, 1, 'wal row');");
  make_folder(t / "folder", {{kSmsPath, read_file(t / "wal/mmssms.db")},
                             {std::string(kSmsPath) + "-wal", read_file(t / "wal/mmssms.db-wal")}});
  make_tar(t / "ev.tar", {{kSmsPath, db}});
  make_tar(t / "ev.tar.gz", {{kSmsPath, db}}, true);
  make_zip(t / "ev.zip", {{kSmsPath, db}});
  const std::map<std::string, std::string> env = {{"REMIT_STATE_DIR", (t / "state").string()}};
  for (const char* ev : {"folder", "ev.tar", "ev.tar.gz", "ev.zip"}) {
    const auto before = snapshot(t / ev);
    EXPECT_EQ(run_remit({"inspect", (t / ev).string()}, env).exit_code, 0) << ev;
    EXPECT_EQ(run_remit({"inspect", (t / ev).string(), "--json", "--md5"}, env).exit_code, 0) << ev;
    auto items = run_remit({"items", (t / ev).string(), "--unscoped", "--reason", "immutability test"}, env);
    EXPECT_EQ(items.exit_code, 0) << ev << items.err;
    EXPECT_FALSE(items.out.empty()) << ev;
    EXPECT_EQ(snapshot(t / ev), before) << ev << " changed (content, mtime, or new files such as -shm)";
  }
}

TEST(Safety, NoCopyOfAnEvidenceDatabaseReachesDisk) {
  TempDir fixtures, runtime;
  const std::string db = fixture_db(fixtures.path());
  make_tar(fixtures / "ev.tar", {{kSmsPath, db}});
  for (const char* d : {"tmp", "cwd", "home", "state"}) fs::create_directories(runtime / d);
  const std::map<std::string, std::string> env = {{"TMPDIR", (runtime / "tmp").string()},
                                                  {"HOME", (runtime / "home").string()},
                                                  {"XDG_STATE_HOME", (runtime / "state").string()},
                                                  {"REMIT_STATE_DIR", ""},
                                                  {"SQLITE_TMPDIR", (runtime / "tmp").string()}};
  for (const auto& args : std::vector<std::vector<std::string>>{
           {"inspect", (fixtures / "ev.tar").string()},
           {"items", (fixtures / "ev.tar").string(), "--unscoped", "--reason", "disk copy test"}}) {
    auto r = run_remit(args, env, runtime / "cwd");
    ASSERT_EQ(r.exit_code, 0) << r.err;
  }
  // Distinctive pieces of the database: its first page and the marker.
  const std::string page1 = db.substr(0, 512);
  const std::string page2 = db.substr(db.size() - 1024);
  size_t files = 0;
  for (auto& e : fs::recursive_directory_iterator(runtime.path())) {
    if (!e.is_regular_file()) continue;
    ++files;
    const std::string content = read_file(e.path());
    EXPECT_EQ(content.find(page1), std::string::npos) << e.path();
    EXPECT_EQ(content.find(page2), std::string::npos) << e.path();
    EXPECT_EQ(content.find(kMarker), std::string::npos) << e.path();
    EXPECT_EQ(content.find("SQLite format 3"), std::string::npos) << e.path();
  }
  EXPECT_EQ(files, 1u) << "only the unscoped audit log is written";
}

}  // namespace
}  // namespace remit::test
