// dashboard.html renders in headless Chromium without console errors or CSP
// violations, its SVG charts are in the DOM, and hostile text from the CSV
// (cohort labels, group values) stays inert.
#include <gtest/gtest.h>

#include "support/browser.hpp"
#include "support/support.hpp"

using namespace remit::test;

namespace {
void expect_clean_log(const std::string& log) {
  EXPECT_EQ(log.find("Content Security Policy"), std::string::npos) << log;
  EXPECT_EQ(log.find("Refused to"), std::string::npos) << log;
  EXPECT_EQ(log.find(":CONSOLE("), std::string::npos) << log;
  EXPECT_EQ(log.find("Uncaught"), std::string::npos) << log;
}
}  // namespace

TEST(OversightDashboard, RendersWithoutErrors) {
  TempDir d;
  auto r = run_remit({"synth", "cases", "--out", (d / "cases.csv").string(), "--seed", "2", "--cohort", "2019:400",
                      "--cohort", "2021:400", "--data-date", "2024-12-31"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  r = run_remit({"oversight", (d / "cases.csv").string(), "--out", (d / "out").string(), "--by", "force"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto html = read_file(d / "out/dashboard.html");
  EXPECT_NE(html.find("Content-Security-Policy"), std::string::npos);
  EXPECT_EQ(html.find("<script"), std::string::npos);
  EXPECT_EQ(html.find("http://"),
            html.find("http://www.w3.org/2000/svg"));  // no external resource
  auto b = render_in_chromium(d / "out/dashboard.html");
  ASSERT_EQ(b.exit_code, 0) << b.log;
  expect_clean_log(b.log);
  // rates chart + per cohort: funnel, Kaplan-Meier, cumulative incidence,
  // forest plot.
  EXPECT_EQ(count_occurrences(b.dom, "<svg"), 1u + 2 * 4) << b.dom.substr(0, 2000);
  for (const char* cls : {"chart rates", "chart funnel", "chart km", "chart cif", "chart forest"})
    EXPECT_NE(b.dom.find(cls), std::string::npos) << cls;
  EXPECT_GT(count_occurrences(b.dom, "<path"), 6u);
  EXPECT_GT(count_occurrences(b.dom, "class=\"interval\""), 6u);
}

TEST(OversightDashboard, HostileTextStaysInert) {
  TempDir d;
  const std::string header =
      "case_ref,reported_at,recorded_as_crime,suspect_identified_at,device_"
      "requested_at,request_days,"
      "request_categories,device_refused,device_taken_at,device_returned_at,"
      "withdrawn_at,withdrawal_reason,nfa_at,"
      "referred_at,charged_at,trial_at,outcome,outcome_at,cohort,force\n";
  std::string csv = header;
  for (int i = 0; i < 12; ++i)
    csv += "H" + std::to_string(i) +
           ",2021-03-01,yes,,,,,,,,2021-03-05,\"<script>alert(1)</"
           "script>\",,,,,,,\"<script>alert('c')</script>\"," +
           (i % 2 ? std::string("\"<img src=x onerror=alert(2)>\xE2\x80\xAE\"") : std::string("=cmd|x")) + "\n";
  write_file(d / "cases.csv", csv);
  auto r = run_remit(
      {"oversight", (d / "cases.csv").string(), "--out", (d / "out").string(), "--by", "force", "--min-cell", "0"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto html = read_file(d / "out/dashboard.html");
  EXPECT_EQ(html.find("<script"), std::string::npos);
  EXPECT_EQ(html.find("<img"), std::string::npos);
  EXPECT_NE(html.find("&lt;script&gt;"), std::string::npos);
  EXPECT_EQ(html.find("\xE2\x80\xAE"),
            std::string::npos);  // bidi override neutralised
  // The withdrawal reason text is never published.
  EXPECT_EQ(html.find("alert(1)"), std::string::npos);
  EXPECT_EQ(read_file(d / "out/metrics.json").find("alert(1)"), std::string::npos);
  // CSV tables neutralise formulas in labels taken from the input.
  const auto summary = read_file(d / "out/summary.csv");
  EXPECT_EQ(summary.find(",=cmd"), std::string::npos);
  EXPECT_NE(summary.find(",'=cmd|x"), std::string::npos) << summary;
  auto b = render_in_chromium(d / "out/dashboard.html");
  ASSERT_EQ(b.exit_code, 0) << b.log;
  expect_clean_log(b.log);
  EXPECT_EQ(b.dom.find("<script"), std::string::npos);
  EXPECT_EQ(b.dom.find("<img"), std::string::npos);
}
