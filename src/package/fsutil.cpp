// Durable, atomic output (src/package/fsutil.hpp).
#include "package/fsutil.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <fmt/format.h>
#include <openssl/rand.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstring>

#include "remit/hash.hpp"

namespace remit::pkg {
namespace {

constexpr std::string_view kPartial = ".remit-partial.";

Error io_error(const fs::path& p, std::string_view what) {
  return make_error(Errc::io, fmt::format("{}: {}: {}", p.string(), what, std::strerror(errno)));
}

Status write_all(int fd, std::string_view data, const fs::path& p) {
  size_t off = 0;
  while (off < data.size()) {
    const ssize_t n = ::write(fd, data.data() + off, data.size() - off);
    if (n < 0) {
      if (errno == EINTR) continue;
      return io_error(p, "write failed");
    }
    off += static_cast<size_t>(n);
  }
  return {};
}

std::string random_hex(size_t bytes) {
  std::string raw(bytes, '\0');
  if (RAND_bytes(reinterpret_cast<unsigned char*>(raw.data()), static_cast<int>(bytes)) != 1) {
    // Fall back to something unique enough for a folder name.
    raw = fmt::format("{:016x}", static_cast<unsigned long long>(::getpid()) * 2654435761ULL ^
                                     static_cast<unsigned long long>(::time(nullptr)));
  }
  return to_hex(raw).substr(0, bytes * 2);
}

// ".hint.remit-partial.<pid>.<rand>" -> pid, or -1.
long pid_of_staging(std::string_view name, std::string_view hint_prefix) {
  if (name.substr(0, hint_prefix.size()) != hint_prefix) return -1;
  std::string_view rest = name.substr(hint_prefix.size());
  const auto dot = rest.find('.');
  if (dot == std::string_view::npos || dot == 0) return -1;
  long pid = 0;
  for (char c : rest.substr(0, dot)) {
    if (c < '0' || c > '9') return -1;
    pid = pid * 10 + (c - '0');
    if (pid > 1L << 30) return -1;
  }
  const auto rnd = rest.substr(dot + 1);
  if (rnd.empty()) return -1;
  for (char c : rnd)
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return -1;
  return pid;
}

bool remove_tree(const fs::path& p) noexcept {
  std::error_code ec;
  // Make folders writable again in case a test chmod'ed them.
  fs::remove_all(p, ec);
  return !ec;
}

// Removes stale staging folders of this hint in `parent`; returns how many.
size_t remove_stale(const fs::path& parent, std::string_view hint) {
  const std::string prefix = "." + std::string(hint) + std::string(kPartial);
  size_t removed = 0;
  DIR* d = ::opendir(parent.c_str());
  if (!d) return 0;
  std::vector<std::string> names;
  while (dirent* de = ::readdir(d)) names.emplace_back(de->d_name);
  ::closedir(d);
  for (const auto& name : names) {
    if (name.size() > 5 && name.substr(name.size() - 5) == ".lock") continue;
    const long pid = pid_of_staging(name, prefix);
    if (pid < 0) continue;
    const fs::path dir = parent / name;
    struct stat st {};
    if (::lstat(dir.c_str(), &st) != 0 || !S_ISDIR(st.st_mode) || st.st_uid != ::getuid()) continue;
    const fs::path lock = parent / (name + ".lock");
    bool stale = false;
    const int fd = ::open(lock.c_str(), O_RDWR | O_CLOEXEC | O_NOFOLLOW);
    if (fd >= 0) {
      if (::flock(fd, LOCK_EX | LOCK_NB) == 0) stale = true;  // its writer is gone
      if (stale) {
        remove_tree(dir);
        ::unlink(lock.c_str());
      }
      ::close(fd);
    } else if (errno == ENOENT) {
      // Killed before the lock existed, or after it was removed: trust the pid.
      if (pid != ::getpid() && ::kill(static_cast<pid_t>(pid), 0) != 0 && errno == ESRCH) {
        stale = true;
        remove_tree(dir);
      }
    }
    if (stale) ++removed;
  }
  // Orphaned lock files (their folder is gone).
  for (const auto& name : names) {
    if (name.size() <= 5 || name.substr(name.size() - 5) != ".lock") continue;
    const std::string base = name.substr(0, name.size() - 5);
    if (pid_of_staging(base, prefix) < 0) continue;
    std::error_code ec;
    if (fs::exists(parent / base, ec)) continue;
    const fs::path lock = parent / name;
    const int fd = ::open(lock.c_str(), O_RDWR | O_CLOEXEC | O_NOFOLLOW);
    if (fd < 0) continue;
    if (::flock(fd, LOCK_EX | LOCK_NB) == 0) ::unlink(lock.c_str());
    ::close(fd);
  }
  return removed;
}

}  // namespace

Status write_file_durable(const fs::path& path, std::string_view data, unsigned mode) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, mode);
  if (fd < 0) return io_error(path, "cannot create");
  auto st = write_all(fd, data, path);
  if (st && ::fsync(fd) != 0) st = io_error(path, "fsync failed");
  if (::close(fd) != 0 && st) st = io_error(path, "close failed");
  if (!st) ::unlink(path.c_str());
  return st;
}

Status replace_file_durable(const fs::path& path, std::string_view data, unsigned mode) {
  const fs::path tmp = path.parent_path() / ("." + path.filename().string() + ".tmp." + random_hex(6));
  if (auto st = write_file_durable(tmp, data, mode); !st) return st;
  if (::rename(tmp.c_str(), path.c_str()) != 0) {
    auto e = io_error(path, "cannot replace");
    ::unlink(tmp.c_str());
    return e;
  }
  return fsync_path(path.parent_path().empty() ? fs::path(".") : path.parent_path(), true);
}

Status fsync_path(const fs::path& path, bool directory) {
  const int fd = ::open(path.c_str(), (directory ? O_RDONLY | O_DIRECTORY : O_RDONLY) | O_CLOEXEC | O_NOFOLLOW);
  if (fd < 0) return io_error(path, "cannot open to sync");
  Status st;
  if (::fsync(fd) != 0 && errno != EINVAL) st = io_error(path, "fsync failed");
  ::close(fd);
  return st;
}

Status fsync_tree(const fs::path& root) {
  std::error_code ec;
  std::vector<fs::path> dirs{root};
  for (auto it = fs::recursive_directory_iterator(root, ec); !ec && it != fs::recursive_directory_iterator();
       it.increment(ec)) {
    const auto s = it->symlink_status(ec);
    if (ec) break;
    if (fs::is_directory(s))
      dirs.push_back(it->path());
    else if (fs::is_regular_file(s)) {
      if (auto st = fsync_path(it->path(), false); !st) return st;
    }
  }
  if (ec) return make_error(Errc::io, fmt::format("{}: cannot list: {}", root.string(), ec.message()));
  // Children before parents, so each folder's entries are durable first.
  for (auto d = dirs.rbegin(); d != dirs.rend(); ++d)
    if (auto st = fsync_path(*d, true); !st) return st;
  return {};
}

Result<std::string> read_small_file(const fs::path& path, uint64_t limit) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
  if (fd < 0)
    return make_error(errno == ENOENT ? Errc::not_found : Errc::io,
                      fmt::format("{}: cannot open: {}", path.string(), std::strerror(errno)));
  struct stat st {};
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    ::close(fd);
    return make_error(Errc::malformed, path.string() + ": not a regular file");
  }
  if (static_cast<uint64_t>(st.st_size) > limit) {
    ::close(fd);
    return make_error(Errc::too_large,
                      fmt::format("{}: {} bytes is more than the {} expected", path.string(), st.st_size, limit));
  }
  std::string out;
  out.resize(static_cast<size_t>(st.st_size));
  size_t off = 0;
  while (off < out.size()) {
    const ssize_t n = ::read(fd, out.data() + off, out.size() - off);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    off += static_cast<size_t>(n);
  }
  ::close(fd);
  out.resize(off);
  return out;
}

bool is_staging_name(std::string_view name) noexcept {
  if (name.empty() || name.front() != '.') return false;
  const auto at = name.find(kPartial);
  if (at == std::string_view::npos) return false;
  return pid_of_staging(name, name.substr(0, at + kPartial.size())) >= 0;
}

Result<Staging> Staging::create(const fs::path& target_in, bool replace_existing, const fs::path& staging_parent,
                                std::string name_hint) {
  if (target_in.empty()) return make_error(Errc::usage, "no output folder given");
  fs::path target = fs::absolute(target_in).lexically_normal();
  if (!target.has_filename()) target = target.parent_path();
  const fs::path parent = target.parent_path();
  std::error_code ec;
  if (!fs::is_directory(parent, ec))
    return make_error(Errc::not_found, fmt::format("{}: the folder to write into does not exist", parent.string()));
  struct stat st {};
  if (::lstat(target.c_str(), &st) == 0) {
    if (!replace_existing)
      return make_error(Errc::refused, fmt::format("{}: already exists; remit never overwrites a package (choose "
                                                   "another --out, or move the old one away)",
                                                   target.string()));
    if (!S_ISDIR(st.st_mode)) return make_error(Errc::refused, target.string() + ": exists and is not a folder");
  }
  const fs::path where = staging_parent.empty() ? parent : fs::absolute(staging_parent).lexically_normal();
  if (name_hint.empty()) name_hint = target.filename().string();

  Staging s;
  s.target_ = target;
  s.replace_ = replace_existing;
  s.stale_removed_ = remove_stale(where, name_hint);
  const std::string name = fmt::format(".{}{}{}.{}", name_hint, kPartial, static_cast<long>(::getpid()), random_hex(8));
  s.dir_ = where / name;
  s.lock_path_ = where / (name + ".lock");
  // Lock first: a folder without its lock is judged by its pid only.
  s.lock_fd_ = ::open(s.lock_path_.c_str(), O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
  if (s.lock_fd_ < 0) return io_error(s.lock_path_, "cannot create the staging lock");
  if (::flock(s.lock_fd_, LOCK_EX | LOCK_NB) != 0) return io_error(s.lock_path_, "cannot lock");
  if (::mkdir(s.dir_.c_str(), 0755) != 0) return io_error(s.dir_, "cannot create the staging folder");
  return s;
}

Staging::~Staging() {
  if (!committed_) discard();
  if (lock_fd_ >= 0) {
    ::unlink(lock_path_.c_str());
    ::close(lock_fd_);
  }
}

Staging::Staging(Staging&& o) noexcept
    : target_(std::move(o.target_)),
      dir_(std::move(o.dir_)),
      lock_path_(std::move(o.lock_path_)),
      lock_fd_(o.lock_fd_),
      committed_(o.committed_),
      replace_(o.replace_),
      stale_removed_(o.stale_removed_) {
  o.lock_fd_ = -1;
  o.committed_ = true;  // the moved-from object owns nothing
  o.dir_.clear();
}

Staging& Staging::operator=(Staging&& o) noexcept {
  if (this != &o) {
    this->~Staging();
    new (this) Staging(std::move(o));
  }
  return *this;
}

void Staging::discard() noexcept {
  if (!dir_.empty()) remove_tree(dir_);
}

Status Staging::commit() {
  if (committed_) return make_error(Errc::internal, "staging committed twice");
  if (auto st = fsync_tree(dir_); !st) return st;
  const fs::path parent = target_.parent_path();
  std::error_code ec;
  const bool exists = fs::exists(fs::symlink_status(target_, ec));
  if (exists && replace_) {
    if (::renameat2(AT_FDCWD, dir_.c_str(), AT_FDCWD, target_.c_str(), RENAME_EXCHANGE) != 0)
      return io_error(target_, "cannot swap in the new folder");
    committed_ = true;
    // dir_ now holds the old content.
    remove_tree(dir_);
  } else {
    if (::renameat2(AT_FDCWD, dir_.c_str(), AT_FDCWD, target_.c_str(), RENAME_NOREPLACE) != 0) {
      if (errno == EEXIST)
        return make_error(Errc::refused, target_.string() + ": appeared while remit was writing; nothing replaced");
      return io_error(target_, "cannot move the finished folder into place");
    }
    committed_ = true;
  }
  if (auto st = fsync_path(parent, true); !st) return st;
  if (dir_.parent_path() != parent)
    if (auto st = fsync_path(dir_.parent_path(), true); !st) return st;
  return {};
}

}  // namespace remit::pkg
