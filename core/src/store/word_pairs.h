// Which terms of the page index stand side by side somewhere: a Bloom filter
// of the adjacent pairs of page words and their stems, kept in the index's
// metadata (internal to core).
//
// The adjacency boost weighs a search's best matches again with the query's
// words as phrases (BoostCandidates, text_index.cc): a pass over those
// candidates that reads their position lists. When the phrase's words must
// stand side by side and two neighbouring words stand side by side in no
// entry of the index, the phrase matches nothing, and the pass would give
// every candidate the weight it already has: the set says so without
// reading a position. It never says "never" of a pair an entry holds (a
// Bloom filter has false positives only), so leaving such a pass out gives
// the same answers; a false positive costs only the pass.
//
// It is complete only for the state it was written for: the writer that
// keeps it (TextIndex: from an empty index on, or from a valid set) adds
// each entry it writes and rewrites it, stamped with the revision its
// commit makes, whenever it commits entries; a compaction keeps the union
// of its sources' sets, or gathers it afresh from the entries' positions
// when one lacks a valid set. A reader uses it only when the stamp is its
// database's state, so an index written by anything that does not keep it
// (an older Dossier, a tool) is searched without it.
//
// On 626 real PDFs (2.0 million distinct pairs) it is 1 MiB with about 13 %
// false positives; it cut a search's instructions by 4.2 % there and by
// 5.3 % on 10,000 generated documents (docs/BENCHMARKS.md, stop 66).
#pragma once

#include <xapian.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace dossier {

class WordPairSet {
 public:
  // The metadata key of the page index that holds it (Serialise).
  static constexpr const char* kMetadataKey = "dossier.word_pairs";
  // The bits of a set as stored (FoldToPairs): the fewest powers of two at
  // or above kBitsPerPair a distinct pair (about 15 % false positives at 4
  // bits, 3 % at 8), within these bounds.
  static constexpr unsigned kMinLog2Bits = 10;
  static constexpr unsigned kMaxLog2Bits = 30;
  static constexpr double kBitsPerPair = 4.0;
  static constexpr double kMaxFill = 0.6;
  // A writer starting an empty index fills a set of this size, and stores
  // it folded to its pairs at each commit (FoldToPairs): 8 MiB in memory,
  // room for 16 million pairs at kBitsPerPair.
  static constexpr unsigned kFreshLog2Bits = 26;

  // An empty set of 2^log2_bits bits (clamped to the bounds above).
  explicit WordPairSet(unsigned log2_bits);

  // Whether the pairs of `term` in an entry in `language` are recorded:
  // page words and their stems as the query parser makes them from typed
  // words (not accent-folded forms, not title, author or boolean terms,
  // which hold no page positions), except the language's function words
  // (function_words.h), which the boost leaves out of its phrases and
  // which stand beside nearly every word (a fifth of the distinct pairs of
  // 626 real PDFs).
  static bool Records(std::string_view term, std::string_view language);
  // Whether the pairs of `term` are recorded in entries of every language:
  // what a search may ask the set about (MayHold).
  static bool RecordsInEveryLanguage(std::string_view term);

  // Whether `first` may stand right before `second` in some entry: false
  // only when no entry the set was filled from has them side by side. A
  // pair is recorded by its terms' keys (KeyOf), so a stem and the word that
  // is its own stem ("Zreport", "report"), which a search's phrase reads as
  // one word, are one look-up, and a word shares the key of a stem spelled
  // as it is (a pair more it may claim, never one less).
  bool MayHold(std::string_view first, std::string_view second) const;
  // What a term's pairs are recorded under: a page term without its Z.
  static std::string_view KeyOf(std::string_view term);
  // Records every pair of recorded terms at positions p and p + 1 of
  // `entry` (a document being written, in `language`).
  void AddPairsOf(const Xapian::Document& entry, const std::string& language);
  // Records `first` right before `second`.
  void Add(std::string_view first, std::string_view second);

  // The pairs of every entry of `db`, in a set sized for them. Throws
  // Xapian::Error.
  static WordPairSet Gather(const Xapian::Database& db);

  // Which state of the index a set is valid for: the database (its uuid,
  // new at each compaction or merge) and its revision, and (a check on an
  // index written by something that copied the metadata without keeping
  // it) its entry count and last docid.
  struct Stamp {
    std::string uuid;
    uint64_t revision = 0;
    uint32_t doccount = 0;
    uint32_t last_docid = 0;
    bool operator==(const Stamp&) const = default;
  };
  // The state of `db` now (a writer's entry count and last docid include
  // what it has not committed). Throws Xapian::Error.
  static Stamp StampOf(const Xapian::Database& db);
  // The set as stored, valid for `stamp`.
  std::string Serialise(const Stamp& stamp) const;
  // The set stored in `blob`, when it is well formed and valid for
  // `stamp`; nullopt otherwise.
  static std::optional<WordPairSet> Parse(std::string_view blob, const Stamp& stamp);

  unsigned Log2Bits() const { return log2_bits_; }
  size_t BitsSet() const;
  // The distinct pairs it holds, as its bits set tell them (a Bloom
  // filter's n = -(m / k) ln(1 - X / m)).
  double PairsHeld() const;
  // Halves the set while it keeps kBitsPerPair bits for each pair it holds.
  void FoldToPairs();
  // Holds the pairs of `other` too (the larger of the two folded to the
  // size of the smaller first: the union of what both were filled with).
  void Absorb(WordPairSet other);
  // Whether so many of its bits are set that it should be gathered afresh
  // (more than kMaxFill: about 22 % false positives).
  bool Crowded() const;

 private:
  static constexpr unsigned kProbes = 3;
  // Where a pair's bits are: probe k at start + k * step, modulo the size.
  struct Probes {
    uint64_t start, step;
    uint64_t Bit(unsigned k, unsigned log2_bits) const { return (start + k * step) & ((uint64_t{1} << log2_bits) - 1); }
  };
  static Probes ProbesOf(uint64_t first, uint64_t second);
  // Records the pairs of (position, term hash) entries, in any order.
  void AddAdjacent(std::vector<std::pair<Xapian::termpos, uint64_t>>* at);
  // Adds to `at` the positions of `term` (one of an entry in `language`,
  // `positions` its positions) when its pairs are recorded.
  template <typename Positions>
  static void AddPositions(const std::string& term, const std::string& language, Positions positions,
                           std::vector<std::pair<Xapian::termpos, uint64_t>>* at);
  void AddHashes(uint64_t first, uint64_t second);
  bool MayHoldHashes(uint64_t first, uint64_t second) const;
  // Halves the set (each bit i ORed with bit i + size / 2): what a set of
  // half the size would hold had it been filled with the same pairs.
  void Fold();

  unsigned log2_bits_;
  std::vector<uint64_t> words_;
};

}  // namespace dossier
