#pragma once
// Small RAII wrapper over libplist for the few property lists the iOS
// generator writes (Core Data Z_METADATA, container metadata, sms.db chat
// properties). Deterministic: dictionaries keep insertion order.
// Thread-compatible; one Plist per thread.

#include <cstdint>
#include <string>
#include <string_view>

namespace remit::synth::ios {

class Plist {
 public:
  static Plist dict();
  static Plist array();
  Plist(Plist&& o) noexcept : node_(o.node_) { o.node_ = nullptr; }
  Plist& operator=(Plist&&) = delete;
  Plist(const Plist&) = delete;
  ~Plist();

  // Dictionary setters (a later set of the same key replaces the value).
  Plist& set(std::string_view key, std::string_view s);
  Plist& set(std::string_view key, const char* s) { return set(key, std::string_view(s)); }
  Plist& set_int(std::string_view key, int64_t v);
  Plist& set_real(std::string_view key, double v);
  Plist& set_bool(std::string_view key, bool v);
  Plist& set_data(std::string_view key, std::string_view bytes);
  Plist& set_date(std::string_view key, double mac_seconds);
  Plist& set(std::string_view key, Plist&& child);  // takes ownership
  // Array appenders.
  Plist& push(std::string_view s);
  Plist& push(Plist&& child);

  [[nodiscard]] std::string binary() const;  // "bplist00..."
  [[nodiscard]] std::string xml() const;

 private:
  explicit Plist(void* n) : node_(n) {}
  void* release() {
    void* n = node_;
    node_ = nullptr;
    return n;
  }
  void* node_;
};

}  // namespace remit::synth::ios
