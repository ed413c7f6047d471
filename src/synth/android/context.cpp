// Android generation context (src/synth/android/context.hpp).
#include "synth/android/context.hpp"

#include <fmt/format.h>

#include "synth/prng.hpp"

namespace remit::synth::android {

namespace fs = std::filesystem;

std::string Context::app_dir(std::string_view pkg, bool device_encrypted) const {
  if (device_encrypted && v.prefix == AndroidVariants::Prefix::user_de) return "data/user_de/0/" + std::string(pkg);
  return "data/data/" + std::string(pkg);
}

Owner Context::owner_of(std::string_view pkg) {
  if (pkg == "com.android.providers.telephony") return {1001, 1001, "radio"};
  if (pkg == "media") return {1023, 1023, "media_rw"};
  if (pkg == "system") return {1000, 1000, "system"};
  const int64_t app = 10 + static_cast<int64_t>(fnv1a64(pkg) % 280);
  return {10000 + app, 10000 + app, fmt::format("u0_a{}", app)};
}

Status Context::dirs_for(const std::string& path, const Owner& o) {
  std::string prefix;
  size_t pos = 0;
  while ((pos = path.find('/', pos)) != std::string::npos) {
    prefix = path.substr(0, pos);
    ++pos;
    if (dirs_.count(prefix)) continue;
    dirs_.insert(prefix);
    // Folders above the app's own are the system's.
    const bool system = prefix == "data" || prefix == "data/data" || prefix == "data/user_de" ||
                        prefix == "data/user_de/0" || prefix == "data/media" || prefix == "data/media/0";
    const Owner& w = system ? owner_of("system") : o;
    FileMeta m{prefix, 0771, w.uid, w.gid, w.name, w.name, db_mtime_s()};
    if (auto st = out.add_dir(m); !st) return st;
  }
  return {};
}

Status Context::add_bytes(const std::string& path, std::string_view data, const Owner& o, int64_t mtime_s,
                          uint32_t mode) {
  if (auto st = dirs_for(path, o); !st) return st;
  return out.add_bytes(FileMeta{path, mode, o.uid, o.gid, o.name, o.name, mtime_s}, data);
}

Status Context::add_db(const std::string& path, const fs::path& scratch_file, const Owner& o) {
  if (auto st = dirs_for(path, o); !st) return st;
  const int64_t t = db_mtime_s();
  if (auto st = out.add_scratch_file(FileMeta{path, 0660, o.uid, o.gid, o.name, o.name, t}, scratch_file); !st)
    return st;
  for (const char* side : {"-wal", "-shm", "-journal"}) {
    fs::path sp = scratch_file;
    sp += side;
    std::error_code ec;
    if (fs::exists(sp, ec)) {
      if (auto st = out.add_scratch_file(FileMeta{path + side, 0660, o.uid, o.gid, o.name, o.name, t}, sp); !st)
        return st;
    }
  }
  return {};
}

std::string Context::contact_name(uint32_t person) const {
  const Person& p = story.person(person);
  return p.in_contacts ? p.display : std::string();
}

}  // namespace remit::synth::android
