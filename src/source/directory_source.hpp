#pragma once
// A folder of extracted files. Internal to src/source; reached through
// open_source(). Symlinks are recorded and never followed; files are opened
// with O_NOFOLLOW relative to the folder the walk itself found.

#include <memory>

#include "remit/source.hpp"

namespace remit::detail {

[[nodiscard]] Result<std::unique_ptr<Source>> open_directory_source(const std::filesystem::path& root,
                                                                    const SourceOptions& options);

}  // namespace remit::detail
