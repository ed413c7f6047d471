#pragma once
// The story's canonical scope as a plain data structure: written as JSON
// into PATH.story.json, and as a scope file (PATH.scope.toml) through the
// scope layer's remit::canonical_scope(), the one definition of it.
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

  // The scope file text for PATH.scope.toml, from remit::canonical_scope().
  // Fails (Errc::internal) if its window is not this structure's window, so
  // the truth's expected_in_scope and the file can never disagree.
  [[nodiscard]] Result<std::string> scope_toml() const;
};

}  // namespace remit::synth
