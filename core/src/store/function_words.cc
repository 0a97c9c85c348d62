// Function words of English, French and Spanish (see function_words.h).
#include "function_words.h"

#include <xapian.h>

#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>

namespace dossier {

namespace {

// Closed-class words only: a noun, verb or adjective never belongs here,
// however common it is in an archive ("evaluation", "programme").
constexpr std::string_view kEnglish[] = {
    "a", "about", "above", "after", "again", "against", "all", "am", "an", "and", "any", "are", "as", "at",
    "be", "because", "been", "before", "being", "below", "between", "both", "but", "by", "can", "could",
    "did", "do", "does", "doing", "down", "during", "each", "either", "few", "for", "from", "further",
    "had", "has", "have", "having", "he", "her", "here", "hers", "herself", "him", "himself", "his", "how",
    "i", "if", "in", "into", "is", "it", "its", "itself", "may", "me", "might", "more", "most", "must", "my",
    "myself", "neither", "no", "nor", "not", "of", "off", "on", "once", "only", "or", "other", "ought",
    "our", "ours", "ourselves", "out", "over", "own", "same", "shall", "she", "should", "so", "some",
    "such", "than", "that", "the", "their", "theirs", "them", "themselves", "then", "there", "these",
    "they", "this", "those", "through", "to", "too", "under", "until", "up", "upon", "very", "was", "we",
    "were", "what", "when", "where", "whether", "which", "while", "who", "whom", "whose", "why", "will",
    "with", "within", "without", "would", "yet", "you", "your", "yours", "yourself", "yourselves",
};

constexpr std::string_view kFrench[] = {
    "à", "afin", "ai", "aie", "aient", "ait", "as", "au", "aucun", "aucune", "aussi", "autre", "autres",
    "aux", "avaient", "avais", "avait", "avant", "avec", "avez", "avoir", "avons", "c", "ça", "car", "ce",
    "ceci", "cela", "celle", "celles", "celui", "ces", "cet", "cette", "ceux", "chaque", "chez", "comme",
    "d", "dans", "de", "depuis", "des", "donc", "dont", "du", "elle", "elles", "en", "entre", "es", "est",
    "et", "étaient", "était", "étant", "été", "être", "eu", "eux", "furent", "fut", "il", "ils", "j", "je",
    "jusqu", "l", "la", "le", "les", "leur", "leurs", "lors", "lui", "m", "ma", "mais", "me", "même",
    "mêmes", "mes", "moi", "mon", "n", "ne", "ni", "nos", "notre", "nous", "on", "ont", "or", "ou", "où",
    "par", "parce", "pas", "pendant", "peu", "plus", "pour", "pourquoi", "qu", "quand", "que", "quel",
    "quelle", "quelles", "quels", "qui", "quoi", "s", "sa", "sans", "se", "selon", "sera", "seront", "ses",
    "si", "son", "sont", "sous", "sur", "t", "ta", "te", "tes", "toi", "ton", "tous", "tout", "toute",
    "toutes", "très", "tu", "un", "une", "vers", "vos", "votre", "vous", "y",
};

constexpr std::string_view kSpanish[] = {
    "a", "al", "algo", "algún", "alguna", "algunas", "alguno", "algunos", "ante", "antes", "aquel",
    "aquella", "aquellas", "aquellos", "así", "aunque", "bajo", "cada", "como", "con", "contra", "cual",
    "cuales", "cuando", "de", "del", "desde", "donde", "durante", "e", "el", "él", "ella", "ellas", "ellos",
    "en", "entre", "era", "eran", "es", "esa", "esas", "ese", "eso", "esos", "esta", "está", "están", "estas",
    "este", "esto", "estos", "fue", "fueron", "ha", "han", "hasta", "hay", "la", "las", "le", "les", "lo",
    "los", "más", "me", "mi", "mis", "mismo", "muy", "nada", "ni", "no", "nos", "nosotros", "nuestra",
    "nuestras", "nuestro", "nuestros", "o", "otra", "otras", "otro", "otros", "para", "pero", "poco", "por",
    "porque", "que", "qué", "quien", "quienes", "se", "sea", "ser", "si", "sí", "sin", "sino", "sobre",
    "son", "su", "sus", "también", "tan", "te", "todo", "todos", "tras", "tu", "tus", "u", "un", "una",
    "unas", "uno", "unos", "usted", "ustedes", "y", "ya", "yo",
};

// Each language's words and their stems in its own stemmer (the query
// parser's Z terms hold stems: "Zdoe" for "does").
struct FunctionWords {
  std::unordered_map<std::string, std::unordered_set<std::string>> by_language;
  FunctionWords() {
    auto add = [this](const std::string& language, auto& words) {
      const Xapian::Stem stem(language);
      std::unordered_set<std::string>& set = by_language[language];
      for (std::string_view word : words) {
        set.emplace(word);
        set.insert(stem(std::string(word)));
      }
    };
    add("en", kEnglish);
    add("fr", kFrench);
    add("es", kSpanish);
  }
};

const FunctionWords& AllFunctionWords() {
  static const FunctionWords words;  // made once, read by every thread
  return words;
}

}  // namespace

bool IsFunctionWord(std::string_view language, std::string_view word) {
  const FunctionWords& words = AllFunctionWords();
  const auto it = words.by_language.find(std::string(language));
  return it != words.by_language.end() && it->second.count(std::string(word)) > 0;
}

bool IsFunctionWordOfAnyLanguage(std::string_view word) {
  const std::string key(word);
  for (const auto& [language, set] : AllFunctionWords().by_language) {
    if (set.count(key) > 0) return true;
  }
  return false;
}

bool KnowsFunctionWords(std::string_view language) {
  return AllFunctionWords().by_language.count(std::string(language)) > 0;
}

}  // namespace dossier
