// NameKey: the one folded form of a name that the graph, the entities
// plugin and the structure model all compare names by (name_key.h).
#include "dossier/name_key.h"

#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>
#include <unicode/utf8.h>

#include <array>

namespace dossier {

// ASCII: the folded byte of a letter, digit or '&', else 0.
static const std::array<char, 128> kAsciiFold = [] {
  std::array<char, 128> table{};
  for (int c = 0; c < 128; ++c) {
    if (c >= 'a' && c <= 'z') table[c] = static_cast<char>(c);
    else if (c >= 'A' && c <= 'Z') table[c] = static_cast<char>(c - 'A' + 'a');
    else if ((c >= '0' && c <= '9') || c == '&') table[c] = static_cast<char>(c);
  }
  return table;
}();

static void DropLeadingArticle(std::string* key) {
  // Every article starts with 't', 'l' or 'e' (most keys start otherwise).
  if (key->empty() || ((*key)[0] != 't' && (*key)[0] != 'l' && (*key)[0] != 'e')) return;
  for (std::string_view article : {"the ", "la ", "el ", "le ", "les ", "los ", "las ", "l "}) {
    if (key->compare(0, article.size(), article) == 0) {
      key->erase(0, article.size());
      return;
    }
  }
}

std::string NameKey(std::string_view name) {
  std::string out;
  out.reserve(name.size());
  bool space = false;  // a separator since the last kept character
  // Appends one kept character's folded bytes, a space first if one is due.
  auto keep = [&](const char* bytes, size_t length) {
    if (space && !out.empty()) out.push_back(' ');
    space = false;
    out.append(bytes, length);
  };
  auto ascii = [&](unsigned char c) {
    if (const char folded = kAsciiFold[c]) keep(&folded, 1);
    else space = true;
  };
  // ASCII bytes (most names, and every cue word) need no Unicode tables: a
  // table folds them. The first other byte sends the rest to ICU, whose NFD
  // leaves ASCII as it is, so the prefix folds the same either way.
  size_t i = 0;
  for (; i < name.size() && static_cast<unsigned char>(name[i]) < 0x80; ++i) ascii(static_cast<unsigned char>(name[i]));
  if (i < name.size()) {
    icu::UnicodeString text = icu::UnicodeString::fromUTF8(icu::StringPiece(name.data() + i, static_cast<int32_t>(name.size() - i)));
    UErrorCode status = U_ZERO_ERROR;
    const icu::Normalizer2* nfd = icu::Normalizer2::getNFDInstance(status);
    if (U_SUCCESS(status)) text = nfd->normalize(text, status);
    for (int32_t k = 0; k < text.length();) {
      const UChar32 c = text.char32At(k);
      k += U16_LENGTH(c);
      if (c < 0x80) {
        ascii(static_cast<unsigned char>(c));
      } else if (u_getCombiningClass(c) != 0 || u_charType(c) == U_NON_SPACING_MARK) {
        continue;  // accents go
      } else if (u_isalnum(c)) {
        char bytes[U8_MAX_LENGTH];
        int32_t length = 0;
        U8_APPEND_UNSAFE(bytes, length, u_foldCase(c, U_FOLD_CASE_DEFAULT));
        keep(bytes, static_cast<size_t>(length));
      } else {
        space = true;
      }
    }
  }
  DropLeadingArticle(&out);
  return out;
}

}  // namespace dossier
