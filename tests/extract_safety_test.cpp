// Safety of `extract` and `report` at the library level:
//  - canary: out-of-scope bodies carry OUT-OF-SCOPE-CANARY; after extract
//    and report (with TMPDIR pointed at a fresh folder) it appears nowhere
//    under the package, in that TMPDIR, or in the audit log;
//  - interruption: extraction in a child process killed at random points
//    with SIGKILL or SIGINT leaves no package and nothing that verifies,
//    and a rerun succeeds (removing stale staging folders);
//  - the evidence's SHA-256 is unchanged throughout.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <random>
#include <thread>

#include "package/interrupt.hpp"
#include "package_fixture.hpp"
#include "remit/report.hpp"

namespace remit::test {
namespace {

// Every file under `root` whose bytes contain `needle`.
std::vector<std::string> files_containing(const fs::path& root, const std::string& needle) {
  std::vector<std::string> hits;
  if (!fs::exists(root)) return hits;
  for (auto& e : fs::recursive_directory_iterator(root)) {
    if (!e.is_regular_file()) continue;
    if (read_file(e.path()).find(needle) != std::string::npos) hits.push_back(e.path().string());
  }
  return hits;
}

TEST(ExtractSafety, CanaryNeverLeavesTheEvidence) {
  TempDir t;
  const fs::path tmp = t / "remit-tmp";
  fs::create_directories(tmp);
  const char* old_tmp = std::getenv("TMPDIR");
  const std::string saved = old_tmp ? old_tmp : "";
  ::setenv("TMPDIR", tmp.c_str(), 1);
  ::setenv("SQLITE_TMPDIR", tmp.c_str(), 1);

  Extraction x = standard_extraction();
  x.extra = {{"sdcard/DCIM/Camera/IMG_20250101_101500.jpg", "\xFF\xD8\xFF " + std::string(kCanary) + " photo"},
             {"sdcard/DCIM/Camera/IMG_20260313_201500.jpg", "\xFF\xD8\xFF in-scope photo"},
             {"test/chat.txt", fmt::format("07700 900456\t{}\t{} chat\tsdcard/DCIM/Camera/IMG_20250101_101500.jpg\n"
                                           "{}\t{}\tin scope chat\t\n",
                                           utc_ms(2026, 3, 14, 12), kCanary, kSuspect, utc_ms(2026, 3, 14, 12))}};
  write_extraction_tar(x, t / "ev.tar", t / "work");
  // The canary is really in the evidence, in the clear.
  ASSERT_NE(read_file(t / "ev.tar").find(kCanary), std::string::npos);
  const std::string sha = sha256_of_file(t / "ev.tar");

  const SigningKey key = test_key();
  auto r = run_extract(t / "ev.tar", make_scope(true), key, t / "PKG");
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_GT(r->items_in_scope, 3u);
  auto rep = write_reports(t / "PKG", key);
  ASSERT_TRUE(rep.ok()) << rep.error().message;

  EXPECT_EQ(files_containing(t / "PKG", kCanary), std::vector<std::string>{});
  EXPECT_EQ(files_containing(tmp, kCanary), std::vector<std::string>{});
  EXPECT_EQ(read_file(t / "PKG" / "audit.jsonl").find(kCanary), std::string::npos);
  // And the in-scope text did arrive (the check can fail).
  EXPECT_EQ(files_containing(t / "PKG", "in scope chat").empty(), false);
  // Nothing of ours beside the package either.
  for (auto& e : fs::directory_iterator(t.path()))
    EXPECT_EQ(e.path().filename().string().find(".remit-partial."), std::string::npos) << e.path();
  EXPECT_EQ(sha256_of_file(t / "ev.tar"), sha);

  if (old_tmp)
    ::setenv("TMPDIR", saved.c_str(), 1);
  else
    ::unsetenv("TMPDIR");
  ::unsetenv("SQLITE_TMPDIR");
}

// A bigger extraction so that a run lasts long enough to be cut at many
// points: 240 photos of 256 KiB, 60 of them in scope (copied).
Extraction slow_extraction() {
  Extraction x = standard_extraction();
  std::mt19937 rng(7);
  for (int i = 0; i < 240; ++i) {
    std::string data(256 * 1024, '\0');
    for (auto& c : data) c = static_cast<char>(rng());
    const bool in = i < 60;
    const std::string name =
        fmt::format("sdcard/DCIM/Camera/IMG_2026{}_{:02}{:02}00.jpg", in ? "0313" : "0101", 10 + i / 60, i % 60);
    x.extra.push_back({name, data});
  }
  return x;
}

enum class Kill { sigkill, sigint };

void interruption_rounds(Kill how, int rounds) {
  TempDir t;
  const Extraction x = slow_extraction();
  write_extraction_tar(x, t / "ev.tar", t / "work");
  const std::string sha = sha256_of_file(t / "ev.tar");
  const Scope scope = make_scope(true);
  const SigningKey key = test_key();
  const fs::path pkg = t / "out" / "PKG";
  fs::create_directories(pkg.parent_path());

  // How long one run takes here.
  const auto t0 = std::chrono::steady_clock::now();
  ASSERT_TRUE(run_extract(t / "ev.tar", scope, key, pkg).ok());
  const auto full = std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - t0);
  fs::remove_all(pkg);

  std::mt19937 rng(how == Kill::sigkill ? 1 : 2);
  int cut = 0, finished = 0;
  for (int round = 0; round < rounds; ++round) {
    std::uniform_int_distribution<int64_t> when(0, full.count() * 11 / 10);
    const auto delay = std::chrono::microseconds(when(rng));
    const pid_t pid = ::fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
      int code = 1;
      {
        pkg::InterruptGuard guard;
        ExtractOptions o;
        o.cancel = guard.flag();
        auto r = run_extract(t / "ev.tar", scope, key, pkg, o);
        code = r.ok() ? 0 : (guard.interrupted() ? 130 : 1);
      }
      ::_exit(code);
    }
    std::this_thread::sleep_for(delay);
    ::kill(pid, how == Kill::sigkill ? SIGKILL : SIGINT);
    int status = 0;
    ::waitpid(pid, &status, 0);
    const bool completed = WIFEXITED(status) && WEXITSTATUS(status) == 0;
    if (how == Kill::sigint && WIFEXITED(status)) {
      EXPECT_TRUE(WEXITSTATUS(status) == 0 || WEXITSTATUS(status) == 130) << "exit " << WEXITSTATUS(status);
    }
    if (fs::exists(pkg)) {
      // Only a run that reached its commit leaves a package, and it verifies.
      auto v = verify_package(pkg);
      ASSERT_TRUE(v.ok());
      EXPECT_TRUE(v->ok) << "round " << round << ": a package was left that does not verify: " << v->message;
      ++finished;
      fs::remove_all(pkg);
    } else {
      ++cut;
      EXPECT_FALSE(completed) << "round " << round << ": exit 0 but no package";
    }
    // Whatever else was left (only after SIGKILL) never verifies.
    for (auto& e : fs::directory_iterator(pkg.parent_path())) {
      if (!e.is_directory()) continue;
      EXPECT_NE(e.path().filename().string().find(".remit-partial."), std::string::npos) << e.path();
      auto v = verify_package(e.path());
      EXPECT_TRUE(!v.ok() || !v->ok) << e.path() << " verifies";
      if (how == Kill::sigint && WIFEXITED(status)) {
        ADD_FAILURE() << "SIGINT left " << e.path() << " behind";
      }
    }
    // A rerun succeeds and clears what an earlier run left.
    if (round % 3 == 2 || round == rounds - 1) {
      auto again = run_extract(t / "ev.tar", scope, key, pkg);
      ASSERT_TRUE(again.ok()) << again.error().message;
      EXPECT_TRUE(verify_package(pkg)->ok);
      for (auto& e : fs::directory_iterator(pkg.parent_path()))
        EXPECT_EQ(e.path(), pkg) << "left behind after a rerun: " << e.path();
      fs::remove_all(pkg);
    }
  }
  EXPECT_GT(cut, 0) << "no round was cut short (timing)";
  EXPECT_EQ(sha256_of_file(t / "ev.tar"), sha);
  std::printf("[ info ] %s: %d rounds cut short, %d completed before the signal; a full run takes %lld us\n",
              how == Kill::sigkill ? "SIGKILL" : "SIGINT", cut, finished, static_cast<long long>(full.count()));
}

TEST(ExtractSafety, SigkillAtRandomPointsLeavesNothingThatVerifies) {
  interruption_rounds(Kill::sigkill, 15);
}

TEST(ExtractSafety, SigintAtRandomPointsRemovesTheUnfinishedPackage) {
  interruption_rounds(Kill::sigint, 15);
}

TEST(ExtractSafety, ReportInterruptedOrFailedLeavesThePackageVerifying) {
  TempDir t;
  write_extraction_tar(standard_extraction(), t / "ev.tar", t / "work");
  const SigningKey key = test_key();
  ASSERT_TRUE(run_extract(t / "ev.tar", make_scope(), key, t / "PKG").ok());
  ASSERT_TRUE(write_reports(t / "PKG", key).ok());
  const std::string audit_before = read_file(t / "PKG" / "audit.jsonl");

  // Cancelled before the commit: nothing changes.
  std::atomic<bool> cancel{true};
  ReportOptions ro;
  ro.cancel = &cancel;
  EXPECT_FALSE(write_reports(t / "PKG", key, ro).ok());
  EXPECT_EQ(read_file(t / "PKG" / "audit.jsonl"), audit_before);
  EXPECT_TRUE(verify_package(t / "PKG")->ok);

  // Killed at random points: the package always verifies afterwards.
  std::mt19937 rng(3);
  for (int round = 0; round < 12; ++round) {
    const pid_t pid = ::fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
      auto r = write_reports(t / "PKG", key);
      ::_exit(r.ok() ? 0 : 1);
    }
    std::this_thread::sleep_for(std::chrono::microseconds(std::uniform_int_distribution<int>(0, 60000)(rng)));
    ::kill(pid, SIGKILL);
    int status = 0;
    ::waitpid(pid, &status, 0);
    auto v = verify_package(t / "PKG");
    ASSERT_TRUE(v.ok());
    EXPECT_TRUE(v->ok) << "round " << round << ": " << v->message;
  }
  // And a later run still works (and clears stale staging next to PKG).
  ASSERT_TRUE(write_reports(t / "PKG", key).ok());
  EXPECT_TRUE(verify_package(t / "PKG")->ok);
  for (auto& e : fs::directory_iterator(t.path()))
    EXPECT_EQ(e.path().filename().string().find(".remit-partial."), std::string::npos) << e.path();

  // A package that no longer verifies gets no reports.
  write_file(t / "PKG" / "stats.json", "{}");
  auto refused = write_reports(t / "PKG", key);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, Errc::findings);
}

}  // namespace
}  // namespace remit::test
