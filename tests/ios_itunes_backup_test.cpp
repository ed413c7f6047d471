// iTunes/Finder backups: the writer (src/source/itunes_backup_writer.hpp)
// and the reader behind open_source() (src/source/itunes_backup.hpp):
// domain mapping, plain and encrypted round trips, wrong/missing passwords,
// determinism, tampered and damaged backups, and the CLI's exit codes.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <map>

#include "remit/apple.hpp"
#include "remit/hash.hpp"
#include "remit/source.hpp"
#include "source/itunes_backup.hpp"
#include "source/itunes_backup_writer.hpp"
#include "support/support.hpp"

namespace remit::test {
namespace {

using backup::BackupFile;
using backup::BackupWriterOptions;
using backup::write_itunes_backup;
using Blob = std::vector<unsigned char>;

Blob blob(std::string_view s) {
  return Blob(s.begin(), s.end());
}

std::vector<BackupFile> sample_files() {
  std::vector<BackupFile> f;
  f.push_back({"HomeDomain", "Library/SMS/sms.db", blob("not really sqlite, just bytes"), 1600000000});
  f.push_back({"CameraRollDomain", "Media/DCIM/100APPLE/IMG_0001.JPG", Blob(100000, 0xab), 1600000100});
  f.push_back({"AppDomainGroup-group.net.whatsapp.WhatsApp.shared", "ChatStorage.sqlite", blob("chat"), 1600000200});
  f.push_back({"AppDomain-net.whatsapp.WhatsApp", "Documents/x.txt", blob(""), 1600000300});
  Blob odd(4097);
  for (size_t i = 0; i < odd.size(); ++i) odd[i] = static_cast<unsigned char>(i);
  f.push_back({"HomeDomain", "Library/odd.bin", odd, 1600000400});
  return f;
}

std::map<std::string, std::string> tree(const fs::path& root) {
  std::map<std::string, std::string> out;
  for (auto& e : fs::recursive_directory_iterator(root))
    if (e.is_regular_file()) out[fs::relative(e.path(), root).generic_string()] = read_file(e.path());
  return out;
}

TEST(IosBackupDomains, MapToDevicePaths) {
  using detail::backup_logical_path;
  EXPECT_EQ(*backup_logical_path("HomeDomain", "Library/SMS/sms.db"), "private/var/mobile/Library/SMS/sms.db");
  EXPECT_EQ(*backup_logical_path("CameraRollDomain", "Media/DCIM/100APPLE/IMG_0001.JPG"),
            "private/var/mobile/Media/DCIM/100APPLE/IMG_0001.JPG");
  EXPECT_EQ(*backup_logical_path("AppDomainGroup-group.net.whatsapp.WhatsApp.shared", "ChatStorage.sqlite"),
            "private/var/mobile/Containers/Shared/AppGroup/group.net.whatsapp.WhatsApp.shared/ChatStorage.sqlite");
  EXPECT_EQ(*backup_logical_path("AppDomain-com.example.app", "Documents/a"),
            "private/var/mobile/Containers/Data/Application/com.example.app/Documents/a");
  EXPECT_EQ(*backup_logical_path("AppDomainPlugin-com.example.ext", "Library/b"),
            "private/var/mobile/Containers/Data/PluginKitPlugin/com.example.ext/Library/b");
  EXPECT_EQ(*backup_logical_path("SysSharedContainerDomain-systemgroup.com.apple.x", "Library/c"),
            "private/var/containers/Shared/SystemGroup/systemgroup.com.apple.x/Library/c");
  EXPECT_EQ(*backup_logical_path("KeychainDomain", "keychain-backup.plist"),
            "private/var/Keychains/keychain-backup.plist");
  EXPECT_EQ(*backup_logical_path("HealthDomain", "Health/healthdb.sqlite"),
            "private/var/mobile/Library/Health/healthdb.sqlite");
  EXPECT_EQ(*backup_logical_path("HomeDomain", ""), "private/var/mobile");
  EXPECT_EQ(*backup_logical_path("SomeNewDomain", "x/y"), "itunes_backup/SomeNewDomain/x/y");
  EXPECT_FALSE(backup_logical_path("HomeDomain", "../../etc/passwd"));
  // A container id of ".." is not mapped into the container folder; the
  // whole domain name becomes one harmless segment instead.
  EXPECT_EQ(*backup_logical_path("AppDomain-..", "x"), "itunes_backup/AppDomain-../x");
  EXPECT_FALSE(backup_logical_path("Evil/Domain", "x"));
  EXPECT_FALSE(backup_logical_path(std::string("HomeDomain\0x", 12), "x"));
}

TEST(IosBackup, PlainRoundTrip) {
  TempDir t;
  const auto files = sample_files();
  ASSERT_TRUE(write_itunes_backup(t / "bk", files, {}).ok());
  auto src = open_source(t / "bk");
  ASSERT_TRUE(src.ok()) << src.error().message;
  EXPECT_EQ((*src)->kind(), SourceKind::itunes_backup);
  for (const auto& f : files) {
    const auto path = *detail::backup_logical_path(f.domain, f.relative_path);
    const Entry* e = (*src)->find(path);
    ASSERT_NE(e, nullptr) << path;
    EXPECT_EQ(e->name, f.domain + "-" + f.relative_path);
    EXPECT_EQ(e->size, f.data.size());
    ASSERT_TRUE(e->mtime_ns.has_value());
    EXPECT_EQ(*e->mtime_ns, f.mtime_s * 1'000'000'000);
    auto b = (*src)->read(*e, 1 << 30);
    ASSERT_TRUE(b.ok()) << b.error().message;
    EXPECT_EQ(*b, f.data) << path;
  }
  // Parent folders are directory entries.
  bool dir_seen = false;
  for (const auto& e : (*src)->entries())
    if (e.type == EntryType::directory && e.path == "private/var/mobile/Library/SMS") dir_seen = true;
  EXPECT_TRUE(dir_seen);
  EXPECT_TRUE((*src)->notes().empty()) << (*src)->notes()[0].code;
  auto d = (*src)->container_digest();
  ASSERT_TRUE(d.ok());
  EXPECT_TRUE(d->inventory);
}

TEST(IosBackup, EncryptedRoundTripWithSmallRounds) {
  TempDir t;
  const auto files = sample_files();
  BackupWriterOptions o;
  o.password = "s3cret pass";
  o.kdf_rounds_sha256 = 1000;
  o.kdf_rounds_sha1 = 10;
  ASSERT_TRUE(write_itunes_backup(t / "bk", files, o).ok());
  // The stored files and Manifest.db are ciphertext.
  const std::string sms_id = sha1_hex("HomeDomain-Library/SMS/sms.db");
  const std::string stored = read_file(t / "bk" / sms_id.substr(0, 2) / sms_id);
  EXPECT_EQ(stored.size() % 16, 0u);
  EXPECT_EQ(stored.find("not really sqlite"), std::string::npos);
  EXPECT_NE(read_file(t / "bk" / "Manifest.db").substr(0, 15), "SQLite format 3");

  SourceOptions so;
  so.password = "s3cret pass";
  uint64_t kdf_total = 0;
  so.on_kdf_progress = [&](uint64_t, uint64_t total) { kdf_total = total; };
  auto src = open_source(t / "bk", so);
  ASSERT_TRUE(src.ok()) << src.error().message;
  EXPECT_EQ(kdf_total, 1000u + 20u);
  for (const auto& f : files) {
    const Entry* e = (*src)->find(*detail::backup_logical_path(f.domain, f.relative_path));
    ASSERT_NE(e, nullptr);
    EXPECT_EQ(e->size, f.data.size());
    auto b = (*src)->read(*e, 1 << 30);
    ASSERT_TRUE(b.ok()) << b.error().message;
    EXPECT_EQ(*b, f.data);
    // Streaming decrypts to the same bytes (and hashes alike).
    Blob streamed;
    ASSERT_TRUE((*src)
                    ->stream(*e,
                             [&](std::span<const unsigned char> c) {
                               streamed.insert(streamed.end(), c.begin(), c.end());
                               return true;
                             })
                    .ok());
    EXPECT_EQ(streamed, f.data);
  }
}

TEST(IosBackup, WrongMissingAndPromptedPasswords) {
  TempDir t;
  BackupWriterOptions o;
  o.password = "right";
  o.kdf_rounds_sha256 = 100;
  o.kdf_rounds_sha1 = 10;
  ASSERT_TRUE(write_itunes_backup(t / "bk", sample_files(), o).ok());
  SourceOptions wrong;
  wrong.password = "wrong";
  auto r = open_source(t / "bk", wrong);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, Errc::wrong_password);
  EXPECT_NE(r.error().message.find("wrong password"), std::string::npos);
  EXPECT_EQ(r.error().message.find("wrong\""), std::string::npos);
  auto none = open_source(t / "bk");
  ASSERT_FALSE(none.ok());
  EXPECT_EQ(none.error().code, Errc::usage);
  EXPECT_NE(none.error().message.find("--password-file"), std::string::npos);
  int asked = 0;
  SourceOptions prompt;
  prompt.ask_password = [&]() -> std::optional<std::string> {
    ++asked;
    return std::string("right");
  };
  auto ok = open_source(t / "bk", prompt);
  ASSERT_TRUE(ok.ok()) << ok.error().message;
  EXPECT_EQ(asked, 1);
}

TEST(IosBackup, WriterIsDeterministicAndAtomic) {
  TempDir t;
  BackupWriterOptions o;
  o.password = "pw";
  o.kdf_rounds_sha256 = 50;
  o.kdf_rounds_sha1 = 5;
  o.seed = 42;
  ASSERT_TRUE(write_itunes_backup(t / "a", sample_files(), o).ok());
  ASSERT_TRUE(write_itunes_backup(t / "b", sample_files(), o).ok());
  EXPECT_EQ(tree(t / "a"), tree(t / "b"));
  o.seed = 43;
  ASSERT_TRUE(write_itunes_backup(t / "c", sample_files(), o).ok());
  EXPECT_NE(tree(t / "a"), tree(t / "c"));
  // Refuses to overwrite; a failed write leaves nothing behind.
  EXPECT_EQ(write_itunes_backup(t / "a", sample_files(), o).error().code, Errc::usage);
  auto dup = sample_files();
  dup.push_back(dup.front());
  EXPECT_FALSE(write_itunes_backup(t / "d", dup, o).ok());
  EXPECT_FALSE(fs::exists(t / "d"));
  for (auto& e : fs::directory_iterator(t.path()))
    EXPECT_EQ(e.path().filename().string().find(".partial"), std::string::npos) << e.path();
}

// Rewrites Manifest.db of a plain backup with `sql`.
void edit_manifest(const fs::path& bk, const std::string& sql) {
  sqlite3* h = nullptr;
  ASSERT_EQ(sqlite3_open((bk / "Manifest.db").c_str(), &h), SQLITE_OK);
  char* err = nullptr;
  ASSERT_EQ(sqlite3_exec(h, sql.c_str(), nullptr, nullptr, &err), SQLITE_OK) << (err ? err : "");
  sqlite3_close(h);
}

TEST(IosBackup, TamperedEntriesAreNotedNotFatal) {
  TempDir t;
  ASSERT_TRUE(write_itunes_backup(t / "bk", sample_files(), {}).ok());
  // A hostile relative path, a row whose blob is missing, a wrong fileID,
  // and an undecodable MBFile.
  edit_manifest(
      t / "bk",
      "INSERT INTO Files VALUES ('0000000000000000000000000000000000000000','HomeDomain','../../etc/x',1,NULL);"
      "INSERT INTO Files VALUES ('1111111111111111111111111111111111111111','HomeDomain','Library/gone.db',1,NULL);"
      "UPDATE Files SET file = x'00010203' WHERE relativePath = 'Library/odd.bin';");
  const std::string id = sha1_hex("HomeDomain-Library/SMS/sms.db");
  const std::string other = sha1_hex("HomeDomain-Library/moved.db");
  edit_manifest(t / "bk", "UPDATE Files SET relativePath='Library/moved.db' WHERE fileID='" + id + "';");
  auto src = open_source(t / "bk");
  ASSERT_TRUE(src.ok()) << src.error().message;
  std::set<std::string> codes;
  for (const auto& n : (*src)->notes()) codes.insert(n.code);
  EXPECT_TRUE(codes.count("path_traversal"));
  EXPECT_TRUE(codes.count("missing_file"));
  EXPECT_TRUE(codes.count("file_id_mismatch"));
  EXPECT_TRUE(codes.count("bad_file_metadata"));
  for (const auto& e : (*src)->entries()) EXPECT_EQ(e.path.find(".."), std::string::npos);
  // The file with undecodable metadata is still readable (stored size).
  const Entry* odd = (*src)->find("private/var/mobile/Library/odd.bin");
  ASSERT_NE(odd, nullptr);
  EXPECT_EQ(odd->size, 4097u);
  (void)other;
}

TEST(IosBackup, DamagedBackupsFailWithClearErrors) {
  TempDir t;
  BackupWriterOptions o;
  o.password = "pw";
  o.kdf_rounds_sha256 = 50;
  o.kdf_rounds_sha1 = 5;
  ASSERT_TRUE(write_itunes_backup(t / "bk", sample_files(), o).ok());
  SourceOptions so;
  so.password = "pw";
  // Corrupt Manifest.db ciphertext: the keys unwrap but it no longer decrypts to SQLite.
  {
    fs::copy(t / "bk", t / "c1", fs::copy_options::recursive);
    std::string m = read_file(t / "c1" / "Manifest.db");
    m[0] ^= 0x55;
    fs::remove(t / "c1" / "Manifest.db");
    write_file(t / "c1" / "Manifest.db", m);
    auto r = open_source(t / "c1", so);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, Errc::malformed);
    EXPECT_NE(r.error().message.find("Manifest.db"), std::string::npos);
  }
  // No Manifest.db at all.
  {
    fs::copy(t / "bk", t / "c2", fs::copy_options::recursive);
    fs::remove(t / "c2" / "Manifest.db");
    auto r = open_source(t / "c2", so);
    ASSERT_FALSE(r.ok());
    EXPECT_NE(r.error().message.find("Manifest.db"), std::string::npos);
  }
  // iOS 9 style backup.
  {
    fs::create_directories(t / "c3");
    write_file(t / "c3" / "Manifest.mbdb", "mbdb\x05\x00");
    write_file(t / "c3" / "Manifest.plist", "<plist/>");
    write_file(t / "c3" / "Info.plist", "<plist/>");
    auto r = open_source(t / "c3", so);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, Errc::unsupported);
  }
  // Manifest.plist that is not a plist.
  {
    fs::copy(t / "bk", t / "c4", fs::copy_options::recursive);
    fs::remove(t / "c4" / "Manifest.plist");
    write_file(t / "c4" / "Manifest.plist", "garbage");
    auto r = open_source(t / "c4", so);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, Errc::malformed);
  }
  // A stored file truncated: reading it fails with a clear error, others still read.
  {
    fs::copy(t / "bk", t / "c5", fs::copy_options::recursive);
    const std::string id = sha1_hex("HomeDomain-Library/odd.bin");
    const fs::path p = t / "c5" / id.substr(0, 2) / id;
    std::string s = read_file(p);
    fs::remove(p);
    write_file(p, s.substr(0, 1024));
    auto r = open_source(t / "c5", so);
    ASSERT_TRUE(r.ok()) << r.error().message;
    const Entry* e = (*r)->find("private/var/mobile/Library/odd.bin");
    ASSERT_NE(e, nullptr);
    EXPECT_FALSE((*r)->read(*e, 1 << 20).ok());
    EXPECT_FALSE((*r)->stream(*e, [](auto) { return true; }).ok());
    const Entry* sms = (*r)->find("private/var/mobile/Library/SMS/sms.db");
    ASSERT_NE(sms, nullptr);
    EXPECT_TRUE((*r)->read(*sms, 1 << 20).ok());
  }
}

TEST(IosBackup, CliExitCodesAndNoPartialOutput) {
  TempDir t;
  BackupWriterOptions o;
  o.password = "open sesame";
  o.kdf_rounds_sha256 = 100;
  o.kdf_rounds_sha1 = 10;
  ASSERT_TRUE(write_itunes_backup(t / "bk", sample_files(), o).ok());
  write_file(t / "good.txt", "open sesame\n");
  write_file(t / "bad.txt", "nope\n");
  const std::map<std::string, std::string> env = {{"XDG_STATE_HOME", (t / "state").string()}};
  auto ok = run_remit({"inspect", (t / "bk").string(), "--password-file", (t / "good.txt").string(), "--json"}, env);
  EXPECT_EQ(ok.exit_code, 0) << ok.err;
  EXPECT_NE(ok.out.find("\"kind\": \"itunes_backup\""), std::string::npos);
  auto bad = run_remit({"inspect", (t / "bk").string(), "--password-file", (t / "bad.txt").string()}, env);
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_TRUE(bad.out.empty()) << bad.out;
  EXPECT_NE(bad.err.find("wrong password"), std::string::npos) << bad.err;
  EXPECT_EQ(bad.err.find("nope"), std::string::npos) << "the password must never be printed";
  auto items = run_remit(
      {"items", (t / "bk").string(), "--unscoped", "--reason", "test", "--password-file", (t / "bad.txt").string()},
      env);
  EXPECT_EQ(items.exit_code, 2);
  EXPECT_TRUE(items.out.empty());
  // No password and no terminal: a usage error naming --password-file.
  auto none = run_remit({"inspect", (t / "bk").string()}, env);
  EXPECT_EQ(none.exit_code, 2);
  EXPECT_NE(none.err.find("--password-file"), std::string::npos);
}

}  // namespace
}  // namespace remit::test

namespace remit::test {
namespace {

// The backup folder as archive entries, under `prefix` ("" or "<UDID>/").
std::vector<FixtureEntry> backup_entries(const fs::path& dir, const std::string& prefix) {
  std::vector<FixtureEntry> out;
  for (const auto& [name, data] : tree(dir)) {
    FixtureEntry e;
    e.name = prefix + name;
    e.data = data;
    out.push_back(std::move(e));
  }
  return out;
}

TEST(IosBackup, ArchivesOfABackupFolderReadAsTheBackup) {
  TempDir t;
  const auto files = sample_files();
  BackupWriterOptions enc;
  enc.password = "open sesame";
  enc.kdf_rounds_sha256 = 100;
  enc.kdf_rounds_sha1 = 10;
  ASSERT_TRUE(write_itunes_backup(t / "plain", files, {}).ok());
  ASSERT_TRUE(write_itunes_backup(t / "enc", files, enc).ok());
  for (const std::string variant : {"plain", "enc"}) {
    for (const std::string prefix : {"", "00008030-001A2B3C4D5E6F70/"}) {
      const auto entries = backup_entries(t / variant, prefix);
      const std::string stem = variant + (prefix.empty() ? "_root" : "_udid");
      make_tar(t / (stem + ".tar"), entries);
      make_tar(t / (stem + ".tar.gz"), entries, true);
      make_zip(t / (stem + ".zip"), entries);
      for (const std::string ext : {".tar", ".tar.gz", ".zip"}) {
        SCOPED_TRACE(stem + ext);
        SourceOptions so;
        if (variant == "enc") so.password = "open sesame";
        auto src = open_source(t / (stem + ext), so);
        ASSERT_TRUE(src.ok()) << src.error().message;
        EXPECT_EQ((*src)->kind(), SourceKind::itunes_backup);
        EXPECT_EQ((*src)->location(), t / (stem + ext));
        for (const auto& f : files) {
          const auto path = *detail::backup_logical_path(f.domain, f.relative_path);
          const Entry* e = (*src)->find(path);
          ASSERT_NE(e, nullptr) << path;
          auto b = (*src)->read(*e, 1 << 30);
          ASSERT_TRUE(b.ok()) << b.error().message;
          EXPECT_EQ(*b, f.data) << path;
        }
        // The stored (hash-named) files are not entries of the backup.
        for (const auto& e : (*src)->entries()) EXPECT_EQ(e.path.find("Manifest.db"), std::string::npos) << e.path;
        if (variant == "enc") {
          SourceOptions wrong;
          wrong.password = "nope";
          auto r = open_source(t / (stem + ext), wrong);
          ASSERT_FALSE(r.ok());
          EXPECT_EQ(r.error().code, Errc::wrong_password);
          EXPECT_NE(r.error().message.find((t / (stem + ext)).string()), std::string::npos) << r.error().message;
        }
      }
    }
  }
  // An archive holding two backups is not one backup: read as plain files.
  auto two = backup_entries(t / "plain", "A/");
  for (auto& e : backup_entries(t / "plain", "B/")) two.push_back(e);
  make_zip(t / "two.zip", two);
  auto src = open_source(t / "two.zip");
  ASSERT_TRUE(src.ok());
  EXPECT_EQ((*src)->kind(), SourceKind::zip);
}

TEST(IosBackup, CliReadsBackupFoldersAndArchivesOfThem) {
  TempDir t;
  BackupWriterOptions o;
  o.password = "open sesame";
  o.kdf_rounds_sha256 = 100;
  o.kdf_rounds_sha1 = 10;
  ASSERT_TRUE(write_itunes_backup(t / "bk", sample_files(), o).ok());
  ASSERT_TRUE(write_itunes_backup(t / "plain", sample_files(), {}).ok());
  make_zip(t / "bk.zip", backup_entries(t / "bk", "00008030-001A2B3C4D5E6F70/"));
  make_tar(t / "plain.tar.gz", backup_entries(t / "plain", "00008030-001A2B3C4D5E6F70/"), true);
  write_file(t / "good.txt", "open sesame\n");
  write_file(t / "bad.txt", "nope\n");
  const std::map<std::string, std::string> env = {{"XDG_STATE_HOME", (t / "state").string()}};
  for (const fs::path& ev : {t / "bk", t / "bk.zip"}) {
    SCOPED_TRACE(ev.string());
    auto ok = run_remit({"inspect", ev.string(), "--password-file", (t / "good.txt").string(), "--json"}, env);
    EXPECT_EQ(ok.exit_code, 0) << ok.err;
    EXPECT_NE(ok.out.find("\"kind\": \"itunes_backup\""), std::string::npos) << ok.out;
    auto bad = run_remit({"inspect", ev.string(), "--password-file", (t / "bad.txt").string()}, env);
    EXPECT_EQ(bad.exit_code, 2);
    EXPECT_TRUE(bad.out.empty()) << bad.out;
    EXPECT_NE(bad.err.find("wrong password"), std::string::npos) << bad.err;
    EXPECT_NE(bad.err.find(ev.string()), std::string::npos) << "the error names the evidence: " << bad.err;
    auto items = run_remit(
        {"items", ev.string(), "--unscoped", "--reason", "test", "--password-file", (t / "good.txt").string()}, env);
    EXPECT_EQ(items.exit_code, 0) << items.err;
  }
  auto plain = run_remit({"inspect", (t / "plain.tar.gz").string(), "--json"}, env);
  EXPECT_EQ(plain.exit_code, 0) << plain.err;
  EXPECT_NE(plain.out.find("\"kind\": \"itunes_backup\""), std::string::npos) << plain.out;
}

}  // namespace
}  // namespace remit::test
