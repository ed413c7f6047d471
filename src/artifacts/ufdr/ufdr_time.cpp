// UFDR timestamp and duration parsing (see ufdr_time.hpp for the forms and
// where they were documented).
#include "artifacts/ufdr/ufdr_time.hpp"

#include <array>
#include <cctype>
#include <cmath>

#include "remit/timeconv.hpp"

namespace remit::ufdr {
namespace {

class Cursor {
 public:
  explicit Cursor(std::string_view s) : s_(s) {}
  [[nodiscard]] bool done() const { return i_ >= s_.size(); }
  [[nodiscard]] char peek(size_t k = 0) const { return i_ + k < s_.size() ? s_[i_ + k] : '\0'; }
  void skip(size_t k = 1) { i_ += k; }
  bool eat(char c) {
    if (peek() != c) return false;
    ++i_;
    return true;
  }
  size_t spaces() {
    size_t n = 0;
    while (!done() && (s_[i_] == ' ' || s_[i_] == '\t')) ++i_, ++n;
    return n;
  }
  // Reads between min and max digits.
  bool digits(size_t min, size_t max, int64_t& out, size_t* count = nullptr) {
    out = 0;
    size_t n = 0;
    while (n < max && std::isdigit(static_cast<unsigned char>(peek()))) {
      out = out * 10 + (peek() - '0');
      ++i_;
      ++n;
    }
    if (count) *count = n;
    return n >= min;
  }
  bool word_ci(std::string_view w) {
    if (s_.size() - i_ < w.size()) return false;
    for (size_t k = 0; k < w.size(); ++k)
      if (std::tolower(static_cast<unsigned char>(s_[i_ + k])) != std::tolower(static_cast<unsigned char>(w[k])))
        return false;
    i_ += w.size();
    return true;
  }
  [[nodiscard]] size_t pos() const { return i_; }
  void set(size_t p) { i_ = p; }

 private:
  std::string_view s_;
  size_t i_ = 0;
};

constexpr std::array<std::string_view, 12> kMonths = {"jan", "feb", "mar", "apr", "may", "jun",
                                                      "jul", "aug", "sep", "oct", "nov", "dec"};

bool leap(int64_t y) {
  return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}
int64_t days_in_month(int64_t y, int64_t m) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && leap(y) ? 29 : kDays[m - 1];
}

// "hh:mm[:ss[.fffffffff]]" with 1- or 2-digit hours.
bool read_clock(Cursor& c, int64_t& h, int64_t& mi, int64_t& s, int64_t& frac_ms) {
  s = 0;
  frac_ms = 0;
  if (!c.digits(1, 2, h) || !c.eat(':') || !c.digits(2, 2, mi)) return false;
  if (c.eat(':')) {
    if (!c.digits(2, 2, s)) return false;
    if (c.peek() == '.' || c.peek() == ',') {
      c.skip();
      int64_t scale = 100;
      size_t n = 0;
      while (std::isdigit(static_cast<unsigned char>(c.peek()))) {
        if (n < 9) frac_ms += (c.peek() - '0') * scale;
        scale /= 10;
        c.skip();
        ++n;
      }
      if (n == 0) return false;
    }
  }
  return true;
}

// AM/PM marker (with or without a space before it).
bool read_meridiem(Cursor& c, int64_t& h) {
  const size_t save = c.pos();
  c.spaces();
  const bool am = c.word_ci("AM") || c.word_ci("A.M.");
  const bool pm = !am && (c.word_ci("PM") || c.word_ci("P.M."));
  if (!am && !pm) {
    c.set(save);
    return true;  // no marker: 24-hour clock
  }
  if (h < 1 || h > 12) return false;
  if (am && h == 12) h = 0;
  if (pm && h != 12) h += 12;
  return true;
}

// "+hh:mm", "+hhmm", "+hh", "+h"; sets minutes east of UTC.
bool read_signed_offset(Cursor& c, int& offset_min) {
  if (c.peek() != '+' && c.peek() != '-') return false;
  const int sign = c.peek() == '-' ? -1 : 1;
  c.skip();
  int64_t oh = 0, om = 0;
  size_t n = 0;
  if (!c.digits(1, 2, oh, &n)) return false;
  if (c.eat(':')) {
    if (!c.digits(2, 2, om)) return false;
  } else if (n == 2 && std::isdigit(static_cast<unsigned char>(c.peek()))) {
    if (!c.digits(2, 2, om)) return false;
  }
  if (oh > 18 || om > 59) return false;
  offset_min = sign * static_cast<int>(oh * 60 + om);
  return true;
}

// Everything after the clock: optional zone in any of the accepted forms.
bool read_zone(Cursor& c, bool& has, int& offset_min) {
  has = false;
  offset_min = 0;
  c.spaces();
  if (c.done()) return true;
  const bool paren = c.eat('(');
  if (paren) c.spaces();
  if (c.eat('Z') || c.eat('z')) {
    has = true;
  } else if (c.word_ci("UTC") || c.word_ci("GMT")) {
    has = true;
    c.spaces();
    if (c.peek() == '+' || c.peek() == '-')
      if (!read_signed_offset(c, offset_min)) return false;
  } else if (c.peek() == '+' || c.peek() == '-') {
    if (!read_signed_offset(c, offset_min)) return false;
    has = true;
  } else {
    return false;
  }
  c.spaces();
  if (paren && !c.eat(')')) return false;
  c.spaces();
  return c.done();
}

std::optional<ParsedTime> finish(int64_t y, int64_t mo, int64_t d, int64_t h, int64_t mi, int64_t s, int64_t frac_ms,
                                 bool has, int offset_min) {
  if (y < 1601 || y > 9999 || mo < 1 || mo > 12 || d < 1 || d > days_in_month(y, mo) || h > 23 || mi > 59 || s > 60)
    return std::nullopt;
  const int64_t days = days_from_civil(y, static_cast<unsigned>(mo), static_cast<unsigned>(d));
  ParsedTime t;
  t.utc_ms = ((days * 24 + h) * 60 + mi) * 60'000 + s * 1000 + frac_ms - int64_t{offset_min} * 60'000;
  t.has_offset = has;
  t.offset_min = offset_min;
  return t;
}

// yyyy-MM-dd / yyyy:MM:dd first.
std::optional<ParsedTime> year_first(Cursor& c) {
  int64_t y = 0, mo = 0, d = 0;
  if (!c.digits(4, 4, y)) return std::nullopt;
  const char sep = c.peek();
  if (sep != '-' && sep != ':' && sep != '/' && sep != '.') return std::nullopt;
  c.skip();
  if (!c.digits(1, 2, mo) || !c.eat(sep) || !c.digits(1, 2, d)) return std::nullopt;
  int64_t h = 0, mi = 0, s = 0, frac = 0;
  bool has = false;
  int off = 0;
  if (c.peek() == 'T' || c.peek() == 't' || c.peek() == ' ') {
    c.skip();
    c.spaces();
    if (!read_clock(c, h, mi, s, frac) || !read_meridiem(c, h)) return std::nullopt;
    if (!read_zone(c, has, off)) return std::nullopt;
  } else {
    c.spaces();
    if (!c.done()) return std::nullopt;
  }
  return finish(y, mo, d, h, mi, s, frac, has, off);
}

// dd-MMM-yy, dd/MM/yyyy, dd.MM.yyyy, dd-MM-yyyy.
std::optional<ParsedTime> day_first(Cursor& c) {
  int64_t d = 0, mo = 0, y = 0;
  if (!c.digits(1, 2, d)) return std::nullopt;
  const char sep = c.peek();
  if (sep != '-' && sep != '/' && sep != '.' && sep != ' ') return std::nullopt;
  c.skip();
  if (std::isalpha(static_cast<unsigned char>(c.peek()))) {
    mo = 0;
    for (size_t k = 0; k < kMonths.size() && mo == 0; ++k)
      if (c.word_ci(kMonths[k])) mo = static_cast<int64_t>(k) + 1;
    if (mo == 0) return std::nullopt;
    while (std::isalpha(static_cast<unsigned char>(c.peek()))) c.skip();  // "March", "Sept"
    if (c.peek() == '.') c.skip();                                        // "Mar."
  } else if (!c.digits(1, 2, mo)) {
    return std::nullopt;
  }
  if (!c.eat(sep)) return std::nullopt;
  size_t ny = 0;
  if (!c.digits(2, 4, y, &ny) || ny == 3) return std::nullopt;
  if (ny == 2) y += y >= 70 ? 1900 : 2000;
  int64_t h = 0, mi = 0, s = 0, frac = 0;
  bool has = false;
  int off = 0;
  if (c.spaces() > 0 || c.peek() == 'T') {
    c.eat('T');
    if (!c.done()) {
      if (!read_clock(c, h, mi, s, frac) || !read_meridiem(c, h)) return std::nullopt;
      if (!read_zone(c, has, off)) return std::nullopt;
    }
  } else if (!c.done()) {
    return std::nullopt;
  }
  return finish(y, mo, d, h, mi, s, frac, has, off);
}

}  // namespace

std::optional<ParsedTime> parse_time(std::string_view text) noexcept {
  // Trim.
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front()))) text.remove_prefix(1);
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) text.remove_suffix(1);
  if (text.size() < 8 || text.size() > 64) return std::nullopt;
  Cursor c(text);
  size_t lead = 0;
  while (lead < text.size() && std::isdigit(static_cast<unsigned char>(text[lead]))) ++lead;
  return lead == 4 ? year_first(c) : day_first(c);
}

std::optional<double> parse_duration_s(std::string_view text) noexcept {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front()))) text.remove_prefix(1);
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) text.remove_suffix(1);
  if (text.empty() || text.size() > 40) return std::nullopt;
  Cursor c(text);
  // Plain number of seconds.
  if (text.find(':') == std::string_view::npos) {
    int64_t whole = 0;
    size_t n = 0;
    if (!c.digits(1, 12, whole, &n)) return std::nullopt;
    double v = static_cast<double>(whole);
    if (c.peek() == '.' || c.peek() == ',') {
      c.skip();
      double scale = 0.1;
      size_t k = 0;
      while (std::isdigit(static_cast<unsigned char>(c.peek()))) {
        v += (c.peek() - '0') * scale;
        scale /= 10;
        c.skip();
        ++k;
      }
      if (k == 0) return std::nullopt;
    }
    if (!c.done()) return std::nullopt;
    return v;
  }
  // [d.]hh:mm[:ss[.fffffff]]
  int64_t days = 0, a = 0, b = 0, s = 0;
  size_t n = 0;
  if (!c.digits(1, 8, a, &n)) return std::nullopt;
  if (c.peek() == '.') {  // day part
    c.skip();
    days = a;
    if (!c.digits(1, 2, a)) return std::nullopt;
  }
  if (!c.eat(':') || !c.digits(2, 2, b)) return std::nullopt;
  double frac = 0;
  if (c.eat(':')) {
    if (!c.digits(2, 2, s)) return std::nullopt;
    if (c.peek() == '.' || c.peek() == ',') {
      c.skip();
      double scale = 0.1;
      size_t k = 0;
      while (std::isdigit(static_cast<unsigned char>(c.peek()))) {
        frac += (c.peek() - '0') * scale;
        scale /= 10;
        c.skip();
        ++k;
      }
      if (k == 0) return std::nullopt;
    }
  }
  if (!c.done()) return std::nullopt;
  if (b > 59 || s > 59) return std::nullopt;
  // Two parts are hh:mm as in .NET TimeSpan ("02:03" is 2 h 3 min).
  const double total = static_cast<double>(days) * 86400.0 + static_cast<double>(a) * 3600.0 +
                       static_cast<double>(b) * 60.0 + static_cast<double>(s) + frac;
  return total;
}

}  // namespace remit::ufdr
