// typedstream decoder (include/remit/apple.hpp): real attributedBody blobs
// from plaso's macos-imessage-chat.db, the writer, and corruption cases
// (truncation at every length, bad header, unknown tags, bad references,
// bad lengths, hostile nesting and sizes).
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <string>
#include <vector>

#include "remit/apple.hpp"
#include "support/support.hpp"

namespace remit::test {
namespace {

using apple::attributed_string_text;
using apple::decode_typedstream;
using apple::encode_attributed_string;
using Blob = std::vector<unsigned char>;

Blob bytes(std::initializer_list<int> v) {
  Blob b;
  for (int x : v) b.push_back(static_cast<unsigned char>(x));
  return b;
}

Blob header() {
  Blob b = {4, 11};
  for (char c : std::string("streamtyped")) b.push_back(static_cast<unsigned char>(c));
  b.insert(b.end(), {0x81, 0xe8, 0x03});
  return b;
}

Blob concat(Blob a, const Blob& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

struct Row {
  int64_t rowid;
  std::string text;
  Blob body;
};

std::vector<Row> imessage_rows(const fs::path& db) {
  std::vector<Row> rows;
  sqlite3* h = nullptr;
  EXPECT_EQ(sqlite3_open_v2(db.c_str(), &h, SQLITE_OPEN_READONLY, nullptr), SQLITE_OK);
  sqlite3_stmt* st = nullptr;
  EXPECT_EQ(sqlite3_prepare_v2(h, "SELECT ROWID, text, attributedBody FROM message ORDER BY ROWID", -1, &st, nullptr),
            SQLITE_OK);
  while (sqlite3_step(st) == SQLITE_ROW) {
    Row r;
    r.rowid = sqlite3_column_int64(st, 0);
    if (auto* t = sqlite3_column_text(st, 1)) r.text = reinterpret_cast<const char*>(t);
    auto* b = static_cast<const unsigned char*>(sqlite3_column_blob(st, 2));
    r.body.assign(b, b + sqlite3_column_bytes(st, 2));
    rows.push_back(std::move(r));
  }
  sqlite3_finalize(st);
  sqlite3_close(h);
  return rows;
}

TEST(IosTypedstream, RealAttributedBodiesDecodeToTheirTextColumn) {
  REMIT_REQUIRE_CONFORMANCE(conf);
  const auto rows = imessage_rows(conf / "plaso" / "macos-imessage-chat.db");
  ASSERT_EQ(rows.size(), 10u);
  for (const auto& r : rows) {
    ASSERT_FALSE(r.body.empty()) << "ROWID " << r.rowid;
    auto text = attributed_string_text(r.body);
    ASSERT_TRUE(text.ok()) << "ROWID " << r.rowid << ": " << text.error().message;
    if (r.rowid == 6 || r.rowid == 10) {
      // In this sample the text column of rows 6 and 10 was edited after the
      // fact (one product name replaced by a shorter one, 5 bytes less); the
      // attributedBody keeps the original words. Checked with xxd.
      EXPECT_EQ(text->size(), r.text.size() + 5) << "ROWID " << r.rowid;
      continue;
    }
    // Compared without printing: message text is content.
    EXPECT_TRUE(*text == r.text) << "ROWID " << r.rowid << ": decoded text differs from the text column (lengths "
                                 << text->size() << " vs " << r.text.size() << ")";
  }
}

TEST(IosTypedstream, RealStreamStructure) {
  REMIT_REQUIRE_CONFORMANCE(conf);
  const auto rows = imessage_rows(conf / "plaso" / "macos-imessage-chat.db");
  ASSERT_FALSE(rows.empty());
  auto ts = decode_typedstream(rows[0].body);
  ASSERT_TRUE(ts.ok()) << ts.error().message;
  EXPECT_EQ(ts->streamer_version, 4);
  EXPECT_FALSE(ts->big_endian);
  EXPECT_EQ(ts->system_version, 1000u);
  ASSERT_EQ(ts->roots.size(), 1u);
  ASSERT_EQ(ts->roots[0].encodings, std::vector<std::string>{"@"});
  const auto chain = ts->class_chain(ts->roots[0].values[0].index);
  ASSERT_GE(chain.size(), 2u);
  EXPECT_EQ(chain[0], "NSMutableAttributedString");
  EXPECT_EQ(chain[1], "NSAttributedString");
}

TEST(IosTypedstream, WriterMatchesTheRealLayoutByteForByte) {
  REMIT_REQUIRE_CONFORMANCE(conf);
  // Every real single-run, single-attribute blob whose text is short and
  // ASCII is exactly what the writer produces for the same text.
  size_t compared = 0;
  for (const auto& r : imessage_rows(conf / "plaso" / "macos-imessage-chat.db")) {
    auto ts = decode_typedstream(r.body);
    ASSERT_TRUE(ts.ok());
    const auto& root = ts->objects[ts->roots[0].values[0].index];
    if (root.contents.size() != 3) continue;  // several attribute runs
    const auto& attrs = root.contents[2].values[0];
    if (attrs.kind != apple::TsValue::Kind::object) continue;
    if (ts->objects[attrs.index].contents[0].values[0].integer != 1) continue;  // several attributes
    auto text = attributed_string_text(r.body);
    ASSERT_TRUE(text.ok());
    bool ascii = text->size() < 100;
    for (char c : *text) ascii = ascii && static_cast<unsigned char>(c) < 0x80;
    if (!ascii) continue;
    EXPECT_TRUE(encode_attributed_string(*text) == r.body) << "ROWID " << r.rowid;
    ++compared;
  }
  EXPECT_GT(compared, 0u);
}

TEST(IosTypedstream, WriterRoundTripsLongAndNonAsciiText) {
  for (std::string s : {std::string(), std::string("x"), std::string(127, 'a'), std::string(128, 'b'),
                        std::string(300, 'c'), std::string(70000, 'd'), std::string("caf\xc3\xa9 \xf0\x9f\x98\x80")}) {
    auto blob = encode_attributed_string(s);
    auto text = attributed_string_text(blob);
    ASSERT_TRUE(text.ok()) << s.size() << ": " << text.error().message;
    EXPECT_EQ(*text, s);
  }
}

TEST(IosTypedstream, EveryTruncationFailsCleanly) {
  const auto blob = encode_attributed_string("truncate me at every length");
  for (size_t n = 0; n < blob.size(); ++n) {
    auto r = decode_typedstream(std::span(blob.data(), n));
    // The 16-byte header alone is a valid, empty stream.
    EXPECT_EQ(r.ok(), n == 16) << "prefix of " << n << " bytes";
    auto t = attributed_string_text(std::span(blob.data(), n));
    EXPECT_FALSE(t.ok());
  }
  EXPECT_TRUE(decode_typedstream(blob).ok());
}

TEST(IosTypedstream, BadHeadersAreRejected) {
  Blob b = header();
  b[0] = 5;
  EXPECT_EQ(decode_typedstream(b).error().code, Errc::malformed);
  b[0] = 3;
  EXPECT_EQ(decode_typedstream(b).error().code, Errc::unsupported);
  b = header();
  b[1] = 10;
  EXPECT_FALSE(decode_typedstream(b).ok());
  b = header();
  b[2] = 'X';
  auto r = decode_typedstream(b);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("signature"), std::string::npos);
  // Big-endian signature is accepted (NeXT byte order).
  Blob be = {4, 11};
  for (char c : std::string("typedstream")) be.push_back(static_cast<unsigned char>(c));
  be.insert(be.end(), {0x81, 0x03, 0xe8});
  auto ok = decode_typedstream(be);
  ASSERT_TRUE(ok.ok()) << ok.error().message;
  EXPECT_TRUE(ok->big_endian);
  EXPECT_EQ(ok->system_version, 1000u);
}

TEST(IosTypedstream, UnknownTagsAndTypesAreErrors) {
  // Tag 0x80 (-128) where a length is expected.
  auto r = decode_typedstream(concat(header(), bytes({0x84, 0x80})));
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("unexpected tag"), std::string::npos);
  // An unsupported type encoding "^" alone / "?".
  r = decode_typedstream(concat(header(), bytes({0x84, 0x01, '?', 0x00})));
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("type encoding"), std::string::npos);
  // Malformed struct / array encodings.
  EXPECT_FALSE(decode_typedstream(concat(header(), bytes({0x84, 0x03, '{', 'a', '=', 0x00}))).ok());
  EXPECT_FALSE(decode_typedstream(concat(header(), bytes({0x84, 0x02, '[', 'i'}))).ok());
}

TEST(IosTypedstream, BadReferencesAndLengthsAreErrors) {
  // Reference to shared string #5 when none exist.
  EXPECT_FALSE(decode_typedstream(concat(header(), bytes({0x97}))).ok());
  // Object reference beyond the table.
  EXPECT_FALSE(decode_typedstream(concat(header(), bytes({0x84, 0x01, '@', 0xa0}))).ok());
  // A class reference that points at an object (type mismatch).
  EXPECT_FALSE(
      decode_typedstream(concat(header(), bytes({0x84, 0x01, '@', 0x84, 0x92 /* class ref -> object #0 itself */})))
          .ok());
  // String length far beyond the input (int32 length).
  auto r = decode_typedstream(concat(header(), bytes({0x84, 0x01, '+', 0x82, 0xff, 0xff, 0xff, 0x7f})));
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("truncated"), std::string::npos);
  // Negative length.
  EXPECT_FALSE(decode_typedstream(concat(header(), bytes({0x84, 0x01, '+', 0x82, 0xff, 0xff, 0xff, 0xff}))).ok());
  // Nil where a type encoding must be.
  EXPECT_FALSE(decode_typedstream(concat(header(), bytes({0x85}))).ok());
}

TEST(IosTypedstream, HostileSizesAndNestingAreBounded) {
  // An array of a billion ignored values: no bytes consumed per element.
  std::string enc = "[999999999!]";
  Blob b = header();
  b.push_back(0x84);
  b.push_back(static_cast<unsigned char>(enc.size()));
  b.insert(b.end(), enc.begin(), enc.end());
  auto r = decode_typedstream(b);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, Errc::too_large);
  // Objects nested far deeper than the limit.
  Blob deep = header();
  deep.insert(deep.end(), {0x84, 0x01, '@'});
  deep.insert(deep.end(), {0x84, 0x84, 0x84, 0x01, 'A', 0x00, 0x85});         // obj #0, class A (#1)
  for (int i = 0; i < 200; ++i) deep.insert(deep.end(), {0x92, 0x84, 0x93});  // "@" new object of class #1
  r = decode_typedstream(deep);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, Errc::too_large);
  // Deeply nested struct encodings.
  std::string s(500, '{');
  s += std::string(500, '}');
  Blob st = header();
  st.insert(st.end(),
            {0x84, 0x81, static_cast<unsigned char>(s.size() & 0xff), static_cast<unsigned char>(s.size() >> 8)});
  st.insert(st.end(), s.begin(), s.end());
  EXPECT_FALSE(decode_typedstream(st).ok());
}

TEST(IosTypedstream, NotAStringIsReported) {
  // A stream holding only an integer: decodes, but has no text.
  auto b = concat(header(), bytes({0x84, 0x01, 'i', 0x05}));
  auto ts = decode_typedstream(b);
  ASSERT_TRUE(ts.ok());
  ASSERT_EQ(ts->roots.size(), 1u);
  EXPECT_EQ(ts->roots[0].values[0].integer, 5);
  EXPECT_FALSE(attributed_string_text(b).ok());
}

}  // namespace
}  // namespace remit::test
