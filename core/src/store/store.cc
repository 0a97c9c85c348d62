// Store: RocksDB (the truth) plus the Xapian index, with the pending-marker
// protocol that keeps them consistent across crashes (see store.h).
#include "dossier/store.h"

#include <rocksdb/cache.h>
#include <rocksdb/db.h>
#include <rocksdb/filter_policy.h>
#include <rocksdb/table.h>
#include <rocksdb/options.h>
#include <rocksdb/utilities/options_util.h>
#include <rocksdb/write_batch.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdlib.h>
#include <sys/time.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <thread>

#include "dossier/env.h"
#include "dossier/facts.h"
#include "dossier/keys.h"
#include "dossier/paths.h"
#include "document_record.h"
#include "near_duplicates.h"
#include "reader_folder.h"
#include "store_impl.h"

namespace dossier {

namespace fs = std::filesystem;
using nlohmann::json;

Status FromRocks(const std::string& context, const rocksdb::Status& s) {
  if (s.ok()) return Status::Ok();
  std::string msg = context + ": " + s.ToString();
  if (s.IsIOError() && s.ToString().find("lock") != std::string::npos) {
    return Status::Unavailable(context + ": in use by another dossier process (" + s.ToString() + ")");
  }
  if (s.IsNotFound()) return Status::NotFound(msg);
  if (s.IsCorruption() || s.IsPathNotFound()) return DamagedDataFolder(context, s.ToString());
  if (s.IsInvalidArgument()) return Status::InvalidArgument(msg);
  if (s.IsBusy() || s.IsTryAgain()) return Status::Unavailable(msg);
  return Status::Internal(msg);
}

// A read's status: "not found" stays itself; any other failure is damage
// (kDataLoss), never an empty answer given as a success.
Status FromRocksRead(const std::string& data_dir, const rocksdb::Status& s) {
  if (s.ok()) return Status::Ok();
  if (s.IsNotFound()) return Status::NotFound(data_dir + ": " + s.ToString());
  return DamagedDataFolder(data_dir, s.ToString());
}

namespace {

// The cheap open-time check: every SST file the database lists is there with
// the size it lists. That catches deleted and truncated files, which RocksDB
// itself would only meet when a read reaches them (or never: a read-write
// open does not open every table file). It stats the files and reads none of
// them, so it costs about a millisecond however large the store is; checksums
// are checked by every read instead (CheckedReadOptions).
Status CheckLiveFiles(rocksdb::DB* db, const std::string& data_dir) {
  std::vector<rocksdb::LiveFileMetaData> files;
  db->GetLiveFilesMetaData(&files);
  for (const rocksdb::LiveFileMetaData& file : files) {
    const fs::path path = fs::path(file.db_path) / fs::path(file.name).relative_path();
    std::error_code ec;
    const uintmax_t size = fs::file_size(path, ec);
    if (ec) return DamagedDataFolder(data_dir, path.string() + ": " + ec.message());
    if (size != file.size) {
      return DamagedDataFolder(data_dir, path.string() + ": " + std::to_string(size) + " bytes, the database lists " +
                                             std::to_string(file.size) + " (truncated or overwritten)");
    }
  }
  return Status::Ok();
}

// RocksDB's info log (rocksdb/LOG) for the writer, written with plain
// write(2). RocksDB's own file logger aborts the process (an assertion in its
// file writer) when it logs again after a failed write, which a full disk
// causes in the middle of a flush: this one stops logging after its first
// failed write instead, so a full disk is an error, not an abort. The
// previous run's log is kept as LOG.old.
class InfoLog : public rocksdb::Logger {
 public:
  explicit InfoLog(const std::string& rocks_path) : rocksdb::Logger(rocksdb::InfoLogLevel::INFO_LEVEL) {
    const std::string path = rocks_path + "/LOG";
    std::error_code ec;
    fs::rename(path, path + ".old", ec);  // absent on a first open
    fd_ = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_APPEND | O_CLOEXEC, 0644);
  }
  ~InfoLog() override {
    if (fd_ >= 0) ::close(fd_);
  }
  using rocksdb::Logger::Logv;
  void Logv(const char* format, va_list ap) override {
    std::lock_guard<std::mutex> lock(mutex_);
    if (fd_ < 0) return;
    char line[4096];
    struct timeval now {};
    ::gettimeofday(&now, nullptr);
    struct tm t {};
    ::localtime_r(&now.tv_sec, &t);
    int n = std::snprintf(line, sizeof line, "%04d/%02d/%02d-%02d:%02d:%02d.%06ld ", t.tm_year + 1900, t.tm_mon + 1,
                          t.tm_mday, t.tm_hour, t.tm_min, t.tm_sec, static_cast<long>(now.tv_usec));
    va_list copy;
    va_copy(copy, ap);
    const int body = std::vsnprintf(line + n, sizeof line - n - 1, format, copy);
    va_end(copy);
    n = body < 0 ? n : std::min<int>(n + body, sizeof line - 2);
    if (line[n - 1] != '\n') line[n++] = '\n';
    if (::write(fd_, line, n) != n) {  // disk full (or any error): stop logging, keep running
      ::close(fd_);
      fd_ = -1;
    }
  }

 private:
  std::mutex mutex_;
  int fd_ = -1;
};

// The open-time check of a reader. A secondary instance recovers "to the
// latest point in time whose files all exist": with a table file deleted or
// truncated it silently shows an older state (a column family empty) instead
// of failing, and lists no missing file. A read-only open recovers as a writer
// does and fails on such a file ("file is too short", "No such file"), so
// readers make one first, when no writer runs (a writer checked the folder
// when it opened it, and its WAL would make this open slow). It opens every
// table file's footer and index, without reading data blocks.
Status CheckAsReadOnly(const rocksdb::Options& options, const std::string& rocks_path, const std::string& data_dir,
                       const std::vector<rocksdb::ColumnFamilyDescriptor>& descriptors) {
  if (WriterActive(rocks_path)) return Status::Ok();
  std::vector<rocksdb::ColumnFamilyHandle*> handles;
  rocksdb::DB* raw = nullptr;
  rocksdb::Status s = rocksdb::DB::OpenForReadOnly(options, rocks_path, descriptors, &handles, &raw);
  if (raw != nullptr) {
    for (auto* h : handles) raw->DestroyColumnFamilyHandle(h);
    raw->Close().PermitUncheckedError();
    delete raw;
  }
  // A writer that started meanwhile may have deleted files this open was
  // reading; it checked the folder when it opened it.
  if (!s.ok() && WriterActive(rocks_path)) return Status::Ok();
  return FromRocks(data_dir, s);
}

}  // namespace

Result<Document> ForIndex(const Store& store, const Store::Impl& s, const DocumentId& id,
                          const DocumentSummary& record, bool with_pages) {
  Document doc;
  doc.id = id;
  doc.mime_type = record.mime_type;
  doc.title = record.title;
  doc.language = record.language;
  doc.metadata = record.metadata;
  if (with_pages) {
    DOSSIER_ASSIGN_OR_RETURN(doc.pages, store.GetPages(id));
  }
  std::string value;
  bool found = false;
  DOSSIER_RETURN_IF_ERROR(s.Get(s.facts, keys::DocumentKey(id), &value, &found));
  if (!found) return doc;
  json stored = json::parse(value, nullptr, /*allow_exceptions=*/false);
  if (!stored.is_object() || !stored.contains("facts") || !stored["facts"].is_array()) {
    return Status::DataLoss(store.data_dir() + ": the facts of " + id.ToHex() + " are damaged");
  }
  if (stored.contains("extractors") && stored["extractors"].is_array()) {
    for (const json& e : stored["extractors"]) {
      if (e.is_string()) doc.extractors.push_back(e.get<std::string>());
    }
  }
  for (const json& fact : stored["facts"]) doc.facts.push_back(fact.dump());
  return doc;
}

std::string JoinedExtractors(const std::vector<std::string>& extractors) {
  std::string joined;
  for (const std::string& e : extractors) joined += (joined.empty() ? "" : ", ") + e;
  return joined;
}

// True when another process (a writer) holds the database's lock: RocksDB
// takes an fcntl write lock on rocksdb/LOCK, which F_GETLK reports.
bool WriterActive(const std::string& rocks_path) {
  const int fd = ::open((rocks_path + "/LOCK").c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return false;
  struct flock lock {};
  lock.l_type = F_WRLCK;
  lock.l_whence = SEEK_SET;
  const bool held = ::fcntl(fd, F_GETLK, &lock) == 0 && lock.l_type != F_UNLCK;
  ::close(fd);
  return held;
}

bool IsDataFolderWriteFailure(const Status& status) {
  return (status.code() == StatusCode::kResourceExhausted || status.code() == StatusCode::kUnavailable) &&
         status.message().find(": cannot write to the data folder: ") != std::string::npos;
}

Store::Store(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Store::~Store() = default;

const std::string& Store::data_dir() const { return impl_->data_dir; }

void DatabaseOptions(rocksdb::Options* options_out, std::vector<rocksdb::ColumnFamilyDescriptor>* descriptors_out,
                     size_t block_cache_bytes) {
  rocksdb::Options options;
  std::vector<rocksdb::ColumnFamilyDescriptor> descriptors;
  std::vector<std::string> cf_names = {rocksdb::kDefaultColumnFamilyName, std::string(keys::kDocumentsCf),
                                       std::string(keys::kPagesCf),       std::string(keys::kSourcesCf),
                                       std::string(keys::kPendingCf),     std::string(keys::kFailedCf),
                                       std::string(keys::kFactsCf),       std::string(keys::kNodesCf),
                                       std::string(keys::kEdgesCf),       std::string(keys::kEdgesInCf),
                                       std::string(keys::kDocEdgesCf),    std::string(keys::kAliasesCf),
                                       std::string(keys::kNearDuplicatesCf)};
  // RocksDB's own checks (its default, set so it cannot be lost): a damaged
  // file or log met at open or by a background job is an error, not skipped.
  options.paranoid_checks = true;
  rocksdb::ColumnFamilyOptions cf_options;
  // Page text compresses well: LZ4 where data is young and rewritten soon,
  // ZSTD in the last level, where most of it settles and is only read
  // (docs/BENCHMARKS.md, "Storage": 103 -> 78 MiB at 10,000 documents,
  // reads within the machine's noise, 0-5 % more CPU an item query).
  cf_options.compression = rocksdb::kLZ4Compression;
  cf_options.bottommost_compression = rocksdb::kZSTD;
  // Point lookups (a document, a page, a node) dominate reads: a Bloom filter
  // per SST file skips the files without the key; one block cache serves every
  // column family.
  rocksdb::BlockBasedTableOptions table_options;
  table_options.filter_policy.reset(rocksdb::NewBloomFilterPolicy(10));
  table_options.block_cache = rocksdb::NewLRUCache(block_cache_bytes);
  cf_options.table_factory.reset(rocksdb::NewBlockBasedTableFactory(table_options));
  for (const auto& name : cf_names) descriptors.emplace_back(name, cf_options);
  *options_out = options;
  *descriptors_out = std::move(descriptors);
}

Result<std::unique_ptr<Store>> Store::Open(const std::string& data_dir, StoreMode mode) {
  return Open(data_dir, mode, std::nullopt);
}

Result<std::unique_ptr<Store>> Store::Open(const std::string& data_dir, StoreMode mode,
                                           const std::optional<RemoteIndex>& remote_index) {
  if (remote_index && mode == StoreMode::kReadWrite) {
    return Status::InvalidArgument("--remote-index: the shards are searched, not written: a writer needs the local index");
  }
  auto impl = std::make_unique<Impl>();
  impl->data_dir = data_dir;
  impl->mode = mode;
  const std::string rocks_path = (fs::path(data_dir) / "rocksdb").string();
  const std::string xapian_path = (fs::path(data_dir) / "xapian").string();
  std::error_code ec;

  rocksdb::Options options;
  std::vector<rocksdb::ColumnFamilyDescriptor> descriptors;
  DatabaseOptions(&options, &descriptors, mode == StoreMode::kReadOnly ? kReaderBlockCacheBytes : kBlockCacheBytes);
  std::vector<rocksdb::ColumnFamilyHandle*> handles;
  rocksdb::DB* raw = nullptr;

  if (mode == StoreMode::kReadWrite) {
    fs::create_directories(rocks_path, ec);
    if (ec) return Status::PermissionDenied(data_dir + ": cannot create data folder: " + ec.message());
    options.create_if_missing = true;
    options.create_missing_column_families = true;
    options.keep_log_file_num = 3;
    options.IncreaseParallelism(2);
    options.info_log = std::make_shared<InfoLog>(rocks_path);
    rocksdb::Status s = rocksdb::DB::Open(options, rocks_path, descriptors, &handles, &raw);
    if (!s.ok()) {
      Status failed = FromRocksWrite(data_dir, "opening the database", s);
      return failed.code() == StatusCode::kResourceExhausted ? failed : FromRocks(data_dir, s);
    }
  } else {
    if (!fs::exists(fs::path(rocks_path) / "CURRENT")) {
      return Status::NotFound(data_dir + ": no Dossier data here (run `dossier ingest` first, or pass --data DIR)");
    }
    DOSSIER_ASSIGN_OR_RETURN(ReaderFolder secondary, MakeReaderFolder());
    impl->secondary_dir = std::move(secondary.path);
    impl->secondary_lock_fd = secondary.lock_fd;
    options.max_open_files = -1;  // required by secondary instances
    // Each catch-up with the writer (Refresh, every second in dossierd)
    // loads the table handlers of every column family on this many threads,
    // started and joined there and then, changed or not: 16 (the default)
    // made dossierd start about 150 threads a second while idle.
    options.max_file_opening_threads = 1;
    // A data folder no writer of this version has opened lacks the newer
    // column families (near_duplicates): read it without them.
    std::vector<std::string> existing;
    if (rocksdb::DB::ListColumnFamilies(options, rocks_path, &existing).ok() &&
        std::find(existing.begin(), existing.end(), keys::kNearDuplicatesCf) == existing.end()) {
      descriptors.pop_back();  // near_duplicates, the last
    }
    DOSSIER_RETURN_IF_ERROR(CheckAsReadOnly(options, rocks_path, data_dir, descriptors));
    rocksdb::Status s = rocksdb::DB::OpenAsSecondary(options, rocks_path, impl->secondary_dir, descriptors, &handles, &raw);
    if (!s.ok()) return FromRocks(data_dir, s);
  }
  impl->db.reset(raw);
  impl->handles = handles;
  impl->documents = handles[1];
  impl->pages = handles[2];
  impl->sources = handles[3];
  impl->pending = handles[4];
  impl->failed = handles[5];
  impl->facts = handles[6];
  impl->graph = {impl->db.get(), handles[7], handles[8], handles[9], handles[10], handles[11], data_dir};
  impl->graph.near_duplicates = handles.size() > 12 ? handles[12] : nullptr;
  impl->graph.facts = impl->facts;

  // Every command that opens the stores checks them: a deleted or truncated
  // file must be an error here, not an empty answer later.
  if (Status files = CheckLiveFiles(impl->db.get(), data_dir); !files.ok()) {
    // A reader's view may lag: a writer compacting meanwhile deletes files the
    // reader still lists, and goes on doing so while it runs (bench/soak.sh
    // met `dossier export` failing so during an ingest). Catch up and look
    // again: twice when no writer runs, for up to about 2 s while one does,
    // before calling it damage.
    if (mode == StoreMode::kReadWrite) return files;
    for (int attempt = 1; !files.ok(); ++attempt) {
      const bool writer = WriterActive(rocks_path);
      if (attempt > (writer ? 40 : 2)) return files;
      if (attempt > 1) std::this_thread::sleep_for(std::chrono::milliseconds(50));
      if (!impl->db->TryCatchUpWithPrimary().ok() && !writer) return files;
      files = CheckLiveFiles(impl->db.get(), data_dir);
    }
  }

  // The schema version makes every future layout change an explicit migration.
  std::string version_value;
  bool found = false;
  DOSSIER_RETURN_IF_ERROR(impl->Get(handles[0], std::string(keys::kSchemaVersionKey), &version_value, &found));
  if (found) {
    std::optional<uint32_t> version = keys::DecodeSchemaVersion(version_value);
    if (!version || *version != keys::kSchemaVersion) {
      return Status::FailedPrecondition(data_dir + ": data folder has schema version " +
                                        (version ? std::to_string(*version) : "(damaged)") + ", this build reads " +
                                        std::to_string(keys::kSchemaVersion));
    }
  } else if (mode == StoreMode::kReadWrite) {
    rocksdb::Status s = impl->db->Put(rocksdb::WriteOptions(), handles[0], std::string(keys::kSchemaVersionKey),
                                      keys::EncodeSchemaVersion(keys::kSchemaVersion));
    DOSSIER_RETURN_IF_ERROR(FromRocksWrite(data_dir, "writing the schema version", s));
  }

  if (remote_index) {
    // The page index on the shards; the item index stays the folder's own
    // (and its page index, when it has one, chooses the hits' best pages).
    DOSSIER_ASSIGN_OR_RETURN(impl->index, TextIndex::OpenRemote(xapian_path, *remote_index));
  } else {
    DOSSIER_ASSIGN_OR_RETURN(impl->index, TextIndex::Open(xapian_path, mode == StoreMode::kReadWrite
                                                                          ? TextIndex::Mode::kWritable
                                                                          : TextIndex::Mode::kReadOnly));
  }
  if (mode == StoreMode::kReadOnly) {
    // What Refresh() compares against: the version changes only when a commit lands after this.
    impl->seen_sequence = impl->db->GetLatestSequenceNumber();
    impl->seen_revision = impl->index->Revision();
  }
  std::unique_ptr<Store> store(new Store(std::move(impl)));
  if (mode == StoreMode::kReadWrite) {
    Result<RepairReport> repaired = store->Repair();
    if (!repaired.ok()) return repaired.status();
    store->impl_->repaired_at_open = *repaired;
    DOSSIER_ASSIGN_OR_RETURN(const uint32_t near_duplicates, ReadNearDuplicatesVersion(store->impl_->graph));
    if (near_duplicates < keys::kNearDuplicatesVersion) DOSSIER_RETURN_IF_ERROR(store->RelinkNearDuplicates());
    if (const uint32_t format = store->impl_->index->TextFormat(); format < TextIndex::kTextFormat) {
      // Pages analysed as now: only the item entries are made again.
      store->impl_->rebuilt_items_only = format >= TextIndex::kPageTextFormat;
      DOSSIER_ASSIGN_OR_RETURN(store->impl_->rebuilt_at_open, store->RebuildIndex(store->impl_->rebuilt_items_only));
    }
  }
  return store;
}

Status Store::PutDocument(const Document& document) { return PutDocumentFrom(document, nullptr, false); }

Status Store::CopyDocumentFrom(const Store& source, const DocumentId& id, const std::vector<SourceFile>& sources,
                               bool index_holds_it) {
  DOSSIER_ASSIGN_OR_RETURN(std::optional<Document> document, source.ReadDocument(id));
  if (!document) return Status::NotFound(source.data_dir() + ": no document " + id.ToHex());
  document->sources = sources;
  return PutDocumentFrom(*document, &source, index_holds_it);
}

Result<std::set<std::string>> Store::MergeIndexesOf(const std::vector<const Store*>& shards,
                                                    const std::vector<DocumentId>& drop) {
  std::set<std::string> held;
  DOSSIER_RETURN_IF_ERROR(impl_->Guarded([&]() -> Status {
    DOSSIER_ASSIGN_OR_RETURN(uint64_t documents, CountDocuments());
    if (documents != 0) return Status::FailedPrecondition(impl_->data_dir + ": merging indexes needs a folder without documents");
    std::vector<std::string> indexes;
    for (const Store* shard : shards) {
      if (shard->impl_->index->TextFormat() != TextIndex::kTextFormat) {
        return Status::FailedPrecondition(shard->data_dir() + ": its search index was made by another version's text "
                                          "analysis (a writer's open of the shard makes it again)");
      }
      indexes.push_back((std::filesystem::path(shard->data_dir()) / "xapian").string());
    }
    DOSSIER_RETURN_IF_ERROR(impl_->index->ReplaceWithMergeOf(indexes, drop));
    DOSSIER_ASSIGN_OR_RETURN(std::vector<std::string> entries, impl_->index->ListEntries());
    held.insert(entries.begin(), entries.end());
    return Status::Ok();
  }));
  return held;
}

Result<uint64_t> Store::DropIndexEntriesWithoutDocuments() {
  uint64_t dropped = 0;
  DOSSIER_RETURN_IF_ERROR(impl_->Guarded([&]() -> Status {
    DOSSIER_ASSIGN_OR_RETURN(std::vector<std::string> entries, impl_->index->ListEntries());
    for (const std::string& hex : entries) {
      Result<DocumentId> id = DocumentId::FromHex(hex);
      if (!id.ok()) continue;
      DOSSIER_ASSIGN_OR_RETURN(std::optional<DocumentSummary> record, impl_->LoadRecord(*id));
      if (record) continue;
      DOSSIER_RETURN_IF_ERROR(impl_->index->DeleteDocument(*id));
      ++dropped;
    }
    return dropped > 0 ? impl_->index->Commit() : Status::Ok();
  }));
  return dropped;
}

Status Store::PutDocumentFrom(const Document& document, const Store* copy_from, bool index_holds_it) {
  return impl_->Guarded([&]() -> Status {
    Impl& s = *impl_;
    rocksdb::WriteBatch batch;
    DocumentSummary summary = Summarise(document);
    // A previous version with the same id keeps its other paths.
    DOSSIER_ASSIGN_OR_RETURN(std::optional<DocumentSummary> previous, s.LoadRecord(document.id));
    if (previous) {
      for (const SourceFile& old : previous->sources) {
        bool kept = std::any_of(summary.sources.begin(), summary.sources.end(),
                                [&](const SourceFile& n) { return n.path == old.path; });
        if (!kept) summary.sources.push_back(old);
      }
      std::sort(summary.sources.begin(), summary.sources.end(),
                [](const SourceFile& a, const SourceFile& b) { return a.path < b.path; });
      const std::string prefix = keys::PagePrefix(document.id);
      batch.DeleteRange(s.pages, prefix, keys::PrefixEnd(prefix));
    }
    // Paths that belonged to another document (the file changed) move here.
    for (const SourceFile& source : document.sources) {
      DOSSIER_ASSIGN_OR_RETURN(std::optional<SourceEntry> owner, LookupSource(source.path));
      if (owner && owner->id != document.id) DOSSIER_RETURN_IF_ERROR(s.DetachPath(&batch, source.path, owner->id));
    }
    uint64_t text_bytes = 0;
    for (const PageText& page : document.pages) {
      batch.Put(s.pages, keys::PageKey(document.id, page.number), keys::EncodePageValue(page));
      text_bytes += page.text.size();
    }
    for (const SourceFile& source : summary.sources) {
      batch.Put(s.sources, keys::SourceKey(source.path), keys::EncodeSourceValue(document.id, source.size, source.mtime_ns));
    }
    batch.Put(s.documents, keys::DocumentKey(document.id), EncodeDocumentRecord(summary, text_bytes));
    // The document and its graph are written in one batch at the end: the
    // record's batch (above, and the pending marker below) with the graph
    // change's. Its facts are staged with the graph, whose steps read them.
    StagedGraphChange graph_change(s.graph);
    rocksdb::WriteBatch facts_batch;
    json facts = {{"extractors", document.extractors}, {"facts", json::array()}};
    // The "structure" fact, kept under a key of its own: large, and read only by show --structure.
    std::optional<StructureFact> structure;
    std::vector<Fact> typed;  // the facts the graph and the index read
    for (const std::string& fact : document.facts) {
      json parsed = json::parse(fact, nullptr, /*allow_exceptions=*/false);
      if (parsed.is_discarded()) continue;
      Result<Fact> decoded = DecodeFactJson(parsed);
      if (decoded.ok() && std::holds_alternative<StructureFact>(*decoded)) {
        structure = std::get<StructureFact>(std::move(decoded).value());
        continue;
      }
      if (decoded.ok()) typed.push_back(std::move(decoded).value());
      facts["facts"].push_back(std::move(parsed));  // as the extractor sent it; other kinds are kept too
    }
    facts_batch.Put(s.facts, keys::DocumentKey(document.id), facts.dump());
    if (structure) {
      facts_batch.Put(s.facts, keys::DocumentStructureKey(document.id), EncodeFact(*structure));
    } else {
      facts_batch.Delete(s.facts, keys::DocumentStructureKey(document.id));
    }
    DOSSIER_RETURN_IF_ERROR(FromRocksWrite(s.data_dir, "storing the facts of " + document.id.ToHex(),
                                           GraphWrite(graph_change.graph(), &facts_batch)));
    // The index is derived from what this write stores; the pending marker
    // makes Repair redo it (and the graph) if the process dies before the
    // index commit.
    batch.Put(s.pending, keys::PendingKey(document.id), keys::EncodePendingValue(keys::PendingOp::kIndex));
    DOSSIER_RETURN_IF_ERROR(ApplyDocumentGraph(graph_change.graph(), document.id, document.title, typed,
                                               JoinedExtractors(document.extractors)));
    std::optional<NearDuplicateSignature> signature;
    if (copy_from != nullptr) {
      const GraphColumns& from = copy_from->impl_->graph;
      DOSSIER_ASSIGN_OR_RETURN(const uint32_t version, ReadNearDuplicatesVersion(from));
      if (version == keys::kNearDuplicatesVersion) {
        DOSSIER_ASSIGN_OR_RETURN(signature, ReadNearDuplicateSignature(from, document.id));
      }
    }
    if (!signature) signature = ComputeNearDuplicateSignature(document.pages);
    DOSSIER_RETURN_IF_ERROR(LinkNearDuplicates(graph_change.graph(), document.id, *signature));
    DOSSIER_RETURN_IF_ERROR(s.Write(&batch, "storing " + document.id.ToHex(), &graph_change));
    s.unflushed[document.id] = keys::PendingOp::kIndex;
    if (index_holds_it) return Status::Ok();
    return s.index->ReplaceDocument(document, typed);
  });
}

Status Store::AddSource(const DocumentId& id, const SourceFile& source) {
  return impl_->Guarded([&]() -> Status {
    Impl& s = *impl_;
    uint64_t text_bytes = 0;
    DOSSIER_ASSIGN_OR_RETURN(std::optional<DocumentSummary> record, s.LoadRecord(id, &text_bytes));
    if (!record) return Status::NotFound(s.data_dir + ": no document " + id.ToHex());
    rocksdb::WriteBatch batch;
    DOSSIER_ASSIGN_OR_RETURN(std::optional<SourceEntry> owner, LookupSource(source.path));
    if (owner && owner->id != id) DOSSIER_RETURN_IF_ERROR(s.DetachPath(&batch, source.path, owner->id));
    std::erase_if(record->sources, [&](const SourceFile& f) { return f.path == source.path; });
    record->sources.push_back(source);
    std::sort(record->sources.begin(), record->sources.end(),
              [](const SourceFile& a, const SourceFile& b) { return a.path < b.path; });
    batch.Put(s.documents, keys::DocumentKey(id), EncodeDocumentRecord(*record, text_bytes));
    batch.Put(s.sources, keys::SourceKey(source.path), keys::EncodeSourceValue(id, source.size, source.mtime_ns));
    return s.Write(&batch, "adding path " + source.path);
  });
}

Status Store::DetachSource(std::string_view path) {
  return impl_->Guarded([&]() -> Status {
    Impl& s = *impl_;
    DOSSIER_ASSIGN_OR_RETURN(std::optional<SourceEntry> owner, LookupSource(path));
    if (!owner) return Status::Ok();
    rocksdb::WriteBatch batch;
    batch.Delete(s.sources, keys::SourceKey(path));
    DOSSIER_RETURN_IF_ERROR(s.DetachPath(&batch, std::string(path), owner->id));
    return s.Write(&batch, "detaching path " + std::string(path));
  });
}

Status Store::RemoveDocument(const DocumentId& id) {
  return impl_->Guarded([&]() -> Status {
    Impl& s = *impl_;
    DOSSIER_ASSIGN_OR_RETURN(std::optional<DocumentSummary> record, s.LoadRecord(id));
    if (!record) return Status::NotFound(s.data_dir + ": no document " + id.ToHex());
    rocksdb::WriteBatch batch;
    DOSSIER_RETURN_IF_ERROR(s.MarkRemoval(&batch, id));
    return s.Write(&batch, "removing " + id.ToHex());
  });
}

Status Store::Flush() {
  return impl_->Guarded([&]() -> Status {
    Impl& s = *impl_;
    if (s.unflushed.empty()) return Status::Ok();
    DOSSIER_RETURN_IF_ERROR(s.index->Commit());
    // Xapian now holds exactly what RocksDB says: clear the markers, and drop
    // the RocksDB side of finished removals, records and graph in one write.
    rocksdb::WriteBatch batch;
    StagedGraphChange graph_change(s.graph);
    for (const auto& [id, op] : s.unflushed) {
      batch.Delete(s.pending, keys::PendingKey(id));
      if (op != keys::PendingOp::kRemove) continue;
      DOSSIER_RETURN_IF_ERROR(RemoveDocumentGraph(graph_change.graph(), id));
      DOSSIER_ASSIGN_OR_RETURN(std::optional<DocumentSummary> record, s.LoadRecord(id));
      if (record) {
        for (const SourceFile& source : record->sources) {
          DOSSIER_ASSIGN_OR_RETURN(std::optional<SourceEntry> owner, LookupSource(source.path));
          if (owner && owner->id == id) batch.Delete(s.sources, keys::SourceKey(source.path));
        }
      }
      batch.Delete(s.documents, keys::DocumentKey(id));
      batch.Delete(s.facts, keys::DocumentKey(id));
      batch.Delete(s.facts, keys::DocumentStructureKey(id));
      const std::string prefix = keys::PagePrefix(id);
      batch.DeleteRange(s.pages, prefix, keys::PrefixEnd(prefix));
    }
    DOSSIER_RETURN_IF_ERROR(s.Write(&batch, "finishing index commit", &graph_change));
    s.unflushed.clear();
    return Status::Ok();
  });
}

Status Store::RecordFailure(std::string_view path, uint64_t size, int64_t mtime_ns, std::string_view reason) {
  return impl_->Guarded([&]() -> Status {
    json j = {{"size", size}, {"mtime_ns", mtime_ns}, {"reason", std::string(reason)},
              {"at_ms", Env::Default()->NowMs()}};
    return FromRocksWrite(impl_->data_dir, "recording the failure of " + std::string(path),
                          impl_->db->Put(rocksdb::WriteOptions(), impl_->failed, keys::SourceKey(path), j.dump()));
  });
}

Status Store::ClearFailure(std::string_view path) {
  return impl_->Guarded([&]() -> Status {
    return FromRocksWrite(impl_->data_dir, "clearing the failure of " + std::string(path),
                          impl_->db->Delete(rocksdb::WriteOptions(), impl_->failed, keys::SourceKey(path)));
  });
}

Result<RepairReport> Store::Repair() {
  RepairReport report;
  DOSSIER_RETURN_IF_ERROR(impl_->Guarded([&]() -> Status {
    DOSSIER_ASSIGN_OR_RETURN(report, RepairUnguarded());
    return Status::Ok();
  }));
  return report;
}

Result<RepairReport> Store::RepairUnguarded() {
  Impl& s = *impl_;
  RepairReport report;
  std::vector<std::pair<DocumentId, keys::PendingOp>> work;
  {
    std::unique_ptr<rocksdb::Iterator> it(s.db->NewIterator(CheckedReadOptions(), s.pending));
    for (it->SeekToFirst(); it->Valid(); it->Next()) {
      std::optional<DocumentId> id = keys::ParseDocumentKey(it->key().ToStringView());
      std::optional<keys::PendingOp> op = keys::DecodePendingValue(it->value().ToStringView());
      if (id && op) work.emplace_back(*id, *op);
    }
    DOSSIER_RETURN_IF_ERROR(FromRocksRead(s.data_dir, it->status()));
  }
  for (const auto& [id, op] : work) {
    DOSSIER_ASSIGN_OR_RETURN(std::optional<DocumentSummary> record, s.LoadRecord(id));
    if (op == keys::PendingOp::kIndex && record) {
      DOSSIER_ASSIGN_OR_RETURN(Document doc, ForIndex(*this, *impl_, id, *record));
      const std::vector<Fact> typed = DecodeFacts(doc.facts);
      // The evidence names the extractors the facts came from, as when the
      // document was stored.
      StagedGraphChange graph_change(s.graph);
      DOSSIER_RETURN_IF_ERROR(
          ApplyDocumentGraph(graph_change.graph(), id, doc.title, typed, JoinedExtractors(doc.extractors)));
      DOSSIER_RETURN_IF_ERROR(LinkNearDuplicates(graph_change.graph(), id, ComputeNearDuplicateSignature(doc.pages)));
      DOSSIER_RETURN_IF_ERROR(graph_change.Commit());
      DOSSIER_RETURN_IF_ERROR(s.index->ReplaceDocument(doc, typed));
      s.unflushed[id] = keys::PendingOp::kIndex;
      ++report.reindexed;
    } else {
      DOSSIER_RETURN_IF_ERROR(s.index->DeleteDocument(id));
      s.unflushed[id] = keys::PendingOp::kRemove;
      ++report.removed;
    }
  }
  DOSSIER_RETURN_IF_ERROR(Flush());
  return report;
}

Result<uint32_t> Store::RebuildIndex(bool items_only) {
  uint32_t done = 0;
  DOSSIER_RETURN_IF_ERROR(impl_->Guarded([&]() -> Status {
    DOSSIER_ASSIGN_OR_RETURN(done, RebuildIndexUnguarded(items_only));
    return Status::Ok();
  }));
  return done;
}

Result<uint32_t> Store::RebuildIndexUnguarded(bool items_only) {
  Impl& s = *impl_;
  DOSSIER_RETURN_IF_ERROR(Flush());
  std::vector<DocumentId> ids;
  {
    std::unique_ptr<rocksdb::Iterator> it(s.db->NewIterator(CheckedReadOptions(), s.documents));
    for (it->SeekToFirst(); it->Valid(); it->Next()) {
      if (std::optional<DocumentId> id = keys::ParseDocumentKey(it->key().ToStringView())) ids.push_back(*id);
    }
    DOSSIER_RETURN_IF_ERROR(FromRocksRead(s.data_dir, it->status()));
  }
  uint32_t done = 0;
  for (const DocumentId& id : ids) {
    DOSSIER_ASSIGN_OR_RETURN(std::optional<DocumentSummary> record, s.LoadRecord(id));
    if (!record) continue;
    DOSSIER_ASSIGN_OR_RETURN(Document doc, ForIndex(*this, *impl_, id, *record, /*with_pages=*/!items_only));
    if (items_only) {
      DOSSIER_RETURN_IF_ERROR(s.index->ReplaceItems(doc, DecodeFacts(doc.facts)));
    } else {
      DOSSIER_RETURN_IF_ERROR(s.index->ReplaceDocument(doc, DecodeFacts(doc.facts)));
    }
    if (++done % 64 == 0) DOSSIER_RETURN_IF_ERROR(s.index->Commit());
  }
  // Recorded with the last entries: a run that dies before this starts over.
  DOSSIER_RETURN_IF_ERROR(s.index->SetTextFormat());
  DOSSIER_RETURN_IF_ERROR(s.index->Commit());
  return done;
}

uint32_t Store::IndexRebuiltAtOpen() const { return impl_->rebuilt_at_open; }

bool Store::ItemsOnlyRebuiltAtOpen() const { return impl_->rebuilt_items_only && impl_->rebuilt_at_open > 0; }

Status Store::RelinkNearDuplicates() {
  Impl& s = *impl_;
  std::vector<DocumentId> ids;
  {
    std::unique_ptr<rocksdb::Iterator> it(s.db->NewIterator(CheckedReadOptions(), s.documents));
    for (it->SeekToFirst(); it->Valid(); it->Next()) {
      if (std::optional<DocumentId> id = keys::ParseDocumentKey(it->key().ToStringView())) ids.push_back(*id);
    }
    DOSSIER_RETURN_IF_ERROR(FromRocksRead(s.data_dir, it->status()));
  }
  for (const DocumentId& id : ids) {
    DOSSIER_ASSIGN_OR_RETURN(std::vector<PageText> pages, GetPages(id));
    DOSSIER_RETURN_IF_ERROR(LinkNearDuplicates(s.graph, id, ComputeNearDuplicateSignature(pages)));
  }
  // Recorded last: a run that dies before this starts over.
  return WriteNearDuplicatesVersion(s.graph);
}

Result<std::vector<NearDuplicatePair>> Store::NearDuplicatePairs() const { return ReadNearDuplicatePairs(impl_->graph); }

RepairReport Store::RepairedAtOpen() const { return impl_->repaired_at_open; }

Status Store::Refresh() {
  Impl& s = *impl_;
  if (s.mode == StoreMode::kReadWrite) return Status::Ok();
  std::lock_guard<std::mutex> lock(s.refresh_mutex);
  // The facet columns of the index's latest revision first, while searches
  // go on at the one they hold: made after the catch-up below, they would
  // let the handles reopen to a commit newer than the documents read.
  s.index->PrepareRefresh();
  DOSSIER_RETURN_IF_ERROR(FromRocks(s.data_dir, s.db->TryCatchUpWithPrimary()));
  // A remote index's shard that does not answer (Health() says which) does
  // not keep what the folder itself committed from being seen.
  const Status reopened = s.index->Reopen();
  if (!reopened.ok() && s.index->Health().ok()) return reopened;
  const uint64_t sequence = s.db->GetLatestSequenceNumber();
  const uint64_t revision = s.index->Revision();
  if (sequence != s.seen_sequence || revision != s.seen_revision) {
    s.seen_sequence = sequence;
    s.seen_revision = revision;
    s.data_version.fetch_add(1);
  }
  return reopened;
}

Result<Store::CompactReport> Store::CompactIndex() {
  if (impl_->mode != StoreMode::kReadWrite) return Status::FailedPrecondition(impl_->data_dir + ": compacting needs the writer");
  DOSSIER_RETURN_IF_ERROR(Flush());
  CompactReport report;
  DOSSIER_RETURN_IF_ERROR(impl_->Guarded([&]() -> Status {
    DOSSIER_ASSIGN_OR_RETURN(TextIndex::CompactReport compacted, impl_->index->Compact());
    report = CompactReport{compacted.bytes_before, compacted.bytes_after};
    // RocksDB: every column family rewritten into its last level, which
    // takes the bottommost compression (ZSTD; DatabaseOptions).
    const std::string rocks_path = (fs::path(impl_->data_dir) / "rocksdb").string();
    report.store_bytes_before = FolderBytes(rocks_path);
    rocksdb::CompactRangeOptions options;
    options.bottommost_level_compaction = rocksdb::BottommostLevelCompaction::kForceOptimized;
    for (rocksdb::ColumnFamilyHandle* cf : impl_->handles) {
      DOSSIER_RETURN_IF_ERROR(FromRocksWrite(impl_->data_dir, "compacting", impl_->db->CompactRange(options, cf, nullptr, nullptr)));
    }
    report.store_bytes_after = FolderBytes(rocks_path);
    return Status::Ok();
  }));
  return report;
}

Status Store::SearchIndexHealth() const { return impl_->index->Health(); }

Status Store::Warm() const { return impl_->index->Warm(); }  // (a writer's index has nothing to warm)

bool Store::SearchIndexIsOlder() const {
  return !impl_->index->IsRemote() && impl_->index->TextFormat() < TextIndex::kTextFormat;
}

uint64_t Store::DataVersion() const {
  if (impl_->mode == StoreMode::kReadWrite) return impl_->db->GetLatestSequenceNumber();
  return impl_->data_version.load();
}

Result<std::optional<DocumentSummary>> Store::GetDocument(const DocumentId& id) const { return impl_->LoadRecord(id); }

Result<std::optional<SourceEntry>> Store::LookupSource(std::string_view path) const {
  std::string value;
  bool found = false;
  DOSSIER_RETURN_IF_ERROR(impl_->Get(impl_->sources, keys::SourceKey(path), &value, &found));
  if (!found) return std::optional<SourceEntry>();
  SourceEntry entry;
  if (!keys::DecodeSourceValue(value, &entry.id, &entry.size, &entry.mtime_ns)) {
    return Status::DataLoss(impl_->data_dir + ": source entry for " + std::string(path) + " is damaged");
  }
  return std::optional<SourceEntry>(entry);
}

Result<std::optional<FailureEntry>> Store::LookupFailure(std::string_view path) const {
  std::string value;
  bool found = false;
  DOSSIER_RETURN_IF_ERROR(impl_->Get(impl_->failed, keys::SourceKey(path), &value, &found));
  if (!found) return std::optional<FailureEntry>();
  json j = json::parse(value, nullptr, /*allow_exceptions=*/false);
  if (!j.is_object()) {
    return Status::DataLoss(impl_->data_dir + ": failure entry for " + std::string(path) + " is damaged");
  }
  FailureEntry entry;
  entry.size = j.value("size", uint64_t{0});
  entry.mtime_ns = j.value("mtime_ns", int64_t{0});
  entry.reason = j.value("reason", std::string());
  return std::optional<FailureEntry>(std::move(entry));
}

Result<std::vector<std::pair<std::string, SourceEntry>>> Store::ListSources(std::string_view prefix) const {
  std::vector<std::pair<std::string, SourceEntry>> out;
  std::unique_ptr<rocksdb::Iterator> it(impl_->db->NewIterator(CheckedReadOptions(), impl_->sources));
  for (it->Seek(rocksdb::Slice(prefix.data(), prefix.size())); it->Valid() && it->key().starts_with(rocksdb::Slice(prefix.data(), prefix.size())); it->Next()) {
    SourceEntry entry;
    if (keys::DecodeSourceValue(it->value().ToStringView(), &entry.id, &entry.size, &entry.mtime_ns)) {
      out.emplace_back(it->key().ToString(), entry);
    }
  }
  DOSSIER_RETURN_IF_ERROR(FromRocksRead(impl_->data_dir, it->status()));
  return out;
}

Result<PageText> Store::GetPage(const DocumentId& id, uint32_t page) const {
  std::string value;
  bool found = false;
  DOSSIER_RETURN_IF_ERROR(impl_->Get(impl_->pages, keys::PageKey(id, page), &value, &found));
  if (!found) return Status::NotFound(id.ToHex() + ": no page " + std::to_string(page));
  PageText text;
  if (!keys::DecodePageValue(value, &text)) {
    return Status::DataLoss(impl_->data_dir + ": page " + std::to_string(page) + " of " + id.ToHex() + " is damaged");
  }
  text.number = page;
  return text;
}

Result<std::vector<std::string>> Store::GetFacts(const DocumentId& id) const {
  std::string value;
  bool found = false;
  DOSSIER_RETURN_IF_ERROR(impl_->Get(impl_->facts, keys::DocumentKey(id), &value, &found));
  std::vector<std::string> out;
  if (!found) return out;
  json record = json::parse(value, nullptr, /*allow_exceptions=*/false);
  if (record.is_discarded() || !record.contains("facts")) {
    return Status::DataLoss(impl_->data_dir + ": the facts of " + id.ToHex() + " are damaged");
  }
  for (const json& fact : record["facts"]) out.push_back(fact.dump());
  return out;
}

Result<std::optional<std::string>> Store::GetStructure(const DocumentId& id) const {
  std::string value;
  bool found = false;
  DOSSIER_RETURN_IF_ERROR(impl_->Get(impl_->facts, keys::DocumentStructureKey(id), &value, &found));
  if (!found) return std::optional<std::string>();
  if (!json::accept(value)) return Status::DataLoss(impl_->data_dir + ": the structure of " + id.ToHex() + " is damaged");
  return std::optional<std::string>(std::move(value));
}

Result<std::optional<Document>> Store::ReadDocument(const DocumentId& id) const {
  DOSSIER_ASSIGN_OR_RETURN(std::optional<DocumentSummary> record, impl_->LoadRecord(id));
  if (!record) return std::optional<Document>();
  DOSSIER_ASSIGN_OR_RETURN(Document doc, ForIndex(*this, *impl_, id, *record));
  doc.size_bytes = record->size_bytes;
  doc.sources = record->sources;
  doc.title_source = record->title_source;
  doc.date = record->date;
  doc.date_source = record->date_source;
  doc.extracted_by = record->extracted_by;
  doc.ocr_settings = record->ocr_settings;
  doc.ingested_at_ms = record->ingested_at_ms;
  DOSSIER_ASSIGN_OR_RETURN(std::optional<std::string> structure, GetStructure(id));
  if (structure) doc.facts.push_back(std::move(*structure));
  return std::optional<Document>(std::move(doc));
}

Result<std::vector<PageText>> Store::GetPages(const DocumentId& id) const {
  std::vector<PageText> pages;
  const std::string prefix = keys::PagePrefix(id);
  std::unique_ptr<rocksdb::Iterator> it(impl_->db->NewIterator(CheckedReadOptions(), impl_->pages));
  for (it->Seek(prefix); it->Valid() && it->key().starts_with(prefix); it->Next()) {
    DocumentId key_id;
    PageText page;
    if (!keys::ParsePageKey(it->key().ToStringView(), &key_id, &page.number) ||
        !keys::DecodePageValue(it->value().ToStringView(), &page)) {
      return Status::DataLoss(impl_->data_dir + ": a page of " + id.ToHex() + " is damaged");
    }
    pages.push_back(std::move(page));
  }
  DOSSIER_RETURN_IF_ERROR(FromRocksRead(impl_->data_dir, it->status()));
  return pages;
}

Result<std::vector<DocumentSummary>> Store::ListDocuments(uint32_t limit, uint32_t offset) const {
  std::vector<DocumentSummary> out;
  std::unique_ptr<rocksdb::Iterator> it(impl_->db->NewIterator(CheckedReadOptions(), impl_->documents));
  uint32_t skipped = 0;
  for (it->SeekToFirst(); it->Valid() && out.size() < limit; it->Next()) {
    if (skipped < offset) {
      ++skipped;
      continue;
    }
    std::optional<DocumentId> id = keys::ParseDocumentKey(it->key().ToStringView());
    DocumentSummary summary;
    if (!id || !DecodeDocumentRecord(*id, it->value().ToStringView(), &summary, nullptr)) {
      return Status::DataLoss(impl_->data_dir + ": a document record is damaged");
    }
    out.push_back(std::move(summary));
  }
  DOSSIER_RETURN_IF_ERROR(FromRocksRead(impl_->data_dir, it->status()));
  return out;
}

Result<uint64_t> Store::CountDocuments() const {
  uint64_t count = 0;
  std::unique_ptr<rocksdb::Iterator> it(impl_->db->NewIterator(CheckedReadOptions(), impl_->documents));
  for (it->SeekToFirst(); it->Valid(); it->Next()) ++count;
  DOSSIER_RETURN_IF_ERROR(FromRocksRead(impl_->data_dir, it->status()));
  return count;
}

Result<StoreStats> Store::Stats() const {
  StoreStats stats;
  stats.data_dir = impl_->data_dir;
  auto count = [&](rocksdb::ColumnFamilyHandle* cf, uint64_t* n) {
    std::unique_ptr<rocksdb::Iterator> it(impl_->db->NewIterator(CheckedReadOptions(), cf));
    for (it->SeekToFirst(); it->Valid(); it->Next()) ++*n;
    return FromRocksRead(impl_->data_dir, it->status());
  };
  std::unique_ptr<rocksdb::Iterator> it(impl_->db->NewIterator(CheckedReadOptions(), impl_->documents));
  for (it->SeekToFirst(); it->Valid(); it->Next()) {
    std::optional<DocumentId> id = keys::ParseDocumentKey(it->key().ToStringView());
    DocumentSummary summary;
    uint64_t text_bytes = 0;
    if (!id || !DecodeDocumentRecord(*id, it->value().ToStringView(), &summary, &text_bytes)) continue;
    ++stats.documents;
    stats.pages += summary.page_count;
    stats.ocr_pages += summary.ocr_page_count;
    stats.text_bytes += text_bytes;
    ++stats.languages[summary.language];
    ++stats.mime_types[summary.mime_type];
  }
  DOSSIER_RETURN_IF_ERROR(FromRocksRead(impl_->data_dir, it->status()));
  DOSSIER_RETURN_IF_ERROR(count(impl_->sources, &stats.source_paths));
  DOSSIER_RETURN_IF_ERROR(count(impl_->failed, &stats.failed_files));
  DOSSIER_RETURN_IF_ERROR(count(impl_->pending, &stats.pending));
  stats.index_entries = impl_->index->EntryCount();
  return stats;
}

Result<std::optional<GraphNode>> Store::GetGraphNode(std::string_view node_id) const {
  std::optional<std::string> key = keys::NodeKeyFromText(node_id);
  if (!key) return Status::InvalidArgument("node: '" + std::string(node_id) + "' is not a node id like O:1a2b3c4d5e6f7a8b");
  return ReadNode(impl_->graph, *key);
}

Result<std::vector<GraphNode>> Store::ListGraphNodes(char kind, uint32_t limit, uint32_t offset) const {
  return ReadNodesOfKind(impl_->graph, kind, limit, offset);
}

Result<std::vector<std::string>> Store::FindGraphNodes(std::string_view name) const {
  DOSSIER_ASSIGN_OR_RETURN(std::vector<std::string> keys_found, FindNodesByName(impl_->graph, name));
  std::vector<std::string> out;
  for (const std::string& k : keys_found) out.push_back(keys::NodeKeyToText(k));
  return out;
}

namespace {
// A node id as text ("O:1a2b…") and an optional edge type name, as keys.
Status ParseEdgeQuery(std::string_view node_id, std::string_view edge_type, std::string* key, int* type) {
  std::optional<std::string> parsed_key = keys::NodeKeyFromText(node_id);
  if (!parsed_key) return Status::InvalidArgument("node: '" + std::string(node_id) + "' is not a node id like O:1a2b3c4d5e6f7a8b");
  *key = std::move(*parsed_key);
  *type = 0;
  if (!edge_type.empty()) {
    std::optional<keys::EdgeType> parsed = keys::EdgeTypeFromName(edge_type);
    if (!parsed) return Status::InvalidArgument("edge: unknown edge type '" + std::string(edge_type) + "'");
    *type = static_cast<int>(*parsed);
  }
  return Status::Ok();
}
}  // namespace

Result<std::vector<GraphEdge>> Store::GraphEdges(std::string_view node_id, bool outgoing, std::string_view edge_type) const {
  std::string key;
  int type = 0;
  DOSSIER_RETURN_IF_ERROR(ParseEdgeQuery(node_id, edge_type, &key, &type));
  return ReadEdges(impl_->graph, key, outgoing, type);
}

Result<std::vector<GraphEdge>> Store::GraphEdgesPage(std::string_view node_id, bool outgoing, std::string_view edge_type,
                                                     uint32_t offset, uint32_t limit, uint64_t* total,
                                                     bool with_evidence) const {
  std::string key;
  int type = 0;
  DOSSIER_RETURN_IF_ERROR(ParseEdgeQuery(node_id, edge_type, &key, &type));
  return ReadEdgesPage(impl_->graph, key, outgoing, type, offset, limit, total, with_evidence);
}

Result<std::vector<std::string>> Store::GraphEdgeEnds(std::string_view node_id, bool outgoing,
                                                      std::string_view edge_type) const {
  std::string key;
  int type = 0;
  DOSSIER_RETURN_IF_ERROR(ParseEdgeQuery(node_id, edge_type, &key, &type));
  if (type == 0) return Status::InvalidArgument("edge: a type is needed for the ends of a node's edges");
  return ReadEdgeEnds(impl_->graph, key, outgoing, type);
}

Result<ItemSearchResponse> Store::SearchItems(const ItemSearchRequest& request) const {
  std::string similar_in;  // the document whose entries hold the item's (the graph says which)
  if (request.similar_to) {
    DOSSIER_ASSIGN_OR_RETURN(std::optional<GraphNode> item, GetGraphNode(*request.similar_to));
    if (!item) return Status::NotFound("no item " + *request.similar_to + " in the graph");
    similar_in = item->record.value("document", "");
  }
  return impl_->index->SearchItems(request, similar_in);
}

Result<SearchResponse> Store::Search(const SearchRequest& request) const {
  TextIndex::HitReader reader;
  reader.page = [this](const DocumentId& id, uint32_t page) -> Result<std::shared_ptr<const PageText>> {
    // (The version is read before the page, as for the fields below.)
    const uint64_t version = DataVersion();
    const std::string key = keys::PageKey(id, page);
    if (std::shared_ptr<const PageText> kept = impl_->hit_pages.Find(key, version)) return kept;
    DOSSIER_ASSIGN_OR_RETURN(PageText text, GetPage(id, page));
    // Charged its text and about what the entry's nodes take.
    const size_t charge = key.size() + text.text.size() + 256;
    auto shared = std::make_shared<const PageText>(std::move(text));
    impl_->hit_pages.Put(key, version, shared, charge);
    return shared;
  };
  reader.pages = [this](const DocumentId& id) { return GetPages(id); };
  reader.describe = [this](SearchHit* hit) -> Status {
    // The version is read before the record: a record read after a newer
    // one became visible is kept under the older version, never served as
    // current (Refresh makes the data visible before it moves the version).
    const uint64_t version = DataVersion();
    const std::string key = keys::DocumentKey(hit->id);
    std::shared_ptr<const HitFields> fields = impl_->hit_fields.Find(key, version);
    if (fields == nullptr) {
      std::string value;
      bool found = false;
      DOSSIER_RETURN_IF_ERROR(impl_->Get(impl_->documents, key, &value, &found));
      if (!found) return Status::Ok();  // removed between the index read and now
      // Only the fields a hit shows, in one pass (DecodeHitFields); a record
      // that pass refuses is read whole (LoadRecord), which names the damage.
      auto decoded = std::make_shared<HitFields>();
      if (!DecodeHitFields(value, decoded.get())) {
        DOSSIER_ASSIGN_OR_RETURN(std::optional<DocumentSummary> record, impl_->LoadRecord(hit->id));
        if (!record) return Status::Ok();
        *decoded = {record->title, record->language, record->mime_type, record->page_count, {}};
        for (const SourceFile& source : record->sources) decoded->source_paths.push_back(source.path);
      }
      // Charged the strings' bytes and about what the entry's nodes take.
      size_t charge = key.size() + decoded->title.size() + decoded->language.size() + decoded->mime_type.size() + 256;
      for (const std::string& path : decoded->source_paths) charge += path.size() + sizeof path;
      fields = decoded;
      impl_->hit_fields.Put(key, version, std::move(decoded), charge);
    }
    hit->title = fields->title;
    hit->language = fields->language;
    hit->mime_type = fields->mime_type;
    hit->page_count = fields->page_count;
    hit->source_paths = fields->source_paths;
    return Status::Ok();
  };
  return impl_->index->Search(request, reader);
}

}  // namespace dossier
