#pragma once
// Decoders for Apple archive formats found in iOS evidence:
//
//  - typedstream (NSArchiver / NSUnarchiver, "streamtyped"): used by iOS
//    sms.db `message.attributedBody` (an NSAttributedString) when `text` is
//    NULL. Format facts: docs/formats/ios-typedstream.md.
//  - NSKeyedArchiver property lists ($archiver / $objects / $top with UID
//    references): used by iTunes/Finder backup Manifest.db `Files.file`
//    (MBFile) and by many app databases. Format facts:
//    docs/formats/ios-nskeyedarchiver.md.
//
// Both decoders are our own (no library reads these), written for hostile
// input and fuzzed (fuzz/ios_*_fuzz.cpp):
//  - every length and reference is checked against the input;
//  - recursion depth, element counts and total output size are bounded
//    (Limits below); exceeding a bound is an error, never a crash;
//  - shared references (an object used twice) never expand exponentially:
//    the typedstream result keeps the object table and refers to it by index;
//    the keyed-archive result counts every expanded node against a budget.
//
// Errors carry Errc::malformed (or too_large) and a structural message with
// a byte offset or object index, never any decoded content.
//
// Thread-safety: all functions are pure; results are plain values.
// libplist is used internally (only in src/core/apple/keyed_archive.cpp);
// its headers never leak from here.

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "remit/status.hpp"

namespace remit::apple {

// ---- typedstream ---------------------------------------------------------

struct TypedStreamLimits {
  size_t max_depth = 64;         // nesting of objects, arrays and structs
  size_t max_values = 1u << 20;  // total values decoded (arrays of '!' consume no bytes)
  size_t max_encoding_length = 4096;
};

// One decoded value. Objects, classes and C strings live in the stream's
// object table (TypedStream::objects) and are referred to by index, exactly
// as the format itself shares them.
struct TsValue {
  enum class Kind {
    nil,        // a nil object, class, string or selector
    integer,    // signed or unsigned integer types (c C s S i I l L q Q B)
    real,       // f d
    bytes,      // '+' (unshared string), '%' (atom), ':' (selector), byte arrays [Nc]
    object,     // '@': index into objects
    class_ref,  // '#': index into objects
    cstring,    // '*': index into objects
    array,      // [N<type>] of non-byte elements: `items`
    structure,  // {name=...}: `items`
    ignored,    // '!' (no data)
  };
  Kind kind = Kind::nil;
  int64_t integer = 0;  // integer value (unsigned values above INT64_MAX wrap; see `is_unsigned`)
  bool is_unsigned = false;
  double real = 0;
  std::string bytes;  // raw bytes, no encoding implied
  size_t index = 0;   // object/class/cstring table index
  std::vector<TsValue> items;
};

// A group of values written by one encodeValuesOfObjCTypes: call.
struct TsGroup {
  std::vector<std::string> encodings;  // one per value
  std::vector<TsValue> values;
};

struct TsObject {
  enum class Kind { object, class_info, cstring } kind = Kind::object;
  // class_info: name, version and the superclass (index or nullopt for Nil).
  std::string name;
  int64_t version = 0;
  std::optional<size_t> superclass;
  // object: its class (index of a class_info) and contents.
  std::optional<size_t> class_index;
  std::vector<TsGroup> contents;
  bool complete = false;  // object's end marker was read
  // cstring: the bytes.
  std::string bytes;
};

struct TypedStream {
  int streamer_version = 0;
  bool big_endian = false;
  uint64_t system_version = 0;
  std::vector<TsGroup> roots;     // top-level value groups
  std::vector<TsObject> objects;  // the shared object table, in reference order

  // Class name chain of the object at `index` (most derived first); empty
  // if `index` is not an object.
  [[nodiscard]] std::vector<std::string> class_chain(size_t object_index) const;
  [[nodiscard]] bool is_kind_of(size_t object_index, std::string_view class_name) const;
};

// Decodes a whole typedstream.
[[nodiscard]] Result<TypedStream> decode_typedstream(std::span<const unsigned char> data,
                                                     const TypedStreamLimits& limits = {});

// The plain text of an archived NSAttributedString (or NSString), as UTF-8:
// the string object's '+' bytes. Invalid UTF-8 is returned as stored (the
// caller sanitises). Fails with malformed when the stream is not a
// typedstream or holds no string.
[[nodiscard]] Result<std::string> attributed_string_text(std::span<const unsigned char> data,
                                                         const TypedStreamLimits& limits = {});

// Writes `utf8` as an archived NSMutableAttributedString in the layout iOS
// Messages uses for sms.db attributedBody (NSMutableString '+' bytes, one
// attribute run "iI" over the whole string with an NSDictionary holding
// __kIMMessagePartAttributeName = NSNumber 0). For the generator and tests;
// decodes back through attributed_string_text().
[[nodiscard]] std::vector<unsigned char> encode_attributed_string(std::string_view utf8);

// ---- property lists ------------------------------------------------------

// Checks that libplist 2.2 may parse `data` without harm. For a binary plist:
// trailer and offset table in range, containers referring only to existing
// objects, no reference cycles, every dictionary key a string, and an
// expanded tree of at most `max_nodes` (libplist copies shared subtrees and
// asserts — aborts — on non-string keys). XML plists pass (libplist's XML
// reader has no references). Call it before every plist_from_*() on
// evidence bytes.
[[nodiscard]] Status check_plist_for_libplist(std::span<const unsigned char> data, size_t max_nodes = 1u << 17,
                                              size_t max_depth = 64);

// ---- NSKeyedArchiver -------------------------------------------------------

struct KeyedArchiveLimits {
  size_t max_depth = 64;
  size_t max_nodes = 1u << 17;  // total nodes in the expanded result (an MBFile has ~20)
  size_t max_input_bytes = 64u << 20;
};

struct ArchivedField;

// A decoded archive value. Archived objects ($class) become `object` with
// their class name(s) and fields; well-known Foundation classes are
// unwrapped into plain values: NSString/NSMutableString -> string,
// NSData/NSMutableData -> data, NSDate -> date, NSArray/NSSet (+ mutable,
// ordered) -> array, NSDictionary (+ mutable) -> dict, NSNull/$null -> null,
// NSUUID -> data (16 bytes), NSURL -> string (relative to its base).
struct ArchivedValue {
  enum class Kind { null, boolean, integer, real, string, data, date, array, dict, object };
  Kind kind = Kind::null;
  bool boolean = false;
  int64_t integer = 0;
  double real = 0;                    // real, and date (seconds since 2001-01-01 UTC)
  std::string bytes;                  // string (UTF-8) or data
  std::vector<ArchivedValue> items;   // array
  std::vector<ArchivedField> fields;  // dict entries (string keys) / object fields, in stored order
  std::string class_name;             // object: $classname
  std::vector<std::string> classes;   // object: $classes (most derived first)

  // Field (object) or entry (dict) by key, or nullptr.
  [[nodiscard]] const ArchivedValue* get(std::string_view key) const noexcept;
  // Numeric helpers: integer/real/boolean/date as int64 or double; nullopt otherwise.
  [[nodiscard]] std::optional<int64_t> as_int() const noexcept;
  [[nodiscard]] std::optional<double> as_real() const noexcept;
};

// One dict entry or object field (a struct, not std::pair, so the recursive
// type is complete where it must be).
struct ArchivedField {
  std::string first;     // key
  ArchivedValue second;  // value
  ArchivedField(std::string k, ArchivedValue v) : first(std::move(k)), second(std::move(v)) {}
};

// Decodes an NSKeyedArchiver plist (binary or XML) and returns the root
// object ($top.root, or the first $top value when there is no "root" key).
[[nodiscard]] Result<ArchivedValue> decode_keyed_archive(std::span<const unsigned char> plist,
                                                         const KeyedArchiveLimits& limits = {});

// Writes an NSKeyedArchiver binary plist holding one object of class
// `class_name` (superclass chain `classes`, most derived first) with the
// given fields. Field values may be null, boolean, integer, real, string,
// data (written as NSMutableData when `data_as_object`, else a plain data
// node), date (NSDate) or nested objects/arrays/dicts. Used by the backup
// writer and by tests; the output round-trips through decode_keyed_archive.
[[nodiscard]] Result<std::vector<unsigned char>> encode_keyed_archive(const ArchivedValue& root,
                                                                      bool data_as_object = true);

}  // namespace remit::apple
