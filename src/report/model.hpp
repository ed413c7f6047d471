#pragma once
// A verified package, loaded for rendering. Internal to src/report.
// Every renderer is a pure function of this model (no I/O), so tests can
// drive them directly.

#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "package/items_db.hpp"
#include "remit/audit.hpp"

namespace remit::report {

using json = nlohmann::json;

struct Model {
  std::filesystem::path root;
  std::string manifest_text;
  json manifest;
  json stats;
  json scope;  // scope.json
  std::vector<pkg::StoredItem> items;
  std::vector<AuditRecord> audit;  // records (without the seal)
  std::string held_at;             // where the full extraction is held
  std::string generated_utc;
  std::string generated_by;
  std::string signer_fingerprint;  // the key signing these reports
  std::string time_zone;           // the case's
};

[[nodiscard]] std::string render_report_html(const Model& m);
[[nodiscard]] std::string render_transparency_html(const Model& m);
[[nodiscard]] std::string render_timeline_csv(const Model& m);
[[nodiscard]] std::string render_locations_kml(const Model& m);
[[nodiscard]] std::string render_case_jsonld(const Model& m);

// Shared helpers (src/report/pages.cpp).
[[nodiscard]] std::string thousands(uint64_t n);
[[nodiscard]] std::string percent_text(uint64_t part, uint64_t whole);
[[nodiscard]] std::string local_time_text(const Model& m, const Item& it);
// "13 March 2026" from "2026-03-13" (else the text as given).
[[nodiscard]] std::string long_date(const std::string& ymd);
// "18 March 2026 at 11:20" from "2026-03-18T11:20:00" (else long_date()).
[[nodiscard]] std::string long_date_time(const std::string& text);

}  // namespace remit::report
