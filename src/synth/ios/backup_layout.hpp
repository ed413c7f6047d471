#pragma once
// Where a file of an iOS file system extraction goes in an iTunes/Finder
// backup: (domain, relativePath), the key of Manifest.db's Files table
// (fileID = SHA-1("<domain>-<relativePath>")). For `remit synth ios
// --format itunes|itunes-encrypted` once the backup writer library is
// available (src/source/itunes_backup_writer.*, issue 5).
//
// Mapping (artifacts.md "iTunes / Finder backups"; the layout of real
// backups): Media/DCIM and Media/PhotoData -> CameraRollDomain;
// Library/SMS/Attachments -> MediaDomain; the shared app-group container
// <group id> -> AppDomainGroup-<group id>; an app's data container
// <bundle id> -> AppDomain-<bundle id>; everything else under
// /private/var/mobile -> HomeDomain. The container manager's metadata plist
// and -shm files are not backed up (nullopt).
//
// Pure; thread-safe.

#include <optional>
#include <string>
#include <string_view>

namespace remit::synth::ios {

struct BackupPath {
  std::string domain;         // "HomeDomain"
  std::string relative_path;  // "Library/SMS/sms.db"
  bool operator==(const BackupPath&) const = default;
};

// `logical` is a normalised logical path ("private/var/mobile/..."). For app
// containers the folder name must already be the group or bundle id (backups
// name containers by id, not by UUID).
[[nodiscard]] std::optional<BackupPath> backup_path_for(std::string_view logical);

}  // namespace remit::synth::ios
