// Parse rate of android.whatsapp on a synthetic msgstore.db with 1,000,000
// messages (current schema), built here with SQLite directly.
//
// BM_WhatsAppRowsToItems (the issue's measure): SQLite rows to normalised
// items in memory on one core -- queries, merge joins, party normalisation
// (cached per distinct identifier, fresh cache per run), names from wa.db,
// group membership, media references -- up to finished Item values handed
// to the sink. Not timed: building the database, reading it into memory and
// opening it, and any serialisation (the sink only looks at each item).
// BM_WhatsAppWholeParse also times reading msgstore.db into memory.
// items_per_s uses wall time; items_per_cpu_s the thread's CPU time, which
// is the fairer figure on a shared, loaded machine.
//
// Run: build/bench/android_whatsapp_bench [--messages=N]  (default 1000000)
// Target (issue 4): >= 500,000 items/s on one core.
#include <benchmark/benchmark.h>
#include <sqlite3.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <memory>
#include <random>
#include <string>

#include "artifacts/android/whatsapp.hpp"
#include "remit/parser.hpp"
#include "remit/party.hpp"
#include "remit/source.hpp"

namespace fs = std::filesystem;

namespace {

int64_t g_messages = 1000000;

void check(int rc, sqlite3* db, const char* what) {
  if (rc != SQLITE_OK && rc != SQLITE_DONE && rc != SQLITE_ROW) {
    std::fprintf(stderr, "bench setup failed (%s): %s\n", what, sqlite3_errmsg(db));
    std::exit(3);
  }
}

void exec(sqlite3* db, const char* sql) {
  check(sqlite3_exec(db, sql, nullptr, nullptr, nullptr), db, sql);
}

// One extraction folder with msgstore.db and wa.db, built once per process.
struct Fixture {
  fs::path root;
  int64_t messages = 0, calls = 0;

  explicit Fixture(int64_t n) {
    root = fs::temp_directory_path() / ("remit-bench-wa-" + std::to_string(::getpid()));
    const fs::path dbdir = root / "data/data/com.whatsapp/databases";
    fs::create_directories(dbdir);
    constexpr int kPeople = 2000, kGroups = 200, kGroupSize = 6;
    std::mt19937_64 rng(42);
    sqlite3* db = nullptr;
    check(sqlite3_open((dbdir / "msgstore.db").c_str(), &db), db, "open");
    exec(db, "PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF; PRAGMA page_size=4096;");
    exec(db,
         "CREATE TABLE jid(_id INTEGER PRIMARY KEY AUTOINCREMENT,user TEXT NOT NULL,server TEXT NOT NULL,agent INTEGER,"
         "device INTEGER,type INTEGER,raw_string TEXT);"
         "CREATE TABLE chat(_id INTEGER PRIMARY KEY AUTOINCREMENT,jid_row_id INTEGER UNIQUE,hidden INTEGER,subject "
         "TEXT);"
         "CREATE TABLE message(_id INTEGER PRIMARY KEY AUTOINCREMENT,chat_row_id INTEGER NOT NULL,from_me INTEGER NOT "
         "NULL,key_id TEXT NOT NULL,sender_jid_row_id INTEGER,status INTEGER,broadcast INTEGER,recipient_count INTEGER,"
         "timestamp INTEGER,received_timestamp INTEGER,receipt_server_timestamp INTEGER,message_type INTEGER,text_data "
         "TEXT,starred INTEGER,lookup_tables INTEGER,sort_id INTEGER NOT NULL DEFAULT 0);"
         "CREATE TABLE message_media(message_row_id INTEGER PRIMARY KEY,chat_row_id INTEGER,file_path TEXT,file_size "
         "INTEGER,mime_type TEXT,media_name TEXT,media_duration INTEGER);"
         "CREATE TABLE message_location(message_row_id INTEGER PRIMARY KEY,chat_row_id INTEGER,latitude REAL,longitude "
         "REAL,place_name TEXT,place_address TEXT);"
         "CREATE TABLE message_system(message_row_id INTEGER PRIMARY KEY,action_type INTEGER NOT NULL);"
         "CREATE TABLE group_participant_user(_id INTEGER PRIMARY KEY AUTOINCREMENT,group_jid_row_id INTEGER NOT NULL,"
         "user_jid_row_id INTEGER NOT NULL,rank INTEGER,pending INTEGER);"
         "CREATE TABLE call_log(_id INTEGER PRIMARY KEY AUTOINCREMENT,jid_row_id INTEGER,from_me INTEGER,call_id TEXT,"
         "transaction_id INTEGER,timestamp INTEGER,video_call INTEGER,duration INTEGER,call_result INTEGER,"
         "group_jid_row_id INTEGER NOT NULL DEFAULT 0);"
         "BEGIN;");
    auto prep = [&](const char* sql) {
      sqlite3_stmt* st = nullptr;
      check(sqlite3_prepare_v2(db, sql, -1, &st, nullptr), db, sql);
      return st;
    };
    sqlite3_stmt* jid = prep("INSERT INTO jid(_id,user,server,type,raw_string) VALUES (?1,?2,?3,?4,?5)");
    for (int i = 1; i <= kPeople + kGroups; ++i) {
      const bool group = i > kPeople;
      const std::string user =
          group ? "1203630000" + std::to_string(100000 + i) : "4477009" + std::to_string(10000 + i);
      const std::string server = group ? "g.us" : "s.whatsapp.net";
      const std::string raw = user + "@" + server;
      sqlite3_bind_int64(jid, 1, i);
      sqlite3_bind_text(jid, 2, user.c_str(), -1, SQLITE_TRANSIENT);
      sqlite3_bind_text(jid, 3, server.c_str(), -1, SQLITE_TRANSIENT);
      sqlite3_bind_int(jid, 4, group ? 1 : 0);
      sqlite3_bind_text(jid, 5, raw.c_str(), -1, SQLITE_TRANSIENT);
      check(sqlite3_step(jid), db, "jid");
      sqlite3_reset(jid);
    }
    sqlite3_stmt* chat = prep("INSERT INTO chat(_id,jid_row_id,subject) VALUES (?1,?1,?2)");
    for (int i = 1; i <= kPeople + kGroups; ++i) {
      sqlite3_bind_int64(chat, 1, i);
      if (i > kPeople)
        sqlite3_bind_text(chat, 2, ("group " + std::to_string(i)).c_str(), -1, SQLITE_TRANSIENT);
      else
        sqlite3_bind_null(chat, 2);
      check(sqlite3_step(chat), db, "chat");
      sqlite3_reset(chat);
    }
    sqlite3_stmt* gpu =
        prep("INSERT INTO group_participant_user(group_jid_row_id,user_jid_row_id,rank,pending) VALUES (?1,?2,0,0)");
    for (int g = kPeople + 1; g <= kPeople + kGroups; ++g)
      for (int k = 0; k < kGroupSize; ++k) {
        sqlite3_bind_int64(gpu, 1, g);
        sqlite3_bind_int64(gpu, 2, 1 + static_cast<int64_t>(rng() % kPeople));
        check(sqlite3_step(gpu), db, "gpu");
        sqlite3_reset(gpu);
      }
    sqlite3_stmt* msg = prep(
        "INSERT INTO message(_id,chat_row_id,from_me,key_id,sender_jid_row_id,status,timestamp,received_timestamp,"
        "message_type,text_data,starred) VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,0)");
    sqlite3_stmt* media = prep(
        "INSERT INTO message_media(message_row_id,chat_row_id,file_path,file_size,mime_type) VALUES "
        "(?1,?2,?3,?4,'image/jpeg')");
    sqlite3_stmt* loc =
        prep("INSERT INTO message_location(message_row_id,chat_row_id,latitude,longitude) VALUES (?1,?2,?3,?4)");
    static const char* kWords[] = {"see",    "you",   "at",       "the",     "station", "later", "ok",
                                   "thanks", "where", "are",      "running", "late",    "call",  "me",
                                   "when",   "home",  "tomorrow", "fine",    "no",      "yes"};
    int64_t t = 1600000000000;
    for (int64_t i = 1; i <= n; ++i) {
      const bool group = rng() % 10 == 0;
      const int64_t chat_id =
          group ? kPeople + 1 + static_cast<int64_t>(rng() % kGroups) : 1 + static_cast<int64_t>(rng() % kPeople);
      const bool from_me = rng() % 2 == 0;
      const int kind = static_cast<int>(rng() % 100);  // 0-7 image, 8 location, 9 system, rest text
      const int type = kind < 8 ? 1 : kind == 8 ? 5 : kind == 9 ? 7 : 0;
      std::string text;
      const int words = 3 + static_cast<int>(rng() % 12);
      for (int w = 0; w < words; ++w) {
        if (w) text += ' ';
        text += kWords[rng() % 20];
      }
      t += 1 + static_cast<int64_t>(rng() % 60000);
      sqlite3_bind_int64(msg, 1, i);
      sqlite3_bind_int64(msg, 2, chat_id);
      sqlite3_bind_int(msg, 3, from_me ? 1 : 0);
      sqlite3_bind_text(msg, 4, ("K" + std::to_string(i)).c_str(), -1, SQLITE_TRANSIENT);
      if (group && !from_me)
        sqlite3_bind_int64(msg, 5, 1 + static_cast<int64_t>(rng() % kPeople));
      else
        sqlite3_bind_int(msg, 5, 0);
      sqlite3_bind_int(msg, 6, from_me ? 13 : 0);
      sqlite3_bind_int64(msg, 7, t);
      sqlite3_bind_int64(msg, 8, from_me ? 0 : t + 500);
      sqlite3_bind_int(msg, 9, type);
      if (type == 7)
        sqlite3_bind_null(msg, 10);
      else
        sqlite3_bind_text(msg, 10, text.c_str(), -1, SQLITE_TRANSIENT);
      check(sqlite3_step(msg), db, "message");
      sqlite3_reset(msg);
      if (type == 1) {
        sqlite3_bind_int64(media, 1, i);
        sqlite3_bind_int64(media, 2, chat_id);
        const std::string path = "Media/WhatsApp Images/IMG-2020" + std::to_string(i) + "-WA0001.jpg";
        sqlite3_bind_text(media, 3, path.c_str(), -1, SQLITE_TRANSIENT);
        sqlite3_bind_int64(media, 4, 100000 + static_cast<int64_t>(rng() % 100000));
        check(sqlite3_step(media), db, "media");
        sqlite3_reset(media);
      } else if (type == 5) {
        sqlite3_bind_int64(loc, 1, i);
        sqlite3_bind_int64(loc, 2, chat_id);
        sqlite3_bind_double(loc, 3, 51.0 + (rng() % 1000) / 1000.0);
        sqlite3_bind_double(loc, 4, -0.5 + (rng() % 1000) / 1000.0);
        check(sqlite3_step(loc), db, "location");
        sqlite3_reset(loc);
      }
    }
    messages = n;
    sqlite3_stmt* call = prep(
        "INSERT INTO call_log(jid_row_id,from_me,call_id,transaction_id,timestamp,video_call,duration,call_result) "
        "VALUES (?1,?2,?3,?4,?5,?6,?7,?8)");
    calls = n / 100;
    for (int64_t i = 1; i <= calls; ++i) {
      sqlite3_bind_int64(call, 1, 1 + static_cast<int64_t>(rng() % kPeople));
      sqlite3_bind_int(call, 2, static_cast<int>(rng() % 2));
      sqlite3_bind_text(call, 3, ("C" + std::to_string(i)).c_str(), -1, SQLITE_TRANSIENT);
      sqlite3_bind_int64(call, 4, i);
      sqlite3_bind_int64(call, 5, 1600000000000 + i * 1000);
      sqlite3_bind_int(call, 6, static_cast<int>(rng() % 2));
      sqlite3_bind_int(call, 7, static_cast<int>(rng() % 600));
      sqlite3_bind_int(call, 8, 2 + static_cast<int>(rng() % 4));
      check(sqlite3_step(call), db, "call");
      sqlite3_reset(call);
    }
    for (sqlite3_stmt* s : {jid, chat, gpu, msg, media, loc, call}) sqlite3_finalize(s);
    exec(db, "COMMIT;");
    sqlite3_close(db);

    sqlite3* wa = nullptr;
    check(sqlite3_open((dbdir / "wa.db").c_str(), &wa), wa, "open wa");
    exec(wa,
         "CREATE TABLE wa_contacts(_id INTEGER PRIMARY KEY, jid TEXT NOT NULL, is_whatsapp_user INTEGER, "
         "display_name TEXT, wa_name TEXT); BEGIN;");
    for (int i = 1; i <= kPeople; ++i) {
      const std::string sql = "INSERT INTO wa_contacts(jid,is_whatsapp_user,display_name) VALUES ('4477009" +
                              std::to_string(10000 + i) + "@s.whatsapp.net',1,'Person " + std::to_string(i) + "')";
      exec(wa, sql.c_str());
    }
    exec(wa, "COMMIT;");
    sqlite3_close(wa);
  }
  ~Fixture() {
    std::error_code ec;
    fs::remove_all(root, ec);
  }
};

Fixture& fixture() {
  static Fixture f(g_messages);
  return f;
}

double thread_cpu_s() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) / 1e9;
}

struct Sink {
  uint64_t items = 0, warnings = 0, bytes = 0;
};

remit::ParseEnv make_env(const remit::Source& src, const remit::PartyNormaliser& parties, Sink& sink) {
  remit::ParseEnv env{src, parties,
                      [&sink](remit::Item&& it) {
                        ++sink.items;
                        sink.bytes += it.body.size() + it.parties.size();
                        benchmark::DoNotOptimize(it);
                      },
                      [&sink](remit::Warning&&) { ++sink.warnings; }};
  env.hash_files = true;
  return env;
}

// Rows to items: msgstore.db already read into memory and opened (not timed).
void BM_WhatsAppRowsToItems(benchmark::State& state) {
  Fixture& f = fixture();
  remit::SourceOptions so;
  so.hash_container = false;
  auto src = remit::open_source(f.root, so);
  const remit::Entry* entry = src ? (*src)->find("data/data/com.whatsapp/databases/msgstore.db") : nullptr;
  if (!entry) {
    state.SkipWithError("fixture not found");
    return;
  }
  remit::artifacts::AndroidWhatsAppParser parser;
  Sink sink;
  double cpu = 0;
  for (auto _ : state) {
    state.PauseTiming();
    remit::PartyNormaliser parties("GB");  // a fresh cache each run: normalisation is part of the cost
    auto env = make_env(**src, parties, sink);
    remit::ParseContext ctx(env, parser, *entry);
    auto db = ctx.open_db();
    if (!db) {
      state.SkipWithError("open failed");
      return;
    }
    const uint64_t before = sink.items;
    state.ResumeTiming();
    const double c0 = thread_cpu_s();
    parser.parse_database(ctx, *db);
    cpu += thread_cpu_s() - c0;
    if (sink.items - before != static_cast<uint64_t>(f.messages + f.calls)) {
      state.SkipWithError("unexpected item count");
      return;
    }
  }
  state.counters["items"] = benchmark::Counter(static_cast<double>(sink.items) / state.iterations());
  state.counters["items_per_s"] = benchmark::Counter(static_cast<double>(sink.items), benchmark::Counter::kIsRate);
  state.counters["items_per_cpu_s"] = benchmark::Counter(static_cast<double>(sink.items) / cpu);
  state.counters["warnings"] = benchmark::Counter(static_cast<double>(sink.warnings) / state.iterations());
}
BENCHMARK(BM_WhatsAppRowsToItems)->Unit(benchmark::kMillisecond)->Iterations(3)->UseRealTime();

// The whole parse() call, including reading msgstore.db (and wa.db) into memory.
void BM_WhatsAppWholeParse(benchmark::State& state) {
  Fixture& f = fixture();
  remit::SourceOptions so;
  so.hash_container = false;
  auto src = remit::open_source(f.root, so);
  const remit::Entry* entry = src ? (*src)->find("data/data/com.whatsapp/databases/msgstore.db") : nullptr;
  if (!entry) {
    state.SkipWithError("fixture not found");
    return;
  }
  remit::artifacts::AndroidWhatsAppParser parser;
  Sink sink;
  double cpu = 0;
  for (auto _ : state) {
    remit::PartyNormaliser parties("GB");
    auto env = make_env(**src, parties, sink);
    remit::ParseContext ctx(env, parser, *entry);
    const double c0 = thread_cpu_s();
    parser.parse(ctx);
    cpu += thread_cpu_s() - c0;
  }
  state.counters["items_per_s"] = benchmark::Counter(static_cast<double>(sink.items), benchmark::Counter::kIsRate);
  state.counters["items_per_cpu_s"] = benchmark::Counter(static_cast<double>(sink.items) / cpu);
}
BENCHMARK(BM_WhatsAppWholeParse)->Unit(benchmark::kMillisecond)->Iterations(3)->UseRealTime();

}  // namespace

int main(int argc, char** argv) {
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a.rfind("--messages=", 0) == 0) g_messages = std::stoll(a.substr(11));
  }
  benchmark::Initialize(&argc, argv);
  {
    const auto t0 = std::chrono::steady_clock::now();
    fixture();
    const auto s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    std::fprintf(stderr, "built msgstore.db with %lld messages and %lld calls in %.1f s (not timed)\n",
                 static_cast<long long>(fixture().messages), static_cast<long long>(fixture().calls), s);
  }
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
