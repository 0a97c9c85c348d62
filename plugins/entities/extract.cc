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
#include <unordered_set>

#include "acronyms.h"
#include "dates.h"
#include "entity_table.h"
#include "items.h"
#include "key_actions.h"
#include "named_bodies.h"
#include "structure.h"
#include "tokens.h"
#include "structure_fact.h"

namespace dossier_entities {

using nlohmann::json;

namespace {

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
void AssignColumnDates(const std::vector<PageTokens>& pages, NumericOrder order, std::vector<dossier::Fact>* facts) {
  for (const PageTokens& page : pages) {
    std::vector<dossier::ItemFact*> open;
    for (dossier::Fact& any : *facts) {
      auto* fact = std::get_if<dossier::ItemFact>(&any);
      if (fact && fact->item_type == dossier::ItemType::kRecommendation && fact->page == page.number && !fact->due) {
        open.push_back(fact);
      }
    }
    if (open.empty()) continue;
    const size_t after = open.front()->start;
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
    for (size_t k = 0; k < open.size(); ++k) open[k]->due = column[k];
  }
}

// A date mention as a fact (its precision is one the grammar knows).
dossier::DateFact DateFactOf(const DateMention& d, uint32_t page) {
  dossier::DateFact fact;
  fact.text = d.text, fact.value = d.value;
  dossier::ParseWireName(d.precision, &fact.precision);
  if (!d.end_value.empty()) fact.end_value = d.end_value;
  fact.page = page, fact.start = d.start, fact.end = d.end;
  return fact;
}

}  // namespace

// ---------------------------------------------------------------- the whole document

std::vector<json> ExtractFacts(const std::vector<PageInput>& inputs, const std::string& language,
                               const Authority& authority, const dossier_structure::Cues& cues) {
  std::vector<json> out;
  for (const dossier::Fact& fact : ExtractTypedFacts(inputs, language, authority, cues)) out.push_back(dossier::FactToJson(fact));
  return out;
}

std::vector<dossier::Fact> ExtractTypedFacts(const std::vector<PageInput>& inputs, const std::string& language,
                                             const Authority& authority, const dossier_structure::Cues& cues) {
  std::vector<PageTokens> pages;
  std::string all_text;
  for (const PageInput& input : inputs) {
    pages.push_back(MakePageTokens(input.number, input.text));
    all_text.append(input.text).push_back('\n');
  }
  EntityTable table(authority);
  // The entity passes: acronym lists and definitions (acronyms.cc), then named bodies (named_bodies.cc).
  for (PageTokens& page : pages) FindAcronymLists(page, table);
  for (PageTokens& page : pages) FindAcronymDefinitions(page, table);
  for (PageTokens& page : pages) FindNamedBodies(page, table);
  TypeFromUsage(pages, table);
  FindListedBodies(pages, table);
  const NumericOrder order = GuessNumericOrder(all_text);

  // The document's structure, read once; the items pass works on it.
  std::vector<dossier_structure::PageText> page_texts;
  for (const PageInput& input : inputs) page_texts.push_back({input.number, input.text, input.styles});
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
    const std::string_view type = authority.words().HeadType(last);
    return type == "organisation" || type == "programme";
  };
  // Whether a cell piece names a post rather than a body: a job title among
  // its words ("Under-Secretary-General", "Executive Director", "Chef de
  // Cabinet") and no head noun of a body ("Office of the Director").
  auto names_a_post = [&](const std::string& piece) {
    bool title = false;
    std::string word;
    const std::string key = NameKey(piece) + " ";
    for (char c : key) {
      if (c != ' ' && c != '-') {
        word += c;
        continue;
      }
      if (word.empty()) continue;
      if (authority.words().HeadType(word) == "organisation") return false;
      title |= authority.words().IsPostTitle(word);
      word.clear();
    }
    return title;
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
        // The name before the acronym must be the body's own, commas and all.
        std::string key = table.Resolve(whole);
        if (key.empty() && EntityTable::IsAllCaps(acronym)) {
          key = table.Resolve(acronym);
          if (!key.empty() && NameKey(table.Get(key).name) != NameKey(whole)) key.clear();
        }
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
    // "Department for Business, Innovation and Skills, HM Treasury": after a name
    // with a complement ("… for Business"), pieces that cannot stand alone up to
    // one that closes the list with "and" are part of that name.
    {
      const std::vector<std::string> pieces = Split(normalised, ',');
      auto has_complement = [](const std::string& piece) {
        for (std::string_view w : {" for ", " of ", " on ", " de ", " pour ", " para ", " du ", " del "}) {
          if (piece.find(w) != std::string::npos) return true;
        }
        return false;
      };
      auto closes = [](const std::string& piece) {
        const std::string padded = " " + piece + " ";
        return padded.find(" and ") != std::string::npos || padded.find(" et ") != std::string::npos ||
               padded.find(" y ") != std::string::npos;
      };
      std::string rejoined;
      for (size_t k = 0; k < pieces.size(); ++k) {
        rejoined += (k == 0 ? "" : ",") + pieces[k];
        if (!has_complement(pieces[k])) continue;
        size_t close = k + 1;
        while (close < pieces.size() && !stands_alone(pieces[close]) && !closes(pieces[close])) ++close;
        if (close >= pieces.size() || stands_alone(pieces[close]) || !closes(pieces[close])) continue;
        for (size_t m = k + 1; m <= close; ++m) rejoined += "\x1f" + pieces[m];  // commas inside the name, kept below
        k = close;
      }
      normalised = rejoined;
    }
    for (char& c : normalised) if (c == '/' || c == ';' || c == ',' || c == '\n') c = '|';
    for (size_t at = 0; (at = normalised.find('\x1f', at)) != std::string::npos;) normalised.replace(at, 1, ", ");
    // "SDD and PCO", "Legal Office and Planning Unit" are two bodies;
    // "Monitoring and Evaluation Unit" is one ("Monitoring" alone is none).
    std::string joined;
    for (const std::string& segment : Split(normalised, '|')) {
      std::string rest = segment;
      for (std::string_view joiner : {" and ", " & ", " y ", " et "}) {
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
    std::vector<std::string> parts;
    for (std::string part : Split(joined, '|')) {
      while (!part.empty() && part.front() == ' ') part.erase(0, 1);
      while (!part.empty() && (part.back() == ' ' || part.back() == '.')) part.pop_back();
      if (part.empty()) continue;
      // "Chair, High-Level Committee on Management": a bare post and the body it chairs are one party.
      if (!parts.empty() && names_a_post(parts.back()) && parts.back().find('(') == std::string::npos &&
          !names_a_post(part)) {
        parts.back() += ", " + part;
        continue;
      }
      parts.push_back(std::move(part));
    }
    for (std::string part : parts) {
      std::string acronym;
      if (size_t open = part.find(" ("); open != std::string::npos && part.back() == ')') {
        acronym = part.substr(open + 2, part.size() - open - 3);
        part = part.substr(0, open);
      }
      std::string key = table.Resolve(part);
      // The body in brackets: an acronym ("DPPA") or a short name the document or the authority knows ("UN Women").
      const bool short_name = !acronym.empty() && !EntityTable::IsAllCaps(acronym) && acronym.size() <= 24 &&
                              (!table.Resolve(acronym).empty() || table.authority().FindByName(acronym) != nullptr);
      if (!acronym.empty() && (EntityTable::IsAllCaps(acronym) || short_name)) {
        std::string body = table.Resolve(acronym);
        if (body.empty() && short_name) body = table.Add("organisation", acronym);
        if (body.empty()) body = table.ResolveOrAddKnownAcronym(acronym);
        if (!body.empty() && names_a_post(part)) {
          // "Under-Secretary-General (DPPA)", "Executive Director (UNFPA)": the post
          // that must act, as printed, a unit of the body the acronym names (so a
          // follow-up by that body finds it).
          const std::string post = table.Add("organisation", part + " (" + acronym + ")");
          if (!post.empty() && post != body) {
            if (table.Get(post).parent.empty()) table.SetParent(post, body);
            key = post;
          }
        } else if (!body.empty() && (key.empty() || table.Get(key).type != "organisation" ||
                                     NameKey(part).find(' ') == std::string::npos)) {
          key = body;  // "Evaluation Office (EO)", "Regional Bureau (RBA)": the body the acronym names
        }
      }
      if (key.empty() && EntityTable::IsAllCaps(part)) key = table.ResolveOrAddKnownAcronym(part);
      // A unit named only here: an organisation of its own (capitalised words, not a sentence).
      if (key.empty() && StartsWithCapital(part) && part.size() <= 80 &&
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
  std::string responding;
  {
    std::map<std::string, int> votes;
    // Where each mention of a body ends: "CMS concurred", "the Department of
    // Health agrees" answer with the body named right before the verb.
    std::map<std::pair<uint32_t, size_t>, std::string> mention_ending_at;
    for (const auto& [key, entity] : table.all()) {
      for (const Mention& m : entity.mentions) mention_ending_at[{m.page, m.end}] = key;
    }
    const std::string lang = language.substr(0, 2);
    static const char* const kStatuses[] = {"status.accepted", "status.partially_accepted", "status.not_accepted"};
    // The words a status phrase opens with, to skip every other token at the cost of one lookup.
    std::unordered_set<std::string> status_openers;
    for (const char* status : kStatuses) {
      for (const std::string_view in : {std::string_view(lang), std::string_view("en"), std::string_view("fr"), std::string_view("es")}) {
        for (const std::string& phrase : cues.Phrases(status, in)) status_openers.insert(phrase.substr(0, phrase.find(' ')));
      }
    }
    // A response verb: "accepts", "agrees", "concurred", "rejects", "does not accept" (the status words of the cues).
    auto answers_at = [&](const std::vector<Token>& tokens, size_t v) {
      if (v >= tokens.size() || !tokens[v].word || !status_openers.count(tokens[v].key)) return false;
      std::string phrase = tokens[v].key;
      if ((phrase == "does" || phrase == "did") && v + 2 < tokens.size()) phrase += " " + tokens[v + 1].key + " " + tokens[v + 2].key;
      for (const char* status : kStatuses) {
        if (cues.Contains(phrase, status, lang)) return true;
      }
      return false;
    };
    for (const PageTokens& page : pages) {
      const auto& tokens = page.tokens;
      for (size_t t = 0; t + 1 < tokens.size(); ++t) {
        std::string key;
        // The cheap tests first: a response verb follows, and a body's name or "Government" ends here.
        if (tokens[t + 1].word && status_openers.count(tokens[t + 1].key)) {
          const auto named_here = mention_ending_at.find({page.number, tokens[t].end});
          const bool government = named_here == mention_ending_at.end() && tokens[t].capitalised &&
                                  authority.words().Has("party.government", tokens[t].key);
          if ((named_here != mention_ending_at.end() || government) && answers_at(tokens, t + 1)) {
            if (named_here != mention_ending_at.end()) {
              key = named_here->second;
            } else {
              // "The Government accepts": the government this document speaks for.
              key = table.Add("organisation", tokens[t].text);
              if (!key.empty()) table.AddMention(key, page.number, tokens[t].start, tokens[t].end, tokens[t].text);
            }
          }
        }
        if (tokens[t + 1].key == "management") {
          // "UNICEF management", "Water Agency (WA) management"
          size_t body = t;
          if (!tokens[body].word && tokens[body].text == ")" && body >= 1) --body;
          if (tokens[body].word) key = table.Resolve(tokens[body].text);
        }
        if ((tokens[t].key == "administracion" || tokens[t].key == "direction") && t + 3 < tokens.size() &&
            (tokens[t + 1].key == "del" || tokens[t + 1].key == "de" || tokens[t + 1].key == "du")) {
          key = table.Resolve(tokens[t + 2].text);
        }
        if (!key.empty() && table.Get(key).type == "organisation") ++votes[key];
      }
    }
    int best = 0;
    for (const auto& [key, n] : votes) {
      if (n > best) best = n, responding = key;
    }
    if (!responding.empty() && !acting_units.empty()) {
      for (const std::string& unit : acting_units) {
        const Entity& e = table.Get(unit);
        if (unit == responding || !e.parent.empty() || e.from_authority || e.type != "organisation") continue;
        table.SetParent(unit, responding);
      }
    }
  }

  std::vector<dossier::Fact> facts;
  std::set<std::string> emitted_entities;
  auto emit_entity = [&](const std::string& key, const Entity& entity) {
    emitted_entities.insert(key);
    dossier::EntityFact fact;
    fact.key = key;
    dossier::ParseWireName(entity.type, &fact.type);  // organisation | programme | other
    fact.name = entity.name;
    for (const Mention& m : entity.mentions) fact.mentions.push_back({m.page, m.start, m.end});
    for (const std::string& alias : entity.aliases) {
      if (NameKey(alias) != NameKey(entity.name)) fact.aliases.push_back(alias);
    }
    fact.authority = entity.from_authority;
    if (!entity.parent.empty() && table.Has(entity.parent)) fact.part_of = table.Get(entity.parent).name;
    else if (entity.from_authority) {
      const Authority::Entry* known = authority.FindByName(entity.name);
      if (known && !known->parent.empty()) fact.part_of = known->parent;
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
      dossier::RelationFact fact;
      if (!dossier::ParseWireName(relation, &fact.type)) continue;
      fact.source = table.Get(source).name;
      fact.target = table.Get(target).name;
      fact.page = page.number, fact.start = a_start, fact.end = b_end;
      fact.text = std::string(page.text.substr(a_start, b_end - a_start));
      facts.push_back(std::move(fact));
    }
  }

  // Dates, in document order; numeric dates follow the document's own convention.
  std::string document_date;
  for (const PageTokens& page : pages) {
    for (const DateMention& d : FindDates(page.text, order)) {
      dossier::DateFact fact = DateFactOf(d, page.number);
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
  if (!document_date.empty()) facts.push_back(dossier::DocumentDateFact{document_date});
  // Months named without their year ("in June", "by the end of April"): the document's year.
  if (document_date.size() >= 4) {
    const int year = std::atoi(document_date.substr(0, 4).c_str());
    for (const PageTokens& page : pages) {
      for (const DateMention& d : FindBareMonths(page.text, year)) {
        dossier::DateFact fact = DateFactOf(d, page.number);
        fact.end_value.reset();  // stated as the month alone
        facts.push_back(std::move(fact));
      }
    }
  }

  // The bodies named between two offsets of a page, in reading order: (start, entity key).
  auto named_between = [&](uint32_t page_number, size_t from, size_t to) {
    std::vector<std::pair<size_t, std::string>> named;
    for (const auto& [key, entity] : table.all()) {
      for (const Mention& m : entity.mentions) {
        if (m.page == page_number && m.start >= from && m.end <= to) named.emplace_back(m.start, key);
      }
    }
    std::sort(named.begin(), named.end());
    return named;
  };
  for (const Item& item : unique) {
    dossier::ItemFact fact;
    if (!dossier::ParseWireName(item.type, &fact.item_type)) continue;
    fact.number = item.number, fact.text = item.text;
    fact.page = item.page, fact.start = item.start, fact.end = item.end;
    for (const auto& [type, number] : ItemReferences(item.text)) {
      dossier::ItemReference ref{dossier::ItemType::kRecommendation, number};
      if (!(type == item.type && number == item.number) && dossier::ParseWireName(type, &ref.item_type)) {
        fact.based_on.push_back(std::move(ref));
      }
    }
    if (item.type == "recommendation") {
      std::vector<std::string> responsible;
      std::string due;
      auto add_responsible = [&](const std::string& key) {
        if (key.empty() || !table.Has(key)) return;
        // A programme, plan or strategy does not act: "A National Data
        // Strategy … should include", "the Medicare Advantage program should".
        if (table.Get(key).type == "programme") return;
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
      // The item printed again in an overview table: the cell right after its
      // text, when it names bodies ("| Cabinet Office | Open Knowledge Foundation | X |").
      if (responsible.empty() && !item.restated_cells.empty()) {
        const std::string text = Clean(item.restated_cells.front());
        if (text.size() >= 3 && text.size() <= 240 && StartsWithCapital(text) && FindDates(text, order).empty()) {
          for (const std::string& key : responsible_keys_in_cell(text)) {
            if (table.Get(key).type == "organisation") add_responsible(key);
          }
        }
      }
      if (responsible.empty()) {
        // The party before "should" in the first sentence: every body named there.
        std::string first = item.text.substr(0, item.text.find(". "));
        const std::string padded = " " + first + " ";
        size_t modal_length = 0;
        size_t modal = ModalPosition(padded, &modal_length);
        if (modal != std::string::npos) {
          const PageTokens& page = *std::find_if(pages.begin(), pages.end(), [&](const PageTokens& p) { return p.number == item.page; });
          const auto named = named_between(page.number, item.start, item.start + modal + 1);
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
            } else if (subject && subject->end + 1 >= subject_end && subject->end - item.start <= 16 &&
                       authority.words().Has("party.government", subject->key)) {
              // "The Government should …", "Le gouvernement devrait …": the government the document speaks to.
              std::string name = subject->text;
              name[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(name[0])));
              std::string key = table.Add("organisation", name);
              if (!key.empty()) table.AddMention(key, page.number, subject->start, subject->end, subject->text);
              add_responsible(key);
            }
          }
        }
      }
      // "We recommend that the Director of OMB …": the bodies named in the
      // recommending sentence, or in the lead-in that introduced a list of items.
      auto bodies_in = [&](uint32_t page_number, size_t from, size_t to) {
        for (const auto& [pos, key] : named_between(page_number, from, to)) add_responsible(key);
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
      // "CMS should …", "AHRQ and CMS should …" in the text under the item (its
      // specific recommendations, its explanation), up to the next item: the
      // bodies asked to act there.
      if (responsible.empty()) {
        for (const PageTokens& page : pages) {
          if (page.number < item.page || page.number > item.scope_end_page) continue;
          const size_t from = page.number == item.page ? item.start : 0;
          const size_t to = page.number == item.scope_end_page ? std::min(item.scope_end, page.text.size()) : page.text.size();
          std::map<size_t, std::string> ending_at;  // where each body's mention ends -> its key
          for (const auto& [key, entity] : table.all()) {
            for (const Mention& m : entity.mentions) {
              if (m.page == page.number && m.start >= from && m.end <= to) ending_at.emplace(m.end, key);
            }
          }
          for (const auto& [at, key] : ending_at) {
            if (table.Get(key).type != "organisation") continue;
            size_t modal_length = 0;
            const std::string padded = std::string(std::string_view(page.text).substr(at, 30)) + " ";
            const size_t modal = ModalPosition(padded, &modal_length);
            if (modal == 0 && !PassiveAfter(std::string_view(padded).substr(modal_length))) {
              // The body before "and" shares the verb: "AHRQ and CMS should".
              for (const auto& [other_end, other] : ending_at) {
                if (other_end < at && other != key && table.Get(other).type == "organisation" &&
                    std::string_view(page.text).substr(other_end, 5) == " and " &&
                    named_between(page.number, other_end + 5, at).size() == 1) {
                  add_responsible(other);
                }
              }
              add_responsible(key);
            }
          }
        }
      }
      if (due.empty()) {
        // "by 31 December 2020", "by the end of 2015", "before June 2021", "d'ici", "antes del": the first deadline.
        due = DeadlineIn(item.text, order);
      }
      // A recommendation the responding organisation answered ("UNICEF management response: Agree")
      // and whose text names no body is that organisation's to act on.
      if (!responding.empty() && !item.response_status.empty() && table.Has(responding)) {
        bool names_a_body = false;
        for (const std::string& name : responsible) {
          const std::string key = table.Resolve(name);
          names_a_body |= !key.empty() && table.Get(key).type == "organisation";
        }
        if (!names_a_body) add_responsible(responding);
      }
      // Still no one: the body the recommendation's own text keeps naming
      // ("… allowing CMS to set rates"; "CMS did not collect …"), at least
      // twice and more than any other, is the one it asks to act.
      if (responsible.empty()) {
        std::map<std::string, int> named;
        for (const auto& [pos, key] : named_between(item.page, item.start, item.end > item.start ? item.end : std::string::npos)) {
          if (table.Get(key).type == "organisation") ++named[key];
        }
        std::string most;
        int best = 1, tied = 0;
        for (const auto& [key, n] : named) {
          if (n > best) best = n, most = key, tied = 0;
          else if (n == best) ++tied;
        }
        if (!most.empty() && tied == 0) add_responsible(most);
      }
      fact.responsible = responsible;
      if (!due.empty()) fact.due = due;
      // The management response stated in a table cell ("Accepted") when no response line gave one.
      std::string response_status = item.response_status, response_text = item.response_text;
      for (const std::string& cell : item.table_cells) {
        std::string status = response_status.empty() ? ResponseStatusIn(cell, cues, language.substr(0, 2), 6, true) : "";
        if (!status.empty()) {
          response_status = status;
          response_text = cell;
        }
      }
      dossier::ManagementResponse response{dossier::ResponseStatus::kAccepted, response_text,
                                           item.response_page ? item.response_page : item.page};
      if (dossier::ParseWireName(response_status, &response.status)) fact.management_response = std::move(response);
      for (const Item::Action& a : item.actions) {
        auto or_null = [](const std::string& v) { return v.empty() ? std::nullopt : std::optional<std::string>(v); };
        // An action whose row names no unit is for the recommendation's own responsible bodies to carry out.
        const std::vector<std::string>& own = action_responsible[&a];
        dossier::KeyAction action{a.number, a.text, own.empty() ? responsible : own, or_null(a.time_frame), or_null(a.start),
                                  or_null(a.due), std::nullopt, or_null(a.status_text), a.page};
        dossier::ActionStatus status;
        if (dossier::ParseWireName(a.status, &status)) action.status = status;
        fact.key_actions.push_back(std::move(action));
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
      facts.push_back(dossier::EvaluationTitleFact{answers || has_responses, title, key});
    }
  }
  // Bodies first met while reading the items (an undefined acronym acting in a recommendation).
  for (const auto& [key, entity] : table.all()) {
    if (!emitted_entities.count(key)) emit_entity(key, entity);
  }
  // The structure model itself, with what the items pass took from it (`show --structure`).
  facts.push_back(StructureFactOf(structure, unique));
  (void)language;
  return facts;
}

}  // namespace dossier_entities
