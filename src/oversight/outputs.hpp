#pragma once
// Renderers for the published metrics document: CSV tables and the
// self-contained dashboard. Both read only the suppressed document, so no
// output can show what metrics.json does not.

#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <vector>

namespace remit::oversight {

// (file name, contents) for every CSV table.
[[nodiscard]] std::vector<std::pair<std::string, std::string>> render_tables(const nlohmann::json& doc);

// dashboard.html: inline SVG, a strict Content-Security-Policy (no script;
// the one <style> element is allowed by its SHA-256), every string escaped.
[[nodiscard]] std::string render_dashboard(const nlohmann::json& doc);

// HTML-escapes text (& < > " ') and wraps nothing; invalid UTF-8 is replaced.
[[nodiscard]] std::string html_escape(std::string_view s);

}  // namespace remit::oversight
