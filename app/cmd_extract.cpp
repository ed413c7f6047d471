// remit extract EVIDENCE --scope SCOPE.toml --out PKG --key KEYFILE --examiner NAME
//              [--acquisition-hash SHA256] [--supplements PKG_V1] [--md5] [--held-at TEXT]
// Refuses a scope with plan errors (including missing or withdrawn
// agreement) and evidence whose SHA-256 differs from the acquisition hash.
// Writes the package atomically; prints counts only, never content.
#include <fmt/format.h>

#include <atomic>
#include <cstdlib>
#include <map>
#include <nlohmann/json.hpp>

#include "cli.hpp"
#include "package/fsutil.hpp"
#include "package/interrupt.hpp"
#include "remit/notice.hpp"
#include "remit/package.hpp"
#include "remit/registry.hpp"
#include "remit/scope.hpp"
#include "remit/text.hpp"

namespace remit::cli {
namespace {

struct ExtractCliOptions {
  EvidenceOptions ev;
  bool region_given = false;
  std::string scope;
  std::string policy;
  std::string out;
  std::string key;
  std::string examiner;
  std::string acquisition_hash;
  std::string supplements;
  std::string held_at;
  bool json = false;
};

void print_findings(const std::vector<PlanFinding>& findings) {
  for (const auto& f : findings)
    std::fprintf(stderr, "remit: plan %s: [%s]%s %s%s\n", std::string(to_string(f.severity)).c_str(), f.rule.c_str(),
                 f.line_id.empty() ? "" : (" line " + printable(f.line_id) + ":").c_str(), printable(f.message).c_str(),
                 f.fix.empty() ? "" : (" Fix: " + printable(f.fix)).c_str());
}

// One status line on a terminal: counts only.
class ExtractProgressLine {
 public:
  ExtractProgressLine() : enabled_(show_progress()) {}
  ~ExtractProgressLine() { finish(); }
  void hash(uint64_t done, uint64_t total) {
    hash_done_ = done;
    hash_total_ = total;
  }
  void update(const ExtractProgress& p) {
    if (!enabled_) return;
    const uint64_t total = hash_total_.load();
    const std::string hashed =
        total ? fmt::format("{:.0f}%", 100.0 * static_cast<double>(hash_done_.load()) / static_cast<double>(total))
              : std::string("…");
    std::fprintf(stderr,
                 "\rextracting: %s · hashed %s · artifacts %llu/%llu · items read %s · in scope %s · files "
                 "copied %llu   ",
                 p.phase, hashed.c_str(), static_cast<unsigned long long>(p.artifacts_done),
                 static_cast<unsigned long long>(p.artifacts_total), human_count(p.items_seen).c_str(),
                 human_count(p.items_in_scope).c_str(), static_cast<unsigned long long>(p.media_copied));
    std::fflush(stderr);
    drawn_ = true;
  }
  void finish() {
    if (drawn_) std::fprintf(stderr, "\n");
    drawn_ = false;
  }

 private:
  static std::string human_count(uint64_t n) {
    std::string s = std::to_string(n);
    for (int i = static_cast<int>(s.size()) - 3; i > 0; i -= 3) s.insert(static_cast<size_t>(i), ",");
    return s;
  }
  bool enabled_;
  bool drawn_ = false;
  std::atomic<uint64_t> hash_done_{0}, hash_total_{0};
};

ExitCode run_extract(const ExtractCliOptions& o) {
  // Before any thread starts: interruptions are handled in order.
  pkg::InterruptGuard guard;

  auto key = SigningKey::load(o.key);
  if (!key) return fail(Errc::usage, "--key " + key.error().message);
  auto scope = load_scope(o.scope);
  if (!scope) return fail(scope.error());
  Policy policy = builtin_policy();
  if (!o.policy.empty()) {
    auto p = load_policy(o.policy);
    if (!p) return fail(p.error());
    policy = std::move(*p);
  }
  std::optional<Scope> parent_scope;
  if (!o.supplements.empty()) {
    const std::filesystem::path ps = std::filesystem::path(o.supplements) / "scope.toml";
    auto text = pkg::read_small_file(ps, 4 << 20);
    if (!text) return fail(Errc::usage, "--supplements: " + text.error().message);
    auto parsed = parse_scope(*text, ps);
    if (!parsed) return fail(parsed.error());
    parent_scope = std::move(*parsed);
  }
  const auto findings = lint_scope(*scope, policy, parent_scope ? &*parent_scope : nullptr);
  print_findings(findings);
  if (has_errors(findings)) {
    std::fprintf(stderr,
                 "remit: error: %s: the scope has plan errors (above); nothing was extracted. Fix them and "
                 "check with: remit plan %s\n",
                 printable(o.scope).c_str(), printable(o.scope).c_str());
    return ExitCode::findings;
  }

  ExtractProgressLine line;
  SourceOptions so;
  so.retain = is_wanted_path;
  so.md5 = o.ev.md5;
  so.on_hash_progress = [&line](uint64_t d, uint64_t t) { line.hash(d, t); };
  EvidenceOptions ev = o.ev;
  auto src = open_evidence(ev, so);
  if (!src) return fail(src.error());

  PartyNormaliser parties(o.region_given ? o.ev.region : scope->region);
  ScopeMatcher matcher(*scope, parties);
  ExtractOptions eo;
  eo.out = o.out;
  eo.examiner = o.examiner;
  if (!o.acquisition_hash.empty()) eo.acquisition_sha256 = o.acquisition_hash;
  if (!o.supplements.empty()) eo.supplements = o.supplements;
  eo.held_at = o.held_at;
  eo.plan_findings = findings;
  eo.match = [&matcher](const Item& it) { return matcher.match(it); };
  eo.write_notice = [](const Scope& s, const std::filesystem::path& dir) -> Status {
    auto n = write_notice(s, dir);
    if (!n) return n.error();
    return {};
  };
  eo.parties = &parties;
  eo.on_progress = [&line](const ExtractProgress& p) { line.update(p); };
  eo.cancel = guard.flag();
  eo.evidence_label = o.ev.path;

  auto sum = extract_package(**src, *scope, *key, eo);
  line.finish();
  if (guard.interrupted()) {
    std::fprintf(stderr, "remit: extract interrupted; no package was written\n");
    std::fflush(stderr);
    // The container hash thread may still be reading: end here rather than
    // wait for it (nothing is left to clean up).
    std::_Exit(130);
  }
  if (!sum) return fail(sum.error());

  if (o.json) {
    nlohmann::ordered_json j{{"package", sum->package.string()},
                             {"package_id", sum->package_id},
                             {"kind", sum->supplementary ? "supplementary" : "extraction"},
                             {"manifest_sha256", sum->manifest_sha256},
                             {"container_sha256", sum->container_sha256},
                             {"items_read", sum->items_seen},
                             {"items_in_scope", sum->items_in_scope},
                             {"items_in_earlier_packages", sum->items_in_parent},
                             {"media_files", sum->media_files},
                             {"warnings", sum->warnings_by_code}};
    std::puts(j.dump(2).c_str());
  } else {
    fmt::print("package    {}{}\n", printable(sum->package.string()), sum->supplementary ? " (supplementary)" : "");
    fmt::print("evidence   SHA-256 {}{}\n", sum->container_sha256,
               eo.acquisition_sha256 ? " (matches the acquisition hash)" : "");
    fmt::print(
        "in scope   {} of {} items read{}; {} file{} copied\n", sum->items_in_scope, sum->items_seen,
        sum->supplementary ? fmt::format(" (+{} already in the earlier package)", sum->items_in_parent) : std::string(),
        sum->media_files, sum->media_files == 1 ? "" : "s");
    if (!sum->warnings_by_code.empty()) {
      std::string w;
      for (const auto& [code, n] : sum->warnings_by_code) w += fmt::format("{}{} x{}", w.empty() ? "" : ", ", code, n);
      fmt::print("warnings   {} (recorded in audit.jsonl; see reports/report.html)\n", w);
    }
    if (sum->stale_removed)
      fmt::print("note       removed {} unfinished package folder(s) of earlier interrupted runs\n",
                 sum->stale_removed);
    fmt::print("signed     Ed25519 key {}\n", key->public_key().fingerprint());
    fmt::print("next       remit verify {0} && remit report {0} --key {1}\n", printable(sum->package.string()),
               printable(o.key));
  }
  return ExitCode::ok;
}

}  // namespace

void setup_extract(CLI::App& root, Action& chosen) {
  auto o = std::make_shared<ExtractCliOptions>();
  auto* cmd = root.add_subcommand(
      "extract",
      "Extract only what the scope authorises into a signed evidence package (atomic: all or nothing). "
      "Out-of-scope content is never stored; only counted.");
  add_evidence_options(cmd, o->ev);
  cmd->add_option("--scope", o->scope, "Scope file (checked as by `remit plan`; plan errors refuse)")->required();
  cmd->add_option("--out", o->out, "Package folder to create (must not exist)")->required();
  cmd->add_option("--key", o->key, "Signing key (from remit keygen)")->required();
  cmd->add_option("--examiner", o->examiner, "Your name, as it should appear in the audit and the manifest")
      ->required();
  cmd->add_option("--acquisition-hash", o->acquisition_hash,
                  "SHA-256 recorded at acquisition: refuse if the evidence differs");
  cmd->add_option("--supplements", o->supplements,
                  "An earlier package of the same evidence: make a supplementary package for a widened scope version, "
                  "holding only newly in-scope items");
  cmd->add_flag("--md5", o->ev.md5, "Also record the container's MD5 (slower)");
  cmd->add_option("--policy", o->policy, "Policy file overriding the built-in plan rules");
  cmd->add_option("--held-at", o->held_at,
                  "Where the full extraction is held, in words for the device user (e.g. \"the Digital Forensics "
                  "Unit's evidence store\")");
  cmd->add_flag("--json", o->json, "Print the result as JSON");
  cmd->callback([o, cmd, &chosen] {
    o->region_given = cmd->count("--region") > 0;
    chosen = [o] { return run_extract(*o); };
  });
}

}  // namespace remit::cli
