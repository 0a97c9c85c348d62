// The store: one data folder holding the RocksDB database (the truth) and the
// Xapian full-text index, kept consistent document by document.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "dossier/document.h"
#include "dossier/graph.h"
#include "dossier/near_duplicate.h"
#include "dossier/search.h"
#include "dossier/status.h"

namespace dossier {

enum class StoreMode {
  kReadWrite,  // one writer per data folder; takes the folders' locks
  kReadOnly,   // any number of readers, also while a writer runs
};

struct StoreStats {
  uint64_t documents = 0;
  uint64_t pages = 0;
  uint64_t ocr_pages = 0;
  uint64_t source_paths = 0;
  uint64_t failed_files = 0;
  uint64_t pending = 0;         // documents with an unfinished index update
  uint64_t index_entries = 0;   // Xapian documents (one per stored document)
  uint64_t text_bytes = 0;
  std::map<std::string, uint64_t> languages;   // language -> documents
  std::map<std::string, uint64_t> mime_types;  // MIME type -> documents
  std::string data_dir;
};

// What a source path points at, with the file's size and mtime when seen.
struct SourceEntry {
  DocumentId id;
  uint64_t size = 0;
  int64_t mtime_ns = 0;
};

// Why a file failed last time, with its size and mtime then (`failed` CF).
struct FailureEntry {
  uint64_t size = 0;
  int64_t mtime_ns = 0;
  std::string reason;
};

struct RepairReport {
  uint32_t reindexed = 0;  // documents whose index entries were redone
  uint32_t removed = 0;    // removals that were finished
};

// Thread-safety: read methods may be called from several threads at once.
// Write methods must be called from one thread at a time (the ingester's
// committer). Every method reports failures as a Status naming the data
// folder or the document concerned.
//
// Consistency: a document is written to RocksDB together with a `pending`
// marker in one atomic batch, then to Xapian; Flush() commits Xapian and
// only then clears the markers. A run killed at any point leaves markers that
// Repair() (run by Open in read-write mode) finishes, so every document ends
// up fully in both stores or in neither.
class Store {
 public:
  // Opens (read-write: creates when missing) the data folder `data_dir`.
  // kUnavailable when another process is writing; kNotFound when a
  // read-only open finds no data folder; kFailedPrecondition on a schema
  // version this build does not read.
  static Result<std::unique_ptr<Store>> Open(const std::string& data_dir, StoreMode mode);
  ~Store();

  const std::string& data_dir() const;

  // ---- write side ----

  // Stores `document` (replacing a previous version with the same id), maps
  // each of its sources to it, and queues its index entries. A fact of kind
  // "structure" is stored apart (GetStructure), in the same write batch; a
  // version without one drops the previous version's.
  Status PutDocument(const Document& document);
  // Adds `source` to an existing document's paths.
  Status AddSource(const DocumentId& id, const SourceFile& source);
  // Drops `path` from whatever document it belongs to; a document left
  // without paths is removed. OK when the path is unknown.
  Status DetachSource(std::string_view path);
  // Removes a document from both stores (at the next Flush).
  Status RemoveDocument(const DocumentId& id);
  // Commits the index and clears the pending markers of everything written
  // since the last Flush.
  Status Flush();
  // Remembers that `path` failed, with the reason; ClearFailure forgets it.
  Status RecordFailure(std::string_view path, uint64_t size, int64_t mtime_ns, std::string_view reason);
  Status ClearFailure(std::string_view path);
  // Finishes the pending work of a run that died. Open() calls it.
  Result<RepairReport> Repair();
  // Re-indexes every stored document from its stored pages and facts (no
  // file is read again) and records the index's text format. Open()
  // (read-write) calls it when the search index was made by an older text
  // analysis (TextIndex::kTextFormat); IndexRebuiltAtOpen() says how many
  // documents that took.
  Result<uint32_t> RebuildIndex();
  uint32_t IndexRebuiltAtOpen() const;
  // Computes every stored document's near-duplicate signature from its
  // stored pages and links the near-duplicates again (near_duplicate.h).
  // Open() (read-write) calls it once for a data folder written before
  // signatures existed (or by an older signature layout).
  Status RelinkNearDuplicates();

  // ---- read side ----

  // A kReadOnly store sees the writer's changes as of its last catch-up;
  // this catches up again.
  Status Refresh();
  // A number that changes whenever what this store answers may have changed:
  // read-only, when Refresh() saw a writer's commit (RocksDB sequence number
  // or Xapian revision moved); read-write, with every RocksDB write. Caches of
  // answers are keyed by it.
  uint64_t DataVersion() const;
  Result<std::optional<DocumentSummary>> GetDocument(const DocumentId& id) const;
  Result<std::optional<SourceEntry>> LookupSource(std::string_view path) const;
  // The failure recorded for `path` by RecordFailure, if any.
  Result<std::optional<FailureEntry>> LookupFailure(std::string_view path) const;
  // Paths under `prefix` (a folder path with trailing '/', or "" for all).
  Result<std::vector<std::pair<std::string, SourceEntry>>> ListSources(std::string_view prefix) const;
  Result<PageText> GetPage(const DocumentId& id, uint32_t page) const;
  // The facts extractors found in a document (empty when none ran).
  Result<std::vector<std::string>> GetFacts(const DocumentId& id) const;
  // The document's "structure" fact (JSON text), or nullopt when none was
  // stored: no extractor gave one (the document was ingested before the
  // entities extractor did, or without it).
  Result<std::optional<std::string>> GetStructure(const DocumentId& id) const;
  Result<std::vector<PageText>> GetPages(const DocumentId& id) const;
  // Documents in id order.
  Result<std::vector<DocumentSummary>> ListDocuments(uint32_t limit, uint32_t offset) const;
  Result<StoreStats> Stats() const;
  // The knowledge graph. Node ids look like "O:1a2b3c4d5e6f7a8b" (kind
  // letter: D document, O organisation, P programme, X other entity,
  // R recommendation, F finding, C conclusion, T date).
  Result<std::optional<GraphNode>> GetGraphNode(std::string_view node_id) const;
  // Nodes of one kind letter, in id order.
  Result<std::vector<GraphNode>> ListGraphNodes(char kind, uint32_t limit, uint32_t offset) const;
  // Entity node ids with this name or alias (compared by NameKey).
  Result<std::vector<std::string>> FindGraphNodes(std::string_view name) const;
  // Edges leaving (outgoing) or reaching a node; `edge_type` "" for all.
  Result<std::vector<GraphEdge>> GraphEdges(std::string_view node_id, bool outgoing, std::string_view edge_type) const;
  // One page of them (in key order): `offset` skipped, at most `limit`, the
  // evidence read for those only (left empty when !with_evidence); *total
  // counts them all. Cheap for nodes with thousands of edges.
  Result<std::vector<GraphEdge>> GraphEdgesPage(std::string_view node_id, bool outgoing, std::string_view edge_type,
                                                uint32_t offset, uint32_t limit, uint64_t* total,
                                                bool with_evidence = true) const;
  // Every pair of documents linked as near-duplicates (lower id first), in
  // key order; empty for a data folder no writer of this version has opened.
  Result<std::vector<NearDuplicatePair>> NearDuplicatePairs() const;
  // Full-text search; hits carry id, page and snippet (not the title etc.).
  Result<SearchResponse> Search(const SearchRequest& request) const;

 private:
  struct Impl;
  explicit Store(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace dossier
