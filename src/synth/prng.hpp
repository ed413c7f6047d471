#pragma once
// Deterministic pseudo-random numbers for the synthetic generators.
//
// Never seeded from std::random_device or the clock: every stream is a pure
// function of (seed, label...). Streams are derived by label so that adding
// a new artifact module, or drawing more numbers in one place, never shifts
// the numbers another module sees (the life on the phone stays the same
// when only the Chrome history grows, for example).
//
// Algorithms: SplitMix64 for seeding and label mixing (Steele, Lea, Flood
// 2014), xoshiro256** for the streams (Blackman & Vigna 2018).
//
// Rng is a small value type; thread-compatible (one per thread).

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace remit::synth {

// 64-bit FNV-1a, used to turn labels into numbers.
[[nodiscard]] constexpr uint64_t fnv1a64(std::string_view s) noexcept {
  uint64_t h = 0xcbf29ce484222325ULL;
  for (unsigned char c : s) {
    h ^= c;
    h *= 0x100000001b3ULL;
  }
  return h;
}

[[nodiscard]] constexpr uint64_t splitmix64(uint64_t& state) noexcept {
  uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

// Mixes a label (and optional index) into a seed: the seed of a derived stream.
[[nodiscard]] uint64_t derive_seed(uint64_t seed, std::string_view label, uint64_t index = 0) noexcept;

class Rng {
 public:
  explicit Rng(uint64_t seed) noexcept;
  // A stream for (seed, label, index), independent of every other label.
  [[nodiscard]] static Rng derive(uint64_t seed, std::string_view label, uint64_t index = 0) noexcept {
    return Rng(derive_seed(seed, label, index));
  }

  [[nodiscard]] uint64_t next() noexcept;
  // Uniform in [0, n) without modulo bias; n == 0 returns 0.
  [[nodiscard]] uint64_t below(uint64_t n) noexcept;
  // Uniform in [lo, hi] (inclusive); lo <= hi.
  [[nodiscard]] int64_t range(int64_t lo, int64_t hi) noexcept;
  // Uniform double in [0, 1).
  [[nodiscard]] double unit() noexcept;
  [[nodiscard]] bool chance(double p) noexcept { return unit() < p; }
  // Roughly Poisson-distributed count with the given mean (Knuth for small
  // means, a rounded normal approximation above 30).
  [[nodiscard]] uint32_t poisson(double mean) noexcept;
  // Index drawn with the given (non-negative) weights; 0 when all are zero.
  [[nodiscard]] size_t weighted(std::span<const double> weights) noexcept;

  template <class T>
  [[nodiscard]] const T& pick(const std::vector<T>& v) noexcept {
    return v[static_cast<size_t>(below(v.size()))];
  }
  template <class T, size_t N>
  [[nodiscard]] const T& pick(const T (&a)[N]) noexcept {
    return a[static_cast<size_t>(below(N))];
  }

  // Fills a buffer with pseudo-random bytes (fast; for padding).
  void fill(unsigned char* data, size_t n) noexcept;

  // Upper-case hex of n random bytes (WhatsApp key ids, GUIDs).
  [[nodiscard]] std::string hex(size_t nbytes, bool upper = true) noexcept;

 private:
  uint64_t s_[4];
};

}  // namespace remit::synth
