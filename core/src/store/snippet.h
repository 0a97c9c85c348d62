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

#include <array>
#include <bitset>
#include <map>
#include <memory>
#include <mutex>
#include <string_view>
#include <string>
#include <tuple>
#include <unordered_set>
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

// How the words that may match a query begin: their first two bytes,
// lowercased. The stemmers of Xapian's languages change a word only past its
// second letter (they take suffixes off a region that starts there at the
// earliest), accents aside (Spanish and German take them off, which the
// folded form has done too), except English's "dying" ("die"), "lying" and
// "tying": a query's "i" second admits a page word's "y". Indonesian and
// Irish take prefixes off, and a page's words may then go unmarked. A query
// word of one byte, or whose second byte is not ASCII, admits every word
// with its first byte.
class WordStarts {
 public:
  void Add(std::string_view word);
  // `second` is 0 past a word's end; a `second` from 0x80 on (not ASCII) is
  // admitted when `first` is.
  bool Admits(unsigned char first, unsigned char second) const {
    if (second >= 0x80) return firsts_[first];
    return any_second_[first] || pairs_[static_cast<size_t>(first) * 128 + second];
  }
  // Whether some word beginning with `first` is admitted.
  bool MayAdmit(unsigned char first) const { return firsts_[first]; }
  // The ASCII bytes that begin an admitted word, each with bit 5 set (ASCII
  // letters lowercased; ByteClasses::ForEachRunStartWith), each once.
  const std::vector<unsigned char>& AsciiFirstsBit5() const { return ascii_firsts_bit5_; }

 private:
  std::vector<unsigned char> ascii_firsts_bit5_;
  std::bitset<256> firsts_, any_second_;
  std::bitset<256 * 128> pairs_;  // first byte × ASCII second byte
};

// A query made ready to be matched against page after page (a search's
// hits, an item query's entries): what matching needs of it is made once.
// ScorePage and BestPassageSnippet are its Score and BestPassage for one text.
//
// Given the text's `language`, the query's words that are function words of
// that language ("the", "of", "de"; function_words.h) neither count nor are
// marked when the query has other words, as the best page leaves them out
// (text_index.cc, BestPage); a phrase still marks them. Thread-safe.
class SnippetMatcher {
 public:
  explicit SnippetMatcher(SnippetQuery query);
  PageScore Score(const std::string& text, const Xapian::Stem& stem, const std::string& language = "") const;
  std::string BestPassage(const std::string& text, const Xapian::Stem& stem, size_t length,
                          const std::string& language = "") const;

  // What matching leaves out in one language: the word keys ("Z" + the
  // folded word's stem) of the query's function words, and how the other
  // words (and every phrase's) begin.
  struct LanguageView {
    std::unordered_set<std::string> left_out;
    WordStarts starts;
  };

 private:
  // Null when nothing is left out in `language`.
  std::shared_ptr<const LanguageView> ViewFor(const std::string& language, const Xapian::Stem& stem) const;

  SnippetQuery query_;
  std::unordered_set<std::string> terms_;
  std::unordered_set<std::string> typed_;  // the typed words' folded forms
  std::vector<std::pair<std::string, std::string>> typed_words_;  // the typed words (lowercased, folded), in order
  WordStarts starts_;                      // how a word that may match begins
  std::vector<std::vector<std::string>> phrases_;  // each once
  mutable std::mutex views_mutex_;
  mutable std::map<std::string, std::shared_ptr<const LanguageView>> views_;  // by language
};

// The start of `text`, about `length` bytes cut at a word, HTML-escaped, with
// "…" when text is left out: what a snippet shows when no word matches.
std::string LeadingSnippet(const std::string& text, size_t length);

}  // namespace dossier
