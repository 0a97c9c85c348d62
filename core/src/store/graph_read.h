// Reading the graph's columns, for the graph's writers (graph.cc and the
// linker, graph_linker.cc); internal to core/src/store. Every read goes
// through GraphGet/GraphIterator, so it sees a staged change's writes.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "dossier/keys.h"
#include "dossier/status.h"
#include "graph.h"

namespace dossier {

// Whether a node key's kind letter is an entity's (organisation, programme, other).
inline bool IsEntityKind(char kind) { return kind == 'O' || kind == 'P' || kind == 'X'; }

// A graph write's status, as FromRocksWrite words it ("writing the graph").
Status FromRocks(const GraphColumns& graph, const rocksdb::Status& s);

// Calls `visit(key, value)` for the keys of `cf` starting with `prefix`, in
// order, until it returns false.
template <typename Visit>
Status Scan(const GraphColumns& graph, rocksdb::ColumnFamilyHandle* cf, const std::string& prefix, Visit visit) {
  std::unique_ptr<rocksdb::Iterator> it = GraphIterator(graph, cf);
  for (it->Seek(prefix); it->Valid() && it->key().starts_with(prefix); it->Next()) {
    if (!visit(it->key().ToStringView(), it->value().ToStringView())) break;
  }
  if (!it->status().ok()) return DamagedDataFolder(graph.data_dir, "graph: " + it->status().ToString());
  return Status::Ok();
}

// A stored JSON record (a node's, an edge's evidence), or nothing when absent or unreadable.
Result<std::optional<nlohmann::json>> ReadJson(const GraphColumns& graph, rocksdb::ColumnFamilyHandle* cf,
                                               const std::string& key);
// Whether any edge of `type` leaves `node`.
Result<bool> HasOutgoing(const GraphColumns& graph, const std::string& node, keys::EdgeType type);
// Every edge of `type` leaving or reaching `node`.
Result<std::vector<keys::EdgeParts>> EdgesOfType(const GraphColumns& graph, const std::string& node,
                                                 keys::EdgeType type);
// The extractors a stored document's facts came from, as its edges' evidence names them.
Result<std::string> StoredExtractors(const GraphColumns& graph, const DocumentId& doc);

}  // namespace dossier
