#pragma once
// The persistent local audit log of unscoped dumps (`remit items
// --unscoped`): one JSON object per line, appended and fsync'd before any
// item is shown.
//
// Location (README, "Usage"): $REMIT_STATE_DIR, else $XDG_STATE_HOME/remit,
// else $HOME/.local/state/remit; file `unscoped-audit.jsonl`, mode 0600.
// Thread-safe across processes for appends (O_APPEND, one write per record).

#include <filesystem>
#include <string>

#include "remit/status.hpp"

namespace remit {

struct UnscopedAccess {
  std::string reason;
  std::string user;
  std::string time_utc;  // RFC 3339
  std::string evidence;  // path as given
  std::string evidence_sha256;
  bool inventory = false;  // evidence_sha256 is a folder inventory digest
  std::string tool_version;
  std::string host;
};

[[nodiscard]] std::filesystem::path local_state_dir();
[[nodiscard]] std::filesystem::path unscoped_audit_path();

// Appends the record. Fails (and nothing may then be shown) when the log
// cannot be written.
[[nodiscard]] Status append_unscoped_access(const UnscopedAccess& record);

// The invoking user's login name (never empty: "uid:N" as a last resort).
[[nodiscard]] std::string current_user();

// Now, as RFC 3339 UTC with milliseconds.
[[nodiscard]] std::string now_rfc3339();

}  // namespace remit
