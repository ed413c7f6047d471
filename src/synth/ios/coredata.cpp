// Core Data bookkeeping tables (src/synth/ios/coredata.hpp).
#include "synth/ios/coredata.hpp"

#include "remit/hash.hpp"
#include "synth/ios/plist.hpp"
#include "synth/prng.hpp"

namespace remit::synth::ios {

Status write_coredata_tables(SqlDb& db, const CoreDataStore& store, const std::vector<Entity>& entities, bool create) {
  if (create) {
    if (auto st = db.exec("CREATE TABLE Z_PRIMARYKEY (Z_ENT INTEGER PRIMARY KEY, Z_NAME VARCHAR, Z_SUPER INTEGER, "
                          "Z_MAX INTEGER);"
                          "CREATE TABLE Z_METADATA (Z_VERSION INTEGER PRIMARY KEY, Z_UUID VARCHAR(255), Z_PLIST BLOB);"
                          "CREATE TABLE Z_MODELCACHE (Z_CONTENT BLOB);");
        !st)
      return st;
  }
  auto pk = db.prepare("INSERT INTO Z_PRIMARYKEY (Z_ENT, Z_NAME, Z_SUPER, Z_MAX) VALUES (?,?,?,?)");
  if (!pk) return pk.error();
  Plist hashes = Plist::dict();
  for (size_t i = 0; i < entities.size(); ++i) {
    const Entity& e = entities[i];
    if (auto r = pk->run(static_cast<int64_t>(i + 1), e.name, e.super, e.max); !r) return r.error();
    // A model version hash is a SHA-256 of the entity's definition: stable
    // for a given model, so derived from the name and the store's seed.
    Hasher h;
    h.update(e.name);
    h.update(std::to_string(store.seed));
    hashes.set_data(e.name, h.raw_final());
  }
  Plist ids = Plist::array();
  for (const auto& m : store.model_ids) ids.push(m);
  Plist meta = Plist::dict();
  meta.set_int("NSPersistenceFrameworkVersion", store.framework_version)
      .set("NSStoreModelVersionHashes", std::move(hashes))
      .set_int("NSStoreModelVersionHashesVersion", 3)
      .set("NSStoreModelVersionIdentifiers", std::move(ids))
      .set("NSStoreType", "SQLite")
      .set("NSStoreUUID", store.uuid)
      .set("_NSAutoVacuumLevel", "2");
  auto md = db.prepare("INSERT INTO Z_METADATA (Z_VERSION, Z_UUID, Z_PLIST) VALUES (1,?,?)");
  if (!md) return md.error();
  const std::string plist = meta.binary();
  if (auto r = md->run(store.uuid, Blob{plist}); !r) return r.error();
  // The model cache is a compressed compiled model: opaque bytes here.
  std::string cache(4096 + entities.size() * 512, '\0');
  Rng r = Rng::derive(store.seed, "coredata-model-cache");
  r.fill(reinterpret_cast<unsigned char*>(cache.data()), cache.size());
  auto mc = db.prepare("INSERT INTO Z_MODELCACHE (Z_CONTENT) VALUES (?)");
  if (!mc) return mc.error();
  if (auto x = mc->run(Blob{cache}); !x) return x.error();
  return {};
}

}  // namespace remit::synth::ios
