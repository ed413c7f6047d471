// remit oversight CASES.csv --out DIR: attrition metrics from case records
// (issue 9). Thin wiring: options -> remit::oversight::run_oversight.
#include <fmt/format.h>

#include <cstdio>
#include <nlohmann/json.hpp>

#include "cli.hpp"
#include "remit/oversight.hpp"
#include "remit/text.hpp"

namespace remit::cli {

namespace {
struct OversightArgs {
  std::string input, out, data_date, cohort_by = "auto", packages;
  std::vector<std::string> by;
  int64_t min_cell = 10;
  bool lenient = false, json = false, force = false, suppress_zeros = false;
};

// A published share as "64.8% (61.8-67.7)", or "suppressed" / "-".
std::string share_text(const nlohmann::json& m) {
  if (!m.is_object()) return "-";
  if (m.value("suppressed", false)) return "suppressed";
  if (!m.contains("share") || !m["share"].is_number()) return "-";
  std::string s = fmt::format("{:.1f}%", 100.0 * m["share"].get<double>());
  if (m.contains("ci95") && m["ci95"].is_array() && m["ci95"].size() == 2 && m["ci95"][0].is_number())
    s += fmt::format(" ({:.1f}-{:.1f})", 100.0 * m["ci95"][0].get<double>(), 100.0 * m["ci95"][1].get<double>());
  return s;
}

// The headline figures per cohort, for a person at a terminal; everything
// else is in the --out folder and --json.
void print_summary(const std::string& metrics_json) {
  const auto m = nlohmann::json::parse(metrics_json, nullptr, false);
  if (m.is_discarded() || !m.contains("cohorts")) return;
  fmt::print("{:<10} {:>8}  {:<20} {:<20} {:<20} {:<20} {:>9}\n", "cohort", "reports", "withdrawn <=7 days",
             "withdrawn <=30 days", "withdrawn (all)", "reached trial", "KM median");
  for (const auto& c : m["cohorts"]) {
    const auto& w = c.value("withdrawal", nlohmann::json::object());
    const auto get = [](const nlohmann::json& j, std::initializer_list<const char*> path) {
      const nlohmann::json* p = &j;
      for (const char* k : path) {
        if (!p->is_object() || !p->contains(k)) return nlohmann::json();
        p = &(*p)[k];
      }
      return *p;
    };
    const auto reports = get(c, {"reports", "count"});
    const auto km = get(c, {"kaplan_meier", "median_days"});
    fmt::print("{:<10} {:>8}  {:<20} {:<20} {:<20} {:<20} {:>9}\n", printable(c.value("cohort", std::string("?"))),
               reports.is_number() ? fmt::format("{}", reports.get<int64_t>()) : std::string("suppressed"),
               share_text(get(w, {"within_7_days", "share_of_reports"})),
               share_text(get(w, {"within_30_days", "share_of_reports"})), share_text(get(w, {"withdrawn"})),
               share_text(get(c, {"trial"})),
               km.is_number() ? fmt::format("{} d", km.get<double>()) : std::string("-"));
  }
  fmt::print(
      "\nshares of all reports in the cohort, 95% Wilson intervals; counts under the small-cell limit are "
      "suppressed\n");
}
}  // namespace

void setup_oversight(CLI::App& root, Action& chosen) {
  auto args = std::make_shared<OversightArgs>();
  auto* cmd = root.add_subcommand("oversight",
                                  "Attrition metrics from case records (CSV, docs/oversight-format.md): "
                                  "stage funnel, withdrawal within 7/30 "
                                  "days, Kaplan-Meier and Aalen-Johansen curves, trial and conviction "
                                  "shares with intervals, change from the "
                                  "previous cohort, device requests vs withdrawal (time-varying Cox), "
                                  "outcomes after refusal, data quality; with "
                                  "small-cell suppression");
  cmd->add_option("CASES", args->input, "Case records: CSV (RFC 4180, UTF-8, header row)")->required();
  cmd->add_option("--out", args->out,
                  "Output folder (metrics.json, CSV tables, dashboard.html), "
                  "written atomically");
  cmd->add_flag("--force", args->force, "Replace an existing --out folder (still atomically)");
  cmd->add_flag("--json", args->json, "Print metrics.json to stdout");
  cmd->add_option("--data-date", args->data_date,
                  "Censoring date YYYY-MM-DD (default: the latest date in the "
                  "file); later dates are errors");
  cmd->add_option("--cohort-by", args->cohort_by,
                  "Cohorts: auto (the cohort column if present, else year), "
                  "year, financial-year (April-March), "
                  "quarter")
      ->check(CLI::IsMember({"auto", "year", "financial-year", "quarter"}))
      ->capture_default_str();
  cmd->add_option("--by", args->by, "Also break down by this grouping or extra column (repeatable)");
  cmd->add_option("--min-cell", args->min_cell, "Suppress counts from 1 to N-1 (0 disables suppression)")
      ->check(CLI::Range(int64_t{0}, int64_t{1000000}))
      ->capture_default_str();
  cmd->add_flag("--suppress-zeros", args->suppress_zeros, "Also suppress counts of 0 (by default a 0 is shown)");
  cmd->add_flag("--lenient", args->lenient,
                "Skip rows with errors (counted and listed on stderr) instead "
                "of failing");
  cmd->add_option("--packages", args->packages,
                  "Folder of evidence packages: request breadth is taken from "
                  "each package's stats.json, matched "
                  "by case reference");
  cmd->callback([args, &chosen] {
    chosen = [args]() -> ExitCode {
      oversight::Options o;
      o.input = args->input;
      o.out = args->out;
      o.replace_out = args->force;
      if (!args->data_date.empty()) o.data_date = args->data_date;
      o.cohort_by = args->cohort_by == "year"             ? oversight::CohortBy::year
                    : args->cohort_by == "financial-year" ? oversight::CohortBy::financial_year
                    : args->cohort_by == "quarter"        ? oversight::CohortBy::quarter
                                                          : oversight::CohortBy::automatic;
      o.by = args->by;
      o.min_cell = args->min_cell;
      o.suppress_zeros = args->suppress_zeros;
      o.lenient = args->lenient;
      o.packages = args->packages;
      auto bar = std::make_shared<Progress>("reading case records");
      o.on_progress = [bar](uint64_t done, uint64_t total) {
        bar->update(done, total);
        if (done >= total) bar->finish();
      };
      auto r = oversight::run_oversight(o);
      if (!r) return fail(r.error());
      size_t shown = 0;
      for (const auto& e : r->skipped) {
        if (++shown > 50) {
          std::fprintf(stderr, "remit: skipped: ... and %zu more\n", r->skipped.size() - 50);
          break;
        }
        std::fprintf(stderr, "remit: skipped: %s\n", oversight::format_row_error(o.input, e).c_str());
      }
      for (const auto& n : r->notes) std::fprintf(stderr, "remit: note: %s\n", n.c_str());
      if (args->json)
        std::fwrite(r->metrics_json.data(), 1, r->metrics_json.size(), stdout);
      else
        print_summary(r->metrics_json);
      if (!args->out.empty())
        std::fprintf(stderr,
                     "remit: wrote %zu files to %s (%lld rows read, %lld used, "
                     "%zu skipped, %.2f s)\n",
                     r->files.size(), printable(args->out).c_str(), static_cast<long long>(r->rows_read),
                     static_cast<long long>(r->rows_used), r->skipped.size(), r->seconds);
      return ExitCode::ok;
    };
  });
}

}  // namespace remit::cli
