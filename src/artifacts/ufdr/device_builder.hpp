#pragma once
// Filling remit::DeviceIdentity from report.xml pieces. Internal to
// src/artifacts/ufdr. Item names from casework parser_UFEDtoCASE.py
// (DeviceInfoDetectedPhoneModel, DeviceInfoOSType, IMEI, MSISDN, ICCID,
// IMSI, UFED_PA_Version, DeviceInfoExtractionStartDateTime, ...) and IPED
// UfedXmlReader.java (LastUsedMSISDN, section "Device Info").

#include "artifacts/ufdr/report_reader.hpp"
#include "remit/device.hpp"

namespace remit::ufdr {

void add_project(DeviceIdentity& d, const Attrs& project);
void add_extraction(DeviceIdentity& d, const Attrs& extraction_info);
void add_metadata(DeviceIdentity& d, const MetadataItem& item);

}  // namespace remit::ufdr
