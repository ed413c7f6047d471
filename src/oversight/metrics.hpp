#pragma once
// Computes every metric group for every cohort (and cohort x --by value),
// registers each published count in a CellTable, applies suppression, and
// builds the published metrics document. Internal to the oversight layer.

#include <nlohmann/json.hpp>

#include "oversight/records.hpp"

namespace remit::oversight {

// Authorised request breadth from evidence packages, per case index.
struct Breadth {
  int32_t days = -1;
  int8_t categories = -1;
};

struct MetricsInput {
  const CaseSet* cases = nullptr;
  const Options* options = nullptr;
  std::vector<Breadth> authorised;  // empty, or one per case (days/categories -1 = no package)
  nlohmann::json packages_summary;  // null when --packages was not given
  std::string tool_version;
};

// The published (suppressed) document.
[[nodiscard]] nlohmann::json compute_metrics(const MetricsInput& in);

}  // namespace remit::oversight
