// timeline.csv and locations.kml (docs/reports.md).
// CSV: RFC 4180, UTF-8 with a byte-order mark (so spreadsheets read it as
// UTF-8), CRLF line ends, every cell quoted and neutralised against
// formula injection (report_csv_cell). KML 2.2 (OGC 07-147r2): one
// Placemark per in-scope item with a location; all text XML-escaped.
#include <fmt/format.h>

#include "remit/report.hpp"
#include "report/model.hpp"

namespace remit::report {
namespace {

std::string parties_text(const Item& it) {
  std::string s;
  for (const auto& p : it.parties) {
    if (!s.empty()) s += "; ";
    if (!p.name.empty()) s += p.name + " ";
    s += p.normalised.empty() ? p.raw : p.normalised;
    s += " (" + std::string(to_string(p.role)) + ")";
  }
  return s;
}

std::string files_text(const pkg::StoredItem& si) {
  std::vector<const FileRef*> refs;
  for (const auto& a : si.item.attachments) refs.push_back(&a);
  if (si.item.file) refs.push_back(&*si.item.file);
  std::string s;
  for (size_t k = 0; k < refs.size(); ++k) {
    if (!s.empty()) s += "; ";
    s += refs[k]->name.empty() ? refs[k]->path : refs[k]->name;
    if (k < si.media.size() && !si.media[k].empty())
      s += " -> " + si.media[k];
    else if (refs[k]->missing)
      s += " (not in the extraction)";
  }
  return s;
}

}  // namespace

std::string render_timeline_csv(const Model& m) {
  static constexpr const char* kCols[] = {
      "line",    "time_local",    "time_utc",  "time_source",    "category", "service",   "direction",
      "outcome", "duration_s",    "parties",   "thread",         "title",    "body",      "url",
      "files",   "latitude",      "longitude", "near_edge",      "deleted",  "recovered", "system",
      "locator", "forensic_path", "parser",    "parser_version", "origin"};
  std::string out = "\xEF\xBB\xBF";
  bool first = true;
  for (const char* c : kCols) {
    if (!first) out += ',';
    out += report_csv_cell(c);
    first = false;
  }
  out += "\r\n";
  for (const auto& si : m.items) {
    const Item& it = si.item;
    for (const auto& line : si.lines) {
      const std::vector<std::string> cells = {
          line,
          local_time_text(m, it),
          it.time.utc_ms ? format_rfc3339_ms(*it.time.utc_ms) : std::string(),
          std::string(to_string(it.time.source)),
          std::string(to_string(it.category)),
          it.service,
          std::string(to_string(it.direction)),
          it.category == Category::call ? std::string(to_string(it.outcome)) : std::string(),
          it.duration_s ? fmt::format("{}", *it.duration_s) : std::string(),
          parties_text(it),
          it.thread_name.empty() ? it.thread_id : it.thread_name,
          it.title,
          it.body,
          it.url,
          files_text(si),
          it.location ? fmt::format("{:.7f}", it.location->lat) : std::string(),
          it.location ? fmt::format("{:.7f}", it.location->lon) : std::string(),
          si.near_edge ? "yes" : "no",
          it.deleted ? "yes" : "no",
          it.recovered ? "yes" : "no",
          it.system ? "yes" : "no",
          it.provenance.locator(),
          it.provenance.forensic_path(),
          it.provenance.parser,
          it.provenance.parser_version,
          it.provenance.origin,
      };
      for (size_t i = 0; i < cells.size(); ++i) {
        if (i) out += ',';
        out += report_csv_cell(cells[i]);
      }
      out += "\r\n";
    }
  }
  return out;
}

std::string render_locations_kml(const Model& m) {
  std::string out =
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
      "<kml xmlns=\"http://www.opengis.net/kml/2.2\">\n<Document>\n";
  out += fmt::format("<name>{}</name>\n",
                     report_xml_escape("In-scope locations: case " + m.manifest.value("case_reference", "")));
  out += fmt::format(
      "<description>{}</description>\n",
      report_xml_escape("Only items within scope version " + std::to_string(m.manifest["scope"].value("version", 0)) +
                        "; package " + m.manifest.value("package_id", "")));
  for (const auto& si : m.items) {
    const Item& it = si.item;
    if (!it.location) continue;
    const double lat = it.location->lat, lon = it.location->lon;
    if (!(lat >= -90 && lat <= 90 && lon >= -180 && lon <= 180)) continue;
    std::string lines;
    for (const auto& l : si.lines) lines += (lines.empty() ? "" : ", ") + l;
    std::string desc = it.body.empty() ? it.title : it.body;
    desc += "\n\nLines: " + lines + (si.near_edge ? " (near edge)" : "");
    desc += "\nSource: " + it.provenance.forensic_path() + " (" + it.provenance.parser + " " +
            it.provenance.parser_version + ")";
    if (it.location->accuracy_m) desc += fmt::format("\nAccuracy: {:.0f} m", *it.location->accuracy_m);
    out += "<Placemark>\n";
    out += fmt::format("<name>{}</name>\n",
                       report_xml_escape(std::string(to_string(it.category)) + " " + local_time_text(m, it)));
    if (it.time.utc_ms)
      out += fmt::format("<TimeStamp><when>{}</when></TimeStamp>\n", format_rfc3339_ms(*it.time.utc_ms));
    out += fmt::format("<description>{}</description>\n", report_xml_escape(desc));
    out += fmt::format("<Point><coordinates>{:.7f},{:.7f}</coordinates></Point>\n", lon, lat);
    out += "</Placemark>\n";
  }
  out += "</Document>\n</kml>\n";
  return out;
}

}  // namespace remit::report
