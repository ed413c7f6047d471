// Replays the iOS decoders' fuzz corpora and regressions
// (fuzz/corpus/<target>/, fuzz/regressions/<target>/) through the same entry
// points the libFuzzer targets use (fuzz/ios_fuzz_entry.hpp), as an ordinary
// gcc test, so every input a fuzzer ever kept or crashed on runs in CI.
#include <gtest/gtest.h>

#include "../fuzz/ios_fuzz_entry.hpp"
#include "support/support.hpp"

namespace remit::test {
namespace {

TEST(IosFuzzReplay, Typedstream) {
  EXPECT_GT(replay_fuzz_inputs("ios_typedstream", fuzz::typedstream_one), 0u);
}
TEST(IosFuzzReplay, KeyedArchive) {
  EXPECT_GT(replay_fuzz_inputs("ios_keyed_archive", fuzz::keyed_archive_one), 0u);
}
TEST(IosFuzzReplay, Keybag) {
  EXPECT_GT(replay_fuzz_inputs("ios_keybag", fuzz::keybag_one), 0u);
}

}  // namespace
}  // namespace remit::test
