// libplist wrapper (src/synth/ios/plist.hpp).
#include "synth/ios/plist.hpp"

#include <plist/plist.h>

#include <cmath>
#include <cstdlib>

namespace remit::synth::ios {

namespace {
plist_t P(void* n) {
  return static_cast<plist_t>(n);
}
std::string key_of(std::string_view k) {
  return std::string(k);
}
}  // namespace

Plist Plist::dict() {
  return Plist(plist_new_dict());
}
Plist Plist::array() {
  return Plist(plist_new_array());
}

Plist::~Plist() {
  if (node_) plist_free(P(node_));
}

Plist& Plist::set(std::string_view key, std::string_view s) {
  plist_dict_set_item(P(node_), key_of(key).c_str(), plist_new_string(std::string(s).c_str()));
  return *this;
}
Plist& Plist::set_int(std::string_view key, int64_t v) {
  plist_dict_set_item(P(node_), key_of(key).c_str(), plist_new_uint(static_cast<uint64_t>(v)));
  return *this;
}
Plist& Plist::set_real(std::string_view key, double v) {
  plist_dict_set_item(P(node_), key_of(key).c_str(), plist_new_real(v));
  return *this;
}
Plist& Plist::set_bool(std::string_view key, bool v) {
  plist_dict_set_item(P(node_), key_of(key).c_str(), plist_new_bool(v ? 1 : 0));
  return *this;
}
Plist& Plist::set_data(std::string_view key, std::string_view bytes) {
  plist_dict_set_item(P(node_), key_of(key).c_str(), plist_new_data(bytes.data(), bytes.size()));
  return *this;
}
Plist& Plist::set_date(std::string_view key, double mac_seconds) {
  // libplist dates: seconds and microseconds since 2001-01-01.
  const double whole = std::floor(mac_seconds);
  plist_dict_set_item(
      P(node_), key_of(key).c_str(),
      plist_new_date(static_cast<int32_t>(whole), static_cast<int32_t>(std::lround((mac_seconds - whole) * 1e6))));
  return *this;
}
Plist& Plist::set(std::string_view key, Plist&& child) {
  plist_dict_set_item(P(node_), key_of(key).c_str(), P(child.release()));
  return *this;
}
Plist& Plist::push(std::string_view s) {
  plist_array_append_item(P(node_), plist_new_string(std::string(s).c_str()));
  return *this;
}
Plist& Plist::push(Plist&& child) {
  plist_array_append_item(P(node_), P(child.release()));
  return *this;
}

std::string Plist::binary() const {
  char* buf = nullptr;
  uint32_t len = 0;
  plist_to_bin(P(node_), &buf, &len);
  std::string out = buf ? std::string(buf, len) : std::string();
  plist_to_bin_free(buf);
  return out;
}

std::string Plist::xml() const {
  char* buf = nullptr;
  uint32_t len = 0;
  plist_to_xml(P(node_), &buf, &len);
  std::string out = buf ? std::string(buf, len) : std::string();
  plist_to_xml_free(buf);
  return out;
}

}  // namespace remit::synth::ios
