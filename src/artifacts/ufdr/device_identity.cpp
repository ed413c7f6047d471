// Device identity from a UFDR's report.xml (remit/device.hpp).
//
// References: casework CASE-Implementation-UFED-XML parser_UFEDtoCASE.py
// (metadata sections "Device Info", "Extraction Data", "Additional Fields";
// item names), IPED UfedXmlReader.java (MSISDN / LastUsedMSISDN,
// extractionInfo id/name), a published analysis of PA 7/10 reports
// (project@extractionType, extractionInfo attributes).
#include <algorithm>

#include "artifacts/ufdr/device_builder.hpp"
#include "artifacts/ufdr/ufdr_time.hpp"
#include "remit/text.hpp"
#include "source/ufdr_source.hpp"

namespace remit::ufdr {
namespace {

void add_unique(std::vector<std::string>& v, const std::string& s, bool front = false) {
  if (s.empty()) return;
  auto it = std::find(v.begin(), v.end(), s);
  if (it != v.end()) {
    if (front && it != v.begin()) {
      v.erase(it);
      v.insert(v.begin(), s);
    }
    return;
  }
  if (front)
    v.insert(v.begin(), s);
  else
    v.push_back(s);
}

bool truthy(std::string_view v) {
  return iequals(v, "true") || v == "1" || iequals(v, "yes");
}

void set_if_empty(std::string& field, const std::string& v) {
  if (field.empty()) field = v;
}

}  // namespace

void add_project(DeviceIdentity& d, const Attrs& project) {
  d.source = "ufdr";
  set_if_empty(d.extraction_type, std::string(find_attr(project, "extractionType")));
  for (const auto& [k, v] : project)
    if (k == "id" || k == "name" || k == "reportVersion" || k == "extractionType")
      d.properties.push_back({"project", k, v});
}

void add_extraction(DeviceIdentity& d, const Attrs& a) {
  SourceExtraction x;
  x.id = std::string(find_attr(a, "id"));
  x.name = std::string(find_attr(a, "name"));
  x.type = std::string(find_attr(a, "type"));
  x.device_name = std::string(find_attr(a, "deviceName"));
  x.full_name = std::string(find_attr(a, "fullName"));
  x.partial = truthy(find_attr(a, "IsPartialData"));
  d.extractions.push_back(std::move(x));
}

void add_metadata(DeviceIdentity& d, const MetadataItem& it) {
  if (it.value.empty()) return;
  d.properties.push_back({it.section, it.name, it.value});
  const std::string& n = it.name;
  const std::string& v = it.value;
  if (n == "DeviceInfoDetectedPhoneModel" || n == "DeviceInfoDetectedModel")
    d.model = v;
  else if (n == "DeviceInfoSelectedDeviceName" || n == "Model")
    set_if_empty(d.model, v), set_if_empty(d.device_name, v);
  else if (n == "DeviceInfoDetectedPhoneVendor" || n == "DeviceInfoDetectedManufacturer")
    d.manufacturer = v;
  else if (n == "DeviceInfoSelectedManufacturer" || n == "Vendor" || n == "Manufacturer")
    set_if_empty(d.manufacturer, v);
  else if (n == "DeviceInfoDeviceName" || n == "Device Name" || n == "DeviceName")
    d.device_name = v;
  else if (n == "DeviceInfoOSType" || n == "OS Type")
    d.os_type = v;
  else if (n == "DeviceInfoOSVersion" || n == "OS Version")
    d.os_version = v;
  else if (n == "DeviceInfoSerialNumber" || n == "Serial Number" || n == "Serial")
    set_if_empty(d.serial, v);
  else if (n == "MSISDN" || n == "DeviceInfoMSISDN" || n == "Phone Number")
    add_unique(d.msisdns, v);
  else if (n == "LastUsedMSISDN")
    add_unique(d.msisdns, v, true);
  else if (n == "ICCID" || n == "LastUsedICCID")
    add_unique(d.iccids, v, n == "LastUsedICCID");
  else if (n == "IMSI" || n == "LastUsedIMSI")
    add_unique(d.imsis, v, n == "LastUsedIMSI");
  else if (n == "UFED_PA_Version")
    d.tool = "Cellebrite UFED Physical Analyzer", d.tool_version = v;
  else if (n == "DeviceInfoExtractionStartDateTime") {
    d.extraction_start = v;
    if (auto t = parse_time(v)) d.extraction_start_utc_ms = t->utc_ms;
  } else if (n == "DeviceInfoExtractionEndDateTime") {
    d.extraction_end = v;
    if (auto t = parse_time(v)) d.extraction_end_utc_ms = t->utc_ms;
  } else {
    // IMEI, IMEI1, IMEI2, DeviceInfoIMEI, "IMEI 2" (but not IMEISV).
    const std::string up = ascii_lower(n);
    if (up.find("imei") != std::string::npos && up.find("imeisv") == std::string::npos) add_unique(d.imeis, v);
  }
}

namespace {

struct IdentityListener final : ReportListener {
  DeviceIdentity d;
  bool device_info_seen = false;
  bool stop = false;
  void project(const Attrs& a) override { add_project(d, a); }
  void extraction(const Attrs& a) override { add_extraction(d, a); }
  void metadata_item(MetadataItem&& it) override {
    if (it.section == "Device Info") device_info_seen = true;
    add_metadata(d, it);
  }
  void tagged_file(TaggedFile&&) override {
    if (device_info_seen) stop = true;  // the metadata precedes taggedFiles in every described report
  }
  void decoded_data_begin() override { stop = true; }
  [[nodiscard]] bool want_stop() const override { return stop; }
};

}  // namespace

}  // namespace remit::ufdr

namespace remit {

Result<DeviceIdentity> read_ufdr_device_identity(const Source& source) {
  const Entry* report = source.find("report.xml");
  if (!report) report = source.find("Report.xml");
  if (!report)
    for (const Entry& e : source.entries())
      if (e.type == EntryType::file && !e.duplicate && iequals(e.path, "report.xml")) report = &e;
  if (!report)
    return make_error(Errc::not_found, source.location().string() + ": no report.xml at the root; not a UFDR");
  ufdr::IdentityListener l;
  ufdr::ReportReader reader(l);
  auto st = detail::stream_entry_unshared(source, *report,
                                          [&](std::span<const unsigned char> chunk) { return reader.feed(chunk); });
  if (!st) return std::move(st).error();
  reader.finish();
  const auto& s = reader.stats();
  if (!s.complete && !s.stopped && l.d.empty())
    return make_error(Errc::malformed, source.location().string() + "!/" + report->path +
                                           ": report.xml is not well-formed before its metadata (line " +
                                           std::to_string(s.error_line) + ": " + s.error + ")");
  l.d.source = "ufdr";
  l.d.source_path = report->path;
  return std::move(l.d);
}

}  // namespace remit
