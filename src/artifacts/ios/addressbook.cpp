// iOS contacts: private/var/mobile/Library/AddressBook/AddressBook.sqlitedb
// (+ -wal; AddressBookImages.sqlitedb is not needed and may be absent).
//
// References:
//  - shared/docs/artifacts.md "iOS tables: AddressBook.sqlitedb" (ABPerson,
//    ABMultiValue property 3 phone, 4 e-mail, 5 address, 13 IM, 22 URL;
//    labels like _$!<Mobile>!$_ in ABMultiValueLabel).
//  - iLEAPP scripts/artifacts/addressBook.py (joins; ABMultiValueEntry and
//    ABMultiValueEntryKey for structured addresses and IM).
//  - SQLite WAL format (https://www.sqlite.org/fileformat2.html#walformat):
//    earlier committed states of the database are rebuilt with
//    EvidenceDb::for_each_wal_snapshot; person versions found only there are
//    recovered items (origin wal_superseded), never live rows.
//  - Checked against iLEAPP's test zips: josh_ios15_ffs (iOS 15: 9 people,
//    rows split between main file and a 598-frame WAL), belkasoft_ctf6
//    (1 person, all rows in the WAL), mvs_ios_2023 (4 KB main file, 320-frame
//    WAL holding the schema, 2 ABStore and 1 ABAccount rows, no person in any
//    committed state). The real databases carry triggers calling
//    ab_update_value_from_trigger() and defaults calling ab_generate_guid();
//    the defensive connection never runs them.
#include "artifacts/ios/addressbook.hpp"

#include <fmt/format.h>

#include <map>
#include <set>

#include "artifacts/common.hpp"
#include "artifacts/ios/ios_common.hpp"
#include "remit/text.hpp"

namespace remit::artifacts {
namespace {

constexpr std::string_view kRefs[] = {
    "shared/docs/artifacts.md: iOS tables, AddressBook.sqlitedb",
    "iLEAPP scripts/artifacts/addressBook.py (ABMultiValue, labels, entries)",
    "SQLite file format, WAL (historic committed states for superseded rows)",
    "iLEAPP test zips josh_ios15_ffs, belkasoft_ctf6_ios_device1, mvs_ios_2023 (iOS 15-16)",
};
constexpr Category kCats[] = {Category::contact};

constexpr int kPhone = 3, kEmail = 4, kAddress = 5, kIm = 13, kUrl = 22;

struct Person {
  int64_t rowid = 0;
  Item item;
  std::string fingerprint;  // the item without provenance: identical versions compare equal
};

struct MultiValue {
  int64_t uid = 0;
  int64_t property = 0;
  std::string label;
  std::string value;
};

// Reads every person of one database state. `ctx` receives warnings only
// when `warn` (the live state); snapshots are read silently.
std::vector<Person> read_people(ParseContext& ctx, const EvidenceDb& db, bool warn) {
  ios::Utf8Tally u8(ctx, warn);
  ios::IdTally ids(ctx, warn);
  std::vector<Person> out;
  if (!db.has_table("ABPerson")) {
    if (warn) ctx.warn("missing_table", "table ABPerson is absent");
    return out;
  }
  std::map<int64_t, std::string> labels;
  if (db.has_table("ABMultiValueLabel"))
    for (auto& [id, v] : ios::read_id_text_pairs(db, "SELECT rowid, value FROM ABMultiValueLabel")) labels[id] = v;
  std::map<int64_t, std::string> entry_keys;
  if (db.has_table("ABMultiValueEntryKey"))
    for (auto& [id, v] : ios::read_id_text_pairs(db, "SELECT rowid, value FROM ABMultiValueEntryKey"))
      entry_keys[id] = v;
  // Structured values (addresses, IM): parent multivalue UID -> key -> value.
  std::map<int64_t, std::vector<std::pair<std::string, std::string>>> entries;
  if (db.has_table("ABMultiValueEntry")) {
    auto st =
        ios::prepare_or_warn(ctx, db, "SELECT parent_id, key, value FROM ABMultiValueEntry ORDER BY parent_id, key",
                             "ABMultiValueEntry", warn);
    if (st) {
      while (st->step()) {
        auto k = entry_keys.find(st->i64(1));
        entries[st->i64(0)].emplace_back(k != entry_keys.end() ? k->second : st->raw_text(1), u8.text(*st, 2));
      }
    }
  }
  std::map<int64_t, std::vector<MultiValue>> values;
  if (db.has_table("ABMultiValue")) {
    std::vector<std::string> missing;
    auto st = ios::prepare_or_warn(ctx, db,
                                   select_sql(db, "ABMultiValue", {"UID", "record_id", "property", "label", "value"},
                                              "ORDER BY \"record_id\", \"UID\"", &missing),
                                   "ABMultiValue", warn);
    if (warn) warn_missing_columns(ctx, "ABMultiValue", missing);
    if (st) {
      uint64_t n = 0;
      while (st->step()) {
        ++n;
        MultiValue mv;
        mv.uid = st->i64(0);
        mv.property = st->i64(2);
        if (!st->is_null(3)) {
          auto l = labels.find(st->i64(3));
          mv.label = ios::clean_label(l != labels.end() ? l->second : st->raw_text(3));
        }
        mv.value = u8.text(*st, 4);
        values[st->i64(1)].push_back(std::move(mv));
      }
      if (warn) warn_if_stopped(ctx, *st, "ABMultiValue", n);
    }
  }
  std::vector<std::string> missing;
  auto st = db.prepare(select_sql(
      db, "ABPerson",
      {"ROWID", "First", "Middle", "Last", "Organization", "Nickname", "Note", "CreationDate", "ModificationDate",
       "Kind", "Prefix", "Suffix", "Department", "JobTitle", "Birthday", "DisplayName", "CompositeNameFallback"},
      "ORDER BY \"ROWID\"", &missing));
  if (!st) {
    if (warn) ctx.warn("unreadable_table", st.error().message);
    return out;
  }
  uint64_t n = 0;
  while (st->step()) {
    ++n;
    Person p;
    p.rowid = st->i64(0);
    Item& it = p.item;
    it.category = Category::contact;
    it.service = "ios_addressbook";
    it.time = column_time(*st, 7, TimeUnit::mac_s);
    Timestamp mod = column_time(*st, 8, TimeUnit::mac_s);
    if (mod.dated()) it.other_times.push_back({"modified", std::move(mod)});
    std::string name;
    for (int col : {10, 1, 2, 3, 11}) {
      const std::string part(trim(u8.text(*st, col)));
      if (part.empty()) continue;
      if (!name.empty()) name.push_back(' ');
      name += part;
    }
    const std::string org = u8.text(*st, 4), nick = u8.text(*st, 5);
    if (name.empty()) name = org;
    if (name.empty()) name = nick;
    if (name.empty()) name = u8.text(*st, 15);
    if (name.empty()) name = u8.text(*st, 16);
    it.title = name;
    it.body = u8.text(*st, 6);
    if (!org.empty() && org != name) it.extra.emplace_back("organization", org);
    if (!nick.empty() && nick != name) it.extra.emplace_back("nickname", nick);
    if (!u8.text(*st, 12).empty()) it.extra.emplace_back("department", u8.text(*st, 12));
    if (!u8.text(*st, 13).empty()) it.extra.emplace_back("job_title", u8.text(*st, 13));
    if (!u8.text(*st, 14).empty()) it.extra.emplace_back("birthday", u8.text(*st, 14));
    if (st->i64(9) == 1) it.extra.emplace_back("kind", "organization");
    if (auto v = values.find(p.rowid); v != values.end()) {
      for (const auto& mv : v->second) {
        switch (mv.property) {
          case kPhone:
          case kEmail: {
            if (mv.value.empty()) break;
            Party party = ids.party(mv.value, PartyRole::subject);
            party.label = mv.label;
            it.parties.push_back(std::move(party));
            break;
          }
          case kIm: {
            std::string handle = mv.value, service;
            if (auto e = entries.find(mv.uid); e != entries.end())
              for (const auto& [k, val] : e->second) {
                if (iequals(k, "username")) handle = val;
                if (iequals(k, "service")) service = val;
              }
            if (handle.empty()) break;
            Party party = ids.party(handle, PartyRole::subject);
            party.label = service.empty() ? mv.label : service;
            it.parties.push_back(std::move(party));
            break;
          }
          case kAddress: {
            // Postal order (Street, City, State ZIP, Country); CountryCode is
            // redundant with Country; unknown keys follow in stored order.
            std::string addr;
            if (auto e = entries.find(mv.uid); e != entries.end()) {
              static constexpr std::string_view kOrder[] = {"Street", "SubLocality", "City",   "SubAdministrativeArea",
                                                            "State",  "ZIP",         "Country"};
              std::vector<bool> used(e->second.size(), false);
              auto add = [&](const std::string& val) {
                if (val.empty()) return;
                if (!addr.empty()) addr += ", ";
                addr += val;
              };
              for (auto key : kOrder)
                for (size_t i = 0; i < e->second.size(); ++i)
                  if (!used[i] && iequals(e->second[i].first, key)) {
                    used[i] = true;
                    add(e->second[i].second);
                  }
              for (size_t i = 0; i < e->second.size(); ++i)
                if (!used[i] && !iequals(e->second[i].first, "CountryCode")) add(e->second[i].second);
            }
            if (addr.empty()) addr = mv.value;
            if (!addr.empty()) it.extra.emplace_back("address" + (mv.label.empty() ? "" : ":" + mv.label), addr);
            break;
          }
          case kUrl:
            if (!mv.value.empty()) it.extra.emplace_back("url" + (mv.label.empty() ? "" : ":" + mv.label), mv.value);
            break;
          default:
            break;
        }
      }
    }
    Item copy = it;
    copy.provenance = Provenance{};
    p.fingerprint = to_json_line(copy);
    it.provenance = ctx.provenance("ABPerson", row_ref("ROWID", *st, 0));
    out.push_back(std::move(p));
  }
  if (warn) warn_if_stopped(ctx, *st, "ABPerson", n);
  return out;
}

}  // namespace

std::string_view IosAddressBookParser::name() const noexcept {
  return "ios.addressbook";
}
std::string_view IosAddressBookParser::version() const noexcept {
  return "1.0";
}
std::span<const std::string_view> IosAddressBookParser::references() const noexcept {
  return kRefs;
}
std::span<const Category> IosAddressBookParser::categories() const noexcept {
  return kCats;
}

void IosAddressBookParser::parse(ParseContext& ctx) const {
  auto db = open_or_warn(ctx);
  if (!db) return;
  auto live = read_people(ctx, *db, true);
  std::map<int64_t, std::string> live_fp;
  for (auto& p : live) {
    live_fp[p.rowid] = p.fingerprint;
    ctx.emit(std::move(p.item));
  }

  // Person versions that only earlier committed states hold: recovered.
  const WalInfo& wal = db->wal_info();
  const Entry* wal_entry = ctx.source().find(ctx.entry().path + "-wal");
  if (!wal_entry || wal.commits == 0) return;
  const uint64_t live_commit = wal.commits;
  auto main_bytes = ctx.read(ctx.entry());
  auto wal_bytes = ctx.read(*wal_entry);
  if (!main_bytes || !wal_bytes) return;
  std::set<std::pair<int64_t, std::string>> emitted;
  uint64_t states = 0, recovered = 0;
  // A state is read again only when its commit wrote a page of the contact
  // tables (as of the last state read) or the schema page: any change to a
  // table's rows writes at least one page of its b-tree.
  std::set<uint32_t> watched;
  bool have_watch = false;
  EvidenceDb::SnapshotVisitor visitor;
  visitor.want = [&](uint64_t commit, std::span<const uint32_t> changed) {
    if (commit >= live_commit) return false;  // the live state: already read
    if (commit == 0 || !have_watch) return true;
    for (uint32_t pg : changed)
      if (pg == 1 || watched.count(pg)) return true;
    return false;
  };
  visitor.visit = [&](uint64_t commit, const EvidenceDb& snap) {
    ++states;
    watched.clear();
    auto pages = snap.prepare(
        "SELECT pageno FROM dbstat WHERE name IN ('ABPerson', 'ABMultiValue', 'ABMultiValueLabel', "
        "'ABMultiValueEntry', 'ABMultiValueEntryKey')");
    have_watch = pages.ok();
    if (pages)
      while (pages->step()) watched.insert(static_cast<uint32_t>(pages->i64(0)));
    if (pages && pages->error()) have_watch = false;
    for (auto& p : read_people(ctx, snap, false)) {
      auto l = live_fp.find(p.rowid);
      if (l != live_fp.end() && l->second == p.fingerprint) continue;
      if (!emitted.insert({p.rowid, p.fingerprint}).second) continue;
      Item it = std::move(p.item);
      it.recovered = true;
      it.provenance.origin = "wal_superseded";
      it.extra.emplace_back("wal_state", commit == 0 ? "main file before the WAL"
                                                     : fmt::format("after WAL commit {} of {}", commit, live_commit));
      it.extra.emplace_back("superseded_by", l == live_fp.end() ? "deletion" : "a later version");
      ++recovered;
      ctx.emit(std::move(it));
    }
    return true;
  };
  auto st = EvidenceDb::for_each_wal_snapshot(std::move(*main_bytes), *wal_bytes, ctx.entry().path, visitor);
  if (!st) ctx.warn("wal_history_unreadable", st.error().message);
  if (recovered > 0)
    ctx.warn("recovered_rows",
             fmt::format("{} person versions found only in superseded WAL states ({} states read); emitted as "
                         "recovered, not live",
                         recovered, states),
             recovered);
}

}  // namespace remit::artifacts
