// iTunes/Finder backup reader (itunes_backup.hpp).
//
// References (facts only):
//  - shared/docs/artifacts.md "iTunes / Finder backups" (Manifest.db Files
//    table, fileID = SHA-1(domain-relativePath), <xx>/<fileID> layout, MBFile
//    keys, encryption).
//  - Domain to device-path table as used by public backup readers (iOS
//    Backup UNFunker's DOMAIN_TRANSLATION; iLEAPP's itunes backup seeker).
//  - pyiosbackup (matan1008): MBFile fields, PKCS#7-padded file data,
//    ManifestKey and EncryptionKey layout (class + wrapped key).
//  - Checked with backups written by src/source/itunes_backup_writer.cpp
//    (plain and encrypted); no real backup is in ../shared/conformance.
#include "source/itunes_backup.hpp"

#include <fmt/format.h>
#include <openssl/crypto.h>
#include <plist/plist.h>
#include <sys/stat.h>

#include <algorithm>
#include <array>
#include <cstring>
#include <map>

#include "remit/apple.hpp"
#include "remit/evidence_db.hpp"
#include "remit/hash.hpp"
#include "remit/text.hpp"
#include "source/directory_source.hpp"
#include "source/keybag.hpp"

namespace remit::detail {

namespace {

namespace fs = std::filesystem;

struct DomainRoot {
  std::string_view domain;
  std::string_view root;
};

// Fixed domains (no "-<id>" suffix).
constexpr std::array kFixedDomains = {
    DomainRoot{"HomeDomain", "private/var/mobile"},
    DomainRoot{"CameraRollDomain", "private/var/mobile"},
    DomainRoot{"MediaDomain", "private/var/mobile"},
    DomainRoot{"KeyboardDomain", "private/var/mobile"},
    DomainRoot{"TonesDomain", "private/var/mobile"},
    DomainRoot{"HomeKitDomain", "private/var/mobile"},
    DomainRoot{"HealthDomain", "private/var/mobile/Library"},
    DomainRoot{"BooksDomain", "private/var/mobile/Media/Books"},
    DomainRoot{"KeychainDomain", "private/var/Keychains"},
    DomainRoot{"MobileDeviceDomain", "private/var/MobileDevice"},
    DomainRoot{"WirelessDomain", "private/var/wireless"},
    DomainRoot{"InstallDomain", "private/var/installd"},
    DomainRoot{"SystemPreferencesDomain", "private/var/preferences"},
    DomainRoot{"ManagedPreferencesDomain", "private/var/Managed Preferences"},
    DomainRoot{"DatabaseDomain", "private/var/db"},
    DomainRoot{"RootDomain", "private/var/root"},
    DomainRoot{"NetworkDomain", "private/var/networkd"},
    DomainRoot{"ProtectedDomain", "private/var/protected"},
};

// Container domains: "<prefix>-<identifier>".
constexpr std::array kContainerDomains = {
    DomainRoot{"AppDomainGroup", "private/var/mobile/Containers/Shared/AppGroup"},
    DomainRoot{"AppDomainPlugin", "private/var/mobile/Containers/Data/PluginKitPlugin"},
    DomainRoot{"AppDomain", "private/var/mobile/Containers/Data/Application"},
    DomainRoot{"SysSharedContainerDomain", "private/var/containers/Shared/SystemGroup"},
    DomainRoot{"SysContainerDomain", "private/var/containers/Data/System"},
};

using backup::SecretBytes;

std::string plist_string(plist_t n) {
  if (!n || plist_get_node_type(n) != PLIST_STRING) return {};
  uint64_t len = 0;
  const char* p = plist_get_string_ptr(n, &len);
  return p ? std::string(p, len) : std::string();
}

std::vector<unsigned char> plist_data(plist_t n) {
  if (!n || plist_get_node_type(n) != PLIST_DATA) return {};
  uint64_t len = 0;
  const char* p = plist_get_data_ptr(n, &len);
  return p ? std::vector<unsigned char>(p, p + len) : std::vector<unsigned char>();
}

struct PlistFree {
  void operator()(plist_t p) const noexcept {
    if (p) plist_free(p);
  }
};

// What remit needs from Manifest.plist.
struct ManifestPlist {
  bool encrypted = false;
  std::vector<unsigned char> keybag;
  std::vector<unsigned char> manifest_key;
  std::string product_version;
};

Result<ManifestPlist> read_manifest_plist(const Source& raw, const std::string& prefix, const fs::path& dir) {
  ManifestPlist m;
  const Entry* e = raw.find(prefix + "Manifest.plist");
  if (!e) return m;  // plain backups may lack it; Manifest.db decides
  auto b = raw.read(*e, 64 << 20);
  if (!b) return b.error();
  if (b->empty() || b->size() > UINT32_MAX)
    return make_error(Errc::malformed, dir.string() + ": Manifest.plist is empty");
  if (auto safe = apple::check_plist_for_libplist(*b); !safe)
    return make_error(Errc::malformed, dir.string() + ": Manifest.plist: " + safe.error().message);
  plist_t root = nullptr;
  plist_from_memory(reinterpret_cast<const char*>(b->data()), static_cast<uint32_t>(b->size()), &root);
  std::unique_ptr<void, PlistFree> owner(root);
  if (!root || plist_get_node_type(root) != PLIST_DICT)
    return make_error(Errc::malformed, dir.string() + ": Manifest.plist is not a property list dictionary");
  if (plist_t enc = plist_dict_get_item(root, "IsEncrypted"); enc && plist_get_node_type(enc) == PLIST_BOOLEAN) {
    uint8_t v = 0;
    plist_get_bool_val(enc, &v);
    m.encrypted = v != 0;
  }
  m.keybag = plist_data(plist_dict_get_item(root, "BackupKeyBag"));
  m.manifest_key = plist_data(plist_dict_get_item(root, "ManifestKey"));
  if (plist_t lock = plist_dict_get_item(root, "Lockdown"); lock && plist_get_node_type(lock) == PLIST_DICT)
    m.product_version = plist_string(plist_dict_get_item(lock, "ProductVersion"));
  return m;
}

struct FileInfo {
  const Entry* raw = nullptr;           // the stored blob in the backup folder
  std::vector<unsigned char> key_blob;  // EncryptionKey (class + wrapped key); empty when plain
  uint64_t size = 0;                    // plaintext size
};

class ItunesBackupSource final : public Source {
 public:
  // `raw` holds the backup's stored files; their paths are `prefix` +
  // the name inside the backup folder ("" for a folder, "<udid>/" for an
  // archive of one).
  ItunesBackupSource(fs::path location, SourceOptions opts, std::unique_ptr<Source> raw, std::string prefix)
      : Source(std::move(location)), opts_(std::move(opts)), raw_(std::move(raw)), prefix_(std::move(prefix)) {}
  ~ItunesBackupSource() override = default;

  Status open() {
    for (const auto& n : raw_->notes()) note(n.code, n.name, n.message);

    if (rfind("Manifest.mbdb") && !rfind("Manifest.db"))
      return make_error(Errc::unsupported, location_.string() +
                                               ": this is an iTunes backup from iOS 9 or earlier (Manifest.mbdb); "
                                               "only backups from iOS 10 and later (Manifest.db) are supported");
    auto mp = read_manifest_plist(*raw_, prefix_, location_);
    if (!mp) return std::move(mp).error();
    encrypted_ = mp->encrypted;

    const Entry* mdb = rfind("Manifest.db");
    if (!mdb) return make_error(Errc::malformed, location_.string() + ": backup folder has no Manifest.db");
    auto mbytes = raw_->read(*mdb, 4ULL << 30);
    if (!mbytes) return std::move(mbytes).error();
    Bytes manifest = std::move(*mbytes);
    std::optional<Bytes> wal;

    if (encrypted_) {
      if (auto st = unlock(*mp); !st) return st;
      auto plain = decrypt_manifest(*mp, manifest);
      if (!plain) return std::move(plain).error();
      manifest = std::move(*plain);
    } else if (const Entry* w = rfind("Manifest.db-wal")) {
      auto wb = raw_->read(*w, 4ULL << 30);
      if (wb) wal = std::move(*wb);
    }
    auto db = EvidenceDb::open(std::move(manifest), std::move(wal), std::nullopt, "Manifest.db");
    if (!db) {
      return make_error(encrypted_ ? Errc::malformed : db.error().code, location_.string() + ": " + db.error().message);
    }
    return index(*db);
  }

  SourceKind kind() const noexcept override { return SourceKind::itunes_backup; }
  uint64_t container_size() const noexcept override { return raw_ ? raw_->container_size() : 0; }

  Result<Bytes> read(const Entry& e, uint64_t limit) const override {
    const FileInfo* fi = info(e);
    if (!fi) return make_error(Errc::not_found, e.name + ": not a stored file of this backup");
    if (e.size > limit || e.size > opts_.max_entry_bytes)
      return make_error(Errc::too_large, fmt::format("{}: {} bytes exceeds the read limit", e.name, e.size));
    if (fi->key_blob.empty()) return raw_->read(*fi->raw, limit);
    auto key = file_key(*fi, e);
    if (!key) return key.error();
    auto enc = raw_->read(*fi->raw, fi->raw->size + 16);
    if (!enc) return enc.error();
    const size_t whole = enc->size() - enc->size() % 16;
    auto plain = backup::aes256_cbc_decrypt(*key, std::span(enc->data(), whole));
    if (!plain) return make_error(plain.error().code, e.name + ": " + plain.error().message);
    if (plain->size() < fi->size)
      return make_error(Errc::malformed, fmt::format("{}: decrypted {} bytes, the manifest records {}", e.name,
                                                     plain->size(), fi->size));
    plain->resize(fi->size);
    return std::move(*plain);
  }

  Status stream(const Entry& e, const std::function<bool(std::span<const unsigned char>)>& sink) const override {
    const FileInfo* fi = info(e);
    if (!fi) return make_error(Errc::not_found, e.name + ": not a stored file of this backup");
    if (fi->key_blob.empty()) return raw_->stream(*fi->raw, sink);
    auto key = file_key(*fi, e);
    if (!key) return key.error();
    backup::CbcDecryptor dec(*key);
    if (!dec.ok()) return make_error(Errc::internal, "AES-CBC: init failed");
    uint64_t left = fi->size;
    std::vector<unsigned char> out;
    Status failed;
    bool stop = false;
    auto st = raw_->stream(*fi->raw, [&](std::span<const unsigned char> chunk) {
      out.clear();
      if (auto s = dec.update(chunk, out); !s) {
        failed = std::move(s).error();
        return false;
      }
      const size_t give = static_cast<size_t>(std::min<uint64_t>(left, out.size()));
      if (give > 0 && !sink(std::span(out.data(), give))) {
        stop = true;
        return false;
      }
      left -= give;
      return left > 0;
    });
    if (!failed) return failed;
    if (!st) return st;
    if (left > 0 && !stop)
      return make_error(Errc::malformed,
                        fmt::format("{}: stored file is {} bytes shorter than the manifest records", e.name, left));
    return {};
  }

  Result<ContainerDigest> container_digest() override { return raw_->container_digest(); }

 private:
  Status unlock(const ManifestPlist& mp) {
    if (mp.keybag.empty())
      return make_error(Errc::malformed,
                        location_.string() + ": encrypted backup without a BackupKeyBag in Manifest.plist");
    if (mp.manifest_key.empty())
      return make_error(Errc::malformed,
                        location_.string() + ": encrypted backup without a ManifestKey in Manifest.plist");
    auto kb = backup::parse_keybag(mp.keybag);
    if (!kb) return make_error(kb.error().code, location_.string() + ": " + kb.error().message);
    for (const auto& t : kb->unknown_tags) note("keybag_unknown_tag", t, "unknown keybag tag ignored");
    std::optional<std::string> pw = opts_.password;
    if (!pw && opts_.ask_password) pw = opts_.ask_password();
    if (!pw)
      return make_error(Errc::usage, location_.string() +
                                         ": the backup is encrypted: give its password with --password-file FILE, "
                                         "or run remit on a terminal to be asked for it");
    SecretBytes pw_bytes(reinterpret_cast<const unsigned char*>(pw->data()), pw->size());
    OPENSSL_cleanse_string(*pw);
    auto key = backup::derive_password_key(
        std::string_view(reinterpret_cast<const char*>(pw_bytes.data()), pw_bytes.size()), *kb, opts_.on_kdf_progress);
    if (!key) return key.error();
    auto classes = backup::unlock_class_keys(*kb, *key);
    if (!classes) {
      return make_error(classes.error().code, location_.string() + ": " + classes.error().message);
    }
    class_keys_ = std::move(*classes);
    return {};
  }

  static void OPENSSL_cleanse_string(std::string& s);

  Result<Bytes> decrypt_manifest(const ManifestPlist& mp, const Bytes& enc) {
    auto mkey = backup::unwrap_class_wrapped_key(class_keys_, mp.manifest_key);
    if (!mkey) {
      return make_error(mkey.error().code == Errc::wrong_password ? Errc::malformed : mkey.error().code,
                        location_.string() + ": ManifestKey does not unwrap: " + mkey.error().message);
    }
    const size_t whole = enc.size() - enc.size() % 16;
    if (whole != enc.size())
      note("manifest_db_length", "Manifest.db",
           "encrypted Manifest.db is not a whole number of AES blocks; tail ignored");
    auto plain = backup::aes256_cbc_decrypt(*mkey, std::span(enc.data(), whole));
    if (!plain) return make_error(plain.error().code, location_.string() + ": Manifest.db: " + plain.error().message);
    plain->resize(backup::pkcs7_unpadded_length(*plain));
    static constexpr char kHeader[] = "SQLite format 3";
    if (plain->size() < 100 || std::memcmp(plain->data(), kHeader, 16) != 0)
      return make_error(Errc::malformed, location_.string() + ": Manifest.db does not decrypt to an SQLite database");
    return std::move(*plain);
  }

  Status index(const EvidenceDb& db) {
    if (!db.has_table("Files"))
      return make_error(Errc::malformed, location_.string() + ": Manifest.db has no Files table");
    for (const char* c : {"fileID", "domain", "relativePath", "flags"})
      if (!db.has_column("Files", c))
        return make_error(Errc::malformed,
                          fmt::format("{}: Manifest.db table Files lacks column {}", location_.string(), c));
    const bool has_file = db.has_column("Files", "file");
    auto st = db.prepare(std::string("SELECT fileID, domain, relativePath, flags, ") + (has_file ? "file" : "NULL") +
                         " FROM Files ORDER BY domain, relativePath");
    if (!st) return make_error(Errc::malformed, location_.string() + ": " + st.error().message);
    uint64_t missing = 0, bad_id = 0, bad_meta = 0, hostile = 0, no_key = 0;
    std::string first_missing;
    while (st->step()) {
      const std::string file_id = st->text(0);
      const std::string domain = st->text(1);
      const std::string rel = st->text(2);
      const int64_t flags = st->i64(3);
      Entry e;
      e.name = domain + "-" + rel;
      auto logical = backup_logical_path(domain, rel);
      if (!logical) {
        ++hostile;
        note("path_traversal", e.name, "backup entry path is hostile (.. or NUL); skipped");
        continue;
      }
      e.path = *logical;
      if (sha1_hex(e.name) != ascii_lower(file_id)) ++bad_id;
      e.type = flags == 2 ? EntryType::directory : flags == 4 ? EntryType::symlink : EntryType::file;
      e.random_access = true;

      FileInfo fi;
      std::optional<apple::ArchivedValue> meta;
      if (has_file && st->type(4) == SqlType::blob) {
        auto m = apple::decode_keyed_archive(st->blob(4));
        if (m && m->kind == apple::ArchivedValue::Kind::object)
          meta = std::move(*m);
        else
          ++bad_meta;
      }
      if (meta) {
        if (auto v = meta->get("LastModified"); v && v->as_int() && *v->as_int() > 0)
          e.mtime_ns = *v->as_int() * 1'000'000'000;
        if (auto v = meta->get("Birth"); v && v->as_int() && *v->as_int() > 0)
          e.birthtime_ns = *v->as_int() * 1'000'000'000;
        if (auto v = meta->get("Target"); v && v->kind == apple::ArchivedValue::Kind::string) e.link_target = v->bytes;
        if (auto v = meta->get("EncryptionKey"); v && v->kind == apple::ArchivedValue::Kind::data)
          fi.key_blob.assign(v->bytes.begin(), v->bytes.end());
      }
      if (e.type == EntryType::file) {
        const std::string lid = ascii_lower(file_id);
        const Entry* raw = lid.size() >= 2 ? rfind(lid.substr(0, 2) + "/" + lid) : nullptr;
        if (!raw && lid.size() >= 2) raw = rfind(lid);  // very old flat layout
        if (!raw) {
          if (missing++ == 0) first_missing = e.name;
          continue;
        }
        fi.raw = raw;
        fi.size = raw->size;
        if (meta) {
          if (auto v = meta->get("Size"); v && v->as_int() && *v->as_int() >= 0)
            fi.size = static_cast<uint64_t>(*v->as_int());
        }
        if (encrypted_ && fi.key_blob.empty()) ++no_key;
        if (!encrypted_) fi.key_blob.clear();
        if (encrypted_ && !fi.key_blob.empty() && fi.size > raw->size)
          note("size_exceeds_stored", e.name, "manifest Size exceeds the stored (encrypted) file; reads will fail");
        e.size = fi.size;
        e.offset = files_.size();
        files_.push_back(std::move(fi));
      } else {
        e.size = 0;
        e.offset = UINT64_MAX;
      }
      entries_.push_back(std::move(e));
    }
    if (st->error()) note("manifest_corrupt", "Manifest.db", "reading Files stopped early: " + st->error()->message);
    if (missing > 0)
      note("missing_file", first_missing,
           fmt::format("{} files listed in Manifest.db are not stored in the backup folder (first shown)", missing));
    if (bad_id > 0)
      note("file_id_mismatch", "Manifest.db",
           fmt::format("{} Files rows have a fileID that is not SHA-1(domain-relativePath)", bad_id));
    if (bad_meta > 0)
      note("bad_file_metadata", "Manifest.db",
           fmt::format("{} Files rows have an undecodable MBFile archive; stored sizes used", bad_meta));
    if (no_key > 0)
      note("missing_encryption_key", "Manifest.db",
           fmt::format("{} files of an encrypted backup have no EncryptionKey; read as stored", no_key));
    (void)hostile;
    // Deterministic order, independent of Manifest.db's row order.
    std::stable_sort(entries_.begin(), entries_.end(), [](const Entry& a, const Entry& b) { return a.path < b.path; });
    finish_index();
    return {};
  }

  const Entry* rfind(const std::string& name) const { return raw_->find(prefix_ + name); }

  const FileInfo* info(const Entry& e) const {
    if (e.type != EntryType::file || e.offset >= files_.size()) return nullptr;
    return &files_[e.offset];
  }

  Result<SecretBytes> file_key(const FileInfo& fi, const Entry& e) const {
    auto k = backup::unwrap_class_wrapped_key(class_keys_, fi.key_blob);
    if (!k)
      return make_error(k.error().code == Errc::wrong_password ? Errc::malformed : k.error().code,
                        e.name + ": file key does not unwrap: " + k.error().message);
    return k;
  }

  SourceOptions opts_;
  std::unique_ptr<Source> raw_;
  std::string prefix_;
  bool encrypted_ = false;
  std::map<uint32_t, SecretBytes> class_keys_;
  std::vector<FileInfo> files_;
};

void ItunesBackupSource::OPENSSL_cleanse_string(std::string& s) {
  if (!s.empty()) OPENSSL_cleanse(s.data(), s.size());
}

}  // namespace

bool looks_like_itunes_backup(const fs::path& dir) {
  std::error_code ec;
  auto is_file = [&](const char* n) { return fs::is_regular_file(dir / n, ec); };
  if (is_file("Manifest.db")) return true;
  return is_file("Manifest.plist") && (is_file("Info.plist") || is_file("Status.plist") || is_file("Manifest.mbdb"));
}

std::optional<std::string> backup_domain_root(std::string_view domain) {
  for (const auto& d : kFixedDomains)
    if (domain == d.domain) return std::string(d.root);
  for (const auto& d : kContainerDomains) {
    if (domain.size() > d.domain.size() + 1 && domain.substr(0, d.domain.size()) == d.domain &&
        domain[d.domain.size()] == '-') {
      const std::string_view id = domain.substr(d.domain.size() + 1);
      if (id.find('/') != std::string_view::npos || id == "." || id == "..") return std::nullopt;
      return std::string(d.root) + "/" + std::string(id);
    }
  }
  return std::nullopt;
}

std::optional<std::string> backup_logical_path(std::string_view domain, std::string_view relative_path) {
  if (domain.find('\0') != std::string_view::npos) return std::nullopt;
  std::string joined;
  if (auto root = backup_domain_root(domain)) {
    joined = *root;
  } else {
    if (domain.empty() || domain.find('/') != std::string_view::npos || domain == "." || domain == "..")
      return std::nullopt;
    joined = "itunes_backup/" + std::string(domain);
  }
  if (!relative_path.empty()) {
    joined += "/";
    joined += relative_path;
  }
  return normalise_entry_path(joined);
}

Result<std::unique_ptr<Source>> open_itunes_backup(const fs::path& dir, const SourceOptions& options) {
  SourceOptions raw_opts;
  raw_opts.hash_container = false;
  raw_opts.max_entry_bytes = options.max_entry_bytes;
  auto raw = open_directory_source(dir, raw_opts);
  if (!raw) return std::move(raw).error();
  return open_itunes_backup_in(dir, std::move(*raw), "", options);
}

std::optional<std::string> itunes_backup_prefix(const Source& archive) {
  // Manifest.db at the root or one folder down (the <UDID> folder that
  // iTunes/Finder create), next to the backup's stored-file folders.
  std::optional<std::string> found;
  for (const Entry& e : archive.entries()) {
    if (e.type != EntryType::file) continue;
    const std::string& p = e.path;
    std::string prefix;
    if (p == "Manifest.db") {
      prefix = "";
    } else if (p.size() > 12 && p.compare(p.size() - 12, 12, "/Manifest.db") == 0 && p.find('/') == p.size() - 12) {
      prefix = p.substr(0, p.size() - 11);
    } else {
      continue;
    }
    if (!archive.find(prefix + "Manifest.plist") && !archive.find(prefix + "Info.plist") &&
        !archive.find(prefix + "Status.plist"))
      continue;
    if (found && *found != prefix) return std::nullopt;  // two backups in one archive: read it as files
    found = prefix;
  }
  return found;
}

Result<std::unique_ptr<Source>> open_itunes_backup_in(const fs::path& location, std::unique_ptr<Source> raw,
                                                      std::string prefix, const SourceOptions& options) {
  auto src = std::make_unique<ItunesBackupSource>(location, options, std::move(raw), std::move(prefix));
  if (auto st = src->open(); !st) return std::move(st).error();
  return std::unique_ptr<Source>(std::move(src));
}

}  // namespace remit::detail
