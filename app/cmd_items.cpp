// remit items EVIDENCE --unscoped --reason TEXT: every item as JSON Lines.
// A dump of everything is the intrusion remit exists to prevent: it refuses
// without --unscoped and a reason, and appends an audit record first.
#include <fmt/format.h>
#include <unistd.h>

#include <cstdio>

#include "cli.hpp"
#include "remit/local_audit.hpp"
#include "remit/registry.hpp"
#include "remit/text.hpp"
#include "remit/version.hpp"

namespace remit::cli {

namespace {

struct ItemsOptions {
  EvidenceOptions ev;
  bool unscoped = false;
  std::string reason;
  bool quiet = false;
};

ExitCode run_items(const ItemsOptions& o) {
  if (!o.unscoped)
    return fail(Errc::usage,
                "items needs --unscoped --reason TEXT (a dump of everything, for validating parsers) or, once a "
                "scope exists, --scope SCOPE.toml");
  if (trim(o.reason).empty()) return fail(Errc::usage, "--unscoped needs a non-empty --reason saying why");

  SourceOptions so;
  so.retain = is_wanted_path;
  auto src = open_evidence(o.ev, so);
  if (!src) return fail(src.error());
  Source& source = **src;
  auto digest = source.container_digest();
  if (!digest) return fail(digest.error());

  char host[256] = {};
  ::gethostname(host, sizeof host - 1);
  UnscopedAccess rec{std::string(trim(o.reason)), current_user(), now_rfc3339(), source.location().string(),
                     digest->sha256, digest->inventory, kVersion, host};
  if (auto st = append_unscoped_access(rec); !st) return fail(st.error());
  if (!o.quiet) std::fprintf(stderr, "remit: unscoped access recorded in %s\n", unscoped_audit_path().c_str());

  PartyNormaliser parties(o.ev.region);
  auto scan = scan_source(source, parties, [](Item&& it) {
    const std::string line = to_json_line(it);
    std::fwrite(line.data(), 1, line.size(), stdout);
    std::fputc('\n', stdout);
  });
  if (std::fflush(stdout) != 0) return fail(Errc::io, "cannot write to standard output");
  if (!o.quiet) {
    std::vector<SourceNote> notes(source.notes().begin(), source.notes().end());
    print_warnings(scan.warnings, notes);
  }
  return ExitCode::ok;
}

}  // namespace

void setup_items(CLI::App& root, Action& chosen) {
  auto o = std::make_shared<ItemsOptions>();
  auto* cmd = root.add_subcommand(
      "items", "Write items as JSON Lines. Unscoped dumps (for validating parsers) are refused without a reason "
               "and are recorded in the local audit log.");
  add_evidence_options(cmd, o->ev);
  cmd->add_flag("--unscoped", o->unscoped, "Dump every item, ignoring any scope (audited)");
  cmd->add_option("--reason", o->reason, "Why an unscoped dump is needed (recorded in the audit log)");
  cmd->add_flag("--quiet", o->quiet, "Do not print notes and warnings");
  cmd->callback([o, &chosen] { chosen = [o] { return run_items(*o); }; });
}

}  // namespace remit::cli
