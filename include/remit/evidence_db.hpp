#pragma once
// Evidence SQLite databases, opened safely and entirely from memory.
//
// Contract:
//  - The main file's bytes and its sidecars (-wal, -journal) are given as
//    buffers; nothing is ever written to disk (no temp files: the
//    connection uses temp_store=MEMORY and the in-memory "memdb" VFS).
//  - Committed, checksum-valid WAL frames are replayed into the image
//    (docs/formats/sqlite-wal.md); frames after the last commit are not
//    part of the database and are only counted (wal_info()).
//  - The connection is defensive: SQLITE_DBCONFIG_DEFENSIVE on,
//    TRUSTED_SCHEMA off, triggers off, extension loading off, query_only.
//    Triggers or views calling app-defined functions never block a read.
//  - An EvidenceDb is not thread-safe; use one per thread.
//  - Statement and row views live until the next step() or the Statement's
//    destruction; returned std::strings are copies.

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "remit/source.hpp"
#include "remit/status.hpp"

struct sqlite3;
struct sqlite3_stmt;

namespace remit {

enum class SqlType { integer, real, text, blob, null };

class Statement {
 public:
  Statement() = default;
  ~Statement();
  Statement(Statement&&) noexcept;
  Statement& operator=(Statement&&) noexcept;

  // Advances to the next row. Returns true if a row is available, false at
  // the end. On error (corruption mid-table) returns false and sets error().
  [[nodiscard]] bool step();
  [[nodiscard]] const std::optional<Error>& error() const noexcept { return error_; }
  void reset();
  void bind(int index, int64_t v);
  void bind(int index, std::string_view v);

  [[nodiscard]] int column_count() const noexcept;
  // Index of a result column by name (case-insensitive), or -1.
  [[nodiscard]] int column_index(std::string_view name) const noexcept;
  [[nodiscard]] SqlType type(int col) const noexcept;
  [[nodiscard]] bool is_null(int col) const noexcept { return type(col) == SqlType::null; }
  [[nodiscard]] int64_t i64(int col) const noexcept;
  [[nodiscard]] double f64(int col) const noexcept;
  [[nodiscard]] std::optional<int64_t> opt_i64(int col) const noexcept;
  [[nodiscard]] std::optional<double> opt_f64(int col) const noexcept;
  // Text with invalid UTF-8 replaced by U+FFFD; `bad_utf8` (if given) is incremented per replacement.
  [[nodiscard]] std::string text(int col, size_t* bad_utf8 = nullptr) const;
  [[nodiscard]] std::optional<std::string> opt_text(int col, size_t* bad_utf8 = nullptr) const;
  // The value as it is stored, rendered as text (numbers in decimal, blobs as hex).
  [[nodiscard]] std::string raw_text(int col) const;
  [[nodiscard]] std::span<const unsigned char> blob(int col) const noexcept;

 private:
  friend class EvidenceDb;
  explicit Statement(sqlite3_stmt* s) : stmt_(s) {}
  sqlite3_stmt* stmt_ = nullptr;
  std::optional<Error> error_;
};

struct WalInfo {
  bool present = false;
  uint32_t page_size = 0;
  uint64_t frames = 0;              // frames in the file with a valid salt
  uint64_t committed_frames = 0;    // frames applied (up to the last valid commit)
  uint64_t uncommitted_frames = 0;  // valid frames after the last commit (not part of the DB)
  uint64_t invalid_frames = 0;      // frames failing salt or checksum
  uint64_t commits = 0;             // number of commit frames applied
  bool header_valid = false;
};

class EvidenceDb {
 public:
  EvidenceDb(EvidenceDb&&) noexcept;
  EvidenceDb& operator=(EvidenceDb&&) noexcept;
  ~EvidenceDb();

  // Opens `main` (+ optional sidecars) read-only from memory. `label` names
  // the database in error messages (e.g. its logical path).
  // `upto_commit`: replay only the first N WAL commits (a historic
  // snapshot, used to find superseded rows); nullopt = all.
  [[nodiscard]] static Result<EvidenceDb> open(Bytes main, std::optional<Bytes> wal, std::optional<Bytes> journal,
                                               std::string label, std::optional<uint64_t> upto_commit = std::nullopt);

  // Historic states of a database and its WAL, oldest first: the main file
  // alone (commit 0), then the state after each committed WAL transaction
  // (commit 1..N; N is the live state open() gives). Each state is built in
  // one buffer, updated in place from commit to commit, so walking every
  // commit costs one replay, not one copy per commit. For each state,
  // `want(commit, changed_pages)` is asked first (changed_pages: the pages
  // that commit wrote; empty for commit 0) and may return false to skip the
  // state without building a connection; `visit` then gets a defensive
  // connection valid only during the call, and returns false to stop. States
  // whose image is not yet a database are skipped. Used to find rows that a
  // later commit superseded (recovered, never live).
  struct SnapshotVisitor {
    std::function<bool(uint64_t commit, std::span<const uint32_t> changed_pages)> want;  // optional
    std::function<bool(uint64_t commit, const EvidenceDb& db)> visit;
  };
  [[nodiscard]] static Status for_each_wal_snapshot(Bytes main, const Bytes& wal, std::string label,
                                                    const SnapshotVisitor& visitor);

  [[nodiscard]] const std::string& label() const noexcept { return label_; }
  [[nodiscard]] const WalInfo& wal_info() const noexcept { return wal_; }
  // Non-fatal facts found while opening (hot journal ignored, bad frames, ...).
  [[nodiscard]] const std::vector<std::string>& notes() const noexcept { return notes_; }

  [[nodiscard]] bool has_table(std::string_view table) const;
  [[nodiscard]] bool has_column(std::string_view table, std::string_view column) const;
  [[nodiscard]] std::vector<std::string> columns(std::string_view table) const;
  [[nodiscard]] std::vector<std::string> tables() const;
  // Row count of a table (0 if absent or unreadable).
  [[nodiscard]] int64_t count_rows(std::string_view table) const;

  [[nodiscard]] Result<Statement> prepare(std::string_view sql) const;

  // Builds `table.column` if present, else `NULL` — for SELECT lists that
  // must survive schema drift. Identifiers are quoted.
  [[nodiscard]] std::string col_or_null(std::string_view table, std::string_view column) const;

  // Raw handle for code in src/sqlite only.
  [[nodiscard]] sqlite3* handle() const noexcept { return db_; }

 private:
  EvidenceDb() = default;
  [[nodiscard]] static Status connect_image(EvidenceDb& out, unsigned char* data, size_t size);
  sqlite3* db_ = nullptr;
  std::unique_ptr<Bytes> image_;  // the database image served by memdb (kept alive here)
  std::string label_;
  WalInfo wal_;
  std::vector<std::string> notes_;
};

// Quotes an SQL identifier ("a""b").
[[nodiscard]] std::string quote_ident(std::string_view name);

// Disables core dumps for this process (RLIMIT_CORE=0): a core file would
// hold evidence content. Called once at start-up by the CLI.
void disable_core_dumps() noexcept;

}  // namespace remit
