// Camera photos: /sdcard/DCIM (data/media/0/DCIM) as real JPEGs with EXIF.
//
// Pixel naming (DCIM/Camera/PXL_YYYYMMDD_HHMMSSmmm.jpg), screenshots in
// DCIM/Screenshots without EXIF (their only time is the file's mtime).
// EXIF: DateTimeOriginal in local time, OffsetTimeOriginal (EXIF 2.31; a
// few photos without it, as older phones write), GPS as degree / minute /
// second rationals. The files come last in the extraction so padding
// (inside each file, APP15 segments) can bring the total to --size.
// Items follow docs/item-format.md "Times" for media.
#include <fmt/format.h>

#include "remit/hash.hpp"
#include "synth/android/context.hpp"
#include "synth/jpeg.hpp"
#include "synth/prng.hpp"

namespace remit::synth::android {

namespace {

class HashingSink : public ByteSink {
 public:
  explicit HashingSink(ByteSink& inner) : inner_(inner) {}
  Status write(const void* data, size_t n) override {
    h_.update(std::span<const unsigned char>(static_cast<const unsigned char*>(data), n));
    return inner_.write(data, n);
  }
  std::string hex() { return h_.hex_final(); }

 private:
  ByteSink& inner_;
  Hasher h_;
};

}  // namespace

Status write_dcim(Context& c, uint64_t target_bytes) {
  c.stage("camera photos (DCIM)");
  const Story& story = c.story;
  const Owner media = Context::owner_of("media");
  const auto& photos = story.photos();
  for (size_t i = 0; i < photos.size(); ++i) {
    if (c.cancelled()) return make_error(Errc::refused, "interrupted");
    const Photo& ph = photos[i];
    const int64_t t_s = ph.time_ms / 1000;
    const auto l = story.clock().local(ph.time_ms);
    std::string name = ph.screenshot
                           ? fmt::format("Screenshot_{:04d}{:02d}{:02d}-{:02d}{:02d}{:02d}", l.year, l.month, l.day,
                                         l.hour, l.minute, l.second)
                           : fmt::format("PXL_{:04d}{:02d}{:02d}_{:02d}{:02d}{:02d}{:03d}", l.year, l.month, l.day,
                                         l.hour, l.minute, l.second, static_cast<int>(ph.time_ms % 1000));
    name += std::string("-") + std::string(kCanary) + ".jpg";
    const std::string path = Context::media_root() + (ph.screenshot ? "/DCIM/Screenshots/" : "/DCIM/Camera/") + name;
    auto jpg = encode_jpeg(ph.width, ph.height, ph.seed, 82);
    if (!jpg) return jpg.error();
    ExifInfo x;
    if (ph.has_exif) {
      x.datetime_original = story.clock().exif_local(ph.time_ms);
      if (ph.has_offset) x.offset = story.clock().offset_text(ph.time_ms);
      if (ph.gps) {
        x.lat = ph.lat;
        x.lon = ph.lon;
      }
    }
    auto withexif = add_exif(*jpg, x);
    if (!withexif) return withexif.error();
    auto pj = PaddableJpeg::split(std::move(*withexif));
    if (!pj) return pj.error();
    // Padding: spread what is left of the target over the remaining photos;
    // the last one takes the remainder exactly.
    uint64_t pad = 0;
    if (target_bytes > 0) {
      const uint64_t written = c.out.content_bytes();
      const uint64_t left = target_bytes > written ? target_bytes - written : 0;
      const uint64_t remaining_photos = photos.size() - i;
      const uint64_t base = pj->head.size() + pj->tail.size();
      const uint64_t share = remaining_photos == 1 ? left : left / remaining_photos;
      pad = share > base ? share - base : 0;
    }
    const uint64_t size = pj->size(pad);
    const int64_t mtime = ph.screenshot ? t_s : t_s + 1;
    if (auto st = c.dirs_for(path, media); !st) return st;
    std::string sha;
    const FileMeta meta{path, 0660, media.uid, media.gid, media.name, media.name, mtime};
    if (auto st = c.out.add_file(meta, size,
                                 [&](ByteSink& sink) -> Status {
                                   HashingSink hs(sink);
                                   if (auto s2 = pj->write(hs, pad, ph.seed); !s2) return s2;
                                   sha = hs.hex();
                                   return {};
                                 });
        !st)
      return st;
    Item it;
    it.category = Category::media;
    it.service = "camera";
    if (ph.has_exif) {
      const int64_t local_ms = (ph.time_ms / 1000) * 1000;
      const int64_t off_ms = int64_t{story.clock().offset_minutes(ph.time_ms)} * 60000;
      it.time.unit = TimeUnit::exif_local;
      if (ph.has_offset) {
        it.time.utc_ms = local_ms;
        it.time.raw = x.datetime_original + x.offset;
        it.time.source = TimeSource::recorded;
      } else {
        it.time.utc_ms = local_ms + off_ms;  // local time read as UTC
        it.time.raw = x.datetime_original;
        it.time.source = TimeSource::local_guess;
      }
      if (ph.gps) {
        it.location = GeoPoint{to_exif_gps(ph.lat).decimal(), to_exif_gps(ph.lon).decimal(), std::nullopt};
      }
    } else {
      it.time.utc_ms = mtime * 1000;
      it.time.raw = std::to_string(mtime * 1000000000LL);
      it.time.unit = TimeUnit::file_mtime_ns;
      it.time.source = TimeSource::file_mtime;
    }
    it.title = name;
    FileRef f;
    f.path = path;
    f.name = name;
    f.mime = "image/jpeg";
    f.size = size;
    f.sha256 = sha;
    it.file = f;
    it.provenance = TruthWriter::prov(path, "", "", "android.media");
    if (auto st = c.truth.add(std::move(it), false); !st) return st;
  }
  return {};
}

}  // namespace remit::synth::android
