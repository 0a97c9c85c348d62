// The search response's direct JSON writer (SearchResponseJson) against the
// JSON tree's dump it stands in for: the same bytes, whatever the strings
// and numbers hold.
#include <gtest/gtest.h>

#include <random>
#include <string>

#include "dossier/json.h"

namespace dossier {
namespace {

// A string of `length` bytes drawn from pieces that need escaping, that are
// multi-byte UTF-8, that are invalid UTF-8, and plain ASCII.
std::string RandomText(std::mt19937& rng, size_t length) {
  static const std::vector<std::string> pieces = {
      "a", "Z", " ", "0", "\"", "\\", "/", "\n", "\r", "\t", "\b", "\f", std::string(1, '\0'), "\x01", "\x1f",
      "\x7f", "é", "É", "€", "’", "\u2028", "😀", "<b>", "&amp;", "\xff", "\xc3", "\xe2\x82", "\xed\xa0\x80",
      "\xf4\x90\x80\x80", "\xc0\xaf", "plain words of ASCII text ", "r\u00e9sum\u00e9 of the evaluation ",
      "0123456789abcdef!#$%&'()*+,-./:;<=>?@[]^_`{|}~"};
  std::string text;
  std::uniform_int_distribution<size_t> pick(0, pieces.size() - 1);
  // Most strings are valid UTF-8, as stored text is: a quarter may hold bad bytes.
  const bool allow_invalid = rng() % 4 == 0;
  while (text.size() < length) {
    const std::string& piece = pieces[pick(rng)];
    const bool invalid = piece == "\xff" || piece == "\xc3" || piece == "\xe2\x82" || piece == "\xed\xa0\x80" ||
                         piece == "\xf4\x90\x80\x80" || piece == "\xc0\xaf";
    if (invalid && !allow_invalid) continue;
    text += piece;
  }
  return text;
}

SearchResponse RandomResponse(std::mt19937& rng) {
  SearchResponse r;
  r.query = RandomText(rng, rng() % 20);
  r.offset = rng() % 100;
  r.limit = rng() % 50;
  r.total = rng() % 3 == 0 ? (uint64_t{1} << 40) + rng() : rng() % 1000;
  r.total_exact = rng() % 2;
  r.facets_exact = rng() % 2;
  const size_t hits = rng() % 12;
  for (size_t i = 0; i < hits; ++i) {
    SearchHit h;
    h.rank = static_cast<uint32_t>(i + 1 + r.offset);
    h.percent = static_cast<int>(rng() % 101);
    h.id = DocumentId::FromBytes(RandomText(rng, 8).substr(0, 8));
    h.title = RandomText(rng, rng() % 40);
    h.language = rng() % 2 ? "en" : "und";
    h.mime_type = "application/pdf";
    for (size_t k = rng() % 3; k > 0; --k) h.source_paths.push_back("/data/" + RandomText(rng, rng() % 30));
    h.page = rng() % 500;
    h.page_count = 0xFFFFFFFFu - rng() % 2;
    h.page_source = static_cast<TextSource>(rng() % 3);
    // -1: no OCR (null); the rest floats as OCR gives them.
    const float confidences[] = {-1.0f, 0.0f, 1.0f, 0.91f, 0.333333f, 1e-7f, 0.5f};
    h.ocr_confidence = confidences[rng() % 7];
    h.snippet_html = RandomText(rng, rng() % 300);
    h.all_words = rng() % 2;
    r.hits.push_back(std::move(h));
  }
  for (const char* facet : {"year", "entity", "language", "source"}) {
    if (rng() % 4 == 0) continue;
    SearchFacet f;
    for (size_t k = rng() % 8; k > 0; --k) {
      // Values may repeat: the counts' object keeps the last.
      f.values.push_back({rng() % 5 == 0 ? std::string("dup") : RandomText(rng, rng() % 15), rng() % 10000});
    }
    f.total_values = f.values.size() + rng() % 3;
    r.facets[facet] = std::move(f);
  }
  return r;
}

TEST(SearchResponseJsonTest, WritesTheSameBytesAsTheTreesDump) {
  EXPECT_EQ(SearchResponseJson(SearchResponse()), DumpJson(ToJson(SearchResponse())));
  std::mt19937 rng(20261204);
  size_t with_invalid_utf8 = 0;
  for (int i = 0; i < 3000; ++i) {
    const SearchResponse response = RandomResponse(rng);
    const std::string expected = DumpJson(ToJson(response));
    if (expected.find("\xef\xbf\xbd") != std::string::npos) ++with_invalid_utf8;
    ASSERT_EQ(SearchResponseJson(response), expected) << "response " << i;
  }
  EXPECT_GT(with_invalid_utf8, 100u) << "responses with invalid UTF-8 were tried";
}

}  // namespace
}  // namespace dossier
