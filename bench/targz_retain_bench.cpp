// Measures the two ways to read databases from a compressed tar (no random
// access): (A) keep the wanted entries in memory during the one indexing
// pass, (B) index without keeping them and decompress a second time to read
// them. Usage: targz_retain_bench FILE.tar.gz  (docs/sources.md records the
// result). Prints wall seconds for each and the ratio B/A.
#include <chrono>
#include <cstdio>

#include "remit/registry.hpp"
#include "remit/source.hpp"

namespace {
double seconds_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

double run(const char* path, bool retain) {
  const auto t0 = std::chrono::steady_clock::now();
  remit::SourceOptions so;
  so.hash_container = false;
  if (retain) so.retain = remit::is_wanted_path;
  auto src = remit::open_source(path, so);
  if (!src) {
    std::fprintf(stderr, "%s\n", src.error().message.c_str());
    return -1;
  }
  size_t bytes = 0;
  for (const auto& d : remit::detect_artifacts(**src)) {
    auto b = (*src)->read(*d.entry, 4ULL << 30);
    if (b) bytes += b->size();
  }
  const double s = seconds_since(t0);
  std::printf("%-28s %.3f s (%zu database bytes read)\n", retain ? "A: keep during index pass" : "B: decompress twice",
              s, bytes);
  return s;
}
}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: %s FILE.tar.gz\n", argv[0]);
    return 2;
  }
  const double a = run(argv[1], true);
  const double b = run(argv[1], false);
  const double a2 = run(argv[1], true);
  const double b2 = run(argv[1], false);
  std::printf("ratio B/A: %.2f\n", (b + b2) / (a + a2));
  return 0;
}
