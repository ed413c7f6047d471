#pragma once
// The package audit log (audit.jsonl): one JSON object per line, one line
// per action, each record carrying the SHA-256 of the previous record's
// line, and a last line that seals the head with an Ed25519 signature.
// docs/audit.md gives the record format field by field.
//
// Record (keys in this order, compact JSON, one line):
//   {"action":..,"details":{..},"prev":"<64 hex>","scope":{"sha256":..,"version":N},
//    "seq":N,"time":"<RFC 3339 UTC>","who":{"examiner":..,"host":..,"user":..}}
// Seal (always the last line):
//   {"seal":{"algorithm":"Ed25519","head":"<sha256 of the last record line>",
//            "public_key":"<base64>","seq":N,"signature":"<base64>"}}
// The signed message is "remit-audit-seal/1\n<seq>\n<head>\n".
//
// Records never hold evidence content: only counts, hashes, parser names,
// logical paths of parsed databases, and the people and scope involved.
//
// AuditLog is a value; not synchronised.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "remit/signing.hpp"
#include "remit/status.hpp"

namespace remit {

struct AuditActor {
  std::string examiner;  // as given with --examiner
  std::string user;      // operating-system login
  std::string host;
};

struct AuditRecord {
  uint64_t seq = 0;
  std::string time;  // RFC 3339 UTC
  AuditActor who;
  std::string action;  // "extract.started", "scope.checked", ... (docs/audit.md)
  int scope_version = 0;
  std::string scope_sha256;
  std::string details_json;  // a JSON object, compact
  std::string prev;          // hash of the previous record's line (64 zeros for the first)
  std::string line;          // the exact line (without the newline)
  std::string hash;          // SHA-256 of `line`
};

struct AuditSeal {
  uint64_t seq = 0;
  std::string head;
  PublicKey key;
  std::string signature;  // raw 64 bytes
  std::string line;
};

// Where an audit log is wrong: 1-based line number (0: the file as a whole).
struct AuditProblem {
  uint64_t line = 0;
  std::string message;
};

class AuditLog {
 public:
  // Appends a record. `details_json` must be a JSON object ("{}" if none).
  // Strings are made valid UTF-8. Returns the new record.
  const AuditRecord& append(const AuditActor& who, std::string action, int scope_version, std::string scope_sha256,
                            std::string_view details_json = "{}", std::string time = {});

  [[nodiscard]] const std::vector<AuditRecord>& records() const noexcept { return records_; }
  [[nodiscard]] const std::optional<AuditSeal>& seal() const noexcept { return seal_; }
  [[nodiscard]] std::string head() const;  // hash of the last record, or 64 zeros

  // The file text: every record line, then a fresh seal signed by `key`.
  [[nodiscard]] Result<std::string> serialise(const SigningKey& key);

  // Parses and checks a whole audit.jsonl: canonical lines, sequence
  // numbers, the hash chain, and the seal's signature. On failure the
  // problem names the first wrong line.
  [[nodiscard]] static Result<AuditLog> parse(std::string_view text, AuditProblem* problem = nullptr);

 private:
  std::vector<AuditRecord> records_;
  std::optional<AuditSeal> seal_;
};

// The message an audit seal signs.
[[nodiscard]] std::string audit_seal_message(uint64_t seq, std::string_view head);

}  // namespace remit
