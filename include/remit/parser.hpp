#pragma once
// Artifact parsers and the context they run in.
//
// Contract for every parser (one small class per artifact, no global state):
//  - name() is stable and written into the audit and every item's
//    provenance; version() changes whenever output could change.
//  - references() lists what the parser was built from (public parsers,
//    documentation, sample databases), app/OS versions it was checked on.
//  - parse() is called once per matching entry. It emits items through the
//    context, records warnings for anything it could not read, and never
//    throws (an escaping exception is caught by the pipeline, recorded as a
//    parser failure, and the run continues).
//  - Parsers never log or print content. Warnings carry counts and
//    structural facts (table, column, row id), never bodies or names.

#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "remit/evidence_db.hpp"
#include "remit/item.hpp"
#include "remit/party.hpp"
#include "remit/source.hpp"
#include "remit/vocabulary.hpp"

namespace remit {

// A recorded problem while parsing. Never holds content.
struct Warning {
  std::string parser;   // parser name ("" for the pipeline itself)
  std::string path;     // logical path of the entry concerned
  std::string code;     // "corrupt", "missing_table", "missing_column", "bad_utf8", "skipped_rows", ...
  std::string message;  // structural description, no content
  uint64_t count = 1;
};

class Parser;

// Shared state for one run over a source. Owned by the caller of
// run_parsers(); outlives every ParseContext made from it.
struct ParseEnv {
  using ItemSink = std::function<void(Item&&)>;
  using WarningSink = std::function<void(Warning&&)>;

  const Source& source;
  const PartyNormaliser& parties;
  ItemSink items;
  WarningSink warnings;
  // SHA-256 per entry ordinal, so a file referenced by several items (or
  // parsers) is read and hashed once per run.
  std::unordered_map<uint32_t, std::string> hash_cache{};
  // Hash attachment and media files while parsing (needed to reference
  // media by hash and to de-duplicate intrusion counts).
  bool hash_files = true;
};

// What a parser sees while it runs. Not thread-safe: one per parse call.
class ParseContext {
 public:
  using ItemSink = ParseEnv::ItemSink;
  using WarningSink = ParseEnv::WarningSink;

  ParseContext(ParseEnv& env, const Parser& parser, const Entry& entry);

  [[nodiscard]] const Source& source() const noexcept { return env_.source; }
  [[nodiscard]] const PartyNormaliser& parties() const noexcept { return env_.parties; }
  [[nodiscard]] const Entry& entry() const noexcept { return entry_; }
  [[nodiscard]] const Parser& parser() const noexcept { return parser_; }

  // Emits an item. Fills provenance.container/parser/parser_version when
  // empty, and sanitises strings (invalid UTF-8 -> U+FFFD, counted as one
  // "bad_utf8" warning per parse call).
  void emit(Item&& item);
  [[nodiscard]] uint64_t emitted() const noexcept { return emitted_; }

  // Records a warning about `entry()` (or about `path` when given).
  void warn(std::string code, std::string message, uint64_t count = 1, std::string path = {});

  // Opens `e` (default: entry()) as an evidence database with its -wal and
  // -journal sidecars read from the same source, all in memory. Notes from
  // opening (bad WAL frames, hot journal) are recorded as warnings.
  // Failures are returned, not warned: the caller decides.
  [[nodiscard]] Result<EvidenceDb> open_db(const Entry* e = nullptr,
                                           std::optional<uint64_t> upto_commit = std::nullopt);

  // Provenance pre-filled with container, path, entry name, parser name/version.
  [[nodiscard]] Provenance provenance(std::string table, std::string row, const Entry* e = nullptr) const;

  // A party with its raw identifier normalised.
  [[nodiscard]] Party party(std::string raw, PartyRole role, std::string name = {}, bool is_owner = false) const;

  // A file in the same folder as entry() (or `e`), or nullptr.
  [[nodiscard]] const Entry* sibling(std::string_view name, const Entry* e = nullptr) const;

  // Reads bytes of an entry, subject to the source's limits; warns and
  // returns nullopt on failure.
  [[nodiscard]] std::optional<Bytes> read(const Entry& e, uint64_t limit = 4ULL << 30);

  // SHA-256 of an entry (cached per run); empty on read failure (warned).
  [[nodiscard]] std::string sha256(const Entry& e);

  // Resolves an attachment/media reference inside the extraction. Each
  // candidate is a logical path (tried exactly) or, when it starts with
  // "*/", a suffix. The first hit fills ref.path/size (and ref.sha256 when
  // ParseEnv::hash_files); with no hit ref.missing is set.
  // Returns the entry found, or nullptr.
  const Entry* resolve_file(FileRef& ref, std::span<const std::string> candidates);

 private:
  ParseEnv& env_;
  const Parser& parser_;
  const Entry& entry_;
  uint64_t emitted_ = 0;
  size_t bad_utf8_ = 0;
  bool bad_utf8_warned_ = false;
};

class Parser {
 public:
  virtual ~Parser() = default;
  [[nodiscard]] virtual std::string_view name() const noexcept = 0;
  [[nodiscard]] virtual std::string_view version() const noexcept = 0;
  [[nodiscard]] virtual std::span<const std::string_view> references() const noexcept = 0;
  // Categories this parser can produce (for inspect and the coverage list).
  [[nodiscard]] virtual std::span<const Category> categories() const noexcept = 0;
  virtual void parse(ParseContext& ctx) const = 0;
};

}  // namespace remit
