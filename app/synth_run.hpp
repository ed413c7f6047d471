#pragma once
// Shared wiring of the `remit synth android|ios` commands: SIGINT/SIGTERM
// cancel the generator (which then writes nothing), a progress line on a
// terminal, and the summary (stderr lines, optional --json document).
#include <functional>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "cli.hpp"
#include "synth/generator.hpp"

namespace remit::cli {

// The output format a --out path names by its suffix (.tar, .tar.gz/.tgz,
// .zip, .ufdr), else a folder.
[[nodiscard]] synth::OutputFormat infer_format(const std::string& path);

struct GeneratorRun {
  Result<synth::GenerationSummary> result;
  bool interrupted = false;  // SIGINT/SIGTERM arrived; the generator wrote nothing
};

// Runs `generate` with a cancel flag set by SIGINT/SIGTERM (the previous
// handlers are restored afterwards) and a progress line
// "remit synth PLATFORM: ..." when attached to a terminal. `size` is the
// --size target shown beside the bytes written (0: none). Not reentrant.
[[nodiscard]] GeneratorRun run_generator(
    std::string_view platform, uint64_t size,
    const std::function<Result<synth::GenerationSummary>(const synth::Progress&)>& generate);

// The exit for a failed run: "interrupted; nothing was written" (usage
// code) or the generator's error.
[[nodiscard]] ExitCode generator_failed(const GeneratorRun& run);

// The --json summary document; callers may add keys before printing.
[[nodiscard]] nlohmann::ordered_json summary_json(const synth::GenerationSummary& s, std::string_view format);

// The two summary lines on stderr ("remit: wrote ...", "remit: truth ...").
void print_summary_lines(const synth::GenerationSummary& s, std::string_view format);

}  // namespace remit::cli
