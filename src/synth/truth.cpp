// Ground-truth writer (src/synth/truth.hpp).
#include "synth/truth.hpp"

namespace remit::synth {

Status TruthWriter::add(Item item, bool expected_in_scope) {
  item.provenance.container = container_;
  if (item.provenance.entry_name.empty()) item.provenance.entry_name = item.provenance.path;
  std::string line = to_json_line(item);
  if (line.empty() || line.back() != '}') return make_error(Errc::internal, "item serialisation failed");
  line.pop_back();
  line += expected_in_scope ? ",\"expected_in_scope\":true}\n" : ",\"expected_in_scope\":false}\n";
  ++items_;
  if (expected_in_scope) ++in_scope_;
  ++per_table_[item.provenance.parser + " " + item.provenance.table];
  return file_.write(line);
}

Party TruthWriter::party(std::string raw, PartyRole role, std::string name, std::string label) const {
  Party p;
  p.raw = std::move(raw);
  p.role = role;
  p.name = std::move(name);
  p.label = std::move(label);
  parties_.fill(p);
  return p;
}

Provenance TruthWriter::prov(std::string path, std::string table, std::string row, std::string parser) {
  Provenance p;
  p.path = std::move(path);
  p.table = std::move(table);
  p.row = std::move(row);
  p.parser = std::move(parser);
  p.origin = "live";
  return p;
}

Timestamp TruthWriter::time(int64_t raw, TimeUnit unit) {
  Timestamp t;
  t.raw = std::to_string(raw);
  t.unit = unit;
  t.utc_ms = raw == 0 ? std::nullopt : to_unix_ms(raw, unit);
  t.source = t.utc_ms ? TimeSource::recorded : TimeSource::none;
  return t;
}

}  // namespace remit::synth
