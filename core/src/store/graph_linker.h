// The linker: what spans documents. The links between items of different
// documents (same_as and recurs), recomputed for the items a change touches,
// and the acronyms documents use bare, which resolve to the one entity the
// documents define them as (the builder resolves them, graph_builder.h; the
// linker says which documents to apply again when a change alters their
// definers). Internal to core/src/store; graph.cc runs it as steps of a
// document's graph change (ApplyDocumentGraph, RemoveDocumentGraph), inside
// its StagedGraphChange. (responds_to, a response's link to the report it
// answers, is filed by the builder from either side: graph_builder.h.)
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

#include <map>
#include <set>
#include <string>
#include <vector>

#include "dossier/facts.h"
#include "dossier/status.h"
#include "graph.h"

namespace dossier {

// Recomputes every same_as and recurs link of `items` (item node keys) and
// of the items of other documents stating the same text as one of them: the
// links go, then come back, same_as first (which says which items are
// restatements), then recurs, each step one batch of the staged change.
Status RelinkItems(const GraphColumns& graph, const std::set<std::string>& items);

// ---- acronyms used bare across documents ----

// Acronyms (their NameKey), each with the entity nodes that define it.
using AcronymDefiners = std::map<std::string, std::set<std::string>>;

// The entities that stored documents define an acronym (its NameKey) as:
// those having it as a name or alias, other than the nodes of its bare uses.
// A mention resolved through a bare acronym adds no names, so it never makes
// its entity a definer: the definers are those of the documents' definitions
// alone, whatever order they came in.
Result<std::set<std::string>> StoredAcronymDefiners(const GraphColumns& graph, const std::string& acronym_key);
// Before a change to `id` (its stored mentions, and `facts` when it is being
// stored): the acronyms other documents use bare that the change may define
// or stop defining, each with its definers now.
Result<AcronymDefiners> WatchAcronyms(const GraphColumns& graph, const DocumentId& id, const std::vector<Fact>& facts);
// After it: the documents other than `id` using bare an acronym whose
// definers are no longer those `before` holds, to be applied again.
Result<std::set<DocumentId>> DocumentsToApplyAgain(const GraphColumns& graph, const DocumentId& id,
                                                   const AcronymDefiners& before);

}  // namespace dossier
