-- msgstore.db with the current (2022+) schema: table DDL as in a public dump of
-- a 2024 msgstore.db, columns abridged. Owner: 447700900000 (shared_prefs).
CREATE TABLE jid(_id INTEGER PRIMARY KEY AUTOINCREMENT,user TEXT NOT NULL,server TEXT NOT NULL,agent INTEGER,device INTEGER,type INTEGER,raw_string TEXT);
CREATE TABLE jid_map(lid_row_id INTEGER PRIMARY KEY NOT NULL,jid_row_id INTEGER NOT NULL,sort_id INTEGER);
CREATE TABLE chat(_id INTEGER PRIMARY KEY AUTOINCREMENT,jid_row_id INTEGER UNIQUE,hidden INTEGER,subject TEXT,created_timestamp INTEGER,display_message_row_id INTEGER,last_message_row_id INTEGER,archived INTEGER,sort_timestamp INTEGER,group_type INTEGER NOT NULL DEFAULT 0);
CREATE TABLE message(_id INTEGER PRIMARY KEY AUTOINCREMENT,chat_row_id INTEGER NOT NULL,from_me INTEGER NOT NULL,key_id TEXT NOT NULL,sender_jid_row_id INTEGER,status INTEGER,broadcast INTEGER,recipient_count INTEGER,participant_hash TEXT,origination_flags INTEGER,origin INTEGER,timestamp INTEGER,received_timestamp INTEGER,receipt_server_timestamp INTEGER,message_type INTEGER,text_data TEXT,starred INTEGER,lookup_tables INTEGER,message_add_on_flags INTEGER,view_mode INTEGER,sort_id INTEGER NOT NULL DEFAULT 0,translated_text TEXT, view_replies_thread_id INTEGER, server_sts INTEGER);
CREATE TABLE message_media(message_row_id INTEGER PRIMARY KEY,chat_row_id INTEGER,autotransfer_retry_enabled INTEGER,transferred INTEGER,media_caption TEXT,file_path TEXT,file_size INTEGER,width INTEGER,height INTEGER,direct_path TEXT,mime_type TEXT,file_length INTEGER,media_name TEXT,file_hash TEXT,media_duration INTEGER);
CREATE TABLE message_location(message_row_id INTEGER PRIMARY KEY,chat_row_id INTEGER,latitude REAL,longitude REAL,place_name TEXT,place_address TEXT,url TEXT,live_location_share_duration INTEGER,live_location_sequence_number INTEGER,live_location_final_latitude REAL,live_location_final_longitude REAL,live_location_final_timestamp INTEGER,map_download_status INTEGER);
CREATE TABLE message_system(message_row_id INTEGER PRIMARY KEY,action_type INTEGER NOT NULL);
CREATE TABLE group_participant_user(_id INTEGER PRIMARY KEY AUTOINCREMENT,group_jid_row_id INTEGER NOT NULL,user_jid_row_id INTEGER NOT NULL,rank INTEGER,pending INTEGER,add_timestamp INTEGER,label TEXT, join_method INTEGER, group_history_send_state INTEGER);
CREATE TABLE call_log(_id INTEGER PRIMARY KEY AUTOINCREMENT,jid_row_id INTEGER,from_me INTEGER,call_id TEXT,transaction_id INTEGER,timestamp INTEGER,video_call INTEGER,duration INTEGER,call_result INTEGER,is_dnd_mode_on INTEGER,bytes_transferred INTEGER,group_jid_row_id INTEGER NOT NULL DEFAULT 0,is_joinable_group_call INTEGER,call_creator_device_jid_row_id INTEGER NOT NULL DEFAULT 0,call_random_id TEXT,call_link_row_id INTEGER NOT NULL DEFAULT 0,call_type INTEGER,offer_silence_reason INTEGER,scheduled_id TEXT, telecom_uuid TEXT, terminated_by_device_switch INTEGER);
CREATE TABLE call_log_participant_v2(_id INTEGER PRIMARY KEY AUTOINCREMENT,call_log_row_id INTEGER,jid_row_id INTEGER,call_result INTEGER);

INSERT INTO jid (_id, user, server, type, raw_string) VALUES
  (1, '447700900001', 's.whatsapp.net', 0, '447700900001@s.whatsapp.net'),
  (2, '447700900002', 's.whatsapp.net', 0, '447700900002@s.whatsapp.net'),
  (3, '120363000000000001', 'g.us', 1, '120363000000000001@g.us'),
  (4, 'status', 'broadcast', 5, 'status@broadcast'),
  (5, '447700900000', 's.whatsapp.net', 0, '447700900000@s.whatsapp.net'),
  (6, '98765432101234', 'lid', 18, '98765432101234@lid'),
  (7, '447700900003', 's.whatsapp.net', 0, '447700900003@s.whatsapp.net');
INSERT INTO jid_map VALUES (6, 7, 0);
INSERT INTO chat (_id, jid_row_id, subject) VALUES (1, 1, NULL), (2, 3, 'Book club'), (3, 4, NULL), (4, 6, NULL);
INSERT INTO group_participant_user (group_jid_row_id, user_jid_row_id, rank, pending) VALUES (3, 1, 0, 0), (3, 2, 0, 0), (3, 5, 1, 0), (3, 6, 0, 0);

INSERT INTO message (_id, chat_row_id, from_me, key_id, sender_jid_row_id, status, timestamp, received_timestamp, message_type, text_data, starred) VALUES
  (1, 1, 0, 'K1', 0, 0, 1700200000000, 1700200001000, 0, 'hi from Alice', 0),
  (2, 1, 1, 'K2', 0, 13, 1700200060000, 0, 1, 'caption', 1),
  (3, 1, 0, 'K3', 0, 0, 1700200120000, 1700200120500, 1, NULL, 0),
  (4, 2, 0, 'K4', 2, 0, 1700200180000, 1700200180500, 0, 'group msg from Bob', 0),
  (5, 2, 1, 'K5', 0, 13, 1700200240000, 0, 0, 'my reply', 0),
  (6, 2, 0, 'K6', 1, 6, 1700200300000, 0, 7, NULL, 0),
  (7, 1, 0, 'K7', 0, 0, 1700200360000, 0, 5, NULL, 0),
  (8, 1, 0, 'K8', 0, 0, 1700200420000, 0, 15, NULL, 0),
  (9, 4, 0, 'K9', 0, 0, 1700200480000, 0, 0, 'from Carol via lid', 0),
  (10, 3, 0, 'K10', 2, 0, 1700200540000, 0, 1, NULL, 0);
INSERT INTO message_media (message_row_id, chat_row_id, file_path, file_size, mime_type, media_name) VALUES
  (2, 1, 'Media/WhatsApp Images/Sent/IMG-20231116-WA0001.jpg', 477, 'image/jpeg', NULL),
  (3, 1, 'Media/WhatsApp Images/IMG-20231116-WA0002.jpg', 1000, 'image/jpeg', NULL),
  (10, 3, NULL, 2048, 'image/jpeg', NULL);
INSERT INTO message_location (message_row_id, chat_row_id, latitude, longitude, place_name) VALUES (7, 1, 51.5, -0.12, 'Cafe');
INSERT INTO message_system VALUES (6, 12);

INSERT INTO call_log (_id, jid_row_id, from_me, call_id, transaction_id, timestamp, video_call, duration, call_result, group_jid_row_id) VALUES
  (1, 1, 0, 'C1', 1, 1700300000000, 0, 0, 2, 0),
  (2, 2, 1, 'C2', 2, 1700300600000, 1, 65, 5, 0),
  (3, 1, 0, 'C3', 3, 1700301200000, 0, 300, 5, 3);
INSERT INTO call_log_participant_v2 (call_log_row_id, jid_row_id, call_result) VALUES (3, 1, 5), (3, 2, 5), (3, 5, 5);
