// Helpers shared by the iOS parsers (ios_common.hpp).
#include "artifacts/ios/ios_common.hpp"

#include <fmt/format.h>

#include "remit/text.hpp"

namespace remit::artifacts::ios {

std::string clean_label(std::string_view raw) {
  constexpr std::string_view kOpen = "_$!<", kClose = ">!$_";
  if (raw.size() > kOpen.size() + kClose.size() && raw.substr(0, kOpen.size()) == kOpen &&
      raw.substr(raw.size() - kClose.size()) == kClose)
    return ascii_lower(raw.substr(kOpen.size(), raw.size() - kOpen.size() - kClose.size()));
  return std::string(raw);
}

std::string text_or_blob(const Statement& st, int col, size_t* bad_utf8) {
  if (st.type(col) == SqlType::blob) {
    auto b = st.blob(col);
    std::string s(reinterpret_cast<const char*>(b.data()), b.size());
    // Some iOS versions store the address NUL-terminated.
    while (!s.empty() && s.back() == '\0') s.pop_back();
    return s;
  }
  if (st.type(col) == SqlType::text) return st.text(col, bad_utf8);
  return st.raw_text(col);
}

std::string_view dirname(std::string_view path) {
  const auto slash = path.rfind('/');
  return slash == std::string_view::npos ? std::string_view() : path.substr(0, slash);
}

std::string_view basename(std::string_view path) {
  const auto slash = path.rfind('/');
  return slash == std::string_view::npos ? path : path.substr(slash + 1);
}

std::string join_path(std::string_view a, std::string_view b) {
  while (!a.empty() && a.back() == '/') a.remove_suffix(1);
  while (!b.empty() && b.front() == '/') b.remove_prefix(1);
  if (a.empty()) return std::string(b);
  if (b.empty()) return std::string(a);
  std::string s(a);
  s.push_back('/');
  s.append(b);
  return s;
}

std::string mime_from_name(std::string_view name) {
  const auto dot = name.rfind('.');
  if (dot == std::string_view::npos) return {};
  const std::string ext = ascii_lower(name.substr(dot + 1));
  struct M {
    const char* ext;
    const char* mime;
  };
  static constexpr M kTable[] = {
      {"jpg", "image/jpeg"},      {"jpeg", "image/jpeg"}, {"heic", "image/heic"}, {"heif", "image/heif"},
      {"png", "image/png"},       {"gif", "image/gif"},   {"webp", "image/webp"}, {"mov", "video/quicktime"},
      {"mp4", "video/mp4"},       {"m4v", "video/x-m4v"}, {"m4a", "audio/mp4"},   {"caf", "audio/x-caf"},
      {"aac", "audio/aac"},       {"amr", "audio/amr"},   {"opus", "audio/ogg"},  {"mp3", "audio/mpeg"},
      {"pdf", "application/pdf"}, {"vcf", "text/vcard"},  {"txt", "text/plain"},
  };
  for (const auto& m : kTable)
    if (ext == m.ext) return m.mime;
  return {};
}

Party party(ParseContext& ctx, std::string raw, PartyRole role, std::string name, uint64_t& oversized) {
  if (raw.size() <= kMaxIdentifier) return ctx.party(std::move(raw), role, std::move(name));
  ++oversized;
  Party p;
  p.normalised = ascii_lower(raw);
  p.raw = std::move(raw);
  p.role = role;
  p.name = std::move(name);
  p.kind = PartyKind::unknown;
  return p;
}

IdTally::~IdTally() {
  if (enabled_ && oversized_ > 0)
    ctx_.warn("oversized_identifier",
              fmt::format("identifiers longer than {} bytes kept verbatim, not normalised", kMaxIdentifier),
              oversized_);
}

Utf8Tally::~Utf8Tally() {
  if (enabled_ && count_ > 0) ctx_.warn("bad_utf8", "invalid UTF-8 in text columns replaced with U+FFFD", count_);
}

std::optional<Statement> prepare_or_warn(ParseContext& ctx, const EvidenceDb& db, const std::string& sql,
                                         std::string_view table, bool warn) {
  auto st = db.prepare(sql);
  if (!st) {
    if (warn) ctx.warn("unreadable_table", "table " + std::string(table) + ": " + st.error().message);
    return std::nullopt;
  }
  return std::move(*st);
}

std::vector<std::pair<int64_t, std::string>> read_id_text_pairs(const EvidenceDb& db, std::string_view sql) {
  std::vector<std::pair<int64_t, std::string>> out;
  auto st = db.prepare(sql);
  if (!st) return out;
  while (st->step()) out.emplace_back(st->i64(0), st->text(1));
  return out;
}

}  // namespace remit::artifacts::ios
