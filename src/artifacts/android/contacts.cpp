// Android contacts: com.android.providers.contacts/databases/contacts2.db;
// WhatsApp contacts: com.whatsapp/databases/wa.db.
//
// References:
//  - AOSP ContactsDatabaseHelper / ContactsContract: contacts(_id,
//    name_raw_contact_id, contact_last_updated_timestamp, starred,
//    times_contacted, last_time_contacted), raw_contacts(_id, contact_id,
//    account_id or account_name/account_type, deleted, display_name, ...),
//    accounts(_id, account_name, account_type), data(raw_contact_id,
//    mimetype_id, data1..data15), mimetypes(_id, mimetype).
//    CommonDataKinds: Phone (vnd.android.cursor.item/phone_v2, data1 number,
//    data2 TYPE, data3 LABEL), Email (.../email_v2), StructuredName
//    (.../name, data1 display name), Note (.../note, data1).
//  - shared/docs/artifacts.md "contacts2.db".
//  - Checked against plaso's android-contacts2.db: it holds no contacts
//    (contacts, data, mimetypes empty; raw_contacts absent) -> 0 items and a
//    missing_table warning.
//  - WhatsApp wa.db wa_contacts(jid, is_whatsapp_user, number,
//    raw_contact_id, display_name, given_name, family_name, wa_name,
//    nickname, status (the person's "About" text), ...) as read by WhatsApp-Chat-Exporter (android_handler.py
//    contacts()) and ALEAPP; group and broadcast jids are not persons.
#include "artifacts/android/contacts.hpp"

#include <fmt/format.h>

#include <map>
#include <set>
#include <unordered_map>

#include "artifacts/android/android_common.hpp"
#include "artifacts/common.hpp"
#include "remit/text.hpp"

namespace remit::artifacts {
namespace {

using android::Columns;

constexpr std::string_view kRefs[] = {
    "AOSP ContactsContract / ContactsDatabaseHelper (contacts, raw_contacts, data, mimetypes, accounts)",
    "shared/docs/artifacts.md: contacts2.db",
    "plaso test data android-contacts2.db (no contact rows)",
};
constexpr std::string_view kWaRefs[] = {
    "WhatsApp wa.db wa_contacts as read by WhatsApp-Chat-Exporter android_handler.contacts() and ALEAPP",
    "shared/docs/artifacts.md: WhatsApp wa.db",
};
constexpr Category kCats[] = {Category::contact};

constexpr std::string_view kPhone = "vnd.android.cursor.item/phone_v2";
constexpr std::string_view kEmail = "vnd.android.cursor.item/email_v2";
constexpr std::string_view kName = "vnd.android.cursor.item/name";
constexpr std::string_view kNote = "vnd.android.cursor.item/note";

std::string phone_label(std::optional<int64_t> type, const std::string& custom) {
  if (!type) return custom;
  switch (*type) {
    case 0:
      return custom.empty() ? "custom" : custom;
    case 1:
      return "home";
    case 2:
      return "mobile";
    case 3:
      return "work";
    case 4:
      return "fax_work";
    case 5:
      return "fax_home";
    case 6:
      return "pager";
    case 7:
      return "other";
    case 8:
      return "callback";
    case 9:
      return "car";
    case 10:
      return "company_main";
    case 11:
      return "isdn";
    case 12:
      return "main";
    case 13:
      return "other_fax";
    case 14:
      return "radio";
    case 15:
      return "telex";
    case 16:
      return "tty_tdd";
    case 17:
      return "work_mobile";
    case 18:
      return "work_pager";
    case 19:
      return "assistant";
    case 20:
      return "mms";
    default:
      return "type_" + std::to_string(*type);
  }
}

std::string email_label(std::optional<int64_t> type, const std::string& custom) {
  if (!type) return custom;
  switch (*type) {
    case 0:
      return custom.empty() ? "custom" : custom;
    case 1:
      return "home";
    case 2:
      return "work";
    case 3:
      return "other";
    case 4:
      return "mobile";
    default:
      return "type_" + std::to_string(*type);
  }
}

struct DataRow {
  std::string mimetype, data1, data2_label_custom;
  std::optional<int64_t> data2;
  int64_t id = 0;
};

struct RawContact {
  int64_t id = 0;
  std::optional<int64_t> contact_id;
  std::string display_name, account_type;
  bool deleted = false;
  std::vector<DataRow> data;
};

class ContactsRun {
 public:
  ContactsRun(ParseContext& ctx, const EvidenceDb& db) : ctx_(ctx), db_(db), parties_(ctx) {}

  void go() {
    if (!db_.has_table("raw_contacts")) {
      ctx_.warn("missing_table", "table raw_contacts is absent; no contacts read");
      return;
    }
    if (!db_.has_table("data")) ctx_.warn("missing_table", "table data is absent; names, numbers and emails unknown");
    if (!db_.has_table("mimetypes"))
      ctx_.warn("missing_table", "table mimetypes is absent; data rows cannot be interpreted");
    load_mimetypes();
    load_accounts();
    load_raw();
    load_data();
    emit_all();
  }

 private:
  void load_mimetypes() {
    if (!db_.has_table("mimetypes")) return;
    auto st = db_.prepare("SELECT _id, mimetype FROM mimetypes");
    if (!st) return;
    while (st->step())
      if (auto id = st->opt_i64(0)) mimetypes_[*id] = txt_(*st, 1);
  }

  void load_accounts() {
    Columns a(db_, "accounts");
    if (!a.table_present() || !a.has("_id") || !a.has("account_type")) return;
    auto st = db_.prepare("SELECT _id, account_type FROM accounts");
    if (!st) return;
    while (st->step())
      if (auto id = st->opt_i64(0)) accounts_[*id] = txt_(*st, 1);
  }

  void load_raw() {
    Columns rc(db_, "raw_contacts");
    std::vector<std::string> missing;
    const std::string sql = "SELECT " + rc.col("r", "_id", &missing) + ", " + rc.col("r", "contact_id", &missing) +
                            ", " + rc.col("r", "display_name", &missing) + ", " + rc.col("r", "deleted", &missing) +
                            ", " + rc.col("r", "account_id") + ", " + rc.col("r", "account_type") +
                            " FROM raw_contacts r ORDER BY r.rowid";
    warn_missing_columns(ctx_, "raw_contacts", missing);
    auto st = db_.prepare(sql);
    if (!st) {
      ctx_.warn("unreadable_table", "table raw_contacts could not be read: " + st.error().message);
      return;
    }
    uint64_t rows = 0;
    while (st->step()) {
      ++rows;
      RawContact r;
      const auto id = st->opt_i64(0);
      if (!id) continue;
      r.id = *id;
      r.contact_id = st->opt_i64(1);
      r.display_name = st->is_null(2) ? std::string() : txt_(*st, 2);
      r.deleted = android::truthy(st->opt_i64(3));
      if (auto acc = st->opt_i64(4)) {
        if (auto it = accounts_.find(*acc); it != accounts_.end()) r.account_type = it->second;
      }
      if (r.account_type.empty() && !st->is_null(5)) r.account_type = txt_(*st, 5);
      raw_index_[r.id] = raw_.size();
      raw_.push_back(std::move(r));
    }
    warn_if_stopped(ctx_, *st, "raw_contacts", rows);
  }

  void load_data() {
    Columns d(db_, "data");
    if (!d.table_present()) return;
    std::vector<std::string> missing;
    const std::string sql = "SELECT " + d.col("d", "_id", &missing) + ", " + d.col("d", "raw_contact_id", &missing) +
                            ", " + d.col("d", "mimetype_id", &missing) + ", " + d.col("d", "data1", &missing) + ", " +
                            d.col("d", "data2", &missing) + ", " + d.col("d", "data3", &missing) +
                            " FROM data d ORDER BY 2, d.rowid";
    warn_missing_columns(ctx_, "data", missing);
    auto st = db_.prepare(sql);
    if (!st) {
      ctx_.warn("unreadable_table", "table data could not be read: " + st.error().message);
      return;
    }
    uint64_t rows = 0, orphans = 0;
    while (st->step()) {
      ++rows;
      const auto raw = st->opt_i64(1);
      auto it = raw ? raw_index_.find(*raw) : raw_index_.end();
      if (it == raw_index_.end()) {
        ++orphans;
        continue;
      }
      DataRow row;
      row.id = st->opt_i64(0).value_or(0);
      if (auto mt = st->opt_i64(2)) {
        if (auto m = mimetypes_.find(*mt); m != mimetypes_.end()) row.mimetype = m->second;
      }
      row.data1 = st->is_null(3) ? std::string() : txt_(*st, 3);
      row.data2 = st->opt_i64(4);
      row.data2_label_custom = st->is_null(5) ? std::string() : txt_(*st, 5);
      raw_[it->second].data.push_back(std::move(row));
    }
    warn_if_stopped(ctx_, *st, "data", rows);
    if (orphans)
      ctx_.warn("skipped_rows", fmt::format("table data: {} rows belong to no raw contact in raw_contacts", orphans),
                orphans);
  }

  void emit_all() {
    std::set<int64_t> used;  // raw contacts emitted as part of an aggregate
    Columns c(db_, "contacts");
    if (c.table_present()) {
      std::vector<std::string> missing;
      const std::string sql = "SELECT " + c.col("c", "_id", &missing) + ", " + c.col("c", "name_raw_contact_id") +
                              ", " + c.col("c", "contact_last_updated_timestamp") + ", " + c.col("c", "starred") +
                              ", " + c.col("c", "times_contacted") + ", " + c.col("c", "last_time_contacted") +
                              " FROM contacts c ORDER BY c.rowid";
      warn_missing_columns(ctx_, "contacts", missing);
      // raw contacts per aggregate
      std::unordered_map<int64_t, std::vector<size_t>> members;
      for (size_t i = 0; i < raw_.size(); ++i)
        if (raw_[i].contact_id) members[*raw_[i].contact_id].push_back(i);
      auto st = db_.prepare(sql);
      if (!st) {
        ctx_.warn("unreadable_table", "table contacts could not be read: " + st.error().message);
      } else {
        uint64_t rows = 0;
        while (st->step()) {
          ++rows;
          const auto id = st->opt_i64(0);
          if (!id) continue;
          std::vector<size_t> mem;
          if (auto m = members.find(*id); m != members.end()) mem = m->second;
          for (size_t i : mem) used.insert(raw_[i].id);
          Item it;
          const auto name_raw = st->opt_i64(1);
          if (name_raw) {
            if (auto r = raw_index_.find(*name_raw); r != raw_index_.end()) it.title = raw_[r->second].display_name;
          }
          fill(it, mem);
          // A card's only own time is when it was last changed: the principal time.
          if (!st->is_null(2)) it.time = column_time(*st, 2, TimeUnit::unix_ms);
          if (!st->is_null(5)) add_time(it, "last_contacted", column_time(*st, 5, TimeUnit::unix_ms));
          if (android::truthy(st->opt_i64(3))) it.extra.emplace_back("starred", "1");
          if (auto tc = st->opt_i64(4); tc && *tc > 0) it.extra.emplace_back("times_contacted", std::to_string(*tc));
          it.provenance = ctx_.provenance("contacts", row_ref("_id", *st, 0));
          ctx_.emit(std::move(it));
        }
        warn_if_stopped(ctx_, *st, "contacts", rows);
      }
    }
    // Raw contacts that no aggregate row claims (no contacts table, pending
    // aggregation, or deleted and awaiting sync): one item each.
    for (size_t i = 0; i < raw_.size(); ++i) {
      if (used.count(raw_[i].id)) continue;
      Item it;
      fill(it, {i});
      it.provenance = ctx_.provenance("raw_contacts", "_id=" + std::to_string(raw_[i].id));
      ctx_.emit(std::move(it));
    }
  }

  static void add_time(Item& it, const char* name, Timestamp t) {
    if (t.dated()) it.other_times.push_back({name, std::move(t)});
  }

  void fill(Item& it, const std::vector<size_t>& members) {
    it.category = Category::contact;
    it.service = "android_contacts";
    it.direction = Direction::unknown;
    std::set<std::pair<std::string, std::string>> seen;
    std::set<std::string> accounts;
    bool all_deleted = !members.empty();
    std::string structured_name, note;
    for (size_t i : members) {
      const RawContact& r = raw_[i];
      if (!r.deleted) all_deleted = false;
      if (!r.account_type.empty()) accounts.insert(r.account_type);
      if (it.title.empty() && !r.display_name.empty()) it.title = r.display_name;
      for (const DataRow& d : r.data) {
        if (d.mimetype == kPhone || d.mimetype == kEmail) {
          if (trim(d.data1).empty()) continue;
          const std::string label = d.mimetype == kPhone ? phone_label(d.data2, d.data2_label_custom)
                                                         : email_label(d.data2, d.data2_label_custom);
          Party p = parties_.get(d.data1, PartyRole::subject);
          p.label = label;
          if (!seen.emplace(p.normalised.empty() ? p.raw : p.normalised, label).second) continue;
          it.parties.push_back(std::move(p));
        } else if (d.mimetype == kName && structured_name.empty()) {
          structured_name = d.data1;
        } else if (d.mimetype == kNote && !trim(d.data1).empty()) {
          if (!note.empty()) note += '\n';
          note += d.data1;
        }
      }
    }
    if (it.title.empty()) it.title = structured_name;
    for (auto& p : it.parties) p.name = it.title;
    it.body = note;
    it.deleted = all_deleted;
    if (!accounts.empty()) {
      std::string acc;
      for (const auto& a : accounts) acc += (acc.empty() ? "" : ",") + a;
      it.extra.emplace_back("account_types", acc);
    }
    it.extra.emplace_back("raw_contacts", std::to_string(members.size()));
  }

  ParseContext& ctx_;
  const EvidenceDb& db_;
  android::PartyCache parties_;
  std::unordered_map<int64_t, std::string> mimetypes_, accounts_;
  std::vector<RawContact> raw_;
  std::unordered_map<int64_t, size_t> raw_index_;

 public:
  android::TextReader txt_;
};

bool not_a_person(std::string_view jid) {
  return ends_with_ci(jid, "@g.us") || ends_with_ci(jid, "@broadcast") || ends_with_ci(jid, "@newsletter") ||
         ends_with_ci(jid, "@temp");
}

}  // namespace

std::string_view AndroidContactsParser::name() const noexcept {
  return "android.contacts";
}
std::string_view AndroidContactsParser::version() const noexcept {
  return "1.0";
}
std::span<const std::string_view> AndroidContactsParser::references() const noexcept {
  return kRefs;
}
std::span<const Category> AndroidContactsParser::categories() const noexcept {
  return kCats;
}

void AndroidContactsParser::parse(ParseContext& ctx) const {
  auto db = open_or_warn(ctx);
  if (!db) return;
  ContactsRun run(ctx, *db);
  run.go();
  run.txt_.report(ctx);
}

std::string_view AndroidWhatsAppContactsParser::name() const noexcept {
  return "android.whatsapp_contacts";
}
std::string_view AndroidWhatsAppContactsParser::version() const noexcept {
  return "1.0";
}
std::span<const std::string_view> AndroidWhatsAppContactsParser::references() const noexcept {
  return kWaRefs;
}
std::span<const Category> AndroidWhatsAppContactsParser::categories() const noexcept {
  return kCats;
}

void AndroidWhatsAppContactsParser::parse(ParseContext& ctx) const {
  auto db = open_or_warn(ctx);
  if (!db) return;
  Columns w(*db, "wa_contacts");
  if (!w.table_present()) {
    ctx.warn("missing_table", "table wa_contacts is absent; no WhatsApp contacts read");
    return;
  }
  std::vector<std::string> missing;
  const std::string sql = "SELECT " + w.col("w", "_id", &missing) + ", " + w.col("w", "jid", &missing) + ", " +
                          w.col("w", "is_whatsapp_user") + ", " + w.col("w", "number") + ", " +
                          w.col("w", "display_name", &missing) + ", " + w.col("w", "given_name") + ", " +
                          w.col("w", "family_name") + ", " + w.col("w", "wa_name") + ", " + w.col("w", "nickname") +
                          ", " + w.col("w", "raw_contact_id") + ", " + w.col("w", "status") +
                          " FROM wa_contacts w ORDER BY w.rowid";
  warn_missing_columns(ctx, "wa_contacts", missing);
  auto st = db->prepare(sql);
  if (!st) {
    ctx.warn("unreadable_table", "table wa_contacts could not be read: " + st.error().message);
    return;
  }
  android::PartyCache parties(ctx);
  android::TextReader txt_;
  uint64_t rows = 0, groups = 0;
  while (st->step()) {
    ++rows;
    const std::string jid = st->is_null(1) ? std::string() : txt_(*st, 1);
    if (not_a_person(jid)) {
      ++groups;
      continue;
    }
    Item it;
    it.category = Category::contact;
    it.service = "whatsapp";
    for (int c : {4, 7, 8}) {
      if (it.title.empty() && !st->is_null(c)) it.title = std::string(trim(txt_(*st, c)));
    }
    if (it.title.empty()) {
      std::string gn = st->is_null(5) ? std::string() : txt_(*st, 5);
      std::string fn = st->is_null(6) ? std::string() : txt_(*st, 6);
      it.title = std::string(trim(gn + " " + fn));
    }
    std::set<std::string> seen;
    if (!trim(jid).empty()) {
      Party p = parties.get(jid, PartyRole::subject, it.title);
      p.label = "whatsapp";
      seen.insert(p.normalised.empty() ? p.raw : p.normalised);
      it.parties.push_back(std::move(p));
    }
    if (!st->is_null(3) && !trim(txt_(*st, 3)).empty()) {
      Party p = parties.get(txt_(*st, 3), PartyRole::subject, it.title);
      p.label = "phone";
      if (seen.insert(p.normalised.empty() ? p.raw : p.normalised).second) it.parties.push_back(std::move(p));
    }
    if (!st->is_null(10)) it.body = txt_(*st, 10);  // the "About" text the person wrote
    it.extra.emplace_back("contact_source", "whatsapp");
    if (!st->is_null(2)) it.extra.emplace_back("is_whatsapp_user", st->raw_text(2));
    if (!st->is_null(9)) it.extra.emplace_back("raw_contact_id", st->raw_text(9));
    it.provenance = ctx.provenance("wa_contacts", row_ref("_id", *st, 0));
    ctx.emit(std::move(it));
  }
  warn_if_stopped(ctx, *st, "wa_contacts", rows);
  txt_.report(ctx);
  if (groups)
    ctx.warn("skipped_rows",
             fmt::format("table wa_contacts: {} rows are groups, broadcast lists or channels, not persons", groups),
             groups);
}

}  // namespace remit::artifacts
