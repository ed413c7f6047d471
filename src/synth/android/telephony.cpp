// Android SMS/MMS: com.android.providers.telephony/databases/mmssms.db,
// its MMS part files (app_parts/PART_*), and telephony.db (siminfo, where
// the phone's own number is recorded).
//
// Schema: the tables, columns, index and triggers of the real emulator
// database in plaso's test data (android-mmssms.db, user_version 57), plus
// the columns later AOSP versions added (sms/pdu sub_id, creator; threads
// archived) — AOSP MmsSmsDatabaseHelper. Real values: addr types 137 from /
// 151 to, "insert-address-token" for the owner's own address in sent MMS,
// m_type 128 send-req / 132 retrieve-conf, SMIL part first (seq -1),
// words FTS rows (table_to_use 1 sms, 2 part), part _data as an absolute
// device path.
//
// Triggers are created after the rows are loaded: several of them stamp
// threads.date with strftime('now'), which would make output depend on the
// clock (the rows they would have computed are written explicitly).
#include <fmt/format.h>

#include <map>

#include "remit/hash.hpp"
#include "synth/android/context.hpp"
#include "synth/jpeg.hpp"
#include "synth/prng.hpp"
#include "synth/sqlite_writer.hpp"

namespace remit::synth::android {

namespace {

constexpr const char* kPkg = "com.android.providers.telephony";
constexpr const char* kSmsc = "+447785016005";

constexpr const char* kSchema = R"SQL(
CREATE TABLE pdu (_id INTEGER PRIMARY KEY AUTOINCREMENT,thread_id INTEGER,date INTEGER,date_sent INTEGER DEFAULT 0,msg_box INTEGER,read INTEGER DEFAULT 0,m_id TEXT,sub TEXT,sub_cs INTEGER,ct_t TEXT,ct_l TEXT,exp INTEGER,m_cls TEXT,m_type INTEGER,v INTEGER,m_size INTEGER,pri INTEGER,rr INTEGER,rpt_a INTEGER,resp_st INTEGER,st INTEGER,tr_id TEXT,retr_st INTEGER,retr_txt TEXT,retr_txt_cs INTEGER,read_status INTEGER,ct_cls INTEGER,resp_txt TEXT,d_tm INTEGER,d_rpt INTEGER,locked INTEGER DEFAULT 0,sub_id INTEGER DEFAULT -1,seen INTEGER DEFAULT 0,creator TEXT,text_only INTEGER DEFAULT 0);
CREATE TABLE addr (_id INTEGER PRIMARY KEY,msg_id INTEGER,contact_id INTEGER,address TEXT,type INTEGER,charset INTEGER);
CREATE TABLE part (_id INTEGER PRIMARY KEY AUTOINCREMENT,mid INTEGER,seq INTEGER DEFAULT 0,ct TEXT,name TEXT,chset INTEGER,cd TEXT,fn TEXT,cid TEXT,cl TEXT,ctt_s INTEGER,ctt_t TEXT,_data TEXT,text TEXT);
CREATE TABLE rate (sent_time INTEGER);
CREATE TABLE drm (_id INTEGER PRIMARY KEY,_data TEXT);
CREATE TABLE sms (_id INTEGER PRIMARY KEY,thread_id INTEGER,address TEXT,person INTEGER,date INTEGER,date_sent INTEGER DEFAULT 0,protocol INTEGER,read INTEGER DEFAULT 0,status INTEGER DEFAULT -1,type INTEGER,reply_path_present INTEGER,subject TEXT,body TEXT,service_center TEXT,locked INTEGER DEFAULT 0,sub_id INTEGER DEFAULT -1,error_code INTEGER DEFAULT 0,creator TEXT,seen INTEGER DEFAULT 0);
CREATE TABLE raw (_id INTEGER PRIMARY KEY,date INTEGER,reference_number INTEGER,count INTEGER,sequence INTEGER,destination_port INTEGER,address TEXT,sub_id INTEGER DEFAULT -1,pdu TEXT,deleted INTEGER DEFAULT 0,message_body TEXT,display_originating_addr TEXT);
CREATE TABLE attachments (sms_id INTEGER,content_url TEXT,offset INTEGER);
CREATE TABLE sr_pending (reference_number INTEGER,action TEXT,data TEXT);
CREATE TABLE canonical_addresses (_id INTEGER PRIMARY KEY AUTOINCREMENT,address TEXT);
CREATE TABLE threads (_id INTEGER PRIMARY KEY AUTOINCREMENT,date INTEGER DEFAULT 0,message_count INTEGER DEFAULT 0,recipient_ids TEXT,snippet TEXT,snippet_cs INTEGER DEFAULT 0,read INTEGER DEFAULT 1,archived INTEGER DEFAULT 0,type INTEGER DEFAULT 0,error INTEGER DEFAULT 0,has_attachment INTEGER DEFAULT 0,attachment_info TEXT,notification INTEGER DEFAULT 0);
CREATE TABLE pending_msgs (_id INTEGER PRIMARY KEY,proto_type INTEGER,msg_id INTEGER,msg_type INTEGER,err_type INTEGER,err_code INTEGER,retry_index INTEGER NOT NULL DEFAULT 0,due_time INTEGER,last_try INTEGER,pending_sub_id INTEGER DEFAULT -1);
CREATE VIRTUAL TABLE words USING FTS3 (_id INTEGER PRIMARY KEY, index_text TEXT, source_id INTEGER, table_to_use INTEGER);
)SQL";

// Triggers and index of the real database (plaso android-mmssms.db), created
// after the rows.
constexpr const char* kTriggers = R"SQL(
CREATE TRIGGER sms_update_thread_on_insert AFTER INSERT ON sms BEGIN  UPDATE threads SET    date = (strftime('%s','now') * 1000),     snippet = new.body,     snippet_cs = 0  WHERE threads._id = new.thread_id;   UPDATE threads SET message_count =      (SELECT COUNT(sms._id) FROM sms LEFT JOIN threads       ON threads._id = thread_id      WHERE thread_id = new.thread_id        AND sms.type != 3) +      (SELECT COUNT(pdu._id) FROM pdu LEFT JOIN threads       ON threads._id = thread_id      WHERE thread_id = new.thread_id        AND (m_type=132 OR m_type=130 OR m_type=128)        AND msg_box != 3)   WHERE threads._id = new.thread_id;   UPDATE threads SET read =     CASE (SELECT COUNT(*)          FROM sms          WHERE read = 0            AND thread_id = threads._id)      WHEN 0 THEN 1      ELSE 0    END  WHERE threads._id = new.thread_id; END;
CREATE TRIGGER sms_update_thread_date_subject_on_update AFTER  UPDATE OF date, body, type  ON sms BEGIN  UPDATE threads SET    date = (strftime('%s','now') * 1000),     snippet = new.body,     snippet_cs = 0  WHERE threads._id = new.thread_id;   UPDATE threads SET message_count =      (SELECT COUNT(sms._id) FROM sms LEFT JOIN threads       ON threads._id = thread_id      WHERE thread_id = new.thread_id        AND sms.type != 3) +      (SELECT COUNT(pdu._id) FROM pdu LEFT JOIN threads       ON threads._id = thread_id      WHERE thread_id = new.thread_id        AND (m_type=132 OR m_type=130 OR m_type=128)        AND msg_box != 3)   WHERE threads._id = new.thread_id;   UPDATE threads SET read =     CASE (SELECT COUNT(*)          FROM sms          WHERE read = 0            AND thread_id = threads._id)      WHEN 0 THEN 1      ELSE 0    END  WHERE threads._id = new.thread_id; END;
CREATE TRIGGER sms_update_thread_read_on_update AFTER  UPDATE OF read  ON sms BEGIN   UPDATE threads SET read =     CASE (SELECT COUNT(*)          FROM sms          WHERE read = 0            AND thread_id = threads._id)      WHEN 0 THEN 1      ELSE 0    END  WHERE threads._id = new.thread_id; END;
CREATE TRIGGER update_threads_error_on_update_mms   AFTER UPDATE OF err_type ON pending_msgs   WHEN (OLD.err_type < 10 AND NEW.err_type >= 10)    OR (OLD.err_type >= 10 AND NEW.err_type < 10) BEGIN  UPDATE threads SET error =     CASE      WHEN NEW.err_type >= 10 THEN error + 1      ELSE error - 1    END   WHERE _id =   (SELECT DISTINCT thread_id    FROM pdu    WHERE _id = NEW.msg_id); END;
CREATE TRIGGER update_threads_error_on_update_sms   AFTER UPDATE OF type ON sms  WHEN (OLD.type != 5 AND NEW.type = 5)    OR (OLD.type = 5 AND NEW.type != 5) BEGIN   UPDATE threads SET error =     CASE      WHEN NEW.type = 5 THEN error + 1      ELSE error - 1    END   WHERE _id = NEW.thread_id; END;
CREATE TRIGGER part_cleanup DELETE ON pdu BEGIN   DELETE FROM part  WHERE mid=old._id;END;
CREATE TRIGGER addr_cleanup DELETE ON pdu BEGIN   DELETE FROM addr  WHERE msg_id=old._id;END;
CREATE TRIGGER cleanup_delivery_and_read_report AFTER DELETE ON pdu WHEN old.m_type=128 BEGIN   DELETE FROM pdu  WHERE (m_type=134    OR m_type=136)    AND m_id=old.m_id; END;
CREATE TRIGGER update_threads_on_insert_part  AFTER INSERT ON part  WHEN new.ct != 'text/plain' AND new.ct != 'application/smil'  BEGIN   UPDATE threads SET has_attachment=1 WHERE _id IN    (SELECT pdu.thread_id FROM part JOIN pdu ON pdu._id=part.mid      WHERE part._id=new._id LIMIT 1);  END;
CREATE TRIGGER update_threads_on_update_part  AFTER UPDATE of mid ON part  WHEN new.ct != 'text/plain' AND new.ct != 'application/smil'  BEGIN   UPDATE threads SET has_attachment=1 WHERE _id IN    (SELECT pdu.thread_id FROM part JOIN pdu      WHERE part.ct != 'text/plain' AND part.ct != 'application/smil'      AND part.mid = pdu._id); END;
CREATE TRIGGER update_threads_on_delete_part  AFTER DELETE ON part  WHEN old.ct != 'text/plain' AND old.ct != 'application/smil'  BEGIN   UPDATE threads SET has_attachment =    CASE     (SELECT COUNT(*) FROM part JOIN pdu      WHERE pdu.thread_id = threads._id      AND part.ct != 'text/plain' AND part.ct != 'application/smil'      AND part.mid = pdu._id)   WHEN 0 THEN 0    ELSE 1    END;  END;
CREATE TRIGGER update_threads_on_update_pdu  AFTER UPDATE of thread_id ON pdu  BEGIN   UPDATE threads SET has_attachment=1 WHERE _id IN    (SELECT pdu.thread_id FROM part JOIN pdu      WHERE part.ct != 'text/plain' AND part.ct != 'application/smil'      AND part.mid = pdu._id); END;
CREATE TRIGGER delete_mms_pending_on_delete AFTER DELETE ON pdu BEGIN   DELETE FROM pending_msgs  WHERE msg_id=old._id; END;
CREATE TRIGGER delete_mms_pending_on_update AFTER UPDATE ON pdu WHEN old.msg_box=4  AND new.msg_box!=4 BEGIN   DELETE FROM pending_msgs  WHERE msg_id=new._id; END;
CREATE TRIGGER insert_mms_pending_on_insert AFTER INSERT ON pdu WHEN new.m_type=130  OR new.m_type=135 BEGIN   INSERT INTO pending_msgs    (proto_type,     msg_id,     msg_type,     err_type,     err_code,     retry_index,     due_time)   VALUES     (1,      new._id,      new.m_type,0,0,0,0);END;
CREATE TRIGGER insert_mms_pending_on_update AFTER UPDATE ON pdu WHEN new.m_type=128  AND new.msg_box=4  AND old.msg_box!=4 BEGIN   INSERT INTO pending_msgs    (proto_type,     msg_id,     msg_type,     err_type,     err_code,     retry_index,     due_time)   VALUES     (1,      new._id,      new.m_type,0,0,0,0);END;
CREATE TRIGGER mms_words_update AFTER UPDATE ON part BEGIN UPDATE words  SET index_text = NEW.text WHERE (source_id=NEW._id AND table_to_use=2);  END;
CREATE TRIGGER mms_words_delete AFTER DELETE ON part BEGIN DELETE FROM  words WHERE source_id = OLD._id AND table_to_use = 2; END;
CREATE TRIGGER pdu_update_thread_date_subject_on_update AFTER  UPDATE OF date, sub, msg_box  ON pdu   WHEN new.m_type=132    OR new.m_type=130    OR new.m_type=128 BEGIN  UPDATE threads SET    date = (strftime('%s','now') * 1000),     snippet = new.sub,     snippet_cs = new.sub_cs  WHERE threads._id = new.thread_id;   UPDATE threads SET message_count =      (SELECT COUNT(sms._id) FROM sms LEFT JOIN threads       ON threads._id = thread_id      WHERE thread_id = new.thread_id        AND sms.type != 3) +      (SELECT COUNT(pdu._id) FROM pdu LEFT JOIN threads       ON threads._id = thread_id      WHERE thread_id = new.thread_id        AND (m_type=132 OR m_type=130 OR m_type=128)        AND msg_box != 3)   WHERE threads._id = new.thread_id;   UPDATE threads SET read =     CASE (SELECT COUNT(*)          FROM pdu          WHERE read = 0            AND thread_id = threads._id             AND (m_type=132 OR m_type=130 OR m_type=128))       WHEN 0 THEN 1      ELSE 0    END  WHERE threads._id = new.thread_id; END;
CREATE TRIGGER pdu_update_thread_on_insert AFTER INSERT ON pdu   WHEN new.m_type=132    OR new.m_type=130    OR new.m_type=128 BEGIN  UPDATE threads SET    date = (strftime('%s','now') * 1000),     snippet = new.sub,     snippet_cs = new.sub_cs  WHERE threads._id = new.thread_id;   UPDATE threads SET message_count =      (SELECT COUNT(sms._id) FROM sms LEFT JOIN threads       ON threads._id = thread_id      WHERE thread_id = new.thread_id        AND sms.type != 3) +      (SELECT COUNT(pdu._id) FROM pdu LEFT JOIN threads       ON threads._id = thread_id      WHERE thread_id = new.thread_id        AND (m_type=132 OR m_type=130 OR m_type=128)        AND msg_box != 3)   WHERE threads._id = new.thread_id;   UPDATE threads SET read =     CASE (SELECT COUNT(*)          FROM pdu          WHERE read = 0            AND thread_id = threads._id             AND (m_type=132 OR m_type=130 OR m_type=128))       WHEN 0 THEN 1      ELSE 0    END  WHERE threads._id = new.thread_id; END;
CREATE TRIGGER sms_words_update AFTER UPDATE ON sms BEGIN UPDATE words  SET index_text = NEW.body WHERE (source_id=NEW._id AND table_to_use=1);  END;
CREATE TRIGGER sms_words_delete AFTER DELETE ON sms BEGIN DELETE FROM   words WHERE source_id = OLD._id AND table_to_use = 1; END;
CREATE INDEX typeThreadIdIndex ON sms (type, thread_id);
CREATE INDEX partMidIndex ON part (mid);
CREATE INDEX addrMsgIdIndex ON addr (msg_id);
CREATE INDEX threadIdIndex ON pdu (thread_id);
)SQL";

struct Thread {
  int64_t id = 0;
  int64_t date = 0;
  int64_t count = 0;
  std::string snippet;
  bool attachment = false;
};

std::string part_name(const Clock& clock, int64_t t_ms) {
  const auto l = clock.local(t_ms);
  return fmt::format("IMG_{:04d}{:02d}{:02d}_{:02d}{:02d}{:02d}.jpg", l.year, l.month, l.day, l.hour, l.minute,
                     l.second);
}

std::string smil_for(const std::string& img_cl, bool has_text) {
  std::string s =
      "<smil><head><layout><root-layout width=\"320px\" height=\"480px\"/>"
      "<region id=\"Image\" left=\"0\" top=\"0\" width=\"320px\" "
      "height=\"320px\" fit=\"meet\"/>"
      "<region id=\"Text\" left=\"0\" top=\"320\" width=\"320px\" "
      "height=\"160px\" fit=\"meet\"/></layout></head>"
      "<body><par dur=\"5000ms\"><img src=\"" +
      img_cl + "\" region=\"Image\"/>";
  if (has_text) s += "<text src=\"text_0.txt\" region=\"Text\"/>";
  s += "</par></body></smil>";
  return s;
}

}  // namespace

Status write_telephony(Context& c) {
  c.stage("SMS and MMS (mmssms.db)");
  const Story& story = c.story;
  const Person& me = story.owner();
  const std::string dir = c.app_dir(kPkg, /*device_encrypted=*/true);
  const std::string db_path = dir + "/databases/mmssms.db";
  const Owner own = Context::owner_of(kPkg);
  const std::filesystem::path scratch = c.scratch("mmssms.db");
  auto db = SqlDb::create(scratch, derive_seed(story.seed(), "mmssms.db"), DbOptions{4096, 67, true, "en_GB"});
  if (!db) return db.error();
  if (auto st = db->exec(kSchema); !st) return st;
  if (auto st = db->begin(); !st) return st;

  auto ins_sms = db->prepare(
      "INSERT INTO sms "
      "(thread_id,address,person,date,date_sent,protocol,read,"
      "status,type,reply_path_present,subject,body,"
      "service_center,locked,sub_id,error_code,creator,seen) "
      "VALUES (?,?,NULL,?,?,?,?,-1,?,?,NULL,?,?,0,1,0,?,1)");
  auto ins_pdu = db->prepare(
      "INSERT INTO pdu "
      "(thread_id,date,date_sent,msg_box,read,m_id,sub,sub_cs,ct_t,"
      "ct_l,exp,m_cls,m_type,v,m_size,pri,rr,"
      "rpt_a,resp_st,st,tr_id,d_rpt,locked,sub_id,seen,creator,"
      "text_only) VALUES "
      "(?,?,?,?,1,?,NULL,NULL,'application/"
      "vnd.wap.multipart.related',?,?,'personal',?,18,?,129,129,"
      "NULL,?,NULL,?,129,0,1,1,?,?)");
  auto ins_part = db->prepare(
      "INSERT INTO part "
      "(mid,seq,ct,name,chset,cd,fn,cid,cl,ctt_s,ctt_t,_data,text) "
      "VALUES (?,?,?,?,?,NULL,NULL,?,?,NULL,NULL,?,?)");
  auto ins_addr = db->prepare(
      "INSERT INTO addr (msg_id,contact_id,address,type,charset) "
      "VALUES (?,NULL,?,?,106)");
  auto ins_words = db->prepare(
      "INSERT INTO words (_id,index_text,source_id,table_to_use) "
      "VALUES (?,?,?,?)");
  auto ins_canon = db->prepare("INSERT INTO canonical_addresses (address) VALUES (?)");
  auto ins_thread = db->prepare(
      "INSERT INTO threads "
      "(date,message_count,recipient_ids,snippet,snippet_cs,read,"
      "type) VALUES (0,0,?,NULL,0,1,?)");
  for (auto* s : {&ins_sms, &ins_pdu, &ins_part, &ins_addr, &ins_words, &ins_canon, &ins_thread})
    if (!*s) return s->error();

  std::map<std::string, int64_t> canon;  // address -> canonical id
  std::map<int64_t, Thread> threads;     // key -> thread (key: person id, or -(group+1))
  auto canon_id = [&](const std::string& addr) -> Result<int64_t> {
    auto it = canon.find(addr);
    if (it != canon.end()) return it->second;
    auto id = ins_canon->run(addr);
    if (!id) return id.error();
    canon.emplace(addr, *id);
    return *id;
  };
  auto thread_for = [&](const Event& e) -> Result<Thread*> {
    const int64_t key = e.group >= 0 ? -static_cast<int64_t>(e.group) - 1 : static_cast<int64_t>(e.person);
    auto it = threads.find(key);
    if (it != threads.end()) return &it->second;
    std::string recipients;
    if (e.group >= 0) {
      for (uint32_t m : story.groups()[static_cast<size_t>(e.group)].members) {
        auto id = canon_id(story.person(m).phone.e164);
        if (!id) return id.error();
        recipients += (recipients.empty() ? "" : " ") + std::to_string(*id);
      }
    } else {
      const Person& p = story.person(e.person);
      auto id = canon_id(p.phone.empty() ? p.sender_id : p.phone.e164);
      if (!id) return id.error();
      recipients = std::to_string(*id);
    }
    auto tid = ins_thread->run(recipients, e.group >= 0 ? 1 : 0);
    if (!tid) return tid.error();
    Thread t;
    t.id = *tid;
    return &threads.emplace(key, t).first->second;
  };

  Rng r = Rng::derive(story.seed(), "telephony");
  int64_t sms_rows = 0, pdu_rows = 0;
  for (DayNumber day = story.first_day(); day <= story.last_day(); ++day) {
    if (c.cancelled()) return make_error(Errc::refused, "interrupted");
    if (c.v.wal && day == story.last_day() - 1) {
      // Variant `wal`: the last day's rows live only in mmssms.db-wal.
      if (auto st = db->commit(); !st) return st;
      if (auto st = db->start_wal_tail(); !st) return st;
      if (auto st = db->begin(); !st) return st;
    }
    for (const Event& e : story.events_for_day(day)) {
      if (e.channel != Channel::sms && e.channel != Channel::mms) continue;
      auto th = thread_for(e);
      if (!th) return th.error();
      Thread& t = **th;
      const Group* g = e.group >= 0 ? &story.groups()[static_cast<size_t>(e.group)] : nullptr;
      const Person& p = story.person(e.person);
      Item it;
      it.category = Category::message;
      it.direction = e.outgoing ? Direction::outgoing : Direction::incoming;
      it.body = e.body;
      it.thread_id = std::to_string(t.id);
      it.group = g != nullptr;
      if (e.channel == Channel::sms) {
        // Incoming: the network's form (+44..., or the sender's alphanumeric
        // id). Outgoing: as saved in the address book.
        std::string address;
        if (!p.sender_id.empty() && !e.outgoing)
          address = p.sender_id;
        else if (e.outgoing)
          address = p.in_contacts ? p.phone.national : p.phone.e164;
        else
          address = p.phone.e164;
        const int type = sms_box_type(e, p);
        const int64_t sent = e.outgoing ? 0 : (e.sent_ms / 1000) * 1000;
        const int read = e.outgoing ? 1 : (day + 2 >= story.last_day() && r.chance(0.5) ? 0 : 1);
        auto id =
            ins_sms->run(t.id, address, e.time_ms, sent, e.outgoing ? std::optional<int>() : std::optional<int>(0),
                         read, type, e.outgoing ? std::optional<int>() : std::optional<int>(0), e.body,
                         e.outgoing ? std::optional<std::string>() : std::optional<std::string>(kSmsc),
                         e.outgoing ? std::optional<std::string>("com.google.android.apps.messaging")
                                    : std::optional<std::string>());
        if (!id) return id.error();
        ++sms_rows;
        if (auto w = ins_words->run(*id, e.body, *id, 1); !w) return w.error();
        it.service = "sms";
        it.time = TruthWriter::time(e.time_ms, TimeUnit::unix_ms);
        if (sent != 0) it.other_times.push_back({"sent", TruthWriter::time(sent, TimeUnit::unix_ms)});
        it.parties.push_back(c.truth.party(address, e.outgoing ? PartyRole::to : PartyRole::from));
        it.provenance = TruthWriter::prov(db_path, "sms", fmt::format("_id={}", *id), "android.sms");
        if (type != 3) ++t.count;
      } else {
        // MMS: pdu + addr + parts (SMIL, image file, text).
        const int64_t date_s = e.time_ms / 1000;
        const int64_t sent_s = e.outgoing ? 0 : e.sent_ms / 1000;
        const std::string mid = r.hex(12, false) + "@mms.example.net";
        std::string img, cl, data_abs, data_path;
        if (e.picture) {
          auto jpg = encode_jpeg(e.picture->width, e.picture->height, e.picture->seed, 75);
          if (!jpg) return jpg.error();
          img = std::move(*jpg);
          cl = part_name(story.clock(), e.time_ms);
          const std::string fname = fmt::format("PART_{}_{}", e.time_ms + 311, cl);
          data_path = dir + "/app_parts/" + fname;
          data_abs = "/" + data_path;
        }
        const int64_t size = static_cast<int64_t>(img.size() + e.body.size() + 600);
        auto id = ins_pdu->run(
            t.id, date_s, sent_s, e.outgoing ? 2 : 1, mid,
            e.outgoing ? std::optional<std::string>()
                       : std::optional<std::string>("http://mms.example.net/" + r.hex(8, false)),
            e.outgoing ? std::optional<int64_t>() : std::optional<int64_t>(604800), e.outgoing ? 128 : 132, size,
            e.outgoing ? std::optional<int>(128) : std::optional<int>(), "T" + r.hex(10, false),
            e.outgoing ? std::optional<std::string>("com.google.android.apps.messaging") : std::optional<std::string>(),
            e.picture ? 0 : 1);
        if (!id) return id.error();
        ++pdu_rows;
        const int64_t pdu_id = *id;
        // Addresses.
        std::vector<std::pair<std::string, int>> addrs;
        if (e.outgoing) {
          addrs.push_back({"insert-address-token", 137});
          if (g) {
            for (uint32_t m : g->members) addrs.push_back({story.person(m).phone.e164, 151});
          } else {
            addrs.push_back({p.in_contacts ? p.phone.national : p.phone.e164, 151});
          }
        } else {
          addrs.push_back({p.phone.e164, 137});
          addrs.push_back({me.phone.e164, 151});
          if (g)
            for (uint32_t m : g->members)
              if (m != e.person) addrs.push_back({story.person(m).phone.e164, 151});
        }
        for (const auto& [a, type] : addrs)
          if (auto x = ins_addr->run(pdu_id, a, type); !x) return x.error();
        // Parts.
        if (e.picture) {
          if (auto x = ins_part->run(pdu_id, -1, "application/smil", "smil.xml", std::optional<int>(), "<smil>",
                                     "smil.xml", std::optional<std::string>(), smil_for(cl, !e.body.empty()));
              !x)
            return x.error();
          if (auto x = ins_part->run(pdu_id, 0, "image/jpeg", cl, std::optional<int>(), "<" + cl + ">", cl, data_abs,
                                     std::optional<std::string>());
              !x)
            return x.error();
          if (auto st = c.dirs_for(data_path, own); !st) return st;
          if (auto st = c.out.add_bytes(
                  FileMeta{data_path, 0660, own.uid, own.gid, own.name, own.name, e.time_ms / 1000}, img);
              !st)
            return st;
          FileRef f;
          f.path = data_path;
          f.name = cl;
          f.mime = "image/jpeg";
          f.size = img.size();
          f.sha256 = sha256_hex(img);
          it.attachments.push_back(std::move(f));
        }
        if (!e.body.empty()) {
          auto pid = ins_part->run(pdu_id, 0, "text/plain", std::optional<std::string>(), 106, "<text_0>", "text_0.txt",
                                   std::optional<std::string>(), e.body);
          if (!pid) return pid.error();
          if (auto w = ins_words->run((int64_t{2} << 32) + *pid, e.body, *pid, 2); !w) return w.error();
        }
        it.service = "mms";
        it.time = TruthWriter::time(date_s, TimeUnit::unix_s);
        if (sent_s != 0) it.other_times.push_back({"sent", TruthWriter::time(sent_s, TimeUnit::unix_s)});
        if (e.outgoing) {
          for (size_t i = 1; i < addrs.size(); ++i) it.parties.push_back(c.truth.party(addrs[i].first, PartyRole::to));
        } else {
          it.parties.push_back(c.truth.party(addrs[0].first, PartyRole::from));
          for (size_t i = 2; i < addrs.size(); ++i)
            it.parties.push_back(c.truth.party(addrs[i].first, PartyRole::participant));
        }
        it.provenance = TruthWriter::prov(db_path, "pdu", fmt::format("_id={}", pdu_id), "android.sms");
        ++t.count;
        t.attachment = t.attachment || e.picture.has_value();
      }
      t.date = e.time_ms;
      t.snippet = e.body;
      if (auto st = c.truth.add(std::move(it), e.in_scope); !st) return st;
    }
  }
  // Thread summaries (what the triggers would have kept up to date).
  {
    auto upd = db->prepare(
        "UPDATE threads SET date=?, message_count=?, "
        "snippet=?, has_attachment=? WHERE _id=?");
    if (!upd) return upd.error();
    for (const auto& [key, t] : threads)
      if (auto x = upd->run(t.date, t.count, t.snippet, t.attachment ? 1 : 0, t.id); !x) return x.error();
  }
  if (auto st = db->commit(); !st) return st;
  if (auto st = db->exec(kTriggers); !st) return st;
  ins_sms = SqlStmt();
  ins_pdu = SqlStmt();
  ins_part = SqlStmt();
  ins_addr = SqlStmt();
  ins_words = SqlStmt();
  ins_canon = SqlStmt();
  ins_thread = SqlStmt();
  if (auto st = db->close(); !st) return st;
  if (auto st = c.add_db(db_path, scratch, own); !st) return st;

  // telephony.db: SIM information, including the phone's own number.
  {
    const std::filesystem::path tscratch = c.scratch("telephony.db");
    auto tdb =
        SqlDb::create(tscratch, derive_seed(story.seed(), "telephony.db"), DbOptions{4096, 4784128, true, "en_GB"});
    if (!tdb) return tdb.error();
    if (auto st = tdb->exec("CREATE TABLE siminfo(_id INTEGER PRIMARY KEY AUTOINCREMENT,icc_id "
                            "TEXT NOT NULL,sim_id INTEGER DEFAULT -1,"
                            "display_name TEXT,carrier_name TEXT,name_source INTEGER DEFAULT "
                            "0,color INTEGER DEFAULT 0,number TEXT,"
                            "display_number_format INTEGER NOT NULL DEFAULT 1,data_roaming "
                            "INTEGER DEFAULT 0,mcc INTEGER DEFAULT 0,"
                            "mnc INTEGER DEFAULT 0,mcc_string TEXT,mnc_string TEXT,card_id "
                            "TEXT NOT NULL,is_embedded INTEGER DEFAULT 0,"
                            "subscription_type INTEGER DEFAULT 0,enabled_mobile_data_policies "
                            "TEXT DEFAULT '');"
                            "CREATE TABLE carriers(_id INTEGER PRIMARY KEY,name TEXT DEFAULT "
                            "'',numeric TEXT DEFAULT '',mcc TEXT DEFAULT '',"
                            "mnc TEXT DEFAULT '',apn TEXT DEFAULT '',type TEXT DEFAULT '');");
        !st)
      return st;
    const std::string iccid =
        "8944" + std::to_string(1000000000000000ULL + Rng::derive(story.seed(), "iccid").below(8999999999999999ULL));
    if (auto st = tdb->exec(fmt::format("INSERT INTO "
                                        "siminfo(icc_id,sim_id,display_name,carrier_name,name_source,color,"
                                        "number,mcc,mnc,mcc_string,"
                                        "mnc_string,card_id) VALUES ({},0,'Vodafone UK','Vodafone "
                                        "UK',0,-16746133,{},234,15,'234','15',{});"
                                        "INSERT INTO carriers(_id,name,numeric,mcc,mnc,apn,type) VALUES "
                                        "(1,'Vodafone "
                                        "UK','23415','234','15','pp.vodafone.co.uk','default,supl');",
                                        sql_quote(iccid), sql_quote(me.phone.e164), sql_quote(iccid)));
        !st)
      return st;
    if (auto st = tdb->close(); !st) return st;
    if (auto st = c.add_db(dir + "/databases/telephony.db", tscratch, own); !st) return st;
  }
  (void)sms_rows;
  (void)pdu_rows;
  return {};
}

}  // namespace remit::synth::android
