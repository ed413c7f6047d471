#pragma once
#include "remit/parser.hpp"

namespace remit::artifacts {

// ios.whatsapp_contacts: one `contact` item per ZWAADDRESSBOOKCONTACT row of ContactsV2.sqlite.
class IosWhatsAppContactsParser final : public Parser {
 public:
  std::string_view name() const noexcept override;
  std::string_view version() const noexcept override;
  std::span<const std::string_view> references() const noexcept override;
  std::span<const Category> categories() const noexcept override;
  void parse(ParseContext& ctx) const override;
};

}  // namespace remit::artifacts
