// The acronyms pass: acronym definitions in running text, "Long Form (ACR)"
// and "ACR (Long Form)" (Schwartz & Hearst 2003), in any language, and
// acronym lists ("Acronyms and abbreviations", "Sigles", "Siglas"): runs of
// lines or table rows pairing an acronym with its long form.
#pragma once

#include <string>
#include <vector>

#include "entity_table.h"
#include "tokens.h"

namespace dossier_entities {

// Schwartz & Hearst: the index of the first token of the shortest span
// ending before `open_paren` whose letters hold the short form's letters in
// order, the first one starting a word; -1 when there is none.
int LongFormStart(const std::vector<Token>& tokens, int open_paren, const std::string& short_form);

// "Long Form (ACR)" and "ACR (Long Form)" on one page: each definition binds
// the acronym to the long form's entity and marks its tokens used. A long
// form that names a law or a report ("Local Government Act (LGA)") is no
// body and is passed over.
void FindAcronymDefinitions(PageTokens& page, EntityTable& table);

// Acronym lists: at least three consecutive lines (or table rows) each
// pairing an acronym with a long form — "ACR<tab>Long form", "ACR – Long
// form", "ACR: Long form", "ACR Long Form", or the acronym alone on a line
// and its long form on the next.
void FindAcronymLists(PageTokens& page, EntityTable& table);

}  // namespace dossier_entities
