// Backup keybag, key derivation and AES primitives (keybag.hpp).
//
// References (facts only):
//  - shared/docs/artifacts.md, "Encrypted backups".
//  - RFC 3394 (AES key wrap), RFC 8018 (PBKDF2), NIST SP 800-38A (CBC).
//  - Keybag tags and the two-step KDF as used by public backup readers
//    (pyiosbackup keybag.py; iphone-dataprotection's keystore), and their
//    published all-zero test keybag (password "0000", DPIC 10,000,000,
//    ITER 10,000), which tests/ios_keybag_test.cpp uses as a test vector.
#include "source/keybag.hpp"

#include <fmt/format.h>
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/params.h>

#include <cstring>
#include <memory>

#include "remit/text.hpp"

namespace remit::backup {

// ---- SecretBytes -------------------------------------------------------------

SecretBytes& SecretBytes::operator=(const SecretBytes& o) {
  if (this != &o) {
    wipe();
    v_ = o.v_;
  }
  return *this;
}
SecretBytes::SecretBytes(SecretBytes&& o) noexcept : v_(std::move(o.v_)) {
  o.v_.clear();
}
SecretBytes& SecretBytes::operator=(SecretBytes&& o) noexcept {
  if (this != &o) {
    wipe();
    v_ = std::move(o.v_);
    o.v_.clear();
  }
  return *this;
}
SecretBytes::~SecretBytes() {
  wipe();
}
void SecretBytes::wipe() noexcept {
  if (!v_.empty()) OPENSSL_cleanse(v_.data(), v_.size());
}

// ---- keybag TLVs -------------------------------------------------------------

namespace {

uint32_t be32(const unsigned char* p) {
  return (uint32_t{p[0]} << 24) | (uint32_t{p[1]} << 16) | (uint32_t{p[2]} << 8) | uint32_t{p[3]};
}
void put_be32(std::vector<unsigned char>& out, uint32_t v) {
  for (int s = 24; s >= 0; s -= 8) out.push_back(static_cast<unsigned char>((v >> s) & 0xff));
}

bool tag_is(const unsigned char* t, const char* name) {
  return std::memcmp(t, name, 4) == 0;
}

std::string tag_name(const unsigned char* t) {
  return printable(std::string_view(reinterpret_cast<const char*>(t), 4));
}

constexpr uint32_t kMaxIterations = 100'000'000;

}  // namespace

Result<Keybag> parse_keybag(std::span<const unsigned char> blob) {
  Keybag kb;
  KeybagClass* cls = nullptr;
  bool seen_uuid = false;
  size_t off = 0;
  auto bad = [&](std::string what) {
    return make_error(Errc::malformed, fmt::format("backup keybag: {} at byte {}", what, off));
  };
  if (blob.empty()) return bad("empty keybag");
  while (off < blob.size()) {
    if (blob.size() - off < 8) return bad("truncated tag header");
    const unsigned char* t = blob.data() + off;
    const uint32_t len = be32(t + 4);
    if (len > blob.size() - off - 8) return bad(fmt::format("tag {} length {} runs past the end", tag_name(t), len));
    std::span<const unsigned char> val(t + 8, len);
    auto u32 = [&](uint32_t& out) -> bool {
      if (len != 4) return false;
      out = be32(val.data());
      return true;
    };
    if (tag_is(t, "UUID")) {
      if (len != 16) return bad("UUID is not 16 bytes");
      if (!seen_uuid) {
        kb.uuid.assign(reinterpret_cast<const char*>(val.data()), 16);
        seen_uuid = true;
      } else {
        kb.classes.emplace_back();
        cls = &kb.classes.back();
        cls->uuid.assign(reinterpret_cast<const char*>(val.data()), 16);
      }
    } else if (cls) {
      if (tag_is(t, "CLAS")) {
        if (!u32(cls->protection_class)) return bad("CLAS is not 4 bytes");
      } else if (tag_is(t, "WRAP")) {
        if (!u32(cls->wrap)) return bad("WRAP is not 4 bytes");
      } else if (tag_is(t, "KTYP")) {
        if (!u32(cls->key_type)) return bad("KTYP is not 4 bytes");
      } else if (tag_is(t, "WPKY")) {
        cls->wrapped_key.assign(val.begin(), val.end());
      } else if (tag_is(t, "PBKY")) {
        cls->public_key.assign(val.begin(), val.end());
      } else {
        kb.unknown_tags.push_back(tag_name(t));
      }
    } else {
      if (tag_is(t, "VERS")) {
        if (!u32(kb.version)) return bad("VERS is not 4 bytes");
      } else if (tag_is(t, "TYPE")) {
        if (!u32(kb.type)) return bad("TYPE is not 4 bytes");
      } else if (tag_is(t, "WRAP")) {
        if (!u32(kb.wrap)) return bad("WRAP is not 4 bytes");
      } else if (tag_is(t, "SALT")) {
        kb.salt.assign(val.begin(), val.end());
      } else if (tag_is(t, "ITER")) {
        if (!u32(kb.iterations)) return bad("ITER is not 4 bytes");
      } else if (tag_is(t, "DPSL")) {
        kb.dp_salt.assign(val.begin(), val.end());
      } else if (tag_is(t, "DPIC")) {
        if (!u32(kb.dp_iterations)) return bad("DPIC is not 4 bytes");
      } else if (tag_is(t, "DPWT")) {
        if (!u32(kb.dp_wrap)) return bad("DPWT is not 4 bytes");
      } else if (tag_is(t, "HMCK") || tag_is(t, "TKMT") || tag_is(t, "SART") || tag_is(t, "GRCE")) {
        // Known header tags remit does not need.
      } else {
        kb.unknown_tags.push_back(tag_name(t));
      }
    }
    off += 8 + len;
  }
  if (kb.salt.empty()) return bad("SALT is missing");
  if (kb.iterations == 0 || kb.iterations > kMaxIterations)
    return bad(fmt::format("ITER {} is implausible", kb.iterations));
  if (!kb.dp_salt.empty() && (kb.dp_iterations == 0 || kb.dp_iterations > kMaxIterations))
    return bad(fmt::format("DPIC {} is implausible", kb.dp_iterations));
  if (kb.classes.empty()) return bad("no class keys");
  for (const auto& c : kb.classes) {
    if (c.protection_class == 0) return bad("a class entry has no CLAS");
    if (c.wrapped_key.empty()) return bad(fmt::format("class {} has no WPKY", c.protection_class));
  }
  return kb;
}

std::vector<unsigned char> serialize_keybag(const Keybag& kb) {
  std::vector<unsigned char> out;
  auto name4 = [&](const char* name) {
    for (int i = 0; i < 4; ++i) out.push_back(static_cast<unsigned char>(name[i]));
  };
  auto tag = [&](const char* name, std::span<const unsigned char> v) {
    name4(name);
    put_be32(out, static_cast<uint32_t>(v.size()));
    out.insert(out.end(), v.begin(), v.end());
  };
  auto tag32 = [&](const char* name, uint32_t v) {
    name4(name);
    put_be32(out, 4);
    put_be32(out, v);
  };
  auto bytes = [](const std::string& s) {
    return std::span<const unsigned char>(reinterpret_cast<const unsigned char*>(s.data()), s.size());
  };
  tag32("VERS", kb.version);
  tag32("TYPE", kb.type);
  tag("UUID", bytes(kb.uuid));
  tag32("WRAP", kb.wrap);
  tag("SALT", kb.salt);
  tag32("ITER", kb.iterations);
  if (!kb.dp_salt.empty()) {
    tag32("DPWT", kb.dp_wrap);
    tag32("DPIC", kb.dp_iterations);
    tag("DPSL", kb.dp_salt);
  }
  for (const auto& c : kb.classes) {
    tag("UUID", bytes(c.uuid));
    tag32("CLAS", c.protection_class);
    tag32("WRAP", c.wrap);
    tag32("KTYP", c.key_type);
    tag("WPKY", c.wrapped_key);
    if (!c.public_key.empty()) tag("PBKY", c.public_key);
  }
  return out;
}

// ---- PBKDF2 ------------------------------------------------------------------

namespace {

struct MacCtxFree {
  void operator()(EVP_MAC_CTX* c) const noexcept { EVP_MAC_CTX_free(c); }
};
struct MacFree {
  void operator()(EVP_MAC* m) const noexcept { EVP_MAC_free(m); }
};
struct CipherCtxFree {
  void operator()(EVP_CIPHER_CTX* c) const noexcept { EVP_CIPHER_CTX_free(c); }
};

}  // namespace

Result<SecretBytes> pbkdf2(std::span<const unsigned char> password, std::span<const unsigned char> salt,
                           uint32_t rounds, size_t out_len, bool sha256, const std::function<void(uint64_t)>& on_rounds,
                           uint64_t progress_step) {
  if (rounds == 0) return make_error(Errc::malformed, "PBKDF2 with zero rounds");
  std::unique_ptr<EVP_MAC, MacFree> mac(EVP_MAC_fetch(nullptr, "HMAC", nullptr));
  std::unique_ptr<EVP_MAC_CTX, MacCtxFree> ctx(mac ? EVP_MAC_CTX_new(mac.get()) : nullptr);
  if (!ctx) return make_error(Errc::internal, "PBKDF2: HMAC is unavailable");
  char digest[16];
  std::strcpy(digest, sha256 ? "SHA256" : "SHA1");
  OSSL_PARAM params[] = {OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, digest, 0),
                         OSSL_PARAM_construct_end()};
  // An empty key must still be a valid pointer for EVP_MAC_init.
  static const unsigned char kEmpty = 0;
  if (!EVP_MAC_init(ctx.get(), password.empty() ? &kEmpty : password.data(), password.size(), params))
    return make_error(Errc::internal, "PBKDF2: HMAC init failed");
  const size_t hlen = EVP_MAC_CTX_get_mac_size(ctx.get());
  SecretBytes out(out_len);
  SecretBytes u(hlen), t(hlen);
  std::vector<unsigned char> block(salt.begin(), salt.end());
  block.resize(salt.size() + 4);
  uint64_t done = 0;
  for (uint32_t bi = 1; (bi - 1) * hlen < out_len; ++bi) {
    block[salt.size()] = static_cast<unsigned char>(bi >> 24);
    block[salt.size() + 1] = static_cast<unsigned char>(bi >> 16);
    block[salt.size() + 2] = static_cast<unsigned char>(bi >> 8);
    block[salt.size() + 3] = static_cast<unsigned char>(bi);
    size_t n = 0;
    // Re-initialising with a NULL key keeps the key and restarts the MAC.
    if (!EVP_MAC_init(ctx.get(), nullptr, 0, nullptr) || !EVP_MAC_update(ctx.get(), block.data(), block.size()) ||
        !EVP_MAC_final(ctx.get(), u.data(), &n, hlen))
      return make_error(Errc::internal, "PBKDF2: HMAC failed");
    std::memcpy(t.data(), u.data(), hlen);
    ++done;
    for (uint32_t r = 1; r < rounds; ++r) {
      if (!EVP_MAC_init(ctx.get(), nullptr, 0, nullptr) || !EVP_MAC_update(ctx.get(), u.data(), hlen) ||
          !EVP_MAC_final(ctx.get(), u.data(), &n, hlen))
        return make_error(Errc::internal, "PBKDF2: HMAC failed");
      for (size_t k = 0; k < hlen; ++k) t.data()[k] ^= u.data()[k];
      if (on_rounds && ++done % progress_step == 0) on_rounds(done);
    }
    const size_t take = std::min(hlen, out_len - (bi - 1) * hlen);
    std::memcpy(out.data() + (bi - 1) * hlen, t.data(), take);
  }
  if (on_rounds) on_rounds(done);
  return out;
}

Result<SecretBytes> derive_password_key(std::string_view password, const Keybag& kb, const KdfProgress& progress) {
  const bool two_step = !kb.dp_salt.empty() && kb.dp_iterations > 0;
  // HMAC calls: DPIC for one SHA-256 block, 2 x ITER for the two SHA-1 blocks of a 32-byte key.
  const uint64_t total = (two_step ? uint64_t{kb.dp_iterations} : 0) + 2 * uint64_t{kb.iterations};
  uint64_t base = 0;
  auto report = [&](uint64_t done) {
    if (progress) progress(std::min(total, base + done), total);
  };
  SecretBytes pw(reinterpret_cast<const unsigned char*>(password.data()), password.size());
  SecretBytes step1;
  if (two_step) {
    auto k1 = pbkdf2(pw.span(), kb.dp_salt, kb.dp_iterations, 32, true, report);
    if (!k1) return k1.error();
    step1 = std::move(*k1);
    base = kb.dp_iterations;
  } else {
    step1 = std::move(pw);
  }
  auto key = pbkdf2(step1.span(), kb.salt, kb.iterations, 32, false, report);
  if (!key) return key.error();
  if (progress) progress(total, total);
  return std::move(*key);
}

// ---- AES ---------------------------------------------------------------------

Result<SecretBytes> aes_unwrap(const SecretBytes& kek, std::span<const unsigned char> wrapped) {
  if (kek.size() != 32) return make_error(Errc::internal, "AES unwrap needs a 256-bit key");
  if (wrapped.size() < 24 || wrapped.size() % 8 != 0 || wrapped.size() > 4096)
    return make_error(Errc::malformed, fmt::format("wrapped key has a bad length ({} bytes)", wrapped.size()));
  std::unique_ptr<EVP_CIPHER_CTX, CipherCtxFree> ctx(EVP_CIPHER_CTX_new());
  if (!ctx) return make_error(Errc::internal, "AES unwrap: no cipher context");
  EVP_CIPHER_CTX_set_flags(ctx.get(), EVP_CIPHER_CTX_FLAG_WRAP_ALLOW);
  if (EVP_DecryptInit_ex(ctx.get(), EVP_aes_256_wrap(), nullptr, kek.data(), nullptr) != 1)
    return make_error(Errc::internal, "AES unwrap: init failed");
  SecretBytes out(wrapped.size());
  int len = 0, fin = 0;
  if (EVP_DecryptUpdate(ctx.get(), out.data(), &len, wrapped.data(), static_cast<int>(wrapped.size())) != 1 ||
      EVP_DecryptFinal_ex(ctx.get(), out.data() + len, &fin) != 1)
    return make_error(Errc::wrong_password, "AES key unwrap failed its integrity check");
  SecretBytes key(out.data(), static_cast<size_t>(len + fin));
  return key;
}

Result<std::vector<unsigned char>> aes_wrap(const SecretBytes& kek, std::span<const unsigned char> key) {
  if (kek.size() != 32 || key.size() < 16 || key.size() % 8 != 0)
    return make_error(Errc::internal, "AES wrap: bad key sizes");
  std::unique_ptr<EVP_CIPHER_CTX, CipherCtxFree> ctx(EVP_CIPHER_CTX_new());
  if (!ctx) return make_error(Errc::internal, "AES wrap: no cipher context");
  EVP_CIPHER_CTX_set_flags(ctx.get(), EVP_CIPHER_CTX_FLAG_WRAP_ALLOW);
  if (EVP_EncryptInit_ex(ctx.get(), EVP_aes_256_wrap(), nullptr, kek.data(), nullptr) != 1)
    return make_error(Errc::internal, "AES wrap: init failed");
  std::vector<unsigned char> out(key.size() + 16);
  int len = 0, fin = 0;
  if (EVP_EncryptUpdate(ctx.get(), out.data(), &len, key.data(), static_cast<int>(key.size())) != 1 ||
      EVP_EncryptFinal_ex(ctx.get(), out.data() + len, &fin) != 1)
    return make_error(Errc::internal, "AES wrap failed");
  out.resize(static_cast<size_t>(len + fin));
  return out;
}

Result<std::map<uint32_t, SecretBytes>> unlock_class_keys(const Keybag& kb, const SecretBytes& key) {
  std::map<uint32_t, SecretBytes> out;
  size_t tried = 0, failed = 0;
  uint32_t first_failed = 0;
  for (const auto& c : kb.classes) {
    if ((c.wrap & 2) == 0) continue;  // device-bound: not recoverable from a backup
    ++tried;
    auto k = aes_unwrap(key, c.wrapped_key);
    if (!k) {
      if (k.error().code != Errc::wrong_password) return k.error();
      if (failed++ == 0) first_failed = c.protection_class;
      continue;
    }
    out[c.protection_class] = std::move(*k);
  }
  if (tried == 0) return make_error(Errc::malformed, "backup keybag: no class key is wrapped with the password");
  if (out.empty())
    return make_error(Errc::wrong_password,
                      "wrong password: the backup's class keys do not unwrap with the key derived from it");
  if (failed > 0)
    return make_error(Errc::malformed, fmt::format("backup keybag is damaged: {} of {} class keys (first: class {}) "
                                                   "do not unwrap although others do",
                                                   failed, tried, first_failed));
  return out;
}

Result<SecretBytes> unwrap_class_wrapped_key(const std::map<uint32_t, SecretBytes>& class_keys,
                                             std::span<const unsigned char> blob, uint32_t* protection_class) {
  if (blob.size() < 4 + 24)
    return make_error(Errc::malformed, fmt::format("wrapped key blob too short ({} bytes)", blob.size()));
  const uint32_t cls =
      uint32_t{blob[0]} | (uint32_t{blob[1]} << 8) | (uint32_t{blob[2]} << 16) | (uint32_t{blob[3]} << 24);
  if (protection_class) *protection_class = cls;
  auto it = class_keys.find(cls);
  if (it == class_keys.end())
    return make_error(Errc::not_found, fmt::format("no class key for protection class {}", cls));
  return aes_unwrap(it->second, blob.subspan(4));
}

Result<std::vector<unsigned char>> aes256_cbc_decrypt(const SecretBytes& key, std::span<const unsigned char> data) {
  if (data.size() % 16 != 0)
    return make_error(Errc::malformed,
                      fmt::format("encrypted data is not a whole number of AES blocks ({} bytes)", data.size()));
  CbcDecryptor dec(key);
  if (!dec.ok()) return make_error(Errc::internal, "AES-CBC: init failed");
  std::vector<unsigned char> out;
  out.reserve(data.size());
  if (auto st = dec.update(data, out); !st) return st.error();
  return out;
}

Result<std::vector<unsigned char>> aes256_cbc_encrypt_pkcs7(const SecretBytes& key,
                                                            std::span<const unsigned char> data) {
  if (key.size() != 32) return make_error(Errc::internal, "AES-CBC needs a 256-bit key");
  std::unique_ptr<EVP_CIPHER_CTX, CipherCtxFree> ctx(EVP_CIPHER_CTX_new());
  static const unsigned char iv[16] = {};
  if (!ctx || EVP_EncryptInit_ex(ctx.get(), EVP_aes_256_cbc(), nullptr, key.data(), iv) != 1)
    return make_error(Errc::internal, "AES-CBC: init failed");
  std::vector<unsigned char> out(data.size() + 16);
  int len = 0, fin = 0;
  size_t done = 0, off = 0;
  // EVP takes int lengths: feed in chunks.
  while (off < data.size()) {
    const int n = static_cast<int>(std::min<size_t>(data.size() - off, 1 << 30));
    if (EVP_EncryptUpdate(ctx.get(), out.data() + done, &len, data.data() + off, n) != 1)
      return make_error(Errc::internal, "AES-CBC encrypt failed");
    done += static_cast<size_t>(len);
    off += static_cast<size_t>(n);
  }
  if (EVP_EncryptFinal_ex(ctx.get(), out.data() + done, &fin) != 1)
    return make_error(Errc::internal, "AES-CBC encrypt failed");
  out.resize(done + static_cast<size_t>(fin));
  return out;
}

CbcDecryptor::CbcDecryptor(const SecretBytes& key) {
  static const unsigned char iv[16] = {};
  if (key.size() != 32) return;
  EVP_CIPHER_CTX* c = EVP_CIPHER_CTX_new();
  if (!c) return;
  if (EVP_DecryptInit_ex(c, EVP_aes_256_cbc(), nullptr, key.data(), iv) != 1) {
    EVP_CIPHER_CTX_free(c);
    return;
  }
  EVP_CIPHER_CTX_set_padding(c, 0);
  ctx_ = c;
}

CbcDecryptor::~CbcDecryptor() {
  EVP_CIPHER_CTX_free(static_cast<EVP_CIPHER_CTX*>(ctx_));
}

Status CbcDecryptor::update(std::span<const unsigned char> in, std::vector<unsigned char>& out) {
  if (!ctx_) return make_error(Errc::internal, "AES-CBC: no context");
  size_t off = 0;
  while (off < in.size()) {
    const int n = static_cast<int>(std::min<size_t>(in.size() - off, 1 << 30));
    const size_t at = out.size();
    out.resize(at + static_cast<size_t>(n) + 16);
    int len = 0;
    if (EVP_DecryptUpdate(static_cast<EVP_CIPHER_CTX*>(ctx_), out.data() + at, &len, in.data() + off, n) != 1)
      return make_error(Errc::internal, "AES-CBC decrypt failed");
    out.resize(at + static_cast<size_t>(len));
    off += static_cast<size_t>(n);
  }
  return {};
}

size_t pkcs7_unpadded_length(std::span<const unsigned char> data) noexcept {
  if (data.empty() || data.size() % 16 != 0) return data.size();
  const unsigned pad = data.back();
  if (pad == 0 || pad > 16) return data.size();
  for (size_t i = data.size() - pad; i < data.size(); ++i)
    if (data[i] != pad) return data.size();
  return data.size() - pad;
}

}  // namespace remit::backup
