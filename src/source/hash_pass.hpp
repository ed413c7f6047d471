#pragma once
// The container hash pass: one sequential read of a file on its own thread,
// feeding SHA-256 (and MD5 on request). Internal to src/source.
//
// Thread-safety: start in the constructor; wait() may be called from one
// thread, any number of times. The destructor asks the thread to stop and
// joins it.

#include <atomic>
#include <filesystem>
#include <functional>
#include <mutex>
#include <optional>
#include <thread>

#include "remit/source.hpp"

namespace remit::detail {

class HashPass {
 public:
  HashPass(std::filesystem::path file, bool md5, std::function<void(uint64_t, uint64_t)> progress);
  ~HashPass();
  HashPass(const HashPass&) = delete;
  HashPass& operator=(const HashPass&) = delete;

  [[nodiscard]] Result<ContainerDigest> wait();

 private:
  void run();
  std::filesystem::path file_;
  bool md5_;
  std::function<void(uint64_t, uint64_t)> progress_;
  std::atomic<bool> stop_{false};
  std::optional<Result<ContainerDigest>> result_;
  std::thread thread_;
  std::mutex mu_;
  bool joined_ = false;
};

}  // namespace remit::detail
