#pragma once
#include "remit/parser.hpp"

namespace remit::artifacts {

// android.sms: one `message` item per sms row (and Samsung spam_sms row) and
// one per MMS pdu (docs/formats/android-sms-mms.md).
class AndroidSmsParser final : public Parser {
 public:
  std::string_view name() const noexcept override;
  std::string_view version() const noexcept override;
  std::span<const std::string_view> references() const noexcept override;
  std::span<const Category> categories() const noexcept override;
  void parse(ParseContext& ctx) const override;
};

}  // namespace remit::artifacts
