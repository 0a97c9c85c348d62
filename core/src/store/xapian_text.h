// The text analysis and query parsing the page index (text_index.cc) and the
// item index (item_index.cc) share, so that items are stemmed, folded and
// parsed exactly as pages are (internal to core).
#pragma once

#include <xapian.h>

#include <algorithm>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>
#include <unordered_map>
#include <vector>

#include "dossier/search.h"
#include "dossier/status.h"

namespace dossier {

// The weight of matches through accent-folded forms, against 1 for the words as typed.
inline constexpr double kFoldedWeight = 0.5;

// A wildcard expands to at most this many terms, the most frequent
// (SetUpQueryParsers).
inline constexpr Xapian::termcount kWildcardExpansions = 1000;

// The adjacency boost (ParseInEachLanguage) cuts a longer run of words into
// phrases spanning at most this many positions (the page index leaves room
// for them before the first page: kPageGap in text_index.cc).
inline constexpr size_t kMaxBoostPhraseWords = 64;

// A stemmer for an ISO 639-1 code; the "none" stemmer for "und" or a
// language Xapian does not stem.
Xapian::Stem StemmerFor(const std::string& language);
// The same stems as StemmerFor(language), remembered across searches and
// threads (a query's words come back in later queries): for parsing
// queries, whose words are few. (The "none" stemmer where StemmerFor's is.)
Xapian::Stem QueryStemmer(const std::string& language);

// The stemmer snippets use: a word that folding changes ("evaluación")
// stems to "XF" + the stem of its folded form, so the snippet, which looks
// for "Z" + stem among the query's terms, marks the word when the query
// matched its folded form ("ZXFevaluacion"); other words stem as usual.
//
// Each word is stemmed once per stemmer (a snippet stems every word of the
// page, and a page's words, and the pages of one search's hits, repeat): the
// stems are kept, up to kMemoWords words. Not thread-safe: one search's.
class FoldingStemmer : public Xapian::StemImplementation {
 public:
  explicit FoldingStemmer(Xapian::Stem stem) : stem_(std::move(stem)) {}
  std::string operator()(const std::string& word) override;
  std::string get_description() const override { return "folding " + stem_.get_description(); }

 private:
  static constexpr size_t kMemoWords = 1 << 14;
  Xapian::Stem stem_;
  std::unordered_map<std::string, std::string> memo_;
};

// Indexes `text` as page words from the term generator's current position:
// unprefixed words and Z stems (the generator's stemmer), then the
// accent-folded form of what folding changes as XF/ZXF terms at the same
// positions. Call DropUnfoldedPositions on the entry once all text is in.
// French elisions are taken off first. Without `positions` (the item index)
// the words are indexed without their positions.
void IndexPageWords(Xapian::TermGenerator& tg, const std::string& text, bool positions = true);
// Removes from XF<w> and ZXF<s> the positions where the same word is
// indexed unfolded (<w>, Z<s>): a folded term only where folding changed the word.
void DropUnfoldedPositions(Xapian::Document& entry);
// Removes from each stem Z<s> (ZXF<s>) the positions where the word <s>
// (XF<s>) itself stands: a word that is its own stem ("report", "the") has
// its positions once, under the word (text format 5; the page index's
// position table was 25 % smaller on 626 real PDFs). The stem keeps its wdf.
// Whoever reads a stem's positions reads WordOfStem's too.
void DropWordPositionsFromStems(Xapian::Document& entry);
// The word term whose positions a stem term shares ("Zreport" -> "report",
// "ZXFevalu" -> "XFevalu"); "" for a term that is not a page stem.
std::string WordOfStem(const std::string& term);

// Whether `query` holds a phrase or a NEAR anywhere.
bool HasPhrase(const Xapian::Query& query);
// Whether a phrase or NEAR of `query` is one of an OR's alternatives (OR,
// XOR, MAX, ELITE_SET; AND_MAYBE's optional side), where Xapian 1.4.22 may
// check() it once a page of results is full, and step past entries that
// belong on the page (which ones depending on the page's size): a search
// with such a phrase looks at every match (TextIndex::Search).
bool PhraseUnderOr(const Xapian::Query& query);

// A Xapian error as a Status naming `context`.
Status FromXapian(const std::string& context, const Xapian::Error& e);
// A failed write to an index at `path` (DatabaseError: the disk is full, an
// I/O error) is a write failure of the data folder, like RocksDB's (write_failure.h).
Status FromXapianWrite(const std::string& path, const std::string& what, const Xapian::Error& e);

// Page words: unprefixed, Z (stems) and XF (accent-folded forms), with
// positions; not boolean, title or author terms.
bool IsPageTerm(const std::string& name);
// The term of a LEAF_TERM query ("" for Query::MatchAll), without
// get_terms_begin(), which gathers, sorts and copies a vector of terms and
// a term list for the one term (five allocations and ~1,300 instructions,
// 2.5 % of a search's instructions on 626 real PDFs when each query walk
// asked it of each leaf). Read from the leaf's serialised form; a form not
// as Xapian 1.4 writes it falls back to get_terms_begin().
std::string LeafTermOf(const Xapian::Query& leaf);
// A user metadata key as Xapian 1.4's compaction passes it to
// Compactor::resolve_duplicate_metadata (as its table stores it, after the
// two bytes "\0\xc0" that mark metadata), without those two bytes.
std::string_view MetadataKeyName(std::string_view key);
// The query's phrases, each as its terms in order, wherever they sit in the query tree.
void CollectPhrases(const Xapian::Query& query, std::vector<std::vector<std::string>>* phrases);

// The words of a phrase of the adjacency boost that must stand side by side
// (its window is its number of words: no function word left out inside it):
// each word's terms, in order (a stem, and the word that is its own stem).
// Empty for a phrase whose window is wider.
using AdjacentWords = std::vector<std::vector<std::string>>;

// The two parsers a query is read with: `as_typed` (elisions removed) and
// `folded` (accents removed, matching every word by its folded form: plain/Z
// terms where folding changes nothing, XF/ZXF where it does). `configure`
// adds the prefixes of the index at hand to both.
struct QueryParsers {
  Xapian::QueryParser as_typed, folded;
  // The parses made (query text, language, default operator, folded), with
  // their keys (QueryKey): a search builds its query three or four ways from
  // the same parses, and languages whose parses read the same share them.
  struct Parse {
    Xapian::Query query;
    std::string key;
  };
  std::map<std::tuple<std::string, std::string, int, bool>, Parse> parses;
  // The languages sharing one subquery: its two parses, its boost phrases,
  // and what `held_in` told of it once asked (whether it may match, whether
  // its folded terms are held nowhere).
  struct Group {
    const Parse* typed = nullptr;
    const Parse* folded = nullptr;
    std::vector<Xapian::Query> runs;
    std::vector<AdjacentWords> adjacent;  // of each of `runs`
    std::vector<std::string> languages;
    std::optional<bool> may_match, folded_held_nowhere;
    // Whether no entry of the other languages can match the group's parses
    // (held_in): its subquery then needs no language filter.
    std::optional<bool> only_its_languages_match;
  };
  // How the languages group, by (query text, languages, default operator,
  // boost): the same for each build of a search's query with them
  // (ParseInEachLanguage).
  std::map<std::tuple<std::string, std::string, int, bool>, std::vector<Group>> groupings;
  // For a query of plain words, by (query text, language): the stems of its
  // words as typed and folded; languages with the same parse alike.
  std::map<std::pair<std::string, std::string>, std::string> stems_keys;
  // The local database the parsers read (nullptr for a remote one, where
  // each look-up is a round trip): whether it holds a parse's folded terms
  // tells when the folded parse adds nothing (ParseInEachLanguage), and
  // `held` keeps what was found, term by term.
  const Xapian::Database* db = nullptr;
  std::map<std::string, bool> held;
  // When set, what restricts a parse to entries in some languages (by
  // default, an OR of their L terms).
  std::function<Xapian::Query(const std::vector<std::string>& languages)> language_filter;
  // When set, whether an entry in one of `languages` may hold `term` (false
  // only when none does): a subquery whose languages' entries lack a term
  // it needs is left out, and folded terms are "held nowhere" language by
  // language (ParseInEachLanguage). A reader's columns answer it.
  std::function<bool(const std::string& term, const std::vector<std::string>& languages)> held_in;
  // When set (and `held_in` is not), whether any entry of `db` holds
  // `term`, in place of a look-up in `db` (`held`) search after search. A
  // reader's columns answer it, once per revision.
  std::function<bool(const std::string& term)> held_anywhere;
  // When set, what a kBoost parse makes of a group's phrases for the
  // entries of its languages (by default, the phrases filtered by them).
  // (`phrases` is the OR of `runs`; `adjacent` tells of each run whether
  // its words must stand side by side, and their terms.)
  std::function<Xapian::Query(const std::vector<std::string>& languages, const Xapian::Query& phrases,
                              const std::vector<Xapian::Query>& runs, const std::vector<AdjacentWords>& adjacent)>
      boost_among;
};
// `stemming` as the index was made: STEM_SOME (words and Z stems) for pages,
// STEM_ALL_Z (Z stems only) for items.
void SetUpQueryParsers(Xapian::Database& db, const std::function<void(Xapian::QueryParser&)>& configure,
                       QueryParsers* parsers,
                       Xapian::QueryParser::stem_strategy stemming = Xapian::QueryParser::STEM_SOME);

// The query parsed once per language present in the index (each parse
// restricted to its `L` term; languages whose parses come out the same share
// one subquery, and a query of plain words is not parsed again for a
// language whose stemmer stems each of its words as an earlier one's did),
// each parse `as typed OR kFoldedWeight × folded` (or, when the folded
// parse is the typed one with folded terms the index does not hold,
// `(1 + kFoldedWeight) × as typed`: the same matches and weights; and when
// the query has a wildcard, no accent typed, and excludes nothing whose
// folded forms an entry holds, `(1 + kFoldedWeight) × folded`: the same
// matches, the typed wildcard's expansions walked once). With
// `adjacent_boost`, the runs of words the query ANDs are added as phrases
// (spanning at most kMaxBoostPhraseWords positions) under OP_AND_MAYBE
// (weight only), without the language's function words (function_words.h;
// the other words in order within the run's span), unless the index
// (`parsers.db`) holds no positions. With `parsers.held_in` (a reader's
// columns), a subquery whose languages' entries lack a term it needs is
// left out (the same matches and weights), and the others keep their
// language filter.
//
// What a parse is for: ranking and matching needs both forms (the typed
// form weighs more); counting the matches (the facets' pass) needs only the
// entries that match. When the query has no accent to fold, the folded
// parse is the typed one with each term t read as (t OR XF t), so it
// matches every entry the typed parse matches, unless the query excludes
// something (NOT, -word) whose folded forms an entry of the group's
// languages may hold, or has XOR: otherwise kMatchSet parses the folded
// form alone, which matches the same entries with fewer posting lists, and
// so does kRank for a query with a wildcard (weighed 1 + kFoldedWeight;
// FoldedMatchesEveryTypedMatch). (With accents
// typed, the two parse different words: a stemmer does not stem
// "coordinacion" as it stems "coordinación", so both stay.)
//
// kBoost gives the adjacency boost's phrases alone (each group's, restricted
// to its languages as its parse is, or as `parsers.boost_among` makes
// them): what weighs a document again for its words side by side
// (TextIndex::Search); Query() when the query has none.
enum class ParsePurpose { kRank, kMatchSet, kBoost };
Xapian::Query ParseInEachLanguage(QueryParsers& parsers, const std::string& query_text,
                                  const std::vector<std::string>& languages, Xapian::Query::op default_op,
                                  bool adjacent_boost, ParsePurpose purpose = ParsePurpose::kRank);

// The pattern of a wildcard the query parsers made (at most
// kWildcardExpansions terms, the most frequent, combined as SYNONYM, OR or
// MAX), or nothing for any other. (Xapian 1.4 tells a wildcard's pattern
// only in its description: the one read there is checked by making the
// same wildcard again and comparing the two serialised.)
std::optional<std::string> ParsersWildcardPattern(const Xapian::Query& wildcard);

// Entries whose year (four digits in value `slot`) lies in [from, to]; a
// missing bound leaves that end open.
Xapian::Query YearRangeQuery(Xapian::valueno slot, std::optional<int> from, std::optional<int> to);

// The languages (L terms) an index holds.
std::vector<std::string> IndexLanguages(const Xapian::Database& db);
// With a language filter, only that language's entries can match: keeps it
// alone in `languages` (parsed for it alone). False when the index holds
// none of that language (nothing can match).
bool RestrictToLanguage(const std::optional<std::string>& language, std::vector<std::string>* languages);

// Counts the values of matching entries held in one value slot as names
// joined by \x1f (several per entry), without allocating for names it has
// seen already.
class MultiValueFacetSpy : public Xapian::MatchSpy {
 public:
  explicit MultiValueFacetSpy(Xapian::valueno slot) : slot_(slot) {}
  void operator()(const Xapian::Document& doc, double) override;
  std::map<std::string, uint64_t, std::less<>> counts;

 private:
  Xapian::valueno slot_;
};

// Counts the boolean terms with a prefix that each match holds (the value is
// the term less the prefix): a facet of terms, for a handle without facet
// columns (each match's term list is read).
class TermFacetSpy : public Xapian::MatchSpy {
 public:
  explicit TermFacetSpy(std::string prefix) : prefix_(std::move(prefix)) {}
  void operator()(const Xapian::Document& doc, double) override;
  std::map<std::string, uint64_t, std::less<>> counts;

 private:
  std::string prefix_;
};

// A facet's values by count (largest first), then by value; at most `limit`
// of them, and how many there were.
template <typename Counts>
SearchFacet TopFacetValues(const Counts& counts, size_t limit) {
  SearchFacet facet;
  for (const auto& [value, count] : counts) facet.values.push_back({std::string(value), count});
  facet.total_values = facet.values.size();
  std::sort(facet.values.begin(), facet.values.end(), [](const FacetValue& a, const FacetValue& b) {
    return a.count != b.count ? a.count > b.count : a.value < b.value;
  });
  if (facet.values.size() > limit) facet.values.resize(limit);
  return facet;
}

// The counts of a ValueCountMatchSpy as a facet (every value).
SearchFacet FacetOf(const Xapian::ValueCountMatchSpy& spy);

// Whether spies that saw `seen` matches of a search run with check_at_least
// `check` saw every match: the match ended before `check` (Xapian's bounds
// may still be estimates then), or the total is exact and no larger.
bool SawEveryMatch(Xapian::doccount seen, Xapian::doccount check, const Xapian::MSet& mset);

}  // namespace dossier
