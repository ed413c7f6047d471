#pragma once
// Ed25519 signing keys (OpenSSL EVP) for evidence packages, and the small
// encodings the package formats use (base64). docs/package.md describes
// every signed message.
//
// Contracts:
//  - Key files: the private key is PKCS#8 PEM, written with mode 0600;
//    the public key is SubjectPublicKeyInfo PEM in KEYFILE.pub.
//  - A PublicKey is the raw 32-byte Ed25519 key; it is written into
//    manifests as standard base64 (44 characters).
//  - Signatures are raw 64-byte Ed25519 signatures (pure Ed25519, no
//    pre-hash), written as base64.
//  - SigningKey is immutable after loading; sign() is const and may be
//    called from several threads (each call makes its own EVP context).
//  - Nothing here ever prints or logs key material.

#include <array>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "remit/status.hpp"

namespace remit {

struct PublicKey {
  std::array<unsigned char, 32> raw{};

  [[nodiscard]] std::string base64() const;
  // First 16 hex digits of SHA-256(raw): a short name for people, never a
  // substitute for comparing the whole key.
  [[nodiscard]] std::string fingerprint() const;
  bool operator==(const PublicKey&) const = default;
};

[[nodiscard]] Result<PublicKey> public_key_from_base64(std::string_view b64);
// Reads a public key from a PEM file (SubjectPublicKeyInfo) or from a file
// holding the 44-character base64 raw key on its first line.
[[nodiscard]] Result<PublicKey> load_public_key(const std::filesystem::path& path);

class SigningKey {
 public:
  ~SigningKey();
  SigningKey(SigningKey&&) noexcept;
  SigningKey& operator=(SigningKey&&) noexcept;
  SigningKey(const SigningKey&) = delete;
  SigningKey& operator=(const SigningKey&) = delete;

  // A fresh key from the system's random source.
  [[nodiscard]] static Result<SigningKey> generate();
  // Loads a PKCS#8 PEM Ed25519 private key. Refuses a key file that group
  // or others may read (like ssh), naming the file and the fix.
  [[nodiscard]] static Result<SigningKey> load(const std::filesystem::path& path);

  [[nodiscard]] const PublicKey& public_key() const noexcept { return public_; }
  // The 64-byte signature of `message`, as raw bytes.
  [[nodiscard]] Result<std::string> sign(std::string_view message) const;

  [[nodiscard]] std::string private_pem() const;
  [[nodiscard]] std::string public_pem() const;

 private:
  SigningKey() = default;
  struct Impl;
  std::unique_ptr<Impl> impl_;
  PublicKey public_;
};

// True when `signature` (raw 64 bytes) is a valid Ed25519 signature of
// `message` by `key`.
[[nodiscard]] bool verify_signature(const PublicKey& key, std::string_view message, std::string_view signature);

// `remit keygen`: writes KEYFILE (mode 0600, created exclusively) and
// KEYFILE.pub. Refuses to overwrite either. On failure nothing is left
// behind. Returns the public key.
[[nodiscard]] Result<PublicKey> write_new_keypair(const std::filesystem::path& keyfile);

// Standard base64 with padding.
[[nodiscard]] std::string base64_encode(std::string_view bytes);
[[nodiscard]] std::optional<std::string> base64_decode(std::string_view text);

}  // namespace remit
