// Chromium-based browsers on Android: .../app_chrome/Default/History
// (Chrome, Chrome Beta/Dev, Brave, Edge), Samsung Internet's
// .../app_sbrowser/Default/History.
//
// References:
//  - Chromium components/history/core/browser/url_database.cc and
//    visit_database.cc: urls(id, url, title, visit_count, typed_count,
//    last_visit_time, hidden), visits(id, url -> urls.id, visit_time,
//    from_visit, transition, segment_id, visit_duration (newer)); times are
//    microseconds since 1601-01-01 UTC; ui::PageTransition core type is
//    transition & 0xFF (0 link, 1 typed, 2 auto_bookmark, 3 auto_subframe,
//    4 manual_subframe, 5 generated, 6 auto_toplevel, 7 form_submit,
//    8 reload, 9 keyword, 10 keyword_generated).
//  - shared/docs/artifacts.md "Chrome History".
//  - Checked against plaso's chrome-History (meta version 20: 69 visits,
//    55 urls) and chrome-History-59 (version 36: 1 visit, 1 url): one item
//    per visits row, counted independently with the sqlite3 shell.
#include <fmt/format.h>

#include "artifacts/android/android_common.hpp"
#include "artifacts/android/bugle.hpp"
#include "artifacts/common.hpp"
#include "remit/text.hpp"

namespace remit::artifacts {
namespace {

constexpr std::string_view kRefs[] = {
    "Chromium history url_database.cc / visit_database.cc (urls, visits), ui::PageTransition",
    "shared/docs/artifacts.md: Chrome History",
    "plaso test data chrome-History (69 visits) and chrome-History-59 (1 visit)",
};
constexpr Category kCats[] = {Category::web_visit};

const char* transition_label(int64_t core) {
  switch (core) {
    case 0:
      return "link";
    case 1:
      return "typed";
    case 2:
      return "auto_bookmark";
    case 3:
      return "auto_subframe";
    case 4:
      return "manual_subframe";
    case 5:
      return "generated";
    case 6:
      return "auto_toplevel";
    case 7:
      return "form_submit";
    case 8:
      return "reload";
    case 9:
      return "keyword";
    case 10:
      return "keyword_generated";
    default:
      return "other";
  }
}

std::string browser_of(std::string_view path) {
  struct B {
    std::string_view pkg, service;
  };
  static constexpr B kBrowsers[] = {
      {"com.android.chrome/", "chrome"},
      {"com.chrome.beta/", "chrome_beta"},
      {"com.chrome.dev/", "chrome_dev"},
      {"com.chrome.canary/", "chrome_canary"},
      {"com.sec.android.app.sbrowser", "samsung_internet"},
      {"com.brave.browser/", "brave"},
      {"com.microsoft.emmx/", "edge"},
  };
  for (const auto& b : kBrowsers)
    if (path.find(b.pkg) != std::string_view::npos) return std::string(b.service);
  return "chrome";
}

}  // namespace

std::string_view AndroidChromeParser::name() const noexcept {
  return "android.chrome";
}
std::string_view AndroidChromeParser::version() const noexcept {
  return "1.0";
}
std::span<const std::string_view> AndroidChromeParser::references() const noexcept {
  return kRefs;
}
std::span<const Category> AndroidChromeParser::categories() const noexcept {
  return kCats;
}

void AndroidChromeParser::parse(ParseContext& ctx) const {
  auto db = open_or_warn(ctx);
  if (!db) return;
  android::Columns v(*db, "visits"), u(*db, "urls");
  if (!v.table_present()) {
    ctx.warn("missing_table", "table visits is absent; no visits read");
    return;
  }
  if (!u.table_present()) ctx.warn("missing_table", "table urls is absent; visits have no URL or title");
  const bool join = u.table_present() && u.has("id") && v.has("url");
  std::vector<std::string> missing;
  std::string sql = "SELECT " + v.col("v", "id", &missing) + ", " + v.col("v", "visit_time", &missing) + ", " +
                    v.col("v", "transition", &missing) + ", " + v.col("v", "from_visit") + ", " +
                    v.col("v", "visit_duration") + ", " + (join ? u.col("u", "url") : std::string("NULL")) + ", " +
                    (join ? u.col("u", "title") : std::string("NULL")) + ", " + v.col("v", "url", &missing) + ", " +
                    (join ? std::string("u.id") : std::string("NULL")) + " FROM visits v";
  if (join) sql += " LEFT JOIN urls u ON u.id = v.url";
  sql += " ORDER BY v.rowid";
  warn_missing_columns(ctx, "visits", missing);
  auto st = db->prepare(sql);
  if (!st) {
    ctx.warn("unreadable_table", "table visits could not be read: " + st.error().message);
    return;
  }
  const std::string service = browser_of(ctx.entry().path);
  android::TextReader txt_;
  uint64_t rows = 0, dangling = 0;
  while (st->step()) {
    ++rows;
    Item it;
    it.category = Category::web_visit;
    it.service = service;
    it.time = column_time(*st, 1, TimeUnit::webkit_us);
    it.direction = Direction::unknown;
    if (!st->is_null(5)) it.url = txt_(*st, 5);
    if (!st->is_null(6)) it.title = txt_(*st, 6);
    if (join && st->is_null(8) && !st->is_null(7)) ++dangling;
    if (const auto tr = st->opt_i64(2)) {
      const int64_t core = *tr & 0xFF;
      it.extra.emplace_back("transition", std::to_string(*tr));
      it.extra.emplace_back("transition_core", transition_label(core));
    }
    if (const auto from = st->opt_i64(3); from && *from > 0) it.extra.emplace_back("from_visit", std::to_string(*from));
    if (const auto dur = st->opt_i64(4); dur && *dur > 0)
      it.extra.emplace_back("visit_duration_s", fmt::format("{:.3f}", static_cast<double>(*dur) / 1e6));
    it.provenance = ctx.provenance("visits", row_ref("id", *st, 0));
    ctx.emit(std::move(it));
  }
  warn_if_stopped(ctx, *st, "visits", rows);
  txt_.report(ctx);
  if (dangling)
    ctx.warn("unresolved_reference",
             fmt::format("table visits: {} rows point at no urls row; their URL and title are unknown", dangling),
             dangling);
}

}  // namespace remit::artifacts
