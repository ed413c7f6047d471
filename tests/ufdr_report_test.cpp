// The ufdr.report parser against hand-written report.xml fragments
// (tests/fixtures/ufdr, written from the public structure facts, not from
// remit's writer). Each fixture is zipped into a UFDR here and parsed with
// the real pipeline; expectations are written by hand from the fixture.
#include <gtest/gtest.h>

#include <algorithm>

#include "remit/registry.hpp"
#include "remit/source.hpp"
#include "remit/timeconv.hpp"
#include "support/support.hpp"

namespace remit::test {
namespace {

const fs::path kFixtures = fs::path(REMIT_SOURCE_DIR) / "tests" / "fixtures" / "ufdr";

struct Parsed {
  std::vector<Item> items;
  std::vector<Warning> warnings;
  SourceKind kind = SourceKind::zip;
  const Warning* warning(std::string_view code) const {
    for (const auto& w : warnings)
      if (w.code == code) return &w;
    return nullptr;
  }
  uint64_t warned(std::string_view code) const {
    uint64_t n = 0;
    for (const auto& w : warnings)
      if (w.code == code) n += w.count;
    return n;
  }
  const Item& by_row(std::string_view row) const {
    for (const auto& it : items)
      if (it.provenance.row == row) return it;
    ADD_FAILURE() << "no item with row " << row;
    static const Item none;
    return none;
  }
  std::vector<const Item*> of(Category c) const {
    std::vector<const Item*> v;
    for (const auto& it : items)
      if (it.category == c) v.push_back(&it);
    return v;
  }
};

Parsed parse_ufdr(const std::string& report_xml, std::vector<FixtureEntry> files = {},
                  const std::string& report_name = "report.xml", bool hash_files = true) {
  TempDir dir;
  files.insert(files.begin(), FixtureEntry{report_name, report_xml});
  const fs::path zip = dir / "evidence.ufdr";
  make_zip(zip, files);
  SourceOptions so;
  so.hash_container = false;
  auto src = open_source(zip, so);
  Parsed out;
  if (!src.ok()) {
    ADD_FAILURE() << src.error().message;
    return out;
  }
  out.kind = (*src)->kind();
  PartyNormaliser parties("GB");
  auto scan = scan_source(**src, parties, [&](Item&& it) { out.items.push_back(std::move(it)); }, hash_files);
  out.warnings = scan.warnings;
  return out;
}

Parsed parse_fixture(const std::string& name, std::vector<FixtureEntry> files = {}) {
  return parse_ufdr(read_file(kFixtures / name), std::move(files));
}

std::string utc(const Timestamp& t) { return t.utc_ms ? format_rfc3339_ms(*t.utc_ms) : "undated"; }

std::string extra(const Item& it, std::string_view key) {
  for (const auto& [k, v] : it.extra)
    if (k == key) return v;
  return {};
}

// ------------------------------------------------------------------ calls

TEST(UfdrCalls, EveryFieldAndTimestampForm) {
  auto p = parse_fixture("calls.xml");
  EXPECT_EQ(p.kind, SourceKind::ufdr);
  ASSERT_EQ(p.items.size(), 8u);

  const Item& a = p.by_row("id=c0000001-0000-4000-8000-000000000001");
  EXPECT_EQ(a.category, Category::call);
  EXPECT_EQ(a.provenance.table, "model:Call");
  EXPECT_EQ(a.provenance.parser, "ufdr.report");
  EXPECT_EQ(a.provenance.path, "report.xml");
  EXPECT_EQ(a.service, "telephony");
  EXPECT_EQ(a.direction, Direction::incoming);
  EXPECT_EQ(a.outcome, CallOutcome::answered);
  EXPECT_EQ(utc(a.time), "2023-03-13T20:04:05.123Z");
  EXPECT_EQ(a.time.source, TimeSource::recorded);
  EXPECT_EQ(a.time.unit, TimeUnit::iso8601);
  ASSERT_TRUE(a.duration_s);
  EXPECT_DOUBLE_EQ(*a.duration_s, 65.5);
  ASSERT_EQ(a.parties.size(), 1u) << "the phone owner is not listed";
  EXPECT_EQ(a.parties[0].raw, "07700 900123");
  EXPECT_EQ(a.parties[0].normalised, "+447700900123");
  EXPECT_EQ(a.parties[0].role, PartyRole::from);
  EXPECT_EQ(a.parties[0].name, "Alex Carter");
  EXPECT_EQ(extra(a, "ufdr_extraction_id"), "0");
  EXPECT_EQ(extra(a, "ufdr_extraction"), "File System");
  EXPECT_EQ(extra(a, "source_path"), "/data/user_de/0/com.android.providers.contacts/databases/calllog.db");
  EXPECT_EQ(extra(a, "source_table"), "calls");

  const Item& b = p.by_row("id=c0000002-0000-4000-8000-000000000002");
  EXPECT_EQ(b.direction, Direction::outgoing);
  EXPECT_EQ(b.outcome, CallOutcome::answered);
  EXPECT_EQ(utc(b.time), "2023-03-14T08:00:00.000Z");
  EXPECT_DOUBLE_EQ(b.duration_s.value_or(-1), 65);
  ASSERT_EQ(b.parties.size(), 1u);
  EXPECT_EQ(b.parties[0].role, PartyRole::to);
  EXPECT_EQ(b.parties[0].normalised, "+447700900456");
  EXPECT_EQ(extra(b, "source_path"), "") << "no extraInfo for this model";

  const Item& c = p.by_row("id=c0000003-0000-4000-8000-000000000003");
  EXPECT_EQ(c.outcome, CallOutcome::missed);
  EXPECT_EQ(c.direction, Direction::incoming);
  EXPECT_TRUE(c.deleted);
  EXPECT_EQ(utc(c.time), "2023-03-13T09:04:05.000Z");
  EXPECT_EQ(c.time.raw, "13-Mar-23 09:04:05 +00:00");
  ASSERT_EQ(c.parties.size(), 1u);
  EXPECT_EQ(c.parties[0].role, PartyRole::from);

  const Item& d = p.by_row("id=c0000004-0000-4000-8000-000000000004");
  EXPECT_EQ(d.direction, Direction::incoming);
  EXPECT_EQ(d.outcome, CallOutcome::missed);
  EXPECT_EQ(utc(d.time), "2023-03-14T08:15:00.000Z");
  EXPECT_FALSE(d.duration_s) << "no Duration field: not invented";

  const Item& e = p.by_row("id=c0000005-0000-4000-8000-000000000005");
  EXPECT_EQ(e.outcome, CallOutcome::rejected);
  EXPECT_EQ(utc(e.time), "2023-03-16T02:30:00.000Z");

  const Item& f = p.by_row("id=c0000006-0000-4000-8000-000000000006");
  EXPECT_EQ(f.direction, Direction::outgoing);
  EXPECT_EQ(f.outcome, CallOutcome::unknown) << "outgoing, duration 0: the record does not say";
  EXPECT_EQ(utc(f.time), "2023-03-16T13:05:09.000Z");
  EXPECT_DOUBLE_EQ(f.duration_s.value_or(-1), 0);

  const Item& g = p.by_row("id=c0000007-0000-4000-8000-000000000007");
  EXPECT_EQ(g.service, "facetime_video");
  EXPECT_EQ(utc(g.time), "2023-03-17T13:00:30.250Z") << "offset from formattedTimestamp, ms from the value";
  EXPECT_EQ(g.time.source, TimeSource::recorded);
  EXPECT_DOUBLE_EQ(g.duration_s.value_or(-1), 86401);
  ASSERT_EQ(g.parties.size(), 1u);
  EXPECT_EQ(g.parties[0].kind, PartyKind::email);

  const Item& h = p.by_row("id=c0000008-0000-4000-8000-000000000008");
  EXPECT_EQ(utc(h.time), "2023-03-18T00:10:00.000Z") << "12 AM is midnight";
  EXPECT_EQ(h.time.source, TimeSource::local_guess) << "no offset: read as UTC, flagged";
  EXPECT_FALSE(p.warning("bad_timestamp"));
  EXPECT_FALSE(p.warning("corrupt"));
}

}  // namespace
}  // namespace remit::test
