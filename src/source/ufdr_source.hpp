#pragma once
// Cellebrite UFDR containers. Internal to src/ (used by open_source() and
// the ufdr.report parser).
//
// A UFDR is a zip (stored or deflated) holding report.xml (sometimes
// Report.xml) at its root and the extracted files under files/<Tag>/...
// It is read with the zip reader (random access, libzip) and reports itself
// as SourceKind::ufdr; the container SHA-256 runs in the zip reader's own
// sequential hash pass.

#include <filesystem>
#include <functional>
#include <memory>
#include <span>

#include "remit/source.hpp"

namespace remit::detail {

// True when the zip's central directory names report.xml at its root
// (case-insensitively). Any failure to read the zip gives false.
[[nodiscard]] bool zip_has_root_report(const std::filesystem::path& zip_file);

// Opens a zip as a UFDR source (SourceKind::ufdr).
[[nodiscard]] Result<std::unique_ptr<Source>> open_ufdr_source(const std::filesystem::path& file,
                                                               const SourceOptions& options);

// Streams an entry without holding any lock of `source` while the sink
// runs, so the sink may itself read other entries of the same source (the
// UFDR parser hashes attachments while it streams report.xml). For zip and
// UFDR sources this opens a private read-only libzip handle on
// source.location() and reads the entry by its index, checking its name;
// other sources already read each call independently and are used as they
// are. Thread-compatible.
[[nodiscard]] Status stream_entry_unshared(const Source& source, const Entry& entry,
                                           const std::function<bool(std::span<const unsigned char>)>& sink);

}  // namespace remit::detail
