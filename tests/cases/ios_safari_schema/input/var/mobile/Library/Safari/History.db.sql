-- Safari History.db (iOS 16 / Safari 16): the real table definitions.
CREATE TABLE history_items (id INTEGER PRIMARY KEY AUTOINCREMENT,url TEXT NOT NULL UNIQUE,domain_expansion TEXT NULL,visit_count INTEGER NOT NULL,daily_visit_counts BLOB NOT NULL,weekly_visit_counts BLOB NULL,autocomplete_triggers BLOB NULL,should_recompute_derived_visit_counts INTEGER NOT NULL,visit_count_score INTEGER NOT NULL,status_code INTEGER NOT NULL DEFAULT 0);
CREATE TABLE history_visits (id INTEGER PRIMARY KEY AUTOINCREMENT,history_item INTEGER NOT NULL REFERENCES history_items(id) ON DELETE CASCADE,visit_time REAL NOT NULL,title TEXT NULL,load_successful BOOLEAN NOT NULL DEFAULT 1,http_non_get BOOLEAN NOT NULL DEFAULT 0,synthesized BOOLEAN NOT NULL DEFAULT 0,redirect_source INTEGER NULL UNIQUE REFERENCES history_visits(id) ON DELETE CASCADE,redirect_destination INTEGER NULL UNIQUE REFERENCES history_visits(id) ON DELETE CASCADE,origin INTEGER NOT NULL DEFAULT 0,generation INTEGER NOT NULL DEFAULT 0,attributes INTEGER NOT NULL DEFAULT 0,score INTEGER NOT NULL DEFAULT 0);
CREATE TABLE history_tombstones (id INTEGER PRIMARY KEY AUTOINCREMENT,start_time REAL NOT NULL,end_time REAL NOT NULL,url TEXT,generation INTEGER NOT NULL DEFAULT 0);
CREATE TABLE metadata (key TEXT NOT NULL UNIQUE, value);
INSERT INTO history_items (id, url, domain_expansion, visit_count, daily_visit_counts, should_recompute_derived_visit_counts, visit_count_score) VALUES
 (1, 'http://example.org/', 'example', 2, X'', 0, 200),
 (2, 'https://www.example.org/', 'example', 1, X'', 0, 100),
 (3, 'https://maps.example.net/?q=station', 'maps.example', 1, X'', 0, 100);
-- 1 -> 2: an http redirect to https; 3: a visit synced from another device (origin 1).
INSERT INTO history_visits (id, history_item, visit_time, title, load_successful, redirect_source, redirect_destination, origin) VALUES
 (1, 1, 708120900.5, NULL, 1, NULL, 2, 0),
 (2, 2, 708120901.0, 'Example Domain', 1, 1, NULL, 0),
 (3, 1, 708121000, 'Example Domain', 1, NULL, NULL, 0),
 (4, 3, 708122000, 'Station - Maps', 0, NULL, NULL, 1);
INSERT INTO history_tombstones (start_time, end_time, url, generation) VALUES (708000000, 708100000, NULL, 3);
