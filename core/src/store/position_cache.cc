// Position lists kept across searches (position_cache.h).
#include "position_cache.h"

namespace dossier {

namespace {

// What a list costs the budget: its positions, and about what the entry's
// key, list node, hash node and shared block take besides.
size_t BytesOf(const std::string& key, const std::vector<Xapian::termpos>& positions) {
  return positions.capacity() * sizeof(Xapian::termpos) + key.capacity() + 160;
}

}  // namespace

PositionCache::PositionCache(size_t budget_bytes) : shard_budget_(budget_bytes / kShards) {}

std::string PositionCache::Key(uint64_t epoch, Xapian::docid did, const std::string& term) {
  std::string key;
  key.reserve(sizeof epoch + sizeof did + term.size());
  key.append(reinterpret_cast<const char*>(&epoch), sizeof epoch);
  key.append(reinterpret_cast<const char*>(&did), sizeof did);
  key += term;
  return key;
}

PositionCache::View PositionCache::For(const Xapian::Database& db) {
  const std::string uuid = db.get_uuid();
  const Xapian::rev revision = db.get_revision();
  std::lock_guard<std::mutex> lock(revision_mutex_);
  if (uuid == uuid_ && revision == revision_) return View(this, epoch_.load());
  if (uuid == uuid_ && revision < revision_) return View();  // a handle behind: not served
  // A newer revision, or another database (a compaction's): the lists held
  // are of no use any more.
  uuid_ = uuid;
  revision_ = revision;
  const uint64_t epoch = ++epoch_;
  Clear();
  return View(this, epoch);
}

void PositionCache::Clear() {
  for (Shard& shard : shards_) {
    std::lock_guard<std::mutex> lock(shard.mutex);
    shard.order.clear();
    shard.at.clear();
    shard.bytes = 0;
  }
}

PositionCache::Positions PositionCache::View::Find(Xapian::docid did, const std::string& term) const {
  if (cache_ == nullptr) return nullptr;
  const std::string key = Key(epoch_, did, term);
  Shard& shard = cache_->ShardOf(key);
  std::lock_guard<std::mutex> lock(shard.mutex);
  auto found = shard.at.find(key);
  if (found == shard.at.end()) return nullptr;
  shard.order.splice(shard.order.begin(), shard.order, found->second);
  return found->second->positions;
}

void PositionCache::View::Keep(Xapian::docid did, const std::string& term, Positions positions) const {
  if (cache_ == nullptr || positions == nullptr) return;
  if (epoch_ != cache_->epoch_.load()) return;  // the revision moved on while this search ran
  std::string key = Key(epoch_, did, term);
  const size_t bytes = BytesOf(key, *positions);
  if (bytes > cache_->shard_budget_) return;  // would push out everything else
  Shard& shard = cache_->ShardOf(key);
  std::lock_guard<std::mutex> lock(shard.mutex);
  if (shard.at.count(key) > 0) return;  // another search kept it meanwhile
  shard.order.push_front({key, std::move(positions), bytes});
  shard.at.emplace(std::move(key), shard.order.begin());
  shard.bytes += bytes;
  while (shard.bytes > cache_->shard_budget_) {
    const Shard::Entry& oldest = shard.order.back();
    shard.bytes -= oldest.bytes;
    shard.at.erase(oldest.key);
    shard.order.pop_back();
  }
}

size_t PositionCache::BytesHeld() const {
  size_t bytes = 0;
  for (const Shard& shard : shards_) {
    std::lock_guard<std::mutex> lock(shard.mutex);
    bytes += shard.bytes;
  }
  return bytes;
}

size_t PositionCache::ListsHeld() const {
  size_t lists = 0;
  for (const Shard& shard : shards_) {
    std::lock_guard<std::mutex> lock(shard.mutex);
    lists += shard.order.size();
  }
  return lists;
}

}  // namespace dossier
