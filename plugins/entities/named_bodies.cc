#include "named_bodies.h"

#include <algorithm>
#include <cctype>

namespace dossier_entities {

namespace {

// Where a company's legal form that starts at token `from` ends (one past its
// last token), or -1: "S.A.", ", Inc.", "S.A.C.", "LLP" (words of the
// `suffix.company` list, their letters read across the dots).
int CompanySuffixEnd(const PageTokens& page, const NameWords& words, int from) {
  const auto& tokens = page.tokens;
  const int n = static_cast<int>(tokens.size());
  if (from <= 0 || from >= n) return -1;
  int k = from;
  if (tokens[k].text == ",") ++k;
  std::string letters;
  bool dotted = false;
  while (k < n && k - from < 8 && SameRun(page, k - 1, k) && tokens[k].word && tokens[k].text.size() <= 4) {
    letters += tokens[k].key;
    ++k;
    const bool dot_follows = k < n && tokens[k].text == "." && tokens[k].start == tokens[k - 1].end;
    if (words.Has("suffix.company", letters)) return dotted && dot_follows ? k + 1 : k;  // "S.A." with its last dot
    if (k < n && tokens[k].text == ".") ++k, dotted = true;
  }
  return -1;
}

// Whether the words in capitals from token `from` on are a company's name
// with its legal form ("PETRÓLEOS DEL PERÚ S.A." inside a sentence).
bool CapitalsEndInCompanySuffix(const PageTokens& page, const NameWords& words, int from) {
  const auto& tokens = page.tokens;
  const int n = static_cast<int>(tokens.size());
  int k = from;
  while (k < n && k - from < 10 && tokens[k].word && tokens[k].all_caps && (k == from || SameRun(page, k - 1, k))) {
    ++k;
  }
  return k > from && CompanySuffixEnd(page, words, k) >= 0;
}

// Whether a word is a post's title ("Officer", "Gerente", "Directors").
bool IsPostTitle(const NameWords& words, const Token& t) {
  return t.word && words.IsPostTitle(t.key);
}

// Where the body starts in a name that opens with a post ("Presidente del
// Directorio de …", "Gerente Departamento Distribución", "Director of the
// Evaluation Office") or with "Al" / "Au" before one ("Al Órgano Instructor"):
// the first capitalised word after the titles and connectors, when it and
// the words after it name a body of two words or more (with a head word, or
// a company's legal form: "Titular de Petroperú S.A."). Otherwise `from`.
int BodyAfterPost(const std::vector<Token>& tokens, const NameWords& words, int from, int to, bool company) {
  auto title = [&](const Token& t) { return IsPostTitle(words, t); };
  int t = from;
  const bool addressed = t < to && (tokens[t].key == "al" || tokens[t].key == "au" || tokens[t].key == "aux");
  if (addressed) ++t;
  const int titles_from = t;
  while (t < to && tokens[t].capitalised && title(tokens[t])) ++t;
  if (t == titles_from && !addressed) return from;
  auto article = [](const std::string& k) { return k == "the" || k == "la" || k == "le" || k == "les" || k == "l" || k == "el"; };
  while (t < to && tokens[t].word && (!tokens[t].capitalised || tokens[t].all_caps) &&
         (words.Has("connector", tokens[t].key) || article(tokens[t].key))) {
    ++t;  // "of the", "del", "DE" in capitals
  }
  bool head = company;
  for (int k = t; k < to && !head; ++k) head = tokens[k].word && words.HeadType(tokens[k].key) == "organisation";
  if (to - t >= 2 && tokens[t].capitalised && head) return t;
  return from;
}

}  // namespace

void FindNamedBodies(PageTokens& page, EntityTable& table) {
  auto& tokens = page.tokens;
  const int n = static_cast<int>(tokens.size());
  const NameWords& words = table.authority().words();
  auto IsConnector = [&](const std::string& key) { return words.Has("connector", key); };
  auto IsNameStopWord = [&](const std::string& key) { return words.Has("stop", key); };
  auto IsGenericName = [&](const std::string& key) { return words.Has("generic", key); };
  auto HeadType = [&](const Token& t) { return t.word ? std::string(words.HeadType(t.key)) : std::string(); };
  auto TypeOfName = [&](const std::vector<Token>& toks, int from, int to) {
    for (int t = from; t < to; ++t) {
      std::string type = HeadType(toks[t]);
      if (!type.empty()) return type;
    }
    return std::string();
  };
  for (int i = 0; i < n; ++i) {
    if (page.used[i] || !tokens[i].word) continue;
    // "le projet MRRM", "el programa PRONAA", "programme YOUTH START": a lower-case
    // programme word before a name in capitals.
    if (!tokens[i].capitalised) {
      if (i + 1 < n && HeadType(tokens[i]) == "programme" && tokens[i + 1].word && !page.used[i + 1] &&
          (tokens[i + 1].acronym_like || tokens[i + 1].all_caps) && SameRun(page, i, i + 1)) {
        int end = i + 1;
        while (end < n && end - i <= 3 && tokens[end].word && (tokens[end].acronym_like || tokens[end].all_caps) &&
               !page.used[end] && SameRun(page, end - 1, end) && !(end > i + 1 && tokens[end - 1].possessive)) {
          ++end;
        }
        std::string name = Surface(page.text, tokens, i + 1, end);
        std::string key = table.Resolve(name);
        if (key.empty() && end == i + 2) key = table.ResolveOrAddKnownAcronym(name);
        if (key.empty()) key = table.Add("programme", name);
        table.Vote(key, "programme");
        table.AddMention(key, page.number, tokens[i + 1].start, tokens[end - 1].end, name);
        for (int t = i + 1; t < end; ++t) page.used[t] = true;
        i = end - 1;
      }
      continue;
    }

    // A known acronym, possibly followed by a unit name ("IOM Buenos Aires", "IOM Headquarters").
    if (tokens[i].acronym_like) {
      std::string key = table.Resolve(tokens[i].text);
      if (key.empty()) key = table.ResolveOrAddKnownAcronym(tokens[i].text);
      if (!key.empty() && (table.Get(key).type == "organisation" || table.Get(key).type == "programme")) {
        int end = i + 1;
        // "OCHA ROLAC": an unknown acronym right after a known body's names a part of it.
        if (end < n && tokens[end].acronym_like && table.Get(key).type == "organisation" &&
            table.Resolve(tokens[end].text).empty() && !table.authority().FindByAcronym(tokens[end].text) &&
            tokens[end].start - tokens[i].end <= 2) {
          std::string unit = tokens[i].text + " " + tokens[end].text;
          std::string unit_key = table.Add("organisation", unit);
          table.SetParent(unit_key, key);
          table.AddMention(unit_key, page.number, tokens[i].start, tokens[end].end, unit);
          page.used[i] = page.used[end] = true;
          i = end;
          continue;
        }
        while (end < n && tokens[end].word && tokens[end].capitalised && !tokens[end].acronym_like &&
               !page.used[end] && !IsNameStopWord(tokens[end].key) && !IsConnector(tokens[end].key) &&
               SameRun(page, end - 1, end) && !tokens[end - 1].possessive) {
          ++end;
        }
        // Allow "for/of ... Capitalised" continuations only after a head noun ("Regional Office for Latin America").
        if (end > i + 1 && !TypeOfName(tokens, i + 1, end).empty()) {
          auto naming = [](const std::string& k) { return k == "for" || k == "of" || k == "on" || k == "de" ||
                                                          k == "para" || k == "pour" || k == "del" || k == "du"; };
          // A run of up to two connectors between capitalised words: "Latin America and the Caribbean".
          auto connects = [&](int t) {
            int k = t;
            while (k < n && k - t < 2 && tokens[k].word && IsConnector(tokens[k].key) && SameRun(page, k - 1, k)) ++k;
            return k > t && k < n && tokens[k].word && tokens[k].capitalised && SameRun(page, k - 1, k);
          };
          while (end + 1 < n && tokens[end].word && naming(tokens[end].key) && tokens[end + 1].word &&
                 tokens[end + 1].capitalised && !tokens[end + 1].acronym_like && SameRun(page, end, end + 1)) {
            int next = end + 1;
            while (next < n && tokens[next].word && !tokens[next].acronym_like &&
                   ((tokens[next].capitalised && SameRun(page, next - 1, next)) ||
                    (IsConnector(tokens[next].key) && connects(next)))) ++next;
            end = next;
          }
        }
        const Entity& owner = table.Get(key);
        if (end > i + 1 && owner.type == "organisation") {
          std::string unit = Surface(page.text, tokens, i, end);
          std::string tail_surface = Surface(page.text, tokens, i + 1, end);
          // The name written out after its acronym is the body itself, not a unit.
          bool restated = false;
          for (int t = end; t > i + 1; --t) restated |= table.Resolve(Surface(page.text, tokens, i + 1, t)) == key;
          std::string tail = NameKey(tail_surface);
          std::string known_unit = table.Resolve(tail_surface);
          // "IOM Buenos Aires", "IOM Niger", "IOM Headquarters"; not "IOM Activities" nor
          // "IOM International Organization for Migration" (the name itself).
          const std::string tail_type = NameType(words, tokens, i + 1, end);
          const bool place = words.Has("place", tail);
          const bool person = IsPostTitle(words, tokens[end - 1]);
          if (person || tail_type == "document") {
            // "IOM Protection Officer" is a person's title; "IOM Data Protection Policy" a text: the body only.
            table.AddMention(key, page.number, tokens[i].start, tokens[i].end, tokens[i].text);
            for (int t = i; t < end; ++t) page.used[t] = true;
            i = end - 1;
            continue;
          }
          if (tail_type == "programme" && !restated) {
            // "IOM Niger Crisis Response Plan": a programme of the body, not a unit.
            std::string programme = table.Add("programme", unit);
            table.AddMention(programme, page.number, tokens[i].start, tokens[end - 1].end, unit);
            for (int t = i; t < end; ++t) page.used[t] = true;
            i = end - 1;
            continue;
          }
          bool unit_like = place || tail_type == "organisation";
          if (unit_like && !restated && !IsGenericName(tail)) {
            // "its Water Division" earlier, "ARD Water Division" now: one unit, under the fuller name.
            if (!known_unit.empty()) table.Rename(known_unit, unit);
            std::string unit_key = known_unit.empty() ? table.Add("organisation", unit) : known_unit;
            table.SetParent(unit_key, key);
            table.AddMention(unit_key, page.number, tokens[i].start, tokens[end - 1].end, unit);
            for (int t = i; t < end; ++t) page.used[t] = true;
            i = end - 1;
            continue;
          }
        }
        table.AddMention(key, page.number, tokens[i].start, tokens[i].end, tokens[i].text);
        page.used[i] = true;
        continue;
      }
    }

    // The longest name from the authority file starting here, word by word
    // over token keys while some name still starts with the words so far.
    int best_end = -1;
    {
      std::string so_far;
      for (int end = i + 1; end <= n; ++end) {
        const Token& t = tokens[end - 1];
        if (!t.word) {
          if (t.text == "," || t.text == "'" || t.text == "’" || t.text == "-" || t.text == "&") continue;
          break;
        }
        so_far += (so_far.empty() ? "" : " ") + t.key;
        if (!table.authority().IsNamePrefix(so_far)) break;
        if (table.authority().FindByKey(so_far)) best_end = end;
      }
    }
    if (best_end > 0) {
      const Authority::Entry* known = table.authority().FindByName(Surface(page.text, tokens, i, best_end));
      std::string key = table.Add(known->type, known->name, known->acronyms.empty() ? "" : known->acronyms.front());
      table.AddMention(key, page.number, tokens[i].start, tokens[best_end - 1].end, Surface(page.text, tokens, i, best_end));
      for (int t = i; t < best_end; ++t) page.used[t] = true;
      i = best_end - 1;
      continue;
    }

    // A capitalised phrase: Capitalised (connector* Capitalised)*, on one logical line run.
    // Acronyms of places and other non-bodies may sit inside a name ("LAC RMD Coalition").
    auto and_word = [](const std::string& k) { return k == "and" || k == "y" || k == "et"; };
    auto has_lower = [&](int t) {
      return tokens[t].word && !tokens[t].all_caps && !tokens[t].acronym_like &&
             !(tokens[t].text.size() == 1 && std::isupper(static_cast<unsigned char>(tokens[t].text[0])));  // "Y", "A"
    };
    // A word in capitals that is no acronym (a heading's word).
    // (A word with digits is a code or an acronym: "UN80", "G20".)
    auto heading_caps = [&](int t) {
      return tokens[t].all_caps && tokens[t].text.size() >= 4 &&
             tokens[t].text.find_first_of("0123456789") == std::string::npos && table.Resolve(tokens[t].text).empty() &&
             !table.authority().FindByAcronym(tokens[t].text);
    };
    auto name_word = [&](int t) {
      if (!tokens[t].word || !tokens[t].capitalised || page.used[t] || IsNameStopWord(tokens[t].key)) return false;
      if (tokens[t - 1].possessive) return false;  // "Free Software Foundation’s Manual"
      if (tokens[t].acronym_like) {
        std::string key = table.Resolve(tokens[t].text);
        if (!key.empty() && table.Get(key).type != "other") return false;
        if (key.empty() && table.authority().FindByAcronym(tokens[t].text)) return false;
      }
      if (tokens[t].line_start && (tokens[t].caps_line || tokens[t - 1].caps_line)) return false;
      // "X Department and MPRP" (in a run of capitals, "Y" / "AND" is a word of the name).
      if (tokens[t].acronym_like && and_word(tokens[t - 1].key) && !tokens[t - 1].all_caps &&
          !std::isupper(static_cast<unsigned char>(tokens[t - 1].text[0]))) {
        return false;
      }
      // A change from title case to capitals is a heading glued under a name
      // ("Evaluation Office EVALUATION OF …", "Programmes MEMORANDUM"); across a
      // line break, any change of style is.
      if (has_lower(t - 1) && heading_caps(t)) return false;
      if (LineBreakBetween(page, t - 1, t)) {
        if (heading_caps(t - 1) && has_lower(t)) return false;
        // A list of names, one a line: a line that ends in a head word ends its name
        // ("… Administration" / "Department of …"), and a line that opens with a head
        // word starts a new one when the name before already has its head.
        const bool opens_head_of = !HeadType(tokens[t]).empty() && t + 1 < n && tokens[t + 1].word &&
                                   !tokens[t + 1].capitalised && IsConnector(tokens[t + 1].key);
        if (!HeadType(tokens[t - 1]).empty() && (HeadType(tokens[t]).empty() || opens_head_of)) return false;
        if (opens_head_of && !TypeOfName(tokens, i, t).empty()) return false;
        // "Office of Management and Budget" / "Occupational …": a name with its head
        // and a complement is whole at the end of its line.
        // Only when the next line is a name of its own: capitalised words and
        // connectors with a head word ("Agency for Rural" / "Development, the …" joins).
        bool next_line_is_name = false;
        {
          int e = t;
          bool head = false, plain = true;
          while (e < n && (e == t || !tokens[e].line_start)) {
            if (tokens[e].word) {
              head |= !HeadType(tokens[e]).empty();
              plain &= tokens[e].capitalised || IsConnector(tokens[e].key);
            } else {
              plain = false;
            }
            ++e;
          }
          next_line_is_name = head && plain;
        }
        if (next_line_is_name && tokens[t - 1].capitalised && !TypeOfName(tokens, i, t).empty()) {
          for (int k = i + 1; k < t; ++k) {
            if (tokens[k].word && !tokens[k].capitalised && IsConnector(tokens[k].key) && tokens[k].key != "and") return false;
          }
        }
        if (std::isdigit(static_cast<unsigned char>(tokens[t - 1].text[0]))) return false;
      }
      return SameRun(page, t - 1, t);
    };
    if (IsNameStopWord(tokens[i].key)) continue;
    // A line in capitals (a heading, a cover page) gives only names that open
    // with their head word ("MINISTRY OF HEALTH", "AGENCY FOR RURAL DEVELOPMENT").
    const bool caps_phrase = tokens[i].caps_line || heading_caps(i);
    if (caps_phrase && ((HeadType(tokens[i]) != "organisation" && HeadType(tokens[i]) != "programme") ||
                        (tokens[i].caps_line && !tokens[i].line_start)) &&
        (tokens[i].caps_line || !CapitalsEndInCompanySuffix(page, words, i))) {
      continue;
    }
    int end = i + 1;
    while (end < n && !tokens[end - 1].possessive) {
      // A legal form ends a company's name ("… S.A. , LIMITANDO").
      if (end > i + 1 && (CompanySuffixEnd(page, words, end) >= 0 ||
                          (tokens[end].text.size() == 1 && CompanySuffixEnd(page, words, end) >= 0))) {
        break;
      }
      if (name_word(end)) {
        ++end;
        continue;
      }
      int j = end;
      while (j < n && tokens[j].word && !tokens[j].capitalised && IsConnector(tokens[j].key) && j - end < 3) ++j;
      // "Contact the Lakeside …", "Later the …": an article alone does not join two
      // capitalised words ("Office of the …", "de la …" do).
      const bool article_first = j > end && (tokens[end].key == "the" || tokens[end].key == "la" || tokens[end].key == "le" ||
                                             tokens[end].key == "les" || tokens[end].key == "el" || tokens[end].key == "l" ||
                                             tokens[end].key == "los" || tokens[end].key == "las");
      if (j > end && j < n && !article_first && name_word(j)) {
        end = j + 1;
        continue;
      }
      // "Department for Business, Innovation and Skills", "Bureau of Alcohol, Tobacco,
      // Firearms, and Explosives": a comma list closed by "and", after a complement.
      if (tokens[end].text == "," && !TypeOfName(tokens, i, end).empty()) {
        bool complement = false;
        for (int t = i + 1; t < end; ++t) complement |= tokens[t].word && !tokens[t].capitalised && IsConnector(tokens[t].key);
        int k = end;
        int closed = -1;
        while (complement && k < n && k - end < 16 && tokens[k].text == "," && SameRun(page, k - 1, k)) {
          ++k;
          if (k < n && and_word(tokens[k].key)) ++k;  // ", and"
          bool last = k > 0 && and_word(tokens[k - 1].key);
          if (k >= n || !name_word(k)) break;
          while (k < n && name_word(k)) ++k;
          if (last) {
            closed = k;
            break;
          }
          if (k < n && and_word(tokens[k].key) && k + 1 < n && name_word(k + 1)) {
            k += 1;
            while (k < n && name_word(k)) ++k;
            closed = k;
            break;
          }
        }
        if (closed > 0) {
          end = closed;
          continue;
        }
      }
      break;
    }
    // A company's legal form after its name: "Acme Holdings, Inc.", "Petróleos del Sur S.A."
    // (the name may have taken the "S" of "S.A." as one of its words).
    std::string company_suffix_type;
    {
      const int suffix_end = CompanySuffixEnd(page, words, end);
      const int suffix_inside = end - 1 > i && tokens[end - 1].text.size() == 1 ? CompanySuffixEnd(page, words, end - 1) : -1;
      const int last = suffix_end >= 0 ? suffix_end : suffix_inside;
      if (last >= 0 && end > i) {
        end = last;
        company_suffix_type = "organisation";
      }
    }
    // Split at "and" where both sides name a body of their own ("UNHCR and the IOM Office",
    // "Legal Office and Planning Unit"), not inside a complement ("Department of Health and Human Services").
    int from = i;
    for (int k = i; k <= end; ++k) {
      bool boundary = k == end;
      if (!boundary && tokens[k].word && and_word(tokens[k].key) && !TypeOfName(tokens, from, k).empty() &&
          !TypeOfName(tokens, k + 1, end).empty() && k + 1 < end) {
        const bool left_complete = !HeadType(tokens[k - 1]).empty();
        const bool right_opens = !HeadType(tokens[k + 1]).empty() || tokens[k + 1].key == "the" ||
                                 tokens[k + 1].acronym_like;
        boundary = left_complete || right_opens;
      }
      if (!boundary) continue;
      int a = from, b = k;
      auto is_number = [&](int t) { return std::isdigit(static_cast<unsigned char>(tokens[t].text[0])) != 0; };
      // A leading article is not part of the name ("The …", "El Programa …", "Le Fonds …"); "La" and
      // "Los" stay, as in La Paz or Los Angeles.
      auto article = [](const std::string& k) { return k == "the" || k == "el" || k == "le" || k == "les"; };
      while (a < b && (!tokens[a].capitalised || article(tokens[a].key))) ++a;
      const bool keeps_suffix = !company_suffix_type.empty() && b == end;  // "… S.A." ends with its dot
      if (keeps_suffix) {
        // "2008 Ann Smith 2014 Kelp Systems, Inc": a company's name holds no
        // number and starts on its suffix's line.
        for (int t = a; t < b; ++t) {
          if (is_number(t) && t + 1 < b && CompanySuffixEnd(page, words, t + 1) != b) a = t + 1;
          if (t > a && LineBreakBetween(page, t - 1, t) && CompanySuffixEnd(page, words, t) != b) a = t;
        }
      } else {
        // "Ann Smith 2014 Kelp Systems Corporation": a year inside a run of capitalised
        // words ends what came before; the name is after it (when two words or more).
        for (int t = a + 1; t + 2 < b; ++t) {
          if (is_number(t) && tokens[t].text.size() >= 4 && TypeOfName(tokens, a, t).empty()) a = t + 1;
        }
        // "University of Kelp 2001 Ann Smith License": after the head word, a year ends the name.
        for (int t = a + 1; t + 1 < b; ++t) {
          if (is_number(t) && tokens[t].text.size() >= 4 && !TypeOfName(tokens, a, t).empty()) {
            b = t;
            break;
          }
        }
      }
      a = BodyAfterPost(tokens, words, a, b, keeps_suffix);
      // "EMPRESA HEAVEN PETROLEUM OPERATORS S.A.": the word for a company before its
      // name is no part of it (unless the name is made of it: "Empresa Nacional de …").
      if (keeps_suffix && a < b && HeadType(tokens[a]) == "organisation") {
        int suffix = a + 1;
        while (suffix < b && CompanySuffixEnd(page, words, suffix) != b) ++suffix;
        bool plain = suffix - a >= 3;
        for (int t = a + 1; t < suffix; ++t) plain &= tokens[t].word && HeadType(tokens[t]).empty() && !IsConnector(tokens[t].key);
        if (plain) ++a;
      }
      while (!keeps_suffix && b > a && (IsConnector(tokens[b - 1].key) || !tokens[b - 1].word || !tokens[b - 1].capitalised || is_number(b - 1))) --b;
      // "… Compras de Hidrocarburos y Gerente": a post after "and" is the next party, not the name's end.
      for (int t = a + 1; t + 1 < b; ++t) {
        if (and_word(tokens[t].key) && IsPostTitle(words, tokens[t + 1])) {
          b = t;
          break;
        }
      }
      // Leading numbers go ("1984 Cartagena Declaration", "4 1 Management"), unless a number
      // and a head noun are the whole name ("2030 Agenda").
      while (a < b && is_number(a) && !(b - a == 2 && tokens[a].text.size() == 4 && !HeadType(tokens[a + 1]).empty())) ++a;
      if (a >= b) {
        from = k + 1;
        continue;
      }
      std::string type = NameType(words, tokens, a, b);
      if (!company_suffix_type.empty() && b == end) type = company_suffix_type;
      if (type == "document") {
        // "Local Government Act", "Shakespeare Review": a text, not a body.
        for (int t = a; t < b; ++t) page.used[t] = true;
        from = k + 1;
        continue;
      }
      // "American Mathematical Society Michael Downes": two or more capitalised
      // words right after the last head word, with no connector, are a person's
      // name, not part of the body's.
      if (!type.empty() && company_suffix_type.empty()) {
        int last_head = -1;
        for (int t = a; t < b; ++t) {
          if (!HeadType(tokens[t]).empty()) last_head = t;
        }
        if (last_head >= a && b - last_head - 1 >= 2) {
          bool plain = true;
          for (int t = last_head + 1; t < b; ++t) plain &= tokens[t].word && tokens[t].capitalised && !tokens[t].acronym_like &&
                     !tokens[t].caps_line && !IsConnector(tokens[t].key);
          if (plain) b = last_head + 1;
        }
      }
      // "Mandate of the Organization", "management of the Programme": a phrase whose only
      // head noun is its last word after "of the" refers to some body; it is not a name.
      bool generic_reference = b - a >= 3 && TypeOfName(tokens, a, b - 1).empty() && tokens[b - 2].key == "the";
      // "the Midata initiative": a name before a lower-case programme word.
      if (type.empty() && b < n && b == end && tokens[b].word && !tokens[b].capitalised &&
          HeadType(tokens[b]) == "programme" && SameRun(page, b - 1, b) && !words.Has("place", NameKey(Surface(page.text, tokens, a, b))) &&
          !(b - a == 1 && (tokens[a].line_start || (a > 0 && tokens[a - 1].text == ".")))) {
        std::string name = Surface(page.text, tokens, a, b);
        std::string entity = table.Resolve(name);  // "the RHT project": an acronym defined earlier
        if (entity.empty()) entity = table.Add("programme", name);
        table.Vote(entity, "programme");
        table.AddMention(entity, page.number, tokens[a].start, tokens[b].end, name + " " + tokens[b].text);
        for (int t = a; t <= b; ++t) page.used[t] = true;
        from = k + 1;
        continue;
      }
      // A lone head noun ("the Programme", "Headquarters") is generic.
      if (!type.empty() && b - a >= 2 && !generic_reference) {
        // "Los Angeles and Palenque Declarations": two names sharing a plural head.
        int and_at = -1;
        for (int t = a + 1; t < b - 1; ++t) {
          if (and_word(tokens[t].key)) and_at = t;
        }
        const Token& head = tokens[b - 1];
        std::string singular_head = head.text.size() > 3 && head.text.back() == 's' ? head.text.substr(0, head.text.size() - 1) : "";
        if (and_at > a && !singular_head.empty() && !HeadType(head).empty() && TypeOfName(tokens, a, b - 1).empty() &&
            !words.HeadType(NameKey(singular_head)).empty()) {
          for (auto [x, y] : {std::pair<int, int>{a, and_at}, std::pair<int, int>{and_at + 1, b - 1}}) {
            std::string name = Surface(page.text, tokens, x, y) + " " + singular_head;
            std::string entity = table.Add(type, name);
            table.AddMention(entity, page.number, tokens[x].start, tokens[b - 1].end, name);
          }
          for (int t = a; t < b; ++t) page.used[t] = true;
        } else {
          std::string name = Surface(page.text, tokens, a, b);
          std::string key = NameKey(name);
          if (!IsGenericName(key)) {
            std::string entity = table.Add(type, name);
            table.AddMention(entity, page.number, tokens[a].start, tokens[b - 1].end, name);
            for (int t = a; t < b; ++t) page.used[t] = true;
          }
        }
      }
      from = k + 1;
    }
    i = std::max(i, end - 1);
  }
}

void TypeFromUsage(const std::vector<PageTokens>& pages, EntityTable& table) {
  const NameWords& words = table.authority().words();
  std::vector<std::string> keys;
  for (const auto& [key, entity] : table.all()) {
    if (entity.type == "other") keys.push_back(key);
  }
  for (const std::string& key : keys) {
    std::map<std::string, int> votes = table.Get(key).type_votes;
    for (const Mention& m : table.Get(key).mentions) {
      auto page = std::find_if(pages.begin(), pages.end(), [&](const PageTokens& p) { return p.number == m.page; });
      if (page == pages.end()) continue;
      const auto& tokens = page->tokens;
      auto after = std::lower_bound(tokens.begin(), tokens.end(), m.end, [](const Token& t, size_t at) { return t.start < at; });
      if (after != tokens.end() && after->word) {
        // "the MRRM project", "CMS officials"
        std::string_view type = words.HeadType(after->key);
        if (type == "organisation" || type == "programme") ++votes[std::string(type)];
        if (words.Has("usage.organisation", after->key)) ++votes["organisation"];
      }
      if (after != tokens.begin()) {
        auto before = std::lower_bound(tokens.begin(), tokens.end(), m.start, [](const Token& t, size_t at) { return t.start < at; });
        if (before != tokens.begin()) {
          --before;
          // "projet MRRM", "la mission de …": a lower-case head word right before.
          std::string_view type = before->word && !before->capitalised ? words.HeadType(before->key) : "";
          if (type == "organisation" || type == "programme") ++votes[std::string(type)];
        }
      }
    }
    std::string best;
    int most = 0;
    for (const auto& [type, n] : votes) {
      if (n > most) most = n, best = type;
    }
    if (!best.empty()) table.SetType(key, best);
  }
}

void FindListedBodies(std::vector<PageTokens>& pages, EntityTable& table) {
  const NameWords& words = table.authority().words();
  auto joiner = [](const Token& t) {
    return t.text == "," || t.text == ";" || t.key == "and" || t.key == "et" || t.key == "y";
  };
  auto comma = [](const Token& t) { return t.text == "," || t.text == ";"; };
  for (PageTokens& page : pages) {
    auto& tokens = page.tokens;
    const int n = static_cast<int>(tokens.size());
    // Which tokens a body's mention covers.
    std::vector<char> body(tokens.size(), 0);
    auto mark_bodies = [&]() {
      for (const auto& [key, entity] : table.all()) {
        if (entity.type != "organisation") continue;
        for (const Mention& m : entity.mentions) {
          if (m.page != page.number) continue;
          auto t = std::lower_bound(tokens.begin(), tokens.end(), m.start, [](const Token& tok, size_t at) { return tok.start < at; });
          for (; t != tokens.end() && t->end <= m.end; ++t) body[t - tokens.begin()] = 1;
        }
      }
    };
    mark_bodies();
    // A run of plain capitalised words from `from`, on one line, ending where a list goes on or closes.
    auto name_run = [&](int from, bool closed_list = true) {
      int end = from;
      while (end < n && end - from < 4 && tokens[end].word && tokens[end].capitalised && !tokens[end].all_caps &&
             !page.used[end] && !body[end] && !words.Has("stop", tokens[end].key) && !words.Has("connector", tokens[end].key) &&
             !IsPostTitle(words, tokens[end]) &&
             (end == from || SameRun(page, end - 1, end)) && !(end > from && LineBreakBetween(page, end - 1, end))) {
        ++end;
      }
      const bool closed = end < n && (joiner(tokens[end]) || tokens[end].text == ")" || tokens[end].text == ".");
      return end - from >= 2 && (closed || !closed_list) ? end : -1;
    };
    bool added = true;
    for (int round = 0; added && round < 4; ++round) {
      added = false;
      for (int i = 1; i < n; ++i) {
        int from = -1;
        // "ONG Marsh Solidali"
        if (tokens[i - 1].word && words.Has("prefix.organisation", tokens[i - 1].key)) from = i;
        // "…, Marsh Solidali" / "Marsh Solidali, CIPMEN," beside a body listed with commas.
        if (from < 0 && comma(tokens[i - 1]) && i >= 2 && body[i - 2]) from = i;
        if (from < 0 && (comma(tokens[i - 1]) || tokens[i - 1].text == "(")) {
          const int end = name_run(i);
          int next = end + 1;
          while (next > 0 && next < n && body[next]) ++next;  // past the body's mention
          const bool listed = next < n && next > end + 1 && (joiner(tokens[next]) || tokens[next].text == ")");
          if (end > 0 && comma(tokens[end]) && body[end + 1] && listed) from = i;
        }
        if (from < 0) continue;
        const int end = name_run(from, from != i || !words.Has("prefix.organisation", tokens[i - 1].key));
        if (end < 0) continue;
        const std::string name = Surface(page.text, tokens, from, end);
        if (words.Has("generic", NameKey(name)) || words.Has("place", NameKey(name))) continue;
        std::string key = table.Resolve(name);
        if (key.empty()) key = table.Add("organisation", name);
        if (key.empty()) continue;
        if (table.Get(key).type == "other") table.SetType(key, "organisation");
        table.AddMention(key, page.number, tokens[from].start, tokens[end - 1].end, name);
        for (int t = from; t < end; ++t) page.used[t] = true, body[t] = 1;
        added = true;
        i = end;
      }
    }
  }
}

}  // namespace dossier_entities
