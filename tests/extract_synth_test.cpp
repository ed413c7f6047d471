// The round trip on the generator's synthetic Android extraction
// (`remit synth android`): the package holds exactly the truth's
// expected_in_scope items (for the parsers that exist), verifies, and no
// OUT-OF-SCOPE-CANARY reaches the package, the reports, TMPDIR, or the
// audit; the evidence is unchanged.
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

// The canonical scope's semantics (docs/synth.md "The canonical scope"):
// messages and calls with the suspect in the window; in group chats only
// messages the suspect sent. A stand-in for tests until the scope engine's
// matcher is on main.
MatchResult canonical_match(const Scope& s, const Item& it) {
  MatchResult r;
  const auto& l = s.lines.front();
  if (std::find(l.categories.begin(), l.categories.end(), it.category) == l.categories.end()) return r;
  if (!it.time.utc_ms) return r;
  bool in_window = false;
  for (const auto& w : l.windows)
    if (*it.time.utc_ms >= w.start_ms && *it.time.utc_ms < w.end_ms) in_window = true;
  if (!in_window) return r;
  bool party = false;
  for (const auto& p : it.parties)
    for (const auto& sp : l.parties)
      if (p.normalised == sp.id.value && (!it.group || p.role == PartyRole::from)) party = true;
  if (!party) return r;
  r.in_scope = true;
  r.lines = {l.id};
  return r;
}

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
    scope_ = new Scope(c.to_scope());
    scope_->text = cs.dump(2) + "\n";  // until PATH.scope.toml exists
    scope_->sha256 = sha256_hex(scope_->text);
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
  o.match = [&scope](const Item& it) { return canonical_match(scope, it); };
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

}  // namespace
}  // namespace remit::test
