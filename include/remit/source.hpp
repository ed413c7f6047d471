#pragma once
// Evidence sources: a folder, a tar (plain or compressed, anything
// libarchive reads), a zip, an iTunes/Finder backup, a Cellebrite UFDR.
// All sit behind one interface.
//
// Contract:
//  - Evidence is opened read-only (O_RDONLY) and never modified.
//  - open_source() indexes the entries (path, size, times, offset) and, for
//    single-file containers, starts the container SHA-256 on its own thread
//    in one sequential pass. container_digest() waits for it.
//  - Entry names are untrusted. `Entry::name` is the raw name, kept only for
//    provenance; `Entry::path` is the normalised logical path used for
//    matching. Neither is ever used to create files.
//  - Hostile entries (traversal, absolute names, symlinks, duplicates,
//    absurd sizes) are kept out of harm's way and recorded in notes().
//  - read() and stream() are const and thread-safe (each call opens its own
//    reader or uses pread). entries(), find() and notes() are immutable after
//    open_source() returns.

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "remit/status.hpp"

namespace remit {

using Bytes = std::vector<unsigned char>;

enum class SourceKind { folder, tar, zip, itunes_backup, ufdr };
[[nodiscard]] std::string_view to_string(SourceKind) noexcept;

enum class EntryType { file, directory, symlink, other };

struct Entry {
  std::string name;  // raw name as stored in the container
  std::string path;  // normalised logical path, '/'-separated, no leading '/'
  EntryType type = EntryType::file;
  uint64_t size = 0;  // declared size (capped reads never exceed what exists)
  std::optional<int64_t> mtime_ns;
  std::optional<int64_t> birthtime_ns;
  std::string link_target;     // symlinks: recorded, never followed
  uint64_t offset = 0;         // source-specific locator (tar data offset, zip index, ...)
  uint32_t ordinal = 0;        // position in entries()
  bool random_access = false;  // bytes can be read without a new pass over the container
  bool duplicate = false;      // a later entry has the same path; this one is shadowed
  std::string sha256;          // hex, when the source computed it while indexing (compressed streams,
                               // which must decompress every entry anyway); otherwise empty
};

// A recorded fact about the container itself: hostile or damaged entries,
// read failures. Never holds content.
struct SourceNote {
  std::string code;  // "path_traversal", "absolute_name", "symlink", "duplicate", "size_exceeds_container", ...
  std::string name;  // the raw entry name concerned (names are metadata, not content)
  std::string message;
};

struct ContainerDigest {
  std::string sha256;      // hex; for folders, the SHA-256 of the inventory listing (see docs/sources.md)
  std::string md5;         // hex, only when requested
  uint64_t bytes = 0;      // bytes hashed
  bool inventory = false;  // true for folders: digest covers the inventory, not file contents
};

struct SourceOptions {
  bool md5 = false;                       // also compute MD5 in the hash pass
  bool hash_container = true;             // start the hash thread
  uint64_t max_entry_bytes = 4ULL << 30;  // refuse to read a single entry larger than this into memory
  // Compressed streams (tar.gz, ...): entries whose path satisfies this are
  // kept in memory during the indexing pass (see docs/sources.md), up to
  // `retain_budget_bytes` in total. Others need a second decompression pass.
  std::function<bool(std::string_view path)> retain;
  uint64_t retain_budget_bytes = 1ULL << 30;
  // iTunes backups: password for encrypted backups (never logged, never
  // stored). When absent and the backup is encrypted, `ask_password` (if
  // set) is called once, e.g. to prompt on a terminal.
  std::optional<std::string> password;
  std::function<std::optional<std::string>()> ask_password;
  // Progress callback: bytes done / total, called from the hash thread.
  std::function<void(uint64_t done, uint64_t total)> on_hash_progress;
  // Encrypted iTunes backups: progress of the password key derivation
  // (PBKDF2 rounds done / total; real backups use 10,000,000 + 10,000),
  // called on the opening thread.
  std::function<void(uint64_t done, uint64_t total)> on_kdf_progress;
};

class Source {
 public:
  virtual ~Source() = default;
  Source(const Source&) = delete;
  Source& operator=(const Source&) = delete;

  [[nodiscard]] virtual SourceKind kind() const noexcept = 0;
  // The evidence path as given.
  [[nodiscard]] const std::filesystem::path& location() const noexcept { return location_; }
  // Base name of the evidence, used as Provenance::container.
  [[nodiscard]] std::string display_name() const;
  // Size in bytes of the container file (sum of file sizes for folders).
  [[nodiscard]] virtual uint64_t container_size() const noexcept = 0;

  [[nodiscard]] std::span<const Entry> entries() const noexcept { return entries_; }
  [[nodiscard]] std::span<const SourceNote> notes() const noexcept { return notes_; }

  // The live (non-shadowed) regular file at exactly this logical path.
  [[nodiscard]] const Entry* find(std::string_view logical_path) const noexcept;
  // Files whose logical path ends with `suffix` at a '/' boundary.
  [[nodiscard]] std::vector<const Entry*> find_suffix(std::string_view suffix) const;

  // Reads a whole entry into memory. Fails with too_large above `limit`.
  [[nodiscard]] virtual Result<Bytes> read(const Entry& e, uint64_t limit) const = 0;
  // Streams an entry in chunks; the sink returns false to stop early.
  [[nodiscard]] virtual Status stream(const Entry& e,
                                      const std::function<bool(std::span<const unsigned char>)>& sink) const = 0;
  // Waits for the container hash pass and returns its digest.
  [[nodiscard]] virtual Result<ContainerDigest> container_digest() = 0;

 protected:
  explicit Source(std::filesystem::path location) : location_(std::move(location)) {}
  // Called by implementations once entries_ is complete: marks duplicates,
  // builds the lookup index, and assigns ordinals.
  void finish_index();
  void note(std::string code, std::string name, std::string message) {
    notes_.push_back(SourceNote{std::move(code), std::move(name), std::move(message)});
  }

  std::filesystem::path location_;
  std::vector<Entry> entries_;
  std::vector<SourceNote> notes_;

 private:
  std::vector<std::pair<std::string_view, uint32_t>> by_path_;  // sorted, live files only
};

// Opens evidence by sniffing it: directory (folder or iTunes backup when it
// holds Manifest.db/Manifest.plist), zip (UFDR when it holds report.xml),
// anything libarchive reads. Errors name the path and the problem.
[[nodiscard]] Result<std::unique_ptr<Source>> open_source(const std::filesystem::path& path,
                                                          const SourceOptions& options = {});

// Normalises a raw entry name into a logical path:
//  - backslashes become '/', repeated '/' and "." segments collapse;
//  - leading '/' and "./" are stripped;
//  - "filesystem1/X" -> "X", "filesystem2/X" -> "private/var/X" (Cellebrite/iLEAPP layouts),
//    "fs/X" likewise "X"; "var/mobile/..." -> "private/var/mobile/...";
//  - returns nullopt for names containing ".." segments or NUL (hostile).
[[nodiscard]] std::optional<std::string> normalise_entry_path(std::string_view raw);

// True when `path` ends with `suffix` at a segment boundary.
[[nodiscard]] bool path_has_suffix(std::string_view path, std::string_view suffix) noexcept;

}  // namespace remit
