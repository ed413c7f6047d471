// Orderly interruption (src/package/interrupt.hpp).
#include "package/interrupt.hpp"

#include <pthread.h>
#include <unistd.h>

#include <cerrno>
#include <ctime>

namespace remit::pkg {

namespace {
sigset_t watched() {
  sigset_t s;
  sigemptyset(&s);
  sigaddset(&s, SIGINT);
  sigaddset(&s, SIGTERM);
  sigaddset(&s, SIGHUP);
  return s;
}
}  // namespace

InterruptGuard::InterruptGuard() {
  const sigset_t set = watched();
  pthread_sigmask(SIG_BLOCK, &set, &old_);
  watcher_ = std::thread([this, set] {
    const timespec tick{0, 200 * 1000 * 1000};
    while (!stop_.load()) {
      const int sig = sigtimedwait(&set, nullptr, &tick);
      if (sig <= 0) continue;
      if (interrupted_.exchange(true)) {
        static const char kNow[] = "\nremit: stopped at once; any unfinished output is removed by the next run\n";
        (void)!::write(STDERR_FILENO, kNow, sizeof kNow - 1);
        ::_exit(130);
      }
      signal_ = sig;
      static const char kMsg[] =
          "\nremit: interrupted; removing the unfinished output (interrupt again to stop at once)\n";
      (void)!::write(STDERR_FILENO, kMsg, sizeof kMsg - 1);
    }
  });
}

InterruptGuard::~InterruptGuard() {
  stop_ = true;
  if (watcher_.joinable()) watcher_.join();
  pthread_sigmask(SIG_SETMASK, &old_, nullptr);
}

}  // namespace remit::pkg
