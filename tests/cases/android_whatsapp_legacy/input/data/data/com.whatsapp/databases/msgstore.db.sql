-- msgstore.db with the legacy (pre-2022) schema: messages, chat_list,
-- group_participants (jid '' is the account itself), jid and call_log, as read by
-- WhatsApp-Chat-Exporter and ALEAPP. media_wa_type is TEXT in this schema.
CREATE TABLE messages (_id INTEGER PRIMARY KEY AUTOINCREMENT, key_remote_jid TEXT NOT NULL, key_from_me INTEGER, key_id TEXT NOT NULL,
  status INTEGER, needs_push INTEGER, data TEXT, timestamp INTEGER, media_url TEXT, media_mime_type TEXT, media_wa_type TEXT,
  media_size INTEGER, media_name TEXT, media_caption TEXT, media_hash TEXT, media_duration INTEGER, origin INTEGER,
  latitude REAL, longitude REAL, thumb_image TEXT, remote_resource TEXT, received_timestamp INTEGER, send_timestamp INTEGER,
  receipt_server_timestamp INTEGER, receipt_device_timestamp INTEGER, read_device_timestamp INTEGER,
  played_device_timestamp INTEGER, raw_data BLOB, recipient_count INTEGER, participant_hash TEXT, starred INTEGER,
  quoted_row_id INTEGER, mentioned_jids TEXT, multicast_id TEXT, edit_version INTEGER, media_enc_hash TEXT,
  payment_transaction_id TEXT, forwarded INTEGER, preview_type INTEGER, send_count INTEGER);
CREATE TABLE chat_list (_id INTEGER PRIMARY KEY AUTOINCREMENT, key_remote_jid TEXT UNIQUE, message_table_id INTEGER,
  subject TEXT, creation INTEGER, last_read_message_table_id INTEGER, archived INTEGER, sort_timestamp INTEGER);
CREATE TABLE group_participants (_id INTEGER PRIMARY KEY AUTOINCREMENT, gjid TEXT NOT NULL, jid TEXT NOT NULL,
  admin INTEGER, pending INTEGER, sent_sender_key INTEGER);
CREATE TABLE jid (_id INTEGER PRIMARY KEY AUTOINCREMENT, user TEXT NOT NULL, server TEXT NOT NULL, agent INTEGER,
  device INTEGER, type INTEGER, raw_string TEXT);
CREATE TABLE call_log (_id INTEGER PRIMARY KEY AUTOINCREMENT, jid_row_id INTEGER, from_me INTEGER, call_id TEXT,
  transaction_id INTEGER, timestamp INTEGER, video_call INTEGER, duration INTEGER, call_result INTEGER,
  bytes_transferred INTEGER);

INSERT INTO messages (_id, key_remote_jid, key_from_me, key_id, status, data, timestamp) VALUES (1, '-1', 0, '-1', -1, NULL, 0);
INSERT INTO messages (_id, key_remote_jid, key_from_me, key_id, status, data, timestamp, media_wa_type, received_timestamp) VALUES
  (2, '447700900011@s.whatsapp.net', 0, 'L2', 0, 'old hello', 1546300800000, '0', 1546300801000);
INSERT INTO messages (_id, key_remote_jid, key_from_me, key_id, status, data, timestamp, media_wa_type, media_mime_type, media_size, media_name, media_caption) VALUES
  (3, '447700900011@s.whatsapp.net', 1, 'L3', 13, NULL, 1546300860000, '1', 'image/jpeg', 10, 'IMG-20190101-WA0003.jpg', 'look');
INSERT INTO messages (_id, key_remote_jid, key_from_me, key_id, status, data, timestamp, media_wa_type, remote_resource) VALUES
  (4, '447700900010-1546300000@g.us', 0, 'L4', 0, 'old group', 1546300920000, '0', '447700900012@s.whatsapp.net'),
  (5, '447700900010-1546300000@g.us', 0, 'L5', 6, NULL, 1546300980000, '0', '447700900012@s.whatsapp.net');
INSERT INTO messages (_id, key_remote_jid, key_from_me, key_id, status, data, timestamp, media_wa_type, latitude, longitude) VALUES
  (6, '447700900011@s.whatsapp.net', 1, 'L6', 13, NULL, 1546301040000, '5', 48.8584, 2.2945);
INSERT INTO chat_list (key_remote_jid, subject) VALUES ('447700900011@s.whatsapp.net', NULL), ('447700900010-1546300000@g.us', 'Old group');
INSERT INTO group_participants (gjid, jid, admin, pending) VALUES
  ('447700900010-1546300000@g.us', '', 1, 0),
  ('447700900010-1546300000@g.us', '447700900011@s.whatsapp.net', 0, 0),
  ('447700900010-1546300000@g.us', '447700900012@s.whatsapp.net', 0, 0);
INSERT INTO jid (_id, user, server, type, raw_string) VALUES (1, '447700900011', 's.whatsapp.net', 0, '447700900011@s.whatsapp.net');
INSERT INTO call_log (_id, jid_row_id, from_me, call_id, transaction_id, timestamp, video_call, duration, call_result) VALUES
  (1, 1, 1, 'LC1', 1, 1546301100000, 0, 12, 5);
