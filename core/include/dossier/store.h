// The store: one data folder holding the RocksDB database (the truth) and the
// Xapian full-text index, kept consistent document by document.
#pragma once

#include <cstdint>
#include <map>
#include <set>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "dossier/document.h"
#include "dossier/graph.h"
#include "dossier/near_duplicate.h"
#include "dossier/remote_index.h"
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

// One kind of disagreement Store::Check found in a data folder.
struct CheckFinding {
  std::string check;    // what was checked, e.g. "index_entries", "graph_edges" (schemas/check.schema.json)
  uint64_t count = 0;   // how many things fail it
  std::string message;  // what is wrong, in words
  std::vector<std::string> examples;  // the first few of them (document ids, node ids, paths)
};

// What Store::Check found: counts, and the findings (none when the folder is sound).
struct CheckReport {
  std::string data_dir;
  uint64_t documents = 0;
  uint64_t pages = 0;
  uint64_t index_entries = 0;
  uint64_t graph_nodes = 0;
  uint64_t graph_edges = 0;
  uint64_t pending = 0;  // documents with an unfinished index update
  std::vector<CheckFinding> findings;
  bool clean() const { return findings.empty(); }
};

// What Store::RebuildFromStoredDocuments (and RepairDataFolder) did.
struct RebuildReport {
  // Steps taken before the rebuild: RocksDB's own repair of a damaged
  // database, a damaged search index set aside, and what they said.
  std::vector<std::string> salvage;
  uint64_t documents_kept = 0;      // re-indexed and re-entered in the graph
  uint64_t documents_dropped = 0;   // record, pages or facts lost: removed, to be ingested again
  uint64_t index_entries_removed = 0;  // entries of no stored document
  uint64_t records_removed = 0;     // pages, facts and source paths of no stored document
  // Source paths forgotten with the dropped documents (or pointing nowhere):
  // `dossier ingest` reads these files again.
  std::vector<std::string> paths_to_ingest_again;
};

// True when `status` says a write to the data folder failed: the disk (or a
// quota, or the file size limit) is full (kResourceExhausted), or an I/O
// error (kUnavailable); the message reads "DATA: cannot write to the data
// folder: REASON (...)". After such a failure a Store refuses every further
// write with the same status, and what was written stays repairable: the next
// read-write Open finishes it (Repair).
bool IsDataFolderWriteFailure(const Status& status);

// Thread-safety: read methods may be called from several threads at once.
// Write methods must be called from one thread at a time (the ingester's
// committer). Every method reports failures as a Status naming the data
// folder or the document concerned.
//
// Consistency: a document (record, pages, facts and its whole graph change)
// is written to RocksDB together with a `pending` marker in one atomic
// batch, then to Xapian; Flush() commits Xapian and
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
  // Read-only with `remote_index`: full-text search runs on the shards
  // xapian-tcpsrv serves (dossier/remote_index.h) instead of DATA/xapian;
  // everything else (documents, pages, facts, graph, item index) is read
  // from the data folder. Opens while shards are down (SearchIndexHealth).
  static Result<std::unique_ptr<Store>> Open(const std::string& data_dir, StoreMode mode,
                                             const std::optional<RemoteIndex>& remote_index);
  ~Store();

  const std::string& data_dir() const;

  // ---- write side ----

  // Stores `document` (replacing a previous version with the same id), maps
  // each of its sources to it, and queues its index entries. A fact of kind
  // "structure" is stored apart (GetStructure), in the same write batch; a
  // version without one drops the previous version's.
  Status PutDocument(const Document& document);
  // PutDocument of `source`'s document `id` with these `sources` (what
  // `dossier merge` does): its near-duplicate signature is copied from
  // `source` rather than computed again, and with `index_holds_it` its
  // search index entries are taken as they are (MergeIndexesOf put them
  // there) instead of being made from its text. NotFound when `source` has
  // no such document.
  Status CopyDocumentFrom(const Store& source, const DocumentId& id, const std::vector<SourceFile>& sources,
                          bool index_holds_it);
  // Read-write, with no document yet: the search indexes become the merge of
  // the `shards`' indexes (Xapian's compactor), less the entries of the
  // documents in `drop`. The hex ids of the documents the merged index
  // holds. FailedPrecondition when a shard's index was made by another text
  // analysis (TextIndex::kTextFormat) or this store holds documents.
  Result<std::set<std::string>> MergeIndexesOf(const std::vector<const Store*>& shards,
                                               const std::vector<DocumentId>& drop);
  // Deletes the index entries of documents this store does not hold (what a
  // merge killed between its index and its documents leaves). How many.
  Result<uint64_t> DropIndexEntriesWithoutDocuments();
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
  // Read-write only: flushes, then rewrites the search indexes compactly and
  // swaps them in (TextIndex::Compact), and compacts every RocksDB column
  // family into its last level. Bytes before and after.
  struct CompactReport {
    uint64_t bytes_before = 0;  // the search indexes
    uint64_t bytes_after = 0;
    uint64_t store_bytes_before = 0;  // RocksDB (documents, pages, facts, graph)
    uint64_t store_bytes_after = 0;
  };
  Result<CompactReport> CompactIndex();
  // Remembers that `path` failed, with the reason; ClearFailure forgets it.
  Status RecordFailure(std::string_view path, uint64_t size, int64_t mtime_ns, std::string_view reason);
  Status ClearFailure(std::string_view path);
  // Finishes the pending work of a run that died. Open() (read-write) calls
  // it; RepairedAtOpen() says what that call did.
  Result<RepairReport> Repair();
  RepairReport RepairedAtOpen() const;
  // Re-indexes every stored document from its stored pages and facts (no
  // file is read again) and records the index's text format; with
  // `items_only`, only the item entries, from the facts (the page index is
  // left as it is). Open() (read-write) calls it when the search index was
  // made by an older text analysis (TextIndex::kTextFormat), items only
  // when only the item index's changed since (TextIndex::kPageTextFormat);
  // IndexRebuiltAtOpen() says how many documents that took, and
  // ItemsOnlyRebuiltAtOpen() whether it was the items only.
  Result<uint32_t> RebuildIndex(bool items_only = false);
  uint32_t IndexRebuiltAtOpen() const;
  bool ItemsOnlyRebuiltAtOpen() const;
  // Rebuilds what is derived from the stored documents: every document whose
  // record, pages and facts read back whole is indexed again and its graph
  // re-entered from its facts (in the order the documents were ingested);
  // the graph is cleared first. Documents missing a part are removed, with
  // their source paths (listed, so that an ingest reads those files again),
  // and so are pages, facts, paths and index entries of no stored document.
  // No source file is read.
  Result<RebuildReport> RebuildFromStoredDocuments();
  // Computes every stored document's near-duplicate signature from its
  // stored pages and links the near-duplicates again (near_duplicate.h).
  // Open() (read-write) calls it once for a data folder written before
  // signatures existed (or by an older signature layout).
  Status RelinkNearDuplicates();

  // ---- read side ----

  // A kReadOnly store sees the writer's changes as of its last catch-up;
  // this catches up again.
  Status Refresh();
  // Read-only: makes ready what the first searches would otherwise make
  // while their users wait (TextIndex::Warm): dossierd calls it before it
  // says it is ready.
  Status Warm() const;
  // A number that changes whenever what this store answers may have changed:
  // read-only, when Refresh() saw a writer's commit (RocksDB sequence number
  // or Xapian revision moved); read-write, with every RocksDB write. Caches of
  // answers are keyed by it.
  uint64_t DataVersion() const;
  // OK, or kUnavailable naming a shard of the remote index that the last
  // Refresh() (or search) could not reach; always OK with a local index.
  Status SearchIndexHealth() const;
  // Whether the local search index was made by an older text analysis
  // (TextIndex::kTextFormat): it answers, as that version did, until a
  // writer's open re-indexes it. False with a remote index.
  bool SearchIndexIsOlder() const;
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
  // The whole stored document as PutDocument took it (record, pages, facts
  // with the structure fact among them, extractors), or nullopt when there
  // is none: what `dossier merge` copies into another folder.
  Result<std::optional<Document>> ReadDocument(const DocumentId& id) const;
  // Documents in id order.
  Result<std::vector<DocumentSummary>> ListDocuments(uint32_t limit, uint32_t offset) const;
  // How many documents are stored (reads keys only).
  Result<uint64_t> CountDocuments() const;
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
  // counts them all, which reads every key; with no `total`, the keys past
  // the page are not read. Cheap for nodes with thousands of edges.
  Result<std::vector<GraphEdge>> GraphEdgesPage(std::string_view node_id, bool outgoing, std::string_view edge_type,
                                                uint32_t offset, uint32_t limit, uint64_t* total,
                                                bool with_evidence = true) const;
  // The ids of the nodes at the other end of a node's edges of one type,
  // each once however many documents state the link, in key order.
  Result<std::vector<std::string>> GraphEdgeEnds(std::string_view node_id, bool outgoing, std::string_view edge_type) const;
  // Verifies the whole folder: every RocksDB block checksum, and that the
  // documents, their pages, facts and source paths, the index entries and the
  // graph agree (every edge has both ends, and is listed from both ends and
  // under its document). Damage is a finding, not an error; an error is a
  // failure to run the check at all.
  Result<CheckReport> Check() const;
  // Every pair of documents linked as near-duplicates (lower id first), in
  // key order; empty for a data folder no writer of this version has opened.
  Result<std::vector<NearDuplicatePair>> NearDuplicatePairs() const;
  // Full-text search; hits carry id, page, snippet and, from the document's
  // record, title, language, type and paths (left empty for a document
  // removed since the index was read).
  Result<SearchResponse> Search(const SearchRequest& request) const;
  // Item search (recommendations, findings, conclusions, management
  // responses, key actions as results of their own): by a query or, with
  // `similar_to`, by relevance feedback. FailedPrecondition for a data folder
  // no writer of this version has opened (no item index yet).
  Result<ItemSearchResponse> SearchItems(const ItemSearchRequest& request) const;

  // The implementation (core/src/store/store_impl.h), shared by store.cc and check.cc.
  struct Impl;

 private:
  explicit Store(std::unique_ptr<Impl> impl);
  // PutDocument, with the signature from `copy_from` when not null, and no
  // index entry written when `index_holds_it`.
  Status PutDocumentFrom(const Document& document, const Store* copy_from, bool index_holds_it);
  Result<RepairReport> RepairUnguarded();
  Result<uint32_t> RebuildIndexUnguarded(bool items_only);
  std::unique_ptr<Impl> impl_;
};

// `dossier check --repair`: makes a damaged data folder usable again from
// what it still holds. A RocksDB database that does not open or whose
// checksums fail is repaired by RocksDB (table files it cannot read are set
// aside in rocksdb/lost/, with what they held); a search index that does not
// open or list is set aside (xapian.damaged-N/) and made again. Then the
// folder is opened for writing (unfinished work is finished) and
// RebuildFromStoredDocuments runs. kUnavailable while another process writes.
Result<RebuildReport> RepairDataFolder(const std::string& data_dir);

}  // namespace dossier
