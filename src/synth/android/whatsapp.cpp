// WhatsApp for Android: com.whatsapp/databases/msgstore.db and wa.db, the
// media folder, and shared_prefs (the owner's own number).
//
// Two msgstore.db layouts (variant):
//  - `message` (2022+): column lists of a 2024-25 msgstore.db schema dump
//    (message, chat, jid, jid_map, message_media, message_location,
//    message_system*, group_participant_user, call_log, receipt_user, ...);
//    indexes and before-delete triggers as in real databases; views
//    available_message_view and chat_view.
//  - legacy `messages` (up to 2021): the messages table with
//    key_remote_jid / key_from_me / data / remote_resource / media_* columns,
//    the placeholder row _id 1 with key_remote_jid '-1' that WhatsApp
//    inserts on creation, group_participants(gjid, jid) with the owner as
//    jid '' , messages_fts, receipts, plus the jid/chat/chat_view, call_log,
//    message_media and message_location tables that existed beside it.
//  Codes: message_type / media_wa_type 0 text, 1 image, 5 location, 7 system
//  (legacy: status 6 with the action in media_size; action 11 = group
//  created); call_result 5 answered, 4 missed, 2 not answered (ALEAPP
//  WhatsApp call query); jids "<digits>@s.whatsapp.net", groups
//  "<id>@g.us".
//  wa.db: wa_contacts / wa_vnames with the 2023 column list (groups appear
//  in wa_contacts too).
// Media: Android 11+ keeps it in Android/media/com.whatsapp/WhatsApp/Media,
// older versions in /sdcard/WhatsApp/Media (the legacy variant uses the
// older place); file names IMG-YYYYMMDD-WA####.jpg, sent copies in Sent/;
// message_media.file_path is relative to the WhatsApp folder. WhatsApp
// re-encodes images and strips their EXIF.
#include <fmt/format.h>

#include <map>
#include <tuple>

#include "remit/hash.hpp"
#include "synth/android/context.hpp"
#include "synth/jpeg.hpp"
#include "synth/prng.hpp"
#include "synth/sqlite_writer.hpp"

namespace remit::synth::android {

namespace {

constexpr const char* kPkg = "com.whatsapp";

constexpr const char* kNewSchema = R"SQL(
CREATE TABLE props (_id INTEGER PRIMARY KEY AUTOINCREMENT, key TEXT UNIQUE, value TEXT);
CREATE TABLE jid(_id INTEGER PRIMARY KEY AUTOINCREMENT,user TEXT NOT NULL,server TEXT NOT NULL,agent INTEGER,device INTEGER,type INTEGER,raw_string TEXT);
CREATE TABLE jid_map(lid_row_id INTEGER PRIMARY KEY NOT NULL,jid_row_id INTEGER NOT NULL,sort_id INTEGER);
CREATE TABLE chat(_id INTEGER PRIMARY KEY AUTOINCREMENT,jid_row_id INTEGER UNIQUE,hidden INTEGER,subject TEXT,created_timestamp INTEGER,display_message_row_id INTEGER,last_message_row_id INTEGER,last_read_message_row_id INTEGER,last_read_receipt_sent_message_row_id INTEGER,last_important_message_row_id INTEGER,archived INTEGER,sort_timestamp INTEGER,mod_tag INTEGER,gen REAL,spam_detection INTEGER,unseen_earliest_message_received_time INTEGER,unseen_message_count INTEGER,unseen_missed_calls_count INTEGER,unseen_row_count INTEGER,plaintext_disabled INTEGER,vcard_ui_dismissed INTEGER,change_number_notified_message_row_id INTEGER,show_group_description INTEGER,ephemeral_expiration INTEGER,last_read_ephemeral_message_row_id INTEGER,ephemeral_setting_timestamp INTEGER,ephemeral_displayed_exemptions INTEGER,ephemeral_disappearing_messages_initiator INTEGER,unseen_important_message_count INTEGER NOT NULL DEFAULT 0,group_type INTEGER NOT NULL DEFAULT 0,last_message_reaction_row_id INTEGER,last_seen_message_reaction_row_id INTEGER,unseen_message_reaction_count INTEGER,unseen_comment_message_count INTEGER,growth_lock_level INTEGER,growth_lock_expiration_ts INTEGER,last_read_message_sort_id INTEGER,display_message_sort_id INTEGER,last_message_sort_id INTEGER,last_read_receipt_sent_message_sort_id INTEGER,has_new_community_admin_dialog_been_acknowledged INTEGER NOT NULL DEFAULT 0,history_sync_progress INTEGER,chat_lock INTEGER,chat_origin TEXT,participation_status INTEGER,account_jid_row_id INTEGER,chat_encryption_state INTEGER,group_member_count INTEGER,limited_sharing INTEGER,limited_sharing_setting_timestamp INTEGER,is_contact INTEGER, ephemeral_after_read_duration INTEGER, business_chat_state INTEGER);
CREATE TABLE message(_id INTEGER PRIMARY KEY AUTOINCREMENT,chat_row_id INTEGER NOT NULL,from_me INTEGER NOT NULL,key_id TEXT NOT NULL,sender_jid_row_id INTEGER,status INTEGER,broadcast INTEGER,recipient_count INTEGER,participant_hash TEXT,origination_flags INTEGER,origin INTEGER,timestamp INTEGER,received_timestamp INTEGER,receipt_server_timestamp INTEGER,message_type INTEGER,text_data TEXT,starred INTEGER,lookup_tables INTEGER,message_add_on_flags INTEGER,view_mode INTEGER,sort_id INTEGER NOT NULL DEFAULT 0,translated_text TEXT, view_replies_thread_id INTEGER, server_sts INTEGER);
CREATE TABLE message_media(message_row_id INTEGER PRIMARY KEY,chat_row_id INTEGER,autotransfer_retry_enabled INTEGER,transferred INTEGER,face_x INTEGER,face_y INTEGER,has_streaming_sidecar INTEGER,page_count INTEGER,thumbnail_height_width_ratio REAL,first_scan_sidecar BLOB,first_scan_length INTEGER,message_url TEXT,media_upload_handle TEXT,sticker_flags INTEGER,raw_transcription_text TEXT,first_viewed_timestamp INTEGER,is_animated_sticker INTEGER,media_caption TEXT,metadata_url TEXT,motion_photo_presentation_offset_ms INTEGER,multicast_id TEXT,media_job_uuid TEXT,transcoded INTEGER,file_path TEXT,file_size INTEGER,suspicious_content INTEGER,trim_from INTEGER,trim_to INTEGER,media_key BLOB,media_key_timestamp INTEGER,width INTEGER,height INTEGER,gif_attribution INTEGER,direct_path TEXT,mime_type TEXT,file_length INTEGER,media_name TEXT,file_hash TEXT,media_duration INTEGER,enc_file_hash TEXT,partial_media_hash TEXT,partial_media_enc_hash TEXT,original_file_hash TEXT,mute_video INTEGER DEFAULT 0,doodle_id TEXT,media_source_type INTEGER,accessibility_label TEXT,media_transcode_quality INTEGER DEFAULT 0, qr_url TEXT, media_key_domain INTEGER, e2ee_media_key BLOB, premium_message INTEGER, emoji_tags TEXT);
CREATE TABLE message_location(message_row_id INTEGER PRIMARY KEY,chat_row_id INTEGER,latitude REAL,longitude REAL,place_name TEXT,place_address TEXT,url TEXT,live_location_share_duration INTEGER,live_location_sequence_number INTEGER,live_location_final_latitude REAL,live_location_final_longitude REAL,live_location_final_timestamp INTEGER,map_download_status INTEGER);
CREATE TABLE message_system(message_row_id INTEGER PRIMARY KEY,action_type INTEGER NOT NULL);
CREATE TABLE message_system_group(message_row_id INTEGER PRIMARY KEY,is_me_joined INTEGER);
CREATE TABLE message_system_chat_participant(message_row_id INTEGER,user_jid_row_id INTEGER);
CREATE TABLE message_thumbnail(message_row_id INTEGER PRIMARY KEY,thumbnail BLOB);
CREATE TABLE message_quoted(message_row_id INTEGER PRIMARY KEY AUTOINCREMENT,chat_row_id INTEGER NOT NULL,parent_message_chat_row_id INTEGER NOT NULL,from_me INTEGER NOT NULL,sender_jid_row_id INTEGER,key_id TEXT NOT NULL,timestamp INTEGER,message_type INTEGER,origin INTEGER,text_data TEXT,payment_transaction_id TEXT,lookup_tables INTEGER, quoted_source INTEGER, quoted_type INTEGER);
CREATE TABLE message_revoked(message_row_id INTEGER PRIMARY KEY,revoked_key_id TEXT NOT NULL,admin_jid_row_id INTEGER,revoke_timestamp INTEGER);
CREATE TABLE message_forwarded(message_row_id INTEGER PRIMARY KEY,forward_score INTEGER,forward_origin INTEGER);
CREATE TABLE message_mentions(_id INTEGER PRIMARY KEY AUTOINCREMENT,message_row_id INTEGER,jid_row_id INTEGER,display_name STRING, mention_type INTEGER);
CREATE TABLE message_add_on(_id INTEGER PRIMARY KEY AUTOINCREMENT,chat_row_id INTEGER,from_me INTEGER,key_id TEXT NOT NULL,sender_jid_row_id INTEGER,parent_message_row_id INTEGER,timestamp INTEGER,status INTEGER,message_add_on_type INTEGER,received_timestamp INTEGER,expiry_duration_in_secs INTEGER,server_timestamp INTEGER,expiry_timestamp INTEGER,expiry_type INTEGER);
CREATE TABLE message_add_on_reaction(message_add_on_row_id INTEGER PRIMARY KEY,reaction TEXT,sender_timestamp INTEGER);
CREATE TABLE message_ephemeral(message_row_id INTEGER PRIMARY KEY,duration INTEGER NOT NULL,expire_timestamp INTEGER NOT NULL,keep_in_chat INTEGER NOT NULL DEFAULT 0,ephemeral_trigger INTEGER,ephemeral_initiated_by_me INTEGER, after_read_duration INTEGER);
CREATE TABLE message_text(message_row_id INTEGER PRIMARY KEY,description TEXT,page_title TEXT,url TEXT,font_style INTEGER,text_color INTEGER,background_color INTEGER,preview_type INTEGER,invite_link_group_type INTEGER NOT NULL DEFAULT 0,counter_abuse_token TEXT,fb_experiment_id INTEGER,social_media_post_type INTEGER,link_media_duration_seconds INTEGER, link_end_index INTEGER);
CREATE TABLE message_vcard(_id INTEGER PRIMARY KEY AUTOINCREMENT,message_row_id INTEGER,vcard TEXT);
CREATE TABLE receipt_user(_id INTEGER PRIMARY KEY AUTOINCREMENT,message_row_id INTEGER NOT NULL,receipt_user_jid_row_id INTEGER NOT NULL,receipt_timestamp INTEGER,read_timestamp INTEGER,played_timestamp INTEGER);
CREATE TABLE receipt_device(_id INTEGER PRIMARY KEY AUTOINCREMENT,message_row_id INTEGER NOT NULL,receipt_device_jid_row_id INTEGER NOT NULL,receipt_device_timestamp INTEGER,primary_device_version INTEGER);
CREATE TABLE group_participant_user(_id INTEGER PRIMARY KEY AUTOINCREMENT,group_jid_row_id INTEGER NOT NULL,user_jid_row_id INTEGER NOT NULL,rank INTEGER,pending INTEGER,add_timestamp INTEGER,label TEXT, join_method INTEGER, group_history_send_state INTEGER);
CREATE TABLE group_participant_device(_id INTEGER PRIMARY KEY AUTOINCREMENT,group_participant_row_id INTEGER NOT NULL,device_jid_row_id INTEGER NOT NULL,sent_sender_key INTEGER,sent_add_on_sender_key INTEGER);
CREATE TABLE group_past_participant_user(_id INTEGER PRIMARY KEY AUTOINCREMENT,group_jid_row_id INTEGER NOT NULL,user_jid_row_id INTEGER NOT NULL,is_leave INTEGER NOT NULL,timestamp INTEGER);
CREATE TABLE group_notification_version(group_jid_row_id INTEGER PRIMARY KEY,subject_timestamp INTEGER NOT NULL,announcement_version INTEGER NOT NULL,participant_version INTEGER NOT NULL,group_join_request_timestamp INTEGER);
CREATE TABLE call_log(_id INTEGER PRIMARY KEY AUTOINCREMENT,jid_row_id INTEGER,from_me INTEGER,call_id TEXT,transaction_id INTEGER,timestamp INTEGER,video_call INTEGER,duration INTEGER,call_result INTEGER,is_dnd_mode_on INTEGER,bytes_transferred INTEGER,group_jid_row_id INTEGER NOT NULL DEFAULT 0,is_joinable_group_call INTEGER,call_creator_device_jid_row_id INTEGER NOT NULL DEFAULT 0,call_random_id TEXT,call_link_row_id INTEGER NOT NULL DEFAULT 0,call_type INTEGER,offer_silence_reason INTEGER,scheduled_id TEXT, telecom_uuid TEXT, terminated_by_device_switch INTEGER);
CREATE TABLE call_log_participant_v2(_id INTEGER PRIMARY KEY AUTOINCREMENT,call_log_row_id INTEGER,jid_row_id INTEGER,call_result INTEGER);
CREATE TABLE joinable_call_log(call_log_row_id INTEGER PRIMARY KEY,call_id TEXT NOT NULL,joinable_video_call INTEGER NOT NULL DEFAULT 0,group_jid_row_id INTEGER NOT NULL DEFAULT 0,phash_identifier TEXT, self_other_device_connected INTEGER);
CREATE TABLE missed_call_logs(_id INTEGER PRIMARY KEY AUTOINCREMENT,message_row_id INTEGER,timestamp INTEGER,video_call INTEGER,group_jid_row_id INTEGER NOT NULL DEFAULT 0,is_joinable_group_call INTEGER,is_dnd_mode_on INTEGER,offer_silence_reason INTEGER);
CREATE TABLE message_call_log(message_row_id INTEGER PRIMARY KEY,call_log_row_id INTEGER);
CREATE TABLE frequent(_id INTEGER PRIMARY KEY AUTOINCREMENT,jid_row_id INTEGER NOT NULL,type INTEGER NOT NULL,message_count INTEGER NOT NULL, forward_count INTEGER, share_count INTEGER);
CREATE TABLE status(_id INTEGER PRIMARY KEY AUTOINCREMENT,jid_row_id INTEGER UNIQUE,message_table_id INTEGER,last_read_message_table_id INTEGER,last_read_receipt_sent_message_table_id INTEGER,first_unread_message_table_id INTEGER,autodownload_limit_message_table_id INTEGER,timestamp INTEGER,unseen_count INTEGER,total_count INTEGER,unseen_count_close_friends INTEGER);
CREATE TABLE labels(_id INTEGER PRIMARY KEY AUTOINCREMENT,type INTEGER NOT NULL DEFAULT 0,label_name TEXT,predefined_id INTEGER,color_id INTEGER,sort_id INTEGER NOT NULL DEFAULT 0,hidden INTEGER,mute_end_time INTEGER,mute_schedule_enabled_days INTEGER,mute_schedule_time_from INTEGER,mute_schedule_time_to INTEGER,is_immutable INTEGER, is_aura_benefit_enabled INTEGER);
CREATE TABLE labeled_jid(_id INTEGER PRIMARY KEY AUTOINCREMENT,label_id INTEGER NOT NULL,jid_row_id INTEGER NOT NULL);
CREATE TABLE deleted_chat_job(_id INTEGER PRIMARY KEY AUTOINCREMENT,chat_row_id INTEGER NOT NULL,block_size INTEGER,singular_message_delete_rows_id TEXT,deleted_message_row_id INTEGER,deleted_starred_message_row_id INTEGER,deleted_messages_remove_files BOOLEAN,deleted_categories_message_row_id INTEGER,deleted_categories_starred_message_row_id INTEGER,deleted_categories_remove_files BOOLEAN,deleted_message_categories TEXT,delete_files_singular_delete BOOLEAN);
CREATE TABLE media_refs(_id INTEGER PRIMARY KEY AUTOINCREMENT,path TEXT UNIQUE,ref_count INTEGER);
CREATE TABLE user_device(_id INTEGER PRIMARY KEY AUTOINCREMENT,user_jid_row_id INTEGER,device_jid_row_id INTEGER,key_index INTEGER NOT NULL DEFAULT 0);
CREATE TABLE away_messages(_id INTEGER PRIMARY KEY AUTOINCREMENT,jid TEXT UNIQUE NOT NULL);
CREATE VIRTUAL TABLE message_ftsv2 USING FTS4(content, fts_jid, fts_namespace);
)SQL";

constexpr const char* kNewAfter = R"SQL(
CREATE UNIQUE INDEX jid_key_new_index ON jid (user, server, agent, device, type);
CREATE UNIQUE INDEX jid_raw_string_index ON jid (raw_string);
CREATE INDEX message_sort_id_index ON message (sort_id);
CREATE UNIQUE INDEX message_key_index on message (chat_row_id, from_me, key_id, sender_jid_row_id);
CREATE INDEX message_starred_index on message (starred);
CREATE INDEX message_type_chat_index on message (chat_row_id, message_type);
CREATE INDEX message_chat_id_index ON message (chat_row_id,_id);
CREATE INDEX message_type_index ON message(message_type);
CREATE INDEX message_media_chat_index ON message_media(chat_row_id);
CREATE INDEX message_media_hash_index ON message_media(file_hash);
CREATE UNIQUE INDEX receipt_user_index on receipt_user(message_row_id,receipt_user_jid_row_id);
CREATE UNIQUE INDEX group_participant_user_index ON group_participant_user (group_jid_row_id, user_jid_row_id);
CREATE INDEX group_user_index ON group_participant_user (user_jid_row_id);
CREATE UNIQUE INDEX call_log_key_index ON call_log (jid_row_id, from_me, call_id, transaction_id);
CREATE INDEX message_system_chat_participant_index ON message_system_chat_participant (message_row_id);
CREATE TRIGGER call_log_bd_for_call_log_participant_v2_trigger BEFORE DELETE ON call_log BEGIN DELETE FROM call_log_participant_v2 WHERE call_log_row_id=old._id; END;
CREATE TRIGGER call_log_bd_for_joinable_call_log_trigger BEFORE DELETE ON call_log BEGIN DELETE FROM joinable_call_log WHERE call_log_row_id=old._id; END;
CREATE TRIGGER group_participant_user_bd_for_group_participant_device_trigger BEFORE DELETE ON group_participant_user BEGIN DELETE FROM group_participant_device WHERE group_participant_row_id=old._id; END;
CREATE TRIGGER message_bd_for_message_media_trigger BEFORE DELETE ON message BEGIN DELETE FROM message_media WHERE message_row_id=old._id; END;
CREATE TRIGGER message_bd_for_message_location_trigger BEFORE DELETE ON message BEGIN DELETE FROM message_location WHERE message_row_id=old._id; END;
CREATE TRIGGER message_bd_for_message_system_trigger BEFORE DELETE ON message BEGIN DELETE FROM message_system WHERE message_row_id=old._id; END;
CREATE TRIGGER message_bd_for_receipt_user_trigger BEFORE DELETE ON message BEGIN DELETE FROM receipt_user WHERE message_row_id=old._id; END;
CREATE TRIGGER message_bd_for_message_ftsv2_trigger BEFORE DELETE ON message BEGIN DELETE FROM message_ftsv2 WHERE docid=old._id; END;
CREATE TRIGGER message_system_bd_for_message_system_group_trigger BEFORE DELETE ON message_system BEGIN DELETE FROM message_system_group WHERE message_row_id=old.message_row_id; END;
CREATE VIEW available_message_view AS SELECT message._id AS _id, message.sort_id AS sort_id, message.chat_row_id AS chat_row_id, from_me, key_id, sender_jid_row_id, status, broadcast, recipient_count, participant_hash, origination_flags, origin, timestamp, received_timestamp, receipt_server_timestamp, message_type, text_data, starred, lookup_tables, message_add_on_flags, view_mode, expire_timestamp, keep_in_chat FROM message LEFT JOIN deleted_chat_job AS job ON job.chat_row_id = message.chat_row_id LEFT JOIN message_ephemeral AS message_ephemeral ON message._id = message_ephemeral.message_row_id WHERE IFNULL(NOT((IFNULL(message.starred, 0) = 0 AND message.sort_id <= IFNULL(job.deleted_message_row_id, -9223372036854775808)) OR (IFNULL(message.starred, 0) = 1 AND message.sort_id <= IFNULL(job.deleted_starred_message_row_id, -9223372036854775808))), 0);
CREATE VIEW chat_view AS SELECT chat._id AS _id, chat.hidden AS hidden, chat.subject AS subject, chat.created_timestamp AS created_timestamp, chat.last_message_row_id AS last_message_row_id, chat.archived AS archived, chat.sort_timestamp AS sort_timestamp, chat.group_type AS group_type, CAST(COALESCE(chat.account_jid_row_id, chat.jid_row_id) AS INTEGER) AS jid_row_id, chat.jid_row_id AS original_jid_row_id FROM chat AS chat;
)SQL";

constexpr const char* kLegacySchema = R"SQL(
CREATE TABLE props (_id INTEGER PRIMARY KEY AUTOINCREMENT, key TEXT UNIQUE, value TEXT);
CREATE TABLE messages (_id INTEGER PRIMARY KEY AUTOINCREMENT, key_remote_jid TEXT NOT NULL, key_from_me INTEGER, key_id TEXT NOT NULL, status INTEGER, needs_push INTEGER, data TEXT, timestamp INTEGER, media_url TEXT, media_mime_type TEXT, media_wa_type TEXT, media_size INTEGER, media_name TEXT, media_caption TEXT, media_hash TEXT, media_duration INTEGER, origin INTEGER, latitude REAL, longitude REAL, thumb_image TEXT, remote_resource TEXT, received_timestamp INTEGER, send_timestamp INTEGER, receipt_server_timestamp INTEGER, receipt_device_timestamp INTEGER, read_device_timestamp INTEGER, played_device_timestamp INTEGER, raw_data BLOB, recipient_count INTEGER, participant_hash TEXT, starred INTEGER, quoted_row_id INTEGER, mentioned_jids TEXT, multicast_id TEXT, edit_version INTEGER, media_enc_hash TEXT, payment_transaction_id TEXT, forwarded INTEGER, preview_type INTEGER, send_count INTEGER, lookup_tables INTEGER, future_message_type INTEGER);
CREATE VIRTUAL TABLE messages_fts USING FTS3();
CREATE TABLE messages_quotes (_id INTEGER PRIMARY KEY AUTOINCREMENT, key_remote_jid TEXT NOT NULL, key_from_me INTEGER, key_id TEXT NOT NULL, status INTEGER, needs_push INTEGER, data TEXT, timestamp INTEGER, media_url TEXT, media_mime_type TEXT, media_wa_type TEXT, media_size INTEGER, media_name TEXT, media_caption TEXT, media_hash TEXT, media_duration INTEGER, origin INTEGER, latitude REAL, longitude REAL, thumb_image TEXT, remote_resource TEXT, received_timestamp INTEGER, send_timestamp INTEGER, receipt_server_timestamp INTEGER, receipt_device_timestamp INTEGER, read_device_timestamp INTEGER, played_device_timestamp INTEGER, raw_data BLOB, recipient_count INTEGER, participant_hash TEXT, starred INTEGER, quoted_row_id INTEGER, mentioned_jids TEXT, multicast_id TEXT, edit_version INTEGER, media_enc_hash TEXT, payment_transaction_id TEXT, forwarded INTEGER, preview_type INTEGER, send_count INTEGER, lookup_tables INTEGER, future_message_type INTEGER);
CREATE TABLE messages_links (_id INTEGER PRIMARY KEY AUTOINCREMENT, key_remote_jid TEXT, message_row_id INTEGER, link_index INTEGER);
CREATE TABLE message_thumbnails (thumbnail BLOB, timestamp DATETIME, key_remote_jid TEXT NOT NULL, key_from_me INTEGER, key_id TEXT NOT NULL);
CREATE TABLE receipts (_id INTEGER PRIMARY KEY AUTOINCREMENT, key_remote_jid TEXT NOT NULL, key_id TEXT NOT NULL, remote_resource TEXT, receipt_device_timestamp INTEGER, read_device_timestamp INTEGER, played_device_timestamp INTEGER);
CREATE TABLE group_participants (_id INTEGER PRIMARY KEY AUTOINCREMENT, gjid TEXT NOT NULL, jid TEXT NOT NULL, admin INTEGER, pending INTEGER, sent_sender_key INTEGER);
CREATE TABLE group_participants_history (_id INTEGER PRIMARY KEY AUTOINCREMENT, timestamp DATETIME NOT NULL, gjid TEXT NOT NULL, jid TEXT NOT NULL, action INTEGER NOT NULL, old_phash TEXT NOT NULL, new_phash TEXT NOT NULL);
CREATE TABLE media_refs (_id INTEGER PRIMARY KEY AUTOINCREMENT, path TEXT UNIQUE, ref_count INTEGER);
CREATE TABLE status_list (_id INTEGER PRIMARY KEY AUTOINCREMENT, key_remote_jid TEXT UNIQUE, message_table_id INTEGER, last_read_message_table_id INTEGER, last_read_receipt_sent_message_table_id INTEGER, first_unread_message_table_id INTEGER, autodownload_limit_message_table_id INTEGER, timestamp INTEGER, unseen_count INTEGER, total_count INTEGER);
CREATE TABLE frequents (_id INTEGER PRIMARY KEY AUTOINCREMENT, jid TEXT NOT NULL, type INTEGER NOT NULL, message_count INTEGER NOT NULL);
CREATE TABLE jid (_id INTEGER PRIMARY KEY AUTOINCREMENT, user TEXT NOT NULL, server TEXT NOT NULL, agent INTEGER, device INTEGER, type INTEGER, raw_string TEXT);
CREATE TABLE chat (_id INTEGER PRIMARY KEY AUTOINCREMENT,jid_row_id INTEGER UNIQUE,hidden INTEGER,subject TEXT,created_timestamp INTEGER,display_message_row_id INTEGER,last_message_row_id INTEGER,last_read_message_row_id INTEGER,last_read_receipt_sent_message_row_id INTEGER,last_important_message_row_id INTEGER,archived INTEGER,sort_timestamp INTEGER,mod_tag INTEGER,gen REAL,spam_detection INTEGER,unseen_earliest_message_received_time INTEGER,unseen_message_count INTEGER,unseen_missed_calls_count INTEGER,unseen_row_count INTEGER,plaintext_disabled INTEGER,vcard_ui_dismissed INTEGER,change_number_notified_message_row_id INTEGER,show_group_description INTEGER,ephemeral_expiration INTEGER,last_read_ephemeral_message_row_id INTEGER,ephemeral_setting_timestamp INTEGER,ephemeral_disappearing_messages_initiator INTEGER,unseen_important_message_count INTEGER NOT NULL DEFAULT 0 );
CREATE TABLE message_media (  message_row_id INTEGER PRIMARY KEY, chat_row_id INTEGER, autotransfer_retry_enabled INTEGER, multicast_id TEXT, media_job_uuid TEXT, transferred INTEGER, transcoded INTEGER, file_path TEXT, file_size INTEGER, suspicious_content INTEGER, trim_from INTEGER, trim_to INTEGER, face_x INTEGER, face_y INTEGER, media_key BLOB, media_key_timestamp INTEGER, width INTEGER, height INTEGER, has_streaming_sidecar INTEGER, gif_attribution INTEGER, thumbnail_height_width_ratio REAL, direct_path TEXT, first_scan_sidecar BLOB, first_scan_length INTEGER, message_url TEXT, mime_type TEXT, file_length INTEGER, media_name TEXT, file_hash TEXT, media_duration INTEGER, page_count INTEGER, enc_file_hash TEXT, partial_media_hash TEXT, partial_media_enc_hash TEXT, is_animated_sticker INTEGER, original_file_hash TEXT, mute_video INTEGER DEFAULT 0);
CREATE TABLE message_location (message_row_id INTEGER PRIMARY KEY, chat_row_id INTEGER, latitude REAL, longitude REAL, place_name TEXT, place_address TEXT, url TEXT, live_location_share_duration INTEGER, live_location_sequence_number INTEGER, live_location_final_latitude REAL, live_location_final_longitude REAL, live_location_final_timestamp INTEGER, map_download_status INTEGER);
CREATE TABLE call_log (_id INTEGER PRIMARY KEY AUTOINCREMENT, jid_row_id INTEGER, from_me INTEGER, call_id TEXT, transaction_id INTEGER, timestamp INTEGER, video_call INTEGER, duration INTEGER, call_result INTEGER, bytes_transferred INTEGER, group_jid_row_id INTEGER NOT NULL DEFAULT 0, is_joinable_group_call INTEGER, call_creator_device_jid_row_id INTEGER NOT NULL DEFAULT 0, call_random_id TEXT);
CREATE TABLE call_log_participant_v2 (    _id             INTEGER PRIMARY KEY AUTOINCREMENT,    call_log_row_id INTEGER,    jid_row_id      INTEGER,    call_result     INTEGER);
CREATE TABLE deleted_chat_job (        _id INTEGER PRIMARY KEY AUTOINCREMENT,        chat_row_id INTEGER NOT NULL,        block_size INTEGER,        deleted_message_row_id INTEGER,        deleted_starred_message_row_id INTEGER,        deleted_messages_remove_files BOOLEAN,        deleted_categories_message_row_id INTEGER,        deleted_categories_starred_message_row_id INTEGER,        deleted_categories_remove_files BOOLEAN,        deleted_message_categories TEXT);
CREATE TABLE message_ephemeral(message_row_id INTEGER PRIMARY KEY, duration INTEGER NOT NULL, expire_timestamp INTEGER NOT NULL);
INSERT INTO messages(_id, key_remote_jid, key_from_me, key_id, status, needs_push, data, timestamp, media_url, media_mime_type, media_wa_type, media_size, media_name, media_hash, media_duration, origin, latitude, longitude, thumb_image, received_timestamp, send_timestamp, receipt_server_timestamp, receipt_device_timestamp, read_device_timestamp, played_device_timestamp, mentioned_jids) VALUES (1, '-1', 0, '-1', -1, 0, NULL, 0, NULL, NULL, -1, -1, NULL, NULL, 0, 0, 0, 0, NULL, -1, -1, -1, -1, -1, -1, NULL);
)SQL";

constexpr const char* kLegacyAfter = R"SQL(
CREATE UNIQUE INDEX messages_key_index on messages (key_remote_jid, key_from_me, key_id);
CREATE INDEX media_hash_index on messages (media_hash);
CREATE INDEX media_type_index on messages (media_wa_type);
CREATE INDEX media_type_jid_index on messages (key_remote_jid, media_wa_type);
CREATE INDEX messages_jid_id_index on messages (key_remote_jid, _id);
CREATE INDEX starred_index on messages (starred);
CREATE INDEX receipts_key_index on receipts (key_remote_jid, key_id);
CREATE UNIQUE INDEX group_participants_index on group_participants (gjid, jid);
CREATE INDEX group_participants_history_index on group_participants_history (gjid);
CREATE UNIQUE INDEX messages_thumbnail_key_index on message_thumbnails (key_remote_jid, key_from_me, key_id);
CREATE UNIQUE INDEX jid_key_new_index ON jid (user, server, agent, device, type);
CREATE UNIQUE INDEX jid_raw_string_index ON jid (raw_string);
CREATE UNIQUE INDEX call_log_key_index ON call_log (jid_row_id, from_me, call_id, transaction_id);
CREATE INDEX message_media_chat_index ON message_media(chat_row_id);
CREATE TRIGGER messages_bd_for_message_media_trigger BEFORE DELETE ON messages BEGIN DELETE FROM message_media WHERE message_row_id=old._id; END;
CREATE TRIGGER messages_bd_for_message_location_trigger BEFORE DELETE ON messages BEGIN DELETE FROM message_location WHERE message_row_id=old._id; END;
CREATE TRIGGER messages_bd_for_messages_fts_trigger BEFORE DELETE ON messages BEGIN DELETE FROM messages_fts WHERE docid=old._id; END;
CREATE TRIGGER messages_bd_for_receipts_trigger BEFORE DELETE ON messages BEGIN DELETE FROM receipts WHERE key_remote_jid=old.key_remote_jid AND key_id=old.key_id; END;
CREATE TRIGGER call_log_bd_for_call_log_participant_v2_trigger BEFORE DELETE ON call_log BEGIN DELETE FROM call_log_participant_v2 WHERE call_log_row_id=old._id; END;
CREATE VIEW chat_view AS SELECT c._id AS _id, j.raw_string AS raw_string_jid, hidden, subject, created_timestamp, display_message_row_id, last_message_row_id, last_read_message_row_id, last_read_receipt_sent_message_row_id, last_important_message_row_id, archived, sort_timestamp, mod_tag, gen, spam_detection, unseen_earliest_message_received_time, unseen_message_count, unseen_missed_calls_count, unseen_row_count, plaintext_disabled, vcard_ui_dismissed, change_number_notified_message_row_id, show_group_description, ephemeral_expiration, last_read_ephemeral_message_row_id, ephemeral_setting_timestamp, ephemeral_disappearing_messages_initiator, unseen_important_message_count FROM chat c LEFT JOIN jid j ON c.jid_row_id=j._id;
)SQL";

constexpr const char* kWaSchema = R"SQL(
CREATE TABLE wa_contacts(_id INTEGER PRIMARY KEY AUTOINCREMENT,jid TEXT NOT NULL,is_whatsapp_user BOOLEAN NOT NULL,status TEXT,status_timestamp INTEGER,number TEXT,raw_contact_id INTEGER,display_name TEXT,phone_type INTEGER,phone_label TEXT,unseen_msg_count INTEGER,photo_ts INTEGER,thumb_ts INTEGER,photo_id_timestamp INTEGER,given_name TEXT,family_name TEXT,wa_name TEXT,sort_name TEXT,nickname TEXT,company TEXT,title TEXT,status_autodownload_disabled INTEGER,keep_timestamp INTEGER,is_spam_reported INTEGER,is_sidelist_synced BOOLEAN DEFAULT 0,is_business_synced BOOLEAN DEFAULT 0,disappearing_mode_duration INTEGER,disappearing_mode_timestamp LONG,history_sync_initial_phash TEXT, is_starred BOOLEAN);
CREATE TABLE wa_vnames(_id INTEGER PRIMARY KEY AUTOINCREMENT,jid TEXT NOT NULL,serial INTEGER NOT NULL,issuer TEXT NOT NULL,expires INTEGER,verified_name TEXT NOT NULL,industry TEXT,city TEXT,country TEXT,verified_level INTEGER,identity_unconfirmed_since INTEGER,cert_blob BLOB,host_storage INTEGER DEFAULT 0,actual_actors INTEGER DEFAULT 0,privacy_mode_ts INTEGER DEFAULT 0);
CREATE TABLE wa_group_descriptions(_id INTEGER PRIMARY KEY AUTOINCREMENT,jid TEXT UNIQUE,description_id TEXT,description_setter_jid TEXT,description_time INTEGER,description TEXT);
CREATE TABLE wa_props (_id INTEGER PRIMARY KEY AUTOINCREMENT,prop_name TEXT UNIQUE,prop_value TEXT);
CREATE UNIQUE INDEX wa_contacts_jid_index ON wa_contacts (jid);
)SQL";

struct Chat {
  int64_t id = 0, jid_row = 0, last_msg = 0, sort_ts = 0;
};

std::string b64(std::string_view raw) {
  static constexpr char t[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  size_t i = 0;
  for (; i + 2 < raw.size(); i += 3) {
    const unsigned v = (static_cast<unsigned char>(raw[i]) << 16) | (static_cast<unsigned char>(raw[i + 1]) << 8) |
                       static_cast<unsigned char>(raw[i + 2]);
    out += t[v >> 18];
    out += t[(v >> 12) & 63];
    out += t[(v >> 6) & 63];
    out += t[v & 63];
  }
  if (i < raw.size()) {
    unsigned v = static_cast<unsigned char>(raw[i]) << 16;
    if (i + 1 < raw.size()) v |= static_cast<unsigned char>(raw[i + 1]) << 8;
    out += t[v >> 18];
    out += t[(v >> 12) & 63];
    out += i + 1 < raw.size() ? t[(v >> 6) & 63] : '=';
    out += '=';
  }
  return out;
}

std::string hex_to_raw(const std::string& hex) {
  std::string out;
  for (size_t i = 0; i + 1 < hex.size(); i += 2) out += static_cast<char>(std::stoi(hex.substr(i, 2), nullptr, 16));
  return out;
}

}  // namespace

Status write_whatsapp(Context& c) {
  c.stage("WhatsApp (msgstore.db, wa.db, media)");
  const Story& story = c.story;
  const bool legacy = c.v.whatsapp == AndroidVariants::WhatsApp::legacy;
  const Person& me = story.owner();
  const std::string dir = c.app_dir(kPkg);
  const std::string db_path = dir + "/databases/msgstore.db";
  const std::string wa_root =
      legacy ? Context::media_root() + "/WhatsApp" : Context::media_root() + "/Android/media/com.whatsapp/WhatsApp";
  const Owner own = Context::owner_of(kPkg);
  const Owner media_owner = Context::owner_of("media");
  const std::string msg_table = legacy ? "messages" : "message";
  const auto scratch = c.scratch("msgstore.db");
  auto db =
      SqlDb::create(scratch, derive_seed(story.seed(), "msgstore.db"), DbOptions{4096, legacy ? 1 : 1, true, "en_GB"});
  if (!db) return db.error();
  if (auto st = db->exec(legacy ? kLegacySchema : kNewSchema); !st) return st;
  if (auto st = db->exec(fmt::format("INSERT INTO props (key,value) VALUES "
                                     "('user_push_name',{}),('fts_ready','5'),"
                                     "('call_log_ready','1'),('migration_message_main_index','{}')",
                                     sql_quote(me.first), legacy ? 0 : 1));
      !st)
    return st;
  if (auto st = db->begin(); !st) return st;

  auto ins_jid = db->prepare(
      "INSERT INTO jid (user,server,agent,device,type,raw_string) "
      "VALUES (?,?,0,0,?,?)");
  auto ins_chat = db->prepare(
      "INSERT INTO chat "
      "(jid_row_id,hidden,subject,created_timestamp,archived,sort_timestamp,"
      "mod_tag,gen,spam_detection,unseen_message_count,unseen_missed_calls_"
      "count,unseen_row_count,"
      "plaintext_disabled,vcard_ui_dismissed,show_group_description) VALUES "
      "(?,0,?,?,0,?,0,0,1,0,0,0,1,0,?)");
  auto ins_media = db->prepare(
      "INSERT INTO message_media "
      "(message_row_id,chat_row_id,autotransfer_retry_enabled,transferred,file_"
      "path,file_size,"
      "media_key,media_key_timestamp,width,height,direct_path,message_url,mime_"
      "type,file_length,media_name,file_hash,"
      "enc_file_hash) VALUES (?,?,1,?,?,?,?,?,?,?,?,?,'image/jpeg',?,?,?,?)");
  auto ins_loc = db->prepare(
      "INSERT INTO message_location "
      "(message_row_id,chat_row_id,latitude,longitude,place_name,"
      "place_address,url,map_download_status) VALUES (?,?,?,?,?,?,?,1)");
  auto ins_call = db->prepare(
      "INSERT INTO call_log "
      "(jid_row_id,from_me,call_id,transaction_id,timestamp,video_"
      "call,duration,call_result,"
      "bytes_transferred,group_jid_row_id,call_creator_device_jid_"
      "row_id,call_random_id) VALUES (?,?,?,?,?,?,?,?,?,0,0,?)");
  Result<SqlStmt> ins_msg = make_error(Errc::internal, "unset");
  Result<SqlStmt> ins_fts = make_error(Errc::internal, "unset");
  Result<SqlStmt> ins_sys = make_error(Errc::internal, "unset");
  Result<SqlStmt> ins_sys_group = make_error(Errc::internal, "unset");
  Result<SqlStmt> ins_receipt = make_error(Errc::internal, "unset");
  Result<SqlStmt> ins_gpu = make_error(Errc::internal, "unset");
  if (legacy) {
    ins_msg = db->prepare(
        "INSERT INTO messages "
        "(key_remote_jid,key_from_me,key_id,status,needs_push,data,timestamp,"
        "media_url,"
        "media_mime_type,media_wa_type,media_size,media_name,media_caption,"
        "media_hash,media_duration,origin,latitude,"
        "longitude,thumb_image,remote_resource,received_timestamp,send_"
        "timestamp,receipt_server_timestamp,"
        "receipt_device_timestamp,read_device_timestamp,played_device_"
        "timestamp,raw_data,recipient_count,participant_hash,"
        "starred,quoted_row_id,mentioned_jids,multicast_id,edit_version,media_"
        "enc_hash,payment_transaction_id,forwarded,"
        "preview_type,send_count,lookup_tables,future_message_type) VALUES "
        "(?,?,?,?,0,?,?,?,?,?,?,?,?,?,0,0,?,?,NULL,?,?,-1,?,?,?,-1,NULL,?,NULL,"
        "0,0,NULL,NULL,0,NULL,NULL,0,0,0,0,0)");
    ins_fts = db->prepare("INSERT INTO messages_fts (docid,content) VALUES (?,?)");
    ins_receipt = db->prepare(
        "INSERT INTO receipts "
        "(key_remote_jid,key_id,remote_resource,receipt_device_timestamp,"
        "read_device_timestamp,played_device_timestamp) VALUES "
        "(?,?,NULL,?,?,-1)");
    ins_gpu = db->prepare(
        "INSERT INTO group_participants "
        "(gjid,jid,admin,pending,sent_sender_key) VALUES (?,?,?,0,0)");
  } else {
    ins_msg = db->prepare(
        "INSERT INTO message "
        "(chat_row_id,from_me,key_id,sender_jid_row_id,status,broadcast,"
        "recipient_count,"
        "participant_hash,origination_flags,origin,timestamp,received_"
        "timestamp,receipt_server_timestamp,message_type,"
        "text_data,starred,lookup_tables,message_add_on_flags,view_mode,sort_"
        "id) VALUES (?,?,?,?,?,0,?,NULL,0,0,?,?,?,?,?,0,0,0,0,0)");
    ins_fts = db->prepare(
        "INSERT INTO message_ftsv2 "
        "(docid,content,fts_jid,fts_namespace) VALUES (?,?,?,?)");
    ins_sys = db->prepare("INSERT INTO message_system (message_row_id,action_type) VALUES (?,?)");
    ins_sys_group = db->prepare(
        "INSERT INTO message_system_group "
        "(message_row_id,is_me_joined) VALUES (?,?)");
    ins_receipt = db->prepare(
        "INSERT INTO receipt_user "
        "(message_row_id,receipt_user_jid_row_id,receipt_timestamp,"
        "read_timestamp,played_timestamp) VALUES (?,?,?,?,NULL)");
    ins_gpu = db->prepare(
        "INSERT INTO group_participant_user "
        "(group_jid_row_id,user_jid_row_id,rank,pending,"
        "add_timestamp,join_method) VALUES (?,?,?,0,?,1)");
  }
  for (auto* s : {&ins_jid, &ins_chat, &ins_media, &ins_loc, &ins_call, &ins_msg, &ins_fts, &ins_receipt, &ins_gpu})
    if (!*s) return s->error();
  if (!legacy)
    for (auto* s : {&ins_sys, &ins_sys_group})
      if (!*s) return s->error();
  Result<SqlStmt> set_sort =
      legacy ? make_error(Errc::internal, "unused") : db->prepare("UPDATE message SET sort_id=_id WHERE _id=?");
  if (!legacy && !set_sort) return set_sort.error();

  // jid rows: the owner first, then everyone as they appear.
  std::map<std::string, int64_t> jids;
  auto jid_row = [&](const std::string& raw) -> Result<int64_t> {
    auto it = jids.find(raw);
    if (it != jids.end()) return it->second;
    const auto at = raw.find('@');
    const std::string server = raw.substr(at + 1);
    const int type = server == "g.us" ? 1 : server == "broadcast" ? 5 : 0;
    auto id = ins_jid->run(raw.substr(0, at), server, type, raw);
    if (!id) return id.error();
    jids.emplace(raw, *id);
    return *id;
  };
  if (auto x = jid_row(me.phone.jid()); !x) return x.error();
  if (auto x = jid_row("status@broadcast"); !x) return x.error();

  std::map<int64_t, Chat> chats;  // key: person id, or -(group id + 1)
  auto chat_for = [&](const Event& e) -> Result<Chat*> {
    const int64_t key = e.group >= 0 ? -static_cast<int64_t>(e.group) - 1 : static_cast<int64_t>(e.person);
    auto it = chats.find(key);
    if (it != chats.end()) return &it->second;
    std::string raw;
    std::optional<std::string> subject;
    int64_t created = e.time_ms;
    if (e.group >= 0) {
      const Group& g = story.groups()[static_cast<size_t>(e.group)];
      raw = g.jid;
      subject = g.name;
      created = story.clock().local_to_utc_ms(g.created, 9 * 3600);
    } else {
      raw = story.person(e.person).phone.jid();
    }
    auto jr = jid_row(raw);
    if (!jr) return jr.error();
    auto id = ins_chat->run(*jr, subject, created, e.time_ms, e.group >= 0 ? 1 : 0);
    if (!id) return id.error();
    Chat ch;
    ch.id = *id;
    ch.jid_row = *jr;
    if (e.group >= 0) {
      const Group& g = story.groups()[static_cast<size_t>(e.group)];
      if (legacy) {
        if (auto x = ins_gpu->run(g.jid, std::string(), g.creator == 0 ? 2 : 0); !x) return x.error();  // the owner
      }
      for (uint32_t m : g.members) {
        const std::string mj = story.person(m).phone.jid();
        if (legacy) {
          if (auto x = ins_gpu->run(g.jid, mj, m == g.creator ? 2 : 0); !x) return x.error();
        } else {
          auto mr = jid_row(mj);
          if (!mr) return mr.error();
          if (auto x = ins_gpu->run(*jr, *mr, m == g.creator ? 2 : 0, created); !x) return x.error();
        }
      }
    }
    return &chats.emplace(key, ch).first->second;
  };
  auto wa_name = [&](uint32_t pid) {
    const Person& p = story.person(pid);
    return p.in_contacts ? p.display : p.first;
  };

  Rng r = Rng::derive(story.seed(), "whatsapp");
  // Per local calendar date, as WhatsApp numbers its files (an event late on
  // one story day can fall on the next date: keying by story day would reuse
  // a name).
  std::map<std::tuple<int, int, int>, int> media_counter;
  const DayNumber wal_day = story.last_day() - 1;
  for (DayNumber day = story.first_day(); day <= story.last_day(); ++day) {
    if (c.cancelled()) return make_error(Errc::refused, "interrupted");
    if (c.v.wal && day == wal_day) {
      if (auto st = db->commit(); !st) return st;
      if (auto st = db->start_wal_tail(); !st) return st;
      if (auto st = db->begin(); !st) return st;
    }
    for (const Event& e : story.events_for_day(day)) {
      if (e.channel == Channel::whatsapp_call) {
        const Person& p = story.person(e.person);
        auto jr = jid_row(p.phone.jid());
        if (!jr) return jr.error();
        int result = 5;
        if (e.result != CallResult::answered) result = e.outgoing ? 2 : 4;
        const int duration = e.result == CallResult::answered ? e.duration_s : 0;
        auto id = ins_call->run(*jr, e.outgoing ? 1 : 0, "call:" + r.hex(16), static_cast<int64_t>(r.below(1u << 30)),
                                e.time_ms, e.video ? 1 : 0, duration, result,
                                duration > 0 ? static_cast<int64_t>(duration) * (e.video ? 180000 : 12000) : int64_t{0},
                                r.hex(16));
        if (!id) return id.error();
        Item it;
        it.category = Category::call;
        it.service = "whatsapp";
        it.time = TruthWriter::time(e.time_ms, TimeUnit::unix_ms);
        it.direction = e.outgoing ? Direction::outgoing : Direction::incoming;
        it.outcome = e.outgoing ? (duration > 0 ? CallOutcome::answered : CallOutcome::unknown)
                                : (result == 5 ? CallOutcome::answered : CallOutcome::missed);
        it.duration_s = duration;
        it.parties.push_back(c.truth.party(p.phone.jid(), e.outgoing ? PartyRole::to : PartyRole::from, wa_name(p.id)));
        it.provenance = TruthWriter::prov(db_path, "call_log", fmt::format("_id={}", *id), "android.whatsapp");
        if (auto st = c.truth.add(std::move(it), e.in_scope); !st) return st;
        continue;
      }
      if (e.channel != Channel::whatsapp) continue;
      auto chp = chat_for(e);
      if (!chp) return chp.error();
      Chat& ch = **chp;
      const Group* g = e.group >= 0 ? &story.groups()[static_cast<size_t>(e.group)] : nullptr;
      const std::string chat_jid = g ? g->jid : story.person(e.person).phone.jid();
      const std::string key_id = r.hex(16);
      int64_t sender_row = 0;
      if (g && !e.outgoing) {
        auto sr = jid_row(story.person(e.person).phone.jid());
        if (!sr) return sr.error();
        sender_row = *sr;
      }
      const int64_t received = e.outgoing ? e.time_ms : e.time_ms + 300 + static_cast<int64_t>(r.below(2500));
      const int status = e.system ? 6 : e.outgoing ? (r.chance(0.8) ? 13 : 5) : 0;
      const int64_t recipients = e.outgoing ? (g ? static_cast<int64_t>(g->members.size()) : 0) : 0;
      int type = 0;
      if (e.system)
        type = 7;
      else if (e.picture)
        type = 1;
      else if (e.location)
        type = 5;
      std::optional<std::string> text;
      if (!e.system && !e.location && !e.body.empty()) text = e.body;

      // Media file.
      FileRef fref;
      std::string rel_path, img, fname;
      int64_t media_mtime = 0;
      if (e.picture) {
        const auto l = story.clock().local(e.time_ms);
        const int n = ++media_counter[{l.year, l.month, l.day}];
        fname = fmt::format("IMG-{:04d}{:02d}{:02d}-WA{:04d}", l.year, l.month, l.day, n);
        if (!e.in_scope) fname += std::string("-") + std::string(kCanary);
        fname += ".jpg";
        rel_path = std::string("Media/WhatsApp Images/") + (e.outgoing ? "Sent/" : "") + fname;
        auto jpg = encode_jpeg(e.picture->width, e.picture->height, e.picture->seed, 70);
        if (!jpg) return jpg.error();
        img = std::move(*jpg);
        fref.name = e.picture->missing ? rel_path : fname;
        fref.mime = "image/jpeg";
        if (e.picture->missing) {
          fref.missing = true;
        } else {
          const std::string path = wa_root + "/" + rel_path;
          media_mtime = (received / 1000) & ~int64_t{1};  // even seconds: exact in zip DOS times too
          if (auto st = c.dirs_for(path, media_owner); !st) return st;
          if (auto st = c.out.add_bytes(FileMeta{path, 0660, media_owner.uid, media_owner.gid, media_owner.name,
                                                 media_owner.name, media_mtime},
                                        img);
              !st)
            return st;
          fref.path = path;
          fref.size = img.size();
          fref.sha256 = sha256_hex(img);
          // The file is also a media item of its own (android.media): out of
          // scope.
          Item m;
          m.category = Category::media;
          m.service = "whatsapp";
          m.time.utc_ms = media_mtime * 1000;
          m.time.raw = std::to_string(media_mtime * 1000000000LL);
          m.time.unit = TimeUnit::file_mtime_ns;
          m.time.source = TimeSource::file_mtime;
          m.title = fname;
          FileRef own_file = fref;
          own_file.name = fname;
          m.file = own_file;
          m.provenance = TruthWriter::prov(path, "", "", "android.media");
          if (auto st = c.truth.add(std::move(m), false); !st) return st;
        }
      }

      int64_t row = 0;
      if (legacy) {
        std::optional<std::string> media_url, media_mime, media_name, media_hash, remote;
        std::optional<int64_t> media_size;
        std::optional<double> lat, lon;
        std::string wa_type = "0";
        if (e.system) media_size = e.system_action;
        if (e.picture) {
          wa_type = "1";
          media_url = "https://mmg.whatsapp.net/d/f/" + r.hex(20, false) + ".enc";
          media_mime = "image/jpeg";
          media_size = static_cast<int64_t>(img.size());
          media_name = fname;
          media_hash = b64(hex_to_raw(sha256_hex(img)));
        } else if (e.location) {
          wa_type = "5";
          lat = e.location->lat;
          lon = e.location->lon;
          media_name = e.location->place_name;
        }
        if (g && !e.outgoing) remote = story.person(e.person).phone.jid();
        auto id = ins_msg->run(chat_jid, e.outgoing ? 1 : 0, key_id, status, text, e.time_ms, media_url, media_mime,
                               wa_type, media_size, media_name, e.picture && text ? text : std::optional<std::string>(),
                               media_hash, lat, lon, remote, received, e.outgoing ? e.time_ms + 700 : int64_t{-1},
                               e.outgoing ? e.time_ms + 1500 : int64_t{-1}, e.outgoing ? e.time_ms + 9000 : int64_t{-1},
                               recipients);
        if (!id) return id.error();
        row = *id;
        if (text) {
          if (auto x = ins_fts->run(row, *text); !x) return x.error();
        }
        if (e.outgoing && !g) {
          if (auto x = ins_receipt->run(chat_jid, key_id, e.time_ms + 1500, e.time_ms + 9000); !x) return x.error();
        }
      } else {
        auto id = ins_msg->run(ch.id, e.outgoing ? 1 : 0, key_id, sender_row, status, recipients, e.time_ms, received,
                               e.outgoing ? e.time_ms + 600 : int64_t{-1}, type, text);
        if (!id) return id.error();
        row = *id;
        if (auto x = set_sort->run(row); !x) return x.error();
        if (text) {
          if (auto x = ins_fts->run(row, *text, chat_jid, "1"); !x) return x.error();
        }
        if (e.system) {
          if (auto x = ins_sys->run(row, e.system_action); !x) return x.error();
          if (auto x = ins_sys_group->run(row, e.outgoing ? 1 : 0); !x) return x.error();
        }
        if (e.outgoing && !g) {
          if (auto x = ins_receipt->run(row, ch.jid_row, e.time_ms + 1500, e.time_ms + 9000); !x) return x.error();
        }
      }
      if (e.picture) {
        if (auto x = ins_media->run(row, ch.id, e.picture->missing ? 0 : 1, rel_path, static_cast<int64_t>(img.size()),
                                    Blob{hex_to_raw(r.hex(32))}, e.time_ms / 1000, e.picture->width, e.picture->height,
                                    "/v/t62.7118-24/" + r.hex(16, false),
                                    "https://mmg.whatsapp.net/v/t62.7118-24/" + r.hex(16, false) + ".enc",
                                    static_cast<int64_t>(img.size()), fname, b64(hex_to_raw(sha256_hex(img))),
                                    b64(hex_to_raw(r.hex(32))));
            !x)
          return x.error();
      }
      if (e.location) {
        if (auto x = ins_loc->run(
                row, ch.id, e.location->lat, e.location->lon, e.location->place_name, e.location->address,
                "https://maps.google.com/maps?q=" + fmt::format("{},{}", e.location->lat, e.location->lon));
            !x)
          return x.error();
      }
      ch.last_msg = row;
      ch.sort_ts = e.time_ms;

      Item it;
      it.category = Category::message;
      it.service = "whatsapp";
      it.time = TruthWriter::time(e.time_ms, TimeUnit::unix_ms);
      if (!e.outgoing) it.other_times.push_back({"received", TruthWriter::time(received, TimeUnit::unix_ms)});
      it.direction = e.outgoing ? Direction::outgoing : Direction::incoming;
      it.thread_id = chat_jid;
      it.group = g != nullptr;
      it.system = e.system;
      if (g) {
        it.thread_name = g->name;
        if (e.outgoing) {
          for (uint32_t m : g->members)
            it.parties.push_back(c.truth.party(story.person(m).phone.jid(), PartyRole::to, wa_name(m)));
        } else {
          it.parties.push_back(c.truth.party(story.person(e.person).phone.jid(), PartyRole::from, wa_name(e.person)));
          for (uint32_t m : g->members)
            if (m != e.person)
              it.parties.push_back(c.truth.party(story.person(m).phone.jid(), PartyRole::participant, wa_name(m)));
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
      it.provenance = TruthWriter::prov(db_path, msg_table, fmt::format("_id={}", row), "android.whatsapp");
      if (auto st = c.truth.add(std::move(it), e.in_scope); !st) return st;
    }
  }
  {
    auto upd = db->prepare(
        "UPDATE chat SET last_message_row_id=?, "
        "display_message_row_id=?, last_read_message_row_id=?, "
        "sort_timestamp=? WHERE _id=?");
    if (!upd) return upd.error();
    for (const auto& [key, ch] : chats)
      if (auto x = upd->run(ch.last_msg, ch.last_msg, ch.last_msg, ch.sort_ts, ch.id); !x) return x.error();
  }
  if (auto st = db->commit(); !st) return st;
  for (auto* s : {&ins_jid, &ins_chat, &ins_media, &ins_loc, &ins_call, &ins_msg, &ins_fts, &ins_sys, &ins_sys_group,
                  &ins_receipt, &ins_gpu, &set_sort})
    *s = make_error(Errc::internal, "closed");
  if (auto st = db->exec(legacy ? kLegacyAfter : kNewAfter); !st) return st;
  if (auto st = db->close(); !st) return st;
  if (auto st = c.add_db(db_path, scratch, own); !st) return st;

  // wa.db: WhatsApp's contact list (people and groups).
  {
    const std::string wa_path = dir + "/databases/wa.db";
    const auto wscratch = c.scratch("wa.db");
    auto wdb = SqlDb::create(wscratch, derive_seed(story.seed(), "wa.db"), DbOptions{4096, 90, true, "en_GB"});
    if (!wdb) return wdb.error();
    if (auto st = wdb->exec(kWaSchema); !st) return st;
    if (auto st = wdb->begin(); !st) return st;
    auto ins = wdb->prepare(
        "INSERT INTO wa_contacts "
        "(jid,is_whatsapp_user,status,status_timestamp,number,raw_contact_id,"
        "display_name,"
        "phone_type,phone_label,unseen_msg_count,photo_ts,thumb_ts,photo_id_"
        "timestamp,given_name,family_name,wa_name,"
        "sort_name,is_sidelist_synced,is_business_synced,is_starred) VALUES "
        "(?,1,?,?,?,?,?,?,NULL,0,0,0,?,?,?,?,?,0,0,0)");
    if (!ins) return ins.error();
    Rng wr = Rng::derive(story.seed(), "wa.db");
    for (const Person& p : story.people()) {
      if (!p.whatsapp || p.role == Role::owner) continue;
      const std::string jid = p.phone.jid();
      const bool known = p.in_contacts;
      auto id =
          ins->run(jid, p.wa_about, story.clock().local_to_utc_ms(p.known_from, 12 * 3600),
                   known ? std::optional<std::string>(p.phone.national) : std::optional<std::string>(),
                   known ? std::optional<int64_t>(p.id + 1) : std::optional<int64_t>(),
                   known ? std::optional<std::string>(p.display) : std::optional<std::string>(),
                   known ? std::optional<int>(2) : std::optional<int>(), wr.range(1600000000000LL, 1700000000000LL),
                   known && !p.first.empty() ? std::optional<std::string>(p.first) : std::optional<std::string>(),
                   known && !p.last.empty() ? std::optional<std::string>(p.last) : std::optional<std::string>(),
                   p.first.empty() ? std::optional<std::string>() : std::optional<std::string>(p.first),
                   known ? std::optional<std::string>(p.display) : std::optional<std::string>());
      if (!id) return id.error();
      Item it;
      it.category = Category::contact;
      it.service = "whatsapp";
      it.title = known ? p.display : p.first;
      it.body = p.wa_about;
      it.parties.push_back(c.truth.party(jid, PartyRole::subject, it.title));
      it.provenance =
          TruthWriter::prov(wa_path, "wa_contacts", fmt::format("_id={}", *id), "android.whatsapp_contacts");
      if (auto st = c.truth.add(std::move(it), false); !st) return st;
    }
    for (const Group& g : story.groups()) {
      if (!g.whatsapp) continue;
      auto id =
          ins->run(g.jid, std::optional<std::string>(), std::optional<int64_t>(), std::optional<std::string>(),
                   std::optional<int64_t>(), g.name, std::optional<int>(), int64_t{0}, std::optional<std::string>(),
                   std::optional<std::string>(), std::optional<std::string>(), g.name);
      if (!id) return id.error();
    }
    if (auto st = wdb->commit(); !st) return st;
    ins = make_error(Errc::internal, "closed");
    if (auto st = wdb->close(); !st) return st;
    if (auto st = c.add_db(wa_path, wscratch, own); !st) return st;
  }
  // shared_prefs: the account's own number.
  {
    const std::string xml = fmt::format(
        "<?xml version='1.0' encoding='utf-8' standalone='yes' ?>\n<map>\n"
        "    <string name=\"registration_jid\">{}</string>\n    <string "
        "name=\"cc\">44</string>\n"
        "    <string name=\"ph\">{}</string>\n    <string "
        "name=\"push_name\">{}</string>\n"
        "    <int name=\"registration_state\" value=\"3\" />\n</map>\n",
        me.phone.digits, me.phone.digits.substr(2), me.first);
    if (auto st = c.add_bytes(dir + "/shared_prefs/com.whatsapp_preferences_light.xml", xml, own, c.db_mtime_s()); !st)
      return st;
  }
  return {};
}

}  // namespace remit::synth::android
