#pragma once
// Shared state of one Android generation run: the story, the output, the
// truth writer, the chosen variants, and the path layout of a full file
// system extraction. Internal to src/synth/android.
//
// Not thread-safe (one generation thread).

#include <cstdint>
#include <functional>
#include <set>
#include <string>
#include <string_view>

#include "remit/party.hpp"
#include "synth/android.hpp"
#include "synth/output.hpp"
#include "synth/story.hpp"
#include "synth/truth.hpp"

namespace remit::synth::android {

// Linux owner of an app's files in the extraction (Android app uids).
struct Owner {
  int64_t uid = 0, gid = 0;
  std::string name;
};

class Context {
 public:
  Context(const Story& story, Output& out, TruthWriter& truth, const AndroidVariants& v, const PartyNormaliser& norm,
          std::function<void(std::string_view)> stage)
      : story(story), out(out), truth(truth), v(v), norm(norm), stage_(std::move(stage)) {}

  const Story& story;
  Output& out;
  TruthWriter& truth;
  AndroidVariants v;
  const PartyNormaliser& norm;

  // App data folder: "data/user_de/0/<pkg>" for device-encrypted storage
  // (telephony, call log) on Android 7+, else "data/data/<pkg>".
  [[nodiscard]] std::string app_dir(std::string_view pkg, bool device_encrypted = false) const;
  [[nodiscard]] static std::string media_root() { return "data/media/0"; }
  [[nodiscard]] static Owner owner_of(std::string_view pkg);
  [[nodiscard]] int64_t db_mtime_s() const { return story.extraction_ms() / 1000 - 600; }

  // Adds every missing parent folder of `path` (archives list folders too).
  [[nodiscard]] Status dirs_for(const std::string& path, const Owner& o);
  [[nodiscard]] Status add_bytes(const std::string& path, std::string_view data, const Owner& o, int64_t mtime_s,
                                 uint32_t mode = 0660);
  // A database built in the scratch folder, plus its -wal/-shm when present.
  [[nodiscard]] Status add_db(const std::string& path, const std::filesystem::path& scratch_file, const Owner& o);
  [[nodiscard]] std::filesystem::path scratch(std::string_view name) const {
    return out.scratch_dir() / std::string(name);
  }

  void stage(std::string_view s) const {
    if (stage_) stage_(s);
  }
  [[nodiscard]] bool cancelled() const { return out.cancelled(); }

  // Name the owner's address book shows for a person (empty if not saved).
  [[nodiscard]] std::string contact_name(uint32_t person) const;

 private:
  std::set<std::string> dirs_;
  std::function<void(std::string_view)> stage_;
};

// The sms.type an SMS event is stored with: 1 inbox, 2 sent, and for a few
// everyday outgoing messages 5 failed or 3 draft. Decided by the event's
// salt so every module that mirrors SMS agrees.
[[nodiscard]] inline int sms_box_type(const Event& e, const Person& p) {
  if (!e.outgoing) return 1;
  if (p.role == Role::suspect || e.in_scope) return 2;
  const uint64_t u = (e.salt >> 20) % 1000;
  return u < 6 ? 5 : u < 9 ? 3 : 2;
}

// Modules, in the order they are written.
[[nodiscard]] Status write_contacts(Context& c);
[[nodiscard]] Status write_calllog(Context& c);
[[nodiscard]] Status write_telephony(Context& c);
[[nodiscard]] Status write_bugle(Context& c);
[[nodiscard]] Status write_whatsapp(Context& c);
[[nodiscard]] Status write_chrome(Context& c);
[[nodiscard]] Status write_other_apps(Context& c);
// Camera photos, padded so the extraction reaches `target_bytes` (0: no
// padding).
[[nodiscard]] Status write_dcim(Context& c, uint64_t target_bytes);

}  // namespace remit::synth::android
