// Canonical scope data (src/synth/scope_model.hpp).
#include "synth/scope_model.hpp"

#include <fmt/format.h>

#include "remit/timeconv.hpp"

namespace remit::synth {

Result<std::string> CanonicalScope::scope_toml() const {
  if (parties.empty()) return make_error(Errc::internal, "canonical scope has no party");
  CanonicalScopeSpec spec;
  spec.case_reference = case_reference;
  spec.time_zone = time_zone;
  spec.region = region;
  spec.incident_start_ms = incident_start_ms;
  spec.incident_end_ms = incident_end_ms;
  spec.suspect = parties.front().raw;
  spec.exhibit_reference = case_reference + "/PHONE/1";
  spec.device_description = "Synthetic phone (remit synth): test data, not a real person's device";
  auto scope = canonical_scope(spec);
  if (!scope) return scope.error();
  const auto& w = scope->lines.at(0).windows.at(0);
  if (w.start_ms != window_start_ms || w.end_ms != window_end_ms)
    return make_error(
        Errc::internal,
        fmt::format("canonical scope window {}..{} differs from the story's {}..{}", format_rfc3339_ms(w.start_ms),
                    format_rfc3339_ms(w.end_ms), format_rfc3339_ms(window_start_ms), format_rfc3339_ms(window_end_ms)));
  return scope->text;
}

}  // namespace remit::synth
