// Words grouped into lines (internal to the table and page layout readers).
#pragma once

#include <vector>

#include "table_layout.h"

namespace dossier_tables::internal {

// Whether a word box can be laid out: text, finite coordinates within
// kMaxCoordinate of the origin (a page in any unit, points or pixels at any
// resolution, lies far inside it; the readers use 1e9 for "off the page"),
// and a positive width and height. Others (NaN, infinite, absurd, empty or
// inverted boxes from a damaged text layer or OCR engine) are skipped.
inline constexpr double kMaxCoordinate = 1e6;
bool Usable(const Word& w);

struct Line {
  std::vector<const Word*> words;  // left to right
  double y0 = 0, y1 = 0, height = 0;
  double center() const { return (y0 + y1) / 2; }
  double x0() const { return words.front()->x0; }
  double x1() const;  // the rightmost word's right edge
};

// The words of a page (or part of one) grouped into lines by their vertical
// centres, top to bottom; `jitter` as in TableOptions. Words of every column
// at one height form one line.
std::vector<Line> GroupLines(const std::vector<Word>& words, double jitter);
std::vector<Line> GroupLines(const std::vector<const Word*>& words, double jitter);

}  // namespace dossier_tables::internal
