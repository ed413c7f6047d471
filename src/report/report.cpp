// `remit report`: build PKG/reports atomically and record the run
// (include/remit/report.hpp).
//
// Order of the commit, chosen so that every crash point leaves a package
// that verifies:
//   1. reports are written and signed in a staging folder next to PKG;
//   2. the new audit log (old records + "report.generated" naming the new
//      reports manifest's hash, newly sealed) replaces PKG/audit.jsonl by
//      rename;
//   3. the staging folder is swapped in as PKG/reports (RENAME_EXCHANGE or
//      RENAME_NOREPLACE).
// A crash between 2 and 3 leaves the old reports (recorded by an earlier
// record) or none: still verifying. A lock on the package folder keeps two
// report runs from interleaving.
#include "remit/report.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/file.h>
#include <unistd.h>

#include "package/fsutil.hpp"
#include "package/items_db.hpp"
#include "remit/audit.hpp"
#include "remit/hash.hpp"
#include "remit/local_audit.hpp"
#include "remit/package.hpp"
#include "remit/version.hpp"
#include "report/model.hpp"

namespace remit {
namespace {

namespace fs = std::filesystem;
using report::json;

Result<json> read_json(const fs::path& p) {
  auto text = pkg::read_small_file(p, 256ULL << 20);
  if (!text) return text.error();
  json j = json::parse(*text, nullptr, false);
  if (j.is_discarded() || !j.is_object()) return make_error(Errc::malformed, p.string() + ": not a JSON object");
  return j;
}

class DirLock {
 public:
  explicit DirLock(const fs::path& dir) : fd_(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC)) {}
  ~DirLock() {
    if (fd_ >= 0) ::close(fd_);
  }
  bool try_lock() { return fd_ >= 0 && ::flock(fd_, LOCK_EX | LOCK_NB) == 0; }

 private:
  int fd_;
};

}  // namespace

Result<ReportSummary> write_reports(const fs::path& pkg_in, const SigningKey& key, const ReportOptions& opt) {
  auto cancelled = [&] { return opt.cancel && opt.cancel->load(); };
  const fs::path pkg = fs::absolute(pkg_in).lexically_normal().has_filename()
                           ? fs::absolute(pkg_in).lexically_normal()
                           : fs::absolute(pkg_in).lexically_normal().parent_path();
  DirLock lock(pkg);
  if (!lock.try_lock())
    return make_error(Errc::refused, pkg.string() + ": another remit command is writing to this package");

  VerifyOptions vo;
  vo.trusted = opt.trusted;
  auto ver = verify_package(pkg, vo);
  if (!ver) return ver.error();
  if (!ver->ok)
    return make_error(Errc::findings, fmt::format("{}: the package does not verify, so no report is made: {}",
                                                  pkg.string(), ver->message));

  report::Model m;
  m.root = pkg;
  auto mt = pkg::read_small_file(pkg / "manifest.json", 256ULL << 20);
  if (!mt) return mt.error();
  m.manifest_text = *mt;
  m.manifest = json::parse(m.manifest_text, nullptr, false);
  auto st = read_json(pkg / "stats.json");
  if (!st) return st.error();
  m.stats = std::move(*st);
  auto sc = read_json(pkg / "scope.json");
  if (!sc) return sc.error();
  m.scope = std::move(*sc);
  m.time_zone = m.scope["case"].value("time_zone", "UTC");
  auto db = pkg::ItemsDbReader::open(pkg / "items.sqlite");
  if (!db) return db.error();
  if (auto s = db->for_each([&](pkg::StoredItem&& si) { m.items.push_back(std::move(si)); }); !s) return s.error();
  auto atext = pkg::read_small_file(pkg / "audit.jsonl", 256ULL << 20);
  if (!atext) return atext.error();
  auto audit = AuditLog::parse(*atext);
  if (!audit) return audit.error();
  m.audit = audit->records();
  m.held_at = !opt.held_at.empty()
                  ? opt.held_at
                  : (m.manifest.contains("full_extraction") ? m.manifest["full_extraction"].value("held_at", "")
                                                            : std::string());
  m.generated_utc = now_rfc3339();
  m.generated_by = opt.examiner.empty() ? current_user() : opt.examiner;
  m.signer_fingerprint = key.public_key().fingerprint();
  if (cancelled()) return make_error(Errc::refused, "interrupted: nothing was changed");

  auto staging = pkg::Staging::create(pkg / "reports", /*replace_existing=*/true, pkg.parent_path(),
                                      pkg.filename().string() + "-reports");
  if (!staging) return staging.error();
  const fs::path dir = staging->dir();
  const std::vector<std::pair<std::string, std::string>> files = {
      {"report.html", report::render_report_html(m)},   {"transparency.html", report::render_transparency_html(m)},
      {"timeline.csv", report::render_timeline_csv(m)}, {"locations.kml", report::render_locations_kml(m)},
      {"case.jsonld", report::render_case_jsonld(m)},
  };
  json flist = json::array();
  for (const auto& [name, body] : files) {
    if (cancelled()) return make_error(Errc::refused, "interrupted: nothing was changed");
    if (auto s = pkg::write_file_durable(dir / name, body); !s) return s.error();
    flist.push_back({{"path", name}, {"size", body.size()}, {"sha256", sha256_hex(body)}});
  }
  std::sort(flist.begin(), flist.end(), [](const json& a, const json& b) { return a["path"] < b["path"]; });

  json rm;
  rm["format"] = kReportsFormat;
  rm["package_id"] = m.manifest.value("package_id", "");
  rm["package_manifest_sha256"] = sha256_hex(m.manifest_text);
  rm["generated_utc"] = m.generated_utc;
  rm["generated_by"] = m.generated_by;
  rm["tool"] = {{"name", "remit"}, {"version", kVersion}};
  rm["audit_before"] = {{"seq", audit->records().back().seq}, {"head", audit->head()}};
  rm["items"] = m.items.size();
  rm["case_version"] = "CASE 1.3.0";
  rm["files"] = flist;
  rm["signer"] = {{"algorithm", "Ed25519"},
                  {"public_key", key.public_key().base64()},
                  {"fingerprint", key.public_key().fingerprint()}};
  const std::string rtext = rm.dump(2, ' ', false, json::error_handler_t::replace) + "\n";
  const std::string rsha = sha256_hex(rtext);
  auto sig = key.sign(manifest_signature_message("remit-reports-manifest", rsha));
  if (!sig) return sig.error();
  json sj = {{"algorithm", "Ed25519"},
             {"manifest_sha256", rsha},
             {"public_key", key.public_key().base64()},
             {"signature", base64_encode(*sig)}};
  if (auto s = pkg::write_file_durable(dir / "manifest.json", rtext); !s) return s.error();
  if (auto s = pkg::write_file_durable(dir / "manifest.sig", sj.dump() + "\n"); !s) return s.error();

  // The audit record of this run, then a new seal.
  json det = {{"reports_manifest_sha256", rsha},
              {"files",
               [&] {
                 json a = json::array();
                 for (const auto& f : flist) a.push_back(f["path"]);
                 return a;
               }()},
              {"items", m.items.size()},
              {"signer", key.public_key().base64()},
              {"tool_version", kVersion}};
  char host[256] = {};
  ::gethostname(host, sizeof host - 1);
  const AuditActor who{m.generated_by, current_user(), host};
  const int scope_version = m.manifest["scope"].value("version", 0);
  const std::string scope_sha = m.manifest["scope"].value("sha256", "");
  AuditLog log = std::move(*audit);
  log.append(who, "report.generated", scope_version, scope_sha, det.dump());
  auto new_audit = log.serialise(key);
  if (!new_audit) return new_audit.error();

  if (cancelled()) return make_error(Errc::refused, "interrupted: nothing was changed");
  // Step 2: the audit (its temporary name lives in the staging folder,
  // outside the package, so a crash never leaves an unlisted file inside).
  const fs::path tmp_audit = dir / ".audit.jsonl.new";
  if (auto s = pkg::write_file_durable(tmp_audit, *new_audit); !s) return s.error();
  if (::rename(tmp_audit.c_str(), (pkg / "audit.jsonl").c_str()) != 0)
    return make_error(Errc::io, fmt::format("{}: cannot replace the audit log: {}", (pkg / "audit.jsonl").string(),
                                            std::strerror(errno)));
  if (auto s = pkg::fsync_path(pkg, true); !s) return s.error();
  // Step 3: the reports.
  if (auto s = staging->commit(); !s) return s.error();

  // Belt and braces: the package must still verify.
  auto after = verify_package(pkg, vo);
  if (!after) return after.error();
  if (!after->ok)
    return make_error(Errc::internal, fmt::format("{}: after writing the reports the package does not verify: {}",
                                                  pkg.string(), after->message));
  ReportSummary sum;
  sum.dir = pkg / "reports";
  for (const auto& f : flist) sum.files.push_back(f["path"].get<std::string>());
  sum.files.push_back("manifest.json");
  sum.files.push_back("manifest.sig");
  sum.reports_manifest_sha256 = rsha;
  sum.items = m.items.size();
  return sum;
}

}  // namespace remit
