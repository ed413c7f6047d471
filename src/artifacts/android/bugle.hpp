#pragma once
#include "remit/parser.hpp"

namespace remit::artifacts {

// android.bugle: one `message` item per messages row of Google Messages'
// bugle_db (SMS, MMS and RCS), docs/formats/android-bugle.md.
class AndroidBugleParser final : public Parser {
 public:
  std::string_view name() const noexcept override;
  std::string_view version() const noexcept override;
  std::span<const std::string_view> references() const noexcept override;
  std::span<const Category> categories() const noexcept override;
  void parse(ParseContext& ctx) const override;
};

// android.chrome: one `web_visit` item per visits row of a Chromium-based
// browser's History database (Chrome, Samsung Internet, Brave, Edge).
class AndroidChromeParser final : public Parser {
 public:
  std::string_view name() const noexcept override;
  std::string_view version() const noexcept override;
  std::span<const std::string_view> references() const noexcept override;
  std::span<const Category> categories() const noexcept override;
  void parse(ParseContext& ctx) const override;
};

}  // namespace remit::artifacts
