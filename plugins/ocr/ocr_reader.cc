#include "ocr_reader.h"

#include <libexttextcat/textcat.h>
#include <unistd.h>

#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <sstream>

namespace dossier_ocr {

bool ParseOcrStrategy(const std::string& name, OcrStrategy* out) {
  if (name == "detect") *out = OcrStrategy::kDetect;
  else if (name == "combined") *out = OcrStrategy::kCombined;
  else return false;
  return true;
}

std::string TextcatCode(const std::string& language) {
  // Tesseract's names are ISO 639-2/T (plus script variants); exttextcat's are 639-1.
  static const std::map<std::string, std::string> kCodes = {
      {"eng", "en"}, {"spa", "es"}, {"fra", "fr"}, {"deu", "de"}, {"por", "pt"}, {"ita", "it"}, {"nld", "nl"},
      {"cat", "ca"}, {"dan", "da"}, {"fin", "fi"}, {"swe", "sv"}, {"nor", "nb"}, {"ron", "ro"}, {"hun", "hu"},
      {"tur", "tr"}, {"pol", "pl"}, {"ces", "cs"}, {"slk", "sk"}, {"slv", "sl"}, {"hrv", "hr"}, {"rus", "ru"},
      {"ukr", "uk"}, {"ind", "id"}, {"eus", "eu"}, {"glg", "gl"}, {"lit", "lt"}, {"lav", "lv"}, {"est", "et"},
      {"gle", "ga"}, {"isl", "is"}, {"ell", "el"}, {"bul", "bg"}, {"afr", "af"}, {"swa", "sw"}, {"vie", "vi"},
      {"ara", "ar"}, {"heb", "he"}, {"hin", "hi"}, {"lat", "la"}, {"mlt", "mt"}, {"sqi", "sq"}, {"srp", "sr-Cyrl"},
      {"srp_latn", "sr-Latn"},
  };
  auto it = kCodes.find(language);
  return it == kCodes.end() ? "" : it->second;
}

// ------------------------------------------------------------ LanguageGuesser

std::unique_ptr<LanguageGuesser> LanguageGuesser::Create(const std::vector<std::string>& languages,
                                                         std::string* error, const std::string& model_dir) {
  std::unique_ptr<LanguageGuesser> guesser(new LanguageGuesser());
  std::string dir = model_dir;
  if (!dir.empty() && dir.back() != '/') dir.push_back('/');
  std::string conf;
  for (const std::string& language : languages) {
    const std::string code = TextcatCode(language);
    if (code.empty() || !std::filesystem::exists(dir + code + ".lm")) {
      guesser->covers_all_ = false;
      continue;
    }
    if (guesser->by_code_.emplace(code, language).second) conf += code + ".lm " + code + "\n";
  }
  if (guesser->by_code_.empty()) return guesser;  // nothing to tell apart
  char conf_path[] = "/tmp/dossier-ocr-textcat-XXXXXX";
  const int fd = ::mkstemp(conf_path);
  if (fd < 0) {
    *error = "OCR language detection: cannot create a temporary configuration file";
    return nullptr;
  }
  const bool written = ::write(fd, conf.data(), conf.size()) == static_cast<ssize_t>(conf.size());
  ::close(fd);
  if (written) guesser->handle_ = special_textcat_Init(conf_path, dir.c_str());
  ::unlink(conf_path);
  if (guesser->handle_ == nullptr) {
    *error = "OCR language detection: textcat could not load its models from " + dir + " (install libexttextcat-data)";
    return nullptr;
  }
  return guesser;
}

LanguageGuesser::~LanguageGuesser() {
  if (handle_) textcat_Done(handle_);
}

std::string LanguageGuesser::Guess(const std::string& text, int min_letters) const {
  if (handle_ == nullptr) return "";
  int letters = 0;
  for (unsigned char c : text) letters += std::isalpha(c) || c >= 0xC0;  // a UTF-8 lead byte is one letter
  if (letters < min_letters) return "";
  const char* answer = textcat_Classify(handle_, text.data(), text.size());
  // "[es]", or "[es][en]" when both are close (a mixed page), or SHORT / UNKNOWN.
  if (answer == nullptr || answer[0] != '[') return "";
  std::string_view result(answer);
  const size_t close = result.find(']');
  if (close == std::string_view::npos) return "";
  // Only a clear answer: with two close candidates the page is mixed, and the
  // caller keeps what it read.
  if (close + 1 < result.size()) return "";
  auto it = by_code_.find(std::string(result.substr(1, close - 1)));
  return it == by_code_.end() ? "" : it->second;
}

// ------------------------------------------------------------------- accents

namespace {

std::u32string Decode(const std::string& text) {
  std::u32string out;
  for (size_t i = 0; i < text.size();) {
    const unsigned char c = text[i];
    int extra = c < 0x80 ? 0 : c < 0xE0 ? 1 : c < 0xF0 ? 2 : 3;
    char32_t cp = extra == 0 ? c : extra == 1 ? c & 0x1F : extra == 2 ? c & 0x0F : c & 0x07;
    ++i;
    for (; extra > 0 && i < text.size(); --extra, ++i) cp = (cp << 6) | (static_cast<unsigned char>(text[i]) & 0x3F);
    out.push_back(cp);
  }
  return out;
}

bool IsLetter(char32_t c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= 0xC0 && c <= 0x24F && c != 0xD7 && c != 0xF7);
}

// The letter without its accent, for Latin-1 letters ("í" -> "i"); others as they are.
char32_t Fold(char32_t c) {
  static const char kLatin1[] = "AAAAAAACEEEEIIIIDNOOOOO*OUUUUYTsaaaaaaaceeeeiiiidnooooo/ouuuuyty";
  return c >= 0xC0 && c <= 0xFF ? static_cast<char32_t>(kLatin1[c - 0xC0]) : c;
}

// The letters of a word between any punctuation around it ("(Estadistica)," -> "Estadistica").
std::u32string Core(const std::u32string& word, size_t* begin, size_t* end) {
  size_t b = 0, e = word.size();
  while (b < e && !IsLetter(word[b])) ++b;
  while (e > b && !IsLetter(word[e - 1])) --e;
  *begin = b;
  *end = e;
  return word.substr(b, e - b);
}

// A word worth reading again for accents: four letters or more, all letters,
// some lower case, none accented yet, and not in the model's word list.
bool NeedsAccentCheck(const RecognisedWord& word, bool even_known = false) {
  if (word.dictionary && !even_known) return false;
  size_t b, e;
  const std::u32string core = Core(Decode(word.text), &b, &e);
  if (core.size() < 4) return false;
  bool lower = false;
  for (char32_t c : core) {
    if (!IsLetter(c) || c >= 0x80) return false;
    lower |= c >= 'a' && c <= 'z';
  }
  return lower;
}

// `again` is `word` with accents added and nothing else changed: its letters
// fold to the same, and it has more accented ones. Returns the word with the
// new letters and the old punctuation, or "".
std::string WithAccents(const std::string& word, const std::string& again) {
  size_t b, e, ab, ae;
  const std::u32string old_word = Decode(word);
  const std::u32string old_core = Core(old_word, &b, &e);
  const std::u32string new_core = Core(Decode(again), &ab, &ae);
  if (new_core.size() != old_core.size() || new_core == old_core) return "";
  for (size_t i = 0; i < old_core.size(); ++i) {
    if (Fold(new_core[i]) != Fold(old_core[i])) return "";
    if (new_core[i] != old_core[i] && new_core[i] < 0x80) return "";  // accents taken away
  }
  std::string out;
  // Re-encode: the old prefix, the new letters, the old suffix.
  auto put = [&out](char32_t cp) {
    if (cp < 0x80) out.push_back(static_cast<char>(cp));
    else if (cp < 0x800) { out.push_back(static_cast<char>(0xC0 | (cp >> 6))); out.push_back(static_cast<char>(0x80 | (cp & 0x3F))); }
    else { out.push_back(static_cast<char>(0xE0 | (cp >> 12))); out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F))); out.push_back(static_cast<char>(0x80 | (cp & 0x3F))); }
  };
  for (size_t i = 0; i < b; ++i) put(old_word[i]);
  for (char32_t c : new_core) put(c);
  for (size_t i = e; i < old_word.size(); ++i) put(old_word[i]);
  return out;
}

bool WordByte(char c) { return std::isalnum(static_cast<unsigned char>(c)) || static_cast<unsigned char>(c) >= 0x80; }

// Replaces the whole word `from` by `to` in `text`, at or after `*cursor` if it is there, else anywhere.
void ReplaceWord(std::string* text, const std::string& from, const std::string& to, size_t* cursor) {
  for (size_t start : {*cursor, size_t{0}}) {
    for (size_t at = text->find(from, start); at != std::string::npos; at = text->find(from, at + 1)) {
      const size_t end = at + from.size();
      if ((at > 0 && WordByte((*text)[at - 1]) && WordByte(from.front())) ||
          (end < text->size() && WordByte((*text)[end]) && WordByte(from.back()))) {
        continue;
      }
      text->replace(at, from.size(), to);
      *cursor = at + to.size();
      return;
    }
  }
}

}  // namespace

bool Reader::RestoreAccents(const Pix* page, float dpi, const std::string& language, Recognition* reading,
                            std::vector<std::string>* notes, std::string* error) {
  std::vector<size_t> unsure;  // indexes of words to check
  for (size_t i = 0; i < reading->words.size(); ++i) {
    if (NeedsAccentCheck(reading->words[i])) unsure.push_back(i);
  }
  for (const std::string& other : languages_) {
    if (unsure.empty()) break;
    if (other == language) continue;
    Engine* engine = EngineFor(other, error);
    if (engine == nullptr) return false;
    std::vector<size_t> open = unsure, still_unsure;
    std::vector<bool> checked(reading->words.size(), false);
    int changed = 0;
    // A second round for the words next to one that took accents, even
    // known ones: names come in runs ("Instituto ... de Estadística e
    // Informática", where "Informatica" is an English word too).
    for (int round = 0; round < 2 && !open.empty(); ++round) {
      std::vector<RecognisedWord> boxes;
      for (size_t i : open) {
        boxes.push_back(reading->words[i]);
        checked[i] = true;
      }
      std::vector<Recognition> again;
      if (!engine->RecogniseWords(page, dpi, boxes, &again, error)) return false;
      words_reread_ += static_cast<int>(boxes.size());
      std::vector<size_t> next;
      size_t cursor = 0;
      for (size_t k = 0; k < open.size(); ++k) {
        RecognisedWord& word = reading->words[open[k]];
        const std::string accented = again[k].mean_confidence >= options_.accent_confidence
                                         ? WithAccents(word.text, again[k].text) : "";
        if (accented.empty()) {
          if (round == 0) still_unsure.push_back(open[k]);
          continue;
        }
        ReplaceWord(&reading->text, word.text, accented, &cursor);
        word.text = accented;
        ++changed;
        const size_t from = open[k] >= 3 ? open[k] - 3 : 0;
        for (size_t j = from; j <= open[k] + 3 && j < reading->words.size(); ++j) {
          if (!checked[j] && NeedsAccentCheck(reading->words[j], true)) {
            checked[j] = true;
            next.push_back(j);
          }
        }
      }
      open = std::move(next);
    }
    if (changed > 0) {
      words_accented_ += changed;
      notes->push_back(std::to_string(changed) + " word(s) read again as " + other + " for their accents");
    }
    unsure = std::move(still_unsure);
  }
  return true;
}

// ------------------------------------------------------------------- Reader

std::unique_ptr<Reader> Reader::Create(const ReaderOptions& options, std::string* error) {
  std::unique_ptr<Reader> reader(new Reader());
  reader->options_ = options;
  if (options.languages.empty()) {
    *error = "no OCR language given";
    return nullptr;
  }
  const std::string dir = TessdataDir();
  std::stringstream list(options.languages);
  for (std::string lang; std::getline(list, lang, '+');) {
    if (lang.empty() || lang.find('/') != std::string::npos) {
      *error = "bad OCR language list '" + options.languages + "' (use Tesseract names joined by '+', e.g. eng+spa)";
      return nullptr;
    }
    if (!std::filesystem::exists(dir + "/" + lang + ".traineddata")) {
      *error = "Tesseract language model '" + lang + "' is not installed in " + dir +
               " (Debian: apt-get install tesseract-ocr-" + lang + ")";
      return nullptr;
    }
    bool seen = false;
    for (const std::string& l : reader->languages_) seen |= l == lang;
    if (!seen) reader->languages_.push_back(lang);
  }
  if (reader->languages_.size() > 1 && options.strategy == OcrStrategy::kDetect) {
    reader->guesser_ = LanguageGuesser::Create(reader->languages_, error);
    if (!reader->guesser_) return nullptr;
    // A language textcat cannot recognise could never be chosen: read with
    // all the models at once instead.
    if (!reader->guesser_->covers_all()) reader->guesser_.reset();
  }
  return reader;
}

Reader::~Reader() = default;

Engine* Reader::EngineFor(const std::string& language, std::string* error) {
  auto it = engines_.find(language);
  if (it != engines_.end()) return it->second.get();
  auto failed = engine_errors_.find(language);
  if (failed != engine_errors_.end()) {
    *error = failed->second;
    return nullptr;
  }
  std::string why;
  std::unique_ptr<Engine> engine = Engine::Create(language, &why, options_.page_segmentation, options_.variables);
  if (!engine) {
    engine_errors_[language] = why;
    *error = why;
    return nullptr;
  }
  return engines_.emplace(language, std::move(engine)).first->second.get();
}

bool Reader::Read(const Pix* page, float dpi, Recognition* out, std::vector<std::string>* notes,
                  std::string* error) {
  if (!guesser_) {  // one language, "combined", or a language detection cannot name
    Engine* engine = EngineFor(options_.languages, error);
    if (engine == nullptr) return false;
    ++recognitions_;
    if (!engine->Recognise(page, dpi, out, error)) return false;
    last_ = options_.languages;
    return true;
  }
  // Pages of one document usually share a language: start with the last page's.
  const std::string first = last_.empty() ? languages_.front() : last_;
  Engine* engine = EngineFor(first, error);
  if (engine == nullptr) return false;
  Recognition reading;
  ++recognitions_;
  if (!engine->Recognise(page, dpi, &reading, error)) return false;
  const std::string guess = guesser_->Guess(reading.text, options_.min_letters);
  if (guess.empty() || guess == first) {
    if (!guess.empty()) last_ = first;
    *out = std::move(reading);
    return options_.accent_confidence <= 0 || RestoreAccents(page, dpi, first, out, notes, error);
  }
  Engine* second = EngineFor(guess, error);
  if (second == nullptr) return false;
  Recognition again;
  ++recognitions_;
  if (!second->Recognise(page, dpi, &again, error)) return false;
  char note[160];
  if (again.mean_confidence < reading.mean_confidence - options_.worse_by) {
    std::snprintf(note, sizeof note, "read again as %s, but kept the %s reading (confidence %.0f against %.0f)",
                  guess.c_str(), first.c_str(), again.mean_confidence, reading.mean_confidence);
    notes->push_back(note);
    last_ = first;
    *out = std::move(reading);
    return options_.accent_confidence <= 0 || RestoreAccents(page, dpi, first, out, notes, error);
  }
  notes->push_back("read again as " + guess);
  last_ = guess;
  *out = std::move(again);
  return options_.accent_confidence <= 0 || RestoreAccents(page, dpi, guess, out, notes, error);
}

}  // namespace dossier_ocr
