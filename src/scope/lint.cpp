// Proportionality checks (lint_scope) and the difference between scope
// versions (diff_scopes). Rules and their references: policy.cpp and
// docs/policy.md.
#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <set>

#include "remit/notice.hpp"
#include "remit/scope.hpp"
#include "remit/text.hpp"
#include "scope/detail.hpp"

namespace remit {
namespace {

namespace sd = scope_detail;

constexpr int64_t kDayMs = 86400000;

struct Interval {
  int64_t a, b;  // [a, b)
};

std::vector<Interval> coverage(const LineOfEnquiry& l) {
  std::vector<Interval> v;
  for (const auto& w : l.windows) v.push_back({w.start_ms - l.tolerance_ms, w.end_ms + l.tolerance_ms});
  std::sort(v.begin(), v.end(), [](const Interval& x, const Interval& y) { return x.a < y.a; });
  std::vector<Interval> out;
  for (const auto& i : v) {
    if (!out.empty() && i.a <= out.back().b)
      out.back().b = std::max(out.back().b, i.b);
    else
      out.push_back(i);
  }
  return out;
}

// Parts of `x` not covered by `y` (both merged and sorted).
std::vector<Interval> subtract(const std::vector<Interval>& x, const std::vector<Interval>& y) {
  std::vector<Interval> out;
  for (Interval i : x) {
    int64_t cur = i.a;
    for (const auto& j : y) {
      if (j.b <= cur || j.a >= i.b) continue;
      if (j.a > cur) out.push_back({cur, j.a});
      cur = std::max(cur, j.b);
      if (cur >= i.b) break;
    }
    if (cur < i.b) out.push_back({cur, i.b});
  }
  return out;
}

std::string interval_words(const std::vector<Interval>& v, const std::string& tz) {
  std::vector<std::string> parts;
  for (const auto& i : v) {
    TimeWindow w;
    w.start_ms = i.a;
    w.end_ms = i.b;
    parts.push_back(sd::window_words(w, tz));
  }
  return sd::join_words(parts);
}

std::string cat_words(const std::vector<Category>& cats) {
  std::vector<std::string> n;
  for (Category c : cats) n.emplace_back(to_string(c));
  return sd::join_words(n, ", ");
}

std::set<std::string> party_set(const LineOfEnquiry& l) {
  std::set<std::string> s;
  for (const auto& p : l.parties) s.insert(p.id.value);
  return s;
}

std::string party_words(const LineOfEnquiry& l, const std::set<std::string>& values) {
  std::vector<std::string> out;
  for (const auto& p : l.parties)
    if (values.count(p.id.value)) out.push_back(describe_masked(p.id));
  return sd::join_words(out);
}

std::string keyword_key(const Keyword& k) {
  return (k.regex ? "re:" : "lit:") + sd::fold_for_search(k.pattern);
}

std::string line_summary(const LineOfEnquiry& l, const std::string& tz) {
  std::string s = cat_words(l.categories);
  if (l.everything) s = "everything";
  if (!l.parties.empty()) s += " with " + party_words(l, party_set(l));
  std::vector<std::string> ws;
  for (const auto& w : l.windows) ws.push_back(sd::window_words(w, tz));
  if (!ws.empty()) s += ", " + sd::join_words(ws);
  if (l.tolerance_ms > 0) s += fmt::format(", plus {} either side", sd::duration_words(l.tolerance_ms));
  return s;
}

bool is_blank(const std::string& s) {
  return trim(s).empty();
}

class Linter {
 public:
  Linter(const Scope& s, const Policy& p) : s_(s), p_(p) {}

  void add(std::string_view rule, std::string line_id, std::string message) {
    const PlanRule* r = nullptr;
    for (const auto& x : plan_rules())
      if (x.id == rule) r = &x;
    if (!r) return;  // programmer error; never from input
    Severity sev = r->default_severity;
    for (const auto& [id, o] : p_.severity_overrides)
      if (id == rule) sev = o;
    out_.push_back(PlanFinding{std::string(rule), sev, std::move(line_id), std::move(message), std::string(r->fix)});
  }

  std::vector<PlanFinding> take() {
    std::stable_sort(out_.begin(), out_.end(), [](const PlanFinding& a, const PlanFinding& b) {
      if (a.severity != b.severity) return static_cast<int>(a.severity) > static_cast<int>(b.severity);
      return a.rule < b.rule;
    });
    return std::move(out_);
  }

  void lines() {
    for (const auto& l : s_.lines) {
      std::vector<std::string> missing;
      if (is_blank(l.purpose)) missing.push_back("purpose");
      if (is_blank(l.belief)) missing.push_back("belief");
      if (is_blank(l.basis)) missing.push_back("basis");
      if (l.less_intrusive.empty()) missing.push_back("less intrusive means considered");
      size_t i = 0;
      for (const auto& m : l.less_intrusive) {
        ++i;
        if (is_blank(m.means)) missing.push_back(fmt::format("less_intrusive[{}].means", i));
        if (is_blank(m.why_not)) missing.push_back(fmt::format("less_intrusive[{}].why_not", i));
      }
      if (!missing.empty())
        add("justification-missing", l.id, fmt::format("line {} does not record: {}", l.id, sd::join_words(missing)));

      if (l.everything)
        add("everything-category", l.id, fmt::format("line {} asks for everything on the device", l.id));

      bool comm = false;
      for (Category c : l.categories) comm = comm || is_communication(c);
      if (comm && l.parties.empty() && !l.everything)
        add("communications-without-parties", l.id,
            fmt::format("line {} asks for {} with anyone: no parties are named", l.id, cat_words(l.categories)));

      if (!l.parties.empty() && !l.everything) {
        std::vector<Category> partyless;
        for (Category c : l.categories)
          if (c == Category::media || c == Category::web_visit || c == Category::location) partyless.push_back(c);
        if (!partyless.empty())
          add("parties-not-applicable", l.id,
              fmt::format("line {} names parties, but {} items record no parties, so this line selects none of them",
                          l.id, cat_words(partyless)));
      }

      if (l.windows.empty()) {
        add("window-missing", l.id, fmt::format("line {} has no time window", l.id));
      }
      for (const auto& w : l.windows) {
        const int64_t span = (w.end_ms - w.start_ms) + 2 * l.tolerance_ms;
        const int64_t days = (span + kDayMs - 1) / kDayMs;
        const std::string words = sd::window_words(w, s_.time_zone);
        const std::string tol =
            l.tolerance_ms > 0 ? fmt::format(" with {} tolerance", sd::format_duration(l.tolerance_ms)) : "";
        if (days > p_.window_error_days && is_blank(l.exceptional_window_justification)) {
          add("window-excessive", l.id,
              fmt::format("line {}: window {}{} spans {} days, more than {} with no exceptional-window justification",
                          l.id, words, tol, days, p_.window_error_days));
        } else if (days > p_.window_warn_days) {
          add("window-long", l.id,
              fmt::format("line {}: window {}{} spans {} days, more than {}", l.id, words, tol, days,
                          p_.window_warn_days));
        }
        if (s_.incident_start_ms) {
          const int64_t is = *s_.incident_start_ms;
          const int64_t ie = s_.incident_end_ms.value_or(is);
          if (w.start_ms - l.tolerance_ms > ie || w.end_ms + l.tolerance_ms < is)
            add("window-off-incident", l.id,
                fmt::format("line {}: window {} does not touch the incident period", l.id, words));
        }
        for (const auto* text : {&w.start_text, &w.end_text}) {
          auto lt = sd::parse_local_text(*text);
          if (lt && lt->has_time && sd::local_time_ambiguous(*lt, s_.time_zone)) {
            const bool is_end = text == &w.end_text;
            const int64_t ms = is_end ? w.end_ms : w.start_ms;
            add("ambiguous-local-time", l.id,
                fmt::format("line {}: {} {} is repeated or skipped by a clock change in {}; remit reads it as {}", l.id,
                            is_end ? "end" : "start", *text, s_.time_zone, format_rfc3339_ms(ms)));
          }
        }
      }
    }
  }

  void incident() {
    if (!s_.incident_start_ms) add("incident-missing", "", "the incident start is not recorded (case.incident_start)");
  }

  void sanction() {
    const Officer& so = s_.authorisation.sanctioning;
    if (is_blank(so.name)) {
      add("sanction-insufficient", "", "no sanctioning officer is recorded");
    } else {
      const int level = sd::rank_level(so.rank);
      const int min = sd::rank_level(p_.min_sanction_rank);
      if (is_blank(so.rank))
        add("sanction-insufficient", "", "the sanctioning officer's rank is not recorded");
      else if (level == 0)
        add("sanction-insufficient", "",
            fmt::format("the sanctioning officer's rank '{}' is not a recognised police rank", printable(so.rank)));
      else if (level < min)
        add("sanction-insufficient", "",
            fmt::format("the sanctioning officer's rank '{}' is below {}", printable(so.rank), p_.min_sanction_rank));
      if (iequals(trim(so.name), trim(s_.authorisation.requesting.name)))
        add("sanction-insufficient", "", "the sanctioning officer is the requesting officer");
    }
    if (!s_.authorisation.sanction_time_ms)
      add("sanction-insufficient", "", "the time of the sanction is not recorded");
    if (is_blank(s_.authorisation.sanction_reasons))
      add("sanction-insufficient", "", "the sanctioning officer's reasons are not recorded");

    const Authorisation& a = s_.authorisation;
    if (a.in_anticipation_of_prosecutor && (a.requested_by != "prosecutor" || is_blank(a.request_reference)))
      add("anticipated-request", "",
          "the request is made in anticipation of a prosecutor's request, and no actual request is recorded");
    if (is_blank(a.requested_by))
      add("request-record-incomplete", "", "who asked for the material is not recorded (authorisation.requested_by)");
    else if ((a.requested_by == "prosecutor" || a.requested_by == "defence") && is_blank(a.request_reference))
      add("request-record-incomplete", "",
          fmt::format("the {}'s request has no reference (authorisation.request_reference)", a.requested_by));
  }

  void agreement() {
    const Agreement& g = s_.agreement;
    std::vector<std::string> missing;
    if (is_blank(g.given_by)) missing.push_back("who agreed (given_by)");
    if (is_blank(g.form)) missing.push_back("written or oral (form)");
    if (!g.time_ms) missing.push_back("when (time)");
    if (is_blank(g.notice_version)) missing.push_back("which notice was given (notice_version)");
    if (missing.size() == 4)
      add("agreement-missing", "", "no agreement by the device user is recorded");
    else if (!missing.empty())
      add("agreement-missing", "", fmt::format("the agreement record lacks: {}", sd::join_words(missing)));
    if (g.withdrawn)
      add("agreement-missing", "",
          g.withdrawn_time_text.empty()
              ? std::string("the device user has withdrawn their agreement")
              : fmt::format("the device user withdrew their agreement on {}", g.withdrawn_time_text));
    const bool child = s_.user.age && *s_.user.age < p_.adult_age;
    if (child || !s_.user.has_capacity) {
      std::vector<std::string> ra;
      if (is_blank(g.responsible_adult)) ra.push_back("the responsible adult (responsible_adult)");
      if (is_blank(g.responsible_adult_agreement)) ra.push_back("their agreement (responsible_adult_agreement)");
      if (is_blank(g.users_own_views)) ra.push_back("the user's own views (users_own_views)");
      if (!ra.empty())
        add("responsible-adult-missing", "",
            fmt::format("the device user is {}, and the record lacks {}",
                        child ? fmt::format("under {}", p_.adult_age) : std::string("an adult without capacity"),
                        sd::join_words(ra)));
    }
  }

  void no_contact() {
    if (s_.user.no_contact_with.empty()) return;
    PartyNormaliser norm(s_.region);
    std::set<std::string> said;
    for (const auto& raw : s_.user.no_contact_with)
      if (auto id = norm.normalise(raw); !id.value.empty()) said.insert(id.value);
    for (const auto& l : s_.lines) {
      bool comm = l.everything;
      for (Category c : l.categories) comm = comm || is_communication(c);
      if (!comm) continue;
      for (const auto& p : l.parties)
        if (said.count(p.id.value))
          add("no-contact-party", l.id,
              fmt::format("line {} asks for communications with {}, whom the user said they never had contact with",
                          l.id, describe_masked(p.id)));
    }
  }

  void handling() {
    const Handling& h = s_.handling;
    std::vector<std::string> missing;
    if (is_blank(h.retention_basis)) missing.push_back("retention_basis");
    if (is_blank(h.review_date)) missing.push_back("review_date");
    if (is_blank(h.delete_out_of_scope_by)) missing.push_back("delete_out_of_scope_by");
    if (is_blank(h.device_return_target)) missing.push_back("device_return_target");
    if (h.who_will_see.empty()) missing.push_back("who_will_see");
    if (is_blank(h.contact)) missing.push_back("contact");
    if (is_blank(h.advocate_service)) missing.push_back("advocate_service");
    if (!missing.empty())
      add("handling-incomplete", "",
          fmt::format("the notice cannot say how the material is handled: [handling] lacks {}",
                      sd::join_words(missing, ", ")));
  }

  void readability() {
    auto n = render_notice(s_);
    if (!n) return;
    if (n->standard.score < p_.notice_min_readability)
      add("notice-readability", "",
          fmt::format("the notice scores {:.1f} on Flesch Reading Ease, below the minimum of {:.0f}", n->standard.score,
                      p_.notice_min_readability));
    if (n->easy.score < p_.easy_read_min_readability)
      add("notice-readability", "",
          fmt::format("the easy-read notice scores {:.1f} on Flesch Reading Ease, below the minimum of {:.0f}",
                      n->easy.score, p_.easy_read_min_readability));
  }

  void versions(const Scope* parent) {
    if (!parent) {
      if (s_.parent_version)
        add("parent-not-checked", "",
            fmt::format("this is version {} of parent version {}, but the parent was not given, so widening was not "
                        "checked",
                        s_.version, *s_.parent_version));
      return;
    }
    if (!s_.parent_version || *s_.parent_version != parent->version)
      add("version-chain", "",
          fmt::format("version.parent is {}, but the parent given is version {}",
                      s_.parent_version ? std::to_string(*s_.parent_version) : std::string("not set"),
                      parent->version));
    if (s_.version <= parent->version)
      add("version-chain", "",
          fmt::format("version {} is not above the parent's version {}", s_.version, parent->version));
    if (trim(s_.case_reference) != trim(parent->case_reference))
      add("version-chain", "", "the case reference differs from the parent's");

    const auto changes = diff_scopes(*parent, s_);
    std::vector<std::string> widenings;
    for (const auto& c : changes)
      if (c.widens) widenings.push_back(c.description);
    if (widenings.empty()) return;
    std::vector<std::string> missing;
    if (is_blank(s_.change_justification)) missing.push_back("a justification (version.justification)");
    const auto& st = s_.authorisation.sanction_time_ms;
    const auto& pst = parent->authorisation.sanction_time_ms;
    if (!st || (pst && *st <= *pst)) missing.push_back("a fresh sanction (sanction_time after the parent's)");
    const bool fresh_agreement = s_.agreement.time_ms &&
                                 (!parent->agreement.time_ms || *s_.agreement.time_ms > *parent->agreement.time_ms) &&
                                 s_.agreement.notice_version != parent->agreement.notice_version;
    if (!fresh_agreement)
      missing.push_back("the user's agreement to the new notice (a later time and a new notice_version)");
    if (!missing.empty())
      add("widening-unjustified", "",
          fmt::format("version {} widens version {} ({}) without {}", s_.version, parent->version,
                      sd::join_words(widenings, "; "), sd::join_words(missing)));
  }

 private:
  const Scope& s_;
  const Policy& p_;
  std::vector<PlanFinding> out_;
};

}  // namespace

std::vector<PlanFinding> lint_scope(const Scope& scope, const Policy& policy, const Scope* parent) {
  Linter l(scope, policy);
  l.incident();
  l.lines();
  l.sanction();
  l.agreement();
  l.no_contact();
  l.handling();
  l.readability();
  l.versions(parent);
  return l.take();
}

std::string window_words(const TimeWindow& window, std::string_view time_zone) {
  return sd::window_words(window, time_zone);
}

std::string describe_line(const Scope& scope, const LineOfEnquiry& line) {
  return line_summary(line, scope.time_zone);
}

bool has_errors(const std::vector<PlanFinding>& findings) {
  return std::any_of(findings.begin(), findings.end(),
                     [](const PlanFinding& f) { return f.severity == Severity::error; });
}

std::vector<ScopeChange> diff_scopes(const Scope& parent, const Scope& child) {
  std::vector<ScopeChange> out;
  const std::string& tz = child.time_zone;
  auto add = [&](std::string line, std::string field, std::string desc, bool widens, bool narrows) {
    out.push_back(ScopeChange{std::move(line), std::move(field), std::move(desc), widens, narrows});
  };
  std::map<std::string, const LineOfEnquiry*> old_lines;
  for (const auto& l : parent.lines) old_lines[l.id] = &l;
  std::set<std::string> seen;
  for (const auto& l : child.lines) {
    seen.insert(l.id);
    auto it = old_lines.find(l.id);
    if (it == old_lines.end()) {
      add(l.id, "line", fmt::format("new line of enquiry {}: {}", l.id, line_summary(l, tz)), true, false);
      continue;
    }
    const LineOfEnquiry& o = *it->second;
    // Categories.
    std::vector<Category> added, removed;
    for (Category c : l.categories)
      if (std::find(o.categories.begin(), o.categories.end(), c) == o.categories.end()) added.push_back(c);
    for (Category c : o.categories)
      if (std::find(l.categories.begin(), l.categories.end(), c) == l.categories.end()) removed.push_back(c);
    if (!added.empty()) add(l.id, "categories", fmt::format("line {} adds {}", l.id, cat_words(added)), true, false);
    if (!removed.empty())
      add(l.id, "categories", fmt::format("line {} drops {}", l.id, cat_words(removed)), false, true);
    if (l.everything && !o.everything)
      add(l.id, "categories", fmt::format("line {} now asks for everything", l.id), true, false);
    // Parties: none means anyone.
    const auto np = party_set(l), op = party_set(o);
    if (np != op) {
      if (np.empty()) {
        add(l.id, "parties", fmt::format("line {} no longer limits parties: communications with anyone", l.id), true,
            false);
      } else if (op.empty()) {
        add(l.id, "parties", fmt::format("line {} now limits parties to {}", l.id, party_words(l, np)), false, true);
      } else {
        std::set<std::string> a, r;
        for (const auto& v : np)
          if (!op.count(v)) a.insert(v);
        for (const auto& v : op)
          if (!np.count(v)) r.insert(v);
        if (!a.empty()) add(l.id, "parties", fmt::format("line {} adds {}", l.id, party_words(l, a)), true, false);
        if (!r.empty()) add(l.id, "parties", fmt::format("line {} drops {}", l.id, party_words(o, r)), false, true);
      }
    }
    // Time.
    const auto nc = coverage(l), oc = coverage(o);
    if (auto more = subtract(nc, oc); !more.empty())
      add(l.id, "windows", fmt::format("line {} adds time: {}", l.id, interval_words(more, tz)), true, false);
    if (auto less = subtract(oc, nc); !less.empty())
      add(l.id, "windows", fmt::format("line {} drops time: {}", l.id, interval_words(less, tz)), false, true);
    if (l.tolerance_ms != o.tolerance_ms)
      add(l.id, "tolerance",
          fmt::format("line {} tolerance {} -> {}", l.id, sd::format_duration(o.tolerance_ms),
                      sd::format_duration(l.tolerance_ms)),
          l.tolerance_ms > o.tolerance_ms, l.tolerance_ms < o.tolerance_ms);
    // Keywords: none means any text; several are alternatives.
    std::set<std::string> nk, ok;
    for (const auto& k : l.keywords) nk.insert(keyword_key(k));
    for (const auto& k : o.keywords) ok.insert(keyword_key(k));
    if (nk != ok) {
      if (nk.empty()) {
        add(l.id, "keywords", fmt::format("line {} drops its keywords: any text now matches", l.id), true, false);
      } else if (ok.empty()) {
        add(l.id, "keywords", fmt::format("line {} now requires keywords ({})", l.id, nk.size()), false, true);
      } else {
        size_t a = 0, r = 0;
        for (const auto& k : nk) a += ok.count(k) ? 0 : 1;
        for (const auto& k : ok) r += nk.count(k) ? 0 : 1;
        if (a) add(l.id, "keywords", fmt::format("line {} adds {} keyword(s)", l.id, a), true, false);
        if (r) add(l.id, "keywords", fmt::format("line {} drops {} keyword(s)", l.id, r), false, true);
      }
    }
    if (l.group_rule != o.group_rule) {
      const bool wider = l.group_rule == GroupRule::whole_conversation;
      add(l.id, "group_chats",
          fmt::format("line {} group chats: {}", l.id,
                      wider ? "whole conversations instead of the party's own messages"
                            : "only the party's own messages instead of whole conversations"),
          wider, !wider);
    }
    if (l.include_undated != o.include_undated)
      add(l.id, "include_undated",
          fmt::format("line {} {} undated items", l.id, l.include_undated ? "now includes" : "no longer includes"),
          l.include_undated, !l.include_undated);
    if (l.purpose != o.purpose || l.belief != o.belief || l.basis != o.basis)
      add(l.id, "justification", fmt::format("line {} changes its purpose, belief or basis", l.id), false, false);
  }
  for (const auto& l : parent.lines)
    if (!seen.count(l.id))
      add(l.id, "line", fmt::format("line of enquiry {} removed ({})", l.id, line_summary(l, parent.time_zone)), false,
          true);
  const Handling &nh = child.handling, &oh = parent.handling;
  auto date_change = [&](const std::string& field, const std::string& a, const std::string& b) {
    if (a != b)
      add("", "handling." + field,
          fmt::format("{}: {} -> {}", field, a.empty() ? "(none)" : a, b.empty() ? "(none)" : b), false, false);
  };
  date_change("review_date", oh.review_date, nh.review_date);
  date_change("delete_out_of_scope_by", oh.delete_out_of_scope_by, nh.delete_out_of_scope_by);
  date_change("device_return_target", oh.device_return_target, nh.device_return_target);
  if (nh.who_will_see != oh.who_will_see)
    add("", "handling.who_will_see", "who will see the material changes", false, false);
  if (child.time_zone != parent.time_zone)
    add("", "case.time_zone", fmt::format("time zone {} -> {}", parent.time_zone, child.time_zone), false, false);
  return out;
}

}  // namespace remit
