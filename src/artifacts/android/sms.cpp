// Android SMS/MMS: com.android.providers.telephony/databases/mmssms.db
// (+ MMS part files in .../com.android.providers.telephony/app_parts/).
//
// References:
//  - AOSP Telephony provider: Telephony.TextBasedSmsColumns (sms.type 1
//    inbox, 2 sent, 3 draft, 4 outbox, 5 failed, 6 queued; `date` and
//    `date_sent` in ms), Telephony.BaseMmsColumns (pdu.msg_box 1 inbox,
//    2 sent, 3 drafts, 4 outbox, 5 failed; pdu.date/date_sent in seconds;
//    m_type 128 send_req, 130 notification_ind, 132 retrieve_conf,
//    134 delivery_ind, 136 read_orig_ind), Telephony.Mms.Addr (msg_id,
//    address, type = PduHeaders FROM 0x89, TO 0x97, CC 0x82, BCC 0x81;
//    "insert-address-token" stands for the device's own number on sent MMS),
//    Telephony.Mms.Part (mid, seq, ct, name, cl, fn, _data, text).
//  - MmsSmsDatabaseHelper (threads.recipient_ids, canonical_addresses).
//  - shared/docs/artifacts.md "Android tables"; Samsung's spam_sms table.
//  - Checked against plaso's android-mmssms.db (Android emulator,
//    user_version 57: 9 sms rows, 0 pdu rows); MMS against the documented
//    schema (tests/cases/android_sms_mms_schema).
#include "artifacts/android/sms.hpp"

#include <fmt/format.h>

#include <map>
#include <set>
#include <unordered_map>

#include "artifacts/android/android_common.hpp"
#include "artifacts/common.hpp"
#include "remit/hash.hpp"
#include "remit/text.hpp"

namespace remit::artifacts {
namespace {

using android::FileIndex;
using android::PartyCache;

constexpr std::string_view kRefs[] = {
    "AOSP Telephony.TextBasedSmsColumns, Telephony.BaseMmsColumns, Telephony.Mms.Addr, Telephony.Mms.Part",
    "AOSP MmsSmsDatabaseHelper (threads, canonical_addresses, pdu, part, addr)",
    "shared/docs/artifacts.md: Android tables, mmssms.db",
    "plaso test data android-mmssms.db (emulator, user_version 57)",
};
constexpr Category kCats[] = {Category::message};

constexpr int64_t kAddrFrom = 0x89, kAddrTo = 0x97, kAddrCc = 0x82, kAddrBcc = 0x81;
constexpr std::string_view kInsertAddressToken = "insert-address-token";
constexpr uint64_t kMaxTextPartBytes = 4ULL << 20;

struct TypeLabel {
  Direction direction;
  const char* label;
};

TypeLabel sms_type(int64_t t) {
  switch (t) {
    case 1:
      return {Direction::incoming, "inbox"};
    case 2:
      return {Direction::outgoing, "sent"};
    case 3:
      return {Direction::outgoing, "draft"};
    case 4:
      return {Direction::outgoing, "outbox"};
    case 5:
      return {Direction::outgoing, "failed"};
    case 6:
      return {Direction::outgoing, "queued"};
    default:
      return {Direction::unknown, "maker-specific"};
  }
}

TypeLabel msg_box(int64_t b) {
  switch (b) {
    case 1:
      return {Direction::incoming, "inbox"};
    case 2:
      return {Direction::outgoing, "sent"};
    case 3:
      return {Direction::outgoing, "drafts"};
    case 4:
      return {Direction::outgoing, "outbox"};
    case 5:
      return {Direction::outgoing, "failed"};
    default:
      return {Direction::unknown, "maker-specific"};
  }
}

const char* mms_type_label(int64_t m) {
  switch (m) {
    case 128:
      return "send_req";
    case 129:
      return "send_conf";
    case 130:
      return "notification_ind";
    case 131:
      return "notifyresp_ind";
    case 132:
      return "retrieve_conf";
    case 133:
      return "acknowledge_ind";
    case 134:
      return "delivery_ind";
    case 135:
      return "read_rec_ind";
    case 136:
      return "read_orig_ind";
    default:
      return "unknown";
  }
}

struct Addr {
  std::string address;
  int64_t type = 0;
};

struct Part {
  std::string ct, name, data, text;
  bool has_text = false;
  int64_t id = 0;
};

class Run {
 public:
  Run(ParseContext& ctx, const EvidenceDb& db) : ctx_(ctx), db_(db), parties_(ctx) {}

  void go() {
    const bool have_sms = db_.has_table("sms");
    const bool have_pdu = db_.has_table("pdu");
    if (!have_sms && !have_pdu) {
      ctx_.warn("missing_table", "tables sms and pdu are both absent; no messages read");
      return;
    }
    maker_ = detect_maker();
    load_threads();
    if (have_sms)
      sms_table("sms", false);
    else
      ctx_.warn("missing_table", "table sms is absent");
    if (db_.has_table("spam_sms")) sms_table("spam_sms", true);
    if (have_pdu)
      mms();
    else
      ctx_.warn("missing_table", "table pdu is absent; MMS not read");
  }

 private:
  std::string detect_maker() const {
    if (db_.has_table("spam_sms")) return "samsung";
    for (std::string_view c : {"secret_mode", "spam_report", "sim_slot"})
      if (db_.has_column("sms", c)) return "samsung";
    return {};
  }

  void load_threads() {
    if (!db_.has_table("threads") || !db_.has_column("threads", "recipient_ids")) return;
    auto st = db_.prepare("SELECT _id, recipient_ids FROM threads");
    if (!st) return;
    while (st->step()) {
      const auto id = st->opt_i64(0);
      if (!id) continue;
      size_t n = 0;
      const std::string ids = txt_(*st, 1);
      for (auto tok : split(ids, ' '))
        if (!trim(tok).empty()) ++n;
      thread_recipients_[*id] = n;
    }
  }

  bool group_thread(std::optional<int64_t> thread) const {
    if (!thread) return false;
    auto it = thread_recipients_.find(*thread);
    return it != thread_recipients_.end() && it->second > 1;
  }

  void sms_table(std::string_view table, bool spam) {
    std::vector<std::string> missing;
    const auto sql = select_sql(
        db_, table,
        {"_id", "thread_id", "address", "date", "date_sent", "type", "body", "read", "status", "sub_id", "locked"},
        "ORDER BY rowid", &missing);
    warn_missing_columns(ctx_, table, missing);
    auto st = db_.prepare(sql);
    if (!st) {
      ctx_.warn("unreadable_table", fmt::format("table {} could not be read: {}", table, st.error().message));
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
      const TypeLabel t = type ? sms_type(*type) : TypeLabel{Direction::unknown, "unknown"};
      it.direction = t.direction;
      if (type) {
        it.extra.emplace_back("sms_type", std::to_string(*type));
        it.extra.emplace_back("sms_type_label", t.label);
      } else if (!st->is_null(5)) {
        it.extra.emplace_back("sms_type", st->raw_text(5));
        it.extra.emplace_back("sms_type_label", "unknown");
      }
      if (!maker_.empty() && type && (*type < 1 || *type > 6)) it.extra.emplace_back("maker", maker_);
      if (!st->is_null(2)) {
        const std::string addr = txt_(*st, 2);
        if (!trim(addr).empty())
          it.parties.push_back(
              parties_.get(addr, it.direction == Direction::outgoing ? PartyRole::to : PartyRole::from));
      }
      const auto thread = st->opt_i64(1);
      if (!st->is_null(1)) it.thread_id = st->raw_text(1);
      it.group = group_thread(thread);
      it.body = txt_(*st, 6);
      if (!st->is_null(7)) it.extra.emplace_back("read", st->raw_text(7));
      if (!st->is_null(8)) it.extra.emplace_back("status", st->raw_text(8));
      if (!st->is_null(9)) it.extra.emplace_back("sub_id", st->raw_text(9));
      if (android::truthy(st->opt_i64(10))) it.extra.emplace_back("locked", "1");
      if (spam) it.extra.emplace_back("spam", "1");
      it.provenance = ctx_.provenance(std::string(table), row_ref("_id", *st, 0));
      ctx_.emit(std::move(it));
    }
    warn_if_stopped(ctx_, *st, table, rows);
  }

  // --- MMS ---------------------------------------------------------------

  void load_addr(std::unordered_map<int64_t, std::vector<Addr>>& out) {
    if (!db_.has_table("addr")) {
      ctx_.warn("missing_table", "table addr is absent; MMS senders and recipients unknown");
      return;
    }
    std::vector<std::string> missing;
    const auto sql = select_sql(db_, "addr", {"msg_id", "address", "type"}, "ORDER BY 1, rowid", &missing);
    warn_missing_columns(ctx_, "addr", missing);
    auto st = db_.prepare(sql);
    if (!st) {
      ctx_.warn("unreadable_table", "table addr could not be read: " + st.error().message);
      return;
    }
    uint64_t rows = 0;
    while (st->step()) {
      ++rows;
      const auto mid = st->opt_i64(0);
      if (!mid || st->is_null(1)) continue;
      out[*mid].push_back(Addr{txt_(*st, 1), st->opt_i64(2).value_or(0)});
    }
    warn_if_stopped(ctx_, *st, "addr", rows);
  }

  void load_parts(std::unordered_map<int64_t, std::vector<Part>>& out) {
    if (!db_.has_table("part")) {
      ctx_.warn("missing_table", "table part is absent; MMS text and attachments unknown");
      return;
    }
    std::vector<std::string> missing;
    const auto sql = select_sql(db_, "part", {"_id", "mid", "seq", "ct", "name", "cl", "fn", "_data", "text"},
                                "ORDER BY 2, 3, rowid", &missing);
    warn_missing_columns(ctx_, "part", missing);
    auto st = db_.prepare(sql);
    if (!st) {
      ctx_.warn("unreadable_table", "table part could not be read: " + st.error().message);
      return;
    }
    uint64_t rows = 0;
    while (st->step()) {
      ++rows;
      const auto mid = st->opt_i64(1);
      if (!mid) continue;
      Part p;
      p.id = st->opt_i64(0).value_or(0);
      p.ct = ascii_lower(trim(txt_(*st, 3)));
      for (int c : {5, 4, 6})  // cl, name, fn: the first one recorded names the file
        if (p.name.empty() && !st->is_null(c)) p.name = txt_(*st, c);
      p.data = st->is_null(7) ? std::string() : txt_(*st, 7);
      p.has_text = !st->is_null(8);
      p.text = p.has_text ? txt_(*st, 8) : std::string();
      out[*mid].push_back(std::move(p));
    }
    warn_if_stopped(ctx_, *st, "part", rows);
  }

  void mms() {
    std::unordered_map<int64_t, std::vector<Addr>> addrs;
    std::unordered_map<int64_t, std::vector<Part>> parts;
    load_addr(addrs);
    load_parts(parts);

    std::vector<std::string> missing;
    const auto sql = select_sql(
        db_, "pdu", {"_id", "thread_id", "date", "date_sent", "msg_box", "m_type", "sub", "read", "locked", "sub_id"},
        "ORDER BY rowid", &missing);
    warn_missing_columns(ctx_, "pdu", missing);

    // First pass: which numbers are the owner's (see docs/formats/android-sms-mms.md).
    {
      auto st = db_.prepare(sql);
      if (st) {
        while (st->step()) {
          const auto id = st->opt_i64(0);
          if (!id) continue;
          auto it = addrs.find(*id);
          if (it == addrs.end()) continue;
          const auto box = st->opt_i64(4);
          std::vector<const Addr*> to;
          for (const Addr& a : it->second) {
            if (box && *box != 1 && a.type == kAddrFrom) add_owner(a.address);
            if (a.type == kAddrTo || a.type == kAddrCc) to.push_back(&a);
          }
          if (box && *box == 1 && to.size() == 1) add_owner(to.front()->address);
        }
      }
    }

    FileIndex index(ctx_.source(), [](std::string_view p) { return p.find("/app_parts/") != std::string_view::npos; });
    auto st = db_.prepare(sql);
    if (!st) {
      ctx_.warn("unreadable_table", "table pdu could not be read: " + st.error().message);
      return;
    }
    uint64_t rows = 0, smil = 0;
    while (st->step()) {
      ++rows;
      Item it;
      it.category = Category::message;
      it.service = "mms";
      it.time = column_time(*st, 2, TimeUnit::unix_s);
      if (!st->is_null(3)) {
        Timestamp sent = column_time(*st, 3, TimeUnit::unix_s);
        if (sent.dated()) it.other_times.push_back({"sent", std::move(sent)});
      }
      const auto box = st->opt_i64(4);
      const TypeLabel b = box ? msg_box(*box) : TypeLabel{Direction::unknown, "unknown"};
      it.direction = b.direction;
      if (box) {
        it.extra.emplace_back("msg_box", std::to_string(*box));
        it.extra.emplace_back("msg_box_label", b.label);
        if (!maker_.empty() && (*box < 1 || *box > 5)) it.extra.emplace_back("maker", maker_);
      }
      if (const auto mt = st->opt_i64(5)) {
        it.extra.emplace_back("mms_type", std::to_string(*mt));
        it.extra.emplace_back("mms_type_label", mms_type_label(*mt));
        if (*mt == 134 || *mt == 136) it.system = true;  // delivery / read reports
      }
      if (!st->is_null(1)) it.thread_id = st->raw_text(1);
      if (!st->is_null(6)) it.title = txt_(*st, 6);
      if (!st->is_null(7)) it.extra.emplace_back("read", st->raw_text(7));
      if (android::truthy(st->opt_i64(8))) it.extra.emplace_back("locked", "1");
      if (!st->is_null(9)) it.extra.emplace_back("sub_id", st->raw_text(9));

      const auto id = st->opt_i64(0);
      if (id) {
        if (auto a = addrs.find(*id); a != addrs.end()) add_parties(it, a->second);
        if (auto p = parts.find(*id); p != parts.end()) add_parts(it, p->second, index, smil);
      }
      it.group = it.group || group_thread(st->opt_i64(1));
      it.provenance = ctx_.provenance("pdu", row_ref("_id", *st, 0));
      ctx_.emit(std::move(it));
    }
    warn_if_stopped(ctx_, *st, "pdu", rows);
  }

  void add_owner(const std::string& raw) {
    if (trim(raw).empty() || iequals(trim(raw), kInsertAddressToken)) return;
    const auto id = ctx_.parties().normalise(raw);
    if (!id.value.empty()) owner_.insert(id.value);
  }

  bool is_owner(const std::string& raw) const {
    if (iequals(trim(raw), kInsertAddressToken)) return true;
    const auto id = ctx_.parties().normalise(raw);
    return !id.value.empty() && owner_.count(id.value);
  }

  void add_parties(Item& it, const std::vector<Addr>& list) {
    const bool incoming = it.direction == Direction::incoming;
    std::set<std::pair<std::string, int>> seen;
    size_t others = 0;
    // Sender first, then the rest in stored order.
    for (int pass = 0; pass < 2; ++pass) {
      for (const Addr& a : list) {
        const bool from = a.type == kAddrFrom;
        if ((pass == 0) != from) continue;
        if (trim(a.address).empty() || is_owner(a.address)) continue;
        PartyRole role = PartyRole::participant;
        if (from)
          role = PartyRole::from;
        else if (!incoming && a.type == kAddrTo)
          role = PartyRole::to;
        else if (!incoming && a.type == kAddrCc)
          role = PartyRole::cc;
        else if (!incoming && a.type == kAddrBcc)
          role = PartyRole::bcc;
        else if (it.direction == Direction::unknown && a.type == kAddrTo)
          role = PartyRole::to;
        Party p = parties_.get(a.address, role);
        if (!seen.emplace(p.normalised.empty() ? p.raw : p.normalised, static_cast<int>(role)).second) continue;
        it.parties.push_back(std::move(p));
        ++others;
      }
    }
    if (others > 1) it.group = true;
  }

  void add_parts(Item& it, const std::vector<Part>& list, const FileIndex& index, uint64_t& smil) {
    for (const Part& p : list) {
      if (p.ct == "application/smil") {
        ++smil;
        continue;
      }
      const bool textual = p.ct.rfind("text/plain", 0) == 0;
      if (textual && p.has_text) {
        if (!it.body.empty()) it.body += '\n';
        it.body += p.text;
        continue;
      }
      if (textual && !p.data.empty()) {
        // Long text can live in a part file instead of part.text.
        if (const Entry* e = index.resolve(p.data)) {
          if (e->size <= kMaxTextPartBytes) {
            if (auto bytes = ctx_.read(*e, kMaxTextPartBytes)) {
              if (!it.body.empty()) it.body += '\n';
              it.body.append(reinterpret_cast<const char*>(bytes->data()), bytes->size());
              continue;
            }
          } else {
            ctx_.warn("too_large", fmt::format("part _id={} text file exceeds {} bytes; kept as an attachment", p.id,
                                               kMaxTextPartBytes));
          }
        }
      }
      if (p.data.empty() && !p.has_text) {
        // A part with neither text nor a file: keep its name so nothing is silently dropped.
        FileRef ref;
        ref.name = p.name;
        ref.mime = p.ct;
        ref.missing = true;
        it.attachments.push_back(std::move(ref));
        continue;
      }
      if (p.data.empty()) {
        // Non-text content stored inline in part.text (vCard, vCalendar):
        // present in the database itself, so it has a size and a hash but no path.
        FileRef ref;
        ref.name = p.name;
        ref.mime = p.ct;
        ref.size = p.text.size();
        ref.sha256 = sha256_hex(p.text);
        it.attachments.push_back(std::move(ref));
        continue;
      }
      FileRef ref;
      ref.name = p.name.empty() ? std::string(android::base_name(p.data)) : p.name;
      ref.mime = p.ct;
      android::resolve_attachment(ctx_, index, p.data, ref);
      if (ref.missing) ref.name = p.data;  // what the app recorded
      it.attachments.push_back(std::move(ref));
    }
  }

  ParseContext& ctx_;
  const EvidenceDb& db_;
  PartyCache parties_;
  std::string maker_;
  std::unordered_map<int64_t, size_t> thread_recipients_;
  std::set<std::string> owner_;

 public:
  android::TextReader txt_;
};

}  // namespace

std::string_view AndroidSmsParser::name() const noexcept {
  return "android.sms";
}
std::string_view AndroidSmsParser::version() const noexcept {
  return "2.0";
}
std::span<const std::string_view> AndroidSmsParser::references() const noexcept {
  return kRefs;
}
std::span<const Category> AndroidSmsParser::categories() const noexcept {
  return kCats;
}

void AndroidSmsParser::parse(ParseContext& ctx) const {
  auto db = open_or_warn(ctx);
  if (!db) return;
  Run run(ctx, *db);
  run.go();
  run.txt_.report(ctx);
}

}  // namespace remit::artifacts
