// Party normalisation (include/remit/party.hpp). The only translation unit
// that includes libphonenumber's (heavy, protobuf-based) headers.
// Reference: libphonenumber PhoneNumberUtil::Parse / IsPossibleNumber /
// Format(E164); WhatsApp JID forms "<cc><number>@s.whatsapp.net" (users),
// "<id>@g.us" (groups), "status@broadcast" (artifacts.md, WhatsApp tables).
#include "remit/party.hpp"

#include <phonenumbers/phonenumberutil.h>

#include <algorithm>
#include <cctype>
#include <mutex>
#include <unordered_map>

namespace remit {
namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

bool starts_with_ci(std::string_view s, std::string_view prefix) {
  if (s.size() < prefix.size()) return false;
  for (size_t i = 0; i < prefix.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(s[i])) != prefix[i]) return false;
  return true;
}

std::string lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return std::tolower(c); });
  return out;
}

bool ends_with(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && lower(s.substr(s.size() - suffix.size())) == suffix;
}

// Digits plus the punctuation people write phone numbers with.
bool phone_like(std::string_view s, size_t& digit_count) {
  digit_count = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    if (std::isdigit(static_cast<unsigned char>(c)))
      ++digit_count;
    else if (c == '+' && i == 0)
      continue;
    else if (c == ' ' || c == '-' || c == '(' || c == ')' || c == '.' || c == '/')
      continue;
    else
      return false;
  }
  return digit_count >= 3;
}

std::string digits_only(std::string_view s) {
  std::string out;
  for (char c : s)
    if (std::isdigit(static_cast<unsigned char>(c))) out.push_back(c);
  return out;
}

bool looks_like_email(std::string_view s) {
  const auto at = s.find('@');
  if (at == 0 || at == std::string_view::npos || s.find('@', at + 1) != std::string_view::npos) return false;
  const auto dom = s.substr(at + 1);
  return dom.find('.') != std::string_view::npos && dom.back() != '.' && s.find(' ') == std::string_view::npos;
}

}  // namespace

struct PartyNormaliser::Cache {
  std::mutex mu;
  std::unordered_map<std::string, NormalisedId> map;
};

PartyNormaliser::PartyNormaliser(std::string default_region)
    : region_(std::move(default_region)), cache_(std::make_unique<Cache>()) {
  std::transform(region_.begin(), region_.end(), region_.begin(), [](unsigned char c) { return std::toupper(c); });
}
PartyNormaliser::~PartyNormaliser() = default;

NormalisedId PartyNormaliser::normalise(std::string_view raw_in) const {
  {
    std::lock_guard lock(cache_->mu);
    if (auto it = cache_->map.find(std::string(raw_in)); it != cache_->map.end()) return it->second;
  }
  NormalisedId out;
  std::string_view s = trim(raw_in);
  for (std::string_view prefix : {"tel:", "sms:", "smsto:", "mailto:"}) {
    if (starts_with_ci(s, prefix)) {
      s.remove_prefix(prefix.size());
      break;
    }
  }
  s = trim(s);
  size_t ndigits = 0;
  if (s.empty()) {
    out = {PartyKind::unknown, ""};
  } else if (ends_with(s, "@s.whatsapp.net") || ends_with(s, "@c.us")) {
    const std::string user(s.substr(0, s.find('@')));
    const std::string digits = digits_only(user);
    if (!digits.empty() && digits.size() == user.size())
      out = {PartyKind::phone, "+" + digits};
    else
      out = {PartyKind::handle, lower(s)};
  } else if (ends_with(s, "@g.us") || ends_with(s, "@broadcast")) {
    out = {PartyKind::group, lower(s)};
  } else if (looks_like_email(s)) {
    out = {PartyKind::email, lower(s)};
  } else if (phone_like(s, ndigits)) {
    using i18n::phonenumbers::PhoneNumber;
    using i18n::phonenumbers::PhoneNumberUtil;
    const PhoneNumberUtil& util = *PhoneNumberUtil::GetInstance();
    PhoneNumber number;
    std::string e164;
    // Numbers of 6 digits or fewer are short codes and service numbers: keep
    // their digits rather than inventing a country code for them.
    if (ndigits > 6 && util.Parse(std::string(s), region_, &number) == PhoneNumberUtil::NO_PARSING_ERROR &&
        util.IsPossibleNumber(number)) {
      util.Format(number, PhoneNumberUtil::E164, &e164);
      out = {PartyKind::phone, e164};
    } else {
      out = {PartyKind::phone, (s.front() == '+' ? "+" : "") + digits_only(s)};
    }
  } else {
    out = {PartyKind::handle, lower(s)};
  }
  std::lock_guard lock(cache_->mu);
  cache_->map.emplace(std::string(raw_in), out);
  return out;
}

void PartyNormaliser::fill(Party& party) const {
  const NormalisedId id = normalise(party.raw);
  party.kind = id.kind;
  party.normalised = id.value;
}

}  // namespace remit
