// libFuzzer target: remit::fuzz::keybag_one (fuzz/ios_fuzz_entry.hpp).
// Build: configure with clang-16 and -DREMIT_FUZZ=ON (docs in fuzz/README.md).
#include "ios_fuzz_entry.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  remit::fuzz::keybag_one(data, size);
  return 0;
}
