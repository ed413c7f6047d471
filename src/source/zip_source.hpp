#pragma once
// Zip evidence with random access through libzip (central directory).
// Internal to src/source; reached through open_source().

#include <memory>

#include "remit/source.hpp"

namespace remit::detail {

// Opens a zip. `kind` lets a UFDR reuse the zip reader while reporting itself
// as SourceKind::ufdr. Fails with Errc::malformed when the central directory
// cannot be read (open_source() then falls back to libarchive's streaming
// reader, which follows local headers).
[[nodiscard]] Result<std::unique_ptr<Source>> open_zip_source(const std::filesystem::path& file,
                                                              const SourceOptions& options,
                                                              SourceKind kind = SourceKind::zip);

}  // namespace remit::detail
