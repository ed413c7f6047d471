// iOS Messages: private/var/mobile/Library/SMS/sms.db (SMS, MMS and
// iMessage) and its attachment files under
// Library/SMS/Attachments/xx/yy/<GUID>/<name>.
//
// Schema: the tables, columns, indexes and triggers of an iOS 16-17 sms.db
// (a published `.schema` dump: message with its 88 columns up to
// fallback_hash, chat, handle with person_centric_id, attachment,
// chat_message_join with message_date, chat_recoverable_message_join,
// recoverable_message_part, sync_deleted_*, kvtable,
// message_processing_task), which keeps every column of plaso's
// macos-imessage-chat.db (the same schema family, checked by
// tests/synth_ios_test.cpp). Triggers that call app-defined functions
// (delete_attachment_path, before_delete_attachment_path,
// after_delete_message_plugin) are kept as in real databases: a reader that
// fires them, or needs the functions to read, is wrong.
//
// Values as real phones write them: message.date in nanoseconds since 2001
// (iOS 11+; seconds before: variant), text and attributedBody (a typedstream
// NSAttributedString; iOS 16+ often leaves text NULL: variant), U+FFFC in
// the text where an attachment sits, handle_id 0 on outgoing group messages
// (and, in a variant, on every outgoing message), chat styles 45 one-to-one /
// 43 group, chat guids "iMessage;-;+44..." / "SMS;+;chat<n>", attachment
// filenames "~/Library/SMS/Attachments/..", destination_caller_id = the
// owner's own number (never a party).
#include <fmt/format.h>

#include <map>

#include "remit/hash.hpp"
#include "synth/ios/context.hpp"
#include "synth/ios/typedstream.hpp"
#include "synth/jpeg.hpp"
#include "synth/prng.hpp"
#include "synth/sqlite_writer.hpp"

namespace remit::synth::ios {

namespace {

constexpr const char* kDb = "mobile/Library/SMS/sms.db";

constexpr const char* kSchema = R"SQL(
CREATE TABLE _SqliteDatabaseProperties (key TEXT, value TEXT, UNIQUE(key));
CREATE TABLE deleted_messages (ROWID INTEGER PRIMARY KEY AUTOINCREMENT UNIQUE, guid TEXT NOT NULL);
CREATE TABLE chat_handle_join (chat_id INTEGER REFERENCES chat (ROWID) ON DELETE CASCADE, handle_id INTEGER REFERENCES handle (ROWID) ON DELETE CASCADE, UNIQUE(chat_id, handle_id));
CREATE TABLE sync_deleted_messages (ROWID INTEGER PRIMARY KEY AUTOINCREMENT UNIQUE, guid TEXT NOT NULL, recordID TEXT );
CREATE TABLE message_processing_task (ROWID INTEGER PRIMARY KEY AUTOINCREMENT UNIQUE, guid TEXT NOT NULL, task_flags INTEGER NOT NULL );
CREATE TABLE handle (ROWID INTEGER PRIMARY KEY AUTOINCREMENT UNIQUE, id TEXT NOT NULL, country TEXT, service TEXT NOT NULL, uncanonicalized_id TEXT, person_centric_id TEXT, UNIQUE (id, service) );
CREATE TABLE sync_deleted_chats (ROWID INTEGER PRIMARY KEY AUTOINCREMENT UNIQUE, guid TEXT NOT NULL, recordID TEXT,timestamp INTEGER);
CREATE TABLE message_attachment_join (message_id INTEGER REFERENCES message (ROWID) ON DELETE CASCADE, attachment_id INTEGER REFERENCES attachment (ROWID) ON DELETE CASCADE, UNIQUE(message_id, attachment_id));
CREATE TABLE sync_deleted_attachments (ROWID INTEGER PRIMARY KEY AUTOINCREMENT UNIQUE, guid TEXT NOT NULL, recordID TEXT );
CREATE TABLE kvtable (ROWID INTEGER PRIMARY KEY AUTOINCREMENT UNIQUE, key TEXT UNIQUE NOT NULL, value BLOB NOT NULL);
CREATE TABLE chat_message_join (chat_id INTEGER REFERENCES chat (ROWID) ON DELETE CASCADE, message_id INTEGER REFERENCES message (ROWID) ON DELETE CASCADE, message_date INTEGER DEFAULT 0, PRIMARY KEY (chat_id, message_id));
CREATE TABLE message (ROWID INTEGER PRIMARY KEY AUTOINCREMENT, guid TEXT UNIQUE NOT NULL, text TEXT, replace INTEGER DEFAULT 0, service_center TEXT, handle_id INTEGER DEFAULT 0, subject TEXT, country TEXT, attributedBody BLOB, version INTEGER DEFAULT 0, type INTEGER DEFAULT 0, service TEXT, account TEXT, account_guid TEXT, error INTEGER DEFAULT 0, date INTEGER, date_read INTEGER, date_delivered INTEGER, is_delivered INTEGER DEFAULT 0, is_finished INTEGER DEFAULT 0, is_emote INTEGER DEFAULT 0, is_from_me INTEGER DEFAULT 0, is_empty INTEGER DEFAULT 0, is_delayed INTEGER DEFAULT 0, is_auto_reply INTEGER DEFAULT 0, is_prepared INTEGER DEFAULT 0, is_read INTEGER DEFAULT 0, is_system_message INTEGER DEFAULT 0, is_sent INTEGER DEFAULT 0, has_dd_results INTEGER DEFAULT 0, is_service_message INTEGER DEFAULT 0, is_forward INTEGER DEFAULT 0, was_downgraded INTEGER DEFAULT 0, is_archive INTEGER DEFAULT 0, cache_has_attachments INTEGER DEFAULT 0, cache_roomnames TEXT, was_data_detected INTEGER DEFAULT 0, was_deduplicated INTEGER DEFAULT 0, is_audio_message INTEGER DEFAULT 0, is_played INTEGER DEFAULT 0, date_played INTEGER, item_type INTEGER DEFAULT 0, other_handle INTEGER DEFAULT 0, group_title TEXT, group_action_type INTEGER DEFAULT 0, share_status INTEGER DEFAULT 0, share_direction INTEGER DEFAULT 0, is_expirable INTEGER DEFAULT 0, expire_state INTEGER DEFAULT 0, message_action_type INTEGER DEFAULT 0, message_source INTEGER DEFAULT 0, associated_message_guid TEXT, associated_message_type INTEGER DEFAULT 0, balloon_bundle_id TEXT, payload_data BLOB, expressive_send_style_id TEXT, associated_message_range_location INTEGER DEFAULT 0, associated_message_range_length INTEGER DEFAULT 0, time_expressive_send_played INTEGER, message_summary_info BLOB, ck_sync_state INTEGER DEFAULT 0, ck_record_id TEXT, ck_record_change_tag TEXT, destination_caller_id TEXT, is_corrupt INTEGER DEFAULT 0, reply_to_guid TEXT, sort_id INTEGER, is_spam INTEGER DEFAULT 0, has_unseen_mention INTEGER DEFAULT 0, thread_originator_guid TEXT, thread_originator_part TEXT, syndication_ranges TEXT, synced_syndication_ranges TEXT, was_delivered_quietly INTEGER DEFAULT 0, did_notify_recipient INTEGER DEFAULT 0, date_retracted INTEGER, date_edited INTEGER, was_detonated INTEGER DEFAULT 0, part_count INTEGER, is_stewie INTEGER DEFAULT 0, is_sos INTEGER DEFAULT 0, is_critical INTEGER DEFAULT 0, bia_reference_id TEXT, is_kt_verified INTEGER DEFAULT 0, fallback_hash TEXT);
CREATE TABLE chat (ROWID INTEGER PRIMARY KEY AUTOINCREMENT, guid TEXT UNIQUE NOT NULL, style INTEGER, state INTEGER, account_id TEXT, properties BLOB, chat_identifier TEXT, service_name TEXT, room_name TEXT, account_login TEXT, is_archived INTEGER DEFAULT 0, last_addressed_handle TEXT, display_name TEXT, group_id TEXT, is_filtered INTEGER DEFAULT 0, successful_query INTEGER, engram_id TEXT, server_change_token TEXT, ck_sync_state INTEGER DEFAULT 0, original_group_id TEXT, last_read_message_timestamp INTEGER DEFAULT 0, cloudkit_record_id TEXT, last_addressed_sim_id TEXT, is_blackholed INTEGER DEFAULT 0, syndication_date INTEGER DEFAULT 0, syndication_type INTEGER DEFAULT 0, is_recovered INTEGER DEFAULT 0, is_deleting_incoming_messages INTEGER DEFAULT 0);
CREATE TABLE attachment (ROWID INTEGER PRIMARY KEY AUTOINCREMENT, guid TEXT UNIQUE NOT NULL, created_date INTEGER DEFAULT 0, start_date INTEGER DEFAULT 0, filename TEXT, uti TEXT, mime_type TEXT, transfer_state INTEGER DEFAULT 0, is_outgoing INTEGER DEFAULT 0, user_info BLOB, transfer_name TEXT, total_bytes INTEGER DEFAULT 0, is_sticker INTEGER DEFAULT 0, sticker_user_info BLOB, attribution_info BLOB, hide_attachment INTEGER DEFAULT 0, ck_sync_state INTEGER DEFAULT 0, ck_server_change_token_blob BLOB, ck_record_id TEXT, original_guid TEXT UNIQUE NOT NULL, is_commsafety_sensitive INTEGER DEFAULT 0);
CREATE TABLE chat_recoverable_message_join (chat_id INTEGER REFERENCES chat (ROWID) ON DELETE CASCADE, message_id INTEGER REFERENCES message (ROWID) ON DELETE CASCADE, delete_date INTEGER, ck_sync_state INTEGER DEFAULT 0, PRIMARY KEY (chat_id, message_id), CHECK (delete_date != 0));
CREATE TABLE unsynced_removed_recoverable_messages (ROWID INTEGER PRIMARY KEY AUTOINCREMENT UNIQUE, chat_guid TEXT NOT NULL, message_guid TEXT NOT NULL, part_index INTEGER);
CREATE TABLE recoverable_message_part (chat_id INTEGER REFERENCES chat (ROWID) ON DELETE CASCADE, message_id INTEGER REFERENCES message (ROWID) ON DELETE CASCADE, part_index INTEGER, delete_date INTEGER, part_text BLOB NOT NULL, ck_sync_state INTEGER DEFAULT 0, PRIMARY KEY (chat_id, message_id, part_index), CHECK (delete_date != 0));
CREATE INDEX chat_handle_join_idx_handle_id ON chat_handle_join(handle_id);
CREATE INDEX chat_message_join_idx_message_date_id_chat_id ON chat_message_join(chat_id, message_date, message_id);
CREATE INDEX chat_message_join_idx_message_id_only ON chat_message_join(message_id);
CREATE INDEX message_attachment_join_idx_message_id ON message_attachment_join(message_id);
CREATE INDEX message_attachment_join_idx_attachment_id ON message_attachment_join(attachment_id);
CREATE INDEX message_idx_date ON message(date);
CREATE INDEX message_idx_thread_originator_guid ON message(thread_originator_guid);
CREATE INDEX message_idx_handle ON message(handle_id, date);
CREATE INDEX message_idx_handle_id ON message(handle_id);
CREATE INDEX message_idx_is_sent_is_from_me_error ON message(is_sent, is_from_me, error);
CREATE INDEX message_idx_associated_message ON message(associated_message_guid);
CREATE INDEX message_idx_undelivered_one_to_one_imessage ON message(cache_roomnames,service,is_sent,is_delivered,was_downgraded,item_type) where cache_roomnames IS NULL AND service = 'iMessage' AND is_sent = 1 AND is_delivered = 0 AND was_downgraded = 0 AND item_type == 0;
CREATE INDEX message_idx_cache_has_attachments ON message(cache_has_attachments);
CREATE INDEX message_idx_other_handle ON message(other_handle);
CREATE INDEX message_idx_was_downgraded ON message(was_downgraded);
CREATE INDEX message_idx_expire_state ON message(expire_state);
CREATE INDEX message_idx_is_read ON message(is_read, is_from_me, is_finished);
CREATE INDEX message_idx_isRead_isFromMe_itemType ON message(is_read, is_from_me, item_type);
CREATE INDEX message_idx_failed ON message(is_finished, is_from_me, error);
CREATE INDEX chat_idx_chat_identifier_service_name ON chat(chat_identifier, service_name);
CREATE INDEX chat_idx_chat_identifier ON chat(chat_identifier);
CREATE INDEX chat_idx_chat_room_name_service_name ON chat(room_name, service_name);
CREATE INDEX chat_idx_is_archived ON chat(is_archived);
CREATE INDEX chat_idx_group_id ON chat(group_id);
CREATE INDEX attachment_idx_purged_attachments_v2 ON attachment(hide_attachment,ck_sync_state,transfer_state) WHERE hide_attachment=0 AND (ck_sync_state=1 OR ck_sync_state=4) AND transfer_state=0;
CREATE TRIGGER after_delete_on_message AFTER DELETE ON message BEGIN     DELETE FROM handle         WHERE handle.ROWID = OLD.handle_id     AND         (SELECT 1 from chat_handle_join WHERE handle_id = OLD.handle_id LIMIT 1) IS NULL     AND         (SELECT 1 from message WHERE handle_id = OLD.handle_id LIMIT 1) IS NULL     AND         (SELECT 1 from message WHERE other_handle = OLD.handle_id LIMIT 1) IS NULL; END;
CREATE TRIGGER update_message_date_after_update_on_message AFTER UPDATE OF date ON message BEGIN UPDATE chat_message_join SET message_date = NEW.date WHERE message_id = NEW.ROWID AND message_date != NEW.date; END;
CREATE TRIGGER after_delete_on_message_plugin AFTER DELETE ON message WHEN OLD.balloon_bundle_id IS NOT NULL BEGIN   SELECT after_delete_message_plugin(OLD.ROWID, OLD.guid); END;
CREATE TRIGGER add_to_sync_deleted_messages AFTER DELETE ON message BEGIN     INSERT INTO sync_deleted_messages (guid, recordID) VALUES (OLD.guid, OLD.ck_record_id); END;
CREATE TRIGGER delete_associated_messages_after_delete_on_message AFTER DELETE ON message BEGIN DELETE FROM message WHERE (OLD.associated_message_guid IS NULL AND associated_message_guid IS NOT NULL AND guid = OLD.associated_message_guid); END;
CREATE TRIGGER add_to_deleted_messages AFTER DELETE ON message BEGIN     INSERT INTO deleted_messages (guid) VALUES (OLD.guid); END;
CREATE TRIGGER update_last_failed_message_date AFTER UPDATE OF error ON message WHEN   NEW.error != 0 AND NEW.date > COALESCE((SELECT value FROM kvtable WHERE key = 'lastFailedMessageDate'), 0) BEGIN   INSERT OR REPLACE INTO kvtable (key, value) VALUES ('lastFailedMessageDate', NEW.date);   INSERT OR REPLACE INTO kvtable (key, value) VALUES ('lastFailedMessageRowID', NEW.rowID); END;
CREATE TRIGGER after_delete_on_chat AFTER DELETE ON chat BEGIN DELETE FROM chat_message_join WHERE chat_id = OLD.ROWID; END;
CREATE TRIGGER after_delete_on_attachment AFTER DELETE ON attachment BEGIN   SELECT delete_attachment_path(OLD.filename); END;
CREATE TRIGGER before_delete_on_attachment BEFORE DELETE ON attachment BEGIN   SELECT before_delete_attachment_path(OLD.ROWID, OLD.guid); END;
CREATE TRIGGER add_to_sync_deleted_attachments AFTER DELETE ON attachment BEGIN     INSERT INTO sync_deleted_attachments (guid, recordID) VALUES (OLD.guid, OLD.ck_record_id); END;
CREATE TRIGGER after_insert_on_message_attachment_join AFTER INSERT ON message_attachment_join BEGIN     UPDATE message       SET cache_has_attachments = 1     WHERE       message.ROWID = NEW.message_id; END;
CREATE TRIGGER after_delete_on_message_attachment_join AFTER DELETE ON message_attachment_join BEGIN     DELETE FROM attachment         WHERE attachment.ROWID = OLD.attachment_id     AND         (SELECT 1 from message_attachment_join WHERE attachment_id = OLD.attachment_id LIMIT 1) IS NULL; END;
CREATE TRIGGER after_insert_on_chat_message_join  AFTER INSERT ON chat_message_join BEGIN     UPDATE message       SET cache_roomnames = (         SELECT group_concat(c.room_name)         FROM chat c         INNER JOIN chat_message_join j ON c.ROWID = j.chat_id         WHERE           j.message_id = NEW.message_id       )       WHERE         message.ROWID = NEW.message_id; END;
CREATE TRIGGER after_delete_on_chat_message_join AFTER DELETE ON chat_message_join BEGIN     UPDATE message       SET cache_roomnames = (         SELECT group_concat(c.room_name)         FROM chat c         INNER JOIN chat_message_join j ON c.ROWID = j.chat_id         WHERE           j.message_id = OLD.message_id       )       WHERE         message.ROWID = OLD.message_id;  DELETE FROM message WHERE message.ROWID = OLD.message_id AND OLD.message_id NOT IN (SELECT chat_message_join.message_id from chat_message_join WHERE chat_message_join.message_id = OLD.message_id LIMIT 1); END;
CREATE TRIGGER after_delete_on_chat_handle_join AFTER DELETE ON chat_handle_join BEGIN     DELETE FROM handle         WHERE handle.ROWID = OLD.handle_id     AND         (SELECT 1 from chat_handle_join WHERE handle_id = OLD.handle_id LIMIT 1) IS NULL     AND         (SELECT 1 from message WHERE handle_id = OLD.handle_id LIMIT 1) IS NULL     AND         (SELECT 1 from message WHERE other_handle = OLD.handle_id LIMIT 1) IS NULL; END;
)SQL";

struct Chat {
  int64_t id = 0;
  std::vector<int64_t> handles;  // chat_handle_join
  bool group = false;
  std::string name;
  std::vector<std::string> member_ids;  // handle ids, for the truth
};

int64_t mac_ns(int64_t utc_ms) {
  return (utc_ms - kMacEpochOffsetS * 1000) * 1000000;
}

}  // namespace

Status write_sms(Context& c) {
  c.stage("Messages (sms.db)");
  const Story& story = c.story;
  const Person& me = story.owner();
  const bool ns = c.v.sms_dates == IosVariants::SmsDates::nanoseconds;
  const bool text_col = c.v.sms_text == IosVariants::SmsText::text_column;
  const bool zero_own = c.v.sms_handles == IosVariants::SmsHandles::zero_for_own;
  const std::filesystem::path scratch = c.scratch("sms.db");
  auto db = SqlDb::create(scratch, derive_seed(story.seed(), "ios-sms.db"), DbOptions{4096, 0, true, ""});
  if (!db) return db.error();
  if (auto st = db->exec(kSchema); !st) return st;
  if (auto st = db->begin(); !st) return st;

  const std::string owner_number = me.phone.e164;
  const std::string account_guid = c.uuid("sms-account");
  const std::string imessage_account = "E:" + me.first + "." + me.last + "@example.com";
  {
    auto ins = db->prepare("INSERT INTO _SqliteDatabaseProperties (key, value) VALUES (?,?)");
    if (!ins) return ins.error();
    for (const auto& [k, v] :
         std::vector<std::pair<std::string, std::string>>{{"_ClientVersion", "17001"},
                                                          {"_UniqueIdentifier", c.uuid("sms-db-id")},
                                                          {"counter_in_all", "0"},
                                                          {"counter_out_all", "0"},
                                                          {"__CSDBRecordSequenceNumber", "0"}})
      if (auto r = ins->run(k, v); !r) return r.error();
  }

  auto ins_handle = db->prepare(
      "INSERT INTO handle (id, country, service, uncanonicalized_id, person_centric_id) "
      "VALUES (?,'gb',?,?,NULL)");
  auto ins_chat = db->prepare(
      "INSERT INTO chat (guid, style, state, account_id, properties, chat_identifier, service_name, room_name, "
      "account_login, is_archived, last_addressed_handle, display_name, group_id, is_filtered, successful_query, "
      "engram_id, last_addressed_sim_id) VALUES (?,?,3,?,NULL,?,?,?,?,0,?,?,?,0,1,?,?)");
  auto ins_chj = db->prepare("INSERT INTO chat_handle_join (chat_id, handle_id) VALUES (?,?)");
  auto ins_msg = db->prepare(
      "INSERT INTO message (guid, text, handle_id, country, attributedBody, version, type, service, account, "
      "account_guid, error, date, date_read, date_delivered, is_delivered, is_finished, is_from_me, is_read, "
      "is_sent, is_prepared, destination_caller_id, sort_id, part_count, service_center, is_spam) "
      "VALUES (?,?,?,'gb',?,10,0,?,?,?,0,?,?,?,?,1,?,?,?,?,?,0,?,NULL,0)");
  auto ins_cmj = db->prepare("INSERT INTO chat_message_join (chat_id, message_id, message_date) VALUES (?,?,?)");
  auto ins_att = db->prepare(
      "INSERT INTO attachment (guid, created_date, start_date, filename, uti, mime_type, transfer_state, is_outgoing, "
      "transfer_name, total_bytes, original_guid) VALUES (?,?,0,?,'public.jpeg','image/jpeg',5,?,?,?,?)");
  auto ins_maj = db->prepare("INSERT INTO message_attachment_join (message_id, attachment_id) VALUES (?,?)");
  for (auto* s : {&ins_handle, &ins_chat, &ins_chj, &ins_msg, &ins_cmj, &ins_att, &ins_maj})
    if (!*s) return s->error();

  std::map<std::string, int64_t> handles;  // "service|id" -> ROWID
  auto handle_for = [&](const std::string& id, const std::string& service, bool incoming_sms) -> Result<int64_t> {
    const std::string key = service + "|" + id;
    if (auto it = handles.find(key); it != handles.end()) return it->second;
    // An SMS from a phone number arrives as the network sent it.
    std::optional<std::string> uncanon;
    if (incoming_sms && !id.empty() && id.front() == '+') uncanon = id;
    auto r = ins_handle->run(id, service, uncanon);
    if (!r) return r.error();
    handles.emplace(key, *r);
    return *r;
  };

  std::map<std::string, Chat> chats;
  Rng r = Rng::derive(story.seed(), "ios-sms");
  auto chat_one = [&](const Person& p, const std::string& service) -> Result<Chat*> {
    const std::string id = p.sender_id.empty() ? p.phone.e164 : p.sender_id;
    const std::string key = service + ";-;" + id;
    if (auto it = chats.find(key); it != chats.end()) return &it->second;
    auto h = handle_for(id, service, service == "SMS");
    if (!h) return h.error();
    const std::string login = service == "SMS" ? "P:" + owner_number : imessage_account;
    auto cid = ins_chat->run(key, 45, account_guid, id, service, std::optional<std::string>(), login,
                             service == "SMS" ? owner_number : imessage_account.substr(2), std::optional<std::string>(),
                             c.uuid("sms-chat-group", chats.size()), std::optional<std::string>(),
                             std::optional<std::string>("1"));
    if (!cid) return cid.error();
    if (auto x = ins_chj->run(*cid, *h); !x) return x.error();
    Chat ch;
    ch.id = *cid;
    ch.handles = {*h};
    ch.member_ids = {id};
    return &chats.emplace(key, ch).first->second;
  };
  auto chat_group = [&](const Group& g) -> Result<Chat*> {
    const std::string ident = fmt::format(
        "chat{}", 100000000000000000ULL + derive_seed(story.seed(), "sms-group", g.id) % 900000000000000000ULL);
    const std::string key = "SMS;+;" + ident;
    if (auto it = chats.find(key); it != chats.end()) return &it->second;
    auto cid =
        ins_chat->run(key, 43, account_guid, ident, std::string("SMS"), ident, "P:" + owner_number, owner_number,
                      g.name.empty() ? std::optional<std::string>() : g.name, c.uuid("sms-chat-group", 1000 + g.id),
                      std::optional<std::string>(), std::optional<std::string>("1"));
    if (!cid) return cid.error();
    Chat ch;
    ch.id = *cid;
    ch.group = true;
    ch.name = g.name;
    for (uint32_t m : g.members) {
      const Person& p = story.person(m);
      auto h = handle_for(p.phone.e164, "SMS", true);
      if (!h) return h.error();
      if (auto x = ins_chj->run(*cid, *h); !x) return x.error();
      ch.handles.push_back(*h);
      ch.member_ids.push_back(p.phone.e164);
    }
    return &chats.emplace(key, ch).first->second;
  };

  std::map<std::string, int> img_counter;
  for (DayNumber day = story.first_day(); day <= story.last_day(); ++day) {
    if (c.cancelled()) return c.interrupted();
    if (c.v.wal && day == story.last_day()) {
      if (auto st = db->commit(); !st) return st;
      if (auto st = db->start_wal_tail(); !st) return st;
      if (auto st = db->begin(); !st) return st;
    }
    for (const Event& e : story.events_for_day(day)) {
      if (e.channel != Channel::sms && e.channel != Channel::mms && e.channel != Channel::rcs) continue;
      const Group* g = e.group >= 0 ? &story.groups()[static_cast<size_t>(e.group)] : nullptr;
      if (g && g->whatsapp) continue;
      const Person& p = story.person(e.person);
      // iPhone users message over iMessage (the story's RCS-capable people);
      // everyone else, and every group thread here, by SMS/MMS.
      const std::string service = e.channel == Channel::rcs ? "iMessage" : "SMS";
      Result<Chat*> chp = g ? chat_group(*g) : chat_one(p, service);
      if (!chp) return chp.error();
      Chat& ch = **chp;

      int64_t handle_id = 0;
      if (!e.outgoing) {
        const std::string id = p.sender_id.empty() ? p.phone.e164 : p.sender_id;
        auto h = handle_for(id, service, service == "SMS");
        if (!h) return h.error();
        handle_id = *h;
      } else if (!g && !zero_own) {
        handle_id = ch.handles.front();
      }

      // Attachment (MMS picture): the file, its row, U+FFFC in the text.
      std::string text = e.body;
      FileRef att;
      std::string att_guid, att_file;
      int64_t att_size = 0;
      std::string var_rel;
      if (e.picture) {
        const auto l = story.clock().local(e.time_ms);
        const int n = ++img_counter[Clock::iso_date(day)];
        const std::string name = e.outgoing ? fmt::format("IMG_{:04d}.jpeg", 1000 + (r.below(8000)))
                                            : fmt::format("IMG_{:04d}{:02d}{:02d}_{:02d}{:02d}{:02d}_{}.jpeg", l.year,
                                                          l.month, l.day, l.hour, l.minute, l.second, n);
        att_guid = c.uuid("sms-attachment", static_cast<uint64_t>(e.salt));
        const std::string xx = fmt::format("{:02x}", (e.salt >> 8) & 0xff);
        const std::string yy = fmt::format("{:02d}", (e.salt >> 16) % 16);
        var_rel = "mobile/Library/SMS/Attachments/" + xx + "/" + yy + "/" + att_guid + "/" + name;
        auto jpg = encode_jpeg(e.picture->width, e.picture->height, e.picture->seed, 75);
        if (!jpg) return jpg.error();
        const int64_t mtime = e.time_ms / 1000;
        if (auto st = c.add_bytes(var_rel, *jpg, mtime); !st) return st;
        att.path = Context::logical(var_rel);
        att.name = name;
        att.mime = "image/jpeg";
        att.size = jpg->size();
        att.sha256 = sha256_hex(*jpg);
        att_size = static_cast<int64_t>(jpg->size());
        att_file = "~/Library/SMS/Attachments/" + xx + "/" + yy + "/" + att_guid + "/" + name;
        text = "\xEF\xBF\xBC" + text;  // U+FFFC OBJECT REPLACEMENT CHARACTER
      }

      const int64_t date = ns ? mac_ns(e.time_ms) : e.time_ms / 1000 - kMacEpochOffsetS;
      auto later = [&](int64_t ms) { return ns ? mac_ns(ms) : ms / 1000 - kMacEpochOffsetS; };
      const bool read = !e.outgoing && (e.salt % 10) != 0;
      const int64_t date_read = read ? later(e.time_ms + 60000 + static_cast<int64_t>((e.salt >> 4) % 3600000)) : 0;
      const bool imessage = service == "iMessage";
      const int64_t date_delivered =
          e.outgoing && imessage ? later(e.time_ms + 1000 + static_cast<int64_t>((e.salt >> 12) % 4000)) : 0;
      const std::string blob = archive_attributed_string(text);
      const std::string guid = c.uuid("sms-message", e.salt);
      auto mid =
          ins_msg->run(guid, text_col ? std::optional<std::string>(text) : std::optional<std::string>(), handle_id,
                       Blob{blob}, service, imessage ? imessage_account : std::string("p:") + owner_number,
                       account_guid, date, date_read, date_delivered, 1, e.outgoing ? 1 : 0, read ? 1 : 0,
                       e.outgoing ? 1 : 0, e.outgoing ? 1 : 0, owner_number, e.picture ? 2 : 1);
      if (!mid) return mid.error();
      if (auto x = ins_cmj->run(ch.id, *mid, date); !x) return x.error();
      if (e.picture) {
        auto aid = ins_att->run(att_guid, e.time_ms / 1000 - kMacEpochOffsetS, att_file, e.outgoing ? 1 : 0, att.name,
                                att_size, att_guid);
        if (!aid) return aid.error();
        if (auto x = ins_maj->run(*mid, *aid); !x) return x.error();
      }

      Item it;
      it.category = Category::message;
      it.service = imessage ? "imessage" : "sms";
      it.time = int_time(date, TimeUnit::mac_auto);
      if (date_read) it.other_times.push_back({"read", int_time(date_read, TimeUnit::mac_auto)});
      if (date_delivered) it.other_times.push_back({"delivered", int_time(date_delivered, TimeUnit::mac_auto)});
      it.direction = e.outgoing ? Direction::outgoing : Direction::incoming;
      it.thread_id = std::to_string(ch.id);
      it.group = ch.group;
      it.thread_name = ch.name;
      if (!ch.group) {
        it.parties.push_back(
            c.truth.party(ch.member_ids.front(), e.outgoing ? PartyRole::to : PartyRole::from, c.contact_name(p.id)));
      } else if (e.outgoing) {
        for (size_t k = 0; k < ch.member_ids.size(); ++k)
          it.parties.push_back(c.truth.party(ch.member_ids[k], PartyRole::to, c.contact_name(g->members[k])));
      } else {
        it.parties.push_back(c.truth.party(p.phone.e164, PartyRole::from, c.contact_name(p.id)));
        for (size_t k = 0; k < ch.member_ids.size(); ++k)
          if (g->members[k] != e.person)
            it.parties.push_back(
                c.truth.party(ch.member_ids[k], PartyRole::participant, c.contact_name(g->members[k])));
      }
      it.body = e.body;  // without the U+FFFC placeholder: the attachment is listed separately
      if (e.picture) it.attachments.push_back(att);
      it.provenance = c.prov(kDb, "message", fmt::format("ROWID={}", *mid), "ios.sms");
      if (auto st = c.truth.add(std::move(it), e.in_scope); !st) return st;
    }
  }
  if (auto st = db->commit(); !st) return st;
  for (auto* s : {&ins_handle, &ins_chat, &ins_chj, &ins_msg, &ins_cmj, &ins_att, &ins_maj})
    *s = make_error(Errc::internal, "closed");
  if (auto st = db->close(); !st) return st;
  return c.add_db(kDb, scratch);
}

}  // namespace remit::synth::ios
