// CSV tables rendered from the published metrics document. Text cells that
// came from the input (cohort labels, group values) are neutralised against
// spreadsheet formulas; a suppressed cell is written as "suppressed".
#include <fmt/format.h>

#include "oversight/csv.hpp"
#include "oversight/outputs.hpp"

namespace remit::oversight {

namespace {
using json = nlohmann::json;

class Table {
 public:
  explicit Table(std::vector<std::string> header) : width_(header.size()) {
    for (size_t i = 0; i < header.size(); ++i) {
      if (i) out_ += ',';
      csv_append_raw(out_, header[i]);
    }
    out_ += "\r\n";
  }
  Table& text(const std::string& s) {
    sep();
    csv_append_text(out_, s);
    return *this;
  }
  Table& value(const json& v) {  // number, null (empty) or string token
    sep();
    if (v.is_null()) {
    } else if (v.is_number_integer() || v.is_number_unsigned()) {
      out_ += std::to_string(v.get<int64_t>());
    } else if (v.is_number()) {
      out_ += fmt::format("{:.6f}", v.get<double>());
    } else if (v.is_boolean()) {
      out_ += v.get<bool>() ? "yes" : "no";
    } else {
      csv_append_text(out_, v.is_string() ? v.get<std::string>() : v.dump());
    }
    return *this;
  }
  Table& count(const json& c) {  // {"count":..,"suppressed":..}
    if (c.value("suppressed", false)) return value("suppressed");
    return value(c.contains("count") ? c["count"] : json(nullptr));
  }
  // count, denominator, label, share, lo, hi
  Table& rate(const json& r) {
    const bool sup = r.value("suppressed", false);
    value(r["count"].is_null() && sup ? json("suppressed") : r["count"]);
    value(r["denominator"].is_null() && sup ? json("suppressed") : r["denominator"]);
    value(r["denominator_label"]);
    value(sup ? json("suppressed") : r["share"]);
    value(sup || r["ci95"].is_null() ? json(sup ? "suppressed" : "") : r["ci95"][0]);
    value(sup || r["ci95"].is_null() ? json(sup ? "suppressed" : "") : r["ci95"][1]);
    return *this;
  }
  void end() {
    out_ += "\r\n";
    col_ = 0;
  }
  std::string str() const { return out_; }

 private:
  void sep() {
    if (col_++) out_ += ',';
  }
  size_t width_;
  size_t col_ = 0;
  std::string out_;
};

std::vector<std::string> rate_cols(const std::string& p) {
  return {p + "_count", p + "_denominator", p + "_denominator_label", p + "_share", p + "_ci95_low", p + "_ci95_high"};
}

std::vector<std::string> cat(std::vector<std::string> a, const std::vector<std::string>& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

void key(Table& t, const json& s) {
  t.text(s["cohort"].get<std::string>());
  if (s.contains("by")) {
    t.text(s["by"]["column"].get<std::string>()).text(s["by"]["value"].get<std::string>());
  } else {
    t.text("").text("");
  }
}

}  // namespace

std::vector<std::pair<std::string, std::string>> render_tables(const json& doc) {
  std::vector<const json*> subsets;
  for (const auto& s : doc["cohorts"]) subsets.push_back(&s);
  for (const auto& s : doc["groups"]) subsets.push_back(&s);
  const std::vector<std::string> k = {"cohort", "by_column", "by_value"};
  std::vector<std::pair<std::string, std::string>> out;

  {  // summary.csv
    std::vector<std::string> h = cat(k, {"reports"});
    for (auto p : {"withdrawn", "withdrawn_within_7_days_of_reports", "withdrawn_within_7_days_of_withdrawals",
                   "withdrawn_within_30_days_of_reports", "withdrawn_within_30_days_of_withdrawals", "trial",
                   "convicted", "no_further_action"})
      h = cat(h, rate_cols(p));
    h = cat(h, {"median_days_among_withdrawals", "kaplan_meier_median_days", "reports_followed_up_30_days"});
    Table t(h);
    for (const json* s : subsets) {
      key(t, *s);
      t.count((*s)["reports"]);
      const auto& w = (*s)["withdrawal"];
      t.rate(w["withdrawn"])
          .rate(w["within_7_days"]["share_of_reports"])
          .rate(w["within_7_days"]["share_of_withdrawals"]);
      t.rate(w["within_30_days"]["share_of_reports"]).rate(w["within_30_days"]["share_of_withdrawals"]);
      t.rate((*s)["trial"]).rate((*s)["convicted"]).rate((*s)["no_further_action"]);
      t.value(w["median_days_among_withdrawals"]).value((*s)["kaplan_meier"]["median_days"]);
      t.count(w["reports_followed_up_30_days"]);
      t.end();
    }
    out.emplace_back("summary.csv", t.str());
  }
  {  // funnel.csv
    Table t(cat(cat(k, {"stage"}), rate_cols("stage")));
    for (const json* s : subsets)
      for (const auto& st : (*s)["funnel"]) {
        key(t, *s);
        t.value(st["stage"]).rate(st);
        t.end();
      }
    out.emplace_back("funnel.csv", t.str());
  }
  {  // changes.csv
    Table t(cat(k, {"previous_cohort", "measure", "denominator_label", "difference", "ci95_low", "ci95_high"}));
    for (const json* s : subsets) {
      const auto& ch = (*s)["change_from_previous"];
      if (ch.is_null()) continue;
      for (const auto& m : ch["measures"]) {
        key(t, *s);
        t.text(ch["previous_cohort"].get<std::string>()).value(m["measure"]).value(m["denominator_label"]);
        const bool sup = m.value("suppressed", false);
        t.value(sup ? json("suppressed") : m["difference"]);
        t.value(sup ? json("suppressed") : (m["ci95"].is_null() ? json(nullptr) : m["ci95"][0]));
        t.value(sup ? json("suppressed") : (m["ci95"].is_null() ? json(nullptr) : m["ci95"][1]));
        t.end();
      }
    }
    out.emplace_back("changes.csv", t.str());
  }
  {  // kaplan_meier.csv
    Table t(cat(k, {"day", "survival", "ci95_low", "ci95_high", "at_risk"}));
    for (const json* s : subsets)
      for (const auto& st : (*s)["kaplan_meier"]["steps"]) {
        key(t, *s);
        t.value(st["day"]).value(st["survival"]).value(st["ci95"][0]).value(st["ci95"][1]).value(st["at_risk"]);
        t.end();
      }
    out.emplace_back("kaplan_meier.csv", t.str());
  }
  {  // cumulative_incidence.csv
    Table t(cat(k, {"day", "withdrawal", "no_further_action", "charge"}));
    for (const json* s : subsets)
      for (const auto& st : (*s)["cumulative_incidence"]["steps"]) {
        key(t, *s);
        t.value(st["day"]).value(st["withdrawal"]).value(st["no_further_action"]).value(st["charge"]);
        t.end();
      }
    out.emplace_back("cumulative_incidence.csv", t.str());
  }
  {  // device_requests.csv
    Table t(cat(k, {"family", "band", "exposed_cases", "exposed_events", "reference_events", "hazard_ratio", "ci95_low",
                    "ci95_high"}));
    for (const json* s : subsets) {
      const auto& d = (*s)["device_requests"];
      for (const auto& c : d["hazard_ratios"]) {
        key(t, *s);
        t.value(c["family"]).value(c["band"]).count(c["exposed_cases"]).count(c["exposed_events"]);
        t.count(d["reference_events"]);
        const bool sup = c.value("suppressed", false);
        t.value(sup ? json("suppressed") : c["hazard_ratio"]);
        t.value(sup ? json("suppressed") : (c["ci95"].is_null() ? json(nullptr) : c["ci95"][0]));
        t.value(sup ? json("suppressed") : (c["ci95"].is_null() ? json(nullptr) : c["ci95"][1]));
        t.end();
      }
    }
    out.emplace_back("device_requests.csv", t.str());
  }
  {  // refusals.csv
    Table t(cat(cat(cat(k, {"status"}), rate_cols("refused")), rate_cols("requested_not_refused")));
    for (const json* s : subsets)
      for (const auto& r : (*s)["refusals"]["outcomes"]) {
        key(t, *s);
        t.value(r["status"]).rate(r["refused"]).rate(r["requested_not_refused"]);
        t.end();
      }
    out.emplace_back("refusals.csv", t.str());
  }
  {  // data_quality.csv
    Table t({"section", "item", "count", "share_of_rows_used"});
    const auto& q = doc["data_quality"];
    for (auto f : {"rows_read", "rows_used", "rows_skipped"}) {
      t.value("rows").value(f).count(q[f]).value(nullptr);
      t.end();
    }
    for (const auto& e : q["skipped_by_kind"]) {
      t.value("skipped").value(e["kind"]).count(e);
      t.value(nullptr);
      t.end();
    }
    for (const auto& e : q["missing_by_column"]) {
      t.value("missing").text(e["column"].get<std::string>());
      const bool sup = e.value("suppressed", false);
      t.value(sup ? json("suppressed") : e["count"]).value(sup ? json("suppressed") : e["share"]);
      t.end();
    }
    for (const auto& e : q["consistency_notes"]) {
      t.value("note").value(e["note"]).count(e).value(nullptr);
      t.end();
    }
    out.emplace_back("data_quality.csv", t.str());
  }
  return out;
}

}  // namespace remit::oversight
