// ControlCharFilter and base64_decode (char_filter.hpp).
//
// References: XML 1.0 (5th ed.) section 2.2 (Char production) and 4.1
// (character references); Unicode 15 Table 3-7 (well-formed UTF-8);
// IPED UFEDXMLWrapper.java (the same control-reference defect in real
// UFED reports, handled there by replacing them with '?').
#include "artifacts/ufdr/char_filter.hpp"

#include <cstring>

namespace remit::ufdr {
namespace {

constexpr char kFffd[] = "\xEF\xBF\xBD";
constexpr std::string_view kOpenCdata = "<![CDATA[";
constexpr std::string_view kOpenComment = "<!--";

bool bad_raw(unsigned char c) {
  return c < 0x20 && c != '\t' && c != '\n' && c != '\r';
}

bool bad_codepoint(uint32_t v) {
  if (v < 0x20) return v != 0x9 && v != 0xA && v != 0xD;
  return (v >= 0xD800 && v <= 0xDFFF) || v == 0xFFFE || v == 0xFFFF || v > 0x10FFFF;
}

int hexval(unsigned char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Bytes that leave the fast path, per mode.
struct Tables {
  bool text[256] = {};
  bool cdata[256] = {};
  bool comment[256] = {};
  Tables() {
    for (int c = 0; c < 256; ++c) {
      const bool special = bad_raw(static_cast<unsigned char>(c)) || c >= 0x80;
      text[c] = special || c == '&' || c == '<';
      cdata[c] = special || c == ']';
      comment[c] = special || c == '-';
    }
  }
};
const Tables kTables;

constexpr size_t kMaxRefDigits = 12;

}  // namespace

// Output cursor into a buffer the caller sized with max_output().
struct ControlCharFilter::Sink {
  char* p;
  void put(char c) { *p++ = c; }
  void append(const char* s, size_t n) {
    std::memcpy(p, s, n);
    p += n;
  }
  void append(std::string_view s) { append(s.data(), s.size()); }
};

void ControlCharFilter::flush_ref(Sink& out) {
  out.append(held_);
  held_.clear();
  ref_ = Ref::none;
}

void ControlCharFilter::flush_utf8(Sink& out) {
  if (u8n_ > 0) {
    out.append(kFffd);
    ++utf8_;
  }
  u8n_ = u8need_ = 0;
}

// A byte outside references and UTF-8 sequences, in text mode. Tracks
// "<![CDATA[" and "<!--". Returns false when the byte was not consumed.
bool ControlCharFilter::text_byte(unsigned char c, Sink& out) {
  if (ref_ != Ref::none) {
    switch (ref_) {
      case Ref::amp:
        if (c == '#') {
          held_.push_back('#');
          ref_ = Ref::hash;
          return true;
        }
        flush_ref(out);
        return false;
      case Ref::hash:
        if (c == 'x' || c == 'X') {
          held_.push_back(static_cast<char>(c));
          ref_ = Ref::hex;
          value_ = 0;
          ndigits_ = 0;
          return true;
        }
        if (c >= '0' && c <= '9') {
          held_.push_back(static_cast<char>(c));
          ref_ = Ref::dec;
          value_ = c - '0';
          ndigits_ = 1;
          return true;
        }
        flush_ref(out);
        return false;
      case Ref::hex:
      case Ref::dec: {
        const int d = ref_ == Ref::hex ? hexval(c) : (c >= '0' && c <= '9' ? c - '0' : -1);
        if (d >= 0) {
          if (++ndigits_ > kMaxRefDigits) {  // not a plausible reference: pass through
            held_.push_back(static_cast<char>(c));
            flush_ref(out);
            return true;
          }
          value_ = value_ > 0x10FFFF ? value_ : value_ * (ref_ == Ref::hex ? 16 : 10) + static_cast<uint32_t>(d);
          held_.push_back(static_cast<char>(c));
          return true;
        }
        if (c == ';' && ndigits_ > 0) {
          if (bad_codepoint(value_)) {
            out.append(kFffd);
            ++refs_;
            held_.clear();
            ref_ = Ref::none;
          } else {
            held_.push_back(';');
            flush_ref(out);
          }
          return true;
        }
        flush_ref(out);
        return false;
      }
      case Ref::none:
        break;
    }
  }
  if (c == '&') {
    held_.assign(1, '&');
    ref_ = Ref::amp;
    open_cdata_ = open_comment_ = 0;
    return true;
  }
  out.put(static_cast<char>(c));
  open_cdata_ = (c == static_cast<unsigned char>(kOpenCdata[open_cdata_])) ? open_cdata_ + 1 : (c == '<' ? 1 : 0);
  open_comment_ =
      (c == static_cast<unsigned char>(kOpenComment[open_comment_])) ? open_comment_ + 1 : (c == '<' ? 1 : 0);
  if (open_cdata_ == kOpenCdata.size()) {
    mode_ = Mode::cdata;
    open_cdata_ = open_comment_ = close_ = 0;
  } else if (open_comment_ == kOpenComment.size()) {
    mode_ = Mode::comment;
    open_cdata_ = open_comment_ = close_ = 0;
  }
  return true;
}

// A byte inside CDATA or a comment: passes through; tracks "]]>" / "-->".
void ControlCharFilter::markup_byte(unsigned char c, Sink& out) {
  out.put(static_cast<char>(c));
  const char run = mode_ == Mode::cdata ? ']' : '-';
  if (c == static_cast<unsigned char>(run)) {
    close_ = close_ >= 2 ? 2 : close_ + 1;
  } else if (c == '>' && close_ == 2) {
    mode_ = Mode::text;
    close_ = 0;
  } else {
    close_ = 0;
  }
}

void ControlCharFilter::feed(const char* data, size_t n, std::string& s) {
  const size_t old = s.size();
  s.resize(old + max_output(n));
  s.resize(old + feed(data, n, s.data() + old));
}

void ControlCharFilter::finish(std::string& s) {
  const size_t old = s.size();
  s.resize(old + max_output(0));
  s.resize(old + finish(s.data() + old));
}

size_t ControlCharFilter::feed(const char* data, size_t n, char* dest) {
  Sink out{dest};
  const auto* p = reinterpret_cast<const unsigned char*>(data);
  size_t i = 0;
  while (i < n) {
    // Fast path: copy a run of ordinary bytes.
    if (ref_ == Ref::none && u8n_ == 0 && open_cdata_ == 0 && open_comment_ == 0 && close_ == 0) {
      const bool* special = mode_ == Mode::text ? kTables.text : mode_ == Mode::cdata ? kTables.cdata : kTables.comment;
      size_t j = i;
      while (j < n && !special[p[j]]) ++j;
      if (j > i) {
        out.append(reinterpret_cast<const char*>(p + i), j - i);
        i = j;
        if (i == n) break;
      }
    }
    const unsigned char c = p[i];
    // UTF-8 sequences (validated per Unicode Table 3-7).
    if (u8n_ > 0) {
      bool ok = c >= 0x80 && c <= 0xBF;
      if (ok && u8n_ == 1) {
        const unsigned char b0 = u8_[0];
        if (b0 == 0xE0)
          ok = c >= 0xA0;
        else if (b0 == 0xED)
          ok = c <= 0x9F;  // no surrogates
        else if (b0 == 0xF0)
          ok = c >= 0x90;
        else if (b0 == 0xF4)
          ok = c <= 0x8F;
      }
      if (ok && u8n_ == 2 && u8need_ == 3 && u8_[0] == 0xEF && u8_[1] == 0xBF && (c == 0xBE || c == 0xBF))
        ok = false;  // U+FFFE, U+FFFF
      if (!ok) {
        flush_utf8(out);
        continue;  // reprocess c
      }
      u8_[u8n_++] = c;
      if (u8n_ == u8need_) {
        if (ref_ != Ref::none) flush_ref(out);
        if (mode_ != Mode::text)
          close_ = 0;
        else
          open_cdata_ = open_comment_ = 0;
        out.append(reinterpret_cast<const char*>(u8_), u8n_);
        u8n_ = u8need_ = 0;
      }
      ++i;
      continue;
    }
    if (c >= 0x80) {
      if (ref_ != Ref::none) flush_ref(out);
      size_t need = 0;
      if (c >= 0xC2 && c <= 0xDF)
        need = 2;
      else if (c >= 0xE0 && c <= 0xEF)
        need = 3;
      else if (c >= 0xF0 && c <= 0xF4)
        need = 4;
      if (need == 0) {
        out.append(kFffd);
        ++utf8_;
      } else {
        u8_[0] = c;
        u8n_ = 1;
        u8need_ = need;
      }
      ++i;
      continue;
    }
    if (bad_raw(c)) {
      if (ref_ != Ref::none) flush_ref(out);
      out.append(kFffd);
      ++raw_;
      open_cdata_ = open_comment_ = close_ = 0;
      ++i;
      continue;
    }
    if (mode_ == Mode::text) {
      if (text_byte(c, out)) ++i;
    } else {
      markup_byte(c, out);
      ++i;
    }
  }
  return static_cast<size_t>(out.p - dest);
}

size_t ControlCharFilter::finish(char* dest) {
  Sink out{dest};
  flush_utf8(out);
  if (ref_ != Ref::none) flush_ref(out);
  return static_cast<size_t>(out.p - dest);
}

bool base64_decode(std::string_view in, std::string& out) {
  out.clear();
  out.reserve(in.size() / 4 * 3 + 3);
  uint32_t acc = 0;
  int bits = 0;
  size_t pad = 0, chars = 0;
  for (const char ch : in) {
    const auto c = static_cast<unsigned char>(ch);
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') continue;
    int v;
    if (c >= 'A' && c <= 'Z')
      v = c - 'A';
    else if (c >= 'a' && c <= 'z')
      v = c - 'a' + 26;
    else if (c >= '0' && c <= '9')
      v = c - '0' + 52;
    else if (c == '+')
      v = 62;
    else if (c == '/')
      v = 63;
    else if (c == '=') {
      ++pad;
      ++chars;
      continue;
    } else {
      return false;
    }
    if (pad > 0) return false;  // data after padding
    ++chars;
    acc = (acc << 6) | static_cast<uint32_t>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<char>((acc >> bits) & 0xFF));
    }
  }
  if (pad > 2) return false;
  if (pad > 0 && chars % 4 != 0) return false;
  const size_t data_chars = chars - pad;
  if (data_chars % 4 == 1) return false;  // impossible length
  // Leftover bits must be zero (canonical encoding is not required, but
  // non-zero leftovers mean a truncated or corrupted value).
  if (bits > 0 && (acc & ((1u << bits) - 1)) != 0) return false;
  return true;
}

}  // namespace remit::ufdr
