// Tests of how a document's "structure" fact is kept: apart from its other
// facts, replaced with the document, removed with it, and answered by
// QueryService::DocumentStructure (NotFound, with how to re-ingest, when a
// document has none).
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "dossier/query_service.h"
#include "dossier/store.h"
#include "dossier/text.h"
#include "support/test_support.h"

namespace dossier {
namespace {

using nlohmann::json;
using testing::TempDir;

Document DocumentWith(std::vector<std::string> facts) {
  Document doc;
  doc.id = DocumentId::FromHex(Sha256Hex("structured").substr(0, 16)).value();
  doc.mime_type = "text/plain";
  doc.size_bytes = 100;
  doc.sources = {{"/archive/report.txt", 100, 42}};
  doc.title = "A report";
  doc.language = "en";
  doc.extracted_by = "test 1.0.0";
  doc.pages.push_back({1, "RECOMMENDATIONS\n1. Act.", TextSource::kPlainText, -1});
  doc.extractors = {"entities 0.1.0"};
  doc.facts = std::move(facts);
  return doc;
}

const std::string kEntity =
    R"({"kind":"entity","key":"k","type":"organisation","name":"Water Agency","aliases":[],"mentions":[{"page":1,"start":0,"end":5}],"authority":false})";
const std::string kStructure = R"({"kind":"structure","removed":{"page_headers":0,"page_footers":0,"page_numbers":0},)"
                               R"("sections":[{"title":"RECOMMENDATIONS","role":"body","topic":"recommendations"}]})";

TEST(StructureStoreTest, KeptApartReplacedAndRemovedWithItsDocument) {
  TempDir tmp;
  auto opened = Store::Open(tmp / "data", StoreMode::kReadWrite);
  ASSERT_TRUE(opened.ok()) << opened.status().ToString();
  std::shared_ptr<Store> store = std::move(opened).value();
  QueryService service(store);
  const Document doc = DocumentWith({kEntity, kStructure});
  ASSERT_TRUE(store->PutDocument(doc).ok());
  ASSERT_TRUE(store->Flush().ok());

  // Stored under its own key; the other facts do not carry it.
  Result<std::optional<std::string>> stored = store->GetStructure(doc.id);
  ASSERT_TRUE(stored.ok()) << stored.status().ToString();
  ASSERT_TRUE(stored->has_value());
  EXPECT_EQ(json::parse(**stored)["sections"][0]["title"], "RECOMMENDATIONS");
  Result<std::vector<std::string>> facts = store->GetFacts(doc.id);
  ASSERT_TRUE(facts.ok());
  ASSERT_EQ(facts->size(), 1u);
  EXPECT_EQ(json::parse((*facts)[0])["kind"], "entity");

  // The query service answers by id or path, with the document.
  for (const std::string& which : {doc.id.ToHex(), std::string("/archive/report.txt")}) {
    Result<json> answer = service.DocumentStructure(which);
    ASSERT_TRUE(answer.ok()) << answer.status().ToString();
    EXPECT_EQ((*answer)["document"]["id"], doc.id.ToHex());
    EXPECT_EQ((*answer)["document"]["title"], "A report");
    EXPECT_EQ((*answer)["document"]["page_count"], 1);
    EXPECT_EQ((*answer)["sections"][0]["topic"], "recommendations");
    EXPECT_FALSE(answer->contains("kind"));
  }

  // Stored again without a structure (an extractor that gives none): the old one goes.
  ASSERT_TRUE(store->PutDocument(DocumentWith({kEntity})).ok());
  ASSERT_TRUE(store->Flush().ok());
  stored = store->GetStructure(doc.id);
  ASSERT_TRUE(stored.ok());
  EXPECT_FALSE(stored->has_value());
  Result<json> none = service.DocumentStructure(doc.id.ToHex());
  ASSERT_FALSE(none.ok());
  EXPECT_TRUE(none.status().IsNotFound()) << none.status().ToString();
  EXPECT_NE(none.status().message().find("has no stored structure"), std::string::npos) << none.status().message();
  EXPECT_NE(none.status().message().find("dossier remove " + doc.id.ToHex() + " && dossier ingest '/archive/report.txt'"),
            std::string::npos)
      << none.status().message();

  // Removed with its document.
  ASSERT_TRUE(store->PutDocument(doc).ok());
  ASSERT_TRUE(store->Flush().ok());
  ASSERT_TRUE(store->GetStructure(doc.id).ok() && store->GetStructure(doc.id)->has_value());
  ASSERT_TRUE(store->RemoveDocument(doc.id).ok());
  ASSERT_TRUE(store->Flush().ok());
  stored = store->GetStructure(doc.id);
  ASSERT_TRUE(stored.ok());
  EXPECT_FALSE(stored->has_value());
  Result<json> gone = service.DocumentStructure(doc.id.ToHex());
  ASSERT_FALSE(gone.ok());
  EXPECT_TRUE(gone.status().IsNotFound());
  EXPECT_NE(gone.status().message().find("no document with id or path"), std::string::npos) << gone.status().message();
}

}  // namespace
}  // namespace dossier
