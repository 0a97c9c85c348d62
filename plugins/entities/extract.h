// Rule-based extraction of organisations, programmes, numbered items (recommendations,
// findings, conclusions) with responsible offices and due dates, and dates.
#pragma once

#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "authority.h"
#include "dossier/facts.h"
#include "cues.h"
#include "structure.h"

namespace dossier_entities {

struct PageInput {
  uint32_t number;
  std::string_view text;
  std::vector<dossier_structure::LineStyle> styles = {};  // how its lines are set, when the host said
};

// Extracts the facts of one document (dossier/facts.h; the plugin sends each
// as EncodeFact's JSON). `cues` holds the per-language cue words (cues-<lang>.tsv).
std::vector<dossier::Fact> ExtractTypedFacts(const std::vector<PageInput>& pages, const std::string& language,
                                             const Authority& authority, const dossier_structure::Cues& cues);
// The same facts as JSON objects, as they go on the wire (for tests and tools).
std::vector<nlohmann::json> ExtractFacts(const std::vector<PageInput>& pages, const std::string& language,
                                         const Authority& authority, const dossier_structure::Cues& cues);

}  // namespace dossier_entities
