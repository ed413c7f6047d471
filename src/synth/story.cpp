// The synthetic life (src/synth/story.hpp).
//
// Facts the story relies on:
//  - Phone numbers come only from Ofcom's ranges reserved for drama
//    (07700 900000-900999 mobile, 0113 496 0000-0999 Leeds): they belong to
//    nobody.
//  - WhatsApp action_type 11 = group created, 12 = participant added (seen in
//    real msgstore.db message_system rows; IPED ExtractorAndroid codes).
//  - The canonical scope and its margin: docs/synth.md.
#include "synth/story.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "synth/prng.hpp"

namespace remit::synth {

namespace {

constexpr int kMinDays = 40;
constexpr int kMaxDays = 7300;
constexpr int kRingDays = 4;  // suspect-related noise is banned this many days
                              // either side of the window

PhoneNumber mobile(unsigned n) {  // n in 0..999
  PhoneNumber p;
  const std::string last3 = fmt::format("{:03d}", n);
  p.e164 = "+447700900" + last3;
  p.national = "07700 900" + last3;
  p.national_compact = "07700900" + last3;
  p.intl_spaced = "+44 7700 900" + last3;
  p.digits = "447700900" + last3;
  return p;
}

PhoneNumber leeds(unsigned n) {  // 0113 496 0000-0999
  PhoneNumber p;
  const std::string last4 = fmt::format("0{:03d}", n);
  p.e164 = "+44113496" + last4;
  p.national = "0113 496 " + last4;
  p.national_compact = "0113496" + last4;
  p.intl_spaced = "+44 113 496 " + last4;
  p.digits = "44113496" + last4;
  return p;
}

std::string email_for(const std::string& first, const std::string& last, Rng& r) {
  static constexpr std::string_view kDomains[] = {"example.com", "example.org", "example.net"};
  std::string local;
  for (char c : first + "." + last)
    if (std::isalnum(static_cast<unsigned char>(c)) || c == '.') local.push_back(static_cast<char>(std::tolower(c)));
  return local + std::to_string(r.range(1, 99)) + "@" + std::string(kDomains[r.below(3)]);
}

}  // namespace

std::string_view to_string(Role r) noexcept {
  switch (r) {
    case Role::owner:
      return "owner";
    case Role::family:
      return "family";
    case Role::friend_:
      return "friend";
    case Role::work:
      return "work";
    case Role::gp:
      return "gp";
    case Role::pharmacy:
      return "pharmacy";
    case Role::counselling:
      return "counselling";
    case Role::dating:
      return "dating";
    case Role::service:
      return "service";
    case Role::suspect:
      return "suspect";
    case Role::stranger:
      return "stranger";
  }
  return "stranger";
}

std::string_view to_string(Channel c) noexcept {
  switch (c) {
    case Channel::sms:
      return "sms";
    case Channel::mms:
      return "mms";
    case Channel::whatsapp:
      return "whatsapp";
    case Channel::rcs:
      return "rcs";
    case Channel::phone_call:
      return "phone_call";
    case Channel::whatsapp_call:
      return "whatsapp_call";
  }
  return "sms";
}

Status validate(const StoryOptions& o) {
  if (o.days < kMinDays || o.days > kMaxDays)
    return make_error(Errc::usage,
                      fmt::format("--days must be between {} and {} (got {})", kMinDays, kMaxDays, o.days));
  if (o.contacts < 20 || o.contacts > 900)
    return make_error(Errc::usage, fmt::format("--contacts must be between 20 and 900 (the "
                                               "fictional number ranges hold 1000 "
                                               "mobiles; got {})",
                                               o.contacts));
  if (!(o.messages_per_day >= 0) || o.messages_per_day > 100000)
    return make_error(Errc::usage, "--messages-per-day must be between 0 and 100000");
  if (o.photos < 0 || o.photos > 1000000) return make_error(Errc::usage, "--photos must be between 0 and 1000000");
  return {};
}

std::string Story::with_canary(std::string text) {
  if (text.empty()) return std::string(kCanary);
  text += ' ';
  text += kCanary;
  return text;
}

Result<std::shared_ptr<const Story>> Story::build(const StoryOptions& o) {
  if (auto st = validate(o); !st) return st.error();
  std::shared_ptr<Story> s(new Story());
  s->opt_ = o;
  try {
    s->clock_ = std::make_unique<Clock>(o.zone);
  } catch (const std::exception& e) {
    return make_error(Errc::usage, fmt::format("unknown time zone '{}': {}", o.zone, e.what()));
  }
  Rng r = Rng::derive(o.seed, "calendar");
  s->last_day_ = Clock::civil_day(2025, 1, 6) + static_cast<DayNumber>(r.below(420));
  s->first_day_ = s->last_day_ - (o.days - 1);
  s->extraction_ms_ = s->clock_->local_to_utc_ms(s->last_day_, 10 * 3600 + 30 * 60);
  DayNumber d = s->last_day_ - 16 - static_cast<DayNumber>(r.below(5));
  while (Clock::weekday(d) != 6) --d;  // a Saturday night
  s->incident_day_ = d;
  s->incident_start_ms_ = s->clock_->local_to_utc_ms(d, 22 * 3600 + 30 * 60);
  s->incident_end_ms_ = s->clock_->local_to_utc_ms(d, 23 * 3600 + 50 * 60);

  s->make_people();
  s->make_groups();
  s->make_photos();

  CanonicalScope& sc = s->scope_;
  sc.time_zone = o.zone;
  sc.region = o.region;
  sc.case_reference = fmt::format("SYNTH-{}", o.seed);
  sc.incident_start_ms = s->incident_start_ms_;
  sc.incident_end_ms = s->incident_end_ms_;
  sc.window_start_date = Clock::iso_date(d - 2);
  sc.window_end_date = Clock::iso_date(d + 2);
  sc.window_start_ms = s->clock_->day_start_utc_ms(d - 2);
  sc.window_end_ms = s->clock_->day_start_utc_ms(d + 3);
  const PhoneNumber& sp = s->suspect().phone;
  for (const std::string& raw : {sp.national, sp.intl_spaced, sp.e164, sp.jid()})
    sc.parties.push_back({raw, sp.e164, "suspect"});
  return std::shared_ptr<const Story>(std::move(s));
}

void Story::make_people() {
  Rng r = Rng::derive(opt_.seed, "people");
  // Shuffled drama numbers so neighbours in the list are not neighbours in
  // number.
  std::vector<unsigned> mob(1000), land(1000);
  for (unsigned i = 0; i < 1000; ++i) mob[i] = land[i] = i;
  for (size_t i = 999; i > 0; --i) std::swap(mob[i], mob[r.below(i + 1)]);
  for (size_t i = 999; i > 0; --i) std::swap(land[i], land[r.below(i + 1)]);
  size_t next_mob = 0, next_land = 0;
  auto fem = lex::female_first();
  auto mal = lex::male_first();
  auto sur = lex::surnames();
  auto add = [&](Role role, std::string first, std::string last, std::string display, std::string relation) -> Person& {
    Person p;
    p.id = static_cast<uint32_t>(people_.size());
    p.role = role;
    p.first = std::move(first);
    p.last = std::move(last);
    p.display = std::move(display);
    p.relation = std::move(relation);
    p.known_from = first_day_;
    people_.push_back(std::move(p));
    return people_.back();
  };
  auto any_first = [&](bool female) {
    return std::string(female ? fem[r.below(fem.size())] : mal[r.below(mal.size())]);
  };
  auto any_last = [&] { return std::string(sur[r.below(sur.size())]); };

  const std::string family_name = any_last();
  {
    Person& me = add(Role::owner, any_first(true), family_name, "Me", "");
    me.phone = mobile(mob[next_mob++]);
    me.whatsapp = me.rcs = true;
  }
  // Family.
  {
    Person& mum = add(Role::family, any_first(true), family_name, "Mum", "family");
    mum.phone = mobile(mob[next_mob++]);
    mum.whatsapp = true;
    mum.chattiness = 4;
    mum.call_weight = 5;
    Person& dad = add(Role::family, any_first(false), family_name, "Dad", "family");
    dad.phone = mobile(mob[next_mob++]);
    dad.chattiness = 1;
    dad.call_weight = 2;
    const bool sister = r.chance(0.5);
    std::string sib = any_first(sister);
    Person& s = add(Role::family, sib, family_name, sib, "family");
    s.phone = mobile(mob[next_mob++]);
    s.whatsapp = true;
    s.rcs = r.chance(0.5);
    s.chattiness = 3;
    s.call_weight = 1.5;
    Person& nana = add(Role::family, any_first(true), any_last(), "Nana", "family");
    nana.phone = leeds(land[next_land++]);
    nana.chattiness = 0;  // landline: calls only
    nana.call_weight = 2;
  }
  // The best friend (hosts the party) and the suspect.
  const std::string jess_first = any_first(true);
  {
    Person& jess = add(Role::friend_, jess_first, any_last(), "", "friend");
    jess.display = jess.first + " " + jess.last;
    jess.phone = mobile(mob[next_mob++]);
    jess.whatsapp = jess.rcs = true;
    jess.chattiness = 5;
    jess.call_weight = 2;
  }
  {
    Person& sus = add(Role::suspect, any_first(false), any_last(), "", "friend");
    sus.display = sus.first + " (" + jess_first + "'s)";
    sus.phone = mobile(mob[next_mob++]);
    sus.whatsapp = sus.rcs = true;
    sus.chattiness = 0;  // only the story's own schedule, never random noise
                         // near the incident
    sus.call_weight = 0;
    sus.known_from = std::max(first_day_ + 2, incident_day_ - 45);
    suspect_ = sus.id;
  }
  // Services.
  {
    Person& gp = add(Role::gp, "", "", "Riverside Medical Centre", "service");
    gp.phone = leeds(land[next_land++]);
    gp.sender_id = "RiversideMC";
    gp.call_weight = 0.3;
    gp.email = "riverside.mc@example.nhs.uk";
    Person& ph = add(Role::pharmacy, "", "", "Boots Chapel Allerton", "service");
    ph.sender_id = "Boots";
    ph.in_contacts = false;
    Person& cs = add(Role::counselling, "", "", "Solace Counselling", "service");
    cs.phone = leeds(land[next_land++]);
    cs.sender_id = "Solace";
    cs.known_from = incident_day_ + 1;
    cs.call_weight = 0;
    Person& cl = add(Role::counselling, "Helen", any_last(), "Helen (Solace)", "service");
    cl.phone = mobile(mob[next_mob++]);
    cl.known_from = incident_day_ + 2;
    Person& bank = add(Role::service, "", "", "Monzo", "service");
    bank.sender_id = "Monzo";
    Person& parcel = add(Role::service, "", "", "Evri", "service");
    parcel.sender_id = "Evri";
  }
  // Friends, colleagues, a dating match.
  const int budget = std::max(6, opt_.contacts - static_cast<int>(people_.size()) + 1);
  const int n_friends = std::max(4, static_cast<int>(std::lround(budget * 0.55)));
  const int n_work = std::max(3, budget - n_friends - 1);
  for (int i = 0; i < n_friends; ++i) {
    const bool female = r.chance(0.6);
    Person& f = add(Role::friend_, any_first(female), any_last(), "", "friend");
    f.display = r.chance(0.3) ? f.first : f.first + " " + f.last;
    f.phone = mobile(mob[next_mob++]);
    f.whatsapp = r.chance(0.88);
    f.rcs = r.chance(0.35);
    f.chattiness = 0.2 + r.unit() * (i < 6 ? 2.5 : 0.8);
    f.call_weight = f.chattiness * 0.3;
    f.known_from = first_day_ + static_cast<DayNumber>(r.below(static_cast<uint64_t>(opt_.days / 3 + 1)));
  }
  for (int i = 0; i < n_work; ++i) {
    Person& w = add(Role::work, any_first(r.chance(0.7)), any_last(), "", "work");
    w.display = w.first + " " + w.last + (i == 0 ? " (Ward Manager)" : " Work");
    w.phone = mobile(mob[next_mob++]);
    w.whatsapp = r.chance(0.75);
    w.chattiness = 0.2 + r.unit() * 0.8;
    w.call_weight = 0.15;
  }
  {
    Person& tom = add(Role::dating, any_first(false), "", "", "dating");
    tom.display = tom.first + " Hinge";
    tom.phone = mobile(mob[next_mob++]);
    tom.whatsapp = true;
    tom.chattiness = 1.2;
    tom.known_from = first_day_ + static_cast<DayNumber>(r.below(static_cast<uint64_t>(opt_.days / 2 + 1)));
  }
  // People the owner never saved: two of Jess's friends (WhatsApp only),
  // a couple of unknown callers.
  for (int i = 0; i < 2; ++i) {
    Person& x = add(Role::stranger, any_first(r.chance(0.5)), any_last(), "", "group");
    x.phone = mobile(mob[next_mob++]);
    x.whatsapp = true;
  }
  for (int i = 0; i < 3; ++i) {
    Person& x = add(Role::stranger, "", "", "", "");
    x.phone = r.chance(0.5) ? mobile(mob[next_mob++]) : leeds(land[next_land++]);
    x.call_weight = 0.1;
  }
  // Address book membership, e-mail, notes, WhatsApp "About".
  static constexpr std::string_view kNotes[] = {"Met at uni",
                                                "From netball",
                                                "Jess's friend",
                                                "Ward 7",
                                                "Sister's friend",
                                                "Plumber recommended by Dad",
                                                "Neighbour at no. 12",
                                                "Met at Jess's 30th",
                                                "Gym",
                                                "School friend"};
  static constexpr std::string_view kAbout[] = {
      "Hey there! I am using WhatsApp.", "Available", "Busy", "At work", "☀️", "Living my best life",
      "Can't talk, WhatsApp only"};
  for (auto& p : people_) {
    if (p.role == Role::owner) continue;
    if (p.role == Role::stranger || p.role == Role::pharmacy || (p.role == Role::service && p.phone.empty()))
      p.in_contacts = false;
    else
      p.in_contacts = !p.phone.empty();
    if (p.in_contacts && !p.first.empty() && !p.last.empty() && r.chance(0.35)) p.email = email_for(p.first, p.last, r);
    if (p.in_contacts) p.note = with_canary(std::string(kNotes[r.below(std::size(kNotes))]));
    if (p.whatsapp) p.wa_about = with_canary(std::string(kAbout[r.below(std::size(kAbout))]));
  }
  // The owner's own card exists too (Android "Me" profile is not used here).
}

void Story::make_groups() {
  Rng r = Rng::derive(opt_.seed, "groups");
  std::vector<uint32_t> friends, work, family_wa, strangers_wa;
  uint32_t jess = 0;
  for (const auto& p : people_) {
    if (p.role == Role::friend_ && p.whatsapp) {
      if (jess == 0)
        jess = p.id;
      else
        friends.push_back(p.id);
    }
    if (p.role == Role::work && p.whatsapp) work.push_back(p.id);
    if (p.role == Role::family && p.whatsapp) family_wa.push_back(p.id);
    if (p.role == Role::stranger && p.whatsapp) strangers_wa.push_back(p.id);
  }
  auto group_jid = [&](DayNumber created) {
    return fmt::format("120363{:012d}@g.us",
                       (static_cast<uint64_t>(created) * 86400ULL + r.below(86400)) % 1000000000000ULL);
  };
  auto add = [&](std::string name, std::vector<uint32_t> members, uint32_t creator, DayNumber created, bool wa,
                 double activity) {
    Group g;
    g.id = static_cast<uint32_t>(groups_.size());
    g.name = std::move(name);
    g.members = std::move(members);
    g.creator = creator;
    g.created = created;
    g.whatsapp = wa;
    g.activity = activity;
    g.has_suspect = std::find(g.members.begin(), g.members.end(), suspect_) != g.members.end();
    if (wa) g.jid = group_jid(created);
    groups_.push_back(std::move(g));
  };
  add("Family 💕", family_wa, family_wa.empty() ? 0 : family_wa.front(), first_day_ + 3, true, 1.5);
  // The party group: Jess, the suspect, three friends and two people the owner
  // never saved.
  {
    std::vector<uint32_t> m{jess, suspect_};
    for (size_t i = 0; i < friends.size() && i < 3; ++i) m.push_back(friends[i]);
    for (auto s : strangers_wa) m.push_back(s);
    const DayNumber created = std::max(first_day_ + 1, incident_day_ - 40);
    add(fmt::format("{}'s 30th 🎉", person(jess).first), m, jess, created, true, 1.2);
  }
  add("Ward 7 crew", work, work.empty() ? 0 : work.front(), first_day_ + 5, true, 1.0);
  {
    std::vector<uint32_t> m{jess};
    for (size_t i = 3; i < friends.size() && m.size() < 6; ++i) m.push_back(friends[i]);
    auto names = lex::group_names_friends();
    add(std::string(names[r.below(names.size())]), m, 0, first_day_ + 8, true, 1.0);
  }
  // A group MMS thread with three friends who text rather than WhatsApp.
  {
    std::vector<uint32_t> m;
    for (const auto& p : people_)
      if (p.role == Role::friend_ && p.id != jess && m.size() < 3) m.push_back(p.id);
    add("", m, 0, first_day_ + 10, false, 0.3);
  }
}

void Story::make_photos() {
  Rng r = Rng::derive(opt_.seed, "photos");
  auto near = lex::places();
  auto away = lex::away_places();
  for (int i = 0; i < opt_.photos; ++i) {
    Photo p;
    p.index = static_cast<uint32_t>(i);
    const DayNumber day = first_day_ + static_cast<DayNumber>(r.below(static_cast<uint64_t>(opt_.days)));
    p.time_ms = clock_->local_to_utc_ms(day, r.range(8 * 3600, 21 * 3600 + 59 * 60));
    if (p.time_ms >= extraction_ms_) p.time_ms = extraction_ms_ - 3600 * 1000 - r.range(0, 86400) * 1000;
    p.seed = r.next();
    const double u = r.unit();
    p.screenshot = u < 0.05;
    p.has_exif = !p.screenshot;
    p.has_offset = !(u >= 0.05 && u < 0.10);
    if (p.has_exif && r.unit() < 0.85) {
      const Place& pl = r.unit() < 0.8 ? near[r.below(near.size())] : away[r.below(away.size())];
      p.gps = pl;
      // Jitter by up to ~150 m, rounded to the 1e-4 arc-second grid EXIF
      // rationals use.
      p.lat = pl.lat + (r.unit() - 0.5) * 0.003;
      p.lon = pl.lon + (r.unit() - 0.5) * 0.004;
    }
    if (p.screenshot) {
      p.width = 540;
      p.height = 1170;
      // Screenshots keep only the file time; the generator stores it on whole
      // even seconds (zip DOS times).
      p.time_ms = p.time_ms / 2000 * 2000;
    } else if (r.chance(0.3)) {
      p.width = 768;
      p.height = 1024;
    }
    photos_.push_back(p);
  }
  std::sort(photos_.begin(), photos_.end(), [](const Photo& a, const Photo& b) { return a.time_ms < b.time_ms; });
  for (size_t i = 0; i < photos_.size(); ++i) photos_[i].index = static_cast<uint32_t>(i);
}

bool Story::suspect_quiet_day(DayNumber day) const {
  return day >= incident_day_ - 2 - kRingDays && day <= incident_day_ + 2 + kRingDays;
}

bool Story::in_canonical_scope(const Event& e) const {
  if (e.system) return false;
  if (e.time_ms < scope_.window_start_ms || e.time_ms >= scope_.window_end_ms) return false;
  if (e.group < 0) return e.person == suspect_;
  return !e.outgoing && e.person == suspect_;
}

void Story::finish(Event& e) const {
  e.in_scope = in_canonical_scope(e);
  if (e.in_scope || e.is_call() || e.system) return;
  if (e.location) {
    e.location->place_name = with_canary(e.location->place_name);
    e.body = e.location->place_name;
  } else {
    e.body = with_canary(std::move(e.body));
  }
}

std::vector<Event> Story::events_for_day(DayNumber day) const {
  std::vector<Event> out;
  if (day < first_day_ || day > last_day_) return out;
  scripted_events(day, out);
  everyday_events(day, out);
  out.erase(std::remove_if(out.begin(), out.end(), [&](const Event& e) { return e.time_ms >= extraction_ms_; }),
            out.end());
  for (auto& e : out) finish(e);
  std::stable_sort(out.begin(), out.end(), [](const Event& a, const Event& b) {
    if (a.time_ms != b.time_ms) return a.time_ms < b.time_ms;
    return a.salt < b.salt;
  });
  return out;
}

void Story::scripted_events(DayNumber day, std::vector<Event>& out) const {
  const DayNumber d = incident_day_;
  if (day < d - 2 || day > d + 2) {
    // Group creation notices (WhatsApp system messages) on each group's first
    // day.
    for (const auto& g : groups_) {
      if (!g.whatsapp || g.created != day) continue;
      Rng r = Rng::derive(opt_.seed, "group-created", g.id);
      Event e;
      e.channel = Channel::whatsapp;
      e.time_ms = clock_->local_to_utc_ms(day, 9 * 3600 + static_cast<int64_t>(r.below(10 * 3600)));
      e.group = static_cast<int32_t>(g.id);
      e.person = g.creator;
      e.outgoing = g.creator == 0;
      e.system = true;
      e.system_action = 11;
      e.salt = r.next();
      out.push_back(e);
    }
    return;
  }
  const Person& sus = suspect();
  uint32_t jess = 0, counsel = 0, counsellor = 0;
  for (const auto& p : people_) {
    if (p.role == Role::friend_ && jess == 0) jess = p.id;
    if (p.role == Role::counselling && p.phone.national.rfind("0113", 0) == 0 && counsel == 0) counsel = p.id;
    if (p.role == Role::counselling && p.phone.national.rfind("07700", 0) == 0) counsellor = p.id;
  }
  uint32_t party_group = 0;
  for (const auto& g : groups_)
    if (g.has_suspect) party_group = g.id;
  Rng r = Rng::derive(opt_.seed, "script", static_cast<uint64_t>(day - d + 10));
  auto at = [&](DayNumber dd, int h, int m, int s = 0) {
    return clock_->local_to_utc_ms(dd, int64_t{h} * 3600 + m * 60 + s);
  };
  auto msg = [&](Channel ch, int64_t t, bool out_, uint32_t who, std::string body) -> Event& {
    Event e;
    e.channel = ch;
    e.time_ms = t;
    e.sent_ms = out_ ? 0 : t - 1000 - static_cast<int64_t>(r.below(4000));
    e.outgoing = out_;
    e.person = who;
    e.body = std::move(body);
    e.salt = r.next();
    out.push_back(std::move(e));
    return out.back();
  };
  auto call = [&](Channel ch, int64_t t, bool out_, uint32_t who, CallResult res, int dur) {
    Event e;
    e.channel = ch;
    e.time_ms = t;
    e.outgoing = out_;
    e.person = who;
    e.result = res;
    e.duration_s = dur;
    e.salt = r.next();
    out.push_back(std::move(e));
  };
  const uint32_t s = sus.id;
  if (day == d - 2) {
    msg(Channel::whatsapp, at(day, 19, 12), false, s,
        fmt::format("Hey! Still coming to {}'s on Saturday? 😊", person(jess).first));
    msg(Channel::whatsapp, at(day, 19, 20), true, s, "Yeah should be fun, is it fancy dress?");
    msg(Channel::whatsapp, at(day, 19, 21, 40), false, s, "Nah just come as you are x");
  } else if (day == d - 1) {
    // Nothing with the suspect: an empty day inside the window.
  } else if (day == d) {
    msg(Channel::sms, at(day, 18, 40), false, s, "It's me, WhatsApp is playing up. What time you getting there?");
    msg(Channel::sms, at(day, 18, 52), true, s, "About 8");
    call(Channel::phone_call, at(day, 20, 15), true, s, CallResult::answered, 47);
    Event& g = msg(Channel::whatsapp, at(day, 21, 32), false, s, "Back at mine after? 🍻");
    g.group = static_cast<int32_t>(party_group);
  } else if (day == d + 1) {
    call(Channel::phone_call, at(day, 0, 58), false, s, CallResult::missed, 0);
    call(Channel::whatsapp_call, at(day, 1, 3), false, s, CallResult::missed, 0);
    msg(Channel::whatsapp, at(day, 9, 47), false, s, "Last night was fun 😉");
    Event& pic = msg(Channel::whatsapp, at(day, 9, 49), false, s, "");
    pic.picture = Picture{r.next(), 640, 480, /*missing=*/true};
    msg(Channel::whatsapp, at(day, 10, 15), true, s, "I told you to stop. I said no. You know I did.");
    msg(Channel::whatsapp, at(day, 10, 16), false, s, "Don't be like that. You wanted it");
    msg(Channel::whatsapp, at(day, 10, 20), true, s, "Don't contact me again.");
    msg(Channel::sms, at(day, 11, 2), false, s, "<i>Call me</i> <img src=x onerror=alert(1)> we need to talk");
    Event& mms = msg(Channel::mms, at(day, 11, 30), false, s, "Remember this? 😂");
    mms.picture = Picture{r.next(), 480, 640, false};
    // Not the suspect: out of scope although inside the window.
    msg(Channel::whatsapp, at(day, 12, 10), true, jess, "Can I ring you? Something happened at yours last night");
    call(Channel::phone_call, at(day, 12, 30), true, jess, CallResult::answered, 22 * 60 + 13);
  } else if (day == d + 2) {
    call(Channel::phone_call, at(day, 8, 10), false, s, CallResult::rejected, 0);
    call(Channel::phone_call, at(day, 8, 12), false, s, CallResult::missed, 0);
    call(Channel::phone_call, at(day, 8, 15), false, s, CallResult::voicemail, 0);
    msg(Channel::rcs, at(day, 9, 0), false, s, "Please just talk to me. I'm sorry if you took it the wrong way");
    msg(Channel::rcs, at(day, 9, 5), true, s, "Leave me alone.");
    if (counsel) {
      call(Channel::phone_call, at(day, 15, 0), true, counsel, CallResult::answered, 28 * 60 + 4);
      Event& c = msg(Channel::sms, at(day, 15, 40), false, counsel, "");
      c.body = lex::service_text(r, "counselling", Clock::iso_date(day + 5) + " at 10:00");
    }
    if (counsellor) call(Channel::phone_call, at(day, 17, 5), false, counsellor, CallResult::answered, 11 * 60);
  }
}

void Story::everyday_events(DayNumber day, std::vector<Event>& out) const {
  Rng r = Rng::derive(opt_.seed, "everyday", static_cast<uint64_t>(day));
  const bool ring = suspect_quiet_day(day);
  const unsigned wd = Clock::weekday(day);
  double factor = (wd == 0 || wd == 6) ? 1.2 : 1.0;
  if (r.chance(0.05)) factor = 0.1;  // a quiet day (phone left at home, busy shift)
  const DayNumber d = incident_day_;

  // Who the owner talks to today, with weights.
  std::vector<double> w;
  std::vector<int64_t> who;  // >= 0 person id, < 0 -(group id + 1)
  for (const auto& p : people_) {
    if (p.role == Role::owner || p.known_from > day) continue;
    double cw = p.chattiness;
    if (p.role == Role::suspect) {
      if (ring) continue;
      cw = day < d ? 0.25 : (day <= d + 20 ? 1.0 : 0.05);  // he keeps trying after the incident
    }
    if (p.role == Role::dating) {
      // A few weeks of chat with a dating match at some point of the year.
      const DayNumber start = p.known_from;
      if (day > start + 40) cw = 0.02;
    }
    if (cw <= 0) continue;
    w.push_back(cw);
    who.push_back(p.id);
  }
  for (const auto& g : groups_) {
    if (g.created > day || g.members.empty()) continue;
    if (g.has_suspect && ring) continue;
    double gw = g.activity * 1.5;
    if (g.has_suspect && day > d + 2 + kRingDays + 30) gw *= 0.2;
    w.push_back(gw);
    who.push_back(-static_cast<int64_t>(g.id) - 1);
  }
  const uint32_t n_conv = w.empty() ? 0 : r.poisson(opt_.messages_per_day * factor / 3.0);
  for (uint32_t c = 0; c < n_conv; ++c) {
    const int64_t target = who[r.weighted(w)];
    int64_t t = clock_->local_to_utc_ms(day, r.range(7 * 3600 + 30 * 60, 23 * 3600 + 30 * 60));
    const uint32_t len = 1 + r.poisson(2.0);
    if (target >= 0) {
      const Person& p = people_[static_cast<size_t>(target)];
      // Channel: WhatsApp for WhatsApp users mostly, RCS for some, else SMS.
      const double ws[] = {1.0, p.whatsapp ? 3.0 : 0.0, p.rcs ? 1.2 : 0.0};
      const size_t ch = p.role == Role::suspect ? (p.whatsapp ? 1 : 0) : r.weighted(ws);
      bool outgoing = r.chance(0.5);
      for (uint32_t k = 0; k < len; ++k) {
        Event e;
        e.channel = ch == 1 ? Channel::whatsapp : ch == 2 ? Channel::rcs : Channel::sms;
        e.time_ms = t;
        e.outgoing = outgoing;
        e.sent_ms = outgoing ? 0 : t - 800 - static_cast<int64_t>(r.below(5000));
        e.person = p.id;
        e.body = lex::line(r, p.role == Role::suspect ? "friend" : p.relation, outgoing);
        if (p.role == Role::suspect && day > d)
          e.body = outgoing ? "Stop messaging me" : "Why are you ignoring me? We need to talk";
        e.salt = r.next();
        if (e.channel == Channel::whatsapp && r.chance(0.06)) {
          e.picture = Picture{r.next(), 640, 480, r.chance(0.15)};
          if (r.chance(0.5)) e.body.clear();
        } else if (e.channel == Channel::whatsapp && r.chance(0.01)) {
          auto pl = lex::places();
          const Place& pp = pl[r.below(pl.size())];
          e.location = SharedLocation{pp.lat, pp.lon, std::string(pp.name), std::string(pp.address)};
          e.body = e.location->place_name;
        } else if (e.channel == Channel::sms && r.chance(0.04)) {
          e.channel = Channel::mms;
          e.picture = Picture{r.next(), 480, 640, false};
        }
        out.push_back(std::move(e));
        t += 1000 * r.range(20, 25 * 60);
        if (r.chance(0.7)) outgoing = !outgoing;
      }
    } else {
      const Group& g = groups_[static_cast<size_t>(-target - 1)];
      for (uint32_t k = 0; k < len; ++k) {
        Event e;
        e.group = static_cast<int32_t>(g.id);
        e.channel = g.whatsapp ? Channel::whatsapp : Channel::mms;
        e.time_ms = t;
        e.outgoing = r.chance(0.25);
        e.person = e.outgoing ? 0 : g.members[r.below(g.members.size())];
        e.sent_ms = e.outgoing ? 0 : t - 800 - static_cast<int64_t>(r.below(5000));
        e.body = lex::line(r, "group", e.outgoing);
        e.salt = r.next();
        if (g.whatsapp && r.chance(0.05)) {
          e.picture = Picture{r.next(), 640, 480, r.chance(0.15)};
          if (r.chance(0.5)) e.body.clear();
        }
        out.push_back(std::move(e));
        t += 1000 * r.range(10, 15 * 60);
      }
    }
  }
  // Calls.
  {
    std::vector<double> cw;
    std::vector<uint32_t> cp;
    for (const auto& p : people_) {
      if (p.role == Role::owner || p.known_from > day || p.phone.empty()) continue;
      double x = p.call_weight;
      if (p.role == Role::suspect) x = ring ? 0 : (day > d ? 0.6 : 0.1);
      if (p.role == Role::counselling && day > d + 2) x = 0.15;
      if (x <= 0) continue;
      cw.push_back(x);
      cp.push_back(p.id);
    }
    const uint32_t n_calls = cw.empty() ? 0 : r.poisson(1.3 * factor);
    for (uint32_t c = 0; c < n_calls; ++c) {
      const Person& p = people_[cp[r.weighted(cw)]];
      Event e;
      e.channel = (p.whatsapp && r.chance(0.3)) ? Channel::whatsapp_call : Channel::phone_call;
      e.time_ms = clock_->local_to_utc_ms(day, r.range(8 * 3600, 22 * 3600 + 30 * 60));
      e.outgoing = r.chance(0.5);
      e.person = p.id;
      e.video = e.channel == Channel::whatsapp_call && r.chance(0.2);
      const double u = r.unit();
      if (e.outgoing) {
        e.result = u < 0.8 ? CallResult::answered : CallResult::unanswered_out;
      } else if (e.channel == Channel::whatsapp_call) {
        e.result = u < 0.75 ? CallResult::answered : CallResult::missed;
      } else {
        e.result = u < 0.7    ? CallResult::answered
                   : u < 0.92 ? CallResult::missed
                   : u < 0.97 ? CallResult::rejected
                              : CallResult::voicemail;
      }
      if (p.role == Role::suspect && !e.outgoing && day > d) e.result = CallResult::rejected;
      if (e.result == CallResult::answered) {
        e.duration_s = static_cast<int>(std::min(5400.0, std::exp(3.0 + r.unit() * 3.8)));
        if (e.duration_s < 1) e.duration_s = 1;
      }
      e.salt = r.next();
      out.push_back(std::move(e));
    }
  }
  // Service texts.
  for (const auto& p : people_) {
    if (p.sender_id.empty() || p.known_from > day) continue;
    double rate = 0;
    std::string kind;
    switch (p.role) {
      case Role::gp:
        rate = 1.0 / 45;
        kind = "gp";
        break;
      case Role::pharmacy:
        rate = 1.0 / 30;
        kind = "pharmacy";
        break;
      case Role::counselling:
        rate = day > d + 2 ? 1.0 / 7 : 0;
        kind = "counselling";
        break;
      case Role::service:
        rate = p.display == "Monzo" ? 0.4 : 1.0 / 9;
        kind = p.display == "Monzo" ? "bank" : "delivery";
        break;
      default:
        break;
    }
    if (rate <= 0 || !r.chance(rate)) continue;
    Event e;
    e.channel = Channel::sms;
    e.time_ms = clock_->local_to_utc_ms(day, r.range(8 * 3600, 20 * 3600));
    e.person = p.id;
    std::string when;
    if (kind == "bank")
      when = fmt::format("{}.{:02d}", r.range(2, 80), r.range(0, 99));
    else if (kind == "delivery")
      when = r.hex(5);
    else if (kind == "pharmacy")
      when = fmt::format("RX{}", r.range(10000, 99999));
    else
      when = Clock::iso_date(day + r.range(2, 14)) +
             fmt::format(" at {:02d}:{:02d}", r.range(8, 17), r.chance(0.5) ? 0 : 30);
    e.body = lex::service_text(r, kind, when);
    e.salt = r.next();
    out.push_back(std::move(e));
  }
}

std::vector<WebVisit> Story::web_for_day(DayNumber day) const {
  std::vector<WebVisit> out;
  if (day < first_day_ || day > last_day_) return out;
  Rng r = Rng::derive(opt_.seed, "web", static_cast<uint64_t>(day));
  const uint32_t n = r.poisson(5.0);
  auto pages = lex::everyday_pages();
  auto searches = lex::everyday_searches();
  const bool after = day > incident_day_ && day <= incident_day_ + 12;
  for (uint32_t i = 0; i < n; ++i) {
    WebVisit v;
    v.time_ms = clock_->local_to_utc_ms(day, r.range(7 * 3600, 23 * 3600 + 50 * 60));
    std::string url, title;
    const double u = r.unit();
    if (after && u < 0.35) {
      if (r.chance(0.5)) {
        auto ap = lex::after_incident_pages();
        const auto& pg = ap[r.below(ap.size())];
        url = pg.url;
        title = pg.title;
      } else {
        auto as = lex::after_incident_searches();
        const std::string q(as[r.below(as.size())]);
        std::string qe;
        for (char c : q) qe += c == ' ' ? '+' : c;
        url = "https://www.google.com/search?q=" + qe;
        title = q + " - Google Search";
      }
    } else if (u < 0.6) {
      const auto& pg = pages[r.below(pages.size())];
      url = pg.url;
      title = pg.title;
      v.transition = r.chance(0.3) ? 1 : 0;
    } else {
      const std::string q(searches[r.below(searches.size())]);
      std::string qe;
      for (char c : q) qe += c == ' ' ? '+' : c;
      url = "https://www.google.com/search?q=" + qe;
      title = q + " - Google Search";
      v.transition = 5;
    }
    url += (url.find('?') == std::string::npos ? "?" : "&");
    url += "utm_content=";
    url += kCanary;
    v.url = std::move(url);
    v.title = with_canary(std::move(title));
    v.duration_us = r.range(2, 600) * 1000000LL + r.range(0, 999999);
    if (v.time_ms < extraction_ms_) out.push_back(std::move(v));
  }
  std::sort(out.begin(), out.end(), [](const WebVisit& a, const WebVisit& b) { return a.time_ms < b.time_ms; });
  return out;
}

}  // namespace remit::synth
