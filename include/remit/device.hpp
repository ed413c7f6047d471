#pragma once
// Device identity: what an extraction says about the phone it came from
// (make, model, OS, IMEI, MSISDN, SIM) and about how it was extracted, for
// the package manifest. One struct for every source: a Cellebrite UFDR's
// report.xml metadata today; Android build.prop and iOS Info.plist /
// Manifest.plist readers can fill the same struct.
//
// Identifiers are kept exactly as the source wrote them (no normalisation),
// each list in the source's order without duplicates. Values are device
// metadata, never message content. Plain values: copyable,
// thread-compatible.

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "remit/source.hpp"
#include "remit/status.hpp"

namespace remit {

// One acquisition inside the evidence (a UFDR can merge several, e.g. a
// logical and a file-system extraction of the same phone).
struct SourceExtraction {
  std::string id;    // as referenced by items (UFDR extractionInfo@id)
  std::string name;  // "Logical", "File System", "Legacy", ...
  std::string type;
  std::string device_name;  // as the tool labelled the device
  std::string full_name;
  bool partial = false;  // the tool marked the data partial
  bool operator==(const SourceExtraction&) const = default;
};

struct DeviceIdentity {
  std::string source;       // where this came from: "ufdr", "android_build_prop", "ios_info_plist", ...
  std::string source_path;  // logical path of the file read (e.g. "report.xml")

  std::string manufacturer;  // "Samsung", "Apple"
  std::string model;         // "SM-G991B", "iPhone 12"
  std::string device_name;   // the name the tool or the user gave the device
  std::string os_type;       // "Android", "iOS"
  std::string os_version;
  std::string serial;
  std::vector<std::string> imeis;
  std::vector<std::string> msisdns;  // the last-used number first, when the source says which
  std::vector<std::string> iccids;
  std::vector<std::string> imsis;

  // How the evidence was made.
  std::string tool;  // "Cellebrite UFED Physical Analyzer"
  std::string tool_version;
  std::string extraction_type;   // e.g. UFDR project@extractionType
  std::string extraction_start;  // verbatim
  std::string extraction_end;    // verbatim
  std::optional<int64_t> extraction_start_utc_ms;
  std::optional<int64_t> extraction_end_utc_ms;
  std::vector<SourceExtraction> extractions;

  // Every device/extraction property the source lists, verbatim and in
  // order, as (section, name, value): nothing the source says is dropped
  // even when it has no field above.
  struct Property {
    std::string section, name, value;
    bool operator==(const Property&) const = default;
  };
  std::vector<Property> properties;

  [[nodiscard]] bool empty() const noexcept {
    return manufacturer.empty() && model.empty() && os_type.empty() && imeis.empty() && msisdns.empty() &&
           properties.empty() && extractions.empty();
  }
  bool operator==(const DeviceIdentity&) const = default;
};

// Reads the device identity from a Cellebrite UFDR (a Source whose root
// holds report.xml, zipped or unzipped): project attributes,
// sourceExtractions and the metadata sections ("Device Info", "Extraction
// Data", "Additional Fields"). Streams report.xml and stops before the
// decoded data, so it costs a small fraction of a full parse.
// Errors: not_found when there is no root report.xml; malformed when the
// XML breaks before the metadata could be read. Thread-safe if the
// source's read functions are (they are).
[[nodiscard]] Result<DeviceIdentity> read_ufdr_device_identity(const Source& source);

}  // namespace remit
