#pragma once
// The story's canonical scope as a plain data structure, so it can be
// written as JSON into PATH.story.json now and serialised as the scope
// TOML (PATH.scope.toml) once the scope file format lands: to_scope()
// already fills remit::Scope (include/remit/scope.hpp), the structure the
// scope engineer's writer and matcher work from.
//
// Canonical scope: messages and calls with the suspect from 2 days before
// to 2 days after the incident (whole local days in the case time zone);
// one-to-one conversations, plus group messages sent by the suspect.
// Everything the other group-chat rule or an edge tolerance could add lies
// more than `margin_days` outside the window.
//
// Plain value; thread-compatible.

#include <cstdint>
#include <string>
#include <vector>

#include "remit/scope.hpp"

namespace remit::synth {

struct ScopeIdentity {
  std::string raw;    // a spelling as written in a scope ("07700 900123")
  std::string e164;   // "+447700900123"
  std::string label;  // "suspect"
};

struct CanonicalScope {
  std::string time_zone = "Europe/London";
  std::string region = "GB";
  std::string case_reference;  // synthetic reference, e.g. "SYNTH-7"
  std::string offence = "Rape (Sexual Offences Act 2003, s.1)";
  int64_t incident_start_ms = 0, incident_end_ms = 0;
  std::string window_start_date;  // "2026-03-11" (local, inclusive)
  std::string window_end_date;    // "2026-03-15" (local, whole day included)
  int64_t window_start_ms = 0;    // UTC, inclusive
  int64_t window_end_ms = 0;      // UTC, exclusive (local midnight after the end date)
  std::vector<std::string> categories{"message", "call"};
  std::vector<ScopeIdentity> parties;        // the suspect, in several spellings
  std::string group_rule = "sent_by_party";  // group messages sent by the suspect only
  int64_t tolerance_ms = 0;
  int margin_days = 3;  // nothing ambiguous within this distance of the window

  // A remit::Scope with one line of enquiry for this scope, ready for the
  // scope file writer (PATH.scope.toml) and the matcher. Officers,
  // agreement and handling are filled with clearly synthetic values.
  [[nodiscard]] Scope to_scope() const;
};

}  // namespace remit::synth
