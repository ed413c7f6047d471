// Zip evidence via libzip (https://libzip.org/documentation/): the central
// directory gives names, sizes and times; entries are read on demand with
// zip_fopen_index (random access). Unix symlinks are recognised from the
// external attributes (mode in the upper 16 bits when the creator is UNIX).
// libzip handles are not thread-safe, so each read borrows a handle from a
// small pool (opening another one when all are busy). No lock is held while
// a sink runs, so a sink may read other entries of the same source (the UFDR
// parser hashes attachments while it streams report.xml).
#include "source/zip_source.hpp"

#include <fmt/format.h>
#include <sys/stat.h>
#include <zip.h>

#include <algorithm>
#include <mutex>

#include "source/hash_pass.hpp"

namespace remit::detail {
namespace {

struct ZipClose {
  void operator()(zip_t* z) const noexcept { zip_discard(z); }
};
struct ZipFileClose {
  void operator()(zip_file_t* f) const noexcept { zip_fclose(f); }
};

class ZipSource final : public Source {
 public:
  ZipSource(std::filesystem::path file, SourceOptions opts, SourceKind kind)
      : Source(std::move(file)), opts_(std::move(opts)), kind_(kind) {}

  Status index() {
    struct stat st {};
    if (::stat(location_.c_str(), &st) != 0) return make_error(Errc::not_found, location_.string() + ": cannot stat");
    size_ = static_cast<uint64_t>(st.st_size);
    int err = 0;
    std::unique_ptr<zip_t, ZipClose> zip(zip_open(location_.c_str(), ZIP_RDONLY, &err));
    if (!zip) {
      zip_error_t ze;
      zip_error_init_with_code(&ze, err);
      auto e = make_error(Errc::malformed,
                          fmt::format("{}: not a readable zip: {}", location_.string(), zip_error_strerror(&ze)));
      zip_error_fini(&ze);
      return e;
    }
    const zip_int64_t n = zip_get_num_entries(zip.get(), 0);
    uint64_t absolute = 0;
    for (zip_int64_t i = 0; i < n; ++i) {
      zip_stat_t zs;
      zip_stat_init(&zs);
      if (zip_stat_index(zip.get(), static_cast<zip_uint64_t>(i), ZIP_FL_ENC_GUESS, &zs) != 0) {
        note("unreadable_entry", fmt::format("#{}", i), "central directory record could not be read");
        continue;
      }
      Entry e;
      e.name = (zs.valid & ZIP_STAT_NAME) && zs.name ? zs.name : "";
      e.offset = static_cast<uint64_t>(i);
      e.random_access = true;
      if (zs.valid & ZIP_STAT_SIZE) e.size = zs.size;
      if (zs.valid & ZIP_STAT_MTIME) e.mtime_ns = static_cast<int64_t>(zs.mtime) * 1'000'000'000;
      e.type =
          (!e.name.empty() && (e.name.back() == '/' || e.name.back() == '\\')) ? EntryType::directory : EntryType::file;
      zip_uint8_t opsys = 0;
      zip_uint32_t attr = 0;
      if (zip_file_get_external_attributes(zip.get(), static_cast<zip_uint64_t>(i), 0, &opsys, &attr) == 0 &&
          opsys == ZIP_OPSYS_UNIX) {
        const mode_t mode = attr >> 16;
        if (S_ISLNK(mode)) {
          e.type = EntryType::symlink;
          note("symlink", e.name, "symbolic link recorded, not followed");
        } else if (S_ISDIR(mode)) {
          e.type = EntryType::directory;
        }
      }
      if (e.type == EntryType::file && e.size > opts_.max_entry_bytes)
        note("size_over_limit", e.name,
             fmt::format("declared size {} exceeds the read limit {}; not read into memory", e.size,
                         opts_.max_entry_bytes));
      auto norm = normalise_entry_path(e.name);
      if (!norm) {
        note("path_traversal", e.name, "entry name contains '..' or NUL; not matched and never used as a path");
      } else {
        if (!e.name.empty() && (e.name.front() == '/' || e.name.front() == '\\')) ++absolute;
        e.path = *norm;
      }
      entries_.push_back(std::move(e));
    }
    if (absolute > 0)
      note("absolute_names", "",
           fmt::format("{} entries have absolute names; the leading '/' is stripped for matching", absolute));
    finish_index();
    pool_.push_back(std::move(zip));
    if (opts_.hash_container) hash_ = std::make_unique<HashPass>(location_, opts_.md5, opts_.on_hash_progress);
    return {};
  }

  SourceKind kind() const noexcept override { return kind_; }
  uint64_t container_size() const noexcept override { return size_; }

  Result<Bytes> read(const Entry& e, uint64_t limit) const override {
    const uint64_t cap = std::min(limit, opts_.max_entry_bytes);
    if (e.type != EntryType::file) return make_error(Errc::not_found, e.name + ": not a regular file");
    if (e.size > cap)
      return make_error(Errc::too_large, fmt::format("{}: {} bytes exceeds the read limit of {}", e.name, e.size, cap));
    Bytes out;
    out.reserve(e.size);
    auto st = stream(e, [&](std::span<const unsigned char> chunk) {
      if (out.size() + chunk.size() > cap) return false;  // more data than declared: stop at the cap
      out.insert(out.end(), chunk.begin(), chunk.end());
      return true;
    });
    if (!st) return std::move(st).error();
    return out;
  }

  Status stream(const Entry& e, const std::function<bool(std::span<const unsigned char>)>& sink) const override {
    if (e.type != EntryType::file) return make_error(Errc::not_found, e.name + ": not a regular file");
    Lease lease(*this);
    if (!lease.zip)
      return make_error(Errc::io, fmt::format("{}: cannot reopen the zip to read {}", location_.string(), e.name));
    std::unique_ptr<zip_file_t, ZipFileClose> f(zip_fopen_index(lease.zip, e.offset, 0));
    if (!f)
      return make_error(
          Errc::io, fmt::format("{}: cannot open entry {}: {}", location_.string(), e.name, zip_strerror(lease.zip)));
    // Sized to the entry (small files are common) and left uninitialised.
    const size_t cap = static_cast<size_t>(std::clamp<uint64_t>(e.size, 4096, 1 << 20));
    std::unique_ptr<unsigned char[]> buf(new unsigned char[cap]);
    for (;;) {
      const zip_int64_t n = zip_fread(f.get(), buf.get(), cap);
      if (n < 0)
        return make_error(Errc::io, fmt::format("{}: entry {} is damaged: {}", location_.string(), e.name,
                                                zip_file_strerror(f.get())));
      if (n == 0) break;
      if (!sink(std::span(buf.get(), static_cast<size_t>(n)))) break;
    }
    return {};
  }

  Result<ContainerDigest> container_digest() override {
    if (!hash_) hash_ = std::make_unique<HashPass>(location_, opts_.md5, opts_.on_hash_progress);
    return hash_->wait();
  }

 private:
  // A libzip handle borrowed for one read; returned to the pool after.
  struct Lease {
    explicit Lease(const ZipSource& s) : src(s) {
      {
        std::lock_guard lock(s.mu_);
        if (!s.pool_.empty()) {
          zip = s.pool_.back().release();
          s.pool_.pop_back();
          return;
        }
      }
      int err = 0;
      zip = zip_open(s.location_.c_str(), ZIP_RDONLY, &err);
    }
    ~Lease() {
      if (!zip) return;
      std::lock_guard lock(src.mu_);
      src.pool_.emplace_back(zip);
    }
    Lease(const Lease&) = delete;
    Lease& operator=(const Lease&) = delete;
    const ZipSource& src;
    zip_t* zip = nullptr;
  };

  SourceOptions opts_;
  SourceKind kind_;
  uint64_t size_ = 0;
  mutable std::mutex mu_;
  mutable std::vector<std::unique_ptr<zip_t, ZipClose>> pool_;  // idle handles (the indexing one first)
  std::unique_ptr<HashPass> hash_;
};

}  // namespace

Result<std::unique_ptr<Source>> open_zip_source(const std::filesystem::path& file, const SourceOptions& options,
                                                SourceKind kind) {
  auto src = std::make_unique<ZipSource>(file, options, kind);
  if (auto st = src->index(); !st) return std::move(st).error();
  return std::unique_ptr<Source>(std::move(src));
}

}  // namespace remit::detail
