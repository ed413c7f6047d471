// JPEG and EXIF for the generators (src/synth/jpeg.hpp).
// References: ITU T.81 (markers, APPn segment lengths <= 65535 including the
// length field); EXIF 2.31 (OffsetTimeOriginal 0x9011, GPS IFD rationals);
// libjpeg-turbo libjpeg.txt (jpeg_mem_dest, error_exit); exiv2 0.27 API.
#include "synth/jpeg.hpp"

// clang-format off
#include <cstdio>
#include <jpeglib.h>
// clang-format on
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <csetjmp>
#include <cstdlib>
#include <cstring>
#include <exiv2/exiv2.hpp>
#include <vector>

#include "synth/prng.hpp"

namespace remit::synth {

double ExifGps::decimal() const {
  const double v = deg + min / 60.0 + (sec_e4 / 10000.0) / 3600.0;
  return negative ? -v : v;
}

ExifGps to_exif_gps(double v) {
  ExifGps g;
  g.negative = v < 0;
  const uint64_t total = static_cast<uint64_t>(std::llround(std::fabs(v) * 3600.0 * 10000.0));
  g.deg = static_cast<uint32_t>(total / (3600ULL * 10000ULL));
  const uint64_t rem = total % (3600ULL * 10000ULL);
  g.min = static_cast<uint32_t>(rem / (60ULL * 10000ULL));
  g.sec_e4 = static_cast<uint32_t>(rem % (60ULL * 10000ULL));
  return g;
}

namespace {

struct JpegError {
  jpeg_error_mgr mgr;
  jmp_buf jump;
  char message[JMSG_LENGTH_MAX];
};

void on_error(j_common_ptr cinfo) {
  auto* e = reinterpret_cast<JpegError*>(cinfo->err);
  (*cinfo->err->format_message)(cinfo, e->message);
  std::longjmp(e->jump, 1);
}

// Pixels: a diagonal gradient with a few soft discs, colours from the seed.
// Incremental per row and disc-clipped: encoding dominates, not drawing.
void render_row(std::vector<unsigned char>& row, std::vector<float>& rr, std::vector<float>& gg, std::vector<float>& bb,
                int y, int w, int h, const double (&c)[9], const double (&discs)[12]) {
  const double v = static_cast<double>(y) / h, du = 1.0 / w;
  double r = c[0] + c[2] * v, g = c[3] + c[4] * v, b = c[6] + c[7] + c[8] * v;
  for (int x = 0; x < w; ++x) {
    rr[x] = static_cast<float>(r);
    gg[x] = static_cast<float>(g);
    bb[x] = static_cast<float>(b);
    r += c[1] * du;
    g += c[5] * du;
    b -= c[7] * du;
  }
  for (int k = 0; k < 4; ++k) {
    const double cx = discs[3 * k], cy = discs[3 * k + 1], rad = discs[3 * k + 2];
    const double dy = v - cy;
    if (dy * dy >= rad * rad) continue;
    const double half = std::sqrt(rad * rad - dy * dy);
    const int x0 = std::max(0, static_cast<int>((cx - half) * w)),
              x1 = std::min(w - 1, static_cast<int>((cx + half) * w));
    for (int x = x0; x <= x1; ++x) {
      const double dx = static_cast<double>(x) / w - cx;
      const double f = 1 - (dx * dx + dy * dy) / (rad * rad);
      if (f <= 0) continue;
      rr[x] += static_cast<float>(90 * f * ((k & 1) ? 1 : -0.5));
      gg[x] += static_cast<float>(70 * f * ((k & 2) ? 1 : -0.3));
      bb[x] += static_cast<float>(60 * f);
    }
  }
  for (int x = 0; x < w; ++x) {
    row[3 * x] = static_cast<unsigned char>(std::clamp(rr[x], 0.0f, 255.0f));
    row[3 * x + 1] = static_cast<unsigned char>(std::clamp(gg[x], 0.0f, 255.0f));
    row[3 * x + 2] = static_cast<unsigned char>(std::clamp(bb[x], 0.0f, 255.0f));
  }
}

}  // namespace

Result<std::string> encode_jpeg(int width, int height, uint64_t seed, int quality) {
  if (width <= 0 || height <= 0 || width > 8192 || height > 8192) return make_error(Errc::internal, "bad image size");
  Rng r(seed);
  double c[9], discs[12];
  for (double& x : c) x = r.unit() * 160;
  for (int k = 0; k < 4; ++k) {
    discs[3 * k] = r.unit();
    discs[3 * k + 1] = r.unit();
    discs[3 * k + 2] = 0.05 + r.unit() * 0.2;
  }
  jpeg_compress_struct cinfo{};
  JpegError err{};
  cinfo.err = jpeg_std_error(&err.mgr);
  err.mgr.error_exit = on_error;
  unsigned char* buf = nullptr;
  unsigned long len = 0;
  std::vector<unsigned char> row(static_cast<size_t>(width) * 3);
  std::vector<float> rr(static_cast<size_t>(width)), gg(static_cast<size_t>(width)), bb(static_cast<size_t>(width));
  if (setjmp(err.jump)) {
    jpeg_destroy_compress(&cinfo);
    std::free(buf);
    return make_error(Errc::internal, std::string("libjpeg: ") + err.message);
  }
  jpeg_create_compress(&cinfo);
  jpeg_mem_dest(&cinfo, &buf, &len);
  cinfo.image_width = static_cast<JDIMENSION>(width);
  cinfo.image_height = static_cast<JDIMENSION>(height);
  cinfo.input_components = 3;
  cinfo.in_color_space = JCS_RGB;
  jpeg_set_defaults(&cinfo);
  jpeg_set_quality(&cinfo, quality, TRUE);
  cinfo.write_JFIF_header = FALSE;  // camera files start with the EXIF APP1 segment
  jpeg_start_compress(&cinfo, TRUE);
  while (cinfo.next_scanline < cinfo.image_height) {
    render_row(row, rr, gg, bb, static_cast<int>(cinfo.next_scanline), width, height, c, discs);
    JSAMPROW rp = row.data();
    jpeg_write_scanlines(&cinfo, &rp, 1);
  }
  jpeg_finish_compress(&cinfo);
  jpeg_destroy_compress(&cinfo);
  std::string out(reinterpret_cast<const char*>(buf), len);
  std::free(buf);
  return out;
}

Result<std::string> add_exif(const std::string& jpeg, const ExifInfo& x) {
  if (x.datetime_original.empty()) return jpeg;
  try {
    Exiv2::LogMsg::setLevel(Exiv2::LogMsg::mute);
    auto image =
        Exiv2::ImageFactory::open(reinterpret_cast<const Exiv2::byte*>(jpeg.data()), static_cast<long>(jpeg.size()));
    if (!image.get()) return make_error(Errc::internal, "exiv2 could not open the JPEG");
    image->readMetadata();
    Exiv2::ExifData& ed = image->exifData();
    ed["Exif.Image.Make"] = x.make;
    ed["Exif.Image.Model"] = x.model;
    ed["Exif.Image.Orientation"] = uint16_t{1};
    ed["Exif.Image.DateTime"] = x.datetime_original;
    ed["Exif.Photo.DateTimeOriginal"] = x.datetime_original;
    ed["Exif.Photo.DateTimeDigitized"] = x.datetime_original;
    if (!x.offset.empty()) {
      ed["Exif.Photo.OffsetTime"] = x.offset;
      ed["Exif.Photo.OffsetTimeOriginal"] = x.offset;
      ed["Exif.Photo.OffsetTimeDigitized"] = x.offset;
    }
    if (x.lat && x.lon) {
      auto ver = Exiv2::Value::create(Exiv2::unsignedByte);
      ver->read("2 2 0 0");
      ed.add(Exiv2::ExifKey("Exif.GPSInfo.GPSVersionID"), ver.get());
      auto put = [&](const char* key, double v) {
        const ExifGps g = to_exif_gps(v);
        Exiv2::URationalValue rv;
        rv.value_.push_back({g.deg, 1});
        rv.value_.push_back({g.min, 1});
        rv.value_.push_back({g.sec_e4, 10000});
        ed.add(Exiv2::ExifKey(key), &rv);
      };
      ed["Exif.GPSInfo.GPSLatitudeRef"] = *x.lat < 0 ? "S" : "N";
      put("Exif.GPSInfo.GPSLatitude", *x.lat);
      ed["Exif.GPSInfo.GPSLongitudeRef"] = *x.lon < 0 ? "W" : "E";
      put("Exif.GPSInfo.GPSLongitude", *x.lon);
      ed["Exif.GPSInfo.GPSMapDatum"] = "WGS-84";
    }
    image->writeMetadata();
    Exiv2::BasicIo& io = image->io();
    io.seek(0, Exiv2::BasicIo::beg);
    Exiv2::DataBuf buf = io.read(static_cast<long>(io.size()));
    return std::string(reinterpret_cast<const char*>(buf.pData_), static_cast<size_t>(buf.size_));
  } catch (const Exiv2::AnyError& e) {
    return make_error(Errc::internal, std::string("exiv2: ") + e.what());
  } catch (const std::exception& e) {
    return make_error(Errc::internal, std::string("exiv2: ") + e.what());
  }
}

Result<PaddableJpeg> PaddableJpeg::split(std::string jpeg) {
  const auto* p = reinterpret_cast<const unsigned char*>(jpeg.data());
  const size_t n = jpeg.size();
  if (n < 4 || p[0] != 0xFF || p[1] != 0xD8) return make_error(Errc::internal, "not a JPEG");
  size_t pos = 2;
  while (pos + 4 <= n && p[pos] == 0xFF && p[pos + 1] >= 0xE0 && p[pos + 1] <= 0xEF) {
    const size_t len = (static_cast<size_t>(p[pos + 2]) << 8) | p[pos + 3];
    if (len < 2 || pos + 2 + len > n) return make_error(Errc::internal, "bad JPEG segment length");
    pos += 2 + len;
  }
  PaddableJpeg out;
  out.head = jpeg.substr(0, pos);
  out.tail = jpeg.substr(pos);
  return out;
}

Status PaddableJpeg::write(ByteSink& sink, uint64_t pad, uint64_t seed) const {
  if (auto st = sink.write(head); !st) return st;
  pad = usable_padding(pad);
  if (pad > 0) {
    // APP15 segments: marker (2) + length (2, counts itself) + payload.
    constexpr size_t kMaxSeg = 4 + 65533;
    static constexpr char kTag[] = "REMIT-SYNTH-PADDING";
    std::vector<unsigned char> chunk(kMaxSeg);
    Rng r = Rng::derive(seed, "jpeg-padding");
    uint64_t left = pad;
    while (left > 0) {
      size_t seg = static_cast<size_t>(std::min<uint64_t>(left, kMaxSeg));
      // Never leave a remainder too small for a segment of its own.
      if (left - seg > 0 && left - seg < 4) seg -= 4;
      const size_t payload = seg - 4;
      chunk[0] = 0xFF;
      chunk[1] = 0xEF;
      chunk[2] = static_cast<unsigned char>((payload + 2) >> 8);
      chunk[3] = static_cast<unsigned char>((payload + 2) & 0xFF);
      r.fill(chunk.data() + 4, payload);
      const size_t tag = std::min(payload, sizeof kTag);
      std::memcpy(chunk.data() + 4, kTag, tag);
      if (auto st = sink.write(chunk.data(), seg); !st) return st;
      left -= seg;
    }
  }
  return sink.write(tail);
}

}  // namespace remit::synth
