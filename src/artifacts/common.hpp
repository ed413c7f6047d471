#pragma once
// Helpers shared by artifact parsers. Internal to src/artifacts.
//
// Contracts: all helpers are pure or act only on the objects passed in; none
// logs content. Thread-compatible.

#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

#include "remit/evidence_db.hpp"
#include "remit/item.hpp"
#include "remit/parser.hpp"

namespace remit::artifacts {

// Reads a timestamp column. NULL (and 0 when `zero_is_undated`) give an
// undated Timestamp that still keeps the raw text. Text columns holding a
// number are accepted. `source` is TimeSource::recorded when converted.
[[nodiscard]] Timestamp column_time(const Statement& st, int col, TimeUnit unit, bool zero_is_undated = true);

// Builds "SELECT <cols> FROM <table> <tail>" where each wanted column that
// the table lacks becomes "NULL". Result columns keep the requested order,
// so they can be read by position. Missing column names are appended to
// `missing` (if given).
[[nodiscard]] std::string select_sql(const EvidenceDb& db, std::string_view table,
                                     std::initializer_list<std::string_view> cols, std::string_view tail = {},
                                     std::vector<std::string>* missing = nullptr);

// Records one "missing_column" warning listing `missing` (if not empty).
void warn_missing_columns(ParseContext& ctx, std::string_view table, const std::vector<std::string>& missing);

// After a row loop: records a "corrupt" warning if the statement stopped on
// an error, naming the table and how many rows were read.
void warn_if_stopped(ParseContext& ctx, const Statement& st, std::string_view table, uint64_t rows_read);

// Opens the entry's database, recording an "unreadable_database" warning on
// failure. Returns nullopt on failure.
[[nodiscard]] std::optional<EvidenceDb> open_or_warn(ParseContext& ctx, const Entry* e = nullptr);

// "_id=42" style row identity.
[[nodiscard]] std::string row_ref(std::string_view key_column, const Statement& st, int col);

}  // namespace remit::artifacts
