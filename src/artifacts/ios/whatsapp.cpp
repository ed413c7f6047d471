// WhatsApp for iOS: the shared app-group container
// private/var/mobile/Containers/Shared/AppGroup/<UUID or group id>/:
//   ChatStorage.sqlite  -> messages (ZWAMESSAGE, ZWACHATSESSION, ZWAGROUPMEMBER, ZWAMEDIAITEM)
//   CallHistory.sqlite  -> calls (ZWACDCALLEVENT, ZWAAGGREGATECALLEVENT, ZWACDCALLEVENTPARTICIPANT)
//   ContactsV2.sqlite   -> names for both (ZWAADDRESSBOOKCONTACT), when present
// Media files live under <group>/Message/ (ZWAMEDIAITEM.ZMEDIALOCALPATH is
// relative to it).
//
// References:
//  - shared/docs/artifacts.md "iOS tables: WhatsApp ChatStorage.sqlite".
//  - iLEAPP scripts/artifacts/whatsApp.py (message/media joins, ZMESSAGETYPE 5
//    coordinates, ZVCARDSTRING holding a media MIME type, the call-event to
//    participant join through Z1CALLEVENTS / Z1PARTICIPANTS).
//  - Core Data naming: Z<n><RELATIONSHIP> columns name entity n of
//    Z_PRIMARYKEY; here entity 1 is WAAggregateCallEvent.
//  - Checked against iLEAPP's josh_ios15_ffs zips (WhatsApp 22.x on iOS 15):
//    32 messages in 5 chat sessions (4 groups, types 0/1/5/6/10), 4 calls,
//    9 contacts; ZLATITUDE/ZLONGITUDE of image items hold pixel sizes, not
//    coordinates, so only type 5 gives a location.
#include "artifacts/ios/whatsapp.hpp"

#include <fmt/format.h>

#include <cmath>
#include <map>
#include <set>

#include "artifacts/common.hpp"
#include "artifacts/ios/ios_common.hpp"
#include "remit/text.hpp"

namespace remit::artifacts {
namespace {

constexpr std::string_view kRefs[] = {
    "shared/docs/artifacts.md: WhatsApp ChatStorage.sqlite, ContactsV2.sqlite, CallHistory.sqlite",
    "iLEAPP scripts/artifacts/whatsApp.py (joins, type 5 coordinates, ZVCARDSTRING MIME, call participants)",
    "Core Data SQLite naming (Z_PRIMARYKEY entities, Z<n><REL> foreign keys)",
    "iLEAPP test zips josh_ios15_ffs (WhatsApp 22.x, iOS 15): 32 messages, 4 calls",
};
constexpr Category kCats[] = {Category::message, Category::call};

constexpr int64_t kTypeImage = 1, kTypeVideo = 2, kTypeAudio = 3, kTypeLocation = 5, kTypeGroupEvent = 6,
                  kTypeDocument = 8, kTypeSystem = 10, kTypeGif = 11, kTypeSticker = 15;

bool is_media_type(int64_t t) {
  return t == kTypeImage || t == kTypeVideo || t == kTypeAudio || t == kTypeDocument || t == kTypeGif ||
         t == kTypeSticker;
}

bool looks_like_mime(std::string_view s) {
  if (s.size() < 3 || s.size() > 100) return false;
  const auto slash = s.find('/');
  if (slash == std::string_view::npos || slash == 0 || slash + 1 == s.size()) return false;
  for (char c : s)
    if (c <= ' ' || c == ':' || c == ';' || c > '~') return false;
  return true;
}

// ContactsV2.sqlite next to the database: WhatsApp id -> full name.
std::map<std::string, std::string> contact_names(ParseContext& ctx) {
  ios::Utf8Tally u8(ctx);
  std::map<std::string, std::string> names;
  const Entry* e = ctx.sibling("ContactsV2.sqlite");
  if (!e) return names;
  auto db = ctx.open_db(e);
  if (!db) {
    ctx.warn("unreadable_database", "ContactsV2.sqlite (names only): " + db.error().message, 1, e->path);
    return names;
  }
  if (!db->has_table("ZWAADDRESSBOOKCONTACT")) return names;
  auto st = ios::prepare_or_warn(ctx, *db, select_sql(*db, "ZWAADDRESSBOOKCONTACT", {"ZWHATSAPPID", "ZFULLNAME"}),
                                 "ZWAADDRESSBOOKCONTACT (names only)");
  if (!st) return names;
  while (st->step()) {
    const std::string jid = u8.text(*st, 0), name = u8.text(*st, 1);
    if (!jid.empty() && !name.empty()) names.emplace(jid, name);
  }
  return names;
}

struct Session {
  std::string jid, name;
  int64_t type = 0;
};

struct Member {
  std::string jid, name;
  bool active = true;
};

struct Media {
  int64_t pk = 0, message = 0;
  std::string local_path, vcard_or_mime, title;
  std::optional<double> lat, lon, accuracy;
  std::optional<int64_t> size;
  std::optional<double> duration;
};

void parse_messages(ParseContext& ctx, const EvidenceDb& db) {
  ios::Utf8Tally u8(ctx);
  ios::IdTally ids(ctx);
  if (!db.has_table("ZWAMESSAGE")) {
    ctx.warn("missing_table", "table ZWAMESSAGE is absent");
    return;
  }
  const auto names = contact_names(ctx);
  auto name_of = [&](const std::string& jid, const std::string& fallback) {
    if (!fallback.empty()) return fallback;
    auto it = names.find(jid);
    return it != names.end() ? it->second : std::string();
  };

  std::map<int64_t, Session> sessions;
  if (db.has_table("ZWACHATSESSION")) {
    auto st = ios::prepare_or_warn(
        ctx, db, select_sql(db, "ZWACHATSESSION", {"Z_PK", "ZCONTACTJID", "ZPARTNERNAME", "ZSESSIONTYPE"}),
        "ZWACHATSESSION");
    if (st)
      while (st->step()) sessions[st->i64(0)] = Session{u8.text(*st, 1), u8.text(*st, 2), st->i64(3)};
  } else {
    ctx.warn("missing_table", "table ZWACHATSESSION is absent; chats are unnamed");
  }
  std::map<int64_t, Member> members_by_pk;
  std::map<int64_t, std::vector<int64_t>> members_of_session;
  if (db.has_table("ZWAGROUPMEMBER")) {
    auto st = ios::prepare_or_warn(
        ctx, db,
        select_sql(db, "ZWAGROUPMEMBER",
                   {"Z_PK", "ZCHATSESSION", "ZMEMBERJID", "ZCONTACTNAME", "ZFIRSTNAME", "ZISACTIVE"},
                   "ORDER BY \"Z_PK\""),
        "ZWAGROUPMEMBER");
    if (st)
      while (st->step()) {
        Member m{u8.text(*st, 2), u8.text(*st, 3), st->is_null(5) || st->i64(5) != 0};
        if (m.name.empty()) m.name = u8.text(*st, 4);
        members_by_pk[st->i64(0)] = m;
        if (!st->is_null(1)) members_of_session[st->i64(1)].push_back(st->i64(0));
      }
  }
  std::map<int64_t, Media> media_by_pk;
  std::map<int64_t, int64_t> media_by_message;
  if (db.has_table("ZWAMEDIAITEM")) {
    auto st = ios::prepare_or_warn(ctx, db,
                                   select_sql(db, "ZWAMEDIAITEM",
                                              {"Z_PK", "ZMESSAGE", "ZMEDIALOCALPATH", "ZVCARDSTRING", "ZTITLE",
                                               "ZLATITUDE", "ZLONGITUDE", "ZHACCURACY", "ZFILESIZE", "ZMOVIEDURATION"}),
                                   "ZWAMEDIAITEM");
    if (st)
      while (st->step()) {
        Media m;
        m.pk = st->i64(0);
        m.message = st->i64(1);
        m.local_path = u8.text(*st, 2);
        m.vcard_or_mime = u8.text(*st, 3);
        m.title = u8.text(*st, 4);
        m.lat = st->opt_f64(5);
        m.lon = st->opt_f64(6);
        m.accuracy = st->opt_f64(7);
        m.size = st->opt_i64(8);
        if (auto d = st->opt_f64(9); d && *d > 0) m.duration = d;
        if (!st->is_null(1)) media_by_message[m.message] = m.pk;
        media_by_pk[m.pk] = std::move(m);
      }
  }
  // The owner's JID: what incoming messages were addressed to.
  std::string owner;
  {
    auto st = db.prepare(
        "SELECT ZTOJID, count(*) AS n FROM ZWAMESSAGE WHERE ZISFROMME = 0 AND ZTOJID LIKE '%@s.whatsapp.net' "
        "GROUP BY ZTOJID ORDER BY n DESC LIMIT 1");
    if (st && st->step()) owner = u8.text(*st, 0);
  }
  const std::string group_dir(ios::dirname(ctx.entry().path));

  std::vector<std::string> missing;
  auto st = db.prepare(select_sql(
      db, "ZWAMESSAGE",
      {"Z_PK", "ZCHATSESSION", "ZISFROMME", "ZMESSAGEDATE", "ZSENTDATE", "ZFROMJID", "ZTOJID", "ZTEXT", "ZMESSAGETYPE",
       "ZGROUPMEMBER", "ZMEDIAITEM", "ZSTARRED", "ZGROUPEVENTTYPE", "ZSTANZAID", "ZPUSHNAME", "ZMESSAGESTATUS"},
      "ORDER BY \"Z_PK\"", &missing));
  std::vector<std::string> notable;
  for (const auto& m : missing)
    if (m == "ZCHATSESSION" || m == "ZISFROMME" || m == "ZMESSAGEDATE" || m == "ZTEXT" || m == "ZMESSAGETYPE")
      notable.push_back(m);
  warn_missing_columns(ctx, "ZWAMESSAGE", notable);
  if (!st) {
    ctx.warn("unreadable_table", st.error().message);
    return;
  }
  uint64_t rows = 0, missing_media = 0;
  while (st->step()) {
    ++rows;
    Item it;
    it.category = Category::message;
    it.service = "whatsapp";
    it.time = column_time(*st, 3, TimeUnit::mac_s);
    Timestamp sent = column_time(*st, 4, TimeUnit::mac_s);
    if (sent.dated()) it.other_times.push_back({"sent", std::move(sent)});
    const bool from_me = st->i64(2) == 1;
    it.direction = st->is_null(2) ? Direction::unknown : from_me ? Direction::outgoing : Direction::incoming;
    it.body = u8.text(*st, 7);
    const int64_t type = st->i64(8);
    it.system = type == kTypeGroupEvent || type == kTypeSystem;

    const Session* s = nullptr;
    if (!st->is_null(1))
      if (auto f = sessions.find(st->i64(1)); f != sessions.end()) s = &f->second;
    const std::string chat_jid = s ? s->jid : (from_me ? u8.text(*st, 6) : u8.text(*st, 5));
    it.thread_id = chat_jid;
    if (s) it.thread_name = s->name;
    it.group = (s && s->type == 1) || ends_with_ci(chat_jid, "@g.us");

    if (!it.group) {
      if (!chat_jid.empty())
        it.parties.push_back(ids.party(chat_jid, from_me ? PartyRole::to : PartyRole::from,
                                       name_of(chat_jid, s ? s->name : std::string())));
    } else {
      std::string sender;
      if (!from_me && !st->is_null(9))
        if (auto m = members_by_pk.find(st->i64(9)); m != members_by_pk.end()) {
          sender = m->second.jid;
          it.parties.push_back(ids.party(sender, PartyRole::from, name_of(sender, m->second.name)));
        }
      if (auto ms = members_of_session.find(s ? st->i64(1) : -1); ms != members_of_session.end()) {
        for (int64_t pk : ms->second) {
          const Member& m = members_by_pk[pk];
          if (!m.active || m.jid.empty() || m.jid == owner || m.jid == sender) continue;
          it.parties.push_back(
              ids.party(m.jid, from_me ? PartyRole::to : PartyRole::participant, name_of(m.jid, m.name)));
        }
      }
    }

    // Media, documents and locations.
    const Media* media = nullptr;
    std::string place;
    if (!st->is_null(10)) {
      if (auto f = media_by_pk.find(st->i64(10)); f != media_by_pk.end()) media = &f->second;
    } else if (auto f = media_by_message.find(st->i64(0)); f != media_by_message.end()) {
      media = &media_by_pk[f->second];
    }
    if (media) {
      if (type == kTypeLocation) {
        if (media->lat && media->lon && (*media->lat != 0 || *media->lon != 0) && std::fabs(*media->lat) <= 90 &&
            std::fabs(*media->lon) <= 180)
          it.location = GeoPoint{*media->lat, *media->lon,
                                 media->accuracy && *media->accuracy > 0 ? media->accuracy : std::nullopt};
        place = media->title;
      }
      if (!media->local_path.empty()) {
        FileRef ref;
        ref.name = std::string(ios::basename(media->local_path));
        if (is_media_type(type) && looks_like_mime(media->vcard_or_mime)) ref.mime = media->vcard_or_mime;
        if (ref.mime.empty()) ref.mime = ios::mime_from_name(ref.name);
        if (media->size && *media->size > 0) ref.size = static_cast<uint64_t>(*media->size);
        std::vector<std::string> cands;
        if (media->local_path.front() == '/') {
          cands.push_back(media->local_path);
        } else {
          cands.push_back(ios::join_path(ios::join_path(group_dir, "Message"), media->local_path));
          cands.push_back(ios::join_path(group_dir, media->local_path));
          cands.push_back("*/Message/" + media->local_path);
        }
        if (!ctx.resolve_file(ref, cands)) {
          ++missing_media;
          ref.path.clear();
          ref.name = media->local_path;
        }
        it.attachments.push_back(std::move(ref));
      }
      if (media->duration) it.duration_s = media->duration;
    }
    it.extra.emplace_back("message_type", std::to_string(type));
    // The place's name is what the sender shared: the message's text (as on
    // Android, docs/item-format.md); kept in extra when there is a caption.
    if (!place.empty()) {
      if (it.body.empty())
        it.body = place;
      else
        it.extra.emplace_back("place", place);
    }
    if (!st->is_null(12) && st->i64(12) != 0) it.extra.emplace_back("group_event_type", st->raw_text(12));
    if (st->i64(11) != 0) it.extra.emplace_back("starred", "1");
    if (!st->is_null(15)) it.extra.emplace_back("message_status", st->raw_text(15));
    if (!u8.text(*st, 13).empty()) it.extra.emplace_back("stanza_id", u8.text(*st, 13));
    it.provenance = ctx.provenance("ZWAMESSAGE", row_ref("Z_PK", *st, 0));
    ctx.emit(std::move(it));
  }
  warn_if_stopped(ctx, *st, "ZWAMESSAGE", rows);
  if (missing_media > 0)
    ctx.warn("missing_attachment_file", "media items whose file is not in the extraction", missing_media);
}

// The Z<n>PARTICIPANTS column of ZWACDCALLEVENTPARTICIPANT and whether it
// points at the aggregate event (the usual layout) or the call event.
struct ParticipantLink {
  std::string column;
  bool via_aggregate = true;
};

std::optional<ParticipantLink> participant_link(const EvidenceDb& db) {
  std::map<int64_t, std::string> entities;
  if (db.has_table("Z_PRIMARYKEY"))
    for (auto& [id, n] : ios::read_id_text_pairs(db, "SELECT Z_ENT, Z_NAME FROM Z_PRIMARYKEY")) entities[id] = n;
  for (const auto& c : db.columns("ZWACDCALLEVENTPARTICIPANT")) {
    if (c.size() < 14 || c.rfind("Z", 0) != 0 || c.find("_FOK") != std::string::npos) continue;
    if (!ends_with_ci(c, "PARTICIPANTS")) continue;
    const std::string digits = c.substr(1, c.size() - 1 - 12);
    if (digits.empty() || digits.find_first_not_of("0123456789") != std::string::npos) continue;
    ParticipantLink link;
    link.column = c;
    auto e = entities.find(std::stoll(digits));
    link.via_aggregate = e == entities.end() || e->second != "WACDCallEvent";
    return link;
  }
  return std::nullopt;
}

void parse_calls(ParseContext& ctx, const EvidenceDb& db) {
  ios::Utf8Tally u8(ctx);
  ios::IdTally ids(ctx);
  if (!db.has_table("ZWACDCALLEVENT")) {
    ctx.warn("unrecognised_schema", "no ZWACDCALLEVENT table: not a WhatsApp call history");
    return;
  }
  const auto names = contact_names(ctx);
  // The call event's aggregate: Z<n>CALLEVENTS.
  std::string agg_col;
  for (const auto& c : db.columns("ZWACDCALLEVENT"))
    if (c.rfind("Z", 0) == 0 && c.find("_FOK") == std::string::npos && ends_with_ci(c, "CALLEVENTS")) agg_col = c;
  struct Aggregate {
    std::optional<int64_t> incoming, missed, video;
  };
  std::map<int64_t, Aggregate> aggregates;
  if (db.has_table("ZWAAGGREGATECALLEVENT")) {
    auto st = ios::prepare_or_warn(ctx, db,
                                   select_sql(db, "ZWAAGGREGATECALLEVENT", {"Z_PK", "ZINCOMING", "ZMISSED", "ZVIDEO"}),
                                   "ZWAAGGREGATECALLEVENT");
    if (st)
      while (st->step()) aggregates[st->i64(0)] = Aggregate{st->opt_i64(1), st->opt_i64(2), st->opt_i64(3)};
  }
  // Participants, keyed by the aggregate event (usual) or the call event.
  std::map<int64_t, std::vector<std::string>> participants;
  bool by_event = false;
  if (db.has_table("ZWACDCALLEVENTPARTICIPANT")) {
    if (auto link = participant_link(db)) {
      by_event = !link->via_aggregate;
      auto st = ios::prepare_or_warn(
          ctx, db, "SELECT " + quote_ident(link->column) + ", ZJIDSTRING FROM ZWACDCALLEVENTPARTICIPANT ORDER BY Z_PK",
          "ZWACDCALLEVENTPARTICIPANT");
      if (st)
        while (st->step())
          if (!st->is_null(0) && !u8.text(*st, 1).empty()) participants[st->i64(0)].push_back(u8.text(*st, 1));
      if (!by_event && agg_col.empty())
        ctx.warn("missing_column", "ZWACDCALLEVENT has no aggregate link; participants cannot be joined");
    }
  }

  const std::string agg = agg_col.empty() ? "NULL" : quote_ident(agg_col);
  auto st =
      db.prepare("SELECT Z_PK, " + db.col_or_null("ZWACDCALLEVENT", "ZDATE") + ", " +
                 db.col_or_null("ZWACDCALLEVENT", "ZDURATION") + ", " + db.col_or_null("ZWACDCALLEVENT", "ZOUTCOME") +
                 ", " + agg + ", " + db.col_or_null("ZWACDCALLEVENT", "ZGROUPCALLCREATORUSERJIDSTRING") + ", " +
                 db.col_or_null("ZWACDCALLEVENT", "ZGROUPJIDSTRING") + " FROM ZWACDCALLEVENT ORDER BY Z_PK");
  if (!st) {
    ctx.warn("unreadable_table", st.error().message);
    return;
  }
  uint64_t rows = 0, no_party = 0;
  while (st->step()) {
    ++rows;
    Item it;
    it.category = Category::call;
    it.service = "whatsapp";
    it.time = column_time(*st, 1, TimeUnit::mac_s);
    if (!st->is_null(2)) it.duration_s = st->f64(2);
    const int64_t outcome = st->i64(3);
    const Aggregate* a = nullptr;
    if (!st->is_null(4))
      if (auto f = aggregates.find(st->i64(4)); f != aggregates.end()) a = &f->second;
    const int64_t key = by_event ? st->i64(0) : (st->is_null(4) ? -1 : st->i64(4));
    const auto parts = participants.count(key) ? participants[key] : std::vector<std::string>{};
    const std::string creator = u8.text(*st, 5);
    if (a && a->incoming) {
      it.direction = *a->incoming == 1 ? Direction::incoming : Direction::outgoing;
    } else if (!creator.empty() && !parts.empty()) {
      // Without the aggregate: the creator being the other party means incoming.
      it.direction = creator == parts.front() ? Direction::incoming : Direction::outgoing;
    }
    const double dur = it.duration_s.value_or(0);
    if (outcome == 1 || (a && a->missed && *a->missed == 1)) {
      it.outcome = CallOutcome::missed;
    } else if (outcome == 4) {
      it.outcome = CallOutcome::rejected;
    } else if (it.direction == Direction::incoming) {
      it.outcome = dur > 0 ? CallOutcome::answered : CallOutcome::missed;
    } else if (it.direction == Direction::outgoing) {
      it.outcome = dur > 0 ? CallOutcome::answered : CallOutcome::unknown;
    }
    const std::string group_jid = u8.text(*st, 6);
    it.group = !group_jid.empty() || parts.size() > 1;
    if (!group_jid.empty()) it.thread_id = group_jid;
    for (const auto& p : parts) {
      auto n = names.find(p);
      it.parties.push_back(ids.party(p,
                                     it.direction == Direction::outgoing ? PartyRole::to
                                     : it.group                          ? PartyRole::participant
                                                                         : PartyRole::from,
                                     n != names.end() ? n->second : std::string()));
    }
    if (it.parties.empty()) ++no_party;
    if (a && a->video) it.extra.emplace_back("video", std::to_string(*a->video));
    it.extra.emplace_back("outcome_code", std::to_string(outcome));
    it.provenance = ctx.provenance("ZWACDCALLEVENT", row_ref("Z_PK", *st, 0));
    ctx.emit(std::move(it));
  }
  warn_if_stopped(ctx, *st, "ZWACDCALLEVENT", rows);
  if (no_party > 0) ctx.warn("unresolved_party", "calls without a participant", no_party);
}

}  // namespace

std::string_view IosWhatsAppParser::name() const noexcept {
  return "ios.whatsapp";
}
std::string_view IosWhatsAppParser::version() const noexcept {
  return "1.0";
}
std::span<const std::string_view> IosWhatsAppParser::references() const noexcept {
  return kRefs;
}
std::span<const Category> IosWhatsAppParser::categories() const noexcept {
  return kCats;
}

void IosWhatsAppParser::parse(ParseContext& ctx) const {
  auto db = open_or_warn(ctx);
  if (!db) return;
  if (ios::basename(ctx.entry().path) == "CallHistory.sqlite") {
    parse_calls(ctx, *db);
  } else {
    parse_messages(ctx, *db);
  }
}

}  // namespace remit::artifacts
