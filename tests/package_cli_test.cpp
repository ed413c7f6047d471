// The package commands as a user runs them: keygen, verify, report (exit
// codes, messages, --json). Packages are made with the library here; the
// extract command itself is exercised in tests/extract_cli_test.cpp.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <nlohmann/json.hpp>

#include "package_fixture.hpp"

namespace remit::test {
namespace {

using json = nlohmann::json;

struct CliPackage {
  TempDir t;
  fs::path pkg;
  CliPackage() {
    write_extraction_tar(standard_extraction(), t / "ev.tar", t / "work");
    auto k = run_remit({"keygen", "--out", (t / "key").string()});
    EXPECT_EQ(k.exit_code, 0) << k.err;
    auto key = SigningKey::load(t / "key");
    EXPECT_TRUE(key.ok());
    pkg = t / "PKG";
    auto r = run_extract(t / "ev.tar", make_scope(), *key, pkg);
    EXPECT_TRUE(r.ok()) << r.error().message;
  }
};

TEST(PackageCli, KeygenMakesAnOwnerOnlyKeyAndNeverOverwrites) {
  TempDir t;
  auto r = run_remit({"keygen", "--out", (t / "k").string(), "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const json j = json::parse(r.out);
  EXPECT_EQ(j["algorithm"], "Ed25519");
  EXPECT_EQ(j["public_key"].get<std::string>().size(), 44u);
  struct stat st {};
  ASSERT_EQ(::stat((t / "k").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  EXPECT_TRUE(fs::exists(t / "k.pub"));
  const std::string before = read_file(t / "k");
  auto again = run_remit({"keygen", "--out", (t / "k").string()});
  EXPECT_EQ(again.exit_code, 2);
  EXPECT_NE(again.err.find("already exists"), std::string::npos);
  EXPECT_EQ(read_file(t / "k"), before);
  EXPECT_EQ(run_remit({"keygen"}).exit_code, 2);  // --out is required
}

TEST(PackageCli, VerifySaysWhatItProvesAndNamesTheFirstProblem) {
  CliPackage p;
  auto plain = run_remit({"verify", p.pkg.string()});
  EXPECT_EQ(plain.exit_code, 0) << plain.out << plain.err;
  EXPECT_NE(plain.out.find("intact"), std::string::npos);
  EXPECT_NE(plain.out.find("UNVERIFIED"), std::string::npos);

  auto trusted = run_remit({"verify", p.pkg.string(), "--trusted-key", (p.t / "key.pub").string()});
  EXPECT_EQ(trusted.exit_code, 0) << trusted.out;
  EXPECT_NE(trusted.out.find("a trusted key"), std::string::npos);
  EXPECT_EQ(trusted.out.find("UNVERIFIED"), std::string::npos);

  ASSERT_EQ(run_remit({"keygen", "--out", (p.t / "other").string()}).exit_code, 0);
  auto wrong = run_remit({"verify", p.pkg.string(), "--trusted-key", (p.t / "other.pub").string(), "--json"});
  EXPECT_EQ(wrong.exit_code, 1);
  const json wj = json::parse(wrong.out);
  EXPECT_FALSE(wj["ok"]);
  EXPECT_EQ(wj["first_problem"]["file"], "manifest.sig");

  // A changed item database is named, in text and in JSON.
  std::string db = read_file(p.pkg / "items.sqlite");
  db[db.size() / 2] ^= 0x20;
  write_file(p.pkg / "items.sqlite", db);
  auto bad = run_remit({"verify", p.pkg.string()});
  EXPECT_EQ(bad.exit_code, 1);
  EXPECT_NE(bad.out.find("NOT INTACT"), std::string::npos);
  EXPECT_NE(bad.out.find("items.sqlite"), std::string::npos);
  auto badj = run_remit({"verify", p.pkg.string(), "--json"});
  EXPECT_EQ(badj.exit_code, 1);
  EXPECT_EQ(json::parse(badj.out)["first_problem"]["file"], "items.sqlite");

  auto missing = run_remit({"verify", (p.t / "nope").string()});
  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_NE(missing.err.find("nope"), std::string::npos);
  auto badkey = run_remit({"verify", p.pkg.string(), "--trusted-key", (p.t / "ev.tar").string()});
  EXPECT_EQ(badkey.exit_code, 2);
}

TEST(PackageCli, ReportWritesSignedReportsAndRefusesABrokenPackage) {
  CliPackage p;
  auto r = run_remit({"report", p.pkg.string(), "--key", (p.t / "key").string(), "--examiner", "DC Test", "--held-at",
                      "the DFU evidence store"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find((p.pkg / "reports" / "report.html").string()), std::string::npos);
  EXPECT_NE(r.out.find((p.pkg / "reports" / "transparency.html").string()), std::string::npos);
  EXPECT_EQ(run_remit({"verify", p.pkg.string(), "--trusted-key", (p.t / "key.pub").string()}).exit_code, 0);
  // The run is in the audit, under the given name.
  const std::string audit = read_file(p.pkg / "audit.jsonl");
  EXPECT_NE(audit.find("\"action\":\"report.generated\""), std::string::npos);
  EXPECT_NE(audit.find("\"examiner\":\"DC Test\""), std::string::npos);
  // Reports can be made again (replacing the old ones atomically).
  auto again = run_remit({"report", p.pkg.string(), "--key", (p.t / "key").string(), "--json"});
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_EQ(json::parse(again.out)["items"], 4);
  EXPECT_EQ(run_remit({"verify", p.pkg.string()}).exit_code, 0);

  // A key others can read is refused; a package that does not verify gets no reports.
  ::chmod((p.t / "key").c_str(), 0640);
  auto loose = run_remit({"report", p.pkg.string(), "--key", (p.t / "key").string()});
  EXPECT_EQ(loose.exit_code, 2);
  EXPECT_NE(loose.err.find("chmod 600"), std::string::npos);
  ::chmod((p.t / "key").c_str(), 0600);
  write_file(p.pkg / "scope.json", "{}");
  const std::string reports_before = read_file(p.pkg / "reports" / "manifest.json");
  auto refused = run_remit({"report", p.pkg.string(), "--key", (p.t / "key").string()});
  EXPECT_EQ(refused.exit_code, 1);
  EXPECT_NE(refused.err.find("does not verify"), std::string::npos);
  EXPECT_EQ(read_file(p.pkg / "reports" / "manifest.json"), reports_before);
}

}  // namespace
}  // namespace remit::test
