// safe_diagnostics: what may reach a screen or a log about warnings and
// source notes. A database path is app structure and is kept; a user's file
// name (a photo) and any undetected path are content and are withheld.
#include <gtest/gtest.h>

#include "remit/parser.hpp"
#include "remit/registry.hpp"

namespace remit {
namespace {

const ArtifactSpec& spec(std::string_view id) {
  for (const auto& s : artifact_registry())
    if (s.id == id) return s;
  throw std::runtime_error("no spec");
}

Entry entry(std::string path, uint32_t ordinal) {
  Entry e;
  e.name = path;
  e.path = std::move(path);
  e.ordinal = ordinal;
  e.type = EntryType::file;
  return e;
}

TEST(SafeDiagnostics, KeepsDatabasePathsAndWithholdsUserFileNames) {
  const Entry db = entry("data/user_de/0/com.android.providers.telephony/databases/mmssms.db", 0);
  const Entry photo = entry("data/media/0/DCIM/Camera/Night out with Sam.jpg", 1);
  const std::vector<Detection> detections{{&spec("android.sms"), &db, false}, {&spec("android.media"), &photo, false}};
  const std::vector<Warning> warnings{
      {"android.sms", db.path + "-wal", "corrupt", "frame 3 checksum", 1},
      {"android.media", photo.path, "unreadable", "EXIF block truncated", 1},
      {"android.sms", "data/data/other/secret.db", "corrupt", "header", 1},
  };
  const auto d = safe_diagnostics(warnings, {}, detections);
  ASSERT_EQ(d.size(), 3u);
  EXPECT_EQ(d[0].path, db.path + "-wal");
  EXPECT_EQ(d[1].path, "");
  EXPECT_EQ(d[2].path, "");
  for (const auto& x : d) EXPECT_EQ(x.message.find("Sam"), std::string::npos);
}

TEST(SafeDiagnostics, SourceNotesAreCountedPerCodeWithoutNames) {
  const std::vector<SourceNote> notes{{"absolute_name", "/DCIM/Sam.jpg", "absolute path made relative"},
                                      {"absolute_name", "/DCIM/Alex.jpg", "absolute path made relative"}};
  const auto d = safe_diagnostics({}, notes, {});
  ASSERT_EQ(d.size(), 1u);
  EXPECT_EQ(d[0].count, 2u);
  EXPECT_EQ(d[0].path, "");
  EXPECT_EQ(d[0].message.find("Sam"), std::string::npos);
}

}  // namespace
}  // namespace remit
