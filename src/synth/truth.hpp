#pragma once
// Ground truth: PATH.truth.jsonl, one line per item a perfect parser must
// produce, in remit's item format (docs/item-format.md) plus the top-level
// key "expected_in_scope". Provenance is what the real parser reports:
// parser name (docs/parsers.md), logical path, table, row "<pk>=<n>".
// `extra` is left empty: app-specific labels are the parser's own choice
// and are not part of the ground truth (docs/synth.md).
//
// Not thread-safe.

#include <cstdint>
#include <map>
#include <string>

#include "remit/item.hpp"
#include "remit/party.hpp"
#include "synth/output.hpp"

namespace remit::synth {

class TruthWriter {
 public:
  TruthWriter(AtomicFile& file, std::string container, const PartyNormaliser& parties)
      : file_(file), container_(std::move(container)), parties_(parties) {}

  // Fills provenance.container and entry_name (= path), then writes.
  [[nodiscard]] Status add(Item item, bool expected_in_scope);

  // A party with raw, normalised and kind filled by the core normaliser.
  [[nodiscard]] Party party(std::string raw, PartyRole role, std::string name = {}, std::string label = {}) const;
  [[nodiscard]] static Provenance prov(std::string path, std::string table, std::string row, std::string parser);
  [[nodiscard]] static Timestamp time(int64_t raw, TimeUnit unit);

  [[nodiscard]] uint64_t items() const noexcept { return items_; }
  [[nodiscard]] uint64_t in_scope() const noexcept { return in_scope_; }
  // Items per "parser table" ("android.sms sms"), for summaries.
  [[nodiscard]] const std::map<std::string, uint64_t>& per_table() const noexcept { return per_table_; }

 private:
  AtomicFile& file_;
  std::string container_;
  const PartyNormaliser& parties_;
  uint64_t items_ = 0, in_scope_ = 0;
  std::map<std::string, uint64_t> per_table_;
};

}  // namespace remit::synth
