// items.sqlite writer and reader (src/package/items_db.hpp).
// FTS5: https://www.sqlite.org/fts5.html ("external content tables",
// the 'rebuild' command, unicode61 remove_diacritics 2).
#include "package/items_db.hpp"

#include <fmt/format.h>
#include <sqlite3.h>

#include <cstring>

namespace remit::pkg {
namespace {

constexpr const char* kSchema = R"SQL(
CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE items(
  id INTEGER PRIMARY KEY,
  locator TEXT NOT NULL,
  forensic_path TEXT NOT NULL,
  category TEXT NOT NULL,
  service TEXT NOT NULL,
  time_utc TEXT,
  time_ms INTEGER,
  time_source TEXT NOT NULL,
  direction TEXT NOT NULL,
  thread_id TEXT NOT NULL,
  thread_name TEXT NOT NULL,
  is_group INTEGER NOT NULL,
  body TEXT NOT NULL,
  title TEXT NOT NULL,
  url TEXT NOT NULL,
  party_text TEXT NOT NULL,
  outcome TEXT,
  duration_s REAL,
  lat REAL,
  lon REAL,
  accuracy_m REAL,
  deleted INTEGER NOT NULL,
  recovered INTEGER NOT NULL,
  system INTEGER NOT NULL,
  near_edge INTEGER NOT NULL,
  parser TEXT NOT NULL,
  parser_version TEXT NOT NULL,
  source_path TEXT NOT NULL,
  source_table TEXT NOT NULL,
  source_row TEXT NOT NULL,
  origin TEXT NOT NULL,
  item_json TEXT NOT NULL
);
CREATE INDEX items_time ON items(time_ms);
CREATE INDEX items_locator ON items(locator);
CREATE TABLE item_lines(item_id INTEGER NOT NULL REFERENCES items(id), line_id TEXT NOT NULL,
                        PRIMARY KEY(item_id, line_id)) WITHOUT ROWID;
CREATE INDEX item_lines_line ON item_lines(line_id);
CREATE TABLE parties(item_id INTEGER NOT NULL REFERENCES items(id), idx INTEGER NOT NULL, raw TEXT NOT NULL,
                     normalised TEXT NOT NULL, kind TEXT NOT NULL, role TEXT NOT NULL, name TEXT NOT NULL,
                     label TEXT NOT NULL, is_owner INTEGER NOT NULL, PRIMARY KEY(item_id, idx)) WITHOUT ROWID;
CREATE INDEX parties_normalised ON parties(normalised);
CREATE TABLE files(item_id INTEGER NOT NULL REFERENCES items(id), idx INTEGER NOT NULL, role TEXT NOT NULL,
                   path TEXT NOT NULL, name TEXT NOT NULL, mime TEXT NOT NULL, size INTEGER, sha256 TEXT NOT NULL,
                   missing INTEGER NOT NULL, media TEXT NOT NULL, PRIMARY KEY(item_id, idx)) WITHOUT ROWID;
CREATE INDEX files_sha256 ON files(sha256);
CREATE TABLE prior_items(locator TEXT PRIMARY KEY) WITHOUT ROWID;
CREATE VIRTUAL TABLE items_fts USING fts5(body, title, thread_name, party_text, url, content='items',
                                          content_rowid='id', tokenize='unicode61 remove_diacritics 2');
)SQL";

struct StmtFree {
  void operator()(sqlite3_stmt* s) const noexcept { sqlite3_finalize(s); }
};
using Stmt = std::unique_ptr<sqlite3_stmt, StmtFree>;

Error db_error(sqlite3* db, std::string_view what) {
  return make_error(Errc::io, fmt::format("items.sqlite: {}: {}", what, db ? sqlite3_errmsg(db) : "no database"));
}

Status exec(sqlite3* db, const char* sql) {
  char* err = nullptr;
  if (sqlite3_exec(db, sql, nullptr, nullptr, &err) != SQLITE_OK) {
    std::string msg = err ? err : "error";
    sqlite3_free(err);
    return make_error(Errc::io, "items.sqlite: " + msg);
  }
  return {};
}

Result<Stmt> prepare(sqlite3* db, const char* sql) {
  sqlite3_stmt* s = nullptr;
  if (sqlite3_prepare_v2(db, sql, -1, &s, nullptr) != SQLITE_OK) return db_error(db, "prepare");
  return Stmt(s);
}

void bind_text(sqlite3_stmt* s, int i, std::string_view v) {
  sqlite3_bind_text(s, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
}

std::string col_text(sqlite3_stmt* s, int i) {
  const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(s, i));
  return p ? std::string(p, static_cast<size_t>(sqlite3_column_bytes(s, i))) : std::string();
}

// URI for read-only, immutable opening of our own output (never evidence).
std::string file_uri(const std::filesystem::path& p) {
  const std::string abs = std::filesystem::absolute(p).string();
  std::string out = "file:";
  for (unsigned char c : abs) {
    if (std::isalnum(c) || c == '/' || c == '-' || c == '_' || c == '.' || c == '~')
      out += static_cast<char>(c);
    else
      out += fmt::format("%{:02X}", c);
  }
  return out + "?mode=ro&immutable=1";
}

void harden(sqlite3* db) {
  sqlite3_db_config(db, SQLITE_DBCONFIG_DEFENSIVE, 1, nullptr);
  sqlite3_db_config(db, SQLITE_DBCONFIG_TRUSTED_SCHEMA, 0, nullptr);
  sqlite3_db_config(db, SQLITE_DBCONFIG_ENABLE_LOAD_EXTENSION, 0, nullptr);
}

}  // namespace

struct ItemsDbWriter::Impl {
  sqlite3* db = nullptr;
  Stmt ins_item, ins_line, ins_party, ins_file, ins_meta, ins_prior;
  uint64_t count = 0;
  ~Impl() {
    ins_item.reset();
    ins_line.reset();
    ins_party.reset();
    ins_file.reset();
    ins_meta.reset();
    ins_prior.reset();
    if (db) sqlite3_close_v2(db);
  }
};

ItemsDbWriter::~ItemsDbWriter() = default;
ItemsDbWriter::ItemsDbWriter(ItemsDbWriter&&) noexcept = default;
ItemsDbWriter& ItemsDbWriter::operator=(ItemsDbWriter&&) noexcept = default;

Result<ItemsDbWriter> ItemsDbWriter::create(const std::filesystem::path& path) {
  ItemsDbWriter w;
  w.impl_ = std::make_unique<Impl>();
  if (sqlite3_open_v2(path.c_str(), &w.impl_->db,
                      SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_EXCLUSIVE | SQLITE_OPEN_NOFOLLOW,
                      nullptr) != SQLITE_OK)
    return db_error(w.impl_->db, "cannot create");
  sqlite3* db = w.impl_->db;
  harden(db);
  // No journal, no temp files: everything stays in the staging folder or memory.
  for (const char* p : {"PRAGMA temp_store=MEMORY", "PRAGMA journal_mode=OFF", "PRAGMA synchronous=OFF",
                        "PRAGMA page_size=4096", "PRAGMA foreign_keys=ON"})
    if (auto st = exec(db, p); !st) return st.error();
  if (auto st = exec(db, fmt::format("PRAGMA user_version={}", kItemsSchemaVersion).c_str()); !st) return st.error();
  if (auto st = exec(db, kSchema); !st) return st.error();
  if (auto st = exec(db, "BEGIN"); !st) return st.error();
  auto prep = [&](Stmt& s, const char* sql) -> Status {
    auto r = prepare(db, sql);
    if (!r) return r.error();
    s = std::move(*r);
    return {};
  };
  if (auto st = prep(w.impl_->ins_item,
                     "INSERT INTO items(locator,forensic_path,category,service,time_utc,time_ms,time_source,direction,"
                     "thread_id,thread_name,is_group,body,title,url,party_text,outcome,duration_s,lat,lon,accuracy_m,"
                     "deleted,recovered,system,near_edge,parser,parser_version,source_path,source_table,source_row,"
                     "origin,item_json) VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
      !st)
    return st.error();
  if (auto st = prep(w.impl_->ins_line, "INSERT OR IGNORE INTO item_lines(item_id,line_id) VALUES(?,?)"); !st)
    return st.error();
  if (auto st = prep(w.impl_->ins_party,
                     "INSERT INTO parties(item_id,idx,raw,normalised,kind,role,name,label,is_owner) "
                     "VALUES(?,?,?,?,?,?,?,?,?)");
      !st)
    return st.error();
  if (auto st = prep(w.impl_->ins_file,
                     "INSERT INTO files(item_id,idx,role,path,name,mime,size,sha256,missing,media) "
                     "VALUES(?,?,?,?,?,?,?,?,?,?)");
      !st)
    return st.error();
  if (auto st = prep(w.impl_->ins_meta, "INSERT OR REPLACE INTO meta(key,value) VALUES(?,?)"); !st) return st.error();
  if (auto st = prep(w.impl_->ins_prior, "INSERT OR IGNORE INTO prior_items(locator) VALUES(?)"); !st)
    return st.error();
  return w;
}

void ItemsDbWriter::set_meta(const std::string& key, const std::string& value) {
  sqlite3_stmt* s = impl_->ins_meta.get();
  sqlite3_reset(s);
  bind_text(s, 1, key);
  bind_text(s, 2, value);
  sqlite3_step(s);
}

Status ItemsDbWriter::add_prior(const std::string& locator) {
  sqlite3_stmt* s = impl_->ins_prior.get();
  sqlite3_reset(s);
  bind_text(s, 1, locator);
  if (sqlite3_step(s) != SQLITE_DONE) return db_error(impl_->db, "insert prior item");
  return {};
}

Status ItemsDbWriter::add(const Item& it, const std::vector<std::string>& lines, bool near_edge,
                          const std::vector<std::string>& media) {
  sqlite3* db = impl_->db;
  sqlite3_stmt* s = impl_->ins_item.get();
  sqlite3_reset(s);
  sqlite3_clear_bindings(s);
  std::string party_text;
  for (const auto& p : it.parties) {
    if (!party_text.empty()) party_text += ' ';
    party_text += p.name;
    party_text += ' ';
    party_text += p.raw;
    if (p.normalised != p.raw) {
      party_text += ' ';
      party_text += p.normalised;
    }
  }
  int i = 1;
  bind_text(s, i++, it.provenance.locator());
  bind_text(s, i++, it.provenance.forensic_path());
  bind_text(s, i++, to_string(it.category));
  bind_text(s, i++, it.service);
  if (it.time.utc_ms) {
    bind_text(s, i++, format_rfc3339_ms(*it.time.utc_ms));
    sqlite3_bind_int64(s, i++, *it.time.utc_ms);
  } else {
    sqlite3_bind_null(s, i++);
    sqlite3_bind_null(s, i++);
  }
  bind_text(s, i++, to_string(it.time.source));
  bind_text(s, i++, to_string(it.direction));
  bind_text(s, i++, it.thread_id);
  bind_text(s, i++, it.thread_name);
  sqlite3_bind_int(s, i++, it.group ? 1 : 0);
  bind_text(s, i++, it.body);
  bind_text(s, i++, it.title);
  bind_text(s, i++, it.url);
  bind_text(s, i++, party_text);
  if (it.category == Category::call)
    bind_text(s, i++, to_string(it.outcome));
  else
    sqlite3_bind_null(s, i++);
  if (it.duration_s)
    sqlite3_bind_double(s, i++, *it.duration_s);
  else
    sqlite3_bind_null(s, i++);
  if (it.location) {
    sqlite3_bind_double(s, i++, it.location->lat);
    sqlite3_bind_double(s, i++, it.location->lon);
    if (it.location->accuracy_m)
      sqlite3_bind_double(s, i++, *it.location->accuracy_m);
    else
      sqlite3_bind_null(s, i++);
  } else {
    sqlite3_bind_null(s, i++);
    sqlite3_bind_null(s, i++);
    sqlite3_bind_null(s, i++);
  }
  sqlite3_bind_int(s, i++, it.deleted ? 1 : 0);
  sqlite3_bind_int(s, i++, it.recovered ? 1 : 0);
  sqlite3_bind_int(s, i++, it.system ? 1 : 0);
  sqlite3_bind_int(s, i++, near_edge ? 1 : 0);
  bind_text(s, i++, it.provenance.parser);
  bind_text(s, i++, it.provenance.parser_version);
  bind_text(s, i++, it.provenance.path);
  bind_text(s, i++, it.provenance.table);
  bind_text(s, i++, it.provenance.row);
  bind_text(s, i++, it.provenance.origin);
  bind_text(s, i++, to_json_line(it));
  if (sqlite3_step(s) != SQLITE_DONE) return db_error(db, "insert item");
  const int64_t id = sqlite3_last_insert_rowid(db);

  for (const auto& l : lines) {
    sqlite3_stmt* ls = impl_->ins_line.get();
    sqlite3_reset(ls);
    sqlite3_bind_int64(ls, 1, id);
    bind_text(ls, 2, l);
    if (sqlite3_step(ls) != SQLITE_DONE) return db_error(db, "insert line");
  }
  for (size_t k = 0; k < it.parties.size(); ++k) {
    const auto& p = it.parties[k];
    sqlite3_stmt* ps = impl_->ins_party.get();
    sqlite3_reset(ps);
    sqlite3_bind_int64(ps, 1, id);
    sqlite3_bind_int64(ps, 2, static_cast<int64_t>(k));
    bind_text(ps, 3, p.raw);
    bind_text(ps, 4, p.normalised);
    bind_text(ps, 5, to_string(p.kind));
    bind_text(ps, 6, to_string(p.role));
    bind_text(ps, 7, p.name);
    bind_text(ps, 8, p.label);
    sqlite3_bind_int(ps, 9, p.is_owner ? 1 : 0);
    if (sqlite3_step(ps) != SQLITE_DONE) return db_error(db, "insert party");
  }
  std::vector<std::pair<const FileRef*, const char*>> files;
  for (const auto& a : it.attachments) files.emplace_back(&a, "attachment");
  if (it.file) files.emplace_back(&*it.file, "file");
  for (size_t k = 0; k < files.size(); ++k) {
    const FileRef& f = *files[k].first;
    sqlite3_stmt* fs_ = impl_->ins_file.get();
    sqlite3_reset(fs_);
    sqlite3_clear_bindings(fs_);
    sqlite3_bind_int64(fs_, 1, id);
    sqlite3_bind_int64(fs_, 2, static_cast<int64_t>(k));
    bind_text(fs_, 3, files[k].second);
    bind_text(fs_, 4, f.path);
    bind_text(fs_, 5, f.name);
    bind_text(fs_, 6, f.mime);
    if (f.size)
      sqlite3_bind_int64(fs_, 7, static_cast<int64_t>(*f.size));
    else
      sqlite3_bind_null(fs_, 7);
    bind_text(fs_, 8, f.sha256);
    sqlite3_bind_int(fs_, 9, f.missing ? 1 : 0);
    bind_text(fs_, 10, k < media.size() ? media[k] : std::string());
    if (sqlite3_step(fs_) != SQLITE_DONE) return db_error(db, "insert file");
  }
  ++impl_->count;
  return {};
}

Result<uint64_t> ItemsDbWriter::finish() {
  sqlite3* db = impl_->db;
  set_meta("schema_version", std::to_string(kItemsSchemaVersion));
  set_meta("items", std::to_string(impl_->count));
  if (auto st = exec(db, "INSERT INTO items_fts(items_fts) VALUES('rebuild')"); !st) return st.error();
  if (auto st = exec(db, "COMMIT"); !st) return st.error();
  if (auto st = exec(db, "PRAGMA optimize"); !st) return st.error();
  const uint64_t n = impl_->count;
  impl_.reset();  // finalises and closes
  return n;
}

ItemsDbReader::~ItemsDbReader() {
  if (db_) sqlite3_close_v2(db_);
}
ItemsDbReader::ItemsDbReader(ItemsDbReader&& o) noexcept : db_(o.db_) {
  o.db_ = nullptr;
}
ItemsDbReader& ItemsDbReader::operator=(ItemsDbReader&& o) noexcept {
  if (this != &o) {
    if (db_) sqlite3_close_v2(db_);
    db_ = o.db_;
    o.db_ = nullptr;
  }
  return *this;
}

Result<ItemsDbReader> ItemsDbReader::open(const std::filesystem::path& path) {
  ItemsDbReader r;
  const std::string uri = file_uri(path);
  if (sqlite3_open_v2(uri.c_str(), &r.db_, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI | SQLITE_OPEN_NOFOLLOW, nullptr) !=
      SQLITE_OK)
    return make_error(Errc::malformed, fmt::format("{}: cannot open: {}", path.string(),
                                                   r.db_ ? sqlite3_errmsg(r.db_) : "out of memory"));
  harden(r.db_);
  if (auto st = exec(r.db_, "PRAGMA temp_store=MEMORY"); !st) return st.error();
  auto s = prepare(r.db_, "SELECT value FROM meta WHERE key='schema_version'");
  if (!s || sqlite3_step(s->get()) != SQLITE_ROW || col_text(s->get(), 0) != std::to_string(kItemsSchemaVersion))
    return make_error(Errc::malformed, path.string() + ": not a remit items database of a known version");
  return r;
}

Result<uint64_t> ItemsDbReader::count() const {
  auto s = prepare(db_, "SELECT count(*) FROM items");
  if (!s) return s.error();
  if (sqlite3_step(s->get()) != SQLITE_ROW) return db_error(db_, "count");
  return static_cast<uint64_t>(sqlite3_column_int64(s->get(), 0));
}

Result<std::string> ItemsDbReader::meta(const std::string& key) const {
  auto s = prepare(db_, "SELECT value FROM meta WHERE key=?");
  if (!s) return s.error();
  bind_text(s->get(), 1, key);
  if (sqlite3_step(s->get()) != SQLITE_ROW) return make_error(Errc::not_found, "items.sqlite: no meta " + key);
  return col_text(s->get(), 0);
}

Status ItemsDbReader::for_each(const std::function<void(StoredItem&&)>& fn) const {
  auto s = prepare(db_, "SELECT id, item_json, near_edge FROM items ORDER BY time_ms IS NULL, time_ms, id");
  if (!s) return s.error();
  auto ls = prepare(db_, "SELECT line_id FROM item_lines WHERE item_id=? ORDER BY line_id");
  if (!ls) return ls.error();
  auto fs_ = prepare(db_, "SELECT media FROM files WHERE item_id=? ORDER BY idx");
  if (!fs_) return fs_.error();
  int rc;
  while ((rc = sqlite3_step(s->get())) == SQLITE_ROW) {
    StoredItem si;
    si.id = sqlite3_column_int64(s->get(), 0);
    auto item = item_from_json_line(col_text(s->get(), 1));
    if (!item)
      return make_error(Errc::malformed, fmt::format("items.sqlite: item {}: {}", si.id, item.error().message));
    si.item = std::move(*item);
    si.near_edge = sqlite3_column_int(s->get(), 2) != 0;
    sqlite3_reset(ls->get());
    sqlite3_bind_int64(ls->get(), 1, si.id);
    while (sqlite3_step(ls->get()) == SQLITE_ROW) si.lines.push_back(col_text(ls->get(), 0));
    sqlite3_reset(fs_->get());
    sqlite3_bind_int64(fs_->get(), 1, si.id);
    while (sqlite3_step(fs_->get()) == SQLITE_ROW) si.media.push_back(col_text(fs_->get(), 0));
    fn(std::move(si));
  }
  if (rc != SQLITE_DONE) return db_error(db_, "read items");
  return {};
}

Result<std::vector<std::string>> ItemsDbReader::locators(bool with_prior) const {
  std::vector<std::string> out;
  auto s = prepare(db_, with_prior ? "SELECT locator FROM items UNION SELECT locator FROM prior_items"
                                   : "SELECT locator FROM items");
  if (!s) return s.error();
  while (sqlite3_step(s->get()) == SQLITE_ROW) out.push_back(col_text(s->get(), 0));
  return out;
}

Result<std::vector<int64_t>> ItemsDbReader::search(const std::string& q) const {
  auto s = prepare(db_, "SELECT rowid FROM items_fts WHERE items_fts MATCH ? ORDER BY rowid");
  if (!s) return s.error();
  bind_text(s->get(), 1, q);
  std::vector<int64_t> out;
  int rc;
  while ((rc = sqlite3_step(s->get())) == SQLITE_ROW) out.push_back(sqlite3_column_int64(s->get(), 0));
  if (rc != SQLITE_DONE) return db_error(db_, "search");
  return out;
}

}  // namespace remit::pkg
