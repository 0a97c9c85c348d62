// The responses pass, for responses stated in prose: an audited body's
// comments ("OMB agreed with our recommendation", "they concurred with the
// recommendations", "CASA does not support this recommendation"), read from
// the sections whose heading names a response (agency comments, response by
// …, management response). Labelled responses ("Management response:
// Accepted.") and response columns are read by the items pass (items.h).
#pragma once

#include <string_view>
#include <vector>

#include "cues.h"
#include "items.h"
#include "structure.h"

namespace dossier_entities {

// Gives the recommendations that have no response yet the status a sentence
// of a response section states about them: a sentence that speaks of a
// recommendation and holds a status phrase (cue files, status.*). A sentence
// naming "recommendation 3" answers that one; otherwise it answers all of
// them. The first statement found is kept.
void AttachStatedResponses(const dossier_structure::DocumentStructure& structure, const dossier_structure::Cues& cues,
                           std::string_view language, std::vector<Item>* items);

}  // namespace dossier_entities
