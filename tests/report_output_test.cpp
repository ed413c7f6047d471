// Reports: safe output primitives, hostile message bodies rendered inert
// (checked in headless Chromium), the transparency wording and figures,
// CSV/KML neutralisation, and the CASE/UCO export's shape.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <regex>

#include "package_fixture.hpp"
#include "remit/report.hpp"
#include "support/browser.hpp"

namespace remit::test {
namespace {

using json = nlohmann::json;

TEST(ReportRender, HtmlEscapingMakesControlsVisible) {
  EXPECT_EQ(report_html_escape("<script>alert(1)</script>"), "&lt;script&gt;alert(1)&lt;/script&gt;");
  EXPECT_EQ(report_html_escape("a\"b'c&d`"), "a&quot;b&#39;c&amp;d&#96;");
  EXPECT_EQ(report_html_escape("abc\u202Efdp.exe"), "abc[U+202E]fdp.exe");
  EXPECT_EQ(report_html_escape("x\u2066y\u2069\u200Fz"), "x[U+2066]y[U+2069][U+200F]z");
  EXPECT_EQ(report_html_escape("line\r\nnext\rlast"), "line\nnext\nlast");
  EXPECT_EQ(report_html_escape(std::string("nul\0here", 8)), "nul[U+0000]here");
  EXPECT_EQ(report_html_escape("bad \xC3\x28 utf8"), "bad \xEF\xBF\xBD( utf8");
  EXPECT_EQ(report_html_escape("emoji \xF0\x9F\x91\x8D\xE2\x80\x8D ok"), "emoji \xF0\x9F\x91\x8D\xE2\x80\x8D ok");
}

TEST(ReportRender, CsvCellsCannotRunAsFormulas) {
  EXPECT_EQ(report_csv_cell("plain"), "\"plain\"");
  EXPECT_EQ(report_csv_cell("=cmd|' /C calc'!A0"), "\"'=cmd|' /C calc'!A0\"");
  EXPECT_EQ(report_csv_cell("+1"), "\"'+1\"");
  EXPECT_EQ(report_csv_cell("-2"), "\"'-2\"");
  EXPECT_EQ(report_csv_cell("@SUM(A1)"), "\"'@SUM(A1)\"");
  EXPECT_EQ(report_csv_cell("\t=1"), "\"'\t=1\"");
  EXPECT_EQ(report_csv_cell("\r=1"), "\"'\r=1\"");
  EXPECT_EQ(report_csv_cell("  =1"), "\"'  =1\"");
  EXPECT_EQ(report_csv_cell("say \"hi\""), "\"say \"\"hi\"\"\"");
}

TEST(ReportRender, XmlEscapingAndWebUrls) {
  EXPECT_EQ(report_xml_escape("<a href='x'>&</a>"), "&lt;a href=&apos;x&apos;&gt;&amp;&lt;/a&gt;");
  EXPECT_EQ(report_xml_escape(std::string("bell\x07!")), "bell\xEF\xBF\xBD!");
  EXPECT_TRUE(report_is_web_url("https://example.org/a?b=c"));
  EXPECT_TRUE(report_is_web_url("HTTP://example.org/"));
  EXPECT_FALSE(report_is_web_url("javascript:alert(1)"));
  EXPECT_FALSE(report_is_web_url(" https://example.org/"));
  EXPECT_FALSE(report_is_web_url("https://example.org/\"onmouseover=alert(1)"));
  EXPECT_FALSE(report_is_web_url("data:text/html,<script>alert(1)</script>"));
  EXPECT_FALSE(report_is_web_url("file:///etc/passwd"));
  EXPECT_FALSE(report_is_web_url("https://"));
}

TEST(ReportRender, TemplatesNeverUnescape) {
  // Every template lives in src/report/pages.cpp.
  const std::string src = read_file(fs::path(REMIT_SOURCE_DIR) / "src" / "report" / "pages.cpp");
  ASSERT_FALSE(src.empty());
  EXPECT_EQ(src.find("{{{"), std::string::npos);
  EXPECT_EQ(src.find("{{&"), std::string::npos);
  // Every value from the evidence sits in <bdi>: the item fields of a row.
  for (const char* field : {"{{body}}", "{{title}}", "{{service}}", "{{forensic_path}}", "{{name}}", "{{id}}"}) {
    size_t at = 0;
    int n = 0;
    while ((at = src.find(field, at)) != std::string::npos) {
      const size_t open = src.rfind("<bdi>", at);
      const size_t close = src.rfind("</bdi>", at);
      EXPECT_TRUE(open != std::string::npos && (close == std::string::npos || close < open))
          << field << " outside <bdi> at offset " << at;
      at += 1;
      ++n;
    }
    EXPECT_GT(n, 0) << field;
  }
}

struct HostileRun {
  TempDir t;
  fs::path pkg;
};

const std::vector<std::string> kHostile = {
    "<script>document.title='PWNED';document.body.setAttribute('data-pwned','script')</script>",
    "<img src=x onerror=\"document.body.setAttribute('data-pwned','img')\">",
    "</textarea></td></tr></table><svg onload=\"document.body.setAttribute('data-pwned','svg')\">",
    "click javascript:alert(document.domain) now",
    "invoice\u202Egnp.exe is attached",
    "=cmd|' /C calc'!A0",
    "\"><iframe src=\"javascript:document.body.setAttribute('data-pwned','iframe')\"></iframe>",
    "<style>body{background:url(https://attacker.example/leak)}</style>",
};

void build_hostile(HostileRun& h) {
  Extraction x = standard_extraction(kHostile);
  // Messages with URLs: one web address, one javascript: "URL".
  x.extra = {{"test/chat.txt",
              fmt::format("{0}\t{1}\tweb link\t\thttps://example.org/page?q=1\n"
                          "{0}\t{2}\tscript link\t\tjavascript:document.body.setAttribute('data-pwned','link')\n"
                          "{0}\t{3}\tlocation\t\t\n",
                          kSuspect, utc_ms(2026, 3, 14, 10), utc_ms(2026, 3, 14, 11), utc_ms(2026, 3, 14, 12))}};
  write_extraction_tar(x, h.t / "ev.tar", h.t / "work");
  const SigningKey key = test_key();
  h.pkg = h.t / "PKG";
  auto r = run_extract(h.t / "ev.tar", make_scope(), key, h.pkg);
  ASSERT_TRUE(r.ok()) << r.error().message;
  auto rep =
      write_reports(h.pkg, key, ReportOptions{"Examiner <b>E</b>", "the Digital Forensics Unit store", {}, nullptr});
  ASSERT_TRUE(rep.ok()) << rep.error().message;
}

TEST(ReportHostile, BodiesAreEscapedIsolatedAndInert) {
  HostileRun h;
  build_hostile(h);
  const std::string html = read_file(h.pkg / "reports" / "report.html");
  // No markup from the evidence survives as markup.
  EXPECT_EQ(html.find("<script"), std::string::npos);
  EXPECT_EQ(html.find("<img"), std::string::npos);
  EXPECT_EQ(html.find("<svg"), std::string::npos);
  EXPECT_EQ(html.find("<iframe"), std::string::npos);
  EXPECT_EQ(html.find("</textarea>"), std::string::npos);
  EXPECT_EQ(count_occurrences(html, "<style>"), 1u);  // the page's own only
  EXPECT_NE(html.find("&lt;script&gt;document.title="), std::string::npos);
  EXPECT_NE(html.find("invoice[U+202E]gnp.exe"), std::string::npos);
  EXPECT_EQ(html.find("\u202E"), std::string::npos);
  EXPECT_NE(html.find("<bdi>&lt;img src=x onerror="), std::string::npos);
  // Only the web address became a link.
  EXPECT_NE(html.find("<a href=\"https://example.org/page?q=1\""), std::string::npos);
  EXPECT_EQ(html.find("href=\"javascript"), std::string::npos);
  EXPECT_EQ(count_occurrences(html, "<a "), 1u);
  // Strict CSP: no script source at all, style only by hash.
  EXPECT_NE(html.find("Content-Security-Policy\" content=\"default-src 'none'; style-src 'sha256-"), std::string::npos);
  EXPECT_EQ(html.find("unsafe-inline"), std::string::npos);
  // The examiner's name is escaped too.
  EXPECT_NE(html.find("Examiner &lt;b&gt;E&lt;/b&gt;"), std::string::npos);

  const std::string csv = read_file(h.pkg / "reports" / "timeline.csv");
  EXPECT_NE(csv.find("\"'=cmd|' /C calc'!A0\""), std::string::npos);
  EXPECT_EQ(csv.find(",\"=cmd"), std::string::npos);
  const std::string kml = read_file(h.pkg / "reports" / "locations.kml");
  EXPECT_EQ(kml.find("<script"), std::string::npos);
}

TEST(ReportHostile, ChromiumRunsNothingAndNeedsNoCspBlock) {
  if (!chromium_path()) GTEST_SKIP() << "chromium not installed (scripts/install-deps installs it)";
  HostileRun h;
  build_hostile(h);
  for (const char* page : {"report.html", "transparency.html"}) {
    auto r = render_in_chromium(h.pkg / "reports" / page);
    ASSERT_EQ(r.exit_code, 0) << page << ": " << r.log.substr(0, 2000);
    ASSERT_FALSE(r.dom.empty()) << page;
    // The text of the hostile bodies is shown; an attribute set by script is not.
    EXPECT_EQ(r.dom.find("data-pwned=\""), std::string::npos) << page << ": injected script ran";
    EXPECT_EQ(r.dom.find("PWNED</title>"), std::string::npos) << page;
    EXPECT_EQ(r.dom.find("<script"), std::string::npos) << page;
    EXPECT_EQ(r.dom.find("<iframe"), std::string::npos) << page;
    // The hostile content was escaped, so the policy never had to block anything.
    EXPECT_EQ(r.log.find("Content Security Policy"), std::string::npos) << page << ": " << r.log.substr(0, 3000);
    EXPECT_EQ(r.log.find("Content-Security-Policy"), std::string::npos) << page;
  }
  // Controls, so that these checks can fail: a page that lets the script in
  // shows the attribute, and a page whose policy had to block a script says
  // so in the log.
  const std::string head = read_file(h.pkg / "reports" / "report.html").substr(0, 2000);
  const auto csp_at = head.find("<meta http-equiv=\"Content-Security-Policy\"");
  ASSERT_NE(csp_at, std::string::npos);
  const std::string csp_meta = head.substr(csp_at, head.find('>', csp_at) - csp_at + 1);
  write_file(
      h.t / "open.html",
      "<!DOCTYPE html><html><body><script>document.body.setAttribute('data-pwned','control')</script></body></html>");
  auto open = render_in_chromium(h.t / "open.html");
  EXPECT_NE(open.dom.find("data-pwned=\"control\""), std::string::npos) << "control page: the check cannot see script";
  write_file(h.t / "blocked.html", "<!DOCTYPE html><html><head>" + csp_meta +
                                       "</head><body><script>document.body.setAttribute('data-pwned','x')</script>"
                                       "</body></html>");
  auto blocked = render_in_chromium(h.t / "blocked.html");
  EXPECT_EQ(blocked.dom.find("data-pwned=\""), std::string::npos);
  EXPECT_NE(blocked.log.find("Content Security Policy"), std::string::npos)
      << "control page: a CSP block is not visible in the log: " << blocked.log.substr(0, 2000);
  // And the report shows the hostile text as text.
  auto r = render_in_chromium(h.pkg / "reports" / "report.html");
  EXPECT_NE(r.dom.find("&lt;script&gt;document.title="), std::string::npos);
}

TEST(ReportTransparency, PlainWordsAndTheFigures) {
  HostileRun h;
  build_hostile(h);
  const std::string html = read_file(h.pkg / "reports" / "transparency.html");
  // 4 sms + 3 chat messages in scope of 10 sms + 3 chat messages on the phone.
  const json s = json::parse(read_file(h.pkg / "stats.json"));
  const uint64_t in = s["categories"]["message"]["in_scope"], dev = s["categories"]["message"]["on_device"];
  EXPECT_EQ(in, 11u);
  EXPECT_EQ(dev, 15u);
  EXPECT_NE(html.find(fmt::format("We looked at {} of {} messages (", in, dev)), std::string::npos) << html;
  EXPECT_NE(html.find("1 of 3 calls (33%)"), std::string::npos);
  EXPECT_NE(html.find("with 1 of 4 contacts"), std::string::npos);
  const int64_t span = days_from_civil(2026, 3, 18) - days_from_civil(2019, 6, 1) + 1;
  EXPECT_NE(html.find(fmt::format("over 5 of {},{:03} days", span / 1000, span % 1000)), std::string::npos) << html;
  EXPECT_NE(html.find("Messages and calls between you and the number ending 0123, from 13 March 2026 to 17 March "
                      "2026"),
            std::string::npos);
  EXPECT_NE(html.find("up to 1 hour before or after"), std::string::npos);
  EXPECT_NE(html.find("Nothing else on your phone was examined, and nothing else was added to the case file"),
            std::string::npos);
  // --held-at names a place; the letter puts it after "in".
  EXPECT_NE(html.find("is kept <bdi>in the Digital Forensics Unit store</bdi>"), std::string::npos) << html;
  EXPECT_NE(html.find("until <bdi>30 June 2026</bdi>"), std::string::npos);
  EXPECT_NE(html.find("back by <bdi>3 April 2026</bdi>"), std::string::npos);
  EXPECT_NE(html.find("ISVA"), std::string::npos);
  // No third-party number in full, and no message content at all.
  EXPECT_EQ(html.find("900123"), std::string::npos);
  EXPECT_EQ(html.find("station"), std::string::npos);
  EXPECT_EQ(html.find("PWNED"), std::string::npos);
}

TEST(ReportCase, ExportHasTheReferenceShapesAndTheScopeAsAuthorisation) {
  HostileRun h;
  build_hostile(h);
  const json j = json::parse(read_file(h.pkg / "reports" / "case.jsonld"));
  ASSERT_TRUE(j.contains("@context"));
  for (const char* p :
       {"uco-core", "uco-observable", "uco-action", "uco-types", "uco-vocabulary", "case-investigation", "xsd", "kb"})
    EXPECT_TRUE(j["@context"].contains(p)) << p;
  EXPECT_EQ(j["@context"]["uco-core"], "https://ontology.unifiedcyberontology.org/uco/core/");
  EXPECT_EQ(j["@context"]["case-investigation"], "https://ontology.caseontology.org/case/investigation/");
  EXPECT_EQ(j["@type"], "uco-core:Bundle");
  EXPECT_EQ(j["uco-core:specVersion"], "CASE 1.3.0");
  const json& objs = j["uco-core:object"];
  ASSERT_TRUE(objs.is_array());

  // Every @id is unique, and every reference points at an object in the bundle.
  std::set<std::string> ids;
  std::function<void(const json&)> collect = [&](const json& v) {
    if (v.is_object()) {
      if (v.contains("@id") && v.size() > 1) {
        EXPECT_TRUE(ids.insert(v["@id"].get<std::string>()).second) << v["@id"];
      }
      for (auto& [k, x] : v.items()) collect(x);
    } else if (v.is_array()) {
      for (const auto& x : v) collect(x);
    }
  };
  collect(objs);
  std::function<void(const json&)> refs = [&](const json& v) {
    if (v.is_object()) {
      if (v.contains("@id") && v.size() == 1) {
        EXPECT_TRUE(ids.count(v["@id"].get<std::string>())) << v["@id"];
      }
      for (auto& [k, x] : v.items()) refs(x);
    } else if (v.is_array()) {
      for (const auto& x : v) refs(x);
    }
  };
  refs(objs);

  auto of_type = [&](const std::string& t) {
    std::vector<json> out;
    for (const auto& o : objs)
      if (o.value("@type", "") == t) out.push_back(o);
    return out;
  };
  auto facet = [](const json& o, const std::string& t) -> json {
    for (const auto& f : o["uco-core:hasFacet"])
      if (f["@type"] == t) return f;
    return json();
  };
  // The scope is the authorisation, linked from the investigation and the action.
  auto auth = of_type("case-investigation:Authorization");
  ASSERT_EQ(auth.size(), 1u);
  EXPECT_FALSE(auth[0]["case-investigation:authorizationType"].get<std::string>().empty());
  EXPECT_EQ(auth[0]["case-investigation:authorizationIdentifier"][1],
            "sha256:" + json::parse(read_file(h.pkg / "manifest.json"))["scope"]["sha256"].get<std::string>());
  auto inv = of_type("case-investigation:Investigation");
  ASSERT_EQ(inv.size(), 1u);
  EXPECT_EQ(inv[0]["case-investigation:relevantAuthorization"][0]["@id"], auth[0]["@id"]);
  auto act = of_type("case-investigation:InvestigativeAction");
  ASSERT_EQ(act.size(), 1u);
  EXPECT_TRUE(act[0].contains("uco-action:instrument"));
  EXPECT_TRUE(act[0].contains("uco-action:performer"));
  EXPECT_EQ(act[0]["uco-action:startTime"]["@type"], "xsd:dateTime");
  bool authorized_by = false;
  for (const auto& r : of_type("uco-core:Relationship"))
    if (r["uco-core:kindOfRelationship"] == "Authorized_By" && r["uco-core:source"]["@id"] == act[0]["@id"] &&
        r["uco-core:target"]["@id"] == auth[0]["@id"])
      authorized_by = true;
  EXPECT_TRUE(authorized_by);
  // The evidence file with its SHA-256, as in the reference examples.
  bool container = false;
  for (const auto& f : of_type("uco-observable:File")) {
    const json cd = facet(f, "uco-observable:ContentDataFacet");
    if (cd.is_null()) continue;
    const json& hsh = cd["uco-observable:hash"][0];
    EXPECT_EQ(hsh["@type"], "uco-types:Hash");
    EXPECT_EQ(hsh["uco-types:hashMethod"]["@type"], "uco-vocabulary:HashNameVocab");
    EXPECT_EQ(hsh["uco-types:hashMethod"]["@value"], "SHA256");
    EXPECT_EQ(hsh["uco-types:hashValue"]["@type"], "xsd:hexBinary");
    if (hsh["uco-types:hashValue"]["@value"] == sha256_of_file(h.t / "ev.tar")) container = true;
  }
  EXPECT_TRUE(container);
  // SMS: SMSMessage with MessageFacet (text, from, sentTime) and SMSMessageFacet;
  // parties as PhoneAccounts with PhoneAccountFacet.
  auto sms = of_type("uco-observable:SMSMessage");
  EXPECT_EQ(sms.size(), 8u);  // 3 + 5 hostile extras, all in scope
  bool found_text = false;
  for (const auto& m : sms) {
    const json mf = facet(m, "uco-observable:MessageFacet");
    ASSERT_FALSE(mf.is_null());
    EXPECT_FALSE(facet(m, "uco-observable:SMSMessageFacet").is_null());
    EXPECT_EQ(mf["uco-observable:sentTime"]["@type"], "xsd:dateTime");
    if (mf.value("uco-observable:messageText", "") == kHostile[0]) found_text = true;  // JSON keeps text verbatim
    EXPECT_TRUE(mf.contains("uco-observable:from") || mf.contains("uco-observable:to"));
  }
  EXPECT_TRUE(found_text);
  auto phones = of_type("uco-observable:PhoneAccount");
  ASSERT_EQ(phones.size(), 1u);  // only the suspect: no out-of-scope party appears
  EXPECT_EQ(facet(phones[0], "uco-observable:PhoneAccountFacet")["uco-observable:phoneNumber"], kSuspectE164);
  auto calls = of_type("uco-observable:Call");
  ASSERT_EQ(calls.size(), 1u);
  const json cf = facet(calls[0], "uco-observable:CallFacet");
  EXPECT_EQ(cf["uco-observable:callType"], "incoming");
  EXPECT_EQ(cf["uco-observable:duration"]["@value"], "65");
  // The out-of-scope world is absent.
  EXPECT_EQ(read_file(h.pkg / "reports" / "case.jsonld").find(kCanary), std::string::npos);
}

}  // namespace
}  // namespace remit::test
