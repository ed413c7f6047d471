// Reading scope files (docs/scope-file.md): every example, every field of
// the proportionate example, errors that name the line and field, writing
// a scope back (render_scope_toml) and the generator's canonical scope.
#include <gtest/gtest.h>

#include "remit/hash.hpp"
#include "remit/notice.hpp"
#include "remit/scope.hpp"
#include "remit/timeconv.hpp"
#include "support/support.hpp"

namespace remit {
namespace {

namespace fs = std::filesystem;

fs::path examples() {
  return fs::path(REMIT_SOURCE_DIR) / "examples" / "scopes";
}

int64_t utc(const char* s) {
  return parse_iso8601_ms(s).value();
}

std::string parse_error(const std::string& text) {
  auto s = parse_scope(text, "bad.toml");
  EXPECT_FALSE(s.ok()) << "expected a parse error for:\n" << text;
  return s.ok() ? std::string() : s.error().message;
}

constexpr const char* kMinimal = R"([case]
time_zone = "Europe/London"
)";

TEST(ScopeParse, EveryExampleScopeReads) {
  size_t n = 0;
  for (const auto& e : fs::directory_iterator(examples())) {
    if (e.path().extension() != ".toml" || e.path().filename().string().rfind("policy", 0) == 0) continue;
    ++n;
    auto s = load_scope(e.path());
    EXPECT_TRUE(s.ok()) << e.path() << ": " << (s.ok() ? "" : s.error().message);
  }
  EXPECT_GE(n, 5u);
}

TEST(ScopeParse, ProportionateExampleFieldByField) {
  auto r = load_scope(examples() / "proportionate.toml");
  ASSERT_TRUE(r.ok()) << r.error().message;
  const Scope& s = *r;
  EXPECT_EQ(s.case_reference, "MP/2026/004711");
  EXPECT_EQ(s.offence, "Rape (Sexual Offences Act 2003, s.1)");
  EXPECT_EQ(s.time_zone, "Europe/London");
  EXPECT_EQ(s.region, "GB");
  EXPECT_EQ(s.incident_start_ms, utc("2026-03-15T22:00:00Z"));
  EXPECT_EQ(s.incident_end_ms, utc("2026-03-16T02:00:00Z"));
  EXPECT_EQ(s.incident_start_text, "2026-03-15T22:00:00");
  EXPECT_EQ(s.exhibit_reference, "JS/1");
  EXPECT_EQ(s.device_description, "Black Samsung Galaxy A52 mobile phone");
  EXPECT_EQ(s.user.role, "complainant");
  EXPECT_EQ(s.user.age, 24);
  EXPECT_TRUE(s.user.has_capacity);
  EXPECT_EQ(s.agreement.given_by, "Jane Smith (the device user)");
  EXPECT_EQ(s.agreement.form, "written");
  EXPECT_EQ(s.agreement.time_ms, utc("2026-03-18T11:20:00Z"));
  EXPECT_EQ(s.agreement.notice_version, "1");
  EXPECT_EQ(s.authorisation.requesting.name, "DC Priya Shah");
  EXPECT_EQ(s.authorisation.requesting.number, "DC 4471");
  EXPECT_EQ(s.authorisation.sanctioning.rank, "Detective Inspector");
  EXPECT_EQ(s.authorisation.requested_by, "investigation");
  EXPECT_EQ(s.authorisation.sanction_time_ms, utc("2026-03-18T10:05:00Z"));
  EXPECT_NE(s.authorisation.sanction_reasons.find("reasonable line of enquiry"), std::string::npos);
  ASSERT_EQ(s.lines.size(), 1u);
  const LineOfEnquiry& l = s.lines[0];
  EXPECT_EQ(l.id, "L1");
  EXPECT_EQ(l.categories, (std::vector<Category>{Category::message, Category::call}));
  ASSERT_EQ(l.parties.size(), 1u);
  EXPECT_EQ(l.parties[0].raw, "07700 900123");
  EXPECT_EQ(l.parties[0].label, "suspect");
  EXPECT_EQ(l.parties[0].id.kind, PartyKind::phone);
  EXPECT_EQ(l.parties[0].id.value, "+447700900123");
  ASSERT_EQ(l.windows.size(), 1u);
  EXPECT_EQ(l.windows[0].start_ms, utc("2026-03-13T00:00:00Z"));
  EXPECT_EQ(l.windows[0].end_ms, utc("2026-03-18T00:00:00Z"));  // the whole of 17 March
  EXPECT_EQ(l.windows[0].start_text, "2026-03-13");
  EXPECT_EQ(l.windows[0].end_text, "2026-03-17");
  EXPECT_EQ(l.tolerance_ms, 0);
  EXPECT_EQ(l.group_rule, GroupRule::sent_by_or_to_party);
  EXPECT_FALSE(l.include_undated);
  EXPECT_FALSE(l.everything);
  ASSERT_EQ(l.less_intrusive.size(), 2u);
  EXPECT_EQ(l.less_intrusive[1].means, "Records from the suspect's phone company");
  EXPECT_EQ(s.handling.review_date, "2026-09-18");
  EXPECT_EQ(s.handling.delete_out_of_scope_by, "2026-04-01");
  EXPECT_EQ(s.handling.device_return_target, "2026-03-25");
  EXPECT_EQ(s.handling.who_will_see.size(), 3u);
  EXPECT_EQ(s.version, 1);
  EXPECT_FALSE(s.parent_version);
  EXPECT_EQ(s.sha256, sha256_hex(s.text));
  EXPECT_EQ(s.sha256, test::sha256_of_file(examples() / "proportionate.toml"));
}

TEST(ScopeParse, ErrorsNameFileLineColumnAndField) {
  // Unknown key (a typo must never be silently ignored).
  std::string m = parse_error(std::string(kMinimal) + "[[line]]\nid = \"L1\"\ntolerence = \"2h\"\n");
  EXPECT_NE(m.find("bad.toml:5:1: line[1].tolerence: unknown field"), std::string::npos) << m;
  // Impossible date.
  m = parse_error(std::string(kMinimal) +
                  "[[line]]\nid = \"L1\"\nwindows = [{ start = \"2026-02-30\", end = 2026-03-01 }]\n");
  EXPECT_NE(m.find("bad.toml:5:"), std::string::npos) << m;
  EXPECT_NE(m.find("line[1].windows[1].start"), std::string::npos) << m;
  // TOML itself rejects 2026-02-30 as a date literal: the syntax error names the line.
  m = parse_error(std::string(kMinimal) +
                  "[[line]]\nid = \"L1\"\nwindows = [{ start = 2026-02-30, end = 2026-03-01 }]\n");
  EXPECT_NE(m.find("bad.toml:5:"), std::string::npos) << m;
  EXPECT_NE(m.find("not valid TOML"), std::string::npos) << m;
  // Window ending before it starts.
  m = parse_error(std::string(kMinimal) +
                  "[[line]]\nid = \"L1\"\nwindows = [{ start = 2026-03-17, end = 2026-03-13 }]\n");
  EXPECT_NE(m.find("line[1].windows[1]: window ends"), std::string::npos) << m;
  // Unknown category, time zone, tokens, tolerance, regex, types.
  m = parse_error(std::string(kMinimal) + "[[line]]\nid = \"L1\"\ncategories = [\"message\", \"sms\"]\n");
  EXPECT_NE(m.find("line[1].categories[2]: unknown category 'sms'"), std::string::npos) << m;
  m = parse_error("[case]\ntime_zone = \"Europe/Londres\"\n");
  EXPECT_NE(m.find("bad.toml:2:13: case.time_zone: 'Europe/Londres' is not an IANA time zone"), std::string::npos) << m;
  m = parse_error(std::string(kMinimal) + "[[line]]\nid = \"L1\"\ngroup_chats = \"everyone\"\n");
  EXPECT_NE(m.find("line[1].group_chats: 'everyone' is not one of: sent_by_party, whole_conversation"),
            std::string::npos)
      << m;
  m = parse_error(std::string(kMinimal) + "[[line]]\nid = \"L1\"\ntolerance = \"2 hours\"\n");
  EXPECT_NE(m.find("line[1].tolerance: '2 hours' is not a duration"), std::string::npos) << m;
  m = parse_error(std::string(kMinimal) +
                  "[[line]]\nid = \"L1\"\nkeywords = [{ pattern = \"(unclosed\", regex = true }]\n");
  EXPECT_NE(m.find("line[1].keywords[1]: invalid RE2 regular expression"), std::string::npos) << m;
  m = parse_error(std::string(kMinimal) + "[user]\nage = \"twelve\"\n");
  EXPECT_NE(m.find("bad.toml:4:7: user.age: expected a whole number"), std::string::npos) << m;
  m = parse_error(std::string(kMinimal) + "[agreement]\nform = \"email\"\n");
  EXPECT_NE(m.find("agreement.form: 'email' is not one of: written, oral"), std::string::npos) << m;
  m = parse_error(std::string(kMinimal) +
                  "[[line]]\nid = \"L1\"\nwindows = [{ start = 2026-03-13T10:00:00.5, end = 2026-03-14 }]\n");
  EXPECT_NE(m.find("fractions of a second"), std::string::npos) << m;
  m = parse_error(std::string(kMinimal) + "[handling]\nreview_date = 2026-09-18T10:00:00\n");
  EXPECT_NE(m.find("handling.review_date: expected a date (YYYY-MM-DD) without a time"), std::string::npos) << m;
  // Lines need unique, well-formed ids.
  m = parse_error(std::string(kMinimal) +
                  "[[line]]\nid = \"L1\"\n[[line]]\nid = \"L1\"\n[[line]]\npurpose = \"x\"\n[[line]]\nid = \"a b\"\n");
  EXPECT_NE(m.find("duplicate line id 'L1'"), std::string::npos) << m;
  EXPECT_NE(m.find("line[3]: missing field 'id'"), std::string::npos) << m;
  EXPECT_NE(m.find("line[4].id: use 1 to 64 letters"), std::string::npos) << m;
  // Missing case table and time zone; unsupported format.
  m = parse_error("[[line]]\nid = \"L1\"\n");
  EXPECT_NE(m.find("case: missing table [case]"), std::string::npos) << m;
  m = parse_error("remit_scope = 2\n[case]\nreference = \"x\"\n");
  EXPECT_NE(m.find("remit_scope: format 2 is not supported"), std::string::npos) << m;
  EXPECT_NE(m.find("case.time_zone: missing"), std::string::npos) << m;
  // TOML syntax errors name the line.
  m = parse_error("[case]\ntime_zone = \"Europe/London\n");
  EXPECT_NE(m.find("bad.toml:2:"), std::string::npos) << m;
  // Several problems are reported together.
  m = parse_error(std::string(kMinimal) + "[user]\nrole = \"victim\"\ncapacity = \"yes\"\n");
  EXPECT_NE(m.find("user.role"), std::string::npos) << m;
  EXPECT_NE(m.find("user.capacity"), std::string::npos) << m;
}

TEST(ScopeParse, LoadErrors) {
  test::TempDir tmp;
  auto missing = load_scope(tmp / "none.toml");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code, Errc::not_found);
  auto dir = load_scope(tmp.path());
  ASSERT_FALSE(dir.ok());
  EXPECT_EQ(dir.error().code, Errc::usage);
  test::write_file(tmp / "bin.toml", std::string("\xff\xfe\x00garbage", 10));
  EXPECT_FALSE(load_scope(tmp / "bin.toml").ok());
}

TEST(ScopeParse, StringsAndDateTimesInEveryAcceptedForm) {
  auto s = parse_scope(std::string(kMinimal) + R"(
incident_start = "2026-03-15 22:00"
[[line]]
id = "a-1_b.2"
categories = ["MESSAGE"]
parties = ["jane@EXAMPLE.org", "@Handle", "447700900123@s.whatsapp.net", { id = "+1 (202) 555-0143" }]
windows = [{ start = "2026-03-13", end = 2026-03-13T12:30:00Z }]
tolerance = "1h30m"
keywords = ["knife", { pattern = "k.?n.?i.?f.?e", regex = true, proposed_by = "defence" }]
)",
                       "ok.toml");
  ASSERT_TRUE(s.ok()) << s.error().message;
  EXPECT_EQ(s->incident_start_ms, utc("2026-03-15T22:00:00Z"));
  const auto& l = s->lines.at(0);
  EXPECT_EQ(l.categories, std::vector<Category>{Category::message});
  ASSERT_EQ(l.parties.size(), 4u);
  EXPECT_EQ(l.parties[0].id.kind, PartyKind::email);
  EXPECT_EQ(l.parties[0].id.value, "jane@example.org");
  EXPECT_EQ(l.parties[1].id.kind, PartyKind::handle);
  EXPECT_EQ(l.parties[2].id.value, "+447700900123");
  EXPECT_EQ(l.parties[3].id.value, "+12025550143");
  EXPECT_EQ(l.windows.at(0).end_ms, utc("2026-03-13T12:30:00Z"));
  EXPECT_EQ(l.windows.at(0).end_text, "2026-03-13T12:30:00Z");
  EXPECT_EQ(l.tolerance_ms, 90 * 60000);
  ASSERT_EQ(l.keywords.size(), 2u);
  EXPECT_TRUE(l.keywords[1].regex);
  EXPECT_EQ(l.keywords[1].proposed_by, "defence");
}

TEST(ScopeParse, MakeWindow) {
  auto w = make_window("2026-03-13", "2026-03-17", "Europe/London");
  ASSERT_TRUE(w.ok());
  EXPECT_EQ(w->end_ms - w->start_ms, 5 * 86400000LL);
  EXPECT_FALSE(make_window("2026-03-17", "2026-03-13", "Europe/London").ok());
  EXPECT_FALSE(make_window("yesterday", "2026-03-13", "Europe/London").ok());
  EXPECT_FALSE(make_window("2026-03-13", "2026-03-14", "Mars/Olympus").ok());
  EXPECT_EQ(window_words(*w, "Europe/London"), "from 13 March to 17 March 2026");
  auto one = make_window("2026-03-13T21:30:00", "2026-03-13T23:00:00", "Europe/London");
  EXPECT_EQ(window_words(*one, "Europe/London"), "from 9:30pm to 11pm on 13 March 2026");
  auto years = make_window("2025-12-30", "2026-01-02T12:00:00", "Europe/London");
  EXPECT_EQ(window_words(*years, "Europe/London"), "from the start of 30 December 2025 to midday on 2 January 2026");
}

void expect_same(const Scope& a, const Scope& b) {
  // Everything except the file's own bytes, path and hash.
  EXPECT_EQ(a.case_reference, b.case_reference);
  EXPECT_EQ(a.offence, b.offence);
  EXPECT_EQ(a.time_zone, b.time_zone);
  EXPECT_EQ(a.region, b.region);
  EXPECT_EQ(a.incident_start_ms, b.incident_start_ms);
  EXPECT_EQ(a.incident_end_ms, b.incident_end_ms);
  EXPECT_EQ(a.incident_start_text, b.incident_start_text);
  EXPECT_EQ(a.exhibit_reference, b.exhibit_reference);
  EXPECT_EQ(a.device_description, b.device_description);
  EXPECT_EQ(a.user.role, b.user.role);
  EXPECT_EQ(a.user.age, b.user.age);
  EXPECT_EQ(a.user.has_capacity, b.user.has_capacity);
  EXPECT_EQ(a.user.no_contact_with, b.user.no_contact_with);
  EXPECT_EQ(a.agreement.given_by, b.agreement.given_by);
  EXPECT_EQ(a.agreement.form, b.agreement.form);
  EXPECT_EQ(a.agreement.time_ms, b.agreement.time_ms);
  EXPECT_EQ(a.agreement.notice_version, b.agreement.notice_version);
  EXPECT_EQ(a.agreement.responsible_adult, b.agreement.responsible_adult);
  EXPECT_EQ(a.agreement.responsible_adult_agreement, b.agreement.responsible_adult_agreement);
  EXPECT_EQ(a.agreement.users_own_views, b.agreement.users_own_views);
  EXPECT_EQ(a.agreement.withdrawn, b.agreement.withdrawn);
  EXPECT_EQ(a.authorisation.requesting.name, b.authorisation.requesting.name);
  EXPECT_EQ(a.authorisation.requesting.rank, b.authorisation.requesting.rank);
  EXPECT_EQ(a.authorisation.sanctioning.name, b.authorisation.sanctioning.name);
  EXPECT_EQ(a.authorisation.sanctioning.rank, b.authorisation.sanctioning.rank);
  EXPECT_EQ(a.authorisation.sanctioning.number, b.authorisation.sanctioning.number);
  EXPECT_EQ(a.authorisation.requested_by, b.authorisation.requested_by);
  EXPECT_EQ(a.authorisation.request_reference, b.authorisation.request_reference);
  EXPECT_EQ(a.authorisation.in_anticipation_of_prosecutor, b.authorisation.in_anticipation_of_prosecutor);
  EXPECT_EQ(a.authorisation.sanction_time_ms, b.authorisation.sanction_time_ms);
  EXPECT_EQ(a.authorisation.sanction_reasons, b.authorisation.sanction_reasons);
  ASSERT_EQ(a.lines.size(), b.lines.size());
  for (size_t i = 0; i < a.lines.size(); ++i) {
    const auto &x = a.lines[i], &y = b.lines[i];
    EXPECT_EQ(x.id, y.id);
    EXPECT_EQ(x.purpose, y.purpose);
    EXPECT_EQ(x.purpose_plain, y.purpose_plain);
    EXPECT_EQ(x.belief, y.belief);
    EXPECT_EQ(x.basis, y.basis);
    ASSERT_EQ(x.less_intrusive.size(), y.less_intrusive.size());
    for (size_t j = 0; j < x.less_intrusive.size(); ++j) {
      EXPECT_EQ(x.less_intrusive[j].means, y.less_intrusive[j].means);
      EXPECT_EQ(x.less_intrusive[j].why_not, y.less_intrusive[j].why_not);
    }
    EXPECT_EQ(x.categories, y.categories);
    EXPECT_EQ(x.everything, y.everything);
    ASSERT_EQ(x.parties.size(), y.parties.size());
    for (size_t j = 0; j < x.parties.size(); ++j) {
      EXPECT_EQ(x.parties[j].raw, y.parties[j].raw);
      EXPECT_EQ(x.parties[j].id, y.parties[j].id);
      EXPECT_EQ(x.parties[j].label, y.parties[j].label);
    }
    ASSERT_EQ(x.windows.size(), y.windows.size());
    for (size_t j = 0; j < x.windows.size(); ++j) {
      EXPECT_EQ(x.windows[j].start_ms, y.windows[j].start_ms);
      EXPECT_EQ(x.windows[j].end_ms, y.windows[j].end_ms);
      EXPECT_EQ(x.windows[j].start_text, y.windows[j].start_text);
      EXPECT_EQ(x.windows[j].end_text, y.windows[j].end_text);
    }
    EXPECT_EQ(x.tolerance_ms, y.tolerance_ms);
    ASSERT_EQ(x.keywords.size(), y.keywords.size());
    for (size_t j = 0; j < x.keywords.size(); ++j) {
      EXPECT_EQ(x.keywords[j].pattern, y.keywords[j].pattern);
      EXPECT_EQ(x.keywords[j].regex, y.keywords[j].regex);
      EXPECT_EQ(x.keywords[j].proposed_by, y.keywords[j].proposed_by);
    }
    EXPECT_EQ(x.group_rule, y.group_rule);
    EXPECT_EQ(x.include_undated, y.include_undated);
    EXPECT_EQ(x.exceptional_window_justification, y.exceptional_window_justification);
  }
  EXPECT_EQ(a.handling.retention_basis, b.handling.retention_basis);
  EXPECT_EQ(a.handling.review_date, b.handling.review_date);
  EXPECT_EQ(a.handling.delete_out_of_scope_by, b.handling.delete_out_of_scope_by);
  EXPECT_EQ(a.handling.device_return_target, b.handling.device_return_target);
  EXPECT_EQ(a.handling.who_will_see, b.handling.who_will_see);
  EXPECT_EQ(a.handling.contact, b.handling.contact);
  EXPECT_EQ(a.handling.advocate_service, b.handling.advocate_service);
  EXPECT_EQ(a.version, b.version);
  EXPECT_EQ(a.parent_version, b.parent_version);
  EXPECT_EQ(a.change_justification, b.change_justification);
}

TEST(ScopeRender, EveryExampleRoundTrips) {
  for (const char* name : {"proportionate.toml", "seven-years-everything.toml", "child-witness.toml",
                           "proportionate-v2.toml", "widened-without-sanction.toml"}) {
    SCOPED_TRACE(name);
    auto a = load_scope(examples() / name);
    ASSERT_TRUE(a.ok());
    const std::string text = render_scope_toml(*a);
    auto b = parse_scope(text, "rendered.toml");
    ASSERT_TRUE(b.ok()) << b.error().message << "\n" << text;
    expect_same(*a, *b);
    EXPECT_EQ(render_scope_toml(*b), text);
    // The same decisions, so the same findings.
    const auto fa = lint_scope(*a, builtin_policy()), fb = lint_scope(*b, builtin_policy());
    ASSERT_EQ(fa.size(), fb.size());
    for (size_t i = 0; i < fa.size(); ++i) EXPECT_EQ(fa[i].message, fb[i].message);
  }
}

TEST(ScopeRender, HostileStringsRoundTrip) {
  auto a = load_scope(examples() / "child-witness.toml");
  ASSERT_TRUE(a.ok());
  Scope s = *a;
  s.lines[0].purpose = "quote \" backslash \\ newline\n tab\t bell\x07 del\x7f ünïcødé \xe2\x80\xae rtl";
  s.lines[0].keywords.push_back({"a\\b\"c", true, "prosecutor"});
  s.handling.contact = "\"; [injected]\nkey = 1";
  s.agreement.withdrawn = true;
  s.agreement.withdrawn_time_text = "2026-03-20T09:00:00";
  s.authorisation.in_anticipation_of_prosecutor = true;
  s.user.no_contact_with = {"+44 7700 900456", "x\"y"};
  s.lines[0].include_undated = true;
  s.lines[0].group_rule = GroupRule::whole_conversation;
  s.parent_version = 1;
  s.version = 3;
  s.change_justification = "multi\nline";
  const std::string text = render_scope_toml(s);
  auto b = parse_scope(text, "r.toml");
  ASSERT_TRUE(b.ok()) << b.error().message << "\n" << text;
  expect_same(s, *b);
  EXPECT_EQ(b->agreement.withdrawn_time_text, "2026-03-20T09:00:00");
}

TEST(CanonicalScope, MessagesAndCallsWithTheSuspectTwoDaysEitherSide) {
  CanonicalScopeSpec spec;
  spec.case_reference = "SYN/7";
  spec.incident_start_ms = utc("2026-06-20T21:30:00Z");  // BST: 22:30 local
  spec.incident_end_ms = utc("2026-06-21T00:15:00Z");
  spec.suspect = "07700 900123";
  auto s = canonical_scope(spec);
  ASSERT_TRUE(s.ok()) << s.error().message;
  ASSERT_EQ(s->lines.size(), 1u);
  const auto& l = s->lines[0];
  EXPECT_EQ(l.categories, (std::vector<Category>{Category::message, Category::call}));
  ASSERT_EQ(l.parties.size(), 1u);
  EXPECT_EQ(l.parties[0].id.value, "+447700900123");
  ASSERT_EQ(l.windows.size(), 1u);
  // Whole local days: the incident starts on 20 June and ends on 21 June
  // (local, BST), so the window is 18 June 00:00 to the end of 23 June.
  EXPECT_EQ(l.windows[0].start_ms, utc("2026-06-17T23:00:00Z"));
  EXPECT_EQ(l.windows[0].end_ms, utc("2026-06-23T23:00:00Z"));
  EXPECT_EQ(l.windows[0].start_text, "2026-06-18");
  EXPECT_EQ(l.windows[0].end_text, "2026-06-23");
  EXPECT_EQ(l.group_rule, GroupRule::sent_by_or_to_party);
  EXPECT_EQ(l.tolerance_ms, 0);
  EXPECT_FALSE(l.include_undated);
  EXPECT_EQ(s->case_reference, "SYN/7");
  // It plans clean, and its file reads back to the same scope.
  const auto f = lint_scope(*s, builtin_policy());
  EXPECT_TRUE(f.empty()) << (f.empty() ? "" : f[0].rule + ": " + f[0].message);
  auto again = parse_scope(render_scope_toml(*s), "again.toml");
  ASSERT_TRUE(again.ok());
  expect_same(*s, *again);
  // Its notice passes the readability minimums.
  auto n = render_notice(*s);
  ASSERT_TRUE(n.ok());
  EXPECT_GE(n->standard.score, 60);
  EXPECT_GE(n->easy.score, 70);

  CanonicalScopeSpec bad = spec;
  bad.time_zone = "Nowhere/Else";
  EXPECT_FALSE(canonical_scope(bad).ok());
  bad = spec;
  bad.suspect.clear();
  EXPECT_FALSE(canonical_scope(bad).ok());
}

}  // namespace
}  // namespace remit
