// Android contacts: com.android.providers.contacts/databases/contacts2.db.
//
// References: AOSP ContactsDatabaseHelper (raw_contacts, contacts, data,
// mimetypes, accounts, name_lookup, phone_lookup, PHONEBOOK collations);
// the real table list and column lists of plaso's android-contacts2.db;
// ContactsContract.CommonDataKinds (Phone.TYPE 1 home, 2 mobile, 3 work;
// Email.TYPE 1 home, 2 work, 3 other); data4 of phone rows holds the
// E.164-normalised number. WhatsApp adds its own raw contacts
// (account_type com.whatsapp, mimetype vnd.android.cursor.item/
// vnd.com.whatsapp.profile) aggregated into the same contact.
//
// One item per person = per `contacts` row; its time is the contact's
// contact_last_updated_timestamp (docs/synth.md).
#include <fmt/format.h>

#include "synth/android/calls.hpp"
#include "synth/android/context.hpp"
#include "synth/prng.hpp"
#include "synth/sqlite_writer.hpp"

namespace remit::synth::android {

namespace {

constexpr const char* kPkg = "com.android.providers.contacts";

constexpr const char* kSchema = R"SQL(
CREATE TABLE _sync_state (_id INTEGER PRIMARY KEY,account_name TEXT NOT NULL,account_type TEXT NOT NULL,data TEXT,UNIQUE(account_name, account_type));
CREATE TABLE _sync_state_metadata (version INTEGER);
CREATE TABLE properties (property_key TEXT PRIMARY KEY, property_value TEXT );
CREATE TABLE accounts (_id INTEGER PRIMARY KEY AUTOINCREMENT,account_name TEXT, account_type TEXT, data_set TEXT);
CREATE TABLE contacts (_id INTEGER PRIMARY KEY AUTOINCREMENT,name_raw_contact_id INTEGER REFERENCES raw_contacts(_id),photo_id INTEGER REFERENCES data(_id),photo_file_id INTEGER REFERENCES photo_files(_id),custom_ringtone TEXT,send_to_voicemail INTEGER NOT NULL DEFAULT 0,times_contacted INTEGER NOT NULL DEFAULT 0,last_time_contacted INTEGER,starred INTEGER NOT NULL DEFAULT 0,pinned INTEGER NOT NULL DEFAULT 0,has_phone_number INTEGER NOT NULL DEFAULT 0,lookup TEXT,status_update_id INTEGER REFERENCES data(_id),contact_last_updated_timestamp INTEGER);
CREATE TABLE deleted_contacts (contact_id INTEGER PRIMARY KEY,contact_deleted_timestamp INTEGER NOT NULL default 0);
CREATE TABLE raw_contacts (_id INTEGER PRIMARY KEY AUTOINCREMENT,account_id INTEGER REFERENCES accounts(_id),sourceid TEXT,backup_id TEXT,raw_contact_is_read_only INTEGER NOT NULL DEFAULT 0,version INTEGER NOT NULL DEFAULT 1,dirty INTEGER NOT NULL DEFAULT 0,deleted INTEGER NOT NULL DEFAULT 0,metadata_dirty INTEGER NOT NULL DEFAULT 0,contact_id INTEGER REFERENCES contacts(_id),aggregation_mode INTEGER NOT NULL DEFAULT 0,aggregation_needed INTEGER NOT NULL DEFAULT 1,custom_ringtone TEXT,send_to_voicemail INTEGER NOT NULL DEFAULT 0,times_contacted INTEGER NOT NULL DEFAULT 0,last_time_contacted INTEGER,starred INTEGER NOT NULL DEFAULT 0,pinned INTEGER NOT NULL DEFAULT 0,display_name TEXT,display_name_alt TEXT,display_name_source INTEGER NOT NULL DEFAULT 0,phonetic_name TEXT,phonetic_name_style TEXT,sort_key TEXT COLLATE PHONEBOOK,phonebook_label TEXT,phonebook_bucket INTEGER,sort_key_alt TEXT COLLATE PHONEBOOK,phonebook_label_alt TEXT,phonebook_bucket_alt INTEGER,name_verified INTEGER NOT NULL DEFAULT 0,sync1 TEXT, sync2 TEXT, sync3 TEXT, sync4 TEXT );
CREATE TABLE stream_items (_id INTEGER PRIMARY KEY AUTOINCREMENT, raw_contact_id INTEGER NOT NULL, res_package TEXT, icon TEXT, label TEXT, text TEXT, timestamp INTEGER NOT NULL, comments TEXT, stream_item_sync1 TEXT, stream_item_sync2 TEXT, stream_item_sync3 TEXT, stream_item_sync4 TEXT, FOREIGN KEY(raw_contact_id) REFERENCES raw_contacts(_id));
CREATE TABLE photo_files (_id INTEGER PRIMARY KEY AUTOINCREMENT, height INTEGER NOT NULL, width INTEGER NOT NULL, filesize INTEGER NOT NULL);
CREATE TABLE packages (_id INTEGER PRIMARY KEY AUTOINCREMENT,package TEXT NOT NULL);
CREATE TABLE mimetypes (_id INTEGER PRIMARY KEY AUTOINCREMENT,mimetype TEXT NOT NULL);
CREATE TABLE data (_id INTEGER PRIMARY KEY AUTOINCREMENT,package_id INTEGER REFERENCES package(_id),mimetype_id INTEGER REFERENCES mimetype(_id) NOT NULL,raw_contact_id INTEGER REFERENCES raw_contacts(_id) NOT NULL,hash_id TEXT,is_read_only INTEGER NOT NULL DEFAULT 0,is_primary INTEGER NOT NULL DEFAULT 0,is_super_primary INTEGER NOT NULL DEFAULT 0,data_version INTEGER NOT NULL DEFAULT 0,data1 TEXT,data2 TEXT,data3 TEXT,data4 TEXT,data5 TEXT,data6 TEXT,data7 TEXT,data8 TEXT,data9 TEXT,data10 TEXT,data11 TEXT,data12 TEXT,data13 TEXT,data14 TEXT,data15 TEXT,data_sync1 TEXT, data_sync2 TEXT, data_sync3 TEXT, data_sync4 TEXT, carrier_presence INTEGER NOT NULL DEFAULT 0, preferred_phone_account_component_name TEXT, preferred_phone_account_id TEXT);
CREATE TABLE phone_lookup (data_id INTEGER REFERENCES data(_id) NOT NULL,raw_contact_id INTEGER REFERENCES raw_contacts(_id) NOT NULL,normalized_number TEXT NOT NULL,min_match TEXT NOT NULL);
CREATE TABLE name_lookup (data_id INTEGER REFERENCES data(_id) NOT NULL,raw_contact_id INTEGER REFERENCES raw_contacts(_id) NOT NULL,normalized_name TEXT NOT NULL,name_type INTEGER NOT NULL,PRIMARY KEY (data_id, normalized_name, name_type));
CREATE TABLE nickname_lookup (name TEXT,cluster TEXT);
CREATE TABLE groups (_id INTEGER PRIMARY KEY AUTOINCREMENT,package_id INTEGER REFERENCES package(_id),account_id INTEGER REFERENCES accounts(_id),sourceid TEXT,version INTEGER NOT NULL DEFAULT 1,dirty INTEGER NOT NULL DEFAULT 0,title TEXT,title_res INTEGER,notes TEXT,system_id TEXT,deleted INTEGER NOT NULL DEFAULT 0,group_visible INTEGER NOT NULL DEFAULT 0,should_sync INTEGER NOT NULL DEFAULT 1,auto_add INTEGER NOT NULL DEFAULT 0,favorites INTEGER NOT NULL DEFAULT 0,group_is_read_only INTEGER NOT NULL DEFAULT 0,sync1 TEXT, sync2 TEXT, sync3 TEXT, sync4 TEXT );
CREATE TABLE agg_exceptions (_id INTEGER PRIMARY KEY AUTOINCREMENT,type INTEGER NOT NULL, raw_contact_id1 INTEGER REFERENCES raw_contacts(_id), raw_contact_id2 INTEGER REFERENCES raw_contacts(_id));
CREATE TABLE settings (account_name STRING NOT NULL,account_type STRING NOT NULL,data_set STRING,ungrouped_visible INTEGER NOT NULL DEFAULT 0,should_sync INTEGER NOT NULL DEFAULT 1);
CREATE TABLE visible_contacts (_id INTEGER PRIMARY KEY);
CREATE TABLE default_directory (_id INTEGER PRIMARY KEY);
CREATE TABLE data_usage_stat(stat_id INTEGER PRIMARY KEY AUTOINCREMENT, data_id INTEGER NOT NULL, usage_type INTEGER NOT NULL DEFAULT 0, times_used INTEGER NOT NULL DEFAULT 0, last_time_used INTERGER NOT NULL DEFAULT 0, raw_times_used INTEGER NOT NULL DEFAULT 0, raw_last_time_used INTEGER NOT NULL DEFAULT 0, FOREIGN KEY(data_id) REFERENCES data(_id));
CREATE TABLE directories(_id INTEGER PRIMARY KEY AUTOINCREMENT,packageName TEXT NOT NULL,authority TEXT NOT NULL,typeResourceId INTEGER,typeResourceName TEXT,accountType TEXT,accountName TEXT,displayName TEXT, exportSupport INTEGER NOT NULL DEFAULT 0,shortcutSupport INTEGER NOT NULL DEFAULT 0,photoSupport INTEGER NOT NULL DEFAULT 0);
CREATE VIRTUAL TABLE search_index USING FTS4 (contact_id INTEGER REFERENCES contacts(_id) NOT NULL,content TEXT, name TEXT, tokens TEXT);
)SQL";

constexpr const char* kIndexes = R"SQL(
CREATE INDEX contacts_has_phone_index ON contacts (has_phone_number);
CREATE INDEX contacts_name_raw_contact_id_index ON contacts (name_raw_contact_id);
CREATE INDEX contacts_contact_last_updated_timestamp_index ON contacts(contact_last_updated_timestamp);
CREATE INDEX raw_contacts_contact_id_index ON raw_contacts (contact_id);
CREATE INDEX raw_contact_sort_key1_index ON raw_contacts (sort_key);
CREATE INDEX raw_contact_sort_key2_index ON raw_contacts (sort_key_alt);
CREATE INDEX raw_contacts_source_id_account_id_index ON raw_contacts (sourceid, account_id);
CREATE UNIQUE INDEX mime_type ON mimetypes (mimetype);
CREATE INDEX data_raw_contact_id ON data (raw_contact_id);
CREATE INDEX data_mimetype_data1_index ON data (mimetype_id,data1);
CREATE INDEX phone_lookup_index ON phone_lookup (normalized_number,raw_contact_id,data_id);
CREATE INDEX phone_lookup_min_match_index ON phone_lookup (min_match,raw_contact_id,data_id);
CREATE INDEX phone_lookup_data_id_min_match_index ON phone_lookup (data_id, min_match);
CREATE INDEX name_lookup_raw_contact_id_index ON name_lookup (raw_contact_id);
CREATE INDEX name_lookup_index ON name_lookup (normalized_name,name_type, raw_contact_id, data_id);
CREATE TRIGGER raw_contacts_deleted BEFORE DELETE ON raw_contacts BEGIN    DELETE FROM data     WHERE raw_contact_id=OLD._id;   DELETE FROM agg_exceptions     WHERE raw_contact_id1=OLD._id        OR raw_contact_id2=OLD._id;   DELETE FROM visible_contacts     WHERE _id=OLD.contact_id       AND (SELECT COUNT(*) FROM raw_contacts            WHERE contact_id=OLD.contact_id           )=1;   DELETE FROM default_directory     WHERE _id=OLD.contact_id       AND (SELECT COUNT(*) FROM raw_contacts            WHERE contact_id=OLD.contact_id           )=1;   DELETE FROM contacts     WHERE _id=OLD.contact_id       AND (SELECT COUNT(*) FROM raw_contacts            WHERE contact_id=OLD.contact_id           )=1; END;
CREATE TRIGGER raw_contacts_marked_deleted AFTER UPDATE ON raw_contacts BEGIN    UPDATE raw_contacts     SET version=OLD.version+1      WHERE _id=OLD._id AND NEW.deleted!= OLD.deleted; END;
CREATE TRIGGER data_updated AFTER UPDATE ON data BEGIN    UPDATE data     SET data_version=OLD.data_version+1      WHERE _id=OLD._id;   UPDATE raw_contacts     SET version=version+1      WHERE _id=OLD.raw_contact_id; END;
CREATE TRIGGER groups_updated1 AFTER UPDATE ON groups BEGIN    UPDATE groups     SET version=OLD.version+1     WHERE _id=OLD._id; END;
CREATE TRIGGER groups_auto_add_updated1 AFTER UPDATE OF auto_add ON groups BEGIN    DELETE FROM default_directory; END;
)SQL";

constexpr const char* kMimetypes[] = {"vnd.android.cursor.item/email_v2",
                                      "vnd.android.cursor.item/im",
                                      "vnd.android.cursor.item/nickname",
                                      "vnd.android.cursor.item/organization",
                                      "vnd.android.cursor.item/phone_v2",
                                      "vnd.android.cursor.item/sip_address",
                                      "vnd.android.cursor.item/name",
                                      "vnd.android.cursor.item/postal-address_v2",
                                      "vnd.android.cursor.item/identity",
                                      "vnd.android.cursor.item/photo",
                                      "vnd.android.cursor.item/group_membership",
                                      "vnd.android.cursor.item/note",
                                      "vnd.android.cursor.item/contact_event",
                                      "vnd.android.cursor.item/website",
                                      "vnd.android.cursor.item/relation",
                                      "vnd.android.cursor.item/vnd.com.whatsapp.profile",
                                      "vnd.android.cursor.item/vnd.com.whatsapp.voip.call",
                                      "vnd.android.cursor.item/vnd.com.whatsapp.video.call"};
enum Mime { kEmail = 1, kPhone = 5, kName = 7, kNote = 12, kWaProfile = 16, kWaVoip = 17 };

std::string reversed_min_match(const std::string& e164) {
  std::string digits;
  for (char ch : e164)
    if (std::isdigit(static_cast<unsigned char>(ch))) digits += ch;
  std::string tail = digits.size() > 7 ? digits.substr(digits.size() - 7) : digits;
  return std::string(tail.rbegin(), tail.rend());
}

}  // namespace

Status write_contacts(Context& c) {
  c.stage("contacts (contacts2.db)");
  const Story& story = c.story;
  const std::string path = c.app_dir(kPkg) + "/databases/contacts2.db";
  const auto scratch = c.scratch("contacts2.db");
  auto db = SqlDb::create(scratch, derive_seed(story.seed(), "contacts2.db"), DbOptions{4096, 1400, true, "en_GB"});
  if (!db) return db.error();
  if (auto st = db->exec(kSchema); !st) return st;
  if (auto st = db->begin(); !st) return st;
  for (const char* m : kMimetypes)
    if (auto st = db->exec(fmt::format("INSERT INTO mimetypes (mimetype) VALUES ('{}')", m)); !st) return st;
  const Person& me = story.owner();
  std::string account;
  for (char ch : me.first + "." + me.last)
    if (std::isalnum(static_cast<unsigned char>(ch)) || ch == '.') account += static_cast<char>(std::tolower(ch));
  account += ".synth@gmail.com";
  if (auto st = db->exec(fmt::format("INSERT INTO accounts (account_name,account_type,data_set) VALUES "
                                     "({},'com.google',NULL),"
                                     "('WhatsApp','com.whatsapp',NULL),(NULL,NULL,NULL);"
                                     "INSERT INTO packages (package) VALUES "
                                     "('com.google.android.syncadapters.contacts'),('com.whatsapp');"
                                     "INSERT INTO properties VALUES "
                                     "('database_time_created','{}'),('known_accounts','{}');"
                                     "INSERT INTO groups "
                                     "(package_id,account_id,sourceid,title,system_id,group_visible,auto_"
                                     "add,favorites,group_is_read_only) "
                                     "VALUES (NULL,1,'6','My "
                                     "Contacts','Contacts',1,1,0,1),(NULL,1,'starred','Starred in "
                                     "Android',NULL,0,0,1,1);",
                                     sql_quote(account), story.first_day() * 86400000LL, account + "\u0001com.google"));
      !st)
    return st;

  auto ins_raw = db->prepare(
      "INSERT INTO raw_contacts "
      "(account_id,sourceid,version,dirty,contact_id,aggregation_"
      "mode,aggregation_needed,"
      "times_contacted,last_time_contacted,starred,display_name,"
      "display_name_alt,display_name_source,sort_key,"
      "phonebook_label,phonebook_bucket,sort_key_alt,phonebook_"
      "label_alt,phonebook_bucket_alt,sync3) "
      "VALUES (?,?,?,0,?,0,0,?,?,?,?,?,40,?,?,?,?,?,?,?)");
  auto ins_contact = db->prepare(
      "INSERT INTO contacts "
      "(name_raw_contact_id,photo_id,photo_file_id,send_to_"
      "voicemail,times_contacted,"
      "last_time_contacted,starred,pinned,has_phone_number,lookup,"
      "contact_last_updated_timestamp) "
      "VALUES (NULL,NULL,NULL,0,?,?,?,0,?,?,?)");
  auto set_name_raw = db->prepare("UPDATE contacts SET name_raw_contact_id=? WHERE _id=?");
  auto ins_data = db->prepare(
      "INSERT INTO data "
      "(package_id,mimetype_id,raw_contact_id,is_primary,is_super_"
      "primary,data_version,data1,data2,data3,"
      "data4,data5,data_sync1) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)");
  auto ins_phone_lookup = db->prepare("INSERT INTO phone_lookup VALUES (?,?,?,?)");
  auto ins_name_lookup = db->prepare("INSERT OR IGNORE INTO name_lookup VALUES (?,?,?,?)");
  auto ins_search = db->prepare(
      "INSERT INTO search_index "
      "(docid,contact_id,content,name,tokens) VALUES (?,?,?,?,?)");
  auto ins_visible = db->prepare("INSERT INTO visible_contacts VALUES (?)");
  for (auto* s : {&ins_raw, &ins_contact, &set_name_raw, &ins_data, &ins_phone_lookup, &ins_name_lookup, &ins_search,
                  &ins_visible})
    if (!*s) return s->error();

  Rng r = Rng::derive(story.seed(), "contacts2");
  for (const Person& p : story.people()) {
    if (!p.in_contacts) continue;
    const int64_t updated = story.clock().local_to_utc_ms(p.known_from, r.range(9 * 3600, 21 * 3600)) + r.range(0, 999);
    const bool starred = p.role == Role::family || (p.role == Role::friend_ && r.chance(0.15));
    const int64_t times = static_cast<int64_t>(r.below(40));
    auto cid = ins_contact->run(
        times, times ? std::optional<int64_t>(updated) : std::optional<int64_t>(), starred ? 1 : 0,
        p.phone.empty() ? 0 : 1,
        fmt::format("{}i{}.{}r{}-{}", 3000 + p.id, p.id, r.below(90) + 10, p.id + 1, r.hex(6, false)), updated);
    if (!cid) return cid.error();
    std::string alt = p.last.empty() ? p.display : p.last + ", " + p.first;
    const std::string label = p.display.empty() ? "#" : std::string(1, static_cast<char>(std::toupper(p.display[0])));
    auto rid = ins_raw->run(1, r.hex(8, false), 3 + static_cast<int64_t>(r.below(5)), *cid, times,
                            times ? std::optional<int64_t>(updated) : std::optional<int64_t>(), starred ? 1 : 0,
                            p.display, alt, p.display, label, 1, alt, label, 1, updated);
    if (!rid) return rid.error();
    if (auto x = set_name_raw->run(*rid, *cid); !x) return x.error();
    if (auto x = ins_visible->run(*cid); !x) return x.error();

    Item it;
    it.category = Category::contact;
    it.service = "android_contacts";
    it.time = TruthWriter::time(updated, TimeUnit::unix_ms);
    it.title = p.display;
    it.body = p.note;
    // Structured name.
    {
      auto d = ins_data->run(1, int{kName}, *rid, 0, 0, 1, p.display,
                             p.first.empty() ? std::optional<std::string>() : std::optional<std::string>(p.first),
                             p.last.empty() ? std::optional<std::string>() : std::optional<std::string>(p.last),
                             std::optional<std::string>(), std::optional<std::string>(), std::optional<std::string>());
      if (!d) return d.error();
      std::string lower;
      for (char ch : p.display)
        if (std::isalnum(static_cast<unsigned char>(ch))) lower += static_cast<char>(std::tolower(ch));
      if (auto x = ins_name_lookup->run(*d, *rid, lower, 0); !x) return x.error();
    }
    // Phone numbers, as typed.
    if (!p.phone.empty()) {
      const bool landline = p.phone.national.rfind("0113", 0) == 0;
      const std::string typed = r.chance(0.2) ? p.phone.intl_spaced : p.phone.national;
      const int type = landline ? (p.role == Role::family ? 1 : 3) : 2;
      const char* lbl = type == 1 ? "home" : type == 3 ? "work" : "mobile";
      auto d = ins_data->run(1, int{kPhone}, *rid, 1, 0, 2, typed, std::to_string(type), std::optional<std::string>(),
                             p.phone.e164, std::optional<std::string>(), std::optional<std::string>());
      if (!d) return d.error();
      if (auto x = ins_phone_lookup->run(*d, *rid, p.phone.e164, reversed_min_match(p.phone.e164)); !x)
        return x.error();
      it.parties.push_back(c.truth.party(typed, PartyRole::subject, p.display, lbl));
    }
    if (!p.email.empty()) {
      auto d = ins_data->run(1, int{kEmail}, *rid, 0, 0, 0, p.email, "1", std::optional<std::string>(),
                             std::optional<std::string>(), std::optional<std::string>(), std::optional<std::string>());
      if (!d) return d.error();
      it.parties.push_back(c.truth.party(p.email, PartyRole::subject, p.display, "home"));
    }
    {
      auto d = ins_data->run(1, int{kNote}, *rid, 0, 0, 0, p.note, std::optional<std::string>(),
                             std::optional<std::string>(), std::optional<std::string>(), std::optional<std::string>(),
                             std::optional<std::string>());
      if (!d) return d.error();
    }
    if (auto x = ins_search->run(*cid, *cid, p.note, p.display,
                                 p.phone.empty() ? std::string() : p.phone.national_compact + " " + p.phone.e164);
        !x)
      return x.error();
    // WhatsApp's own raw contact, aggregated into the same contact.
    if (p.whatsapp && !p.phone.empty()) {
      auto wrid = ins_raw->run(2, p.phone.jid(), 1, *cid, 0, std::optional<int64_t>(), 0, p.display, alt, p.display,
                               label, 1, alt, label, 1, std::optional<int64_t>());
      if (!wrid) return wrid.error();
      const std::string msg = "Message " + p.phone.intl_spaced;
      if (auto d =
              ins_data->run(2, int{kWaProfile}, *wrid, 0, 0, 0, p.phone.jid(), "WhatsApp", msg,
                            std::optional<std::string>(), std::optional<std::string>(), std::optional<std::string>());
          !d)
        return d.error();
      if (auto d = ins_data->run(2, int{kWaVoip}, *wrid, 0, 0, 0, p.phone.jid(), "WhatsApp",
                                 "Voice call " + p.phone.intl_spaced, std::optional<std::string>(),
                                 std::optional<std::string>(), std::optional<std::string>());
          !d)
        return d.error();
    }
    it.provenance = TruthWriter::prov(path, "contacts", fmt::format("_id={}", *cid), "android.contacts");
    if (auto st = c.truth.add(std::move(it), false); !st) return st;
  }
  if (auto st = db->commit(); !st) return st;
  ins_raw = make_error(Errc::internal, "closed");
  ins_contact = make_error(Errc::internal, "closed");
  set_name_raw = make_error(Errc::internal, "closed");
  ins_data = make_error(Errc::internal, "closed");
  ins_phone_lookup = make_error(Errc::internal, "closed");
  ins_name_lookup = make_error(Errc::internal, "closed");
  ins_search = make_error(Errc::internal, "closed");
  ins_visible = make_error(Errc::internal, "closed");
  if (c.v.calllog == AndroidVariants::CallLog::contacts2) {
    if (auto st = write_call_rows(c, *db, CallTable::contacts2, path); !st) return st;
  }
  if (auto st = db->exec(kIndexes); !st) return st;
  if (auto st = db->close(); !st) return st;
  return c.add_db(path, scratch, Context::owner_of(kPkg));
}

}  // namespace remit::synth::android
