// The function words of a language: articles, pronouns, prepositions,
// conjunctions and auxiliary verbs ("the", "of", "de", "la", "que"). They
// stand on nearly every page, so they say little about which documents sit
// together, and their position lists are the longest of any word.
#pragma once

#include <string_view>

namespace dossier {

// Whether `word` (lowercase, as the query parser makes a term: accents kept)
// is a function word of `language` (an ISO 639-1 code). Known for English,
// French and Spanish, the languages of the archives Dossier is made for;
// false for any other language.
bool IsFunctionWord(std::string_view language, std::string_view word);

// Whether `word` is a function word of any language Dossier knows them for.
bool IsFunctionWordOfAnyLanguage(std::string_view word);

// Whether Dossier knows the function words of `language`.
bool KnowsFunctionWords(std::string_view language);

}  // namespace dossier
