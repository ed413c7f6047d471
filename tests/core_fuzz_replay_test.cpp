// Replays the fuzz corpora and regressions of remit's own input handling
// (fuzz/corpus/core_*/, fuzz/regressions/core_*/) through the entry points
// the libFuzzer targets use (fuzz/core_fuzz_entry.hpp), as an ordinary gcc
// test, so every input a fuzzer kept or crashed on runs in CI.
#include <gtest/gtest.h>

#include "../fuzz/core_fuzz_entry.hpp"
#include "support/support.hpp"

namespace remit::test {
namespace {

TEST(CoreFuzzReplay, WalReplay) {
  EXPECT_GT(replay_fuzz_inputs("core_wal", fuzz_core::wal_one), 0u);
}
TEST(CoreFuzzReplay, EntryPath) {
  EXPECT_GT(replay_fuzz_inputs("core_entry_path", fuzz_core::entry_path_one), 0u);
}
TEST(CoreFuzzReplay, ScopeFile) {
  EXPECT_GT(replay_fuzz_inputs("core_scope", fuzz_core::scope_one), 0u);
}

// The WAL seed really carries rows that exist only in the WAL: the entry
// point is exercised on the path that matters, not just on a plain file.
TEST(CoreFuzzReplay, WalSeedHoldsWalOnlyRows) {
  const std::string bytes = read_file(fs::path(REMIT_SOURCE_DIR) / "fuzz/corpus/core_wal/sms_wal_rows");
  ASSERT_GT(bytes.size(), 2u);
  const size_t split = static_cast<unsigned char>(bytes[0]) | (static_cast<unsigned char>(bytes[1]) << 8);
  ASSERT_LT(split + 2, bytes.size());
  Bytes main(bytes.begin() + 2, bytes.begin() + 2 + static_cast<std::ptrdiff_t>(split));
  Bytes wal(bytes.begin() + 2 + static_cast<std::ptrdiff_t>(split), bytes.end());
  auto without = EvidenceDb::open(main, std::nullopt, std::nullopt, "m");
  auto with = EvidenceDb::open(main, wal, std::nullopt, "m");
  ASSERT_TRUE(without.ok() && with.ok());
  EXPECT_EQ(without->count_rows("sms"), 1);
  EXPECT_EQ(with->count_rows("sms"), 2);
}

}  // namespace
}  // namespace remit::test
