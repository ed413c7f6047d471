// Google Messages: com.google.android.apps.messaging/databases/bugle_db.
//
// References:
//  - AOSP Messaging app DatabaseHelper (bugle_db, the schema Google
//    Messages grew from): conversations(_id, sms_thread_id, name, ...,
//    participant_count), messages(_id, conversation_id, sender_id,
//    sent_timestamp, received_timestamp, message_protocol, message_status,
//    seen, read, mms_subject, ..., self_id), parts(_id, message_id, text,
//    uri, content_type, width, height, timestamp, conversation_id),
//    participants(_id, sub_id, sim_slot_id, normalized_destination,
//    send_destination, display_destination, full_name, first_name, ...,
//    blocked), conversation_participants(conversation_id, participant_id:
//    everyone except the user). MessageData: message_protocol 0 SMS,
//    1 MMS, 2 MMS push notification; message_status 1..9 outgoing
//    (3 draft, 8 failed), >= 100 incoming. ParticipantData: sub_id -2 marks
//    a participant other than the device's own.
//  - ALEAPP googleMessages.py (Josh Hickman): direction from the sender's
//    sub_id (-2 incoming, other values outgoing); newer Google Messages
//    adds parts.file_size_bytes and parts.local_cache_path; message_protocol
//    values beyond the AOSP ones are RCS.
// Checked against the documented schema (tests/cases/android_bugle_schema);
// no real bugle_db is available in ../shared/conformance.
#include "artifacts/android/bugle.hpp"

#include <fmt/format.h>

#include <unordered_map>

#include "artifacts/android/android_common.hpp"
#include "artifacts/common.hpp"
#include "remit/text.hpp"

namespace remit::artifacts {
namespace {

using android::Columns;

constexpr std::string_view kRefs[] = {
    "AOSP packages/apps/Messaging DatabaseHelper, MessageData, ParticipantData (bugle_db)",
    "ALEAPP scripts/artifacts/googleMessages.py (direction from sub_id, parts.local_cache_path)",
};
constexpr Category kCats[] = {Category::message};

struct Participant {
  std::string raw, name;
  std::optional<int64_t> sub_id;
};

const char* status_label(int64_t s) {
  switch (s) {
    case 0:
      return "unknown";
    case 1:
      return "outgoing_complete";
    case 2:
      return "outgoing_delivered";
    case 3:
      return "outgoing_draft";
    case 4:
      return "outgoing_yet_to_send";
    case 5:
      return "outgoing_sending";
    case 6:
      return "outgoing_resending";
    case 7:
      return "outgoing_awaiting_retry";
    case 8:
      return "outgoing_failed";
    case 9:
      return "outgoing_failed_emergency_number";
    case 100:
      return "incoming_complete";
    default:
      return s > 100 ? "incoming_other" : "other";
  }
}

class Run {
 public:
  Run(ParseContext& ctx, const EvidenceDb& db) : ctx_(ctx), db_(db), parties_(ctx) {}

  void go() {
    if (!db_.has_table("messages")) {
      ctx_.warn("missing_table", "table messages is absent; no Google Messages messages read");
      return;
    }
    for (std::string_view t : {"participants", "conversations", "conversation_participants", "parts"})
      if (!db_.has_table(t)) ctx_.warn("missing_table", fmt::format("table {} is absent", t));
    load_participants();
    load_conversations();
    load_members();
    load_parts();
    messages();
  }

 private:
  void load_participants() {
    Columns p(db_, "participants");
    if (!p.table_present()) return;
    const std::string sql = "SELECT p._id, " + p.col("p", "sub_id") + ", " + p.col("p", "send_destination") + ", " +
                            p.col("p", "normalized_destination") + ", " + p.col("p", "display_destination") + ", " +
                            p.col("p", "full_name") + " FROM participants p";
    auto st = db_.prepare(sql);
    if (!st) return;
    while (st->step()) {
      const auto id = st->opt_i64(0);
      if (!id) continue;
      Participant v;
      v.sub_id = st->opt_i64(1);
      std::string send = st->is_null(2) ? "" : txt_(*st, 2), norm = st->is_null(3) ? "" : txt_(*st, 3),
                  disp = st->is_null(4) ? "" : txt_(*st, 4);
      v.raw = !trim(send).empty() ? send : !trim(norm).empty() ? norm : disp;
      const std::string full = st->is_null(5) ? "" : std::string(trim(txt_(*st, 5)));
      // full_name is a pretty-printed number when there is no contact: not a name.
      if (!full.empty() && full != send && full != norm && full != disp) v.name = full;
      participants_.emplace(*id, std::move(v));
    }
  }

  void load_conversations() {
    Columns c(db_, "conversations");
    if (!c.table_present()) return;
    const std::string sql =
        "SELECT c._id, " + c.col("c", "name") + ", " + c.col("c", "participant_count") + " FROM conversations c";
    auto st = db_.prepare(sql);
    if (!st) return;
    while (st->step())
      if (const auto id = st->opt_i64(0))
        conversations_[*id] = {st->is_null(1) ? std::string() : txt_(*st, 1), st->opt_i64(2).value_or(0)};
  }

  void load_members() {
    if (!db_.has_table("conversation_participants")) return;
    auto st = db_.prepare("SELECT conversation_id, participant_id FROM conversation_participants ORDER BY rowid");
    if (!st) return;
    while (st->step()) {
      const auto c = st->opt_i64(0), p = st->opt_i64(1);
      if (c && p) members_[*c].push_back(*p);
    }
  }

  struct PartRow {
    std::string ct, text, uri, cache;
    bool has_text = false;
    std::optional<int64_t> size;
  };

  void load_parts() {
    Columns p(db_, "parts");
    if (!p.table_present()) return;
    std::vector<std::string> missing;
    const std::string sql = "SELECT " + p.col("p", "message_id", &missing) + ", " +
                            p.col("p", "content_type", &missing) + ", " + p.col("p", "text", &missing) + ", " +
                            p.col("p", "uri") + ", " + p.col("p", "local_cache_path") + ", " +
                            p.col("p", "file_size_bytes") + " FROM parts p ORDER BY 1, p.rowid";
    warn_missing_columns(ctx_, "parts", missing);
    auto st = db_.prepare(sql);
    if (!st) {
      ctx_.warn("unreadable_table", "table parts could not be read: " + st.error().message);
      return;
    }
    uint64_t rows = 0;
    while (st->step()) {
      ++rows;
      const auto mid = st->opt_i64(0);
      if (!mid) continue;
      PartRow r;
      r.ct = ascii_lower(trim(txt_(*st, 1)));
      r.has_text = !st->is_null(2);
      r.text = r.has_text ? txt_(*st, 2) : std::string();
      r.uri = st->is_null(3) ? std::string() : txt_(*st, 3);
      r.cache = st->is_null(4) ? std::string() : txt_(*st, 4);
      r.size = st->opt_i64(5);
      parts_[*mid].push_back(std::move(r));
    }
    warn_if_stopped(ctx_, *st, "parts", rows);
  }

  void push(Item& it, int64_t participant, PartyRole role) {
    auto p = participants_.find(participant);
    if (p == participants_.end() || trim(p->second.raw).empty()) return;
    it.parties.push_back(parties_.get(p->second.raw, role, p->second.name));
  }

  void messages() {
    Columns m(db_, "messages");
    std::vector<std::string> missing;
    const std::string sql = "SELECT " + m.col("m", "_id", &missing) + ", " + m.col("m", "conversation_id", &missing) +
                            ", " + m.col("m", "sender_id", &missing) + ", " + m.col("m", "sent_timestamp", &missing) +
                            ", " + m.col("m", "received_timestamp", &missing) + ", " +
                            m.col("m", "message_protocol", &missing) + ", " + m.col("m", "message_status", &missing) +
                            ", " + m.col("m", "read") + ", " + m.col("m", "mms_subject") + ", " +
                            m.col("m", "rcs_message_id") + " FROM messages m ORDER BY m.rowid";
    warn_missing_columns(ctx_, "messages", missing);
    auto st = db_.prepare(sql);
    if (!st) {
      ctx_.warn("unreadable_table", "table messages could not be read: " + st.error().message);
      return;
    }
    android::FileIndex index(ctx_.source(), [](std::string_view p) {
      return p.find("com.google.android.apps.messaging/") != std::string_view::npos ||
             p.find("/app_parts/") != std::string_view::npos;
    });
    uint64_t rows = 0;
    while (st->step()) {
      ++rows;
      Item it;
      it.category = Category::message;
      it.time = column_time(*st, 4, TimeUnit::unix_ms);
      if (!st->is_null(3)) {
        Timestamp sent = column_time(*st, 3, TimeUnit::unix_ms);
        if (sent.dated()) it.other_times.push_back({"sent", std::move(sent)});
      }
      const auto proto = st->opt_i64(5);
      const bool rcs_id = !st->is_null(9) && !trim(txt_(*st, 9)).empty();
      if (proto && *proto == 0 && !rcs_id)
        it.service = "sms";
      else if (proto && (*proto == 1 || *proto == 2) && !rcs_id)
        it.service = "mms";
      else if ((proto && *proto >= 3) || rcs_id)
        it.service = "rcs";
      else
        it.service = "sms";
      if (proto) it.extra.emplace_back("message_protocol", std::to_string(*proto));

      const auto sender = st->opt_i64(2);
      const auto status = st->opt_i64(6);
      std::optional<int64_t> sub;
      if (sender) {
        if (auto p = participants_.find(*sender); p != participants_.end()) sub = p->second.sub_id;
      }
      if (sub)
        it.direction = *sub == -2 ? Direction::incoming : Direction::outgoing;
      else if (status && *status >= 100)
        it.direction = Direction::incoming;
      else if (status && *status >= 1 && *status <= 9)
        it.direction = Direction::outgoing;
      if (status) {
        it.extra.emplace_back("message_status", std::to_string(*status));
        it.extra.emplace_back("message_status_label", status_label(*status));
      }

      const auto conv = st->opt_i64(1);
      if (conv) it.thread_id = std::to_string(*conv);
      std::vector<int64_t> mem;
      if (conv) {
        if (auto m2 = members_.find(*conv); m2 != members_.end()) mem = m2->second;
        if (auto c = conversations_.find(*conv); c != conversations_.end()) {
          it.group = c->second.second > 1;
          if (it.group) it.thread_name = c->second.first;
        }
      }
      if (mem.size() > 1) it.group = true;
      if (it.direction == Direction::incoming) {
        if (sender) push(it, *sender, PartyRole::from);
        for (int64_t p : mem)
          if (!sender || p != *sender) push(it, p, it.group ? PartyRole::participant : PartyRole::from);
      } else if (it.direction == Direction::outgoing) {
        for (int64_t p : mem) push(it, p, PartyRole::to);
      } else if (sender) {
        push(it, *sender, PartyRole::from);
      }
      if (!st->is_null(7)) it.extra.emplace_back("read", st->raw_text(7));
      if (!st->is_null(8)) it.title = txt_(*st, 8);
      if (const auto id = st->opt_i64(0)) add_parts(it, *id, index);
      it.provenance = ctx_.provenance("messages", row_ref("_id", *st, 0));
      ctx_.emit(std::move(it));
    }
    warn_if_stopped(ctx_, *st, "messages", rows);
  }

  void add_parts(Item& it, int64_t id, const android::FileIndex& index) {
    auto pr = parts_.find(id);
    if (pr == parts_.end()) return;
    for (const PartRow& p : pr->second) {
      if (p.ct == "application/smil") continue;
      if (p.has_text && (p.ct.empty() || p.ct.rfind("text/plain", 0) == 0)) {
        if (!it.body.empty()) it.body += '\n';
        it.body += p.text;
        continue;
      }
      if (p.uri.empty() && p.cache.empty() && !p.has_text) continue;  // empty part
      FileRef ref;
      ref.mime = p.ct;
      const std::string& recorded = !p.cache.empty() ? p.cache : p.uri;
      ref.name = std::string(android::base_name(recorded));
      const bool file_path = !recorded.empty() && recorded.rfind("content://", 0) != 0;
      if (file_path)
        android::resolve_attachment(ctx_, index, recorded, ref, 2);
      else
        ref.missing = true;
      if (ref.missing) ref.name = recorded.empty() ? p.text : recorded;
      if (ref.missing && p.size && *p.size > 0) ref.size = static_cast<uint64_t>(*p.size);
      it.attachments.push_back(std::move(ref));
    }
  }

  ParseContext& ctx_;
  const EvidenceDb& db_;
  android::PartyCache parties_;
  std::unordered_map<int64_t, Participant> participants_;
  std::unordered_map<int64_t, std::pair<std::string, int64_t>> conversations_;
  std::unordered_map<int64_t, std::vector<int64_t>> members_;
  std::unordered_map<int64_t, std::vector<PartRow>> parts_;

 public:
  android::TextReader txt_;
};

}  // namespace

std::string_view AndroidBugleParser::name() const noexcept {
  return "android.bugle";
}
std::string_view AndroidBugleParser::version() const noexcept {
  return "1.0";
}
std::span<const std::string_view> AndroidBugleParser::references() const noexcept {
  return kRefs;
}
std::span<const Category> AndroidBugleParser::categories() const noexcept {
  return kCats;
}

void AndroidBugleParser::parse(ParseContext& ctx) const {
  auto db = open_or_warn(ctx);
  if (!db) return;
  Run run(ctx, *db);
  run.go();
  run.txt_.report(ctx);
}

}  // namespace remit::artifacts
