#pragma once
// The ufdr.report parser: Cellebrite UFDR report.xml -> items.
// See report_parser.cpp for the references and docs/formats/ufdr.md for the
// mapping.

#include "remit/parser.hpp"

namespace remit::artifacts {

class UfdrReportParser final : public Parser {
 public:
  [[nodiscard]] std::string_view name() const noexcept override;
  [[nodiscard]] std::string_view version() const noexcept override;
  [[nodiscard]] std::span<const std::string_view> references() const noexcept override;
  [[nodiscard]] std::span<const Category> categories() const noexcept override;
  void parse(ParseContext& ctx) const override;
};

}  // namespace remit::artifacts
