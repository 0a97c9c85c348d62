// Tests of BestPassageSnippet's word matching: a text word matches a query
// term by its stem, as typed or accent-folded, whatever letter its stemmer
// leaves first.
#include "snippet.h"

#include <gtest/gtest.h>

#include <string>

#include "dossier/text.h"

namespace dossier {
namespace {

// The snippet of `text` for one query word, its term made as the parser
// makes it (Z + the stem of the word; here typed without accents).
std::string SnippetFor(const std::string& text, const std::string& word, const std::string& language) {
  const Xapian::Stem stem(language);
  SnippetQuery query;
  query.terms = {"Z" + stem(word)};
  query.typed = word;
  return BestPassageSnippet(text, query, stem, 300);
}

TEST(SnippetTest, AWordMatchesWhenItsStemmerTakesOffTheAccentOfItsFirstLetter) {
  // Spanish and German stemmers take accents and umlauts off ("ámbito" ->
  // "ambit", "übungen" -> "ubung"): the word still matches and is marked.
  EXPECT_NE(SnippetFor("Se revisó el ámbito de las políticas.", "ambito", "spanish").find("<mark>ámbito</mark>"),
            std::string::npos);
  EXPECT_NE(SnippetFor("Die Übungen fanden im Mai statt.", "ubungen", "german").find("<mark>Übungen</mark>"),
            std::string::npos);
  // English exceptions that stem to another form ("dying" -> "die").
  EXPECT_NE(SnippetFor("The dying trees were counted.", "die", "english").find("<mark>dying</mark>"), std::string::npos);
  EXPECT_EQ(SnippetFor("Nothing here begins with that letter.", "zebra", "english"), "") << "no word matches";
}

}  // namespace
}  // namespace dossier
