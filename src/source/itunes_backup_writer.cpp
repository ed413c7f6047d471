// iTunes/Finder backup writer (itunes_backup_writer.hpp).
//
// References (facts only): shared/docs/artifacts.md "iTunes / Finder
// backups"; Manifest.db schema (Files(fileID TEXT PRIMARY KEY, domain,
// relativePath, flags, file BLOB) + indexes, Properties(key, value)) and
// Manifest.plist / Status.plist / Info.plist keys as seen in public backup
// tools' fixtures; keybag tags as in keybag.hpp.
#include "source/itunes_backup_writer.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <openssl/crypto.h>
#include <plist/plist.h>
#include <sqlite3.h>
#include <unistd.h>

#include <cstring>
#include <map>
#include <memory>
#include <set>

#include "remit/apple.hpp"
#include "remit/hash.hpp"
#include "source/keybag.hpp"

namespace remit::backup {
namespace {

namespace fs = std::filesystem;
using Blob = std::vector<unsigned char>;

// Deterministic byte stream: SHA-256(seed, label, counter) blocks.
class SeededBytes {
 public:
  explicit SeededBytes(uint64_t seed) : seed_(seed) {}
  Blob next(size_t n, std::string_view label) {
    Blob out;
    while (out.size() < n) {
      Hasher h(HashAlgo::sha256);
      h.update(fmt::format("remit-backup-writer|{}|{}|{}", seed_, label, counter_++));
      const std::string d = h.raw_final();
      out.insert(out.end(), d.begin(), d.end());
    }
    out.resize(n);
    return out;
  }
  SecretBytes secret(size_t n, std::string_view label) {
    Blob b = next(n, label);
    SecretBytes s(b.data(), b.size());
    OPENSSL_cleanse(b.data(), b.size());
    return s;
  }

 private:
  uint64_t seed_;
  uint64_t counter_ = 0;
};

struct PlistFree {
  void operator()(plist_t p) const noexcept {
    if (p) plist_free(p);
  }
};
using PlistPtr = std::unique_ptr<void, PlistFree>;

Blob to_binary_plist(plist_t p) {
  char* bin = nullptr;
  uint32_t len = 0;
  plist_to_bin(p, &bin, &len);
  Blob out(reinterpret_cast<unsigned char*>(bin), reinterpret_cast<unsigned char*>(bin) + len);
  plist_to_bin_free(bin);
  return out;
}

Blob to_xml_plist(plist_t p) {
  char* xml = nullptr;
  uint32_t len = 0;
  plist_to_xml(p, &xml, &len);
  Blob out(reinterpret_cast<unsigned char*>(xml), reinterpret_cast<unsigned char*>(xml) + len);
  plist_to_xml_free(xml);
  return out;
}

plist_t date_node(int64_t unix_s) {
  return plist_new_date(static_cast<int32_t>(unix_s - 978307200), 0);
}

Status write_file(const fs::path& p, std::span<const unsigned char> data) {
  const int fd = ::open(p.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0644);
  if (fd < 0) return make_error(Errc::io, fmt::format("{}: cannot create: {}", p.string(), std::strerror(errno)));
  size_t off = 0;
  while (off < data.size()) {
    const ssize_t n = ::write(fd, data.data() + off, data.size() - off);
    if (n < 0) {
      if (errno == EINTR) continue;
      const int err = errno;
      ::close(fd);
      return make_error(Errc::io, fmt::format("{}: write failed: {}", p.string(), std::strerror(err)));
    }
    off += static_cast<size_t>(n);
  }
  if (::fsync(fd) != 0 || ::close(fd) != 0)
    return make_error(Errc::io, fmt::format("{}: cannot flush: {}", p.string(), std::strerror(errno)));
  return {};
}

struct Row {
  std::string file_id, domain, rel;
  int flags = 1;
  Blob meta;  // MBFile archive
};

apple::ArchivedValue int_field(int64_t v) {
  apple::ArchivedValue a;
  a.kind = apple::ArchivedValue::Kind::integer;
  a.integer = v;
  return a;
}

Result<Blob> mbfile(const std::string& rel, int64_t mtime, uint64_t size, uint32_t mode, uint32_t pclass,
                    const Blob* encryption_key, uint64_t inode) {
  apple::ArchivedValue o;
  o.kind = apple::ArchivedValue::Kind::object;
  o.class_name = "MBFile";
  o.classes = {"MBFile", "NSObject"};
  apple::ArchivedValue relv;
  relv.kind = apple::ArchivedValue::Kind::string;
  relv.bytes = rel;
  o.fields.emplace_back("RelativePath", relv);
  o.fields.emplace_back("LastModified", int_field(mtime));
  o.fields.emplace_back("LastStatusChange", int_field(mtime));
  o.fields.emplace_back("Birth", int_field(mtime));
  o.fields.emplace_back("Size", int_field(static_cast<int64_t>(size)));
  o.fields.emplace_back("Mode", int_field(mode));
  o.fields.emplace_back("InodeNumber", int_field(static_cast<int64_t>(inode)));
  o.fields.emplace_back("UserID", int_field(501));
  o.fields.emplace_back("GroupID", int_field(501));
  o.fields.emplace_back("Flags", int_field(0));
  o.fields.emplace_back("ProtectionClass", int_field(pclass));
  if (encryption_key) {
    apple::ArchivedValue k;
    k.kind = apple::ArchivedValue::Kind::data;
    k.bytes.assign(encryption_key->begin(), encryption_key->end());
    o.fields.emplace_back("EncryptionKey", std::move(k));
  }
  return apple::encode_keyed_archive(o);
}

Blob le32_prefixed(uint32_t cls, const Blob& wrapped) {
  Blob out;
  out.reserve(4 + wrapped.size());
  for (int s = 0; s < 32; s += 8) out.push_back(static_cast<unsigned char>((cls >> s) & 0xff));
  for (unsigned char c : wrapped) out.push_back(c);
  return out;
}

Result<Blob> build_manifest_db(const std::vector<Row>& rows) {
  sqlite3* db = nullptr;
  if (sqlite3_open(":memory:", &db) != SQLITE_OK) {
    sqlite3_close(db);
    return make_error(Errc::internal, "cannot create Manifest.db in memory");
  }
  std::unique_ptr<sqlite3, int (*)(sqlite3*)> owner(db, sqlite3_close);
  const char* schema =
      "CREATE TABLE Files (fileID TEXT PRIMARY KEY, domain TEXT, relativePath TEXT, flags INTEGER, file BLOB);"
      "CREATE INDEX FilesDomainIdx ON Files(domain);"
      "CREATE INDEX FilesRelativePathIdx ON Files(relativePath);"
      "CREATE INDEX FilesFlagsIdx ON Files(flags);"
      "CREATE TABLE Properties (key TEXT PRIMARY KEY, value BLOB);"
      "BEGIN;";
  if (sqlite3_exec(db, schema, nullptr, nullptr, nullptr) != SQLITE_OK)
    return make_error(Errc::internal, std::string("Manifest.db schema: ") + sqlite3_errmsg(db));
  sqlite3_stmt* st = nullptr;
  if (sqlite3_prepare_v2(db, "INSERT INTO Files VALUES (?1, ?2, ?3, ?4, ?5)", -1, &st, nullptr) != SQLITE_OK)
    return make_error(Errc::internal, std::string("Manifest.db insert: ") + sqlite3_errmsg(db));
  std::unique_ptr<sqlite3_stmt, int (*)(sqlite3_stmt*)> stmt(st, sqlite3_finalize);
  for (const auto& r : rows) {
    sqlite3_bind_text(st, 1, r.file_id.c_str(), -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 2, r.domain.c_str(), -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 3, r.rel.c_str(), -1, SQLITE_TRANSIENT);
    sqlite3_bind_int(st, 4, r.flags);
    sqlite3_bind_blob(st, 5, r.meta.data(), static_cast<int>(r.meta.size()), SQLITE_TRANSIENT);
    if (sqlite3_step(st) != SQLITE_DONE)
      return make_error(Errc::usage,
                        fmt::format("Manifest.db: cannot add {}-{}: {}", r.domain, r.rel, sqlite3_errmsg(db)));
    sqlite3_reset(st);
  }
  stmt.reset();
  if (sqlite3_exec(db, "COMMIT; VACUUM;", nullptr, nullptr, nullptr) != SQLITE_OK)
    return make_error(Errc::internal, std::string("Manifest.db commit: ") + sqlite3_errmsg(db));
  sqlite3_int64 size = 0;
  unsigned char* image = sqlite3_serialize(db, "main", &size, 0);
  if (!image) return make_error(Errc::internal, "Manifest.db: cannot serialise");
  Blob out(image, image + size);
  sqlite3_free(image);
  return out;
}

std::string hex_uuid(const Blob& b) {
  std::string h = to_hex(b);
  return fmt::format("{}-{}-{}-{}-{}", h.substr(0, 8), h.substr(8, 4), h.substr(12, 4), h.substr(16, 4),
                     h.substr(20, 12));
}

Status write_backup(const fs::path& tmp, std::span<const BackupFile> files, const BackupWriterOptions& o) {
  SeededBytes rnd(o.seed);
  const bool encrypted = o.password.has_value();
  if (encrypted && (o.kdf_rounds_sha256 == 0 || o.kdf_rounds_sha1 == 0))
    return make_error(Errc::usage, "encrypted backups need non-zero KDF round counts");

  // Keybag with class keys 1..11, wrapped with the password key.
  Keybag kb;
  kb.version = 5;
  kb.type = 1;
  Blob uuid = rnd.next(16, "keybag-uuid");
  kb.uuid.assign(uuid.begin(), uuid.end());
  kb.wrap = 0;
  kb.salt = rnd.next(20, "salt");
  kb.iterations = o.kdf_rounds_sha1;
  kb.dp_salt = rnd.next(20, "dpsl");
  kb.dp_iterations = o.kdf_rounds_sha256;
  kb.dp_wrap = 1;
  std::map<uint32_t, SecretBytes> class_keys;
  SecretBytes pkey;
  if (encrypted) {
    auto k = derive_password_key(*o.password, kb);
    if (!k) return k.error();
    pkey = std::move(*k);
  } else {
    pkey = rnd.secret(32, "unused-password-key");
  }
  for (uint32_t c = 1; c <= 11; ++c) {
    KeybagClass kc;
    Blob cu = rnd.next(16, "class-uuid");
    kc.uuid.assign(cu.begin(), cu.end());
    kc.protection_class = c;
    kc.wrap = 2;
    kc.key_type = 0;
    class_keys[c] = rnd.secret(32, "class-key");
    auto w = aes_wrap(pkey, class_keys[c].span());
    if (!w) return w.error();
    kc.wrapped_key = std::move(*w);
    kb.classes.push_back(std::move(kc));
  }

  // Files and their parent folders.
  std::vector<Row> rows;
  std::set<std::pair<std::string, std::string>> dirs, seen;
  uint64_t inode = 1000;
  for (const auto& f : files) {
    if (f.domain.empty()) return make_error(Errc::usage, "backup file with an empty domain");
    if (!seen.insert({f.domain, f.relative_path}).second)
      return make_error(Errc::usage, fmt::format("backup file {}-{} given twice", f.domain, f.relative_path));
    Row r;
    r.domain = f.domain;
    r.rel = f.relative_path;
    r.flags = 1;
    r.file_id = sha1_hex(f.domain + "-" + f.relative_path);
    Blob stored;
    Blob wrapped_blob;
    if (encrypted) {
      SecretBytes fkey = rnd.secret(32, "file-key");
      auto wk = aes_wrap(class_keys[f.protection_class >= 1 && f.protection_class <= 11 ? f.protection_class : 3],
                         fkey.span());
      if (!wk) return wk.error();
      wrapped_blob = le32_prefixed(f.protection_class, *wk);
      auto enc = aes256_cbc_encrypt_pkcs7(fkey, f.data);
      if (!enc) return enc.error();
      stored = std::move(*enc);
    } else {
      stored = f.data;
    }
    auto meta = mbfile(f.relative_path, f.mtime_s, f.data.size(), f.mode, f.protection_class,
                       encrypted ? &wrapped_blob : nullptr, inode++);
    if (!meta) return meta.error();
    r.meta = std::move(*meta);
    const fs::path sub = tmp / r.file_id.substr(0, 2);
    std::error_code ec;
    fs::create_directories(sub, ec);
    if (ec) return make_error(Errc::io, fmt::format("{}: cannot create: {}", sub.string(), ec.message()));
    if (auto st = write_file(sub / r.file_id, stored); !st) return st;
    rows.push_back(std::move(r));
    // Parent folders (and the domain root, relativePath "").
    std::string p = f.relative_path;
    dirs.insert({f.domain, ""});
    for (auto slash = p.rfind('/'); slash != std::string::npos; slash = p.rfind('/')) {
      p.resize(slash);
      dirs.insert({f.domain, p});
    }
  }
  for (const auto& [domain, rel] : dirs) {
    if (seen.count({domain, rel})) continue;
    Row r;
    r.domain = domain;
    r.rel = rel;
    r.flags = 2;
    r.file_id = sha1_hex(domain + "-" + rel);
    auto meta = mbfile(rel, o.backup_date_s, 0, 040755, 0, nullptr, inode++);
    if (!meta) return meta.error();
    r.meta = std::move(*meta);
    rows.push_back(std::move(r));
  }
  auto manifest_db = build_manifest_db(rows);
  if (!manifest_db) return manifest_db.error();

  // Manifest.plist
  PlistPtr mp(plist_new_dict());
  plist_t m = mp.get();
  {
    const Blob kbb = serialize_keybag(kb);
    plist_dict_set_item(m, "BackupKeyBag", plist_new_data(reinterpret_cast<const char*>(kbb.data()), kbb.size()));
  }
  plist_dict_set_item(m, "Date", date_node(o.backup_date_s));
  plist_dict_set_item(m, "IsEncrypted", plist_new_bool(encrypted ? 1 : 0));
  plist_t lock = plist_new_dict();
  plist_dict_set_item(lock, "BuildVersion", plist_new_string(o.build_version.c_str()));
  plist_dict_set_item(lock, "DeviceName", plist_new_string(o.device_name.c_str()));
  plist_dict_set_item(lock, "ProductType", plist_new_string(o.product_type.c_str()));
  plist_dict_set_item(lock, "ProductVersion", plist_new_string(o.product_version.c_str()));
  const std::string udid = to_hex(rnd.next(20, "udid"));
  plist_dict_set_item(lock, "UniqueDeviceID", plist_new_string(udid.c_str()));
  plist_dict_set_item(m, "Lockdown", lock);
  plist_dict_set_item(m, "SystemDomainsVersion", plist_new_string("24.0"));
  plist_dict_set_item(m, "Version", plist_new_string("10.0"));
  plist_dict_set_item(m, "WasPasscodeSet", plist_new_bool(0));
  plist_dict_set_item(m, "Applications", plist_new_dict());

  Blob manifest_bytes = std::move(*manifest_db);
  if (encrypted) {
    constexpr uint32_t kManifestClass = 4;
    SecretBytes mkey = rnd.secret(32, "manifest-key");
    auto wk = aes_wrap(class_keys[kManifestClass], mkey.span());
    if (!wk) return wk.error();
    const Blob mk = le32_prefixed(kManifestClass, *wk);
    plist_dict_set_item(m, "ManifestKey", plist_new_data(reinterpret_cast<const char*>(mk.data()), mk.size()));
    auto enc = aes256_cbc_encrypt_pkcs7(mkey, manifest_bytes);
    OPENSSL_cleanse(manifest_bytes.data(), manifest_bytes.size());
    if (!enc) return enc.error();
    manifest_bytes = std::move(*enc);
  }
  if (auto st = write_file(tmp / "Manifest.db", manifest_bytes); !st) return st;
  if (auto st = write_file(tmp / "Manifest.plist", to_binary_plist(m)); !st) return st;

  // Status.plist
  PlistPtr sp(plist_new_dict());
  plist_dict_set_item(sp.get(), "BackupState", plist_new_string("new"));
  plist_dict_set_item(sp.get(), "Date", date_node(o.backup_date_s));
  plist_dict_set_item(sp.get(), "IsFullBackup", plist_new_bool(0));
  plist_dict_set_item(sp.get(), "SnapshotState", plist_new_string("finished"));
  const std::string suuid = hex_uuid(rnd.next(16, "status-uuid"));
  plist_dict_set_item(sp.get(), "UUID", plist_new_string(suuid.c_str()));
  plist_dict_set_item(sp.get(), "Version", plist_new_string("3.3"));
  if (auto st = write_file(tmp / "Status.plist", to_binary_plist(sp.get())); !st) return st;

  // Info.plist (XML, as iTunes writes it)
  PlistPtr ip(plist_new_dict());
  plist_t i = ip.get();
  plist_dict_set_item(i, "Build Version", plist_new_string(o.build_version.c_str()));
  plist_dict_set_item(i, "Device Name", plist_new_string(o.device_name.c_str()));
  plist_dict_set_item(i, "Display Name", plist_new_string(o.device_name.c_str()));
  plist_dict_set_item(i, "Last Backup Date", date_node(o.backup_date_s));
  plist_dict_set_item(i, "Product Type", plist_new_string(o.product_type.c_str()));
  plist_dict_set_item(i, "Product Version", plist_new_string(o.product_version.c_str()));
  plist_dict_set_item(i, "Target Identifier", plist_new_string(udid.c_str()));
  plist_dict_set_item(i, "Target Type", plist_new_string("Device"));
  plist_dict_set_item(i, "Unique Identifier", plist_new_string(udid.c_str()));
  if (auto st = write_file(tmp / "Info.plist", to_xml_plist(i)); !st) return st;
  return {};
}

}  // namespace

Status write_itunes_backup(const fs::path& dir, std::span<const BackupFile> files, const BackupWriterOptions& options) {
  std::error_code ec;
  if (fs::exists(fs::symlink_status(dir, ec)))
    return make_error(Errc::usage, dir.string() + ": already exists; the backup writer never overwrites");
  const fs::path parent = dir.has_parent_path() ? dir.parent_path() : fs::path(".");
  const fs::path tmp = parent / ("." + dir.filename().string() + ".partial-" + std::to_string(::getpid()));
  fs::remove_all(tmp, ec);
  if (!fs::create_directory(tmp, ec) || ec)
    return make_error(Errc::io, fmt::format("{}: cannot create: {}", tmp.string(), ec.message()));
  Status st = write_backup(tmp, files, options);
  if (st) {
    fs::rename(tmp, dir, ec);
    if (ec) st = make_error(Errc::io, fmt::format("{}: cannot move into place: {}", dir.string(), ec.message()));
  }
  if (!st) fs::remove_all(tmp, ec);
  return st;
}

}  // namespace remit::backup
