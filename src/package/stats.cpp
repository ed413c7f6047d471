// Intrusion measure (src/package/stats.hpp).
#include "package/stats.hpp"

#include <date/tz.h>
#include <fmt/format.h>

#include <algorithm>
#include <functional>
#include <mutex>
#include <nlohmann/json.hpp>

#include "remit/hash.hpp"
#include "remit/package.hpp"

namespace remit::pkg {
namespace {

using json = nlohmann::json;

const date::time_zone* zone_for(const std::string& name) {
  static std::mutex mu;
  static std::map<std::string, const date::time_zone*> cache;
  std::lock_guard lock(mu);
  if (auto it = cache.find(name); it != cache.end()) return it->second;
  const date::time_zone* z = nullptr;
  try {
    z = date::locate_zone(name);
  } catch (const std::exception&) {
    z = nullptr;
  }
  cache[name] = z;
  return z;
}

bool countable_party(const Party& p) {
  return !p.is_owner && !p.normalised.empty() &&
         (p.kind == PartyKind::phone || p.kind == PartyKind::email || p.kind == PartyKind::handle);
}

uint64_t party_key(const Party& p) {
  return std::hash<std::string>{}(std::string(to_string(p.kind)) + ":" + p.normalised);
}

std::string day_text(int64_t day) {
  const date::sys_days d{date::days{day}};
  return date::format("%F", d);
}

}  // namespace

int64_t local_day(int64_t utc_ms, const std::string& time_zone) {
  using namespace std::chrono;
  const sys_time<milliseconds> t{milliseconds{utc_ms}};
  if (const auto* z = zone_for(time_zone)) {
    try {
      const auto local = z->to_local(t);
      return date::floor<date::days>(local).time_since_epoch().count();
    } catch (const std::exception&) {
    }
  }
  return date::floor<date::days>(t).time_since_epoch().count();
}

std::string format_local_time(int64_t utc_ms, const std::string& time_zone) {
  using namespace std::chrono;
  const sys_time<seconds> t = date::floor<seconds>(sys_time<milliseconds>{milliseconds{utc_ms}});
  if (const auto* z = zone_for(time_zone)) {
    try {
      return date::format("%F %T %Z", date::make_zoned(z, t));
    } catch (const std::exception&) {
    }
  }
  return date::format("%F %T UTC", t);
}

std::string format_day_long(int64_t day) {
  static constexpr const char* kMonths[] = {"January", "February", "March",     "April",   "May",      "June",
                                            "July",    "August",   "September", "October", "November", "December"};
  const date::year_month_day ymd{date::sys_days{date::days{day}}};
  return fmt::format("{} {} {}", static_cast<unsigned>(ymd.day()), kMonths[static_cast<unsigned>(ymd.month()) - 1],
                     static_cast<int>(ymd.year()));
}

void add_window_days(int64_t start_ms, int64_t end_ms, const std::string& time_zone, std::set<int64_t>& days) {
  if (end_ms <= start_ms) return;
  const int64_t a = local_day(start_ms, time_zone);
  const int64_t b = local_day(end_ms - 1, time_zone);
  for (int64_t d = a; d <= b && d - a < 200000; ++d) days.insert(d);
}

IntrusionCounter::IntrusionCounter(const Scope& scope) : scope_(scope) {
  for (const auto& l : scope.lines) lines_[l.id];
}

void IntrusionCounter::on_device(const Item& it, const Entry* media_entry) {
  auto& c = cats_[it.category];
  if (it.recovered) {
    ++c.device_recovered;
    return;  // superseded or deleted rows are not counted as items on the phone
  }
  ++c.device;
  ++items_device_;
  if (it.time.utc_ms) {
    const int64_t t = *it.time.utc_ms;
    if (!first_ms_ || t < *first_ms_) first_ms_ = t;
    if (!last_ms_ || t > *last_ms_) last_ms_ = t;
  } else {
    ++c.device_undated;
    ++undated_device_;
  }
  for (const auto& p : it.parties)
    if (countable_party(p)) parties_device_.insert(party_key(p));
  if (it.category == Category::media) {
    if (media_entry) {
      auto& slot = media_entries_[media_entry->ordinal];
      slot.first = media_entry->size;
      if (slot.second.empty() && it.file && !it.file->sha256.empty()) slot.second = it.file->sha256;
    } else if (it.file && !it.file->sha256.empty()) {
      media_sha_only_.insert(it.file->sha256);
    } else {
      ++media_unresolved_;
    }
  }
}

void IntrusionCounter::in_scope(const Item& it, const MatchResult& m, const std::string& media_sha) {
  auto& c = cats_[it.category];
  if (it.recovered) {
    ++c.scope_recovered;
  } else {
    ++c.scope;
    ++items_scope_;
  }
  for (const auto& p : it.parties)
    if (countable_party(p)) parties_scope_.insert(party_key(p));
  if (it.time.utc_ms) scope_days_.insert(local_day(*it.time.utc_ms, scope_.time_zone));
  for (const auto& id : m.lines) {
    auto& t = lines_[id];
    ++t.items;
    if (m.near_edge) ++t.near_edge;
    if (it.time.utc_ms) {
      const int64_t v = *it.time.utc_ms;
      if (!t.first_ms || v < *t.first_ms) t.first_ms = v;
      if (!t.last_ms || v > *t.last_ms) t.last_ms = v;
    }
  }
  if (it.category == Category::media && !it.recovered) {
    if (!media_sha.empty())
      media_scope_sha_.insert(media_sha);
    else
      ++media_scope_unresolved_;
  }
}

namespace {
constexpr uint64_t kProbeBytes = 64 * 1024;
}  // namespace

std::string IntrusionCounter::finish(const Source& source, const std::atomic<bool>* cancel,
                                     const std::map<std::string, std::string>& extra, uint64_t in_this_package,
                                     uint64_t in_parent) {
  // Media on the device, de-duplicated by SHA-256 (hashing only size collisions).
  std::map<uint64_t, std::vector<uint32_t>> by_size;
  for (const auto& [ord, v] : media_entries_) by_size[v.first].push_back(ord);
  std::unordered_set<std::string> shas = media_sha_only_;
  uint64_t distinct = 0;
  const auto entries = source.entries();
  for (auto& [size, ords] : by_size) {
    if (ords.size() == 1) {
      const auto& known = media_entries_[ords.front()].second;
      if (!known.empty()) {
        if (shas.insert(known).second) ++distinct;
      } else {
        ++distinct;
      }
      continue;
    }
    // Same size: first tell apart by the first 64 KiB (cheap), and hash the
    // whole file only when those agree too.
    std::map<std::string, std::vector<uint32_t>> by_probe;
    for (uint32_t ord : ords) {
      auto& known = media_entries_[ord].second;
      if (known.empty() && ord < entries.size() && !entries[ord].sha256.empty()) known = entries[ord].sha256;
      if (!known.empty() || ord >= entries.size()) {
        by_probe["="].push_back(ord);
        continue;
      }
      Hasher h;
      uint64_t seen = 0;
      auto st = source.stream(entries[ord], [&](std::span<const unsigned char> chunk) {
        const size_t take = static_cast<size_t>(std::min<uint64_t>(chunk.size(), kProbeBytes - seen));
        h.update(chunk.first(take));
        seen += take;
        return seen < kProbeBytes && !(cancel && cancel->load());
      });
      by_probe[st ? "p" + h.hex_final() : "="].push_back(ord);
    }
    std::vector<uint32_t> need_full;
    const bool some_known = by_probe.count("=") > 0;  // a full hash can only be compared with full hashes
    for (auto& [probe, group] : by_probe) {
      if (!some_known && group.size() == 1) {
        ++distinct;  // its first bytes differ from every other file of its size
        continue;
      }
      need_full.insert(need_full.end(), group.begin(), group.end());
    }
    for (uint32_t ord : need_full) {
      auto& known = media_entries_[ord].second;
      if (known.empty() && !(cancel && cancel->load()) && ord < entries.size()) {
        Hasher h;
        auto st = source.stream(entries[ord], [&](std::span<const unsigned char> chunk) {
          h.update(chunk);
          return !(cancel && cancel->load());
        });
        if (st) {
          known = h.hex_final();
          ++media_hashed_;
        }
      }
      if (known.empty())
        ++distinct;  // unreadable: counted as its own file
      else if (shas.insert(known).second)
        ++distinct;
    }
  }
  const uint64_t media_device = distinct + media_unresolved_;
  const uint64_t media_scope = media_scope_sha_.size() + media_scope_unresolved_;

  // One object per line of enquiry: what was authorised, then what was found.
  std::set<int64_t> authorised_days;
  std::set<Category> authorised_cats;
  json lines = json::array();
  for (const auto& l : scope_.lines) {
    std::set<int64_t> days;
    json windows = json::array();
    for (const auto& w : l.windows) {
      add_window_days(w.start_ms, w.end_ms, scope_.time_zone, days);
      windows.push_back({{"start", w.start_text},
                         {"end", w.end_text},
                         {"start_utc", format_rfc3339_ms(w.start_ms)},
                         {"end_utc", format_rfc3339_ms(w.end_ms)}});
    }
    authorised_days.insert(days.begin(), days.end());
    json cats = json::array();
    for (auto c : l.categories) {
      cats.push_back(std::string(to_string(c)));
      authorised_cats.insert(c);
    }
    const auto& t = lines_[l.id];
    json o = {
        {"id", l.id},
        {"categories", cats},
        {"everything", l.everything},
        {"window_days", days.size()},
        {"windows", windows},
        {"tolerance_ms", l.tolerance_ms},
        {"parties", l.parties.size()},
        {"keywords", l.keywords.size()},
        {"include_undated", l.include_undated},
        {"group_rule", l.group_rule == GroupRule::whole_conversation ? "whole_conversation" : "sent_by_or_to_party"},
        {"items", t.items},
        {"near_edge", t.near_edge}};
    if (t.first_ms) {
      o["first_utc"] = format_rfc3339_ms(*t.first_ms);
      o["last_utc"] = format_rfc3339_ms(*t.last_ms);
      o["span_days"] = local_day(*t.last_ms, scope_.time_zone) - local_day(*t.first_ms, scope_.time_zone) + 1;
    } else {
      o["first_utc"] = nullptr;
      o["last_utc"] = nullptr;
      o["span_days"] = 0;
    }
    lines.push_back(o);
  }
  json cats_auth = json::array();
  for (auto c : authorised_cats) cats_auth.push_back(std::string(to_string(c)));

  json categories = json::object();
  for (Category c : kAllCategories) {
    const auto it = cats_.find(c);
    const CatTally t = it == cats_.end() ? CatTally{} : it->second;
    json o = {{"on_device", t.device},
              {"in_scope", t.scope},
              {"undated_on_device", t.device_undated},
              {"recovered_on_device", t.device_recovered},
              {"recovered_in_scope", t.scope_recovered}};
    if (c == Category::media) {
      o["files_on_device"] = media_device;
      o["files_in_scope"] = media_scope;
      o["dedup"] = "sha256";
    }
    categories[std::string(to_string(c))] = o;
  }

  json days = {{"authorised", authorised_days.size()}, {"with_items_in_scope", scope_days_.size()}};
  if (first_ms_) {
    days["on_device"] = local_day(*last_ms_, scope_.time_zone) - local_day(*first_ms_, scope_.time_zone) + 1;
    days["first_on_device_utc"] = format_rfc3339_ms(*first_ms_);
    days["last_on_device_utc"] = format_rfc3339_ms(*last_ms_);
  } else {
    days["on_device"] = 0;
    days["first_on_device_utc"] = nullptr;
    days["last_on_device_utc"] = nullptr;
  }
  if (!authorised_days.empty()) {
    days["authorised_first"] = day_text(*authorised_days.begin());
    days["authorised_last"] = day_text(*authorised_days.rbegin());
  }

  json out;
  out["format"] = kStatsFormat;
  out["case_reference"] = scope_.case_reference;
  out["scope_version"] = scope_.version;
  out["scope_sha256"] = scope_.sha256;
  out["time_zone"] = scope_.time_zone;
  out["authorised"] = {{"categories", cats_auth}, {"window_days", authorised_days.size()}};
  out["categories"] = categories;
  out["lines"] = lines;
  out["parties"] = {{"on_device", parties_device_.size()}, {"in_scope", parties_scope_.size()}};
  out["days"] = days;
  out["items"] = {{"on_device", items_device_},
                  {"in_scope", items_scope_},
                  {"undated_on_device", undated_device_},
                  {"in_this_package", in_this_package},
                  {"in_earlier_packages", in_parent}};
  out["media_hashed_for_dedup"] = media_hashed_;
  out["device"] = {{"return_target", scope_.handling.device_return_target},
                   {"retention_review", scope_.handling.review_date},
                   {"delete_out_of_scope_by", scope_.handling.delete_out_of_scope_by}};
  for (const auto& [k, v] : extra) out[k] = v;
  return out.dump(2) + "\n";
}

}  // namespace remit::pkg
