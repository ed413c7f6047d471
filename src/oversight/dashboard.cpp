// dashboard.html: one self-contained page with inline SVG charts, rendered
// from the published (suppressed) metrics document only.
//
// Safety: no script at all; the Content-Security-Policy allows nothing but
// the page's own <style> element (by SHA-256) and inline SVG. Every string
// that can come from the input (cohort labels, group values, column names)
// goes through html_escape. No style attributes are used (CSP would block
// them): SVG presentation attributes and classes only.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "oversight/outputs.hpp"
#include "remit/hash.hpp"
#include "remit/text.hpp"

namespace remit::oversight {

namespace {
using json = nlohmann::json;

constexpr const char* kStyle =
    "body{font-family:system-ui,sans-serif;margin:2em;max-width:1100px;color:#"
    "222}"
    "h1{font-size:1.6em}h2{margin-top:2em;border-bottom:1px solid "
    "#ccc}h3{margin-bottom:.3em}"
    "table{border-collapse:collapse;margin:.5em 0 1.5em}td,th{border:1px solid "
    "#ccc;padding:3px 7px;"
    "text-align:right;font-size:.9em}th{background:#f3f3f3}td.l,th.l{text-"
    "align:left}"
    ".sup{color:#888;font-style:italic}.note{color:#555;font-size:.9em}"
    "svg{display:block;margin:.5em 0 1.5em;font-size:11px}"
    ".meta td{text-align:left}";

const char* kPalette[] = {"#1b6ca8", "#d1495b", "#2e933c", "#edae49", "#6a4c93", "#00798c", "#8c564b", "#444444"};

std::string base64(std::string_view raw) {
  static const char* k = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  size_t i = 0;
  for (; i + 2 < raw.size(); i += 3) {
    const uint32_t v = (static_cast<unsigned char>(raw[i]) << 16) | (static_cast<unsigned char>(raw[i + 1]) << 8) |
                       static_cast<unsigned char>(raw[i + 2]);
    out += k[v >> 18];
    out += k[(v >> 12) & 63];
    out += k[(v >> 6) & 63];
    out += k[v & 63];
  }
  if (i + 1 == raw.size()) {
    const uint32_t v = static_cast<unsigned char>(raw[i]) << 16;
    out += k[v >> 18];
    out += k[(v >> 12) & 63];
    out += "==";
  } else if (i + 2 == raw.size()) {
    const uint32_t v = (static_cast<unsigned char>(raw[i]) << 16) | (static_cast<unsigned char>(raw[i + 1]) << 8);
    out += k[v >> 18];
    out += k[(v >> 12) & 63];
    out += k[(v >> 6) & 63];
    out += '=';
  }
  return out;
}

std::string esc(const json& v) {
  return html_escape(v.is_string() ? v.get<std::string>() : v.dump());
}

std::string pct(double p) {
  return fmt::format("{:.1f}%", 100 * p);
}

std::string count_cell(const json& c) {
  if (c.value("suppressed", false)) return "<td class=\"sup\">suppressed</td>";
  if (!c.contains("count") || c["count"].is_null()) return "<td></td>";
  return fmt::format("<td class=\"n\">{}</td>", c["count"].get<int64_t>());
}

std::string rate_cell(const json& r) {
  if (r.value("suppressed", false)) return "<td class=\"sup\">suppressed</td>";
  if (r["share"].is_null()) return "<td>n/a</td>";
  return fmt::format("<td>{} <span class=\"note\">({}&#8211;{})</span></td>", pct(r["share"].get<double>()),
                     pct(r["ci95"][0].get<double>()), pct(r["ci95"][1].get<double>()));
}

std::string subset_name(const json& s) {
  std::string n = esc(s["cohort"]);
  if (s.contains("by"))
    n += " &#183; " + esc(s["by"]["column"]) + " = " +
         (s["by"]["value"].get<std::string>().empty() ? std::string("(empty)") : esc(s["by"]["value"]));
  return n;
}

// ---- charts -----------------------------------------------------------------

struct Frame {
  double w = 640, h = 260, left = 60, right = 20, top = 20, bottom = 40;
  double x0 = 0, x1 = 1, y0 = 0, y1 = 1;
  double px(double x) const { return left + (x - x0) / (x1 - x0) * (w - left - right); }
  double py(double y) const { return h - bottom - (y - y0) / (y1 - y0) * (h - top - bottom); }
};

std::string axes(const Frame& f, const std::string& xlabel, const std::string& ylabel, bool percent_y,
                 bool x_ticks = true) {
  std::string s;
  s += fmt::format(
      "<line x1=\"{:.1f}\" y1=\"{:.1f}\" x2=\"{:.1f}\" "
      "y2=\"{:.1f}\" stroke=\"#333\"/>",
      f.left, f.py(f.y0), f.w - f.right, f.py(f.y0));
  s += fmt::format(
      "<line x1=\"{:.1f}\" y1=\"{:.1f}\" x2=\"{:.1f}\" "
      "y2=\"{:.1f}\" stroke=\"#333\"/>",
      f.left, f.top, f.left, f.py(f.y0));
  for (int i = 0; i <= 4; ++i) {
    const double y = f.y0 + (f.y1 - f.y0) * i / 4.0;
    s += fmt::format(
        "<line x1=\"{:.1f}\" y1=\"{:.1f}\" x2=\"{:.1f}\" "
        "y2=\"{:.1f}\" stroke=\"#eee\"/>",
        f.left, f.py(y), f.w - f.right, f.py(y));
    s += fmt::format("<text x=\"{:.1f}\" y=\"{:.1f}\" text-anchor=\"end\">{}</text>", f.left - 4, f.py(y) + 4,
                     percent_y ? fmt::format("{:.0f}%", 100 * y) : fmt::format("{:.2g}", y));
  }
  for (int i = 0; i <= 5 && x_ticks; ++i) {
    const double x = f.x0 + (f.x1 - f.x0) * i / 5.0;
    s += fmt::format("<text x=\"{:.1f}\" y=\"{:.1f}\" text-anchor=\"middle\">{:.0f}</text>", f.px(x), f.py(f.y0) + 14,
                     x);
  }
  s += fmt::format("<text x=\"{:.1f}\" y=\"{:.1f}\" text-anchor=\"middle\">{}</text>", (f.left + f.w - f.right) / 2,
                   f.h - 6, xlabel);
  s += fmt::format(
      "<text x=\"12\" y=\"{:.1f}\" transform=\"rotate(-90 12 "
      "{:.1f})\" text-anchor=\"middle\">{}</text>",
      f.h / 2, f.h / 2, ylabel);
  return s;
}

std::string svg_open(const Frame& f, const std::string& title, const std::string& cls) {
  return fmt::format(
      "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"{}\" "
      "width=\"{:.0f}\" height=\"{:.0f}\" "
      "viewBox=\"0 0 {:.0f} {:.0f}\" role=\"img\" "
      "aria-label=\"{}\"><title>{}</title>",
      cls, f.w, f.h, f.w, f.h, title, title);
}

std::string funnel_chart(const json& s) {
  Frame f;
  f.h = 40 + 26.0 * static_cast<double>(s["funnel"].size());
  f.left = 150;
  std::string out = svg_open(f, "Stage funnel, " + subset_name(s) + " (share of all reports)", "chart funnel");
  double y = 20;
  for (const auto& st : s["funnel"]) {
    out += fmt::format("<text x=\"{:.0f}\" y=\"{:.0f}\" text-anchor=\"end\">{}</text>", f.left - 6, y + 14,
                       esc(st["stage"]));
    if (st.value("suppressed", false) || st["share"].is_null()) {
      out += fmt::format("<text x=\"{:.0f}\" y=\"{:.0f}\" fill=\"#888\">suppressed</text>", f.left + 4, y + 14);
    } else {
      const double p = st["share"].get<double>();
      const double width = p * (f.w - f.left - 90);
      out += fmt::format(
          "<rect x=\"{:.0f}\" y=\"{:.0f}\" width=\"{:.1f}\" "
          "height=\"18\" fill=\"#1b6ca8\"/>",
          f.left, y, width);
      out += fmt::format(
          "<text x=\"{:.1f}\" y=\"{:.0f}\"><tspan "
          "class=\"n\">{}</tspan> ({})</text>",
          f.left + width + 4, y + 14, st["count"].get<int64_t>(), pct(p));
    }
    y += 26;
  }
  return out + "</svg>";
}

// Step curve as a path; `value` picks the y value of a step.
template <class F>
std::string step_path(const Frame& f, const json& steps, double start, F value, const char* colour, double xmax) {
  std::string d = fmt::format("M{:.1f},{:.1f}", f.px(0), f.py(start));
  double prev = start;
  for (const auto& st : steps) {
    const double x = std::min(st["day"].get<double>(), xmax);
    const double v = value(st);
    d += fmt::format(" L{:.1f},{:.1f} L{:.1f},{:.1f}", f.px(x), f.py(prev), f.px(x), f.py(v));
    prev = v;
    if (st["day"].get<double>() >= xmax) break;
  }
  return fmt::format("<path d=\"{}\" fill=\"none\" stroke=\"{}\" stroke-width=\"2\"/>", d, colour);
}

double curve_xmax(const json& steps) {
  double m = 30;
  for (const auto& st : steps) m = std::max(m, st["day"].get<double>());
  return std::min(m, 1095.0);
}

std::string km_chart(const json& s) {
  const auto& km = s["kaplan_meier"];
  Frame f;
  f.x1 = curve_xmax(km["steps"]);
  std::string out = svg_open(f, "Kaplan-Meier: share not yet withdrawn, " + subset_name(s), "chart km");
  out += axes(f, "days since report", "not withdrawn", true);
  if (km.value("suppressed", false)) {
    out += "<text x=\"80\" y=\"60\" fill=\"#888\">suppressed</text>";
  } else {
    // interval band as two thin paths
    out += step_path(
        f, km["steps"], 1.0, [](const json& st) { return st["ci95"][0].get<double>(); }, "#9ecae1", f.x1);
    out += step_path(
        f, km["steps"], 1.0, [](const json& st) { return st["ci95"][1].get<double>(); }, "#9ecae1", f.x1);
    out += step_path(
        f, km["steps"], 1.0, [](const json& st) { return st["survival"].get<double>(); }, kPalette[0], f.x1);
  }
  return out + "</svg>";
}

std::string cif_chart(const json& s) {
  const auto& cif = s["cumulative_incidence"];
  Frame f;
  f.x1 = curve_xmax(cif["steps"]);
  std::string out = svg_open(f, "Cumulative incidence (Aalen-Johansen), " + subset_name(s), "chart cif");
  out += axes(f, "days since report", "cumulative incidence", true);
  if (cif.value("suppressed", false)) {
    out += "<text x=\"80\" y=\"60\" fill=\"#888\">suppressed</text>";
  } else {
    const char* keys[] = {"withdrawal", "no_further_action", "charge"};
    const char* names[] = {"withdrawal", "no further action", "charge"};
    for (int k = 0; k < 3; ++k) {
      out += step_path(
          f, cif["steps"], 0.0, [&](const json& st) { return st[keys[k]].get<double>(); }, kPalette[k], f.x1);
      out += fmt::format(
          "<rect x=\"{:.0f}\" y=\"{}\" width=\"10\" "
          "height=\"10\" fill=\"{}\"/><text x=\"{:.0f}\" "
          "y=\"{}\">{}</text>",
          f.left + 10, 24 + 14 * k, kPalette[k], f.left + 24, 33 + 14 * k, names[k]);
    }
  }
  return out + "</svg>";
}

// Dots with interval bars: withdrawal shares (of reports) per cohort.
std::string rates_chart(const json& cohorts) {
  Frame f;
  f.h = 300;
  const size_t n = cohorts.size();
  f.x0 = 0;
  f.x1 = static_cast<double>(std::max<size_t>(n, 1));
  std::string out = svg_open(f, "Withdrawal as a share of all reports, with Wilson 95% intervals", "chart rates");
  out += axes(f, "cohort", "share of reports", true, false);
  const char* names[] = {"within 7 days", "within 30 days", "ever"};
  for (size_t i = 0; i < n; ++i) {
    const auto& w = cohorts[i]["withdrawal"];
    const json* rs[] = {&w["within_7_days"]["share_of_reports"], &w["within_30_days"]["share_of_reports"],
                        &w["withdrawn"]};
    const double base = static_cast<double>(i) + 0.25;
    for (int k = 0; k < 3; ++k) {
      const double x = f.px(base + 0.25 * k);
      const json& r = *rs[k];
      if (r.value("suppressed", false) || r["share"].is_null()) continue;
      out += fmt::format(
          "<line x1=\"{:.1f}\" y1=\"{:.1f}\" x2=\"{:.1f}\" "
          "y2=\"{:.1f}\" stroke=\"{}\" "
          "stroke-width=\"2\" class=\"interval\"/>",
          x, f.py(r["ci95"][0].get<double>()), x, f.py(r["ci95"][1].get<double>()), kPalette[k]);
      out += fmt::format("<circle cx=\"{:.1f}\" cy=\"{:.1f}\" r=\"4\" fill=\"{}\"/>", x, f.py(r["share"].get<double>()),
                         kPalette[k]);
    }
    out += fmt::format("<text x=\"{:.1f}\" y=\"{:.1f}\" text-anchor=\"middle\">{}</text>", f.px(base + 0.25),
                       f.py(0) + 28, esc(cohorts[i]["cohort"]));
  }
  for (int k = 0; k < 3; ++k)
    out += fmt::format(
        "<circle cx=\"{:.0f}\" cy=\"{}\" r=\"4\" "
        "fill=\"{}\"/><text x=\"{:.0f}\" y=\"{}\">{}</text>",
        f.left + 14, 28 + 14 * k, kPalette[k], f.left + 22, 32 + 14 * k, names[k]);
  return out + "</svg>";
}

// Forest plot of hazard ratios (log scale).
std::string forest_chart(const json& s) {
  const auto& hrs = s["device_requests"]["hazard_ratios"];
  Frame f;
  f.left = 260;
  f.h = 50 + 18.0 * static_cast<double>(hrs.size());
  f.x0 = std::log(0.25);
  f.x1 = std::log(8.0);
  std::string out =
      svg_open(f, "Device requests and withdrawal: hazard ratios vs no request yet, " + subset_name(s), "chart forest");
  const double top = 20;
  out += fmt::format(
      "<line x1=\"{:.1f}\" y1=\"{:.0f}\" x2=\"{:.1f}\" "
      "y2=\"{:.1f}\" stroke=\"#999\" "
      "stroke-dasharray=\"4 3\"/>",
      f.px(0), top - 6, f.px(0), f.h - 30);
  for (double tick : {0.25, 0.5, 1.0, 2.0, 4.0, 8.0})
    out += fmt::format("<text x=\"{:.1f}\" y=\"{:.1f}\" text-anchor=\"middle\">{:g}</text>", f.px(std::log(tick)),
                       f.h - 14, tick);
  double y = top;
  for (const auto& c : hrs) {
    out += fmt::format("<text x=\"{:.0f}\" y=\"{:.0f}\" text-anchor=\"end\">{}: {}</text>", f.left - 6, y + 4,
                       esc(c["family"]), esc(c["band"]));
    if (c.value("suppressed", false)) {
      out += fmt::format("<text x=\"{:.0f}\" y=\"{:.0f}\" fill=\"#888\">suppressed</text>", f.left + 4, y + 4);
    } else if (c["hazard_ratio"].is_null()) {
      out += fmt::format("<text x=\"{:.0f}\" y=\"{:.0f}\" fill=\"#888\">not estimable</text>", f.left + 4, y + 4);
    } else {
      auto clampx = [&](double v) { return f.px(std::clamp(std::log(v), f.x0, f.x1)); };
      out += fmt::format(
          "<line x1=\"{:.1f}\" y1=\"{:.0f}\" x2=\"{:.1f}\" "
          "y2=\"{:.0f}\" stroke=\"#333\" "
          "class=\"interval\"/>",
          clampx(c["ci95"][0].get<double>()), y, clampx(c["ci95"][1].get<double>()), y);
      out += fmt::format(
          "<rect x=\"{:.1f}\" y=\"{:.0f}\" width=\"7\" "
          "height=\"7\" fill=\"#d1495b\"/>",
          clampx(c["hazard_ratio"].get<double>()) - 3.5, y - 3.5);
    }
    y += 18;
  }
  return out + "</svg>";
}

std::string summary_table(const json& subsets) {
  std::string t =
      "<table><tr><th "
      "class=\"l\">cohort</th><th>reports</th><th>withdrawn<br>(of "
      "reports)</th><th>within 7 days<br>"
      "(of reports)</th><th>within 7 days<br>(of withdrawals)</th><th>within "
      "30 days<br>(of reports)</th><th>within "
      "30 days<br>(of withdrawals)</th><th>median days<br>(among "
      "withdrawals)</th><th>trial<br>(of reports)</th>"
      "<th>convicted<br>(of reports)</th></tr>";
  for (const auto& s : subsets) {
    const auto& w = s["withdrawal"];
    t += "<tr><td class=\"l\">" + subset_name(s) + "</td>" + count_cell(s["reports"]) + rate_cell(w["withdrawn"]) +
         rate_cell(w["within_7_days"]["share_of_reports"]) + rate_cell(w["within_7_days"]["share_of_withdrawals"]) +
         rate_cell(w["within_30_days"]["share_of_reports"]) + rate_cell(w["within_30_days"]["share_of_withdrawals"]) +
         (w["median_days_among_withdrawals"].is_null()
              ? std::string("<td class=\"sup\">&#8212;</td>")
              : fmt::format("<td>{:g}</td>", w["median_days_among_withdrawals"].get<double>())) +
         rate_cell(s["trial"]) + rate_cell(s["convicted"]) + "</tr>";
  }
  return t + "</table>";
}

}  // namespace

std::string html_escape(std::string_view in) {
  const std::string s = printable(in);  // also neutralises bidi overrides and control characters
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string render_dashboard(const json& doc) {
  Hasher h;
  h.update(std::string_view(kStyle));
  const std::string style_hash = base64(h.raw_final());
  const auto& p = doc["parameters"];
  std::string o;
  o += "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">";
  o += "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src "
       "'none'; style-src 'sha256-" +
       style_hash +
       "'; img-src 'none'; script-src 'none'; base-uri 'none'; form-action "
       "'none'\">";
  o += "<meta name=\"referrer\" content=\"no-referrer\">";
  o += "<title>remit oversight dashboard</title><style>";
  o += kStyle;
  o += "</style></head><body>";
  o += "<h1>Attrition and device requests: oversight dashboard</h1>";
  o += "<table class=\"meta\">";
  o += "<tr><th class=\"l\">input</th><td>" + esc(doc["input"]["file"]) + "</td></tr>";
  o += "<tr><th class=\"l\">input SHA-256</th><td>" + esc(doc["input"]["sha256"]) + "</td></tr>";
  o += "<tr><th class=\"l\">data date (censoring)</th><td>" + esc(p["data_date"]) + " (" + esc(p["data_date_source"]) +
       ")</td></tr>";
  o += "<tr><th class=\"l\">cohorts by</th><td>" + esc(p["cohort_by"]) + "</td></tr>";
  o += "<tr><th class=\"l\">small-cell threshold</th><td>" + esc(p["min_cell"]) +
       " (cells below it are shown as &#8220;suppressed&#8221;)</td></tr>";
  o += "<tr><th class=\"l\">tool</th><td>remit " + esc(doc["tool"]["version"]) + "</td></tr></table>";
  o += "<p class=\"note\">Shares say which denominator they use. Intervals are "
       "95% (Wilson for shares, Newcombe for "
       "differences, Wald for hazard ratios). Within N days means withdrawn_at "
       "minus reported_at is at most N "
       "calendar days.</p>";

  o += "<h2>Summary per cohort</h2>" + summary_table(doc["cohorts"]);
  o += "<h2>Withdrawal rates</h2>" + rates_chart(doc["cohorts"]);
  o += "<h2>Change from the previous cohort</h2><table><tr><th "
       "class=\"l\">cohort</th><th class=\"l\">previous</th>"
       "<th class=\"l\">measure (share of "
       "reports)</th><th>difference</th><th>95% interval</th></tr>";
  for (const auto& s : doc["cohorts"]) {
    const auto& ch = s["change_from_previous"];
    if (ch.is_null()) continue;
    for (const auto& m : ch["measures"]) {
      o += "<tr><td class=\"l\">" + esc(s["cohort"]) + "</td><td class=\"l\">" + esc(ch["previous_cohort"]) +
           "</td><td class=\"l\">" + esc(m["measure"]) + "</td>";
      if (m.value("suppressed", false))
        o += "<td class=\"sup\">suppressed</td><td "
             "class=\"sup\">suppressed</td>";
      else if (m["difference"].is_null())
        o += "<td>n/a</td><td></td>";
      else
        o += fmt::format("<td>{:+.1f} points</td><td>{:+.1f} to {:+.1f}</td>", 100 * m["difference"].get<double>(),
                         100 * m["ci95"][0].get<double>(), 100 * m["ci95"][1].get<double>());
      o += "</tr>";
    }
  }
  o += "</table>";

  for (const auto& s : doc["cohorts"]) {
    o += "<h2>Cohort " + esc(s["cohort"]) + "</h2>";
    o += "<h3>Stage funnel</h3>" + funnel_chart(s);
    o += "<h3>Time to withdrawal (Kaplan&#8211;Meier)</h3>" + km_chart(s);
    const auto& km = s["kaplan_meier"];
    if (!km["median_days"].is_null())
      o += "<p class=\"note\">Kaplan&#8211;Meier median: " + esc(km["median_days"]) + " days.</p>";
    o += "<h3>Cumulative incidence with competing events</h3>" + cif_chart(s);
    o += "<h3>Device requests and withdrawal</h3><p class=\"note\">" + esc(s["device_requests"]["method"]) + "</p>";
    o += forest_chart(s);
    o += "<table><tr><th class=\"l\">band</th><th>cases "
         "exposed</th><th>withdrawals while exposed</th><th>hazard "
         "ratio (95% CI)</th></tr>";
    for (const auto& c : s["device_requests"]["hazard_ratios"]) {
      o += "<tr><td class=\"l\">" + esc(c["family"]) + ": " + esc(c["band"]) + "</td>" +
           count_cell(c["exposed_cases"]) + count_cell(c["exposed_events"]);
      if (c.value("suppressed", false))
        o += "<td class=\"sup\">suppressed</td>";
      else if (c["hazard_ratio"].is_null())
        o += "<td>not estimable</td>";
      else
        o += fmt::format("<td>{:.2f} ({:.2f}&#8211;{:.2f})</td>", c["hazard_ratio"].get<double>(),
                         c["ci95"][0].get<double>(), c["ci95"][1].get<double>());
      o += "</tr>";
    }
    o += "</table>";
    o += "<h3>Outcomes where a device request was refused</h3><table><tr><th "
         "class=\"l\">status</th><th>refused "
         "(share of refusals)</th><th>not refused (share of requests not "
         "refused)</th></tr>";
    for (const auto& r : s["refusals"]["outcomes"])
      o += "<tr><td class=\"l\">" + esc(r["status"]) + "</td>" + rate_cell(r["refused"]) +
           rate_cell(r["requested_not_refused"]) + "</tr>";
    o += "</table>";
  }
  if (!doc["groups"].empty()) o += "<h2>Per group (--by)</h2>" + summary_table(doc["groups"]);

  const auto& q = doc["data_quality"];
  o += "<h2>Data quality</h2><table><tr><th "
       "class=\"l\">item</th><th>count</th></tr>";
  for (auto f : {"rows_read", "rows_used", "rows_skipped"})
    o += "<tr><td class=\"l\">" + std::string(f) + "</td>" + count_cell(q[f]) + "</tr>";
  for (const auto& e : q["skipped_by_kind"])
    o += "<tr><td class=\"l\">skipped: " + esc(e["kind"]) + "</td>" + count_cell(e) + "</tr>";
  for (const auto& e : q["missing_by_column"])
    o += "<tr><td class=\"l\">empty: " + esc(e["column"]) + "</td>" + count_cell(e) + "</tr>";
  for (const auto& e : q["consistency_notes"])
    o += "<tr><td class=\"l\">note: " + esc(e["note"]) + "</td>" + count_cell(e) + "</tr>";
  o += "</table>";
  o += "<p class=\"note\">" + esc(doc["suppression"]["secondary"]) + ". " + esc(doc["suppression"]["curves"]) +
       ".</p></body></html>\n";
  return o;
}

}  // namespace remit::oversight
