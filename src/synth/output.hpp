#pragma once
// Writes a synthetic extraction as a folder, tar, tar.gz or zip, streaming:
// files are written one after another and never held whole in memory, so
// the output can be far larger than RAM.
//
// Determinism: entry order, names, sizes, modes, owners and times are all
// given by the caller (never the clock or the process); tar uses pax
// (restricted) headers without pids; gzip headers carry no timestamp; zip
// DOS times are computed in UTC. The same calls give byte-identical output.
//
// Atomicity: everything is written under a temporary name next to the
// final path and renamed into place by commit(). An Output destroyed
// without commit() removes its temporary files. Existing outputs are
// refused unless `force` is set; with `force` they are replaced only at
// commit time.
//
// Not thread-safe: one writer thread.

#include <atomic>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "remit/status.hpp"

namespace remit::synth {

enum class OutputFormat { dir, tar, tar_gz, zip };
[[nodiscard]] std::string_view to_string(OutputFormat) noexcept;
[[nodiscard]] bool parse_output_format(std::string_view s, OutputFormat& out) noexcept;

struct FileMeta {
  std::string path;      // logical path inside the extraction ('/'-separated, no
                         // leading '/')
  uint32_t mode = 0660;  // permission bits
  int64_t uid = 0, gid = 0;
  std::string uname, gname;
  int64_t mtime_s = 0;  // seconds since 1970 (UTC)
};

// Receives one file's bytes in order.
class ByteSink {
 public:
  virtual ~ByteSink() = default;
  [[nodiscard]] virtual Status write(const void* data, size_t n) = 0;
  [[nodiscard]] Status write(std::string_view s) { return write(s.data(), s.size()); }
};

class Output {
 public:
  // `final_path`: where the extraction appears on commit(). Fails (usage)
  // when it exists and !force, or when its folder does not exist.
  [[nodiscard]] static Result<std::unique_ptr<Output>> create(OutputFormat format,
                                                              const std::filesystem::path& final_path, bool force);
  virtual ~Output();
  Output(const Output&) = delete;
  Output& operator=(const Output&) = delete;

  [[nodiscard]] OutputFormat format() const noexcept { return format_; }
  [[nodiscard]] const std::filesystem::path& final_path() const noexcept { return final_; }
  // A private folder next to the output for building databases; removed
  // when the Output is destroyed.
  [[nodiscard]] const std::filesystem::path& scratch_dir() const noexcept { return scratch_; }
  // Bytes of file content written so far.
  [[nodiscard]] uint64_t content_bytes() const noexcept { return content_bytes_; }
  [[nodiscard]] uint64_t files() const noexcept { return files_; }

  // Adds a directory entry (parents must have been added first).
  [[nodiscard]] virtual Status add_dir(const FileMeta& meta) = 0;
  // Adds a file of exactly `size` bytes, produced by `fill` through the sink.
  [[nodiscard]] virtual Status add_file(const FileMeta& meta, uint64_t size,
                                        const std::function<Status(ByteSink&)>& fill) = 0;
  [[nodiscard]] Status add_bytes(const FileMeta& meta, std::string_view data);
  // Adds a file from disk (a database built in scratch_dir()); the source
  // file is consumed (moved or deleted).
  [[nodiscard]] virtual Status add_scratch_file(const FileMeta& meta, const std::filesystem::path& src);

  // Finishes the container and renames it into place.
  [[nodiscard]] Status commit();

  // Optional cancellation flag checked between writes (SIGINT).
  void set_cancel_flag(const std::atomic<bool>* flag) noexcept { cancel_ = flag; }
  [[nodiscard]] bool cancelled() const noexcept { return cancel_ && cancel_->load(); }

 protected:
  Output(OutputFormat f, std::filesystem::path final_path, bool force);
  [[nodiscard]] virtual Status finish() = 0;  // close the container at temp_
  [[nodiscard]] Status check_path(const std::string& path) const;

  OutputFormat format_;
  std::filesystem::path final_;
  std::filesystem::path temp_;  // file or folder being written
  std::filesystem::path scratch_;
  bool force_ = false;
  bool committed_ = false;
  uint64_t content_bytes_ = 0;
  uint64_t files_ = 0;
  const std::atomic<bool>* cancel_ = nullptr;
};

// A small file written atomically next to its final path (truth, story).
class AtomicFile {
 public:
  static Result<AtomicFile> create(const std::filesystem::path& final_path, bool force);
  AtomicFile(AtomicFile&&) noexcept;
  AtomicFile& operator=(AtomicFile&&) = delete;
  ~AtomicFile();
  [[nodiscard]] Status write(std::string_view s);
  // fsync + close; rename happens in rename_into_place().
  [[nodiscard]] Status close();
  [[nodiscard]] Status rename_into_place();
  [[nodiscard]] const std::filesystem::path& final_path() const noexcept { return final_; }

 private:
  AtomicFile() = default;
  std::filesystem::path final_, temp_;
  std::FILE* f_ = nullptr;
  bool done_ = false;
};

}  // namespace remit::synth
