#pragma once
#include "remit/parser.hpp"

namespace remit::artifacts {

// ios.addressbook: one `contact` item per ABPerson row (phones, e-mails, IM handles as parties with labels), plus
// recovered items for person versions that only superseded WAL states hold.
class IosAddressBookParser final : public Parser {
 public:
  std::string_view name() const noexcept override;
  std::string_view version() const noexcept override;
  std::span<const std::string_view> references() const noexcept override;
  std::span<const Category> categories() const noexcept override;
  void parse(ParseContext& ctx) const override;
};

}  // namespace remit::artifacts
