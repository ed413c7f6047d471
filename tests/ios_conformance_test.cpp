// iOS conformance against the peer tools' counts (../shared/conformance),
// and the same evidence through every input form: zip, tar, tar.gz, folder,
// each full-file-system prefix, a plain iTunes backup and an encrypted one.
// Counts are printed per file next to the peer's, for the issue note.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>

#include "remit/evidence_db.hpp"
#include "remit/registry.hpp"
#include "remit/source.hpp"
#include "source/itunes_backup_writer.hpp"
#include "support/support.hpp"

namespace remit::test {
namespace {

FixtureEntry file_entry(std::string name, std::string data) {
  FixtureEntry e;
  e.name = std::move(name);
  e.data = std::move(data);
  return e;
}

struct Scan {
  std::vector<Item> items;
  std::vector<Warning> warnings;
  std::map<std::string, size_t> live;       // "parser/category" -> count
  std::map<std::string, size_t> recovered;  // same, recovered rows
};

Scan scan(const fs::path& evidence, const SourceOptions& so_in = {}, const std::string& region = "US") {
  SourceOptions so = so_in;
  so.hash_container = false;
  so.retain = is_wanted_path;
  auto src = open_source(evidence, so);
  EXPECT_TRUE(src.ok()) << evidence << ": " << (src.ok() ? "" : src.error().message);
  Scan s;
  if (!src) return s;
  PartyNormaliser parties(region);
  auto out = scan_source(**src, parties, [&](Item&& it) {
    const std::string key = it.provenance.parser + "/" + std::string(to_string(it.category));
    ++(it.recovered ? s.recovered : s.live)[key];
    s.items.push_back(std::move(it));
  });
  s.warnings = std::move(out.warnings);
  return s;
}

void report(const std::string& file, const std::string& what, size_t ours, size_t peer, size_t recovered = 0) {
  std::printf("[ conform  ] %-62s %-22s remit %3zu  peer %3zu  recovered %zu\n", file.c_str(), what.c_str(), ours, peer,
              recovered);
}

TEST(IosConformance, PlasoMessagesDatabase) {
  REMIT_REQUIRE_CONFORMANCE(conf);
  TempDir t;
  make_folder(t / "ev",
              {file_entry("private/var/mobile/Library/SMS/sms.db", read_file(conf / "plaso/macos-imessage-chat.db"))});
  auto s = scan(t / "ev", {}, "GB");
  report("plaso/macos-imessage-chat.db", "messages", s.live["ios.sms/message"], 10);
  EXPECT_EQ(s.live["ios.sms/message"], 10u);
  EXPECT_TRUE(s.recovered.empty());
}

struct Peer {
  const char* zip;
  const char* key;
  size_t peer;
};

TEST(IosConformance, IleappZipsMatchThePeerCounts) {
  REMIT_REQUIRE_CONFORMANCE(conf);
  const Peer peers[] = {
      {"testdata.whatsApp.whatsAppMessages.josh_ios15_ffs.zip", "ios.whatsapp/message", 32},
      {"testdata.whatsApp.whatsAppCallHistory.josh_ios15_ffs.zip", "ios.whatsapp/call", 4},
      {"testdata.whatsApp.whatsAppContacts.josh_ios15_ffs.zip", "ios.whatsapp_contacts/contact", 9},
      {"testdata.addressBook.addressBook.josh_ios15_ffs.zip", "ios.addressbook/contact", 9},
      {"testdata.addressBook.addressBook.belkasoft_ctf6_ios_device1.zip", "ios.addressbook/contact", 1},
      {"testdata.addressBook.addressBook.mvs_ios_2023.zip", "ios.addressbook/contact", 0},
      {"testdata.whatsApp.whatsAppCallHistory.mvs_ios_2023.zip", "ios.whatsapp/call", 0},
      {"testdata.whatsApp.whatsAppContacts.mvs_ios_2023.zip", "ios.whatsapp_contacts/contact", 0},
  };
  for (const auto& p : peers) {
    auto s = scan(conf / "ileapp" / p.zip);
    const size_t ours = s.live[p.key];
    report(std::string("ileapp/") + p.zip, p.key, ours, p.peer, s.recovered[p.key]);
    EXPECT_EQ(ours, p.peer) << p.zip;
    for (const auto& w : s.warnings) EXPECT_NE(w.code, "parser_failed") << p.zip << ": " << w.message;
  }
}

TEST(IosConformance, AppDefinedFunctionsInTheRealSchemaNeverStopARead) {
  // The real AddressBook schema has triggers calling
  // ab_update_value_from_trigger() and defaults calling ab_generate_guid(),
  // functions only the Contacts process registers. The evidence connection
  // must read it all without them.
  REMIT_REQUIRE_CONFORMANCE(conf);
  auto src = open_source(conf / "ileapp" / "testdata.addressBook.addressBook.josh_ios15_ffs.zip");
  ASSERT_TRUE(src.ok());
  const Entry* e = (*src)->find("private/var/mobile/Library/AddressBook/AddressBook.sqlitedb");
  const Entry* w = (*src)->find("private/var/mobile/Library/AddressBook/AddressBook.sqlitedb-wal");
  ASSERT_TRUE(e && w);
  auto db = EvidenceDb::open(*(*src)->read(*e, 64 << 20), *(*src)->read(*w, 64 << 20), std::nullopt, "ab");
  ASSERT_TRUE(db.ok()) << db.error().message;
  auto st = db->prepare(
      "SELECT count(*) FROM sqlite_master WHERE sql LIKE '%ab_update_value_from_trigger%' OR sql LIKE "
      "'%ab_generate_guid%'");
  ASSERT_TRUE(st.ok() && st->step());
  EXPECT_GT(st->i64(0), 5) << "the sample's schema should call the app's functions";
  auto s = scan(conf / "ileapp" / "testdata.addressBook.addressBook.josh_ios15_ffs.zip");
  EXPECT_EQ(s.live["ios.addressbook/contact"], 9u);
  for (const auto& w2 : s.warnings) EXPECT_NE(w2.code, "unreadable_table") << w2.message;
}

TEST(IosConformance, MvsAddressBookWalHoldsNoPerson) {
  // What the mvs_ios_2023 WAL holds (shown with a frame walk and sqlite3 on
  // each committed state): schema creation, ABStore/ABAccount rows, no
  // person in any state. So: no live and no recovered people.
  REMIT_REQUIRE_CONFORMANCE(conf);
  auto s = scan(conf / "ileapp" / "testdata.addressBook.addressBook.mvs_ios_2023.zip");
  EXPECT_TRUE(s.items.empty());
  EXPECT_TRUE(s.recovered.empty());
  for (const auto& w : s.warnings) EXPECT_NE(w.code, "unreadable_database") << w.message;
}

// ---- the same evidence through every input form ---------------------------

// Items minus what depends on the container (its name and the raw entry
// name), sorted: compressed streams run their parsers in entry order (one
// forward pass), so the order of emission may differ between forms; the
// items themselves may not.
std::vector<std::string> comparable(std::vector<Item> items) {
  std::vector<std::string> out;
  for (auto& it : items) {
    it.provenance.container.clear();
    it.provenance.entry_name.clear();
    out.push_back(to_json_line(it));
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::vector<FixtureEntry> zip_entries(const fs::path& zip) {
  // Extract with the library under test's own reader, the simplest way to
  // list real entries; the bytes are copied into new fixtures only.
  std::vector<FixtureEntry> out;
  auto src = open_source(zip);
  EXPECT_TRUE(src.ok());
  if (!src) return out;
  for (const Entry& e : (*src)->entries()) {
    if (e.type != EntryType::file) continue;
    auto b = (*src)->read(e, 64 << 20);
    EXPECT_TRUE(b.ok());
    out.push_back(file_entry(e.path, std::string(b->begin(), b->end())));
  }
  return out;
}

std::vector<FixtureEntry> with_prefix(const std::vector<FixtureEntry>& in, const std::string& from,
                                      const std::string& to) {
  std::vector<FixtureEntry> out;
  for (auto e : in) {
    EXPECT_EQ(e.name.rfind(from, 0), 0u) << e.name;
    e.name = to + e.name.substr(from.size());
    out.push_back(e);
  }
  return out;
}

TEST(IosInputs, SameItemsFromEveryContainerAndPrefix) {
  REMIT_REQUIRE_CONFORMANCE(conf);
  TempDir t;
  // WhatsApp messages + calls + contacts, and the Address Book with its WAL.
  auto entries = zip_entries(conf / "ileapp/testdata.whatsApp.whatsAppCallHistory.josh_ios15_ffs.zip");
  for (auto& e : zip_entries(conf / "ileapp/testdata.whatsApp.whatsAppMessages.josh_ios15_ffs.zip"))
    entries.push_back(e);
  for (auto& e : zip_entries(conf / "ileapp/testdata.addressBook.addressBook.josh_ios15_ffs.zip"))
    if (e.name.find("AddressBookImages") == std::string::npos) entries.push_back(e);
  // De-duplicate (ContactsV2 is in two zips).
  std::map<std::string, std::string> uniq;
  for (auto& e : entries) uniq[e.name] = e.data;
  entries.clear();
  for (auto& [n, d] : uniq) entries.push_back(file_entry(n, d));

  make_folder(t / "reference", entries);
  const auto want = comparable(scan(t / "reference").items);
  ASSERT_EQ(want.size(), 32u + 4 + 9 + 9);

  const std::string base = "private/var/mobile/";
  const std::vector<std::pair<std::string, std::string>> prefixes = {
      {"filesystem1", "filesystem1/private/var/mobile/"},
      {"filesystem2", "filesystem2/mobile/"},
      {"absolute", "/private/var/mobile/"},
      {"var_mobile", "var/mobile/"},
      {"fs", "fs/private/var/mobile/"},
  };
  for (const auto& [name, prefix] : prefixes) {
    const auto pe = with_prefix(entries, base, prefix);
    make_tar(t / (name + ".tar"), pe);
    make_tar(t / (name + ".tar.gz"), pe, true);
    make_zip(t / (name + ".zip"), pe);
    if (prefix.front() != '/') make_folder(t / (name + "_folder"), pe);
    for (const std::string& ev : {name + ".tar", name + ".tar.gz", name + ".zip", name + "_folder"}) {
      if (!fs::exists(t / ev)) continue;
      EXPECT_EQ(comparable(scan(t / ev).items), want) << ev;
    }
  }

  // iTunes/Finder backups: the same files in their domains.
  std::vector<backup::BackupFile> files;
  const std::string group = "private/var/mobile/Containers/Shared/AppGroup/";
  for (const auto& e : entries) {
    backup::BackupFile f;
    if (e.name.rfind(group, 0) == 0) {
      // Keep the container's folder name as the group id so paths match.
      const std::string rest = e.name.substr(group.size());
      const auto slash = rest.find('/');
      f.domain = "AppDomainGroup-" + rest.substr(0, slash);
      f.relative_path = rest.substr(slash + 1);
    } else {
      f.domain = "HomeDomain";
      f.relative_path = e.name.substr(base.size());
    }
    f.data.assign(e.data.begin(), e.data.end());
    f.mtime_s = 1683000000;
    files.push_back(std::move(f));
  }
  ASSERT_TRUE(backup::write_itunes_backup(t / "backup", files, {}).ok());
  EXPECT_EQ(comparable(scan(t / "backup").items), want) << "plain backup";
  backup::BackupWriterOptions enc;
  enc.password = "conformance";
  enc.kdf_rounds_sha256 = 1000;
  enc.kdf_rounds_sha1 = 10;
  ASSERT_TRUE(backup::write_itunes_backup(t / "backup_enc", files, enc).ok());
  SourceOptions so;
  so.password = "conformance";
  EXPECT_EQ(comparable(scan(t / "backup_enc", so).items), want) << "encrypted backup";
  SourceOptions wrong;
  wrong.password = "not it";
  auto r = open_source(t / "backup_enc", wrong);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, Errc::wrong_password);
}

}  // namespace
}  // namespace remit::test
