// WhatsApp for iOS: the shared app-group container
// private/var/mobile/Containers/Shared/AppGroup/<UUID>/ with
//   ChatStorage.sqlite  messages (ZWAMESSAGE, ZWACHATSESSION, ZWAGROUPINFO,
//                       ZWAGROUPMEMBER, ZWAMEDIAITEM, ZWAMESSAGEINFO, ...)
//   ContactsV2.sqlite   WhatsApp's copy of the address book
//   CallHistory.sqlite  calls (ZWAAGGREGATECALLEVENT, ZWACDCALLEVENT,
//                       ZWACDCALLEVENTPARTICIPANT)
//   Message/Media/<chat jid>/<x>/<y>/<uuid>.jpg   media files
//   .com.apple.mobile_container_manager.metadata.plist (the group id)
//
// Schemas: the real stores of iLEAPP's josh_ios15_ffs zips (WhatsApp 22.x,
// iOS 15), see whatsapp_schema.hpp. Values as those stores hold them:
// Z_ENT per Z_PRIMARYKEY order; incoming messages with ZFROMJID = the chat
// and ZMESSAGEDATE in whole seconds (the sender's clock) and ZSENTDATE the
// fractional receive time, outgoing ones with ZTOJID; group senders through
// ZGROUPMEMBER (the owner is a member too); every chat opens with the
// end-to-end encryption notice (ZMESSAGETYPE 10) and groups record their
// creation (ZMESSAGETYPE 6, ZGROUPEVENTTYPE 12), both addressed to the
// owner's own jid; images (type 1) keep their pixel size in
// ZLATITUDE/ZLONGITUDE and the MIME type in ZVCARDSTRING; shared locations
// (type 5) keep the coordinates there and the place name in ZTITLE;
// ZMEDIALOCALPATH is relative to <group>/Message; calls keep ZOUTCOME 0
// ended / 1 missed / 4 rejected, the caller in
// ZGROUPCALLCREATORUSERJIDSTRING and ZINCOMING / ZMISSED / ZVIDEO on the
// aggregate event, joined through Z1CALLEVENTS / Z1PARTICIPANTS.
#include <fmt/format.h>

#include <cctype>
#include <map>
#include <optional>

#include "remit/hash.hpp"
#include "synth/ios/context.hpp"
#include "synth/ios/coredata.hpp"
#include "synth/ios/plist.hpp"
#include "synth/ios/whatsapp_schema.hpp"
#include "synth/jpeg.hpp"
#include "synth/prng.hpp"
#include "synth/sqlite_writer.hpp"

namespace remit::synth::ios {

namespace {

constexpr const char* kGroupId = "group.net.whatsapp.WhatsApp.shared";

std::string b64(std::string_view in) {
  static constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  size_t i = 0;
  for (; i + 2 < in.size(); i += 3) {
    const uint32_t v =
        (static_cast<uint8_t>(in[i]) << 16) | (static_cast<uint8_t>(in[i + 1]) << 8) | static_cast<uint8_t>(in[i + 2]);
    for (int k = 3; k >= 0; --k) out += kAlphabet[(v >> (6 * k)) & 63];
  }
  if (i < in.size()) {
    uint32_t v = static_cast<uint8_t>(in[i]) << 16;
    if (i + 1 < in.size()) v |= static_cast<uint8_t>(in[i + 1]) << 8;
    out += kAlphabet[(v >> 18) & 63];
    out += kAlphabet[(v >> 12) & 63];
    out += i + 1 < in.size() ? kAlphabet[(v >> 6) & 63] : '=';
    out += '=';
  }
  return out;
}

std::string hex_to_raw(std::string_view hex) {
  std::string out;
  for (size_t i = 0; i + 1 < hex.size(); i += 2)
    out.push_back(static_cast<char>(std::stoi(std::string(hex.substr(i, 2)), nullptr, 16)));
  return out;
}

std::string random_bytes(Rng& r, size_t n) {
  std::string s(n, '\0');
  r.fill(reinterpret_cast<unsigned char*>(s.data()), n);
  return s;
}

struct Session {
  int64_t pk = 0;
  int64_t sort = 0;
  int64_t count = 0;
  int64_t last_message = 0;
  double last_date = 0;
  std::map<uint32_t, int64_t> members;  // person id -> ZWAGROUPMEMBER.Z_PK (0 = the owner)
};

}  // namespace

Status write_whatsapp(Context& c) {
  c.stage("WhatsApp (ChatStorage.sqlite)");
  const Story& story = c.story;
  const Person& me = story.owner();
  const std::string owner_jid = me.phone.jid();
  const std::string group_dir = "mobile/Containers/Shared/AppGroup/" + c.whatsapp_group_uuid();
  const std::string chat_db = group_dir + "/ChatStorage.sqlite";
  const std::string contacts_db = group_dir + "/ContactsV2.sqlite";
  const std::string calls_db = group_dir + "/CallHistory.sqlite";
  Rng r = Rng::derive(story.seed(), "ios-whatsapp");

  // The container manager's metadata: how the UUID folder names its group.
  {
    Plist meta = Plist::dict();
    meta.set("MCMMetadataIdentifier", kGroupId)
        .set_int("MCMMetadataContentClass", 7)
        .set("MCMMetadataUUID", c.whatsapp_group_uuid())
        .set_int("MCMMetadataSchemaVersion", 1);
    if (auto st = c.add_bytes(group_dir + "/.com.apple.mobile_container_manager.metadata.plist", meta.binary(),
                              c.db_mtime_s());
        !st)
      return st;
  }

  const std::filesystem::path scratch = c.scratch("ChatStorage.sqlite");
  auto db = SqlDb::create(scratch, derive_seed(story.seed(), "ios-ChatStorage.sqlite"), DbOptions{4096, 0, true, ""});
  if (!db) return db.error();
  if (auto st = db->exec(wa_schema::kChatStorage); !st) return st;
  if (auto st = db->begin(); !st) return st;

  auto ins_session = db->prepare(
      "INSERT INTO ZWACHATSESSION (Z_ENT, Z_OPT, ZARCHIVED, ZCONTACTABID, ZFLAGS, ZHIDDEN, ZIDENTITYVERIFICATIONEPOCH, "
      "ZIDENTITYVERIFICATIONSTATE, ZMESSAGECOUNTER, ZREMOVED, ZSESSIONTYPE, ZSPOTLIGHTSTATUS, ZUNREADCOUNT, "
      "ZCONTACTJID, ZPARTNERNAME, ZCONTACTIDENTIFIER) VALUES (4,1,0,0,?,0,0,0,0,0,?,0,0,?,?,?)");
  auto ins_groupinfo = db->prepare(
      "INSERT INTO ZWAGROUPINFO (Z_ENT, Z_OPT, ZSTATE, ZCHATSESSION, ZCREATIONDATE, ZSUBJECTTIMESTAMP, ZCREATORJID, "
      "ZPICTUREID, ZSUBJECTOWNERJID) VALUES (5,1,0,?,?,?,?,?,?)");
  auto set_groupinfo = db->prepare("UPDATE ZWACHATSESSION SET ZGROUPINFO = ? WHERE Z_PK = ?");
  auto ins_member = db->prepare(
      "INSERT INTO ZWAGROUPMEMBER (Z_ENT, Z_OPT, ZCONTACTABID, ZISACTIVE, ZISADMIN, ZCHATSESSION, ZCONTACTNAME, "
      "ZFIRSTNAME, ZMEMBERJID) VALUES (6,1,0,1,?,?,?,?,?)");
  auto ins_msg = db->prepare(
      "INSERT INTO ZWAMESSAGE (Z_ENT, Z_OPT, ZCHILDMESSAGESDELIVEREDCOUNT, ZCHILDMESSAGESPLAYEDCOUNT, "
      "ZCHILDMESSAGESREADCOUNT, ZDATAITEMVERSION, ZDOCID, ZENCRETRYCOUNT, ZFILTEREDRECIPIENTCOUNT, ZFLAGS, "
      "ZGROUPEVENTTYPE, ZISFROMME, ZMESSAGEERRORSTATUS, ZMESSAGESTATUS, ZMESSAGETYPE, ZSORT, ZSPOTLIGHTSTATUS, "
      "ZSTARRED, ZCHATSESSION, ZGROUPMEMBER, ZMESSAGEDATE, ZSENTDATE, ZFROMJID, ZMEDIASECTIONID, ZPUSHNAME, "
      "ZSTANZAID, ZTEXT, ZTOJID) VALUES (9,?,0,0,0,3,?,0,0,?,?,?,0,?,?,?,-32768,?,?,?,?,?,?,?,?,?,?,?)");
  auto set_media = db->prepare("UPDATE ZWAMESSAGE SET ZMEDIAITEM = ? WHERE Z_PK = ?");
  auto set_info = db->prepare("UPDATE ZWAMESSAGE SET ZMESSAGEINFO = ? WHERE Z_PK = ?");
  auto ins_media = db->prepare(
      "INSERT INTO ZWAMEDIAITEM (Z_ENT, Z_OPT, ZCLOUDSTATUS, ZFILESIZE, ZMEDIAORIGIN, ZMOVIEDURATION, ZMESSAGE, "
      "ZASPECTRATIO, ZHACCURACY, ZLATITUDE, ZLONGITUDE, ZMEDIAURLDATE, ZMEDIALOCALPATH, ZMEDIAURL, ZTITLE, "
      "ZVCARDNAME, ZVCARDSTRING, ZMEDIAKEY, ZMETADATA) VALUES (8,?,?,?,0,0,?,0.0,0.0,?,?,?,?,?,?,?,?,?,?)");
  auto ins_info = db->prepare("INSERT INTO ZWAMESSAGEINFO (Z_ENT, Z_OPT, ZMESSAGE, ZRECEIPTINFO) VALUES (11,1,?,?)");
  for (auto* s : {&ins_session, &ins_groupinfo, &set_groupinfo, &ins_member, &ins_msg, &set_media, &set_info,
                  &ins_media, &ins_info})
    if (!*s) return s->error();

  std::map<std::string, Session> sessions;
  int64_t docid = 5, members_total = 0, groups_total = 0, media_total = 0, info_total = 0, messages_total = 0;

  auto wa_name = [&](uint32_t id) {
    const Person& p = story.person(id);
    return p.in_contacts ? p.display : std::string();
  };

  struct Row {
    int opt = 1;
    int64_t flags = 16777216, group_event = 0, status = 0, type = 0;
    bool from_me = false;
    std::optional<int64_t> starred;
    int64_t member = 0;  // ZGROUPMEMBER, 0 = NULL
    double date = 0;
    std::optional<double> sent;
    std::optional<std::string> from, to, text, section;
    std::string push;
  };
  auto insert_row = [&](Session& s, const Row& w) -> Result<int64_t> {
    const std::string stanza = "3A" + r.hex(9);
    const std::string push = w.push.empty() ? b64(random_bytes(r, 8)) : w.push;
    auto id = ins_msg->run(w.opt, docid++, w.flags, w.group_event, w.from_me ? 1 : 0, w.status, w.type, ++s.sort,
                           w.starred, s.pk, w.member ? std::optional<int64_t>(w.member) : std::optional<int64_t>(),
                           w.date, w.sent, w.from, w.section, push, stanza, w.text, w.to);
    if (!id) return id.error();
    ++s.count;
    ++messages_total;
    s.last_message = *id;
    s.last_date = w.date;
    return *id;
  };

  // The chat's session, created on first use with its groups rows and its
  // opening encryption notice.
  auto session_for = [&](const Event& e) -> Result<Session*> {
    const Group* g = e.group >= 0 ? &story.groups()[static_cast<size_t>(e.group)] : nullptr;
    const std::string jid = g ? g->jid : story.person(e.person).phone.jid();
    if (auto it = sessions.find(jid); it != sessions.end()) return &it->second;
    Session s;
    const std::string partner = g ? g->name : wa_name(e.person);
    auto pk =
        ins_session->run(g ? 256 : 272, g ? 1 : 0, jid, partner.empty() ? std::optional<std::string>() : partner,
                         g ? std::optional<std::string>() : std::optional<std::string>(c.uuid("ab-person", e.person)));
    if (!pk) return pk.error();
    s.pk = *pk;
    double opened = 0;
    if (g) {
      opened = mac_seconds(story.clock().local_to_utc_ms(g->created, 8 * 3600));
      const std::string creator = g->creator == 0 ? owner_jid : story.person(g->creator).phone.jid();
      auto gi =
          ins_groupinfo->run(s.pk, opened, opened, creator, "+" + b64(random_bytes(r, 30)),
                             g->creator == 0 ? std::optional<std::string>() : std::optional<std::string>(creator));
      if (!gi) return gi.error();
      ++groups_total;
      if (auto x = set_groupinfo->run(*gi, s.pk); !x) return x.error();
      // Members: the owner too (as real stores list them).
      std::vector<uint32_t> all{0};
      all.insert(all.end(), g->members.begin(), g->members.end());
      for (uint32_t m : all) {
        const std::string mj = m == 0 ? owner_jid : story.person(m).phone.jid();
        const std::string nm = m == 0 ? std::string() : wa_name(m);
        auto mp = ins_member->run(m == g->creator ? 1 : 0, s.pk, nm.empty() ? std::optional<std::string>() : nm,
                                  std::optional<std::string>(), mj);
        if (!mp) return mp.error();
        ++members_total;
        s.members[m] = *mp;
      }
    } else {
      const Person& p = story.person(e.person);
      const DayNumber day = std::max(story.first_day(), p.known_from);
      opened = mac_seconds(story.clock().local_to_utc_ms(day, 7 * 3600));
    }
    Session& ref = sessions.emplace(jid, std::move(s)).first->second;
    // "Messages and calls are end-to-end encrypted" (ZMESSAGETYPE 10).
    Row w;
    w.opt = 3;
    w.group_event = 2;
    w.type = 10;
    w.date = opened;
    w.from = jid;
    w.to = owner_jid;
    w.push = b64(random_bytes(r, 8));
    auto id = insert_row(ref, w);
    if (!id) return id.error();
    Item it;
    it.category = Category::message;
    it.service = "whatsapp";
    it.system = true;
    it.time = mac_time_real(opened);
    it.direction = Direction::incoming;
    it.thread_id = jid;
    it.group = g != nullptr;
    if (g) {
      it.thread_name = g->name;
      for (uint32_t m : g->members)
        it.parties.push_back(c.truth.party(story.person(m).phone.jid(), PartyRole::participant, wa_name(m)));
    } else {
      it.parties.push_back(c.truth.party(jid, PartyRole::from, wa_name(e.person)));
    }
    it.provenance = c.prov(chat_db, "ZWAMESSAGE", fmt::format("Z_PK={}", *id), "ios.whatsapp");
    if (auto st = c.truth.add(std::move(it), false); !st) return st.error();
    return &ref;
  };

  // CallHistory.sqlite is built alongside (calls are WhatsApp events too).
  const std::filesystem::path call_scratch = c.scratch("CallHistory.sqlite");
  auto cdb =
      SqlDb::create(call_scratch, derive_seed(story.seed(), "ios-wa-CallHistory.sqlite"), DbOptions{4096, 0, true, ""});
  if (!cdb) return cdb.error();
  if (auto st = cdb->exec(wa_schema::kCallHistory); !st) return st;
  if (auto st = cdb->begin(); !st) return st;
  auto ins_agg = cdb->prepare(
      "INSERT INTO ZWAAGGREGATECALLEVENT (Z_ENT, Z_OPT, ZINCOMING, ZMISSED, ZMISSEDREASON, ZVIDEO, ZFIRSTDATE) "
      "VALUES (1,1,?,?,1,?,?)");
  auto ins_call = cdb->prepare(
      "INSERT INTO ZWACDCALLEVENT (Z_ENT, Z_OPT, ZBYTESRECEIVED, ZBYTESSENT, ZOUTCOME, Z1CALLEVENTS, "
      "Z_FOK_1CALLEVENTS, ZDATE, ZDURATION, ZGROUPCALLCREATORUSERJIDSTRING) VALUES (2,1,?,?,?,?,2048,?,?,?)");
  auto ins_part = cdb->prepare(
      "INSERT INTO ZWACDCALLEVENTPARTICIPANT (Z_ENT, Z_OPT, ZOUTCOME, Z1PARTICIPANTS, Z_FOK_1PARTICIPANTS, "
      "ZJIDSTRING) VALUES (3,1,?,?,2048,?)");
  for (auto* s : {&ins_agg, &ins_call, &ins_part})
    if (!*s) return s->error();
  int64_t calls_total = 0;

  const std::string wa_media_root = group_dir + "/Message";
  for (DayNumber day = story.first_day(); day <= story.last_day(); ++day) {
    if (c.cancelled()) return c.interrupted();
    if (c.v.wal && day == story.last_day()) {
      if (auto st = db->commit(); !st) return st;
      if (auto st = db->start_wal_tail(); !st) return st;
      if (auto st = db->begin(); !st) return st;
    }
    for (const Event& e : story.events_for_day(day)) {
      if (e.channel == Channel::whatsapp_call) {
        const Person& p = story.person(e.person);
        const bool answered = e.result == CallResult::answered;
        const double duration = answered ? e.duration_s + static_cast<double>(e.salt % 1000) / 1000.0 : 0;
        int outcome = 0;
        bool missed = false;
        if (!e.outgoing && !answered) {
          outcome = e.result == CallResult::rejected ? 4 : 1;
          missed = outcome == 1;
        }
        const double date = mac_seconds(e.time_ms);
        auto agg = ins_agg->run(e.outgoing ? 0 : 1, missed ? 1 : 0, e.video ? 1 : 0, date);
        if (!agg) return agg.error();
        const int64_t bytes = answered ? static_cast<int64_t>(duration * (e.video ? 300000 : 1200)) : 0;
        auto id =
            ins_call->run(bytes, bytes / 3, outcome, *agg, date, duration, e.outgoing ? owner_jid : p.phone.jid());
        if (!id) return id.error();
        if (auto x = ins_part->run(outcome, *agg, p.phone.jid()); !x) return x.error();
        ++calls_total;
        Item it;
        it.category = Category::call;
        it.service = "whatsapp";
        it.time = mac_time_real(date);
        it.direction = e.outgoing ? Direction::outgoing : Direction::incoming;
        if (e.outgoing)
          it.outcome = duration > 0 ? CallOutcome::answered : CallOutcome::unknown;
        else
          it.outcome = answered ? CallOutcome::answered : outcome == 4 ? CallOutcome::rejected : CallOutcome::missed;
        it.duration_s = duration;
        it.parties.push_back(c.truth.party(p.phone.jid(), e.outgoing ? PartyRole::to : PartyRole::from, wa_name(p.id)));
        it.provenance = c.prov(calls_db, "ZWACDCALLEVENT", fmt::format("Z_PK={}", *id), "ios.whatsapp");
        if (auto st = c.truth.add(std::move(it), e.in_scope); !st) return st;
        continue;
      }
      if (e.channel != Channel::whatsapp) continue;
      auto sp = session_for(e);
      if (!sp) return sp.error();
      Session& s = **sp;
      const Group* g = e.group >= 0 ? &story.groups()[static_cast<size_t>(e.group)] : nullptr;
      const std::string chat_jid = g ? g->jid : story.person(e.person).phone.jid();

      Row w;
      w.from_me = e.outgoing;
      // Incoming: the sender's whole-second timestamp, received a moment later.
      w.date = e.outgoing ? mac_seconds(e.time_ms) : static_cast<double>(e.time_ms / 1000 - kMacEpochOffsetS);
      if (!e.system)
        w.sent = e.outgoing ? w.date + 0.035 : mac_seconds(e.time_ms + 300 + static_cast<int64_t>(e.salt % 2500));
      if (e.outgoing) {
        w.flags = 16777280;
        w.to = chat_jid;
        w.status = 8;
        w.opt = 6;
      } else {
        w.from = chat_jid;
        w.group_event = 2;
        w.status = 8;
        w.opt = 6;
        w.push = b64(random_bytes(r, 8));
        if (g) w.member = s.members[e.person];
      }
      if (e.system) {
        w.type = 6;
        w.group_event = 12;
        w.status = 0;
        w.opt = 3;
        w.from_me = false;  // the notice is addressed to the owner, whoever created the group
        w.from = chat_jid;
        w.to = owner_jid;
        w.member = g && e.person != 0 ? s.members[e.person] : 0;
      } else if (e.picture) {
        w.type = 1;
      } else if (e.location) {
        w.type = 5;
      }
      if (!e.system && !e.location && !e.body.empty()) w.text = e.body;
      const auto l = story.clock().local(e.time_ms);
      if (e.picture) w.section = fmt::format("{:04d}-{:02d}", l.year, l.month);
      if (e.salt % 97 == 0 && !e.system) w.starred = 1;
      auto id = insert_row(s, w);
      if (!id) return id.error();

      FileRef fref;
      if (e.picture || e.location) {
        std::optional<std::string> local, url, title, vname, vstring;
        std::optional<int64_t> fsize, cloud;
        std::optional<double> lat, lon, urldate;
        std::string key, metadata;
        if (e.picture) {
          const std::string muuid = c.uuid("wa-media", e.salt);
          std::string lower = muuid;
          for (char& ch : lower) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
          local = "Media/" + chat_jid + "/" + lower.substr(0, 1) + "/" + lower.substr(1, 1) + "/" + lower + ".jpg";
          auto jpg = encode_jpeg(e.picture->width, e.picture->height, e.picture->seed, 70);
          if (!jpg) return jpg.error();
          fsize = static_cast<int64_t>(jpg->size());
          cloud = 4;
          lat = e.picture->width;
          lon = e.picture->height;
          urldate = w.sent;
          url = "https://mmg.whatsapp.net/v/t62.7118-24/" + r.hex(12, false) + ".enc";
          vname = b64(hex_to_raw(sha256_hex(*jpg)));
          vstring = "image/jpeg";
          key = random_bytes(r, 76);
          metadata = random_bytes(r, 146);
          fref.mime = "image/jpeg";
          if (e.picture->missing) {
            fref.missing = true;
            fref.name = *local;
          } else {
            const std::string var_rel = wa_media_root + "/" + *local;
            const int64_t mtime = static_cast<int64_t>(*w.sent) + kMacEpochOffsetS;
            if (auto st = c.add_bytes(var_rel, *jpg, mtime); !st) return st;
            fref.path = Context::logical(var_rel);
            fref.name = lower + ".jpg";
            fref.size = jpg->size();
            fref.sha256 = sha256_hex(*jpg);
          }
        } else {
          lat = e.location->lat;
          lon = e.location->lon;
          title = e.location->place_name;
          url = fmt::format("https://maps.google.com/maps?q={},{}", e.location->lat, e.location->lon);
        }
        auto mid = ins_media->run(e.picture ? 6 : 2, cloud, fsize, *id, lat, lon, urldate, local, url, title, vname,
                                  vstring, key.empty() ? std::optional<Blob>() : Blob{key},
                                  metadata.empty() ? std::optional<Blob>() : Blob{metadata});
        if (!mid) return mid.error();
        ++media_total;
        if (auto x = set_media->run(*mid, *id); !x) return x.error();
      }
      if (!e.system) {
        const std::string receipt = e.outgoing ? random_bytes(r, 40) : std::string();
        auto info = ins_info->run(*id, receipt.empty() ? std::optional<Blob>() : Blob{receipt});
        if (!info) return info.error();
        ++info_total;
        if (auto x = set_info->run(*info, *id); !x) return x.error();
      }

      Item it;
      it.category = Category::message;
      it.service = "whatsapp";
      it.time = mac_time_real(w.date);
      if (w.sent) it.other_times.push_back({"sent", mac_time_real(*w.sent)});
      it.direction = w.from_me ? Direction::outgoing : Direction::incoming;
      it.thread_id = chat_jid;
      it.group = g != nullptr;
      it.system = e.system;
      if (g) {
        it.thread_name = g->name;
        const bool has_sender = !w.from_me && w.member != 0;
        if (has_sender)
          it.parties.push_back(c.truth.party(story.person(e.person).phone.jid(), PartyRole::from, wa_name(e.person)));
        for (uint32_t m : g->members) {
          if (has_sender && m == e.person) continue;
          it.parties.push_back(c.truth.party(story.person(m).phone.jid(),
                                             w.from_me ? PartyRole::to : PartyRole::participant, wa_name(m)));
        }
      } else {
        it.parties.push_back(c.truth.party(chat_jid, e.outgoing ? PartyRole::to : PartyRole::from, wa_name(e.person)));
      }
      if (e.location) {
        it.body = e.location->place_name;
        it.location = GeoPoint{e.location->lat, e.location->lon, std::nullopt};
      } else if (!e.system) {
        it.body = e.body;
      }
      if (e.picture) it.attachments.push_back(fref);
      it.provenance = c.prov(chat_db, "ZWAMESSAGE", fmt::format("Z_PK={}", *id), "ios.whatsapp");
      if (auto st = c.truth.add(std::move(it), e.in_scope); !st) return st;
    }
  }
  {
    auto upd = db->prepare(
        "UPDATE ZWACHATSESSION SET ZLASTMESSAGE = ?, ZLASTMESSAGEDATE = ?, ZMESSAGECOUNTER = ? WHERE Z_PK = ?");
    if (!upd) return upd.error();
    for (const auto& [jid, s] : sessions)
      if (auto x = upd->run(s.last_message, s.last_date, s.count, s.pk); !x) return x.error();
    auto push = db->prepare("INSERT INTO ZWAPROFILEPUSHNAME (Z_ENT, Z_OPT, ZJID, ZPUSHNAME) VALUES (13,1,?,?)");
    if (!push) return push.error();
    int64_t pushes = 0;
    for (const Person& p : story.people()) {
      if (!p.whatsapp || p.role == Role::owner || p.first.empty()) continue;
      if (auto x = push->run(p.phone.jid(), p.first); !x) return x.error();
      ++pushes;
    }
    CoreDataStore store{c.uuid("wa-chatstorage-store"), {"2.12.14"}, 1145, derive_seed(story.seed(), "wa-chat-model")};
    if (auto st = write_coredata_tables(*db, store,
                                        {{"WABlackListItem", 0},
                                         {"WAChatProperties", 0},
                                         {"WAChatPushConfig", 0},
                                         {"WAChatSession", static_cast<int64_t>(sessions.size())},
                                         {"WAGroupInfo", groups_total},
                                         {"WAGroupMember", members_total},
                                         {"WAGroupMembersChange", 0},
                                         {"WAMediaItem", media_total},
                                         {"WAMessage", messages_total},
                                         {"WAMessageDataItem", 0},
                                         {"WAMessageInfo", info_total},
                                         {"WAProfilePictureItem", 0},
                                         {"WAProfilePushName", pushes},
                                         {"WAVCardMention", 0},
                                         {"WAZ1PaymentTransaction", 0}});
        !st)
      return st;
  }
  if (auto st = db->commit(); !st) return st;
  for (auto* s : {&ins_session, &ins_groupinfo, &set_groupinfo, &ins_member, &ins_msg, &set_media, &set_info,
                  &ins_media, &ins_info})
    *s = make_error(Errc::internal, "closed");
  if (auto st = db->close(); !st) return st;
  if (auto st = c.add_db(chat_db, scratch); !st) return st;

  // CallHistory.sqlite.
  {
    CoreDataStore store{c.uuid("wa-callhistory-store"), {"1.0"}, 1145, derive_seed(story.seed(), "wa-call-model")};
    if (auto st = write_coredata_tables(*cdb, store,
                                        {{"WAAggregateCallEvent", calls_total},
                                         {"WACDCallEvent", calls_total},
                                         {"WACDCallEventParticipant", calls_total},
                                         {"WAJoinableCallEvent", 0},
                                         {"WAJoinableCallEventParticipant", 0},
                                         {"WAUpcomingCallEvent", 0}});
        !st)
      return st;
    if (auto st = cdb->commit(); !st) return st;
    for (auto* s : {&ins_agg, &ins_call, &ins_part}) *s = make_error(Errc::internal, "closed");
    if (auto st = cdb->close(); !st) return st;
    if (auto st = c.add_db(calls_db, call_scratch); !st) return st;
  }

  // ContactsV2.sqlite: WhatsApp's copy of the address book, one row per
  // phone number (people not on WhatsApp too, without a WhatsApp id).
  {
    const std::filesystem::path cs = c.scratch("ContactsV2.sqlite");
    auto kdb = SqlDb::create(cs, derive_seed(story.seed(), "ios-ContactsV2.sqlite"), DbOptions{4096, 0, true, ""});
    if (!kdb) return kdb.error();
    if (auto st = kdb->exec(wa_schema::kContactsV2); !st) return st;
    if (auto st = kdb->begin(); !st) return st;
    auto ins = kdb->prepare(
        "INSERT INTO ZWAADDRESSBOOKCONTACT (Z_ENT, Z_OPT, ZDISAPPEARINGMODEDURATION, ZPHONESTATUS, ZSECTIONSORT, "
        "ZSORT, ZSPOTLIGHTSTATUS, ZABOUTTIMESTAMP, ZABOUTTEXT, ZFULLNAME, ZGIVENNAME, ZHIGHLIGHTEDNAME, ZIDENTIFIER, "
        "ZLOCALIZEDPHONENUMBER, ZPHONENUMBER, ZPHONENUMBERLABEL, ZSEARCHTOKENLIST, ZSECTIONTITLE, ZWHATSAPPID) "
        "VALUES (1,?,0,?,0,?,?,?,?,?,?,?,?,NULL,?,?,?,?,?)");
    if (!ins) return ins.error();
    int64_t rows = 0, sort = 0;
    for (const Person& p : story.people()) {
      if (!p.in_contacts || p.phone.empty()) continue;
      if (c.cancelled()) return c.interrupted();
      const bool wa = p.whatsapp;
      const auto sp = p.display.find(' ');
      const std::string given = sp == std::string::npos ? p.display : p.display.substr(0, sp);
      const std::string highlighted = sp == std::string::npos ? p.display : p.display.substr(sp + 1);
      std::string tokens = p.display;
      for (char& ch : tokens) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
      const bool landline = p.phone.national.rfind("0113", 0) == 0;
      const std::string label = landline ? "_$!<Home>!$_" : "_$!<Mobile>!$_";
      const std::optional<double> about_ts =
          wa ? std::optional<double>(mac_seconds(story.clock().local_to_utc_ms(p.known_from, 12 * 3600)))
             : std::nullopt;
      sort += 1000;
      auto id = ins->run(wa ? 3 : 2, wa ? 1 : 2, sort, wa ? 1 : -5, about_ts,
                         wa ? std::optional<std::string>(p.wa_about) : std::nullopt, p.display, given, highlighted,
                         c.uuid("ab-person", p.id), p.phone.national, label, tokens,
                         std::string(1, static_cast<char>(std::toupper(static_cast<unsigned char>(p.display[0])))),
                         wa ? std::optional<std::string>(p.phone.jid()) : std::nullopt);
      if (!id) return id.error();
      ++rows;
      Item it;
      it.category = Category::contact;
      it.service = "whatsapp";
      it.title = p.display;
      if (wa) {
        it.body = p.wa_about;
        it.other_times.push_back({"about_set", mac_time_real(*about_ts)});
      }
      it.parties.push_back(
          c.truth.party(p.phone.national, PartyRole::subject, p.display, landline ? "home" : "mobile"));
      if (wa) it.parties.push_back(c.truth.party(p.phone.jid(), PartyRole::subject, p.display, "whatsapp"));
      it.provenance =
          c.prov(contacts_db, "ZWAADDRESSBOOKCONTACT", fmt::format("Z_PK={}", *id), "ios.whatsapp_contacts");
      if (auto st = c.truth.add(std::move(it), false); !st) return st;
    }
    CoreDataStore store{c.uuid("wa-contacts-store"), {"1.0"}, 1145, derive_seed(story.seed(), "wa-contacts-model")};
    if (auto st = write_coredata_tables(*kdb, store, {{"WAAddressBookContact", rows}}); !st) return st;
    if (auto st = kdb->commit(); !st) return st;
    ins = make_error(Errc::internal, "closed");
    if (auto st = kdb->close(); !st) return st;
    if (auto st = c.add_db(contacts_db, cs); !st) return st;
  }
  return {};
}

}  // namespace remit::synth::ios
