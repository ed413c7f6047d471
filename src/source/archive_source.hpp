#pragma once
// Archives read with libarchive: tar (plain or compressed), cpio, 7z, and
// zips whose central directory is unreadable (read by local headers).
// Internal to src/source; reached through open_source().

#include <memory>

#include "remit/source.hpp"

namespace remit::detail {

[[nodiscard]] Result<std::unique_ptr<Source>> open_archive_source(const std::filesystem::path& file,
                                                                  const SourceOptions& options);

}  // namespace remit::detail
