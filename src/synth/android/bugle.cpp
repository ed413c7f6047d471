// Google Messages: com.google.android.apps.messaging/databases/bugle_db.
//
// References: AOSP packages/apps/Messaging DatabaseHelper (the origin of
// bugle_db: conversations, messages, parts, participants,
// conversation_participants, their indexes, the parts_TRIGGER and
// messages_TRIGGER triggers, draft_parts_view; self participants have a
// SIM sub_id, others OTHER_THAN_SELF_SUB_ID = -2; status 1 outgoing
// complete, 2 delivered, 3 draft, 8 failed, 100 incoming complete;
// protocol 0 SMS, 1 MMS); column names of current Google Messages builds
// (messages.rcs_message_id_with_text_type, parts.file_size_bytes,
// parts.local_cache_path, ...) as they appear in its view definitions.
// RCS messages use message_protocol 3 and carry an RCS message id.
//
// Google Messages, as the default SMS app, mirrors every SMS (sms_message_uri
// content://sms/<_id>) and keeps RCS messages only here. MMS are not
// mirrored by the generator (docs/synth.md) so every attachment in the
// truth has exactly one file.
#include <fmt/format.h>

#include <map>

#include "synth/android/context.hpp"
#include "synth/prng.hpp"
#include "synth/sqlite_writer.hpp"

namespace remit::synth::android {

namespace {

constexpr const char* kPkg = "com.google.android.apps.messaging";

constexpr const char* kSchema = R"SQL(
CREATE TABLE conversations(_id INTEGER PRIMARY KEY AUTOINCREMENT, sms_thread_id INT DEFAULT(0), name TEXT, latest_message_id INT, snippet_text TEXT, subject_text TEXT, preview_uri TEXT, preview_content_type TEXT, show_draft INT DEFAULT(0), draft_snippet_text TEXT, draft_subject_text TEXT, draft_preview_uri TEXT, draft_preview_content_type TEXT, archive_status INT DEFAULT(0), sort_timestamp INT DEFAULT(0), last_read_timestamp INT DEFAULT(0), icon TEXT, participant_contact_id INT DEFAULT ( -1), participant_lookup_key TEXT, participant_normalized_destination TEXT, current_self_id TEXT, participant_count INT DEFAULT(0), notification_enabled INT DEFAULT(1), notification_sound_uri TEXT, notification_vibration INT DEFAULT(1), include_email_addr INT DEFAULT(0), sms_service_center TEXT ,IS_ENTERPRISE INT DEFAULT(0), conversation_type INT DEFAULT(0), rcs_group_id TEXT, rcs_conference_uri TEXT, send_mode INT DEFAULT(0), pinned INT DEFAULT(0));
CREATE TABLE messages (_id INTEGER PRIMARY KEY AUTOINCREMENT, conversation_id INT, sender_id INT, sent_timestamp INT DEFAULT(0), received_timestamp INT DEFAULT(0), message_protocol INT DEFAULT(0), message_status INT DEFAULT(0), seen INT DEFAULT(0), read INT DEFAULT(0), sms_message_uri TEXT, sms_priority INT DEFAULT(0), sms_message_size INT DEFAULT(0), mms_subject TEXT, mms_transaction_id TEXT, mms_content_location TEXT, mms_expiry INT DEFAULT(0), raw_status INT DEFAULT(0), self_id INT, retry_start_timestamp INT DEFAULT(0), mms_reports_info TEXT, sender_send_destination TEXT, msisdn_receiving_rcs_message TEXT, queue_insert_timestamp INT DEFAULT(0), message_report_status INT DEFAULT(0), rcs_expiry INT DEFAULT(0), mms_retrieve_text TEXT, cloud_sync_id TEXT, rcs_message_id_with_text_type TEXT, etouffee_status INT DEFAULT(0), verification_status INT DEFAULT(0), rcs_ui_status INT DEFAULT(0), is_hidden INT DEFAULT(0), rcs_remote_instance TEXT, sms_error_code INT DEFAULT(0), correlation_id TEXT, usage_stats_logging_id INT DEFAULT(0), send_counter INT DEFAULT(0), original_rcs_message_id TEXT, message_original_protocol INT DEFAULT(-1), FOREIGN KEY (conversation_id) REFERENCES conversations(_id) ON DELETE CASCADE FOREIGN KEY (sender_id) REFERENCES participants(_id) ON DELETE SET NULL FOREIGN KEY (self_id) REFERENCES participants(_id) ON DELETE SET NULL );
CREATE TABLE parts(_id INTEGER PRIMARY KEY AUTOINCREMENT,message_id INT,text TEXT,raw_text TEXT,uri TEXT,content_type TEXT,original_uri TEXT,storage_uri TEXT,width INT DEFAULT(-1),height INT DEFAULT(-1),timestamp INT, conversation_id INT NOT NULL,sticker_set_id TEXT,sticker_id TEXT,media_modified_timestamp INT DEFAULT(0),longitude REAL,latitude REAL,source INT DEFAULT(0),bundle_index INT DEFAULT(0),file_name TEXT,duration INT DEFAULT(-1),missing_entry_in_telephony INT DEFAULT(0),awaiting_reverse_sync INT DEFAULT(0),file_size_bytes INT DEFAULT(-1),local_cache_path TEXT,image_display_state INT DEFAULT(0),FOREIGN KEY (message_id) REFERENCES messages(_id) ON DELETE CASCADE FOREIGN KEY (conversation_id) REFERENCES conversations(_id) ON DELETE CASCADE );
CREATE TABLE participants(_id INTEGER PRIMARY KEY AUTOINCREMENT,sub_id INT DEFAULT(-2),sim_slot_id INT DEFAULT(-1),normalized_destination TEXT,send_destination TEXT,display_destination TEXT,full_name TEXT,first_name TEXT,profile_photo_uri TEXT, contact_id INT DEFAULT( -1), lookup_key STRING, blocked INT DEFAULT(0), subscription_name TEXT, subscription_color INT DEFAULT(0), contact_destination TEXT, is_valid_phone_number_data INT DEFAULT(0), color_palette_index INT DEFAULT(-1), color_type INT DEFAULT(0), extended_color INT DEFAULT(0), UNIQUE (normalized_destination, sub_id) ON CONFLICT FAIL);
CREATE TABLE conversation_participants(_id INTEGER PRIMARY KEY AUTOINCREMENT,conversation_id INT,participant_id INT,UNIQUE (conversation_id,participant_id) ON CONFLICT FAIL, FOREIGN KEY (conversation_id) REFERENCES conversations(_id) ON DELETE CASCADE FOREIGN KEY (participant_id) REFERENCES participants(_id));
CREATE TABLE cms_deleted_messages_buffer(_id INTEGER PRIMARY KEY AUTOINCREMENT, cms_id TEXT, deleted_timestamp INT DEFAULT(0));
CREATE TABLE read_reports(_id INTEGER PRIMARY KEY AUTOINCREMENT, message_id INT, participant_id INT, receive_time INT DEFAULT(0), read_time INT DEFAULT(0), ftd_time INT DEFAULT(0));
)SQL";

constexpr const char* kAfter = R"SQL(
CREATE INDEX index_conversations_sms_thread_id ON conversations(sms_thread_id);
CREATE INDEX index_conversations_archive_status ON conversations(archive_status);
CREATE INDEX index_conversations_sort_timestamp ON conversations(sort_timestamp);
CREATE INDEX index_messages_sort ON messages(conversation_id, message_status, received_timestamp);
CREATE INDEX index_messages_status_seen ON messages(message_status, seen);
CREATE INDEX index_parts_message_id ON parts(message_id);
CREATE INDEX index_conversation_participants_conversation_id ON conversation_participants(conversation_id);
CREATE TRIGGER parts_TRIGGER AFTER INSERT ON parts FOR EACH ROW  BEGIN UPDATE parts SET timestamp= (SELECT received_timestamp FROM messages WHERE messages._id=NEW.message_id) WHERE parts._id=NEW._id; END;
CREATE TRIGGER messages_TRIGGER AFTER UPDATE OF received_timestamp ON messages FOR EACH ROW BEGIN UPDATE parts SET timestamp = NEW.received_timestamp WHERE parts.message_id = NEW._id; END;
CREATE TRIGGER participants_IS_NOT_EMPTY_TRIGER AFTER UPDATE ON participants WHEN NOT( OLD.is_valid_phone_number_data ) AND NEW.send_destination IS NOT NULL AND NEW.display_destination IS NOT NULL AND NEW.normalized_destination IS NOT NULL AND length(NEW.send_destination ) > 0  AND length(NEW.display_destination ) > 0  AND length(NEW.normalized_destination) > 0  BEGIN UPDATE participants  SET is_valid_phone_number_data = 1  WHERE rowid=NEW.rowid; END;
CREATE VIEW draft_parts_view AS SELECT parts._id as _id, parts.message_id as message_id, parts.text as text, parts.uri as uri, parts.content_type as content_type, parts.width as width, parts.height as height, messages.conversation_id as conversation_id  FROM messages LEFT JOIN parts ON (messages._id=parts.message_id) WHERE messages.message_status = 3;
)SQL";

struct Conv {
  int64_t id = 0, participant = 0, latest = 0, sort = 0;
  std::string snippet;
};

}  // namespace

Status write_bugle(Context& c) {
  c.stage("Google Messages (bugle_db)");
  const Story& story = c.story;
  const std::string path = c.app_dir(kPkg) + "/databases/bugle_db";
  const auto scratch = c.scratch("bugle_db");
  auto db = SqlDb::create(scratch, derive_seed(story.seed(), "bugle_db"), DbOptions{4096, 28020, true, "en_GB"});
  if (!db) return db.error();
  if (auto st = db->exec(kSchema); !st) return st;
  if (auto st = db->begin(); !st) return st;
  const Person& me = story.owner();
  if (auto st = db->exec(fmt::format("INSERT INTO participants "
                                     "(sub_id,sim_slot_id,normalized_destination,send_destination,"
                                     "display_destination,full_name,subscription_name,subscription_color,"
                                     "is_valid_phone_number_data) "
                                     "VALUES (1,0,{},{},{},NULL,'Vodafone UK',-16746133,1)",
                                     sql_quote(me.phone.e164), sql_quote(me.phone.e164), sql_quote(me.phone.national)));
      !st)
    return st;
  const int64_t self_id = 1;
  auto ins_part_y = db->prepare(
      "INSERT INTO participants "
      "(sub_id,normalized_destination,send_destination,display_"
      "destination,full_name,first_name,"
      "contact_id,lookup_key,contact_destination,is_valid_phone_"
      "number_data) VALUES (-2,?,?,?,?,?,?,?,?,?)");
  auto ins_conv = db->prepare(
      "INSERT INTO conversations "
      "(sms_thread_id,name,participant_contact_id,participant_normalized_"
      "destination,current_self_id,"
      "participant_count,conversation_type) VALUES (?,?,?,?,'1',1,?)");
  auto ins_cp = db->prepare(
      "INSERT INTO conversation_participants "
      "(conversation_id,participant_id) VALUES (?,?)");
  auto ins_msg = db->prepare(
      "INSERT INTO messages "
      "(conversation_id,sender_id,sent_timestamp,received_timestamp,message_"
      "protocol,message_status,"
      "seen,read,sms_message_uri,sms_message_size,self_id,sender_send_"
      "destination,rcs_message_id_with_text_type,"
      "message_original_protocol) VALUES (?,?,?,?,?,?,1,1,?,?,1,?,?,?)");
  auto ins_part = db->prepare(
      "INSERT INTO parts "
      "(message_id,text,content_type,conversation_id,"
      "timestamp) VALUES (?,?,'text/plain',?,?)");
  for (auto* s : {&ins_part_y, &ins_conv, &ins_cp, &ins_msg, &ins_part})
    if (!*s) return s->error();

  std::map<uint32_t, Conv> convs;
  Rng r = Rng::derive(story.seed(), "bugle");
  int64_t sms_id = 0;                      // mmssms.db sms._id of the mirrored message
  std::map<uint32_t, int64_t> sms_thread;  // telephony thread of each person, in order of first message
  int64_t next_thread = 0;
  std::map<int32_t, bool> group_seen;
  for (DayNumber day = story.first_day(); day <= story.last_day(); ++day) {
    if (c.cancelled()) return make_error(Errc::refused, "interrupted");
    for (const Event& e : story.events_for_day(day)) {
      // Follow the telephony thread numbering (threads are created on first
      // SMS/MMS).
      if (e.channel == Channel::sms || e.channel == Channel::mms) {
        if (e.group >= 0) {
          if (!group_seen[e.group]) {
            group_seen[e.group] = true;
            ++next_thread;
          }
        } else if (!sms_thread.count(e.person)) {
          sms_thread[e.person] = ++next_thread;
        }
      }
      if (e.channel == Channel::sms) ++sms_id;
      const bool mirror = e.channel == Channel::sms && e.group < 0;
      const bool rcs = e.channel == Channel::rcs;
      if (!mirror && !rcs) continue;
      const Person& p = story.person(e.person);
      const std::string dest = p.phone.empty() ? p.sender_id : p.phone.e164;
      auto it_conv = convs.find(p.id);
      if (it_conv == convs.end()) {
        const std::string display = p.phone.empty() ? p.sender_id : p.phone.national;
        const std::string name = p.in_contacts ? p.display : display;
        auto pid = ins_part_y->run(
            dest, p.phone.empty() ? p.sender_id : p.phone.national_compact, display,
            p.in_contacts ? std::optional<std::string>(p.display) : std::optional<std::string>(),
            p.in_contacts && !p.first.empty() ? std::optional<std::string>(p.first) : std::optional<std::string>(),
            p.in_contacts ? int64_t{p.id + 1} : int64_t{-1},
            p.in_contacts ? std::optional<std::string>(fmt::format("{}i{}", 3000 + p.id, p.id))
                          : std::optional<std::string>(),
            p.in_contacts ? std::optional<std::string>(p.phone.national) : std::optional<std::string>(),
            p.phone.empty() ? 0 : 1);
        if (!pid) return pid.error();
        const int64_t thread = sms_thread.count(p.id) ? sms_thread[p.id] : 0;
        auto cid = ins_conv->run(thread, name, p.in_contacts ? int64_t{p.id + 1} : int64_t{-1}, dest, rcs ? 1 : 0);
        if (!cid) return cid.error();
        if (auto x = ins_cp->run(*cid, *pid); !x) return x.error();
        Conv cv;
        cv.id = *cid;
        cv.participant = *pid;
        it_conv = convs.emplace(p.id, cv).first;
      }
      Conv& cv = it_conv->second;
      int status = e.outgoing ? 2 : 100;
      if (mirror) {
        const int box = sms_box_type(e, p);
        if (box == 5)
          status = 8;
        else if (box == 3)
          status = 3;
      }
      const int64_t sent =
          e.outgoing ? e.time_ms : (e.sent_ms ? (mirror ? e.sent_ms / 1000 * 1000 : e.sent_ms) : e.time_ms);
      const std::string rcs_id = rcs ? fmt::format("{}-{}-{}-{}-{}", r.hex(4, false), r.hex(2, false), r.hex(2, false),
                                                   r.hex(2, false), r.hex(6, false))
                                     : std::string();
      auto mid = ins_msg->run(
          cv.id, e.outgoing ? self_id : cv.participant, sent, e.time_ms, rcs ? 3 : 0, status,
          mirror ? std::optional<std::string>(fmt::format("content://sms/{}", sms_id)) : std::optional<std::string>(),
          static_cast<int64_t>(e.body.size()),
          e.outgoing ? std::optional<std::string>() : std::optional<std::string>(dest),
          rcs ? std::optional<std::string>(rcs_id) : std::optional<std::string>(), rcs ? 3 : 0);
      if (!mid) return mid.error();
      if (auto x = ins_part->run(*mid, e.body, cv.id, e.time_ms); !x) return x.error();
      cv.latest = *mid;
      cv.sort = e.time_ms;
      cv.snippet = e.body;

      Item it;
      it.category = Category::message;
      it.service = rcs ? "rcs" : "sms";
      it.time = TruthWriter::time(e.time_ms, TimeUnit::unix_ms);
      if (!e.outgoing) it.other_times.push_back({"sent", TruthWriter::time(sent, TimeUnit::unix_ms)});
      it.direction = e.outgoing ? Direction::outgoing : Direction::incoming;
      it.parties.push_back(
          c.truth.party(dest, e.outgoing ? PartyRole::to : PartyRole::from, p.in_contacts ? p.display : std::string()));
      it.thread_id = std::to_string(cv.id);
      it.body = e.body;
      it.provenance = TruthWriter::prov(path, "messages", fmt::format("_id={}", *mid), "android.bugle");
      if (auto st = c.truth.add(std::move(it), e.in_scope); !st) return st;
    }
  }
  {
    auto upd = db->prepare(
        "UPDATE conversations SET latest_message_id=?, snippet_text=?, "
        "sort_timestamp=?, last_read_timestamp=? WHERE _id=?");
    if (!upd) return upd.error();
    for (const auto& [pid, cv] : convs)
      if (auto x = upd->run(cv.latest, cv.snippet, cv.sort, cv.sort, cv.id); !x) return x.error();
  }
  if (auto st = db->commit(); !st) return st;
  ins_part_y = make_error(Errc::internal, "closed");
  ins_conv = make_error(Errc::internal, "closed");
  ins_cp = make_error(Errc::internal, "closed");
  ins_msg = make_error(Errc::internal, "closed");
  ins_part = make_error(Errc::internal, "closed");
  if (auto st = db->exec(kAfter); !st) return st;
  if (auto st = db->close(); !st) return st;
  return c.add_db(path, scratch, Context::owner_of(kPkg));
}

}  // namespace remit::synth::android
