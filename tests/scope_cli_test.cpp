// `remit plan` and `remit items --scope` end to end, through the binary:
// exit codes (0 ok, 1 findings, 2 usage/malformed), the example scopes,
// --json, --against, --notice-out, and a scoped run over a hand-made
// Android extraction whose out-of-scope rows carry OUT-OF-SCOPE-CANARY.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <set>

#include "support/golden.hpp"
#include "support/support.hpp"

namespace remit::test {
namespace {

fs::path ex(const std::string& name) {
  return fs::path(REMIT_SOURCE_DIR) / "examples" / "scopes" / name;
}

TEST(PlanCli, ProportionateExampleExitsZero) {
  auto r = run_remit({"plan", ex("proportionate.toml").string()});
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("findings   none"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("result     ok: 0 errors, 0 warnings"), std::string::npos) << r.out;
  EXPECT_NE(
      r.out.find("line L1      message, call with the number ending 0123, from 13 March to 17 March 2026 (5 days)"),
      std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("readability"), std::string::npos);
  EXPECT_EQ(r.out.find("900123"), std::string::npos);  // masked in the summary too
}

TEST(PlanCli, SevenYearsEverythingExitsOneAndNamesTheRulesItBreaks) {
  auto r = run_remit({"plan", ex("seven-years-everything.toml").string()});
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  for (const char* rule : {"everything-category", "window-excessive", "justification-missing", "sanction-insufficient",
                           "agreement-missing", "handling-incomplete", "anticipated-request", "no-contact-party",
                           "communications-without-parties", "window-off-incident", "window-long"})
    EXPECT_NE(r.out.find(std::string(rule) + ":"), std::string::npos) << rule << "\n" << r.out;
  EXPECT_NE(r.out.find("NOT READY"), std::string::npos);
  EXPECT_NE(r.out.find("fix:"), std::string::npos);
}

TEST(PlanCli, JsonOutput) {
  auto r = run_remit({"plan", ex("seven-years-everything.toml").string(), "--json"});
  EXPECT_EQ(r.exit_code, 1);
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_FALSE(j["ok"].get<bool>());
  EXPECT_EQ(j["case_reference"], "MP/2026/004712");
  EXPECT_GE(j["counts"]["error"].get<int>(), 5);
  std::set<std::string> rules;
  for (const auto& f : j["findings"]) {
    rules.insert(f["rule"].get<std::string>());
    EXPECT_FALSE(f["fix"].get<std::string>().empty());
  }
  EXPECT_TRUE(rules.count("everything-category"));
  EXPECT_EQ(j["lines"].size(), 3u);
  EXPECT_EQ(j["lines"][0]["windows"][0]["days"], 2558);

  auto ok = run_remit({"plan", ex("proportionate.toml").string(), "--json"});
  EXPECT_EQ(ok.exit_code, 0);
  const auto k = nlohmann::json::parse(ok.out);
  EXPECT_TRUE(k["ok"].get<bool>());
  EXPECT_TRUE(k["findings"].empty());
  EXPECT_EQ(k["lines"][0]["windows"][0]["start_utc"], "2026-03-13T00:00:00.000Z");
  EXPECT_EQ(k["lines"][0]["windows"][0]["end_utc"], "2026-03-18T00:00:00.000Z");
  EXPECT_GE(k["notice"]["readability"]["standard"]["score"].get<double>(), 60.0);
  EXPECT_GE(k["notice"]["readability"]["easy_read"]["score"].get<double>(), 70.0);
  EXPECT_EQ(k["notice"]["readability"]["easy_read"]["minimum"].get<double>(), 70.0);
}

TEST(PlanCli, MalformedAndMissingFilesExitTwoNamingLineAndField) {
  TempDir tmp;
  write_file(tmp / "bad.toml",
             "[case]\ntime_zone = \"Europe/London\"\n[[line]]\nid = \"L1\"\ncategories = [\"message\", \"texts\"]\n");
  auto r = run_remit({"plan", (tmp / "bad.toml").string()});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("bad.toml:5:"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("line[1].categories[2]: unknown category 'texts'"), std::string::npos) << r.err;
  EXPECT_TRUE(r.out.empty());

  auto js = run_remit({"plan", (tmp / "bad.toml").string(), "--json"});
  EXPECT_EQ(js.exit_code, 2);
  const auto je = nlohmann::json::parse(js.out);
  EXPECT_FALSE(je["ok"].get<bool>());
  EXPECT_NE(je["error"]["message"].get<std::string>().find("line[1].categories[2]"), std::string::npos);
  EXPECT_EQ(run_remit({"plan", (tmp / "none.toml").string()}).exit_code, 2);
  EXPECT_EQ(run_remit({"plan"}).exit_code, 2);
  EXPECT_EQ(run_remit({"plan", ex("proportionate.toml").string(), "--policy", (tmp / "none.toml").string()}).exit_code,
            2);
  write_file(tmp / "policy.toml", "[severity]\nwindow-long = \"fatal\"\n");
  auto p = run_remit({"plan", ex("proportionate.toml").string(), "--policy", (tmp / "policy.toml").string()});
  EXPECT_EQ(p.exit_code, 2);
  EXPECT_NE(p.err.find("policy.toml:2:"), std::string::npos) << p.err;
  EXPECT_EQ(run_remit({"plan", "--help"}).exit_code, 0);
}

TEST(PlanCli, PolicyFileChangesTheVerdict) {
  auto r = run_remit({"plan", ex("proportionate.toml").string(), "--policy", ex("policy-strict.toml").string()});
  EXPECT_EQ(r.exit_code, 1) << r.out;
  EXPECT_NE(r.out.find("below superintendent"), std::string::npos) << r.out;
}

TEST(PlanCli, AgainstShowsTheWideningAsADiff) {
  auto good = run_remit({"plan", ex("proportionate-v2.toml").string(), "--against", ex("proportionate.toml").string()});
  EXPECT_EQ(good.exit_code, 0) << good.out;
  EXPECT_NE(good.out.find("changes from version 1"), std::string::npos) << good.out;
  EXPECT_NE(good.out.find("+ widens  line L1 adds time: from 10 March to 12 March 2026"), std::string::npos)
      << good.out;
  EXPECT_NE(good.out.find("~ changes device_return_target: 2026-03-25 -> 2026-03-27"), std::string::npos) << good.out;

  auto bad = run_remit(
      {"plan", ex("widened-without-sanction.toml").string(), "--against", ex("proportionate.toml").string(), "--json"});
  EXPECT_EQ(bad.exit_code, 1) << bad.out;
  const auto j = nlohmann::json::parse(bad.out);
  bool unjustified = false;
  for (const auto& f : j["findings"]) unjustified = unjustified || f["rule"] == "widening-unjustified";
  EXPECT_TRUE(unjustified);
  size_t widenings = 0;
  for (const auto& c : j["changes"]) widenings += c["widens"].get<bool>() ? 1 : 0;
  EXPECT_EQ(widenings, 2u);
  EXPECT_EQ(j["against"]["version"], 1);

  // Without --against a scope with a parent gets a note, not an error.
  auto note = run_remit({"plan", ex("proportionate-v2.toml").string()});
  EXPECT_EQ(note.exit_code, 0);
  EXPECT_NE(note.out.find("parent-not-checked"), std::string::npos);
}

TEST(PlanCli, NoticeOutWritesTheFourFilesOnlyForAScopeReadyToPutToThePerson) {
  TempDir tmp;
  auto r = run_remit({"plan", ex("proportionate.toml").string(), "--notice-out", (tmp / "notice").string()});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  for (const char* f : {"notice.html", "notice.txt", "notice-easy-read.html", "notice-easy-read.txt"})
    EXPECT_TRUE(fs::is_regular_file(tmp / "notice" / f)) << f;
  EXPECT_NE(read_file(tmp / "notice" / "notice.txt").find("the number ending 0123"), std::string::npos);

  auto refused = run_remit({"plan", ex("seven-years-everything.toml").string(), "--notice-out", (tmp / "n2").string()});
  EXPECT_EQ(refused.exit_code, 1);
  EXPECT_FALSE(fs::exists(tmp / "n2"));
  EXPECT_NE(refused.err.find("notice not written"), std::string::npos) << refused.err;

  // Before the person agrees the only error is the missing agreement: the notice is written.
  std::string text = read_file(ex("proportionate.toml"));
  const auto a = text.find("[agreement]");
  const auto b = text.find("[authorisation]");
  text.replace(a, b - a, "[agreement]\n\n");
  write_file(tmp / "draft.toml", text);
  auto draft = run_remit({"plan", (tmp / "draft.toml").string(), "--notice-out", (tmp / "n3").string()});
  EXPECT_EQ(draft.exit_code, 1) << draft.out;
  EXPECT_NE(draft.out.find("agreement-missing"), std::string::npos);
  EXPECT_TRUE(fs::is_regular_file(tmp / "n3" / "notice.html"));
}

// --- A scoped run over a hand-made extraction --------------------------------------

constexpr const char* kCanary = "OUT-OF-SCOPE-CANARY";

// mmssms.db and calllog.db as Android writes them (the columns the parsers
// read), with the suspect's number in several spellings. Window: 13 to 17
// March 2026 in Europe/London (GMT then), i.e. [2026-03-13T00:00Z,
// 2026-03-18T00:00Z). Every out-of-scope row carries the canary in its body
// or cached name; no in-scope row does.
constexpr const char* kSmsSql = R"(
CREATE TABLE sms (_id INTEGER PRIMARY KEY, thread_id INTEGER, address TEXT, person INTEGER, date INTEGER,
  date_sent INTEGER, protocol INTEGER, read INTEGER, status INTEGER, type INTEGER, body TEXT);
INSERT INTO sms VALUES (1, 1, '07700 900123', NULL, 1773482400000, 1773482399000, 0, 1, -1, 1, 'are we still on for saturday');
INSERT INTO sms VALUES (2, 1, '+447700900123', NULL, 1773630000000, 0, NULL, 1, -1, 2, 'did you get home');
INSERT INTO sms VALUES (3, 1, '447700900123', NULL, 1773791999999, 1773791999000, 0, 0, -1, 1, 'the last moment of the window');
INSERT INTO sms VALUES (4, 1, '07700900123', NULL, 1773792000000, 1773791999000, 0, 0, -1, 1, 'OUT-OF-SCOPE-CANARY just after the window');
INSERT INTO sms VALUES (5, 1, '07700 900123', NULL, 1773359999000, 1773359998000, 0, 1, -1, 1, 'OUT-OF-SCOPE-CANARY just before the window');
INSERT INTO sms VALUES (6, 2, '07700 900999', NULL, 1773576000000, 1773575999000, 0, 1, -1, 1, 'OUT-OF-SCOPE-CANARY someone else, in the window');
INSERT INTO sms VALUES (7, 1, '07700 900123', NULL, 1769947200000, 1769947199000, 0, 1, -1, 1, 'OUT-OF-SCOPE-CANARY weeks before');
INSERT INTO sms VALUES (8, 1, '+44 7700 900123', NULL, 0, 0, 0, 1, -1, 1, 'OUT-OF-SCOPE-CANARY undated');
)";
constexpr const char* kCallsSql = R"(
CREATE TABLE calls (_id INTEGER PRIMARY KEY, number TEXT, date INTEGER, duration INTEGER, type INTEGER, name TEXT,
  features INTEGER, geocoded_location TEXT, countryiso TEXT, phone_account_address TEXT,
  subscription_component_name TEXT);
INSERT INTO calls VALUES (1, '07700900123', 1773610200000, 120, 1, NULL, 0, NULL, 'GB', NULL, NULL);
INSERT INTO calls VALUES (2, '07700 900555', 1773610800000, 30, 1, 'OUT-OF-SCOPE-CANARY friend', 0, 'OUT-OF-SCOPE-CANARY place', 'GB', NULL, NULL);
INSERT INTO calls VALUES (3, '+447700900123', 1774008000000, 0, 3, 'OUT-OF-SCOPE-CANARY suspect later', 0, NULL, 'GB', NULL, NULL);
)";

fs::path build_extraction(const fs::path& root) {
  const fs::path sms = root / "data/data/com.android.providers.telephony/databases/mmssms.db";
  const fs::path calls = root / "data/data/com.android.providers.contacts/databases/calllog.db";
  fs::create_directories(sms.parent_path());
  fs::create_directories(calls.parent_path());
  build_sqlite(sms, kSmsSql);
  build_sqlite(calls, kCallsSql);
  return root;
}

void expect_exact_scoped_output(const RunResult& r) {
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out.find(kCanary), std::string::npos) << r.out;
  EXPECT_EQ(r.err.find(kCanary), std::string::npos) << r.err;
  std::set<std::string> got;
  std::istringstream in(r.out);
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    const auto j = nlohmann::json::parse(line);
    got.insert(j["provenance"]["table"].get<std::string>() + ":" + j["provenance"]["row"].get<std::string>());
    ASSERT_TRUE(j.contains("scope")) << line;
    EXPECT_EQ(j["scope"]["lines"], nlohmann::json::array({"L1"}));
    EXPECT_FALSE(j["scope"]["near_edge"].get<bool>());
  }
  EXPECT_EQ(got, (std::set<std::string>{"sms:_id=1", "sms:_id=2", "sms:_id=3", "calls:_id=1"}));
  // The items themselves still parse as items.
  EXPECT_EQ(parse_items(r.out).size(), 4u);
  EXPECT_NE(r.err.find("4 (call 1, message 3) in scope; 7 (call 2, message 5) out of scope, not shown"),
            std::string::npos)
      << r.err;
}

TEST(ItemsScoped, FolderExtractionGivesExactlyTheInScopeItemsAndNoCanary) {
  TempDir tmp;
  const fs::path ev = build_extraction(tmp / "extraction");
  const std::string before_sms = sha256_of_file(ev / "data/data/com.android.providers.telephony/databases/mmssms.db");
  auto r = run_remit({"items", ev.string(), "--scope", ex("proportionate.toml").string()},
                     {{"REMIT_STATE_DIR", (tmp / "state").string()}});
  expect_exact_scoped_output(r);
  EXPECT_EQ(sha256_of_file(ev / "data/data/com.android.providers.telephony/databases/mmssms.db"), before_sms);
  // A scoped run writes no audit or state of its own.
  EXPECT_FALSE(fs::exists(tmp / "state"));
}

TEST(ItemsScoped, TarExtractionGivesTheSameResult) {
  TempDir tmp;
  const fs::path ev = build_extraction(tmp / "x");
  std::vector<FixtureEntry> entries;
  for (const char* p : {"data/data/com.android.providers.telephony/databases/mmssms.db",
                        "data/data/com.android.providers.contacts/databases/calllog.db"}) {
    FixtureEntry e;
    e.name = p;
    e.data = read_file(ev / p);
    entries.push_back(std::move(e));
  }
  make_tar(tmp / "extraction.tar", entries);
  expect_exact_scoped_output(
      run_remit({"items", (tmp / "extraction.tar").string(), "--scope", ex("proportionate.toml").string()}));
}

TEST(ItemsScoped, ToleranceMarksNearEdgeItems) {
  TempDir tmp;
  const fs::path ev = build_extraction(tmp / "extraction");
  std::string text = read_file(ex("proportionate.toml"));
  const std::string from = "tolerance = \"0\"";
  text.replace(text.find(from), from.size(), "tolerance = \"1m\"");
  write_file(tmp / "tol.toml", text);
  auto r = run_remit({"items", ev.string(), "--scope", (tmp / "tol.toml").string()});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  std::map<std::string, bool> near;
  std::istringstream in(r.out);
  std::string line;
  while (std::getline(in, line))
    if (!line.empty()) {
      const auto j = nlohmann::json::parse(line);
      near[j["provenance"]["row"].get<std::string>() + "@" + j["provenance"]["table"].get<std::string>()] =
          j["scope"]["near_edge"].get<bool>();
    }
  // The rows one second before and just after the window come in, flagged.
  EXPECT_EQ(near.size(), 6u) << r.out;
  EXPECT_TRUE(near["_id=4@sms"]);
  EXPECT_TRUE(near["_id=5@sms"]);
  EXPECT_FALSE(near["_id=1@sms"]);
  EXPECT_NE(r.err.find("2 near an edge"), std::string::npos) << r.err;
}

TEST(ItemsScoped, RefusesAScopeWithErrorsBeforeReadingAnything) {
  TempDir tmp;
  const fs::path ev = build_extraction(tmp / "extraction");
  auto r = run_remit({"items", ev.string(), "--scope", ex("seven-years-everything.toml").string()});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_TRUE(r.out.empty()) << r.out;
  EXPECT_NE(r.err.find("[everything-category]"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("nothing was read"), std::string::npos) << r.err;
  EXPECT_EQ(r.err.find(kCanary), std::string::npos);

  EXPECT_EQ(
      run_remit({"items", ev.string(), "--scope", ex("proportionate.toml").string(), "--unscoped", "--reason", "x"})
          .exit_code,
      2);
  auto region = run_remit({"items", ev.string(), "--scope", ex("proportionate.toml").string(), "--region", "US"});
  EXPECT_EQ(region.exit_code, 2);
  EXPECT_TRUE(region.out.empty());
  EXPECT_EQ(run_remit({"items", ev.string(), "--scope", (tmp / "missing.toml").string()}).exit_code, 2);
}

}  // namespace
}  // namespace remit::test
