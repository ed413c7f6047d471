#pragma once
// The intrusion measure (stats.json, docs/package.md "stats.json"): how
// much of what the phone holds was brought into scope. Internal to
// src/package.
//
// Privacy: the counter keeps no content. Parties are remembered as 64-bit
// hashes of their normalised identifiers (only to count distinct ones),
// media as entry ordinals, sizes and SHA-256 digests; all of it in memory
// only, for the length of one extraction.
//
// De-duplication of media by SHA-256 without hashing every photo: two
// files can only share a SHA-256 if they have the same size, so only media
// files whose size collides with another's are hashed (by finish());
// distinct sizes are distinct contents.
//
// Not thread-safe.

#include <atomic>
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "remit/item.hpp"
#include "remit/scope.hpp"
#include "remit/source.hpp"

namespace remit::pkg {

struct LineTally {
  uint64_t items = 0;
  uint64_t near_edge = 0;
  std::optional<int64_t> first_ms, last_ms;
};

class IntrusionCounter {
 public:
  explicit IntrusionCounter(const Scope& scope);

  // Every item the parsers produced (`media_entry`: the entry of a media
  // item's own file, if found).
  void on_device(const Item& item, const Entry* media_entry);
  // Items in scope of this scope version (in this package or, for a
  // supplementary package, already in an earlier one). `media_sha`: the
  // SHA-256 of a media item's own file once copied ("" if none).
  void in_scope(const Item& item, const MatchResult& m, const std::string& media_sha);

  // Resolves media duplicates (hashing same-size files through `source`;
  // stops early when `cancel` is set) and returns stats.json's body.
  // `extra` keys are merged at the top level.
  [[nodiscard]] std::string finish(const Source& source, const std::atomic<bool>* cancel,
                                   const std::map<std::string, std::string>& extra_strings, uint64_t in_this_package,
                                   uint64_t in_parent);

  [[nodiscard]] uint64_t media_hashed() const noexcept { return media_hashed_; }
  [[nodiscard]] const std::map<std::string, LineTally>& lines() const noexcept { return lines_; }

 private:
  struct CatTally {
    uint64_t device = 0, device_recovered = 0, scope = 0, scope_recovered = 0, device_undated = 0;
  };
  const Scope& scope_;
  std::map<Category, CatTally> cats_;
  std::map<std::string, LineTally> lines_;
  std::unordered_set<uint64_t> parties_device_, parties_scope_;
  std::optional<int64_t> first_ms_, last_ms_;
  std::set<int64_t> scope_days_;  // local day numbers with in-scope items
  // media on the device: entry ordinal -> (size, sha256 if known)
  std::unordered_map<uint32_t, std::pair<uint64_t, std::string>> media_entries_;
  std::unordered_set<std::string> media_sha_only_;  // known hash, no entry
  uint64_t media_unresolved_ = 0;                   // neither entry nor hash
  std::unordered_set<std::string> media_scope_sha_;
  uint64_t media_scope_unresolved_ = 0;
  uint64_t media_hashed_ = 0;
  uint64_t items_device_ = 0, items_scope_ = 0, undated_device_ = 0;
};

// Local calendar day number (days since 1970-01-01 in `time_zone`, or UTC
// when the zone is unknown).
[[nodiscard]] int64_t local_day(int64_t utc_ms, const std::string& time_zone);
// "2026-03-13 21:04:05 GMT" in `time_zone` (UTC when unknown).
[[nodiscard]] std::string format_local_time(int64_t utc_ms, const std::string& time_zone);
// "13 March 2026" for a local day number.
[[nodiscard]] std::string format_day_long(int64_t day);
// Distinct local days touched by [start, end).
void add_window_days(int64_t start_ms, int64_t end_ms, const std::string& time_zone, std::set<int64_t>& days);

}  // namespace remit::pkg
