#include "ocr_engine.h"

#include <leptonica/allheaders.h>
#include <tesseract/baseapi.h>
#include <tesseract/resultiterator.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <sstream>

#include "page_layout.h"

namespace dossier_ocr {

void PixDeleter::operator()(Pix* pix) const {
  if (pix) pixDestroy(&pix);
}

namespace {

PixPtr Own(Pix* pix) { return PixPtr(pix); }

// Grey levels from this one up (ink covering less than 14 % of a pixel, or
// noise on paper normalised to white) become white in the `whiten` step.
constexpr int kWhitePoint = 220;

std::string Format(const char* format, double value) {
  char buf[96];
  std::snprintf(buf, sizeof buf, format, value);
  return buf;
}

}  // namespace

PixPtr PixFromImage(const dossier_page_image& image) {
  if (image.pixels == nullptr || image.width == 0 || image.height == 0) return nullptr;
  const int depth = image.channels == 1 ? 8 : 32;
  PixPtr pix = Own(pixCreate(static_cast<l_int32>(image.width), static_cast<l_int32>(image.height), depth));
  if (!pix) return nullptr;
  l_uint32* data = pixGetData(pix.get());
  const l_int32 wpl = pixGetWpl(pix.get());
  for (uint32_t y = 0; y < image.height; ++y) {
    const unsigned char* row = image.pixels + size_t{y} * image.stride;
    l_uint32* line = data + size_t{y} * wpl;
    if (image.channels == 1) {
      for (uint32_t x = 0; x < image.width; ++x) SET_DATA_BYTE(line, x, row[x]);
    } else {
      for (uint32_t x = 0; x < image.width; ++x) {
        composeRGBPixel(row[3 * x], row[3 * x + 1], row[3 * x + 2], line + x);
      }
    }
  }
  if (image.dpi > 0) pixSetResolution(pix.get(), std::lround(image.dpi), std::lround(image.dpi));
  return pix;
}

float EffectiveDpi(const Pix* pix, float dpi) {
  if (dpi > 0) return dpi;
  const float w = static_cast<float>(pixGetWidth(const_cast<Pix*>(pix)));
  const float h = static_cast<float>(pixGetHeight(const_cast<Pix*>(pix)));
  const float aspect = h / std::max(1.0f, w);
  // A portrait page (A4 1.41, Letter 1.29, Legal 1.65): its width is ~8.5 in.
  if (aspect > 1.2f && aspect < 1.7f) return w / 8.5f;
  if (aspect > 1 / 1.7f && aspect < 1 / 1.2f) return h / 8.5f;  // landscape
  return 300;
}

PixPtr CleanPage(const Pix* page, float dpi, const CleanOptions& options, float* out_dpi,
                 std::vector<std::string>* notes) {
  Pix* source = const_cast<Pix*>(page);
  PixPtr gray = Own(pixGetDepth(source) == 8 && !pixGetColormap(source) ? pixCopy(nullptr, source)
                                                                          : pixConvertTo8(source, 0));
  if (!gray) return nullptr;
  float resolution = EffectiveDpi(source, dpi);

  if (options.rescale && (resolution < 240 || resolution > 450)) {
    // Tesseract reads best with a capital letter ~30 px high: 300 dpi for body text.
    const float factor = 300.0f / resolution;
    PixPtr scaled = Own(factor > 1 ? pixScaleGrayLI(gray.get(), factor, factor)
                                   : pixScaleAreaMap(gray.get(), factor, factor));
    if (scaled) {
      notes->push_back(Format("rescaled from %.0f to 300 dpi", resolution));
      gray = std::move(scaled);
      resolution = 300;
    }
  }
  if (options.normalise) {
    // Shading and grey paper to white; text keeps its darkness. Leptonica's
    // default tiles and thresholds (those of pixBackgroundNormSimple), but
    // the background goes to white (255), not to Leptonica's default grey
    // (200): on that grey, Tesseract lost faint strokes such as the accent
    // of an "í" on the 300 dpi sample scans.
    PixPtr even = Own(pixBackgroundNorm(gray.get(), nullptr, nullptr, 10, 15, 60, 40, 255, 2, 1));
    if (even) gray = std::move(even);
  }
  // A quick black-and-white copy to measure orientation and skew on.
  PixPtr bw = Own(pixConvertTo1(gray.get(), 160));
  if (bw && options.orient) {
    l_float32 up = 0, left = 0;
    l_int32 orient = L_TEXT_ORIENT_UNKNOWN;
    if (pixOrientDetect(bw.get(), &up, &left, 0, 0) == 0 &&
        makeOrientDecision(up, left, 0.0f, 0.0f, &orient, 0) == 0) {
      PixPtr turned;
      const char* what = nullptr;
      switch (orient) {
        case L_TEXT_ORIENT_LEFT: turned = Own(pixRotate90(gray.get(), 1)); what = "turned 90 degrees clockwise"; break;
        case L_TEXT_ORIENT_DOWN: turned = Own(pixRotate180(nullptr, gray.get())); what = "turned 180 degrees"; break;
        case L_TEXT_ORIENT_RIGHT: turned = Own(pixRotate90(gray.get(), -1)); what = "turned 90 degrees anticlockwise"; break;
        default: break;
      }
      if (turned) {
        gray = std::move(turned);
        notes->push_back(what);
        bw = Own(pixConvertTo1(gray.get(), 160));
      }
    }
  }
  if (bw && options.deskew) {
    l_float32 angle = 0, confidence = 0;
    if (pixFindSkew(bw.get(), &angle, &confidence) == 0 && confidence >= 2.5f && std::fabs(angle) >= 0.1f) {
      PixPtr straight = Own(pixRotate(gray.get(), angle * static_cast<float>(M_PI / 180.0), L_ROTATE_AREA_MAP,
                                      L_BRING_IN_WHITE, 0, 0));
      if (straight) {
        gray = std::move(straight);
        notes->push_back(Format("deskewed by %.2f degrees", angle));
      }
    }
  }
  if (options.whiten) {
    // Paper grain and scanner noise left on the white background: near-white
    // to white. Tesseract stores every text line it reads as a PNG before
    // its LSTM reads it back, and noise makes that compression slow (12 % of
    // the OCR's time on the sample scans, 4 % once whitened).
    pixThresholdToValue(gray.get(), gray.get(), kWhitePoint, 255);
  }
  if (options.binarise) {
    Pix* binary = nullptr;
    // Sauvola with a window of ~1/20 inch copes with uneven, faint photocopies.
    if (pixSauvolaBinarizeTiled(gray.get(), 15, 0.34f, 1, 1, nullptr, &binary) == 0 && binary) {
      PixPtr as8 = Own(pixConvert1To8(nullptr, binary, 255, 0));
      pixDestroy(&binary);
      if (as8) gray = std::move(as8);
    }
  }
  pixSetResolution(gray.get(), std::lround(resolution), std::lround(resolution));
  *out_dpi = resolution;
  return gray;
}

std::string TessdataDir() {
  if (const char* prefix = std::getenv("TESSDATA_PREFIX"); prefix && *prefix) return prefix;
  return "/usr/share/tesseract-ocr/5/tessdata";
}

std::unique_ptr<Engine> Engine::Create(const std::string& languages, std::string* error, int page_segmentation,
                                       const std::vector<std::pair<std::string, std::string>>& variables) {
  if (languages.empty()) {
    *error = "no OCR language given";
    return nullptr;
  }
  const std::string dir = TessdataDir();
  std::stringstream list(languages);
  for (std::string lang; std::getline(list, lang, '+');) {
    if (lang.empty() || lang.find('/') != std::string::npos) {
      *error = "bad OCR language list '" + languages + "' (use Tesseract names joined by '+', e.g. eng+spa)";
      return nullptr;
    }
    if (!std::filesystem::exists(dir + "/" + lang + ".traineddata")) {
      *error = "Tesseract language model '" + lang + "' is not installed in " + dir +
               " (Debian: apt-get install tesseract-ocr-" + lang + ")";
      return nullptr;
    }
  }
  std::unique_ptr<Engine> engine(new Engine());
  engine->api_ = std::make_unique<tesseract::TessBaseAPI>();
  if (engine->api_->Init(dir.c_str(), languages.c_str(), tesseract::OEM_LSTM_ONLY) != 0) {
    *error = "Tesseract cannot load the language models '" + languages + "' from " + dir;
    return nullptr;
  }
  engine->page_segmentation_ = page_segmentation;
  engine->api_->SetPageSegMode(static_cast<tesseract::PageSegMode>(page_segmentation));
  engine->api_->SetVariable("debug_file", "/dev/null");  // no per-page chatter on stderr
  // Tesseract's table finder joins a cell of several lines ("By 30 June /
  // 2026") with the next column's line and reads neither; without it, key
  // action tables read cell by cell (bench/ocr.sh --steps measures this).
  engine->api_->SetVariable("textord_tabfind_find_tables", "0");
  for (const auto& [name, value] : variables) {
    if (!engine->api_->SetVariable(name.c_str(), value.c_str())) {
      *error = "unknown Tesseract parameter '" + name + "'";
      return nullptr;
    }
  }
  return engine;
}

Engine::~Engine() {
  if (api_) api_->End();
}

namespace {

std::string TakeText(char* text) {
  std::unique_ptr<char[]> owned(text);
  return owned ? std::string(owned.get()) : std::string();
}

// One text line as read, before its style is estimated.
struct MeasuredLine {
  uint32_t line = 0;       // in the page's text
  float row_height = 0;    // pixels: x-height + ascenders + descenders
  float stroke = 0;        // pixels, filled in by EstimateLineStyles
  size_t letters = 0;
  int x0 = 0, y0 = 0, x1 = 0, y1 = 0;
};

size_t Letters(const std::string& s) {
  size_t n = 0;
  for (unsigned char c : s) n += std::isalpha(c) || c >= 0xC0;  // ASCII letters and UTF-8 lead bytes
  return n;
}

// A line counts as bold when its strokes are this much wider, for its
// height, than those of the page's body lines (regular faces run about
// 0.09 em, bold ones 0.14 em).
constexpr float kBoldStrokeRatio = 1.3f;
// Lines with fewer letters say too little about their strokes.
constexpr size_t kFewestLettersForWeight = 4;

// The mean width of the strokes on a black-and-white image: ink pixels over
// half the pixels on the ink's edge (a stroke w wide and l long has w·l of
// ink and 2·l of edge). Leptonica's pixFindStrokeWidth prints its histogram.
float StrokeWidth(Pix* binary) {
  PixPtr inner(pixErodeBrick(nullptr, binary, 3, 3));
  if (!inner) return 0;
  PixPtr edge(pixXor(nullptr, binary, inner.get()));
  l_int32 ink = 0, edges = 0;
  if (!edge || pixCountPixels(binary, &ink, nullptr) != 0 || pixCountPixels(edge.get(), &edges, nullptr) != 0 ||
      edges == 0) {
    return 0;
  }
  return 2.0f * static_cast<float>(ink) / static_cast<float>(edges);
}

// Sizes in points from the row heights, and weight from the stroke width
// Leptonica measures on Tesseract's black-and-white page, against the
// stroke-to-height ratio most letters of the page have.
std::vector<RecognisedLineStyle> EstimateLineStyles(tesseract::TessBaseAPI* api, std::vector<MeasuredLine> lines,
                                                    float dpi) {
  std::vector<RecognisedLineStyle> styles;
  if (lines.empty() || dpi <= 0) return styles;
  PixPtr binary(api->GetThresholdedImage());
  std::vector<std::pair<float, size_t>> ratios;  // stroke / height -> letters
  if (binary) {
    for (MeasuredLine& m : lines) {
      if (m.letters < kFewestLettersForWeight || m.row_height <= 0) continue;
      BOX* box = boxCreate(m.x0, m.y0, m.x1 - m.x0 + 1, m.y1 - m.y0 + 1);
      PixPtr clip(pixClipRectangle(binary.get(), box, nullptr));
      boxDestroy(&box);
      const float width = clip ? StrokeWidth(clip.get()) : 0;
      if (width > 0) {
        m.stroke = width;
        ratios.push_back({width / m.row_height, m.letters});
      }
    }
  }
  // The body's ratio: the one most letters reach (a weighted median).
  float body_ratio = 0;
  if (!ratios.empty()) {
    std::sort(ratios.begin(), ratios.end());
    size_t all = 0, seen = 0;
    for (const auto& r : ratios) all += r.second;
    for (const auto& r : ratios) {
      seen += r.second;
      if (seen * 2 >= all) {
        body_ratio = r.first;
        break;
      }
    }
  }
  for (const MeasuredLine& m : lines) {
    RecognisedLineStyle style;
    style.line = m.line;
    style.size = std::round(m.row_height * 72.0f / dpi * 10) / 10;
    style.bold = body_ratio > 0 && m.stroke > 0 && m.stroke / m.row_height >= body_ratio * kBoldStrokeRatio;
    if (style.size > 0) styles.push_back(style);
  }
  return styles;
}

}  // namespace

bool Engine::Recognise(const Pix* page, float dpi, Recognition* out, std::string* error) {
  api_->SetImage(const_cast<Pix*>(page));
  api_->SetSourceResolution(std::max(70, static_cast<int>(std::lround(dpi))));
  if (api_->Recognize(nullptr) != 0) {
    api_->Clear();
    *error = "Tesseract could not read the page";
    return false;
  }
  // Tables: Tesseract reads a row's cells as one line and a wrapped cell's
  // lines apart; rebuilt from the word boxes, as for a PDF text layer.
  std::vector<dossier_tables::Word> words;
  out->words.clear();
  out->line_styles.clear();
  {
    std::unique_ptr<tesseract::ResultIterator> it(api_->GetIterator());
    if (it && !it->Empty(tesseract::RIL_WORD)) {
      do {
        int x0, y0, x1, y1;
        if (!it->BoundingBox(tesseract::RIL_WORD, &x0, &y0, &x1, &y1)) continue;
        std::string word = TakeText(it->GetUTF8Text(tesseract::RIL_WORD));
        // A ruled frame comes back as "words" of blank text the length of
        // its rules: they would make columns of the frame's sides.
        if (word.find_first_not_of(" \t\n") == std::string::npos) continue;
        out->words.push_back({word, x0, y0, x1, y1, it->Confidence(tesseract::RIL_WORD), it->WordIsFromDictionary()});
        words.push_back({std::move(word), double(x0), double(y0), double(x1), double(y1)});
      } while (it->Next(tesseract::RIL_WORD));
    }
  }
  dossier_tables::DropContainedFragments(&words);  // i-dots read as words of their own
  const dossier_tables::PageLayout layout = dossier_tables::LayOutPage(words, {.jitter = 0.08});
  // Tesseract's lines, each in the area its centre falls in, in Tesseract's
  // order there; the areas in the layout's reading order. A page of one
  // column is one area: its text is Tesseract's own (GetUTF8Text's), built
  // line by line so that each line's style can be measured.
  std::vector<dossier_tables::PageArea> areas = layout.areas;
  if (areas.empty()) areas.push_back({dossier_tables::PageArea::kText, -1e9, -1e9, 1e9, 1e9, 0});
  {
    std::vector<std::string> area_text(areas.size());
    std::vector<uint32_t> area_lines(areas.size(), 0);
    std::vector<std::vector<MeasuredLine>> area_measures(areas.size());
    std::unique_ptr<tesseract::ResultIterator> it(api_->GetIterator());
    if (it && !it->Empty(tesseract::RIL_TEXTLINE)) {
      do {
        int x0, y0, x1, y1;
        if (!it->BoundingBox(tesseract::RIL_TEXTLINE, &x0, &y0, &x1, &y1)) continue;
        switch (it->BlockType()) {  // what GetUTF8Text leaves out: pictures and rules
          case tesseract::PT_FLOWING_IMAGE: case tesseract::PT_HEADING_IMAGE: case tesseract::PT_PULLOUT_IMAGE:
          case tesseract::PT_HORZ_LINE: case tesseract::PT_VERT_LINE: continue;
          default: break;
        }
        const double cx = (x0 + x1) / 2.0, cy = (y0 + y1) / 2.0;
        size_t area = areas.size();
        for (size_t a = 0; a < areas.size() && area == areas.size(); ++a) {
          const dossier_tables::PageArea& r = areas[a];
          if (cx >= r.x0 && cx <= r.x1 && cy >= r.y0 && cy <= r.y1) area = a;
        }
        if (area == areas.size()) {  // between areas (a table's edge): the nearest one above
          for (size_t a = 0; a < areas.size(); ++a) {
            const dossier_tables::PageArea& r = areas[a];
            if (cx >= r.x0 && cx <= r.x1 && r.y0 <= cy) area = a;
          }
          if (area == areas.size()) area = 0;
        }
        if (areas[area].kind == dossier_tables::PageArea::kTable) continue;
        std::string& text = area_text[area];
        if (it->IsAtBeginningOf(tesseract::RIL_PARA) && !text.empty() && text.back() == '\n') {
          text += '\n';
          ++area_lines[area];
        }
        const std::string line = TakeText(it->GetUTF8Text(tesseract::RIL_TEXTLINE));
        if (line.find_first_not_of(" \n") != std::string::npos) {
          float row_height = 0, descenders = 0, ascenders = 0;
          it->RowAttributes(&row_height, &descenders, &ascenders);
          area_measures[area].push_back({area_lines[area], row_height, 0, Letters(line), x0, y0, x1, y1});
        }
        const size_t before = text.size();
        text += line;
        if (!text.empty() && text.back() != '\n') text += '\n';
        area_lines[area] += static_cast<uint32_t>(std::count(text.begin() + before, text.end(), '\n'));
      } while (it->Next(tesseract::RIL_TEXTLINE));
    }
    std::string text;
    uint32_t lines = 0;  // line breaks in `text`
    std::vector<MeasuredLine> measured;
    for (size_t a = 0; a < areas.size(); ++a) {
      if (areas[a].kind == dossier_tables::PageArea::kTable) {
        const std::string table = dossier_tables::TableText(layout.tables[areas[a].table]);
        lines += static_cast<uint32_t>(std::count(table.begin(), table.end(), '\n'));
        text += table;
      } else if (!area_text[a].empty()) {
        if (!text.empty() && text.back() == '\n') text += '\n', ++lines;
        for (MeasuredLine m : area_measures[a]) {
          m.line += lines;
          measured.push_back(m);
        }
        lines += area_lines[a];
        text += area_text[a];
      }
    }
    out->text = std::move(text);
    out->line_styles = EstimateLineStyles(api_.get(), measured, dpi);
  }
  out->mean_confidence = static_cast<float>(std::max(0, api_->MeanTextConf()));
  api_->Clear();
  return true;
}

bool Engine::RecogniseWords(const Pix* page, float dpi, const std::vector<RecognisedWord>& boxes,
                            std::vector<Recognition>* out, std::string* error) {
  out->clear();
  if (boxes.empty()) return true;
  api_->SetPageSegMode(tesseract::PSM_SINGLE_WORD);
  api_->SetImage(const_cast<Pix*>(page));
  api_->SetSourceResolution(std::max(70, static_cast<int>(std::lround(dpi))));
  const int width = pixGetWidth(const_cast<Pix*>(page)), height = pixGetHeight(const_cast<Pix*>(page));
  bool ok = true;
  for (const RecognisedWord& box : boxes) {
    // A margin of a quarter of the word's height, for accents above it.
    const int margin = std::max(2, (box.y1 - box.y0) / 4);
    const int x0 = std::max(0, box.x0 - margin), y0 = std::max(0, box.y0 - margin);
    const int x1 = std::min(width, box.x1 + margin), y1 = std::min(height, box.y1 + margin);
    Recognition word;
    if (x1 > x0 && y1 > y0) {
      api_->SetRectangle(x0, y0, x1 - x0, y1 - y0);
      if (api_->Recognize(nullptr) != 0) {
        *error = "Tesseract could not read a word again";
        ok = false;
        break;
      }
      word.text = TakeText(api_->GetUTF8Text());
      while (!word.text.empty() && std::isspace(static_cast<unsigned char>(word.text.back()))) word.text.pop_back();
      word.mean_confidence = static_cast<float>(std::max(0, api_->MeanTextConf()));
    }
    out->push_back(std::move(word));
  }
  api_->Clear();
  api_->SetPageSegMode(static_cast<tesseract::PageSegMode>(page_segmentation_));
  return ok;
}

}  // namespace dossier_ocr
