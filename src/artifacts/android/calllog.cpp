// Android call log: calllog.db (Android 7+), contacts2.db `calls` (older),
// Samsung logs.db (table `logs`).
//
// References:
//  - AOSP CallLog.Calls: TYPE codes 1 INCOMING, 2 OUTGOING, 3 MISSED,
//    4 VOICEMAIL, 5 REJECTED, 6 BLOCKED, 7 ANSWERED_EXTERNALLY; `date` in ms
//    since 1970; `duration` in seconds; FEATURES bit 0x1 = video.
//  - artifacts.md "Call log".
//  - Samsung LogsProvider (com.sec.android.provider.logsprovider), schema
//    from its DatabaseHelper: logs(_id, number, address, date, duration,
//    type, new, name, ..., countryiso, geocoded_location, ..., logtype NOT
//    NULL, ..., m_subject, m_content, ..., service_type, ...). `type` uses
//    the CallLog.Calls codes. `logtype` says what the row is: 100 voice
//    call, 500/900 video call, 800 VoIP, 1000 VoLTE, 120/510 ChatON voice /
//    video (from the provider's duration trigger); 200 MMS and 300 SMS rows
//    are message snippets (the provider's own call-log view excludes them).
//  - Checked against plaso's android-contacts2.db (3 rows in `calls`);
//    logs.db against the documented schema (tests/cases/android_calllog_samsung_logs).
#include "artifacts/android/calllog.hpp"

#include <fmt/format.h>

#include "artifacts/android/android_common.hpp"
#include "artifacts/common.hpp"
#include "remit/text.hpp"

namespace remit::artifacts {
namespace {

constexpr std::string_view kRefs[] = {
    "AOSP android.provider.CallLog.Calls (TYPE codes, FEATURES_VIDEO)",
    "shared/docs/artifacts.md: Android call log",
    "Samsung LogsProvider logs.db schema (DatabaseHelper onCreate; duration trigger logtype codes)",
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
    case 1:
      return {Direction::incoming, CallOutcome::answered, "incoming"};
    case 2:
      return {Direction::outgoing, duration && *duration > 0 ? CallOutcome::answered : CallOutcome::unknown,
              "outgoing"};
    case 3:
      return {Direction::incoming, CallOutcome::missed, "missed"};
    case 4:
      return {Direction::incoming, CallOutcome::voicemail, "voicemail"};
    case 5:
      return {Direction::incoming, CallOutcome::rejected, "rejected"};
    case 6:
      return {Direction::incoming, CallOutcome::blocked, "blocked"};
    case 7:
      return {Direction::incoming, CallOutcome::answered, "answered_externally"};
    default:
      return {Direction::unknown, CallOutcome::unknown, "maker-specific"};
  }
}

// Samsung logs.logtype.
struct LogType {
  bool call;
  bool video;
  const char* service;
  const char* label;
};

LogType samsung_logtype(int64_t lt) {
  switch (lt) {
    case 100:
      return {true, false, "telephony", "voice"};
    case 500:
      return {true, true, "telephony", "video"};
    case 900:
      return {true, true, "telephony", "video"};
    case 800:
      return {true, false, "voip", "voip"};
    case 1000:
      return {true, false, "telephony", "volte"};
    case 120:
      return {true, false, "chaton", "chaton_voice"};
    case 510:
      return {true, true, "chaton", "chaton_video"};
    case 200:
      return {false, false, "mms", "mms_snippet"};
    case 300:
      return {false, false, "sms", "sms_snippet"};
    case 1200:
      return {false, false, "", "message_snippet"};
    case 1100:
      return {false, false, "", "contents_shared"};
    default:
      return {true, false, "telephony", "samsung-specific"};
  }
}

class Run {
 public:
  Run(ParseContext& ctx, const EvidenceDb& db) : ctx_(ctx), db_(db), parties_(ctx) {}

  void go() {
    const bool calls = db_.has_table("calls");
    const bool logs = db_.has_table("logs") && db_.has_column("logs", "logtype");
    if (!calls && !logs) {
      // Newer contacts2.db no longer holds the call log: not a problem.
      if (!ends_with_ci(ctx_.entry().path, "contacts2.db"))
        ctx_.warn("missing_table", "neither table calls nor table logs is present");
      return;
    }
    if (calls) calls_table();
    if (logs) logs_table();
  }

 private:
  void calls_table() {
    std::vector<std::string> missing;
    const auto sql = select_sql(db_, "calls",
                                {"_id", "number", "date", "duration", "type", "name", "features", "geocoded_location",
                                 "countryiso", "phone_account_address", "subscription_component_name"},
                                "ORDER BY rowid", &missing);
    warn_missing_columns(ctx_, "calls", missing);
    auto st = db_.prepare(sql);
    if (!st) {
      ctx_.warn("unreadable_table", "table calls could not be read: " + st.error().message);
      return;
    }
    uint64_t rows = 0;
    while (st->step()) {
      ++rows;
      Item it = base_item(*st, 2, 3, 4, 1, 5);
      it.service = "telephony";
      if (const auto features = st->opt_i64(6); features && (*features & 1)) it.extra.emplace_back("video", "1");
      if (!st->is_null(7)) it.extra.emplace_back("geocoded_location", txt_(*st, 7));
      if (!st->is_null(8)) it.extra.emplace_back("countryiso", txt_(*st, 8));
      if (!st->is_null(9)) it.extra.emplace_back("phone_account_address", txt_(*st, 9));
      if (!st->is_null(10)) it.extra.emplace_back("phone_account_component", txt_(*st, 10));
      it.provenance = ctx_.provenance("calls", row_ref("_id", *st, 0));
      ctx_.emit(std::move(it));
    }
    warn_if_stopped(ctx_, *st, "calls", rows);
  }

  void logs_table() {
    std::vector<std::string> missing;
    const auto sql = select_sql(db_, "logs",
                                {"_id", "number", "date", "duration", "type", "name", "logtype", "geocoded_location",
                                 "countryiso", "service_type"},
                                "ORDER BY rowid", &missing);
    warn_missing_columns(ctx_, "logs", missing);
    auto st = db_.prepare(sql);
    if (!st) {
      ctx_.warn("unreadable_table", "table logs could not be read: " + st.error().message);
      return;
    }
    uint64_t rows = 0, not_calls = 0;
    while (st->step()) {
      ++rows;
      const auto lt_raw = st->opt_i64(6);
      const LogType lt = lt_raw ? samsung_logtype(*lt_raw) : LogType{true, false, "telephony", "unknown"};
      if (!lt.call) {
        ++not_calls;
        continue;
      }
      Item it = base_item(*st, 2, 3, 4, 1, 5);
      it.service = lt.service;
      if (lt_raw) {
        it.extra.emplace_back("samsung_logtype", std::to_string(*lt_raw));
        it.extra.emplace_back("samsung_logtype_label", lt.label);
      }
      if (lt.video) it.extra.emplace_back("video", "1");
      if (!st->is_null(7)) it.extra.emplace_back("geocoded_location", txt_(*st, 7));
      if (!st->is_null(8)) it.extra.emplace_back("countryiso", txt_(*st, 8));
      if (!st->is_null(9)) it.extra.emplace_back("service_type", st->raw_text(9));
      it.provenance = ctx_.provenance("logs", row_ref("_id", *st, 0));
      ctx_.emit(std::move(it));
    }
    warn_if_stopped(ctx_, *st, "logs", rows);
    if (not_calls)
      ctx_.warn("skipped_rows",
                fmt::format("table logs: {} rows are message snippets or shares (logtype 200/300/1100/1200), "
                            "not calls; messages are read from mmssms.db",
                            not_calls),
                not_calls);
  }

  Item base_item(const Statement& st, int date, int dur, int type_col, int number, int name) {
    Item it;
    it.category = Category::call;
    it.time = column_time(st, date, TimeUnit::unix_ms);
    const auto duration = st.opt_i64(dur);
    if (duration) it.duration_s = static_cast<double>(*duration);
    const auto type = st.opt_i64(type_col);
    const CallType ct =
        type ? call_type(*type, duration) : CallType{Direction::unknown, CallOutcome::unknown, "unknown"};
    it.direction = ct.direction;
    it.outcome = ct.outcome;
    if (type) {
      it.extra.emplace_back("call_type", std::to_string(*type));
      it.extra.emplace_back("call_type_label", ct.label);
    }
    if (!st.is_null(number)) {
      const std::string raw = txt_(st, number);
      if (!trim(raw).empty())
        it.parties.push_back(parties_.get(raw, ct.direction == Direction::outgoing ? PartyRole::to : PartyRole::from,
                                          st.is_null(name) ? std::string() : txt_(st, name)));
    }
    return it;
  }

  ParseContext& ctx_;
  const EvidenceDb& db_;
  android::PartyCache parties_;

 public:
  android::TextReader txt_;
};

}  // namespace

std::string_view AndroidCallLogParser::name() const noexcept {
  return "android.calllog";
}
std::string_view AndroidCallLogParser::version() const noexcept {
  return "1.1";
}
std::span<const std::string_view> AndroidCallLogParser::references() const noexcept {
  return kRefs;
}
std::span<const Category> AndroidCallLogParser::categories() const noexcept {
  return kCats;
}

void AndroidCallLogParser::parse(ParseContext& ctx) const {
  auto db = open_or_warn(ctx);
  if (!db) return;
  Run run(ctx, *db);
  run.go();
  run.txt_.report(ctx);
}

}  // namespace remit::artifacts
