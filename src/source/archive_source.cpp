// Archive evidence through libarchive (https://libarchive.org, archive_read(3)).
//
// Index pass: archive_read_open_filename() skips entry data with lseek, so
// indexing a plain tar reads only its headers. After each header,
// archive_filter_bytes(a, 0) is the uncompressed position, i.e. the data
// offset of the entry: for plain tar this is the file offset, so entries are
// then read with pread() (random access). Sparse entries are not contiguous
// and are read by a new pass.
//
// Compressed streams (tar.gz, tar.xz, ...) have no random access. Measured
// choice (docs/sources.md): entries that parsers need (databases and their
// sidecars, SourceOptions::retain) are kept in memory during the index pass
// under a stated budget; anything else (e.g. an in-scope photo) is read by a
// second decompression pass.
//
// The container SHA-256 runs meanwhile on its own thread (HashPass).
#include "source/archive_source.hpp"

#include <archive.h>
#include <archive_entry.h>
#include <fmt/format.h>
#include <sys/stat.h>

#include <map>
#include <mutex>
#include <unordered_map>

#include "remit/hash.hpp"
#include "source/fd.hpp"
#include "source/hash_pass.hpp"

namespace remit::detail {
namespace {

struct ArchiveFree {
  void operator()(archive* a) const noexcept { archive_read_free(a); }
};
using ArchivePtr = std::unique_ptr<archive, ArchiveFree>;

Result<ArchivePtr> open_archive(const std::filesystem::path& file) {
  ArchivePtr a(archive_read_new());
  if (!a) return make_error(Errc::internal, "archive_read_new failed");
  archive_read_support_filter_all(a.get());
  archive_read_support_format_all(a.get());
  if (archive_read_open_filename(a.get(), file.c_str(), 1 << 16) != ARCHIVE_OK) {
    const char* msg = archive_error_string(a.get());
    return make_error(Errc::malformed,
                      fmt::format("{}: not a readable archive: {}", file.string(), msg ? msg : "unknown error"));
  }
  return a;
}

class ArchiveSource final : public Source {
 public:
  ArchiveSource(std::filesystem::path file, SourceOptions opts) : Source(std::move(file)), opts_(std::move(opts)) {}

  Status index() {
    auto fd = open_readonly(location_);
    if (!fd) return fd.error();
    fd_ = std::move(*fd);
    struct stat st {};
    ::fstat(fd_.get(), &st);
    size_ = static_cast<uint64_t>(st.st_size);

    auto a = open_archive(location_);
    if (!a) return a.error();
    archive* ar = a->get();
    archive_entry* ae = nullptr;
    std::unordered_map<std::string, uint32_t> by_name;
    uint64_t retained_bytes = 0;
    bool budget_noted = false;
    for (;;) {
      const int r = archive_read_next_header(ar, &ae);
      if (r == ARCHIVE_EOF) break;
      if (r == ARCHIVE_RETRY) continue;
      if (r < ARCHIVE_WARN) {
        const char* msg = archive_error_string(ar);
        if (entries_.empty())
          return make_error(Errc::malformed, fmt::format("{}: not a readable archive: {}", location_.string(),
                                                         msg ? msg : "unknown error"));
        note("truncated", "",
             fmt::format("archive damaged after {} entries: {}; later entries are unreadable", entries_.size(),
                         msg ? msg : "unknown error"));
        break;
      }
      if (r == ARCHIVE_WARN) {
        const char* msg = archive_error_string(ar);
        note("archive_warning", archive_entry_pathname(ae) ? archive_entry_pathname(ae) : "",
             msg ? msg : "warning while reading header");
      }
      if (entries_.empty()) {
        compressed_ = archive_filter_code(ar, 0) != ARCHIVE_FILTER_NONE;
        const int fmt_code = archive_format(ar) & ARCHIVE_FORMAT_BASE_MASK;
        contiguous_ = fmt_code == ARCHIVE_FORMAT_TAR;
      }
      Entry e;
      const char* nm = archive_entry_pathname(ae);
      e.name = nm ? nm : "";
      if (archive_entry_size_is_set(ae) && archive_entry_size(ae) > 0)
        e.size = static_cast<uint64_t>(archive_entry_size(ae));
      if (archive_entry_mtime_is_set(ae))
        e.mtime_ns = static_cast<int64_t>(archive_entry_mtime(ae)) * 1'000'000'000 + archive_entry_mtime_nsec(ae);
      if (archive_entry_birthtime_is_set(ae))
        e.birthtime_ns =
            static_cast<int64_t>(archive_entry_birthtime(ae)) * 1'000'000'000 + archive_entry_birthtime_nsec(ae);
      e.offset = static_cast<uint64_t>(archive_filter_bytes(ar, 0));
      e.random_access = !compressed_ && contiguous_ && archive_entry_sparse_count(ae) == 0;

      const char* hard = archive_entry_hardlink(ae);
      switch (archive_entry_filetype(ae)) {
        case AE_IFREG:
          e.type = EntryType::file;
          break;
        case AE_IFDIR:
          e.type = EntryType::directory;
          break;
        case AE_IFLNK:
          e.type = EntryType::symlink;
          if (const char* t = archive_entry_symlink(ae)) e.link_target = t;
          note("symlink", e.name, "symbolic link recorded, not followed");
          break;
        default:
          e.type = hard ? EntryType::file : EntryType::other;
      }
      if (hard) {
        e.link_target = hard;
        auto it = by_name.find(hard);
        if (it != by_name.end() && entries_[it->second].type == EntryType::file) {
          const Entry& t = entries_[it->second];
          e.type = EntryType::file;
          e.size = t.size;
          e.offset = t.offset;
          e.random_access = t.random_access;
          hardlink_target_[static_cast<uint32_t>(entries_.size())] = it->second;
          note("hardlink", e.name, "hard link to an earlier entry; its data is that entry's");
        } else {
          e.type = EntryType::other;
          note("hardlink_dangling", e.name, "hard link to an entry that is not in the archive");
        }
      }
      if (e.type == EntryType::other && !hard) note("special_file", e.name, "device, socket or pipe skipped");

      auto norm = normalise_entry_path(e.name);
      if (!norm) {
        note("path_traversal", e.name, "entry name contains '..' or NUL; not matched and never used as a path");
      } else {
        if (!e.name.empty() && e.name.front() == '/') ++absolute_names_;
        e.path = *norm;
      }
      if (e.type == EntryType::file && !hard && e.random_access && e.offset + e.size > size_) {
        note("size_exceeds_container", e.name,
             fmt::format("declared size {} runs past the end of the container; reads stop at the end", e.size));
      }
      if (e.type == EntryType::file && e.size > opts_.max_entry_bytes) {
        note("size_over_limit", e.name,
             fmt::format("declared size {} exceeds the read limit {}; not read into memory", e.size,
                         opts_.max_entry_bytes));
      }
      // Compressed streams: every entry is decompressed to reach the next
      // one anyway, so hash each file on the way (later reads just to hash
      // an attachment are then unnecessary), and keep the entries parsers
      // need.
      const bool keep = e.type == EntryType::file && !hard && !e.random_access && opts_.retain && !e.path.empty() &&
                        opts_.retain(e.path) && retained_bytes + e.size <= opts_.retain_budget_bytes &&
                        e.size <= opts_.max_entry_bytes;
      if (e.type == EntryType::file && !hard && !e.random_access && !keep) {
        Hasher h;
        std::vector<unsigned char> buf(1 << 16);
        bool ok = true;
        for (;;) {
          const la_ssize_t n = archive_read_data(ar, buf.data(), buf.size());
          if (n < 0) {
            ok = false;
            note("read_error", e.name, "entry data could not be decompressed");
            break;
          }
          if (n == 0) break;
          h.update(std::span(buf.data(), static_cast<size_t>(n)));
        }
        if (ok) e.sha256 = h.hex_final();
      }
      if (e.type == EntryType::file && !hard && !e.random_access && opts_.retain && !e.path.empty() &&
          opts_.retain(e.path)) {
        if (keep) {
          Bytes data;
          data.reserve(e.size);
          std::vector<unsigned char> buf(1 << 16);
          for (;;) {
            const la_ssize_t n = archive_read_data(ar, buf.data(), buf.size());
            if (n < 0) {
              note("read_error", e.name, "entry data could not be decompressed; kept what was read");
              break;
            }
            if (n == 0) break;
            if (data.size() + static_cast<size_t>(n) > opts_.max_entry_bytes) {
              note("size_over_limit", e.name, "entry data exceeds the read limit; truncated");
              break;
            }
            data.insert(data.end(), buf.data(), buf.data() + n);
          }
          retained_bytes += data.size();
          e.sha256 = sha256_hex(std::span<const unsigned char>(data.data(), data.size()));
          retained_.emplace(static_cast<uint32_t>(entries_.size()), std::move(data));
        } else if (!budget_noted) {
          budget_noted = true;
          note("retain_budget", e.name,
               fmt::format("in-memory budget of {} bytes for compressed entries reached; later entries need a "
                           "second decompression pass",
                           opts_.retain_budget_bytes));
        }
      }
      if (!e.path.empty()) by_name[e.name] = static_cast<uint32_t>(entries_.size());
      entries_.push_back(std::move(e));
    }
    if (absolute_names_ > 0)
      note("absolute_names", "",
           fmt::format("{} entries have absolute names; the leading '/' is stripped for matching", absolute_names_));
    finish_index();
    if (opts_.hash_container) hash_ = std::make_unique<HashPass>(location_, opts_.md5, opts_.on_hash_progress);
    return {};
  }

  SourceKind kind() const noexcept override { return SourceKind::tar; }
  uint64_t container_size() const noexcept override { return size_; }

  Result<Bytes> read(const Entry& e, uint64_t limit) const override {
    if (e.type != EntryType::file) return make_error(Errc::not_found, e.name + ": not a regular file");
    const uint64_t cap = std::min(limit, opts_.max_entry_bytes);
    if (e.size > cap)
      return make_error(Errc::too_large, fmt::format("{}: {} bytes exceeds the read limit of {}", e.name, e.size, cap));
    if (auto it = retained_.find(e.ordinal); it != retained_.end()) return it->second;
    if (e.random_access) {
      const uint64_t avail = e.offset >= size_ ? 0 : std::min<uint64_t>(e.size, size_ - e.offset);
      Bytes b(avail);
      auto n = pread_full(fd_.get(), b.data(), b.size(), e.offset, e.name);
      if (!n) return n.error();
      b.resize(*n);
      return b;
    }
    Bytes out;
    auto st = stream(e, [&](std::span<const unsigned char> chunk) {
      if (out.size() + chunk.size() > cap) return false;
      out.insert(out.end(), chunk.begin(), chunk.end());
      return true;
    });
    if (!st) return std::move(st).error();
    return out;
  }

  Status stream(const Entry& e, const std::function<bool(std::span<const unsigned char>)>& sink) const override {
    if (e.type != EntryType::file) return make_error(Errc::not_found, e.name + ": not a regular file");
    if (auto it = retained_.find(e.ordinal); it != retained_.end()) {
      sink(std::span(it->second.data(), it->second.size()));
      return {};
    }
    if (e.random_access) {
      std::vector<unsigned char> buf(1 << 20);
      const uint64_t end = std::min<uint64_t>(e.offset + e.size, size_);
      for (uint64_t off = e.offset; off < end;) {
        const size_t want = static_cast<size_t>(std::min<uint64_t>(buf.size(), end - off));
        auto n = pread_full(fd_.get(), buf.data(), want, off, e.name);
        if (!n) return n.error();
        if (*n == 0) break;
        if (!sink(std::span(buf.data(), *n))) break;
        off += *n;
      }
      return {};
    }
    // No random access: decompress to the entry (or its hard-link target).
    // Parsers read in entry order, so a cursor left where the last read
    // stopped turns many reads into one pass; a read behind the cursor (or
    // one made from inside a sink, when the cursor is busy) starts afresh.
    uint32_t want = e.ordinal;
    if (auto h = hardlink_target_.find(e.ordinal); h != hardlink_target_.end()) want = h->second;
    std::unique_lock lock(cursor_mu_, std::try_to_lock);
    Cursor fresh;
    Cursor& cur = lock.owns_lock() ? cursor_ : fresh;
    if (!cur.archive || cur.next > want) {
      auto a = open_archive(location_);
      if (!a) return a.error();
      cur.archive = std::move(*a);
      cur.next = 0;
    }
    archive_entry* ae = nullptr;
    for (;;) {
      int r = archive_read_next_header(cur.archive.get(), &ae);
      while (r == ARCHIVE_RETRY) r = archive_read_next_header(cur.archive.get(), &ae);
      if (r == ARCHIVE_EOF || r < ARCHIVE_WARN) {
        cur.archive.reset();
        return make_error(Errc::io, fmt::format("{}: entry {} not reached on re-read", location_.string(), e.name));
      }
      if (cur.next++ != want) continue;
      std::vector<unsigned char> buf(1 << 20);
      for (;;) {
        const la_ssize_t n = archive_read_data(cur.archive.get(), buf.data(), buf.size());
        if (n < 0) {
          auto err = make_error(
              Errc::io, fmt::format("{}: entry {}: {}", location_.string(), e.name,
                                    archive_error_string(cur.archive.get()) ? archive_error_string(cur.archive.get())
                                                                            : "read error"));
          cur.archive.reset();
          return err;
        }
        if (n == 0) break;
        if (!sink(std::span(buf.data(), static_cast<size_t>(n)))) break;  // the next header skips the rest
      }
      return {};
    }
  }

  Result<ContainerDigest> container_digest() override {
    if (!hash_) hash_ = std::make_unique<HashPass>(location_, opts_.md5, opts_.on_hash_progress);
    return hash_->wait();
  }

 private:
  SourceOptions opts_;
  UniqueFd fd_;
  uint64_t size_ = 0;
  bool compressed_ = false;
  bool contiguous_ = false;
  uint64_t absolute_names_ = 0;
  std::map<uint32_t, Bytes> retained_;
  std::map<uint32_t, uint32_t> hardlink_target_;
  struct Cursor {
    ArchivePtr archive;  // positioned after entry `next - 1`
    uint32_t next = 0;   // ordinal of the next header it will read
  };
  mutable std::mutex cursor_mu_;
  mutable Cursor cursor_;
  std::unique_ptr<HashPass> hash_;
};

}  // namespace

Result<std::unique_ptr<Source>> open_archive_source(const std::filesystem::path& file, const SourceOptions& options) {
  auto src = std::make_unique<ArchiveSource>(file, options);
  if (auto st = src->index(); !st) return std::move(st).error();
  return std::unique_ptr<Source>(std::move(src));
}

}  // namespace remit::detail
