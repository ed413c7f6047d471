#pragma once
// Orderly interruption for commands that write packages (extract, report).
//
// Construct an InterruptGuard on the main thread before any other thread
// starts (before the evidence is opened): it blocks SIGINT, SIGTERM and
// SIGHUP in this thread (so every thread started later inherits the block)
// and waits for them on its own thread. The first signal sets flag() and
// prints one line saying the unfinished output is being removed; the
// writer notices at its next checkpoint and discards its staging folder.
// A second signal ends the process at once (exit 130); the staging folder
// it leaves never verifies and is removed by the next run.
//
// One guard per process at a time. The destructor restores the mask.

#include <atomic>
#include <csignal>
#include <thread>

namespace remit::pkg {

class InterruptGuard {
 public:
  InterruptGuard();
  ~InterruptGuard();
  InterruptGuard(const InterruptGuard&) = delete;
  InterruptGuard& operator=(const InterruptGuard&) = delete;

  [[nodiscard]] const std::atomic<bool>* flag() const noexcept { return &interrupted_; }
  [[nodiscard]] bool interrupted() const noexcept { return interrupted_.load(); }
  // The signal received (0 if none).
  [[nodiscard]] int signal() const noexcept { return signal_.load(); }

 private:
  std::atomic<bool> interrupted_{false};
  std::atomic<bool> stop_{false};
  std::atomic<int> signal_{0};
  sigset_t old_{};
  std::thread watcher_;
};

}  // namespace remit::pkg
