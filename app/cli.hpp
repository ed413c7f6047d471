#pragma once
// Shared plumbing for the `remit` subcommands. The CLI is thin: commands
// parse arguments, call the layers, and map errors to exit codes
// (README "Exit codes", remit::ExitCode).

#include <CLI/CLI.hpp>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "remit/parser.hpp"
#include "remit/registry.hpp"
#include "remit/source.hpp"
#include "remit/status.hpp"

namespace remit::cli {

// The command chosen on the command line, run after parsing succeeds.
using Action = std::function<ExitCode()>;

// Each command file provides one of these; app/commands.cpp lists them.
using Setup = void (*)(CLI::App& root, Action& chosen);

// The registered commands, in help order.
const std::vector<Setup>& commands();
// The `remit synth` subcommands (android, ios, cases); each Setup receives
// the `synth` command as its root.
const std::vector<Setup>& synth_commands();

// Prints "remit: error: <message>" to stderr and returns the mapped code.
ExitCode fail(const Error& e);
ExitCode fail(Errc code, const std::string& message);

// True when progress should be drawn (stdout and stderr are terminals).
bool show_progress();

// A one-line progress bar on stderr. Silent when show_progress() is false.
class Progress {
 public:
  explicit Progress(std::string label);
  ~Progress();
  void update(uint64_t done, uint64_t total);
  void finish();

 private:
  std::string label_;
  bool enabled_;
  int last_permille_ = -1;
  bool finished_ = false;
};

// Options every command that reads evidence shares.
struct EvidenceOptions {
  std::string path;           // EVIDENCE
  std::string region = "GB";  // --region
  std::string password_file;  // --password-file (encrypted iTunes backups)
  bool md5 = false;           // --md5 where offered
};

// Adds EVIDENCE, --region and --password-file to a subcommand.
void add_evidence_options(CLI::App* cmd, EvidenceOptions& o);

// Reads the backup password: from --password-file (first line, without the
// newline), else from a no-echo prompt when stdin is a terminal, else none.
// Never from argv, never logged.
Result<std::optional<std::string>> read_password(const EvidenceOptions& o);

// Opens evidence with a progress bar for the hash pass when interactive.
// Applies the password (if any) and `retain` for compressed streams.
Result<std::unique_ptr<Source>> open_evidence(const EvidenceOptions& o, SourceOptions options = {});
Result<std::unique_ptr<Source>> open_evidence(const std::string& path, SourceOptions options = {});

// Prints content-free diagnostics (remit::safe_diagnostics) to stderr, one
// line each; returns how many were printed.
size_t print_diagnostics(const std::vector<Diagnostic>& diagnostics);

}  // namespace remit::cli
