#pragma once
// extraInfo: the report's link from a decoded model to the device file (and
// table) it was decoded from. Internal to src/artifacts/ufdr.
//
// <extraInfo id="MODEL-ID"><nodeInfo id="FILE-ID" path="/data/.../mmssms.db"
//   size=".." tableName="sms" offset=".."/></extraInfo>
// (casework parser_UFEDtoCASE.py: "extraInfo @id is the link with the Trace
// @id"). Public descriptions place these elements after decodedData, so a
// single forward pass would meet them only after the models they describe
// were emitted. ExtraInfoScanner therefore finds them in a cheap first pass
// over the raw bytes (no XML parse of anything else), and ExtraInfoIndex
// keeps them compactly for the main pass.

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "artifacts/ufdr/report_reader.hpp"

namespace remit::ufdr {

// 64-bit hash of an identifier (FNV-1a, then a SplitMix64 finaliser).
[[nodiscard]] uint64_t id_hash(std::string_view id) noexcept;

// Model id -> (source path, table). About 16 bytes per model plus each
// distinct path and table name once. Lookups by a 64-bit hash of the id
// (a collision between two ids of one report is vanishingly unlikely and
// would only mislabel a provenance note, never an item's content).
class ExtraInfoIndex {
 public:
  void add(const ExtraInfo& info);
  // Sorts for lookup; call after the last add().
  void seal();
  struct Hit {
    std::string_view path, table;
  };
  [[nodiscard]] std::optional<Hit> find(std::string_view model_id) const;
  [[nodiscard]] size_t size() const noexcept { return recs_.size(); }
  [[nodiscard]] size_t memory_bytes() const noexcept;

 private:
  uint32_t intern(const std::string& s);
  struct Rec {
    uint64_t key;
    uint32_t path;
    uint32_t table;
  };
  std::vector<Rec> recs_;
  std::vector<std::string> strings_{std::string()};
  std::unordered_map<std::string, uint32_t> ids_{{std::string(), 0}};
};

// Finds extraInfo elements in raw report.xml bytes. A byte state machine
// skips CDATA sections and comments (where "<extraInfo" is text, not
// markup) and captures each element, which is then parsed with expat (one
// long-lived parser for all of them). Not thread-safe.
class ExtraInfoScanner {
 public:
  explicit ExtraInfoScanner(std::function<void(ExtraInfo&&)> sink);
  ~ExtraInfoScanner();
  ExtraInfoScanner(const ExtraInfoScanner&) = delete;
  ExtraInfoScanner& operator=(const ExtraInfoScanner&) = delete;

  void feed(const char* data, size_t n);
  void finish();
  [[nodiscard]] uint64_t found() const noexcept { return found_; }
  [[nodiscard]] uint64_t abandoned() const noexcept { return abandoned_; }  // over-long or unparsable elements

 private:
  enum class Mode { text, cdata, comment, start_tag, content };
  void open_match(unsigned char c);
  void captured();

  std::function<void(ExtraInfo&&)> sink_;
  Mode mode_ = Mode::text;
  size_t m_cdata_ = 0, m_comment_ = 0, m_tag_ = 0, close_ = 0, m_end_ = 0;
  char quote_ = 0;
  unsigned char prev_ = 0;
  std::string capture_;
  uint64_t found_ = 0, abandoned_ = 0;
  struct Parser;
  std::unique_ptr<Parser> parser_;
};

}  // namespace remit::ufdr
