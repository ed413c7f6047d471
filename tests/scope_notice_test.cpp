// The notice to the device user (docs/notice.md): readability scores on
// reference passages, the syllable counter word by word, the six required
// statements, masking, self-contained escaped HTML, atomic writing.
#include <gtest/gtest.h>

#include <regex>
#include <set>

#include "remit/hash.hpp"
#include "remit/notice.hpp"
#include "remit/party.hpp"
#include "remit/scope.hpp"
#include "support/support.hpp"

namespace remit {
namespace {

namespace fs = std::filesystem;
using test::TempDir;

Scope example(const std::string& name) {
  auto s = load_scope(fs::path(REMIT_SOURCE_DIR) / "examples" / "scopes" / name);
  EXPECT_TRUE(s.ok()) << (s.ok() ? "" : s.error().message);
  return s.ok() ? std::move(*s) : Scope{};
}

// --- Readability -----------------------------------------------------------

// Published worked examples (the `flesch` package README and the Wikipedia
// article on the Flesch tests): "The cat sat on the mat." has 1 sentence,
// 6 words, 6 syllables: 116.145. "The Australian platypus is seemingly a
// hybrid of a mammal and reptilian creature." has 1 sentence, 13 words,
// 26 syllables: 24.44.
TEST(Readability, PublishedWorkedExamples) {
  const Readability cat = flesch_reading_ease("The cat sat on the mat.");
  EXPECT_EQ(cat.sentences, 1u);
  EXPECT_EQ(cat.words, 6u);
  EXPECT_EQ(cat.syllables, 6u);
  EXPECT_NEAR(cat.score, 116.145, 1e-9);

  const Readability platypus =
      flesch_reading_ease("The Australian platypus is seemingly a hybrid of a mammal and reptilian creature.");
  EXPECT_EQ(platypus.sentences, 1u);
  EXPECT_EQ(platypus.words, 13u);
  EXPECT_EQ(platypus.syllables, 26u);
  EXPECT_NEAR(platypus.score, 24.44, 1e-9);
}

// Hand-counted passages; the expected scores are the formula applied to
// the hand counts.
TEST(Readability, HandCountedPassages) {
  // 15 words, 2 sentences; you can say no (4) + if you say no that a-lone
  // will not stop the in-ves-ti-ga-tion (16) = 20 syllables.
  const Readability r =
      flesch_reading_ease("You can say no. If you say no, that alone will not stop the investigation.");
  EXPECT_EQ(r.words, 15u);
  EXPECT_EQ(r.sentences, 2u);
  EXPECT_EQ(r.syllables, 20u);
  EXPECT_NEAR(r.score, 206.835 - 1.015 * 7.5 - 84.6 * 20.0 / 15.0, 1e-9);

  // Figures are one-syllable words (Flesch): 5 words, 5 syllables.
  const Readability figures = flesch_reading_ease("Call 020 7946 0123 now.");
  EXPECT_EQ(figures.words, 5u);
  EXPECT_EQ(figures.syllables, 5u);
  EXPECT_NEAR(figures.score, 206.835 - 1.015 * 5 - 84.6, 1e-9);

  // A line break ends a unit of speech: 2 sentences, Help + Ask the of-fi-cer.
  const Readability lines = flesch_reading_ease("Help\nAsk the officer");
  EXPECT_EQ(lines.sentences, 2u);
  EXPECT_EQ(lines.words, 4u);
  EXPECT_EQ(lines.syllables, 6u);
  EXPECT_NEAR(lines.score, 206.835 - 1.015 * 2 - 84.6 * 1.5, 1e-9);

  // Abbreviations in capitals are one syllable; hyphenated words are one word.
  const Readability abbr = flesch_reading_ease("An ISVA can help.");
  EXPECT_EQ(abbr.syllables, 4u);
  const Readability hyph = flesch_reading_ease("A well-known fact.");
  EXPECT_EQ(hyph.words, 3u);
  EXPECT_EQ(hyph.syllables, 4u);

  // Colons and semicolons end sentences; punctuation alone is not a word.
  const Readability colons = flesch_reading_ease("Who: me; you. - ...");
  EXPECT_EQ(colons.sentences, 3u);
  EXPECT_EQ(colons.words, 3u);

  const Readability empty = flesch_reading_ease("  \n - \n");
  EXPECT_EQ(empty.words, 0u);
  EXPECT_EQ(empty.score, 0.0);
}

// Dictionary syllable counts (Merriam-Webster / Collins hyphenation) of
// words the notice uses and of words that exercise each rule.
TEST(Readability, SyllableCounterMatchesDictionaryCounts) {
  const std::pair<const char*, size_t> words[] = {
      {"the", 1},           {"cat", 1},         {"phone", 1},         {"phones", 1},      {"messages", 3},
      {"message", 2},       {"calls", 1},       {"number", 2},        {"ending", 2},      {"between", 2},
      {"investigation", 5}, {"information", 4}, {"delete", 2},        {"deleted", 3},     {"refuse", 2},
      {"agree", 2},         {"agreement", 3},   {"questions", 2},     {"independent", 4}, {"officer", 3},
      {"prosecutor", 4},    {"defence", 2},     {"purpose", 2},       {"police", 2},      {"people", 2},
      {"advocate", 3},      {"service", 2},     {"violence", 3},      {"decide", 2},      {"dates", 1},
      {"cases", 2},         {"asked", 1},       {"wanted", 2},        {"used", 1},        {"safely", 2},
      {"only", 2},          {"statement", 2},   {"media", 3},         {"radio", 3},       {"video", 3},
      {"period", 3},        {"serious", 3},     {"language", 2},      {"saying", 2},      {"you", 1},
      {"beyond", 2},        {"anything", 3},    {"someone", 2},       {"change", 1},      {"choice", 1},
      {"please", 1},        {"entries", 2},     {"copied", 2},        {"photos", 2},      {"videos", 3},
      {"visited", 3},       {"location", 3},    {"calendar", 3},      {"examine", 3},     {"reasonable", 4},
      {"enquiry", 3},       {"necessary", 4},   {"proportionate", 4}, {"sanctioned", 2},  {"little", 2},
      {"table", 2},         {"midday", 2},      {"because", 2},       {"always", 2},      {"whole", 1},
      {"review", 2},        {"retention", 3},   {"court", 1},         {"witness", 2},     {"unless", 2},
      {"Australian", 4},    {"platypus", 3},    {"seemingly", 3},     {"hybrid", 2},      {"mammal", 2},
      {"reptilian", 4},     {"creature", 2},    {"contact", 2},       {"details", 2},     {"there", 1},
      {"these", 1},         {"later", 2},       {"afterwards", 3},    {"happens", 2},     {"keep", 1},
      {"alone", 2},         {"incident", 3},    {"question", 2},      {"emails", 2},      {"web", 1},
  };
  for (const auto& [w, n] : words) EXPECT_EQ(count_syllables(w), n) << w;
}

// --- Notice content ------------------------------------------------------------

TEST(Notice, ProportionateExampleHasAllSixStatements) {
  const Scope s = example("proportionate.toml");
  auto n = render_notice(s);
  ASSERT_TRUE(n.ok()) << n.error().message;
  for (const std::string* text : {&n->text, &n->easy_text}) {
    SCOPED_TRACE(text == &n->text ? "standard" : "easy-read");
    // 1. What will be looked at, with whom and when.
    EXPECT_NE(text->find("the number ending 0123"), std::string::npos);
    EXPECT_NE(text->find("from 13 March to 17 March 2026"), std::string::npos);
    EXPECT_NE(text->find("Messages and calls"), std::string::npos);
    EXPECT_NE(text->find("We will not look at anything else"), std::string::npos);
    // 2. Why.
    EXPECT_NE(text->find("To find out what you and the man you told us about said to each other"), std::string::npos);
    // 3. Handling: who sees it, how long it is kept, deletion, return.
    EXPECT_NE(text->find("Only these people will see it: the officers working on your case"), std::string::npos);
    EXPECT_NE(text->find("How long we keep it: while the case goes on"), std::string::npos);
    EXPECT_NE(text->find("On 18 September 2026 we will check if we still need it."), std::string::npos);
    EXPECT_NE(text->find("1 April 2026"), std::string::npos);
    EXPECT_NE(text->find("We aim to give your phone back by 25 March 2026."), std::string::npos);
    // 4. May refuse.
    EXPECT_NE(text->find("You can say no."), std::string::npos);
    // 5. Refusal alone does not end the investigation.
    EXPECT_NE(text->find("stop the investigation."), std::string::npos);
    // 6. Whom to ask, and the advocate.
    EXPECT_NE(text->find("DC Priya Shah on 020 7946 0123"), std::string::npos);
    EXPECT_NE(text->find("the Havens ISVA service on 020 7946 0999"), std::string::npos);
  }
  EXPECT_NE(n->text.find("Messages and calls between you and the number ending 0123, from 13 March to 17 March 2026."),
            std::string::npos);
  EXPECT_NE(n->text.find("If you say no, that alone will not stop the investigation."), std::string::npos);
  EXPECT_NE(n->text.find("You do not have to agree."), std::string::npos);
  for (const std::string* html : {&n->html, &n->easy_html})
    for (const char* statement : {"what", "why", "handling", "refuse", "refusal-not-end", "help"})
      EXPECT_NE(html->find(std::string("data-statement=\"") + statement + "\""), std::string::npos) << statement;
  EXPECT_EQ(n->version, "1");
}

TEST(Notice, ReadabilityOfTheExamplesMeetsTheBuiltInMinimums) {
  for (const char* name : {"proportionate.toml", "child-witness.toml"}) {
    auto n = render_notice(example(name));
    ASSERT_TRUE(n.ok());
    EXPECT_GE(n->standard.score, 60.0) << name;
    EXPECT_GE(n->easy.score, 70.0) << name;
    EXPECT_GT(n->standard.words, 100u) << name;
    // The score is over the running text: the same count as scoring the
    // text file with headings, reference lines and the form removed.
    EXPECT_LE(n->standard.words, flesch_reading_ease(n->text).words) << name;
  }
}

TEST(Notice, ToleranceChildAndSecondLineAreStated) {
  auto n = render_notice(example("child-witness.toml"));
  ASSERT_TRUE(n.ok());
  EXPECT_NE(n->text.find("from 9pm on 15 March to 3am on 16 March 2026"), std::string::npos) << n->text;
  EXPECT_NE(n->text.find("We will also look at up to 1 hour before and after these times."), std::string::npos);
  EXPECT_NE(n->easy_text.find("Also up to 1 hour before and after these times."), std::string::npos);
  EXPECT_NE(n->text.find("Because you are under 18, a parent, carer or another adult you trust"), std::string::npos);
  EXPECT_NE(n->text.find("Your photos and videos, from 8pm on 15 March to the end of 15 March 2026."),
            std::string::npos);
  EXPECT_NE(n->text.find("To see the photos you took at the party that night."), std::string::npos);
}

TEST(Notice, ThirdPartyNumbersAreMaskedEverywhere) {
  Scope s = example("proportionate.toml");
  s.lines[0].purpose_plain = "To read messages from 07700 900123 and +44 (0)7700-900456.";
  s.lines[0].keywords.push_back({"07700900789", false, "defence"});
  auto n = render_notice(s);
  ASSERT_TRUE(n.ok());
  for (const std::string* out : {&n->text, &n->html, &n->easy_text, &n->easy_html}) {
    for (const char* full : {"900123", "900456", "900789", "7700 900", "7700900"})
      EXPECT_EQ(out->find(full), std::string::npos) << full;
  }
  EXPECT_NE(n->text.find("[number ending 0123]"), std::string::npos);
  EXPECT_NE(n->text.find("[number ending 0456]"), std::string::npos);
  EXPECT_NE(n->text.find("\"[number ending 0789]\""), std::string::npos);
  // Contact numbers are the person's way to get help: never masked.
  EXPECT_NE(n->text.find("020 7946 0999"), std::string::npos);
}

TEST(Notice, MaskingRules) {
  EXPECT_EQ(describe_masked({PartyKind::phone, "+447700900123"}), "the number ending 0123");
  EXPECT_EQ(describe_masked({PartyKind::phone, "999"}), "the number 999");
  EXPECT_EQ(describe_masked({PartyKind::email, "jane.doe@example.org"}), "the email address j***@example.org");
  EXPECT_EQ(describe_masked({PartyKind::handle, "darkstar99"}), "the account ending ar99");
  EXPECT_EQ(describe_masked({PartyKind::group, "1203@g.us"}), "a group chat");
  EXPECT_EQ(mask_numbers_in_text("call 07700 900123 today"), "call [number ending 0123] today");
  EXPECT_EQ(mask_numbers_in_text("on 13 March 2026 at 9pm"), "on 13 March 2026 at 9pm");
  EXPECT_EQ(mask_numbers_in_text("ref 123456"), "ref 123456");
  EXPECT_EQ(mask_numbers_in_text("from 2026-03-13 to 2026-03-17"), "from 2026-03-13 to 2026-03-17");
  EXPECT_EQ(mask_numbers_in_text("ring 020-7946-0123"), "ring [number ending 0123]");
  EXPECT_EQ(mask_numbers_in_text("+447700900123."), "[number ending 0123].");
}

TEST(Notice, HtmlIsSelfContainedEscapedAndCarriesAStrictPolicy) {
  Scope s = example("proportionate.toml");
  s.lines[0].purpose_plain = "<script>alert('x')</script><img src=x onerror=alert(1)> & \"quotes\"";
  s.handling.contact = "<a href=\"https://evil.example/\">click</a>";
  s.case_reference = "</title><script>";
  auto n = render_notice(s);
  ASSERT_TRUE(n.ok());
  for (const std::string* html : {&n->html, &n->easy_html}) {
    EXPECT_EQ(html->find("<script"), std::string::npos);
    EXPECT_EQ(html->find("<img"), std::string::npos);
    EXPECT_EQ(html->find("<a "), std::string::npos);
    // Only remit's own tags, none of which loads anything.
    const std::set<std::string> allowed = {"html", "head", "meta", "title",   "style", "body", "header", "h1", "dl",
                                           "dt",   "dd",   "main", "section", "h2",    "p",    "ul",     "li"};
    const std::regex tag("<([A-Za-z][A-Za-z0-9]*)");
    for (auto it = std::sregex_iterator(html->begin(), html->end(), tag); it != std::sregex_iterator(); ++it)
      EXPECT_TRUE(allowed.count((*it)[1].str())) << (*it)[1].str();
    EXPECT_EQ(html->find("http://"), std::string::npos);
    EXPECT_NE(html->find("&lt;script&gt;alert(&apos;x&apos;)&lt;/script&gt;"), std::string::npos);
    EXPECT_NE(html->find("&amp; &quot;quotes&quot;"), std::string::npos);
    EXPECT_NE(html->find("@page{size:A4"), std::string::npos);
    // The policy allows exactly the one inline style block, by its hash.
    std::smatch m;
    ASSERT_TRUE(std::regex_search(*html, m, std::regex("style-src 'sha256-([A-Za-z0-9+/=]+)'")));
    const std::string b64 = m[1];
    const auto a = html->find("<style>") + 7;
    const auto b = html->find("</style>");
    ASSERT_LT(a, b);
    Hasher h(HashAlgo::sha256);
    h.update(std::string_view(*html).substr(a, b - a));
    const std::string raw = h.raw_final();
    // base64 of the raw digest, written out here independently.
    static const char* kB64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    std::string expect;
    for (size_t i = 0; i < raw.size(); i += 3) {
      uint32_t v = uint8_t(raw[i]) << 16;
      if (i + 1 < raw.size()) v |= uint8_t(raw[i + 1]) << 8;
      if (i + 2 < raw.size()) v |= uint8_t(raw[i + 2]);
      expect += kB64[(v >> 18) & 63];
      expect += kB64[(v >> 12) & 63];
      expect += i + 1 < raw.size() ? kB64[(v >> 6) & 63] : '=';
      expect += i + 2 < raw.size() ? kB64[v & 63] : '=';
    }
    EXPECT_EQ(b64, expect);
    EXPECT_NE(html->find("default-src 'none'"), std::string::npos);
    EXPECT_NE(html->find("script-src 'none'"), std::string::npos);
  }
}

TEST(Notice, WriteCreatesTheFolderWholeAndReplacesFilesInAnExistingOne) {
  TempDir tmp;
  const Scope s = example("proportionate.toml");
  const fs::path dir = tmp / "notice";
  auto n = write_notice(s, dir);
  ASSERT_TRUE(n.ok()) << n.error().message;
  for (const char* f : {"notice.html", "notice.txt", "notice-easy-read.html", "notice-easy-read.txt"})
    EXPECT_TRUE(fs::is_regular_file(dir / f)) << f;
  EXPECT_EQ(test::read_file(dir / "notice.txt"), n->text);
  EXPECT_EQ(test::read_file(dir / "notice-easy-read.html"), n->easy_html);
  // Nothing else left behind (no temporary folders or files).
  size_t entries = 0;
  for (auto& e : fs::directory_iterator(tmp.path())) ++entries, (void)e;
  EXPECT_EQ(entries, 1u);
  // Again into the existing folder: files replaced, nothing extra.
  test::write_file(dir / "notice.txt", "stale");
  ASSERT_TRUE(write_notice(s, dir).ok());
  EXPECT_EQ(test::read_file(dir / "notice.txt"), n->text);
  size_t files = 0;
  for (auto& e : fs::directory_iterator(dir)) ++files, (void)e;
  EXPECT_EQ(files, 4u);
  // A missing parent folder fails and creates nothing.
  auto bad = write_notice(s, tmp / "no" / "such" / "place");
  EXPECT_FALSE(bad.ok());
  EXPECT_FALSE(fs::exists(tmp / "no"));
  // A file in the way fails.
  test::write_file(tmp / "file", "x");
  EXPECT_FALSE(write_notice(s, tmp / "file").ok());
}

TEST(Notice, IsAPureFunctionOfTheScope) {
  const Scope s = example("proportionate.toml");
  auto a = render_notice(s);
  auto b = render_notice(s);
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(a->html, b->html);
  EXPECT_EQ(a->text, b->text);
  // Recording the agreement (after the notice was given) does not change it.
  Scope later = s;
  later.agreement.given_by = "someone else";
  later.agreement.notice_version = "1";
  EXPECT_EQ(render_notice(later)->text, a->text);
}

}  // namespace
}  // namespace remit
