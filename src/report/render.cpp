// Safe output primitives for reports (include/remit/report.hpp).
// References: OWASP "CSV Injection" (cells beginning = + - @ tab CR),
// Unicode UAX #9 (bidirectional format characters), XML 1.0 §2.2 (Char).
#include <fmt/format.h>

#include <cstdint>

#include "remit/report.hpp"
#include "remit/text.hpp"

namespace remit {
namespace {

// Decodes one UTF-8 sequence at s[i]; returns the code point (U+FFFD for
// invalid bytes) and advances i.
uint32_t next_cp(std::string_view s, size_t& i) {
  const auto b0 = static_cast<unsigned char>(s[i]);
  auto cont = [&](size_t k) -> int {
    if (i + k >= s.size()) return -1;
    const auto b = static_cast<unsigned char>(s[i + k]);
    return (b & 0xC0) == 0x80 ? (b & 0x3F) : -1;
  };
  if (b0 < 0x80) {
    ++i;
    return b0;
  }
  int n = 0;
  uint32_t cp = 0, min = 0;
  if ((b0 & 0xE0) == 0xC0)
    n = 1, cp = b0 & 0x1F, min = 0x80;
  else if ((b0 & 0xF0) == 0xE0)
    n = 2, cp = b0 & 0x0F, min = 0x800;
  else if ((b0 & 0xF8) == 0xF0)
    n = 3, cp = b0 & 0x07, min = 0x10000;
  else {
    ++i;
    return 0xFFFD;
  }
  for (int k = 1; k <= n; ++k) {
    const int c = cont(static_cast<size_t>(k));
    if (c < 0) {
      ++i;
      return 0xFFFD;
    }
    cp = (cp << 6) | static_cast<uint32_t>(c);
  }
  i += static_cast<size_t>(n) + 1;
  if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0xFFFD;
  return cp;
}

void put_utf8(std::string& out, uint32_t cp) {
  if (cp < 0x80)
    out += static_cast<char>(cp);
  else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

// Bidirectional format characters (UAX #9) and other controls that change
// how surrounding text looks without being seen.
bool shown_as_code(uint32_t cp) {
  if (cp < 0x20) return cp != '\n' && cp != '\t';
  if (cp == 0x7F || (cp >= 0x80 && cp <= 0x9F)) return true;
  if (cp == 0x061C || cp == 0x200E || cp == 0x200F) return true;  // ALM, LRM, RLM
  if (cp >= 0x202A && cp <= 0x202E) return true;                  // LRE RLE PDF LRO RLO
  if (cp >= 0x2066 && cp <= 0x2069) return true;                  // LRI RLI FSI PDI
  if (cp == 0xFFF9 || cp == 0xFFFA || cp == 0xFFFB) return true;  // interlinear annotation
  return false;
}

}  // namespace

std::string report_html_escape(std::string_view s) {
  std::string out;
  out.reserve(s.size() + 16);
  for (size_t i = 0; i < s.size();) {
    uint32_t cp = next_cp(s, i);
    if (cp == '\r') {
      if (i < s.size() && s[i] == '\n') continue;  // CRLF -> LF
      cp = '\n';
    }
    if (cp == 0x2028 || cp == 0x2029) cp = '\n';
    switch (cp) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      case '`':
        out += "&#96;";
        break;
      default:
        if (shown_as_code(cp))
          out += fmt::format("[U+{:04X}]", cp);
        else
          put_utf8(out, cp);
    }
  }
  return out;
}

std::string report_csv_cell(std::string_view s) {
  // Formula injection: a cell whose first character (or first after
  // spaces) a spreadsheet would read as a formula gets a leading '.
  const auto first = s.find_first_not_of(' ');
  const bool risky =
      !s.empty() &&
      (s[0] == '\t' || s[0] == '\r' || s[0] == '\n' ||
       (first != std::string_view::npos && (s[first] == '=' || s[first] == '+' || s[first] == '-' || s[first] == '@')));
  std::string v = risky ? "\"'" : "\"";
  v.reserve(s.size() + 4);
  for (size_t i = 0; i < s.size();) {
    const uint32_t cp = next_cp(s, i);
    if (cp == '"')
      v += "\"\"";
    else
      put_utf8(v, cp);
  }
  v += '"';
  return v;
}

std::string report_xml_escape(std::string_view s) {
  std::string out;
  out.reserve(s.size() + 16);
  for (size_t i = 0; i < s.size();) {
    const uint32_t cp = next_cp(s, i);
    switch (cp) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&apos;";
        break;
      default: {
        const bool valid = cp == 0x9 || cp == 0xA || cp == 0xD || (cp >= 0x20 && cp <= 0xD7FF) ||
                           (cp >= 0xE000 && cp <= 0xFFFD) || (cp >= 0x10000 && cp <= 0x10FFFF);
        put_utf8(out, valid ? cp : 0xFFFD);
      }
    }
  }
  return out;
}

bool report_is_web_url(std::string_view url) {
  if (url.size() > 4096) return false;
  for (unsigned char c : url)
    if (c <= 0x20 || c == 0x7F || c == '"' || c == '\'' || c == '<' || c == '>' || c == '\\' || c == '`') return false;
  const std::string lower = ascii_lower(url.substr(0, 8));
  const bool http = lower.rfind("http://", 0) == 0 && url.size() > 7;
  const bool https = lower.rfind("https://", 0) == 0 && url.size() > 8;
  return http || https;
}

}  // namespace remit
