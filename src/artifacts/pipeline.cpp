// Detection, coverage and the parse loop (include/remit/registry.hpp).
#include <fmt/format.h>
#include <fnmatch.h>
#include <plist/plist.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <map>
#include <optional>
#include <set>

#include "remit/apple.hpp"
#include "remit/registry.hpp"
#include "remit/text.hpp"

namespace remit {
namespace {

bool has_wildcard(std::string_view s) {
  return s.find_first_of("*?[") != std::string_view::npos;
}

bool segment_match(std::string_view pat, std::string_view seg, bool ci) {
  if (!has_wildcard(pat)) return ci ? iequals(pat, seg) : pat == seg;
  const std::string p(pat), s(seg);
  return ::fnmatch(p.c_str(), s.c_str(), ci ? FNM_CASEFOLD : 0) == 0;
}

// Anchored match of pattern segments against path segments, "**" = any run.
bool match_segments(std::span<const std::string_view> pat, std::span<const std::string_view> path, bool ci) {
  if (pat.empty()) return path.empty();
  if (pat.front() == "**") {
    for (size_t k = 0; k <= path.size(); ++k)
      if (match_segments(pat.subspan(1), path.subspan(k), ci)) return true;
    return false;
  }
  if (path.empty() || !segment_match(pat.front(), path.front(), ci)) return false;
  return match_segments(pat.subspan(1), path.subspan(1), ci);
}

bool categories_overlap(const Parser& a, const Parser& b) {
  for (Category x : a.categories())
    for (Category y : b.categories())
      if (x == y) return true;
  return false;
}

// MCMMetadataIdentifier from <container>/.com.apple.mobile_container_manager.metadata.plist.
std::optional<std::string> ios_container_identifier(const Source& source, const std::string& container) {
  const Entry* e = source.find(container + "/.com.apple.mobile_container_manager.metadata.plist");
  if (!e || e->size == 0 || e->size > (1u << 20)) return std::nullopt;
  auto bytes = source.read(*e, 1u << 20);
  if (!bytes || bytes->empty() || !apple::check_plist_for_libplist(*bytes)) return std::nullopt;
  plist_t root = nullptr;
  plist_from_memory(reinterpret_cast<const char*>(bytes->data()), static_cast<uint32_t>(bytes->size()), &root);
  if (!root) return std::nullopt;
  std::optional<std::string> id;
  if (plist_get_node_type(root) == PLIST_DICT) {
    plist_t n = plist_dict_get_item(root, "MCMMetadataIdentifier");
    if (n && plist_get_node_type(n) == PLIST_STRING) {
      uint64_t len = 0;  // plist_get_string_ptr, unlike _val, never asserts on NULs
      const char* s = plist_get_string_ptr(n, &len);
      if (s && len > 0 && std::memchr(s, 0, len) == nullptr) id = std::string(s, len);
    }
  }
  plist_free(root);
  // An identifier is a name, not a path: refuse anything odd.
  if (id && (id->size() > 255 || id->find_first_of("/\\") != std::string::npos)) return std::nullopt;
  return id;
}

}  // namespace

bool match_pattern(std::string_view path, std::string_view pattern, bool ci) noexcept {
  if (path.empty() || pattern.empty()) return false;
  // Cheap rejection on the last segment before the general matcher.
  const auto plast = pattern.substr(pattern.rfind('/') == std::string_view::npos ? 0 : pattern.rfind('/') + 1);
  const auto slast = path.substr(path.rfind('/') == std::string_view::npos ? 0 : path.rfind('/') + 1);
  if (!segment_match(plast, slast, ci)) return false;
  std::vector<std::string_view> pat{"**"};
  for (auto s : split(pattern, '/'))
    if (!s.empty()) pat.push_back(s);
  std::vector<std::string_view> segs;
  for (auto s : split(path, '/'))
    if (!s.empty()) segs.push_back(s);
  return match_segments(pat, segs, ci);
}

std::vector<Detection> detect_artifacts(const Source& source) {
  const auto& reg = artifact_registry();
  std::vector<std::unique_ptr<Parser>> probes;
  probes.reserve(reg.size());
  for (const auto& spec : reg) probes.push_back(spec.make());

  std::vector<Detection> out;
  std::map<uint32_t, std::vector<size_t>> by_entry;  // entry ordinal -> detections
  for (size_t r = 0; r < reg.size(); ++r) {
    for (const Entry& e : source.entries()) {
      if (e.type != EntryType::file || e.duplicate || e.path.empty()) continue;
      for (auto pat : reg[r].patterns) {
        if (match_pattern(e.path, pat, reg[r].case_insensitive)) {
          by_entry[e.ordinal].push_back(out.size());
          out.push_back(Detection{&reg[r], &e, false});
          break;
        }
      }
    }
  }
  // Two parsers reading the same file for the same categories is an
  // ambiguity; different categories from one file (contacts2.db holds both
  // contacts and, on old Android, calls) is not.
  for (const auto& [ord, idx] : by_entry) {
    for (size_t i = 0; i < idx.size(); ++i)
      for (size_t j = i + 1; j < idx.size(); ++j) {
        const auto ri = static_cast<size_t>(out[idx[i]].spec - reg.data());
        const auto rj = static_cast<size_t>(out[idx[j]].spec - reg.data());
        if (categories_overlap(*probes[ri], *probes[rj])) out[idx[i]].ambiguous = out[idx[j]].ambiguous = true;
      }
  }
  return out;
}

bool is_wanted_path(std::string_view p) {
  std::string_view base = p;
  for (std::string_view side : {"-wal", "-journal", "-shm"}) {
    if (base.size() > side.size() && base.substr(base.size() - side.size()) == side) {
      base.remove_suffix(side.size());
      break;
    }
  }
  for (const auto& spec : artifact_registry()) {
    if (spec.platform == "media") continue;  // media is read on demand, not kept in memory
    for (auto pat : spec.patterns)
      if (match_pattern(base, pat, spec.case_insensitive)) return true;
  }
  return false;
}

std::vector<UncoveredArea> uncovered_areas(const Source& source, std::span<const Detection> detections) {
  // An app area: (kind, name) identifies it; `key` groups every folder of the
  // same app and user (Android keeps one app in data/data, data/user/N,
  // data/user_de/N and the external Android/data|media|obb/<pkg> folders).
  struct Area {
    std::string kind, name, prefix, key;
  };
  auto area_of = [](std::string_view path) -> std::optional<Area> {
    auto segs = split(path, '/');
    auto at = [&](size_t i) -> std::string_view { return i < segs.size() ? segs[i] : std::string_view(); };
    auto join = [&](size_t n) {
      std::string s;
      for (size_t i = 0; i < n && i < segs.size(); ++i) {
        if (i) s.push_back('/');
        s.append(segs[i]);
      }
      return s;
    };
    // Android: the user id of a storage root ("media/10/...", "emulated/10/..."), default 0.
    auto storage_user = [&](size_t before) -> std::string {
      for (size_t j = before; j-- > 0;) {
        if ((at(j) == "media" || at(j) == "emulated") && j + 1 < before) {
          const auto u = at(j + 1);
          if (!u.empty() && std::all_of(u.begin(), u.end(), [](char c) { return c >= '0' && c <= '9'; }))
            return std::string(u);
        }
      }
      return "0";
    };
    auto android_area = [](const std::string& user, std::string_view pkg, std::string prefix) {
      Area a;
      if (user == "0") {
        a.kind = "android_app";
        a.name = std::string(pkg);
      } else {
        // Samsung Secure Folder runs as user 150; other ids are secondary
        // users, work profiles and dual-app profiles.
        a.kind = user == "150" ? "secure_folder" : "android_user";
        a.name = "user " + user + ": " + std::string(pkg);
      }
      a.prefix = std::move(prefix);
      a.key = "android/" + user + "/" + std::string(pkg);
      return a;
    };
    for (size_t i = 0; i + 1 < segs.size(); ++i) {
      // Android internal app data: data/data/<pkg>, data/user/<N>/<pkg>, data/user_de/<N>/<pkg>
      if (at(i) == "data" && at(i + 1) == "data" && segs.size() > i + 3)
        return android_area("0", at(i + 2), join(i + 3));
      if (at(i) == "data" && (at(i + 1) == "user" || at(i + 1) == "user_de") && segs.size() > i + 4)
        return android_area(std::string(at(i + 2)), at(i + 3), join(i + 4));
      // Android external app folders: <storage>/Android/{data,media,obb}/<pkg>
      if (at(i) == "Android" && (at(i + 1) == "data" || at(i + 1) == "media" || at(i + 1) == "obb") &&
          segs.size() > i + 3)
        return android_area(storage_user(i), at(i + 2), join(i + 3));
      // iOS: Containers/Data/Application/<UUID>, Containers/Shared/AppGroup/<UUID>
      if (at(i) == "Containers" && at(i + 1) == "Data" && at(i + 2) == "Application" && segs.size() > i + 4)
        return Area{"ios_app_container", std::string(at(i + 3)), join(i + 4), join(i + 4)};
      if (at(i) == "Containers" && at(i + 1) == "Shared" && at(i + 2) == "AppGroup" && segs.size() > i + 4)
        return Area{"ios_app_group", std::string(at(i + 3)), join(i + 4), join(i + 4)};
    }
    return std::nullopt;
  };
  std::set<std::string> covered;
  for (const auto& d : detections)
    if (auto a = area_of(d.entry->path)) covered.insert(a->key);
  std::map<std::string, UncoveredArea> out;
  for (const Entry& e : source.entries()) {
    if (e.type != EntryType::file || e.path.empty() || e.duplicate) continue;
    auto a = area_of(e.path);
    if (!a || covered.count(a->key)) continue;
    auto& u = out[a->key];
    if (u.path.empty()) u = UncoveredArea{a->kind, a->name, a->prefix, 0, 0};
    ++u.files;
    u.bytes += e.size;
  }
  // iOS containers are named by UUID on the device; the container manager's
  // metadata plist inside each one gives the bundle / group id
  // (MCMMetadataIdentifier). Read only that one key; never any content.
  for (auto& [k, u] : out) {
    if (u.kind != "ios_app_container" && u.kind != "ios_app_group") continue;
    if (auto id = ios_container_identifier(source, u.path)) u.name = *id;
  }
  std::vector<UncoveredArea> v;
  for (auto& [k, u] : out) v.push_back(std::move(u));
  return v;
}

RunStats run_parsers(ParseEnv& env, std::span<const Detection> detections_in) {
  RunStats stats;
  std::map<const ArtifactSpec*, std::unique_ptr<Parser>> parsers;
  // Without random access (compressed streams) every out-of-order read is a
  // new decompression pass: run the detections in entry order, so the
  // source's read cursor only moves forward.
  std::vector<Detection> ordered(detections_in.begin(), detections_in.end());
  const bool sequential =
      std::any_of(ordered.begin(), ordered.end(), [](const Detection& d) { return !d.entry->random_access; });
  if (sequential)
    std::stable_sort(ordered.begin(), ordered.end(),
                     [](const Detection& a, const Detection& b) { return a.entry->ordinal < b.entry->ordinal; });
  for (const auto& d : ordered) {
    auto& p = parsers[d.spec];
    if (!p) p = d.spec->make();
    if (d.ambiguous && env.warnings) {
      env.warnings(Warning{std::string(p->name()), d.entry->path, "ambiguous",
                           "more than one parser claims this file for the same categories; all of them ran", 1});
    }
    ParseContext ctx(env, *p, *d.entry);
    try {
      p->parse(ctx);
    } catch (const std::exception& ex) {
      ++stats.parser_failures;
      ctx.warn("parser_failed",
               fmt::format("parser stopped early: {}; {} items were read before", ex.what(), ctx.emitted()));
    } catch (...) {
      ++stats.parser_failures;
      ctx.warn("parser_failed", fmt::format("parser stopped early; {} items were read before", ctx.emitted()));
    }
    stats.items += ctx.emitted();
  }
  return stats;
}

}  // namespace remit

namespace remit {

ScanOutput scan_source(const Source& source, const PartyNormaliser& parties, const ParseEnv::ItemSink& items,
                       bool hash_files) {
  ScanOutput out;
  out.detections = detect_artifacts(source);
  ParseEnv env{source, parties, items, [&out](Warning&& w) { out.warnings.push_back(std::move(w)); }};
  env.hash_files = hash_files;
  out.stats = run_parsers(env, out.detections);
  return out;
}

}  // namespace remit

namespace remit {

std::vector<Diagnostic> safe_diagnostics(std::span<const Warning> warnings, std::span<const SourceNote> notes,
                                         std::span<const Detection> detections) {
  std::vector<Diagnostic> out;
  std::map<std::string, size_t> note_index;
  for (const auto& n : notes) {
    auto [it, fresh] = note_index.emplace(n.code, out.size());
    if (fresh) out.push_back(Diagnostic{"note", "", "", n.code, n.message, 0});
    ++out[it->second].count;
  }
  std::set<std::string> structural;
  for (const auto& d : detections) {
    if (!is_wanted_path(d.entry->path)) continue;  // a user's file: its name is content
    structural.insert(d.entry->path);
    for (const char* side : {"-wal", "-journal", "-shm"}) structural.insert(d.entry->path + side);
  }
  for (const auto& w : warnings)
    out.push_back(
        Diagnostic{"warning", w.parser, structural.count(w.path) ? w.path : std::string(), w.code, w.message, w.count});
  return out;
}

}  // namespace remit
