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

namespace {

using Opener = Result<std::unique_ptr<Source>> (*)(const std::filesystem::path&, const SourceOptions&);

// An archive (tar, tar.gz, zip) of one iTunes/Finder backup folder is read
// as that backup. Its stored files are named by hash, so the caller's
// `retain` (logical device paths) cannot pick them: when the archive is a
// compressed stream, it is indexed again keeping the backup's files in
// memory (within the retain budget; beyond it, reads take another pass).
Result<std::unique_ptr<Source>> as_backup_if_one(const std::filesystem::path& path, std::unique_ptr<Source> raw,
                                                 const SourceOptions& options, Opener reopen) {
  auto prefix = detail::itunes_backup_prefix(*raw);
  if (!prefix) return raw;
  bool streamed = false;
  for (const Entry& e : raw->entries())
    if (e.type == EntryType::file && !e.random_access) streamed = true;
  if (streamed) {
    SourceOptions again = options;
    again.retain = [p = *prefix](std::string_view path) { return path.substr(0, p.size()) == p; };
    raw.reset();
    auto r = reopen(path, again);
    if (!r) return r;
    raw = std::move(*r);
  }
  return detail::open_itunes_backup_in(path, std::move(raw), *prefix, options);
}

Result<std::unique_ptr<Source>> open_zip(const std::filesystem::path& path, const SourceOptions& options) {
  return detail::open_zip_source(path, options);
}

}  // namespace

Result<std::unique_ptr<Source>> open_source(const std::filesystem::path& path, const SourceOptions& options) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0)
    return make_error(Errc::not_found,
                      fmt::format("{}: cannot open evidence: {}", path.string(), std::strerror(errno)));
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
    if (z) return as_backup_if_one(path, std::move(*z), options, open_zip);
    // Central directory unreadable (truncated zip): follow the local headers.
    auto a = detail::open_archive_source(path, options);
    if (!a) return z.error();
    return as_backup_if_one(path, std::move(*a), options, detail::open_archive_source);
  }
  auto a = detail::open_archive_source(path, options);
  if (!a) return a;
  return as_backup_if_one(path, std::move(*a), options, detail::open_archive_source);
}

}  // namespace remit
