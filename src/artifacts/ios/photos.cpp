// iOS Photos library: private/var/mobile/Media/PhotoData/Photos.sqlite, its
// assets' files under private/var/mobile/Media/<ZDIRECTORY>/<ZFILENAME>
// (DCIM/1xxAPPLE/...), and their EXIF (exiv2).
//
// References:
//  - shared/docs/artifacts.md "iOS tables: Photos.sqlite" (ZGENERICASSET on
//    iOS 11-13, ZASSET from iOS 14; ZDIRECTORY, ZFILENAME, ZDATECREATED,
//    ZLATITUDE, ZLONGITUDE, ZKIND 0 photo / 1 video, ZHIDDEN, ZTRASHEDSTATE;
//    ZADDITIONALASSETATTRIBUTES.ZORIGINALFILENAME, ZTIMEZONENAME).
//  - iLEAPP scripts/artifacts/photosMetadata.py and Scott Koenig's
//    Photos.sqlite queries (ZADDITIONALASSETATTRIBUTES.ZASSET join;
//    -180.0 as "no location"; ZTRASHEDSTATE 1 = Recently Deleted).
//  - EXIF 2.31 (DateTimeOriginal, OffsetTimeOriginal, GPS) via exiv2 0.27
//    (BMFF enabled for HEIC).
//  - No real sample in ../shared/conformance: golden case from the iOS 14+
//    schema with JPEG files carrying EXIF (tests/cases/ios_photos_schema).
//
// Time: `time` is ZDATECREATED (the library's own UTC creation date); the
// EXIF DateTimeOriginal is kept in other_times ("exif_original", unit
// exif_local, with the offset when recorded). When the asset row has no
// date, the EXIF time (or the file's mtime) becomes `time`, following the
// media conventions of docs/item-format.md.
#include "artifacts/ios/photos.hpp"

#include <fmt/format.h>

#include <cmath>
#include <exiv2/exiv2.hpp>
#include <mutex>
#include <set>

#include "artifacts/common.hpp"
#include "artifacts/ios/ios_common.hpp"
#include "remit/text.hpp"

namespace remit::artifacts {
namespace {

constexpr std::string_view kRefs[] = {
    "shared/docs/artifacts.md: iOS tables, Photos.sqlite",
    "iLEAPP scripts/artifacts/photosMetadata.py; Scott Koenig's Photos.sqlite queries (joins, -180 no location)",
    "EXIF 2.31 DateTimeOriginal / OffsetTimeOriginal / GPS, read with exiv2 0.27",
    "documented iOS 14-17 ZASSET schema and iOS 11-13 ZGENERICASSET schema",
};
constexpr Category kCats[] = {Category::media};

constexpr uint64_t kExifReadLimit = 64ULL << 20;

void init_exiv2() {
  static std::once_flag once;
  std::call_once(once, [] {
    Exiv2::LogMsg::setLevel(Exiv2::LogMsg::mute);  // exiv2 would print to stderr
#ifdef EXV_ENABLE_BMFF
    Exiv2::enableBMFF(true);
#endif
  });
}

struct Exif {
  std::string datetime;  // "YYYY:MM:DD HH:MM:SS"
  std::string offset;    // "+01:00"
  std::optional<GeoPoint> gps;
  std::string make, model;
};

double rational_deg(const Exiv2::Value& v) {
  if (v.count() < 3) return std::nan("");
  double d = 0;
  for (long i = 0; i < 3; ++i) {
    const auto r = v.toRational(i);
    if (r.second == 0) return std::nan("");
    d += static_cast<double>(r.first) / r.second / std::pow(60.0, static_cast<double>(i));
  }
  return d;
}

std::optional<Exif> read_exif(const Bytes& data) {
  init_exiv2();
  try {
    auto image = Exiv2::ImageFactory::open(data.data(), static_cast<long>(data.size()));
    if (!image.get()) return std::nullopt;
    image->readMetadata();
    const Exiv2::ExifData& ed = image->exifData();
    if (ed.empty()) return std::nullopt;
    auto get = [&](const char* key) -> std::string {
      auto it = ed.findKey(Exiv2::ExifKey(key));
      return it == ed.end() ? std::string() : it->toString();
    };
    Exif e;
    e.datetime = get("Exif.Photo.DateTimeOriginal");
    if (e.datetime.empty()) e.datetime = get("Exif.Image.DateTime");
    e.offset = get("Exif.Photo.OffsetTimeOriginal");
    e.make = get("Exif.Image.Make");
    e.model = get("Exif.Image.Model");
    auto lat = ed.findKey(Exiv2::ExifKey("Exif.GPSInfo.GPSLatitude"));
    auto lon = ed.findKey(Exiv2::ExifKey("Exif.GPSInfo.GPSLongitude"));
    if (lat != ed.end() && lon != ed.end()) {
      double la = rational_deg(lat->value()), lo = rational_deg(lon->value());
      if (get("Exif.GPSInfo.GPSLatitudeRef") == "S") la = -la;
      if (get("Exif.GPSInfo.GPSLongitudeRef") == "W") lo = -lo;
      if (std::isfinite(la) && std::isfinite(lo) && std::fabs(la) <= 90 && std::fabs(lo) <= 180)
        e.gps = GeoPoint{la, lo, std::nullopt};
    }
    return e;
  } catch (...) {
    return std::nullopt;  // not an image exiv2 reads, or damaged metadata
  }
}

// "YYYY:MM:DD HH:MM:SS" (+ "+HH:MM") -> Timestamp per docs/item-format.md.
Timestamp exif_time(const Exif& e) {
  Timestamp t;
  t.unit = TimeUnit::exif_local;
  t.raw = e.datetime + e.offset;
  if (e.datetime.size() < 19) return t;
  std::string iso = e.datetime.substr(0, 19);
  iso[4] = '-';
  iso[7] = '-';
  iso[10] = 'T';
  const bool has_offset = !e.offset.empty();
  auto ms = parse_iso8601_ms(iso + (has_offset ? e.offset : "Z"));
  if (!ms) return t;
  t.utc_ms = ms;
  t.source = has_offset ? TimeSource::recorded : TimeSource::local_guess;
  return t;
}

}  // namespace

std::string_view IosPhotosParser::name() const noexcept {
  return "ios.photos";
}
std::string_view IosPhotosParser::version() const noexcept {
  return "1.0";
}
std::span<const std::string_view> IosPhotosParser::references() const noexcept {
  return kRefs;
}
std::span<const Category> IosPhotosParser::categories() const noexcept {
  return kCats;
}

void IosPhotosParser::parse(ParseContext& ctx) const {
  ios::Utf8Tally u8(ctx);
  auto db = open_or_warn(ctx);
  if (!db) return;
  std::string table;
  if (db->has_table("ZASSET"))
    table = "ZASSET";
  else if (db->has_table("ZGENERICASSET"))
    table = "ZGENERICASSET";
  if (table.empty()) {
    ctx.warn("missing_table", "neither ZASSET nor ZGENERICASSET exists");
    return;
  }
  const std::string t = quote_ident(table);
  auto a = [&](std::string_view c) { return db->col_or_null(table, c); };
  std::string attr_join, attr_cols = "NULL, NULL, NULL";
  if (db->has_table("ZADDITIONALASSETATTRIBUTES")) {
    const std::string at = "ZADDITIONALASSETATTRIBUTES";
    auto c = [&](std::string_view col) { return db->col_or_null(at, col); };
    attr_cols = c("ZORIGINALFILENAME") + ", " + c("ZTIMEZONENAME") + ", " + c("ZTIMEZONEOFFSET");
    if (db->has_column(at, "ZASSET"))
      attr_join = " LEFT JOIN ZADDITIONALASSETATTRIBUTES ON ZADDITIONALASSETATTRIBUTES.ZASSET = " + t + ".Z_PK";
    else if (db->has_column(table, "ZADDITIONALATTRIBUTES"))
      attr_join =
          " LEFT JOIN ZADDITIONALASSETATTRIBUTES ON ZADDITIONALASSETATTRIBUTES.Z_PK = " + t + ".ZADDITIONALATTRIBUTES";
    else
      attr_cols = "NULL, NULL, NULL";
  }
  const std::string sql =
      "SELECT " + t + ".Z_PK, " + a("ZDIRECTORY") + ", " + a("ZFILENAME") + ", " + a("ZDATECREATED") + ", " +
      a("ZLATITUDE") + ", " + a("ZLONGITUDE") + ", " + a("ZKIND") + ", " + a("ZHIDDEN") + ", " + a("ZTRASHEDSTATE") +
      ", " + a("ZDURATION") + ", " + a("ZUUID") + ", " + a("ZUNIFORMTYPEIDENTIFIER") + ", " + a("ZTRASHEDDATE") + ", " +
      a("ZMODIFICATIONDATE") + ", " + attr_cols + " FROM " + t + attr_join + " ORDER BY " + t + ".Z_PK";
  auto st = db->prepare(sql);
  if (!st) {
    ctx.warn("unreadable_table", st.error().message);
    return;
  }
  // .../Media/PhotoData/Photos.sqlite -> .../Media
  const std::string media_root(ios::dirname(ios::dirname(ctx.entry().path)));
  std::set<std::string> indexed;
  uint64_t rows = 0, missing_files = 0, no_exif = 0;
  while (st->step()) {
    ++rows;
    Item it;
    it.category = Category::media;
    it.service = "photos";
    const std::string dir = u8.text(*st, 1), file = u8.text(*st, 2);
    it.title = file;
    it.time = column_time(*st, 3, TimeUnit::mac_s);
    Timestamp mod = column_time(*st, 13, TimeUnit::mac_s);
    if (mod.dated()) it.other_times.push_back({"modified", std::move(mod)});
    const int64_t kind = st->i64(6);
    if (!st->is_null(6))
      it.extra.emplace_back("kind", kind == 1 ? "video" : kind == 0 ? "photo" : std::to_string(kind));
    if (auto d = st->opt_f64(9); d && *d > 0) it.duration_s = d;
    const auto lat = st->opt_f64(4), lon = st->opt_f64(5);
    if (lat && lon && *lat != -180.0 && *lon != -180.0 && std::fabs(*lat) <= 90 && std::fabs(*lon) <= 180 &&
        !(*lat == 0 && *lon == 0))
      it.location = GeoPoint{*lat, *lon, std::nullopt};
    if (st->i64(7) != 0) it.extra.emplace_back("hidden", "1");
    if (st->i64(8) == 1) {
      it.deleted = true;  // in "Recently Deleted"
      Timestamp trashed = column_time(*st, 12, TimeUnit::mac_s);
      if (trashed.dated()) it.other_times.push_back({"trashed", std::move(trashed)});
    }
    if (!u8.text(*st, 10).empty()) it.extra.emplace_back("uuid", u8.text(*st, 10));
    if (!u8.text(*st, 11).empty()) it.extra.emplace_back("uti", u8.text(*st, 11));
    if (!u8.text(*st, 14).empty()) it.extra.emplace_back("original_filename", u8.text(*st, 14));
    if (!u8.text(*st, 15).empty()) it.extra.emplace_back("timezone", u8.text(*st, 15));
    if (!st->is_null(16)) it.extra.emplace_back("timezone_offset_s", st->raw_text(16));

    FileRef ref;
    ref.name = file;
    ref.mime = ios::mime_from_name(file);
    const Entry* hit = nullptr;
    if (!file.empty()) {
      const std::vector<std::string> cands = {ios::join_path(ios::join_path(media_root, dir), file),
                                              "*/Media/" + ios::join_path(dir, file)};
      hit = ctx.resolve_file(ref, cands);
    }
    if (hit) {
      indexed.insert(hit->path);
      if (kind != 1) {
        std::optional<Exif> exif;
        if (auto bytes = ctx.read(*hit, std::min<uint64_t>(hit->size, kExifReadLimit))) exif = read_exif(*bytes);
        if (exif) {
          Timestamp et = exif_time(*exif);
          if (!it.time.dated() && et.dated()) {
            it.time = et;
          } else if (!et.raw.empty()) {
            it.other_times.push_back({"exif_original", std::move(et)});
          }
          if (!it.location && exif->gps) it.location = exif->gps;
          if (!exif->make.empty()) it.extra.emplace_back("camera_make", exif->make);
          if (!exif->model.empty()) it.extra.emplace_back("camera_model", exif->model);
        } else {
          ++no_exif;
        }
      }
      if (!it.time.dated() && hit->mtime_ns) {
        it.time.utc_ms = *hit->mtime_ns / 1'000'000;
        it.time.raw = std::to_string(*hit->mtime_ns);
        it.time.unit = TimeUnit::file_mtime_ns;
        it.time.source = TimeSource::file_mtime;
      }
    } else {
      ++missing_files;
      ref.path.clear();
      ref.name = ios::join_path(dir, file);
    }
    it.file = std::move(ref);
    it.provenance = ctx.provenance(table, row_ref("Z_PK", *st, 0));
    ctx.emit(std::move(it));
  }
  warn_if_stopped(ctx, *st, table, rows);
  if (missing_files > 0) ctx.warn("missing_media_file", "assets whose file is not in the extraction", missing_files);
  if (no_exif > 0) ctx.warn("no_exif", "photo files without readable EXIF", no_exif);
  // DCIM files no asset row points at: counted, never silently dropped.
  uint64_t unindexed = 0;
  const std::string dcim = ios::join_path(media_root, "DCIM") + "/";
  for (const Entry& e : ctx.source().entries())
    if (e.type == EntryType::file && !e.duplicate && e.path.rfind(dcim, 0) == 0 && !indexed.count(e.path) &&
        ios::mime_from_name(e.path).size() > 0)
      ++unindexed;
  if (unindexed > 0)
    ctx.warn("unindexed_media_files", fmt::format("{} under {} are not in {}", "image/video files", dcim, table),
             unindexed);
}

}  // namespace remit::artifacts
