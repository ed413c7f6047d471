#pragma once
#include "remit/parser.hpp"

namespace remit::artifacts {

// ios.photos: one `media` item per asset of Photos.sqlite (ZASSET or ZGENERICASSET), joined to its DCIM file and EXIF.
class IosPhotosParser final : public Parser {
 public:
  std::string_view name() const noexcept override;
  std::string_view version() const noexcept override;
  std::span<const std::string_view> references() const noexcept override;
  std::span<const Category> categories() const noexcept override;
  void parse(ParseContext& ctx) const override;
};

}  // namespace remit::artifacts
