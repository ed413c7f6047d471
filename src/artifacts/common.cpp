#include "artifacts/common.hpp"

#include <fmt/format.h>

#include <charconv>

namespace remit::artifacts {

Timestamp column_time(const Statement& st, int col, TimeUnit unit, bool zero_is_undated) {
  Timestamp t;
  t.unit = unit;
  t.source = TimeSource::none;
  switch (st.type(col)) {
    case SqlType::null:
      return t;
    case SqlType::integer: {
      const int64_t v = st.i64(col);
      t.raw = std::to_string(v);
      if (v == 0 && zero_is_undated) return t;
      t.utc_ms = to_unix_ms(v, unit);
      break;
    }
    case SqlType::real: {
      const double v = st.f64(col);
      t.raw = st.raw_text(col);
      if (v == 0 && zero_is_undated) return t;
      t.utc_ms = to_unix_ms(v, unit);
      break;
    }
    case SqlType::text: {
      t.raw = st.text(col);
      int64_t iv = 0;
      const char* b = t.raw.data();
      const char* e = b + t.raw.size();
      if (auto [p, ec] = std::from_chars(b, e, iv); ec == std::errc() && p == e) {
        if (iv == 0 && zero_is_undated) return t;
        t.utc_ms = to_unix_ms(iv, unit);
      } else {
        double dv = 0;
        if (auto [p2, ec2] = std::from_chars(b, e, dv); ec2 == std::errc() && p2 == e) {
          if (dv == 0 && zero_is_undated) return t;
          t.utc_ms = to_unix_ms(dv, unit);
        }
      }
      break;
    }
    case SqlType::blob:
      t.raw = st.raw_text(col);
      return t;
  }
  if (t.utc_ms) t.source = TimeSource::recorded;
  return t;
}

std::string select_sql(const EvidenceDb& db, std::string_view table, std::initializer_list<std::string_view> cols,
                       std::string_view tail, std::vector<std::string>* missing) {
  const auto have = db.columns(table);
  auto present = [&](std::string_view c) {
    for (const auto& h : have)
      if (h.size() == c.size() && std::equal(h.begin(), h.end(), c.begin(), [](char a, char b) {
            return std::tolower(static_cast<unsigned char>(a)) == std::tolower(static_cast<unsigned char>(b));
          }))
        return true;
    return false;
  };
  std::string sql = "SELECT ";
  bool first = true;
  for (auto c : cols) {
    if (!first) sql += ", ";
    first = false;
    if (present(c)) {
      sql += quote_ident(table) + "." + quote_ident(c);
    } else {
      sql += "NULL";
      if (missing) missing->emplace_back(c);
    }
  }
  sql += " FROM " + quote_ident(table);
  if (!tail.empty()) {
    sql += " ";
    sql += tail;
  }
  return sql;
}

void warn_missing_columns(ParseContext& ctx, std::string_view table, const std::vector<std::string>& missing) {
  if (missing.empty()) return;
  std::string list;
  for (const auto& m : missing) {
    if (!list.empty()) list += ", ";
    list += m;
  }
  ctx.warn("missing_column", fmt::format("table {} lacks column(s) {}; read as absent", table, list), missing.size());
}

void warn_if_stopped(ParseContext& ctx, const Statement& st, std::string_view table, uint64_t rows_read) {
  if (st.error())
    ctx.warn("corrupt",
             fmt::format("reading table {} stopped after {} rows: {}", table, rows_read, st.error()->message));
}

std::optional<EvidenceDb> open_or_warn(ParseContext& ctx, const Entry* e) {
  auto db = ctx.open_db(e);
  if (!db) {
    ctx.warn("unreadable_database", db.error().message, 1, e ? e->path : std::string());
    return std::nullopt;
  }
  return std::move(*db);
}

std::string row_ref(std::string_view key_column, const Statement& st, int col) {
  return fmt::format("{}={}", key_column, st.raw_text(col));
}

}  // namespace remit::artifacts
