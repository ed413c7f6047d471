#pragma once
// Building SQLite databases for synthetic extractions: deterministic bytes,
// realistic headers (WAL-mode databases, user_version, android_metadata),
// and Android's custom collations registered so real schemas (contacts2's
// "COLLATE PHONEBOOK", "COLLATE LOCALIZED") can be created as they are.
//
// Determinism: SQLite's PRNG (WAL salts, temp names) is reseeded from the
// generator seed before each database (SQLITE_TESTCTRL_PRNG_SEED); all
// content comes from the caller. The PRNG is process-global: build one
// database at a time (the generators are single-threaded).
//
// Not thread-safe. The handle is RAII; statements must not outlive it.

#include <sqlite3.h>

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "remit/status.hpp"

namespace remit::synth {

struct Blob {
  std::string_view bytes;
};

class SqlStmt {
 public:
  SqlStmt() = default;
  SqlStmt(sqlite3* db, sqlite3_stmt* st) : db_(db), st_(st) {}
  SqlStmt(SqlStmt&& o) noexcept : db_(o.db_), st_(o.st_) { o.st_ = nullptr; }
  SqlStmt& operator=(SqlStmt&& o) noexcept;
  ~SqlStmt();

  void bind(int i, std::nullptr_t) { sqlite3_bind_null(st_, i); }
  template <class T>
    requires std::is_integral_v<T>
  void bind(int i, T v) {
    sqlite3_bind_int64(st_, i, static_cast<sqlite3_int64>(v));
  }
  void bind(int i, double v) { sqlite3_bind_double(st_, i, v); }
  void bind(int i, std::string_view v) {
    sqlite3_bind_text(st_, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
  }
  void bind(int i, const std::string& v) { bind(i, std::string_view(v)); }
  void bind(int i, const char* v) {
    if (v)
      bind(i, std::string_view(v));
    else
      bind(i, nullptr);
  }
  void bind(int i, Blob b) {
    sqlite3_bind_blob(st_, i, b.bytes.data(), static_cast<int>(b.bytes.size()), SQLITE_TRANSIENT);
  }
  template <class T>
  void bind(int i, const std::optional<T>& v) {
    if (v)
      bind(i, *v);
    else
      bind(i, nullptr);
  }

  // Binds all values (1-based, in order), steps once, resets. Returns the
  // rowid of the inserted row.
  template <class... Args>
  [[nodiscard]] Result<int64_t> run(const Args&... args) {
    int i = 0;
    (bind(++i, args), ...);
    return step_reset();
  }
  [[nodiscard]] Result<int64_t> step_reset();
  // For queries: steps and reports whether a row is available.
  [[nodiscard]] bool next_row();
  [[nodiscard]] int64_t col_int(int c) const { return sqlite3_column_int64(st_, c); }
  [[nodiscard]] std::string col_text(int c) const;

 private:
  sqlite3* db_ = nullptr;
  sqlite3_stmt* st_ = nullptr;
};

struct DbOptions {
  int page_size = 4096;
  int user_version = 0;
  bool wal_header = true;                // leave the file marked as a WAL-mode database (Android default)
  std::string android_locale = "en_GB";  // android_metadata row; empty: no table
};

class SqlDb {
 public:
  // Creates a new database file at `path` (must not exist).
  [[nodiscard]] static Result<SqlDb> create(const std::filesystem::path& path, uint64_t seed, const DbOptions& o);
  SqlDb(SqlDb&& o) noexcept : db_(o.db_), path_(std::move(o.path_)), opt_(o.opt_), keep_wal_(o.keep_wal_) {
    o.db_ = nullptr;
  }
  SqlDb& operator=(SqlDb&&) = delete;
  ~SqlDb();

  [[nodiscard]] Status exec(std::string_view sql);
  [[nodiscard]] Result<SqlStmt> prepare(std::string_view sql);
  [[nodiscard]] sqlite3* handle() const noexcept { return db_; }
  [[nodiscard]] const std::filesystem::path& path() const noexcept { return path_; }

  // Opens and commits the bulk-load transaction.
  [[nodiscard]] Status begin() { return exec("BEGIN"); }
  [[nodiscard]] Status commit() { return exec("COMMIT"); }

  // Switches to WAL mode with automatic checkpoints off: everything written
  // after this (outside an open transaction) stays in the -wal file, as on
  // a phone taken while the app was in use. close() then keeps the -wal.
  [[nodiscard]] Status start_wal_tail();
  [[nodiscard]] bool wal_tail() const noexcept { return keep_wal_; }

  // Finishes: sets user_version, switches the header to WAL mode when
  // asked (checkpointing everything), and closes; after start_wal_tail()
  // the -wal file is kept, uncheckpointed.
  [[nodiscard]] Status close();

 private:
  SqlDb() = default;
  sqlite3* db_ = nullptr;
  std::filesystem::path path_;
  DbOptions opt_;
  bool keep_wal_ = false;
};

// Quotes a string as an SQL literal ('it''s').
[[nodiscard]] std::string sql_quote(std::string_view s);

}  // namespace remit::synth
