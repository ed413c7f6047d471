#include "source/hash_pass.hpp"

#include <fcntl.h>
#include <sys/stat.h>

#include <cstring>
#include <vector>

#include "remit/hash.hpp"
#include "source/fd.hpp"

namespace remit::detail {

HashPass::HashPass(std::filesystem::path file, bool md5, std::function<void(uint64_t, uint64_t)> progress)
    : file_(std::move(file)), md5_(md5), progress_(std::move(progress)) {
  thread_ = std::thread([this] { run(); });
}

HashPass::~HashPass() {
  stop_ = true;
  std::lock_guard lock(mu_);
  if (!joined_ && thread_.joinable()) thread_.join();
}

void HashPass::run() {
  auto fd = open_readonly(file_);
  if (!fd) {
    result_ = Result<ContainerDigest>(fd.error());
    return;
  }
  struct stat st {};
  ::fstat(fd->get(), &st);
  const auto total = static_cast<uint64_t>(st.st_size);
  ::posix_fadvise(fd->get(), 0, 0, POSIX_FADV_SEQUENTIAL);
  Hasher sha(HashAlgo::sha256);
  std::optional<Hasher> md5;
  if (md5_) md5.emplace(HashAlgo::md5);
  std::vector<unsigned char> buf(8 << 20);
  uint64_t done = 0;
  for (;;) {
    if (stop_) {
      result_ = Result<ContainerDigest>(make_error(Errc::internal, file_.string() + ": hash pass cancelled"));
      return;
    }
    const ssize_t n = ::read(fd->get(), buf.data(), buf.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      result_ = Result<ContainerDigest>(
          make_error(Errc::io, file_.string() + ": read failed while hashing: " + std::strerror(errno)));
      return;
    }
    if (n == 0) break;
    const std::span<const unsigned char> chunk(buf.data(), static_cast<size_t>(n));
    sha.update(chunk);
    if (md5) md5->update(chunk);
    done += static_cast<uint64_t>(n);
    if (progress_) progress_(done, total);
  }
  ContainerDigest d;
  d.sha256 = sha.hex_final();
  if (md5) d.md5 = md5->hex_final();
  d.bytes = done;
  result_ = Result<ContainerDigest>(std::move(d));
}

Result<ContainerDigest> HashPass::wait() {
  std::lock_guard lock(mu_);
  if (!joined_) {
    thread_.join();
    joined_ = true;
  }
  return *result_;
}

}  // namespace remit::detail
