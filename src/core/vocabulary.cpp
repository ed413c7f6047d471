// Token tables for the shared vocabulary (include/remit/vocabulary.hpp).
#include "remit/vocabulary.hpp"

#include <utility>

namespace remit {
namespace {

template <class E, size_t N>
constexpr std::string_view lookup(const std::pair<E, std::string_view> (&table)[N], E v) noexcept {
  for (const auto& [e, s] : table)
    if (e == v) return s;
  return "unknown";
}

template <class E, size_t N>
constexpr std::optional<E> reverse(const std::pair<E, std::string_view> (&table)[N], std::string_view s) noexcept {
  for (const auto& [e, t] : table)
    if (t == s) return e;
  return std::nullopt;
}

constexpr std::pair<Category, std::string_view> kCategories[] = {
    {Category::message, "message"}, {Category::call, "call"},           {Category::contact, "contact"},
    {Category::media, "media"},     {Category::web_visit, "web_visit"}, {Category::location, "location"},
    {Category::note, "note"},       {Category::calendar, "calendar"},   {Category::email, "email"},
};
constexpr std::pair<Category, std::string_view> kCategoryNouns[] = {
    {Category::message, "messages"},
    {Category::call, "calls"},
    {Category::contact, "contacts"},
    {Category::media, "photos and videos"},
    {Category::web_visit, "web pages visited"},
    {Category::location, "location records"},
    {Category::note, "notes"},
    {Category::calendar, "calendar entries"},
    {Category::email, "emails"},
};
constexpr std::pair<Direction, std::string_view> kDirections[] = {
    {Direction::incoming, "incoming"}, {Direction::outgoing, "outgoing"}, {Direction::unknown, "unknown"}};
constexpr std::pair<CallOutcome, std::string_view> kOutcomes[] = {
    {CallOutcome::answered, "answered"}, {CallOutcome::missed, "missed"},       {CallOutcome::rejected, "rejected"},
    {CallOutcome::blocked, "blocked"},   {CallOutcome::voicemail, "voicemail"}, {CallOutcome::unknown, "unknown"}};
constexpr std::pair<PartyRole, std::string_view> kRoles[] = {{PartyRole::from, "from"},
                                                             {PartyRole::to, "to"},
                                                             {PartyRole::cc, "cc"},
                                                             {PartyRole::bcc, "bcc"},
                                                             {PartyRole::participant, "participant"},
                                                             {PartyRole::subject, "subject"}};
constexpr std::pair<PartyKind, std::string_view> kKinds[] = {{PartyKind::phone, "phone"},
                                                             {PartyKind::email, "email"},
                                                             {PartyKind::handle, "handle"},
                                                             {PartyKind::group, "group"},
                                                             {PartyKind::unknown, "unknown"}};
constexpr std::pair<TimeSource, std::string_view> kTimeSources[] = {{TimeSource::recorded, "recorded"},
                                                                    {TimeSource::local_guess, "local_guess"},
                                                                    {TimeSource::file_mtime, "file_mtime"},
                                                                    {TimeSource::none, "none"}};

}  // namespace

std::string_view to_string(Category v) noexcept {
  return lookup(kCategories, v);
}
std::string_view to_string(Direction v) noexcept {
  return lookup(kDirections, v);
}
std::string_view to_string(CallOutcome v) noexcept {
  return lookup(kOutcomes, v);
}
std::string_view to_string(PartyRole v) noexcept {
  return lookup(kRoles, v);
}
std::string_view to_string(PartyKind v) noexcept {
  return lookup(kKinds, v);
}
std::string_view to_string(TimeSource v) noexcept {
  return lookup(kTimeSources, v);
}
std::string_view plural_noun(Category v) noexcept {
  return lookup(kCategoryNouns, v);
}

std::optional<Category> parse_category(std::string_view s) noexcept {
  return reverse(kCategories, s);
}
std::optional<Direction> parse_direction(std::string_view s) noexcept {
  return reverse(kDirections, s);
}
std::optional<CallOutcome> parse_call_outcome(std::string_view s) noexcept {
  return reverse(kOutcomes, s);
}
std::optional<PartyRole> parse_party_role(std::string_view s) noexcept {
  return reverse(kRoles, s);
}
std::optional<PartyKind> parse_party_kind(std::string_view s) noexcept {
  return reverse(kKinds, s);
}
std::optional<TimeSource> parse_time_source(std::string_view s) noexcept {
  return reverse(kTimeSources, s);
}

}  // namespace remit
