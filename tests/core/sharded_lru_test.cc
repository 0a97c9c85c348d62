// Tests of ShardedLru (dossier/sharded_lru.h) beyond what its two users'
// tests cover (tests/server/http_api_test.cc ResponseCacheTest,
// tests/core/position_cache_test.cc): a key kept again replaces its value
// and its charge, and Clear lets go of everything at the version held.
#include "dossier/sharded_lru.h"

#include <gtest/gtest.h>

#include <memory>
#include <string>

namespace dossier {
namespace {

using Lru = ShardedLru<std::shared_ptr<const int>>;

std::shared_ptr<const int> Value(int v) { return std::make_shared<const int>(v); }

TEST(ShardedLruTest, AKeyKeptAgainReplacesItsValueAndItsCharge) {
  Lru lru(1000, 1, /*largest_entry_divisor=*/2);  // entries of up to 500
  lru.Put("a", 3, Value(1), 400);
  lru.Put("a", 3, Value(2), 100);
  ASSERT_NE(lru.Find("a", 3), nullptr);
  EXPECT_EQ(*lru.Find("a", 3), 2);
  EXPECT_EQ(lru.counters().entries, 1u);
  EXPECT_EQ(lru.counters().bytes, 100u) << "the first value's charge was given back";
  // Charged more than an entry may be: not kept, and what was held stays.
  lru.Put("a", 3, Value(3), 501);
  EXPECT_EQ(*lru.Find("a", 3), 2);
  // Nine entries of 100 fit with "a"; the tenth pushes out the least recently used.
  for (int i = 0; i < 10; ++i) lru.Put("k" + std::to_string(i), 3, Value(i), 100);
  EXPECT_EQ(lru.Find("a", 3), nullptr);
  EXPECT_NE(lru.Find("k9", 3), nullptr);
  EXPECT_LE(lru.counters().bytes, 1000u);
}

TEST(ShardedLruTest, ClearLetsGoOfEveryEntryAndKeepsTheVersion) {
  Lru lru(1 << 16, 4, /*largest_entry_divisor=*/16);  // entries of up to 1 KiB
  for (int i = 0; i < 20; ++i) lru.Put("k" + std::to_string(i), 5, Value(i), 10);
  EXPECT_EQ(lru.counters().entries, 20u);
  lru.Clear();
  EXPECT_EQ(lru.counters().entries, 0u);
  EXPECT_EQ(lru.counters().bytes, 0u);
  EXPECT_EQ(lru.Find("k1", 5), nullptr);
  // The shards are still at version 5: a value of version 4 is not kept.
  lru.Put("k1", 4, Value(1), 10);
  lru.Put("k2", 5, Value(2), 10);
  EXPECT_EQ(lru.Find("k1", 4), nullptr);
  EXPECT_NE(lru.Find("k2", 5), nullptr);
}

}  // namespace
}  // namespace dossier
