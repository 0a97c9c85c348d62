// The knowledge graph in RocksDB (internal to core): writing a document's
// contribution from its facts, removing it exactly, and reading nodes and edges.
// Key layouts are in keys.h.
#pragma once

#include <rocksdb/db.h>
#include <rocksdb/utilities/write_batch_with_index.h>
#include <rocksdb/write_batch.h>

#include <nlohmann/json.hpp>

#include <memory>
#include <set>
#include <string>
#include <vector>

#include "dossier/document.h"
#include "dossier/facts.h"
#include "dossier/graph.h"
#include "dossier/keys.h"
#include "dossier/status.h"
#include "write_failure.h"

namespace dossier {

// ---- shared by store.cc and graph.cc ----

// Read options for every read: block checksums verified (RocksDB's default,
// set here so that no read path can lose it), so a flipped bit is an error,
// not a wrong answer.
rocksdb::ReadOptions CheckedReadOptions();
// The error for a read that met damage in the data folder: kDataLoss, naming
// the folder and the cause (`cause` as RocksDB or the check states it). The
// CLI exits 3 with it, dossierd answers 503.
Status DamagedDataFolder(const std::string& data_dir, const std::string& cause);
// A RocksDB write's status: WriteFailed (write_failure.h) for I/O errors and
// a full disk, DamagedDataFolder when RocksDB says the folder is damaged (OK
// stays OK).
Status FromRocksWrite(const std::string& data_dir, const std::string& what, const rocksdb::Status& s);

struct GraphColumns {
  rocksdb::DB* db = nullptr;
  rocksdb::ColumnFamilyHandle* nodes = nullptr;
  rocksdb::ColumnFamilyHandle* edges = nullptr;
  rocksdb::ColumnFamilyHandle* edges_in = nullptr;
  rocksdb::ColumnFamilyHandle* doc_edges = nullptr;
  rocksdb::ColumnFamilyHandle* aliases = nullptr;
  std::string data_dir;  // for messages
  // Signatures and band keys of near-duplicate detection; null in a reader of
  // a data folder no writer of this version has opened yet.
  rocksdb::ColumnFamilyHandle* near_duplicates = nullptr;
  // The documents' stored facts and extractors: the graph of a document is
  // applied again from them when the acronyms it uses change meaning.
  rocksdb::ColumnFamilyHandle* facts = nullptr;
  // While one document's graph change is made (StagedGraphChange): the
  // writes of its steps so far, which every read sees over the stored
  // graph, written to RocksDB in one batch at the end. Null: each step
  // writes its own batch (none of the graph's writers runs without one).
  rocksdb::WriteBatchWithIndex* staged = nullptr;
};

// One document's graph change in one batch: the steps (removing its
// previous contribution, writing the new one, the linker, the documents
// whose acronyms it redefines, near-duplicate links) each build their batch
// from what the steps before them wrote, read through `graph()`, and
// nothing reaches RocksDB until Commit() writes them all at once, so a
// reader never sees a document's graph half changed, and a failure leaves
// the stored graph as it was. Run inside another change (`graph.staged`
// set), it adds to that one and Commit() writes nothing.
class StagedGraphChange {
 public:
  explicit StagedGraphChange(const GraphColumns& graph);
  ~StagedGraphChange();
  const GraphColumns& graph() const { return graph_; }
  // Writes the staged change. With `with`, the change is appended to that
  // batch and both go in one write: the document record's batch, which holds
  // what an indexed batch cannot (DeleteRange) and which the steps do not
  // read, so the record and its graph are stored together or not at all.
  // Only the outermost change takes `with` (a nested one: FailedPrecondition).
  // A failed write's message names `what` was being written.
  Status Commit(rocksdb::WriteBatch* with = nullptr, const std::string& what = "writing the graph");

 private:
  GraphColumns graph_;
  std::unique_ptr<rocksdb::WriteBatchWithIndex> own_;  // null when nested
};

// A point read of the graph (with the staged writes when a change is being
// made): *found says whether the key is there; any failure other than "not
// found" is damage (kDataLoss), never taken for the key's absence.
Status GraphGet(const GraphColumns& graph, rocksdb::ColumnFamilyHandle* cf, const std::string& key, std::string* value,
                bool* found);
// An iterator over `cf` (with the staged writes).
std::unique_ptr<rocksdb::Iterator> GraphIterator(const GraphColumns& graph, rocksdb::ColumnFamilyHandle* cf);
// Writes `batch` (Put and Delete only), or adds it to the staged change.
rocksdb::Status GraphWrite(const GraphColumns& graph, rocksdb::WriteBatch* batch);

// Adds to `batch` one edge, listed from both ends and under the document `doc` it is filed under.
void PutEdge(const GraphColumns& graph, const std::string& src, keys::EdgeType type, const std::string& dst,
             const DocumentId& doc, const nlohmann::json& evidence, rocksdb::WriteBatch* batch);
// Adds to `batch` the deletion of one edge, from both ends and its document's list.
void DeleteEdge(const GraphColumns& graph, const keys::EdgeParts& e, rocksdb::WriteBatch* batch);

// Replaces everything `id` contributed to the graph with what `facts` say,
// then recomputes the links between documents it touched (same_as, recurs,
// and the documents using bare an acronym whose meaning it changed): the
// graph is a function of the set of stored documents, not of their order.
// Idempotent: running it again after a crash gives the same graph.
Status ApplyDocumentGraph(const GraphColumns& graph, const DocumentId& id, const std::string& title,
                          const std::vector<Fact>& facts, const std::string& extractor);
// Removes everything `id` contributed; entities and dates it alone mentioned
// go too, and the links between documents it touched are recomputed.
Status RemoveDocumentGraph(const GraphColumns& graph, const DocumentId& id);

// ---- reading ----
Result<std::optional<GraphNode>> ReadNode(const GraphColumns& graph, const std::string& node_key);
// Nodes of one kind letter (keys.h NodeKind), in key order.
Result<std::vector<GraphNode>> ReadNodesOfKind(const GraphColumns& graph, char kind, uint32_t limit, uint32_t offset);
// Entity node keys whose name or alias has this NameKey.
Result<std::vector<std::string>> FindNodesByName(const GraphColumns& graph, std::string_view name);
// Edges leaving (outgoing) or reaching (incoming) a node, optionally of one type.
Result<std::vector<GraphEdge>> ReadEdges(const GraphColumns& graph, const std::string& node_key, bool outgoing,
                                         int edge_type /* 0 = any */);
// One page of those edges (key order): skips `offset`, returns at most
// `limit`, reading the evidence of the returned ones only (none when
// !with_evidence); *total counts them all from the keys alone.
Result<std::vector<GraphEdge>> ReadEdgesPage(const GraphColumns& graph, const std::string& node_key, bool outgoing,
                                             int edge_type, uint32_t offset, uint32_t limit, uint64_t* total,
                                             bool with_evidence);
// The nodes at the other end of a node's edges of one type (> 0), each
// once, in key order: the other documents stating the same link are passed
// over in one seek, not read (thousands of documents may state that a unit
// is part of a body).
Result<std::vector<std::string>> ReadEdgeEnds(const GraphColumns& graph, const std::string& node_key, bool outgoing,
                                              int edge_type);

}  // namespace dossier
