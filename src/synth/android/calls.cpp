// Android telephony call logs in their three layouts.
//
// References:
//  - AOSP CallLogDatabaseHelper (calllog.db, version 8): `calls` columns,
//    `voicemail_status`, `properties`; CallLog.Calls TYPE codes 1 incoming,
//    2 outgoing, 3 missed, 4 voicemail, 5 rejected.
//  - plaso test data android-contacts2.db: the older `calls` table inside
//    contacts2.db (Android 6 and before) with its column list.
//  - Samsung LogsProvider (logs.db, version 51): table `logs` with logtype
//    100 voice call, 500 video call, 300 SMS snippets (not calls), the
//    duration_table and its duration_update trigger; indexes on contactid,
//    messageid, logtype.
#include "synth/android/calls.hpp"

#include <fmt/format.h>

#include "synth/prng.hpp"

namespace remit::synth::android {

namespace {

constexpr const char* kCalllogSchema = R"SQL(
CREATE TABLE properties (property_key TEXT PRIMARY KEY, property_value TEXT);
CREATE TABLE calls (_id INTEGER PRIMARY KEY AUTOINCREMENT,number TEXT,presentation INTEGER NOT NULL DEFAULT 1,post_dial_digits TEXT NOT NULL DEFAULT '',via_number TEXT NOT NULL DEFAULT '',date INTEGER,duration INTEGER,data_usage INTEGER,type INTEGER,features INTEGER NOT NULL DEFAULT 0,subscription_component_name TEXT,subscription_id TEXT,phone_account_address TEXT,phone_account_hidden INTEGER NOT NULL DEFAULT 0,sub_id INTEGER DEFAULT -1,new INTEGER,name TEXT,numbertype INTEGER,numberlabel TEXT,countryiso TEXT,voicemail_uri TEXT,is_read INTEGER,geocoded_location TEXT,lookup_uri TEXT,matched_number TEXT,normalized_number TEXT,photo_id INTEGER NOT NULL DEFAULT 0,photo_uri TEXT,formatted_number TEXT,add_for_all_users INTEGER NOT NULL DEFAULT 1,last_modified INTEGER DEFAULT 0,call_screening_component_name TEXT,call_screening_app_name TEXT,block_reason INTEGER NOT NULL DEFAULT 0,_data TEXT,has_content INTEGER,mime_type TEXT,source_data TEXT,source_package TEXT,transcription TEXT,transcription_state INTEGER NOT NULL DEFAULT 0,state INTEGER,dirty INTEGER NOT NULL DEFAULT 0,deleted INTEGER NOT NULL DEFAULT 0,backed_up INTEGER NOT NULL DEFAULT 0,restored INTEGER NOT NULL DEFAULT 0,archived INTEGER NOT NULL DEFAULT 0,is_omtp_voicemail INTEGER NOT NULL DEFAULT 0);
CREATE TABLE voicemail_status (_id INTEGER PRIMARY KEY AUTOINCREMENT,source_package TEXT NOT NULL,phone_account_component_name TEXT,phone_account_id TEXT,settings_uri TEXT,voicemail_access_uri TEXT,configuration_state INTEGER,data_channel_state INTEGER,notification_channel_state INTEGER,quota_occupied INTEGER DEFAULT -1,quota_total INTEGER DEFAULT -1,source_type TEXT);
)SQL";

constexpr const char* kContacts2Calls = R"SQL(
CREATE TABLE calls (_id INTEGER PRIMARY KEY AUTOINCREMENT,number TEXT,date INTEGER,duration INTEGER,type INTEGER,new INTEGER,name TEXT,numbertype INTEGER,numberlabel TEXT,countryiso TEXT,voicemail_uri TEXT,is_read INTEGER,geocoded_location TEXT,lookup_uri TEXT,matched_number TEXT,normalized_number TEXT,photo_id INTEGER NOT NULL DEFAULT 0,formatted_number TEXT,_data TEXT,has_content INTEGER,mime_type TEXT,source_data TEXT,source_package TEXT,state INTEGER);
)SQL";

constexpr const char* kLogsSchema = R"SQL(
CREATE TABLE logs (_id INTEGER PRIMARY KEY AUTOINCREMENT,number TEXT,address TEXT,date INTEGER,duration INTEGER,type INTEGER,new INTEGER,name TEXT,name_reversed TEXT,numbertype INTEGER,numberlabel TEXT,voicemail_uri TEXT,is_read INTEGER,countryiso TEXT,geocoded_location TEXT,lookup_uri TEXT,matched_number TEXT,normalized_number TEXT,photo_id INTEGER NOT NULL DEFAULT 0,formatted_number TEXT,messageid TEXT,logtype INTEGER NOT NULL,frequent INTEGER,contactid INTEGER NOT NULL,raw_contact_id INTEGER,m_subject TEXT,m_content TEXT,sns_tid TEXT,sns_pkey TEXT,account_name TEXT,account_id TEXT,sns_receiver_count TEXT,sp_type TEXT,cnap_name TEXT,cdnip_number TEXT, service_type INTEGER, country_code TEXT,cityid TEXT,_data TEXT,has_content INTEGER,mime_type TEXT,source_data TEXT,source_package TEXT,state INTEGER);
CREATE TABLE sns_msg_receiver_map (_id INTEGER PRIMARY KEY AUTOINCREMENT,message_id INTEGER,receiver_id TEXT,receiver_name TEXT);
CREATE TABLE duration_table (_id INTEGER PRIMARY KEY AUTOINCREMENT,last_voice INTEGER,last_video INTEGER,last_voip INTEGER,last_chaton_voip INTEGER,last_chaton_vt INTEGER,dial_voice INTEGER,dial_video INTEGER,dial_voip INTEGER,dial_chaton_voip INTEGER,dial_chaton_vt INTEGER,rece_voice INTEGER,rece_video INTEGER,rece_voip INTEGER,rece_chaton_voip INTEGER,rece_chaton_vt INTEGER,all_voice INTEGER,all_video INTEGER,all_voip INTEGER,all_chaton_voip INTEGER,all_chaton_vt INTEGER,reset_date INTEGER);
INSERT INTO duration_table VALUES (1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 ,0, 0, 0, 0, 0, 0, 0, 0);
)SQL";

constexpr const char* kLogsAfter = R"SQL(
CREATE TRIGGER duration_update INSERT ON logs BEGIN UPDATE duration_table SET last_voice = new.duration WHERE new.logtype = 100;UPDATE duration_table SET last_video = new.duration WHERE new.logtype = 500;UPDATE duration_table SET last_voip = new.duration WHERE new.logtype = 800;UPDATE duration_table SET last_chaton_voip = new.duration WHERE new.logtype = 900;UPDATE duration_table SET last_chaton_vt = new.duration WHERE new.logtype = 1000;UPDATE duration_table SET dial_voice = dial_voice + new.duration WHERE new.logtype = 100 AND new.type = 2;UPDATE duration_table SET dial_video = dial_video + new.duration WHERE new.logtype = 500 AND new.type = 2;UPDATE duration_table SET dial_voip = dial_voip + new.duration WHERE new.logtype = 800 AND new.type = 2;UPDATE duration_table SET dial_chaton_voip = dial_chaton_voip + new.duration WHERE new.logtype = 900 AND new.type = 2;UPDATE duration_table SET dial_chaton_vt = dial_chaton_vt + new.duration WHERE new.logtype = 1000 AND new.type = 2;UPDATE duration_table SET rece_voice = rece_voice + new.duration WHERE new.logtype = 100 AND new.type = 1;UPDATE duration_table SET rece_video = rece_video + new.duration WHERE new.logtype = 500 AND new.type = 1;UPDATE duration_table SET rece_voip = rece_voip + new.duration WHERE new.logtype = 800 AND new.type = 1;UPDATE duration_table SET rece_chaton_voip = rece_chaton_voip + new.duration WHERE new.logtype = 900 AND new.type = 1;UPDATE duration_table SET rece_chaton_vt = rece_chaton_vt + new.duration WHERE new.logtype = 1000 AND new.type = 1;UPDATE duration_table SET all_voice = all_voice + new.duration WHERE new.logtype = 100;UPDATE duration_table SET all_video = all_video + new.duration WHERE new.logtype = 500;UPDATE duration_table SET all_voip = all_voip + new.duration WHERE new.logtype = 800;UPDATE duration_table SET all_voip = all_chaton_voip + new.duration WHERE new.logtype = 900;UPDATE duration_table SET all_voip = all_chaton_vt + new.duration WHERE new.logtype = 1000; END;
CREATE INDEX sns_map_id ON sns_msg_receiver_map (_id);
CREATE INDEX sns_message_id ON sns_msg_receiver_map (message_id);
CREATE INDEX logs_contact_id ON logs (contactid);
CREATE INDEX logs_message_id ON logs (messageid);
CREATE INDEX logs_log_type ON logs (logtype);
)SQL";

int call_type(CallResult r, bool outgoing) {
  if (outgoing) return 2;
  switch (r) {
    case CallResult::answered:
      return 1;
    case CallResult::missed:
      return 3;
    case CallResult::voicemail:
      return 4;
    case CallResult::rejected:
      return 5;
    default:
      return 3;
  }
}

CallOutcome outcome(int type, int duration) {
  switch (type) {
    case 1:
      return CallOutcome::answered;
    case 2:
      return duration > 0 ? CallOutcome::answered : CallOutcome::unknown;
    case 3:
      return CallOutcome::missed;
    case 4:
      return CallOutcome::voicemail;
    case 5:
      return CallOutcome::rejected;
    case 6:
      return CallOutcome::blocked;
    default:
      return CallOutcome::unknown;
  }
}

}  // namespace

Status write_call_rows(Context& c, SqlDb& db, CallTable flavor, const std::string& db_path) {
  const Story& story = c.story;
  const Person& me = story.owner();
  const char* schema = flavor == CallTable::calllog_db  ? kCalllogSchema
                       : flavor == CallTable::contacts2 ? kContacts2Calls
                                                        : kLogsSchema;
  if (auto st = db.exec(schema); !st) return st;
  const bool logs = flavor == CallTable::samsung_logs;
  const std::string table = logs ? "logs" : "calls";
  Result<SqlStmt> ins = make_error(Errc::internal, "unset");
  if (flavor == CallTable::calllog_db) {
    ins = db.prepare(
        "INSERT INTO calls "
        "(number,presentation,date,duration,data_usage,type,features,"
        "subscription_component_name,"
        "subscription_id,phone_account_address,sub_id,new,name,numbertype,"
        "numberlabel,countryiso,is_read,geocoded_location,"
        "lookup_uri,matched_number,normalized_number,formatted_number,last_"
        "modified) "
        "VALUES "
        "(?,1,?,?,NULL,?,0,'com.android.phone/"
        "com.android.services.telephony.TelephonyConnectionService',?,?,1,?,?,?"
        ",NULL,'GB',?,?,?,?,?,?,?)");
  } else if (flavor == CallTable::contacts2) {
    ins = db.prepare(
        "INSERT INTO calls "
        "(number,date,duration,type,new,name,numbertype,"
        "numberlabel,countryiso,is_read,geocoded_location,"
        "lookup_uri,matched_number,normalized_number,formatted_"
        "number) VALUES (?,?,?,?,?,?,?,NULL,'GB',?,?,?,?,?,?)");
  } else {
    ins = db.prepare(
        "INSERT INTO logs "
        "(number,address,date,duration,type,new,name,numbertype,"
        "is_read,countryiso,geocoded_location,"
        "normalized_number,formatted_number,messageid,logtype,"
        "contactid,m_content,service_type,country_code) "
        "VALUES (?,NULL,?,?,?,?,?,?,?,'GB',?,?,?,?,?,?,?,?,'44')");
  }
  if (!ins) return ins.error();
  Rng r = Rng::derive(story.seed(), "calllog-" + table);
  const std::string iccid_sub = "89441000" + std::to_string(Rng::derive(story.seed(), "iccid").below(9999999));
  if (auto st = db.begin(); !st) return st;
  for (DayNumber day = story.first_day(); day <= story.last_day(); ++day) {
    if (c.cancelled()) return make_error(Errc::refused, "interrupted");
    for (const Event& e : story.events_for_day(day)) {
      if (logs && (e.channel == Channel::sms) && e.group < 0) {
        // Samsung logs.db also keeps SMS snippets (logtype 300): not calls.
        const Person& p = story.person(e.person);
        const std::string number = p.sender_id.empty() ? p.phone.e164 : p.sender_id;
        auto x = ins->run(number, e.time_ms, 0, e.outgoing ? 2 : 1, 0, std::optional<std::string>(), 0, 1,
                          std::optional<std::string>(), std::optional<std::string>(), std::optional<std::string>(),
                          std::to_string(r.range(1, 99999)), 300, 0, e.body, 1);
        if (!x) return x.error();
        continue;
      }
      if (e.channel != Channel::phone_call) continue;
      const Person& p = story.person(e.person);
      const int type = call_type(e.result, e.outgoing);
      const int duration = e.result == CallResult::answered ? e.duration_s : 0;
      // Incoming: caller id in international form; outgoing: as dialled.
      const std::string number = e.outgoing ? (p.in_contacts ? p.phone.national_compact : p.phone.e164) : p.phone.e164;
      std::string name = c.contact_name(p.id);
      std::optional<std::string> name_col;
      if (!e.in_scope)
        name_col = Story::with_canary(name);  // out-of-scope calls carry the marker in the cached name
      else if (!name.empty())
        name_col = name;
      const bool landline = p.phone.national.rfind("0113", 0) == 0;
      const std::string geo = landline ? "Leeds" : "United Kingdom";
      const int numbertype = p.in_contacts ? (landline ? 3 : 2) : 0;
      std::optional<std::string> lookup;
      if (p.in_contacts)
        lookup = fmt::format("content://com.android.contacts/contacts/lookup/{}i{}/{}", 3000 + p.id, p.id, p.id + 1);
      Result<int64_t> id = 0;
      if (flavor == CallTable::calllog_db) {
        id = ins->run(number, e.time_ms, duration, type, iccid_sub, me.phone.e164, type == 3 ? 1 : 0, name_col,
                      numbertype, 1, geo, lookup,
                      p.in_contacts ? std::optional<std::string>(p.phone.national) : std::optional<std::string>(),
                      p.phone.e164, p.phone.national, e.time_ms + duration * 1000LL + 1500);
      } else if (flavor == CallTable::contacts2) {
        id = ins->run(number, e.time_ms, duration, type, type == 3 ? 1 : 0, name_col, numbertype, 1, geo, lookup,
                      p.in_contacts ? std::optional<std::string>(p.phone.national) : std::optional<std::string>(),
                      p.phone.e164, p.phone.national);
      } else {
        id = ins->run(number, e.time_ms, duration, type, type == 3 ? 1 : 0, name_col, numbertype, 1, geo, p.phone.e164,
                      p.phone.national, std::optional<std::string>(), 100, p.in_contacts ? p.id + 1 : 0,
                      std::optional<std::string>(), 1);
      }
      if (!id) return id.error();
      Item it;
      it.category = Category::call;
      it.service = "telephony";
      it.time = TruthWriter::time(e.time_ms, TimeUnit::unix_ms);
      it.direction = type == 2 ? Direction::outgoing : Direction::incoming;
      it.outcome = outcome(type, duration);
      it.duration_s = duration;
      it.parties.push_back(c.truth.party(number, type == 2 ? PartyRole::to : PartyRole::from, name_col.value_or("")));
      it.provenance = TruthWriter::prov(db_path, table, fmt::format("_id={}", *id), "android.calllog");
      if (auto st = c.truth.add(std::move(it), e.in_scope); !st) return st;
    }
  }
  if (auto st = db.commit(); !st) return st;
  if (logs) {
    if (auto st = db.exec(kLogsAfter); !st) return st;
  } else if (flavor == CallTable::calllog_db) {
    if (auto st = db.exec("INSERT INTO properties VALUES ('call_log_last_synced','" +
                          std::to_string(story.extraction_ms() - 3600000) + "'),('migrated','1')");
        !st)
      return st;
  }
  ins = make_error(Errc::internal, "closed");
  return {};
}

Status write_calllog(Context& c) {
  if (c.v.calllog == AndroidVariants::CallLog::contacts2) return {};  // written into contacts2.db
  c.stage("call log");
  const Story& story = c.story;
  if (c.v.calllog == AndroidVariants::CallLog::calllog_db) {
    const std::string pkg = "com.android.providers.contacts";
    const std::string path = c.app_dir(pkg, /*device_encrypted=*/true) + "/databases/calllog.db";
    const auto scratch = c.scratch("calllog.db");
    auto db = SqlDb::create(scratch, derive_seed(story.seed(), "calllog.db"), DbOptions{4096, 8, true, "en_GB"});
    if (!db) return db.error();
    if (auto st = write_call_rows(c, *db, CallTable::calllog_db, path); !st) return st;
    if (auto st = db->close(); !st) return st;
    return c.add_db(path, scratch, Context::owner_of(pkg));
  }
  const std::string pkg = "com.sec.android.provider.logsprovider";
  const std::string path = c.app_dir(pkg) + "/databases/logs.db";
  const auto scratch = c.scratch("logs.db");
  auto db = SqlDb::create(scratch, derive_seed(story.seed(), "logs.db"), DbOptions{4096, 51, true, "en_GB"});
  if (!db) return db.error();
  if (auto st = write_call_rows(c, *db, CallTable::samsung_logs, path); !st) return st;
  if (auto st = db->close(); !st) return st;
  return c.add_db(path, scratch, Context::owner_of(pkg));
}

}  // namespace remit::synth::android
