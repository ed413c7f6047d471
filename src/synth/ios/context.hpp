#pragma once
// Shared state of one iOS generation run: the story, the output, the truth
// writer, the chosen variants, and the layout of an iOS full file system
// extraction (entry names per --variant prefix, owners, modes). Internal to
// src/synth/ios.
//
// Paths given to the Context are *logical* paths under /private/var
// ("mobile/Library/SMS/sms.db"); logical() gives the normalised logical path
// parsers report ("private/var/mobile/..."), entry() the raw entry name in
// the container for the chosen prefix.
//
// Not thread-safe (one generation thread).

#include <cstdint>
#include <filesystem>
#include <functional>
#include <set>
#include <string>
#include <string_view>

#include "remit/item.hpp"
#include "remit/party.hpp"
#include "synth/ios.hpp"
#include "synth/output.hpp"
#include "synth/story.hpp"
#include "synth/truth.hpp"

namespace remit::synth::ios {

// Unix owner of a file on the phone: root (0) or mobile (501).
struct Owner {
  int64_t uid = 501, gid = 501;
  std::string name = "mobile";
};

class Context {
 public:
  Context(const Story& story, Output& out, TruthWriter& truth, const IosVariants& v, const PartyNormaliser& norm,
          std::function<void(std::string_view)> stage);

  const Story& story;
  Output& out;
  TruthWriter& truth;
  IosVariants v;
  const PartyNormaliser& norm;

  // "mobile/Library/SMS/sms.db" -> "private/var/mobile/Library/SMS/sms.db".
  [[nodiscard]] static std::string logical(std::string_view var_rel);
  // The entry name for the chosen prefix variant.
  [[nodiscard]] std::string entry(std::string_view var_rel) const;
  // Provenance with path = logical, entry_name = entry name.
  [[nodiscard]] Provenance prov(std::string_view var_rel, std::string table, std::string row, std::string parser) const;

  [[nodiscard]] static Owner mobile() { return {}; }
  [[nodiscard]] int64_t db_mtime_s() const { return story.extraction_ms() / 1000 - 600; }

  // Adds every missing parent folder of `var_rel` (archives list folders too).
  [[nodiscard]] Status dirs_for(std::string_view var_rel);
  [[nodiscard]] Status add_bytes(std::string_view var_rel, std::string_view data, int64_t mtime_s,
                                 uint32_t mode = 0644);
  [[nodiscard]] Status add_file(std::string_view var_rel, uint64_t size, int64_t mtime_s,
                                const std::function<Status(ByteSink&)>& fill, uint32_t mode = 0644);
  // A database built in the scratch folder, plus its -wal/-shm when present.
  [[nodiscard]] Status add_db(std::string_view var_rel, const std::filesystem::path& scratch_file);
  [[nodiscard]] std::filesystem::path scratch(std::string_view name) const {
    return out.scratch_dir() / std::string(name);
  }

  void stage(std::string_view s) const {
    if (stage_) stage_(s);
  }
  [[nodiscard]] bool cancelled() const { return out.cancelled(); }
  [[nodiscard]] Status interrupted() const { return make_error(Errc::refused, "interrupted"); }

  // Name the owner's address book shows for a person (empty if not saved).
  [[nodiscard]] std::string contact_name(uint32_t person) const;

  // The WhatsApp shared app-group container's UUID (from the seed).
  [[nodiscard]] const std::string& whatsapp_group_uuid() const noexcept { return wa_group_uuid_; }
  // A deterministic upper-case UUID for (label, index).
  [[nodiscard]] std::string uuid(std::string_view label, uint64_t index = 0) const;

 private:
  std::set<std::string> dirs_;
  std::function<void(std::string_view)> stage_;
  std::string wa_group_uuid_;
};

// Core Data / Cocoa time: seconds since 2001-01-01 as a double, from UTC ms.
[[nodiscard]] inline double mac_seconds(int64_t utc_ms) {
  return static_cast<double>(utc_ms - kMacEpochOffsetS * 1000) / 1000.0;
}
// The truth timestamp a reader computes from a REAL column holding `v`
// (raw = SQLite's text rendering of the double).
[[nodiscard]] Timestamp mac_time_real(double v);
// The truth timestamp of an INTEGER column in `unit`.
[[nodiscard]] Timestamp int_time(int64_t raw, TimeUnit unit);

// Writes the files of each module, in the order they are written.
[[nodiscard]] Status write_addressbook(Context& c);
[[nodiscard]] Status write_callhistory(Context& c);
[[nodiscard]] Status write_sms(Context& c);
[[nodiscard]] Status write_whatsapp(Context& c);
[[nodiscard]] Status write_safari(Context& c);
[[nodiscard]] Status write_other_apps(Context& c);
// Photos.sqlite and the DCIM files, padded so the extraction reaches
// `target_bytes` (0: no padding).
[[nodiscard]] Status write_photos(Context& c, uint64_t target_bytes);

}  // namespace remit::synth::ios
