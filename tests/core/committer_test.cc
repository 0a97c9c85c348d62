// Tests of the Committer (core/src/ingest/committer.h): the tasks an ingest
// run's dispatcher hands it, committed to a store made here, with no worker.
#include "committer.h"

#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <string>
#include <thread>

#include "support/test_support.h"

namespace dossier {
namespace {

using testing::TempDir;

class CommitterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    plugins_ = PluginHost::LoadDirectory(DOSSIER_PLUGIN_DIR);
    languages_ = std::move(LanguageDetector::Create()).value();
    store_ = std::move(Store::Open(data_ / "data", StoreMode::kReadWrite)).value();
    options_.on_file = [this](const FileResult& r) { reported_[r.path] = r; };
  }

  std::unique_ptr<Committer> MakeCommitter() {
    return std::make_unique<Committer>(store_.get(), plugins_.get(), languages_.get(), options_, &in_flight_,
                                       &failure_, [] { return uint64_t{7}; });
  }

  // A file a worker extracted: the task that stores it.
  Task Extracted(const std::string& path, const std::string& text, int64_t ingested_at_ms = 1000) {
    Task task;
    task.kind = Task::kStore;
    task.extracted = true;
    task.result.path = path;
    task.result.mime_type = "text/plain";
    task.source = {path, text.size(), 1};
    Document& doc = task.doc;
    doc.id = DocumentId::FromHex(Sha256Hex(text).substr(0, DocumentId::kSize * 2)).value();
    task.result.id = doc.id;
    doc.mime_type = "text/plain";
    doc.size_bytes = text.size();
    doc.sources = {task.source};
    doc.extracted_by = "text 0.1.0";
    doc.ingested_at_ms = ingested_at_ms;
    doc.pages = {{1, text}};
    return task;
  }

  TempDir data_;
  std::unique_ptr<PluginHost> plugins_;
  std::unique_ptr<LanguageDetector> languages_;
  std::unique_ptr<Store> store_;
  IngestOptions options_;
  InFlightDocuments in_flight_;
  RunFailure failure_;
  std::map<std::string, FileResult> reported_;
};

const char kReport[] =
    "Evaluation of the School Feeding Programme\n\n"
    "The programme reached most districts in time, and the evaluation team found that the meals improved "
    "attendance in rural schools.\n\n"
    "Recommendation 1: The Ministry of Education should publish the list of schools served each year.\n";

TEST_F(CommitterTest, AStoredDocumentIsFinishedAndItsDuplicatesFollowIt) {
  std::unique_ptr<Committer> committer = MakeCommitter();
  Task task = Extracted("/in/feeding.txt", kReport);
  const DocumentId id = task.doc.id;
  // A copy of the same bytes found while the first was in a worker.
  in_flight_.Start(id);
  ASSERT_TRUE(in_flight_.Join(id, {"/in/copy/feeding.txt", sizeof(kReport) - 1, 2}));
  committer->Commit(task);
  ASSERT_TRUE(failure_.Get().ok()) << failure_.Get().ToString();
  ASSERT_TRUE(store_->Flush().ok());

  Result<std::optional<Document>> stored = store_->ReadDocument(id);
  ASSERT_TRUE(stored.ok() && *stored);
  const Document& doc = **stored;
  // Finished by the committer: language, title, extractors and their facts.
  EXPECT_EQ(doc.language, "en");
  EXPECT_EQ(doc.title, "Evaluation of the School Feeding Programme");
  EXPECT_FALSE(doc.extractors.empty());
  bool recommendation = false;
  for (const std::string& fact : doc.facts) recommendation |= fact.find("\"recommendation\"") != std::string::npos;
  EXPECT_TRUE(recommendation);
  ASSERT_EQ(doc.sources.size(), 2u);  // the copy joined it

  EXPECT_EQ(reported_["/in/feeding.txt"].outcome, FileOutcome::kIngested);
  EXPECT_EQ(reported_["/in/feeding.txt"].pages, 1u);
  EXPECT_EQ(reported_["/in/copy/feeding.txt"].outcome, FileOutcome::kDuplicate);
  EXPECT_EQ(reported_["/in/copy/feeding.txt"].message, "same content as /in/feeding.txt");
  EXPECT_TRUE(in_flight_.Release(id).empty());
  EXPECT_EQ(committer->summary().files, 2u);
  EXPECT_EQ(committer->summary().ingested, 1u);
  EXPECT_EQ(committer->summary().duplicates, 1u);
}

TEST_F(CommitterTest, AFailureIsRecordedForTheFileAndTheCopiesThatWaitedForIt) {
  std::unique_ptr<Committer> committer = MakeCommitter();
  Task task = Extracted("/in/broken.pdf", "not really", 1);
  const DocumentId id = task.doc.id;
  in_flight_.Start(id);
  ASSERT_TRUE(in_flight_.Join(id, {"/in/again/broken.pdf", 10, 3}));
  task.kind = Task::kFailure;
  task.result.outcome = FileOutcome::kFailed;
  task.result.message = "the pdf plugin crashed";
  committer->Commit(task);
  ASSERT_TRUE(failure_.Get().ok());

  Result<std::optional<FailureEntry>> first = store_->LookupFailure("/in/broken.pdf");
  ASSERT_TRUE(first.ok() && *first);
  EXPECT_EQ((*first)->reason, "the pdf plugin crashed");
  Result<std::optional<FailureEntry>> copy = store_->LookupFailure("/in/again/broken.pdf");
  ASSERT_TRUE(copy.ok() && *copy);
  EXPECT_EQ((*copy)->reason, "the pdf plugin crashed (same content as /in/broken.pdf)");
  EXPECT_EQ((*copy)->mtime_ns, 3);
  EXPECT_EQ(reported_["/in/again/broken.pdf"].outcome, FileOutcome::kFailed);
  Result<std::optional<DocumentSummary>> none = store_->GetDocument(id);
  ASSERT_TRUE(none.ok());
  EXPECT_FALSE(*none);
  EXPECT_EQ(committer->summary().failed, 2u);
}

TEST_F(CommitterTest, DocumentsAreStoredInOrderOfTheQueueWithIncreasingTimes) {
  std::vector<IngestProgress> progress;
  options_.on_progress = [&](const IngestProgress& p) { progress.push_back(p); };
  std::unique_ptr<Committer> committer = MakeCommitter();
  TaskQueue queue(4);
  std::thread thread([&] { committer->Run(&queue); });
  // Three files whose workers gave the same clock reading.
  std::vector<DocumentId> ids;
  for (int i = 0; i < 3; ++i) {
    Task task = Extracted("/in/" + std::to_string(i) + ".txt", std::string(kReport) + "Annex " + std::to_string(i), 5000);
    ids.push_back(task.doc.id);
    queue.Push(std::move(task));
  }
  queue.Push({Task::kProgress});
  queue.Close();
  thread.join();
  ASSERT_TRUE(failure_.Get().ok()) << failure_.Get().ToString();
  // Run() flushed: the documents are searchable without another call.
  int64_t last = 0;
  for (const DocumentId& id : ids) {
    Result<std::optional<DocumentSummary>> doc = store_->GetDocument(id);
    ASSERT_TRUE(doc.ok() && *doc);
    EXPECT_GT((*doc)->ingested_at_ms, last);
    last = (*doc)->ingested_at_ms;
  }
  EXPECT_EQ(last, 5002);
  ASSERT_FALSE(progress.empty());
  EXPECT_EQ(progress.back().done, 3u);
  EXPECT_EQ(progress.back().extracted, 3u);
  EXPECT_EQ(progress.back().discovered, 7u);
}

}  // namespace
}  // namespace dossier
