// Shared Source behaviour and path normalisation (include/remit/source.hpp).
// Prefix facts: artifacts.md "Containers and paths" — filesystem1/ is "/",
// filesystem2/ is "/private/var" (Cellebrite/iLEAPP full file system dumps).
#include "remit/source.hpp"

#include <algorithm>

#include "remit/text.hpp"

namespace remit {

std::string_view to_string(SourceKind k) noexcept {
  switch (k) {
    case SourceKind::folder:
      return "folder";
    case SourceKind::tar:
      return "tar";
    case SourceKind::zip:
      return "zip";
    case SourceKind::itunes_backup:
      return "itunes_backup";
    case SourceKind::ufdr:
      return "ufdr";
  }
  return "unknown";
}

std::optional<std::string> normalise_entry_path(std::string_view raw) {
  if (raw.find('\0') != std::string_view::npos) return std::nullopt;
  std::string s(raw);
  std::replace(s.begin(), s.end(), '\\', '/');
  std::vector<std::string_view> segs;
  for (std::string_view seg : split(s, '/')) {
    if (seg.empty() || seg == ".") continue;
    if (seg == "..") return std::nullopt;
    segs.push_back(seg);
  }
  std::string out;
  size_t first = 0;
  if (!segs.empty() && (segs[0] == "filesystem1" || segs[0] == "fs")) {
    first = 1;
  } else if (!segs.empty() && segs[0] == "filesystem2") {
    out = "private/var";
    first = 1;
  } else if (segs.size() >= 2 && segs[0] == "var" && segs[1] == "mobile") {
    out = "private";
  }
  for (size_t i = first; i < segs.size(); ++i) {
    if (!out.empty()) out.push_back('/');
    out.append(segs[i]);
  }
  return out;
}

bool path_has_suffix(std::string_view path, std::string_view suffix) noexcept {
  while (!suffix.empty() && suffix.front() == '/') suffix.remove_prefix(1);
  if (suffix.empty() || path.size() < suffix.size()) return false;
  if (path.substr(path.size() - suffix.size()) != suffix) return false;
  return path.size() == suffix.size() || path[path.size() - suffix.size() - 1] == '/';
}

std::string Source::display_name() const {
  auto p = location_;
  while (!p.empty() && !p.has_filename() && p.has_parent_path() && p != p.parent_path()) p = p.parent_path();
  std::string n = p.filename().string();
  return n.empty() ? location_.string() : n;
}

void Source::finish_index() {
  // Later entries with the same path shadow earlier ones (tar semantics).
  std::vector<std::pair<std::string_view, uint32_t>> all;
  for (uint32_t i = 0; i < entries_.size(); ++i) {
    entries_[i].ordinal = i;
    if (entries_[i].type == EntryType::file && !entries_[i].path.empty()) all.emplace_back(entries_[i].path, i);
  }
  std::stable_sort(all.begin(), all.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  by_path_.clear();
  for (size_t i = 0; i < all.size(); ++i) {
    if (i + 1 < all.size() && all[i + 1].first == all[i].first) {
      entries_[all[i].second].duplicate = true;
      note("duplicate", entries_[all[i].second].name,
           "entry name occurs more than once; the later entry is used, this one is shadowed");
      continue;
    }
    by_path_.push_back(all[i]);
  }
}

const Entry* Source::find(std::string_view logical_path) const noexcept {
  auto it = std::lower_bound(by_path_.begin(), by_path_.end(), logical_path,
                             [](const auto& a, std::string_view b) { return a.first < b; });
  if (it == by_path_.end() || it->first != logical_path) return nullptr;
  return &entries_[it->second];
}

std::vector<const Entry*> Source::find_suffix(std::string_view suffix) const {
  std::vector<const Entry*> out;
  for (const auto& [path, idx] : by_path_)
    if (path_has_suffix(path, suffix)) out.push_back(&entries_[idx]);
  return out;
}

}  // namespace remit
