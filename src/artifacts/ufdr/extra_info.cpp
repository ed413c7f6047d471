// ExtraInfoIndex and ExtraInfoScanner (extra_info.hpp).
#include "artifacts/ufdr/extra_info.hpp"

#include <algorithm>
#include <cstring>

namespace remit::ufdr {

uint64_t id_hash(std::string_view id) noexcept {
  uint64_t h = 0xcbf29ce484222325ULL;
  for (const char c : id) {
    h ^= static_cast<unsigned char>(c);
    h *= 0x100000001b3ULL;
  }
  h ^= h >> 30;
  h *= 0xbf58476d1ce4e5b9ULL;
  h ^= h >> 27;
  h *= 0x94d049bb133111ebULL;
  h ^= h >> 31;
  return h;
}

uint32_t ExtraInfoIndex::intern(const std::string& s) {
  auto [it, inserted] = ids_.try_emplace(s, static_cast<uint32_t>(strings_.size()));
  if (inserted) strings_.push_back(s);
  return it->second;
}

void ExtraInfoIndex::add(const ExtraInfo& info) {
  if (info.id.empty() || (info.path.empty() && info.table.empty())) return;
  recs_.push_back(Rec{id_hash(info.id), intern(info.path), intern(info.table)});
}

void ExtraInfoIndex::seal() {
  std::stable_sort(recs_.begin(), recs_.end(), [](const Rec& a, const Rec& b) { return a.key < b.key; });
  recs_.shrink_to_fit();
}

std::optional<ExtraInfoIndex::Hit> ExtraInfoIndex::find(std::string_view model_id) const {
  if (model_id.empty() || recs_.empty()) return std::nullopt;
  const uint64_t k = id_hash(model_id);
  auto it = std::lower_bound(recs_.begin(), recs_.end(), k, [](const Rec& r, uint64_t key) { return r.key < key; });
  if (it == recs_.end() || it->key != k) return std::nullopt;
  return Hit{strings_[it->path], strings_[it->table]};
}

size_t ExtraInfoIndex::memory_bytes() const noexcept {
  size_t n = recs_.capacity() * sizeof(Rec);
  for (const auto& s : strings_) n += 2 * s.capacity() + 64;
  return n;
}

// One expat parser for every captured element: the elements are fed as the
// children of a synthetic root.
struct ExtraInfoScanner::Parser final : ReportListener {
  std::function<void(ExtraInfo&&)>& sink;
  ReportReader reader;
  bool open = false;
  explicit Parser(std::function<void(ExtraInfo&&)>& s) : sink(s), reader(*this) {}
  void extra_info(ExtraInfo&& info) override { sink(std::move(info)); }
  bool feed(std::string_view bytes) {
    if (!open) {
      open = true;
      constexpr std::string_view kRoot = "<extraInfoScan>";
      if (!reader.feed({reinterpret_cast<const unsigned char*>(kRoot.data()), kRoot.size()})) return false;
    }
    return reader.feed({reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size()});
  }
};

namespace {
constexpr std::string_view kCdata = "<![CDATA[";
constexpr std::string_view kComment = "<!--";
constexpr std::string_view kTag = "<extraInfo";
constexpr std::string_view kEnd = "</extraInfo>";
constexpr size_t kMaxElement = 1u << 20;
}  // namespace

ExtraInfoScanner::ExtraInfoScanner(std::function<void(ExtraInfo&&)> sink)
    : sink_(std::move(sink)), parser_(std::make_unique<Parser>(sink_)) {}
ExtraInfoScanner::~ExtraInfoScanner() = default;

void ExtraInfoScanner::captured() {
  ++found_;
  if (!parser_->feed(capture_)) ++abandoned_;
  capture_.clear();
  mode_ = Mode::text;
  m_cdata_ = m_comment_ = m_tag_ = close_ = m_end_ = 0;
}

// Text mode: track the three openings in parallel.
void ExtraInfoScanner::open_match(unsigned char c) {
  auto step = [c](size_t m, std::string_view pat) -> size_t {
    if (m < pat.size() && c == static_cast<unsigned char>(pat[m])) return m + 1;
    return c == '<' ? 1 : 0;
  };
  if (m_tag_ == kTag.size()) {
    // "<extraInfo" must be followed by a delimiter ("<extraInfos" is not it).
    if (c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '>' || c == '/') {
      capture_.assign(kTag);
      mode_ = Mode::start_tag;
      quote_ = 0;
      prev_ = 0;
      m_cdata_ = m_comment_ = m_tag_ = 0;
      // Re-handle c inside the start tag.
      capture_.push_back(static_cast<char>(c));
      if (c == '>') mode_ = Mode::content;
      prev_ = c;
      return;
    }
    m_tag_ = 0;
  }
  m_cdata_ = step(m_cdata_, kCdata);
  m_comment_ = step(m_comment_, kComment);
  m_tag_ = step(m_tag_, kTag);
  if (m_cdata_ == kCdata.size()) {
    mode_ = Mode::cdata;
    m_cdata_ = m_comment_ = m_tag_ = close_ = 0;
  } else if (m_comment_ == kComment.size()) {
    mode_ = Mode::comment;
    m_cdata_ = m_comment_ = m_tag_ = close_ = 0;
  }
}

void ExtraInfoScanner::feed(const char* data, size_t n) {
  const auto* p = reinterpret_cast<const unsigned char*>(data);
  size_t i = 0;
  while (i < n) {
    switch (mode_) {
      case Mode::text: {
        if (m_cdata_ == 0 && m_comment_ == 0 && m_tag_ == 0) {
          const void* lt = std::memchr(p + i, '<', n - i);
          if (!lt) return;
          i = static_cast<size_t>(static_cast<const unsigned char*>(lt) - p);
          // Most tags are neither "<!" nor "<e": skip them without matching.
          if (i + 1 < n && p[i + 1] != '!' && p[i + 1] != 'e') {
            i += 2;
            break;
          }
        }
        open_match(p[i++]);
        break;
      }
      case Mode::cdata:
      case Mode::comment: {
        const unsigned char run = mode_ == Mode::cdata ? ']' : '-';
        if (close_ == 0) {
          const void* r = std::memchr(p + i, run, n - i);
          if (!r) return;
          i = static_cast<size_t>(static_cast<const unsigned char*>(r) - p);
        }
        const unsigned char c = p[i++];
        if (c == run)
          close_ = close_ >= 2 ? 2 : close_ + 1;
        else if (c == '>' && close_ == 2)
          mode_ = Mode::text, close_ = 0;
        else
          close_ = 0;
        break;
      }
      case Mode::start_tag: {
        const unsigned char c = p[i++];
        capture_.push_back(static_cast<char>(c));
        if (quote_) {
          if (c == static_cast<unsigned char>(quote_)) quote_ = 0;
        } else if (c == '"' || c == '\'') {
          quote_ = static_cast<char>(c);
        } else if (c == '>') {
          if (prev_ == '/') {
            captured();
            break;
          }
          mode_ = Mode::content;
          m_end_ = 0;
        }
        prev_ = c;
        if (capture_.size() > kMaxElement) {
          ++abandoned_;
          capture_.clear();
          mode_ = Mode::text;
        }
        break;
      }
      case Mode::content: {
        const unsigned char c = p[i++];
        capture_.push_back(static_cast<char>(c));
        m_end_ = (c == static_cast<unsigned char>(kEnd[m_end_])) ? m_end_ + 1 : (c == '<' ? 1 : 0);
        if (m_end_ == kEnd.size()) {
          captured();
          break;
        }
        if (capture_.size() > kMaxElement) {
          ++abandoned_;
          capture_.clear();
          mode_ = Mode::text;
          m_end_ = 0;
        }
        break;
      }
    }
  }
}

void ExtraInfoScanner::finish() {
  if (mode_ == Mode::start_tag || mode_ == Mode::content) ++abandoned_;  // cut off by the end of the stream
  capture_.clear();
  mode_ = Mode::text;
}

}  // namespace remit::ufdr
