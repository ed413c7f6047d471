// `remit extract`: evidence -> parsers -> scope -> package (include/remit/package.hpp).
//
// One pass, two cores: the Source hashes the container on its own thread
// (one sequential read) while this thread detects artifacts, runs the
// parsers, judges every item against the scope and writes only in-scope
// items and their files into the staging folder. In-scope files are hashed
// while they are copied; nothing else is hashed individually, except media
// whose size collides with another media file's (for the de-duplicated
// intrusion count, src/package/stats.hpp). Out-of-scope items change
// counters only.
#include <fcntl.h>
#include <fmt/format.h>
#include <unistd.h>

#include <chrono>
#include <future>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <thread>
#include <unordered_map>
#include <unordered_set>

#include "package/device_identity.hpp"
#include "package/fsutil.hpp"
#include "package/items_db.hpp"
#include "package/scope_json.hpp"
#include "package/stats.hpp"
#include "remit/audit.hpp"
#include "remit/hash.hpp"
#include "remit/local_audit.hpp"
#include "remit/package.hpp"
#include "remit/registry.hpp"
#include "remit/text.hpp"
#include "remit/version.hpp"

namespace remit {
namespace {

using json = nlohmann::json;
namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

struct Interrupted {};

Error interrupted() {
  return make_error(Errc::refused, "interrupted: nothing was written");
}

std::string random_id() {
  Hasher h;
  h.update(now_rfc3339());
  h.update(std::to_string(::getpid()));
  unsigned char buf[16];
  const int fd = ::open("/dev/urandom", O_RDONLY | O_CLOEXEC);
  if (fd >= 0) {
    if (::read(fd, buf, sizeof buf) == static_cast<ssize_t>(sizeof buf)) h.update(std::span<const unsigned char>(buf));
    ::close(fd);
  }
  return h.hex_final().substr(0, 32);
}

std::string host_name() {
  char host[256] = {};
  ::gethostname(host, sizeof host - 1);
  return host;
}

// A safe, lower-case file extension ("" if none): at most 8 ASCII letters or digits.
std::string safe_extension(const FileRef& f) {
  for (std::string_view n : {std::string_view(f.name), std::string_view(f.path)}) {
    const auto slash = n.find_last_of("/\\");
    if (slash != std::string_view::npos) n = n.substr(slash + 1);
    const auto dot = n.rfind('.');
    if (dot == std::string_view::npos || dot + 1 >= n.size()) continue;
    const auto ext = n.substr(dot + 1);
    if (ext.size() > 8) continue;
    bool ok = true;
    for (char c : ext)
      if (!std::isalnum(static_cast<unsigned char>(c))) ok = false;
    if (ok) return "." + ascii_lower(ext);
  }
  return {};
}

// Copies in-scope files into media/, hashing while copying.
class MediaCopier {
 public:
  MediaCopier(const Source& src, fs::path dir, const std::atomic<bool>* cancel)
      : src_(src), dir_(std::move(dir)), cancel_(cancel) {}

  struct Copied {
    std::string sha256;
    std::string rel;  // "media/<sha>.<ext>"
  };

  Result<Copied> copy(const Entry& e, const FileRef& ref) {
    if (auto it = by_entry_.find(e.ordinal); it != by_entry_.end()) return it->second;
    const fs::path partial = dir_ / fmt::format(".partial-{}", ++seq_);
    const int fd = ::open(partial.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0644);
    if (fd < 0)
      return make_error(Errc::io, fmt::format("{}: cannot create: {}", partial.string(), std::strerror(errno)));
    Hasher h;
    uint64_t n = 0;
    bool write_failed = false;
    auto st = src_.stream(e, [&](std::span<const unsigned char> chunk) {
      if (cancel_ && cancel_->load()) return false;
      h.update(chunk);
      size_t off = 0;
      while (off < chunk.size()) {
        const ssize_t w = ::write(fd, chunk.data() + off, chunk.size() - off);
        if (w < 0 && errno == EINTR) continue;
        if (w <= 0) {
          write_failed = true;
          return false;
        }
        off += static_cast<size_t>(w);
      }
      n += chunk.size();
      return true;
    });
    ::close(fd);
    if (cancel_ && cancel_->load()) {
      ::unlink(partial.c_str());
      throw Interrupted{};
    }
    if (!st || write_failed) {
      ::unlink(partial.c_str());
      if (write_failed)
        return make_error(Errc::io, fmt::format("{}: write failed: {}", partial.string(), std::strerror(errno)));
      return std::move(st).error();
    }
    Copied c;
    c.sha256 = h.hex_final();
    if (auto it = by_sha_.find(c.sha256); it != by_sha_.end()) {
      ::unlink(partial.c_str());
      c.rel = it->second;
    } else {
      const std::string name = c.sha256 + safe_extension(ref);
      if (::rename(partial.c_str(), (dir_ / name).c_str()) != 0) {
        ::unlink(partial.c_str());
        return make_error(Errc::io, fmt::format("{}: cannot name: {}", (dir_ / name).string(), std::strerror(errno)));
      }
      c.rel = "media/" + name;
      by_sha_[c.sha256] = c.rel;
      ++files_;
      bytes_ += n;
      sha_by_rel_[c.rel] = c.sha256;
    }
    by_entry_[e.ordinal] = c;
    return c;
  }

  // Hash only (items already held by an earlier package).
  std::string hash(const Entry& e) {
    if (auto it = by_entry_.find(e.ordinal); it != by_entry_.end()) return it->second.sha256;
    if (auto it = hashed_.find(e.ordinal); it != hashed_.end()) return it->second;
    if (!e.sha256.empty()) return e.sha256;  // hashed by the source while indexing (compressed streams)
    Hasher h;
    auto st = src_.stream(e, [&](std::span<const unsigned char> chunk) {
      h.update(chunk);
      return !(cancel_ && cancel_->load());
    });
    if (!st) return {};
    return hashed_[e.ordinal] = h.hex_final();
  }

  [[nodiscard]] uint64_t files() const { return files_; }
  [[nodiscard]] uint64_t bytes() const { return bytes_; }
  [[nodiscard]] const std::map<std::string, std::string>& sha_by_rel() const { return sha_by_rel_; }

 private:
  const Source& src_;
  fs::path dir_;
  const std::atomic<bool>* cancel_;
  uint64_t seq_ = 0, files_ = 0, bytes_ = 0;
  std::unordered_map<uint32_t, Copied> by_entry_;
  std::unordered_map<uint32_t, std::string> hashed_;
  std::unordered_map<std::string, std::string> by_sha_;
  std::map<std::string, std::string> sha_by_rel_;
};

struct ParentInfo {
  std::string package_id;
  std::string manifest_sha256;
  std::string container_sha256;
  int scope_version = 0;
  std::unordered_set<std::string> locators;
};

Result<ParentInfo> read_parent(const fs::path& parent) {
  auto rep = verify_package(parent);
  if (!rep) return rep.error();
  if (!rep->ok)
    return make_error(Errc::refused, fmt::format("--supplements {}: the earlier package does not verify: {}",
                                                 parent.string(), rep->message));
  auto mtext = pkg::read_small_file(parent / "manifest.json");
  if (!mtext) return mtext.error();
  json m = json::parse(*mtext, nullptr, false);
  if (m.is_discarded()) return make_error(Errc::malformed, (parent / "manifest.json").string() + ": not JSON");
  ParentInfo p;
  p.package_id = m.value("package_id", "");
  p.manifest_sha256 = sha256_hex(*mtext);
  p.container_sha256 = m["container"].value("sha256", "");
  p.scope_version = m["scope"].value("version", 0);
  auto db = pkg::ItemsDbReader::open(parent / "items.sqlite");
  if (!db) return db.error();
  auto locs = db->locators(true);
  if (!locs) return locs.error();
  p.locators.insert(locs->begin(), locs->end());
  return p;
}

const char* severity_token(Severity s) {
  switch (s) {
    case Severity::error:
      return "error";
    case Severity::warning:
      return "warning";
    default:
      return "info";
  }
}

struct WarningKey {
  std::string parser, code, message, path;
  bool operator<(const WarningKey& o) const {
    return std::tie(parser, code, message, path) < std::tie(o.parser, o.code, o.message, o.path);
  }
};

}  // namespace

std::string manifest_signature_message(std::string_view kind, std::string_view manifest_sha256) {
  return fmt::format("{}/1\n{}\n", kind, manifest_sha256);
}

Result<ExtractSummary> extract_package(Source& source, const Scope& scope, const SigningKey& key,
                                       const ExtractOptions& opt) {
  const std::string started = now_rfc3339();
  auto cancelled = [&] { return opt.cancel && opt.cancel->load(); };
  if (trim(opt.examiner).empty()) return make_error(Errc::usage, "--examiner NAME is required (recorded in the audit)");
  if (!opt.match) return make_error(Errc::internal, "extract_package: no scope matcher");
  if (!opt.write_notice) return make_error(Errc::internal, "extract_package: no notice writer");
  if (!opt.parties) return make_error(Errc::internal, "extract_package: no party normaliser");
  if (scope.agreement.withdrawn)
    return make_error(Errc::refused, "the device user's agreement has been withdrawn: nothing may be extracted");
  std::optional<std::string> acquisition;
  if (opt.acquisition_sha256) {
    std::string a = ascii_lower(trim(*opt.acquisition_sha256));
    if (a.size() != 64 || a.find_first_not_of("0123456789abcdef") != std::string::npos)
      return make_error(Errc::usage, "--acquisition-hash must be a SHA-256 in hex (64 digits)");
    acquisition = a;
  }
  const std::string scope_sha = scope.sha256.empty() ? sha256_hex(scope.text) : scope.sha256;

  // Never write into folder evidence.
  {
    std::error_code ec;
    const fs::path out_abs = fs::weakly_canonical(fs::absolute(opt.out), ec);
    const fs::path ev_abs = fs::weakly_canonical(fs::absolute(source.location()), ec);
    if (source.kind() != SourceKind::tar && source.kind() != SourceKind::zip) {
      auto rel = out_abs.lexically_relative(ev_abs);
      if (!rel.empty() && *rel.begin() != "..")
        return make_error(Errc::refused, fmt::format("{}: is inside the evidence folder {}; evidence is never "
                                                     "modified, write the package elsewhere",
                                                     opt.out.string(), source.location().string()));
    }
  }

  std::optional<ParentInfo> parent;
  if (opt.supplements) {
    auto p = read_parent(*opt.supplements);
    if (!p) return p.error();
    if (scope.version <= p->scope_version)
      return make_error(Errc::refused,
                        fmt::format("--supplements: the scope is version {}, the earlier package used version {}; a "
                                    "supplementary package needs a later (widened) scope version",
                                    scope.version, p->scope_version));
    if (scope.parent_version && *scope.parent_version != p->scope_version)
      return make_error(Errc::refused, fmt::format("--supplements: the scope says its parent is version {}, but the "
                                                   "earlier package used version {}",
                                                   *scope.parent_version, p->scope_version));
    parent = std::move(*p);
  }

  auto staging = pkg::Staging::create(opt.out);
  if (!staging) return staging.error();
  const fs::path dir = staging->dir();
  const fs::path media_dir = dir / "media";
  const fs::path notice_dir = dir / "notice";
  std::error_code ec;
  fs::create_directory(media_dir, ec);
  if (!ec) fs::create_directory(notice_dir, ec);
  if (ec) return make_error(Errc::io, fmt::format("{}: cannot create folders: {}", dir.string(), ec.message()));

  const std::string package_id = random_id();
  const AuditActor who{opt.examiner, current_user(), host_name()};
  AuditLog audit;
  {
    json d = {{"tool", "remit"},
              {"tool_version", kVersion},
              {"package_id", package_id},
              {"evidence", opt.evidence_label.empty() ? source.location().string() : opt.evidence_label},
              {"container",
               {{"name", source.display_name()},
                {"kind", std::string(to_string(source.kind()))},
                {"size", source.container_size()}}},
              {"signer", {{"algorithm", "Ed25519"}, {"public_key", key.public_key().base64()}}},
              {"kind", parent ? "supplementary" : "extraction"}};
    if (parent) d["supplements"] = {{"package_id", parent->package_id}, {"manifest_sha256", parent->manifest_sha256}};
    if (staging->stale_removed()) d["stale_staging_removed"] = staging->stale_removed();
    audit.append(who, "extract.started", scope.version, scope_sha, d.dump(), started);
  }
  {
    json f = json::array();
    for (const auto& p : opt.plan_findings)
      f.push_back({{"rule", p.rule}, {"severity", severity_token(p.severity)}, {"line", p.line_id}});
    json d = {
        {"findings", f},
        {"notice_version", scope.agreement.notice_version},
        {"agreement",
         {{"given_by", scope.agreement.given_by}, {"form", scope.agreement.form}, {"time", scope.agreement.time_text}}},
        {"sanctioned_by",
         {{"name", scope.authorisation.sanctioning.name},
          {"rank", scope.authorisation.sanctioning.rank},
          {"time", scope.authorisation.sanction_time_text}}},
        {"lines", scope.lines.size()}};
    if (scope.parent_version) d["parent_version"] = *scope.parent_version;
    audit.append(who, "scope.checked", scope.version, scope_sha, d.dump());
  }

  const pkg::DeviceInfo device = pkg::read_device_info(source);
  std::vector<Detection> detections;
  if (!opt.artifacts) {
    detections = detect_artifacts(source);
  } else {
    for (const auto& spec : *opt.artifacts)
      for (const Entry& e : source.entries()) {
        if (e.type != EntryType::file || e.duplicate || e.path.empty()) continue;
        for (auto pat : spec.patterns)
          if (match_pattern(e.path, pat, spec.case_insensitive)) {
            detections.push_back(Detection{&spec, &e, false});
            break;
          }
      }
  }
  {
    std::map<std::string, uint64_t> notes;
    for (const auto& n : source.notes()) ++notes[n.code];
    uint64_t files = 0;
    for (const auto& e : source.entries())
      if (e.type == EntryType::file) ++files;
    json d = {{"entries", source.entries().size()},
              {"files", files},
              {"notes", notes},
              {"artifacts_detected", detections.size()}};
    audit.append(who, "evidence.opened", scope.version, scope_sha, d.dump());
  }

  auto db = pkg::ItemsDbWriter::create(dir / "items.sqlite");
  if (!db) return db.error();
  db->set_meta("package_id", package_id);
  db->set_meta("case_reference", scope.case_reference);
  db->set_meta("scope_version", std::to_string(scope.version));
  db->set_meta("scope_sha256", scope_sha);
  if (parent) {
    for (const auto& l : parent->locators)
      if (auto st = db->add_prior(l); !st) return st.error();
  }

  pkg::IntrusionCounter counter(scope);
  MediaCopier copier(source, media_dir, opt.cancel);
  ExtractProgress prog;
  prog.phase = "parsing";
  prog.artifacts_total = detections.size();
  auto last_progress = Clock::now();
  auto report_progress = [&](bool force) {
    if (!opt.on_progress) return;
    const auto now = Clock::now();
    if (!force && now - last_progress < std::chrono::milliseconds(100)) return;
    last_progress = now;
    prog.media_copied = copier.files();
    opt.on_progress(prog);
  };

  std::vector<Warning> warnings;
  std::map<std::string, uint64_t> in_scope_by_cat, out_scope_by_cat;
  uint64_t written = 0, in_parent = 0, near_edge = 0;
  std::vector<uint64_t> det_items(detections.size()), det_scope(detections.size());
  size_t cur = 0;
  std::optional<Error> fatal;

  auto sink = [&](Item&& it) {
    if (cancelled()) throw Interrupted{};
    if (fatal) return;
    ++prog.items_seen;
    ++det_items[cur];
    const Entry* media_entry = nullptr;
    if (it.category == Category::media && it.file && !it.file->missing && !it.file->path.empty())
      media_entry = source.find(it.file->path);
    counter.on_device(it, media_entry);
    MatchResult m = opt.match(it);
    const std::string cat(to_string(it.category));
    if (!m.in_scope) {
      ++out_scope_by_cat[cat];
      report_progress(false);
      return;
    }
    ++in_scope_by_cat[cat];
    ++det_scope[cur];
    ++prog.items_in_scope;
    if (m.near_edge) ++near_edge;
    std::string media_sha;
    if (parent && parent->locators.count(it.provenance.locator())) {
      ++in_parent;
      if (media_entry) media_sha = copier.hash(*media_entry);
      counter.in_scope(it, m, media_sha);
      return;
    }
    std::vector<FileRef*> files;
    for (auto& a : it.attachments) files.push_back(&a);
    if (it.file) files.push_back(&*it.file);
    std::vector<std::string> media;
    for (FileRef* f : files) {
      if (f->missing || f->path.empty()) {
        media.emplace_back();
        continue;
      }
      const Entry* e = source.find(f->path);
      if (!e) {
        warnings.push_back(Warning{it.provenance.parser, f->path, "media_not_found",
                                   "an in-scope item's file is not in the extraction", 1});
        media.emplace_back();
        continue;
      }
      auto c = copier.copy(*e, *f);
      if (!c) {
        warnings.push_back(Warning{it.provenance.parser, f->path, "media_unreadable",
                                   "an in-scope item's file could not be copied: " + c.error().message, 1});
        media.emplace_back();
        continue;
      }
      if (!f->sha256.empty() && f->sha256 != c->sha256)
        warnings.push_back(Warning{it.provenance.parser, f->path, "media_changed",
                                   "the file's SHA-256 differs between parsing and copying", 1});
      f->sha256 = c->sha256;
      if (!f->size) f->size = e->size;
      media.push_back(c->rel);
    }
    if (it.category == Category::media && it.file) media_sha = it.file->sha256;
    if (auto st = db->add(it, m.lines, m.near_edge, media); !st) {
      fatal = st.error();
      return;
    }
    ++written;
    counter.in_scope(it, m, media_sha);
    report_progress(false);
  };

  ParseEnv env{source, *opt.parties, sink, [&](Warning&& w) { warnings.push_back(std::move(w)); }};
  env.hash_files = false;  // only exported files are hashed (while copied)
  uint64_t parser_failures = 0;
  report_progress(true);
  for (size_t i = 0; i < detections.size(); ++i) {
    if (cancelled()) return interrupted();
    cur = i;
    try {
      parser_failures += run_parsers(env, std::span(&detections[i], 1)).parser_failures;
    } catch (const Interrupted&) {
      return interrupted();
    }
    if (fatal) return *fatal;
    if (cancelled()) return interrupted();
    ++prog.artifacts_done;
    report_progress(false);
  }

  auto count = db->finish();
  if (!count) return count.error();
  if (cancelled()) return interrupted();

  prog.phase = "hashing";
  report_progress(true);
  // The container digest: wait for the hash thread, staying responsive to
  // an interruption (the Source's destructor stops the thread).
  Result<ContainerDigest> digest = make_error(Errc::internal, "no digest");
  if (source.kind() == SourceKind::folder || source.kind() == SourceKind::itunes_backup) {
    digest = source.container_digest();
  } else {
    auto slot = std::make_shared<std::promise<Result<ContainerDigest>>>();
    auto fut = slot->get_future();
    std::thread([slot, &source] { slot->set_value(source.container_digest()); }).detach();
    while (fut.wait_for(std::chrono::milliseconds(100)) != std::future_status::ready) {
      if (cancelled()) return interrupted();
      report_progress(true);
    }
    digest = fut.get();
  }
  if (!digest) return digest.error();
  if (acquisition && digest->sha256 != *acquisition)
    return make_error(Errc::refused,
                      fmt::format("{}: SHA-256 {} differs from the acquisition hash {}: this is not the evidence that "
                                  "was acquired (or it has changed); nothing was written",
                                  source.location().string(), digest->sha256, *acquisition));
  if (parent && !parent->container_sha256.empty() && parent->container_sha256 != digest->sha256)
    return make_error(Errc::refused, fmt::format("--supplements: this is not the evidence the earlier package was made "
                                                 "from (SHA-256 {} there, {} here); nothing was written",
                                                 parent->container_sha256, digest->sha256));

  prog.phase = "sealing";
  report_progress(true);
  const std::string stats = counter.finish(
      source, opt.cancel,
      {{"package_id", package_id}, {"kind", parent ? "supplementary" : "extraction"}, {"extracted_utc", started}},
      written, in_parent);
  if (cancelled()) return interrupted();

  // Fixed files.
  if (auto st = pkg::write_file_durable(dir / "scope.toml", scope.text); !st) return st.error();
  if (auto st = pkg::write_file_durable(dir / "scope.json", pkg::scope_to_json(scope)); !st) return st.error();
  if (auto st = pkg::write_file_durable(dir / "stats.json", stats); !st) return st.error();
  if (auto st = opt.write_notice(scope, notice_dir); !st)
    return make_error(st.error().code, "writing the notice: " + st.error().message);

  // Audit: what ran, what was found, what was kept.
  {
    std::map<std::string, json> by_parser;
    for (size_t i = 0; i < detections.size(); ++i) {
      const auto& d = detections[i];
      auto& p = by_parser[std::string(d.spec->id)];
      if (p.is_null()) {
        auto parser = d.spec->make();
        p = {{"parser", std::string(d.spec->id)},
             {"version", std::string(parser->version())},
             {"files", 0},
             {"items_read", 0},
             {"items_in_scope", 0},
             {"paths", json::array()}};
      }
      p["files"] = p["files"].get<uint64_t>() + 1;
      p["items_read"] = p["items_read"].get<uint64_t>() + det_items[i];
      p["items_in_scope"] = p["items_in_scope"].get<uint64_t>() + det_scope[i];
      // Database paths are named; per-file media paths are not (file names
      // of out-of-scope photos are content).
      if (d.spec->platform != "media" && p["paths"].size() < 20) p["paths"].push_back(d.entry->path);
      if (d.ambiguous) p["ambiguous"] = true;
    }
    json parsers = json::array();
    for (auto& [k, v] : by_parser) parsers.push_back(v);
    audit.append(who, "parsers.ran", scope.version, scope_sha,
                 json({{"parsers", parsers}, {"parser_failures", parser_failures}}).dump());

    std::set<std::string> named_paths;
    for (const auto& d : detections)
      if (d.spec->platform != "media") named_paths.insert(d.entry->path);
    std::map<WarningKey, uint64_t> wk;
    for (const auto& w : warnings) {
      // Paths only where they name a parsed database or an in-scope file.
      const bool nameable = named_paths.count(w.path) || w.code.rfind("media_", 0) == 0;
      wk[WarningKey{w.parser, w.code, w.message, nameable ? w.path : std::string()}] += w.count;
    }
    json wl = json::array();
    for (const auto& [k, n] : wk) {
      json o = {{"parser", k.parser}, {"code", k.code}, {"message", k.message}, {"count", n}};
      if (!k.path.empty()) o["path"] = k.path;
      wl.push_back(o);
    }
    audit.append(who, "warnings.recorded", scope.version, scope_sha,
                 json({{"warnings", wl}, {"total", warnings.size()}}).dump());
    audit.append(who, "scope.applied", scope.version, scope_sha,
                 json({{"items_read", prog.items_seen},
                       {"in_scope", in_scope_by_cat},
                       {"out_of_scope", out_scope_by_cat},
                       {"near_edge", near_edge},
                       {"written", written},
                       {"in_earlier_packages", in_parent}})
                     .dump());
    audit.append(who, "media.copied", scope.version, scope_sha,
                 json({{"files", copier.files()}, {"bytes", copier.bytes()}}).dump());
    json h = {
        {"sha256", digest->sha256}, {"bytes", digest->bytes}, {"of", digest->inventory ? "inventory" : "container"}};
    if (!digest->md5.empty()) h["md5"] = digest->md5;
    h["acquisition_hash"] = acquisition ? "matched" : "not given";
    audit.append(who, "evidence.hashed", scope.version, scope_sha, h.dump());
  }

  // The files list (everything but manifest.*, audit.jsonl, which cover themselves).
  json files = json::array();
  uint64_t nfiles = 0;
  {
    std::vector<std::string> rels;
    for (auto it = fs::recursive_directory_iterator(dir, ec); !ec && it != fs::recursive_directory_iterator();
         it.increment(ec)) {
      const auto s = it->symlink_status(ec);
      if (fs::is_regular_file(s))
        rels.push_back(fs::relative(it->path(), dir).generic_string());
      else if (!fs::is_directory(s))
        return make_error(Errc::internal, it->path().string() + ": unexpected file type");
    }
    if (ec) return make_error(Errc::io, fmt::format("{}: cannot list: {}", dir.string(), ec.message()));
    std::sort(rels.begin(), rels.end());
    for (const auto& rel : rels) {
      std::string sha;
      if (auto k = copier.sha_by_rel().find(rel); k != copier.sha_by_rel().end())
        sha = k->second;
      else {
        auto h = sha256_file(dir / rel);
        if (!h) return h.error();
        sha = *h;
      }
      files.push_back({{"path", rel}, {"size", fs::file_size(dir / rel)}, {"sha256", sha}});
      ++nfiles;
    }
  }
  audit.append(who, "package.sealed", scope.version, scope_sha,
               json({{"files", nfiles}, {"items", written}, {"media_files", copier.files()}}).dump());
  auto audit_text = audit.serialise(key);
  if (!audit_text) return audit_text.error();
  if (auto st = pkg::write_file_durable(dir / "audit.jsonl", *audit_text); !st) return st.error();

  // The manifest, then its signature.
  json m;
  m["format"] = kPackageFormat;
  m["package_id"] = package_id;
  m["kind"] = parent ? "supplementary" : "extraction";
  m["tool"] = {{"name", "remit"}, {"version", kVersion}};
  m["examiner"] = who.examiner;
  m["case_reference"] = scope.case_reference;
  m["exhibit_reference"] = scope.exhibit_reference;
  json dev = {{"description", scope.device_description}};
  for (const auto& [k, v] :
       std::initializer_list<std::pair<const char*, const std::string*>>{{"platform", &device.platform},
                                                                         {"manufacturer", &device.manufacturer},
                                                                         {"model", &device.model},
                                                                         {"os_version", &device.os_version},
                                                                         {"build", &device.build},
                                                                         {"serial", &device.serial},
                                                                         {"imei", &device.imei},
                                                                         {"udid", &device.udid},
                                                                         {"acquired_with", &device.acquired_with},
                                                                         {"extraction_type", &device.extraction_type}})
    if (!v->empty()) dev[k] = *v;
  if (device.imeis.size() > 1) dev["imeis"] = device.imeis;
  dev["read_from"] = device.sources;
  m["device"] = dev;
  json cont = {{"name", source.display_name()},
               {"kind", std::string(to_string(source.kind()))},
               {"size", source.container_size()},
               {"sha256", digest->sha256},
               {"digest_of", digest->inventory ? "inventory" : "container"},
               {"acquisition_sha256_checked", acquisition.has_value()}};
  if (!digest->md5.empty()) cont["md5"] = digest->md5;
  m["container"] = cont;
  m["scope"] = {{"file", "scope.toml"},
                {"interpretation", "scope.json"},
                {"sha256", scope_sha},
                {"version", scope.version},
                {"parent_version", scope.parent_version ? json(*scope.parent_version) : json(nullptr)},
                {"notice_version", scope.agreement.notice_version},
                {"agreement",
                 {{"given_by", scope.agreement.given_by},
                  {"form", scope.agreement.form},
                  {"time", scope.agreement.time_text},
                  {"withdrawn", scope.agreement.withdrawn}}}};
  if (parent)
    m["supplements"] = {{"package_id", parent->package_id},
                        {"manifest_sha256", parent->manifest_sha256},
                        {"scope_version", parent->scope_version},
                        {"container_sha256", parent->container_sha256}};
  m["full_extraction"] = {{"held_at", opt.held_at}, {"delete_out_of_scope_by", scope.handling.delete_out_of_scope_by}};
  m["started_utc"] = started;
  m["finished_utc"] = now_rfc3339();
  m["counts"] = {{"items", written}, {"media_files", copier.files()}, {"items_in_earlier_packages", in_parent}};
  m["files"] = files;
  m["audit"] = {{"file", "audit.jsonl"}, {"sealed_seq", audit.records().back().seq}, {"sealed_head", audit.head()}};
  m["signer"] = {{"algorithm", "Ed25519"},
                 {"public_key", key.public_key().base64()},
                 {"fingerprint", key.public_key().fingerprint()}};
  const std::string manifest = m.dump(2, ' ', false, json::error_handler_t::replace) + "\n";
  const std::string msha = sha256_hex(manifest);
  auto sig = key.sign(manifest_signature_message("remit-manifest", msha));
  if (!sig) return sig.error();
  json s = {{"algorithm", "Ed25519"},
            {"manifest_sha256", msha},
            {"public_key", key.public_key().base64()},
            {"signature", base64_encode(*sig)}};
  if (auto st = pkg::write_file_durable(dir / "manifest.json", manifest); !st) return st.error();
  if (cancelled()) return interrupted();
  if (auto st = pkg::write_file_durable(dir / "manifest.sig", s.dump() + "\n"); !st) return st.error();
  if (cancelled()) return interrupted();
  if (auto st = staging->commit(); !st) return st.error();

  ExtractSummary sum;
  sum.package = staging->target();
  sum.package_id = package_id;
  sum.manifest_sha256 = msha;
  sum.container_sha256 = digest->sha256;
  sum.items_seen = prog.items_seen;
  sum.items_in_scope = written;
  sum.items_in_parent = in_parent;
  sum.media_files = copier.files();
  for (const auto& w : warnings) sum.warnings_by_code[w.code] += w.count;
  sum.stale_removed = staging->stale_removed();
  sum.supplementary = parent.has_value();
  return sum;
}

}  // namespace remit
