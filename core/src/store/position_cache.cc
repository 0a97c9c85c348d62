// Position lists kept across searches (position_cache.h).
#include "position_cache.h"

#include <utility>

namespace dossier {

namespace {

// What a list costs the budget (a position list, or a document's decoded
// page starts, which BestPage keeps here too): its positions, and about
// what the entry's key, list node, hash node and shared block take besides.
size_t BytesOf(const std::string& key, const std::vector<Xapian::termpos>& positions) {
  return positions.capacity() * sizeof(Xapian::termpos) + key.capacity() + 160;
}

}  // namespace

// A list may take up to a shard's whole share (ShardedLru keeps nothing larger).
PositionCache::PositionCache(size_t budget_bytes) : lists_(budget_bytes, kShards) {}

std::string PositionCache::Key(Xapian::docid did, const std::string& term) {
  std::string key;
  key.reserve(sizeof did + term.size());
  key.append(reinterpret_cast<const char*>(&did), sizeof did);
  key += term;
  return key;
}

PositionCache::View PositionCache::For(const Xapian::Database& db) {
  const std::string uuid = db.get_uuid();
  const Xapian::rev revision = db.get_revision();
  std::lock_guard<std::mutex> lock(revision_mutex_);
  if (uuid == uuid_ && revision == revision_) return View(this, epoch_);
  if (uuid == uuid_ && revision < revision_) return View();  // a handle behind: not served
  // A newer revision, or another database (a compaction's): the lists held
  // are of no use any more. Shards still at the old epoch would empty
  // themselves when next used; letting go of them now frees the memory.
  uuid_ = uuid;
  revision_ = revision;
  ++epoch_;
  lists_.Clear();
  return View(this, epoch_);
}

PositionCache::Positions PositionCache::View::Find(Xapian::docid did, const std::string& term) const {
  if (cache_ == nullptr) return nullptr;
  return cache_->lists_.Find(Key(did, term), epoch_);
}

void PositionCache::View::Keep(Xapian::docid did, const std::string& term, Positions positions) const {
  if (cache_ == nullptr || positions == nullptr) return;
  std::string key = Key(did, term);
  const size_t bytes = BytesOf(key, *positions);
  cache_->lists_.Put(key, epoch_, std::move(positions), bytes);
}

}  // namespace dossier
