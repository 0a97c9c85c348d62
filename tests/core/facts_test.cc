// Tests of the fact codec (dossier/facts.h): every kind round-trips through
// its JSON, the JSON is the grammar's, and a malformed fact gives an error
// naming the kind and the field.
#include "dossier/facts.h"

#include <gtest/gtest.h>

namespace dossier {
namespace {

using nlohmann::json;

Fact RoundTrip(const Fact& fact) {
  Result<Fact> back = DecodeFact(EncodeFact(fact));
  EXPECT_TRUE(back.ok()) << back.status().ToString();
  return back.ok() ? *back : Fact();
}

TEST(FactsTest, EntityRoundTripsWithTheGrammarsFields) {
  EntityFact e;
  e.key = "ard";
  e.type = EntityType::kOrganisation;
  e.name = "Agency for Rural Development";
  e.aliases = {"ARD"};
  e.mentions = {{1, 10, 38}, {3, 0, 3}};
  e.part_of = "Ministry of Agriculture";
  e.authority = true;
  EXPECT_EQ(RoundTrip(e), Fact(e));
  EXPECT_EQ(json::parse(EncodeFact(e)),
            json::parse(R"({"kind":"entity","key":"ard","type":"organisation","name":"Agency for Rural Development",
                            "aliases":["ARD"],"mentions":[{"page":1,"start":10,"end":38},{"page":3,"start":0,"end":3}],
                            "part_of":"Ministry of Agriculture","authority":true})"));
  e.part_of.reset();
  EXPECT_FALSE(json::parse(EncodeFact(e)).contains("part_of"));
  EXPECT_EQ(RoundTrip(e), Fact(e));
}

TEST(FactsTest, RecommendationWithResponseActionsAndBasisRoundTrips) {
  ItemFact item;
  item.item_type = ItemType::kRecommendation;
  item.number = "3";
  item.text = "The Agency should repair the pumps.";
  item.page = 4, item.start = 100, item.end = 135;
  item.based_on = {{ItemType::kConclusion, "2"}, {ItemType::kFinding, "F12"}};
  item.responsible = {"Agency for Rural Development"};
  item.due = "2026-12-31";
  item.management_response = ManagementResponse{ResponseStatus::kPartiallyAccepted, "Partially accepted.", 9};
  KeyAction stated{"3.1", "Train staff", {"Water Division"}, "Q1 2026", "2026-01", "2026-03",
                   ActionStatus::kInitiated, "In progress", 9};
  KeyAction bare;
  bare.number = "3.2", bare.text = "Buy spare parts", bare.page = 10;
  item.key_actions = {stated, bare};
  EXPECT_EQ(RoundTrip(item), Fact(item));
  const json wire = json::parse(EncodeFact(item));
  EXPECT_EQ(wire["management_response"], json::parse(R"({"status":"partially accepted","text":"Partially accepted.","page":9})"));
  EXPECT_EQ(wire["based_on"][1], json::parse(R"({"item_type":"finding","number":"F12"})"));
  EXPECT_EQ(wire["key_actions"][0]["status"], "initiated");
  // Unstated parts of an action are null, as the grammar has them.
  EXPECT_EQ(wire["key_actions"][1],
            json::parse(R"({"number":"3.2","text":"Buy spare parts","responsible":[],"time_frame":null,"start":null,
                            "due":null,"status":null,"status_text":null,"page":10})"));
}

TEST(FactsTest, ARecommendationAlwaysCarriesResponsibleAndDueOtherItemsOnlyWhenSet) {
  ItemFact rec;
  rec.item_type = ItemType::kRecommendation;
  rec.number = "1", rec.text = "Do it.", rec.page = 1, rec.start = 0, rec.end = 6;
  json wire = json::parse(EncodeFact(rec));
  EXPECT_EQ(wire["responsible"], json::array());
  ASSERT_TRUE(wire.contains("due"));
  EXPECT_TRUE(wire["due"].is_null());
  EXPECT_FALSE(wire.contains("based_on"));
  EXPECT_FALSE(wire.contains("key_actions"));
  EXPECT_FALSE(wire.contains("management_response"));
  EXPECT_EQ(RoundTrip(rec), Fact(rec));

  ItemFact finding = rec;
  finding.item_type = ItemType::kFinding;
  wire = json::parse(EncodeFact(finding));
  EXPECT_EQ(wire, json::parse(R"({"kind":"item","item_type":"finding","number":"1","text":"Do it.","page":1,"start":0,"end":6})"));
  EXPECT_EQ(RoundTrip(finding), Fact(finding));
  ItemFact conclusion = finding;
  conclusion.item_type = ItemType::kConclusion;
  EXPECT_EQ(RoundTrip(conclusion), Fact(conclusion));
}

TEST(FactsTest, DatesTitlesRelationsAndDocumentDateRoundTrip) {
  DateFact range{"Q1 2026", "2026-01", DatePrecision::kQuarter, "2026-03", 2, 40, 47};
  EXPECT_EQ(RoundTrip(range), Fact(range));
  EXPECT_EQ(json::parse(EncodeFact(range)),
            json::parse(R"({"kind":"date","text":"Q1 2026","value":"2026-01","precision":"quarter","end_value":"2026-03",
                            "page":2,"start":40,"end":47})"));
  DateFact day{"31 May 2020", "2020-05-31", DatePrecision::kDay, std::nullopt, 1, 0, 11};
  EXPECT_FALSE(json::parse(EncodeFact(day)).contains("end_value"));
  EXPECT_EQ(RoundTrip(day), Fact(day));

  DocumentDateFact date{"2020-05"};
  EXPECT_EQ(EncodeFact(date), R"({"kind":"document_date","value":"2020-05"})");
  EXPECT_EQ(RoundTrip(date), Fact(date));

  EvaluationTitleFact own{false, "Evaluation of the Water Programme", "water programme"};
  EvaluationTitleFact answers{true, "Evaluation of the Water Programme", "water programme"};
  EXPECT_EQ(FactKind(own), "evaluation_title");
  EXPECT_EQ(FactKind(answers), "responds_to");
  EXPECT_EQ(json::parse(EncodeFact(answers))["kind"], "responds_to");
  EXPECT_EQ(RoundTrip(own), Fact(own));
  EXPECT_EQ(RoundTrip(answers), Fact(answers));

  RelationFact relation{RelationType::kMemberOf, "Water Division", "Agency", 5, 10, 60, "Water Division, a member of Agency"};
  EXPECT_EQ(json::parse(EncodeFact(relation))["type"], "member_of");
  EXPECT_EQ(RoundTrip(relation), Fact(relation));
}

TEST(FactsTest, TheStructureFactIsKeptAsItIs) {
  const std::string text =
      R"({"kind":"structure","removed":{"page_headers":1,"page_footers":0,"page_numbers":3},"sections_total":1,)"
      R"("sections":[{"number":"1","title":"Recommendations","level":1,"parent":null,"labelled":[]}],"extra":[1,2.5,"x"]})";
  Result<Fact> fact = DecodeFact(text);
  ASSERT_TRUE(fact.ok()) << fact.status().ToString();
  ASSERT_TRUE(std::holds_alternative<StructureFact>(*fact));
  const StructureFact& structure = std::get<StructureFact>(*fact);
  EXPECT_FALSE(structure.body.contains("kind"));
  EXPECT_EQ(structure.body["sections"][0]["title"], "Recommendations");
  EXPECT_EQ(json::parse(EncodeFact(*fact)), json::parse(text));
}

TEST(FactsTest, EnumWireNamesParseBack) {
  for (ActionStatus s : {ActionStatus::kNotStarted, ActionStatus::kInitiated, ActionStatus::kCompleted,
                         ActionStatus::kOverdue, ActionStatus::kNoLongerApplicable}) {
    ActionStatus back = ActionStatus::kCompleted;
    ASSERT_TRUE(ParseWireName(WireName(s), &back)) << WireName(s);
    EXPECT_EQ(back, s);
  }
  ResponseStatus status = ResponseStatus::kAccepted;
  EXPECT_TRUE(ParseWireName("not accepted", &status));
  EXPECT_EQ(status, ResponseStatus::kNotAccepted);
  EXPECT_FALSE(ParseWireName("noted", &status));
  EXPECT_EQ(status, ResponseStatus::kNotAccepted);  // untouched
}

// The error DecodeFact gives for `text`, which must not decode.
std::string ErrorOf(std::string_view text) {
  Result<Fact> fact = DecodeFact(text);
  EXPECT_FALSE(fact.ok()) << text;
  return fact.ok() ? "" : fact.status().message();
}

TEST(FactsTest, AMalformedFactNamesItsKindAndField) {
  EXPECT_EQ(ErrorOf(R"({"kind":"item","item_type":"recommendation","number":"1","text":"x","page":"4","start":0,"end":1})"),
            R"(item fact: field "page": expected a non-negative integer, got string)");
  EXPECT_EQ(ErrorOf(R"({"kind":"item","item_type":"recommendation","number":"1","page":4,"start":0,"end":1})"),
            R"(item fact: missing required field "text")");
  EXPECT_EQ(ErrorOf(R"({"kind":"entity","type":"person","name":"Ana"})"),
            R"(entity fact: field "type": unknown value "person" (expected organisation|programme|other))");
  EXPECT_EQ(ErrorOf(R"({"kind":"entity","type":"other","name":"Ana","mentions":[{"page":1,"start":-2,"end":3}]})"),
            R"(entity fact: field "mentions[0].start": expected a non-negative integer, got negative integer)");
  EXPECT_EQ(ErrorOf(R"({"kind":"entity","type":"other","name":"Ana","aliases":["A",7]})"),
            R"(entity fact: field "aliases[1]": expected a string, got unsigned integer)");
  EXPECT_EQ(ErrorOf(R"({"kind":"date","text":"2020","value":"2020","precision":"decade","page":1,"start":0,"end":4})"),
            R"(date fact: field "precision": unknown value "decade" (expected year|month|day|quarter))");
  EXPECT_EQ(ErrorOf(R"({"kind":"item","item_type":"recommendation","number":"1","text":"x","page":1,"start":0,"end":1,)"
                    R"("management_response":{"status":"noted","text":"","page":1}})"),
            R"(item fact: field "management_response.status": unknown value "noted" (expected accepted|partially accepted|not accepted))");
  EXPECT_EQ(ErrorOf(R"({"kind":"item","item_type":"recommendation","number":"1","text":"x","page":1,"start":0,"end":1,)"
                    R"("key_actions":[{"number":"1","text":"a","page":1},{"number":"2","text":"b","due":2026,"page":1}]})"),
            R"(item fact: field "key_actions[1].due": expected a string or null, got unsigned integer)");
  EXPECT_EQ(ErrorOf(R"({"kind":"responds_to","title":"Evaluation"})"), R"(responds_to fact: missing required field "key")");
  EXPECT_EQ(ErrorOf(R"({"kind":"relation","type":"owns","source":"A","target":"B"})"),
            R"(relation fact: field "type": unknown value "owns" (expected funds|implements|leads|member_of))");
  EXPECT_EQ(ErrorOf(R"({"kind":"structure","sections":[]} trailing)"), "fact: not valid JSON");
  EXPECT_EQ(ErrorOf(R"(["kind","entity"])"), "fact: expected a JSON object, got array");
  EXPECT_EQ(ErrorOf(R"({"type":"organisation","name":"A"})"), R"(fact: missing required field "kind")");
  EXPECT_EQ(ErrorOf(R"({"kind":7})"), R"(fact: field "kind": expected a string, got unsigned integer)");
}

TEST(FactsTest, AnUnknownKindIsItsOwnError) {
  Result<Fact> fact = DecodeFact(R"({"kind":"page_size","page":2,"bytes":6})");
  ASSERT_FALSE(fact.ok());
  EXPECT_TRUE(IsUnknownFactKind(fact.status()));
  EXPECT_EQ(fact.status().message(), R"(fact: unknown kind "page_size")");
  EXPECT_FALSE(IsUnknownFactKind(DecodeFact(R"({"kind":"entity"})").status()));
  // DecodeFacts keeps the ones it knows, in order.
  std::vector<Fact> facts = DecodeFacts({R"({"kind":"document_date","value":"2020"})", R"({"kind":"page_size"})",
                                         "not json", R"({"kind":"document_date","value":"2021"})"});
  ASSERT_EQ(facts.size(), 2u);
  EXPECT_EQ(std::get<DocumentDateFact>(facts[1]).value, "2021");
}

TEST(FactsTest, FieldsTheGrammarDoesNotKnowAreIgnoredAndOptionalOnesDefault) {
  // An entity as a test or an older extractor writes it: no key, no authority.
  Result<Fact> fact = DecodeFact(R"({"kind":"entity","type":"programme","name":"WASH","note":"x"})");
  ASSERT_TRUE(fact.ok()) << fact.status().ToString();
  const EntityFact& e = std::get<EntityFact>(*fact);
  EXPECT_EQ(e.type, EntityType::kProgramme);
  EXPECT_EQ(e.key, "");
  EXPECT_FALSE(e.authority);
  EXPECT_TRUE(e.mentions.empty());
}

TEST(FactsTest, InvalidUtf8IsReplacedNotThrown) {
  DocumentDateFact date{std::string("20\xff") + "20"};
  const std::string text = EncodeFact(date);
  EXPECT_TRUE(json::accept(text));
  EXPECT_TRUE(DecodeFact(text).ok());
}

}  // namespace
}  // namespace dossier
