#pragma once
#include <cstdint>
#include <optional>
#include <span>
#include <string>

#include "remit/parser.hpp"

namespace remit::artifacts {

// android.media: one `media` item per photo, video or audio file in the
// camera folders (DCIM), Pictures/Movies and WhatsApp's media folders.
// Time from EXIF DateTimeOriginal (+ OffsetTimeOriginal), place from EXIF
// GPS, video time and length from the MP4 `mvhd` box, else the file's
// mtime marked as a weaker source (docs/formats/android-media.md).
class AndroidMediaParser final : public Parser {
 public:
  std::string_view name() const noexcept override;
  std::string_view version() const noexcept override;
  std::span<const std::string_view> references() const noexcept override;
  std::span<const Category> categories() const noexcept override;
  void parse(ParseContext& ctx) const override;
};

namespace media_detail {

// Parsed "YYYY:MM:DD HH:MM:SS" (EXIF) into ms since 1970 as if UTC;
// nullopt when malformed or out of range.
[[nodiscard]] std::optional<int64_t> exif_local_ms(std::string_view text);
// "+01:00", "-0530", "Z" -> minutes east of UTC; nullopt when malformed.
[[nodiscard]] std::optional<int> exif_offset_min(std::string_view text);

struct Mp4Info {
  std::optional<uint64_t> creation_1904_s;  // mvhd creation_time (0 = unset is dropped)
  std::optional<double> duration_s;
  bool found_mvhd = false;
};

// Incremental ISO-BMFF scanner that finds moov/mvhd in a byte stream
// without buffering anything but the moov box (bounded). Hostile input
// never makes it read out of bounds or allocate more than `moov_limit`.
class Mp4Scanner {
 public:
  explicit Mp4Scanner(uint64_t moov_limit = 64ULL << 20) : moov_limit_(moov_limit) {}
  // Feeds the next chunk; returns false once the answer is known (stop).
  bool feed(std::span<const unsigned char> chunk);
  [[nodiscard]] const Mp4Info& info() const noexcept { return info_; }
  [[nodiscard]] bool failed() const noexcept { return failed_; }

 private:
  void parse_moov();
  uint64_t moov_limit_;
  Mp4Info info_;
  bool failed_ = false, done_ = false;
  unsigned char hdr_[16]{};
  size_t hdr_len_ = 0;
  uint64_t skip_ = 0;  // bytes of the current non-moov box still to skip
  bool in_moov_ = false, to_eof_ = false;
  uint64_t moov_left_ = 0;
  std::string moov_;
  uint64_t pos_ = 0;
};

}  // namespace media_detail

}  // namespace remit::artifacts
