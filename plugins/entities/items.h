// The items pass: recommendations, findings and conclusions read from the
// document structure, with what the structure says around them (the
// response and its status, who must act, the lead-in that names them).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "cues.h"
#include "dates.h"
#include "structure.h"

namespace dossier_entities {

struct Item {
  std::string type;    // recommendation | finding | conclusion
  std::string number;  // "1", "A.2", "R3", "a"
  std::string text;
  uint32_t page = 0;
  size_t start = 0, end = 0;
  std::vector<std::string> table_cells;         // other cells of the item's table row
  std::vector<std::string> responsible_cells;   // who must act, as printed under a label or in a column
  std::string due_cell;                         // a due-date column's cell
  // The other cells of a table row elsewhere that prints the item again (an
  // annex's overview: "N | the item's text | Lead department | Partners | …").
  std::vector<std::string> restated_cells;
  // The titles of the sections the item lies in, nearest first: a heading that
  // names a body ("Civil Aviation Safety Authority" over its safety issues)
  // says whom the item is for when nothing closer does.
  std::vector<std::string> section_titles;
  // Where the text under the item ends: the next item's start (page, offset),
  // or the end of the page after the item's when none follows sooner.
  uint32_t scope_end_page = 0;
  size_t scope_end = 0;
  // A lead-in naming who the items are for ("we recommend that the Director … take these actions:").
  uint32_t lead_page = 0;
  size_t lead_start = 0, lead_end = 0;
  // Follow-up (recommendations): the management response and the key actions.
  std::string response_status;  // accepted | partially accepted | not accepted | ""
  std::string response_text;
  uint32_t response_page = 0;
  struct Action {
    std::string number, text, time_frame, start, due, status, status_text;
    std::vector<std::string> responsible_cells;
    uint32_t page = 0;
  };
  std::vector<Action> actions;
};

// A response's status from a stretch of text: the first status phrase among
// its first `max_words` words, "" when none. `at_start` asks for the phrase
// at the very start (optionally after "Recommendation [N]").
std::string ResponseStatusIn(const std::string& text, const dossier_structure::Cues& cues, std::string_view language,
                             size_t max_words, bool at_start);

// A cell's or item's text tidied: emphasis marks ('*') dropped, tabs and runs
// of spaces as one space, no trailing space.
std::string Clean(const std::string& text);

// The sentences of a text (ICU's sentence breaks for `language`), trimmed.
std::vector<std::string> Sentences(const std::string& text, std::string_view language);

// A label of a response ("Management response:", "Government response",
// "Réponse de la direction (Accept/Reject)"): sets the offset after it.
bool ParseResponseLabel(const std::string& text, const dossier_structure::Cues& cues, std::string_view language,
                        size_t* after);

// Items found by section, label, list and table, once each (a recommendation
// printed in the summary and again in the body is kept once, with its fullest
// text), with the key actions of their action tables (key_actions.h).
std::vector<Item> FindStructuredItems(const dossier_structure::DocumentStructure& structure,
                                      const dossier_structure::Cues& cues, std::string_view language,
                                      NumericOrder order);

}  // namespace dossier_entities
