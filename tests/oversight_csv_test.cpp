// The RFC 4180 reader: unit cases plus a randomized round trip (fields with
// commas, quotes, CR/LF and UTF-8 written by the writer are read back
// exactly) and random bytes (never a crash, always terminates).
#include <gtest/gtest.h>

#include <random>
#include <sstream>

#include "oversight/csv.hpp"

using namespace remit::oversight;

namespace {
std::vector<CsvRecord> read_all(const std::string& text) {
  std::istringstream in(text);
  CsvReader r(in, nullptr);
  std::vector<CsvRecord> out;
  CsvRecord rec;
  while (r.next(rec)) {
    out.push_back(rec);
    out.back().fields.resize(rec.count);
  }
  return out;
}
}  // namespace

TEST(OversightCsv, Basics) {
  auto r = read_all(
      "\xEF\xBB\xBF"
      "a,b,c\r\n1,\"x,y\",\"he said \"\"hi\"\"\"\r\n,\"multi\nline\",\n4,5,6");
  ASSERT_EQ(r.size(), 4u);
  EXPECT_EQ(r[0].fields, (std::vector<std::string>{"a", "b", "c"}));
  EXPECT_EQ(r[1].fields, (std::vector<std::string>{"1", "x,y", "he said \"hi\""}));
  EXPECT_EQ(r[2].fields, (std::vector<std::string>{"", "multi\nline", ""}));
  EXPECT_EQ(r[2].line, 3);
  EXPECT_EQ(r[3].line, 5);  // the quoted line break advanced the line count
  EXPECT_EQ(r[3].fields, (std::vector<std::string>{"4", "5", "6"}));
  for (const auto& x : r) EXPECT_FALSE(x.issue);
}

TEST(OversightCsv, Problems) {
  auto r = read_all("a,b\nx,y\"z\nok,1\n\"q\"tail,2\nbad\r,3\n\"open");
  ASSERT_GE(r.size(), 5u);
  ASSERT_TRUE(r[1].issue);
  EXPECT_EQ(r[1].issue->field, 1u);
  EXPECT_FALSE(r[2].issue);  // the reader resynchronises on the next line
  EXPECT_EQ(r[2].line, 3);
  ASSERT_TRUE(r[3].issue);
  EXPECT_NE(r[3].issue->reason.find("closing quote"), std::string::npos);
  ASSERT_TRUE(r[4].issue);
  EXPECT_NE(r[4].issue->reason.find("carriage return"), std::string::npos);
  ASSERT_TRUE(r.back().issue);
  EXPECT_TRUE(r.back().issue->fatal);
  auto u = read_all("a\n\xC3\x28\n\xED\xA0\x80\nok\n");  // bad continuation, surrogate
  ASSERT_EQ(u.size(), 4u);
  EXPECT_TRUE(u[1].issue);
  EXPECT_TRUE(u[2].issue);
  EXPECT_FALSE(u[3].issue);
  EXPECT_TRUE(read_all("a\n\n")[1].blank);
}

TEST(OversightCsv, RandomRoundTrip) {
  std::mt19937_64 rng(42);
  const std::vector<std::string> alphabet = {"a",  "Z", "0", ",",        "\"",           "\r\n",
                                             "\n", " ", "=", "\xC3\xA9", "\xE2\x80\xAE", ";"};
  for (int iter = 0; iter < 400; ++iter) {
    const size_t rows = 1 + rng() % 6, cols = 1 + rng() % 5;
    std::vector<std::vector<std::string>> want(rows, std::vector<std::string>(cols));
    std::string text;
    for (auto& row : want) {
      for (size_t c = 0; c < cols; ++c) {
        const size_t len = rng() % 6;
        for (size_t k = 0; k < len; ++k) row[c] += alphabet[rng() % alphabet.size()];
        if (c) text += ',';
        csv_append_raw(text, row[c]);
      }
      // A record that is one empty field would be a blank line; quote it.
      if (cols == 1 && row[0].empty()) text += "\"\"";
      text += rng() % 2 ? "\r\n" : "\n";
    }
    auto got = read_all(text);
    ASSERT_EQ(got.size(), rows) << iter;
    for (size_t i = 0; i < rows; ++i) {
      EXPECT_FALSE(got[i].issue) << iter;
      EXPECT_EQ(got[i].fields, want[i]) << iter;
    }
  }
}

TEST(OversightCsv, RandomBytesNeverCrash) {
  std::mt19937_64 rng(7);
  const char pool[] = {'a', ',', '"', '\r', '\n', '\0', '\xff', '\xc3', '\xa9', 'b'};
  for (int iter = 0; iter < 2000; ++iter) {
    std::string text;
    const size_t len = rng() % 200;
    for (size_t k = 0; k < len; ++k) text += pool[rng() % sizeof(pool)];
    auto got = read_all(text);
    EXPECT_LE(got.size(), len + 1);
  }
}

TEST(OversightCsv, WriterNeutralisesFormulas) {
  std::string out;
  csv_append_text(out, "=1+1");
  out += ',';
  csv_append_text(out, "-x,y");
  out += ',';
  csv_append_raw(out, "-0.25");
  EXPECT_EQ(out, "'=1+1,\"'-x,y\",-0.25");
}
