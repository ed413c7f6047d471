// Folder evidence: an inventory of every file (path, size, mtime). Only the
// files that are parsed or exported are read (and hashed by their readers).
// The "container digest" of a folder is the SHA-256 of the sorted inventory
// listing (docs/sources.md), marked `inventory`.
#include "source/directory_source.hpp"

#include <fmt/format.h>
#include <sys/stat.h>

#include <algorithm>
#include <cstring>

#include "remit/hash.hpp"
#include "source/fd.hpp"

namespace remit::detail {
namespace {

class DirectorySource final : public Source {
 public:
  DirectorySource(std::filesystem::path root, SourceOptions opts) : Source(std::move(root)), opts_(std::move(opts)) {}

  Status index() {
    std::error_code ec;
    auto it = std::filesystem::recursive_directory_iterator(
        location_, std::filesystem::directory_options::skip_permission_denied, ec);
    if (ec) return make_error(Errc::io, location_.string() + ": cannot list folder: " + ec.message());
    for (auto end = std::filesystem::recursive_directory_iterator(); it != end; it.increment(ec)) {
      if (ec) {
        note("unreadable_folder", it->path().string(), "folder could not be listed: " + ec.message());
        ec.clear();
        continue;
      }
      const auto& de = *it;
      struct stat st {};
      if (::lstat(de.path().c_str(), &st) != 0) {
        note("unreadable_entry", de.path().string(), std::strerror(errno));
        continue;
      }
      Entry e;
      e.name = std::filesystem::relative(de.path(), location_, ec).generic_string();
      if (ec) {
        ec.clear();
        continue;
      }
      e.size = static_cast<uint64_t>(st.st_size);
      e.mtime_ns = static_cast<int64_t>(st.st_mtim.tv_sec) * 1'000'000'000 + st.st_mtim.tv_nsec;
      e.random_access = true;
      if (S_ISREG(st.st_mode)) {
        e.type = EntryType::file;
        total_ += e.size;
      } else if (S_ISDIR(st.st_mode)) {
        e.type = EntryType::directory;
        e.size = 0;
      } else if (S_ISLNK(st.st_mode)) {
        e.type = EntryType::symlink;
        e.size = 0;
        std::error_code lec;
        e.link_target = std::filesystem::read_symlink(de.path(), lec).string();
        note("symlink", e.name, "symbolic link recorded, not followed");
        it.disable_recursion_pending();
      } else {
        e.type = EntryType::other;
        e.size = 0;
        note("special_file", e.name, "device, socket or pipe skipped");
      }
      auto norm = normalise_entry_path(e.name);
      e.path = norm ? *norm : std::string();
      entries_.push_back(std::move(e));
    }
    // Deterministic order, independent of the file system's.
    std::sort(entries_.begin(), entries_.end(), [](const Entry& a, const Entry& b) { return a.name < b.name; });
    finish_index();
    return {};
  }

  SourceKind kind() const noexcept override { return SourceKind::folder; }
  uint64_t container_size() const noexcept override { return total_; }

  Result<Bytes> read(const Entry& e, uint64_t limit) const override {
    if (e.type != EntryType::file) return make_error(Errc::not_found, e.name + ": not a regular file");
    if (e.size > limit || e.size > opts_.max_entry_bytes)
      return make_error(Errc::too_large, fmt::format("{}: {} bytes exceeds the read limit", e.name, e.size));
    auto fd = open_readonly(location_ / e.name, /*nofollow=*/true);
    if (!fd) return fd.error();
    struct stat st {};
    ::fstat(fd->get(), &st);
    const auto size = std::min<uint64_t>(static_cast<uint64_t>(st.st_size), std::min(limit, opts_.max_entry_bytes));
    Bytes b(size);
    auto n = pread_full(fd->get(), b.data(), b.size(), 0, e.name);
    if (!n) return n.error();
    b.resize(*n);
    return b;
  }

  Status stream(const Entry& e, const std::function<bool(std::span<const unsigned char>)>& sink) const override {
    auto fd = open_readonly(location_ / e.name, /*nofollow=*/true);
    if (!fd) return fd.error();
    std::vector<unsigned char> buf(1 << 20);
    uint64_t off = 0;
    for (;;) {
      auto n = pread_full(fd->get(), buf.data(), buf.size(), off, e.name);
      if (!n) return n.error();
      if (*n == 0) break;
      if (!sink(std::span(buf.data(), *n))) break;
      off += *n;
    }
    return {};
  }

  Result<ContainerDigest> container_digest() override {
    Hasher h;
    for (const Entry& e : entries_) {
      h.update(fmt::format("{}\t{}\t{}\t{}\n", e.name, static_cast<int>(e.type), e.size, e.mtime_ns.value_or(0)));
    }
    ContainerDigest d;
    d.sha256 = h.hex_final();
    d.inventory = true;
    d.bytes = total_;
    return d;
  }

 private:
  SourceOptions opts_;
  uint64_t total_ = 0;
};

}  // namespace

Result<std::unique_ptr<Source>> open_directory_source(const std::filesystem::path& root, const SourceOptions& options) {
  auto src = std::make_unique<DirectorySource>(root, options);
  if (auto st = src->index(); !st) return std::move(st).error();
  return std::unique_ptr<Source>(std::move(src));
}

}  // namespace remit::detail
