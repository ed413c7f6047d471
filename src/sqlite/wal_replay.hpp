#pragma once
// Rebuilding a database image from its main file plus sidecars, in memory.
// Internal to src/sqlite. Reference: https://www.sqlite.org/fileformat2.html
// sections "Rollback Journal" and "Write-Ahead Log" (WAL header, frame
// header, cumulative checksum, commit frames carrying the database size).

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "remit/evidence_db.hpp"

namespace remit::detail {

// Applies committed, checksum-valid WAL frames (at most `upto_commit`
// commits) to `image`. Frames after the last applied commit are counted as
// uncommitted and not applied. Never throws; bad input only yields counts.
WalInfo replay_wal(Bytes& image, const Bytes& wal, std::optional<uint64_t> upto_commit,
                   std::vector<std::string>& notes);

// Rolls back a hot rollback journal into `image` (restores the original
// pages and size). Returns true when a hot journal was applied.
bool rollback_journal(Bytes& image, const Bytes& journal, std::vector<std::string>& notes);

}  // namespace remit::detail
