// WAL replay and journal rollback (see wal_replay.hpp for the reference).
#include "sqlite/wal_replay.hpp"

#include <fmt/format.h>

#include <cstring>
#include <map>

namespace remit::detail {
namespace {

uint32_t be32(const unsigned char* p) {
  return (uint32_t{p[0]} << 24) | (uint32_t{p[1]} << 16) | (uint32_t{p[2]} << 8) | uint32_t{p[3]};
}
uint32_t le32(const unsigned char* p) {
  return (uint32_t{p[3]} << 24) | (uint32_t{p[2]} << 16) | (uint32_t{p[1]} << 8) | uint32_t{p[0]};
}

// SQLite's WAL checksum over `n` bytes (n multiple of 8).
void wal_checksum(bool big_endian, const unsigned char* data, size_t n, uint32_t& s0, uint32_t& s1) {
  for (size_t i = 0; i + 8 <= n; i += 8) {
    const uint32_t x0 = big_endian ? be32(data + i) : le32(data + i);
    const uint32_t x1 = big_endian ? be32(data + i + 4) : le32(data + i + 4);
    s0 += x0 + s1;
    s1 += x1 + s0;
  }
}

bool valid_page_size(uint32_t ps) {
  return ps >= 512 && ps <= 65536 && (ps & (ps - 1)) == 0;
}

}  // namespace

WalInfo replay_wal(Bytes& image, const Bytes& wal, std::optional<uint64_t> upto_commit,
                   std::vector<std::string>& notes) {
  WalInfo info;
  info.present = true;
  if (wal.size() < 32) {
    if (!wal.empty())
      notes.push_back(fmt::format("WAL shorter than its 32-byte header ({} bytes); ignored", wal.size()));
    return info;
  }
  const unsigned char* h = wal.data();
  const uint32_t magic = be32(h);
  if (magic != 0x377f0682 && magic != 0x377f0683) {
    notes.push_back("WAL header magic is wrong; WAL ignored");
    return info;
  }
  const bool big = (magic & 1) != 0;
  const uint32_t page_size = be32(h + 8);
  if (!valid_page_size(page_size)) {
    notes.push_back(fmt::format("WAL page size {} is invalid; WAL ignored", page_size));
    return info;
  }
  uint32_t s0 = 0, s1 = 0;
  wal_checksum(big, h, 24, s0, s1);
  if (s0 != be32(h + 24) || s1 != be32(h + 28)) {
    notes.push_back("WAL header checksum is wrong; WAL ignored");
    return info;
  }
  info.header_valid = true;
  info.page_size = page_size;
  const uint32_t salt1 = be32(h + 16), salt2 = be32(h + 20);

  const size_t frame_size = 24 + static_cast<size_t>(page_size);
  std::map<uint32_t, size_t> pending;  // page number -> frame offset (latest wins)
  std::map<uint32_t, size_t> applied_since;
  uint64_t pending_frames = 0;
  size_t off = 32;
  bool chain_ok = true;
  for (; off + frame_size <= wal.size(); off += frame_size) {
    const unsigned char* f = wal.data() + off;
    if (be32(f + 8) != salt1 || be32(f + 12) != salt2) break;  // a previous WAL generation
    uint32_t c0 = s0, c1 = s1;
    wal_checksum(big, f, 8, c0, c1);
    wal_checksum(big, f + 24, page_size, c0, c1);
    if (c0 != be32(f + 16) || c1 != be32(f + 20)) {
      chain_ok = false;
      break;
    }
    s0 = c0;
    s1 = c1;
    ++info.frames;
    const uint32_t pgno = be32(f);
    const uint32_t commit_size = be32(f + 4);
    if (pgno == 0) {
      chain_ok = false;
      break;
    }
    pending[pgno] = off;
    ++pending_frames;
    if (commit_size != 0) {
      if (upto_commit && info.commits >= *upto_commit) {
        // Stop at the requested historic snapshot; the rest counts as later commits.
        pending.clear();
        pending_frames = 0;
        break;
      }
      const size_t new_size = static_cast<size_t>(commit_size) * page_size;
      if (image.size() != new_size) image.resize(new_size, 0);
      for (const auto& [pg, fo] : pending) {
        const size_t dst = static_cast<size_t>(pg - 1) * page_size;
        if (dst + page_size > image.size()) continue;  // page beyond the committed size: dropped by the commit
        std::memcpy(image.data() + dst, wal.data() + fo + 24, page_size);
      }
      info.committed_frames += pending_frames;
      ++info.commits;
      pending.clear();
      pending_frames = 0;
    }
  }
  info.uncommitted_frames = pending_frames;
  // Count what lies beyond: frames of older generations or a broken chain.
  if (off + frame_size <= wal.size()) info.invalid_frames = (wal.size() - off) / frame_size;
  if (!chain_ok)
    notes.push_back(
        fmt::format("WAL checksum chain breaks at byte {}; later frames are not part of the database", off));
  if (info.uncommitted_frames > 0)
    notes.push_back(
        fmt::format("{} WAL frames after the last commit are not part of the database", info.uncommitted_frames));
  return info;
}

WalInfo walk_wal_commits(Bytes& image, const Bytes& wal,
                         const std::function<bool(uint64_t, std::span<const uint32_t>)>& after_commit,
                         std::vector<std::string>& notes) {
  WalInfo info;
  info.present = true;
  if (wal.size() < 32) return info;
  const unsigned char* h = wal.data();
  const uint32_t magic = be32(h);
  if (magic != 0x377f0682 && magic != 0x377f0683) return info;
  const bool big = (magic & 1) != 0;
  const uint32_t page_size = be32(h + 8);
  if (!valid_page_size(page_size)) return info;
  uint32_t s0 = 0, s1 = 0;
  wal_checksum(big, h, 24, s0, s1);
  if (s0 != be32(h + 24) || s1 != be32(h + 28)) return info;
  info.header_valid = true;
  info.page_size = page_size;
  const uint32_t salt1 = be32(h + 16), salt2 = be32(h + 20);
  const size_t frame_size = 24 + static_cast<size_t>(page_size);
  std::map<uint32_t, size_t> pending;
  uint64_t pending_frames = 0;
  for (size_t off = 32; off + frame_size <= wal.size(); off += frame_size) {
    const unsigned char* f = wal.data() + off;
    if (be32(f + 8) != salt1 || be32(f + 12) != salt2) break;
    uint32_t c0 = s0, c1 = s1;
    wal_checksum(big, f, 8, c0, c1);
    wal_checksum(big, f + 24, page_size, c0, c1);
    if (c0 != be32(f + 16) || c1 != be32(f + 20)) break;
    s0 = c0;
    s1 = c1;
    ++info.frames;
    const uint32_t pgno = be32(f);
    const uint32_t commit_size = be32(f + 4);
    if (pgno == 0) break;
    pending[pgno] = off;
    ++pending_frames;
    if (commit_size == 0) continue;
    const size_t new_size = static_cast<size_t>(commit_size) * page_size;
    if (image.size() != new_size) image.resize(new_size, 0);
    for (const auto& [pg, fo] : pending) {
      const size_t dst = static_cast<size_t>(pg - 1) * page_size;
      if (dst + page_size > image.size()) continue;
      std::memcpy(image.data() + dst, wal.data() + fo + 24, page_size);
    }
    info.committed_frames += pending_frames;
    ++info.commits;
    std::vector<uint32_t> pages;
    pages.reserve(pending.size());
    for (const auto& kv : pending) pages.push_back(kv.first);
    pending.clear();
    pending_frames = 0;
    if (!after_commit(info.commits, pages)) break;
  }
  info.uncommitted_frames = pending_frames;
  (void)notes;
  return info;
}

bool rollback_journal(Bytes& image, const Bytes& journal, std::vector<std::string>& notes) {
  static constexpr unsigned char kMagic[8] = {0xd9, 0xd5, 0x05, 0xf9, 0x20, 0xa1, 0x63, 0xd7};
  if (journal.size() < 28 || std::memcmp(journal.data(), kMagic, 8) != 0) return false;  // not hot
  const unsigned char* h = journal.data();
  uint32_t nrec = be32(h + 8);
  const uint32_t nonce = be32(h + 12);
  const uint32_t orig_pages = be32(h + 16);
  const uint32_t sector = be32(h + 20);
  const uint32_t page_size = be32(h + 24);
  if (!valid_page_size(page_size) || sector < 512 || sector > 65536 || (sector & (sector - 1)) != 0) {
    notes.push_back("rollback journal header is invalid; journal ignored");
    return false;
  }
  const size_t rec_size = 8 + static_cast<size_t>(page_size);
  size_t off = sector;
  if (nrec == 0xFFFFFFFFu)
    nrec = static_cast<uint32_t>((journal.size() - std::min<size_t>(off, journal.size())) / rec_size);
  uint32_t restored = 0;
  for (uint32_t i = 0; i < nrec && off + rec_size <= journal.size(); ++i, off += rec_size) {
    const unsigned char* r = journal.data() + off;
    const uint32_t pgno = be32(r);
    const unsigned char* data = r + 4;
    uint32_t sum = nonce;
    for (int k = static_cast<int>(page_size) - 200; k > 0; k -= 200) sum += data[k];
    if (sum != be32(r + 4 + page_size) || pgno == 0) break;  // torn record: stop, as SQLite does
    const size_t dst = static_cast<size_t>(pgno - 1) * page_size;
    if (dst + page_size > image.size()) image.resize(dst + page_size, 0);
    std::memcpy(image.data() + dst, data, page_size);
    ++restored;
  }
  if (orig_pages > 0) image.resize(static_cast<size_t>(orig_pages) * page_size, 0);
  notes.push_back(fmt::format("hot rollback journal applied: {} original pages restored", restored));
  return true;
}

}  // namespace remit::detail
