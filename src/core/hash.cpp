// OpenSSL EVP hashing with RAII (include/remit/hash.hpp).
#include "remit/hash.hpp"

#include <fcntl.h>
#include <openssl/evp.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <vector>

namespace remit {

struct Hasher::Impl {
  struct CtxFree {
    void operator()(EVP_MD_CTX* c) const noexcept { EVP_MD_CTX_free(c); }
  };
  std::unique_ptr<EVP_MD_CTX, CtxFree> ctx{EVP_MD_CTX_new()};
  const EVP_MD* md = nullptr;
  void init() {
    if (!ctx || EVP_DigestInit_ex(ctx.get(), md, nullptr) != 1) throw std::runtime_error("EVP_DigestInit_ex failed");
  }
};

Hasher::Hasher(HashAlgo algo) : impl_(std::make_unique<Impl>()) {
  switch (algo) {
    case HashAlgo::sha256:
      impl_->md = EVP_sha256();
      break;
    case HashAlgo::md5:
      impl_->md = EVP_md5();
      break;
    case HashAlgo::sha1:
      impl_->md = EVP_sha1();
      break;
  }
  impl_->init();
}
Hasher::~Hasher() = default;
Hasher::Hasher(Hasher&&) noexcept = default;
Hasher& Hasher::operator=(Hasher&&) noexcept = default;

void Hasher::update(std::span<const unsigned char> data) {
  if (!data.empty()) EVP_DigestUpdate(impl_->ctx.get(), data.data(), data.size());
}
void Hasher::update(std::string_view data) {
  if (!data.empty()) EVP_DigestUpdate(impl_->ctx.get(), data.data(), data.size());
}

std::string Hasher::raw_final() {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int n = 0;
  EVP_DigestFinal_ex(impl_->ctx.get(), out, &n);
  impl_->init();
  return std::string(reinterpret_cast<const char*>(out), n);
}

std::string Hasher::hex_final() {
  return to_hex(raw_final());
}

std::string to_hex(std::span<const unsigned char> data) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string s(data.size() * 2, '0');
  for (size_t i = 0; i < data.size(); ++i) {
    s[2 * i] = kDigits[data[i] >> 4];
    s[2 * i + 1] = kDigits[data[i] & 15];
  }
  return s;
}
std::string to_hex(std::string_view data) {
  return to_hex(std::span(reinterpret_cast<const unsigned char*>(data.data()), data.size()));
}

std::string sha256_hex(std::string_view data) {
  Hasher h;
  h.update(data);
  return h.hex_final();
}
std::string sha256_hex(std::span<const unsigned char> data) {
  Hasher h;
  h.update(data);
  return h.hex_final();
}
std::string sha1_hex(std::string_view data) {
  Hasher h(HashAlgo::sha1);
  h.update(data);
  return h.hex_final();
}

Result<std::string> sha256_file(const std::filesystem::path& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return make_error(Errc::io, path.string() + ": cannot open: " + std::strerror(errno));
  Hasher h;
  std::vector<unsigned char> buf(1 << 20);
  for (;;) {
    const ssize_t n = ::read(fd, buf.data(), buf.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      const int err = errno;
      ::close(fd);
      return make_error(Errc::io, path.string() + ": read failed: " + std::strerror(err));
    }
    if (n == 0) break;
    h.update(std::span(buf.data(), static_cast<size_t>(n)));
  }
  ::close(fd);
  return h.hex_final();
}

}  // namespace remit
