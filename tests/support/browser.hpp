#pragma once
// Headless Chromium for tests that prove HTML output stays inert
// (hostile message bodies must never run script). Debian's `chromium`
// is installed by scripts/install-deps.

#include <filesystem>
#include <optional>
#include <string>

namespace remit::test {

// /usr/bin/chromium, or $REMIT_CHROMIUM; nullopt when neither exists.
std::optional<std::filesystem::path> chromium_path();

struct BrowserResult {
  int exit_code = -1;
  std::string dom;  // document.documentElement.outerHTML after load and scripts
  std::string log;  // Chromium's stderr with console messages (CSP reports appear here)
};

// Loads a local HTML file in headless Chromium (no network, fresh profile),
// waits for load, and dumps the DOM. Fails the current test (ADD_FAILURE)
// if Chromium is missing.
BrowserResult render_in_chromium(const std::filesystem::path& html, int timeout_s = 90);

// Counts occurrences of `needle` in `hay`.
size_t count_occurrences(const std::string& hay, const std::string& needle);

}  // namespace remit::test
