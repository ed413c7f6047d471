// Strict RFC 4180 reader and writer helpers (see csv.hpp).
// Reference: RFC 4180 "Common Format and MIME Type for CSV Files", §2.
#include "oversight/csv.hpp"

#include <array>

namespace remit::oversight {

namespace {
constexpr size_t kChunk = 1 << 20;
constexpr int kEof = -1;

// Characters that end a run of plain unquoted text.
constexpr std::array<bool, 256> make_special() {
  std::array<bool, 256> t{};
  t[static_cast<unsigned char>(',')] = true;
  t[static_cast<unsigned char>('"')] = true;
  t[static_cast<unsigned char>('\r')] = true;
  t[static_cast<unsigned char>('\n')] = true;
  return t;
}
constexpr auto kSpecial = make_special();
}  // namespace

CsvReader::CsvReader(std::istream& in, Hasher* hasher) : in_(in), hasher_(hasher) {
  buf_.reserve(kChunk);
}

bool CsvReader::fill() {
  if (eof_) return false;
  buf_.erase(0, pos_);
  pos_ = 0;
  const size_t old = buf_.size();
  buf_.resize(old + kChunk);
  in_.read(buf_.data() + old, static_cast<std::streamsize>(kChunk));
  const auto got = static_cast<size_t>(in_.gcount());
  buf_.resize(old + got);
  if (got == 0) {
    eof_ = true;
    return false;
  }
  if (hasher_) hasher_->update(std::string_view(buf_.data() + old, got));
  bytes_ += got;
  return true;
}

int CsvReader::peek() {
  if (pos_ >= buf_.size() && !fill()) return kEof;
  return static_cast<unsigned char>(buf_[pos_]);
}

int CsvReader::get() {
  const int c = peek();
  if (c != kEof) ++pos_;
  return c;
}

bool CsvReader::next(CsvRecord& rec) {
  rec.count = 0;
  rec.issue.reset();
  rec.blank = false;
  if (first_) {
    first_ = false;
    while (buf_.size() - pos_ < 3 && fill()) {
    }
    if (buf_.compare(pos_, 3, "\xEF\xBB\xBF") == 0) pos_ += 3;
  }
  int c = peek();
  if (c == kEof) return false;
  rec.line = line_;

  auto new_field = [&rec]() -> std::string& {
    if (rec.count == rec.fields.size()) rec.fields.emplace_back();
    std::string& f = rec.fields[rec.count++];
    f.clear();
    return f;
  };
  auto flag = [&rec](std::string reason, bool fatal = false) {
    if (!rec.issue) rec.issue = CsvIssue{rec.count ? rec.count - 1 : 0, std::move(reason), fatal};
  };
  // Consumes a line end at the current position (LF or CRLF). Returns false
  // for a bare CR, which RFC 4180 does not allow as a line end.
  auto end_line = [this]() -> bool {
    int e = peek();
    if (e == '\n') {
      ++pos_;
      ++line_;
      return true;
    }
    if (e == '\r') {
      ++pos_;
      if (peek() == '\n') {
        ++pos_;
        ++line_;
        return true;
      }
      return false;
    }
    return true;  // end of file
  };
  auto skip_line = [this]() {
    for (int e = get(); e != kEof; e = get())
      if (e == '\n') {
        ++line_;
        return;
      }
  };

  if (c == '\n' || c == '\r') {
    rec.blank = true;
    new_field();
    if (!end_line()) {
      flag("carriage return without line feed");
      skip_line();
    }
    return true;
  }

  for (;;) {
    std::string& f = new_field();
    c = peek();
    if (c == '"') {
      ++pos_;
      bool closed = false;
      while (!closed) {
        c = get();
        if (c == kEof) {
          flag("quoted field is not closed before the end of the file", true);
          return true;
        }
        if (c == '"') {
          if (peek() == '"') {
            ++pos_;
            f.push_back('"');
          } else {
            closed = true;
          }
          continue;
        }
        if (c == '\n') ++line_;
        f.push_back(static_cast<char>(c));
      }
      c = peek();
      if (c == ',') {
        ++pos_;
        continue;
      }
      if (c == '\r' || c == '\n' || c == kEof) {
        if (!end_line()) {
          flag("carriage return without line feed");
          skip_line();
        }
        break;
      }
      flag("text after the closing quote of a quoted field");
      skip_line();
      break;
    }
    // Unquoted: copy runs of plain bytes straight from the buffer.
    bool next_field = false;
    for (;;) {
      if (pos_ >= buf_.size() && !fill()) break;
      size_t end = pos_;
      while (end < buf_.size() && !kSpecial[static_cast<unsigned char>(buf_[end])]) ++end;
      f.append(buf_, pos_, end - pos_);
      pos_ = end;
      if (pos_ < buf_.size()) break;
    }
    c = peek();
    if (c == ',') {
      ++pos_;
      next_field = true;
    } else if (c == '"') {
      flag("quote character inside an unquoted field");
      skip_line();
      break;
    } else {
      if (!end_line()) {
        flag("carriage return without line feed");
        skip_line();
      }
      break;
    }
    if (!next_field) break;
  }
  if (!rec.issue) {
    for (size_t i = 0; i < rec.count; ++i)
      if (!valid_utf8_no_nul(rec.fields[i])) {
        rec.issue = CsvIssue{i, "invalid UTF-8 or a NUL byte", false};
        break;
      }
  }
  return true;
}

bool valid_utf8_no_nul(std::string_view s) noexcept {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  const auto* e = p + s.size();
  while (p < e) {
    const unsigned char c = *p;
    if (c < 0x80) {
      if (c == 0) return false;
      ++p;
      continue;
    }
    int n;
    uint32_t cp;
    if (c >= 0xC2 && c <= 0xDF) {
      n = 1;
      cp = c & 0x1F;
    } else if (c >= 0xE0 && c <= 0xEF) {
      n = 2;
      cp = c & 0x0F;
    } else if (c >= 0xF0 && c <= 0xF4) {
      n = 3;
      cp = c & 0x07;
    } else {
      return false;
    }
    if (e - p <= n) return false;
    for (int i = 1; i <= n; ++i) {
      if ((p[i] & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (p[i] & 0x3F);
    }
    if ((n == 2 && cp < 0x800) || (n == 3 && cp < 0x10000) || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
      return false;
    p += n + 1;
  }
  return true;
}

namespace {
void append_quoted_if_needed(std::string& out, std::string_view field, bool neutralise) {
  std::string_view prefix;
  if (neutralise && !field.empty() &&
      (field[0] == '=' || field[0] == '+' || field[0] == '-' || field[0] == '@' || field[0] == '\t' ||
       field[0] == '\r'))
    prefix = "'";
  bool quote = false;
  for (char ch : field)
    if (ch == ',' || ch == '"' || ch == '\r' || ch == '\n') {
      quote = true;
      break;
    }
  if (!field.empty() && (field.front() == ' ' || field.back() == ' ')) quote = true;
  if (!quote) {
    out += prefix;
    out += field;
    return;
  }
  out += '"';
  out += prefix;
  for (char ch : field) {
    if (ch == '"') out += '"';
    out += ch;
  }
  out += '"';
}
}  // namespace

void csv_append_text(std::string& out, std::string_view field) {
  append_quoted_if_needed(out, field, true);
}
void csv_append_raw(std::string& out, std::string_view field) {
  append_quoted_if_needed(out, field, false);
}

}  // namespace remit::oversight
