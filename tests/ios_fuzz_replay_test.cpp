// Replays the iOS decoders' fuzz corpora and regressions
// (fuzz/corpus/<target>/, fuzz/regressions/<target>/) through the same entry
// points the libFuzzer targets use (fuzz/ios_fuzz_entry.hpp), as an ordinary
// gcc test, so every input a fuzzer ever kept or crashed on runs in CI.
#include <gtest/gtest.h>

#include "../fuzz/ios_fuzz_entry.hpp"
#include "support/support.hpp"

namespace remit::test {
namespace {

using EntryFn = void (*)(const uint8_t*, size_t);

size_t replay(const std::string& target, EntryFn fn) {
  size_t n = 0;
  for (const char* kind : {"corpus", "regressions"}) {
    const fs::path dir = fs::path(REMIT_SOURCE_DIR) / "fuzz" / kind / target;
    if (!fs::is_directory(dir)) continue;
    for (const auto& e : fs::directory_iterator(dir)) {
      if (!e.is_regular_file()) continue;
      const std::string bytes = read_file(e.path());
      SCOPED_TRACE(e.path().string());
      fn(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size());
      ++n;
    }
  }
  return n;
}

TEST(IosFuzzReplay, Typedstream) { EXPECT_GT(replay("ios_typedstream", fuzz::typedstream_one), 0u); }
TEST(IosFuzzReplay, KeyedArchive) { EXPECT_GT(replay("ios_keyed_archive", fuzz::keyed_archive_one), 0u); }
TEST(IosFuzzReplay, Keybag) { EXPECT_GT(replay("ios_keybag", fuzz::keybag_one), 0u); }

}  // namespace
}  // namespace remit::test
