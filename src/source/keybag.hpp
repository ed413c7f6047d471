#pragma once
// iTunes/Finder backup encryption: the backup keybag, the password key
// derivation, class-key unwrapping and the AES primitives, all with OpenSSL.
// Internal to src/source (used by the backup reader and writer, and tests).
//
// Facts (shared/docs/artifacts.md "Encrypted backups"; docs/formats/itunes-backup.md):
//  - Keybag: 4-byte tag + big-endian u32 length + value. Header tags VERS,
//    TYPE, UUID, HMCK, WRAP, SALT, ITER, DPWT, DPIC, DPSL; every later UUID
//    starts a class entry (CLAS, WRAP, KTYP, WPKY). 4-byte values are
//    big-endian integers.
//  - key = PBKDF2-HMAC-SHA1(PBKDF2-HMAC-SHA256(password, DPSL, DPIC, 32), SALT, ITER, 32);
//    without DPSL/DPIC (iOS before 10.2) only the SHA-1 step.
//  - Class keys: RFC 3394 AES key unwrap of WPKY with that key, where WRAP & 2.
//  - Wrapped keys (ManifestKey, MBFile EncryptionKey): 4-byte little-endian
//    protection class + 40-byte RFC 3394 wrapped key.
//  - Data: AES-256-CBC with a zero IV (PKCS#7 padded; files truncate to Size).
//
// Secrets (derived keys, class keys, file keys) live in SecretBytes, which
// wipes its buffer with OPENSSL_cleanse when destroyed; they are never
// written anywhere. All functions are thread-safe (no shared state).

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "remit/source.hpp"
#include "remit/status.hpp"

namespace remit::backup {

// A byte buffer for key material, wiped on destruction and on reassignment.
class SecretBytes {
 public:
  SecretBytes() = default;
  explicit SecretBytes(size_t n) : v_(n) {}
  SecretBytes(const unsigned char* p, size_t n) : v_(p, p + n) {}
  SecretBytes(const SecretBytes&) = default;
  SecretBytes& operator=(const SecretBytes& o);
  SecretBytes(SecretBytes&& o) noexcept;
  SecretBytes& operator=(SecretBytes&& o) noexcept;
  ~SecretBytes();

  [[nodiscard]] unsigned char* data() noexcept { return v_.data(); }
  [[nodiscard]] const unsigned char* data() const noexcept { return v_.data(); }
  [[nodiscard]] size_t size() const noexcept { return v_.size(); }
  [[nodiscard]] bool empty() const noexcept { return v_.empty(); }
  [[nodiscard]] std::span<const unsigned char> span() const noexcept { return {v_.data(), v_.size()}; }
  void wipe() noexcept;

 private:
  std::vector<unsigned char> v_;
};

struct KeybagClass {
  std::string uuid;  // 16 raw bytes
  uint32_t protection_class = 0;
  uint32_t wrap = 0;                       // bit 1: device key (not in backups), bit 2: password key
  uint32_t key_type = 0;                   // 0 AES, 1 Curve25519
  std::vector<unsigned char> wrapped_key;  // WPKY (40 bytes for AES wrap of 32)
  std::vector<unsigned char> public_key;   // PBKY, when present
};

struct Keybag {
  uint32_t version = 0;
  uint32_t type = 0;  // 1 = backup keybag
  std::string uuid;
  uint32_t wrap = 0;
  std::vector<unsigned char> salt;     // SALT (20 bytes)
  uint32_t iterations = 0;             // ITER (SHA-1 step)
  std::vector<unsigned char> dp_salt;  // DPSL (empty before iOS 10.2)
  uint32_t dp_iterations = 0;          // DPIC (SHA-256 step)
  uint32_t dp_wrap = 0;                // DPWT
  std::vector<KeybagClass> classes;
  std::vector<std::string> unknown_tags;  // printable tag names seen but not understood
};

// Parses a BackupKeyBag blob. Fails (malformed) on truncated TLVs, lengths
// beyond the input, missing SALT/ITER, a class without CLAS/WPKY, absurd
// iteration counts (0 or above 100,000,000). Unknown tags are recorded, not errors.
[[nodiscard]] Result<Keybag> parse_keybag(std::span<const unsigned char> blob);

// Serialises a keybag (for the backup writer and tests).
[[nodiscard]] std::vector<unsigned char> serialize_keybag(const Keybag& kb);

using KdfProgress = std::function<void(uint64_t done, uint64_t total)>;

// PBKDF2-HMAC (sha256 when `sha256`, else sha1) with a progress callback
// every `progress_step` rounds. Same output as OpenSSL's PKCS5_PBKDF2_HMAC.
[[nodiscard]] Result<SecretBytes> pbkdf2(std::span<const unsigned char> password, std::span<const unsigned char> salt,
                                         uint32_t rounds, size_t out_len, bool sha256,
                                         const std::function<void(uint64_t)>& on_rounds = {},
                                         uint64_t progress_step = 100000);

// The password key of a keybag (the two PBKDF2 steps). Progress counts the
// rounds of both steps together.
[[nodiscard]] Result<SecretBytes> derive_password_key(std::string_view password, const Keybag& kb,
                                                      const KdfProgress& progress = {});

// Unwraps every class key with WRAP & 2. Errc::wrong_password when no class
// key unwraps (the RFC 3394 integrity check fails: wrong password);
// malformed when some unwrap and others do not.
[[nodiscard]] Result<std::map<uint32_t, SecretBytes>> unlock_class_keys(const Keybag& kb, const SecretBytes& key);

// RFC 3394 AES key wrap / unwrap with a 256-bit key.
[[nodiscard]] Result<SecretBytes> aes_unwrap(const SecretBytes& kek, std::span<const unsigned char> wrapped);
[[nodiscard]] Result<std::vector<unsigned char>> aes_wrap(const SecretBytes& kek, std::span<const unsigned char> key);

// A wrapped key blob: 4-byte little-endian class + wrapped key. Unwraps it
// with the class key. Errors: malformed (short blob), not_found (no key for
// the class), wrong_password (integrity check fails).
[[nodiscard]] Result<SecretBytes> unwrap_class_wrapped_key(const std::map<uint32_t, SecretBytes>& class_keys,
                                                           std::span<const unsigned char> blob,
                                                           uint32_t* protection_class = nullptr);

// AES-256-CBC, zero IV, no padding handling (input must be a multiple of 16).
[[nodiscard]] Result<std::vector<unsigned char>> aes256_cbc_decrypt(const SecretBytes& key,
                                                                    std::span<const unsigned char> data);
// AES-256-CBC, zero IV, PKCS#7 padding added (for the writer).
[[nodiscard]] Result<std::vector<unsigned char>> aes256_cbc_encrypt_pkcs7(const SecretBytes& key,
                                                                          std::span<const unsigned char> data);

// Incremental AES-256-CBC decryption (zero IV, no padding) for streaming
// large files. update() accepts any chunk size and returns the plaintext
// available so far.
class CbcDecryptor {
 public:
  explicit CbcDecryptor(const SecretBytes& key);
  ~CbcDecryptor();
  CbcDecryptor(const CbcDecryptor&) = delete;
  CbcDecryptor& operator=(const CbcDecryptor&) = delete;
  [[nodiscard]] bool ok() const noexcept { return ctx_ != nullptr; }
  [[nodiscard]] Status update(std::span<const unsigned char> in, std::vector<unsigned char>& out);

 private:
  void* ctx_ = nullptr;  // EVP_CIPHER_CTX*
};

// Removes PKCS#7 padding when it is valid; returns the new length.
[[nodiscard]] size_t pkcs7_unpadded_length(std::span<const unsigned char> data) noexcept;

}  // namespace remit::backup
