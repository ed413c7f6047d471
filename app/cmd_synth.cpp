// remit synth {android|ios|cases}: synthetic evidence and case records with
// ground truth. The subcommands are listed in app/commands.cpp.
#include "cli.hpp"

namespace remit::cli {

void setup_synth(CLI::App& root, Action& chosen) {
  auto* cmd = root.add_subcommand("synth",
                                  "Generate synthetic phone extractions or case records, with ground truth "
                                  "(test instruments; never real data)");
  cmd->require_subcommand(1);
  for (auto setup : synth_commands()) setup(*cmd, chosen);
}

}  // namespace remit::cli
