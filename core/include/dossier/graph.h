// The knowledge graph as the query side sees it: nodes (documents, entities,
// recommendations, findings, conclusions, dates) and typed edges with evidence.
#pragma once

#include "dossier/name_key.h"

#include <nlohmann/json.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace dossier {

struct GraphNode {
  std::string id;         // "O:1a2b3c4d5e6f7a8b": kind letter and hash (keys.h NodeKind)
  std::string kind;       // document, organisation, programme, entity, recommendation, finding, conclusion, date, action
  nlohmann::json record;  // the node's fields (name, aliases, text, value ...)
};

struct GraphEdge {
  std::string source;  // node ids
  std::string type;    // keys.h EdgeType names: mentions, part_of, contains, responsible, states_date, due, same_as, has_action, recurs, responds_to, based_on, funds, implements, leads, member_of
  std::string target;
  std::string document;    // the document whose text states the edge (its evidence)
  nlohmann::json evidence; // page(s), character span, extractor
};

// Options for listing recommendations (all optional).
struct RecommendationFilter {
  // Ranks the matches by relevance to this query (the item index; Xapian
  // query syntax as search) instead of listing them in document order.
  std::optional<std::string> query;
  // Ranks the recommendations of other evaluations most like this one (a
  // recommendation's node id) instead: relevance feedback on the item index.
  std::optional<std::string> similar_to;
  std::optional<std::string> responsible;  // a name or alias; units of it count too
  std::optional<std::string> due_before;   // ISO date: due strictly before
  std::optional<std::string> overdue_as_of;  // ISO date: due before it (and not closed)
  std::optional<std::string> document;     // document id
  bool recurring = false;                  // only those made again in another evaluation (recurs)
  uint32_t limit = 0;                      // at most this many listed (0: all; ranked: 20); `total` counts every match
  uint32_t offset = 0;                     // skip this many matches first
};

// Options for listing key actions (all optional).
struct ActionFilter {
  std::optional<std::string> query;         // rank the matches by relevance to this query (as RecommendationFilter)
  std::optional<std::string> responsible;   // a name or alias; units of it count too
  std::optional<std::string> status;        // completed, initiated, not started, overdue, no longer applicable
  std::optional<std::string> due_before;    // ISO date: due strictly before
  std::optional<std::string> overdue_as_of; // ISO date: past due then and not completed
  std::optional<std::string> evaluation;    // document id or path: actions of it, or answering it
  std::string as_of;                        // ISO date `overdue` is judged at (default: today)
  uint32_t limit = 0;                       // at most this many listed (0: all); `total` counts every match
  uint32_t offset = 0;                      // skip this many matches first
};


}  // namespace dossier
