// Page layout (plugins/tables/page_layout.h): prose columns read column by
// column, tables told apart from columns. First on word boxes laid out here,
// then end to end on fixtures generated at test time with
// scripts/make_layout_pdf.py from tests/fixtures/layout/*.json: as text-layer
// PDFs through the pdf plugin (dossier ingest + show --text), and rendered at
// 300 and 200 dpi through the OCR engine. Each fixture comes with its text in
// reading order, and the output is compared with it word by word.
#include <gtest/gtest.h>
#include <poppler/cpp/poppler-document.h>
#include <poppler/cpp/poppler-image.h>
#include <poppler/cpp/poppler-page-renderer.h>
#include <poppler/cpp/poppler-page.h>

#include <algorithm>
#include <limits>
#include <sstream>
#include <string>
#include <vector>

#include "ocr_engine.h"
#include "page_layout.h"
#include "support/test_support.h"

namespace dossier::testing {
namespace {

using dossier_tables::LayOutPage;
using dossier_tables::PageArea;
using dossier_tables::PageLayout;
using dossier_tables::Word;

// Word boxes of 11 pt text in a PDF text layer: ~5.5 pt a character, box
// 10 pt tall, lines 13.5 pt apart.
constexpr double kChar = 5.5, kSpace = 2.8, kBox = 10, kPitch = 13.5;

std::vector<std::string> Split(const std::string& text) {
  std::istringstream in(text);
  std::vector<std::string> words;
  for (std::string w; in >> w;) words.push_back(w);
  return words;
}

// Sets `paragraphs` in a column from (x, y), wrapped at `width`, half a line
// between paragraphs; returns the y below the last line.
double SetColumn(std::vector<Word>* words, double x, double y, double width, const std::vector<std::string>& paragraphs) {
  for (size_t p = 0; p < paragraphs.size(); ++p) {
    if (p) y += kPitch / 2;
    double at = x;
    for (const std::string& w : Split(paragraphs[p])) {
      const double w_width = kChar * w.size();
      if (at > x && at + w_width > x + width) {
        at = x;
        y += kPitch;
      }
      words->push_back({w, at, y, at + w_width, y + kBox});
      at += w_width + kSpace;
    }
    y += kPitch;
  }
  return y;
}

// The words of a layout's areas, area by area, as one string.
std::string Read(const std::vector<Word>& words, const PageLayout& layout) {
  std::string out;
  for (const PageArea& area : layout.areas) {
    if (area.kind == PageArea::kTable) {
      out += "[table]";
      continue;
    }
    for (const Word& w : words) {
      const double cx = (w.x0 + w.x1) / 2, cy = (w.y0 + w.y1) / 2;
      if (cx >= area.x0 && cx <= area.x1 && cy >= area.y0 && cy < area.y1) out += w.text + " ";
    }
    out += "| ";
  }
  return out;
}

const std::vector<std::string> kLeft = {
    "alpha one runs on through the first column of the page and keeps going for a while longer than you think",
    "alpha two is a second paragraph that also fills its lines from edge to edge of the narrow column"};
const std::vector<std::string> kRight = {
    "beta one begins the second column with a sentence long enough to wrap over several lines of text",
    "beta two closes the page with one more paragraph of words that fill the column to its right edge"};

TEST(PageLayoutTest, APageOfOneColumnKeepsTheEnginesOrder) {
  std::vector<Word> words;
  SetColumn(&words, 50, 50, 480, {kLeft[0] + " " + kRight[0], kLeft[1] + " " + kRight[1]});
  const PageLayout layout = LayOutPage(words);
  EXPECT_EQ(layout.column_regions, 0u);
  EXPECT_TRUE(layout.areas.empty());
}

TEST(PageLayoutTest, TwoColumnsAreReadOneAfterTheOther) {
  // The right column's paragraph gap falls elsewhere, so its lines sit half
  // a line off the left column's from there on.
  std::vector<Word> words;
  SetColumn(&words, 50, 50, 220, kLeft);
  SetColumn(&words, 300, 50, 220, {kRight[0] + " " + kRight[1] + " and more words here"});
  const PageLayout layout = LayOutPage(words);
  ASSERT_EQ(layout.column_regions, 1u);
  const std::string read = Read(words, layout);
  EXPECT_LT(read.find("alpha two"), read.find("beta one")) << read;
  EXPECT_LT(read.find("edge of the narrow column"), read.find("beta one")) << read;
  EXPECT_EQ(read.find("alpha one runs on through the first column"), 0u) << read;
}

// Found by fuzz/page_layout_fuzzer: a word box with an infinite edge made
// the column grid's size an out-of-range conversion (undefined behaviour,
// then a grid of any size). Boxes that are not finite, lie absurdly far off,
// are empty or inverted, or have no text are now skipped: the page reads as
// it would without them.
TEST(PageLayoutTest, NonFiniteAndAbsurdBoxesAreSkipped) {
  std::vector<Word> clean;
  SetColumn(&clean, 50, 50, 220, kLeft);
  SetColumn(&clean, 300, 50, 220, {kRight[0] + " " + kRight[1] + " and more words here"});
  const double inf = std::numeric_limits<double>::infinity(), nan = std::numeric_limits<double>::quiet_NaN();
  const double huge = std::numeric_limits<double>::max();
  std::vector<Word> words = clean;
  words.push_back({"inf", 50, 100, inf, 110});  // the fuzzer's input: x1 = +inf
  words.push_back({"ninf", -inf, 120, 60, 130});
  words.push_back({"nan", nan, 140, 90, 150});
  words.push_back({"huge", 50, 160, 90, huge});
  words.push_back({"far", 1e300, 170, 2e300, 180});
  words.push_back({"inverted", 300, 300, 250, 280});
  words.push_back({"", 100, 400, 140, 414});
  const PageLayout expected = LayOutPage(clean), layout = LayOutPage(words);
  ASSERT_EQ(layout.column_regions, 1u);
  EXPECT_EQ(Read(clean, layout), Read(clean, expected));
  for (double jitter : {0.0, 0.08}) EXPECT_EQ(LayOutPage(words, {.jitter = jitter}).column_regions, 1u);
}

// Words far apart for their height would make a column grid too large to
// count (here 1e6 points across for boxes 1e-300 tall): no grid, no columns.
TEST(PageLayoutTest, WordsFarApartForTheirHeightMakeNoGrid) {
  std::vector<Word> words;
  for (int i = 0; i < 5; ++i) words.push_back({"w", i * 2.5e5, 0, i * 2.5e5 + 1, 1e-300});
  const PageLayout layout = LayOutPage(words);
  EXPECT_EQ(layout.column_regions, 0u);
  EXPECT_TRUE(layout.areas.empty());
}

TEST(PageLayoutTest, ThreeColumnsUnderAFullWidthTitle) {
  std::vector<Word> words;
  words.push_back({"Title", 50, 20, 80, 36});
  words.push_back({"across", 84, 20, 130, 36});
  words.push_back({"the", 134, 20, 160, 36});
  words.push_back({"whole", 164, 20, 210, 36});
  words.push_back({"page", 214, 20, 250, 36});
  words.push_back({"width,", 254, 20, 300, 36});
  words.push_back({"overall", 304, 20, 360, 36});
  words.push_back({"heading", 364, 20, 420, 36});
  SetColumn(&words, 50, 60, 140, {kLeft[0], kRight[1]});
  SetColumn(&words, 210, 60, 140, {kLeft[1], kLeft[0]});
  SetColumn(&words, 370, 60, 140, {kRight[0], kLeft[1]});
  const PageLayout layout = LayOutPage(words);
  ASSERT_EQ(layout.column_regions, 1u);
  const std::string read = Read(words, layout);
  EXPECT_EQ(read.find("Title across the whole page"), 0u) << read;
  EXPECT_LT(read.find("longer than you think"), read.find("alpha two")) << read;
  EXPECT_LT(read.find("alpha two"), read.find("beta one")) << read;
  EXPECT_TRUE(layout.tables.empty()) << "three prose columns are not a table";
}

TEST(PageLayoutTest, AFullWidthTableBetweenColumnsIsReadBetweenThem) {
  // The table's first gap runs on from the columns' gutter (x 270-300).
  std::vector<Word> words;
  double y = SetColumn(&words, 50, 50, 220, {kLeft[0]});
  SetColumn(&words, 300, 50, 220, {kRight[0]});
  y += kPitch;
  const std::vector<std::vector<std::string>> rows = {{"Action", "Unit", "Due", "Status"},
                                                      {"Train", "Regional office", "June 2025", "Ongoing"},
                                                      {"Publish", "Programme unit", "March 2025", "Done"},
                                                      {"Report", "District office", "May 2025", "Late"}};
  const double columns[] = {50, 300, 400, 480};
  for (const auto& row : rows) {
    for (size_t c = 0; c < row.size(); ++c) {
      double x = columns[c];
      for (const std::string& w : Split(row[c])) {
        words.push_back({w, x, y, x + kChar * w.size(), y + kBox});
        x += kChar * w.size() + kSpace;
      }
    }
    y += kPitch + 4;
  }
  y += kPitch;
  SetColumn(&words, 50, y, 220, {kLeft[1]});
  SetColumn(&words, 300, y, 220, {kRight[1]});
  const PageLayout layout = LayOutPage(words);
  EXPECT_EQ(layout.column_regions, 2u);
  ASSERT_EQ(layout.tables.size(), 1u);
  const std::string read = Read(words, layout);
  const size_t table = read.find("[table]");
  EXPECT_LT(read.find("beta one"), table) << read;
  EXPECT_GT(read.find("alpha two"), table) << read;
  EXPECT_LT(read.find("alpha two"), read.find("beta two")) << read;
  EXPECT_EQ(layout.tables[0].rows.size(), 4u);
  EXPECT_EQ(layout.tables[0].rows[1][1], "Regional office");
}

TEST(PageLayoutTest, ATableOfLongCellsUnderAHeaderRowIsATableNotColumns) {
  // Three columns as wide as prose columns, every cell wrapped: the rows
  // start together in every column, a little apart, under a header row.
  std::vector<Word> words;
  double y = 50;
  auto row = [&](const std::vector<std::string>& cells) {
    double bottom = y;
    for (size_t c = 0; c < cells.size(); ++c) bottom = std::max(bottom, SetColumn(&words, 50 + 165.0 * c, y, 150, {cells[c]}));
    y = bottom + 5;
  };
  row({"Recommendation", "Response", "Comments"});
  row({kLeft[0], kRight[0], kLeft[1]});
  row({kRight[1], kLeft[0], kRight[0]});
  row({kLeft[1], kRight[1], kLeft[0]});
  const PageLayout layout = LayOutPage(words);
  EXPECT_EQ(layout.column_regions, 0u);
  ASSERT_EQ(layout.tables.size(), 1u);
  ASSERT_EQ(layout.tables[0].rows.size(), 4u);
  EXPECT_EQ(layout.tables[0].rows[0][1], "Response");
  EXPECT_EQ(layout.tables[0].rows[2][0], kRight[1]);
}

TEST(PageLayoutTest, AKeyActionTableIsNoTwoColumnProse) {
  // The top of a scanned page (300 dpi, OCR word boxes): the end of a
  // key-action table continued from the page before. The gap after the wide
  // action column runs down the table like a gutter, but the right-hand
  // side is cells with wide gaps between them, not a column of prose.
  const double boxes[][4] = {
      {1369, 133, 1473, 167}, {243, 201, 297, 232}, {312, 201, 422, 242}, {436, 209, 454, 232}, {465, 201, 551, 241},
      {563, 199, 768, 241}, {781, 199, 858, 241}, {871, 199, 951, 232}, {964, 199, 1019, 232}, {1033, 200, 1106, 232},
      {1120, 199, 1283, 241}, {1590, 199, 1752, 241}, {1767, 198, 1881, 232}, {1896, 198, 1947, 232},
      {1962, 199, 2065, 232}, {244, 251, 358, 284}, {373, 251, 425, 284}, {438, 253, 532, 284}, {545, 253, 701, 284},
      {715, 251, 779, 284}, {792, 251, 846, 284}, {860, 251, 1056, 284}, {1589, 252, 1745, 284}, {1759, 251, 1909, 292},
      {243, 318, 297, 349}, {313, 316, 448, 349}, {461, 316, 515, 349}, {530, 316, 602, 349}, {615, 316, 734, 349},
      {748, 316, 896, 349}, {1368, 316, 1462, 358}, {1478, 317, 1566, 349}, {1590, 317, 1720, 355},
      {1737, 317, 1825, 349}, {1369, 226, 1527, 267}, {2157, 225, 2306, 257}, {2156, 318, 2223, 349},
      {2237, 316, 2356, 349}};
  std::vector<Word> words;
  int n = 0;
  for (const auto& b : boxes) words.push_back({"w" + std::to_string(n++), b[0], b[1], b[2], b[3]});
  const PageLayout layout = LayOutPage(words, {.jitter = 0.08});
  EXPECT_EQ(layout.column_regions, 0u) << Read(words, layout);
  EXPECT_EQ(layout.tables.size(), 1u);
}

// ---- Fixtures generated at test time ----

// Word error rate of `got` against `reference` (word-level edit distance
// over the reference's length; white space folded, tabs included).
double WordErrorRate(const std::string& reference, const std::string& got) {
  const std::vector<std::string> a = Split(reference), b = Split(got);
  std::vector<size_t> prev(b.size() + 1), cur(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) prev[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    cur[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)});
    }
    std::swap(prev, cur);
  }
  return a.empty() ? 0 : static_cast<double>(prev[b.size()]) / a.size();
}

struct Fixture {
  std::string pdf, reference;
};

Fixture MakeFixture(const TempDir& tmp, const std::string& name) {
  Fixture f{tmp / (name + ".pdf"), ""};
  CommandResult r = Run({DOSSIER_PYTHON, std::string(DOSSIER_SOURCE_DIR) + "/scripts/make_layout_pdf.py",
                         std::string(DOSSIER_SOURCE_DIR) + "/tests/fixtures/layout/" + name + ".json", f.pdf,
                         "--reference", tmp / (name + ".txt")});
  EXPECT_EQ(r.exit_code, 0) << "make_layout_pdf.py failed: " << r.err;
  f.reference = ReadFile(tmp / (name + ".txt"));
  return f;
}

std::string PageTextOf(const TempDir& tmp, const std::string& pdf) {
  CommandResult ingest = RunDossier(tmp / "data", {"ingest", "-q", pdf});
  EXPECT_EQ(ingest.exit_code, 0) << ingest.err;
  CommandResult show = RunDossier(tmp / "data", {"show", "--text", pdf});
  EXPECT_EQ(show.exit_code, 0) << show.err;
  return show.out;
}

class LayoutFixtureTest : public ::testing::TestWithParam<const char*> {};

TEST_P(LayoutFixtureTest, TheTextLayerComesOutInReadingOrder) {
  TempDir tmp;
  const Fixture f = MakeFixture(tmp, GetParam());
  const std::string text = PageTextOf(tmp, f.pdf);
  // Word for word the reference.
  EXPECT_EQ(WordErrorRate(f.reference, text), 0.0) << text;
}

INSTANTIATE_TEST_SUITE_P(Fixtures, LayoutFixtureTest,
                         ::testing::Values("two_columns", "three_columns", "title_two_columns", "two_columns_table",
                                           "wide_table"));

TEST(LayoutFixtureTest, ATableBetweenColumnsKeepsItsRowsAsTabbedLines) {
  TempDir tmp;
  const Fixture f = MakeFixture(tmp, "two_columns_table");
  const std::string text = PageTextOf(tmp, f.pdf);
  EXPECT_NE(text.find("Key action\tResponsible unit\tTime frame\tStatus\n"), std::string::npos) << text;
  EXPECT_NE(text.find("Publish a bookkeeping guide in the local language\tProgramme unit\tBy March 2025\tNot started\n"),
            std::string::npos)
      << text;
}

// The page of a fixture PDF rendered in grey at `dpi`, read by the OCR
// engine (with its clean-up: a 200 dpi page is rescaled to 300 first).
std::string OcrFixture(const std::string& pdf, double dpi) {
  std::unique_ptr<poppler::document> doc(poppler::document::load_from_file(pdf));
  if (!doc) return "";
  std::unique_ptr<poppler::page> page(doc->create_page(0));
  poppler::page_renderer renderer;
  renderer.set_render_hint(poppler::page_renderer::antialiasing, true);
  renderer.set_render_hint(poppler::page_renderer::text_antialiasing, true);
  renderer.set_image_format(poppler::image::format_gray8);
  poppler::image image = renderer.render_page(page.get(), dpi, dpi);
  dossier_page_image pixels{static_cast<uint32_t>(image.width()), static_cast<uint32_t>(image.height()), 1,
                            static_cast<uint32_t>(image.bytes_per_row()),
                            reinterpret_cast<const unsigned char*>(image.const_data()), static_cast<float>(dpi)};
  dossier_ocr::PixPtr pix = dossier_ocr::PixFromImage(pixels);
  std::string error;
  auto engine = dossier_ocr::Engine::Create("eng", &error);
  EXPECT_TRUE(engine) << error;
  if (!engine) return "";
  float clean_dpi = 0;
  std::vector<std::string> notes;
  dossier_ocr::PixPtr clean = dossier_ocr::CleanPage(pix.get(), static_cast<float>(dpi), {}, &clean_dpi, &notes);
  dossier_ocr::Recognition result;
  EXPECT_TRUE(engine->Recognise(clean.get(), clean_dpi, &result, &error)) << error;
  return result.text;
}

TEST(LayoutOcrTest, ThreeColumnsScannedAt300DpiAreReadInOrder) {
  TempDir tmp;
  const Fixture f = MakeFixture(tmp, "three_columns");
  const std::string text = OcrFixture(f.pdf, 300);
  EXPECT_LE(WordErrorRate(f.reference, text), 0.03) << text;
  EXPECT_EQ(text.find('\t'), std::string::npos) << "prose columns read as a table:\n" << text;
}

TEST(LayoutOcrTest, ATableBetweenColumnsScannedAt200DpiKeepsRowsAndOrder) {
  TempDir tmp;
  const Fixture f = MakeFixture(tmp, "two_columns_table");
  const std::string text = OcrFixture(f.pdf, 200);
  EXPECT_LE(WordErrorRate(f.reference, text), 0.05) << text;
  EXPECT_NE(text.find("Key action\tResponsible unit\tTime frame\tStatus"), std::string::npos) << text;
}

TEST(LayoutOcrTest, ATableOfLongCellsScannedAt200DpiIsReadRowByRow) {
  TempDir tmp;
  const Fixture f = MakeFixture(tmp, "wide_table");
  const std::string text = OcrFixture(f.pdf, 200);
  EXPECT_LE(WordErrorRate(f.reference, text), 0.05) << text;
}

}  // namespace
}  // namespace dossier::testing
