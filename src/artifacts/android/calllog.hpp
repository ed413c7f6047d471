#pragma once
#include "remit/parser.hpp"

namespace remit::artifacts {

// android.calllog: `call` items from calllog.db (Android 7+), the `calls`
// table of older contacts2.db, and Samsung's logs.db.
class AndroidCallLogParser final : public Parser {
 public:
  std::string_view name() const noexcept override;
  std::string_view version() const noexcept override;
  std::span<const std::string_view> references() const noexcept override;
  std::span<const Category> categories() const noexcept override;
  void parse(ParseContext& ctx) const override;
};

}  // namespace remit::artifacts
