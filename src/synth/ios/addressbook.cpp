// iOS contacts: private/var/mobile/Library/AddressBook/AddressBook.sqlitedb
// and AddressBookImages.sqlitedb.
//
// Schema: the real iOS 15 database's in iLEAPP's josh_ios15_ffs test zip,
// table by table, index by index and trigger by trigger (and the extra
// ABMultiValueEntryParentIndex of the iOS 16 mvs_ios_2023 one), see
// addressbook_schema.hpp:
// ABPerson with its 51 columns, ABMultiValue / ABMultiValueLabel /
// ABMultiValueEntry / ABMultiValueEntryKey, ABStore, ABAccount, ABGroup,
// ABPersonLink, ABPhoneLastFour, the sort-section count tables, the client
// cursor tables, and the triggers that call the app-defined function
// ab_update_value_from_trigger() and the column defaults that call
// ab_generate_guid(). The FTS4 table ABPersonFullTextSearch uses Apple's
// tokenizer "ab_cf_tokenizer", which no other SQLite has: as in the real
// file, its row in sqlite_master names that tokenizer, so a reader can open
// the database but never query that table. The generator registers stand-in
// functions only on its own connection, to run the triggers while loading.
//
// Values as in the real databases: CreationDate/ModificationDate integer
// seconds since 2001, labels "_$!<Mobile>!$_", property 3 phone / 4 e-mail /
// 5 address (parts in ABMultiValueEntry), sort keys and sections, a local
// store (ROWID 0, "local") and one CardDAV store, person guids, phones as
// typed ("07700 900123").
//
// Variants (docs/synth.md): rows in the main file; every row only in the
// -wal over a 4 KB main file (as in belkasoft_ctf6 and mvs_ios_2023), one
// commit per contact; the same plus contacts added and later deleted, whose
// rows survive only in superseded WAL frames: a correct reader reports
// them as recovered (provenance.origin "wal_superseded"), never live.
#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <optional>
#include <set>

#include "synth/ios/addressbook_schema.hpp"
#include "synth/ios/context.hpp"
#include "synth/jpeg.hpp"
#include "synth/prng.hpp"
#include "synth/sqlite_writer.hpp"

namespace remit::synth::ios {

namespace {

constexpr const char* kDb = "mobile/Library/AddressBook/AddressBook.sqlitedb";
constexpr const char* kImagesDb = "mobile/Library/AddressBook/AddressBookImages.sqlitedb";

// The FTS4 table as the real database declares it. Its tokenizer exists only
// in Apple's AddressBook framework, so the row goes into sqlite_master
// directly (the shadow tables above are ordinary tables).
constexpr const char* kFtsRow =
    "INSERT INTO sqlite_master (type, name, tbl_name, rootpage, sql) VALUES ('table', 'ABPersonFullTextSearch', "
    "'ABPersonFullTextSearch', 0, 'CREATE VIRTUAL TABLE ABPersonFullTextSearch USING fts4(tokenize=ab_cf_tokenizer "
    "language=\"en-US\" collator=\"en-US@collation=search\", First, Last, Middle, FirstPhonetic, MiddlePhonetic, "
    "LastPhonetic, Organization, OrganizationPhonetic, Department, Note, Birthday, JobTitle, Nickname, Prefix, Suffix, "
    "DisplayName, Phone, Email, Address, SocialProfile, URL, RelatedNames, IM, Date, SupplementalCompositeNameTerms)')";

constexpr const char* kImagesSchema = R"SQL(
CREATE TABLE _SqliteDatabaseProperties (key TEXT, value TEXT, UNIQUE(key));
CREATE TABLE ABThumbnailImage (ROWID INTEGER PRIMARY KEY, record_id INTEGER, format INTEGER, derived_from_format INTEGER, data BLOB);
CREATE TABLE ABFullSizeImage (ROWID INTEGER PRIMARY KEY, record_id INTEGER, crop_x INTEGER, crop_y INTEGER, crop_width INTEGER, data BLOB);
CREATE UNIQUE INDEX ABImageRecordIDFormatIndex ON ABThumbnailImage(record_id, format);
CREATE UNIQUE INDEX ABFullSizeImageRecordIDIndex ON ABFullSizeImage(record_id);
)SQL";

// Stand-ins for the AddressBook framework's SQL functions, registered on
// the generator's own connection so the real triggers can run while the
// rows are loaded.
void fn_update_value(sqlite3_context* ctx, int argc, sqlite3_value** argv) {
  if (argc > 0)
    sqlite3_result_value(ctx, argv[0]);
  else
    sqlite3_result_null(ctx);
}
void fn_refuse(sqlite3_context* ctx, int, sqlite3_value**) {
  sqlite3_result_error(ctx, "ab_generate_guid: the generator always writes guid", -1);
}

struct Card {
  std::string first, last, organization, note;
  int kind = 0;  // 1: organisation
  struct Value {
    int property = 3;
    std::string label, value;
  };
  std::vector<Value> values;
  std::vector<std::pair<std::string, std::string>> address;  // key -> value (property 5)
  int64_t created = 0, modified = 0;                         // seconds since 2001
};

std::string sort_key(const std::string& a, const std::string& b) {
  std::string s = a + (b.empty() ? "" : " " + b);
  for (char& ch : s) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
  return s;
}

std::string section_of(const std::string& key) {
  for (char ch : key)
    if (std::isalpha(static_cast<unsigned char>(ch))) return std::string(1, ch);
  return "#";
}

class Writer {
 public:
  explicit Writer(Context& c) : c_(c) {}

  Status open(const std::filesystem::path& scratch, bool wal_only) {
    auto db =
        SqlDb::create(scratch, derive_seed(c_.story.seed(), "AddressBook.sqlitedb"), DbOptions{4096, 0, true, ""});
    if (!db) return db.error();
    db_.emplace(std::move(*db));
    sqlite3_create_function(db_->handle(), "ab_update_value_from_trigger", 3, SQLITE_UTF8, nullptr, fn_update_value,
                            nullptr, nullptr);
    sqlite3_create_function(db_->handle(), "ab_generate_guid", 0, SQLITE_UTF8, nullptr, fn_refuse, nullptr, nullptr);
    // Rows only in the -wal: WAL mode from the first page on, never
    // checkpointed (the 4 KB main file holds the header page only).
    if (wal_only)
      if (auto st = db_->start_wal_tail(); !st) return st;
    if (auto st = db_->exec(ab_schema::kAddressBook); !st) return st;
    return prepare();
  }

  Status prepare() {
    auto p = db_->prepare(
        "INSERT INTO ABPerson (First, Last, Organization, Note, Kind, FirstSort, LastSort, CreationDate, "
        "ModificationDate, StoreID, FirstSortSection, LastSortSection, FirstSortLanguageIndex, "
        "LastSortLanguageIndex, PersonLink, IsPreferredName, guid) VALUES (?,?,?,?,?,?,?,?,?,0,?,?,0,0,-1,1,?)");
    auto mv = db_->prepare(
        "INSERT INTO ABMultiValue (record_id, property, identifier, label, value, guid) VALUES (?,?,?,?,?,?)");
    auto lab = db_->prepare("INSERT OR IGNORE INTO ABMultiValueLabel (value) VALUES (?)");
    auto labid = db_->prepare("SELECT rowid FROM ABMultiValueLabel WHERE value = ?");
    auto key = db_->prepare("INSERT OR IGNORE INTO ABMultiValueEntryKey (value) VALUES (?)");
    auto keyid = db_->prepare("SELECT rowid FROM ABMultiValueEntryKey WHERE value = ?");
    auto ent = db_->prepare("INSERT INTO ABMultiValueEntry (parent_id, key, value) VALUES (?,?,?)");
    auto last4 = db_->prepare("INSERT INTO ABPhoneLastFour (multivalue_id, value) VALUES (?,?)");
    auto sk = db_->prepare("INSERT INTO ABPersonSearchKey (person_id, SearchKey, NameOnlySearchKey) VALUES (?,?,?)");
    for (auto* s : {&p, &mv, &lab, &labid, &key, &keyid, &ent, &last4, &sk})
      if (!*s) return s->error();
    person_ = std::move(*p);
    mv_ = std::move(*mv);
    label_ = std::move(*lab);
    label_id_ = std::move(*labid);
    key_ = std::move(*key);
    key_id_ = std::move(*keyid);
    entry_ = std::move(*ent);
    last4_ = std::move(*last4);
    search_ = std::move(*sk);
    return {};
  }

  Result<int64_t> lookup(SqlStmt& ins, SqlStmt& sel, const std::string& v) {
    if (auto r = ins.run(v); !r) return r.error();
    sel.bind(1, v);
    int64_t id = 0;
    if (sel.next_row()) id = sel.col_int(0);
    if (auto r = sel.step_reset(); !r) return r.error();  // resets after the row
    return id;
  }

  // One person with its values; returns the ROWID.
  Result<int64_t> add(const Card& k, uint64_t salt) {
    const std::string fs = sort_key(k.first.empty() ? k.organization : k.first, k.last);
    const std::string ls = sort_key(k.last.empty() ? (k.first.empty() ? k.organization : k.first) : k.last, k.first);
    auto opt = [](const std::string& s) { return s.empty() ? std::optional<std::string>() : s; };
    auto id = person_.run(opt(k.first), opt(k.last), opt(k.organization), opt(k.note), k.kind, fs, ls, k.created,
                          k.modified, section_of(fs), section_of(ls), c_.uuid("ab-person", salt));
    if (!id) return id.error();
    int identifier[32] = {};
    size_t n = 0;
    for (const auto& v : k.values) {
      auto lid = lookup(label_, label_id_, v.label);
      if (!lid) return lid.error();
      auto uid = mv_.run(*id, v.property, identifier[v.property % 32]++, *lid, v.value,
                         c_.uuid("ab-multivalue", salt * 64 + n++));
      if (!uid) return uid.error();
      if (v.property == 3) {
        std::string digits;
        for (char ch : v.value)
          if (std::isdigit(static_cast<unsigned char>(ch))) digits += ch;
        if (digits.size() >= 4)
          if (auto x = last4_.run(*uid, digits.substr(digits.size() - 4)); !x) return x.error();
      }
    }
    if (!k.address.empty()) {
      auto lid = lookup(label_, label_id_, "_$!<Work>!$_");
      if (!lid) return lid.error();
      auto uid = mv_.run(*id, 5, 0, *lid, std::optional<std::string>(), c_.uuid("ab-multivalue", salt * 64 + n++));
      if (!uid) return uid.error();
      for (const auto& [kk, vv] : k.address) {
        auto kid = lookup(key_, key_id_, kk);
        if (!kid) return kid.error();
        if (auto x = entry_.run(*uid, *kid, vv); !x) return x.error();
      }
    }
    if (auto x = search_.run(*id, Blob{fs}, Blob{fs}); !x) return x.error();
    return *id;
  }

  Status remove(int64_t rowid) {
    if (auto st = db_->exec(fmt::format("DELETE FROM ABMultiValueEntry WHERE parent_id IN (SELECT UID FROM "
                                        "ABMultiValue WHERE record_id = {0}); DELETE FROM ABMultiValue WHERE "
                                        "record_id = {0}; DELETE FROM ABPerson WHERE ROWID = {0};",
                                        rowid));
        !st)
      return st;
    return {};
  }

  Status finish_statements() {
    for (auto* s : {&person_, &mv_, &label_, &label_id_, &key_, &key_id_, &entry_, &last4_, &search_}) *s = SqlStmt();
    return {};
  }

  SqlDb& db() { return *db_; }

 private:
  Context& c_;
  std::optional<SqlDb> db_;
  SqlStmt person_, mv_, label_, label_id_, key_, key_id_, entry_, last4_, search_;
};

std::string label_for(const Person& p) {
  const bool landline = p.phone.national.rfind("0113", 0) == 0;
  if (p.role == Role::gp || p.role == Role::counselling || p.role == Role::service || p.role == Role::pharmacy)
    return "_$!<Main>!$_";
  if (landline) return "_$!<Home>!$_";
  if (p.role == Role::work) return "_$!<Work>!$_";
  return "_$!<Mobile>!$_";
}

std::string clean_label(const std::string& raw) {
  if (raw.size() > 8 && raw.rfind("_$!<", 0) == 0) {
    std::string s = raw.substr(4, raw.size() - 8);
    for (char& ch : s) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    return s;
  }
  return raw;
}

Card card_for(const Context& c, const Person& p) {
  const Story& story = c.story;
  Card k;
  const bool org =
      p.role == Role::gp || p.role == Role::counselling || p.role == Role::service || p.role == Role::pharmacy;
  if (org && p.first.empty()) {
    k.organization = p.display;
    k.kind = 1;
  } else {
    const auto sp = p.display.find(' ');
    k.first = sp == std::string::npos ? p.display : p.display.substr(0, sp);
    k.last = sp == std::string::npos ? std::string() : p.display.substr(sp + 1);
  }
  k.note = p.note;
  k.values.push_back({3, label_for(p), p.phone.national});
  if (!p.email.empty()) k.values.push_back({4, p.role == Role::work ? "_$!<Work>!$_" : "_$!<Home>!$_", p.email});
  if (p.role == Role::gp) {
    k.address = {{"Street", "14 Riverside Way"},
                 {"City", "Leeds"},
                 {"ZIP", "LS7 4QT"},
                 {"CountryCode", "gb"},
                 {"Country", "United Kingdom"}};
  }
  Rng r = Rng::derive(story.seed(), "ab-card", p.id);
  const int64_t created_ms = story.clock().local_to_utc_ms(p.known_from, r.range(8 * 3600, 21 * 3600));
  k.created = std::min(created_ms, story.extraction_ms() - 86400000) / 1000 - kMacEpochOffsetS;
  k.modified = k.created + r.range(0, 90) * 86400;
  const int64_t max_mod = story.extraction_ms() / 1000 - kMacEpochOffsetS - 3600;
  if (k.modified > max_mod) k.modified = std::max(k.created, max_mod);
  return k;
}

// Contacts the owner added and later deleted (superseded WAL variant): not
// people of the story, numbers from the unused part of the drama range.
std::vector<Card> deleted_cards(const Context& c, std::vector<std::string>& numbers) {
  const Story& story = c.story;
  std::set<std::string> used;
  for (const auto& p : story.people()) used.insert(p.phone.e164);
  Rng r = Rng::derive(story.seed(), "ab-deleted");
  static constexpr std::string_view kWho[] = {"Plumber", "Letting agent", "Taxi"};
  static constexpr std::string_view kNotes[] = {"Quote for the boiler", "Flat viewing on Tuesday",
                                                "Airport run, cash only"};
  std::vector<Card> out;
  unsigned n = static_cast<unsigned>(r.below(1000));
  for (size_t i = 0; i < std::size(kWho); ++i) {
    std::string e164;
    for (;;) {
      e164 = fmt::format("+447700900{:03d}", n % 1000);
      ++n;
      if (!used.count(e164)) break;
    }
    used.insert(e164);
    const std::string last3 = e164.substr(e164.size() - 3);
    Card k;
    auto fem = lex::female_first();
    k.first = std::string(fem[r.below(fem.size())]);
    k.last = std::string(kWho[i]);
    k.note = Story::with_canary(std::string(kNotes[i]));
    k.values.push_back({3, "_$!<Mobile>!$_", "07700 900" + last3});
    const DayNumber day = story.first_day() + static_cast<DayNumber>(r.below(static_cast<uint64_t>(
                                                  std::max<int64_t>(1, story.last_day() - story.first_day()))));
    k.created = story.clock().local_to_utc_ms(day, r.range(9 * 3600, 20 * 3600)) / 1000 - kMacEpochOffsetS;
    k.modified = k.created;
    numbers.push_back("07700 900" + last3);
    out.push_back(std::move(k));
  }
  return out;
}

Item card_item(Context& c, const Card& k, int64_t rowid, bool in_wal_only_history) {
  Item it;
  it.category = Category::contact;
  it.service = "ios_addressbook";
  it.time = int_time(k.created, TimeUnit::mac_s);
  if (k.modified) it.other_times.push_back({"modified", int_time(k.modified, TimeUnit::mac_s)});
  std::string name = k.first;
  if (!k.last.empty()) name += (name.empty() ? "" : " ") + k.last;
  it.title = name.empty() ? k.organization : name;
  it.body = k.note;
  for (const auto& v : k.values)
    it.parties.push_back(c.truth.party(v.value, PartyRole::subject, "", clean_label(v.label)));
  it.provenance = c.prov(kDb, "ABPerson", fmt::format("ROWID={}", rowid), "ios.addressbook");
  if (in_wal_only_history) {
    it.recovered = true;
    it.provenance.origin = "wal_superseded";
  }
  return it;
}

Status write_images(Context& c, const std::vector<std::pair<int64_t, uint64_t>>& photos) {
  const std::filesystem::path scratch = c.scratch("AddressBookImages.sqlitedb");
  auto db =
      SqlDb::create(scratch, derive_seed(c.story.seed(), "AddressBookImages.sqlitedb"), DbOptions{4096, 0, true, ""});
  if (!db) return db.error();
  if (auto st = db->exec(kImagesSchema); !st) return st;
  if (auto st = db->begin(); !st) return st;
  auto th = db->prepare("INSERT INTO ABThumbnailImage (record_id, format, derived_from_format, data) VALUES (?,?,2,?)");
  auto full =
      db->prepare("INSERT INTO ABFullSizeImage (record_id, crop_x, crop_y, crop_width, data) VALUES (?,0,0,?,?)");
  if (!th) return th.error();
  if (!full) return full.error();
  for (const auto& [rowid, seed] : photos) {
    auto big = encode_jpeg(320, 320, seed, 80);
    if (!big) return big.error();
    auto small = encode_jpeg(120, 120, seed, 70);
    if (!small) return small.error();
    if (auto x = th->run(rowid, 0, Blob{*small}); !x) return x.error();
    if (auto x = th->run(rowid, 5, Blob{*big}); !x) return x.error();
    if (auto x = full->run(rowid, 320, Blob{*big}); !x) return x.error();
  }
  if (auto st = db->commit(); !st) return st;
  th = make_error(Errc::internal, "closed");
  full = make_error(Errc::internal, "closed");
  if (auto st = db->close(); !st) return st;
  return c.add_db(kImagesDb, scratch);
}

}  // namespace

Status write_addressbook(Context& c) {
  c.stage("contacts (AddressBook.sqlitedb)");
  const Story& story = c.story;
  const bool wal_only = c.v.addressbook != IosVariants::AddressBook::main_file;
  const bool superseded = c.v.addressbook == IosVariants::AddressBook::wal_superseded;
  const std::filesystem::path scratch = c.scratch("AddressBook.sqlitedb");
  Writer w(c);
  if (auto st = w.open(scratch, wal_only); !st) return st;
  SqlDb& db = w.db();

  // Database properties, stores and the account, as a freshly set-up phone
  // with one CardDAV account has them.
  if (auto st = db.begin(); !st) return st;
  {
    auto ins = db.prepare("INSERT INTO _SqliteDatabaseProperties (key, value) VALUES (?,?)");
    if (!ins) return ins.error();
    for (const auto& [k, v] :
         std::vector<std::pair<std::string, std::string>>{{"_ClientVersion", "83"},
                                                          {"_UniqueIdentifier", c.uuid("ab-db-id")},
                                                          {"PersonLinkerVersion", "9"},
                                                          {"SortingCacheLanguage", "en-GB"},
                                                          {"SortingCacheVersion", "35"},
                                                          {"DefaultStore", "1"},
                                                          {"MeSourceID", "1"}})
      if (auto r = ins->run(k, v); !r) return r.error();
    auto store = db.prepare(
        "INSERT INTO ABStore (ROWID, Name, ExternalIdentifier, Type, StoreInternalIdentifier, AccountID, Enabled, "
        "MeIdentifier, Capabilities, guid) VALUES (?,?,?,?,?,?,?,-1,0,?)");
    if (!store) return store.error();
    if (auto r = store->run(0, std::optional<std::string>(), std::optional<std::string>(), 0, "local", -1, 0,
                            c.uuid("ab-store", 0));
        !r)
      return r.error();
    if (auto r = store->run(1, "Card", "/1209600000/carddavhome/card/", 4, std::optional<std::string>(), 1, 1,
                            c.uuid("ab-store", 1));
        !r)
      return r.error();
    auto acct = db.prepare("INSERT INTO ABAccount (AccountIdentifier, Flags, DefaultSourceID, guid) VALUES (?,0,0,?)");
    if (!acct) return acct.error();
    if (auto r = acct->run(c.uuid("ab-account"), c.uuid("ab-account-guid") + ":ABAccount"); !r) return r.error();
  }
  if (auto st = db.commit(); !st) return st;

  std::vector<std::string> deleted_numbers;
  const std::vector<Card> gone = superseded ? deleted_cards(c, deleted_numbers) : std::vector<Card>();
  std::vector<std::pair<int64_t, Card>> gone_rows;
  std::vector<std::pair<int64_t, uint64_t>> photos;
  // One commit per contact when the history lives in the WAL (as Contacts
  // saves them one by one); one bulk transaction otherwise.
  if (!wal_only)
    if (auto st = db.begin(); !st) return st;
  size_t next_gone = 0;
  const size_t contacts =
      std::count_if(story.people().begin(), story.people().end(), [](const Person& p) { return p.in_contacts; });
  size_t added = 0;
  for (const Person& p : story.people()) {
    if (!p.in_contacts) continue;
    if (c.cancelled()) return c.interrupted();
    // Deleted contacts were saved in between the others.
    if (next_gone < gone.size() && added == (next_gone + 1) * contacts / (gone.size() + 1)) {
      if (auto st = db.begin(); !st) return st;
      auto id = w.add(gone[next_gone], 100000 + next_gone);
      if (!id) return id.error();
      if (auto st = db.commit(); !st) return st;
      gone_rows.emplace_back(*id, gone[next_gone]);
      ++next_gone;
    }
    const Card k = card_for(c, p);
    if (wal_only)
      if (auto st = db.begin(); !st) return st;
    auto id = w.add(k, p.id);
    if (!id) return id.error();
    if (wal_only)
      if (auto st = db.commit(); !st) return st;
    ++added;
    if (p.role == Role::family || (p.role == Role::friend_ && p.id % 3 == 0))
      photos.emplace_back(*id, derive_seed(story.seed(), "ab-photo", p.id));
    if (auto st = c.truth.add(card_item(c, k, *id, false), false); !st) return st;
  }
  if (!wal_only)
    if (auto st = db.commit(); !st) return st;
  // Later, the owner deleted them again: each deletion its own commit, so
  // the frames that held them are superseded by later ones.
  for (const auto& [rowid, k] : gone_rows) {
    if (auto st = db.begin(); !st) return st;
    if (auto st = w.remove(rowid); !st) return st;
    if (auto st = db.commit(); !st) return st;
    if (auto st = c.truth.add(card_item(c, k, rowid, true), false); !st) return st;
  }
  if (auto st = w.finish_statements(); !st) return st;
  // The FTS table's declaration, as the real file has it.
  if (auto st = db.exec(std::string("PRAGMA writable_schema=ON; BEGIN; ") + kFtsRow +
                        "; COMMIT; PRAGMA writable_schema=OFF;");
      !st)
    return st;
  if (auto st = db.close(); !st) return st;
  if (auto st = c.add_db(kDb, scratch); !st) return st;
  return write_images(c, photos);
}

}  // namespace remit::synth::ios
