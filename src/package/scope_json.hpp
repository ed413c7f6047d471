#pragma once
// scope.json: the scope as remit interpreted it when extracting (windows
// resolved to UTC instants, parties normalised), so that reports and other
// tools read one agreed interpretation without re-parsing TOML.
// docs/package.md "scope.json". Internal to src/package and src/report.

#include <string>

#include "remit/scope.hpp"

namespace remit::pkg {

inline constexpr const char* kScopeJsonFormat = "remit-scope-interpretation/1";

// Pretty JSON, ending in a newline.
[[nodiscard]] std::string scope_to_json(const Scope& scope);

// Masks an identifier for people-facing text: all but the last four
// characters of a phone number become '•' (e.g. "•••••••0123"); e-mail
// addresses keep their first character and domain.
[[nodiscard]] std::string mask_identifier(std::string_view id);

}  // namespace remit::pkg
