// Tests of StagedGraphChange (graph.h): a document's graph change is made
// in steps that read each other's writes, and reaches RocksDB in one batch
// at Commit(), or not at all.
#include <gtest/gtest.h>

#include <rocksdb/db.h>
#include <rocksdb/statistics.h>

#include <memory>
#include <string>
#include <vector>

#include "graph.h"
#include "support/test_support.h"

namespace dossier {
namespace {

using testing::TempDir;

class StagedGraphChangeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    rocksdb::Options options;
    options.create_if_missing = true;
    options.create_missing_column_families = true;
    options.statistics = rocksdb::CreateDBStatistics();
    statistics_ = options.statistics;
    std::vector<rocksdb::ColumnFamilyDescriptor> families;
    for (const char* name : {"default", "nodes", "edges", "edges_in", "doc_edges", "aliases", "pages"}) {
      families.emplace_back(name, rocksdb::ColumnFamilyOptions());
    }
    rocksdb::DB* db = nullptr;
    ASSERT_TRUE(rocksdb::DB::Open(options, dir_ / "db", families, &handles_, &db).ok());
    db_.reset(db);
    graph_.db = db;
    graph_.nodes = handles_[1];
    graph_.edges = handles_[2];
    graph_.edges_in = handles_[3];
    graph_.doc_edges = handles_[4];
    graph_.aliases = handles_[5];
    pages_ = handles_[6];  // not the graph's: a document record's column
    graph_.data_dir = dir_ / "db";
  }
  void TearDown() override {
    for (rocksdb::ColumnFamilyHandle* h : handles_) db_->DestroyColumnFamilyHandle(h);
  }
  // What a reader of the stored graph sees (no staged writes).
  bool Stored(const std::string& key) {
    std::string value;
    return db_->Get(rocksdb::ReadOptions(), graph_.nodes, key, &value).ok();
  }
  // What a step of the change sees.
  bool Seen(const GraphColumns& graph, const std::string& key) {
    std::string value;
    bool found = false;
    EXPECT_TRUE(GraphGet(graph, graph.nodes, key, &value, &found).ok());
    return found;
  }
  std::vector<std::string> Scanned(const GraphColumns& graph) {
    std::vector<std::string> keys;
    std::unique_ptr<rocksdb::Iterator> it = GraphIterator(graph, graph.nodes);
    for (it->SeekToFirst(); it->Valid(); it->Next()) keys.push_back(it->key().ToString());
    return keys;
  }

  TempDir dir_;
  std::vector<rocksdb::ColumnFamilyHandle*> handles_;
  rocksdb::ColumnFamilyHandle* pages_ = nullptr;
  std::shared_ptr<rocksdb::Statistics> statistics_;  // counts the DB's writes
  std::unique_ptr<rocksdb::DB> db_;
  GraphColumns graph_;
};

TEST_F(StagedGraphChangeTest, StepsSeeEachOthersWritesAndReadersSeeAllOrNothing) {
  ASSERT_TRUE(db_->Put(rocksdb::WriteOptions(), graph_.nodes, "a", "1").ok());
  ASSERT_TRUE(db_->Put(rocksdb::WriteOptions(), graph_.nodes, "b", "1").ok());
  {
    StagedGraphChange change(graph_);
    rocksdb::WriteBatch first;  // a step: one node goes, another comes
    first.Delete(graph_.nodes, "a");
    first.Put(graph_.nodes, "c", "1");
    ASSERT_TRUE(GraphWrite(change.graph(), &first).ok());
    // The next step reads what the first wrote...
    EXPECT_FALSE(Seen(change.graph(), "a"));
    EXPECT_TRUE(Seen(change.graph(), "c"));
    EXPECT_EQ(Scanned(change.graph()), (std::vector<std::string>{"b", "c"}));
    // ...and a reader of the store sees none of it yet.
    EXPECT_TRUE(Stored("a"));
    EXPECT_FALSE(Stored("c"));
    {
      // A change made inside another adds to it and writes nothing itself.
      StagedGraphChange nested(change.graph());
      rocksdb::WriteBatch second;
      second.Put(graph_.nodes, "d", "1");
      ASSERT_TRUE(GraphWrite(nested.graph(), &second).ok());
      ASSERT_TRUE(nested.Commit().ok());
      EXPECT_FALSE(Stored("d"));
      EXPECT_TRUE(Seen(change.graph(), "d"));
    }
    ASSERT_TRUE(change.Commit().ok());
  }
  EXPECT_FALSE(Stored("a"));
  EXPECT_TRUE(Stored("b"));
  EXPECT_TRUE(Stored("c"));
  EXPECT_TRUE(Stored("d"));

  // A change that fails before Commit() leaves the stored graph as it was.
  {
    StagedGraphChange abandoned(graph_);
    rocksdb::WriteBatch step;
    step.Delete(graph_.nodes, "b");
    ASSERT_TRUE(GraphWrite(abandoned.graph(), &step).ok());
  }
  EXPECT_TRUE(Stored("b"));
  // Without a change, a step's batch is written at once.
  rocksdb::WriteBatch direct;
  direct.Put(graph_.nodes, "e", "1");
  ASSERT_TRUE(GraphWrite(graph_, &direct).ok());
  EXPECT_TRUE(Stored("e"));
}

TEST_F(StagedGraphChangeTest, ARecordsBatchAndTheGraphChangeAreOneWrite) {
  // The document record's batch holds what an indexed batch cannot (a
  // DeleteRange over its old pages) and goes in the same write as the graph.
  ASSERT_TRUE(db_->Put(rocksdb::WriteOptions(), pages_, "doc/1", "old page").ok());
  ASSERT_TRUE(db_->Put(rocksdb::WriteOptions(), pages_, "doc/2", "old page").ok());
  const uint64_t writes_before = statistics_->getTickerCount(rocksdb::WRITE_DONE_BY_SELF);
  {
    StagedGraphChange change(graph_);
    rocksdb::WriteBatch record;
    ASSERT_TRUE(record.DeleteRange(pages_, "doc/", "doc0").ok());
    ASSERT_TRUE(record.Put(pages_, "doc/1", "new page").ok());
    rocksdb::WriteBatch step;
    step.Put(graph_.nodes, "n", "1");
    ASSERT_TRUE(GraphWrite(change.graph(), &step).ok());
    EXPECT_FALSE(Stored("n"));
    {
      // Only the outermost change takes a batch of its own.
      StagedGraphChange nested(change.graph());
      rocksdb::WriteBatch other;
      Status refused = nested.Commit(&other);
      EXPECT_EQ(refused.code(), StatusCode::kFailedPrecondition) << refused.ToString();
    }
    ASSERT_TRUE(change.Commit(&record).ok());
  }
  // One write, and everything in it.
  EXPECT_EQ(statistics_->getTickerCount(rocksdb::WRITE_DONE_BY_SELF), writes_before + 1);
  EXPECT_TRUE(Stored("n"));
  std::string value;
  ASSERT_TRUE(db_->Get(rocksdb::ReadOptions(), pages_, "doc/1", &value).ok());
  EXPECT_EQ(value, "new page");
  EXPECT_TRUE(db_->Get(rocksdb::ReadOptions(), pages_, "doc/2", &value).IsNotFound());

  // A record's batch with a change that is abandoned is written by no one.
  {
    StagedGraphChange abandoned(graph_);
    rocksdb::WriteBatch record;
    ASSERT_TRUE(record.Put(pages_, "doc/3", "page").ok());
    rocksdb::WriteBatch step;
    step.Put(graph_.nodes, "m", "1");
    ASSERT_TRUE(GraphWrite(abandoned.graph(), &step).ok());
  }
  EXPECT_TRUE(db_->Get(rocksdb::ReadOptions(), pages_, "doc/3", &value).IsNotFound());
  EXPECT_FALSE(Stored("m"));
}

}  // namespace
}  // namespace dossier
