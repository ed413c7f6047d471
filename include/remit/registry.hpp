#pragma once
// The artifact registry (one explicit table in src/artifacts/registry.cpp)
// and the pipeline that runs it over a Source.
//
// Detection is by path pattern on the logical path (remit/source.hpp):
// a pattern is '/'-separated segments matched as a suffix at a segment
// boundary; a segment may use '*' and '?' wildcards (fnmatch, within one
// segment) and a whole segment "**" matches any number of segments.
// Example: "com.android.providers.telephony/databases/mmssms.db",
//          "Containers/Shared/AppGroup/*/ChatStorage.sqlite",
//          "DCIM/**/*.jpg".
// Matching is case-sensitive except where a spec says otherwise.
//
// When two parsers claim the same file, both run and the ambiguity is
// recorded (Detection::ambiguous), never silently resolved.
//
// Thread-safety: the registry is immutable after construction.

#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "remit/parser.hpp"
#include "remit/source.hpp"

namespace remit {

struct ArtifactSpec {
  std::string_view id;                     // equals the parser's name()
  std::string_view platform;               // "android", "ios", "ufdr", "any"
  std::string_view description;            // human words for inspect
  std::vector<std::string_view> patterns;  // logical-path suffix patterns
  bool case_insensitive = false;           // patterns match case-insensitively (file extensions)
  std::function<std::unique_ptr<Parser>()> make;
};

// The one registry table.
[[nodiscard]] const std::vector<ArtifactSpec>& artifact_registry();

// True when `path` matches `pattern` as described above.
[[nodiscard]] bool match_pattern(std::string_view path, std::string_view pattern,
                                 bool case_insensitive = false) noexcept;

struct Detection {
  const ArtifactSpec* spec = nullptr;
  const Entry* entry = nullptr;
  bool ambiguous = false;  // another parser also claims this entry
};

// All (artifact, entry) pairs in the source, in registry order then entry order.
[[nodiscard]] std::vector<Detection> detect_artifacts(const Source& source);

// Paths that parsers may need (databases and their sidecars): used as
// SourceOptions::retain for compressed streams.
[[nodiscard]] bool is_wanted_path(std::string_view logical_path);

// An app data folder or profile present in the extraction that no parser
// covers (name and size only, never content).
struct UncoveredArea {
  std::string kind;  // "android_app", "android_user", "ios_app_container", "ios_app_group", "secure_folder"
  std::string name;  // package / bundle / group name or user id
  std::string path;  // logical path of the folder
  uint64_t files = 0;
  uint64_t bytes = 0;
};
[[nodiscard]] std::vector<UncoveredArea> uncovered_areas(const Source& source, std::span<const Detection> detections);

struct RunStats {
  uint64_t items = 0;
  uint64_t parser_failures = 0;
};

// Runs every detected parser, in detection order, sending items and
// warnings to the sinks. Catches anything a parser throws and records it as
// a warning with code "parser_failed". Single-threaded.
RunStats run_parsers(ParseEnv& env, std::span<const Detection> detections);

}  // namespace remit

namespace remit {

struct ScanOutput {
  std::vector<Detection> detections;
  std::vector<Warning> warnings;
  RunStats stats;
};

// detect_artifacts() + run_parsers() with warnings collected. Items go to
// `items` as they are produced. Single-threaded; `source` must outlive the
// returned detections.
[[nodiscard]] ScanOutput scan_source(const Source& source, const PartyNormaliser& parties,
                                     const ParseEnv::ItemSink& items, bool hash_files = true);

}  // namespace remit

namespace remit {

// A content-free line about a run, safe for a screen, a log or an audit.
struct Diagnostic {
  std::string kind;    // "note" (about the container) or "warning" (from a parser)
  std::string parser;  // warnings only
  std::string path;    // a detected artifact's logical path, or "" when withheld
  std::string code;
  std::string message;  // structural only; for notes, the first message of that code
  uint64_t count = 1;   // notes: entries with this code; warnings: the warning's count
};

// Turns warnings and source notes into diagnostics that never carry content:
// source notes are aggregated per code and never name entries (a file name
// can itself be content, e.g. a photo named after a person); a warning keeps
// its path only when that path is a detected database (an app structure path, as
// is_wanted_path) or one of its SQLite sidecars; a user file's name (a photo)
// and every other path are withheld. Pure; thread-safe.
[[nodiscard]] std::vector<Diagnostic> safe_diagnostics(std::span<const Warning> warnings,
                                                       std::span<const SourceNote> notes,
                                                       std::span<const Detection> detections);

}  // namespace remit
