// Chrome for Android: com.android.chrome/app_chrome/Default/History.
//
// References: Chromium history schema (meta version 70, compatible 16):
// urls, visits with the originator_* / is_known_to_sync / app_id columns of
// current versions, visit_source, keyword_search_terms, segments,
// segment_usage, downloads; their indexes; the real Chrome 59 History in
// plaso's test data for the older column set. Times are microseconds since
// 1601-01-01 (webkit); transition = core type | qualifiers (0x30000000
// chain start/end); core 0 link, 1 typed, 5 generated (omnibox search).
// Chrome keeps History in rollback-journal mode and has no android_metadata.
#include <fmt/format.h>

#include <map>

#include "synth/android/context.hpp"
#include "synth/prng.hpp"
#include "synth/sqlite_writer.hpp"

namespace remit::synth::android {

namespace {

constexpr const char* kSchema = R"SQL(
CREATE TABLE meta(key LONGVARCHAR NOT NULL UNIQUE PRIMARY KEY, value LONGVARCHAR);
CREATE TABLE urls(id INTEGER PRIMARY KEY AUTOINCREMENT,url LONGVARCHAR,title LONGVARCHAR,visit_count INTEGER DEFAULT 0 NOT NULL,typed_count INTEGER DEFAULT 0 NOT NULL,last_visit_time INTEGER NOT NULL,hidden INTEGER DEFAULT 0 NOT NULL);
CREATE TABLE visits(id INTEGER PRIMARY KEY AUTOINCREMENT,url INTEGER NOT NULL,visit_time INTEGER NOT NULL,from_visit INTEGER,external_referrer_url TEXT,transition INTEGER DEFAULT 0 NOT NULL,segment_id INTEGER,visit_duration INTEGER DEFAULT 0 NOT NULL,incremented_omnibox_typed_score BOOLEAN DEFAULT FALSE NOT NULL,opener_visit INTEGER,originator_cache_guid TEXT,originator_visit_id INTEGER,originator_from_visit INTEGER,originator_opener_visit INTEGER,is_known_to_sync BOOLEAN DEFAULT FALSE NOT NULL,consider_for_ntp_most_visited BOOLEAN DEFAULT FALSE NOT NULL,visited_link_id INTEGER DEFAULT 0 NOT NULL,app_id TEXT);
CREATE TABLE visit_source(id INTEGER PRIMARY KEY,source INTEGER NOT NULL);
CREATE TABLE keyword_search_terms (keyword_id INTEGER NOT NULL,url_id INTEGER NOT NULL,term LONGVARCHAR NOT NULL,normalized_term LONGVARCHAR NOT NULL);
CREATE TABLE downloads (id INTEGER PRIMARY KEY,guid VARCHAR NOT NULL,current_path LONGVARCHAR NOT NULL,target_path LONGVARCHAR NOT NULL,start_time INTEGER NOT NULL,received_bytes INTEGER NOT NULL,total_bytes INTEGER NOT NULL,state INTEGER NOT NULL,danger_type INTEGER NOT NULL,interrupt_reason INTEGER NOT NULL,hash BLOB NOT NULL,end_time INTEGER NOT NULL,opened INTEGER NOT NULL,last_access_time INTEGER NOT NULL,transient INTEGER NOT NULL,referrer VARCHAR NOT NULL,site_url VARCHAR NOT NULL,embedder_download_data VARCHAR NOT NULL,tab_url VARCHAR NOT NULL,tab_referrer_url VARCHAR NOT NULL,http_method VARCHAR NOT NULL,by_ext_id VARCHAR NOT NULL,by_ext_name VARCHAR NOT NULL,by_web_app_id VARCHAR NOT NULL,etag VARCHAR NOT NULL,last_modified VARCHAR NOT NULL,mime_type VARCHAR(255) NOT NULL,original_mime_type VARCHAR(255) NOT NULL);
CREATE TABLE downloads_url_chains (id INTEGER NOT NULL,chain_index INTEGER NOT NULL,url LONGVARCHAR NOT NULL, PRIMARY KEY (id, chain_index) );
CREATE TABLE segments (id INTEGER PRIMARY KEY,name VARCHAR,url_id INTEGER NON NULL);
CREATE TABLE segment_usage (id INTEGER PRIMARY KEY,segment_id INTEGER NOT NULL,time_slot INTEGER NOT NULL,visit_count INTEGER DEFAULT 0 NOT NULL);
CREATE TABLE typed_url_sync_metadata (storage_key INTEGER PRIMARY KEY NOT NULL,value BLOB);
CREATE TABLE content_annotations (visit_id INTEGER PRIMARY KEY,visibility_score NUMERIC,floc_protected_score NUMERIC,categories VARCHAR,page_topics_model_version INTEGER,annotation_flags INTEGER NOT NULL,entities VARCHAR,related_searches VARCHAR,search_normalized_url VARCHAR,search_terms LONGVARCHAR,alternative_title VARCHAR,page_language VARCHAR,password_state INTEGER DEFAULT 0 NOT NULL,has_url_keyed_image BOOLEAN NOT NULL);
)SQL";

constexpr const char* kAfter = R"SQL(
CREATE INDEX visits_url_index ON visits (url);
CREATE INDEX visits_from_index ON visits (from_visit);
CREATE INDEX visits_time_index ON visits (visit_time);
CREATE INDEX visits_originator_id_index ON visits (originator_visit_id);
CREATE INDEX segments_name ON segments(name);
CREATE INDEX segments_url_id ON segments(url_id);
CREATE INDEX segment_usage_time_slot_segment_id ON segment_usage(time_slot, segment_id);
CREATE INDEX segments_usage_seg_id ON segment_usage(segment_id);
CREATE INDEX urls_url_index ON urls (url);
CREATE INDEX keyword_search_terms_index1 ON keyword_search_terms (keyword_id, normalized_term);
CREATE INDEX keyword_search_terms_index2 ON keyword_search_terms (url_id);
CREATE INDEX keyword_search_terms_index3 ON keyword_search_terms (term);
)SQL";

struct Url {
  int64_t id = 0, visits = 0, typed = 0, last = 0;
};

}  // namespace

Status write_chrome(Context& c) {
  c.stage("Chrome history");
  const Story& story = c.story;
  const std::string pkg = "com.android.chrome";
  const std::string path = c.app_dir(pkg) + "/app_chrome/Default/History";
  const auto scratch = c.scratch("History");
  auto db = SqlDb::create(scratch, derive_seed(story.seed(), "History"), DbOptions{4096, 0, false, ""});
  if (!db) return db.error();
  if (auto st = db->exec(kSchema); !st) return st;
  if (auto st = db->exec("INSERT INTO meta VALUES "
                         "('mmap_status','-1'),('version','70'),('last_"
                         "compatible_version','16'),"
                         "('early_expiration_threshold','0')");
      !st)
    return st;
  if (auto st = db->begin(); !st) return st;
  auto ins_url = db->prepare(
      "INSERT INTO urls "
      "(url,title,visit_count,typed_count,last_visit_"
      "time,hidden) VALUES (?,?,0,0,0,0)");
  auto ins_visit = db->prepare(
      "INSERT INTO visits "
      "(url,visit_time,from_visit,external_referrer_url,transition,"
      "segment_id,visit_duration,"
      "incremented_omnibox_typed_score,opener_visit,originator_"
      "cache_guid,originator_visit_id,originator_from_visit,"
      "originator_opener_visit,is_known_to_sync,consider_for_ntp_"
      "most_visited,visited_link_id,app_id) "
      "VALUES (?,?,0,'',?,0,?,?,0,'',0,0,0,1,1,0,NULL)");
  auto ins_kw = db->prepare(
      "INSERT INTO keyword_search_terms "
      "(keyword_id,url_id,term,normalized_term) VALUES (2,?,?,?)");
  for (auto* s : {&ins_url, &ins_visit, &ins_kw})
    if (!*s) return s->error();
  std::map<std::string, Url> urls;
  for (DayNumber day = story.first_day(); day <= story.last_day(); ++day) {
    if (c.cancelled()) return make_error(Errc::refused, "interrupted");
    for (const WebVisit& v : story.web_for_day(day)) {
      auto it = urls.find(v.url);
      if (it == urls.end()) {
        auto id = ins_url->run(v.url, v.title);
        if (!id) return id.error();
        Url u;
        u.id = *id;
        it = urls.emplace(v.url, u).first;
        const auto q = v.url.find("search?q=");
        if (q != std::string::npos) {
          std::string term = v.url.substr(q + 9, v.url.find('&', q) - q - 9);
          for (char& ch : term)
            if (ch == '+') ch = ' ';
          if (auto x = ins_kw->run(*id, term, term); !x) return x.error();
        }
      }
      Url& u = it->second;
      const int64_t webkit = v.time_ms * 1000 + kWebkitEpochOffsetUs;
      auto vid = ins_visit->run(u.id, webkit, v.transition | 0x30000000, v.duration_us, v.transition == 1 ? 1 : 0);
      if (!vid) return vid.error();
      ++u.visits;
      if (v.transition == 1) ++u.typed;
      u.last = webkit;
      Item item;
      item.category = Category::web_visit;
      item.service = "chrome";
      item.time = TruthWriter::time(webkit, TimeUnit::webkit_us);
      item.title = v.title;
      item.url = v.url;
      item.provenance = TruthWriter::prov(path, "visits", fmt::format("id={}", *vid), "android.chrome");
      if (auto st = c.truth.add(std::move(item), false); !st) return st;
    }
  }
  {
    auto upd = db->prepare(
        "UPDATE urls SET visit_count=?, typed_count=?, "
        "last_visit_time=? WHERE id=?");
    if (!upd) return upd.error();
    for (const auto& [url, u] : urls)
      if (auto x = upd->run(u.visits, u.typed, u.last, u.id); !x) return x.error();
  }
  if (auto st = db->commit(); !st) return st;
  ins_url = make_error(Errc::internal, "closed");
  ins_visit = make_error(Errc::internal, "closed");
  ins_kw = make_error(Errc::internal, "closed");
  if (auto st = db->exec(kAfter); !st) return st;
  if (auto st = db->close(); !st) return st;
  return c.add_db(path, scratch, Context::owner_of(pkg));
}

// An app no remit parser covers: the dating app. Its folder must appear in
// `remit inspect`'s coverage list (name and size only); its content, all
// out of scope, carries the canary.
Status write_other_apps(Context& c) {
  c.stage("other apps");
  const Story& story = c.story;
  const std::string pkg = "co.hinge.app";
  const std::string path = c.app_dir(pkg) + "/databases/hinge_database";
  const auto scratch = c.scratch("hinge_database");
  auto db = SqlDb::create(scratch, derive_seed(story.seed(), "hinge"), DbOptions{4096, 42, true, "en_GB"});
  if (!db) return db.error();
  if (auto st = db->exec("CREATE TABLE room_master_table (id INTEGER PRIMARY "
                         "KEY,identity_hash TEXT);"
                         "CREATE TABLE matches (id TEXT NOT NULL PRIMARY KEY, "
                         "first_name TEXT, matched_at INTEGER NOT NULL, age INTEGER);"
                         "CREATE TABLE chat_messages (id TEXT NOT NULL PRIMARY KEY, "
                         "match_id TEXT NOT NULL, from_me INTEGER NOT NULL, "
                         "body TEXT, sent_at INTEGER NOT NULL);"
                         "INSERT INTO room_master_table VALUES "
                         "(42,'6a1d3ef0c9e0f5d1e2b3a4c5d6e7f809')");
      !st)
    return st;
  Rng r = Rng::derive(story.seed(), "hinge");
  auto male = lex::male_first();
  if (auto st = db->begin(); !st) return st;
  auto ins_m = db->prepare("INSERT INTO matches VALUES (?,?,?,?)");
  auto ins_c = db->prepare("INSERT INTO chat_messages VALUES (?,?,?,?,?)");
  if (!ins_m) return ins_m.error();
  if (!ins_c) return ins_c.error();
  for (int i = 0; i < 6; ++i) {
    const std::string mid = r.hex(12, false);
    const DayNumber d =
        story.first_day() + static_cast<DayNumber>(r.below(static_cast<uint64_t>(story.options().days)));
    const int64_t t = story.clock().local_to_utc_ms(d, r.range(18 * 3600, 23 * 3600));
    if (auto x = ins_m->run(mid, std::string(male[r.below(male.size())]), t, static_cast<int64_t>(r.range(25, 38))); !x)
      return x.error();
    for (int k = 0; k < 4; ++k) {
      const bool out = (k % 2) == 1;
      if (auto x = ins_c->run(r.hex(12, false), mid, out ? 1 : 0, Story::with_canary(lex::line(r, "dating", out)),
                              t + (k + 1) * 3600 * 1000LL);
          !x)
        return x.error();
    }
  }
  if (auto st = db->commit(); !st) return st;
  ins_m = make_error(Errc::internal, "closed");
  ins_c = make_error(Errc::internal, "closed");
  if (auto st = db->close(); !st) return st;
  const Owner o = Context::owner_of(pkg);
  if (auto st = c.add_db(path, scratch, o); !st) return st;
  const std::string prefs =
      "<?xml version='1.0' encoding='utf-8' standalone='yes' ?>\n<map>\n"
      "    <boolean name=\"onboarding_complete\" value=\"true\" />\n</map>\n";
  return c.add_bytes(c.app_dir(pkg) + "/shared_prefs/co.hinge.app_preferences.xml", prefs, o, c.db_mtime_s());
}

}  // namespace remit::synth::android
