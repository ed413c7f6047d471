// UFDR rendering of a generated extraction (src/synth/ufdr_output.hpp).
#include "synth/ufdr_output.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "remit/party.hpp"
#include "remit/source.hpp"
#include "remit/timeconv.hpp"
#include "source/ufdr_writer.hpp"

namespace remit::synth {

namespace fs = std::filesystem;

namespace {

fs::path sibling(const fs::path& p, const std::string& suffix) {
  return p.parent_path() / ("." + p.filename().string() + ".synth-" + std::to_string(::getpid()) + suffix);
}

std::string read_text(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

void remove_quietly(const fs::path& p) {
  std::error_code ec;
  fs::remove_all(p, ec);
}

// Removes what it names when it goes out of scope.
struct Cleanup {
  std::vector<fs::path> paths;
  ~Cleanup() {
    for (const auto& p : paths) remove_quietly(p);
  }
};

DeviceIdentity device_for(const Story& s, const std::string& platform) {
  DeviceIdentity d;
  d.source = "ufdr";
  if (platform == "ios") {
    d.manufacturer = "Apple";
    d.model = "iPhone 13";
    d.os_type = "iOS";
    d.os_version = "16.7.2";
  } else {
    d.manufacturer = "Google";
    d.model = "Pixel 7a";
    d.os_type = "Android";
    d.os_version = "14";
  }
  d.device_name = s.owner().first + "'s phone";
  d.msisdns = {s.owner().phone.e164};
  d.tool = "remit synth";
  d.extraction_type = "FileSystem";
  return d;
}

}  // namespace

Result<GenerationSummary> render_as_ufdr(
    const UfdrRenderOptions& o, const std::function<Result<GenerationSummary>(const fs::path&)>& generate_folder) {
  const auto t0 = std::chrono::steady_clock::now();
  std::error_code ec;
  const fs::path parent = o.out.parent_path().empty() ? fs::path(".") : o.out.parent_path();
  if (!fs::is_directory(parent, ec))
    return make_error(Errc::usage, fmt::format("{}: the folder {} does not exist", o.out.string(), parent.string()));
  if (fs::exists(fs::symlink_status(o.out, ec)) && !o.force)
    return make_error(Errc::usage, fmt::format("{} already exists (use --force to replace it)", o.out.string()));
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
  const fs::path folder = sibling(o.out, ".ufdr-source");
  const fs::path ufdr_tmp = sibling(o.out, ".ufdr.tmp");
  fs::path folder_truth = folder, folder_story = folder, folder_scope = folder;
  folder_truth += ".truth.jsonl";
  folder_story += ".story.json";
  folder_scope += ".scope.toml";
  cleanup.paths = {folder, folder_truth, folder_story, folder_scope, ufdr_tmp};
  for (const auto& p : cleanup.paths) remove_quietly(p);
  auto gen = generate_folder(folder);
  if (!gen) return gen.error();
  if (o.cancel && o.cancel->load()) return make_error(Errc::refused, "interrupted");

  // 2. Its truth, with the in-scope flags, and the files items reference.
  std::vector<Item> items;
  std::vector<bool> in_scope;
  {
    std::istringstream lines(read_text(folder_truth));
    std::string line;
    size_t n = 0;
    while (std::getline(lines, line)) {
      ++n;
      auto j = nlohmann::json::parse(line, nullptr, false);
      if (j.is_discarded() || !j.contains("expected_in_scope"))
        return make_error(Errc::internal, fmt::format("{}:{}: not a truth line", folder_truth.string(), n));
      in_scope.push_back(j["expected_in_scope"].get<bool>());
      j.erase("expected_in_scope");
      auto it = item_from_json_line(j.dump());
      if (!it)
        return make_error(Errc::internal, fmt::format("{}:{}: {}", folder_truth.string(), n, it.error().message));
      items.push_back(std::move(*it));
    }
  }
  auto src = open_source(folder, SourceOptions{.hash_container = false});
  if (!src) return src.error();
  UfdrWriteRequest req;
  auto story = Story::build(o.story);
  if (!story) return story.error();
  const Story& s = **story;
  req.device = device_for(s, o.platform);
  req.project_name = fmt::format("remit synthetic extraction (seed {})", o.story.seed);
  req.report_time_ms = s.extraction_ms() + 3 * 3600 * 1000;
  req.case_fields = {{"CaseNumber", s.scope().case_reference}, {"ExaminerName", "Synthetic Examiner"}};
  req.id_seed = fmt::format("remit-synth-{}-{}", o.platform, o.story.seed);
  std::set<std::string> added;
  // Device paths as real reports write them: absolute.
  auto device_path = [](const std::string& logical) { return "/" + logical; };
  for (auto& it : items) {
    // remit's UFDR reader keeps one party per (role, identifier) — a contact's
    // phone number and WhatsApp id name the same number — while the writer's
    // expected items keep both: render each identifier once, so the UFDR and
    // its truth agree (the finding is reported for the UFDR library).
    std::vector<Party> distinct;
    for (auto& p : it.parties) {
      const bool dup = std::any_of(distinct.begin(), distinct.end(), [&](const Party& q) {
        return q.role == p.role && q.normalised == p.normalised && q.kind == p.kind;
      });
      if (!dup) distinct.push_back(std::move(p));
    }
    it.parties = std::move(distinct);
    std::vector<FileRef*> refs;
    if (it.file) refs.push_back(&*it.file);
    for (auto& a : it.attachments) refs.push_back(&a);
    for (FileRef* f : refs) {
      if (f->path.empty() || f->missing) continue;
      const Entry* e = (*src)->find(f->path);
      if (!e) return make_error(Errc::internal, "generated file not found in the folder: " + f->path);
      const std::string dev = device_path(f->path);
      if (added.insert(dev).second) {
        UfdrFile uf;
        uf.device_path = dev;
        uf.name = f->name;
        uf.disk_path = folder / e->name;
        if (e->mtime_ns) uf.modified_ms = *e->mtime_ns / 1000000;
        req.files.push_back(std::move(uf));
      }
      f->path = dev;
    }
  }
  src->reset();  // close the folder before it is read again by the writer
  req.items = std::move(items);

  // 3. The UFDR, then the truth as its reader must report it.
  auto res = write_ufdr(ufdr_tmp, req);
  if (!res) return res.error();
  PartyNormaliser norm(o.story.region);
  TruthWriter truth(*truth_file, o.out.filename().string(), norm);
  for (size_t i = 0; i < res->expected.size(); ++i)
    if (auto st = truth.add(res->expected[i], in_scope.at(res->expected_from[i])); !st) return st.error();
  StoryJsonInfo info;
  info.command = o.command;
  info.size = o.size;
  info.format = "ufdr";
  info.variants = o.variants;
  info.container = o.out.filename().string();
  {
    const auto j = nlohmann::json::parse(read_text(folder_story), nullptr, false);
    if (!j.is_discarded() && j.contains("artifacts"))
      for (const auto& [k, v] : j["artifacts"].items())
        if (v.is_string()) info.artifacts["extraction:" + k] = v.get<std::string>();
  }
  info.artifacts["report.xml"] = "report.xml";
  if (auto st = story_file->write(story_json(s, info, truth)); !st) return st.error();

  // The scope is the story's canonical scope, whatever the container.
  auto scope_text = s.scope().scope_toml();
  if (!scope_text) return scope_text.error();
  if (auto st = scope_file->write(*scope_text); !st) return st.error();

  // 4. Sidecars first, PATH last.
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
  fs::rename(ufdr_tmp, o.out, ec);
  if (ec) {
    fs::remove(truth_path, ec);
    fs::remove(story_path, ec);
    fs::remove(scope_path, ec);
    return make_error(Errc::io, fmt::format("cannot rename into {}: {}", o.out.string(), ec.message()));
  }
  GenerationSummary sum;
  sum.out = o.out;
  sum.truth = truth_path;
  sum.story = story_path;
  sum.scope = scope_path;
  sum.content_bytes = gen->content_bytes;
  sum.container_bytes = fs::file_size(o.out, ec);
  sum.files = res->files;
  sum.items = truth.items();
  sum.in_scope = truth.in_scope();
  sum.per_table = truth.per_table();
  sum.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return sum;
}

}  // namespace remit::synth
