// Tests of the named-bodies pass (plugins/entities/named_bodies.cc) on small texts written for the tests.
#include <gtest/gtest.h>

#include <set>

#include "acronyms.h"
#include "authority.h"
#include "entity_table.h"
#include "named_bodies.h"

namespace dossier_entities {
namespace {

class NamedBodiesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string error;
    ASSERT_TRUE(authority_.LoadFile(std::string(DOSSIER_SOURCE_DIR) + "/plugins/entities/data/authority.tsv", &error))
        << error;
  }
  // Every entity as "type name", after the acronym and named-bodies passes on one page.
  std::set<std::string> Run(const std::string& text) {
    text_ = text;
    EntityTable table(authority_);
    std::vector<PageTokens> pages;
    pages.push_back(MakePageTokens(1, text_));
    FindAcronymLists(pages[0], table);
    FindAcronymDefinitions(pages[0], table);
    FindNamedBodies(pages[0], table);
    TypeFromUsage(pages, table);
    FindListedBodies(pages, table);
    std::set<std::string> out;
    for (const auto& [key, entity] : table.all()) out.insert(entity.type + " " + entity.name);
    return out;
  }
  static std::string Dump(const std::set<std::string>& names) {
    std::string out;
    for (const std::string& n : names) out += n + " | ";
    return out;
  }
  Authority authority_;
  std::string text_;
};

TEST_F(NamedBodiesTest, HeadingUnderANameIsNotGluedToIt) {
  auto names = Run("Lakeside Evaluation Office\nREVIEW OF THE MARSH DRAINAGE PROGRAMME\n\nKelp Programmes\nMEMO\n");
  EXPECT_TRUE(names.count("organisation Lakeside Evaluation Office")) << Dump(names);
  for (const std::string& n : names) {
    EXPECT_EQ(n.find("REVIEW"), std::string::npos) << n;
    EXPECT_EQ(n.find("MEMO"), std::string::npos) << n;
  }
}

TEST_F(NamedBodiesTest, ATeamIsAUnit) {
  auto names = Run("The Open Records Team and the Kelp Fund Monitoring Team met the district officers in May.\n");
  EXPECT_TRUE(names.count("organisation Open Records Team")) << Dump(names);
  EXPECT_TRUE(names.count("organisation Kelp Fund Monitoring Team")) << Dump(names);
}

TEST_F(NamedBodiesTest, NoPossessivesNoLawsNoPersons) {
  auto names = Run("The Federation of Reed Cutters’ handbook and the Kelp Fund’s rules cite the Marsh Drainage Act. "
                   "Contact the Lakeside Angling Society Maria Quintero for details.");
  EXPECT_TRUE(names.count("organisation Federation of Reed Cutters")) << Dump(names);
  EXPECT_TRUE(names.count("organisation Kelp Fund")) << Dump(names);
  EXPECT_TRUE(names.count("organisation Lakeside Angling Society")) << Dump(names);
  for (const std::string& n : names) {
    EXPECT_EQ(n.find("Act"), std::string::npos) << n;
    EXPECT_EQ(n.find("Quintero"), std::string::npos) << n;
    EXPECT_EQ(n.find("’s"), std::string::npos) << n;
  }
}

TEST_F(NamedBodiesTest, CaseVariantsAreOneEntity) {
  auto names = Run("LAKESIDE WATER AGENCY\n\nThe Lakeside Water Agency drills wells.");
  EXPECT_TRUE(names.count("organisation Lakeside Water Agency")) << Dump(names);
  EXPECT_EQ(names.size(), 1u) << Dump(names);
}

TEST_F(NamedBodiesTest, CapitalLinesGiveOnlyHeadFirstNames) {
  auto names = Run("MINISTRY OF REED AFFAIRS\nFINAL REPORT ON THE MARSH DRAINAGE PROGRAMME\n");
  EXPECT_TRUE(names.count("organisation MINISTRY OF REED AFFAIRS")) << Dump(names);
  EXPECT_EQ(names.size(), 1u) << Dump(names);
}

TEST_F(NamedBodiesTest, HeadingWithYearsAndNameBrokenAcrossLines) {
  auto names = Run("REVIEW OF THE MARSH DRAINAGE PROGRAMME, 2014–2018\nJOINT PROGRAMME ON REED HARVESTS IN KELPIA\n\n"
                   "It was launched by the Agency for Reed\nHarvesting, the Ministry of Tides and others.");
  EXPECT_TRUE(names.count("organisation Agency for Reed Harvesting")) << Dump(names);
  EXPECT_TRUE(names.count("organisation Ministry of Tides")) << Dump(names);
  EXPECT_EQ(names.size(), 2u) << Dump(names);
}

TEST_F(NamedBodiesTest, CommaListInsideANameAndAndBetweenTwoBodies) {
  auto names = Run("The Department of Reeds, Marshes and Tides works with the Legal Office and Planning Unit. "
                   "The Department of Health and Coastal Services agreed.");
  EXPECT_TRUE(names.count("organisation Department of Reeds, Marshes and Tides")) << Dump(names);
  EXPECT_TRUE(names.count("organisation Legal Office")) << Dump(names);
  EXPECT_TRUE(names.count("organisation Planning Unit")) << Dump(names);
  EXPECT_TRUE(names.count("organisation Department of Health and Coastal Services")) << Dump(names);
}

TEST_F(NamedBodiesTest, OneNameALineInAList) {
  auto names = Run("Kelp Export Administration\nDepartment of Tides\nDepartment of Reeds\nOffice of Marsh Affairs\nQuay Authority\n");
  EXPECT_TRUE(names.count("organisation Kelp Export Administration")) << Dump(names);
  EXPECT_TRUE(names.count("organisation Department of Tides")) << Dump(names);
  EXPECT_TRUE(names.count("organisation Department of Reeds")) << Dump(names);
  EXPECT_TRUE(names.count("organisation Office of Marsh Affairs")) << Dump(names);
  EXPECT_TRUE(names.count("organisation Quay Authority")) << Dump(names);
}

TEST_F(NamedBodiesTest, UnitsOfAKnownBody) {
  auto names = Run("The UNICEF Evaluation Office and UNICEF Chad met the UNICEF Protection Officer about the "
                   "UNICEF Chad Flood Response Plan.");
  EXPECT_TRUE(names.count("organisation UNICEF Evaluation Office")) << Dump(names);
  EXPECT_TRUE(names.count("organisation UNICEF Chad")) << Dump(names);
  EXPECT_TRUE(names.count("programme UNICEF Chad Flood Response Plan")) << Dump(names);
  for (const std::string& n : names) EXPECT_EQ(n.find("Officer"), std::string::npos) << n;
}

TEST_F(NamedBodiesTest, ProgrammesNamedByALowerCaseWord) {
  auto names = Run("The country joined the Reedwise initiative last year, and le projet KELPA a commencé.");
  EXPECT_TRUE(names.count("programme Reedwise")) << Dump(names);
  EXPECT_TRUE(names.count("programme KELPA")) << Dump(names);
}

TEST_F(NamedBodiesTest, CompanySuffixMakesAnOrganisation) {
  auto names = Run("The contract went to Marsh Pumps Holdings, Inc. in May.");
  EXPECT_TRUE(names.count("organisation Marsh Pumps Holdings, Inc")) << Dump(names);
}

TEST_F(NamedBodiesTest, CompanyNameWithDottedLegalForm) {
  // The "S" of "S.A." first read as a word of the name; "S.A;" at a clause's end.
  auto names = Run("La buena pro fue otorgada a la empresa Vientos Claros Energy Operators S.A., sin concurso. "
                   "El socio fundador de Minera Rio Seco S.A; asimismo, el gerente.\n");
  EXPECT_TRUE(names.count("organisation Vientos Claros Energy Operators S.A.")) << Dump(names);
  EXPECT_TRUE(names.count("organisation Minera Rio Seco S.A")) << Dump(names);
}

TEST_F(NamedBodiesTest, CompanyNameInCapitals) {
  // A run of capitals inside a line, ending in a legal form, is a name.
  auto names = Run("  Entidad sujeta a control: AGUAS DEL ALTIPLANO S.A. - AGUALTI\n\n"
                   "        BENEFICIANDO INDEBIDAMENTE A LA\n"
                   "        EMPRESA VIENTOS CLAROS OPERATORS S.A. , LIMITANDO LA PARTICIPACION DE LOS POSTORES\n\n"
                   "        EMPRESA NACIONAL DE PUERTOS S.A. Y OTROS POSTORES DE LA REGION\n");
  EXPECT_TRUE(names.count("organisation AGUAS DEL ALTIPLANO S.A.")) << Dump(names);
  // The word for a company before a name is no part of it, unless the name is made of it.
  EXPECT_TRUE(names.count("organisation VIENTOS CLAROS OPERATORS S.A.")) << Dump(names);
  EXPECT_TRUE(names.count("organisation EMPRESA NACIONAL DE PUERTOS S.A.")) << Dump(names);
}

TEST_F(NamedBodiesTest, AndInARunOfCapitalsIsPartOfTheName) {
  auto names = Run("  Unidad que emite SUBGERENCIA DE CONTROL DEL SECTOR SOCIAL Y EMPLEO\n  el informe:\n");
  EXPECT_TRUE(names.count("organisation SUBGERENCIA DE CONTROL DEL SECTOR SOCIAL Y EMPLEO")) << Dump(names);
}

TEST_F(NamedBodiesTest, ThePostBeforeABodyIsNotPartOfItsName) {
  auto names = Run("Al Presidente del Directorio de Aguas del Norte S.A.:\n\n"
                   "Participaron el Gerente Departamento Logística, Gerente Departamento Compras de\n"
                   "Combustibles y Gerente Legal de la empresa.\n\n"
                   "The Director of the Lakeside Evaluation Office signed it.\n\n"
                   "Al Órgano Sancionador:\n");
  EXPECT_TRUE(names.count("organisation Directorio de Aguas del Norte S.A.")) << Dump(names);
  EXPECT_TRUE(names.count("organisation Departamento Logística")) << Dump(names);
  EXPECT_TRUE(names.count("organisation Departamento Compras de Combustibles")) << Dump(names);
  EXPECT_TRUE(names.count("organisation Lakeside Evaluation Office")) << Dump(names);
  EXPECT_TRUE(names.count("organisation Órgano Sancionador")) << Dump(names);
  for (const std::string& n : names) {
    EXPECT_EQ(n.find("Gerente"), std::string::npos) << n;
    EXPECT_EQ(n.find("Presidente"), std::string::npos) << n;
    EXPECT_EQ(n.find("Director "), std::string::npos) << n;
    EXPECT_EQ(n.find("Al "), std::string::npos) << n;
  }
}

TEST_F(NamedBodiesTest, ACodeWithDigitsIsNoHeadingWord) {
  auto names = Run("The KX40 Initiative will merge the two offices by 2027.\n");
  EXPECT_TRUE(names.count("programme KX40 Initiative")) << Dump(names);
}

TEST_F(NamedBodiesTest, AParagraphInCapitalsIsNoAcronymList) {
  // Each line opens with a word in capitals, one space before the rest: a paragraph, not a list.
  auto names = Run("        OFFICIALS SIGNED THE CONTRACTS WITHOUT THE POWER TO DO SO AND THE\n"
                   "        TENDER WAS HELD WITHOUT A NOTARY, FAVOURING ONE BIDDER OVER THE\n"
                   "        OTHERS AND LIMITING THE FOREIGN BIDDERS TO A SHORT PERIOD OF TIME\n"
                   "        WHILE THE DELIVERY DATES WERE SET IN SHORTER PERIODS.\n");
  EXPECT_TRUE(names.empty()) << Dump(names);
}

TEST_F(NamedBodiesTest, NamesListedBesideBodiesAreBodies) {
  auto names = Run("Le projet a travaillé avec ses partenaires (Kelp Finance, CIMA, Marsh Solidali et MEJ).\n\n"
                   "Le Centre d’Incubation des Métiers Agricoles (CIMA) a formé les jeunes.\n\n"
                   "The training was given by the NGO Reed Weavers in May.\n\n"
                   "See the testimony of Ann R. Marsh, Inspector General, before the Senate.\n"
                   "Managing for Results: Enhancing Agency Use of\nKelp Information, GAO/GGD-98-137 (1998).\n");
  EXPECT_TRUE(names.count("organisation Kelp Finance")) << Dump(names);
  EXPECT_TRUE(names.count("organisation Marsh Solidali")) << Dump(names);
  EXPECT_TRUE(names.count("organisation Reed Weavers")) << Dump(names);
  for (const std::string& n : names) {
    EXPECT_EQ(n.find("Inspector"), std::string::npos) << n;
    EXPECT_NE(n, "organisation Kelp Information");  // a report's title before its number, not a list
  }
}

TEST_F(NamedBodiesTest, YearsAndCopyrightLinesAreNoPartOfAName) {
  auto names = Run("Copyright 2008 Ann Smith 2014 Kelp Systems, Inc.\n"
                   "Copyright (C) 2001 Marsh Widget Corporation\n"
                   "Portions 1999 Reed Pumps, Ltd.\n"
                   "University of Lakeside 2003 Ann Smith License\n");
  EXPECT_TRUE(names.count("organisation Kelp Systems, Inc")) << Dump(names);
  EXPECT_TRUE(names.count("organisation Marsh Widget Corporation")) << Dump(names);
  EXPECT_TRUE(names.count("organisation Reed Pumps, Ltd")) << Dump(names);
  EXPECT_TRUE(names.count("organisation University of Lakeside")) << Dump(names);
  for (const std::string& n : names) {
    EXPECT_EQ(n.find("Smith"), std::string::npos) << n;
    EXPECT_EQ(n.find("Copyright"), std::string::npos) << n;
  }
}

TEST_F(NamedBodiesTest, AcronymTypedFromItsUse) {
  auto names = Run("The Reed Harvest Tracking (RHT) started in 2019. Later the RHT project grew and RHT staff said so.");
  EXPECT_TRUE(names.count("programme Reed Harvest Tracking")) << Dump(names);
}

}  // namespace
}  // namespace dossier_entities
