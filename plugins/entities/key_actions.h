// The key-actions pass: the actions a management response commits to, read
// from the document's action tables, numbered or not.
//
// An action table starts at a header row that names an action column and at
// least one more (time frame, responsible unit, status): "Key action | Time
// frame | Responsible unit(s) | Status", "Action | Responsible section(s) |
// Expected completion date | …", "Mesure | Échéance | Responsable". Each row
// after it is an action of the recommendation the row follows; a row printed
// over several lines (wrapped cells, a page break) is one action. Rows are
// read from the page text line by line, as tab-separated cells or as columns
// set apart by runs of spaces. A row numbered "2.1" belongs to recommendation
// 2 wherever it stands. The table ends at the next heading.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "cues.h"
#include "dates.h"
#include "items.h"
#include "structure.h"

namespace dossier_entities {

// An action's tracking status, normalised (not started | initiated |
// completed | overdue | no longer applicable), or "": the `action.*` cue words.
std::string ActionStatus(std::string_view cell, const dossier_structure::Cues& cues, std::string_view language);

// A key action's time frame as start and due at the stated precision.
// "Q1 2026" -> 2026-01..2026-03; "January–March 2026" -> 2026-01..2026-03;
// "By 30 June 2026" -> due 2026-06-30; "end of 2026" -> due 2026-12;
// "Ongoing" -> neither. False when the cell states no time frame.
bool ParseTimeFrame(std::string_view cell, NumericOrder order, std::string* start, std::string* due);

// The first deadline a text states: a date after "by", "before", "until",
// "no later than", "d'ici", "avant", "antes de", "hasta", "para", with the
// words that set it ("by the end of 2015" -> 2015-12); "" when none.
std::string DeadlineIn(const std::string& text, NumericOrder order);

// What an action table's header calls each column, by position: "action",
// "time", "responsible", "status" or "" (another column). Empty unless the
// header names an action column and at least one other known column.
std::vector<std::string> ColumnRoles(const std::vector<std::string>& cells, const dossier_structure::Cues& cues,
                                     std::string_view language);

// "1.1", "3.1a", "3.1.b", "2.1." at the start of a cell: a key action's number.
bool ParseActionNumber(std::string_view cell, std::string* number, size_t* text_at);

// "Action 15: Conduct …", "Actions 1, 2, 6: Realign …" (label.action words):
// the numbers as printed ("15", "1, 2, 6") and where the text starts.
bool ParseActionItemLabel(const std::string& text, const dossier_structure::Cues& cues, std::string_view language,
                          std::string* numbers, size_t* text_at);

// Adds the key actions of every action table to the recommendations in
// `items` (in document order, as the items pass found them). Unnumbered
// actions are numbered "<recommendation>.<position>".
void AttachKeyActions(const dossier_structure::DocumentStructure& structure, const dossier_structure::Cues& cues,
                      std::string_view language, NumericOrder order, std::vector<Item>* items);

}  // namespace dossier_entities
