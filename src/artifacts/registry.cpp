// The one artifact registry table (include/remit/registry.hpp).
// Add a row per parser; tests/registry_test.cpp checks that ids equal the
// parsers' names, are unique, and that every parser has a golden case.
#include "remit/registry.hpp"

#include "artifacts/android/bugle.hpp"
#include "artifacts/android/calllog.hpp"
#include "artifacts/android/contacts.hpp"
#include "artifacts/android/media.hpp"
#include "artifacts/android/sms.hpp"
#include "artifacts/android/whatsapp.hpp"
#include "artifacts/ios/addressbook.hpp"
#include "artifacts/ios/callhistory.hpp"
#include "artifacts/ios/photos.hpp"
#include "artifacts/ios/safari.hpp"
#include "artifacts/ios/sms.hpp"
#include "artifacts/ios/whatsapp.hpp"
#include "artifacts/ios/whatsapp_contacts.hpp"
#include "artifacts/ufdr/report_parser.hpp"

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
      {"android.sms",
       "android",
       "Android SMS and MMS",
       {"com.android.providers.telephony/databases/mmssms.db"},
       false,
       make<AndroidSmsParser>},
      {"android.calllog",
       "android",
       "Android call log",
       {"com.android.providers.contacts/databases/calllog.db", "com.android.providers.contacts/databases/contacts2.db",
        "com.samsung.android.providers.contacts/databases/calllog.db",
        "com.samsung.android.providers.contacts/databases/contacts2.db",
        "com.sec.android.provider.logsprovider/databases/logs.db",
        "com.samsung.android.providers.contacts/databases/logs.db"},
       false,
       make<AndroidCallLogParser>},
      {"android.contacts",
       "android",
       "Android contacts",
       {"com.android.providers.contacts/databases/contacts2.db",
        "com.samsung.android.providers.contacts/databases/contacts2.db"},
       false,
       make<AndroidContactsParser>},
      {"android.whatsapp",
       "android",
       "WhatsApp messages and calls",
       {"com.whatsapp/databases/msgstore.db", "com.whatsapp.w4b/databases/msgstore.db"},
       false,
       make<AndroidWhatsAppParser>},
      {"android.whatsapp_contacts",
       "android",
       "WhatsApp contacts",
       {"com.whatsapp/databases/wa.db", "com.whatsapp.w4b/databases/wa.db"},
       false,
       make<AndroidWhatsAppContactsParser>},
      {"android.bugle",
       "android",
       "Google Messages (SMS, MMS, RCS)",
       {"com.google.android.apps.messaging/databases/bugle_db"},
       false,
       make<AndroidBugleParser>},
      {"android.chrome",
       "android",
       "Chrome (and Chromium-based browsers) history",
       {"com.android.chrome/app_chrome/Default/History", "com.chrome.beta/app_chrome/Default/History",
        "com.chrome.dev/app_chrome/Default/History", "com.brave.browser/app_chrome/Default/History",
        "com.microsoft.emmx/app_chrome/Default/History", "com.sec.android.app.sbrowser/app_sbrowser/Default/History"},
       false,
       make<AndroidChromeParser>},
      // Media files are read on demand (platform "media": not kept in memory
      // from compressed streams). Roots are Android storage roots so iOS
      // Media/DCIM folders (covered by ios.photos) do not match.
      {"android.media",
       "media",
       "Android camera and app media (photos, videos, audio)",
       {"[0-9]*/DCIM/**", "[0-9]*/Pictures/**", "[0-9]*/Movies/**", "sdcard*/DCIM/**", "sdcard*/Pictures/**",
        "sdcard*/Movies/**", "storage/*/DCIM/**", "storage/*/Pictures/**", "storage/*/Movies/**",
        "Internal storage/DCIM/**", "Internal storage/Pictures/**", "Internal storage/Movies/**",
        "Internal shared storage/DCIM/**", "Internal shared storage/Pictures/**", "Internal shared storage/Movies/**",
        "Android/media/com.whatsapp/WhatsApp/Media/**", "WhatsApp/Media/**",
        "Android/media/com.whatsapp.w4b/WhatsApp Business/Media/**", "WhatsApp Business/Media/**"},
       true,
       make<AndroidMediaParser>},
      // iOS (full file system extractions and iTunes/Finder backups alike:
      // backup entries carry device paths).
      {"ios.sms", "ios", "iOS Messages (SMS, MMS, iMessage)", {"mobile/Library/SMS/sms.db"}, false, make<IosSmsParser>},
      {"ios.callhistory",
       "ios",
       "iOS call history",
       {"mobile/Library/CallHistoryDB/CallHistory.storedata", "mobile/Library/CallHistoryDB/CallHistoryTemp.storedata"},
       false,
       make<IosCallHistoryParser>},
      {"ios.addressbook",
       "ios",
       "iOS contacts (Address Book)",
       {"mobile/Library/AddressBook/AddressBook.sqlitedb"},
       false,
       make<IosAddressBookParser>},
      {"ios.whatsapp",
       "ios",
       "WhatsApp for iOS messages and calls",
       {"Containers/Shared/AppGroup/*/ChatStorage.sqlite", "Containers/Shared/AppGroup/*/CallHistory.sqlite"},
       false,
       make<IosWhatsAppParser>},
      {"ios.whatsapp_contacts",
       "ios",
       "WhatsApp for iOS contacts",
       {"Containers/Shared/AppGroup/*/ContactsV2.sqlite"},
       false,
       make<IosWhatsAppContactsParser>},
      {"ios.photos",
       "ios",
       "iOS Photos library (Photos.sqlite + DCIM)",
       {"mobile/Media/PhotoData/Photos.sqlite"},
       false,
       make<IosPhotosParser>},
      {"ios.safari", "ios", "Safari history", {"mobile/Library/Safari/History.db"}, false, make<IosSafariParser>},
      {"ufdr.report",
       "ufdr",
       "Cellebrite UFDR report.xml (decoded models and tagged files)",
       {"report.xml"},
       true,
       make<UfdrReportParser>},
  };
  return kTable;
}

}  // namespace remit
