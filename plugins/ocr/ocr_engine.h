// The OCR engine behind the ocr plugin: page clean-up with Leptonica and
// recognition with Tesseract's C++ API. A library of its own so tests and
// the OCR benchmark can drive each step.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "dossier/plugin_abi.h"

struct Pix;
namespace tesseract {
class TessBaseAPI;
}

namespace dossier_ocr {

struct PixDeleter {
  void operator()(Pix* pix) const;
};
using PixPtr = std::unique_ptr<Pix, PixDeleter>;

// Clean-up steps applied before recognition (each measured in bench/ocr.sh).
struct CleanOptions {
  bool rescale = true;    // bring low-resolution scans up to ~300 dpi, very high ones down
  bool orient = true;     // detect pages turned by 90/180/270 degrees and turn them back
  bool deskew = true;     // detect a skew of up to ~5 degrees and rotate it out
  bool normalise = true;  // even out the background (photocopy shading) and stretch contrast
  bool whiten = true;     // near-white (noise on the normalised paper) to white
  bool binarise = false;  // adaptive (Sauvola) black-and-white instead of Tesseract's own Otsu
};

// A page image from the plugin ABI as an 8-bit grey or 32-bit RGB Pix.
PixPtr PixFromImage(const dossier_page_image& image);

// The resolution to assume for an image: `dpi` when known (> 0), else a
// guess from its width taken as a page's (8.5 inches).
float EffectiveDpi(const Pix* pix, float dpi);

// Returns the cleaned 8-bit page and its resolution; `notes` says what changed.
PixPtr CleanPage(const Pix* page, float dpi, const CleanOptions& options, float* out_dpi,
                 std::vector<std::string>* notes);

// Where Tesseract's language models are: $TESSDATA_PREFIX, else the Debian path.
std::string TessdataDir();

// One recognised word: its box in the page image and what Tesseract thought of it.
struct RecognisedWord {
  std::string text;
  int x0 = 0, y0 = 0, x1 = 0, y1 = 0;
  float confidence = 0;     // 0..100
  bool dictionary = false;  // found in the model's word list
};

// How one line of the recognised text is set, estimated from the image:
// Tesseract's row height (x-height plus ascenders and descenders, close to
// the type size) in points, and the strokes' width against the page's body
// lines for weight.
struct RecognisedLineStyle {
  uint32_t line = 0;   // 0-based line of Recognition::text
  float size = 0;      // points, in steps of 0.5
  bool bold = false;
};

struct Recognition {
  std::string text;
  float mean_confidence = 0;  // 0..100
  std::vector<RecognisedWord> words;  // in reading order
  std::vector<RecognisedLineStyle> line_styles;  // in line order; none for table rows
};

// One Tesseract engine. Not thread-safe: one per thread.
class Engine {
 public:
  // `languages`: Tesseract model names joined by '+', e.g. "eng+spa".
  // Fails with a message naming a missing model and the package to install.
  // `page_segmentation`: Tesseract's page segmentation mode (3 = automatic
  // layout); `variables`: Tesseract parameters to set (name, value).
  static std::unique_ptr<Engine> Create(const std::string& languages, std::string* error, int page_segmentation = 3,
                                        const std::vector<std::pair<std::string, std::string>>& variables = {});
  ~Engine();

  bool Recognise(const Pix* page, float dpi, Recognition* out, std::string* error);

  // Reads single words at the given boxes of `page` (one word each, Tesseract's
  // single-word mode); `out` gets one Recognition per box (text without the
  // trailing newline, its confidence).
  bool RecogniseWords(const Pix* page, float dpi, const std::vector<RecognisedWord>& boxes,
                      std::vector<Recognition>* out, std::string* error);

 private:
  Engine() = default;
  std::unique_ptr<tesseract::TessBaseAPI> api_;
  int page_segmentation_ = 3;
};

}  // namespace dossier_ocr
