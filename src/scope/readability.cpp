// Flesch Reading Ease for the notice (include/remit/notice.hpp,
// docs/notice.md "Readability").
//
// References: R. Flesch, "A new readability yardstick", J. Applied
// Psychology 32 (1948); the formula 206.835 - 1.015 ASL - 84.6 ASW; Flesch's
// counting instructions (figures, abbreviations and symbols count as
// one-syllable words; hyphenated words are one word; a sentence ends at a
// period, colon, semicolon, question or exclamation mark). The syllable
// counter is a rule-based approximation of dictionary syllabification,
// documented in docs/notice.md and checked word by word in
// tests/scope_notice_test.cpp.
#include <algorithm>
#include <cctype>
#include <string>
#include <unordered_map>

#include "remit/notice.hpp"

namespace remit {
namespace {

bool is_vowel(const std::string& w, size_t i) {
  const char c = w[i];
  if (c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u') {
    // "u" after "q" is part of the consonant sound ("question", "equal").
    if (c == 'u' && i > 0 && w[i - 1] == 'q') return false;
    return true;
  }
  if (c == 'y') {
    // "y" is a consonant at the start and before a vowel ("you", "saying").
    if (i == 0) return false;
    if (i + 1 < w.size() && std::string_view("aeiou").find(w[i + 1]) != std::string_view::npos) return false;
    return true;
  }
  return false;
}

// Words the rules get wrong, with the dictionary count (the lower one where
// two pronunciations are accepted, as Flesch asks).
const std::unordered_map<std::string, size_t>& exceptions() {
  static const std::unordered_map<std::string, size_t> k = {
      {"people", 2},    {"every", 2},      {"everyone", 3},  {"everything", 3}, {"everybody", 4}, {"someone", 2},
      {"sometimes", 2}, {"somewhere", 2},  {"something", 2}, {"anyone", 3},     {"area", 3},      {"areas", 3},
      {"idea", 3},      {"ideas", 3},      {"create", 2},    {"created", 3},    {"business", 2},  {"different", 2},
      {"evening", 2},   {"interest", 2},   {"fluid", 2},     {"being", 2},      {"doing", 2},     {"going", 2},
      {"seeing", 2},    {"whole", 1},      {"while", 1},     {"science", 2},    {"quiet", 2},     {"diet", 2},
      {"review", 2},    {"reviews", 2},    {"reviewed", 2},  {"cooperate", 4},  {"whoever", 3},   {"whatever", 3},
      {"however", 3},   {"wherever", 3},   {"aged", 1},      {"naked", 2},      {"wicked", 2},    {"learned", 1},
      {"theatre", 3},   {"themselves", 2}, {"yourself", 2},  {"yourselves", 2}, {"ourselves", 2}, {"mobile", 2},
      {"agreeing", 3},  {"police", 2},     {"advocate", 3},  {"advocates", 3},  {"adviser", 3},   {"advisers", 3},
      {"canoe", 2},     {"shoe", 1},       {"does", 1},      {"goes", 1},       {"toes", 1},      {"used", 1},
      {"lives", 1},     {"gives", 1},      {"ensure", 2},    {"sure", 1},       {"fire", 1},      {"hour", 1},
      {"hours", 1},     {"our", 1},        {"your", 1},      {"yours", 1},      {"real", 1},      {"really", 2},
      {"via", 2},       {"naive", 2},
  };
  return k;
}

size_t count_base(const std::string& w) {
  if (w.empty()) return 0;
  if (auto it = exceptions().find(w); it != exceptions().end()) return it->second;
  size_t groups = 0;
  bool in = false;
  for (size_t i = 0; i < w.size(); ++i) {
    const bool v = is_vowel(w, i);
    if (v && !in) ++groups;
    in = v;
  }
  // Vowel pairs that are two syllables: "ia" (media, Australian), "io"
  // (radio, period, serious), "eo" (video), "ua" (actual), "iu" (medium),
  // except after c, t, s, g and q where they are one sound (special,
  // station, Asia, region, language).
  for (size_t i = 1; i + 1 < w.size(); ++i) {
    const char a = w[i], b = w[i + 1], prev = w[i - 1];
    const bool pair =
        (a == 'i' && (b == 'a' || b == 'o' || b == 'u')) || (a == 'e' && b == 'o') || (a == 'u' && b == 'a');
    if (pair && prev != 'c' && prev != 't' && prev != 's' && prev != 'g' && prev != 'q') ++groups;
  }
  const size_t n = w.size();
  auto consonant = [&](size_t i) { return !is_vowel(w, i); };
  // Silent endings.
  if (n >= 3 && w[n - 1] == 'e' && consonant(n - 2)) {
    const bool le = w[n - 2] == 'l' && consonant(n - 3);  // "table", "little" keep their "le"
    if (!le && groups > 1) --groups;
  } else if (n >= 4 && w[n - 2] == 'e' && w[n - 1] == 's' && consonant(n - 3)) {
    const char c = w[n - 3];
    const bool sibilant =
        c == 's' || c == 'x' || c == 'z' || c == 'c' || c == 'g' || (c == 'h' && (w[n - 4] == 'c' || w[n - 4] == 's'));
    if (!sibilant && groups > 1) --groups;  // "dates", "phones" (but "cases", "messages")
  } else if (n >= 4 && w[n - 2] == 'e' && w[n - 1] == 'd' && consonant(n - 3)) {
    const char c = w[n - 3];
    if (c != 't' && c != 'd' && groups > 1) --groups;  // "asked", "called" (but "wanted", "needed")
  }
  return std::max<size_t>(groups, 1);
}

}  // namespace

size_t count_syllables(std::string_view word_in) {
  std::string w;
  for (char c : word_in)
    if (std::isalpha(static_cast<unsigned char>(c)))
      w.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  if (w.empty()) return 1;
  if (auto it = exceptions().find(w); it != exceptions().end()) return it->second;
  // One-syllable suffixes after a stem that has a vowel: "safely", "only",
  // "statement", "agreement", "careful", "sadness", "helpless".
  for (std::string_view suffix : {"ment", "ness", "less", "ful", "ly"}) {
    if (w.size() > suffix.size() + 1 && w.compare(w.size() - suffix.size(), suffix.size(), suffix) == 0) {
      const std::string stem = w.substr(0, w.size() - suffix.size());
      bool has_vowel = false;
      for (size_t i = 0; i < stem.size(); ++i) has_vowel = has_vowel || is_vowel(stem, i);
      if (has_vowel) return count_syllables(stem) + 1;
    }
  }
  return count_base(w);
}

Readability flesch_reading_ease(std::string_view text) {
  Readability r;
  size_t pos = 0;
  while (pos <= text.size()) {
    size_t eol = text.find('\n', pos);
    if (eol == std::string_view::npos) eol = text.size();
    const std::string_view line = text.substr(pos, eol - pos);
    bool pending = false;  // words since the last sentence end
    size_t i = 0;
    while (i < line.size()) {
      while (i < line.size() && std::isspace(static_cast<unsigned char>(line[i]))) ++i;
      size_t j = i;
      while (j < line.size() && !std::isspace(static_cast<unsigned char>(line[j]))) ++j;
      if (j == i) break;
      std::string_view tok = line.substr(i, j - i);
      i = j;
      // Does the token end a sentence? Look past closing quotes/brackets.
      size_t k = tok.size();
      while (k > 0 && (tok[k - 1] == '"' || tok[k - 1] == '\'' || tok[k - 1] == ')' || tok[k - 1] == ']' ||
                       static_cast<unsigned char>(tok[k - 1]) >= 0x80))
        --k;
      const bool ends = k > 0 && (tok[k - 1] == '.' || tok[k - 1] == '!' || tok[k - 1] == '?' || tok[k - 1] == ';' ||
                                  tok[k - 1] == ':');
      // Strip surrounding punctuation for counting.
      size_t a = 0, b = tok.size();
      while (a < b && !std::isalnum(static_cast<unsigned char>(tok[a])) && static_cast<unsigned char>(tok[a]) < 0x80)
        ++a;
      while (b > a && !std::isalnum(static_cast<unsigned char>(tok[b - 1])) &&
             static_cast<unsigned char>(tok[b - 1]) < 0x80)
        --b;
      const std::string_view core = tok.substr(a, b - a);
      bool has_alnum = false, has_digit = false, has_symbol = false, all_caps = true;
      size_t letters = 0;
      for (char c : core) {
        const auto u = static_cast<unsigned char>(c);
        if (std::isalnum(u)) has_alnum = true;
        if (std::isdigit(u)) has_digit = true;
        if (c == '@' || c == '/' || c == '&' || c == '%' || c == '#' || c == '+' || c == '=') has_symbol = true;
        if (std::isalpha(u)) {
          ++letters;
          if (std::islower(u)) all_caps = false;
        }
      }
      if (has_alnum || letters > 0 || (!core.empty() && static_cast<unsigned char>(core[0]) >= 0x80)) {
        ++r.words;
        pending = true;
        if (has_digit || has_symbol || (all_caps && letters >= 2) || letters == 0) {
          r.syllables += 1;
        } else {
          // Hyphenated words are one word, pronounced part by part.
          size_t s = 0, start = 0;
          for (size_t q = 0; q <= core.size(); ++q) {
            if (q == core.size() || core[q] == '-') {
              if (q > start) s += count_syllables(core.substr(start, q - start));
              start = q + 1;
            }
          }
          r.syllables += std::max<size_t>(s, 1);
        }
      }
      if (ends && pending) {
        ++r.sentences;
        pending = false;
      }
    }
    if (pending) ++r.sentences;  // a line break ends a unit of speech
    if (eol == text.size()) break;
    pos = eol + 1;
  }
  if (r.words == 0 || r.sentences == 0) return r;
  r.score = 206.835 - 1.015 * (double(r.words) / double(r.sentences)) - 84.6 * (double(r.syllables) / double(r.words));
  return r;
}

}  // namespace remit
