// The ocr plugin: image files (PNG, JPEG, TIFF incl. multi-page, PNM, BMP,
// GIF, WebP) in, pages of text out; and OCR of page images that other
// plugins render (scanned PDF pages), for the host's OCR workers.
#include <leptonica/allheaders.h>

#include <cmath>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "dossier_plugin/support.h"
#include "image_size.h"
#include "ocr_engine.h"
#include "ocr_reader.h"

namespace {

using plugin_support::Fail;
using namespace dossier_ocr;

constexpr char kName[] = "ocr";
constexpr char kVersion[] = "0.1.0";
// A 1 m x 1 m scan at 300 dpi is ~140 M pixels; declared sizes beyond this
// are refused before any pixel is decoded.
constexpr double kMaxPixels = 150e6;
constexpr int kMaxTiffPages = 5000;

struct OcrInstance {
  ReaderOptions reading;     // "languages" (default eng+spa) and "strategy" (detect or combined)
  bool page_images = false;  // the host OCRs pages we send as pixels
  bool line_styles = false;  // the host takes line styles (set_line_styles in its sinks)
  CleanOptions clean;
  std::unique_ptr<Reader> reader;  // created with the instance; its models on first use
  std::string reader_error;
};

const char* FormatName(l_int32 format) {
  switch (format) {
    case IFF_PNG: return "PNG";
    case IFF_JFIF_JPEG: return "JPEG";
    case IFF_TIFF: case IFF_TIFF_G3: case IFF_TIFF_G4: case IFF_TIFF_LZW: case IFF_TIFF_ZIP:
    case IFF_TIFF_PACKBITS: case IFF_TIFF_RLE: case IFF_TIFF_JPEG: return "TIFF";
    case IFF_BMP: return "BMP";
    case IFF_PNM: return "PNM";
    case IFF_GIF: return "GIF";
    case IFF_WEBP: return "WebP";
    case IFF_JP2: return "JPEG 2000";
    default: return "image";
  }
}

bool IsTiff(l_int32 format) { return std::string_view(FormatName(format)) == "TIFF"; }

// "too large to decode: GIF claims 65535 x 65535 pixels (4295 M), over the limit of 150 M pixels".
std::string TooLargeMessage(const std::string& what, uint32_t width, uint32_t height) {
  const double pixels = double{1.0} * width * height;
  return "image too large to decode: " + what + " claims " + std::to_string(width) + " x " + std::to_string(height) +
         " pixels (" + std::to_string(static_cast<long long>(pixels / 1e6 + 0.5)) + " M), over the limit of " +
         std::to_string(static_cast<long long>(kMaxPixels / 1e6)) + " M pixels";
}

void* CreateInstance(const char* options_json, dossier_error_buffer* error) {
  try {
    static std::once_flag once;
    // Leptonica would print its own diagnostics on stderr; errors are reported through the ABI instead.
    std::call_once(once, [] { setMsgSeverity(L_SEVERITY_NONE); });
    auto instance = std::make_unique<OcrInstance>();
    nlohmann::json options = nlohmann::json::parse(options_json ? options_json : "{}", nullptr, false);
    if (!options.is_object()) {
      plugin_support::WriteError(error, "ocr plugin options are not a JSON object");
      return nullptr;
    }
    instance->reading.languages = options.value("languages", instance->reading.languages);
    const std::string strategy = options.value("strategy", std::string("detect"));
    if (!ParseOcrStrategy(strategy, &instance->reading.strategy)) {
      plugin_support::WriteError(error, "unknown OCR strategy '" + strategy + "' (use detect or combined)");
      return nullptr;
    }
    instance->page_images = options.value("page_images", false);
    instance->line_styles = options.value("line_styles", false);
    if (auto clean = options.find("clean"); clean != options.end() && clean->is_object()) {
      instance->clean.rescale = clean->value("rescale", instance->clean.rescale);
      instance->clean.orient = clean->value("orient", instance->clean.orient);
      instance->clean.deskew = clean->value("deskew", instance->clean.deskew);
      instance->clean.normalise = clean->value("normalise", instance->clean.normalise);
      instance->clean.whiten = clean->value("whiten", instance->clean.whiten);
      instance->clean.binarise = clean->value("binarise", instance->clean.binarise);
    }
    // The language list is checked now (models installed, a known strategy),
    // so a host can refuse bad settings before any page; the Tesseract
    // models themselves load at the first page that needs them.
    instance->reader = Reader::Create(instance->reading, &instance->reader_error);
    if (!instance->reader) {
      plugin_support::WriteError(error, instance->reader_error);
      return nullptr;
    }
    return instance.release();
  } catch (const std::exception& e) {
    plugin_support::WriteError(error, std::string("cannot create ocr plugin instance: ") + e.what());
    return nullptr;
  }
}

void DestroyInstance(void* instance) { delete static_cast<OcrInstance*>(instance); }

Reader* GetReader(OcrInstance* instance, std::string* error) {
  if (!instance->reader && instance->reader_error.empty()) {
    instance->reader = Reader::Create(instance->reading, &instance->reader_error);
  }
  if (!instance->reader) *error = instance->reader_error;
  return instance->reader.get();
}

// What the engine estimated of each line, as the ABI's runs (one per line;
// consecutive lines set alike share one).
std::vector<dossier_line_style> StyleRuns(const Recognition& result) {
  std::vector<dossier_line_style> runs;
  for (const RecognisedLineStyle& line : result.line_styles) {
    const uint32_t flags = line.bold ? DOSSIER_LINE_BOLD : 0;
    if (!runs.empty() && runs.back().first_line + runs.back().line_count == line.line && runs.back().size == line.size &&
        runs.back().flags == flags) {
      ++runs.back().line_count;
    } else if (runs.empty() || line.line >= runs.back().first_line + runs.back().line_count) {
      runs.push_back({line.line, 1, line.size, flags});
    }
  }
  return runs;
}

// Cleans and reads one page.
bool RecognisePix(OcrInstance* instance, const Pix* pix, float dpi, Recognition* out,
                  std::vector<std::string>* notes, std::string* error) {
  Reader* reader = GetReader(instance, error);
  if (reader == nullptr) return false;
  float clean_dpi = 0;
  PixPtr clean = CleanPage(pix, dpi, instance->clean, &clean_dpi, notes);
  if (!clean) {
    *error = "cannot prepare the page image for OCR (out of memory?)";
    return false;
  }
  // One model, or a second reading in the language the page turned out to be in.
  return reader->Read(clean.get(), clean_dpi, out, notes, error);
}

int32_t RecognisePage(void* raw_instance, const dossier_page_image* image, const dossier_ocr_sink* sink,
                      dossier_error_buffer* error) {
  return plugin_support::Guarded(error, [&]() -> int32_t {
    auto* instance = static_cast<OcrInstance*>(raw_instance);
    PixPtr pix = PixFromImage(*image);
    if (!pix) return Fail(error, DOSSIER_RESOURCE_EXHAUSTED, "cannot hold the page image in memory");
    Recognition result;
    std::vector<std::string> notes;
    std::string why;
    if (!RecognisePix(instance, pix.get(), image->dpi, &result, &notes, &why)) {
      return Fail(error, DOSSIER_INTERNAL, why);
    }
    for (const std::string& note : notes) sink->note(sink->host_context, note.c_str());
    sink->set_text(sink->host_context, result.text.data(), result.text.size(), result.mean_confidence);
    if (instance->line_styles) {
      const std::vector<dossier_line_style> runs = StyleRuns(result);
      return sink->set_line_styles(sink->host_context, runs.data(), runs.size());
    }
    return DOSSIER_OK;
  });
}

// Sends one decoded page: as pixels for the host's OCR workers, or read here
// when the host did not offer that.
int32_t SendPage(OcrInstance* instance, const dossier_page_sink* sink, uint32_t number, Pix* page,
                 dossier_error_buffer* error) {
  float dpi = static_cast<float>(pixGetXRes(page));
  if (dpi < 30 || dpi > 2400) dpi = 0;  // absent or nonsense: guess from the size later
  if (instance->page_images) {
    PixPtr gray = PixPtr(pixConvertTo8(page, 0));
    if (!gray) return Fail(error, DOSSIER_RESOURCE_EXHAUSTED, "cannot convert page " + std::to_string(number) + " to grey");
    const uint32_t w = pixGetWidth(gray.get()), h = pixGetHeight(gray.get());
    std::vector<unsigned char> pixels(size_t{w} * h);
    const l_uint32* data = pixGetData(gray.get());
    const l_int32 wpl = pixGetWpl(gray.get());
    for (uint32_t y = 0; y < h; ++y) {
      const l_uint32* line = data + size_t{y} * wpl;
      unsigned char* row = pixels.data() + size_t{y} * w;
      for (uint32_t x = 0; x < w; ++x) row[x] = static_cast<unsigned char>(GET_DATA_BYTE(line, x));
    }
    dossier_page_image image{w, h, 1, w, pixels.data(), dpi};
    return sink->add_page_image(sink->host_context, number, &image);
  }
  Recognition result;
  std::vector<std::string> notes;
  std::string why;
  if (!RecognisePix(instance, page, dpi, &result, &notes, &why)) {
    // A page that cannot be read does not lose the rest of the file.
    sink->warn(sink->host_context, number, ("OCR failed: " + why).c_str());
    return sink->add_page(sink->host_context, number, "", 0, DOSSIER_TEXT_OCR, 0.0f);
  }
  if (instance->line_styles) {
    const std::vector<dossier_line_style> runs = StyleRuns(result);
    if (int32_t rc = sink->set_line_styles(sink->host_context, number, runs.data(), runs.size()); rc != DOSSIER_OK) {
      return rc;
    }
  }
  return sink->add_page(sink->host_context, number, result.text.data(), result.text.size(), DOSSIER_TEXT_OCR,
                        result.mean_confidence);
}

int32_t ExtractPages(void* raw_instance, const dossier_input* input, const dossier_page_sink* sink,
                     dossier_error_buffer* error) {
  return plugin_support::Guarded(error, [&]() -> int32_t {
    auto* instance = static_cast<OcrInstance*>(raw_instance);
    // Leptonica reads a GIF's "header" by decoding every frame: its claimed size is checked first.
    if (std::optional<ClaimedImageSize> gif = ClaimedGifSize(input->data, input->size);
        gif && gif->pixels() > kMaxPixels) {
      return Fail(error, DOSSIER_RESOURCE_EXHAUSTED, TooLargeMessage("GIF", gif->width, gif->height));
    }
    l_int32 format = 0, w = 0, h = 0, bps = 0, spp = 0, cmap = 0;
    if (pixReadHeaderMem(input->data, input->size, &format, &w, &h, &bps, &spp, &cmap) != 0 || w <= 0 || h <= 0) {
      return Fail(error, DOSSIER_DATA_LOSS,
                  std::string("cannot decode image: damaged, truncated or unsupported ") + FormatName(format) +
                      " (content type " + (input->mime_type ? input->mime_type : "?") + ")");
    }
    if (double{1.0} * w * h > kMaxPixels) {
      return Fail(error, DOSSIER_RESOURCE_EXHAUSTED, TooLargeMessage(FormatName(format), w, h));
    }
    if (IsTiff(format)) {
      size_t offset = 0;
      uint32_t number = 0;
      do {
        PixPtr page(pixReadMemFromMultipageTiff(input->data, input->size, &offset));
        if (!page) {
          if (number == 0) return Fail(error, DOSSIER_DATA_LOSS, "cannot decode TIFF: damaged or truncated");
          sink->warn(sink->host_context, number + 1, "cannot decode this TIFF page or those after it: damaged");
          break;
        }
        if (double{1.0} * pixGetWidth(page.get()) * pixGetHeight(page.get()) > kMaxPixels) {
          return Fail(error, DOSSIER_RESOURCE_EXHAUSTED,
                      TooLargeMessage("TIFF page " + std::to_string(number + 1), pixGetWidth(page.get()),
                                      pixGetHeight(page.get())));
        }
        if (int32_t rc = SendPage(instance, sink, ++number, page.get(), error); rc != DOSSIER_OK) return rc;
        if (number >= static_cast<uint32_t>(kMaxTiffPages) && offset != 0) {  // more pages follow
          return Fail(error, DOSSIER_RESOURCE_EXHAUSTED, "TIFF has more than " + std::to_string(kMaxTiffPages) + " pages");
        }
      } while (offset != 0);
      return DOSSIER_OK;
    }
    PixPtr page(pixReadMem(input->data, input->size));
    if (!page) {
      return Fail(error, DOSSIER_DATA_LOSS,
                  std::string("cannot decode ") + FormatName(format) + ": damaged or truncated image data");
    }
    return SendPage(instance, sink, 1, page.get(), error);
  });
}

const dossier_plugin kPlugin = {
    DOSSIER_PLUGIN_ABI_VERSION,
    sizeof(dossier_plugin),
    kName,
    kVersion,
    DOSSIER_PLUGIN_INGEST,
    &CreateInstance,
    &DestroyInstance,
    &ExtractPages,
    nullptr,  // extract_facts
    &RecognisePage,
};

}  // namespace

extern "C" __attribute__((visibility("default"))) const dossier_plugin* dossier_plugin_entry(void) { return &kPlugin; }
