// Ed25519 keys and signatures through OpenSSL EVP (include/remit/signing.hpp).
// References: OpenSSL 3 EVP_PKEY-ED25519(7), EVP_DigestSign(3) ("Ed25519
// signs the message itself: pass a NULL digest and use the one-shot
// EVP_DigestSign"), PEM_read_bio_PrivateKey(3).
#include "remit/signing.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstring>

#include "package/fsutil.hpp"
#include "remit/hash.hpp"
#include "remit/text.hpp"

namespace remit {
namespace {

struct PkeyFree {
  void operator()(EVP_PKEY* p) const noexcept { EVP_PKEY_free(p); }
};
struct BioFree {
  void operator()(BIO* b) const noexcept { BIO_free(b); }
};
struct MdCtxFree {
  void operator()(EVP_MD_CTX* c) const noexcept { EVP_MD_CTX_free(c); }
};
using PkeyPtr = std::unique_ptr<EVP_PKEY, PkeyFree>;
using BioPtr = std::unique_ptr<BIO, BioFree>;
using MdCtxPtr = std::unique_ptr<EVP_MD_CTX, MdCtxFree>;

std::string bio_string(BIO* b) {
  char* data = nullptr;
  const long n = BIO_get_mem_data(b, &data);
  return n > 0 ? std::string(data, static_cast<size_t>(n)) : std::string();
}

Result<PublicKey> raw_public(EVP_PKEY* k) {
  PublicKey pk;
  size_t len = pk.raw.size();
  if (EVP_PKEY_get_raw_public_key(k, pk.raw.data(), &len) != 1 || len != pk.raw.size())
    return make_error(Errc::malformed, "not an Ed25519 key");
  return pk;
}

PkeyPtr pkey_from_public(const PublicKey& key) {
  return PkeyPtr(EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, nullptr, key.raw.data(), key.raw.size()));
}

}  // namespace

std::string base64_encode(std::string_view bytes) {
  static constexpr char kAlpha[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  size_t i = 0;
  for (; i + 3 <= bytes.size(); i += 3) {
    const uint32_t v =
        (uint32_t(uint8_t(bytes[i])) << 16) | (uint32_t(uint8_t(bytes[i + 1])) << 8) | uint32_t(uint8_t(bytes[i + 2]));
    out += kAlpha[(v >> 18) & 63];
    out += kAlpha[(v >> 12) & 63];
    out += kAlpha[(v >> 6) & 63];
    out += kAlpha[v & 63];
  }
  const size_t rest = bytes.size() - i;
  if (rest == 1) {
    const uint32_t v = uint32_t(uint8_t(bytes[i])) << 16;
    out += kAlpha[(v >> 18) & 63];
    out += kAlpha[(v >> 12) & 63];
    out += "==";
  } else if (rest == 2) {
    const uint32_t v = (uint32_t(uint8_t(bytes[i])) << 16) | (uint32_t(uint8_t(bytes[i + 1])) << 8);
    out += kAlpha[(v >> 18) & 63];
    out += kAlpha[(v >> 12) & 63];
    out += kAlpha[(v >> 6) & 63];
    out += '=';
  }
  return out;
}

std::optional<std::string> base64_decode(std::string_view text) {
  // Strict: canonical padding, no whitespace, unused bits zero (so that each
  // value has exactly one spelling and a changed character is always seen).
  if (text.size() % 4 != 0) return std::nullopt;
  auto val = [](char c) -> int {
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= 'a' && c <= 'z') return c - 'a' + 26;
    if (c >= '0' && c <= '9') return c - '0' + 52;
    if (c == '+') return 62;
    if (c == '/') return 63;
    return -1;
  };
  std::string out;
  out.reserve(text.size() / 4 * 3);
  for (size_t i = 0; i < text.size(); i += 4) {
    const bool last = i + 4 == text.size();
    int v[4];
    int pad = 0;
    for (int k = 0; k < 4; ++k) {
      const char c = text[i + static_cast<size_t>(k)];
      if (c == '=' && last && k >= 2) {
        v[k] = 0;
        ++pad;
        continue;
      }
      if (pad > 0) return std::nullopt;  // data after padding
      v[k] = val(c);
      if (v[k] < 0) return std::nullopt;
    }
    const uint32_t n = (uint32_t(v[0]) << 18) | (uint32_t(v[1]) << 12) | (uint32_t(v[2]) << 6) | uint32_t(v[3]);
    out += static_cast<char>((n >> 16) & 0xff);
    if (pad < 2) out += static_cast<char>((n >> 8) & 0xff);
    if (pad < 1) out += static_cast<char>(n & 0xff);
    if (pad == 1 && (n & 0xff) != 0) return std::nullopt;
    if (pad == 2 && (n & 0xffff) != 0) return std::nullopt;
  }
  return out;
}

std::string PublicKey::base64() const {
  return base64_encode(std::string_view(reinterpret_cast<const char*>(raw.data()), raw.size()));
}

std::string PublicKey::fingerprint() const {
  return sha256_hex(std::span<const unsigned char>(raw.data(), raw.size())).substr(0, 16);
}

Result<PublicKey> public_key_from_base64(std::string_view b64) {
  auto raw = base64_decode(b64);
  if (!raw || raw->size() != 32) return make_error(Errc::malformed, "not a base64 Ed25519 public key (32 bytes)");
  PublicKey k;
  std::memcpy(k.raw.data(), raw->data(), 32);
  return k;
}

Result<PublicKey> load_public_key(const std::filesystem::path& path) {
  auto text = pkg::read_small_file(path, 1 << 16);
  if (!text) return text.error();
  if (text->find("-----BEGIN") != std::string::npos) {
    BioPtr bio(BIO_new_mem_buf(text->data(), static_cast<int>(text->size())));
    PkeyPtr k(PEM_read_bio_PUBKEY(bio.get(), nullptr, nullptr, nullptr));
    if (!k || EVP_PKEY_get_id(k.get()) != EVP_PKEY_ED25519)
      return make_error(Errc::malformed, path.string() + ": not an Ed25519 public key (PEM)");
    auto pk = raw_public(k.get());
    if (!pk) return make_error(Errc::malformed, path.string() + ": " + pk.error().message);
    return pk;
  }
  const auto nl = text->find('\n');
  auto k = public_key_from_base64(trim(std::string_view(*text).substr(0, nl)));
  if (!k) return make_error(Errc::malformed, path.string() + ": " + k.error().message);
  return k;
}

struct SigningKey::Impl {
  PkeyPtr key;
};

SigningKey::~SigningKey() = default;
SigningKey::SigningKey(SigningKey&&) noexcept = default;
SigningKey& SigningKey::operator=(SigningKey&&) noexcept = default;

Result<SigningKey> SigningKey::generate() {
  EVP_PKEY* raw = EVP_PKEY_Q_keygen(nullptr, nullptr, "ED25519");
  if (!raw) return make_error(Errc::internal, "Ed25519 key generation failed");
  SigningKey k;
  k.impl_ = std::make_unique<Impl>();
  k.impl_->key.reset(raw);
  auto pk = raw_public(raw);
  if (!pk) return pk.error();
  k.public_ = *pk;
  return k;
}

Result<SigningKey> SigningKey::load(const std::filesystem::path& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0)
    return make_error(Errc::not_found, fmt::format("{}: cannot read the key: {}", path.string(), std::strerror(errno)));
  if ((st.st_mode & 077) != 0)
    return make_error(Errc::refused, fmt::format("{}: the private key may be read by other users (mode {:o}); run "
                                                 "`chmod 600 {}` first",
                                                 path.string(), st.st_mode & 0777, path.string()));
  auto text = pkg::read_small_file(path, 1 << 16);
  if (!text) return text.error();
  BioPtr bio(BIO_new_mem_buf(text->data(), static_cast<int>(text->size())));
  PkeyPtr k(PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr));
  OPENSSL_cleanse(text->data(), text->size());
  if (!k || EVP_PKEY_get_id(k.get()) != EVP_PKEY_ED25519)
    return make_error(Errc::malformed,
                      path.string() + ": not an Ed25519 private key in PEM (make one with `remit keygen --out FILE`)");
  SigningKey out;
  auto pk = raw_public(k.get());
  if (!pk) return make_error(Errc::malformed, path.string() + ": " + pk.error().message);
  out.public_ = *pk;
  out.impl_ = std::make_unique<Impl>();
  out.impl_->key = std::move(k);
  return out;
}

Result<std::string> SigningKey::sign(std::string_view message) const {
  MdCtxPtr ctx(EVP_MD_CTX_new());
  if (!ctx || EVP_DigestSignInit(ctx.get(), nullptr, nullptr, nullptr, impl_->key.get()) != 1)
    return make_error(Errc::internal, "cannot start an Ed25519 signature");
  size_t len = 64;
  std::string sig(64, '\0');
  if (EVP_DigestSign(ctx.get(), reinterpret_cast<unsigned char*>(sig.data()), &len,
                     reinterpret_cast<const unsigned char*>(message.data()), message.size()) != 1 ||
      len != 64)
    return make_error(Errc::internal, "Ed25519 signing failed");
  return sig;
}

std::string SigningKey::private_pem() const {
  BioPtr b(BIO_new(BIO_s_mem()));
  PEM_write_bio_PrivateKey(b.get(), impl_->key.get(), nullptr, nullptr, 0, nullptr, nullptr);
  return bio_string(b.get());
}

std::string SigningKey::public_pem() const {
  BioPtr b(BIO_new(BIO_s_mem()));
  PEM_write_bio_PUBKEY(b.get(), impl_->key.get());
  return bio_string(b.get());
}

bool verify_signature(const PublicKey& key, std::string_view message, std::string_view signature) {
  if (signature.size() != 64) return false;
  PkeyPtr k = pkey_from_public(key);
  if (!k) return false;
  MdCtxPtr ctx(EVP_MD_CTX_new());
  if (!ctx || EVP_DigestVerifyInit(ctx.get(), nullptr, nullptr, nullptr, k.get()) != 1) return false;
  return EVP_DigestVerify(ctx.get(), reinterpret_cast<const unsigned char*>(signature.data()), signature.size(),
                          reinterpret_cast<const unsigned char*>(message.data()), message.size()) == 1;
}

Result<PublicKey> write_new_keypair(const std::filesystem::path& keyfile) {
  const std::filesystem::path pub = keyfile.string() + ".pub";
  std::error_code ec;
  for (const auto& p : {keyfile, pub})
    if (std::filesystem::exists(std::filesystem::symlink_status(p, ec)))
      return make_error(Errc::refused, p.string() + ": already exists; remit never overwrites a key");
  auto key = SigningKey::generate();
  if (!key) return key.error();
  std::string pem = key->private_pem();
  auto st = pkg::write_file_durable(keyfile, pem, 0600);
  OPENSSL_cleanse(pem.data(), pem.size());
  if (!st) return st.error();
  if (::chmod(keyfile.c_str(), 0600) != 0) {
    ::unlink(keyfile.c_str());
    return make_error(Errc::io, keyfile.string() + ": cannot set mode 0600");
  }
  if (auto p = pkg::write_file_durable(pub, key->public_pem(), 0644); !p) {
    ::unlink(keyfile.c_str());
    return p.error();
  }
  auto parent = keyfile.parent_path().empty() ? std::filesystem::path(".") : keyfile.parent_path();
  if (auto s = pkg::fsync_path(parent, true); !s) return s.error();
  return key->public_key();
}

}  // namespace remit
