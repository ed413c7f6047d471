// The command table: one line per subcommand, in help order.
#include "cli.hpp"

namespace remit::cli {

void setup_inspect(CLI::App&, Action&);
void setup_items(CLI::App&, Action&);

const std::vector<Setup>& commands() {
  static const std::vector<Setup> kCommands = {
      setup_inspect,
      setup_items,
  };
  return kCommands;
}

}  // namespace remit::cli
