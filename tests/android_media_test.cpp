// Unit tests for the code android.media does not take from a library: the
// EXIF date and offset readers and the streaming MP4 moov/mvhd scanner
// (including hostile and randomly mutated input fed in random chunk sizes).
#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

#include "artifacts/android/media.hpp"
#include "remit/timeconv.hpp"

namespace remit::artifacts::media_detail {
namespace {

using Bytes = std::vector<unsigned char>;

void be32(Bytes& v, uint32_t x) {
  for (int s = 24; s >= 0; s -= 8) v.push_back(static_cast<unsigned char>(x >> s));
}
void be64(Bytes& v, uint64_t x) {
  be32(v, static_cast<uint32_t>(x >> 32));
  be32(v, static_cast<uint32_t>(x));
}
Bytes box(const char* type, const Bytes& body) {
  Bytes v;
  be32(v, static_cast<uint32_t>(8 + body.size()));
  v.insert(v.end(), type, type + 4);
  v.insert(v.end(), body.begin(), body.end());
  return v;
}
Bytes cat(std::initializer_list<Bytes> parts) {
  Bytes v;
  for (const auto& p : parts) v.insert(v.end(), p.begin(), p.end());
  return v;
}
Bytes mvhd_v0(uint32_t creation, uint32_t timescale, uint32_t duration) {
  Bytes b = {0, 0, 0, 0};
  be32(b, creation);
  be32(b, creation);
  be32(b, timescale);
  be32(b, duration);
  b.resize(b.size() + 80, 0);
  return box("mvhd", b);
}
Bytes mvhd_v1(uint64_t creation, uint32_t timescale, uint64_t duration) {
  Bytes b = {1, 0, 0, 0};
  be64(b, creation);
  be64(b, creation);
  be32(b, timescale);
  be64(b, duration);
  b.resize(b.size() + 80, 0);
  return box("mvhd", b);
}

Mp4Info scan(const Bytes& file, size_t chunk) {
  Mp4Scanner s;
  for (size_t i = 0; i < file.size(); i += chunk) {
    const size_t n = std::min(chunk, file.size() - i);
    if (!s.feed(std::span(file.data() + i, n))) break;
  }
  return s.info();
}

TEST(ExifDate, ParsesLocalTimesAndRejectsGarbage) {
  EXPECT_EQ(exif_local_ms("2023:11:16 09:30:15"), 1700127015000);
  EXPECT_EQ(exif_local_ms("2023-11-16T09:30:15"), 1700127015000);
  EXPECT_FALSE(exif_local_ms("0000:00:00 00:00:00"));  // cameras write this when unset
  EXPECT_FALSE(exif_local_ms("2023:13:16 09:30:15"));
  EXPECT_FALSE(exif_local_ms("2023:11:16 25:30:15"));
  EXPECT_FALSE(exif_local_ms("not a date at all!!"));
  EXPECT_FALSE(exif_local_ms(""));
  EXPECT_FALSE(exif_local_ms("2023:11:16"));
}

TEST(ExifOffset, ParsesOffsets) {
  EXPECT_EQ(exif_offset_min("+01:00"), 60);
  EXPECT_EQ(exif_offset_min("-05:30"), -330);
  EXPECT_EQ(exif_offset_min("+0530"), 330);
  EXPECT_EQ(exif_offset_min("Z"), 0);
  EXPECT_FALSE(exif_offset_min("01:00"));
  EXPECT_FALSE(exif_offset_min("+99:00"));
  EXPECT_FALSE(exif_offset_min("+1:00"));
  EXPECT_FALSE(exif_offset_min("   "));
}

TEST(Mp4Scanner, FindsMvhdAfterMediaDataInAnyChunking) {
  // 2023-11-18T07:00:00Z = 3783135600 s since 1904; 12.5 s
  const Bytes file = cat({box("ftyp", Bytes(16, 'x')), box("mdat", Bytes(5000, 0)),
                          box("moov", cat({mvhd_v0(3783135600u, 1000, 12500), box("trak", Bytes(40, 1))}))});
  for (size_t chunk : {1u, 3u, 7u, 64u, 4096u, 1000000u}) {
    const auto info = scan(file, chunk);
    ASSERT_TRUE(info.found_mvhd) << chunk;
    EXPECT_EQ(info.creation_1904_s, 3783135600u) << chunk;
    ASSERT_TRUE(info.duration_s);
    EXPECT_DOUBLE_EQ(*info.duration_s, 12.5);
  }
}

TEST(Mp4Scanner, Version1AndLargesize) {
  Bytes mdat;  // a box with a 64-bit largesize
  be32(mdat, 1);
  mdat.insert(mdat.end(), {'m', 'd', 'a', 't'});
  be64(mdat, 16 + 100);
  mdat.resize(mdat.size() + 100, 0);
  const Bytes file = cat({box("ftyp", Bytes(8, 'y')), mdat, box("moov", mvhd_v1(3783135600ull, 90000, 900000))});
  const auto info = scan(file, 5);
  ASSERT_TRUE(info.found_mvhd);
  EXPECT_EQ(info.creation_1904_s, 3783135600ull);
  EXPECT_DOUBLE_EQ(*info.duration_s, 10.0);
}

TEST(Mp4Scanner, UnsetCreationTimeAndDamagedBoxes) {
  EXPECT_FALSE(scan(cat({box("moov", mvhd_v0(0, 1000, 1000))}), 9).creation_1904_s);
  // a size smaller than its header
  Bytes bad;
  be32(bad, 4);
  bad.insert(bad.end(), {'f', 't', 'y', 'p'});
  Mp4Scanner s;
  s.feed(bad);
  EXPECT_TRUE(s.failed());
  // a non-printable box type: not an ISO file
  Mp4Scanner t;
  t.feed(Bytes{0, 0, 0, 16, 0x01, 0x02, 0x03, 0x04, 0, 0, 0, 0, 0, 0, 0, 0});
  EXPECT_TRUE(t.failed());
  // a moov larger than the limit is refused, not buffered
  Bytes huge;
  be32(huge, 0xFFFFFFF0u);
  huge.insert(huge.end(), {'m', 'o', 'o', 'v'});
  Mp4Scanner u(1 << 20);
  u.feed(huge);
  EXPECT_TRUE(u.failed());
  // mvhd truncated inside moov
  Bytes cut = box("mvhd", Bytes{0, 0, 0, 0, 1, 2});
  EXPECT_FALSE(scan(box("moov", cut), 2).found_mvhd);
}

TEST(Mp4Scanner, RandomAndMutatedInputNeverMisbehaves) {
  std::mt19937_64 rng(20231118);
  const Bytes good = cat({box("ftyp", Bytes(16, 'x')), box("mdat", Bytes(300, 0)),
                          box("moov", cat({mvhd_v0(3783135600u, 1000, 12500), box("trak", Bytes(40, 1))}))});
  for (int round = 0; round < 3000; ++round) {
    Bytes f;
    if (round % 3 == 0) {
      f.resize(rng() % 600);
      for (auto& b : f) b = static_cast<unsigned char>(rng());
    } else {
      f = good;
      const int flips = 1 + static_cast<int>(rng() % 8);
      for (int k = 0; k < flips; ++k) f[rng() % f.size()] = static_cast<unsigned char>(rng());
      if (round % 3 == 2) f.resize(rng() % f.size());
    }
    Mp4Scanner s(1 << 16);
    const size_t chunk = 1 + rng() % 97;
    for (size_t i = 0; i < f.size(); i += chunk) {
      if (!s.feed(std::span(f.data() + i, std::min(chunk, f.size() - i)))) break;
    }
    if (s.info().duration_s) {
      EXPECT_GE(*s.info().duration_s, 0.0);
    }
  }
}

}  // namespace
}  // namespace remit::artifacts::media_detail
