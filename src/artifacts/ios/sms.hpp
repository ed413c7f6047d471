#pragma once
#include "remit/parser.hpp"

namespace remit::artifacts {

// ios.sms: one `message` item per row of sms.db `message` (SMS, MMS,
// iMessage, RCS), text from `attributedBody` when `text` is NULL, parties
// resolved through handle and the chat joins, attachments resolved to files.
class IosSmsParser final : public Parser {
 public:
  std::string_view name() const noexcept override;
  std::string_view version() const noexcept override;
  std::span<const std::string_view> references() const noexcept override;
  std::span<const Category> categories() const noexcept override;
  void parse(ParseContext& ctx) const override;
};

}  // namespace remit::artifacts
