// The notice to the device user (include/remit/notice.hpp, docs/notice.md).
//
// One model per version (standard, easy-read) is built from the scope and
// rendered twice: as plain text and as self-contained HTML through a
// kainjow mustache template, which escapes every value ({{...}}); the only
// unescaped insertion is remit's own constant style sheet, whose SHA-256 is
// the only style source the Content-Security-Policy allows.
//
// References: Police, Crime, Sentencing and Courts Act 2022 s.37-44 and its
// Code of Practice (contents of the written notice); Mencap / DH "Making
// written information easier to understand" (easy-read: short sentences,
// one idea per line, large type); GOV.UK style guide (dates and times);
// CSP Level 3 (hash sources for inline style); CSS Paged Media (@page size).
#include "remit/notice.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <unistd.h>

#include <kainjow/mustache.hpp>
#include <random>

#include "remit/hash.hpp"
#include "remit/text.hpp"
#include "scope/detail.hpp"

namespace remit {
namespace {

namespace sd = scope_detail;

// Statement markers: each of the six required statements carries one, in
// the HTML as data-statement and in the tests as the thing to look for.
constexpr std::string_view kWhat = "what";
constexpr std::string_view kWhy = "why";
constexpr std::string_view kHandling = "handling";
constexpr std::string_view kRefuse = "refuse";
constexpr std::string_view kRefusalNotEnd = "refusal-not-end";
constexpr std::string_view kHelp = "help";

struct Block {
  bool list = false;
  std::string statement;
  std::string text;                // paragraph
  std::vector<std::string> items;  // list
};

struct Section {
  std::string id;
  std::string heading;
  std::vector<Block> blocks;
};

struct Model {
  std::string title;
  std::vector<std::pair<std::string, std::string>> meta;
  std::vector<Section> sections;
  bool easy = false;
};

Block para(std::string text, std::string_view statement = {}) {
  Block b;
  b.text = std::move(text);
  b.statement = std::string(statement);
  return b;
}
Block list(std::vector<std::string> items, std::string_view statement = {}) {
  Block b;
  b.list = true;
  b.items = std::move(items);
  b.statement = std::string(statement);
  return b;
}

std::string capitalise(std::string s) {
  if (!s.empty() && s[0] >= 'a' && s[0] <= 'z') s[0] = static_cast<char>(s[0] - 'a' + 'A');
  return s;
}

std::string full_stop(std::string s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.pop_back();
  if (s.empty()) return s;
  const char c = s.back();
  if (c != '.' && c != '!' && c != '?') s += '.';
  return s;
}

std::string date_text_words(const std::string& iso) {
  auto t = sd::parse_local_text(iso);
  return t ? sd::date_words(*t) : iso;
}

std::string parties_words(const LineOfEnquiry& l) {
  std::vector<std::string> names;
  for (const auto& p : l.parties) names.push_back(describe_masked(p.id));
  return sd::join_words(names);
}

std::string windows_words(const LineOfEnquiry& l, const std::string& tz) {
  std::vector<std::string> ws;
  for (const auto& w : l.windows) ws.push_back(sd::window_words(w, tz));
  return sd::join_words(ws);
}

std::string nouns(const std::vector<Category>& cats) {
  std::vector<std::string> n;
  for (Category c : cats) n.emplace_back(plural_noun(c));
  return sd::join_words(n);
}

// The lines of "what will be looked at" for one line of enquiry.
std::vector<std::string> what_items(const LineOfEnquiry& l, const Scope& s, bool easy) {
  std::vector<std::string> out;
  const std::string when = l.windows.empty() ? std::string("at any time") : windows_words(l, s.time_zone);
  std::vector<Category> comm, other;
  for (Category c : l.categories) (is_communication(c) ? comm : other).push_back(c);
  if (l.everything) {
    out.push_back(full_stop("Everything on your phone, " + when));
  } else {
    if (!comm.empty()) {
      if (easy) {
        // One idea per line: who, then when.
        out.push_back(l.parties.empty() ? fmt::format("All your {}.", nouns(comm))
                                        : fmt::format("{} with {}.", capitalise(nouns(comm)), parties_words(l)));
        out.push_back(full_stop("Only " + when));
      } else if (l.parties.empty()) {
        out.push_back(full_stop(fmt::format("All your {}, {}", nouns(comm), when)));
      } else {
        out.push_back(
            full_stop(fmt::format("{} between you and {}, {}", capitalise(nouns(comm)), parties_words(l), when)));
      }
    }
    if (!other.empty()) {
      const bool contacts_only = other.size() == 1 && other[0] == Category::contact;
      if (contacts_only && !l.parties.empty())
        out.push_back(full_stop(fmt::format("The contact details you saved for {}, {}", parties_words(l), when)));
      else if (!l.parties.empty())
        out.push_back(full_stop(fmt::format("{} linked to {}, {}", capitalise(nouns(other)), parties_words(l), when)));
      else
        out.push_back(full_stop(fmt::format("Your {}, {}", nouns(other), when)));
    }
  }
  if (l.tolerance_ms > 0) {
    const std::string d = sd::duration_words(l.tolerance_ms);
    out.push_back(easy ? fmt::format("Also up to {} before and after these times. Phone clocks can be a bit wrong.", d)
                       : fmt::format("We will also look at up to {} before and after these times. This is because "
                                     "phone clocks are not always right.",
                                     d));
  }
  const bool has_messages =
      l.everything || std::find(l.categories.begin(), l.categories.end(), Category::message) != l.categories.end();
  if (has_messages && !l.parties.empty()) {
    const bool one = l.parties.size() == 1;
    if (l.group_rule == GroupRule::sent_by_or_to_party)
      out.push_back(fmt::format("In group chats, only the messages {} sent.", one ? "this person" : "these people"));
    else
      out.push_back(
          fmt::format("In group chats that {} in, all the messages.", one ? "this person is" : "these people are"));
  }
  if (!l.keywords.empty()) {
    std::vector<std::string> words, patterns;
    for (const auto& k : l.keywords)
      (k.regex ? patterns : words).push_back("\"" + mask_numbers_in_text(k.pattern) + "\"");
    if (!words.empty())
      out.push_back(fmt::format("Only the ones that have {} in them: {}.",
                                words.size() == 1 ? "this word" : "one of these words", sd::join_words(words, " or ")));
    if (!patterns.empty())
      out.push_back(fmt::format("Only the ones that match {}: {}.",
                                patterns.size() == 1 ? "this search pattern" : "one of these search patterns",
                                sd::join_words(patterns, " or ")));
  }
  if (l.include_undated) out.push_back("Things with no date on them, if they fit the rest of this.");
  return out;
}

std::string purpose_words(const LineOfEnquiry& l) {
  return full_stop(capitalise(mask_numbers_in_text(l.purpose_plain.empty() ? l.purpose : l.purpose_plain)));
}

bool needs_responsible_adult(const Scope& s) {
  return (s.user.age && *s.user.age < 18) || !s.user.has_capacity;
}

Model build(const Scope& s, bool easy) {
  Model m;
  m.easy = easy;
  m.title = easy ? "About your phone" : "Your phone: what the police want to look at, and why";
  if (!s.case_reference.empty()) m.meta.emplace_back("Case reference", s.case_reference);
  if (!s.exhibit_reference.empty()) m.meta.emplace_back("Exhibit", s.exhibit_reference);
  if (!s.device_description.empty()) m.meta.emplace_back("Phone", s.device_description);
  m.meta.emplace_back("Notice version", std::to_string(s.version));

  // 1. What will be looked at.
  Section what{"what", easy ? "What we want to look at" : "What we want to look at", {}};
  if (easy)
    what.blocks.push_back(
        para("The police want to look at some things on your phone. This paper tells you what, and why."));
  what.blocks.push_back(para(easy ? "We will only look at:"
                                  : "We want to look at some of the information on your phone. We will only look at:",
                             kWhat));
  std::vector<std::string> items;
  for (const auto& l : s.lines) {
    auto it = what_items(l, s, easy);
    items.insert(items.end(), it.begin(), it.end());
  }
  if (items.empty()) items.push_back("Nothing yet: no line of enquiry has been written down.");
  what.blocks.push_back(list(std::move(items), kWhat));
  what.blocks.push_back(para(easy ? "We will not look at anything else. No one will see the rest."
                                  : "We will not look at anything else on your phone. A computer program picks out "
                                    "only these things. It counts the other things on the phone, but it does not "
                                    "show them to anyone.",
                             kWhat));
  m.sections.push_back(std::move(what));

  // 2. Why.
  Section why{"why", easy ? "Why" : "Why we want to look", {}};
  std::vector<std::string> reasons;
  for (const auto& l : s.lines)
    if (!(l.purpose_plain.empty() && l.purpose.empty())) reasons.push_back(purpose_words(l));
  if (reasons.empty()) reasons.push_back("The reason has not been written down yet.");
  if (reasons.size() == 1)
    why.blocks.push_back(para(reasons[0], kWhy));
  else
    why.blocks.push_back(list(std::move(reasons), kWhy));
  m.sections.push_back(std::move(why));

  // 3. Handling afterwards.
  const Handling& h = s.handling;
  Section after{"handling", easy ? "What happens next" : "What happens to it afterwards", {}};
  std::vector<std::string> hs;
  if (!h.who_will_see.empty())
    hs.push_back(fmt::format("Only these people will see it: {}.", sd::join_words(h.who_will_see)));
  else
    hs.push_back("Who will see it has not been written down yet.");
  if (!h.retention_basis.empty()) hs.push_back(full_stop("How long we keep it: " + h.retention_basis));
  if (!h.review_date.empty())
    hs.push_back(fmt::format("On {} we will check if we still need it.", date_text_words(h.review_date)));
  if (!h.delete_out_of_scope_by.empty())
    hs.push_back(easy ? fmt::format("We will delete the rest by {}.", date_text_words(h.delete_out_of_scope_by))
                      : fmt::format("Anything else taken from your phone will be deleted by {}.",
                                    date_text_words(h.delete_out_of_scope_by)));
  if (!h.device_return_target.empty())
    hs.push_back(fmt::format("We aim to give your phone back by {}.", date_text_words(h.device_return_target)));
  after.blocks.push_back(list(std::move(hs), kHandling));
  m.sections.push_back(std::move(after));

  // 4 and 5. Refusal.
  Section choice{"choice", easy ? "You can say no" : "It is your choice", {}};
  if (needs_responsible_adult(s)) {
    const bool child = s.user.age && *s.user.age < 18;
    choice.blocks.push_back(para(
        child ? "Because you are under 18, a parent, carer or another adult you trust will be asked to agree for you."
              : "An adult you trust will be asked to agree for you.",
        kRefuse));
    choice.blocks.push_back(para(easy ? "We will ask what you think. We will write it down."
                                      : "We will also ask you what you think, and we will write it down."));
  }
  choice.blocks.push_back(para(easy ? "You can say no." : "You do not have to agree. You can say no.", kRefuse));
  choice.blocks.push_back(para(easy ? "Saying no will not, on its own, stop the investigation."
                                    : "If you say no, that alone will not stop the investigation.",
                               kRefusalNotEnd));
  choice.blocks.push_back(para(easy ? "If you say yes, you can change your mind later."
                                    : "If you say yes, you can change your mind later. Just tell us.",
                               kRefuse));
  choice.blocks.push_back(
      para(easy ? "You can keep this paper." : "You will get a copy of this notice and of what you decide."));
  m.sections.push_back(std::move(choice));

  // 6. Questions and help.
  Section help{"help", easy ? "Help" : "Questions and help", {}};
  std::vector<std::string> hl;
  hl.push_back(h.contact.empty() ? std::string("Ask the officer who gave you this notice.")
                                 : full_stop((easy ? "Questions? Ask " : "If you have questions, ask ") + h.contact));
  hl.push_back(h.advocate_service.empty()
                   ? std::string("You can ask for free help from an advocate who is not part of the police.")
                   : full_stop((easy ? "Free help from someone who is not the police: "
                                     : "You can get free help from an advocate who is not part of the police: ") +
                               h.advocate_service));
  help.blocks.push_back(list(std::move(hl), kHelp));
  m.sections.push_back(std::move(help));
  return m;
}

// Running text for readability: paragraphs and list items, one per line.
std::string prose(const Model& m) {
  std::string out;
  for (const auto& s : m.sections)
    for (const auto& b : s.blocks) {
      if (b.list)
        for (const auto& i : b.items) out += i + "\n";
      else
        out += b.text + "\n";
    }
  return out;
}

constexpr std::string_view kForm[] = {
    "Your decision (tick one):",
    "[ ] I agree to the police looking at the things listed above.",
    "[ ] I do not agree.",
    "Name: ______________________________",
    "Signed: ____________________________   Date: ______________",
};

std::string render_text(const Model& m) {
  std::string out = m.title + "\n" + std::string(m.title.size(), '=') + "\n\n";
  for (const auto& [k, v] : m.meta) out += k + ": " + printable(v) + "\n";
  out += "\n";
  for (const auto& s : m.sections) {
    out += s.heading + "\n" + std::string(s.heading.size(), '-') + "\n";
    for (const auto& b : s.blocks) {
      if (b.list)
        for (const auto& i : b.items) out += "  - " + printable(i) + "\n";
      else
        out += printable(b.text) + "\n";
    }
    out += "\n";
  }
  for (auto f : kForm) out += std::string(f) + "\n";
  return out;
}

constexpr std::string_view kStyle =
    "@page{size:A4;margin:18mm 16mm}"
    "html{-webkit-text-size-adjust:100%}"
    "body{font-family:Arial,Helvetica,'Liberation Sans',sans-serif;font-size:12pt;line-height:1.5;color:#000;"
    "background:#fff;max-width:44em;margin:1.5em auto;padding:0 1em}"
    "body.easy{font-size:16pt;line-height:1.7;max-width:36em}"
    "h1{font-size:1.6em;margin:0 0 .4em}h2{font-size:1.25em;margin:1.2em 0 .3em;break-after:avoid}"
    "dl.meta{display:grid;grid-template-columns:max-content 1fr;gap:.1em 1em;margin:0 0 1em;font-size:.9em}"
    "dl.meta dt{font-weight:bold}dl.meta dd{margin:0}"
    "section{break-inside:avoid}ul{padding-left:1.3em}li{margin:.25em 0}"
    "body.easy li,body.easy p{margin:.5em 0}"
    ".form{border:1px solid #000;padding:.6em 1em;margin-top:1.5em;break-inside:avoid}"
    ".form p{margin:.5em 0}"
    "@media print{body{margin:0;max-width:none;padding:0}}";

constexpr std::string_view kTemplate = R"(<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{{{csp}}}">
<meta name="referrer" content="no-referrer">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{title}}</title>
<style>{{{style}}}</style>
</head>
<body class="{{body_class}}">
<header>
<h1>{{title}}</h1>
<dl class="meta">
{{#meta}}<dt>{{label}}</dt><dd>{{value}}</dd>
{{/meta}}</dl>
</header>
<main>
{{#sections}}<section id="{{id}}">
<h2>{{heading}}</h2>
{{#blocks}}{{#is_list}}<ul{{#has_statement}} data-statement="{{statement}}"{{/has_statement}}>
{{#items}}<li>{{text}}</li>
{{/items}}</ul>
{{/is_list}}{{^is_list}}<p{{#has_statement}} data-statement="{{statement}}"{{/has_statement}}>{{text}}</p>
{{/is_list}}{{/blocks}}</section>
{{/sections}}<section class="form" id="decision">
{{#form}}<p>{{text}}</p>
{{/form}}</section>
</main>
</body>
</html>
)";

std::string csp_for_style() {
  Hasher h(HashAlgo::sha256);
  h.update(kStyle);
  return fmt::format(
      "default-src 'none'; style-src 'sha256-{}'; img-src 'none'; font-src 'none'; connect-src 'none'; "
      "script-src 'none'; object-src 'none'; base-uri 'none'; form-action 'none'",
      sd::base64(h.raw_final()));
}

Result<std::string> render_html(const Model& m) {
  using kainjow::mustache::data;
  using kainjow::mustache::mustache;
  try {
    data d;
    d.set("csp", csp_for_style());
    d.set("style", std::string(kStyle));
    d.set("title", m.title);
    d.set("body_class", m.easy ? "easy" : "standard");
    data meta{data::type::list};
    for (const auto& [k, v] : m.meta) {
      data e;
      e.set("label", k);
      e.set("value", v);
      meta << e;
    }
    d.set("meta", meta);
    data sections{data::type::list};
    for (const auto& s : m.sections) {
      data sd_;
      sd_.set("id", s.id);
      sd_.set("heading", s.heading);
      data blocks{data::type::list};
      for (const auto& b : s.blocks) {
        data bd;
        bd.set("is_list", b.list ? data::type::bool_true : data::type::bool_false);
        bd.set("has_statement", b.statement.empty() ? data::type::bool_false : data::type::bool_true);
        bd.set("statement", b.statement);
        bd.set("text", b.text);
        data items{data::type::list};
        for (const auto& i : b.items) {
          data id;
          id.set("text", i);
          items << id;
        }
        bd.set("items", items);
        blocks << bd;
      }
      sd_.set("blocks", blocks);
      sections << sd_;
    }
    d.set("sections", sections);
    data form{data::type::list};
    for (auto f : kForm) {
      data fd;
      fd.set("text", std::string(f));
      form << fd;
    }
    d.set("form", form);
    mustache tmpl{std::string(kTemplate)};
    if (!tmpl.is_valid()) return make_error(Errc::internal, "notice template: " + tmpl.error_message());
    std::string out = tmpl.render(d);
    if (!tmpl.error_message().empty()) return make_error(Errc::internal, "notice template: " + tmpl.error_message());
    return out;
  } catch (const std::exception& e) {
    return make_error(Errc::internal, std::string("notice template: ") + e.what());
  }
}

}  // namespace

std::string describe_masked(const NormalisedId& id) {
  const std::string& v = id.value;
  switch (id.kind) {
    case PartyKind::phone: {
      std::string digits;
      for (char c : v)
        if (std::isdigit(static_cast<unsigned char>(c))) digits.push_back(c);
      if (digits.size() <= 4) return "the number " + digits;
      return "the number ending " + digits.substr(digits.size() - 4);
    }
    case PartyKind::email: {
      const auto at = v.find('@');
      if (at == std::string::npos || at == 0) return "an email address";
      return fmt::format("the email address {}***{}", v.substr(0, 1), v.substr(at));
    }
    case PartyKind::group:
      return "a group chat";
    case PartyKind::handle:
    case PartyKind::unknown:
    default:
      if (v.size() <= 4) return "the account " + v;
      return "the account ending " + v.substr(v.size() - 4);
  }
}

std::string mask_numbers_in_text(std::string_view text) {
  std::string out;
  size_t i = 0;
  while (i < text.size()) {
    const char c = text[i];
    if (std::isdigit(static_cast<unsigned char>(c)) ||
        (c == '+' && i + 1 < text.size() && std::isdigit(static_cast<unsigned char>(text[i + 1])))) {
      size_t j = i;
      std::string digits;
      size_t last_digit_end = i;
      while (j < text.size()) {
        const char d = text[j];
        if (std::isdigit(static_cast<unsigned char>(d))) {
          digits.push_back(d);
          last_digit_end = j + 1;
        } else if (!(d == ' ' || d == '-' || d == '(' || d == ')' || (d == '+' && j == i))) {
          break;
        }
        ++j;
      }
      const std::string_view run = text.substr(i, last_digit_end - i);
      const bool iso_date = run.size() == 10 && run[4] == '-' && run[7] == '-' && digits.size() == 8;
      if (digits.size() >= 7 && !iso_date) {
        out += "[number ending " + digits.substr(digits.size() - 4) + "]";
        i = last_digit_end;
        continue;
      }
      out.append(text.substr(i, last_digit_end > i ? last_digit_end - i : 1));
      i = last_digit_end > i ? last_digit_end : i + 1;
      continue;
    }
    out.push_back(c);
    ++i;
  }
  return out;
}

Result<Notice> render_notice(const Scope& scope) {
  Notice n;
  n.version = std::to_string(scope.version);
  const Model std_model = build(scope, false);
  const Model easy_model = build(scope, true);
  n.text = render_text(std_model);
  n.easy_text = render_text(easy_model);
  auto h = render_html(std_model);
  if (!h) return h.error();
  n.html = std::move(*h);
  auto e = render_html(easy_model);
  if (!e) return e.error();
  n.easy_html = std::move(*e);
  n.standard = flesch_reading_ease(prose(std_model));
  n.easy = flesch_reading_ease(prose(easy_model));
  return n;
}

Result<Notice> write_notice(const Scope& scope, const std::filesystem::path& dir) {
  auto n = render_notice(scope);
  if (!n) return n.error();
  const std::pair<const char*, const std::string*> files[] = {
      {"notice.html", &n->html},
      {"notice.txt", &n->text},
      {"notice-easy-read.html", &n->easy_html},
      {"notice-easy-read.txt", &n->easy_text},
  };
  std::error_code ec;
  if (std::filesystem::exists(dir, ec)) {
    if (!std::filesystem::is_directory(dir, ec))
      return make_error(Errc::usage, fmt::format("{}: exists and is not a folder", dir.string()));
    for (const auto& [name, data] : files)
      if (auto st = sd::write_file_atomic(dir / name, *data); !st) return st.error();
    return n;
  }
  // A new folder appears whole or not at all.
  const std::filesystem::path parent = dir.has_parent_path() ? dir.parent_path() : std::filesystem::path(".");
  if (!std::filesystem::is_directory(parent, ec))
    return make_error(Errc::not_found, fmt::format("{}: no such folder", parent.string()));
  std::random_device rd;
  const std::filesystem::path tmp = parent / fmt::format(".{}.tmp-{:08x}", dir.filename().string(), rd());
  if (!std::filesystem::create_directory(tmp, ec) || ec)
    return make_error(Errc::io, fmt::format("{}: cannot create folder: {}", tmp.string(), ec.message()));
  auto cleanup = [&] { std::filesystem::remove_all(tmp, ec); };
  for (const auto& [name, data] : files) {
    if (auto st = sd::write_file_atomic(tmp / name, *data); !st) {
      cleanup();
      return st.error();
    }
  }
  std::filesystem::rename(tmp, dir, ec);
  if (ec) {
    const std::string why = ec.message();
    cleanup();
    return make_error(Errc::io, fmt::format("{}: cannot create: {}", dir.string(), why));
  }
  if (auto st = sd::fsync_dir(parent); !st) return st.error();
  return n;
}

}  // namespace remit
