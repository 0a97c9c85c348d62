// Text utilities: ICU normalisation, SHA-256, language and MIME detection.
#include "dossier/text.h"

#include "dossier/graph.h"

#include <libexttextcat/textcat.h>
#include <magic.h>
#include <openssl/evp.h>
#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>
#include <unicode/utf8.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <mutex>

namespace dossier {

std::string NormalizeText(std::string_view text) {
  icu::UnicodeString unicode = icu::UnicodeString::fromUTF8(icu::StringPiece(text.data(), static_cast<int32_t>(text.size())));
  icu::UnicodeString kept;
  kept.getBuffer(unicode.length());
  kept.releaseBuffer(0);
  for (int32_t i = 0; i < unicode.length();) {
    UChar32 c = unicode.char32At(i);
    i += U16_LENGTH(c);
    if (c == '\r') continue;  // CRLF and CR line ends become \n below
    if (u_iscntrl(c) && c != '\n' && c != '\t' && c != '\f') continue;
    if (c == 0xFEFF) continue;  // byte-order marks inside text
    kept.append(c);
  }
  UErrorCode error = U_ZERO_ERROR;
  const icu::Normalizer2* nfc = icu::Normalizer2::getNFCInstance(error);
  std::string out;
  if (U_SUCCESS(error)) {
    icu::UnicodeString normal = nfc->normalize(kept, error);
    if (U_SUCCESS(error)) {
      normal.toUTF8String(out);
      return out;
    }
  }
  kept.toUTF8String(out);
  return out;
}

namespace {

bool IsAscii(std::string_view text) {
  return std::all_of(text.begin(), text.end(), [](char c) { return static_cast<unsigned char>(c) < 0x80; });
}

// The code point at `i` (U+FFFD when the bytes are not UTF-8); `i` moves past it.
UChar32 NextCodePoint(std::string_view text, size_t* i) {
  int32_t at = static_cast<int32_t>(*i);
  UChar32 c;
  U8_NEXT(reinterpret_cast<const uint8_t*>(text.data()), at, static_cast<int32_t>(text.size()), c);
  *i = static_cast<size_t>(at);
  return c < 0 ? 0xFFFD : c;
}

// What a word is made of, for telling where words start.
bool IsWordPart(UChar32 c) {
  return u_isalnum(c) || u_charType(c) == U_NON_SPACING_MARK || c == '\'' || c == 0x2019;
}

// Words French elides before a vowel, lowercase, longer ones first.
constexpr std::string_view kElided[] = {"jusqu", "lorsqu", "puisqu", "quoiqu", "presqu", "qu",
                                        "l", "d", "j", "m", "n", "s", "t", "c"};
constexpr std::string_view kTypographicApostrophe = "\xE2\x80\x99";  // U+2019
constexpr std::string_view kMarkStraight = "\xEE\x80\x80";           // U+E000
constexpr std::string_view kMarkTypographic = "\xEE\x80\x81";        // U+E001

// Copies `text`, handing each elision (the elided word, then whether its
// apostrophe was the typographic one) to `on_elision` instead of copying it.
// An elision is one of kElided at a word's start (after no letter, digit,
// mark or apostrophe; not the word right after another elision: "qu’l’a"
// loses "qu’" only), an apostrophe, then a letter. The text is copied in
// runs between the apostrophes that end one: a page is mostly copied whole.
template <typename OnElision>
std::string RewriteElisions(std::string_view text, OnElision on_elision) {
  size_t next_straight = text.find('\'');
  size_t next_typographic = text.find(kTypographicApostrophe);
  if (next_straight == std::string_view::npos && next_typographic == std::string_view::npos) {
    return std::string(text);
  }
  std::string out;
  out.reserve(text.size());
  size_t copied = 0;           // text[0, copied) is in `out`
  size_t after_elision = std::string_view::npos;  // where the last elision ended
  while (next_straight != std::string_view::npos || next_typographic != std::string_view::npos) {
    const bool typographic = next_typographic < next_straight;
    const size_t at = typographic ? next_typographic : next_straight;
    const size_t after = at + (typographic ? kTypographicApostrophe.size() : 1);
    for (std::string_view elided : kElided) {
      if (at < copied + elided.size()) continue;
      const size_t i = at - elided.size();
      bool same = true;
      for (size_t k = 0; k < elided.size() && same; ++k) {
        same = std::tolower(static_cast<unsigned char>(text[i + k])) == elided[k];
      }
      if (!same) continue;
      if (i == after_elision) continue;
      if (i > 0) {
        int32_t before = static_cast<int32_t>(i);
        UChar32 c;
        U8_PREV(reinterpret_cast<const uint8_t*>(text.data()), 0, before, c);
        if (IsWordPart(c < 0 ? 0xFFFD : c)) continue;
      }
      size_t letter = after;
      if (after >= text.size() || !u_isalpha(NextCodePoint(text, &letter))) continue;
      out.append(text.substr(copied, i - copied));
      on_elision(out, text.substr(i, elided.size()), typographic);
      copied = after_elision = after;
      break;
    }
    if (typographic) {
      next_typographic = text.find(kTypographicApostrophe, after);
    } else {
      next_straight = text.find('\'', after);
    }
  }
  out.append(text.substr(copied));
  return out;
}

}  // namespace

std::string FoldAccentsWithIcu(std::string_view text) {
  UErrorCode error = U_ZERO_ERROR;
  const icu::Normalizer2* nfd = icu::Normalizer2::getNFDInstance(error);
  const icu::Normalizer2* nfc = icu::Normalizer2::getNFCInstance(error);
  if (U_FAILURE(error)) return std::string(text);
  const icu::UnicodeString unicode =
      icu::UnicodeString::fromUTF8(icu::StringPiece(text.data(), static_cast<int32_t>(text.size())));
  const icu::UnicodeString decomposed = nfd->normalize(unicode, error);
  if (U_FAILURE(error)) return std::string(text);
  icu::UnicodeString kept;
  kept.getBuffer(decomposed.length());
  kept.releaseBuffer(0);
  for (int32_t i = 0; i < decomposed.length();) {
    const UChar32 c = decomposed.char32At(i);
    i += U16_LENGTH(c);
    if (u_charType(c) != U_NON_SPACING_MARK) kept.append(c);
  }
  const icu::UnicodeString composed = nfc->normalize(kept, error);
  if (U_FAILURE(error)) return std::string(text);
  std::string out;
  composed.toUTF8String(out);
  return out;
}

namespace {

// The fold of each code point from U+0080 to U+024F (Latin-1 and the Latin
// Extended blocks, where nearly every accented letter of a European text
// lies), each made once by FoldAccentsWithIcu. A text of ASCII and these
// folds letter by letter: it holds no combining mark, so no letter's fold
// depends on its neighbours.
constexpr char32_t kFoldTableEnd = 0x250;

const std::vector<std::string>& LatinFolds() {
  static const std::vector<std::string> folds = [] {
    std::vector<std::string> table(kFoldTableEnd);
    for (char32_t c = 0x80; c < kFoldTableEnd; ++c) {
      const char utf8[2] = {static_cast<char>(0xC0 | (c >> 6)), static_cast<char>(0x80 | (c & 0x3F))};
      table[c] = FoldAccentsWithIcu(std::string_view(utf8, 2));
    }
    return table;
  }();
  return folds;
}

}  // namespace

std::string FoldAccents(std::string_view text) {
  if (IsAscii(text)) return std::string(text);
  const std::vector<std::string>& folds = LatinFolds();
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    const unsigned char byte = static_cast<unsigned char>(text[i]);
    if (byte < 0x80) {
      out += static_cast<char>(byte);
      continue;
    }
    // Two bytes (lead byte 0xC2..0xC9, then a continuation) for a code point
    // below kFoldTableEnd; anything else: the whole text through ICU. (0xC9
    // leads up to U+027F, past the table.)
    if (byte < 0xC2 || byte > 0xC9 || i + 1 >= text.size() || (static_cast<unsigned char>(text[i + 1]) & 0xC0) != 0x80) {
      return FoldAccentsWithIcu(text);
    }
    const char32_t c = ((byte & 0x1F) << 6) | (static_cast<unsigned char>(text[i + 1]) & 0x3F);
    if (c >= kFoldTableEnd) return FoldAccentsWithIcu(text);
    out += folds[c];
    ++i;
  }
  return out;
}

std::string RemoveElisions(std::string_view text) {
  return RewriteElisions(text, [](std::string&, std::string_view, bool) {});
}

std::string MarkElisions(std::string_view text) {
  return RewriteElisions(text, [](std::string& out, std::string_view elided, bool typographic) {
    out.append(elided);
    out.append(typographic ? kMarkTypographic : kMarkStraight);
  });
}

std::string RestoreElisionMarks(std::string_view text) {
  if (text.find("\xEE\x80") == std::string_view::npos) return std::string(text);
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size();) {
    if (text.compare(i, 3, kMarkStraight) == 0) {
      out.push_back('\'');
      i += 3;
    } else if (text.compare(i, 3, kMarkTypographic) == 0) {
      out.append(kTypographicApostrophe);
      i += 3;
    } else {
      out.push_back(text[i++]);
    }
  }
  return out;
}

std::string_view TruncateUtf8(std::string_view text, size_t max_bytes) {
  if (text.size() <= max_bytes) return text;
  size_t cut = max_bytes;
  // text[cut] is the first byte left out: while it continues a character,
  // that character started inside the prefix, so it goes too.
  for (int backed = 0; backed < 3 && cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80; ++backed) --cut;
  if ((static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) cut = max_bytes;  // not UTF-8: cut where asked
  return text.substr(0, cut);
}


std::string Sha256Hex(std::string_view bytes) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  EVP_Digest(bytes.data(), bytes.size(), digest, &length, EVP_sha256(), nullptr);
  static const char kDigits[] = "0123456789abcdef";
  std::string out;
  for (unsigned int i = 0; i < length; ++i) {
    out.push_back(kDigits[digest[i] >> 4]);
    out.push_back(kDigits[digest[i] & 15]);
  }
  return out;
}

// ---------------------------------------------------------------- languages

struct LanguageDetector::Impl {
  void* handle = nullptr;
  mutable std::mutex mutex;
  ~Impl() {
    if (handle) textcat_Done(handle);
  }
};

LanguageDetector::LanguageDetector(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
LanguageDetector::~LanguageDetector() = default;

Result<std::unique_ptr<LanguageDetector>> LanguageDetector::Create(const std::string& model_dir) {
  // Only languages Xapian has a stemmer for: detecting others would not
  // change how a document is indexed, and a smaller candidate set makes
  // short texts less likely to be misread.
  static const char* kLanguages[] = {"ar", "hy", "eu", "ca", "da", "nl", "en", "fi", "fr", "de", "hu", "id",
                                     "ga", "it", "lt", "ne", "nb", "pt", "ro", "ru", "es", "sv", "ta", "tr"};
  std::string dir = model_dir;
  if (!dir.empty() && dir.back() != '/') dir.push_back('/');
  char conf_path[] = "/tmp/dossier-textcat-XXXXXX";
  int fd = ::mkstemp(conf_path);
  if (fd < 0) return Status::Internal("language detection: cannot create a temporary configuration file");
  std::string conf;
  int models = 0;
  for (const char* lang : kLanguages) {
    if (std::filesystem::exists(dir + lang + ".lm")) {
      conf += std::string(lang) + ".lm " + lang + "\n";
      ++models;
    }
  }
  bool written = ::write(fd, conf.data(), conf.size()) == static_cast<ssize_t>(conf.size());
  ::close(fd);
  auto impl = std::make_unique<Impl>();
  if (written && models > 0) impl->handle = special_textcat_Init(conf_path, dir.c_str());
  ::unlink(conf_path);
  if (models == 0) {
    return Status::FailedPrecondition("language detection: no language models in " + dir +
                                      " (install libexttextcat-data)");
  }
  if (impl->handle == nullptr) return Status::Internal("language detection: textcat could not load models from " + dir);
  return std::unique_ptr<LanguageDetector>(new LanguageDetector(std::move(impl)));
}

std::string LanguageDetector::Detect(std::string_view text) const {
  constexpr size_t kSample = 16 * 1024;
  text = TruncateUtf8(text, kSample);
  // Below a few words any guess is noise (textcat calls "ok" Hungarian).
  int letters = 0;
  for (unsigned char c : text) letters += std::isalpha(c) || c >= 0xC0;
  if (letters < 24) return "und";
  std::lock_guard<std::mutex> lock(impl_->mutex);
  const char* answer = textcat_Classify(impl_->handle, text.data(), text.size());
  if (answer == nullptr || answer[0] != '[') return "und";  // "SHORT" or "UNKNOWN"
  std::string_view result(answer);
  size_t close = result.find(']');
  if (close == std::string_view::npos) return "und";
  return std::string(result.substr(1, close - 1));
}

// ---------------------------------------------------------------- MIME types

struct MimeDetector::Impl {
  magic_t cookie = nullptr;
  mutable std::mutex mutex;
  ~Impl() {
    if (cookie) magic_close(cookie);
  }
};

MimeDetector::MimeDetector(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
MimeDetector::~MimeDetector() = default;

Result<std::unique_ptr<MimeDetector>> MimeDetector::Create() {
  auto impl = std::make_unique<Impl>();
  impl->cookie = magic_open(MAGIC_MIME_TYPE | MAGIC_ERROR | MAGIC_NO_CHECK_COMPRESS);
  if (impl->cookie == nullptr) return Status::Internal("libmagic: cannot initialise");
  if (magic_load(impl->cookie, nullptr) != 0) {
    return Status::FailedPrecondition(std::string("libmagic: cannot load the magic database: ") +
                                      magic_error(impl->cookie));
  }
  return std::unique_ptr<MimeDetector>(new MimeDetector(std::move(impl)));
}

std::string MimeDetector::Detect(std::string_view content, std::string_view file_name) const {
  if (content.empty()) return "application/x-empty";
  constexpr size_t kSniffBytes = 1 << 20;
  std::string mime;
  {
    std::lock_guard<std::mutex> lock(impl_->mutex);
    const char* type = magic_buffer(impl_->cookie, content.data(), std::min(content.size(), kSniffBytes));
    mime = type ? type : "application/octet-stream";
  }
  // Content decides; the name only refines plain text into its dialect.
  auto ends_with = [&](std::string_view suffix) {
    if (file_name.size() < suffix.size()) return false;
    std::string tail(file_name.substr(file_name.size() - suffix.size()));
    for (char& c : tail) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return tail == suffix;
  };
  if (mime.rfind("text/", 0) == 0 && (ends_with(".md") || ends_with(".markdown"))) return "text/markdown";
  return mime;
}

}  // namespace dossier
