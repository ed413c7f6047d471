#pragma once
// Helpers shared by the iOS parsers. Internal to src/artifacts/ios.
// Pure functions over their arguments; thread-compatible; none logs content.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "remit/evidence_db.hpp"
#include "remit/parser.hpp"

namespace remit::artifacts::ios {

// Address Book / Contacts labels: "_$!<Mobile>!$_" -> "mobile",
// "_$!<HomeFAX>!$_" -> "homefax"; custom labels are kept as written.
[[nodiscard]] std::string clean_label(std::string_view raw);

// A column that may hold text or a blob of UTF-8 bytes (CallHistory
// ZADDRESS): the text either way; integers and reals in decimal.
[[nodiscard]] std::string text_or_blob(const Statement& st, int col, size_t* bad_utf8 = nullptr);

// "a/b/c.jpg" -> "a/b" and "c.jpg".
[[nodiscard]] std::string_view dirname(std::string_view path);
[[nodiscard]] std::string_view basename(std::string_view path);

// Joins two logical path parts with one '/'.
[[nodiscard]] std::string join_path(std::string_view a, std::string_view b);

// MIME type from a file name's extension (jpg, jpeg, heic, png, gif, mov,
// mp4, m4a, caf, aac, amr, opus, pdf, vcf, txt), or "".
[[nodiscard]] std::string mime_from_name(std::string_view name);

// ctx.party(), except that identifiers longer than kMaxIdentifier bytes are
// not handed to the normaliser (libphonenumber's regexes take minutes on a
// multi-megabyte string from a hostile database): they are kept verbatim as
// raw, lower-cased as normalised, kind unknown, and counted in `oversized`.
inline constexpr size_t kMaxIdentifier = 320;  // longest valid e-mail address
[[nodiscard]] Party party(ParseContext& ctx, std::string raw, PartyRole role, std::string name, uint64_t& oversized);

// party() with its own counter; on destruction records one
// "oversized_identifier" warning with the count (when enabled and non-zero).
class IdTally {
 public:
  explicit IdTally(ParseContext& ctx, bool enabled = true) : ctx_(ctx), enabled_(enabled) {}
  ~IdTally();
  IdTally(const IdTally&) = delete;
  IdTally& operator=(const IdTally&) = delete;
  [[nodiscard]] Party party(std::string raw, PartyRole role, std::string name = {}) {
    return ios::party(ctx_, std::move(raw), role, std::move(name), oversized_);
  }

 private:
  ParseContext& ctx_;
  bool enabled_;
  uint64_t oversized_ = 0;
};

// Rows read and rows skipped while looping over a table, for the one
// "skipped_rows" warning a parser records per table.
struct RowCounter {
  uint64_t read = 0;
  uint64_t skipped = 0;
};

// Prepares `sql`; on failure records an "unreadable_table" warning naming
// `table` (when `warn`) and returns nullopt.
[[nodiscard]] std::optional<Statement> prepare_or_warn(ParseContext& ctx, const EvidenceDb& db, const std::string& sql,
                                                       std::string_view table, bool warn = true);

// Reads text columns through Statement::text(), which replaces invalid
// UTF-8 with U+FFFD, and counts the replacements; on destruction records one
// "bad_utf8" warning with the count (when enabled and non-zero).
class Utf8Tally {
 public:
  explicit Utf8Tally(ParseContext& ctx, bool enabled = true) : ctx_(ctx), enabled_(enabled) {}
  ~Utf8Tally();
  Utf8Tally(const Utf8Tally&) = delete;
  Utf8Tally& operator=(const Utf8Tally&) = delete;
  [[nodiscard]] std::string text(const Statement& st, int col) { return st.text(col, &count_); }

 private:
  ParseContext& ctx_;
  bool enabled_;
  size_t count_ = 0;
};

// Map of a table's integer key to a string column, read once (e.g. handle
// ROWID -> id). Missing table or columns give an empty map (no warning).
[[nodiscard]] std::vector<std::pair<int64_t, std::string>> read_id_text_pairs(const EvidenceDb& db,
                                                                              std::string_view sql);

}  // namespace remit::artifacts::ios
