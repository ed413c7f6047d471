#pragma once
// The normalised item: what every parser produces, what the scope matcher
// judges, what a package stores. Serialised as one JSON object per line
// (JSON Lines); the format is documented field by field in
// docs/item-format.md and must stay in step with this header.
//
// Items are plain values: copyable, thread-compatible. Strings are UTF-8
// (parsers replace invalid sequences with U+FFFD and record a warning).

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "remit/status.hpp"
#include "remit/timeconv.hpp"
#include "remit/vocabulary.hpp"

namespace remit {

// A point in time as the artifact recorded it, plus its UTC reading.
struct Timestamp {
  std::optional<int64_t> utc_ms;  // absent: undated (or unconvertible)
  std::string raw;                // the stored value, verbatim as text
  TimeUnit unit = TimeUnit::unix_ms;
  TimeSource source = TimeSource::none;

  [[nodiscard]] bool dated() const noexcept { return utc_ms.has_value(); }
  bool operator==(const Timestamp&) const = default;
};

// A named secondary time, e.g. "read", "delivered", "sent", "received".
struct NamedTime {
  std::string name;
  Timestamp time;
  bool operator==(const NamedTime&) const = default;
};

// A person, number, address or group as it appears in an item.
struct Party {
  std::string raw;         // identifier exactly as stored ("07700 900123", "447700900123@s.whatsapp.net")
  std::string normalised;  // E.164 for phones, lower-case for emails/handles; empty if raw is empty
  PartyKind kind = PartyKind::unknown;
  PartyRole role = PartyRole::participant;
  std::string name;       // display name where the artifact (or its app's contacts) gives one
  std::string label;      // e.g. "mobile", "home" for contact entries
  bool is_owner = false;  // the device user
  bool operator==(const Party&) const = default;
};

// A file referenced by an item (attachment) or described by it (media).
struct FileRef {
  std::string path;  // normalised logical path inside the extraction ("" if unknown)
  std::string name;  // original/transfer file name
  std::string mime;
  std::optional<uint64_t> size;
  std::string sha256;    // lower-case hex, set when the file was read
  bool missing = false;  // referenced but not present in the extraction
  bool operator==(const FileRef&) const = default;
};

struct GeoPoint {
  double lat = 0;
  double lon = 0;
  std::optional<double> accuracy_m;
  bool operator==(const GeoPoint&) const = default;
};

// Where an item came from (bulk_extractor-style forensic path).
struct Provenance {
  std::string container;        // evidence file/folder name as given on the command line (base name)
  std::string path;             // normalised logical path of the source file inside the container
  std::string entry_name;       // the raw entry name in the container (may differ from path)
  std::string table;            // table or XML element ("sms", "ZWAMESSAGE", "model:Chat")
  std::string row;              // row identity ("_id=42", "Z_PK=7", "id=...")
  std::string parser;           // parser name, e.g. "android.sms"
  std::string parser_version;   // e.g. "1.0"
  std::string origin = "live";  // "live", "wal_uncommitted", "wal_superseded", "freelist"
  bool operator==(const Provenance&) const = default;

  // "path#table:row": identity within an extraction, container-independent.
  [[nodiscard]] std::string locator() const;
  // "container!/path#table:row": the full forensic path.
  [[nodiscard]] std::string forensic_path() const;
};

struct Item {
  Category category = Category::message;
  std::string service;  // "sms", "mms", "imessage", "whatsapp", "rcs", "telephony", "facetime_audio", "chrome",
                        // "safari", "camera", ...
  Timestamp time;       // the item's principal time
  std::vector<NamedTime> other_times;
  Direction direction = Direction::unknown;
  std::vector<Party> parties;

  // Conversation the item belongs to.
  std::string thread_id;
  std::string thread_name;
  bool group = false;

  std::string body;   // message text, contact note, ...
  std::string title;  // web page title, contact display name, media file name
  std::string url;    // web visits

  std::vector<FileRef> attachments;  // message attachments
  std::optional<FileRef> file;       // media item's own file

  CallOutcome outcome = CallOutcome::unknown;  // calls
  std::optional<double> duration_s;            // calls, videos
  std::optional<GeoPoint> location;

  bool deleted = false;    // the artifact marks it deleted
  bool recovered = false;  // recovered from WAL/freelist, not a live row
  bool system = false;     // app/system message, not written by a person

  // App-specific labels kept verbatim, e.g. {"sms_type", "130"}. Ordered.
  std::vector<std::pair<std::string, std::string>> extra;

  Provenance provenance;

  bool operator==(const Item&) const = default;
};

// JSON Lines. `to_json_line` never throws and ends without a newline.
// `item_from_json_line` rejects unknown vocabulary tokens and wrong types
// with an error naming the field.
[[nodiscard]] std::string to_json_line(const Item& item);
[[nodiscard]] Result<Item> item_from_json_line(std::string_view line);

// Replaces invalid UTF-8 with U+FFFD. Returns the number of replacements.
size_t sanitize_utf8(std::string& s);

}  // namespace remit
