// case.jsonld: a CASE/UCO export of the package (docs/case-export.md).
//
// Pinned to CASE 1.3.0 (which imports UCO 1.3.0); the version is stated in
// the bundle's uco-core:specVersion and in docs/case-export.md.
//
// Shapes follow the public reference examples: casework/CASE-Mapping-Python
// case.jsonld (Bundle with uco-core:object, FileFacet + ContentDataFacet
// with uco-types:Hash, MessageFacet from/to/sentTime, PhoneAccountFacet,
// InvestigativeAction with startTime/endTime/instrument/object/result,
// ObservableRelationship "Contained_Within" with PathRelationFacet), and
// casework/CASE-Implementation-UFED-XML json/ (ProvenanceRecord with
// exhibitNumber, uco-tool:Tool, DeviceFacet + MobileDeviceFacet, CallFacet).
// CASE's investigation ontology gives case-investigation:Authorization
// (authorizationType, authorizationIdentifier, uco-core:startTime) and
// Investigation.relevantAuthorization.
//
// remit adds what none of them carries: the scope, as the Authorization of
// the InvestigativeAction. The Investigation names it as its relevant
// authorization, and a uco-core:Relationship "Authorized_By" links the
// action to it.
#include <fmt/format.h>

#include <map>

#include "remit/hash.hpp"
#include "remit/version.hpp"
#include "report/model.hpp"

namespace remit::report {
namespace {

using ojson = nlohmann::ordered_json;

struct Ids {
  std::string package_id;
  // A stable identifier: "kb:<kind>-<uuid-shaped digest>".
  std::string operator()(const std::string& kind, const std::string& key) const {
    const std::string h = sha256_hex(package_id + "\n" + kind + "\n" + key);
    return fmt::format("kb:{}-{}-{}-5{}-{}-{}", kind, h.substr(0, 8), h.substr(8, 4), h.substr(13, 3), h.substr(16, 4),
                       h.substr(20, 12));
  }
};

ojson ref(const std::string& id) {
  return ojson{{"@id", id}};
}
ojson dt(const std::string& v) {
  return ojson{{"@type", "xsd:dateTime"}, {"@value", v}};
}
ojson integer(int64_t v) {
  return ojson{{"@type", "xsd:integer"}, {"@value", std::to_string(v)}};
}
ojson decimal(double v) {
  return ojson{{"@type", "xsd:decimal"}, {"@value", fmt::format("{:.7f}", v)}};
}
ojson sha256_hash(const Ids& id, const std::string& key, const std::string& hex) {
  return ojson{{"@id", id("hash", key)},
               {"@type", "uco-types:Hash"},
               {"uco-types:hashMethod", {{"@type", "uco-vocabulary:HashNameVocab"}, {"@value", "SHA256"}}},
               {"uco-types:hashValue", {{"@type", "xsd:hexBinary"}, {"@value", hex}}}};
}

std::string js(const json& j, const char* k) {
  return j.is_object() && j.contains(k) && j[k].is_string() ? j[k].get<std::string>() : std::string();
}

}  // namespace

std::string render_case_jsonld(const Model& m) {
  const json& man = m.manifest;
  const json& sc = m.scope;
  const Ids id{js(man, "package_id")};
  ojson objects = ojson::array();

  // The tool, the examiner, the device, the evidence container.
  const std::string tool = id("tool", "remit");
  objects.push_back({{"@id", tool},
                     {"@type", "uco-tool:Tool"},
                     {"uco-core:name", "remit"},
                     {"uco-tool:version", js(man["tool"], "version")},
                     {"uco-tool:toolType", "Extraction and scoping"}});
  const std::string examiner = id("identity", "examiner:" + js(man, "examiner"));
  objects.push_back({{"@id", examiner}, {"@type", "uco-identity:Person"}, {"uco-core:name", js(man, "examiner")}});

  const json& dev = man["device"];
  const std::string device = id("device", "device");
  {
    ojson facets = ojson::array();
    ojson df = {{"@id", id("device-facet", "device")},
                {"@type", "uco-observable:DeviceFacet"},
                {"uco-observable:deviceType", "Mobile phone"}};
    if (!js(dev, "model").empty()) df["uco-observable:model"] = js(dev, "model");
    if (!js(dev, "serial").empty()) df["uco-observable:serialNumber"] = js(dev, "serial");
    facets.push_back(df);
    if (!js(dev, "imei").empty())
      facets.push_back({{"@id", id("mobile-facet", "device")},
                        {"@type", "uco-observable:MobileDeviceFacet"},
                        {"uco-observable:IMEI", js(dev, "imei")}});
    if (!js(dev, "os_version").empty())
      facets.push_back({{"@id", id("os-facet", "device")},
                        {"@type", "uco-observable:OperatingSystemFacet"},
                        {"uco-observable:displayName", js(dev, "platform")},
                        {"uco-observable:version", js(dev, "os_version")}});
    ojson d = {{"@id", device}, {"@type", "uco-observable:MobileDevice"}};
    if (!js(dev, "description").empty()) d["uco-core:description"] = js(dev, "description");
    d["uco-core:hasFacet"] = facets;
    objects.push_back(d);
  }
  const json& cont = man["container"];
  const std::string container = id("file", "container");
  {
    ojson hashes = ojson::array({sha256_hash(id, "container", js(cont, "sha256"))});
    if (!js(cont, "md5").empty())
      hashes.push_back({{"@id", id("hash", "container-md5")},
                        {"@type", "uco-types:Hash"},
                        {"uco-types:hashMethod", {{"@type", "uco-vocabulary:HashNameVocab"}, {"@value", "MD5"}}},
                        {"uco-types:hashValue", {{"@type", "xsd:hexBinary"}, {"@value", js(cont, "md5")}}}});
    objects.push_back(
        {{"@id", container},
         {"@type", "uco-observable:File"},
         {"uco-core:description", js(cont, "digest_of") == "inventory"
                                      ? "Evidence folder; the hash covers its inventory listing"
                                      : "The extraction as acquired"},
         {"uco-core:hasFacet", ojson::array({{{"@id", id("file-facet", "container")},
                                              {"@type", "uco-observable:FileFacet"},
                                              {"uco-observable:fileName", js(cont, "name")},
                                              {"uco-observable:sizeInBytes", integer(cont.value("size", int64_t{0}))}},
                                             {{"@id", id("content-facet", "container")},
                                              {"@type", "uco-observable:ContentDataFacet"},
                                              {"uco-observable:hash", hashes}}})}});
  }
  objects.push_back({{"@id", id("provenance", "exhibit")},
                     {"@type", "case-investigation:ProvenanceRecord"},
                     {"case-investigation:exhibitNumber", js(man, "exhibit_reference")},
                     {"uco-core:object", ojson::array({ref(device), ref(container)})}});

  // The authorisation: the scope file.
  const std::string auth = id("authorization", "scope");
  {
    std::string desc = fmt::format("Scope version {} of case {}: ", sc.value("version", 0), js(man, "case_reference"));
    bool first = true;
    for (const auto& l : sc["lines"]) {
      std::string cats;
      for (const auto& c : l["categories"]) cats += (cats.empty() ? "" : ", ") + c.get<std::string>();
      desc += fmt::format("{}line {} ({}): {}", first ? "" : "; ", js(l, "id"), cats, js(l, "purpose"));
      first = false;
    }
    const json& sanc = sc["authorisation"]["sanctioning"];
    desc += fmt::format(". Sanctioned by {} {}.", js(sanc, "rank"), js(sanc, "name"));
    ojson a = {{"@id", auth},
               {"@type", "case-investigation:Authorization"},
               {"uco-core:name", fmt::format("remit scope version {}", sc.value("version", 0))},
               {"uco-core:description", desc},
               {"case-investigation:authorizationType",
                "Recorded lines of enquiry (scope file): the only material that may be examined"},
               {"case-investigation:authorizationIdentifier",
                ojson::array({fmt::format("{} scope v{}", js(man, "case_reference"), sc.value("version", 0)),
                              "sha256:" + js(sc, "sha256")})}};
    if (!js(sc["authorisation"], "sanction_time_utc").empty())
      a["uco-core:startTime"] = dt(js(sc["authorisation"], "sanction_time_utc"));
    objects.push_back(a);
  }

  // Parties as accounts.
  std::map<std::string, std::string> account_of;  // kind:value -> id
  auto account = [&](const Party& p) -> std::string {
    const std::string v = p.normalised.empty() ? p.raw : p.normalised;
    const std::string key = std::string(to_string(p.kind)) + ":" + v;
    if (auto it = account_of.find(key); it != account_of.end()) return it->second;
    const std::string aid = id("account", key);
    account_of[key] = aid;
    ojson o;
    if (p.kind == PartyKind::phone) {
      o = {{"@id", aid},
           {"@type", "uco-observable:PhoneAccount"},
           {"uco-core:hasFacet", ojson::array({{{"@id", id("account-facet", key)},
                                                {"@type", "uco-observable:AccountFacet"},
                                                {"uco-observable:accountIdentifier", v}},
                                               {{"@id", id("phone-facet", key)},
                                                {"@type", "uco-observable:PhoneAccountFacet"},
                                                {"uco-observable:phoneNumber", v}}})}};
    } else if (p.kind == PartyKind::email) {
      o = {{"@id", aid},
           {"@type", "uco-observable:EmailAddress"},
           {"uco-core:hasFacet", ojson::array({{{"@id", id("email-facet", key)},
                                                {"@type", "uco-observable:EmailAddressFacet"},
                                                {"uco-observable:addressValue", v}}})}};
    } else {
      o = {{"@id", aid},
           {"@type", "uco-observable:DigitalAccount"},
           {"uco-core:hasFacet", ojson::array({{{"@id", id("account-facet", key)},
                                                {"@type", "uco-observable:AccountFacet"},
                                                {"uco-observable:accountIdentifier", v}}})}};
    }
    if (!p.name.empty())
      o["uco-core:hasFacet"].push_back({{"@id", id("digital-account-facet", key)},
                                        {"@type", "uco-observable:DigitalAccountFacet"},
                                        {"uco-observable:displayName", p.name}});
    objects.push_back(o);
    return aid;
  };

  // Items.
  ojson results = ojson::array();
  for (const auto& si : m.items) {
    const Item& it = si.item;
    const std::string key = it.provenance.locator() + "|" + it.provenance.parser;
    const std::string oid = id("item", key);
    std::string from;
    ojson to = ojson::array(), participants = ojson::array();
    for (const auto& p : it.parties) {
      const std::string a = account(p);
      if (p.role == PartyRole::from)
        from = a;
      else if (p.role == PartyRole::to || p.role == PartyRole::cc || p.role == PartyRole::bcc)
        to.push_back(ref(a));
      else
        participants.push_back(ref(a));
    }
    const std::string t = it.time.utc_ms ? format_rfc3339_ms(*it.time.utc_ms) : std::string();
    ojson o = {{"@id", oid}};
    ojson facets = ojson::array();
    switch (it.category) {
      case Category::message: {
        const bool sms = it.service == "sms" || it.service == "mms";
        o["@type"] = sms ? "uco-observable:SMSMessage" : "uco-observable:Message";
        ojson f = {{"@id", id("message-facet", key)}, {"@type", "uco-observable:MessageFacet"}};
        if (!it.body.empty()) f["uco-observable:messageText"] = it.body;
        if (!from.empty()) f["uco-observable:from"] = ref(from);
        if (!to.empty()) f["uco-observable:to"] = to;
        if (!t.empty()) f["uco-observable:sentTime"] = dt(t);
        facets.push_back(f);
        if (sms) facets.push_back({{"@id", id("sms-facet", key)}, {"@type", "uco-observable:SMSMessageFacet"}});
        break;
      }
      case Category::call: {
        o["@type"] = "uco-observable:Call";
        ojson f = {{"@id", id("call-facet", key)},
                   {"@type", "uco-observable:CallFacet"},
                   {"uco-observable:callType", it.direction == Direction::incoming
                                                   ? (it.outcome == CallOutcome::missed ? "missed" : "incoming")
                                                   : std::string(to_string(it.direction))}};
        if (!t.empty()) f["uco-observable:startTime"] = dt(t);
        if (it.duration_s) f["uco-observable:duration"] = integer(static_cast<int64_t>(*it.duration_s + 0.5));
        if (!from.empty()) f["uco-observable:from"] = ref(from);
        if (!to.empty()) f["uco-observable:to"] = to.size() == 1 ? to[0] : to;
        facets.push_back(f);
        break;
      }
      case Category::contact: {
        o["@type"] = "uco-observable:Contact";
        ojson f = {{"@id", id("contact-facet", key)}, {"@type", "uco-observable:ContactFacet"}};
        if (!it.title.empty()) f["uco-observable:displayName"] = it.title;
        facets.push_back(f);
        break;
      }
      case Category::web_visit: {
        o["@type"] = "uco-observable:URLVisit";
        const std::string url_id = id("url", it.url);
        objects.push_back({{"@id", url_id},
                           {"@type", "uco-observable:URL"},
                           {"uco-core:hasFacet", ojson::array({{{"@id", id("url-facet", it.url)},
                                                                {"@type", "uco-observable:URLFacet"},
                                                                {"uco-observable:fullValue", it.url}}})}});
        ojson f = {{"@id", id("visit-facet", key)},
                   {"@type", "uco-observable:URLVisitFacet"},
                   {"uco-observable:url", ref(url_id)}};
        if (!t.empty()) f["uco-observable:visitTime"] = dt(t);
        facets.push_back(f);
        break;
      }
      case Category::email: {
        o["@type"] = "uco-observable:EmailMessage";
        ojson f = {{"@id", id("email-facet", key)}, {"@type", "uco-observable:EmailMessageFacet"}};
        if (!it.title.empty()) f["uco-observable:subject"] = it.title;
        if (!it.body.empty()) f["uco-observable:body"] = it.body;
        if (!from.empty()) f["uco-observable:from"] = ref(from);
        if (!to.empty()) f["uco-observable:to"] = to;
        if (!t.empty()) f["uco-observable:sentTime"] = dt(t);
        facets.push_back(f);
        break;
      }
      case Category::location: {
        o["@type"] = "uco-location:Location";
        break;
      }
      case Category::note: {
        o["@type"] = "uco-observable:Note";
        ojson f = {{"@id", id("note-facet", key)}, {"@type", "uco-observable:NoteFacet"}};
        if (!it.body.empty()) f["uco-observable:text"] = it.body;
        if (!t.empty()) f["uco-observable:modifiedTime"] = dt(t);
        facets.push_back(f);
        break;
      }
      default: {
        o["@type"] = "uco-observable:ObservableObject";
        if (!it.title.empty()) o["uco-core:name"] = it.title;
        if (!it.body.empty()) o["uco-core:description"] = it.body;
      }
    }
    // Files: media items are files; message attachments are related files.
    std::vector<std::pair<const FileRef*, std::string>> files;
    for (size_t k = 0; k < it.attachments.size(); ++k)
      files.emplace_back(&it.attachments[k], k < si.media.size() ? si.media[k] : std::string());
    if (it.file) files.emplace_back(&*it.file, it.attachments.size() < si.media.size() ? si.media.back() : "");
    for (size_t k = 0; k < files.size(); ++k) {
      const FileRef& f = *files[k].first;
      const bool own = it.file && k + 1 == files.size();
      ojson ff = {{"@id", id("file-facet", key + "#" + std::to_string(k))}, {"@type", "uco-observable:FileFacet"}};
      if (!f.name.empty()) ff["uco-observable:fileName"] = f.name;
      if (!f.path.empty()) ff["uco-observable:filePath"] = f.path;
      if (f.size) ff["uco-observable:sizeInBytes"] = integer(static_cast<int64_t>(*f.size));
      ojson fac = ojson::array({ff});
      if (!f.sha256.empty() || !f.mime.empty()) {
        ojson cd = {{"@id", id("content-facet", key + "#" + std::to_string(k))},
                    {"@type", "uco-observable:ContentDataFacet"}};
        if (!f.mime.empty()) cd["uco-observable:mimeType"] = f.mime;
        if (!f.sha256.empty())
          cd["uco-observable:hash"] = ojson::array({sha256_hash(id, key + "#" + std::to_string(k), f.sha256)});
        fac.push_back(cd);
      }
      if (own && it.category == Category::media) {
        o["@type"] = "uco-observable:File";
        for (auto& x : fac) facets.push_back(x);
      } else {
        const std::string fid = id("attachment", key + "#" + std::to_string(k));
        objects.push_back({{"@id", fid}, {"@type", "uco-observable:File"}, {"uco-core:hasFacet", fac}});
        objects.push_back({{"@id", id("attached", key + "#" + std::to_string(k))},
                           {"@type", "uco-observable:ObservableRelationship"},
                           {"uco-core:source", ref(fid)},
                           {"uco-core:target", ref(oid)},
                           {"uco-core:kindOfRelationship", "Attached_To"},
                           {"uco-core:isDirectional", true}});
      }
    }
    if (it.location) {
      facets.push_back({{"@id", id("latlong-facet", key)},
                        {"@type", "uco-location:LatLongCoordinatesFacet"},
                        {"uco-location:latitude", decimal(it.location->lat)},
                        {"uco-location:longitude", decimal(it.location->lon)}});
    }
    ojson tags = ojson::array();
    for (const auto& l : si.lines) tags.push_back("line:" + l);
    if (si.near_edge) tags.push_back("near-edge");
    if (it.deleted) tags.push_back("deleted");
    if (it.recovered) tags.push_back("recovered");
    o["uco-core:tag"] = tags;
    if (!o.contains("uco-core:description"))
      o["uco-core:description"] = fmt::format("{} ({} {}, {})", it.provenance.forensic_path(), it.provenance.parser,
                                              it.provenance.parser_version, it.provenance.origin);
    if (!facets.empty()) o["uco-core:hasFacet"] = facets;
    objects.push_back(o);
    results.push_back(ref(oid));
    objects.push_back({{"@id", id("contained", key)},
                       {"@type", "uco-observable:ObservableRelationship"},
                       {"uco-core:source", ref(oid)},
                       {"uco-core:target", ref(container)},
                       {"uco-core:kindOfRelationship", "Contained_Within"},
                       {"uco-core:isDirectional", true},
                       {"uco-core:hasFacet", ojson::array({{{"@id", id("path-facet", key)},
                                                            {"@type", "uco-observable:PathRelationFacet"},
                                                            {"uco-observable:path", it.provenance.path}}})}});
  }

  // The action and its result.
  const std::string result = id("provenance", "result");
  objects.push_back({{"@id", result},
                     {"@type", "case-investigation:ProvenanceRecord"},
                     {"case-investigation:exhibitNumber", js(man, "exhibit_reference")},
                     {"uco-core:description", fmt::format("The {} items within scope version {}; nothing else was kept",
                                                          m.items.size(), sc.value("version", 0))},
                     {"uco-core:object", results}});
  const std::string action = id("action", "extract");
  objects.push_back(
      {{"@id", action},
       {"@type", "case-investigation:InvestigativeAction"},
       {"uco-core:name", "Scoped extraction (remit extract)"},
       {"uco-core:description",
        "Only items within the authorised scope were examined and kept; everything else was counted only"},
       {"uco-action:startTime", dt(js(man, "started_utc"))},
       {"uco-action:endTime", dt(js(man, "finished_utc"))},
       {"uco-action:performer", ref(examiner)},
       {"uco-action:instrument", ref(tool)},
       {"uco-action:object", ojson::array({ref(container), ref(device)})},
       {"uco-action:result", ojson::array({ref(result)})}});
  objects.push_back({{"@id", id("relationship", "authorized-by")},
                     {"@type", "uco-core:Relationship"},
                     {"uco-core:source", ref(action)},
                     {"uco-core:target", ref(auth)},
                     {"uco-core:kindOfRelationship", "Authorized_By"},
                     {"uco-core:isDirectional", true}});
  ojson inv = {{"@id", id("investigation", js(man, "case_reference"))},
               {"@type", "case-investigation:Investigation"},
               {"uco-core:name", js(man, "case_reference")},
               {"case-investigation:investigationForm",
                {{"@type", "case-vocabulary:InvestigationFormVocab"}, {"@value", "case"}}},
               {"case-investigation:relevantAuthorization", ojson::array({ref(auth)})},
               {"uco-core:object", ojson::array({ref(action), ref(auth), ref(result)})}};
  if (!js(sc["case"], "offence").empty()) inv["case-investigation:focus"] = js(sc["case"], "offence");
  objects.push_back(inv);

  ojson bundle = {{"@context",
                   {{"kb", "urn:remit:" + js(man, "package_id") + ":"},
                    {"case-investigation", "https://ontology.caseontology.org/case/investigation/"},
                    {"case-vocabulary", "https://ontology.caseontology.org/case/vocabulary/"},
                    {"uco-action", "https://ontology.unifiedcyberontology.org/uco/action/"},
                    {"uco-core", "https://ontology.unifiedcyberontology.org/uco/core/"},
                    {"uco-identity", "https://ontology.unifiedcyberontology.org/uco/identity/"},
                    {"uco-location", "https://ontology.unifiedcyberontology.org/uco/location/"},
                    {"uco-observable", "https://ontology.unifiedcyberontology.org/uco/observable/"},
                    {"uco-tool", "https://ontology.unifiedcyberontology.org/uco/tool/"},
                    {"uco-types", "https://ontology.unifiedcyberontology.org/uco/types/"},
                    {"uco-vocabulary", "https://ontology.unifiedcyberontology.org/uco/vocabulary/"},
                    {"xsd", "http://www.w3.org/2001/XMLSchema#"}}},
                  {"@id", id("bundle", "bundle")},
                  {"@type", "uco-core:Bundle"},
                  {"uco-core:specVersion", "CASE 1.3.0"},
                  {"uco-core:description", fmt::format("In-scope items of case {} (package {}), exported by remit {}",
                                                       js(man, "case_reference"), js(man, "package_id"), kVersion)},
                  {"uco-core:object", objects}};
  return bundle.dump(2, ' ', false, ojson::error_handler_t::replace) + "\n";
}

}  // namespace remit::report
