#pragma once
// A typedstream *encoder* (NeXTSTEP / Apple NSArchiver format, streamer
// version 4, little-endian "streamtyped" signature, system version 1000),
// enough to archive an NSAttributedString the way iOS Messages stores it in
// sms.db `message.attributedBody`.
//
// Written for the generator from the format's public description (the
// typedstream.h constants of the Darwin 0.1 Objective-C runtime, as
// documented by dgelessus' python-typedstream): heads -127 (2-byte
// integer), -126 (4-byte integer), -125 (float), -124 (new), -123 (nil),
// -122 (end of object); reference numbers start at -110; shared strings
// (type encodings, class names) and objects (objects, classes, C strings)
// are numbered in two separate tables in order of first appearance.
// It shares no code with remit's decoder (src/core/apple/).
//
// Pure functions / a value type; thread-compatible.

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace remit::synth::ios {

class TypedStreamWriter {
 public:
  TypedStreamWriter();  // writes the header

  // Begins a group of values: the type encoding as a shared string.
  void begin_group(std::string_view types);
  // Integer in the compact form (1, 3 or 5 bytes).
  void integer(int64_t v);
  // Unshared byte string ("+"): length, then bytes.
  void unshared_string(std::string_view bytes);
  // A C string value ("*"): new (or a reference to an earlier one).
  void c_string(std::string_view s);
  // Begins a literal object of `cls`, whose superclass chain follows
  // (`chain` = class then superclasses as (name, version), ending at a root
  // class); classes written before become references.
  void begin_object(const std::vector<std::pair<std::string, int>>& chain);
  void end_object();
  void nil();

  [[nodiscard]] const std::string& bytes() const noexcept { return out_; }

 private:
  void head(int8_t h) { out_.push_back(static_cast<char>(static_cast<uint8_t>(h))); }
  void reference(size_t index);
  void shared_string(std::string_view s);

  std::string out_;
  std::map<std::string, size_t, std::less<>> strings_;   // shared string -> number
  size_t objects_ = 0;                                   // objects, classes, C strings so far
  std::map<std::string, size_t, std::less<>> classes_;   // class name -> object number
  std::map<std::string, size_t, std::less<>> cstrings_;  // C string -> object number
};

// `text` (UTF-8) archived as an NSAttributedString with one attribute run
// covering the whole text, attributes {__kIMMessagePartAttributeName: 0}
// (an NSNumber), as Messages writes a plain message.
[[nodiscard]] std::string archive_attributed_string(std::string_view text);

// Number of UTF-16 code units of a UTF-8 string (NSString length).
[[nodiscard]] size_t utf16_length(std::string_view utf8);

}  // namespace remit::synth::ios
