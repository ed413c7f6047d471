#pragma once
// `remit synth ios`: a synthetic iOS full file system extraction of the same
// story as `remit synth android` (src/synth/story.hpp), with its ground truth
// (PATH.truth.jsonl) and story (PATH.story.json).
//
// Contract (as generate_android):
//  - generate_ios() writes PATH atomically (temp name, then rename) in the
//    chosen format, streaming: memory stays flat whatever --size is.
//  - The same options give byte-identical PATH, PATH.truth.jsonl and
//    PATH.story.json.
//  - Errors name the file and the problem; nothing is left behind on
//    failure or cancellation.
// Not thread-safe (SQLite's PRNG is reseeded per database).

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "remit/status.hpp"
#include "synth/generator.hpp"
#include "synth/output.hpp"
#include "synth/story.hpp"

namespace remit::synth {

struct IosVariants {
  // sms.db message.date: nanoseconds since 2001 (iOS 11+) or seconds (before).
  enum class SmsDates { nanoseconds, seconds };
  // Message text in `text` (and attributedBody), or only in attributedBody
  // (iOS 16+ for many messages).
  enum class SmsText { text_column, attributed_body_only };
  // handle_id: 0 only on outgoing group messages (usual), or 0 on every
  // message sent by the owner (one-to-one too: the party is then found only
  // through chat_handle_join).
  enum class SmsHandles { usual, zero_for_own };
  // Photos.sqlite asset table: ZASSET (iOS 14+) or ZGENERICASSET (iOS 11-13).
  enum class Photos { zasset, zgenericasset };
  // AddressBook.sqlitedb: rows in the main file; only in the -wal (4 KB main
  // file, as on a phone taken while Contacts was open); only in the -wal and
  // with deleted contacts still in superseded WAL frames (recovered items).
  enum class AddressBook { main_file, wal_only, wal_superseded };
  // Entry names: "private/var/..." (default), "/private/var/..." (archives),
  // "filesystem2/..." (Cellebrite / iLEAPP layout).
  enum class Prefix { private_var, absolute, filesystem2 };
  SmsDates sms_dates = SmsDates::nanoseconds;
  SmsText sms_text = SmsText::text_column;
  SmsHandles sms_handles = SmsHandles::usual;
  Photos photos = Photos::zasset;
  AddressBook addressbook = AddressBook::main_file;
  Prefix prefix = Prefix::private_var;
  bool wal = false;  // leave the last day's rows of sms.db and ChatStorage.sqlite in their -wal
};

// Every --variant name, with its group (one choice per group) and meaning.
[[nodiscard]] const std::vector<VariantInfo>& ios_variants();
// Applies variant names; errors (usage) on unknown names or two choices in
// one group.
[[nodiscard]] Result<IosVariants> parse_ios_variants(const std::vector<std::string>& names);
[[nodiscard]] std::vector<std::string> variant_names(const IosVariants& v);

// --format itunes / itunes-encrypted: the extraction as an iTunes/Finder
// backup folder (synth/ios/backup_output.hpp). `format` is then ignored.
struct IosBackupOptions {
  bool enabled = false;
  bool encrypted = false;
  std::optional<std::string> password;  // encrypted; nullopt: derived from the seed, recorded in PATH.story.json
  uint32_t kdf_rounds = 10'000'000;     // PBKDF2-SHA256 rounds (real backups: 10,000,000)
};

struct IosOptions {
  StoryOptions story;
  IosVariants variants;
  OutputFormat format = OutputFormat::dir;
  std::filesystem::path out;
  uint64_t size = 0;  // target total bytes of file content (0: natural size)
  bool force = false;
  IosBackupOptions backup;
};

[[nodiscard]] Result<GenerationSummary> generate_ios(const IosOptions& o, const Progress& progress = {});

}  // namespace remit::synth
