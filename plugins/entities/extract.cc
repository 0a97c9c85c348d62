// Rule-based extraction: acronym definitions (Schwartz–Hearst), named bodies by
// their head noun, units of known bodies, numbered items, responsible offices,
// due dates and dates. Language-independent rules with English, Spanish and
// French vocabularies; nothing here knows any particular document.
#include "extract.h"

#include <re2/re2.h>

#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>
#include <unicode/utf8.h>

#include <algorithm>
#include <cstring>
#include <fstream>
#include <set>
#include <sstream>
#include <tuple>

#include "dates.h"
#include "items.h"
#include "structure.h"

namespace dossier_entities {

using nlohmann::json;

// ---------------------------------------------------------------- names

// One key for names, headings and cue words: the structure library's.
std::string NameKey(std::string_view name) { return dossier_structure::FoldedKey(name); }

namespace {

std::vector<std::string> Split(const std::string& s, char sep) {
  std::vector<std::string> out;
  std::stringstream in(s);
  std::string part;
  while (std::getline(in, part, sep)) {
    size_t a = part.find_first_not_of(" \t"), b = part.find_last_not_of(" \t\r");
    if (a != std::string::npos) out.push_back(part.substr(a, b - a + 1));
  }
  return out;
}

}  // namespace

bool Authority::LoadFile(const std::string& path, std::string* error) {
  std::ifstream in(path);
  if (!in) {
    *error = path + ": cannot open authority file";
    return false;
  }
  std::string line;
  int line_number = 0;
  while (std::getline(in, line)) {
    ++line_number;
    if (line.empty() || line[0] == '#') continue;
    std::vector<std::string> fields;
    std::stringstream row(line);
    std::string field;
    while (std::getline(row, field, '\t')) fields.push_back(field);
    if (fields.size() < 2 || (fields[0] != "organisation" && fields[0] != "programme")) {
      *error = path + ":" + std::to_string(line_number) +
               ": expected TYPE<tab>NAMES[<tab>ACRONYMS[<tab>PARENT]] with TYPE organisation or programme";
      return false;
    }
    Entry entry;
    entry.type = fields[0];
    entry.names = Split(fields[1], '|');
    if (fields.size() > 2) entry.acronyms = Split(fields[2], '|');
    if (fields.size() > 3) entry.parent = fields[3];
    if (entry.names.empty()) {
      *error = path + ":" + std::to_string(line_number) + ": no name";
      return false;
    }
    entry.name = entry.names.front();
    size_t index = entries_.size();
    for (const std::string& n : entry.names) {
      const std::string key = NameKey(n);
      by_name_.emplace(key, index);
      std::vector<std::string> words = Split(key, ' ');
      max_name_tokens_ = std::max(max_name_tokens_, words.size());
      std::string prefix;
      for (const std::string& w : words) {
        prefix += (prefix.empty() ? "" : " ") + w;
        name_prefixes_.insert(prefix);
      }
    }
    for (const std::string& a : entry.acronyms) by_acronym_.emplace(a, index);
    entries_.push_back(std::move(entry));
  }
  return true;
}

const Authority::Entry* Authority::FindByName(std::string_view name) const {
  auto it = by_name_.find(NameKey(name));
  return it == by_name_.end() ? nullptr : &entries_[it->second];
}

const Authority::Entry* Authority::FindByAcronym(std::string_view acronym) const {
  auto it = by_acronym_.find(std::string(acronym));
  return it == by_acronym_.end() ? nullptr : &entries_[it->second];
}

namespace {

// ---------------------------------------------------------------- vocabulary

// Head nouns that make a capitalised phrase a body, with the type they give.
const std::map<std::string, std::string>& HeadNouns() {
  static const auto* heads = new std::map<std::string, std::string>{
      // organisations
      {"organization", "organisation"}, {"organisation", "organisation"}, {"organizacion", "organisation"},
      {"office", "organisation"}, {"oficina", "organisation"}, {"bureau", "organisation"},
      {"department", "organisation"}, {"departamento", "organisation"}, {"departement", "organisation"},
      {"agency", "organisation"}, {"agencia", "organisation"}, {"agence", "organisation"},
      {"fund", "organisation"}, {"fondo", "organisation"}, {"fonds", "organisation"},
      {"commission", "organisation"}, {"comision", "organisation"}, {"committee", "organisation"},
      {"comite", "organisation"}, {"council", "organisation"}, {"consejo", "organisation"},
      {"conseil", "organisation"}, {"bank", "organisation"}, {"banco", "organisation"},
      {"banque", "organisation"}, {"ministry", "organisation"}, {"ministerio", "organisation"},
      {"ministere", "organisation"}, {"government", "organisation"}, {"gobierno", "organisation"},
      {"gouvernement", "organisation"}, {"coalition", "organisation"}, {"coalicion", "organisation"},
      {"network", "organisation"}, {"reseau", "organisation"}, {"university", "organisation"},
      {"universidad", "organisation"}, {"universite", "organisation"}, {"institute", "organisation"},
      {"instituto", "organisation"}, {"institut", "organisation"}, {"federation", "organisation"},
      {"federacion", "organisation"}, {"platform", "organisation"}, {"plataforma", "organisation"},
      {"plateforme", "organisation"}, {"group", "organisation"}, {"grupo", "organisation"},
      {"groupe", "organisation"}, {"unit", "organisation"}, {"unidad", "organisation"},
      {"unite", "organisation"}, {"division", "organisation"}, {"directorate", "organisation"},
      {"direccion", "organisation"}, {"direction", "organisation"}, {"secretariat", "organisation"},
      {"secretaria", "organisation"}, {"mission", "organisation"}, {"mision", "organisation"},
      {"headquarters", "organisation"}, {"centre", "organisation"}, {"center", "organisation"},
      {"centro", "organisation"}, {"association", "organisation"}, {"asociacion", "organisation"},
      {"foundation", "organisation"}, {"fundacion", "organisation"}, {"fondation", "organisation"},
      {"services", "organisation"}, {"service", "organisation"}, {"servicio", "organisation"},
      {"authority", "organisation"}, {"autoridad", "organisation"}, {"board", "organisation"},
      {"alliance", "organisation"}, {"alianza", "organisation"}, {"partnership", "organisation"},
      {"forum", "organisation"}, {"foro", "organisation"}, {"court", "organisation"},
      {"tribunal", "organisation"}, {"observatory", "organisation"}, {"observatorio", "organisation"},
      {"administration", "organisation"}, {"administracion", "organisation"}, {"corporation", "organisation"},
      {"society", "organisation"}, {"societies", "organisation"}, {"union", "organisation"},
      {"inspectorate", "organisation"}, {"parliament", "organisation"}, {"assembly", "organisation"},
      // programmes
      {"programme", "programme"}, {"program", "programme"}, {"programa", "programme"},
      {"project", "programme"}, {"projet", "programme"}, {"proyecto", "programme"},
      {"plan", "programme"}, {"strategy", "programme"}, {"estrategia", "programme"},
      {"strategie", "programme"}, {"declaration", "programme"}, {"declaracion", "programme"},
      {"initiative", "programme"}, {"iniciativa", "programme"}, {"agenda", "programme"},
      {"framework", "programme"}, {"compact", "programme"}, {"pacto", "programme"},
      {"pacte", "programme"}, {"convention", "programme"}, {"convencion", "programme"},
      {"protocol", "programme"}, {"protocolo", "programme"}, {"action plan", "programme"}};
  return *heads;
}

// Small words that may sit inside a name between capitalised words.
bool IsConnector(const std::string& key) {
  static const std::set<std::string> connectors = {
      "of", "for", "on", "and", "the", "in", "de", "del", "la", "las", "los", "para", "y", "en",
      "el", "pour", "des", "du", "et", "sur", "aux", "au", "d", "l", "da", "do", "dos", "from"};
  return connectors.count(key) > 0;
}

// Capitalised words that never belong to a body's name: months and table
// statuses (text layers of tables run cells together), and words that open
// sentences.
bool IsNameStopWord(const std::string& key) {
  static const std::set<std::string> stop = {
      "january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
      "november", "december", "enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto",
      "septiembre", "octubre", "noviembre", "diciembre", "janvier", "fevrier", "mars", "avril", "mai", "juin",
      "juillet", "aout", "septembre", "octobre", "novembre", "decembre", "ongoing", "completed", "initiated",
      "pending", "accepted", "rejected", "agreed", "closed", "overdue", "status", "from", "in", "at", "by", "with",
      "to", "as", "this", "these", "that", "those", "its", "their", "our", "both", "each", "all", "under",
      "since", "during", "through", "after", "before", "while", "although", "however", "moreover", "regarding",
      "concerning", "according", "establish", "develop", "adopt", "create", "ensure", "strengthen", "support",
      "if", "when", "where", "whereas", "there", "here", "it", "we", "they", "he", "she", "an", "a", "see",
      "para", "con", "por", "desde", "durante", "entre", "sobre", "según", "segun", "avec", "dans", "selon"};
  return stop.count(key) > 0;
}

bool IsAndConnector(const std::string& key) { return key == "and" || key == "y" || key == "et"; }

// Capitalised phrases that are never a specific body.
bool IsGenericName(const std::string& key) {
  static const std::set<std::string> generic = {
      "member states", "member state", "states", "united states of america", "executive summary",
      "table of contents", "terms of reference", "annex", "annexes", "key action", "key actions",
      "management response", "time frame", "status", "responsible unit", "responsible units"};
  return generic.count(key) > 0;
}

// ---------------------------------------------------------------- tokens

struct Token {
  size_t start = 0, end = 0;  // byte offsets in the page text
  std::string text;
  std::string key;       // NameKey(text)
  bool word = false;     // letters or digits (else punctuation)
  bool capitalised = false;
  bool acronym_like = false;  // 2-12 characters, at least two capitals, no lower case (but a plural s)
  bool line_start = false;    // first token on its line
  bool caps_line = false;     // on a line written in capitals (heading, cover page)
};

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
      int upper = u_isupper(c) ? 1 : 0, lower = u_islower(c) ? 1 : 0;
      token.capitalised = u_isupper(c) || u_isdigit(c);
      while (end < length) {
        int32_t next = end;
        UChar32 d;
        U8_NEXT(s, next, length, d);
        if (u_isalnum(d)) {
          upper += u_isupper(d);
          lower += u_islower(d);
          end = next;
          continue;
        }
        // Hyphens and apostrophes inside a word ("Directorate-General", "IBC-HM", "d'Ivoire").
        if ((d == '-' || d == '\'' || d == 0x2019 || d == 0x2010 || d == 0x2011) && next < length) {
          int32_t after = next;
          UChar32 e;
          U8_NEXT(s, after, length, e);
          if (u_isalnum(e)) {
            end = next;
            continue;
          }
        }
        break;
      }
      token.end = static_cast<size_t>(end);
      token.text = std::string(text.substr(token.start, token.end - token.start));
      token.word = true;
      std::string_view t = token.text;
      bool plural = t.size() > 2 && t.back() == 's' && lower == 1;
      token.acronym_like = upper >= 2 && (lower == 0 || plural) && t.size() <= 12;
      i = end;
    } else {
      token.end = static_cast<size_t>(i);
      token.text = std::string(text.substr(token.start, token.end - token.start));
    }
    token.key = token.word ? NameKey(token.text) : token.text;
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
      ++words;
      caps += tokens[t].acronym_like || (tokens[t].text.size() == 1 && std::isupper(static_cast<unsigned char>(tokens[t].text[0])));
    }
    if (words >= 3 && caps == words) {
      for (size_t t = a; t < b; ++t) tokens[t].acronym_like = false, tokens[t].caps_line = true;
    }
    a = b;
  }
  return tokens;
}

// The head noun a token carries (one part of a hyphenated word counts), or "".
std::string HeadType(const Token& token) {
  if (!token.word) return "";
  const auto& heads = HeadNouns();
  for (const std::string& part : Split(token.key, ' ')) {
    auto it = heads.find(part);
    if (it != heads.end()) return it->second;
    // plural of a head ("Offices", "Programmes")
    if (part.size() > 3 && part.back() == 's') {
      it = heads.find(part.substr(0, part.size() - 1));
      if (it != heads.end()) return it->second;
    }
  }
  return "";
}

// ---------------------------------------------------------------- entities

struct Mention {
  uint32_t page;
  size_t start, end;
};

struct Entity {
  std::string type;
  std::string name;                 // display form
  std::set<std::string> aliases;    // other forms as written
  std::vector<Mention> mentions;
  std::string parent;               // key of the parent entity, for units
  bool from_authority = false;
};

class EntityTable {
 public:
  explicit EntityTable(const Authority& authority) : authority_(authority) {}

  // Registers a name (with an optional acronym) and returns its entity key.
  std::string Add(const std::string& type, const std::string& name, const std::string& acronym = "") {
    std::string key = NameKey(name);
    if (key.empty()) return "";
    // An acronym bound earlier decides which entity a new long form belongs to.
    if (!acronym.empty()) {
      auto bound = by_alias_.find(acronym);
      if (bound != by_alias_.end() && bound->second != key && entities_.count(bound->second)) {
        Entity& existing = entities_[bound->second];
        if (NameKey(existing.name) != key) existing.aliases.insert(name);
        by_alias_[key] = bound->second;
        return bound->second;
      }
    }
    auto alias = by_alias_.find(key);
    if (alias != by_alias_.end()) key = alias->second;
    Entity& e = entities_[key];
    if (e.name.empty()) {
      e.name = name;
      e.type = type;
      const Authority::Entry* known = authority_.FindByName(name);
      if (!known && !acronym.empty()) known = authority_.FindByAcronym(acronym);
      if (known && (!acronym.empty() || NameKey(known->name) == key || authority_.FindByName(name))) {
        e.from_authority = true;
        e.type = known->type;
        if (NameKey(known->name) != key) {
          e.aliases.insert(e.name);
          e.name = known->name;
        }
        for (const std::string& a : known->acronyms) by_alias_.emplace(a, key);
      }
    } else if (IsAllCaps(e.name) && !IsAllCaps(name)) {
      e.aliases.insert(e.name);  // prefer "Office of the Inspector General" to its all-caps heading
      e.name = name;
    } else if (NameKey(e.name) != NameKey(name)) {
      e.aliases.insert(name);
    }
    if (!acronym.empty()) {
      e.aliases.insert(acronym);
      by_alias_[acronym] = key;
      std::string singular = acronym.back() == 's' ? acronym.substr(0, acronym.size() - 1) : acronym + "s";
      by_alias_.emplace(singular, key);
    }
    by_alias_[NameKey(name)] = key;
    return key;
  }

  // The entity an acronym (exactly as written) or a name refers to, or "".
  std::string Resolve(const std::string& surface) const {
    auto it = by_alias_.find(surface);
    if (it != by_alias_.end()) return it->second;
    it = by_alias_.find(NameKey(surface));
    if (it != by_alias_.end()) return it->second;
    return "";
  }

  // An acronym the authority knows but the document never defined: adds it.
  std::string ResolveOrAddKnownAcronym(const std::string& acronym) {
    std::string key = Resolve(acronym);
    if (!key.empty()) return key;
    std::string singular = acronym.size() > 2 && acronym.back() == 's' ? acronym.substr(0, acronym.size() - 1) : acronym;
    if (const Authority::Entry* known = authority_.FindByAcronym(singular)) {
      return Add(known->type, known->name, singular);
    }
    return "";
  }

  void AddMention(const std::string& key, uint32_t page, size_t start, size_t end, const std::string& surface) {
    auto it = entities_.find(key);
    if (it == entities_.end()) return;
    it->second.mentions.push_back({page, start, end});
    if (NameKey(surface) != NameKey(it->second.name) && surface.size() > 1) it->second.aliases.insert(surface);
  }

  // Gives an entity a fuller name, keeping the old one as an alias.
  void Rename(const std::string& key, const std::string& name) {
    auto it = entities_.find(key);
    if (it == entities_.end() || NameKey(it->second.name) == NameKey(name)) return;
    it->second.aliases.insert(it->second.name);
    it->second.name = name;
    by_alias_[NameKey(name)] = key;
  }

  void SetParent(const std::string& key, const std::string& parent_key) {
    if (key != parent_key && entities_.count(key) && entities_.count(parent_key)) entities_[key].parent = parent_key;
  }

  bool Has(const std::string& key) const { return entities_.count(key) > 0; }
  const Entity& Get(const std::string& key) const { return entities_.at(key); }
  const std::map<std::string, Entity>& all() const { return entities_; }
  const Authority& authority() const { return authority_; }

  static bool IsAllCaps(const std::string& s) {
    bool letter = false;
    for (unsigned char c : s) {
      if (std::islower(c)) return false;
      letter |= std::isalpha(c) != 0;
    }
    return letter;
  }

 private:
  const Authority& authority_;
  std::map<std::string, Entity> entities_;
  std::map<std::string, std::string> by_alias_;  // acronym (as written) or name key -> entity key
};

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

// The type a name gets from its first head noun, or "".
std::string TypeOfName(const std::vector<Token>& tokens, int from, int to) {
  for (int t = from; t < to; ++t) {
    std::string type = HeadType(tokens[t]);
    if (!type.empty()) return type;
  }
  return "";
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

struct PageTokens {
  uint32_t number;
  std::string_view text;
  std::vector<Token> tokens;
  std::vector<bool> used;  // tokens already part of an entity mention
};

// Whether two tokens may belong to one name: no blank line and no table
// cell boundary (a tab) between them. A single line break may sit inside a name.
bool SameRun(const PageTokens& page, int a, int b) {
  std::string_view gap = page.text.substr(page.tokens[a].end, page.tokens[b].start - page.tokens[a].end);
  return gap.find("\n\n") == std::string_view::npos && gap.find('\t') == std::string_view::npos;
}

// Pass 1: acronym definitions "Long Form (ACR)" and "ACR (Long Form)".
void FindAcronymDefinitions(PageTokens& page, EntityTable& table) {
  auto& tokens = page.tokens;
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
      while (start >= 2 && tokens[start - 1].word && IsConnector(tokens[start - 1].key) &&
             !IsAndConnector(tokens[start - 1].key) && tokens[start - 1].key != "the" && tokens[start - 2].word &&
             tokens[start - 2].capitalised && !tokens[start - 2].line_start) {
        start -= 2;
        while (start >= 1 && tokens[start - 1].word && tokens[start - 1].capitalised && !tokens[start].line_start) --start;
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
      std::string type = TypeOfName(tokens, start, last);
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
      std::string type = TypeOfName(tokens, i + 1, close);
      if (type.empty()) type = "other";
      std::string key = table.Add(type, long_form, acr.text);
      table.AddMention(key, page.number, acr.start, tokens[close].end, long_form);
      for (int t = i - 1; t <= close; ++t) page.used[t] = true;
    }
  }
}

// Pass 2: capitalised phrases with a head noun, units of known bodies, names
// in the authority file, and mentions of known acronyms.
void FindNamedBodies(PageTokens& page, EntityTable& table) {
  auto& tokens = page.tokens;
  const int n = static_cast<int>(tokens.size());
  for (int i = 0; i < n; ++i) {
    if (page.used[i] || !tokens[i].word || !tokens[i].capitalised) continue;

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
               SameRun(page, end - 1, end)) {
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
          // "IOM Buenos Aires", "IOM Headquarters"; not "IOM Activities" nor
          // "IOM International Organization for Migration" (the name itself).
          bool unit_like = end - i - 1 >= 2 || !TypeOfName(tokens, i + 1, end).empty();
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
    auto name_word = [&](int t) {
      if (!tokens[t].word || !tokens[t].capitalised || page.used[t] || IsNameStopWord(tokens[t].key)) return false;
      if (tokens[t].acronym_like) {
        std::string key = table.Resolve(tokens[t].text);
        if (!key.empty() && table.Get(key).type != "other") return false;
        if (key.empty() && table.authority().FindByAcronym(tokens[t].text)) return false;
      }
      if (tokens[t].line_start && (tokens[t].caps_line || tokens[t - 1].caps_line)) return false;
      if (tokens[t].acronym_like && IsAndConnector(tokens[t - 1].key)) return false;  // "X Department and MPRP"
      return SameRun(page, t - 1, t);
    };
    if (IsNameStopWord(tokens[i].key)) continue;
    int end = i + 1;
    while (end < n) {
      if (name_word(end)) {
        ++end;
        continue;
      }
      int j = end;
      while (j < n && tokens[j].word && !tokens[j].capitalised && IsConnector(tokens[j].key) && j - end < 3) ++j;
      if (j > end && j < n && name_word(j)) {
        end = j + 1;
        continue;
      }
      break;
    }
    // Split at "and" where both sides name a body of their own ("UNHCR and the IOM Office").
    int from = i;
    for (int k = i; k <= end; ++k) {
      bool boundary = k == end || (tokens[k].word && IsAndConnector(tokens[k].key) && !TypeOfName(tokens, from, k).empty() &&
                                   !TypeOfName(tokens, k + 1, end).empty());
      if (!boundary) continue;
      int a = from, b = k;
      auto is_number = [&](int t) { return std::isdigit(static_cast<unsigned char>(tokens[t].text[0])) != 0; };
      // A leading article is not part of the name ("The …", "El Programa …", "Le Fonds …"); "La" and
      // "Los" stay, as in La Paz or Los Angeles.
      auto article = [](const std::string& k) { return k == "the" || k == "el" || k == "le" || k == "les"; };
      while (a < b && (!tokens[a].capitalised || article(tokens[a].key))) ++a;
      while (b > a && (IsConnector(tokens[b - 1].key) || !tokens[b - 1].capitalised || is_number(b - 1))) --b;
      // Leading numbers go ("1984 Cartagena Declaration", "4 1 Management"), unless a number
      // and a head noun are the whole name ("2030 Agenda").
      while (a < b && is_number(a) && !(b - a == 2 && tokens[a].text.size() == 4 && !HeadType(tokens[a + 1]).empty())) ++a;
      std::string type = TypeOfName(tokens, a, b);
      // "Mandate of the Organization", "management of the Programme": a phrase whose only
      // head noun is its last word after "of the" refers to some body; it is not a name.
      bool generic_reference = b - a >= 3 && TypeOfName(tokens, a, b - 1).empty() && tokens[b - 2].key == "the";
      // A lone head noun ("the Programme", "Headquarters") is generic.
      if (!type.empty() && b - a >= 2 && !generic_reference) {
        // "Los Angeles and Palenque Declarations": two names sharing a plural head.
        int and_at = -1;
        for (int t = a + 1; t < b - 1; ++t) {
          if (IsAndConnector(tokens[t].key)) and_at = t;
        }
        const Token& head = tokens[b - 1];
        std::string singular_head = head.text.size() > 3 && head.text.back() == 's' ? head.text.substr(0, head.text.size() - 1) : "";
        if (and_at > a && !singular_head.empty() && !HeadType(head).empty() && TypeOfName(tokens, a, b - 1).empty() &&
            HeadNouns().count(NameKey(singular_head))) {
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

// ---------------------------------------------------------------- items


const std::vector<std::pair<std::string, std::string>>& SectionWords() {
  static const auto* words = new std::vector<std::pair<std::string, std::string>>{
      {"recommendations", "recommendation"}, {"recommendation", "recommendation"},
      {"recomendaciones", "recommendation"}, {"recomendacion", "recommendation"},
      {"recommandations", "recommendation"}, {"recommandation", "recommendation"},
      {"conclusions", "conclusion"},         {"conclusion", "conclusion"},
      {"conclusiones", "conclusion"},        {"findings", "finding"},
      {"finding", "finding"},                {"hallazgos", "finding"},
      {"hallazgo", "finding"},               {"constataciones", "finding"},
      {"constats", "finding"},               {"constat", "finding"}};
  return *words;
}

std::string ItemTypeOfWord(const std::string& key) {
  for (const auto& [word, type] : SectionWords()) {
    if (key == word) return type;
  }
  return "";
}

// Whether `key` (a NameKey) starts with `phrase` as whole words.
bool StartsWithWords(const std::string& key, std::string_view phrase) {
  return key.size() >= phrase.size() && key.compare(0, phrase.size(), phrase) == 0 &&
         (key.size() == phrase.size() || key[phrase.size()] == ' ');
}


// ---------------------------------------------------------------- which evaluation a document is, or answers

// The first words of an evaluation's title, folded: the key under which a
// report ("EVALUATION OF THE / 'PROGRAMA …' / (PLACMI 2)") and the memo or
// response naming it ("Subject: Evaluation of the 'Programa …") meet.
std::string TitleKey(const std::string& title) {
  std::string key = NameKey(title);
  size_t words = 0, pos = 0;
  while (pos < key.size() && words < 8) {
    pos = key.find(' ', pos);
    if (pos == std::string::npos) {
      pos = key.size();
    } else {
      ++pos;
    }
    ++words;
  }
  key = key.substr(0, pos);
  while (!key.empty() && key.back() == ' ') key.pop_back();
  return words >= 4 ? key : "";
}

// The evaluation named on the first page: a "Subject:/Re:/Asunto:/Objet:"
// line, or a line opening with "Evaluation of" (Evaluación de, Évaluation de,
// Review of), joined with the lines after it until eight words are read.
// `answers` is set when the document names it as something it responds to.
std::string NamedEvaluation(const PageTokens& page, bool* answers) {
  std::vector<std::string_view> lines;
  std::string_view text = page.text;
  for (size_t start = 0; start < text.size() && lines.size() < 40;) {
    size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(start, end - start);
    while (!line.empty() && (line.front() == ' ' || line.front() == '*' || line.front() == '#')) line.remove_prefix(1);
    lines.push_back(line);
    start = end + 1;
  }
  for (size_t i = 0; i < lines.size(); ++i) {
    std::string_view line = lines[i];
    bool labelled = false;
    const size_t colon = line.find(':');
    if (colon != std::string_view::npos && colon <= 12) {
      const std::string label = NameKey(line.substr(0, colon));
      if (label == "subject" || label == "re" || label == "asunto" || label == "objet" || label == "ref" ||
          label == "referencia" || label == "sujet") {
        line.remove_prefix(colon + 1);
        while (!line.empty() && line.front() == ' ') line.remove_prefix(1);
        labelled = true;
      }
    }
    const std::string key = NameKey(line.substr(0, 40));
    bool opens = false;
    for (std::string_view w : {"evaluation of", "evaluation de", "evaluacion de", "evaluacion del", "review of",
                               "final evaluation of", "mid term evaluation of", "midterm evaluation of",
                               "examen de", "revision de", "evaluation finale", "evaluacion final"}) {
      opens |= StartsWithWords(key, w);
    }
    if (!opens) continue;
    std::string title(line);
    auto words = [](const std::string& t) { return std::count(t.begin(), t.end(), ' ') + 1; };
    for (size_t j = i + 1; j < lines.size() && words(NameKey(title)) < 8; ++j) {
      std::string_view next = lines[j];
      if (next.empty() || next.find(':') != std::string_view::npos || !FindDates(next, NumericOrder::kDayFirst).empty()) break;
      title += " ";
      title += next;
    }
    *answers = labelled;
    return title;
  }
  return "";
}

// Items an item says it rests on: "(based on Conclusions 2 and 4)", "see
// Finding 12", "Findings 3, 5 and 7", "véase la conclusión 2", "cf. constat 4".
// Returns (item type, number) pairs, in text order, without repeats.
std::vector<std::pair<std::string, std::string>> ItemReferences(const std::string& text) {
  static const re2::RE2 reference(
      "(?i)\\b(conclusions?|conclusiones|conclusi[oó]n|findings?|hallazgos?|constataciones|constataci[oó]n|constats?|"
      "recommendations?|recomendaciones|recomendaci[oó]n|recommandations?)\\s+"
      "((?:[A-Z]?\\d+(?:\\.\\d+)?)(?:\\s*(?:,|and|y|et|&)\\s*[A-Z]?\\d+(?:\\.\\d+)?)*)");
  std::vector<std::pair<std::string, std::string>> out;
  re2::StringPiece input(text);
  std::string word, numbers;
  while (re2::RE2::FindAndConsume(&input, reference, &word, &numbers)) {
    const std::string type = ItemTypeOfWord(NameKey(word));
    if (type.empty()) continue;
    static const re2::RE2 number("([A-Z]?\\d+(?:\\.\\d+)?)");
    re2::StringPiece list(numbers);
    std::string n;
    while (re2::RE2::FindAndConsume(&list, number, &n)) {
      std::pair<std::string, std::string> ref{type, n};
      if (std::find(out.begin(), out.end(), ref) == out.end()) out.push_back(ref);
    }
  }
  return out;
}

// ---------------------------------------------------------------- relations between bodies

// A relation the words between two named bodies state, or "": "A funds B",
// "B, funded by A", "A implements B", "B is implemented by A", "A leads B",
// "B is led by A", "A is a member of B", and the Spanish and French forms.
// `reversed` is set for passive forms (the second body is the subject).
std::string RelationBetween(std::string_view between, bool* reversed) {
  const std::string key = " " + NameKey(between) + " ";
  struct Cue {
    const char* words;
    const char* relation;
    bool passive;
  };
  static const Cue cues[] = {
      {" funded by ", "funds", true},          {" financed by ", "funds", true},      {" funds ", "funds", false},
      {" finances ", "funds", false},          {" is funding ", "funds", false},      {" financiado por ", "funds", true},
      {" financiada por ", "funds", true},     {" financia ", "funds", false},        {" finance par ", "funds", true},
      {" financee par ", "funds", true},       {" finance ", "funds", false},
      {" implemented by ", "implements", true}, {" implements ", "implements", false},
      {" is implementing ", "implements", false}, {" executed by ", "implements", true},
      {" ejecutado por ", "implements", true}, {" ejecutada por ", "implements", true},
      {" implementado por ", "implements", true}, {" implementada por ", "implements", true},
      {" ejecuta ", "implements", false},      {" mis en oeuvre par ", "implements", true},
      {" mise en oeuvre par ", "implements", true}, {" met en oeuvre ", "implements", false},
      {" led by ", "leads", true},             {" leads ", "leads", false},           {" chaired by ", "leads", true},
      {" chairs ", "leads", false},            {" coordinated by ", "leads", true},   {" liderado por ", "leads", true},
      {" liderada por ", "leads", true},       {" lidera ", "leads", false},          {" dirige par ", "leads", true},
      {" dirigee par ", "leads", true},        {" dirige ", "leads", false},
      {" member of ", "member_of", false},     {" members of ", "member_of", false},  {" miembro de ", "member_of", false},
      {" miembros de ", "member_of", false},   {" membre de ", "member_of", false},   {" membres de ", "member_of", false}};
  for (const Cue& cue : cues) {
    if (key.find(cue.words) != std::string::npos) {
      *reversed = cue.passive;
      return cue.relation;
    }
  }
  return "";
}

// The modal verbs that make the words before them the party asked to act.
// `length`, when given, receives the matched modal's length (spaces included).
size_t ModalPosition(const std::string& sentence, size_t* length = nullptr) {
  static const char* modals[] = {" should ", " must ", " is requested to ", " are requested to ", " is invited to ",
                                 " are invited to ", " shall ", " needs to ", " need to ", " is encouraged to ",
                                 " are encouraged to ", " debería ", " deberían ", " deberá ", " deberán ", " debe ",
                                 " deben ", " devrait ", " devraient ", " doit ", " doivent "};
  size_t best = std::string::npos;
  for (const char* modal : modals) {
    size_t pos = sentence.find(modal);
    if (pos != std::string::npos && pos < best) {
      best = pos;
      if (length) *length = std::strlen(modal);
    }
  }
  return best;
}

// Whether the verb after a modal makes it passive ("should be revised"):
// then the words before the modal are what is acted on, not who acts.
bool PassiveAfter(std::string_view rest) {
  for (std::string_view verb : {"be ", "been ", "ser ", "sea ", "sean ", "être ", "etre ", "have been "}) {
    if (rest.substr(0, verb.size()) == verb) return true;
  }
  return false;
}

// A table read column by column (a common text-layer order) puts its due-date
// column after the rows: lines holding nothing but a full date. When a page's
// recommendations without a due date are exactly as many as such lines after
// the first of them, the dates belong to them in order.
void AssignColumnDates(const std::vector<PageTokens>& pages, NumericOrder order, std::vector<json>* facts) {
  for (const PageTokens& page : pages) {
    std::vector<json*> open;
    for (json& fact : *facts) {
      if (fact["kind"] == "item" && fact["item_type"] == "recommendation" && fact["page"] == page.number &&
          fact["due"].is_null()) {
        open.push_back(&fact);
      }
    }
    if (open.empty()) continue;
    const size_t after = (*open.front())["start"].get<size_t>();
    std::vector<std::string> column;
    size_t line_start = after;
    while (line_start < page.text.size()) {
      size_t line_end = page.text.find('\n', line_start);
      if (line_end == std::string_view::npos) line_end = page.text.size();
      std::string_view line = page.text.substr(line_start, line_end - line_start);
      while (!line.empty() && (line.front() == ' ' || line.front() == '\t')) line.remove_prefix(1);
      while (!line.empty() && (line.back() == ' ' || line.back() == '\t')) line.remove_suffix(1);
      std::vector<DateMention> dates = FindDates(line, order);
      if (dates.size() == 1 && dates[0].precision == "day" && dates[0].start == 0 && dates[0].end == line.size()) {
        column.push_back(dates[0].value);
      }
      line_start = line_end + 1;
    }
    if (column.size() != open.size()) continue;
    for (size_t k = 0; k < open.size(); ++k) (*open[k])["due"] = column[k];
  }
}

}  // namespace

// ---------------------------------------------------------------- the whole document

std::vector<json> ExtractFacts(const std::vector<PageInput>& inputs, const std::string& language,
                               const Authority& authority, const dossier_structure::Cues& cues) {
  std::vector<PageTokens> pages;
  std::string all_text;
  for (const PageInput& input : inputs) {
    PageTokens page{input.number, input.text, Tokenize(input.text), {}};
    page.used.assign(page.tokens.size(), false);
    pages.push_back(std::move(page));
    all_text.append(input.text).push_back('\n');
  }
  EntityTable table(authority);
  for (PageTokens& page : pages) FindAcronymDefinitions(page, table);
  for (PageTokens& page : pages) FindNamedBodies(page, table);
  const NumericOrder order = GuessNumericOrder(all_text);

  // The document's structure, read once; the items pass works on it.
  std::vector<dossier_structure::PageText> page_texts;
  for (const PageInput& input : inputs) page_texts.push_back({input.number, input.text});
  const dossier_structure::DocumentStructure structure = dossier_structure::BuildStructure(page_texts, cues, language);
  // Items with their follow-up; a recommendation printed twice is kept once.
  std::vector<Item> unique = FindStructuredItems(structure, cues, language, order);
  // Responsible units of key actions, as entities: "SDD; PCO", "Regional
  // Office for South America (ROSA)", a unit named for the first time.
  // Whether a piece of a cell names a body on its own: a known name or
  // acronym, an acronym, or words ending in a head noun ("… Office").
  auto stands_alone = [&](std::string piece) {
    while (!piece.empty() && (piece.front() == ' ')) piece.erase(0, 1);
    while (!piece.empty() && (piece.back() == ' ' || piece.back() == '.')) piece.pop_back();
    if (piece.empty()) return false;
    if (!table.Resolve(piece).empty() || EntityTable::IsAllCaps(piece)) return true;
    const size_t space = piece.rfind(' ');
    std::string last = NameKey(piece.substr(space == std::string::npos ? 0 : space + 1));
    if (last.size() > 3 && last.back() == 's') last.pop_back();
    return HeadNouns().count(last) > 0;
  };
  // The bodies a cell of who-must-act names ("SDD; PCO", "Legal Office and
  // Planning Unit", "Regional Office for South America (ROSA)"), as entity
  // keys; a unit named only here becomes an organisation of its own.
  auto responsible_keys_in_cell = [&](const std::string& cell) {
    std::vector<std::string> keys;
    // A whole cell that names one body ("Division of Data, Analytics, Planning and Monitoring (DAPM)").
    {
      std::string whole = cell;
      if (size_t open = whole.rfind(" ("); open != std::string::npos && !whole.empty() && whole.back() == ')') {
        const std::string acronym = whole.substr(open + 2, whole.size() - open - 3);
        whole = whole.substr(0, open);
        std::string key = table.Resolve(whole);
        if (key.empty() && EntityTable::IsAllCaps(acronym)) key = table.Resolve(acronym);
        if (!key.empty() && whole.find(',') != std::string::npos) return std::vector<std::string>{key};
      }
    }
    std::string normalised = cell;
    // "DAPM PG EMOPS": acronyms set side by side, one body each.
    {
      std::vector<std::string> words = Split(cell, ' ');
      if (words.size() >= 2 && std::all_of(words.begin(), words.end(), [](const std::string& w) {
            return w.size() >= 2 && EntityTable::IsAllCaps(w);
          }))
        for (char& c : normalised) if (c == ' ') c = '|';
    }
    for (char& c : normalised) if (c == '/' || c == ';' || c == ',' || c == '&' || c == '\n') c = '|';
    // "SDD and PCO", "Legal Office and Planning Unit" are two bodies;
    // "Monitoring and Evaluation Unit" is one ("Monitoring" alone is none).
    std::string joined;
    for (const std::string& segment : Split(normalised, '|')) {
      std::string rest = segment;
      for (std::string_view joiner : {" and ", " y ", " et "}) {
        for (size_t at = 0; (at = rest.find(joiner, at)) != std::string::npos;) {
          if (stands_alone(rest.substr(0, at)) && stands_alone(rest.substr(at + joiner.size()))) {
            rest.replace(at, joiner.size(), "|");
          } else {
            at += joiner.size();
          }
        }
      }
      joined += (joined.empty() ? "" : "|") + rest;
    }
    for (std::string part : Split(joined, '|')) {
      while (!part.empty() && part.front() == ' ') part.erase(0, 1);
      while (!part.empty() && (part.back() == ' ' || part.back() == '.')) part.pop_back();
      if (part.empty()) continue;
      std::string acronym;
      if (size_t open = part.find(" ("); open != std::string::npos && part.back() == ')') {
        acronym = part.substr(open + 2, part.size() - open - 3);
        part = part.substr(0, open);
      }
      std::string key = table.Resolve(part);
      if (key.empty() && !acronym.empty()) key = table.Resolve(acronym);
      if (key.empty() && EntityTable::IsAllCaps(part)) key = table.ResolveOrAddKnownAcronym(part);
      // A unit named only here: an organisation of its own (capitalised words, not a sentence).
      if (key.empty() && !part.empty() && std::isupper(static_cast<unsigned char>(part[0])) && part.size() <= 80 &&
          std::count(part.begin(), part.end(), ' ') <= 8) {
        key = table.Add("organisation", part, EntityTable::IsAllCaps(acronym) ? acronym : "");
      }
      if (!key.empty()) keys.push_back(key);
    }
    return keys;
  };
  // Responsible units of key actions, as entities.
  std::map<const Item::Action*, std::vector<std::string>> action_responsible;
  std::set<std::string> acting_units;  // entity keys of the units that own actions
  for (const Item& item : unique) {
    for (const Item::Action& action : item.actions) {
      std::vector<std::string>& names = action_responsible[&action];
      for (const std::string& cell : action.responsible_cells) {
        for (const std::string& key : responsible_keys_in_cell(cell)) {
          if (!table.Has(key)) continue;
          acting_units.insert(key);
          const std::string& name = table.Get(key).name;
          if (std::find(names.begin(), names.end(), name) == names.end()) names.push_back(name);
        }
      }
    }
  }

  // The responding organisation ("ADF management welcomes …", "la
  // administración del FIDA"): the units that own its key actions are its
  // units (part_of), unless the text already placed them elsewhere.
  if (!acting_units.empty()) {
    std::map<std::string, int> votes;
    for (const PageTokens& page : pages) {
      const auto& tokens = page.tokens;
      for (size_t t = 0; t + 1 < tokens.size(); ++t) {
        std::string key;
        if (tokens[t + 1].key == "management" && tokens[t].word) key = table.Resolve(tokens[t].text);
        if ((tokens[t].key == "administracion" || tokens[t].key == "direction") && t + 3 < tokens.size() &&
            (tokens[t + 1].key == "del" || tokens[t + 1].key == "de" || tokens[t + 1].key == "du")) {
          key = table.Resolve(tokens[t + 2].text);
        }
        if (!key.empty() && table.Get(key).type == "organisation") ++votes[key];
      }
    }
    std::string responding;
    int best = 0;
    for (const auto& [key, n] : votes) {
      if (n > best) best = n, responding = key;
    }
    if (!responding.empty()) {
      for (const std::string& unit : acting_units) {
        const Entity& e = table.Get(unit);
        if (unit == responding || !e.parent.empty() || e.from_authority || e.type != "organisation") continue;
        table.SetParent(unit, responding);
      }
    }
  }

  std::vector<json> facts;
  std::set<std::string> emitted_entities;
  auto emit_entity = [&](const std::string& key, const Entity& entity) {
    emitted_entities.insert(key);
    json mentions = json::array();
    for (const Mention& m : entity.mentions) mentions.push_back({{"page", m.page}, {"start", m.start}, {"end", m.end}});
    std::vector<std::string> aliases;
    for (const std::string& alias : entity.aliases) {
      if (NameKey(alias) != NameKey(entity.name)) aliases.push_back(alias);
    }
    json fact = {{"kind", "entity"},      {"key", key},         {"type", entity.type},
                 {"name", entity.name},   {"aliases", aliases}, {"mentions", mentions},
                 {"authority", entity.from_authority}};
    if (!entity.parent.empty() && table.Has(entity.parent)) fact["part_of"] = table.Get(entity.parent).name;
    else if (entity.from_authority) {
      const Authority::Entry* known = authority.FindByName(entity.name);
      if (known && !known->parent.empty()) fact["part_of"] = known->parent;
    }
    facts.push_back(std::move(fact));
  };
  for (const auto& [key, entity] : table.all()) emit_entity(key, entity);

  // Relations stated between two bodies named close together in one sentence.
  for (const PageTokens& page : pages) {
    std::vector<std::tuple<size_t, size_t, std::string>> named;  // start, end, entity key
    for (const auto& [key, entity] : table.all()) {
      if (entity.type != "organisation" && entity.type != "programme") continue;
      for (const Mention& m : entity.mentions) {
        if (m.page == page.number) named.emplace_back(m.start, m.end, key);
      }
    }
    std::sort(named.begin(), named.end());
    for (size_t k = 0; k + 1 < named.size(); ++k) {
      const auto& [a_start, a_end, a_key] = named[k];
      const auto& [b_start, b_end, b_key] = named[k + 1];
      if (a_key == b_key || b_start <= a_end || b_start - a_end > 60) continue;
      std::string_view between = page.text.substr(a_end, b_start - a_end);
      if (between.find_first_of(".;\t") != std::string_view::npos) continue;  // another sentence or table cell
      bool reversed = false;
      const std::string relation = RelationBetween(between, &reversed);
      if (relation.empty()) continue;
      const std::string& source = reversed ? b_key : a_key;
      const std::string& target = reversed ? a_key : b_key;
      facts.push_back({{"kind", "relation"}, {"type", relation}, {"source", table.Get(source).name},
                       {"target", table.Get(target).name}, {"page", page.number}, {"start", a_start}, {"end", b_end},
                       {"text", std::string(page.text.substr(a_start, b_end - a_start))}});
    }
  }

  // Dates, in document order; numeric dates follow the document's own convention.
  std::string document_date;
  for (const PageTokens& page : pages) {
    for (const DateMention& d : FindDates(page.text, order)) {
      json fact = {{"kind", "date"},       {"text", d.text},   {"value", d.value}, {"precision", d.precision},
                   {"page", page.number},  {"start", d.start}, {"end", d.end}};
      if (!d.end_value.empty()) fact["end_value"] = d.end_value;
      // The document's own date: a labelled "Date:" line, else the first month-or-day date on page 1.
      std::string_view before = page.text.substr(d.start >= 24 ? d.start - 24 : 0, d.start >= 24 ? 24 : d.start);
      std::string label = NameKey(before);
      bool labelled = label.size() >= 4 && (label.rfind("date") == label.size() - 4 || label.rfind("fecha") == label.size() - 5);
      if (labelled && d.precision == "day") document_date = d.value;
      else if (document_date.empty() && page.number == 1 && (d.precision == "day" || d.precision == "month")) {
        document_date = d.value;
      }
      facts.push_back(std::move(fact));
    }
  }
  if (!document_date.empty()) facts.push_back({{"kind", "document_date"}, {"value", document_date}});

  for (const Item& item : unique) {
    json based_on = json::array();
    for (const auto& [type, number] : ItemReferences(item.text)) {
      if (!(type == item.type && number == item.number)) based_on.push_back({{"item_type", type}, {"number", number}});
    }
    json fact = {{"kind", "item"}, {"item_type", item.type}, {"number", item.number}, {"text", item.text},
                 {"page", item.page}, {"start", item.start}, {"end", item.end}};
    if (!based_on.empty()) fact["based_on"] = based_on;
    if (item.type == "recommendation") {
      std::vector<std::string> responsible;
      std::string due;
      auto add_responsible = [&](const std::string& key) {
        if (key.empty() || !table.Has(key)) return;
        const std::string& name = table.Get(key).name;
        if (std::find(responsible.begin(), responsible.end(), name) == responsible.end()) responsible.push_back(name);
      };
      auto resolve_names_in = [&](const std::string& cell) {
        // "MMS/MPRP", "SDD; PCO", "IOM Buenos Aires"
        std::string whole = table.Resolve(cell);
        if (!whole.empty()) return add_responsible(whole);
        std::string normalised = cell;
        for (char& c : normalised) if (c == '/' || c == ';' || c == ',') c = '|';
        for (const std::string& part : Split(normalised, '|')) {
          std::string key = table.Resolve(part);
          if (key.empty() && !part.empty() && EntityTable::IsAllCaps(part)) key = table.ResolveOrAddKnownAcronym(part);
          add_responsible(key);
        }
      };
      for (const std::string& cell : item.responsible_cells) {
        for (const std::string& key : responsible_keys_in_cell(cell)) add_responsible(key);
      }
      if (!item.due_cell.empty()) {
        std::vector<DateMention> dates = FindDates(item.due_cell, order);
        if (!dates.empty()) due = dates.back().end_value.empty() ? dates.back().value : dates.back().end_value;
      }
      for (const std::string& cell : item.table_cells) {
        std::vector<DateMention> dates = FindDates(cell, order);
        if (!dates.empty()) due = dates.back().end_value.empty() ? dates.back().value : dates.back().end_value;
        else resolve_names_in(cell);
      }
      if (responsible.empty()) {
        // The party before "should" in the first sentence: every body named there.
        std::string first = item.text.substr(0, item.text.find(". "));
        const std::string padded = " " + first + " ";
        size_t modal_length = 0;
        size_t modal = ModalPosition(padded, &modal_length);
        if (modal != std::string::npos) {
          const PageTokens& page = *std::find_if(pages.begin(), pages.end(), [&](const PageTokens& p) { return p.number == item.page; });
          size_t limit = item.start + modal + 1;
          std::vector<std::pair<size_t, std::string>> named;
          for (const auto& [key, entity] : table.all()) {
            for (const Mention& m : entity.mentions) {
              if (m.page == page.number && m.start >= item.start && m.end <= limit) named.emplace_back(m.start, key);
            }
          }
          std::sort(named.begin(), named.end());
          for (const auto& [pos, key] : named) add_responsible(key);
          // No body named there, but an acronym right before an active modal
          // ("RISU should revise …"): a body this document does not define
          // (an earlier report or the organisation's own usage does). It is
          // kept under the acronym; the graph's alias index joins it with the
          // entity another document defines it as.
          if (named.empty() && !PassiveAfter(std::string_view(padded).substr(modal + modal_length))) {
            const size_t subject_end = item.start + (modal > 0 ? modal - 1 : 0);
            const Token* subject = nullptr;
            for (const Token& t : page.tokens) {
              if (t.start >= item.start && t.end <= subject_end && t.word) subject = &t;
            }
            if (subject && subject->acronym_like && !subject->caps_line && subject->end + 1 >= subject_end) {
              std::string key = table.ResolveOrAddKnownAcronym(subject->text);
              if (key.empty()) key = table.Add("organisation", subject->text, "");
              table.AddMention(key, page.number, subject->start, subject->end, subject->text);
              add_responsible(key);
            }
          }
        }
      }
      // "We recommend that the Director of OMB …": the bodies named in the
      // recommending sentence, or in the lead-in that introduced a list of items.
      auto bodies_in = [&](uint32_t page_number, size_t from, size_t to) {
        std::vector<std::pair<size_t, std::string>> named;
        for (const auto& [key, entity] : table.all()) {
          for (const Mention& m : entity.mentions) {
            if (m.page == page_number && m.start >= from && m.end <= to) named.emplace_back(m.start, key);
          }
        }
        std::sort(named.begin(), named.end());
        for (const auto& [pos, key] : named) add_responsible(key);
      };
      if (responsible.empty() && cues.Contains(NameKey(item.text.substr(0, 300)), "verb.recommend", language.substr(0, 2))) {
        bodies_in(item.page, item.start, item.start + std::min<size_t>(item.text.find(". "), 400));
      }
      if (responsible.empty() && item.lead_page != 0) bodies_in(item.lead_page, item.lead_start, item.lead_end);
      // A heading above the item that names a known body, when nothing closer names one.
      if (responsible.empty()) {
        for (const std::string& title : item.section_titles) {
          const std::string key = title.size() <= 120 ? table.Resolve(title) : "";
          if (!key.empty()) {
            add_responsible(key);
            break;
          }
        }
      }
      if (due.empty()) {
        // "by 31 December 2020", "before June 2021", "d'ici", "antes del"
        for (const DateMention& d : FindDates(item.text, order)) {
          std::string before = NameKey(item.text.substr(d.start >= 16 ? d.start - 16 : 0, d.start >= 16 ? 16 : d.start));
          for (std::string_view cue : {"by", "before", "no later than", "due", "until", "antes de", "antes del", "para",
                                       "a mas tardar", "d ici", "avant", "au plus tard", "hasta"}) {
            if (before.size() >= cue.size() && before.compare(before.size() - cue.size(), cue.size(), cue) == 0) {
              due = d.end_value.empty() ? d.value : d.end_value;
            }
          }
        }
      }
      fact["responsible"] = responsible;
      fact["due"] = due.empty() ? json(nullptr) : json(due);
      // The management response stated in a table cell ("Accepted") when no response line gave one.
      std::string response_status = item.response_status, response_text = item.response_text;
      for (const std::string& cell : item.table_cells) {
        std::string status = response_status.empty() ? ResponseStatusIn(cell, cues, language.substr(0, 2), 6, true) : "";
        if (!status.empty()) {
          response_status = status;
          response_text = cell;
        }
      }
      if (!response_status.empty()) {
        fact["management_response"] = {{"status", response_status}, {"text", response_text},
                                       {"page", item.response_page ? item.response_page : item.page}};
      }
      if (!item.actions.empty()) {
        json actions = json::array();
        for (const Item::Action& a : item.actions) {
          auto or_null = [](const std::string& v) { return v.empty() ? json(nullptr) : json(v); };
          actions.push_back({{"number", a.number}, {"text", a.text}, {"responsible", action_responsible[&a]},
                             {"time_frame", or_null(a.time_frame)}, {"start", or_null(a.start)},
                             {"due", or_null(a.due)}, {"status", or_null(a.status)},
                             {"status_text", or_null(a.status_text)}, {"page", a.page}});
        }
        fact["key_actions"] = std::move(actions);
      }
    }
    facts.push_back(std::move(fact));
  }
  AssignColumnDates(pages, order, &facts);
  // The evaluation this document is, or answers: a management response, or
  // a memo whose subject names the evaluation.
  if (!pages.empty()) {
    bool answers = false;
    const std::string title = NamedEvaluation(pages.front(), &answers);
    const std::string key = TitleKey(title);
    bool has_responses = false;
    for (const Item& item : unique) has_responses |= !item.response_status.empty();
    const std::string opening = NameKey(pages.front().text.substr(0, 120));
    for (std::string_view w : {"management response", "respuesta de la administracion", "reponse de la direction",
                               "memorandum", "memorando", "progress update", "progress report", "tracking report"}) {
      answers |= opening.find(w) != std::string::npos;
    }
    if (!key.empty()) {
      facts.push_back({{"kind", answers || has_responses ? "responds_to" : "evaluation_title"}, {"title", title}, {"key", key}});
    }
  }
  // Bodies first met while reading the items (an undefined acronym acting in a recommendation).
  for (const auto& [key, entity] : table.all()) {
    if (!emitted_entities.count(key)) emit_entity(key, entity);
  }
  (void)language;
  return facts;
}

}  // namespace dossier_entities
