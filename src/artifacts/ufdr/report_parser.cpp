// ufdr.report: Cellebrite UFDR report.xml -> items.
//
// References (facts only; no code taken):
//  - casework/CASE-Implementation-UFED-XML parser_UFEDtoCASE.py and
//    UFEDtoJSON.py: per model type the field / modelField /
//    multiModelField names (Call: Source, Direction, Type, Status,
//    TimeStamp, Duration, Parties{Identifier, Role, Name, IsPhoneOwner};
//    SMS: Parties, Body, Folder, SMSC, TimeStamp; Chat: Participants,
//    Messages/InstantMessage{From, To, Body, TimeStamp, Status,
//    Attachments{Filename, URL}}; Contact: Name, Entries/PhoneNumber{Value,
//    Category}; Email: From, To, Cc, Bcc, Subject, Body, TimeStamp,
//    Attachments; VisitedPage: Url, Title, LastVisited, VisitCount);
//    taggedFiles (Local Path, MD5, Tags, accessInfo CreationTime /
//    ModifyTime / AccessTime); extraInfo/nodeInfo (path, tableName,
//    offset); device metadata item names; date forms with month names,
//    '/', AM/PM.
//  - sepinf-inc/IPED UfedXmlReader.java, UfedModelHandler.java,
//    UFEDXMLWrapper.java and the ufed model classes: date formats
//    (yyyy-MM-dd'T'HH:mm:ss.SSSXXX, dd-MMM-yy hh:mm:ss XXX with one or two
//    spaces, dd/MM/yyyy hh:mm:ss XXX), value@format="Base64String",
//    jumptargets/targetid@ismodel, Attachment@file_id and
//    attachment_extracted_path, Party Role "General" and "System Message",
//    ChatType OneOnOne/Group/Channel/Broadcast, MessageLabel "System",
//    IsPhoneOwner, deleted_state "Deleted", LastUsedMSISDN, the control
//    character references of real reports, backslash Local Paths with
//    space-padded segments.
//  - A published analysis of five PA 7.x/10.7 UFDRs (project attributes,
//    extractionInfo, value@formattedTimestamp, format TimeStampKnown /
//    DateTimeOnly, <empty/>, TimeSpan "00:00:33.6090010", Call Status
//    Established/Missed/Rejected, Location/Position/Coordinate).
//  - SEilers/UFEDLib model classes (InstantMessage DateRead/DateDelivered,
//    ChatId, Position; Call VideoCall, NetworkName; WebBookmark).
// Checked against hand-written fragments in tests/fixtures/ufdr (no public
// sample UFDR exists); report versions described: PA 7.x to 10.7
// (reportVersion 8.5).
#include "artifacts/ufdr/report_parser.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <map>
#include <unordered_map>
#include <unordered_set>

#include "artifacts/ufdr/char_filter.hpp"
#include "artifacts/ufdr/device_builder.hpp"
#include "artifacts/ufdr/extra_info.hpp"
#include "artifacts/ufdr/report_reader.hpp"
#include "artifacts/ufdr/ufdr_time.hpp"
#include "remit/hash.hpp"
#include "remit/text.hpp"
#include "source/ufdr_source.hpp"

namespace remit::artifacts {
namespace {

using namespace remit::ufdr;

constexpr std::string_view kRefs[] = {
    "casework/CASE-Implementation-UFED-XML parser_UFEDtoCASE.py, UFEDtoJSON.py (model fields, taggedFiles, "
    "extraInfo, device metadata, date forms)",
    "sepinf-inc/IPED UfedXmlReader.java, UfedModelHandler.java, UFEDXMLWrapper.java, ufed model classes "
    "(date formats, Base64String, jumptargets, Attachment file_id, control character references)",
    "Published analysis of PA 7.x/10.7 UFDRs, reportVersion 8.5 (formattedTimestamp, <empty/>, TimeSpan, "
    "Call Status values, Location/Position)",
    "SEilers/UFEDLib model classes (InstantMessage, Call, WebBookmark fields)",
    "docs/formats/ufdr.md (the mapping); tests/fixtures/ufdr (hand-written fragments)",
};
constexpr Category kCats[] = {Category::message,   Category::call,     Category::contact, Category::media,
                              Category::web_visit, Category::location, Category::email};

constexpr size_t kChatBufferBudget = 32u << 20;  // bytes of pending chat messages before an early flush

bool truthy(std::string_view v) {
  return iequals(v, "true") || v == "1" || iequals(v, "yes");
}

bool contains_ci(std::string_view hay, std::string_view needle) {
  return ascii_lower(hay).find(ascii_lower(needle)) != std::string::npos;
}

std::string_view basename_of(std::string_view p) {
  const auto slash = p.find_last_of("/\\");
  return slash == std::string_view::npos ? p : p.substr(slash + 1);
}

// UFDR Local Paths use backslashes, and some have space-padded segments.
std::string clean_local_path(std::string_view raw) {
  std::string out;
  std::string s(raw);
  std::replace(s.begin(), s.end(), '\\', '/');
  for (auto seg : split(s, '/')) {
    const auto t = trim(seg);
    if (t.empty()) continue;
    if (!out.empty()) out.push_back('/');
    out.append(t);
  }
  return out;
}

bool is_hex64(std::string_view s) {
  if (s.size() != 64) return false;
  return std::all_of(s.begin(), s.end(), [](char c) { return std::isxdigit(static_cast<unsigned char>(c)) != 0; });
}

// The UFDR's "Source" (application) to remit's service token.
std::string service_of(std::string_view source, std::string_view fallback) {
  const std::string s = ascii_lower(trim(source));
  if (s.empty()) return std::string(fallback);
  static const std::pair<std::string_view, std::string_view> kKnown[] = {
      {"whatsapp", "whatsapp"},
      {"imessage", "imessage"},
      {"sms", "sms"},
      {"mms", "mms"},
      {"rcs", "rcs"},
      {"native messages", "sms"},
      {"facetime", "facetime_audio"},
      {"chrome", "chrome"},
      {"google chrome", "chrome"},
      {"safari", "safari"},
      {"phone", "telephony"},
      {"native", "telephony"},
  };
  for (const auto& [k, v] : kKnown)
    if (s == k) return std::string(v);
  std::string out;
  for (char c : s) out.push_back(c == ' ' || c == '-' ? '_' : c);
  return out;
}

bool is_media_name(std::string_view name) {
  static constexpr std::string_view kExt[] = {".jpg",  ".jpeg", ".png", ".gif",  ".heic", ".heif",
                                              ".webp", ".bmp",  ".tif", ".tiff", ".dng",  ".mp4",
                                              ".mov",  ".3gp",  ".m4v", ".mkv",  ".avi",  ".webm"};
  for (auto e : kExt)
    if (ends_with_ci(name, e)) return true;
  return false;
}

// A party as the report wrote it.
struct RawParty {
  std::string id, name, role;
  bool owner = false;
  bool system = false;  // the "System Message" pseudo-party
};

// A tagged file, kept for attachments and jump targets: about 80 bytes
// per file (a report can list hundreds of thousands).
struct FileInfo {
  const Entry* entry = nullptr;         // the file inside the container, when present
  std::string name;                     // the report's name attribute when it differs from the entry's, else ""
  std::string device_path;              // kept only when the file is absent (for FileRef::name)
  std::array<unsigned char, 32> sha{};  // the report's SHA256, when given
  bool has_sha = false;
  bool database = false;  // tagged Database/Configuration: a source file, not an attachment
  [[nodiscard]] std::string sha_hex() const { return has_sha ? to_hex(std::span<const unsigned char>(sha)) : ""; }
  [[nodiscard]] std::string file_name() const {
    if (!name.empty()) return name;
    return entry ? std::string(basename_of(entry->path)) : std::string(basename_of(device_path));
  }
};

// What a message's own fields say, before its chat is known.
struct MsgFacts {
  bool has_from = false;
  bool from_owner = false;
  Party from;
  std::vector<Party> to;
  std::string status;
};

struct PendingMsg {
  Item item;
  MsgFacts facts;
};

struct ChatCtx {
  std::string thread_id, thread_name, source;
  bool group = false;
  std::vector<Party> participants;  // non-owner, role participant
};

std::string party_key(const Party& p) {
  if (!p.normalised.empty()) return p.normalised;
  if (!p.raw.empty()) return ascii_lower(p.raw);
  return "name:" + p.name;
}

void add_party(std::vector<Party>& out, Party p) {
  for (const auto& q : out)
    if (q.role == p.role && party_key(q) == party_key(p)) return;
  out.push_back(std::move(p));
}

size_t estimate_bytes(const Item& it) {
  size_t n = sizeof(Item) + it.body.size() + it.title.size() + it.url.size() + it.thread_id.size() +
             it.time.raw.size() + it.provenance.row.size() + it.provenance.table.size();
  for (const auto& p : it.parties) n += sizeof(Party) + p.raw.size() + p.name.size() + p.normalised.size();
  for (const auto& a : it.attachments) n += sizeof(FileRef) + a.path.size() + a.name.size() + a.sha256.size();
  for (const auto& [k, v] : it.extra) n += 64 + k.size() + v.size();
  return n;
}

class Mapper final : public ReportListener {
 public:
  Mapper(ParseContext& ctx, const ExtraInfoIndex& extra, std::string base_dir)
      : ctx_(ctx), extra_(extra), base_dir_(std::move(base_dir)) {}

  // ReportListener
  void project(const Attrs& a) override { add_project(device_, a); }
  void extraction(const Attrs& a) override {
    add_extraction(device_, a);
    extraction_names_[std::string(find_attr(a, "id"))] = std::string(find_attr(a, "name"));
  }
  void metadata_item(MetadataItem&& it) override {
    add_metadata(device_, it);
    if (it.name == "MSISDN" || it.name == "LastUsedMSISDN") {
      const auto n = ctx_.parties().normalise(it.value);
      if (!n.value.empty()) owner_ids_.insert(n.value);
    }
  }
  void tagged_file(TaggedFile&& f) override;
  void model(std::unique_ptr<Node>&& m) override;
  void chat_message(const Node& chat, std::unique_ptr<Node>&& msg) override;

  // After the document: flush what is pending, record warnings.
  void finish(const ReaderStats& st);

 private:
  // Values.
  std::string str(const Node& n, std::string_view field);
  Timestamp time_of(const Node& n, std::string_view field, std::string_view type);
  std::optional<double> number(const Node& n, std::string_view field);
  RawParty raw_party(const Node& p);
  Party party(const RawParty& r, PartyRole role) { return ctx_.party(r.id, role, r.name); }
  PartyRole ufdr_role(std::string_view role, Direction d);

  // Items.
  Item base_item(const Node& n, std::string_view type, Category c);
  void common(Item& it, const Node& n);
  void attachments(const Node& n, Item& it, bool jumptargets);
  FileRef file_ref(const FileInfo& fi);
  void resolve_entry_ref(FileRef& ref, const Entry& e, std::string_view report_sha);
  std::optional<GeoPoint> position(const Node& n);

  void map_call(const Node& n);
  void map_sms(const Node& n, bool mms);
  void map_email(const Node& n);
  void map_contact(const Node& n);
  void map_location(const Node& n);
  void map_web(const Node& n, bool bookmark);
  PendingMsg build_message(const Node& m);
  void finalize_message(PendingMsg& pm, const ChatCtx& c);
  ChatCtx chat_context(const Node& chat);
  void flush_chat(const ChatCtx& c);
  void emit(Item&& it) { ctx_.emit(std::move(it)); }

  ParseContext& ctx_;
  const ExtraInfoIndex& extra_;
  std::string base_dir_;  // folder of report.xml inside the container ("" at the root)
  DeviceIdentity device_;
  std::unordered_map<std::string, std::string> extraction_names_;
  std::unordered_set<std::string> owner_ids_;  // normalised MSISDNs of the device
  std::unordered_map<uint64_t, FileInfo> files_;

  // The chat being read.
  const Node* chat_ = nullptr;
  std::vector<PendingMsg> pending_;
  size_t pending_bytes_ = 0;
  bool chat_flushed_early_ = false;
  uint64_t early_without_participants_ = 0;

  // Counters for warnings.
  std::map<std::string, uint64_t> unmapped_;
  std::map<std::string, uint64_t> bad_time_;  // "Type.Field" -> count
  uint64_t bad_base64_ = 0, missing_files_ = 0, hash_mismatch_ = 0, hostile_paths_ = 0, no_id_ = 0, bad_coords_ = 0,
           bad_numbers_ = 0, early_chat_flushes_ = 0;
};

// ---------------------------------------------------------------- values

std::string Mapper::str(const Node& n, std::string_view field) {
  const Value* v = n.value(field);
  if (!v) return {};
  if (iequals(v->format, "Base64String") || iequals(v->format, "base64") || iequals(v->type, "base64")) {
    std::string out;
    if (base64_decode(v->text, out)) return out;
    ++bad_base64_;
    return v->text;  // kept as written rather than lost
  }
  return v->text;
}

Timestamp Mapper::time_of(const Node& n, std::string_view field, std::string_view type) {
  Timestamp t;
  t.unit = TimeUnit::iso8601;
  const Value* v = n.value(field);
  if (!v || (v->text.empty() && v->formatted.empty())) return t;
  const std::optional<ParsedTime> main = parse_time(v->text);
  std::optional<ParsedTime> formatted;
  if (!v->formatted.empty()) formatted = parse_time(v->formatted);
  t.raw = v->text;
  if (main && main->has_offset) {
    t.utc_ms = main->utc_ms;
    t.source = TimeSource::recorded;
  } else if (formatted && formatted->has_offset) {
    // formattedTimestamp carries the offset (to the second); the value text
    // may carry milliseconds. Keep the milliseconds when both agree.
    t.source = TimeSource::recorded;
    if (main) {
      const int64_t with_offset = main->utc_ms - int64_t{formatted->offset_min} * 60'000;
      if (with_offset / 1000 == formatted->utc_ms / 1000) {
        t.utc_ms = with_offset;
        t.raw = v->text + " " + v->formatted;
      }
    }
    if (!t.utc_ms) {
      t.utc_ms = formatted->utc_ms;
      t.raw = v->formatted;
    }
  } else if (main) {
    t.utc_ms = main->utc_ms;
    t.source = TimeSource::local_guess;
  } else {
    ++bad_time_[fmt::format("{}.{}", type, field)];
    return t;
  }
  if (*t.utc_ms < kMinPlausibleMs || *t.utc_ms > kMaxPlausibleMs) {
    t.utc_ms.reset();
    t.source = TimeSource::none;
  }
  return t;
}

std::optional<double> Mapper::number(const Node& n, std::string_view field) {
  std::string s = str(n, field);
  if (s.empty()) return std::nullopt;
  std::replace(s.begin(), s.end(), ',', '.');  // locale decimal commas (IPED)
  char* end = nullptr;
  const double d = std::strtod(s.c_str(), &end);
  if (end == s.c_str() || *end != '\0' || !std::isfinite(d)) {
    ++bad_numbers_;
    return std::nullopt;
  }
  return d;
}

RawParty Mapper::raw_party(const Node& p) {
  RawParty r;
  r.id = str(p, "Identifier");
  r.name = str(p, "Name");
  r.role = str(p, "Role");
  r.owner = truthy(p.text("IsPhoneOwner"));
  r.system = iequals(trim(r.id), "System Message");
  if (!r.owner && !r.id.empty() && !owner_ids_.empty()) {
    const auto n = ctx_.parties().normalise(r.id);
    if (!n.value.empty() && owner_ids_.count(n.value)) r.owner = true;
  }
  return r;
}

PartyRole Mapper::ufdr_role(std::string_view role, Direction d) {
  if (iequals(role, "From")) return PartyRole::from;
  if (iequals(role, "To")) return PartyRole::to;
  if (iequals(role, "Cc")) return PartyRole::cc;
  if (iequals(role, "Bcc")) return PartyRole::bcc;
  return d == Direction::incoming ? PartyRole::from : d == Direction::outgoing ? PartyRole::to : PartyRole::participant;
}

// ---------------------------------------------------------------- items

Item Mapper::base_item(const Node& n, std::string_view type, Category c) {
  Item it;
  it.category = c;
  std::string row;
  if (!n.id().empty()) {
    row = fmt::format("id={}", n.id());
  } else {
    ++no_id_;
    row = n.attr("source_index").empty() ? "id=" : fmt::format("source_index={}", n.attr("source_index"));
  }
  it.provenance = ctx_.provenance(fmt::format("model:{}", type), std::move(row));
  common(it, n);
  return it;
}

void Mapper::common(Item& it, const Node& n) {
  const auto state = n.attr("deleted_state");
  it.deleted = iequals(state, "Deleted");
  it.recovered = truthy(n.attr("iscarved"));
  const auto xid = n.attr("extractionId");
  if (!xid.empty()) {
    it.extra.emplace_back("ufdr_extraction_id", std::string(xid));
    if (auto x = extraction_names_.find(std::string(xid)); x != extraction_names_.end() && !x->second.empty())
      it.extra.emplace_back("ufdr_extraction", x->second);
  }
  if (!state.empty() && !iequals(state, "Intact")) it.extra.emplace_back("ufdr_deleted_state", std::string(state));
  if (auto hit = extra_.find(n.id())) {
    if (!hit->path.empty()) it.extra.emplace_back("source_path", std::string(hit->path));
    if (!hit->table.empty()) it.extra.emplace_back("source_table", std::string(hit->table));
  }
}

void Mapper::resolve_entry_ref(FileRef& ref, const Entry& e, std::string_view report_sha) {
  const std::string candidates[] = {e.path};
  ctx_.resolve_file(ref, candidates);
  if (!report_sha.empty()) {
    if (ref.sha256.empty())
      ref.sha256 = std::string(report_sha);
    else if (ref.sha256 != report_sha)
      ++hash_mismatch_;
  }
}

FileRef Mapper::file_ref(const FileInfo& fi) {
  FileRef ref;
  ref.name = fi.file_name();
  if (fi.entry) {
    resolve_entry_ref(ref, *fi.entry, fi.sha_hex());
  } else {
    ref.missing = true;
    if (ref.name.empty()) ref.name = fi.device_path;
    ++missing_files_;
  }
  return ref;
}

void Mapper::attachments(const Node& n, Item& it, bool jumptargets) {
  std::unordered_set<std::string> seen;  // file ids and paths already attached
  for (const char* fname : {"Attachments", "Attachment"}) {
    for (const Node* a : n.models(fname)) {
      const std::string file_id(a->attr("file_id"));
      std::string extracted(a->attr("attachment_extracted_path"));
      if (extracted.empty()) extracted = str(*a, "attachment_extracted_path");
      FileRef ref;
      bool done = false;
      if (!file_id.empty()) {
        seen.insert(file_id);
        if (auto f = files_.find(id_hash(file_id)); f != files_.end()) {
          ref = file_ref(f->second);
          done = true;
        }
      }
      if (!done && !extracted.empty()) {
        const auto logical = normalise_entry_path(base_dir_ + clean_local_path(extracted));
        if (!logical) ++hostile_paths_;
        const Entry* e = logical ? ctx_.source().find(*logical) : nullptr;
        if (e) {
          resolve_entry_ref(ref, *e, {});
          done = true;
        } else {
          ref.missing = true;
          ref.name = std::string(basename_of(extracted));
          ++missing_files_;
          done = true;
        }
      }
      if (!done) {  // only a name: the report holds no file for it
        ref.missing = true;
        ++missing_files_;
      }
      const std::string fname_field = str(*a, "Filename");
      if (!fname_field.empty()) ref.name = fname_field;
      ref.mime = str(*a, "ContentType");
      if (!ref.path.empty()) {
        if (!seen.insert(ref.path).second) continue;
      }
      it.attachments.push_back(std::move(ref));
    }
  }
  if (!jumptargets) return;
  for (const auto& jt : n.jumptargets) {
    if (jt.is_model || seen.count(jt.id)) continue;
    seen.insert(jt.id);
    auto f = files_.find(id_hash(jt.id));
    if (f == files_.end()) {
      FileRef ref;
      ref.missing = true;
      ref.name = jt.id;  // all the report recorded: the id of a file it does not list
      ++missing_files_;
      it.attachments.push_back(std::move(ref));
      continue;
    }
    if (f->second.database) {
      // A database or configuration file the record was decoded from.
      it.extra.emplace_back("source_file", f->second.entry ? f->second.entry->path : f->second.device_path);
      continue;
    }
    FileRef ref = file_ref(f->second);
    if (!ref.path.empty() && !seen.insert(ref.path).second) continue;
    it.attachments.push_back(std::move(ref));
  }
}

std::optional<GeoPoint> Mapper::position(const Node& n) {
  const Node* c = n.model("Position");
  if (!c) c = n.model("Coordinate");
  const Node& src = c ? *c : n;
  auto lat = number(src, "Latitude");
  auto lon = number(src, "Longitude");
  if (!lat || !lon) return std::nullopt;
  if (*lat < -90 || *lat > 90 || *lon < -180 || *lon > 180) {
    ++bad_coords_;
    return std::nullopt;
  }
  GeoPoint g{*lat, *lon, std::nullopt};
  for (const char* f : {"HorizontalAccuracy", "GpsHorizontalAccuracy", "Accuracy", "Precision"}) {
    auto a = number(src, f);
    if (!a && c) a = number(n, f);
    if (a && *a >= 0) {
      g.accuracy_m = *a;
      break;
    }
  }
  return g;
}

// ---------------------------------------------------------------- files

void Mapper::tagged_file(TaggedFile&& f) {
  const std::string id(f.attr("id"));
  const std::string local_raw(f.meta("Local Path"));
  const std::string tags(f.meta("Tags"));
  std::string name(f.attr("name"));
  if (name.empty()) name = std::string(basename_of(f.attr("path")));
  if (name.empty()) name = std::string(basename_of(local_raw));

  FileInfo fi;
  if (const std::string sha = ascii_lower(f.meta("SHA256")); is_hex64(sha)) {
    for (size_t k = 0; k < 32; ++k)
      fi.sha[k] = static_cast<unsigned char>(std::stoi(sha.substr(2 * k, 2), nullptr, 16));
    fi.has_sha = true;
  }
  fi.database = contains_ci(tags, "Database") || contains_ci(tags, "Configuration");
  if (!local_raw.empty()) {
    const auto logical = normalise_entry_path(base_dir_ + clean_local_path(local_raw));
    if (!logical)
      ++hostile_paths_;
    else
      fi.entry = ctx_.source().find(*logical);
    if (!fi.entry) ++missing_files_;
  }
  if (!fi.entry) fi.device_path = std::string(f.attr("path"));
  if (!fi.entry || basename_of(fi.entry->path) != name) fi.name = name;

  const bool media = contains_ci(tags, "Image") || contains_ci(tags, "Video") ||
                     (tags.empty() && (is_media_name(name) || is_media_name(local_raw)));
  if (media) {
    Item it;
    it.category = Category::media;
    const std::string dev_path(f.attr("path"));
    it.service = contains_ci(dev_path, "/DCIM/") ? "camera" : contains_ci(dev_path, "whatsapp") ? "whatsapp" : "ufdr";
    it.title = name;
    FileRef ref;
    ref.name = name;
    if (fi.entry) {
      resolve_entry_ref(ref, *fi.entry, fi.sha_hex());
    } else {
      ref.missing = true;
      if (ref.name.empty()) ref.name = dev_path;
    }
    it.file = std::move(ref);
    // Time: EXIF capture time, else the file system modification time.
    for (const auto& m : f.metadata) {
      if (m.name != "ExifEnumDateTimeOriginal" && m.name != "EXIFCaptureTime" && m.name != "DateTimeOriginal") continue;
      if (auto t = parse_time(m.value)) {
        it.time.utc_ms = t->utc_ms;
        it.time.raw = m.value;
        it.time.unit = m.value.size() > 4 && m.value[4] == ':' ? TimeUnit::exif_local : TimeUnit::iso8601;
        it.time.source = t->has_offset ? TimeSource::recorded : TimeSource::local_guess;
        break;
      }
      ++bad_time_["file.EXIF"];
    }
    auto access = [&](std::string_view name, bool principal, const char* other) {
      const auto v = f.time(name);
      if (v.empty()) return;
      Timestamp t;
      t.raw = std::string(v);
      t.unit = TimeUnit::iso8601;
      if (auto p = parse_time(v); p && p->utc_ms >= kMinPlausibleMs && p->utc_ms <= kMaxPlausibleMs) {
        t.utc_ms = p->utc_ms;
        t.source = TimeSource::file_mtime;
      } else {
        ++bad_time_[fmt::format("file.{}", name)];
      }
      if (principal && !it.time.dated() && t.dated()) it.time = t;
      it.other_times.push_back({other, std::move(t)});
    };
    access("CreationTime", false, "created");
    access("ModifyTime", true, "modified");
    access("AccessTime", false, "accessed");
    if (!it.time.dated())
      for (const auto& nt : it.other_times)
        if (nt.name == "created" && nt.time.dated()) it.time = nt.time;
    it.deleted = iequals(f.attr("deleted"), "Deleted");
    it.recovered = truthy(f.attr("iscarved"));
    if (!id.empty()) it.extra.emplace_back("ufdr_file_id", id);
    if (!dev_path.empty()) it.extra.emplace_back("device_path", dev_path);
    if (!f.attr("fs").empty()) it.extra.emplace_back("ufdr_fs", std::string(f.attr("fs")));
    if (!tags.empty()) it.extra.emplace_back("ufdr_tags", tags);
    if (const auto md5 = f.meta("MD5"); !md5.empty()) it.extra.emplace_back("md5", ascii_lower(md5));
    const auto xid = f.attr("extractionId");
    if (!xid.empty()) {
      it.extra.emplace_back("ufdr_extraction_id", std::string(xid));
      if (auto x = extraction_names_.find(std::string(xid)); x != extraction_names_.end() && !x->second.empty())
        it.extra.emplace_back("ufdr_extraction", x->second);
    }
    if (id.empty()) ++no_id_;
    it.provenance = ctx_.provenance("file", id.empty() ? "id=" : "id=" + id);
    emit(std::move(it));
  }
  if (!id.empty()) files_[id_hash(id)] = std::move(fi);
}

// ---------------------------------------------------------------- models

void Mapper::model(std::unique_ptr<Node>&& m) {
  const Node& n = *m;
  const std::string& t = n.type;
  if (t == "Chat") {
    if (chat_ != &n && !pending_.empty()) {
      // Messages of another chat still pending (cannot happen with a
      // well-formed stream); emit them with what is known.
      flush_chat(ChatCtx{});
    }
    chat_ = &n;
    flush_chat(chat_context(n));
    chat_ = nullptr;
    chat_flushed_early_ = false;
    return;
  }
  if (t == "InstantMessage") {
    PendingMsg pm = build_message(n);
    ChatCtx c;
    c.thread_id = str(n, "ChatId");
    c.source = str(n, "Source");
    finalize_message(pm, c);
    return;
  }
  if (t == "Call") return map_call(n);
  if (t == "SMS") return map_sms(n, false);
  if (t == "MMS") return map_sms(n, true);
  if (t == "Email") return map_email(n);
  if (t == "Contact") return map_contact(n);
  if (t == "Location") return map_location(n);
  if (t == "VisitedPage") return map_web(n, false);
  if (t == "WebBookmark") return map_web(n, true);
  ++unmapped_[t.empty() ? std::string("(no type)") : t];
}

void Mapper::map_call(const Node& n) {
  Item it = base_item(n, "Call", Category::call);
  std::string dir_raw = str(n, "Direction");
  if (dir_raw.empty()) dir_raw = str(n, "Type");  // older reports put the direction in Type
  const std::string status = str(n, "Status");
  if (iequals(dir_raw, "Incoming"))
    it.direction = Direction::incoming;
  else if (iequals(dir_raw, "Outgoing"))
    it.direction = Direction::outgoing;
  else if (iequals(dir_raw, "Missed") || iequals(dir_raw, "Rejected"))
    it.direction = Direction::incoming;
  it.time = time_of(n, "TimeStamp", "Call");
  if (const Value* d = n.value("Duration")) {
    if (auto s = parse_duration_s(d->text))
      it.duration_s = *s;
    else
      ++bad_numbers_;
  }
  if (iequals(status, "Missed") || iequals(dir_raw, "Missed"))
    it.outcome = CallOutcome::missed;
  else if (iequals(status, "Rejected") || iequals(dir_raw, "Rejected"))
    it.outcome = CallOutcome::rejected;
  else if (iequals(status, "Blocked"))
    it.outcome = CallOutcome::blocked;
  else if (iequals(status, "Voicemail") || iequals(status, "VoiceMail"))
    it.outcome = CallOutcome::voicemail;
  else if (iequals(status, "Established") || iequals(status, "Answered") || iequals(status, "Connected"))
    it.outcome = CallOutcome::answered;
  else if (it.direction == Direction::incoming)
    it.outcome = it.duration_s && *it.duration_s > 0 ? CallOutcome::answered : CallOutcome::missed;
  else if (it.direction == Direction::outgoing && it.duration_s && *it.duration_s > 0)
    it.outcome = CallOutcome::answered;
  const std::string source = str(n, "Source");
  it.service = service_of(source, "telephony");
  if (it.service == "facetime_audio" && truthy(n.text("VideoCall"))) it.service = "facetime_video";
  for (const Node* p : n.models("Parties")) {
    const RawParty r = raw_party(*p);
    if (r.owner || (r.id.empty() && r.name.empty())) continue;
    add_party(it.parties, party(r, it.direction == Direction::unknown    ? ufdr_role(r.role, it.direction)
                                   : it.direction == Direction::incoming ? PartyRole::from
                                                                         : PartyRole::to));
  }
  if (!source.empty()) it.extra.emplace_back("ufdr_source", source);
  if (!dir_raw.empty()) it.extra.emplace_back("ufdr_direction", dir_raw);
  if (!status.empty()) it.extra.emplace_back("ufdr_status", status);
  if (truthy(n.text("VideoCall"))) it.extra.emplace_back("video", "true");
  attachments(n, it, true);
  emit(std::move(it));
}

void Mapper::map_sms(const Node& n, bool mms) {
  const char* type = mms ? "MMS" : "SMS";
  Item it = base_item(n, type, Category::message);
  const std::string folder = str(n, "Folder");
  const std::string status = str(n, "Status");
  std::vector<RawParty> raws;
  for (const Node* p : n.models("Parties")) raws.push_back(raw_party(*p));
  // Direction: the folder, else who sent it, else the status.
  const std::string f = ascii_lower(folder);
  if (f.find("inbox") != std::string::npos || f == "received")
    it.direction = Direction::incoming;
  else if (f.find("sent") != std::string::npos || f.find("outbox") != std::string::npos ||
           f.find("draft") != std::string::npos || f.find("unsent") != std::string::npos)
    it.direction = Direction::outgoing;
  if (it.direction == Direction::unknown) {
    for (const auto& r : raws)
      if (iequals(r.role, "From")) it.direction = r.owner ? Direction::outgoing : Direction::incoming;
  }
  if (it.direction == Direction::unknown) {
    if (iequals(status, "Read") || iequals(status, "Unread"))
      it.direction = Direction::incoming;
    else if (iequals(status, "Sent") || iequals(status, "Unsent") || iequals(status, "Delivered"))
      it.direction = Direction::outgoing;
  }
  size_t others = 0;
  for (const auto& r : raws)
    if (!r.owner && !(r.id.empty() && r.name.empty())) ++others;
  it.group = others > 1;  // a message with more than one other person is a group message
  for (const auto& r : raws) {
    if (r.owner || (r.id.empty() && r.name.empty())) continue;
    // "General" names a member without saying whether they sent it: on a
    // group message that is a participant.
    PartyRole role = ufdr_role(r.role, others > 1 ? Direction::unknown : it.direction);
    if (others == 1 && it.direction != Direction::unknown)
      role = it.direction == Direction::incoming ? PartyRole::from : PartyRole::to;
    add_party(it.parties, party(r, role));
  }
  it.time = time_of(n, "TimeStamp", type);
  it.body = str(n, "Body");
  if (mms) it.title = str(n, "Subject");
  const std::string source = str(n, "Source");
  it.service = service_of(source, mms ? "mms" : "sms");
  if (!source.empty()) it.extra.emplace_back("ufdr_source", source);
  if (!folder.empty()) it.extra.emplace_back("ufdr_folder", folder);
  if (!status.empty()) it.extra.emplace_back("ufdr_status", status);
  if (const std::string smsc = str(n, "SMSC"); !smsc.empty()) it.extra.emplace_back("smsc", smsc);
  attachments(n, it, true);
  emit(std::move(it));
}

void Mapper::map_email(const Node& n) {
  Item it = base_item(n, "Email", Category::email);
  const std::string account = str(n, "Account");
  const std::string folder = ascii_lower(str(n, "Folder"));
  auto is_account = [&](const RawParty& r) {
    return !account.empty() && !r.id.empty() && iequals(trim(r.id), trim(account));
  };
  std::optional<RawParty> from;
  if (const Node* f = n.model("From")) from = raw_party(*f);
  if (folder.find("sent") != std::string::npos || folder.find("outbox") != std::string::npos ||
      folder.find("draft") != std::string::npos)
    it.direction = Direction::outgoing;
  else if (folder.find("inbox") != std::string::npos)
    it.direction = Direction::incoming;
  else if (from)
    it.direction = (from->owner || is_account(*from)) ? Direction::outgoing : Direction::incoming;
  if (from && !from->owner && !is_account(*from) && !(from->id.empty() && from->name.empty()))
    add_party(it.parties, party(*from, PartyRole::from));
  const std::pair<const char*, PartyRole> lists[] = {
      {"To", PartyRole::to}, {"Cc", PartyRole::cc}, {"Bcc", PartyRole::bcc}};
  for (const auto& [fname, role] : lists)
    for (const Node* p : n.models(fname)) {
      const RawParty r = raw_party(*p);
      if (r.owner || is_account(r) || (r.id.empty() && r.name.empty())) continue;
      add_party(it.parties, party(r, role));
    }
  it.time = time_of(n, "TimeStamp", "Email");
  it.title = str(n, "Subject");
  it.body = str(n, "Body");
  if (it.body.empty()) it.body = str(n, "Snippet");
  const std::string source = str(n, "Source");
  it.service = service_of(source, "email");
  if (!source.empty()) it.extra.emplace_back("ufdr_source", source);
  if (!folder.empty()) it.extra.emplace_back("ufdr_folder", str(n, "Folder"));
  if (!account.empty()) it.extra.emplace_back("account", account);
  attachments(n, it, true);
  emit(std::move(it));
}

void Mapper::map_contact(const Node& n) {
  Item it = base_item(n, "Contact", Category::contact);
  it.title = str(n, "Name");
  if (it.title.empty()) {
    const std::string first = str(n, "FirstName"), last = str(n, "LastName");
    it.title = first + (first.empty() || last.empty() ? "" : " ") + last;
  }
  // Entries (PhoneNumber, EmailAddress, UserID, ...) under "Entries" or any
  // other field (older reports list PhoneNumbers directly).
  for (const auto& c : n.children) {
    const Node& e = *c.node;
    if (e.type != "PhoneNumber" && e.type != "EmailAddress" && e.type != "UserID" && e.type != "ContactEntry") continue;
    const std::string value = str(e, "Value");
    if (trim(value).empty()) continue;
    Party p = ctx_.party(value, PartyRole::subject, it.title);
    p.label = ascii_lower(trim(str(e, "Category")));
    add_party(it.parties, std::move(p));
  }
  it.time = time_of(n, "TimeCreated", "Contact");
  Timestamp modified = time_of(n, "TimeModified", "Contact");
  if (modified.dated() || !modified.raw.empty()) it.other_times.push_back({"modified", std::move(modified)});
  if (const Field* notes = n.field("Notes")) {
    for (const auto& v : notes->values)
      if (!v.empty && !v.text.empty()) it.body += (it.body.empty() ? "" : "\n") + v.text;
  }
  const std::string source = str(n, "Source");
  it.service = service_of(source, "ufdr");
  if (!source.empty()) it.extra.emplace_back("ufdr_source", source);
  if (const std::string type = str(n, "Type"); !type.empty()) it.extra.emplace_back("ufdr_contact_type", type);
  if (const std::string acct = str(n, "Account"); !acct.empty()) it.extra.emplace_back("account", acct);
  emit(std::move(it));
}

void Mapper::map_location(const Node& n) {
  Item it = base_item(n, "Location", Category::location);
  it.time = time_of(n, "TimeStamp", "Location");
  if (!it.time.dated() && it.time.raw.empty()) it.time = time_of(n, "StartTime", "Location");
  it.location = position(n);
  it.title = str(n, "Name");
  const std::string source = str(n, "Source");
  it.service = service_of(source, "ufdr");
  if (!source.empty()) it.extra.emplace_back("ufdr_source", source);
  for (const char* f : {"Type", "Category", "Origin", "Confidence"})
    if (const std::string v = str(n, f); !v.empty()) it.extra.emplace_back(fmt::format("ufdr_{}", ascii_lower(f)), v);
  emit(std::move(it));
}

void Mapper::map_web(const Node& n, bool bookmark) {
  const char* type = bookmark ? "WebBookmark" : "VisitedPage";
  Item it = base_item(n, type, Category::web_visit);
  it.url = str(n, "Url");
  if (it.url.empty()) it.url = str(n, "URL");
  it.title = str(n, "Title");
  it.time = time_of(n, bookmark ? "TimeStamp" : "LastVisited", type);
  if (!it.time.dated() && it.time.raw.empty()) it.time = time_of(n, bookmark ? "LastVisited" : "TimeStamp", type);
  const std::string source = str(n, "Source");
  it.service = service_of(source, "ufdr");
  if (!source.empty()) it.extra.emplace_back("ufdr_source", source);
  if (bookmark) it.extra.emplace_back("web_kind", "bookmark");
  if (const std::string vc = str(n, "VisitCount"); !vc.empty()) it.extra.emplace_back("visit_count", vc);
  emit(std::move(it));
}

// ---------------------------------------------------------------- chats

PendingMsg Mapper::build_message(const Node& m) {
  PendingMsg pm;
  Item& it = pm.item;
  it = base_item(m, "InstantMessage", Category::message);
  it.time = time_of(m, "TimeStamp", "InstantMessage");
  it.body = str(m, "Body");
  if (it.body.empty()) it.body = str(m, "Snippet");
  const std::string source = str(m, "Source");
  if (!source.empty()) {
    it.service = service_of(source, "ufdr");
    it.extra.emplace_back("ufdr_source", source);
  }
  Timestamp read = time_of(m, "DateRead", "InstantMessage");
  if (read.dated()) it.other_times.push_back({"read", std::move(read)});
  Timestamp delivered = time_of(m, "DateDelivered", "InstantMessage");
  if (delivered.dated()) it.other_times.push_back({"delivered", std::move(delivered)});
  pm.facts.status = str(m, "Status");
  if (!pm.facts.status.empty()) it.extra.emplace_back("ufdr_status", pm.facts.status);
  bool system = false;
  if (const Node* f = m.model("From")) {
    const RawParty r = raw_party(*f);
    if (r.system) {
      system = true;
    } else if (r.owner) {
      pm.facts.has_from = pm.facts.from_owner = true;
    } else if (!r.id.empty() || !r.name.empty()) {
      pm.facts.has_from = true;
      pm.facts.from = party(r, PartyRole::from);
    }
  }
  for (const Node* p : m.models("To")) {
    const RawParty r = raw_party(*p);
    if (r.owner || r.system || (r.id.empty() && r.name.empty())) continue;
    add_party(pm.facts.to, party(r, PartyRole::to));
  }
  for (const Node* label : m.models("MessageExtraData"))
    if (label->type == "MessageLabel" && iequals(str(*label, "Label"), "System")) system = true;
  if (iequals(str(m, "Type"), "System") || iequals(str(m, "Label"), "System")) system = true;
  it.system = system;
  if (auto g = position(m)) it.location = g;
  attachments(m, it, true);
  return pm;
}

ChatCtx Mapper::chat_context(const Node& chat) {
  ChatCtx c;
  c.thread_id = str(chat, "Id");
  if (c.thread_id.empty()) c.thread_id = std::string(chat.id());
  c.thread_name = str(chat, "Name");
  c.source = str(chat, "Source");
  for (const Node* p : chat.models("Participants")) {
    const RawParty r = raw_party(*p);
    if (r.owner || r.system || (r.id.empty() && r.name.empty())) continue;
    add_party(c.participants, party(r, PartyRole::participant));
  }
  const std::string type = str(chat, "ChatType");
  if (iequals(type, "Group") || iequals(type, "Channel"))
    c.group = true;
  else if (iequals(type, "OneOnOne") || iequals(type, "Broadcast"))
    c.group = false;
  else
    c.group = c.participants.size() > 1;
  return c;
}

void Mapper::finalize_message(PendingMsg& pm, const ChatCtx& c) {
  Item& it = pm.item;
  const MsgFacts& f = pm.facts;
  it.thread_id = c.thread_id;
  it.thread_name = c.thread_name;
  it.group = c.group;
  if (it.service.empty()) it.service = service_of(c.source, "ufdr");
  if (f.from_owner)
    it.direction = Direction::outgoing;
  else if (f.has_from)
    it.direction = Direction::incoming;
  else if (iequals(f.status, "Sent") || iequals(f.status, "Unsent") || iequals(f.status, "Delivered"))
    it.direction = Direction::outgoing;
  else if (iequals(f.status, "Read") || iequals(f.status, "Unread"))
    it.direction = Direction::incoming;
  std::vector<Party> out;
  auto others_except = [&](const Party* sender, PartyRole role) {
    for (Party p : c.participants) {
      if (sender && party_key(p) == party_key(*sender)) continue;
      p.role = role;
      add_party(out, std::move(p));
    }
  };
  switch (it.direction) {
    case Direction::incoming:
      if (f.has_from) {
        add_party(out, f.from);
        if (c.group) others_except(&f.from, PartyRole::participant);
      } else {
        others_except(nullptr, c.group ? PartyRole::participant : PartyRole::from);
      }
      break;
    case Direction::outgoing:
      if (!f.to.empty()) {
        for (const auto& p : f.to) add_party(out, p);
      } else {
        others_except(nullptr, PartyRole::to);
      }
      break;
    case Direction::unknown:
      if (f.has_from) {
        add_party(out, f.from);
        others_except(&f.from, PartyRole::participant);
      } else {
        others_except(nullptr, PartyRole::participant);
      }
      break;
  }
  it.parties = std::move(out);
  emit(std::move(it));
}

void Mapper::chat_message(const Node& chat, std::unique_ptr<Node>&& msg) {
  if (chat_ != &chat) {
    if (!pending_.empty()) flush_chat(ChatCtx{});
    chat_ = &chat;
    chat_flushed_early_ = false;
  }
  PendingMsg pm = build_message(*msg);
  pending_bytes_ += estimate_bytes(pm.item);
  pending_.push_back(std::move(pm));
  if (pending_bytes_ > kChatBufferBudget) {
    // A very large chat: emit what is pending with the chat fields read so
    // far rather than hold the whole chat in memory.
    if (chat.models("Participants").empty()) early_without_participants_ += pending_.size();
    ++early_chat_flushes_;
    chat_flushed_early_ = true;
    flush_chat(chat_context(chat));
  }
}

void Mapper::flush_chat(const ChatCtx& c) {
  for (auto& pm : pending_) finalize_message(pm, c);
  pending_.clear();
  pending_.shrink_to_fit();
  pending_bytes_ = 0;
}

// ---------------------------------------------------------------- end

void Mapper::finish(const ReaderStats& st) {
  if (!pending_.empty()) {
    // The document ended inside a chat: its complete messages are kept.
    ChatCtx c;
    if (chat_) c = chat_context(*chat_);
    flush_chat(c);
  }
  auto warn = [&](const char* code, std::string msg, uint64_t n) {
    if (n > 0) ctx_.warn(code, std::move(msg), n);
  };
  warn("control_characters",
       fmt::format("{} character references to control characters (&#x0;-&#x1F; and other characters XML forbids) and "
                   "{} raw control bytes were replaced with U+FFFD before XML parsing",
                   st.control_refs, st.control_bytes),
       st.control_refs + st.control_bytes);
  warn("bad_utf8", "invalid UTF-8 sequences in report.xml were replaced with U+FFFD before XML parsing",
       st.invalid_utf8);
  for (const auto& [type, n] : unmapped_)
    warn("unmapped_model",
         fmt::format("model type {}: {} models are not mapped to items (remit has no mapping for this type)", type, n),
         n);
  for (const auto& [field, n] : bad_time_)
    warn("bad_timestamp", fmt::format("{}: {} values are not a date remit can read; kept as raw, undated", field, n),
         n);
  warn("bad_base64", "values marked Base64 that do not decode; kept as written", bad_base64_);
  warn("missing_file",
       "files the report references (Local Path, attachment, jump target) that are not in the container",
       missing_files_);
  warn("hash_mismatch", "files whose SHA-256 differs from the SHA256 the report lists", hash_mismatch_);
  warn("path_traversal", "file paths in the report that contain '..' or NUL; never used", hostile_paths_);
  warn("model_without_id", "models or files without an id attribute (provenance row left without one)", no_id_);
  warn("bad_coordinates", "coordinates outside -90..90 / -180..180; location left out", bad_coords_);
  warn("bad_number", "numeric fields (durations, coordinates) that are not numbers", bad_numbers_);
  warn("chat_context_incomplete",
       fmt::format("{} chats were larger than the {} MB buffer and were emitted in parts; {} of their messages were "
                   "emitted before the chat's participant list was read, so group members other than the sender "
                   "are missing from them",
                   early_chat_flushes_, kChatBufferBudget >> 20, early_without_participants_),
       early_without_participants_);
  warn("limit", "values longer than the 32 MB limit were truncated", st.values_truncated);
  warn("limit", "models nested deeper than the limit were skipped", st.models_too_deep);
  warn("limit", "elements nested deeper than the limit were skipped", st.elements_too_deep);
  warn("limit", "models with more nested models than the limit lost the excess", st.models_over_node_limit);
  if (!st.complete && !st.stopped) {
    std::string msg = fmt::format(
        "report.xml is not well-formed at line {} column {} ({}); {} models read before that "
        "point were kept",
        st.error_line, st.error_column, st.error.empty() ? "read stopped" : st.error, st.top_models);
    if (!st.open_model_type.empty())
      msg += fmt::format("; the {} model{} open at that point was lost", st.open_model_type,
                         st.open_model_id.empty() ? "" : " id=" + st.open_model_id);
    ctx_.warn("corrupt", std::move(msg));
  }
}

// Reads the first bytes of the entry and checks they look like a UFED report.
enum class Sniff { ufdr, not_ufdr, utf16, unreadable };

Sniff sniff(ParseContext& ctx, std::string& error) {
  std::string head;
  auto st = detail::stream_entry_unshared(ctx.source(), ctx.entry(), [&](std::span<const unsigned char> c) {
    head.append(reinterpret_cast<const char*>(c.data()), std::min<size_t>(c.size(), (64u << 10) - head.size()));
    return head.size() < (64u << 10);
  });
  if (!st) {
    error = st.error().message;
    return Sniff::unreadable;
  }
  if (head.size() >= 2 && ((head[0] == '\xFF' && head[1] == '\xFE') || (head[0] == '\xFE' && head[1] == '\xFF')))
    return Sniff::utf16;
  if (head.find("pa.cellebrite.com/report") != std::string::npos) return Sniff::ufdr;
  if (head.find("<project") != std::string::npos &&
      (head.find("sourceExtractions") != std::string::npos || head.find("extractionType") != std::string::npos))
    return Sniff::ufdr;
  return Sniff::not_ufdr;
}

}  // namespace

std::string_view UfdrReportParser::name() const noexcept {
  return "ufdr.report";
}
std::string_view UfdrReportParser::version() const noexcept {
  return "1.0";
}
std::span<const std::string_view> UfdrReportParser::references() const noexcept {
  return kRefs;
}
std::span<const Category> UfdrReportParser::categories() const noexcept {
  return kCats;
}

void UfdrReportParser::parse(ParseContext& ctx) const {
  std::string error;
  switch (sniff(ctx, error)) {
    case Sniff::unreadable:
      ctx.warn("unreadable", "report.xml could not be read: " + error);
      return;
    case Sniff::utf16:
      ctx.warn("unsupported", "report.xml is UTF-16; only UTF-8 reports are read");
      return;
    case Sniff::not_ufdr:
      ctx.warn("not_a_ufdr_report", "this report.xml is not a Cellebrite report (no UFED namespace); not parsed");
      return;
    case Sniff::ufdr:
      break;
  }
  const std::string& path = ctx.entry().path;
  const auto slash = path.rfind('/');
  std::string base_dir = slash == std::string::npos ? std::string() : path.substr(0, slash + 1);

  // Pass 1: extraInfo elements (source file and table per model), found by
  // a byte scan that does not parse the rest of the document.
  ExtraInfoIndex extra;
  {
    ExtraInfoScanner scan([&](ExtraInfo&& x) { extra.add(x); });
    auto st = detail::stream_entry_unshared(ctx.source(), ctx.entry(), [&](std::span<const unsigned char> c) {
      scan.feed(reinterpret_cast<const char*>(c.data()), c.size());
      return true;
    });
    scan.finish();
    extra.seal();
    if (!st)
      ctx.warn("unreadable",
               "report.xml could not be read to its end while looking for extraInfo: " + st.error().message);
    if (scan.abandoned() > 0)
      ctx.warn("extra_info_unreadable", "extraInfo elements that could not be read; their models lack source_path",
               scan.abandoned());
  }

  // Pass 2: everything else, streamed.
  Mapper mapper(ctx, extra, std::move(base_dir));
  ReportReader reader(mapper);
  auto st = detail::stream_entry_unshared(ctx.source(), ctx.entry(),
                                          [&](std::span<const unsigned char> c) { return reader.feed(c); });
  if (!st) ctx.warn("unreadable", "report.xml could not be read to its end: " + st.error().message);
  reader.finish();
  mapper.finish(reader.stats());
}

}  // namespace remit::artifacts
