// Search snippets: the passage of a hit's best page where the query matches
// best, with the matching words marked (internal to core; used by TextIndex).
//
// Xapian's MSet::snippet weighs a stem variant like the word typed, and
// every further occurrence adds to a window's score: a passage repeating
// "supported" and "service" wins over the one that says "support services",
// and every variant in the window is marked. Here the window is chosen by, in order:
// the query's phrases it holds, the distinct query words it holds, how many
// of those appear as typed (accents aside), then how many matching words it
// holds; the first such window on a tie.
#pragma once

#include <xapian.h>

#include <string>
#include <tuple>
#include <vector>

namespace dossier {

struct SnippetQuery {
  // The query's page terms, as the parser made them: plain words ("medicare",
  // kept as typed when capitalised or in a phrase), Z + stem, and the
  // accent-folded XF + word and ZXF + stem (see text_index.h).
  std::vector<std::string> terms;
  // Its phrases, each as its terms in order (plain or XF forms).
  std::vector<std::vector<std::string>> phrases;
  // The query as the user typed it (its words, lowercased and without
  // accents, are the "typed forms").
  std::string typed;
  // A wildcard's prefixes ("stu" for stu*), lowercased and without accents:
  // a word beginning so matches (ScorePage; a snippet's wildcard is left to
  // Xapian's, which knows the expansions).
  std::vector<std::string> prefixes;
};

// How well a page's text matches a query, by what chooses a hit's best page:
// the occurrences of the query's phrases, then the distinct query words
// (a word's stem variants and accented forms are one word; each word a
// wildcard matches is one), then the matching words.
struct PageScore {
  size_t phrases = 0, words = 0, matches = 0;
  auto Key() const { return std::make_tuple(phrases, words, matches); }
};
PageScore ScorePage(const std::string& text, const SnippetQuery& query, const Xapian::Stem& stem);

// The words of a query as typed, lowercased, French elisions taken off
// (what the parser reads as words, operators and prefixes included).
std::vector<std::string> QueryWords(const std::string& typed);

// A snippet of about `length` bytes of `text` (UTF-8), HTML-escaped (& < >),
// with <mark>…</mark> around each matching word and around each phrase
// occurrence as a whole, and "…" where text was left out. A query word that
// the snippet shows as typed has only those forms marked (not "supported" or
// "responsible" beside "support" or "response"); one it shows only through
// stem variants has them marked. `stem` is the
// document language's stemmer. Empty when no word of `text` matches the query
// (only its title or a filter did): the caller then shows the page's start.
std::string BestPassageSnippet(const std::string& text, const SnippetQuery& query, const Xapian::Stem& stem,
                               size_t length);

// The start of `text`, about `length` bytes cut at a word, HTML-escaped, with
// "…" when text is left out: what a snippet shows when no word matches.
std::string LeadingSnippet(const std::string& text, size_t length);

}  // namespace dossier
