#include "tokens.h"

#include <unicode/uchar.h>
#include <unicode/utf8.h>

#include <cctype>

#include "structure.h"

namespace dossier_entities {

namespace {

bool IsApostrophe(UChar32 c) { return c == '\'' || c == 0x2019; }

}  // namespace

bool StartsWithCapital(std::string_view text) {
  if (text.empty()) return false;
  int32_t i = 0;
  UChar32 c = 0;
  U8_NEXT(reinterpret_cast<const uint8_t*>(text.data()), i, static_cast<int32_t>(text.size()), c);
  return c >= 0 && u_isupper(c);
}

std::vector<Token> Tokenize(std::string_view text) {
  std::vector<Token> tokens;
  const auto* s = reinterpret_cast<const uint8_t*>(text.data());
  const int32_t length = static_cast<int32_t>(text.size());
  bool at_line_start = true;
  for (int32_t i = 0; i < length;) {
    int32_t start = i;
    UChar32 c;
    U8_NEXT(s, i, length, c);
    if (c == '\n') {
      at_line_start = true;
      continue;
    }
    if (u_isspace(c) || c < 0) continue;
    Token token;
    token.start = static_cast<size_t>(start);
    token.line_start = at_line_start;
    at_line_start = false;
    if (u_isalnum(c)) {
      int32_t end = i;
      int upper = u_isupper(c) ? 1 : 0, lower = u_islower(c) ? 1 : 0, letters = u_isalpha(c) ? 1 : 0;
      token.capitalised = u_isupper(c) || u_isdigit(c);
      bool possessive = false;
      int32_t resume = -1;  // where reading goes on after a cut-off "’s"
      while (end < length) {
        int32_t next = end;
        UChar32 d;
        U8_NEXT(s, next, length, d);
        if (u_isalnum(d)) {
          upper += u_isupper(d);
          lower += u_islower(d);
          letters += u_isalpha(d) ? 1 : 0;
          end = next;
          continue;
        }
        // Hyphens and apostrophes inside a word ("Directorate-General", "IBC-HM", "O’Brien").
        if ((d == '-' || IsApostrophe(d) || d == 0x2010 || d == 0x2011) && next < length) {
          int32_t after = next;
          UChar32 e;
          U8_NEXT(s, after, length, e);
          if (IsApostrophe(d)) {
            // A possessive: "Fund’s", "Government of Niger's" (not "s’" followed by letters).
            int32_t after_s = after;
            UChar32 f = 0;
            if (after_s < length) U8_NEXT(s, after_s, length, f);
            if ((e == 's' || e == 'S') && (after >= length || !u_isalnum(f))) {
              possessive = true;
              resume = after;
              break;
            }
            // An elided article: "l’OIM", "d’Appui", "qu’il": the article is a token of its own.
            if (end - start <= 2 && u_isalpha(e)) {
              std::string_view article = text.substr(static_cast<size_t>(start), static_cast<size_t>(end - start));
              if (article == "l" || article == "L" || article == "d" || article == "D" || article == "qu" ||
                  article == "Qu") {
                end = next;  // the token is the article with its apostrophe
                break;
              }
            }
          }
          if (u_isalnum(e)) {
            end = next;
            continue;
          }
        }
        // "Services’ Administration": a plural possessive.
        if (IsApostrophe(d) && (end - start) > 1 && text[static_cast<size_t>(end) - 1] == 's' &&
            (next >= length || !u_isalnum(static_cast<UChar32>(static_cast<unsigned char>(text[static_cast<size_t>(next)]))))) {
          possessive = true;
        }
        break;
      }
      token.end = static_cast<size_t>(end);
      token.text = std::string(text.substr(token.start, token.end - token.start));
      token.word = true;
      token.possessive = possessive;
      std::string_view t = token.text;
      bool plural = t.size() > 2 && t.back() == 's' && lower == 1;
      token.acronym_like = upper >= 2 && (lower == 0 || plural) && t.size() <= 12;
      token.all_caps = letters >= 2 && lower == 0;
      i = resume >= 0 ? resume : end;
    } else {
      token.end = static_cast<size_t>(i);
      token.text = std::string(text.substr(token.start, token.end - token.start));
    }
    token.key = token.word ? dossier_structure::FoldedKey(token.text) : token.text;
    tokens.push_back(std::move(token));
  }
  // In a line written in capitals (a heading, a cover page), capitalised words
  // are ordinary words, not acronyms.
  for (size_t a = 0; a < tokens.size();) {
    size_t b = a + 1;
    while (b < tokens.size() && !tokens[b].line_start) ++b;
    int words = 0, caps = 0;
    for (size_t t = a; t < b; ++t) {
      if (!tokens[t].word) continue;
      // Numbers ("2014–2018") do not count either way.
      if (tokens[t].text.find_first_not_of("0123456789") == std::string::npos) continue;
      ++words;
      caps += tokens[t].acronym_like || tokens[t].all_caps ||
              (tokens[t].text.size() == 1 && std::isupper(static_cast<unsigned char>(tokens[t].text[0])));
    }
    if (words >= 3 && caps == words) {
      for (size_t t = a; t < b; ++t) tokens[t].acronym_like = false, tokens[t].caps_line = true;
    }
    a = b;
  }
  return tokens;
}

PageTokens MakePageTokens(uint32_t number, std::string_view text) {
  PageTokens page{number, text, Tokenize(text), {}};
  page.used.assign(page.tokens.size(), false);
  return page;
}

std::string Surface(std::string_view text, const std::vector<Token>& tokens, int from, int to) {
  std::string s(text.substr(tokens[from].start, tokens[to - 1].end - tokens[from].start));
  // Line breaks inside a name become spaces; runs of spaces collapse.
  std::string out;
  for (char c : s) {
    if (c == '\n' || c == '\t' || c == '\r') c = ' ';
    if (c == ' ' && !out.empty() && out.back() == ' ') continue;
    if (c == '*') continue;
    out.push_back(c);
  }
  return out;
}

bool SameRun(const PageTokens& page, int a, int b) {
  std::string_view gap = page.text.substr(page.tokens[a].end, page.tokens[b].start - page.tokens[a].end);
  return gap.find("\n\n") == std::string_view::npos && gap.find('\t') == std::string_view::npos;
}

bool LineBreakBetween(const PageTokens& page, int a, int b) {
  std::string_view gap = page.text.substr(page.tokens[a].end, page.tokens[b].start - page.tokens[a].end);
  return gap.find('\n') != std::string_view::npos;
}

}  // namespace dossier_entities
