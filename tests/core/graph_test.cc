// Tests of the knowledge graph: nodes and edges from facts, shared entities,
// exact replacement and removal, same_as links, and the graph queries.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <nlohmann/json.hpp>

#include "dossier/graph.h"
#include "dossier/query_service.h"
#include "dossier/store.h"
#include "dossier/text.h"
#include "extract.h"
#include "graph_documents.h"
#include "support/test_support.h"

namespace dossier {
namespace {

using nlohmann::json;
using testing::TempDir;

json Entity(const std::string& name, const std::vector<std::string>& aliases = {}, const std::string& part_of = "") {
  json e = {{"kind", "entity"}, {"type", "organisation"}, {"name", name}, {"aliases", aliases},
            {"mentions", json::array({{{"page", 1}, {"start", 0}, {"end", 3}}})}};
  if (!part_of.empty()) e["part_of"] = part_of;
  return e;
}

json Recommendation(const std::string& number, const std::string& text, const std::vector<std::string>& who,
                    const std::string& due) {
  return {{"kind", "item"}, {"item_type", "recommendation"}, {"number", number}, {"text", text}, {"page", 1},
          {"start", 0}, {"end", 10}, {"responsible", who}, {"due", due.empty() ? json(nullptr) : json(due)}};
}

class GraphTest : public ::testing::Test {
 protected:
  void SetUp() override { store_ = std::move(Store::Open(dir_ / "data", StoreMode::kReadWrite)).value(); }
  QueryService Service() { return QueryService(std::shared_ptr<Store>(store_.get(), [](Store*) {})); }
  size_t Edges(const std::string& node) {
    size_t n = 0;
    for (bool out : {true, false}) n += store_->GraphEdges(node, out, "")->size();
    return n;
  }
  std::string EntityId(const std::string& name) {
    auto ids = store_->FindGraphNodes(name);
    return ids.ok() && !ids->empty() ? ids->front() : "";
  }
  TempDir dir_;
  std::unique_ptr<Store> store_;
};

TEST_F(GraphTest, FactsBecomeNodesAndEdgesFoundFromBothEnds) {
  Document report = DocWithFacts("report", {Entity("Agency for Rural Development", {"ARD"}),
                                            Entity("ARD Water Division", {}, "Agency for Rural Development"),
                                            Recommendation("1", "The Water Division should repair the pumps.",
                                                           {"ARD Water Division"}, "2020-12-31")});
  ASSERT_TRUE(store_->PutDocument(report).ok());
  ASSERT_TRUE(store_->Flush().ok());

  std::string agency = EntityId("ARD");
  ASSERT_FALSE(agency.empty());
  EXPECT_EQ(agency, EntityId("agency for rural development"));  // names meet by NameKey
  auto detail = Service().Entity("ARD");
  ASSERT_TRUE(detail.ok()) << detail.status().ToString();
  EXPECT_EQ((*detail)["name"], "Agency for Rural Development");
  ASSERT_EQ((*detail)["units"].size(), 1u);
  EXPECT_EQ((*detail)["units"][0]["name"], "ARD Water Division");
  ASSERT_EQ((*detail)["mentioned_in"].size(), 1u);
  EXPECT_EQ((*detail)["mentioned_in"][0]["document"], report.id.ToHex());

  // The agency's units count as the agency when asking who must act.
  RecommendationFilter filter;
  filter.responsible = "Agency for Rural Development";
  auto recs = Service().Recommendations(filter);
  ASSERT_TRUE(recs.ok()) << recs.status().ToString();
  ASSERT_EQ((*recs)["recommendations"].size(), 1u);
  EXPECT_EQ((*recs)["recommendations"][0]["due"], "2020-12-31");
  filter.overdue_as_of = "2021-01-01";
  EXPECT_EQ((*Service().Recommendations(filter))["recommendations"].size(), 1u);
  filter.overdue_as_of = "2020-12-31";
  EXPECT_EQ((*Service().Recommendations(filter))["recommendations"].size(), 0u);
  filter.overdue_as_of = "31/12/2020";
  EXPECT_EQ(Service().Recommendations(filter).status().code(), StatusCode::kInvalidArgument);

  auto around = Service().Neighbors("D:" + report.id.ToHex(), 2, "");
  ASSERT_TRUE(around.ok());
  EXPECT_GE((*around)["edges"].size(), 5u);  // mentions x2, contains, responsible, due, part_of
  EXPECT_EQ(Service().Neighbors("D:" + report.id.ToHex(), 4, "").status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(Service().Neighbors("Z:00", 1, "").status().code(), StatusCode::kInvalidArgument);
}

// A plain listing is ordered by document, page and number, and a page of it
// (only the page's recommendations are described) is that slice of the
// whole list, with `total` counting every one the filters keep.
TEST_F(GraphTest, APageOfTheRecommendationsIsTheSliceOfTheWholeListing) {
  for (int d = 0; d < 4; ++d) {
    std::vector<json> facts = {Entity("Agency for Rural Development", {"ARD"}), Entity("Ministry of Health")};
    for (int n = 3; n >= 1; --n) {  // written out of order
      facts.push_back(Recommendation(std::to_string(n), "Recommendation " + std::to_string(n) + " of report " +
                                                            std::to_string(d) + " asks for repairs.",
                                     {n == 2 ? "Ministry of Health" : "ARD"}, "202" + std::to_string(n) + "-06-30"));
    }
    ASSERT_TRUE(store_->PutDocument(DocWithFacts("report" + std::to_string(d), facts)).ok());
  }
  // One made nowhere else: not listed with --recurring.
  ASSERT_TRUE(store_->PutDocument(DocWithFacts("report4", {Entity("Ministry of Health"),
                                                            Recommendation("1", "Publish the annual audit of school meals in every district.",
                                                                           {"Ministry of Health"}, "2024-06-30")}))
                  .ok());
  ASSERT_TRUE(store_->Flush().ok());
  auto listing = [this](RecommendationFilter filter) {
    Result<json> listed = Service().Recommendations(filter);
    EXPECT_TRUE(listed.ok()) << listed.status().ToString();
    return listed.ok() ? *listed : json();
  };
  RecommendationFilter all_of_them;
  const json whole = listing(all_of_them);
  ASSERT_EQ(whole["total"], 13);
  ASSERT_EQ(whole["recommendations"].size(), 13u);
  for (size_t i = 1; i < 13; ++i) {
    const json& a = whole["recommendations"][i - 1];
    const json& b = whole["recommendations"][i];
    EXPECT_LE(std::make_tuple(a["document"].get<std::string>(), a["number"].get<std::string>()),
              std::make_tuple(b["document"].get<std::string>(), b["number"].get<std::string>()));
  }
  EXPECT_EQ(whole["recommendations"][0]["number"], "1");
  EXPECT_FALSE(whole["recommendations"][0]["responsible_ids"].empty()) << "described: its edges read";
  // With --recurring, those of the whole listing that recur, in its order
  // (which ones are known from their recurs edges alone: the describer
  // must agree).
  json recurring_ones = json::array();
  for (const json& r : whole["recommendations"]) {
    if (!r["recurs"].empty()) recurring_ones.push_back(r);
  }
  ASSERT_EQ(recurring_ones.size(), 12u);
  RecommendationFilter recurring;
  recurring.recurring = true;
  EXPECT_EQ(listing(recurring)["recommendations"], recurring_ones);
  for (const auto& [responsible, due_before, recurs, expected] :
       {std::tuple<std::string, std::string, bool, int>{"", "", false, 13}, {"ARD", "", false, 8},
        {"", "2023-01-01", false, 8}, {"Ministry of Health", "2023-01-01", false, 4}, {"", "", true, 12},
        {"Ministry of Health", "", true, 4}, {"", "2023-01-01", true, 8}}) {
    RecommendationFilter filter;
    if (!responsible.empty()) filter.responsible = responsible;
    if (!due_before.empty()) filter.due_before = due_before;
    filter.recurring = recurs;
    const json full = listing(filter);
    ASSERT_EQ(full["total"], expected) << responsible << " " << due_before << " " << recurs;
    for (uint32_t offset = 0; offset < static_cast<uint32_t>(expected) + 2; offset += 3) {
      filter.offset = offset;
      filter.limit = 3;
      const json page = listing(filter);
      EXPECT_EQ(page["total"], expected);
      EXPECT_EQ(page["offset"], offset);
      json slice = json::array();
      for (size_t i = offset; i < full["recommendations"].size() && slice.size() < 3; ++i) {
        slice.push_back(full["recommendations"][i]);
      }
      EXPECT_EQ(page["recommendations"], slice) << responsible << " " << due_before << " from " << offset;
    }
  }
}

TEST_F(GraphTest, SharedEntitiesLiveUntilTheirLastMentionGoes) {
  Document a = DocWithFacts("a", {Entity("Ministry of Health", {"MoH"})});
  Document b = DocWithFacts("b", {Entity("Ministry of Health", {"MINSA"})});
  ASSERT_TRUE(store_->PutDocument(a).ok());
  ASSERT_TRUE(store_->PutDocument(b).ok());
  ASSERT_TRUE(store_->Flush().ok());
  std::string ministry = EntityId("Ministry of Health");
  ASSERT_FALSE(ministry.empty());
  EXPECT_EQ(EntityId("MINSA"), ministry);
  EXPECT_EQ((*store_->GetGraphNode(ministry))->record["documents"], 2);

  ASSERT_TRUE(store_->RemoveDocument(b.id).ok());
  ASSERT_TRUE(store_->Flush().ok());
  ASSERT_TRUE(store_->GetGraphNode(ministry)->has_value());
  EXPECT_EQ((*store_->GetGraphNode(ministry))->record["documents"], 1);
  EXPECT_EQ(EntityId("MINSA"), "");  // b's alias went with b
  EXPECT_EQ(EntityId("MoH"), ministry);

  ASSERT_TRUE(store_->RemoveDocument(a.id).ok());
  ASSERT_TRUE(store_->Flush().ok());
  EXPECT_FALSE(store_->GetGraphNode(ministry)->has_value());
  EXPECT_EQ(EntityId("Ministry of Health"), "");
  EXPECT_EQ(Edges(ministry), 0u);
  EXPECT_EQ(Edges("D:" + a.id.ToHex()), 0u);
}

// A name printed in capitals on title pages and in headings is the same
// entity as its mixed-case spelling, and the mixed-case one names it even
// when the capitals are used more; capitals alone still name it.
TEST_F(GraphTest, AMixedCaseSpellingNamesAnEntityOverCapitals) {
  ASSERT_TRUE(store_->PutDocument(DocWithFacts("a", {Entity("KELP HARBOUR BOARD", {})})).ok());
  ASSERT_TRUE(store_->PutDocument(DocWithFacts("b", {Entity("KELP HARBOUR BOARD", {})})).ok());
  ASSERT_TRUE(store_->Flush().ok());
  const std::string board = EntityId("Kelp Harbour Board");
  ASSERT_FALSE(board.empty());
  EXPECT_EQ((*store_->GetGraphNode(board))->record["name"], "KELP HARBOUR BOARD");
  ASSERT_TRUE(store_->PutDocument(DocWithFacts("c", {Entity("Kelp Harbour Board", {})})).ok());
  ASSERT_TRUE(store_->Flush().ok());
  EXPECT_EQ(EntityId("KELP HARBOUR BOARD"), board);
  EXPECT_EQ((*store_->GetGraphNode(board))->record["name"], "Kelp Harbour Board");
  EXPECT_EQ((*store_->GetGraphNode(board))->record["documents"], 3);
}

TEST_F(GraphTest, ABareAcronymIsTheEntityTheDocumentsDefineItAs) {
  Document a = DocWithFacts("a", {Entity("Rural Infrastructure Support Unit", {"RISU"})});
  Document b = DocWithFacts("b", {Entity("RISU"), Recommendation("2", "RISU should train staff.", {"RISU"}, "2025-03")});
  ASSERT_TRUE(store_->PutDocument(a).ok());
  ASSERT_TRUE(store_->PutDocument(b).ok());
  ASSERT_TRUE(store_->Flush().ok());
  const std::string unit = EntityId("Rural Infrastructure Support Unit");
  ASSERT_FALSE(unit.empty());
  EXPECT_EQ(EntityId("RISU"), unit);
  auto record = (*store_->GetGraphNode(unit))->record;
  EXPECT_EQ(record["name"], "Rural Infrastructure Support Unit") << record.dump();
  EXPECT_EQ(record["documents"], 2);
  RecommendationFilter filter;
  filter.responsible = "Rural Infrastructure Support Unit";
  json listed = *Service().Recommendations(filter);
  ASSERT_EQ(listed["recommendations"].size(), 1u) << listed.dump();
  EXPECT_EQ(listed["recommendations"][0]["document"], b.id.ToHex());

  // Two entities go by the same acronym: a bare use is an entity of its own,
  // b's too, though it came before the second definition.
  Document c = DocWithFacts("c", {Entity("Regional Integrated Services Unit", {"RISU"})});
  Document d = DocWithFacts("d", {Entity("RISU")});
  ASSERT_TRUE(store_->PutDocument(c).ok());
  ASSERT_TRUE(store_->PutDocument(d).ok());
  ASSERT_TRUE(store_->Flush().ok());
  EXPECT_EQ((*store_->GetGraphNode(unit))->record["documents"], 1);
  auto ids = store_->FindGraphNodes("RISU");
  ASSERT_TRUE(ids.ok());
  EXPECT_EQ(ids->size(), 3u) << "the two units and the bare RISU of b and d";
  EXPECT_EQ((*Service().Recommendations(filter))["recommendations"].size(), 0u);

  // The second definition goes: b's and d's RISU are the unit again.
  ASSERT_TRUE(store_->RemoveDocument(c.id).ok());
  ASSERT_TRUE(store_->Flush().ok());
  EXPECT_EQ((*store_->GetGraphNode(unit))->record["documents"], 3);
  EXPECT_EQ((*store_->GetGraphNode(unit))->record["name"], "Rural Infrastructure Support Unit");
  EXPECT_EQ(*store_->FindGraphNodes("RISU"), std::vector<std::string>{unit});
  EXPECT_EQ((*Service().Recommendations(filter))["recommendations"].size(), 1u);
}

// Entity records are kept up to date incrementally (a tally of the mentions'
// evidence, changed by one document at a time): after any sequence of adds,
// replacements and removals they must equal the records a fresh store builds
// from the documents that remain.
TEST_F(GraphTest, EntityRecordsAfterAddsReplacementsAndRemovalsMatchAFreshBuild) {
  auto doc = [](int i, const std::string& name, const std::vector<std::string>& aliases) {
    json e = Entity(name, aliases);
    if (i % 3 == 0) e["authority"] = true;
    return DocWithFacts("d" + std::to_string(i), {e, Entity("Ministry of Health", {"MoH" + std::to_string(i % 2)})});
  };
  std::vector<Document> docs;
  for (int i = 0; i < 12; ++i) {
    // Spellings sharing a NameKey (one node): the most used one names it.
    const char* names[] = {"World Food Programme", "The World Food Programme", "WORLD FOOD PROGRAMME", "World Food Programme"};
    const std::string name = names[i % 4];
    docs.push_back(doc(i, name, i % 2 ? std::vector<std::string>{"WFP", "PMA"} : std::vector<std::string>{"PAM"}));
  }
  for (const Document& d : docs) ASSERT_TRUE(store_->PutDocument(d).ok());
  ASSERT_TRUE(store_->Flush().ok());
  // Replace two (one with another spelling and no aliases), remove four.
  docs[2] = doc(2, "World Food Programme", {});
  docs[5] = doc(5, "World Food Programme", {"Programa Mundial de Alimentos"});
  ASSERT_TRUE(store_->PutDocument(docs[2]).ok());
  ASSERT_TRUE(store_->PutDocument(docs[5]).ok());
  ASSERT_TRUE(store_->PutDocument(docs[5]).ok());  // the same again changes nothing
  for (int i : {0, 3, 7, 11}) ASSERT_TRUE(store_->RemoveDocument(docs[i].id).ok());
  ASSERT_TRUE(store_->Flush().ok());

  TempDir fresh_dir;
  auto fresh = std::move(Store::Open(fresh_dir / "data", StoreMode::kReadWrite)).value();
  for (int i = 11; i >= 0; --i) {  // another order
    if (i != 0 && i != 3 && i != 7 && i != 11) {
      ASSERT_TRUE(fresh->PutDocument(docs[i]).ok());
    }
  }
  ASSERT_TRUE(fresh->Flush().ok());
  for (const std::string name : {"World Food Programme", "Ministry of Health"}) {
    auto ids = store_->FindGraphNodes(name);
    auto fresh_ids = fresh->FindGraphNodes(name);
    ASSERT_TRUE(ids.ok() && fresh_ids.ok());
    ASSERT_EQ(*ids, *fresh_ids) << name;
    ASSERT_EQ(ids->size(), 1u) << name;
    auto node = store_->GetGraphNode(ids->front());
    auto fresh_node = fresh->GetGraphNode(ids->front());
    ASSERT_TRUE(node.ok() && node->has_value() && fresh_node.ok() && fresh_node->has_value());
    EXPECT_EQ((*node)->record, (*fresh_node)->record) << name;
  }
  auto wfp = (*store_->GetGraphNode(EntityId("WFP")))->record;
  EXPECT_EQ(wfp["documents"], 8);
  EXPECT_EQ(wfp["name"], "World Food Programme");
  EXPECT_EQ(wfp["authority"], true);  // documents 6 and 9 still say so
  EXPECT_EQ(EntityId("Programa Mundial de Alimentos"), EntityId("WFP"));
  EXPECT_EQ(EntityId("MoH1"), EntityId("Ministry of Health"));
  // Every name and alias key leads to the node, and nothing else does.
  for (const auto& alias : wfp["aliases"]) EXPECT_EQ(EntityId(alias.get<std::string>()), EntityId("WFP")) << alias;
  // The last mentions go: the node, its aliases and its tally go too; a new mention starts afresh.
  for (int i : {1, 2, 4, 5, 6, 8, 9, 10}) ASSERT_TRUE(store_->RemoveDocument(docs[i].id).ok());
  ASSERT_TRUE(store_->Flush().ok());
  EXPECT_EQ(EntityId("WFP"), "");
  EXPECT_EQ(EntityId("PAM"), "");
  ASSERT_TRUE(store_->PutDocument(doc(20, "World Food Programme", {})).ok());
  ASSERT_TRUE(store_->Flush().ok());
  auto again = (*store_->GetGraphNode(EntityId("World Food Programme")))->record;
  EXPECT_EQ(again["documents"], 1);
  EXPECT_EQ(again["aliases"], json::array());
  EXPECT_EQ(again["authority"], false);
}

// A body's units and parents are listed once each, however many documents
// state the link (GraphEdgeEnds passes over the other documents' keys), in
// node id order; a type is needed.
TEST_F(GraphTest, UnitsAndParentsStatedByManyDocumentsAreListedOnce) {
  for (int i = 0; i < 5; ++i) {
    std::vector<json> facts = {Entity("Agency for Rural Development", {"ARD"}, "Ministry of Agriculture"),
                               Entity("ARD Water Division", {}, "Agency for Rural Development"),
                               Entity("Ministry of Agriculture")};
    if (i % 2 == 0) facts.push_back(Entity("ARD Roads Division", {}, "Agency for Rural Development"));
    ASSERT_TRUE(store_->PutDocument(DocWithFacts("unit" + std::to_string(i), facts)).ok());
  }
  ASSERT_TRUE(store_->Flush().ok());
  const std::string agency = EntityId("ARD");
  auto units = store_->GraphEdgeEnds(agency, false, "part_of");
  ASSERT_TRUE(units.ok()) << units.status().ToString();
  std::vector<std::string> want = {EntityId("ARD Water Division"), EntityId("ARD Roads Division")};
  std::sort(want.begin(), want.end());
  EXPECT_EQ(*units, want);
  auto parents = store_->GraphEdgeEnds(agency, true, "part_of");
  ASSERT_TRUE(parents.ok());
  EXPECT_EQ(*parents, std::vector<std::string>{EntityId("Ministry of Agriculture")});
  auto none = store_->GraphEdgeEnds(EntityId("Ministry of Agriculture"), true, "part_of");
  ASSERT_TRUE(none.ok()) << none.status().ToString();
  EXPECT_TRUE(none->empty());
  EXPECT_EQ(store_->GraphEdgeEnds(agency, false, "").status().code(), StatusCode::kInvalidArgument);
  auto detail = Service().Entity("ARD");
  ASSERT_TRUE(detail.ok()) << detail.status().ToString();
  ASSERT_EQ((*detail)["units"].size(), 2u);
  EXPECT_EQ((*detail)["units"][0]["id"], want[0]);
  EXPECT_EQ((*detail)["units"][1]["id"], want[1]);
  ASSERT_EQ((*detail)["part_of"].size(), 1u);
  EXPECT_EQ((*detail)["part_of"][0]["name"], "Ministry of Agriculture");
}

TEST_F(GraphTest, AnEntitysMentionsComeAPageAtATime) {
  std::vector<std::string> ids;
  for (int i = 0; i < 7; ++i) {
    Document d = DocWithFacts("m" + std::to_string(i), {Entity("Independent Evaluation Office", {"IEO"}),
                                                        Recommendation("1", "Text " + std::to_string(i), {"IEO"}, "")});
    ASSERT_TRUE(store_->PutDocument(d).ok());
    ids.push_back(d.id.ToHex());
  }
  ASSERT_TRUE(store_->Flush().ok());
  std::sort(ids.begin(), ids.end());
  auto all = Service().Entity("IEO");
  ASSERT_TRUE(all.ok()) << all.status().ToString();
  EXPECT_EQ((*all)["mentions_total"], 7);
  EXPECT_EQ((*all)["responsible_for_total"], 7);
  EXPECT_EQ((*all)["responsible_for"].size(), 7u);
  ASSERT_EQ((*all)["mentioned_in"].size(), 7u);
  auto page = Service().Entity("IEO", 3, 5);
  ASSERT_TRUE(page.ok());
  EXPECT_EQ((*page)["mentions_total"], 7);
  EXPECT_EQ((*page)["mentions_offset"], 5);
  EXPECT_EQ((*page)["mentions_limit"], 3);
  ASSERT_EQ((*page)["mentioned_in"].size(), 2u);
  EXPECT_EQ((*page)["mentioned_in"][0]["document"], ids[5]);  // document id order
  EXPECT_EQ((*page)["mentioned_in"][1]["document"], ids[6]);
  EXPECT_EQ((*page)["mentioned_in"][0], (*all)["mentioned_in"][5]);
  EXPECT_TRUE((*Service().Entity("IEO", 3, 7))["mentioned_in"].empty());
  // The total follows removals (the record's count of mention edges, kept
  // with them), and the pages hold what is left.
  ASSERT_TRUE(store_->RemoveDocument(DocumentId::FromHex(ids[1]).value()).ok());
  ASSERT_TRUE(store_->RemoveDocument(DocumentId::FromHex(ids[6]).value()).ok());
  ASSERT_TRUE(store_->Flush().ok());
  auto left = Service().Entity("IEO", 3, 3);
  ASSERT_TRUE(left.ok()) << left.status().ToString();
  EXPECT_EQ((*left)["mentions_total"], 5);
  ASSERT_EQ((*left)["mentioned_in"].size(), 2u);
  EXPECT_EQ((*left)["mentioned_in"][0]["document"], ids[4]);
  EXPECT_EQ((*left)["mentioned_in"][1]["document"], ids[5]);
  EXPECT_EQ(Service().Entity("IEO", 0, 0).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(Service().Entity("IEO", kMaxEntityMentionsLimit + 1, 0).status().code(), StatusCode::kInvalidArgument);
}

TEST_F(GraphTest, ReapplyingADocumentReplacesItsContributionExactly) {
  Document doc = DocWithFacts("v", {Entity("Old Office"), Recommendation("1", "Old text here.", {"Old Office"}, "")});
  ASSERT_TRUE(store_->PutDocument(doc).ok());
  ASSERT_TRUE(store_->Flush().ok());
  const std::string node = "D:" + doc.id.ToHex();
  EXPECT_EQ(Edges(node), 2u);  // mentions, contains

  doc.facts.clear();
  doc.facts.push_back(Entity("New Office").dump());
  ASSERT_TRUE(store_->PutDocument(doc).ok());
  ASSERT_TRUE(store_->Flush().ok());
  EXPECT_EQ(Edges(node), 1u);
  EXPECT_EQ(EntityId("Old Office"), "");
  EXPECT_FALSE(EntityId("New Office").empty());
  EXPECT_EQ((*Service().Recommendations({}))["recommendations"].size(), 0u);
}

TEST_F(GraphTest, TheSameRecommendationInTwoDocumentsIsLinkedBothWays) {
  const std::string text = "The regional office should convene a meeting of all missions in the region.";
  Document report = DocWithFacts("report", {Recommendation("1", text, {}, "")});
  Document memo = DocWithFacts("memo", {Recommendation("1", text, {"Regional Office"}, "2001-08-31"),
                                        Entity("Regional Office")});
  ASSERT_TRUE(store_->PutDocument(report).ok());
  ASSERT_TRUE(store_->PutDocument(memo).ok());
  ASSERT_TRUE(store_->Flush().ok());
  RecommendationFilter of_report;
  of_report.document = report.id.ToHex();
  auto recs = Service().Recommendations(of_report);
  ASSERT_TRUE(recs.ok()) << recs.status().ToString();
  ASSERT_EQ((*recs)["recommendations"].size(), 1u);
  const json& linked = (*recs)["recommendations"][0]["linked"];
  ASSERT_EQ(linked.size(), 1u);
  EXPECT_EQ(linked[0]["due"], "2001-08-31");  // who must act, and by when, from the memo
  EXPECT_EQ(linked[0]["responsible"], json::array({"Regional Office"}));

  ASSERT_TRUE(store_->RemoveDocument(memo.id).ok());
  ASSERT_TRUE(store_->Flush().ok());
  recs = Service().Recommendations(of_report);
  EXPECT_EQ((*recs)["recommendations"][0]["linked"].size(), 0u);
}

// The reopen repairs the pending document by applying its graph again: that
// must converge to the same graph, not duplicate it.
TEST_F(GraphTest, RepairAfterAKillReappliesTheGraphWithoutDuplicates) {
  Document doc = DocWithFacts("crash", {Entity("Survivor Agency")});
  pid_t pid = ::fork();
  if (pid == 0) {
    auto store = Store::Open(dir_ / "other", StoreMode::kReadWrite);
    if (!store.ok() || !(*store)->PutDocument(doc).ok()) ::_exit(1);
    ::_exit(0);
  }
  int status = 0;
  ::waitpid(pid, &status, 0);
  ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
  auto reopened = Store::Open(dir_ / "other", StoreMode::kReadWrite);
  ASSERT_TRUE(reopened.ok());
  auto ids = (*reopened)->FindGraphNodes("Survivor Agency");
  ASSERT_TRUE(ids.ok());
  ASSERT_EQ(ids->size(), 1u);
  EXPECT_EQ((*reopened)->GraphEdges(ids->front(), false, "")->size(), 1u);
  EXPECT_EQ((*(*reopened)->GetGraphNode(ids->front()))->record["documents"], 1);
  EXPECT_EQ((*reopened)->Stats()->pending, 0u);
}

TEST(NameKeyAgreementTest, CoreAndPluginFoldNamesAlike) {
  for (const char* name : {"The Migration  Management-Services\nDepartment", "Organización Internacional",
                           "OFFICE OF THE INSPECTOR GENERAL", "l'Unité d'évaluation", "Ministère de la Santé",
                           "UN-Habitat", "Gavi, the Vaccine Alliance", "Straße & Co."}) {
    EXPECT_EQ(NameKey(name), dossier_entities::NameKey(name)) << name;
  }
}

// Every check of a request is QueryService's, and its InvalidArgument names
// the request field as the struct spells it (the CLI and the server map it).
TEST_F(GraphTest, BadRequestsNameTheRequestField) {
  auto starts_with = [](const Status& status, const std::string& field) {
    return status.code() == StatusCode::kInvalidArgument && status.message().rfind(field + ": ", 0) == 0;
  };
  ActionFilter actions;
  actions.offset = kMaxOffset + 1;
  Status bad = Service().Actions(actions).status();
  EXPECT_TRUE(starts_with(bad, "offset")) << bad.ToString();
  actions.offset = kMaxOffset;
  EXPECT_TRUE(Service().Actions(actions).ok());
  EXPECT_TRUE(starts_with(Service().ListDocuments(10, kMaxOffset + 1).status(), "offset"));
  EXPECT_TRUE(starts_with(Service().Entities(std::nullopt, std::nullopt, kMaxListLimit + 1, 0).status(), "limit"));

  actions = {};
  actions.due_before = "2023-02-29";
  bad = Service().Actions(actions).status();
  EXPECT_TRUE(starts_with(bad, "due_before")) << bad.ToString();
  RecommendationFilter recommendations;
  recommendations.overdue_as_of = "31/12/2020";
  bad = Service().Recommendations(recommendations).status();
  EXPECT_TRUE(starts_with(bad, "overdue_as_of")) << bad.ToString();

  bad = Service().Search(SearchRequest{.query = "pumps", .year_from = 2022, .year_to = 2020}).status();
  EXPECT_TRUE(starts_with(bad, "year_to")) << bad.ToString();
  EXPECT_NE(bad.message().find("year_from 2022"), std::string::npos) << bad.ToString();
  bad = Service().SearchItems(ItemSearchRequest{.query = "pumps", .year_from = 2022, .year_to = 2020}).status();
  EXPECT_TRUE(starts_with(bad, "year_to")) << bad.ToString();
  ItemSearchRequest items;
  items.query = "pumps";
  items.types = {"memo"};
  EXPECT_TRUE(starts_with(Service().SearchItems(items).status(), "types"));
}

// "Today" (the as_of of an answer that names no date) is the Env's clock.
TEST_F(GraphTest, TodayComesFromTheEnvClock) {
  class FixedClock : public EnvWrapper {
   public:
    FixedClock() : EnvWrapper(Env::Default()) {}
    int64_t NowMs() override { return 1907755200000; }  // 2030-06-15 12:00 UTC
  } clock;
  QueryService service(std::shared_ptr<Store>(store_.get(), [](Store*) {}), &clock);
  auto actions = service.Actions(ActionFilter{});
  ASSERT_TRUE(actions.ok()) << actions.status().ToString();
  EXPECT_EQ((*actions)["as_of"], "2030-06-15");
  auto followup = service.FollowUp("");
  ASSERT_TRUE(followup.ok()) << followup.status().ToString();
  EXPECT_EQ((*followup)["as_of"], "2030-06-15");
}

}  // namespace
}  // namespace dossier
