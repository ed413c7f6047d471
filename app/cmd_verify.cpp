// remit verify PKG [--trusted-key PUBKEY ...] [--parent PKG] [--json]
// Exit 0: intact. Exit 1: the first wrong file or audit record is named.
// Exit 2: usage (no such folder, unreadable key).
#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "cli.hpp"
#include "remit/package.hpp"
#include "remit/text.hpp"

namespace remit::cli {
namespace {

struct VerifyCliOptions {
  std::string pkg;
  std::vector<std::string> trusted;
  std::string parent;
  bool json = false;
  bool quiet = false;
};

ExitCode run_verify(const VerifyCliOptions& o) {
  VerifyOptions vo;
  for (const auto& t : o.trusted) {
    auto k = load_public_key(t);
    if (!k) return fail(Errc::usage, "--trusted-key " + k.error().message);
    vo.trusted.push_back(*k);
  }
  if (!o.parent.empty()) vo.parent = o.parent;
  auto rep = verify_package(o.pkg, vo);
  if (!rep) return fail(rep.error());
  const VerifyReport& r = *rep;
  if (o.json) {
    nlohmann::ordered_json j;
    j["package"] = o.pkg;
    j["ok"] = r.ok;
    if (!r.ok) {
      j["first_problem"] = {{"file", r.first_file}, {"message", r.message}};
      if (r.first_line) j["first_problem"]["line"] = *r.first_line;
    }
    if (r.signer)
      j["signer"] = {
          {"public_key", r.signer->base64()}, {"fingerprint", r.signer->fingerprint()}, {"verified", r.signer_trusted}};
    auto others = nlohmann::ordered_json::array();
    for (const auto& k : r.other_keys) others.push_back({{"public_key", k.base64()}, {"fingerprint", k.fingerprint()}});
    j["other_signers"] = others;
    j["package_id"] = r.package_id;
    j["case_reference"] = r.case_reference;
    j["scope_version"] = r.scope_version;
    j["files_checked"] = r.files_checked;
    j["audit_records"] = r.audit_records;
    j["reports"] = r.reports;
    j["supplementary"] = r.supplementary;
    if (r.supplementary) {
      j["parent_manifest_sha256"] = r.parent_manifest_sha256;
      j["parent_checked"] = r.parent_checked;
    }
    auto checks = nlohmann::ordered_json::array();
    for (const auto& c : r.checks) checks.push_back({{"check", c.name}, {"ok", c.ok}, {"detail", c.detail}});
    j["checks"] = checks;
    std::puts(j.dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace).c_str());
    return r.ok ? ExitCode::ok : ExitCode::findings;
  }
  if (!o.quiet)
    for (const auto& c : r.checks) fmt::print("  {:4} {}: {}\n", c.ok ? "ok" : "FAIL", c.name, printable(c.detail));
  if (!r.ok) {
    fmt::print("{}: NOT INTACT\n  first problem: {}\n", printable(o.pkg), printable(r.message));
    return ExitCode::findings;
  }
  fmt::print("{}: intact (package {}, case {}, scope version {}{})\n", printable(o.pkg), r.package_id,
             printable(r.case_reference), r.scope_version, r.reports ? ", with reports" : "");
  if (r.signer_trusted)
    fmt::print("signer: key {} — a trusted key\n", r.signer->fingerprint());
  else
    fmt::print(
        "signer: key {} ({}) — UNVERIFIED: without --trusted-key this proves integrity only, not who "
        "signed\n",
        r.signer->fingerprint(), r.signer->base64());
  for (const auto& k : r.other_keys)
    fmt::print("also signed by: key {} ({}){}\n", k.fingerprint(), k.base64(),
               r.signer_trusted ? " — a trusted key" : "");
  return ExitCode::ok;
}

}  // namespace

void setup_verify(CLI::App& root, Action& chosen) {
  auto o = std::make_shared<VerifyCliOptions>();
  auto* cmd = root.add_subcommand("verify",
                                  "Check a package: every file hash, the signed manifest, the audit chain and "
                                  "its signature, the reports. Exit 0 intact, 1 names the first problem.");
  cmd->add_option("PKG", o->pkg, "Package folder")->required();
  cmd->add_option("--trusted-key", o->trusted,
                  "Public key (PEM, e.g. KEYFILE.pub) that must have signed; may be given more than once. Without "
                  "it, verify proves integrity only");
  cmd->add_option("--parent", o->parent, "For a supplementary package: the earlier package it supplements");
  cmd->add_flag("--json", o->json, "Print the result as JSON");
  cmd->add_flag("--quiet", o->quiet, "Print only the verdict");
  cmd->callback([o, &chosen] { chosen = [o] { return run_verify(*o); }; });
}

}  // namespace remit::cli
