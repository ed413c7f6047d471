#pragma once
#include "remit/parser.hpp"

namespace remit::artifacts {

// ios.safari: one `web_visit` item per history_visits row of Safari History.db.
class IosSafariParser final : public Parser {
 public:
  std::string_view name() const noexcept override;
  std::string_view version() const noexcept override;
  std::span<const std::string_view> references() const noexcept override;
  std::span<const Category> categories() const noexcept override;
  void parse(ParseContext& ctx) const override;
};

}  // namespace remit::artifacts
