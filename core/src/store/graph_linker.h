// The linker: the links between items of different documents (same_as and
// recurs), recomputed for the items a change touches. Internal to
// core/src/store; graph.cc runs it as a step of a document's graph change
// (ApplyDocumentGraph, RemoveDocumentGraph), inside its StagedGraphChange.
//
// same_as joins items of different documents stating the same text (a
// report's recommendation restated by its management response, a response's
// action restated by a progress update); recurs joins recommendations of
// different evaluations to a shared responsible body whose texts are similar
// (half the significant words) but not the same. Each link is a function of
// its two items and their documents' dates, whichever document was stored
// first: recurs goes from the later recommendation to the earlier (by
// document date, then node key; an undated document counts as the latest);
// same_as goes from the restatement to the statement standing for it — one
// carrying a management response or key actions before one that does not,
// then the earlier — and each is filed under its source's document. An item
// with a same_as link is a restatement: the statement it stands for carries
// the recurrences.
#pragma once

#include <set>
#include <string>

#include "dossier/status.h"
#include "graph.h"

namespace dossier {

// Recomputes every same_as and recurs link of `items` (item node keys) and
// of the items of other documents stating the same text as one of them: the
// links go, then come back, same_as first (which says which items are
// restatements), then recurs, each step one batch of the staged change.
Status RelinkItems(const GraphColumns& graph, const std::set<std::string>& items);

}  // namespace dossier
