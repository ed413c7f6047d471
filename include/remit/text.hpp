#pragma once
// Small text helpers shared by every layer. Pure functions, thread-safe.

#include <string>
#include <string_view>
#include <vector>

namespace remit {

// Makes untrusted text (entry names, identifiers) safe to print on a
// terminal or in a log line: control characters, DEL, and bidirectional
// overrides become \xNN / \u{NNNN} escapes; invalid UTF-8 is replaced.
[[nodiscard]] std::string printable(std::string_view s);

[[nodiscard]] std::string ascii_lower(std::string_view s);
[[nodiscard]] bool iequals(std::string_view a, std::string_view b) noexcept;
[[nodiscard]] bool ends_with_ci(std::string_view s, std::string_view suffix) noexcept;
[[nodiscard]] std::vector<std::string_view> split(std::string_view s, char sep);
[[nodiscard]] std::string_view trim(std::string_view s) noexcept;

// "1.2 GB" style, base 1000, for human output.
[[nodiscard]] std::string human_bytes(uint64_t n);

// Parses "10G", "512M", "4096", "1.5GB" into bytes (base 1024 for K/M/G/T).
[[nodiscard]] bool parse_size(std::string_view s, uint64_t& out) noexcept;

}  // namespace remit
