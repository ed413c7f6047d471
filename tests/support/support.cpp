#include "support/support.hpp"

#include <archive.h>
#include <archive_entry.h>
#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>
#include <zip.h>

#include <atomic>
#include <chrono>
#include <csignal>
#include <cstring>
#include <fstream>
#include <sstream>
#include <thread>

#include "remit/hash.hpp"

extern char** environ;

namespace remit::test {

std::optional<fs::path> conformance_dir() {
  if (const char* e = std::getenv("REMIT_CONFORMANCE_DIR"); e && *e) {
    if (fs::is_directory(e)) return fs::path(e);
    return std::nullopt;
  }
  const fs::path p = fs::path(REMIT_SOURCE_DIR) / ".." / "shared" / "conformance";
  if (fs::is_directory(p)) return fs::weakly_canonical(p);
  return std::nullopt;
}

TempDir::TempDir() {
  std::string tmpl = (fs::temp_directory_path() / "remit-test-XXXXXX").string();
  if (!::mkdtemp(tmpl.data())) throw std::runtime_error("mkdtemp failed");
  path_ = tmpl;
}
TempDir::~TempDir() {
  std::error_code ec;
  // Make everything writable again (tests may chmod evidence read-only).
  for (auto it = fs::recursive_directory_iterator(path_, ec); !ec && it != fs::recursive_directory_iterator();
       it.increment(ec)) {
    if (!it->is_symlink()) fs::permissions(it->path(), fs::perms::owner_all, fs::perm_options::add, ec);
  }
  fs::remove_all(path_, ec);
}

std::string read_file(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

void write_file(const fs::path& p, std::string_view data) {
  if (p.has_parent_path()) fs::create_directories(p.parent_path());
  std::ofstream out(p, std::ios::binary | std::ios::trunc);
  out.write(data.data(), static_cast<std::streamsize>(data.size()));
}

void make_tar(const fs::path& out, const std::vector<FixtureEntry>& entries, bool gzip) {
  archive* a = archive_write_new();
  archive_write_set_format_pax_restricted(a);
  if (gzip) archive_write_add_filter_gzip(a);
  if (archive_write_open_filename(a, out.c_str()) != ARCHIVE_OK) throw std::runtime_error("tar open");
  for (const auto& e : entries) {
    archive_entry* ae = archive_entry_new();
    archive_entry_set_pathname(ae, e.name.c_str());
    archive_entry_set_mtime(ae, 1700000000, 0);
    archive_entry_set_uid(ae, 0);
    archive_entry_set_gid(ae, 0);
    switch (e.kind) {
      case FixtureEntry::file:
        archive_entry_set_filetype(ae, AE_IFREG);
        archive_entry_set_perm(ae, 0644);
        archive_entry_set_size(ae, static_cast<la_int64_t>(e.data.size()));
        break;
      case FixtureEntry::dir:
        archive_entry_set_filetype(ae, AE_IFDIR);
        archive_entry_set_perm(ae, 0755);
        break;
      case FixtureEntry::symlink:
        archive_entry_set_filetype(ae, AE_IFLNK);
        archive_entry_set_perm(ae, 0777);
        archive_entry_set_symlink(ae, e.link.c_str());
        break;
      case FixtureEntry::hardlink:
        archive_entry_set_filetype(ae, AE_IFREG);
        archive_entry_set_perm(ae, 0644);
        archive_entry_set_hardlink(ae, e.link.c_str());
        archive_entry_set_size(ae, 0);
        break;
    }
    archive_write_header(a, ae);
    if (e.kind == FixtureEntry::file && !e.data.empty()) archive_write_data(a, e.data.data(), e.data.size());
    archive_entry_free(ae);
  }
  archive_write_close(a);
  archive_write_free(a);
}

void make_zip(const fs::path& out, const std::vector<FixtureEntry>& entries) {
  int err = 0;
  fs::remove(out);
  zip_t* z = zip_open(out.c_str(), ZIP_CREATE | ZIP_TRUNCATE, &err);
  if (!z) throw std::runtime_error("zip open");
  std::vector<std::string> keep;  // zip_source_buffer borrows
  keep.reserve(entries.size());
  for (const auto& e : entries) {
    if (e.kind == FixtureEntry::dir) {
      zip_dir_add(z, e.name.c_str(), ZIP_FL_ENC_UTF_8);
      continue;
    }
    keep.push_back(e.kind == FixtureEntry::symlink ? e.link : e.data);
    zip_source_t* s = zip_source_buffer(z, keep.back().data(), keep.back().size(), 0);
    const zip_int64_t idx = zip_file_add(z, e.name.c_str(), s, ZIP_FL_ENC_UTF_8 | ZIP_FL_OVERWRITE);
    if (idx < 0) {
      zip_source_free(s);
      continue;
    }
    zip_file_set_mtime(z, static_cast<zip_uint64_t>(idx), 1700000000, 0);
    if (e.kind == FixtureEntry::symlink)
      zip_file_set_external_attributes(z, static_cast<zip_uint64_t>(idx), 0, ZIP_OPSYS_UNIX, (0120777u) << 16);
  }
  if (zip_close(z) != 0) throw std::runtime_error("zip close");
}

void make_folder(const fs::path& root, const std::vector<FixtureEntry>& entries) {
  for (const auto& e : entries) {
    const fs::path p = root / e.name;
    switch (e.kind) {
      case FixtureEntry::file:
        write_file(p, e.data);
        break;
      case FixtureEntry::dir:
        fs::create_directories(p);
        break;
      case FixtureEntry::symlink:
        fs::create_directories(p.parent_path());
        fs::create_symlink(e.link, p);
        break;
      case FixtureEntry::hardlink:
        fs::create_directories(p.parent_path());
        fs::create_hard_link(root / e.link, p);
        break;
    }
  }
}

RunResult run_remit(const std::vector<std::string>& args, const std::map<std::string, std::string>& env,
                    const std::optional<fs::path>& cwd, const std::string& stdin_data) {
  std::vector<std::string> argv_s{REMIT_BINARY};
  argv_s.insert(argv_s.end(), args.begin(), args.end());
  return run_process(argv_s, env, cwd, stdin_data);
}

RunResult run_process(const std::vector<std::string>& argv_in, const std::map<std::string, std::string>& env,
                      const std::optional<fs::path>& cwd, const std::string& stdin_data, int timeout_s) {
  int out_pipe[2], err_pipe[2], in_pipe[2];
  if (::pipe(out_pipe) || ::pipe(err_pipe) || ::pipe(in_pipe)) throw std::runtime_error("pipe");
  std::vector<std::string> argv_s = argv_in;
  std::vector<char*> argv;
  for (auto& s : argv_s) argv.push_back(s.data());
  argv.push_back(nullptr);
  std::map<std::string, std::string> envmap;
  for (char** e = environ; *e; ++e) {
    std::string kv(*e);
    auto eq = kv.find('=');
    if (eq != std::string::npos) envmap[kv.substr(0, eq)] = kv.substr(eq + 1);
  }
  for (const auto& [k, v] : env) envmap[k] = v;
  std::vector<std::string> env_s;
  for (const auto& [k, v] : envmap) env_s.push_back(k + "=" + v);
  std::vector<char*> envp;
  for (auto& s : env_s) envp.push_back(s.data());
  envp.push_back(nullptr);

  const pid_t pid = ::fork();
  if (pid == 0) {
    ::dup2(in_pipe[0], 0);
    ::dup2(out_pipe[1], 1);
    ::dup2(err_pipe[1], 2);
    ::close(in_pipe[1]);
    ::close(out_pipe[0]);
    ::close(err_pipe[0]);
    if (cwd && ::chdir(cwd->c_str()) != 0) ::_exit(127);
    ::execve(argv[0], argv.data(), envp.data());
    ::_exit(127);
  }
  ::close(in_pipe[0]);
  ::close(out_pipe[1]);
  ::close(err_pipe[1]);
  std::thread writer([&] {
    size_t off = 0;
    while (off < stdin_data.size()) {
      const ssize_t n = ::write(in_pipe[1], stdin_data.data() + off, stdin_data.size() - off);
      if (n <= 0) break;
      off += static_cast<size_t>(n);
    }
    ::close(in_pipe[1]);
  });
  RunResult r;
  auto drain = [](int fd, std::string& into) {
    char buf[65536];
    ssize_t n;
    while ((n = ::read(fd, buf, sizeof buf)) > 0) into.append(buf, static_cast<size_t>(n));
    ::close(fd);
  };
  std::atomic<bool> done{false};
  std::thread killer([&] {
    if (timeout_s <= 0) return;
    for (int i = 0; i < timeout_s * 10 && !done; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(100));
    if (!done) ::kill(pid, SIGKILL);
  });
  std::thread t_err([&] { drain(err_pipe[0], r.err); });
  drain(out_pipe[0], r.out);
  t_err.join();
  writer.join();
  int status = 0;
  ::waitpid(pid, &status, 0);
  done = true;
  killer.join();
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  return r;
}

std::vector<Item> parse_items(const std::string& jsonl) {
  std::vector<Item> out;
  std::istringstream in(jsonl);
  std::string line;
  size_t n = 0;
  while (std::getline(in, line)) {
    ++n;
    if (line.empty()) continue;
    auto it = item_from_json_line(line);
    EXPECT_TRUE(it.ok()) << "line " << n << ": " << (it.ok() ? "" : it.error().message);
    if (it.ok()) out.push_back(std::move(*it));
  }
  return out;
}

std::string sha256_of_file(const fs::path& p) {
  auto h = sha256_file(p);
  return h.ok() ? *h : std::string();
}

size_t replay_fuzz_inputs(const std::string& target, FuzzEntry fn) {
  size_t n = 0;
  for (const char* kind : {"corpus", "regressions"}) {
    const fs::path dir = fs::path(REMIT_SOURCE_DIR) / "fuzz" / kind / target;
    if (!fs::is_directory(dir)) continue;
    for (const auto& e : fs::directory_iterator(dir)) {
      if (!e.is_regular_file()) continue;
      const std::string bytes = read_file(e.path());
      SCOPED_TRACE(e.path().string());
      fn(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size());
      ++n;
    }
  }
  return n;
}

}  // namespace remit::test
