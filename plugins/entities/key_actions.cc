// The key-actions pass (key_actions.h).
#include "key_actions.h"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <map>

namespace dossier_entities {

using dossier_structure::Block;
using dossier_structure::BlockKind;
using dossier_structure::Cues;
using dossier_structure::DocumentStructure;
using dossier_structure::FoldedKey;
using dossier_structure::StartsWithWords;

std::string ActionStatus(std::string_view cell, const Cues& cues, std::string_view language) {
  const std::string key = FoldedKey(cell.substr(0, 60));
  if (key.empty()) return "";
  static const std::vector<std::pair<std::string_view, std::string_view>> kStatuses = {
      {"action.no_longer_applicable", "no longer applicable"}, {"action.not_started", "not started"},
      {"action.overdue", "overdue"}, {"action.completed", "completed"}, {"action.initiated", "initiated"}};
  for (const auto& [category, status] : kStatuses) {
    size_t length = 0;
    // The whole cell, or its first words when a comment follows ("Completed (report issued)").
    if (!cues.StartsWith(key, {category}, language, &length).empty() && key.size() <= length + 40)
      return std::string(status);
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
  const std::string key = FoldedKey(cell.substr(0, 80));
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
      const std::string before = FoldedKey(cell.substr(0, last.start));
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

std::vector<std::string> ColumnRoles(const std::vector<std::string>& cells, const Cues& cues, std::string_view language) {
  std::vector<std::string> roles;
  int known = 0;
  bool action = false;
  for (const std::string& cell : cells) {
    const std::string key = FoldedKey(cell.substr(0, 120));
    std::string role;
    if (!key.empty() && key.size() <= 100) {
      for (std::string_view r : {"status", "time", "responsible", "action"}) {
        const std::string category = "column." + std::string(r);
        if (!cues.StartsWith(key, {category}, language).empty() || cues.Contains(key, category, language)) {
          role = std::string(r);
          break;
        }
      }
    }
    if (role == "action") {
      if (std::count(key.begin(), key.end(), ' ') >= 6) return {};
      if (action) role = "";  // a second action column ("Further actions") is another column
      action = true;
    }
    known += !role.empty();
    roles.push_back(role);
  }
  if (known < 2 || !action) return {};
  // A header names its columns: a cell with a date in it makes the row a row of data.
  for (const std::string& cell : cells) {
    if (!FindDates(cell, NumericOrder::kDayFirst).empty()) return {};
  }
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


namespace {

// One piece of a printed row: a tab-separated cell, or a column set apart by a
// run of three or more spaces (then `x` is its column, in characters).
struct Piece {
  std::string text;
  int x = -1;
};

std::string Trimmed(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return std::string(s);
}

std::vector<Piece> SplitRow(std::string_view line) {
  std::vector<Piece> pieces;
  if (line.find('\t') != std::string_view::npos) {
    size_t start = 0;
    for (;;) {
      const size_t tab = line.find('\t', start);
      pieces.push_back({Trimmed(line.substr(start, tab == std::string_view::npos ? std::string_view::npos : tab - start)), -1});
      if (tab == std::string_view::npos) break;
      start = tab + 1;
    }
    while (!pieces.empty() && pieces.back().text.empty()) pieces.pop_back();
    return pieces;
  }
  size_t i = 0;
  int col = 0;
  const size_t n = line.size();
  while (i < n) {
    while (i < n && line[i] == ' ') ++i, ++col;
    if (i >= n) break;
    const size_t start = i;
    const int x = col;
    while (i < n) {
      if (line[i] == ' ') {
        size_t j = i;
        while (j < n && line[j] == ' ') ++j;
        if (j - i >= 3 || j == n) break;
        col += static_cast<int>(j - i);
        i = j;
        continue;
      }
      if ((static_cast<unsigned char>(line[i]) & 0xC0) != 0x80) ++col;
      ++i;
    }
    pieces.push_back({Trimmed(line.substr(start, i - start)), x});
  }
  return pieces;
}

bool StartsLower(const std::string& text) {
  return !text.empty() && std::islower(static_cast<unsigned char>(text[0]));
}

// Whether a piece is an artefact of the page rather than a cell: a page
// number, a document symbol or running number repeated at the page's edge.
bool IsPageArtefact(const std::string& text) {
  // A document symbol ("E/ICEF/2025/4", "A/RES/80/242"): one token with slashes and digits.
  if (text.find(' ') == std::string::npos && std::count(text.begin(), text.end(), '/') >= 2 &&
      std::any_of(text.begin(), text.end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)); }))
    return true;
  return dossier_structure::IsPageNumberLine(text) ||
         std::all_of(text.begin(), text.end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)) || c == '-' || c == '/'; });
}

// "Action to respond to subrecommendations (a) and (c): UNICEF will …": the
// text without its label (which says what it answers, not what is done).
std::string WithoutActionLabel(const std::string& text, const Cues& cues, std::string_view language) {
  const size_t colon = text.find(':');
  if (colon == std::string::npos || colon > 120 || colon + 1 >= text.size()) return text;
  if (cues.StartsWith(FoldedKey(text.substr(0, colon)), {"label.action"}, language).empty()) return text;
  size_t from = colon + 1;
  while (from < text.size() && text[from] == ' ') ++from;
  return text.substr(from);
}

// Appends a piece to a cell's text.
void AppendText(std::string* cell, const std::string& piece) {
  if (piece.empty()) return;
  if (!cell->empty() && cell->back() != ' ') *cell += ' ';
  *cell += piece;
}

}  // namespace

bool ParseActionItemLabel(const std::string& text, const Cues& cues, std::string_view language, std::string* numbers,
                          size_t* text_at) {
  const size_t colon = text.find(':');
  if (colon == std::string::npos || colon > 60) return false;
  const std::string head = text.substr(0, colon);
  // The label word, then numbers joined by commas and "and" / "et" / "y".
  size_t pos = 0;
  while (pos < head.size() && std::isalpha(static_cast<unsigned char>(head[pos]))) ++pos;
  if (pos == 0) return false;
  const std::string word = FoldedKey(head.substr(0, pos));
  bool known = false;
  for (const std::string& phrase : cues.Phrases("label.action", language)) known |= phrase == word;
  if (!known) return false;
  std::string list = head.substr(pos);
  std::string printed;
  size_t digits = 0;
  for (size_t i = 0; i < list.size(); ++i) {
    const char c = list[i];
    if (std::isdigit(static_cast<unsigned char>(c))) {
      ++digits;
      printed += c;
    } else if (c == ',' || c == ' ' || c == '.' || c == '&') {
      if (!printed.empty() && (c == ',' || c == '&')) printed += c == '&' ? " and" : ",";
      if (!printed.empty() && c == ' ' && printed.back() != ' ') printed += ' ';
    } else {
      const std::string rest = FoldedKey(list.substr(i));
      if (rest.rfind("and ", 0) == 0 || rest.rfind("et ", 0) == 0 || rest.rfind("y ", 0) == 0) {
        const size_t space = list.find(' ', i);
        if (space == std::string::npos) return false;
        printed += printed.empty() || printed.back() == ' ' ? "and " : " and ";
        i = space;
        continue;
      }
      return false;
    }
  }
  if (digits == 0) return false;
  while (!printed.empty() && (printed.back() == ' ' || printed.back() == ',')) printed.pop_back();
  *numbers = printed;
  size_t at = colon + 1;
  while (at < text.size() && text[at] == ' ') ++at;
  *text_at = at;
  return at < text.size();
}

namespace {
// Whether a recommendation's numbers ("1, 2, 3, 6, 7", "63 and 65") include `number`.
bool NumbersInclude(const std::string& numbers, const std::string& number) {
  size_t i = 0;
  while (i < numbers.size()) {
    while (i < numbers.size() && !std::isdigit(static_cast<unsigned char>(numbers[i]))) ++i;
    size_t j = i;
    while (j < numbers.size() && std::isdigit(static_cast<unsigned char>(numbers[j]))) ++j;
    if (j > i && numbers.compare(i, j - i, number) == 0) return true;
    i = j;
  }
  return false;
}
}  // namespace

namespace {
// Where the words that set a date start ("by the end of 2027", "in early
// 2015", "d'ici fin 2026", "no later than 30 June"): the offset before the date.
size_t TimeFrameStart(const std::string& text, const DateMention& date) {
  static const std::vector<std::string_view> kCueWords = {
      "by", "the", "end", "of", "early", "late", "mid", "before", "until", "in", "from", "during", "starting",
      "no", "later", "than", "due", "fin", "d", "ici", "avant", "au", "plus", "tard", "debut", "a", "partir", "de",
      "finales", "principios", "antes", "del", "hasta", "para", "en", "la", "le", "mas", "tardar"};
  size_t from = date.start;
  for (int words = 0; words < 5 && from > 0; ++words) {
    size_t end = from;
    while (end > 0 && (text[end - 1] == ' ' || text[end - 1] == '\'')) --end;
    size_t begin = end;
    while (begin > 0 && text[begin - 1] != ' ' && text[begin - 1] != '\'' && text[begin - 1] != '(') --begin;
    if (begin == end) break;
    const std::string word = FoldedKey(text.substr(begin, end - begin));
    if (std::find(kCueWords.begin(), kCueWords.end(), word) == kCueWords.end()) break;
    from = begin;
  }
  return from;
}

// The document's year: that of the first month or day date on its first page, or 0.
int DocumentYearOf(const DocumentStructure& structure, NumericOrder order) {
  if (structure.pages.empty()) return 0;
  for (const DateMention& d : FindDates(structure.pages.front().text, order)) {
    if (d.precision == "day" || d.precision == "month") return std::atoi(d.value.substr(0, 4).c_str());
  }
  return 0;
}

// "in June", "by the end of April": a month without its year, in the document's year.
std::string BareMonthDue(const std::string& text, int year) {
  if (year == 0) return "";
  std::vector<DateMention> months = FindBareMonths(text, year);
  return months.empty() ? "" : months.front().value;
}

std::string TimeFrameIn(const std::string& text, NumericOrder order, int year = 0) {
  std::vector<DateMention> dates = FindDates(text, order);
  if (dates.empty() && year > 0) dates = FindBareMonths(text, year);
  if (dates.empty()) return "";
  const size_t from = TimeFrameStart(text, dates.front());
  return text.substr(from, dates.front().end - from);
}

}  // namespace

std::string DeadlineIn(const std::string& text, NumericOrder order) {
  static const std::vector<std::string_view> kDeadlineWords = {"by", "before", "until", "due", "than", "antes",
                                                               "para", "tardar", "ici", "avant", "hasta"};
  for (const DateMention& d : FindDates(text, order)) {
    const size_t from = TimeFrameStart(text, d);
    const std::string phrase = text.substr(from, d.end - from);
    const std::string words = " " + FoldedKey(text.substr(from, d.start - from)) + " ";
    bool deadline = false;
    for (std::string_view w : kDeadlineWords) deadline |= words.find(" " + std::string(w) + " ") != std::string::npos;
    if (!deadline) continue;
    std::string start, due;
    if (ParseTimeFrame(phrase, order, &start, &due) && !due.empty()) return due;
    return d.end_value.empty() ? d.value : d.end_value;
  }
  return "";
}

void AttachKeyActions(const DocumentStructure& structure, const Cues& cues, std::string_view language,
                      NumericOrder order, std::vector<Item>* items) {
  std::vector<size_t> recs;
  for (size_t i = 0; i < items->size(); ++i) {
    if ((*items)[i].type == "recommendation") recs.push_back(i);
  }
  if (recs.empty()) return;
  auto by_number = [&](const std::string& number) -> int {
    for (size_t r : recs) {
      if ((*items)[r].number == number) return static_cast<int>(r);
    }
    return -1;
  };
  std::map<uint32_t, std::string_view> page_text;
  for (const auto& p : structure.pages) page_text[p.number] = p.text;
  const int document_year = DocumentYearOf(structure, order);

  size_t next = 0;
  int current = -1;  // the recommendation the lines read follow
  auto advance = [&](uint32_t page, size_t pos) {
    while (next < recs.size() && ((*items)[recs[next]].page < page ||
                                  ((*items)[recs[next]].page == page && (*items)[recs[next]].start <= pos))) {
      current = static_cast<int>(recs[next++]);
    }
  };

  std::vector<std::string> roles;       // the action table in force: its columns' roles
  bool status_column = false;
  int owner = -1;                       // the action being read: its recommendation and index
  size_t action_at = 0;
  bool open_row = false;
  int text_x = -1;                      // where the action column starts, in space-set rows
  std::vector<std::pair<int, std::string>> column_x;  // other columns of the last row start: x and role

  auto action = [&]() -> Item::Action& { return (*items)[owner].actions[action_at]; };
  auto stop_row = [&]() { open_row = false; };
  auto label_line = [&](const std::string& text) {
    const std::string key = FoldedKey(text.substr(0, 80));
    return !cues.StartsWith(key, {"label.recommendation", "label.finding", "label.conclusion", "label.response",
                                  "label.responsible"}, language).empty();
  };
  // The role of the i-th piece of a row.
  auto role_of = [&](const std::vector<Piece>& pieces, size_t i, bool row_start) -> std::string {
    const Piece& p = pieces[i];
    std::string start, due;
    const bool time_like = ParseTimeFrame(p.text, order, &start, &due);
    const bool status_like = (status_column || roles.empty()) && !ActionStatus(p.text, cues, language).empty() && FoldedKey(p.text) != "n a";
    if (p.x < 0 && pieces.size() == roles.size()) {
      // The header's column, unless the cell says otherwise (a table of another layout below it).
      const std::string& role = roles[i];
      if (role == "action") return role;
      if (role == "time" && !time_like) return status_like ? "status" : "responsible";
      if ((role == "responsible" || role.empty()) && time_like) return "time";
      return role;
    }
    // The first cell with text (a row's leading empty cells are its number column's).
    size_t first = 0;
    while (first < pieces.size() && pieces[first].text.empty()) ++first;
    if (i == first && (p.x < 0 || text_x < 0 || p.x <= text_x + 3)) return "action";
    if (p.x >= 0 && text_x >= 0 && p.x <= text_x + 3) return "action";
    if (time_like) return "time";
    if (status_like) return "status";
    if (!row_start && p.x >= 0 && !column_x.empty()) {
      // A wrapped cell: the column whose start is nearest.
      int best = -1, best_d = 1 << 30;
      for (size_t c = 0; c < column_x.size(); ++c) {
        const int d = std::abs(column_x[c].first - p.x);
        if (d < best_d) best = static_cast<int>(c), best_d = d;
      }
      if (best >= 0 && best_d <= 8) return column_x[best].second;
    }
    return FoldedKey(p.text) == "n a" ? "" : "responsible";
  };

  for (const Block& b : structure.blocks) {
    if (b.kind == BlockKind::kContentsEntry) continue;
    const bool in_table = !roles.empty();
    if (b.kind == BlockKind::kHeading) {
      // A short capitalised line inside a table is a cell set apart ("EMOPS"), or a running symbol.
      const bool cell_like = in_table && b.text.size() <= 40 && b.label.empty() &&
                             std::count(b.text.begin(), b.text.end(), ' ') <= 1 &&
                             std::none_of(b.text.begin(), b.text.end(), [](char c) { return std::islower(static_cast<unsigned char>(c)); });
      if (!cell_like) {
        roles.clear();
        stop_row();
        continue;
      }
    }
    if (b.kind == BlockKind::kListItem) {
      stop_row();
      // A list under "Next steps", "Timescales", "Key milestones": each item a key action of the item above.
      advance(b.page, b.start);
      if (structure.TopicAt(b) == dossier_structure::Topic::kActions && current >= 0 && b.text.size() >= 12 &&
          b.text.back() != ':') {
        Item::Action fresh;
        fresh.page = b.page;
        fresh.text = b.text;
        int target = current;
        // "Action 15: The review will be presented in June": the item numbered 15.
        std::string numbers;
        size_t text_at = 0;
        if (ParseActionItemLabel(b.text, cues, language, &numbers, &text_at)) {
          const std::string first = numbers.substr(0, numbers.find_first_of(", "));
          for (size_t r : recs) {
            if (NumbersInclude((*items)[r].number, first)) {
              target = static_cast<int>(r);
              break;
            }
          }
          fresh.text = b.text.substr(text_at);
        }
        // Its time frame: the first date it states ("by April 2014", "(Winter 2013)").
        fresh.time_frame = TimeFrameIn(fresh.text, order, document_year);
        (*items)[target].actions.push_back(std::move(fresh));
      }
      continue;  // otherwise sub-recommendations between rows
    }
    if (b.kind == BlockKind::kParagraph && structure.TopicAt(b) == dossier_structure::Topic::kActions) {
      // Prose under "Next steps" or "Timescales": each sentence that states a step to come.
      stop_row();
      advance(b.page, b.start);
      const bool is_item = current >= 0 && (*items)[current].page == b.page && (*items)[current].start >= b.start &&
                           (*items)[current].start < b.end;
      if (current >= 0 && !is_item && !b.text.empty() && b.text.back() != ':') {
        for (const std::string& sentence : Sentences(b.text, language)) {
          if (sentence.size() < 20 || !cues.Contains(FoldedKey(sentence), "sentence.future", language)) continue;
          // A step in prose is dated ("by 30 June 2014", "in early 2015"); an undated
          // sentence there is more often context than a commitment.
          const std::string time_frame = TimeFrameIn(sentence, order, document_year);
          if (time_frame.empty()) continue;
          Item::Action fresh;
          fresh.page = b.page;
          fresh.text = sentence;
          fresh.time_frame = time_frame;
          (*items)[current].actions.push_back(std::move(fresh));
        }
      }
      continue;
    }
    auto it = page_text.find(b.page);
    if (it == page_text.end()) continue;
    const std::string_view text = it->second;
    size_t line_start = b.start > text.size() ? text.size() : b.start;
    while (line_start > 0 && text[line_start - 1] != '\n') --line_start;
    const size_t end = std::min(b.end, text.size());
    while (line_start < end) {
      size_t line_end = text.find('\n', line_start);
      if (line_end == std::string_view::npos || line_end > end) line_end = std::max(end, line_start);
      const std::string_view line = text.substr(line_start, line_end - line_start);
      const size_t at = line_start;
      line_start = line_end + 1;
      advance(b.page, at);
      std::vector<Piece> pieces = SplitRow(line);
      if (pieces.empty()) continue;
      std::vector<std::string> cells;
      bool header_shaped = pieces.size() >= 2;  // two or more short cells
      for (const Piece& p : pieces) {
        cells.push_back(p.text);
        header_shaped &= p.text.size() <= 120;
      }
      if (std::vector<std::string> header = header_shaped ? ColumnRoles(cells, cues, language) : std::vector<std::string>{};
          !header.empty()) {
        // The header printed again on the next page: the open row may run on under it.
        if (header != roles) {
          roles = std::move(header);
          status_column = std::find(roles.begin(), roles.end(), "status") != roles.end();
          text_x = -1;
          column_x.clear();
          stop_row();
        }
        continue;
      }
      if (label_line(pieces[0].text)) {
        stop_row();
        continue;
      }
      // Artefacts of the page (its number, a running symbol) in a space-set row.
      if (pieces[0].x >= 0) {
        pieces.erase(std::remove_if(pieces.begin(), pieces.end(),
                                    [&](const Piece& p) { return IsPageArtefact(p.text) || (text_x >= 0 && p.x + 2 < text_x); }),
                     pieces.end());
        if (pieces.empty()) continue;
      }

      // A numbered row ("2.1 Draft a protocol | Q1 2026 | LAO"): the recommendation its number names.
      std::string number;
      size_t number_end = 0;
      if (ParseActionNumber(pieces[0].text, &number, &number_end) && (pieces.size() >= 2 || !roles.empty())) {
        int target = by_number(number.substr(0, number.find('.')));
        if (target < 0) target = current;
        if (target < 0) continue;
        bool repeated = false;
        for (const Item::Action& a : (*items)[target].actions) repeated |= a.number == number;
        if (repeated) {
          stop_row();
          continue;
        }
        pieces[0].text = pieces[0].text.substr(number_end);
        if (pieces[0].text.empty() && pieces.size() > 1) pieces.erase(pieces.begin());
        Item::Action fresh;
        fresh.number = number;
        fresh.page = b.page;
        (*items)[target].actions.push_back(std::move(fresh));
        owner = target;
        action_at = (*items)[target].actions.size() - 1;
        open_row = true;
        text_x = pieces[0].x;
        column_x.clear();
        for (size_t i = 0; i < pieces.size(); ++i) {
          const std::string role = i == 0 ? "action" : role_of(pieces, i, true);
          if (pieces[i].x >= 0 && i > 0) column_x.emplace_back(pieces[i].x, role);
          Item::Action& a = action();
          if (role == "action") AppendText(&a.text, pieces[i].text);
          else if (role == "time") a.time_frame = pieces[i].text;
          else if (role == "status") a.status_text = pieces[i].text;
          else if (role == "responsible" && !pieces[i].text.empty()) a.responsible_cells.push_back(pieces[i].text);
        }
        continue;
      }
      if (roles.empty()) continue;

      // A row of the table in force, or the continuation of the open one.
      bool has_time = false, has_action = false;
      size_t others = 0;
      for (size_t i = 0; i < pieces.size(); ++i) {
        if (pieces[i].text.empty()) continue;
        const std::string role = role_of(pieces, i, true);
        if (role == "action") has_action = true;
        else if (role == "time") has_time = true;
        else if (!role.empty()) ++others;
      }
      const bool mapped = pieces[0].x < 0 && pieces.size() == roles.size();
      bool row_start = has_action && (has_time || others >= 2 || (mapped && others >= 1));
      if (row_start && open_row && !has_time && (StartsLower(pieces[0].text) || pieces[0].text.empty())) row_start = false;
      if (row_start) {
        if (current < 0) continue;
        owner = current;
        Item::Action fresh;
        fresh.page = b.page;
        (*items)[owner].actions.push_back(std::move(fresh));
        action_at = (*items)[owner].actions.size() - 1;
        open_row = true;
        text_x = pieces[0].x;
        column_x.clear();
      } else if (!open_row) {
        continue;
      } else if (pieces.size() == 1 && pieces[0].text.size() > 70 &&
                 std::isupper(static_cast<unsigned char>(pieces[0].text[0]))) {
        // A full-width line of prose after the table ("Progress on these actions will be reported …"),
        // not a narrow cell's next line.
        stop_row();
        continue;
      }
      for (size_t i = 0; i < pieces.size(); ++i) {
        const Piece& p = pieces[i];
        if (p.text.empty()) continue;
        const std::string role = role_of(pieces, i, row_start);
        if (row_start && p.x >= 0 && role != "action") column_x.emplace_back(p.x, role);
        Item::Action& a = action();
        if (role == "action") {
          if (text_x < 0 && p.x >= 0) text_x = p.x;
          AppendText(&a.text, p.text);
        } else if (role == "time") {
          AppendText(&a.time_frame, p.text);
        } else if (role == "status") {
          AppendText(&a.status_text, p.text);
        } else if (role == "responsible") {
          // A cell wrapped over lines joins its last line; a new line of names is a new name.
          if (!row_start && !a.responsible_cells.empty() &&
              (StartsLower(p.text) || a.responsible_cells.back().back() == ',' || a.responsible_cells.back().back() == '&')) {
            AppendText(&a.responsible_cells.back(), p.text);
          } else {
            a.responsible_cells.push_back(p.text);
          }
        }
      }
    }
  }

  // Tidy: texts without their labels, time frames and statuses read, numbers given.
  for (size_t r : recs) {
    Item& rec = (*items)[r];
    std::vector<Item::Action> kept;
    for (Item::Action& a : rec.actions) {
      a.text = WithoutActionLabel(Clean(a.text), cues, language);
      if (a.text.size() < 3) continue;
      a.time_frame = Clean(a.time_frame);
      if (!a.time_frame.empty() && !ParseTimeFrame(a.time_frame, order, &a.start, &a.due)) {
        a.due = BareMonthDue(a.time_frame, document_year);
      }
      a.status_text = Clean(a.status_text);
      a.status = ActionStatus(a.status_text, cues, language);
      for (std::string& cell : a.responsible_cells) cell = Clean(cell);
      kept.push_back(std::move(a));
    }
    for (size_t k = 0; k < kept.size(); ++k) {
      if (kept[k].number.empty()) kept[k].number = (rec.number.empty() ? "0" : rec.number) + "." + std::to_string(k + 1);
    }
    rec.actions = std::move(kept);
  }
}

}  // namespace dossier_entities
