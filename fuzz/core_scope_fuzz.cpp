// libFuzzer target: remit::fuzz_core::scope_one (fuzz/core_fuzz_entry.hpp).
// Build: configure with clang-16 and -DREMIT_FUZZ=ON (fuzz/README.md).
#include "core_fuzz_entry.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  remit::fuzz_core::scope_one(data, size);
  return 0;
}
