#pragma once
// Durable, atomic output for packages and reports. Internal to
// src/package and src/report.
//
// Staging: output is written into a staging folder next to its target,
// named ".<target-name>.remit-partial.<pid>.<random>", and held under an
// flock on the sibling file "<staging>.lock" for as long as the writer
// lives. commit() fsyncs every file and folder in the staging tree, then
// renames it onto the target (RENAME_NOREPLACE, or RENAME_EXCHANGE to
// replace an existing folder) and fsyncs the parent. Until commit() the
// target does not exist (or keeps its old content); a staging folder never
// verifies (verify refuses the ".remit-partial." name, and a staging
// folder lacks its signature until the last moment).
//
// Stale staging folders (their writer died: the flock is free, or there is
// no lock file and the pid in the name is not running) that belong to the
// same target and the same user are removed by the next writer.
//
// Not thread-safe; one Staging per writer.

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "remit/status.hpp"

namespace remit::pkg {

namespace fs = std::filesystem;

// Creates `path` exclusively (O_EXCL, mode 0644 unless given), writes
// `data`, fsyncs and closes. Fails if it exists.
[[nodiscard]] Status write_file_durable(const fs::path& path, std::string_view data, unsigned mode = 0644);
// Writes `data` to a temporary name in the same folder, fsyncs, then
// renames it onto `path` (replacing it) and fsyncs the folder.
[[nodiscard]] Status replace_file_durable(const fs::path& path, std::string_view data, unsigned mode = 0644);
[[nodiscard]] Status fsync_path(const fs::path& path, bool directory);
// fsyncs every regular file and folder under `root` (and `root` itself).
[[nodiscard]] Status fsync_tree(const fs::path& root);
// Reads a whole regular file (never following a final symlink), up to `limit` bytes.
[[nodiscard]] Result<std::string> read_small_file(const fs::path& path, uint64_t limit = 64ULL << 20);

// True when `name` is a staging folder name of ours (".X.remit-partial.N.R").
[[nodiscard]] bool is_staging_name(std::string_view name) noexcept;

class Staging {
 public:
  // Prepares staging for `target` (which must not exist unless
  // `replace_existing`). The staging folder is made in `staging_parent`
  // (default: the target's parent; it must be on the same file system),
  // named after `name_hint` (default: the target's name). Removes stale
  // staging folders with the same hint.
  [[nodiscard]] static Result<Staging> create(const fs::path& target, bool replace_existing = false,
                                              const fs::path& staging_parent = {}, std::string name_hint = {});
  ~Staging();  // removes the staging folder unless committed
  Staging(Staging&&) noexcept;
  Staging& operator=(Staging&&) noexcept;
  Staging(const Staging&) = delete;
  Staging& operator=(const Staging&) = delete;

  [[nodiscard]] const fs::path& dir() const noexcept { return dir_; }
  [[nodiscard]] const fs::path& target() const noexcept { return target_; }
  // Number of stale staging folders removed by create().
  [[nodiscard]] size_t stale_removed() const noexcept { return stale_removed_; }

  // fsync the tree, rename onto the target, fsync the parent.
  [[nodiscard]] Status commit();
  // Removes the staging folder now (idempotent).
  void discard() noexcept;

 private:
  Staging() = default;
  fs::path target_;
  fs::path dir_;
  fs::path lock_path_;
  int lock_fd_ = -1;
  bool committed_ = false;
  bool replace_ = false;
  size_t stale_removed_ = 0;
};

}  // namespace remit::pkg
