// TextIndex: Xapian indexing and search of page texts (layout in text_index.h).
#include "text_index.h"

#include <xapian.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <atomic>
#include <cctype>
#include <cmath>
#include <condition_variable>
#include <deque>
#include <filesystem>
#include <future>
#include <limits>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <string_view>
#include <thread>
#include <tuple>
#include <unordered_map>

#include "dossier/graph.h"
#include "dossier/paths.h"
#include "dossier/text.h"
#include "function_words.h"
#include "facet_columns.h"
#include "position_cache.h"
#include "item_index.h"
#include "snippet.h"
#include "word_pairs.h"
#include "xapian_text.h"
#include "write_failure.h"

namespace dossier {

// What a remote handle's shards hold that every search asks for: the
// languages (L terms) and the text sources (XS terms). Each is a round trip
// to every shard in turn, so they are read when the handle connects or
// reopens, not at each search.
struct ShardView {
  std::vector<std::string> languages;
  std::vector<std::string> source_terms;
  // The text sources every entry has (one source in the whole index, the
  // usual case): each matches as many entries as the query.
  std::set<std::string> on_every_entry;
};

namespace {

constexpr Xapian::valueno kValueDocId = 0;
constexpr Xapian::valueno kValueLanguage = 2;
constexpr Xapian::valueno kValueYear = 4;      // the document's own year, "2001"
constexpr Xapian::valueno kValueEntities = 5;  // organisation and programme names, joined by \x1f
constexpr Xapian::valueno kValuePageStarts = 6;  // where each page's words start (PageMap)
// The columns of Impl::page_columns that are not facets: the L terms, which
// filter each language's parse; each entry's document id and page starts,
// read by docid for each hit.
constexpr size_t kLanguageColumn = 4;
constexpr size_t kDocIdColumn = 5;
constexpr size_t kPageStartsColumn = 6;
// What a reader's position lists kept across searches may take (PositionCache):
// on 626 real PDFs, 8 MiB held what 2,000 distinct queries read again.
constexpr size_t kPositionCacheBytes = size_t{32} << 20;
// The metadata key holding the index's text format (kTextFormat), a decimal number.
constexpr const char* kTextFormatKey = "dossier.text_format";
// Without facet columns (a writer's handle), facet counts look at at least
// this many matches past the requested page; with them (a reader), at every
// match (CountEveryMatch).
constexpr Xapian::doccount kFacetSample = 1000;
// Entity facet values returned (the most frequent).
constexpr size_t kEntityFacetValues = 20;
// A snippet's length in bytes of page text.
constexpr size_t kSnippetBytes = 300;

// org:"name" matches documents mentioning an organisation or programme by any of its names.
class EntityFieldProcessor : public Xapian::FieldProcessor {
 public:
  Xapian::Query operator()(const std::string& text) override { return Xapian::Query("XE" + NameKey(text).substr(0, 200)); }
};

// A page's words follow the previous page's after this many unused
// positions, so that no phrase, nor NEAR of up to this window, spans two
// pages. (Text formats up to 4 started page p at (p-1) * 2^18 instead:
// kStridePage. Those jumps made the position table a third bigger: 38.4
// against 28.9 MB on 626 real PDFs; docs/BENCHMARKS.md, "Storage".)
// The first page starts after as many: Xapian 1.4 reads a term that has no
// positions in an entry (a stem whose only word is itself,
// DropWordPositionsFromStems) as standing at position 0 when it opens a
// phrase, so a phrase matched an entry whose first words were the phrase's
// other words. With positions 1..kPageGap unused, no phrase of up to
// kPageGap + 1 words can (text format 6; the adjacency boost's phrases
// span at most kMaxBoostPhraseWords positions, window included).
constexpr Xapian::termpos kPageGap = 64;
static_assert(kMaxBoostPhraseWords <= kPageGap + 1);
constexpr Xapian::termpos kStridePage = 1u << 18;
// With a remote index, a hit of at most this many pages has its best page
// chosen from its pages' text rather than from its shard's position lists
// (SearchIn).
constexpr uint32_t kScoredPagesUpTo = 16;
// With a remote index, a long document's best page leaves out the terms of a
// query word one of whose terms more than this share of the entries hold,
// when the query has other words (SearchIn).
constexpr double kInMostEntries = 0.6;

std::string IdTerm(const std::string& hex_id) { return "Q" + hex_id; }

// The adjacency boost (ParseInEachLanguage's phrases) reorders this many of
// the best matches without it: the ranked pass weighs the words alone, and
// a pass per group of languages weighs these candidates with the boost
// (SearchIn). Over every match, as before, the boost's phrases were checked
// in nearly every entry holding the words: half of a search's CPU on
// 10,000 generated documents (docs/BENCHMARKS.md, "Stop 52").
constexpr Xapian::doccount kBoostWindow = 100;
// Checking a candidate for a phrase reads its words' positions in the
// candidate, all of them when it lacks the phrase: in a long manual, tens
// of thousands for "the" (about 110 instructions each, through the OR of a
// word's terms: the boost of "the what" was 15 M instructions a search on
// 626 real PDFs, two thirds of it). A group of languages' candidates are
// checked, best first, until their positions would pass this many; the
// best kBoostChecksAtLeast are checked whatever they hold. (The rest keep
// their weight in the ranked pass, as candidates of a language without
// phrases do.) On those PDFs the budget cut 55 of 3,000 distinct queries'
// checks, and changed the first page of results of 4.
constexpr uint64_t kBoostPositions = 20000;
constexpr size_t kBoostChecksAtLeast = 10;
// The candidates of a common word are longer than the average entry
// holding it (BM25 ranks them first): CheckedPastBudget reads their
// positions unless this many times the average would fit the budget.
constexpr double kBoostAverageMargin = 4;

// The candidates the boosted pass reorders (kBoostWindow), in docid order.
// Weighed, each has its weight in the ranked pass: under OP_AND_MAYBE with
// the boost's phrases, the sum is the weight the boosted query gives (the
// same double), and a candidate whose weight cannot reach the matcher's
// minimum (`min_wt`: the weakest kept less the most the boost can add) is
// passed over, so its phrases are not checked. Unweighed, it is a filter
// that matches every candidate, with no weight.
class CandidatesSource : public Xapian::PostingSource {
 public:
  // `candidates`: (docid, weight), ascending by docid.
  CandidatesSource(std::vector<std::pair<Xapian::docid, double>> candidates, bool weighed)
      : candidates_(std::move(candidates)), weighed_(weighed) {}
  Xapian::doccount get_termfreq_min() const override {
    return weighed_ ? 0 : static_cast<Xapian::doccount>(candidates_.size());
  }
  Xapian::doccount get_termfreq_est() const override { return static_cast<Xapian::doccount>(candidates_.size()); }
  Xapian::doccount get_termfreq_max() const override { return static_cast<Xapian::doccount>(candidates_.size()); }
  void init(const Xapian::Database&) override {
    at_ = 0;
    started_ = false;
    double most = 0;
    if (weighed_) {
      for (const auto& [did, weight] : candidates_) most = std::max(most, weight);
    }
    set_maxweight(most);
  }
  void next(double min_wt) override {
    if (started_) ++at_;
    started_ = true;
    PassOver(min_wt);
  }
  void skip_to(Xapian::docid did, double min_wt) override {
    started_ = true;
    const auto from = candidates_.begin() + static_cast<std::ptrdiff_t>(at_);
    const auto at = std::lower_bound(from, candidates_.end(), did,
                                     [](const auto& candidate, Xapian::docid d) { return candidate.first < d; });
    at_ = static_cast<size_t>(at - candidates_.begin());
    PassOver(min_wt);
  }
  bool at_end() const override { return started_ && at_ >= candidates_.size(); }
  Xapian::docid get_docid() const override { return candidates_[at_].first; }
  double get_weight() const override { return weighed_ ? candidates_[at_].second : 0; }
  CandidatesSource* clone() const override { return new CandidatesSource(candidates_, weighed_); }
  std::string get_description() const override {
    return std::string(weighed_ ? "Weighed" : "") + "CandidatesSource(" + std::to_string(candidates_.size()) + ")";
  }

 private:
  void PassOver(double min_wt) {
    if (!weighed_) return;
    while (at_ < candidates_.size() && candidates_[at_].second < min_wt) ++at_;
  }
  std::vector<std::pair<Xapian::docid, double>> candidates_;
  bool weighed_ = false;
  size_t at_ = 0;
  bool started_ = false;
};

// The positions a check of `phrases` reads in each of `docids` (ascending):
// for each word of each phrase, the most any of its terms has there (a
// stem and the word that is its own stem share their positions). Throws
// Xapian::Error.
std::vector<uint64_t> PhrasePositions(const Xapian::Database& db, const Xapian::Query& phrases,
                                      const std::vector<Xapian::docid>& docids) {
  std::vector<uint64_t> positions(docids.size(), 0);
  std::map<std::string, std::vector<Xapian::termcount>> wdf_of;  // by term: in each of `docids`
  auto wdfs = [&](const std::string& term) -> const std::vector<Xapian::termcount>& {
    auto [known, added] = wdf_of.try_emplace(term);
    if (added) {
      known->second.assign(docids.size(), 0);
      Xapian::PostingIterator posting = db.postlist_begin(term);
      const Xapian::PostingIterator end = db.postlist_end(term);
      for (size_t i = 0; i < docids.size() && posting != end; ++i) {
        posting.skip_to(docids[i]);
        if (posting != end && *posting == docids[i]) known->second[i] = posting.get_wdf();
      }
    }
    return known->second;
  };
  std::function<void(const Xapian::Query&)> add = [&](const Xapian::Query& query) {
    const auto type = query.get_type();
    if (type != Xapian::Query::OP_PHRASE && type != Xapian::Query::OP_NEAR) {
      for (size_t k = 0; k < query.get_num_subqueries(); ++k) add(query.get_subquery(k));
      return;
    }
    for (size_t k = 0; k < query.get_num_subqueries(); ++k) {
      const Xapian::Query word = query.get_subquery(k);
      std::vector<Xapian::termcount> most(docids.size(), 0);
      for (auto t = word.get_unique_terms_begin(); t != word.get_unique_terms_end(); ++t) {
        const std::vector<Xapian::termcount>& in = wdfs(*t);
        for (size_t i = 0; i < docids.size(); ++i) most[i] = std::max(most[i], in[i]);
      }
      for (size_t i = 0; i < docids.size(); ++i) positions[i] += most[i];
    }
  };
  add(phrases);
  return positions;
}

// Leaves in `among` (a group's candidates: docid, weight; ascending by
// docid) those whose phrase check fits the budget: the best (by weight;
// on a tie, the lower docid) while their positions (PhrasePositions) sum
// to at most kBoostPositions, and the best kBoostChecksAtLeast whatever
// they hold. Returns the others. No posting list is read when what the
// terms can hold at most (each its wdf upper bound in every candidate,
// and no more than its collection frequency) fits the budget, nor
// kBoostAverageMargin times what they hold on average. Throws
// Xapian::Error.
std::vector<std::pair<Xapian::docid, double>> CheckedPastBudget(const Xapian::Database& db, const Xapian::Query& phrases,
                                                                std::vector<std::pair<Xapian::docid, double>>* among) {
  if (among->size() <= kBoostChecksAtLeast) return {};
  // At most, a term has its wdf upper bound in each candidate, and all
  // its occurrences (its collection frequency) among them; on average, its
  // occurrences over the entries holding it. The positions are not read
  // when the most fits the budget, nor when kBoostAverageMargin times the
  // average does (a word common in an archive of short entries: reading
  // its postings cost more than the checks they would save).
  // (Each a look-up in the index: the wdf upper bounds first, which
  // alone settle it for an archive of short entries.)
  std::vector<std::pair<std::string, uint64_t>> each_most;  // term, wdf upper bound in every candidate
  uint64_t most = 0;
  for (auto t = phrases.get_unique_terms_begin(); t != phrases.get_unique_terms_end(); ++t) {
    each_most.emplace_back(*t, uint64_t{db.get_wdf_upper_bound(*t)} * among->size());
    most += each_most.back().second;
  }
  if (most <= kBoostPositions) return {};
  most = 0;
  double average = 0;
  for (const auto& [term, in_every] : each_most) {
    const Xapian::termcount collection = db.get_collection_freq(term);
    most += std::min<uint64_t>(in_every, collection);
    if (const Xapian::doccount holding = db.get_termfreq(term); holding > 0) {
      average += static_cast<double>(collection) / holding * static_cast<double>(among->size());
    }
  }
  if (most <= kBoostPositions || kBoostAverageMargin * average <= kBoostPositions) return {};
  std::vector<Xapian::docid> docids;
  for (const auto& [did, weight] : *among) docids.push_back(did);
  const std::vector<uint64_t> positions = PhrasePositions(db, phrases, docids);
  std::vector<size_t> order(among->size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    return (*among)[a].second != (*among)[b].second ? (*among)[a].second > (*among)[b].second : a < b;
  });
  std::vector<char> checked(among->size(), 0);
  uint64_t spent = 0;
  for (size_t k = 0; k < order.size(); ++k) {
    spent += positions[order[k]];
    if (k >= kBoostChecksAtLeast && spent > kBoostPositions) break;
    checked[order[k]] = 1;
  }
  std::vector<std::pair<Xapian::docid, double>> kept, past;
  for (size_t i = 0; i < among->size(); ++i) (checked[i] ? kept : past).push_back((*among)[i]);
  among->swap(kept);
  return past;
}

// Whether a phrase of the adjacency boost may match some entry: false when
// its words must stand side by side (`words`, CollectWordRuns) and, for two
// neighbouring words, no term of the first stands right before a term of
// the second in any entry (`pairs`: never false for a pair an entry holds).
// A word with a term the set does not record may stand anywhere.
// (A word's terms, a stem and the word that is its own stem, are one key:
// each distinct pair of keys is one look-up, since each adds its chance of
// a false positive.)
bool PhraseMayMatch(const WordPairSet& pairs, const AdjacentWords& words) {
  std::vector<std::vector<std::string_view>> keys(words.size());
  for (size_t i = 0; i < words.size(); ++i) {
    for (const std::string& term : words[i]) {
      if (!WordPairSet::RecordsInEveryLanguage(term)) return true;  // a word the set cannot tell of
      const std::string_view key = WordPairSet::KeyOf(term);
      if (std::find(keys[i].begin(), keys[i].end(), key) == keys[i].end()) keys[i].push_back(key);
    }
  }
  for (size_t i = 0; i + 1 < keys.size(); ++i) {
    bool may = false;
    for (std::string_view first : keys[i]) {
      for (std::string_view second : keys[i + 1]) may = may || pairs.MayHold(first, second);
    }
    if (!may) return false;
  }
  return true;
}

// Parses `query_text` for the adjacency boost (ParsePurpose::kBoost) and
// hands each group of languages' phrases to `each` (QueryParsers::boost_among,
// set for the parse alone). Throws Xapian::Error.
void ForEachBoostGroup(QueryParsers& parsers, const std::string& query_text, const std::vector<std::string>& languages,
                       decltype(QueryParsers::boost_among) each) {
  parsers.boost_among = std::move(each);
  try {
    (void)ParseInEachLanguage(parsers, query_text, languages, Xapian::Query::OP_AND, true, ParsePurpose::kBoost);
  } catch (...) {
    parsers.boost_among = nullptr;
    throw;
  }
  parsers.boost_among = nullptr;
}

// Whether some phrase of the adjacency boost of `query_text` (parsed with
// `parsers`, ParsePurpose::kBoost) may stand in some entry, by `pairs`
// (PhraseMayMatch): when none may, BoostCandidates would give every
// candidate its ranked weight, and the ranked pass needs no more than the
// page of results asked for (a pass that keeps the best kBoostWindow
// matches weighs more of them before Xapian can pass the rest over).
// Throws Xapian::Error.
bool AnyBoostPhraseMayMatch(QueryParsers& parsers, const std::string& query_text,
                            const std::vector<std::string>& languages, const WordPairSet& pairs) {
  bool any = false;
  ForEachBoostGroup(parsers, query_text, languages,
                    [&](const std::vector<std::string>&, const Xapian::Query&, const std::vector<Xapian::Query>& runs,
                        const std::vector<AdjacentWords>& adjacent) {
                      for (size_t i = 0; i < runs.size() && !any; ++i) {
                        any = i >= adjacent.size() || PhraseMayMatch(pairs, adjacent[i]);
                      }
                      return Xapian::Query();
                    });
  return any;
}

// The candidates of a search (docid, weight in the ranked pass: its best
// kBoostWindow matches) weighed again with the adjacency boost's phrases
// (`query_text` parsed with `parsers`, ParsePurpose::kBoost): the weights
// the boosted query gives them. Each group of languages' phrases weigh
// that group's candidates in a pass of their own,
// AND_MAYBE(weighed CandidatesSource, FILTER(phrases, unweighed one)).
// (One pass over the OR of the groups gave 2 of 1,000 searches an entry
// weighed with a phrase it does not hold. Under the FILTER the phrases
// are only moved on, never check()ed: Xapian 1.4.22's
// SelectPostList::skip_to keeps a position a failed check() left, as when
// an AND_MAYBE turns into an AND.) `columns`, when given, tell each
// candidate's language; else its entry's value does.
// Returns (weight, docid) of the best `wanted` of each group and of every
// candidate of a language without phrases, best first (on a tie, the lower
// docid first, as Xapian ranks). `pairs`, when given (the index's
// WordPairSet at this revision), leaves out each phrase whose words must
// stand side by side and two of which stand side by side in no entry
// (PhraseMayMatch): a group left without phrases keeps the weights of the
// ranked pass, which is what its pass would give them, without reading a
// position. Throws Xapian::Error.
std::vector<std::pair<double, Xapian::docid>> BoostCandidates(const Xapian::Database& db, QueryParsers& parsers,
                                                              const std::string& query_text,
                                                              const std::vector<std::string>& languages,
                                                              const FacetColumns* columns, const WordPairSet* pairs,
                                                              std::vector<std::pair<Xapian::docid, double>> candidates,
                                                              Xapian::doccount wanted) {
  std::sort(candidates.begin(), candidates.end());
  std::vector<std::string> language_of(candidates.size());
  for (size_t i = 0; i < candidates.size(); ++i) {
    if (columns) {
      columns->ForEachCode(kLanguageColumn, candidates[i].first,
                           [&](uint32_t code) { language_of[i] = columns->Values(kLanguageColumn)[code]; });
    } else {
      language_of[i] = db.get_document(candidates[i].first, Xapian::DOC_ASSUME_VALID).get_value(kValueLanguage);
    }
  }
  // Each group of languages with phrases: its candidates, and the phrases.
  std::vector<char> boosted(candidates.size(), 0);
  std::vector<std::pair<std::vector<std::pair<Xapian::docid, double>>, Xapian::Query>> groups;
  ForEachBoostGroup(parsers, query_text, languages, [&](const std::vector<std::string>& its_languages,
                                                        const Xapian::Query& phrases, const std::vector<Xapian::Query>& runs,
                                                        const std::vector<AdjacentWords>& adjacent) {
    std::vector<std::pair<Xapian::docid, double>> among;
    for (size_t i = 0; i < candidates.size(); ++i) {
      if (boosted[i] || std::find(its_languages.begin(), its_languages.end(), language_of[i]) == its_languages.end()) {
        continue;
      }
      boosted[i] = 1;
      among.push_back(candidates[i]);
    }
    if (among.empty()) return Xapian::Query();
    // The phrases that may match some entry: none, and the group's pass is left out.
    std::vector<Xapian::Query> may_match;
    for (size_t i = 0; i < runs.size(); ++i) {
      if (pairs == nullptr || i >= adjacent.size() || PhraseMayMatch(*pairs, adjacent[i])) may_match.push_back(runs[i]);
    }
    if (may_match.size() == runs.size()) {
      groups.emplace_back(std::move(among), phrases);
    } else if (may_match.empty()) {
      groups.emplace_back(std::move(among), Xapian::Query());
    } else {
      groups.emplace_back(std::move(among), Xapian::Query(Xapian::Query::OP_OR, may_match.begin(), may_match.end()));
    }
    return Xapian::Query();
  });
  std::vector<std::pair<double, Xapian::docid>> best;
  for (size_t i = 0; i < candidates.size(); ++i) {
    if (!boosted[i]) best.emplace_back(candidates[i].second, candidates[i].first);
  }
  for (auto& [among, phrases] : groups) {
    if (phrases.empty()) {  // no phrase of the group can match: the pass would change no weight
      for (const auto& [did, weight] : among) best.emplace_back(weight, did);
      continue;
    }
    for (const auto& [did, weight] : CheckedPastBudget(db, phrases, &among)) best.emplace_back(weight, did);
    if (among.empty()) continue;
    Xapian::Enquire enquire(db);
    const Xapian::Query weighed((new CandidatesSource(among, true))->release());
    const Xapian::Query listed((new CandidatesSource(std::move(among), false))->release());
    enquire.set_query(Xapian::Query(Xapian::Query::OP_AND_MAYBE, weighed,
                                    Xapian::Query(Xapian::Query::OP_FILTER, phrases, listed)));
    const Xapian::MSet group_best = enquire.get_mset(0, wanted);
    for (auto it = group_best.begin(); it != group_best.end(); ++it) best.emplace_back(it.get_weight(), *it);
  }
  std::sort(best.begin(), best.end(), [](const auto& a, const auto& b) {
    return a.first != b.first ? a.first > b.first : a.second < b.second;
  });
  return best;
}

void AppendVarint(uint64_t n, std::string* out) {
  while (n >= 0x80) {
    out->push_back(static_cast<char>((n & 0x7F) | 0x80));
    n >>= 7;
  }
  out->push_back(static_cast<char>(n));
}

bool ReadVarint(std::string_view* in, uint64_t* n) {
  *n = 0;
  for (int shift = 0; shift < 64 && !in->empty(); shift += 7) {
    const auto byte = static_cast<unsigned char>(in->front());
    in->remove_prefix(1);
    *n |= static_cast<uint64_t>(byte & 0x7F) << shift;
    if ((byte & 0x80) == 0) return true;
  }
  return false;
}

// Which page a term position of an entry is on. The entry's kValuePageStarts
// value lists, page by page in order, the page's number and the position of
// its first word, each as the varint of its increase over the previous
// page's. An entry without it (text format 4 and before) has page p's words
// from (p-1) * kStridePage + 1 on.
class PageMap {
 public:
  static std::string Encode(const std::vector<std::pair<uint32_t, Xapian::termpos>>& starts) {
    std::string out;
    uint64_t number = 0, start = 0;
    for (const auto& [page, first] : starts) {
      AppendVarint(page - number, &out);
      AppendVarint(first - start, &out);
      number = page;
      start = first;
    }
    return out;
  }
  // What a value decodes to, as one list (which PositionCache can keep
  // from search to search: decoding a long document's value was 2 % of a
  // search's instructions): the page starts, then the page numbers, then 1
  // when the value did not decode (damaged: every position maps to page 1)
  // or 0.
  using Decoded = std::shared_ptr<const std::vector<Xapian::termpos>>;
  static Decoded Decode(std::string_view value) {
    // The starts straight into the list, the numbers after them.
    auto decoded = std::make_shared<std::vector<Xapian::termpos>>();
    std::vector<Xapian::termpos> pages;
    // (At most one page per two bytes: made once, not grown page by page.)
    decoded->reserve(value.size() + 1);
    pages.reserve(value.size() / 2);
    // A varint of one byte (every page step, and a short page's start
    // step) read in place.
    auto next = [&value](uint64_t* n) {
      if (!value.empty() && static_cast<unsigned char>(value.front()) < 0x80) {
        *n = static_cast<unsigned char>(value.front());
        value.remove_prefix(1);
        return true;
      }
      return ReadVarint(&value, n);
    };
    uint64_t number = 0, start = 0;
    bool damaged = false;
    while (!value.empty()) {
      uint64_t page_step = 0, start_step = 0;
      if (!next(&page_step) || !next(&start_step)) {
        damaged = true;
        break;
      }
      number += page_step;
      start += start_step;
      pages.push_back(static_cast<uint32_t>(number));
      decoded->push_back(static_cast<Xapian::termpos>(start));
    }
    if (damaged) {
      decoded->clear();
    } else {
      decoded->insert(decoded->end(), pages.begin(), pages.end());
    }
    decoded->push_back(damaged ? 1 : 0);
    return decoded;
  }
  explicit PageMap(Decoded decoded) : decoded_(std::move(decoded)) {
    damaged_ = decoded_->back() != 0;
    count_ = damaged_ ? 0 : (decoded_->size() - 1) / 2;
    starts_ = decoded_->data();
    pages_ = decoded_->data() + count_;
  }
  // The highest page number the map holds (0 when it holds none).
  uint32_t LastPage() const {
    return damaged_ || count_ == 0 ? 0 : *std::max_element(pages_, pages_ + count_);
  }
  uint32_t PageOf(Xapian::termpos position) const {
    if (damaged_) return 1;
    if (count_ == 0) return (position - 1) / kStridePage + 1;
    const Xapian::termpos* after = std::upper_bound(starts_, starts_ + count_, position);
    return after == starts_ ? pages_[0] : pages_[after - starts_ - 1];
  }
  // PageOf for positions asked in ascending order (a sorted position list):
  // walks the page starts once rather than searching them per position.
  class Cursor {
   public:
    explicit Cursor(const PageMap& map) : map_(map) {}
    uint32_t PageOf(Xapian::termpos position) {
      const PageMap& m = map_;
      if (m.damaged_ || m.count_ == 0) return m.PageOf(position);
      while (next_ < m.count_ && m.starts_[next_] <= position) ++next_;
      return next_ == 0 ? m.pages_[0] : m.pages_[next_ - 1];
    }
    // The index of the first of `positions` (sorted) from `i` on that lies
    // past the page PageOf(positions[i]) found: the end of that page's run.
    // Found by galloping, not position by position (a common word has
    // thousands of positions in a long document, tens a page).
    size_t RunEnd(const std::vector<Xapian::termpos>& positions, size_t i) const {
      const PageMap& m = map_;
      uint64_t bound = std::numeric_limits<uint64_t>::max();  // damaged: every position on page 1
      if (!m.damaged_ && m.count_ == 0) {
        bound = (static_cast<uint64_t>(positions[i]) - 1) / kStridePage * kStridePage + kStridePage + 1;
      } else if (!m.damaged_ && next_ < m.count_) {
        bound = m.starts_[next_];
      }
      size_t lo = i + 1, step = 1;
      while (lo + step - 1 < positions.size() && positions[lo + step - 1] < bound) {
        lo += step;
        step *= 2;
      }
      const size_t hi = std::min(lo + step - 1, positions.size());
      const auto first = positions.begin() + static_cast<std::ptrdiff_t>(lo);
      const auto last = positions.begin() + static_cast<std::ptrdiff_t>(hi);
      const auto end = std::lower_bound(first, last, bound, [](Xapian::termpos p, uint64_t b) { return p < b; });
      return static_cast<size_t>(end - positions.begin());
    }

   private:
    const PageMap& map_;
    size_t next_ = 0;  // the first page start after the last position asked
  };

 private:
  Decoded decoded_;
  size_t count_ = 0;                        // pages
  const Xapian::termpos* starts_ = nullptr;  // count_ of them, in decoded_
  const Xapian::termpos* pages_ = nullptr;   // count_ of them, in decoded_
  bool damaged_ = false;
};

// The facets of a search on a remote index, counted over every match (up to
// kFacetExactUpTo) by spies xapian-tcpsrv can run: a spy is sent to the
// server by name, and the server knows Xapian's ValueCountMatchSpy, not
// Dossier's spies; nor can facet columns be built, a remote database reading
// value streams one document at a time. The spies ride on a counting pass
// of their own (SearchIn). An entry's entity names are one value (joined by
// \x1f): counted as joined and split here, they count as the multi-valued
// column does. The text sources are terms, not values: one count of the
// matches with each XS term (but one every entry has).
struct RemoteFacetSpies {
  Xapian::ValueCountMatchSpy year{kValueYear}, entities{kValueEntities}, language{kValueLanguage};
  void AddTo(Xapian::Enquire& enquire) {
    enquire.add_matchspy(&year);
    enquire.add_matchspy(&entities);
    enquire.add_matchspy(&language);
  }
};

struct SpiedFacets {
  std::map<std::string, uint64_t> year, entity, language, source;
  uint64_t seen = 0;
  bool exact = false;  // every match was counted: `seen` is the total
};

// After a pass with `spies` that checked at least `cap` matches of `query`.
// Throws Xapian::Error.
SpiedFacets CollectRemoteFacets(const Xapian::Database& db, const Xapian::Query& query, const RemoteFacetSpies& spies,
                                const ShardView& shard_view, Xapian::doccount cap) {
  SpiedFacets out;
  out.seen = spies.year.get_total();
  out.exact = out.seen < kFacetExactUpTo;
  for (auto v = spies.year.values_begin(); v != spies.year.values_end(); ++v) out.year[*v] += v.get_termfreq();
  for (auto v = spies.language.values_begin(); v != spies.language.values_end(); ++v) out.language[*v] += v.get_termfreq();
  for (auto v = spies.entities.values_begin(); v != spies.entities.values_end(); ++v) {
    const std::string joined = *v;
    std::string_view rest = joined;
    while (!rest.empty()) {
      const size_t end = std::min(rest.find('\x1f'), rest.size());
      if (end > 0) out.entity[std::string(rest.substr(0, end))] += v.get_termfreq();
      rest.remove_prefix(std::min(end + 1, rest.size()));
    }
  }
  if (out.seen == 0) return out;
  for (const std::string& term : shard_view.source_terms) {
    if (out.exact && shard_view.on_every_entry.count(term)) {
      out.source[term.substr(2)] = out.seen;  // no pass needed (a round trip to every shard)
      continue;
    }
    // A counting pass (as CountEveryMatch), no hits kept.
    Xapian::Enquire counting = CountingEnquire(db, Xapian::Query(Xapian::Query::OP_FILTER, query, Xapian::Query(term)));
    const Xapian::MSet with = counting.get_mset(0, 0, cap);
    if (with.get_matches_estimated() > 0) out.source[term.substr(2)] = with.get_matches_estimated();
  }
  return out;
}

// The prefixes of the query's wildcards ("stu" for stu*, "eval" for
// title:Éval*, also in brackets), lowercased and without accents.
std::vector<std::string> WildcardPrefixes(const std::string& typed) {
  std::vector<std::string> prefixes;
  size_t at = 0;
  while (at < typed.size()) {
    const size_t end = std::min(typed.find_first_of(" \t\n", at), typed.size());
    std::string_view token(typed.data() + at, end - at);
    at = end + 1;
    while (!token.empty() && (token.back() == ')' || token.back() == '"')) token.remove_suffix(1);
    if (token.size() < 2 || token.back() != '*') continue;
    token.remove_suffix(1);
    if (const size_t colon = token.rfind(':'); colon != std::string_view::npos) token.remove_prefix(colon + 1);
    const std::vector<std::string> words = QueryWords(std::string(token));
    if (!words.empty()) prefixes.push_back(FoldAccents(words.back()));
  }
  return prefixes;
}

// The facets of a query on a remote index: a counting pass with the
// spies, then CollectRemoteFacets. Runs on a thread of its own (SearchIn),
// on `db` (connections no other thread uses). The query comes serialised
// and is rebuilt here: a copy of a Xapian::Query shares its subqueries with
// the original (the parsers' cached parses, the ranked query), and their
// reference counts are not atomic, so two threads copying and dropping
// handles to them lose counts, and a subquery still in use is freed.
// Throws Xapian::Error.
SpiedFacets CountRemoteFacets(Xapian::Database& db, const std::string& serialised_match_set,
                              const ShardView& shard_view, Xapian::doccount every_match) {
  const Xapian::Query match_set = Xapian::Query::unserialise(serialised_match_set);
  RemoteFacetSpies spies;
  Xapian::Enquire counting = CountingEnquire(db, match_set);
  spies.AddTo(counting);
  (void)counting.get_mset(0, 0, every_match);
  return CollectRemoteFacets(db, match_set, spies, shard_view, every_match);
}

// What a search needs to choose a hit's best page: the query's own
// (unexpanded) page terms and its phrases.
struct PageQuery {
  std::vector<std::string> terms;
  std::vector<std::vector<std::string>> phrases;
  bool wildcard = false;  // expansions are not among `terms`: read the matching terms instead
  // The query word (its index among the words typed) each term stands for:
  // a word gives several terms (as typed, stemmed, folded, per language),
  // which must count as one word, not several.
  std::map<std::string, size_t> word_of;
  // Every query word that gives each term, one bit a word (bit k for word
  // k; words from the 64th on share bit 63): two words can give one term
  // ("will" and "wills" give Zwill), and word_of keeps the first only.
  std::map<std::string, uint64_t> words_giving;
  void AddForm(const std::string& form, size_t k) {
    word_of.emplace(form, k);
    words_giving[form] |= uint64_t{1} << std::min<size_t>(k, 63);
  }
  // The stemmed (Z) forms of the words, in every language. Another
  // language's stems are read too: they count inflections the entry's own
  // stemmer keeps apart (French stems "microcrédit" and "microcrédits"
  // apart, English does not). StemsIn gives each language's own.
  std::set<std::string> stems;
  // The words typed, lowercased, and their folded forms; the languages
  // parsed for (a hit's language among them has its own stems).
  std::vector<std::string> words, folded_words;
  std::set<std::string> languages;
  // One language's own stems of the words (`stems`: its Z forms) and, for
  // each word, its unstemmed term -> its Z stem: the indexer puts the stem
  // at every position of the word (STEM_SOME_FULL_POS), so once the stem's
  // positions are read the word's add nothing. Made for the languages of
  // the hits only, at the first ask (StemsIn); none for a language the
  // query was not parsed for (an entry whose language the index's list
  // lacks: its language's stems are not among the query's).
  struct LanguageStems {
    std::set<std::string> stems;
    std::map<std::string, std::string> stem_of_word;
  };
  mutable std::map<std::string, LanguageStems> stems_in;
  const LanguageStems& StemsIn(const std::string& language) const {
    auto [it, added] = stems_in.try_emplace(language);
    if (added && languages.count(language)) {
      const Xapian::Stem stem = QueryStemmer(language);
      if (stem.is_none()) return it->second;
      for (size_t k = 0; k < words.size(); ++k) {
        const std::string word_stem = stem(words[k]);
        const std::string folded_stem = folded_words[k] == words[k] ? word_stem : stem(folded_words[k]);
        for (const std::string& form : {"Z" + word_stem, "ZXF" + folded_stem, "Z" + folded_stem}) it->second.stems.insert(form);
        if (!word_stem.empty()) it->second.stem_of_word.emplace(words[k], "Z" + word_stem);
      }
    }
    return it->second;
  }
  // The words that are their own stem among `terms`' stems ("report" for
  // "Zreport") and that the index holds: a stem's positions are read with
  // its word's (DropWordPositionsFromStems). Words the index lacks are not
  // looked up hit after hit. Found by the first best page that needs them
  // (a remote index answers each lookup over the network); a local search
  // asks HitTermPresence instead.
  mutable std::optional<std::set<std::string>> stem_words;
  const std::set<std::string>& StemWords(const Xapian::Database& db) const {
    if (!stem_words) {
      stem_words.emplace();
      for (const std::string& term : terms) {
        if (std::string word = WordOfStem(term); !word.empty() && db.term_exists(word)) stem_words->insert(std::move(word));
      }
    }
    return *stem_words;
  }
};

// Fills `query->word_of`: every form a query word takes in the parsed query
// (the word, Z + its stem, XF + its folded form, ZXF + the folded stem, Z +
// the folded stem), for each language's stemmer; and `query->stems`. A
// language whose stemmer stems every word as an earlier one did adds
// nothing (most of the index's languages, for most queries: the maps' and
// sets' inserts for each of 13 languages were 2.8 % of a search's
// instructions on the real PDFs).
void MapTermsToWords(const std::string& typed, const std::vector<std::string>& languages, PageQuery* query) {
  query->words = QueryWords(typed);
  query->languages.insert(languages.begin(), languages.end());
  const std::vector<std::string>& words = query->words;
  std::vector<std::string>& folded_words = query->folded_words;
  // The word and its folded forms, the same in every language (lowercase or
  // XF: none is a Z form below).
  for (size_t k = 0; k < words.size(); ++k) {
    const std::string& folded = folded_words.emplace_back(FoldAccents(words[k]));
    for (const std::string& form : {words[k], "XF" + folded, folded}) query->AddForm(form, k);
  }
  std::set<std::string> stemmed_alike;  // each language's stems of the words, once
  for (const std::string& language : languages) {
    const Xapian::Stem stem = QueryStemmer(language);
    std::vector<std::pair<std::string, std::string>> stems;  // of each word: as typed, folded
    std::string key = stem.is_none() ? "-" : "+";
    for (size_t k = 0; k < words.size(); ++k) {
      const std::string word_stem = stem(words[k]);
      const std::string folded_stem = folded_words[k] == words[k] ? word_stem : stem(folded_words[k]);
      ((((key += word_stem) += '\0') += folded_stem) += '\0');
      stems.emplace_back(word_stem, folded_stem);
    }
    if (!stemmed_alike.insert(std::move(key)).second) continue;
    for (size_t k = 0; k < words.size(); ++k) {
      const auto& [word_stem, folded_stem] = stems[k];
      for (const std::string& form : {"Z" + word_stem, "ZXF" + folded_stem, "Z" + folded_stem}) {
        query->AddForm(form, k);
        if (!stem.is_none()) query->stems.insert(form);
      }
    }
  }
}

// Which hits of one page of results hold a term, found for all of them at
// the first ask: the term's posting list walked once to each hit (in docid
// order), rather than a position list looked up hit after hit for nothing.
// Most of the lists BestPage asks for are not in the hit (another
// language's stem, a folded form, a word of the query the entry lacks:
// three lists in four on the real PDFs), and Xapian 1.4 reads each lookup's
// B-tree blocks from the file again (about two reads a list).
// With the reader's columns, a term's entries come from what they keep,
// read once per revision (FacetColumns::DocsOf): a term of one search
// comes back in the next.
class HitTermPresence {
 public:
  HitTermPresence(const Xapian::Database& db, std::vector<Xapian::docid> docids, const FacetColumns* columns)
      : db_(db), docids_(std::move(docids)), columns_(columns) {
    std::sort(docids_.begin(), docids_.end());
    docids_.erase(std::unique(docids_.begin(), docids_.end()), docids_.end());
  }
  // False only when `did`, one of the hits, does not hold `term`.
  bool MayHold(Xapian::docid did, const std::string& term) {
    const auto at = std::lower_bound(docids_.begin(), docids_.end(), did);
    if (at == docids_.end() || *at != did) return true;  // not one of the hits: not known
    auto [held, first_ask] = held_.try_emplace(term);
    if (first_ask) {
      held->second.assign(docids_.size(), false);
      if (const std::shared_ptr<const TermDocs> docs = columns_ ? columns_->DocsOf(db_, term) : nullptr) {
        for (size_t i = 0; i < docids_.size(); ++i) held->second[i] = docs->Contains(docids_[i]);
        return held->second[static_cast<size_t>(at - docids_.begin())];
      }
      Xapian::PostingIterator posting = db_.postlist_begin(term);
      const Xapian::PostingIterator end = db_.postlist_end(term);
      for (size_t i = 0; i < docids_.size() && posting != end; ++i) {
        posting.skip_to(docids_[i]);
        held->second[i] = posting != end && *posting == docids_[i];
      }
    }
    return held->second[static_cast<size_t>(at - docids_.begin())];
  }

 private:
  const Xapian::Database& db_;
  std::vector<Xapian::docid> docids_;
  const FacetColumns* columns_;  // of db_'s revision, or null
  std::map<std::string, std::vector<bool>> held_;
};

// What a local search's best pages read through, each optional:
struct LocalReads {
  // Which hits hold each term.
  HitTermPresence* presence = nullptr;
  // The position lists kept across searches. Only with `presence`: a stem's
  // list is merged with its word's by what the hit holds, the same from
  // search to search.
  const PositionCache::View* positions = nullptr;
  // The reader's columns of the searched database's revision: each entry's
  // page starts (kPageStartsColumn) without a value read.
  const FacetColumns* columns = nullptr;
};

// The page of a hit where the query matches best: the most occurrences of
// its phrases, then the most of its distinct words (a word's stemmed,
// unstemmed and folded terms count once), then the most positions where
// they occur (the first such page on a tie); page 1 when only
// title or boolean terms matched. The words counted leave out the function
// words of the entry's language (function_words.h) when the query has
// other words; of the terms that matched (`matching`), they count only when
// the others have no position in the entry, and when they are all that
// matched (no phrase asked), the page is the first where one stands. Reading the query terms' position lists
// is much cheaper than walking the document's whole term list
// (get_matching_terms), which is kept for wildcard queries, whose expansions
// are not among the query's terms, and when the query's terms give no
// position.
//
// Only the lists that can change the answer are read: not a word's
// unstemmed term once its stem in the entry's `language` gave positions
// (they are among the stem's), and each list once, also for the phrases.
// With `own_stems_only` (a remote index, where each list is a round trip to
// the entry's shard, and a search would read the stems of every language
// the shards hold), only the stems of the entry's language: the page can
// then differ from a local search's when another language's stemmer joins
// inflections the entry's keeps apart (never the hits or the total). (With
// a remote index, a short document's page is chosen from its pages' text
// instead: SearchIn.)
//
// Returns 0 when the query's terms gave no position: the caller then asks
// again with the terms that matched (`matching`, get_matching_terms).
//
// `local`: what a local search reads through (LocalReads).
uint32_t BestPage(const Xapian::Database& db, Xapian::docid did, const PageQuery& query, const std::string& language,
                  bool own_stems_only, const std::vector<std::string>* matching = nullptr,
                  const LocalReads& local = LocalReads()) {
  HitTermPresence* const presence = local.presence;
  const PositionCache::View* const positions = presence ? local.positions : nullptr;
  // What the positions read show (a long document's common word has
  // thousands of positions: flat vectors, each list merged in as it is
  // read, not a set node per position); the words each page holds are
  // tallied as each list is read, the positions and phrases at the end:
  std::vector<Xapian::termpos> all_positions;           // of the terms counted, each once (several terms can share one)
  std::vector<Xapian::termpos> merged;                  // scratch for merging a list into all_positions
  std::vector<std::pair<uint32_t, int>> page_words;     // (page, query word) past the 64 of PageTally::word_bits
  std::vector<Xapian::termpos> phrase_starts;           // a typed and a folded phrase can both start there
  std::map<std::string, int> other_words;               // a term that stands for no typed word counts as one
  std::optional<PageMap> page_map;  // read with the first position found
  // The entry's language's function words ("the", "de"; function_words.h)
  // stand on nearly every page: counted, they add a word to every page and
  // choose the page with the most of them. A term only they give is left
  // out when the query has other words (a phrase still reads their
  // positions, below), and of the terms that matched, counted only when
  // the others have no position here. (Their lists were the longest a
  // search read: a long document's "the" has thousands of positions.)
  uint64_t other_words_mask = 0, all_words_mask = 0;  // bits as in PageQuery::words_giving
  for (size_t k = 0; k < query.words.size(); ++k) {
    const uint64_t bit = uint64_t{1} << std::min<size_t>(k, 63);
    all_words_mask |= bit;
    if (k >= 63 || !IsFunctionWord(language, query.words[k])) other_words_mask |= bit;
  }
  auto FunctionWordTerm = [&](const std::string& name) {
    auto giving = query.words_giving.find(name);
    return giving != query.words_giving.end() && (giving->second & other_words_mask) == 0;
  };
  auto pages = [&]() -> const PageMap& {
    if (!page_map) {
      // Decoded once per revision when the position cache keeps it (under a
      // key no term has).
      static const std::string kPageMapKey("\x01pages", 6);
      PageMap::Decoded decoded = positions ? positions->Find(did, kPageMapKey) : nullptr;
      if (!decoded) {
        decoded = PageMap::Decode(local.columns ? local.columns->ValueOf(kPageStartsColumn, did)
                                                : db.get_document(did, Xapian::DOC_ASSUME_VALID).get_value(kValuePageStarts));
        if (positions) positions->Keep(did, kPageMapKey, decoded);
      }
      page_map.emplace(std::move(decoded));
    }
    return *page_map;
  };
  // The position lists read, by term (shared with the cache).
  std::map<std::string, PositionCache::Positions> read;
  auto positions_of = [&](const std::string& name) -> const std::vector<Xapian::termpos>& {
    auto [it, added] = read.try_emplace(name);
    if (added) {
      // (A term the hit does not hold has no list to look up: `presence`.)
      const bool held = !presence || presence->MayHold(did, name);
      // A stem shares its positions with the word that is its own stem
      // (DropWordPositionsFromStems; text format 5).
      // Whether the hit holds that word: `presence` knows (a local search);
      // otherwise only the words some entry holds are looked up.
      const std::string word = WordOfStem(name);
      const bool word_held =
          !word.empty() && (presence ? presence->MayHold(did, word) : query.StemWords(db).count(word) > 0);
      const bool cached = (held || word_held) && positions;  // no list to keep otherwise
      if (cached) it->second = positions->Find(did, name);
      if (!it->second) {
        auto list = std::make_shared<std::vector<Xapian::termpos>>();
        if (held) list->assign(db.positionlist_begin(did, name), db.positionlist_end(did, name));
        if (word_held) {
          const size_t own = list->size();
          list->insert(list->end(), db.positionlist_begin(did, word), db.positionlist_end(did, word));
          std::inplace_merge(list->begin(), list->begin() + own, list->end());
          list->erase(std::unique(list->begin(), list->end()), list->end());
        }
        if (cached) positions->Keep(did, name, list);
        it->second = std::move(list);
      }
    }
    return *it->second;
  };
  struct PageTally {
    size_t phrases = 0, words = 0, positions = 0;
    // The words counted here, one bit each (word_bit): a page's words are
    // its bits once every list is read, with no sort of (page, word) pairs
    // (2 % of a search's instructions).
    uint64_t word_bits = 0;
  };
  auto distinct = [](auto& list) {
    std::sort(list.begin(), list.end());
    list.erase(std::unique(list.begin(), list.end()), list.end());
  };
  // The tallies by page number, in a flat array as long as the last page
  // counted (a document's pages, at most): a map node per page cost 3 % of
  // a search's instructions on the real PDFs. Page numbers past kFlatPages
  // (a page-starts value with such numbers) are tallied in a map.
  constexpr uint32_t kFlatPages = 1u << 16;
  std::vector<PageTally> by_page;
  std::map<uint32_t, PageTally> by_page_beyond;
  auto tally = [&](uint32_t page) -> PageTally& {
    if (page >= kFlatPages) return by_page_beyond[page];
    if (page >= by_page.size()) {
      // Made as long as the document at the first page counted (growing
      // page by page was 1 % of a search).
      const uint32_t last = pages().LastPage();
      by_page.resize(static_cast<size_t>(std::min(std::max(page, last), kFlatPages - 1)) + 1);
    }
    return by_page[page];
  };
  // A word's bit in PageTally::word_bits: a typed word's index, then the
  // other terms' (-1, -2, …: other_words) after the typed words; -1 past 64.
  auto word_bit = [&](int word) -> int {
    const size_t bit = word >= 0 ? static_cast<size_t>(word) : query.words.size() + static_cast<size_t>(-1 - word);
    return bit < 64 ? static_cast<int>(bit) : -1;
  };
  auto count_positions = [&](const std::string& name) {
    auto typed = query.word_of.find(name);
    int word = 0;
    if (typed != query.word_of.end()) {
      word = static_cast<int>(typed->second);
    } else {
      word = other_words.try_emplace(name, -1 - static_cast<int>(other_words.size())).first->second;
    }
    const std::vector<Xapian::termpos>& positions = positions_of(name);  // sorted, each once
    if (positions.empty()) return;
    PageMap::Cursor cursor(pages());
    uint32_t last_page = 0;
    for (size_t i = 0; i < positions.size(); i = cursor.RunEnd(positions, i)) {
      const uint32_t page = cursor.PageOf(positions[i]);
      if (page != last_page) {
        if (const int bit = word_bit(word); bit >= 0) {
          tally(page).word_bits |= uint64_t{1} << bit;
        } else {
          page_words.emplace_back(page, word);
        }
      }
      last_page = page;
    }
    // (Into room made once rather than a position at a time through
    // back_inserter: 0.8 % of a search's instructions on the real PDFs.)
    if (all_positions.empty()) {
      all_positions.assign(positions.begin(), positions.end());
      return;
    }
    merged.resize(all_positions.size() + positions.size());
    const auto end = std::set_union(all_positions.begin(), all_positions.end(), positions.begin(), positions.end(),
                                    merged.begin());
    merged.resize(static_cast<size_t>(end - merged.begin()));
    all_positions.swap(merged);
  };
  if (matching) {
    // The terms that matched: the function words' only when the others
    // have no position here (a title match, a wildcard's page).
    for (const std::string& name : *matching) {
      if (IsPageTerm(name) && !FunctionWordTerm(name)) count_positions(name);
    }
    if (all_positions.empty() && query.phrases.empty()) {
      // Only function words matched here (a hit with some of the words:
      // "the" of "the karolinger"). They stand on nearly every page, and
      // the page with the most of them tells nothing: the first page where
      // one stands, from each list's first position. (Reading a long
      // document's "the" whole, hit after hit, was half of such a search.)
      std::optional<Xapian::termpos> first;
      auto first_of = [&](const std::string& term) {
        const Xapian::PositionIterator at = db.positionlist_begin(did, term);
        if (at != db.positionlist_end(did, term)) first = first ? std::min(*first, *at) : *at;
      };
      for (const std::string& name : *matching) {
        if (!IsPageTerm(name) || !FunctionWordTerm(name)) continue;
        first_of(name);
        // (A stem shares its positions with the word that is its own stem.)
        const std::string word = WordOfStem(name);
        if (!word.empty() && query.StemWords(db).count(word) > 0) first_of(word);
      }
      return first ? pages().PageOf(*first) : 1;
    }
    if (all_positions.empty()) {
      for (const std::string& name : *matching) {
        if (IsPageTerm(name) && FunctionWordTerm(name)) count_positions(name);
      }
    }
  } else if (!query.wildcard) {
    const bool skip_function_words = other_words_mask != 0 && other_words_mask != all_words_mask;
    auto counted = [&](const std::string& name) { return !skip_function_words || !FunctionWordTerm(name); };
    // Stems first: a word whose stem has positions here needs no other read.
    const PageQuery::LanguageStems& own = query.StemsIn(language);
    auto covered = [&](const std::string& name) {
      auto stem = own.stem_of_word.find(name);
      if (stem == own.stem_of_word.end()) return false;
      auto stem_read = read.find(stem->second);
      if (stem_read == read.end() || stem_read->second->empty()) return false;
      auto word = query.word_of.find(name), stem_word = query.word_of.find(stem->second);
      return word != query.word_of.end() && stem_word != query.word_of.end() && word->second == stem_word->second;
    };
    for (const std::string& name : query.terms) {
      if (!query.stems.count(name) || !counted(name)) continue;
      if (own_stems_only && !own.stems.count(name)) continue;
      count_positions(name);
    }
    for (const std::string& name : query.terms) {
      if (!query.stems.count(name) && counted(name) && !covered(name)) count_positions(name);
    }
  }
  if (all_positions.empty() && !matching) return 0;
  // A phrase occurs where its first term is at p, its second at p + 1, …
  // (positions never run across pages: kPageGap unused positions part them).
  for (const std::vector<std::string>& phrase : query.phrases) {
    std::vector<const std::vector<Xapian::termpos>*> positions;
    for (const std::string& term : phrase) {
      positions.push_back(&positions_of(term));
      if (positions.back()->empty()) break;
    }
    if (positions.size() != phrase.size() || positions.back()->empty()) continue;
    for (Xapian::termpos start : *positions[0]) {
      bool whole = true;
      for (size_t i = 1; i < positions.size() && whole; ++i) {
        whole = std::binary_search(positions[i]->begin(), positions[i]->end(), start + static_cast<Xapian::termpos>(i));
      }
      if (whole) phrase_starts.push_back(start);
    }
  }
  // all_positions is sorted and each once already (count_positions):
  // one update per run of positions on a page.
  if (!all_positions.empty()) {
    PageMap::Cursor cursor(pages());
    for (size_t i = 0; i < all_positions.size();) {
      const uint32_t page = cursor.PageOf(all_positions[i]);
      const size_t end = cursor.RunEnd(all_positions, i);
      tally(page).positions += end - i;
      i = end;
    }
  }
  // (A page's few bits counted one by one: std::popcount is a call into
  // libgcc without -mpopcnt.)
  auto count_words = [](PageTally& page) {
    for (uint64_t bits = page.word_bits; bits != 0; bits &= bits - 1) ++page.words;
  };
  for (PageTally& page : by_page) {
    if (page.word_bits != 0) count_words(page);
  }
  for (auto& [number, page] : by_page_beyond) count_words(page);
  distinct(page_words);
  for (const auto& [page, word] : page_words) ++tally(page).words;
  distinct(phrase_starts);
  for (Xapian::termpos start : phrase_starts) ++tally(pages().PageOf(start)).phrases;
  // The best page, the first (lowest number) on a tie, among the pages
  // something was counted on.
  uint32_t best = 1;
  const PageTally* best_score = nullptr;
  auto consider = [&](uint32_t page, const PageTally& score) {
    if (score.phrases == 0 && score.words == 0 && score.positions == 0) return;  // nothing counted there
    if (best_score == nullptr ||
        std::make_tuple(score.phrases, score.words, score.positions) >
            std::make_tuple(best_score->phrases, best_score->words, best_score->positions)) {
      best = page;
      best_score = &score;
    }
  };
  for (uint32_t page = 0; page < by_page.size(); ++page) consider(page, by_page[page]);
  for (const auto& [page, score] : by_page_beyond) consider(page, score);
  return best;
}

}  // namespace


// A read-only handle of the pool: Xapian handles are not thread-safe, so
// each is used by one search at a time; a search takes a free one.
struct ReaderSlot {
  std::unique_ptr<Xapian::Database> db;  // opened on first use
  std::unique_ptr<Xapian::Database> items;  // the item index; null while there is none
  uint64_t generation = 0;               // the Reopen() it has caught up with
  // Remote: `db` is the shards combined, reopened when Reopen() saw them
  // change (generation counts those) and made afresh when its connections
  // may be dead (epoch, Impl::connection_epoch); `items`, local, follows
  // every Reopen() (items_generation).
  uint64_t epoch = 0;
  uint64_t items_generation = 0;
  ShardView shard_view;  // of `db` as connected or last reopened
  // Remote: a second connection to each shard, which the facets' counting
  // pass uses on a thread of its own while the ranked pass and the hits
  // go on (SearchIn); connected, reopened and dropped with `db`.
  std::unique_ptr<Xapian::Database> counting;
  // Remote: the data folder's own page index (null when it has none), where
  // hits' best pages are chosen (SearchIn); its folder's inode and the
  // Reopen() it has caught up with.
  std::unique_ptr<Xapian::Database> local_pages;
  ino_t local_pages_folder = 0;
  uint64_t local_pages_generation = 0;
  // The index folder's inode when `db` was opened: a compaction swaps in
  // another folder. Xapian does not document that reopen() follows such a
  // swap (in a test it did), so the handle is opened afresh, which also
  // lets go of the old folder's deleted files.
  ino_t folder = 0;
};

// The inode of `path` (0 when it cannot be read).
ino_t FolderInode(const std::string& path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0 ? st.st_ino : 0;
}

// Keeps `*db` open on the database at `folder`: opened afresh when the
// folder is not the one it opened (`*opened`, its inode: a compaction
// swapped it), none when there is no folder, else reopened when `reopen`.
// Throws Xapian::Error.
void KeepOpen(const std::string& folder, bool reopen, std::unique_ptr<Xapian::Database>* db, ino_t* opened) {
  const ino_t now = FolderInode(folder);
  if (*db && now != *opened) db->reset();
  if (!*db) {
    if (now == 0) return;
    *db = std::make_unique<Xapian::Database>(folder);
    *opened = now;
  } else if (reopen) {
    (*db)->reopen();
  }
}

// A compaction's merge of user metadata: the item index's
// (ItemMetadataMerge), except that the word pairs are left out: the
// compacted index gets its set stored after (the sources' sets united, or
// one gathered afresh: CompactAndSwap).
class WithoutWordPairs : public ItemMetadataMerge {
 public:
  std::string resolve_duplicate_metadata(const std::string& key, size_t count, const std::string tags[]) override {
    if (MetadataKeyName(key) == WordPairSet::kMetadataKey) return "";
    return ItemMetadataMerge::resolve_duplicate_metadata(key, count, tags);
  }
};

// Where a compaction writes before the swap (removed at a writer's open if
// a run was killed: the path itself always holds a whole database).
std::string CompactingPath(const std::string& path) { return path + ".compacting"; }
// The empty database a compaction of the page index adds (CompactAndSwap).
std::string WordPairsMarkerPath(const std::string& path) { return path + ".word-pairs-marker"; }

// Compacts the database at `path` (or, given `sources`, those databases
// merged: docids renumbered one source after another) into
// CompactingPath(path) and swaps the two folders in one step; the old
// database is then deleted. On failure the path still holds the database it had.
// With `word_pairs` (the page index), the compacted database gets a
// WordPairSet when its text format is one whose positions the set can tell
// (kPageGap), and none otherwise: the union of the sources' sets when each
// has one valid for it and not Crowded(), else one gathered afresh from
// the entries (which reads every entry's positions: 3 s on 626 real PDFs,
// 24 s on 10,000 generated documents, against 0.3 and 0.6 s for the
// compaction itself).
Status CompactAndSwap(const std::string& path, const std::vector<std::string>& sources = {}, bool word_pairs = false) {
  const std::string fresh = CompactingPath(path);
  // With `word_pairs`: an empty database holding the key alone, compacted
  // last, makes the sources' sets a duplicate key, which the merge leaves
  // out (a set copied and then replaced would stay in the file as freed
  // blocks: 1 MiB on 626 real PDFs, at each compaction).
  const std::string marker = WordPairsMarkerPath(path);
  std::error_code ec;
  std::filesystem::remove_all(fresh, ec);
  std::filesystem::remove_all(marker, ec);
  try {
    Xapian::Database combined;
    std::optional<WordPairSet> kept;  // the union of the sources' sets, while each has one
    bool each_kept = true;
    for (const std::string& source : sources.empty() ? std::vector<std::string>{path} : sources) {
      const Xapian::Database one(source);
      combined.add_database(one);
      if (!word_pairs || !each_kept) continue;
      std::optional<WordPairSet> its =
          WordPairSet::Parse(one.get_metadata(WordPairSet::kMetadataKey), WordPairSet::StampOf(one));
      if (!its || its->Crowded()) {
        each_kept = false;
      } else if (!kept) {
        kept = std::move(its);
      } else {
        kept->Absorb(std::move(*its));
      }
    }
    if (!each_kept || (kept && kept->Crowded())) kept.reset();
    if (word_pairs) {
      Xapian::WritableDatabase key_alone(marker, Xapian::DB_CREATE_OR_OVERWRITE);
      key_alone.set_metadata(WordPairSet::kMetadataKey, "-");
      key_alone.commit();
      key_alone.close();
      combined.add_database(Xapian::Database(marker));
    }
    WithoutWordPairs metadata;  // the item index's merge; the page index's keys agree
    combined.compact(fresh, (sources.empty() ? Xapian::DBCOMPACT_NO_RENUMBER : 0) | Xapian::DBCOMPACT_MULTIPASS, 0,
                     metadata);
    std::filesystem::remove_all(marker, ec);
    if (word_pairs) {
      Xapian::WritableDatabase compacted(fresh, Xapian::DB_OPEN);
      const std::string format = compacted.get_metadata(kTextFormatKey);
      if (!format.empty() && std::strtoul(format.c_str(), nullptr, 10) >= TextIndex::kPageTextFormat) {
        const WordPairSet set = kept ? std::move(*kept) : WordPairSet::Gather(compacted);
        WordPairSet::Stamp stamp = WordPairSet::StampOf(compacted);
        ++stamp.revision;
        compacted.set_metadata(WordPairSet::kMetadataKey, set.Serialise(stamp));
      } else {
        compacted.set_metadata(WordPairSet::kMetadataKey, "");
      }
      compacted.commit();
    }
  } catch (const Xapian::Error& e) {
    std::filesystem::remove_all(fresh, ec);
    std::filesystem::remove_all(marker, ec);
    return FromXapianWrite(path, "compacting", e);
  }
  if (::renameat2(AT_FDCWD, fresh.c_str(), AT_FDCWD, path.c_str(), RENAME_EXCHANGE) != 0) {
    const int error = errno;
    std::filesystem::remove_all(fresh, ec);
    return Status::Internal(path + ": swapping in the compacted index: " + std::strerror(error));
  }
  std::filesystem::remove_all(fresh, ec);  // the old database now
  return Status::Ok();
}

namespace {

// The "HOST:PORT" inside the context Xapian gives a remote database's
// errors ("remote:tcp(HOST:PORT)"); "" when there is none.
std::string RemoteContextAddress(const Xapian::Error& e) {
  const std::string context = e.get_context();
  const size_t open = context.find("tcp(");
  const size_t close = context.rfind(')');
  if (open == std::string::npos || close == std::string::npos || close < open + 4) return "";
  return context.substr(open + 4, close - open - 4);
}

// A remote error's words: "Couldn't connect (Connection refused)".
std::string RemoteErrorWords(const Xapian::Error& e) {
  std::string words = e.get_msg();
  if (e.get_error_string() != nullptr && words.find(e.get_error_string()) == std::string::npos) {
    words += std::string(" (") + e.get_error_string() + ")";
  }
  return words;
}

}  // namespace

struct TextIndex::Impl {
  std::string path;
  std::string items_path;  // the item index beside it (item_index.h)
  std::string local_pages_path;  // remote: the data folder's own page index (may be absent)
  Mode mode;
  std::unique_ptr<Xapian::WritableDatabase> writer;
  std::unique_ptr<Xapian::WritableDatabase> items_writer;
  mutable std::mutex mutex;  // guards the writer (Xapian handles are not thread-safe)
  Xapian::TermGenerator term_generator;
  // The writer's WordPairSet (null when the index has no valid one: it is
  // then left stale until a compaction gathers it), and whether entries
  // changed since it was last written (CommitPageIndex).
  std::unique_ptr<WordPairSet> writer_pairs;
  bool writer_pairs_changed = false;

  // Loads the set the writer's index holds at its revision; an empty index
  // (no entry yet, so a set is complete from the start) gets a fresh one.
  // Throws Xapian::Error.
  void LoadWriterPairs() {
    std::optional<WordPairSet> set =
        WordPairSet::Parse(writer->get_metadata(WordPairSet::kMetadataKey), WordPairSet::StampOf(*writer));
    if (set) {
      writer_pairs = std::make_unique<WordPairSet>(std::move(*set));
    } else if (writer->get_doccount() == 0) {
      writer_pairs = std::make_unique<WordPairSet>(WordPairSet::kFreshLog2Bits);
    } else {
      writer_pairs = nullptr;
    }
    writer_pairs_changed = false;
  }
  // Commits the page index's writer, with its word pairs stamped with the
  // revision this commit makes when entries changed. Throws Xapian::Error.
  void CommitPageIndex() {
    if (writer_pairs && writer_pairs_changed) {
      WordPairSet::Stamp stamp = WordPairSet::StampOf(*writer);
      ++stamp.revision;
      // Stored at the size its pairs need (a fresh set is filled large).
      WordPairSet stored = *writer_pairs;
      stored.FoldToPairs();
      writer->set_metadata(WordPairSet::kMetadataKey, stored.Serialise(stamp));
    }
    writer->commit();
    writer_pairs_changed = false;
  }

  // Read-only mode: the WordPairSet of the latest revisions searched (a
  // search and a refresh may be a revision apart), null for a revision
  // without a valid one.
  std::mutex read_pairs_mutex;
  std::vector<std::pair<WordPairSet::Stamp, std::shared_ptr<const WordPairSet>>> read_pairs;
  // The set of `db`'s revision. Throws Xapian::Error.
  std::shared_ptr<const WordPairSet> WordPairsOf(const Xapian::Database& db) {
    const WordPairSet::Stamp stamp = WordPairSet::StampOf(db);
    std::lock_guard<std::mutex> lock(read_pairs_mutex);
    for (const auto& [known, set] : read_pairs) {
      if (known == stamp) return set;
    }
    std::optional<WordPairSet> parsed = WordPairSet::Parse(db.get_metadata(WordPairSet::kMetadataKey), stamp);
    std::shared_ptr<const WordPairSet> set = parsed ? std::make_shared<const WordPairSet>(std::move(*parsed)) : nullptr;
    if (read_pairs.size() >= 2) read_pairs.erase(read_pairs.begin());
    read_pairs.emplace_back(stamp, set);
    return set;
  }

  // Read-only mode: one handle per concurrent search, reopened lazily after Reopen().
  std::vector<std::unique_ptr<ReaderSlot>> readers;
  std::atomic<uint64_t> generation{1};
  // Read-only mode: the facet columns of each index at the latest revision searched.
  mutable FacetColumnCache item_columns{ItemFacetColumns()};
  // Document facets, in the order SearchDocuments reads them: year, entity,
  // language, source (the XS terms); then, not counted, the L terms with
  // their postings (kLanguageColumn), each entry's document id
  // (kDocIdColumn) and page starts (kPageStartsColumn).
  mutable FacetColumnCache page_columns{
      {{kValueYear, false},
       {kValueEntities, true},
       {kValueLanguage, false},
       {0, true, "XS"},
       {.term_prefix = "L", .postings = true, .counted = false},
       {.slot = kValueDocId, .counted = false},
       {.slot = kValuePageStarts, .counted = false}}};
  // Read-only mode: the position lists best pages read, kept across searches.
  mutable PositionCache positions{kPositionCacheBytes};
  // Read-only mode: PrepareRefresh()'s own handles, on which it makes the
  // facet columns of a new revision before the search handles move to it
  // (PrebuildColumns), and the folders they opened (a compaction swaps them).
  std::mutex refresh_mutex;
  std::unique_ptr<Xapian::Database> refresh_db;
  std::unique_ptr<Xapian::Database> refresh_items;
  ino_t refresh_folder = 0;
  ino_t refresh_items_folder = 0;

  // Remote (OpenRemote): the shards, how long each exchange may take, and
  // the state of the connections to them.
  bool is_remote = false;
  RemoteIndex remote;
  // Bumped when a shard stopped or started answering: every handle then
  // connects afresh before its next search (its connections may be dead).
  std::atomic<uint64_t> connection_epoch{1};
  // Bumped when Reopen() saw a shard change (the fingerprint moved).
  std::atomic<uint64_t> pages_generation{1};
  std::atomic<uint64_t> fingerprint{0};
  // Reopen()'s own connections, one per shard (null: not connected), which it
  // checks and fingerprints; used by the store's refresh thread only.
  std::mutex probe_mutex;
  std::vector<std::unique_ptr<Xapian::Database>> probes;
  bool probes_answered = false;
  // What the last look at the shards found (Health()).
  mutable std::mutex health_mutex;
  mutable Status health = Status::Ok();

  void SetHealth(const Status& status) const {
    std::lock_guard<std::mutex> lock(health_mutex);
    health = status;
  }

  // kUnavailable naming `shard`, or (none given) the shard `e`'s context names.
  Status ShardFailure(const Xapian::Error& e, const std::string& shard = "") const {
    std::string name = shard;
    const std::string address = RemoteContextAddress(e);
    if (name.empty()) {
      for (const RemoteShard& s : remote.shards) {
        if (address == s.host + ":" + std::to_string(s.port) || address == s.Name()) name = s.Name();
      }
      if (name.empty()) name = address.empty() ? "(one of " + std::to_string(remote.shards.size()) + ")" : address;
    }
    return Status::Unavailable("search index shard " + name + " (--remote-index) is not answering: " +
                               RemoteErrorWords(e) + "; searches fail until it is back");
  }

  // One new connection to each shard, combined into one database; kUnavailable
  // naming the first shard that does not answer within the timeout.
  Result<std::unique_ptr<Xapian::Database>> ConnectShards() const {
    auto combined = std::make_unique<Xapian::Database>();
    const auto ms = static_cast<unsigned>(remote.timeout.count());
    for (const RemoteShard& shard : remote.shards) {
      try {
        combined->add_database(Xapian::Remote::open(shard.host, shard.port, ms, ms));
      } catch (const Xapian::Error& e) {
        return ShardFailure(e, shard.Name());
      }
    }
    return combined;
  }

  // Free reader slots: a search waits (FIFO-ish, on a condition variable)
  // for any free slot rather than queueing on one busy slot's mutex.
  mutable std::mutex free_mutex;
  mutable std::condition_variable free_cv;
  mutable std::deque<ReaderSlot*> free_slots;  // taken from the front, given back at the back

  // A reader slot, taken from the free list (given back when the returned
  // handle goes), its database open and caught up with the last Reopen().
  struct SlotRelease {
    const Impl* impl;
    void operator()(ReaderSlot* slot) const {
      {
        std::lock_guard<std::mutex> lock(impl->free_mutex);
        impl->free_slots.push_back(slot);
      }
      impl->free_cv.notify_one();
    }
  };
  using SlotHandle = std::unique_ptr<ReaderSlot, SlotRelease>;

  // `pages`: the page index too (remote: connected), not only the item index.
  Result<SlotHandle> AcquireReader(bool pages = true) const {
    ReaderSlot* taken = nullptr;
    {
      std::unique_lock<std::mutex> lock(free_mutex);
      free_cv.wait(lock, [this] { return !free_slots.empty(); });
      taken = free_slots.front();
      free_slots.pop_front();
    }
    SlotHandle slot(taken, SlotRelease{this});
    DOSSIER_RETURN_IF_ERROR(is_remote ? CatchUpRemote(*slot, pages) : CatchUp(*slot));
    return slot;
  }

  // Remote: opens or reopens the slot's item index when it is behind the
  // last Reopen(), and (with `pages`) connects to the shards or reopens them
  // when Reopen() saw them change.
  Status CatchUpRemote(ReaderSlot& r, bool pages) const {
    const uint64_t wanted = generation.load();
    try {
      if (!r.items && std::filesystem::exists(items_path)) {
        r.items = std::make_unique<Xapian::Database>(items_path);
      } else if (r.items && r.items_generation != wanted) {
        r.items->reopen();
      }
      r.items_generation = wanted;
    } catch (const Xapian::Error& e) {
      r.items.reset();
      return FromXapian(items_path + ": opening a reader", e);
    }
    if (!pages) return Status::Ok();
    CatchUpLocalPages(r, wanted);
    const uint64_t epoch = connection_epoch.load();
    const uint64_t pages_wanted = pages_generation.load();
    if (r.db && r.epoch != epoch) r.db.reset();
    if (r.db && r.generation != pages_wanted) {
      try {
        r.db->reopen();
        if (r.counting) r.counting->reopen();
        r.shard_view = ReadShardView(*r.db);
        r.generation = pages_wanted;
      } catch (const Xapian::Error&) {
        r.db.reset();  // connected afresh below
      }
    }
    if (!r.db || !r.counting) {
      r.db.reset();
      r.counting.reset();
      Result<std::unique_ptr<Xapian::Database>> connected = ConnectShards();
      if (connected.ok()) {
        Result<std::unique_ptr<Xapian::Database>> counting = ConnectShards();
        if (!counting.ok()) connected = counting.status();
        else r.counting = std::move(counting).value();
      }
      if (!connected.ok()) {
        r.counting.reset();
        SetHealth(connected.status());
        return connected.status();
      }
      try {
        r.shard_view = ReadShardView(**connected);
      } catch (const Xapian::Error& e) {
        Status failed = ShardFailure(e);
        SetHealth(failed);
        return failed;
      }
      r.db = std::move(connected).value();
      r.generation = pages_wanted;
      r.epoch = epoch;
    }
    return Status::Ok();
  }

  // Remote: opens or reopens the data folder's own page index, which
  // `dossier merge` makes, when it has one; opened afresh when a compaction
  // swapped its folder. It only chooses best pages: without it (or when it
  // cannot be read) they come from the shards, slower, so no error.
  void CatchUpLocalPages(ReaderSlot& r, uint64_t wanted) const {
    try {
      KeepOpen(local_pages_path, r.local_pages_generation != wanted, &r.local_pages, &r.local_pages_folder);
      r.local_pages_generation = wanted;
    } catch (const Xapian::Error&) {
      r.local_pages.reset();
    }
  }

  // Throws Xapian::Error.
  static ShardView ReadShardView(const Xapian::Database& db) {
    ShardView terms;
    terms.languages = IndexLanguages(db);
    const Xapian::doccount entries = db.get_doccount();
    for (auto t = db.allterms_begin("XS"); t != db.allterms_end("XS"); ++t) {
      terms.source_terms.push_back(*t);
      if (t.get_termfreq() == entries) terms.on_every_entry.insert(*t);
    }
    return terms;
  }

  // Remote: Reopen()'s look at the shards: each probe connection reopened
  // (or made again), every shard's uuid, entry count, last docid and total
  // length read into the fingerprint. Handles reopen when it moved, and
  // connect afresh when a shard stopped or started answering.
  Status ProbeShards() {
    std::lock_guard<std::mutex> lock(probe_mutex);
    probes.resize(remote.shards.size());
    const auto ms = static_cast<unsigned>(remote.timeout.count());
    std::string print;
    Status status = Status::Ok();
    for (size_t i = 0; i < remote.shards.size() && status.ok(); ++i) {
      const RemoteShard& shard = remote.shards[i];
      // A probe connection may be dead though its shard answers again: one more try, connecting afresh.
      for (int attempt = 0; attempt < 2; ++attempt) {
        try {
          if (probes[i]) {
            probes[i]->reopen();
          } else {
            probes[i] = std::make_unique<Xapian::Database>(Xapian::Remote::open(shard.host, shard.port, ms, ms));
          }
          const Xapian::Database& db = *probes[i];
          print += db.get_uuid() + "/" + std::to_string(db.get_doccount()) + "/" + std::to_string(db.get_lastdocid()) +
                   "/" + std::to_string(db.get_total_length()) + ";";
          break;
        } catch (const Xapian::Error& e) {
          probes[i].reset();
          if (attempt == 1) status = ShardFailure(e, shard.Name());
        }
      }
    }
    if (status.ok() != probes_answered) connection_epoch.fetch_add(1);
    probes_answered = status.ok();
    SetHealth(status);
    if (!status.ok()) return status;
    const uint64_t now = std::hash<std::string>()(print);
    if (fingerprint.exchange(now) != now) pages_generation.fetch_add(1);
    return Status::Ok();
  }

  // The facet columns of the index's latest revision, made on the refresh's
  // own handles while the searches go on at the revision they hold
  // (PrepareRefresh): without this, the first search at a new revision made
  // them and every search at that revision waited (24 ms on 10,000
  // entries, 2.4 µs an entry), after each commit of an ingest that runs
  // while people search. Only for the caches searches used since their last
  // columns (FacetColumnCache::Prepare). Best effort: on an error the
  // searches make them as before. Remote: the item index's only (the page
  // index's shards keep no columns here).
  void PrebuildColumns() {
    std::lock_guard<std::mutex> lock(refresh_mutex);
    try {
      if (!is_remote) {
        KeepOpen(path, true, &refresh_db, &refresh_folder);
        if (refresh_db) page_columns.Prepare(*refresh_db);
      }
      KeepOpen(items_path, true, &refresh_items, &refresh_items_folder);
      if (refresh_items) item_columns.Prepare(*refresh_items);
    } catch (const Xapian::Error&) {
      refresh_db.reset();
      refresh_items.reset();
    }
  }

  // Opens or reopens a slot's database when it is behind the last Reopen().
  Status CatchUp(ReaderSlot& r) const {
    const uint64_t wanted = generation.load();
    try {
      if (r.db && r.generation != wanted && FolderInode(path) != r.folder) {
        r.db.reset();  // compacted: the path holds another folder now
        r.items.reset();
      }
      if (!r.db) {
        r.folder = FolderInode(path);
        r.db = std::make_unique<Xapian::Database>(path);
        r.generation = wanted;
      } else if (r.generation != wanted) {
        r.db->reopen();
        if (r.items) r.items->reopen();
        r.generation = wanted;
      }
      // A folder no writer of this version has opened yet has no item index.
      if (!r.items && std::filesystem::exists(items_path)) r.items = std::make_unique<Xapian::Database>(items_path);
    } catch (const Xapian::Error& e) {
      r.db.reset();
      r.items.reset();
      return FromXapian(path + ": opening a reader", e);
    }
    return Status::Ok();
  }
};

TextIndex::TextIndex(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
TextIndex::~TextIndex() = default;

Result<std::unique_ptr<TextIndex>> TextIndex::Open(const std::string& path, Mode mode) {
  auto impl = std::make_unique<Impl>();
  impl->path = path;
  impl->items_path = path + "-items";
  impl->mode = mode;
  try {
    if (mode == Mode::kWritable) {
      // What a killed compaction left (the swap had not happened, or it had
      // and the old database was not yet deleted: either way not the index;
      // and the empty database a compaction of the page index adds).
      for (const std::string& left : {CompactingPath(path), CompactingPath(impl->items_path), WordPairsMarkerPath(path)}) {
        std::error_code ec;
        std::filesystem::remove_all(left, ec);
      }
      impl->writer = std::make_unique<Xapian::WritableDatabase>(path, Xapian::DB_CREATE_OR_OPEN);
      impl->items_writer = std::make_unique<Xapian::WritableDatabase>(impl->items_path, Xapian::DB_CREATE_OR_OPEN);
      impl->LoadWriterPairs();
    } else {
      if (!std::filesystem::exists(path)) return Status::NotFound(path + ": no search index here");
      // Twice the cores: dossierd computed twice the cores' queries at once
      // until stop 63 (now one a core, query_admission.cc), and with one
      // handle per core half of the admitted searches then slept until a
      // handle was free, a context switch more each (8 % fewer requests/s
      // with 32 clients). Kept: a `--max-active-queries` raised for slow
      // storage finds them free.
      const size_t readers = std::clamp<size_t>(2 * std::thread::hardware_concurrency(), 2, 32);
      for (size_t i = 0; i < readers; ++i) impl->readers.push_back(std::make_unique<ReaderSlot>());
      impl->readers[0]->folder = FolderInode(path);
      impl->readers[0]->db = std::make_unique<Xapian::Database>(path);  // fails here when it cannot open
      if (std::filesystem::exists(impl->items_path)) {
        impl->readers[0]->items = std::make_unique<Xapian::Database>(impl->items_path);
      }
      impl->readers[0]->generation = impl->generation.load();
      for (const auto& slot : impl->readers) impl->free_slots.push_back(slot.get());
    }
  } catch (const Xapian::Error& e) {
    return FromXapian(path, e);
  }
  return std::unique_ptr<TextIndex>(new TextIndex(std::move(impl)));
}

Result<std::unique_ptr<TextIndex>> TextIndex::OpenRemote(const std::string& path, const RemoteIndex& remote) {
  if (remote.shards.empty()) return Status::InvalidArgument("--remote-index: no shard given");
  auto impl = std::make_unique<Impl>();
  impl->path = "--remote-index";  // how errors of the page index name it
  impl->items_path = path + "-items";
  impl->local_pages_path = path;
  impl->mode = Mode::kReadOnly;
  impl->is_remote = true;
  impl->remote = remote;
  const size_t readers = std::clamp<size_t>(std::thread::hardware_concurrency(), 2, 16);
  for (size_t i = 0; i < readers; ++i) impl->readers.push_back(std::make_unique<ReaderSlot>());
  // The item index, local, must open; the shards may come later (Health()).
  if (Status items = impl->CatchUpRemote(*impl->readers[0], false); !items.ok()) return items;
  (void)impl->ProbeShards();
  for (const auto& slot : impl->readers) impl->free_slots.push_back(slot.get());
  return std::unique_ptr<TextIndex>(new TextIndex(std::move(impl)));
}

bool TextIndex::IsRemote() const { return impl_->is_remote; }

Status TextIndex::Health() const {
  if (!impl_->is_remote) return Status::Ok();
  std::lock_guard<std::mutex> lock(impl_->health_mutex);
  return impl_->health;
}

Status TextIndex::ReplaceDocument(const Document& document, const std::vector<Fact>& facts) {
  std::lock_guard<std::mutex> lock(impl_->mutex);
  const std::string hex = document.id.ToHex();
  try {
    Xapian::Document entry;
    Xapian::TermGenerator& tg = impl_->term_generator;
    tg.set_stemmer(StemmerFor(document.language));
    tg.set_stemming_strategy(Xapian::TermGenerator::STEM_SOME_FULL_POS);
    tg.set_document(entry);
    std::set<TextSource> sources;
    std::vector<std::pair<uint32_t, Xapian::termpos>> page_starts;
    for (const PageText& page : document.pages) {
      const Xapian::termpos start = (page_starts.empty() ? 0 : tg.get_termpos()) + kPageGap;
      if (start >= 0xFFFFFFFFu - (1u << 24)) break;  // 4 billion words: the positions are 32-bit
      tg.set_termpos(start);
      page_starts.emplace_back(page.number, start + 1);
      IndexPageWords(tg, page.text);
      sources.insert(page.source);
    }
    DropUnfoldedPositions(entry);
    DropWordPositionsFromStems(entry);
    tg.set_termpos(0);
    // Title and author: their words, and their folded words when folding changes any.
    for (const auto& [text, prefix] : {std::pair{&document.title, "S"}, std::pair{&document.metadata.author, "A"}}) {
      const std::string words = RemoveElisions(*text);
      tg.index_text_without_positions(words, 1, prefix);
      const std::string folded = FoldAccents(words);
      if (folded != words) tg.index_text_without_positions(folded, 1, std::string("XF") + prefix);
    }
    entry.add_boolean_term(IdTerm(hex));
    entry.add_boolean_term("L" + document.language);
    for (TextSource source : sources) entry.add_boolean_term("XS" + std::string(TextSourceName(source)));
    if (!document.mime_type.empty()) entry.add_boolean_term("T" + document.mime_type);
    // Entities, from the extractors' facts, and the document's own date.
    std::string entity_names, year;
    for (const Fact& any : facts) {
      if (const auto* entity = std::get_if<EntityFact>(&any)) {
        if (entity->type != EntityType::kOrganisation && entity->type != EntityType::kProgramme) continue;
        const std::string& name = entity->name;
        entry.add_boolean_term("XE" + NameKey(name).substr(0, 200));
        for (const std::string& alias : entity->aliases) entry.add_boolean_term("XE" + NameKey(alias).substr(0, 200));
        entity_names += (entity_names.empty() ? "" : "\x1f") + name;
      } else if (const auto* date = std::get_if<DocumentDateFact>(&any)) {
        year = date->value.substr(0, 4);
      }
    }
    // The date the ingester chose (title_date.h): the metadata's only when it passed ChooseDate.
    if (!document.date.empty()) year = document.date.substr(0, 4);
    if (!year.empty()) {
      entry.add_boolean_term("Y" + year);
      entry.add_value(kValueYear, year);
    }
    entry.add_value(kValueEntities, entity_names);
    entry.add_value(kValueDocId, hex);
    entry.add_value(kValueLanguage, document.language);
    entry.add_value(kValuePageStarts, PageMap::Encode(page_starts));
    if (impl_->writer_pairs) impl_->writer_pairs->AddPairsOf(entry, document.language);
    impl_->writer_pairs_changed = true;
    impl_->writer->replace_document(IdTerm(hex), entry);
  } catch (const Xapian::Error& e) {
    return FromXapianWrite(impl_->path, "indexing " + hex, e);
  }
  try {
    ReplaceItemEntries(*impl_->items_writer, impl_->term_generator, document, facts);
  } catch (const Xapian::Error& e) {
    return FromXapianWrite(impl_->items_path, "indexing the items of " + hex, e);
  }
  return Status::Ok();
}

Status TextIndex::ReplaceItems(const Document& document, const std::vector<Fact>& facts) {
  std::lock_guard<std::mutex> lock(impl_->mutex);
  try {
    ReplaceItemEntries(*impl_->items_writer, impl_->term_generator, document, facts);
  } catch (const Xapian::Error& e) {
    return FromXapianWrite(impl_->items_path, "indexing the items of " + document.id.ToHex(), e);
  }
  return Status::Ok();
}

Status TextIndex::DeleteDocument(const DocumentId& id) {
  std::lock_guard<std::mutex> lock(impl_->mutex);
  try {
    impl_->writer_pairs_changed = true;  // (a pair it held stays in the set: a false positive)
    impl_->writer->delete_document(IdTerm(id.ToHex()));
    DeleteItemEntries(*impl_->items_writer, id);
  } catch (const Xapian::Error& e) {
    return FromXapianWrite(impl_->path, "deleting " + id.ToHex(), e);
  }
  return Status::Ok();
}

Status TextIndex::Commit() {
  std::lock_guard<std::mutex> lock(impl_->mutex);
  try {
    impl_->CommitPageIndex();
    impl_->items_writer->commit();
  } catch (const Xapian::Error& e) {
    return FromXapianWrite(impl_->path, "commit", e);
  }
  return Status::Ok();
}

Status TextIndex::WithWritersClosed(const std::string& what, const std::function<Status()>& work) {
  if (!impl_->writer) return Status::FailedPrecondition(impl_->path + ": " + what + " needs the writer");
  try {
    impl_->CommitPageIndex();
    impl_->items_writer->commit();
    impl_->writer.reset();  // the store's RocksDB lock keeps other writers out meanwhile
    impl_->items_writer.reset();
  } catch (const Xapian::Error& e) {
    return FromXapianWrite(impl_->path, "commit before " + what, e);
  }
  Status failed = work();
  try {
    impl_->writer = std::make_unique<Xapian::WritableDatabase>(impl_->path, Xapian::DB_CREATE_OR_OPEN);
    impl_->items_writer = std::make_unique<Xapian::WritableDatabase>(impl_->items_path, Xapian::DB_CREATE_OR_OPEN);
    impl_->LoadWriterPairs();
  } catch (const Xapian::Error& e) {
    return FromXapianWrite(impl_->path, "reopening after " + what, e);
  }
  return failed;
}

Result<TextIndex::CompactReport> TextIndex::Compact() {
  std::lock_guard<std::mutex> lock(impl_->mutex);
  CompactReport report;
  DOSSIER_RETURN_IF_ERROR(WithWritersClosed("compacting", [&]() -> Status {
    Status failed = Status::Ok();
    for (const std::string& path : {impl_->path, impl_->items_path}) {
      report.bytes_before += FolderBytes(path);
      if (Status s = CompactAndSwap(path, {}, path == impl_->path); !s.ok()) failed = s;
      report.bytes_after += FolderBytes(path);
    }
    return failed;
  }));
  return report;
}

Status TextIndex::ReplaceWithMergeOf(const std::vector<std::string>& indexes, const std::vector<DocumentId>& drop) {
  std::lock_guard<std::mutex> lock(impl_->mutex);
  if (!impl_->writer) return Status::FailedPrecondition(impl_->path + ": merging needs the writer");
  std::vector<std::string> items;
  for (const std::string& index : indexes) {
    items.push_back(index + "-items");
    for (const std::string& path : {index, items.back()}) {
      if (!std::filesystem::exists(path)) return Status::FailedPrecondition(path + ": no such index to merge");
    }
  }
  DOSSIER_RETURN_IF_ERROR(WithWritersClosed("merging", [&]() -> Status {
    DOSSIER_RETURN_IF_ERROR(CompactAndSwap(impl_->path, indexes, true));
    return CompactAndSwap(impl_->items_path, items);
  }));
  try {
    for (const DocumentId& id : drop) impl_->writer->delete_document(IdTerm(id.ToHex()));
    impl_->writer_pairs_changed = impl_->writer_pairs_changed || !drop.empty();
    impl_->CommitPageIndex();
  } catch (const Xapian::Error& e) {
    return FromXapianWrite(impl_->path, "dropping entries after merging", e);
  }
  try {
    for (const DocumentId& id : drop) DeleteItemEntries(*impl_->items_writer, id);
    impl_->items_writer->commit();
  } catch (const Xapian::Error& e) {
    return FromXapianWrite(impl_->items_path, "dropping item entries after merging", e);
  }
  return Status::Ok();
}

Status TextIndex::Reopen() {
  if (impl_->writer) return Status::Ok();  // a writer always sees its own state
  // Every reader catches up before its next search.
  impl_->generation.fetch_add(1);
  // Idle handles reopen now, right after the store's RocksDB caught up, so a
  // search never sees index entries newer than the documents it can read
  // (a handle reopened lazily later could). Busy ones reopen when freed.
  std::deque<ReaderSlot*> idle;
  {
    std::lock_guard<std::mutex> lock(impl_->free_mutex);
    idle.swap(impl_->free_slots);
  }
  Status status = Status::Ok();
  for (ReaderSlot* slot : idle) {
    // Remote: the local item index now; the shards' connections when a search needs them.
    Status s = impl_->is_remote ? impl_->CatchUpRemote(*slot, false) : impl_->CatchUp(*slot);
    if (status.ok() && !s.ok()) status = s;
  }
  {
    std::lock_guard<std::mutex> lock(impl_->free_mutex);
    impl_->free_slots.insert(impl_->free_slots.end(), idle.begin(), idle.end());
  }
  impl_->free_cv.notify_all();
  // The handles have moved on (a busy one does before its next search, and
  // its search holds the columns it began with).
  impl_->page_columns.ForgetPrevious();
  impl_->item_columns.ForgetPrevious();
  if (impl_->is_remote) {
    Status shards = impl_->ProbeShards();
    if (status.ok()) status = shards;
  }
  return status;
}

void TextIndex::PrepareRefresh() {
  if (!impl_->writer) impl_->PrebuildColumns();
}

Status TextIndex::Warm() const {
  if (impl_->writer) return Status::Ok();
  // Local: every handle of the pool opened (searches take them in turn, so
  // the first few searches each opened one); remote: one, for the item
  // index (the shards' connections are made as searches need them).
  std::vector<Impl::SlotHandle> slots;
  for (size_t i = 0; i < (impl_->is_remote ? 1 : impl_->readers.size()); ++i) {
    DOSSIER_ASSIGN_OR_RETURN(Impl::SlotHandle slot, impl_->AcquireReader(!impl_->is_remote));
    slots.push_back(std::move(slot));
  }
  // (An error names the index whose columns it met.)
  const ReaderSlot& slot = *slots.front();
  try {
    if (!impl_->is_remote && slot.db) (void)impl_->page_columns.For(*slot.db);
  } catch (const Xapian::Error& e) {
    return FromXapian(impl_->path + ": making the facet columns", e);
  }
  try {
    if (slot.items) (void)impl_->item_columns.For(*slot.items);
  } catch (const Xapian::Error& e) {
    return FromXapian(impl_->items_path + ": making the facet columns", e);
  }
  return Status::Ok();
}

uint64_t TextIndex::FacetColumnsRevision() const { return impl_->page_columns.Revision(); }

uint64_t TextIndex::ReadNumber(uint64_t (*read)(const Xapian::Database&)) const {
  try {
    if (impl_->writer) {
      std::lock_guard<std::mutex> lock(impl_->mutex);
      return read(*impl_->writer);
    }
    Result<Impl::SlotHandle> slot = impl_->AcquireReader();
    return slot.ok() ? read(*(*slot)->db) : 0;
  } catch (const Xapian::Error&) {
    return 0;
  }
}

uint64_t TextIndex::Revision() const {
  if (impl_->is_remote) return impl_->fingerprint.load();
  return ReadNumber([](const Xapian::Database& db) -> uint64_t { return db.get_revision(); });
}

uint32_t TextIndex::TextFormat() const {
  const uint32_t pages = static_cast<uint32_t>(ReadNumber([](const Xapian::Database& db) -> uint64_t {
    const std::string recorded = db.get_metadata(kTextFormatKey);
    return recorded.empty() ? 1 : std::strtoul(recorded.c_str(), nullptr, 10);
  }));
  // Format 3 added the item index; the writer records it there too.
  if (pages < 3 || !impl_->items_writer) return pages;
  std::lock_guard<std::mutex> lock(impl_->mutex);
  try {
    const std::string recorded = impl_->items_writer->get_metadata(kTextFormatKey);
    return std::min<uint32_t>(pages, recorded.empty() ? 2 : std::strtoul(recorded.c_str(), nullptr, 10));
  } catch (const Xapian::Error&) {
    return 2;
  }
}

Status TextIndex::SetTextFormat() {
  std::lock_guard<std::mutex> lock(impl_->mutex);
  try {
    impl_->writer->set_metadata(kTextFormatKey, std::to_string(kTextFormat));
    impl_->writer_pairs_changed = true;
    impl_->items_writer->set_metadata(kTextFormatKey, std::to_string(kTextFormat));
  } catch (const Xapian::Error& e) {
    return FromXapianWrite(impl_->path, "recording the text format", e);
  }
  return Status::Ok();
}

Result<std::vector<std::string>> TextIndex::ListEntries() const {
  // Every entry's unique id term ("Q" + hex id), and every document number
  // with its value 0 (the hex id), which must agree.
  auto list = [&](const Xapian::Database& db, std::vector<std::string>* out) -> Status {
    std::set<std::string> ids;
    for (auto t = db.allterms_begin("Q"); t != db.allterms_end("Q"); ++t) {
      const std::string term = *t;
      if (t.get_termfreq() != 1) return Status::DataLoss(impl_->path + ": index entry " + term.substr(1) + " is there " + std::to_string(t.get_termfreq()) + " times");
      ids.insert(term.substr(1));
    }
    if (ids.size() != db.get_doccount()) {
      return Status::DataLoss(impl_->path + ": " + std::to_string(db.get_doccount()) + " index entries, " +
                              std::to_string(ids.size()) + " of them with an id term");
    }
    out->assign(ids.begin(), ids.end());
    return Status::Ok();
  };
  std::vector<std::string> out;
  try {
    if (impl_->writer) {
      std::lock_guard<std::mutex> lock(impl_->mutex);
      DOSSIER_RETURN_IF_ERROR(list(*impl_->writer, &out));
    } else {
      DOSSIER_ASSIGN_OR_RETURN(Impl::SlotHandle slot, impl_->AcquireReader());
      DOSSIER_RETURN_IF_ERROR(list(*slot->db, &out));
    }
  } catch (const Xapian::Error& e) {
    return FromXapian(impl_->path + ": listing the index entries", e);
  }
  return out;
}

uint64_t TextIndex::EntryCount() const {
  return ReadNumber([](const Xapian::Database& db) -> uint64_t { return db.get_doccount(); });
}

Result<ItemSearchResponse> TextIndex::SearchItems(const ItemSearchRequest& request, const std::string& similar_in) const {
  // The writer's revision does not change before a commit, so its searches
  // make their columns afresh rather than share ones that may be out of date.
  auto search = [&](Xapian::Database& db, FacetColumnCache* columns = nullptr) -> Result<ItemSearchResponse> {
    for (int attempt = 0;; ++attempt) {
      try {
        return SearchItemEntries(db, request, similar_in, columns);
      } catch (const Xapian::DatabaseModifiedError& e) {
        if (attempt >= 2) return FromXapian(impl_->items_path + ": item search", e);
        db.reopen();
      } catch (const Xapian::QueryParserError& e) {
        return Status::InvalidArgument("query: " + e.get_msg());
      } catch (const Xapian::Error& e) {
        return FromXapian(impl_->items_path + ": item search", e);
      }
    }
  };
  if (impl_->items_writer) {
    std::lock_guard<std::mutex> lock(impl_->mutex);
    return search(*impl_->items_writer);
  }
  DOSSIER_ASSIGN_OR_RETURN(Impl::SlotHandle slot, impl_->AcquireReader(false));
  if (!slot->items) {
    return Status::FailedPrecondition(impl_->items_path + ": this data folder has no item index yet; the next "
                                      "dossier ingest (or dossier check --repair) makes it");
  }
  return search(*slot->items, &impl_->item_columns);
}

Result<std::map<std::string, uint64_t>> TextIndex::ItemEntries() const {
  try {
    if (impl_->items_writer) {
      std::lock_guard<std::mutex> lock(impl_->mutex);
      return ItemEntriesByDocument(*impl_->items_writer);
    }
    DOSSIER_ASSIGN_OR_RETURN(Impl::SlotHandle slot, impl_->AcquireReader(false));
    if (!slot->items) return std::map<std::string, uint64_t>();
    return ItemEntriesByDocument(*slot->items);
  } catch (const Xapian::Error& e) {
    return FromXapian(impl_->items_path + ": listing the item entries", e);
  }
}

Result<SearchResponse> TextIndex::Search(const SearchRequest& request, const HitReader& reader) const {
  if (impl_->writer) {
    std::lock_guard<std::mutex> lock(impl_->mutex);
    return SearchIn(*impl_->writer, request, reader, nullptr);
  }
  if (impl_->is_remote) {
    // A handle's connections may be dead though every shard answers (one
    // restarted, or closed the connection after its idle timeout): one more
    // try on fresh connections before the search fails naming the shard.
    for (int attempt = 0;; ++attempt) {
      Result<Impl::SlotHandle> slot = impl_->AcquireReader();
      if (!slot.ok()) return slot.status();
      Result<SearchResponse> found =
          SearchIn(*(*slot)->db, request, reader, nullptr, nullptr, &(*slot)->shard_view, (*slot)->counting.get(),
                   (*slot)->local_pages.get());
      if (found.ok() || found.status().code() != StatusCode::kUnavailable) return found;
      (*slot)->db.reset();
      (*slot)->counting.reset();
      if (attempt >= 1) {
        impl_->SetHealth(found.status());
        return found;
      }
    }
  }
  DOSSIER_ASSIGN_OR_RETURN(Impl::SlotHandle slot, impl_->AcquireReader());
  return SearchIn(*slot->db, request, reader, &impl_->page_columns, &impl_->positions);
}

Result<SearchResponse> TextIndex::SearchIn(Xapian::Database& db, const SearchRequest& request,
                                           const HitReader& reader, FacetColumnCache* column_cache,
                                           PositionCache* position_cache, const ShardView* remote,
                                           Xapian::Database* remote_counting, Xapian::Database* local_pages) const {
  SearchResponse response;
  response.query = request.query;
  response.offset = request.offset;
  response.limit = request.limit;
  // A writer may commit twice while we read; Xapian then throws
  // DatabaseModifiedError and a reopen gives a consistent view again.
  for (int attempt = 0;; ++attempt) {
    try {
      // A reader's columns (made once per revision): the facets, the
      // index's languages, and the language filter of each language's
      // parse, which checks a match's language with an array read rather
      // than moving the L terms' posting lists to it.
      const std::shared_ptr<const FacetColumns> page_columns = column_cache ? column_cache->For(db) : nullptr;
      std::vector<std::string> languages = remote         ? remote->languages
                                           : page_columns ? page_columns->TermsWithPrefix(db, "L")
                                                          : IndexLanguages(db);
      if (languages.empty()) return response;  // empty index

      // With --lang, only that language's documents can match: parse for it alone.
      if (!RestrictToLanguage(request.language, &languages)) return response;

      QueryParsers parsers;
      SetUpQueryParsers(db, [](Xapian::QueryParser& p) {
        p.add_prefix("title", "S");
        p.add_prefix("author", "A");
        p.add_boolean_prefix("lang", "L");
        p.add_boolean_prefix("source", "XS");
        p.add_boolean_prefix("doc", "Q");
        p.add_boolean_prefix("type", "T");
        p.add_boolean_prefix("year", "Y");
        // release(): Xapian owns the processor (without it, two leaked with every search).
        p.add_boolean_prefix("org", (new EntityFieldProcessor)->release());
      }, &parsers);
      parsers.folded.add_prefix("title", "XFS");
      parsers.folded.add_prefix("author", "XFA");
      if (remote) parsers.db = nullptr;  // a term's look-up is a round trip to every shard
      const PositionCache::View position_view = position_cache ? position_cache->For(db) : PositionCache::View();
      if (page_columns) {
        parsers.language_filter = [page_columns](const std::vector<std::string>& its_languages) {
          return Xapian::Query((new ColumnFilterSource(page_columns, kLanguageColumn, its_languages))->release());
        };
        parsers.held_in = [&page_columns, &db](const std::string& term, const std::vector<std::string>& its_languages) {
          return page_columns->MayHold(db, kLanguageColumn, term, its_languages);
        };
        parsers.held_anywhere = [&page_columns, &db](const std::string& term) { return page_columns->Holds(db, term); };
      }
      const std::string typed = RemoveElisions(request.query);
      // Each document was stemmed in its own language: the query is parsed
      // once per language and each parse matches only that language
      // (ParseInEachLanguage). The whole query with the parsers' default
      // operator: OP_AND for the search itself, OP_OR for documents with
      // only some of its words. With `adjacent_boost`, a document where the
      // words of the query stand side by side as typed ("management
      // response") ranks above one that has them pages apart; what matches
      // is the same. With `every_language`, no language's subquery is left
      // out for lack of the terms it needs (QueryParsers::held_in): the
      // query then holds each language's terms, which the best page reads.
      auto build = [&](Xapian::Query::op default_op, bool adjacent_boost, ParsePurpose purpose = ParsePurpose::kRank,
                       bool every_language = false) {
        std::function<bool(const std::string&, const std::vector<std::string>&)> held_in;
        if (every_language) std::swap(held_in, parsers.held_in);
        Xapian::Query query = ParseInEachLanguage(parsers, request.query, languages, default_op, adjacent_boost, purpose);
        if (every_language) std::swap(held_in, parsers.held_in);
        if (request.language) query = Xapian::Query(Xapian::Query::OP_FILTER, query, Xapian::Query("L" + *request.language));
        if (request.text_source) {
          query = Xapian::Query(Xapian::Query::OP_FILTER, query,
                                Xapian::Query("XS" + std::string(TextSourceName(*request.text_source))));
        }

        if (request.mime_type) {
          query = Xapian::Query(Xapian::Query::OP_FILTER, query, Xapian::Query("T" + *request.mime_type));
        }
        if (request.entity) {
          query = Xapian::Query(Xapian::Query::OP_FILTER, query, Xapian::Query("XE" + NameKey(*request.entity).substr(0, 200)));
        }
        if (request.year_from || request.year_to) {
          query = Xapian::Query(Xapian::Query::OP_FILTER, query,
                                YearRangeQuery(kValueYear, request.year_from, request.year_to));
        }
        return query;
      };
      // `query` decides what matches, and gives the best page and snippet
      // their terms and phrases: every language's stems of the words, also
      // where no entry of that language holds them (another language's
      // stemmer can join inflections the entry's keeps apart: BestPage).
      // `ranked` matches the same without the subqueries that cannot match.
      // Local: without the adjacency boost, whose phrases (`boost`, empty
      // when the query has none) weigh the best kBoostWindow matches again
      // below. Remote: with it (a shard knows no Dossier posting source,
      // which those passes need).
      const Xapian::Query query = build(Xapian::Query::OP_AND, false, ParsePurpose::kRank, true);
      const Xapian::Query ranked = build(Xapian::Query::OP_AND, remote != nullptr);
      const Xapian::Query boost = remote ? Xapian::Query()
                                         : ParseInEachLanguage(parsers, request.query, languages, Xapian::Query::OP_AND,
                                                               true, ParsePurpose::kBoost);

      Xapian::Enquire enquire(db);
      enquire.set_query(ranked);
      // Remote: each hit's id comes with the MSet as its collapse key, which
      // collapses nothing (an id is on one entry), instead of a round trip
      // to its shard for the entry.
      if (remote) enquire.set_collapse_key(kValueDocId);
      // Facets: a reader counts every match from its facet columns
      // (CountEveryMatch); a writer's handle counts at least the first
      // kFacetSample matches with spies reading values.
      Xapian::ValueCountMatchSpy year_spy(kValueYear);
      MultiValueFacetSpy entity_spy(kValueEntities);
      Xapian::ValueCountMatchSpy language_spy(kValueLanguage);
      TermFacetSpy source_spy("XS");
      const std::shared_ptr<const FacetColumns> columns = request.facets ? page_columns : nullptr;
      std::optional<FacetColumnSpy> column_spy;
      std::future<SpiedFacets> remote_counted;
      Xapian::doccount check = request.offset + request.limit + 1;
      // A phrase one of an OR's alternatives (`"a b" OR c`; the widened
      // pass below): every match is looked at, so that no match's weight is
      // below a bar the page sets. Past such a bar Xapian 1.4.22 turns the
      // OR into an AND_MAYBE, check()s the phrase, and can step past
      // entries that belong on the page, which ones depending on the page's
      // size (on 626 real PDFs, 8 of 600 queries of two words and a phrase
      // listed other documents at --limit 3 than the first 3 at --limit 10).
      // (Asked of `query`: a remote `ranked` holds the boost's phrases under
      // AND_MAYBE, which weigh and do not decide what matches.)
      if (PhraseUnderOr(query)) check = std::max(check, db.get_doccount());
      const Xapian::doccount every_match = std::min(db.get_doccount(), kFacetExactUpTo);
      if (columns) {
        column_spy.emplace(*columns);
        // Terms joined by AND and OR (a query of words, each language's
        // parse filtered by its L terms): the matches from the columns'
        // lists of the terms, which the parse has mostly read already
        // (held_in), with no counting pass over the index (14 % of a
        // search's CPU on 10,000 generated documents).
        std::optional<bool> exact;
        {
          std::function<Xapian::Query(const std::vector<std::string>&)> filter;
          std::swap(filter, parsers.language_filter);
          const Xapian::Query by_terms = build(Xapian::Query::OP_AND, false, ParsePurpose::kMatchSet);
          std::swap(filter, parsers.language_filter);
          exact = CountEveryMatchFromColumns(db, *columns, by_terms, &*column_spy);
        }
        if (!exact) exact = CountEveryMatch(db, build(Xapian::Query::OP_AND, false, ParsePurpose::kMatchSet), &*column_spy);
        response.facets_exact = *exact;
      } else if (request.facets && remote) {
        // A counting pass of its own, as CountEveryMatch: the shards check
        // every match with the cheaper unranked query, and weigh and rank only
        // what the ranked pass needs (early termination): p50 17 % lower in
        // bench/remote.sh than a ranked pass over every match. It runs on the
        // slot's second connections, on a thread of its own, while this one
        // runs the ranked pass and reads the hits' pages (without a second
        // handle, here first). The thread gets its query serialised and
        // shares no subquery with this one (CountRemoteFacets).
        Xapian::Database& counting_db = remote_counting ? *remote_counting : db;
        remote_counted = std::async(remote_counting ? std::launch::async : std::launch::deferred,
                                    CountRemoteFacets, std::ref(counting_db),
                                    build(Xapian::Query::OP_AND, false, ParsePurpose::kMatchSet).serialise(),
                                    std::cref(*remote), every_match);
        if (!remote_counting) remote_counted.wait();
      } else if (request.facets) {
        enquire.add_matchspy(&year_spy);
        enquire.add_matchspy(&entity_spy);
        enquire.add_matchspy(&language_spy);
        enquire.add_matchspy(&source_spy);
        check += kFacetSample;
      }
      // (A reader's: a writer's own handle may hold entries its set does not yet.)
      const std::shared_ptr<const WordPairSet> word_pairs =
          impl_->writer || remote ? nullptr : impl_->WordPairsOf(db);
      // The boost, unless none of its phrases can stand anywhere.
      const bool boosting =
          !boost.empty() && (word_pairs == nullptr || AnyBoostPhraseMayMatch(parsers, request.query, languages, *word_pairs));
      // With the boost, the ranked pass gives the candidates it reorders,
      // from the first match (and the page's matches past them).
      Xapian::MSet mset = !boosting
                              ? enquire.get_mset(request.offset, request.limit, check)
                              : enquire.get_mset(0, std::max(kBoostWindow, request.offset + request.limit), check);
      response.total = mset.get_matches_estimated();
      response.total_exact = mset.get_matches_lower_bound() == mset.get_matches_upper_bound();
      if (columns) {
        response.facets["year"] = column_spy->Top(0, SIZE_MAX);
        response.facets["entity"] = column_spy->Top(1, kEntityFacetValues);
        response.facets["language"] = column_spy->Top(2, SIZE_MAX);
        response.facets["source"] = column_spy->Top(3, SIZE_MAX);
        if (response.facets_exact) {  // every match was counted: the total too
          response.total = column_spy->Seen();
          response.total_exact = true;
        }
      } else if (request.facets && !remote) {
        response.facets["year"] = FacetOf(year_spy);
        response.facets["entity"] = TopFacetValues(entity_spy.counts, kEntityFacetValues);
        response.facets["language"] = FacetOf(language_spy);
        response.facets["source"] = TopFacetValues(source_spy.counts, SIZE_MAX);
        response.facets_exact = SawEveryMatch(year_spy.get_total(), check, mset);
      }
      // The query's own page terms and phrases, for BestPage.
      // (A wildcard's expansions are not among the query's terms: its words
      // are found by the terms that matched, or by its prefix.)
      std::vector<std::string> query_page_terms;
      for (auto t = query.get_unique_terms_begin(); t != query.get_unique_terms_end(); ++t) {
        if (IsPageTerm(*t)) query_page_terms.push_back(*t);
      }
      PageQuery page_query;
      page_query.wildcard = request.query.find('*') != std::string::npos;
      if (!page_query.wildcard) page_query.terms = query_page_terms;
      CollectPhrases(query, &page_query.phrases);
      // Each language's parse holds the typed phrases again (phrase words are not stemmed).
      std::set<std::vector<std::string>> seen_phrases;
      std::erase_if(page_query.phrases, [&](const std::vector<std::string>& p) { return !seen_phrases.insert(p).second; });
      MapTermsToWords(typed, languages, &page_query);
      // What the snippet looks for: the same terms and phrases, the words as
      // typed, and a wildcard's words by its prefix (Xapian's snippet, which
      // stems every word of the page to find the expansions, was a third of
      // a wildcard search's instructions).
      SnippetQuery snippet_query;
      snippet_query.terms = std::move(query_page_terms);
      snippet_query.phrases = page_query.phrases;
      snippet_query.typed = request.query;
      snippet_query.prefixes = WildcardPrefixes(request.query);
      // Remote with the data folder's own page index: a hit it holds has its
      // page chosen there, as a local search chooses it (all the query's
      // terms; the folder's text is what the snippet shows anyway). Only a
      // hit it lacks reads the shard's lists, with the cuts below.
      const PageQuery local_page_query = local_pages ? page_query : PageQuery();
      // Remote without it: every position list BestPage reads is a round trip to the
      // hit's shard, which xapian-tcpsrv (1.4) answers with one message per
      // position, a write each. A document of at most kScoredPagesUpTo
      // pages has its best page chosen from its pages' text instead, which
      // the store holds (ScorePage, by BestPage's criteria; a wildcard's
      // words by its prefix): reading a few pages costs less than the
      // exchanges. A longer one's text would cost more than its lists
      // (measured on real manuals of hundreds of pages: p50 twice as long).
      // Its terms that no shard holds (another language's stem, a folded
      // form the words lack) are not read, nor phrases with such a term:
      // they have no positions to change the page. Nor, when the query has
      // other words, those of a word in most documents ("the", "for"): it
      // stands on nearly every page, and a long document's list of it is
      // thousands of messages (a search with "the" took a second on real
      // manuals). (The statistics of the match know each term's
      // frequency: no round trip.)
      SnippetQuery page_text_query = snippet_query;
      // A term no entry holds (another language's stem of the word, a folded
      // form no word has) has no position in any hit: it is not looked up hit
      // after hit, nor a phrase with it.
      // (A term the ranked query lacks, left out for its languages'
      // entries, is not in the match's statistics: the reader's columns
      // know whether any entry holds it, where the MSet would look it up in
      // the index again.)
      auto held_nowhere = [&](const std::string& term) {
        return page_columns ? !page_columns->Holds(db, term) : mset.get_termfreq(term) == 0;
      };
      std::erase_if(page_query.terms, held_nowhere);
      std::erase_if(page_query.phrases, [&](const std::vector<std::string>& phrase) {
        return std::any_of(phrase.begin(), phrase.end(), held_nowhere);
      });
      if (remote) {
        // A word is in most entries when one of its terms is (its stem in
        // one language, unstemmed...): all its terms are left out.
        const double entries = db.get_doccount();
        std::set<size_t> words_in_most;
        for (const std::string& term : page_query.terms) {
          auto word = page_query.word_of.find(term);
          if (word != page_query.word_of.end() && mset.get_termfreq(term) > kInMostEntries * entries) {
            words_in_most.insert(word->second);
          }
        }
        auto in_most = [&](const std::string& term) {
          auto word = page_query.word_of.find(term);
          return word != page_query.word_of.end() && words_in_most.count(word->second) > 0;
        };
        if (!std::all_of(page_query.terms.begin(), page_query.terms.end(), in_most)) {
          std::erase_if(page_query.terms, in_most);
          std::erase_if(page_query.phrases, [&](const std::vector<std::string>& phrase) {
            return std::any_of(phrase.begin(), phrase.end(), in_most);
          });
        }
      }
      // Made ready once for every hit's page (SnippetMatcher).
      const SnippetMatcher snippet_matcher(snippet_query);
      const SnippetMatcher page_text_matcher(page_text_query);
      response.hits.clear();
      // The rank of the last hit added (add_hits).
      uint32_t rank = request.offset;
      // Xapian's snippets' stemmers, by language: one for all the hits of
      // this search (FoldingStemmer keeps the stems it made).
      std::map<std::string, Xapian::Stem> snippet_stemmers;
      // A hit of `set` (below) and its weight.
      using WeighedHit = std::pair<Xapian::MSetIterator, double>;
      // The page terms of each Enquire's query and their entries, for the
      // hits whose best page needs the terms they hold (add_hits).
      std::map<const Xapian::Enquire*, std::optional<FacetColumns::QueryTerms>> query_terms;
      // `hits`, of `set` (made by `from`), ranked on from `rank`.
      auto add_hits = [&](const Xapian::Enquire& from, const Xapian::MSet& set, const std::vector<WeighedHit>& hits,
                          bool all_words, double max_weight) -> Status {
        // Local: which hits hold each term BestPage asks for, found once for
        // all of them (HitTermPresence). Remote: a posting list is a round
        // trip to every shard, and the lists are cut otherwise (below).
        std::optional<HitTermPresence> presence;
        if (!remote) {
          std::vector<Xapian::docid> docids;
          for (const auto& [it, weight] : hits) docids.push_back(*it);
          presence.emplace(db, std::move(docids), page_columns.get());
        }
        for (const auto& [it, weight] : hits) {
          SearchHit hit;
          hit.rank = ++rank;
          hit.all_words = all_words;
          // Relative to the best match's weight. (Xapian's own percentage also
          // scales by the share of the query's terms the best document has:
          // with the folded half and one parse per language, even an exact
          // match of every word lacks most of them.)
          hit.percent = max_weight > 0 ? std::clamp(static_cast<int>(std::lround(100 * weight / max_weight)), 0, 100) : 100;
          // Remote: the id came with the hit as its collapse key (no round
          // trip to the shard for the entry).
          if (remote) {
            Result<DocumentId> id = DocumentId::FromHex(it.get_collapse_key());
            if (!id.ok()) continue;
            hit.id = *id;
          } else {
            // (From the reader's column: no value read.)
            Result<DocumentId> id = DocumentId::FromHex(page_columns ? page_columns->ValueOf(kDocIdColumn, *it)
                                                                     : it.get_document().get_value(kValueDocId));
            if (!id.ok()) continue;
            hit.id = *id;
          }
          DOSSIER_RETURN_IF_ERROR(reader.describe(&hit));
          if (hit.title.empty() && hit.source_paths.empty()) {
            // The store has no such document (removed since the index was
            // read, or not yet seen by this reader): no page to read, and
            // QueryService leaves the hit out.
            hit.page = 1;
            response.hits.push_back(std::move(hit));
            continue;
          }
          // The language the page and snippet are stemmed in: the store's
          // record's, which the hit shows (the index entry's value, written
          // from the same document, was one more read a hit).
          const std::string language = hit.language;
          std::optional<Result<PageText>> best_page_text;
          // Remote: the page whose text matches best (ScorePage), from the store.
          auto score_pages = [&]() -> Status {
            Result<std::vector<PageText>> pages = reader.pages(hit.id);
            if (!pages.ok() && !pages.status().IsNotFound()) return pages.status();
            hit.page = 1;
            if (pages.ok() && !pages->empty()) {
              const Xapian::Stem stemmer = StemmerFor(language);
              size_t best = 0;
              PageScore best_score;
              // Without the language's function words first; with them
              // when the query's other words are on no page (as BestPage).
              // Each page's elisions marked once for both passes.
              std::vector<std::string> marked;
              marked.reserve(pages->size());
              for (const PageText& page : *pages) marked.push_back(MarkElisions(page.text));
              for (const std::string& leaving_out : {language, std::string()}) {
                for (size_t k = 0; k < marked.size(); ++k) {
                  const PageScore score = page_text_matcher.Score(marked[k], stemmer, leaving_out);
                  if (k == 0 || score.Key() > best_score.Key()) {
                    best = k;
                    best_score = score;
                  }
                }
                // (A language without function words leaves nothing out:
                // the second pass would score the same.)
                if (best_score.Key() != PageScore().Key() || !KnowsFunctionWords(language)) break;
              }
              hit.page = (*pages)[best].number;
              best_page_text = std::move((*pages)[best]);
            }
            return Status::Ok();
          };
          Xapian::docid local_entry = 0;  // the hit's entry in `local_pages`
          if (local_pages && hit.page_count > 1) {
            const std::string id_term = IdTerm(hit.id.ToHex());
            Xapian::PostingIterator held = local_pages->postlist_begin(id_term);
            if (held != local_pages->postlist_end(id_term)) local_entry = *held;
          }
          if (hit.page_count == 1) {
            hit.page = 1;  // no other page to choose
          } else if (local_entry != 0) {
            hit.page = BestPage(*local_pages, local_entry, local_page_query, language, false);
            // No position of the query's terms (a wildcard): from the text.
            if (hit.page == 0) DOSSIER_RETURN_IF_ERROR(score_pages());
          } else if (remote && hit.page_count <= kScoredPagesUpTo) {
            DOSSIER_RETURN_IF_ERROR(score_pages());
          } else {
            LocalReads local;
            if (presence) local = {&*presence, &position_view, page_columns.get()};
            hit.page = BestPage(db, *it, page_query, language, remote != nullptr, nullptr, local);
            if (hit.page == 0 && remote) {
              // Not the terms that matched: a remote term list carries every
              // term's frequency, looked up on the shard (seconds for a long
              // document).
              DOSSIER_RETURN_IF_ERROR(score_pages());
            } else if (hit.page == 0) {
              // No page term of the query has a position here (a wildcard,
              // a title match): the query's terms the entry holds, as
              // get_matching_terms lists them (Xapian 1.4 lists no
              // wildcard's expansions), but from the columns' lists of the
              // terms rather than a walk of the entry's whole term list (41 %
              // of a wildcard search's instructions on the real PDFs).
              std::optional<std::vector<std::string>> matching;
              if (page_columns) {
                // (The query's terms and their entries found once for all
                // of `from`'s hits.)
                auto [terms, first] = query_terms.try_emplace(&from);
                if (first) terms->second = FacetColumns::QueryTerms::Of(*page_columns, db, from.get_query(), IsPageTerm);
                if (terms->second) matching = terms->second->HeldBy(*it);
              }
              if (!matching) matching.emplace(from.get_matching_terms_begin(it), from.get_matching_terms_end(it));
              hit.page = BestPage(db, *it, page_query, language, false, &*matching);
            }
          }
          Result<std::shared_ptr<const PageText>> page;
          if (!best_page_text) {
            page = reader.page(hit.id, hit.page);
          } else if (best_page_text->ok()) {
            page = std::make_shared<const PageText>(std::move(**best_page_text));
          } else {
            page = best_page_text->status();
          }
          // A page removed since the index read leaves the snippet blank; a
          // damaged one is an error, not a blank snippet.
          if (!page.ok() && !page.status().IsNotFound()) return page.status();
          if (page.ok()) {
            const PageText& text_of_page = **page;
            hit.ocr_confidence = text_of_page.ocr_confidence;
            hit.page_source = text_of_page.source;
            // Elision apostrophes become word breaks while the snippet is cut
            // (so "l’entrepreneuriat" shows with "entrepreneuriat" marked).
            // The passage is where the query's phrases, then the most of its
            // words, then the most of them as typed stand (snippet.h).
            const std::string text = MarkElisions(text_of_page.text);
            std::string html = snippet_matcher.BestPassage(text, StemmerFor(language), kSnippetBytes, language);
            if (html.empty()) {
              // No page word matches (a title match): Xapian's
              // snippet, which then shows the page's start. Without
              // SNIPPET_BACKGROUND_MODEL: that looks up the frequency of every
              // word of the page in the index (one B-tree read each), about
              // half of a search's CPU time. Accented words are looked up by
              // their folded stems too.
              auto [stemmer, added] = snippet_stemmers.try_emplace(language);
              if (added) stemmer->second = Xapian::Stem(new FoldingStemmer(StemmerFor(language)));
              html = set.snippet(text, kSnippetBytes, stemmer->second, 0, "<mark>", "</mark>", "…");
            }
            hit.snippet_html = RestoreElisionMarks(html);
          }
          response.hits.push_back(std::move(hit));
        }
        return Status::Ok();
      };
      // The hits with every word on this page, and the best match's weight.
      std::vector<WeighedHit> page_hits;
      double best_weight = mset.get_max_attained();
      if (!boosting) {
        for (auto it = mset.begin(); it != mset.end(); ++it) page_hits.emplace_back(it, it.get_weight());
      } else {
        // The candidates (the best kBoostWindow matches) in the boosted
        // query's order (BoostCandidates); past them, the ranked pass's.
        const size_t candidates = std::min<size_t>(mset.size(), kBoostWindow);
        std::vector<std::pair<Xapian::docid, double>> weighed;
        std::unordered_map<Xapian::docid, Xapian::MSetIterator> hit_of;
        Xapian::MSetIterator it = mset.begin();
        for (size_t i = 0; i < candidates; ++i, ++it) {
          weighed.emplace_back(*it, it.get_weight());
          hit_of.emplace(*it, it);
        }
        // (A page past the candidates still shows percentages of the best
        // of them.)
        const bool in_window = request.offset < candidates;
        const size_t page_end = size_t{request.offset} + request.limit;
        const Xapian::doccount wanted = in_window ? static_cast<Xapian::doccount>(std::min(page_end, candidates)) : 1;
        const std::vector<std::pair<double, Xapian::docid>> best =
            BoostCandidates(db, parsers, request.query, languages, page_columns.get(), word_pairs.get(),
                            std::move(weighed), wanted);
        if (!best.empty()) best_weight = best.front().first;
        if (in_window) {
          for (size_t i = request.offset; i < wanted && i < best.size(); ++i) {
            auto hit = hit_of.find(best[i].second);
            if (hit != hit_of.end()) page_hits.emplace_back(hit->second, best[i].first);
          }
        }
        for (size_t i = std::max<size_t>(request.offset, candidates); i < mset.size() && i < page_end; ++i) {
          const Xapian::MSetIterator past = mset[static_cast<Xapian::doccount>(i)];
          page_hits.emplace_back(past, past.get_weight());
        }
      }
      DOSSIER_RETURN_IF_ERROR(add_hits(enquire, mset, page_hits, true, best_weight));
      const size_t with_all_words_here = page_hits.size();
      // Room left on this page of results: every document with all the words
      // has been listed, so documents with only some of them follow (those
      // with the most, or the rarest, first: the same query with OR between
      // its words, less the documents already matched). Operators typed
      // (OR, NOT, a phrase) are kept as they are; a query that OR cannot
      // widen (one word, a phrase) adds nothing. `total` and the facets count
      // the documents with all the words only.
      if (with_all_words_here < request.limit) {
        // (Both without the subqueries that cannot match: a query OR cannot
        // widen still reads the same either way.)
        const Xapian::Query widened = build(Xapian::Query::OP_OR, false);
        const Xapian::Query narrow = build(Xapian::Query::OP_AND, false);
        if (widened.get_description() != narrow.get_description()) {
          const Xapian::doccount with_all_words = mset.get_matches_estimated();  // exact: fewer than offset + limit
          Xapian::Enquire partial_enquire(db);
          partial_enquire.set_query(Xapian::Query(Xapian::Query::OP_AND_NOT, widened, narrow));
          if (remote) partial_enquire.set_collapse_key(kValueDocId);
          const Xapian::doccount skip = request.offset > with_all_words ? request.offset - with_all_words : 0;
          const auto room = request.limit - static_cast<Xapian::doccount>(with_all_words_here);
          // With a phrase among the words, every match is looked at, as in
          // the ranked pass (PhraseUnderOr, above). The widened query of
          // plain words keeps the bar.
          const Xapian::doccount check_at_least = PhraseUnderOr(widened) ? db.get_doccount() : 0;
          Xapian::MSet partial = partial_enquire.get_mset(skip, room, check_at_least);
          rank = std::max<uint32_t>(rank, with_all_words + skip);
          const double best = with_all_words_here == 0 ? partial.get_max_attained() : best_weight;
          std::vector<WeighedHit> partial_hits;
          for (auto it = partial.begin(); it != partial.end(); ++it) partial_hits.emplace_back(it, it.get_weight());
          DOSSIER_RETURN_IF_ERROR(add_hits(partial_enquire, partial, partial_hits, false, best));
        }
      }
      if (remote_counted.valid()) {
        const SpiedFacets spied = remote_counted.get();  // rethrows the pass's Xapian::Error
        response.facets["year"] = TopFacetValues(spied.year, SIZE_MAX);
        response.facets["entity"] = TopFacetValues(spied.entity, kEntityFacetValues);
        response.facets["language"] = TopFacetValues(spied.language, SIZE_MAX);
        response.facets["source"] = TopFacetValues(spied.source, SIZE_MAX);
        response.facets_exact = spied.exact;
        if (spied.exact) {
          response.total = spied.seen;
          response.total_exact = true;
        }
      }
      return response;
    } catch (const Xapian::DatabaseModifiedError& e) {
      if (attempt >= 2) return FromXapian(impl_->path + ": search", e);
      db.reopen();
      if (remote_counting) remote_counting->reopen();
      if (local_pages) local_pages->reopen();
    } catch (const Xapian::QueryParserError& e) {
      return Status::InvalidArgument("query: " + e.get_msg());
    } catch (const Xapian::NetworkError& e) {
      if (remote) return impl_->ShardFailure(e);
      return FromXapian(impl_->path + ": search", e);
    } catch (const Xapian::Error& e) {
      return FromXapian(impl_->path + ": search", e);
    }
  }
}

}  // namespace dossier
