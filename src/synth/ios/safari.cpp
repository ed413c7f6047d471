// Safari: private/var/mobile/Library/Safari/History.db.
//
// Schema: Safari's own CREATE statements (WBSHistorySQLiteSchema, as
// captured from a real store): history_items (one row per URL, with
// domain_expansion, visit_count, daily/weekly visit count blobs, score),
// history_visits (one row per visit: visit_time REAL seconds since 2001,
// title, load_successful, redirect_source/destination, origin 0 = this
// device, generation, attributes, score), history_tombstones,
// history_tags / history_items_to_tags with their count triggers,
// history_client_versions, history_event_listeners, history_events and
// metadata (key, value). Safari stores the title per visit, not per URL.
#include <fmt/format.h>

#include <cstring>
#include <map>

#include "synth/ios/context.hpp"
#include "synth/prng.hpp"
#include "synth/sqlite_writer.hpp"

namespace remit::synth::ios {

namespace {

constexpr const char* kDb = "mobile/Library/Safari/History.db";

constexpr const char* kSchema = R"SQL(
CREATE TABLE history_items (id INTEGER PRIMARY KEY AUTOINCREMENT,url TEXT NOT NULL UNIQUE,domain_expansion TEXT NULL,visit_count INTEGER NOT NULL,daily_visit_counts BLOB NOT NULL,weekly_visit_counts BLOB NULL,autocomplete_triggers BLOB NULL,should_recompute_derived_visit_counts INTEGER NOT NULL,visit_count_score INTEGER NOT NULL,status_code INTEGER NOT NULL DEFAULT 0);
CREATE TABLE history_visits (id INTEGER PRIMARY KEY AUTOINCREMENT,history_item INTEGER NOT NULL REFERENCES history_items(id) ON DELETE CASCADE,visit_time REAL NOT NULL,title TEXT NULL,load_successful BOOLEAN NOT NULL DEFAULT 1,http_non_get BOOLEAN NOT NULL DEFAULT 0,synthesized BOOLEAN NOT NULL DEFAULT 0,redirect_source INTEGER NULL UNIQUE REFERENCES history_visits(id) ON DELETE CASCADE,redirect_destination INTEGER NULL UNIQUE REFERENCES history_visits(id) ON DELETE CASCADE,origin INTEGER NOT NULL DEFAULT 0,generation INTEGER NOT NULL DEFAULT 0,attributes INTEGER NOT NULL DEFAULT 0,score INTEGER NOT NULL DEFAULT 0);
CREATE TABLE history_tombstones (id INTEGER PRIMARY KEY AUTOINCREMENT,start_time REAL NOT NULL,end_time REAL NOT NULL,url TEXT,generation INTEGER NOT NULL DEFAULT 0, udid TEXT, attributes INTEGER NOT NULL DEFAULT 0);
CREATE TABLE metadata (key TEXT NOT NULL UNIQUE, value);
CREATE TABLE history_client_versions (client_version INTEGER PRIMARY KEY,last_seen REAL NOT NULL);
CREATE TABLE history_event_listeners (listener_name TEXT PRIMARY KEY NOT NULL UNIQUE,last_seen REAL NOT NULL);
CREATE TABLE history_events (id INTEGER PRIMARY KEY AUTOINCREMENT,event_type TEXT NOT NULL,event_time REAL NOT NULL,pending_listeners TEXT NOT NULL,value BLOB);
CREATE TABLE history_tags (id INTEGER PRIMARY KEY,type INTEGER NOT NULL,level INTEGER NOT NULL,identifier TEXT NOT NULL,title TEXT NOT NULL,modification_timestamp REAL NOT NULL,item_count INTEGER NOT NULL DEFAULT 0);
CREATE TABLE history_items_to_tags (history_item INTEGER NOT NULL,tag_id INTEGER NOT NULL,timestamp REAL NOT NULL,FOREIGN KEY(tag_id) REFERENCES history_tags(id) ON DELETE CASCADE,FOREIGN KEY(history_item) REFERENCES history_items(id) ON DELETE CASCADE,UNIQUE(history_item, tag_id) ON CONFLICT REPLACE);
CREATE INDEX history_items__domain_expansion ON history_items (domain_expansion);
CREATE INDEX history_tombstones__end_time ON history_tombstones (end_time);
CREATE INDEX history_tombstones__generation ON history_tombstones (generation);
CREATE INDEX history_visits__last_visit ON history_visits (history_item, visit_time DESC, synthesized ASC);
CREATE INDEX history_visits__origin ON history_visits (origin, generation);
CREATE TRIGGER decrement_count_on_delete BEFORE DELETE ON history_items_to_tags BEGIN  UPDATE history_tags SET item_count = item_count - 1 WHERE id = OLD.tag_id;END;
CREATE TRIGGER increment_count_on_insert AFTER INSERT ON history_items_to_tags BEGIN  UPDATE history_tags SET item_count = item_count + 1 WHERE id = NEW.tag_id;END;
)SQL";

// "https://www.bbc.co.uk/news" -> "bbc" (Safari's domain expansion: the
// host without "www." and without its public suffix).
std::string domain_expansion(const std::string& url) {
  auto start = url.find("://");
  start = start == std::string::npos ? 0 : start + 3;
  auto end = url.find_first_of("/?#", start);
  std::string host = url.substr(start, end == std::string::npos ? std::string::npos : end - start);
  if (host.rfind("www.", 0) == 0) host = host.substr(4);
  for (const char* suffix : {".co.uk", ".org.uk", ".nhs.uk", ".com", ".org", ".net", ".uk"})
    if (host.size() > std::strlen(suffix) && host.ends_with(suffix)) {
      host.resize(host.size() - std::strlen(suffix));
      break;
    }
  return host;
}

struct Url {
  int64_t id = 0, visits = 0;
};

}  // namespace

Status write_safari(Context& c) {
  c.stage("Safari history (History.db)");
  const Story& story = c.story;
  const std::filesystem::path scratch = c.scratch("History.db");
  auto db = SqlDb::create(scratch, derive_seed(story.seed(), "ios-History.db"), DbOptions{4096, 0, true, ""});
  if (!db) return db.error();
  if (auto st = db->exec(kSchema); !st) return st;
  if (auto st = db->exec("INSERT INTO metadata (key, value) VALUES ('version', 20)"); !st) return st;
  if (auto st = db->begin(); !st) return st;
  auto ins_item = db->prepare(
      "INSERT INTO history_items (url, domain_expansion, visit_count, daily_visit_counts, weekly_visit_counts, "
      "autocomplete_triggers, should_recompute_derived_visit_counts, visit_count_score, status_code) "
      "VALUES (?,?,0,X'',NULL,NULL,1,0,0)");
  auto ins_visit = db->prepare(
      "INSERT INTO history_visits (history_item, visit_time, title, load_successful, http_non_get, synthesized, "
      "redirect_source, redirect_destination, origin, generation, attributes, score) "
      "VALUES (?,?,?,1,0,0,NULL,NULL,0,1,0,?)");
  if (!ins_item) return ins_item.error();
  if (!ins_visit) return ins_visit.error();
  std::map<std::string, Url> urls;
  for (DayNumber day = story.first_day(); day <= story.last_day(); ++day) {
    if (c.cancelled()) return c.interrupted();
    for (const WebVisit& v : story.web_for_day(day)) {
      auto it = urls.find(v.url);
      if (it == urls.end()) {
        const std::string dx = domain_expansion(v.url);
        auto id = ins_item->run(v.url, dx.empty() ? std::optional<std::string>() : dx);
        if (!id) return id.error();
        it = urls.emplace(v.url, Url{*id, 0}).first;
      }
      const double t = mac_seconds(v.time_ms);
      auto vid = ins_visit->run(it->second.id, t, v.title, v.transition == 1 ? 100 : 20);
      if (!vid) return vid.error();
      ++it->second.visits;
      Item item;
      item.category = Category::web_visit;
      item.service = "safari";
      item.time = mac_time_real(t);
      item.title = v.title;
      item.url = v.url;
      item.provenance = c.prov(kDb, "history_visits", fmt::format("id={}", *vid), "ios.safari");
      if (auto st = c.truth.add(std::move(item), false); !st) return st;
    }
  }
  {
    // Visit counts and their daily / weekly histograms (little-endian u32s).
    auto upd = db->prepare(
        "UPDATE history_items SET visit_count = ?, visit_count_score = ?, daily_visit_counts = ?, "
        "should_recompute_derived_visit_counts = 0 WHERE id = ?");
    if (!upd) return upd.error();
    for (const auto& [url, u] : urls) {
      std::string daily(4, '\0');
      for (int k = 0; k < 4; ++k) daily[k] = static_cast<char>((u.visits >> (8 * k)) & 0xff);
      if (auto x = upd->run(u.visits, u.visits * 100, Blob{daily}, u.id); !x) return x.error();
    }
    auto cv = db->prepare("INSERT INTO history_client_versions (client_version, last_seen) VALUES (1, ?)");
    if (!cv) return cv.error();
    if (auto x = cv->run(mac_seconds(story.extraction_ms() - 3600000)); !x) return x.error();
  }
  if (auto st = db->commit(); !st) return st;
  ins_item = make_error(Errc::internal, "closed");
  ins_visit = make_error(Errc::internal, "closed");
  if (auto st = db->close(); !st) return st;
  return c.add_db(kDb, scratch);
}

}  // namespace remit::synth::ios
