// ResponseCache (see response_cache.h).
#include "response_cache.h"

#include <algorithm>
#include <functional>

namespace dossier::server {

ResponseCache::ResponseCache(size_t max_bytes, size_t shards)
    : max_bytes_(max_bytes), shard_bytes_(std::max<size_t>(1, max_bytes / std::max<size_t>(1, shards))) {
  shards_.reserve(std::max<size_t>(1, shards));
  for (size_t i = 0; i < std::max<size_t>(1, shards); ++i) shards_.push_back(std::make_unique<Shard>());
}

void ResponseCache::Shard::Clear() {
  lru.clear();
  index.clear();
  bytes = 0;
}

ResponseCache::Shard& ResponseCache::ShardFor(const std::string& key) {
  return *shards_[std::hash<std::string>{}(key) % shards_.size()];
}

std::shared_ptr<const std::string> ResponseCache::Get(const std::string& key, uint64_t version) {
  Shard& shard = ShardFor(key);
  std::lock_guard<std::mutex> lock(shard.mutex);
  if (shard.version != version) {
    // Entries of another version answer nothing now; an older version never comes back.
    if (version > shard.version) {
      shard.Clear();
      shard.version = version;
    }
    ++shard.misses;
    return nullptr;
  }
  auto it = shard.index.find(key);
  if (it == shard.index.end()) {
    ++shard.misses;
    return nullptr;
  }
  shard.lru.splice(shard.lru.begin(), shard.lru, it->second);
  ++shard.hits;
  return it->second->body;
}

void ResponseCache::Put(const std::string& key, uint64_t version, std::shared_ptr<const std::string> body) {
  if (!body) return;
  const size_t charge = key.size() + body->size() + kEntryOverheadBytes;
  if (charge > shard_bytes_ / 8) return;  // one large answer must not flush everything else
  Shard& shard = ShardFor(key);
  std::lock_guard<std::mutex> lock(shard.mutex);
  if (version < shard.version) return;  // computed on data that has changed since
  if (version > shard.version) {
    shard.Clear();
    shard.version = version;
  }
  if (auto it = shard.index.find(key); it != shard.index.end()) {
    shard.bytes -= it->second->charge;
    shard.lru.erase(it->second);
    shard.index.erase(it);
  }
  shard.lru.push_front(Entry{key, std::move(body), charge});
  shard.index.emplace(key, shard.lru.begin());
  shard.bytes += charge;
  while (shard.bytes > shard_bytes_ && !shard.lru.empty()) {
    Entry& last = shard.lru.back();
    shard.bytes -= last.charge;
    shard.index.erase(last.key);
    shard.lru.pop_back();
  }
}

ResponseCache::Counters ResponseCache::counters() const {
  Counters c;
  for (const auto& shard : shards_) {
    std::lock_guard<std::mutex> lock(shard->mutex);
    c.hits += shard->hits;
    c.misses += shard->misses;
    c.entries += shard->lru.size();
    c.bytes += shard->bytes;
  }
  return c;
}

}  // namespace dossier::server
