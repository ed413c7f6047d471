// Scoped runs over synthetic extractions with the generator's own scope
// file (issue 7): `remit items EXTRACTION --scope EXTRACTION.scope.toml`
// returns exactly the truth's expected_in_scope items, and the
// OUT-OF-SCOPE-CANARY marker appears nowhere in what remit prints.
//
// The generator places everything another group-chat rule or an edge
// tolerance could bring in more than three days outside the window, so the
// same set must come out with `whole_conversation` and a 2-day tolerance.
#include <gtest/gtest.h>

#include <set>

#include "support/support.hpp"
#include "support/truth.hpp"

namespace remit::test {
namespace {

std::set<std::string> locators(const std::vector<Item>& items) {
  std::set<std::string> s;
  for (const auto& it : items) s.insert(it.provenance.locator());
  return s;
}

std::string replace_once(std::string text, const std::string& from, const std::string& to) {
  const auto p = text.find(from);
  EXPECT_NE(p, std::string::npos) << "scope file lacks: " << from;
  if (p != std::string::npos) text.replace(p, from.size(), to);
  return text;
}

struct Case {
  std::string name;
  std::vector<std::string> variants;
};
// Names the parameter in test listings (instead of its bytes).
void PrintTo(const Case& v, std::ostream* os) {
  *os << v.name;
}

class ScopedGeneratorRun : public ::testing::TestWithParam<Case> {};

TEST_P(ScopedGeneratorRun, ReturnsExactlyTheExpectedInScopeItems) {
  TempDir t;
  const fs::path out = t / "phone.tar";
  std::vector<std::string> args = {"synth",  "android", "--out",      out.string(), "--seed",   "21",
                                   "--days", "60",      "--contacts", "30",         "--photos", "10"};
  for (const auto& v : GetParam().variants) {
    args.push_back("--variant");
    args.push_back(v);
  }
  auto gen = run_remit(args);
  ASSERT_EQ(gen.exit_code, 0) << gen.err;
  const auto truth = load_truth(fs::path(out.string() + ".truth.jsonl"));
  std::set<std::string> expected;
  for (const auto& r : truth)
    if (r.expected_in_scope) expected.insert(r.item.provenance.locator());
  ASSERT_GT(expected.size(), 5u) << "the story must put something in scope";

  const fs::path scope = out.string() + ".scope.toml";
  const std::string scope_text = read_file(scope);
  auto plan = run_remit({"plan", scope.string()});
  EXPECT_EQ(plan.exit_code, 0) << plan.out << plan.err;

  // The canonical scope, then the same line with the other group rule and a
  // tolerance: the truth is unambiguous under every rule.
  const std::string wider =
      replace_once(replace_once(scope_text, "group_chats = \"sent_by_party\"", "group_chats = \"whole_conversation\""),
                   "tolerance = \"0\"", "tolerance = \"2d\"");
  write_file(t / "wider.scope.toml", wider);
  for (const fs::path& s : {scope, t / "wider.scope.toml"}) {
    auto r = run_remit({"items", out.string(), "--scope", s.string()}, {{"REMIT_STATE_DIR", (t / "state").string()}});
    ASSERT_EQ(r.exit_code, 0) << s << r.err;
    const auto items = parse_items(r.out);
    const auto got = locators(items);
    EXPECT_EQ(got, expected) << s.filename();
    for (const auto& l : expected)
      if (!got.count(l)) ADD_FAILURE() << "missing " << l;
    for (const auto& l : got)
      if (!expected.count(l)) ADD_FAILURE() << "extra " << l;
    EXPECT_EQ(r.out.find("OUT-OF-SCOPE-CANARY"), std::string::npos) << "canary on stdout";
    EXPECT_EQ(r.err.find("OUT-OF-SCOPE-CANARY"), std::string::npos) << "canary on stderr";
    for (const auto& it : items) EXPECT_FALSE(it.body.find("OUT-OF-SCOPE-CANARY") != std::string::npos);
  }
  // Scoped runs are not unscoped dumps: nothing goes to the unscoped audit log.
  EXPECT_FALSE(fs::exists(t / "state" / "unscoped-audit.jsonl"));
}

INSTANTIATE_TEST_SUITE_P(Variants, ScopedGeneratorRun,
                         ::testing::Values(Case{"defaults", {}}, Case{"whatsapp_legacy", {"whatsapp-legacy"}},
                                           Case{"samsung_calls_data_data", {"calllog-samsung", "prefix-data-data"}}),
                         [](const auto& info) { return info.param.name; });

}  // namespace
}  // namespace remit::test
