#include "page_layout.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "word_lines.h"

namespace dossier_tables {

namespace {

using internal::GroupLines;
using internal::Line;

constexpr double kFar = 1e9;  // "the edge of the page" for rectangles

struct Gap {
  double x0, x1;
  double width() const { return x1 - x0; }
  double mid() const { return (x0 + x1) / 2; }
};

// A region of columns: a band of the page, top to bottom, and its gutters.
struct Region {
  double y0 = 0, y1 = 0;
  std::vector<Gap> gutters;  // left to right
};

size_t ColumnOf(const Region& region, const Word* w) {
  const double center = (w->x0 + w->x1) / 2;
  size_t c = 0;
  while (c < region.gutters.size() && center > region.gutters[c].mid()) ++c;
  return c;
}

bool InRegion(const Region& region, const Word* w) {
  const double center = (w->y0 + w->y1) / 2;
  return center >= region.y0 && center < region.y1;
}

// Whether the region's columns are prose (read column by column) rather
// than a table or a list set in columns. `columns` holds each column's lines.
bool IsProse(const std::vector<std::vector<Line>>& columns, double h) {
  // Each column: wrapped sentences that fill it. A line falls short of the
  // right edge at a paragraph's end, or by a word on a ragged right margin.
  for (const auto& lines : columns) {
    if (lines.size() < 2) return false;
    double left = kFar, right = -kFar;
    size_t words = 0;
    for (const Line& line : lines) {
      words += line.words.size();
      left = std::min(left, line.x0());
      right = std::max(right, line.x1());
    }
    const double width = right - left;
    if (width < 5 * h || words < 3 * lines.size()) return false;
    size_t filled = 0;
    for (const Line& line : lines) filled += line.x1() >= right - 0.3 * width;
    if (filled * 2 < lines.size()) return false;
    // Prose has word spaces only; lines with a gap of more than a line's
    // height in them are a table's cells ("Ongoing … Initiated").
    size_t gapped = 0;
    for (const Line& line : lines) {
      double reach = line.words.front()->x1;
      for (const Word* w : line.words) {
        if (w->x0 - reach > 1.2 * h) {
          ++gapped;
          break;
        }
        reach = std::max(reach, w->x1);
      }
    }
    if (gapped >= 2 && gapped * 5 >= lines.size()) return false;
  }
  // Blocks (paragraphs, cells) start where the gap above a line grows beyond
  // its column's usual line gap. A table's rows start in every column on one
  // baseline; the paragraphs of different columns do not.
  std::vector<std::vector<double>> starts(columns.size());  // the tops of the blocks after the first
  for (size_t c = 0; c < columns.size(); ++c) {
    const auto& lines = columns[c];
    std::vector<double> gaps;
    for (size_t j = 1; j < lines.size(); ++j) gaps.push_back(lines[j].y0 - lines[j - 1].y1);
    std::nth_element(gaps.begin(), gaps.begin() + gaps.size() / 2, gaps.end());
    const double usual = gaps[gaps.size() / 2];
    for (size_t j = 1; j < lines.size(); ++j) {
      if (lines[j].y0 - lines[j - 1].y1 > usual + 0.2 * h) starts[c].push_back(lines[j].y0);
    }
  }
  int shared = 0;
  for (double y : starts[0]) {
    bool everywhere = true;
    for (size_t c = 1; c < columns.size() && everywhere; ++c) {
      bool found = false;
      for (double other : starts[c]) found |= std::fabs(other - y) <= 0.3 * h;
      // A column without text at that height (a short cell ended above) does not count against it.
      bool text_there = false;
      for (const Line& line : columns[c]) text_there |= line.y0 >= y - 0.3 * h && line.y0 <= y + 0.3 * h;
      everywhere = found || !text_there;
    }
    shared += everywhere;
  }
  // Two paragraphs of the same length side by side start together by
  // chance; three, or two under a header row (one line in every column,
  // then a gap in every column), are a table's rows.
  bool header = true;
  for (size_t c = 0; c < columns.size() && header; ++c) {
    header = !starts[c].empty() && columns[c].size() > 1 && columns[c][1].y0 >= starts[c].front() - 0.3 * h;
  }
  const bool rows = shared >= (header ? 2 : 3) && shared * 10 >= static_cast<int>(starts[0].size()) * 6;
  return !rows;
}

// The regions of prose columns. Word boxes are marked on a grid (a quarter
// of a line's height across, a third down); a gutter is a run of grid
// columns left free from row to row, with text on both sides on most of
// those rows, at least three-quarters of a line wide and four lines tall.
// Rows with text on one side only (a column's paragraph gap, a short last
// column) neither break nor support it; a word across it ends it.
std::vector<Region> FindColumnRegions(const std::vector<const Word*>& words, double h) {
  double xmin = kFar, xmax = -kFar, ymin = kFar, ymax = -kFar;
  for (const Word* w : words) {
    xmin = std::min(xmin, w->x0);
    xmax = std::max(xmax, w->x1);
    ymin = std::min(ymin, w->y0);
    ymax = std::max(ymax, w->y1);
  }
  const double bx = h / 4, by = h / 3;
  // Sized in floating point first: words far apart for their height would
  // make a grid too large to count in size_t.
  const double fx = (xmax - xmin) / bx + 2, fy = (ymax - ymin) / by + 2;
  if (!(fx * fy <= 4'000'000)) return {};
  const size_t nx = static_cast<size_t>(fx), ny = static_cast<size_t>(fy);
  if (nx < 8 || ny < 12) return {};
  std::vector<uint8_t> grid(nx * ny, 0);
  std::vector<size_t> row_left(ny, nx), row_right(ny, 0);  // occupied extent of each row
  for (const Word* w : words) {
    // Shrunk a little, so that boxes that merely touch a bin do not fill it.
    const size_t c0 = static_cast<size_t>((w->x0 - xmin) / bx + 0.1), c1 = static_cast<size_t>((w->x1 - xmin) / bx - 0.1);
    const size_t r0 = static_cast<size_t>((w->y0 - ymin) / by + 0.2), r1 = static_cast<size_t>((w->y1 - ymin) / by - 0.2);
    for (size_t r = r0; r <= r1 && r < ny; ++r) {
      for (size_t c = c0; c <= c1 && c < nx; ++c) grid[r * nx + c] = 1;
      row_left[r] = std::min(row_left[r], c0);
      row_right[r] = std::max(row_right[r], std::min(c1, nx - 1));
    }
  }
  const size_t min_rows = 12;                          // four lines
  // A run reaches a little beyond its supported rows, over rows with text
  // on one side only (the longest column's last line or two, a heading at a
  // column's head): at most three lines, with no blank wider than a line
  // between. A heading further off (under the columns, say) is not theirs.
  struct Run { size_t c, r0, r1, support; };
  std::vector<Run> runs;
  enum RowState : uint8_t { kBlank, kOneSide, kBothSides };
  std::vector<RowState> state(ny);
  for (size_t c = 0; c < nx; ++c) {
    size_t begin = 0;  // first row of the free stretch
    auto close = [&](size_t end) {  // rows [begin, end) are free at c
      size_t first = end, last = 0, support = 0;
      for (size_t r = begin; r < end; ++r) {
        if (state[r] != kBothSides) continue;
        first = std::min(first, r);
        last = r;
        ++support;
      }
      if (first < end && support >= min_rows && support * 2 >= last - first + 1) {
        auto reach = [&](size_t from, int step) {
          size_t at = from, blank = 0;
          for (size_t k = 1; k <= 9; ++k) {
            const long r = static_cast<long>(from) + step * static_cast<long>(k);
            if (r < static_cast<long>(begin) || r >= static_cast<long>(end)) break;
            if (state[r] == kBlank) {
              if (++blank > 3) break;
              continue;
            }
            blank = 0;
            at = static_cast<size_t>(r);
          }
          return at;
        };
        runs.push_back({c, reach(first, -1), reach(last, 1), support});
      }
      begin = end + 1;
    };
    for (size_t r = 0; r < ny; ++r) {
      if (grid[r * nx + c]) {
        close(r);
        continue;
      }
      state[r] = row_left[r] >= nx ? kBlank : (row_left[r] < c && row_right[r] > c) ? kBothSides : kOneSide;
    }
    close(ny);
  }
  // Neighbouring grid columns free over the same rows make one gutter.
  std::sort(runs.begin(), runs.end(), [](const Run& a, const Run& b) { return a.support > b.support; });
  std::vector<Region> regions;
  std::vector<std::pair<Gap, std::pair<size_t, size_t>>> gutters;  // x-range, rows
  std::vector<bool> taken(runs.size(), false);
  for (size_t i = 0; i < runs.size(); ++i) {
    if (taken[i]) continue;
    const Run& best = runs[i];
    auto free_over = [&](size_t c) {
      for (size_t r = best.r0; r <= best.r1; ++r) {
        if (grid[r * nx + c]) return false;
      }
      return true;
    };
    size_t left = best.c, right = best.c;
    while (left > 0 && free_over(left - 1)) --left;
    while (right + 1 < nx && free_over(right + 1)) ++right;
    taken[i] = true;
    // Too narrow over all its rows (a word space it ran through above or
    // below the columns): the runs beside it may still make a gutter.
    if (right - left + 1 < 3) continue;
    // The runs of this gutter's grid columns, and of those next to them over
    // fewer rows (its ragged edges), are this gutter.
    for (bool grew = true; grew;) {
      grew = false;
      for (size_t k = i + 1; k < runs.size(); ++k) {
        if (taken[k] || runs[k].r0 >= best.r1 || best.r0 >= runs[k].r1) continue;
        if (runs[k].c + 1 >= left && runs[k].c <= right + 1) {
          taken[k] = grew = true;
          left = std::min(left, runs[k].c);
          right = std::max(right, runs[k].c);
        }
      }
    }
    left = right = best.c;
    while (left > 0 && free_over(left - 1)) --left;
    while (right + 1 < nx && free_over(right + 1)) ++right;
    gutters.push_back({Gap{xmin + left * bx, xmin + (right + 1) * bx}, {best.r0, best.r1}});
  }
  // Gutters over (mostly) the same rows make one region of two or three
  // columns; the region's rows are those all of its gutters span.
  std::sort(gutters.begin(), gutters.end(), [](const auto& a, const auto& b) { return a.second.first < b.second.first; });
  std::vector<bool> grouped(gutters.size(), false);
  for (size_t i = 0; i < gutters.size(); ++i) {
    if (grouped[i]) continue;
    grouped[i] = true;
    size_t r0 = gutters[i].second.first, r1 = gutters[i].second.second;
    std::vector<Gap> gaps = {gutters[i].first};
    for (size_t k = i + 1; k < gutters.size() && gaps.size() < 2; ++k) {
      if (grouped[k]) continue;
      const size_t o0 = std::max(r0, gutters[k].second.first), o1 = std::min(r1, gutters[k].second.second);
      const size_t longer = std::max(r1 - r0, gutters[k].second.second - gutters[k].second.first);
      if (o1 > o0 && (o1 - o0) * 10 >= longer * 7) {
        grouped[k] = true;
        gaps.push_back(gutters[k].first);
        r0 = o0, r1 = o1;
      }
    }
    std::sort(gaps.begin(), gaps.end(), [](const Gap& a, const Gap& b) { return a.x0 < b.x0; });
    Region region{ymin + r0 * by, ymin + (r1 + 1) * by, std::move(gaps)};
    bool overlaps = false;
    for (const Region& other : regions) overlaps |= region.y0 < other.y1 && other.y0 < region.y1;
    if (!overlaps) regions.push_back(std::move(region));
  }
  std::sort(regions.begin(), regions.end(), [](const Region& a, const Region& b) { return a.y0 < b.y0; });
  return regions;
}

// Cuts out of each region the stretches of lines that have more wide gaps
// than the region has gutters: a table across the page, whose gap between two
// columns happens to run on from the gutter of the prose above or below.
// Two such lines close together (at most two other lines between) make a
// stretch; a single one is a line of prose with a wide space, or noise.
std::vector<Region> SplitAtTables(const std::vector<const Word*>& words, const std::vector<Region>& regions, double h,
                                  const TableOptions& options) {
  std::vector<Region> out;
  for (const Region& region : regions) {
    std::vector<const Word*> inside;
    for (const Word* w : words) {
      if (InRegion(region, w)) inside.push_back(w);
    }
    const std::vector<Line> lines = GroupLines(inside, options.jitter);
    std::vector<bool> foreign(lines.size(), false);
    for (size_t j = 0; j < lines.size(); ++j) {
      size_t gaps = 0;
      double reach = lines[j].words.front()->x1;
      for (const Word* w : lines[j].words) {
        if (w->x0 - reach >= (0.75 + 2 * options.jitter) * h) ++gaps;
        reach = std::max(reach, w->x1);
      }
      foreign[j] = gaps > region.gutters.size();
    }
    double from = region.y0;
    for (size_t j = 0; j < lines.size();) {
      if (!foreign[j]) {
        ++j;
        continue;
      }
      size_t last = j, count = 1;
      for (size_t k = j + 1; k < lines.size() && k <= last + 3; ++k) {
        if (foreign[k]) last = k, ++count;
      }
      if (count >= 2) {
        const double cut0 = j == 0 ? region.y0 : (lines[j - 1].y1 + lines[j].y0) / 2;
        const double cut1 = last + 1 == lines.size() ? region.y1 : (lines[last].y1 + lines[last + 1].y0) / 2;
        if (cut0 > from) out.push_back({from, cut0, region.gutters});
        from = cut1;
      }
      j = last + 1;
    }
    if (region.y1 > from) out.push_back({from, region.y1, region.gutters});
  }
  return out;
}

// Reads `words` (one band of the page, or one column) into areas: the tables
// FindTables sees there, and text between them.
void AddAreas(const std::vector<const Word*>& words, double x0, double x1, double y0, double y1,
              const TableOptions& options, PageLayout* layout) {
  std::vector<Word> copy;
  copy.reserve(words.size());
  for (const Word* w : words) copy.push_back(*w);
  std::vector<Table> tables = FindTables(copy, options);
  std::sort(tables.begin(), tables.end(), [](const Table& a, const Table& b) { return a.top < b.top; });
  double from = y0;
  for (Table& table : tables) {
    if (table.top - 0.5 > from) layout->areas.push_back({PageArea::kText, x0, from, x1, table.top - 0.5, 0});
    layout->areas.push_back({PageArea::kTable, x0, table.top, x1, table.bottom, layout->tables.size()});
    from = table.bottom + 0.5;
    layout->tables.push_back(std::move(table));
  }
  if (y1 > from) layout->areas.push_back({PageArea::kText, x0, from, x1, y1, 0});
}

}  // namespace

PageLayout LayOutPage(const std::vector<Word>& words, const TableOptions& options) {
  PageLayout layout;
  std::vector<const Word*> valid;
  std::vector<double> heights;
  for (const Word& w : words) {
    if (internal::Usable(w)) {
      valid.push_back(&w);
      heights.push_back(w.y1 - w.y0);
    }
  }
  if (valid.empty()) return layout;
  std::nth_element(heights.begin(), heights.begin() + heights.size() / 2, heights.end());
  const double h = heights[heights.size() / 2];
  std::vector<Region> regions;
  for (Region& region : SplitAtTables(valid, FindColumnRegions(valid, h), h, options)) {
    std::vector<std::vector<const Word*>> column_words(region.gutters.size() + 1);
    for (const Word* w : valid) {
      if (InRegion(region, w)) column_words[ColumnOf(region, w)].push_back(w);
    }
    std::vector<std::vector<Line>> columns;
    for (const auto& cw : column_words) columns.push_back(GroupLines(cw, options.jitter));
    if (IsProse(columns, h)) regions.push_back(std::move(region));
  }
  if (regions.empty()) {
    // One column: only tables change the engine's reading order.
    std::vector<Table> tables = FindTables(words, options);
    if (tables.empty()) return layout;
    std::sort(tables.begin(), tables.end(), [](const Table& a, const Table& b) { return a.top < b.top; });
    double from = -kFar;
    for (Table& table : tables) {
      if (table.top - 0.5 > from) layout.areas.push_back({PageArea::kText, -kFar, from, kFar, table.top - 0.5, 0});
      layout.areas.push_back({PageArea::kTable, -kFar, table.top, kFar, table.bottom, layout.tables.size()});
      from = table.bottom + 0.5;
      layout.tables.push_back(std::move(table));
    }
    layout.areas.push_back({PageArea::kText, -kFar, from, kFar, kFar, 0});
    return layout;
  }
  layout.column_regions = regions.size();
  // From the top down: the band of full-width text above each region, then
  // the region column by column; then the band below the last.
  double from = -kFar;
  auto band = [&](double y0, double y1) {
    std::vector<const Word*> band_words;
    for (const Word* w : valid) {
      const double center = (w->y0 + w->y1) / 2;
      if (center >= y0 && center < y1) band_words.push_back(w);
    }
    if (!band_words.empty()) AddAreas(band_words, -kFar, kFar, y0, y1, options, &layout);
  };
  for (const Region& region : regions) {
    band(from, region.y0);
    const size_t columns = region.gutters.size() + 1;
    std::vector<std::vector<const Word*>> column_words(columns);
    for (const Word* w : valid) {
      if (InRegion(region, w)) column_words[ColumnOf(region, w)].push_back(w);
    }
    for (size_t c = 0; c < columns; ++c) {
      const double x0 = c == 0 ? -kFar : region.gutters[c - 1].mid();
      const double x1 = c + 1 == columns ? kFar : region.gutters[c].mid();
      AddAreas(column_words[c], x0, x1, region.y0, region.y1, options, &layout);
    }
    from = region.y1;
  }
  band(from, kFar);
  return layout;
}

}  // namespace dossier_tables
