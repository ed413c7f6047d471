#pragma once
// Fixtures for the package, extract and report tests: a hand-built scope
// (judged by the scope engine's ScopeMatcher, as `remit extract` does), an
// SQL-built Android extraction whose out-of-scope bodies carry
// OUT-OF-SCOPE-CANARY, and two small test parsers (media files and messages
// with attachments) so that media copying and de-duplication can be tested
// on files the platform parsers do not cover.
//
// Times: the case is in Europe/London; March 2026 is before the clocks
// change (29 March), so local time is UTC.

#include <fmt/format.h>
#include <gtest/gtest.h>

// FixtureEntry is filled as {name, data} throughout these tests.
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"

#include <algorithm>
#include <set>

#include "remit/hash.hpp"
#include "remit/notice.hpp"
#include "remit/package.hpp"
#include "remit/registry.hpp"
#include "remit/scope.hpp"
#include "remit/signing.hpp"
#include "remit/text.hpp"
#include "support/golden.hpp"
#include "support/support.hpp"

namespace remit::test {

inline constexpr const char* kCanary = "OUT-OF-SCOPE-CANARY";
inline constexpr const char* kSuspect = "07700 900123";
inline constexpr const char* kSuspectE164 = "+447700900123";
inline constexpr const char* kSmsDb = "data/data/com.android.providers.telephony/databases/mmssms.db";
inline constexpr const char* kCallDb = "data/data/com.android.providers.contacts/databases/calllog.db";

inline int64_t utc_ms(int y, unsigned m, unsigned d, int hh = 0, int mm = 0) {
  return (days_from_civil(y, m, d) * 86400 + hh * 3600 + mm * 60) * 1000LL;
}

inline TimeWindow window(int y, unsigned m, unsigned d0, unsigned d1) {
  TimeWindow w;
  w.start_ms = utc_ms(y, m, d0);
  w.end_ms = utc_ms(y, m, d1 + 1);  // a date-only end includes that whole day
  w.start_text = fmt::format("{:04}-{:02}-{:02}", y, m, d0);
  w.end_text = fmt::format("{:04}-{:02}-{:02}", y, m, d1);
  return w;
}

// Line L1: messages and calls with the suspect, 13-17 March 2026, one hour
// tolerance. Line L2 (optional): photos on 13 March 2026, anyone.
inline Scope make_scope(bool with_media_line = false, int version = 1) {
  Scope s;
  s.case_reference = "TEST/0001";
  s.offence = "Rape (Sexual Offences Act 2003, s.1)";
  s.time_zone = "Europe/London";
  s.region = "GB";
  s.incident_start_ms = utc_ms(2026, 3, 14, 21);
  s.incident_end_ms = utc_ms(2026, 3, 15, 2);
  s.incident_start_text = "2026-03-14T21:00:00";
  s.incident_end_text = "2026-03-15T02:00:00";
  s.exhibit_reference = "ABC/1";
  s.device_description = "Black Android phone";
  s.user.role = "complainant";
  s.user.age = 24;
  s.agreement = Agreement{
      "the device user", "written", "2026-03-20T10:00:00", utc_ms(2026, 3, 20, 10), "1", "", "", "", false, ""};
  s.authorisation.requesting = Officer{"DC Sam Jones", "Detective Constable", "1234"};
  s.authorisation.requested_by = "investigation";
  s.authorisation.sanctioning = Officer{"Alex Smith", "Inspector", "99"};
  s.authorisation.sanction_time_text = "2026-03-20T09:00:00";
  s.authorisation.sanction_time_ms = utc_ms(2026, 3, 20, 9);
  s.authorisation.sanction_reasons = "Narrow, tied to the incident and the suspect's account.";
  LineOfEnquiry l1;
  l1.id = "L1";
  l1.purpose = "Establish what was said between the complainant and the suspect around the incident";
  l1.belief = "The suspect says they arranged to meet by text";
  l1.basis = "Suspect interview";
  l1.less_intrusive = {{"screenshots offered by the complainant", "they do not show dates or the number"}};
  l1.categories = {Category::message, Category::call};
  l1.parties = {ScopeParty{kSuspect, NormalisedId{PartyKind::phone, kSuspectE164}, "suspect"}};
  l1.windows = {window(2026, 3, 13, 17)};
  l1.tolerance_ms = 3600 * 1000;
  s.lines.push_back(l1);
  if (with_media_line) {
    LineOfEnquiry l2;
    l2.id = "L2";
    l2.purpose = "Photos taken on the evening before";
    l2.belief = "Photos of the venue";
    l2.basis = "Complainant's account";
    l2.categories = {Category::media};
    l2.windows = {window(2026, 3, 13, 13)};
    s.lines.push_back(l2);
  }
  s.handling.retention_basis = "CPIA 1996 code of practice";
  s.handling.review_date = "2026-09-01";
  s.handling.delete_out_of_scope_by = "2026-06-30";
  s.handling.device_return_target = "2026-04-03";
  s.handling.who_will_see = {"the officer in the case", "the prosecutor", "the defence, if the case goes to court"};
  s.handling.contact = "DC Sam Jones, 020 7946 0000";
  s.handling.advocate_service = "the local ISVA service, 0808 000 0000";
  s.version = version;
  if (version > 1) {
    s.parent_version = version - 1;
    s.change_justification = "widened to include photos on the evening before";
  }
  s.text = render_scope_toml(s);  // the scope file this Scope reads back from
  s.sha256 = sha256_hex(s.text);
  return s;
}

// The notice, written by the scope engine's writer (what `remit extract` uses).
inline Status real_notice(const Scope& s, const fs::path& dir) {
  auto n = write_notice(s, dir);
  if (!n) return n.error();
  return {};
}

struct FixtureSms {
  int64_t id;
  std::string address;
  int64_t date_ms;
  int type;  // 1 inbox, 2 sent
  std::string body;
  bool in_scope;
};
struct FixtureCall {
  int64_t id;
  std::string number;
  int64_t date_ms;
  int duration;
  int type;
  bool in_scope;
};

inline std::string sql_quote(const std::string& s) {
  std::string o = "'";
  for (char c : s) {
    if (c == '\'')
      o += "''";
    else
      o += c;
  }
  return o + "'";
}

struct Extraction {
  std::vector<FixtureSms> sms;
  std::vector<FixtureCall> calls;
  std::vector<FixtureEntry> extra;  // more files in the tar
  std::set<std::string> expected_locators() const {
    std::set<std::string> out;
    for (const auto& m : sms)
      if (m.in_scope) out.insert(fmt::format("{}#sms:_id={}", kSmsDb, m.id));
    for (const auto& c : calls)
      if (c.in_scope) out.insert(fmt::format("{}#calls:_id={}", kCallDb, c.id));
    return out;
  }
};

// The standard fixture: in-scope messages and calls with the suspect; every
// out-of-scope body carries the canary. `hostile` bodies replace the
// in-scope bodies when given.
inline Extraction standard_extraction(const std::vector<std::string>& hostile = {}) {
  Extraction x;
  std::vector<std::string> bodies = {"See you at the station at nine", "Are you home yet?", "Sorry about last night"};
  for (size_t i = 0; i < hostile.size() && i < bodies.size(); ++i) bodies[i] = hostile[i];
  x.sms = {
      {1, kSuspect, utc_ms(2026, 3, 13, 10), 1, bodies[0], true},
      {2, "+44 7700 900123", utc_ms(2026, 3, 14, 22, 5), 2, bodies[1], true},
      {3, "07700 900456", utc_ms(2026, 3, 14, 22, 6), 1, std::string(kCanary) + " a friend's message", false},
      {4, kSuspect, utc_ms(2026, 2, 1, 12), 1, std::string(kCanary) + " weeks before the incident", false},
      {5, "447700900123", utc_ms(2026, 3, 18, 0, 30), 1, bodies[2], true},  // near the edge (tolerance)
      {6, "+447700900999", utc_ms(2025, 1, 1, 9), 2, std::string(kCanary) + " last year, another person", false},
      {7, "07700 900777", utc_ms(2019, 6, 1, 9), 1, std::string(kCanary) + " years ago", false},
  };
  for (size_t i = 3; i < hostile.size(); ++i)
    x.sms.push_back(
        {static_cast<int64_t>(100 + i), kSuspect, utc_ms(2026, 3, 15, 1, static_cast<int>(i)), 1, hostile[i], true});
  x.calls = {
      {1, "07700900123", utc_ms(2026, 3, 14, 23), 65, 1, true},
      {2, "07700 900456", utc_ms(2026, 3, 14, 23, 30), 30, 2, false},
      {3, kSuspect, utc_ms(2026, 1, 5, 8), 12, 1, false},
  };
  return x;
}

inline void write_extraction_tar(const Extraction& x, const fs::path& tar, const fs::path& work) {
  std::string sql =
      "CREATE TABLE sms (_id INTEGER PRIMARY KEY, thread_id INTEGER, address TEXT, person INTEGER, date INTEGER, "
      "date_sent INTEGER DEFAULT 0, protocol INTEGER, read INTEGER DEFAULT 0, status INTEGER DEFAULT -1, type "
      "INTEGER, reply_path_present INTEGER, subject TEXT, body TEXT, service_center TEXT, locked INTEGER DEFAULT 0, "
      "error_code INTEGER DEFAULT 0, seen INTEGER DEFAULT 0);\n";
  for (const auto& m : x.sms)
    sql += fmt::format(
        "INSERT INTO sms (_id, thread_id, address, date, read, type, body) VALUES ({}, 1, {}, {}, 1, "
        "{}, {});\n",
        m.id, sql_quote(m.address), m.date_ms, m.type, sql_quote(m.body));
  fs::create_directories(work);
  build_sqlite(work / "mmssms.db", sql);
  std::string csql =
      "CREATE TABLE calls (_id INTEGER PRIMARY KEY AUTOINCREMENT, number TEXT, date INTEGER, duration INTEGER, type "
      "INTEGER, name TEXT, countryiso TEXT, geocoded_location TEXT, features INTEGER NOT NULL DEFAULT 0);\n";
  for (const auto& c : x.calls)
    csql += fmt::format(
        "INSERT INTO calls (_id, number, date, duration, type, countryiso) VALUES ({}, {}, {}, {}, {}, "
        "'GB');\n",
        c.id, sql_quote(c.number), c.date_ms, c.duration, c.type);
  build_sqlite(work / "calllog.db", csql);
  std::vector<FixtureEntry> entries = {
      {"system/build.prop",
       "# begin build properties\nro.product.model=Pixel 7\nro.product.manufacturer=Google\n"
       "ro.build.version.release=14\nro.build.fingerprint=google/panther/panther:14/UQ1A/1:user/release-keys\n"},
      {kSmsDb, read_file(work / "mmssms.db")},
      {kCallDb, read_file(work / "calllog.db")},
  };
  for (const auto& e : x.extra) entries.push_back(e);
  make_tar(tar, entries);
}

// ---- test parsers (media and attachments) ---------------------------------

// Media files under DCIM named IMG_YYYYMMDD_HHMMSS.jpg; the time comes from
// the name (recorded), the file is the item's own file.
class TestMediaParser final : public Parser {
 public:
  std::string_view name() const noexcept override { return "test.media"; }
  std::string_view version() const noexcept override { return "1.0"; }
  std::span<const std::string_view> references() const noexcept override { return {}; }
  std::span<const Category> categories() const noexcept override {
    static constexpr Category k[] = {Category::media};
    return k;
  }
  void parse(ParseContext& ctx) const override {
    const auto& e = ctx.entry();
    const auto base = e.path.substr(e.path.rfind('/') + 1);
    Item it;
    it.category = Category::media;
    it.service = "camera";
    if (base.size() >= 19 && base.rfind("IMG_", 0) == 0) {
      const int y = std::stoi(base.substr(4, 4));
      const unsigned mo = static_cast<unsigned>(std::stoi(base.substr(8, 2)));
      const unsigned d = static_cast<unsigned>(std::stoi(base.substr(10, 2)));
      const int hh = std::stoi(base.substr(13, 2)), mm = std::stoi(base.substr(15, 2));
      it.time.utc_ms = utc_ms(y, mo, d, hh, mm);
      it.time.raw = base.substr(4, 15);
      it.time.source = TimeSource::recorded;
    }
    it.title = base;
    FileRef f;
    f.name = base;
    ctx.resolve_file(f, std::vector<std::string>{e.path});
    it.file = f;
    it.provenance = ctx.provenance("file", base);
    ctx.emit(std::move(it));
  }
};

// "test/chat.txt": tab-separated lines "party, utc_ms, body, attachment path[, url]".
class TestChatParser final : public Parser {
 public:
  std::string_view name() const noexcept override { return "test.chat"; }
  std::string_view version() const noexcept override { return "1.0"; }
  std::span<const std::string_view> references() const noexcept override { return {}; }
  std::span<const Category> categories() const noexcept override {
    static constexpr Category k[] = {Category::message};
    return k;
  }
  void parse(ParseContext& ctx) const override {
    auto b = ctx.read(ctx.entry());
    if (!b) return;
    const std::string text(b->begin(), b->end());
    size_t row = 0;
    for (auto line : split(text, '\n')) {
      if (line.empty()) continue;
      ++row;
      auto f = split(line, '\t');
      if (f.size() < 4) continue;
      Item it;
      it.category = Category::message;
      it.service = "testchat";
      it.direction = Direction::incoming;
      it.time.utc_ms = std::stoll(std::string(f[1]));
      it.time.raw = std::string(f[1]);
      it.time.source = TimeSource::recorded;
      it.parties.push_back(ctx.party(std::string(f[0]), PartyRole::from));
      it.body = std::string(f[2]);
      if (!f[3].empty()) {
        FileRef a;
        a.name = std::string(f[3].substr(f[3].rfind('/') + 1));
        ctx.resolve_file(a, std::vector<std::string>{std::string(f[3])});
        it.attachments.push_back(a);
      }
      if (f.size() > 4) it.url = std::string(f[4]);
      it.provenance = ctx.provenance("chat", "line=" + std::to_string(row));
      ctx.emit(std::move(it));
    }
  }
};

// The real registry plus the two test parsers. test.media stands in for
// android.media (which matches the same DCIM/Pictures files and would count
// every photo twice): these tests assert its filename clock and provenance;
// the real media parser has its own tests and runs in the synthetic round
// trip (extract_synth_test).
inline const std::vector<ArtifactSpec>& test_artifacts() {
  static const std::vector<ArtifactSpec> table = [] {
    std::vector<ArtifactSpec> t;
    for (const auto& spec : artifact_registry())
      if (std::string_view(spec.id) != "android.media") t.push_back(spec);
    t.push_back({"test.media", "media", "test media", {"DCIM/**/*.jpg", "Pictures/**/*.jpg"}, true, [] {
                   return std::unique_ptr<Parser>(new TestMediaParser);
                 }});
    t.push_back({"test.chat", "android", "test chat", {"test/chat.txt"}, false, [] {
                   return std::unique_ptr<Parser>(new TestChatParser);
                 }});
    return t;
  }();
  return table;
}

// Runs extract_package on `evidence` as `remit extract` does: the scope
// engine's matcher and notice writer (unless the options carry others).
inline Result<ExtractSummary> run_extract(const fs::path& evidence, const Scope& scope, const SigningKey& key,
                                          const fs::path& out, ExtractOptions opt = {}) {
  auto src = open_source(evidence, SourceOptions{});
  if (!src) return src.error();
  PartyNormaliser parties(scope.region);
  ScopeMatcher matcher(scope, parties);
  opt.out = out;
  if (opt.examiner.empty()) opt.examiner = "Examiner E. Test";
  if (!opt.match) opt.match = [&matcher](const Item& it) { return matcher.match(it); };
  if (!opt.write_notice) opt.write_notice = real_notice;
  opt.parties = &parties;
  if (!opt.artifacts) opt.artifacts = &test_artifacts();
  return extract_package(**src, scope, key, opt);
}

inline SigningKey test_key() {
  auto k = SigningKey::generate();
  EXPECT_TRUE(k.ok());
  return std::move(*k);
}

}  // namespace remit::test
