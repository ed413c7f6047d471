#pragma once
// Real JPEG files for synthetic extractions: pixels encoded with libjpeg
// (libjpeg62-turbo), EXIF written with exiv2 (DateTimeOriginal,
// OffsetTimeOriginal, GPS), and optional padding inside the file (APP15
// segments after the EXIF segment) so a run can reach --size with files
// that stay valid JPEGs.
//
// Pure functions of their inputs (deterministic). Thread-compatible; exiv2
// and libjpeg state is per call.

#include <cstdint>
#include <optional>
#include <string>

#include "remit/status.hpp"
#include "synth/output.hpp"

namespace remit::synth {

struct ExifInfo {
  std::string make = "Google", model = "Pixel 7a";
  std::string datetime_original;  // "2026:03:13 21:04:05" (local); empty: no EXIF at all
  std::string offset;             // "+01:00"; empty: no OffsetTimeOriginal
  std::optional<double> lat,
      lon;  // written as degrees/minutes/seconds rationals
};

// GPS coordinates as EXIF stores them (deg/1, min/1, sec*10000/10000), and
// the decimal value a reader computes back from those rationals.
struct ExifGps {
  uint32_t deg = 0, min = 0, sec_e4 = 0;  // seconds x 10000
  bool negative = false;
  [[nodiscard]] double decimal() const;
};
[[nodiscard]] ExifGps to_exif_gps(double v);

// A procedural image (gradient and shapes drawn from `seed`) as a baseline
// JPEG without a JFIF header (camera style: EXIF APP1 goes first).
[[nodiscard]] Result<std::string> encode_jpeg(int width, int height, uint64_t seed, int quality = 80);
// Adds EXIF to a JPEG (no-op when datetime_original is empty).
[[nodiscard]] Result<std::string> add_exif(const std::string& jpeg, const ExifInfo& exif);

// A JPEG split where padding may go: `head` = SOI + leading APPn segments,
// `tail` = the rest. padded_size() tells the file size for a padding
// amount (0 or >= 4 bytes; smaller amounts are rounded down to 0).
struct PaddableJpeg {
  std::string head, tail;
  [[nodiscard]] static Result<PaddableJpeg> split(std::string jpeg);
  [[nodiscard]] static uint64_t usable_padding(uint64_t pad) noexcept { return pad < 4 ? 0 : pad; }
  [[nodiscard]] uint64_t size(uint64_t pad) const noexcept { return head.size() + usable_padding(pad) + tail.size(); }
  // Streams head, padding (APP15 segments of pseudo-random bytes drawn
  // from `seed`) and tail into the sink.
  [[nodiscard]] Status write(ByteSink& sink, uint64_t pad, uint64_t seed) const;
};

}  // namespace remit::synth
