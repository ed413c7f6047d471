// The byte repairs applied before expat (src/artifacts/ufdr/char_filter.hpp)
// and the extraInfo pre-scan (extra_info.hpp). Chunk boundaries are tried
// at every position, since references and UTF-8 sequences straddle them in
// real streams.
#include <gtest/gtest.h>

#include <random>

#include "artifacts/ufdr/char_filter.hpp"
#include "artifacts/ufdr/extra_info.hpp"

namespace remit::ufdr {
namespace {

const std::string kFffd = "\xEF\xBF\xBD";

std::string filter_all(std::string_view in, size_t chunk, ControlCharFilter* f_out = nullptr) {
  ControlCharFilter f;
  std::string out;
  for (size_t i = 0; i < in.size(); i += chunk) f.feed(in.data() + i, std::min(chunk, in.size() - i), out);
  f.finish(out);
  if (f_out) *f_out = f;
  return out;
}

std::string filter_split(std::string_view in, size_t at) {
  ControlCharFilter f;
  std::string out;
  f.feed(in.data(), at, out);
  f.feed(in.data() + at, in.size() - at, out);
  f.finish(out);
  return out;
}

TEST(UfdrFilter, ReplacesControlReferencesInEveryForm) {
  ControlCharFilter f;
  const std::string out = filter_all("a&#x0;b&#1;c&#x1F;d&#X1f;e&#x0000B;f&#31;g&#x7;h", 1000, &f);
  EXPECT_EQ(out, "a" + kFffd + "b" + kFffd + "c" + kFffd + "d" + kFffd + "e" + kFffd + "f" + kFffd + "g" + kFffd + "h");
  EXPECT_EQ(f.references_replaced(), 7u);
}

TEST(UfdrFilter, KeepsLegalReferencesAndEntities) {
  const std::string in = "&#x9;&#10;&#xD;&#x20;&#65;&amp;&lt;&#x1F600;&#;&#x;&#xZ;& #1;&#12";
  EXPECT_EQ(filter_all(in, 1000), in);
}

TEST(UfdrFilter, OtherForbiddenCharactersToo) {
  EXPECT_EQ(filter_all("&#xFFFE;&#xFFFF;&#xD800;&#x110000;&#99999999999999;", 1000),
            kFffd + kFffd + kFffd + kFffd + "&#99999999999999;")
      << "an over-long number is not a plausible reference and passes through";
}

TEST(UfdrFilter, CdataAndCommentsAreLeftAlone) {
  const std::string in = "<![CDATA[&#x1; ]] ]]]>&#x1;<!-- &#x2; -- - -->&#x3;<x a='&#x4;'/>";
  const std::string want = "<![CDATA[&#x1; ]] ]]]>" + kFffd + "<!-- &#x2; -- - -->" + kFffd + "<x a='" + kFffd + "'/>";
  EXPECT_EQ(filter_all(in, 1000), want);
}

TEST(UfdrFilter, RawControlBytesAndInvalidUtf8) {
  ControlCharFilter f;
  const std::string in = std::string(
                             "a\x01"
                             "b\x00"
                             "c",
                             5) +
                         "\t\n\r" + "\xC3\xA9" + "\xFF" + "\xC3" + "x" + "\xE2\x82\xAC" + "\xED\xA0\x80" +
                         "\xEF\xBF\xBE" + "\xF0\x9F\x98\x80" + "\xF4\x90\x80\x80" + "\xE2\x82";
  const std::string out = filter_all(in, 1000, &f);
  const std::string want = "a" + kFffd + "b" + kFffd + "c\t\n\r\xC3\xA9" + kFffd + kFffd + "x\xE2\x82\xAC" +
                           // ED A0 80 (a surrogate): 3; EF BF BE (U+FFFE): 2
                           kFffd + kFffd + kFffd + kFffd + kFffd + "\xF0\x9F\x98\x80" + kFffd + kFffd + kFffd + kFffd +
                           kFffd;
  EXPECT_EQ(out, want);
  EXPECT_EQ(f.raw_bytes_replaced(), 2u);
  EXPECT_GT(f.invalid_utf8_replaced(), 0u);
}

TEST(UfdrFilter, EverySplitPointGivesTheSameOutput) {
  const std::string in =
      "<v>x&#x1;y&#12;z&#x0000;</v><![CDATA[&#x1;]]><!--&#x1;-->\xC3\xA9\xE2\x82\xAC\x01"
      "&amp;&#x1F600;\xF0\x9F\x98\x80<![CDATA[]]]]><x>&#x1f;</x>";
  const std::string whole = filter_all(in, in.size());
  for (size_t at = 0; at <= in.size(); ++at) EXPECT_EQ(filter_split(in, at), whole) << "split at " << at;
  for (size_t chunk = 1; chunk < 8; ++chunk) EXPECT_EQ(filter_all(in, chunk), whole) << "chunks of " << chunk;
}

TEST(UfdrFilter, RandomBytesNeverGrowUnbounded) {
  std::mt19937 rng(42);
  std::uniform_int_distribution<int> byte(0, 255);
  for (int round = 0; round < 50; ++round) {
    std::string in(4096, '\0');
    for (auto& c : in) c = static_cast<char>(byte(rng));
    const std::string a = filter_all(in, 4096), b = filter_all(in, 7);
    EXPECT_EQ(a, b);
    EXPECT_LE(a.size(), 3 * in.size() + 16);
  }
}

TEST(UfdrBase64, StrictDecoding) {
  std::string out;
  ASSERT_TRUE(base64_decode("SGVsbG8=", out));
  EXPECT_EQ(out, "Hello");
  ASSERT_TRUE(base64_decode("SGVs\nbG8", out));
  EXPECT_EQ(out, "Hello") << "unpadded and wrapped";
  ASSERT_TRUE(base64_decode("", out));
  EXPECT_EQ(out, "");
  ASSERT_TRUE(base64_decode("8J+RjQ==", out));
  EXPECT_EQ(out, "\xF0\x9F\x91\x8D");
  for (std::string_view bad : {"SGVsbG8@", "SGVsbG8===", "S", "SGVsbG8=x", "SGVsbG9=", "SGV-bG8="})
    EXPECT_FALSE(base64_decode(bad, out)) << bad;
}

TEST(UfdrExtraInfoScan, FindsElementsAndIgnoresCdataAndComments) {
  std::vector<ExtraInfo> got;
  ExtraInfoScanner scan([&](ExtraInfo&& x) { got.push_back(std::move(x)); });
  const std::string doc =
      "<project><decodedData><model id='m1'><field><value><![CDATA[<extraInfo id=\"fake\"><nodeInfo path=\"/x\"/>"
      "</extraInfo>]]></value></field></model></decodedData><!-- <extraInfo id=\"c\"><nodeInfo path=\"/y\"/>"
      "</extraInfo> --><extraInfos><extraInfo type=\"Node\" id=\"m1\"><nodeInfo id=\"f1\" name=\"a.db\" "
      "path=\"/data/a.db\" size=\"5\" tableName=\"sms\" offset=\"4096\"/><nodeInfo path=\"/second\"/></extraInfo>"
      "<extraInfo id='m2' attr='a>b'><nodeInfo path='/data/&amp;b&#x1;.db' tableName='t'/></extraInfo>"
      "<extraInfo id=\"m3\"/></extraInfos></project>";
  for (size_t chunk : {doc.size(), size_t{1}, size_t{3}, size_t{17}}) {
    got.clear();
    ExtraInfoScanner s([&](ExtraInfo&& x) { got.push_back(std::move(x)); });
    for (size_t i = 0; i < doc.size(); i += chunk) s.feed(doc.data() + i, std::min(chunk, doc.size() - i));
    s.finish();
    ASSERT_EQ(got.size(), 3u) << "chunk " << chunk;
    EXPECT_EQ(got[0].id, "m1");
    EXPECT_EQ(got[0].path, "/data/a.db");
    EXPECT_EQ(got[0].table, "sms");
    EXPECT_EQ(got[0].offset, "4096");
    EXPECT_EQ(got[0].nodes, 2u);
    EXPECT_EQ(got[1].id, "m2");
    EXPECT_EQ(got[1].path, "/data/&b" + kFffd + ".db");
    EXPECT_EQ(got[2].id, "m3");
    EXPECT_EQ(got[2].nodes, 0u);
  }
  (void)scan;
}

TEST(UfdrExtraInfoScan, IndexLookups) {
  ExtraInfoIndex idx;
  ExtraInfo a;
  a.id = "model-a";
  a.path = "/data/x.db";
  a.table = "t1";
  ExtraInfo b = a;
  b.id = "model-b";
  b.table = "t2";
  ExtraInfo empty;
  empty.id = "model-c";
  idx.add(a);
  idx.add(b);
  idx.add(empty);
  idx.seal();
  EXPECT_EQ(idx.size(), 2u) << "nothing to keep for model-c";
  auto ha = idx.find("model-a");
  ASSERT_TRUE(ha);
  EXPECT_EQ(ha->path, "/data/x.db");
  EXPECT_EQ(ha->table, "t1");
  EXPECT_EQ(idx.find("model-b")->table, "t2");
  EXPECT_FALSE(idx.find("model-c"));
  EXPECT_FALSE(idx.find(""));
}

}  // namespace
}  // namespace remit::ufdr
