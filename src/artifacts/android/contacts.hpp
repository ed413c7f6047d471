#pragma once
#include "remit/parser.hpp"

namespace remit::artifacts {

// android.contacts: one `contact` item per person in contacts2.db
// (docs/formats/android-contacts.md).
class AndroidContactsParser final : public Parser {
 public:
  std::string_view name() const noexcept override;
  std::string_view version() const noexcept override;
  std::span<const std::string_view> references() const noexcept override;
  std::span<const Category> categories() const noexcept override;
  void parse(ParseContext& ctx) const override;
};

// android.whatsapp_contacts: one `contact` item per person in WhatsApp's
// wa.db (wa_contacts), service "whatsapp".
class AndroidWhatsAppContactsParser final : public Parser {
 public:
  std::string_view name() const noexcept override;
  std::string_view version() const noexcept override;
  std::span<const std::string_view> references() const noexcept override;
  std::span<const Category> categories() const noexcept override;
  void parse(ParseContext& ctx) const override;
};

}  // namespace remit::artifacts
