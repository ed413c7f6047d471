#pragma once
// Word lists and message templates for the synthetic life: names, places,
// everyday chat by relationship, service texts, web pages. Fictional data
// only: phone numbers come from Ofcom's drama ranges (story.cpp), e-mail
// domains are the reserved example.* domains.
//
// Pure data and pure functions; thread-safe.

#include <span>
#include <string>
#include <string_view>

#include "synth/prng.hpp"

namespace remit::synth {

struct Place {
  std::string_view name;     // "Kirkgate Market"
  std::string_view address;  // "34 Vicar Lane, Leeds LS2 7HY"
  double lat, lon;
};

struct WebPage {
  std::string_view url;
  std::string_view title;
};

namespace lex {

[[nodiscard]] std::span<const std::string_view> female_first();
[[nodiscard]] std::span<const std::string_view> male_first();
[[nodiscard]] std::span<const std::string_view> surnames();
[[nodiscard]] std::span<const Place> places();       // around Leeds (the owner's city)
[[nodiscard]] std::span<const Place> away_places();  // trips
[[nodiscard]] std::span<const WebPage> everyday_pages();
[[nodiscard]] std::span<const std::string_view> everyday_searches();
[[nodiscard]] std::span<const WebPage> after_incident_pages();
[[nodiscard]] std::span<const std::string_view> after_incident_searches();
[[nodiscard]] std::span<const std::string_view> group_names_friends();

// Everyday lines by relationship ("family", "friend", "work", "group",
// "dating"), in the owner's voice (outgoing) or the other person's.
[[nodiscard]] std::string line(Rng& r, std::string_view relation, bool outgoing);
// Service texts (alphanumeric senders): GP surgery, pharmacy, counselling,
// delivery, bank. `kind` selects the set.
[[nodiscard]] std::string service_text(Rng& r, std::string_view kind, std::string_view when_text);

}  // namespace lex
}  // namespace remit::synth
