// Backup keybag, PBKDF2 and AES primitives (src/source/keybag.hpp):
// independent test vectors (RFC 3394, OpenSSL's own PBKDF2, pyiosbackup's
// published all-zero keybag at the real 10,000,000-round count) and
// corruption cases (truncation, bad lengths, unknown tags, wrong password).
#include <gtest/gtest.h>
#include <openssl/evp.h>

#include <chrono>
#include <cstring>

#include "remit/hash.hpp"
#include "source/keybag.hpp"

namespace remit::test {
namespace {

using namespace remit::backup;
using Blob = std::vector<unsigned char>;

Blob unhex(std::string_view h) {
  Blob b;
  for (size_t i = 0; i + 1 < h.size(); i += 2)
    b.push_back(static_cast<unsigned char>(std::stoi(std::string(h.substr(i, 2)), nullptr, 16)));
  return b;
}

void tlv(Blob& out, const char* tag, const Blob& v) {
  for (int i = 0; i < 4; ++i) out.push_back(static_cast<unsigned char>(tag[i]));
  const auto n = static_cast<uint32_t>(v.size());
  for (int s = 24; s >= 0; s -= 8) out.push_back(static_cast<unsigned char>(n >> s));
  out.insert(out.end(), v.begin(), v.end());
}
void tlv32(Blob& out, const char* tag, uint32_t v) {
  tlv(out, tag,
      Blob{static_cast<unsigned char>(v >> 24), static_cast<unsigned char>(v >> 16), static_cast<unsigned char>(v >> 8),
           static_cast<unsigned char>(v)});
}

// pyiosbackup tests/conftest.py MANIFEST_KEYBAG_ZEROS: every salt and UUID
// zero, ITER 10,000, DPIC 10,000,000, password "0000", and every class's
// WPKY the same 40 bytes, which unwrap to a 32-byte all-zero class key.
constexpr std::string_view kZeroWpky =
    "528c9c5171bf8bef1ea397cf29d2a838c90529df02a6ad2f823a1c6f3a5b2040e2a309c520c6a2ab";

Blob zero_keybag(uint32_t dpic, uint32_t iter) {
  Blob kb;
  tlv32(kb, "VERS", 5);
  tlv32(kb, "TYPE", 1);
  tlv(kb, "UUID", Blob(16, 0));
  tlv(kb, "HMCK", Blob(40, 0));
  tlv32(kb, "WRAP", 0);
  tlv(kb, "SALT", Blob(20, 0));
  tlv32(kb, "ITER", iter);
  tlv32(kb, "DPWT", 1);
  tlv32(kb, "DPIC", dpic);
  tlv(kb, "DPSL", Blob(20, 0));
  for (uint32_t c = 11; c >= 1; --c) {
    tlv(kb, "UUID", Blob(16, 0));
    tlv32(kb, "CLAS", c);
    tlv32(kb, "WRAP", (c >= 9 || c == 5) ? 3 : 2);
    tlv32(kb, "KTYP", 0);
    tlv(kb, "WPKY", unhex(kZeroWpky));
  }
  return kb;
}

TEST(IosKeybag, Pbkdf2MatchesOpenSsl) {
  const std::string pw = "correct horse";
  const Blob salt = unhex("0011223344556677889900112233445566778899");
  for (bool sha256 : {true, false})
    for (uint32_t rounds : {1u, 2u, 1000u, 12345u})
      for (size_t len : {20u, 32u, 40u}) {
        Blob want(len);
        ASSERT_EQ(PKCS5_PBKDF2_HMAC(pw.data(), static_cast<int>(pw.size()), salt.data(), static_cast<int>(salt.size()),
                                    static_cast<int>(rounds), sha256 ? EVP_sha256() : EVP_sha1(), static_cast<int>(len),
                                    want.data()),
                  1);
        uint64_t last = 0;
        auto got = pbkdf2(
            std::span(reinterpret_cast<const unsigned char*>(pw.data()), pw.size()), salt, rounds, len, sha256,
            [&](uint64_t d) { last = d; }, 1000);
        ASSERT_TRUE(got.ok());
        ASSERT_EQ(got->size(), len);
        EXPECT_EQ(std::memcmp(got->data(), want.data(), len), 0)
            << (sha256 ? "sha256 " : "sha1 ") << rounds << " " << len;
        const size_t hlen = sha256 ? 32 : 20;
        EXPECT_EQ(last, rounds * ((len + hlen - 1) / hlen)) << "progress counts every HMAC";
      }
}

TEST(IosKeybag, Rfc3394Vector) {
  // RFC 3394 section 4.6: 256 bits of key data with a 256-bit KEK.
  const Blob kek_b = unhex("000102030405060708090A0B0C0D0E0F101112131415161718191A1B1C1D1E1F");
  const SecretBytes kek(kek_b.data(), kek_b.size());
  const Blob key = unhex("00112233445566778899AABBCCDDEEFF000102030405060708090A0B0C0D0E0F");
  const Blob wrapped = unhex("28C9F404C4B810F4CBCCB35CFB87F8263F5786E2D80ED326CBC7F0E71A99F43BFB988B9B7A02DD21");
  auto w = aes_wrap(kek, key);
  ASSERT_TRUE(w.ok());
  EXPECT_EQ(*w, wrapped);
  auto u = aes_unwrap(kek, wrapped);
  ASSERT_TRUE(u.ok());
  EXPECT_EQ(Blob(u->data(), u->data() + u->size()), key);
  Blob tampered = wrapped;
  tampered[10] ^= 1;
  auto bad = aes_unwrap(kek, tampered);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().code, Errc::wrong_password);
  EXPECT_EQ(aes_unwrap(kek, Blob(41, 0)).error().code, Errc::malformed);
  EXPECT_EQ(aes_unwrap(kek, Blob(8, 0)).error().code, Errc::malformed);
}

TEST(IosKeybag, PublishedZeroKeybagAtTheReal10MillionRounds) {
  // The real round count (DPIC 10,000,000 + ITER 10,000): this is the
  // derivation every real encrypted backup costs. Its time is printed.
  auto kb = parse_keybag(zero_keybag(10'000'000, 10'000));
  ASSERT_TRUE(kb.ok()) << kb.error().message;
  EXPECT_EQ(kb->classes.size(), 11u);
  EXPECT_EQ(kb->dp_iterations, 10'000'000u);
  uint64_t calls = 0, last_done = 0, total = 0;
  const auto t0 = std::chrono::steady_clock::now();
  auto key = derive_password_key("0000", *kb, [&](uint64_t d, uint64_t t) {
    ++calls;
    EXPECT_GE(d, last_done);
    last_done = d;
    total = t;
  });
  const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  ASSERT_TRUE(key.ok());
  std::printf("[ kdf      ] PBKDF2-HMAC-SHA256 x 10,000,000 + PBKDF2-HMAC-SHA1 x 10,000 (2 blocks): %.2f s\n", secs);
  RecordProperty("kdf_10m_seconds", std::to_string(secs));
  EXPECT_EQ(total, 10'000'000u + 20'000u);
  EXPECT_EQ(last_done, total);
  EXPECT_GT(calls, 50u) << "progress is reported while deriving";
  auto classes = unlock_class_keys(*kb, *key);
  ASSERT_TRUE(classes.ok()) << classes.error().message;
  ASSERT_EQ(classes->size(), 11u);
  for (const auto& [c, k] : *classes) EXPECT_EQ(Blob(k.data(), k.data() + k.size()), Blob(32, 0)) << "class " << c;
  // pyiosbackup's decrypt vector: class 2 + wrapped file key, one AES block.
  const Blob key_blob =
      unhex("0200000097317494343807e690fd1e431413963dc0e3deb4907fb89fa36ce65126d0ea1301381fb3a2941e2f");
  uint32_t cls = 0;
  auto fkey = unwrap_class_wrapped_key(*classes, key_blob, &cls);
  ASSERT_TRUE(fkey.ok()) << fkey.error().message;
  EXPECT_EQ(cls, 2u);
  auto plain = aes256_cbc_decrypt(*fkey, unhex("78b51ca5374c3ad575174288688cda49"));
  ASSERT_TRUE(plain.ok());
  const std::string want = std::string("Test data") + std::string(7, '\x07');
  EXPECT_EQ(std::string(plain->begin(), plain->end()), want);
  EXPECT_EQ(pkcs7_unpadded_length(*plain), 9u);
}

TEST(IosKeybag, WrongPasswordIsReportedAsSuch) {
  // Same class keys, wrapped under "0000" with small counts (re-wrapped here).
  Keybag kb;
  kb.version = 5;
  kb.type = 1;
  kb.uuid = std::string(16, '\x01');
  kb.salt = Blob(20, 7);
  kb.iterations = 10;
  kb.dp_salt = Blob(20, 9);
  kb.dp_iterations = 100;
  auto k = derive_password_key("right", kb);
  ASSERT_TRUE(k.ok());
  for (uint32_t c = 1; c <= 3; ++c) {
    KeybagClass kc;
    kc.uuid = std::string(16, static_cast<char>(c));
    kc.protection_class = c;
    kc.wrap = 2;
    Blob ck(32, static_cast<unsigned char>(c));
    kc.wrapped_key = *aes_wrap(*k, ck);
    kb.classes.push_back(kc);
  }
  auto parsed = parse_keybag(serialize_keybag(kb));
  ASSERT_TRUE(parsed.ok()) << parsed.error().message;
  auto good = unlock_class_keys(*parsed, *derive_password_key("right", *parsed));
  ASSERT_TRUE(good.ok());
  EXPECT_EQ(good->size(), 3u);
  auto wrong = unlock_class_keys(*parsed, *derive_password_key("wrong", *parsed));
  ASSERT_FALSE(wrong.ok());
  EXPECT_EQ(wrong.error().code, Errc::wrong_password);
  EXPECT_NE(wrong.error().message.find("wrong password"), std::string::npos);
  // One class key damaged while the others unwrap: a damaged keybag, not a wrong password.
  parsed->classes[1].wrapped_key[5] ^= 0x40;
  auto damaged = unlock_class_keys(*parsed, *derive_password_key("right", *parsed));
  ASSERT_FALSE(damaged.ok());
  EXPECT_EQ(damaged.error().code, Errc::malformed);
  // Without DPSL/DPIC (iOS before 10.2) only the SHA-1 step runs.
  Keybag old = kb;
  old.dp_salt.clear();
  old.dp_iterations = 0;
  auto ko = derive_password_key("right", old);
  ASSERT_TRUE(ko.ok());
  Blob want(32);
  ASSERT_EQ(PKCS5_PBKDF2_HMAC("right", 5, old.salt.data(), 20, 10, EVP_sha1(), 32, want.data()), 1);
  EXPECT_EQ(Blob(ko->data(), ko->data() + 32), want);
}

TEST(IosKeybag, EveryTruncationIsAnError) {
  const Blob kb = zero_keybag(10, 10);
  ASSERT_TRUE(parse_keybag(kb).ok());
  for (size_t n = 0; n < kb.size(); ++n) {
    auto r = parse_keybag(std::span(kb.data(), n));
    // A cut that falls exactly between a class's TLVs can still parse when
    // what remains is a complete, valid keybag; every other cut must fail.
    if (r.ok()) {
      EXPECT_LT(r->classes.size(), 11u) << "prefix " << n;
      for (const auto& c : r->classes) EXPECT_FALSE(c.wrapped_key.empty());
    }
  }
  EXPECT_FALSE(parse_keybag(std::span(kb.data(), size_t{0})).ok());
  EXPECT_FALSE(parse_keybag(std::span(kb.data(), size_t{7})).ok());
}

TEST(IosKeybag, BadLengthsAndValuesAreErrors) {
  Blob kb = zero_keybag(10, 10);
  // First TLV's length far past the end.
  Blob b = kb;
  b[4] = 0x7f;
  auto r = parse_keybag(b);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("runs past the end"), std::string::npos);
  // A 4-byte integer tag with another length.
  Blob v;
  tlv(v, "VERS", Blob(3, 0));
  EXPECT_FALSE(parse_keybag(v).ok());
  // ITER 0, and an absurd DPIC.
  EXPECT_FALSE(parse_keybag(zero_keybag(10, 0)).ok());
  EXPECT_FALSE(parse_keybag(zero_keybag(4'000'000'000u, 10)).ok());
  // UUID of the wrong size.
  Blob u;
  tlv(u, "UUID", Blob(15, 0));
  EXPECT_FALSE(parse_keybag(u).ok());
  // Class without WPKY.
  Blob c;
  tlv(c, "UUID", Blob(16, 0));
  tlv(c, "SALT", Blob(20, 0));
  tlv32(c, "ITER", 10);
  tlv(c, "UUID", Blob(16, 1));
  tlv32(c, "CLAS", 3);
  r = parse_keybag(c);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("WPKY"), std::string::npos);
  // No SALT at all.
  Blob s;
  tlv(s, "UUID", Blob(16, 0));
  tlv32(s, "ITER", 10);
  EXPECT_FALSE(parse_keybag(s).ok());
}

TEST(IosKeybag, UnknownTagsAreRecordedNotFatal) {
  Blob kb = zero_keybag(10, 10);
  Blob extra;
  tlv(extra, "ZZZZ", Blob(3, 1));
  kb.insert(kb.begin() + 12, extra.begin(), extra.end());  // after VERS
  tlv(kb, "QQQQ", Blob(2, 2));                             // inside the last class
  auto r = parse_keybag(kb);
  ASSERT_TRUE(r.ok()) << r.error().message;
  ASSERT_EQ(r->unknown_tags.size(), 2u);
  EXPECT_EQ(r->unknown_tags[0], "ZZZZ");
  EXPECT_EQ(r->unknown_tags[1], "QQQQ");
}

TEST(IosKeybag, WrappedKeyBlobsAreChecked) {
  std::map<uint32_t, SecretBytes> keys;
  keys[3] = SecretBytes(32);
  EXPECT_EQ(unwrap_class_wrapped_key(keys, Blob(10, 0)).error().code, Errc::malformed);
  Blob blob(44, 0);
  blob[0] = 9;  // class 9 has no key
  EXPECT_EQ(unwrap_class_wrapped_key(keys, blob).error().code, Errc::not_found);
  blob[0] = 3;
  EXPECT_EQ(unwrap_class_wrapped_key(keys, blob).error().code, Errc::wrong_password);
}

TEST(IosKeybag, CbcRoundTripAndStreaming) {
  const Blob kb = unhex("603deb1015ca71be2b73aef0857d77811f352c073b6108d72d9810a30914dff4");
  const SecretBytes key(kb.data(), kb.size());
  Blob data(1000);
  for (size_t i = 0; i < data.size(); ++i) data[i] = static_cast<unsigned char>(i * 7);
  auto enc = aes256_cbc_encrypt_pkcs7(key, data);
  ASSERT_TRUE(enc.ok());
  EXPECT_EQ(enc->size(), 1008u);
  auto dec = aes256_cbc_decrypt(key, *enc);
  ASSERT_TRUE(dec.ok());
  EXPECT_EQ(pkcs7_unpadded_length(*dec), 1000u);
  dec->resize(1000);
  EXPECT_EQ(*dec, data);
  // Streaming in odd chunk sizes gives the same plaintext.
  CbcDecryptor d(key);
  Blob out;
  for (size_t off = 0; off < enc->size(); off += 37) {
    const size_t n = std::min<size_t>(37, enc->size() - off);
    ASSERT_TRUE(d.update(std::span(enc->data() + off, n), out).ok());
  }
  out.resize(1000);
  EXPECT_EQ(out, data);
  EXPECT_FALSE(aes256_cbc_decrypt(key, Blob(15, 0)).ok());
  // Bad padding is left alone.
  Blob p(16, 3);
  p[15] = 17;
  EXPECT_EQ(pkcs7_unpadded_length(p), 16u);
}

}  // namespace
}  // namespace remit::test
