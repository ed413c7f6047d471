#include "cli.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <cstdio>
#include <map>

#include "remit/text.hpp"

namespace remit::cli {

ExitCode fail(const Error& e) {
  std::fprintf(stderr, "remit: error: %s\n", printable(e.message).c_str());
  return exit_code_for(e.code);
}

ExitCode fail(Errc code, const std::string& message) {
  return fail(Error{code, message});
}

bool show_progress() {
  return ::isatty(STDOUT_FILENO) && ::isatty(STDERR_FILENO);
}

Progress::Progress(std::string label) : label_(std::move(label)), enabled_(show_progress()) {}
Progress::~Progress() {
  finish();
}

void Progress::update(uint64_t done, uint64_t total) {
  if (!enabled_ || finished_ || total == 0) return;
  const int permille = static_cast<int>(done * 1000 / total);
  if (permille == last_permille_) return;
  last_permille_ = permille;
  constexpr int kWidth = 30;
  const int filled = permille * kWidth / 1000;
  std::string bar(static_cast<size_t>(filled), '#');
  bar.append(static_cast<size_t>(kWidth - filled), '.');
  std::fprintf(stderr, "\r%s [%s] %5.1f%% %s / %s ", label_.c_str(), bar.c_str(), permille / 10.0,
               human_bytes(done).c_str(), human_bytes(total).c_str());
  std::fflush(stderr);
}

void Progress::finish() {
  if (enabled_ && !finished_ && last_permille_ >= 0) {
    std::fprintf(stderr, "\n");
  }
  finished_ = true;
}

Result<std::unique_ptr<Source>> open_evidence(const std::string& path, SourceOptions options) {
  if (show_progress() && !options.on_hash_progress) {
    auto bar = std::make_shared<Progress>("hashing");
    options.on_hash_progress = [bar](uint64_t d, uint64_t t) {
      bar->update(d, t);
      if (d >= t) bar->finish();
    };
  }
  return open_source(path, options);
}

size_t print_diagnostics(const std::vector<Diagnostic>& diagnostics) {
  for (const auto& d : diagnostics) {
    if (d.kind == "note") {
      // Notes of one code are aggregated: the first message stands for all.
      std::fprintf(stderr, "remit: note: %s: %s%s\n", d.code.c_str(), printable(d.message).c_str(),
                   d.count > 1 ? fmt::format(" (and {} more like it)", d.count - 1).c_str() : "");
    } else {
      std::fprintf(stderr, "remit: warning: [%s] %s: %s: %s%s\n", d.parser.c_str(),
                   d.path.empty() ? "(a file whose name is withheld)" : printable(d.path).c_str(), d.code.c_str(),
                   printable(d.message).c_str(), d.count > 1 ? fmt::format(" (x{})", d.count).c_str() : "");
    }
  }
  return diagnostics.size();
}

}  // namespace remit::cli

#include <termios.h>

#include <chrono>
#include <fstream>
#include <memory>

namespace remit::cli {

void add_evidence_options(CLI::App* cmd, EvidenceOptions& o) {
  cmd->add_option("EVIDENCE", o.path, "Extraction: folder, tar, tar.gz, zip, iTunes/Finder backup or UFDR")->required();
  cmd->add_option("--region", o.region, "Default phone region for numbers without a country code (ISO 3166)")
      ->capture_default_str();
  cmd->add_option("--password-file", o.password_file,
                  "File whose first line is the password of an encrypted iTunes/Finder backup "
                  "(without it, remit prompts when stdin is a terminal)");
}

Result<std::optional<std::string>> read_password(const EvidenceOptions& o) {
  if (!o.password_file.empty()) {
    std::ifstream in(o.password_file, std::ios::binary);
    if (!in) return make_error(Errc::usage, o.password_file + ": cannot read the password file");
    std::string line;
    std::getline(in, line);
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty()) return make_error(Errc::usage, o.password_file + ": the password file's first line is empty");
    return std::optional<std::string>(std::move(line));
  }
  return std::optional<std::string>();
}

// Prompts without echo on the terminal. Used by sources that find an
// encrypted backup and were given no password.
static std::optional<std::string> prompt_password(const char* prompt) {
  if (!::isatty(STDIN_FILENO)) return std::nullopt;
  std::fprintf(stderr, "%s", prompt);
  std::fflush(stderr);
  termios old{};
  ::tcgetattr(STDIN_FILENO, &old);
  termios quiet = old;
  quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
  ::tcsetattr(STDIN_FILENO, TCSANOW, &quiet);
  std::string line;
  int c;
  while ((c = std::fgetc(stdin)) != EOF && c != '\n') line.push_back(static_cast<char>(c));
  ::tcsetattr(STDIN_FILENO, TCSANOW, &old);
  std::fprintf(stderr, "\n");
  return line;
}

Result<std::unique_ptr<Source>> open_evidence(const EvidenceOptions& o, SourceOptions options) {
  auto pw = read_password(o);
  if (!pw) return pw.error();
  if (*pw)
    options.password = std::move(**pw);
  else if (::isatty(STDIN_FILENO))
    options.ask_password = [] { return prompt_password("Backup password: "); };
  options.md5 = options.md5 || o.md5;
  if (show_progress() && !options.on_kdf_progress) {
    // Encrypted iTunes backups: real ones need 10,000,000 PBKDF2 rounds.
    struct KdfBar {
      std::chrono::steady_clock::time_point start = std::chrono::steady_clock::now();
      int last = -1;
    };
    auto bar = std::make_shared<KdfBar>();
    options.on_kdf_progress = [bar](uint64_t done, uint64_t total) {
      if (total == 0) return;
      const int pct = static_cast<int>(done * 100 / total);
      if (pct == bar->last) return;
      bar->last = pct;
      std::fprintf(stderr, "\rderiving the backup key (PBKDF2, %llu rounds) %3d%%",
                   static_cast<unsigned long long>(total), pct);
      if (done >= total) {
        const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - bar->start).count();
        std::fprintf(stderr, " in %.1f s\n", s);
      }
      std::fflush(stderr);
    };
  }
  return open_evidence(o.path, std::move(options));
}

}  // namespace remit::cli
