// Deterministic PRNG (src/synth/prng.hpp).
#include "synth/prng.hpp"

#include <cmath>

namespace remit::synth {

uint64_t derive_seed(uint64_t seed, std::string_view label, uint64_t index) noexcept {
  uint64_t st = seed ^ 0x5d1c0ffee0ddba11ULL;
  uint64_t a = splitmix64(st);
  st ^= fnv1a64(label);
  uint64_t b = splitmix64(st);
  st ^= index * 0x9e3779b97f4a7c15ULL;
  uint64_t c = splitmix64(st);
  return a ^ (b << 1) ^ (c >> 1) ^ c;
}

Rng::Rng(uint64_t seed) noexcept {
  uint64_t st = seed;
  for (auto& w : s_) w = splitmix64(st);
  if ((s_[0] | s_[1] | s_[2] | s_[3]) == 0) s_[0] = 1;
}

static inline uint64_t rotl(uint64_t x, int k) {
  return (x << k) | (x >> (64 - k));
}

uint64_t Rng::next() noexcept {
  const uint64_t result = rotl(s_[1] * 5, 7) * 9;
  const uint64_t t = s_[1] << 17;
  s_[2] ^= s_[0];
  s_[3] ^= s_[1];
  s_[1] ^= s_[2];
  s_[0] ^= s_[3];
  s_[2] ^= t;
  s_[3] = rotl(s_[3], 45);
  return result;
}

uint64_t Rng::below(uint64_t n) noexcept {
  if (n == 0) return 0;
  const uint64_t limit = UINT64_MAX - (UINT64_MAX % n);
  uint64_t x;
  do {
    x = next();
  } while (x >= limit);
  return x % n;
}

int64_t Rng::range(int64_t lo, int64_t hi) noexcept {
  if (hi <= lo) return lo;
  return lo + static_cast<int64_t>(below(static_cast<uint64_t>(hi - lo) + 1));
}

double Rng::unit() noexcept {
  return static_cast<double>(next() >> 11) * 0x1.0p-53;
}

uint32_t Rng::poisson(double mean) noexcept {
  if (mean <= 0) return 0;
  if (mean > 30) {
    // Box-Muller normal approximation.
    double u1 = unit(), u2 = unit();
    if (u1 < 1e-12) u1 = 1e-12;
    const double z = std::sqrt(-2.0 * std::log(u1)) * std::cos(2 * M_PI * u2);
    const double v = std::round(mean + z * std::sqrt(mean));
    return v < 0 ? 0 : static_cast<uint32_t>(v);
  }
  const double l = std::exp(-mean);
  uint32_t k = 0;
  double p = 1.0;
  do {
    ++k;
    p *= unit();
  } while (p > l);
  return k - 1;
}

size_t Rng::weighted(std::span<const double> weights) noexcept {
  double total = 0;
  for (double w : weights) total += w > 0 ? w : 0;
  if (total <= 0) return 0;
  double r = unit() * total;
  for (size_t i = 0; i < weights.size(); ++i) {
    const double w = weights[i] > 0 ? weights[i] : 0;
    if (r < w) return i;
    r -= w;
  }
  return weights.size() - 1;
}

void Rng::fill(unsigned char* data, size_t n) noexcept {
  // Little-endian byte order on every platform, so output never depends on
  // the host's endianness.
  while (n >= 8) {
    const uint64_t x = next();
    for (int i = 0; i < 8; ++i) data[i] = static_cast<unsigned char>(x >> (8 * i));
    data += 8;
    n -= 8;
  }
  if (n) {
    const uint64_t x = next();
    for (size_t i = 0; i < n; ++i) data[i] = static_cast<unsigned char>(x >> (8 * i));
  }
}

std::string Rng::hex(size_t nbytes, bool upper) noexcept {
  static constexpr char kU[] = "0123456789ABCDEF";
  static constexpr char kL[] = "0123456789abcdef";
  const char* d = upper ? kU : kL;
  std::string out;
  out.reserve(nbytes * 2);
  for (size_t i = 0; i < nbytes; ++i) {
    const auto b = static_cast<unsigned>(next() & 0xff);
    out.push_back(d[b >> 4]);
    out.push_back(d[b & 15]);
  }
  return out;
}

}  // namespace remit::synth
