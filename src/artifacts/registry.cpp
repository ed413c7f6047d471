// The one artifact registry table (include/remit/registry.hpp).
// Add a row per parser; tests/registry_test.cpp checks that ids equal the
// parsers' names, are unique, and that every parser has a golden case.
#include "remit/registry.hpp"

#include "artifacts/android/calllog.hpp"
#include "artifacts/android/sms.hpp"
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
      {"android.sms", "android", "Android SMS and MMS",
       {"com.android.providers.telephony/databases/mmssms.db"}, false, make<AndroidSmsParser>},
      {"android.calllog", "android", "Android call log",
       {"com.android.providers.contacts/databases/calllog.db",
        "com.android.providers.contacts/databases/contacts2.db",
        "com.samsung.android.providers.contacts/databases/calllog.db",
        "com.samsung.android.providers.contacts/databases/contacts2.db"},
       false, make<AndroidCallLogParser>},
      {"ufdr.report", "ufdr", "Cellebrite UFDR report.xml (decoded models and tagged files)",
       {"report.xml"}, true, make<UfdrReportParser>},
  };
  return kTable;
}

}  // namespace remit
