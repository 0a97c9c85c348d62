#include "acronyms.h"

#include <algorithm>
#include <cctype>

namespace dossier_entities {

// Schwartz & Hearst (2003): the shortest span ending at the parenthesis whose
// letters contain the short form's letters in order, the first one starting
// a word. Returns the index of the first token of the long form, or -1.
int LongFormStart(const std::vector<Token>& tokens, int open_paren, const std::string& short_form) {
  std::string letters;
  for (char c : short_form) {
    // Letters only: digits in short forms ("R4V", "G20") rarely appear in the long form.
    if (std::isalpha(static_cast<unsigned char>(c))) letters.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  }
  if (letters.size() < 2) return -1;
  // Candidate window: at most min(|A| + 5, 2|A|) words, all on the same side of a sentence break.
  const int max_words = static_cast<int>(std::min(letters.size() + 5, letters.size() * 2));
  int first = open_paren;
  int words = 0;
  while (first > 0 && words < max_words) {
    const Token& prev = tokens[first - 1];
    if (!prev.word && prev.text != "," && prev.text != "'" && prev.text != "’" && prev.text != "-" && prev.text != "–") break;
    if (prev.word) ++words;
    --first;
  }
  // Concatenate the window, remembering where each token starts.
  std::string window;
  std::vector<std::pair<size_t, int>> starts;  // offset in window -> token index
  for (int t = first; t < open_paren; ++t) {
    if (!tokens[t].word) continue;
    if (!window.empty()) window.push_back(' ');
    starts.emplace_back(window.size(), t);
    for (char c : tokens[t].text) window.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  }
  int s = static_cast<int>(letters.size()) - 1;
  int l = static_cast<int>(window.size()) - 1;
  while (s >= 0) {
    char c = letters[s];
    while (l >= 0 && (window[l] != c || (s == 0 && l > 0 && std::isalnum(static_cast<unsigned char>(window[l - 1]))))) --l;
    if (l < 0) return -1;
    --l;
    --s;
  }
  size_t begin = static_cast<size_t>(l + 1);
  for (auto it = starts.rbegin(); it != starts.rend(); ++it) {
    if (it->first <= begin) return it->second;
  }
  return -1;
}

void FindAcronymDefinitions(PageTokens& page, EntityTable& table) {
  auto& tokens = page.tokens;
  const NameWords& words = table.authority().words();
  auto connector = [&](const std::string& key) { return words.Has("connector", key); };
  auto and_word = [](const std::string& key) { return key == "and" || key == "y" || key == "et"; };
  for (int i = 1; i + 2 < static_cast<int>(tokens.size()); ++i) {
    if (tokens[i].text != "(") continue;
    // The parenthesis holds one to three tokens, the first acronym-like: "(IOM)", "(OCHA ROLAC)", "(R4V Platform)".
    int close = i + 1;
    while (close < static_cast<int>(tokens.size()) && close <= i + 4 && tokens[close].text != ")") ++close;
    if (close >= static_cast<int>(tokens.size()) || tokens[close].text != ")" || close == i + 1) continue;
    if (tokens[i + 1].acronym_like) {
      std::string acronym = tokens[i + 1].text;
      for (int t = i + 2; t < close; ++t) {
        if (!tokens[t].word || !tokens[t].capitalised) {
          acronym.clear();
          break;
        }
      }
      if (acronym.empty()) continue;
      std::string short_form = Surface(page.text, tokens, i + 1, close);
      int start = -1;
      if (close > i + 2) {
        // "OCHA Regional Office for ... (OCHA ROLAC)": the long form opens with the short form's first word.
        for (int t = i - 1; t >= 0 && t >= i - 16 && (tokens[t].word || tokens[t].text == ","); --t) {
          if (tokens[t].text == tokens[i + 1].text) {
            start = t;
            break;
          }
        }
      }
      if (start < 0) start = LongFormStart(tokens, i, short_form);
      if (start < 0 && close > i + 2) start = LongFormStart(tokens, i, tokens[i + 1].text);
      if (start < 0) continue;
      // Extend left over capitalised words joined by "of/for/on" ("Regional Group on Risks ... (REDLAC)").
      while (start >= 2 && tokens[start - 1].word && connector(tokens[start - 1].key) &&
             !and_word(tokens[start - 1].key) && tokens[start - 1].key != "the" && tokens[start - 2].word &&
             tokens[start - 2].capitalised && !tokens[start - 2].line_start) {
        start -= 2;
        while (start >= 1 && tokens[start - 1].word && tokens[start - 1].capitalised && !tokens[start].line_start) --start;
      }
      // "Office of the Inspector General (OIG)": the match may start at "of"; the
      // capitalised head word before it opens the long form.
      while (start >= 1 && tokens[start].word && !tokens[start].capitalised && connector(tokens[start].key) &&
             tokens[start - 1].word && tokens[start - 1].capitalised && !tokens[start - 1].acronym_like &&
             SameRun(page, start - 1, start)) {
        --start;
      }
      // "National Institute of Statistics (INS)": the shortest match leaves out an
      // adjective that opens the name.
      for (int k = 0; k < 2 && start >= 1 && tokens[start - 1].word && tokens[start - 1].capitalised &&
                      words.Has("modifier", tokens[start - 1].key) && SameRun(page, start - 1, start);
           ++k) {
        --start;
      }
      // A long form starts with a capital (or a digit); drop leading articles and small words.
      while (start < i && tokens[start].word && !tokens[start].capitalised) ++start;
      while (start < i && tokens[start].word && (tokens[start].key == "the" || tokens[start].key == "la" ||
                                                 tokens[start].key == "el" || tokens[start].key == "le")) ++start;
      if (start >= i) continue;
      // Quotes and commas around the long form are not part of it ("the 'Programa ...' (P)").
      int last = i;
      while (last > start && !tokens[last - 1].word) --last;
      while (start < last && !tokens[start].word) ++start;
      if (start >= last) continue;
      std::string long_form = Surface(page.text, tokens, start, last);
      std::string type = NameType(words, tokens, start, last);
      if (type == "document") continue;  // "Local Government Act (LGA)": a law, not a body
      const Authority::Entry* known = table.authority().FindByName(long_form);
      if (!known) known = table.authority().FindByAcronym(short_form);
      if (type.empty() && known) type = known->type;
      if (type.empty()) type = "other";
      // A long form opening with a known body's acronym is a unit of it ("OCHA Regional Office for ...").
      std::string parent_key;
      if (tokens[start].acronym_like) parent_key = table.ResolveOrAddKnownAcronym(tokens[start].text);
      std::string key = table.Add(type, long_form, short_form);
      if (!parent_key.empty()) table.SetParent(key, parent_key);
      table.AddMention(key, page.number, tokens[start].start, tokens[close].end, long_form);
      for (int t = start; t <= close; ++t) page.used[t] = true;
    } else if (close - i - 1 >= 2) {
      // "ACR (Long Form)": the word before the parenthesis is the acronym.
      const Token& acr = tokens[i - 1];
      if (!acr.acronym_like) continue;
      std::vector<Token> inner(tokens.begin() + i + 1, tokens.begin() + close);
      inner.push_back(tokens[close]);
      // Reuse the long-form search on the inner tokens, anchored at their end.
      int start = LongFormStart(inner, static_cast<int>(inner.size()) - 1, acr.text);
      if (start != 0) continue;  // the whole parenthesis must be the long form
      std::string long_form = Surface(page.text, tokens, i + 1, close);
      std::string type = NameType(words, tokens, i + 1, close);
      if (type == "document") continue;
      if (type.empty()) type = "other";
      std::string key = table.Add(type, long_form, acr.text);
      table.AddMention(key, page.number, acr.start, tokens[close].end, long_form);
      for (int t = i - 1; t <= close; ++t) page.used[t] = true;
    }
  }
}

namespace {

// An acronym as a list prints it: capitals (digits, "&", "-", "/" inside),
// at most 12 characters.
bool ListAcronym(const Token& token) {
  return token.word && token.text.size() <= 12 && (token.acronym_like || token.all_caps);
}

}  // namespace

void FindAcronymLists(PageTokens& page, EntityTable& table) {
  const auto& tokens = page.tokens;
  const NameWords& words = table.authority().words();
  const int n = static_cast<int>(tokens.size());
  // Lines as token ranges [first, last).
  std::vector<std::pair<int, int>> lines;
  for (int t = 0; t < n;) {
    int e = t + 1;
    while (e < n && !tokens[e].line_start) ++e;
    lines.emplace_back(t, e);
    t = e;
  }
  struct Pair {
    int acronym, long_from, long_to;  // token indexes
    size_t first_line, last_line;
  };
  // A long form: a capitalised start, at most 15 words, not another acronym alone.
  auto long_form_ok = [&](int from, int to) {
    int words_in = 0;
    for (int t = from; t < to; ++t) words_in += tokens[t].word;
    if (from >= to || !tokens[from].word || !tokens[from].capitalised || words_in > 15) return false;
    return !(words_in == 1 && ListAcronym(tokens[from]));
  };
  std::vector<Pair> pairs;
  for (size_t l = 0; l < lines.size(); ++l) {
    const auto [first, last] = lines[l];
    if (!ListAcronym(tokens[first])) continue;
    int rest = first + 1;
    // "ANLTP / TIM", "M&E": the acronym may run over "/" and "&" with another capital word.
    if (first + 1 == last) {
      // The acronym alone: its long form is the next line.
      if (l + 1 < lines.size() && long_form_ok(lines[l + 1].first, lines[l + 1].second) &&
          !ListAcronym(tokens[lines[l + 1].first])) {
        pairs.push_back({first, lines[l + 1].first, lines[l + 1].second, l, l + 1});
      }
      continue;
    }
    std::string_view gap = page.text.substr(tokens[first].end, tokens[rest].start - tokens[first].end);
    const bool tabbed = gap.find('\t') != std::string_view::npos;
    bool separated = tabbed || gap.find("  ") != std::string_view::npos;
    if (!tabbed && !tokens[rest].word &&
        (tokens[rest].text == "-" || tokens[rest].text == "\u2013" || tokens[rest].text == "\u2014" ||
         tokens[rest].text == ":" || tokens[rest].text == "=")) {
      ++rest;
      separated = true;
    }
    // A paragraph set in capitals is no list: its first word is set off from the rest by one space only.
    if (tokens[first].caps_line && !separated) continue;
    // The long form runs to the end of the line, or to the next cell.
    int to = rest;
    while (to < last && (to == rest || page.text.substr(tokens[to - 1].end, tokens[to].start - tokens[to - 1].end).find('\t') ==
                                           std::string_view::npos)) {
      ++to;
    }
    if (long_form_ok(rest, to)) pairs.push_back({first, rest, to, l, l});
  }
  // Only runs of three or more pairs on consecutive lines are a list.
  for (size_t a = 0; a < pairs.size();) {
    size_t b = a + 1;
    while (b < pairs.size() && pairs[b].first_line == pairs[b - 1].last_line + 1) ++b;
    if (b - a >= 3) {
      for (size_t k = a; k < b; ++k) {
        const Pair& p = pairs[k];
        int to = p.long_to;
        while (to > p.long_from && !tokens[to - 1].word) --to;
        if (to <= p.long_from) continue;
        std::string type = NameType(words, tokens, p.long_from, to);
        if (type == "document") continue;
        if (type.empty() && words.Has("prefix.organisation", tokens[p.long_from].key)) type = "organisation";
        if (type.empty()) type = "other";
        const std::string long_form = Surface(page.text, tokens, p.long_from, to);
        const std::string key = table.Add(type, long_form, tokens[p.acronym].text);
        table.AddMention(key, page.number, tokens[p.acronym].start, tokens[to - 1].end, long_form);
        for (int t = p.acronym; t < to; ++t) page.used[t] = true;
      }
    }
    a = b;
  }
}

}  // namespace dossier_entities
