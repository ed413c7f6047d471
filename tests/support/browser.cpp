#include "support/browser.hpp"

#include <gtest/gtest.h>

#include "support/support.hpp"

namespace remit::test {

std::optional<std::filesystem::path> chromium_path() {
  if (const char* e = std::getenv("REMIT_CHROMIUM"); e && *e && std::filesystem::exists(e))
    return std::filesystem::path(e);
  for (const char* p : {"/usr/bin/chromium", "/usr/bin/chromium-browser"})
    if (std::filesystem::exists(p)) return std::filesystem::path(p);
  return std::nullopt;
}

BrowserResult render_in_chromium(const std::filesystem::path& html, int timeout_s) {
  BrowserResult out;
  auto chrome = chromium_path();
  if (!chrome) {
    ADD_FAILURE() << "chromium not found (scripts/install-deps installs Debian's chromium)";
    return out;
  }
  TempDir profile;
  const std::vector<std::string> argv = {
      chrome->string(),
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--disable-extensions",
      "--enable-logging=stderr",
      "--v=0",
      "--user-data-dir=" + profile.path().string(),
      "--virtual-time-budget=3000",
      "--dump-dom",
      "file://" + std::filesystem::absolute(html).string(),
  };
  auto r = run_process(argv, {{"HOME", profile.path().string()}}, std::nullopt, {}, timeout_s);
  out.exit_code = r.exit_code;
  out.dom = std::move(r.out);
  out.log = std::move(r.err);
  return out;
}

size_t count_occurrences(const std::string& hay, const std::string& needle) {
  if (needle.empty()) return 0;
  size_t n = 0;
  for (size_t p = hay.find(needle); p != std::string::npos; p = hay.find(needle, p + needle.size())) ++n;
  return n;
}

}  // namespace remit::test
