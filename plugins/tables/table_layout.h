// Tables in a PDF text layer, rebuilt from word positions. Poppler's reading
// order reads a table with wrapped cells as a jumble (a cell's second line
// after the next row's first); here the words of a table region are put back
// into rows and columns, one row per line, cells separated by tabs, which is
// the form the extractors read ("1.1 Convene …\tQ1 2026\tSDD\tCompleted").
#pragma once

#include <string>
#include <vector>

namespace dossier_tables {

struct Word {
  std::string text;       // UTF-8
  double x0, y0, x1, y1;  // y down from the top of the page; any unit (points, pixels)
};

struct Table {
  double top = 0, bottom = 0;  // the region's extent on the page
  std::vector<std::vector<std::string>> rows;  // each row's cells, left to right
};

// Finds tables of at least three columns and two rows among a page's words.
// A region grows from a line whose words fall into two or more groups
// separated by wide gaps, over the lines above and below that keep within the
// same column gutters (and those the lines taken so far all leave free, for a
// column the seed line leaves empty). Where cells of two lines start at a
// gutter's edge, that edge is a column's start no line may run across, so a
// paragraph or a signature line under the table ends it even when its word
// spaces fall inside the gutter; a learned gutter with no such edge that a
// later line crosses was a chance gap (one wide OCR word space) and is
// dropped. Its columns are the gutters no word crosses
// (three at least, so two-column page layouts are left alone). Rows
// begin at an item label in the first column ("1.1", "2.", "(a)", "R3"),
// else where the vertical gap between lines grows beyond that between a
// cell's own lines.
//
// `jitter` is how far (in the words' unit, relative to a word's height)
// word boxes of one line or one column edge may stray: small for a PDF text
// layer, larger for OCR boxes, whose heights follow the letters (x-height
// words are shorter) and whose left edges wander by a pixel or two.
struct TableOptions {
  double jitter = 0.0;  // 0: text-layer boxes; ~0.08 for OCR word boxes
};
std::vector<Table> FindTables(const std::vector<Word>& words, const TableOptions& options = {});

// Drops each word whose box lies wholly (within `slack` units) inside a word
// box more than four times its area. OCR engines now and then read a speck of
// one letter (the dot of an i, an accent) as a "word" of its own inside the
// letter's word ("unit(s)" and ":" at its i-dot); printed words never overlap
// like that, and in a rebuilt table such a fragment would be a stray token of
// its cell. Order of the others is kept.
void DropContainedFragments(std::vector<Word>* words, double slack = 2);

// A table as text: one line per row, cells joined by tabs (tabs and line
// breaks inside a cell become spaces).
std::string TableText(const Table& table);

}  // namespace dossier_tables
