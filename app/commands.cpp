// The command tables: one line per subcommand, in help order.
#include "cli.hpp"

namespace remit::cli {

void setup_inspect(CLI::App&, Action&);
void setup_items(CLI::App&, Action&);
void setup_plan(CLI::App&, Action&);
void setup_synth(CLI::App&, Action&);
void setup_extract(CLI::App&, Action&);
void setup_keygen(CLI::App&, Action&);
void setup_verify(CLI::App&, Action&);
void setup_report(CLI::App&, Action&);
void setup_synth_android(CLI::App&, Action&);
void setup_synth_ios(CLI::App&, Action&);
void setup_oversight(CLI::App&, Action&);
void setup_synth_cases(CLI::App&, Action&);

const std::vector<Setup>& commands() {
  static const std::vector<Setup> kCommands = {
      setup_inspect, setup_items,  setup_plan,   setup_synth,     setup_extract,
      setup_keygen,  setup_verify, setup_report, setup_oversight,
  };
  return kCommands;
}

const std::vector<Setup>& synth_commands() {
  static const std::vector<Setup> kSynth = {
      setup_synth_android,
      setup_synth_ios,
      setup_synth_cases,
  };
  return kSynth;
}

}  // namespace remit::cli
