// Runs every golden case under tests/cases/ (format: tests/cases/README.md):
// builds the evidence, parses it with the real pipeline, and compares the
// items, in order, with expected.jsonl (each expected line is a subset of
// the actual item's JSON).
#include "support/golden.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "remit/registry.hpp"
#include "remit/source.hpp"
#include "support/support.hpp"

namespace remit::test {
namespace {

class Golden : public ::testing::TestWithParam<GoldenCase> {};

TEST_P(Golden, ItemsMatchExpected) {
  const GoldenCase& c = GetParam();
  TempDir work;
  std::string skip;
  const auto evidence = build_case_evidence(c, work.path(), skip);
  if (evidence.empty()) GTEST_SKIP() << skip;

  SourceOptions so;
  so.hash_container = false;
  so.retain = is_wanted_path;
  auto src = open_source(evidence, so);
  ASSERT_TRUE(src.ok()) << src.error().message;
  PartyNormaliser parties(c.spec.value("region", "GB"));
  std::vector<nlohmann::json> actual;
  auto scan =
      scan_source(**src, parties, [&](Item&& it) { actual.push_back(nlohmann::json::parse(to_json_line(it))); });

  std::vector<nlohmann::json> expected;
  {
    std::istringstream in(read_file(c.dir / "expected.jsonl"));
    std::string line;
    while (std::getline(in, line))
      if (!line.empty() && line[0] != '#') expected.push_back(nlohmann::json::parse(line));
  }
  const size_t want = c.spec.value("expect_count", expected.size());
  ASSERT_EQ(actual.size(), want) << c.name << ": item count";
  for (size_t i = 0; i < expected.size() && i < actual.size(); ++i) {
    std::string where = "item[" + std::to_string(i) + "]";
    EXPECT_TRUE(json_subset(expected[i], actual[i], where))
        << c.name << ": mismatch at " << where << "\nexpected: " << expected[i].dump()
        << "\nactual:   " << actual[i].dump();
  }
  std::multiset<std::string> codes;
  for (const auto& w : scan.warnings) codes.insert(w.code);
  for (const auto& code : c.spec.value("expect_warnings", std::vector<std::string>{}))
    EXPECT_TRUE(codes.count(code)) << c.name << ": expected a warning with code " << code;
  for (const auto& code : c.spec.value("forbid_warnings", std::vector<std::string>{}))
    EXPECT_FALSE(codes.count(code)) << c.name << ": unexpected warning with code " << code;
  if (c.spec.value("expect_no_crash_only", false)) SUCCEED();
}

std::string case_name(const ::testing::TestParamInfo<GoldenCase>& info) {
  std::string n = info.param.name;
  for (char& ch : n)
    if (!std::isalnum(static_cast<unsigned char>(ch))) ch = '_';
  return n;
}

INSTANTIATE_TEST_SUITE_P(Cases, Golden, ::testing::ValuesIn(golden_cases()), case_name);
GTEST_ALLOW_UNINSTANTIATED_PARAMETERIZED_TEST(Golden);

TEST(Registry, EveryParserHasAGoldenCaseAndAUniqueName) {
  std::set<std::string> names;
  for (const auto& spec : artifact_registry()) {
    auto p = spec.make();
    EXPECT_EQ(std::string(spec.id), std::string(p->name())) << "registry id must equal the parser's name()";
    EXPECT_TRUE(names.insert(std::string(spec.id)).second) << "duplicate parser name " << spec.id;
    EXPECT_FALSE(p->references().empty()) << spec.id << " must cite its references";
    EXPECT_FALSE(p->version().empty());
    EXPECT_FALSE(spec.patterns.empty());
  }
  std::set<std::string> covered;
  for (const auto& c : golden_cases())
    for (const auto& p : c.spec.value("parsers", std::vector<std::string>{})) covered.insert(p);
  for (const auto& n : names) EXPECT_TRUE(covered.count(n)) << "parser " << n << " has no golden case in tests/cases";
}

}  // namespace
}  // namespace remit::test
