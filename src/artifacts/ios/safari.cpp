// Safari history: private/var/mobile/Library/Safari/History.db
// (history_items: one row per URL; history_visits: one row per visit).
//
// References:
//  - Safari History.db schema (iOS 11-17, Safari 11-17), as published by
//    several tools: history_items(id, url, domain_expansion, visit_count, ...),
//    history_visits(id, history_item -> history_items.id, visit_time REAL
//    seconds since 2001, title, load_successful, http_non_get, synthesized,
//    redirect_source, redirect_destination, origin, generation, attributes,
//    score), history_tombstones(start_time, end_time, url, generation).
//  - plaso sqlite_plugins/safari.py (the visit/item join, Cocoa time).
//  - No real sample in ../shared/conformance: golden case from the schema
//    (tests/cases/ios_safari_schema).
#include "artifacts/ios/safari.hpp"

#include <fmt/format.h>

#include "artifacts/common.hpp"
#include "artifacts/ios/ios_common.hpp"

namespace remit::artifacts {
namespace {

constexpr std::string_view kRefs[] = {
    "Safari History.db schema (history_items, history_visits, history_tombstones), iOS 11-17",
    "plaso sqlite_plugins/safari.py (join and Cocoa time)",
};
constexpr Category kCats[] = {Category::web_visit};

}  // namespace

std::string_view IosSafariParser::name() const noexcept {
  return "ios.safari";
}
std::string_view IosSafariParser::version() const noexcept {
  return "1.0";
}
std::span<const std::string_view> IosSafariParser::references() const noexcept {
  return kRefs;
}
std::span<const Category> IosSafariParser::categories() const noexcept {
  return kCats;
}

void IosSafariParser::parse(ParseContext& ctx) const {
  ios::Utf8Tally u8(ctx);
  auto db = open_or_warn(ctx);
  if (!db) return;
  if (!db->has_table("history_visits") || !db->has_table("history_items")) {
    ctx.warn("missing_table", "table history_visits or history_items is absent");
    return;
  }
  auto col = [&](std::string_view t, std::string_view c) { return db->col_or_null(t, c); };
  const std::string sql =
      "SELECT history_visits.id, " + col("history_visits", "visit_time") + ", " + col("history_visits", "title") +
      ", " + col("history_items", "url") + ", " + col("history_items", "visit_count") + ", " +
      col("history_visits", "load_successful") + ", " + col("history_visits", "redirect_source") + ", " +
      col("history_visits", "redirect_destination") + ", " + col("history_visits", "http_non_get") + ", " +
      col("history_visits", "synthesized") + ", " + col("history_visits", "origin") + ", " +
      col("history_items", "domain_expansion") + ", history_visits.history_item" +
      " FROM history_visits LEFT JOIN history_items ON history_items.id = history_visits.history_item"
      " ORDER BY history_visits.id";
  auto st = db->prepare(sql);
  if (!st) {
    ctx.warn("unreadable_table", st.error().message);
    return;
  }
  uint64_t rows = 0, orphans = 0;
  while (st->step()) {
    ++rows;
    Item it;
    it.category = Category::web_visit;
    it.service = "safari";
    it.time = column_time(*st, 1, TimeUnit::mac_s);
    it.title = u8.text(*st, 2);
    it.url = u8.text(*st, 3);
    if (st->is_null(3)) ++orphans;
    if (!st->is_null(4)) it.extra.emplace_back("visit_count", st->raw_text(4));
    if (!st->is_null(5)) it.extra.emplace_back("load_successful", st->raw_text(5));
    if (!st->is_null(6)) it.extra.emplace_back("redirect_source", st->raw_text(6));
    if (!st->is_null(7)) it.extra.emplace_back("redirect_destination", st->raw_text(7));
    if (st->i64(8) != 0) it.extra.emplace_back("http_non_get", "1");
    if (st->i64(9) != 0) it.extra.emplace_back("synthesized", "1");
    // origin 0: this device; 1: another device through iCloud.
    if (!st->is_null(10)) it.extra.emplace_back("origin", st->raw_text(10));
    it.extra.emplace_back("history_item", st->raw_text(12));
    it.provenance = ctx.provenance("history_visits", row_ref("id", *st, 0));
    ctx.emit(std::move(it));
  }
  warn_if_stopped(ctx, *st, "history_visits", rows);
  if (orphans > 0) ctx.warn("orphan_rows", "visits whose history_item is missing (no URL)", orphans);
  if (db->has_table("history_tombstones")) {
    const int64_t n = db->count_rows("history_tombstones");
    if (n > 0)
      ctx.warn("deleted_history",
               fmt::format("history_tombstones records {} deletions of history (URL and time range, not visits); "
                           "not emitted as visits",
                           n),
               static_cast<uint64_t>(n));
  }
}

}  // namespace remit::artifacts
