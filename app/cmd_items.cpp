// remit items EVIDENCE --scope SCOPE.toml: in-scope items only, as JSON Lines,
// each with the lines of enquiry it matched; out-of-scope items are only
// counted (per category, on stderr). A scope with plan errors is refused.
// remit items EVIDENCE --unscoped --reason TEXT: every item as JSON Lines.
// A dump of everything is the intrusion remit exists to prevent: it refuses
// without --unscoped and a reason, and appends an audit record first.
#include <fmt/format.h>
#include <unistd.h>

#include <cstdio>
#include <map>
#include <nlohmann/json.hpp>

#include "cli.hpp"
#include "remit/local_audit.hpp"
#include "remit/registry.hpp"
#include "remit/scope.hpp"
#include "remit/text.hpp"
#include "remit/version.hpp"

namespace remit::cli {

namespace {

struct ItemsOptions {
  EvidenceOptions ev;
  bool unscoped = false;
  std::string reason;
  bool quiet = false;
  std::string scope;
  std::string policy;
  bool region_given = false;
};

// Scoped run: only in-scope items reach stdout; everything else is counted.
ExitCode run_scoped_items(const ItemsOptions& o) {
  Policy policy = builtin_policy();
  if (!o.policy.empty()) {
    auto p = load_policy(o.policy);
    if (!p) return fail(p.error());
    policy = std::move(*p);
  }
  auto scope = load_scope(o.scope);
  if (!scope) return fail(scope.error());
  const auto findings = lint_scope(*scope, policy);
  if (has_errors(findings)) {
    size_t n = 0;
    for (const auto& f : findings) {
      if (f.severity != Severity::error) continue;
      ++n;
      std::fprintf(stderr, "remit: scope error: [%s] %s\n", f.rule.c_str(), printable(f.message).c_str());
    }
    return fail(Errc::findings, fmt::format("{}: the scope has {} error{}; nothing was read (run `remit plan {}`)",
                                            o.scope, n, n == 1 ? "" : "s", o.scope));
  }
  if (o.region_given && ascii_lower(o.ev.region) != ascii_lower(scope->region))
    return fail(Errc::usage, fmt::format("--region {} differs from the scope's region {}; the scope's region is used "
                                         "for every number, so leave --region out",
                                         o.ev.region, scope->region));

  SourceOptions so;
  so.retain = is_wanted_path;
  EvidenceOptions ev = o.ev;
  ev.region = scope->region;
  auto src = open_evidence(ev, so);
  if (!src) return fail(src.error());
  Source& source = **src;

  PartyNormaliser parties(scope->region);
  ScopeMatcher matcher(*scope, parties);
  std::map<std::string, uint64_t> in_scope, out_of_scope;
  uint64_t near_edge = 0;
  auto scan = scan_source(source, parties, [&](Item&& it) {
    const MatchResult m = matcher.match(it);
    const std::string cat(to_string(it.category));
    if (!m.in_scope) {
      ++out_of_scope[cat];  // counted, never shown
      return;
    }
    ++in_scope[cat];
    near_edge += m.near_edge ? 1 : 0;
    std::string line = to_json_line(it);
    if (!line.empty() && line.back() == '}') {
      line.pop_back();
      nlohmann::json sj = {{"lines", m.lines}, {"near_edge", m.near_edge}};
      line += ",\"scope\":" + sj.dump() + "}";
    }
    std::fwrite(line.data(), 1, line.size(), stdout);
    std::fputc('\n', stdout);
  });
  if (std::fflush(stdout) != 0) return fail(Errc::io, "cannot write to standard output");
  if (!o.quiet) {
    print_diagnostics(safe_diagnostics(scan.warnings, source.notes(), scan.detections));
  }
  auto counts = [](const std::map<std::string, uint64_t>& m) {
    uint64_t total = 0;
    std::string parts;
    for (const auto& [c, n] : m) {
      total += n;
      parts += fmt::format("{}{} {}", parts.empty() ? "" : ", ", c, n);
    }
    return fmt::format("{}{}", total, parts.empty() ? "" : " (" + parts + ")");
  };
  std::fprintf(stderr, "remit: scope %s version %d: %s in scope", printable(scope->case_reference).c_str(),
               scope->version, counts(in_scope).c_str());
  if (near_edge) std::fprintf(stderr, ", %llu near an edge", static_cast<unsigned long long>(near_edge));
  std::fprintf(stderr, "; %s out of scope, not shown\n", counts(out_of_scope).c_str());
  return ExitCode::ok;
}

ExitCode run_items(const ItemsOptions& o) {
  if (!o.scope.empty()) {
    if (o.unscoped) return fail(Errc::usage, "--scope and --unscoped cannot be used together");
    return run_scoped_items(o);
  }
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
  UnscopedAccess rec{
      std::string(trim(o.reason)), current_user(), now_rfc3339(), source.location().string(), digest->sha256,
      digest->inventory,           kVersion,       host};
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
    print_diagnostics(safe_diagnostics(scan.warnings, source.notes(), scan.detections));
  }
  return ExitCode::ok;
}

}  // namespace

void setup_items(CLI::App& root, Action& chosen) {
  auto o = std::make_shared<ItemsOptions>();
  auto* cmd = root.add_subcommand(
      "items",
      "Write items as JSON Lines. With --scope, only in-scope items (each with the lines of enquiry it "
      "matched); out-of-scope items are only counted. Unscoped dumps (for validating parsers) are refused "
      "without a reason and are recorded in the local audit log.");
  add_evidence_options(cmd, o->ev);
  cmd->add_flag("--unscoped", o->unscoped, "Dump every item, ignoring any scope (audited)");
  cmd->add_option("--reason", o->reason, "Why an unscoped dump is needed (recorded in the audit log)");
  cmd->add_option("--scope", o->scope,
                  "Scope file (docs/scope-file.md): print only in-scope items; refused if the scope has plan errors");
  cmd->add_option("--policy", o->policy, "Policy file for checking the scope (docs/policy.md)");
  cmd->add_flag("--quiet", o->quiet, "Do not print notes and warnings");
  cmd->callback([o, cmd, &chosen] {
    o->region_given = cmd->get_option("--region")->count() > 0;
    chosen = [o] { return run_items(*o); };
  });
}

}  // namespace remit::cli
