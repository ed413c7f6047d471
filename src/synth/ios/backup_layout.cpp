// iTunes/Finder backup layout (src/synth/ios/backup_layout.hpp).
#include "synth/ios/backup_layout.hpp"

namespace remit::synth::ios {

namespace {

bool starts(std::string_view s, std::string_view p) {
  return s.substr(0, p.size()) == p;
}

}  // namespace

std::optional<BackupPath> backup_path_for(std::string_view logical) {
  constexpr std::string_view kHome = "private/var/mobile/";
  if (!starts(logical, kHome)) return std::nullopt;
  std::string_view rel = logical.substr(kHome.size());
  if (rel.empty() || rel.ends_with("-shm")) return std::nullopt;
  const auto slash = rel.rfind('/');
  const std::string_view base = slash == std::string_view::npos ? rel : rel.substr(slash + 1);
  if (base == ".com.apple.mobile_container_manager.metadata.plist") return std::nullopt;
  for (const auto& [prefix, domain] :
       {std::pair<std::string_view, std::string_view>{"Containers/Shared/AppGroup/", "AppDomainGroup-"},
        {"Containers/Data/Application/", "AppDomain-"}}) {
    if (!starts(rel, prefix)) continue;
    const std::string_view rest = rel.substr(prefix.size());
    const auto s = rest.find('/');
    if (s == std::string_view::npos || s == 0 || s + 1 == rest.size()) return std::nullopt;
    return BackupPath{std::string(domain) + std::string(rest.substr(0, s)), std::string(rest.substr(s + 1))};
  }
  if (starts(rel, "Media/DCIM/") || starts(rel, "Media/PhotoData/"))
    return BackupPath{"CameraRollDomain", std::string(rel)};
  if (starts(rel, "Library/SMS/Attachments/")) return BackupPath{"MediaDomain", std::string(rel)};
  return BackupPath{"HomeDomain", std::string(rel)};
}

}  // namespace remit::synth::ios
