// TextIndex::Search and what it asks of the store for each hit
// (TextIndex::HitReader): the store describes the hit, and only a hit the
// store holds has its best page read.
#include "text_index.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "dossier/document.h"
#include "dossier/search.h"
#include "support/test_support.h"

namespace dossier {
namespace {

Document TwoPageNote(const std::string& id_bytes) {
  Document doc;
  doc.id = DocumentId::FromBytes(id_bytes);
  doc.mime_type = "text/plain";
  doc.title = "Note " + id_bytes;
  doc.language = "en";
  doc.pages.push_back({1, "The district water committee met in March.", TextSource::kPlainText});
  doc.pages.push_back({2, "Boreholes, boreholes and more boreholes were drilled.", TextSource::kPlainText});
  return doc;
}

class TextIndexHitReaderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    Result<std::unique_ptr<TextIndex>> opened = TextIndex::Open(dir_ / "xapian", TextIndex::Mode::kWritable);
    ASSERT_TRUE(opened.ok()) << opened.status().ToString();
    index_ = std::move(opened).value();
    ASSERT_TRUE(index_->ReplaceDocument(TwoPageNote("kept-note-000001"), {}).ok());
    ASSERT_TRUE(index_->ReplaceDocument(TwoPageNote("gone-note-000002"), {}).ok());
    ASSERT_TRUE(index_->Commit().ok());
  }

  testing::TempDir dir_;
  std::unique_ptr<TextIndex> index_;
};

TEST_F(TextIndexHitReaderTest, TheStoreDescribesEachHitAndOnlyAHeldOneHasItsPageRead) {
  const DocumentId kept = DocumentId::FromBytes("kept-note-000001");
  std::vector<std::pair<std::string, uint32_t>> pages_read;
  TextIndex::HitReader reader;
  reader.describe = [&](SearchHit* hit) {
    if (hit->id == kept) {  // the other one is not in the store (removed since the index was read)
      hit->title = "Kept note";
      hit->language = "en";
      hit->source_paths = {"kept.txt"};
    }
    return Status::Ok();
  };
  reader.page = [&](const DocumentId& id, uint32_t page) -> Result<std::shared_ptr<const PageText>> {
    pages_read.emplace_back(id.ToHex(), page);
    return std::make_shared<const PageText>(
        PageText{page, "Boreholes, boreholes and more boreholes were drilled.", TextSource::kPlainText});
  };
  SearchRequest request;
  request.query = "boreholes";
  request.limit = 10;
  Result<SearchResponse> found = index_->Search(request, reader);
  ASSERT_TRUE(found.ok()) << found.status().ToString();
  ASSERT_EQ(found->hits.size(), 2u);
  for (const SearchHit& hit : found->hits) {
    if (hit.id == kept) {
      EXPECT_EQ(hit.title, "Kept note");
      EXPECT_EQ(hit.page, 2u) << "the page where the word is";
      EXPECT_NE(hit.snippet_html.find("<mark>"), std::string::npos) << hit.snippet_html;
    } else {
      EXPECT_TRUE(hit.title.empty());
      EXPECT_EQ(hit.page, 1u);
      EXPECT_TRUE(hit.snippet_html.empty());
    }
  }
  ASSERT_EQ(pages_read.size(), 1u) << "no page is read for a hit the store does not hold";
  EXPECT_EQ(pages_read[0], std::make_pair(kept.ToHex(), 2u));
}

TEST_F(TextIndexHitReaderTest, AFailingDescriptionFailsTheSearch) {
  TextIndex::HitReader reader;
  reader.describe = [](SearchHit*) { return Status::DataLoss("documents: record is damaged"); };
  reader.page = [](const DocumentId&, uint32_t) -> Result<std::shared_ptr<const PageText>> {
    return Status::NotFound("no page");
  };
  SearchRequest request;
  request.query = "boreholes";
  request.limit = 10;
  Result<SearchResponse> found = index_->Search(request, reader);
  ASSERT_FALSE(found.ok());
  EXPECT_EQ(found.status().code(), StatusCode::kDataLoss);
  EXPECT_NE(found.status().message().find("record is damaged"), std::string::npos) << found.status().ToString();
}

}  // namespace
}  // namespace dossier
