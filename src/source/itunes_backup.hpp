#pragma once
// iTunes/Finder backups (iOS 10.2 and later: Manifest.db), plain or
// encrypted, as a Source whose entries carry the files' logical paths on
// the device (HomeDomain + Library/SMS/sms.db -> private/var/mobile/Library/SMS/sms.db).
// Internal to src/source; reached through open_source(). Format notes:
// docs/formats/itunes-backup.md.
//
// Contract (in addition to remit/source.hpp):
//  - The backup folder is only read (through the folder reader: O_RDONLY,
//    O_NOFOLLOW); nothing is written, no decrypted byte reaches the disk.
//  - Encrypted backups: the password comes from SourceOptions::password or,
//    when absent, SourceOptions::ask_password. A wrong password is
//    Errc::wrong_password and no Source is returned. Derived and class keys
//    stay in memory, are wiped on destruction, and are never logged.
//  - The decrypted Manifest.db is opened from memory (EvidenceDb::open).
//  - read()/stream() decrypt per file (AES-256-CBC, per-file wrapped key)
//    and truncate to the recorded Size.
//  - container_digest() is the inventory digest of the backup folder (as for
//    folders: docs/sources.md).

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "remit/source.hpp"

namespace remit::detail {

// True when `dir` holds a backup's Manifest.db, or Manifest.plist together
// with Info.plist/Status.plist/Manifest.mbdb.
[[nodiscard]] bool looks_like_itunes_backup(const std::filesystem::path& dir);

[[nodiscard]] Result<std::unique_ptr<Source>> open_itunes_backup(const std::filesystem::path& dir,
                                                                 const SourceOptions& options);

// A backup folder inside an archive (tar, tar.gz, zip): the prefix of its
// Manifest.db ("" at the root, "<folder>/" one level down) when the archive
// holds exactly one backup (Manifest.db next to Manifest.plist, Info.plist
// or Status.plist), else nullopt.
[[nodiscard]] std::optional<std::string> itunes_backup_prefix(const Source& archive);

// The backup whose stored files are `raw`'s entries under `prefix`. The
// returned Source owns `raw`; its location is `location` (the archive) and
// its container digest is raw's.
[[nodiscard]] Result<std::unique_ptr<Source>> open_itunes_backup_in(const std::filesystem::path& location,
                                                                    std::unique_ptr<Source> raw, std::string prefix,
                                                                    const SourceOptions& options);

// The device folder a backup domain stands for ("HomeDomain" ->
// "private/var/mobile", "AppDomainGroup-group.x" ->
// "private/var/mobile/Containers/Shared/AppGroup/group.x"), or nullopt for
// an unknown domain.
[[nodiscard]] std::optional<std::string> backup_domain_root(std::string_view domain);

// The logical path of (domain, relativePath): the domain root joined with
// the relative path, normalised (remit/source.hpp). Unknown domains map to
// "itunes_backup/<domain>/<relativePath>". nullopt for hostile names.
[[nodiscard]] std::optional<std::string> backup_logical_path(std::string_view domain, std::string_view relative_path);

}  // namespace remit::detail
