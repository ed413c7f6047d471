// Shared wiring of the synth commands (app/synth_run.hpp).
#include "synth_run.hpp"

#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <string>

#include "remit/text.hpp"

namespace remit::cli {

namespace {
std::atomic<bool> g_interrupted{false};
extern "C" void on_synth_interrupt(int) {
  g_interrupted.store(true);
}

double throughput_mb_s(const synth::GenerationSummary& s) {
  return s.seconds > 0 ? static_cast<double>(s.content_bytes) / 1e6 / s.seconds : 0;
}
}  // namespace

synth::OutputFormat infer_format(const std::string& path) {
  auto ends = [&](std::string_view s) { return ends_with_ci(path, s); };
  if (ends(".tar.gz") || ends(".tgz")) return synth::OutputFormat::tar_gz;
  if (ends(".tar")) return synth::OutputFormat::tar;
  if (ends(".zip")) return synth::OutputFormat::zip;
  if (ends(".ufdr")) return synth::OutputFormat::ufdr;
  return synth::OutputFormat::dir;
}

GeneratorRun run_generator(std::string_view platform, uint64_t size,
                           const std::function<Result<synth::GenerationSummary>(const synth::Progress&)>& generate) {
  g_interrupted.store(false);
  struct sigaction sa {};
  sa.sa_handler = on_synth_interrupt;
  sigemptyset(&sa.sa_mask);
  struct sigaction old_int {
  }, old_term{};
  sigaction(SIGINT, &sa, &old_int);
  sigaction(SIGTERM, &sa, &old_term);

  const bool bar = show_progress();
  const auto t0 = std::chrono::steady_clock::now();
  const std::string label(platform);
  synth::Progress p;
  p.cancel = &g_interrupted;
  p.on_stage = [&](std::string_view stage, uint64_t bytes) {
    if (!bar) return;
    const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    const std::string total = size ? " / " + human_bytes(size) : "";
    std::fprintf(stderr, "\rremit synth %s: %-40.40s %s%s (%.0fs)   ", label.c_str(), std::string(stage).c_str(),
                 human_bytes(bytes).c_str(), total.c_str(), s);
    std::fflush(stderr);
  };
  GeneratorRun run{generate(p)};
  if (bar) std::fprintf(stderr, "\n");
  sigaction(SIGINT, &old_int, nullptr);
  sigaction(SIGTERM, &old_term, nullptr);
  run.interrupted = !run.result && g_interrupted.load();
  return run;
}

ExitCode generator_failed(const GeneratorRun& run) {
  if (run.interrupted) {
    std::fprintf(stderr, "remit: interrupted; nothing was written\n");
    return ExitCode::usage;
  }
  return fail(run.result.error());
}

nlohmann::ordered_json summary_json(const synth::GenerationSummary& s, std::string_view format) {
  return nlohmann::ordered_json{{"out", s.out.string()},
                                {"format", std::string(format)},
                                {"truth", s.truth.string()},
                                {"story", s.story.string()},
                                {"scope", s.scope.string()},
                                {"content_bytes", s.content_bytes},
                                {"container_bytes", s.container_bytes},
                                {"files", s.files},
                                {"items", s.items},
                                {"expected_in_scope", s.in_scope},
                                {"seconds", s.seconds},
                                {"throughput_mb_per_s", throughput_mb_s(s)},
                                {"per_parser_table", s.per_table}};
}

void print_summary_lines(const synth::GenerationSummary& s, std::string_view format) {
  std::fprintf(stderr,
               "remit: wrote %s (%s, %s in %llu files) in %.1f s, %.1f MB/s\n"
               "remit: truth %s: %llu items, %llu expected in scope; story %s; scope %s\n",
               printable(s.out.string()).c_str(), std::string(format).c_str(), human_bytes(s.content_bytes).c_str(),
               static_cast<unsigned long long>(s.files), s.seconds, throughput_mb_s(s),
               printable(s.truth.string()).c_str(), static_cast<unsigned long long>(s.items),
               static_cast<unsigned long long>(s.in_scope), printable(s.story.string()).c_str(),
               printable(s.scope.string()).c_str());
}

}  // namespace remit::cli
