#pragma once
// Byte-stream repairs applied to report.xml before expat sees it.
// Internal to src/artifacts/ufdr.
//
// Real UFED reports carry character references to control characters
// (&#x0; .. &#x1F;, also written &#0; .. &#31;, with leading zeros or
// upper/lower-case hex), which XML 1.0 forbids and expat rejects; IPED's
// UFEDXMLWrapper works around the same defect. Raw control bytes occur too.
// ControlCharFilter rewrites both into U+FFFD (EF BF BD) and counts them.
// Tab, LF and CR (&#9; &#10; &#13;) are legal and left alone. References
// inside CDATA sections and comments are not references (XML 1.0 section
// 2.7), so they are left alone; raw control bytes are replaced everywhere.
// Invalid UTF-8 (including encoded surrogates and U+FFFE/U+FFFF, which
// expat also rejects) becomes U+FFFD as well. State is kept across chunks,
// so a reference or a UTF-8 sequence split over two chunks is still
// recognised.
//
// Thread-compatible: one filter per stream.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace remit::ufdr {

class ControlCharFilter {
 public:
  // The most bytes feed() or finish() can write for `n` input bytes.
  [[nodiscard]] static constexpr size_t max_output(size_t n) noexcept { return 3 * n + 64; }
  // Writes the filtered form of `n` bytes to `out`, which has room for
  // max_output(n) bytes; returns the number written.
  size_t feed(const char* data, size_t n, char* out);
  // Flushes bytes held back at the end of the stream (room: max_output(0)).
  size_t finish(char* out);
  // The same, appending to a string.
  void feed(const char* data, size_t n, std::string& out);
  void finish(std::string& out);

  [[nodiscard]] uint64_t references_replaced() const noexcept { return refs_; }
  [[nodiscard]] uint64_t raw_bytes_replaced() const noexcept { return raw_; }
  [[nodiscard]] uint64_t invalid_utf8_replaced() const noexcept { return utf8_; }
  // Markup state, for scanners that must ignore CDATA and comments.
  [[nodiscard]] bool in_cdata() const noexcept { return mode_ == Mode::cdata; }
  [[nodiscard]] bool in_comment() const noexcept { return mode_ == Mode::comment; }

 private:
  enum class Mode { text, cdata, comment };
  enum class Ref { none, amp, hash, hex, dec };
  struct Sink;
  void flush_ref(Sink& out);
  void flush_utf8(Sink& out);
  bool text_byte(unsigned char c, Sink& out);  // false: byte must be reprocessed
  void markup_byte(unsigned char c, Sink& out);

  Mode mode_ = Mode::text;
  // Progress through "<![CDATA[" / "<!--" (text mode) or "]]>" / "-->".
  size_t open_cdata_ = 0, open_comment_ = 0, close_ = 0;
  Ref ref_ = Ref::none;
  std::string held_;  // bytes of a reference being read
  uint32_t value_ = 0;
  size_t ndigits_ = 0;
  unsigned char u8_[4] = {0, 0, 0, 0};  // a UTF-8 sequence being read
  size_t u8n_ = 0, u8need_ = 0;
  uint64_t refs_ = 0, raw_ = 0, utf8_ = 0;
};

// Strict standard Base64 (RFC 4648, '+' '/', optional '=' padding, ASCII
// whitespace ignored). Returns false on any other byte or a bad length.
[[nodiscard]] bool base64_decode(std::string_view in, std::string& out);

}  // namespace remit::ufdr
