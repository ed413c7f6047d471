// Proportionality rules (docs/policy.md): one test per rule, policy files,
// and the difference between scope versions. Each test starts from the
// proportionate example (which has no findings) and breaks one thing.
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <set>
#include <sstream>

#include "remit/party.hpp"
#include "remit/scope.hpp"
#include "remit/timeconv.hpp"
#include "support/support.hpp"

namespace remit {
namespace {

namespace fs = std::filesystem;

fs::path examples() {
  return fs::path(REMIT_SOURCE_DIR) / "examples" / "scopes";
}

Scope example(const std::string& name) {
  auto s = load_scope(examples() / name);
  EXPECT_TRUE(s.ok()) << (s.ok() ? "" : s.error().message);
  return s.ok() ? std::move(*s) : Scope{};
}

std::vector<PlanFinding> lint(const Scope& s, const Scope* parent = nullptr, const Policy& p = builtin_policy()) {
  return lint_scope(s, p, parent);
}

std::vector<PlanFinding> with_rule(const std::vector<PlanFinding>& fs, const std::string& rule) {
  std::vector<PlanFinding> out;
  for (const auto& f : fs)
    if (f.rule == rule) out.push_back(f);
  return out;
}

std::string dump(const std::vector<PlanFinding>& fs) {
  std::string out;
  for (const auto& f : fs) out += std::string(to_string(f.severity)) + " " + f.rule + ": " + f.message + "\n";
  return out;
}

// Exactly the findings of `rule` (and no others); returns them.
std::vector<PlanFinding> only(const Scope& s, const std::string& rule, const Scope* parent = nullptr,
                              const Policy& p = builtin_policy()) {
  const auto all = lint(s, parent, p);
  const auto hits = with_rule(all, rule);
  EXPECT_FALSE(hits.empty()) << "expected " << rule << ", got:\n" << dump(all);
  EXPECT_EQ(hits.size(), all.size()) << "unexpected other findings:\n" << dump(all);
  return hits;
}

TimeWindow window(const char* start, const char* end) {
  auto w = make_window(start, end, "Europe/London");
  EXPECT_TRUE(w.ok()) << (w.ok() ? "" : w.error().message);
  return w.ok() ? *w : TimeWindow{};
}

ScopeParty party(const char* raw) {
  PartyNormaliser n("GB");
  return ScopeParty{raw, n.normalise(raw), ""};
}

TEST(Rules, ProportionateExampleIsClean) {
  const auto f = lint(example("proportionate.toml"));
  EXPECT_TRUE(f.empty()) << dump(f);
  EXPECT_FALSE(has_errors(f));
}

TEST(Rules, ChildWitnessExampleIsClean) {
  const auto f = lint(example("child-witness.toml"));
  EXPECT_TRUE(f.empty()) << dump(f);
}

TEST(Rules, JustificationMissing) {
  Scope s = example("proportionate.toml");
  s.lines[0].purpose.clear();
  s.lines[0].belief = "  ";
  auto f = only(s, "justification-missing");
  EXPECT_EQ(f[0].severity, Severity::error);
  EXPECT_EQ(f[0].line_id, "L1");
  EXPECT_NE(f[0].message.find("purpose"), std::string::npos);
  EXPECT_NE(f[0].message.find("belief"), std::string::npos);
  EXPECT_EQ(f[0].message.find("basis"), std::string::npos);

  Scope t = example("proportionate.toml");
  t.lines[0].less_intrusive.clear();
  EXPECT_NE(only(t, "justification-missing")[0].message.find("less intrusive"), std::string::npos);
  Scope u = example("proportionate.toml");
  u.lines[0].less_intrusive[1].why_not.clear();
  EXPECT_NE(only(u, "justification-missing")[0].message.find("less_intrusive[2].why_not"), std::string::npos);
}

TEST(Rules, SanctionInsufficient) {
  Scope none = example("proportionate.toml");
  none.authorisation.sanctioning = {};
  EXPECT_EQ(only(none, "sanction-insufficient")[0].severity, Severity::error);

  Scope sergeant = example("proportionate.toml");
  sergeant.authorisation.sanctioning.rank = "Detective Sergeant";
  EXPECT_NE(only(sergeant, "sanction-insufficient")[0].message.find("below inspector"), std::string::npos);

  Scope unknown = example("proportionate.toml");
  unknown.authorisation.sanctioning.rank = "Chief Wizard";
  EXPECT_NE(only(unknown, "sanction-insufficient")[0].message.find("not a recognised"), std::string::npos);

  Scope self = example("proportionate.toml");
  self.authorisation.sanctioning.name = "dc priya shah";
  EXPECT_NE(only(self, "sanction-insufficient")[0].message.find("requesting officer"), std::string::npos);

  Scope untimed = example("proportionate.toml");
  untimed.authorisation.sanction_time_ms.reset();
  untimed.authorisation.sanction_reasons.clear();
  EXPECT_EQ(only(untimed, "sanction-insufficient").size(), 2u);

  for (const char* ok : {"Inspector", "DI", "Acting Inspector", "Detective Chief Inspector", "Superintendent",
                         "Ch Supt", "Commander", "Chief Constable", "T/DCI"}) {
    Scope s = example("proportionate.toml");
    s.authorisation.sanctioning.rank = ok;
    EXPECT_TRUE(lint(s).empty()) << ok << "\n" << dump(lint(s));
  }
}

TEST(Rules, AgreementMissingOrWithdrawn) {
  Scope s = example("proportionate.toml");
  s.agreement = {};
  auto f = only(s, "agreement-missing");
  EXPECT_EQ(f[0].severity, Severity::error);
  EXPECT_NE(f[0].message.find("no agreement"), std::string::npos);

  Scope partial = example("proportionate.toml");
  partial.agreement.notice_version.clear();
  EXPECT_NE(only(partial, "agreement-missing")[0].message.find("notice_version"), std::string::npos);

  Scope withdrawn = example("proportionate.toml");
  withdrawn.agreement.withdrawn = true;
  withdrawn.agreement.withdrawn_time_text = "2026-03-20T09:00:00";
  EXPECT_NE(only(withdrawn, "agreement-missing")[0].message.find("withdrew"), std::string::npos);
}

TEST(Rules, ResponsibleAdultMissing) {
  Scope child = example("proportionate.toml");
  child.user.age = 15;
  auto f = only(child, "responsible-adult-missing");
  EXPECT_EQ(f[0].severity, Severity::error);
  EXPECT_NE(f[0].message.find("under 18"), std::string::npos);
  EXPECT_NE(f[0].message.find("own views"), std::string::npos);

  Scope incapable = example("proportionate.toml");
  incapable.user.has_capacity = false;
  incapable.agreement.responsible_adult = "Alex Smith (carer)";
  incapable.agreement.responsible_adult_agreement = "written";
  EXPECT_NE(only(incapable, "responsible-adult-missing")[0].message.find("without capacity"), std::string::npos);

  incapable.agreement.users_own_views = "Jane agrees to the messages being looked at.";
  EXPECT_TRUE(lint(incapable).empty());

  Scope adult18 = example("proportionate.toml");
  adult18.user.age = 18;
  EXPECT_TRUE(lint(adult18).empty());
  Policy p;
  p.adult_age = 19;
  EXPECT_FALSE(with_rule(lint(adult18, nullptr, p), "responsible-adult-missing").empty());
}

TEST(Rules, WindowMissing) {
  Scope s = example("proportionate.toml");
  s.lines[0].windows.clear();
  EXPECT_EQ(only(s, "window-missing")[0].severity, Severity::error);
}

TEST(Rules, WindowLong) {
  Scope s = example("proportionate.toml");
  s.lines[0].windows = {window("2026-02-20", "2026-03-23")};  // 32 days
  auto f = only(s, "window-long");
  EXPECT_EQ(f[0].severity, Severity::warning);
  EXPECT_NE(f[0].message.find("32 days"), std::string::npos);
  // 30 whole days is not longer than 30.
  Scope ok = example("proportionate.toml");
  ok.lines[0].windows = {window("2026-02-20", "2026-03-21")};
  EXPECT_TRUE(lint(ok).empty()) << dump(lint(ok));
  // Tolerance counts towards the length.
  ok.lines[0].tolerance_ms = 24 * 3600000LL;
  EXPECT_FALSE(with_rule(lint(ok), "window-long").empty());
}

TEST(Rules, WindowExcessiveUnlessJustified) {
  Scope s = example("proportionate.toml");
  s.lines[0].windows = {window("2019-03-16", "2026-03-16")};
  auto f = only(s, "window-excessive");
  EXPECT_EQ(f[0].severity, Severity::error);
  EXPECT_NE(f[0].message.find("2558 days"), std::string::npos);
  s.lines[0].exceptional_window_justification =
      "The complainant reports a course of conduct by the suspect over seven years; the messages are the only record.";
  auto g = only(s, "window-long");
  EXPECT_EQ(g[0].severity, Severity::warning);
}

TEST(Rules, WindowOffIncident) {
  Scope s = example("proportionate.toml");
  s.lines[0].windows.push_back(window("2025-12-01", "2025-12-03"));
  auto f = only(s, "window-off-incident");
  EXPECT_EQ(f[0].severity, Severity::warning);
  EXPECT_NE(f[0].message.find("from 1 December to 3 December 2025"), std::string::npos);
  // A window ending exactly when the incident starts still touches it.
  Scope edge = example("proportionate.toml");
  edge.lines[0].windows = {window("2026-03-14T22:00:00", "2026-03-15T22:00:00")};
  EXPECT_TRUE(lint(edge).empty()) << dump(lint(edge));
}

TEST(Rules, IncidentMissing) {
  Scope s = example("proportionate.toml");
  s.incident_start_ms.reset();
  s.incident_end_ms.reset();
  EXPECT_EQ(only(s, "incident-missing")[0].severity, Severity::warning);
}

TEST(Rules, CommunicationsWithoutParties) {
  Scope s = example("proportionate.toml");
  s.lines[0].parties.clear();
  auto f = only(s, "communications-without-parties");
  EXPECT_EQ(f[0].severity, Severity::warning);
  // Photos alone need no parties.
  Scope photos = example("proportionate.toml");
  photos.lines[0].parties.clear();
  photos.lines[0].categories = {Category::media};
  EXPECT_TRUE(lint(photos).empty()) << dump(lint(photos));
}

TEST(Rules, EverythingCategory) {
  auto s = parse_scope(example("proportionate.toml").text + "", "x.toml");
  ASSERT_TRUE(s.ok());
  std::string text = s->text;
  const std::string from = "categories = [\"message\", \"call\"]";
  text.replace(text.find(from), from.size(), "categories = [\"everything\"]");
  auto e = parse_scope(text, "everything.toml");
  ASSERT_TRUE(e.ok()) << e.error().message;
  EXPECT_TRUE(e->lines[0].everything);
  EXPECT_EQ(e->lines[0].categories.size(), kAllCategories.size());
  auto f = only(*e, "everything-category");
  EXPECT_EQ(f[0].severity, Severity::error);
  for (const char* token : {"all", "*", "ANY", "full_extraction"}) {
    std::string t2 = s->text;
    t2.replace(t2.find(from), from.size(), std::string("categories = [\"") + token + "\"]");
    auto e2 = parse_scope(t2, "x.toml");
    ASSERT_TRUE(e2.ok()) << token;
    EXPECT_TRUE(e2->lines[0].everything) << token;
  }
}

TEST(Rules, NoContactParty) {
  Scope s = example("proportionate.toml");
  s.user.no_contact_with = {"+44 7700 900123"};  // same number, other spelling
  auto f = only(s, "no-contact-party");
  EXPECT_EQ(f[0].severity, Severity::warning);
  EXPECT_NE(f[0].message.find("the number ending 0123"), std::string::npos);
  EXPECT_EQ(f[0].message.find("900123"), std::string::npos);
  s.user.no_contact_with = {"07700 900999"};
  EXPECT_TRUE(lint(s).empty());
}

TEST(Rules, AnticipatedRequest) {
  Scope s = example("proportionate.toml");
  s.authorisation.in_anticipation_of_prosecutor = true;
  EXPECT_EQ(only(s, "anticipated-request")[0].severity, Severity::warning);
  s.authorisation.requested_by = "prosecutor";
  s.authorisation.request_reference = "CPS/2026/1234";
  EXPECT_TRUE(lint(s).empty()) << dump(lint(s));
}

TEST(Rules, RequestRecordIncomplete) {
  Scope s = example("proportionate.toml");
  s.authorisation.requested_by = "defence";
  EXPECT_NE(only(s, "request-record-incomplete")[0].message.find("defence"), std::string::npos);
  s.authorisation.requested_by.clear();
  EXPECT_EQ(only(s, "request-record-incomplete")[0].severity, Severity::warning);
}

TEST(Rules, HandlingIncomplete) {
  Scope s = example("proportionate.toml");
  s.handling.device_return_target.clear();
  s.handling.advocate_service.clear();
  auto f = only(s, "handling-incomplete");
  EXPECT_EQ(f[0].severity, Severity::error);
  EXPECT_NE(f[0].message.find("device_return_target"), std::string::npos);
  EXPECT_NE(f[0].message.find("advocate_service"), std::string::npos);
}

TEST(Rules, WideningUnjustified) {
  const Scope v1 = example("proportionate.toml");
  Scope v2 = v1;
  v2.version = 2;
  v2.parent_version = 1;
  v2.lines[0].windows = {window("2026-03-10", "2026-03-17")};
  auto f = only(v2, "widening-unjustified", &v1);
  EXPECT_EQ(f[0].severity, Severity::error);
  EXPECT_NE(f[0].message.find("from 10 March to 12 March 2026"), std::string::npos);
  EXPECT_NE(f[0].message.find("justification"), std::string::npos);
  EXPECT_NE(f[0].message.find("fresh sanction"), std::string::npos);
  EXPECT_NE(f[0].message.find("agreement"), std::string::npos);

  // The example v2 records all three.
  const Scope good = example("proportionate-v2.toml");
  const auto g = lint(good, &v1);
  EXPECT_TRUE(g.empty()) << dump(g);
  // Narrowing needs none of them.
  Scope narrower = v1;
  narrower.version = 2;
  narrower.parent_version = 1;
  narrower.lines[0].windows = {window("2026-03-14", "2026-03-16")};
  EXPECT_TRUE(lint(narrower, &v1).empty()) << dump(lint(narrower, &v1));
  // The example without a sanction.
  EXPECT_FALSE(with_rule(lint(example("widened-without-sanction.toml"), &v1), "widening-unjustified").empty());
}

TEST(Rules, VersionChain) {
  const Scope v1 = example("proportionate.toml");
  Scope v2 = example("proportionate-v2.toml");
  v2.parent_version = 3;
  auto f = only(v2, "version-chain", &v1);
  EXPECT_EQ(f[0].severity, Severity::error);
  Scope same = v1;
  same.parent_version = 1;
  EXPECT_FALSE(with_rule(lint(same, &v1), "version-chain").empty());
}

TEST(Rules, ParentNotChecked) {
  auto f = only(example("proportionate-v2.toml"), "parent-not-checked");
  EXPECT_EQ(f[0].severity, Severity::info);
  EXPECT_FALSE(has_errors(f));
}

TEST(Rules, NoticeReadability) {
  Scope s = example("proportionate.toml");
  s.lines[0].purpose_plain =
      "To ascertain, notwithstanding the complainant's previously articulated recollection, whether "
      "communications exchanged subsequently between the complainant and the aforementioned individual "
      "corroborate or contradict the prosecution's anticipated evidential narrative concerning consent, "
      "intoxication, premeditation and opportunity, particularly regarding organisational arrangements "
      "immediately preceding the alleged offence.";
  s.handling.retention_basis =
      "Retention in accordance with the Criminal Procedure and Investigations Act 1996 Code of Practice, "
      "organisational information management requirements and applicable data protection legislation, pending "
      "determination of proceedings including any subsequent appellate consideration.";
  s.handling.who_will_see = {"investigative personnel", "prosecution authorities",
                             "defence representatives, "
                             "subject to disclosure obligations"};
  auto f = only(s, "notice-readability");
  EXPECT_EQ(f[0].severity, Severity::warning);
  EXPECT_NE(f[0].message.find("Flesch Reading Ease"), std::string::npos);
  Policy lenient;
  lenient.notice_min_readability = 0;
  lenient.easy_read_min_readability = 0;
  EXPECT_TRUE(lint(s, nullptr, lenient).empty());
}

TEST(Rules, PartiesNotApplicable) {
  Scope s = example("proportionate.toml");
  s.lines[0].categories.push_back(Category::media);
  auto f = only(s, "parties-not-applicable");
  EXPECT_EQ(f[0].severity, Severity::info);
}

TEST(Rules, AmbiguousLocalTime) {
  Scope s = example("proportionate.toml");
  s.lines[0].windows.push_back(window("2026-03-13T00:00:00", "2026-03-29T01:30:00"));
  auto f = only(s, "ambiguous-local-time");
  EXPECT_EQ(f[0].severity, Severity::info);
  EXPECT_NE(f[0].message.find("2026-03-29T01:00:00.000Z"), std::string::npos);
}

TEST(Rules, FindingsAreOrderedBySeverityThenRule) {
  const auto f = lint(example("seven-years-everything.toml"));
  ASSERT_GT(f.size(), 5u);
  for (size_t i = 1; i < f.size(); ++i) {
    ASSERT_GE(static_cast<int>(f[i - 1].severity), static_cast<int>(f[i].severity));
    if (f[i - 1].severity == f[i].severity) {
      ASSERT_LE(f[i - 1].rule, f[i].rule);
    }
  }
  std::set<std::string> rules;
  for (const auto& x : f) rules.insert(x.rule);
  for (const char* r : {"everything-category", "window-excessive", "justification-missing", "sanction-insufficient",
                        "agreement-missing", "anticipated-request", "no-contact-party",
                        "communications-without-parties", "handling-incomplete", "window-off-incident", "window-long"})
    EXPECT_TRUE(rules.count(r)) << r;
}

// --- Policy -------------------------------------------------------------------

TEST(Policy, OverridesSeveritiesAndLimits) {
  auto p = load_policy(examples() / "policy-strict.toml");
  ASSERT_TRUE(p.ok()) << p.error().message;
  EXPECT_EQ(p->window_warn_days, 14);
  EXPECT_EQ(p->window_error_days, 90);
  EXPECT_EQ(p->min_sanction_rank, "superintendent");
  Scope s = example("proportionate.toml");
  s.lines[0].windows = {window("2026-03-01", "2026-03-20")};
  const auto f = lint(s, nullptr, *p);
  const auto wl = with_rule(f, "window-long");
  ASSERT_EQ(wl.size(), 1u) << dump(f);
  EXPECT_EQ(wl[0].severity, Severity::error);
  EXPECT_FALSE(with_rule(f, "sanction-insufficient").empty());
  EXPECT_TRUE(has_errors(f));
}

TEST(Policy, ErrorsNameTheLineAndField) {
  test::TempDir tmp;
  const auto path = tmp / "p.toml";
  test::write_file(path,
                   "[limits]\nwindow_warn_days = 30\nnotice_min_readability = \"high\"\n[severity]\nno-such-rule = "
                   "\"error\"\nwindow-long = \"fatal\"\n");
  auto p = load_policy(path);
  ASSERT_FALSE(p.ok());
  const std::string& m = p.error().message;
  EXPECT_NE(m.find("p.toml:3:"), std::string::npos) << m;
  EXPECT_NE(m.find("limits.notice_min_readability"), std::string::npos) << m;
  EXPECT_NE(m.find("p.toml:5:"), std::string::npos) << m;
  EXPECT_NE(m.find("severity.no-such-rule"), std::string::npos) << m;
  EXPECT_NE(m.find("severity.window-long"), std::string::npos) << m;
  EXPECT_FALSE(load_policy(tmp / "missing.toml").ok());
}

TEST(Policy, EveryRuleIsDocumented) {
  std::ifstream in(fs::path(REMIT_SOURCE_DIR) / "docs" / "policy.md");
  ASSERT_TRUE(in.good());
  std::stringstream ss;
  ss << in.rdbuf();
  const std::string doc = ss.str();
  std::set<std::string_view> ids;
  for (const auto& r : plan_rules()) {
    EXPECT_TRUE(ids.insert(r.id).second) << "duplicate rule id " << r.id;
    EXPECT_NE(doc.find("`" + std::string(r.id) + "`"), std::string::npos) << r.id << " missing from docs/policy.md";
    EXPECT_FALSE(r.fix.empty());
  }
  EXPECT_EQ(ids.size(), 21u);
}

// --- Differences between versions -------------------------------------------------

TEST(Diff, ReportsWideningAndNarrowingPerField) {
  const Scope v1 = example("proportionate.toml");
  Scope v2 = v1;
  auto& l = v2.lines[0];
  l.parties.push_back(party("07700 900777"));
  l.categories = {Category::message, Category::call, Category::email};
  l.group_rule = GroupRule::whole_conversation;
  l.include_undated = true;
  l.tolerance_ms = 3600000;
  LineOfEnquiry extra = l;
  extra.id = "L2";
  v2.lines.push_back(extra);
  const auto d = diff_scopes(v1, v2);
  auto find = [&](const std::string& field, bool widens) {
    for (const auto& c : d)
      if (c.field == field && c.widens == widens) return c.description;
    return std::string("<none>");
  };
  EXPECT_NE(find("parties", true).find("the number ending 0777"), std::string::npos);
  EXPECT_NE(find("categories", true).find("email"), std::string::npos);
  EXPECT_NE(find("group_chats", true).find("whole conversations"), std::string::npos);
  EXPECT_NE(find("include_undated", true).find("now includes"), std::string::npos);
  EXPECT_NE(find("tolerance", true).find("0 -> 1h"), std::string::npos);
  EXPECT_NE(find("windows", true).find("adds time"), std::string::npos);
  EXPECT_NE(find("line", true).find("new line of enquiry L2"), std::string::npos);

  // Reverse: every change narrows.
  for (const auto& c : diff_scopes(v2, v1)) EXPECT_FALSE(c.widens) << c.description;
  // Dropping all parties widens to anyone; dropping keywords widens to any text.
  Scope anyone = v1;
  anyone.lines[0].parties.clear();
  EXPECT_TRUE(diff_scopes(v1, anyone).at(0).widens);
  Scope kw = v1;
  kw.lines[0].keywords.push_back({"knife", false, ""});
  EXPECT_TRUE(diff_scopes(v1, kw).at(0).narrows);
  EXPECT_TRUE(diff_scopes(kw, v1).at(0).widens);
  EXPECT_TRUE(diff_scopes(v1, v1).empty());
  Scope fewer = v1;
  fewer.lines[0].categories = {Category::message};
  const auto dd = diff_scopes(v1, fewer);
  ASSERT_EQ(dd.size(), 1u);
  EXPECT_TRUE(dd[0].narrows);
  EXPECT_NE(dd[0].description.find("drops call"), std::string::npos);
}

}  // namespace
}  // namespace remit
