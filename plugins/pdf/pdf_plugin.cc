// The pdf plugin: turns a PDF's text layer into pages of text, with its
// metadata. A page without a usable text layer but with a scanned image is
// rendered and sent to the host as pixels, for OCR (when the host offers it).
// Poppler's own (core) API, from libpoppler-private-dev: the page's text and
// its word boxes from one layout pass (poppler-cpp needs one pass for each).
#include <poppler/GfxState.h>
#include <poppler/GlobalParams.h>
#include <poppler/OutputDev.h>
#include <poppler/PDFDoc.h>
#include <poppler/Stream.h>
#include <poppler/TextOutputDev.h>
#include <poppler/cpp/poppler-document.h>
#include <poppler/cpp/poppler-global.h>
#include <poppler/cpp/poppler-image.h>
#include <poppler/cpp/poppler-page.h>
#include <poppler/cpp/poppler-page-renderer.h>

#include <algorithm>
#include <climits>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "dossier_plugin/support.h"
#include "page_layout.h"
#include "poppler_words.h"

namespace {

using plugin_support::Fail;

constexpr char kName[] = "pdf";
constexpr char kVersion[] = "0.1.0";

// Poppler reports problems through one process-wide callback; each thread
// collects the messages of the document it is working on.
thread_local std::string* t_poppler_messages = nullptr;

void CollectPopplerMessage(const std::string& message, void*) {
  if (t_poppler_messages && t_poppler_messages->size() < 4096) {
    if (!t_poppler_messages->empty()) t_poppler_messages->append("; ");
    t_poppler_messages->append(message);
  }
}

std::string Utf8(const poppler::ustring& text) {
  poppler::byte_array bytes = text.to_utf8();
  return std::string(bytes.begin(), bytes.end());
}

std::string IsoTime(time_t t) {
  if (t == static_cast<time_t>(-1) || t <= 0) return "";
  struct tm utc;
  gmtime_r(&t, &utc);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &utc);
  return buf;
}

// A file that lost its end: no %%EOF marker in its last kilobyte.
bool LacksEndMarker(const unsigned char* data, size_t size) {
  size_t from = size > 1024 ? size - 1024 : 0;
  std::string_view tail(reinterpret_cast<const char*>(data) + from, size - from);
  return tail.find("%%EOF") == std::string_view::npos;
}

struct PdfInstance {
  std::string messages;
  bool page_images = false;  // the host OCRs pages sent as pixels
  bool line_styles = false;  // the host takes how lines are set (set_line_styles)
};

// A text layer worth keeping: enough characters, mostly letters and digits,
// few replacement or private-use characters (what broken font encodings and
// scanner junk layers produce).
bool TextLayerUsable(const std::string& utf8) {
  size_t visible = 0, alnum = 0, junk = 0;
  for (size_t i = 0; i < utf8.size();) {
    unsigned char c = static_cast<unsigned char>(utf8[i]);
    uint32_t cp = c;
    size_t len = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    if (len > 1 && i + len <= utf8.size()) {
      cp = c & (0xFF >> (len + 1));
      for (size_t k = 1; k < len; ++k) cp = (cp << 6) | (static_cast<unsigned char>(utf8[i + k]) & 0x3F);
    }
    i += len;
    if (cp <= ' ') continue;
    ++visible;
    if (cp == 0xFFFD || (cp >= 0xE000 && cp <= 0xF8FF) || cp < 0x20) ++junk;
    else if (cp >= 0x80 || std::isalnum(static_cast<int>(cp))) ++alnum;
  }
  return visible >= 40 && alnum * 2 >= visible && junk * 10 < visible;
}

// The scanned image on a page: how much of the page images cover, and the
// resolution of the largest one (pixels per inch on the page).
struct PageImages {
  double coverage = 0;  // 0..1 of the page area
  double dpi = 0;       // 0 when there is no image
};

// Draws nothing: notes where each image of a page goes (in points) and how
// many pixels wide it is, from the image's header alone. (Poppler's GLib
// API, used before, decodes the whole image to tell its width: a 36 MB
// surface for an A4 page scanned at 300 dpi, 6 % of a scanned page's CPU time.)
class ImageBoxes : public OutputDev {
 public:
  struct Box {
    double x1, y1, x2, y2;  // bounding box on the page, points
    double width_pt;        // the length its first row of pixels spans, points
    int width_px;
  };
  std::vector<Box> boxes;

  bool upsideDown() override { return true; }
  bool useDrawChar() override { return false; }
  bool interpretType3Chars() override { return false; }
  bool needNonText() override { return true; }

  void drawImageMask(GfxState* state, Object* ref, Stream* str, int width, int height, bool invert, bool interpolate,
                     bool inline_image) override {
    Add(state, width);
    if (inline_image) OutputDev::drawImageMask(state, ref, str, width, height, invert, interpolate, inline_image);
  }
  void drawImage(GfxState* state, Object* ref, Stream* str, int width, int height, GfxImageColorMap* color_map,
                 bool interpolate, const int* mask_colors, bool inline_image) override {
    Add(state, width);
    // The base class skips an inline image's data; a stream object needs nothing.
    if (inline_image) {
      OutputDev::drawImage(state, ref, str, width, height, color_map, interpolate, mask_colors, inline_image);
    }
  }
  // Masked images come to drawImage through OutputDev's defaults.

 private:
  void Add(GfxState* state, int width) {
    // The image is the unit square under the current transformation.
    const double* m = state->getCTM();
    const double xs[4] = {m[4], m[4] + m[0], m[4] + m[2], m[4] + m[0] + m[2]};
    const double ys[4] = {m[5], m[5] + m[1], m[5] + m[3], m[5] + m[1] + m[3]};
    boxes.push_back({*std::min_element(xs, xs + 4), *std::min_element(ys, ys + 4), *std::max_element(xs, xs + 4),
                     *std::max_element(ys, ys + 4), std::hypot(m[0], m[1]), width});
  }
};

PageImages InspectImages(PDFDoc* pdf, int number) {
  PageImages out;
  Page* page = pdf->getPage(number);
  if (page == nullptr) return out;
  const double page_w = page->getCropWidth(), page_h = page->getCropHeight();
  ImageBoxes dev;
  pdf->displayPage(&dev, number, 72, 72, 0, /*useMediaBox=*/false, /*crop=*/true, /*printing=*/false);
  double covered = 0, largest = 0;
  const ImageBoxes::Box* biggest = nullptr;
  for (const ImageBoxes::Box& box : dev.boxes) {
    const double area = (box.x2 - box.x1) * (box.y2 - box.y1);
    covered += area;
    if (area > largest) {
      largest = area;
      biggest = &box;
    }
  }
  if (page_w > 0 && page_h > 0) out.coverage = std::min(1.0, covered / (page_w * page_h));
  if (biggest != nullptr && out.coverage >= 0.25 && biggest->width_pt > 0) {
    out.dpi = biggest->width_px / (biggest->width_pt / 72.0);
  }
  return out;
}

// Renders a page in grey for OCR at the scan's own resolution (150..400 dpi,
// less if the page is huge) and sends it to the host.
int32_t SendPageImage(poppler::page* page, uint32_t number, double scan_dpi, const dossier_page_sink* sink,
                      std::string* problem) {
  double dpi = std::clamp(scan_dpi > 0 ? scan_dpi : 300.0, 150.0, 400.0);
  const poppler::rectf box = page->page_rect(poppler::media_box);
  const double area_in2 = (box.width() / 72.0) * (box.height() / 72.0);
  constexpr double kMaxPixels = 120e6;
  if (area_in2 > 0 && area_in2 * dpi * dpi > kMaxPixels) dpi = std::sqrt(kMaxPixels / area_in2);
  poppler::page_renderer renderer;
  renderer.set_render_hint(poppler::page_renderer::antialiasing, true);
  renderer.set_render_hint(poppler::page_renderer::text_antialiasing, true);
  renderer.set_image_format(poppler::image::format_gray8);
  poppler::image image = renderer.render_page(page, dpi, dpi);
  if (!image.is_valid() || image.width() <= 0 || image.height() <= 0) {
    *problem = "cannot render this page for OCR";
    return DOSSIER_INTERNAL;
  }
  dossier_page_image pixels{static_cast<uint32_t>(image.width()), static_cast<uint32_t>(image.height()), 1,
                            static_cast<uint32_t>(image.bytes_per_row()),
                            reinterpret_cast<const unsigned char*>(image.const_data()), static_cast<float>(dpi)};
  return sink->add_page_image(sink->host_context, number, &pixels);
}

void AppendText(void* stream, const char* text, int length) { static_cast<std::string*>(stream)->append(text, length); }

// The page's lines in reading order with their type size (the largest word's)
// and top, one per row: "PAGE<TAB>SIZE<TAB>TOP<TAB>TEXT" (the host's
// ParseTypesetLines, core/include/dossier/title_date.h). The host chooses the
// document's title from them.
constexpr size_t kMaxTypesetBytes = 64 * 1024;  // a few pages of lines; a page of scattered words stops here

void AppendTypesetLines(TextWordList* list, int number, std::string* out) {
  std::string text;
  double size = 0, top = 0;
  const TextWord* previous = nullptr;
  auto flush = [&] {
    if (!text.empty() && out->size() < kMaxTypesetBytes) {
      char numbers[64];
      std::snprintf(numbers, sizeof numbers, "%d\t%.1f\t%.1f\t", number, size, top);
      out->append(numbers).append(text).push_back('\n');
    }
    text.clear();
    size = 0;
  };
  for (int i = 0; list && i < list->getLength(); ++i) {
    const TextWord* word = list->get(i);
    if (previous == nullptr || previous->nextWord() != word) flush();
    std::unique_ptr<GooString> utf8(word->getText());
    std::string piece = utf8 ? utf8->toStr() : std::string();
    for (char& c : piece) {
      if (c == '\t' || c == '\n') c = ' ';
    }
    double x0, y0, x1, y1;
    word->getBBox(&x0, &y0, &x1, &y1);
    if (text.empty()) top = y0;
    top = std::min(top, y0);
    size = std::max(size, word->getFontSize());
    if (!text.empty()) text.push_back(' ');
    text += piece;
    previous = word;
  }
  flush();
}

// Whether a font is a bold face: its flags say so, or its name does
// ("ABCDEF+Arial-BoldMT", "Calibri,Bold", "Gotham-Black"), as most embedded
// fonts do not set the flag.
bool BoldFace(const TextFontInfo* font) {
  if (font == nullptr) return false;
  if (font->isBold()) return true;
  const GooString* name = font->getFontName();
  if (name == nullptr) return false;
  const std::string& n = name->toStr();
  for (const char* mark : {"Bold", "bold", "BOLD", "Black", "Heavy", "Semibold", "SemiBold", "Demi"}) {
    if (n.find(mark) != std::string::npos) return true;
  }
  return false;
}

// How each line of the page's text is set: its words' common type size and
// weight, found by the line's text among the laid-out lines (words Poppler
// chained into one line). Lines it cannot place (table rows, lines Poppler
// joined or split otherwise) get no style; runs of lines set alike become
// one dossier_line_style.
std::vector<dossier_line_style> LineStyles(TextWordList* list, const std::string& text) {
  struct Set {
    float size = 0;
    uint32_t flags = 0;
  };
  // Each laid-out line's text (words joined by one space) and how it is set.
  std::unordered_map<std::string, std::vector<Set>> by_text;
  std::string line;
  std::map<float, size_t> letters_at_size;  // letters per size, this line
  size_t letters = 0, bold = 0, italic = 0;
  const TextWord* previous = nullptr;
  auto flush = [&] {
    if (!line.empty() && letters > 0) {
      Set set;
      size_t most = 0;
      for (const auto& [size, count] : letters_at_size) {
        if (count > most) most = count, set.size = size;
      }
      if (bold * 10 >= letters * 8) set.flags |= DOSSIER_LINE_BOLD;
      if (italic * 10 >= letters * 8) set.flags |= DOSSIER_LINE_ITALIC;
      by_text[line].push_back(set);
    }
    line.clear();
    letters_at_size.clear();
    letters = bold = italic = 0;
  };
  for (int i = 0; list && i < list->getLength(); ++i) {
    const TextWord* word = list->get(i);
    if (previous == nullptr || previous->nextWord() != word) flush();
    previous = word;
    std::unique_ptr<GooString> utf8(word->getText());
    if (!utf8 || utf8->getLength() == 0) continue;
    if (!line.empty()) line.push_back(' ');
    line += utf8->toStr();
    const size_t n = static_cast<size_t>(word->getLength());
    letters += n;
    letters_at_size[std::round(word->getFontSize() * 2) / 2] += n;
    const TextFontInfo* font = word->getFontInfo(0);
    if (BoldFace(font)) bold += n;
    if (font != nullptr && font->isItalic()) italic += n;
  }
  flush();

  std::vector<dossier_line_style> styles;
  std::unordered_map<std::string, size_t> used;  // how many lines of that text were placed
  uint32_t number = 0;
  size_t start = 0;
  while (start <= text.size()) {
    size_t end = text.find_first_of("\n\f", start);
    if (end == std::string::npos) end = text.size();
    std::string_view raw(text.data() + start, end - start);
    std::string key;  // spaces collapsed, as the words were joined
    bool table_row = false;
    for (char c : raw) {
      if (c == '\t') table_row = true;
      if (c == ' ' || c == '\t' || c == '\r') {
        if (!key.empty() && key.back() != ' ') key.push_back(' ');
      } else {
        key.push_back(c);
      }
    }
    while (!key.empty() && key.back() == ' ') key.pop_back();
    auto found = table_row || key.empty() ? by_text.end() : by_text.find(key);
    if (found != by_text.end()) {
      size_t& k = used[key];
      const Set& set = found->second[std::min(k, found->second.size() - 1)];
      ++k;
      dossier_line_style* last = styles.empty() ? nullptr : &styles.back();
      if (last != nullptr && last->first_line + last->line_count == number && last->size == set.size &&
          last->flags == set.flags) {
        ++last->line_count;
      } else {
        styles.push_back({number, 1, set.size, set.flags});
      }
    }
    ++number;
    start = end + 1;
  }
  return styles;
}

// The page's text in reading order. A page of one column without tables is
// byte for byte what pdftotext and poppler-cpp's page::text print. Otherwise
// the page layout (page_layout.h) gives the areas in reading order: each
// column of a region set in columns, and the full-width bands between, as
// Poppler reads the text inside that rectangle; each table as tab-separated
// rows. One layout pass gives the text, the word boxes and the areas' text:
// poppler-cpp needed a pass for each, which made ingest three times slower
// than pdftotext on documentation PDFs, where many pages have aligned columns.
// With `styles`, also how its lines are set (LineStyles).
std::string PageText(PDFDoc* pdf, int number, std::string* typeset_lines, std::vector<dossier_line_style>* styles) {
  std::string text;
  TextOutputDev dev(&AppendText, &text, /*physLayoutA=*/false, 0, /*rawOrderA=*/false, false);
  if (!dev.isOk()) return text;
  pdf->displayPage(&dev, number, 72, 72, 0, false, true, false);
  std::unique_ptr<TextWordList> list(dev.makeWordList());
  if (typeset_lines) AppendTypesetLines(list.get(), number, typeset_lines);
  const std::vector<dossier_tables::Word> words = dossier_pdf::PageWords(list.get());
  const dossier_tables::PageLayout layout = dossier_tables::LayOutPage(words);
  if (layout.areas.empty()) {
    if (styles) *styles = LineStyles(list.get(), text);
    return text;
  }
  // Rectangles are clamped to a generous page (rotated pages included).
  const double limit = std::max(pdf->getPageMediaWidth(number), pdf->getPageMediaHeight(number)) * 2;
  text.clear();
  for (const dossier_tables::PageArea& area : layout.areas) {
    if (area.kind == dossier_tables::PageArea::kTable) {
      text += dossier_tables::TableText(layout.tables[area.table]);
      continue;
    }
    const double y0 = std::max(area.y0, -10.0), y1 = std::min(area.y1, limit);
    if (y1 - y0 < 1) continue;
    std::unique_ptr<GooString> got(dev.getText(std::max(area.x0, -10.0), y0, std::min(area.x1, limit), y1));
    std::string part = got ? got->toStr() : std::string();
    while (!part.empty() && (part.back() == '\n' || part.back() == '\f' || part.back() == ' ')) part.pop_back();
    if (!part.empty()) text.append(part).push_back('\n');
  }
  if (styles) *styles = LineStyles(list.get(), text);
  return text;
}

void* CreateInstance(const char* options_json, dossier_error_buffer* error) {
  try {
    static std::once_flag once;
    std::call_once(once, [] { poppler::set_debug_error_function(&CollectPopplerMessage, nullptr); });
    auto* instance = new PdfInstance();
    // The options are a flat JSON object from the host; only this flag matters here.
    std::string_view options(options_json ? options_json : "");
    instance->page_images = options.find("\"page_images\":true") != std::string_view::npos;
    instance->line_styles = options.find("\"line_styles\":true") != std::string_view::npos;
    return instance;
  } catch (...) {
    plugin_support::WriteError(error, "cannot create pdf plugin instance");
    return nullptr;
  }
}

void DestroyInstance(void* instance) { delete static_cast<PdfInstance*>(instance); }

int32_t ExtractPages(void* raw_instance, const dossier_input* input, const dossier_page_sink* sink,
                     dossier_error_buffer* error) {
  return plugin_support::Guarded(error, [&]() -> int32_t {
    auto* instance = static_cast<PdfInstance*>(raw_instance);
    instance->messages.clear();
    t_poppler_messages = &instance->messages;
    struct Reset {
      ~Reset() { t_poppler_messages = nullptr; }
    } reset;

    if (input->size > static_cast<size_t>(INT_MAX)) {
      return Fail(error, DOSSIER_RESOURCE_EXHAUSTED, "PDF larger than 2 GiB");
    }
    const bool looks_like_pdf = input->size >= 5 && std::memcmp(input->data, "%PDF-", 5) == 0;
    std::unique_ptr<poppler::document> doc(poppler::document::load_from_raw_data(
        reinterpret_cast<const char*>(input->data), static_cast<int>(input->size)));
    if (!doc) {
      if (!looks_like_pdf) return Fail(error, DOSSIER_INVALID_ARGUMENT, "not a PDF: no %PDF- header");
      std::string why = instance->messages.empty() ? "" : " (" + instance->messages.substr(0, 300) + ")";
      if (LacksEndMarker(input->data, input->size)) {
        return Fail(error, DOSSIER_DATA_LOSS, "truncated PDF: the file ends before its end-of-file marker" + why);
      }
      return Fail(error, DOSSIER_DATA_LOSS, "damaged PDF: Poppler cannot open it" + why);
    }
    if (doc->is_locked()) {
      return Fail(error, DOSSIER_FAILED_PRECONDITION, "encrypted PDF: a password is needed to open it");
    }
    // Poppler rebuilds a damaged cross-reference table and opens what it
    // can; a file cut short would then be indexed with pages silently missing.
    if (LacksEndMarker(input->data, input->size) && !instance->messages.empty()) {
      return Fail(error, DOSSIER_DATA_LOSS, "truncated PDF: the file ends before its end-of-file marker (" +
                                                instance->messages.substr(0, 300) + ")");
    }

    auto meta = [&](const char* key, const std::string& value) -> int32_t {
      if (value.empty()) return DOSSIER_OK;
      return sink->set_metadata(sink->host_context, key, value.data(), value.size());
    };
    int32_t rc = DOSSIER_OK;
    for (auto [key, value] : {std::pair<const char*, std::string>{"title", Utf8(doc->get_title())},
                              {"author", Utf8(doc->get_author())},
                              {"subject", Utf8(doc->get_subject())},
                              {"keywords", Utf8(doc->get_keywords())},
                              {"creator", Utf8(doc->get_creator())},
                              {"producer", Utf8(doc->get_producer())},
                              {"created", IsoTime(doc->get_creation_date_t())},
                              {"modified", IsoTime(doc->get_modification_date_t())}}) {
      if ((rc = meta(key, value)) != DOSSIER_OK) return Fail(error, static_cast<dossier_status_code>(rc), "stopped by host");
    }

    const int page_count = doc->pages();
    if (page_count <= 0) return Fail(error, DOSSIER_DATA_LOSS, "PDF has no pages");
    // The same bytes opened with Poppler's core API, for the text (see
    // PageText). poppler-cpp's `doc` keeps Poppler's global settings alive
    // meanwhile, so `pdf` must go first (it is declared after).
    PDFDoc pdf(new MemStream(reinterpret_cast<const char*>(input->data), 0, static_cast<Goffset>(input->size), Object(objNull)));
    if (!pdf.isOk() || pdf.getNumPages() != page_count) {
      return Fail(error, DOSSIER_DATA_LOSS, "damaged PDF: Poppler cannot read its pages");
    }
    // The first pages' lines with their type sizes, for the title (sent after the pages).
    constexpr int kTypesetPages = 3;
    std::string typeset_lines;
    for (int i = 0; i < page_count; ++i) {
      const uint32_t number = static_cast<uint32_t>(i + 1);
      std::string text;
      std::vector<dossier_line_style> styles;
      if (pdf.getPage(i + 1) == nullptr) {
        sink->warn(sink->host_context, number, "cannot read this page; it is indexed as empty");
      } else {
        // Reading order, as pdftotext prints it by default.
        text = PageText(&pdf, i + 1, i < kTypesetPages ? &typeset_lines : nullptr,
                        instance->line_styles ? &styles : nullptr);
        if (instance->page_images && !TextLayerUsable(text)) {
          std::unique_ptr<poppler::page> page(doc->create_page(i));  // for rendering
          PageImages images = InspectImages(&pdf, i + 1);
          if (page && images.coverage >= 0.25) {
            std::string problem;
            rc = SendPageImage(page.get(), number, images.dpi, sink, &problem);
            if (rc == DOSSIER_OK) continue;
            if (problem.empty()) return Fail(error, static_cast<dossier_status_code>(rc), "stopped by host");
            sink->warn(sink->host_context, number, (problem + "; its text layer is kept").c_str());
          }
        }
      }
      if (instance->line_styles && !styles.empty()) {
        rc = sink->set_line_styles(sink->host_context, number, styles.data(), styles.size());
        if (rc != DOSSIER_OK) return Fail(error, static_cast<dossier_status_code>(rc), "stopped by host");
      }
      rc = sink->add_page(sink->host_context, number, text.data(), text.size(), DOSSIER_TEXT_LAYER, -1.0f);
      if (rc != DOSSIER_OK) return Fail(error, static_cast<dossier_status_code>(rc), "stopped by host");
    }
    if ((rc = meta("typeset_lines", typeset_lines)) != DOSSIER_OK) {
      return Fail(error, static_cast<dossier_status_code>(rc), "stopped by host");
    }
    return DOSSIER_OK;
  });
}

const dossier_plugin kPlugin = {
    DOSSIER_PLUGIN_ABI_VERSION, sizeof(dossier_plugin), kName, kVersion, DOSSIER_PLUGIN_INGEST,
    &CreateInstance,            &DestroyInstance,       &ExtractPages,
};

}  // namespace

extern "C" __attribute__((visibility("default"))) const dossier_plugin* dossier_plugin_entry(void) { return &kPlugin; }
