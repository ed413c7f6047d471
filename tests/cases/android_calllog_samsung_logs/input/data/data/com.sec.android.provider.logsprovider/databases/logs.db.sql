-- Samsung logs.db, logs table as created by LogsProvider's DatabaseHelper.
CREATE TABLE logs (_id INTEGER PRIMARY KEY AUTOINCREMENT,number TEXT,address TEXT,date INTEGER,duration INTEGER,type INTEGER,
  new INTEGER,name TEXT,name_reversed TEXT,numbertype INTEGER,numberlabel TEXT,voicemail_uri TEXT,is_read INTEGER,countryiso TEXT,
  geocoded_location TEXT,lookup_uri TEXT,matched_number TEXT,normalized_number TEXT,photo_id INTEGER NOT NULL DEFAULT 0,
  formatted_number TEXT,messageid TEXT,logtype INTEGER NOT NULL,frequent INTEGER,contactid INTEGER NOT NULL,raw_contact_id INTEGER,
  m_subject TEXT,m_content TEXT,sns_tid TEXT,sns_pkey TEXT,account_name TEXT,account_id TEXT,sns_receiver_count TEXT,sp_type TEXT,
  cnap_name TEXT,cdnip_number TEXT, service_type INTEGER, country_code TEXT,cityid TEXT,_data TEXT,has_content INTEGER,
  mime_type TEXT,source_data TEXT,source_package TEXT,state INTEGER);
INSERT INTO logs (_id, number, date, duration, type, name, logtype, contactid, countryiso) VALUES
  (1, '07700900201', 1700100000000, 95, 1, 'Sam', 100, 0, 'GB'),
  (2, '07700900202', 1700100600000, 30, 2, NULL, 500, 0, 'GB'),
  (3, '07700900203', 1700101200000, 0, 3, NULL, 100, 0, 'GB'),
  (4, '07700900201', 1700101800000, NULL, NULL, NULL, 300, 0, 'GB'),
  (5, '07700900204', 1700102400000, 0, 5, NULL, 1000, 0, 'GB'),
  (6, '07700900205', 1700103000000, 0, 6, NULL, 800, 0, 'GB'),
  (7, '07700900206', 1700103600000, 0, 2, NULL, 100, 0, 'GB');
