#pragma once
// One entry point per iOS decoder, shared by the libFuzzer targets
// (fuzz/ios_*_fuzz.cpp, built with clang-16 and REMIT_FUZZ=ON) and by the
// ordinary gcc test that replays the corpus and regressions
// (tests/ios_fuzz_replay_test.cpp). Each returns normally for any input; a
// crash, sanitizer report or assertion is a bug. Beyond "no crash", each
// checks the invariants a fuzzer cannot see from outside (round trips).

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <span>

#include "remit/apple.hpp"
#include "source/keybag.hpp"

namespace remit::fuzz {

inline void check(bool ok) {
  if (!ok) std::abort();
}

// typedstream: decode; the text helper must agree with the decoder.
inline void typedstream_one(const uint8_t* data, size_t size) {
  std::span<const unsigned char> in(data, size);
  auto ts = apple::decode_typedstream(in);
  auto text = apple::attributed_string_text(in);
  if (!ts.ok()) check(!text.ok());
  if (ts.ok()) {
    for (size_t i = 0; i < ts->objects.size(); ++i) (void)ts->class_chain(i);
  }
  if (text.ok()) {
    // What we decode, we can write and decode again to the same text.
    auto again = apple::attributed_string_text(apple::encode_attributed_string(*text));
    check(again.ok() && *again == *text);
  }
}

// NSKeyedArchiver: decode; anything decoded re-encodes and decodes.
inline void keyed_archive_one(const uint8_t* data, size_t size) {
  auto v = apple::decode_keyed_archive(std::span<const unsigned char>(data, size));
  if (!v.ok()) return;
  (void)v->get("Size");
  if (v->kind == apple::ArchivedValue::Kind::object || v->kind == apple::ArchivedValue::Kind::dict ||
      v->kind == apple::ArchivedValue::Kind::array) {
    auto enc = apple::encode_keyed_archive(*v);
    if (enc.ok()) check(apple::decode_keyed_archive(*enc).ok());
  }
}

// Backup keybag: parse; a parsed keybag serialises and parses back equal.
inline void keybag_one(const uint8_t* data, size_t size) {
  auto kb = backup::parse_keybag(std::span<const unsigned char>(data, size));
  if (!kb.ok()) return;
  auto again = backup::parse_keybag(backup::serialize_keybag(*kb));
  check(again.ok());
  check(again->classes.size() == kb->classes.size() && again->iterations == kb->iterations && again->salt == kb->salt &&
        again->dp_salt == kb->dp_salt);
  for (size_t i = 0; i < kb->classes.size(); ++i)
    check(again->classes[i].wrapped_key == kb->classes[i].wrapped_key &&
          again->classes[i].protection_class == kb->classes[i].protection_class);
  // Unwrapping with a fixed key exercises the RFC 3394 path on hostile WPKY.
  backup::SecretBytes key(32);
  (void)backup::unlock_class_keys(*kb, key);
}

}  // namespace remit::fuzz
