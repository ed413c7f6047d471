// SQLite database builder for the generators (src/synth/sqlite_writer.hpp).
// References: SQLite C API (sqlite3_test_control SQLITE_TESTCTRL_PRNG_SEED,
// SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE), file format (header bytes 18-19 = 2 in
// WAL mode); AOSP ContactsDatabaseHelper (PHONEBOOK / LOCALIZED collations).
#include "synth/sqlite_writer.hpp"

#include <fmt/format.h>

#include <cstring>

namespace remit::synth {

namespace fs = std::filesystem;

SqlStmt& SqlStmt::operator=(SqlStmt&& o) noexcept {
  if (this != &o) {
    if (st_) sqlite3_finalize(st_);
    db_ = o.db_;
    st_ = o.st_;
    o.st_ = nullptr;
  }
  return *this;
}

SqlStmt::~SqlStmt() {
  if (st_) sqlite3_finalize(st_);
}

Result<int64_t> SqlStmt::step_reset() {
  const int rc = sqlite3_step(st_);
  if (rc != SQLITE_DONE && rc != SQLITE_ROW) {
    std::string msg = fmt::format("sqlite: {} ({})", sqlite3_errmsg(db_), sqlite3_sql(st_) ? sqlite3_sql(st_) : "");
    sqlite3_reset(st_);
    sqlite3_clear_bindings(st_);
    return make_error(Errc::internal, std::move(msg));
  }
  const int64_t id = sqlite3_last_insert_rowid(db_);
  sqlite3_reset(st_);
  sqlite3_clear_bindings(st_);
  return id;
}

bool SqlStmt::next_row() {
  return sqlite3_step(st_) == SQLITE_ROW;
}

std::string SqlStmt::col_text(int c) const {
  const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(st_, c));
  return p ? std::string(p, static_cast<size_t>(sqlite3_column_bytes(st_, c))) : std::string();
}

namespace {

int binary_collation(void*, int na, const void* a, int nb, const void* b) {
  const int n = na < nb ? na : nb;
  const int c = std::memcmp(a, b, static_cast<size_t>(n));
  if (c != 0) return c;
  return na - nb;
}

}  // namespace

Result<SqlDb> SqlDb::create(const fs::path& path, uint64_t seed, const DbOptions& o) {
  std::error_code ec;
  if (fs::exists(path, ec)) return make_error(Errc::internal, "database already exists: " + path.string());
  // Reseed SQLite's PRNG: WAL salts and any other randomness follow --seed.
  const int seed32 = static_cast<int>((seed ^ (seed >> 32)) & 0x7fffffff) | 1;
  sqlite3_test_control(SQLITE_TESTCTRL_PRNG_SEED, seed32, nullptr);
  SqlDb d;
  d.path_ = path;
  d.opt_ = o;
  if (sqlite3_open_v2(path.c_str(), &d.db_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOFOLLOW,
                      nullptr) != SQLITE_OK) {
    return make_error(Errc::io, fmt::format("cannot create database {}: {}", path.string(),
                                            d.db_ ? sqlite3_errmsg(d.db_) : "out of memory"));
  }
  for (const char* name : {"PHONEBOOK", "LOCALIZED", "NOCASE_LOCALIZED"})
    sqlite3_create_collation(d.db_, name, SQLITE_UTF8, nullptr, binary_collation);
  if (auto st = d.exec(fmt::format("PRAGMA page_size={}; PRAGMA journal_mode=MEMORY; PRAGMA "
                                   "synchronous=OFF; "
                                   "PRAGMA temp_store=MEMORY; PRAGMA cache_size=-32000",
                                   o.page_size));
      !st)
    return st.error();
  if (!o.android_locale.empty()) {
    if (auto st = d.exec("CREATE TABLE android_metadata (locale TEXT); INSERT "
                         "INTO android_metadata VALUES (" +
                         sql_quote(o.android_locale) + ")");
        !st)
      return st.error();
  }
  return d;
}

SqlDb::~SqlDb() {
  if (db_) sqlite3_close_v2(db_);
}

Status SqlDb::exec(std::string_view sql) {
  char* err = nullptr;
  const std::string s(sql);
  if (sqlite3_exec(db_, s.c_str(), nullptr, nullptr, &err) != SQLITE_OK) {
    std::string msg =
        fmt::format("sqlite ({}): {} in: {}", path_.filename().string(), err ? err : "error", s.substr(0, 200));
    sqlite3_free(err);
    return make_error(Errc::internal, std::move(msg));
  }
  return {};
}

Result<SqlStmt> SqlDb::prepare(std::string_view sql) {
  sqlite3_stmt* st = nullptr;
  if (sqlite3_prepare_v2(db_, sql.data(), static_cast<int>(sql.size()), &st, nullptr) != SQLITE_OK)
    return make_error(Errc::internal, fmt::format("sqlite ({}): {} in: {}", path_.filename().string(),
                                                  sqlite3_errmsg(db_), std::string(sql.substr(0, 200))));
  return SqlStmt(db_, st);
}

Status SqlDb::start_wal_tail() {
  if (keep_wal_) return {};
  if (auto st = exec(fmt::format("PRAGMA user_version={}; PRAGMA journal_mode=WAL; "
                                 "PRAGMA wal_autocheckpoint=0; "
                                 "PRAGMA synchronous=NORMAL",
                                 opt_.user_version));
      !st)
    return st;
  keep_wal_ = true;
  return {};
}

Status SqlDb::close() {
  if (!db_) return {};
  if (keep_wal_) {
    // The tail stays in the -wal: no checkpoint when the connection closes.
    int dummy = 0;
    sqlite3_db_config(db_, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, &dummy);
  } else {
    if (auto st = exec(fmt::format("PRAGMA user_version={}", opt_.user_version)); !st) return st;
    if (auto st = exec(opt_.wal_header ? "PRAGMA journal_mode=WAL" : "PRAGMA journal_mode=DELETE"); !st) return st;
  }
  const int rc = sqlite3_close(db_);
  if (rc != SQLITE_OK) return make_error(Errc::internal, fmt::format("cannot close {}: {}", path_.string(), rc));
  db_ = nullptr;
  return {};
}

std::string sql_quote(std::string_view s) {
  std::string out = "'";
  for (char c : s) {
    if (c == '\'')
      out += "''";
    else
      out += c;
  }
  out += '\'';
  return out;
}

}  // namespace remit::synth
