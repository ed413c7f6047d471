// WhatsApp Android: com.whatsapp/databases/msgstore.db (+ wa.db for names,
// shared_prefs for the owner's own number, media files in the extraction).
//
// References (facts only; no code taken):
//  - Schema of a 2024 msgstore.db as dumped by its SQLite shell (public
//    schema dump): message(_id, chat_row_id, from_me, key_id,
//    sender_jid_row_id, status, broadcast, recipient_count, ..., timestamp,
//    received_timestamp, receipt_server_timestamp, message_type, text_data,
//    starred, ...), chat(_id, jid_row_id, hidden, subject,
//    created_timestamp, ...), jid(_id, user, server, agent, device, type,
//    raw_string), jid_map(lid_row_id, jid_row_id, sort_id),
//    message_media(message_row_id, chat_row_id, ..., file_path, file_size,
//    ..., mime_type, file_length, media_name, file_hash, media_duration,
//    ...), message_location(message_row_id, chat_row_id, latitude,
//    longitude, place_name, place_address, url, live_location_*),
//    message_system(message_row_id, action_type), group_participant_user
//    (group_jid_row_id, user_jid_row_id, rank, pending, ...),
//    call_log(_id, jid_row_id, from_me, call_id, transaction_id, timestamp,
//    video_call, duration, call_result, ..., group_jid_row_id, ...),
//    call_log_participant_v2(call_log_row_id, jid_row_id, call_result).
//  - The legacy schema (messages(_id, key_remote_jid, key_from_me, key_id,
//    status, data, timestamp, media_wa_type, media_mime_type, media_name,
//    media_caption, media_size, media_duration, latitude, longitude,
//    remote_resource, received_timestamp, starred, ...), group_participants
//    (gjid, jid; jid "" is the account itself), placeholder row
//    key_remote_jid '-1', status 6 = system) as read by
//    WhatsApp-Chat-Exporter (android_handler.py) and ALEAPP.
//  - message_type codes: 0 text, 1 image, 2 audio, 3 video, 4 contact card,
//    5 location, 7 system, 9 document, 10 missed call, 13 GIF, 15 deleted,
//    16 live location, 20 sticker, 42/43 view-once (shared/docs/artifacts.md,
//    public decompilation notes).
//  - call_log.call_result: 2 missed (incoming) / not answered (outgoing),
//    3 unavailable, 4 missed, 5 connected, 6 accepted on another device
//    (public parsers' CASE tables; WhatsApp's own missed-call query selects
//    call_result = 2 AND from_me = 0). Other values are kept raw.
//  - jid.type / servers: s.whatsapp.net users, g.us groups, broadcast,
//    lid (linked identities, mapped to phone jids through jid_map).
//  - shared/docs/artifacts.md "WhatsApp msgstore.db".
// Checked against: documented schemas (golden cases android_whatsapp_*);
// no public real msgstore.db is available in ../shared/conformance.
#include "artifacts/android/whatsapp.hpp"

#include <fmt/format.h>

#include <memory>
#include <set>
#include <unordered_map>
#include <unordered_set>

#include "artifacts/android/android_common.hpp"
#include "artifacts/common.hpp"
#include "remit/text.hpp"

namespace remit::artifacts {
namespace {

using android::Columns;
using android::FileIndex;

constexpr std::string_view kRefs[] = {
    "public msgstore.db schema dump (2024): message, chat, jid, jid_map, message_media, message_location, "
    "message_system, group_participant_user, call_log, call_log_participant_v2",
    "WhatsApp-Chat-Exporter android_handler.py (legacy messages/group_participants queries, media resolution)",
    "ALEAPP / public SQL notes on message_type and call_result codes",
    "shared/docs/artifacts.md: WhatsApp msgstore.db and wa.db",
};
constexpr Category kCats[] = {Category::message, Category::call};

const char* message_type_label(int64_t t) {
  switch (t) {
    case 0:
      return "text";
    case 1:
      return "image";
    case 2:
      return "audio";
    case 3:
      return "video";
    case 4:
      return "contact";
    case 5:
      return "location";
    case 7:
      return "system";
    case 8:
      return "call";
    case 9:
      return "document";
    case 10:
      return "missed_call";
    case 11:
      return "pending";
    case 13:
      return "gif";
    case 14:
      return "contact_list";
    case 15:
      return "deleted";
    case 16:
      return "live_location";
    case 20:
      return "sticker";
    case 42:
      return "view_once_image";
    case 43:
      return "view_once_video";
    case 64:
      return "admin_deleted";
    case 66:
      return "poll";
    case 81:
      return "video_note";
    case 82:
      return "view_once_voice";
    case 90:
      return "call_log";
    case 99:
      return "album";
    default:
      return "other";
  }
}

bool media_type(int64_t t) {
  switch (t) {
    case 1:
    case 2:
    case 3:
    case 9:
    case 13:
    case 20:
    case 42:
    case 43:
    case 81:
    case 82:
      return true;
    default:
      return false;
  }
}

struct CallResult {
  CallOutcome outcome;
  const char* label;
};

CallResult call_result(std::optional<int64_t> r, bool incoming, std::optional<int64_t> duration) {
  CallResult out{CallOutcome::unknown, "unknown"};
  if (r) {
    switch (*r) {
      case 0:
        out = {incoming ? CallOutcome::missed : CallOutcome::unknown, "cancelled"};
        break;
      case 1:
        out = {incoming ? CallOutcome::rejected : CallOutcome::unknown, "rejected"};
        break;
      case 2:
        out = {incoming ? CallOutcome::missed : CallOutcome::unknown, incoming ? "missed" : "not_answered"};
        break;
      case 3:
        out = {CallOutcome::unknown, "unavailable"};
        break;
      case 4:
        out = {incoming ? CallOutcome::missed : CallOutcome::unknown, "missed"};
        break;
      case 5:
        out = {CallOutcome::answered, "connected"};
        break;
      case 6:
        out = {CallOutcome::answered, "accepted_elsewhere"};
        break;
      case 7:
        out = {incoming ? CallOutcome::missed : CallOutcome::unknown, "cancelled"};
        break;
      default:
        out = {CallOutcome::unknown, "other"};
        break;
    }
  }
  if (duration && *duration > 0 && out.outcome == CallOutcome::unknown) out.outcome = CallOutcome::answered;
  return out;
}

bool is_group_jid(std::string_view jid) {
  return ends_with_ci(jid, "@g.us");
}
bool is_broadcast_jid(std::string_view jid) {
  return ends_with_ci(jid, "@broadcast");
}

// The value of <string name="KEY">VALUE</string> in an Android shared_prefs
// XML file (bounded scan; the file is untrusted).
std::string pref_string(std::string_view xml, std::string_view key) {
  const std::string needle = "name=\"" + std::string(key) + "\"";
  const auto at = xml.find(needle);
  if (at == std::string_view::npos) return {};
  const auto gt = xml.find('>', at + needle.size());
  if (gt == std::string_view::npos) return {};
  if (gt > 0 && xml[gt - 1] == '/') {  // <int name="x" value="..."/> style
    const auto v = xml.find("value=\"", at);
    if (v == std::string_view::npos || v > gt) return {};
    const auto e = xml.find('"', v + 7);
    return e == std::string_view::npos ? std::string() : std::string(xml.substr(v + 7, e - v - 7));
  }
  const auto lt = xml.find('<', gt + 1);
  if (lt == std::string_view::npos || lt - gt > 256) return {};
  return std::string(trim(xml.substr(gt + 1, lt - gt - 1)));
}

class Run {
 public:
  Run(ParseContext& ctx, const EvidenceDb& db) : ctx_(ctx), db_(db) {}

  void go() {
    load_names();
    load_owner();
    const bool modern = db_.has_table("message");
    const bool legacy = db_.has_table("messages");
    const int64_t modern_rows = modern ? db_.count_rows("message") : 0;
    const int64_t legacy_rows = legacy ? db_.count_rows("messages") : 0;
    if (modern && (modern_rows > 0 || !legacy || legacy_rows == 0)) {
      if (legacy && legacy_rows > 0)
        ctx_.warn("schema_note",
                  fmt::format("both message ({} rows) and legacy messages ({} rows) tables exist; the current "
                              "message table is read",
                              modern_rows, legacy_rows));
      load_jids();
      load_chats();
      load_members_modern();
      messages_modern();
    } else if (legacy) {
      load_jids();
      load_members_legacy();
      messages_legacy();
    } else {
      ctx_.warn("missing_table", "neither table message nor table messages is present; no WhatsApp messages read");
    }
    if (db_.has_table("call_log")) calls();
  }

 private:
  // --- lookups -------------------------------------------------------------

  void load_names() {
    const Entry* wa = ctx_.sibling("wa.db");
    if (!wa) {
      ctx_.warn("missing_file", "wa.db was not found next to msgstore.db; names are not filled");
      return;
    }
    auto db = ctx_.open_db(wa);
    if (!db) {
      ctx_.warn("unreadable_database", "wa.db could not be opened for names: " + db.error().message, 1, wa->path);
      return;
    }
    Columns w(*db, "wa_contacts");
    if (!w.table_present() || !w.has("jid")) {
      ctx_.warn("missing_table", "wa.db has no usable wa_contacts table; names are not filled", 1, wa->path);
      return;
    }
    const std::string sql = "SELECT w.jid, " + w.col("w", "display_name") + ", " + w.col("w", "wa_name") + ", " +
                            w.col("w", "given_name") + ", " + w.col("w", "family_name") + " FROM wa_contacts w";
    auto st = db->prepare(sql);
    if (!st) return;
    while (st->step()) {
      if (st->is_null(0)) continue;
      std::string name;
      for (int c : {1, 2}) {
        if (name.empty() && !st->is_null(c)) name = std::string(trim(txt_(*st, c)));
      }
      if (name.empty()) {
        std::string g = st->is_null(3) ? "" : txt_(*st, 3), f = st->is_null(4) ? "" : txt_(*st, 4);
        name = std::string(trim(g + " " + f));
      }
      if (!name.empty()) names_.emplace(txt_(*st, 0), std::move(name));
    }
  }

  void load_owner() {
    // .../com.whatsapp/databases/msgstore.db -> .../com.whatsapp/shared_prefs/
    const std::string_view dbdir = android::dir_name(ctx_.entry().path);
    const std::string_view appdir = android::dir_name(dbdir);
    for (std::string_view f : {"com.whatsapp_preferences_light.xml", "com.whatsapp_preferences.xml"}) {
      const Entry* e = ctx_.source().find(std::string(appdir) + "/shared_prefs/" + std::string(f));
      if (!e || e->size > (4u << 20)) continue;
      auto bytes = ctx_.read(*e, 4u << 20);
      if (!bytes) continue;
      const std::string_view xml(reinterpret_cast<const char*>(bytes->data()), bytes->size());
      std::string jid = pref_string(xml, "registration_jid");
      if (jid.empty()) {
        const std::string cc = pref_string(xml, "cc"), ph = pref_string(xml, "ph");
        if (!cc.empty() && !ph.empty()) jid = cc + ph;
      }
      if (jid.empty()) continue;
      if (jid.find('@') == std::string::npos) jid += "@s.whatsapp.net";
      const auto id = ctx_.parties().normalise(jid);
      if (!id.value.empty()) owner_.insert(id.value);
      return;
    }
  }

  void load_jids() {
    Columns j(db_, "jid");
    if (!j.table_present()) {
      if (db_.has_table("message"))
        ctx_.warn("missing_table", "table jid is absent; chats and senders cannot be identified");
      return;
    }
    const std::string sql = "SELECT j._id, " + j.col("j", "raw_string") + ", " + j.col("j", "user") + ", " +
                            j.col("j", "server") + ", " + j.col("j", "type") + " FROM jid j";
    auto st = db_.prepare(sql);
    if (!st) {
      ctx_.warn("unreadable_table", "table jid could not be read: " + st.error().message);
      return;
    }
    while (st->step()) {
      const auto id = st->opt_i64(0);
      if (!id) continue;
      std::string raw = st->is_null(1) ? std::string() : txt_(*st, 1);
      if (raw.empty() && !st->is_null(2) && !st->is_null(3)) {
        const std::string user = txt_(*st, 2), server = txt_(*st, 3);
        if (!user.empty() && !server.empty()) raw = user + "@" + server;
      }
      jids_.emplace(*id, std::move(raw));
    }
    // Linked identities (@lid) map to the phone-number jid where known.
    if (db_.has_table("jid_map") && db_.has_column("jid_map", "lid_row_id") &&
        db_.has_column("jid_map", "jid_row_id")) {
      auto m = db_.prepare("SELECT lid_row_id, jid_row_id FROM jid_map");
      if (m) {
        while (m->step()) {
          const auto lid = m->opt_i64(0), pn = m->opt_i64(1);
          if (!lid || !pn) continue;
          auto it = jids_.find(*pn);
          if (it != jids_.end() && !it->second.empty()) lid_to_pn_.emplace(*lid, it->second);
        }
      }
    }
  }

  // Raw jid for a jid row, mapped from a linked identity to the phone jid.
  std::string jid_of(std::optional<int64_t> row) const {
    if (!row || *row <= 0) return {};
    if (auto m = lid_to_pn_.find(*row); m != lid_to_pn_.end()) return m->second;
    auto it = jids_.find(*row);
    return it == jids_.end() ? std::string() : it->second;
  }

  bool owner_jid(const std::string& raw) const {
    if (raw.empty() || owner_.empty()) return raw.empty();
    const auto id = ctx_.parties().normalise(raw);
    return owner_.count(id.value) > 0;
  }

  const Party& base_party(const std::string& raw) {
    auto it = party_cache_.find(raw);
    if (it != party_cache_.end()) return it->second;
    Party p;
    p.raw = raw;
    if (auto n = names_.find(raw); n != names_.end()) p.name = n->second;
    ctx_.parties().fill(p);
    return party_cache_.emplace(raw, std::move(p)).first->second;
  }

  void push_party(Item& it, const std::string& raw, PartyRole role) {
    if (raw.empty()) return;
    Party p = base_party(raw);
    p.role = role;
    it.parties.push_back(std::move(p));
  }

  struct Chat {
    std::string jid, subject;
  };

  void load_chats() {
    Columns c(db_, "chat");
    if (!c.table_present()) {
      ctx_.warn("missing_table", "table chat is absent; conversations cannot be identified");
      return;
    }
    std::vector<std::string> missing;
    const std::string sql = "SELECT " + c.col("c", "_id", &missing) + ", " + c.col("c", "jid_row_id", &missing) + ", " +
                            c.col("c", "subject") + " FROM chat c";
    warn_missing_columns(ctx_, "chat", missing);
    auto st = db_.prepare(sql);
    if (!st) {
      ctx_.warn("unreadable_table", "table chat could not be read: " + st.error().message);
      return;
    }
    while (st->step()) {
      const auto id = st->opt_i64(0);
      if (!id) continue;
      chats_.emplace(*id, Chat{jid_of(st->opt_i64(1)), st->is_null(2) ? std::string() : txt_(*st, 2)});
    }
  }

  void add_member(const std::string& group, const std::string& member) {
    if (group.empty() || member.empty() || owner_jid(member)) return;
    auto& v = members_[group];
    if (std::find(v.begin(), v.end(), member) == v.end()) v.push_back(member);
  }

  void load_members_modern() {
    if (!db_.has_table("group_participant_user")) return;
    Columns g(db_, "group_participant_user");
    if (!g.has("group_jid_row_id") || !g.has("user_jid_row_id")) {
      ctx_.warn("missing_column",
                "group_participant_user lacks group_jid_row_id or user_jid_row_id; group members "
                "unknown");
      return;
    }
    auto st = db_.prepare("SELECT group_jid_row_id, user_jid_row_id FROM group_participant_user ORDER BY rowid");
    if (!st) return;
    while (st->step()) add_member(jid_of(st->opt_i64(0)), jid_of(st->opt_i64(1)));
  }

  void load_members_legacy() {
    if (!db_.has_table("group_participants")) return;
    if (!db_.has_column("group_participants", "gjid") || !db_.has_column("group_participants", "jid")) return;
    auto st = db_.prepare("SELECT gjid, jid FROM group_participants ORDER BY rowid");
    if (!st) return;
    while (st->step()) {
      if (st->is_null(0) || st->is_null(1)) continue;
      add_member(txt_(*st, 0), txt_(*st, 1));  // jid "" is the account itself
    }
  }

  const FileIndex& media_index() {
    if (!media_)
      media_ = std::make_unique<FileIndex>(ctx_.source(), [](std::string_view p) {
        // WhatsApp and WhatsApp Business media folders, and the apps' own folders.
        return (p.find("WhatsApp") != std::string_view::npos && p.find("/Media/") != std::string_view::npos) ||
               p.find("com.whatsapp") != std::string_view::npos;
      });
    return *media_;
  }

  // Parties per the conventions in docs/item-format.md.
  void conversation_parties(Item& it, const std::string& chat_jid, const std::string& sender) {
    if (it.group) {
      const auto mem = members_.find(chat_jid);
      if (it.direction == Direction::incoming || (it.direction == Direction::unknown && !sender.empty())) {
        push_party(it, sender, PartyRole::from);
        if (mem != members_.end())
          for (const auto& m : mem->second)
            if (m != sender) push_party(it, m, PartyRole::participant);
      } else if (mem != members_.end()) {
        for (const auto& m : mem->second) push_party(it, m, PartyRole::to);
      }
      return;
    }
    if (is_broadcast_jid(chat_jid)) {
      // status@broadcast: statuses posted by contacts; broadcast lists: owner's sends.
      if (!sender.empty())
        push_party(it, sender, it.direction == Direction::outgoing ? PartyRole::to : PartyRole::from);
      return;
    }
    if (chat_jid.empty()) return;
    push_party(it, chat_jid, it.direction == Direction::outgoing ? PartyRole::to : PartyRole::from);
  }

  void set_thread(Item& it, const std::string& chat_jid, const std::string& subject) {
    it.thread_id = chat_jid;
    it.group = is_group_jid(chat_jid);
    if (!subject.empty()) {
      it.thread_name = subject;
    } else if (!it.group) {
      if (auto n = names_.find(chat_jid); n != names_.end()) it.thread_name = n->second;
    }
    if (ends_with_ci(chat_jid, "status@broadcast")) it.extra.emplace_back("status_update", "1");
  }

  void media_ref(Item& it, const std::string& file_path, const std::string& media_name, const std::string& mime,
                 std::optional<int64_t> size) {
    FileRef ref;
    ref.mime = mime;
    if (!file_path.empty()) {
      ref.name = media_name.empty() ? std::string(android::base_name(file_path)) : media_name;
      android::resolve_attachment(ctx_, media_index(), file_path, ref, 2);
      if (ref.missing) ref.name = file_path;  // what the app recorded
    } else if (!media_name.empty()) {
      ref.name = media_name;
      // Legacy rows without a path: WhatsApp file names are unique enough to
      // look up inside WhatsApp's own media folders.
      android::resolve_attachment(ctx_, media_index(), media_name, ref, 1);
      if (ref.missing) ref.name = media_name;
    } else {
      ref.missing = true;
    }
    if (ref.missing && size && *size > 0) ref.size = static_cast<uint64_t>(*size);
    it.attachments.push_back(std::move(ref));
  }

  // --- messages, current schema --------------------------------------------

  // A side table read in message_row_id order alongside the message table
  // (a merge join: no B-tree seek per message).
  struct Side {
    std::optional<Statement> st;
    bool valid = false;
    int64_t key = 0;
    uint64_t orphans = 0;  // rows whose message_row_id matches no message row

    void start(std::optional<Statement> s) {
      st = std::move(s);
      next();
    }
    bool matched = false;  // the current row was joined to a message

    void next() {
      valid = st && st->step();
      matched = false;
      if (valid) key = st->opt_i64(0).value_or(INT64_MIN);
    }
    // True when the side table has a row for message `id` (ids ascending).
    bool at(int64_t id) {
      while (valid && (key < id || (key == id && matched))) {
        if (!matched) ++orphans;
        next();
      }
      if (valid && key == id) {
        matched = true;
        return true;
      }
      return false;
    }
  };

  std::optional<Statement> side_query(const Columns& t, std::string_view table,
                                      std::initializer_list<std::string_view> cols) {
    if (!t.table_present() || !t.has("message_row_id")) return std::nullopt;
    std::string sql = "SELECT s.message_row_id";
    for (auto c : cols) sql += ", " + t.col("s", c);
    sql += " FROM " + quote_ident(table) + " s ORDER BY s.message_row_id";
    auto st = db_.prepare(sql);
    if (!st) {
      ctx_.warn("unreadable_table", fmt::format("table {} could not be read: {}", table, st.error().message));
      return std::nullopt;
    }
    return std::move(*st);
  }

  // Everything about a chat that is the same for each of its messages.
  struct ChatInfo {
    std::string jid, name;
    bool group = false, broadcast = false, status = false;
    std::vector<Party> members;  // role to be set per message
  };

  const ChatInfo* chat_info(std::optional<int64_t> chat_row) {
    if (!chat_row) return nullptr;
    if (auto it = chat_info_.find(*chat_row); it != chat_info_.end()) return &it->second;
    auto c = chats_.find(*chat_row);
    if (c == chats_.end()) return nullptr;
    ChatInfo ci;
    ci.jid = c->second.jid;
    ci.group = is_group_jid(ci.jid);
    ci.broadcast = is_broadcast_jid(ci.jid);
    ci.status = ends_with_ci(ci.jid, "status@broadcast");
    if (!c->second.subject.empty())
      ci.name = c->second.subject;
    else if (!ci.group)
      if (auto n = names_.find(ci.jid); n != names_.end()) ci.name = n->second;
    if (ci.group) {
      if (auto mem = members_.find(ci.jid); mem != members_.end())
        for (const auto& m : mem->second) ci.members.push_back(base_party(m));
    } else if (!ci.broadcast && !ci.jid.empty()) {
      ci.members.push_back(base_party(ci.jid));
    }
    return &chat_info_.emplace(*chat_row, std::move(ci)).first->second;
  }

  const Party* party_by_row(std::optional<int64_t> row) {
    if (!row || *row <= 0) return nullptr;
    if (auto it = row_party_.find(*row); it != row_party_.end()) return it->second.raw.empty() ? nullptr : &it->second;
    const std::string raw = jid_of(row);
    Party p = raw.empty() ? Party{} : base_party(raw);
    auto slot = row_party_.emplace(*row, std::move(p)).first;
    return slot->second.raw.empty() ? nullptr : &slot->second;
  }

  void messages_modern() {
    Columns m(db_, "message"), mm(db_, "message_media"), ml(db_, "message_location"), ms(db_, "message_system");
    std::vector<std::string> missing;
    std::string sql = "SELECT " + m.col("m", "_id", &missing) + ", " + m.col("m", "chat_row_id", &missing) + ", " +
                      m.col("m", "from_me", &missing) + ", " + m.col("m", "sender_jid_row_id", &missing) + ", " +
                      m.col("m", "timestamp", &missing) + ", " + m.col("m", "received_timestamp") + ", " +
                      m.col("m", "message_type", &missing) + ", " + m.col("m", "text_data", &missing) + ", " +
                      m.col("m", "starred") + ", " + m.col("m", "status");
    sql += " FROM message m";
    sql += m.has("_id") ? " ORDER BY m._id" : " ORDER BY m.rowid";
    warn_missing_columns(ctx_, "message", missing);
    if (!mm.table_present()) ctx_.warn("missing_table", "table message_media is absent; attachments not read");

    Side media, loc, sys;
    media.start(side_query(mm, "message_media",
                           {"file_path", "mime_type", "file_size", "media_name", "media_caption", "media_duration"}));
    loc.start(side_query(ml, "message_location", {"latitude", "longitude", "place_name", "place_address"}));
    sys.start(side_query(ms, "message_system", {"action_type"}));

    auto st = db_.prepare(sql);
    if (!st) {
      ctx_.warn("unreadable_table", "table message could not be read: " + st.error().message);
      return;
    }
    const Provenance prov = ctx_.provenance("message", "");
    uint64_t rows = 0, no_chat = 0;
    while (st->step()) {
      ++rows;
      Item it;
      it.category = Category::message;
      it.extra.reserve(4);
      it.service = "whatsapp";
      it.time = column_time(*st, 4, TimeUnit::unix_ms);
      if (!st->is_null(5)) {
        Timestamp r = column_time(*st, 5, TimeUnit::unix_ms);
        if (r.dated()) it.other_times.push_back({"received", std::move(r)});
      }
      const auto from_me = st->opt_i64(2);
      it.direction = !from_me ? Direction::unknown : (*from_me ? Direction::outgoing : Direction::incoming);
      const auto type = st->opt_i64(6);
      const ChatInfo* chat = chat_info(st->opt_i64(1));
      if (chat) {
        it.thread_id = chat->jid;
        it.thread_name = chat->name;
        it.group = chat->group;
        if (chat->status) it.extra.emplace_back("status_update", "1");
        const Party* sender = it.direction == Direction::outgoing ? nullptr : party_by_row(st->opt_i64(3));
        modern_parties(it, *chat, sender);
      } else {
        ++no_chat;
        if (const Party* sender = party_by_row(st->opt_i64(3)); sender && it.direction != Direction::outgoing) {
          it.parties.push_back(*sender);
          it.parties.back().role = PartyRole::from;
        }
      }

      it.body = st->is_null(7) ? std::string() : txt_(*st, 7);
      const int64_t id = st->opt_i64(0).value_or(INT64_MIN);
      const bool has_sys = sys.at(id);
      annotate_type(it, type, has_sys);
      if (has_sys && !sys.st->is_null(1)) it.extra.emplace_back("system_action", sys.st->raw_text(1));
      if (android::truthy(st->opt_i64(8))) it.extra.emplace_back("starred", "1");
      if (!st->is_null(9)) it.extra.emplace_back("status", st->raw_text(9));

      const bool has_media_row = media.at(id);
      const bool is_location = type && (*type == 5 || *type == 16);
      if (has_media_row && it.body.empty() && !media.st->is_null(5)) it.body = txt_(*media.st, 5);  // older caption
      if (!is_location && (has_media_row || (type && media_type(*type)))) {
        const Statement* ms_row = has_media_row ? &*media.st : nullptr;
        auto text_or = [&](int c) { return ms_row && !ms_row->is_null(c) ? txt_(*ms_row, c) : std::string(); };
        media_ref(it, text_or(1), text_or(4), text_or(2), ms_row ? ms_row->opt_i64(3) : std::nullopt);
        if (ms_row)
          if (const auto d = ms_row->opt_i64(6); d && *d > 0) it.duration_s = static_cast<double>(*d);
      }
      if (loc.at(id)) location(it, *loc.st, 1, 2, 3, 4);
      it.provenance = prov;
      if (const auto rid = st->opt_i64(0))
        it.provenance.row = "_id=" + std::to_string(*rid);
      else
        it.provenance.row = row_ref("_id", *st, 0);
      ctx_.emit(std::move(it));
    }
    warn_if_stopped(ctx_, *st, "message", rows);
    for (Side* s : {&media, &loc, &sys}) {
      if (s->st && s->st->error())
        ctx_.warn("corrupt", "reading a message side table stopped early: " + s->st->error()->message);
      while (s->valid) {  // rows after the last message
        if (!s->matched) ++s->orphans;
        s->next();
      }
    }
    const uint64_t orphans = media.orphans + loc.orphans + sys.orphans;
    if (orphans)
      ctx_.warn("unresolved_reference",
                fmt::format("{} rows of message_media/message_location/message_system belong to no message row "
                            "(or repeat one); not read",
                            orphans),
                orphans);
    if (no_chat)
      ctx_.warn("unresolved_reference",
                fmt::format("table message: {} rows point at no known chat (chat_row_id); their conversation and "
                            "parties are unknown",
                            no_chat),
                no_chat);
    if (bad_locations_)
      ctx_.warn("bad_value",
                fmt::format("{} locations outside the valid latitude/longitude range were ignored", bad_locations_),
                bad_locations_);
  }

  void modern_parties(Item& it, const ChatInfo& chat, const Party* sender) {
    auto add = [&](const Party& p, PartyRole role) {
      it.parties.push_back(p);
      it.parties.back().role = role;
    };
    if (chat.group) {
      if (it.direction == Direction::incoming || (it.direction == Direction::unknown && sender)) {
        if (sender) add(*sender, PartyRole::from);
        for (const auto& m : chat.members)
          if (!sender || m.raw != sender->raw) add(m, PartyRole::participant);
      } else {
        for (const auto& m : chat.members) add(m, PartyRole::to);
      }
    } else if (chat.broadcast) {
      if (sender) add(*sender, it.direction == Direction::outgoing ? PartyRole::to : PartyRole::from);
    } else if (!chat.members.empty()) {
      add(chat.members.front(), it.direction == Direction::outgoing ? PartyRole::to : PartyRole::from);
    }
  }

  void annotate_type(Item& it, std::optional<int64_t> type, bool system_row) {
    if (type) {
      it.extra.emplace_back("message_type", std::to_string(*type));
      it.extra.emplace_back("message_type_label", message_type_label(*type));
      if (*type == 7 || *type == 10) it.system = true;
      if (*type == 15 || *type == 64) it.deleted = true;  // "this message was deleted" placeholder
    }
    if (system_row) it.system = true;
  }

  void location(Item& it, const Statement& st, int lat, int lon, int place, int addr) {
    const auto la = st.opt_f64(lat), lo = st.opt_f64(lon);
    if (!la || !lo) return;
    if (*la == 0 && *lo == 0) return;  // legacy rows carry 0,0 when there is no location
    if (*la < -90 || *la > 90 || *lo < -180 || *lo > 180) {
      ++bad_locations_;
      return;
    }
    it.location = GeoPoint{*la, *lo, std::nullopt};
    // The place's name is what the sender shared: the message's text.
    if (place >= 0 && !st.is_null(place)) {
      std::string name = txt_(st, place);
      if (it.body.empty())
        it.body = std::move(name);
      else if (!name.empty())
        it.extra.emplace_back("place_name", std::move(name));
    }
    if (addr >= 0 && !st.is_null(addr)) it.extra.emplace_back("place_address", txt_(st, addr));
  }

  // --- messages, legacy schema ----------------------------------------------

  void messages_legacy() {
    Columns m(db_, "messages"), mm(db_, "message_media");
    std::vector<std::string> missing;
    const bool media_join = mm.table_present() && mm.has("message_row_id") && mm.has("file_path");
    std::string sql =
        "SELECT " + m.col("m", "_id", &missing) + ", " + m.col("m", "key_remote_jid", &missing) + ", " +
        m.col("m", "key_from_me", &missing) + ", " + m.col("m", "remote_resource", &missing) + ", " +
        m.col("m", "timestamp", &missing) + ", " + m.col("m", "received_timestamp") + ", " +
        m.col("m", "media_wa_type", &missing) + ", " + m.col("m", "data", &missing) + ", " + m.col("m", "starred") +
        ", " + m.col("m", "status") + ", " + (media_join ? std::string("mm.file_path") : std::string("NULL")) + ", " +
        m.col("m", "media_mime_type") + ", " + m.col("m", "media_size") + ", " + m.col("m", "media_name") + ", " +
        m.col("m", "media_caption") + ", " + m.col("m", "media_duration") + ", " + m.col("m", "latitude") + ", " +
        m.col("m", "longitude") + " FROM messages m";
    if (media_join) sql += " LEFT JOIN message_media mm ON mm.message_row_id = m._id";
    sql += m.has("_id") ? " ORDER BY m._id" : " ORDER BY m.rowid";
    warn_missing_columns(ctx_, "messages", missing);
    auto st = db_.prepare(sql);
    if (!st) {
      ctx_.warn("unreadable_table", "table messages could not be read: " + st.error().message);
      return;
    }
    uint64_t rows = 0, placeholders = 0;
    while (st->step()) {
      ++rows;
      const std::string chat_jid = st->is_null(1) ? std::string() : txt_(*st, 1);
      if (chat_jid == "-1") {
        ++placeholders;
        continue;
      }
      Item it;
      it.category = Category::message;
      it.service = "whatsapp";
      it.time = column_time(*st, 4, TimeUnit::unix_ms);
      if (!st->is_null(5)) {
        Timestamp r = column_time(*st, 5, TimeUnit::unix_ms);
        if (r.dated()) it.other_times.push_back({"received", std::move(r)});
      }
      const auto from_me = st->opt_i64(2);
      it.direction = !from_me ? Direction::unknown : (*from_me ? Direction::outgoing : Direction::incoming);
      set_thread(it, chat_jid, subject_for(chat_jid));
      std::string sender = st->is_null(3) ? std::string() : txt_(*st, 3);
      if (it.direction == Direction::outgoing) sender.clear();
      conversation_parties(it, chat_jid, sender);
      const auto type = st->opt_i64(6);
      const auto status = st->opt_i64(9);
      it.body = st->is_null(7) ? std::string() : txt_(*st, 7);
      if (it.body.empty() && !st->is_null(14)) it.body = txt_(*st, 14);
      annotate_type(it, type, status && *status == 6);
      if (android::truthy(st->opt_i64(8))) it.extra.emplace_back("starred", "1");
      if (status) it.extra.emplace_back("status", std::to_string(*status));
      const bool has_media =
          !st->is_null(10) || (!st->is_null(13) && !txt_(*st, 13).empty()) || (type && media_type(*type));
      if (has_media && !(type && (*type == 5 || *type == 16))) {
        media_ref(it, st->is_null(10) ? std::string() : txt_(*st, 10), st->is_null(13) ? std::string() : txt_(*st, 13),
                  st->is_null(11) ? std::string() : txt_(*st, 11), st->opt_i64(12));
        if (const auto d = st->opt_i64(15); d && *d > 0) it.duration_s = static_cast<double>(*d);
      }
      location(it, *st, 16, 17, type && (*type == 5 || *type == 16) ? 13 : -1, -1);  // legacy: place in media_name
      it.provenance = ctx_.provenance("messages", row_ref("_id", *st, 0));
      ctx_.emit(std::move(it));
    }
    warn_if_stopped(ctx_, *st, "messages", rows);
    if (bad_locations_)
      ctx_.warn("bad_value",
                fmt::format("{} locations outside the valid latitude/longitude range were ignored", bad_locations_),
                bad_locations_);
    if (placeholders)
      ctx_.warn("skipped_rows",
                fmt::format("table messages: {} placeholder rows (key_remote_jid '-1') are not messages", placeholders),
                placeholders);
  }

  std::string subject_for(const std::string& chat_jid) {
    if (!legacy_subjects_loaded_) {
      legacy_subjects_loaded_ = true;
      // Legacy: chat_list(key_remote_jid, subject); transitional: chat + jid.
      if (db_.has_table("chat_list") && db_.has_column("chat_list", "key_remote_jid") &&
          db_.has_column("chat_list", "subject")) {
        if (auto st = db_.prepare("SELECT key_remote_jid, subject FROM chat_list")) {
          while (st->step())
            if (!st->is_null(0) && !st->is_null(1)) legacy_subjects_.emplace(txt_(*st, 0), txt_(*st, 1));
        }
      } else if (db_.has_table("chat") && db_.has_column("chat", "jid_row_id") && db_.has_column("chat", "subject")) {
        if (auto st = db_.prepare("SELECT jid_row_id, subject FROM chat")) {
          while (st->step()) {
            const std::string j = jid_of(st->opt_i64(0));
            if (!j.empty() && !st->is_null(1)) legacy_subjects_.emplace(j, txt_(*st, 1));
          }
        }
      }
    }
    auto it = legacy_subjects_.find(chat_jid);
    return it == legacy_subjects_.end() ? std::string() : it->second;
  }

  // --- calls -----------------------------------------------------------------

  void calls() {
    Columns c(db_, "call_log");
    std::vector<std::string> missing;
    const std::string sql = "SELECT " + c.col("c", "_id", &missing) + ", " + c.col("c", "jid_row_id", &missing) + ", " +
                            c.col("c", "from_me", &missing) + ", " + c.col("c", "timestamp", &missing) + ", " +
                            c.col("c", "video_call", &missing) + ", " + c.col("c", "duration", &missing) + ", " +
                            c.col("c", "call_result", &missing) + ", " + c.col("c", "group_jid_row_id") + ", " +
                            c.col("c", "call_id") + " FROM call_log c ORDER BY c.rowid";
    warn_missing_columns(ctx_, "call_log", missing);
    if (jids_.empty()) load_jids();
    // Group call participants.
    std::unordered_map<int64_t, std::vector<std::string>> participants;
    if (db_.has_table("call_log_participant_v2") && db_.has_column("call_log_participant_v2", "call_log_row_id") &&
        db_.has_column("call_log_participant_v2", "jid_row_id")) {
      if (auto p = db_.prepare("SELECT call_log_row_id, jid_row_id FROM call_log_participant_v2 ORDER BY rowid")) {
        while (p->step()) {
          const auto id = p->opt_i64(0);
          const std::string j = jid_of(p->opt_i64(1));
          if (id && !j.empty() && !owner_jid(j)) participants[*id].push_back(j);
        }
      }
    }
    auto st = db_.prepare(sql);
    if (!st) {
      ctx_.warn("unreadable_table", "table call_log could not be read: " + st.error().message);
      return;
    }
    uint64_t rows = 0;
    while (st->step()) {
      ++rows;
      Item it;
      it.category = Category::call;
      it.service = "whatsapp";
      it.time = column_time(*st, 3, TimeUnit::unix_ms);
      const auto from_me = st->opt_i64(2);
      it.direction = !from_me ? Direction::unknown : (*from_me ? Direction::outgoing : Direction::incoming);
      const auto duration = st->opt_i64(5);
      if (duration) it.duration_s = static_cast<double>(*duration);
      const auto res = st->opt_i64(6);
      const CallResult cr = call_result(res, it.direction == Direction::incoming, duration);
      it.outcome = cr.outcome;
      if (res) {
        it.extra.emplace_back("call_result", std::to_string(*res));
        it.extra.emplace_back("call_result_label", cr.label);
      }
      if (android::truthy(st->opt_i64(4))) it.extra.emplace_back("video", "1");
      const std::string peer = jid_of(st->opt_i64(1));
      const std::string group = jid_of(st->opt_i64(7));
      const auto id = st->opt_i64(0);
      const auto parts = id ? participants.find(*id) : participants.end();
      const bool multi = !group.empty() || (parts != participants.end() && parts->second.size() > 1);
      if (!group.empty()) {
        it.thread_id = group;
        set_thread(it, group, subject_for_group(group));
      } else if (!peer.empty()) {
        it.thread_id = peer;
      }
      it.group = multi;
      const PartyRole other = it.direction == Direction::outgoing ? PartyRole::to : PartyRole::participant;
      if (!peer.empty() && !owner_jid(peer) && !is_group_jid(peer))
        push_party(it, peer, it.direction == Direction::outgoing ? PartyRole::to : PartyRole::from);
      if (parts != participants.end())
        for (const auto& p : parts->second)
          if (p != peer) push_party(it, p, multi ? other : PartyRole::to);
      it.provenance = ctx_.provenance("call_log", row_ref("_id", *st, 0));
      ctx_.emit(std::move(it));
    }
    warn_if_stopped(ctx_, *st, "call_log", rows);
  }

  std::string subject_for_group(const std::string& group) {
    for (const auto& [id, c] : chats_)
      if (c.jid == group) return c.subject;
    return subject_for(group);
  }

  ParseContext& ctx_;
  const EvidenceDb& db_;
  std::unordered_map<std::string, std::string> names_;
  std::set<std::string> owner_;
  std::unordered_map<int64_t, std::string> jids_;
  std::unordered_map<int64_t, std::string> lid_to_pn_;
  std::unordered_map<int64_t, Chat> chats_;
  std::unordered_map<std::string, std::vector<std::string>> members_;
  std::unordered_map<std::string, Party> party_cache_;
  std::unordered_map<std::string, std::string> legacy_subjects_;
  bool legacy_subjects_loaded_ = false;
  std::unique_ptr<FileIndex> media_;
  std::unordered_map<int64_t, ChatInfo> chat_info_;
  std::unordered_map<int64_t, Party> row_party_;
  uint64_t bad_locations_ = 0;

 public:
  android::TextReader txt_;
};

}  // namespace

std::string_view AndroidWhatsAppParser::name() const noexcept {
  return "android.whatsapp";
}
std::string_view AndroidWhatsAppParser::version() const noexcept {
  return "1.0";
}
std::span<const std::string_view> AndroidWhatsAppParser::references() const noexcept {
  return kRefs;
}
std::span<const Category> AndroidWhatsAppParser::categories() const noexcept {
  return kCats;
}

void AndroidWhatsAppParser::parse(ParseContext& ctx) const {
  auto db = open_or_warn(ctx);
  if (!db) return;
  parse_database(ctx, *db);
}

void AndroidWhatsAppParser::parse_database(ParseContext& ctx, const EvidenceDb& db) const {
  Run run(ctx, db);
  run.go();
  run.txt_.report(ctx);
}

}  // namespace remit::artifacts
