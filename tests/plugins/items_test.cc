// Tests of the items pass (recommendations, responses, who must act) on small
// layouts written for the tests: each is a layout real reports use, in words
// of our own.
#include <gtest/gtest.h>

#include <map>
#include <nlohmann/json.hpp>

#include "extract.h"
#include "recommendations_fixture.h"

namespace dossier_entities {
namespace {

using nlohmann::json;

class ItemsTest : public RecommendationsFixture {
 protected:
  static std::string Texts(const std::vector<json>& items) {
    std::string out;
    for (const json& i : items) out += i["number"].get<std::string>() + ": " + i["text"].get<std::string>() + "\n";
    return out;
  }
};

TEST_F(ItemsTest, SectionHeadingsAndAnnexListsAreNotRecommendations) {
  auto recs = Recommendations({"1. Introduction\nThe review covered the Water Board.\n\n2. Background\nIt began in 2019.\n\n"
                               "3. Recommendations\n"
                               "1. The Water Board should publish its tariffs every year.\n"
                               "This would let users compare them.\n"
                               "2. The Water Board should train its inspectors.\n\n"
                               "Annex 1 - Terms of Reference\n"
                               "1. Assess the relevance of the tariffs.\n2. Assess the training of inspectors.\n"});
  ASSERT_EQ(recs.size(), 2u) << Texts(recs);
  EXPECT_EQ(recs[0]["number"], "1");
  EXPECT_EQ(recs[0]["text"], "The Water Board should publish its tariffs every year. This would let users compare them.");
  EXPECT_EQ(recs[1]["text"], "The Water Board should train its inspectors.");
}

TEST_F(ItemsTest, AnItemRestatedInAnOverviewTableTakesItsLeadColumn) {
  // The commitments are set out in the body; an annex table prints each again with its lead bodies,
  // under a header the layout did not set as cells.
  auto recs = Recommendations({"Commitments\n\n"
                               "Commitment 1: The district will publish a register of all the wells it maintains.\n"
                               "The register will be online.\n\n"
                               "Commitment 2: The district will set up a fund for the repair of the oldest pumps.\n",
                               "Annex A: Overview\n"
                               "No. Commitment        Lead department(s)        Partners\n"
                               "\tThe district will publish a register of all the wells it\tDepartment for Water,\tRiver Trust\n"
                               "1\tmaintains.\tEnergy and Pumps, Kelp Treasury\t\n"
                               "2\tThe district will set up a fund for the repair of the oldest pumps.\tFinance Office\tPump Guild\n"});
  ASSERT_EQ(recs.size(), 2u) << Texts(recs);
  EXPECT_EQ(recs[0]["responsible"], json::array({"Department for Water, Energy and Pumps", "Kelp Treasury"})) << recs[0].dump();
  EXPECT_EQ(recs[1]["responsible"], json::array({"Finance Office"})) << recs[1].dump();
}

TEST_F(ItemsTest, ARecommendationPrintedTwiceIsKeptOnceWithItsFullestText) {
  auto recs = Recommendations({"Executive summary\nKey recommendations\n1. Merge the two survey instruments.\n",
                               "Recommendations\n1. Merge the two survey instruments. The merged module should be "
                               "tested in two provinces first.\n"});
  ASSERT_EQ(recs.size(), 1u) << Texts(recs);
  EXPECT_EQ(recs[0]["text"], "Merge the two survey instruments. The merged module should be tested in two provinces first.");
}

TEST_F(ItemsTest, ResponseMatrixGroupsStatusesAndWhoMustAct) {
  auto recs = Recommendations({"EVALUATION RECOMMENDATION A - OUTREACH\n"
                               "1. Outreach to farmers should be reinforced through radio programmes.\n"
                               "2. Leaflets should be printed in the two national languages.\n"
                               "Recommendation to:\n"
                               "\xE2\x97\x8F\tField Operations Unit; Communication Unit\t2\n"
                               "Management response (Accept/Partially Accept/Reject)\n"
                               "Recommendation 1 accepted: radio spots are planned.\n"
                               "Recommendation 2 partially accepted: one language first.\n"
                               "Key action\tTime frame\tResponsible unit(s)\tStatus\n"
                               "Produce radio spots\tContinuous\tCommunication Unit\t\n"});
  ASSERT_EQ(recs.size(), 2u) << Texts(recs);
  EXPECT_EQ(recs[0]["number"], "A.1");
  EXPECT_EQ(recs[0]["management_response"]["status"], "accepted");
  EXPECT_EQ(recs[1]["number"], "A.2");
  EXPECT_EQ(recs[1]["management_response"]["status"], "partially accepted");
  EXPECT_EQ(recs[0]["responsible"], json::array({"Field Operations Unit", "Communication Unit"}));
}

TEST_F(ItemsTest, GovernmentResponsesAndLabelledRecommendations) {
  auto recs = Recommendations({"Government response to the Committee\n"
                               "Recommendation 1: Ministers should publish a data strategy within a year.\n"
                               "Government response: The Government accepts this recommendation and will publish it.\n"
                               "Recommendation 2: A single body should lead the work on open data.\n"
                               "Government response: The Government accepts this recommendation in part.\n"
                               "Recommendation 3: Charges for core data should end.\n"
                               "Government response: The Government does not accept this recommendation.\n"});
  ASSERT_EQ(recs.size(), 3u) << Texts(recs);
  EXPECT_EQ(recs[0]["management_response"]["status"], "accepted");
  EXPECT_EQ(recs[1]["management_response"]["status"], "partially accepted");
  EXPECT_EQ(recs[2]["management_response"]["status"], "not accepted");
}

TEST_F(ItemsTest, AgreeAndPartiallyAgreeUnderEachRecommendation) {
  auto recs = Recommendations({"Recommendation 1: The agency should frame its next plan around rights.\n"
                               "Management response: Agree.\n"
                               "Recommendation 2: The agency should merge its two regional offices.\n"
                               "Management response: Partially agree. One office will stay open.\n"});
  ASSERT_EQ(recs.size(), 2u) << Texts(recs);
  EXPECT_EQ(recs[0]["management_response"]["status"], "accepted");
  EXPECT_EQ(recs[1]["management_response"]["status"], "partially accepted");
  EXPECT_EQ(recs[1]["management_response"]["text"], "One office will stay open.");
}

TEST_F(ItemsTest, RecommendationTablesKeepTheirResponsibleColumn) {
  auto recs = Recommendations({"Recommendations\n"
                               "Recommendation\tResponsibility\tPriority\tTimeline\n"
                               "1. Publish the road maintenance budget online.\tMinistry of Transport\tHigh\tBy 31 December 2026\n"
                               "2. Audit the bridge inspections every two years.\tNational Audit Office\tMedium\t2027\n"});
  ASSERT_EQ(recs.size(), 2u) << Texts(recs);
  EXPECT_EQ(recs[0]["text"], "Publish the road maintenance budget online.");
  EXPECT_EQ(recs[0]["responsible"], json::array({"Ministry of Transport"}));
  EXPECT_EQ(recs[0]["due"], "2026-12-31");
  EXPECT_EQ(recs[1]["responsible"], json::array({"National Audit Office"}));
}

TEST_F(ItemsTest, AuditProseRecommendationsAndTheirAddressee) {
  auto recs = Recommendations({"Recommendation for Executive Action\n"
                               "We recommend that the Secretary of the Department of Transport (DOT) direct the Federal "
                               "Highway Administration (FHWA) to publish its bridge data.\n\n"
                               "Agency Comments\nDOT agreed with our recommendation.\n"});
  ASSERT_EQ(recs.size(), 1u) << Texts(recs);
  EXPECT_NE(recs[0]["responsible"].dump().find("Department of Transport"), std::string::npos) << recs[0].dump();
}

TEST_F(ItemsTest, SpanishResponsibleLabelAndAddressees) {
  auto recs = Recommendations({"Recomendaciones:\n"
                               "Al Presidente del Directorio de la Empresa Nacional de Aguas:\n"
                               "1. Disponga el inicio de las acciones administrativas contra los funcionarios.\n"
                               "2. Al Procurador Público Especializado: Inicie las acciones legales que correspondan.\n"
                               "Recomendación 3: Fortalecer el registro de proveedores del programa.\n"
                               "Responsable: Dirección de Alimentación Escolar\n"},
                              "es");
  ASSERT_EQ(recs.size(), 3u) << Texts(recs);
  EXPECT_EQ(recs[0]["responsible"], json::array({"Presidente del Directorio de la Empresa Nacional de Aguas"}));
  EXPECT_EQ(recs[1]["text"], "Inicie las acciones legales que correspondan.");
  EXPECT_EQ(recs[1]["responsible"], json::array({"Procurador Público Especializado"}));
  EXPECT_EQ(recs[2]["responsible"], json::array({"Dirección de Alimentación Escolar"}));
}

TEST_F(ItemsTest, FrenchResponseWordings) {
  auto recs = Recommendations({"Recommandation 1 : Renforcer le ciblage des bénéficiaires.\n"
                               "Réponse de la direction : Partiellement acceptée. Le ciblage sera revu en 2026.\n"
                               "Recommandation 2 : Former les agents de terrain.\n"
                               "Réponse de la direction : Acceptée.\n"},
                              "fr");
  ASSERT_EQ(recs.size(), 2u) << Texts(recs);
  EXPECT_EQ(recs[0]["management_response"]["status"], "partially accepted");
  EXPECT_EQ(recs[1]["management_response"]["status"], "accepted");
}

TEST_F(ItemsTest, WhoMustActLabelSetAsAHeadingBesideAnotherLabel) {
  // "Recommendation to:" on a line of its own (read as a heading) with
  // "Priority level:" beside it: the names are in the row below, not the
  // other label.
  auto recs = Recommendations({"EVALUATION RECOMMENDATION B - TRAINING\n"
                               "1. Refresher courses should be offered to all nurses every year.\n"
                               "2. Course materials should be translated.\n\n"
                               "Recommendation to:\n\n"
                               "Priority level (1 to 3):\n"
                               "\xE2\x97\x8F\tNursing Directorate; Training Unit\t1\n"
                               "Management response (Accept/Partially Accept/Reject)\n"
                               "Recommendation accepted. Courses start next year.\n"});
  ASSERT_EQ(recs.size(), 2u) << Texts(recs);
  EXPECT_EQ(recs[1]["responsible"], json::array({"Nursing Directorate", "Training Unit"}));
  EXPECT_EQ(recs[0]["management_response"]["status"], "accepted");
  EXPECT_EQ(recs[1]["management_response"]["status"], "accepted");
}

TEST_F(ItemsTest, ThemeSubheadingsStayInTheRecommendationsSection) {
  // A theme heading whose words name another topic ("data collection",
  // "methodology") does not take the items under it out of the section.
  auto recs = Recommendations({"RECOMMENDATIONS\n\n"
                               "A - OUTREACH\n"
                               "1. Radio spots should be produced in every district.\n\n"
                               "B - DATA COLLECTION AND METHODOLOGY\n"
                               "2. Survey forms should record the age of each respondent.\n"
                               "3. Field teams should check the forms every week.\n"});
  ASSERT_EQ(recs.size(), 3u) << Texts(recs);
  EXPECT_EQ(recs[2]["text"], "Field teams should check the forms every week.");
}

TEST_F(ItemsTest, ABareLabelIntroducesTheParagraphBelowWithTheBodyInTheHeadingAbove) {
  // Safety reports: the addressee as a heading, the issue under a bare label,
  // then the body's response in prose.
  auto recs = Recommendations({"SAFETY ACTION\n"
                               "The issues below were sent to the bodies concerned.\n\n"
                               "Maritime Safety Authority\n\n"
                               "Lifejacket lights\n"
                               "Safety issue\n"
                               "The lifejackets on board were not fitted with lights, which delayed the search at night.\n"
                               "Response by the Maritime Safety Authority\n"
                               "The Authority does not support this recommendation and considers lights a matter for owners.\n"});
  ASSERT_EQ(recs.size(), 1u) << Texts(recs);
  EXPECT_EQ(recs[0]["text"], "The lifejackets on board were not fitted with lights, which delayed the search at night.");
  EXPECT_EQ(recs[0]["responsible"], json::array({"Maritime Safety Authority"}));
  EXPECT_EQ(recs[0]["management_response"]["status"], "not accepted");
}

TEST_F(ItemsTest, AgencyCommentsInProseAnswerTheRecommendations) {
  auto recs = Recommendations({"Recommendations for Executive Action\n\n"
                               "We recommend that the Director of the Budget Office publish grant results each year.\n\n"
                               "Agency Comments\n\n"
                               "We provided a draft to the Budget Office. We agree with its technical comments. "
                               "The Budget Office concurred with our recommendation and described its plans.\n"});
  ASSERT_EQ(recs.size(), 1u) << Texts(recs);
  EXPECT_EQ(recs[0]["management_response"]["status"], "accepted");
  EXPECT_EQ(recs[0]["management_response"]["text"],
            "The Budget Office concurred with our recommendation and described its plans.");
}

TEST_F(ItemsTest, RecommendationTableWithANumberColumnWrappedCellsAndAnotherTableAfter) {
  // French: a header set with spaces, numbers in a column of their own under
  // "Recommandations", a cell wrapped over rows, then a list of people.
  auto recs = Recommendations({"4.2.Recommandations\n"
                               "Tableau 3 : Recommandations\n"
                               " Domaine      Recommandations\n"
                               "Gestion\t1.\tRenforcer le suivi des stocks de semences dans\n"
                               "\t\tchaque entrepôt régional ;\n"
                               "\t2.\tPublier les comptes du projet chaque année.\n"
                               "N°\tNom et prénoms\tFonction\tStructure\n"
                               "1\tAmina Diallo\tDirectrice générale\tOffice des semences\n"},
                              "fr");
  ASSERT_EQ(recs.size(), 2u) << Texts(recs);
  EXPECT_EQ(recs[0]["number"], "1");
  EXPECT_EQ(recs[0]["text"], "Renforcer le suivi des stocks de semences dans chaque entrepôt régional ;");
  EXPECT_EQ(recs[1]["number"], "2");
}

TEST_F(ItemsTest, AResponseTableWhoseNumberColumnHasNoHeaderCell) {
  // "   | Recommendation | Government response | Paragraph": the numbers sit
  // in a first column the header leaves blank, the statuses two columns on.
  auto recs = Recommendations({"Annex B - The Government's response to the review's recommendations\n"
                               "\tRecommendation\tGovernment response\tParagraph\n"
                               "1\tThe Board should publish a register of its datasets every year.\tAccepted\t\n"
                               "2\tThe Board should appoint a chief data officer.\tPartially accepted\t4.2\n"});
  ASSERT_EQ(recs.size(), 2u) << Texts(recs);
  EXPECT_EQ(recs[0]["number"], "1");
  EXPECT_EQ(recs[0]["text"], "The Board should publish a register of its datasets every year.");
  EXPECT_EQ(recs[0]["management_response"]["status"], "accepted");
  EXPECT_EQ(recs[1]["number"], "2");
  EXPECT_EQ(recs[1]["management_response"]["status"], "partially accepted");
}

TEST_F(ItemsTest, ASubPointOpeningAPageContinuesTheNumberedRowAbove) {
  // The row of recommendation 1 runs over a page break; the new page opens
  // with its sub-point ii), the number cell empty.
  auto recs = Recommendations({"Annex B - The Government's response to the review's recommendations\n"
                               "\tRecommendation\tGovernment response\n"
                               "1\tThe Board should open its data. Detail: i) publish the register every year;\tAccepted\n",
                               "\tii) review the register with its users.\t\n"
                               "2\tThe Board should appoint a chief data officer.\tNot accepted\n"});
  ASSERT_EQ(recs.size(), 2u) << Texts(recs);
  EXPECT_EQ(recs[0]["text"],
            "The Board should open its data. Detail: i) publish the register every year; ii) review the register with its users.");
  EXPECT_EQ(recs[1]["number"], "2");
  EXPECT_EQ(recs[1]["management_response"]["status"], "not accepted");
}

TEST_F(ItemsTest, FrenchGovernmentResponseWithNumberSigns) {
  auto recs = Recommendations({"Recommandation n° 1 : Le ministère devrait publier chaque année le coût des contrats.\n"
                               "Réponse du Gouvernement : Le Gouvernement accepte partiellement cette recommandation.\n\n"
                               "Recommandation n° 2 : Le ministère devrait former ses inspecteurs.\n"
                               "Réponse du Gouvernement : Le Gouvernement accepte cette recommandation.\n"},
                              "fr");
  ASSERT_EQ(recs.size(), 2u) << Texts(recs);
  EXPECT_EQ(recs[0]["number"], "1");
  EXPECT_EQ(recs[0]["text"], "Le ministère devrait publier chaque année le coût des contrats.");
  EXPECT_EQ(recs[0]["management_response"]["status"], "partially accepted");
  EXPECT_EQ(recs[1]["number"], "2");
  EXPECT_EQ(recs[1]["management_response"]["status"], "accepted");
}

TEST_F(ItemsTest, CommitteeRecommendationsAsHeadingsWithTheGovernmentResponseBelow) {
  auto recs = Recommendations({"Government response to the Committee's report\n\n"
                               "Recommendation 1\n\n"
                               "The Department should publish its forecasts of school places for every district.\n\n"
                               "Government response\n\n"
                               "The Government accepts this recommendation and will publish the forecasts in spring.\n\n"
                               "Recommendation 2\n\n"
                               "The Department should end the use of temporary classrooms by 2028.\n\n"
                               "Government response\n\n"
                               "The Government does not accept this recommendation.\n"});
  ASSERT_EQ(recs.size(), 2u) << Texts(recs);
  EXPECT_EQ(recs[0]["number"], "1");
  EXPECT_EQ(recs[0]["text"], "The Department should publish its forecasts of school places for every district.");
  EXPECT_EQ(recs[0]["management_response"]["status"], "accepted");
  EXPECT_EQ(recs[1]["management_response"]["status"], "not accepted");
  EXPECT_EQ(recs[1]["due"], "2028");
}

TEST_F(ItemsTest, SafetyRecommendationsWithIdentifiersAndTheBodysReply) {
  auto recs = Recommendations({"SAFETY RECOMMENDATIONS\n\n"
                               "Safety recommendation R20260031: The Maritime Safety Authority should require "
                               "lights on every lifejacket carried on passenger ferries.\n\n"
                               "Response from the Maritime Safety Authority\n\n"
                               "The Authority accepts this recommendation in part.\n\n"
                               "Safety recommendation A-26-02: The Ferry Operators Association should train crews in "
                               "night searches.\n"});
  ASSERT_EQ(recs.size(), 2u) << Texts(recs);
  EXPECT_EQ(recs[0]["number"], "R20260031");
  EXPECT_EQ(recs[1]["number"], "A-26-02");
  EXPECT_EQ(recs[0]["management_response"]["status"], "partially accepted");
}

TEST_F(ItemsTest, ItemsThatShareALongOpeningAreStillTwo) {
  auto recs = Recommendations({"Recommendations\n"
                               "1. Work with a statistician - one who knows the survey and its sampling frame well - to "
                               "revise the household questionnaire.\n"
                               "2. Work with a statistician - one who knows the survey and its sampling frame well - to "
                               "train the enumerators.\n"});
  ASSERT_EQ(recs.size(), 2u) << Texts(recs);
}

TEST_F(ItemsTest, ADocumentThatIsASetOfRecommendationsTakesItsNumberedItems) {
  // The title page names recommendations; the items sit under themed chapters.
  auto recs = Recommendations({"Office of the Auditor\n\nCompendium of Priority Recommendations\n",
                               "Introduction\n\n1. This edition lists the open items.\n\n"
                               "School Transport\n\n"
                               "01 Improve the routing of school buses in rural districts.\n\n"
                               "Each route is planned by hand.\n\n"
                               "School Meals\n\n"
                               "02 Ensure that meal suppliers are inspected every year.\n"});
  ASSERT_EQ(recs.size(), 2u) << Texts(recs);
  EXPECT_EQ(recs[0]["number"], "01");
  EXPECT_EQ(recs[1]["text"], "Ensure that meal suppliers are inspected every year.");
}

TEST_F(ItemsTest, InACompendiumTheNextNumberIsTheNextRecommendationWhereverTheLayoutPutsIt) {
  // Item 02 follows a bulleted list of reports (so it reads as nested) and
  // item 03 sits under a heading made of a table cell ("Methods for …").
  auto recs = Recommendations({"Office of the Auditor\n\nCompendium of Priority Recommendations\n",
                               "School Transport\n\n"
                               "01 Improve the routing of school buses in rural districts.\n\n"
                               "See Also:\n"
                               "\xE2\x80\xA2 2012 MAY—Review of school bus routes.\n"
                               "\xE2\x80\xA2 2010 JUN—Audit of transport contracts.\n"
                               "02 Ensure that meal suppliers are inspected every year.\n\n"
                               "Methods for Estimating\n\n"
                               "03 Publish the inspection results for every school.\n\n"
                               "Methods for Estimating\n\n"
                               "05 A step the study took.\n"});
  ASSERT_EQ(recs.size(), 3u) << Texts(recs);
  EXPECT_EQ(recs[1]["number"], "02");
  EXPECT_EQ(recs[1]["text"], "Ensure that meal suppliers are inspected every year.");
  EXPECT_EQ(recs[2]["number"], "03");
}

TEST_F(ItemsTest, ARecommendationTheRespondingOrganisationAnsweredIsItsToActOn) {
  auto recs = Recommendations({"Evaluation of the Water Strategy and Water Agency (WA) management response\n\n"
                               "Recommendation 1: The next strategy should set targets for rural water points.\n"
                               "Management response: Agree.\n\n"
                               "Recommendation 2: The Ministry of Finance should fund the targets.\n"
                               "Management response: Agree.\n"});
  ASSERT_EQ(recs.size(), 2u) << Texts(recs);
  EXPECT_EQ(recs[0]["responsible"], json::array({"Water Agency"}));
  EXPECT_EQ(recs[1]["responsible"], json::array({"Ministry of Finance"}));
}

TEST_F(ItemsTest, OfficeHoldersNamedWithTheirBodysAcronymAreResponsibleAsUnitsOfThatBody) {
  std::vector<PageInput> inputs = {{1, "The Planning Unit (PLU) and the Finance Division (FIN) prepared this plan.\n\n"
                                       "Work Package 2 | Leads: Director (PLU), Director (FIN)\n\n"
                                       "HOW WE GET THERE\n"
                                       "\xE2\x97\x8F Action 4: Merge the two budget cycles into one.\n"}};
  std::map<std::string, std::string> part_of;
  std::vector<json> recs;
  for (const json& f : ExtractFacts(inputs, "en", authority_, cues_)) {
    if (f["kind"] == "entity" && f.contains("part_of")) part_of[f["name"]] = f["part_of"];
    if (f["kind"] == "item" && f["item_type"] == "recommendation") recs.push_back(f);
  }
  ASSERT_EQ(recs.size(), 1u) << Texts(recs);
  // The posts as printed; each a unit of the body its acronym names, so that a
  // follow-up of the Planning Unit finds what its director must do.
  EXPECT_EQ(recs[0]["responsible"], json::array({"Director (PLU)", "Director (FIN)"}));
  EXPECT_EQ(part_of["Director (PLU)"], "Planning Unit");
  EXPECT_EQ(part_of["Director (FIN)"], "Finance Division");
}

TEST_F(ItemsTest, ALeadLineUnderAHeadingNamesPostsBodiesAndChairsOfBodies) {
  // The lead line is too long to read as a heading: it is the first line
  // under "Budget Reform", whose sub-sections hold the actions.
  auto recs = Recommendations({"Budget Reform\n"
                               "Work Package 3 | Leads: Executive Director (UN Women), Chair, Steering Committee on "
                               "Budgets; Monitoring & Evaluation Unit\n"
                               "OBJECTIVE\n"
                               "To align the budget cycles of the entities.\n"
                               "HOW WE GET THERE\n"
                               "\xE2\x97\x8F Action 6: Publish one budget calendar for all entities.\n"});
  ASSERT_EQ(recs.size(), 1u) << Texts(recs);
  EXPECT_EQ(recs[0]["responsible"], json::array({"Executive Director (UN Women)", "Chair, Steering Committee on Budgets",
                                                 "Monitoring & Evaluation Unit"}));
}

TEST_F(ItemsTest, InAGovernmentResponseTheGovernmentThatAnswersMustAct) {
  auto recs = Recommendations({"Response to the Review of Rural Transport\n\n"
                               "Recommendation 1: Bus timetables should be published in one place.\n"
                               "Response: Accepted. The Government agrees and will publish them by 2026.\n\n"
                               "Recommendation 2: There should be a fund for village minibuses.\n"
                               "Response: Not accepted. The Government does not accept that a new fund is needed.\n"});
  ASSERT_EQ(recs.size(), 2u) << Texts(recs);
  EXPECT_EQ(recs[0]["responsible"], json::array({"Government"}));
  EXPECT_EQ(recs[1]["responsible"], json::array({"Government"}));
}

TEST_F(ItemsTest, TheGovernmentAsTheSubjectOfARecommendationMustAct) {
  auto recs = Recommendations({"Recommendations\n\n"
                               "1. The government should publish every dataset it holds in one catalogue.\n"
                               "2. Le gouvernement devrait publier le catalogue chaque année.\n"});
  ASSERT_EQ(recs.size(), 2u) << Texts(recs);
  EXPECT_EQ(recs[0]["responsible"], json::array({"Government"}));
  EXPECT_EQ(recs[1]["responsible"], json::array({"Gouvernement"}));
}

TEST_F(ItemsTest, ABodyTheRecommendationKeepsNamingIsTheOneItAsksToAct) {
  auto recs = Recommendations({"Recommendations\n\n"
                               "1. Recover overpayments to clinics.\n"
                               "The Health Payments Agency (HPA) paid clinics twice for 4,000 visits. "
                               "HPA did not recover the overpayments, and the Audit Board (AB) found no plan to do so. "
                               "HPA should set up a recovery unit.\n\n"
                               "2. Publish the clinic inspection reports.\n"
                               "Reports are kept on paper in each district.\n"});
  ASSERT_EQ(recs.size(), 2u) << Texts(recs);
  EXPECT_EQ(recs[0]["responsible"], json::array({"Health Payments Agency"}));
  EXPECT_EQ(recs[1]["responsible"], json::array());  // no body named: none is guessed
}

TEST_F(ItemsTest, AnActionThatNamesNoUnitIsForTheRecommendationsResponsibleBodies) {
  auto recs = Recommendations({"Budget Reform\n"
                               "Work Package 3 | Lead: Director (PLU)\n\n"
                               "The Planning Unit (PLU) wrote this plan.\n\n"
                               "HOW WE GET THERE\n"
                               "\xE2\x97\x8F Action 6: Publish one budget calendar for all entities.\n"
                               "NEXT STEPS AND DECISIONS\n"
                               "\xE2\x97\x8F Action 6: The calendar will be published in June.\n"});
  ASSERT_EQ(recs.size(), 1u) << Texts(recs);
  EXPECT_EQ(recs[0]["responsible"], json::array({"Director (PLU)"}));
  ASSERT_EQ(recs[0]["key_actions"].size(), 1u) << recs[0].dump();
  EXPECT_EQ(recs[0]["key_actions"][0]["responsible"], json::array({"Director (PLU)"}));
}

TEST_F(ItemsTest, AnAddresseeLineBetweenItemsStartsANewAddresseeEvenWithAnAccentedCapital) {
  auto recs = Recommendations({"Recomendaciones:\n"
                               "Al Director de la Empresa Municipal de Aguas:\n"
                               "1. Disponer el inicio de las acciones para revisar los contratos de suministro.\n"
                               "Al Órgano Sancionador:\n"
                               "2. Iniciar el procedimiento contra los funcionarios que aprobaron los pagos.\n"},
                              "es");
  ASSERT_EQ(recs.size(), 2u) << Texts(recs);
  EXPECT_EQ(recs[0]["text"], "Disponer el inicio de las acciones para revisar los contratos de suministro.");
  EXPECT_EQ(recs[0]["responsible"], json::array({"Director de la Empresa Municipal de Aguas"}));
  EXPECT_EQ(recs[1]["responsible"], json::array({"Órgano Sancionador"}));
}

TEST_F(ItemsTest, LessonsAndFindingsListsAreNotRecommendations) {
  auto recs = Recommendations({"Key findings\n"
                               "1. The clinics opened on time in all districts.\n"
                               "2. Staff turnover stayed high in the north.\n\n"
                               "Lessons learned\n"
                               "1. Local recruitment keeps staff longer than transfers do.\n\n"
                               "Recommendations\n"
                               "1. The Health Office should recruit nurses locally.\n"});
  ASSERT_EQ(recs.size(), 1u) << Texts(recs);
  EXPECT_EQ(recs[0]["text"], "The Health Office should recruit nurses locally.");
}

}  // namespace
}  // namespace dossier_entities
