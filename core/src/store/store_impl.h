// Store::Impl and the helpers store.cc and check.cc share (internal to core).
#pragma once

#include <rocksdb/db.h>
#include <rocksdb/write_batch.h>

#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "dossier/keys.h"
#include "dossier/sharded_lru.h"
#include "dossier/store.h"
#include "document_record.h"
#include "graph.h"
#include "text_index.h"

namespace dossier {

// A RocksDB status as a Status naming `context` (the data folder): a lock
// held by another process is kUnavailable, damage kDataLoss.
Status FromRocks(const std::string& context, const rocksdb::Status& s);
// A read's status: "not found" stays itself; any other failure is damage
// (kDataLoss), never an empty answer given as a success.
Status FromRocksRead(const std::string& data_dir, const rocksdb::Status& s);
// True when another process (a writer) holds the database's lock
// (`rocks_path` is the data folder's rocksdb/).
bool WriterActive(const std::string& rocks_path);
// The RocksDB block cache of a writer (and of `dossier check`), and of a
// reader, which keeps the pages and record fields its search hits show in
// front of it (Impl::hit_pages, Impl::hit_fields): what searches read again
// is mostly found there, decoded, and 48 MiB behind them held much of it
// twice. 32 MiB gives searches the instructions of 48 (16 gave 1.5 % more on
// 10,000 generated documents, and lookups of the graph 5 % more CPU) for
// 16 MB less RSS (docs/BENCHMARKS.md, "Stop 68").
inline constexpr size_t kBlockCacheBytes = size_t{64} << 20;
inline constexpr size_t kReaderBlockCacheBytes = size_t{32} << 20;
// The database options every open uses (with a block cache of
// `block_cache_bytes`), and the column families in the order of
// Store::Impl::handles (default first).
void DatabaseOptions(rocksdb::Options* options, std::vector<rocksdb::ColumnFamilyDescriptor>* descriptors,
                     size_t block_cache_bytes = kBlockCacheBytes);

struct Store::Impl {
  std::string data_dir;
  StoreMode mode = StoreMode::kReadOnly;
  std::unique_ptr<rocksdb::DB> db;
  std::vector<rocksdb::ColumnFamilyHandle*> handles;
  rocksdb::ColumnFamilyHandle* documents = nullptr;
  rocksdb::ColumnFamilyHandle* pages = nullptr;
  rocksdb::ColumnFamilyHandle* sources = nullptr;
  rocksdb::ColumnFamilyHandle* pending = nullptr;
  rocksdb::ColumnFamilyHandle* failed = nullptr;
  rocksdb::ColumnFamilyHandle* facts = nullptr;
  GraphColumns graph;
  std::unique_ptr<TextIndex> index;
  std::string secondary_dir;  // read-only instances keep their own info logs here
  int secondary_lock_fd = -1;  // its lock file, held while the instance lives (reader_folder.h)
  // What the next Flush must finish: id -> the op whose marker it clears.
  std::map<DocumentId, keys::PendingOp> unflushed;
  // Documents the batch being written marks for removal: their index entries
  // are deleted only once that batch is written, so that a failed write
  // leaves the index as it was (the index's writer commits what it holds when
  // it closes).
  std::vector<DocumentId> removals_in_batch;
  // The first write that failed (disk full, I/O error): every later write
  // returns it at once, so nothing more is half-done, and the writer does not
  // flush its memtables when it closes. Repair at the next open finishes the
  // documents whose markers were written.
  Status write_failure;
  // Documents RebuildIndex re-indexed when Open found an older index format.
  uint32_t rebuilt_at_open = 0;
  bool rebuilt_items_only = false;  // ... their item entries only
  // What the repair at open (a writer's) redid, for the ingest report.
  RepairReport repaired_at_open;
  // Read-only: what the last Refresh() saw, and the DataVersion() it gave.
  std::mutex refresh_mutex;
  uint64_t seen_sequence = 0;
  uint64_t seen_revision = 0;
  std::atomic<uint64_t> data_version{1};
  // The fields search hits show of a document (DecodeHitFields), kept
  // across searches by document key for one DataVersion(): decoding the
  // record's JSON was a tenth of a search's instructions, and the same
  // documents come back query after query.
  static constexpr size_t kHitFieldsCacheBytes = size_t{8} << 20;
  mutable ShardedLru<std::shared_ptr<const HitFields>> hit_fields{kHitFieldsCacheBytes, 16};
  // The text of the pages search hits show (their best page, whose snippet
  // is cut from it), kept the same way by page key: a read from RocksDB (its
  // index and data blocks, though cached, sought for each page) was 6-7 % of
  // a search's CPU under load, and the pages that rank well for one query
  // rank well for the next.
  static constexpr size_t kHitPagesCacheBytes = size_t{16} << 20;
  mutable ShardedLru<std::shared_ptr<const PageText>> hit_pages{kHitPagesCacheBytes, 16};

  ~Impl() {
    if (db) {
      // A writer leaves its memtables in SST files, not only in the write-ahead
      // log: every later open (a CLI query, dossierd) would otherwise replay
      // the whole log into memory first (about 4 s and 200 MB for 10,000
      // documents). Nothing is lost if this fails: the log still holds it all.
      if (mode == StoreMode::kReadWrite && write_failure.ok()) {
        rocksdb::FlushOptions flush;
        flush.wait = true;
        db->Flush(flush, handles).PermitUncheckedError();
      }
      for (auto* h : handles) db->DestroyColumnFamilyHandle(h);
      db->Close();
      db.reset();
    }
    if (!secondary_dir.empty()) {
      std::error_code ec;
      std::filesystem::remove_all(secondary_dir, ec);
    }
    if (secondary_lock_fd >= 0) ::close(secondary_lock_fd);
  }

  Status Get(rocksdb::ColumnFamilyHandle* cf, const std::string& key, std::string* value, bool* found) const {
    rocksdb::Status s = db->Get(CheckedReadOptions(), cf, key, value);
    *found = s.ok();
    if (s.IsNotFound()) return Status::Ok();
    return FromRocksRead(data_dir, s);
  }

  Result<std::optional<DocumentSummary>> LoadRecord(const DocumentId& id, uint64_t* text_bytes = nullptr) const {
    std::string value;
    bool found = false;
    DOSSIER_RETURN_IF_ERROR(Get(documents, keys::DocumentKey(id), &value, &found));
    if (!found) return std::optional<DocumentSummary>();
    DocumentSummary summary;
    if (!DecodeDocumentRecord(id, value, &summary, text_bytes)) {
      return Status::DataLoss(data_dir + ": document record " + id.ToHex() + " is damaged");
    }
    return std::optional<DocumentSummary>(std::move(summary));
  }

  // With `graph_change`, the batch and that staged graph change are written
  // together, in one RocksDB write (StagedGraphChange::Commit).
  Status Write(rocksdb::WriteBatch* batch, const std::string& what, StagedGraphChange* graph_change = nullptr) {
    std::vector<DocumentId> removals;
    removals.swap(removals_in_batch);
    if (graph_change != nullptr) {
      DOSSIER_RETURN_IF_ERROR(graph_change->Commit(batch, what));
    } else {
      DOSSIER_RETURN_IF_ERROR(FromRocksWrite(data_dir, what, db->Write(rocksdb::WriteOptions(), batch)));
    }
    for (const DocumentId& id : removals) {
      DOSSIER_RETURN_IF_ERROR(index->DeleteDocument(id));
      unflushed[id] = keys::PendingOp::kRemove;
    }
    return Status::Ok();
  }

  // Runs one write method's `body`, unless an earlier write failed; remembers
  // a write failure it meets.
  template <typename Body>
  Status Guarded(Body&& body) {
    if (!write_failure.ok()) return write_failure;
    removals_in_batch.clear();
    Status status = body();
    if (IsDataFolderWriteFailure(status)) write_failure = status;
    return status;
  }

  // Adds to `batch` what takes `path` away from document `owner`: its
  // record loses the path, and a document left with no paths is marked for
  // removal (queued for the index).
  Status DetachPath(rocksdb::WriteBatch* batch, const std::string& path, const DocumentId& owner) {
    uint64_t text_bytes = 0;
    DOSSIER_ASSIGN_OR_RETURN(std::optional<DocumentSummary> record, LoadRecord(owner, &text_bytes));
    if (!record) return Status::Ok();
    std::erase_if(record->sources, [&](const SourceFile& s) { return s.path == path; });
    if (record->sources.empty()) return MarkRemoval(batch, owner);
    batch->Put(documents, keys::DocumentKey(owner), EncodeDocumentRecord(*record, text_bytes));
    return Status::Ok();
  }

  // The index entry goes when `batch` is written (Write).
  Status MarkRemoval(rocksdb::WriteBatch* batch, const DocumentId& id) {
    batch->Put(pending, keys::PendingKey(id), keys::EncodePendingValue(keys::PendingOp::kRemove));
    removals_in_batch.push_back(id);
    return Status::Ok();
  }
};

// What the graph and the index are made from, read back from the store:
// the record's fields they read, the pages, the facts (without the
// structure fact, as PutDocument passes them) and the extractors; without
// the pages for what needs only the facts (the item entries).
Result<Document> ForIndex(const Store& store, const Store::Impl& s, const DocumentId& id,
                          const DocumentSummary& record, bool with_pages = true);
// "pdf 0.1.0, entities 0.2.0": how graph evidence names a document's extractors.
std::string JoinedExtractors(const std::vector<std::string>& extractors);

}  // namespace dossier
