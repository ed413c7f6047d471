#pragma once
// Party identifier normalisation: phone numbers to E.164 (libphonenumber),
// WhatsApp JIDs to their number, e-mail addresses to lower case.
//
// Thread-safe: normalise() may be called concurrently; results are cached
// per distinct (raw) identifier behind a mutex. The libphonenumber headers
// are confined to src/core/party.cpp.

#include <memory>
#include <string>
#include <string_view>

#include "remit/item.hpp"
#include "remit/vocabulary.hpp"

namespace remit {

struct NormalisedId {
  PartyKind kind = PartyKind::unknown;
  std::string value;  // E.164 "+447700900123", "jane@example.org", "@g.us" group id, or folded handle
  bool operator==(const NormalisedId&) const = default;
};

class PartyNormaliser {
 public:
  // `default_region` is an ISO 3166 alpha-2 code ("GB", "US") used for
  // numbers written without a country code.
  explicit PartyNormaliser(std::string default_region = "GB");
  ~PartyNormaliser();
  PartyNormaliser(const PartyNormaliser&) = delete;
  PartyNormaliser& operator=(const PartyNormaliser&) = delete;

  [[nodiscard]] const std::string& region() const noexcept { return region_; }

  // Rules, in order:
  //  - trims; strips "tel:", "sms:", "mailto:" prefixes;
  //  - "<digits>@s.whatsapp.net" / "@c.us" -> phone "+<digits>";
  //  - "...@g.us" or "...@broadcast" -> group (lower-cased raw);
  //  - something@domain.tld -> email (lower-cased);
  //  - digits with phone punctuation -> E.164 via libphonenumber in the
  //    default region when it parses to a possible number, else the digits;
  //  - anything else -> handle, lower-cased.
  [[nodiscard]] NormalisedId normalise(std::string_view raw) const;

  // Fills party.normalised and party.kind from party.raw.
  void fill(Party& party) const;

 private:
  std::string region_;
  struct Cache;
  std::unique_ptr<Cache> cache_;
};

}  // namespace remit
