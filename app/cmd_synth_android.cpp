// remit synth android: a synthetic Android extraction with ground truth.
// Thin: parses options, installs the interrupt handler, shows progress,
// prints the summary. The generator is src/synth/android.hpp.
#include <fmt/format.h>
#include <unistd.h>

#include <cstdio>

#include "cli.hpp"
#include "remit/text.hpp"
#include "synth/android.hpp"
#include "synth_run.hpp"

namespace remit::cli {

namespace {

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

  auto run = run_generator("android", a.size, [&](const synth::Progress& p) { return synth::generate_android(a, p); });
  if (!run.result) return generator_failed(run);
  const std::string format(synth::to_string(a.format));
  if (o.json) std::printf("%s\n", summary_json(*run.result, format).dump(2).c_str());
  print_summary_lines(*run.result, format);
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
