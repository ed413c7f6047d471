// An app no remit parser covers: the dating app's data container,
// private/var/mobile/Containers/Data/Application/<UUID>/, named by the
// container manager's metadata plist (MCMMetadataIdentifier). It must
// appear in `remit inspect`'s coverage list (name and size only); its
// content, all out of scope, carries the canary.
#include <fmt/format.h>

#include "synth/ios/context.hpp"
#include "synth/ios/plist.hpp"
#include "synth/prng.hpp"
#include "synth/sqlite_writer.hpp"

namespace remit::synth::ios {

Status write_other_apps(Context& c) {
  c.stage("other apps");
  const Story& story = c.story;
  const std::string bundle = "co.hinge.app";
  const std::string dir = "mobile/Containers/Data/Application/" + c.uuid("hinge-container");
  {
    Plist meta = Plist::dict();
    meta.set("MCMMetadataIdentifier", bundle)
        .set_int("MCMMetadataContentClass", 2)
        .set("MCMMetadataUUID", c.uuid("hinge-container"))
        .set_int("MCMMetadataSchemaVersion", 1);
    if (auto st =
            c.add_bytes(dir + "/.com.apple.mobile_container_manager.metadata.plist", meta.binary(), c.db_mtime_s());
        !st)
      return st;
  }
  const auto scratch = c.scratch("hinge.sqlite");
  auto db = SqlDb::create(scratch, derive_seed(story.seed(), "ios-hinge"), DbOptions{4096, 0, true, ""});
  if (!db) return db.error();
  if (auto st = db->exec("CREATE TABLE ZMATCH ( Z_PK INTEGER PRIMARY KEY, Z_ENT INTEGER, Z_OPT INTEGER, ZAGE INTEGER, "
                         "ZMATCHEDAT TIMESTAMP, ZFIRSTNAME VARCHAR, ZIDENTIFIER VARCHAR );"
                         "CREATE TABLE ZCHATMESSAGE ( Z_PK INTEGER PRIMARY KEY, Z_ENT INTEGER, Z_OPT INTEGER, "
                         "ZFROMME INTEGER, ZMATCH INTEGER, ZSENTAT TIMESTAMP, ZBODY VARCHAR, ZIDENTIFIER VARCHAR );");
      !st)
    return st;
  Rng r = Rng::derive(story.seed(), "ios-hinge");
  auto male = lex::male_first();
  if (auto st = db->begin(); !st) return st;
  auto ins_m = db->prepare(
      "INSERT INTO ZMATCH (Z_ENT, Z_OPT, ZAGE, ZMATCHEDAT, ZFIRSTNAME, ZIDENTIFIER) "
      "VALUES (1,1,?,?,?,?)");
  auto ins_c = db->prepare(
      "INSERT INTO ZCHATMESSAGE (Z_ENT, Z_OPT, ZFROMME, ZMATCH, ZSENTAT, ZBODY, ZIDENTIFIER) "
      "VALUES (2,1,?,?,?,?,?)");
  if (!ins_m) return ins_m.error();
  if (!ins_c) return ins_c.error();
  for (int i = 0; i < 6; ++i) {
    const DayNumber d =
        story.first_day() + static_cast<DayNumber>(r.below(static_cast<uint64_t>(story.options().days)));
    const int64_t t = story.clock().local_to_utc_ms(d, r.range(18 * 3600, 23 * 3600));
    auto mid = ins_m->run(r.range(25, 38), mac_seconds(t), std::string(male[r.below(male.size())]), r.hex(12, false));
    if (!mid) return mid.error();
    for (int k = 0; k < 4; ++k) {
      const bool out = (k % 2) == 1;
      if (auto x = ins_c->run(out ? 1 : 0, *mid, mac_seconds(t + (k + 1) * 3600 * 1000LL),
                              Story::with_canary(lex::line(r, "dating", out)), r.hex(12, false));
          !x)
        return x.error();
    }
  }
  if (auto st = db->commit(); !st) return st;
  ins_m = make_error(Errc::internal, "closed");
  ins_c = make_error(Errc::internal, "closed");
  if (auto st = db->close(); !st) return st;
  if (auto st = c.add_db(dir + "/Library/Application Support/Hinge.sqlite", scratch); !st) return st;
  Plist prefs = Plist::dict();
  prefs.set_bool("onboardingComplete", true).set_int("launchCount", 412);
  return c.add_bytes(dir + "/Library/Preferences/" + bundle + ".plist", prefs.binary(), c.db_mtime_s());
}

}  // namespace remit::synth::ios
