#pragma once
// The notice to the device user (docs/notice.md): what will be looked at,
// why, how it is handled afterwards, that they may refuse, that refusing
// will not by itself end the investigation, and whom to ask. A standard and
// an easy-read version, each as plain text and as self-contained HTML
// (no external resources, strict Content-Security-Policy, A4 print CSS).
//
// Also the readability measure used by the `notice-readability` rule:
// Flesch Reading Ease, 206.835 - 1.015 * (words/sentences)
//                              - 84.6 * (syllables/words).
//
// Contracts: pure functions of their arguments (the notice carries no
// clock reading; its date is the scope's own), thread-safe, never throw.
// Third-party identifiers are masked except for their last four digits.

#include <cstddef>
#include <filesystem>
#include <string>
#include <string_view>

#include "remit/party.hpp"
#include "remit/scope.hpp"
#include "remit/status.hpp"

namespace remit {

struct Readability {
  size_t words = 0;
  size_t sentences = 0;
  size_t syllables = 0;
  double score = 0;  // Flesch Reading Ease; 0 words gives 0
};

// Flesch Reading Ease of running text. Counting rules (docs/notice.md):
//  - a sentence ends at . ! ? ; or : followed by white space or the end,
//    and at every line break (each paragraph, heading-free line or bullet
//    is a unit of speech);
//  - a word is a white-space separated token holding a letter or digit;
//    hyphenated words are one word;
//  - figures, abbreviations in capitals and tokens with '@' or '/' count as
//    one syllable (Flesch's rule); other words use count_syllables().
[[nodiscard]] Readability flesch_reading_ease(std::string_view text);

// Syllables in one English word (ASCII letters; others are ignored): vowel
// groups (a e i o u y), minus a silent final "e" / "es" / "ed", plus the
// splits "ia", "io", "eo", "ua", "ui" (except after c, t, s, g), with a
// small exception table; never less than 1.
[[nodiscard]] size_t count_syllables(std::string_view word);

// "the number ending 0123", "the email address j***@example.org",
// "the account ending ab12", "a group chat".
[[nodiscard]] std::string describe_masked(const NormalisedId& id);

// Replaces every run of 7 or more digits (allowing spaces, '-', '(', ')'
// and a leading '+' inside the run) with "[number ending NNNN]"; an ISO
// date (YYYY-MM-DD) is left alone.
[[nodiscard]] std::string mask_numbers_in_text(std::string_view text);

struct Notice {
  std::string version;    // "1" (the scope version the notice was printed from)
  std::string text;       // notice.txt
  std::string html;       // notice.html
  std::string easy_text;  // notice-easy-read.txt
  std::string easy_html;  // notice-easy-read.html
  Readability standard;   // scored over the running text of `text` (headings and form lines left out)
  Readability easy;       // likewise for `easy_text`
};

// Builds both versions from the scope. Fails only on a scope whose windows
// cannot be shown in its time zone.
[[nodiscard]] Result<Notice> render_notice(const Scope& scope);

// Renders and writes notice.html, notice.txt, notice-easy-read.html and
// notice-easy-read.txt into `dir`. When `dir` does not exist it is created
// atomically (written in a sibling temporary folder, fsync'd, renamed);
// when it exists, each file is replaced atomically (temp file, fsync,
// rename). On failure nothing half-written remains. Returns the notice.
[[nodiscard]] Result<Notice> write_notice(const Scope& scope, const std::filesystem::path& dir);

}  // namespace remit
