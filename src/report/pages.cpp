// report.html and transparency.html (docs/reports.md).
//
// Templates are kainjow mustache with a custom escape
// (report_html_escape): every {{value}} is escaped, and every value that
// comes from the evidence or the scope sits inside <bdi>. No template uses
// the unescaped forms (triple braces, or an ampersand after the opening
// braces); tests/report_output_test.cpp checks that.
// Pages carry no script at all, and a Content-Security-Policy whose only
// allowance is the SHA-256 of their own inline style.
#include <fmt/format.h>

#include <kainjow/mustache.hpp>
#include <map>
#include <set>

#include "package/scope_json.hpp"
#include "package/stats.hpp"
#include "remit/hash.hpp"
#include "remit/report.hpp"
#include "remit/signing.hpp"
#include "remit/text.hpp"
#include "report/model.hpp"

namespace remit::report {
namespace {

namespace mu = kainjow::mustache;

constexpr const char* kReportCss = R"CSS(
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif;margin:2rem auto;max-width:78rem;padding:0 1rem;color:#111;line-height:1.4}
h1{font-size:1.6rem}h2{font-size:1.3rem;margin-top:2rem;border-bottom:1px solid #ccc}h3{font-size:1.1rem}
table{border-collapse:collapse;width:100%;font-size:.9rem}th,td{border:1px solid #ccc;padding:.3rem .4rem;vertical-align:top;text-align:left}
th{background:#f2f2f2}dl{display:grid;grid-template-columns:max-content auto;gap:.2rem 1rem}dt{font-weight:600}dd{margin:0}
.text{white-space:pre-wrap;overflow-wrap:anywhere}.prov{font-family:monospace;font-size:.8rem;overflow-wrap:anywhere}
.flag{display:inline-block;background:#fde68a;border:1px solid #b45309;border-radius:3px;padding:0 .3rem;font-size:.8rem;margin:.1rem}
.muted{color:#555}.hash{font-family:monospace;font-size:.8rem;overflow-wrap:anywhere}
@media print{body{max-width:none;margin:0}h2{page-break-before:auto}tr{page-break-inside:avoid}}
)CSS";

constexpr const char* kTransparencyCss = R"CSS(
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif;margin:2rem auto;max-width:42rem;padding:0 1rem;color:#111;font-size:1.1rem;line-height:1.6}
h1{font-size:1.7rem}h2{font-size:1.3rem;margin-top:2rem}.big{font-size:1.25rem;font-weight:600;background:#eef6ff;border-left:6px solid #1d4ed8;padding:.6rem 1rem}
li{margin:.3rem 0}.muted{color:#444;font-size:.95rem}
@media print{body{max-width:none;margin:0}}
)CSS";

std::string csp_for(const std::string& css) {
  Hasher h;
  h.update(css);
  return fmt::format(
      "default-src 'none'; style-src 'sha256-{}'; img-src 'none'; font-src 'none'; "
      "connect-src 'none'; media-src 'none'; object-src 'none'; frame-src 'none'; "
      "base-uri 'none'; form-action 'none'",
      base64_encode(h.raw_final()));
}

std::string page(const std::string& title, const std::string& css, const std::string& body) {
  return fmt::format(
      "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
      "<meta http-equiv=\"Content-Security-Policy\" content=\"{}\">\n"
      "<meta name=\"referrer\" content=\"no-referrer\">\n"
      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
      "<title>{}</title>\n<style>{}</style>\n</head>\n<body>\n{}</body>\n</html>\n",
      csp_for(css), report_html_escape(title), css, body);
}

std::string render(const std::string& tmpl, const mu::data& d) {
  mu::mustache t{tmpl};
  t.set_custom_escape([](const std::string& s) { return report_html_escape(s); });
  if (!t.is_valid()) return "<p>template error: " + report_html_escape(t.error_message()) + "</p>";
  return t.render(d);
}

std::string jstr(const json& j, const char* key) {
  if (!j.is_object() || !j.contains(key) || !j[key].is_string()) return {};
  return j[key].get<std::string>();
}
uint64_t jnum(const json& j, const char* key) {
  if (!j.is_object() || !j.contains(key) || !j[key].is_number_unsigned()) return 0;
  return j[key].get<uint64_t>();
}

std::string capitalise(std::string s) {
  if (!s.empty() && s[0] >= 'a' && s[0] <= 'z') s[0] = static_cast<char>(s[0] - 'a' + 'A');
  return s;
}

// True when `phrase` already says where or how something is kept ("in the
// store", "at HQ", "securely by the police"), so that "is kept {phrase}"
// reads as a sentence without another preposition. ASCII, case-insensitive,
// whole first word.
bool starts_with_placement(std::string_view phrase) {
  static constexpr std::string_view kWords[] = {"in",     "at",     "on",    "by",       "with",
                                                "within", "inside", "under", "securely", "safely"};
  size_t n = 0;
  while (n < phrase.size() && phrase[n] != ' ') ++n;
  std::string first(phrase.substr(0, n));
  for (auto& c : first)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  for (auto w : kWords)
    if (first == w) return true;
  return false;
}

std::string join_words(const std::vector<std::string>& w, const char* last = "and") {
  std::string out;
  for (size_t i = 0; i < w.size(); ++i) {
    if (i) out += i + 1 == w.size() ? fmt::format(" {} ", last) : ", ";
    out += w[i];
  }
  return out;
}

mu::data str_list(const std::vector<std::string>& v) {
  mu::data l{mu::data::type::list};
  for (const auto& s : v) {
    mu::data o;
    o.set("v", s);
    l.push_back(o);
  }
  return l;
}

std::string category_plural(const std::string& token) {
  if (auto c = parse_category(token)) return std::string(plural_noun(*c));
  return token;
}

std::string party_words(const json& p) {
  const std::string kind = jstr(p, "kind");
  std::string masked = jstr(p, "masked");
  std::string digits;
  for (char c : jstr(p, "normalised"))
    if (c >= '0' && c <= '9') digits += c;
  if (kind == "phone" && digits.size() >= 4) return "the number ending " + digits.substr(digits.size() - 4);
  if (kind == "email") return "the email address " + masked;
  if (kind == "group") return "a group conversation";
  return "the account " + masked;
}

std::string tolerance_words(int64_t ms) {
  if (ms <= 0) return {};
  const int64_t min = ms / 60000;
  if (min < 60) return fmt::format("{} minute{}", min, min == 1 ? "" : "s");
  const int64_t h = min / 60;
  if (h < 48) return fmt::format("{} hour{}", h, h == 1 ? "" : "s");
  const int64_t d = h / 24;
  return fmt::format("{} day{}", d, d == 1 ? "" : "s");
}

std::string window_words(const json& w, const std::string& tz) {
  const std::string a = jstr(w, "start"), b = jstr(w, "end");
  auto day_only = [](const std::string& s) { return s.size() == 10 && s[4] == '-' && s[7] == '-'; };
  if (day_only(a) && day_only(b)) return fmt::format("from {} to {}", long_date(a), long_date(b));
  if (w.contains("start_ms") && w.contains("end_ms") && w["start_ms"].is_number_integer() &&
      w["end_ms"].is_number_integer())
    return fmt::format("from {} to {}", pkg::format_local_time(w["start_ms"].get<int64_t>(), tz),
                       pkg::format_local_time(w["end_ms"].get<int64_t>(), tz));
  return fmt::format("from {} to {}", a, b);
}

}  // namespace

std::string thousands(uint64_t n) {
  std::string s = std::to_string(n);
  for (int i = static_cast<int>(s.size()) - 3; i > 0; i -= 3) s.insert(static_cast<size_t>(i), ",");
  return s;
}

std::string percent_text(uint64_t part, uint64_t whole) {
  if (whole == 0) return part == 0 ? "none on the phone" : "100%";
  if (part == 0) return "0%";
  const double p = 100.0 * static_cast<double>(part) / static_cast<double>(whole);
  if (p < 0.1) return "less than 0.1%";
  if (p >= 99.95 && part < whole) return "more than 99.9%";
  if (p >= 10) return fmt::format("{:.0f}%", p);
  return fmt::format("{:.1f}%", p);
}

std::string long_date(const std::string& ymd) {
  if (ymd.size() != 10 || ymd[4] != '-' || ymd[7] != '-') return ymd;
  const int y = std::atoi(ymd.substr(0, 4).c_str());
  const int mo = std::atoi(ymd.substr(5, 2).c_str());
  const int d = std::atoi(ymd.substr(8, 2).c_str());
  if (mo < 1 || mo > 12 || d < 1 || d > 31) return ymd;
  return pkg::format_day_long(days_from_civil(y, static_cast<unsigned>(mo), static_cast<unsigned>(d)));
}

std::string long_date_time(const std::string& text) {
  // "2026-03-18T11:20:00" -> "18 March 2026 at 11:20"
  if (text.size() >= 16 && text[10] == 'T' && text[13] == ':') {
    const std::string day = long_date(text.substr(0, 10));
    if (day != text.substr(0, 10)) return day + " at " + text.substr(11, 5);
  }
  return long_date(text);
}

std::string local_time_text(const Model& m, const Item& it) {
  if (!it.time.utc_ms) return "undated";
  return pkg::format_local_time(*it.time.utc_ms, m.time_zone);
}

// ---------------------------------------------------------------- report.html

namespace {

constexpr const char* kReportBody = R"HTML(<header>
<h1>Examination report: case <bdi>{{case_reference}}</bdi></h1>
<p class="muted">For the examiner and the officer in the case. Every item below is within the recorded scope; nothing else was kept. Generated {{generated}} by <bdi>{{generated_by}}</bdi>.</p>
</header>
<section>
<h2>Package</h2>
<dl>
<dt>Case reference</dt><dd><bdi>{{case_reference}}</bdi></dd>
<dt>Offence</dt><dd><bdi>{{offence}}</bdi></dd>
<dt>Exhibit</dt><dd><bdi>{{exhibit}}</bdi></dd>
<dt>Device</dt><dd><bdi>{{device_description}}</bdi>{{#device_model}} — model <bdi>{{device_model}}</bdi>{{/device_model}}{{#device_os}}, OS <bdi>{{device_os}}</bdi>{{/device_os}}{{#device_serial}}, serial <bdi>{{device_serial}}</bdi>{{/device_serial}}{{#device_imei}}, IMEI <bdi>{{device_imei}}</bdi>{{/device_imei}}</dd>
<dt>Evidence</dt><dd><bdi>{{container_name}}</bdi> ({{container_size}} bytes), SHA-256 <span class="hash">{{container_sha256}}</span>{{#container_md5}}, MD5 <span class="hash">{{container_md5}}</span>{{/container_md5}}</dd>
<dt>Package</dt><dd><span class="hash">{{package_id}}</span> ({{kind}}){{#parent}}, supplements package <span class="hash">{{parent}}</span>{{/parent}}</dd>
<dt>Scope</dt><dd>version {{scope_version}}, SHA-256 <span class="hash">{{scope_sha256}}</span></dd>
<dt>Agreement</dt><dd><bdi>{{agreement_form}}</bdi> agreement by <bdi>{{agreement_by}}</bdi>, <bdi>{{agreement_time}}</bdi>; notice version <bdi>{{notice_version}}</bdi></dd>
<dt>Sanctioned by</dt><dd><bdi>{{sanction_rank}}</bdi> <bdi>{{sanction_name}}</bdi>, <bdi>{{sanction_time}}</bdi></dd>
<dt>Examiner</dt><dd><bdi>{{examiner}}</bdi></dd>
<dt>Extraction</dt><dd>{{started}} to {{finished}} (remit {{tool_version}})</dd>
<dt>Signed by</dt><dd>Ed25519 key <span class="hash">{{signer}}</span></dd>
<dt>Times shown in</dt><dd><bdi>{{time_zone}}</bdi> (UTC in each row's details)</dd>
</dl>
</section>
<section>
<h2>How much of the device this is</h2>
<table>
<thead><tr><th>Category</th><th>In scope</th><th>On the device</th><th>Share</th></tr></thead>
<tbody>
{{#summary}}<tr><td>{{category}}</td><td>{{in_scope}}</td><td>{{on_device}}</td><td>{{share}}</td></tr>
{{/summary}}<tr><td>people and numbers</td><td>{{parties_in}}</td><td>{{parties_device}}</td><td>{{parties_share}}</td></tr>
<tr><td>days</td><td>{{days_authorised}} authorised</td><td>{{days_device}} spanned by the device's data</td><td></td></tr>
</tbody>
</table>
</section>
{{#lines}}<section>
<h2>Line of enquiry <bdi>{{id}}</bdi>: {{count}} item{{^one}}s{{/one}}</h2>
<dl>
<dt>Purpose</dt><dd class="text"><bdi>{{purpose}}</bdi></dd>
<dt>Belief and basis</dt><dd class="text"><bdi>{{belief}}</bdi> — <bdi>{{basis}}</bdi></dd>
<dt>Categories</dt><dd>{{#categories}}<bdi>{{v}}</bdi> {{/categories}}</dd>
<dt>Parties</dt><dd>{{#parties}}<bdi>{{label}}</bdi>: <bdi>{{id}}</bdi><br>{{/parties}}{{^parties}}any{{/parties}}</dd>
<dt>Windows</dt><dd>{{#windows}}<bdi>{{start}}</bdi> to <bdi>{{end}}</bdi><br>{{/windows}}{{#tolerance}}edge tolerance {{tolerance}} (items inside it are flagged “near edge”){{/tolerance}}</dd>
{{#keywords_any}}<dt>Keywords</dt><dd>{{#keywords}}<bdi>{{v}}</bdi><br>{{/keywords}}</dd>{{/keywords_any}}
</dl>
{{#rows_any}}<table>
<thead><tr><th>Time</th><th>What</th><th>Parties</th><th>Content</th><th>Flags</th><th>Provenance</th></tr></thead>
<tbody>
{{#rows}}<tr>
<td>{{time_local}}<br><span class="muted">{{time_utc}}</span>{{#time_note}}<br><span class="muted">{{time_note}}</span>{{/time_note}}</td>
<td>{{category}}<br><bdi>{{service}}</bdi><br>{{direction}}{{#outcome}}<br>{{outcome}}{{/outcome}}{{#duration}}<br>{{duration}} s{{/duration}}</td>
<td>{{#parties}}<bdi>{{name}}</bdi> <bdi>{{id}}</bdi> ({{role}})<br>{{/parties}}{{#thread}}<span class="muted">conversation <bdi>{{thread}}</bdi></span>{{/thread}}</td>
<td class="text">{{#title}}<strong><bdi>{{title}}</bdi></strong><br>{{/title}}<bdi>{{body}}</bdi>{{#link}}<br><a href="{{href}}" rel="noopener noreferrer nofollow"><bdi>{{href}}</bdi></a>{{/link}}{{#url_text}}<br><bdi>{{url_text}}</bdi> <span class="muted">(not a web address: not a link)</span>{{/url_text}}{{#location}}<br>location <bdi>{{location}}</bdi>{{/location}}{{#files}}<br>file <bdi>{{name}}</bdi>{{#media}}: <span class="hash">{{media}}</span>{{/media}}{{#missing}} (not in the extraction){{/missing}}{{/files}}</td>
<td>{{#near_edge}}<span class="flag">near edge</span>{{/near_edge}}{{#deleted}}<span class="flag">deleted</span>{{/deleted}}{{#recovered}}<span class="flag">recovered</span>{{/recovered}}{{#system}}<span class="flag">system</span>{{/system}}{{#other_lines}}<span class="muted">also line <bdi>{{v}}</bdi></span> {{/other_lines}}</td>
<td class="prov"><bdi>{{forensic_path}}</bdi><br><bdi>{{parser}}</bdi> <bdi>{{parser_version}}</bdi>, <bdi>{{origin}}</bdi></td>
</tr>
{{/rows}}</tbody>
</table>{{/rows_any}}{{^rows_any}}<p>No items in scope for this line.</p>{{/rows_any}}
</section>
{{/lines}}<section>
<h2>Warnings recorded during extraction</h2>
{{#warnings_any}}<table><thead><tr><th>Parser</th><th>Code</th><th>Count</th><th>What</th></tr></thead><tbody>
{{#warnings}}<tr><td><bdi>{{parser}}</bdi></td><td><bdi>{{code}}</bdi></td><td>{{count}}</td><td><bdi>{{message}}</bdi>{{#path}}<br><span class="prov"><bdi>{{path}}</bdi></span>{{/path}}</td></tr>
{{/warnings}}</tbody></table>{{/warnings_any}}{{^warnings_any}}<p>None.</p>{{/warnings_any}}
</section>
<section>
<h2>Audit trail</h2>
<table><thead><tr><th>#</th><th>Time (UTC)</th><th>Action</th><th>Who</th><th>Scope</th></tr></thead><tbody>
{{#audit}}<tr><td>{{seq}}</td><td>{{time}}</td><td><bdi>{{action}}</bdi></td><td><bdi>{{who}}</bdi></td><td>v{{scope}}</td></tr>
{{/audit}}</tbody></table>
<p class="muted">The audit log (audit.jsonl) is hash-chained and signed; run <code>remit verify</code> on the package to check it and every file.</p>
</section>
)HTML";

mu::data party_data(const Party& p) {
  mu::data o;
  o.set("name", p.name);
  o.set("id", p.normalised.empty() ? p.raw : p.normalised);
  o.set("role", std::string(to_string(p.role)));
  return o;
}

mu::data row_data(const Model& m, const pkg::StoredItem& si, const std::string& line) {
  const Item& it = si.item;
  mu::data r;
  r.set("time_local", local_time_text(m, it));
  r.set("time_utc", it.time.utc_ms ? format_rfc3339_ms(*it.time.utc_ms) : std::string("no date recorded"));
  if (it.time.source == TimeSource::file_mtime)
    r.set("time_note", "file time (weaker)");
  else if (it.time.source == TimeSource::local_guess)
    r.set("time_note", "local time without offset");
  r.set("category", std::string(to_string(it.category)));
  r.set("service", it.service);
  r.set("direction", std::string(to_string(it.direction)));
  if (it.category == Category::call) r.set("outcome", std::string(to_string(it.outcome)));
  if (it.duration_s) r.set("duration", fmt::format("{:.0f}", *it.duration_s));
  mu::data parties{mu::data::type::list};
  for (const auto& p : it.parties) parties.push_back(party_data(p));
  r.set("parties", parties);
  if (!it.thread_name.empty() || !it.thread_id.empty())
    r.set("thread", it.thread_name.empty() ? it.thread_id : it.thread_name);
  if (!it.title.empty()) r.set("title", it.title);
  r.set("body", it.body);
  if (!it.url.empty()) {
    if (report_is_web_url(it.url)) {
      mu::data l;
      l.set("href", it.url);
      r.set("link", l);
    } else {
      r.set("url_text", it.url);
    }
  }
  if (it.location)
    r.set("location",
          fmt::format("{:.6f}, {:.6f}{}", it.location->lat, it.location->lon,
                      it.location->accuracy_m ? fmt::format(" (±{:.0f} m)", *it.location->accuracy_m) : std::string()));
  mu::data files{mu::data::type::list};
  std::vector<const FileRef*> refs;
  for (const auto& a : it.attachments) refs.push_back(&a);
  if (it.file) refs.push_back(&*it.file);
  for (size_t k = 0; k < refs.size(); ++k) {
    mu::data f;
    f.set("name", refs[k]->name.empty() ? refs[k]->path : refs[k]->name);
    if (k < si.media.size() && !si.media[k].empty()) f.set("media", si.media[k]);
    f.set("missing", refs[k]->missing);
    files.push_back(f);
  }
  r.set("files", files);
  r.set("near_edge", si.near_edge);
  r.set("deleted", it.deleted);
  r.set("recovered", it.recovered);
  r.set("system", it.system);
  std::vector<std::string> others;
  for (const auto& l : si.lines)
    if (l != line) others.push_back(l);
  r.set("other_lines", str_list(others));
  r.set("forensic_path", it.provenance.forensic_path());
  r.set("parser", it.provenance.parser);
  r.set("parser_version", it.provenance.parser_version);
  r.set("origin", it.provenance.origin);
  return r;
}

}  // namespace

std::string render_report_html(const Model& m) {
  const json& man = m.manifest;
  const json& sc = m.scope;
  mu::data d;
  d.set("case_reference", jstr(man, "case_reference"));
  d.set("offence", jstr(sc["case"], "offence"));
  d.set("exhibit", jstr(man, "exhibit_reference"));
  d.set("device_description", jstr(man["device"], "description"));
  for (auto [k, f] : {std::pair{"device_model", "model"}, std::pair{"device_os", "os_version"},
                      std::pair{"device_serial", "serial"}, std::pair{"device_imei", "imei"}})
    if (!jstr(man["device"], f).empty()) d.set(k, jstr(man["device"], f));
  d.set("container_name", jstr(man["container"], "name"));
  d.set("container_size", thousands(jnum(man["container"], "size")));
  d.set("container_sha256", jstr(man["container"], "sha256"));
  if (!jstr(man["container"], "md5").empty()) d.set("container_md5", jstr(man["container"], "md5"));
  d.set("package_id", jstr(man, "package_id"));
  d.set("kind", jstr(man, "kind"));
  if (man.contains("supplements")) d.set("parent", jstr(man["supplements"], "package_id"));
  d.set("scope_version", std::to_string(man["scope"].value("version", 0)));
  d.set("scope_sha256", jstr(man["scope"], "sha256"));
  d.set("agreement_form", jstr(sc["agreement"], "form"));
  d.set("agreement_by", jstr(sc["agreement"], "given_by"));
  d.set("agreement_time", jstr(sc["agreement"], "time"));
  d.set("notice_version", jstr(sc["agreement"], "notice_version"));
  d.set("sanction_rank", jstr(sc["authorisation"]["sanctioning"], "rank"));
  d.set("sanction_name", jstr(sc["authorisation"]["sanctioning"], "name"));
  d.set("sanction_time", jstr(sc["authorisation"], "sanction_time"));
  d.set("examiner", jstr(man, "examiner"));
  d.set("started", jstr(man, "started_utc"));
  d.set("finished", jstr(man, "finished_utc"));
  d.set("tool_version", jstr(man["tool"], "version"));
  d.set("signer", jstr(man["signer"], "fingerprint"));
  d.set("time_zone", m.time_zone);
  d.set("generated", m.generated_utc);
  d.set("generated_by", m.generated_by);

  mu::data summary{mu::data::type::list};
  const json& cats = m.stats["categories"];
  for (Category c : kAllCategories) {
    const std::string tok(to_string(c));
    if (!cats.contains(tok)) continue;
    const json& o = cats[tok];
    uint64_t in = jnum(o, "in_scope"), dev = jnum(o, "on_device");
    std::string label(plural_noun(c));
    if (c == Category::media) {
      in = jnum(o, "files_in_scope");
      dev = jnum(o, "files_on_device");
      label += " (distinct files)";
    }
    if (in == 0 && dev == 0) continue;
    mu::data row;
    row.set("category", label);
    row.set("in_scope", thousands(in));
    row.set("on_device", thousands(dev));
    row.set("share", percent_text(in, dev));
    summary.push_back(row);
  }
  d.set("summary", summary);
  const uint64_t pin = jnum(m.stats["parties"], "in_scope"), pdev = jnum(m.stats["parties"], "on_device");
  d.set("parties_in", thousands(pin));
  d.set("parties_device", thousands(pdev));
  d.set("parties_share", percent_text(pin, pdev));
  d.set("days_authorised", thousands(jnum(m.stats["days"], "authorised")));
  d.set("days_device", thousands(m.stats["days"].value("on_device", 0ULL)));

  mu::data lines{mu::data::type::list};
  for (const auto& l : sc["lines"]) {
    const std::string id = jstr(l, "id");
    mu::data ld;
    ld.set("id", id);
    ld.set("purpose", jstr(l, "purpose"));
    ld.set("belief", jstr(l, "belief"));
    ld.set("basis", jstr(l, "basis"));
    std::vector<std::string> cs;
    for (const auto& c : l["categories"]) cs.push_back(c.get<std::string>());
    ld.set("categories", str_list(cs));
    mu::data ps{mu::data::type::list};
    for (const auto& p : l["parties"]) {
      mu::data pd;
      pd.set("label", jstr(p, "label"));
      pd.set("id", jstr(p, "normalised"));
      ps.push_back(pd);
    }
    ld.set("parties", ps);
    mu::data ws{mu::data::type::list};
    for (const auto& w : l["windows"]) {
      mu::data wd;
      wd.set("start", jstr(w, "start"));
      wd.set("end", jstr(w, "end"));
      ws.push_back(wd);
    }
    ld.set("windows", ws);
    const int64_t tol = l.value("tolerance_ms", int64_t{0});
    if (tol > 0) ld.set("tolerance", tolerance_words(tol));
    std::vector<std::string> kws;
    for (const auto& k : l["keywords"])
      kws.push_back(jstr(k, "pattern") + (k.value("regex", false) ? " (regular expression)" : "") +
                    (jstr(k, "proposed_by").empty() ? "" : " — proposed by the " + jstr(k, "proposed_by")));
    ld.set("keywords_any", !kws.empty());
    ld.set("keywords", str_list(kws));
    mu::data rows{mu::data::type::list};
    uint64_t count = 0;
    for (const auto& si : m.items) {
      if (std::find(si.lines.begin(), si.lines.end(), id) == si.lines.end()) continue;
      rows.push_back(row_data(m, si, id));
      ++count;
    }
    ld.set("rows", rows);
    ld.set("rows_any", count > 0);
    ld.set("count", thousands(count));
    ld.set("one", count == 1);
    lines.push_back(ld);
  }
  d.set("lines", lines);

  mu::data warnings{mu::data::type::list};
  mu::data audit{mu::data::type::list};
  for (const auto& r : m.audit) {
    if (r.action == "warnings.recorded") {
      json det = json::parse(r.details_json, nullptr, false);
      if (!det.is_discarded() && det.contains("warnings"))
        for (const auto& w : det["warnings"]) {
          mu::data wd;
          wd.set("parser", jstr(w, "parser"));
          wd.set("code", jstr(w, "code"));
          wd.set("count", thousands(jnum(w, "count")));
          wd.set("message", jstr(w, "message"));
          if (!jstr(w, "path").empty()) wd.set("path", jstr(w, "path"));
          warnings.push_back(wd);
        }
    }
    mu::data a;
    a.set("seq", std::to_string(r.seq));
    a.set("time", r.time);
    a.set("action", r.action);
    a.set("who", r.who.examiner + " (" + r.who.user + "@" + r.who.host + ")");
    a.set("scope", std::to_string(r.scope_version));
    audit.push_back(a);
  }
  d.set("warnings_any", !warnings.is_empty_list());
  d.set("warnings", warnings);
  d.set("audit", audit);
  return page("Examination report: case " + jstr(man, "case_reference"), kReportCss, render(kReportBody, d));
}

// ---------------------------------------------------------- transparency.html

namespace {

constexpr const char* kTransparencyBody = R"HTML(<h1>What the police looked at on your phone</h1>
<p>This letter is for you. It explains what the police examined on your phone (<bdi>{{device}}</bdi>) for case <bdi>{{case_reference}}</bdi>, and how much that is compared with everything on the phone.</p>
<p class="big">{{headline}}</p>

<h2>What we looked at</h2>
<ul>
{{#lines}}<li><bdi>{{what}}</bdi>.{{#purpose}} Why: <bdi>{{purpose}}</bdi>.{{/purpose}}{{#tolerance}} We also included anything up to {{tolerance}} before or after these times, as was agreed.{{/tolerance}}</li>
{{/lines}}</ul>

<h2>How much of your phone that is</h2>
<ul>
{{#amounts}}<li>{{text}}</li>
{{/amounts}}<li>{{people}}</li>
<li>{{days}}</li>
</ul>

<h2>Nothing else was looked at</h2>
<p>Nothing else on your phone was examined, and nothing else was added to the case file. To give you the numbers above, the computer program counted the other items without anyone seeing them, and it did not keep them.</p>

<h2>Where the full copy of your phone is kept</h2>
<p>A full copy of the data on your phone is kept <bdi>{{held_at}}</bdi>{{#delete_by}} until <bdi>{{delete_by}}</bdi>. After that date, everything except what is listed above will be deleted{{/delete_by}}.{{#retention}} The reason it is kept: <bdi>{{retention}}</bdi>.{{/retention}}</p>

<h2>When you get your phone back</h2>
<p>{{#return_target}}We aim to give your phone back by <bdi>{{return_target}}</bdi>.{{/return_target}}{{^return_target}}We will tell you when your phone can be given back.{{/return_target}}</p>

{{#who_any}}<h2>Who will see what was looked at</h2>
<ul>{{#who}}<li><bdi>{{v}}</bdi></li>{{/who}}</ul>{{/who_any}}

<h2>If you have questions</h2>
<p>{{#contact}}You can ask <bdi>{{contact}}</bdi>.{{/contact}}{{#advocate}} You can also talk to an independent sexual violence adviser (ISVA): <bdi>{{advocate}}</bdi>.{{/advocate}}</p>
<p>You agreed to this examination{{#agreement_time}} on <bdi>{{agreement_time}}</bdi>{{/agreement_time}}. You can still withdraw your agreement; tell the person named above.</p>

<p class="muted">Reference: case <bdi>{{case_reference}}</bdi>, exhibit <bdi>{{exhibit}}</bdi>, package <bdi>{{package_id}}</bdi>, scope version {{scope_version}}. Made on {{generated}}.</p>
)HTML";

}  // namespace

std::string render_transparency_html(const Model& m) {
  const json& man = m.manifest;
  const json& sc = m.scope;
  const json& st = m.stats;
  mu::data d;
  d.set("case_reference", jstr(man, "case_reference"));
  d.set("exhibit", jstr(man, "exhibit_reference"));
  d.set("device",
        jstr(man["device"], "description").empty() ? std::string("your phone") : jstr(man["device"], "description"));
  d.set("package_id", jstr(man, "package_id"));
  d.set("scope_version", std::to_string(man["scope"].value("version", 0)));
  d.set("generated", long_date(m.generated_utc.substr(0, 10)));

  mu::data lines{mu::data::type::list};
  for (const auto& l : sc["lines"]) {
    std::vector<std::string> cats;
    for (const auto& c : l["categories"]) cats.push_back(category_plural(c.get<std::string>()));
    std::string what = capitalise(join_words(cats));
    std::vector<std::string> parties;
    for (const auto& p : l["parties"]) parties.push_back(party_words(p));
    if (!parties.empty()) what += " between you and " + join_words(parties, "or");
    std::vector<std::string> windows;
    for (const auto& w : l["windows"]) windows.push_back(window_words(w, m.time_zone));
    if (!windows.empty()) what += ", " + join_words(windows);
    mu::data ld;
    ld.set("what", what);
    std::string purpose = jstr(l, "purpose_plain").empty() ? jstr(l, "purpose") : jstr(l, "purpose_plain");
    while (!purpose.empty() && (purpose.back() == '.' || purpose.back() == ' ' || purpose.back() == '\n'))
      purpose.pop_back();
    if (!purpose.empty()) ld.set("purpose", purpose);
    const int64_t tol = l.value("tolerance_ms", int64_t{0});
    if (tol > 0) ld.set("tolerance", tolerance_words(tol));
    lines.push_back(ld);
  }
  d.set("lines", lines);

  // "312 of 48,210 messages (0.6%), with 1 of 611 contacts, over 5 of 2,555 days"
  mu::data amounts{mu::data::type::list};
  std::vector<std::string> headline_parts;
  std::set<std::string> authorised;
  for (const auto& c : st["authorised"]["categories"]) authorised.insert(c.get<std::string>());
  for (Category c : kAllCategories) {
    const std::string tok(to_string(c));
    if (!st["categories"].contains(tok)) continue;
    const json& o = st["categories"][tok];
    uint64_t in = jnum(o, "in_scope"), dev = jnum(o, "on_device");
    if (c == Category::media) {
      in = jnum(o, "files_in_scope");
      dev = jnum(o, "files_on_device");
    }
    if (in == 0 && !authorised.count(tok)) continue;
    const std::string text =
        fmt::format("{} of {} {} ({})", thousands(in), thousands(dev), plural_noun(c), percent_text(in, dev));
    mu::data a;
    a.set("text", text);
    amounts.push_back(a);
    if (dev > 0 || in > 0) headline_parts.push_back(text);
  }
  d.set("amounts", amounts);
  const uint64_t pin = jnum(st["parties"], "in_scope"), pdev = jnum(st["parties"], "on_device");
  const uint64_t dauth = jnum(st["days"], "authorised");
  const uint64_t ddev = st["days"].value("on_device", 0ULL);
  const std::string people = fmt::format("with {} of {} contacts", thousands(pin), thousands(pdev));
  const std::string days = dauth <= ddev ? fmt::format("over {} of {} days", thousands(dauth), thousands(ddev))
                                         : fmt::format("over {} days (your phone holds information from {} day{})",
                                                       thousands(dauth), thousands(ddev), ddev == 1 ? "" : "s");
  d.set("people", fmt::format("{} of the {} people or numbers found on your phone", thousands(pin), thousands(pdev)));
  d.set("days", dauth <= ddev ? fmt::format("{} of the {} days that your phone holds information about",
                                            thousands(dauth), thousands(ddev))
                              : fmt::format("{} days were allowed; your phone holds information from {} day{}",
                                            thousands(dauth), thousands(ddev), ddev == 1 ? "" : "s"));
  std::string headline = headline_parts.empty() ? std::string("Nothing") : join_words(headline_parts);
  headline += ", " + people + ", " + days + ".";
  d.set("headline", "We looked at " + headline);

  const json& h = sc["handling"];
  // "is kept {held}": a place as --held-at's help suggests it ("the
  // Digital Forensics Unit's evidence store") is put after "in"; a phrase
  // that already says how or where ("at ...", "securely ...") is kept.
  std::string held = m.held_at;
  if (held.empty()) held = "securely by the police";
  if (!starts_with_placement(held)) held = "in " + held;
  d.set("held_at", held);
  if (!jstr(h, "delete_out_of_scope_by").empty()) d.set("delete_by", long_date(jstr(h, "delete_out_of_scope_by")));
  if (!jstr(h, "retention_basis").empty()) d.set("retention", jstr(h, "retention_basis"));
  if (!jstr(h, "device_return_target").empty()) d.set("return_target", long_date(jstr(h, "device_return_target")));
  std::vector<std::string> who;
  if (h.contains("who_will_see") && h["who_will_see"].is_array())
    for (const auto& w : h["who_will_see"])
      if (w.is_string()) who.push_back(w.get<std::string>());
  d.set("who_any", !who.empty());
  d.set("who", str_list(who));
  if (!jstr(h, "contact").empty()) d.set("contact", jstr(h, "contact"));
  if (!jstr(h, "advocate_service").empty()) d.set("advocate", jstr(h, "advocate_service"));
  if (!jstr(sc["agreement"], "time").empty()) d.set("agreement_time", long_date_time(jstr(sc["agreement"], "time")));
  return page("What the police looked at on your phone", kTransparencyCss, render(kTransparencyBody, d));
}

}  // namespace remit::report
