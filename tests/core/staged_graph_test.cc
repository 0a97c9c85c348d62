// Tests of StagedGraphChange (graph.h): a document's graph change is made
// in steps that read each other's writes, and reaches RocksDB in one batch
// at Commit(), or not at all.
#include <gtest/gtest.h>

#include <rocksdb/db.h>

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
    std::vector<rocksdb::ColumnFamilyDescriptor> families;
    for (const char* name : {"default", "nodes", "edges", "edges_in", "doc_edges", "aliases"}) {
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

}  // namespace
}  // namespace dossier
