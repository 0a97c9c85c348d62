// Tests of the document structure model (plugins/structure) on small layouts written for each case.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "structure.h"

namespace dossier_structure {
namespace {

class StructureTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string error;
    ASSERT_TRUE(cues_.LoadFolder(std::string(DOSSIER_SOURCE_DIR) + "/plugins/structure/data", &error)) << error;
  }
  DocumentStructure Build(const std::vector<std::string>& texts, const std::string& language = "en") {
    texts_ = texts;
    std::vector<PageText> pages;
    for (size_t i = 0; i < texts_.size(); ++i) pages.push_back({static_cast<uint32_t>(i + 1), texts_[i]});
    return BuildStructure(pages, cues_, language);
  }
  static std::vector<const Block*> OfKind(const DocumentStructure& s, BlockKind kind) {
    std::vector<const Block*> out;
    for (const Block& b : s.blocks) if (b.kind == kind) out.push_back(&b);
    return out;
  }
  Cues cues_;
  std::vector<std::string> texts_;
};

TEST_F(StructureTest, LabelsOfEveryStyle) {
  Label l;
  ASSERT_TRUE(ParseLabel("3. Strengthen the unit", &l));
  EXPECT_EQ(l.number, "3");
  EXPECT_EQ(l.style, Label::kArabic);
  ASSERT_TRUE(ParseLabel("2.1 Background", &l));
  EXPECT_EQ(l.style, Label::kDotted);
  EXPECT_EQ(l.number, "2.1");
  ASSERT_TRUE(ParseLabel("(b) the process", &l));
  EXPECT_EQ(l.style, Label::kLowerAlpha);
  ASSERT_TRUE(ParseLabel("iv) further", &l));
  EXPECT_EQ(l.style, Label::kLowerRoman);
  ASSERT_TRUE(ParseLabel("IV. FINDINGS", &l));
  EXPECT_EQ(l.style, Label::kUpperRoman);
  ASSERT_TRUE(ParseLabel("B - STAFF SUPPORT", &l));
  EXPECT_EQ(l.style, Label::kUpperAlpha);
  EXPECT_EQ(l.number, "B");
  ASSERT_TRUE(ParseLabel("\xE2\x80\xA2 R4 Regarding the structure", &l));  // "• R4": the code, not the bullet
  EXPECT_EQ(l.style, Label::kCoded);
  EXPECT_EQ(l.number, "R4");
  ASSERT_TRUE(ParseLabel("\xE2\x97\x8F Project management", &l));
  EXPECT_EQ(l.style, Label::kBullet);
  ASSERT_TRUE(ParseLabel("7.", &l));
  EXPECT_TRUE(l.bare);
  EXPECT_FALSE(ParseLabel("2001. A year of change", &l));
  EXPECT_FALSE(ParseLabel("1.5 million people moved", &l));
  EXPECT_FALSE(ParseLabel("25 September 2020 was the date", &l));
  EXPECT_FALSE(ParseLabel("e.g. this", &l));
}

// A report whose two headings are unnumbered sentence-case lines: only their
// type tells them from the text.
constexpr char kReportWithUnnumberedHeadings[] =
      "The kelp cooperative was visited in May and its books were read.\n"
      "Recommendations to the cooperative\n"
      "1. The Kelp Board should publish its accounts every year.\n"
      "2. The Harbour Office should repair the landing stage.\n"
      "Where the review of the\n"
      "kelp harbour went next\n"
      "3. Nothing more is said here about it.\n";

// A text layer says how lines are set: a sentence-case line in a larger
// type is a heading (it opens a recommendations section here), which the
// words alone do not show; a numbered line set large stays a list item; a
// heading set large on two lines is one heading.
TEST_F(StructureTest, ALineInALargerTypeIsAHeading) {
  const std::string text = kReportWithUnnumberedHeadings;
  std::vector<LineStyle> styles = {{0, 1, 10, false}, {1, 1, 16, true}, {2, 1, 16, false},
                                   {3, 1, 10, false}, {4, 2, 14, false}, {6, 1, 10, false}};
  const std::vector<PageText> styled_pages = {{1, text, styles}};
  DocumentStructure styled = BuildStructure(styled_pages, cues_, "en");
  auto headings = OfKind(styled, BlockKind::kHeading);
  ASSERT_EQ(headings.size(), 2u);
  EXPECT_EQ(headings[0]->text, "Recommendations to the cooperative");
  EXPECT_EQ(styled.TopicAt(*headings[0]), Topic::kRecommendations);
  EXPECT_EQ(headings[1]->text, "Where the review of the kelp harbour went next");
  auto items = OfKind(styled, BlockKind::kListItem);
  ASSERT_EQ(items.size(), 3u);
  EXPECT_EQ(items[0]->number, "1");  // set large, still numbered: a list item
  EXPECT_EQ(styled.TopicAt(*items[1]), Topic::kRecommendations);

  // The same text without styles (OCR, plain text): no heading is seen.
  DocumentStructure plain = Build({text});
  EXPECT_TRUE(OfKind(plain, BlockKind::kHeading).empty());
  // A document whose lines are mostly unstyled does not go by the few that are.
  const std::vector<PageText> few_styled = {{1, text, {{1, 1, 16, true}}}};
  EXPECT_TRUE(OfKind(BuildStructure(few_styled, cues_, "en"), BlockKind::kHeading).empty());
}

// OCR estimates each line's size from the image, to a tenth of a point and
// a little apart from line to line: a heading two sizes up from the body
// still stands out, and the two lines of one heading still join.
TEST_F(StructureTest, SizesEstimatedByOcrFindHeadingsToo) {
  const std::string text = kReportWithUnnumberedHeadings;
  std::vector<LineStyle> styles = {{0, 1, 10.9f, false}, {1, 1, 12.6f, true},  {2, 1, 10.8f, false},
                                   {3, 1, 10.9f, false}, {4, 1, 14.6f, false}, {5, 1, 14.0f, false},
                                   {6, 1, 10.8f, false}};
  DocumentStructure ocr = BuildStructure({{1, text, styles}}, cues_, "en");
  auto headings = OfKind(ocr, BlockKind::kHeading);
  ASSERT_EQ(headings.size(), 2u);
  EXPECT_EQ(headings[0]->text, "Recommendations to the cooperative");
  EXPECT_EQ(headings[1]->text, "Where the review of the kelp harbour went next");
}

// OCR sets paragraphs apart with blank lines, so a line naming whom the
// next items are for stands alone like a heading; it stays inside the
// recommendations, and the items after it are recommendations too.
TEST_F(StructureTest, AnAddresseeBetweenBlankLinesIsNoHeading) {
  const std::string text =
      "RECOMMENDATIONS\n"
      "\n"
      "1. Publish the kelp accounts every year and send them to the board.\n"
      "\n"
      "To the Harbour Board:\n"
      "\n"
      "2. Repair the landing stage before the winter storms arrive.\n";
  DocumentStructure s = Build({text});
  auto headings = OfKind(s, BlockKind::kHeading);
  ASSERT_EQ(headings.size(), 1u);
  EXPECT_EQ(headings[0]->text, "RECOMMENDATIONS");
  auto items = OfKind(s, BlockKind::kListItem);
  ASSERT_EQ(items.size(), 2u);
  EXPECT_EQ(s.TopicAt(*items[1]), Topic::kRecommendations);
}

// A list item that ends in a colon introduces what follows: its text goes
// on in the next paragraph, even across the blank line OCR sets there; an
// item that ends in a full stop does not.
TEST_F(StructureTest, AnItemEndingInAColonGoesOnInTheNextParagraph) {
  const std::string text =
      "RECOMMENDATIONS\n"
      "\n"
      "1. To the Harbour Board:\n"
      "\n"
      "Repair the landing stage before the winter storms arrive.\n"
      "\n"
      "2. Publish the kelp accounts every year.\n"
      "\n"
      "The board agreed to both in its reply.\n";
  DocumentStructure s = Build({text});
  auto items = OfKind(s, BlockKind::kListItem);
  ASSERT_EQ(items.size(), 2u);
  EXPECT_EQ(items[0]->text, "To the Harbour Board: Repair the landing stage before the winter storms arrive.");
  EXPECT_EQ(items[1]->text, "Publish the kelp accounts every year.");
}

// A sentence whose first line reads like a title ("The Harbour Board
// recommends that the Kelp") is no heading, even alone after a blank line
// as OCR sets paragraphs: a reporting verb makes it a sentence, in English,
// French and Spanish.
TEST_F(StructureTest, ALineThatRecommendsIsASentenceNotAHeading) {
  const struct {
    const char* language;
    const char* text;
  } cases[] = {
      {"en", "Response by the Harbour Board\n\n\nThe board has no comments to make.\n\n\n"
             "The Kelp Transport Safety Bureau recommends that the Civil\n"
             "Harbour Safety Authority consider the benefits of new lights.\n"},
      {"fr", "Constat\n\nLa Mission Recommande que la Direction\nRégionale Publie ses Comptes.\n"},
      {"es", "Hallazgo\n\nLa Junta del Puerto Recomienda a la\nCooperativa Reparar el Muelle.\n"},
  };
  for (const auto& c : cases) {
    DocumentStructure s = BuildStructure({{1, c.text, {}}}, cues_, c.language);
    auto headings = OfKind(s, BlockKind::kHeading);
    ASSERT_EQ(headings.size(), 1u) << c.language << ": " << headings.back()->text;
    EXPECT_EQ(s.sections.size(), 1u) << c.language;
  }
}

TEST_F(StructureTest, PageNumbersInEveryForm) {
  for (const char* line : {"12", "Page 3", "page 3 of 10", "4/48", "- 7 -", "iv", "Página 2 de 5"}) {
    EXPECT_TRUE(IsPageNumberLine(line)) << line;
  }
  for (const char* line : {"2021 Annual report", "Chapter 3", "Recommendations"}) EXPECT_FALSE(IsPageNumberLine(line)) << line;
}

TEST_F(StructureTest, RunningHeadersFootersAndPageNumbersAreRemoved) {
  std::vector<std::string> pages;
  const char* bodies[] = {"The programme built wells.\nThey serve three villages.",
                          "Committees manage the pumps.\nFees pay for repairs.",
                          "Women lead most committees.\nTraining helped them.",
                          "The district funds spare parts.\nStocks ran out twice."};
  for (int p = 1; p <= 4; ++p) {
    pages.push_back(std::string("Water Programme Review 2024\n\n") + bodies[p - 1] + "\n\nReport No. 17/2024\n" +
                    std::to_string(p) + "\n");
  }
  DocumentStructure s = Build(pages);
  EXPECT_EQ(s.removed.page_headers, 4);
  EXPECT_EQ(s.removed.page_footers, 4);
  EXPECT_EQ(s.removed.page_numbers, 4);
  for (const Block& b : s.blocks) {
    EXPECT_EQ(b.text.find("Water Programme Review"), std::string::npos) << b.text;
    EXPECT_EQ(b.text.find("Report No."), std::string::npos) << b.text;
  }
}

TEST_F(StructureTest, AFooterWhosePageNumberMovesFromSideToSideIsRemoved) {
  // Facing pages put the page number on the outer edge: before the date on
  // even pages, after it on odd ones, and not at all on the first.
  const char* bodies[] = {"Wells were dug in the north.\nThe committees keep the keys.",
                          "Pumps were fitted last year.\nFees pay for the repairs.",
                          "Women lead most committees.\nTraining helped them lead.",
                          "The district buys spare parts.\nStocks ran out twice.",
                          "Latrines were built at schools.\nPupils clean them weekly.",
                          "Water quality is tested monthly.\nTwo wells failed the test."};
  std::vector<std::string> pages;
  for (int p = 1; p <= 6; ++p) {
    const std::string number = std::to_string(p);
    const std::string footer = p == 1 ? "12 MAY 2025" : p % 2 ? "12 MAY 2025 PAGE " + number : "PAGE " + number + " 12 MAY 2025";
    pages.push_back(std::string("Site visit ") + "abcdef"[p - 1] + ".\n\n" + bodies[p - 1] + "\n" + footer);
  }
  DocumentStructure s = Build(pages);
  EXPECT_EQ(s.removed.page_footers, 6);
  for (const Block& b : s.blocks) EXPECT_EQ(b.text.find("MAY 2025"), std::string::npos) << b.text;
}

TEST_F(StructureTest, AShortLineEndingAPageDoesNotRunOnIntoTheNextPagesHeading) {
  // The first page ends on a short line without a full stop (a caption the
  // running-line test cannot know), and no newline, as text layers give it.
  DocumentStructure s = Build({"Disarmament\nThe centres moved in 2024.\nMap of the regional centres",
                               "Peace Operations\nThe review will be finished in June.\n"});
  std::vector<std::string> headings;
  for (const Block* b : OfKind(s, BlockKind::kHeading)) headings.push_back(b->text);
  EXPECT_EQ(headings, (std::vector<std::string>{"Disarmament", "Peace Operations"}));
}

TEST_F(StructureTest, ATableRowWhoseNumberIsSetOnItsSecondLineIsOneRow) {
  // The number centred in the row's height sits on its second line; the first line's empty number cell may
  // be lost with its indent. A header over a numbered row, and a wrapped line under one, stay as they are.
  DocumentStructure s = Build({"No.\tCommitment\tLead\tPartners\n"
                               "\tThe district will publish a register of all the wells it\tWater\tRiver Trust\n"
                               "1\tmaintains, with their state and the date of the last repair.\tBoard\t\n"
                               "The district will train twenty pump mechanics in each\tWater Board\tPump Guild\n"
                               "2\tof the three valleys before the dry season.\t\t\n"
                               "3\tThe district will audit the tariffs.\tAudit Office\t\n"
                               "\tand report on them.\tand Tax Unit\t\n"
                               "4\tThe district will close the old depot.\tWater Board\t\n"});
  std::vector<const Block*> rows;
  for (const Block& b : s.blocks) {
    if (b.kind == BlockKind::kTableRow) rows.push_back(&b);
  }
  ASSERT_EQ(rows.size(), 6u);
  EXPECT_EQ(rows[0]->cells[0], "No.");
  ASSERT_GE(rows[1]->cells.size(), 4u);
  EXPECT_EQ(rows[1]->cells[0], "1");
  EXPECT_EQ(rows[1]->cells[1],
            "The district will publish a register of all the wells it maintains, with their state and the date of the last repair.");
  EXPECT_EQ(rows[1]->cells[2], "Water Board");
  EXPECT_EQ(rows[1]->cells[3], "River Trust");
  ASSERT_GE(rows[2]->cells.size(), 3u);
  EXPECT_EQ(rows[2]->cells[0], "2");
  EXPECT_EQ(rows[2]->cells[1], "The district will train twenty pump mechanics in each of the three valleys before the dry season.");
  EXPECT_EQ(rows[2]->cells[2], "Water Board");
  EXPECT_EQ(rows[3]->cells[0], "3");
  EXPECT_EQ(rows[4]->text, "and report on them. and Tax Unit");  // a wrapped line under a numbered row
  EXPECT_EQ(rows[5]->cells[0], "4");
}

TEST_F(StructureTest, HeadingsListsAndLevelsByFirstAppearance) {
  DocumentStructure s = Build({"1. Introduction\nThe review looked at two offices.\n\n"
                               "1.1 Scope of the Review\nIt covered 2019 to 2023.\n\n"
                               "2. Recommendations for\nExecutive Action\n"
                               "1. Improve the targeting of beneficiaries by involving local authorities in the\n"
                               "selection, as the survey showed.\n"
                               "a. Publish the criteria.\n"
                               "2. Strengthen the monitoring system.\n"});
  auto headings = OfKind(s, BlockKind::kHeading);
  ASSERT_EQ(headings.size(), 3u);
  EXPECT_EQ(headings[0]->text, "Introduction");
  EXPECT_EQ(headings[0]->level, 1);
  EXPECT_EQ(headings[1]->level, 2);
  EXPECT_EQ(headings[2]->text, "Recommendations for Executive Action");  // one heading over two lines
  EXPECT_EQ(headings[2]->level, 1);
  ASSERT_EQ(s.sections.size(), 3u);
  EXPECT_EQ(s.sections[1].parent, 0);
  EXPECT_EQ(s.sections[2].topic, Topic::kRecommendations);
  auto items = OfKind(s, BlockKind::kListItem);
  ASSERT_EQ(items.size(), 3u);
  EXPECT_EQ(items[0]->text, "Improve the targeting of beneficiaries by involving local authorities in the selection, as the survey showed.");
  EXPECT_EQ(items[0]->level, 1);
  EXPECT_EQ(items[1]->level, 2);
  EXPECT_EQ(items[2]->number, "2");
  EXPECT_EQ(items[2]->level, 1);
}

TEST_F(StructureTest, LabelsSetApartFromTheirTextArePairedWithIt) {
  // Text layers often put a hanging list's labels in a column of their own.
  DocumentStructure s = Build({"RECOMMENDATIONS\n2.\n\n3.\n4.\n\n"
                               "Explore the options for support in each country of origin, which will\n"
                               "include an appeal to donors.\n"
                               "Tie in the assistance with community projects.\n"
                               "Provide more support to returnees and the host communities - including\n"
                               "through partnerships.\n"});
  auto items = OfKind(s, BlockKind::kListItem);
  ASSERT_EQ(items.size(), 3u);
  EXPECT_EQ(items[0]->number, "2");
  EXPECT_EQ(items[0]->text, "Explore the options for support in each country of origin, which will include an appeal to donors.");
  EXPECT_EQ(items[1]->number, "3");
  EXPECT_EQ(items[1]->text, "Tie in the assistance with community projects.");
  EXPECT_EQ(items[2]->number, "4");
}

TEST_F(StructureTest, ContentsPagesAnnexesAndTermsOfReference) {
  DocumentStructure s = Build({"TABLE OF CONTENTS\nIntroduction 1\nFindings 3\nRecommendations 9\nAnnex 1 Terms of Reference 12\n",
                               "INTRODUCTION\nThe evaluation covered the programme.\n",
                               "ANNEX 1 - TERMS OF REFERENCE\n1. Assess the relevance of the programme.\n"});
  auto contents = OfKind(s, BlockKind::kContentsEntry);
  EXPECT_GE(contents.size(), 4u);
  ASSERT_EQ(s.sections.size(), 2u);
  EXPECT_EQ(s.sections[0].role, SectionRole::kBody);
  EXPECT_EQ(s.sections[0].topic, Topic::kBackground);
  EXPECT_EQ(s.sections[1].role, SectionRole::kAnnex);
  EXPECT_EQ(s.sections[1].topic, Topic::kTermsOfReference);
}

TEST_F(StructureTest, AContentsRunningOntoAShortPageAndDotLeadersAreEntries) {
  // The contents ends on a page of two entries; a stray dot-leader line sits
  // on an ordinary page. Neither is an item or a heading.
  DocumentStructure s = Build({"Contents\nIntroduction ........ 1\nFindings ........ 3\n"
                               "Recommendations ........ 9\n1 Train the staff ........ 9\n"
                               "2 Fund the plan ........ 10\nAnnexes ........ 14\n",
                               "3 Review the budget ........ 11\n4 Publish the data ........ 12\n",
                               "INTRODUCTION\nThe evaluation covered the programme.\n"
                               "Method and scope .............. 2\nThe team visited three sites.\n"});
  auto contents = OfKind(s, BlockKind::kContentsEntry);
  EXPECT_EQ(contents.size(), 10u);  // the "Contents" line, six entries, two, one
  EXPECT_TRUE(OfKind(s, BlockKind::kListItem).empty());
  for (const Block* h : OfKind(s, BlockKind::kHeading)) EXPECT_EQ(h->text.find("...."), std::string::npos) << h->text;
}

TEST_F(StructureTest, AHeadingSetOnTwoLinesWhoseSecondStartsInLowerCase) {
  DocumentStructure s = Build({"Background\nThe panel met twice.\n\n"
                               "Annex B – The Board’s Response to the Panel’s\nrecommendations\n"
                               "1. Publish the register every year.\n"
                               "2. Fund the secretariat from the core budget.\n\n"
                               "Closing Remarks for the\nrecord were made by the chair.\n"});
  auto headings = OfKind(s, BlockKind::kHeading);
  ASSERT_EQ(headings.size(), 2u);
  EXPECT_EQ(headings[1]->text, "Annex B – The Board’s Response to the Panel’s recommendations");
  ASSERT_EQ(s.sections.size(), 2u);
  EXPECT_EQ(s.sections[1].topic, Topic::kRecommendations);
  EXPECT_EQ(OfKind(s, BlockKind::kListItem).size(), 2u);
  // A sentence that merely starts in title case stays a paragraph.
  EXPECT_EQ(s.blocks.back().kind, BlockKind::kParagraph);
}

TEST_F(StructureTest, FrenchAndSpanishHeadingsNameTheirTopics) {
  DocumentStructure fr = Build({"RÉSUMÉ EXÉCUTIF\nLe projet a atteint ses objectifs.\n\nRecommandations\n"
                                "1. Renforcer la communication auprès des bénéficiaires.\n"}, "fr");
  ASSERT_EQ(fr.sections.size(), 2u);
  EXPECT_EQ(fr.sections[0].role, SectionRole::kSummary);
  EXPECT_EQ(fr.sections[1].topic, Topic::kRecommendations);
  DocumentStructure es = Build({"Conclusiones:\nEl programa fue pertinente.\n"}, "es");
  ASSERT_EQ(es.sections.size(), 1u);
  EXPECT_EQ(es.sections[0].topic, Topic::kConclusions);
}

TEST_F(StructureTest, SentencesAndNameListsAreNotHeadings) {
  DocumentStructure s = Build({"Introduction\nThe unit reviewed the plan.\n\n"
                               "2. IOM Headquarters and the Regional Office Should Consider\n"
                               "the proposal in detail.\n"
                               "3. Realizar el procesamiento del Gerente General, Gerente Cadena, Gerente Departamento\n"
                               "Distribución en los hechos.\n"});
  auto headings = OfKind(s, BlockKind::kHeading);
  ASSERT_EQ(headings.size(), 1u);
  EXPECT_EQ(headings[0]->text, "Introduction");
}

TEST_F(StructureTest, ATopicsOwnHeadingUnderAChapterHeadingStandsAlone) {
  DocumentStructure s = Build({"Report\n\nCONCLUSIONS & RECOMMENDATIONS\nCONCLUSIONS\n"
                               "\xE2\x80\xA2 The wells were well built.\n\n"
                               "RECOMMENDATIONS\n1. Train the committees.\n"});
  std::vector<const Block*> headings = OfKind(s, BlockKind::kHeading);
  ASSERT_GE(headings.size(), 3u);
  EXPECT_EQ(headings[1]->text, "CONCLUSIONS & RECOMMENDATIONS");
  EXPECT_EQ(headings[2]->text, "CONCLUSIONS");
  std::vector<const Block*> items = OfKind(s, BlockKind::kListItem);
  ASSERT_EQ(items.size(), 2u);
  EXPECT_EQ(s.TopicAt(*items[0]), Topic::kConclusions);
  EXPECT_EQ(s.TopicAt(*items[1]), Topic::kRecommendations);
}

TEST_F(StructureTest, ATitlePageNamingRecommendationsMakesTheDocumentASetOfThem) {
  EXPECT_EQ(Build({"Office of the Auditor\n\nCompendium of Priority Recommendations\n", "Introduction\nText.\n"})
                .title_topic,
            Topic::kRecommendations);
  EXPECT_EQ(Build({"Evaluation of the Water Programme\n\nFindings and Recommendations\n"}).title_topic, Topic::kNone);
}

}  // namespace
}  // namespace dossier_structure
