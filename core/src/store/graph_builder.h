// The graph builder: one document's facts turned into a plan of what it adds
// to the graph (nodes, edges with their evidence, aliases, the evidence its
// mentions lend its entities, its items for the linker), without RocksDB.
// What it must know of the stored graph (which entity a bare acronym stands
// for, the documents a title key joins it to) it asks a GraphLookup; the
// store answers from RocksDB (graph.cc), a test from a map. The store writes
// the plan in the document's batch; the linker (graph.cc) then recomputes
// the links that span documents.
#pragma once

#include <nlohmann/json.hpp>

#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "dossier/document.h"
#include "dossier/facts.h"
#include "dossier/keys.h"
#include "dossier/status.h"

namespace dossier {

// ---- node keys made from names and texts ----

// 8 bytes that identify a thing by its name (the first half of its SHA-256).
std::string HashBytes(std::string_view text);
keys::NodeKind KindOfEntityType(EntityType type);
// A bare acronym: 2 to 12 capitals, digits or '&', at least two capitals.
bool IsBareAcronym(std::string_view name);
// An entity fact that uses an acronym without defining it ("RISU should ...").
bool UsesAcronymBare(const EntityFact& fact);
// The node of an entity named `name_key` (a NameKey) of `kind`.
std::string EntityNodeKey(keys::NodeKind kind, const std::string& name_key);
// Items whose text opens with the same words are the same item (a memo or a
// response restating a report's recommendation): they share this alias key.
std::string ItemTextKey(const std::string& item_type, const std::string& text);

// What a document's build reads of the graph stored before it.
class GraphLookup {
 public:
  virtual ~GraphLookup() = default;
  // The entity nodes that stored documents define an acronym (its NameKey)
  // as (graph_linker.h StoredAcronymDefiners).
  virtual Result<std::set<std::string>> AcronymDefiners(const std::string& acronym_key) const = 0;
  // The nodes filed under an alias (keys::AliasKey(alias, node)), in key order.
  virtual Result<std::vector<std::string>> NodesWithAlias(const std::string& alias) const = 0;
  // A stored node's record (null when there is none).
  virtual Result<std::optional<nlohmann::json>> NodeRecord(const std::string& node) const = 0;
  // The extractors a stored document's facts came from, as its edges' evidence names them.
  virtual Result<std::string> Extractors(const DocumentId& doc) const = 0;
};

struct PlannedEdge {
  std::string src;
  keys::EdgeType type;
  std::string dst;
  DocumentId doc;  // the document it is filed under
  nlohmann::json evidence;
};

// A document's contribution, in the order it is written: a later write of
// the same key (a date node stated twice) replaces the earlier.
struct DocumentGraphPlan {
  std::vector<std::pair<std::string, std::string>> nodes;  // node key -> record (JSON text)
  std::vector<PlannedEdge> edges;
  std::vector<std::string> aliases;  // alias keys (keys::AliasKey), stored with an empty value
  // Entity node -> the evidence this document's mention of it lends its
  // tally (the last mention edge written to it).
  std::map<std::string, nlohmann::json> mentioned;
  // Its items (recommendations, findings, conclusions, actions), for the linker.
  std::set<std::string> items;
};

// What `id`'s facts say of it alone: its document node, entities and their
// mentions (a bare acronym resolved to the one entity the documents define
// it as), items with their text aliases, responsible bodies, due dates and
// key actions, the chains they state ("based on Conclusion 2"), relations
// between bodies, stated dates, and its responds_to links with the stored
// documents sharing its title key (from the answer to the evaluation, filed
// under the answer, whichever came first). Every edge's evidence names
// `extractor` (a responds_to link filed under a stored answer names that
// answer's).
Result<DocumentGraphPlan> BuildDocumentGraph(const DocumentId& id, const std::string& title,
                                             const std::vector<Fact>& facts, const std::string& extractor,
                                             const GraphLookup& lookup);

}  // namespace dossier
