// UFDR report.xml benchmark (make bench; driven by bench/ufdr_bench.sh).
//
//   ufdr_parse_bench generate DIR GB   write an unzipped UFDR of at least GB
//                                      gigabytes of report.xml (streamed to
//                                      disk) plus files/..., and DIR.ufdr, the
//                                      same as a stored zip
//   ufdr_parse_bench parse EVIDENCE    parse it with the ufdr.report parser
//                                      (no container hash) and print figures
//
// The report is realistic in shape (src/source/ufdr_writer): WhatsApp and
// iMessage chats of a few thousand messages, SMS, calls, contacts,
// locations, web history, tagged media, extraInfo after decodedData, and a
// sprinkling of control-character references and non-ASCII text. Content is
// synthetic (a fixed pseudo-random sequence), never real data.
#include <fmt/format.h>
#include <zip.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>

#include "remit/party.hpp"
#include "remit/registry.hpp"
#include "remit/source.hpp"
#include "remit/timeconv.hpp"
#include "source/ufdr_writer.hpp"

namespace fs = std::filesystem;
using namespace remit;

namespace {

struct Rng {
  uint64_t s = 0x9E3779B97F4A7C15ULL;
  uint64_t next() {
    s ^= s << 13;
    s ^= s >> 7;
    s ^= s << 17;
    return s;
  }
  size_t below(size_t n) { return static_cast<size_t>(next() % n); }
};

const char* kWords[] = {"see",  "you",    "later", "at",   "the",      "station", "ok",    "thanks", "where",
                        "are",  "on",     "my",    "way",  "running",  "late",    "call",  "me",     "when",
                        "can",  "friday", "party", "home", "work",     "tonight", "maybe", "yes",    "no",
                        "café", "naïve",  "👍",    "😂",   "tomorrow", "sorry",   "bus",   "train",  "food"};

std::string sentence(Rng& r, size_t words) {
  std::string s;
  for (size_t i = 0; i < words; ++i) {
    if (i) s.push_back(' ');
    s += kWords[r.below(std::size(kWords))];
  }
  if (r.below(200) == 0) s += "\x01";  // real reports carry control characters (written as &#x1;)
  return s;
}

std::string phone(size_t n) {
  return fmt::format("+4477009{:05}", n % 100000);
}

int generate(const fs::path& dir, double gb) {
  const uint64_t target = static_cast<uint64_t>(gb * 1e9);
  fs::create_directories(dir / "files" / "Image");
  PartyNormaliser norm("GB");
  auto party = [&](const std::string& raw, PartyRole role, const std::string& name = {}) {
    Party p;
    p.raw = raw;
    p.role = role;
    p.name = name;
    norm.fill(p);
    return p;
  };
  std::ofstream xml(dir / "report.xml", std::ios::binary);
  std::vector<char> buf(4 << 20);
  xml.rdbuf()->pubsetbuf(buf.data(), static_cast<std::streamsize>(buf.size()));
  const std::string owner = "+447700900001";
  UfdrReportWriter w(xml, "bench", owner, "owner@device.invalid");
  DeviceIdentity d;
  d.manufacturer = "Samsung";
  d.model = "SM-G991B";
  d.os_type = "Android";
  d.os_version = "13";
  d.imeis = {"350000000000001"};
  d.msisdns = {owner};
  w.begin("bench", d, 1700000000000, {{"CaseNumber", "BENCH/1"}});

  // Tagged files: 2000 images, 500 of them present in files/Image.
  std::vector<std::string> file_ids, local;
  for (size_t i = 0; i < 2000; ++i) {
    UfdrTaggedFile f;
    f.id = w.make_id("file", i);
    f.name = fmt::format("IMG_{:05}.jpg", i);
    f.device_path = "/data/media/0/DCIM/Camera/" + f.name;
    f.tag = "Image";
    f.modified_ms = 1678000000000 + static_cast<int64_t>(i) * 60000;
    if (i < 500) {
      f.local_path = "files/Image/" + f.name;
      const std::string bytes = fmt::format("jpeg {}", i);
      std::ofstream(dir / f.local_path, std::ios::binary) << bytes;
      f.size = bytes.size();
    }
    file_ids.push_back(f.id);
    local.push_back(f.local_path);
    w.tagged_file(f);
  }
  w.begin_decoded();

  Rng r;
  uint64_t n = 0, items = 0;
  int64_t t = 1640995200000;  // 2022-01-01
  auto item = [&](Category c, const std::string& service, const std::string& db, const std::string& table) {
    Item it;
    it.category = c;
    it.service = service;
    t += 1000 + static_cast<int64_t>(r.below(60000));
    it.time.utc_ms = t;
    it.time.source = TimeSource::recorded;
    it.provenance.path = db;
    it.provenance.table = table;
    return it;
  };
  auto written = [&] { return static_cast<uint64_t>(xml.tellp()); };
  // The report grows by rounds of: 20 chats, 2000 SMS, 500 calls, 200
  // contacts, 500 locations, 500 web visits.
  uint64_t chat_no = 0;
  while (written() < target) {
    for (int c = 0; c < 20 && written() < target; ++c, ++chat_no) {
      const bool wa = chat_no % 3 != 0;
      const bool group = chat_no % 5 == 0;
      std::vector<Party> members;
      for (int m = 0; m < (group ? 6 : 1); ++m)
        members.push_back(party(wa ? phone(chat_no * 7 + m).substr(1) + "@s.whatsapp.net" : phone(chat_no * 7 + m),
                                PartyRole::participant, fmt::format("Person {}", chat_no * 7 + m)));
      const std::string svc = wa ? "whatsapp" : "imessage";
      const std::string thread =
          wa ? (group ? fmt::format("4477009{:05}-16789@g.us", chat_no % 100000) : members[0].raw)
             : fmt::format("chat{}", chat_no);
      w.begin_chat(w.make_id("chat", chat_no), svc, thread, group ? "Group chat" : "", group, members);
      const size_t count = 1000 + r.below(3000);
      for (size_t k = 0; k < count; ++k) {
        Item it = item(Category::message, svc,
                       wa ? "data/data/com.whatsapp/databases/msgstore.db" : "private/var/mobile/Library/SMS/sms.db",
                       "message");
        it.thread_id = thread;
        it.group = group;
        const bool out = r.below(2) == 0;
        it.direction = out ? Direction::outgoing : Direction::incoming;
        const Party& sender = members[r.below(members.size())];
        if (out) {
          for (const auto& m : members) it.parties.push_back(party(m.raw, PartyRole::to, m.name));
        } else {
          it.parties.push_back(party(sender.raw, PartyRole::from, sender.name));
        }
        it.body = sentence(r, 3 + r.below(30));
        std::vector<UfdrAttachmentRef> refs;
        if (r.below(50) == 0) {  // an attachment: one of the images the UFDR holds
          const size_t f = r.below(500);
          refs.push_back({file_ids[f], local[f], fmt::format("IMG_{:05}.jpg", f), "image/jpeg"});
        }
        w.chat_message(it, w.make_id("message", n++), refs);
        ++items;
      }
      w.end_chat();
    }
    for (int k = 0; k < 2000 && written() < target; ++k) {
      Item it =
          item(Category::message, "sms", "data/user_de/0/com.android.providers.telephony/databases/mmssms.db", "sms");
      it.direction = r.below(2) ? Direction::incoming : Direction::outgoing;
      it.parties.push_back(
          party(phone(r.below(5000)), it.direction == Direction::incoming ? PartyRole::from : PartyRole::to));
      it.body = sentence(r, 2 + r.below(20));
      w.model(it, w.make_id("sms", n++));
      ++items;
    }
    for (int k = 0; k < 500 && written() < target; ++k) {
      Item it = item(Category::call, "telephony", "data/user_de/0/com.android.providers.contacts/databases/calllog.db",
                     "calls");
      it.direction = r.below(2) ? Direction::incoming : Direction::outgoing;
      it.outcome = r.below(3) ? CallOutcome::answered : CallOutcome::missed;
      it.duration_s = it.outcome == CallOutcome::answered ? static_cast<double>(r.below(3600)) : 0.0;
      it.parties.push_back(
          party(phone(r.below(5000)), it.direction == Direction::incoming ? PartyRole::from : PartyRole::to));
      w.model(it, w.make_id("call", n++));
      ++items;
    }
    for (int k = 0; k < 200 && written() < target; ++k) {
      Item it = item(Category::contact, "ufdr", "data/data/com.android.providers.contacts/databases/contacts2.db",
                     "raw_contacts");
      it.title = fmt::format("Contact {}", n);
      it.parties.push_back(party(phone(n), PartyRole::subject, it.title));
      it.parties.back().label = "mobile";
      w.model(it, w.make_id("contact", n++));
      ++items;
    }
    for (int k = 0; k < 500 && written() < target; ++k) {
      Item it = item(Category::location, "google_maps", "data/data/com.google.android.gms/databases/x.db", "locations");
      it.location = GeoPoint{51.0 + static_cast<double>(r.below(10000)) / 10000.0,
                             -0.5 + static_cast<double>(r.below(10000)) / 10000.0, 10.0};
      w.model(it, w.make_id("location", n++));
      ++items;
    }
    for (int k = 0; k < 500 && written() < target; ++k) {
      Item it =
          item(Category::web_visit, "chrome", "data/data/com.android.chrome/app_chrome/Default/History", "visits");
      it.url = fmt::format("https://www.example.org/page/{}?q={}", r.below(100000), kWords[r.below(20)]);
      it.title = sentence(r, 4);
      w.model(it, w.make_id("visit", n++));
      ++items;
    }
  }
  w.end();
  xml.flush();
  if (!xml) {
    std::fprintf(stderr, "ufdr_parse_bench: writing %s failed\n", (dir / "report.xml").c_str());
    return 1;
  }
  const uint64_t size = fs::file_size(dir / "report.xml");

  // The same as a stored zip (what a .ufdr file is).
  const fs::path zpath = dir.string() + ".ufdr";
  int err = 0;
  zip_t* z = zip_open(zpath.c_str(), ZIP_CREATE | ZIP_TRUNCATE, &err);
  if (!z) return 1;
  auto add = [&](const fs::path& p, const std::string& name) {
    zip_source_t* s = zip_source_file(z, p.c_str(), 0, -1);
    const zip_int64_t idx = zip_file_add(z, name.c_str(), s, ZIP_FL_ENC_UTF_8);
    zip_set_file_compression(z, static_cast<zip_uint64_t>(idx), ZIP_CM_STORE, 0);
  };
  add(dir / "report.xml", "report.xml");
  for (const auto& e : fs::directory_iterator(dir / "files" / "Image"))
    add(e.path(), "files/Image/" + e.path().filename().string());
  if (zip_close(z) != 0) {
    std::fprintf(stderr, "ufdr_parse_bench: writing %s failed\n", zpath.c_str());
    return 1;
  }
  fmt::print("generated {}: report.xml {} bytes, {} items ({} top-level models), and {}\n", dir.string(), size, items,
             w.models_written(), zpath.string());
  return 0;
}

int parse(const fs::path& evidence) {
  SourceOptions so;
  so.hash_container = false;
  const auto t0 = std::chrono::steady_clock::now();
  auto src = open_source(evidence, so);
  if (!src) {
    std::fprintf(stderr, "ufdr_parse_bench: %s\n", src.error().message.c_str());
    return 2;
  }
  PartyNormaliser parties("GB");
  std::map<std::string, uint64_t> by_cat;
  uint64_t n = 0;
  auto scan = scan_source(**src, parties, [&](Item&& it) {
    ++n;
    ++by_cat[std::string(to_string(it.category))];
  });
  const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  uint64_t bytes = 0;
  for (const auto& e : (*src)->entries())
    if (e.path == "report.xml") bytes = e.size;
  fmt::print("parsed {} ({}): {} items in {:.2f} s; report.xml {} bytes = {:.1f} MB/s\n", evidence.string(),
             to_string((*src)->kind()), n, secs, bytes, static_cast<double>(bytes) / secs / 1e6);
  for (const auto& [c, k] : by_cat) fmt::print("  {:<10} {}\n", c, k);
  for (const auto& w : scan.warnings) fmt::print("  warning {} x{}: {}\n", w.code, w.count, w.message);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  const std::string cmd = argc > 1 ? argv[1] : "";
  if (cmd == "generate" && argc == 4) return generate(argv[2], std::stod(argv[3]));
  if (cmd == "parse" && argc == 3) return parse(argv[2]);
  std::fprintf(stderr, "usage: ufdr_parse_bench generate DIR GB | parse EVIDENCE\n");
  return 2;
}
