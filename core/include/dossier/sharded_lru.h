// ShardedLru: a map bounded in bytes that lets go of its least recently used
// entries first, split into shards that each have their own lock so that
// concurrent searches rarely wait on one another. Each entry belongs to a
// version of the data it was computed from: an entry is found only at the
// version it was kept at, and a shard that sees a newer version empties
// itself. Used by dossierd's response cache (server/src/response_cache.h)
// and by the position lists kept across searches
// (core/src/store/position_cache.h). Thread-safe.
//
// `Value` is a handle that is cheap to copy and empty when default-made
// (a shared_ptr): Find returns an empty Value when nothing is held.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <list>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

namespace dossier {

template <typename Value>
class ShardedLru {
 public:
  // `max_bytes` is shared evenly by `shards` (at least one); an entry
  // charged more than a shard's share divided by `largest_entry_divisor`
  // is not kept, so that one large entry does not push out everything else.
  ShardedLru(size_t max_bytes, size_t shards, size_t largest_entry_divisor = 1)
      : max_bytes_(max_bytes),
        shard_bytes_(std::max<size_t>(1, max_bytes / std::max<size_t>(1, shards))),
        max_entry_bytes_(shard_bytes_ / std::max<size_t>(1, largest_entry_divisor)) {
    shards_.reserve(std::max<size_t>(1, shards));
    for (size_t i = 0; i < std::max<size_t>(1, shards); ++i) shards_.push_back(std::make_unique<Shard>());
  }

  // The value kept for `key` at `version`, or an empty Value. A shard at an
  // older version is emptied first: its entries answer nothing any more.
  Value Find(const std::string& key, uint64_t version) {
    Shard& shard = ShardOf(key);
    std::lock_guard<std::mutex> lock(shard.mutex);
    if (version > shard.version) shard.Reset(version);
    auto found = version == shard.version ? shard.at.find(key) : shard.at.end();
    if (found == shard.at.end()) {
      ++shard.misses;
      return Value();
    }
    shard.order.splice(shard.order.begin(), shard.order, found->second);
    ++shard.hits;
    return found->second->value;
  }

  // Keeps `value` for `key` at `version`, charged `charge` bytes, in place
  // of what the key held. Dropped when computed at a version older than the
  // shard's (the data has changed since) or when charged too much.
  void Put(const std::string& key, uint64_t version, Value value, size_t charge) {
    if (charge > max_entry_bytes_) return;
    Shard& shard = ShardOf(key);
    std::lock_guard<std::mutex> lock(shard.mutex);
    if (version < shard.version) return;
    if (version > shard.version) shard.Reset(version);
    if (auto held = shard.at.find(key); held != shard.at.end()) {
      shard.bytes -= held->second->charge;
      shard.order.erase(held->second);
      shard.at.erase(held);
    }
    shard.order.push_front(Entry{key, std::move(value), charge});
    shard.at.emplace(key, shard.order.begin());
    shard.bytes += charge;
    while (shard.bytes > shard_bytes_) {
      const Entry& oldest = shard.order.back();
      shard.bytes -= oldest.charge;
      shard.at.erase(oldest.key);
      shard.order.pop_back();
    }
  }

  // Lets go of every entry (versions stay as they are).
  void Clear() {
    for (auto& shard : shards_) {
      std::lock_guard<std::mutex> lock(shard->mutex);
      shard->Reset(shard->version);
    }
  }

  struct Counters {
    uint64_t hits = 0;
    uint64_t misses = 0;
    uint64_t entries = 0;
    uint64_t bytes = 0;  // as charged
  };
  Counters counters() const {
    Counters c;
    for (const auto& shard : shards_) {
      std::lock_guard<std::mutex> lock(shard->mutex);
      c.hits += shard->hits;
      c.misses += shard->misses;
      c.entries += shard->order.size();
      c.bytes += shard->bytes;
    }
    return c;
  }
  size_t max_bytes() const { return max_bytes_; }
  size_t shard_bytes() const { return shard_bytes_; }

 private:
  struct Entry {
    std::string key;
    Value value;
    size_t charge = 0;
  };
  struct Shard {
    mutable std::mutex mutex;
    uint64_t version = 0;     // every entry's version
    std::list<Entry> order;   // most recently used first
    std::unordered_map<std::string, typename std::list<Entry>::iterator> at;
    size_t bytes = 0;
    uint64_t hits = 0;
    uint64_t misses = 0;
    void Reset(uint64_t new_version) {
      order.clear();
      at.clear();
      bytes = 0;
      version = new_version;
    }
  };
  Shard& ShardOf(const std::string& key) { return *shards_[std::hash<std::string>{}(key) % shards_.size()]; }

  const size_t max_bytes_;
  const size_t shard_bytes_;
  const size_t max_entry_bytes_;
  std::vector<std::unique_ptr<Shard>> shards_;
};

}  // namespace dossier
