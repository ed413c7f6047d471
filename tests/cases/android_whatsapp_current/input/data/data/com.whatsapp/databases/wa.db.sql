-- wa.db wa_contacts as read by WhatsApp-Chat-Exporter and ALEAPP (columns abridged).
CREATE TABLE wa_contacts (_id INTEGER PRIMARY KEY AUTOINCREMENT, jid TEXT NOT NULL, is_whatsapp_user BOOLEAN NOT NULL,
  status TEXT, status_timestamp INTEGER, number TEXT, raw_contact_id INTEGER, display_name TEXT, phone_type INTEGER,
  phone_label TEXT, unseen_msg_count INTEGER, photo_ts INTEGER, thumb_ts INTEGER, photo_id_timestamp INTEGER,
  given_name TEXT, family_name TEXT, wa_name TEXT, sort_name TEXT, nickname TEXT, company TEXT, title TEXT);
INSERT INTO wa_contacts (_id, jid, is_whatsapp_user, number, raw_contact_id, display_name, given_name, family_name, wa_name) VALUES
  (1, '447700900001@s.whatsapp.net', 1, '07700 900001', 11, 'Alice Adams', 'Alice', 'Adams', 'Ali'),
  (2, '447700900002@s.whatsapp.net', 1, NULL, NULL, NULL, NULL, NULL, 'Bobby'),
  (3, '447700900003@s.whatsapp.net', 1, '+44 7700 900003', 13, 'Carol', 'Carol', NULL, NULL),
  (4, '120363000000000001@g.us', 0, NULL, NULL, 'Book club', NULL, NULL, NULL);
