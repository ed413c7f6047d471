// The scope matcher (include/remit/scope.hpp, docs/scope-file.md
// "Matching"). Decides per item whether it is in scope and under which
// lines of enquiry.
//
// Order of tests per line, cheapest and least intrusive first: category,
// time, parties, and only then keywords. An item's text is read (folded)
// only when some line has already accepted it on every other ground, so
// out-of-scope content is examined no further than needed to decide.
//
// References: RE2 (linear-time matching, RE2::Options literal /
// case_sensitive, UTF-8); ICU NFKC_Casefold (see textutil.cpp).
#include <re2/re2.h>

#include <algorithm>

#include "remit/scope.hpp"
#include "scope/detail.hpp"

namespace remit {
namespace {

struct CompiledLine {
  const LineOfEnquiry* line = nullptr;
  bool cats[kAllCategories.size()] = {};
  std::vector<std::string> parties;  // normalised values
  std::vector<std::unique_ptr<RE2>> keywords;
};

size_t cat_index(Category c) {
  return static_cast<size_t>(c);
}

enum class TimeFit { none, strict, tolerance };

TimeFit fit_time(const LineOfEnquiry& l, const Item& item) {
  if (!item.time.dated()) return l.include_undated ? TimeFit::strict : TimeFit::none;
  const int64_t t = *item.time.utc_ms;
  TimeFit best = TimeFit::none;
  for (const auto& w : l.windows) {
    if (t >= w.start_ms && t < w.end_ms) return TimeFit::strict;
    if (l.tolerance_ms > 0 && t >= w.start_ms - l.tolerance_ms && t < w.end_ms + l.tolerance_ms)
      best = TimeFit::tolerance;
  }
  return best;
}

}  // namespace

struct ScopeMatcher::Impl {
  const PartyNormaliser& norm;
  std::vector<CompiledLine> lines;

  explicit Impl(const PartyNormaliser& n) : norm(n) {}

  [[nodiscard]] std::string party_value(const Party& p) const {
    if (!p.raw.empty()) return norm.normalise(p.raw).value;
    return p.normalised;
  }

  [[nodiscard]] bool parties_fit(const CompiledLine& cl, const Item& item) const {
    if (cl.parties.empty()) return true;
    for (const Party& p : item.parties) {
      if (p.is_owner) continue;
      // In a group conversation under the default rule only the sender
      // counts: a message the user (or anyone else) sent to the group is
      // not a message with the party.
      if (item.group && cl.line->group_rule == GroupRule::sent_by_or_to_party && p.role != PartyRole::from) continue;
      const std::string v = party_value(p);
      if (v.empty()) continue;
      if (std::find(cl.parties.begin(), cl.parties.end(), v) != cl.parties.end()) return true;
    }
    return false;
  }
};

ScopeMatcher::ScopeMatcher(const Scope& scope, const PartyNormaliser& parties)
    : scope_(scope), impl_(std::make_unique<Impl>(parties)) {
  for (const auto& l : scope.lines) {
    CompiledLine cl;
    cl.line = &l;
    for (Category c : l.categories) cl.cats[cat_index(c)] = true;
    if (l.everything)
      for (auto& b : cl.cats) b = true;
    for (const auto& p : l.parties) {
      const std::string v = p.raw.empty() ? p.id.value : parties.normalise(p.raw).value;
      if (!v.empty()) cl.parties.push_back(v);
    }
    for (const auto& k : l.keywords) {
      RE2::Options o;
      o.set_log_errors(false);
      o.set_encoding(RE2::Options::EncodingUTF8);
      std::unique_ptr<RE2> re;
      if (k.regex) {
        o.set_case_sensitive(false);
        re = std::make_unique<RE2>(scope_detail::strip_accents(k.pattern), o);
      } else {
        o.set_literal(true);
        re = std::make_unique<RE2>(scope_detail::fold_for_search(k.pattern), o);
      }
      // A pattern that does not compile (only possible for a Scope built in
      // code: load_scope() refuses it) matches nothing: never widen.
      if (!re->ok()) re.reset();
      cl.keywords.push_back(std::move(re));
    }
    impl_->lines.push_back(std::move(cl));
  }
}

ScopeMatcher::~ScopeMatcher() = default;

MatchResult ScopeMatcher::match(const Item& item) const {
  MatchResult r;
  bool strict_any = false;
  std::optional<std::string> folded;  // the item's text, folded once, only if needed
  for (const auto& cl : impl_->lines) {
    const size_t ci = cat_index(item.category);
    if (ci >= kAllCategories.size() || !cl.cats[ci]) continue;
    const TimeFit tf = fit_time(*cl.line, item);
    if (tf == TimeFit::none) continue;
    if (!impl_->parties_fit(cl, item)) continue;
    if (!cl.keywords.empty()) {
      if (!folded) {
        std::string text = item.body;
        text += '\n';
        text += item.title;
        text += '\n';
        text += item.url;
        folded = scope_detail::fold_for_search(text);
      }
      bool hit = false;
      for (const auto& re : cl.keywords) {
        if (re && RE2::PartialMatch(*folded, *re)) {
          hit = true;
          break;
        }
      }
      if (!hit) continue;
    }
    r.lines.push_back(cl.line->id);
    strict_any = strict_any || tf == TimeFit::strict;
  }
  r.in_scope = !r.lines.empty();
  r.near_edge = r.in_scope && !strict_any;
  return r;
}

}  // namespace remit
