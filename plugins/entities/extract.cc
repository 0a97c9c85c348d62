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

#include "acronyms.h"
#include "dates.h"
#include "entity_table.h"
#include "items.h"
#include "named_bodies.h"
#include "structure.h"
#include "tokens.h"

namespace dossier_entities {

using nlohmann::json;

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

// Strips list bullets and markdown emphasis from the start of a line.
std::string_view StripLineStart(std::string_view line, size_t* skipped) {
  size_t i = 0;
  while (i < line.size() && (line[i] == ' ' || line[i] == '\t' || line[i] == '*' || line[i] == '-' ||
                             line[i] == '#' || line[i] == '>')) {
    // A hyphen is a bullet only when followed by a space.
    if (line[i] == '-' && (i + 1 >= line.size() || line[i + 1] != ' ')) break;
    ++i;
  }
  // "•" bullets
  if (line.substr(i).rfind("\xE2\x80\xA2", 0) == 0) i += 3;
  while (i < line.size() && line[i] == ' ') ++i;
  *skipped = i;
  return line.substr(i);
}

// ---------------------------------------------------------------- follow-up: responses and key actions

// Whether `key` (a NameKey) starts with `phrase` as whole words.
bool StartsWithWords(const std::string& key, std::string_view phrase) {
  return key.size() >= phrase.size() && key.compare(0, phrase.size(), phrase) == 0 &&
         (key.size() == phrase.size() || key[phrase.size()] == ' ');
}

// An action's tracking status, normalised, or "".
std::string ActionStatus(std::string_view cell) {
  const std::string key = NameKey(cell.substr(0, 60));
  if (key.empty()) return "";
  static const std::vector<std::pair<std::string_view, std::string_view>> phrases = {
      {"no longer applicable", "no longer applicable"}, {"not applicable", "no longer applicable"},
      {"n a", "no longer applicable"}, {"cancelled", "no longer applicable"}, {"canceled", "no longer applicable"},
      {"withdrawn", "no longer applicable"}, {"superseded", "no longer applicable"},
      {"ya no aplica", "no longer applicable"}, {"no aplica", "no longer applicable"},
      {"cancelada", "no longer applicable"}, {"cancelado", "no longer applicable"},
      {"sans objet", "no longer applicable"}, {"annulee", "no longer applicable"}, {"caduque", "no longer applicable"},
      {"not started", "not started"}, {"not yet started", "not started"}, {"not initiated", "not started"},
      {"pending", "not started"}, {"planned", "not started"}, {"no iniciada", "not started"},
      {"no iniciado", "not started"}, {"pendiente", "not started"}, {"sin iniciar", "not started"},
      {"non commence", "not started"}, {"non commencee", "not started"}, {"pas commence", "not started"},
      {"non demarre", "not started"}, {"a venir", "not started"},
      {"overdue", "overdue"}, {"delayed", "overdue"}, {"behind schedule", "overdue"}, {"atrasada", "overdue"},
      {"atrasado", "overdue"}, {"retrasada", "overdue"}, {"retrasado", "overdue"}, {"vencida", "overdue"},
      {"vencido", "overdue"}, {"en retard", "overdue"},
      {"completed", "completed"}, {"complete", "completed"}, {"done", "completed"}, {"implemented", "completed"},
      {"fully implemented", "completed"}, {"achieved", "completed"}, {"closed", "completed"},
      {"completada", "completed"}, {"completado", "completed"}, {"cumplida", "completed"}, {"cumplido", "completed"},
      {"implementada", "completed"}, {"implementado", "completed"}, {"finalizada", "completed"},
      {"finalizado", "completed"}, {"terminee", "completed"}, {"termine", "completed"}, {"achevee", "completed"},
      {"acheve", "completed"}, {"realisee", "completed"}, {"realise", "completed"}, {"mise en oeuvre", "completed"},
      {"initiated", "initiated"}, {"in progress", "initiated"}, {"ongoing", "initiated"}, {"under way", "initiated"},
      {"underway", "initiated"}, {"started", "initiated"}, {"partially implemented", "initiated"},
      {"en curso", "initiated"}, {"iniciada", "initiated"}, {"iniciado", "initiated"}, {"en proceso", "initiated"},
      {"en ejecucion", "initiated"}, {"en cours", "initiated"}, {"initiee", "initiated"}, {"initie", "initiated"},
      {"commencee", "initiated"}, {"commence", "initiated"}};
  for (const auto& [phrase, status] : phrases) {
    // The whole cell, or its first words when a comment follows ("Completed (report issued)").
    if (key == phrase || (StartsWithWords(key, phrase) && key.size() <= phrase.size() + 40)) return std::string(status);
  }
  return "";
}

// A key action's time frame as start and due at the stated precision.
// "Q1 2026" -> 2026-01..2026-03; "January–March 2026" -> 2026-01..2026-03;
// "By 30 June 2026" -> due 2026-06-30; "end of 2026" -> due 2026-12;
// "Ongoing" -> neither. False when the cell states no time frame.
bool ParseTimeFrame(std::string_view cell, NumericOrder order, std::string* start, std::string* due) {
  start->clear();
  due->clear();
  const std::string key = NameKey(cell.substr(0, 80));
  for (std::string_view open : {"ongoing", "continuous", "continuing", "permanent", "on going", "en curso", "continuo",
                                "continua", "permanente", "en cours", "continu", "permanent"}) {
    if (key == open || StartsWithWords(key, open)) return true;
  }
  std::vector<DateMention> dates = FindDates(cell, order);
  if (dates.empty()) return false;
  // "first quarter of 2026", "primer trimestre de 2026", "deuxième trimestre 2026"
  static const std::vector<std::pair<std::string_view, int>> quarters = {
      {"first quarter", 1}, {"second quarter", 2}, {"third quarter", 3}, {"fourth quarter", 4},
      {"primer trimestre", 1}, {"segundo trimestre", 2}, {"tercer trimestre", 3}, {"cuarto trimestre", 4},
      {"premier trimestre", 1}, {"deuxieme trimestre", 2}, {"troisieme trimestre", 3}, {"quatrieme trimestre", 4},
      {"first half", 5}, {"second half", 6}, {"primer semestre", 5}, {"segundo semestre", 6},
      {"premier semestre", 5}, {"second semestre", 6}, {"deuxieme semestre", 6}};
  const DateMention& last = dates.back();
  const DateMention& first = dates.front();
  if (last.precision == "year") {
    for (const auto& [phrase, q] : quarters) {
      if (key.find(phrase) == std::string::npos) continue;
      const int from = q <= 4 ? 3 * q - 2 : (q == 5 ? 1 : 7), to = q <= 4 ? 3 * q : (q == 5 ? 6 : 12);
      char buf[16];
      std::snprintf(buf, sizeof buf, "%s-%02d", last.value.c_str(), from);
      *start = buf;
      std::snprintf(buf, sizeof buf, "%s-%02d", last.value.c_str(), to);
      *due = buf;
      return true;
    }
    // "end of 2026", "end-2026", "finales de 2026", "fin 2026": the year's last month.
    for (std::string_view end_cue : {"end of", "end", "by end of", "by the end of", "late", "finales de", "fin de",
                                     "a finales de", "fin", "d ici fin", "d ici la fin de"}) {
      const std::string before = NameKey(cell.substr(0, last.start));
      if (before.size() >= end_cue.size() && before.compare(before.size() - end_cue.size(), end_cue.size(), end_cue) == 0 &&
          last.end_value.empty()) {
        *due = last.value + "-12";
        return true;
      }
    }
  }
  // A range, or one date with a start and an end (a quarter): both ends.
  if (dates.size() == 1 && !first.end_value.empty()) {
    *start = first.value;
    *due = first.end_value;
    return true;
  }
  if (dates.size() >= 2) {
    *start = first.value;
    *due = last.end_value.empty() ? last.value : last.end_value;
    return true;
  }
  *due = first.value;  // "By 30 June 2026", "31/12/2026", "April 2027": a deadline
  return true;
}

// What a key-action table's header calls each column, by position.
std::vector<std::string> ColumnRoles(const std::vector<std::string>& cells) {
  std::vector<std::string> roles;
  int known = 0;
  for (const std::string& cell : cells) {
    const std::string key = NameKey(cell);
    auto has = [&](std::initializer_list<std::string_view> words) {
      for (std::string_view w : words) {
        if (StartsWithWords(key, w) || key.find(" " + std::string(w)) != std::string::npos) return true;
      }
      return false;
    };
    std::string role;
    if (has({"status", "progress", "state", "estado", "situacion", "avance", "etat", "statut", "avancement"})) role = "status";
    else if (has({"time frame", "timeframe", "timeline", "deadline", "due", "completion date", "target date", "date",
                  "timing", "plazo", "calendario", "fecha", "cronograma", "echeance", "delai", "calendrier"})) role = "time";
    else if (has({"responsible", "responsibility", "lead", "unit", "units", "owner", "responsable", "responsables",
                  "unidad", "unidades", "entite", "entites", "service"})) role = "responsible";
    else if (has({"key action", "key actions", "action", "actions", "accion", "acciones", "actividad", "actividades",
                  "medida", "medidas", "mesure", "mesures"})) role = "action";
    known += !role.empty();
    roles.push_back(role);
  }
  if (known < 2) roles.clear();
  return roles;
}

// "1.1", "3.1a", "3.1.b", "2.1." at the start of a cell: a key action's number.
bool ParseActionNumber(std::string_view cell, std::string* number, size_t* text_at) {
  size_t i = 0;
  while (i < cell.size() && std::isdigit(static_cast<unsigned char>(cell[i]))) ++i;
  if (i == 0 || i > 3 || i >= cell.size() || cell[i] != '.') return false;
  size_t j = i + 1;
  size_t parts = 1;
  for (;;) {
    size_t k = j;
    while (k < cell.size() && std::isdigit(static_cast<unsigned char>(cell[k]))) ++k;
    if (k > j) {
      ++parts;
      j = k;
      if (j < cell.size() && std::islower(static_cast<unsigned char>(cell[j])) &&
          (j + 1 == cell.size() || !std::isalpha(static_cast<unsigned char>(cell[j + 1])))) {
        ++j;  // 3.1a
      }
    } else if (k < cell.size() && std::islower(static_cast<unsigned char>(cell[k])) &&
               (k + 1 == cell.size() || !std::isalpha(static_cast<unsigned char>(cell[k + 1])))) {
      ++parts;
      j = k + 1;  // 3.1a, 3.1.b
    }
    if (j < cell.size() && cell[j] == '.' && j + 1 < cell.size() && std::isalnum(static_cast<unsigned char>(cell[j + 1]))) {
      ++j;
      continue;
    }
    break;
  }
  if (parts < 2) return false;
  *number = std::string(cell.substr(0, j));
  while (j < cell.size() && (cell[j] == '.' || cell[j] == ')' || cell[j] == ':')) ++j;
  if (j < cell.size() && cell[j] != ' ' && cell[j] != '\t') return false;
  while (j < cell.size() && cell[j] == ' ') ++j;
  *text_at = j;
  return true;
}

// Finds each recommendation's management response and key-action rows:
// response lines ("Management response: Partially accepted. …") and
// tab-separated key-action tables (header optional) after it. An action
// numbered "2.1" belongs to recommendation 2 when the document has one,
// else to the recommendation it follows.
void AttachFollowUp(const std::vector<PageTokens>& pages, NumericOrder order, const dossier_structure::Cues& cues,
                    std::string_view language, std::vector<Item>* items) {
  std::vector<Item*> recommendations;
  for (Item& item : *items) {
    if (item.type == "recommendation") recommendations.push_back(&item);
  }
  if (recommendations.empty()) return;
  auto by_number = [&](const std::string& number) -> Item* {
    for (Item* r : recommendations) {
      if (r->number == number) return r;
    }
    return nullptr;
  };
  Item* current = nullptr;
  size_t next_item = 0;
  std::vector<std::string> roles;  // the current key-action table's columns
  for (const PageTokens& page : pages) {
    std::string_view text = page.text;
    size_t line_start = 0;
    while (line_start <= text.size()) {
      size_t line_end = text.find('\n', line_start);
      if (line_end == std::string_view::npos) line_end = text.size();
      std::string_view line = text.substr(line_start, line_end - line_start);
      // Move `current` to the last recommendation starting before this line ends.
      while (next_item < recommendations.size() &&
             (recommendations[next_item]->page < page.number ||
              (recommendations[next_item]->page == page.number && recommendations[next_item]->start < line_end))) {
        current = recommendations[next_item++];
        roles.clear();
      }
      size_t skipped = 0;
      std::string_view content = StripLineStart(line, &skipped);
      size_t after = 0;
      if (content.empty()) {
      } else if (content.find('\t') != std::string_view::npos) {
        std::vector<std::string> cells = Split(std::string(content), '\t');
        std::string number;
        size_t text_at = 0;
        if (ParseActionNumber(cells[0], &number, &text_at)) {
          Item::Action action;
          action.number = number;
          action.page = page.number;
          action.text = cells[0].substr(text_at);
          size_t first_cell = 1;
          if (action.text.empty() && cells.size() > 1) action.text = cells[first_cell++];
          // Column roles from the table's header when it has as many cells;
          // else by what the cells say: the last status-like cell is the
          // status ("Ongoing" may be a time frame or a status), the first
          // time frame among the rest the time frame, the others responsible.
          const bool use_header = roles.size() == cells.size();
          int status_cell = -1, time_cell = -1;
          if (!use_header) {
            for (size_t c = first_cell; c < cells.size(); ++c) {
              if (!ActionStatus(cells[c]).empty()) status_cell = static_cast<int>(c);
            }
            for (size_t c = first_cell; c < cells.size(); ++c) {
              std::string start, due;
              if (static_cast<int>(c) != status_cell && ParseTimeFrame(cells[c], order, &start, &due)) {
                time_cell = static_cast<int>(c);
                break;
              }
            }
          }
          for (size_t c = first_cell; c < cells.size(); ++c) {
            const std::string& cell = cells[c];
            if (cell.empty()) continue;
            std::string role = use_header ? roles[c]
                               : static_cast<int>(c) == status_cell ? "status"
                               : static_cast<int>(c) == time_cell   ? "time"
                                                                     : "responsible";
            if (role == "status") {
              action.status_text = cell;
              action.status = ActionStatus(cell);
            } else if (role == "time") {
              action.time_frame = cell;
              ParseTimeFrame(cell, order, &action.start, &action.due);
            } else if (role == "responsible") {
              action.responsible_cells.push_back(cell);
            }
          }
          Item* owner = by_number(number.substr(0, number.find('.')));
          if (owner == nullptr) owner = current;
          if (owner != nullptr) {
            bool repeated = false;
            for (const Item::Action& a : owner->actions) repeated |= a.number == action.number;
            if (!repeated) owner->actions.push_back(std::move(action));
          }
        } else {
          std::vector<std::string> header = ColumnRoles(cells);
          if (!header.empty()) roles = header;
        }
      } else if (ParseResponseLabel(std::string(content), cues, language, &after)) {
        roles.clear();  // a response ends the key-action table above it (the items pass reads the response)
      }
      line_start = line_end + 1;
    }
  }
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
    pages.push_back(MakePageTokens(input.number, input.text));
    all_text.append(input.text).push_back('\n');
  }
  EntityTable table(authority);
  // The entity passes: acronym lists and definitions (acronyms.cc), then named bodies (named_bodies.cc).
  for (PageTokens& page : pages) FindAcronymLists(page, table);
  for (PageTokens& page : pages) FindAcronymDefinitions(page, table);
  for (PageTokens& page : pages) FindNamedBodies(page, table);
  TypeFromUsage(pages, table);
  const NumericOrder order = GuessNumericOrder(all_text);

  // The document's structure, read once; the items pass works on it.
  std::vector<dossier_structure::PageText> page_texts;
  for (const PageInput& input : inputs) page_texts.push_back({input.number, input.text});
  const dossier_structure::DocumentStructure structure = dossier_structure::BuildStructure(page_texts, cues, language);
  // Items with their follow-up; a recommendation printed twice is kept once.
  std::vector<Item> unique = FindStructuredItems(structure, cues, language);
  AttachFollowUp(pages, order, cues, language, &unique);
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
  // The bodies a cell of who-must-act names ("SDD; PCO", "Legal Office and
  // Planning Unit", "Regional Office for South America (ROSA)"), as entity
  // keys; a unit named only here becomes an organisation of its own.
  auto responsible_keys_in_cell = [&](const std::string& cell) {
    std::vector<std::string> keys;
    std::string normalised = cell;
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
