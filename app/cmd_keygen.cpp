// remit keygen --out KEYFILE: an Ed25519 signing key for packages and reports.
#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "cli.hpp"
#include "remit/signing.hpp"
#include "remit/text.hpp"

namespace remit::cli {
namespace {

struct KeygenOptions {
  std::string out;
  bool json = false;
};

ExitCode run_keygen(const KeygenOptions& o) {
  auto pub = write_new_keypair(o.out);
  if (!pub) return fail(pub.error());
  if (o.json) {
    nlohmann::ordered_json j{{"private_key", o.out},
                             {"public_key_file", o.out + ".pub"},
                             {"algorithm", "Ed25519"},
                             {"public_key", pub->base64()},
                             {"fingerprint", pub->fingerprint()}};
    std::puts(j.dump(2).c_str());
  } else {
    fmt::print("private key  {} (mode 0600: keep it secret; it signs packages in your name)\n", printable(o.out));
    fmt::print("public key   {}.pub (give it to whoever checks your packages: remit verify --trusted-key)\n",
               printable(o.out));
    fmt::print("Ed25519      {}\nfingerprint  {}\n", pub->base64(), pub->fingerprint());
  }
  return ExitCode::ok;
}

}  // namespace

void setup_keygen(CLI::App& root, Action& chosen) {
  auto o = std::make_shared<KeygenOptions>();
  auto* cmd = root.add_subcommand("keygen",
                                  "Make an Ed25519 key for signing packages (KEYFILE, mode 0600) and its "
                                  "public key (KEYFILE.pub). Never overwrites.");
  cmd->add_option("--out", o->out, "Private key file to create")->required();
  cmd->add_flag("--json", o->json, "Print the result as JSON");
  cmd->callback([o, &chosen] { chosen = [o] { return run_keygen(*o); }; });
}

}  // namespace remit::cli
