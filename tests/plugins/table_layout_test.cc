// Table reconstruction from word boxes (plugins/pdf/table_layout.h), on pages
// laid out here word by word: wrapped cells, cells centred in their row, a
// row label in the first column, and text around the table.
#include <gtest/gtest.h>

#include <limits>
#include <sstream>
#include <tuple>

#include "table_layout.h"

namespace dossier_tables {
namespace {

constexpr double kHeight = 14.3;  // a word box of 11 pt text
constexpr double kPitch = 12.7;   // line to line inside a cell
constexpr double kSpace = 2.7;    // a word space

// Lays out `text` from (x, y), word after word, with ~6 pt per character.
void Put(std::vector<Word>* words, double x, double y, const std::string& text) {
  std::istringstream in(text);
  for (std::string w; in >> w;) {
    const double width = 6.0 * w.size();
    words->push_back({w, x, y, x + width, y + kHeight});
    x += width + kSpace;
  }
}

// The same for an OCR'd page at 300 dpi: Tesseract's boxes, in pixels.
constexpr double kPxHeight = 33, kPxChar = 17, kPxSpace = 14;
constexpr TableOptions kOcr{.jitter = 0.08};

// Lays out `text` from (x, y) in pixels; returns where the last word ends.
double PutPx(std::vector<Word>* words, double x, double y, const std::string& text) {
  std::istringstream in(text);
  double end = x;
  for (std::string w; in >> w;) {
    const double width = kPxChar * w.size();
    words->push_back({w, x, y, x + width, y + kPxHeight});
    end = x + width;
    x = end + kPxSpace;
  }
  return end;
}

TEST(TableLayoutTest, OneWideWordSpaceOnOneLineIsNoColumn) {
  // An OCR box of a one-letter word sits off centre: the space after it is
  // as wide as a narrow gutter, on that line only.
  std::vector<Word> words;
  PutPx(&words, 240, 100, "Key action");
  PutPx(&words, 1560, 100, "Time frame");
  PutPx(&words, 1830, 100, "Unit");
  PutPx(&words, 2120, 100, "Status");
  double x = PutPx(&words, 240, 160, "1.1 Set up a");
  PutPx(&words, x + 24, 160, "working group with the national offices");
  PutPx(&words, 1560, 160, "Q1 2026");
  PutPx(&words, 1830, 160, "Unit A");
  PutPx(&words, 2120, 160, "Completed");
  PutPx(&words, 240, 210, "and the regional bodies of the four member");
  PutPx(&words, 240, 260, "countries.");
  PutPx(&words, 240, 320, "1.2 Publish a first draft.");
  PutPx(&words, 1560, 320, "By June 2026");
  PutPx(&words, 1830, 320, "Planning");
  PutPx(&words, 2120, 320, "Initiated");

  std::vector<Table> tables = FindTables(words, kOcr);
  ASSERT_EQ(tables.size(), 1u);
  EXPECT_EQ(TableText(tables[0]),
            "Key action\tTime frame\tUnit\tStatus\n"
            "1.1 Set up a working group with the national offices and the regional bodies of the four member "
            "countries.\tQ1 2026\tUnit A\tCompleted\n"
            "1.2 Publish a first draft.\tBy June 2026\tPlanning\tInitiated\n");
}

TEST(TableLayoutTest, ALineAcrossAColumnStartEndsTheTable) {
  // The second column is empty on the table's first line; its cells start
  // at one x on the lines below. A signature line under the table runs
  // across that x, with word spaces inside the gutter before it.
  std::vector<Word> words;
  PutPx(&words, 240, 200, "4.1 Agree a joint plan with the partner");
  PutPx(&words, 1590, 200, "Field office for");
  PutPx(&words, 1368, 226, "Ongoing");
  PutPx(&words, 2150, 226, "Initiated");
  PutPx(&words, 240, 252, "organisations of the region.");
  PutPx(&words, 1590, 252, "the north");
  PutPx(&words, 240, 312, "4.2 Publish the yearly report.");
  PutPx(&words, 1366, 312, "May 2027");
  PutPx(&words, 1590, 312, "Field office");
  PutPx(&words, 2150, 312, "Not started");
  const double end = PutPx(&words, 240, 377, "Signed for the board of the fund: head of finance, on 19 June 2025, at noon");
  ASSERT_GT(end, 1400);  // it runs across the second column's start
  ASSERT_LT(end, 1490);  // but not into the third column

  std::vector<Table> tables = FindTables(words, kOcr);
  ASSERT_EQ(tables.size(), 1u);
  EXPECT_EQ(TableText(tables[0]),
            "4.1 Agree a joint plan with the partner organisations of the region.\tOngoing\tField office for the north\t"
            "Initiated\n"
            "4.2 Publish the yearly report.\tMay 2027\tField office\tNot started\n");
  EXPECT_LT(tables[0].bottom, 377);
}

TEST(TableLayoutTest, ItemLabelsInANarrowColumnAfterASpanningCellStartTheRows) {
  // "Level | No. | Recommendation": the level cell spans several rows (its
  // words sit anywhere beside them), the numbers stand in a column of their
  // own, and rows follow each other as closely as a cell's own lines.
  std::vector<Word> words;
  Put(&words, 60, 100, "Level");
  Put(&words, 190, 100, "Recommendation");
  double y = 100 + kPitch + 4;
  const char* texts[][2] = {{"Improve the targeting of the", "beneficiaries with local authorities;"},
                            {"Strengthen the communication on", "the credit process;"},
                            {"Shorten the disbursement time", "to one month;"}};
  for (int r = 0; r < 3; ++r) {
    Put(&words, 172, y, std::to_string(r + 1) + ".");
    Put(&words, 190, y, texts[r][0]);
    Put(&words, 190, y + kPitch, texts[r][1]);
    y += 2 * kPitch;
  }
  Put(&words, 60, 100 + kPitch + 4 + kPitch, "Strategy and");
  Put(&words, 60, 100 + kPitch + 4 + 2.5 * kPitch, "delivery");

  std::vector<Table> tables = FindTables(words);
  ASSERT_EQ(tables.size(), 1u);
  ASSERT_EQ(tables[0].rows.size(), 4u) << TableText(tables[0]);
  EXPECT_EQ(tables[0].rows[1][1], "1.");
  EXPECT_EQ(tables[0].rows[1][2], "Improve the targeting of the beneficiaries with local authorities;");
  EXPECT_EQ(tables[0].rows[2][2], "Strengthen the communication on the credit process;");
  EXPECT_EQ(tables[0].rows[3][1], "3.");
  EXPECT_EQ(tables[0].rows[3][2], "Shorten the disbursement time to one month;");
}

TEST(TableLayoutTest, RowsNumberedInTheMarginWithParagraphsAndAStatusFarRight) {
  // "No. | Recommendation | Response": each row a number in the margin, a
  // text of paragraphs apart by blank lines, and a short status beside them
  // far right (a line of its own, between two lines of text); the first
  // lines continue the row begun on the page before.
  std::vector<Word> words;
  Put(&words, 100, 60, "Report of the review, version 2");  // running header
  double y = 100;
  auto text = [&](const std::string& line) {
    Put(&words, 70, y, line);
    y += kPitch;
  };
  text("that the register is kept up to date by every");
  text("office of the board.");
  y += kPitch;  // a paragraph break inside the cell
  text("Detail: the register lists each dataset.");
  y += kPitch;
  Put(&words, 50, y, "3");
  text("The Board should appoint a chief data officer who");
  Put(&words, 420, y - kPitch / 2, "Accept in part");
  text("reports to the chair every quarter.");
  y += kPitch;
  text("Detail: the officer leads the data team.");
  Put(&words, 50, y, "4");
  text("The Board should publish its datasets under an open");
  Put(&words, 420, y, "Accept");
  text("licence by the end of the year.");
  Put(&words, 240, y + 3 * kPitch, "12");  // page number

  std::vector<Table> tables = FindTables(words);
  ASSERT_EQ(tables.size(), 1u);
  ASSERT_EQ(tables[0].rows.size(), 3u) << TableText(tables[0]);
  EXPECT_EQ(tables[0].rows[0][0], "");
  EXPECT_EQ(tables[0].rows[0][1],
            "that the register is kept up to date by every office of the board. Detail: the register lists each dataset.");
  EXPECT_EQ(tables[0].rows[1][0], "3");
  EXPECT_EQ(tables[0].rows[1][1],
            "The Board should appoint a chief data officer who reports to the chair every quarter. Detail: the officer "
            "leads the data team.");
  EXPECT_EQ(tables[0].rows[1][2], "Accept in part");
  EXPECT_EQ(tables[0].rows[2][0], "4");
  EXPECT_EQ(tables[0].rows[2][2], "Accept");
  EXPECT_EQ(tables[0].top, 100);  // from the first line of text, not the running header
}

TEST(TableLayoutTest, AHangingNumberedListWithoutAColumnBesideItIsNoTable) {
  std::vector<Word> words;
  double y = 100;
  for (int item = 1; item <= 3; ++item) {
    Put(&words, 50, y, std::to_string(item));
    Put(&words, 70, y, "The Board should review the way it keeps its");
    Put(&words, 70, y + kPitch, "registers and report on them.");
    y += 3 * kPitch;
  }
  EXPECT_TRUE(FindTables(words).empty());
}

TEST(TableLayoutTest, AWrappedLineOpeningWithAYearIsNoNewRow) {
  std::vector<Word> words;
  Put(&words, 58, 100, "Key action");
  Put(&words, 330, 100, "Unit");
  Put(&words, 420, 100, "Due");
  Put(&words, 510, 100, "Status");
  double y = 100 + kPitch + 6;
  Put(&words, 58, y, "1.1 The plan for 2026 to");
  Put(&words, 330, y, "DAPM");
  Put(&words, 420, y, "June 2025");
  Put(&words, 510, y, "Done");
  Put(&words, 58, y + kPitch, "2029 will set country targets.");
  y += 2 * kPitch + 6;
  Put(&words, 58, y, "1.2 Consult the young people.");
  Put(&words, 330, y, "PG");
  Put(&words, 420, y, "May 2025");
  Put(&words, 510, y, "Open");
  std::vector<Table> tables = FindTables(words);
  ASSERT_EQ(tables.size(), 1u);
  ASSERT_EQ(tables[0].rows.size(), 3u) << TableText(tables[0]);
  EXPECT_EQ(tables[0].rows[1][0], "1.1 The plan for 2026 to 2029 will set country targets.");
}

TEST(TableLayoutTest, RebuildsRowsWithWrappedAndCentredCells) {
  std::vector<Word> words;
  Put(&words, 57, 100, "Management response: Accepted. The steps below follow from it.");
  double y = 130;
  Put(&words, 58, y, "Key action");
  Put(&words, 330, y, "Time frame");
  Put(&words, 420, y - 6, "Responsible");
  Put(&words, 420, y + 6, "unit(s)");
  Put(&words, 510, y, "Status");
  y += kPitch + 10;  // a row padding below "unit(s)"
  // Row 1.1: four lines in the first column, the other cells centred on them.
  Put(&words, 58, y, "1.1 Convene a technical working group with the");
  Put(&words, 58, y + kPitch, "national statistics offices of the four");
  Put(&words, 58, y + 2 * kPitch, "countries and the regional commission.");
  Put(&words, 330, y + kPitch, "Q1 2026");
  Put(&words, 420, y + kPitch, "SDD");
  Put(&words, 510, y + kPitch, "Completed");
  y += 3 * kPitch + 3;
  // Row 1.2: one line of text, a time frame of two lines around it.
  Put(&words, 330, y - kPitch / 2, "By 30 June");
  Put(&words, 58, y, "1.2 Publish a draft module.");
  Put(&words, 420, y, "SDD; PCO");
  Put(&words, 510, y, "Initiated");
  Put(&words, 330, y + kPitch / 2, "2026");
  y += 2 * kPitch + 3;
  Put(&words, 57, y, "Recommendation 2. The office should agree protocols with each ministry of labour before");

  std::vector<Table> tables = FindTables(words);
  ASSERT_EQ(tables.size(), 1u);
  EXPECT_EQ(TableText(tables[0]),
            "Key action\tTime frame\tResponsible unit(s)\tStatus\n"
            "1.1 Convene a technical working group with the national statistics offices of the four countries and "
            "the regional commission.\tQ1 2026\tSDD\tCompleted\n"
            "1.2 Publish a draft module.\tBy 30 June 2026\tSDD; PCO\tInitiated\n");
  EXPECT_GT(tables[0].top, 110);     // the paragraph above is not in it
  EXPECT_LT(tables[0].bottom, y);    // nor the one below
}

// Boxes that are not finite, lie absurdly far off, are inverted or have no
// text (a damaged text layer, an OCR engine's noise; the inputs of
// fuzz/page_layout_fuzzer) are skipped: the table reads as without them.
TEST(TableLayoutTest, NonFiniteAndAbsurdBoxesAreSkipped) {
  // The table of RebuildsRowsWithWrappedAndCentredCells, below.
  std::vector<Word> clean;
  Put(&clean, 57, 100, "Management response: Accepted. The steps below follow from it.");
  Put(&clean, 58, 130, "Key action");
  Put(&clean, 330, 130, "Time frame");
  Put(&clean, 420, 124, "Responsible");
  Put(&clean, 420, 136, "unit(s)");
  Put(&clean, 510, 130, "Status");
  double y = 130 + kPitch + 10;
  Put(&clean, 58, y, "1.1 Convene a technical working group with the");
  Put(&clean, 58, y + kPitch, "national statistics offices of the four");
  Put(&clean, 58, y + 2 * kPitch, "countries and the regional commission.");
  Put(&clean, 330, y + kPitch, "Q1 2026");
  Put(&clean, 420, y + kPitch, "SDD");
  Put(&clean, 510, y + kPitch, "Completed");
  y += 3 * kPitch + 3;
  Put(&clean, 330, y - kPitch / 2, "By 30 June");
  Put(&clean, 58, y, "1.2 Publish a draft module.");
  Put(&clean, 420, y, "SDD; PCO");
  Put(&clean, 510, y, "Initiated");
  Put(&clean, 330, y + kPitch / 2, "2026");
  const double inf = std::numeric_limits<double>::infinity(), nan = std::numeric_limits<double>::quiet_NaN();
  std::vector<Word> words = clean;
  words.push_back({"inf", 100, 160, inf, 174});
  words.push_back({"nan", 200, nan, 240, 200});
  words.push_back({"huge", 58, 190, 70, std::numeric_limits<double>::max()});
  words.push_back({"far", -1e300, 130, 60, 144});
  words.push_back({"inverted", 300, 175, 250, 160});
  words.push_back({"", 300, 160, 320, 174});
  for (double jitter : {0.0, 0.08}) {
    const std::vector<Table> expected = FindTables(clean, {.jitter = jitter}), tables = FindTables(words, {.jitter = jitter});
    ASSERT_EQ(expected.size(), 1u);
    ASSERT_EQ(tables.size(), 1u);
    EXPECT_EQ(TableText(tables[0]), TableText(expected[0]));
  }
}

TEST(TableLayoutTest, RowsWithoutLabelsSplitAtTheWiderGaps) {
  std::vector<Word> words;
  double y = 50;
  Put(&words, 58, y, "Office");
  Put(&words, 250, y, "Contact");
  Put(&words, 420, y, "Due");
  y += kHeight + 4;
  for (const char* office : {"Regional Office", "Country Office", "Liaison Office"}) {
    Put(&words, 58, y, office);
    Put(&words, 250, y, "Head of office");
    Put(&words, 420, y, "31 May 2026");
    y += kHeight + 4;
  }
  std::vector<Table> tables = FindTables(words);
  ASSERT_EQ(tables.size(), 1u);
  ASSERT_EQ(tables[0].rows.size(), 4u);
  EXPECT_EQ(tables[0].rows[2], (std::vector<std::string>{"Country Office", "Head of office", "31 May 2026"}));
}

TEST(TableLayoutTest, LeavesProseAndTwoColumnPagesAlone) {
  std::vector<Word> words;
  for (int line = 0; line < 20; ++line) {
    Put(&words, 57, 50 + line * kPitch, "The evaluation found that the programme worked well in most districts");
  }
  EXPECT_TRUE(FindTables(words).empty());
  words.clear();
  for (int line = 0; line < 30; ++line) {
    Put(&words, 57, 50 + line * kPitch, "Left column text runs on here");
    Put(&words, 320, 50 + line * kPitch, "Right column text runs on too");
  }
  EXPECT_TRUE(FindTables(words).empty()) << "two columns of prose are not a table";
}

// One text line of 11-point words at `y`: (text, x0, x1) each.
std::vector<Word> Line(double y, std::vector<std::tuple<const char*, double, double>> words) {
  std::vector<Word> out;
  for (auto [text, x0, x1] : words) out.push_back({text, x0, y, x1, y + 11});
  return out;
}

// The words of several lines, top to bottom.
std::vector<Word> Lines(std::initializer_list<std::vector<Word>> lines) {
  std::vector<Word> out;
  for (const auto& line : lines) out.insert(out.end(), line.begin(), line.end());
  return out;
}

TEST(TableLayoutTest, OneWordSpaceIsNoGutterEvenWhereTwoWordsAlignAfterIt) {
  // A wrapped cell whose two lines happen to start their second words at the
  // same x ("Monitoring and" over "Evaluation Unit", one word space after
  // words of equal width): still one cell.
  const std::vector<Word> words =
      Lines({Line(100, {{"1.1", 50, 62},
                        {"Pilot", 80, 100},
                        {"the", 103, 118},
                        {"tool", 121, 140},
                        {"Monitoring", 200, 253},
                        {"and", 256, 274},
                        {"Q2", 320, 333},
                        {"Done", 380, 405}}),
             Line(114, {{"in", 80, 88}, {"two", 91, 108}, {"Evaluation", 200, 253}, {"Unit", 256, 276}}),
             Line(129, {{"1.2", 50, 62},
                        {"Extend", 80, 110},
                        {"it", 113, 120},
                        {"Legal", 200, 226},
                        {"Unit", 229, 249},
                        {"Q3", 320, 333},
                        {"Done", 380, 405}})});
  std::vector<Table> tables = FindTables(words);
  ASSERT_EQ(tables.size(), 1u);
  ASSERT_EQ(tables[0].rows.size(), 2u) << TableText(tables[0]);
  EXPECT_EQ(tables[0].rows[0],
            (std::vector<std::string>{"1.1", "Pilot the tool in two", "Monitoring and Evaluation Unit", "Q2", "Done"}))
      << TableText(tables[0]);
}

TEST(TableLayoutTest, RowsSpacedLikeTheirOwnLinesKeepAWrappedCellInTheRowAbove) {
  // Top-aligned cells, no extra space between rows: the second line of row
  // 1.1 sits exactly halfway between the labels 1.1 and 1.2.
  const std::vector<Word> words = Lines({Line(100, {{"1.1", 50, 62},
                                                    {"Pilot", 80, 100},
                                                    {"the", 103, 118},
                                                    {"tool", 121, 140},
                                                    {"Planning", 200, 240},
                                                    {"Q2", 320, 333},
                                                    {"Done", 380, 405}}),
                                         Line(114, {{"in", 80, 88}, {"two", 91, 108}, {"Unit", 200, 220}}),
                                         Line(128, {{"1.2", 50, 62},
                                                    {"Extend", 80, 110},
                                                    {"it", 113, 120},
                                                    {"Legal", 200, 226},
                                                    {"Office", 229, 258},
                                                    {"Q3", 320, 333},
                                                    {"Done", 380, 405}})});
  std::vector<Table> tables = FindTables(words);
  ASSERT_EQ(tables.size(), 1u);
  ASSERT_EQ(tables[0].rows.size(), 2u) << TableText(tables[0]);
  EXPECT_EQ(tables[0].rows[0],
            (std::vector<std::string>{"1.1", "Pilot the tool in two", "Planning Unit", "Q2", "Done"}))
      << TableText(tables[0]);
  EXPECT_EQ(tables[0].rows[1], (std::vector<std::string>{"1.2", "Extend it", "Legal Office", "Q3", "Done"}))
      << TableText(tables[0]);
}

TEST(TableLayoutTest, TopAlignedRowsKeepEveryLineOfATallCell) {
  // Every label's line has a word in every column (cells top-aligned); row
  // 3.1's action wraps over three lines, below the midpoint to label 3.2.
  const std::vector<Word> words = Lines({Line(100, {{"3.1", 50, 62},
                                                    {"Revise", 80, 110},
                                                    {"the", 113, 128},
                                                    {"Planning", 200, 240},
                                                    {"Q1", 320, 333},
                                                    {"Done", 380, 405}}),
                                         Line(114, {{"village", 80, 112}, {"criteria", 115, 150}, {"Unit", 200, 220}}),
                                         Line(128, {{"phase", 80, 108}}),
                                         Line(143, {{"3.2", 50, 62},
                                                    {"Add", 80, 98},
                                                    {"an", 101, 112},
                                                    {"allowance", 115, 160},
                                                    {"Procurement", 200, 255},
                                                    {"Q3", 320, 333},
                                                    {"Open", 380, 403}}),
                                         Line(157, {{"3.3", 50, 62},
                                                    {"Close", 80, 105},
                                                    {"depots", 108, 140},
                                                    {"Legal", 200, 226},
                                                    {"Q4", 320, 333},
                                                    {"Open", 380, 403}})});
  std::vector<Table> tables = FindTables(words);
  ASSERT_EQ(tables.size(), 1u);
  ASSERT_EQ(tables[0].rows.size(), 3u) << TableText(tables[0]);
  EXPECT_EQ(tables[0].rows[0],
            (std::vector<std::string>{"3.1", "Revise the village criteria phase", "Planning Unit", "Q1", "Done"}))
      << TableText(tables[0]);
  EXPECT_EQ(tables[0].rows[1][1], "Add an allowance") << TableText(tables[0]);
}

TEST(TableLayoutTest, DropsFragmentsInsideALargerWordOnly) {
  std::vector<Word> words = {
      {"Responsible", 100, 50, 220, 70},
      {"unit(s)", 230, 50, 290, 70},
      {":", 251, 49, 255, 55},      // the i-dot of "unit(s)", read as a word of its own
      {"a", 300, 55, 310, 70},      // a short word beside the others, inside none
      {"Office", 100, 80, 160, 100},
      {"of", 165, 80, 168, 100},    // narrow but not inside another box
  };
  DropContainedFragments(&words);
  std::vector<std::string> kept;
  for (const Word& w : words) kept.push_back(w.text);
  EXPECT_EQ(kept, (std::vector<std::string>{"Responsible", "unit(s)", "a", "Office", "of"}));

  // Two boxes of similar size that overlap are both words.
  std::vector<Word> similar = {{"IOM", 10, 10, 40, 25}, {"OM", 15, 10, 40, 25}};
  DropContainedFragments(&similar);
  EXPECT_EQ(similar.size(), 2u);
}

}  // namespace
}  // namespace dossier_tables
