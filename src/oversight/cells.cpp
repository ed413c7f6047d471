// Small-cell suppression (see cells.hpp for the rules).
#include "oversight/cells.hpp"

#include <optional>
#include <tuple>

namespace remit::oversight {

CellId CellTable::add(int64_t value, int cost) {
  values_.push_back(value);
  costs_.push_back(cost);
  suppressed_.push_back(false);
  return static_cast<CellId>(values_.size() - 1);
}

void CellTable::constrain(CellId total, std::vector<CellId> parts) {
  constraints_.push_back(Constraint{total, std::move(parts)});
}

void CellTable::suppress(int64_t min_cell, bool zeros) {
  for (size_t i = 0; i < values_.size(); ++i)
    if (values_[i] < min_cell && (values_[i] > 0 || zeros)) {
      suppressed_[i] = true;
      ++primary_;
    }
  if (min_cell <= 0) return;
  // A cell that is the total of other relations costs more to suppress: its
  // suppression would spread.
  std::vector<int> degree(values_.size(), 0);
  for (const auto& c : constraints_) ++degree[c.total];
  auto key = [&](CellId id) {
    return std::make_tuple(costs_[id] + 100 * degree[id], values_[id] > 0 ? 0 : 1, values_[id]);
  };
  bool changed = true;
  while (changed) {
    changed = false;
    for (const auto& c : constraints_) {
      for (;;) {
        size_t count = suppressed_[c.total] ? 1 : 0;
        int64_t part_sum = 0;
        for (CellId p : c.parts)
          if (suppressed_[p]) {
            ++count;
            part_sum += values_[p];
          }
        const bool ok = count == 0 || (count >= 2 && (suppressed_[c.total] || part_sum >= min_cell));
        if (ok) break;
        // The cheapest unsuppressed cell; a part must add to the suppressed
        // sum (so zeros only when nothing else is left).
        std::optional<CellId> best;
        for (CellId p : c.parts)
          if (!suppressed_[p] && (!best || key(p) < key(*best))) best = p;
        if (!suppressed_[c.total] && (!best || key(c.total) < key(*best) || values_[*best] == 0)) best = c.total;
        if (!best) break;  // everything is suppressed already
        suppressed_[*best] = true;
        ++secondary_;
        changed = true;
      }
    }
  }
}

}  // namespace remit::oversight
