#pragma once
// `remit synth ios --format itunes|itunes-encrypted`: the extraction is
// generated as a folder beside PATH (with its truth), then every backed-up
// file is handed to the iTunes/Finder backup writer
// (src/source/itunes_backup_writer.hpp) under its backup domain and
// relative path (synth/ios/backup_layout.hpp). PATH is then a backup
// folder: Manifest.db, Manifest.plist, Info.plist, Status.plist and the
// files under <fileID[0:2]>/<fileID>.
//
// App containers: a full file system names them by UUID; a backup by id
// (AppDomainGroup-<group id>, AppDomain-<bundle id>). The ids are read from
// each container's .com.apple.mobile_container_manager.metadata.plist (as
// iOS's container manager keeps them), and the truth is rewritten as
// remit's backup Source reports the files: provenance path = the domain's
// device folder + relativePath (".../AppGroup/<group id>/ChatStorage.sqlite"),
// entry name = "<domain>-<relativePath>", file references likewise. Every
// item keeps its expected_in_scope flag; PATH.story.json records format,
// encryption, KDF rounds and (for a derived password) the password itself,
// under "backup".
//
// Contract: deterministic (the folder is, and the writer's keys, salts and
// IVs come from the seed); atomic (sidecars renamed first, PATH last; the
// folder and every temporary file are removed whatever happens). Memory:
// the writer takes every file's bytes at once, so memory grows with the
// extraction's size (the CLI caps --size for these formats).
// Not thread-safe.

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "remit/status.hpp"
#include "synth/generator.hpp"

namespace remit::synth::ios {

// Largest --size the backup formats accept (files are held in memory).
inline constexpr uint64_t kMaxBackupBytes = 2ULL << 30;

struct BackupRenderOptions {
  std::filesystem::path out;  // PATH (the backup folder)
  bool force = false;
  StoryOptions story;
  uint64_t size = 0;
  std::vector<std::string> variants;
  bool encrypted = false;
  // Encrypted: the password; nullopt = derived from the seed
  // (derived_backup_password) and recorded in PATH.story.json.
  std::optional<std::string> password;
  uint32_t kdf_rounds = 10'000'000;  // PBKDF2-SHA256 rounds (DPIC); real backups: 10,000,000
  const std::atomic<bool>* cancel = nullptr;
  std::function<void(std::string_view)> stage;  // progress: the stage being written
};

// The password of an encrypted synthetic backup when none is given:
// "remit-synth-<seed>-<8 hex digits>", a function of the seed only.
[[nodiscard]] std::string derived_backup_password(uint64_t seed);

// `generate_folder(folder)` writes the extraction as a folder at `folder`
// (with folder.truth.jsonl and folder.story.json), as generate_ios does for
// --format dir with the default prefix.
[[nodiscard]] Result<GenerationSummary> render_as_itunes_backup(
    const BackupRenderOptions& o,
    const std::function<Result<GenerationSummary>(const std::filesystem::path& folder)>& generate_folder);

}  // namespace remit::synth::ios
