// The graph is a function of the set of documents, not of the order they
// arrive in: documents sharing bodies, acronyms, restated and recurring
// recommendations and an evaluation title are stored in every order (and
// with removals and re-ingests), and the graph exports must be byte for byte
// the same as those of a store that took the final set in one go.
#include <gtest/gtest.h>

#include <algorithm>
#include <numeric>
#include <sstream>

#include <nlohmann/json.hpp>

#include "dossier/query_service.h"
#include "dossier/store.h"
#include "dossier/text.h"
#include "graph_documents.h"
#include "support/test_support.h"

namespace dossier {
namespace {

using nlohmann::json;
using testing::TempDir;
using graph_documents::Corpus;

struct Exports {
  std::string jsonld, graphml;
};

Exports Export(const std::shared_ptr<Store>& store) {
  EXPECT_TRUE(store->Flush().ok());
  QueryService service(store);
  std::ostringstream jsonld, graphml;
  EXPECT_TRUE(service.ExportGraph("jsonld", jsonld).ok());
  EXPECT_TRUE(service.ExportGraph("graphml", graphml).ok());
  return {jsonld.str(), graphml.str()};
}

std::shared_ptr<Store> Open(const TempDir& dir, const std::string& name) {
  return std::shared_ptr<Store>(std::move(Store::Open(dir / name, StoreMode::kReadWrite)).value());
}

Exports ExportOf(const std::vector<Document>& docs, const std::vector<size_t>& order) {
  TempDir dir;
  auto store = Open(dir, "data");
  for (size_t i : order) EXPECT_TRUE(store->PutDocument(docs[i]).ok());
  return Export(store);
}

// The exports must agree; on failure, the first line that differs.
void ExpectSame(const Exports& want, const Exports& got, const std::string& how) {
  for (const auto& [a, b, what] : {std::tuple{&want.jsonld, &got.jsonld, "jsonld"}, {&want.graphml, &got.graphml, "graphml"}}) {
    if (*a == *b) continue;
    std::istringstream x(*a), y(*b);
    std::string lx, ly;
    while (std::getline(x, lx) && std::getline(y, ly) && lx == ly) {
    }
    ADD_FAILURE() << how << ": the " << what << " exports differ\n  want: " << lx << "\n  got:  " << ly;
  }
}

TEST(GraphOrderTest, TheGraphIsTheSameInEveryOrderOfArrival) {
  const std::vector<Document> docs = Corpus();
  std::vector<size_t> order(docs.size());
  std::iota(order.begin(), order.end(), 0);
  const Exports want = ExportOf(docs, order);
  // The links the corpus is built to make are there at all.
  for (const char* link : {"rel:same_as", "rel:recurs", "rel:responds_to"}) {
    EXPECT_NE(want.jsonld.find(link), std::string::npos) << link;
  }
  // Every order of five is 120; the sorted one, its reverse and every rotation
  // of both cover each document first and last, and every pair both ways round.
  std::vector<std::vector<size_t>> orders;
  for (bool reversed : {false, true}) {
    std::vector<size_t> base = order;
    if (reversed) std::reverse(base.begin(), base.end());
    for (size_t r = 0; r < base.size(); ++r) {
      std::vector<size_t> rotated = base;
      std::rotate(rotated.begin(), rotated.begin() + r, rotated.end());
      orders.push_back(rotated);
    }
  }
  for (const auto& o : orders) {
    std::string how = "order";
    for (size_t i : o) how += " " + std::to_string(i);
    ExpectSame(want, ExportOf(docs, o), how);
  }
}

TEST(GraphOrderTest, RemovalAndReingestRecomputeTheLinksTheyTouched) {
  const std::vector<Document> docs = Corpus();
  for (size_t gone = 0; gone < docs.size(); ++gone) {
    std::vector<size_t> rest;
    for (size_t i = 0; i < docs.size(); ++i) {
      if (i != gone) rest.push_back(i);
    }
    const Exports want = ExportOf(docs, rest);
    TempDir dir;
    auto store = Open(dir, "data");
    for (size_t i = 0; i < docs.size(); ++i) ASSERT_TRUE(store->PutDocument(docs[i]).ok());
    ASSERT_TRUE(store->Flush().ok());
    ASSERT_TRUE(store->RemoveDocument(docs[gone].id).ok());
    ExpectSame(want, Export(store), "all but document " + std::to_string(gone) + " after its removal");
    // Back again, and once more (a re-ingest): the graph of the whole set.
    ASSERT_TRUE(store->PutDocument(docs[gone]).ok());
    ASSERT_TRUE(store->PutDocument(docs[gone]).ok());
    std::vector<size_t> all(docs.size());
    std::iota(all.begin(), all.end(), 0);
    ExpectSame(ExportOf(docs, all), Export(store), "document " + std::to_string(gone) + " removed and ingested again");
  }
}

}  // namespace
}  // namespace dossier
