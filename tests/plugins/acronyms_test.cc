// Tests of the acronyms pass (plugins/entities/acronyms.cc) on small texts written for the tests.
#include <gtest/gtest.h>

#include "acronyms.h"
#include "authority.h"
#include "entity_table.h"

namespace dossier_entities {
namespace {

class AcronymsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string error;
    ASSERT_TRUE(authority_.LoadFile(std::string(DOSSIER_SOURCE_DIR) + "/plugins/entities/data/authority.tsv", &error))
        << error;
  }
  // Runs the list pass then the definition pass on one page.
  EntityTable Run(const std::string& text) {
    text_ = text;
    EntityTable table(authority_);
    PageTokens page = MakePageTokens(1, text_);
    FindAcronymLists(page, table);
    FindAcronymDefinitions(page, table);
    return table;
  }
  static const Entity* Named(const EntityTable& table, const std::string& acronym) {
    std::string key = table.Resolve(acronym);
    return key.empty() ? nullptr : &table.Get(key);
  }
  Authority authority_;
  std::string text_;
};

TEST_F(AcronymsTest, LongFormBeforeAndAfterTheAcronym) {
  EntityTable table = Run("The Lakeside Water Board (LWB) met the KTF (Kelp Trade Federation) twice.");
  const Entity* lwb = Named(table, "LWB");
  ASSERT_NE(lwb, nullptr);
  EXPECT_EQ(lwb->name, "Lakeside Water Board");
  EXPECT_EQ(lwb->type, "organisation");
  const Entity* ktf = Named(table, "KTF");
  ASSERT_NE(ktf, nullptr);
  EXPECT_EQ(ktf->name, "Kelp Trade Federation");
}

TEST_F(AcronymsTest, LongFormKeepsItsHeadWordAndOpeningAdjective) {
  // The shortest Schwartz–Hearst match starts at "of" and leaves out "National".
  EntityTable table = Run("Data came from the National Bureau of Tides (BT) and the Office of the Harbour Master (OHM).");
  ASSERT_NE(Named(table, "BT"), nullptr);
  EXPECT_EQ(Named(table, "BT")->name, "National Bureau of Tides");
  ASSERT_NE(Named(table, "OHM"), nullptr);
  EXPECT_EQ(Named(table, "OHM")->name, "Office of the Harbour Master");
}

TEST_F(AcronymsTest, PossessiveIsNotPartOfTheLongForm) {
  EntityTable table = Run("under the Office of the Harbour Master’s (OHM) rules");
  ASSERT_NE(Named(table, "OHM"), nullptr);
  EXPECT_EQ(Named(table, "OHM")->name, "Office of the Harbour Master");
}

TEST_F(AcronymsTest, LawsAreNotBodies) {
  EntityTable table = Run("Under the Coastal Fisheries Act (CFA) the Kelp Trade Federation (KTF) reports.");
  EXPECT_EQ(Named(table, "CFA"), nullptr);
  EXPECT_NE(Named(table, "KTF"), nullptr);
}

TEST_F(AcronymsTest, FrenchLongFormWithElidedArticles) {
  EntityTable table = Run("Le Programme d’Appui à l’Irrigation Rurale (PAIR) a commencé.");
  ASSERT_NE(Named(table, "PAIR"), nullptr);
  EXPECT_EQ(Named(table, "PAIR")->name, "Programme d’Appui à l’Irrigation Rurale");
  EXPECT_EQ(Named(table, "PAIR")->type, "programme");
}

TEST_F(AcronymsTest, AcronymListWithLongFormsOnTheirOwnLines) {
  EntityTable table = Run("List of acronyms\nBTX\n\nBureau des Tarifs Xylographiques\n\nKTF\n\nKelp Trade Federation\n"
                          "MQS\n\nMarsh Quality Survey\nPRQ\tPlan for Reed Quays\n");
  ASSERT_NE(Named(table, "BTX"), nullptr);
  EXPECT_EQ(Named(table, "BTX")->name, "Bureau des Tarifs Xylographiques");
  EXPECT_EQ(Named(table, "BTX")->type, "organisation");
  ASSERT_NE(Named(table, "PRQ"), nullptr);
  EXPECT_EQ(Named(table, "PRQ")->type, "programme");
  ASSERT_NE(Named(table, "MQS"), nullptr);
  EXPECT_EQ(Named(table, "MQS")->type, "other");  // no head word
}

TEST_F(AcronymsTest, TwoPairsAreNoList) {
  EntityTable table = Run("KTF\n\nKelp Trade Federation\n\nBTX\n\nBureau des Tarifs\n\nThe end of the letter.");
  EXPECT_EQ(Named(table, "KTF"), nullptr);
}

TEST_F(AcronymsTest, AnUndefinedAcronymSpellingTheInitialsOfOneBodyIsThatBody) {
  EntityTable table(authority_);
  table.Add("organisation", "Coastal Fisheries Services Department");
  table.Add("organisation", "Harbour Board");
  const std::string key = table.ResolveOrAddKnownAcronym("CFS");  // its head word left out
  ASSERT_FALSE(key.empty());
  EXPECT_EQ(table.Get(key).name, "Coastal Fisheries Services Department");
  EXPECT_EQ(table.Resolve("CFS"), key);
  // Two letters are too few to tell, and initials matching two bodies are no match.
  EXPECT_TRUE(table.ResolveOrAddKnownAcronym("HB").empty());
  EntityTable twice(authority_);
  twice.Add("organisation", "Coastal Fisheries Service");
  twice.Add("organisation", "Central Fisheries Secretariat");
  EXPECT_TRUE(twice.ResolveOrAddKnownAcronym("CFS").empty());
}

TEST_F(AcronymsTest, CodeAndSentencesAreNoNames) {
  // Manuals and specifications: "IDENTIFIER: VALUE will be …" lines look like an acronym list.
  EntityTable table = Run("TYPE: VALUE will be the type of the element\nNAME: VALUE will be a null terminated string\n"
                          "LEN: VALUE will be 5 or LEN=6\nSIZE: VALUE is the size in bytes\n");
  EXPECT_TRUE(table.all().empty());
  EXPECT_FALSE(EntityTable::PlausibleName("As INTEGER (but only with not negative numbers"));
  EXPECT_TRUE(EntityTable::PlausibleName("2030 Agenda for Sustainable Development"));
  EXPECT_TRUE(EntityTable::PlausibleName("Office of the United Nations High Commissioner for Human Rights (Geneva)"));
}

}  // namespace
}  // namespace dossier_entities
