// NSKeyedArchiver decoder and encoder (include/remit/apple.hpp): an MBFile
// as iTunes backups store it in Manifest.db, Foundation classes, and hostile
// archives (bad structure, dangling UIDs, cycles, exponential sharing,
// truncation at every length).
#include <gtest/gtest.h>
#include <plist/plist.h>

#include <string>

#include "remit/apple.hpp"

namespace remit::test {
namespace {

using apple::ArchivedValue;
using apple::decode_keyed_archive;
using apple::encode_keyed_archive;
using Blob = std::vector<unsigned char>;

Blob bytes(std::string_view s) {
  return Blob(s.begin(), s.end());
}

// An MBFile archive in the shape of real Manifest.db rows (XML form of the
// same plist): integers inline, RelativePath and EncryptionKey by UID, the
// key as NSMutableData.
constexpr std::string_view kMbFileXml = R"(<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">
<plist version="1.0"><dict>
 <key>$version</key><integer>100000</integer>
 <key>$archiver</key><string>NSKeyedArchiver</string>
 <key>$top</key><dict><key>root</key><dict><key>CF$UID</key><integer>1</integer></dict></dict>
 <key>$objects</key><array>
  <string>$null</string>
  <dict>
   <key>$class</key><dict><key>CF$UID</key><integer>5</integer></dict>
   <key>Birth</key><integer>1599999000</integer>
   <key>EncryptionKey</key><dict><key>CF$UID</key><integer>3</integer></dict>
   <key>Flags</key><integer>0</integer>
   <key>GroupID</key><integer>501</integer>
   <key>InodeNumber</key><integer>123456</integer>
   <key>LastModified</key><integer>1600000000</integer>
   <key>LastStatusChange</key><integer>1600000001</integer>
   <key>Mode</key><integer>33188</integer>
   <key>ProtectionClass</key><integer>3</integer>
   <key>RelativePath</key><dict><key>CF$UID</key><integer>2</integer></dict>
   <key>Size</key><integer>4096</integer>
   <key>UserID</key><integer>501</integer>
  </dict>
  <string>Library/SMS/sms.db</string>
  <dict>
   <key>$class</key><dict><key>CF$UID</key><integer>4</integer></dict>
   <key>NS.data</key><data>AwAAAAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8gISIjJCUmJyg=</data>
  </dict>
  <dict><key>$classes</key><array><string>NSMutableData</string><string>NSData</string><string>NSObject</string></array>
        <key>$classname</key><string>NSMutableData</string></dict>
  <dict><key>$classes</key><array><string>MBFile</string><string>NSObject</string></array>
        <key>$classname</key><string>MBFile</string></dict>
 </array>
</dict></plist>)";

TEST(IosKeyedArchive, DecodesAnMbFile) {
  auto v = decode_keyed_archive(bytes(kMbFileXml));
  ASSERT_TRUE(v.ok()) << v.error().message;
  ASSERT_EQ(v->kind, ArchivedValue::Kind::object);
  EXPECT_EQ(v->class_name, "MBFile");
  ASSERT_EQ(v->classes.size(), 2u);
  EXPECT_EQ(*v->get("Size")->as_int(), 4096);
  EXPECT_EQ(*v->get("LastModified")->as_int(), 1600000000);
  EXPECT_EQ(*v->get("Birth")->as_int(), 1599999000);
  EXPECT_EQ(*v->get("Mode")->as_int(), 33188);
  EXPECT_EQ(*v->get("ProtectionClass")->as_int(), 3);
  ASSERT_EQ(v->get("RelativePath")->kind, ArchivedValue::Kind::string);
  EXPECT_EQ(v->get("RelativePath")->bytes, "Library/SMS/sms.db");
  const ArchivedValue* key = v->get("EncryptionKey");
  ASSERT_NE(key, nullptr);
  ASSERT_EQ(key->kind, ArchivedValue::Kind::data);
  ASSERT_EQ(key->bytes.size(), 44u);
  EXPECT_EQ(static_cast<unsigned char>(key->bytes[0]), 3);
  EXPECT_EQ(static_cast<unsigned char>(key->bytes[4]), 1);
  EXPECT_EQ(v->get("Missing"), nullptr);
}

ArchivedValue str(std::string s) {
  ArchivedValue v;
  v.kind = ArchivedValue::Kind::string;
  v.bytes = std::move(s);
  return v;
}
ArchivedValue num(int64_t i) {
  ArchivedValue v;
  v.kind = ArchivedValue::Kind::integer;
  v.integer = i;
  return v;
}

TEST(IosKeyedArchive, EncoderRoundTripsFoundationValues) {
  ArchivedValue root;
  root.kind = ArchivedValue::Kind::object;
  root.class_name = "Thing";
  root.classes = {"Thing", "NSObject"};
  root.fields.emplace_back("name", str("x"));
  root.fields.emplace_back("n", num(42));
  ArchivedValue real;
  real.kind = ArchivedValue::Kind::real;
  real.real = 2.5;
  root.fields.emplace_back("r", real);
  ArchivedValue date;
  date.kind = ArchivedValue::Kind::date;
  date.real = 700000000.25;
  root.fields.emplace_back("when", date);
  ArchivedValue arr;
  arr.kind = ArchivedValue::Kind::array;
  arr.items = {str("a"), num(1), ArchivedValue{}};
  root.fields.emplace_back("list", arr);
  ArchivedValue dict;
  dict.kind = ArchivedValue::Kind::dict;
  dict.fields.emplace_back("k", str("v"));
  root.fields.emplace_back("map", dict);
  ArchivedValue data;
  data.kind = ArchivedValue::Kind::data;
  data.bytes = std::string("\x00\x01\x02", 3);
  root.fields.emplace_back("blob", data);
  auto enc = encode_keyed_archive(root);
  ASSERT_TRUE(enc.ok());
  auto dec = decode_keyed_archive(*enc);
  ASSERT_TRUE(dec.ok()) << dec.error().message;
  EXPECT_EQ(dec->class_name, "Thing");
  EXPECT_EQ(dec->get("name")->bytes, "x");
  EXPECT_EQ(*dec->get("n")->as_int(), 42);
  EXPECT_DOUBLE_EQ(*dec->get("r")->as_real(), 2.5);
  EXPECT_EQ(dec->get("when")->kind, ArchivedValue::Kind::date);
  EXPECT_DOUBLE_EQ(dec->get("when")->real, 700000000.25);
  ASSERT_EQ(dec->get("list")->items.size(), 3u);
  EXPECT_EQ(dec->get("list")->items[2].kind, ArchivedValue::Kind::null);
  EXPECT_EQ(dec->get("map")->get("k")->bytes, "v");
  EXPECT_EQ(dec->get("blob")->bytes, std::string("\x00\x01\x02", 3));
}

// Builds a keyed archive from an $objects array given as XML fragments.
Blob archive_xml(std::string_view objects,
                 std::string_view top = "<key>root</key><dict><key>CF$UID</key><integer>1</integer></dict>",
                 std::string_view archiver = "NSKeyedArchiver") {
  std::string s = "<?xml version=\"1.0\"?><plist version=\"1.0\"><dict><key>$archiver</key><string>";
  s += archiver;
  s += "</string><key>$top</key><dict>";
  s += top;
  s += "</dict><key>$objects</key><array><string>$null</string>";
  s += objects;
  s += "</array></dict></plist>";
  return bytes(s);
}

constexpr std::string_view kUid2 = "<dict><key>CF$UID</key><integer>2</integer></dict>";

TEST(IosKeyedArchive, StructuralDamageIsAnError) {
  EXPECT_FALSE(decode_keyed_archive(Blob{}).ok());
  EXPECT_FALSE(decode_keyed_archive(bytes("hello world, not a plist")).ok());
  EXPECT_FALSE(decode_keyed_archive(bytes("<?xml version=\"1.0\"?><plist><array/></plist>")).ok());
  EXPECT_FALSE(decode_keyed_archive(archive_xml("<string>x</string>",
                                                "<key>root</key><dict><key>CF$UID</key><integer>1</integer></dict>",
                                                "NSArchiver"))
                   .ok());
  // Root UID beyond $objects.
  auto r = decode_keyed_archive(
      archive_xml("<string>x</string>", "<key>root</key><dict><key>CF$UID</key><integer>9</integer></dict>"));
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("beyond"), std::string::npos);
  // No root at all.
  EXPECT_FALSE(decode_keyed_archive(archive_xml("<string>x</string>", "<key>root</key><string>1</string>")).ok());
  // $class that is not a UID / points at a non-dictionary.
  EXPECT_FALSE(decode_keyed_archive(archive_xml("<dict><key>$class</key><integer>2</integer></dict>")).ok());
  EXPECT_FALSE(decode_keyed_archive(archive_xml(std::string("<dict><key>$class</key>") + std::string(kUid2) +
                                                "</dict><string>notadict</string>"))
                   .ok());
  // Dictionary with more keys than values.
  const std::string dict =
      "<dict><key>$class</key><dict><key>CF$UID</key><integer>3</integer></dict>"
      "<key>NS.keys</key><array><dict><key>CF$UID</key><integer>2</integer></dict>"
      "<dict><key>CF$UID</key><integer>2</integer></dict></array>"
      "<key>NS.objects</key><array><dict><key>CF$UID</key><integer>2</integer></dict></array></dict>"
      "<string>k</string>"
      "<dict><key>$classname</key><string>NSDictionary</string><key>$classes</key><array><string>NSDictionary</"
      "string></array></dict>";
  r = decode_keyed_archive(archive_xml(dict));
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("keys"), std::string::npos);
}

TEST(IosKeyedArchive, CyclesBecomeNullNotRecursion) {
  // Object 1 refers to itself through a field.
  const std::string obj =
      "<dict><key>$class</key><dict><key>CF$UID</key><integer>2</integer></dict>"
      "<key>self</key><dict><key>CF$UID</key><integer>1</integer></dict></dict>"
      "<dict><key>$classname</key><string>Loop</string></dict>";
  auto r = decode_keyed_archive(archive_xml(obj));
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->class_name, "Loop");
  ASSERT_NE(r->get("self"), nullptr);
  EXPECT_EQ(r->get("self")->kind, ArchivedValue::Kind::null);
}

// A binary plist whose objects each hold `fan` references to the next one:
// tiny on disk, exponential when expanded.
Blob exponential_bplist(int levels, int fan) {
  plist_t objs = plist_new_array();
  plist_array_append_item(objs, plist_new_string("$null"));
  // Objects are UIDs 1..levels; the last is a string.
  for (int i = 1; i < levels; ++i) {
    plist_t arr = plist_new_array();
    for (int k = 0; k < fan; ++k) plist_array_append_item(arr, plist_new_uid(static_cast<uint64_t>(i + 1)));
    plist_array_append_item(objs, arr);
  }
  plist_array_append_item(objs, plist_new_string("leaf"));
  plist_t top = plist_new_dict();
  plist_dict_set_item(top, "$archiver", plist_new_string("NSKeyedArchiver"));
  plist_t t = plist_new_dict();
  plist_dict_set_item(t, "root", plist_new_uid(1));
  plist_dict_set_item(top, "$top", t);
  plist_dict_set_item(top, "$objects", objs);
  char* bin = nullptr;
  uint32_t len = 0;
  plist_to_bin(top, &bin, &len);
  Blob out(reinterpret_cast<unsigned char*>(bin), reinterpret_cast<unsigned char*>(bin) + len);
  plist_to_bin_free(bin);
  plist_free(top);
  return out;
}

TEST(IosKeyedArchive, ExponentialSharingIsRefusedQuickly) {
  // Small sharing is fine...
  auto small = decode_keyed_archive(exponential_bplist(4, 2));
  ASSERT_TRUE(small.ok()) << small.error().message;
  // ...2^40 expanded nodes from a few hundred bytes is refused, fast.
  const Blob bomb = exponential_bplist(40, 2);
  EXPECT_LT(bomb.size(), 2000u);
  auto r = decode_keyed_archive(bomb);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, Errc::too_large);
}

TEST(IosKeyedArchive, BinaryReferenceCyclesAreRefused) {
  // A bplist array that contains itself (object refs are indices, so a
  // hand-made file can point an array at itself).
  Blob b = bytes("bplist00");
  b.resize(8 + 2 + 1 + 32, 0);
  b[8] = 0xA1;  // array of 1 element at offset 8...
  b[9] = 0x00;  // ...whose element is object 0: itself
  b[10] = 8;    // offset table: object 0 at byte 8
  unsigned char* trailer = b.data() + 11;
  trailer[6] = 1;    // offset size
  trailer[7] = 1;    // ref size
  trailer[15] = 1;   // 1 object
  trailer[23] = 0;   // top = 0
  trailer[31] = 10;  // offset table at byte 10
  auto r = decode_keyed_archive(b);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("cycle"), std::string::npos);
}

// A one-entry binary dict {key: "v"} whose key object is `key` (marker byte
// plus payload), built by hand: libplist itself cannot write such files.
Blob one_entry_bplist(const Blob& key) {
  Blob b = bytes("bplist00");
  const size_t dict = b.size();
  b.insert(b.end(), {0xD1, 0x01, 0x02});  // dict of 1: key ref 1, value ref 2
  const size_t k = b.size();
  b.insert(b.end(), key.begin(), key.end());
  const size_t v = b.size();
  b.insert(b.end(), {0x51, 'v'});
  const size_t table = b.size();
  b.insert(b.end(), {static_cast<unsigned char>(dict), static_cast<unsigned char>(k), static_cast<unsigned char>(v)});
  Blob trailer(32, 0);
  trailer[6] = 1;   // offset size
  trailer[7] = 1;   // ref size
  trailer[15] = 3;  // 3 objects
  trailer[23] = 0;  // top = the dict
  trailer[31] = static_cast<unsigned char>(table);
  b.insert(b.end(), trailer.begin(), trailer.end());
  return b;
}

TEST(IosKeyedArchive, PlistsLibplistWouldAbortOnAreRefused) {
  // libplist 2.2 asserts (aborts the process) on a dictionary key that is
  // not a string or holds a NUL; the check must refuse both and pass the rest.
  EXPECT_TRUE(apple::check_plist_for_libplist(one_entry_bplist({0x52, 'o', 'k'})).ok());
  EXPECT_TRUE(apple::check_plist_for_libplist(one_entry_bplist({0x61, 0x00, 'k'})).ok());         // UTF-16 "k"
  EXPECT_FALSE(apple::check_plist_for_libplist(one_entry_bplist({0x10, 0x07})).ok());             // integer key
  EXPECT_FALSE(apple::check_plist_for_libplist(one_entry_bplist({0x52, 'o', 0x00})).ok());        // NUL in key
  EXPECT_FALSE(apple::check_plist_for_libplist(one_entry_bplist({0x61, 0x00, 0x00})).ok());       // UTF-16 NUL
  EXPECT_FALSE(apple::check_plist_for_libplist(one_entry_bplist({0x5F, 0x10, 0x40, 'a'})).ok());  // length past end
  // XML has no object table; it passes to libplist's own validation.
  EXPECT_TRUE(apple::check_plist_for_libplist(bytes(kMbFileXml)).ok());
  // The decoder refuses such archives with an error instead of aborting.
  auto r = decode_keyed_archive(one_entry_bplist({0x52, 'o', 0x00}));
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("NSKeyedArchiver"), std::string::npos);
}

TEST(IosKeyedArchive, EveryTruncationIsHandled) {
  ArchivedValue root;
  root.kind = ArchivedValue::Kind::object;
  root.class_name = "MBFile";
  root.fields.emplace_back("RelativePath", str("Library/AddressBook/AddressBook.sqlitedb"));
  root.fields.emplace_back("Size", num(1234));
  auto enc = encode_keyed_archive(root);
  ASSERT_TRUE(enc.ok());
  for (size_t n = 0; n < enc->size(); ++n) {
    auto r = decode_keyed_archive(std::span(enc->data(), n));
    EXPECT_FALSE(r.ok()) << "prefix " << n;
  }
  // Random byte flips never crash (results may or may not decode).
  for (size_t i = 8; i < enc->size(); ++i) {
    Blob m = *enc;
    m[i] ^= 0xff;
    (void)decode_keyed_archive(m);
  }
}

}  // namespace
}  // namespace remit::test
