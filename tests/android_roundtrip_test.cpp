// Generator round trip for every Android variant: `remit synth android`
// writes an extraction and its ground truth (PATH.truth.jsonl); every
// Android parser reads the extraction back, and per category the parsed
// items must equal the truth exactly (precision 1 and recall 1,
// tests/support/truth.hpp).

#include <gtest/gtest.h>

#include <set>
#include <string>
#include <vector>

#include "remit/registry.hpp"
#include "remit/source.hpp"
#include "support/support.hpp"
#include "support/truth.hpp"

namespace remit::test {
namespace {

struct Variant {
  std::string name;
  std::vector<std::string> flags;
};
// Names the parameter in test listings (instead of its bytes).
void PrintTo(const Variant& v, std::ostream* os) {
  *os << v.name;
}

std::string problems_text(const TruthDiff& d) {
  std::string s;
  for (size_t i = 0; i < d.problems.size() && i < 15; ++i) s += "  " + d.problems[i] + "\n";
  return s;
}

class AndroidRoundTrip : public ::testing::TestWithParam<Variant> {};

TEST_P(AndroidRoundTrip, EveryCategoryParsesToTheTruth) {
  TempDir t;
  const fs::path out = t / "x.tar";
  std::vector<std::string> args = {"synth", "android",    "--out", out.string(),         "--seed", "11",       "--days",
                                   "60",    "--contacts", "30",    "--messages-per-day", "12",     "--photos", "12"};
  for (const auto& v : GetParam().flags) {
    args.push_back("--variant");
    args.push_back(v);
  }
  auto gen = run_remit(args);
  ASSERT_EQ(gen.exit_code, 0) << gen.err;
  auto truth = load_truth(fs::path(out.string() + ".truth.jsonl"));
  ASSERT_FALSE(truth.empty());

  SourceOptions so;
  so.retain = is_wanted_path;
  auto src = open_source(out, so);
  ASSERT_TRUE(src.ok()) << src.error().message;
  PartyNormaliser parties("GB");
  std::vector<Item> items;
  auto scan = scan_source(**src, parties, [&](Item&& it) { items.push_back(std::move(it)); });
  for (const auto& w : scan.warnings) EXPECT_NE(w.code, "parser_failed") << w.parser << " " << w.path;

  std::set<Category> present;
  for (const auto& r : truth) present.insert(r.item.category);
  for (const auto& it : items) present.insert(it.category);
  for (Category c : present) {
    TruthFilter f;
    f.categories = {c};
    const TruthDiff d = compare_with_truth(items, truth, f);
    EXPECT_TRUE(d.exact()) << GetParam().name << " / " << to_string(c) << ": expected " << d.expected << ", parsed "
                           << d.parsed << ", matched " << d.matched << " (precision " << d.precision() << ", recall "
                           << d.recall() << ")\n"
                           << problems_text(d);
    RecordProperty(std::string(to_string(c)) + "_expected", static_cast<int>(d.expected));
    RecordProperty(std::string(to_string(c)) + "_matched", static_cast<int>(d.matched));
  }
}

INSTANTIATE_TEST_SUITE_P(Variants, AndroidRoundTrip,
                         ::testing::Values(Variant{"defaults", {}}, Variant{"whatsapp_legacy", {"whatsapp-legacy"}},
                                           Variant{"calllog_contacts2", {"calllog-contacts2"}},
                                           Variant{"calllog_samsung", {"calllog-samsung"}},
                                           Variant{"prefix_data_data", {"prefix-data-data"}}, Variant{"wal", {"wal"}},
                                           Variant{"legacy_samsung_datadata_wal",
                                                   {"whatsapp-legacy", "calllog-samsung", "prefix-data-data", "wal"}}),
                         [](const auto& info) { return info.param.name; });

}  // namespace
}  // namespace remit::test
