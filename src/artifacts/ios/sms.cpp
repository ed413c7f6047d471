// iOS Messages: private/var/mobile/Library/SMS/sms.db (SMS, MMS, iMessage, RCS).
//
// References:
//  - shared/docs/artifacts.md "iOS tables: sms.db" (message, handle, chat,
//    chat_message_join, chat_handle_join, message_attachment_join,
//    attachment; attributedBody when text is NULL; handle_id = 0).
//  - plaso's sqlite_plugins/imessage.py and iLEAPP's sms.py (the joins;
//    date in seconds before iOS 11, nanoseconds since; chat.style 43 group,
//    45 one-to-one).
//  - dgelessus/python-typedstream for attributedBody (src/core/apple/typedstream.cpp).
//  - Checked against plaso's macos-imessage-chat.db (same schema as iOS
//    sms.db, dates in seconds: 10 messages, 7 handles, 7 chats, 1 attachment)
//    and against the documented iOS 15-17 schema (nanosecond dates,
//    attributedBody-only text) in tests/cases/ios_sms_schema.
#include "artifacts/ios/sms.hpp"

#include <fmt/format.h>

#include <map>
#include <set>

#include "artifacts/common.hpp"
#include "artifacts/ios/ios_common.hpp"
#include "remit/apple.hpp"
#include "remit/text.hpp"

namespace remit::artifacts {
namespace {

constexpr std::string_view kRefs[] = {
    "shared/docs/artifacts.md: iOS tables, sms.db",
    "plaso sqlite_plugins/imessage.py; iLEAPP scripts/artifacts/sms.py (joins, chat.style)",
    "python-typedstream (attributedBody format facts)",
    "plaso test data macos-imessage-chat.db (10 messages, dates in seconds)",
    "documented iOS 15-17 sms.db schema (nanosecond dates, attributedBody-only text)",
};
constexpr Category kCats[] = {Category::message};

struct Handle {
  std::string id;
  std::string service;
};

struct Chat {
  std::string guid, identifier, display_name, service;
  int64_t style = 0;
};

struct Attachment {
  int64_t rowid = 0;
  std::string filename, mime, transfer_name;
  std::optional<int64_t> total_bytes;
};

std::string service_token(std::string_view raw) {
  if (iequals(raw, "iMessage")) return "imessage";
  if (iequals(raw, "SMS")) return "sms";
  if (iequals(raw, "RCS")) return "rcs";
  if (raw.empty()) return "imessage";
  return ascii_lower(raw);
}

// Where an attachment's recorded filename may be found in the extraction.
std::vector<std::string> attachment_candidates(std::string_view filename) {
  std::vector<std::string> c;
  if (filename.empty()) return c;
  std::string f(filename);
  if (f.rfind("~/", 0) == 0) {
    c.push_back("private/var/mobile/" + f.substr(2));
  } else if (!f.empty() && f.front() == '/') {
    c.push_back(f);  // normalised by resolve_file (var/mobile -> private/var/mobile)
  } else {
    c.push_back(ios::join_path("private/var/mobile", f));
  }
  // Wherever the home folder ended up: match from "Library/" on.
  if (auto lib = f.find("Library/"); lib != std::string::npos) c.push_back("*/" + f.substr(lib));
  return c;
}

}  // namespace

std::string_view IosSmsParser::name() const noexcept {
  return "ios.sms";
}
std::string_view IosSmsParser::version() const noexcept {
  return "1.0";
}
std::span<const std::string_view> IosSmsParser::references() const noexcept {
  return kRefs;
}
std::span<const Category> IosSmsParser::categories() const noexcept {
  return kCats;
}

void IosSmsParser::parse(ParseContext& ctx) const {
  ios::Utf8Tally u8(ctx);
  ios::IdTally ids(ctx);
  auto db = open_or_warn(ctx);
  if (!db) return;
  if (!db->has_table("message")) {
    ctx.warn("missing_table", "table message is absent");
    return;
  }

  std::map<int64_t, Handle> handles;
  if (db->has_table("handle")) {
    auto st = ios::prepare_or_warn(ctx, *db, select_sql(*db, "handle", {"ROWID", "id", "service"}), "handle");
    if (st) {
      while (st->step()) handles[st->i64(0)] = Handle{u8.text(*st, 1), u8.text(*st, 2)};
      warn_if_stopped(ctx, *st, "handle", handles.size());
    }
  } else {
    ctx.warn("missing_table", "table handle is absent; parties are read from chats only");
  }

  std::map<int64_t, Chat> chats;
  if (db->has_table("chat")) {
    auto st = ios::prepare_or_warn(
        ctx, *db,
        select_sql(*db, "chat", {"ROWID", "guid", "chat_identifier", "display_name", "style", "service_name"}), "chat");
    if (st) {
      while (st->step())
        chats[st->i64(0)] = Chat{u8.text(*st, 1), u8.text(*st, 2), u8.text(*st, 3), u8.text(*st, 5), st->i64(4)};
      warn_if_stopped(ctx, *st, "chat", chats.size());
    }
  }
  std::map<int64_t, std::vector<int64_t>> chat_handles;
  if (db->has_table("chat_handle_join")) {
    auto st = ios::prepare_or_warn(
        ctx, *db, "SELECT chat_id, handle_id FROM chat_handle_join ORDER BY chat_id, handle_id", "chat_handle_join");
    if (st) {
      uint64_t n = 0;
      while (st->step()) {
        ++n;
        chat_handles[st->i64(0)].push_back(st->i64(1));
      }
      warn_if_stopped(ctx, *st, "chat_handle_join", n);
    }
  }
  std::map<int64_t, int64_t> message_chat;
  uint64_t multi_chat = 0;
  if (db->has_table("chat_message_join")) {
    auto st =
        ios::prepare_or_warn(ctx, *db, "SELECT message_id, chat_id FROM chat_message_join ORDER BY message_id, chat_id",
                             "chat_message_join");
    if (st) {
      uint64_t n = 0;
      while (st->step()) {
        ++n;
        if (!message_chat.emplace(st->i64(0), st->i64(1)).second) ++multi_chat;
      }
      warn_if_stopped(ctx, *st, "chat_message_join", n);
    }
  }
  if (multi_chat > 0)
    ctx.warn("multiple_chats", "messages joined to more than one chat; the lowest chat id is used", multi_chat);

  std::map<int64_t, std::vector<Attachment>> attachments;
  if (db->has_table("message_attachment_join") && db->has_table("attachment")) {
    const std::string sql =
        "SELECT message_attachment_join.message_id, attachment.ROWID, " + db->col_or_null("attachment", "filename") +
        ", " + db->col_or_null("attachment", "mime_type") + ", " + db->col_or_null("attachment", "transfer_name") +
        ", " + db->col_or_null("attachment", "total_bytes") +
        " FROM message_attachment_join JOIN attachment ON attachment.ROWID = message_attachment_join.attachment_id"
        " ORDER BY message_attachment_join.message_id, attachment.ROWID";
    auto st = ios::prepare_or_warn(ctx, *db, sql, "attachment");
    if (st) {
      uint64_t n = 0;
      while (st->step()) {
        ++n;
        attachments[st->i64(0)].push_back(
            Attachment{st->i64(1), u8.text(*st, 2), u8.text(*st, 3), u8.text(*st, 4), st->opt_i64(5)});
      }
      warn_if_stopped(ctx, *st, "attachment", n);
    }
  }

  std::vector<std::string> missing;
  const auto sql = select_sql(*db, "message",
                              {"ROWID",
                               "guid",
                               "text",
                               "attributedBody",
                               "handle_id",
                               "service",
                               "account",
                               "date",
                               "date_read",
                               "date_delivered",
                               "is_from_me",
                               "is_read",
                               "is_delivered",
                               "is_sent",
                               "error",
                               "item_type",
                               "group_action_type",
                               "is_system_message",
                               "associated_message_type",
                               "subject",
                               "cache_roomnames",
                               "is_service_message",
                               "date_edited"},
                              "ORDER BY \"ROWID\"", &missing);
  // Columns that only some iOS versions have are not worth a warning.
  std::vector<std::string> notable;
  for (const auto& m : missing)
    if (m == "text" || m == "handle_id" || m == "date" || m == "is_from_me" || m == "attributedBody")
      notable.push_back(m);
  warn_missing_columns(ctx, "message", notable);
  auto st = db->prepare(sql);
  if (!st) {
    ctx.warn("unreadable_table", st.error().message);
    return;
  }
  auto handle_id = [&](int64_t id) -> std::optional<std::string> {
    auto it = handles.find(id);
    if (it == handles.end() || it->second.id.empty()) return std::nullopt;
    return it->second.id;
  };
  uint64_t rows = 0, undecodable = 0, no_party = 0, dangling = 0, attached_missing = 0;
  while (st->step()) {
    ++rows;
    Item it;
    it.category = Category::message;
    const std::string raw_service = u8.text(*st, 5);
    it.service = service_token(raw_service);
    it.time = column_time(*st, 7, TimeUnit::mac_auto);
    for (auto [col, name] : {std::pair{8, "read"}, std::pair{9, "delivered"}, std::pair{22, "edited"}}) {
      Timestamp t = column_time(*st, col, TimeUnit::mac_auto);
      if (t.dated()) it.other_times.push_back({name, std::move(t)});
    }
    const bool from_me = st->i64(10) == 1;
    it.direction = st->is_null(10) ? Direction::unknown : from_me ? Direction::outgoing : Direction::incoming;

    // Body: text, else the NSAttributedString archived in attributedBody.
    if (!st->is_null(2)) {
      it.body = u8.text(*st, 2);
    } else if (st->type(3) == SqlType::blob) {
      auto text = apple::attributed_string_text(st->blob(3));
      if (text)
        it.body = std::move(*text);
      else
        ++undecodable;
    }
    // Messages marks each attachment's place in the text with U+FFFC OBJECT
    // REPLACEMENT CHARACTER; the attachments are listed on the item, so the
    // placeholder is dropped from the body (docs/item-format.md).
    for (size_t at; (at = it.body.find("\xEF\xBF\xBC")) != std::string::npos;) it.body.erase(at, 3);

    // Conversation and parties.
    const int64_t msg_id = st->i64(0);
    const Chat* chat = nullptr;
    std::vector<int64_t> members;
    if (auto mc = message_chat.find(msg_id); mc != message_chat.end()) {
      if (auto c = chats.find(mc->second); c != chats.end()) chat = &c->second;
      if (auto ch = chat_handles.find(mc->second); ch != chat_handles.end()) members = ch->second;
      it.thread_id = std::to_string(mc->second);
    }
    const std::string roomnames = u8.text(*st, 20);
    it.group = (chat && (chat->style == 43 || members.size() > 1)) || (!chat && !roomnames.empty());
    if (chat) it.thread_name = chat->display_name;
    const int64_t hid = st->i64(4);
    std::optional<std::string> sender;
    if (hid != 0) {
      sender = handle_id(hid);
      if (!sender) ++dangling;
    }
    auto member_ids = [&]() {
      std::vector<std::string> out;
      for (int64_t m : members)
        if (auto h = handle_id(m)) out.push_back(*h);
      return out;
    };
    if (!it.group) {
      // One-to-one: the message's handle, else the chat's only handle, else the chat identifier.
      std::optional<std::string> other = sender;
      if (!other) {
        auto ids = member_ids();
        if (!ids.empty())
          other = ids.front();
        else if (chat && !chat->identifier.empty())
          other = chat->identifier;
      }
      if (other) it.parties.push_back(ids.party(*other, from_me ? PartyRole::to : PartyRole::from));
    } else if (from_me) {
      for (const auto& m : member_ids()) it.parties.push_back(ids.party(m, PartyRole::to));
    } else {
      if (sender) it.parties.push_back(ids.party(*sender, PartyRole::from));
      std::set<std::string> seen;
      if (sender) seen.insert(*sender);
      for (const auto& m : member_ids())
        if (seen.insert(m).second) it.parties.push_back(ids.party(m, PartyRole::participant));
    }
    if (it.parties.empty()) ++no_party;

    // Attachments.
    if (auto at = attachments.find(msg_id); at != attachments.end()) {
      for (const auto& a : at->second) {
        FileRef ref;
        ref.mime = a.mime;
        ref.name = !a.transfer_name.empty() ? a.transfer_name : std::string(ios::basename(a.filename));
        if (a.total_bytes && *a.total_bytes >= 0) ref.size = static_cast<uint64_t>(*a.total_bytes);
        const auto cands = attachment_candidates(a.filename);
        if (!ctx.resolve_file(ref, cands)) {
          ++attached_missing;
          ref.path.clear();
          if (ref.name.empty()) ref.name = a.filename;
        }
        it.attachments.push_back(std::move(ref));
      }
    }

    const int64_t item_type = st->i64(15);
    it.system = item_type != 0 || st->i64(17) == 1 || st->i64(21) == 1;
    it.extra.emplace_back("guid", u8.text(*st, 1));
    if (!raw_service.empty()) it.extra.emplace_back("service", raw_service);
    if (!st->is_null(11)) it.extra.emplace_back("is_read", st->raw_text(11));
    if (!st->is_null(12)) it.extra.emplace_back("is_delivered", st->raw_text(12));
    if (!st->is_null(13)) it.extra.emplace_back("is_sent", st->raw_text(13));
    if (item_type != 0) it.extra.emplace_back("item_type", std::to_string(item_type));
    if (st->i64(16) != 0) it.extra.emplace_back("group_action_type", st->raw_text(16));
    if (st->i64(18) != 0) it.extra.emplace_back("associated_message_type", st->raw_text(18));
    if (st->i64(14) != 0) it.extra.emplace_back("error", st->raw_text(14));
    if (!st->is_null(19) && !u8.text(*st, 19).empty()) it.extra.emplace_back("subject", u8.text(*st, 19));
    if (!st->is_null(6) && !u8.text(*st, 6).empty()) it.extra.emplace_back("account", u8.text(*st, 6));
    if (chat && !chat->guid.empty()) it.extra.emplace_back("chat_guid", chat->guid);
    if (hid == 0) it.extra.emplace_back("handle_id", "0");
    it.provenance = ctx.provenance("message", row_ref("ROWID", *st, 0));
    ctx.emit(std::move(it));
  }
  warn_if_stopped(ctx, *st, "message", rows);
  if (undecodable > 0)
    ctx.warn("undecodable_attributed_body",
             "messages with NULL text whose attributedBody could not be decoded; body left empty", undecodable);
  if (no_party > 0)
    ctx.warn("unresolved_party", "messages whose other party could not be resolved (no handle, no chat join)",
             no_party);
  if (dangling > 0) ctx.warn("dangling_handle", "messages whose handle_id is not in table handle", dangling);
  if (attached_missing > 0)
    ctx.warn("missing_attachment_file", "attachments whose file is not in the extraction", attached_missing);
}

}  // namespace remit::artifacts
