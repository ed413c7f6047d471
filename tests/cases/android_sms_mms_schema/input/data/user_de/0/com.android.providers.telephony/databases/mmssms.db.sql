-- mmssms.db written from the AOSP TelephonyProvider schema (MmsSmsDatabaseHelper,
-- columns abridged to those a parser may read) plus Samsung's spam_sms table.
-- The owner's own number is +447700900000.
CREATE TABLE sms (_id INTEGER PRIMARY KEY, thread_id INTEGER, address TEXT, person INTEGER, date INTEGER,
  date_sent INTEGER DEFAULT 0, protocol INTEGER, read INTEGER DEFAULT 0, status INTEGER DEFAULT -1,
  type INTEGER, reply_path_present INTEGER, subject TEXT, body TEXT, service_center TEXT, locked INTEGER DEFAULT 0,
  sub_id INTEGER DEFAULT -1, error_code INTEGER DEFAULT 0, creator TEXT, seen INTEGER DEFAULT 0);
CREATE TABLE spam_sms (_id INTEGER PRIMARY KEY, thread_id INTEGER, address TEXT, date INTEGER, type INTEGER,
  body TEXT, read INTEGER DEFAULT 0);
CREATE TABLE pdu (_id INTEGER PRIMARY KEY AUTOINCREMENT, thread_id INTEGER, date INTEGER, date_sent INTEGER DEFAULT 0,
  msg_box INTEGER, read INTEGER DEFAULT 0, m_id TEXT, sub TEXT, sub_cs INTEGER, ct_t TEXT, ct_l TEXT, exp INTEGER,
  m_cls TEXT, m_type INTEGER, v INTEGER, m_size INTEGER, pri INTEGER, rr INTEGER, rpt_a INTEGER, resp_st INTEGER,
  st INTEGER, tr_id TEXT, retr_st INTEGER, retr_txt TEXT, retr_txt_cs INTEGER, read_status INTEGER, ct_cls INTEGER,
  resp_txt TEXT, d_tm INTEGER, d_rpt INTEGER, locked INTEGER DEFAULT 0, sub_id INTEGER DEFAULT -1, seen INTEGER DEFAULT 0,
  creator TEXT, text_only INTEGER DEFAULT 0);
CREATE TABLE addr (_id INTEGER PRIMARY KEY, msg_id INTEGER, contact_id INTEGER, address TEXT, type INTEGER, charset INTEGER);
CREATE TABLE part (_id INTEGER PRIMARY KEY AUTOINCREMENT, mid INTEGER, seq INTEGER DEFAULT 0, ct TEXT, name TEXT,
  chset INTEGER, cd TEXT, fn TEXT, cid TEXT, cl TEXT, ctt_s INTEGER, ctt_t TEXT, _data TEXT, text TEXT);
CREATE TABLE threads (_id INTEGER PRIMARY KEY AUTOINCREMENT, date INTEGER DEFAULT 0, message_count INTEGER DEFAULT 0,
  recipient_ids TEXT, snippet TEXT, snippet_cs INTEGER DEFAULT 0, read INTEGER DEFAULT 1, archived INTEGER DEFAULT 0,
  type INTEGER DEFAULT 0, error INTEGER DEFAULT 0, has_attachment INTEGER DEFAULT 0);
CREATE TABLE canonical_addresses (_id INTEGER PRIMARY KEY AUTOINCREMENT, address TEXT);

INSERT INTO canonical_addresses VALUES (1,'07700900001'),(2,'+447700900002'),(3,'+447700900003'),(4,'+447700900004'),(5,'+447700900005');
INSERT INTO threads (_id, recipient_ids) VALUES (1,'1'),(2,'2'),(3,'3'),(4,'4 5');

INSERT INTO sms (_id, thread_id, address, date, date_sent, read, type, body) VALUES
  (1, 1, '07700 900001', 1700000000000, 1699999999000, 1, 1, 'hello'),
  (2, 1, '07700900001', 1700000060000, 0, 1, 2, 'reply'),
  (3, 2, '+447700900002', 1700000120000, 0, 1, 3, 'draft text'),
  (4, 2, '+447700900002', 1700000180000, 0, 1, 7, 'maker type');
INSERT INTO sms (_id) VALUES (5);
INSERT INTO spam_sms VALUES (1, 9, '+447700900099', 1700000240000, 1, 'spam body', 0);

-- incoming 1:1 MMS with a SMIL part, a text part and an image part file
INSERT INTO pdu (_id, thread_id, date, date_sent, msg_box, read, sub, m_type) VALUES (1, 3, 1700001000, 1700000990, 1, 1, 'Subject one', 132);
INSERT INTO addr (msg_id, address, type, charset) VALUES (1, '+447700900003', 137, 106), (1, '+447700900000', 151, 106);
INSERT INTO part (mid, seq, ct, cl, _data, text) VALUES
  (1, -1, 'application/smil', 'smil.xml', NULL, '<smil><body/></smil>'),
  (1, 0, 'text/plain', 'text_0.txt', NULL, 'photo attached'),
  (1, 1, 'image/jpeg', 'image.jpg', '/data/user_de/0/com.android.providers.telephony/app_parts/PART_1700001000_image.jpg', NULL);
-- incoming group MMS: the owner is one of two recipients
INSERT INTO pdu (_id, thread_id, date, msg_box, m_type) VALUES (2, 4, 1700002000, 1, 132);
INSERT INTO addr (msg_id, address, type, charset) VALUES (2, '+447700900004', 137, 106), (2, '+447700900000', 151, 106), (2, '+447700900005', 151, 106);
INSERT INTO part (mid, seq, ct, text) VALUES (2, 0, 'text/plain', 'group hi');
-- outgoing group MMS; the sender is the insert-address-token; the image part file is not in the extraction
INSERT INTO pdu (_id, thread_id, date, msg_box, m_type) VALUES (3, 4, 1700003000, 2, 128);
INSERT INTO addr (msg_id, address, type, charset) VALUES (3, 'insert-address-token', 137, 106), (3, '+447700900004', 151, 106), (3, '+447700900005', 130, 106);
INSERT INTO part (mid, seq, ct, cl, _data, text) VALUES
  (3, 0, 'text/plain', 'text_0.txt', NULL, 'outgoing group'),
  (3, 1, 'image/png', 'pic.png', '/data/user_de/0/com.android.providers.telephony/app_parts/PART_missing.png', NULL);
-- a delivery report (m_type 134) for the first MMS
INSERT INTO pdu (_id, thread_id, date, msg_box, m_type) VALUES (4, 3, 1700004000, 1, 134);
INSERT INTO addr (msg_id, address, type, charset) VALUES (4, '+447700900003', 137, 106), (4, '+447700900000', 151, 106);
-- long text kept in a part file rather than in part.text
INSERT INTO pdu (_id, thread_id, date, msg_box, m_type) VALUES (5, 3, 1700005000, 1, 132);
INSERT INTO addr (msg_id, address, type, charset) VALUES (5, '+447700900003', 137, 106), (5, '+447700900000', 151, 106);
INSERT INTO part (mid, seq, ct, cl, _data) VALUES (5, 0, 'text/plain', 'text_0.txt', '/data/user_de/0/com.android.providers.telephony/app_parts/PART_1700005000_text.txt');
