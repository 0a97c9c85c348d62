// Items as search results end to end: `dossier recommendations QUERY`,
// `dossier actions QUERY`, `dossier search --items` and `recommendations
// --similar` over evaluations with management responses, key actions, a
// progress update and a recommendation made again in a later evaluation;
// JSON checked against schemas/, CSV read back.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "support/test_support.h"

namespace dossier {
namespace {

using nlohmann::json;
using testing::RunDossier;
using testing::SchemaErrors;
using testing::TempDir;
using testing::WriteFile;

class ItemsCliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    data_ = tmp_ / "data";
    WriteFile(tmp_ / "in/eval.txt",
              "EVALUATION OF THE COASTAL FISHERIES PROGRAMME\n"
              "Date: 10 January 2025\n\n"
              "RECOMMENDATIONS\n"
              "Recommendation 1. The Fisheries Department (FD) should license every boat in the coastal districts.\n"
              "Management response: Accepted.\n"
              "Key action\tTime frame\tResponsible unit\tStatus\n"
              "1.1 Register the boats.\tQ1 2025\tFD\tInitiated\n"
              "1.2 Issue the licences.\tBy 31 December 2025\tFD; Legal Unit\tNot started\n"
              "Recommendation 2. FD should publish its catch data every quarter.\n"
              "Management response: Not accepted. The data belong to the ministry.\n"
              "Recommendation 3. The Legal Unit should train women fish traders in gender-sensitive market rules.\n");
    WriteFile(tmp_ / "in/update.txt",
              "PROGRESS UPDATE ON THE COASTAL FISHERIES PROGRAMME\n"
              "Date: 15 March 2026\n\n"
              "Recommendation 1. The Fisheries Department (FD) should license every boat in the coastal districts.\n"
              "Key action\tTime frame\tResponsible unit\tStatus\n"
              "1.1 Register the boats.\tQ1 2025\tFD\tCompleted\n");
    WriteFile(tmp_ / "in/eval2.txt",
              "EVALUATION OF THE FISHERIES SECTOR, SECOND CYCLE\n"
              "Date: 2 February 2027\n\n"
              "RECOMMENDATIONS\n"
              "Recommendation 4. The Fisheries Department (FD) should license every fishing boat in the coastal "
              "districts and the islands.\n"
              "Recommendation 5. The Fisheries Department should build cold stores for the harbour markets.\n");
    auto r = RunDossier(data_, {"ingest", tmp_ / "in"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
  }
  json Json(std::vector<std::string> args, const std::string& schema) {
    args.push_back("--json");
    auto r = RunDossier(data_, args);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    const std::string file = tmp_ / (schema + ".out.json");
    WriteFile(file, r.out);
    EXPECT_EQ(SchemaErrors(schema, file), "") << r.out.substr(0, 2000);
    return json::parse(r.out, nullptr, false);
  }
  static std::vector<std::string> Numbers(const json& list) {
    std::vector<std::string> out;
    for (const json& x : list) out.push_back(x["number"]);
    return out;
  }
  TempDir tmp_;
  std::string data_;
};

TEST_F(ItemsCliTest, RecommendationsRankedByAQueryWithTheirFollowUp) {
  json found = Json({"recommendations", "boat", "license"}, "recommendations.schema.json");
  ASSERT_EQ(Numbers(found["recommendations"]), (std::vector<std::string>{"1", "4"})) << found.dump(1);
  const json& first = found["recommendations"][0];
  EXPECT_EQ(first["rank"], 1);
  EXPECT_EQ(first["follow_up"]["response_status"], "accepted");
  ASSERT_EQ(first["follow_up"]["actions"].size(), 2u);
  EXPECT_EQ(first["follow_up"]["actions"][0]["status"], "completed") << "the progress update's status is the latest";
  EXPECT_NE(first["snippet"].get<std::string>().find("<mark>boat</mark>"), std::string::npos);
  EXPECT_EQ(found["query"], "boat license");
  // The existing filters apply.
  json legal = Json({"recommendations", "train OR boat", "--responsible", "Legal Unit"}, "recommendations.schema.json");
  EXPECT_EQ(Numbers(legal["recommendations"]), (std::vector<std::string>{"3"}));
  json in_eval2 = Json({"recommendations", "boat", "--doc", tmp_ / "in/eval2.txt"}, "recommendations.schema.json");
  EXPECT_EQ(Numbers(in_eval2["recommendations"]), (std::vector<std::string>{"4"}));
  // CSV: one row per ranked recommendation, rank first.
  auto csv = RunDossier(data_, {"recommendations", "boat", "--format", "csv"});
  ASSERT_EQ(csv.exit_code, 0) << csv.err;
  EXPECT_EQ(csv.out.rfind("rank,score,document,", 0), 0u) << csv.out;
  EXPECT_NE(csv.out.find("\r\n1,"), std::string::npos) << csv.out;
  EXPECT_NE(csv.out.find("\r\n2,"), std::string::npos) << csv.out;
}

TEST_F(ItemsCliTest, ActionsRankedByAQueryKeepTheirLatestStatus) {
  json found = Json({"actions", "register", "--as-of", "2025-06-01"}, "actions.schema.json");
  ASSERT_EQ(Numbers(found["actions"]), (std::vector<std::string>{"1.1"})) << found.dump(1);
  EXPECT_EQ(found["actions"][0]["status"], "completed");
  EXPECT_EQ(found["actions"][0]["rank"], 1);
  json none = Json({"actions", "register", "--status", "not started"}, "actions.schema.json");
  EXPECT_EQ(none["total"], 0) << "filters apply to the ranked actions";
}

TEST_F(ItemsCliTest, SearchItemsListsEveryTypeWithFacets) {
  json found = Json({"search", "--items", "boats OR data"}, "items.schema.json");
  std::set<std::string> types;
  for (const json& item : found["items"]) types.insert(item["type"]);
  EXPECT_TRUE(types.count("recommendation") && types.count("key_action") && types.count("management_response"))
      << found.dump(1);
  for (const json& item : found["items"]) {
    if (item["type"] == "key_action" && item["number"] == "1.1") {
      EXPECT_EQ(item["action_status"], "completed") << "the progress update's status is the latest";
    }
  }
  EXPECT_FALSE(found["facets"]["responsible"]["values"].empty());
  EXPECT_EQ(found["facets_exact"], true) << "counted over every match";
  json not_accepted = Json({"search", "--items", "data", "--response-status", "not accepted"}, "items.schema.json");
  ASSERT_GE(not_accepted["items"].size(), 1u);
  for (const json& item : not_accepted["items"]) EXPECT_EQ(item["response_status"], "not accepted");
  auto bad = RunDossier(data_, {"search", "--items", "data", "--item-type", "memo"});
  EXPECT_NE(bad.exit_code, 0);
  auto csv = RunDossier(data_, {"search", "--items", "boats", "--format", "csv"});
  ASSERT_EQ(csv.exit_code, 0) << csv.err;
  EXPECT_EQ(csv.out.rfind("rank,score,type,id,", 0), 0u) << csv.out;
}

TEST_F(ItemsCliTest, SimilarRanksTheRecurringRecommendationInTheTopThree) {
  json recurring = Json({"recommendations", "--recurring"}, "recommendations.schema.json");
  ASSERT_GE(recurring["recommendations"].size(), 1u) << recurring.dump(1);
  for (const json& rec : recurring["recommendations"]) {
    for (const json& link : rec["recurs"]) {
      json similar = Json({"recommendations", "--similar", rec["id"]}, "recommendations.schema.json");
      EXPECT_EQ(similar["similar_to"], rec["id"]);
      std::vector<std::string> top;
      for (size_t i = 0; i < similar["recommendations"].size() && i < 3; ++i) top.push_back(similar["recommendations"][i]["id"]);
      EXPECT_NE(std::find(top.begin(), top.end(), link["id"]), top.end()) << similar.dump(1);
      for (const json& r : similar["recommendations"]) EXPECT_NE(r["document"], rec["document"]);
    }
  }
}

}  // namespace
}  // namespace dossier
