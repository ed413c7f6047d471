// remit report PKG --key KEYFILE: reports for the examiner, the officer and
// the device user, written into PKG/reports and recorded in the audit.
#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "cli.hpp"
#include "package/interrupt.hpp"
#include "remit/report.hpp"
#include "remit/text.hpp"

namespace remit::cli {
namespace {

struct ReportCliOptions {
  std::string pkg;
  std::string key;
  std::string examiner;
  std::string held_at;
  std::vector<std::string> trusted;
  bool json = false;
};

ExitCode run_report(const ReportCliOptions& o) {
  pkg::InterruptGuard guard;
  auto key = SigningKey::load(o.key);
  if (!key) return fail(Errc::usage, "--key " + key.error().message);
  ReportOptions ro;
  ro.examiner = o.examiner;
  ro.held_at = o.held_at;
  ro.cancel = guard.flag();
  for (const auto& t : o.trusted) {
    auto k = load_public_key(t);
    if (!k) return fail(Errc::usage, "--trusted-key " + k.error().message);
    ro.trusted.push_back(*k);
  }
  auto sum = write_reports(o.pkg, *key, ro);
  if (guard.interrupted()) {
    std::fprintf(stderr, "remit: report interrupted; the package is unchanged\n");
    return static_cast<ExitCode>(130);
  }
  if (!sum) return fail(sum.error());  // a package that does not verify: exit 1
  const auto dir = sum->dir;
  if (o.json) {
    nlohmann::ordered_json j{{"reports", dir.string()},
                             {"report_html", (dir / "report.html").string()},
                             {"transparency_html", (dir / "transparency.html").string()},
                             {"files", sum->files},
                             {"items", sum->items},
                             {"reports_manifest_sha256", sum->reports_manifest_sha256}};
    std::puts(j.dump(2).c_str());
  } else {
    fmt::print("reports written to {} ({} in-scope items), signed and recorded in the audit\n", printable(dir.string()),
               sum->items);
    fmt::print("  for the examiner and officer: {}\n", printable((dir / "report.html").string()));
    fmt::print("  for the device user:          {}\n", printable((dir / "transparency.html").string()));
    fmt::print("  also: timeline.csv, locations.kml, case.jsonld (CASE 1.3.0)\n");
  }
  return ExitCode::ok;
}

}  // namespace

void setup_report(CLI::App& root, Action& chosen) {
  auto o = std::make_shared<ReportCliOptions>();
  auto* cmd = root.add_subcommand(
      "report",
      "Write PKG/reports: report.html (examiner, officer), transparency.html (device user), timeline.csv, "
      "locations.kml, case.jsonld; signed, recorded in the audit, covered by verify.");
  cmd->add_option("PKG", o->pkg, "Package folder (made by remit extract)")->required();
  cmd->add_option("--key", o->key, "Signing key (from remit keygen)")->required();
  cmd->add_option("--examiner", o->examiner, "Who is making the reports (recorded in the audit; default: your login)");
  cmd->add_option("--held-at", o->held_at,
                  "Where the full extraction is held, in words for the device user (default: as recorded at "
                  "extraction)");
  cmd->add_option("--trusted-key", o->trusted, "Refuse unless the package was signed by this public key");
  cmd->add_flag("--json", o->json, "Print the result as JSON");
  cmd->callback([o, &chosen] { chosen = [o] { return run_report(*o); }; });
}

}  // namespace remit::cli
