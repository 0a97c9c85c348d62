// A document's title and date, chosen from what the document itself prints on
// its first pages, with the file's metadata as a fallback. Used by the
// ingester's committer; no library types, no I/O.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "dossier/document.h"

namespace dossier {

// A line of the first pages as it was typeset: its page, its type size in
// points and the top of the line in points from the top of the page. Only
// text-layer PDF pages have them (OCR and plain-text pages do not).
struct TypesetLine {
  uint32_t page = 0;
  double size = 0;
  double top = 0;
  std::string text;
};

// The form the pdf plugin sends them in, as the metadata value "typeset_lines":
// one line per typeset line, "PAGE<TAB>SIZE<TAB>TOP<TAB>TEXT". Malformed lines
// are skipped.
std::vector<TypesetLine> ParseTypesetLines(std::string_view encoded);
std::string EncodeTypesetLines(const std::vector<TypesetLine>& lines);

struct TitleChoice {
  std::string title;
  // "heading": the largest type on the first pages; "first_line": the first
  // line of text that reads as a title (no type sizes: OCR, plain text);
  // "metadata": the file's own title field; "file_name".
  std::string source;
};

// The title: the largest heading on the first pages (skipping document
// symbols like "E/ICEF/2025/4", template labels, mastheads naming the
// issuing body, running headers and captions), joined with the subtitle set
// under it and, on a form or memo, with its labelled title or subject field;
// without a heading that stands out (no type sizes: OCR, plain text), the
// metadata title when it looks like one (words; not a file name, "Microsoft
// Word - …", a symbol) and the first line does not spell it out in full,
// else the first line that reads as a title.
TitleChoice ChooseTitle(const std::vector<PageText>& pages, const std::vector<TypesetLine>& typeset,
                        const std::string& metadata_title, std::string_view file_name);

struct DateChoice {
  std::string value;  // "YYYY-MM-DD", "YYYY-MM" or "YYYY"; empty when none
  // "cover": printed on the first page; "front_matter": printed on the next
  // pages (title verso, publication details); "metadata": the file's creation
  // date; empty when none.
  std::string source;
};

// The document's date: a date labelled as the document's ("Date:", "Fecha
// de emisión:", "Publication date") on the cover, else a date standing on a
// line of its own there ("March 2024", "Octobre 2020", "marzo de 2023"),
// then the same on the front-matter pages (labelled: the next seven pages;
// on a line of its own: the next three). Dates that are part of
// the title (the date of the event a report is about) are passed over. A
// cover date printed without its year ("Tuesday 4th June") takes the
// metadata's year when the metadata date is not earlier. Last the metadata
// creation date, unless the text names years but never its year (a scan or
// a re-export made years later is not the document's date). A table row's
// date is read in its cell, labelled by its column's header.
DateChoice ChooseDate(const std::vector<PageText>& pages, const std::string& metadata_created, const std::string& title);

// A calendar date found in a line of text.
struct FoundDate {
  size_t start = 0, end = 0;  // byte span in the line
  int year = 0;               // 0 when the line gives none ("4th June")
  int month = 0;              // 1..12
  int day = 0;                // 0 when not given
  std::string Value() const;  // "YYYY-MM-DD" / "YYYY-MM"; "" without a year
};

// Dates with at least a month in one line: "3 January 2025", "July 16, 2001",
// "March 2024", "Octobre 2020", "1er mars 2020", "4 de marzo de 2023",
// "13/04/2022", "2022-04-13", "Nov 2013", "4th June" (no year).
std::vector<FoundDate> FindDatesInLine(std::string_view line);

}  // namespace dossier
