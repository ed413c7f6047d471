#pragma once
// Entry points for remit's own hand-written input handling outside the iOS
// decoders: the in-memory SQLite opener with WAL replay, entry-name
// normalisation, and the scope-file reader. Shared by the libFuzzer targets
// (fuzz/core_*_fuzz.cpp, clang-16, REMIT_FUZZ=ON) and by the gcc test that
// replays their corpora and regressions (tests/core_fuzz_replay_test.cpp).
// Each returns normally for any input; a crash, sanitizer report or abort()
// is a bug. Beyond "no crash", each checks invariants a fuzzer cannot see.

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <span>
#include <string>
#include <string_view>

#include "remit/evidence_db.hpp"
#include "remit/party.hpp"
#include "remit/scope.hpp"
#include "remit/source.hpp"

namespace remit::fuzz_core {

inline void check(bool ok) {
  if (!ok) std::abort();
}

// A database image and its WAL: the first two bytes give the length of the
// main part (little-endian, modulo the input size), the rest is the WAL.
// Whatever opens must answer schema questions and scan every table without
// crashing; a failed open must say why.
inline void wal_one(const uint8_t* data, size_t size) {
  if (size < 2) return;
  const size_t body = size - 2;
  const size_t split =
      body == 0 ? 0 : (static_cast<size_t>(data[0]) | (static_cast<size_t>(data[1]) << 8)) % (body + 1);
  Bytes main(data + 2, data + 2 + split);
  Bytes wal(data + 2 + split, data + size);
  auto db = EvidenceDb::open(std::move(main), wal.empty() ? std::nullopt : std::optional<Bytes>(std::move(wal)),
                             std::nullopt, "fuzz.db");
  if (!db) {
    check(!db.error().message.empty());
    return;
  }
  int tables = 0;
  for (const auto& t : db->tables()) {
    if (++tables > 16) break;
    (void)db->columns(t);
    (void)db->count_rows(t);
    auto st = db->prepare("SELECT * FROM " + quote_ident(t));
    if (!st) continue;
    for (int rows = 0; rows < 1000 && st->step(); ++rows) {
      for (int c = 0; c < st->column_count(); ++c) {
        (void)st->text(c);
        (void)st->raw_text(c);
        (void)st->blob(c);
      }
    }
  }
}

// Entry names: whatever comes out is safe to match on and never escapes.
inline void entry_path_one(const uint8_t* data, size_t size) {
  const std::string_view raw(reinterpret_cast<const char*>(data), size);
  auto p = normalise_entry_path(raw);
  if (!p) return;
  check(p->find('\0') == std::string::npos);
  check(p->empty() || p->front() != '/');
  check(*p != ".." && p->rfind("../", 0) != 0 && p->find("/../") == std::string::npos &&
        !(p->size() >= 3 && p->compare(p->size() - 3, 3, "/..") == 0));
}

// Scope files: a parsed scope lints, builds a matcher, renders, and the
// rendering parses back to a scope that lints the same way.
inline void scope_one(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto scope = parse_scope(text, "fuzz.toml");
  if (!scope) {
    check(!scope.error().message.empty());
    return;
  }
  const auto findings = lint_scope(*scope, builtin_policy());
  PartyNormaliser parties("GB");
  ScopeMatcher matcher(*scope, parties);
  (void)matcher.match(Item{});
  const std::string rendered = render_scope_toml(*scope);
  auto again = parse_scope(rendered, "fuzz-rendered.toml");
  check(again.ok());
  check(has_errors(lint_scope(*again, builtin_policy())) == has_errors(findings));
}

}  // namespace remit::fuzz_core
