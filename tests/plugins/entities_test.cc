// Tests of the extraction rules (entities plugin) on small texts written for each pattern.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <set>

#include "dates.h"
#include "extract.h"

namespace dossier_entities {
namespace {

using nlohmann::json;

class ExtractTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string error;
    ASSERT_TRUE(authority_.LoadFile(std::string(DOSSIER_SOURCE_DIR) + "/plugins/entities/data/authority.tsv", &error))
        << error;
    ASSERT_TRUE(cues_.LoadFolder(std::string(DOSSIER_SOURCE_DIR) + "/plugins/structure/data", &error)) << error;
  }
  std::vector<json> Run(const std::vector<std::string>& pages) {
    std::vector<PageInput> inputs;
    for (size_t i = 0; i < pages.size(); ++i) inputs.push_back({static_cast<uint32_t>(i + 1), pages[i]});
    return ExtractFacts(inputs, "en", authority_, cues_);
  }
  static std::vector<json> OfKind(const std::vector<json>& facts, const std::string& kind) {
    std::vector<json> out;
    for (const json& f : facts) {
      if (f["kind"] == kind) out.push_back(f);
    }
    return out;
  }
  static const json* Entity(const std::vector<json>& facts, const std::string& name) {
    for (const json& f : facts) {
      if (f["kind"] == "entity" && f["name"] == name) return &f;
    }
    return nullptr;
  }
  static std::string Names(const std::vector<json>& facts) {
    std::string out;
    for (const json& f : OfKind(facts, "entity")) out += f["name"].get<std::string>() + " | ";
    return out;
  }
  Authority authority_;
  dossier_structure::Cues cues_;
};

TEST_F(ExtractTest, AcronymDefinitionsBothWaysBindBareMentions) {
  auto facts = Run({"The Agency for Rural Development (ARD) funds wells. Later ARD said so.\n"
                    "The WRC (Water Resources Council) met. The WRC agreed."});
  const json* ard = Entity(facts, "Agency for Rural Development");
  ASSERT_NE(ard, nullptr) << Names(facts);
  EXPECT_EQ((*ard)["type"], "organisation");
  EXPECT_EQ((*ard)["aliases"], json::array({"ARD"}));
  EXPECT_EQ((*ard)["mentions"].size(), 2u);
  const json* wrc = Entity(facts, "Water Resources Council");
  ASSERT_NE(wrc, nullptr) << Names(facts);
  EXPECT_EQ((*wrc)["mentions"].size(), 2u);
}

TEST_F(ExtractTest, SpanishAndFrenchNamesAndTheAuthorityFile) {
  auto facts = Run({"La Organización Internacional para las Migraciones (OIM) y el Programa Nacional de "
                    "Alimentación Escolar (PNAE) trabajan con el ACNUR. Le Bureau régional de l'UNICEF aussi."});
  const json* iom = Entity(facts, "International Organization for Migration");
  ASSERT_NE(iom, nullptr) << Names(facts);
  EXPECT_NE(std::find((*iom)["aliases"].begin(), (*iom)["aliases"].end(), "OIM"), (*iom)["aliases"].end());
  const json* pnae = Entity(facts, "Programa Nacional de Alimentación Escolar");
  ASSERT_NE(pnae, nullptr) << Names(facts);
  EXPECT_EQ((*pnae)["type"], "programme");
  EXPECT_NE(Entity(facts, "United Nations High Commissioner for Refugees"), nullptr) << Names(facts);
}

TEST_F(ExtractTest, QuotesAroundALongFormAreLeftOut) {
  auto facts = Run({"It implemented the 'Programa Regional de Migraciones' (PRM) since 1995."});
  EXPECT_NE(Entity(facts, "Programa Regional de Migraciones"), nullptr) << Names(facts);
}

TEST_F(ExtractTest, UnitsOfKnownBodiesArePartOfThem) {
  auto facts = Run({"The evaluation was led by IOM Headquarters with the IOM Country Office in Lima.\n"
                    "OCHA\nROLAC chairs the group."});
  const json* unit = Entity(facts, "IOM Headquarters");
  ASSERT_NE(unit, nullptr) << Names(facts);
  EXPECT_EQ((*unit)["part_of"], "International Organization for Migration");
  ASSERT_NE(Entity(facts, "IOM Country Office"), nullptr) << Names(facts);
  const json* rolac = Entity(facts, "OCHA ROLAC");
  ASSERT_NE(rolac, nullptr) << Names(facts);
  EXPECT_EQ((*rolac)["part_of"], "Office for the Coordination of Humanitarian Affairs");
}

TEST_F(ExtractTest, ANameWrittenOutAfterItsAcronymIsNotAUnit) {
  auto facts = Run({"(REPORT 2)\nJuly 2001\nIOM International Organization for Migration\n\nTABLE OF CONTENTS\n"});
  EXPECT_EQ(Entity(facts, "IOM International Organization for Migration"), nullptr) << Names(facts);
  EXPECT_NE(Entity(facts, "International Organization for Migration"), nullptr) << Names(facts);
}

TEST_F(ExtractTest, GenericPhrasesAndSentenceOpenersAreNotEntities) {
  auto facts = Run({"This is relevant to the Mandate of the Organization. The Programme ended. Member States agreed.\n"
                    "Establish a Working Group. From the 1984 Cartagena Declaration on Refugees to the Los Angeles "
                    "and Palenque Declarations, the 2030 Agenda guides the Ministry of Health."});
  std::string names = Names(facts);
  EXPECT_EQ(Entity(facts, "Mandate of the Organization"), nullptr) << names;
  EXPECT_EQ(Entity(facts, "Programme"), nullptr) << names;
  EXPECT_EQ(Entity(facts, "Member States"), nullptr) << names;
  EXPECT_NE(Entity(facts, "Working Group"), nullptr) << names;
  EXPECT_NE(Entity(facts, "Cartagena Declaration on Refugees"), nullptr) << names;
  EXPECT_NE(Entity(facts, "Los Angeles Declaration"), nullptr) << names;
  EXPECT_NE(Entity(facts, "Palenque Declaration"), nullptr) << names;
  EXPECT_NE(Entity(facts, "2030 Agenda for Sustainable Development"), nullptr) << names;
  EXPECT_NE(Entity(facts, "Ministry of Health"), nullptr) << names;
}

TEST_F(ExtractTest, ANameBrokenOverLinesIsOneEntity) {
  auto facts = Run({"support of the Migration\nManagement Services Department at Headquarters and the\n"
                    "migration management services department again."});
  const json* dept = Entity(facts, "Migration Management Services Department");
  ASSERT_NE(dept, nullptr) << Names(facts);
}

TEST_F(ExtractTest, NumberedRecommendationsWithResponsibleAndDue) {
  auto facts = Run({"The Agency for Rural Development (ARD) and its Water Division.\n\nRECOMMENDATIONS\n\n"
                    "1. ARD Water Division should repair all pumps by 31 December 2020. It should report.\n"
                    "2. The Ministry of Finance is requested to fund maintenance before June 2021.\n"
                    "3. Training should continue.\n"});
  auto items = OfKind(facts, "item");
  ASSERT_EQ(items.size(), 3u);
  EXPECT_EQ(items[0]["item_type"], "recommendation");
  EXPECT_EQ(items[0]["number"], "1");
  EXPECT_EQ(items[0]["responsible"], json::array({"ARD Water Division"}));
  EXPECT_EQ(items[0]["due"], "2020-12-31");
  EXPECT_EQ(items[1]["responsible"], json::array({"Ministry of Finance"}));
  EXPECT_EQ(items[1]["due"], "2021-06");
  EXPECT_EQ(items[2]["responsible"], json::array());
  EXPECT_TRUE(items[2]["due"].is_null());
  const json* unit = Entity(facts, "ARD Water Division");
  ASSERT_NE(unit, nullptr) << Names(facts);
  EXPECT_EQ((*unit)["part_of"], "Agency for Rural Development");
}

TEST_F(ExtractTest, AnUndefinedAcronymActingInARecommendationIsItsResponsibleBody) {
  auto facts = Run({"RECOMMENDATIONS\n\n"
                    "1. RISU should train district staff by March 2025.\n"
                    "2. ICT should be upgraded in every district office.\n"
                    "3. The DRP team must review the plan.\n"});
  auto items = OfKind(facts, "item");
  ASSERT_EQ(items.size(), 3u);
  EXPECT_EQ(items[0]["responsible"], json::array({"RISU"}));
  const json* body = Entity(facts, "RISU");
  ASSERT_NE(body, nullptr) << Names(facts);
  EXPECT_EQ((*body)["type"], "organisation");
  EXPECT_EQ((*body)["mentions"].size(), 1u);
  // Passive: what is acted on, not who acts.
  EXPECT_EQ(items[1]["responsible"], json::array());
  EXPECT_EQ(Entity(facts, "ICT"), nullptr) << Names(facts);
  // The word right before the modal is no acronym: nobody is guessed.
  EXPECT_EQ(items[2]["responsible"], json::array());
}

TEST_F(ExtractTest, AProgrammeOrStrategyBeforeTheModalIsNotWhoActs) {
  auto facts = Run({"RECOMMENDATIONS\n\n"
                    "1. The Rural Water Strategy should include a maintenance fund.\n"
                    "2. The Regional Office should revise the Rural Water Strategy.\n"});
  auto items = OfKind(facts, "item");
  ASSERT_EQ(items.size(), 2u);
  ASSERT_NE(Entity(facts, "Rural Water Strategy"), nullptr) << Names(facts);
  EXPECT_EQ(items[0]["responsible"], json::array());
  EXPECT_EQ(items[1]["responsible"], json::array({"Regional Office"}));
}

TEST_F(ExtractTest, TheBodiesAskedToActUnderTheItemAreResponsible) {
  // Each priority item states what to do; the specific recommendations under it,
  // up to the next item, say who ("The Kelp Agency (KA) should …", "KA and MWB should …").
  auto facts = Run({"The Kelp Agency (KA) and the Marsh Works Board (MWB) run the programme.\n\n"
                    "PRIORITY RECOMMENDATIONS\n\n"
                    "01 Improve oversight of the drainage grants.\n"
                    "Grants were paid without checks in three districts.\n"
                    "Specific Recommendations\n"
                    "KA should verify each claim before payment.\n"
                    "KA and MWB should share their lists of grantees.\n\n"
                    "02 Recover overpaid grants.\n"
                    "Overpayments reached 4 million in 2012.\n"
                    "Specific Recommendations\n"
                    "Seek the authority to offset overpayments against future grants.\n"});
  auto items = OfKind(facts, "item");
  ASSERT_EQ(items.size(), 2u);
  EXPECT_EQ(items[0]["responsible"], json::array({"Kelp Agency", "Marsh Works Board"})) << items[0].dump();
  // Nothing under the second item names a body asked to act: the first item's bodies do not run on.
  EXPECT_EQ(items[1]["responsible"], json::array()) << items[1].dump();
}

TEST_F(ExtractTest, LabelledItemsAndRepeatedSectionsCountOnce) {
  auto facts = Run({"Findings\n- F1 Coverage is uneven across districts.\n- F2 Data are not shared.\n"
                    "- C1** The mechanisms are insufficient.\n- R1** **Adapt the mechanisms** to the new reality.\n",
                    "CONCLUSIONS:\n1. The programme is relevant to the needs.\n2. It is efficient and well run.\n"
                    "CONCLUSIONS:\n3. The programme is relevant to the needs.\n4. It is efficient and well run.\n"});
  auto items = OfKind(facts, "item");
  std::map<std::string, int> count;
  for (const json& item : items) ++count[item["item_type"].get<std::string>()];
  EXPECT_EQ(count["finding"], 2);
  EXPECT_EQ(count["conclusion"], 3);  // C1, then 1 and 2 (3 and 4 repeat them)
  EXPECT_EQ(count["recommendation"], 1);
  auto recommendation = std::find_if(items.begin(), items.end(), [](const json& i) { return i["item_type"] == "recommendation"; });
  EXPECT_EQ((*recommendation)["text"], "Adapt the mechanisms to the new reality.");
  EXPECT_EQ((*recommendation)["number"], "R1");
}

TEST_F(ExtractTest, TableRowsGiveResponsibleAndDueColumns) {
  auto facts = Run({"The Policy Unit (PU) and the Data Office (DO).\nRECOMMENDATIONS\tResponsible\tDue by\n"
                    "1. Publish the data regularly.\tPU/DO\t31 August 2021\n"
                    "2. Train the staff.\tData Office\t15/09/2021\n"});
  auto items = OfKind(facts, "item");
  ASSERT_EQ(items.size(), 2u);
  EXPECT_EQ(items[0]["responsible"], json::array({"Policy Unit", "Data Office"}));
  EXPECT_EQ(items[0]["due"], "2021-08-31");
  EXPECT_EQ(items[1]["responsible"], json::array({"Data Office"}));
  EXPECT_EQ(items[1]["due"], "2021-09-15");
}

TEST_F(ExtractTest, ADueDateColumnReadAfterTheRowsIsMatchedInOrder) {
  auto facts = Run({"RECOMMENDATIONS\n1. The office should hold a meeting of all missions.\n"
                    "2. The department should study the mechanisms.\nConfirmation due by:\n\n"
                    "31 August 2001\n\n30 September 2001\n"});
  auto items = OfKind(facts, "item");
  ASSERT_EQ(items.size(), 2u);
  EXPECT_EQ(items[0]["due"], "2001-08-31");
  EXPECT_EQ(items[1]["due"], "2001-09-30");
}

// ---------------------------------------------------------------- follow-up

const json* Recommendation(const std::vector<json>& facts, const std::string& number) {
  for (const json& f : facts) {
    if (f["kind"] == "item" && f["item_type"] == "recommendation" && f["number"] == number) return &f;
  }
  return nullptr;
}

TEST_F(ExtractTest, ResponsesUnderEachRecommendationWithTheirStatusAndText) {
  auto facts = Run({"RECOMMENDATIONS\n"
                    "Recommendation 1. The Water Agency (WA) should map every well.\n"
                    "Management response: Agreed. Mapping starts next year.\n"
                    "Recommendation 2. WA should close the old depots.\n"
                    "Management response: Partially agreed: only two depots will close,\n"
                    "the others serve remote districts.\n"
                    "Recommendation 3. WA should double its budget.\n"
                    "Management response\n"
                    "Rejected. The budget is set by the Board.\n"
                    "Recommendation 4. WA should publish its maps.\n"
                    "Respuesta de la administración: Aceptada parcialmente. Se publicarán en 2027.\n"
                    "Recommendation 5. WA should train its staff.\n"
                    "Réponse de la direction : Non acceptée.\n"});
  const std::vector<std::pair<std::string, std::string>> want = {
      {"1", "accepted"}, {"2", "partially accepted"}, {"3", "not accepted"}, {"4", "partially accepted"},
      {"5", "not accepted"}};
  for (const auto& [number, status] : want) {
    const json* r = Recommendation(facts, number);
    ASSERT_NE(r, nullptr) << number;
    ASSERT_TRUE(r->contains("management_response")) << number << ": " << r->dump();
    EXPECT_EQ((*r)["management_response"]["status"], status) << number;
  }
  EXPECT_EQ((*Recommendation(facts, "1"))["management_response"]["text"], "Mapping starts next year.");
  EXPECT_EQ((*Recommendation(facts, "2"))["management_response"]["text"],
            "only two depots will close, the others serve remote districts.");
  EXPECT_EQ((*Recommendation(facts, "3"))["management_response"]["text"], "The budget is set by the Board.");
  // The recommendation's own text stops where the response begins.
  EXPECT_EQ((*Recommendation(facts, "1"))["text"], "The Water Agency (WA) should map every well.");
}

TEST_F(ExtractTest, KeyActionTablesWithHeaderWrappedNumbersAndEveryTimeFrameForm) {
  auto facts = Run({"Recommendation 1. The Water Agency (WA) should map every well, with its Planning Unit (PU).\n"
                    "Management response: Accepted.\n"
                    "Key action\tTime frame\tResponsible unit(s)\tStatus\n"
                    "1.1 Draft the survey.\tQ1 2026\tPU\tCompleted\n"
                    "1.2 Survey the north.\tJanuary–March 2026\tPU; Field Office North\tIn progress\n"
                    "1.3 Survey the south.\tBy 30 June 2026\tPU and WA\tNot started\n"
                    "1.3a Check the data.\t31/12/2026\tPU\tDelayed\n"
                    "1.3.b Publish the map.\tend of 2026\tWA\tNo longer applicable\n"
                    "1.4 Keep the map current.\tOngoing\tPU\tOngoing\n"
                    "Recommendation 2. WA should train its staff.\n"
                    "Management response: Accepted.\n"
                    "2.1 Design the course.\tSDG Unit\tfirst quarter of 2027\tCompleted\n"});
  const json* r1 = Recommendation(facts, "1");
  ASSERT_NE(r1, nullptr);
  ASSERT_TRUE(r1->contains("key_actions")) << r1->dump();
  const json& actions = (*r1)["key_actions"];
  ASSERT_EQ(actions.size(), 6u) << actions.dump(1);
  struct Want {
    const char* number;
    json start, due;
    const char* status;
  };
  const std::vector<Want> want = {{"1.1", "2026-01", "2026-03", "completed"},
                                  {"1.2", "2026-01", "2026-03", "initiated"},
                                  {"1.3", nullptr, "2026-06-30", "not started"},
                                  {"1.3a", nullptr, "2026-12-31", "overdue"},
                                  {"1.3.b", nullptr, "2026-12", "no longer applicable"},
                                  {"1.4", nullptr, nullptr, "initiated"}};
  for (size_t k = 0; k < want.size(); ++k) {
    EXPECT_EQ(actions[k]["number"], want[k].number);
    EXPECT_EQ(actions[k]["start"], want[k].start) << want[k].number;
    EXPECT_EQ(actions[k]["due"], want[k].due) << want[k].number;
    EXPECT_EQ(actions[k]["status"], want[k].status) << want[k].number;
  }
  EXPECT_EQ(actions[0]["text"], "Draft the survey.");
  EXPECT_EQ(actions[0]["responsible"], json::array({"Planning Unit"}));
  // Several units; one named only here becomes an organisation of its own.
  EXPECT_EQ(actions[1]["responsible"], json::array({"Planning Unit", "Field Office North"}));
  EXPECT_EQ(actions[2]["responsible"], json::array({"Planning Unit", "Water Agency"}));
  EXPECT_NE(Entity(facts, "Field Office North"), nullptr) << Names(facts);

  // No header, columns in another order: told apart by what they say.
  const json* r2 = Recommendation(facts, "2");
  ASSERT_TRUE(r2 && r2->contains("key_actions"));
  const json& a21 = (*r2)["key_actions"][0];
  EXPECT_EQ(a21["start"], "2027-01");
  EXPECT_EQ(a21["due"], "2027-03");
  EXPECT_EQ(a21["status"], "completed");
  EXPECT_EQ(a21["responsible"], json::array({"SDG Unit"}));
}

TEST_F(ExtractTest, AUnitNamedWithAndIsOneBodyTwoBodiesJoinedByAndAreTwo) {
  auto facts = Run({"Recommendation 1. The Water Agency (WA) should map every well.\n"
                    "Management response: Accepted.\n"
                    "Key action\tTime frame\tResponsible unit(s)\tStatus\n"
                    "1.1 Draft the survey.\tQ1 2026\tMonitoring and Evaluation Unit\tCompleted\n"
                    "1.2 Survey the north.\tQ2 2026\tLegal Affairs Office and Field Office North\tOngoing\n"
                    "1.3 Survey the south.\tQ3 2026\tSDD and PCO\tNot started\n"});
  const json* r1 = Recommendation(facts, "1");
  ASSERT_TRUE(r1 && r1->contains("key_actions")) << (r1 ? r1->dump() : "");
  const json& actions = (*r1)["key_actions"];
  ASSERT_EQ(actions.size(), 3u) << actions.dump(1);
  EXPECT_EQ(actions[0]["responsible"], json::array({"Monitoring and Evaluation Unit"}));
  EXPECT_EQ(actions[1]["responsible"], json::array({"Legal Affairs Office", "Field Office North"}));
  EXPECT_EQ(actions[2]["responsible"], json::array({"SDD", "PCO"}));
}

TEST_F(ExtractTest, UnitsOwningKeyActionsArePartOfTheRespondingOrganisation) {
  auto facts = Run({"The Water Agency (WA) commissioned the evaluation. WA management accepts it.\n"
                    "Recommendation 1. WA should map every well.\n"
                    "Management response: Accepted.\n"
                    "1.1 Draft the survey.\tQ1 2026\tPlanning Unit\tCompleted\n"
                    "1.2 Survey the north.\tQ2 2026\tField Office North; UNICEF\tInitiated\n"});
  for (const char* unit : {"Planning Unit", "Field Office North"}) {
    const json* e = Entity(facts, unit);
    ASSERT_NE(e, nullptr) << unit << ": " << Names(facts);
    EXPECT_EQ(e->value("part_of", ""), "Water Agency") << unit;
  }
  const json* unicef = Entity(facts, "United Nations Children's Fund");
  ASSERT_NE(unicef, nullptr) << Names(facts);
  EXPECT_NE(unicef->value("part_of", ""), "Water Agency") << "a known outside body is not made a unit";
}

TEST_F(ExtractTest, RelationsStatedBetweenBodies) {
  auto facts = Run({"The Rural Water Programme (RWP) is funded by the Agency for Rural Development (ARD).\n"
                    "The Water Agency (WA) implements the Sanitation Strategy.\n"
                    "The Coordination Group is led by the Ministry of Health.\n"
                    "WA is a member of the Regional Water Network.\n"
                    "El Programa de Agua Rural fue ejecutado por la Oficina Regional de Aguas.\n"
                    "ARD met the Ministry of Health. WA funds. The Sanitation Strategy\n"});
  std::set<std::string> found;
  for (const json& f : OfKind(facts, "relation")) {
    found.insert(f["source"].get<std::string>() + " " + f["type"].get<std::string>() + " " + f["target"].get<std::string>());
  }
  EXPECT_EQ(found, (std::set<std::string>{
                       "Agency for Rural Development funds Rural Water Programme",
                       "Water Agency implements Sanitation Strategy",
                       "Ministry of Health leads Coordination Group",
                       "Water Agency member_of Regional Water Network",
                       "Oficina Regional de Aguas implements Programa de Agua Rural"}))
      << Names(facts);
}

TEST_F(ExtractTest, ChainsFromRecommendationsToConclusionsAndFindings) {
  auto facts = Run({"FINDINGS\n"
                    "F1. Wells dry up in the dry season.\n"
                    "F2. Committees lack funds for repairs.\n"
                    "CONCLUSIONS\n"
                    "C1. Water supply is not sustainable (see Finding 1 and Finding 2).\n"
                    "RECOMMENDATIONS\n"
                    "Recommendation 1 (based on Conclusion 1 and Findings 1, 2): the ministry should fund repairs.\n"});
  const json* r1 = Recommendation(facts, "1");
  ASSERT_NE(r1, nullptr);
  ASSERT_TRUE(r1->contains("based_on")) << r1->dump();
  EXPECT_EQ((*r1)["based_on"], json::parse(R"([{"item_type":"conclusion","number":"1"},
      {"item_type":"finding","number":"1"},{"item_type":"finding","number":"2"}])"));
  for (const json& f : facts) {
    if (f["kind"] == "item" && f["item_type"] == "conclusion") {
      EXPECT_EQ(f["based_on"].size(), 2u) << f.dump();
    }
  }
}

TEST(DatesTest, MonthsWithoutTheirYearTakeTheDocumentsYear) {
  auto values = [](std::string_view text) {
    std::vector<std::string> out;
    for (const DateMention& d : FindBareMonths(text, 2026)) out.push_back(d.value);
    return out;
  };
  EXPECT_EQ(values("The review will be presented in June and the report by the end of April."),
            (std::vector<std::string>{"2026-06", "2026-04"}));
  EXPECT_EQ(values("Consultations run through May and June."), (std::vector<std::string>{"2026-05", "2026-06"}));
  EXPECT_EQ(values("Le rapport sera remis d'ici juillet."), (std::vector<std::string>{"2026-07"}));
  // A month with its day or year is a full date (FindDates'); "may" the verb and a month without a cue are none.
  EXPECT_TRUE(values("It was signed in June 2024 and on 4 March.").empty());
  EXPECT_TRUE(values("Staff may leave; June was warm.").empty());
}

TEST(DatesTest, FormsAndPrecision) {
  auto one = [](const std::string& text, NumericOrder order = NumericOrder::kDayFirst) {
    auto dates = FindDates(text, order);
    return dates.empty() ? std::string("none") : dates[0].value + "/" + dates[0].precision +
                                                   (dates[0].end_value.empty() ? "" : "-" + dates[0].end_value);
  };
  EXPECT_EQ(one("issued 31 August 2001."), "2001-08-31/day");
  EXPECT_EQ(one("in July 2001"), "2001-07/month");
  EXPECT_EQ(one("el 15 de marzo de 2021"), "2021-03-15/day");
  EXPECT_EQ(one("en septiembre de 2020"), "2020-09/month");
  EXPECT_EQ(one("le 3 décembre 2019"), "2019-12-03/day");
  EXPECT_EQ(one("on March 5, 2020"), "2020-03-05/day");
  EXPECT_EQ(one("16/07/2001"), "2001-07-16/day");
  EXPECT_EQ(one("07/06/2001", NumericOrder::kMonthFirst), "2001-07-06/day");
  EXPECT_EQ(one("2024-02-29"), "2024-02-29/day");
  EXPECT_EQ(one("2023-02-29"), "2023/year");  // not a day: falls back to the year
  EXPECT_EQ(one("Q1 2026"), "2026-01/quarter-2026-03");
  EXPECT_EQ(one("January–March 2026"), "2026-01/month-2026-03");
  EXPECT_EQ(one("the 2023-2030 strategy"), "2023/year-2030");
  EXPECT_EQ(one("between 1996 and 2000"), "1996/year");
  EXPECT_EQ(one("it may 2001 be"), "2001/year");  // "may" in lower case is a verb
  EXPECT_EQ(one("USD 12,2000.5"), "none");
  EXPECT_EQ(GuessNumericOrder("on 12/25/2020 and 01/02/2021"), NumericOrder::kMonthFirst);
  EXPECT_EQ(GuessNumericOrder("on 25/12/2020"), NumericOrder::kDayFirst);
}

// Found by fuzz/dates_fuzzer: the patterns match month names without regard
// to case, so "fÉvrier" (and every all-capitals "FÉVRIER", "DÉCEMBRE",
// "AOÛT") matched, but its lower case kept the capital É and the month lookup
// threw std::out_of_range out of the extractor. Accented capitals are now
// lowered anywhere in a name, and a name Unicode's case folding matched that
// is still no month ("Augu\u017Ft", with a long s) is no month: its year stands alone.
TEST(DatesTest, MonthsInCapitalsWithAccentsAndCaseFoldedLookalikes) {
  auto one = [](const std::string& text) {
    auto dates = FindDates(text, NumericOrder::kDayFirst);
    return dates.empty() ? std::string("none") : dates[0].value + "/" + dates[0].precision;
  };
  EXPECT_EQ(one("The f\xC3\x89vrier 2 2023 et"), "2023-02-02/day");  // the fuzzer's input, its noise bytes left out
  EXPECT_EQ(one("LE 3 F\xC3\x89VRIER 2023"), "2023-02-03/day");
  EXPECT_EQ(one("D\xC3\x89\x43\x45MBRE 2019"), "2019-12/month");
  EXPECT_EQ(one("AO\xC3\x9BT 2024"), "2024-08/month");
  EXPECT_EQ(one("Augu\xC5\xBFt 2023"), "2023/year");
  EXPECT_EQ(one("3 Augu\xC5\xBFt 2023"), "2023/year");
  EXPECT_EQ(FindBareMonths("Le rapport sera remis d'ici F\xC3\x89VRIER.", 2026).size(), 1u);
}

TEST(NameKeyTest, VariantsMeet) {
  EXPECT_EQ(NameKey("The Migration  Management-Services\nDepartment"), "migration management services department");
  EXPECT_EQ(NameKey("Organización Internacional"), "organizacion internacional");
  EXPECT_EQ(NameKey("OFFICE OF THE INSPECTOR GENERAL"), NameKey("Office of the Inspector General"));
}

}  // namespace
}  // namespace dossier_entities
