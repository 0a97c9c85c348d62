// The ocr plugin and its engine: clean-up steps on pages the test renders and
// distorts itself, recognition, image files, scanned and mixed PDFs, and bad
// input. Page images are made at test time: text PDFs from make_pdf.py are
// rendered with Poppler and then skewed, turned or scaled with Leptonica.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <leptonica/allheaders.h>
#include <poppler/cpp/poppler-document.h>
#include <poppler/cpp/poppler-image.h>
#include <poppler/cpp/poppler-page-renderer.h>
#include <poppler/cpp/poppler-page.h>

#include <cmath>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "dossier/ingest.h"
#include "dossier/store.h"
#include "image_size.h"
#include "ocr_engine.h"
#include "ocr_reader.h"
#include "support/test_support.h"

namespace dossier::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using dossier_ocr::PixPtr;

constexpr char kPageText[] =
    "EVALUATION OF THE WATER PROGRAMME\n"
    "\n"
    "The evaluation found that the regional office managed the programme\n"
    "well, but the monitoring of wells and latrines was weak in three\n"
    "districts. Recommendation 1: the country office should hire two\n"
    "monitoring officers before the end of the year and report on the\n"
    "findings of every field visit to the steering committee.\n"
    "Recommendation 2: headquarters should publish the final report.\n";

// The top of page 1 of a PDF holding `text`, rendered in grey at `dpi`.
PixPtr RenderTextPage(const std::string& text, double dpi, const PdfOptions& options = {}) {
  TempDir tmp;
  MakePdf(tmp / "page.pdf", text, options);
  std::unique_ptr<poppler::document> doc(poppler::document::load_from_file(tmp / "page.pdf"));
  if (!doc) return nullptr;
  std::unique_ptr<poppler::page> page(doc->create_page(0));
  poppler::page_renderer renderer;
  renderer.set_render_hint(poppler::page_renderer::antialiasing, true);
  renderer.set_render_hint(poppler::page_renderer::text_antialiasing, true);
  renderer.set_image_format(poppler::image::format_gray8);
  poppler::image image = renderer.render_page(page.get(), dpi, dpi);
  dossier_page_image pixels{static_cast<uint32_t>(image.width()), static_cast<uint32_t>(image.height()), 1,
                            static_cast<uint32_t>(image.bytes_per_row()),
                            reinterpret_cast<const unsigned char*>(image.const_data()), static_cast<float>(dpi)};
  PixPtr full = dossier_ocr::PixFromImage(pixels);
  // The text sits in the top quarter; OCR of the blank rest only costs time.
  BOX* top = boxCreate(0, 0, pixGetWidth(full.get()), pixGetHeight(full.get()) / 4);
  PixPtr clipped(pixClipRectangle(full.get(), top, nullptr));
  boxDestroy(&top);
  pixSetResolution(clipped.get(), static_cast<int>(dpi), static_cast<int>(dpi));
  return clipped;
}

std::string Recognise(const Pix* pix, float dpi, const dossier_ocr::CleanOptions& clean,
                      std::vector<std::string>* notes) {
  std::string error;
  auto engine = dossier_ocr::Engine::Create("eng", &error);
  EXPECT_TRUE(engine) << error;
  if (!engine) return "";
  float clean_dpi = 0;
  PixPtr cleaned = dossier_ocr::CleanPage(pix, dpi, clean, &clean_dpi, notes);
  dossier_ocr::Recognition result;
  EXPECT_TRUE(engine->Recognise(cleaned.get(), clean_dpi, &result, &error)) << error;
  EXPECT_GT(result.mean_confidence, 50);
  return result.text;
}

std::string Joined(const std::vector<std::string>& notes) {
  std::string out;
  for (const std::string& n : notes) out += n + "; ";
  return out;
}

// An 8-bit grey Pix as the plugin ABI's page image; `pixels` holds the bytes.
dossier_page_image PageImage(const Pix* pix, std::vector<unsigned char>* pixels) {
  Pix* p = const_cast<Pix*>(pix);
  const uint32_t w = pixGetWidth(p), h = pixGetHeight(p);
  pixels->resize(size_t{w} * h);
  for (uint32_t y = 0; y < h; ++y) {
    const l_uint32* line = pixGetData(p) + size_t{y} * pixGetWpl(p);
    for (uint32_t x = 0; x < w; ++x) (*pixels)[size_t{y} * w + x] = static_cast<unsigned char>(GET_DATA_BYTE(line, x));
  }
  return dossier_page_image{w, h, 1, w, pixels->data(), static_cast<float>(pixGetXRes(p))};
}

TEST(OcrEngineTest, ReadsARenderedPage) {
  PixPtr page = RenderTextPage(kPageText, 300);
  ASSERT_TRUE(page);
  std::vector<std::string> notes;
  std::string text = Recognise(page.get(), 300, {}, &notes);
  EXPECT_THAT(text, HasSubstr("EVALUATION OF THE WATER PROGRAMME"));
  EXPECT_THAT(text, HasSubstr("monitoring officers"));
  EXPECT_EQ(Joined(notes), "") << "a clean, straight 300 dpi page needs no turning, deskewing or rescaling";
}

// How a scanned page's lines are set, from the image alone: a heading in a
// larger type reads larger than the body, which reads near its 11 pt, and a
// line in bold reads bold while plain lines do not.
TEST(OcrEngineTest, EstimatesEachLinesTypeSizeAndWeight) {
  const std::string text =
      "[h1] What the review of kelp farming found\n"
      "The body text of the report is set in the plain face of the type.\n"
      "[b] A lead sentence set in the bold face of the type.\n"
      "More plain text follows the lead sentence in the body of it.\n"
      "[h2] Lessons for the next phase\n"
      "And plain text again, with nothing set apart in any way at all.\n";
  for (double dpi : {300.0, 200.0}) {
    SCOPED_TRACE(dpi);
    PixPtr page = RenderTextPage(text, dpi, {.styled = true});
    ASSERT_TRUE(page);
    std::string error;
    auto engine = dossier_ocr::Engine::Create("eng", &error);
    ASSERT_TRUE(engine) << error;
    float clean_dpi = 0;
    std::vector<std::string> notes;
    PixPtr cleaned = dossier_ocr::CleanPage(page.get(), dpi, {}, &clean_dpi, &notes);
    dossier_ocr::Recognition result;
    ASSERT_TRUE(engine->Recognise(cleaned.get(), clean_dpi, &result, &error)) << error;
    // The estimated style of the line holding `words`.
    auto style_of = [&](const std::string& words) -> const dossier_ocr::RecognisedLineStyle* {
      uint32_t n = 0;
      size_t start = 0;
      while (start < result.text.size()) {
        size_t end = result.text.find('\n', start);
        if (end == std::string::npos) end = result.text.size();
        if (result.text.substr(start, end - start).find(words) != std::string::npos) {
          for (const auto& s : result.line_styles) {
            if (s.line == n) return &s;
          }
          return nullptr;
        }
        ++n;
        start = end + 1;
      }
      ADD_FAILURE() << "no line with '" << words << "' in\n" << result.text;
      return nullptr;
    };
    const auto* title = style_of("farming found");
    const auto* subtitle = style_of("next phase");
    const auto* lead = style_of("lead sentence set");
    std::vector<const dossier_ocr::RecognisedLineStyle*> plain = {style_of("body text of the report"),
                                                                  style_of("More plain text"), style_of("And plain text")};
    ASSERT_TRUE(title && subtitle && lead && plain[0] && plain[1] && plain[2]);
    for (const auto* body : plain) {
      EXPECT_NEAR(body->size, 11, 1.5);
      EXPECT_FALSE(body->bold) << body->line;
    }
    EXPECT_GE(title->size, plain[0]->size * 1.3f);
    EXPECT_GE(subtitle->size, plain[0]->size * 1.1f);
    EXPECT_LT(subtitle->size, title->size);
    EXPECT_TRUE(title->bold);
    EXPECT_TRUE(lead->bold);
    EXPECT_NEAR(lead->size, plain[0]->size, 1);
  }
}

// A page of prose inside a ruled frame, as forms and response matrices are
// set: Tesseract reads the rules as "words" of blank text, which must not
// make a table of the frame's sides (one cell holding the whole text, its
// lines out of order).
TEST(OcrEngineTest, ARuledFrameAroundProseIsNoTable) {
  PixPtr page = RenderTextPage(kPageText, 200);
  ASSERT_TRUE(page);
  const int w = pixGetWidth(page.get()), h = pixGetHeight(page.get());
  PixPtr framed(pixConvertTo32(page.get()));
  ASSERT_TRUE(framed);
  BOX* frame = boxCreate(w / 20, h / 20, w - w / 10, h - h / 10);
  ASSERT_EQ(pixRenderBoxArb(framed.get(), frame, 2, 0, 0, 0), 0);
  boxDestroy(&frame);
  PixPtr grey(pixConvertTo8(framed.get(), 0));
  pixSetResolution(grey.get(), 200, 200);
  std::vector<std::string> notes;
  const std::string text = Recognise(grey.get(), 200, {}, &notes);
  EXPECT_EQ(text.find('\t'), std::string::npos) << text;
  const size_t found = text.find("The evaluation found"), weak = text.find("was weak in three"),
               committee = text.find("steering committee");
  ASSERT_NE(found, std::string::npos) << text;
  ASSERT_NE(committee, std::string::npos) << text;
  EXPECT_LT(found, weak) << text;
  EXPECT_LT(weak, committee) << text;
}

TEST(OcrCleanTest, DeskewsASkewedPage) {
  PixPtr page = RenderTextPage(kPageText, 300);
  ASSERT_TRUE(page);
  const float degrees = 2.5f;
  PixPtr skewed(pixRotate(page.get(), degrees * static_cast<float>(M_PI / 180), L_ROTATE_AREA_MAP, L_BRING_IN_WHITE,
                          0, 0));
  std::vector<std::string> notes;
  std::string text = Recognise(skewed.get(), 300, {}, &notes);
  ASSERT_EQ(notes.size(), 1u) << Joined(notes);
  float found = 0;
  ASSERT_EQ(std::sscanf(notes[0].c_str(), "deskewed by %f degrees", &found), 1) << notes[0];
  EXPECT_NEAR(std::fabs(found), degrees, 0.3) << notes[0];
  EXPECT_THAT(text, HasSubstr("monitoring officers"));
  EXPECT_THAT(text, HasSubstr("steering committee"));

  // With deskewing off nothing is reported as done.
  notes.clear();
  dossier_ocr::CleanOptions no_deskew;
  no_deskew.deskew = false;
  float dpi = 0;
  PixPtr untouched = dossier_ocr::CleanPage(skewed.get(), 300, no_deskew, &dpi, &notes);
  EXPECT_EQ(Joined(notes), "");
}

TEST(OcrCleanTest, TurnsAnUpsideDownPage) {
  PixPtr page = RenderTextPage(kPageText, 300);
  ASSERT_TRUE(page);
  PixPtr upside_down(pixRotate180(nullptr, page.get()));
  std::vector<std::string> notes;
  std::string text = Recognise(upside_down.get(), 300, {}, &notes);
  EXPECT_THAT(Joined(notes), HasSubstr("turned 180 degrees"));
  EXPECT_THAT(text, HasSubstr("monitoring officers"));
}

TEST(OcrCleanTest, TurnsASidewaysPage) {
  PixPtr page = RenderTextPage(kPageText, 300);
  ASSERT_TRUE(page);
  PixPtr sideways(pixRotate90(page.get(), 1));
  std::vector<std::string> notes;
  std::string text = Recognise(sideways.get(), 300, {}, &notes);
  EXPECT_THAT(Joined(notes), HasSubstr("turned 90 degrees"));
  EXPECT_THAT(text, HasSubstr("monitoring officers"));
}

TEST(OcrCleanTest, RescalesALowResolutionScan) {
  PixPtr page = RenderTextPage(kPageText, 150);
  ASSERT_TRUE(page);
  std::vector<std::string> notes;
  std::string text = Recognise(page.get(), 150, {}, &notes);
  EXPECT_THAT(Joined(notes), HasSubstr("rescaled from 150 to 300 dpi"));
  EXPECT_THAT(text, HasSubstr("monitoring officers"));
  // Without a stated resolution it is guessed from the width of a page
  // (A4 at 150 dpi, portrait and landscape), or taken to be 300.
  PixPtr a4(pixCreate(1240, 1754, 8)), landscape(pixCreate(1754, 1240, 8)), strip(pixCreate(1240, 300, 8));
  EXPECT_NEAR(dossier_ocr::EffectiveDpi(a4.get(), 0), 1240 / 8.5, 1);
  EXPECT_NEAR(dossier_ocr::EffectiveDpi(landscape.get(), 0), 1240 / 8.5, 1);
  EXPECT_EQ(dossier_ocr::EffectiveDpi(strip.get(), 0), 300);
  EXPECT_EQ(dossier_ocr::EffectiveDpi(strip.get(), 200), 200);
}

// Grey levels of the cleaned page: how many pixels are pure white, how many dark (ink).
struct Levels {
  double white = 0, dark = 0;
};
Levels CountLevels(const Pix* pix) {
  Levels levels;
  Pix* p = const_cast<Pix*>(pix);
  const int w = pixGetWidth(p), h = pixGetHeight(p);
  for (int y = 0; y < h; ++y) {
    const l_uint32* line = pixGetData(p) + size_t(y) * pixGetWpl(p);
    for (int x = 0; x < w; ++x) {
      const int v = GET_DATA_BYTE(line, x);
      levels.white += v == 255;
      levels.dark += v < 128;
    }
  }
  levels.white /= double(w) * h;
  levels.dark /= double(w) * h;
  return levels;
}

TEST(OcrCleanTest, NoiseOnThePaperBecomesWhiteAndTheInkStays) {
  PixPtr page = RenderTextPage(kPageText, 300);
  ASSERT_TRUE(page);
  // Paper grain: every pixel a little darker at random (up to 20 levels), as on a scan.
  PixPtr noisy(pixCopy(nullptr, page.get()));
  uint32_t seed = 12345;
  for (int y = 0; y < pixGetHeight(noisy.get()); ++y) {
    l_uint32* line = pixGetData(noisy.get()) + size_t(y) * pixGetWpl(noisy.get());
    for (int x = 0; x < pixGetWidth(noisy.get()); ++x) {
      seed = seed * 1103515245u + 12345u;
      const int v = GET_DATA_BYTE(line, x) - static_cast<int>((seed >> 16) % 21);
      SET_DATA_BYTE(line, x, std::max(0, v));
    }
  }
  const Levels before = CountLevels(page.get());
  std::vector<std::string> notes;
  float dpi = 0;
  PixPtr cleaned = dossier_ocr::CleanPage(noisy.get(), 300, {}, &dpi, &notes);
  ASSERT_TRUE(cleaned);
  const Levels after = CountLevels(cleaned.get());
  // The paper is white again (the clean rendering's share of white, within a
  // point), and the ink is all there.
  EXPECT_NEAR(after.white, before.white, 0.01);
  EXPECT_NEAR(after.dark, before.dark, before.dark * 0.1);
  EXPECT_THAT(Recognise(noisy.get(), 300, {}, &notes), HasSubstr("monitoring officers"));

  // Without the step, the noise stays on the normalised paper.
  dossier_ocr::CleanOptions no_whiten;
  no_whiten.whiten = false;
  PixPtr grainy = dossier_ocr::CleanPage(noisy.get(), 300, no_whiten, &dpi, &notes);
  EXPECT_LT(CountLevels(grainy.get()).white, before.white - 0.2);
}

TEST(OcrEngineTest, AMissingLanguageModelNamesThePackage) {
  std::string error;
  EXPECT_FALSE(dossier_ocr::Engine::Create("eng+xyz", &error));
  EXPECT_THAT(error, HasSubstr("'xyz' is not installed"));
  EXPECT_THAT(error, HasSubstr("tesseract-ocr-xyz"));
  EXPECT_FALSE(dossier_ocr::Engine::Create("../eng", &error));
  EXPECT_THAT(error, HasSubstr("bad OCR language list"));
}

// ---------------------------------------------------------------- languages

constexpr char kSpanishText[] =
    "EVALUACIÓN DEL PROGRAMA DE AGUA\n"
    "\n"
    "La evaluación concluyó que la oficina regional gestionó bien el programa,\n"
    "pero el seguimiento de los pozos y las letrinas fue débil en tres\n"
    "distritos. Recomendación 1: la oficina del país debería contratar a dos\n"
    "responsables de seguimiento antes de fin de año e informar sobre las\n"
    "conclusiones de cada visita de campo al comité de dirección.\n"
    "Recomendación 2: la sede debería publicar el informe final en español.\n";

constexpr char kFrenchText[] =
    "ÉVALUATION DU PROGRAMME DE L'EAU\n"
    "\n"
    "L'évaluation a montré que le bureau régional a bien géré le programme,\n"
    "mais le suivi des puits et des latrines était faible dans trois\n"
    "districts. Recommandation 1 : le bureau de pays devrait recruter deux\n"
    "chargés de suivi avant la fin de l'année et rendre compte des\n"
    "conclusions de chaque visite de terrain au comité de pilotage.\n"
    "Recommandation 2 : le siège devrait publier le rapport final très bientôt.\n";

std::unique_ptr<dossier_ocr::Reader> MakeReader(const std::string& languages,
                                                dossier_ocr::OcrStrategy strategy = dossier_ocr::OcrStrategy::kDetect) {
  dossier_ocr::ReaderOptions options;
  options.languages = languages;
  options.strategy = strategy;
  std::string error;
  auto reader = dossier_ocr::Reader::Create(options, &error);
  EXPECT_TRUE(reader) << error;
  return reader;
}

std::string ReadWith(dossier_ocr::Reader* reader, const Pix* page, std::vector<std::string>* notes) {
  float dpi = 0;
  PixPtr cleaned = dossier_ocr::CleanPage(page, 300, {}, &dpi, notes);
  dossier_ocr::Recognition result;
  std::string error;
  EXPECT_TRUE(reader->Read(cleaned.get(), dpi, &result, notes, &error)) << error;
  EXPECT_GT(result.mean_confidence, 70);
  return result.text;
}

TEST(OcrLanguageTest, ASpanishPageIsReadAgainInSpanishAndKeepsItsAccents) {
  PixPtr page = RenderTextPage(kSpanishText, 300);
  ASSERT_TRUE(page);
  auto reader = MakeReader("eng+spa");
  ASSERT_TRUE(reader);
  std::vector<std::string> notes;
  std::string text = ReadWith(reader.get(), page.get(), &notes);
  EXPECT_EQ(Joined(notes), "read again as spa; ");
  EXPECT_EQ(reader->recognitions(), 2) << "read with eng first, then with spa";
  EXPECT_EQ(reader->last_language(), "spa");
  EXPECT_THAT(text, HasSubstr("La evaluación concluyó"));
  EXPECT_THAT(text, HasSubstr("Recomendación 1"));
  EXPECT_THAT(text, HasSubstr("comité de dirección"));
  EXPECT_THAT(text, HasSubstr("en español"));

  // The next page starts with the language the last one was in: one reading.
  notes.clear();
  text = ReadWith(reader.get(), page.get(), &notes);
  EXPECT_EQ(Joined(notes), "");
  EXPECT_EQ(reader->recognitions(), 3);
  EXPECT_THAT(text, HasSubstr("La evaluación concluyó"));

  // An English page after it is read in Spanish, found to be English, and read again.
  PixPtr english = RenderTextPage(kPageText, 300);
  notes.clear();
  text = ReadWith(reader.get(), english.get(), &notes);
  EXPECT_EQ(Joined(notes), "read again as eng; ");
  EXPECT_EQ(reader->recognitions(), 5);
  EXPECT_EQ(reader->last_language(), "eng");
  EXPECT_THAT(text, HasSubstr("monitoring officers"));
}

TEST(OcrLanguageTest, AnEnglishPageIsReadOnce) {
  PixPtr page = RenderTextPage(kPageText, 300);
  ASSERT_TRUE(page);
  auto reader = MakeReader("eng+spa+fra");
  ASSERT_TRUE(reader);
  std::vector<std::string> notes;
  std::string text = ReadWith(reader.get(), page.get(), &notes);
  EXPECT_EQ(Joined(notes), "");
  EXPECT_EQ(reader->recognitions(), 1);
  EXPECT_EQ(reader->last_language(), "eng");
  EXPECT_THAT(text, HasSubstr("EVALUATION OF THE WATER PROGRAMME"));
  EXPECT_THAT(text, HasSubstr("monitoring officers"));
}

// An English page naming Spanish bodies: read in English, and the names'
// words the English model did not know read again in Spanish for their accents.
TEST(OcrLanguageTest, SpanishNamesOnAnEnglishPageKeepTheirAccents) {
  PixPtr page = RenderTextPage(
      "The survey was run with the Instituto Nacional de Estadística e Informática\n"
      "and the Departamento Administrativo Nacional de Estadística, which shared\n"
      "their records of migrant workers with the programme office in Lima.\n"
      "The office should publish the comparable statistics every year and train\n"
      "the enumerators of both bodies before the next round of the survey.\n",
      300);
  ASSERT_TRUE(page);
  auto reader = MakeReader("eng+spa");
  ASSERT_TRUE(reader);
  std::vector<std::string> notes;
  std::string text = ReadWith(reader.get(), page.get(), &notes);
  EXPECT_EQ(reader->recognitions(), 1) << "an English page is read once";
  EXPECT_EQ(reader->last_language(), "eng");
  EXPECT_THAT(text, HasSubstr("Nacional de Estadística e Informática"));
  EXPECT_THAT(text, HasSubstr("Administrativo Nacional de Estadística,"));
  EXPECT_THAT(text, HasSubstr("migrant workers"));
  EXPECT_GE(reader->words_accented(), 3) << Joined(notes);
  EXPECT_THAT(Joined(notes), HasSubstr("word(s) read again as spa for their accents"));
  // Without the accents pass, the English model reads the names without them.
  dossier_ocr::ReaderOptions options;
  options.languages = "eng+spa";
  options.accent_confidence = 0;
  std::string error;
  auto plain = dossier_ocr::Reader::Create(options, &error);
  ASSERT_TRUE(plain) << error;
  notes.clear();
  text = ReadWith(plain.get(), page.get(), &notes);
  EXPECT_THAT(text, ::testing::Not(HasSubstr("Estadística e Informática")));
}

TEST(OcrLanguageTest, AFrenchPageIsReadAgainAsFrench) {
  PixPtr page = RenderTextPage(kFrenchText, 300);
  ASSERT_TRUE(page);
  auto reader = MakeReader("eng+spa+fra");
  ASSERT_TRUE(reader);
  std::vector<std::string> notes;
  std::string text = ReadWith(reader.get(), page.get(), &notes);
  EXPECT_EQ(Joined(notes), "read again as fra; ");
  EXPECT_EQ(reader->recognitions(), 2);
  EXPECT_THAT(text, HasSubstr("L'évaluation a montré"));
  EXPECT_THAT(text, HasSubstr("bien géré"));
  EXPECT_THAT(text, HasSubstr("comité de pilotage"));
}

TEST(OcrLanguageTest, TheCombinedStrategyReadsWithEveryModelAtOnce) {
  PixPtr page = RenderTextPage(kSpanishText, 300);
  ASSERT_TRUE(page);
  auto reader = MakeReader("eng+spa", dossier_ocr::OcrStrategy::kCombined);
  ASSERT_TRUE(reader);
  std::vector<std::string> notes;
  std::string text = ReadWith(reader.get(), page.get(), &notes);
  EXPECT_EQ(Joined(notes), "");
  EXPECT_EQ(reader->recognitions(), 1);
  EXPECT_EQ(reader->last_language(), "eng+spa");
  EXPECT_THAT(text, HasSubstr("Recomendación 1"));
  // A single language needs no detection either.
  auto one = MakeReader("spa");
  ASSERT_TRUE(one);
  notes.clear();
  ReadWith(one.get(), page.get(), &notes);
  EXPECT_EQ(one->recognitions(), 1);
}

TEST(OcrLanguageTest, ShortTextKeepsItsFirstReading) {
  PixPtr page = RenderTextPage("INFORME FINAL\n\nAño de evaluación 2024\n", 300);
  ASSERT_TRUE(page);
  auto reader = MakeReader("eng+spa");
  ASSERT_TRUE(reader);
  std::vector<std::string> notes;
  std::string text = ReadWith(reader.get(), page.get(), &notes);
  EXPECT_EQ(Joined(notes), "");
  EXPECT_EQ(reader->recognitions(), 1) << "too few letters to tell the language: " << text;
  EXPECT_EQ(reader->last_language(), "") << "and no guess for the next page";
}

TEST(OcrLanguageTest, AMissingModelOrStrategyIsAClearError) {
  dossier_ocr::ReaderOptions options;
  options.languages = "eng+spa+xyz";
  std::string error;
  EXPECT_FALSE(dossier_ocr::Reader::Create(options, &error));
  EXPECT_THAT(error, HasSubstr("'xyz' is not installed"));
  EXPECT_THAT(error, HasSubstr("apt-get install tesseract-ocr-xyz"));
  options.languages = "eng++spa";
  EXPECT_FALSE(dossier_ocr::Reader::Create(options, &error));
  EXPECT_THAT(error, HasSubstr("bad OCR language list"));
  dossier_ocr::OcrStrategy strategy;
  EXPECT_FALSE(dossier_ocr::ParseOcrStrategy("fastest", &strategy));
  EXPECT_EQ(dossier_ocr::TextcatCode("spa"), "es");
  EXPECT_EQ(dossier_ocr::TextcatCode("xyz"), "");

  // Through the plugin: an unknown strategy and a missing model both refuse
  // the instance, naming what is wrong (so a host can refuse the settings
  // before the first page).
  auto plugins = PluginHost::LoadDirectory(DOSSIER_PLUGIN_DIR);
  const LoadedPlugin* ocr = plugins->FindOcrPlugin();
  ASSERT_NE(ocr, nullptr);
  auto bad = ocr->CreateOcrInstance(R"({"languages": "eng+spa", "strategy": "fastest"})");
  ASSERT_FALSE(bad.ok());
  EXPECT_THAT(bad.status().ToString(), HasSubstr("unknown OCR strategy 'fastest'"));
  auto missing = ocr->CreateOcrInstance(R"({"languages": "eng+xyz"})");
  ASSERT_FALSE(missing.ok());
  EXPECT_THAT(missing.status().ToString(), HasSubstr("'xyz' is not installed"));
  EXPECT_TRUE(ocr->CreateOcrInstance(R"({"languages": "eng+spa"})").ok());
}

// The plugin as the host's OCR workers use it: the note reaches the host.
TEST(OcrLanguageTest, ThePluginNotesAPageReadAgain) {
  auto plugins = PluginHost::LoadDirectory(DOSSIER_PLUGIN_DIR);
  const LoadedPlugin* ocr = plugins->FindOcrPlugin();
  ASSERT_NE(ocr, nullptr);
  auto instance = ocr->CreateOcrInstance(R"({"languages": "eng+spa"})");
  ASSERT_TRUE(instance.ok()) << instance.status().ToString();
  PixPtr page = RenderTextPage(kSpanishText, 300);
  ASSERT_TRUE(page);
  std::vector<unsigned char> pixels;
  dossier_page_image image = PageImage(page.get(), &pixels);
  auto read = (*instance)->Recognise(image);
  ASSERT_TRUE(read.ok()) << read.status().ToString();
  EXPECT_THAT(read->notes, ::testing::Contains("read again as spa"));
  EXPECT_THAT(read->text, HasSubstr("Recomendación 2"));
  // With "combined", one reading with both models and no such note.
  auto combined = ocr->CreateOcrInstance(R"({"languages": "eng+spa", "strategy": "combined"})");
  ASSERT_TRUE(combined.ok()) << combined.status().ToString();
  read = (*combined)->Recognise(image);
  ASSERT_TRUE(read.ok()) << read.status().ToString();
  EXPECT_THAT(read->notes, ::testing::Not(::testing::Contains("read again as spa")));
}

// ---------------------------------------------------------------- through the CLI

void WriteImage(const Pix* pix, const std::string& path, int format) {
  ASSERT_EQ(pixWrite(path.c_str(), const_cast<Pix*>(pix), format), 0) << path;
}

// A PNG whose header declares width x height pixels, with no real image data.
std::string PngDeclaring(uint32_t width, uint32_t height) {
  auto crc32 = [](const std::string& bytes) {
    uint32_t crc = 0xFFFFFFFFu;
    for (unsigned char c : bytes) {
      crc ^= c;
      for (int k = 0; k < 8; ++k) crc = (crc >> 1) ^ (0xEDB88320u & (0u - (crc & 1u)));
    }
    return ~crc;
  };
  auto be32 = [](uint32_t v) {
    return std::string{static_cast<char>(v >> 24), static_cast<char>(v >> 16), static_cast<char>(v >> 8),
                       static_cast<char>(v)};
  };
  std::string ihdr = "IHDR" + be32(width) + be32(height) + std::string("\x08\x00\x00\x00\x00", 5);
  std::string png = "\x89PNG\r\n\x1a\n";
  png += be32(13) + ihdr + be32(crc32(ihdr));
  std::string idat = std::string("IDAT") + std::string("\x78\x9c\x03\x00\x00\x00\x00\x01", 8);
  png += be32(8) + idat + be32(crc32(idat));
  png += be32(0) + "IEND" + be32(crc32("IEND"));
  return png;
}

// A GIF of one 1 x 1 frame whose logical screen (canvas) is canvas_w x canvas_h
// and whose frame descriptor claims frame_w x frame_h: a few dozen bytes.
std::string GifClaiming(uint16_t canvas_w, uint16_t canvas_h, uint16_t frame_w, uint16_t frame_h,
                        bool with_extension = false) {
  auto le16 = [](uint16_t v) { return std::string{static_cast<char>(v & 0xFF), static_cast<char>(v >> 8)}; };
  std::string gif = "GIF89a" + le16(canvas_w) + le16(canvas_h) + std::string("\x80\x00\x00", 3);
  gif += std::string("\x00\x00\x00\xff\xff\xff", 6);  // global colour table: black, white
  if (with_extension) gif += std::string("\x21\xf9\x04\x00\x00\x00\x00\x00", 8);  // graphic control extension
  gif += "\x2c" + le16(0) + le16(0) + le16(frame_w) + le16(frame_h) + std::string("\x00", 1);
  gif += std::string("\x02\x02\x44\x01\x00", 5);  // LZW code size 2, one sub-block, end
  gif += "\x3b";
  return gif;
}

TEST(ImageSizeTest, ClaimedGifSizeTakesTheLargestOfCanvasAndFrames) {
  auto claimed = [](const std::string& bytes) {
    return dossier_ocr::ClaimedGifSize(reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size());
  };
  std::optional<dossier_ocr::ClaimedImageSize> small = claimed(GifClaiming(3, 2, 3, 2));
  ASSERT_TRUE(small);
  EXPECT_EQ(small->width, 3u);
  EXPECT_EQ(small->height, 2u);
  std::optional<dossier_ocr::ClaimedImageSize> canvas = claimed(GifClaiming(65535, 60000, 1, 1));
  ASSERT_TRUE(canvas);
  EXPECT_EQ(canvas->width, 65535u);
  EXPECT_EQ(canvas->height, 60000u);
  // The frame is found past an extension block, and is larger than the canvas.
  std::optional<dossier_ocr::ClaimedImageSize> frame = claimed(GifClaiming(10, 10, 50000, 40000, true));
  ASSERT_TRUE(frame);
  EXPECT_EQ(frame->width, 50000u);
  EXPECT_EQ(frame->height, 40000u);
  EXPECT_FALSE(claimed(PngDeclaring(10, 10)));
  EXPECT_FALSE(claimed("GIF89a\x01"));
}

nlohmann::json ShowJson(const std::string& data, const std::string& path) {
  CommandResult r = RunDossier(data, {"show", "--json", "--text", path});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  return nlohmann::json::parse(r.out, nullptr, false);
}

TEST(OcrIngestTest, ImageFilesAreReadAndSearchable) {
  TempDir tmp;
  PixPtr page = RenderTextPage(kPageText, 300);
  ASSERT_TRUE(page);
  ASSERT_EQ(system(("mkdir -p " + tmp / "images").c_str()), 0);
  WriteImage(page.get(), tmp / "images/page.png", IFF_PNG);
  WriteImage(page.get(), tmp / "images/page.jpg", IFF_JFIF_JPEG);
  // A two-page TIFF: the page, then the page upside down (orientation is fixed).
  PixPtr bw(pixConvertTo1(page.get(), 128));
  PixPtr turned(pixRotate180(nullptr, bw.get()));
  ASSERT_EQ(pixWriteTiff((tmp / "images/pages.tif").c_str(), bw.get(), IFF_TIFF_G4, "w"), 0);
  ASSERT_EQ(pixWriteTiff((tmp / "images/pages.tif").c_str(), turned.get(), IFF_TIFF_G4, "a"), 0);

  CommandResult r = RunDossier(tmp / "data", {"ingest", "--json", tmp / "images"});
  ASSERT_EQ(r.exit_code, 0) << r.err << r.out;
  WriteFile(tmp / "report.json", r.out);
  EXPECT_EQ(SchemaErrors("ingest-report.schema.json", tmp / "report.json"), "");
  nlohmann::json report = nlohmann::json::parse(r.out);
  EXPECT_EQ(report["ingested"], 3);
  EXPECT_EQ(report["pages"], 4);
  EXPECT_EQ(report["ocr_pages"], 4);

  for (const char* name : {"images/page.png", "images/page.jpg", "images/pages.tif"}) {
    nlohmann::json doc = ShowJson(tmp / "data", tmp / name);
    ASSERT_TRUE(doc.is_object()) << name;
    ASSERT_EQ(doc["pages"].size(), std::string(name).ends_with(".tif") ? 2u : 1u) << name;
    for (const auto& p : doc["pages"]) {
      EXPECT_EQ(p["source"], "ocr") << name;
      EXPECT_GT(p["ocr_confidence"].get<double>(), 50) << name;
    }
  }
  CommandResult tiff = RunDossier(tmp / "data", {"show", "--text", tmp / "images/pages.tif"});
  EXPECT_THAT(tiff.out, HasSubstr("steering committee"));
  EXPECT_EQ(std::count(tiff.out.begin(), tiff.out.end(), '\f'), 2) << "two pages";

  CommandResult search = RunDossier(tmp / "data", {"search", "--json", "--source", "ocr", "latrines"});
  ASSERT_EQ(search.exit_code, 0) << search.err;
  nlohmann::json hits = nlohmann::json::parse(search.out);
  EXPECT_EQ(hits["total"], 3);
  for (const auto& hit : hits["hits"]) {
    EXPECT_EQ(hit["page_source"], "ocr");
    EXPECT_GT(hit["ocr_confidence"].get<double>(), 50);
  }
}

// A scanned page's headings are found by their type, as on a text layer:
// the line set large over the numbered list opens a recommendations section
// that its words alone (one short line between paragraphs) do not make a
// heading of, so the list items are taken as recommendations.
TEST(OcrIngestTest, AScannedLineInALargerTypeIsAHeading) {
  TempDir tmp;
  PixPtr page = RenderTextPage(
      "The kelp cooperative was visited in May and its books were read.\n"
      "[h1] Recommendations to the cooperative\n"
      "1. The Kelp Board should publish its accounts every year.\n"
      "2. The Harbour Office should repair the landing stage.\n",
      300, {.styled = true});
  ASSERT_TRUE(page);
  WriteImage(page.get(), tmp / "scan.pgm", IFF_PNM);
  PdfOptions scanned;
  scanned.scans = {tmp / "scan.pgm"};
  MakePdf(tmp / "scanned.pdf", "", scanned);
  CommandResult r = RunDossier(tmp / "data", {"ingest", tmp / "scanned.pdf"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  CommandResult structure = RunDossier(tmp / "data", {"show", "--structure", "--json", tmp / "scanned.pdf"});
  ASSERT_EQ(structure.exit_code, 0) << structure.err;
  const nlohmann::json s = nlohmann::json::parse(structure.out);
  std::string topic;
  std::vector<std::string> taken;
  for (const nlohmann::json& section : s["sections"]) {
    if (section["title"] == "Recommendations to the cooperative") topic = section["topic"];
    for (const nlohmann::json& b : section["labelled"]) {
      if (b["taken"].is_object()) taken.push_back(b["taken"]["as"].get<std::string>() + " " + b["taken"]["number"].get<std::string>());
    }
  }
  EXPECT_EQ(topic, "recommendations") << structure.out;
  EXPECT_EQ(taken, (std::vector<std::string>{"recommendation 1", "recommendation 2"})) << structure.out;
}

TEST(OcrIngestTest, ScannedAndMixedPdfsAreDecidedPageByPage) {
  TempDir tmp;
  PixPtr page = RenderTextPage(kPageText, 200);
  ASSERT_TRUE(page);
  WriteImage(page.get(), tmp / "scan.pgm", IFF_PNM);
  PdfOptions mixed;
  mixed.scans = {tmp / "scan.pgm"};
  mixed.scan_dpi = 200;
  MakePdf(tmp / "mixed.pdf", "A born-digital page about budgets.\nIt has a real text layer with enough words to keep.\f"
                            "A second text page about the annual budget cycle and its audits.\n", mixed);
  PdfOptions scanned = mixed;
  MakePdf(tmp / "scanned.pdf", "", scanned);

  CommandResult r = RunDossier(tmp / "data", {"ingest", tmp / "mixed.pdf"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.err, HasSubstr("1 ingested (3 pages, 1 by OCR)"));
  nlohmann::json doc = ShowJson(tmp / "data", tmp / "mixed.pdf");
  ASSERT_EQ(doc["pages"].size(), 3u);
  EXPECT_EQ(doc["pages"][0]["source"], "text_layer");
  EXPECT_EQ(doc["pages"][1]["source"], "text_layer");
  EXPECT_EQ(doc["pages"][2]["source"], "ocr");

  CommandResult search = RunDossier(tmp / "data", {"search", "--json", "\"monitoring officers\""});
  nlohmann::json hits = nlohmann::json::parse(search.out);
  ASSERT_EQ(hits["total"], 1) << search.out;
  EXPECT_EQ(hits["hits"][0]["page"], 3);
  EXPECT_EQ(hits["hits"][0]["page_source"], "ocr");
  CommandResult text_hit = RunDossier(tmp / "data", {"search", "--json", "budgets"});
  EXPECT_EQ(nlohmann::json::parse(text_hit.out)["hits"][0]["page_source"], "text_layer");

  // An image-only PDF at 200 dpi: rendered at its own resolution, rescaled, read.
  r = RunDossier(tmp / "data", {"ingest", tmp / "scanned.pdf"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  CommandResult text = RunDossier(tmp / "data", {"show", "--text", tmp / "scanned.pdf"});
  EXPECT_THAT(text.out, HasSubstr("EVALUATION OF THE WATER PROGRAMME"));

  // With OCR off the scanned page is kept, empty, and says why.
  r = RunDossier(tmp / "data2", {"ingest", "--no-ocr", tmp / "scanned.pdf"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.err, HasSubstr("no text found in 1 page(s)"));
}

// A scan ingested with --no-ocr stays empty on a plain rerun (unchanged, with
// a note), and `ingest --reprocess` reads it again with OCR; documents read
// with the current settings are left alone unless --force.
TEST(OcrIngestTest, ReprocessReadsAgainWhatNoOcrLeftEmpty) {
  TempDir tmp;
  PixPtr page = RenderTextPage(kPageText, 200);
  ASSERT_TRUE(page);
  WriteImage(page.get(), tmp / "scan.pgm", IFF_PNM);
  PdfOptions scanned;
  scanned.scans = {tmp / "scan.pgm"};
  scanned.scan_dpi = 200;
  const std::string in = tmp / "in", data = tmp / "data";
  std::filesystem::create_directories(in);
  MakePdf(in + "/scanned.pdf", "", scanned);
  MakePdf(in + "/digital.pdf", "A born-digital page about budgets and the annual audit cycle.\n");

  CommandResult r = RunDossier(data, {"ingest", "--no-ocr", in + "/scanned.pdf", in + "/digital.pdf"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(ShowJson(data, in + "/scanned.pdf")["document"]["ocr_settings"], "off");
  EXPECT_EQ(ShowJson(data, in + "/digital.pdf")["document"]["ocr_settings"], "");  // no page needed OCR

  r = RunDossier(data, {"ingest", "--ocr-lang", "eng", in});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.err, HasSubstr("0 ingested"));
  EXPECT_THAT(r.err, HasSubstr("1 unchanged document(s) were read with other OCR settings"));
  EXPECT_EQ(nlohmann::json::parse(RunDossier(data, {"search", "--json", "\"monitoring officers\""}).out)["total"], 0);

  // Without paths: every stored source file; only the scan differs.
  r = RunDossier(data, {"ingest", "--reprocess", "--ocr-lang", "eng"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.err, HasSubstr("2 file(s): 1 ingested (1 pages, 1 by OCR), 1 unchanged"));
  EXPECT_EQ(ShowJson(data, in + "/scanned.pdf")["document"]["ocr_settings"], "eng detect");
  EXPECT_EQ(nlohmann::json::parse(RunDossier(data, {"search", "--json", "\"monitoring officers\""}).out)["total"], 1);
  EXPECT_EQ(nlohmann::json::parse(RunDossier(data, {"stats", "--json"}).out)["documents"], 2);

  r = RunDossier(data, {"ingest", "--reprocess", "--ocr-lang", "eng", in + "/scanned.pdf"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.err, HasSubstr("0 ingested (0 pages), 1 unchanged"));
  r = RunDossier(data, {"ingest", "--reprocess", "--force", "--ocr-lang", "eng", in});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.err, HasSubstr("2 ingested"));
  EXPECT_EQ(nlohmann::json::parse(RunDossier(data, {"stats", "--json"}).out)["documents"], 2);

  // --force alone is a usage error; so is ingest without paths or --reprocess.
  EXPECT_EQ(RunDossier(data, {"ingest", "--force", in}).exit_code, 2);
  EXPECT_EQ(RunDossier(data, {"ingest"}).exit_code, 2);
}

// Settings that would fail every file are refused before the first one, by name.
TEST(OcrIngestTest, ImpossibleSettingsAreRefusedAtStartUp) {
  TempDir tmp;
  MakePdf(tmp / "digital.pdf", "A born-digital page about budgets.\n");
  CommandResult r = RunDossier(tmp / "data", {"ingest", "--ocr-lang", "eng+xyz", tmp / "digital.pdf"});
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_THAT(r.err, HasSubstr("--ocr-lang eng+xyz"));
  EXPECT_THAT(r.err, HasSubstr("'xyz' is not installed"));
  EXPECT_THAT(r.err, Not(HasSubstr("digital.pdf")));
  r = RunDossier(tmp / "data", {"ingest", "--max-worker-memory", "50", tmp / "digital.pdf"});
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_THAT(r.err, HasSubstr("--max-worker-memory 50 MiB: a worker needs at least"));
  // With OCR off the OCR languages are not needed, so not checked.
  r = RunDossier(tmp / "data", {"ingest", "--no-ocr", "--ocr-lang", "xyz", tmp / "digital.pdf"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
}

// One scanned document and nothing else to do: its worker hands pages to the
// idle worker, and the pages come back in order, each with its own text.
TEST(OcrIngestTest, TheLastScannedDocumentIsSharedWithIdleWorkers) {
  TempDir tmp;
  const std::vector<std::string> headings = {"ALPHA WATER REVIEW", "BRAVO HEALTH AUDIT", "CHARLIE ROAD SURVEY",
                                             "DELTA SCHOOL REPORT"};
  PdfOptions scanned;
  for (size_t i = 0; i < headings.size(); ++i) {
    PixPtr page = RenderTextPage(headings[i] + "\n\n" + kPageText, 200);
    ASSERT_TRUE(page);
    const std::string path = tmp / ("scan" + std::to_string(i) + ".pgm");
    WriteImage(page.get(), path, IFF_PNM);
    scanned.scans.push_back(path);
  }
  scanned.scan_dpi = 200;
  MakePdf(tmp / "scanned.pdf", "", scanned);

  auto languages = std::move(LanguageDetector::Create()).value();
  auto mime = std::move(MimeDetector::Create()).value();
  auto plugins = PluginHost::LoadDirectory(DOSSIER_PLUGIN_DIR);
  for (unsigned jobs : {2u, 1u}) {
    SCOPED_TRACE("jobs " + std::to_string(jobs));
    TempDir data;
    auto store = std::move(Store::Open(data / "data", StoreMode::kReadWrite)).value();
    Ingester ingester(store.get(), plugins.get(), languages.get(), mime.get());
    IngestOptions options;
    options.jobs = jobs;
    options.worker_executable = DOSSIER_WORKER;
    options.ocr_languages = "eng";
    Result<IngestSummary> summary = ingester.Ingest({tmp / "scanned.pdf"}, options);
    ASSERT_TRUE(summary.ok()) << summary.status().ToString();
    EXPECT_EQ(summary->ingested, 1u);
    EXPECT_EQ(summary->ocr_pages, 4u);
    // Pages 1, 3 (while page 2 is read by the document's own worker), ...
    if (jobs == 2) {
      EXPECT_GE(summary->ocr_pages_handed_over, 1u);
    }
    if (jobs == 1) {
      EXPECT_EQ(summary->ocr_pages_handed_over, 0u);
    }
    Result<std::vector<std::pair<std::string, SourceEntry>>> sources = store->ListSources(tmp.path() + "/");
    ASSERT_TRUE(sources.ok() && sources->size() == 1u);
    Result<std::vector<PageText>> pages = store->GetPages(sources->front().second.id);
    ASSERT_TRUE(pages.ok()) << pages.status().ToString();
    ASSERT_EQ(pages->size(), 4u);
    for (size_t i = 0; i < headings.size(); ++i) {
      EXPECT_EQ((*pages)[i].number, i + 1);
      EXPECT_EQ((*pages)[i].source, TextSource::kOcr);
      EXPECT_THAT((*pages)[i].text, HasSubstr(headings[i])) << "page " << i + 1;
    }
    Result<std::optional<DocumentSummary>> doc = store->GetDocument(sources->front().second.id);
    ASSERT_TRUE(doc.ok() && *doc);
    EXPECT_THAT((*doc)->extracted_by, HasSubstr("ocr"));
  }
}

TEST(OcrIngestTest, BadImagesFailOneByOneAndTheRestGoesIn) {
  TempDir tmp;
  PixPtr page = RenderTextPage(kPageText, 300);
  ASSERT_TRUE(page);
  ASSERT_EQ(system(("mkdir -p " + tmp / "in").c_str()), 0);
  WriteImage(page.get(), tmp / "in/good.png", IFF_PNG);
  std::string png = ReadFile(tmp / "in/good.png");
  WriteFile(tmp / "in/truncated.png", png.substr(0, png.size() / 3));
  WriteFile(tmp / "in/huge.png", PngDeclaring(40000, 40000));
  WriteFile(tmp / "in/zero.png", PngDeclaring(0, 0));
  WriteFile(tmp / "in/garbage.jpg", "\xff\xd8\xff\xe0 this is not really a JPEG at all, just its first bytes");

  CommandResult r = RunDossier(tmp / "data", {"ingest", tmp / "in"});
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_THAT(r.err, HasSubstr("1 ingested"));
  EXPECT_THAT(r.err, HasSubstr("in/huge.png: image too large to decode: PNG claims 40000 x 40000 pixels (1600 M), "
                               "over the limit of 150 M pixels"));
  EXPECT_THAT(r.err, HasSubstr("in/truncated.png: "));
  EXPECT_THAT(r.err, HasSubstr("in/zero.png: cannot decode image"));
  EXPECT_THAT(r.err, HasSubstr("in/garbage.jpg: "));
  CommandResult search = RunDossier(tmp / "data", {"search", "latrines"});
  EXPECT_THAT(search.out, HasSubstr("good.png"));

  // Without OCR, images are skipped with the reason, not failed.
  CommandResult off = RunDossier(tmp / "data2", {"ingest", "--no-ocr", tmp / "in/good.png"});
  EXPECT_EQ(off.exit_code, 0) << off.err;
  EXPECT_THAT(off.err, HasSubstr("needs OCR, which is turned off"));
}

// A decompression bomb: a GIF of a few dozen bytes claiming a huge canvas is
// refused as too large to decode, with its claimed size and the limit (not
// reported as a damaged image), and a GIF of sane size still goes in.
TEST(OcrIngestTest, AGifClaimingAHugeCanvasIsReportedTooLargeToDecode) {
  TempDir tmp;
  ASSERT_EQ(system(("mkdir -p " + tmp / "in").c_str()), 0);
  WriteFile(tmp / "in/bomb.gif", GifClaiming(65535, 65535, 65535, 65535));
  WriteFile(tmp / "in/canvas.gif", GifClaiming(65535, 65535, 1, 1));
  PixPtr page = RenderTextPage(kPageText, 300);
  ASSERT_TRUE(page);
  WriteImage(page.get(), tmp / "in/page.gif", IFF_GIF);

  CommandResult r = RunDossier(tmp / "data", {"ingest", tmp / "in"});
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_THAT(r.err, HasSubstr("in/bomb.gif: image too large to decode: GIF claims 65535 x 65535 pixels (4295 M), "
                               "over the limit of 150 M pixels"));
  EXPECT_THAT(r.err, HasSubstr("in/canvas.gif: image too large to decode: GIF claims 65535 x 65535 pixels"));
  EXPECT_THAT(r.err, ::testing::Not(HasSubstr("damaged")));
  EXPECT_THAT(r.err, HasSubstr("1 ingested"));
}

}  // namespace
}  // namespace dossier::testing
