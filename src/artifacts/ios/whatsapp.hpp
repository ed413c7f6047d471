#pragma once
#include "remit/parser.hpp"

namespace remit::artifacts {

// ios.whatsapp: messages from ChatStorage.sqlite (one-to-one, group with sender, system, media, locations) and calls
// from the app group's CallHistory.sqlite.
class IosWhatsAppParser final : public Parser {
 public:
  std::string_view name() const noexcept override;
  std::string_view version() const noexcept override;
  std::span<const std::string_view> references() const noexcept override;
  std::span<const Category> categories() const noexcept override;
  void parse(ParseContext& ctx) const override;
};

}  // namespace remit::artifacts
