// ResponseCache (see response_cache.h).
#include "response_cache.h"

#include <utility>

namespace dossier::server {

ResponseCache::ResponseCache(size_t max_bytes, size_t shards)
    : bodies_(max_bytes, shards, /*largest_entry_divisor=*/8) {}

std::shared_ptr<const std::string> ResponseCache::Get(const std::string& key, uint64_t version) {
  return bodies_.Find(key, version);
}

void ResponseCache::Put(const std::string& key, uint64_t version, std::shared_ptr<const std::string> body) {
  if (!body) return;
  const size_t charge = 2 * key.size() + body->size() + kEntryOverheadBytes;
  bodies_.Put(key, version, std::move(body), charge);
}

}  // namespace dossier::server
