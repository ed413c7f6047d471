// Evidence sources: folder, tar, tar.gz and zip give the same items;
// hostile entries are contained and recorded.
#include "remit/source.hpp"

#include <gtest/gtest.h>

#include <set>

#include "remit/registry.hpp"
#include "support/golden.hpp"
#include "support/support.hpp"

namespace remit::test {
namespace {

const char* kSmsPath = "data/user_de/0/com.android.providers.telephony/databases/mmssms.db";
const char* kContactsPath = "data/data/com.android.providers.contacts/databases/contacts2.db";

std::vector<Item> items_of(const fs::path& evidence, const std::string& region,
                           std::vector<Warning>* warnings = nullptr) {
  SourceOptions so;
  so.retain = is_wanted_path;
  auto src = open_source(evidence, so);
  EXPECT_TRUE(src.ok()) << (src.ok() ? "" : src.error().message);
  if (!src.ok()) return {};
  PartyNormaliser parties(region);
  std::vector<Item> out;
  auto scan = scan_source(**src, parties, [&](Item&& it) { out.push_back(std::move(it)); });
  if (warnings) *warnings = scan.warnings;
  return out;
}

TEST(Sources, PlasoDatabasesGiveTheSameItemsFromFolderTarTarGzAndZip) {
  REMIT_REQUIRE_CONFORMANCE(conf);
  TempDir t;
  const std::vector<FixtureEntry> entries = {
      {std::string("/") + kSmsPath, read_file(conf / "plaso/android-mmssms.db")},
      {kContactsPath, read_file(conf / "plaso/android-contacts2.db")},
  };
  make_tar(t / "e.tar", entries);
  make_tar(t / "e.tar.gz", entries, true);
  make_zip(t / "e.zip", entries);
  make_folder(t / "folder", {{kSmsPath, entries[0].data}, {kContactsPath, entries[1].data}});

  std::vector<std::vector<Item>> runs;
  for (const char* e : {"folder", "e.tar", "e.tar.gz", "e.zip"}) runs.push_back(items_of(t / e, "US"));
  for (auto& run : runs) {
    ASSERT_EQ(run.size(), 12u);
    size_t messages = 0, calls = 0;
    for (auto& it : run) {
      messages += it.category == Category::message;
      calls += it.category == Category::call;
      it.provenance.container.clear();  // differs by design
      it.provenance.entry_name.clear();
    }
    EXPECT_EQ(messages, 9u);
    EXPECT_EQ(calls, 3u);
  }
  for (size_t i = 1; i < runs.size(); ++i) EXPECT_EQ(runs[i], runs[0]) << "source " << i << " differs from the folder";
  // Raw numbers are kept; E.164 under region US.
  const Item& first = runs[0][0];
  ASSERT_EQ(first.parties.size(), 1u);
  EXPECT_EQ(first.parties[0].raw, "1 555-521-5554");
  EXPECT_EQ(first.parties[0].normalised, "+15555215554");
  EXPECT_EQ(first.time.utc_ms, 1383065788038);
  EXPECT_EQ(first.direction, Direction::outgoing);
}

TEST(Sources, TarIndexGivesDataOffsetsForRandomAccess) {
  TempDir t;
  std::string big(100000, 'q');
  make_tar(t / "a.tar", {{"a/one.txt", "hello"}, {"a/" + std::string(150, 'L') + ".bin", big}, {"b/two.txt", "world"}});
  auto src = open_source(t / "a.tar", {});
  ASSERT_TRUE(src.ok());
  for (const auto& e : (*src)->entries()) EXPECT_TRUE(e.random_access) << e.name;
  const Entry* two = (*src)->find("b/two.txt");
  ASSERT_NE(two, nullptr);
  auto bytes = (*src)->read(*two, 1 << 20);
  ASSERT_TRUE(bytes.ok());
  EXPECT_EQ(std::string(bytes->begin(), bytes->end()), "world");
  auto longone = (*src)->find_suffix(std::string(150, 'L') + ".bin");
  ASSERT_EQ(longone.size(), 1u);
  auto b2 = (*src)->read(*longone[0], 1 << 20);
  ASSERT_TRUE(b2.ok());
  EXPECT_EQ(b2->size(), big.size());
  EXPECT_EQ((*src)->read(*longone[0], 10).error().code, Errc::too_large);
  auto digest = (*src)->container_digest();
  ASSERT_TRUE(digest.ok());
  EXPECT_EQ(digest->sha256, sha256_of_file(t / "a.tar"));
}

TEST(Sources, CompressedTarKeepsWantedEntriesAndRereadsOthers) {
  TempDir t;
  build_sqlite(t / "m.db", "CREATE TABLE sms(_id INTEGER PRIMARY KEY, body TEXT);");
  make_tar(t / "a.tar.gz",
           {{std::string("data/data/com.android.providers.telephony/databases/mmssms.db"), read_file(t / "m.db")},
            {"sdcard/DCIM/Camera/IMG_1.jpg", "not really a jpeg"}},
           true);
  SourceOptions so;
  so.retain = is_wanted_path;
  auto src = open_source(t / "a.tar.gz", so);
  ASSERT_TRUE(src.ok());
  for (const auto& e : (*src)->entries()) EXPECT_FALSE(e.random_access);
  const Entry* img = (*src)->find("sdcard/DCIM/Camera/IMG_1.jpg");
  ASSERT_NE(img, nullptr);
  auto b = (*src)->read(*img, 1 << 20);  // second decompression pass
  ASSERT_TRUE(b.ok()) << b.error().message;
  EXPECT_EQ(std::string(b->begin(), b->end()), "not really a jpeg");
  EXPECT_EQ((*src)->container_digest()->sha256, sha256_of_file(t / "a.tar.gz"));
}

TEST(Sources, CompressedTarReadsInAnyOrderGiveTheRightBytes) {
  TempDir t;
  std::vector<FixtureEntry> files;
  for (int i = 0; i < 12; ++i)
    files.push_back({"sdcard/DCIM/IMG_" + std::to_string(i) + ".jpg", std::string(1000 + i * 777, char('a' + i))});
  files.push_back({"sdcard/DCIM/hard", "", FixtureEntry::hardlink, "sdcard/DCIM/IMG_3.jpg"});
  make_tar(t / "m.tar.gz", files, true);
  auto src = open_source(t / "m.tar.gz", {});
  ASSERT_TRUE(src.ok());
  auto expect = [&](int i) {
    const Entry* e = (*src)->find("sdcard/DCIM/IMG_" + std::to_string(i) + ".jpg");
    ASSERT_NE(e, nullptr);
    auto b = (*src)->read(*e, 1 << 20);
    ASSERT_TRUE(b.ok()) << b.error().message;
    EXPECT_EQ(std::string(b->begin(), b->end()), files[static_cast<size_t>(i)].data) << i;
  };
  // Forward (one pass with the cursor), then backwards, repeats, and a
  // partial read that stops early before the next one.
  for (int i : {0, 1, 2, 5, 9, 11, 3, 3, 10, 0, 7}) expect(i);
  const Entry* e4 = (*src)->find("sdcard/DCIM/IMG_4.jpg");
  size_t seen = 0;
  ASSERT_TRUE((*src)
                  ->stream(*e4,
                           [&](std::span<const unsigned char> c) {
                             seen += c.size();
                             return false;
                           })
                  .ok());
  EXPECT_GT(seen, 0u);
  expect(6);
  const Entry* hard = (*src)->find("sdcard/DCIM/hard");
  ASSERT_NE(hard, nullptr);
  auto hb = (*src)->read(*hard, 1 << 20);
  ASSERT_TRUE(hb.ok());
  EXPECT_EQ(std::string(hb->begin(), hb->end()), files[3].data);
}

std::set<std::string> note_codes(const Source& s) {
  std::set<std::string> c;
  for (const auto& n : s.notes()) c.insert(n.code);
  return c;
}

// A ustar header with a chosen declared size (to lie about it).
std::string ustar_header(const std::string& name, uint64_t size, char type = '0') {
  std::string h(512, '\0');
  std::copy(name.begin(), name.end(), h.begin());
  auto octal = [&](size_t off, size_t len, uint64_t v) {
    std::string s(len - 1, '0');
    for (size_t i = len - 1; i-- > 0 && v; v >>= 3) s[i] = static_cast<char>('0' + (v & 7));
    std::copy(s.begin(), s.end(), h.begin() + static_cast<long>(off));
  };
  octal(100, 8, 0644);
  octal(108, 8, 0);
  octal(116, 8, 0);
  octal(124, 12, size);
  octal(136, 12, 1700000000);
  h[156] = type;
  std::copy_n("ustar", 6, h.begin() + 257);
  h[263] = '0';
  h[264] = '0';
  std::fill(h.begin() + 148, h.begin() + 156, ' ');
  unsigned sum = 0;
  for (unsigned char c : h) sum += c;
  octal(148, 7, sum);
  h[155] = ' ';
  return h;
}

TEST(Sources, HostileTarEntriesAreContainedAndRecorded) {
  TempDir t;
  make_tar(t / "h.tar", {
                            {"../../escape.db", "traversal"},
                            {"/abs/data/data/com.android.providers.telephony/databases/mmssms.db", "absolute"},
                            {"data/link", "", FixtureEntry::symlink, "/etc/passwd"},
                            {"data/dup.txt", "first"},
                            {"data/dup.txt", "second"},
                            {"data/hard", "", FixtureEntry::hardlink, "data/dup.txt"},
                        });
  auto src = open_source(t / "h.tar", {});
  ASSERT_TRUE(src.ok()) << src.error().message;
  const auto codes = note_codes(**src);
  for (const char* c : {"path_traversal", "absolute_names", "symlink", "duplicate", "hardlink"})
    EXPECT_TRUE(codes.count(c)) << "missing note " << c;
  // The traversal entry is never matchable by any path.
  for (const auto& e : (*src)->entries())
    if (e.name == "../../escape.db") {
      EXPECT_TRUE(e.path.empty());
    }
  EXPECT_EQ((*src)->find("escape.db"), nullptr);
  // The later duplicate wins.
  const Entry* dup = (*src)->find("data/dup.txt");
  ASSERT_NE(dup, nullptr);
  auto b = (*src)->read(*dup, 100);
  ASSERT_TRUE(b.ok());
  EXPECT_EQ(std::string(b->begin(), b->end()), "second");
  // The symlink is recorded, not followed or readable as a file.
  EXPECT_EQ((*src)->find("data/link"), nullptr);
  // Nothing was written next to the evidence.
  size_t files = 0;
  for (auto& p : fs::recursive_directory_iterator(t.path())) files += p.is_regular_file();
  EXPECT_EQ(files, 1u);
}

TEST(Sources, AbsurdDeclaredSizeNeverExhaustsMemory) {
  TempDir t;
  // Declares 7 GiB (the largest 11-digit octal size) but holds 1 KiB of data, then ends.
  std::string tar = ustar_header("data/huge.db", 7ULL << 30) + std::string(1024, 'x');
  tar += std::string(1024, '\0');
  write_file(t / "huge.tar", tar);
  SourceOptions so;
  so.max_entry_bytes = 64 << 20;
  auto src = open_source(t / "huge.tar", so);
  ASSERT_TRUE(src.ok()) << src.error().message;
  const auto codes = note_codes(**src);
  EXPECT_TRUE(codes.count("size_exceeds_container") || codes.count("size_over_limit") || codes.count("truncated"));
  for (const auto& e : (*src)->entries()) {
    if (e.type != EntryType::file) continue;
    auto r = (*src)->read(e, 64 << 20);
    if (r.ok())
      EXPECT_LE(r->size(), 2048u);
    else
      EXPECT_EQ(r.error().code, Errc::too_large);
  }
}

TEST(Sources, HostileZipEntriesAreContainedAndRecorded) {
  TempDir t;
  make_zip(t / "h.zip", {
                            {"../escape.db", "traversal"},
                            {"/abs/file.txt", "absolute"},
                            {"data/link", "", FixtureEntry::symlink, "/etc/passwd"},
                            {"data/ok.txt", "fine"},
                        });
  auto src = open_source(t / "h.zip", {});
  ASSERT_TRUE(src.ok()) << src.error().message;
  const auto codes = note_codes(**src);
  EXPECT_TRUE(codes.count("path_traversal"));
  EXPECT_TRUE(codes.count("symlink"));
  EXPECT_TRUE(codes.count("absolute_names"));
  EXPECT_NE((*src)->find("data/ok.txt"), nullptr);
  EXPECT_NE((*src)->find("abs/file.txt"), nullptr);
  EXPECT_EQ((*src)->find("data/link"), nullptr);
}

TEST(Sources, FolderSymlinksAreNotFollowed) {
  TempDir t;
  write_file(t / "outside/secret.db", "outside the evidence");
  make_folder(t / "ev", {{"data/a.txt", "a"},
                         {"data/link.db", "", FixtureEntry::symlink, (t / "outside/secret.db").string()},
                         {"data/dirlink", "", FixtureEntry::symlink, (t / "outside").string()}});
  auto src = open_source(t / "ev", {});
  ASSERT_TRUE(src.ok());
  EXPECT_EQ((*src)->find("data/link.db"), nullptr);
  EXPECT_EQ((*src)->find("data/dirlink/secret.db"), nullptr);
  EXPECT_TRUE(note_codes(**src).count("symlink"));
  auto d = (*src)->container_digest();
  ASSERT_TRUE(d.ok());
  EXPECT_TRUE(d->inventory);
}

TEST(Sources, UnreadableEvidenceGivesClearErrors) {
  auto missing = open_source("/nonexistent/evidence.tar", {});
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.error().message.find("/nonexistent/evidence.tar"), std::string::npos);
  TempDir t;
  write_file(t / "junk.bin", std::string(4096, '\x01'));
  auto junk = open_source(t / "junk.bin", {});
  ASSERT_FALSE(junk.ok());
  EXPECT_NE(junk.error().message.find("junk.bin"), std::string::npos);
}

}  // namespace
}  // namespace remit::test
