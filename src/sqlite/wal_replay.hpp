#pragma once
// Rebuilding a database image from its main file plus sidecars, in memory.
// Internal to src/sqlite. Reference: https://www.sqlite.org/fileformat2.html
// sections "Rollback Journal" and "Write-Ahead Log" (WAL header, frame
// header, cumulative checksum, commit frames carrying the database size).

#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "remit/evidence_db.hpp"

namespace remit::detail {

// Applies committed, checksum-valid WAL frames (at most `upto_commit`
// commits) to `image`. Frames after the last applied commit are counted as
// uncommitted and not applied. Never throws; bad input only yields counts.
WalInfo replay_wal(Bytes& image, const Bytes& wal, std::optional<uint64_t> upto_commit,
                   std::vector<std::string>& notes);

// Applies committed, checksum-valid WAL frames to `image` one commit at a
// time, calling `after_commit(n, pages)` (n = 1, 2, ...; pages: the page
// numbers commit n wrote, ascending) once commit n is applied; stops early
// when it returns false. Same validation as replay_wal().
WalInfo walk_wal_commits(Bytes& image, const Bytes& wal,
                         const std::function<bool(uint64_t, std::span<const uint32_t>)>& after_commit,
                         std::vector<std::string>& notes);

// Rolls back a hot rollback journal into `image` (restores the original
// pages and size). Returns true when a hot journal was applied.
bool rollback_journal(Bytes& image, const Bytes& journal, std::vector<std::string>& notes);

}  // namespace remit::detail
