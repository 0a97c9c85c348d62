// Reading a cleaned page when several OCR languages are allowed.
//
// Tesseract given "eng+spa" runs both models on the page (the second on every
// word the first is unsure of), and a language listed first wins words it
// misreads (French accents lost to "eng"). The Reader instead reads the page
// with one model, detects the language of what it read (libexttextcat), and
// reads the page again with that language's model when it is another allowed
// one. Words that model did not know are then read once more, one by one,
// with the other models, for accents on names in another language. The
// "combined" strategy keeps Tesseract's own way (all models at once).
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "ocr_engine.h"

namespace dossier_ocr {

enum class OcrStrategy {
  kDetect,    // one model per page, chosen by the language of the page's text
  kCombined,  // every listed model at once, as Tesseract's "eng+spa"
};

// "detect" or "combined"; false for anything else.
bool ParseOcrStrategy(const std::string& name, OcrStrategy* out);

// Tesseract model name -> ISO 639-1 code of the exttextcat model ("spa" -> "es"); "" when unknown.
std::string TextcatCode(const std::string& tesseract_language);

// Language detection over a fixed set of candidates (exttextcat). Not thread-safe.
class LanguageGuesser {
 public:
  // `languages`: Tesseract names; those without an exttextcat model are left out.
  static std::unique_ptr<LanguageGuesser> Create(const std::vector<std::string>& languages, std::string* error,
                                                 const std::string& model_dir = "/usr/share/libexttextcat/");
  ~LanguageGuesser();
  // The Tesseract name of the text's language among the candidates, or ""
  // when the text has fewer than `min_letters` letters or textcat is unsure.
  std::string Guess(const std::string& text, int min_letters) const;
  // Whether every candidate has a model (else detection cannot pick them all).
  bool covers_all() const { return covers_all_; }

 private:
  LanguageGuesser() = default;
  void* handle_ = nullptr;
  std::map<std::string, std::string> by_code_;  // "es" -> "spa"
  bool covers_all_ = true;
};

struct ReaderOptions {
  std::string languages = "eng+spa";  // allowed models, joined by '+'
  OcrStrategy strategy = OcrStrategy::kDetect;
  int page_segmentation = 3;
  std::vector<std::pair<std::string, std::string>> variables;
  // Text shorter than this (in letters) is not worth a language guess.
  int min_letters = 200;
  // A second reading whose mean confidence is this much below the first's is not kept.
  float worse_by = 5;
  // Words of the page's language's reading that its model did not know
  // (names in another language: "Estadistica" on an English page) are read
  // again, each on its own, with the other allowed models; a reading that
  // only adds accents to the same letters, read with at least this
  // confidence, replaces the word. 0 turns it off.
  float accent_confidence = 70;
};

// Reads cleaned pages; one per thread (holds Tesseract engines).
class Reader {
 public:
  // Checks the language list and that every model is installed; the models
  // themselves are loaded at first use.
  static std::unique_ptr<Reader> Create(const ReaderOptions& options, std::string* error);
  ~Reader();

  // Reads a page that CleanPage prepared; `notes` gets "read again as spa"
  // when the page was read a second time in the language it turned out to be.
  bool Read(const Pix* page, float dpi, Recognition* out, std::vector<std::string>* notes, std::string* error);

  // The language of the last page read ("" before the first, or "eng+spa" when combined).
  const std::string& last_language() const { return last_; }
  // How many times a page was recognised, in total (a page read twice counts 2).
  int recognitions() const { return recognitions_; }
  // Words read again on their own for their accents, and how many of them changed.
  int words_reread() const { return words_reread_; }
  int words_accented() const { return words_accented_; }

 private:
  Reader() = default;
  Engine* EngineFor(const std::string& language, std::string* error);
  // The accents pass (see ReaderOptions::accent_confidence) on a reading in `language`.
  bool RestoreAccents(const Pix* page, float dpi, const std::string& language, Recognition* reading,
                      std::vector<std::string>* notes, std::string* error);

  ReaderOptions options_;
  std::vector<std::string> languages_;
  std::map<std::string, std::unique_ptr<Engine>> engines_;
  std::map<std::string, std::string> engine_errors_;
  std::unique_ptr<LanguageGuesser> guesser_;
  std::string last_;
  int recognitions_ = 0;
  int words_reread_ = 0;
  int words_accented_ = 0;
};

}  // namespace dossier_ocr
