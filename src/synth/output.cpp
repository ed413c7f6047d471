// Streaming, deterministic, atomic extraction writer (src/synth/output.hpp).
//
// References: libarchive archive_write(3), archive_write_format(3) (pax
// restricted, zip), archive_write_filter(3) (gzip "timestamp" option);
// APPNOTE.TXT for zip DOS times (local time: the writer runs with TZ=UTC
// while it computes them).
#include "synth/output.hpp"

#include <archive.h>
#include <archive_entry.h>
#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <vector>

namespace remit::synth {

namespace fs = std::filesystem;

std::string_view to_string(OutputFormat f) noexcept {
  switch (f) {
    case OutputFormat::dir:
      return "dir";
    case OutputFormat::tar:
      return "tar";
    case OutputFormat::tar_gz:
      return "tar.gz";
    case OutputFormat::zip:
      return "zip";
    case OutputFormat::ufdr:
      return "ufdr";
  }
  return "dir";
}

bool parse_output_format(std::string_view s, OutputFormat& out) noexcept {
  if (s == "dir")
    out = OutputFormat::dir;
  else if (s == "tar")
    out = OutputFormat::tar;
  else if (s == "tar.gz" || s == "tgz")
    out = OutputFormat::tar_gz;
  else if (s == "zip")
    out = OutputFormat::zip;
  else if (s == "ufdr")
    out = OutputFormat::ufdr;
  else
    return false;
  return true;
}

namespace {

std::string errno_text(int e) {
  return std::strerror(e);
}

fs::path sibling(const fs::path& final_path, const std::string& suffix) {
  return final_path.parent_path() /
         ("." + final_path.filename().string() + ".synth-" + std::to_string(::getpid()) + suffix);
}

void remove_quietly(const fs::path& p) {
  std::error_code ec;
  fs::remove_all(p, ec);
}

// Scoped TZ=UTC so that libarchive's localtime() DOS times do not depend on
// the machine's zone. Restores the previous value.
class UtcZone {
 public:
  UtcZone() {
    if (const char* tz = std::getenv("TZ")) {
      had_ = true;
      old_ = tz;
    }
    ::setenv("TZ", "UTC", 1);
    ::tzset();
  }
  ~UtcZone() {
    if (had_)
      ::setenv("TZ", old_.c_str(), 1);
    else
      ::unsetenv("TZ");
    ::tzset();
  }

 private:
  bool had_ = false;
  std::string old_;
};

// --- folder ----------------------------------------------------------------

class FdSink : public ByteSink {
 public:
  FdSink(int fd, std::string name) : fd_(fd), name_(std::move(name)) {}
  Status write(const void* data, size_t n) override {
    const char* p = static_cast<const char*>(data);
    while (n > 0) {
      const ssize_t w = ::write(fd_, p, n);
      if (w < 0) {
        if (errno == EINTR) continue;
        return make_error(Errc::io, fmt::format("cannot write {}: {}", name_, errno_text(errno)));
      }
      p += w;
      n -= static_cast<size_t>(w);
      written_ += static_cast<uint64_t>(w);
    }
    return {};
  }
  uint64_t written_ = 0;

 private:
  int fd_;
  std::string name_;
};

class DirOutput : public Output {
 public:
  DirOutput(fs::path final_path, bool force) : Output(OutputFormat::dir, std::move(final_path), force) {}
  Status open() {
    std::error_code ec;
    if (!fs::create_directory(temp_, ec) || ec)
      return make_error(Errc::io, fmt::format("cannot create {}: {}", temp_.string(), ec.message()));
    return {};
  }
  Status add_dir(const FileMeta& m) override {
    if (auto st = check_path(m.path); !st) return st;
    const fs::path p = temp_ / m.path;
    std::error_code ec;
    fs::create_directories(p, ec);
    if (ec) return make_error(Errc::io, fmt::format("cannot create {}: {}", p.string(), ec.message()));
    ::chmod(p.c_str(), m.mode & 07777);
    dirs_.push_back({p, m.mtime_s});
    return {};
  }
  Status add_file(const FileMeta& m, uint64_t size, const std::function<Status(ByteSink&)>& fill) override {
    if (auto st = check_path(m.path); !st) return st;
    if (cancelled()) return make_error(Errc::refused, "interrupted");
    const fs::path p = temp_ / m.path;
    std::error_code ec;
    fs::create_directories(p.parent_path(), ec);
    const int fd = ::open(p.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0) return make_error(Errc::io, fmt::format("cannot create {}: {}", p.string(), errno_text(errno)));
    FdSink sink(fd, p.string());
    Status st = fill(sink);
    if (st && sink.written_ != size)
      st = make_error(Errc::internal, fmt::format("{}: wrote {} bytes, declared {}", m.path, sink.written_, size));
    if (::close(fd) != 0 && st)
      st = make_error(Errc::io, fmt::format("cannot close {}: {}", p.string(), errno_text(errno)));
    if (!st) return st;
    return finish_file(p, m, size);
  }
  Status add_scratch_file(const FileMeta& m, const fs::path& src) override {
    if (auto st = check_path(m.path); !st) return st;
    const fs::path p = temp_ / m.path;
    std::error_code ec;
    fs::create_directories(p.parent_path(), ec);
    fs::rename(src, p, ec);
    if (ec) return Output::add_scratch_file(m, src);  // different file system: copy
    return finish_file(p, m, fs::file_size(p));
  }

 protected:
  Status finish() override {
    // Directory times last: adding files changed them.
    for (auto it = dirs_.rbegin(); it != dirs_.rend(); ++it) set_mtime(it->first, it->second);
    return {};
  }

 private:
  Status finish_file(const fs::path& p, const FileMeta& m, uint64_t size) {
    ::chmod(p.c_str(), m.mode & 07777);
    set_mtime(p, m.mtime_s);
    content_bytes_ += size;
    ++files_;
    return {};
  }
  static void set_mtime(const fs::path& p, int64_t s) {
    struct timespec ts[2];
    ts[0].tv_sec = ts[1].tv_sec = static_cast<time_t>(s);
    ts[0].tv_nsec = ts[1].tv_nsec = 0;
    ::utimensat(AT_FDCWD, p.c_str(), ts, AT_SYMLINK_NOFOLLOW);
  }
  std::vector<std::pair<fs::path, int64_t>> dirs_;
};

// --- archives --------------------------------------------------------------

class ArchiveSink : public ByteSink {
 public:
  ArchiveSink(struct archive* a, std::string name) : a_(a), name_(std::move(name)) {}
  Status write(const void* data, size_t n) override {
    const char* p = static_cast<const char*>(data);
    while (n > 0) {
      const la_ssize_t w = archive_write_data(a_, p, n);
      if (w < 0) return make_error(Errc::io, fmt::format("cannot write {}: {}", name_, archive_error_string(a_)));
      if (w == 0) return make_error(Errc::io, fmt::format("cannot write {}: no progress", name_));
      p += w;
      n -= static_cast<size_t>(w);
      written_ += static_cast<uint64_t>(w);
    }
    return {};
  }
  uint64_t written_ = 0;

 private:
  struct archive* a_;
  std::string name_;
};

class ArchiveOutput : public Output {
 public:
  ArchiveOutput(OutputFormat f, fs::path final_path, bool force) : Output(f, std::move(final_path), force) {}
  ~ArchiveOutput() override {
    if (a_) archive_write_free(a_);
  }
  Status open() {
    a_ = archive_write_new();
    if (!a_) return make_error(Errc::internal, "archive_write_new failed");
    int r = ARCHIVE_OK;
    if (format_ == OutputFormat::zip) {
      r = archive_write_set_format_zip(a_);
    } else {
      r = archive_write_set_format_pax_restricted(a_);
      if (r == ARCHIVE_OK && format_ == OutputFormat::tar_gz) {
        r = archive_write_add_filter_gzip(a_);
        // No timestamp (and no file name) in the gzip header: reproducible.
        if (r == ARCHIVE_OK) r = archive_write_set_filter_option(a_, "gzip", "timestamp", nullptr);
      }
    }
    // Large blocks: a multi-GB extraction in 10 KiB writes costs seconds of
    // system time.
    if (r == ARCHIVE_OK) r = archive_write_set_bytes_per_block(a_, 64 * 1024);
    if (r != ARCHIVE_OK) return error("cannot configure the archive writer");
    if (archive_write_open_filename(a_, temp_.c_str()) != ARCHIVE_OK)
      return error(fmt::format("cannot create {}", temp_.string()));
    return {};
  }
  Status add_dir(const FileMeta& m) override {
    if (auto st = check_path(m.path); !st) return st;
    Entry e(m, 0, AE_IFDIR);
    e.set_path(m.path + "/");
    return header(e.get(), m.path);
  }
  Status add_file(const FileMeta& m, uint64_t size, const std::function<Status(ByteSink&)>& fill) override {
    if (auto st = check_path(m.path); !st) return st;
    if (cancelled()) return make_error(Errc::refused, "interrupted");
    if (format_ == OutputFormat::zip) {
      // Media is already compressed: store it; deflate databases and text.
      std::string ext = m.path.size() > 5 ? m.path.substr(m.path.size() - 5) : m.path;
      for (char& ch : ext) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
      const bool store = m.path.size() > 4 && (ext.ends_with(".jpg") || ext.ends_with(".jpeg") ||
                                               ext.ends_with(".mp4") || ext.ends_with(".mov"));
      if (store)
        archive_write_zip_set_compression_store(a_);
      else
        archive_write_zip_set_compression_deflate(a_);
    }
    Entry e(m, size, AE_IFREG);
    if (auto st = header(e.get(), m.path); !st) return st;
    ArchiveSink sink(a_, m.path);
    if (auto st = fill(sink); !st) return st;
    if (sink.written_ != size)
      return make_error(Errc::internal, fmt::format("{}: wrote {} bytes, declared {}", m.path, sink.written_, size));
    if (archive_write_finish_entry(a_) != ARCHIVE_OK) return error("cannot finish " + m.path);
    content_bytes_ += size;
    ++files_;
    return {};
  }

 protected:
  Status finish() override {
    if (archive_write_close(a_) != ARCHIVE_OK) return error("cannot finish the archive");
    archive_write_free(a_);
    a_ = nullptr;
    return {};
  }

 private:
  class Entry {
   public:
    Entry(const FileMeta& m, uint64_t size, unsigned type) : e_(archive_entry_new()) {
      archive_entry_set_pathname_utf8(e_, m.path.c_str());
      archive_entry_set_filetype(e_, type);
      archive_entry_set_perm(e_, m.mode & 07777);
      archive_entry_set_size(e_, static_cast<la_int64_t>(size));
      archive_entry_set_uid(e_, m.uid);
      archive_entry_set_gid(e_, m.gid);
      if (!m.uname.empty()) archive_entry_set_uname_utf8(e_, m.uname.c_str());
      if (!m.gname.empty()) archive_entry_set_gname_utf8(e_, m.gname.c_str());
      archive_entry_set_mtime(e_, static_cast<time_t>(m.mtime_s), 0);
    }
    ~Entry() { archive_entry_free(e_); }
    void set_path(const std::string& p) { archive_entry_set_pathname_utf8(e_, p.c_str()); }
    struct archive_entry* get() { return e_; }

   private:
    struct archive_entry* e_;
  };
  Status header(struct archive_entry* e, const std::string& name) {
    const int r = archive_write_header(a_, e);
    if (r != ARCHIVE_OK && r != ARCHIVE_WARN) return error("cannot write the header of " + name);
    return {};
  }
  Status error(const std::string& what) {
    const char* s = a_ ? archive_error_string(a_) : nullptr;
    return make_error(Errc::io, s ? what + ": " + s : what);
  }
  struct archive* a_ = nullptr;
  UtcZone utc_;
};

}  // namespace

Output::Output(OutputFormat f, fs::path final_path, bool force)
    : format_(f), final_(std::move(final_path)), force_(force) {
  temp_ = sibling(final_, ".tmp");
  scratch_ = sibling(final_, ".work");
}

Output::~Output() {
  if (!committed_) remove_quietly(temp_);
  remove_quietly(scratch_);
}

Status Output::allow_absolute_names() {
  if (format_ == OutputFormat::dir)
    return make_error(Errc::usage, "absolute entry names need an archive format (tar, tar.gz or zip), not a folder");
  absolute_ok_ = true;
  return {};
}

Status Output::check_path(const std::string& full) const {
  std::string_view path(full);
  if (absolute_ok_ && path.size() > 1 && path.front() == '/') path.remove_prefix(1);
  if (path.empty() || path.front() == '/' || path.find("..") != std::string::npos ||
      path.find('\\') != std::string::npos)
    return make_error(Errc::internal, "invalid entry path: " + full);
  return {};
}

Result<std::unique_ptr<Output>> Output::create(OutputFormat format, const fs::path& final_path, bool force) {
  if (format == OutputFormat::ufdr)
    return make_error(Errc::internal, "a UFDR is rendered from a folder (synth/ufdr_output.hpp), not streamed");
  std::error_code ec;
  const fs::path parent = final_path.parent_path().empty() ? fs::path(".") : final_path.parent_path();
  if (!fs::is_directory(parent, ec))
    return make_error(Errc::usage,
                      fmt::format("{}: the folder {} does not exist", final_path.string(), parent.string()));
  if (fs::exists(fs::symlink_status(final_path, ec)) && !force)
    return make_error(Errc::usage, fmt::format("{} already exists (use --force to replace it)", final_path.string()));
  if (final_path.filename().empty() || final_path.filename() == "." || final_path.filename() == "..")
    return make_error(Errc::usage, fmt::format("{}: not a file or folder name", final_path.string()));
  std::unique_ptr<Output> out;
  if (format == OutputFormat::dir) {
    auto d = std::make_unique<DirOutput>(final_path, force);
    remove_quietly(d->temp_);
    if (auto st = d->open(); !st) return st.error();
    out = std::move(d);
  } else {
    auto a = std::make_unique<ArchiveOutput>(format, final_path, force);
    remove_quietly(a->temp_);
    if (auto st = a->open(); !st) return st.error();
    out = std::move(a);
  }
  remove_quietly(out->scratch_);
  if (!fs::create_directory(out->scratch_, ec) || ec)
    return make_error(Errc::io, fmt::format("cannot create {}: {}", out->scratch_.string(), ec.message()));
  return out;
}

Status Output::add_bytes(const FileMeta& meta, std::string_view data) {
  return add_file(meta, data.size(), [&](ByteSink& s) { return s.write(data); });
}

Status Output::add_scratch_file(const FileMeta& meta, const fs::path& src) {
  std::error_code ec;
  const uint64_t size = fs::file_size(src, ec);
  if (ec) return make_error(Errc::io, fmt::format("cannot read {}: {}", src.string(), ec.message()));
  const int fd = ::open(src.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return make_error(Errc::io, fmt::format("cannot open {}: {}", src.string(), errno_text(errno)));
  Status st = add_file(meta, size, [&](ByteSink& sink) -> Status {
    std::vector<char> buf(1 << 20);
    uint64_t left = size;
    while (left > 0) {
      const ssize_t n = ::read(fd, buf.data(), static_cast<size_t>(std::min<uint64_t>(left, buf.size())));
      if (n < 0) {
        if (errno == EINTR) continue;
        return make_error(Errc::io, fmt::format("cannot read {}: {}", src.string(), errno_text(errno)));
      }
      if (n == 0) return make_error(Errc::io, fmt::format("{}: file shrank while copying", src.string()));
      if (auto s2 = sink.write(buf.data(), static_cast<size_t>(n)); !s2) return s2;
      left -= static_cast<uint64_t>(n);
    }
    return {};
  });
  ::close(fd);
  fs::remove(src, ec);
  return st;
}

Status Output::commit() {
  if (committed_) return {};
  if (auto st = finish(); !st) return st;
  std::error_code ec;
  if (format_ != OutputFormat::dir) {
    const int fd = ::open(temp_.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd >= 0) {
      ::fsync(fd);
      ::close(fd);
    }
  }
  fs::path old;
  if (fs::exists(fs::symlink_status(final_, ec))) {
    if (!force_)
      return make_error(Errc::usage, fmt::format("{} already exists (use --force to replace it)", final_.string()));
    old = sibling(final_, ".old");
    remove_quietly(old);
    fs::rename(final_, old, ec);
    if (ec) return make_error(Errc::io, fmt::format("cannot move the old {} aside: {}", final_.string(), ec.message()));
  }
  fs::rename(temp_, final_, ec);
  if (ec) {
    if (!old.empty()) fs::rename(old, final_, ec);
    return make_error(Errc::io, fmt::format("cannot rename into {}: {}", final_.string(), ec.message()));
  }
  committed_ = true;
  if (!old.empty()) remove_quietly(old);
  return {};
}

// --- AtomicFile --------------------------------------------------------------

Result<AtomicFile> AtomicFile::create(const fs::path& final_path, bool force) {
  std::error_code ec;
  if (fs::exists(fs::symlink_status(final_path, ec)) && !force)
    return make_error(Errc::usage, fmt::format("{} already exists (use --force to replace it)", final_path.string()));
  AtomicFile f;
  f.final_ = final_path;
  f.temp_ = sibling(final_path, ".tmp");
  f.f_ = std::fopen(f.temp_.c_str(), "wbx");
  if (!f.f_) {
    fs::remove(f.temp_, ec);
    f.f_ = std::fopen(f.temp_.c_str(), "wbx");
  }
  if (!f.f_) return make_error(Errc::io, fmt::format("cannot create {}: {}", f.temp_.string(), errno_text(errno)));
  return f;
}

AtomicFile::AtomicFile(AtomicFile&& o) noexcept
    : final_(std::move(o.final_)), temp_(std::move(o.temp_)), f_(o.f_), done_(o.done_) {
  o.f_ = nullptr;
  o.done_ = true;
}

AtomicFile::~AtomicFile() {
  if (f_) std::fclose(f_);
  if (!done_ && !temp_.empty()) {
    std::error_code ec;
    fs::remove(temp_, ec);
  }
}

Status AtomicFile::write(std::string_view s) {
  if (!f_) return make_error(Errc::internal, "write after close: " + final_.string());
  if (std::fwrite(s.data(), 1, s.size(), f_) != s.size())
    return make_error(Errc::io, fmt::format("cannot write {}: {}", temp_.string(), errno_text(errno)));
  return {};
}

Status AtomicFile::close() {
  if (!f_) return {};
  bool ok = std::fflush(f_) == 0;
  ok = ok && ::fsync(::fileno(f_)) == 0;
  ok = (std::fclose(f_) == 0) && ok;
  f_ = nullptr;
  if (!ok) return make_error(Errc::io, fmt::format("cannot write {}: {}", temp_.string(), errno_text(errno)));
  return {};
}

Status AtomicFile::rename_into_place() {
  if (auto st = close(); !st) return st;
  std::error_code ec;
  fs::rename(temp_, final_, ec);
  if (ec) return make_error(Errc::io, fmt::format("cannot rename into {}: {}", final_.string(), ec.message()));
  done_ = true;
  return {};
}

}  // namespace remit::synth
