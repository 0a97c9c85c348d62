// dossier merge in core: shard folders merged into one answer as a single
// folder holding the same documents (graph exports, export records, search
// totals); a second merge writes only what changed; a killed merge is
// finished by the next; the newest version of a path wins; and folders
// that must not be merged are refused with their names.
#include "dossier/merge.h"

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "dossier/query_service.h"
#include "dossier/store.h"
#include "graph_documents.h"
#include "support/test_support.h"
#include "word_pairs.h"

namespace dossier {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using testing::TempDir;

// Everything a user could read back from a folder: the graph in both export
// formats, every document's export record and stored facts, and the totals
// and hit sets of a few searches.
std::string Everything(const std::string& dir) {
  auto store = std::shared_ptr<Store>(std::move(Store::Open(dir, StoreMode::kReadOnly)).value());
  QueryService service(store);
  std::ostringstream out;
  EXPECT_TRUE(service.ExportGraph("jsonld", out).ok());
  EXPECT_TRUE(service.ExportGraph("graphml", out).ok());
  Result<std::vector<DocumentSummary>> docs = store->ListDocuments(1000, 0);
  EXPECT_TRUE(docs.ok());
  for (const DocumentSummary& doc : docs.value()) {
    Result<json> record = service.ExportRecord(doc);
    EXPECT_TRUE(record.ok());
    out << record.value().dump() << "\n";
    Result<std::optional<Document>> whole = store->ReadDocument(doc.id);
    EXPECT_TRUE(whole.ok() && whole->has_value());
    if (whole.ok() && whole->has_value()) {
      for (const std::string& fact : (*whole)->facts) out << fact << "\n";
      for (const PageText& page : (*whole)->pages) out << page.number << ":" << page.text << "\n";
      out << (*whole)->ingested_at_ms << "\n";
    }
  }
  for (const char* query : {"text", "evaluation", "bare OR second", "doc"}) {
    SearchRequest request;
    request.query = query;
    request.limit = 100;
    Result<SearchResponse> found = store->Search(request);
    EXPECT_TRUE(found.ok()) << query << ": " << found.status().message();
    if (!found.ok()) continue;
    std::set<std::string> ids;
    for (const SearchHit& hit : found->hits) ids.insert(hit.id.ToHex());
    out << query << ": " << found->total << " [";
    for (const std::string& id : ids) out << id << " ";
    out << "]\n";
  }
  return out.str();
}

// The lines of `want` and `got` that differ first, for a readable failure.
void ExpectSame(const std::string& want, const std::string& got, const std::string& how) {
  if (want == got) return;
  std::istringstream x(want), y(got);
  std::string lx, ly;
  while (std::getline(x, lx) && std::getline(y, ly) && lx == ly) {
  }
  ADD_FAILURE() << how << ": the folders answer differently\n  want: " << lx.substr(0, 300)
                << "\n  got:  " << ly.substr(0, 300);
}

std::vector<Document> Timed(std::vector<Document> docs) {
  for (size_t i = 0; i < docs.size(); ++i) docs[i].ingested_at_ms = 1'700'000'000'000 + static_cast<int64_t>(i) * 1000;
  return docs;
}

void Fill(const std::string& dir, const std::vector<Document>& docs) {
  auto store = std::move(Store::Open(dir, StoreMode::kReadWrite)).value();
  for (const Document& doc : docs) ASSERT_TRUE(store->PutDocument(doc).ok());
  ASSERT_TRUE(store->Flush().ok());
}

class MergeTest : public ::testing::Test {
 protected:
  // The corpus spread over three shards (document i in shard i % 3), and
  // all of it in one folder.
  void SetUp() override {
    docs_ = Timed(graph_documents::Corpus());
    std::vector<std::vector<Document>> shares(3);
    for (size_t i = 0; i < docs_.size(); ++i) shares[i % 3].push_back(docs_[i]);
    for (size_t k = 0; k < 3; ++k) {
      shards_.push_back(dir_ / ("shard" + std::to_string(k)));
      Fill(shards_.back(), shares[k]);
    }
    Fill(dir_ / "all", docs_);
  }

  Result<MergeReport> Merge(std::function<void(uint64_t, uint64_t)> progress = nullptr) {
    MergeOptions options;
    options.shard_dirs = shards_;
    options.into_dir = dir_ / "merged";
    options.progress = std::move(progress);
    return MergeDataFolders(options);
  }

  TempDir dir_;
  std::vector<Document> docs_;
  std::vector<std::string> shards_;
};

TEST_F(MergeTest, TheMergedFolderAnswersAsOneFolderOfTheSameDocuments) {
  Result<MergeReport> merged = Merge();
  ASSERT_TRUE(merged.ok()) << merged.status().message();
  EXPECT_EQ(merged->documents, docs_.size());
  EXPECT_EQ(merged->added, docs_.size());
  ASSERT_EQ(merged->shards.size(), 3u);
  EXPECT_EQ(merged->shards[0].documents, 2u);
  const std::string want = Everything(dir_ / "all");
  // The links the corpus makes span the shards (evaluation and response are
  // in different shards), so they are there only if the merge linked them.
  for (const char* link : {"rel:same_as", "rel:recurs", "rel:responds_to"}) {
    EXPECT_NE(want.find(link), std::string::npos) << link;
  }
  ExpectSame(want, Everything(dir_ / "merged"), "merged");
  // The merged page index has its word pairs (word_pairs.h), for its revision.
  const Xapian::Database merged_pages(dir_ / "merged/xapian");
  EXPECT_TRUE(WordPairSet::Parse(merged_pages.get_metadata(WordPairSet::kMetadataKey),
                                 WordPairSet::StampOf(merged_pages))
                  .has_value());
  EXPECT_TRUE(fs::exists(fs::path(dir_ / "merged") / kMergeManifestFile));
}

TEST_F(MergeTest, ASecondMergeWritesOnlyWhatChangedInTheShards) {
  ASSERT_TRUE(Merge().ok());
  // Shard 1 reads "update" again, changed (same path, new content, later);
  // shard 2 loses "bare".
  Document changed = graph_documents::Corpus()[2];
  changed.id = DocumentId::FromHex(Sha256Hex("update, changed").substr(0, 16)).value();
  changed.pages[0].text = "text of update, changed";
  changed.ingested_at_ms = 1'800'000'000'000;
  {
    auto shard = std::move(Store::Open(shards_[2], StoreMode::kReadWrite)).value();
    ASSERT_TRUE(shard->PutDocument(changed).ok());
    ASSERT_TRUE(shard->Flush().ok());
  }
  {
    auto shard = std::move(Store::Open(shards_[1], StoreMode::kReadWrite)).value();
    ASSERT_TRUE(shard->RemoveDocument(docs_[4].id).ok());
    ASSERT_TRUE(shard->Flush().ok());
  }
  uint64_t written = 0;
  Result<MergeReport> again = Merge([&](uint64_t, uint64_t) { ++written; });
  ASSERT_TRUE(again.ok()) << again.status().message();
  EXPECT_EQ(again->added, 1u);
  EXPECT_EQ(again->removed, 2u);  // the old "update" and "bare"
  EXPECT_EQ(again->unchanged, 3u);
  EXPECT_EQ(written, 3u);
  std::vector<Document> now = {docs_[0], docs_[1], docs_[3], changed};
  Fill(dir_ / "now", now);
  ExpectSame(Everything(dir_ / "now"), Everything(dir_ / "merged"), "after the second merge");
  // And a third merge with nothing changed writes nothing.
  Result<MergeReport> third = Merge();
  ASSERT_TRUE(third.ok());
  EXPECT_EQ(third->unchanged, 4u);
  EXPECT_EQ(third->added + third->updated + third->removed, 0u);
}

TEST_F(MergeTest, AMergeKilledHalfWayIsFinishedByTheNext) {
  const pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    // Dies after its second document, with nothing flushed: the pending
    // markers are all that say what was half done.
    Result<MergeReport> merged = Merge([](uint64_t done, uint64_t) {
      if (done == 2) _exit(0);
    });
    _exit(merged.ok() ? 3 : 4);
  }
  int status = 0;
  ASSERT_EQ(waitpid(child, &status, 0), child);
  ASSERT_TRUE(WIFEXITED(status));
  ASSERT_EQ(WEXITSTATUS(status), 0) << "the merge did not reach its second document";
  Result<MergeReport> finished = Merge();
  ASSERT_TRUE(finished.ok()) << finished.status().message();
  EXPECT_EQ(finished->documents, docs_.size());
  ExpectSame(Everything(dir_ / "all"), Everything(dir_ / "merged"), "merged after a kill");
  auto store = std::move(Store::Open(dir_ / "merged", StoreMode::kReadOnly)).value();
  Result<StoreStats> stats = store->Stats();
  ASSERT_TRUE(stats.ok());
  EXPECT_EQ(stats->pending, 0u);
  EXPECT_EQ(stats->index_entries, docs_.size());
}

TEST(MergeVersionsTest, ThePathGoesToTheNewestVersionAndSharedContentKeepsEveryPath) {
  TempDir dir;
  Document old_version = DocWithFacts("old", {});
  old_version.sources = {{"/in/report.txt", 10, 1}};
  old_version.ingested_at_ms = 1000;
  Document new_version = DocWithFacts("new", {});
  new_version.sources = {{"/in/report.txt", 12, 2}};
  new_version.ingested_at_ms = 2000;
  Document shared_a = DocWithFacts("shared", {});
  shared_a.sources = {{"/in/a/copy.txt", 10, 1}};
  shared_a.ingested_at_ms = 1000;
  Document shared_b = shared_a;
  shared_b.sources = {{"/in/b/copy.txt", 10, 1}};
  shared_b.ingested_at_ms = 1500;
  // The newer version is in the first shard, so the order shards are named
  // in does not decide.
  Fill(dir / "s0", {new_version, shared_a});
  Fill(dir / "s1", {old_version, shared_b});
  MergeOptions options;
  options.shard_dirs = {dir / "s0", dir / "s1"};
  options.into_dir = dir / "merged";
  Result<MergeReport> merged = MergeDataFolders(options);
  ASSERT_TRUE(merged.ok()) << merged.status().message();
  EXPECT_EQ(merged->superseded, 1u);
  EXPECT_EQ(merged->documents, 2u);
  auto store = std::move(Store::Open(dir / "merged", StoreMode::kReadOnly)).value();
  Result<std::optional<SourceEntry>> owner = store->LookupSource("/in/report.txt");
  ASSERT_TRUE(owner.ok() && owner->has_value());
  EXPECT_EQ((*owner)->id, new_version.id);
  Result<std::optional<DocumentSummary>> shared = store->GetDocument(shared_a.id);
  ASSERT_TRUE(shared.ok() && shared->has_value());
  ASSERT_EQ((*shared)->sources.size(), 2u);
  EXPECT_EQ((*shared)->sources[0].path, "/in/a/copy.txt");
  EXPECT_EQ((*shared)->sources[1].path, "/in/b/copy.txt");
  EXPECT_EQ((*shared)->ingested_at_ms, 1500);  // its text and facts from the copy ingested last
}

TEST(MergeNamesTest, ABodySpelledTwoWaysInTwoShardsShowsAsOneFolderOfBothWouldShowIt) {
  // The item index keeps the first spelling in byte order of a body's name
  // (its facet shows it); the merged folder must too, whichever shard has it.
  for (const bool upper_first : {true, false}) {
    TempDir dir;
    Document lower = DocWithFacts("lower", {graph_documents::Recommendation("1", "Reform the water tariffs.", {"water board"})});
    Document upper = DocWithFacts("upper", {graph_documents::Recommendation("1", "Reform the water tariffs.", {"Water Board"})});
    Fill(dir / "s0", {upper_first ? upper : lower});
    Fill(dir / "s1", {upper_first ? lower : upper});
    MergeOptions options;
    options.shard_dirs = {dir / "s0", dir / "s1"};
    options.into_dir = dir / "merged";
    ASSERT_TRUE(MergeDataFolders(options).ok());
    auto store = std::move(Store::Open(dir / "merged", StoreMode::kReadOnly)).value();
    ItemSearchRequest request;
    request.query = "water";
    request.facets = true;
    Result<ItemSearchResponse> found = store->SearchItems(request);
    ASSERT_TRUE(found.ok()) << found.status().message();
    ASSERT_EQ(found->facets["responsible"].values.size(), 1u);
    EXPECT_EQ(found->facets["responsible"].values[0].value, "Water Board") << (upper_first ? "upper first" : "lower first");
    EXPECT_EQ(found->facets["responsible"].values[0].count, 2u);
  }
}

TEST(MergeRefusalTest, FoldersThatCannotBeMergedAreRefusedByName) {
  TempDir dir;
  Fill(dir / "shard", {DocWithFacts("one", {})});
  Fill(dir / "ingested", {DocWithFacts("two", {})});
  auto refused = [&](std::vector<std::string> shards, const std::string& into) {
    MergeOptions options;
    options.shard_dirs = std::move(shards);
    options.into_dir = into;
    return MergeDataFolders(options).status();
  };
  Status s = refused({}, dir / "merged");
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  s = refused({dir / "shard"}, dir / "shard");
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(s.message().find("merged into itself"), std::string::npos) << s.message();
  s = refused({dir / "shard", dir / "shard/"}, dir / "merged");
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(s.message().find("named twice"), std::string::npos) << s.message();
  s = refused({dir / "shard", dir / "nothing-here"}, dir / "merged");
  EXPECT_EQ(s.code(), StatusCode::kNotFound);
  EXPECT_NE(s.message().find("nothing-here"), std::string::npos) << s.message();
  EXPECT_FALSE(fs::exists(dir / "merged")) << "a refused merge created its folder";
  // A folder an ingest filled: merging into it would remove its documents.
  s = refused({dir / "shard"}, dir / "ingested");
  EXPECT_EQ(s.code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(s.message().find(std::string(dir / "ingested")), std::string::npos) << s.message();
  auto store = std::move(Store::Open(dir / "ingested", StoreMode::kReadOnly)).value();
  EXPECT_EQ(store->CountDocuments().value(), 1u);
}

}  // namespace
}  // namespace dossier
