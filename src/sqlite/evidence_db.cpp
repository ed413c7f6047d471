// Evidence databases opened from memory (include/remit/evidence_db.hpp).
// References: https://www.sqlite.org/c3ref/deserialize.html,
// https://www.sqlite.org/c3ref/c_dbconfig_defensive.html (DEFENSIVE,
// TRUSTED_SCHEMA, ENABLE_TRIGGER, ENABLE_VIEW), https://www.sqlite.org/security.html.
#include "remit/evidence_db.hpp"

#include <fmt/format.h>
#include <sqlite3.h>
#include <sys/resource.h>

#include <cstring>

#include "remit/hash.hpp"
#include "remit/item.hpp"
#include "remit/text.hpp"
#include "sqlite/wal_replay.hpp"

namespace remit {

std::string quote_ident(std::string_view name) {
  std::string out = "\"";
  for (char c : name) {
    if (c == '"') out.push_back('"');
    out.push_back(c);
  }
  out.push_back('"');
  return out;
}

void disable_core_dumps() noexcept {
  struct rlimit rl {
    0, 0
  };
  ::setrlimit(RLIMIT_CORE, &rl);
}

// ---- Statement -------------------------------------------------------------

Statement::~Statement() {
  if (stmt_) sqlite3_finalize(stmt_);
}
Statement::Statement(Statement&& o) noexcept : stmt_(o.stmt_), error_(std::move(o.error_)) {
  o.stmt_ = nullptr;
}
Statement& Statement::operator=(Statement&& o) noexcept {
  if (this != &o) {
    if (stmt_) sqlite3_finalize(stmt_);
    stmt_ = o.stmt_;
    error_ = std::move(o.error_);
    o.stmt_ = nullptr;
  }
  return *this;
}

bool Statement::step() {
  if (!stmt_ || error_) return false;
  const int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  sqlite3* db = sqlite3_db_handle(stmt_);
  error_ = make_error(Errc::malformed, fmt::format("{} ({})", sqlite3_errmsg(db), sqlite3_errstr(rc)));
  return false;
}

void Statement::reset() {
  if (stmt_) sqlite3_reset(stmt_);
  error_.reset();
}
void Statement::bind(int index, int64_t v) {
  sqlite3_bind_int64(stmt_, index, v);
}
void Statement::bind(int index, std::string_view v) {
  sqlite3_bind_text(stmt_, index, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
}

int Statement::column_count() const noexcept {
  return stmt_ ? sqlite3_column_count(stmt_) : 0;
}

int Statement::column_index(std::string_view name) const noexcept {
  const int n = column_count();
  for (int i = 0; i < n; ++i) {
    const char* c = sqlite3_column_name(stmt_, i);
    if (c && iequals(c, name)) return i;
  }
  return -1;
}

SqlType Statement::type(int col) const noexcept {
  if (col < 0 || col >= column_count()) return SqlType::null;
  switch (sqlite3_column_type(stmt_, col)) {
    case SQLITE_INTEGER:
      return SqlType::integer;
    case SQLITE_FLOAT:
      return SqlType::real;
    case SQLITE_TEXT:
      return SqlType::text;
    case SQLITE_BLOB:
      return SqlType::blob;
    default:
      return SqlType::null;
  }
}

int64_t Statement::i64(int col) const noexcept {
  return (col < 0 || col >= column_count()) ? 0 : sqlite3_column_int64(stmt_, col);
}
double Statement::f64(int col) const noexcept {
  return (col < 0 || col >= column_count()) ? 0.0 : sqlite3_column_double(stmt_, col);
}
std::optional<int64_t> Statement::opt_i64(int col) const noexcept {
  if (is_null(col)) return std::nullopt;
  return i64(col);
}
std::optional<double> Statement::opt_f64(int col) const noexcept {
  if (is_null(col)) return std::nullopt;
  return f64(col);
}

std::string Statement::text(int col, size_t* bad_utf8) const {
  if (col < 0 || col >= column_count()) return {};
  const auto* p = sqlite3_column_text(stmt_, col);
  const int n = sqlite3_column_bytes(stmt_, col);
  if (!p) return {};
  std::string s(reinterpret_cast<const char*>(p), static_cast<size_t>(n));
  const size_t bad = sanitize_utf8(s);
  if (bad_utf8) *bad_utf8 += bad;
  return s;
}

std::optional<std::string> Statement::opt_text(int col, size_t* bad_utf8) const {
  if (is_null(col)) return std::nullopt;
  return text(col, bad_utf8);
}

std::string Statement::raw_text(int col) const {
  switch (type(col)) {
    case SqlType::null:
      return {};
    case SqlType::integer:
      return std::to_string(i64(col));
    case SqlType::real:
      return fmt::format("{}", f64(col));
    case SqlType::blob:
      return to_hex(blob(col));
    case SqlType::text:
      return text(col);
  }
  return {};
}

std::span<const unsigned char> Statement::blob(int col) const noexcept {
  if (col < 0 || col >= column_count()) return {};
  const void* p = sqlite3_column_blob(stmt_, col);
  const int n = sqlite3_column_bytes(stmt_, col);
  if (!p || n <= 0) return {};
  return {static_cast<const unsigned char*>(p), static_cast<size_t>(n)};
}

// ---- EvidenceDb ------------------------------------------------------------

EvidenceDb::EvidenceDb(EvidenceDb&& o) noexcept
    : db_(o.db_), image_(std::move(o.image_)), label_(std::move(o.label_)), wal_(o.wal_), notes_(std::move(o.notes_)) {
  o.db_ = nullptr;
}
EvidenceDb& EvidenceDb::operator=(EvidenceDb&& o) noexcept {
  if (this != &o) {
    if (db_) sqlite3_close_v2(db_);
    db_ = o.db_;
    o.db_ = nullptr;
    image_ = std::move(o.image_);
    label_ = std::move(o.label_);
    wal_ = o.wal_;
    notes_ = std::move(o.notes_);
  }
  return *this;
}
EvidenceDb::~EvidenceDb() {
  if (db_) sqlite3_close_v2(db_);
}

// Opens a defensive, read-only, in-memory connection over `size` bytes at
// `data` (not copied: the caller keeps the buffer alive and unchanged while
// the connection lives) and loads the schema.
Status EvidenceDb::connect_image(EvidenceDb& out, unsigned char* data, size_t size) {
  sqlite3* db = nullptr;
  const int rc =
      sqlite3_open_v2(":memory:", &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr);
  out.db_ = db;
  if (rc != SQLITE_OK) return make_error(Errc::internal, fmt::format("{}: sqlite3_open failed", out.label_));
  sqlite3_db_config(db, SQLITE_DBCONFIG_DEFENSIVE, 1, nullptr);
  sqlite3_db_config(db, SQLITE_DBCONFIG_TRUSTED_SCHEMA, 0, nullptr);
  sqlite3_db_config(db, SQLITE_DBCONFIG_ENABLE_TRIGGER, 0, nullptr);
  sqlite3_db_config(db, SQLITE_DBCONFIG_ENABLE_VIEW, 0, nullptr);
  sqlite3_db_config(db, SQLITE_DBCONFIG_ENABLE_LOAD_EXTENSION, 0, nullptr);
  sqlite3_db_config(db, SQLITE_DBCONFIG_ENABLE_FKEY, 0, nullptr);
  sqlite3_exec(db, "PRAGMA temp_store=MEMORY", nullptr, nullptr, nullptr);
  const int drc = sqlite3_deserialize(db, "main", data, static_cast<sqlite3_int64>(size),
                                      static_cast<sqlite3_int64>(size), SQLITE_DESERIALIZE_READONLY);
  if (drc != SQLITE_OK)
    return make_error(Errc::internal,
                      fmt::format("{}: cannot load database image: {}", out.label_, sqlite3_errstr(drc)));
  sqlite3_exec(db, "PRAGMA query_only=1", nullptr, nullptr, nullptr);
  sqlite3_exec(db, "PRAGMA cell_size_check=ON", nullptr, nullptr, nullptr);
  sqlite3_exec(db, "PRAGMA mmap_size=0", nullptr, nullptr, nullptr);
  // Force the schema to load now so a broken one is reported here.
  char* err = nullptr;
  if (sqlite3_exec(db, "SELECT count(*) FROM sqlite_master", nullptr, nullptr, &err) != SQLITE_OK) {
    std::string msg = err ? err : "unknown error";
    sqlite3_free(err);
    return make_error(Errc::malformed, fmt::format("{}: unreadable database: {}", out.label_, msg));
  }
  return {};
}

Result<EvidenceDb> EvidenceDb::open(Bytes main, std::optional<Bytes> wal, std::optional<Bytes> journal,
                                    std::string label, std::optional<uint64_t> upto_commit) {
  EvidenceDb out;
  out.label_ = std::move(label);
  out.image_ = std::make_unique<Bytes>(std::move(main));
  Bytes& image = *out.image_;

  static constexpr char kHeader[] = "SQLite format 3";
  const bool main_ok = image.size() >= 100 && std::memcmp(image.data(), kHeader, 16) == 0;
  if (journal && !journal->empty()) detail::rollback_journal(image, *journal, out.notes_);
  if (wal) out.wal_ = detail::replay_wal(image, *wal, upto_commit, out.notes_);
  if (image.empty()) return make_error(Errc::malformed, fmt::format("{}: empty database file", out.label_));
  if (image.size() < 100 || std::memcmp(image.data(), kHeader, 16) != 0)
    return make_error(Errc::malformed, fmt::format("{}: not an SQLite database (bad header{})", out.label_,
                                                   main_ok ? " after WAL replay" : ""));
  if (wal && out.wal_.header_valid && main_ok) {
    const uint32_t main_ps =
        (uint32_t{image[16]} << 8 | image[17]) == 1 ? 65536u : (uint32_t{image[16]} << 8 | image[17]);
    if (main_ps != out.wal_.page_size)
      out.notes_.push_back(fmt::format("WAL page size {} differs from the database's {}", out.wal_.page_size, main_ps));
  }
  // The image is now a self-contained rollback-mode database: mark it so
  // (file format read/write versions 1) so SQLite never looks for a WAL.
  image[18] = 1;
  image[19] = 1;

  if (auto st = connect_image(out, image.data(), image.size()); !st) return std::move(st).error();
  return out;
}

Status EvidenceDb::for_each_wal_snapshot(Bytes main, const Bytes& wal, std::string label,
                                         const SnapshotVisitor& visitor) {
  static constexpr char kHeader[] = "SQLite format 3";
  Bytes image = std::move(main);
  std::vector<std::string> notes;
  auto visit_state = [&](uint64_t commit, std::span<const uint32_t> changed) -> bool {
    if (image.size() < 100 || std::memcmp(image.data(), kHeader, 16) != 0) return true;  // no database yet
    if (visitor.want && !visitor.want(commit, changed)) return true;
    // A self-contained rollback-mode image, as in open().
    const unsigned char r = image[18], w = image[19];
    image[18] = 1;
    image[19] = 1;
    EvidenceDb snap;
    snap.label_ = fmt::format("{} (state after WAL commit {})", label, commit);
    bool go_on = true;
    if (connect_image(snap, image.data(), image.size())) go_on = visitor.visit(commit, snap);
    snap = EvidenceDb();  // close before the buffer changes
    image[18] = r;
    image[19] = w;
    return go_on;
  };
  if (!visit_state(0, {})) return {};
  detail::walk_wal_commits(
      image, wal, [&](uint64_t commit, std::span<const uint32_t> changed) { return visit_state(commit, changed); },
      notes);
  return {};
}

Result<Statement> EvidenceDb::prepare(std::string_view sql) const {
  sqlite3_stmt* s = nullptr;
  const int rc = sqlite3_prepare_v2(db_, sql.data(), static_cast<int>(sql.size()), &s, nullptr);
  if (rc != SQLITE_OK) {
    if (s) sqlite3_finalize(s);
    return make_error(Errc::malformed, fmt::format("{}: {}", label_, sqlite3_errmsg(db_)));
  }
  return Statement(s);
}

std::vector<std::string> EvidenceDb::tables() const {
  std::vector<std::string> out;
  auto st = prepare("SELECT name FROM sqlite_master WHERE type='table' ORDER BY name");
  if (!st) return out;
  while (st->step()) out.push_back(st->text(0));
  return out;
}

bool EvidenceDb::has_table(std::string_view table) const {
  auto st = prepare("SELECT 1 FROM sqlite_master WHERE type='table' AND name=?1 COLLATE NOCASE");
  if (!st) return false;
  st->bind(1, table);
  return st->step();
}

std::vector<std::string> EvidenceDb::columns(std::string_view table) const {
  std::vector<std::string> out;
  auto st = prepare("SELECT name FROM pragma_table_info(?1)");
  if (!st) return out;
  st->bind(1, table);
  while (st->step()) out.push_back(st->text(0));
  return out;
}

bool EvidenceDb::has_column(std::string_view table, std::string_view column) const {
  for (const auto& c : columns(table))
    if (iequals(c, column)) return true;
  return false;
}

int64_t EvidenceDb::count_rows(std::string_view table) const {
  if (!has_table(table)) return 0;
  auto st = prepare("SELECT count(*) FROM " + quote_ident(table));
  if (!st || !st->step()) return 0;
  return st->i64(0);
}

std::string EvidenceDb::col_or_null(std::string_view table, std::string_view column) const {
  if (!has_column(table, column)) return "NULL";
  return quote_ident(table) + "." + quote_ident(column);
}

}  // namespace remit
