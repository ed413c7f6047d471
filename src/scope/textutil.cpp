// Text folding for keyword search (ICU), the police rank ladder, and
// atomic file writes for the scope layer.
//
// References: ICU4C Normalizer2::getNFKCCasefoldInstance (NFKC_Casefold:
// compatibility decomposition + full case folding + removal of default
// ignorables, UAX #15 / UAX #44), getNFDInstance / getNFCInstance;
// General_Category Mn (non-spacing marks) for accent removal. Rank ladder:
// College of Policing rank structure (England and Wales, incl. the
// Metropolitan Police's Commander / Deputy Assistant Commissioner /
// Assistant Commissioner titles).
#include <fcntl.h>
#include <fmt/format.h>
#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <random>

#include "remit/text.hpp"
#include "scope/detail.hpp"

namespace remit::scope_detail {
namespace {

icu::UnicodeString remove_marks(const icu::UnicodeString& in) {
  UErrorCode ec = U_ZERO_ERROR;
  const icu::Normalizer2* nfd = icu::Normalizer2::getNFDInstance(ec);
  const icu::Normalizer2* nfc = icu::Normalizer2::getNFCInstance(ec);
  if (U_FAILURE(ec)) return in;
  const icu::UnicodeString d = nfd->normalize(in, ec);
  if (U_FAILURE(ec)) return in;
  icu::UnicodeString kept;
  for (int32_t i = 0; i < d.length();) {
    const UChar32 c = d.char32At(i);
    if (u_charType(c) != U_NON_SPACING_MARK) kept.append(c);
    i += U16_LENGTH(c);
  }
  icu::UnicodeString out = nfc->normalize(kept, ec);
  return U_FAILURE(ec) ? kept : out;
}

}  // namespace

std::string fold_for_search(std::string_view utf8) {
  UErrorCode ec = U_ZERO_ERROR;
  const icu::UnicodeString u =
      icu::UnicodeString::fromUTF8(icu::StringPiece(utf8.data(), static_cast<int32_t>(utf8.size())));
  const icu::Normalizer2* fold = icu::Normalizer2::getNFKCCasefoldInstance(ec);
  icu::UnicodeString folded = U_SUCCESS(ec) ? fold->normalize(u, ec) : u;
  if (U_FAILURE(ec)) {
    folded = u;
    folded.foldCase(U_FOLD_CASE_DEFAULT);
  }
  std::string out;
  remove_marks(folded).toUTF8String(out);
  return out;
}

std::string strip_accents(std::string_view utf8) {
  const icu::UnicodeString u =
      icu::UnicodeString::fromUTF8(icu::StringPiece(utf8.data(), static_cast<int32_t>(utf8.size())));
  std::string out;
  remove_marks(u).toUTF8String(out);
  return out;
}

int rank_level(std::string_view rank_in) {
  std::string r = ascii_lower(trim(rank_in));
  for (char& c : r)
    if (c == '.' || c == '-' || c == '_') c = ' ';
  // collapse spaces
  std::string s;
  for (char c : r) {
    if (c == ' ' && (s.empty() || s.back() == ' ')) continue;
    s.push_back(c);
  }
  while (!s.empty() && s.back() == ' ') s.pop_back();
  for (bool again = true; again;) {
    again = false;
    for (std::string_view p : {"detective ", "det ", "acting ", "temporary ", "a/", "t/", "police "}) {
      if (s.rfind(p, 0) == 0) {
        s.erase(0, p.size());
        again = true;
      }
    }
  }
  struct R {
    std::string_view name;
    int level;
  };
  static constexpr R kRanks[] = {
      {"constable", 1},
      {"pc", 1},
      {"dc", 1},
      {"sergeant", 2},
      {"sgt", 2},
      {"ps", 2},
      {"ds", 2},
      {"inspector", 3},
      {"insp", 3},
      {"di", 3},
      {"chief inspector", 4},
      {"ch insp", 4},
      {"ci", 4},
      {"dci", 4},
      {"superintendent", 5},
      {"supt", 5},
      {"dsupt", 5},
      {"dsu", 5},
      {"chief superintendent", 6},
      {"ch supt", 6},
      {"chief supt", 6},
      {"dcs", 6},
      {"dchsupt", 6},
      {"commander", 7},
      {"cdr", 7},
      {"assistant chief constable", 7},
      {"acc", 7},
      {"deputy assistant commissioner", 8},
      {"dac", 8},
      {"deputy chief constable", 8},
      {"dcc", 8},
      {"assistant commissioner", 9},
      {"ac", 9},
      {"chief constable", 9},
      {"cc", 9},
      {"deputy commissioner", 10},
      {"commissioner", 11},
  };
  for (const auto& k : kRanks)
    if (s == k.name) return k.level;
  return 0;
}

Status fsync_dir(const std::filesystem::path& dir) {
  const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0)
    return make_error(Errc::io, fmt::format("{}: cannot open folder: {}", dir.string(), std::strerror(errno)));
  const int rc = ::fsync(fd);
  ::close(fd);
  if (rc != 0)
    return make_error(Errc::io, fmt::format("{}: cannot sync folder: {}", dir.string(), std::strerror(errno)));
  return {};
}

Status write_file_atomic(const std::filesystem::path& path, std::string_view data) {
  const std::filesystem::path dir = path.has_parent_path() ? path.parent_path() : std::filesystem::path(".");
  std::random_device rd;
  std::filesystem::path tmp;
  int fd = -1;
  for (int attempt = 0; attempt < 16 && fd < 0; ++attempt) {
    tmp = dir / fmt::format(".{}.tmp-{:08x}", path.filename().string(), rd());
    fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0 && errno != EEXIST) break;
  }
  if (fd < 0) return make_error(Errc::io, fmt::format("{}: cannot create: {}", path.string(), std::strerror(errno)));
  size_t done = 0;
  bool ok = true;
  while (done < data.size()) {
    const ssize_t n = ::write(fd, data.data() + done, data.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      ok = false;
      break;
    }
    done += static_cast<size_t>(n);
  }
  const int saved = errno;
  ok = ok && ::fsync(fd) == 0;
  ok = (::close(fd) == 0) && ok;
  if (!ok || ::rename(tmp.c_str(), path.c_str()) != 0) {
    const int e = ok ? errno : saved;
    ::unlink(tmp.c_str());
    return make_error(Errc::io, fmt::format("{}: cannot write: {}", path.string(), std::strerror(e)));
  }
  return fsync_dir(dir);
}

}  // namespace remit::scope_detail
