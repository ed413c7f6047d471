// iOS Photos: private/var/mobile/Media/PhotoData/Photos.sqlite and the
// camera files under Media/DCIM/1NNAPPLE/.
//
// Photos.sqlite (Core Data): the asset table is ZASSET from iOS 14 and
// ZGENERICASSET on iOS 11-13 (artifacts.md; variant). Columns are the ones
// the published Photos.sqlite queries read (Scott Koenig's iLEAPP Ph*
// artifacts): ZDATECREATED, ZADDEDDATE, ZMODIFICATIONDATE, ZSORTTOKEN,
// ZTRASHEDSTATE / ZTRASHEDDATE (Recently Deleted), ZHIDDEN, ZFAVORITE,
// ZKIND 0 photo / 1 video, ZKINDSUBTYPE 10 screenshot, ZDIRECTORY,
// ZFILENAME, ZLATITUDE / ZLONGITUDE (-180.0 when there is no location),
// ZUNIFORMTYPEIDENTIFIER, ZUUID, ZSAVEDASSETTYPE, ZVISIBILITYSTATE,
// ZADDITIONALATTRIBUTES -> ZADDITIONALASSETATTRIBUTES (ZORIGINALFILENAME,
// ZORIGINALFILESIZE, ZTIMEZONENAME, ZTIMEZONEOFFSET, ZEXIFTIMESTAMPSTRING,
// ZCREATORBUNDLEID), ZEXTENDEDATTRIBUTES (iOS 14+: camera make/model,
// location), ZMOMENT (one per day), ZGENERICALBUM.
//
// Files: real JPEGs (libjpeg) with EXIF written by exiv2 (Apple / iPhone,
// DateTimeOriginal, OffsetTimeOriginal, GPS); screenshots carry no EXIF.
// They come last in the extraction so padding (inside each file, APP15
// segments) can bring the total to --size; ZORIGINALFILESIZE records the
// size before padding.
#include <fmt/format.h>

#include <map>

#include "remit/hash.hpp"
#include "synth/ios/context.hpp"
#include "synth/ios/coredata.hpp"
#include "synth/jpeg.hpp"
#include "synth/prng.hpp"
#include "synth/sqlite_writer.hpp"

namespace remit::synth::ios {

namespace {

constexpr const char* kDb = "mobile/Media/PhotoData/Photos.sqlite";

// Columns shared by ZASSET (iOS 14+) and ZGENERICASSET (iOS 11-13).
constexpr const char* kAssetColumns =
    "( Z_PK INTEGER PRIMARY KEY, Z_ENT INTEGER, Z_OPT INTEGER, ZAVALANCHEPICKTYPE INTEGER, ZBUNDLESCOPE INTEGER, "
    "ZCLOUDDELETESTATE INTEGER, ZCOMPLETE INTEGER, ZDEPTHTYPE INTEGER, ZFAVORITE INTEGER, ZHASADJUSTMENTS INTEGER, "
    "ZHEIGHT INTEGER, ZHIDDEN INTEGER, ZKIND INTEGER, ZKINDSUBTYPE INTEGER, ZORIENTATION INTEGER, ZPLAYBACKSTYLE "
    "INTEGER, ZSAVEDASSETTYPE INTEGER, ZTRASHEDSTATE INTEGER, ZVISIBILITYSTATE INTEGER, ZWIDTH INTEGER, "
    "ZADDITIONALATTRIBUTES INTEGER, {} ZMOMENT INTEGER, ZADDEDDATE TIMESTAMP, ZDATECREATED TIMESTAMP, "
    "ZLASTSHAREDDATE TIMESTAMP, ZMODIFICATIONDATE TIMESTAMP, ZSORTTOKEN FLOAT, ZTRASHEDDATE TIMESTAMP, ZDURATION "
    "FLOAT, ZLATITUDE FLOAT, ZLONGITUDE FLOAT, ZDIRECTORY VARCHAR, ZFILENAME VARCHAR, ZUNIFORMTYPEIDENTIFIER "
    "VARCHAR, ZUUID VARCHAR, ZLOCATIONDATA BLOB );";

constexpr const char* kCommonSchema = R"SQL(
CREATE TABLE ZADDITIONALASSETATTRIBUTES ( Z_PK INTEGER PRIMARY KEY, Z_ENT INTEGER, Z_OPT INTEGER, ZALLOWEDFORANALYSIS INTEGER, ZCAMERACAPTUREDEVICE INTEGER, ZORIGINALFILESIZE INTEGER, ZORIGINALHEIGHT INTEGER, ZORIGINALORIENTATION INTEGER, ZORIGINALWIDTH INTEGER, ZSHARETYPE INTEGER, ZTIMEZONEOFFSET INTEGER, ZASSET INTEGER, ZCREATORBUNDLEID VARCHAR, ZEXIFTIMESTAMPSTRING VARCHAR, ZIMPORTEDBYDISPLAYNAME VARCHAR, ZMASTERFINGERPRINT VARCHAR, ZORIGINALFILENAME VARCHAR, ZTIMEZONENAME VARCHAR, ZREVERSELOCATIONDATA BLOB );
CREATE TABLE ZGENERICALBUM ( Z_PK INTEGER PRIMARY KEY, Z_ENT INTEGER, Z_OPT INTEGER, ZCACHEDCOUNT INTEGER, ZCACHEDPHOTOSCOUNT INTEGER, ZCACHEDVIDEOSCOUNT INTEGER, ZKIND INTEGER, ZTRASHEDSTATE INTEGER, ZCREATIONDATE TIMESTAMP, ZTITLE VARCHAR, ZUUID VARCHAR );
CREATE TABLE ZMOMENT ( Z_PK INTEGER PRIMARY KEY, Z_ENT INTEGER, Z_OPT INTEGER, ZCACHEDCOUNT INTEGER, ZCACHEDPHOTOSCOUNT INTEGER, ZCACHEDVIDEOSCOUNT INTEGER, ZTIMEZONEOFFSET INTEGER, ZTRASHEDSTATE INTEGER, ZAPPROXIMATELATITUDE FLOAT, ZAPPROXIMATELONGITUDE FLOAT, ZENDDATE TIMESTAMP, ZREPRESENTATIVEDATE TIMESTAMP, ZSTARTDATE TIMESTAMP, ZMODIFICATIONDATE TIMESTAMP, ZTITLE VARCHAR, ZSUBTITLE VARCHAR, ZUUID VARCHAR );
CREATE INDEX ZADDITIONALASSETATTRIBUTES_ZASSET_INDEX ON ZADDITIONALASSETATTRIBUTES (ZASSET);
CREATE INDEX Z_Moment_startDate ON ZMOMENT (ZSTARTDATE COLLATE BINARY ASC);
)SQL";

constexpr const char* kExtendedSchema = R"SQL(
CREATE TABLE ZEXTENDEDATTRIBUTES ( Z_PK INTEGER PRIMARY KEY, Z_ENT INTEGER, Z_OPT INTEGER, ZFLASHFIRED INTEGER, ZISO INTEGER, ZMETERINGMODE INTEGER, ZWHITEBALANCE INTEGER, ZASSET INTEGER, ZAPERTURE FLOAT, ZEXPOSUREBIAS FLOAT, ZFOCALLENGTH FLOAT, ZLATITUDE FLOAT, ZLONGITUDE FLOAT, ZSHUTTERSPEED FLOAT, ZCAMERAMAKE VARCHAR, ZCAMERAMODEL VARCHAR, ZLENSMODEL VARCHAR, ZTIMEZONENAME VARCHAR, ZDATECREATED TIMESTAMP );
CREATE INDEX ZEXTENDEDATTRIBUTES_ZASSET_INDEX ON ZEXTENDEDATTRIBUTES (ZASSET);
)SQL";

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

struct Shot {
  std::string dir, name;  // "DCIM/100APPLE", "IMG_0001-...JPG"
  bool trashed = false, hidden = false;
  double created = 0;
  std::optional<double> lat, lon;  // as EXIF stores them
};

Shot shot_of(const Story& story, const Photo& ph) {
  Shot s;
  const uint32_t number = 1 + ph.index + static_cast<uint32_t>(derive_seed(story.seed(), "ios-img-start") % 400);
  s.dir = fmt::format("DCIM/{}APPLE", 100 + number / 1000);
  s.name = fmt::format("IMG_{:04d}-{}.JPG", number % 10000, kCanary);
  s.trashed = ph.index % 37 == 5;
  s.hidden = ph.index % 41 == 7;
  s.created = mac_seconds(ph.time_ms);
  if (ph.has_exif && ph.gps) {
    s.lat = to_exif_gps(ph.lat).decimal();
    s.lon = to_exif_gps(ph.lon).decimal();
  }
  return s;
}

Result<std::string> photo_jpeg(const Story& story, const Photo& ph) {
  auto jpg = encode_jpeg(ph.width, ph.height, ph.seed, 82);
  if (!jpg) return jpg.error();
  ExifInfo x;
  x.make = "Apple";
  x.model = "iPhone 13";
  if (ph.has_exif) {
    x.datetime_original = story.clock().exif_local(ph.time_ms);
    if (ph.has_offset) x.offset = story.clock().offset_text(ph.time_ms);
    if (ph.gps) {
      x.lat = ph.lat;
      x.lon = ph.lon;
    }
  }
  return add_exif(*jpg, x);
}

}  // namespace

Status write_photos(Context& c, uint64_t target_bytes) {
  c.stage("Photos.sqlite");
  const Story& story = c.story;
  const bool zasset = c.v.photos == IosVariants::Photos::zasset;
  const std::string table = zasset ? "ZASSET" : "ZGENERICASSET";
  const auto& photos = story.photos();
  const std::filesystem::path scratch = c.scratch("Photos.sqlite");
  auto db = SqlDb::create(scratch, derive_seed(story.seed(), "ios-Photos.sqlite"), DbOptions{4096, 0, true, ""});
  if (!db) return db.error();
  if (auto st = db->exec(fmt::format(fmt::runtime(std::string("CREATE TABLE ") + table + " " + kAssetColumns),
                                     zasset ? "ZEXTENDEDATTRIBUTES INTEGER," : ""));
      !st)
    return st;
  if (auto st = db->exec(kCommonSchema); !st) return st;
  if (zasset)
    if (auto st = db->exec(kExtendedSchema); !st) return st;
  if (auto st = db->exec(fmt::format("CREATE INDEX {0}_ZADDITIONALATTRIBUTES_INDEX ON {0} (ZADDITIONALATTRIBUTES); "
                                     "CREATE INDEX {0}_ZMOMENT_INDEX ON {0} (ZMOMENT); "
                                     "CREATE INDEX Z_{1}_dateCreated ON {0} (ZDATECREATED COLLATE BINARY ASC); "
                                     "CREATE INDEX Z_{1}_trashedState ON {0} (ZTRASHEDSTATE COLLATE BINARY ASC);",
                                     table, zasset ? "Asset" : "GenericAsset"));
      !st)
    return st;
  if (auto st = db->begin(); !st) return st;
  // Entities: alphabetical, as Core Data numbers them.
  std::vector<Entity> ents;
  int asset_ent = 0;
  if (zasset) {
    ents = {{"AdditionalAssetAttributes"}, {"Asset"}, {"ExtendedAttributes"}, {"GenericAlbum"}, {"Moment"}};
    asset_ent = 2;
  } else {
    ents = {{"AdditionalAssetAttributes"}, {"GenericAlbum"}, {"GenericAsset"}, {"Asset", 0, 3}, {"Moment"}};
    asset_ent = 4;
  }
  auto ins_asset = db->prepare(fmt::format(
      "INSERT INTO {} (Z_PK, Z_ENT, Z_OPT, ZAVALANCHEPICKTYPE, ZBUNDLESCOPE, ZCLOUDDELETESTATE, ZCOMPLETE, ZDEPTHTYPE, "
      "ZFAVORITE, ZHASADJUSTMENTS, ZHEIGHT, ZHIDDEN, ZKIND, ZKINDSUBTYPE, ZORIENTATION, ZPLAYBACKSTYLE, "
      "ZSAVEDASSETTYPE, ZTRASHEDSTATE, ZVISIBILITYSTATE, ZWIDTH, ZADDITIONALATTRIBUTES, {}ZMOMENT, ZADDEDDATE, "
      "ZDATECREATED, ZMODIFICATIONDATE, ZSORTTOKEN, ZTRASHEDDATE, ZDURATION, ZLATITUDE, ZLONGITUDE, ZDIRECTORY, "
      "ZFILENAME, ZUNIFORMTYPEIDENTIFIER, ZUUID) VALUES "
      "(?,{},4,0,0,0,1,0,?,0,?,?,0,?,1,1,3,?,0,?,?,{}?,?,?,?,?,?,0.0,?,"
      "?,?,?,'public.jpeg',?)",
      table, zasset ? "ZEXTENDEDATTRIBUTES, " : "", asset_ent, zasset ? "?," : ""));
  auto ins_attr = db->prepare(
      "INSERT INTO ZADDITIONALASSETATTRIBUTES (Z_PK, Z_ENT, Z_OPT, ZALLOWEDFORANALYSIS, ZCAMERACAPTUREDEVICE, "
      "ZORIGINALFILESIZE, ZORIGINALHEIGHT, ZORIGINALORIENTATION, ZORIGINALWIDTH, ZSHARETYPE, ZTIMEZONEOFFSET, ZASSET, "
      "ZCREATORBUNDLEID, ZEXIFTIMESTAMPSTRING, ZMASTERFINGERPRINT, ZORIGINALFILENAME, ZTIMEZONENAME) "
      "VALUES (?,1,2,1,0,?,?,1,?,0,?,?,?,?,?,?,?)");
  auto ins_ext = db->prepare(
      "INSERT INTO ZEXTENDEDATTRIBUTES (Z_PK, Z_ENT, Z_OPT, ZFLASHFIRED, ZISO, ZMETERINGMODE, ZWHITEBALANCE, ZASSET, "
      "ZAPERTURE, ZEXPOSUREBIAS, ZFOCALLENGTH, ZLATITUDE, ZLONGITUDE, ZSHUTTERSPEED, ZCAMERAMAKE, ZCAMERAMODEL, "
      "ZLENSMODEL, ZTIMEZONENAME, ZDATECREATED) VALUES (?,3,1,0,?,5,0,?,1.5,0.0,5.1,?,?,?,'Apple','iPhone 13',"
      "'iPhone 13 back dual wide camera 5.1mm f/1.6',?,?)");
  auto ins_moment = db->prepare(
      "INSERT INTO ZMOMENT (Z_ENT, Z_OPT, ZCACHEDCOUNT, ZCACHEDPHOTOSCOUNT, ZCACHEDVIDEOSCOUNT, ZTIMEZONEOFFSET, "
      "ZTRASHEDSTATE, ZAPPROXIMATELATITUDE, ZAPPROXIMATELONGITUDE, ZENDDATE, ZREPRESENTATIVEDATE, ZSTARTDATE, "
      "ZMODIFICATIONDATE, ZUUID) VALUES (?,1,?,?,0,?,0,?,?,?,?,?,?,?)");
  if (!ins_asset) return ins_asset.error();
  if (!ins_attr) return ins_attr.error();
  if (!ins_moment) return ins_moment.error();
  if (zasset && !ins_ext) return ins_ext.error();
  const int moment_ent = static_cast<int>(ents.size());

  // Moments: the photos of one local day. Photos are sorted by time.
  std::map<DayNumber, int64_t> moment_of;
  {
    size_t i = 0;
    while (i < photos.size()) {
      const DayNumber day = story.clock().local_day(photos[i].time_ms);
      size_t j = i;
      double lat = 0, lon = 0;
      int located = 0;
      while (j < photos.size() && story.clock().local_day(photos[j].time_ms) == day) {
        if (photos[j].gps) {
          lat += photos[j].lat;
          lon += photos[j].lon;
          ++located;
        }
        ++j;
      }
      const double start = mac_seconds(photos[i].time_ms), end = mac_seconds(photos[j - 1].time_ms);
      auto id = ins_moment->run(moment_ent, static_cast<int64_t>(j - i), static_cast<int64_t>(j - i),
                                story.clock().offset_minutes(photos[i].time_ms) * 60, located ? lat / located : -180.0,
                                located ? lon / located : -180.0, end, start, start, end,
                                c.uuid("photos-moment", static_cast<uint64_t>(day)));
      if (!id) return id.error();
      moment_of[day] = *id;
      i = j;
    }
  }
  for (const Photo& ph : photos) {
    if (c.cancelled()) return c.interrupted();
    const Shot s = shot_of(story, ph);
    auto jpg = photo_jpeg(story, ph);  // the unpadded file, for its size
    if (!jpg) return jpg.error();
    const int64_t pk = ph.index + 1;
    const std::string tz = story.clock().offset_minutes(ph.time_ms) == 60 ? "GMT+0100" : "GMT";
    const std::optional<double> trashed_date =
        s.trashed ? std::optional<double>(std::min(s.created + 86400.0 * (1 + ph.index % 5),
                                                   mac_seconds(story.extraction_ms() - 7200000)))
                  : std::nullopt;
    const double added = s.created + 1.5;
    {
      auto& st = *ins_asset;
      int i = 0;
      st.bind(++i, pk);
      st.bind(++i, ph.index % 29 == 3 ? 1 : 0);  // favourite
      st.bind(++i, ph.height);
      st.bind(++i, s.hidden ? 1 : 0);
      st.bind(++i, ph.screenshot ? 10 : 0);
      st.bind(++i, s.trashed ? 1 : 0);
      st.bind(++i, ph.width);
      st.bind(++i, pk);  // ZADDITIONALATTRIBUTES
      if (zasset) st.bind(++i, pk);
      st.bind(++i, moment_of[story.clock().local_day(ph.time_ms)]);
      st.bind(++i, added);
      st.bind(++i, s.created);
      st.bind(++i, added + 2.0);
      st.bind(++i, s.created);
      st.bind(++i, trashed_date);
      st.bind(++i, s.lat.value_or(-180.0));
      st.bind(++i, s.lon.value_or(-180.0));
      st.bind(++i, s.dir);
      st.bind(++i, s.name);
      st.bind(++i, c.uuid("photos-asset", ph.index));
      if (auto x = st.step_reset(); !x) return x.error();
    }
    if (auto x = ins_attr->run(
            pk, static_cast<int64_t>(jpg->size()), ph.height, ph.width, story.clock().offset_minutes(ph.time_ms) * 60,
            pk, ph.screenshot ? "com.apple.springboard" : "com.apple.camera",
            ph.has_exif ? std::optional<std::string>(story.clock().exif_local(ph.time_ms)) : std::nullopt,
            sha256_hex(*jpg).substr(0, 28), s.name, tz);
        !x)
      return x.error();
    if (zasset) {
      if (auto x = ins_ext->run(pk, 32 + static_cast<int64_t>(ph.seed % 400), pk, s.lat, s.lon,
                                1.0 / static_cast<double>(60 + ph.seed % 2000), tz, s.created);
          !x)
        return x.error();
    }
  }
  {
    auto alb = db->prepare(
        "INSERT INTO ZGENERICALBUM (Z_ENT, Z_OPT, ZCACHEDCOUNT, ZCACHEDPHOTOSCOUNT, ZCACHEDVIDEOSCOUNT, ZKIND, "
        "ZTRASHEDSTATE, ZCREATIONDATE, ZTITLE, ZUUID) VALUES (?,1,?,?,0,?,0,?,?,?)");
    if (!alb) return alb.error();
    const int album_ent = zasset ? 4 : 2;
    const double created = mac_seconds(story.clock().day_start_utc_ms(story.first_day()));
    for (const auto& [kind, title] : std::vector<std::pair<int, std::string>>{{1000, "Recents"}, {1505, "Favorites"}})
      if (auto x = alb->run(album_ent, static_cast<int64_t>(photos.size()), static_cast<int64_t>(photos.size()), kind,
                            created, title, c.uuid("photos-album", static_cast<uint64_t>(kind)));
          !x)
        return x.error();
  }
  for (auto& e : ents) {
    if (e.name == "Asset") e.max = static_cast<int64_t>(photos.size());
    if (e.name == "AdditionalAssetAttributes" || e.name == "ExtendedAttributes")
      e.max = static_cast<int64_t>(photos.size());
    if (e.name == "Moment") e.max = static_cast<int64_t>(moment_of.size());
    if (e.name == "GenericAlbum") e.max = 2;
  }
  CoreDataStore store{c.uuid("photos-store"),
                      {zasset ? "16000" : "13000"},
                      zasset ? 1145 : 977,
                      derive_seed(story.seed(), "photos-model")};
  if (auto st = write_coredata_tables(*db, store, ents); !st) return st;
  if (auto st = db->commit(); !st) return st;
  ins_asset = make_error(Errc::internal, "closed");
  ins_attr = make_error(Errc::internal, "closed");
  ins_ext = make_error(Errc::internal, "closed");
  ins_moment = make_error(Errc::internal, "closed");
  if (auto st = db->close(); !st) return st;
  if (auto st = c.add_db(kDb, scratch); !st) return st;

  // The files, last, padded to --size.
  c.stage("camera photos (DCIM)");
  for (size_t i = 0; i < photos.size(); ++i) {
    if (c.cancelled()) return c.interrupted();
    const Photo& ph = photos[i];
    const Shot s = shot_of(story, ph);
    auto withexif = photo_jpeg(story, ph);
    if (!withexif) return withexif.error();
    auto pj = PaddableJpeg::split(std::move(*withexif));
    if (!pj) return pj.error();
    uint64_t pad = 0;
    if (target_bytes > 0) {
      const uint64_t written = c.out.content_bytes();
      const uint64_t left = target_bytes > written ? target_bytes - written : 0;
      const uint64_t remaining = photos.size() - i;
      const uint64_t base = pj->head.size() + pj->tail.size();
      const uint64_t share = remaining == 1 ? left : left / remaining;
      pad = share > base ? share - base : 0;
    }
    const uint64_t size = pj->size(pad);
    const std::string var_rel = "mobile/Media/" + s.dir + "/" + s.name;
    const int64_t mtime = (ph.time_ms / 2000) * 2;  // even seconds: exact in zip DOS times too
    std::string sha;
    if (auto st = c.add_file(var_rel, size, mtime,
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
    it.service = "photos";
    it.time = mac_time_real(s.created);
    it.title = s.name;
    if (s.lat && s.lon) it.location = GeoPoint{*s.lat, *s.lon, std::nullopt};
    it.deleted = s.trashed;
    FileRef f;
    f.path = Context::logical(var_rel);
    f.name = s.name;
    f.mime = "image/jpeg";
    f.size = size;
    f.sha256 = sha;
    it.file = f;
    it.provenance = c.prov(kDb, table, fmt::format("Z_PK={}", ph.index + 1), "ios.photos");
    if (auto st = c.truth.add(std::move(it), false); !st) return st;
  }
  return {};
}

}  // namespace remit::synth::ios
