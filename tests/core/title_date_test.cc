// The title and date chosen from a document's own first pages (title_date.h).
// Every text here is written for the test.
#include "dossier/title_date.h"

#include <gtest/gtest.h>

namespace dossier {
namespace {

std::vector<PageText> Pages(std::initializer_list<std::string> texts) {
  std::vector<PageText> pages;
  uint32_t n = 0;
  for (const std::string& text : texts) pages.push_back({++n, text, TextSource::kTextLayer, -1});
  return pages;
}

std::string OnlyDate(std::string_view line) {
  std::vector<FoundDate> found = FindDatesInLine(line);
  if (found.size() != 1) return "found " + std::to_string(found.size());
  return found[0].Value();
}

TEST(FindDatesInLine, ReadsEnglishFrenchAndSpanishDates) {
  EXPECT_EQ(OnlyDate("March 2024"), "2024-03");
  EXPECT_EQ(OnlyDate("3 January 2025"), "2025-01-03");
  EXPECT_EQ(OnlyDate("Issued on July 16, 2001 in Geneva"), "2001-07-16");
  EXPECT_EQ(OnlyDate("Octobre 2020"), "2020-10");
  EXPECT_EQ(OnlyDate("le 1er mars 2019"), "2019-03-01");
  EXPECT_EQ(OnlyDate("FÉVRIER 2018"), "2018-02");
  EXPECT_EQ(OnlyDate("marzo de 2023"), "2023-03");
  EXPECT_EQ(OnlyDate("Lima, 4 de marzo de 2023"), "2023-03-04");
  EXPECT_EQ(OnlyDate("Fecha: 13/04/2022"), "2022-04-13");
  EXPECT_EQ(OnlyDate("2022-04-13"), "2022-04-13");
  EXPECT_EQ(OnlyDate("Publication date: Nov 2013"), "2013-11");
}

TEST(FindDatesInLine, KeepsADateWithoutItsYearAndSkipsWordsThatAreNotDates) {
  std::vector<FoundDate> found = FindDatesInLine("Version 2.3 - Friday 7th June");
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].year, 0);
  EXPECT_EQ(found[0].month, 6);
  EXPECT_EQ(found[0].day, 7);
  EXPECT_EQ(found[0].Value(), "");
  EXPECT_TRUE(FindDatesInLine("Offices may 2 times a year report").empty());
  EXPECT_TRUE(FindDatesInLine("Act 2003, section 25").empty());
  EXPECT_TRUE(FindDatesInLine("A/78/123").empty());
}

TEST(TypesetLines, RoundTripAndSkipMalformedRows) {
  std::vector<TypesetLine> lines = {{1, 24.0, 100.5, "A Title"}, {2, 11.0, 50.0, "body text"}};
  std::vector<TypesetLine> back = ParseTypesetLines(EncodeTypesetLines(lines) + "x\t1\t2\tbad page\n1\tbig\t2\tbad size\n");
  ASSERT_EQ(back.size(), 2u);
  EXPECT_EQ(back[0].page, 1u);
  EXPECT_DOUBLE_EQ(back[0].size, 24.0);
  EXPECT_DOUBLE_EQ(back[0].top, 100.5);
  EXPECT_EQ(back[0].text, "A Title");
  EXPECT_EQ(back[1].text, "body text");
}

// A cover as a report prints it: a document symbol and the body's name in
// the largest type, a photo caption, the title, a subtitle and a date.
TEST(ChooseTitle, TakesTheLargestHeadingSkippingSymbolMastheadAndCaption) {
  std::vector<TypesetLine> typeset = {
      {1, 22, 40, "E /XYZ/2031/7"},
      {1, 22, 70, "Economic and Social Council"},
      {1, 9, 120, "Photo: Pupils at a rural school in 2019"},
      {1, 28, 300, "Evaluation of the Rural"},
      {1, 28, 330, "Schools Programme"},
      {1, 16, 365, "Final report of the independent team"},
      {1, 12, 700, "March 2024"},
      {2, 11, 60, "Contents"},
      {2, 11, 80, "The programme built schools in three provinces and trained their teachers over five years."},
  };
  std::vector<PageText> pages = Pages({"E /XYZ/2031/7\nEconomic and Social Council\nPhoto: Pupils at a rural school in 2019\n"
                                       "Evaluation of the Rural\nSchools Programme\nFinal report of the independent team\nMarch 2024\n",
                                       "Contents\nThe programme built schools.\n"});
  TitleChoice title = ChooseTitle(pages, typeset, "Microsoft Word - draft3.docx", "eval.pdf");
  EXPECT_EQ(title.title, "Evaluation of the Rural Schools Programme: Final report of the independent team");
  EXPECT_EQ(title.source, "heading");
  DateChoice date = ChooseDate(pages, "2031-11-02T10:00:00Z", title.title);
  EXPECT_EQ(date.value, "2024-03");
  EXPECT_EQ(date.source, "cover");
}

TEST(ChooseTitle, WithoutTypeSizesSkipsTemplateLabelsAndMastheads) {
  TitleChoice title = ChooseTitle(Pages({"FINAL REPORT\nPROJECT TITLE\nREF NO\nDEADLINE\n"
                                         "OFFICE OF THE AUDITOR GENERAL\nREVIEW OF THE\nNATIONAL SEED PROGRAMME\n"
                                         "Octobre 2020\nThe seed programme ran from 2012 to 2019 in four regions of the country.\n"}),
                                  {}, "", "r.pdf");
  EXPECT_EQ(title.title, "REVIEW OF THE NATIONAL SEED PROGRAMME");
  EXPECT_EQ(title.source, "first_line");
}

TEST(ChooseTitle, SkipsACaptionAndASymbolAndGenericHeadings) {
  TitleChoice title = ChooseTitle(Pages({"A/79/456\n© Photo agency 2021\nEXECUTIVE SUMMARY\n"
                                         "Informe sobre la gobernanza del agua en zonas rurales\nPresentación\n"}),
                                  {}, "", "r.pdf");
  EXPECT_EQ(title.title, "Informe sobre la gobernanza del agua en zonas rurales");
}

TEST(ChooseTitle, AMemoIsTitledByItsSubject) {
  std::vector<PageText> pages = Pages({"MEMORANDUM\nTo: Director of Operations\nFrom: The Inspector\nDate: 16 July 2001\n"
                                       "Subject: Follow-up of the audit of the\nregional offices\n"
                                       "Please send me your reports on the recommendations by the dates indicated below.\n"});
  TitleChoice title = ChooseTitle(pages, {}, "", "m.pdf");
  EXPECT_EQ(title.title, "MEMORANDUM: Follow-up of the audit of the regional offices");
  DateChoice date = ChooseDate(pages, "", title.title);
  EXPECT_EQ(date.value, "2001-07-16");
  EXPECT_EQ(date.source, "cover");
}

TEST(ChooseTitle, FallsBackToAMetadataTitleOnlyWhenItLooksLikeOne) {
  EXPECT_EQ(ChooseTitle(Pages({""}), {}, "Annual Review of Grants", "x.pdf").title, "Annual Review of Grants");
  EXPECT_EQ(ChooseTitle(Pages({""}), {}, "Annual Review of Grants", "x.pdf").source, "metadata");
  TitleChoice junk = ChooseTitle(Pages({""}), {}, "Microsoft Word - x.doc", "x.pdf");
  EXPECT_EQ(junk.title, "x.pdf");
  EXPECT_EQ(junk.source, "file_name");
  EXPECT_EQ(ChooseTitle(Pages({""}), {}, "DP/FPA/2031/1", "y.pdf").source, "file_name");
}

TEST(ChooseDate, PrefersADateLabelledAsTheDocumentsOwn) {
  DateChoice date = ChooseDate(Pages({"RESPONSE\nEvaluation report issued: 2 September 2025\n"
                                      "Date of this response: 14 October 2025\n"}),
                               "", "RESPONSE");
  EXPECT_EQ(date.value, "2025-10-14");
  EXPECT_EQ(date.source, "cover");
}

TEST(ChooseDate, PassesOverTheDateInTheTitleForThePublicationDate) {
  const std::string title = "Engine failure near Lakeside, 25 July 2007";
  DateChoice date = ChooseDate(Pages({"Engine failure near Lakeside,\n25 July 2007\n", "Engine failure near Lakeside,\n25 July 2007\n",
                                      "Publication date\n1 April 2009\n"}),
                               "", title);
  EXPECT_EQ(date.value, "2009-04-01");
  EXPECT_EQ(date.source, "front_matter");
}

TEST(ChooseDate, TakesTheMetadataDateOnlyWhenTheTextNamesItsYear) {
  std::vector<PageText> undated = Pages({"Review of coordination\nThe review covered the years 2017 and 2018.\n"});
  DateChoice none = ChooseDate(undated, "2031-11-24T14:00:33Z", "Review of coordination");
  EXPECT_EQ(none.value, "");
  EXPECT_EQ(none.source, "");
  std::vector<PageText> named = Pages({"Review of coordination\nThe review covered the year 2022.\n"});
  DateChoice meta = ChooseDate(named, "2022-06-29T17:57:20Z", "Review of coordination");
  EXPECT_EQ(meta.value, "2022-06-29");
  EXPECT_EQ(meta.source, "metadata");
}

TEST(ChooseDate, ReadsADateInATableCellUnderItsColumnHeader) {
  DateChoice date = ChooseDate(Pages({"Engine failure near Lakeside\n", "Report No.\tPublication date\tPages\n"
                                      "XY-2031-7\t1 April 2033\t29\n"}),
                               "", "Engine failure near Lakeside");
  EXPECT_EQ(date.value, "2033-04-01");
  EXPECT_EQ(date.source, "front_matter");
  DateChoice cell = ChooseDate(Pages({"Economic Council\tDistr.: General 3 January 2031\t\nFirst session\n"}), "", "x");
  EXPECT_EQ(cell.value, "2031-01-03");
}

TEST(ChooseDate, TakesTheMetadataDateWhenTheTextNamesNoYearAtAll) {
  DateChoice date = ChooseDate(Pages({"Response matrix\nThe project should inform migrants better.\n"}), "2031-06-29T17:57:20Z", "x");
  EXPECT_EQ(date.value, "2031-06-29");
  EXPECT_EQ(date.source, "metadata");
}

TEST(ChooseDate, GivesACoverDateWithoutAYearTheMetadataYear) {
  std::vector<PageText> pages =
      Pages({"Response to the Review\nVersion 2.3 - Friday 7th June\nFINAL DRAFT\n", "The review of 2018 made ten recommendations.\n"});
  DateChoice date = ChooseDate(pages, "2019-10-21T12:00:00Z", "Response to the Review");
  EXPECT_EQ(date.value, "2019-06-07");
  EXPECT_EQ(date.source, "cover");
  // Not when the file was made before that day: the year is then unknown (and the text never names 2019).
  EXPECT_EQ(ChooseDate(pages, "2019-02-01T12:00:00Z", "Response to the Review").source, "");
}

TEST(ChooseDate, ReadsSpanishAndFrenchCoverDates) {
  EXPECT_EQ(ChooseDate(Pages({"Informe de evaluación\nmarzo de 2023\n"}), "", "Informe de evaluación").value, "2023-03");
  EXPECT_EQ(ChooseDate(Pages({"Rapport d'évaluation\nPréparé par : un cabinet\nOctobre 2020\n"}), "", "Rapport d'évaluation").value,
            "2020-10");
}

}  // namespace
}  // namespace dossier
