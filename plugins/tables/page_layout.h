// Page layout from word boxes, before tables are read: regions of prose set
// in two or three columns are found, so that a reader takes each column from
// top to bottom before the next, and so that the table reader never takes
// prose columns for a table. Used on PDF text-layer words (pdf plugin) and on
// OCR words (ocr plugin) alike; each plugin then asks its own engine for the
// text inside each area (Poppler's text in a rectangle, Tesseract's lines).
#pragma once

#include <cstddef>
#include <vector>

#include "table_layout.h"

namespace dossier_tables {

// A part of the page to read as one: text (in the engine's own order inside
// its rectangle) or one of the layout's tables (row by row).
struct PageArea {
  enum Kind { kText, kTable } kind = kText;
  double x0 = 0, y0 = 0, x1 = 0, y1 = 0;  // the rectangle, in the words' unit
  size_t table = 0;                       // index into PageLayout::tables (kTable)
};

struct PageLayout {
  std::vector<Table> tables;
  // In reading order: regions from the top of the page down; inside a region
  // of columns, column by column; tables where they stand. Empty when the page
  // is one column of text without tables: the engine's own text is then the
  // page's text, unchanged.
  std::vector<PageArea> areas;
  size_t column_regions = 0;  // regions read column by column
};

// Finds the regions of a page's words. A region of columns is a run of lines
// whose words leave one or two gutters free (at least about a line's height
// wide) from top to bottom, with text on both sides, and no other wide gaps.
// Its columns are prose when each column's lines mostly run to the column's
// right edge (wrapped sentences), and the columns do not start new blocks on
// shared baselines row after row (a vertical gap opening in every column at
// once, as between the rows of a table whose cells are long text). Prose
// regions are read column by column; everything else (full-width text and
// tables, which FindTables reads, in the bands between regions and inside
// each column) keeps the reading order it had.
PageLayout LayOutPage(const std::vector<Word>& words, const TableOptions& options = {});

}  // namespace dossier_tables
