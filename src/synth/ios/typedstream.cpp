// typedstream encoder (src/synth/ios/typedstream.hpp).
//
// Layout of an archived NSAttributedString (Messages, iOS 10 and later):
//   header      04 0B "streamtyped" 81 E8 03
//   "@"         the root object: NSAttributedString : NSObject
//     "@"         NSString (v1) : NSObject  { "+" <utf-8 bytes> }
//     "iI"        attribute index 1, run length in UTF-16 units
//     "@"         NSDictionary : NSObject   { "i" count,
//                   "@" NSString key, "@" NSNumber : NSValue { "*" "i", "i" 0 } }
//   end of object (x3)
#include "synth/ios/typedstream.hpp"

#include <cstring>

namespace remit::synth::ios {

namespace {

constexpr int8_t kInteger2 = -127;
constexpr int8_t kInteger4 = -126;
constexpr int8_t kNew = -124;
constexpr int8_t kNil = -123;
constexpr int8_t kEndOfObject = -122;
constexpr int64_t kFirstReference = -110;  // one above the last tag

}  // namespace

TypedStreamWriter::TypedStreamWriter() {
  out_.push_back(4);  // streamer version
  out_.push_back(11);
  out_ += "streamtyped";  // little-endian signature
  integer(1000);          // system version (Mac OS X)
}

void TypedStreamWriter::integer(int64_t v) {
  if (v >= kFirstReference && v <= 127) {
    head(static_cast<int8_t>(v));
  } else if (v >= -32768 && v <= 32767) {
    head(kInteger2);
    const auto u = static_cast<uint16_t>(static_cast<int16_t>(v));
    out_.push_back(static_cast<char>(u & 0xff));
    out_.push_back(static_cast<char>(u >> 8));
  } else {
    head(kInteger4);
    const auto u = static_cast<uint32_t>(static_cast<int32_t>(v));
    for (int i = 0; i < 4; ++i) out_.push_back(static_cast<char>((u >> (8 * i)) & 0xff));
  }
}

void TypedStreamWriter::reference(size_t index) {
  integer(kFirstReference + static_cast<int64_t>(index));
}

void TypedStreamWriter::unshared_string(std::string_view bytes) {
  integer(static_cast<int64_t>(bytes.size()));
  out_.append(bytes.data(), bytes.size());
}

void TypedStreamWriter::shared_string(std::string_view s) {
  if (auto it = strings_.find(s); it != strings_.end()) {
    reference(it->second);
    return;
  }
  head(kNew);
  unshared_string(s);
  const size_t n = strings_.size();
  strings_.emplace(std::string(s), n);
}

void TypedStreamWriter::begin_group(std::string_view types) {
  shared_string(types);
}

void TypedStreamWriter::c_string(std::string_view s) {
  if (auto it = cstrings_.find(s); it != cstrings_.end()) {
    reference(it->second);
    return;
  }
  head(kNew);
  cstrings_.emplace(std::string(s), objects_++);
  shared_string(s);
}

void TypedStreamWriter::begin_object(const std::vector<std::pair<std::string, int>>& chain) {
  head(kNew);
  ++objects_;  // the object itself is numbered before its class
  for (const auto& [name, version] : chain) {
    if (auto it = classes_.find(name); it != classes_.end()) {
      reference(it->second);  // an earlier class ends the chain
      return;
    }
    head(kNew);
    classes_.emplace(name, objects_++);
    shared_string(name);
    integer(version);
  }
  nil();  // root class reached
}

void TypedStreamWriter::end_object() {
  head(kEndOfObject);
}

void TypedStreamWriter::nil() {
  head(kNil);
}

size_t utf16_length(std::string_view s) {
  size_t n = 0;
  for (size_t i = 0; i < s.size();) {
    const auto c = static_cast<unsigned char>(s[i]);
    size_t len = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 1;
    if (i + len > s.size()) len = 1;
    n += len == 4 ? 2 : 1;  // outside the BMP: a surrogate pair
    i += len;
  }
  return n;
}

std::string archive_attributed_string(std::string_view text) {
  TypedStreamWriter w;
  w.begin_group("@");
  w.begin_object({{"NSAttributedString", 0}, {"NSObject", 0}});
  {
    w.begin_group("@");
    w.begin_object({{"NSString", 1}, {"NSObject", 0}});
    w.begin_group("+");
    w.unshared_string(text);
    w.end_object();
  }
  w.begin_group("iI");
  w.integer(1);
  w.integer(static_cast<int64_t>(utf16_length(text)));
  {
    w.begin_group("@");
    w.begin_object({{"NSDictionary", 0}, {"NSObject", 0}});
    w.begin_group("i");
    w.integer(1);
    w.begin_group("@");
    w.begin_object({{"NSString", 1}});
    w.begin_group("+");
    w.unshared_string("__kIMMessagePartAttributeName");
    w.end_object();
    w.begin_group("@");
    w.begin_object({{"NSNumber", 0}, {"NSValue", 0}, {"NSObject", 0}});
    w.begin_group("*");
    w.c_string("i");
    w.begin_group("i");
    w.integer(0);
    w.end_object();
    w.end_object();
  }
  w.end_object();
  return w.bytes();
}

}  // namespace remit::synth::ios
