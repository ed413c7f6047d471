-- contacts2.db written from the AOSP ContactsDatabaseHelper schema (columns
-- abridged): accounts, raw_contacts, contacts, mimetypes, data. No calls table,
-- as on Android 7+ where the call log moved to calllog.db.
CREATE TABLE accounts (_id INTEGER PRIMARY KEY AUTOINCREMENT, account_name TEXT, account_type TEXT, data_set TEXT);
CREATE TABLE raw_contacts (_id INTEGER PRIMARY KEY AUTOINCREMENT, account_id INTEGER REFERENCES accounts(_id),
  sourceid TEXT, version INTEGER NOT NULL DEFAULT 1, dirty INTEGER NOT NULL DEFAULT 0, deleted INTEGER NOT NULL DEFAULT 0,
  contact_id INTEGER REFERENCES contacts(_id), aggregation_mode INTEGER NOT NULL DEFAULT 0, starred INTEGER NOT NULL DEFAULT 0,
  display_name TEXT, display_name_alt TEXT, display_name_source INTEGER NOT NULL DEFAULT 0, sort_key TEXT);
CREATE TABLE contacts (_id INTEGER PRIMARY KEY AUTOINCREMENT, name_raw_contact_id INTEGER REFERENCES raw_contacts(_id),
  photo_id INTEGER, send_to_voicemail INTEGER NOT NULL DEFAULT 0, times_contacted INTEGER NOT NULL DEFAULT 0,
  last_time_contacted INTEGER, starred INTEGER NOT NULL DEFAULT 0, has_phone_number INTEGER NOT NULL DEFAULT 0,
  lookup TEXT, contact_last_updated_timestamp INTEGER);
CREATE TABLE mimetypes (_id INTEGER PRIMARY KEY AUTOINCREMENT, mimetype TEXT NOT NULL);
CREATE TABLE data (_id INTEGER PRIMARY KEY AUTOINCREMENT, package_id INTEGER, mimetype_id INTEGER NOT NULL,
  raw_contact_id INTEGER NOT NULL, is_primary INTEGER NOT NULL DEFAULT 0, data1 TEXT, data2 TEXT, data3 TEXT, data4 TEXT,
  data5 TEXT, data15 TEXT);

INSERT INTO accounts VALUES (1, 'owner@example.org', 'com.google', NULL), (2, 'WhatsApp', 'com.whatsapp', NULL);
INSERT INTO mimetypes VALUES (1, 'vnd.android.cursor.item/email_v2'), (5, 'vnd.android.cursor.item/phone_v2'),
  (7, 'vnd.android.cursor.item/name'), (9, 'vnd.android.cursor.item/note'), (12, 'vnd.android.cursor.item/vnd.com.whatsapp.profile');
-- Person 1: a Google contact merged with its WhatsApp raw contact (same number twice)
INSERT INTO raw_contacts (_id, account_id, contact_id, display_name) VALUES (1, 1, 1, 'Alex Smith'), (2, 2, 1, 'Alex');
INSERT INTO contacts (_id, name_raw_contact_id, times_contacted, last_time_contacted, starred, contact_last_updated_timestamp)
  VALUES (1, 1, 4, 1700000000000, 1, 1700000100000);
INSERT INTO data (mimetype_id, raw_contact_id, data1, data2, data3) VALUES
  (7, 1, 'Alex Smith', 'Alex', 'Smith'),
  (5, 1, '07700 900111', '2', NULL),
  (5, 1, '020 7946 0000', '0', 'Studio'),
  (1, 1, 'Alex@Example.org', '1', NULL),
  (5, 2, '+44 7700 900111', '2', NULL),
  (12, 2, '447700900111@s.whatsapp.net', NULL, NULL);
-- Person 2: e-mail only, with a note; the aggregate names its second raw contact
INSERT INTO raw_contacts (_id, account_id, contact_id, display_name) VALUES (3, 1, 2, 'B. Jones'), (4, 1, 2, 'Bea Jones');
INSERT INTO contacts (_id, name_raw_contact_id, contact_last_updated_timestamp) VALUES (2, 4, 1700000200000);
INSERT INTO data (mimetype_id, raw_contact_id, data1, data2, data3) VALUES
  (1, 3, 'bea@example.net', '2', NULL),
  (9, 4, 'met at work', NULL, NULL);
-- Person 3: deleted raw contact awaiting sync, no longer aggregated
INSERT INTO raw_contacts (_id, account_id, contact_id, deleted, display_name) VALUES (5, 1, NULL, 1, 'Gone Person');
INSERT INTO data (mimetype_id, raw_contact_id, data1, data2, data3) VALUES (5, 5, '07700900555', '1', NULL);
