// remit inspect EVIDENCE [--json]: what the extraction holds, without any content.
#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>

#include "cli.hpp"
#include "remit/registry.hpp"
#include "remit/text.hpp"

namespace remit::cli {

namespace {

// Detections grouped per parser. Databases and their sidecars are app
// structure and are listed by path; the user's own files (photos, videos,
// documents) are counted, never named: a file name is content (it may carry
// a date, a place or a person), and inspect runs before any scope exists.
struct DetectionGroup {
  const ArtifactSpec* spec = nullptr;
  std::vector<const Detection*> listed;
  uint64_t user_files = 0;
  uint64_t user_file_bytes = 0;
};

std::vector<DetectionGroup> group_detections(const std::vector<Detection>& detections) {
  std::vector<DetectionGroup> groups;
  for (const auto& d : detections) {
    auto it = std::find_if(groups.begin(), groups.end(), [&](const DetectionGroup& g) { return g.spec == d.spec; });
    if (it == groups.end()) it = groups.insert(groups.end(), DetectionGroup{d.spec, {}, 0, 0});
    if (is_wanted_path(d.entry->path)) {
      it->listed.push_back(&d);
    } else {
      ++it->user_files;
      it->user_file_bytes += d.entry->size;
    }
  }
  return groups;
}

struct InspectOptions {
  EvidenceOptions ev;
  bool json = false;
};

ExitCode run_inspect(const InspectOptions& o) {
  SourceOptions so;
  so.retain = is_wanted_path;
  auto src = open_evidence(o.ev, so);
  if (!src) return fail(src.error());
  Source& source = **src;
  PartyNormaliser parties(o.ev.region);

  // Counts per parser and category; items themselves are dropped at once.
  std::map<std::string, std::map<std::string, uint64_t>> per_parser;
  std::map<std::string, uint64_t> per_category;
  std::map<std::string, uint64_t> recovered;
  auto scan = scan_source(source, parties, [&](Item&& it) {
    const std::string cat(to_string(it.category));
    if (it.recovered) {
      ++recovered[cat];
      return;
    }
    ++per_parser[it.provenance.parser][cat];
    ++per_category[cat];
  });
  auto uncovered = uncovered_areas(source, scan.detections);
  auto digest = source.container_digest();
  if (!digest) return fail(digest.error());

  const auto diagnostics = safe_diagnostics(scan.warnings, source.notes(), scan.detections);
  const auto groups = group_detections(scan.detections);
  if (o.json) {
    nlohmann::ordered_json j;
    j["evidence"] = source.location().string();
    j["kind"] = to_string(source.kind());
    j["size"] = source.container_size();
    j[digest->inventory ? "inventory_sha256" : "sha256"] = digest->sha256;
    if (!digest->md5.empty()) j["md5"] = digest->md5;
    j["entries"] = source.entries().size();
    auto arts = nlohmann::ordered_json::array();
    for (const auto& g : groups) {
      auto files = nlohmann::ordered_json::array();
      for (const auto* d : g.listed)
        files.push_back({{"path", d->entry->path}, {"size", d->entry->size}, {"ambiguous", d->ambiguous}});
      arts.push_back({{"parser", g.spec->id},
                      {"description", g.spec->description},
                      {"databases", std::move(files)},
                      {"user_files", g.user_files},
                      {"user_file_bytes", g.user_file_bytes}});
    }
    j["artifacts"] = std::move(arts);
    j["items_by_category"] = per_category;
    j["items_by_parser"] = per_parser;
    if (!recovered.empty()) j["recovered_by_category"] = recovered;
    auto unc = nlohmann::ordered_json::array();
    for (const auto& u : uncovered)
      unc.push_back({{"kind", u.kind}, {"name", u.name}, {"path", u.path}, {"files", u.files}, {"bytes", u.bytes}});
    j["not_covered"] = std::move(unc);
    auto warns = nlohmann::ordered_json::array();
    auto nj = nlohmann::ordered_json::array();
    for (const auto& d : diagnostics) {
      if (d.kind == "note")
        nj.push_back({{"code", d.code}, {"entries", d.count}, {"message", d.message}});
      else
        warns.push_back(
            {{"parser", d.parser}, {"path", d.path}, {"code", d.code}, {"message", d.message}, {"count", d.count}});
    }
    j["warnings"] = std::move(warns);
    j["source_notes"] = std::move(nj);
    std::puts(j.dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace).c_str());
    return ExitCode::ok;
  }

  fmt::print("evidence   {}\n", printable(source.location().string()));
  fmt::print("kind       {}\n", to_string(source.kind()));
  fmt::print("size       {} ({} bytes)\n", human_bytes(source.container_size()), source.container_size());
  fmt::print("{}     {}\n", digest->inventory ? "inventory sha256" : "sha256", digest->sha256);
  if (!digest->md5.empty()) fmt::print("md5        {}\n", digest->md5);
  fmt::print("entries    {}\n\n", source.entries().size());
  fmt::print("artifacts detected ({} parsers, {} files):\n", groups.size(), scan.detections.size());
  for (const auto& g : groups) {
    for (const auto* d : g.listed)
      fmt::print("  {:<26} {}{}\n", g.spec->id, printable(d->entry->path), d->ambiguous ? "  [ambiguous]" : "");
    if (g.user_files)
      fmt::print("  {:<26} {} user files, {} (names not shown)\n", g.spec->id, g.user_files,
                 human_bytes(g.user_file_bytes));
  }
  fmt::print("\nitems by category:\n");
  if (per_category.empty()) fmt::print("  (none)\n");
  for (const auto& [cat, n] : per_category) fmt::print("  {:<12} {}\n", cat, n);
  if (!recovered.empty()) {
    fmt::print("\nrecovered (not live rows):\n");
    for (const auto& [cat, n] : recovered) fmt::print("  {:<12} {}\n", cat, n);
  }
  fmt::print("\nitems by parser:\n");
  for (const auto& [parser, cats] : per_parser)
    for (const auto& [cat, n] : cats) fmt::print("  {:<22} {:<12} {}\n", parser, cat, n);
  fmt::print("\nnot covered by any parser ({}):\n", uncovered.size());
  if (uncovered.empty()) fmt::print("  (none)\n");
  for (const auto& u : uncovered)
    fmt::print("  {:<18} {:<40} {} files, {}\n", u.kind, printable(u.name), u.files, human_bytes(u.bytes));
  std::fflush(stdout);
  print_diagnostics(diagnostics);
  return ExitCode::ok;
}

}  // namespace

void setup_inspect(CLI::App& root, Action& chosen) {
  auto o = std::make_shared<InspectOptions>();
  auto* cmd = root.add_subcommand("inspect",
                                  "Show what an extraction holds: hash, artifacts, item counts, and what "
                                  "no parser covers. Prints no content.");
  add_evidence_options(cmd, o->ev);
  cmd->add_flag("--json", o->json, "Print JSON instead of text");
  cmd->add_flag("--md5", o->ev.md5, "Also compute the container's MD5");
  cmd->callback([o, &chosen] { chosen = [o] { return run_inspect(*o); }; });
}

}  // namespace remit::cli
