// UFDR writer (ufdr_writer.hpp).
//
// References for the shape written (the same facts the reader is built on;
// docs/formats/ufdr.md): casework CASE-Implementation-UFED-XML
// parser_UFEDtoCASE.py (model and field names), IPED UfedXmlReader.java and
// UfedModelHandler.java (Attachment@file_id, attachment_extracted_path,
// jumptargets/targetid@ismodel, MessageLabel, IsPhoneOwner, LastUsedMSISDN),
// a published analysis of PA 7.x/10.7 UFDRs (project and extractionInfo
// attributes, CDATA values, value@format/formattedTimestamp, <empty/>,
// TimeSpan durations, Local Path with backslashes, stored zip entries).
// libzip 1.7 (zip_source_file, zip_source_buffer, zip_set_file_compression,
// zip_file_set_mtime; zip_close writes to a temporary file and renames it).
#include "source/ufdr_writer.hpp"

#include <fmt/format.h>
#include <zip.h>

#include <algorithm>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <unordered_map>

#include "remit/hash.hpp"
#include "remit/text.hpp"
#include "remit/timeconv.hpp"

namespace remit {
namespace {

std::string_view basename_view(std::string_view p) {
  const auto slash = p.find_last_of("/\\");
  return slash == std::string_view::npos ? p : p.substr(slash + 1);
}

bool forbidden(unsigned char c) {
  return c < 0x20 && c != '\t' && c != '\n' && c != '\r';
}

// Makes a string fit for XML: valid UTF-8, no U+FFFE/U+FFFF.
std::string clean(std::string_view s) {
  std::string out(s);
  sanitize_utf8(out);
  // U+FFFE / U+FFFF (EF BF BE / EF BF BF) are not XML characters either.
  for (size_t i = 0; i + 2 < out.size(); ++i)
    if (static_cast<unsigned char>(out[i]) == 0xEF && static_cast<unsigned char>(out[i + 1]) == 0xBF &&
        (static_cast<unsigned char>(out[i + 2]) == 0xBE || static_cast<unsigned char>(out[i + 2]) == 0xBF))
      out[i + 2] = static_cast<char>(0xBD);
  return out;
}

// What a reader gets back for a string: control characters become U+FFFD.
std::string as_read(std::string_view s) {
  std::string c = clean(s), out;
  out.reserve(c.size());
  for (char ch : c) {
    if (forbidden(static_cast<unsigned char>(ch)))
      out += "\xEF\xBF\xBD";
    else
      out.push_back(ch);
  }
  return out;
}

std::string esc_attr(std::string_view raw) {
  const std::string s = clean(raw);
  std::string out;
  out.reserve(s.size() + 8);
  for (char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    switch (ch) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\t':
        out += "&#x9;";
        break;
      case '\n':
        out += "&#xA;";
        break;
      case '\r':
        out += "&#xD;";
        break;
      default:
        if (forbidden(c))
          out += fmt::format("&#x{:X};", c);
        else
          out.push_back(ch);
    }
  }
  return out;
}

// Element text: CDATA, as real reports write strings, unless the text holds
// control characters, which real reports write as (invalid) &#xN;
// references outside CDATA.
std::string esc_text(std::string_view raw) {
  const std::string s = clean(raw);
  const bool controls =
      std::any_of(s.begin(), s.end(), [](char c) { return forbidden(static_cast<unsigned char>(c)); });
  std::string out;
  out.reserve(s.size() + 16);
  if (!controls) {
    out += "<![CDATA[";
    size_t from = 0;
    for (size_t at; (at = s.find("]]>", from)) != std::string::npos; from = at + 3) {
      out.append(s, from, at + 2 - from);
      out += "]]><![CDATA[>";
    }
    out.append(s, from);
    out += "]]>";
    return out;
  }
  for (char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    if (ch == '&')
      out += "&amp;";
    else if (ch == '<')
      out += "&lt;";
    else if (ch == '>')
      out += "&gt;";
    else if (forbidden(c))
      out += fmt::format("&#x{:X};", c);
    else
      out.push_back(ch);
  }
  return out;
}

std::string iso_ms(int64_t ms) {
  std::string s = format_rfc3339_ms(ms);  // ...T21:04:05.123Z
  s.pop_back();
  return s + "+00:00";
}
std::string iso_s(int64_t ms) {
  std::string s = format_rfc3339_ms(ms);
  return s.substr(0, s.size() - 5) + "+00:00";
}
std::string exif_text(int64_t ms) {  // "YYYY:MM:DD HH:MM:SS"
  std::string s = format_rfc3339_ms(ms).substr(0, 19);
  s[4] = ':';
  s[7] = ':';
  s[10] = ' ';
  return s;
}

std::string timespan(double seconds) {
  if (seconds < 0) seconds = 0;
  const auto ticks = static_cast<int64_t>(std::llround(seconds * 1e7));  // .NET ticks (100 ns)
  const int64_t total_s = ticks / 10'000'000, frac = ticks % 10'000'000;
  const int64_t d = total_s / 86400, h = (total_s / 3600) % 24, m = (total_s / 60) % 60, s = total_s % 60;
  std::string out = d > 0 ? fmt::format("{}.", d) : std::string();
  out += fmt::format("{:02}:{:02}:{:02}", h, m, s);
  if (frac) out += fmt::format(".{:07}", frac);
  return out;
}

std::string role_name(PartyRole r) {
  switch (r) {
    case PartyRole::from:
      return "From";
    case PartyRole::to:
      return "To";
    case PartyRole::cc:
      return "Cc";
    case PartyRole::bcc:
      return "Bcc";
    default:
      return "General";
  }
}

std::string party_key(const Party& p) {
  if (!p.normalised.empty()) return p.normalised;
  if (!p.raw.empty()) return ascii_lower(p.raw);
  return "name:" + p.name;
}

bool ext_in(std::string_view name, std::initializer_list<std::string_view> exts) {
  for (auto e : exts)
    if (ends_with_ci(name, e)) return true;
  return false;
}

bool is_video_name(std::string_view n) {
  return ext_in(n, {".mp4", ".mov", ".3gp", ".m4v", ".mkv", ".avi", ".webm"});
}

std::string tag_for(std::string_view name, bool media) {
  if (media) return is_video_name(name) ? "Video" : "Image";
  if (ext_in(name, {".mp3", ".m4a", ".opus", ".amr", ".aac", ".ogg", ".wav"})) return "Audio";
  if (ext_in(name, {".db", ".sqlite", ".sqlitedb", ".storedata", ".realm"})) return "Database";
  if (ext_in(name, {".pdf", ".doc", ".docx", ".xls", ".xlsx", ".ppt", ".pptx", ".txt"})) return "Document";
  if (ext_in(name, {".plist", ".xml", ".json"})) return "Configuration";
  return "Uncategorized";  // also images and videos that are not media items here (see the header)
}

}  // namespace

std::string ufdr_source_name(std::string_view service) {
  static const std::pair<std::string_view, std::string_view> kNames[] = {
      {"whatsapp", "WhatsApp"},
      {"imessage", "iMessage"},
      {"telegram", "Telegram"},
      {"signal", "Signal"},
      {"chrome", "Chrome"},
      {"safari", "Safari"},
      {"facetime_audio", "FaceTime"},
      {"facetime_video", "FaceTime"},
      {"rcs", "RCS"},
      {"sms", ""},
      {"mms", ""},
      {"telephony", ""},
      {"ufdr", ""},
      {"email", ""},
      {"camera", ""},
  };
  for (const auto& [k, v] : kNames)
    if (service == k) return std::string(v);
  return std::string(service);
}

// ------------------------------------------------------------ streaming

struct UfdrReportWriter::Impl {
  std::ostream& out;
  std::string seed, owner, owner_email;
  std::string open_type;  // modelType currently open
  bool tagged_open = false, decoded_open = false, in_chat = false;
  uint64_t source_index = 0, models = 0, parties = 0;
  struct Extra {
    std::string id;
    uint32_t path, table;
  };
  std::vector<Extra> extras;
  std::vector<std::string> strings{std::string()};
  std::unordered_map<std::string, uint32_t> string_ids{{std::string(), 0}};

  Impl(std::ostream& o, std::string s, std::string own, std::string mail)
      : out(o), seed(std::move(s)), owner(std::move(own)), owner_email(std::move(mail)) {}

  std::string id(std::string_view kind, uint64_t n) const {
    const std::string h = sha1_hex(fmt::format("{}/{}/{}", seed, kind, n));
    return fmt::format("{}-{}-4{}-8{}-{}", h.substr(0, 8), h.substr(8, 4), h.substr(13, 3), h.substr(17, 3),
                       h.substr(20, 12));
  }

  uint32_t intern(const std::string& s) {
    auto [it, added] = string_ids.try_emplace(s, static_cast<uint32_t>(strings.size()));
    if (added) strings.push_back(s);
    return it->second;
  }

  void model_open(std::string_view type, const std::string& mid, const Item* it, int indent) {
    out << std::string(indent, ' ') << "<model type=\"" << type << "\" id=\"" << mid << "\" deleted_state=\""
        << (it && it->deleted ? "Deleted" : "Intact")
        << "\" decoding_confidence=\"High\" isrelated=\"False\" source_index=\"" << source_index++
        << "\" extractionId=\"0\"";
    if (it && it->recovered) out << " iscarved=\"True\"";
    out << ">\n";
  }
  void field(std::string_view name, std::string_view type, std::string_view value, int indent) {
    out << std::string(indent, ' ') << "<field name=\"" << name << "\" type=\"" << type << "\">";
    if (value.empty())
      out << "<empty />";
    else
      out << "<value type=\"" << type << "\">" << esc_text(value) << "</value>";
    out << "</field>\n";
  }
  void time_field(std::string_view name, const Timestamp& t, int indent) {
    out << std::string(indent, ' ') << "<field name=\"" << name << "\" type=\"TimeStamp\">";
    if (!t.utc_ms) {
      out << "<empty />";
    } else if (t.source == TimeSource::local_guess) {
      // A wall-clock time without an offset (DateTimeOnly).
      std::string local = format_rfc3339_ms(*t.utc_ms);
      local.pop_back();
      out << "<value type=\"TimeStamp\" format=\"DateTimeOnly\">" << local << "</value>";
    } else {
      out << "<value type=\"TimeStamp\" format=\"TimeStampKnown\" formattedTimestamp=\"" << iso_s(*t.utc_ms) << "\">"
          << iso_ms(*t.utc_ms) << "</value>";
    }
    out << "</field>\n";
  }
  void party(const std::string& identifier, const std::string& name, std::string_view role, bool is_owner, int indent) {
    out << std::string(indent, ' ') << "<model type=\"Party\" id=\"" << id("party", parties++)
        << "\" deleted_state=\"Intact\" decoding_confidence=\"High\" isrelated=\"False\" source_index=\"0\" "
           "extractionId=\"0\">\n";
    field("Identifier", "String", identifier, indent + 2);
    field("Role", "PartyRole", role, indent + 2);
    if (!name.empty()) field("Name", "String", name, indent + 2);
    field("IsPhoneOwner", "Boolean", is_owner ? "True" : "False", indent + 2);
    out << std::string(indent, ' ') << "</model>\n";
  }
  void attachments(const std::vector<UfdrAttachmentRef>& refs, int indent) {
    if (refs.empty()) return;
    const std::string pad(indent, ' ');
    out << pad << "<multiModelField name=\"Attachments\" type=\"Attachment\">\n";
    for (size_t i = 0; i < refs.size(); ++i) {
      const auto& a = refs[i];
      out << pad << "  <model type=\"Attachment\" id=\"" << id("attachment", source_index)
          << "\" deleted_state=\"Intact\" decoding_confidence=\"High\" isrelated=\"False\" source_index=\"" << i
          << "\" extractionId=\"0\"";
      if (!a.file_id.empty()) out << " file_id=\"" << esc_attr(a.file_id) << "\"";
      out << ">\n";
      field("Filename", "String", a.filename, indent + 4);
      if (!a.mime.empty()) field("ContentType", "String", a.mime, indent + 4);
      if (!a.local_path.empty()) {
        std::string win = a.local_path;
        std::replace(win.begin(), win.end(), '/', '\\');
        field("attachment_extracted_path", "String", win, indent + 4);
      }
      out << pad << "  </model>\n";
    }
    out << pad << "</multiModelField>\n";
    bool any = false;
    for (const auto& a : refs) any = any || !a.file_id.empty();
    if (!any) return;
    out << pad << "<jumptargets>\n";
    for (const auto& a : refs)
      if (!a.file_id.empty()) out << pad << "  <targetid ismodel=\"false\">" << esc_attr(a.file_id) << "</targetid>\n";
    out << pad << "</jumptargets>\n";
  }
  void position(const GeoPoint& g, int indent) {
    const std::string pad(indent, ' ');
    out << pad << "<modelField name=\"Position\" type=\"Coordinate\">\n";
    model_open("Coordinate", id("coordinate", source_index), nullptr, indent + 2);
    field("Longitude", "Double", fmt::format("{}", g.lon), indent + 4);
    field("Latitude", "Double", fmt::format("{}", g.lat), indent + 4);
    out << pad << "  </model>\n" << pad << "</modelField>\n";
  }
  void remember_source(const std::string& mid, const Item& it) {
    if (it.provenance.path.empty() && it.provenance.table.empty()) return;
    extras.push_back(Extra{mid, intern(it.provenance.path), intern(it.provenance.table)});
  }
  void type_open(std::string_view type) {
    if (open_type == type) return;
    if (!open_type.empty()) out << "    </modelType>\n";
    out << "    <modelType type=\"" << type << "\">\n";
    open_type = std::string(type);
  }
};

UfdrReportWriter::UfdrReportWriter(std::ostream& out, std::string id_seed, std::string owner, std::string owner_email)
    : impl_(std::make_unique<Impl>(out, std::move(id_seed), std::move(owner), std::move(owner_email))) {}
UfdrReportWriter::~UfdrReportWriter() = default;

std::string UfdrReportWriter::make_id(std::string_view kind, uint64_t n) const {
  return impl_->id(kind, n);
}
uint64_t UfdrReportWriter::models_written() const noexcept {
  return impl_->models;
}
bool UfdrReportWriter::ok() const {
  return impl_->out.good();
}

void UfdrReportWriter::begin(const std::string& project_name, const DeviceIdentity& d, int64_t report_time_ms,
                             const std::vector<std::pair<std::string, std::string>>& case_fields) {
  auto& o = impl_->out;
  o << "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n";
  o << "<project id=\"" << impl_->id("project", 0) << "\" name=\"" << esc_attr(project_name)
    << "\" reportVersion=\"8.5\" licenseID=\"0\" containsGarbage=\"False\" extractionType=\""
    << esc_attr(d.extraction_type.empty() ? "FileSystem" : d.extraction_type)
    << "\" xmlns=\"http://pa.cellebrite.com/report/2.0\">\n";
  o << "  <sourceExtractions>\n";
  if (d.extractions.empty()) {
    o << "    <extractionInfo id=\"0\" name=\"File System\" type=\"FileSystem\" deviceName=\"" << esc_attr(d.model)
      << "\" fullName=\"" << esc_attr(d.manufacturer + " " + d.model)
      << "\" index=\"0\" IsPartialData=\"False\" IsStoppedByUser=\"False\" IsTriageExtraction=\"False\" "
         "IsSelectiveExtraction=\"False\" />\n";
  }
  for (size_t i = 0; i < d.extractions.size(); ++i) {
    const auto& x = d.extractions[i];
    o << "    <extractionInfo id=\"" << esc_attr(x.id) << "\" name=\"" << esc_attr(x.name) << "\" type=\""
      << esc_attr(x.type) << "\" deviceName=\"" << esc_attr(x.device_name) << "\" fullName=\"" << esc_attr(x.full_name)
      << "\" index=\"" << i << "\" IsPartialData=\"" << (x.partial ? "True" : "False")
      << "\" IsStoppedByUser=\"False\" IsTriageExtraction=\"False\" IsSelectiveExtraction=\"False\" />\n";
  }
  o << "  </sourceExtractions>\n  <caseInformation>\n";
  for (const auto& [type, value] : case_fields)
    o << "    <field name=\"" << esc_attr(type) << "\" isSystem=\"True\" isRequired=\"False\" fieldType=\""
      << esc_attr(type) << "\" multipleLines=\"False\">" << esc_text(value) << "</field>\n";
  o << "  </caseInformation>\n";
  auto item = [&](std::string_view name, std::string_view value) {
    if (value.empty()) return;
    o << "    <item name=\"" << esc_attr(name) << "\" systemtype=\"System.String\">" << esc_text(value) << "</item>\n";
  };
  o << "  <metadata section=\"Additional Fields\">\n";
  std::string created = format_rfc3339_ms(report_time_ms);  // dd/MM/yyyy HH:mm:ss, as PA 10 writes it
  created =
      created.substr(8, 2) + "/" + created.substr(5, 2) + "/" + created.substr(0, 4) + " " + created.substr(11, 8);
  item("DeviceInfoCreationTime", created);
  item("UFED_PA_Version", d.tool_version.empty() ? "7.60.0.114" : d.tool_version);
  o << "  </metadata>\n  <metadata section=\"Extraction Data\">\n";
  item("DeviceInfoExtractionStartDateTime", d.extraction_start);
  item("DeviceInfoExtractionEndDateTime", d.extraction_end);
  item("DeviceInfoSelectedDeviceName", d.device_name);
  item("DeviceInfoSelectedManufacturer", d.manufacturer);
  o << "  </metadata>\n  <metadata section=\"Device Info\">\n";
  item("DeviceInfoDetectedPhoneVendor", d.manufacturer);
  item("DeviceInfoDetectedPhoneModel", d.model);
  item("DeviceInfoOSType", d.os_type);
  item("DeviceInfoOSVersion", d.os_version);
  item("DeviceInfoSerialNumber", d.serial);
  for (size_t i = 0; i < d.imeis.size(); ++i) item(i == 0 ? "IMEI" : fmt::format("IMEI{}", i + 1), d.imeis[i]);
  for (size_t i = 0; i < d.msisdns.size(); ++i) item(i == 0 ? "LastUsedMSISDN" : "MSISDN", d.msisdns[i]);
  for (const auto& v : d.iccids) item("ICCID", v);
  for (const auto& v : d.imsis) item("IMSI", v);
  o << "  </metadata>\n";
}

void UfdrReportWriter::tagged_file(const UfdrTaggedFile& f) {
  auto& s = *impl_;
  auto& o = s.out;
  if (!s.tagged_open) {
    o << "  <taggedFiles>\n";
    s.tagged_open = true;
  }
  o << "    <file fs=\"File System\" fsid=\"" << s.id("fs", 0) << "\" path=\"" << esc_attr(f.device_path)
    << "\" name=\"" << esc_attr(f.name) << "\" size=\"" << f.size << "\" id=\"" << esc_attr(f.id)
    << "\" extractionId=\"0\" deleted=\"" << (f.deleted ? "Deleted" : "Intact")
    << "\" embedded=\"false\" isrelated=\"False\" isNative=\"True\" source_index=\"" << s.source_index++ << "\">\n";
  if (f.created_ms || f.modified_ms || f.accessed_ms) {
    o << "      <accessInfo>\n";
    auto ts = [&](const char* name, const std::optional<int64_t>& t) {
      if (t)
        o << "        <timestamp name=\"" << name << "\" format=\"TimeStampKnown\" formattedTimestamp=\"" << iso_s(*t)
          << "\">" << iso_ms(*t) << "</timestamp>\n";
    };
    ts("CreationTime", f.created_ms);
    ts("ModifyTime", f.modified_ms);
    ts("AccessTime", f.accessed_ms);
    o << "      </accessInfo>\n";
  }
  o << "      <metadata section=\"File\">\n";
  auto item = [&](std::string_view name, std::string_view value) {
    if (!value.empty())
      o << "        <item name=\"" << name << "\" systemtype=\"System.String\">" << esc_text(value) << "</item>\n";
  };
  std::string win = f.local_path;
  std::replace(win.begin(), win.end(), '/', '\\');
  item("Local Path", win);
  item("SHA256", f.sha256);
  item("MD5", f.md5);
  item("Tags", f.tag);
  o << "      </metadata>\n";
  if (f.exif_time && f.exif_time->utc_ms) {
    const bool offset = f.exif_time->source == TimeSource::recorded;
    o << "      <metadata section=\"MetaData\" group=\"EXIF\">\n";
    item("ExifEnumDateTimeOriginal", offset ? iso_ms(*f.exif_time->utc_ms) : exif_text(*f.exif_time->utc_ms));
    o << "      </metadata>\n";
  }
  o << "    </file>\n";
}

void UfdrReportWriter::begin_decoded() {
  auto& s = *impl_;
  if (s.tagged_open) s.out << "  </taggedFiles>\n";
  s.tagged_open = false;
  s.out << "  <decodedData>\n";
  s.decoded_open = true;
}

std::string UfdrReportWriter::model(const Item& it, const std::string& mid,
                                    const std::vector<UfdrAttachmentRef>& refs) {
  auto& s = *impl_;
  auto& o = s.out;
  const int in = 8, f = 10;
  std::string type;
  switch (it.category) {
    case Category::call:
      type = "Call";
      break;
    case Category::message:
      type = it.service == "mms" ? "MMS" : "SMS";
      break;
    case Category::email:
      type = "Email";
      break;
    case Category::contact:
      type = "Contact";
      break;
    case Category::location:
      type = "Location";
      break;
    case Category::web_visit: {
      bool bookmark = false;
      for (const auto& [k, v] : it.extra) bookmark = bookmark || (k == "web_kind" && v == "bookmark");
      type = bookmark ? "WebBookmark" : "VisitedPage";
      break;
    }
    case Category::note:
      type = "Note";
      break;
    case Category::calendar:
      type = "CalendarEntry";
      break;
    default:
      type = "Note";
      break;
  }
  s.type_open(type);
  s.model_open(type, mid, &it, in);
  const std::string pad(f, ' ');
  auto parties_block = [&](std::string_view name, const std::vector<std::pair<const Party*, std::string>>& list,
                           bool owner_first, std::string_view owner_role, const std::string& owner_id) {
    o << pad << "<multiModelField name=\"" << name << "\" type=\"Party\">\n";
    if (owner_first && !owner_id.empty()) s.party(owner_id, "", owner_role, true, f + 2);
    for (const auto& [p, role] : list) s.party(p->raw, p->name, role, false, f + 2);
    o << pad << "</multiModelField>\n";
  };
  if (type == "Call") {
    s.field("Source", "String", ufdr_source_name(it.service), f);
    s.field("Direction", "ModelDirections",
            it.direction == Direction::incoming   ? "Incoming"
            : it.direction == Direction::outgoing ? "Outgoing"
                                                  : "",
            f);
    const char* status = "Unknown";
    switch (it.outcome) {
      case CallOutcome::answered:
        status = "Established";
        break;
      case CallOutcome::missed:
        status = "Missed";
        break;
      case CallOutcome::rejected:
        status = "Rejected";
        break;
      case CallOutcome::blocked:
        status = "Blocked";
        break;
      case CallOutcome::voicemail:
        status = "Voicemail";
        break;
      case CallOutcome::unknown:
        break;
    }
    s.field("Status", "TelephonyCallStatus", status, f);
    s.time_field("TimeStamp", it.time, f);
    if (it.duration_s) s.field("Duration", "TimeSpan", timespan(*it.duration_s), f);
    if (it.service == "facetime_video") s.field("VideoCall", "Boolean", "True", f);
    std::vector<std::pair<const Party*, std::string>> list;
    for (const auto& p : it.parties)
      list.emplace_back(&p, it.direction == Direction::incoming   ? std::string("From")
                            : it.direction == Direction::outgoing ? std::string("To")
                                                                  : role_name(p.role));
    const bool known = it.direction != Direction::unknown;
    parties_block("Parties", list, known, it.direction == Direction::incoming ? "To" : "From", s.owner);
  } else if (type == "SMS" || type == "MMS") {
    s.field("Source", "String", ufdr_source_name(it.service), f);
    s.time_field("TimeStamp", it.time, f);
    s.field("Folder", "String",
            it.direction == Direction::incoming   ? "Inbox"
            : it.direction == Direction::outgoing ? "Sent"
                                                  : "",
            f);
    s.field("Status", "MessageStatus",
            it.direction == Direction::incoming   ? "Read"
            : it.direction == Direction::outgoing ? "Sent"
                                                  : "",
            f);
    if (type == "MMS") s.field("Subject", "String", it.title, f);
    s.field("Body", "String", it.body, f);
    std::vector<std::pair<const Party*, std::string>> list;
    for (const auto& p : it.parties) list.emplace_back(&p, role_name(p.role));
    const bool known = it.direction != Direction::unknown;
    parties_block("Parties", list, known, it.direction == Direction::incoming ? "To" : "From", s.owner);
    s.attachments(refs, f);
  } else if (type == "Email") {
    s.field("Source", "String", ufdr_source_name(it.service), f);
    s.field("Account", "String", s.owner_email, f);
    s.field("Folder", "String",
            it.direction == Direction::incoming   ? "Inbox"
            : it.direction == Direction::outgoing ? "Sent"
                                                  : "",
            f);
    s.field("Subject", "String", it.title, f);
    s.field("Body", "String", it.body, f);
    s.time_field("TimeStamp", it.time, f);
    const Party* from = nullptr;
    for (const auto& p : it.parties)
      if (p.role == PartyRole::from && !from) from = &p;
    if (it.direction == Direction::outgoing || from) {
      o << pad << "<modelField name=\"From\" type=\"Party\">\n";
      if (it.direction == Direction::outgoing)
        s.party(s.owner_email, "", "From", true, f + 2);
      else
        s.party(from->raw, from->name, "From", false, f + 2);
      o << pad << "</modelField>\n";
    }
    for (const auto& [name, role] :
         {std::pair{"To", PartyRole::to}, std::pair{"Cc", PartyRole::cc}, std::pair{"Bcc", PartyRole::bcc}}) {
      std::vector<std::pair<const Party*, std::string>> list;
      for (const auto& p : it.parties)
        if (p.role == role || (role == PartyRole::to && p.role == PartyRole::participant)) list.emplace_back(&p, name);
      const bool owner_here = role == PartyRole::to && it.direction == Direction::incoming;
      if (list.empty() && !owner_here) continue;
      parties_block(name, list, owner_here, name, s.owner_email);
    }
    s.attachments(refs, f);
  } else if (type == "Contact") {
    s.field("Source", "String", ufdr_source_name(it.service), f);
    s.field("Name", "String", it.title, f);
    s.time_field("TimeCreated", it.time, f);
    if (!it.body.empty()) {
      o << pad << "<multiField name=\"Notes\" type=\"String\"><value type=\"String\">" << esc_text(it.body)
        << "</value></multiField>\n";
    }
    o << pad << "<multiModelField name=\"Entries\" type=\"ContactEntry\">\n";
    for (const auto& p : it.parties) {
      const char* et = p.kind == PartyKind::phone   ? "PhoneNumber"
                       : p.kind == PartyKind::email ? "EmailAddress"
                                                    : "UserID";
      s.model_open(et, s.id("entry", s.source_index), nullptr, f + 2);
      s.field("Category", "String", p.label, f + 4);
      s.field("Value", "String", p.raw, f + 4);
      o << pad << "  </model>\n";
    }
    o << pad << "</multiModelField>\n";
  } else if (type == "Location") {
    s.field("Source", "String", ufdr_source_name(it.service), f);
    s.time_field("TimeStamp", it.time, f);
    s.field("Name", "String", it.title, f);
    if (it.location && it.location->accuracy_m)
      s.field("GpsHorizontalAccuracy", "Double", fmt::format("{}", *it.location->accuracy_m), f);
    if (it.location) s.position(*it.location, f);
  } else if (type == "VisitedPage" || type == "WebBookmark") {
    s.field("Source", "String", ufdr_source_name(it.service), f);
    s.field("Url", "String", it.url, f);
    s.field("Title", "String", it.title, f);
    s.time_field(type == "VisitedPage" ? "LastVisited" : "TimeStamp", it.time, f);
    for (const auto& [k, v] : it.extra)
      if (k == "visit_count") s.field("VisitCount", "Int32", v, f);
  } else if (type == "Note") {
    s.field("Title", "String", it.title, f);
    s.field("Body", "String", it.body, f);
    s.time_field("Creation", it.time, f);
  } else {  // CalendarEntry
    s.field("Subject", "String", it.title, f);
    s.field("Details", "String", it.body, f);
    s.time_field("StartDate", it.time, f);
  }
  o << std::string(in, ' ') << "</model>\n";
  s.remember_source(mid, it);
  ++s.models;
  return type;
}

void UfdrReportWriter::begin_chat(const std::string& mid, const std::string& service, const std::string& thread_id,
                                  const std::string& thread_name, bool group, const std::vector<Party>& participants) {
  auto& s = *impl_;
  auto& o = s.out;
  s.type_open("Chat");
  s.model_open("Chat", mid, nullptr, 8);
  s.field("Source", "String", ufdr_source_name(service), 10);
  s.field("Id", "String", thread_id, 10);
  s.field("Name", "String", thread_name, 10);
  s.field("ChatType", "ChatType", group ? "Group" : "OneOnOne", 10);
  o << "          <multiModelField name=\"Participants\" type=\"Party\">\n";
  s.party(s.owner, "", "General", true, 12);
  for (const auto& p : participants) s.party(p.raw, p.name, "General", false, 12);
  o << "          </multiModelField>\n          <multiModelField name=\"Messages\" type=\"InstantMessage\">\n";
  s.in_chat = true;
  ++s.models;
}

void UfdrReportWriter::chat_message(const Item& it, const std::string& mid,
                                    const std::vector<UfdrAttachmentRef>& refs) {
  auto& s = *impl_;
  auto& o = s.out;
  const int f = 14;
  const std::string pad(f, ' ');
  s.model_open("InstantMessage", mid, &it, 12);
  s.time_field("TimeStamp", it.time, f);
  s.field("Body", "String", it.body, f);
  s.field("Status", "MessageStatus",
          it.direction == Direction::incoming   ? "Read"
          : it.direction == Direction::outgoing ? "Sent"
                                                : "",
          f);
  const Party* from = nullptr;
  for (const auto& p : it.parties)
    if (p.role == PartyRole::from && !from) from = &p;
  if (it.direction == Direction::outgoing || from) {
    o << pad << "<modelField name=\"From\" type=\"Party\">\n";
    if (it.direction == Direction::outgoing)
      s.party(s.owner, "", "From", true, f + 2);
    else
      s.party(from->raw, from->name, "From", false, f + 2);
    o << pad << "</modelField>\n";
  }
  if (it.direction == Direction::outgoing) {
    o << pad << "<multiModelField name=\"To\" type=\"Party\">\n";
    for (const auto& p : it.parties)
      if (p.role == PartyRole::to) s.party(p.raw, p.name, "To", false, f + 2);
    o << pad << "</multiModelField>\n";
  } else if (it.direction == Direction::incoming) {
    o << pad << "<multiModelField name=\"To\" type=\"Party\">\n";
    s.party(s.owner, "", "To", true, f + 2);
    o << pad << "</multiModelField>\n";
  }
  if (it.system) {
    o << pad << "<multiModelField name=\"MessageExtraData\" type=\"MessageExtraData\">\n";
    s.model_open("MessageLabel", s.id("label", s.source_index), nullptr, f + 2);
    s.field("Label", "String", "System", f + 4);
    o << pad << "  </model>\n" << pad << "</multiModelField>\n";
  }
  if (it.location) s.position(*it.location, f);
  s.attachments(refs, f);
  o << "            </model>\n";
  s.remember_source(mid, it);
}

void UfdrReportWriter::end_chat() {
  auto& s = *impl_;
  if (!s.in_chat) return;
  s.out << "          </multiModelField>\n        </model>\n";
  s.in_chat = false;
}

void UfdrReportWriter::end() {
  auto& s = *impl_;
  auto& o = s.out;
  end_chat();
  if (s.tagged_open) {
    o << "  </taggedFiles>\n";
    s.tagged_open = false;
  }
  if (!s.decoded_open) o << "  <decodedData>\n";
  if (!s.open_type.empty()) o << "    </modelType>\n";
  o << "  </decodedData>\n";
  for (const auto& x : s.extras) {
    o << "  <extraInfo type=\"Node\" id=\"" << x.id << "\">\n    <nodeInfo id=\"" << s.id("node", x.path)
      << "\" name=\"" << esc_attr(std::string(basename_view(s.strings[x.path]))) << "\" path=\""
      << esc_attr(s.strings[x.path]) << "\" tableName=\"" << esc_attr(s.strings[x.table]) << "\" />\n  </extraInfo>\n";
  }
  o << "</project>\n";
  o.flush();
}

// ------------------------------------------------------------ whole UFDR

namespace {

struct ZipClose {
  void operator()(zip_t* z) const noexcept { zip_discard(z); }
};

struct FilePlan {
  UfdrTaggedFile tagged;
  const UfdrFile* source = nullptr;  // null: listed in the report but not in the zip
  bool in_zip = false;
};

Result<std::pair<std::string, std::string>> hash_disk(const std::filesystem::path& p, uint64_t& size) {
  std::ifstream in(p, std::ios::binary);
  if (!in) return make_error(Errc::not_found, p.string() + ": cannot read");
  Hasher sha(HashAlgo::sha256), md5(HashAlgo::md5);
  std::vector<char> buf(1 << 20);
  size = 0;
  while (in) {
    in.read(buf.data(), static_cast<std::streamsize>(buf.size()));
    const auto n = static_cast<size_t>(in.gcount());
    if (n == 0) break;
    sha.update(std::string_view(buf.data(), n));
    md5.update(std::string_view(buf.data(), n));
    size += n;
  }
  return std::pair{sha.hex_final(), md5.hex_final()};
}

Item expected_item(const Item& in, const std::string& table, const std::string& id) {
  Item e = in;
  e.body = as_read(in.body);
  e.title = as_read(in.title);
  e.url = as_read(in.url);
  e.thread_id = as_read(in.thread_id);
  e.thread_name = as_read(in.thread_name);
  for (auto& p : e.parties) {
    p.raw = as_read(p.raw);
    p.name = as_read(p.name);
  }
  e.provenance = Provenance{};
  e.provenance.path = "report.xml";
  e.provenance.entry_name = "report.xml";
  e.provenance.table = table;
  e.provenance.row = "id=" + id;
  e.provenance.parser = "ufdr.report";
  e.provenance.parser_version = "1.0";
  return e;
}

}  // namespace

Result<UfdrWriteResult> write_ufdr(const std::filesystem::path& out, const UfdrWriteRequest& req) {
  namespace fs = std::filesystem;
  UfdrWriteResult result;
  const std::string owner = req.device.msisdns.empty() ? std::string("+447700900000") : req.device.msisdns.front();
  const std::string owner_email = req.owner_email.empty() ? std::string("owner@device.invalid") : req.owner_email;

  // Which device paths are media items.
  std::set<std::string> media_paths;
  for (const auto& it : req.items)
    if (it.category == Category::media && it.file && !it.file->path.empty()) media_paths.insert(it.file->path);

  // Plan the files: ids, tags, local paths, hashes.
  std::vector<FilePlan> plans;
  std::unordered_map<std::string, size_t> by_device_path;
  std::set<std::string> local_paths;
  std::ostringstream dummy;
  UfdrReportWriter ids(dummy, req.id_seed, owner, owner_email);
  auto add_plan = [&](const std::string& device_path, const std::string& name_in, const UfdrFile* src) -> size_t {
    FilePlan plan;
    plan.source = src;
    auto& t = plan.tagged;
    t.id = ids.make_id("file", plans.size());
    t.device_path = device_path;
    t.name = name_in.empty() ? std::string(basename_view(device_path)) : name_in;
    t.tag = tag_for(t.name, media_paths.count(device_path) > 0);
    std::string local = fmt::format("files/{}/{}", t.tag, t.name);
    for (int n = 1; local_paths.count(local); ++n) local = fmt::format("files/{}/{}_{}", t.tag, n, t.name);
    t.local_path = local;
    if (src) {
      local_paths.insert(local);
      plan.in_zip = true;
      t.created_ms = src->created_ms;
      t.modified_ms = src->modified_ms;
      t.accessed_ms = src->accessed_ms;
      t.deleted = src->deleted;
    } else {
      t.local_path.clear();  // the report lists the file but the UFDR does not hold it
    }
    by_device_path.emplace(device_path, plans.size());
    plans.push_back(std::move(plan));
    return plans.size() - 1;
  };
  for (const auto& f : req.files) {
    if (by_device_path.count(f.device_path)) continue;
    const size_t i = add_plan(f.device_path, f.name, &f);
    auto& t = plans[i].tagged;
    if (!f.bytes.empty() || f.disk_path.empty()) {
      t.size = f.bytes.size();
      t.sha256 = sha256_hex(std::string_view(f.bytes));
      Hasher md5(HashAlgo::md5);
      md5.update(std::string_view(f.bytes));
      t.md5 = md5.hex_final();
    } else {
      auto h = hash_disk(f.disk_path, t.size);
      if (!h) return make_error(Errc::not_found, out.string() + ": input file " + h.error().message);
      t.sha256 = h->first;
      t.md5 = h->second;
    }
  }

  // Items by model type (deterministic order), chats by (service, thread).
  std::map<std::string, std::vector<size_t>> by_type;
  std::vector<std::pair<std::string, std::string>> chat_keys;
  std::map<std::pair<std::string, std::string>, std::vector<size_t>> chats;
  for (size_t i = 0; i < req.items.size(); ++i) {
    const Item& it = req.items[i];
    if (it.category == Category::message && it.service != "sms" && it.service != "mms") {
      auto key = std::pair{it.service, it.thread_id};
      if (!chats.count(key)) chat_keys.push_back(key);
      chats[key].push_back(i);
    } else if (it.category != Category::media) {
      by_type[std::string(to_string(it.category))].push_back(i);
    }
  }

  // Media items: tag their files (adding report-only entries for files not given).
  std::vector<std::pair<size_t, size_t>> media;  // item index, plan index
  for (size_t i = 0; i < req.items.size(); ++i) {
    const Item& it = req.items[i];
    if (it.category != Category::media) continue;
    const std::string dev = it.file ? it.file->path : std::string();
    size_t pi;
    if (auto f = by_device_path.find(dev); !dev.empty() && f != by_device_path.end()) {
      pi = f->second;
    } else {
      pi = add_plan(dev.empty() ? ("/unknown/" + it.title) : dev, it.file ? it.file->name : it.title, nullptr);
      plans[pi].tagged.tag = tag_for(plans[pi].tagged.name, true);
    }
    auto& t = plans[pi].tagged;
    if (!it.title.empty()) t.name = it.title;
    t.deleted = it.deleted;
    if (it.time.utc_ms) {
      if (it.time.source == TimeSource::file_mtime)
        t.modified_ms = it.time.utc_ms;
      else
        t.exif_time = it.time;
    }
    media.emplace_back(i, pi);
  }

  // Write report.xml beside the output, then the zip.
  const fs::path dir = out.parent_path().empty() ? fs::path(".") : out.parent_path();
  const fs::path xml_tmp = dir / fmt::format(".{}.report.xml.tmp", out.filename().string());
  {
    std::ofstream xml(xml_tmp, std::ios::binary | std::ios::trunc);
    if (!xml) return make_error(Errc::io, xml_tmp.string() + ": cannot write");
    UfdrReportWriter w(xml, req.id_seed, owner, owner_email);
    w.begin(req.project_name, req.device, req.report_time_ms, req.case_fields);
    for (const auto& p : plans) w.tagged_file(p.tagged);
    result.files = plans.size();
    for (const auto& [ii, pi] : media) {
      Item e = expected_item(req.items[ii], "file", plans[pi].tagged.id);
      if (e.file) {
        e.file->path = plans[pi].in_zip ? plans[pi].tagged.local_path : std::string();
        e.file->missing = !plans[pi].in_zip;
      }
      result.expected.push_back(std::move(e));
      result.expected_from.push_back(ii);
    }
    w.begin_decoded();
    uint64_t n = 0;
    auto refs_for = [&](const Item& it, Item& e) {
      std::vector<UfdrAttachmentRef> refs;
      for (size_t a = 0; a < it.attachments.size(); ++a) {
        const FileRef& fr = it.attachments[a];
        UfdrAttachmentRef r;
        r.filename = fr.name.empty() ? std::string(basename_view(fr.path)) : fr.name;
        r.mime = fr.mime;
        if (auto f = by_device_path.find(fr.path);
            !fr.path.empty() && !fr.missing && f != by_device_path.end() && plans[f->second].in_zip) {
          r.file_id = plans[f->second].tagged.id;
          r.local_path = plans[f->second].tagged.local_path;
          e.attachments[a].path = r.local_path;
          e.attachments[a].missing = false;
        } else {
          e.attachments[a].path.clear();
          e.attachments[a].missing = true;
        }
        refs.push_back(std::move(r));
      }
      return refs;
    };
    // Stand-alone models in a fixed type order; chats keep their position
    // in that order under "Chat".
    const std::vector<std::string> order = {"call",    "Chat", "contact",  "email",    "location",
                                            "message", "note", "calendar", "web_visit"};
    for (const auto& key : order) {
      if (key == "Chat") {
        for (const auto& ck : chat_keys) {
          const auto& idx = chats[ck];
          std::vector<Party> members;
          std::set<std::string> seen;
          bool group = false;
          std::string name;
          for (size_t i : idx) {
            const Item& it = req.items[i];
            group = group || it.group;
            if (name.empty()) name = it.thread_name;
            for (const auto& p : it.parties)
              if (seen.insert(party_key(p)).second) members.push_back(p);
          }
          w.begin_chat(w.make_id("chat", n++), ck.first, ck.second, name, group, members);
          for (size_t i : idx) {
            const Item& it = req.items[i];
            const std::string mid = w.make_id("model", n++);
            Item e = expected_item(it, "model:InstantMessage", mid);
            const auto refs = refs_for(it, e);
            w.chat_message(it, mid, refs);
            result.expected.push_back(std::move(e));
            result.expected_from.push_back(i);
          }
          w.end_chat();
        }
        continue;
      }
      auto t = by_type.find(key);
      if (t == by_type.end()) continue;
      // SMS before MMS within messages keeps one modelType open per type.
      std::vector<size_t> idx = t->second;
      std::stable_sort(idx.begin(), idx.end(), [&](size_t a, size_t b) {
        return (req.items[a].service == "mms") < (req.items[b].service == "mms");
      });
      for (size_t i : idx) {
        const Item& it = req.items[i];
        const std::string mid = w.make_id("model", n++);
        Item e = it;
        const auto refs = refs_for(it, e);
        const std::string type = w.model(it, mid, refs);
        if (type == "Note" || type == "CalendarEntry") {
          ++result.not_mapped;
          continue;
        }
        Item ex = expected_item(e, "model:" + type, mid);
        result.expected.push_back(std::move(ex));
        result.expected_from.push_back(i);
      }
    }
    w.end();
    result.models = w.models_written();
    if (!w.ok()) {
      std::error_code ec;
      fs::remove(xml_tmp, ec);
      return make_error(Errc::io, xml_tmp.string() + ": write failed");
    }
  }

  int err = 0;
  std::unique_ptr<zip_t, ZipClose> z(zip_open(out.c_str(), ZIP_CREATE | ZIP_TRUNCATE, &err));
  auto fail = [&](const std::string& what) {
    z.reset();  // zip_discard: nothing is written
    std::error_code ec;
    fs::remove(xml_tmp, ec);
    return make_error(Errc::io, fmt::format("{}: {}", out.string(), what));
  };
  if (!z) return fail("cannot create the zip");
  const time_t mtime = static_cast<time_t>(req.report_time_ms / 1000);
  auto add = [&](const std::string& name, zip_source_t* src) -> bool {
    if (!src) return false;
    const zip_int64_t idx = zip_file_add(z.get(), name.c_str(), src, ZIP_FL_ENC_UTF_8 | ZIP_FL_OVERWRITE);
    if (idx < 0) {
      zip_source_free(src);
      return false;
    }
    zip_set_file_compression(z.get(), static_cast<zip_uint64_t>(idx), req.deflate ? ZIP_CM_DEFLATE : ZIP_CM_STORE, 0);
    zip_file_set_mtime(z.get(), static_cast<zip_uint64_t>(idx), mtime, 0);
    return true;
  };
  if (!add("report.xml", zip_source_file(z.get(), xml_tmp.c_str(), 0, -1))) return fail("cannot add report.xml");
  for (const auto& p : plans) {
    if (!p.in_zip) continue;
    zip_source_t* src = (!p.source->bytes.empty() || p.source->disk_path.empty())
                            ? zip_source_buffer(z.get(), p.source->bytes.data(), p.source->bytes.size(), 0)
                            : zip_source_file(z.get(), p.source->disk_path.c_str(), 0, -1);
    if (!add(p.tagged.local_path, src)) return fail("cannot add " + p.tagged.local_path);
  }
  zip_t* raw = z.release();
  if (zip_close(raw) != 0) {
    const std::string why = zip_strerror(raw);
    zip_discard(raw);
    std::error_code ec;
    fs::remove(xml_tmp, ec);
    return make_error(Errc::io, out.string() + ": cannot write the zip: " + why);
  }
  std::error_code ec;
  fs::remove(xml_tmp, ec);
  const std::string container = out.filename().string();
  for (auto& e : result.expected) e.provenance.container = container;
  return result;
}

}  // namespace remit
