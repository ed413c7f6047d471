#pragma once
// RAII file descriptor and positional reads for evidence files. Internal to
// src/source. Evidence is always opened O_RDONLY.

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <filesystem>
#include <string>

#include "remit/status.hpp"

namespace remit::detail {

class UniqueFd {
 public:
  UniqueFd() = default;
  explicit UniqueFd(int fd) : fd_(fd) {}
  ~UniqueFd() { reset(); }
  UniqueFd(UniqueFd&& o) noexcept : fd_(o.fd_) { o.fd_ = -1; }
  UniqueFd& operator=(UniqueFd&& o) noexcept {
    if (this != &o) {
      reset();
      fd_ = o.fd_;
      o.fd_ = -1;
    }
    return *this;
  }
  UniqueFd(const UniqueFd&) = delete;
  UniqueFd& operator=(const UniqueFd&) = delete;
  [[nodiscard]] int get() const noexcept { return fd_; }
  [[nodiscard]] bool valid() const noexcept { return fd_ >= 0; }
  void reset() noexcept {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
  }

 private:
  int fd_ = -1;
};

// Opens evidence read-only. `nofollow` refuses a symlink as the last component.
[[nodiscard]] Result<UniqueFd> open_readonly(const std::filesystem::path& p, bool nofollow = false);

// Reads exactly `n` bytes at `offset` unless EOF comes first; returns bytes read.
[[nodiscard]] Result<size_t> pread_full(int fd, void* buf, size_t n, uint64_t offset, const std::string& label);

}  // namespace remit::detail
