// NameKey: the one folded form of a name that the graph, the entities
// plugin and the structure model all compare names by (name_key.h).
#include "dossier/name_key.h"

#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>

#include <algorithm>
#include <cctype>

namespace dossier {

// A name's leading article ("the", "la", "les" ...) does not tell names apart.
static std::string WithoutLeadingArticle(std::string key) {
  for (std::string_view article : {"the ", "la ", "el ", "le ", "les ", "los ", "las ", "l "}) {
    if (key.rfind(article, 0) == 0) return key.substr(article.size());
  }
  return key;
}

std::string NameKey(std::string_view name) {
  // ASCII fast path (most names): the same result as the ICU path below.
  if (std::all_of(name.begin(), name.end(), [](char c) { return static_cast<unsigned char>(c) < 0x80; })) {
    std::string out;
    out.reserve(name.size());
    bool space = false;
    for (char c : name) {
      if (std::isalnum(static_cast<unsigned char>(c)) || c == '&') {
        if (space && !out.empty()) out.push_back(' ');
        space = false;
        out.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
      } else {
        space = true;
      }
    }
    return WithoutLeadingArticle(std::move(out));
  }

  icu::UnicodeString text = icu::UnicodeString::fromUTF8(icu::StringPiece(name.data(), static_cast<int32_t>(name.size())));
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* nfd = icu::Normalizer2::getNFDInstance(status);
  if (U_SUCCESS(status)) text = nfd->normalize(text, status);
  std::string out;
  bool space = false;
  for (int32_t i = 0; i < text.length();) {
    UChar32 c = text.char32At(i);
    i += U16_LENGTH(c);
    if (u_getCombiningClass(c) != 0 || u_charType(c) == U_NON_SPACING_MARK) continue;
    if (u_isalnum(c) || c == '&') {
      if (space && !out.empty()) out.push_back(' ');
      space = false;
      icu::UnicodeString(u_foldCase(c, U_FOLD_CASE_DEFAULT)).toUTF8String(out);
    } else {
      space = true;
    }
  }
  return WithoutLeadingArticle(std::move(out));
}

}  // namespace dossier
