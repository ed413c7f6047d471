#pragma once
// Test support: temporary folders, fixture archives, running the remit
// binary, and locating ../shared/conformance.

#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "remit/item.hpp"

namespace remit::test {

namespace fs = std::filesystem;

// The conformance folder (../shared/conformance from the project root), or
// nullopt when absent.
std::optional<fs::path> conformance_dir();

// Skips the current test with a message naming the folder when the
// conformance data is absent.
#define REMIT_REQUIRE_CONFORMANCE(var)                                                      \
  auto var##_opt = ::remit::test::conformance_dir();                                        \
  if (!var##_opt)                                                                           \
    GTEST_SKIP() << "conformance data not found at ../shared/conformance (relative to the " \
                    "project root); skipping";                                              \
  const ::remit::test::fs::path var = *var##_opt

// A fresh temporary folder, removed (recursively) on destruction.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  [[nodiscard]] const fs::path& path() const { return path_; }
  fs::path operator/(const std::string& s) const { return path_ / s; }

 private:
  fs::path path_;
};

// One file for a fixture archive: entry name -> bytes (or a special entry).
struct FixtureEntry {
  std::string name;
  std::string data;
  enum Kind { file, dir, symlink, hardlink } kind = file;
  std::string link;                      // symlink/hardlink target
  std::optional<int64_t> declared_size;  // tar only: lie about the size in the header
};

std::string read_file(const fs::path& p);
void write_file(const fs::path& p, std::string_view data);

// Writes a tar (format "ustar"/"pax"/"gnutar"), optionally gzip-compressed.
void make_tar(const fs::path& out, const std::vector<FixtureEntry>& entries, bool gzip = false);
// Writes a zip (deflate) with libzip.
void make_zip(const fs::path& out, const std::vector<FixtureEntry>& entries);
// Writes a folder tree.
void make_folder(const fs::path& root, const std::vector<FixtureEntry>& entries);

struct RunResult {
  int exit_code = -1;
  std::string out;
  std::string err;
};
// Runs a program (argv[0] is its path; no shell). `timeout_s` > 0 kills it
// (SIGKILL) after that many seconds; exit_code is then 128+9.
RunResult run_process(const std::vector<std::string>& argv, const std::map<std::string, std::string>& env = {},
                      const std::optional<fs::path>& cwd = std::nullopt, const std::string& stdin_data = {},
                      int timeout_s = 0);

// Runs build/remit with args (no shell). `env` entries are added to the
// environment; `cwd` sets the working directory.
RunResult run_remit(const std::vector<std::string>& args, const std::map<std::string, std::string>& env = {},
                    const std::optional<fs::path>& cwd = std::nullopt, const std::string& stdin_data = {});

// Parses JSON Lines output into items (fails the test on a bad line).
std::vector<Item> parse_items(const std::string& jsonl);

std::string sha256_of_file(const fs::path& p);

// Feeds every file of fuzz/corpus/<target>/ and fuzz/regressions/<target>/
// to a fuzz entry point (the same one the libFuzzer target calls), each
// under a SCOPED_TRACE naming the file. Returns how many were fed.
using FuzzEntry = void (*)(const uint8_t*, size_t);
size_t replay_fuzz_inputs(const std::string& target, FuzzEntry fn);

}  // namespace remit::test
