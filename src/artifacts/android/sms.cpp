// Android SMS/MMS: com.android.providers.telephony/databases/mmssms.db
//
// References:
//  - AOSP Telephony provider, Telephony.TextBasedSmsColumns (type codes
//    1 inbox, 2 sent, 3 draft, 4 outbox, 5 failed, 6 queued; `date` and
//    `date_sent` in ms since 1970).
//  - artifacts.md "Android tables" (sms, pdu, part, addr).
//  - Checked against plaso's test database android-mmssms.db (Android
//    emulator, user_version 57: 9 sms rows, 0 pdu rows).
#include "artifacts/android/sms.hpp"

#include "artifacts/common.hpp"

namespace remit::artifacts {
namespace {

constexpr std::string_view kRefs[] = {
    "AOSP Telephony.TextBasedSmsColumns (MESSAGE_TYPE_* codes)",
    "shared/docs/artifacts.md: Android tables, mmssms.db",
    "plaso test data android-mmssms.db (emulator, user_version 57)",
};
constexpr Category kCats[] = {Category::message};

struct SmsType {
  Direction direction;
  const char* label;
};

SmsType sms_type(int64_t t) {
  switch (t) {
    case 1: return {Direction::incoming, "inbox"};
    case 2: return {Direction::outgoing, "sent"};
    case 3: return {Direction::outgoing, "draft"};
    case 4: return {Direction::outgoing, "outbox"};
    case 5: return {Direction::outgoing, "failed"};
    case 6: return {Direction::outgoing, "queued"};
    default: return {Direction::unknown, "maker-specific"};
  }
}

}  // namespace

std::string_view AndroidSmsParser::name() const noexcept { return "android.sms"; }
std::string_view AndroidSmsParser::version() const noexcept { return "1.0"; }
std::span<const std::string_view> AndroidSmsParser::references() const noexcept { return kRefs; }
std::span<const Category> AndroidSmsParser::categories() const noexcept { return kCats; }

void AndroidSmsParser::parse(ParseContext& ctx) const {
  auto db = open_or_warn(ctx);
  if (!db) return;
  parse_sms(ctx, *db);
}

void AndroidSmsParser::parse_sms(ParseContext& ctx, const EvidenceDb& db) const {
  if (!db.has_table("sms")) {
    ctx.warn("missing_table", "table sms is absent");
    return;
  }
  std::vector<std::string> missing;
  const auto sql = select_sql(db, "sms", {"_id", "thread_id", "address", "date", "date_sent", "type", "body", "read"},
                              "ORDER BY \"_id\"", &missing);
  warn_missing_columns(ctx, "sms", missing);
  auto st = db.prepare(sql);
  if (!st) {
    ctx.warn("unreadable_table", st.error().message);
    return;
  }
  uint64_t rows = 0;
  while (st->step()) {
    ++rows;
    Item it;
    it.category = Category::message;
    it.service = "sms";
    it.time = column_time(*st, 3, TimeUnit::unix_ms);
    if (!st->is_null(4)) {
      Timestamp sent = column_time(*st, 4, TimeUnit::unix_ms);
      if (sent.dated()) it.other_times.push_back({"sent", std::move(sent)});
    }
    const auto type = st->opt_i64(5);
    const SmsType t = type ? sms_type(*type) : SmsType{Direction::unknown, "unknown"};
    it.direction = t.direction;
    if (type) {
      it.extra.emplace_back("sms_type", std::to_string(*type));
      it.extra.emplace_back("sms_type_label", t.label);
    }
    if (!st->is_null(2)) {
      it.parties.push_back(ctx.party(st->text(2), it.direction == Direction::outgoing ? PartyRole::to
                                                                                      : PartyRole::from));
    }
    if (!st->is_null(1)) it.thread_id = st->raw_text(1);
    it.body = st->text(6);
    if (!st->is_null(7)) it.extra.emplace_back("read", st->raw_text(7));
    it.provenance = ctx.provenance("sms", row_ref("_id", *st, 0));
    ctx.emit(std::move(it));
  }
  warn_if_stopped(ctx, *st, "sms", rows);
}

}  // namespace remit::artifacts
