// Canonical scope data (src/synth/scope_model.hpp).
#include "synth/scope_model.hpp"

#include "remit/timeconv.hpp"

namespace remit::synth {

Scope CanonicalScope::to_scope() const {
  Scope s;
  s.case_reference = case_reference;
  s.offence = offence;
  s.time_zone = time_zone;
  s.region = region;
  s.incident_start_ms = incident_start_ms;
  s.incident_end_ms = incident_end_ms;
  s.incident_start_text = format_rfc3339_ms(incident_start_ms);
  s.incident_end_text = format_rfc3339_ms(incident_end_ms);
  s.exhibit_reference = case_reference + "/PHONE/1";
  s.device_description =
      "Synthetic Android phone (remit synth): test data, "
      "not a real person's device";
  s.user.role = "complainant";
  s.user.age = 29;
  s.agreement.given_by = "Synthetic complainant";
  s.agreement.form = "written";
  s.agreement.notice_version = "synthetic-1";
  s.authorisation.requesting = {"DC Synthetic Requester", "Detective Constable", "0000"};
  s.authorisation.requested_by = "investigation";
  s.authorisation.sanctioning = {"Insp. Synthetic Sanction", "Inspector", "0001"};
  s.authorisation.sanction_reasons = "Synthetic test scope generated with its ground truth";
  LineOfEnquiry l;
  l.id = "suspect-contact";
  l.purpose =
      "Establish the contact between the complainant and the suspect "
      "around the incident";
  l.belief =
      "Messages and calls with the suspect around the incident are "
      "relevant to consent and to the timeline";
  l.basis =
      "The complainant's account that the suspect contacted her before "
      "and after the incident";
  l.less_intrusive.push_back({"Screenshots offered by the complainant",
                              "Screenshots do not show deleted or app-level "
                              "metadata such as call outcomes"});
  l.categories = {Category::message, Category::call};
  for (const auto& p : parties) {
    ScopeParty sp;
    sp.raw = p.raw;
    sp.id = NormalisedId{PartyKind::phone, p.e164};
    sp.label = p.label;
    l.parties.push_back(std::move(sp));
  }
  TimeWindow w;
  w.start_ms = window_start_ms;
  w.end_ms = window_end_ms;
  w.start_text = window_start_date;
  w.end_text = window_end_date;
  l.windows.push_back(std::move(w));
  l.tolerance_ms = tolerance_ms;
  l.group_rule = GroupRule::sent_by_or_to_party;
  l.include_undated = false;
  s.lines.push_back(std::move(l));
  s.handling.retention_basis = "Synthetic: test data";
  s.handling.who_will_see.push_back("remit's test suite");
  s.version = 1;
  return s;
}

}  // namespace remit::synth
