// remit: proportionate examination of a complainant's phone.
// The executable only parses arguments and wires the layers together.
#include <cstdio>
#include <exception>

#include "cli.hpp"
#include "remit/evidence_db.hpp"
#include "remit/version.hpp"

int main(int argc, char** argv) {
  // A core file would hold evidence content.
  remit::disable_core_dumps();

  CLI::App app{
      "remit: examine only what a recorded line of enquiry needs, prove nothing else was looked at, "
      "and tell the device user in plain words.",
      "remit"};
  app.set_version_flag("--version", std::string("remit ") + remit::kVersion);
  app.require_subcommand(1);
  app.fallthrough(false);

  remit::cli::Action chosen;
  for (auto setup : remit::cli::commands()) setup(app, chosen);

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);  // prints help, returns 0
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    app.exit(e);  // prints the message
    return static_cast<int>(remit::ExitCode::usage);
  }
  if (!chosen) return static_cast<int>(remit::ExitCode::usage);
  try {
    return static_cast<int>(chosen());
  } catch (const std::exception& e) {
    std::fprintf(stderr, "remit: internal error: %s\n", e.what());
    return static_cast<int>(remit::ExitCode::internal);
  } catch (...) {
    std::fprintf(stderr, "remit: internal error\n");
    return static_cast<int>(remit::ExitCode::internal);
  }
}
