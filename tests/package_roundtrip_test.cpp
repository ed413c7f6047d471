// Packages end to end at the library level: extract -> verify -> report,
// exactly the expected in-scope items, tamper detection on every byte of
// every file, trusted keys, supplementary packages, refusals, media copying
// and de-duplication, the audit chain, the evidence left unchanged.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <nlohmann/json.hpp>
#include <random>

#include "oversight/packages.hpp"
#include "package/items_db.hpp"
#include "package_fixture.hpp"
#include "remit/audit.hpp"
#include "remit/device.hpp"
#include "remit/report.hpp"
#include "source/ufdr_writer.hpp"

namespace remit::test {
namespace {

using json = nlohmann::json;

std::set<std::string> package_locators(const fs::path& pkg) {
  auto db = pkg::ItemsDbReader::open(pkg / "items.sqlite");
  EXPECT_TRUE(db.ok()) << (db.ok() ? "" : db.error().message);
  if (!db) return {};
  auto l = db->locators(false);
  EXPECT_TRUE(l.ok());
  return {l->begin(), l->end()};
}

json read_json(const fs::path& p) {
  return json::parse(read_file(p));
}

std::vector<std::string> all_files(const fs::path& root) {
  std::vector<std::string> out;
  for (auto& e : fs::recursive_directory_iterator(root))
    if (e.is_regular_file()) out.push_back(fs::relative(e.path(), root).generic_string());
  std::sort(out.begin(), out.end());
  return out;
}

struct Built {
  TempDir t;
  fs::path tar;
  fs::path pkg;
  std::string evidence_sha;
  Extraction x = standard_extraction();
};

void build(Built& b, const Scope& scope, const SigningKey& key, ExtractOptions opt = {}) {
  b.tar = b.t / "evidence.tar";
  write_extraction_tar(b.x, b.tar, b.t / "work");
  b.evidence_sha = sha256_of_file(b.tar);
  b.pkg = b.t / "PKG";
  auto r = run_extract(b.tar, scope, key, b.pkg, std::move(opt));
  ASSERT_TRUE(r.ok()) << r.error().message;
}

TEST(PackageRoundTrip, HoldsExactlyTheInScopeItemsAndVerifies) {
  const Scope scope = make_scope();
  const SigningKey key = test_key();
  Built b;
  ExtractOptions opt;
  opt.acquisition_sha256 = std::nullopt;
  build(b, scope, key, opt);

  EXPECT_EQ(package_locators(b.pkg), b.x.expected_locators());
  EXPECT_EQ(sha256_of_file(b.tar), b.evidence_sha) << "the evidence changed";

  auto rep = verify_package(b.pkg);
  ASSERT_TRUE(rep.ok());
  EXPECT_TRUE(rep->ok) << rep->message;
  EXPECT_FALSE(rep->signer_trusted);
  ASSERT_TRUE(rep->signer.has_value());
  EXPECT_EQ(*rep->signer, key.public_key());

  const json m = read_json(b.pkg / "manifest.json");
  EXPECT_EQ(m["format"], kPackageFormat);
  EXPECT_EQ(m["container"]["sha256"], b.evidence_sha);
  EXPECT_EQ(m["container"]["name"], "evidence.tar");
  EXPECT_FALSE(m["container"].contains("md5"));
  EXPECT_EQ(m["examiner"], "Examiner E. Test");
  EXPECT_EQ(m["exhibit_reference"], "ABC/1");
  EXPECT_EQ(m["device"]["model"], "Pixel 7");
  EXPECT_EQ(m["device"]["os_version"], "14");
  EXPECT_EQ(m["device"]["manufacturer"], "Google");
  EXPECT_EQ(m["scope"]["sha256"], scope.sha256);
  EXPECT_EQ(m["signer"]["public_key"], key.public_key().base64());
  EXPECT_EQ(read_file(b.pkg / "scope.toml"), scope.text);
  EXPECT_TRUE(fs::exists(b.pkg / "notice" / "notice.txt"));

  // The near-edge message is flagged; lines are recorded per item.
  auto db = pkg::ItemsDbReader::open(b.pkg / "items.sqlite");
  ASSERT_TRUE(db.ok());
  int near = 0, items = 0;
  ASSERT_TRUE(db->for_each([&](pkg::StoredItem&& si) {
                  ++items;
                  EXPECT_EQ(si.lines, std::vector<std::string>{"L1"});
                  if (si.near_edge) {
                    ++near;
                    EXPECT_EQ(si.item.provenance.row, "_id=5");
                  }
                }).ok());
  EXPECT_EQ(items, 4);
  EXPECT_EQ(near, 1);
  // FTS5 finds in-scope text and nothing else.
  auto hits = db->search("station");
  ASSERT_TRUE(hits.ok()) << hits.error().message;
  EXPECT_EQ(hits->size(), 1u);
  auto none = db->search("\"OUT\"");
  ASSERT_TRUE(none.ok());
  EXPECT_TRUE(none->empty());

  // stats.json: device vs scope.
  const json s = read_json(b.pkg / "stats.json");
  EXPECT_EQ(s["format"], kStatsFormat);
  EXPECT_EQ(s["case_reference"], "TEST/0001");
  EXPECT_EQ(s["scope_version"], 1);
  EXPECT_EQ(s["categories"]["message"]["on_device"], 7);
  EXPECT_EQ(s["categories"]["message"]["in_scope"], 3);
  EXPECT_EQ(s["categories"]["call"]["on_device"], 3);
  EXPECT_EQ(s["categories"]["call"]["in_scope"], 1);
  EXPECT_EQ(s["parties"]["on_device"], 4);  // 900123, 900456, 900999, 900777
  EXPECT_EQ(s["parties"]["in_scope"], 1);
  EXPECT_EQ(s["authorised"]["window_days"], 5);  // 13-17 March
  EXPECT_EQ(s["lines"][0]["window_days"], 5);
  EXPECT_EQ(s["lines"][0]["categories"], json::array({"message", "call"}));
  // Device data from 1 June 2019 to 18 March 2026, inclusive.
  EXPECT_EQ(s["days"]["on_device"], days_from_civil(2026, 3, 18) - days_from_civil(2019, 6, 1) + 1);
  EXPECT_EQ(s["lines"][0]["items"], 4);
  EXPECT_EQ(s["lines"][0]["near_edge"], 1);
  EXPECT_EQ(s["lines"][0]["first_utc"], "2026-03-13T10:00:00.000Z");
  EXPECT_EQ(s["lines"][0]["last_utc"], "2026-03-18T00:30:00.000Z");
  EXPECT_EQ(s["device"]["return_target"], "2026-04-03");

  // Audit: a chain from extract.started to package.sealed, nothing after.
  auto log = AuditLog::parse(read_file(b.pkg / "audit.jsonl"));
  ASSERT_TRUE(log.ok()) << log.error().message;
  std::vector<std::string> actions;
  for (const auto& r : log->records()) {
    actions.push_back(r.action);
    EXPECT_EQ(r.who.examiner, "Examiner E. Test");
    EXPECT_EQ(r.scope_version, 1);
    EXPECT_EQ(r.scope_sha256, scope.sha256);
  }
  EXPECT_EQ(actions.front(), "extract.started");
  EXPECT_EQ(actions.back(), "package.sealed");
  EXPECT_NE(std::find(actions.begin(), actions.end(), "evidence.hashed"), actions.end());
  EXPECT_EQ(log->seal()->key, key.public_key());
}

TEST(PackageRoundTrip, OversightReadsTheAuthorisedBreadthFromStatsJson) {
  const SigningKey key = test_key();
  TempDir t;
  write_extraction_tar(standard_extraction(), t / "ev.tar", t / "w");
  ASSERT_TRUE(run_extract(t / "ev.tar", make_scope(true), key, t / "PKG").ok());
  auto st = oversight::parse_stats_json(read_file(t / "PKG" / "stats.json"));
  ASSERT_TRUE(st.ok()) << st.error().message;
  EXPECT_EQ(st->case_reference, "TEST/0001");
  EXPECT_EQ(st->scope_version, 1);
  EXPECT_EQ(st->breadth.days, 5);        // the longest line: 13-17 March
  EXPECT_EQ(st->breadth.categories, 3);  // message, call (L1) and media (L2)
  auto scan = oversight::scan_packages(t.path());
  ASSERT_TRUE(scan.ok());
  EXPECT_EQ(scan->stats.size(), 1u);
  EXPECT_TRUE(scan->problems.empty());
}

TEST(PackageRoundTrip, AnyChangedByteInAnyFileFailsAndIsNamed) {
  const Scope scope = make_scope();
  const SigningKey key = test_key();
  Built b;
  build(b, scope, key);
  auto rs = write_reports(b.pkg, key);
  ASSERT_TRUE(rs.ok()) << rs.error().message;
  ASSERT_TRUE(verify_package(b.pkg)->ok);

  std::mt19937 rng(12345);
  const auto files = all_files(b.pkg);
  ASSERT_GE(files.size(), 15u);
  size_t flips = 0;
  for (const auto& rel : files) {
    const fs::path p = b.pkg / rel;
    const std::string orig = read_file(p);
    ASSERT_FALSE(orig.empty()) << rel;
    // Every byte of small files; spread positions (plus both ends) in big ones.
    std::vector<size_t> pos;
    if (orig.size() <= 600) {
      for (size_t i = 0; i < orig.size(); ++i) pos.push_back(i);
    } else {
      pos = {0, orig.size() - 1, orig.size() / 2};
      std::uniform_int_distribution<size_t> d(0, orig.size() - 1);
      for (int i = 0; i < 150; ++i) pos.push_back(d(rng));
    }
    // The pairs whose fault can only be pinned on one of the two.
    auto named_ok = [&](const std::string& named) {
      if (named == rel) return true;
      if ((rel == "manifest.json" || rel == "manifest.sig") && (named == "manifest.json" || named == "manifest.sig"))
        return true;
      if ((rel == "reports/manifest.json" || rel == "reports/manifest.sig") &&
          (named == "reports/manifest.json" || named == "reports/manifest.sig"))
        return true;
      return false;
    };
    for (size_t i : pos) {
      std::string changed = orig;
      changed[i] = static_cast<char>(changed[i] ^ (1 << (i % 7)));
      write_file(p, changed);
      auto rep = verify_package(b.pkg);
      ASSERT_TRUE(rep.ok());
      EXPECT_FALSE(rep->ok) << rel << " byte " << i << " changed, yet verify passed";
      EXPECT_TRUE(named_ok(rep->first_file))
          << rel << " byte " << i << ": verify named " << rep->first_file << ": " << rep->message;
      ++flips;
    }
    write_file(p, orig);
  }
  EXPECT_GT(flips, 1500u);
  EXPECT_TRUE(verify_package(b.pkg)->ok);

  // Removed, added, truncated files are named too.
  const std::string sms = read_file(b.pkg / "stats.json");
  fs::remove(b.pkg / "stats.json");
  EXPECT_EQ(verify_package(b.pkg)->first_file, "stats.json");
  write_file(b.pkg / "stats.json", sms.substr(0, sms.size() - 1));
  EXPECT_EQ(verify_package(b.pkg)->first_file, "stats.json");
  write_file(b.pkg / "stats.json", sms);
  write_file(b.pkg / "media" / "extra.jpg", "added later");
  EXPECT_EQ(verify_package(b.pkg)->first_file, "media/extra.jpg");
  fs::remove(b.pkg / "media" / "extra.jpg");
  write_file(b.pkg / "reports" / "note.txt", "added later");
  EXPECT_EQ(verify_package(b.pkg)->first_file, "reports/note.txt");
  fs::remove(b.pkg / "reports" / "note.txt");
  // A folder swapped for a link to a copy outside the package is refused.
  fs::rename(b.pkg / "notice", b.t / "notice-outside");
  fs::create_directory_symlink(b.t / "notice-outside", b.pkg / "notice");
  EXPECT_EQ(verify_package(b.pkg)->first_file, "notice");
  fs::remove(b.pkg / "notice");
  fs::rename(b.t / "notice-outside", b.pkg / "notice");
  EXPECT_TRUE(verify_package(b.pkg)->ok);
  // An audit record dropped from the middle breaks the chain at that line.
  const std::string audit = read_file(b.pkg / "audit.jsonl");
  auto lines = split(audit, '\n');
  std::string without3;
  for (size_t i = 0; i < lines.size(); ++i)
    if (i != 2 && !lines[i].empty()) without3 += std::string(lines[i]) + "\n";
  write_file(b.pkg / "audit.jsonl", without3);
  auto rep = verify_package(b.pkg);
  EXPECT_EQ(rep->first_file, "audit.jsonl");
  EXPECT_EQ(rep->first_line, std::optional<uint64_t>(3));
  write_file(b.pkg / "audit.jsonl", audit);
  EXPECT_TRUE(verify_package(b.pkg)->ok);
}

TEST(PackageRoundTrip, TrustedKeyMustMatch) {
  const Scope scope = make_scope();
  const SigningKey key = test_key();
  const SigningKey other = test_key();
  Built b;
  build(b, scope, key);
  VerifyOptions right{{key.public_key()}, std::nullopt};
  auto ok = verify_package(b.pkg, right);
  EXPECT_TRUE(ok->ok);
  EXPECT_TRUE(ok->signer_trusted);
  VerifyOptions wrong{{other.public_key()}, std::nullopt};
  auto bad = verify_package(b.pkg, wrong);
  EXPECT_FALSE(bad->ok);
  EXPECT_EQ(bad->first_file, "manifest.sig");
  EXPECT_NE(bad->message.find("not a trusted key"), std::string::npos);

  // A package re-signed with another key (manifest and signature swapped
  // consistently) verifies for integrity, but fails the trusted key.
  auto forged_sig =
      other.sign(manifest_signature_message("remit-manifest", sha256_hex(read_file(b.pkg / "manifest.json"))));
  ASSERT_TRUE(forged_sig.ok());
  json sj = json::parse(read_file(b.pkg / "manifest.sig"));
  sj["public_key"] = other.public_key().base64();
  sj["signature"] = base64_encode(*forged_sig);
  write_file(b.pkg / "manifest.sig", sj.dump() + "\n");
  auto forged = verify_package(b.pkg, right);
  EXPECT_FALSE(forged->ok);
  EXPECT_EQ(forged->first_file, "manifest.sig");
}

TEST(PackageRoundTrip, RefusesAndLeavesNothing) {
  const SigningKey key = test_key();
  TempDir t;
  const Extraction x = standard_extraction();
  write_extraction_tar(x, t / "ev.tar", t / "w");
  const std::string sha = sha256_of_file(t / "ev.tar");
  {
    ExtractOptions o;
    o.acquisition_sha256 = std::string(64, 'a');
    auto r = run_extract(t / "ev.tar", make_scope(), key, t / "P1", o);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, Errc::refused);
    EXPECT_NE(r.error().message.find("acquisition hash"), std::string::npos);
    EXPECT_FALSE(fs::exists(t / "P1"));
  }
  {
    ExtractOptions o;
    o.acquisition_sha256 = ascii_lower(sha);
    auto r = run_extract(t / "ev.tar", make_scope(), key, t / "P2", o);
    ASSERT_TRUE(r.ok()) << r.error().message;
    EXPECT_TRUE(read_json(t / "P2" / "manifest.json")["container"]["acquisition_sha256_checked"]);
  }
  {
    Scope s = make_scope();
    s.agreement.withdrawn = true;
    auto r = run_extract(t / "ev.tar", s, key, t / "P3");
    ASSERT_FALSE(r.ok());
    EXPECT_NE(r.error().message.find("withdrawn"), std::string::npos);
    EXPECT_FALSE(fs::exists(t / "P3"));
  }
  {
    auto r = run_extract(t / "ev.tar", make_scope(), key, t / "P2");  // exists
    ASSERT_FALSE(r.ok());
    EXPECT_NE(r.error().message.find("already exists"), std::string::npos);
  }
  {
    // Folder evidence: the package may not be written inside it.
    make_folder(t / "folder", {{kSmsDb, read_file(t / "w" / "mmssms.db")}});
    auto r = run_extract(t / "folder", make_scope(), key, t / "folder" / "PKG");
    ASSERT_FALSE(r.ok());
    EXPECT_NE(r.error().message.find("inside the evidence folder"), std::string::npos);
    EXPECT_FALSE(fs::exists(t / "folder" / "PKG"));
  }
  {
    ExtractOptions o;
    o.examiner = " ";
    auto r = run_extract(t / "ev.tar", make_scope(), key, t / "P4", o);
    EXPECT_FALSE(r.ok());
    EXPECT_FALSE(fs::exists(t / "P4"));
  }
  // Nothing of ours is left next to the outputs.
  for (auto& e : fs::directory_iterator(t.path()))
    EXPECT_EQ(e.path().filename().string().find(".remit-partial."), std::string::npos) << e.path();
  EXPECT_EQ(sha256_of_file(t / "ev.tar"), sha);
}

TEST(PackageRoundTrip, SupplementaryPackageHoldsOnlyNewItemsAndLinksToItsParent) {
  const SigningKey key = test_key();
  TempDir t;
  Extraction x = standard_extraction();
  // Photos: one on 13 March (within the widened scope), one on 20 March.
  x.extra = {{"sdcard/DCIM/Camera/IMG_20260313_201500.jpg", "\xFF\xD8\xFF photo one on the 13th"},
             {"sdcard/DCIM/Camera/IMG_20260320_101500.jpg", "\xFF\xD8\xFF photo two " + std::string(kCanary)}};
  write_extraction_tar(x, t / "ev.tar", t / "w");
  const Scope v1 = make_scope(false, 1);
  const Scope v2 = make_scope(true, 2);
  ASSERT_TRUE(run_extract(t / "ev.tar", v1, key, t / "V1").ok());
  ExtractOptions o;
  o.supplements = t / "V1";
  auto r2 = run_extract(t / "ev.tar", v2, key, t / "V2", o);
  ASSERT_TRUE(r2.ok()) << r2.error().message;
  EXPECT_TRUE(r2->supplementary);
  EXPECT_EQ(r2->items_in_scope, 1u);   // the photo of the 13th
  EXPECT_EQ(r2->items_in_parent, 4u);  // L1's items, already in V1
  EXPECT_EQ(package_locators(t / "V2"),
            std::set<std::string>{"sdcard/DCIM/Camera/IMG_20260313_201500.jpg#file:IMG_20260313_201500.jpg"});

  const json m = read_json(t / "V2" / "manifest.json");
  EXPECT_EQ(m["kind"], "supplementary");
  EXPECT_EQ(m["supplements"]["manifest_sha256"], sha256_of_file(t / "V1" / "manifest.json"));
  EXPECT_EQ(m["supplements"]["scope_version"], 1);
  const json s = read_json(t / "V2" / "stats.json");
  EXPECT_EQ(s["items"]["in_this_package"], 1);
  EXPECT_EQ(s["items"]["in_earlier_packages"], 4);
  EXPECT_EQ(s["items"]["in_scope"], 5);  // the widened scope as a whole

  // Verifies alone (link not checked), with its parent, not with another.
  auto alone = verify_package(t / "V2");
  EXPECT_TRUE(alone->ok) << alone->message;
  EXPECT_TRUE(alone->supplementary);
  EXPECT_FALSE(alone->parent_checked);
  VerifyOptions with_parent;
  with_parent.parent = t / "V1";
  auto linked = verify_package(t / "V2", with_parent);
  EXPECT_TRUE(linked->ok) << linked->message;
  EXPECT_TRUE(linked->parent_checked);
  ASSERT_TRUE(run_extract(t / "ev.tar", v1, key, t / "OTHER").ok());
  VerifyOptions wrong_parent;
  wrong_parent.parent = t / "OTHER";
  auto wrong = verify_package(t / "V2", wrong_parent);
  EXPECT_FALSE(wrong->ok);
  EXPECT_EQ(wrong->first_file, "manifest.json");

  // A third version supplements the second and knows V1's items too.
  Scope v3 = make_scope(true, 3);
  v3.lines[1].windows = {window(2026, 3, 13, 20)};
  ExtractOptions o3;
  o3.supplements = t / "V2";
  auto r3 = run_extract(t / "ev.tar", v3, key, t / "V3", o3);
  ASSERT_TRUE(r3.ok()) << r3.error().message;
  EXPECT_EQ(r3->items_in_scope, 1u);  // the photo of the 20th only
  EXPECT_EQ(r3->items_in_parent, 5u);

  // Not a later version: refused.
  ExtractOptions again;
  again.supplements = t / "V2";
  auto same = run_extract(t / "ev.tar", v2, key, t / "V2b", again);
  EXPECT_FALSE(same.ok());
  EXPECT_FALSE(fs::exists(t / "V2b"));
  // Other evidence: refused.
  Extraction y = standard_extraction({"a different body"});
  write_extraction_tar(y, t / "ev2.tar", t / "w2");
  auto other_ev = run_extract(t / "ev2.tar", v2, key, t / "V2c", o);
  ASSERT_FALSE(other_ev.ok());
  EXPECT_NE(other_ev.error().message.find("not the evidence"), std::string::npos) << other_ev.error().message;
  EXPECT_FALSE(fs::exists(t / "V2c"));
}

TEST(PackageRoundTrip, MediaIsCopiedByHashAndDeduplicatedInTheCounts) {
  const SigningKey key = test_key();
  TempDir t;
  Extraction x = standard_extraction();
  const std::string a = "\xFF\xD8\xFF same photo AAAA";  // same size as c
  const std::string c = "\xFF\xD8\xFF diff photo CCCC";
  ASSERT_EQ(a.size(), c.size());
  x.extra = {
      {"sdcard/DCIM/Camera/IMG_20260313_201500.jpg", a},
      {"sdcard/Pictures/WhatsApp/IMG_20260313_201501.jpg", a},  // a copy of the same photo
      {"sdcard/DCIM/Camera/IMG_20260313_211500.jpg", c},
      {"sdcard/DCIM/Camera/IMG_20250101_101500.jpg", "\xFF\xD8\xFF old " + std::string(kCanary)},
      {"test/chat.txt", fmt::format("{}\t{}\tphoto attached\tsdcard/DCIM/Camera/IMG_20260313_211500.jpg\n"
                                    "{}\t{}\t{} attachment\tsdcard/DCIM/Camera/IMG_20250101_101500.jpg\n"
                                    "{}\t{}\tmissing attachment\tsdcard/nowhere.jpg\n",
                                    kSuspect, utc_ms(2026, 3, 14, 12), "07700 900456", utc_ms(2026, 3, 14, 12), kCanary,
                                    kSuspect, utc_ms(2026, 3, 14, 13))},
  };
  write_extraction_tar(x, t / "ev.tar", t / "w");
  auto r = run_extract(t / "ev.tar", make_scope(true), key, t / "PKG");
  ASSERT_TRUE(r.ok()) << r.error().message;
  // In scope: three photos of the 13th (two with the same content) and the
  // attachment of the suspect's chat message: two distinct files.
  EXPECT_EQ(r->media_files, 2u);
  EXPECT_TRUE(fs::exists(t / "PKG" / "media" / (sha256_hex(a) + ".jpg")));
  EXPECT_TRUE(fs::exists(t / "PKG" / "media" / (sha256_hex(c) + ".jpg")));
  size_t n = 0;
  for (auto& e : fs::directory_iterator(t / "PKG" / "media")) {
    ++n;
    EXPECT_EQ(read_file(e.path()).find(kCanary), std::string::npos);
  }
  EXPECT_EQ(n, 2u);
  const json s = read_json(t / "PKG" / "stats.json");
  EXPECT_EQ(s["categories"]["media"]["on_device"], 4);
  EXPECT_EQ(s["categories"]["media"]["files_on_device"], 3);  // a and its copy are one file
  EXPECT_EQ(s["categories"]["media"]["in_scope"], 3);
  EXPECT_EQ(s["categories"]["media"]["files_in_scope"], 2);
  // Of the three files of equal size, only the two whose first 64 KiB agree
  // (a and its copy) are hashed whole.
  EXPECT_EQ(s["media_hashed_for_dedup"], 2);
  // The missing attachment is recorded as missing, not copied.
  auto db = pkg::ItemsDbReader::open(t / "PKG" / "items.sqlite");
  ASSERT_TRUE(db.ok());
  int with_media = 0, missing = 0;
  ASSERT_TRUE(db->for_each([&](pkg::StoredItem&& si) {
                  for (size_t k = 0; k < si.media.size(); ++k) {
                    if (!si.media[k].empty()) {
                      ++with_media;
                      EXPECT_TRUE(fs::exists(t / "PKG" / si.media[k]));
                    }
                  }
                  for (const auto& a2 : si.item.attachments) missing += a2.missing;
                }).ok());
  EXPECT_EQ(with_media, 4);  // three photos + one attachment
  EXPECT_EQ(missing, 1);
  EXPECT_TRUE(verify_package(t / "PKG")->ok);
}

TEST(PackageRoundTrip, MediaPathsAndNamesOfOutOfScopeFilesStayOutOfTheAudit) {
  const SigningKey key = test_key();
  TempDir t;
  Extraction x = standard_extraction();
  x.extra = {{"sdcard/DCIM/Camera/IMG_20250101_101500_SECRETNAME.jpg", "\xFF\xD8\xFF"}};
  write_extraction_tar(x, t / "ev.tar", t / "w");
  ASSERT_TRUE(run_extract(t / "ev.tar", make_scope(true), key, t / "PKG").ok());
  for (const auto& rel : all_files(t / "PKG"))
    EXPECT_EQ(read_file(t / "PKG" / rel).find("SECRETNAME"), std::string::npos) << rel;
}

TEST(PackageRoundTrip, UfdrDeviceIdentityReachesTheManifest) {
  const SigningKey key = test_key();
  TempDir t;
  UfdrWriteRequest req;
  req.device.manufacturer = "Samsung";
  req.device.model = "SM-G991B";
  req.device.os_type = "Android";
  req.device.os_version = "13";
  req.device.serial = "R5CR1234567";
  req.device.imeis = {"350000000000001", "350000000000002"};
  req.device.msisdns = {"+447700900001"};
  req.device.tool = "Cellebrite UFED Physical Analyzer";
  req.device.tool_version = "7.60.0.1";
  Item in;
  in.category = Category::message;
  in.service = "sms";
  in.direction = Direction::incoming;
  in.time.utc_ms = utc_ms(2026, 3, 14, 10);
  in.time.raw = format_rfc3339_ms(*in.time.utc_ms);
  in.time.unit = TimeUnit::iso8601;
  in.time.source = TimeSource::recorded;
  in.body = "in scope";
  Party p;
  p.raw = kSuspectE164;
  p.normalised = kSuspectE164;
  p.kind = PartyKind::phone;
  p.role = PartyRole::from;
  in.parties = {p};
  Item out = in;
  out.body = std::string(kCanary) + " out";
  out.time.utc_ms = utc_ms(2025, 3, 14, 10);
  out.time.raw = format_rfc3339_ms(*out.time.utc_ms);
  req.items = {in, out};
  auto w = write_ufdr(t / "phone.ufdr", req);
  ASSERT_TRUE(w.ok()) << w.error().message;
  auto r = run_extract(t / "phone.ufdr", make_scope(), key, t / "PKG");
  ASSERT_TRUE(r.ok()) << r.error().message;
  const json d = read_json(t / "PKG" / "manifest.json")["device"];
  EXPECT_EQ(d["platform"], "android");
  EXPECT_EQ(d["manufacturer"], "Samsung");
  EXPECT_EQ(d["model"], "SM-G991B");
  EXPECT_EQ(d["os_version"], "13");
  EXPECT_EQ(d["serial"], "R5CR1234567");
  EXPECT_EQ(d["imei"], "350000000000001");
  EXPECT_EQ(d["imeis"], json::array({"350000000000001", "350000000000002"}));
  EXPECT_EQ(d["acquired_with"], "Cellebrite UFED Physical Analyzer 7.60.0.1");
  EXPECT_EQ(read_json(t / "PKG" / "manifest.json")["container"]["kind"], "ufdr");
  EXPECT_EQ(r->items_in_scope, 1u);
  EXPECT_TRUE(verify_package(t / "PKG")->ok);
}

TEST(PackageRoundTrip, KeygenWritesAPrivateKeyOnlyTheOwnerCanRead) {
  TempDir t;
  auto pub = write_new_keypair(t / "k");
  ASSERT_TRUE(pub.ok()) << pub.error().message;
  struct stat st {};
  ASSERT_EQ(::stat((t / "k").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  auto loaded = SigningKey::load(t / "k");
  ASSERT_TRUE(loaded.ok()) << loaded.error().message;
  EXPECT_EQ(loaded->public_key(), *pub);
  auto from_pub = load_public_key(t / "k.pub");
  ASSERT_TRUE(from_pub.ok());
  EXPECT_EQ(*from_pub, *pub);
  EXPECT_FALSE(write_new_keypair(t / "k").ok());  // never overwrites
  ::chmod((t / "k").c_str(), 0644);
  auto loose = SigningKey::load(t / "k");
  ASSERT_FALSE(loose.ok());
  EXPECT_NE(loose.error().message.find("chmod 600"), std::string::npos);
  // Signatures: valid, and invalid for any other message or key.
  auto sig = loaded->sign("message");
  ASSERT_TRUE(sig.ok());
  EXPECT_TRUE(verify_signature(*pub, "message", *sig));
  EXPECT_FALSE(verify_signature(*pub, "messagf", *sig));
  EXPECT_FALSE(verify_signature(test_key().public_key(), "message", *sig));
  // base64 is strict: one spelling per value.
  EXPECT_EQ(base64_decode("Zm9vYg=="), std::optional<std::string>("foob"));
  EXPECT_FALSE(base64_decode("Zm9vYh==").has_value());
  EXPECT_FALSE(base64_decode("Zm9vYg=").has_value());
  EXPECT_FALSE(base64_decode(" Zm9vYg==").has_value());
}

TEST(PackageRoundTrip, AuditLogDetectsEveryKindOfChange) {
  const SigningKey key = test_key();
  AuditLog log;
  const AuditActor who{"E", "u", "h"};
  log.append(who, "a.one", 1, std::string(64, 'f'), R"({"n":1})");
  log.append(who, "a.two", 1, std::string(64, 'f'), R"({"n":2})");
  log.append(who, "a.three", 1, std::string(64, 'f'), R"({"n":3})");
  auto text = log.serialise(key);
  ASSERT_TRUE(text.ok());
  auto ok = AuditLog::parse(*text);
  ASSERT_TRUE(ok.ok()) << ok.error().message;
  EXPECT_EQ(ok->records().size(), 3u);
  EXPECT_EQ(ok->records()[1].prev, ok->records()[0].hash);

  AuditProblem p;
  // Records after the seal.
  std::string more = *text + ok->records()[2].line + "\n";
  EXPECT_FALSE(AuditLog::parse(more, &p).ok());
  // No seal.
  const auto last_nl = text->rfind('\n', text->size() - 2);
  EXPECT_FALSE(AuditLog::parse(text->substr(0, last_nl + 1), &p).ok());
  // The last newline replaced by a space (same JSON, different bytes).
  std::string sp = *text;
  sp.back() = ' ';
  EXPECT_FALSE(AuditLog::parse(sp, &p).ok());
  // Two records swapped.
  auto lines = split(*text, '\n');
  std::string swapped = std::string(lines[1]) + "\n" + std::string(lines[0]) + "\n" + std::string(lines[2]) + "\n" +
                        std::string(lines[3]) + "\n";
  EXPECT_FALSE(AuditLog::parse(swapped, &p).ok());
  EXPECT_EQ(p.line, 1u);
}

}  // namespace
}  // namespace remit::test
