// `remit extract` as a user runs it, with the real scope engine
// (examples/scopes/proportionate.toml, messages and calls with 07700 900123
// from 13 to 17 March 2026): refusals and exit codes, the canary through the
// binary (stdout, stderr, TMPDIR, package, audit), supplementary packages
// with the justified widening proportionate-v2.toml, interruption of the
// process, and the whole chain extract -> verify -> report.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>

#include <chrono>
#include <nlohmann/json.hpp>
#include <random>
#include <thread>

#include "package_fixture.hpp"

extern char** environ;

namespace remit::test {
namespace {

using json = nlohmann::json;

const fs::path kExamples = fs::path(REMIT_SOURCE_DIR) / "examples" / "scopes";

// Messages and calls matching proportionate.toml, with the canary on every
// out-of-scope body; and a photo (no line covers media).
Extraction proportionate_extraction() {
  Extraction x;
  x.sms = {
      {1, "07700 900123", utc_ms(2026, 3, 13, 19), 1, "Fancy a drink on Sunday?", true},
      {2, "07700 900123", utc_ms(2026, 3, 15, 20, 30), 2, "On my way", true},
      {3, "+447700900123", utc_ms(2026, 3, 16, 9), 1, "Last night was fun", true},
      {4, "07700 900123", utc_ms(2026, 3, 9, 12), 1, std::string(kCanary) + " before the window", false},
      {5, "07700 900456", utc_ms(2026, 3, 15, 21), 1, std::string(kCanary) + " a friend", false},
      {6, "07700 900789", utc_ms(2024, 5, 1, 8), 2, std::string(kCanary) + " two years ago", false},
  };
  x.calls = {
      {1, "07700900123", utc_ms(2026, 3, 16, 1, 10), 42, 1, true},
      {2, "07700 900456", utc_ms(2026, 3, 16, 1, 20), 10, 2, false},
  };
  return x;
}

struct CliSetup {
  TempDir t;
  fs::path tar, key, tmp;
  std::map<std::string, std::string> env;
  CliSetup(const Extraction& x = proportionate_extraction()) {
    tar = t / "evidence.tar";
    write_extraction_tar(x, tar, t / "work");
    key = t / "examiner.key";
    EXPECT_EQ(run_remit({"keygen", "--out", key.string()}).exit_code, 0);
    tmp = t / "tmp";
    fs::create_directories(tmp);
    env = {{"TMPDIR", tmp.string()}, {"SQLITE_TMPDIR", tmp.string()}};
  }
  RunResult extract(const fs::path& out, std::vector<std::string> extra = {},
                    const fs::path& scope = kExamples / "proportionate.toml") {
    std::vector<std::string> args = {"extract",    tar.string(), "--scope",    scope.string(), "--out",
                                     out.string(), "--key",      key.string(), "--examiner",   "DC Examiner"};
    args.insert(args.end(), extra.begin(), extra.end());
    return run_remit(args, env);
  }
};

TEST(ExtractCli, ExtractVerifyReportWithTheCanaryNowhere) {
  CliSetup s;
  const std::string sha = sha256_of_file(s.tar);
  auto r = s.extract(s.t / "PKG", {"--held-at", "the DFU evidence store"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("in scope   4 of 8 items read"), std::string::npos) << r.out;
  auto v = run_remit({"verify", (s.t / "PKG").string(), "--trusted-key", (s.key.string() + ".pub")}, s.env);
  EXPECT_EQ(v.exit_code, 0) << v.out;
  auto rep = run_remit({"report", (s.t / "PKG").string(), "--key", s.key.string()}, s.env);
  EXPECT_EQ(rep.exit_code, 0) << rep.err;
  EXPECT_EQ(run_remit({"verify", (s.t / "PKG").string()}).exit_code, 0);

  // The canary: not in any output stream, not under PKG, not in TMPDIR.
  for (const auto* run : {&r, &v, &rep}) {
    EXPECT_EQ(run->out.find(kCanary), std::string::npos);
    EXPECT_EQ(run->err.find(kCanary), std::string::npos);
  }
  for (const fs::path& root : {s.t / "PKG", s.tmp})
    for (auto& e : fs::recursive_directory_iterator(root))
      if (e.is_regular_file()) {
        EXPECT_EQ(read_file(e.path()).find(kCanary), std::string::npos) << e.path();
      }
  // The in-scope text is there (the search can find things).
  EXPECT_NE(read_file(s.t / "PKG" / "reports" / "report.html").find("Last night was fun"), std::string::npos);
  // The scope file is kept byte for byte; the notice is the scope engine's.
  EXPECT_EQ(read_file(s.t / "PKG" / "scope.toml"), read_file(kExamples / "proportionate.toml"));
  EXPECT_TRUE(fs::exists(s.t / "PKG" / "notice" / "notice-easy-read.html"));
  EXPECT_EQ(sha256_of_file(s.tar), sha);
}

TEST(ExtractCli, RefusesPlanErrorsWrongEvidenceAndExistingOutput) {
  CliSetup s;
  // Plan errors: exit 1, the rules named, nothing written.
  auto broad = s.extract(s.t / "P1", {}, kExamples / "seven-years-everything.toml");
  EXPECT_EQ(broad.exit_code, 1);
  EXPECT_NE(broad.err.find("plan error"), std::string::npos) << broad.err;
  EXPECT_FALSE(fs::exists(s.t / "P1"));
  // Agreement withdrawn: refused.
  std::string withdrawn = read_file(kExamples / "proportionate.toml");
  const auto at = withdrawn.find("notice_version = \"1\"");
  ASSERT_NE(at, std::string::npos);
  withdrawn.insert(at, "withdrawn = true\nwithdrawn_time = 2026-03-19T09:00:00\n");
  write_file(s.t / "withdrawn.toml", withdrawn);
  auto w = s.extract(s.t / "P2", {}, s.t / "withdrawn.toml");
  EXPECT_EQ(w.exit_code, 1) << w.err;
  EXPECT_NE(w.err.find("agreement"), std::string::npos) << w.err;
  EXPECT_FALSE(fs::exists(s.t / "P2"));
  // Acquisition hash differs: exit 2.
  auto acq = s.extract(s.t / "P3", {"--acquisition-hash", std::string(64, '0')});
  EXPECT_EQ(acq.exit_code, 2);
  EXPECT_NE(acq.err.find("acquisition hash"), std::string::npos);
  EXPECT_FALSE(fs::exists(s.t / "P3"));
  auto ok = s.extract(s.t / "P4", {"--acquisition-hash", sha256_of_file(s.tar), "--md5", "--json"});
  ASSERT_EQ(ok.exit_code, 0) << ok.err;
  const json j = json::parse(ok.out);
  EXPECT_EQ(j["items_in_scope"], 4);
  EXPECT_TRUE(json::parse(read_file(s.t / "P4" / "manifest.json"))["container"].contains("md5"));
  // The output exists: exit 2, untouched.
  const std::string manifest = read_file(s.t / "P4" / "manifest.json");
  auto again = s.extract(s.t / "P4");
  EXPECT_EQ(again.exit_code, 2);
  EXPECT_EQ(read_file(s.t / "P4" / "manifest.json"), manifest);
  // A key others can read is refused before anything is opened.
  ::chmod(s.key.c_str(), 0644);
  EXPECT_EQ(s.extract(s.t / "P5").exit_code, 2);
  EXPECT_FALSE(fs::exists(s.t / "P5"));
}

TEST(ExtractCli, SupplementaryPackageForTheWidenedScope) {
  Extraction x = proportionate_extraction();
  x.sms.push_back({7, "07700 900123", utc_ms(2026, 3, 10, 18), 1, "Hi, it's the guy from the gym", false});
  CliSetup s(x);
  ASSERT_EQ(s.extract(s.t / "V1").exit_code, 0);
  // Widening without --supplements is just a new package; with it, only new items.
  auto v2 =
      s.extract(s.t / "V2", {"--supplements", (s.t / "V1").string(), "--json"}, kExamples / "proportionate-v2.toml");
  ASSERT_EQ(v2.exit_code, 0) << v2.err;
  const json j = json::parse(v2.out);
  EXPECT_EQ(j["kind"], "supplementary");
  EXPECT_EQ(j["items_in_scope"], 1);  // the message of 10 March
  EXPECT_EQ(j["items_in_earlier_packages"], 4);
  auto link = run_remit({"verify", (s.t / "V2").string(), "--parent", (s.t / "V1").string(), "--json"});
  EXPECT_EQ(link.exit_code, 0) << link.out;
  EXPECT_TRUE(json::parse(link.out)["parent_checked"]);
  // The same version again is refused.
  auto same = s.extract(s.t / "V2b", {"--supplements", (s.t / "V1").string()});
  EXPECT_NE(same.exit_code, 0);
  EXPECT_FALSE(fs::exists(s.t / "V2b"));
}

// Runs remit extract as a child and signals it after `delay`.
int run_and_signal(const std::vector<std::string>& args, int sig, std::chrono::microseconds delay) {
  std::vector<std::string> argv_s = {REMIT_BINARY};
  argv_s.insert(argv_s.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (auto& a : argv_s) argv.push_back(a.data());
  argv.push_back(nullptr);
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
  posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
  pid_t pid = 0;
  if (posix_spawn(&pid, argv[0], &fa, nullptr, argv.data(), environ) != 0) return -1;
  posix_spawn_file_actions_destroy(&fa);
  std::this_thread::sleep_for(delay);
  ::kill(pid, sig);
  int status = 0;
  ::waitpid(pid, &status, 0);
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  return 128 + WTERMSIG(status);
}

TEST(ExtractCli, InterruptedProcessLeavesNoPackageAndARerunWorks) {
  Extraction x = proportionate_extraction();
  std::mt19937 rng(5);
  for (int i = 0; i < 200; ++i) {
    std::string data(200 * 1024, '\0');
    for (auto& c : data) c = static_cast<char>(rng());
    x.extra.push_back({fmt::format("sdcard/DCIM/Camera/IMG_20250101_{:06}.jpg", i), data});
  }
  CliSetup s(x);
  const fs::path out = s.t / "out" / "PKG";
  fs::create_directories(out.parent_path());
  const auto t0 = std::chrono::steady_clock::now();
  ASSERT_EQ(s.extract(out).exit_code, 0);
  const auto full = std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - t0);
  fs::remove_all(out);
  const std::vector<std::string> args = {
      "extract",    s.tar.string(), "--scope", (kExamples / "proportionate.toml").string(),
      "--out",      out.string(),   "--key",   s.key.string(),
      "--examiner", "DC Examiner"};
  int cut = 0;
  for (int round = 0; round < 12; ++round) {
    const int sig = round % 2 ? SIGKILL : SIGINT;
    const auto delay = std::chrono::microseconds(std::uniform_int_distribution<int64_t>(0, full.count())(rng));
    const int code = run_and_signal(args, sig, delay);
    if (fs::exists(out)) {
      EXPECT_EQ(run_remit({"verify", out.string()}).exit_code, 0) << "round " << round;
      fs::remove_all(out);
    } else {
      ++cut;
      EXPECT_NE(code, 0);
      if (sig == SIGINT) {
        EXPECT_TRUE(code == 130 || code == 128 + SIGINT) << code;
      }
    }
    for (auto& e : fs::directory_iterator(out.parent_path()))
      if (e.is_directory()) {
        EXPECT_NE(run_remit({"verify", e.path().string()}).exit_code, 0) << e.path();
      }
  }
  EXPECT_GT(cut, 0);
  ASSERT_EQ(s.extract(out).exit_code, 0);
  for (auto& e : fs::directory_iterator(out.parent_path())) EXPECT_EQ(e.path(), out) << "left behind: " << e.path();
}

TEST(ExtractCli, HelpNamesEveryOption) {
  auto h = run_remit({"extract", "--help"});
  EXPECT_EQ(h.exit_code, 0);
  for (const char* o : {"--scope", "--out", "--key", "--examiner", "--acquisition-hash", "--supplements", "--md5",
                        "--region", "--password-file", "--held-at", "--json"})
    EXPECT_NE(h.out.find(o), std::string::npos) << o;
  EXPECT_EQ(run_remit({"extract"}).exit_code, 2);
}

}  // namespace
}  // namespace remit::test
