// ResponseCache: the bodies of recent successful answers, so that a request
// repeated while the data has not changed (dashboards polling the same
// searches, trackers re-reading the same entities) costs a hash lookup
// instead of a search. Entries are keyed by the canonical request and the
// data version they were computed at (QueryService::DataVersion): an answer
// computed before an ingest's commit became visible is never served after it.
//
// Bounded in bytes (what an entry takes: its body, its key twice and a
// fixed overhead; kEntryOverheadBytes), least
// recently used out first; sharded so concurrent requests rarely share a
// lock (dossier::ShardedLru). Thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "dossier/sharded_lru.h"

namespace dossier::server {

class ResponseCache {
 public:
  // `max_bytes` > 0. Bodies larger than an eighth of a shard's share are not kept.
  explicit ResponseCache(size_t max_bytes, size_t shards = 16);

  // The body cached for `key` at `version`, or null. An entry of another
  // version is not served (and its whole shard is emptied when `version` is newer).
  std::shared_ptr<const std::string> Get(const std::string& key, uint64_t version);
  // Keeps `body` as the answer to `key` at `version`.
  void Put(const std::string& key, uint64_t version, std::shared_ptr<const std::string> body);

  using Counters = ShardedLru<std::shared_ptr<const std::string>>::Counters;
  Counters counters() const { return bodies_.counters(); }
  size_t max_bytes() const { return bodies_.max_bytes(); }

  // What one entry is charged: its body, its key twice (the LRU list's
  // entry and the hash map's each hold a copy) and this much more: the list
  // and hash nodes, the shared block holding the body's string, a bucket,
  // and the allocator's headers.
  static constexpr size_t kEntryOverheadBytes = 256;

 private:
  ShardedLru<std::shared_ptr<const std::string>> bodies_;
};

}  // namespace dossier::server
