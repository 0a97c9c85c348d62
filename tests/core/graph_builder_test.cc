// Tests of the graph builder (graph_builder.h) without RocksDB: one
// document's facts become a plan of nodes, edges, aliases and entity
// evidence; what the stored graph says comes from a map (FakeLookup).
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>

#include "dossier/facts.h"
#include "dossier/keys.h"
#include "dossier/name_key.h"
#include "graph_builder.h"

namespace dossier {
namespace {

using keys::EdgeType;
using keys::NodeKind;
using nlohmann::json;

// The stored graph as maps: acronym definers, alias -> nodes, node records,
// document extractors.
class FakeLookup : public GraphLookup {
 public:
  Result<std::set<std::string>> AcronymDefiners(const std::string& acronym_key) const override {
    auto it = definers.find(acronym_key);
    return it == definers.end() ? std::set<std::string>() : it->second;
  }
  Result<std::vector<std::string>> NodesWithAlias(const std::string& alias) const override {
    auto it = aliases.find(alias);
    return it == aliases.end() ? std::vector<std::string>() : it->second;
  }
  Result<std::optional<json>> NodeRecord(const std::string& node) const override {
    auto it = records.find(node);
    return it == records.end() ? std::optional<json>() : std::optional<json>(it->second);
  }
  Result<std::string> Extractors(const DocumentId& doc) const override {
    auto it = extractors.find(doc.ToHex());
    return it == extractors.end() ? std::string() : it->second;
  }
  std::map<std::string, std::set<std::string>> definers;
  std::map<std::string, std::vector<std::string>> aliases;
  std::map<std::string, json> records;
  std::map<std::string, std::string> extractors;
};

DocumentId Id(char c) { return DocumentId::FromHex(std::string(16, c)).value(); }

EntityFact Organisation(const std::string& name, std::vector<std::string> aliases = {}) {
  EntityFact e;
  e.type = EntityType::kOrganisation;
  e.name = name;
  e.aliases = std::move(aliases);
  e.mentions = {{2, 10, 20}, {2, 40, 50}, {5, 0, 5}};
  return e;
}

std::string OrganisationNode(const std::string& name) { return EntityNodeKey(NodeKind::kOrganisation, NameKey(name)); }

const PlannedEdge* FindEdge(const DocumentGraphPlan& plan, const std::string& src, EdgeType type, const std::string& dst) {
  for (const PlannedEdge& e : plan.edges) {
    if (e.src == src && e.type == type && e.dst == dst) return &e;
  }
  return nullptr;
}

std::optional<json> FindNode(const DocumentGraphPlan& plan, const std::string& key) {
  std::optional<json> last;  // a later write of the same key wins
  for (const auto& [node, record] : plan.nodes) {
    if (node == key) last = json::parse(record);
  }
  return last;
}

TEST(GraphBuilderTest, ARecommendationBecomesItsNodeWithResponsibleDueActionsAndAlias) {
  const DocumentId doc = Id('a');
  ItemFact finding;
  finding.item_type = ItemType::kFinding;
  finding.number = "12";
  finding.text = "Pumps were not repaired.";
  finding.page = 3;
  finding.start = 100;
  ItemFact rec;
  rec.item_type = ItemType::kRecommendation;
  rec.number = "1";
  rec.text = "The Water Agency should repair the pumps.";
  rec.page = 4;
  rec.start = 200;
  rec.responsible = {"Water Agency"};
  rec.due = "2021-06";
  rec.based_on = {{ItemType::kFinding, "F12"}};  // "F12" is "Finding 12"
  KeyAction action;
  action.number = "1.1";
  action.text = "Survey the pumps.";
  action.page = 4;
  action.responsible = {"Water Agency"};
  rec.key_actions = {action};
  FakeLookup stored;
  Result<DocumentGraphPlan> plan = BuildDocumentGraph(
      doc, "Report", {Organisation("Water Agency", {"WA"}), finding, rec, DocumentDateFact{"2019-03-01"}}, "entities",
      stored);
  ASSERT_TRUE(plan.ok()) << plan.status().ToString();

  const std::string doc_node = keys::DocumentNodeKey(doc);
  const std::string rec_node = keys::ItemNodeKey(doc, "recommendation", "1", 200);
  const std::string finding_node = keys::ItemNodeKey(doc, "finding", "12", 100);
  const std::string agency = OrganisationNode("Water Agency");
  std::optional<json> doc_record = FindNode(*plan, doc_node);
  ASSERT_TRUE(doc_record);
  EXPECT_EQ((*doc_record)["title"], "Report");
  EXPECT_EQ((*doc_record)["date"], "2019-03-01");
  std::optional<json> rec_record = FindNode(*plan, rec_node);
  ASSERT_TRUE(rec_record);
  EXPECT_EQ((*rec_record)["due"], "2021-06");
  EXPECT_EQ((*rec_record)["responsible"], json::array({"Water Agency"}));

  const PlannedEdge* mention = FindEdge(*plan, doc_node, EdgeType::kMentions, agency);
  ASSERT_NE(mention, nullptr);
  EXPECT_EQ(mention->evidence["pages"], json::array({2, 5}));
  EXPECT_EQ(mention->evidence["mentions"], 3);
  EXPECT_EQ(mention->evidence["extractor"], "entities");
  EXPECT_EQ(plan->mentioned.at(agency), mention->evidence);
  EXPECT_NE(FindEdge(*plan, rec_node, EdgeType::kResponsible, agency), nullptr);
  EXPECT_NE(FindEdge(*plan, doc_node, EdgeType::kContains, rec_node), nullptr);
  const std::string due = keys::NodeKey(NodeKind::kDate, HashBytes("2021-06"));
  EXPECT_NE(FindEdge(*plan, rec_node, EdgeType::kDue, due), nullptr);
  EXPECT_EQ(FindNode(*plan, due), json({{"value", "2021-06"}}));
  EXPECT_NE(FindEdge(*plan, rec_node, EdgeType::kBasedOn, finding_node), nullptr);
  const std::string action_node = keys::ActionNodeKey(doc, "1", "1.1", 0);
  EXPECT_NE(FindEdge(*plan, rec_node, EdgeType::kHasAction, action_node), nullptr);
  EXPECT_NE(FindEdge(*plan, action_node, EdgeType::kResponsible, agency), nullptr);
  EXPECT_EQ((*FindNode(*plan, action_node))["document_date"], "2019-03-01");
  // Items for the linker, each with its text alias.
  EXPECT_EQ(plan->items, (std::set<std::string>{rec_node, finding_node, action_node}));
  EXPECT_NE(std::find(plan->aliases.begin(), plan->aliases.end(),
                      keys::AliasKey(ItemTextKey("recommendation", rec.text), rec_node)),
            plan->aliases.end());
  for (const PlannedEdge& e : plan->edges) EXPECT_EQ(e.doc, doc) << keys::NodeKeyToText(e.src);
}

// "RISU should ..." with no definition here: the entity the stored documents
// define RISU as, when exactly one does.
TEST(GraphBuilderTest, ABareAcronymIsTheOneEntityTheDocumentsDefineItAs) {
  const DocumentId doc = Id('b');
  EntityFact bare;
  bare.type = EntityType::kOrganisation;
  bare.name = "RISU";
  bare.mentions = {{1, 0, 4}};
  FakeLookup stored;
  const std::string unit = OrganisationNode("Regional Implementation Support Unit");
  stored.definers[NameKey("RISU")] = {unit};
  Result<DocumentGraphPlan> plan = BuildDocumentGraph(doc, "Memo", {bare}, "entities", stored);
  ASSERT_TRUE(plan.ok()) << plan.status().ToString();
  const std::string doc_node = keys::DocumentNodeKey(doc);
  const PlannedEdge* mention = FindEdge(*plan, doc_node, EdgeType::kMentions, unit);
  ASSERT_NE(mention, nullptr);
  EXPECT_EQ(mention->evidence["resolved"], true);
  // Listed under the acronym, to be built again when its definers change.
  EXPECT_NE(std::find(plan->aliases.begin(), plan->aliases.end(),
                      keys::AliasKey(keys::AcronymUseAlias(NameKey("RISU")), doc_node)),
            plan->aliases.end());

  // Two definers: no resolution, the acronym's own node.
  stored.definers[NameKey("RISU")].insert(OrganisationNode("Rural Infrastructure Support Unit"));
  plan = BuildDocumentGraph(doc, "Memo", {bare}, "entities", stored);
  ASSERT_TRUE(plan.ok());
  EXPECT_EQ(FindEdge(*plan, doc_node, EdgeType::kMentions, unit), nullptr);
  const PlannedEdge* own = FindEdge(*plan, doc_node, EdgeType::kMentions, OrganisationNode("RISU"));
  ASSERT_NE(own, nullptr);
  EXPECT_FALSE(own->evidence.contains("resolved"));
}

// An evaluation and the answer to it meet under the title's key, whichever
// came first: the link goes from the answer, filed under the answer.
TEST(GraphBuilderTest, AnEvaluationIsLinkedFromTheStoredAnswerToIt) {
  const DocumentId evaluation = Id('c'), answer = Id('d');
  const std::string evaluation_node = keys::DocumentNodeKey(evaluation), answer_node = keys::DocumentNodeKey(answer);
  FakeLookup stored;
  stored.aliases[keys::TitleAlias(true, "water programme evaluation")] = {answer_node};
  stored.records[answer_node] = {{"responds_to_title", "Evaluation of the Water Programme"}};
  stored.extractors[answer.ToHex()] = "entities, memo";
  Result<DocumentGraphPlan> plan = BuildDocumentGraph(
      evaluation, "Evaluation", {EvaluationTitleFact{false, "Water Programme Evaluation", "water programme evaluation"}},
      "entities", stored);
  ASSERT_TRUE(plan.ok()) << plan.status().ToString();
  const PlannedEdge* link = FindEdge(*plan, answer_node, EdgeType::kRespondsTo, evaluation_node);
  ASSERT_NE(link, nullptr);
  EXPECT_EQ(link->doc, answer);
  EXPECT_EQ(link->evidence["title"], "Evaluation of the Water Programme");
  EXPECT_EQ(link->evidence["extractor"], "entities, memo");
  EXPECT_EQ((*FindNode(*plan, evaluation_node))["evaluation_title"], "Water Programme Evaluation");

  // The answer built after the evaluation: the same link, from its own side.
  FakeLookup evaluation_stored;
  evaluation_stored.aliases[keys::TitleAlias(false, "water programme evaluation")] = {evaluation_node, answer_node};
  plan = BuildDocumentGraph(
      answer, "Management response",
      {EvaluationTitleFact{true, "Evaluation of the Water Programme", "water programme evaluation"}}, "entities",
      evaluation_stored);
  ASSERT_TRUE(plan.ok());
  link = FindEdge(*plan, answer_node, EdgeType::kRespondsTo, evaluation_node);
  ASSERT_NE(link, nullptr);
  EXPECT_EQ(link->doc, answer);
  EXPECT_EQ(FindEdge(*plan, answer_node, EdgeType::kRespondsTo, answer_node), nullptr) << "not to itself";
}

}  // namespace
}  // namespace dossier
