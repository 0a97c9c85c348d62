// Facet columns (internal to core): the values some slots hold for every
// entry of a Xapian database, in memory and indexed by docid, so that a
// facet counted over the matches of a search costs an array read per match
// rather than a value read from the database (docs/ARCHITECTURE.md, "Facets").
//
// Each column maps a docid to small integer codes; code 0 is "no value". A
// multi-valued column splits a slot's value at \x1f (names joined, as the
// responsible bodies of an item). Columns are made from one revision of the
// database and are immutable: a search on a handle at another revision makes
// new ones (FacetColumnCache).
#pragma once

#include <xapian.h>

#include "dossier/search.h"
#include "dossier/sharded_lru.h"

#include <algorithm>
#include <array>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

namespace dossier {

struct FacetColumnSpec {
  Xapian::valueno slot = 0;
  bool multi_valued = false;  // names joined by \x1f
  // When set, the column comes from boolean terms instead of a slot: each
  // term with this prefix names a value (the term less the prefix), and an
  // entry holds every value whose term it has (the text sources "XS…").
  std::string term_prefix;
  // With a term prefix: a value shows as the database's metadata under this
  // key prefix + the term, where there is one (the item index keeps the
  // names documents state there; their terms hold only the folded key).
  std::string display_metadata;
  // Keep, for each value, the sorted docids of the entries holding it
  // (Postings): a column that filters matches (ColumnFilterSource), not
  // only counts them.
  bool postings = false;
  // Counted by FacetColumnSpy. A column that is not (a value each entry has
  // its own of, read by docid: ValueOf) costs a search nothing.
  bool counted = true;
};

// The entries of a database that hold one term, in docid order: as their
// docids, or as one bit a docid where that takes less room
// (FacetColumns::DocsOf).
class TermDocs {
 public:
  TermDocs(std::vector<Xapian::docid> docids, Xapian::docid last_docid);
  bool Contains(Xapian::docid did) const;
  bool empty() const { return count_ == 0; }
  Xapian::doccount size() const { return count_; }
  bool dense() const { return !bits_.empty(); }  // held as bits
  // Whether `wanted` is true of one of them (in docid order, stopping there).
  template <typename Wanted>
  bool Any(Wanted&& wanted) const {
    if (bits_.empty()) return std::any_of(docids_.begin(), docids_.end(), wanted);
    for (size_t word = 0; word < bits_.size(); ++word) {
      for (uint64_t rest = bits_[word]; rest != 0; rest &= rest - 1) {
        if (wanted(static_cast<Xapian::docid>(word * 64 + static_cast<size_t>(__builtin_ctzll(rest))))) return true;
      }
    }
    return false;
  }
  // Sets bit d of `bits` for each of them (`bits` long enough for the
  // database's last docid).
  void SetBits(std::vector<uint64_t>* bits) const;
  // What it takes in memory, about.
  size_t Bytes() const { return docids_.capacity() * sizeof(Xapian::docid) + bits_.capacity() * sizeof(uint64_t) + 64; }

 private:
  std::vector<Xapian::docid> docids_;  // sparse: the docids
  std::vector<uint64_t> bits_;         // dense: bit d for docid d
  Xapian::doccount count_ = 0;
};

class FacetColumns {
 public:
  // Reads every entry's value in each spec's slot (one value stream per
  // slot, in docid order), or the posting lists of its prefix's terms.
  // Throws Xapian::Error.
  static std::shared_ptr<const FacetColumns> Build(const Xapian::Database& db, const std::vector<FacetColumnSpec>& specs);

  size_t ColumnCount() const { return columns_.size(); }
  // The distinct values of a column, by code (index 0 is the empty "no value").
  const std::vector<std::string>& Values(size_t column) const { return columns_[column].values; }
  // Each code's place among the values of `column` sorted (byte order), for
  // a counted column: FacetColumnSpy::Top orders equal counts by it rather
  // than by comparing strings (an entity column has thousands of values
  // counted once).
  const std::vector<uint32_t>& ValueOrder(size_t column) const { return columns_[column].value_order; }
  // Calls `add(code)` for each value `docid` has in `column` (none for no value).
  template <typename Add>
  void ForEachCode(size_t column, Xapian::docid docid, Add&& add) const {
    const Column& c = columns_[column];
    if (docid + 1 >= c.begin.size()) return;
    for (uint32_t at = c.begin[docid]; at < c.begin[docid + 1]; ++at) add(c.codes[at]);
  }
  // The same for each of `docids`, in turn.
  template <typename Add>
  void ForEachCodeOfEach(size_t column, const std::vector<Xapian::docid>& docids, Add&& add) const {
    const Column& c = columns_[column];
    const uint32_t* begin = c.begin.data();
    const uint32_t* codes = c.codes.data();
    const size_t ends = c.begin.size();
    for (Xapian::docid docid : docids) {
      if (docid + 1 >= ends) continue;
      for (uint32_t at = begin[docid]; at < begin[docid + 1]; ++at) add(codes[at]);
    }
  }
  // The (first) value `docid` has in `column`; "" for none.
  const std::string& ValueOf(size_t column, Xapian::docid docid) const {
    const Column& c = columns_[column];
    if (docid + 1 >= c.begin.size() || c.begin[docid] == c.begin[docid + 1]) return c.values[0];
    return c.values[c.codes[c.begin[docid]]];
  }
  bool Counted(size_t column) const { return columns_[column].counted; }
  // The entries holding value `code` in `column`, in docid order (empty
  // unless its spec asked for postings).
  const std::vector<Xapian::docid>& Postings(size_t column, uint32_t code) const;
  // Whether an entry holding `term` in `db` (the database the columns were
  // made from, at their revision) may have one of `values` in `column`:
  // false only when none does. Found once, from the term's entries
  // (DocsOf) or, for a term held too widely to keep them, by walking its
  // posting list and the values' entries (the column's postings) side by
  // side, and kept with the columns: searches at this revision ask no more. A column
  // without postings cannot tell (true). Thread-safe. Throws Xapian::Error
  // (what a posting list read throws); nothing is kept then.
  bool MayHold(const Xapian::Database& db, size_t column, const std::string& term,
               const std::vector<std::string>& values) const;
  // Whether any entry of `db` (as for MayHold) holds `term`: its
  // term_exists, from DocsOf (a look-up in the index reads the posting
  // table's blocks from the file again each time). Thread-safe. Throws
  // Xapian::Error.
  bool Holds(const Xapian::Database& db, const std::string& term) const;
  // The entries of `db` (as for MayHold) holding `term`, from its whole
  // posting list, read once and kept with the columns: the best pages of a
  // search ask which of its hits hold each of the query's terms, and each
  // new posting list opened reads its B-tree blocks from the file again
  // (Xapian 1.4 keeps none between look-ups). Kept within kTermDocsBytes,
  // the least recently used let go first. Null for a term more than
  // kMaxTermDocs entries hold (its list is walked where it is needed
  // instead), which is remembered. Thread-safe. Throws Xapian::Error;
  // nothing is kept then.
  std::shared_ptr<const TermDocs> DocsOf(const Xapian::Database& db, const std::string& term) const;
  // The entries `query` matches in `db` (as for MayHold), one bit a
  // docid, from DocsOf's lists (or, for a term of a column that keeps its
  // entries, the column's: the L terms) alone: for terms joined by AND, OR,
  // SYNONYM, MAX, AND_NOT, FILTER, AND_MAYBE (its left side) and
  // SCALE_WEIGHT, the set operations give exactly the entries a match would;
  // a wildcard the query parsers made (at most kWildcardExpansions terms,
  // the most frequent) is the union of its terms' entries when it expands
  // to no more; a value range (VALUE_RANGE, VALUE_GE, VALUE_LE) over the
  // slot of a column of one value an entry (the year) is the entries whose
  // value lies in it, from the column. False for any other part (a phrase,
  // a wildcard expanding to more terms or made otherwise, a value range
  // over another slot, a posting source) or a term
  // too widely held for DocsOf: a match must find them. False too past
  // kMaxMatchesDocid docids: each part of the query is a bit array that long
  // (128 KiB at the limit). Throws Xapian::Error.
  bool MatchesOf(const Xapian::Database& db, const Xapian::Query& query, std::vector<uint64_t>* bits) const;
  static constexpr Xapian::docid kMaxMatchesDocid = 1u << 20;
  // The terms of `query` that entry `did` of `db` (as for MayHold) holds,
  // among those `wanted` says, each once, in the order
  // Enquire::get_matching_terms lists them (by first place in the query),
  // from DocsOf's lists rather than a walk of the entry's whole term list;
  // nothing when a term is too widely held for DocsOf. Throws Xapian::Error.
  std::optional<std::vector<std::string>> QueryTermsHeld(const Xapian::Database& db, const Xapian::Query& query,
                                                         Xapian::docid did,
                                                         const std::function<bool(const std::string&)>& wanted) const;
  // QueryTermsHeld made ready for entry after entry of one search: the
  // query's wanted terms, each once, and their entries, found once (a
  // query parsed in a dozen languages repeats its terms a dozen times).
  class QueryTerms {
   public:
    // Null when a term is too widely held for DocsOf.
    static std::optional<QueryTerms> Of(const FacetColumns& columns, const Xapian::Database& db,
                                        const Xapian::Query& query,
                                        const std::function<bool(const std::string&)>& wanted);
    // Those `did` holds, as QueryTermsHeld lists them.
    std::vector<std::string> HeldBy(Xapian::docid did) const;

   private:
    std::vector<std::pair<std::string, std::shared_ptr<const TermDocs>>> terms_;
  };
  static constexpr size_t kTermDocsBytes = size_t{16} << 20;
  static constexpr Xapian::doccount kMaxTermDocs = 1u << 16;
  // The terms of `db` with `prefix`, less the prefix (the languages: "L"),
  // read once and kept with the columns (a search asks for them each time).
  // Thread-safe. Throws Xapian::Error; nothing is kept then.
  std::vector<std::string> TermsWithPrefix(const Xapian::Database& db, const std::string& prefix) const;
  // The revision and identity of the database they were made from.
  uint64_t Revision() const { return revision_; }
  const std::string& Uuid() const { return uuid_; }
  size_t MemoryBytes() const;

 private:
  struct Column {
    std::vector<std::string> values{std::string()};
    std::vector<uint32_t> value_order;  // ValueOrder
    // Codes of docid d: codes[begin[d] .. begin[d + 1]).
    std::vector<uint32_t> begin;
    std::vector<uint32_t> codes;
    // With FacetColumnSpec::postings: by code, the docids holding it; and
    // for a column of terms, each term's code (MatchesOf).
    std::vector<std::vector<Xapian::docid>> postings;
    std::unordered_map<std::string, uint32_t> term_codes;
    // For a column of terms, the same by code as TermDocs: MatchesOf sets
    // a term's matches a 64-bit word at a time (setting them docid by docid
    // was 1.4 % of a search's instructions on 10,000 generated documents).
    std::vector<TermDocs> code_docs;
    bool counted = true;
    // The value slot of a column of one value an entry (MatchesOf tells a
    // value range over it).
    std::optional<Xapian::valueno> single_valued_slot;
  };
  // Sets `column`'s value_order (a counted column's).
  static void OrderValues(Column* column);

  std::vector<Column> columns_;
  uint64_t revision_ = 0;
  std::string uuid_;

  // MayHold's findings, by column, term and values. Split by the key's
  // hash, each part with its lock, and emptied when it holds kHeldPerShard.
  static constexpr size_t kHeldShards = 16;
  static constexpr size_t kHeldPerShard = 8192;
  struct HeldShard {
    std::mutex mutex;
    std::unordered_map<std::string, bool> held;
  };
  mutable std::array<HeldShard, kHeldShards> held_;
  // DocsOf's lists, by term (an entry without docs for a longer one: a
  // found entry, where an empty handle is a term not asked about yet).
  struct HeldDocs {
    std::shared_ptr<const TermDocs> docs;
  };
  mutable ShardedLru<std::shared_ptr<const HeldDocs>> term_docs_{kTermDocsBytes, kHeldShards};
  // TermsWithPrefix's, by prefix.
  mutable std::mutex prefix_terms_mutex_;
  mutable std::map<std::string, std::vector<std::string>> prefix_terms_;
  // What `find` tells of `key`, found once (see held_).
  template <typename Find>
  bool Memo(std::string key, Find&& find) const;
};

// The entries of a database holding any of some values of one column: a
// boolean filter (OP_FILTER's right side) in place of an OR of the values'
// terms. Matching checks each candidate with an array read (FacetColumns)
// where Xapian 1.4 would walk the terms' posting lists, which every
// candidate moves forward. The column's spec must keep postings. For the
// database the columns were made from (the revision: FacetColumnCache).
class ColumnFilterSource : public Xapian::PostingSource {
 public:
  ColumnFilterSource(std::shared_ptr<const FacetColumns> columns, size_t column, const std::vector<std::string>& values);

  Xapian::doccount get_termfreq_min() const override { return count_; }
  Xapian::doccount get_termfreq_est() const override { return count_; }
  Xapian::doccount get_termfreq_max() const override { return count_; }
  void init(const Xapian::Database& db) override;
  void next(double min_wt) override;
  void skip_to(Xapian::docid did, double min_wt) override;
  bool check(Xapian::docid did, double min_wt) override;
  bool at_end() const override { return at_end_; }
  Xapian::docid get_docid() const override { return did_; }
  ColumnFilterSource* clone() const override;
  std::string get_description() const override;

 private:
  ColumnFilterSource(std::shared_ptr<const FacetColumns> columns, size_t column, std::vector<uint32_t> codes,
                     std::vector<char> accepted, Xapian::doccount count)
      : columns_(std::move(columns)), column_(column), codes_(std::move(codes)), accepted_(std::move(accepted)),
        count_(count) {}

  std::shared_ptr<const FacetColumns> columns_;
  size_t column_;
  std::vector<uint32_t> codes_;  // the values' codes
  std::vector<char> accepted_;   // by code: one of the values
  Xapian::doccount count_ = 0;   // the entries holding one of them
  Xapian::docid did_ = 0;  // where next() goes on from
  bool on_match_ = false;  // did_ holds one of the values (a failed check() leaves it on one that does not)
  bool at_end_ = false;
  // Each value's entries (the column's postings) and, from init(), where
  // the last skip_to() left off in them: a match moves forward, so each
  // skip_to() searches on from there (a binary search of the whole list
  // each time was a fifth of a search for two words in most entries).
  std::vector<const std::vector<Xapian::docid>*> postings_;
  std::vector<size_t> at_;
};

// Counts the codes of each column over the matches a search's spy sees.
class FacetColumnSpy : public Xapian::MatchSpy {
 public:
  explicit FacetColumnSpy(const FacetColumns& columns);
  ~FacetColumnSpy() override;
  FacetColumnSpy(const FacetColumnSpy&) = delete;
  FacetColumnSpy& operator=(const FacetColumnSpy&) = delete;
  void operator()(const Xapian::Document& doc, double) override;
  // Value -> count for one column (values with no match left out).
  std::map<std::string, uint64_t> Counts(size_t column) const;
  // The same as TopFacetValues(Counts(column), limit), ranked by code: only
  // the values shown are made strings (an entity column has thousands).
  SearchFacet Top(size_t column, size_t limit) const;
  // Counts entry `docid` as a match.
  void Count(Xapian::docid docid);
  // Counts as matches the entries whose bits are set in `bits` (bit d for
  // docid d), in docid order, until `cap` have been counted in all: a column
  // at a time (counting entry by entry, each entry's codes in every column,
  // was 4.5 % of a search's instructions on 10,000 generated documents).
  void CountEach(const std::vector<uint64_t>& bits, uint64_t cap);
  // The matches counted.
  uint64_t Seen() const { return seen_; }

 private:
  // A column of more values than this lists the codes it counts
  // (`counted_`): an entity column has thousands of values, and
  // one made afresh and scanned whole for the few counted was 1.7 % of a
  // search's CPU on 626 real PDFs. A smaller one is scanned: listing as it
  // counts cost more (a third more instructions counting on 10,000
  // generated documents, 22 entity values).
  static constexpr size_t kListCountedPast = 1024;
  // Whether `column` lists the codes it counts (one of many values).
  bool ListsCounted(size_t column) const { return counts_[column].size() > kListCountedPast; }
  // Adds the codes `for_each` gives to the counts of `column`.
  template <typename ForEach>
  void AddEach(size_t column, ForEach&& for_each) {
    std::vector<uint32_t>& counts = counts_[column];
    if (ListsCounted(column)) {
      std::vector<uint32_t>& counted = counted_[column];
      for_each([&](uint32_t code) {
        if (counts[code]++ == 0) counted.push_back(code);
      });
    } else {
      for_each([&](uint32_t code) { ++counts[code]; });
    }
  }
  // The codes of `column` counted, in any order (code 0, no value, left out).
  std::vector<uint32_t> CodesCounted(size_t column) const;

  const FacetColumns& columns_;
  // By column: each value's count, by code; for a column of more than
  // kListCountedPast values, the codes counted (in the order first
  // counted), and counts that come from the thread's spies before, zeroed
  // where they counted.
  std::vector<std::vector<uint32_t>> counts_;
  std::vector<std::vector<uint32_t>> counted_;
  uint64_t seen_ = 0;
};

// A facet count over the matches of a search looks at this many at most;
// beyond, its counts are a sample.
inline constexpr Xapian::doccount kFacetExactUpTo = 100000;

// An Enquire for a pass that counts the matches of `query` rather than
// ranks them: in docid order, with the cheapest weighting Xapian 1.4.22
// counts correctly (facet_columns.cc says why not BoolWeight). Run it with
// get_mset(0, 0, check_at_least).
Xapian::Enquire CountingEnquire(const Xapian::Database& db, const Xapian::Query& query);

// Counts every match of `query` in `db` (up to kFacetExactUpTo) into `spy`,
// in a pass of its own (CountingEnquire): no hits kept, so the ranked pass
// keeps Xapian's early termination and the count ranks nothing (a ranked
// pass made to check every match cost more than both). True when that was
// every match (the count is then the total). Throws Xapian::Error.
bool CountEveryMatch(const Xapian::Database& db, const Xapian::Query& query, FacetColumnSpy* spy);

// The same from the columns' lists of the terms (FacetColumns::MatchesOf),
// with no pass over the index: the matches in docid order, as a counting
// pass sees them. Nullopt, with nothing counted, for a query MatchesOf
// cannot tell (count with CountEveryMatch then). Throws Xapian::Error.
std::optional<bool> CountEveryMatchFromColumns(const Xapian::Database& db, const FacetColumns& columns,
                                               const Xapian::Query& query, FacetColumnSpy* spy);

// The columns of the latest revision, shared by the handles of a reader
// pool, and of the revision before it while the handles move on.
// - The reader's refresh makes them for a new revision before its handles
//   move to it (Prepare; TextIndex::PrepareRefresh), when searches asked
//   for columns since the last Prepare made some.
// - A search at a revision the cache holds (the latest, or the one before
//   while kept) gets them at once, even while a build is under way.
// - A search at a newer revision makes them, and the searches at that
//   revision that run meanwhile wait for that build rather than make their
//   own.
// - Any other search (an older revision, or another build under way) makes
//   columns of its own for itself alone.
class FacetColumnCache {
 public:
  using Builder = std::function<std::shared_ptr<const FacetColumns>(const Xapian::Database&,
                                                                    const std::vector<FacetColumnSpec>&)>;
  // `build` makes the columns (FacetColumns::Build; tests pass another).
  explicit FacetColumnCache(std::vector<FacetColumnSpec> specs, Builder build = nullptr);
  // The columns for `db` at its present revision. Throws Xapian::Error.
  std::shared_ptr<const FacetColumns> For(const Xapian::Database& db);
  // Makes and keeps the columns of `db`'s revision when it is newer than the
  // cache's (or of another index: a compaction swapped the folder) and a
  // search asked for columns since the last Prepare made some; the ones they
  // replace are kept too, for the searches still at that revision, until
  // ForgetPrevious. Nothing when another build is under way. Throws
  // Xapian::Error.
  void Prepare(const Xapian::Database& db);
  // Lets the columns of the revision before go (the handles have moved on).
  void ForgetPrevious();
  // The revision whose columns the cache holds (0: none yet).
  uint64_t Revision() const;

 private:
  struct Key {
    std::string uuid;
    uint64_t revision = 0;
  };
  static bool Is(const std::shared_ptr<const FacetColumns>& columns, const Key& key) {
    return columns && columns->Uuid() == key.uuid && columns->Revision() == key.revision;
  }
  // Whether `key` is of a revision newer than latest_'s, or of another index.
  bool Newer(const Key& key) const {
    return !latest_ || latest_->Uuid() != key.uuid || latest_->Revision() < key.revision;
  }
  // Makes the columns of `db` (at `key`), with building_ set and the lock
  // released meanwhile, and keeps them unless newer ones came meanwhile.
  std::shared_ptr<const FacetColumns> BuildAndKeep(const Xapian::Database& db, const Key& key,
                                                   std::unique_lock<std::mutex>& lock);

  std::vector<FacetColumnSpec> specs_;
  Builder build_;
  mutable std::mutex mutex_;
  std::condition_variable built_;  // a build ended (building_ went empty)
  std::optional<Key> building_;    // the revision being made for the cache
  bool asked_ = false;             // a search asked for columns since the last Prepare made some
  std::shared_ptr<const FacetColumns> latest_;
  std::shared_ptr<const FacetColumns> previous_;
};

}  // namespace dossier
