// Hostile input to the scope layer's own code (the local time and duration
// readers, the syllable counter, number masking, folding), replayed as an
// ordinary test: deterministic mutations of the example scope files and
// random bytes. Every input must give a result or an error, never a crash,
// and every scope that reads must lint, render its notice and round-trip.
#include <gtest/gtest.h>

#include <fstream>
#include <random>
#include <sstream>

#include "remit/notice.hpp"
#include "remit/party.hpp"
#include "remit/scope.hpp"

namespace remit {
namespace {

namespace fs = std::filesystem;

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::string mutate(std::string s, std::mt19937& rng) {
  static const std::string kTokens[] = {"\"",
                                        "'",
                                        "[",
                                        "]",
                                        "{",
                                        "}",
                                        "=",
                                        "\n",
                                        "2026-13-40",
                                        "T25:61:61",
                                        "\\u0000",
                                        "\xff",
                                        "\xe2\x80\xae",
                                        "99999999999999999999",
                                        "-",
                                        "+",
                                        ":",
                                        ".",
                                        "[[line]]\nid=\"L9\"\n",
                                        "tolerance = \"999999d\"\n",
                                        "0",
                                        "Z",
                                        "#"};
  std::uniform_int_distribution<int> op(0, 4);
  const int n = 1 + static_cast<int>(rng() % 4);
  for (int i = 0; i < n && !s.empty(); ++i) {
    const size_t pos = rng() % s.size();
    switch (op(rng)) {
      case 0:
        s[pos] = static_cast<char>(rng() & 0xff);
        break;
      case 1:
        s.erase(pos, 1 + rng() % 16);
        break;
      case 2:
        s.insert(pos, kTokens[rng() % std::size(kTokens)]);
        break;
      case 3:
        s.resize(pos);
        break;
      case 4: {
        const size_t len = 1 + rng() % 64;
        s.insert(pos, s.substr(rng() % s.size(), len));
        break;
      }
    }
  }
  return s;
}

TEST(ScopeRobustness, MutatedExampleScopesNeverCrash) {
  const fs::path dir = fs::path(REMIT_SOURCE_DIR) / "examples" / "scopes";
  std::mt19937 rng(20260313);
  PartyNormaliser norm("GB");
  Item probe;
  probe.category = Category::message;
  probe.time.utc_ms = 1773482400000;  // 2026-03-14T10:00Z
  probe.body = "Café knife";
  Party p;
  p.raw = "07700 900123";
  p.role = PartyRole::from;
  probe.parties.push_back(p);
  size_t read_ok = 0, total = 0;
  for (const char* name :
       {"proportionate.toml", "seven-years-everything.toml", "child-witness.toml", "proportionate-v2.toml"}) {
    const std::string base = slurp(dir / name);
    ASSERT_FALSE(base.empty());
    for (int i = 0; i < 300; ++i) {
      const std::string text = mutate(base, rng);
      ++total;
      auto s = parse_scope(text, "mutated.toml");
      if (!s.ok()) {
        EXPECT_FALSE(s.error().message.empty());
        continue;
      }
      ++read_ok;
      (void)lint_scope(*s, builtin_policy());
      auto n = render_notice(*s);
      EXPECT_TRUE(n.ok());
      ScopeMatcher m(*s, norm);
      (void)m.match(probe);
      auto again = parse_scope(render_scope_toml(*s), "again.toml");
      EXPECT_TRUE(again.ok()) << (again.ok() ? "" : again.error().message);
    }
  }
  // The mutations must exercise both paths.
  EXPECT_GT(read_ok, total / 20);
  EXPECT_LT(read_ok, total);
}

TEST(ScopeRobustness, TextFunctionsTakeAnyBytes) {
  std::mt19937 rng(7);
  for (int i = 0; i < 3000; ++i) {
    std::string s(rng() % 200, '\0');
    for (auto& c : s) c = static_cast<char>(rng() & 0xff);
    const Readability r = flesch_reading_ease(s);
    EXPECT_LE(r.sentences, r.words + 1);
    EXPECT_GE(count_syllables(s), 1u);
    (void)mask_numbers_in_text(s);
    (void)make_window(s, s, "Europe/London");
  }
  EXPECT_EQ(mask_numbers_in_text(std::string(10000, '7')), "[number ending 7777]");
  EXPECT_GE(flesch_reading_ease(std::string(100000, 'a')).words, 1u);
}

TEST(ScopeRobustness, MatcherTakesHostileItems) {
  auto s = parse_scope(R"(
[case]
time_zone = "Europe/London"
[[line]]
id = "L1"
categories = ["message"]
parties = ["07700 900123"]
windows = [{ start = 2026-03-13, end = 2026-03-17 }]
keywords = ["café", { pattern = "(a|b)*c", regex = true }]
)",
                       "k.toml");
  ASSERT_TRUE(s.ok()) << s.error().message;
  PartyNormaliser norm("GB");
  ScopeMatcher m(*s, norm);
  std::mt19937 rng(11);
  for (int i = 0; i < 500; ++i) {
    Item it;
    it.category = Category::message;
    it.time.utc_ms = 1773482400000;
    Party p;
    p.raw = "07700 900123";
    p.role = PartyRole::from;
    it.parties.push_back(p);
    it.body.resize(rng() % 5000);
    for (auto& c : it.body) c = static_cast<char>(rng() & 0xff);
    (void)m.match(it);
  }
  Item big;
  big.category = Category::message;
  big.time.utc_ms = 1773482400000;
  Party bp;
  bp.raw = "07700 900123";
  bp.role = PartyRole::from;
  big.parties.push_back(bp);
  big.body = std::string(2'000'000, 'a') + "c";
  EXPECT_TRUE(m.match(big).in_scope);  // linear time: RE2, no backtracking blow-up
}

}  // namespace
}  // namespace remit
