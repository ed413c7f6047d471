-- calllog.db (Android 7+) with the AOSP CallLogDatabaseHelper calls table (columns abridged).
CREATE TABLE calls (_id INTEGER PRIMARY KEY AUTOINCREMENT, number TEXT, presentation INTEGER NOT NULL DEFAULT 1,
  post_dial_digits TEXT NOT NULL DEFAULT '', via_number TEXT NOT NULL DEFAULT '', date INTEGER, duration INTEGER,
  data_usage INTEGER, type INTEGER, features INTEGER NOT NULL DEFAULT 0, subscription_component_name TEXT,
  subscription_id TEXT, phone_account_address TEXT, phone_account_hidden INTEGER NOT NULL DEFAULT 0,
  sub_id INTEGER DEFAULT -1, new INTEGER, name TEXT, numbertype INTEGER, numberlabel TEXT, countryiso TEXT,
  voicemail_uri TEXT, is_read INTEGER, geocoded_location TEXT, lookup_uri TEXT, matched_number TEXT,
  normalized_number TEXT, photo_id INTEGER NOT NULL DEFAULT 0, photo_uri TEXT, formatted_number TEXT,
  add_for_all_users INTEGER NOT NULL DEFAULT 1, last_modified INTEGER DEFAULT 0, call_screening_component_name TEXT,
  call_screening_app_name TEXT, block_reason INTEGER NOT NULL DEFAULT 0);
INSERT INTO calls (_id, number, date, duration, type, features, name, countryiso, geocoded_location) VALUES
  (1, '+447700900301', 1700200000000, 0, 4, 0, 'Voicemail Friend', 'GB', 'United Kingdom'),
  (2, '+447700900302', 1700200600000, 312, 7, 0, NULL, 'GB', NULL),
  (3, '+447700900303', 1700201200000, 12, 2, 1, NULL, 'GB', NULL),
  (4, '', 1700201800000, 0, 3, 0, NULL, 'GB', NULL),
  (5, '+447700900305', 1700202400000, 0, 99, 0, NULL, 'GB', NULL);
