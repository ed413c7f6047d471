// Device identity from build.prop and plists (src/package/device_identity.hpp).
#include "package/device_identity.hpp"

#include <fstream>
#include <map>

#include "remit/device.hpp"
#include "remit/item.hpp"
#include "remit/text.hpp"

namespace remit::pkg {
namespace {

constexpr uint64_t kMaxPropBytes = 1 << 20;

std::string cleaned(std::string_view v) {
  std::string s(trim(v));
  if (s.size() > 200) s.resize(200);
  sanitize_utf8(s);
  return s;
}

void set_if_empty(std::string& field, std::string_view value) {
  if (field.empty() && !trim(value).empty()) field = cleaned(value);
}

std::string xml_unescape(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '&') {
      out += s[i];
      continue;
    }
    const auto semi = s.find(';', i);
    if (semi == std::string_view::npos || semi - i > 8) {
      out += s[i];
      continue;
    }
    const auto ent = s.substr(i + 1, semi - i - 1);
    if (ent == "amp")
      out += '&';
    else if (ent == "lt")
      out += '<';
    else if (ent == "gt")
      out += '>';
    else if (ent == "quot")
      out += '"';
    else if (ent == "apos")
      out += '\'';
    else {
      out += s[i];
      continue;
    }
    i = semi;
  }
  return out;
}

}  // namespace

void parse_build_prop(std::string_view text, DeviceInfo& out) {
  std::map<std::string, std::string, std::less<>> props;
  for (auto line : split(text, '\n')) {
    line = trim(line);
    if (line.empty() || line.front() == '#') continue;
    const auto eq = line.find('=');
    if (eq == std::string_view::npos) continue;
    props.emplace(std::string(trim(line.substr(0, eq))), std::string(trim(line.substr(eq + 1))));
  }
  auto get = [&](std::initializer_list<std::string_view> keys) -> std::string {
    for (auto k : keys)
      if (auto it = props.find(k); it != props.end() && !it->second.empty()) return it->second;
    return {};
  };
  if (props.empty()) return;
  if (out.platform.empty()) out.platform = "android";
  set_if_empty(out.model, get({"ro.product.model", "ro.product.system.model", "ro.product.vendor.model"}));
  set_if_empty(out.manufacturer, get({"ro.product.manufacturer", "ro.product.system.manufacturer",
                                      "ro.product.vendor.manufacturer", "ro.product.brand"}));
  set_if_empty(out.os_version,
               get({"ro.build.version.release", "ro.system.build.version.release", "ro.vendor.build.version.release"}));
  set_if_empty(out.build, get({"ro.build.fingerprint", "ro.system.build.fingerprint", "ro.vendor.build.fingerprint"}));
  set_if_empty(out.serial, get({"ro.serialno", "ro.boot.serialno"}));
}

void parse_xml_plist_strings(std::string_view text, DeviceInfo& out) {
  // Only <key>K</key> followed by <string>V</string> pairs of a flat plist.
  auto value_of = [&](std::string_view key) -> std::string {
    const std::string k = "<key>" + std::string(key) + "</key>";
    const auto at = text.find(k);
    if (at == std::string_view::npos) return {};
    auto rest = text.substr(at + k.size());
    const auto ws = rest.find_first_not_of(" \t\r\n");
    if (ws == std::string_view::npos) return {};
    rest = rest.substr(ws);
    if (rest.substr(0, 8) != "<string>") return {};
    const auto end = rest.find("</string>");
    if (end == std::string_view::npos) return {};
    return xml_unescape(rest.substr(8, end - 8));
  };
  const std::string product = value_of("Product Type");
  const std::string pv = value_of("Product Version");
  const std::string sv = value_of("ProductVersion");
  if (!product.empty() || !pv.empty() || !sv.empty()) {
    if (out.platform.empty()) out.platform = "ios";
    if (out.manufacturer.empty()) out.manufacturer = "Apple";
  }
  set_if_empty(out.model, product);
  set_if_empty(out.os_version, pv);
  set_if_empty(out.os_version, sv);
  set_if_empty(out.build, value_of("Build Version"));
  set_if_empty(out.build, value_of("ProductBuildVersion"));
  set_if_empty(out.serial, value_of("Serial Number"));
  set_if_empty(out.imei, value_of("IMEI"));
  if (!out.imei.empty() && out.imeis.empty()) out.imeis.push_back(out.imei);
  set_if_empty(out.udid, value_of("Unique Identifier"));
}

DeviceInfo read_device_info(const Source& source) {
  DeviceInfo info;
  if (source.kind() == SourceKind::ufdr) {
    if (auto d = read_ufdr_device_identity(source)) {
      const std::string os = ascii_lower(d->os_type);
      if (os.find("android") != std::string::npos)
        info.platform = "android";
      else if (os.find("ios") != std::string::npos || os.find("iphone") != std::string::npos)
        info.platform = "ios";
      set_if_empty(info.manufacturer, d->manufacturer);
      set_if_empty(info.model, d->model);
      set_if_empty(info.os_version, d->os_version);
      set_if_empty(info.serial, d->serial);
      for (const auto& imei : d->imeis)
        if (!trim(imei).empty() && info.imeis.size() < 8) info.imeis.push_back(cleaned(imei));
      if (!info.imeis.empty()) info.imei = info.imeis.front();
      if (!d->tool.empty())
        info.acquired_with = cleaned(d->tool + (d->tool_version.empty() ? "" : " " + d->tool_version));
      set_if_empty(info.extraction_type, d->extraction_type);
      info.sources.push_back(d->source_path.empty() ? std::string("report.xml") : cleaned(d->source_path));
    }
  }
  auto read_entry = [&](const Entry* e) -> std::string {
    if (!e || e->size > kMaxPropBytes) return {};
    auto b = source.read(*e, kMaxPropBytes);
    if (!b) return {};
    return std::string(b->begin(), b->end());
  };
  for (std::string_view p :
       {"system/build.prop", "system/system/build.prop", "vendor/build.prop", "build.prop", "default.prop"}) {
    const Entry* e = source.find(p);
    if (!e) {
      auto v = source.find_suffix(p);
      if (!v.empty() && p.find('/') != std::string_view::npos) e = v.front();
    }
    if (!e) continue;
    const std::string text = read_entry(e);
    if (text.empty()) continue;
    parse_build_prop(text, info);
    info.sources.push_back(e->path);
  }
  if (const Entry* e = source.find("System/Library/CoreServices/SystemVersion.plist")) {
    const std::string text = read_entry(e);
    if (!text.empty()) {
      parse_xml_plist_strings(text, info);
      info.sources.push_back(e->path);
    }
  }
  if (source.kind() == SourceKind::itunes_backup) {
    // Info.plist sits at the backup root, outside the backed-up domains.
    std::ifstream in(source.location() / "Info.plist", std::ios::binary);
    if (in) {
      std::string text(kMaxPropBytes, '\0');
      in.read(text.data(), static_cast<std::streamsize>(text.size()));
      text.resize(static_cast<size_t>(in.gcount()));
      if (text.rfind("<?xml", 0) == 0 || text.find("<plist") != std::string::npos) {
        parse_xml_plist_strings(text, info);
        info.sources.push_back("Info.plist");
      }
    }
  }
  return info;
}

}  // namespace remit::pkg
