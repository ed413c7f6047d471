// inspect's coverage list for iOS: app containers and app groups that no
// parser reads, named by MCMMetadataIdentifier (container manager metadata)
// when present, with file counts and sizes only, never content.
#include <gtest/gtest.h>

#include "remit/registry.hpp"
#include "remit/source.hpp"
#include "support/golden.hpp"
#include "support/support.hpp"

namespace remit::test {
namespace {

std::string mcm_plist(const std::string& id) {
  return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<plist version=\"1.0\"><dict>"
         "<key>MCMMetadataContentClass</key><integer>2</integer>"
         "<key>MCMMetadataIdentifier</key><string>" +
         id + "</string><key>MCMMetadataVersion</key><integer>6</integer></dict></plist>\n";
}

FixtureEntry file(std::string name, std::string data) {
  FixtureEntry e;
  e.name = std::move(name);
  e.data = std::move(data);
  return e;
}

TEST(IosCoverage, ContainersNoParserReadsAreListedByBundleId) {
  TempDir t;
  const std::string app = "private/var/mobile/Containers/Data/Application/";
  const std::string grp = "private/var/mobile/Containers/Shared/AppGroup/";
  const std::string secret = "a secret note that must never be printed";
  std::vector<FixtureEntry> e = {
      file(app + "11111111-AAAA-4AAA-8AAA-111111111111/.com.apple.mobile_container_manager.metadata.plist",
           mcm_plist("com.example.notes")),
      file(app + "11111111-AAAA-4AAA-8AAA-111111111111/Documents/note.txt", secret),
      file(app + "22222222-BBBB-4BBB-8BBB-222222222222/Library/x.db", "0123456789"),
      file(grp + "33333333-CCCC-4CCC-8CCC-333333333333/.com.apple.mobile_container_manager.metadata.plist",
           mcm_plist("group.com.example.shared")),
      file(grp + "33333333-CCCC-4CCC-8CCC-333333333333/Library/prefs.plist", "abc"),
      // An identifier that is a path is refused: the UUID stays the name.
      file(app + "44444444-DDDD-4DDD-8DDD-444444444444/.com.apple.mobile_container_manager.metadata.plist",
           mcm_plist("../../evil")),
      file(app + "44444444-DDDD-4DDD-8DDD-444444444444/a", "1"),
  };
  // A WhatsApp group with a database a parser reads: covered, not listed.
  build_sqlite(t / "chat.db", "CREATE TABLE ZWAMESSAGE (Z_PK INTEGER PRIMARY KEY, ZTEXT VARCHAR);");
  e.push_back(file(grp + "55555555-EEEE-4EEE-8EEE-555555555555/ChatStorage.sqlite", read_file(t / "chat.db")));
  e.push_back(file(grp + "55555555-EEEE-4EEE-8EEE-555555555555/.com.apple.mobile_container_manager.metadata.plist",
                   mcm_plist("group.net.whatsapp.WhatsApp.shared")));
  make_folder(t / "ev", e);

  auto src = open_source(t / "ev");
  ASSERT_TRUE(src.ok());
  auto det = detect_artifacts(**src);
  auto areas = uncovered_areas(**src, det);
  std::map<std::string, UncoveredArea> by_name;
  for (const auto& a : areas) by_name[a.name] = a;
  ASSERT_EQ(areas.size(), 4u);
  ASSERT_TRUE(by_name.count("com.example.notes"));
  EXPECT_EQ(by_name["com.example.notes"].kind, "ios_app_container");
  EXPECT_EQ(by_name["com.example.notes"].files, 2u);
  EXPECT_EQ(by_name["com.example.notes"].path, app + "11111111-AAAA-4AAA-8AAA-111111111111");
  ASSERT_TRUE(by_name.count("22222222-BBBB-4BBB-8BBB-222222222222"));
  EXPECT_EQ(by_name["22222222-BBBB-4BBB-8BBB-222222222222"].bytes, 10u);
  ASSERT_TRUE(by_name.count("group.com.example.shared"));
  EXPECT_EQ(by_name["group.com.example.shared"].kind, "ios_app_group");
  EXPECT_TRUE(by_name.count("44444444-DDDD-4DDD-8DDD-444444444444"));
  EXPECT_FALSE(by_name.count("group.net.whatsapp.WhatsApp.shared"));

  // The CLI shows names and sizes, never file content.
  auto r = run_remit({"inspect", (t / "ev").string(), "--json"}, {{"XDG_STATE_HOME", (t / "state").string()}});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("com.example.notes"), std::string::npos);
  EXPECT_NE(r.out.find("\"ios_app_group\""), std::string::npos);
  EXPECT_EQ(r.out.find(secret), std::string::npos);
  EXPECT_EQ(r.err.find(secret), std::string::npos);
}

}  // namespace
}  // namespace remit::test
