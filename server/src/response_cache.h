// ResponseCache: the bodies of recent successful answers, so that a request
// repeated while the data has not changed (dashboards polling the same
// searches, trackers re-reading the same entities) costs a hash lookup
// instead of a search. Entries are keyed by the canonical request and the
// data version they were computed at (QueryService::DataVersion): an answer
// computed before an ingest's commit became visible is never served after it.
//
// Bounded in bytes (keys + bodies + a fixed overhead per entry), least
// recently used out first; sharded so concurrent requests rarely share a
// lock. Thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <list>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

namespace dossier::server {

class ResponseCache {
 public:
  // `max_bytes` > 0. Bodies larger than an eighth of a shard's share are not kept.
  explicit ResponseCache(size_t max_bytes, size_t shards = 16);

  // The body cached for `key` at `version`, or null. An entry of another
  // version is dropped (and so is its whole shard when `version` is newer).
  std::shared_ptr<const std::string> Get(const std::string& key, uint64_t version);
  // Keeps `body` as the answer to `key` at `version`.
  void Put(const std::string& key, uint64_t version, std::shared_ptr<const std::string> body);

  struct Counters {
    uint64_t hits = 0;
    uint64_t misses = 0;
    uint64_t entries = 0;
    uint64_t bytes = 0;
  };
  Counters counters() const;
  size_t max_bytes() const { return max_bytes_; }

  // What one entry is charged: its key, its body and this much more.
  static constexpr size_t kEntryOverheadBytes = 128;

 private:
  struct Entry {
    std::string key;
    std::shared_ptr<const std::string> body;
    size_t charge = 0;
  };
  struct Shard {
    mutable std::mutex mutex;
    uint64_t version = 0;  // every entry's version
    std::list<Entry> lru;  // most recently used first
    std::unordered_map<std::string, std::list<Entry>::iterator> index;
    size_t bytes = 0;
    uint64_t hits = 0;
    uint64_t misses = 0;
    void Clear();
  };
  Shard& ShardFor(const std::string& key);

  size_t max_bytes_;
  size_t shard_bytes_;
  std::vector<std::unique_ptr<Shard>> shards_;
};

}  // namespace dossier::server
