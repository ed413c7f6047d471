// The rule table and policy files (docs/policy.md).
//
// References: PCSC Act 2022 Part 2 Chapter 3 and its Code of Practice
// (reasonable line of enquiry, necessity and proportionality, less
// intrusive means, written notice, children and adults without capacity,
// authorisation by an inspector or above); Bater-James [2020] EWCA Crim 790
// (no presumption of extraction, speculation is not a basis, incremental
// review); ICO "Mobile phone data extraction by police forces in England
// and Wales" (2020); Attorney General's Guidelines on Disclosure (2022).
#include <fmt/format.h>
#include <toml++/toml.h>

#include <fstream>
#include <sstream>

#include "remit/scope.hpp"
#include "remit/text.hpp"
#include "scope/detail.hpp"

namespace remit {
namespace {

constexpr PlanRule kRules[] = {
    {"justification-missing", Severity::error,
     "Each line of enquiry records its purpose, the reasonable belief and its basis, and the less intrusive means "
     "considered with why each is not enough or not practicable.",
     "Fill in purpose, belief and basis, and add at least one less_intrusive entry with both 'means' and 'why_not'."},
    {"sanction-insufficient", Severity::error,
     "An officer of at least the policy's minimum rank (inspector), other than the requesting officer, sanctioned "
     "the request, and the time and reasons are recorded.",
     "Record [authorisation.sanctioning_officer] with a name and a rank at or above the policy's minimum (inspector "
     "by default), who is not the requesting officer, plus sanction_time and sanction_reasons."},
    {"agreement-missing", Severity::error,
     "The device user's agreement is recorded (who, written or oral, when, which notice version) and has not been "
     "withdrawn.",
     "Record [agreement] given_by, form, time and notice_version after giving the notice. If agreement was "
     "withdrawn, stop: do not extract."},
    {"responsible-adult-missing", Severity::error,
     "For a user under the policy's adult age, or an adult without capacity, the responsible adult's agreement and "
     "the user's own views are recorded.",
     "Record agreement.responsible_adult, agreement.responsible_adult_agreement and agreement.users_own_views."},
    {"window-missing", Severity::error, "Every line of enquiry is limited in time by at least one window.",
     "Add windows = [{ start = ..., end = ... }] around the period the line of enquiry concerns."},
    {"window-long", Severity::warning,
     "A window (with its tolerance) longer than the policy's warning limit (30 days) needs a close look.",
     "Narrow the window to the period the line of enquiry needs, or explain the length in the purpose and basis."},
    {"window-excessive", Severity::error,
     "A window (with its tolerance) longer than the policy's error limit (365 days) is refused unless an "
     "exceptional-window justification is recorded.",
     "Narrow the window, or record exceptional_window_justification on the line saying why this period is needed."},
    {"window-off-incident", Severity::warning, "Each window touches the incident period.",
     "Check the dates; if the period is needed, say why in the line's basis."},
    {"incident-missing", Severity::warning,
     "The incident start (and end) are recorded, so windows can be checked against them.",
     "Record case.incident_start and case.incident_end."},
    {"communications-without-parties", Severity::warning,
     "A line asking for messages, calls or emails names the parties they are with.",
     "Add the parties (numbers, addresses, handles) the line of enquiry concerns, or explain in the basis why all "
     "communications are needed."},
    {"everything-category", Severity::error, "No line asks for everything on the device.",
     "List only the categories the line of enquiry needs (message, call, contact, media, ...)."},
    {"no-contact-party", Severity::warning,
     "No line asks for communications with a person the user said they never had contact with.",
     "Remove that party, or record in the basis why communications with them are expected despite the user's "
     "statement."},
    {"anticipated-request", Severity::warning,
     "A request made in anticipation of a prosecutor's request has an actual request recorded.",
     "Record the prosecutor's request (requested_by = \"prosecutor\" and request_reference), or wait for it."},
    {"request-record-incomplete", Severity::warning,
     "Who asked for the material is recorded, with a reference when it was the prosecutor or the defence.",
     "Set authorisation.requested_by, and request_reference for a prosecutor's or defence request."},
    {"handling-incomplete", Severity::error,
     "The handling the notice must state is recorded: retention basis and review date, deletion date for the rest, "
     "device return target, who will see the material, a contact and the advocate service.",
     "Fill in every field of [handling]."},
    {"widening-unjustified", Severity::error,
     "A new version that widens the scope records a justification, a fresh sanction and a fresh agreement.",
     "Record version.justification, a new sanction_time (after the parent's) and the user's agreement to the new "
     "notice version."},
    {"version-chain", Severity::error,
     "A new version names its parent, has a higher number and the same case reference.",
     "Set version.parent to the parent's number, and version.number above it."},
    {"notice-readability", Severity::warning,
     "The notice scores at least the policy minimum on Flesch Reading Ease (60 standard, 70 easy-read).",
     "Shorten sentences and use plainer words in purpose_plain, retention_basis, who_will_see and contact."},
    {"parent-not-checked", Severity::info, "A scope that names a parent version is checked against it.",
     "Run remit plan with --against PARENT.toml."},
    {"parties-not-applicable", Severity::info,
     "Parties on a line only select items that record parties; photos, web visits and locations do not.",
     "Use a separate line without parties for photos, web visits or locations, if they are needed."},
    {"ambiguous-local-time", Severity::info,
     "A window boundary falls in a daylight-saving change (a repeated or skipped local time).",
     "Give the boundary with an offset (e.g. 2026-10-25T01:30:00+01:00) if the reading remit chose is not meant."},
};

}  // namespace

std::span<const PlanRule> plan_rules() noexcept {
  return kRules;
}

std::string_view to_string(Severity s) noexcept {
  switch (s) {
    case Severity::info:
      return "info";
    case Severity::warning:
      return "warning";
    case Severity::error:
      return "error";
  }
  return "error";
}

std::optional<Severity> parse_severity(std::string_view s) noexcept {
  if (s == "info") return Severity::info;
  if (s == "warning") return Severity::warning;
  if (s == "error") return Severity::error;
  return std::nullopt;
}

Policy builtin_policy() {
  return Policy{};
}

Result<Policy> load_policy(const std::filesystem::path& path) {
  const std::string name = path.string();
  std::ifstream in(path, std::ios::binary);
  if (!in) return make_error(Errc::not_found, fmt::format("{}: cannot open the policy file", name));
  std::ostringstream ss;
  ss << in.rdbuf();
  toml::table root;
  try {
    root = toml::parse(ss.str(), name);
  } catch (const toml::parse_error& e) {
    return make_error(Errc::malformed, fmt::format("{}:{}:{}: not valid TOML: {}", name, e.source().begin.line,
                                                   e.source().begin.column, e.description()));
  } catch (const std::exception& e) {
    return make_error(Errc::malformed, fmt::format("{}: not valid TOML: {}", name, e.what()));
  }
  Policy p = builtin_policy();
  std::vector<std::string> errors;
  auto err = [&](const toml::source_region& where, std::string_view field, std::string_view problem) {
    errors.push_back(fmt::format("{}:{}:{}: {}: {}", name, where.begin.line, where.begin.column, field, problem));
  };
  for (auto&& [k, v] : root) {
    if (k.str() == "limits") {
      if (!v.is_table()) {
        err(v.source(), "limits", "expected a table");
        continue;
      }
      for (auto&& [lk, lv] : *v.as_table()) {
        const std::string field = "limits." + std::string(lk.str());
        auto int_in = [&](int lo, int hi, int& out) {
          if (!lv.is_integer() || lv.as_integer()->get() < lo || lv.as_integer()->get() > hi)
            return err(lv.source(), field, fmt::format("expected a whole number from {} to {}", lo, hi));
          out = static_cast<int>(lv.as_integer()->get());
        };
        auto num_in = [&](double lo, double hi, double& out) {
          std::optional<double> d;
          if (lv.is_integer()) d = static_cast<double>(lv.as_integer()->get());
          if (lv.is_floating_point()) d = lv.as_floating_point()->get();
          if (!d || *d < lo || *d > hi)
            return err(lv.source(), field, fmt::format("expected a number from {} to {}", lo, hi));
          out = *d;
        };
        if (lk.str() == "window_warn_days")
          int_in(1, 36500, p.window_warn_days);
        else if (lk.str() == "window_error_days")
          int_in(1, 36500, p.window_error_days);
        else if (lk.str() == "notice_min_readability")
          num_in(-100, 121, p.notice_min_readability);
        else if (lk.str() == "easy_read_min_readability")
          num_in(-100, 121, p.easy_read_min_readability);
        else if (lk.str() == "adult_age")
          int_in(1, 30, p.adult_age);
        else if (lk.str() == "min_sanction_rank") {
          if (!lv.is_string() || scope_detail::rank_level(lv.as_string()->get()) == 0)
            err(lv.source(), field, "expected a rank such as \"inspector\" or \"superintendent\" (docs/policy.md)");
          else
            p.min_sanction_rank = lv.as_string()->get();
        } else {
          err(lk.source(), field,
              "unknown limit (expected window_warn_days, window_error_days, notice_min_readability, "
              "easy_read_min_readability, min_sanction_rank or adult_age)");
        }
      }
    } else if (k.str() == "severity") {
      if (!v.is_table()) {
        err(v.source(), "severity", "expected a table of rule = \"info\" | \"warning\" | \"error\"");
        continue;
      }
      for (auto&& [rk, rv] : *v.as_table()) {
        const std::string field = "severity." + std::string(rk.str());
        bool known = false;
        for (const auto& r : kRules) known = known || r.id == rk.str();
        if (!known) {
          err(rk.source(), field, "unknown rule id (see docs/policy.md)");
          continue;
        }
        std::optional<Severity> s;
        if (rv.is_string()) s = parse_severity(rv.as_string()->get());
        if (!s) {
          err(rv.source(), field, "expected \"info\", \"warning\" or \"error\"");
          continue;
        }
        p.severity_overrides.emplace_back(std::string(rk.str()), *s);
      }
    } else {
      err(k.source(), std::string(k.str()), "unknown table (expected [limits] or [severity])");
    }
  }
  if (p.window_error_days < p.window_warn_days)
    errors.push_back(fmt::format("{}: limits.window_error_days must not be below limits.window_warn_days", name));
  if (!errors.empty()) {
    std::string msg;
    for (size_t i = 0; i < errors.size(); ++i) msg += (i ? "\n" : "") + errors[i];
    return make_error(Errc::malformed, msg);
  }
  return p;
}

}  // namespace remit
