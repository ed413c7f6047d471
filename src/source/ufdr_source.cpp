// UFDR containers (ufdr_source.hpp).
//
// References: libzip 1.7 API (zip_open ZIP_RDONLY, zip_name_locate with
// ZIP_FL_NOCASE, zip_fopen_index); UFDR layout as described by IPED
// UfedXmlReader.java (report.xml, falling back to Report.xml) and a
// published analysis of PA 7/PA 10 UFDRs (docs/formats/ufdr.md).
#include "source/ufdr_source.hpp"

#include <fmt/format.h>
#include <zip.h>

#include <vector>

#include "source/zip_source.hpp"

namespace remit::detail {
namespace {

struct ZipClose {
  void operator()(zip_t* z) const noexcept { zip_discard(z); }
};
struct ZipFileClose {
  void operator()(zip_file_t* f) const noexcept { zip_fclose(f); }
};
using ZipPtr = std::unique_ptr<zip_t, ZipClose>;

ZipPtr open_ro(const std::filesystem::path& file) {
  int err = 0;
  return ZipPtr(zip_open(file.c_str(), ZIP_RDONLY, &err));
}

}  // namespace

bool zip_has_root_report(const std::filesystem::path& zip_file) {
  auto z = open_ro(zip_file);
  if (!z) return false;
  return zip_name_locate(z.get(), "report.xml", ZIP_FL_NOCASE | ZIP_FL_ENC_GUESS) >= 0;
}

Result<std::unique_ptr<Source>> open_ufdr_source(const std::filesystem::path& file, const SourceOptions& options) {
  return open_zip_source(file, options, SourceKind::ufdr);
}

Status stream_entry_unshared(const Source& source, const Entry& entry,
                             const std::function<bool(std::span<const unsigned char>)>& sink) {
  if (source.kind() != SourceKind::zip && source.kind() != SourceKind::ufdr) return source.stream(entry, sink);
  if (entry.type != EntryType::file) return make_error(Errc::not_found, entry.name + ": not a regular file");
  // Entry::offset is the central-directory index of a zip read by libzip.
  // When the zip cannot be reopened that way, or the index does not name
  // the same entry, the source was read by the streaming fallback (a zip
  // with a damaged central directory), whose reads take no lock.
  auto z = open_ro(source.location());
  const char* name = z ? zip_get_name(z.get(), entry.offset, ZIP_FL_ENC_GUESS) : nullptr;
  if (!z || !name || entry.name != name) return source.stream(entry, sink);
  std::unique_ptr<zip_file_t, ZipFileClose> f(zip_fopen_index(z.get(), entry.offset, 0));
  if (!f)
    return make_error(Errc::io, fmt::format("{}: cannot open entry {}: {}", source.location().string(), entry.name,
                                            zip_strerror(z.get())));
  std::vector<unsigned char> buf(1 << 20);
  for (;;) {
    const zip_int64_t n = zip_fread(f.get(), buf.data(), buf.size());
    if (n < 0)
      return make_error(Errc::io, fmt::format("{}: entry {} is damaged: {}", source.location().string(), entry.name,
                                              zip_file_strerror(f.get())));
    if (n == 0) break;
    if (!sink(std::span(buf.data(), static_cast<size_t>(n)))) break;
  }
  return {};
}

}  // namespace remit::detail
