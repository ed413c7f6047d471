#pragma once
// Writes an iTunes/Finder backup folder (iOS 10.2+ layout), plain or
// encrypted, from a list of files. For the synthetic-evidence generator
// (`remit synth ios --format itunes|itunes-encrypted`) and for tests that
// need encrypted fixtures with small PBKDF2 round counts.
//
// Layout written (docs/formats/itunes-backup.md):
//   Info.plist, Status.plist, Manifest.plist (IsEncrypted, BackupKeyBag,
//   ManifestKey when encrypted, Lockdown.ProductVersion, Version "10.0"),
//   Manifest.db (Files + Properties tables; AES-256-CBC with the ManifestKey
//   when encrypted), and every file at <fileID[0:2]>/<fileID> where
//   fileID = SHA-1(domain "-" relativePath), each AES-256-CBC encrypted with
//   its own key (wrapped with its protection class key) when encrypted.
//   Parent folders get directory rows (flags 2), as real backups have.
//
// Contract:
//  - Deterministic: the same files, options and seed give byte-identical
//    output (all keys, salts and UUIDs come from the seed; no clock is read).
//  - Atomic: the folder is built under a temporary sibling name and renamed
//    into place; on failure nothing is left at `dir`. `dir` must not exist.
//  - The plaintext Manifest.db of an encrypted backup is built in memory and
//    never written unencrypted.
//  - Thread-compatible; no global state.

#include <cstdint>
#include <filesystem>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "remit/status.hpp"

namespace remit::backup {

struct BackupFile {
  std::string domain;         // "HomeDomain", "AppDomainGroup-group.net.whatsapp.WhatsApp.shared", ...
  std::string relative_path;  // "Library/SMS/sms.db"
  std::vector<unsigned char> data;
  int64_t mtime_s = 0;            // LastModified / Birth, seconds since 1970
  uint32_t protection_class = 3;  // NSFileProtectionCompleteUntilFirstUserAuthentication
  uint32_t mode = 0100644;
};

struct BackupWriterOptions {
  std::optional<std::string> password;      // set: encrypted backup
  uint32_t kdf_rounds_sha256 = 10'000'000;  // DPIC (real backups: 10,000,000)
  uint32_t kdf_rounds_sha1 = 10'000;        // ITER (real backups: 10,000)
  uint64_t seed = 1;
  int64_t backup_date_s = 1'700'000'000;  // Manifest/Status/Info "Date"
  std::string product_version = "16.7.2";
  std::string product_type = "iPhone14,2";
  std::string build_version = "20H115";
  std::string device_name = "iPhone";
};

// Writes the backup folder `dir`. Errors: usage (dir exists), io, internal.
[[nodiscard]] Status write_itunes_backup(const std::filesystem::path& dir, std::span<const BackupFile> files,
                                         const BackupWriterOptions& options);

}  // namespace remit::backup
