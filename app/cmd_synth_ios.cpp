// remit synth ios: a synthetic iOS full file system extraction with ground
// truth. Thin: parses options, installs the interrupt handler, shows
// progress, prints the summary. The generator is src/synth/ios.hpp.
#include <fmt/format.h>
#include <unistd.h>

#include <cstdio>
#include <nlohmann/json.hpp>

#include "cli.hpp"
#include "remit/text.hpp"
#include "synth/ios.hpp"
#include "synth_run.hpp"

namespace remit::cli {

namespace {

struct SynthIosOptions {
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
  std::string password_file;
  uint32_t kdf_rounds = 10'000'000;
  bool kdf_rounds_given = false;
};

ExitCode run(const SynthIosOptions& o) {
  if (o.list_variants) {
    for (const auto& v : synth::ios_variants())
      std::printf("%-28s %-12s %s\n", std::string(v.name).c_str(), std::string(v.group).c_str(),
                  std::string(v.description).c_str());
    return ExitCode::ok;
  }
  if (o.out.empty()) return fail(Errc::usage, "--out PATH is required");
  synth::IosOptions a;
  a.out = o.out;
  if (o.format.empty())
    a.format = infer_format(o.out);
  else if (o.format == "itunes" || o.format == "itunes-encrypted") {
    a.backup.enabled = true;
    a.backup.encrypted = o.format == "itunes-encrypted";
  } else if (!synth::parse_output_format(o.format, a.format))
    return fail(Errc::usage,
                "--format must be dir, tar, tar.gz, zip, ufdr, itunes or itunes-encrypted (got '" + o.format + "')");
  if (!a.backup.encrypted && (!o.password_file.empty() || o.kdf_rounds_given))
    return fail(Errc::usage, "--password-file and --kdf-rounds are for --format itunes-encrypted only");
  if (a.backup.encrypted) {
    if (o.kdf_rounds == 0) return fail(Errc::usage, "--kdf-rounds must be at least 1");
    a.backup.kdf_rounds = o.kdf_rounds;
    EvidenceOptions pw;
    pw.password_file = o.password_file;
    auto p = read_password(pw);
    if (!p) return fail(p.error());
    a.backup.password = std::move(*p);
  }
  const std::string format_name = a.backup.enabled ? o.format : std::string(synth::to_string(a.format));
  a.story.seed = o.seed;
  a.story.days = o.days;
  a.story.contacts = o.contacts;
  a.story.messages_per_day = o.messages_per_day;
  a.story.photos = o.photos;
  if (auto st = synth::validate(a.story); !st) return fail(st.error());
  if (!o.size.empty() && !parse_size(o.size, a.size))
    return fail(Errc::usage, "--size: cannot read '" + o.size + "' (examples: 500M, 10G, 1.5GB)");
  auto v = synth::parse_ios_variants(o.variants);
  if (!v) return fail(v.error());
  a.variants = *v;
  a.force = o.force;

  auto run = run_generator("ios", a.size, [&](const synth::Progress& p) { return synth::generate_ios(a, p); });
  if (!run.result) return generator_failed(run);
  const auto& s = *run.result;
  if (o.json) {
    auto j = summary_json(s, format_name);
    if (a.backup.encrypted) {
      j["password_file"] =
          o.password_file.empty() ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(o.password_file);
      j["password_in"] = o.password_file.empty() ? s.story.string() + " (backup.password)" : o.password_file;
    }
    std::printf("%s\n", j.dump(2).c_str());
  }
  print_summary_lines(s, format_name);
  if (a.backup.encrypted) {
    if (o.password_file.empty())
      std::fprintf(stderr,
                   "remit: encrypted with a password derived from --seed: it is in %s under backup.password "
                   "(synthetic evidence); read it back with --password-file\n",
                   printable(s.story.string()).c_str());
    else
      std::fprintf(stderr, "remit: encrypted with the password in %s\n", printable(o.password_file).c_str());
  }
  return ExitCode::ok;
}

}  // namespace

void setup_synth_ios(CLI::App& synth, Action& chosen) {
  auto o = std::make_shared<SynthIosOptions>();
  auto* cmd = synth.add_subcommand("ios",
                                   "Write a synthetic iOS full file system extraction "
                                   "(folder, tar, tar.gz or zip; or a UFDR; or an iTunes/Finder backup "
                                   "folder, plain or encrypted) with PATH.truth.jsonl "
                                   "(every item a perfect parser must produce, marked "
                                   "expected_in_scope), PATH.story.json (owner, suspect, "
                                   "incident, canonical scope) and PATH.scope.toml (that scope as a "
                                   "scope file). Deterministic: the same options "
                                   "give byte-identical files.");
  cmd->add_option("--out", o->out, "Where to write the extraction (refused if it exists, unless --force)");
  cmd->add_option("--format", o->format,
                  "dir, tar, tar.gz, zip, ufdr (a Cellebrite-style UFDR rendered from the extraction), itunes or "
                  "itunes-encrypted (an iTunes/Finder backup folder: Manifest.db, Manifest.plist, Info.plist, "
                  "Status.plist, hashed files; default: from the --out suffix, else dir)");
  cmd->add_option("--password-file", o->password_file,
                  "itunes-encrypted: file whose first line is the backup password (default: a password derived "
                  "from --seed, written to PATH.story.json under backup.password)");
  cmd->add_option_function<uint32_t>(
      "--kdf-rounds",
      [o](uint32_t n) {
        o->kdf_rounds = n;
        o->kdf_rounds_given = true;
      },
      "itunes-encrypted: PBKDF2-SHA256 rounds of the keybag (default 10000000, as real backups; use a small "
      "number for fixtures)");
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
