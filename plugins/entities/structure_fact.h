// The "structure" fact: the document structure model as the host stores it,
// so that `dossier show DOC --structure` (and GET /v1/documents/{id}/structure)
// can show the section tree with its pages, and which labelled blocks the
// items pass took as what. Grammar in docs/ARCHITECTURE.md ("Fact grammar").
#pragma once

#include <cstddef>
#include <nlohmann/json.hpp>
#include <vector>

#include "dossier/facts.h"
#include "items.h"
#include "structure.h"

namespace dossier_entities {

// Blocks not taken as anything are listed up to this many per document (in
// document order); blocks taken as an item or key action are always listed.
inline constexpr size_t kStructureListedBlocks = 300;
// Sections past this many are counted, not listed.
inline constexpr size_t kStructureMaxSections = 500;
// Characters (code points) of a block's text, and of a section title, kept.
inline constexpr size_t kStructureTextChars = 100;
inline constexpr size_t kStructureTitleChars = 120;

// The fact {"kind":"structure", ...} describing `structure`, with each
// labelled block marked by what `items` (the items pass's output, with their
// key actions) took from it. Its body is opaque JSON to the host (facts.h).
dossier::StructureFact StructureFactOf(const dossier_structure::DocumentStructure& structure, const std::vector<Item>& items);

}  // namespace dossier_entities
