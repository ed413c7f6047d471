#pragma once
// Helpers shared by the Android parsers (internal to src/artifacts/android).
//
// Contracts: no global state; nothing here logs or returns content. Views
// returned by FileIndex point into the Source's entries and live as long as
// the Source. Thread-compatible (one instance per parse call).

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "remit/parser.hpp"

namespace remit::artifacts::android {

// Last path segment ("a/b/c.jpg" -> "c.jpg"); accepts '/' and '\\'.
[[nodiscard]] std::string_view base_name(std::string_view path) noexcept;
// Everything before the last '/' ("" when there is none).
[[nodiscard]] std::string_view dir_name(std::string_view path) noexcept;

// Files of the source grouped by base name, restricted to paths accepted by
// `keep`. Built once per parse call so reference resolution is O(1) per
// reference instead of a scan of every entry.
class FileIndex {
 public:
  FileIndex(const Source& source, const std::function<bool(std::string_view path)>& keep);

  // Resolves a path recorded on the device (absolute, relative, with any
  // storage prefix) to a file in the extraction: first the exact normalised
  // path, then the indexed file with the same base name whose path shares
  // the longest run of trailing segments with `device_path`, requiring at
  // least `min_segments` (base name included). Ties go to the first entry
  // in source order. Returns nullptr when nothing qualifies.
  [[nodiscard]] const Entry* resolve(std::string_view device_path, size_t min_segments = 2) const;

  [[nodiscard]] size_t size() const noexcept { return files_; }

 private:
  const Source& source_;
  std::unordered_map<std::string_view, std::vector<const Entry*>> by_name_;
  size_t files_ = 0;
};

// Resolves `device_path` with `index` and fills `ref` through
// ctx.resolve_file (path, size, sha256); marks it missing otherwise and
// keeps what the app recorded in ref.name when ref.name is empty.
const Entry* resolve_attachment(ParseContext& ctx, const FileIndex& index, std::string_view device_path, FileRef& ref,
                                size_t min_segments = 2);

// Counts rows in `table` (0 when absent or unreadable).
[[nodiscard]] int64_t rows_in(const EvidenceDb& db, std::string_view table);

// A small cache of parties per (identifier, role, name): normalisation and
// the Party value are built once per distinct key.
class PartyCache {
 public:
  explicit PartyCache(const ParseContext& ctx) : ctx_(ctx) {}
  [[nodiscard]] Party get(const std::string& raw, PartyRole role, const std::string& name = {});

 private:
  const ParseContext& ctx_;
  std::unordered_map<std::string, NormalisedId> ids_;
};

// The columns of one table, looked up once (case-insensitive), for SELECT
// lists that must survive schema drift across app versions.
class Columns {
 public:
  Columns(const EvidenceDb& db, std::string_view table);
  [[nodiscard]] bool has(std::string_view column) const;
  [[nodiscard]] bool table_present() const noexcept { return present_; }
  // "alias.\"column\"" when present, else "NULL" (and the name is appended to
  // `missing`, if given).
  [[nodiscard]] std::string col(std::string_view alias, std::string_view column,
                                std::vector<std::string>* missing = nullptr) const;

 private:
  std::vector<std::string> cols_;
  bool present_ = false;
};

// Reads text columns for one parse call, counting invalid UTF-8 sequences
// (replaced with U+FFFD by Statement::text); report() records one
// "bad_utf8" warning with the count.
class TextReader {
 public:
  std::string operator()(const Statement& st, int col) { return st.text(col, &bad_); }
  void report(ParseContext& ctx);

 private:
  size_t bad_ = 0;
};

// "1" / "0" style boolean from an optional integer column.
[[nodiscard]] inline bool truthy(std::optional<int64_t> v) noexcept {
  return v && *v != 0;
}

}  // namespace remit::artifacts::android
