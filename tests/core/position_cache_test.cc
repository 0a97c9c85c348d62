// Tests of the position lists kept across searches (position_cache.h):
// found as kept, evicted least recently used first within the budget, and
// never served across revisions of the index.
#include "position_cache.h"

#include <gtest/gtest.h>

#include <xapian.h>

#include <memory>
#include <string>
#include <vector>

#include "support/test_support.h"

namespace dossier {
namespace {

PositionCache::Positions List(std::vector<Xapian::termpos> positions) {
  return std::make_shared<const std::vector<Xapian::termpos>>(std::move(positions));
}

// A database with one entry at revision 1; `commit_more` commits another.
struct Index {
  testing::TempDir dir;
  Xapian::WritableDatabase writer{dir.path() + "/db", Xapian::DB_CREATE};
  Index() { CommitMore(); }
  void CommitMore() {
    Xapian::Document doc;
    doc.add_term("word");
    writer.add_document(doc);
    writer.commit();
  }
  Xapian::Database Reader() const { return Xapian::Database(dir.path() + "/db"); }
};

TEST(PositionCacheTest, AListIsFoundByItsDocumentAndTermOnly) {
  Index index;
  PositionCache cache(1 << 20);
  const PositionCache::View view = cache.For(index.Reader());
  ASSERT_TRUE(view.valid());
  EXPECT_EQ(view.Find(1, "Zreport"), nullptr);
  view.Keep(1, "Zreport", List({3, 9, 40}));
  view.Keep(2, "Zreport", List({5}));
  view.Keep(1, "report", List({7}));
  ASSERT_NE(view.Find(1, "Zreport"), nullptr);
  EXPECT_EQ(*view.Find(1, "Zreport"), (std::vector<Xapian::termpos>{3, 9, 40}));
  EXPECT_EQ(*view.Find(2, "Zreport"), (std::vector<Xapian::termpos>{5}));
  EXPECT_EQ(*view.Find(1, "report"), (std::vector<Xapian::termpos>{7}));
  EXPECT_EQ(view.Find(3, "Zreport"), nullptr);
  EXPECT_EQ(view.Find(1, "Zrepor"), nullptr);
  // A second view of the same revision shares what the first kept.
  EXPECT_NE(cache.For(index.Reader()).Find(2, "Zreport"), nullptr);
  EXPECT_EQ(cache.ListsHeld(), 3u);
}

TEST(PositionCacheTest, TheLeastRecentlyUsedListsGoFirstAndTheBudgetHolds) {
  Index index;
  // 16 shards of 4 KiB: a list of 300 positions (1.2 KB and the entry's
  // share) leaves room for one more in its shard, not two.
  constexpr size_t kBudget = 16 * 4096;
  PositionCache cache(kBudget);
  const PositionCache::View view = cache.For(index.Reader());
  const std::vector<Xapian::termpos> long_list(300, 1);
  for (Xapian::docid did = 1; did <= 200; ++did) {
    view.Keep(did, "the", List(long_list));
    EXPECT_LE(cache.BytesHeld(), kBudget);
    // Document 1's list is used after each addition: it stays.
    ASSERT_NE(view.Find(1, "the"), nullptr) << "after document " << did;
  }
  EXPECT_LT(cache.ListsHeld(), 40u);
  EXPECT_EQ(view.Find(2, "the"), nullptr) << "an early list no search used again is gone";
  EXPECT_NE(view.Find(200, "the"), nullptr) << "the last list kept is there";
  // A list larger than a shard's share is not kept (it would push out the rest).
  view.Keep(7, "and", List(std::vector<Xapian::termpos>(5000, 1)));
  EXPECT_EQ(view.Find(7, "and"), nullptr);
}

TEST(PositionCacheTest, ListsAreServedForTheRevisionTheyWereReadAtOnly) {
  Index index;
  PositionCache cache(1 << 20);
  Xapian::Database old_handle = index.Reader();
  const PositionCache::View before = cache.For(old_handle);
  before.Keep(1, "word", List({1}));
  index.CommitMore();
  Xapian::Database new_handle = index.Reader();
  const PositionCache::View after = cache.For(new_handle);
  ASSERT_TRUE(after.valid());
  EXPECT_EQ(after.Find(1, "word"), nullptr) << "a newer revision starts empty";
  EXPECT_EQ(cache.ListsHeld(), 0u) << "and the old lists are let go";
  // A search that began at the old revision cannot add to the new one's lists.
  before.Keep(1, "word", List({1}));
  EXPECT_EQ(after.Find(1, "word"), nullptr);
  // A handle still at the old revision is not served at all.
  const PositionCache::View behind = cache.For(old_handle);
  EXPECT_FALSE(behind.valid());
  behind.Keep(2, "word", List({2}));
  EXPECT_EQ(behind.Find(2, "word"), nullptr);
  EXPECT_EQ(after.Find(2, "word"), nullptr);
  after.Keep(2, "word", List({2}));
  EXPECT_NE(after.Find(2, "word"), nullptr);
  // Another database (a compaction swaps in a new one) starts afresh too.
  Index other;
  const PositionCache::View elsewhere = cache.For(other.Reader());
  ASSERT_TRUE(elsewhere.valid());
  EXPECT_EQ(elsewhere.Find(2, "word"), nullptr);
}

}  // namespace
}  // namespace dossier
