// ResponseCache (see response_cache.h).
#include "response_cache.h"

#include <algorithm>
#include <utility>

namespace dossier::server {

namespace {
size_t ShardBytes(size_t max_bytes, size_t shards) {
  return std::max<size_t>(1, max_bytes / std::max<size_t>(1, shards));
}
}  // namespace

ResponseCache::ResponseCache(size_t max_bytes, size_t shards)
    : bodies_(max_bytes, shards, ShardBytes(max_bytes, shards) / 8) {}

std::shared_ptr<const std::string> ResponseCache::Get(const std::string& key, uint64_t version) {
  return bodies_.Find(key, version);
}

void ResponseCache::Put(const std::string& key, uint64_t version, std::shared_ptr<const std::string> body) {
  if (!body) return;
  const size_t charge = key.size() + body->size() + kEntryOverheadBytes;
  bodies_.Put(key, version, std::move(body), charge);
}

}  // namespace dossier::server
