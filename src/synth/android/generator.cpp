// `remit synth android` orchestration (src/synth/android.hpp).
#include <fmt/format.h>

#include <chrono>

#include "remit/party.hpp"
#include "remit/timeconv.hpp"
#include "remit/version.hpp"
#include "synth/android.hpp"
#include "synth/android/context.hpp"
#include "synth/ufdr_output.hpp"

namespace remit::synth {

namespace fs = std::filesystem;

const std::vector<VariantInfo>& android_variants() {
  static const std::vector<VariantInfo> kVariants = {
      {"whatsapp-message", "whatsapp",
       "WhatsApp msgstore.db with the `message` table (2022 and later) "
       "[default]"},
      {"whatsapp-legacy", "whatsapp",
       "WhatsApp msgstore.db with the legacy `messages` table (up to 2021); "
       "media under /sdcard/WhatsApp"},
      {"calllog-db", "calllog", "call log in calllog.db (Android 7 and later) [default]"},
      {"calllog-contacts2", "calllog", "call log in the `calls` table of contacts2.db (Android 6 and before)"},
      {"calllog-samsung", "calllog", "Samsung logs.db (com.sec.android.provider.logsprovider), table `logs`"},
      {"prefix-user-de", "prefix",
       "telephony and call log under /data/user_de/0 (device-encrypted "
       "storage, Android 7+) [default]"},
      {"prefix-data-data", "prefix", "every app folder under /data/data"},
      {"wal", "wal",
       "leave the last day's rows of msgstore.db and mmssms.db in their -wal "
       "files"},
  };
  return kVariants;
}

Result<AndroidVariants> parse_android_variants(const std::vector<std::string>& names) {
  AndroidVariants v;
  std::map<std::string, std::string> chosen;  // group -> name
  for (const auto& n : names) {
    const VariantInfo* info = nullptr;
    for (const auto& vi : android_variants())
      if (vi.name == n) info = &vi;
    if (!info) {
      std::string all;
      for (const auto& vi : android_variants()) all += (all.empty() ? "" : ", ") + std::string(vi.name);
      return make_error(Errc::usage, fmt::format("unknown --variant '{}' (known: {})", n, all));
    }
    const std::string group(info->group);
    if (auto it = chosen.find(group); it != chosen.end() && it->second != n)
      return make_error(Errc::usage, fmt::format("--variant {} and --variant {} both choose "
                                                 "the {} layout; pick one",
                                                 it->second, n, group));
    chosen[group] = n;
    if (n == "whatsapp-legacy")
      v.whatsapp = AndroidVariants::WhatsApp::legacy;
    else if (n == "whatsapp-message")
      v.whatsapp = AndroidVariants::WhatsApp::message;
    else if (n == "calllog-contacts2")
      v.calllog = AndroidVariants::CallLog::contacts2;
    else if (n == "calllog-samsung")
      v.calllog = AndroidVariants::CallLog::samsung_logs;
    else if (n == "calllog-db")
      v.calllog = AndroidVariants::CallLog::calllog_db;
    else if (n == "prefix-data-data")
      v.prefix = AndroidVariants::Prefix::data_data;
    else if (n == "prefix-user-de")
      v.prefix = AndroidVariants::Prefix::user_de;
    else if (n == "wal")
      v.wal = true;
  }
  return v;
}

std::vector<std::string> variant_names(const AndroidVariants& v) {
  std::vector<std::string> out;
  out.push_back(v.whatsapp == AndroidVariants::WhatsApp::legacy ? "whatsapp-legacy" : "whatsapp-message");
  out.push_back(v.calllog == AndroidVariants::CallLog::contacts2      ? "calllog-contacts2"
                : v.calllog == AndroidVariants::CallLog::samsung_logs ? "calllog-samsung"
                                                                      : "calllog-db");
  out.push_back(v.prefix == AndroidVariants::Prefix::data_data ? "prefix-data-data" : "prefix-user-de");
  if (v.wal) out.push_back("wal");
  return out;
}

Result<GenerationSummary> generate_android(const AndroidOptions& o, const Progress& progress) {
  const auto t0 = std::chrono::steady_clock::now();
  if (o.format == OutputFormat::ufdr) {
    UfdrRenderOptions u{
        o.out, o.force, o.story, "android", "remit synth android", o.size, variant_names(o.variants), progress.cancel};
    return render_as_ufdr(u, [&](const fs::path& folder) {
      AndroidOptions d = o;
      d.format = OutputFormat::dir;
      d.out = folder;
      d.force = true;
      return generate_android(d, progress);
    });
  }
  auto story = Story::build(o.story);
  if (!story) return story.error();
  const Story& s = **story;
  if (o.size > 0 && o.story.photos == 0)
    return make_error(Errc::usage, "--size needs at least one photo to pad (--photos 1 or more)");

  auto out = Output::create(o.format, o.out, o.force);
  if (!out) return out.error();
  (*out)->set_cancel_flag(progress.cancel);
  auto files = Sidecars::create(o.out, o.force);
  if (!files) return files.error();
  auto scope_text = s.scope().scope_toml();
  if (!scope_text) return scope_text.error();

  PartyNormaliser norm(o.story.region);
  TruthWriter truth(files->truth, o.out.filename().string(), norm);
  Output& output = **out;
  android::Context ctx(s, output, truth, o.variants, norm, [&](std::string_view stage) {
    if (progress.on_stage) progress.on_stage(stage, output.content_bytes());
  });

  using Module = Status (*)(android::Context&);
  constexpr Module kModules[] = {android::write_contacts,  android::write_calllog,  android::write_telephony,
                                 android::write_bugle,     android::write_whatsapp, android::write_chrome,
                                 android::write_other_apps};
  for (Module m : kModules)
    if (auto st = m(ctx); !st) return st.error();
  if (auto st = android::write_dcim(ctx, o.size); !st) return st.error();
  if (progress.on_stage) progress.on_stage("finishing", output.content_bytes());

  std::map<std::string, std::string> artifacts;
  {
    const bool de = o.variants.prefix == AndroidVariants::Prefix::user_de;
    const std::string contacts_de =
        de ? "data/user_de/0/com.android.providers.contacts" : "data/data/com.android.providers.contacts";
    artifacts["mmssms.db"] =
        std::string(de ? "data/user_de/0" : "data/data") + "/com.android.providers.telephony/databases/mmssms.db";
    artifacts["contacts2.db"] = "data/data/com.android.providers.contacts/databases/contacts2.db";
    if (o.variants.calllog == AndroidVariants::CallLog::calllog_db)
      artifacts["calllog.db"] = contacts_de + "/databases/calllog.db";
    if (o.variants.calllog == AndroidVariants::CallLog::samsung_logs)
      artifacts["logs.db"] = "data/data/com.sec.android.provider.logsprovider/databases/logs.db";
    artifacts["bugle_db"] = "data/data/com.google.android.apps.messaging/databases/bugle_db";
    artifacts["msgstore.db"] = "data/data/com.whatsapp/databases/msgstore.db";
    artifacts["wa.db"] = "data/data/com.whatsapp/databases/wa.db";
    artifacts["History"] = "data/data/com.android.chrome/app_chrome/Default/History";
    artifacts["whatsapp_media"] = o.variants.whatsapp == AndroidVariants::WhatsApp::legacy
                                      ? "data/media/0/WhatsApp/Media"
                                      : "data/media/0/Android/media/com.whatsapp/WhatsApp/Media";
    artifacts["dcim"] = "data/media/0/DCIM";
    artifacts["uncovered_app"] = "data/data/co.hinge.app";
  }
  StoryJsonInfo info;
  info.command = "remit synth android";
  info.size = o.size;
  info.format = std::string(to_string(o.format));
  info.variants = variant_names(o.variants);
  info.container = o.out.filename().string();
  info.artifacts = artifacts;
  if (auto st = files->story.write(story_json(s, info, truth)); !st) return st.error();
  GenerationSummary sum;
  sum.content_bytes = output.content_bytes();
  sum.files = output.files();
  if (auto st = files->scope.write(*scope_text); !st) return st.error();
  // Sidecars first, the extraction last: PATH appearing means everything is
  // there.
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
