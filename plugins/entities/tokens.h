// The word tokens the entity passes read: one page's text cut into words and
// punctuation, each with its byte span, folded key and shape.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace dossier_entities {

struct Token {
  size_t start = 0, end = 0;  // byte offsets in the page text
  std::string text;
  std::string key;            // NameKey(text)
  bool word = false;          // letters or digits (else punctuation)
  bool capitalised = false;   // starts with a capital or a digit
  bool all_caps = false;      // two or more letters, none lower case
  bool acronym_like = false;  // 2-12 characters, at least two capitals, no lower case (but a plural s)
  bool line_start = false;    // first token on its line
  bool caps_line = false;     // on a line written in capitals (heading, cover page)
  bool possessive = false;    // the word was followed by 's / ’s / s’ (cut off): a name ends here
};

// Cuts a page into tokens. Hyphens and apostrophes inside a word keep it
// whole ("Directorate-General", "IBC-HM"), except an elided French article
// ("l’OIM", "d’Appui" -> "l’" + "OIM") and a possessive ending ("Fund’s" ->
// "Fund", marked possessive).
std::vector<Token> Tokenize(std::string_view text);

// Whether the text opens with a capital letter, in any script ("Órgano", "État").
bool StartsWithCapital(std::string_view text);

struct PageTokens {
  uint32_t number = 0;
  std::string_view text;
  std::vector<Token> tokens;
  std::vector<bool> used;  // tokens already part of an entity mention
};

PageTokens MakePageTokens(uint32_t number, std::string_view text);

// The text of tokens [from, to) as printed, line breaks and runs of spaces as one space.
std::string Surface(std::string_view text, const std::vector<Token>& tokens, int from, int to);

// Whether two tokens may belong to one name: no blank line and no table
// cell boundary (a tab) between them. A single line break may sit inside a name.
bool SameRun(const PageTokens& page, int a, int b);

// Whether a line break separates tokens a and b (a before b).
bool LineBreakBetween(const PageTokens& page, int a, int b);

}  // namespace dossier_entities
