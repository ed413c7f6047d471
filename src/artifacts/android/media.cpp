// Android media files: camera (DCIM), Pictures, Movies, WhatsApp media.
//
// References:
//  - EXIF 2.32 (CIPA DC-008): DateTimeOriginal 0x9003 and DateTimeDigitized
//    0x9004 ("YYYY:MM:DD HH:MM:SS", local time), OffsetTimeOriginal 0x9011 /
//    OffsetTimeDigitized 0x9012 ("+HH:MM"), SubSecTimeOriginal 0x9291, GPS
//    IFD: GPSLatitudeRef/GPSLatitude (3 rationals), GPSLongitudeRef/
//    GPSLongitude, GPSHPositioningError 0x001F.
//  - exiv2 0.27 (Debian libexiv2-27): reads Exif from JPEG, PNG, WebP, DNG
//    and, with enableBMFF(), from HEIF/HEIC/AVIF (the 'Exif' item of the
//    meta box).
//  - ISO/IEC 14496-12: top-level boxes (size, type, largesize), moov/mvhd
//    (version 0: 32-bit creation_time, timescale, duration; version 1:
//    64-bit), times in seconds since 1904-01-01 UTC.
//  - docs/item-format.md conventions for media times (recorded /
//    local_guess / file_mtime).
// Checked against JPEG and HEIC fixtures written with exiv2 and libheif
// (tests/cases/android_media_dcim) and against hand-built MP4 boxes
// (tests/android_media_test.cpp).
#include "artifacts/android/media.hpp"

#include <fmt/format.h>

#include <algorithm>

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"
#include <exiv2/exiv2.hpp>
#pragma GCC diagnostic pop

#include <cmath>

#include "artifacts/android/android_common.hpp"
#include "artifacts/common.hpp"
#include "remit/text.hpp"
#include "remit/timeconv.hpp"

namespace remit::artifacts {
namespace media_detail {

std::optional<int64_t> exif_local_ms(std::string_view t) {
  t = trim(t);
  if (t.size() < 19) return std::nullopt;
  auto num = [&](size_t pos, size_t len) -> std::optional<int> {
    int v = 0;
    for (size_t i = pos; i < pos + len; ++i) {
      if (t[i] < '0' || t[i] > '9') return std::nullopt;
      v = v * 10 + (t[i] - '0');
    }
    return v;
  };
  if ((t[4] != ':' && t[4] != '-') || (t[7] != ':' && t[7] != '-') || (t[10] != ' ' && t[10] != 'T') || t[13] != ':' ||
      t[16] != ':')
    return std::nullopt;
  const auto y = num(0, 4), mo = num(5, 2), d = num(8, 2), h = num(11, 2), mi = num(14, 2), s = num(17, 2);
  if (!y || !mo || !d || !h || !mi || !s) return std::nullopt;
  if (*y < 1970 || *y > 2199 || *mo < 1 || *mo > 12 || *d < 1 || *d > 31 || *h > 23 || *mi > 59 || *s > 60)
    return std::nullopt;
  const int64_t days = days_from_civil(*y, static_cast<unsigned>(*mo), static_cast<unsigned>(*d));
  return ((days * 24 + *h) * 60 + *mi) * 60000LL + *s * 1000LL;
}

std::optional<int> exif_offset_min(std::string_view t) {
  t = trim(t);
  if (t == "Z") return 0;
  if (t.size() != 6 && t.size() != 5) return std::nullopt;
  const int sign = t[0] == '+' ? 1 : t[0] == '-' ? -1 : 0;
  if (!sign) return std::nullopt;
  std::string digits;
  for (char c : t.substr(1))
    if (c != ':') digits.push_back(c);
  if (digits.size() != 4) return std::nullopt;
  for (char c : digits)
    if (c < '0' || c > '9') return std::nullopt;
  const int hh = (digits[0] - '0') * 10 + (digits[1] - '0'), mm = (digits[2] - '0') * 10 + (digits[3] - '0');
  if (hh > 14 || mm > 59) return std::nullopt;
  return sign * (hh * 60 + mm);
}

namespace {
uint32_t be32(const unsigned char* p) {
  return (uint32_t(p[0]) << 24) | (uint32_t(p[1]) << 16) | (uint32_t(p[2]) << 8) | uint32_t(p[3]);
}
uint64_t be64(const unsigned char* p) {
  return (uint64_t(be32(p)) << 32) | be32(p + 4);
}
bool printable_type(const unsigned char* t) {
  for (int i = 0; i < 4; ++i)
    if (t[i] < 0x20 || t[i] > 0x7e) return false;
  return true;
}
}  // namespace

bool Mp4Scanner::feed(std::span<const unsigned char> chunk) {
  size_t i = 0;
  while (i < chunk.size() && !done_ && !failed_) {
    const size_t avail = chunk.size() - i;
    if (in_moov_) {
      const size_t n = static_cast<size_t>(std::min<uint64_t>(moov_left_, avail));
      moov_.append(reinterpret_cast<const char*>(chunk.data() + i), n);
      moov_left_ -= n;
      i += n;
      pos_ += n;
      if (moov_left_ == 0) {
        parse_moov();
        done_ = true;
      }
      continue;
    }
    if (skip_ > 0) {
      const size_t n = static_cast<size_t>(std::min<uint64_t>(skip_, avail));
      skip_ -= n;
      i += n;
      pos_ += n;
      continue;
    }
    if (to_eof_) {
      done_ = true;  // the last box runs to the end of the file and is not moov
      break;
    }
    // Accumulate a box header (8 bytes, or 16 with a 64-bit largesize).
    const size_t need = hdr_len_ >= 8 && be32(hdr_) == 1 ? 16 : 8;
    const size_t n = std::min(need - hdr_len_, avail);
    std::memcpy(hdr_ + hdr_len_, chunk.data() + i, n);
    hdr_len_ += n;
    i += n;
    pos_ += n;
    if (hdr_len_ < need) continue;
    if (need == 8 && be32(hdr_) == 1) continue;  // read the largesize next
    if (!printable_type(hdr_ + 4)) {
      failed_ = true;
      break;
    }
    const uint32_t size32 = be32(hdr_);
    const bool moov = std::memcmp(hdr_ + 4, "moov", 4) == 0;
    hdr_len_ = 0;
    if (size32 == 0) {
      if (moov)
        failed_ = true;  // moov running to EOF: not supported, not seen in practice
      else
        to_eof_ = true;
      continue;
    }
    const uint64_t size = size32 == 1 ? be64(hdr_ + 8) : size32;
    const uint64_t header = size32 == 1 ? 16 : 8;
    if (size < header) {
      failed_ = true;
      break;
    }
    const uint64_t body = size - header;
    if (moov) {
      if (body > moov_limit_) {
        failed_ = true;
        break;
      }
      in_moov_ = true;
      moov_left_ = body;
      moov_.clear();
      moov_.reserve(static_cast<size_t>(body));
      if (body == 0) {
        done_ = true;
        in_moov_ = false;
      }
    } else {
      skip_ = body;
    }
  }
  return !done_ && !failed_;
}

void Mp4Scanner::parse_moov() {
  const auto* b = reinterpret_cast<const unsigned char*>(moov_.data());
  const uint64_t len = moov_.size();
  uint64_t p = 0;
  while (p + 8 <= len) {
    uint64_t size = be32(b + p);
    uint64_t header = 8;
    if (size == 1) {
      if (p + 16 > len) return;
      size = be64(b + p + 8);
      header = 16;
    } else if (size == 0) {
      size = len - p;
    }
    if (size < header || size > len - p) return;
    if (std::memcmp(b + p + 4, "mvhd", 4) == 0) {
      const unsigned char* m = b + p + header;
      const uint64_t mlen = size - header;
      if (mlen < 1) return;
      const int version = m[0];
      uint64_t creation = 0, timescale = 0, duration = 0;
      if (version == 1) {
        if (mlen < 32) return;
        creation = be64(m + 4);
        timescale = be32(m + 20);
        duration = be64(m + 24);
      } else {
        if (mlen < 20) return;
        creation = be32(m + 4);
        timescale = be32(m + 12);
        duration = be32(m + 16);
      }
      info_.found_mvhd = true;
      if (creation != 0) info_.creation_1904_s = creation;
      if (timescale != 0 && duration != 0 && duration != UINT32_MAX && duration != UINT64_MAX)
        info_.duration_s = static_cast<double>(duration) / static_cast<double>(timescale);
      return;
    }
    p += size;
  }
}

}  // namespace media_detail

namespace {

using media_detail::exif_local_ms;
using media_detail::exif_offset_min;

constexpr std::string_view kRefs[] = {
    "EXIF 2.32 (CIPA DC-008): DateTimeOriginal, OffsetTimeOriginal, SubSecTimeOriginal, GPS IFD",
    "exiv2 0.27 (JPEG, PNG, WebP, DNG; HEIF/HEIC via enableBMFF)",
    "ISO/IEC 14496-12 moov/mvhd creation_time and duration",
    "docs/item-format.md: media time conventions",
};
constexpr Category kCats[] = {Category::media};

constexpr uint64_t kMaxImageBytes = 128ULL << 20;
constexpr int64_t kMp4EpochOffsetS = 2082844800;  // 1904-01-01 .. 1970-01-01

enum class Kind { image, video, audio, none };

struct TypeInfo {
  Kind kind;
  const char* mime;
};

TypeInfo type_of(std::string_view name) {
  const auto dot = name.rfind('.');
  if (dot == std::string_view::npos) return {Kind::none, ""};
  const std::string ext = ascii_lower(name.substr(dot + 1));
  static constexpr std::pair<std::string_view, TypeInfo> kTypes[] = {
      {"jpg", {Kind::image, "image/jpeg"}},        {"jpeg", {Kind::image, "image/jpeg"}},
      {"heic", {Kind::image, "image/heic"}},       {"heif", {Kind::image, "image/heif"}},
      {"avif", {Kind::image, "image/avif"}},       {"png", {Kind::image, "image/png"}},
      {"webp", {Kind::image, "image/webp"}},       {"gif", {Kind::image, "image/gif"}},
      {"dng", {Kind::image, "image/x-adobe-dng"}}, {"mp4", {Kind::video, "video/mp4"}},
      {"3gp", {Kind::video, "video/3gpp"}},        {"mov", {Kind::video, "video/quicktime"}},
      {"m4v", {Kind::video, "video/x-m4v"}},       {"mkv", {Kind::video, "video/x-matroska"}},
      {"webm", {Kind::video, "video/webm"}},       {"m4a", {Kind::audio, "audio/mp4"}},
      {"aac", {Kind::audio, "audio/aac"}},         {"opus", {Kind::audio, "audio/ogg"}},
      {"ogg", {Kind::audio, "audio/ogg"}},         {"mp3", {Kind::audio, "audio/mpeg"}},
      {"amr", {Kind::audio, "audio/amr"}},         {"wav", {Kind::audio, "audio/wav"}},
  };
  for (const auto& [e, t] : kTypes)
    if (e == ext) return t;
  return {Kind::none, ""};
}

bool is_mp4_family(std::string_view name) {
  const std::string ext = ascii_lower(name.substr(name.rfind('.') + 1));
  return ext == "mp4" || ext == "3gp" || ext == "mov" || ext == "m4v" || ext == "m4a";
}

// Caches and thumbnail stores of the gallery are not media in their own right.
bool derived_cache(std::string_view path) {
  for (auto seg : split(path, '/')) {
    if (iequals(seg, ".thumbnails") || iequals(seg, ".thumbs") || iequals(seg, ".cache")) return true;
  }
  const auto base = android::base_name(path);
  return base.rfind(".thumbdata", 0) == 0 || iequals(base, ".nomedia");
}

std::string service_of(std::string_view path) {
  if (path.find("WhatsApp Business/Media/") != std::string_view::npos) return "whatsapp_business";
  if (path.find("WhatsApp/Media/") != std::string_view::npos) return "whatsapp";
  if (path.find("/DCIM/") != std::string_view::npos || path.rfind("DCIM/", 0) == 0) return "camera";
  return "device_storage";
}

struct ExifFacts {
  std::optional<Timestamp> time;
  std::optional<GeoPoint> place;
  std::string make, model;
};

std::optional<std::string> exif_value(const Exiv2::ExifData& exif, uint16_t tag, const char* ifd) {
  try {
    auto it = exif.findKey(Exiv2::ExifKey(tag, ifd));
    if (it == exif.end() || it->count() == 0) return std::nullopt;
    return it->toString();
  } catch (...) {
    return std::nullopt;
  }
}

std::optional<double> gps_coord(const Exiv2::ExifData& exif, uint16_t tag, uint16_t ref_tag) {
  try {
    auto it = exif.findKey(Exiv2::ExifKey(tag, "GPSInfo"));
    if (it == exif.end() || it->count() < 3) return std::nullopt;
    double parts[3];
    for (long i = 0; i < 3; ++i) {
      const auto r = it->toRational(i);
      if (r.second == 0) return std::nullopt;
      parts[i] = static_cast<double>(r.first) / static_cast<double>(r.second);
    }
    double v = parts[0] + parts[1] / 60.0 + parts[2] / 3600.0;
    const auto ref = exif_value(exif, ref_tag, "GPSInfo");
    if (ref && !ref->empty() && (ref->front() == 'S' || ref->front() == 'W')) v = -v;
    if (!std::isfinite(v)) return std::nullopt;
    return v;
  } catch (...) {
    return std::nullopt;
  }
}

// Time from one EXIF date tag and its offset / sub-second tags.
std::optional<Timestamp> exif_time(const Exiv2::ExifData& exif, uint16_t date_tag, uint16_t offset_tag,
                                   uint16_t subsec_tag) {
  const auto v = exif_value(exif, date_tag, "Photo");
  if (!v) return std::nullopt;
  const auto local = exif_local_ms(*v);
  if (!local) return std::nullopt;
  int64_t ms = *local;
  if (const auto sub = exif_value(exif, subsec_tag, "Photo")) {
    std::string digits;
    for (char c : *sub)
      if (c >= '0' && c <= '9') digits.push_back(c);
    if (!digits.empty()) {
      digits.resize(3, '0');
      ms += std::stoi(digits.substr(0, 3));
    }
  }
  Timestamp t;
  t.unit = TimeUnit::exif_local;
  t.raw = std::string(trim(*v));
  const auto off = exif_value(exif, offset_tag, "Photo");
  const auto off_min = off ? exif_offset_min(*off) : std::nullopt;
  if (off_min) {
    t.raw += std::string(trim(*off));
    ms -= static_cast<int64_t>(*off_min) * 60000;
    t.source = TimeSource::recorded;
  } else {
    t.source = TimeSource::local_guess;  // no offset: read as UTC, stated as a guess
  }
  if (ms < kMinPlausibleMs || ms > kMaxPlausibleMs) return std::nullopt;
  t.utc_ms = ms;
  return t;
}

ExifFacts read_exif(const Bytes& bytes) {
  ExifFacts out;
  Exiv2::enableBMFF(true);
  auto image =
      Exiv2::ImageFactory::open(reinterpret_cast<const Exiv2::byte*>(bytes.data()), static_cast<long>(bytes.size()));
  if (!image.get()) return out;
  image->readMetadata();
  const Exiv2::ExifData& exif = image->exifData();
  if (exif.empty()) return out;
  out.time = exif_time(exif, 0x9003, 0x9011, 0x9291);                 // DateTimeOriginal
  if (!out.time) out.time = exif_time(exif, 0x9004, 0x9012, 0x9292);  // DateTimeDigitized
  const auto lat = gps_coord(exif, 0x0002, 0x0001), lon = gps_coord(exif, 0x0004, 0x0003);
  if (lat && lon && *lat >= -90 && *lat <= 90 && *lon >= -180 && *lon <= 180 && !(*lat == 0 && *lon == 0)) {
    GeoPoint g{*lat, *lon, std::nullopt};
    try {
      auto it = exif.findKey(Exiv2::ExifKey(0x001f, "GPSInfo"));
      if (it != exif.end() && it->count() > 0) {
        const auto r = it->toRational(0);
        if (r.second != 0) g.accuracy_m = static_cast<double>(r.first) / r.second;
      }
    } catch (...) {
    }
    out.place = g;
  }
  if (auto m = exif_value(exif, 0x010f, "Image")) out.make = std::string(trim(*m));
  if (auto m = exif_value(exif, 0x0110, "Image")) out.model = std::string(trim(*m));
  return out;
}

// JPEG keeps its metadata (APP segments: Exif, XMP, ICC) before the first
// start-of-scan marker; the compressed picture after it is never needed.
// Returns the length to keep (through the Exif APP1 segment, else up to
// SOS), 0 while more bytes are needed, or nullopt when the bytes are not a
// well-formed JPEG header (the caller reads the file whole).
std::optional<size_t> jpeg_header_end(std::span<const unsigned char> b) {
  if (b.size() < 2) return 0;
  if (b[0] != 0xFF || b[1] != 0xD8) return std::nullopt;
  size_t pos = 2;
  for (;;) {
    if (pos + 2 > b.size()) return 0;
    if (b[pos] != 0xFF) return std::nullopt;
    const unsigned char marker = b[pos + 1];
    if (marker == 0xFF) {  // fill byte
      ++pos;
      continue;
    }
    if (marker == 0xDA || marker == 0xD9) return pos;  // start of scan / end of image
    if (marker == 0x01 || (marker >= 0xD0 && marker <= 0xD8)) {
      pos += 2;  // standalone marker
      continue;
    }
    if (pos + 4 > b.size()) return 0;
    const size_t len = (static_cast<size_t>(b[pos + 2]) << 8) | b[pos + 3];
    if (len < 2) return std::nullopt;
    // The Exif APP1 segment is all read_exif() uses: stop after it, so
    // large later segments (ICC profiles, maker data) are not read.
    static constexpr unsigned char kExif[] = {'E', 'x', 'i', 'f', 0, 0};
    if (marker == 0xE1 && len >= 2 + sizeof kExif && pos + 2 + len <= b.size() &&
        std::equal(std::begin(kExif), std::end(kExif), b.begin() + static_cast<std::ptrdiff_t>(pos + 4)))
      return pos + 2 + len;
    pos += 2 + len;
  }
}

// The metadata part of a JPEG, followed by an end-of-image marker, read as a
// prefix of the entry; nullopt when it is not a JPEG or its header exceeds
// kMaxJpegHeaderBytes (the caller then reads the whole file).
constexpr size_t kMaxJpegHeaderBytes = 16U << 20;
std::optional<Bytes> read_jpeg_header(const Source& source, const Entry& e) {
  Bytes buf;
  std::optional<size_t> end = 0;
  auto st = source.stream(e, [&](std::span<const unsigned char> chunk) {
    buf.insert(buf.end(), chunk.begin(), chunk.end());
    end = jpeg_header_end(buf);
    return end && *end == 0 && buf.size() < kMaxJpegHeaderBytes;
  });
  if (!st || !end || *end == 0) return std::nullopt;
  buf.resize(*end);
  buf.push_back(0xFF);
  buf.push_back(0xD9);
  return buf;
}

Timestamp mtime_of(const Entry& e) {
  Timestamp t;
  t.unit = TimeUnit::file_mtime_ns;
  if (!e.mtime_ns) return t;
  t.raw = std::to_string(*e.mtime_ns);
  const int64_t ms = *e.mtime_ns / 1000000;
  if (ms >= kMinPlausibleMs && ms <= kMaxPlausibleMs) {
    t.utc_ms = ms;
    t.source = TimeSource::file_mtime;
  }
  return t;
}

}  // namespace

std::string_view AndroidMediaParser::name() const noexcept {
  return "android.media";
}
std::string_view AndroidMediaParser::version() const noexcept {
  return "1.0";
}
std::span<const std::string_view> AndroidMediaParser::references() const noexcept {
  return kRefs;
}
std::span<const Category> AndroidMediaParser::categories() const noexcept {
  return kCats;
}

void AndroidMediaParser::parse(ParseContext& ctx) const {
  const Entry& e = ctx.entry();
  const std::string_view fname = android::base_name(e.path);
  const TypeInfo type = type_of(fname);
  if (type.kind == Kind::none || derived_cache(e.path)) return;  // not a media file (see docs/formats/android-media.md)

  Item it;
  it.category = Category::media;
  it.service = service_of(e.path);
  it.direction = Direction::unknown;
  it.title = std::string(fname);
  FileRef ref;
  ref.name = std::string(fname);
  ref.mime = type.mime;
  const std::string candidates[] = {e.path};
  ctx.resolve_file(ref, candidates);
  if (ref.missing) {  // the entry itself could not be found again: keep what we know
    ref.missing = false;
    ref.path = e.path;
    ref.size = e.size;
  }
  if (fname.rfind(".trashed-", 0) == 0) {
    it.deleted = true;  // Android 11+ MediaStore trash: ".trashed-<expiry>-<name>"
    it.extra.emplace_back("trashed", "1");
  }

  Timestamp mtime = mtime_of(e);
  bool have_time = false;
  if (type.kind == Kind::image) {
    if (e.size > kMaxImageBytes) {
      ctx.warn("too_large",
               fmt::format("image of {} bytes exceeds {} bytes; metadata not read", e.size, kMaxImageBytes));
    } else if (auto bytes = [&] {
                 auto head = read_jpeg_header(ctx.source(), e);
                 return head ? std::optional<Bytes>(std::move(head)) : ctx.read(e, kMaxImageBytes);
               }()) {
      try {
        Exiv2::LogMsg::setLevel(Exiv2::LogMsg::mute);
        ExifFacts f = read_exif(*bytes);
        if (f.time) {
          it.time = std::move(*f.time);
          have_time = true;
        }
        if (f.place) it.location = f.place;
        if (!f.make.empty()) it.extra.emplace_back("camera_make", f.make);
        if (!f.model.empty()) it.extra.emplace_back("camera_model", f.model);
      } catch (const std::exception&) {
        ctx.warn("corrupt", "image metadata could not be read; the file time is used");
      } catch (...) {
        ctx.warn("corrupt", "image metadata could not be read; the file time is used");
      }
    }
  } else if (is_mp4_family(fname)) {
    media_detail::Mp4Scanner scan;
    auto st = ctx.source().stream(e, [&](std::span<const unsigned char> chunk) { return scan.feed(chunk); });
    if (!st) {
      ctx.warn("unreadable", st.error().message);
    } else if (scan.failed()) {
      ctx.warn("corrupt", "the MP4 box structure is damaged; the file time is used");
    }
    const auto& info = scan.info();
    if (info.creation_1904_s) {
      const int64_t unix_s = static_cast<int64_t>(*info.creation_1904_s) - kMp4EpochOffsetS;
      if (auto ms = to_unix_ms(unix_s, TimeUnit::unix_s)) {
        it.time.utc_ms = ms;
        it.time.unit = TimeUnit::iso8601;
        it.time.raw = format_rfc3339_ms(*ms);
        it.time.source = TimeSource::recorded;
        it.extra.emplace_back("mvhd_creation_time", std::to_string(*info.creation_1904_s));
        have_time = true;
      }
    }
    if (info.duration_s) it.duration_s = *info.duration_s;
  }
  if (!have_time)
    it.time = mtime;
  else if (mtime.dated())
    it.other_times.push_back({"file_modified", mtime});
  it.file = std::move(ref);
  it.provenance = ctx.provenance("", "");
  ctx.emit(std::move(it));
}

}  // namespace remit::artifacts
