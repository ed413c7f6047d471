-- A tiny demo SMS database in the real AOSP mmssms.db shape (subset of columns).
CREATE TABLE sms (_id INTEGER PRIMARY KEY, thread_id INTEGER, address TEXT, person INTEGER, date INTEGER,
  date_sent INTEGER DEFAULT 0, protocol INTEGER, read INTEGER DEFAULT 0, status INTEGER DEFAULT -1, type INTEGER,
  reply_path_present INTEGER, subject TEXT, body TEXT, service_center TEXT, locked INTEGER DEFAULT 0,
  error_code INTEGER DEFAULT 0, seen INTEGER DEFAULT 0);
INSERT INTO sms (_id, thread_id, address, date, date_sent, read, type, body) VALUES
  (1, 1, '07700 900123', 1773396000000, 1773395998000, 1, 1, 'Demo message one'),
  (2, 1, '07700 900123', 1773396060000, 0, 1, 2, 'Demo message two'),
  (3, 2, '07700 900456', 1773482400000, 1773482399000, 0, 1, 'Demo message three');
