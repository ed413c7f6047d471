// WhatsApp for iOS contacts: <AppGroup>/ContactsV2.sqlite, table ZWAADDRESSBOOKCONTACT.
//
// References:
//  - shared/docs/artifacts.md "WhatsApp ChatStorage.sqlite" (ContactsV2:
//    ZWAADDRESSBOOKCONTACT(ZFULLNAME, ZPHONENUMBER, ZWHATSAPPID, ...)).
//  - iLEAPP scripts/artifacts/whatsApp.py get_whatsappContacts (columns:
//    ZFULLNAME, ZABOUTTEXT, ZABOUTTIMESTAMP, ZPHONENUMBER, ZPHONENUMBERLABEL,
//    ZWHATSAPPID, ZIDENTIFIER).
//  - Checked against iLEAPP's josh_ios15_ffs zip (9 contacts, labels like
//    _$!<Mobile>!$_ and custom "TextNow"; contacts without a WhatsApp id) and
//    mvs_ios_2023 (0 rows).
#include "artifacts/ios/whatsapp_contacts.hpp"

#include "artifacts/common.hpp"
#include "artifacts/ios/ios_common.hpp"

namespace remit::artifacts {
namespace {

constexpr std::string_view kRefs[] = {
    "shared/docs/artifacts.md: WhatsApp ContactsV2.sqlite",
    "iLEAPP scripts/artifacts/whatsApp.py get_whatsappContacts",
    "iLEAPP test zips josh_ios15_ffs (9 contacts), mvs_ios_2023 (0)",
};
constexpr Category kCats[] = {Category::contact};

}  // namespace

std::string_view IosWhatsAppContactsParser::name() const noexcept {
  return "ios.whatsapp_contacts";
}
std::string_view IosWhatsAppContactsParser::version() const noexcept {
  return "1.0";
}
std::span<const std::string_view> IosWhatsAppContactsParser::references() const noexcept {
  return kRefs;
}
std::span<const Category> IosWhatsAppContactsParser::categories() const noexcept {
  return kCats;
}

void IosWhatsAppContactsParser::parse(ParseContext& ctx) const {
  ios::Utf8Tally u8(ctx);
  ios::IdTally ids(ctx);
  auto db = open_or_warn(ctx);
  if (!db) return;
  if (!db->has_table("ZWAADDRESSBOOKCONTACT")) {
    ctx.warn("missing_table", "table ZWAADDRESSBOOKCONTACT is absent");
    return;
  }
  std::vector<std::string> missing;
  auto st = db->prepare(select_sql(*db, "ZWAADDRESSBOOKCONTACT",
                                   {"Z_PK", "ZFULLNAME", "ZGIVENNAME", "ZPHONENUMBER", "ZPHONENUMBERLABEL",
                                    "ZWHATSAPPID", "ZIDENTIFIER", "ZABOUTTEXT", "ZABOUTTIMESTAMP", "ZPHONESTATUS"},
                                   "ORDER BY \"Z_PK\"", &missing));
  std::vector<std::string> notable;
  for (const auto& m : missing)
    if (m == "ZFULLNAME" || m == "ZPHONENUMBER" || m == "ZWHATSAPPID") notable.push_back(m);
  warn_missing_columns(ctx, "ZWAADDRESSBOOKCONTACT", notable);
  if (!st) {
    ctx.warn("unreadable_table", st.error().message);
    return;
  }
  uint64_t rows = 0;
  while (st->step()) {
    ++rows;
    Item it;
    it.category = Category::contact;
    it.service = "whatsapp";
    it.title = u8.text(*st, 1);
    if (it.title.empty()) it.title = u8.text(*st, 2);
    const std::string phone = u8.text(*st, 3), jid = u8.text(*st, 5);
    if (!phone.empty()) {
      Party p = ids.party(phone, PartyRole::subject);
      p.label = ios::clean_label(u8.text(*st, 4));
      it.parties.push_back(std::move(p));
    }
    if (!jid.empty()) {
      Party p = ids.party(jid, PartyRole::subject);
      p.label = "whatsapp";
      it.parties.push_back(std::move(p));
    }
    Timestamp about = column_time(*st, 8, TimeUnit::mac_s);
    if (about.dated()) it.other_times.push_back({"about_set", std::move(about)});
    it.body = u8.text(*st, 7);  // the "About" text the person wrote (as Android's wa_contacts.status)
    if (!u8.text(*st, 6).empty()) it.extra.emplace_back("contact_identifier", u8.text(*st, 6));
    if (!st->is_null(9)) it.extra.emplace_back("phone_status", st->raw_text(9));
    it.provenance = ctx.provenance("ZWAADDRESSBOOKCONTACT", row_ref("Z_PK", *st, 0));
    ctx.emit(std::move(it));
  }
  warn_if_stopped(ctx, *st, "ZWAADDRESSBOOKCONTACT", rows);
}

}  // namespace remit::artifacts
