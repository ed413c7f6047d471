// remit synth android: a synthetic Android extraction with ground truth.
// Thin: parses options, installs the interrupt handler, shows progress,
// prints the summary. The generator is src/synth/android.hpp.
#include <fmt/format.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <nlohmann/json.hpp>

#include "cli.hpp"
#include "remit/text.hpp"
#include "synth/android.hpp"

namespace remit::cli {

namespace {

std::atomic<bool> g_interrupted{false};
extern "C" void on_interrupt(int) {
  g_interrupted.store(true);
}

struct SynthAndroidOptions {
  std::string out;
  std::string format;
  uint64_t seed = 1;
  int days = 730;
  int contacts = 80;
  double messages_per_day = 24;
  int photos = 150;
  std::string size;
  std::vector<std::string> variants;
  bool force = false;
  bool json = false;
  bool list_variants = false;
};

synth::OutputFormat infer_format(const std::string& path) {
  auto ends = [&](std::string_view s) { return ends_with_ci(path, s); };
  if (ends(".tar.gz") || ends(".tgz")) return synth::OutputFormat::tar_gz;
  if (ends(".tar")) return synth::OutputFormat::tar;
  if (ends(".zip")) return synth::OutputFormat::zip;
  if (ends(".ufdr")) return synth::OutputFormat::ufdr;
  return synth::OutputFormat::dir;
}

ExitCode run(const SynthAndroidOptions& o) {
  if (o.list_variants) {
    for (const auto& v : synth::android_variants())
      std::printf("%-20s %-9s %s\n", std::string(v.name).c_str(), std::string(v.group).c_str(),
                  std::string(v.description).c_str());
    return ExitCode::ok;
  }
  if (o.out.empty()) return fail(Errc::usage, "--out PATH is required");
  synth::AndroidOptions a;
  a.out = o.out;
  if (o.format.empty())
    a.format = infer_format(o.out);
  else if (!synth::parse_output_format(o.format, a.format))
    return fail(Errc::usage, "--format must be dir, tar, tar.gz, zip or ufdr (got '" + o.format + "')");
  a.story.seed = o.seed;
  a.story.days = o.days;
  a.story.contacts = o.contacts;
  a.story.messages_per_day = o.messages_per_day;
  a.story.photos = o.photos;
  if (auto st = synth::validate(a.story); !st) return fail(st.error());
  if (!o.size.empty() && !parse_size(o.size, a.size))
    return fail(Errc::usage, "--size: cannot read '" + o.size + "' (examples: 500M, 10G, 1.5GB)");
  auto v = synth::parse_android_variants(o.variants);
  if (!v) return fail(v.error());
  a.variants = *v;
  a.force = o.force;

  g_interrupted.store(false);
  struct sigaction sa {};
  sa.sa_handler = on_interrupt;
  sigemptyset(&sa.sa_mask);
  struct sigaction old_int {
  }, old_term{};
  sigaction(SIGINT, &sa, &old_int);
  sigaction(SIGTERM, &sa, &old_term);

  const bool bar = show_progress();
  const auto t0 = std::chrono::steady_clock::now();
  synth::Progress p;
  p.cancel = &g_interrupted;
  p.on_stage = [&](std::string_view stage, uint64_t bytes) {
    if (!bar) return;
    const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    std::string total = a.size ? " / " + human_bytes(a.size) : "";
    std::fprintf(stderr, "\rremit synth android: %-40.40s %s%s (%.0fs)   ", std::string(stage).c_str(),
                 human_bytes(bytes).c_str(), total.c_str(), s);
    std::fflush(stderr);
  };
  auto r = synth::generate_android(a, p);
  if (bar) std::fprintf(stderr, "\n");
  sigaction(SIGINT, &old_int, nullptr);
  sigaction(SIGTERM, &old_term, nullptr);
  if (!r) {
    if (g_interrupted.load()) {
      std::fprintf(stderr, "remit: interrupted; nothing was written\n");
      return ExitCode::usage;
    }
    return fail(r.error());
  }
  const auto& s = *r;
  const double mbps = s.seconds > 0 ? static_cast<double>(s.content_bytes) / 1e6 / s.seconds : 0;
  if (o.json) {
    nlohmann::ordered_json j{{"out", s.out.string()},
                             {"format", std::string(synth::to_string(a.format))},
                             {"truth", s.truth.string()},
                             {"story", s.story.string()},
                             {"scope", s.scope.string()},
                             {"content_bytes", s.content_bytes},
                             {"container_bytes", s.container_bytes},
                             {"files", s.files},
                             {"items", s.items},
                             {"expected_in_scope", s.in_scope},
                             {"seconds", s.seconds},
                             {"throughput_mb_per_s", mbps},
                             {"per_parser_table", s.per_table}};
    std::printf("%s\n", j.dump(2).c_str());
  }
  std::fprintf(stderr,
               "remit: wrote %s (%s, %s in %llu files) in %.1f s, %.1f MB/s\n"
               "remit: truth %s: %llu items, %llu expected in scope; story %s; scope %s\n",
               printable(s.out.string()).c_str(), std::string(synth::to_string(a.format)).c_str(),
               human_bytes(s.content_bytes).c_str(), static_cast<unsigned long long>(s.files), s.seconds, mbps,
               printable(s.truth.string()).c_str(), static_cast<unsigned long long>(s.items),
               static_cast<unsigned long long>(s.in_scope), printable(s.story.string()).c_str(),
               printable(s.scope.string()).c_str());
  return ExitCode::ok;
}

}  // namespace

void setup_synth_android(CLI::App& synth, Action& chosen) {
  auto o = std::make_shared<SynthAndroidOptions>();
  auto* cmd = synth.add_subcommand("android",
                                   "Write a synthetic Android full file system extraction "
                                   "(folder, tar, tar.gz or zip; or a UFDR) with PATH.truth.jsonl "
                                   "(every item a perfect parser must produce, marked "
                                   "expected_in_scope), PATH.story.json (owner, suspect, "
                                   "incident, canonical scope) and PATH.scope.toml (that scope as a "
                                   "scope file). Deterministic: the same options "
                                   "give byte-identical files.");
  cmd->add_option("--out", o->out, "Where to write the extraction (refused if it exists, unless --force)");
  cmd->add_option("--format", o->format,
                  "dir, tar, tar.gz, zip or ufdr (a Cellebrite-style UFDR rendered from the extraction; default: from "
                  "the --out suffix, else dir)");
  cmd->add_option("--seed", o->seed, "Seed of the whole story (default 1)");
  cmd->add_option("--days", o->days,
                  "Days of recorded life, ending at the extraction (40..7300, "
                  "default 730)");
  cmd->add_option("--contacts", o->contacts, "Address-book size (20..900, default 80)");
  cmd->add_option("--messages-per-day", o->messages_per_day, "Mean everyday messages per day, all apps (default 24)");
  cmd->add_option("--photos", o->photos, "Camera photos in DCIM (default 150)");
  cmd->add_option("--size", o->size,
                  "Pad the extraction to this many bytes of file content (e.g. "
                  "10G), inside valid JPEGs");
  cmd->add_option("--variant", o->variants, "Schema variant (repeatable; see --list-variants)")->take_all();
  cmd->add_flag("--force", o->force, "Replace an existing PATH (and its .truth.jsonl / .story.json / .scope.toml)");
  cmd->add_flag("--json", o->json, "Print a JSON summary on standard output");
  cmd->add_flag("--list-variants", o->list_variants, "List the variant names and exit");
  cmd->callback([o, &chosen] { chosen = [o] { return run(*o); }; });
}

}  // namespace remit::cli
