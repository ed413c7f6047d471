// ParseContext (include/remit/parser.hpp).
#include <fmt/format.h>

#include "remit/hash.hpp"
#include "remit/parser.hpp"

namespace remit {

ParseContext::ParseContext(ParseEnv& env, const Parser& parser, const Entry& entry)
    : env_(env), parser_(parser), entry_(entry) {}

namespace {
size_t sanitize_item(Item& it) {
  size_t bad = sanitize_utf8(it.body) + sanitize_utf8(it.title) + sanitize_utf8(it.url) + sanitize_utf8(it.thread_id) +
               sanitize_utf8(it.thread_name) + sanitize_utf8(it.service);
  for (auto& p : it.parties)
    bad += sanitize_utf8(p.raw) + sanitize_utf8(p.name) + sanitize_utf8(p.label) + sanitize_utf8(p.normalised);
  for (auto& a : it.attachments) bad += sanitize_utf8(a.name) + sanitize_utf8(a.path) + sanitize_utf8(a.mime);
  if (it.file) bad += sanitize_utf8(it.file->name) + sanitize_utf8(it.file->path) + sanitize_utf8(it.file->mime);
  for (auto& [k, v] : it.extra) bad += sanitize_utf8(k) + sanitize_utf8(v);
  bad += sanitize_utf8(it.time.raw) + sanitize_utf8(it.provenance.row) + sanitize_utf8(it.provenance.entry_name);
  for (auto& t : it.other_times) bad += sanitize_utf8(t.time.raw);
  return bad;
}
}  // namespace

void ParseContext::emit(Item&& item) {
  auto& p = item.provenance;
  if (p.container.empty()) p.container = env_.source.display_name();
  if (p.parser.empty()) p.parser = std::string(parser_.name());
  if (p.parser_version.empty()) p.parser_version = std::string(parser_.version());
  if (p.path.empty()) p.path = entry_.path;
  if (p.entry_name.empty()) p.entry_name = entry_.name;
  const size_t bad = sanitize_item(item);
  if (bad > 0) {
    bad_utf8_ += bad;
    if (!bad_utf8_warned_) {
      bad_utf8_warned_ = true;
      warn("bad_utf8", "invalid UTF-8 replaced with U+FFFD", bad);
    }
  }
  ++emitted_;
  env_.items(std::move(item));
}

void ParseContext::warn(std::string code, std::string message, uint64_t count, std::string path) {
  Warning w;
  w.parser = std::string(parser_.name());
  w.path = path.empty() ? entry_.path : std::move(path);
  w.code = std::move(code);
  w.message = std::move(message);
  w.count = count;
  if (env_.warnings) env_.warnings(std::move(w));
}

Result<EvidenceDb> ParseContext::open_db(const Entry* e, std::optional<uint64_t> upto_commit) {
  const Entry& db = e ? *e : entry_;
  auto main = env_.source.read(db, 4ULL << 30);
  if (!main) return main.error();
  std::optional<Bytes> wal, journal;
  if (const Entry* w = env_.source.find(db.path + "-wal")) {
    auto b = env_.source.read(*w, 4ULL << 30);
    if (b)
      wal = std::move(*b);
    else
      warn("sidecar_unreadable", "the -wal file could not be read: " + b.error().message, 1, db.path);
  }
  if (const Entry* j = env_.source.find(db.path + "-journal")) {
    auto b = env_.source.read(*j, 4ULL << 30);
    if (b)
      journal = std::move(*b);
    else
      warn("sidecar_unreadable", "the -journal file could not be read: " + b.error().message, 1, db.path);
  }
  auto r = EvidenceDb::open(std::move(*main), std::move(wal), std::move(journal), db.path, upto_commit);
  if (r && !upto_commit) {
    for (const auto& n : r->notes()) warn("sqlite_note", n, 1, db.path);
  }
  return r;
}

Provenance ParseContext::provenance(std::string table, std::string row, const Entry* e) const {
  const Entry& src = e ? *e : entry_;
  Provenance p;
  p.container = env_.source.display_name();
  p.path = src.path;
  p.entry_name = src.name;
  p.table = std::move(table);
  p.row = std::move(row);
  p.parser = std::string(parser_.name());
  p.parser_version = std::string(parser_.version());
  return p;
}

Party ParseContext::party(std::string raw, PartyRole role, std::string name, bool is_owner) const {
  Party p;
  p.raw = std::move(raw);
  p.role = role;
  p.name = std::move(name);
  p.is_owner = is_owner;
  env_.parties.fill(p);
  return p;
}

const Entry* ParseContext::sibling(std::string_view name, const Entry* e) const {
  const Entry& base = e ? *e : entry_;
  const auto slash = base.path.rfind('/');
  const std::string dir = slash == std::string::npos ? std::string() : base.path.substr(0, slash + 1);
  return env_.source.find(dir + std::string(name));
}

std::optional<Bytes> ParseContext::read(const Entry& e, uint64_t limit) {
  auto b = env_.source.read(e, limit);
  if (!b) {
    warn("unreadable", b.error().message, 1, e.path);
    return std::nullopt;
  }
  return std::move(*b);
}

std::string ParseContext::sha256(const Entry& e) {
  if (!e.sha256.empty()) return e.sha256;  // computed by the source while indexing
  if (auto it = env_.hash_cache.find(e.ordinal); it != env_.hash_cache.end()) return it->second;
  Hasher h;
  auto st = env_.source.stream(e, [&](std::span<const unsigned char> chunk) {
    h.update(chunk);
    return true;
  });
  if (!st) {
    warn("unreadable", st.error().message, 1, e.path);
    return {};
  }
  std::string hex = h.hex_final();
  env_.hash_cache.emplace(e.ordinal, hex);
  return hex;
}

const Entry* ParseContext::resolve_file(FileRef& ref, std::span<const std::string> candidates) {
  for (const auto& c : candidates) {
    if (c.empty()) continue;
    const Entry* hit = nullptr;
    if (c.rfind("*/", 0) == 0) {
      auto v = env_.source.find_suffix(std::string_view(c).substr(2));
      if (!v.empty()) hit = v.front();
    } else {
      auto norm = normalise_entry_path(c);
      if (norm) hit = env_.source.find(*norm);
    }
    if (!hit) continue;
    ref.path = hit->path;
    ref.size = hit->size;
    ref.missing = false;
    if (env_.hash_files) ref.sha256 = sha256(*hit);
    return hit;
  }
  ref.missing = true;
  return nullptr;
}

}  // namespace remit
