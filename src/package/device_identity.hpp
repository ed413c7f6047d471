#pragma once
// The device's identity as far as the extraction records it: model, OS
// version, serial, IMEI. Internal to src/package; written into
// manifest.json ("device").
//
// Sources read (only these small files, bounded, read-only):
//  - Cellebrite UFDR: report.xml metadata through read_ufdr_device_identity()
//    (include/remit/device.hpp): manufacturer, model, OS, serial, IMEIs and
//    the acquisition tool;
//  - Android: system/build.prop (else vendor/build.prop, build.prop,
//    default.prop): ro.product.model / ro.product.system.model,
//    ro.product.manufacturer / ro.product.system.manufacturer,
//    ro.build.version.release, ro.build.fingerprint, ro.serialno /
//    ro.boot.serialno. (AOSP build/make/tools/buildinfo.sh)
//  - iOS backups: Info.plist at the backup root ("Product Type",
//    "Product Version", "Serial Number", "IMEI", "Unique Identifier").
//  - iOS file systems: System/Library/CoreServices/SystemVersion.plist
//    (ProductVersion, ProductBuildVersion).
// Values are device metadata, never message content; they are escaped
// wherever they are shown.

#include <string>
#include <vector>

#include "remit/source.hpp"

namespace remit::pkg {

struct DeviceInfo {
  std::string platform;  // "android", "ios", "" when unknown
  std::string manufacturer;
  std::string model;
  std::string os_version;
  std::string build;  // build fingerprint / build version
  std::string serial;
  std::string imei;                // the first IMEI
  std::vector<std::string> imeis;  // all of them, as the source lists them
  std::string udid;
  std::string acquired_with;         // "Cellebrite UFED Physical Analyzer 7.60" (UFDR)
  std::string extraction_type;       // UFDR project@extractionType
  std::vector<std::string> sources;  // logical paths read
  [[nodiscard]] bool empty() const noexcept {
    return model.empty() && os_version.empty() && serial.empty() && imei.empty();
  }
};

// Never fails: returns what could be found.
[[nodiscard]] DeviceInfo read_device_info(const Source& source);

// Exposed for tests: parse the bodies of the files named above.
void parse_build_prop(std::string_view text, DeviceInfo& out);
void parse_xml_plist_strings(std::string_view text, DeviceInfo& out);

}  // namespace remit::pkg
