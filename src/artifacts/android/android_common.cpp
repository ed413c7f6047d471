// Helpers shared by the Android parsers (android_common.hpp).
#include "artifacts/android/android_common.hpp"

#include <fmt/format.h>

#include "remit/text.hpp"

namespace remit::artifacts::android {

std::string_view base_name(std::string_view path) noexcept {
  const auto slash = path.find_last_of("/\\");
  return slash == std::string_view::npos ? path : path.substr(slash + 1);
}

std::string_view dir_name(std::string_view path) noexcept {
  const auto slash = path.find_last_of('/');
  return slash == std::string_view::npos ? std::string_view() : path.substr(0, slash);
}

FileIndex::FileIndex(const Source& source, const std::function<bool(std::string_view)>& keep) : source_(source) {
  for (const Entry& e : source.entries()) {
    if (e.type != EntryType::file || e.duplicate || e.path.empty()) continue;
    if (keep && !keep(e.path)) continue;
    by_name_[base_name(e.path)].push_back(&e);
    ++files_;
  }
}

namespace {

// Number of trailing '/'-separated segments two paths share (case-sensitive).
size_t common_tail_segments(std::string_view a, std::string_view b) {
  size_t segs = 0;
  while (!a.empty() && !b.empty()) {
    const auto na = base_name(a);
    const auto nb = base_name(b);
    if (na != nb) break;
    ++segs;
    a = a.size() > na.size() ? a.substr(0, a.size() - na.size() - 1) : std::string_view();
    b = b.size() > nb.size() ? b.substr(0, b.size() - nb.size() - 1) : std::string_view();
  }
  return segs;
}

}  // namespace

const Entry* FileIndex::resolve(std::string_view device_path, size_t min_segments) const {
  std::string p(trim(device_path));
  for (char& c : p)
    if (c == '\\') c = '/';
  if (p.rfind("file://", 0) == 0) p.erase(0, 7);
  if (p.empty()) return nullptr;
  if (auto norm = normalise_entry_path(p)) {
    if (const Entry* e = source_.find(*norm)) return e;
  }
  auto it = by_name_.find(base_name(p));
  if (it == by_name_.end()) return nullptr;
  const Entry* best = nullptr;
  size_t best_segs = 0;
  for (const Entry* e : it->second) {
    const size_t segs = common_tail_segments(e->path, p);
    if (segs > best_segs) {
      best = e;
      best_segs = segs;
    }
  }
  return best_segs >= min_segments ? best : nullptr;
}

const Entry* resolve_attachment(ParseContext& ctx, const FileIndex& index, std::string_view device_path, FileRef& ref,
                                size_t min_segments) {
  if (ref.name.empty()) ref.name = std::string(device_path);
  const Entry* hit = device_path.empty() ? nullptr : index.resolve(device_path, min_segments);
  if (!hit) {
    ref.missing = true;
    ref.path.clear();
    return nullptr;
  }
  const std::string candidates[] = {hit->path};
  return ctx.resolve_file(ref, candidates);
}

Columns::Columns(const EvidenceDb& db, std::string_view table) {
  present_ = db.has_table(table);
  if (present_) cols_ = db.columns(table);
}

bool Columns::has(std::string_view column) const {
  for (const auto& c : cols_)
    if (iequals(c, column)) return true;
  return false;
}

std::string Columns::col(std::string_view alias, std::string_view column, std::vector<std::string>* missing) const {
  if (has(column)) return std::string(alias) + "." + quote_ident(column);
  if (missing) missing->emplace_back(column);
  // The integer primary key is an alias of rowid in Android databases; keep
  // row identities when a damaged schema lost the column.
  if (present_ && iequals(column, "_id")) return std::string(alias) + ".rowid";
  return "NULL";
}

void TextReader::report(ParseContext& ctx) {
  if (bad_ == 0) return;
  ctx.warn("bad_utf8", fmt::format("{} invalid UTF-8 sequences in text columns were replaced with U+FFFD", bad_), bad_);
  bad_ = 0;
}

int64_t rows_in(const EvidenceDb& db, std::string_view table) {
  return db.count_rows(table);
}

Party PartyCache::get(const std::string& raw, PartyRole role, const std::string& name) {
  Party p;
  p.raw = raw;
  p.role = role;
  p.name = name;
  auto it = ids_.find(raw);
  if (it == ids_.end()) it = ids_.emplace(raw, ctx_.parties().normalise(raw)).first;
  p.kind = it->second.kind;
  p.normalised = it->second.value;
  return p;
}

}  // namespace remit::artifacts::android
