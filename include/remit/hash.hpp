#pragma once
// Hashing (OpenSSL EVP): incremental SHA-256 / MD5 / SHA-1 with RAII over
// EVP_MD_CTX, and hex helpers.
//
// A Hasher is single-threaded (thread-compatible); distinct Hashers may be
// used on distinct threads.

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <span>
#include <string>
#include <string_view>

#include "remit/status.hpp"

namespace remit {

enum class HashAlgo { sha256, md5, sha1 };

class Hasher {
 public:
  explicit Hasher(HashAlgo algo = HashAlgo::sha256);
  ~Hasher();
  Hasher(Hasher&&) noexcept;
  Hasher& operator=(Hasher&&) noexcept;
  Hasher(const Hasher&) = delete;
  Hasher& operator=(const Hasher&) = delete;

  void update(std::span<const unsigned char> data);
  void update(std::string_view data);
  // Finishes and returns the lower-case hex digest. The Hasher is reset.
  [[nodiscard]] std::string hex_final();
  // Finishes and returns the raw digest bytes. The Hasher is reset.
  [[nodiscard]] std::string raw_final();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

[[nodiscard]] std::string sha256_hex(std::string_view data);
[[nodiscard]] std::string sha256_hex(std::span<const unsigned char> data);
[[nodiscard]] std::string sha1_hex(std::string_view data);
[[nodiscard]] std::string to_hex(std::span<const unsigned char> data);
[[nodiscard]] std::string to_hex(std::string_view data);

// Streams a file (opened read-only) through SHA-256. Used for outputs and
// for folder evidence; container evidence is hashed by the Source.
[[nodiscard]] Result<std::string> sha256_file(const std::filesystem::path& path);

}  // namespace remit
