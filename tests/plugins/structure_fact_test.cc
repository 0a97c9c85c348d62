// Tests of the "structure" fact the entities extractor emits: the section tree
// with roles, topics and pages, the labelled blocks with what the items pass
// took from them, and the cap that keeps a long document's fact small.
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <nlohmann/json.hpp>

#include "extract.h"
#include "structure_fact.h"

namespace dossier_entities {
namespace {

using nlohmann::json;

// A report with a running header and page numbers, a recommendations section
// running over two pages, and an annex (terms of reference) with a numbered list.
const std::vector<std::string> kReport = {
    "Coastal Fisheries Evaluation 2024\nEvaluation of the Coastal Fisheries Programme\nIndependent Evaluation Office\n\n"
    "1. INTRODUCTION\nThis evaluation covers the programme from 2019 to 2023 in four provinces.\n\n1\n",
    "Coastal Fisheries Evaluation 2024\n2. FINDINGS\nThe programme reached most cooperatives, but catch records stayed "
    "incomplete.\n\n3. RECOMMENDATIONS\n1. The Ministry of Fisheries should publish catch data every quarter.\n"
    "2. The programme should train cooperative leaders in record keeping.\n\n2\n",
    "Coastal Fisheries Evaluation 2024\n3. The Evaluation Office should review the monitoring plan by June 2025.\n\n"
    "ANNEX 1. TERMS OF REFERENCE\n1. Assess the relevance of the programme design.\n"
    "2. Review the monitoring system and its data.\n\n3\n"};

class StructureFactTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string error;
    ASSERT_TRUE(cues_.LoadFolder(std::string(DOSSIER_SOURCE_DIR) + "/plugins/structure/data", &error)) << error;
  }
  // The one structure fact ExtractFacts gives for these pages.
  json Structure(const std::vector<std::string>& pages) {
    std::vector<PageInput> inputs;
    for (size_t i = 0; i < pages.size(); ++i) inputs.push_back({static_cast<uint32_t>(i + 1), pages[i]});
    json found;
    int n = 0;
    for (const json& f : ExtractFacts(inputs, "en", authority_, cues_)) {
      if (f["kind"] == "structure") found = f, ++n;
    }
    EXPECT_EQ(n, 1);
    return found;
  }
  static const json* SectionTitled(const json& s, const std::string& title) {
    for (const json& section : s["sections"]) {
      if (section["title"] == title) return &section;
    }
    return nullptr;
  }
  Authority authority_;
  dossier_structure::Cues cues_;
};

TEST_F(StructureFactTest, SectionsHaveRolesTopicsPagesAndTheItemsTaken) {
  const json s = Structure(kReport);
  EXPECT_EQ(s["removed"]["page_headers"], 3) << s.dump(1);
  EXPECT_EQ(s["removed"]["page_numbers"], 3);
  EXPECT_EQ(s["blocks"]["list_item"], 5);

  const json* recs = SectionTitled(s, "RECOMMENDATIONS");
  ASSERT_NE(recs, nullptr) << s.dump(1);
  EXPECT_EQ((*recs)["number"], "3");
  EXPECT_EQ((*recs)["role"], "body");
  EXPECT_EQ((*recs)["topic"], "recommendations");
  EXPECT_EQ((*recs)["own_topic"], true);
  EXPECT_EQ((*recs)["first_page"], 2);
  EXPECT_EQ((*recs)["last_page"], 3);
  EXPECT_EQ((*recs)["blocks"]["list_item"], 3);
  ASSERT_EQ((*recs)["labelled"].size(), 3u) << recs->dump(1);
  for (size_t i = 0; i < 3; ++i) {
    const json& b = (*recs)["labelled"][i];
    EXPECT_EQ(b["kind"], "list_item");
    EXPECT_EQ(b["label"], std::to_string(i + 1) + ".");
    EXPECT_EQ(b["page"], i < 2 ? 2 : 3);
    ASSERT_TRUE(b["taken"].is_object()) << b.dump();
    EXPECT_EQ(b["taken"]["as"], "recommendation");
    EXPECT_EQ(b["taken"]["number"], std::to_string(i + 1));
  }
  EXPECT_EQ((*recs)["labelled"][0]["text"], "The Ministry of Fisheries should publish catch data every quarter.");

  // The annex's numbered list is shown, and shown as not taken.
  const json* annex = SectionTitled(s, "ANNEX 1. TERMS OF REFERENCE");
  ASSERT_NE(annex, nullptr) << s.dump(1);
  EXPECT_EQ((*annex)["role"], "annex");
  EXPECT_EQ((*annex)["topic"], "terms_of_reference");
  EXPECT_EQ((*annex)["first_page"], 3);
  ASSERT_EQ((*annex)["labelled"].size(), 2u);
  for (const json& b : (*annex)["labelled"]) EXPECT_TRUE(b["taken"].is_null()) << b.dump();

  EXPECT_EQ(s["labelled"]["total"], 5);
  EXPECT_EQ(s["labelled"]["taken"], 3);
  EXPECT_EQ(s["labelled"]["listed"], 5);
  // Parents are indexes of earlier sections.
  for (size_t i = 0; i < s["sections"].size(); ++i) {
    const json& parent = s["sections"][i]["parent"];
    if (!parent.is_null()) {
      EXPECT_LT(parent.get<size_t>(), i);
    }
  }
}

TEST_F(StructureFactTest, KeyActionRowsAndLabelledParagraphsAreMarked) {
  const json s = Structure({"Recommendation 1. The Water Agency (WA) should map every well.\n"
                            "Management response: Accepted.\n"
                            "Key action\tTime frame\tResponsible unit(s)\tStatus\n"
                            "1.1 Draft the survey.\tQ1 2026\tWA\tCompleted\n"
                            "1.2 Survey the north.\tJanuary–March 2026\tWA\tIn progress\n"});
  std::vector<json> blocks;
  for (const json& b : s["front"]["labelled"]) blocks.push_back(b);
  for (const json& section : s["sections"]) {
    for (const json& b : section["labelled"]) blocks.push_back(b);
  }
  int recommendations = 0, actions = 0, header_rows = 0;
  for (const json& b : blocks) {
    if (b["taken"].is_null()) {
      header_rows += b["kind"] == "table_row";
      continue;
    }
    if (b["taken"]["as"] == "recommendation") {
      ++recommendations;
      EXPECT_EQ(b["taken"]["number"], "1");
    } else if (b["taken"]["as"] == "key_action") {
      ++actions;
      EXPECT_EQ(b["kind"], "table_row");
      EXPECT_EQ(b["taken"]["recommendation"], "1");
      EXPECT_EQ(b["taken"]["number"], actions == 1 ? "1.1" : "1.2");
    }
  }
  EXPECT_EQ(recommendations, 1) << s.dump(1);
  EXPECT_EQ(actions, 2) << s.dump(1);
  EXPECT_EQ(header_rows, 1) << s.dump(1);
}

TEST_F(StructureFactTest, KeyActionRowsWithoutNumbersAreFoundByTheirText) {
  const json s = Structure({"Recommendation 1. The Water Agency (WA) should map every well.\n"
                            "Management response: Accepted.\n"
                            "Key action\tTime frame\tResponsible unit(s)\n"
                            "Draft the survey of the northern wells.\tQ1 2026\tWA\n"
                            "Publish the map of every well.\tQ3 2026\tWA\n"});
  std::vector<std::string> marked;
  for (const json& section : s["sections"]) {
    for (const json& b : section["labelled"]) {
      if (b["taken"].is_object() && b["taken"]["as"] == "key_action") marked.push_back(b["text"]);
    }
  }
  for (const json& b : s["front"]["labelled"]) {
    if (b["taken"].is_object() && b["taken"]["as"] == "key_action") marked.push_back(b["text"]);
  }
  EXPECT_EQ(marked, (std::vector<std::string>{"Draft the survey of the northern wells. | Q1 2026 | WA",
                                              "Publish the map of every well. | Q3 2026 | WA"}))
      << s.dump(1);
}

TEST_F(StructureFactTest, ALongDocumentListsTakenBlocksAndTheFirstOthersOnly) {
  std::string recommendations = "RECOMMENDATIONS\n";
  for (int i = 1; i <= 5; ++i) {
    recommendations += std::to_string(i) + ". The office should act on matter number " + std::to_string(i) + ".\n";
  }
  // Lines that differ in their words, not only their digits (else they would read as running headers).
  auto word = [](int n) {
    std::string w;
    for (int k = 0; k < 3; ++k, n /= 26) w += static_cast<char>('a' + n % 26);
    return w;
  };
  std::vector<std::string> pages = {recommendations};
  for (int p = 0; p < 20; ++p) {
    std::string page = p == 0 ? "ANNEX 2. TERMS OF REFERENCE\n" : "";
    for (int i = 1; i <= 30; ++i) {
      page += std::to_string(p * 30 + i) + ". Review the records of district " + word(p * 30 + i) +
              " and every account, ledger, receipt and report kept there since the programme began, in full.\n";
    }
    pages.push_back(page);
  }
  const json s = Structure(pages);
  EXPECT_EQ(s["labelled"]["total"], 605) << s["labelled"].dump();
  EXPECT_EQ(s["labelled"]["taken"], 5);
  EXPECT_EQ(s["labelled"]["listed"], kStructureListedBlocks);
  EXPECT_EQ(s["labelled"]["limit"], kStructureListedBlocks);
  const json* annex = SectionTitled(s, "ANNEX 2. TERMS OF REFERENCE");
  ASSERT_NE(annex, nullptr);
  EXPECT_EQ((*annex)["labelled_total"], 600);
  EXPECT_EQ((*annex)["labelled"].size(), kStructureListedBlocks - 5);
  EXPECT_EQ((*annex)["last_page"], 21);
  // Texts are cut at 100 characters, marked.
  const std::string text = (*annex)["labelled"][0]["text"];
  EXPECT_EQ(text.substr(text.size() - 3), "…");
  EXPECT_EQ(text.size(), 100u + 3u);
  EXPECT_LT(s.dump().size(), 80000u);
}

TEST_F(StructureFactTest, SectionsPastTheCapAreCountedNotListed) {
  auto word = [](int n) {
    std::string w;
    for (int k = 0; k < 3; ++k, n /= 26) w += static_cast<char>('a' + n % 26);
    return w;
  };
  std::vector<std::string> pages;
  for (int p = 0; p < 20; ++p) {
    std::string page;
    for (int i = 1; i <= 30; ++i) {
      const int n = p * 30 + i;
      page += std::to_string(n) + ".1 Area " + word(n) + "\nThe district " + word(n) + " keeps its own records.\n\n";
    }
    pages.push_back(page);
  }
  const json s = Structure(pages);
  EXPECT_EQ(s["sections_total"], 600);
  ASSERT_EQ(s["sections"].size(), kStructureMaxSections);
  for (const json& section : s["sections"]) {
    if (!section["parent"].is_null()) {
      EXPECT_LT(section["parent"].get<size_t>(), kStructureMaxSections);
    }
  }
  EXPECT_EQ(s["sections"].back()["first_page"], 17);  // section 500 is on page 17
  EXPECT_EQ(s["blocks"]["heading"], 600);            // the counts cover the whole document
}

// The schema names every topic, role and block kind the model has (a topic
// added to the model must be added to schemas/structure.schema.json).
TEST(StructureSchemaTest, NamesEveryTopicRoleAndBlockKind) {
  std::ifstream in(std::string(DOSSIER_SOURCE_DIR) + "/schemas/structure.schema.json");
  const json schema = json::parse(in);
  const json& section = schema["properties"]["sections"]["items"]["properties"];
  auto listed = [](const json& values, const std::string& name) {
    return std::find(values.begin(), values.end(), json(name)) != values.end();
  };
  int topics = 0;
  for (int i = 1; !dossier_structure::TopicName(static_cast<dossier_structure::Topic>(i)).empty(); ++i, ++topics) {
    const std::string name(dossier_structure::TopicName(static_cast<dossier_structure::Topic>(i)));
    EXPECT_TRUE(listed(section["topic"]["enum"], name)) << name;
  }
  EXPECT_GE(topics, 10);
  using dossier_structure::SectionRole;
  for (SectionRole role : {SectionRole::kFrontMatter, SectionRole::kContents, SectionRole::kSummary, SectionRole::kBody,
                           SectionRole::kAnnex}) {
    EXPECT_TRUE(listed(section["role"]["enum"], std::string(dossier_structure::SectionRoleName(role))));
  }
  using dossier_structure::BlockKind;
  for (BlockKind kind : {BlockKind::kHeading, BlockKind::kParagraph, BlockKind::kListItem, BlockKind::kTableRow,
                         BlockKind::kContentsEntry}) {
    const std::string name(dossier_structure::BlockKindName(kind));
    EXPECT_TRUE(listed(schema["definitions"]["labelledBlock"]["properties"]["kind"]["enum"], name)) << name;
    EXPECT_TRUE(schema["definitions"]["blockCounts"]["properties"].contains(name)) << name;
  }
}

}  // namespace
}  // namespace dossier_entities
