// iOS generation context (src/synth/ios/context.hpp).
//
// Layout facts: iOS keeps user data under /private/var/mobile (owner mobile,
// uid/gid 501); /private and /private/var belong to root. Full file system
// extractions name entries "private/var/...", "/private/var/..." (GrayKey
// and Cellebrite archives, the iLEAPP mvs_ios_2023 test zip) or
// "filesystem2/..." meaning /private/var (Cellebrite full file system, the
// iLEAPP josh_ios15 test zips).
#include "synth/ios/context.hpp"

#include <fmt/format.h>
#include <sqlite3.h>

#include "synth/prng.hpp"

namespace remit::synth::ios {

namespace fs = std::filesystem;

Context::Context(const Story& s, Output& o, TruthWriter& t, const IosVariants& variants, const PartyNormaliser& n,
                 std::function<void(std::string_view)> stage)
    : story(s), out(o), truth(t), v(variants), norm(n), stage_(std::move(stage)) {
  wa_group_uuid_ = uuid("whatsapp-app-group");
}

std::string Context::logical(std::string_view var_rel) {
  return "private/var/" + std::string(var_rel);
}

std::string Context::entry(std::string_view var_rel) const {
  switch (v.prefix) {
    case IosVariants::Prefix::absolute:
      return "/private/var/" + std::string(var_rel);
    case IosVariants::Prefix::filesystem2:
      return "filesystem2/" + std::string(var_rel);
    case IosVariants::Prefix::private_var:
      break;
  }
  return logical(var_rel);
}

Provenance Context::prov(std::string_view var_rel, std::string table, std::string row, std::string parser) const {
  Provenance p = TruthWriter::prov(logical(var_rel), std::move(table), std::move(row), std::move(parser));
  p.entry_name = entry(var_rel);
  return p;
}

std::string Context::uuid(std::string_view label, uint64_t index) const {
  Rng r = Rng::derive(story.seed(), label, index);
  const std::string h = r.hex(16);
  // RFC 4122 layout: version 4, variant 10xx.
  const char variant = "89AB"[static_cast<unsigned char>(h[16]) % 4];
  return fmt::format("{}-{}-4{}-{}{}-{}", h.substr(0, 8), h.substr(8, 4), h.substr(13, 3), variant, h.substr(17, 3),
                     h.substr(20, 12));
}

Status Context::dirs_for(std::string_view var_rel) {
  // The folders above /private/var/mobile are root's.
  const std::string full = entry(var_rel);
  const std::string root_part = entry("");  // "private/var/", "/private/var/", "filesystem2/"
  size_t pos = full.front() == '/' ? 1 : 0;
  while ((pos = full.find('/', pos)) != std::string::npos) {
    const std::string dir = full.substr(0, pos);
    ++pos;
    if (dirs_.count(dir)) continue;
    dirs_.insert(dir);
    const bool root_owned = dir.size() < root_part.size();
    const Owner o = root_owned ? Owner{0, 0, "root"} : mobile();
    FileMeta m{dir, 0755, o.uid, o.gid, o.name, root_owned ? "wheel" : o.name, db_mtime_s()};
    if (auto st = out.add_dir(m); !st) return st;
  }
  return {};
}

Status Context::add_bytes(std::string_view var_rel, std::string_view data, int64_t mtime_s, uint32_t mode) {
  if (auto st = dirs_for(var_rel); !st) return st;
  const Owner o = mobile();
  return out.add_bytes(FileMeta{entry(var_rel), mode, o.uid, o.gid, o.name, o.name, mtime_s}, data);
}

Status Context::add_file(std::string_view var_rel, uint64_t size, int64_t mtime_s,
                         const std::function<Status(ByteSink&)>& fill, uint32_t mode) {
  if (auto st = dirs_for(var_rel); !st) return st;
  const Owner o = mobile();
  return out.add_file(FileMeta{entry(var_rel), mode, o.uid, o.gid, o.name, o.name, mtime_s}, size, fill);
}

Status Context::add_db(std::string_view var_rel, const fs::path& scratch_file) {
  if (auto st = dirs_for(var_rel); !st) return st;
  const Owner o = mobile();
  const int64_t t = db_mtime_s();
  const std::string name = entry(var_rel);
  if (auto st = out.add_scratch_file(FileMeta{name, 0644, o.uid, o.gid, o.name, o.name, t}, scratch_file); !st)
    return st;
  for (const char* side : {"-wal", "-shm", "-journal"}) {
    fs::path sp = scratch_file;
    sp += side;
    std::error_code ec;
    if (fs::exists(sp, ec)) {
      if (auto st = out.add_scratch_file(FileMeta{name + side, 0644, o.uid, o.gid, o.name, o.name, t}, sp); !st)
        return st;
    }
  }
  return {};
}

std::string Context::contact_name(uint32_t person) const {
  const Person& p = story.person(person);
  return p.in_contacts ? p.display : std::string();
}

Timestamp mac_time_real(double v) {
  Timestamp t;
  char buf[64];
  sqlite3_snprintf(sizeof buf, buf, "%!.15g", v);
  t.raw = buf;
  t.unit = TimeUnit::mac_s;
  t.utc_ms = v == 0 ? std::nullopt : to_unix_ms(v, TimeUnit::mac_s);
  t.source = t.utc_ms ? TimeSource::recorded : TimeSource::none;
  return t;
}

Timestamp int_time(int64_t raw, TimeUnit unit) {
  return TruthWriter::time(raw, unit);
}

}  // namespace remit::synth::ios
