#pragma once
// `remit report PKG --key KEYFILE`: the reports of a package, written into
// PKG/reports/ (docs/reports.md, docs/case-export.md):
//
//   report.html        examiner and officer: timeline per line of enquiry,
//                      near-edge flags, provenance of every item
//   transparency.html  the device user, in plain words
//   timeline.csv       every in-scope item, one row per (item, line)
//   locations.kml      in-scope items with a location
//   case.jsonld        CASE 1.3.0 / UCO 1.3.0 export; the scope is the
//                      authorisation of the investigative action
//   manifest.json      every report file with its SHA-256, the package
//                      manifest's SHA-256; signed in manifest.sig
//
// Contracts:
//  - The package must verify first; a package that does not is refused.
//  - Reports are built in a staging folder next to the package and swapped
//    in atomically; the run is recorded in the package audit (a new record
//    and a new seal). A failed or interrupted run leaves the package as it
//    was, still verifying.
//  - Safe output: pages are self-contained with a strict
//    Content-Security-Policy (no script at all); every string from the
//    evidence or the scope is escaped (bidirectional controls made
//    visible) and wrapped in <bdi>; only http/https URLs become links; CSV
//    cells that a spreadsheet would run as formulas are neutralised; KML
//    text is escaped.
//  - Reports hold only what the package holds (in-scope items), never more.

#include <atomic>
#include <filesystem>
#include <string>
#include <vector>

#include "remit/signing.hpp"
#include "remit/status.hpp"

namespace remit {

struct ReportOptions {
  std::string examiner;            // recorded in the audit (default: the OS user)
  std::string held_at;             // overrides the package's "where the full extraction is held"
  std::vector<PublicKey> trusted;  // passed to verify before reporting
  const std::atomic<bool>* cancel = nullptr;
};

struct ReportSummary {
  std::filesystem::path dir;       // PKG/reports
  std::vector<std::string> files;  // names inside reports/
  std::string reports_manifest_sha256;
  uint64_t items = 0;
};

[[nodiscard]] Result<ReportSummary> write_reports(const std::filesystem::path& pkg, const SigningKey& key,
                                                  const ReportOptions& options = {});

// Exposed for tests (src/report/render.cpp):
// HTML text escaping used by every page: & < > " ' escaped, bidirectional
// controls and other invisible format characters shown as "[U+202E]".
[[nodiscard]] std::string report_html_escape(std::string_view text);
// A CSV cell (RFC 4180, always quoted), neutralised against formula injection.
[[nodiscard]] std::string report_csv_cell(std::string_view text);
// XML text/attribute escaping for KML (invalid XML characters replaced).
[[nodiscard]] std::string report_xml_escape(std::string_view text);
// True only for http:// and https:// URLs (case-insensitive scheme, no
// leading spaces or control characters).
[[nodiscard]] bool report_is_web_url(std::string_view url);

}  // namespace remit
