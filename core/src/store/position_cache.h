// The position lists of the terms the best page of a hit is chosen from,
// kept across searches (internal to core; docs/ARCHITECTURE.md, "Best page").
//
// Xapian 1.4 decodes a position list at about 180 instructions a position,
// and a word in most documents ("the", "de") has thousands in a long
// document: on 626 real PDFs the best pages of a search read about 4,000
// positions, a tenth of its instructions. The words that cost most come
// back in query after query, on the same documents: over 2,000 distinct
// queries, 83 % of the positions read had been read before, within 8 MB.
//
// BestPage keeps each document's decoded page starts here too, as one list
// under a key no term has (PageMap::Decode in text_index.cc), within the
// same budget.
//
// A list is kept for one revision of one database (its uuid): the first
// search at a newer revision empties the cache, and a search on a handle
// still at an older one neither reads nor adds lists. Lists are evicted
// least recently used first, within a budget of bytes shared by shards
// that each have their own lock.
#pragma once

#include <xapian.h>

#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "dossier/sharded_lru.h"

namespace dossier {

class PositionCache {
 public:
  using Positions = std::shared_ptr<const std::vector<Xapian::termpos>>;

  explicit PositionCache(size_t budget_bytes);

  // What a search reads and adds through: bound to the revision its handle
  // is at. Invalid (reads nothing, adds nothing) for a handle behind the
  // cache's revision.
  class View {
   public:
    View() = default;
    bool valid() const { return cache_ != nullptr; }
    // The list of `term` in `did`, or null when the cache does not hold it.
    Positions Find(Xapian::docid did, const std::string& term) const;
    void Keep(Xapian::docid did, const std::string& term, Positions positions) const;

   private:
    friend class PositionCache;
    View(PositionCache* cache, uint64_t epoch) : cache_(cache), epoch_(epoch) {}
    PositionCache* cache_ = nullptr;
    uint64_t epoch_ = 0;
  };

  // The view for a search on `db` (its revision and uuid read once).
  View For(const Xapian::Database& db);

  // The bytes the lists held take, by the cache's count.
  size_t BytesHeld() const { return lists_.counters().bytes; }
  size_t ListsHeld() const { return lists_.counters().entries; }

 private:
  static constexpr size_t kShards = 16;
  static std::string Key(Xapian::docid did, const std::string& term);

  // Keyed by document and term; the version is the epoch below.
  ShardedLru<Positions> lists_;
  // The revision the cache holds lists of, and the epoch that stands for it
  // (bumped when the revision moves, so that a list a slower search adds
  // for the old revision is never found).
  std::mutex revision_mutex_;
  std::string uuid_;
  Xapian::rev revision_ = 0;
  uint64_t epoch_ = 0;
};

}  // namespace dossier
