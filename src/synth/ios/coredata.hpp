#pragma once
// Core Data's own tables in an SQLite store, as every iOS Core Data
// database has them (CallHistory.storedata, ChatStorage.sqlite,
// ContactsV2.sqlite, CallHistory.sqlite, Photos.sqlite):
//   Z_PRIMARYKEY (Z_ENT, Z_NAME, Z_SUPER, Z_MAX)  one row per entity
//   Z_METADATA   (Z_VERSION, Z_UUID, Z_PLIST)     store UUID and a binary plist
//                 (NSStoreModelVersionHashes, NSStoreType "SQLite", ...)
//   Z_MODELCACHE (Z_CONTENT)                      the compiled model (opaque)
// Column lists and plist keys as in the real WhatsApp stores of the iLEAPP
// josh_ios15 test data. Entities are numbered from 1 in the given order.
// Not thread-safe.

#include <cstdint>
#include <string>
#include <vector>

#include "remit/status.hpp"
#include "synth/sqlite_writer.hpp"

namespace remit::synth::ios {

struct Entity {
  std::string name;  // "WAMessage"
  int64_t max = 0;   // Z_MAX: the highest Z_PK handed out
  int64_t super = 0;
};

struct CoreDataStore {
  std::string uuid;                    // NSStoreUUID / Z_UUID
  std::vector<std::string> model_ids;  // NSStoreModelVersionIdentifiers
  int64_t framework_version = 1145;    // NSPersistenceFrameworkVersion (iOS 15-16)
  uint64_t seed = 0;                   // for the model hashes and cache bytes
};

// Creates the three tables (when `create`), then fills them. Call after the
// entity tables are loaded so Z_MAX is known.
[[nodiscard]] Status write_coredata_tables(SqlDb& db, const CoreDataStore& store, const std::vector<Entity>& entities,
                                           bool create = true);

}  // namespace remit::synth::ios
