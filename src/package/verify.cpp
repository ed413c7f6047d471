// `remit verify`: integrity and signatures of a package (include/remit/package.hpp).
// Checks run in a fixed order and stop at the first failure, which is
// named (file, and audit line where it applies).
#include <fmt/format.h>
#include <sys/stat.h>

#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "package/fsutil.hpp"
#include "remit/audit.hpp"
#include "remit/hash.hpp"
#include "remit/package.hpp"

namespace remit {
namespace {

using json = nlohmann::json;
namespace fs = std::filesystem;

bool is_hex64(const json& j) {
  if (!j.is_string()) return false;
  const auto& s = j.get_ref<const std::string&>();
  return s.size() == 64 && s.find_first_not_of("0123456789abcdef") == std::string::npos;
}

// A package-relative path we would have written: no "..", no absolute
// names, no empty or dot segments, no backslashes or control characters.
bool safe_rel(const std::string& p) {
  if (p.empty() || p.front() == '/' || p.back() == '/') return false;
  for (unsigned char c : p)
    if (c < 0x20 || c == '\\' || c == 0x7f) return false;
  size_t start = 0;
  while (start <= p.size()) {
    const size_t slash = p.find('/', start);
    const std::string seg = p.substr(start, slash == std::string::npos ? std::string::npos : slash - start);
    if (seg.empty() || seg == "." || seg == "..") return false;
    if (slash == std::string::npos) break;
    start = slash + 1;
  }
  return true;
}

struct Verifier {
  fs::path root;
  const VerifyOptions& opt;
  VerifyReport rep;

  bool fail(std::string file, std::string message, std::optional<uint64_t> line = std::nullopt) {
    rep.ok = false;
    rep.first_file = std::move(file);
    rep.first_line = line;
    rep.message = std::move(message);
    return false;
  }
  void pass(std::string name, std::string detail = {}) {
    rep.checks.push_back({std::move(name), true, std::move(detail)});
  }
  bool check_fail(std::string name, std::string file, std::string message,
                  std::optional<uint64_t> line = std::nullopt) {
    rep.checks.push_back({std::move(name), false, message});
    return fail(std::move(file), std::move(message), line);
  }

  bool trusted(const PublicKey& k) const {
    for (const auto& t : opt.trusted)
      if (t == k) return true;
    return false;
  }

  // Reads a signature file: canonical compact JSON + "\n".
  std::optional<json> read_sig(const std::string& rel, const char* check) {
    auto text = pkg::read_small_file(root / rel, 1 << 16);
    if (!text) {
      check_fail(check, rel, fmt::format("{}: missing or unreadable ({})", rel, text.error().message));
      return std::nullopt;
    }
    json j = json::parse(*text, nullptr, false);
    if (j.is_discarded() || !j.is_object() || j.dump() + "\n" != *text || j.size() != 4 ||
        j.value("algorithm", "") != "Ed25519" || !j.contains("manifest_sha256") || !is_hex64(j["manifest_sha256"]) ||
        !j.contains("public_key") || !j["public_key"].is_string() || !j.contains("signature") ||
        !j["signature"].is_string()) {
      check_fail(check, rel, fmt::format("{}: not a valid signature file (it was changed)", rel));
      return std::nullopt;
    }
    return j;
  }

  // Checks a signed manifest pair; returns the manifest text and key.
  bool signed_manifest(const std::string& mrel, const std::string& srel, const char* kind, const char* check,
                       std::string& text_out, PublicKey& key_out) {
    auto sig = read_sig(srel, check);
    if (!sig) return false;
    auto text = pkg::read_small_file(root / mrel, 256ULL << 20);
    if (!text)
      return check_fail(check, mrel, fmt::format("{}: missing or unreadable ({})", mrel, text.error().message));
    const std::string sha = sha256_hex(*text);
    if (sha != (*sig)["manifest_sha256"].get<std::string>())
      return check_fail(check, mrel,
                        fmt::format("{}: changed since it was signed (SHA-256 {} but {} records {})", mrel, sha, srel,
                                    (*sig)["manifest_sha256"].get<std::string>()));
    auto key = public_key_from_base64((*sig)["public_key"].get<std::string>());
    if (!key) return check_fail(check, srel, srel + ": its public key is not a valid Ed25519 key");
    auto raw = base64_decode((*sig)["signature"].get<std::string>());
    if (!raw || raw->size() != 64 || !verify_signature(*key, manifest_signature_message(kind, sha), *raw))
      return check_fail(check, srel,
                        fmt::format("{}: the signature does not match {} (the signature file was "
                                    "changed, or it was not made with this key)",
                                    srel, mrel));
    text_out = std::move(*text);
    key_out = *key;
    return true;
  }

  bool check_files(const json& files, const std::string& prefix, const char* check, std::set<std::string>& listed) {
    if (!files.is_array()) return check_fail(check, prefix + "manifest.json", "the file list is missing");
    std::string prev;
    for (const auto& f : files) {
      if (!f.is_object() || !f.contains("path") || !f["path"].is_string() || !f.contains("sha256") ||
          !is_hex64(f["sha256"]) || !f.contains("size") || !f["size"].is_number_unsigned())
        return check_fail(check, prefix + "manifest.json", "a file entry lacks path, size or sha256");
      const std::string rel = f["path"].get<std::string>();
      if (!safe_rel(rel) || rel <= prev)
        return check_fail(check, prefix + "manifest.json", "the file list has an unsafe, duplicate or unsorted path");
      prev = rel;
      const std::string full = prefix + rel;
      listed.insert(full);
      // Every folder on the way must be a real folder inside the package
      // (a symbolic link would let a listed path point outside it).
      for (auto dir = fs::path(full).parent_path(); !dir.empty(); dir = dir.parent_path()) {
        struct stat ds {};
        if (::lstat((root / dir).c_str(), &ds) != 0 || !S_ISDIR(ds.st_mode))
          return check_fail(check, dir.generic_string(),
                            fmt::format("{}: not a folder (links are not allowed in a package)", dir.generic_string()));
      }
      struct stat st {};
      if (::lstat((root / full).c_str(), &st) != 0)
        return check_fail(check, full, fmt::format("{}: listed in the manifest but missing", full));
      if (!S_ISREG(st.st_mode))
        return check_fail(check, full, fmt::format("{}: not a regular file (links are not allowed)", full));
      if (static_cast<uint64_t>(st.st_size) != f["size"].get<uint64_t>())
        return check_fail(
            check, full,
            fmt::format("{}: size {} but the manifest records {}", full, st.st_size, f["size"].get<uint64_t>()));
      auto h = sha256_file(root / full);
      if (!h) return check_fail(check, full, fmt::format("{}: unreadable: {}", full, h.error().message));
      if (*h != f["sha256"].get<std::string>())
        return check_fail(check, full,
                          fmt::format("{}: SHA-256 {} but the manifest records {} (the file was changed)", full, *h,
                                      f["sha256"].get<std::string>()));
      ++rep.files_checked;
    }
    return true;
  }

  bool run() {
    rep.ok = true;
    if (pkg::is_staging_name(root.filename().string()))
      return check_fail("package folder", ".",
                        fmt::format("{}: an unfinished staging folder of an interrupted run, "
                                    "not a package (remit removes it on the next run)",
                                    root.string()));
    // 1. The manifest and its signature.
    std::string mtext;
    PublicKey signer;
    if (!signed_manifest("manifest.json", "manifest.sig", "remit-manifest", "manifest signature", mtext, signer))
      return false;
    json m = json::parse(mtext, nullptr, false);
    if (m.is_discarded() || !m.is_object() || m.value("format", "") != kPackageFormat)
      return check_fail("manifest", "manifest.json", fmt::format("manifest.json: not a {} manifest", kPackageFormat));
    const bool structure_ok =
        m.contains("package_id") && m["package_id"].is_string() && m.contains("signer") && m["signer"].is_object() &&
        m["signer"].contains("public_key") && m["signer"]["public_key"].is_string() && m.contains("scope") &&
        m["scope"].is_object() && m["scope"].contains("sha256") && is_hex64(m["scope"]["sha256"]) &&
        m.contains("container") && m["container"].is_object() && m["container"].contains("sha256") &&
        is_hex64(m["container"]["sha256"]) && m.contains("audit") && m["audit"].is_object() &&
        m["audit"].contains("sealed_seq") && m["audit"]["sealed_seq"].is_number_unsigned() &&
        m["audit"].contains("sealed_head") && is_hex64(m["audit"]["sealed_head"]) && m.contains("files");
    if (!structure_ok) return check_fail("manifest", "manifest.json", "manifest.json: a required field is missing");
    auto mkey = public_key_from_base64(m["signer"]["public_key"].get<std::string>());
    if (!mkey || !(*mkey == signer))
      return check_fail("manifest signature", "manifest.sig",
                        "manifest.sig: signed with a key other than the signer the manifest names");
    rep.signer = signer;
    rep.package_id = m["package_id"].get<std::string>();
    rep.case_reference = m.value("case_reference", "");
    rep.scope_version = m["scope"].value("version", 0);
    rep.supplementary = m.value("kind", "") == "supplementary";
    if (!opt.trusted.empty()) {
      if (!trusted(signer))
        return check_fail("signer", "manifest.sig",
                          fmt::format("manifest.sig: signed by key {} ({}), which is not a trusted key",
                                      signer.fingerprint(), signer.base64()));
      rep.signer_trusted = true;
    }
    pass("manifest signature", fmt::format("Ed25519, key {}", signer.fingerprint()));

    // 2. Every listed file.
    std::set<std::string> listed{"manifest.json", "manifest.sig", "audit.jsonl"};
    if (!check_files(m["files"], "", "files", listed)) return false;
    for (const char* required : {"items.sqlite", "scope.toml", "scope.json", "stats.json"})
      if (!listed.count(required))
        return check_fail("files", "manifest.json", fmt::format("manifest.json: does not list {}", required));
    for (const auto& f : m["files"])
      if (f["path"] == "scope.toml" && f["sha256"] != m["scope"]["sha256"])
        return check_fail("files", "manifest.json", "manifest.json: the scope's hash and scope.toml's hash differ");
    pass("files", fmt::format("{} files, every SHA-256 matches", rep.files_checked));

    // 3. The audit chain and seal.
    auto atext = pkg::read_small_file(root / "audit.jsonl", 256ULL << 20);
    if (!atext) return check_fail("audit", "audit.jsonl", "audit.jsonl: missing or unreadable");
    AuditProblem problem;
    auto log = AuditLog::parse(*atext, &problem);
    if (!log)
      return check_fail("audit", "audit.jsonl", log.error().message,
                        problem.line ? std::optional(problem.line) : std::nullopt);
    const uint64_t sealed = m["audit"]["sealed_seq"].get<uint64_t>();
    if (sealed == 0 || sealed > log->records().size() ||
        log->records()[sealed - 1].hash != m["audit"]["sealed_head"].get<std::string>())
      return check_fail("audit", "audit.jsonl",
                        fmt::format("audit.jsonl: line {}: the record the manifest sealed was changed or removed",
                                    std::min<uint64_t>(sealed, log->records().size())),
                        std::min<uint64_t>(sealed, log->records().size()));
    const auto& first = log->records().front();
    json fd = json::parse(first.details_json, nullptr, false);
    if (first.action != "extract.started" || fd.is_discarded() || fd.value("package_id", "") != rep.package_id)
      return check_fail("audit", "audit.jsonl", "audit.jsonl: line 1: does not start this package's extraction", 1);
    const PublicKey& skey = log->seal()->key;
    if (!(skey == signer)) {
      if (!opt.trusted.empty() && !trusted(skey))
        return check_fail("audit", "audit.jsonl",
                          fmt::format("audit.jsonl: line {}: sealed by key {}, which is not a trusted key",
                                      log->records().size() + 1, skey.fingerprint()),
                          log->records().size() + 1);
      rep.other_keys.push_back(skey);
    }
    rep.audit_records = log->records().size();
    pass("audit",
         fmt::format("{} records, chain intact, seal signed by key {}", rep.audit_records, skey.fingerprint()));

    // 4. Reports (optional).
    struct stat st {};
    if (::lstat((root / "reports").c_str(), &st) == 0) {
      if (!S_ISDIR(st.st_mode)) return check_fail("reports", "reports", "reports: not a folder");
      std::string rtext;
      PublicKey rkey;
      if (!signed_manifest("reports/manifest.json", "reports/manifest.sig", "remit-reports-manifest", "reports", rtext,
                           rkey))
        return false;
      json r = json::parse(rtext, nullptr, false);
      if (r.is_discarded() || !r.is_object() || r.value("format", "") != kReportsFormat || !r.contains("files"))
        return check_fail("reports", "reports/manifest.json",
                          fmt::format("reports/manifest.json: not a {} manifest", kReportsFormat));
      if (r.value("package_manifest_sha256", "") != sha256_hex(mtext))
        return check_fail("reports", "reports/manifest.json",
                          "reports/manifest.json: made for another package (its package manifest hash differs)");
      if (!(rkey == signer)) {
        if (!opt.trusted.empty() && !trusted(rkey))
          return check_fail(
              "reports", "reports/manifest.sig",
              fmt::format("reports/manifest.sig: signed by key {}, which is not a trusted key", rkey.fingerprint()));
        if (!(rkey == skey)) rep.other_keys.push_back(rkey);
      }
      listed.insert("reports/manifest.json");
      listed.insert("reports/manifest.sig");
      const uint64_t before = rep.files_checked;
      if (!check_files(r["files"], "reports/", "reports", listed)) return false;
      const std::string rsha = sha256_hex(rtext);
      bool recorded = false;
      for (const auto& rec : log->records()) {
        if (rec.action != "report.generated") continue;
        json d = json::parse(rec.details_json, nullptr, false);
        if (!d.is_discarded() && d.value("reports_manifest_sha256", "") == rsha) recorded = true;
      }
      if (!recorded)
        return check_fail("reports", "reports/manifest.json",
                          "reports/manifest.json: no audit record of the report run that made it");
      rep.reports = true;
      pass("reports", fmt::format("{} files, signed by key {}, recorded in the audit", rep.files_checked - before,
                                  rkey.fingerprint()));
    }

    // 5. Nothing unlisted.
    std::set<std::string> dirs;
    for (const auto& l : listed)
      for (auto p = fs::path(l).parent_path(); !p.empty(); p = p.parent_path()) dirs.insert(p.generic_string());
    for (const char* d : {"media", "notice"}) dirs.insert(d);
    std::error_code ec;
    std::vector<std::string> found;
    for (auto it = fs::recursive_directory_iterator(root, ec); !ec && it != fs::recursive_directory_iterator();
         it.increment(ec)) {
      const std::string rel = fs::relative(it->path(), root).generic_string();
      const auto s = it->symlink_status(ec);
      if (fs::is_directory(s)) {
        if (!dirs.count(rel)) found.push_back(rel + "/");
      } else if (!fs::is_regular_file(s) || !listed.count(rel)) {
        found.push_back(rel);
      }
    }
    if (ec) return check_fail("unlisted files", ".", fmt::format("{}: cannot list: {}", root.string(), ec.message()));
    if (!found.empty()) {
      std::sort(found.begin(), found.end());
      return check_fail("unlisted files", found.front(),
                        fmt::format("{}: not listed in any signed manifest (added after signing)", found.front()));
    }
    pass("unlisted files", "none");

    // 6. The link to the parent package.
    if (rep.supplementary) {
      if (!m.contains("supplements") || !m["supplements"].is_object() ||
          !is_hex64(m["supplements"].value("manifest_sha256", json())))
        return check_fail("parent", "manifest.json", "manifest.json: a supplementary package without its parent link");
      rep.parent_manifest_sha256 = m["supplements"]["manifest_sha256"].get<std::string>();
      if (opt.parent) {
        VerifyOptions popt{opt.trusted, std::nullopt};
        auto pr = verify_package(*opt.parent, popt);
        if (!pr) return check_fail("parent", "manifest.json", pr.error().message);
        if (!pr->ok)
          return check_fail("parent", "manifest.json",
                            fmt::format("the parent package does not verify: {}", pr->message));
        auto ptext = pkg::read_small_file(*opt.parent / "manifest.json", 256ULL << 20);
        if (!ptext || sha256_hex(*ptext) != rep.parent_manifest_sha256)
          return check_fail("parent", "manifest.json",
                            fmt::format("manifest.json: supplements the package whose manifest has SHA-256 {}, not {}",
                                        rep.parent_manifest_sha256, opt.parent->string()));
        if (m["supplements"].value("container_sha256", "") != m["container"]["sha256"].get<std::string>())
          return check_fail("parent", "manifest.json", "manifest.json: the parent package is of other evidence");
        rep.parent_checked = true;
        pass("parent", fmt::format("supplements package {} (verified)", m["supplements"].value("package_id", "")));
      } else {
        pass("parent", fmt::format("supplements package {} with manifest SHA-256 {} (not checked: give --parent)",
                                   m["supplements"].value("package_id", ""), rep.parent_manifest_sha256));
      }
    }
    return true;
  }
};

}  // namespace

Result<VerifyReport> verify_package(const fs::path& pkg, const VerifyOptions& options) {
  std::error_code ec;
  const auto s = fs::symlink_status(pkg, ec);
  if (ec || !fs::exists(s)) return make_error(Errc::not_found, pkg.string() + ": no such package folder");
  if (!fs::is_directory(s)) return make_error(Errc::usage, pkg.string() + ": not a folder (a package is a folder)");
  Verifier v{fs::absolute(pkg).lexically_normal(), options, {}};
  if (!v.root.has_filename()) v.root = v.root.parent_path();
  v.run();
  return std::move(v.rep);
}

}  // namespace remit
