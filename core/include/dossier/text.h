// Text utilities backed by ICU, libexttextcat, libmagic and OpenSSL.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "dossier/status.h"

namespace dossier {

// Returns `text` as NFC-normalised UTF-8 with control characters other than
// \n, \t and \f removed and invalid UTF-8 sequences replaced by U+FFFD.
std::string NormalizeText(std::string_view text);

// The longest prefix of `text` of at most `max_bytes` bytes that does not end
// inside a UTF-8 character: a cut at a fixed byte count can split a character,
// and JSON serialisers refuse the invalid byte that leaves (nlohmann::json
// throws on dump). Cuts between code points, so a combining accent may lose
// its base letter, but the result is valid UTF-8 whenever `text` is. Backs up
// at most 3 bytes: longer runs of continuation bytes are invalid input,
// which is cut at `max_bytes` as it is.
std::string_view TruncateUtf8(std::string_view text, size_t max_bytes);

// Search text analysis (the index and the query parser apply the same two
// steps, so what users type meets what was indexed):
//
// FoldAccents: `text` without its accents: NFD, combining marks
// (Unicode Mn) removed, NFC again ("evaluación" -> "evaluacion",
// "Ç" -> "C"). Letters that do not decompose ("ø", "ß", "ł") stay. Case is
// kept. Returns `text` itself (no ICU work) when it is all ASCII, and folds
// letter by letter from a table when it is ASCII and U+0080..U+024F only
// (the table is FoldAccentsWithIcu's answer for each of those letters).
std::string FoldAccents(std::string_view text);
// The same through ICU alone, whatever the text (the reference FoldAccents
// is tested against).
std::string FoldAccentsWithIcu(std::string_view text);

// French elisions: at the start of a word, l' d' j' m' n' s' t' c' qu'
// jusqu' lorsqu' puisqu' quoiqu' presqu' (any case, with ' or the
// typographic ’ U+2019) followed by a letter. Xapian keeps
// "l’entrepreneuriat" as one word; these make it "entrepreneuriat".
// RemoveElisions drops the elided word and its apostrophe (what the index
// and the query parser read). MarkElisions keeps the text's characters but
// puts U+E000 (for ') or U+E001 (for ’) in place of the apostrophe, which
// Xapian takes for a word break: snippets are cut from that text and
// RestoreElisionMarks puts the apostrophes back.
std::string RemoveElisions(std::string_view text);
std::string MarkElisions(std::string_view text);
std::string RestoreElisionMarks(std::string_view text);

// Hex SHA-256 of `bytes`.
std::string Sha256Hex(std::string_view bytes);

// Detects the language of text with libexttextcat, limited to languages the
// search index can stem. Thread-safe: guarded internally.
class LanguageDetector {
 public:
  // Uses the exttextcat models in `model_dir` (default: the Debian path).
  static Result<std::unique_ptr<LanguageDetector>> Create(
      const std::string& model_dir = "/usr/share/libexttextcat/");
  ~LanguageDetector();
  // ISO 639-1 code, or "und" when the text is too short or unclear.
  std::string Detect(std::string_view text) const;

 private:
  struct Impl;
  explicit LanguageDetector(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// Detects MIME types from content with libmagic. Thread-safe: guarded internally.
class MimeDetector {
 public:
  static Result<std::unique_ptr<MimeDetector>> Create();
  ~MimeDetector();
  // "application/pdf", "text/plain", ...; `file_name` refines what content
  // alone cannot tell (a plain-text file named .md is text/markdown).
  std::string Detect(std::string_view content, std::string_view file_name) const;

 private:
  struct Impl;
  explicit MimeDetector(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace dossier
