// Word lists and templates (src/synth/lexicon.hpp). All names, places and
// pages are ordinary public words; every person is fictional.
#include "synth/lexicon.hpp"

#include <array>

namespace remit::synth::lex {
namespace {

constexpr std::string_view kFemale[] = {
    "Amelia",  "Olivia",  "Isla",   "Ava",    "Mia",  "Ivy",    "Lily",      "Freya",   "Florence",
    "Grace",   "Sophie",  "Chloe",  "Emily",  "Jess", "Hannah", "Priya",     "Aisha",   "Zara",
    "Niamh",   "Siobhan", "Megan",  "Ellie",  "Lucy", "Holly",  "Rosie",     "Katie",   "Sarah",
    "Rachel",  "Laura",   "Yasmin", "Fatima", "Mei",  "Anya",   "Chantelle", "Bethany", "Charlotte",
    "Georgia", "Imogen",  "Leah",   "Nadia",  "Ruth", "Joanne", "Beverley",  "Maureen", "Sandra"};
constexpr std::string_view kMale[] = {"Oliver",   "George", "Noah",   "Arthur", "Leo",  "Harry", "Oscar",  "Jack",
                                      "Charlie",  "Jacob",  "Thomas", "James",  "Ryan", "Liam",  "Callum", "Kieran",
                                      "Mohammed", "Adam",   "Daniel", "Sam",    "Ben",  "Josh",  "Luke",   "Tom",
                                      "Dan",      "Connor", "Jamal",  "Ravi",   "Wei",  "Tariq", "Owen",   "Rhys",
                                      "Dylan",    "Ethan",  "Nathan", "Marcus", "Gary", "Steve", "Paul",   "Keith",
                                      "Andrew",   "Simon",  "Graham", "Kevin",  "Lewis"};
constexpr std::string_view kSurnames[] = {
    "Smith",  "Jones",    "Taylor",  "Brown",   "Williams", "Wilson",  "Johnson", "Davies",   "Patel",  "Robinson",
    "Wright", "Thompson", "Evans",   "Walker",  "White",    "Roberts", "Green",   "Hall",     "Wood",   "Jackson",
    "Clarke", "Khan",     "Hussain", "Ahmed",   "Begum",    "Murphy",  "O'Brien", "Kowalski", "Nowak",  "Okafor",
    "Mensah", "Chen",     "Singh",   "Shah",    "Hughes",   "Edwards", "Hill",    "Moore",    "Harris", "Lewis",
    "Martin", "Cooper",   "Ward",    "Morris",  "Turner",   "Baker",   "Price",   "Bennett",  "Gray",   "Kaur",
    "Fraser", "McDonald", "Reid",    "Doherty", "Byrne",    "Lloyd"};

constexpr Place kPlaces[] = {
    {"Kirkgate Market", "34 Vicar Lane, Leeds LS2 7HY", 53.79717, -1.53977},
    {"Roundhay Park", "Mansion Lane, Leeds LS8 2HH", 53.83710, -1.49840},
    {"Leeds Station", "New Station Street, Leeds LS1 4DY", 53.79480, -1.54760},
    {"St James's Hospital", "Beckett Street, Leeds LS9 7TF", 53.80750, -1.52050},
    {"Hyde Park Picture House", "73 Brudenell Road, Leeds LS6 1JD", 53.81210, -1.57080},
    {"Headingley Stadium", "St Michael's Lane, Leeds LS6 3BR", 53.81720, -1.58200},
    {"Trinity Leeds", "Albion Street, Leeds LS1 5AT", 53.79600, -1.54400},
    {"Chapel Allerton", "Harrogate Road, Leeds LS7 3PD", 53.82910, -1.53770},
    {"Meanwood Park", "Green Road, Leeds LS6 4LB", 53.83370, -1.57620},
    {"Millennium Square", "Portland Crescent, Leeds LS2 3AD", 53.80140, -1.54790},
    {"Kirkstall Abbey", "Abbey Road, Leeds LS5 3EH", 53.82070, -1.60720},
    {"The Brudenell Social Club", "33 Queens Road, Leeds LS6 1NY", 53.81280, -1.57210},
};
constexpr Place kAway[] = {
    {"Whitby Abbey", "Abbey Lane, Whitby YO22 4JT", 54.48770, -0.60760},
    {"York Minster", "Deangate, York YO1 7HH", 53.96230, -1.08190},
    {"Malham Cove", "Malham, Skipton BD23 4DJ", 54.07200, -2.15800},
    {"Scarborough South Bay", "Foreshore Road, Scarborough YO11 1PB", 54.27900, -0.39800},
    {"Edinburgh Castle", "Castlehill, Edinburgh EH1 2NG", 55.94860, -3.19990},
    {"Manchester Piccadilly", "Piccadilly, Manchester M60 7RA", 53.47740, -2.23090},
};

constexpr WebPage kPages[] = {
    {"https://www.bbc.co.uk/news/uk", "UK - BBC News"},
    {"https://www.bbc.co.uk/weather/2644688", "Leeds - BBC Weather"},
    {"https://www.theguardian.com/uk", "News, sport and opinion from the Guardian's UK edition | The Guardian"},
    {"https://www.amazon.co.uk/gp/your-account/order-history", "Your Orders"},
    {"https://www.tesco.com/groceries/en-GB/", "Tesco Groceries - Online food shopping"},
    {"https://www.nationalrail.co.uk/journey-planner/", "Journey Planner | National Rail"},
    {"https://www.firstbus.co.uk/leeds", "First Bus Leeds"},
    {"https://www.instagram.com/", "Instagram"},
    {"https://www.youtube.com/", "YouTube"},
    {"https://en.wikipedia.org/wiki/Leeds", "Leeds - Wikipedia"},
    {"https://www.rightmove.co.uk/property-to-rent/Leeds.html", "Property to rent in Leeds | Rightmove"},
    {"https://www.asos.com/women/", "Women's Clothes | Shop for Women's Fashion | ASOS"},
    {"https://www.bbcgoodfood.com/recipes/collection/quick-dinner", "Quick dinner recipes | BBC Good Food"},
    {"https://www.nhs.uk/nhs-app/", "NHS App - NHS"},
    {"https://www.leeds.gov.uk/bins", "Bins and recycling - Leeds City Council"},
    {"https://www.spotify.com/uk/premium/", "Spotify Premium - Spotify (UK)"},
    {"https://www.skyscanner.net/", "Skyscanner: Compare Cheap Flights"},
    {"https://www.boots.com/", "Boots | Health, Beauty, Skincare & Fragrance"},
};
constexpr std::string_view kSearches[] = {"weather leeds tomorrow",
                                          "train times leeds to york",
                                          "easy pasta bake",
                                          "opening times kirkgate market",
                                          "cinema listings leeds",
                                          "how long to boil an egg",
                                          "bank holiday 2025",
                                          "cheap flights to lisbon",
                                          "netball leagues leeds",
                                          "best brunch chapel allerton",
                                          "how to get red wine out of carpet",
                                          "band 5 nurse pay scale",
                                          "gift ideas for mum",
                                          "parkrun roundhay",
                                          "bus 2 timetable"};
constexpr WebPage kAfterPages[] = {
    {"https://rapecrisis.org.uk/get-help/", "Get help | Rape Crisis England & Wales"},
    {"https://www.nhs.uk/live-well/sexual-health/"
     "help-after-rape-and-sexual-assault/",
     "Help after rape and sexual assault - NHS"},
    {"https://www.police.uk/pu/contact-us/report-a-crime/", "Report a crime | Police.uk"},
    {"https://www.victimsupport.org.uk/crime-info/types-crime/"
     "rape-and-sexual-assault/",
     "Rape and sexual assault | Victim Support"},
    {"https://www.nhs.uk/contraception/emergency-contraception/", "Emergency contraception - NHS"},
    {"https://www.mind.org.uk/information-support/", "Information and support | Mind"},
};
constexpr std::string_view kAfterSearches[] = {"what to do after sexual assault",
                                               "sarc leeds",
                                               "morning after pill near me",
                                               "can i report rape later",
                                               "how long does evidence last after assault",
                                               "counselling after assault leeds",
                                               "isva what is it"};
constexpr std::string_view kGroupNames[] = {"Netball Tuesdays 🏐", "Uni girls 💜", "Book club (we never read)",
                                            "Holiday planning ✈️",  "Flat 4B",      "Parkrun crew",
                                            "Hen do 2025 👰"};

// --- chat lines ------------------------------------------------------------

constexpr std::string_view kFamilyIn[] = {"Did you get home ok love?",
                                          "Ring me when you get a minute x",
                                          "Are you coming for Sunday dinner?",
                                          "Your dad's fixed the boiler finally 🙄",
                                          "Don't forget Nana's birthday on Friday",
                                          "Have you got the Tupperware I lent you?",
                                          "Love you xx",
                                          "Can you pick up some milk on your way?",
                                          "Saw this and thought of you 😂",
                                          "How's work been this week?",
                                          "We're at the garden centre if you want anything",
                                          "Text me when you're back safe"};
constexpr std::string_view kFamilyOut[] = {"Home now x",
                                           "Yes I'll be there about 1",
                                           "Will ring you later, on shift",
                                           "Love you too xx",
                                           "Can you send me the recipe for the crumble?",
                                           "Got the milk 👍",
                                           "Running 10 mins late sorry",
                                           "Tell Dad thanks for the lift",
                                           "Happy birthday Nana!! 🎂",
                                           "Knackered, night shift was mad"};
constexpr std::string_view kFriendIn[] = {"Are we still on for Friday?",
                                          "OMG did you see what she posted 😂",
                                          "Drinks after work?",
                                          "Can you send me that photo from Saturday",
                                          "Running late, order me a gin x",
                                          "Miss you! When are you free?",
                                          "Haha that's brilliant",
                                          "Happy Friday!!! 🎉",
                                          "Did you get the tickets?",
                                          "Going to the Brudenell tonight, coming?",
                                          "That's so annoying, sorry hun",
                                          "What time's the match?",
                                          "<b>bold move</b> & not sorry",
                                          "Have you watched the new series yet",
                                          "Fancy a walk round Roundhay Sunday?"};
constexpr std::string_view kFriendOut[] = {"Yes!! Can't wait",
                                           "On my way 🏃‍♀️",
                                           "Haha stop",
                                           "I'm at the bar, what are you having?",
                                           "Sorry I'm on nights this week",
                                           "Sunday works",
                                           "Omg yes",
                                           "Just seen this, sorry",
                                           "Sending now",
                                           "Can't believe it 😭",
                                           "Love that",
                                           "What are you wearing tonight?",
                                           "Tickets booked 🎟️"};
constexpr std::string_view kWorkIn[] = {"Can you swap Tuesday late for my Thursday early?",
                                        "Rota for next month is up",
                                        "Bay 3 is short tonight",
                                        "Handover at 7:30 not 7:45",
                                        "Thanks for covering today",
                                        "Mandatory training reminder: fire safety by Friday",
                                        "Who's got the drug cupboard keys?",
                                        "Staff meeting moved to Wednesday"};
constexpr std::string_view kWorkOut[] = {"Yes I can swap",      "Running 5 mins late, traffic on the ring road",
                                         "Thanks! Owe you one", "Can't do Thursday sorry",
                                         "Done the training",   "Keys are in the office drawer"};
constexpr std::string_view kGroupLines[] = {"Who's in for Saturday?",
                                            "I'll bring snacks",
                                            "Sorry can't make it this week",
                                            "Pics from last night 😂",
                                            "Happy birthday!! 🥳",
                                            "Same place as last time?",
                                            "I'm in",
                                            "Booked a table for 8 at 7pm",
                                            "Lol",
                                            "Anyone got a charger I can borrow",
                                            "Running late!!",
                                            "That was a great night x"};
constexpr std::string_view kDating[] = {"Hey! Great to match with you 😊",
                                        "What are you up to this weekend?",
                                        "Ha, same here",
                                        "Coffee sometime?",
                                        "Sorry been so busy at work",
                                        "That sounds fun"};

}  // namespace

std::span<const std::string_view> female_first() {
  return kFemale;
}
std::span<const std::string_view> male_first() {
  return kMale;
}
std::span<const std::string_view> surnames() {
  return kSurnames;
}
std::span<const Place> places() {
  return kPlaces;
}
std::span<const Place> away_places() {
  return kAway;
}
std::span<const WebPage> everyday_pages() {
  return kPages;
}
std::span<const std::string_view> everyday_searches() {
  return kSearches;
}
std::span<const WebPage> after_incident_pages() {
  return kAfterPages;
}
std::span<const std::string_view> after_incident_searches() {
  return kAfterSearches;
}
std::span<const std::string_view> group_names_friends() {
  return kGroupNames;
}

std::string line(Rng& r, std::string_view relation, bool outgoing) {
  auto from = [&](auto& arr) { return std::string(arr[r.below(std::size(arr))]); };
  if (relation == "family") return outgoing ? from(kFamilyOut) : from(kFamilyIn);
  if (relation == "work") return outgoing ? from(kWorkOut) : from(kWorkIn);
  if (relation == "group") return from(kGroupLines);
  if (relation == "dating") return from(kDating);
  return outgoing ? from(kFriendOut) : from(kFriendIn);
}

std::string service_text(Rng& r, std::string_view kind, std::string_view when_text) {
  std::string w(when_text);
  if (kind == "gp") {
    constexpr std::string_view k[] = {"Riverside Medical Centre: your appointment is on ",
                                      "Reminder from Riverside Medical Centre: appointment ",
                                      "Riverside MC: Your blood test results are back. Please book a "
                                      "telephone appointment. Ref "};
    return std::string(k[r.below(3)]) + w + ". Reply CANCEL to cancel.";
  }
  if (kind == "pharmacy")
    return "Your prescription is ready to collect from Boots Chapel Allerton. "
           "Ref " +
           w;
  if (kind == "counselling")
    return "Solace Counselling: your session with your counsellor is confirmed "
           "for " +
           w + ". If you need support before then call our helpline.";
  if (kind == "delivery") return "Your Evri parcel is out for delivery today. Track: evri.com/t/" + w;
  if (kind == "bank") return "Monzo: You've spent £" + w + " at TESCO STORES. Not you? Call us.";
  return "Your verification code is " + w;
}

}  // namespace remit::synth::lex
