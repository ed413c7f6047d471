#include "source/fd.hpp"

#include <cstring>

namespace remit::detail {

Result<UniqueFd> open_readonly(const std::filesystem::path& p, bool nofollow) {
  int flags = O_RDONLY | O_CLOEXEC;
  if (nofollow) flags |= O_NOFOLLOW;
  const int fd = ::open(p.c_str(), flags);
  if (fd < 0) {
    const int err = errno;
    return make_error(err == ENOENT ? Errc::not_found : Errc::io,
                      p.string() + ": cannot open for reading: " + std::strerror(err));
  }
  return UniqueFd(fd);
}

Result<size_t> pread_full(int fd, void* buf, size_t n, uint64_t offset, const std::string& label) {
  size_t done = 0;
  auto* p = static_cast<unsigned char*>(buf);
  while (done < n) {
    const ssize_t r = ::pread(fd, p + done, n - done, static_cast<off_t>(offset + done));
    if (r < 0) {
      if (errno == EINTR) continue;
      return make_error(Errc::io, label + ": read failed: " + std::strerror(errno));
    }
    if (r == 0) break;
    done += static_cast<size_t>(r);
  }
  return done;
}

}  // namespace remit::detail
