// open_source(): sniffs the evidence and picks a reader.
#include <fmt/format.h>
#include <sys/stat.h>

#include <cstring>

#include "remit/source.hpp"
#include "source/archive_source.hpp"
#include "source/directory_source.hpp"
#include "source/fd.hpp"
#include "source/itunes_backup.hpp"
#include "source/ufdr_source.hpp"
#include "source/zip_source.hpp"

namespace remit {

Result<std::unique_ptr<Source>> open_source(const std::filesystem::path& path, const SourceOptions& options) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0)
    return make_error(Errc::not_found, fmt::format("{}: cannot open evidence: {}", path.string(), std::strerror(errno)));
  if (S_ISDIR(st.st_mode)) {
    // A folder holding Manifest.db / Manifest.plist is an iTunes/Finder backup.
    if (detail::looks_like_itunes_backup(path)) return detail::open_itunes_backup(path, options);
    return detail::open_directory_source(path, options);
  }
  if (!S_ISREG(st.st_mode))
    return make_error(Errc::usage, fmt::format("{}: evidence must be a file or a folder", path.string()));

  auto fd = detail::open_readonly(path);
  if (!fd) return fd.error();
  unsigned char magic[4] = {0, 0, 0, 0};
  auto n = detail::pread_full(fd->get(), magic, sizeof magic, 0, path.string());
  if (!n) return n.error();
  const bool zip = *n >= 4 && magic[0] == 'P' && magic[1] == 'K' &&
                   ((magic[2] == 3 && magic[3] == 4) || (magic[2] == 5 && magic[3] == 6));
  if (zip) {
    // A zip with report.xml at its root is a Cellebrite UFDR.
    if (detail::zip_has_root_report(path)) return detail::open_ufdr_source(path, options);
    auto z = detail::open_zip_source(path, options);
    if (z) return z;
    // Central directory unreadable (truncated zip): follow the local headers.
    auto a = detail::open_archive_source(path, options);
    if (!a) return z.error();
    return a;
  }
  return detail::open_archive_source(path, options);
}

}  // namespace remit
