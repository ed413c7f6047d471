#include "support/golden.hpp"

#include <openssl/evp.h>
#include <sqlite3.h>

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "support/support.hpp"

namespace remit::test {

namespace fs = std::filesystem;

std::vector<GoldenCase> golden_cases() {
  std::vector<GoldenCase> out;
  const fs::path root = fs::path(REMIT_SOURCE_DIR) / "tests" / "cases";
  if (!fs::is_directory(root)) return out;
  for (const auto& d : fs::directory_iterator(root)) {
    if (!d.is_directory() || !fs::exists(d.path() / "case.json")) continue;
    GoldenCase c;
    c.name = d.path().filename().string();
    c.dir = d.path();
    c.spec = nlohmann::json::parse(read_file(d.path() / "case.json"));
    out.push_back(std::move(c));
  }
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.name < b.name; });
  return out;
}

namespace {

void exec_sql(sqlite3* db, const std::string& sql, const fs::path& where) {
  char* err = nullptr;
  if (sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &err) != SQLITE_OK) {
    std::string msg = err ? err : "?";
    sqlite3_free(err);
    throw std::runtime_error(where.string() + ": " + msg);
  }
}

std::string b64decode(const std::string& in) {
  std::string clean;
  for (char c : in)
    if (!std::isspace(static_cast<unsigned char>(c))) clean.push_back(c);
  std::string out(clean.size() / 4 * 3 + 3, '\0');
  const int n = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                reinterpret_cast<const unsigned char*>(clean.data()), static_cast<int>(clean.size()));
  if (n < 0) throw std::runtime_error("bad base64");
  size_t pad = 0;
  if (!clean.empty() && clean.back() == '=') ++pad;
  if (clean.size() > 1 && clean[clean.size() - 2] == '=') ++pad;
  out.resize(static_cast<size_t>(n) - pad);
  return out;
}

bool ends_with(const std::string& s, const std::string& suf) {
  return s.size() >= suf.size() && s.compare(s.size() - suf.size(), suf.size(), suf) == 0;
}

}  // namespace

void build_sqlite(const fs::path& db, const std::string& sql, const std::string& wal_sql) {
  fs::create_directories(db.parent_path());
  fs::remove(db);
  fs::remove(fs::path(db.string() + "-wal"));
  const fs::path scratch = db.string() + ".build";
  fs::remove(scratch);
  fs::remove(fs::path(scratch.string() + "-wal"));
  fs::remove(fs::path(scratch.string() + "-shm"));
  sqlite3* h = nullptr;
  if (sqlite3_open(scratch.c_str(), &h) != SQLITE_OK) throw std::runtime_error("sqlite open " + scratch.string());
  exec_sql(h, sql, db);
  if (!wal_sql.empty()) {
    exec_sql(h, "PRAGMA journal_mode=WAL; PRAGMA wal_autocheckpoint=0;", db);
    exec_sql(h, wal_sql, db);
    // Copy main + WAL now, before close checkpoints the WAL away.
    fs::copy_file(scratch, db, fs::copy_options::overwrite_existing);
    fs::copy_file(scratch.string() + "-wal", db.string() + "-wal", fs::copy_options::overwrite_existing);
  }
  sqlite3_close(h);
  if (wal_sql.empty()) fs::rename(scratch, db);
  fs::remove(scratch);
  fs::remove(fs::path(scratch.string() + "-wal"));
  fs::remove(fs::path(scratch.string() + "-shm"));
}

fs::path build_case_evidence(const GoldenCase& c, const fs::path& work, std::string& skip_reason) {
  const auto& spec = c.spec;
  if (spec.contains("conformance_evidence")) {
    auto conf = conformance_dir();
    if (!conf) {
      skip_reason = "conformance data not found at ../shared/conformance; skipping";
      return {};
    }
    return *conf / spec["conformance_evidence"].get<std::string>();
  }
  const fs::path tree = work / "input";
  fs::create_directories(tree);
  const fs::path in = c.dir / "input";
  if (fs::is_directory(in)) {
    for (auto it = fs::recursive_directory_iterator(in); it != fs::recursive_directory_iterator(); ++it) {
      if (!it->is_regular_file()) continue;
      const std::string rel = fs::relative(it->path(), in).generic_string();
      if (ends_with(rel, ".wal.sql")) continue;  // consumed with its .sql
      if (ends_with(rel, ".sql")) {
        const std::string base = rel.substr(0, rel.size() - 4);
        const fs::path wal = in / (base + ".wal.sql");
        build_sqlite(tree / base, read_file(it->path()), fs::exists(wal) ? read_file(wal) : std::string());
      } else if (ends_with(rel, ".b64")) {
        write_file(tree / rel.substr(0, rel.size() - 4), b64decode(read_file(it->path())));
      } else {
        fs::create_directories((tree / rel).parent_path());
        fs::copy_file(it->path(), tree / rel, fs::copy_options::overwrite_existing);
      }
    }
  }
  if (spec.contains("conformance")) {
    auto conf = conformance_dir();
    if (!conf) {
      skip_reason = "conformance data not found at ../shared/conformance; skipping";
      return {};
    }
    for (const auto& [from, to] : spec["conformance"].items()) {
      fs::create_directories((tree / to.get<std::string>()).parent_path());
      fs::copy_file(*conf / from, tree / to.get<std::string>(), fs::copy_options::overwrite_existing);
    }
  }
  const std::string layout = spec.value("layout", "folder");
  if (layout == "folder") return tree;
  std::vector<FixtureEntry> entries;
  for (auto it = fs::recursive_directory_iterator(tree); it != fs::recursive_directory_iterator(); ++it) {
    if (!it->is_regular_file()) continue;
    entries.push_back({fs::relative(it->path(), tree).generic_string(), read_file(it->path())});
  }
  std::sort(entries.begin(), entries.end(), [](const auto& a, const auto& b) { return a.name < b.name; });
  if (layout == "tar") {
    make_tar(work / "evidence.tar", entries);
    return work / "evidence.tar";
  }
  if (layout == "tar.gz") {
    make_tar(work / "evidence.tar.gz", entries, true);
    return work / "evidence.tar.gz";
  }
  if (layout == "zip") {
    make_zip(work / "evidence.zip", entries);
    return work / "evidence.zip";
  }
  throw std::runtime_error(c.name + ": unknown layout " + layout);
}

bool json_subset(const nlohmann::json& e, const nlohmann::json& a, std::string& where) {
  if (e.is_object()) {
    if (!a.is_object()) return false;
    for (const auto& [k, v] : e.items()) {
      if (v.is_null()) {  // null expects the key to be absent (or null)
        if (a.contains(k) && !a[k].is_null()) {
          where += "." + k + " (present, expected absent)";
          return false;
        }
        continue;
      }
      if (!a.contains(k)) {
        where += "." + k + " (missing)";
        return false;
      }
      std::string sub = where + "." + k;
      if (!json_subset(v, a[k], sub)) {
        where = sub;
        return false;
      }
    }
    return true;
  }
  if (e.is_array()) {
    if (!a.is_array() || a.size() != e.size()) {
      where +=
          " (array length " + std::to_string(a.is_array() ? a.size() : 0) + " != " + std::to_string(e.size()) + ")";
      return false;
    }
    for (size_t i = 0; i < e.size(); ++i) {
      std::string sub = where + "[" + std::to_string(i) + "]";
      if (!json_subset(e[i], a[i], sub)) {
        where = sub;
        return false;
      }
    }
    return true;
  }
  if (e.is_number() && a.is_number()) {
    const double x = e.get<double>(), y = a.get<double>();
    return std::fabs(x - y) <= 1e-9 * std::max(1.0, std::fabs(x));
  }
  return e == a;
}

}  // namespace remit::test
