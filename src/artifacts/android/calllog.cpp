// Android call log: calllog.db (Android 7+), contacts2.db `calls` (older).
//
// References:
//  - AOSP CallLog.Calls: TYPE codes 1 INCOMING, 2 OUTGOING, 3 MISSED,
//    4 VOICEMAIL, 5 REJECTED, 6 BLOCKED, 7 ANSWERED_EXTERNALLY; `date` in ms
//    since 1970; `duration` in seconds; FEATURES bit 0x1 = video.
//  - artifacts.md "Call log".
//  - Checked against plaso's android-contacts2.db (3 rows in `calls`).
#include "artifacts/android/calllog.hpp"

#include "artifacts/common.hpp"
#include "remit/text.hpp"

namespace remit::artifacts {
namespace {

constexpr std::string_view kRefs[] = {
    "AOSP android.provider.CallLog.Calls (TYPE codes, FEATURES_VIDEO)",
    "shared/docs/artifacts.md: Android call log",
    "plaso test data android-contacts2.db (calls table, 3 rows)",
};
constexpr Category kCats[] = {Category::call};

struct CallType {
  Direction direction;
  CallOutcome outcome;
  const char* label;
};

CallType call_type(int64_t t, std::optional<int64_t> duration) {
  switch (t) {
    case 1: return {Direction::incoming, CallOutcome::answered, "incoming"};
    case 2:
      return {Direction::outgoing, duration && *duration > 0 ? CallOutcome::answered : CallOutcome::unknown,
              "outgoing"};
    case 3: return {Direction::incoming, CallOutcome::missed, "missed"};
    case 4: return {Direction::incoming, CallOutcome::voicemail, "voicemail"};
    case 5: return {Direction::incoming, CallOutcome::rejected, "rejected"};
    case 6: return {Direction::incoming, CallOutcome::blocked, "blocked"};
    case 7: return {Direction::incoming, CallOutcome::answered, "answered_externally"};
    default: return {Direction::unknown, CallOutcome::unknown, "maker-specific"};
  }
}

}  // namespace

std::string_view AndroidCallLogParser::name() const noexcept { return "android.calllog"; }
std::string_view AndroidCallLogParser::version() const noexcept { return "1.0"; }
std::span<const std::string_view> AndroidCallLogParser::references() const noexcept { return kRefs; }
std::span<const Category> AndroidCallLogParser::categories() const noexcept { return kCats; }

void AndroidCallLogParser::parse(ParseContext& ctx) const {
  auto db = open_or_warn(ctx);
  if (!db) return;
  if (!db->has_table("calls")) {
    // Newer contacts2.db no longer holds the call log: not a problem.
    if (!ends_with_ci(ctx.entry().path, "contacts2.db")) ctx.warn("missing_table", "table calls is absent");
    return;
  }
  std::vector<std::string> missing;
  const auto sql = select_sql(*db, "calls",
                              {"_id", "number", "date", "duration", "type", "name", "features", "geocoded_location",
                               "countryiso", "phone_account_address", "subscription_component_name"},
                              "ORDER BY \"_id\"", &missing);
  warn_missing_columns(ctx, "calls", missing);
  auto st = db->prepare(sql);
  if (!st) {
    ctx.warn("unreadable_table", st.error().message);
    return;
  }
  uint64_t rows = 0;
  while (st->step()) {
    ++rows;
    Item it;
    it.category = Category::call;
    it.service = "telephony";
    it.time = column_time(*st, 2, TimeUnit::unix_ms);
    const auto duration = st->opt_i64(3);
    if (duration) it.duration_s = static_cast<double>(*duration);
    const auto type = st->opt_i64(4);
    const CallType ct = type ? call_type(*type, duration) : CallType{Direction::unknown, CallOutcome::unknown, "unknown"};
    it.direction = ct.direction;
    it.outcome = ct.outcome;
    if (type) {
      it.extra.emplace_back("call_type", std::to_string(*type));
      it.extra.emplace_back("call_type_label", ct.label);
    }
    if (!st->is_null(1)) {
      it.parties.push_back(ctx.party(st->text(1), ct.direction == Direction::outgoing ? PartyRole::to : PartyRole::from,
                                     st->is_null(5) ? std::string() : st->text(5)));
    }
    if (const auto features = st->opt_i64(6); features && (*features & 1)) it.extra.emplace_back("video", "1");
    if (!st->is_null(7)) it.extra.emplace_back("geocoded_location", st->text(7));
    if (!st->is_null(8)) it.extra.emplace_back("countryiso", st->text(8));
    if (!st->is_null(9)) it.extra.emplace_back("phone_account_address", st->text(9));
    if (!st->is_null(10)) it.extra.emplace_back("phone_account_component", st->text(10));
    it.provenance = ctx.provenance("calls", row_ref("_id", *st, 0));
    ctx.emit(std::move(it));
  }
  warn_if_stopped(ctx, *st, "calls", rows);
}

}  // namespace remit::artifacts
