#pragma once
// Comparing parsed items with a generator's ground truth (PATH.truth.jsonl).
//
// A truth line is an item in remit's item format (docs/item-format.md) with
// one extra top-level key, "expected_in_scope" (bool).
//
// Identity is the provenance locator "path#table:row". For each truth item
// in the compared set, exactly one parsed item must have the same locator,
// and these fields must be equal: category, time.utc, direction, the
// multiset of parties as (normalised, role), body, outcome, duration_s,
// url, title (web visits and media), file.path (media), attachments as
// (path, missing), system, group, deleted, recovered. Parsed items with no
// truth counterpart are extras (precision < 1).

#include <filesystem>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "remit/item.hpp"

namespace remit::test {

struct TruthRecord {
  Item item;
  bool expected_in_scope = false;
};

std::vector<TruthRecord> load_truth(const std::filesystem::path& path);

struct TruthFilter {
  std::set<Category> categories;  // empty: all
  std::set<std::string> parsers;  // empty: all; else only items whose provenance.parser is listed
};

struct TruthDiff {
  size_t expected = 0;                // truth items in the compared set
  size_t parsed = 0;                  // parsed items in the compared set
  size_t matched = 0;                 // locator found and every field equal
  std::vector<std::string> problems;  // first problems, human-readable (no more than 50)
  [[nodiscard]] double precision() const { return parsed ? double(matched) / double(parsed) : 1.0; }
  [[nodiscard]] double recall() const { return expected ? double(matched) / double(expected) : 1.0; }
  [[nodiscard]] bool exact() const { return matched == expected && matched == parsed; }
};

TruthDiff compare_with_truth(const std::vector<Item>& parsed, const std::vector<TruthRecord>& truth,
                             const TruthFilter& filter = {});

}  // namespace remit::test
