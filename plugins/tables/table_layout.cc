#include "table_layout.h"

#include "word_lines.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <map>
#include <optional>
#include <set>
#include <string_view>

namespace dossier_tables {

namespace {

using internal::GroupLines;
using internal::Line;

struct Gutter {
  double x0, x1;
  bool seed = false;  // shown by the line the region grew from
};

// The gaps between a line's groups of words (a group ends at a gap wider than 0.6 of the line's height).
std::vector<Gutter> LineGutters(const Line& line) {
  std::vector<Gutter> gutters;
  for (size_t i = 1; i < line.words.size(); ++i) {
    const Word* a = line.words[i - 1];
    const Word* b = line.words[i];
    if (b->x0 - a->x1 > 0.6 * line.height) gutters.push_back({a->x1, b->x0});
  }
  return gutters;
}

// Narrows a gutter to the part of it `line` leaves free; false when no free
// part is wide enough (the line runs across a column boundary, like a
// paragraph after the table). Of several free parts, the one nearest the
// gutter's right edge wins: that edge is where the next column starts,
// which every row shares.
bool FitGutter(const Line& line, Gutter* gutter) {
  // Wider than a word space (~0.25 em, ~0.2 of a word box's height), narrower than a column gutter.
  const double min_width = std::max(1.5, 0.25 * line.height);
  std::optional<Gutter> best;
  double x = -1e9;
  auto consider = [&](double f0, double f1) {
    Gutter part{std::max(gutter->x0, f0), std::min(gutter->x1, f1)};
    if (part.x1 - part.x0 >= min_width && (!best || part.x1 > best->x1)) best = part;
  };
  for (const Word* w : line.words) {
    if (w->x0 > x) consider(x, w->x0);
    x = std::max(x, w->x1);
  }
  consider(x, 1e9);
  if (!best) return false;
  gutter->x0 = best->x0;
  gutter->x1 = best->x1;
  return true;
}

// How many different words of lines [first, last] start at a gutter's right
// edge (within `jitter`): the cells of a left-aligned column. Identical
// words (the same date in every row) count once.
int AlignedStarts(const Gutter& g, const std::vector<Line>& lines, size_t first, size_t last, double h,
                  double jitter) {
  const double slack = 0.5 + jitter * h;
  std::set<std::string> starts;
  for (size_t j = first; j <= last; ++j) {
    for (const Word* w : lines[j].words) {
      if (std::fabs(w->x0 - g.x1) <= slack) starts.insert(w->text);
    }
  }
  return static_cast<int>(starts.size());
}

// Fits every gutter to `line`, the next line of the region [first, last]
// (all or nothing). A gutter at whose right edge two or more lines start
// cells is a column's start: a line must leave that edge free (give or take
// a quarter of a line's height), so a word straddling it, as in a paragraph
// or a signature line under the table, ends the region even when word
// spaces of that line fall inside the gutter. A gutter learned from the
// region (not shown by the seed line) without such an edge, which `line`
// crosses, is dropped instead of ending the region: OCR word spaces are
// uneven, and one wide space on one line is no column.
bool FitLine(const Line& line, const std::vector<Line>& lines, size_t first, size_t last, double h, double jitter,
             std::vector<Gutter>* gutters) {
  std::vector<Gutter> fitted;
  for (const Gutter& g : *gutters) {
    const bool column_start = AlignedStarts(g, lines, first, last, h, jitter) >= 2;
    Gutter part = g;
    if (FitGutter(line, &part) && !(column_start && part.x1 < g.x1 - 0.25 * h)) {
      fitted.push_back(part);
    } else if (g.seed || column_start) {
      return false;
    }
  }
  *gutters = std::move(fitted);
  return true;
}

// Adds the gaps at least `min_width` wide that every line of [first, last]
// leaves free, where no gutter is known yet: a column the seed line did not
// show (an empty cell there), seen from the lines taken since.
void LearnGutters(const std::vector<Line>& lines, size_t first, size_t last, double min_width,
                  std::vector<Gutter>* gutters) {
  std::vector<std::pair<double, double>> spans;
  for (size_t j = first; j <= last; ++j) {
    for (const Word* w : lines[j].words) spans.emplace_back(w->x0, w->x1);
  }
  std::sort(spans.begin(), spans.end());
  double reach = -1e9;
  for (const auto& [x0, x1] : spans) {
    if (reach > -1e9 && x0 - reach >= min_width) {
      Gutter g{reach, x0};
      bool known = false;
      for (const Gutter& k : *gutters) known |= g.x0 < k.x1 && k.x0 < g.x1;
      if (!known) gutters->push_back(g);
    }
    reach = std::max(reach, x1);
  }
}

bool StartsWithItemLabel(const std::string& text) {
  size_t i = 0;
  if (i < text.size() && text[i] == '(') ++i;
  const size_t start = i;
  if (i < text.size() && std::isdigit(static_cast<unsigned char>(text[i]))) {
    while (i < text.size() && (std::isdigit(static_cast<unsigned char>(text[i])) ||
                               (text[i] == '.' && i + 1 < text.size() &&
                                std::isalnum(static_cast<unsigned char>(text[i + 1]))))) {
      ++i;
    }
    if (i < text.size() && std::islower(static_cast<unsigned char>(text[i]))) ++i;  // 3.1a
  } else if (i + 1 < text.size() && std::isupper(static_cast<unsigned char>(text[i])) &&
             std::isdigit(static_cast<unsigned char>(text[i + 1]))) {
    i += 2;  // R3, F12
    while (i < text.size() && std::isdigit(static_cast<unsigned char>(text[i]))) ++i;
  } else if (i < text.size() && std::islower(static_cast<unsigned char>(text[i])) && i + 1 < text.size() &&
             (text[i + 1] == ')' || text[i + 1] == '.')) {
    ++i;  // a) a.
  } else {
    return false;
  }
  if (i == start || i - start > 8) return false;
  const std::string_view number(text.data() + start, i - start);
  if (i < text.size() && (text[i] == '.' || text[i] == ')' || text[i] == ':')) {
    ++i;
  } else if (number.size() >= 4 && number.find_first_not_of("0123456789") == std::string_view::npos) {
    return false;  // a bare year opening a wrapped line ("2029 will …"), not a row's number
  }
  return i == text.size() || text[i] == ' ';
}

// Tables whose rows are numbered in a margin column, with one long text
// column and a short column far to the right ("No. | Recommendation |
// Response": "3 | There should be clear leadership … (paragraphs, sub-points,
// over pages) | Accept in part"). Their text cells hold paragraphs apart by
// blank lines and the right cell is one phrase beside them, so the region
// growing above never joins them. Here: lines whose first word is an item
// label standing clear of the text after it mark the text column's left edge;
// every line of the run starts at that edge (or is such a label line, or has
// words only far right, beyond every text line's end). A row runs from a
// label line to the next; lines above the first label (a header, or a row
// continued from the page before) make a row with no label.
void FindLabelledRowTables(const std::vector<Line>& lines, std::vector<bool>* used, const TableOptions& options,
                           std::vector<Table>* tables) {
  auto is_label = [](const Word* w) {
    const std::string& t = w->text;
    return !t.empty() && t.size() <= 4 && std::isdigit(static_cast<unsigned char>(t[0])) &&
           std::all_of(t.begin(), t.end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)) || c == '.' || c == ')'; });
  };
  for (size_t seed = 0; seed < lines.size(); ++seed) {
    if ((*used)[seed] || lines[seed].words.size() < 3 || !is_label(lines[seed].words[0])) continue;
    const double h = lines[seed].height;
    const Word* label = lines[seed].words[0];
    const double text_x = lines[seed].words[1]->x0;
    if (text_x - label->x1 < 0.6 * h) continue;
    const double slack = 1.0 + options.jitter * h;
    // Words of a line from the text edge on, split where a gap wider than
    // a word space opens far right.
    struct Split { bool starts_text = false, label = false; double text_end = -1e9, right_start = 1e9; };
    auto split = [&](const Line& line) {
      Split out;
      size_t k = 0;
      if (is_label(line.words[0]) && line.words.size() > 1 && std::fabs(line.words[1]->x0 - text_x) <= slack) out.label = true, k = 1;
      if (std::fabs(line.words[k]->x0 - text_x) <= slack) out.starts_text = true;
      double reach = line.words[k]->x1;
      for (size_t i = k + 1; i < line.words.size(); ++i) {
        if (line.words[i]->x0 - reach >= 1.5 * h) {
          out.right_start = line.words[i]->x0;
          break;
        }
        reach = std::max(reach, line.words[i]->x1);
      }
      if (out.starts_text || out.label) out.text_end = reach;
      else out.right_start = std::min(out.right_start, line.words[0]->x0);
      return out;
    };
    auto belongs = [&](size_t j, double right_edge) {
      if ((*used)[j]) return false;
      const Split sp = split(lines[j]);
      if (sp.starts_text || sp.label) return true;
      return sp.right_start > text_x + 0.5 * (right_edge - text_x) && sp.right_start >= right_edge;  // far right only
    };
    // The text column's right edge: the widest line that starts at the edge.
    double text_right = -1e9;
    for (const Line& line : lines) {
      const Split sp = split(line);
      if (sp.starts_text || sp.label) text_right = std::max(text_right, sp.text_end);
    }
    size_t first = seed, last = seed;
    for (size_t j = seed + 1; j < lines.size(); ++j) {
      if (lines[j].y0 - lines[j - 1].y1 > 3 * h || !belongs(j, text_right)) break;
      last = j;
    }
    for (size_t j = seed; j-- > 0;) {
      if (lines[j + 1].y0 - lines[j].y1 > 3 * h || !belongs(j, text_right)) break;
      first = j;
    }
    // A far-right column: phrases that start beyond every text line's end.
    double right_x = 1e9;
    int right_lines = 0, text_lines = 0;
    double text_end = -1e9;
    for (size_t j = first; j <= last; ++j) {
      const Split sp = split(lines[j]);
      if (sp.right_start < 1e9) {
        right_x = std::min(right_x, sp.right_start), ++right_lines;
        // A phrase (a status, a reference), not a second text column.
        size_t words_right = 0;
        for (const Word* w : lines[j].words) words_right += w->x0 >= sp.right_start;
        if (words_right > 6) right_lines = -1000;
      }
      if (sp.starts_text || sp.label) ++text_lines, text_end = std::max(text_end, sp.text_end);
    }
    // (Ruled tables set the right cell close to the text's end: what counts
    // is that it starts where no text line reaches.)
    if (right_lines <= 0 || text_lines < 4 || right_x - text_end < 1.0) continue;
    // The far-right part may hold more than one column ("Government
    // Response | Paragraph no."): a column starts at a right word that opens
    // the line's right part or follows a gap wider than a word space.
    std::vector<double> starts;
    for (size_t j = first; j <= last; ++j) {
      double reach = -1e9;
      for (const Word* w : lines[j].words) {
        if (w->x0 < right_x - 0.5) continue;
        if (reach < -1e8 || w->x0 - reach >= 0.6 * h) starts.push_back(w->x0);
        reach = std::max(reach, w->x1);
      }
    }
    std::sort(starts.begin(), starts.end());
    std::vector<double> right_columns;
    for (double x : starts) {
      if (right_columns.empty() || x - right_columns.back() > 1.5 * h) right_columns.push_back(x);
    }
    const size_t cell_count = 2 + right_columns.size();
    // Rows from label to label.
    Table table;
    table.top = lines[first].y0;
    table.bottom = lines[first].y1;
    std::vector<std::string> row(cell_count);
    bool any = false;
    auto flush = [&]() {
      if (any) table.rows.push_back(row);
      row.assign(cell_count, std::string());
      any = false;
    };
    for (size_t j = first; j <= last; ++j) {
      const Split sp = split(lines[j]);
      if (sp.label) flush();
      for (size_t i = 0; i < lines[j].words.size(); ++i) {
        const Word* w = lines[j].words[i];
        size_t cell = 1;
        if (sp.label && i == 0) {
          cell = 0;
        } else if (w->x0 >= right_x - 0.5) {
          cell = 2;
          while (cell - 2 + 1 < right_columns.size() && w->x0 >= right_columns[cell - 2 + 1] - 0.5 * h) ++cell;
        }
        std::string& c = row[cell];
        if (!c.empty()) c += ' ';
        for (char ch : w->text) c += (ch == '\t' || ch == '\n') ? ' ' : ch;
        any = true;
      }
      table.bottom = std::max(table.bottom, lines[j].y1);
    }
    flush();
    if (std::count_if(table.rows.begin(), table.rows.end(), [](const auto& r) { return !r[0].empty(); }) < 1) continue;
    for (size_t j = first; j <= last; ++j) (*used)[j] = true;
    tables->push_back(std::move(table));
  }
}

}  // namespace

std::vector<Table> FindTables(const std::vector<Word>& words, const TableOptions& options) {
  std::vector<Line> lines = GroupLines(words, options.jitter);
  std::vector<Table> tables;
  std::vector<bool> used(lines.size(), false);
  FindLabelledRowTables(lines, &used, options, &tables);
  // Growing a region rescans it at every line it takes, from every seed: on
  // a long page of lines with wide gaps that make no table, that grows with
  // the cube of the lines (fuzzing found pages of seconds). A page's search
  // stops once it has visited this many lines; real tables are found well
  // within it.
  size_t budget = 6'000'000;
  for (size_t seed = 0; seed < lines.size() && budget > 0; ++seed) {
    if (used[seed]) continue;
    std::vector<Gutter> gutters = LineGutters(lines[seed]);
    if (gutters.empty()) continue;
    for (Gutter& g : gutters) g.seed = true;
    const double h = lines[seed].height;
    // Lines of a table sit close; OCR boxes hug the ink (no leading), so the
    // gaps they leave are larger than a text layer's for the same page.
    const double max_gap = (0.5 + 6 * options.jitter) * h;
    // Padded rows stand further apart; across such a gap only a line of
    // cells (words in two groups or more) carries the table on, not a
    // paragraph's short last line that happens to leave the gutters free.
    const double row_gap = (1.0 + 3 * options.jitter) * h;
    auto too_far = [&](size_t j, double gap) {
      return gap > row_gap || (gap > max_gap && LineGutters(lines[j]).empty());
    };
    // Grow the region over the lines below, then above, while they keep to the gutters.
    size_t first = seed, last = seed;
    double top = lines[seed].y0, bottom = lines[seed].y1;
    for (size_t j = seed + 1; j < lines.size() && !used[j]; ++j) {
      if (too_far(j, lines[j].y0 - bottom) || !FitLine(lines[j], lines, first, last, h, options.jitter, &gutters)) break;
      last = j;
      bottom = std::max(bottom, lines[j].y1);
      LearnGutters(lines, first, last, 0.6 * h, &gutters);
    }
    for (size_t j = seed; j-- > 0 && !used[j];) {
      if (too_far(j, top - lines[j].y1) || !FitLine(lines[j], lines, first, last, h, options.jitter, &gutters)) break;
      first = j;
      top = std::min(top, lines[j].y0);
      LearnGutters(lines, first, last, 0.6 * h, &gutters);
    }
    {
      const size_t span = last - first + 1;
      const size_t cost = span * span * (gutters.size() + 1);
      budget = cost >= budget ? 0 : budget - cost;
    }
    int multi = 0;
    for (size_t j = first; j <= last; ++j) multi += !LineGutters(lines[j]).empty();
    if (multi < 2 || last == first) continue;

    // Columns: the x-ranges no word of the region crosses.
    std::vector<std::pair<double, double>> spans;
    for (size_t j = first; j <= last; ++j) {
      for (const Word* w : lines[j].words) spans.emplace_back(w->x0, w->x1);
    }
    std::sort(spans.begin(), spans.end());
    std::vector<double> column_starts = {spans.front().first};
    double reach = spans.front().second;
    for (const auto& [x0, x1] : spans) {
      const double gap = x0 - reach;
      if (gap >= 1.0) {
        // A gutter counts when words on at least two lines start just right
        // of it and it is wider than a word space (0.35 of the line height;
        // a space is about 0.28: "Monitoring and" over "Evaluation Unit"
        // lines up "and" and "Unit" after one space each), or it is wide. Word spaces that line up by chance are narrow
        // and do not start words at the same x again and again; a narrow
        // gutter needs that exact alignment (cells left-aligned in a column).
        // (Repeated identical lines, e.g. the same date in every row, line up
        // their word spaces too: only different words count as exact.)
        int aligned = 0;
        std::set<std::string> exact;
        for (size_t j = first; j <= last; ++j) {
          for (const Word* w : lines[j].words) {
            const double slack = 0.5 + options.jitter * h;
            aligned += w->x0 >= x0 - slack && w->x0 <= x0 + 0.25 * h;
            if (w->x0 >= x0 - slack && w->x0 <= x0 + slack) exact.insert(w->text);
          }
        }
        if ((gap >= 0.35 * h && aligned >= 2) || exact.size() >= 3 || gap >= 0.6 * h) column_starts.push_back(x0);
      }
      reach = std::max(reach, x1);
    }
    if (column_starts.size() < 3) continue;
    auto column_of = [&](const Word* w) {
      size_t c = 0;
      while (c + 1 < column_starts.size() && w->x0 >= column_starts[c + 1] - 0.5 - options.jitter * h) ++c;
      return c;
    };

    // Rows: from item labels in the first column, else from the gaps between
    // lines. The labels may stand in a narrow column of their own after the
    // first ("Level | No. | Recommendation", the level a cell that spans
    // several rows): a column whose every word is an item label.
    auto labels_in = [&](size_t c) {
      std::vector<size_t> found;
      for (size_t j = first; j <= last; ++j) {
        std::string text;
        bool leads = false;
        for (const Word* w : lines[j].words) {
          const size_t wc = column_of(w);
          if (wc < c) continue;
          if (wc > c) break;
          leads = leads || text.empty();
          text += (text.empty() ? "" : " ") + w->text;
        }
        if (leads && StartsWithItemLabel(text)) found.push_back(j);
      }
      return found;
    };
    size_t label_column = 0;
    std::vector<size_t> label_lines;
    for (size_t c = 0; c + 1 < column_starts.size() && c < 2; ++c) {
      std::vector<size_t> found = labels_in(c);
      if (c == 0) {
        // Only where the line starts in the first column.
        found.erase(std::remove_if(found.begin(), found.end(),
                                   [&](size_t j) { return column_of(lines[j].words.front()) != 0; }),
                    found.end());
        if (!found.empty()) {
          label_lines = std::move(found);
          break;
        }
        continue;
      }
      bool only_labels = found.size() >= 2;
      for (size_t j = first; j <= last && only_labels; ++j) {
        for (const Word* w : lines[j].words) {
          if (column_of(w) == c && !StartsWithItemLabel(w->text)) only_labels = false;
        }
      }
      if (only_labels) {
        label_column = c;
        label_lines = std::move(found);
        break;
      }
    }
    std::vector<double> boundaries;  // y where a new row begins
    // Top-aligned cells: on (nearly) every label's line, every column from
    // the labels' on has a word; then a row runs down to the next label,
    // however tall its cells.
    size_t full_label_lines = 0;
    for (size_t label : label_lines) {
      std::set<size_t> columns;
      for (const Word* w : lines[label].words) {
        if (column_of(w) >= label_column) columns.insert(column_of(w));
      }
      full_label_lines += columns.size() == column_starts.size() - label_column;
    }
    const bool top_aligned = label_lines.size() >= 2 && full_label_lines * 5 >= label_lines.size() * 4;
    if (!label_lines.empty() && top_aligned) {
      for (size_t label : label_lines) {
        if (label == first) continue;
        double above = top;
        for (size_t j = first; j < label; ++j) above = std::max(above, lines[j].y1);
        boundaries.push_back((above + lines[label].y0) / 2);
      }
    } else if (!label_lines.empty()) {
      // Otherwise each row ends halfway between its label column's text and
      // the next label, so cells centred in their row land in it.
      for (size_t label : label_lines) {
        if (label == first) continue;
        double above = top;
        for (size_t j = first; j < label; ++j) {
          for (const Word* w : lines[j].words) {
            if (column_of(w) == label_column) above = std::max(above, w->y1);
          }
        }
        boundaries.push_back((above + lines[label].y0) / 2);
      }
    } else {
      // Gaps between consecutive lines of one column: a cell's own lines sit closest.
      std::map<size_t, double> column_bottom;
      double min_gap = 1e9;
      for (size_t j = first; j <= last; ++j) {
        for (const Word* w : lines[j].words) {
          size_t c = column_of(w);
          if (auto it = column_bottom.find(c); it != column_bottom.end()) min_gap = std::min(min_gap, w->y0 - it->second);
        }
        for (const Word* w : lines[j].words) column_bottom[column_of(w)] = std::max(column_bottom[column_of(w)], w->y1);
      }
      // Rows stand further apart than a cell's lines. When no gap stands out
      // (no cell wraps, or the padding is too thin to tell), each line
      // standing clear of the one above is a row.
      for (const bool padded : {true, false}) {
        double running_bottom = lines[first].y1;
        for (size_t j = first + 1; j <= last; ++j) {
          const double gap = lines[j].y0 - running_bottom;
          if (padded ? gap > min_gap + std::max(1.5, (0.1 + options.jitter) * h) : gap > 0.25 * h)
            boundaries.push_back((running_bottom + lines[j].y0) / 2);
          running_bottom = std::max(running_bottom, lines[j].y1);
        }
        if (!boundaries.empty()) break;
      }
    }
    Table table;
    table.top = top;
    table.bottom = bottom;
    const size_t row_count = boundaries.size() + 1;
    std::vector<std::vector<std::string>> cells(row_count, std::vector<std::string>(column_starts.size()));
    for (size_t j = first; j <= last; ++j) {
      for (const Word* w : lines[j].words) {
        // A line centred right on a boundary (rows as tightly spaced as a
        // cell's own lines) belongs above: cells are mostly top-aligned, so
        // a wrapped cell's next line follows its first.
        const double center = (w->y0 + w->y1) / 2 - 0.05 * h;
        size_t row = std::upper_bound(boundaries.begin(), boundaries.end(), center) - boundaries.begin();
        std::string& cell = cells[row][column_of(w)];
        if (!cell.empty()) cell += ' ';
        for (char c : w->text) cell += (c == '\t' || c == '\n') ? ' ' : c;
      }
    }
    for (auto& row : cells) {
      bool any = std::any_of(row.begin(), row.end(), [](const std::string& c) { return !c.empty(); });
      if (any) table.rows.push_back(std::move(row));
    }
    for (size_t j = first; j <= last; ++j) used[j] = true;
    tables.push_back(std::move(table));
  }
  return tables;
}

std::string TableText(const Table& table) {
  std::string out;
  for (const auto& row : table.rows) {
    for (size_t c = 0; c < row.size(); ++c) {
      if (c) out += '\t';
      out += row[c];
    }
    out += '\n';
  }
  return out;
}

void DropContainedFragments(std::vector<Word>* words, double slack) {
  std::vector<bool> drop(words->size(), false);
  for (size_t i = 0; i < words->size(); ++i) {
    const Word& a = (*words)[i];
    const double area = (a.x1 - a.x0) * (a.y1 - a.y0);
    for (size_t j = 0; j < words->size() && !drop[i]; ++j) {
      const Word& b = (*words)[j];
      if (j == i || drop[j]) continue;
      const double outer = (b.x1 - b.x0) * (b.y1 - b.y0);
      drop[i] = area * 4 < outer && a.x0 >= b.x0 - slack && a.x1 <= b.x1 + slack && a.y0 >= b.y0 - slack &&
                a.y1 <= b.y1 + slack;
    }
  }
  std::vector<Word> kept;
  kept.reserve(words->size());
  for (size_t i = 0; i < words->size(); ++i) {
    if (!drop[i]) kept.push_back(std::move((*words)[i]));
  }
  *words = std::move(kept);
}

}  // namespace dossier_tables
