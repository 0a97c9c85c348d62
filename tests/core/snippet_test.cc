// Tests of BestPassageSnippet's word matching: a text word matches a query
// term by its stem, as typed or accent-folded, whatever letter its stemmer
// leaves first; and of ScorePage, which ranks a document's pages by the same
// matching (how a remote index chooses a hit's best page).
#include "snippet.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

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

// Given the text's language, a query's function words ("the", "la") are
// neither counted nor marked when it has other words; a phrase still marks
// them, and a query of function words alone marks them.
TEST(SnippetTest, FunctionWordsOfTheTextsLanguageAreLeftOutWhenTheQueryHasOtherWords) {
  auto query_of = [](const std::vector<std::string>& words, const std::string& language) {
    const Xapian::Stem stem(language);
    SnippetQuery query;
    for (const std::string& word : words) {
      query.terms.push_back(word);
      query.terms.push_back("Z" + stem(word));
      if (!query.typed.empty()) query.typed += ' ';
      query.typed += word;
    }
    return query;
  };
  const Xapian::Stem english("english");
  const std::string text = "The district has the wells of the valley.";
  const SnippetMatcher the_wells(query_of({"the", "wells"}, "english"));
  EXPECT_EQ(the_wells.BestPassage(text, english, 300, "en"), "The district has the <mark>wells</mark> of the valley.");
  EXPECT_EQ(the_wells.Score(text, english, "en").Key(), (PageScore{0, 1, 1}.Key())) << "one word, one match";
  EXPECT_EQ(the_wells.BestPassage(text, english, 300),
            "<mark>The</mark> district has <mark>the</mark> <mark>wells</mark> of <mark>the</mark> valley.")
      << "no language: every query word counts";
  EXPECT_EQ(the_wells.Score(text, english).Key(), (PageScore{0, 2, 4}.Key()));
  EXPECT_EQ(the_wells.BestPassage(text, english, 300, "de"), the_wells.BestPassage(text, english, 300))
      << "a language whose function words Dossier does not know";
  EXPECT_EQ(the_wells.BestPassage("Nothing but the valley.", english, 300, "en"),
            "Nothing but <mark>the</mark> valley.")
      << "a page where only the function words match shows them";

  SnippetQuery phrase = query_of({"the", "wells"}, "english");
  phrase.typed = "\"the wells\"";
  phrase.phrases = {{"the", "wells"}};
  EXPECT_EQ(SnippetMatcher(phrase).BestPassage(text, english, 300, "en"),
            "The district has <mark>the wells</mark> of the valley.");

  EXPECT_EQ(SnippetMatcher(query_of({"the", "of"}, "english")).BestPassage(text, english, 300, "en"),
            "<mark>The</mark> district has <mark>the</mark> wells <mark>of</mark> <mark>the</mark> valley.")
      << "function words alone";

  // A phrase of function words still counts, and shows whole: `"to be" hamlet`.
  SnippetQuery to_be = query_of({"to", "be", "hamlet"}, "english");
  to_be.typed = "\"to be\" hamlet";
  to_be.phrases = {{"to", "be"}};
  const SnippetMatcher to_be_matcher(to_be);
  EXPECT_GT(to_be_matcher.Score("To be or not to be.", english, "en").Key(),
            to_be_matcher.Score("Hamlet, prince of Denmark.", english, "en").Key())
      << "the page with the phrase before the page with the other word";
  EXPECT_NE(to_be_matcher.BestPassage("To be or not to be.", english, 300, "en").find("<mark>To be</mark>"),
            std::string::npos);
  std::string far_apart = "To be or not to be. ";
  for (int i = 0; i < 40; ++i) far_apart += "filler ";
  far_apart += "Hamlet spoke.";
  EXPECT_NE(to_be_matcher.BestPassage(far_apart, english, 300, "en").find("<mark>To be</mark>"), std::string::npos)
      << "the passage with the phrase, not the one with the other word";

  const Xapian::Stem french("french");
  const SnippetMatcher la_gestion(query_of({"la", "gestion"}, "french"));
  EXPECT_EQ(la_gestion.BestPassage("Le rapport porte sur la gestion de la dette.", french, 300, "fr"),
            "Le rapport porte sur la <mark>gestion</mark> de la dette.");
}

// Which page words are worth stemming: those that begin, lowercased, with
// the first two bytes of a query word (stemmers change a word past them),
// or with its one byte; a second byte that is not ASCII is not judged.
TEST(WordStartsTest, AdmitsTheWordsThatBeginAsAQueryWordInTwoBytes) {
  WordStarts starts;
  starts.Add("respons");
  starts.Add("a");
  starts.Add("die");
  starts.Add("été");
  EXPECT_TRUE(starts.Admits('r', 'e'));
  EXPECT_FALSE(starts.Admits('r', 'a')) << "\"rather\" stems to no \"respons\"";
  EXPECT_FALSE(starts.Admits('r', 0)) << "nor does \"r\"";
  EXPECT_TRUE(starts.Admits('r', 0xC3)) << "a second byte that is not ASCII";
  EXPECT_TRUE(starts.Admits('a', 'x')) << "a query word of one byte";
  EXPECT_TRUE(starts.Admits('a', 0));
  EXPECT_TRUE(starts.Admits('d', 'i'));
  EXPECT_TRUE(starts.Admits('d', 'y')) << "\"dying\" stems to \"die\"";
  EXPECT_FALSE(starts.Admits('d', 'o'));
  EXPECT_TRUE(starts.Admits(0xC3, 0xA9)) << "\"été\" begins with a byte that is not ASCII";
  EXPECT_FALSE(starts.Admits('z', 'e'));
}

// A query as the parser makes its page terms: each word as typed and Z + its
// stem, and the phrase's words in order.
SnippetQuery QueryOf(const std::vector<std::string>& words, const Xapian::Stem& stem, bool phrase) {
  SnippetQuery query;
  for (const std::string& word : words) {
    query.terms.push_back(word);
    query.terms.push_back("Z" + stem(word));
    query.typed += (query.typed.empty() ? "" : " ") + word;
  }
  if (phrase) query.phrases.push_back(words);
  return query;
}

TEST(ScorePageTest, PhrasesThenDistinctWordsThenMatchingWords) {
  const Xapian::Stem stem("english");
  const SnippetQuery query = QueryOf({"water", "committees"}, stem, /*phrase=*/true);
  const PageScore repeated = ScorePage("Water, water and more water; the committee met.", query, stem);
  EXPECT_EQ(repeated.phrases, 0u);
  EXPECT_EQ(repeated.words, 2u) << "\"committee\" is a stem variant of \"committees\": one word";
  EXPECT_EQ(repeated.matches, 4u);
  const PageScore phrase = ScorePage("The Water Committees met once.", query, stem);
  EXPECT_EQ(phrase.phrases, 1u) << "the phrase, in another case";
  EXPECT_EQ(phrase.words, 2u);
  EXPECT_EQ(phrase.matches, 2u);
  EXPECT_GT(phrase.Key(), repeated.Key()) << "a phrase outranks more occurrences";
  const PageScore one_word = ScorePage("Water everywhere, water again, water.", query, stem);
  EXPECT_GT(repeated.Key(), one_word.Key()) << "two distinct words outrank one repeated";
  EXPECT_EQ(ScorePage("Nothing of the kind.", query, stem).Key(), PageScore{}.Key());
  EXPECT_EQ(ScorePage("", query, stem).Key(), PageScore{}.Key());
}

TEST(ScorePageTest, AccentedWordsMatchTheirFoldedTermsAndAWildcardItsExpansions) {
  const Xapian::Stem stem("french");
  SnippetQuery query;
  query.terms = {"XFevaluation", "ZXF" + stem("evaluation")};
  query.typed = "evaluation";
  const PageScore accented = ScorePage("Une \u00e9valuation et les \u00e9valuations finales.", query, stem);
  EXPECT_EQ(accented.words, 1u);
  EXPECT_EQ(accented.matches, 2u);

  SnippetQuery wildcard;
  wildcard.typed = "stu*";
  wildcard.prefixes = {"stu"};
  const PageScore expansions = ScorePage("Students studied the study; Stuttgart aside, nothing else.", wildcard, stem);
  EXPECT_EQ(expansions.words, 4u) << "each word the wildcard matches is a word of its own";
  EXPECT_EQ(expansions.matches, 4u);
  EXPECT_EQ(ScorePage("Nothing begins so here.", wildcard, stem).matches, 0u);
}

}  // namespace
}  // namespace dossier
