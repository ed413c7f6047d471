#pragma once
#include "remit/parser.hpp"

namespace remit::artifacts {

// android.whatsapp: `message` items (one per message row, system messages
// flagged) and `call` items (one per call_log row) from WhatsApp's
// msgstore.db, with names from wa.db next to it and media resolved in the
// extraction (docs/formats/android-whatsapp.md).
class AndroidWhatsAppParser final : public Parser {
 public:
  std::string_view name() const noexcept override;
  std::string_view version() const noexcept override;
  std::span<const std::string_view> references() const noexcept override;
  std::span<const Category> categories() const noexcept override;
  void parse(ParseContext& ctx) const override;

  // The work of parse() once msgstore.db is open: rows to items. `db` must
  // be ctx.entry()'s database. Exposed for the benchmark, which times rows to
  // items separately from reading the file into memory.
  void parse_database(ParseContext& ctx, const EvidenceDb& db) const;
};

}  // namespace remit::artifacts
