// Tests of the key-actions pass on small action tables written for the tests:
// tab-separated and space-set rows, wrapped cells, repeated headers, numbered
// rows, in English and French.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "extract.h"
#include "recommendations_fixture.h"
#include "key_actions.h"

namespace dossier_entities {
namespace {

using nlohmann::json;

class KeyActionsTest : public RecommendationsFixture {
 protected:
  static std::string Actions(const json& rec) {
    std::string out;
    for (const json& a : rec.value("key_actions", json::array())) out += a["number"].get<std::string>() + ": " + a["text"].get<std::string>() + "\n";
    return out;
  }
};

TEST_F(KeyActionsTest, UnnumberedRowsUnderAnActionHeaderBelongToTheRecommendationAbove) {
  auto recs = Recommendations(
      {"Recommendation 1: The Health Office should publish clinic waiting times every month.\n"
       "Management response: Accepted.\n"
       "Key action\tTime frame\tResponsible unit(s)\tStatus\n"
       "Build a waiting-time dashboard\tBy 30 June 2027\tData Unit; Health Office\tNot started\n"
       "Train clinic clerks to record\tQ3 2027\tTraining Unit\tIn progress\n"
       "arrival times\t\t\t\n"
       "Recommendation 2: The Health Office should survey patients each year.\n"
       "Management response: Not accepted. A survey exists.\n"});
  ASSERT_EQ(recs.size(), 2u);
  const json& actions = recs[0]["key_actions"];
  ASSERT_EQ(actions.size(), 2u) << Actions(recs[0]);
  EXPECT_EQ(actions[0]["number"], "1.1");
  EXPECT_EQ(actions[0]["text"], "Build a waiting-time dashboard");
  EXPECT_EQ(actions[0]["due"], "2027-06-30");
  EXPECT_EQ(actions[0]["status"], "not started");
  EXPECT_EQ(actions[1]["text"], "Train clinic clerks to record arrival times");
  EXPECT_EQ(actions[1]["start"], "2027-07");
  EXPECT_EQ(actions[1]["due"], "2027-09");
  EXPECT_EQ(actions[1]["status"], "initiated");
  EXPECT_EQ(recs[1].value("key_actions", json::array()).size(), 0u) << Actions(recs[1]);
}

TEST_F(KeyActionsTest, SpaceSetRowsWithWrappedCellsAcrossAPageBreakAreOneAction) {
  auto recs = Recommendations(
      {"Recommendation 1: The Transport Board should renew its bus fleet.\n"
       "Management response: Agreed.\n"
       "Action                            Lead office          Completion date\n"
       "Action to respond to (a):         Fleet Office         March 2027\n"
       "The Board will tender for twenty\n"
       "                                  Finance Office\n"
       "7\n",
       "Action                            Lead office          Completion date\n"
       "electric buses in two lots.\n"});
  ASSERT_EQ(recs.size(), 1u);
  const json& actions = recs[0]["key_actions"];
  ASSERT_EQ(actions.size(), 1u) << Actions(recs[0]);
  // The label that says what the action answers is not its text.
  EXPECT_EQ(actions[0]["text"], "The Board will tender for twenty electric buses in two lots.");
  EXPECT_EQ(actions[0]["due"], "2027-03");
  EXPECT_EQ(actions[0]["time_frame"], "March 2027");
  ASSERT_EQ(actions[0]["responsible"].size(), 2u) << actions[0].dump();
}

TEST_F(KeyActionsTest, FrenchHeaderWords) {
  auto recs = Recommendations(
      {"Recommandation 1 : Le ministère devrait publier les tarifs de l'eau chaque année.\n"
       "Réponse de la direction : Acceptée.\n"
       "Mesure\tÉchéance\tResponsable\n"
       "Publier les tarifs sur le site du ministère\tDécembre 2026\tDirection de l'eau\n"},
      "fr");
  ASSERT_EQ(recs.size(), 1u);
  const json& actions = recs[0]["key_actions"];
  ASSERT_EQ(actions.size(), 1u) << Actions(recs[0]);
  EXPECT_EQ(actions[0]["text"], "Publier les tarifs sur le site du ministère");
  EXPECT_EQ(actions[0]["due"], "2026-12");
}

TEST_F(KeyActionsTest, ANumberedRowBelongsToTheRecommendationItNames) {
  auto recs = Recommendations(
      {"Recommendation 1: Merge the two registers.\nManagement response: Accepted.\n"
       "Recommendation 2: Close the old office.\nManagement response: Accepted.\n"
       "1.1 Draft a merger plan.\tJanuary 2027\tRegistry Unit\n"
       "2.1 Move the staff.\tJune 2027\tPersonnel Unit\n"});
  ASSERT_EQ(recs.size(), 2u);
  ASSERT_EQ(recs[0]["key_actions"].size(), 1u) << Actions(recs[0]);
  EXPECT_EQ(recs[0]["key_actions"][0]["number"], "1.1");
  ASSERT_EQ(recs[1]["key_actions"].size(), 1u) << Actions(recs[1]);
  EXPECT_EQ(recs[1]["key_actions"][0]["text"], "Move the staff.");
}

TEST_F(KeyActionsTest, AHeadingEndsTheTableAndRowsWithoutAHeaderAreNoActions) {
  auto recs = Recommendations(
      {"Recommendation 1: Merge the two registers.\nManagement response: Accepted.\n"
       "Key action\tDeadline\tResponsible\n"
       "Draft a merger plan\tJanuary 2027\tRegistry Unit\n\n"
       "ANNEX 2. PEOPLE INTERVIEWED\n\n"
       "Jane Doe\tRegistry Unit\tMay 2026\n"});
  ASSERT_EQ(recs.size(), 1u);
  EXPECT_EQ(recs[0]["key_actions"].size(), 1u) << Actions(recs[0]);
}

TEST_F(KeyActionsTest, ActionPlanCommitmentsWithTheirMilestones) {
  // An action plan: "Commitment N" set on its own line, the commitment below,
  // then themed sub-headings; the list and the dated sentences under
  // "Timescales" are its key actions, the other sections are not.
  auto recs = Recommendations(
      {"Commitment 1\n"
       "The Ministry will publish every contract it signs above ten thousand euros.\n\n"
       "Context\n\n"
       "Contracts have been published since 2010. The register will grow by 2030.\n\n"
       "Timescales\n\n"
       "The key milestones are:\n"
       "\xE2\x80\xA2 by March 2027, the Ministry will publish the contracts of its agencies\n"
       "\xE2\x80\xA2 by June 2027, a search service will be opened to the public\n\n"
       "An annual report will follow in December 2027. The team is already in place.\n\n"
       "Commitment 2\n"
       "The Ministry will open its budget data.\n"});
  ASSERT_EQ(recs.size(), 2u);
  EXPECT_EQ(recs[0]["number"], "1");
  EXPECT_EQ(recs[0]["text"], "The Ministry will publish every contract it signs above ten thousand euros.");
  const json& actions = recs[0]["key_actions"];
  ASSERT_EQ(actions.size(), 3u) << Actions(recs[0]);
  EXPECT_EQ(actions[0]["text"], "by March 2027, the Ministry will publish the contracts of its agencies");
  EXPECT_EQ(actions[0]["due"], "2027-03");
  EXPECT_EQ(actions[2]["text"], "An annual report will follow in December 2027.");
  EXPECT_EQ(recs[1]["number"], "2");
  EXPECT_EQ(recs[1].value("key_actions", json::array()).size(), 0u);
}

TEST_F(KeyActionsTest, NumberedActionsOfAPlanWithTheirNextSteps) {
  // A plan with no recommendations: its numbered actions are the items, the
  // next steps that name them are their key actions, and the lead named in
  // the heading above is who must act.
  auto recs = Recommendations(
      {"Water Services\n\n"
       "Work Package 3 | Lead: Director of Water Services\n\n"
       "HOW WE GET THERE\n"
       "\xE2\x97\x8F Action 7: Merge the two billing offices into one service centre.\n"
       "\xE2\x97\x8F Actions 8, 9: Publish tariffs and complaints data every quarter.\n\n"
       "PROGRESS TO DATE\n"
       "The merger study is finished.\n\n"
       "NEXT STEPS AND DECISIONS\n"
       "\xE2\x97\x8F Action 9: The first complaints report will be published in June 2027.\n"
       "\xE2\x97\x8F Action 7: The service centre will open by the end of 2027.\n"});
  ASSERT_EQ(recs.size(), 2u);
  EXPECT_EQ(recs[0]["number"], "7");
  EXPECT_EQ(recs[0]["text"], "Merge the two billing offices into one service centre.");
  EXPECT_EQ(recs[1]["number"], "8, 9");
  ASSERT_EQ(recs[0]["key_actions"].size(), 1u) << Actions(recs[0]);
  EXPECT_EQ(recs[0]["key_actions"][0]["text"], "The service centre will open by the end of 2027.");
  EXPECT_EQ(recs[0]["key_actions"][0]["due"], "2027-12");
  ASSERT_EQ(recs[1]["key_actions"].size(), 1u) << Actions(recs[1]);
  EXPECT_EQ(recs[1]["key_actions"][0]["due"], "2027-06");
  EXPECT_FALSE(recs[0]["responsible"].empty()) << recs[0].dump();
}

TEST_F(KeyActionsTest, ActionLabelsUnderARecommendationAreNotItems) {
  // With a recommendation in the document, "Action 1:" lines are its actions, never recommendations.
  auto recs = Recommendations({"Recommendation 1: The Board should audit its suppliers.\n"
                               "Management response: Accepted.\n\n"
                               "Next Steps\n"
                               "\xE2\x80\xA2 Action 1: An audit plan will be adopted by March 2027.\n"});
  ASSERT_EQ(recs.size(), 1u);
  ASSERT_EQ(recs[0]["key_actions"].size(), 1u) << Actions(recs[0]);
  EXPECT_EQ(recs[0]["key_actions"][0]["text"], "An audit plan will be adopted by March 2027.");
}

TEST_F(KeyActionsTest, OneRowPerRecommendationWithItsResponseAndActionColumns) {
  auto recs = Recommendations(
      {"Recommendations and management response\n\n"
       "Recommendation\tManagement response\tActions to be taken\tResponsible unit\tTimeframe\n"
       "1. The Fund should map every irrigation scheme.\tAccepted\tCommission a national irrigation survey\t"
       "Land and Water Division\tDecember 2027\n"
       "2. The Fund should train extension workers.\tPartially accepted\tTrain staff in two provinces\t"
       "Training Unit\tJune 2027\n"});
  ASSERT_EQ(recs.size(), 2u);
  EXPECT_EQ(recs[0]["management_response"]["status"], "accepted");
  EXPECT_EQ(recs[1]["management_response"]["status"], "partially accepted");
  ASSERT_EQ(recs[0]["key_actions"].size(), 1u) << Actions(recs[0]);
  EXPECT_EQ(recs[0]["key_actions"][0]["text"], "Commission a national irrigation survey");
  EXPECT_EQ(recs[0]["key_actions"][0]["due"], "2027-12");
  ASSERT_EQ(recs[1]["key_actions"].size(), 1u) << Actions(recs[1]);
  EXPECT_EQ(recs[1]["key_actions"][0]["due"], "2027-06");
}

TEST_F(KeyActionsTest, FrenchResponseMatrixWithStatuses) {
  auto recs = Recommendations(
      {"Recommandation 1 : Le programme devrait renforcer le suivi des bénéficiaires.\n"
       "Réponse de la direction : Acceptée.\n"
       "Actions clés\tÉchéance\tUnité(s) responsable(s)\tÉtat\n"
       "Recruter un chargé de suivi\tJuin 2026\tUnité de suivi-évaluation\tAchevée\n"
       "Publier un tableau de bord trimestriel\tDécembre 2026\tUnité de suivi-évaluation\tEn cours\n"},
      "fr");
  ASSERT_EQ(recs.size(), 1u);
  EXPECT_EQ(recs[0]["management_response"]["status"], "accepted");
  const json& actions = recs[0]["key_actions"];
  ASSERT_EQ(actions.size(), 2u) << Actions(recs[0]);
  EXPECT_EQ(actions[0]["due"], "2026-06");
  EXPECT_EQ(actions[0]["status"], "completed");
  EXPECT_EQ(actions[1]["status"], "initiated");
}

TEST_F(KeyActionsTest, ARowSplitByAPageBreakAndProseAfterTheTable) {
  // The second half of a row on the next page comes with its number cell empty;
  // the paragraph after the table is no part of the last action.
  auto recs = Recommendations(
      {"Recommendation 1: The Board should pay for remote drilling.\nManagement response: Accepted.\n"
       "No.\tKey action\tResponsible unit\tTime frame\tStatus\n"
       "1.1\tAdd a remoteness\tProcurement Services\tBy 31 March 2027\tNot started\n",
       "\tallowance to drilling contracts\t\t\t\n"
       "1.2\tPublish the allowance rates\tFinance Unit\tQ2 2027\tNot started\n"
       "Progress on these actions will be reported to the Board at its annual session in June 2027 and after.\n"});
  ASSERT_EQ(recs.size(), 1u);
  const json& actions = recs[0]["key_actions"];
  ASSERT_EQ(actions.size(), 2u) << Actions(recs[0]);
  EXPECT_EQ(actions[0]["text"], "Add a remoteness allowance to drilling contracts");
  EXPECT_EQ(actions[0]["responsible"], json::array({"Procurement Services"}));
  EXPECT_EQ(actions[1]["text"], "Publish the allowance rates");
}

TEST_F(KeyActionsTest, NextStepsDueInAMonthWithoutItsYearTakeTheDocumentsYear) {
  auto recs = Recommendations(
      {"Progress report, 27 April 2027\n\n"
       "HOW WE GET THERE\n"
       "\xE2\x97\x8F Action 3: Merge the two payroll systems.\n\n"
       "NEXT STEPS AND DECISIONS\n"
       "\xE2\x97\x8F Action 3: The merged system will be tested by the end of September.\n"});
  ASSERT_EQ(recs.size(), 1u);
  ASSERT_EQ(recs[0]["key_actions"].size(), 1u) << Actions(recs[0]);
  EXPECT_EQ(recs[0]["key_actions"][0]["time_frame"], "by the end of September");
  EXPECT_EQ(recs[0]["key_actions"][0]["due"], "2027-09");
}

TEST(DeadlineTest, TheFirstDateSetAsADeadlineWithItsWords) {
  EXPECT_EQ(DeadlineIn("The Board will set up a group by 1 January 2014; it will report by 30 June 2014.",
                       NumericOrder::kDayFirst),
            "2014-01-01");
  EXPECT_EQ(DeadlineIn("Publish all new legislation by the end of 2015.", NumericOrder::kDayFirst), "2015-12");
  EXPECT_EQ(DeadlineIn("Le rapport sera remis d'ici mars 2027.", NumericOrder::kDayFirst), "2027-03");
  // A date that is no deadline ("since 2010", "in the 2019 survey") gives none.
  EXPECT_EQ(DeadlineIn("Contracts have been published since 2010 and in the 2019 survey.", NumericOrder::kDayFirst), "");
}

TEST(ColumnRolesTest, ReadsWhatEachColumnHolds) {
  dossier_structure::Cues cues;
  std::string error;
  ASSERT_TRUE(cues.LoadFolder(std::string(DOSSIER_SOURCE_DIR) + "/plugins/structure/data", &error)) << error;
  EXPECT_EQ(ColumnRoles({"Action", "Responsible section(s)", "Expected completion date",
                         "Actions taken and implementation stage", "Supporting documents"}, cues, "en"),
            (std::vector<std::string>{"action", "responsible", "time", "status", ""}));
  // Without an action column it is some other table.
  EXPECT_TRUE(ColumnRoles({"Name", "Unit", "Date"}, cues, "en").empty());
  EXPECT_EQ(ColumnRoles({"Acciones clave", "Plazo", "Responsable"}, cues, "es"),
            (std::vector<std::string>{"action", "time", "responsible"}));
}

}  // namespace
}  // namespace dossier_entities
