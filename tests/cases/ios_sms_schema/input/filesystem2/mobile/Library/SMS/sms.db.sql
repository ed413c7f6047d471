-- iOS 16 sms.db schema (the columns remit reads, with their real names and
-- types), including real triggers that call Messages' app-defined
-- functions: reading must never fire them.
CREATE TABLE _SqliteDatabaseProperties (key TEXT, value TEXT, UNIQUE(key));
CREATE TABLE handle (ROWID INTEGER PRIMARY KEY AUTOINCREMENT UNIQUE, id TEXT NOT NULL, country TEXT, service TEXT NOT NULL, uncanonicalized_id TEXT, person_centric_id TEXT, UNIQUE (id, service));
CREATE TABLE chat (ROWID INTEGER PRIMARY KEY AUTOINCREMENT, guid TEXT UNIQUE NOT NULL, style INTEGER, state INTEGER, account_id TEXT, properties BLOB, chat_identifier TEXT, service_name TEXT, room_name TEXT, account_login TEXT, is_archived INTEGER DEFAULT 0, last_addressed_handle TEXT, display_name TEXT, group_id TEXT, is_filtered INTEGER DEFAULT 0, successful_query INTEGER, engram_id TEXT, server_change_token TEXT, ck_sync_state INTEGER DEFAULT 0, original_group_id TEXT, last_read_message_timestamp INTEGER DEFAULT 0, cloudkit_record_id TEXT, last_addressed_sim_id TEXT, is_blackholed INTEGER DEFAULT 0, syndication_date INTEGER DEFAULT 0, syndication_type INTEGER DEFAULT 0);
CREATE TABLE message (ROWID INTEGER PRIMARY KEY AUTOINCREMENT, guid TEXT UNIQUE NOT NULL, text TEXT, replace INTEGER DEFAULT 0, service_center TEXT, handle_id INTEGER DEFAULT 0, subject TEXT, country TEXT, attributedBody BLOB, version INTEGER DEFAULT 0, type INTEGER DEFAULT 0, service TEXT, account TEXT, account_guid TEXT, error INTEGER DEFAULT 0, date INTEGER, date_read INTEGER, date_delivered INTEGER, is_delivered INTEGER DEFAULT 0, is_finished INTEGER DEFAULT 0, is_emote INTEGER DEFAULT 0, is_from_me INTEGER DEFAULT 0, is_empty INTEGER DEFAULT 0, is_delayed INTEGER DEFAULT 0, is_auto_reply INTEGER DEFAULT 0, is_prepared INTEGER DEFAULT 0, is_read INTEGER DEFAULT 0, is_system_message INTEGER DEFAULT 0, is_sent INTEGER DEFAULT 0, has_dd_results INTEGER DEFAULT 0, is_service_message INTEGER DEFAULT 0, is_forward INTEGER DEFAULT 0, was_downgraded INTEGER DEFAULT 0, is_archive INTEGER DEFAULT 0, cache_has_attachments INTEGER DEFAULT 0, cache_roomnames TEXT, was_data_detected INTEGER DEFAULT 0, was_deduplicated INTEGER DEFAULT 0, is_audio_message INTEGER DEFAULT 0, is_played INTEGER DEFAULT 0, date_played INTEGER, item_type INTEGER DEFAULT 0, other_handle INTEGER DEFAULT 0, group_title TEXT, group_action_type INTEGER DEFAULT 0, share_status INTEGER DEFAULT 0, share_direction INTEGER DEFAULT 0, is_expirable INTEGER DEFAULT 0, expire_state INTEGER DEFAULT 0, message_action_type INTEGER DEFAULT 0, message_source INTEGER DEFAULT 0, associated_message_guid TEXT, associated_message_type INTEGER DEFAULT 0, balloon_bundle_id TEXT, payload_data BLOB, expressive_send_style_id TEXT, associated_message_range_location INTEGER DEFAULT 0, associated_message_range_length INTEGER DEFAULT 0, time_expressive_send_played INTEGER, message_summary_info BLOB, ck_sync_state INTEGER DEFAULT 0, ck_record_id TEXT, ck_record_change_tag TEXT, destination_caller_id TEXT, is_corrupt INTEGER DEFAULT 0, reply_to_guid TEXT, sort_id INTEGER, is_spam INTEGER DEFAULT 0, has_unseen_mention INTEGER DEFAULT 0, thread_originator_guid TEXT, thread_originator_part TEXT, syndication_ranges TEXT, synced_syndication_ranges TEXT, was_delivered_quietly INTEGER DEFAULT 0, did_notify_recipient INTEGER DEFAULT 0, date_retracted INTEGER, date_edited INTEGER, was_detonated INTEGER DEFAULT 0, part_count INTEGER, is_stewie INTEGER DEFAULT 0, is_kt_verified INTEGER DEFAULT 0);
CREATE TABLE attachment (ROWID INTEGER PRIMARY KEY AUTOINCREMENT, guid TEXT UNIQUE NOT NULL, created_date INTEGER DEFAULT 0, start_date INTEGER DEFAULT 0, filename TEXT, uti TEXT, mime_type TEXT, transfer_state INTEGER DEFAULT 0, is_outgoing INTEGER DEFAULT 0, user_info BLOB, transfer_name TEXT, total_bytes INTEGER DEFAULT 0, is_sticker INTEGER DEFAULT 0, sticker_user_info BLOB, attribution_info BLOB, hide_attachment INTEGER DEFAULT 0, ck_sync_state INTEGER DEFAULT 0, ck_server_change_token_blob BLOB, ck_record_id TEXT, original_guid TEXT UNIQUE NOT NULL, is_commsafety_sensitive INTEGER DEFAULT 0);
CREATE TABLE chat_handle_join (chat_id INTEGER REFERENCES chat (ROWID) ON DELETE CASCADE, handle_id INTEGER REFERENCES handle (ROWID) ON DELETE CASCADE, UNIQUE(chat_id, handle_id));
CREATE TABLE chat_message_join (chat_id INTEGER REFERENCES chat (ROWID) ON DELETE CASCADE, message_id INTEGER REFERENCES message (ROWID) ON DELETE CASCADE, message_date INTEGER DEFAULT 0, PRIMARY KEY (chat_id, message_id));
CREATE TABLE message_attachment_join (message_id INTEGER REFERENCES message (ROWID) ON DELETE CASCADE, attachment_id INTEGER REFERENCES attachment (ROWID) ON DELETE CASCADE, UNIQUE(message_id, attachment_id));

INSERT INTO handle VALUES (1, '+447700900123', 'GB', 'iMessage', NULL, NULL);
INSERT INTO handle VALUES (2, '+447700900456', 'GB', 'iMessage', NULL, NULL);
INSERT INTO handle VALUES (3, 'friend@example.com', 'GB', 'iMessage', NULL, NULL);
INSERT INTO chat (ROWID, guid, style, chat_identifier, service_name, display_name) VALUES (1, 'iMessage;-;+447700900123', 45, '+447700900123', 'iMessage', '');
INSERT INTO chat (ROWID, guid, style, chat_identifier, service_name, display_name) VALUES (2, 'iMessage;+;chat913476123', 43, 'chat913476123', 'iMessage', 'Saturday plans');
INSERT INTO chat_handle_join VALUES (1, 1), (2, 2), (2, 3);

-- 1: text only in attributedBody (iOS 16), nanosecond dates, read later.
INSERT INTO message (ROWID, guid, text, attributedBody, handle_id, service, account, date, date_read, date_delivered, is_from_me, is_read, is_delivered) VALUES
 (1, 'A1', NULL, X'040B73747265616D747970656481E803840140848484194E534D757461626C6541747472696275746564537472696E67008484124E5341747472696275746564537472696E67008484084E534F626A6563740085928484840F4E534D757461626C65537472696E67018484084E53537472696E67019584012B1F53656520796F7520617420382C206272696E672074686520636861726765728684026949011F928484840C4E5344696374696F6E617279009584016901928498981D5F5F6B494D4D657373616765506172744174747269627574654E616D658692848484084E534E756D626572008484074E5356616C7565009584012A849B9B00868686', 1, 'iMessage', 'E:owner@example.com', 708120900000000000, 708121000000000000, 0, 0, 1, 1);
-- 2: outgoing, delivered five seconds later.
INSERT INTO message (ROWID, guid, text, handle_id, service, date, date_read, date_delivered, is_from_me, is_delivered, is_sent) VALUES
 (2, 'A2', 'On my way', 1, 'iMessage', 708121200000000000, 0, 708121205000000000, 1, 1, 1);
-- 3: handle_id 0, resolved through chat_message_join -> chat_handle_join.
INSERT INTO message (ROWID, guid, text, handle_id, service, date, is_from_me) VALUES
 (3, 'A3', 'Are you there?', 0, 'SMS', 708121500000000000, 0);
-- 4: group message from handle 2, text only in attributedBody (with an emoji).
INSERT INTO message (ROWID, guid, text, attributedBody, handle_id, service, date, is_from_me) VALUES
 (4, 'A4', NULL, X'040B73747265616D747970656481E803840140848484194E534D757461626C6541747472696275746564537472696E67008484124E5341747472696275746564537472696E67008484084E534F626A6563740085928484840F4E534D757461626C65537472696E67018484084E53537472696E67019584012B1952756E6E696E67206C61746520F09F9988203130206D696E7386840269490117928484840C4E5344696374696F6E617279009584016901928498981D5F5F6B494D4D657373616765506172744174747269627574654E616D658692848484084E534E756D626572008484074E5356616C7565009584012A849B9B00868686', 2, 'iMessage', 708122000000000000, 0);
-- 5: outgoing group message, handle_id 0.
INSERT INTO message (ROWID, guid, text, handle_id, service, date, is_from_me) VALUES
 (5, 'A5', 'No rush', 0, 'iMessage', 708122100000000000, 1);
-- 6: two attachments, one present in the extraction, one missing.
INSERT INTO message (ROWID, guid, text, handle_id, service, date, is_from_me, cache_has_attachments) VALUES
 (6, 'A6', char(65532, 65532), 1, 'iMessage', 708122400000000000, 0, 1);
-- 7: handle_id 0 and in no chat: kept, without parties.
INSERT INTO message (ROWID, guid, text, handle_id, service, date, is_from_me) VALUES
 (7, 'A7', 'orphan', 0, 'iMessage', 708122500000000000, 0);
-- 8: NULL text and an attributedBody that is not a typedstream.
INSERT INTO message (ROWID, guid, text, attributedBody, handle_id, service, date, is_from_me) VALUES
 (8, 'A8', NULL, X'0401020304', 1, 'iMessage', 708122600000000000, 0);
-- 9: a message from before iOS 11: date in seconds.
INSERT INTO message (ROWID, guid, text, handle_id, service, date, is_from_me) VALUES
 (9, 'A9', 'from an old phone', 1, 'SMS', 400000000, 0);
-- 10: group renamed (item_type 2): a system message.
INSERT INTO message (ROWID, guid, text, handle_id, service, date, is_from_me, item_type, group_title) VALUES
 (10, 'A10', NULL, 2, 'iMessage', 708122700000000000, 0, 2, 'Saturday plans');
INSERT INTO chat_message_join (chat_id, message_id) VALUES (1, 1), (1, 2), (1, 3), (2, 4), (2, 5), (1, 6), (1, 8), (1, 9), (2, 10);
INSERT INTO attachment (ROWID, guid, filename, mime_type, transfer_name, total_bytes, original_guid) VALUES
 (1, 'AT1', '~/Library/SMS/Attachments/ab/11/8F1E0C6A-1111-4A4A-9B9B-000000000001/IMG_0001.jpeg', 'image/jpeg', 'IMG_0001.jpeg', 11, 'AT1'),
 (2, 'AT2', '~/Library/SMS/Attachments/cd/22/8F1E0C6A-2222-4A4A-9B9B-000000000002/Audio Message.caf', 'audio/x-caf', 'Audio Message.caf', 5120, 'AT2');
INSERT INTO message_attachment_join VALUES (6, 1), (6, 2);

-- Real triggers (Messages registers these functions in its own process).
CREATE TRIGGER after_delete_on_attachment AFTER DELETE ON attachment BEGIN SELECT delete_attachment_path(OLD.filename); END;
CREATE TRIGGER before_delete_on_attachment BEFORE DELETE ON attachment BEGIN SELECT before_delete_attachment_path(OLD.ROWID, OLD.guid); END;
CREATE TRIGGER after_insert_on_message AFTER INSERT ON message BEGIN SELECT update_message_date_after_message_insert(NEW.ROWID, NEW.date); END;
