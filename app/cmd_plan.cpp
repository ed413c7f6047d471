// remit plan SCOPE.toml [--policy POLICY.toml] [--against PARENT.toml]
//                      [--notice-out DIR] [--json]
// Checks a scope against the proportionality rules (docs/policy.md), shows
// how it widens its parent version, and writes the notice to the device
// user (docs/notice.md). Exit codes: 0 no errors (warnings allowed), 1 the
// scope has errors, 2 usage or an unreadable/malformed file, 3 internal.
#include <fmt/format.h>

#include <cmath>
#include <cstdio>
#include <nlohmann/json.hpp>

#include "cli.hpp"
#include "remit/notice.hpp"
#include "remit/scope.hpp"
#include "remit/text.hpp"

namespace remit::cli {

namespace {

struct PlanOptions {
  std::string scope;
  std::string policy;
  std::string against;
  std::string notice_out;
  bool json = false;
};

// Errors that are expected while the notice is being given: the agreement
// is recorded after the person has read it.
bool blocks_notice(const PlanFinding& f) {
  return f.severity == Severity::error && f.rule != "agreement-missing" && f.rule != "responsible-adult-missing";
}

std::string severity_label(Severity s) {
  switch (s) {
    case Severity::error:
      return "ERROR  ";
    case Severity::warning:
      return "WARNING";
    case Severity::info:
      return "INFO   ";
  }
  return "ERROR  ";
}

int64_t window_days(const TimeWindow& w, int64_t tol) {
  constexpr int64_t kDay = 86400000;
  return (w.end_ms - w.start_ms + 2 * tol + kDay - 1) / kDay;
}

// With --json, a file that cannot be read still gives a JSON answer on
// stdout (plus the usual message on stderr).
ExitCode fail_plan(const PlanOptions& o, const std::string& which, const Error& e) {
  if (o.json) {
    nlohmann::ordered_json j;
    j["ok"] = false;
    j["error"] = {{"file", which}, {"message", e.message}};
    std::puts(j.dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace).c_str());
    std::fflush(stdout);
  }
  return fail(e);
}

ExitCode run_plan(const PlanOptions& o) {
  Policy policy = builtin_policy();
  if (!o.policy.empty()) {
    auto p = load_policy(o.policy);
    if (!p) return fail_plan(o, o.policy, p.error());
    policy = std::move(*p);
  }
  auto scope = load_scope(o.scope);
  if (!scope) return fail_plan(o, o.scope, scope.error());
  std::optional<Scope> parent;
  if (!o.against.empty()) {
    auto p = load_scope(o.against);
    if (!p) return fail_plan(o, o.against, p.error());
    parent = std::move(*p);
  }

  const auto findings = lint_scope(*scope, policy, parent ? &*parent : nullptr);
  auto notice = render_notice(*scope);
  if (!notice) return fail(notice.error());
  std::vector<ScopeChange> changes;
  if (parent) changes = diff_scopes(*parent, *scope);

  size_t errors = 0, warnings = 0, infos = 0;
  bool notice_blocked = false;
  for (const auto& f : findings) {
    (f.severity == Severity::error ? errors : f.severity == Severity::warning ? warnings : infos)++;
    notice_blocked = notice_blocked || blocks_notice(f);
  }

  std::string notice_written;
  std::string notice_refused;
  if (!o.notice_out.empty()) {
    if (notice_blocked) {
      notice_refused = "not written: the scope has errors that must be put right before the device user is asked";
    } else {
      auto w = write_notice(*scope, o.notice_out);
      if (!w) return fail_plan(o, o.notice_out, w.error());
      notice_written = o.notice_out;
    }
  }

  if (o.json) {
    using json = nlohmann::ordered_json;
    json j;
    j["scope"] = o.scope;
    j["sha256"] = scope->sha256;
    j["case_reference"] = scope->case_reference;
    j["version"] = scope->version;
    j["parent_version"] = scope->parent_version ? json(*scope->parent_version) : json(nullptr);
    j["time_zone"] = scope->time_zone;
    json lines = json::array();
    for (const auto& l : scope->lines) {
      json lj;
      lj["id"] = l.id;
      json cats = json::array();
      for (Category c : l.categories) cats.push_back(to_string(c));
      lj["categories"] = cats;
      lj["everything"] = l.everything;
      lj["parties"] = l.parties.size();
      json ws = json::array();
      for (const auto& w : l.windows)
        ws.push_back({{"start", w.start_text},
                      {"end", w.end_text},
                      {"start_utc", format_rfc3339_ms(w.start_ms)},
                      {"end_utc", format_rfc3339_ms(w.end_ms)},
                      {"days", window_days(w, l.tolerance_ms)}});
      lj["windows"] = ws;
      lj["tolerance_s"] = l.tolerance_ms / 1000;
      lj["summary"] = describe_line(*scope, l);
      lines.push_back(lj);
    }
    j["lines"] = lines;
    json fs = json::array();
    for (const auto& f : findings)
      fs.push_back({{"rule", f.rule},
                    {"severity", to_string(f.severity)},
                    {"line", f.line_id},
                    {"message", f.message},
                    {"fix", f.fix}});
    j["findings"] = fs;
    j["counts"] = {{"error", errors}, {"warning", warnings}, {"info", infos}};
    auto score = [](const Readability& r, double min) {
      return json{{"score", std::round(r.score * 10) / 10},
                  {"minimum", min},
                  {"words", r.words},
                  {"sentences", r.sentences},
                  {"syllables", r.syllables}};
    };
    j["notice"] = {{"version", notice->version},
                   {"readability",
                    {{"standard", score(notice->standard, policy.notice_min_readability)},
                     {"easy_read", score(notice->easy, policy.easy_read_min_readability)}}},
                   {"written_to", notice_written.empty() ? json(nullptr) : json(notice_written)}};
    if (!notice_refused.empty()) j["notice"]["refused"] = notice_refused;
    if (parent) {
      json cs = json::array();
      for (const auto& c : changes)
        cs.push_back({{"line", c.line_id},
                      {"field", c.field},
                      {"description", c.description},
                      {"widens", c.widens},
                      {"narrows", c.narrows}});
      j["against"] = {{"scope", o.against}, {"version", parent->version}, {"sha256", parent->sha256}};
      j["changes"] = cs;
    }
    j["ok"] = errors == 0;
    std::puts(j.dump(2, ' ', false, json::error_handler_t::replace).c_str());
  } else {
    fmt::print("scope      {}\n", printable(o.scope));
    fmt::print("sha256     {}\n", scope->sha256);
    fmt::print("case       {} (scope version {}{})\n", printable(scope->case_reference), scope->version,
               scope->parent_version ? fmt::format(", parent {}", *scope->parent_version) : std::string());
    fmt::print("time zone  {}\n", printable(scope->time_zone));
    for (const auto& l : scope->lines) {
      int64_t ms = 0;
      for (const auto& w : l.windows) ms += w.end_ms - w.start_ms + 2 * l.tolerance_ms;
      constexpr int64_t kHour = 3600000;
      const int64_t n = ms < 24 * kHour ? (ms + kHour - 1) / kHour : (ms + 24 * kHour - 1) / (24 * kHour);
      const std::string unit = ms < 24 * kHour ? "hour" : "day";
      fmt::print("line {:<7} {} ({} {}{})\n", printable(l.id), printable(describe_line(*scope, l)), n, unit,
                 n == 1 ? "" : "s");
    }
    fmt::print("notice     version {}: readability {:.1f} (minimum {:.0f}), easy-read {:.1f} (minimum {:.0f})\n",
               notice->version, notice->standard.score, policy.notice_min_readability, notice->easy.score,
               policy.easy_read_min_readability);
    if (!notice_written.empty()) fmt::print("           written to {}\n", printable(notice_written));
    if (!notice_refused.empty()) fmt::print("           {}\n", notice_refused);

    if (parent) {
      fmt::print("\nchanges from version {} ({}):\n", parent->version, printable(o.against));
      if (changes.empty()) fmt::print("  none\n");
      for (const auto& c : changes)
        fmt::print("  {} {}\n",
                   c.widens    ? "+ widens "
                   : c.narrows ? "- narrows"
                               : "~ changes",
                   printable(c.description));
    }

    fmt::print("\n");
    if (findings.empty()) fmt::print("findings   none\n");
    for (const auto& f : findings) {
      fmt::print("{} {}: {}\n", severity_label(f.severity), f.rule, printable(f.message));
      fmt::print("        fix: {}\n", f.fix);
    }
    fmt::print("\nresult     {}: {} error{}, {} warning{}, {} note{}\n",
               errors ? "NOT READY (the scope must not be used)" : "ok", errors, errors == 1 ? "" : "s", warnings,
               warnings == 1 ? "" : "s", infos, infos == 1 ? "" : "s");
  }
  if (std::fflush(stdout) != 0) return fail(Errc::io, "cannot write to standard output");
  if (!notice_refused.empty() && !o.json) std::fprintf(stderr, "remit: notice %s\n", notice_refused.c_str());
  return errors ? ExitCode::findings : ExitCode::ok;
}

}  // namespace

void setup_plan(CLI::App& root, Action& chosen) {
  auto o = std::make_shared<PlanOptions>();
  auto* cmd = root.add_subcommand(
      "plan",
      "Check a scope file against the proportionality rules, show how it widens its parent version, and write "
      "the notice to the device user. Exit 0: no errors; 1: the scope has errors; 2: unreadable or malformed file.");
  cmd->add_option("SCOPE", o->scope, "Scope file (TOML, docs/scope-file.md)")->required();
  cmd->add_option("--policy", o->policy, "Policy file overriding rule severities and limits (docs/policy.md)");
  cmd->add_option("--against", o->against, "The parent version of the scope: show and check the widening");
  cmd->add_option("--notice-out", o->notice_out,
                  "Write notice.html, notice.txt, notice-easy-read.html and notice-easy-read.txt into DIR");
  cmd->add_flag("--json", o->json, "Print the result as JSON");
  cmd->callback([o, &chosen] { chosen = [o] { return run_plan(*o); }; });
}

}  // namespace remit::cli
