#pragma once
// items.sqlite: the package's in-scope items (docs/package.md, "items.sqlite").
// Internal to src/package and src/report.
//
// The writer creates the database inside the package staging folder (it is
// output, never evidence) with temp_store=MEMORY and no rollback journal:
// nothing is ever written outside the staging folder, and a failed run
// discards the folder as a whole. Only in-scope items are ever given to it.
//
// The reader opens a finished package's database read-only.
//
// Neither is thread-safe.

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "remit/item.hpp"
#include "remit/status.hpp"

struct sqlite3;

namespace remit::pkg {

inline constexpr int kItemsSchemaVersion = 1;

// One in-scope item as stored.
struct StoredItem {
  int64_t id = 0;
  Item item;
  std::vector<std::string> lines;  // ids of the lines of enquiry that matched
  bool near_edge = false;
  // Package path ("media/<sha256>.<ext>") per file, parallel to
  // item.attachments (then item.file last, when present); "" when not copied.
  std::vector<std::string> media;
};

class ItemsDbWriter {
 public:
  ~ItemsDbWriter();
  ItemsDbWriter(ItemsDbWriter&&) noexcept;
  ItemsDbWriter& operator=(ItemsDbWriter&&) noexcept;

  [[nodiscard]] static Result<ItemsDbWriter> create(const std::filesystem::path& path);
  void set_meta(const std::string& key, const std::string& value);
  // Adds one in-scope item. `media` as in StoredItem.
  [[nodiscard]] Status add(const Item& item, const std::vector<std::string>& lines, bool near_edge,
                           const std::vector<std::string>& media);
  // Supplementary packages: locators already held by earlier packages.
  [[nodiscard]] Status add_prior(const std::string& locator);
  // Builds the FTS5 index, commits and closes. Returns the item count.
  [[nodiscard]] Result<uint64_t> finish();

 private:
  ItemsDbWriter() = default;
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

class ItemsDbReader {
 public:
  ~ItemsDbReader();
  ItemsDbReader(ItemsDbReader&&) noexcept;
  ItemsDbReader& operator=(ItemsDbReader&&) noexcept;

  [[nodiscard]] static Result<ItemsDbReader> open(const std::filesystem::path& path);
  [[nodiscard]] Result<uint64_t> count() const;
  // Items in time order (undated last), then id.
  [[nodiscard]] Status for_each(const std::function<void(StoredItem&&)>& fn) const;
  // Locators of the items held (and of prior items, when `with_prior`).
  [[nodiscard]] Result<std::vector<std::string>> locators(bool with_prior) const;
  // FTS5 query (for tests and tools): ids of matching items.
  [[nodiscard]] Result<std::vector<int64_t>> search(const std::string& fts_query) const;
  [[nodiscard]] Result<std::string> meta(const std::string& key) const;

 private:
  ItemsDbReader() = default;
  sqlite3* db_ = nullptr;
};

}  // namespace remit::pkg
