// `remit synth ios` orchestration (src/synth/ios.hpp).
#include <fmt/format.h>

#include <chrono>

#include "remit/party.hpp"
#include "synth/ios.hpp"
#include "synth/ios/backup_output.hpp"
#include "synth/ios/context.hpp"
#include "synth/ufdr_output.hpp"

namespace remit::synth {

namespace fs = std::filesystem;

const std::vector<VariantInfo>& ios_variants() {
  static const std::vector<VariantInfo> kVariants = {
      {"sms-dates-ns", "sms-dates", "sms.db message.date in nanoseconds since 2001 (iOS 11 and later) [default]"},
      {"sms-dates-seconds", "sms-dates", "sms.db message.date in seconds since 2001 (before iOS 11)"},
      {"sms-text-column", "sms-text", "message text in sms.db `text` (and attributedBody) [default]"},
      {"sms-attributed-body", "sms-text",
       "message text only in attributedBody (typedstream NSAttributedString), `text` NULL, as iOS 16+ often "
       "stores it"},
      {"sms-handles-usual", "sms-handles", "handle_id 0 only on outgoing group messages [default]"},
      {"sms-handle-zero", "sms-handles",
       "handle_id 0 on every outgoing message: the other party only through chat_handle_join"},
      {"photos-zasset", "photos", "Photos.sqlite with ZASSET (iOS 14 and later) [default]"},
      {"photos-zgenericasset", "photos", "Photos.sqlite with ZGENERICASSET (iOS 11-13)"},
      {"addressbook-main", "addressbook", "AddressBook.sqlitedb rows in the main file [default]"},
      {"addressbook-wal-only", "addressbook",
       "AddressBook.sqlitedb rows only in its -wal (4 KB main file), one commit per contact"},
      {"addressbook-wal-superseded", "addressbook",
       "as addressbook-wal-only, plus deleted contacts whose rows survive only in superseded WAL frames "
       "(recovered, not live)"},
      {"prefix-private-var", "prefix", "entries named private/var/... [default]"},
      {"prefix-absolute", "prefix", "entries named /private/var/... (archives only)"},
      {"prefix-filesystem2", "prefix", "entries named filesystem2/... (Cellebrite / iLEAPP layout)"},
      {"wal", "wal", "leave the last day's rows of sms.db and ChatStorage.sqlite in their -wal files"},
  };
  return kVariants;
}

Result<IosVariants> parse_ios_variants(const std::vector<std::string>& names) {
  auto chosen = choose_variants(ios_variants(), names);
  if (!chosen) return chosen.error();
  IosVariants v;
  for (const auto& [group, n] : *chosen) {
    if (n == "sms-dates-seconds") v.sms_dates = IosVariants::SmsDates::seconds;
    if (n == "sms-attributed-body") v.sms_text = IosVariants::SmsText::attributed_body_only;
    if (n == "sms-handle-zero") v.sms_handles = IosVariants::SmsHandles::zero_for_own;
    if (n == "photos-zgenericasset") v.photos = IosVariants::Photos::zgenericasset;
    if (n == "addressbook-wal-only") v.addressbook = IosVariants::AddressBook::wal_only;
    if (n == "addressbook-wal-superseded") v.addressbook = IosVariants::AddressBook::wal_superseded;
    if (n == "prefix-absolute") v.prefix = IosVariants::Prefix::absolute;
    if (n == "prefix-filesystem2") v.prefix = IosVariants::Prefix::filesystem2;
    if (n == "wal") v.wal = true;
  }
  return v;
}

std::vector<std::string> variant_names(const IosVariants& v) {
  std::vector<std::string> out;
  out.push_back(v.sms_dates == IosVariants::SmsDates::seconds ? "sms-dates-seconds" : "sms-dates-ns");
  out.push_back(v.sms_text == IosVariants::SmsText::attributed_body_only ? "sms-attributed-body" : "sms-text-column");
  out.push_back(v.sms_handles == IosVariants::SmsHandles::zero_for_own ? "sms-handle-zero" : "sms-handles-usual");
  out.push_back(v.photos == IosVariants::Photos::zgenericasset ? "photos-zgenericasset" : "photos-zasset");
  out.push_back(v.addressbook == IosVariants::AddressBook::wal_only         ? "addressbook-wal-only"
                : v.addressbook == IosVariants::AddressBook::wal_superseded ? "addressbook-wal-superseded"
                                                                            : "addressbook-main");
  out.push_back(v.prefix == IosVariants::Prefix::absolute      ? "prefix-absolute"
                : v.prefix == IosVariants::Prefix::filesystem2 ? "prefix-filesystem2"
                                                               : "prefix-private-var");
  if (v.wal) out.push_back("wal");
  return out;
}

Result<GenerationSummary> generate_ios(const IosOptions& o, const Progress& progress) {
  const auto t0 = std::chrono::steady_clock::now();
  if (o.backup.enabled) {
    if (o.variants.prefix != IosVariants::Prefix::private_var)
      return make_error(Errc::usage,
                        "the prefix variants name the entries of a file system extraction; an iTunes backup names "
                        "files by domain and relative path (drop --variant prefix-...)");
    ios::BackupRenderOptions b;
    b.out = o.out;
    b.force = o.force;
    b.story = o.story;
    b.size = o.size;
    b.variants = variant_names(o.variants);
    b.encrypted = o.backup.encrypted;
    b.password = o.backup.password;
    b.kdf_rounds = o.backup.kdf_rounds;
    b.cancel = progress.cancel;
    b.stage = [&](std::string_view stage) {
      if (progress.on_stage) progress.on_stage(stage, 0);
    };
    return ios::render_as_itunes_backup(b, [&](const fs::path& folder) {
      IosOptions d = o;
      d.backup = {};
      d.format = OutputFormat::dir;
      d.out = folder;
      d.force = true;
      return generate_ios(d, progress);
    });
  }
  if (o.format == OutputFormat::ufdr) {
    UfdrRenderOptions u{o.out,          o.force, o.story, "ios", "remit synth ios", o.size, variant_names(o.variants),
                        progress.cancel};
    return render_as_ufdr(u, [&](const fs::path& folder) {
      IosOptions d = o;
      d.format = OutputFormat::dir;
      d.out = folder;
      d.force = true;
      return generate_ios(d, progress);
    });
  }
  auto story = Story::build(o.story);
  if (!story) return story.error();
  const Story& s = **story;
  if (o.size > 0 && o.story.photos == 0)
    return make_error(Errc::usage, "--size needs at least one photo to pad (--photos 1 or more)");
  if (o.variants.prefix == IosVariants::Prefix::absolute && o.format == OutputFormat::dir)
    return make_error(Errc::usage,
                      "--variant prefix-absolute names entries /private/var/...: it needs an archive format (tar, "
                      "tar.gz or zip), not a folder");

  auto out = Output::create(o.format, o.out, o.force);
  if (!out) return out.error();
  Output& output = **out;
  output.set_cancel_flag(progress.cancel);
  if (o.variants.prefix == IosVariants::Prefix::absolute)
    if (auto st = output.allow_absolute_names(); !st) return st.error();
  auto files = Sidecars::create(o.out, o.force);
  if (!files) return files.error();
  auto scope_text = s.scope().scope_toml();
  if (!scope_text) return scope_text.error();

  PartyNormaliser norm(o.story.region);
  TruthWriter truth(files->truth, o.out.filename().string(), norm);
  ios::Context ctx(s, output, truth, o.variants, norm, [&](std::string_view stage) {
    if (progress.on_stage) progress.on_stage(stage, output.content_bytes());
  });

  using Module = Status (*)(ios::Context&);
  constexpr Module kModules[] = {ios::write_addressbook, ios::write_callhistory, ios::write_sms,
                                 ios::write_whatsapp,    ios::write_safari,      ios::write_other_apps};
  for (Module m : kModules)
    if (auto st = m(ctx); !st) return st.error();
  if (auto st = ios::write_photos(ctx, o.size); !st) return st.error();
  if (progress.on_stage) progress.on_stage("finishing", output.content_bytes());

  StoryJsonInfo info;
  info.command = "remit synth ios";
  info.size = o.size;
  info.format = std::string(to_string(o.format));
  info.variants = variant_names(o.variants);
  info.container = o.out.filename().string();
  const std::string group = "private/var/mobile/Containers/Shared/AppGroup/" + ctx.whatsapp_group_uuid();
  info.artifacts = {
      {"sms.db", "private/var/mobile/Library/SMS/sms.db"},
      {"sms_attachments", "private/var/mobile/Library/SMS/Attachments"},
      {"CallHistory.storedata", "private/var/mobile/Library/CallHistoryDB/CallHistory.storedata"},
      {"CallHistoryTemp.storedata", "private/var/mobile/Library/CallHistoryDB/CallHistoryTemp.storedata"},
      {"AddressBook.sqlitedb", "private/var/mobile/Library/AddressBook/AddressBook.sqlitedb"},
      {"AddressBookImages.sqlitedb", "private/var/mobile/Library/AddressBook/AddressBookImages.sqlitedb"},
      {"whatsapp_app_group", group},
      {"ChatStorage.sqlite", group + "/ChatStorage.sqlite"},
      {"ContactsV2.sqlite", group + "/ContactsV2.sqlite"},
      {"whatsapp_CallHistory.sqlite", group + "/CallHistory.sqlite"},
      {"whatsapp_media", group + "/Message/Media"},
      {"Photos.sqlite", "private/var/mobile/Media/PhotoData/Photos.sqlite"},
      {"dcim", "private/var/mobile/Media/DCIM"},
      {"History.db", "private/var/mobile/Library/Safari/History.db"},
      {"uncovered_app", "private/var/mobile/Containers/Data/Application/" + ctx.uuid("hinge-container")},
      {"entry_prefix", ctx.entry("")},
  };
  if (auto st = files->story.write(story_json(s, info, truth)); !st) return st.error();
  GenerationSummary sum;
  sum.content_bytes = output.content_bytes();
  sum.files = output.files();
  if (auto st = files->scope.write(*scope_text); !st) return st.error();
  if (auto st = commit_outputs(*files, output); !st) return st.error();
  sum.out = o.out;
  sum.truth = files->truth.final_path();
  sum.story = files->story.final_path();
  sum.scope = files->scope.final_path();
  std::error_code ec;
  sum.container_bytes = o.format == OutputFormat::dir ? sum.content_bytes : fs::file_size(o.out, ec);
  sum.items = truth.items();
  sum.in_scope = truth.in_scope();
  sum.per_table = truth.per_table();
  sum.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return sum;
}

}  // namespace remit::synth
