#pragma once
// What every platform generator (`remit synth android|ios`) shares: the
// variant table type, progress callbacks, the run summary, the story JSON
// (PATH.story.json) and the final commit of the four outputs.
//
// Contract: story_json() is a pure function of its arguments (the same
// story and info give the same bytes). commit_outputs() renames the three
// sidecars (truth, story, scope) first and the extraction last, so PATH
// appearing means all four are complete; on failure it removes what it had
// renamed.
// Not thread-safe (one generation thread).

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "remit/status.hpp"
#include "synth/output.hpp"
#include "synth/story.hpp"
#include "synth/truth.hpp"

namespace remit::synth {

struct VariantInfo {
  std::string_view name;
  std::string_view group;
  std::string_view description;
};

// Checks variant names against a table: unknown names and two different
// choices in one group are usage errors naming the variants. Returns the
// chosen name per group.
[[nodiscard]] Result<std::map<std::string, std::string>> choose_variants(const std::vector<VariantInfo>& table,
                                                                         const std::vector<std::string>& names);

struct GenerationSummary {
  std::filesystem::path out, truth, story, scope;  // scope: PATH.scope.toml
  uint64_t content_bytes = 0;                      // bytes of file content in the extraction
  uint64_t container_bytes = 0;                    // size of PATH (archives) or sum of files (dir)
  uint64_t files = 0;
  uint64_t items = 0, in_scope = 0;
  std::map<std::string, uint64_t> per_table;  // "parser table" -> items
  double seconds = 0;
};

struct Progress {
  std::function<void(std::string_view stage, uint64_t content_bytes)> on_stage;
  const std::atomic<bool>* cancel = nullptr;
};

// What PATH.story.json records about the run besides the story itself.
struct StoryJsonInfo {
  std::string command;  // "remit synth android"
  uint64_t size = 0;    // --size (0: natural)
  std::string format;   // "dir", "tar", ...
  std::vector<std::string> variants;
  std::string container;                         // base name of PATH
  std::map<std::string, std::string> artifacts;  // artifact -> logical path
};

// PATH.story.json: generator arguments, owner, suspect and their numbers
// in several spellings, incident, canonical scope, people, groups, artifact
// paths and truth counts. Ends with a newline.
[[nodiscard]] std::string story_json(const Story& story, const StoryJsonInfo& info, const TruthWriter& truth);

// PATH.truth.jsonl, PATH.story.json and PATH.scope.toml beside the
// extraction at PATH, each written under a temporary name until
// commit_outputs(). Fails (usage) if one exists and `force` is false.
struct Sidecars {
  AtomicFile truth, story, scope;
  [[nodiscard]] static Result<Sidecars> create(const std::filesystem::path& out, bool force);
};

// Renames truth, story and scope (all already written) into place, then
// commits the extraction.
[[nodiscard]] Status commit_outputs(Sidecars& files, Output& out);

}  // namespace remit::synth
