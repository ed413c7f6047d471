#pragma once
// `remit synth android`: a synthetic Android full file system extraction
// with its ground truth (PATH.truth.jsonl) and story (PATH.story.json).
//
// Contract:
//  - generate_android() writes PATH atomically (temp name, then rename) in
//    the chosen format, streaming: memory stays flat whatever --size is.
//  - The same options give byte-identical PATH, PATH.truth.jsonl and
//    PATH.story.json.
//  - Errors name the file and the problem; nothing is left behind on
//    failure or cancellation.
// Not thread-safe (SQLite's PRNG is reseeded per database).

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

namespace remit::synth {

struct AndroidVariants {
  enum class WhatsApp { message, legacy };  // msgstore.db `message` (2022+) or legacy `messages`
  enum class CallLog { calllog_db, contacts2, samsung_logs };
  enum class Prefix { user_de, data_data };  // Android 7+ device-encrypted storage, or all under /data/data
  WhatsApp whatsapp = WhatsApp::message;
  CallLog calllog = CallLog::calllog_db;
  Prefix prefix = Prefix::user_de;
  bool wal = false;  // leave the newest rows of the busiest databases in -wal files
};

struct VariantInfo {
  std::string_view name;
  std::string_view group;
  std::string_view description;
};
// Every --variant name, with its group (one choice per group) and meaning.
[[nodiscard]] const std::vector<VariantInfo>& android_variants();
// Applies variant names; errors (usage) on unknown names or two choices in one
// group.
[[nodiscard]] Result<AndroidVariants> parse_android_variants(const std::vector<std::string>& names);
[[nodiscard]] std::vector<std::string> variant_names(const AndroidVariants& v);

struct AndroidOptions {
  StoryOptions story;
  AndroidVariants variants;
  OutputFormat format = OutputFormat::dir;
  std::filesystem::path out;
  uint64_t size = 0;  // target total bytes of file content (0: natural size)
  bool force = false;
  std::vector<std::string> argv_for_story;  // recorded in story.json
};

struct GenerationSummary {
  std::filesystem::path out, truth, story, scope;
  uint64_t content_bytes = 0;    // bytes of file content in the extraction
  uint64_t container_bytes = 0;  // size of PATH (archives) or sum of files (dir)
  uint64_t files = 0;
  uint64_t items = 0, in_scope = 0;
  std::map<std::string, uint64_t> per_table;  // "parser table" -> items
  double seconds = 0;
};

struct Progress {
  std::function<void(std::string_view stage, uint64_t content_bytes)> on_stage;
  const std::atomic<bool>* cancel = nullptr;
};

[[nodiscard]] Result<GenerationSummary> generate_android(const AndroidOptions& o, const Progress& progress = {});

}  // namespace remit::synth
