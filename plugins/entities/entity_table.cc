#include "entity_table.h"

#include <unicode/uchar.h>
#include <unicode/utf8.h>

namespace dossier_entities {

bool EntityTable::IsAllCaps(const std::string& s) {
  const auto* p = reinterpret_cast<const uint8_t*>(s.data());
  const int32_t length = static_cast<int32_t>(s.size());
  bool letter = false;
  for (int32_t i = 0; i < length;) {
    UChar32 c;
    U8_NEXT(p, i, length, c);
    if (u_islower(c)) return false;
    letter |= u_isalpha(c) != 0;
  }
  return letter;
}

std::string NameType(const NameWords& words, const std::vector<Token>& tokens, int from, int to) {
  int last = to - 1;
  while (last >= from && !tokens[last].word) --last;
  if (last < from) return "";
  std::string_view last_type = words.HeadType(tokens[last].key);
  int before = last - 1;
  while (before >= from && !tokens[before].word) --before;
  if (!last_type.empty() && (before < from || !words.Has("connector", tokens[before].key))) return std::string(last_type);
  for (int t = from; t < to; ++t) {
    if (!tokens[t].word) continue;
    std::string_view type = words.HeadType(tokens[t].key);
    if (!type.empty()) return std::string(type);
  }
  return "";
}

}  // namespace dossier_entities
