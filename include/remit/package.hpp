#pragma once
// Evidence packages: `remit extract` writes one, `remit verify` checks one.
// The layout and every file's format are in docs/package.md.
//
//   PKG/manifest.json   tool, examiner, exhibit, device, container hashes,
//                       every package file with its SHA-256, times, signer
//   PKG/manifest.sig    Ed25519 signature of the manifest's SHA-256
//   PKG/audit.jsonl     hash-chained action records, sealed and signed
//   PKG/scope.toml      the exact scope bytes used
//   PKG/scope.json      the scope as remit interpreted it (UTC windows, ...)
//   PKG/stats.json      the intrusion measure (read by `remit oversight`)
//   PKG/items.sqlite    in-scope items only, FTS5 index, matched lines
//   PKG/media/          in-scope files, named by SHA-256
//   PKG/notice/         the notice given to the device user
//   PKG/reports/        written later by `remit report` (own signed manifest)
//
// Contracts:
//  - extract_package() never writes out-of-scope content anywhere: not to
//    the package, not to a temporary file, not to a message. Items judged
//    out of scope only change counters.
//  - The package appears atomically (staging folder, fsync, rename) or not
//    at all; an interrupted or failed run leaves no PKG and nothing that
//    verifies. A rerun removes stale staging folders of its own.
//  - Evidence is only read (through the Source).
//  - Single-threaded from the caller's point of view; the Source's hash
//    thread runs alongside. `cancel` may be set from any thread.

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "remit/party.hpp"
#include "remit/registry.hpp"
#include "remit/scope.hpp"
#include "remit/signing.hpp"
#include "remit/source.hpp"
#include "remit/status.hpp"

namespace remit {

inline constexpr const char* kPackageFormat = "remit-package/1";
inline constexpr const char* kStatsFormat = "remit-stats/1";
inline constexpr const char* kReportsFormat = "remit-reports/1";

struct ExtractProgress {
  const char* phase = "";  // "parsing", "copying", "hashing", "sealing"
  uint64_t artifacts_done = 0;
  uint64_t artifacts_total = 0;
  uint64_t items_seen = 0;  // counts only: never content
  uint64_t items_in_scope = 0;
  uint64_t media_copied = 0;
};

struct ExtractOptions {
  std::filesystem::path out;                         // PKG (must not exist)
  std::string examiner;                              // required
  std::optional<std::string> acquisition_sha256;     // refuse when the container differs
  std::optional<std::filesystem::path> supplements;  // earlier package: make a supplementary one
  std::string held_at;                               // where the full extraction is held (for the user)
  // Findings of the plan check (no errors: the caller refuses those).
  std::vector<PlanFinding> plan_findings;
  // The scope decision per item (ScopeMatcher::match in the CLI).
  std::function<MatchResult(const Item&)> match;
  // Writes the notice files for `scope` into `dir` (the scope engine's writer).
  std::function<Status(const Scope& scope, const std::filesystem::path& dir)> write_notice;
  const PartyNormaliser* parties = nullptr;  // required
  // The artifact table to detect and parse with (default: the registry,
  // artifact_registry()). Tests and tools may pass their own.
  const std::vector<ArtifactSpec>* artifacts = nullptr;
  std::function<void(const ExtractProgress&)> on_progress;  // from the calling thread, about 10 times a second
  const std::atomic<bool>* cancel = nullptr;
  std::string evidence_label;  // evidence as given on the command line
};

struct ExtractSummary {
  std::filesystem::path package;
  std::string package_id;
  std::string manifest_sha256;
  std::string container_sha256;
  uint64_t items_seen = 0;
  uint64_t items_in_scope = 0;   // written to this package
  uint64_t items_in_parent = 0;  // supplementary: already in an earlier package
  uint64_t media_files = 0;
  std::map<std::string, uint64_t> warnings_by_code;
  size_t stale_removed = 0;
  bool supplementary = false;
};

// Extracts the in-scope items of `source` into a new package at
// options.out, signed with `key`. Errors: usage/refused (bad options,
// output exists, acquisition hash differs, parent package does not verify
// or is of other evidence), io, and Errc::refused with "interrupted" when
// `cancel` was set.
[[nodiscard]] Result<ExtractSummary> extract_package(Source& source, const Scope& scope, const SigningKey& key,
                                                     const ExtractOptions& options);

struct VerifyOptions {
  std::vector<PublicKey> trusted;               // empty: integrity only, signer unverified
  std::optional<std::filesystem::path> parent;  // supplementary packages: check the link to this one
};

struct VerifyCheck {
  std::string name;  // "manifest signature", "file media/ab..", "audit chain", ...
  bool ok = false;
  std::string detail;
};

struct VerifyReport {
  bool ok = false;
  // The first wrong thing: a package-relative file ("items.sqlite",
  // "reports/report.html"), and for the audit the 1-based record line.
  std::string first_file;
  std::optional<uint64_t> first_line;
  std::string message;                // one line, names the file/record and the problem
  std::vector<VerifyCheck> checks;    // in the order run; stops after the first failure
  std::optional<PublicKey> signer;    // the manifest's signer
  bool signer_trusted = false;        // only with VerifyOptions::trusted
  std::vector<PublicKey> other_keys;  // audit seal / reports signers, when not the manifest's
  std::string package_id;
  std::string case_reference;
  int scope_version = 0;
  uint64_t files_checked = 0;
  uint64_t audit_records = 0;
  bool reports = false;
  bool supplementary = false;
  std::string parent_manifest_sha256;  // supplementary packages
  bool parent_checked = false;
};

// Checks a package: every file hash, no unlisted file, the manifest and its
// signature, the audit chain and seal, the reports' signed manifest, and
// (with options.parent) the link to the parent package. Returns an Error
// only when `pkg` cannot be examined at all (not a folder); integrity
// failures are reported in VerifyReport.
[[nodiscard]] Result<VerifyReport> verify_package(const std::filesystem::path& pkg, const VerifyOptions& options = {});

// The message a manifest signature signs: "remit-manifest/1\n<sha256>\n".
[[nodiscard]] std::string manifest_signature_message(std::string_view kind, std::string_view manifest_sha256);

}  // namespace remit
