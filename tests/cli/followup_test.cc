// Evaluation follow-up end to end: a report whose management response and
// key actions sit under its recommendations, a later progress update that
// restates an action's status, a later evaluation that repeats a
// recommendation; then `dossier actions`, `followup` and `recommendations
// --recurring` with their JSON (checked against schemas/) and CSV forms, and
// the overdue rule at its date boundaries.
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

class FollowUpTest : public ::testing::Test {
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
              "1.3 Review the fees.\tOngoing\tFD\tInitiated\n"
              "Recommendation 2. FD should publish its catch data every quarter.\n"
              "Management response: Not accepted. The data belong to the ministry.\n");
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
              "districts and the islands.\n");
    auto r = RunDossier(data_, {"ingest", tmp_ / "in"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
  }
  json Json(const std::vector<std::string>& args, const std::string& schema) {
    std::vector<std::string> full = args;
    full.push_back("--json");
    auto r = RunDossier(data_, full);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    const std::string file = tmp_ / (schema + ".out.json");
    WriteFile(file, r.out);
    EXPECT_EQ(SchemaErrors(schema, file), "") << r.out.substr(0, 2000);
    return json::parse(r.out, nullptr, false);
  }
  static const json* Action(const json& result, const std::string& number) {
    for (const json& a : result["actions"]) {
      if (a["number"] == number) return &a;
    }
    return nullptr;
  }
  TempDir tmp_;
  std::string data_;
};

TEST_F(FollowUpTest, ActionsCarryTheirLatestStatusAndItsHistory) {
  json all = Json({"actions", "--as-of", "2025-06-01"}, "actions.schema.json");
  ASSERT_EQ(all["total"], 3) << all.dump(1);  // the update's 1.1 is the same action, not a fourth
  const json* a11 = Action(all, "1.1");
  ASSERT_NE(a11, nullptr);
  EXPECT_EQ((*a11)["status"], "completed") << "the progress update of 2026 wins over the response of 2025";
  ASSERT_EQ((*a11)["history"].size(), 2u);
  EXPECT_EQ((*a11)["history"][0]["status"], "initiated");
  EXPECT_EQ((*a11)["history"][0]["document_date"], "2025-01-10");
  EXPECT_EQ((*a11)["history"][1]["status"], "completed");
  EXPECT_EQ((*a11)["overdue"], false) << "completed actions are never overdue";
  EXPECT_EQ((*a11)["start"], "2025-01");
  EXPECT_EQ((*a11)["due"], "2025-03");
  EXPECT_EQ((*a11)["recommendation"]["number"], "1");
  EXPECT_EQ((*a11)["recommendation"]["management_response"]["status"], "accepted");
  const json* a12 = Action(all, "1.2");
  ASSERT_NE(a12, nullptr);
  EXPECT_EQ((*a12)["responsible"], json::array({"Fisheries Department", "Legal Unit"}));
  EXPECT_EQ((*a12)["due"], "2025-12-31");
  EXPECT_EQ((*a12)["text"], "Issue the licences.");
  EXPECT_GE((*a12)["page"].get<int>(), 1);
  const json* a13 = Action(all, "1.3");
  ASSERT_NE(a13, nullptr);
  EXPECT_TRUE((*a13)["due"].is_null()) << "Ongoing has no due date";
}

TEST_F(FollowUpTest, OverdueAtTheDateBoundaries) {
  // 1.2 is due by 31 December 2025: not overdue that day, overdue the next.
  json on_due_day = Json({"actions", "--overdue-as-of", "2025-12-31"}, "actions.schema.json");
  EXPECT_EQ(on_due_day["total"], 0) << on_due_day.dump(1);
  json day_after = Json({"actions", "--overdue-as-of", "2026-01-01"}, "actions.schema.json");
  ASSERT_EQ(day_after["total"], 1) << day_after.dump(1);
  EXPECT_EQ(day_after["actions"][0]["number"], "1.2");
  // A month-precision due date covers the whole month (Q1 2025 ends 31 March).
  json one = Json({"actions", "--as-of", "2025-03-31"}, "actions.schema.json");
  EXPECT_EQ((*Action(one, "1.1"))["overdue"], false);
  EXPECT_EQ((*Action(one, "1.3"))["overdue"], false) << "an ongoing action is never overdue";
}

TEST_F(FollowUpTest, FiltersByResponsibleStatusAndEvaluation) {
  json legal = Json({"actions", "--responsible", "Legal Unit"}, "actions.schema.json");
  ASSERT_EQ(legal["total"], 1);
  EXPECT_EQ(legal["actions"][0]["number"], "1.2");
  json fd = Json({"actions", "--responsible", "FD"}, "actions.schema.json");
  EXPECT_EQ(fd["total"], 3) << "an acronym names the unit too";
  json initiated = Json({"actions", "--status", "initiated"}, "actions.schema.json");
  ASSERT_EQ(initiated["total"], 1);
  EXPECT_EQ(initiated["actions"][0]["number"], "1.3");
  json of_eval = Json({"actions", "--evaluation", tmp_ / "in/eval.txt"}, "actions.schema.json");
  EXPECT_EQ(of_eval["total"], 3);
  json of_other = Json({"actions", "--evaluation", tmp_ / "in/eval2.txt"}, "actions.schema.json");
  EXPECT_EQ(of_other["total"], 0);
  auto bad = RunDossier(data_, {"actions", "--status", "finished"});
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_NE(bad.err.find("status"), std::string::npos) << bad.err;
  bad = RunDossier(data_, {"actions", "--as-of", "June"});
  EXPECT_EQ(bad.exit_code, 2);
}

TEST_F(FollowUpTest, FollowUpSummaryPerUnitAndPerEvaluation) {
  json summary = Json({"followup", "--as-of", "2026-01-01"}, "followup.schema.json");
  EXPECT_EQ(summary["actions"], 3);
  const json* fd = nullptr;
  for (const json& u : summary["units"]) {
    if (u["unit"] == "Fisheries Department") fd = &u;
  }
  ASSERT_NE(fd, nullptr) << summary.dump(1);
  EXPECT_EQ((*fd)["total"], 3);
  EXPECT_EQ((*fd)["overdue"], 1);
  EXPECT_EQ((*fd)["by_status"]["completed"], 1);
  EXPECT_EQ((*fd)["oldest_overdue"]["number"], "1.2");
  ASSERT_EQ(summary["evaluations"].size(), 1u) << "the update's statement belongs to the same action";
}

TEST_F(FollowUpTest, CsvForSpreadsheets) {
  auto r = RunDossier(data_, {"actions", "--format", "csv", "--as-of", "2026-01-01"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out.substr(0, r.out.find("\r\n")),
            "document,title,page,recommendation,action,responsible,time_frame,start,due,status,overdue,text");
  EXPECT_NE(r.out.find(",1.2,Fisheries Department; Legal Unit,By 31 December 2025,,2025-12-31,not started,true,"
                       "Issue the licences.\r\n"),
            std::string::npos)
      << r.out;
  r = RunDossier(data_, {"followup", "--format", "csv", "--as-of", "2026-01-01"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("unit,Fisheries Department,3,1,1,1,0,0,0,1,1.2,2025-12-31,"), std::string::npos) << r.out;
  r = RunDossier(data_, {"recommendations", "--format", "csv"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  // A field holding a comma is quoted; one that opens like a formula is kept as text.
  WriteFile(tmp_ / "in4/formula.txt", "RECOMMENDATIONS\nRecommendation 9. =HYPERLINK(\"http://x\") the office should act now.\n");
  ASSERT_EQ(RunDossier(data_, {"ingest", tmp_ / "in4"}).exit_code, 0);
  auto formula = RunDossier(data_, {"recommendations", "--format", "csv", "--doc", tmp_ / "in4/formula.txt"});
  EXPECT_NE(formula.out.find(",\"'=HYPERLINK(\"\"http://x\"\") the office should act now.\"\r\n"), std::string::npos)
      << formula.out;
  EXPECT_NE(r.out.find(",not accepted,The data belong to the ministry.,0,"), std::string::npos) << r.out;
}

TEST_F(FollowUpTest, ARecommendationMadeAgainLaterIsLinkedAsRecurring) {
  json recurring = Json({"recommendations", "--recurring"}, "recommendations.schema.json");
  ASSERT_EQ(recurring["recommendations"].size(), 2u) << recurring.dump(1);  // both ends of the link
  for (const json& r : recurring["recommendations"]) {
    ASSERT_EQ(r["recurs"].size(), 1u);
    EXPECT_GE(r["recurs"][0]["similarity"].get<double>(), 0.5);
  }
}

TEST_F(FollowUpTest, AChangedDocumentReplacesItsActionsAndLeavesNoneBehind) {
  std::string text = testing::ReadFile(tmp_ / "in/eval.txt");
  text.erase(text.find("1.3 Review the fees."), std::string("1.3 Review the fees.\tOngoing\tFD\tInitiated\n").size());
  WriteFile(tmp_ / "in/eval.txt", text);
  auto r = RunDossier(data_, {"ingest", tmp_ / "in/eval.txt"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  json all = Json({"actions"}, "actions.schema.json");
  EXPECT_EQ(all["total"], 2) << all.dump(1);
  EXPECT_EQ(Action(all, "1.3"), nullptr);
  // The update still restates 1.1 of the new version.
  ASSERT_NE(Action(all, "1.1"), nullptr);
  EXPECT_EQ((*Action(all, "1.1"))["history"].size(), 2u);
}

TEST_F(FollowUpTest, AResponseInItsOwnDocumentIsLinkedToTheEvaluationItNames) {
  // The report first, then a separate management response naming it in its
  // subject, with its own wording of the recommendation.
  WriteFile(tmp_ / "in2/report.txt",
            "EVALUATION OF THE\nNORTHERN IRRIGATION SUPPORT PROGRAMME (NISP)\nMarch 2024\n\n"
            "RECOMMENDATIONS\nRecommendation 1. The Irrigation Agency (IA) should repair the main canals.\n");
  WriteFile(tmp_ / "in2/response.txt",
            "MANAGEMENT RESPONSE\nSubject: Evaluation of the Northern Irrigation Support Programme (NISP)\n"
            "Date: 3 June 2024\n\n"
            "Recommendation 1. Repair the canals of the northern scheme.\n"
            "Management response: Partially accepted. Only the main canals.\n"
            "Key action\tTime frame\tResponsible\tStatus\n"
            "1.1 Survey the canals.\tQ3 2024\tIA\tInitiated\n");
  auto r = RunDossier(data_, {"ingest", tmp_ / "in2/report.txt"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  r = RunDossier(data_, {"ingest", tmp_ / "in2/response.txt"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  json of_report = Json({"actions", "--evaluation", tmp_ / "in2/report.txt"}, "actions.schema.json");
  ASSERT_EQ(of_report["total"], 1) << of_report.dump(1);
  EXPECT_EQ(of_report["actions"][0]["number"], "1.1");
  EXPECT_EQ(of_report["actions"][0]["recommendation"]["management_response"]["status"], "partially accepted");
  // The link is in the graph, whichever document came first.
  json shown = Json({"show", tmp_ / "in2/response.txt"}, "document.schema.json");
  const std::string response_id = shown["document"]["id"];
  json around = Json({"graph", "neighbors", "D:" + response_id, "--edge", "responds_to"}, "neighbors.schema.json");
  ASSERT_EQ(around["edges"].size(), 1u) << around.dump(1);
  EXPECT_EQ(around["edges"][0]["type"], "responds_to");
  // Removing and re-adding the report keeps the link (made from the other side).
  WriteFile(tmp_ / "in2/report.txt", testing::ReadFile(tmp_ / "in2/report.txt") + "\nAnnex: list of canals.\n");
  r = RunDossier(data_, {"ingest", tmp_ / "in2/report.txt"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  around = Json({"graph", "neighbors", "D:" + response_id, "--edge", "responds_to"}, "neighbors.schema.json");
  EXPECT_EQ(around["edges"].size(), 1u) << around.dump(1);
}

TEST_F(FollowUpTest, ChainsLinkRecommendationsToTheirConclusionsAndFindings) {
  WriteFile(tmp_ / "in3/chain.txt",
            "FINDINGS\nF1. Wells dry up in the dry season.\n"
            "CONCLUSIONS\nC1. Water supply is not sustainable (see Finding 1).\n"
            "RECOMMENDATIONS\nRecommendation 7 (based on Conclusion 1): the ministry should fund repairs of wells.\n");
  auto r = RunDossier(data_, {"ingest", tmp_ / "in3/chain.txt"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  json recs = Json({"recommendations", "--doc", tmp_ / "in3/chain.txt"}, "recommendations.schema.json");
  ASSERT_EQ(recs["recommendations"].size(), 1u);
  ASSERT_EQ(recs["recommendations"][0]["based_on"].size(), 1u);
  const std::string conclusion = recs["recommendations"][0]["based_on"][0];
  EXPECT_EQ(conclusion.substr(0, 2), "C:");
  json chain = Json({"graph", "neighbors", conclusion, "--edge", "based_on"}, "neighbors.schema.json");
  EXPECT_EQ(chain["edges"].size(), 2u) << "recommendation -> conclusion -> finding: " << chain.dump(1);
}

TEST_F(FollowUpTest, TheGraphExportsAsGraphMLAndJsonLd) {
  auto r = RunDossier(data_, {"export", "--format", "graphml", "-o", tmp_ / "graph.graphml"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  // A real XML parser reads it: nodes, edges, and the edge types of the follow-up.
  auto parsed = testing::Run({DOSSIER_PYTHON, "-c",
                              "import sys, xml.etree.ElementTree as ET\n"
                              "ns = {'g': 'http://graphml.graphdrawing.org/xmlns'}\n"
                              "t = ET.parse(sys.argv[1])\n"
                              "types = sorted({d.text for d in t.findall('.//g:edge/g:data[@key=\"type\"]', ns)})\n"
                              "print(len(t.findall('.//g:node', ns)), ' '.join(types))\n",
                              tmp_ / "graph.graphml"});
  ASSERT_EQ(parsed.exit_code, 0) << parsed.err;
  EXPECT_NE(parsed.out.find("has_action"), std::string::npos) << parsed.out;
  EXPECT_NE(parsed.out.find("recurs"), std::string::npos) << parsed.out;
  EXPECT_NE(parsed.out.find("same_as"), std::string::npos) << parsed.out;

  r = RunDossier(data_, {"export", "--format", "jsonld"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  json doc = json::parse(r.out, nullptr, false);
  ASSERT_TRUE(doc.is_object());
  EXPECT_TRUE(doc["@context"].contains("@vocab"));
  int with_actions = 0;
  for (const json& node : doc["@graph"]) {
    EXPECT_EQ(node["@id"].get<std::string>().rfind("urn:dossier:", 0), 0u);
    if (node["@type"] == "Recommendation" && node.contains("rel:has_action")) ++with_actions;
  }
  EXPECT_EQ(with_actions, 2) << "recommendation 1 in the evaluation and in the update";
  r = RunDossier(data_, {"export", "--format", "xml"});
  EXPECT_EQ(r.exit_code, 2);
}

}  // namespace
}  // namespace dossier
