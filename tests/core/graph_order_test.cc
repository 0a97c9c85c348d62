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

json Entity(const std::string& name, const std::vector<std::string>& aliases = {}) {
  return {{"kind", "entity"}, {"type", "organisation"}, {"name", name}, {"aliases", aliases},
          {"mentions", json::array({{{"page", 1}, {"start", 0}, {"end", 3}}})}};
}

json Recommendation(const std::string& number, const std::string& text, const std::vector<std::string>& who,
                    const json& actions = json::array(), const json& due = nullptr) {
  json r = {{"kind", "item"}, {"item_type", "recommendation"}, {"number", number}, {"text", text}, {"page", 1},
            {"start", 0}, {"end", 10}, {"responsible", who}, {"due", due}};
  if (!actions.empty()) r["key_actions"] = actions;
  return r;
}

json Action(const std::string& number, const std::string& text, const std::string& status) {
  return {{"number", number}, {"text", text}, {"responsible", json::array({"RISU"})}, {"status", status}, {"page", 1}};
}

json Dated(const std::string& value) { return {{"kind", "document_date"}, {"value", value}}; }

json StatedDate(const std::string& text, const std::string& value) {
  return {{"kind", "date"}, {"text", text}, {"value", value}, {"precision", "month"}, {"page", 1}, {"start", 0}, {"end", 5}};
}

json Title(const std::string& title, bool responds) {
  return {{"kind", responds ? "responds_to" : "evaluation_title"}, {"title", title}, {"key", NameKey(title)}};
}

const std::string kTrain = "The Rural Infrastructure Support Unit should train district engineers in pump maintenance.";
const std::string kTrainAgain =
    "The Rural Infrastructure Support Unit should train district engineers in pump maintenance and repair.";
const std::string kFund = "The ministry should fund the regional water boards from the national budget every year.";
const std::string kAct = "Training courses for district engineers are held twice a year.";

// Five documents: an evaluation defining RISU, its management response
// (restating recommendation 1 and an action, answering the title, using RISU
// bare), a progress update restating the action (and stating a date), a
// later evaluation making a similar recommendation to the unit again (due
// that date), and a document using RISU bare.
std::vector<Document> Corpus() {
  return {
      DocWithFacts("evaluation", {Dated("2019-05-01"), Title("Evaluation of Rural Water", false),
                                  Entity("Rural Infrastructure Support Unit", {"RISU"}), Entity("Ministry of Water"),
                                  Recommendation("1", kTrain, {"Rural Infrastructure Support Unit"}),
                                  Recommendation("2", kFund, {"Ministry of Water"})}),
      DocWithFacts("response", {Dated("2019-09-01"), Title("Evaluation of Rural Water", true), Entity("RISU"),
                                Recommendation("1", kTrain, {"RISU"}, json::array({Action("1.1", kAct, "initiated")})),
                                Recommendation("2", kFund, {"Ministry of Water"})}),
      DocWithFacts("update", {Dated("2020-09-01"), Entity("RISU"), StatedDate("December 2021", "2021-12"),
                              Recommendation("1", kTrain, {"RISU"}, json::array({Action("1.1", kAct, "completed")}))}),
      DocWithFacts("second", {Dated("2023-02-01"), Entity("Rural Infrastructure Support Unit", {"RISU"}),
                              Recommendation("4", kTrainAgain, {"RISU"}, json::array(), "2021-12")}),
      DocWithFacts("bare", {Entity("RISU"), Entity("Ministry of Water")}),
  };
}

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
