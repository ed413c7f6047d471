// iOS call history: private/var/mobile/Library/CallHistoryDB/CallHistory.storedata
// and CallHistoryTemp.storedata (Core Data, table ZCALLRECORD).
//
// References:
//  - shared/docs/artifacts.md "iOS tables: CallHistory.storedata"
//    (ZCALLTYPE 1 phone, 8 FaceTime video, 16 FaceTime audio, 0 third-party).
//  - iLEAPP scripts/artifacts/callHistory.py and public APOLLO/SQL queries
//    (ZORIGINATED 0 incoming / 1 outgoing, ZANSWERED, ZDATE seconds since
//    2001, ZDURATION seconds, ZADDRESS text or blob, ZSERVICE_PROVIDER
//    com.apple.Telephony / com.apple.FaceTime / an app's bundle id).
//  - docs/item-format.md call conventions (outcome rules).
//  - No real sample in ../shared/conformance; golden case written from the
//    documented iOS 14-17 schema (tests/cases/ios_callhistory_schema).
#include "artifacts/ios/callhistory.hpp"

#include "artifacts/common.hpp"
#include "artifacts/ios/ios_common.hpp"
#include "remit/text.hpp"

namespace remit::artifacts {
namespace {

constexpr std::string_view kRefs[] = {
    "shared/docs/artifacts.md: iOS tables, CallHistory.storedata",
    "iLEAPP scripts/artifacts/callHistory.py; APOLLO call history queries (column meanings)",
    "docs/item-format.md: call outcome conventions",
    "documented iOS 14-17 ZCALLRECORD schema (ZADDRESS as text and as blob)",
};
constexpr Category kCats[] = {Category::call};

std::string service_for(std::optional<int64_t> call_type, std::string_view provider) {
  if (call_type) {
    switch (*call_type) {
      case 1:
        return "telephony";
      case 8:
        return "facetime_video";
      case 16:
        return "facetime_audio";
      default:
        break;
    }
  }
  if (iequals(provider, "com.apple.Telephony")) return "telephony";
  if (iequals(provider, "com.apple.FaceTime")) return "facetime_audio";
  if (!provider.empty()) return ascii_lower(provider);  // a CallKit app's bundle id
  return "unknown";
}

}  // namespace

std::string_view IosCallHistoryParser::name() const noexcept {
  return "ios.callhistory";
}
std::string_view IosCallHistoryParser::version() const noexcept {
  return "1.0";
}
std::span<const std::string_view> IosCallHistoryParser::references() const noexcept {
  return kRefs;
}
std::span<const Category> IosCallHistoryParser::categories() const noexcept {
  return kCats;
}

void IosCallHistoryParser::parse(ParseContext& ctx) const {
  ios::Utf8Tally u8(ctx);
  ios::IdTally ids(ctx);
  auto db = open_or_warn(ctx);
  if (!db) return;
  if (!db->has_table("ZCALLRECORD")) {
    ctx.warn("missing_table", "table ZCALLRECORD is absent");
    return;
  }
  std::vector<std::string> missing;
  const auto sql = select_sql(
      *db, "ZCALLRECORD",
      {"Z_PK", "ZDATE", "ZDURATION", "ZADDRESS", "ZORIGINATED", "ZANSWERED", "ZCALLTYPE", "ZSERVICE_PROVIDER",
       "ZISO_COUNTRY_CODE", "ZLOCATION", "ZNAME", "ZDISCONNECTED_CAUSE", "ZUNIQUE_ID", "ZREAD"},
      "ORDER BY \"Z_PK\"", &missing);
  std::vector<std::string> notable;
  for (const auto& m : missing)
    if (m == "ZDATE" || m == "ZADDRESS" || m == "ZORIGINATED" || m == "ZANSWERED" || m == "ZDURATION")
      notable.push_back(m);
  warn_missing_columns(ctx, "ZCALLRECORD", notable);
  auto st = db->prepare(sql);
  if (!st) {
    ctx.warn("unreadable_table", st.error().message);
    return;
  }
  uint64_t rows = 0;
  size_t blob_bad = 0;  // text addresses only; blob addresses are checked by emit()
  while (st->step()) {
    ++rows;
    Item it;
    it.category = Category::call;
    it.time = column_time(*st, 1, TimeUnit::mac_s);
    const std::string provider = u8.text(*st, 7);
    const auto call_type = st->opt_i64(6);
    it.service = service_for(call_type, provider);
    const auto originated = st->opt_i64(4);
    it.direction = !originated ? Direction::unknown : *originated == 1 ? Direction::outgoing : Direction::incoming;
    if (!st->is_null(2)) it.duration_s = st->f64(2);
    const bool answered = st->i64(5) == 1;
    const double dur = it.duration_s.value_or(0);
    if (it.direction == Direction::incoming) {
      it.outcome = answered ? CallOutcome::answered : CallOutcome::missed;
    } else if (it.direction == Direction::outgoing) {
      it.outcome = dur > 0 ? CallOutcome::answered : CallOutcome::unknown;
    }
    const std::string address = ios::text_or_blob(*st, 3, &blob_bad);
    if (!address.empty())
      it.parties.push_back(
          ids.party(address, it.direction == Direction::outgoing ? PartyRole::to : PartyRole::from, u8.text(*st, 10)));
    if (call_type) it.extra.emplace_back("call_type", std::to_string(*call_type));
    if (!provider.empty()) it.extra.emplace_back("service_provider", provider);
    if (!st->is_null(5)) it.extra.emplace_back("answered", st->raw_text(5));
    if (!st->is_null(11)) it.extra.emplace_back("disconnected_cause", st->raw_text(11));
    if (!st->is_null(8) && !u8.text(*st, 8).empty()) it.extra.emplace_back("iso_country_code", u8.text(*st, 8));
    if (!st->is_null(9) && !u8.text(*st, 9).empty()) it.extra.emplace_back("location", u8.text(*st, 9));
    if (!st->is_null(12) && !u8.text(*st, 12).empty()) it.extra.emplace_back("unique_id", u8.text(*st, 12));
    if (!st->is_null(13)) it.extra.emplace_back("read", st->raw_text(13));
    if (st->type(3) == SqlType::blob) it.extra.emplace_back("address_stored_as", "blob");
    it.provenance = ctx.provenance("ZCALLRECORD", row_ref("Z_PK", *st, 0));
    ctx.emit(std::move(it));
  }
  warn_if_stopped(ctx, *st, "ZCALLRECORD", rows);
  if (blob_bad > 0) ctx.warn("bad_utf8", "invalid UTF-8 in ZADDRESS replaced with U+FFFD", blob_bad);
}

}  // namespace remit::artifacts
