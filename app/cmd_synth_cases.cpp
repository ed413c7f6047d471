// remit synth cases --out FILE: synthetic case records calibrated to the
// published attrition figures, with FILE.truth.json (issue 9).
#include <fmt/format.h>

#include <cstdio>

#include "cli.hpp"
#include "remit/oversight.hpp"
#include "remit/text.hpp"

namespace remit::cli {

namespace {
struct SynthCasesArgs {
  std::string out, data_date;
  uint64_t seed = 1;
  std::vector<std::string> cohorts;
};
}  // namespace

void setup_synth_cases(CLI::App& root, Action& chosen) {
  auto args = std::make_shared<SynthCasesArgs>();
  auto* cmd = root.add_subcommand("cases",
                                  "Synthetic case records (CSV in the oversight format) "
                                  "calibrated to the published figures, with "
                                  "FILE.truth.json; deterministic for a seed");
  cmd->add_option("--out", args->out, "CSV file to write (atomically); the truth goes to FILE.truth.json")->required();
  cmd->add_option("--seed", args->seed, "Random seed")->capture_default_str();
  cmd->add_option("--cohort", args->cohorts, "YEAR:N, repeatable (default 2016:501 2019:1000 2021:1000)");
  cmd->add_option("--data-date", args->data_date,
                  "Data date YYYY-MM-DD (default: 31 December four years after "
                  "the last cohort, or yesterday)");
  cmd->callback([args, &chosen] {
    chosen = [args]() -> ExitCode {
      oversight::SynthOptions o;
      o.out = args->out;
      o.seed = args->seed;
      if (!args->data_date.empty()) o.data_date = args->data_date;
      for (const auto& c : args->cohorts) {
        const auto colon = c.find(':');
        oversight::SynthCohort sc;
        try {
          size_t used = 0, used2 = 0;
          if (colon == std::string::npos) throw std::invalid_argument("colon");
          sc.year = std::stoi(c.substr(0, colon), &used);
          sc.cases = std::stoll(c.substr(colon + 1), &used2);
          if (used != colon || used2 != c.size() - colon - 1) throw std::invalid_argument("trailing");
        } catch (const std::exception&) {
          return fail(Errc::usage, "--cohort " + printable(c) + ": expected YEAR:N, e.g. 2021:5000");
        }
        o.cohorts.push_back(sc);
      }
      auto r = oversight::generate_cases(o);
      if (!r) return fail(r.error());
      std::fprintf(stderr, "remit: wrote %lld case records to %s (data date %s); truth: %s\n",
                   static_cast<long long>(r->rows), printable(args->out).c_str(), r->data_date.c_str(),
                   printable(r->truth.string()).c_str());
      return ExitCode::ok;
    };
  });
}

}  // namespace remit::cli
