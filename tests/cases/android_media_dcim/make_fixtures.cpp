// Writes the binary media fixtures of tests/cases/android_media_dcim (and the
// WhatsApp case's sent image) as base64 text. Not built by CMake: run by hand
//   g++ -std=c++20 make_fixtures.cpp -lexiv2 -ljpeg -lheif -o /tmp/mk && /tmp/mk OUTDIR
// JPEGs are encoded with libjpeg, Exif written with exiv2, HEIC encoded with
// libheif (x265) with the Exif block attached, the MP4 built box by box.
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"
#include <jpeglib.h>
#include <libheif/heif.h>

#include <cstdio>
#include <cstring>
#include <exiv2/exiv2.hpp>
#include <fstream>
#include <string>
#include <vector>

static std::string b64(const std::vector<unsigned char>& d) {
  static const char* t = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string o;
  for (size_t i = 0; i < d.size(); i += 3) {
    unsigned v = d[i] << 16 | (i + 1 < d.size() ? d[i + 1] << 8 : 0) | (i + 2 < d.size() ? d[i + 2] : 0);
    o += t[v >> 18 & 63];
    o += t[v >> 12 & 63];
    o += i + 1 < d.size() ? t[v >> 6 & 63] : '=';
    o += i + 2 < d.size() ? t[v & 63] : '=';
    if (o.size() % 77 == 76) o += '\n';
  }
  return o + "\n";
}

static std::vector<unsigned char> jpeg(int shade) {
  jpeg_compress_struct c{};
  jpeg_error_mgr e{};
  c.err = jpeg_std_error(&e);
  jpeg_create_compress(&c);
  unsigned char* buf = nullptr;
  unsigned long len = 0;
  jpeg_mem_dest(&c, &buf, &len);
  c.image_width = 16;
  c.image_height = 16;
  c.input_components = 1;
  c.in_color_space = JCS_GRAYSCALE;
  jpeg_set_defaults(&c);
  jpeg_start_compress(&c, TRUE);
  std::vector<unsigned char> row(16, static_cast<unsigned char>(shade));
  while (c.next_scanline < 16) {
    JSAMPROW r = row.data();
    jpeg_write_scanlines(&c, &r, 1);
  }
  jpeg_finish_compress(&c);
  std::vector<unsigned char> out(buf, buf + len);
  free(buf);
  jpeg_destroy_compress(&c);
  return out;
}

static void set(Exiv2::ExifData& x, uint16_t tag, const char* ifd, const std::string& v, Exiv2::TypeId t) {
  auto val = Exiv2::Value::create(t);
  val->read(v);
  x.add(Exiv2::ExifKey(tag, ifd), val.get());
}

static Exiv2::ExifData exif(const char* dto, const char* off, const char* subsec, bool gps) {
  Exiv2::ExifData x;
  set(x, 0x010f, "Image", "FixtureMaker", Exiv2::asciiString);
  set(x, 0x0110, "Image", "Model F1", Exiv2::asciiString);
  if (dto) set(x, 0x9003, "Photo", dto, Exiv2::asciiString);
  if (off) set(x, 0x9011, "Photo", off, Exiv2::asciiString);
  if (subsec) set(x, 0x9291, "Photo", subsec, Exiv2::asciiString);
  if (gps) {
    set(x, 0x0001, "GPSInfo", "N", Exiv2::asciiString);
    set(x, 0x0002, "GPSInfo", "51/1 30/1 2520/1000", Exiv2::unsignedRational);  // 51.5007
    set(x, 0x0003, "GPSInfo", "W", Exiv2::asciiString);
    set(x, 0x0004, "GPSInfo", "0/1 7/1 2856/100", Exiv2::unsignedRational);  // 0.1246 W
    set(x, 0x001f, "GPSInfo", "5/1", Exiv2::unsignedRational);
  }
  return x;
}

static std::vector<unsigned char> with_exif(std::vector<unsigned char> img, const Exiv2::ExifData& x) {
  auto image = Exiv2::ImageFactory::open(img.data(), static_cast<long>(img.size()));
  image->setExifData(x);
  image->writeMetadata();
  Exiv2::BasicIo& io = image->io();
  io.seek(0, Exiv2::BasicIo::beg);
  Exiv2::DataBuf db = io.read(static_cast<long>(io.size()));
  return std::vector<unsigned char>(db.pData_, db.pData_ + db.size_);
}

static heif_error write_cb(heif_context*, const void* data, size_t size, void* user) {
  auto* v = static_cast<std::vector<unsigned char>*>(user);
  v->insert(v->end(), static_cast<const unsigned char*>(data), static_cast<const unsigned char*>(data) + size);
  return heif_error{heif_error_Ok, heif_suberror_Unspecified, "ok"};
}

static std::vector<unsigned char> heic(const Exiv2::ExifData& x) {
  heif_context* ctx = heif_context_alloc();
  heif_encoder* enc = nullptr;
  heif_context_get_encoder_for_format(ctx, heif_compression_HEVC, &enc);
  heif_image* img = nullptr;
  heif_image_create(64, 64, heif_colorspace_YCbCr, heif_chroma_420, &img);
  for (auto ch : {heif_channel_Y, heif_channel_Cb, heif_channel_Cr}) {
    const int w = ch == heif_channel_Y ? 64 : 32;
    heif_image_add_plane(img, ch, w, w, 8);
    int stride = 0;
    uint8_t* p = heif_image_get_plane(img, ch, &stride);
    for (int y = 0; y < w; ++y) std::memset(p + y * stride, ch == heif_channel_Y ? 120 : 128, w);
  }
  heif_image_handle* h = nullptr;
  heif_context_encode_image(ctx, img, enc, nullptr, &h);
  Exiv2::Blob blob;
  Exiv2::ExifParser::encode(blob, Exiv2::littleEndian, x);
  heif_context_add_exif_metadata(ctx, h, blob.data(), static_cast<int>(blob.size()));
  std::vector<unsigned char> out;
  heif_writer w{1, write_cb};
  heif_context_write(ctx, &w, &out);
  heif_image_handle_release(h);
  heif_image_release(img);
  heif_encoder_release(enc);
  heif_context_free(ctx);
  return out;
}

static void be32(std::vector<unsigned char>& v, uint32_t x) {
  for (int s = 24; s >= 0; s -= 8) v.push_back(static_cast<unsigned char>(x >> s));
}
static void box(std::vector<unsigned char>& v, const char* type, const std::vector<unsigned char>& body) {
  be32(v, static_cast<uint32_t>(8 + body.size()));
  v.insert(v.end(), type, type + 4);
  v.insert(v.end(), body.begin(), body.end());
}

static std::vector<unsigned char> mp4(uint32_t creation_1904, uint32_t timescale, uint32_t duration) {
  std::vector<unsigned char> out, ftyp, mdat(64, 0), mvhd, moov;
  ftyp = {'i', 's', 'o', 'm', 0, 0, 2, 0, 'i', 's', 'o', 'm', 'm', 'p', '4', '1'};
  mvhd = {0, 0, 0, 0};  // version 0, flags
  be32(mvhd, creation_1904);
  be32(mvhd, creation_1904);
  be32(mvhd, timescale);
  be32(mvhd, duration);
  mvhd.resize(mvhd.size() + 80, 0);  // rate, volume, matrix, next_track_id (not read)
  box(moov, "mvhd", mvhd);
  box(out, "ftyp", ftyp);
  box(out, "mdat", mdat);  // camera files put moov after the media data
  box(out, "moov", moov);
  return out;
}

static void put(const std::string& path, const std::vector<unsigned char>& d) {
  std::ofstream(path + ".b64") << b64(d);
  std::printf("%s %zu bytes\n", path.c_str(), d.size());
}

int main(int argc, char** argv) {
  const std::string dir = argc > 1 ? argv[1] : ".";
  Exiv2::XmpParser::initialize();
  put(dir + "/IMG_20231116_093015.jpg", with_exif(jpeg(40), exif("2023:11:16 09:30:15", "+01:00", "250", true)));
  put(dir + "/IMG_20231116_100000.jpg", with_exif(jpeg(90), exif("2023:11:16 10:00:00", nullptr, nullptr, false)));
  put(dir + "/no_exif.jpg", jpeg(200));
  put(dir + "/IMG_20231117_184500.heic", heic(exif("2023:11:17 18:45:00", "-05:00", nullptr, false)));
  // 2023-11-18T07:00:00Z = 1700290800 s since 1970 = 3783135600 s since 1904; 12.5 s long
  put(dir + "/VID_20231118_070000.mp4", mp4(3783135600u, 1000, 12500));
  put(dir + "/wa_sent.jpg", with_exif(jpeg(10), exif("2023:11:16 12:00:00", "+00:00", nullptr, false)));
  return 0;
}
