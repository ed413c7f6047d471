// The round trip on the generator's synthetic Android extraction
// (`remit synth android`) with its canonical scope, judged by the scope
// engine: the package holds exactly the truth's expected_in_scope items
// (of every parser in the registry), verifies, and no OUT-OF-SCOPE-CANARY
// reaches the package, the reports, TMPDIR, the audit, or (through the
// binary) standard output and error; the evidence is unchanged.
#include <gtest/gtest.h>

#include "package/items_db.hpp"
#include "package_fixture.hpp"
#include "remit/report.hpp"
#include "support/truth.hpp"

namespace remit::test {
namespace {

class SynthRoundTrip : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new TempDir();
    const fs::path tar = dir_->path() / "synthetic.tar";
    auto r = run_remit({"synth", "android", "--out", tar.string(), "--seed", "11", "--days", "120", "--photos", "30"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    // The generator's own scope file (PATH.scope.toml, from the one
    // canonical scope the truth's expected_in_scope is judged by), used as
    // an examiner would: copied, then read back by the scope engine.
    const fs::path generated = tar.string() + ".scope.toml";
    ASSERT_TRUE(fs::exists(generated)) << "remit synth android wrote no " << generated;
    fs::copy_file(generated, dir_->path() / "synthetic.scope.toml");
    auto parsed = load_scope(dir_->path() / "synthetic.scope.toml");
    ASSERT_TRUE(parsed.ok()) << parsed.error().message;
    scope_ = new Scope(std::move(*parsed));
    const auto findings = lint_scope(*scope_, builtin_policy());
    for (const auto& f : findings)
      if (f.severity == Severity::error) ADD_FAILURE() << "plan error " << f.rule << ": " << f.message;
  }
  static void TearDownTestSuite() {
    delete scope_;
    delete dir_;
  }
  static TempDir* dir_;
  static Scope* scope_;
};
TempDir* SynthRoundTrip::dir_ = nullptr;
Scope* SynthRoundTrip::scope_ = nullptr;

TEST_F(SynthRoundTrip, PackageHoldsExactlyTheExpectedItemsAndNoCanary) {
  const fs::path tar = dir_->path() / "synthetic.tar";
  const std::string sha = sha256_of_file(tar);
  const fs::path tmp = dir_->path() / "tmp";
  fs::create_directories(tmp);
  ::setenv("TMPDIR", tmp.c_str(), 1);

  const SigningKey key = test_key();
  const Scope& scope = *scope_;
  ExtractOptions o;
  o.artifacts = &artifact_registry();
  const fs::path pkg = dir_->path() / "PKG";
  auto r = run_extract(tar, scope, key, pkg, o);
  ASSERT_TRUE(r.ok()) << r.error().message;
  ASSERT_TRUE(write_reports(pkg, key).ok());
  auto v = verify_package(pkg);
  ASSERT_TRUE(v->ok) << v->message;

  // Every truth item of a parser in the registry counts: the package must
  // hold exactly those of them the truth marks expected_in_scope.
  std::set<std::string> parsers;
  for (const auto& spec : artifact_registry()) parsers.insert(std::string(spec.id));
  const auto truth = load_truth(tar.string() + ".truth.jsonl");
  std::set<std::string> expected;
  std::set<std::string> parsed_tables;
  {
    auto db = pkg::ItemsDbReader::open(pkg / "items.sqlite");
    ASSERT_TRUE(db.ok());
    ASSERT_TRUE(db->for_each([&](pkg::StoredItem&& si) {
                    parsed_tables.insert(si.item.provenance.parser + " " + si.item.provenance.table);
                  }).ok());
  }
  size_t relevant = 0;
  for (const auto& t : truth) {
    const auto& p = t.item.provenance;
    if (!parsers.count(p.parser)) continue;
    ++relevant;
    if (t.expected_in_scope) expected.insert(p.locator());
  }
  EXPECT_TRUE(parsed_tables.count("android.sms sms")) << "no in-scope SMS at all";
  EXPECT_TRUE(parsed_tables.count("android.calllog calls")) << "no in-scope calls at all";
  auto db = pkg::ItemsDbReader::open(pkg / "items.sqlite");
  auto locs = db->locators(false);
  const std::set<std::string> got(locs->begin(), locs->end());
  EXPECT_EQ(got, expected);
  EXPECT_GE(expected.size(), 5u);
  EXPECT_GT(relevant, 500u);
  std::printf("[ info ] %zu of %zu items of the registry's parsers are in scope; %llu items read in all\n",
              expected.size(), relevant, static_cast<unsigned long long>(r->items_seen));

  // The canary is in the evidence, and nowhere else.
  ASSERT_NE(read_file(tar).find(kCanary), std::string::npos);
  for (const fs::path& root : {pkg, tmp})
    for (auto& e : fs::recursive_directory_iterator(root))
      if (e.is_regular_file()) {
        EXPECT_EQ(read_file(e.path()).find(kCanary), std::string::npos) << e.path();
      }
  EXPECT_EQ(sha256_of_file(tar), sha);
  ::unsetenv("TMPDIR");
}

TEST_F(SynthRoundTrip, TheBinaryKeepsTheCanaryOutOfEverything) {
  const fs::path tar = dir_->path() / "synthetic.tar";
  const fs::path tmp = dir_->path() / "tmp-cli";
  fs::create_directories(tmp);
  const std::map<std::string, std::string> env = {{"TMPDIR", tmp.string()}, {"SQLITE_TMPDIR", tmp.string()}};
  const fs::path key = dir_->path() / "cli.key";
  ASSERT_EQ(run_remit({"keygen", "--out", key.string()}, env).exit_code, 0);
  const fs::path pkg = dir_->path() / "PKG-CLI";
  std::vector<RunResult> runs;
  runs.push_back(run_remit({"plan", (dir_->path() / "synthetic.scope.toml").string()}, env));
  runs.push_back(run_remit({"extract", tar.string(), "--scope", (dir_->path() / "synthetic.scope.toml").string(),
                            "--out", pkg.string(), "--key", key.string(), "--examiner", "Synthetic Examiner"},
                           env));
  ASSERT_EQ(runs.back().exit_code, 0) << runs.back().err;
  runs.push_back(run_remit({"verify", pkg.string(), "--trusted-key", key.string() + ".pub"}, env));
  EXPECT_EQ(runs.back().exit_code, 0) << runs.back().out;
  runs.push_back(run_remit({"report", pkg.string(), "--key", key.string()}, env));
  EXPECT_EQ(runs.back().exit_code, 0) << runs.back().err;
  for (const auto& r : runs) {
    EXPECT_EQ(r.out.find(kCanary), std::string::npos) << r.out;
    EXPECT_EQ(r.err.find(kCanary), std::string::npos) << r.err;
  }
  for (const fs::path& root : {pkg, tmp})
    for (auto& e : fs::recursive_directory_iterator(root))
      if (e.is_regular_file()) {
        EXPECT_EQ(read_file(e.path()).find(kCanary), std::string::npos) << e.path();
      }
  EXPECT_TRUE(fs::exists(pkg / "reports" / "transparency.html"));
}

}  // namespace
}  // namespace remit::test
