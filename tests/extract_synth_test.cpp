// The round trip on the generator's synthetic Android extraction
// (`remit synth android`) with its canonical scope, judged by the scope
// engine: the package holds exactly the truth's expected_in_scope items
// (for the parsers that exist), verifies, and no OUT-OF-SCOPE-CANARY
// reaches the package, the reports, TMPDIR, the audit, or (through the
// binary) standard output and error; the evidence is unchanged.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "package/items_db.hpp"
#include "package_fixture.hpp"
#include "remit/report.hpp"
#include "support/truth.hpp"
#include "synth/scope_model.hpp"

namespace remit::test {
namespace {

using json = nlohmann::json;

class SynthRoundTrip : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new TempDir();
    const fs::path tar = dir_->path() / "synthetic.tar";
    auto r = run_remit({"synth", "android", "--out", tar.string(), "--seed", "11", "--days", "120", "--photos", "30"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const json story = json::parse(read_file(tar.string() + ".story.json"));
    const json& cs = story["canonical_scope"];
    synth::CanonicalScope c;
    c.case_reference = cs["case_reference"];
    c.time_zone = cs["time_zone"];
    c.region = cs["region"];
    c.window_start_date = cs["window"]["start_date"];
    c.window_end_date = cs["window"]["end_date"];
    c.window_start_ms = *parse_iso8601_ms(cs["window"]["start_utc"].get<std::string>());
    c.window_end_ms = *parse_iso8601_ms(cs["window"]["end_utc_exclusive"].get<std::string>());
    for (const auto& p : cs["parties"]) c.parties.push_back({p["raw"], p["e164"], p["label"]});
    // The canonical scope as a scope file (until the generator writes
    // PATH.scope.toml), read back by the scope engine.
    Scope s0 = c.to_scope();
    // to_scope() leaves out what the plan check requires of a real request
    // (agreement and sanction times, handling): synthetic values here.
    const int64_t after = c.window_end_ms + 2 * 86400000LL;
    s0.agreement.time_ms = after + 3600000;
    s0.agreement.time_text = format_rfc3339_ms(after + 3600000).substr(0, 19);
    s0.authorisation.sanction_time_ms = after;
    s0.authorisation.sanction_time_text = format_rfc3339_ms(after).substr(0, 19);
    s0.handling.review_date = "2030-01-01";
    s0.handling.delete_out_of_scope_by = "2029-12-31";
    s0.handling.device_return_target = format_date_utc(after + 7 * 86400000LL);
    s0.handling.contact = "the officer in the case (synthetic)";
    s0.handling.advocate_service = "an ISVA service (synthetic)";
    const std::string toml = render_scope_toml(s0);
    write_file(dir_->path() / "synthetic.scope.toml", toml);
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

  // The parsers in the registry, and the tables they read today.
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
  // The parsers on main may read fewer tables than the generator writes
  // (e.g. MMS pdu rows): compare the (parser, table) pairs the package has
  // items from, and require at least SMS and calls.
  size_t relevant = 0;
  for (const auto& t : truth) {
    const auto& p = t.item.provenance;
    if (!parsers.count(p.parser)) continue;
    if (!parsed_tables.count(p.parser + " " + p.table)) continue;
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
  std::printf("[ info ] %zu of %zu items of the parsers present are in scope; %llu items read in all\n",
              expected.size(), relevant, static_cast<unsigned long long>(r->items_seen));

  // The canary is in the evidence, and nowhere else.
  ASSERT_NE(read_file(tar).find(kCanary), std::string::npos);
  for (const fs::path& root : {pkg, tmp})
    for (auto& e : fs::recursive_directory_iterator(root))
      if (e.is_regular_file()) EXPECT_EQ(read_file(e.path()).find(kCanary), std::string::npos) << e.path();
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
      if (e.is_regular_file()) EXPECT_EQ(read_file(e.path()).find(kCanary), std::string::npos) << e.path();
  EXPECT_TRUE(fs::exists(pkg / "reports" / "transparency.html"));
}

}  // namespace
}  // namespace remit::test
