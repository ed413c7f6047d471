// The hash-chained, signed audit log (include/remit/audit.hpp).
#include "remit/audit.hpp"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "remit/hash.hpp"
#include "remit/item.hpp"
#include "remit/local_audit.hpp"

namespace remit {
namespace {

using json = nlohmann::json;
const std::string kZeroHash(64, '0');

std::string clean(std::string s) {
  sanitize_utf8(s);
  return s;
}

bool is_hex64(const json& j) {
  if (!j.is_string()) return false;
  const auto& s = j.get_ref<const std::string&>();
  if (s.size() != 64) return false;
  for (char c : s)
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  return true;
}

// Canonical form: what nlohmann's compact dump() writes (sorted keys, no
// spaces). Any other spelling of the same value is rejected, so that each
// changed byte is seen.
std::optional<json> parse_canonical(std::string_view line) {
  json j = json::parse(line, nullptr, false);
  if (j.is_discarded() || !j.is_object()) return std::nullopt;
  std::string again;
  try {
    again = j.dump();
  } catch (const json::exception&) {
    return std::nullopt;
  }
  if (again != line) return std::nullopt;
  return j;
}

}  // namespace

std::string audit_seal_message(uint64_t seq, std::string_view head) {
  return fmt::format("remit-audit-seal/1\n{}\n{}\n", seq, head);
}

std::string AuditLog::head() const {
  return records_.empty() ? kZeroHash : records_.back().hash;
}

const AuditRecord& AuditLog::append(const AuditActor& who, std::string action, int scope_version,
                                    std::string scope_sha256, std::string_view details_json, std::string time) {
  json details = json::parse(details_json, nullptr, false);
  if (details.is_discarded() || !details.is_object()) details = json::object();
  AuditRecord r;
  r.seq = records_.size() + 1;
  r.time = time.empty() ? now_rfc3339() : clean(std::move(time));
  r.who = AuditActor{clean(who.examiner), clean(who.user), clean(who.host)};
  r.action = clean(std::move(action));
  r.scope_version = scope_version;
  r.scope_sha256 = clean(std::move(scope_sha256));
  r.prev = head();
  json j;
  j["seq"] = r.seq;
  j["time"] = r.time;
  j["who"] = {{"examiner", r.who.examiner}, {"user", r.who.user}, {"host", r.who.host}};
  j["action"] = r.action;
  j["scope"] = {{"version", r.scope_version}, {"sha256", r.scope_sha256}};
  j["details"] = details;
  j["prev"] = r.prev;
  r.line = j.dump(-1, ' ', false, json::error_handler_t::replace);
  r.details_json = details.dump(-1, ' ', false, json::error_handler_t::replace);
  r.hash = sha256_hex(r.line);
  records_.push_back(std::move(r));
  seal_.reset();
  return records_.back();
}

Result<std::string> AuditLog::serialise(const SigningKey& key) {
  if (records_.empty()) return make_error(Errc::internal, "an audit log needs at least one record");
  const uint64_t seq = records_.back().seq;
  const std::string h = head();
  auto sig = key.sign(audit_seal_message(seq, h));
  if (!sig) return sig.error();
  json s;
  s["seal"] = {{"algorithm", "Ed25519"},
               {"seq", seq},
               {"head", h},
               {"public_key", key.public_key().base64()},
               {"signature", base64_encode(*sig)}};
  AuditSeal seal{seq, h, key.public_key(), *sig, s.dump()};
  std::string out;
  for (const auto& r : records_) {
    out += r.line;
    out += '\n';
  }
  out += seal.line;
  out += '\n';
  seal_ = std::move(seal);
  return out;
}

Result<AuditLog> AuditLog::parse(std::string_view text, AuditProblem* problem) {
  auto fail = [&](uint64_t line, std::string msg) -> Result<AuditLog> {
    if (problem) *problem = AuditProblem{line, msg};
    return make_error(Errc::findings,
                      line ? fmt::format("audit.jsonl: line {}: {}", line, msg) : fmt::format("audit.jsonl: {}", msg));
  };
  if (text.empty()) return fail(0, "empty");
  if (text.back() != '\n') return fail(0, "does not end with a newline (cut short or changed)");
  std::vector<std::string_view> lines;
  for (size_t pos = 0; pos < text.size();) {
    const size_t nl = text.find('\n', pos);
    lines.push_back(text.substr(pos, nl - pos));
    pos = nl + 1;
  }
  if (lines.size() < 2) return fail(1, "no records, or no seal");
  AuditLog log;
  for (size_t i = 0; i + 1 < lines.size(); ++i) {
    const uint64_t ln = i + 1;
    auto j = parse_canonical(lines[i]);
    if (!j) return fail(ln, fmt::format("record {} is not a canonical JSON record (it was changed)", ln));
    const json& r = *j;
    const json* seq = r.contains("seq") ? &r["seq"] : nullptr;
    if (r.size() != 7 || !seq || !seq->is_number_unsigned() || !r.contains("time") || !r["time"].is_string() ||
        !r.contains("who") || !r["who"].is_object() || !r.contains("action") || !r["action"].is_string() ||
        !r.contains("scope") || !r["scope"].is_object() || !r.contains("details") || !r["details"].is_object() ||
        !r.contains("prev") || !is_hex64(r["prev"]))
      return fail(ln, fmt::format("record {} lacks a field or has a wrong type", ln));
    AuditRecord rec;
    rec.seq = seq->get<uint64_t>();
    if (rec.seq != ln) return fail(ln, fmt::format("record {} carries sequence number {}", ln, rec.seq));
    rec.prev = r["prev"].get<std::string>();
    const std::string expected_prev = log.head();
    if (rec.prev != expected_prev)
      return fail(ln, fmt::format("record {} does not follow record {}: the chain is broken (a record was changed, "
                                  "removed or inserted)",
                                  ln, ln - 1));
    rec.time = r["time"].get<std::string>();
    const json& who = r["who"];
    auto str = [](const json& o, const char* k) {
      return o.contains(k) && o[k].is_string() ? o[k].get<std::string>() : std::string();
    };
    rec.who = AuditActor{str(who, "examiner"), str(who, "user"), str(who, "host")};
    rec.action = r["action"].get<std::string>();
    const json& sc = r["scope"];
    rec.scope_version = sc.contains("version") && sc["version"].is_number_integer() ? sc["version"].get<int>() : 0;
    rec.scope_sha256 = str(sc, "sha256");
    rec.details_json = r["details"].dump();
    rec.line = std::string(lines[i]);
    rec.hash = sha256_hex(rec.line);
    log.records_.push_back(std::move(rec));
  }
  const uint64_t sl = lines.size();
  auto j = parse_canonical(lines.back());
  if (!j || !j->contains("seal") || !(*j)["seal"].is_object() || j->size() != 1)
    return fail(sl, "the last line is not a canonical seal (the log was cut short or changed)");
  const json& s = (*j)["seal"];
  if (s.size() != 5 || !s.contains("algorithm") || s["algorithm"] != "Ed25519" || !s.contains("seq") ||
      !s["seq"].is_number_unsigned() || !s.contains("head") || !is_hex64(s["head"]) || !s.contains("public_key") ||
      !s["public_key"].is_string() || !s.contains("signature") || !s["signature"].is_string())
    return fail(sl, "the seal lacks a field or has a wrong type");
  AuditSeal seal;
  seal.seq = s["seq"].get<uint64_t>();
  seal.head = s["head"].get<std::string>();
  seal.line = std::string(lines.back());
  if (seal.seq != log.records_.back().seq || seal.head != log.head())
    return fail(sl, fmt::format("the seal covers record {} but the log ends at record {} (records after the seal, or "
                                "a changed last record)",
                                seal.seq, log.records_.back().seq));
  auto key = public_key_from_base64(s["public_key"].get<std::string>());
  if (!key) return fail(sl, "the seal's public key is not valid");
  seal.key = *key;
  auto sig = base64_decode(s["signature"].get<std::string>());
  if (!sig || sig->size() != 64) return fail(sl, "the seal's signature is not valid base64 of 64 bytes");
  seal.signature = *sig;
  if (!verify_signature(seal.key, audit_seal_message(seal.seq, seal.head), seal.signature))
    return fail(sl, "the seal's signature does not match its head (the log or its seal was changed)");
  log.seal_ = std::move(seal);
  return log;
}

}  // namespace remit
