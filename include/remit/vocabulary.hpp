#pragma once
// The one vocabulary shared by every command, the scope file, stats.json,
// the item format and the docs (docs/item-format.md). Tokens are stable:
// they are written into packages and audits and must never be renamed.
//
// All functions are pure and thread-safe. Returned string_views point at
// static storage and live for the whole program.

#include <array>
#include <optional>
#include <string_view>

namespace remit {

enum class Category {
  message,    // SMS, MMS, iMessage, RCS, app chat messages (incl. system messages)
  call,       // telephony and app calls
  contact,    // address-book and app contacts
  media,      // photos, videos, audio files
  web_visit,  // browser history visits
  location,   // stand-alone location records (shared locations are messages)
  note,
  calendar,
  email,
};
inline constexpr std::array kAllCategories = {
    Category::message,  Category::call, Category::contact,  Category::media, Category::web_visit,
    Category::location, Category::note, Category::calendar, Category::email,
};

// Categories that are communications with other people: a scope line with
// one of these and no parties draws a proportionality warning.
[[nodiscard]] constexpr bool is_communication(Category c) noexcept {
  return c == Category::message || c == Category::call || c == Category::email;
}

enum class Direction { incoming, outgoing, unknown };

enum class CallOutcome { answered, missed, rejected, blocked, voicemail, unknown };

// Where a party stands relative to an item.
enum class PartyRole {
  from,  // sender / caller
  to,    // recipient / callee
  cc,
  bcc,
  participant,  // member of the conversation, role in this item unknown
  subject,      // the person a contact card describes
};

// How an identifier was recognised by the normaliser.
enum class PartyKind { phone, email, handle, group, unknown };

// How trustworthy an item's time is.
enum class TimeSource {
  recorded,     // the artifact's own timestamp column / EXIF with offset
  local_guess,  // a local time without offset, interpreted in a stated zone
  file_mtime,   // fallback: file system modification time (weaker)
  none,         // undated
};

[[nodiscard]] std::string_view to_string(Category) noexcept;
[[nodiscard]] std::string_view to_string(Direction) noexcept;
[[nodiscard]] std::string_view to_string(CallOutcome) noexcept;
[[nodiscard]] std::string_view to_string(PartyRole) noexcept;
[[nodiscard]] std::string_view to_string(PartyKind) noexcept;
[[nodiscard]] std::string_view to_string(TimeSource) noexcept;

[[nodiscard]] std::optional<Category> parse_category(std::string_view) noexcept;
[[nodiscard]] std::optional<Direction> parse_direction(std::string_view) noexcept;
[[nodiscard]] std::optional<CallOutcome> parse_call_outcome(std::string_view) noexcept;
[[nodiscard]] std::optional<PartyRole> parse_party_role(std::string_view) noexcept;
[[nodiscard]] std::optional<PartyKind> parse_party_kind(std::string_view) noexcept;
[[nodiscard]] std::optional<TimeSource> parse_time_source(std::string_view) noexcept;

// Plural, human words for a category ("messages", "web pages visited").
[[nodiscard]] std::string_view plural_noun(Category) noexcept;

}  // namespace remit
