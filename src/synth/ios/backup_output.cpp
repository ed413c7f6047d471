// iTunes/Finder backup rendering of a generated iOS extraction
// (synth/ios/backup_output.hpp).
#include "synth/ios/backup_output.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <plist/plist.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>

#include "remit/apple.hpp"
#include "remit/hash.hpp"
#include "remit/item.hpp"
#include "remit/party.hpp"
#include "source/itunes_backup.hpp"
#include "source/itunes_backup_writer.hpp"
#include "synth/ios/backup_layout.hpp"
#include "synth/prng.hpp"
#include "synth/story.hpp"
#include "synth/truth.hpp"

namespace remit::synth::ios {

namespace fs = std::filesystem;

namespace {

constexpr std::string_view kMetadataPlist = ".com.apple.mobile_container_manager.metadata.plist";
constexpr std::string_view kContainerRoots[] = {"private/var/mobile/Containers/Shared/AppGroup/",
                                                "private/var/mobile/Containers/Data/Application/"};

fs::path sibling(const fs::path& p, const std::string& suffix) {
  return p.parent_path() / ("." + p.filename().string() + ".synth-" + std::to_string(::getpid()) + suffix);
}

Result<std::string> read_all(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  if (!in) return make_error(Errc::io, p.string() + ": cannot read");
  std::ostringstream ss;
  ss << in.rdbuf();
  if (in.bad()) return make_error(Errc::io, p.string() + ": read failed");
  return ss.str();
}

void remove_quietly(const fs::path& p) {
  std::error_code ec;
  fs::remove_all(p, ec);
}

struct Cleanup {
  std::vector<fs::path> paths;
  ~Cleanup() {
    for (const auto& p : paths) remove_quietly(p);
  }
};

// MCMMetadataIdentifier of a container manager metadata plist, or "".
std::string container_id(const std::string& bytes) {
  const std::span<const unsigned char> data(reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size());
  if (!apple::check_plist_for_libplist(data)) return {};
  plist_t root = nullptr;
  plist_from_memory(bytes.data(), static_cast<uint32_t>(bytes.size()), &root);
  if (!root) return {};
  std::string id;
  if (plist_get_node_type(root) == PLIST_DICT) {
    plist_t n = plist_dict_get_item(root, "MCMMetadataIdentifier");
    if (n && plist_get_node_type(n) == PLIST_STRING) {
      char* s = nullptr;
      plist_get_string_val(n, &s);
      if (s) id = s;
      std::free(s);
    }
  }
  plist_free(root);
  return id;
}

// Full file system logical paths -> where remit's backup Source shows them.
class PathMap {
 public:
  // `containers`: "<container root><UUID>" -> id.
  explicit PathMap(std::map<std::string, std::string> containers) : containers_(std::move(containers)) {}

  // The folder path with container UUIDs replaced by their ids.
  [[nodiscard]] Result<std::string> by_id(const std::string& logical) const {
    for (std::string_view root : kContainerRoots) {
      if (logical.compare(0, root.size(), root) != 0) continue;
      const auto slash = logical.find('/', root.size());
      const std::string container = logical.substr(0, slash);
      auto it = containers_.find(container);
      if (it == containers_.end())
        return make_error(Errc::internal, fmt::format("{}: app container without a metadata plist", container));
      return std::string(root) + it->second + (slash == std::string::npos ? "" : logical.substr(slash));
    }
    return logical;
  }

  // (domain, relativePath) of a folder path; nullopt when not backed up.
  [[nodiscard]] Result<std::optional<BackupPath>> backup(const std::string& logical) const {
    auto id = by_id(logical);
    if (!id) return id.error();
    return backup_path_for(*id);
  }

  // Provenance / file reference path and entry name as the backup Source
  // reports them.
  [[nodiscard]] Status rewrite(std::string& path, std::string* entry_name) const {
    auto b = backup(path);
    if (!b) return b.error();
    if (!*b) return make_error(Errc::internal, fmt::format("{}: referenced by the truth but not backed up", path));
    auto logical = detail::backup_logical_path((*b)->domain, (*b)->relative_path);
    if (!logical) return make_error(Errc::internal, fmt::format("{}: no logical path in a backup", path));
    path = *logical;
    if (entry_name) *entry_name = (*b)->domain + "-" + (*b)->relative_path;
    return {};
  }

 private:
  std::map<std::string, std::string> containers_;
};

std::vector<unsigned char> to_blob(const std::string& s) {
  return std::vector<unsigned char>(s.begin(), s.end());
}

}  // namespace

std::string derived_backup_password(uint64_t seed) {
  return fmt::format("remit-synth-{}-{}", seed,
                     sha256_hex(fmt::format("remit synth ios backup password|{}", seed)).substr(0, 8));
}

Result<GenerationSummary> render_as_itunes_backup(
    const BackupRenderOptions& o, const std::function<Result<GenerationSummary>(const fs::path&)>& generate_folder) {
  const auto t0 = std::chrono::steady_clock::now();
  std::error_code ec;
  const fs::path parent = o.out.parent_path().empty() ? fs::path(".") : o.out.parent_path();
  if (!fs::is_directory(parent, ec))
    return make_error(Errc::usage, fmt::format("{}: the folder {} does not exist", o.out.string(), parent.string()));
  if (fs::exists(fs::symlink_status(o.out, ec)) && !o.force)
    return make_error(Errc::usage, fmt::format("{} already exists (use --force to replace it)", o.out.string()));
  if (o.size > kMaxBackupBytes)
    return make_error(Errc::usage,
                      fmt::format("--size {} is too large for an iTunes backup: the backup writer holds every file in "
                                  "memory, so these formats take at most {} bytes",
                                  o.size, kMaxBackupBytes));
  if (o.encrypted && o.kdf_rounds == 0) return make_error(Errc::usage, "--kdf-rounds must be at least 1");
  if (o.encrypted && o.password && o.password->empty()) return make_error(Errc::usage, "the backup password is empty");
  fs::path truth_path = o.out, story_path = o.out, scope_path = o.out;
  truth_path += ".truth.jsonl";
  story_path += ".story.json";
  scope_path += ".scope.toml";
  auto truth_file = AtomicFile::create(truth_path, o.force);
  if (!truth_file) return truth_file.error();
  auto story_file = AtomicFile::create(story_path, o.force);
  if (!story_file) return story_file.error();
  auto scope_file = AtomicFile::create(scope_path, o.force);
  if (!scope_file) return scope_file.error();

  // 1. The extraction as a folder (with its own truth and story).
  Cleanup cleanup;
  const fs::path folder = sibling(o.out, ".itunes-source");
  const fs::path staged = sibling(o.out, ".itunes");
  const fs::path old = sibling(o.out, ".old");
  fs::path folder_truth = folder, folder_story = folder, folder_scope = folder;
  folder_truth += ".truth.jsonl";
  folder_story += ".story.json";
  folder_scope += ".scope.toml";
  cleanup.paths = {folder, folder_truth, folder_story, folder_scope, staged, old};
  for (const auto& p : cleanup.paths) remove_quietly(p);
  auto gen = generate_folder(folder);
  if (!gen) return gen.error();
  auto cancelled = [&] { return o.cancel && o.cancel->load(); };
  if (cancelled()) return make_error(Errc::refused, "interrupted");
  auto story = Story::build(o.story);
  if (!story) return story.error();
  const Story& s = **story;

  // 2. The folder's files, containers named by id.
  std::map<std::string, fs::path> files;  // logical path -> file in the folder (sorted: deterministic)
  for (auto it = fs::recursive_directory_iterator(folder, ec); !ec && it != fs::recursive_directory_iterator();
       it.increment(ec))
    if (it->is_regular_file(ec) && !it->is_symlink(ec))
      files[fs::relative(it->path(), folder).generic_string()] = it->path();
  if (ec) return make_error(Errc::io, fmt::format("{}: cannot list: {}", folder.string(), ec.message()));
  std::map<std::string, std::string> containers;
  for (const auto& [logical, disk] : files) {
    if (!logical.ends_with("/" + std::string(kMetadataPlist))) continue;
    const std::string container = logical.substr(0, logical.size() - kMetadataPlist.size() - 1);
    bool is_container = false;
    for (std::string_view root : kContainerRoots)
      is_container |=
          container.compare(0, root.size(), root) == 0 && container.find('/', root.size()) == std::string::npos;
    if (!is_container) continue;
    auto bytes = read_all(disk);
    if (!bytes) return bytes.error();
    const std::string id = container_id(*bytes);
    if (id.empty() || id.find('/') != std::string::npos || id == "." || id == "..")
      return make_error(Errc::internal, fmt::format("{}: no usable MCMMetadataIdentifier", logical));
    containers[container] = id;
  }
  const PathMap map(std::move(containers));

  std::vector<backup::BackupFile> backup_files;
  uint64_t content_bytes = 0;
  for (const auto& [logical, disk] : files) {
    auto b = map.backup(logical);
    if (!b) return b.error();
    if (!*b) continue;
    struct stat st {};
    if (::stat(disk.c_str(), &st) != 0) return make_error(Errc::io, fmt::format("{}: cannot stat", disk.string()));
    auto bytes = read_all(disk);
    if (!bytes) return bytes.error();
    backup::BackupFile f;
    f.domain = (*b)->domain;
    f.relative_path = (*b)->relative_path;
    f.data = to_blob(*bytes);
    f.mtime_s = static_cast<int64_t>(st.st_mtime);
    f.mode = 0100000 | (st.st_mode & 07777);
    content_bytes += f.data.size();
    backup_files.push_back(std::move(f));
    if (cancelled()) return make_error(Errc::refused, "interrupted");
  }

  // 3. The truth as remit's backup Source reports it.
  PartyNormaliser norm(o.story.region);
  TruthWriter truth(*truth_file, o.out.filename().string(), norm);
  {
    auto text = read_all(folder_truth);
    if (!text) return text.error();
    std::istringstream lines(*text);
    std::string line;
    size_t n = 0;
    while (std::getline(lines, line)) {
      ++n;
      auto j = nlohmann::json::parse(line, nullptr, false);
      if (j.is_discarded() || !j.contains("expected_in_scope") || !j["expected_in_scope"].is_boolean())
        return make_error(Errc::internal, fmt::format("{}:{}: not a truth line", folder_truth.string(), n));
      const bool in_scope = j["expected_in_scope"].get<bool>();
      j.erase("expected_in_scope");
      auto it = item_from_json_line(j.dump());
      if (!it)
        return make_error(Errc::internal, fmt::format("{}:{}: {}", folder_truth.string(), n, it.error().message));
      Item item = std::move(*it);
      if (auto st = map.rewrite(item.provenance.path, &item.provenance.entry_name); !st) return st.error();
      if (item.file && !item.file->path.empty())
        if (auto st = map.rewrite(item.file->path, nullptr); !st) return st.error();
      for (auto& a : item.attachments)
        if (!a.path.empty())
          if (auto st = map.rewrite(a.path, nullptr); !st) return st.error();
      if (auto st = truth.add(std::move(item), in_scope); !st) return st.error();
    }
  }

  // 4. Story (with where the password is) and scope.
  const std::string password =
      o.encrypted ? (o.password ? *o.password : derived_backup_password(o.story.seed)) : std::string();
  StoryJsonInfo info;
  info.command = "remit synth ios";
  info.size = o.size;
  info.format = o.encrypted ? "itunes-encrypted" : "itunes";
  info.variants = o.variants;
  info.container = o.out.filename().string();
  {
    auto text = read_all(folder_story);
    if (!text) return text.error();
    const auto j = nlohmann::json::parse(*text, nullptr, false);
    if (!j.is_discarded() && j.contains("artifacts"))
      for (const auto& [k, v] : j["artifacts"].items()) {
        if (!v.is_string()) continue;
        std::string p = v.get<std::string>();
        if (map.rewrite(p, nullptr)) {
          info.artifacts[k] = p;
        } else if (auto id = map.by_id(p); id && *id != p) {
          info.artifacts[k] = *id;  // an app container's folder, named by its id
        }                           // folders outside the backup (entry_prefix) drop out
      }
  }
  info.artifacts["Manifest.db"] = "Manifest.db";
  auto story_text = nlohmann::ordered_json::parse(story_json(s, info, truth), nullptr, false);
  if (story_text.is_discarded()) return make_error(Errc::internal, "story.json did not parse back");
  nlohmann::ordered_json bj{{"encrypted", o.encrypted}};
  if (o.encrypted) {
    bj["password_from"] = o.password ? "--password-file" : "derived from --seed";
    // Synthetic evidence: a derived password is written here so the backup can be read.
    bj["password"] = o.password ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(password);
    bj["kdf_rounds_sha256"] = o.kdf_rounds;
    bj["kdf_rounds_sha1"] = 10'000;
  }
  bj["files"] = backup_files.size();
  story_text["backup"] = std::move(bj);
  if (auto st = story_file->write(story_text.dump(2) + "\n"); !st) return st.error();
  auto scope_text = s.scope().scope_toml();
  if (!scope_text) return scope_text.error();
  if (auto st = scope_file->write(*scope_text); !st) return st.error();

  // 5. The backup, staged beside PATH.
  backup::BackupWriterOptions w;
  if (o.encrypted) w.password = password;
  w.kdf_rounds_sha256 = o.kdf_rounds;
  w.kdf_rounds_sha1 = 10'000;
  w.seed = derive_seed(o.story.seed, "ios-itunes-backup");
  w.backup_date_s = s.extraction_ms() / 1000 + 1800;
  w.device_name = s.owner().first + "'s iPhone";
  if (o.stage) o.stage(o.encrypted ? "writing the encrypted backup" : "writing the backup");
  if (auto st = backup::write_itunes_backup(staged, backup_files, w); !st) return st.error();
  {
    // The writer's files carry the time they were written; a backup's files
    // carry the backup's time, and the same arguments give the same folder,
    // times included.
    const struct timespec times[2] = {{w.backup_date_s, 0}, {w.backup_date_s, 0}};
    std::vector<fs::path> written{staged};
    for (auto it = fs::recursive_directory_iterator(staged, ec); !ec && it != fs::recursive_directory_iterator();
         it.increment(ec))
      written.push_back(it->path());
    if (ec) return make_error(Errc::io, fmt::format("{}: cannot list: {}", staged.string(), ec.message()));
    for (const auto& p : written)
      if (::utimensat(AT_FDCWD, p.c_str(), times, AT_SYMLINK_NOFOLLOW) != 0)
        return make_error(Errc::io, fmt::format("{}: cannot set its time", p.string()));
  }
  backup_files.clear();
  backup_files.shrink_to_fit();
  if (cancelled()) return make_error(Errc::refused, "interrupted");

  // 6. Sidecars first, PATH last.
  if (auto st = truth_file->rename_into_place(); !st) return st.error();
  if (auto st = story_file->rename_into_place(); !st) {
    fs::remove(truth_path, ec);
    return st.error();
  }
  if (auto st = scope_file->rename_into_place(); !st) {
    fs::remove(truth_path, ec);
    fs::remove(story_path, ec);
    return st.error();
  }
  auto undo_sidecars = [&] {
    std::error_code e2;
    fs::remove(truth_path, e2);
    fs::remove(story_path, e2);
    fs::remove(scope_path, e2);
  };
  bool moved_old = false;
  if (fs::exists(fs::symlink_status(o.out, ec))) {
    fs::rename(o.out, old, ec);
    if (ec) {
      undo_sidecars();
      return make_error(Errc::io, fmt::format("cannot move the old {} aside: {}", o.out.string(), ec.message()));
    }
    moved_old = true;
  }
  fs::rename(staged, o.out, ec);
  if (ec) {
    const std::string msg = ec.message();
    if (moved_old) fs::rename(old, o.out, ec);
    undo_sidecars();
    return make_error(Errc::io, fmt::format("cannot rename into {}: {}", o.out.string(), msg));
  }

  GenerationSummary sum;
  sum.out = o.out;
  sum.truth = truth_path;
  sum.story = story_path;
  sum.scope = scope_path;
  sum.content_bytes = content_bytes;
  for (auto it = fs::recursive_directory_iterator(o.out, ec); !ec && it != fs::recursive_directory_iterator();
       it.increment(ec))
    if (it->is_regular_file(ec)) {
      sum.container_bytes += it->file_size(ec);
      ++sum.files;
    }
  sum.items = truth.items();
  sum.in_scope = truth.in_scope();
  sum.per_table = truth.per_table();
  sum.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return sum;
}

}  // namespace remit::synth::ios
