// iOS call history: private/var/mobile/Library/CallHistoryDB/
// CallHistory.storedata and CallHistoryTemp.storedata (Core Data).
//
// Schema: ZCALLRECORD with the column set of iOS 16-17 stores as published
// by several readers (ZANSWERED, ZCALLTYPE, ZCALL_CATEGORY,
// ZDISCONNECTED_CAUSE, ZFACE_TIME_DATA, ZFILTERED_OUT_REASON,
// ZHANDLE_TYPE, ZJUNKCONFIDENCE, ZNUMBER_AVAILABILITY, ZORIGINATED, ZREAD,
// ZVERIFICATIONSTATUS, ZWASEMERGENCYCALL, ZDATE, ZDURATION, ZADDRESS,
// ZISO_COUNTRY_CODE, ZJUNKIDENTIFICATIONCATEGORY (VARCHAR), ZLOCATION,
// ZNAME, ZSERVICE_PROVIDER, ZUNIQUE_ID, the participant UUID blobs ...),
// ZHANDLE and the many-to-many join Z_2REMOTEPARTICIPANTHANDLES (entity 2
// = CallRecord, 4 = Handle), ZCALLDBPROPERTIES, ZEMERGENCYMEDIAITEM, and
// Core Data's Z_PRIMARYKEY / Z_METADATA / Z_MODELCACHE.
// Values: ZCALLTYPE 1 phone, 8 FaceTime video, 16 FaceTime audio
// (artifacts.md); ZORIGINATED 1 outgoing; ZANSWERED 1 only when the owner
// answered (always 0 on outgoing calls); ZADDRESS as the network gave it
// (incoming, international form) or as dialled, stored as text or, as some
// iOS versions do, as a blob of the same UTF-8 bytes; ZSERVICE_PROVIDER
// com.apple.Telephony / com.apple.FaceTime. The record has no "rejected"
// or "voicemail" outcome: an unanswered incoming call is missed.
// CallHistoryTemp.storedata holds the calls not yet merged into the main
// store (here: the extraction day's).
#include <fmt/format.h>

#include <map>
#include <optional>

#include "synth/ios/context.hpp"
#include "synth/ios/coredata.hpp"
#include "synth/prng.hpp"
#include "synth/sqlite_writer.hpp"

namespace remit::synth::ios {

namespace {

constexpr const char* kMain = "mobile/Library/CallHistoryDB/CallHistory.storedata";
constexpr const char* kTemp = "mobile/Library/CallHistoryDB/CallHistoryTemp.storedata";

constexpr const char* kSchema = R"SQL(
CREATE TABLE ZCALLDBPROPERTIES ( Z_PK INTEGER PRIMARY KEY, Z_ENT INTEGER, Z_OPT INTEGER, ZTIMER_ALL FLOAT, ZTIMER_INCOMING FLOAT, ZTIMER_LAST FLOAT, ZTIMER_LIFETIME FLOAT, ZTIMER_OUTGOING FLOAT );
CREATE TABLE ZCALLRECORD ( Z_PK INTEGER PRIMARY KEY, Z_ENT INTEGER, Z_OPT INTEGER, ZANSWERED INTEGER, ZAUTOANSWEREDREASON INTEGER, ZCALLDIRECTORYIDENTITYTYPE INTEGER, ZCALLTYPE INTEGER, ZCALL_CATEGORY INTEGER, ZCOMMUNICATIONTRUSTSCORE INTEGER, ZDISCONNECTED_CAUSE INTEGER, ZFACE_TIME_DATA INTEGER, ZFILTERED_OUT_REASON INTEGER, ZHANDLE_TYPE INTEGER, ZHASMESSAGE INTEGER, ZJUNKCONFIDENCE INTEGER, ZNEEDEDSCANNOUNCEMENT INTEGER, ZNUMBER_AVAILABILITY INTEGER, ZORIGINATED INTEGER, ZORIGINATINGUITYPE INTEGER, ZREAD INTEGER, ZSCREENSHARINGTYPE INTEGER, ZUSEDEMERGENCYVIDEOSTREAMING INTEGER, ZVERIFICATIONSTATUS INTEGER, ZWASEMERGENCYCALL INTEGER, ZINITIATOR INTEGER, ZDATE TIMESTAMP, ZDURATION FLOAT, ZADDRESS VARCHAR, ZBLOCKEDBYEXTENSION VARCHAR, ZBLOCKEDBYEXTENSIONNAME VARCHAR, ZIDENTITYEXTENSION VARCHAR, ZISO_COUNTRY_CODE VARCHAR, ZJUNKIDENTIFICATIONCATEGORY VARCHAR, ZLOCATION VARCHAR, ZNAME VARCHAR, ZORIGINATINGDEVICENAME VARCHAR, ZSERVICE_PROVIDER VARCHAR, ZUNIQUE_ID VARCHAR, ZCONVERSATIONID BLOB, ZIMAGEURL VARCHAR, ZLOCALPARTICIPANTUUID BLOB, ZOUTGOINGLOCALPARTICIPANTUUID BLOB, ZPARTICIPANTGROUPUUID BLOB, ZREMINDERUUID BLOB );
CREATE TABLE ZEMERGENCYMEDIAITEM ( Z_PK INTEGER PRIMARY KEY, Z_ENT INTEGER, Z_OPT INTEGER, ZUPLOADEDFORCALL INTEGER, ZASSETURL VARCHAR, ZEMERGENCYMEDIAURL VARCHAR );
CREATE TABLE ZHANDLE ( Z_PK INTEGER PRIMARY KEY, Z_ENT INTEGER, Z_OPT INTEGER, ZTYPE INTEGER, ZNORMALIZEDVALUE VARCHAR, ZVALUE VARCHAR );
CREATE TABLE Z_2REMOTEPARTICIPANTHANDLES ( Z_2REMOTEPARTICIPANTCALLS INTEGER, Z_4REMOTEPARTICIPANTHANDLES INTEGER, PRIMARY KEY (Z_2REMOTEPARTICIPANTCALLS, Z_4REMOTEPARTICIPANTHANDLES) );
CREATE INDEX Z_2REMOTEPARTICIPANTHANDLES_Z_4REMOTEPARTICIPANTHANDLES_INDEX ON Z_2REMOTEPARTICIPANTHANDLES (Z_4REMOTEPARTICIPANTHANDLES, Z_2REMOTEPARTICIPANTCALLS);
CREATE INDEX ZEMERGENCYMEDIAITEM_ZUPLOADEDFORCALL_INDEX ON ZEMERGENCYMEDIAITEM (ZUPLOADEDFORCALL);
CREATE INDEX Z_CallRecord_date ON ZCALLRECORD (ZDATE COLLATE BINARY DESC);
CREATE INDEX Z_CallRecord_uniqueId ON ZCALLRECORD (ZUNIQUE_ID COLLATE BINARY ASC);
CREATE INDEX Z_Handle_normalizedValue ON ZHANDLE (ZNORMALIZEDVALUE COLLATE BINARY ASC, ZTYPE COLLATE BINARY ASC);
)SQL";

class Store {
 public:
  Store(Context& c, const char* var_rel, std::string_view label) : c_(c), var_rel_(var_rel), label_(label) {}

  Status open() {
    scratch_ = c_.scratch(label_);
    auto db = SqlDb::create(scratch_, derive_seed(c_.story.seed(), label_), DbOptions{4096, 0, true, ""});
    if (!db) return db.error();
    db_.emplace(std::move(*db));
    if (auto st = db_->exec(kSchema); !st) return st;
    if (auto st = db_->begin(); !st) return st;
    auto ins = db_->prepare(
        "INSERT INTO ZCALLRECORD (Z_ENT, Z_OPT, ZANSWERED, ZAUTOANSWEREDREASON, ZCALLDIRECTORYIDENTITYTYPE, "
        "ZCALLTYPE, ZCALL_CATEGORY, ZCOMMUNICATIONTRUSTSCORE, ZDISCONNECTED_CAUSE, ZFACE_TIME_DATA, "
        "ZFILTERED_OUT_REASON, ZHANDLE_TYPE, ZHASMESSAGE, ZJUNKCONFIDENCE, ZNEEDEDSCANNOUNCEMENT, "
        "ZNUMBER_AVAILABILITY, ZORIGINATED, ZORIGINATINGUITYPE, ZREAD, ZSCREENSHARINGTYPE, "
        "ZUSEDEMERGENCYVIDEOSTREAMING, ZVERIFICATIONSTATUS, ZWASEMERGENCYCALL, ZINITIATOR, ZDATE, ZDURATION, "
        "ZADDRESS, ZISO_COUNTRY_CODE, ZJUNKIDENTIFICATIONCATEGORY, ZLOCATION, ZNAME, ZSERVICE_PROVIDER, ZUNIQUE_ID, "
        "ZLOCALPARTICIPANTUUID, ZOUTGOINGLOCALPARTICIPANTUUID) "
        "VALUES (2,1,?,0,0,?,1,0,?,NULL,0,2,0,0,0,0,?,0,1,0,0,0,0,?,?,?,?,'gb',NULL,?,?,?,?,?,?)");
    if (!ins) return ins.error();
    ins_ = std::move(*ins);
    auto h = db_->prepare("INSERT INTO ZHANDLE (Z_ENT, Z_OPT, ZTYPE, ZNORMALIZEDVALUE, ZVALUE) VALUES (4,1,2,?,?)");
    if (!h) return h.error();
    ins_handle_ = std::move(*h);
    auto j = db_->prepare(
        "INSERT INTO Z_2REMOTEPARTICIPANTHANDLES (Z_2REMOTEPARTICIPANTCALLS, Z_4REMOTEPARTICIPANTHANDLES) "
        "VALUES (?,?)");
    if (!j) return j.error();
    ins_join_ = std::move(*j);
    return {};
  }

  Status add(const Event& e) {
    const Story& story = c_.story;
    const Person& p = story.person(e.person);
    Rng r = Rng::derive(story.seed(), "ios-call", e.salt);
    // A few calls with iPhone users go over FaceTime audio.
    const bool facetime = p.rcs && p.role != Role::suspect && !e.in_scope && r.chance(0.2);
    const bool answered = e.result == CallResult::answered;
    const int duration = answered ? e.duration_s : 0;
    // Incoming: caller id in international form; outgoing: as dialled.
    const std::string address = facetime || !e.outgoing || !p.in_contacts ? p.phone.e164 : p.phone.national_compact;
    const std::string name = c_.contact_name(p.id);
    std::optional<std::string> zname;
    if (!e.in_scope)
      zname = Story::with_canary(name);  // out-of-scope calls carry the marker in the cached name
    else if (!name.empty())
      zname = name;
    const bool landline = p.phone.national.rfind("0113", 0) == 0;
    const double zdate = mac_seconds(e.time_ms);
    const std::string uid = c_.uuid("ios-call-unique", e.salt);
    // Some iOS versions store the address as a blob of its UTF-8 bytes.
    const bool as_blob = (e.salt >> 7) % 3 == 0;
    const int disconnected = answered ? 0 : (e.outgoing ? 0 : 1);
    int64_t id = 0;
    {
      auto& s = ins_;
      int i = 0;
      s.bind(++i, (!e.outgoing && answered) ? 1 : 0);
      s.bind(++i, facetime ? 16 : 1);
      s.bind(++i, disconnected);
      s.bind(++i, e.outgoing ? 1 : 0);
      s.bind(++i, e.outgoing ? 1 : 0);
      s.bind(++i, zdate);
      s.bind(++i, static_cast<double>(duration));
      if (as_blob)
        s.bind(++i, Blob{address});
      else
        s.bind(++i, address);
      s.bind(++i, facetime ? std::optional<std::string>() : std::string(landline ? "Leeds" : "United Kingdom"));
      s.bind(++i, zname);
      s.bind(++i, facetime ? "com.apple.FaceTime" : "com.apple.Telephony");
      s.bind(++i, uid);
      const std::string local = r.hex(16);
      s.bind(++i, Blob{local});
      if (e.outgoing)
        s.bind(++i, Blob{local});
      else
        s.bind(++i, nullptr);
      auto x = s.step_reset();
      if (!x) return x.error();
      id = *x;
    }
    // The remote participant's handle (Z_2REMOTEPARTICIPANTHANDLES).
    int64_t hid = 0;
    if (auto it = handles_.find(p.phone.e164); it != handles_.end()) {
      hid = it->second;
    } else {
      auto h = ins_handle_.run(p.phone.e164, address);
      if (!h) return h.error();
      hid = *h;
      handles_.emplace(p.phone.e164, hid);
    }
    if (auto x = ins_join_.run(id, hid); !x) return x.error();
    ++rows_;
    (e.outgoing ? out_s_ : in_s_) += duration;
    last_s_ = duration;

    Item it;
    it.category = Category::call;
    it.service = facetime ? "facetime_audio" : "telephony";
    it.time = mac_time_real(zdate);
    it.direction = e.outgoing ? Direction::outgoing : Direction::incoming;
    if (e.outgoing)
      it.outcome = duration > 0 ? CallOutcome::answered : CallOutcome::unknown;
    else
      it.outcome = answered ? CallOutcome::answered : CallOutcome::missed;
    it.duration_s = duration;
    it.parties.push_back(
        c_.truth.party(address, e.outgoing ? PartyRole::to : PartyRole::from, zname.value_or(std::string())));
    it.provenance = c_.prov(var_rel_, "ZCALLRECORD", fmt::format("Z_PK={}", id), "ios.callhistory");
    return c_.truth.add(std::move(it), e.in_scope);
  }

  Status close() {
    {
      auto props = db_->prepare(
          "INSERT INTO ZCALLDBPROPERTIES (Z_ENT, Z_OPT, ZTIMER_ALL, ZTIMER_INCOMING, ZTIMER_LAST, ZTIMER_LIFETIME, "
          "ZTIMER_OUTGOING) VALUES (1,1,?,?,?,?,?)");
      if (!props) return props.error();
      if (auto x =
              props->run(static_cast<double>(in_s_ + out_s_), static_cast<double>(in_s_), static_cast<double>(last_s_),
                         static_cast<double>(in_s_ + out_s_), static_cast<double>(out_s_));
          !x)
        return x.error();
    }
    CoreDataStore store{c_.uuid(label_ + "-store"), {""}, 1145, derive_seed(c_.story.seed(), label_)};
    if (auto st = write_coredata_tables(*db_, store,
                                        {{"CallDBProperties", 1},
                                         {"CallRecord", rows_},
                                         {"EmergencyMediaItem", 0},
                                         {"Handle", static_cast<int64_t>(handles_.size())}});
        !st)
      return st;
    if (auto st = db_->commit(); !st) return st;
    ins_ = SqlStmt();
    ins_handle_ = SqlStmt();
    ins_join_ = SqlStmt();
    if (auto st = db_->close(); !st) return st;
    db_.reset();
    return c_.add_db(var_rel_, scratch_);
  }

 private:
  Context& c_;
  std::string var_rel_;
  std::string label_;
  std::filesystem::path scratch_;
  std::optional<SqlDb> db_;
  SqlStmt ins_, ins_handle_, ins_join_;
  std::map<std::string, int64_t> handles_;
  int64_t rows_ = 0, in_s_ = 0, out_s_ = 0, last_s_ = 0;
};

}  // namespace

Status write_callhistory(Context& c) {
  c.stage("call history (CallHistory.storedata)");
  const Story& story = c.story;
  Store main(c, kMain, "CallHistory.storedata");
  Store temp(c, kTemp, "CallHistoryTemp.storedata");
  if (auto st = main.open(); !st) return st;
  if (auto st = temp.open(); !st) return st;
  for (DayNumber day = story.first_day(); day <= story.last_day(); ++day) {
    if (c.cancelled()) return c.interrupted();
    for (const Event& e : story.events_for_day(day)) {
      if (e.channel != Channel::phone_call) continue;
      Store& s = day == story.last_day() ? temp : main;
      if (auto st = s.add(e); !st) return st;
    }
  }
  if (auto st = main.close(); !st) return st;
  return temp.close();
}

}  // namespace remit::synth::ios
