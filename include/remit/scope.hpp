#pragma once
// The scope: one TOML file that is at once the legal record of the
// decision, the machine filter, the text of the notice to the device user,
// and the yardstick for the transparency report (docs/scope-file.md).
//
// Contracts:
//  - load_scope() never throws; parse errors name the file, line and field.
//  - A Scope is an immutable value once loaded; ScopeMatcher keeps a
//    reference to the Scope it was built from (the Scope must outlive it).
//  - ScopeMatcher::match() is const and thread-safe.
//  - Instants are UTC milliseconds since 1970. Windows are half-open
//    [start, end); a date-only end includes that whole local day.

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "remit/item.hpp"
#include "remit/party.hpp"
#include "remit/status.hpp"
#include "remit/vocabulary.hpp"

namespace remit {

struct TimeWindow {
  int64_t start_ms = 0;    // inclusive, UTC
  int64_t end_ms = 0;      // exclusive, UTC
  std::string start_text;  // as written in the file (local, case time zone)
  std::string end_text;
};

enum class GroupRule {
  sent_by_or_to_party,  // one-to-one: messages with the party either way; in a group chat only messages
                        // the party sent (a message to the group is not "to" the party). File token: "sent_by_party"
  whole_conversation,   // every message of a conversation in which the party takes part ("whole_conversation")
};

struct LessIntrusiveMeans {
  std::string means;    // e.g. "screenshots offered by the complainant"
  std::string why_not;  // why it is not enough or not practicable
};

struct ScopeParty {
  std::string raw;    // as written ("07700 900123")
  NormalisedId id;    // normalised with the scope's region
  std::string label;  // e.g. "suspect"
};

struct Keyword {
  std::string pattern;
  bool regex = false;       // RE2 syntax when true, literal otherwise
  std::string proposed_by;  // who proposed the term: "investigation", "prosecutor", "defence"; "" = not recorded
};

struct LineOfEnquiry {
  std::string id;
  std::string purpose;
  std::string purpose_plain;  // the purpose in plain words for the notice; "" = use `purpose`
  std::string belief;
  std::string basis;
  std::vector<LessIntrusiveMeans> less_intrusive;
  std::vector<Category> categories;
  std::vector<ScopeParty> parties;
  std::vector<TimeWindow> windows;
  int64_t tolerance_ms = 0;
  std::vector<Keyword> keywords;
  GroupRule group_rule = GroupRule::sent_by_or_to_party;
  bool include_undated = false;
  std::string exceptional_window_justification;
  bool everything = false;  // a category token meaning "everything" was used ("all", "*", "everything")
};

struct DeviceUser {
  std::string role;  // complainant | witness | suspect
  std::optional<int> age;
  bool has_capacity = true;
  std::vector<std::string> no_contact_with;  // identifiers the user said they never had contact with
};

struct Agreement {
  std::string given_by;   // name of the person who agreed
  std::string form;       // written | oral
  std::string time_text;  // as written
  std::optional<int64_t> time_ms;
  std::string notice_version;
  std::string responsible_adult;  // under-18s / adults without capacity
  std::string responsible_adult_agreement;
  std::string users_own_views;
  bool withdrawn = false;
  std::string withdrawn_time_text;
};

struct Officer {
  std::string name;
  std::string rank;    // e.g. "Detective Constable", "Inspector"
  std::string number;  // collar/warrant number
};

struct Authorisation {
  Officer requesting;
  std::string requested_by;       // investigation | prosecutor | defence
  std::string request_reference;  // prosecutor's or defence's reference
  bool in_anticipation_of_prosecutor = false;
  Officer sanctioning;
  std::string sanction_time_text;
  std::optional<int64_t> sanction_time_ms;
  std::string sanction_reasons;
};

struct Handling {
  std::string retention_basis;
  std::string review_date;  // YYYY-MM-DD
  std::string delete_out_of_scope_by;
  std::string device_return_target;
  std::vector<std::string> who_will_see;
  std::string contact;           // whom to ask
  std::string advocate_service;  // ISVA service and how to reach it
};

struct Scope {
  // Case
  std::string case_reference;
  std::string offence;
  std::string time_zone = "Europe/London";
  std::string region = "GB";
  std::optional<int64_t> incident_start_ms;
  std::optional<int64_t> incident_end_ms;
  std::string incident_start_text, incident_end_text;
  std::string exhibit_reference;
  std::string device_description;
  DeviceUser user;

  Agreement agreement;
  Authorisation authorisation;
  std::vector<LineOfEnquiry> lines;
  Handling handling;

  // Versioning
  int version = 1;
  std::optional<int> parent_version;
  std::string change_justification;

  // The file itself
  std::filesystem::path path;
  std::string text;    // exact bytes as loaded
  std::string sha256;  // of `text`
};

// Loads and validates the structure of a scope file.
[[nodiscard]] Result<Scope> load_scope(const std::filesystem::path& path);
[[nodiscard]] Result<Scope> parse_scope(std::string_view toml_text, const std::filesystem::path& name);

enum class Severity { info, warning, error };
[[nodiscard]] std::string_view to_string(Severity) noexcept;

struct PlanFinding {
  std::string rule;  // stable rule id (docs/policy.md)
  Severity severity = Severity::warning;
  std::string line_id;  // line of enquiry concerned, if any
  std::string message;  // what is wrong, in plain words
  std::string fix;      // how to put it right
};

// Policy: severities and limits, built-in or overridden by a policy file.
struct Policy {
  int window_warn_days = 30;
  int window_error_days = 365;
  double notice_min_readability = 60;
  double easy_read_min_readability = 70;
  std::vector<std::pair<std::string, Severity>> severity_overrides;
  // Lowest rank that may sanction, by the ladder in docs/policy.md.
  std::string min_sanction_rank = "inspector";
  // Age from which a device user agrees for themselves.
  int adult_age = 18;
};
[[nodiscard]] Policy builtin_policy();
[[nodiscard]] Result<Policy> load_policy(const std::filesystem::path& path);

// Checks a scope against the policy (and against its parent version, for
// widening). Findings are ordered by severity, then rule.
[[nodiscard]] std::vector<PlanFinding> lint_scope(const Scope& scope, const Policy& policy,
                                                  const Scope* parent = nullptr);
[[nodiscard]] bool has_errors(const std::vector<PlanFinding>& findings);

struct MatchResult {
  bool in_scope = false;
  std::vector<std::string> lines;  // ids of the lines of enquiry that matched
  bool near_edge = false;          // matched only thanks to a line's tolerance
};

// Decides, per item, whether it is in scope. Uses the core normaliser for
// parties (with the scope's region), ICU case folding and RE2 for keywords.
class ScopeMatcher {
 public:
  ScopeMatcher(const Scope& scope, const PartyNormaliser& parties);
  ~ScopeMatcher();
  ScopeMatcher(const ScopeMatcher&) = delete;
  ScopeMatcher& operator=(const ScopeMatcher&) = delete;

  [[nodiscard]] MatchResult match(const Item& item) const;
  [[nodiscard]] const Scope& scope() const noexcept { return scope_; }

 private:
  const Scope& scope_;
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// ---------------------------------------------------------------------------
// The rule table (docs/policy.md): every rule lint_scope() can report.
struct PlanRule {
  std::string_view id;
  Severity default_severity;
  std::string_view summary;  // what the rule checks
  std::string_view fix;      // how to put it right
};
[[nodiscard]] std::span<const PlanRule> plan_rules() noexcept;
[[nodiscard]] std::optional<Severity> parse_severity(std::string_view) noexcept;

// One difference between two versions of a scope, for `remit plan
// --against` and the widening rule. `widens` is true when the new version
// could bring into scope an item the old one left out.
struct ScopeChange {
  std::string line_id;      // "" for case-level fields
  std::string field;        // "line", "categories", "parties", "windows", "tolerance", "keywords",
                            // "group_chats", "include_undated", "handling.*", ...
  std::string description;  // one readable sentence (no third-party identifiers unmasked)
  bool widens = false;
  bool narrows = false;
};
// Compares `child` with `parent` line by line (lines are paired by id).
[[nodiscard]] std::vector<ScopeChange> diff_scopes(const Scope& parent, const Scope& child);

// Builds a time window from local text in `time_zone` ("2026-03-13",
// "2026-03-13T21:00:00", or with an offset "2026-03-13T21:00:00+00:00").
// A date-only end includes that whole local day. Fails on bad text, an
// unknown zone, or an end not after the start.
[[nodiscard]] Result<TimeWindow> make_window(std::string_view start_text, std::string_view end_text,
                                             std::string_view time_zone);

// A window as people read it, in the case time zone: "from 13 March to
// 17 March 2026", "on 13 March 2026", "from 9pm on 13 March to 6am on
// 17 March 2026". A date-only end is shown as written (the whole day).
[[nodiscard]] std::string window_words(const TimeWindow& window, std::string_view time_zone);

// One line of enquiry in a sentence, parties masked to their last four
// digits: "message, call with the number ending 0123, from 13 March to
// 17 March 2026".
[[nodiscard]] std::string describe_line(const Scope& scope, const LineOfEnquiry& line);

// Writes `scope` as a scope file that parse_scope() reads back to an equal
// Scope (every field, windows by their text). Used by the generator for
// PATH.scope.toml and by tests. Never throws.
[[nodiscard]] std::string render_scope_toml(const Scope& scope);

// The generator's canonical scope (docs/scope-file.md, "The canonical
// scope"): messages and calls with the suspect from 48 hours before the
// incident starts to 48 hours after it ends; one-to-one conversations plus
// group messages sent by the suspect; no tolerance; undated items out. The
// legal fields are filled with plausible, complete synthetic values so the
// scope plans without errors.
struct CanonicalScopeSpec {
  std::string case_reference = "SYN/0001";
  std::string time_zone = "Europe/London";
  std::string region = "GB";
  int64_t incident_start_ms = 0;  // UTC
  int64_t incident_end_ms = 0;    // UTC
  std::string suspect;            // the suspect's number as the story spells it
  std::string exhibit_reference = "SYN/1";
  std::string device_description = "synthetic phone extraction";
};
[[nodiscard]] Result<Scope> canonical_scope(const CanonicalScopeSpec& spec);

}  // namespace remit
