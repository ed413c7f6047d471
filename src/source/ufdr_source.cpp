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
  // Every source now reads without holding a lock while the sink runs.
  return source.stream(entry, sink);
}

}  // namespace remit::detail
