-- bugle_db written from the AOSP Messaging DatabaseHelper schema (conversations,
-- messages, parts, participants, conversation_participants; columns abridged)
-- plus Google Messages' parts.file_size_bytes and parts.local_cache_path.
CREATE TABLE conversations(_id INTEGER PRIMARY KEY AUTOINCREMENT, sms_thread_id INT DEFAULT(0), name TEXT, latest_message_id INT,
  snippet_text TEXT, subject_text TEXT, archive_status INT DEFAULT(0), sort_timestamp INT DEFAULT(0), participant_contact_id INT DEFAULT(-1),
  participant_lookup_key TEXT, participant_normalized_destination TEXT, current_self_id TEXT, participant_count INT DEFAULT(0));
CREATE TABLE messages (_id INTEGER PRIMARY KEY AUTOINCREMENT, conversation_id INT, sender_id INT, sent_timestamp INT DEFAULT(0),
  received_timestamp INT DEFAULT(0), message_protocol INT DEFAULT(0), message_status INT DEFAULT(0), seen INT DEFAULT(0), read INT DEFAULT(0),
  sms_message_uri TEXT, sms_priority INT DEFAULT(0), sms_message_size INT DEFAULT(0), mms_subject TEXT, mms_transaction_id TEXT,
  mms_content_location TEXT, mms_expiry INT DEFAULT(0), raw_status INT DEFAULT(0), self_id INT, retry_start_timestamp INT DEFAULT(0));
CREATE TABLE parts(_id INTEGER PRIMARY KEY AUTOINCREMENT, message_id INT, text TEXT, uri TEXT, content_type TEXT, width INT DEFAULT(-1),
  height INT DEFAULT(-1), timestamp INT, conversation_id INT NOT NULL, file_size_bytes INT DEFAULT(-1), local_cache_path TEXT);
CREATE TABLE participants(_id INTEGER PRIMARY KEY AUTOINCREMENT, sub_id INT DEFAULT(-2), sim_slot_id INT DEFAULT(-1), normalized_destination TEXT,
  send_destination TEXT, display_destination TEXT, full_name TEXT, first_name TEXT, profile_photo_uri TEXT, contact_id INT DEFAULT(-1),
  lookup_key STRING, blocked INT DEFAULT(0), subscription_name TEXT, subscription_color INT DEFAULT(0), contact_destination TEXT);
CREATE TABLE conversation_participants(_id INTEGER PRIMARY KEY AUTOINCREMENT, conversation_id INT, participant_id INT);

INSERT INTO participants (_id, sub_id, normalized_destination, send_destination, display_destination, full_name) VALUES
  (1, 1, NULL, NULL, NULL, NULL),
  (2, -2, '+447700900401', '07700900401', '07700 900401', 'Dana'),
  (3, -2, '+447700900402', '07700900402', '07700 900402', '07700 900402'),
  (4, -2, '+447700900403', '07700900403', '07700 900403', 'Eve');
INSERT INTO conversations (_id, name, participant_count) VALUES (1, 'Dana', 1), (2, 'Trip', 3);
INSERT INTO conversation_participants (conversation_id, participant_id) VALUES (1, 2), (2, 2), (2, 3), (2, 4);
INSERT INTO messages (_id, conversation_id, sender_id, sent_timestamp, received_timestamp, message_protocol, message_status, read, mms_subject, self_id) VALUES
  (1, 1, 2, 1700400000000, 1700400001000, 0, 100, 1, NULL, 1),
  (2, 1, 1, 1700400060000, 1700400060000, 0, 1, 1, NULL, 1),
  (3, 1, 2, 1700400110000, 1700400120000, 1, 100, 1, 'pic', 1),
  (4, 2, 3, 1700400180000, 1700400180000, 3, 100, 0, NULL, 1),
  (5, 2, 1, 1700400240000, 1700400240000, 3, 2, 1, NULL, 1),
  (6, 1, 1, 0, 1700400300000, 0, 3, 1, NULL, 1);
INSERT INTO parts (message_id, text, uri, content_type, conversation_id, file_size_bytes, local_cache_path) VALUES
  (1, 'sms in', NULL, 'text/plain', 1, -1, NULL),
  (2, 'sms out', NULL, 'text/plain', 1, -1, NULL),
  (3, NULL, NULL, 'application/smil', 1, -1, NULL),
  (3, 'see pic', NULL, 'text/plain', 1, -1, NULL),
  (3, NULL, 'content://mms/part/12', 'image/jpeg', 1, 15, '/data/user/0/com.google.android.apps.messaging/cache/parts/IMG_0001.jpg'),
  (4, 'rcs group', NULL, 'text/plain', 2, -1, NULL),
  (5, 'rcs reply', NULL, 'text/plain', 2, -1, NULL),
  (5, NULL, 'content://com.google.android.apps.messaging.datamodel.MediaScratchFileProvider/9', 'image/png', 2, 2048, NULL),
  (6, 'unsent draft', NULL, 'text/plain', 1, -1, NULL);
