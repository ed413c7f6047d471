// `remit inspect` on a hand-built Android extraction: every Android artifact
// is detected with the item counts its fixture holds, and the app folders no
// parser covers (another app, a secondary user, Samsung Secure Folder, an
// external app folder) are listed with name and size only.
//
// The extraction is assembled from the golden cases' inputs (the same SQL and
// binary fixtures; their expected items are hand-written in
// tests/cases/android_*/expected.jsonl), plus a Chrome History built here.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <iostream>
#include <nlohmann/json.hpp>

#include "support/golden.hpp"
#include "support/support.hpp"

namespace remit::test {
namespace {

// Copies a golden case's materialised input tree into `root`.
void add_case(const std::string& name, const fs::path& root, const fs::path& scratch) {
  for (const auto& c : golden_cases()) {
    if (c.name != name) continue;
    GoldenCase folder = c;
    folder.spec["layout"] = "folder";
    std::string skip;
    const fs::path tree = build_case_evidence(folder, scratch / name, skip);
    ASSERT_FALSE(tree.empty()) << skip;
    fs::copy(tree, root, fs::copy_options::recursive | fs::copy_options::overwrite_existing);
    return;
  }
  FAIL() << "no golden case " << name;
}

void chrome_history(const fs::path& file) {
  fs::create_directories(file.parent_path());
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(file.c_str(), &db), SQLITE_OK);
  const char* sql =
      "CREATE TABLE urls(id INTEGER PRIMARY KEY,url LONGVARCHAR,title LONGVARCHAR,visit_count INTEGER DEFAULT 0 NOT "
      "NULL,typed_count INTEGER DEFAULT 0 NOT NULL,last_visit_time INTEGER NOT NULL,hidden INTEGER DEFAULT 0 NOT NULL);"
      "CREATE TABLE visits(id INTEGER PRIMARY KEY,url INTEGER NOT NULL,visit_time INTEGER NOT NULL,from_visit INTEGER,"
      "transition INTEGER DEFAULT 0 NOT NULL,segment_id INTEGER,visit_duration INTEGER DEFAULT 0 NOT NULL);"
      "INSERT INTO urls VALUES (1,'https://example.org/a','A',2,0,13345000000000000,0);"
      "INSERT INTO visits VALUES (1,1,13344000000000000,0,805306368,0,0),(2,1,13345000000000000,1,805306376,0,0);";
  ASSERT_EQ(sqlite3_exec(db, sql, nullptr, nullptr, nullptr), SQLITE_OK);
  sqlite3_close(db);
}

TEST(AndroidInspect, ListsEveryArtifactWithCountsAndTheCoverageList) {
  TempDir dir;
  const fs::path root = dir.path() / "extraction";
  fs::create_directories(root);
  for (const char* c :
       {"android_sms_mms_schema", "android_calllog_calllogdb", "android_calllog_samsung_logs",
        "android_contacts_schema", "android_whatsapp_current", "android_bugle_schema", "android_media_dcim"})
    add_case(c, root, dir.path() / "scratch");
  chrome_history(root / "data/data/com.android.chrome/app_chrome/Default/History");
  // App data that no parser reads.
  write_file(root / "data/data/com.example.notes/databases/notes.db", std::string(1000, 'n'));
  write_file(root / "data/data/com.example.notes/shared_prefs/p.xml", std::string(24, 'p'));
  write_file(root / "data/user/10/com.example.chat/files/chat.bin", std::string(300, 'c'));
  write_file(root / "data/user/150/com.samsung.android.app.notes/databases/sn.db", std::string(200, 's'));
  write_file(root / "data/media/0/Android/data/com.example.game/files/save.dat", std::string(50, 'g'));

  auto r = run_remit({"inspect", root.string(), "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  const auto& by = j["items_by_parser"];
  // Counts from the fixtures (see each case's expected.jsonl):
  EXPECT_EQ(by["android.sms"]["message"], 11);   // 5 sms + 1 spam_sms + 5 pdu
  EXPECT_EQ(by["android.calllog"]["call"], 11);  // calllog.db 5 + logs.db 6 (1 SMS snippet skipped)
  EXPECT_EQ(by["android.contacts"]["contact"], 3);
  EXPECT_EQ(by["android.whatsapp"]["message"], 10);
  EXPECT_EQ(by["android.whatsapp"]["call"], 3);
  EXPECT_EQ(by["android.whatsapp_contacts"]["contact"], 3);
  EXPECT_EQ(by["android.bugle"]["message"], 6);
  EXPECT_EQ(by["android.chrome"]["web_visit"], 2);
  EXPECT_EQ(by["android.media"]["media"], 7);  // 6 camera/screenshot files + 1 WhatsApp image
  EXPECT_EQ(j["items_by_category"]["message"], 27);
  EXPECT_EQ(j["items_by_category"]["call"], 14);
  EXPECT_EQ(j["items_by_category"]["contact"], 6);

  std::set<std::string> parsers;
  for (const auto& a : j["artifacts"]) parsers.insert(a["parser"].get<std::string>());
  for (const char* p : {"android.sms", "android.calllog", "android.contacts", "android.whatsapp",
                        "android.whatsapp_contacts", "android.bugle", "android.chrome", "android.media"})
    EXPECT_TRUE(parsers.count(p)) << p << " not detected";
  for (const auto& w : j["warnings"]) EXPECT_NE(w["code"], "parser_failed") << w.dump();

  // The user's own files are counted, never named; databases are listed.
  uint64_t media_files = 0;
  for (const auto& a : j["artifacts"]) {
    if (a["parser"] == "android.media") {
      media_files = a["user_files"].get<uint64_t>();
      EXPECT_TRUE(a["databases"].empty()) << a.dump();
    }
    if (a["parser"] == "android.sms") {
      ASSERT_EQ(a["databases"].size(), 1u) << a.dump();
      EXPECT_NE(a["databases"][0]["path"].get<std::string>().find("mmssms.db"), std::string::npos);
    }
  }
  // Every file in the media folders is a detection (thumbnails and .nomedia
  // included, though they give no items).
  uint64_t on_disk = 0;
  for (const char* sub : {"DCIM", "Pictures", "Movies", "Android/media/com.whatsapp"}) {
    const fs::path d = root / "data/media/0" / sub;
    if (!fs::exists(d)) continue;
    for (const auto& f : fs::recursive_directory_iterator(d)) on_disk += f.is_regular_file() ? 1 : 0;
  }
  EXPECT_GE(on_disk, 7u);
  EXPECT_EQ(media_files, on_disk);
  for (const auto& out : {r.out, run_remit({"inspect", root.string()}).out}) {
    for (const char* ext : {".jpg", ".jpeg", ".mp4", ".png", ".heic"})
      EXPECT_EQ(out.find(ext), std::string::npos) << "inspect named a user file (" << ext << ")";
  }

  std::map<std::string, nlohmann::json> uncovered;
  for (const auto& u : j["not_covered"]) uncovered[u["name"].get<std::string>()] = u;
  ASSERT_TRUE(uncovered.count("com.example.notes")) << j["not_covered"].dump();
  EXPECT_EQ(uncovered["com.example.notes"]["kind"], "android_app");
  EXPECT_EQ(uncovered["com.example.notes"]["files"], 2);
  EXPECT_EQ(uncovered["com.example.notes"]["bytes"], 1024);
  ASSERT_TRUE(uncovered.count("user 10: com.example.chat"));
  EXPECT_EQ(uncovered["user 10: com.example.chat"]["kind"], "android_user");
  ASSERT_TRUE(uncovered.count("user 150: com.samsung.android.app.notes"));
  EXPECT_EQ(uncovered["user 150: com.samsung.android.app.notes"]["kind"], "secure_folder");
  ASSERT_TRUE(uncovered.count("com.example.game"));
  EXPECT_EQ(uncovered["com.example.game"]["bytes"], 50);
  // Apps a parser read are not listed, whatever folder of theirs holds other files.
  for (const char* covered :
       {"com.whatsapp", "com.android.providers.telephony", "com.android.providers.contacts",
        "com.google.android.apps.messaging", "com.android.chrome", "com.sec.android.provider.logsprovider"})
    EXPECT_FALSE(uncovered.count(covered)) << covered;
  EXPECT_EQ(uncovered.size(), 4u) << j["not_covered"].dump();

  // Text output: names and sizes only, never content.
  auto t = run_remit({"inspect", root.string()});
  ASSERT_EQ(t.exit_code, 0);
  std::cout << t.out;  // names, counts and sizes only (asserted below)
  EXPECT_NE(t.out.find("not covered by any parser (4)"), std::string::npos) << t.out;
  EXPECT_NE(t.out.find("user 150: com.samsung.android.app.notes"), std::string::npos);
  EXPECT_EQ(t.out.find("hello"), std::string::npos);
  EXPECT_EQ(t.out.find("group msg from Bob"), std::string::npos);
}

}  // namespace
}  // namespace remit::test
