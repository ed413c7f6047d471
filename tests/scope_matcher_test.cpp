// Scope matching (docs/scope-file.md "Matching"): windows in the case time
// zone across daylight-saving changes, tolerance and near_edge, parties
// across spellings, both group-chat rules, keywords with case folding and
// accents, undated items.
//
// Expected instants are written out by hand from the UK rules: in 2026
// British Summer Time starts on Sunday 29 March at 01:00 UTC and ends on
// Sunday 25 October at 01:00 UTC.
#include <gtest/gtest.h>

#include "remit/party.hpp"
#include "remit/scope.hpp"
#include "remit/timeconv.hpp"

namespace remit {
namespace {

int64_t utc(const char* rfc3339) {
  auto v = parse_iso8601_ms(rfc3339);
  EXPECT_TRUE(v.has_value()) << rfc3339;
  return v.value_or(0);
}

// A minimal scope with one line; only the matcher-relevant fields are set.
std::string scope_text(const std::string& line_body, const std::string& extra_lines = "") {
  return R"(
remit_scope = 1
[case]
reference = "T/1"
time_zone = "Europe/London"
region = "GB"
[[line]]
id = "L1"
)" + line_body +
         extra_lines;
}

Scope parse(const std::string& text) {
  auto s = parse_scope(text, "test.toml");
  EXPECT_TRUE(s.ok()) << (s.ok() ? "" : s.error().message);
  return s.ok() ? std::move(*s) : Scope{};
}

Item message_at(std::optional<int64_t> ms, std::string raw, PartyRole role = PartyRole::from, bool group = false) {
  Item it;
  it.category = Category::message;
  it.service = "sms";
  it.time.utc_ms = ms;
  it.direction = role == PartyRole::from ? Direction::incoming : Direction::outgoing;
  if (!raw.empty()) {
    Party p;
    p.raw = std::move(raw);
    p.role = role;
    it.parties.push_back(p);
  }
  it.group = group;
  return it;
}

class MatcherTest : public ::testing::Test {
 protected:
  PartyNormaliser norm{"GB"};
};

TEST_F(MatcherTest, DateOnlyWindowOnSpringForwardDayIs23Hours) {
  const Scope s = parse(scope_text(R"(
categories = ["message"]
windows = [{ start = 2026-03-29, end = 2026-03-29 }]
)"));
  ASSERT_EQ(s.lines.size(), 1u);
  const auto& w = s.lines[0].windows.at(0);
  EXPECT_EQ(w.start_ms, utc("2026-03-29T00:00:00Z"));  // midnight GMT
  EXPECT_EQ(w.end_ms, utc("2026-03-29T23:00:00Z"));    // midnight BST on 30 March
  ScopeMatcher m(s, norm);
  EXPECT_TRUE(m.match(message_at(utc("2026-03-29T00:00:00Z"), "")).in_scope);
  EXPECT_TRUE(m.match(message_at(utc("2026-03-29T22:59:59.999Z"), "")).in_scope);
  EXPECT_FALSE(m.match(message_at(utc("2026-03-29T23:00:00Z"), "")).in_scope);  // 00:00 BST on the 30th
  EXPECT_FALSE(m.match(message_at(utc("2026-03-28T23:59:59.999Z"), "")).in_scope);
}

TEST_F(MatcherTest, DateOnlyWindowOnFallBackDayIs25Hours) {
  const Scope s = parse(scope_text(R"(
categories = ["message"]
windows = [{ start = 2026-10-25, end = 2026-10-25 }]
)"));
  const auto& w = s.lines.at(0).windows.at(0);
  EXPECT_EQ(w.start_ms, utc("2026-10-24T23:00:00Z"));  // midnight BST
  EXPECT_EQ(w.end_ms, utc("2026-10-26T00:00:00Z"));    // midnight GMT on 26 October
  ScopeMatcher m(s, norm);
  EXPECT_FALSE(m.match(message_at(utc("2026-10-24T22:59:59Z"), "")).in_scope);  // 23:59 BST on the 24th
  EXPECT_TRUE(m.match(message_at(utc("2026-10-24T23:00:00Z"), "")).in_scope);
  EXPECT_TRUE(m.match(message_at(utc("2026-10-25T00:30:00Z"), "")).in_scope);  // first 01:30 local
  EXPECT_TRUE(m.match(message_at(utc("2026-10-25T01:30:00Z"), "")).in_scope);  // second 01:30 local
  EXPECT_TRUE(m.match(message_at(utc("2026-10-25T23:59:59Z"), "")).in_scope);
  EXPECT_FALSE(m.match(message_at(utc("2026-10-26T00:00:00Z"), "")).in_scope);
}

TEST_F(MatcherTest, LocalTimesInSummerAndAcrossTransitions) {
  // 10:00 BST is 09:00 UTC; a skipped local time reads as the moment the
  // clocks jumped; a repeated one is read widely (earliest start, latest end).
  const Scope s = parse(scope_text(R"(
categories = ["message"]
windows = [
  { start = 2026-06-01T10:00:00, end = 2026-06-01T12:00:00 },
  { start = 2026-03-29T01:30:00, end = 2026-03-29T03:00:00 },
  { start = 2026-10-25T01:30:00, end = 2026-10-25T01:45:00 },
  { start = 2026-07-01T08:00:00Z, end = 2026-07-01T10:00:00+01:00 },
]
)"));
  const auto& ws = s.lines.at(0).windows;
  ASSERT_EQ(ws.size(), 4u);
  EXPECT_EQ(ws[0].start_ms, utc("2026-06-01T09:00:00Z"));
  EXPECT_EQ(ws[0].end_ms, utc("2026-06-01T11:00:00Z"));
  EXPECT_EQ(ws[1].start_ms, utc("2026-03-29T01:00:00Z"));
  EXPECT_EQ(ws[1].end_ms, utc("2026-03-29T02:00:00Z"));
  EXPECT_EQ(ws[2].start_ms, utc("2026-10-25T00:30:00Z"));
  EXPECT_EQ(ws[2].end_ms, utc("2026-10-25T01:45:00Z"));
  EXPECT_EQ(ws[3].start_ms, utc("2026-07-01T08:00:00Z"));
  EXPECT_EQ(ws[3].end_ms, utc("2026-07-01T08:00:00Z") + 3600000);
  ScopeMatcher m(s, norm);
  EXPECT_TRUE(m.match(message_at(utc("2026-06-01T09:00:00Z"), "")).in_scope);
  EXPECT_FALSE(m.match(message_at(utc("2026-06-01T11:00:00Z"), "")).in_scope);  // end is exclusive
  EXPECT_FALSE(m.match(message_at(utc("2026-06-01T08:59:59Z"), "")).in_scope);
}

TEST_F(MatcherTest, OtherTimeZonesAreHonoured) {
  auto s = parse_scope(R"(
[case]
time_zone = "America/New_York"
region = "US"
[[line]]
id = "NY"
categories = ["call"]
windows = [{ start = 2026-03-08, end = 2026-03-08 }]
)",
                       "ny.toml");
  ASSERT_TRUE(s.ok()) << s.error().message;
  const auto& w = s->lines.at(0).windows.at(0);
  EXPECT_EQ(w.start_ms, utc("2026-03-08T05:00:00Z"));  // EST
  EXPECT_EQ(w.end_ms, utc("2026-03-09T04:00:00Z"));    // EDT after the 2am change
}

TEST_F(MatcherTest, ToleranceBringsNearItemsInAndFlagsThem) {
  const Scope s = parse(scope_text(R"(
categories = ["message"]
windows = [{ start = 2026-03-13, end = 2026-03-17 }]
tolerance = "2h"
)"));
  EXPECT_EQ(s.lines.at(0).tolerance_ms, 2 * 3600000);
  ScopeMatcher m(s, norm);
  auto inside = m.match(message_at(utc("2026-03-15T12:00:00Z"), ""));
  EXPECT_TRUE(inside.in_scope);
  EXPECT_FALSE(inside.near_edge);
  auto before = m.match(message_at(utc("2026-03-12T22:00:00Z"), ""));
  EXPECT_TRUE(before.in_scope);
  EXPECT_TRUE(before.near_edge);
  EXPECT_EQ(before.lines, std::vector<std::string>{"L1"});
  auto after = m.match(message_at(utc("2026-03-18T01:59:59.999Z"), ""));
  EXPECT_TRUE(after.in_scope);
  EXPECT_TRUE(after.near_edge);
  EXPECT_FALSE(m.match(message_at(utc("2026-03-18T02:00:00Z"), "")).in_scope);
  EXPECT_FALSE(m.match(message_at(utc("2026-03-12T21:59:59.999Z"), "")).in_scope);
}

TEST_F(MatcherTest, NearEdgeOnlyWhenNoLineMatchesStrictly) {
  const Scope s = parse(scope_text(R"(
categories = ["message"]
windows = [{ start = 2026-03-13, end = 2026-03-13 }]
tolerance = "1d"
)",
                                   R"(
[[line]]
id = "L2"
categories = ["message"]
windows = [{ start = 2026-03-14, end = 2026-03-14 }]
)"));
  ScopeMatcher m(s, norm);
  auto r = m.match(message_at(utc("2026-03-14T10:00:00Z"), ""));
  EXPECT_TRUE(r.in_scope);
  EXPECT_EQ(r.lines, (std::vector<std::string>{"L1", "L2"}));
  EXPECT_FALSE(r.near_edge);
  auto r2 = m.match(message_at(utc("2026-03-12T10:00:00Z"), ""));
  EXPECT_EQ(r2.lines, std::vector<std::string>{"L1"});
  EXPECT_TRUE(r2.near_edge);
}

TEST_F(MatcherTest, PartiesMatchAcrossSpellings) {
  const Scope s = parse(scope_text(R"(
categories = ["message", "call"]
parties = ["07700 900123"]
windows = [{ start = 2026-03-13, end = 2026-03-17 }]
)"));
  EXPECT_EQ(s.lines.at(0).parties.at(0).id.value, "+447700900123");
  ScopeMatcher m(s, norm);
  const int64_t t = utc("2026-03-14T12:00:00Z");
  for (const char* spelling : {"07700 900123", "+44 7700 900123", "447700900123@s.whatsapp.net", "+447700900123",
                               "tel:+44-7700-900123", "(07700) 900-123", "0044 7700 900123"}) {
    EXPECT_TRUE(m.match(message_at(t, spelling)).in_scope) << spelling;
  }
  EXPECT_FALSE(m.match(message_at(t, "07700 900124")).in_scope);
  EXPECT_FALSE(m.match(message_at(t, "")).in_scope);  // no parties at all
  // A party known only by its normalised value.
  Item only_norm = message_at(t, "");
  Party p;
  p.normalised = "+447700900123";
  p.role = PartyRole::from;
  only_norm.parties.push_back(p);
  EXPECT_TRUE(m.match(only_norm).in_scope);
  // The owner never counts as the party.
  Item owner = message_at(t, "07700 900123");
  owner.parties[0].is_owner = true;
  EXPECT_FALSE(m.match(owner).in_scope);
}

TEST_F(MatcherTest, ScopePartyWrittenAsJidMatchesNationalSpelling) {
  const Scope s = parse(scope_text(R"(
categories = ["message"]
parties = ["447700900123@s.whatsapp.net"]
windows = [{ start = 2026-03-13, end = 2026-03-17 }]
)"));
  ScopeMatcher m(s, norm);
  EXPECT_TRUE(m.match(message_at(utc("2026-03-14T12:00:00Z"), "07700 900123")).in_scope);
}

// Group conversation items follow docs/item-format.md: the sender is
// `from`; other members are `participant` (incoming) or `to` (outgoing).
Item group_message(int64_t t, const std::string& sender, std::vector<std::string> others, bool outgoing) {
  Item it;
  it.category = Category::message;
  it.service = "whatsapp";
  it.time.utc_ms = t;
  it.group = true;
  it.thread_id = "120363000000000000@g.us";
  it.direction = outgoing ? Direction::outgoing : Direction::incoming;
  if (!outgoing) {
    Party f;
    f.raw = sender;
    f.role = PartyRole::from;
    it.parties.push_back(f);
  }
  for (auto& o : others) {
    Party p;
    p.raw = o;
    p.role = outgoing ? PartyRole::to : PartyRole::participant;
    it.parties.push_back(p);
  }
  return it;
}

TEST_F(MatcherTest, GroupChatRuleSentByPartyTakesOnlyTheirMessages) {
  const Scope s = parse(scope_text(R"(
categories = ["message"]
parties = ["07700 900123"]
windows = [{ start = 2026-03-13, end = 2026-03-17 }]
group_chats = "sent_by_party"
)"));
  EXPECT_EQ(s.lines.at(0).group_rule, GroupRule::sent_by_or_to_party);
  ScopeMatcher m(s, norm);
  const int64_t t = utc("2026-03-14T12:00:00Z");
  EXPECT_TRUE(
      m.match(group_message(t, "447700900123@s.whatsapp.net", {"447700900555@s.whatsapp.net"}, false)).in_scope);
  EXPECT_FALSE(
      m.match(group_message(t, "447700900555@s.whatsapp.net", {"447700900123@s.whatsapp.net"}, false)).in_scope);
  EXPECT_FALSE(
      m.match(group_message(t, "", {"447700900123@s.whatsapp.net", "447700900555@s.whatsapp.net"}, true)).in_scope);
  // One-to-one messages both ways are in.
  EXPECT_TRUE(m.match(message_at(t, "07700 900123", PartyRole::from)).in_scope);
  EXPECT_TRUE(m.match(message_at(t, "07700 900123", PartyRole::to)).in_scope);
}

TEST_F(MatcherTest, GroupChatRuleWholeConversationTakesEveryMessageWhereThePartyTakesPart) {
  const Scope s = parse(scope_text(R"(
categories = ["message"]
parties = ["07700 900123"]
windows = [{ start = 2026-03-13, end = 2026-03-17 }]
group_chats = "whole_conversation"
)"));
  EXPECT_EQ(s.lines.at(0).group_rule, GroupRule::whole_conversation);
  ScopeMatcher m(s, norm);
  const int64_t t = utc("2026-03-14T12:00:00Z");
  EXPECT_TRUE(
      m.match(group_message(t, "447700900123@s.whatsapp.net", {"447700900555@s.whatsapp.net"}, false)).in_scope);
  EXPECT_TRUE(
      m.match(group_message(t, "447700900555@s.whatsapp.net", {"447700900123@s.whatsapp.net"}, false)).in_scope);
  EXPECT_TRUE(
      m.match(group_message(t, "", {"447700900123@s.whatsapp.net", "447700900555@s.whatsapp.net"}, true)).in_scope);
  // A group the party is not in stays out.
  EXPECT_FALSE(
      m.match(group_message(t, "447700900555@s.whatsapp.net", {"447700900666@s.whatsapp.net"}, false)).in_scope);
}

TEST_F(MatcherTest, KeywordsAreCaseAndAccentInsensitive) {
  const Scope s = parse(scope_text(R"(
categories = ["message", "web_visit"]
windows = [{ start = 2026-03-13, end = 2026-03-17 }]
keywords = ["Café", "strasse", { pattern = "m[eé]et(ing)?\\s+point", regex = true }, "knife"]
)"));
  ScopeMatcher m(s, norm);
  const int64_t t = utc("2026-03-14T12:00:00Z");
  auto body = [&](const std::string& b) {
    Item it = message_at(t, "07700 900555");
    it.body = b;
    return m.match(it).in_scope;
  };
  EXPECT_TRUE(body("see you at the CAFE"));
  EXPECT_TRUE(body("the cafe on the corner"));
  EXPECT_TRUE(body("CAFÉ NERO"));
  EXPECT_TRUE(body("Cafe\xCC\x81 (decomposed accent)"));  // "e" + U+0301
  EXPECT_FALSE(body("caff"));
  EXPECT_TRUE(body("Hauptstraße 5"));  // ß folds to ss
  EXPECT_TRUE(body("MEETING   POINT at 9"));
  EXPECT_TRUE(body("the Méet point"));
  EXPECT_FALSE(body("meetingpoint"));
  EXPECT_TRUE(body("\xEF\xBC\xAB\xEF\xBC\xAE\xEF\xBC\xA9\xEF\xBC\xA6\xEF\xBC\xA5"));  // full-width KNIFE
  EXPECT_FALSE(body("nothing relevant"));
  // Titles and URLs are searched too.
  Item visit;
  visit.category = Category::web_visit;
  visit.time.utc_ms = t;
  visit.url = "https://example.org/Knife-shop";
  EXPECT_TRUE(m.match(visit).in_scope);
  visit.url = "https://example.org/";
  visit.title = "Le Café";
  EXPECT_TRUE(m.match(visit).in_scope);
  visit.title = "";
  EXPECT_FALSE(m.match(visit).in_scope);
  // A keyword does not bring in an item outside the window.
  Item late = message_at(utc("2026-03-20T12:00:00Z"), "07700 900555");
  late.body = "knife";
  EXPECT_FALSE(m.match(late).in_scope);
}

TEST_F(MatcherTest, UndatedItemsAreOutUnlessIncluded) {
  const Scope out = parse(scope_text(R"(
categories = ["message"]
parties = ["07700 900123"]
windows = [{ start = 2026-03-13, end = 2026-03-17 }]
)"));
  const Scope in = parse(scope_text(R"(
categories = ["message"]
parties = ["07700 900123"]
windows = [{ start = 2026-03-13, end = 2026-03-17 }]
include_undated = true
)"));
  ScopeMatcher mo(out, norm), mi(in, norm);
  const Item undated = message_at(std::nullopt, "07700 900123");
  EXPECT_FALSE(mo.match(undated).in_scope);
  auto r = mi.match(undated);
  EXPECT_TRUE(r.in_scope);
  EXPECT_FALSE(r.near_edge);
  // Still limited by party.
  EXPECT_FALSE(mi.match(message_at(std::nullopt, "07700 900555")).in_scope);
}

TEST_F(MatcherTest, CategoriesLimitTheLine) {
  const Scope s = parse(scope_text(R"(
categories = ["call"]
parties = ["07700 900123"]
windows = [{ start = 2026-03-13, end = 2026-03-17 }]
)"));
  ScopeMatcher m(s, norm);
  const int64_t t = utc("2026-03-14T12:00:00Z");
  EXPECT_FALSE(m.match(message_at(t, "07700 900123")).in_scope);
  Item call = message_at(t, "07700 900123");
  call.category = Category::call;
  EXPECT_TRUE(m.match(call).in_scope);
  Item contact = message_at(std::nullopt, "07700 900123", PartyRole::subject);
  contact.category = Category::contact;
  EXPECT_FALSE(m.match(contact).in_scope);
}

TEST_F(MatcherTest, ContactCardOfThePartyWithUndated) {
  const Scope s = parse(scope_text(R"(
categories = ["contact"]
parties = ["07700 900123"]
windows = [{ start = 2026-03-13, end = 2026-03-17 }]
include_undated = true
)"));
  ScopeMatcher m(s, norm);
  Item contact = message_at(std::nullopt, "+44 7700 900123", PartyRole::subject);
  contact.category = Category::contact;
  EXPECT_TRUE(m.match(contact).in_scope);
}

TEST_F(MatcherTest, ALineWithoutWindowsMatchesNoDatedItem) {
  const Scope s = parse(scope_text(R"(
categories = ["message"]
)"));
  ScopeMatcher m(s, norm);
  EXPECT_FALSE(m.match(message_at(utc("2026-03-14T12:00:00Z"), "07700 900123")).in_scope);
}

}  // namespace
}  // namespace remit
