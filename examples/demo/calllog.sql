-- A tiny demo call log in the real AOSP calllog.db shape (subset of columns).
CREATE TABLE calls (_id INTEGER PRIMARY KEY AUTOINCREMENT, number TEXT, date INTEGER, duration INTEGER,
  type INTEGER, name TEXT, countryiso TEXT, geocoded_location TEXT, features INTEGER NOT NULL DEFAULT 0);
INSERT INTO calls (_id, number, date, duration, type, name, countryiso) VALUES
  (1, '07700900123', 1773396120000, 65, 1, NULL, 'GB'),
  (2, '+447700900123', 1773396300000, 0, 2, NULL, 'GB'),
  (3, '07700 900456', 1773482500000, 0, 3, NULL, 'GB');
