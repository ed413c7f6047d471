// The one artifact registry table (include/remit/registry.hpp).
// Add a row per parser; tests/registry_test.cpp checks that ids equal the
// parsers' names, are unique, and that every parser has a golden case.
#include "remit/registry.hpp"

#include "artifacts/android/calllog.hpp"
#include "artifacts/android/contacts.hpp"
#include "artifacts/android/sms.hpp"
#include "artifacts/android/whatsapp.hpp"

namespace remit {

namespace {
template <class P>
std::unique_ptr<Parser> make() {
  return std::make_unique<P>();
}
}  // namespace

const std::vector<ArtifactSpec>& artifact_registry() {
  using namespace remit::artifacts;
  static const std::vector<ArtifactSpec> kTable = {
      {"android.sms", "android", "Android SMS and MMS",
       {"com.android.providers.telephony/databases/mmssms.db"}, false, make<AndroidSmsParser>},
      {"android.calllog", "android", "Android call log",
       {"com.android.providers.contacts/databases/calllog.db",
        "com.android.providers.contacts/databases/contacts2.db",
        "com.samsung.android.providers.contacts/databases/calllog.db",
        "com.samsung.android.providers.contacts/databases/contacts2.db",
        "com.sec.android.provider.logsprovider/databases/logs.db",
        "com.samsung.android.providers.contacts/databases/logs.db"},
       false, make<AndroidCallLogParser>},
      {"android.contacts", "android", "Android contacts",
       {"com.android.providers.contacts/databases/contacts2.db",
        "com.samsung.android.providers.contacts/databases/contacts2.db"},
       false, make<AndroidContactsParser>},
      {"android.whatsapp", "android", "WhatsApp messages and calls",
       {"com.whatsapp/databases/msgstore.db", "com.whatsapp.w4b/databases/msgstore.db"}, false,
       make<AndroidWhatsAppParser>},
      {"android.whatsapp_contacts", "android", "WhatsApp contacts",
       {"com.whatsapp/databases/wa.db", "com.whatsapp.w4b/databases/wa.db"}, false,
       make<AndroidWhatsAppContactsParser>},
  };
  return kTable;
}

}  // namespace remit
