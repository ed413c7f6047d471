#pragma once
// Writing Cellebrite-style UFDRs from items (synthetic evidence: the
// generator's `--format ufdr`, tests and benchmarks). The output follows
// the structure real reports have (namespace
// http://pa.cellebrite.com/report/2.0; project, sourceExtractions,
// caseInformation, metadata sections, taggedFiles, decodedData/modelType/
// model with field, modelField, multiModelField and jumptargets, extraInfo
// after decodedData; values in CDATA, TimeStamp values with
// formattedTimestamp, TimeSpan durations, control characters written as
// &#xN; references the way real reports do), so that remit's reader is
// exercised on the real shape. docs/formats/ufdr.md describes both sides.
//
// Two layers:
//  - UfdrReportWriter streams report.xml to an std::ostream, model by
//    model, holding only the extraInfo index (about 30 bytes per model) —
//    for multi-GB benchmark reports;
//  - write_ufdr() takes items and files and writes a whole .ufdr (a zip
//    holding report.xml and files/<Tag>/...), atomically, and returns the
//    items as a reader of that UFDR must report them.
//
// Output is deterministic: ids are derived from `id_seed` and the item's
// position, zip entries carry a fixed time, nothing depends on the clock.
// Not thread-safe; one writer per output.

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <utility>
#include <vector>

#include "remit/device.hpp"
#include "remit/item.hpp"
#include "remit/status.hpp"

namespace remit {

// A file to place in the UFDR (attachments, media, anything else).
struct UfdrFile {
  std::string device_path;          // path on the device; items reference it by FileRef::path
  std::string name;                 // default: the base name of device_path
  std::string bytes;                // the content, or ...
  std::filesystem::path disk_path;  // ... a file to copy when the zip is written (when bytes is empty)
  std::optional<int64_t> created_ms, modified_ms, accessed_ms;
  bool deleted = false;
};

struct UfdrWriteRequest {
  DeviceIdentity device;    // metadata sections; device.msisdns[0] is the owner's number
  std::string owner_email;  // the owner's address in e-mail models (default "owner@device.invalid")
  std::string project_name = "remit synthetic extraction";
  int64_t report_time_ms = 1700000000000;  // report creation time written into the metadata and zip entries
  std::vector<std::pair<std::string, std::string>> case_fields;  // caseInformation: fieldType -> value
  std::vector<Item> items;  // message, call, contact, email, location, web_visit, media (others: see below)
  std::vector<UfdrFile> files;
  std::string id_seed = "remit";
  bool deflate = false;  // store entries (as most real UFDRs do) unless asked to deflate
};

struct UfdrWriteResult {
  // The input items the UFDR carries, as remit's reader of this UFDR must
  // report them: provenance rewritten to report.xml / model:<Type> /
  // id=<model id> (or file / id=<file id> for media), file and attachment
  // paths rewritten to the files/... paths inside the UFDR, and characters
  // XML cannot carry replaced with U+FFFD. Everything else as given.
  std::vector<Item> expected;
  std::vector<size_t> expected_from;  // for each expected item, the index of its input item
  uint64_t models = 0;                // top-level models written
  uint64_t files = 0;                 // tagged files written
  uint64_t not_mapped = 0;            // items written as model types remit does not map (notes, calendar entries)
};

// Writes `out` (a .ufdr zip) atomically: nothing appears at `out` unless the
// whole file was written. Media items become tagged files with Tags
// Image/Video (and the reader's media items); files that only messages
// reference are tagged by kind but never Image/Video, so the UFDR carries
// exactly the media items given. Messages with service sms/mms become
// SMS/MMS models, other messages InstantMessages inside one Chat per
// (service, thread id); notes and calendar items become Note/CalendarEntry
// models (which remit reports as unmapped). Errors name the output path.
[[nodiscard]] Result<UfdrWriteResult> write_ufdr(const std::filesystem::path& out, const UfdrWriteRequest& request);

// ------------------------------------------------------------ streaming

struct UfdrTaggedFile {
  std::string id;
  std::string device_path;
  std::string name;
  std::string local_path;  // path inside the UFDR ("files/Image/x.jpg"); written with backslashes
  std::string tag;         // "Image", "Video", "Audio", "Database", "Uncategorized", ...
  uint64_t size = 0;
  std::string sha256, md5;  // hex, when known
  std::optional<int64_t> created_ms, modified_ms, accessed_ms;
  std::optional<Timestamp> exif_time;  // written as ExifEnumDateTimeOriginal
  bool deleted = false;
};

// An attachment as a model refers to it.
struct UfdrAttachmentRef {
  std::string file_id;     // tagged file id ("" when the UFDR holds no file)
  std::string local_path;  // path inside the UFDR
  std::string filename;
  std::string mime;
};

class UfdrReportWriter {
 public:
  // `out` must outlive the writer. `owner` is how the device owner appears
  // in parties (the MSISDN), `owner_email` in e-mail models.
  UfdrReportWriter(std::ostream& out, std::string id_seed, std::string owner, std::string owner_email);
  ~UfdrReportWriter();
  UfdrReportWriter(const UfdrReportWriter&) = delete;
  UfdrReportWriter& operator=(const UfdrReportWriter&) = delete;

  // A deterministic id ("8-4-4-4-12" hex) for the n-th object of a kind.
  [[nodiscard]] std::string make_id(std::string_view kind, uint64_t n) const;

  void begin(const std::string& project_name, const DeviceIdentity& device, int64_t report_time_ms,
             const std::vector<std::pair<std::string, std::string>>& case_fields);
  void tagged_file(const UfdrTaggedFile& f);
  void begin_decoded();
  // A stand-alone model for the item (Call, SMS, MMS, Email, Contact,
  // Location, VisitedPage/WebBookmark, Note, CalendarEntry). Returns the
  // model type written. Models of one type should be written together.
  std::string model(const Item& it, const std::string& id, const std::vector<UfdrAttachmentRef>& attachments = {});
  // A Chat with its messages. `participants` are the other members (the
  // owner is added); messages follow with chat_message().
  void begin_chat(const std::string& id, const std::string& service, const std::string& thread_id,
                  const std::string& thread_name, bool group, const std::vector<Party>& participants);
  void chat_message(const Item& it, const std::string& id, const std::vector<UfdrAttachmentRef>& attachments = {});
  void end_chat();
  // Closes decodedData, writes extraInfo for every model whose item named
  // its source (provenance path and table), and closes the document.
  void end();

  [[nodiscard]] uint64_t models_written() const noexcept;
  [[nodiscard]] bool ok() const;  // the stream is still good

  struct Impl;

 private:
  std::unique_ptr<Impl> impl_;
};

// The service token as a UFDR "Source" value ("whatsapp" -> "WhatsApp",
// "sms" -> ""), the inverse of the reader's mapping.
[[nodiscard]] std::string ufdr_source_name(std::string_view service);

}  // namespace remit
