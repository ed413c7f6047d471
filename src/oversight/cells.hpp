#pragma once
// Published counts and small-cell suppression.
//
// Every count that any output shows is a cell in one CellTable. Additive
// relations between published cells (a total and the parts that make it
// up) are registered as constraints. suppress(N):
//   1. primary: every cell with a value from 1 to N-1 is suppressed (and 0
//      too when `zeros`);
//   2. secondary: until nothing changes, every constraint must have either
//      no suppressed cell, or at least two suppressed cells such that the
//      total is suppressed too or the suppressed parts add up to at least N
//      (so no single cell can be solved for, and a group of suppressed cells
//      never reveals that it is small). The cell added is the unsuppressed
//      one of lowest cost, then lowest value.
// Derived figures (shares, intervals, medians, curves, hazard ratios) are
// shown only when every cell they depend on is shown (see metrics.cpp).
// Not thread-safe.

#include <cstddef>
#include <cstdint>
#include <vector>

namespace remit::oversight {

using CellId = uint32_t;

// Costs: what a secondary suppression of the cell would take away.
inline constexpr int kCostSummary = 1;     // file-level totals (rows read, rows skipped)
inline constexpr int kCostPart = 10;       // ordinary counts
inline constexpr int kCostTotal = 50;      // a subset's count that other parts add up to
inline constexpr int kCostReports = 1000;  // a cohort's number of reports (every share's denominator)

class CellTable {
 public:
  CellId add(int64_t value, int cost = kCostPart);
  void constrain(CellId total, std::vector<CellId> parts);
  // zeros: also suppress counts of 0 (by default a 0 is shown: it is no
  // person's count; see docs/oversight-metrics.md).
  void suppress(int64_t min_cell, bool zeros = false);

  [[nodiscard]] bool suppressed(CellId id) const { return suppressed_[id]; }
  [[nodiscard]] int64_t value(CellId id) const { return values_[id]; }
  [[nodiscard]] size_t size() const { return values_.size(); }
  [[nodiscard]] size_t primary_count() const { return primary_; }
  [[nodiscard]] size_t secondary_count() const { return secondary_; }

 private:
  struct Constraint {
    CellId total;
    std::vector<CellId> parts;
  };
  std::vector<int64_t> values_;
  std::vector<int> costs_;
  std::vector<bool> suppressed_;
  std::vector<Constraint> constraints_;
  size_t primary_ = 0, secondary_ = 0;
};

}  // namespace remit::oversight
