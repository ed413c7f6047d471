#pragma once
// The synthetic life: one deterministic story that every platform module
// (Android now; iOS and UFDR later) renders into its own artifacts.
//
// The phone's owner is a complainant. One contact is the suspect. There is
// an incident; communications with the suspect cluster around it, with
// some empty days. Around that: years of unrelated life (family, friends,
// work, a GP surgery, a counselling service, a dating app, group chats, one
// of which the suspect shares with uninvolved people), photos with GPS and
// web history.
//
// The story is split in two so that any size streams:
//  - a small static part held in memory (people, groups, incident, the
//    canonical scope, photo list), built once from the options;
//  - per-day events, a pure function of (seed, day): modules walk the days
//    in order and render each day's events, so nothing proportional to the
//    number of messages is ever held in memory.
//
// The canonical scope (docs/synth.md "Canonical scope") decides
// Event::in_scope; every out-of-scope item carries kCanary in its text.
//
// Thread-safety: a built Story is immutable; its const methods are safe to
// call concurrently.

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "remit/status.hpp"
#include "synth/clock.hpp"
#include "synth/lexicon.hpp"
#include "synth/scope_model.hpp"

namespace remit::synth {

inline constexpr std::string_view kCanary = "OUT-OF-SCOPE-CANARY";

struct StoryOptions {
  uint64_t seed = 1;
  int days = 730;                // length of the recorded life, ending at the extraction
  int contacts = 80;             // address-book size (people with a phone number)
  double messages_per_day = 24;  // mean everyday messages per day, all apps together
  int photos = 150;              // camera photos in DCIM
  std::string zone = "Europe/London";
  std::string region = "GB";
};

// Range checks with messages naming the option; used by the CLI.
[[nodiscard]] Status validate(const StoryOptions& o);

enum class Role { owner, family, friend_, work, gp, pharmacy, counselling, dating, service, suspect, stranger };
[[nodiscard]] std::string_view to_string(Role) noexcept;

// One phone number written the ways phones and apps write it.
struct PhoneNumber {
  std::string e164;              // "+447700900123"
  std::string national;          // "07700 900123"
  std::string national_compact;  // "07700900123"
  std::string intl_spaced;       // "+44 7700 900123"
  std::string digits;            // "447700900123" (WhatsApp user part)
  [[nodiscard]] std::string jid() const { return digits + "@s.whatsapp.net"; }
  [[nodiscard]] bool empty() const { return e164.empty(); }
};

struct Person {
  uint32_t id = 0;
  Role role = Role::stranger;
  std::string first, last;
  std::string display;       // as saved in the owner's address book ("Mum", "Jess Patel")
  std::string relation;      // lexicon relation: family, friend, work, group, dating
  PhoneNumber phone;         // may be empty (service with only a sender id)
  std::string sender_id;     // alphanumeric SMS sender ("RiversideMC"), services only
  std::string email;         // may be empty
  std::string note;          // free-text contact note (always carries the canary:
                             // contacts are out of scope)
  bool in_contacts = false;  // saved in the address book
  bool whatsapp = false;
  bool rcs = false;
  double chattiness = 0;  // relative weight in everyday conversation
  double call_weight = 0;
  DayNumber known_from = 0;  // first day of contact
  std::string wa_about;      // WhatsApp "About" text
};

struct Group {
  uint32_t id = 0;
  std::string name;
  std::vector<uint32_t> members;  // excluding the owner
  uint32_t creator = 0;           // person id (0 = the owner)
  DayNumber created = 0;
  bool whatsapp = true;  // false: a group MMS thread
  bool has_suspect = false;
  std::string jid;  // "120363...@g.us" for WhatsApp groups
  double activity = 1;
};

enum class Channel { sms, mms, whatsapp, rcs, phone_call, whatsapp_call };
[[nodiscard]] std::string_view to_string(Channel) noexcept;

enum class CallResult { answered, missed, rejected, voicemail, unanswered_out };

struct Picture {  // an image a message carries (rendered by the module)
  uint64_t seed = 0;
  int width = 640, height = 480;
  bool missing = false;  // the app recorded it but the file is not in the extraction
};

struct SharedLocation {
  double lat = 0, lon = 0;
  std::string place_name, address;
};

struct Event {
  Channel channel = Channel::sms;
  int64_t time_ms = 0;  // the app's main date
  int64_t sent_ms = 0;  // sender-side time (0 when the same)
  bool outgoing = false;
  uint32_t person = 0;  // 1:1: the other person; group: the sender (0 = owner)
  int32_t group = -1;   // group id, or -1 for one-to-one
  std::string body;     // final text (canary applied when out of scope)
  std::optional<Picture> picture;
  std::optional<SharedLocation> location;
  bool system = false;    // WhatsApp system message
  int system_action = 0;  // WhatsApp action_type (11 created, 12 added)
  // calls
  CallResult result = CallResult::answered;
  int duration_s = 0;
  bool video = false;
  bool in_scope = false;
  uint64_t salt = 0;  // per-event randomness for ids and keys
  [[nodiscard]] bool is_call() const { return channel == Channel::phone_call || channel == Channel::whatsapp_call; }
};

struct Photo {
  uint32_t index = 0;
  int64_t time_ms = 0;       // capture instant (UTC)
  std::optional<Place> gps;  // where it was taken, when the camera recorded GPS
  double lat = 0, lon = 0;   // jittered position
  bool has_exif = true;
  bool has_offset = true;  // OffsetTimeOriginal written
  bool screenshot = false;
  int width = 1024, height = 768;
  uint64_t seed = 0;
};

struct WebVisit {
  int64_t time_ms = 0;
  std::string url,
      title;           // canary already applied (all web visits are out of scope)
  int transition = 0;  // Chrome core transition (0 link, 1 typed, 5 generated)
  int64_t duration_us = 0;
};

class Story {
 public:
  // Builds the static part. Validates the options (see validate()).
  [[nodiscard]] static Result<std::shared_ptr<const Story>> build(const StoryOptions& o);

  [[nodiscard]] const StoryOptions& options() const noexcept { return opt_; }
  [[nodiscard]] const Clock& clock() const noexcept { return *clock_; }
  [[nodiscard]] uint64_t seed() const noexcept { return opt_.seed; }

  [[nodiscard]] const std::vector<Person>& people() const noexcept { return people_; }
  [[nodiscard]] const Person& person(uint32_t id) const { return people_.at(id); }
  [[nodiscard]] const Person& owner() const { return people_.at(0); }
  [[nodiscard]] const Person& suspect() const { return people_.at(suspect_); }
  [[nodiscard]] const std::vector<Group>& groups() const noexcept { return groups_; }
  [[nodiscard]] const std::vector<Photo>& photos() const noexcept { return photos_; }

  [[nodiscard]] DayNumber first_day() const noexcept { return first_day_; }
  [[nodiscard]] DayNumber last_day() const noexcept { return last_day_; }  // inclusive; extraction day
  [[nodiscard]] int64_t extraction_ms() const noexcept { return extraction_ms_; }
  [[nodiscard]] int64_t incident_start_ms() const noexcept { return incident_start_ms_; }
  [[nodiscard]] int64_t incident_end_ms() const noexcept { return incident_end_ms_; }
  [[nodiscard]] const CanonicalScope& scope() const noexcept { return scope_; }

  // Every communication of one local day, sorted by time (then channel).
  // Pure: the same day always gives the same events.
  [[nodiscard]] std::vector<Event> events_for_day(DayNumber day) const;
  // Chrome visits of one day, sorted by time.
  [[nodiscard]] std::vector<WebVisit> web_for_day(DayNumber day) const;

  // True when the canonical scope holds the event (window and party rule).
  [[nodiscard]] bool in_canonical_scope(const Event& e) const;
  // Appends the canary to a text (separated by a space).
  [[nodiscard]] static std::string with_canary(std::string text);

 private:
  Story() = default;
  void make_people();
  void make_groups();
  void make_photos();
  void scripted_events(DayNumber day, std::vector<Event>& out) const;
  void everyday_events(DayNumber day, std::vector<Event>& out) const;
  [[nodiscard]] bool suspect_quiet_day(DayNumber day) const;  // the ring where suspect-related noise is banned
  void finish(Event& e) const;

  StoryOptions opt_;
  std::unique_ptr<Clock> clock_;
  std::vector<Person> people_;
  std::vector<Group> groups_;
  std::vector<Photo> photos_;
  uint32_t suspect_ = 0;
  DayNumber first_day_ = 0, last_day_ = 0, incident_day_ = 0;
  int64_t extraction_ms_ = 0, incident_start_ms_ = 0, incident_end_ms_ = 0;
  CanonicalScope scope_;
};

}  // namespace remit::synth
