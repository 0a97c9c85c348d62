// `dossier check [--repair]`: Store::Check verifies that the parts of a data
// folder agree; Store::RebuildFromStoredDocuments and RepairDataFolder make a
// damaged folder usable again from what it still holds (see store.h).
#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "dossier/facts.h"
#include "item_index.h"
#include "near_duplicates.h"
#include "store_impl.h"

namespace dossier {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

constexpr size_t kExamples = 5;

// Collects the findings of one kind: a count and the first few examples.
class Tally {
 public:
  Tally(std::string check, std::string message) : check_(std::move(check)), message_(std::move(message)) {}
  void Add(std::string example) {
    ++count_;
    if (examples_.size() < kExamples) examples_.push_back(std::move(example));
  }
  void AddTo(CheckReport* report) const {
    if (count_ == 0) return;
    report->findings.push_back({check_, count_, message_, examples_});
  }

 private:
  std::string check_, message_;
  uint64_t count_ = 0;
  std::vector<std::string> examples_;
};

// Visits every key and value of a column family; a read error is damage.
template <typename Visit>
Status ScanAll(const std::string& data_dir, rocksdb::DB* db, rocksdb::ColumnFamilyHandle* cf, Visit visit) {
  std::unique_ptr<rocksdb::Iterator> it(db->NewIterator(CheckedReadOptions(), cf));
  for (it->SeekToFirst(); it->Valid(); it->Next()) visit(it->key().ToStringView(), it->value().ToStringView());
  return FromRocksRead(data_dir, it->status());
}

// What the stored parts of one document look like.
struct StoredDocument {
  bool record_ok = false;
  DocumentSummary summary;
  uint32_t pages_seen = 0;
  uint32_t last_page = 0;
  bool pages_ok = true;  // every page key and value decodes, numbered 1..n without gaps
  bool facts_seen = false;
  bool facts_ok = false;
  size_t item_entries = 0;  // what its facts give the item index (item_index.h)
};

// Reads documents, pages and facts into `docs`; damaged records are findings.
Status ReadDocuments(const Store::Impl& s, std::map<DocumentId, StoredDocument>* docs, Tally* records,
                     Tally* orphan_pages, Tally* orphan_facts, uint64_t* page_total) {
  DOSSIER_RETURN_IF_ERROR(ScanAll(s.data_dir, s.db.get(), s.documents, [&](std::string_view key, std::string_view value) {
    std::optional<DocumentId> id = keys::ParseDocumentKey(key);
    if (!id) return records->Add("key of " + std::to_string(key.size()) + " bytes");
    StoredDocument& doc = (*docs)[*id];
    doc.record_ok = DecodeDocumentRecord(*id, value, &doc.summary, nullptr);
    if (!doc.record_ok) records->Add(id->ToHex());
  }));
  DOSSIER_RETURN_IF_ERROR(ScanAll(s.data_dir, s.db.get(), s.pages, [&](std::string_view key, std::string_view value) {
    DocumentId id;
    PageText page;
    if (!keys::ParsePageKey(key, &id, &page.number)) return orphan_pages->Add("key of " + std::to_string(key.size()) + " bytes");
    ++*page_total;
    auto it = docs->find(id);
    if (it == docs->end()) return orphan_pages->Add(id.ToHex() + " page " + std::to_string(page.number));
    StoredDocument& doc = it->second;
    if (!keys::DecodePageValue(value, &page) || page.number != doc.last_page + 1) doc.pages_ok = false;
    doc.last_page = page.number;
    ++doc.pages_seen;
  }));
  DOSSIER_RETURN_IF_ERROR(ScanAll(s.data_dir, s.db.get(), s.facts, [&](std::string_view key, std::string_view value) {
    std::optional<DocumentId> id = keys::ParseDocumentKey(key.substr(0, std::min(key.size(), DocumentId::kSize)));
    const bool structure = key.size() > DocumentId::kSize;
    auto it = id ? docs->find(*id) : docs->end();
    if (it == docs->end()) return orphan_facts->Add(id ? id->ToHex() : "key of " + std::to_string(key.size()) + " bytes");
    if (structure) return;
    json record = json::parse(value, nullptr, /*allow_exceptions=*/false);
    it->second.facts_seen = true;
    it->second.facts_ok = record.is_object() && record.contains("facts") && record["facts"].is_array();
    if (it->second.facts_ok) {
      std::vector<Fact> typed;
      for (const json& fact : record["facts"]) {
        if (Result<Fact> decoded = DecodeFactJson(fact); decoded.ok()) typed.push_back(std::move(*decoded));
      }
      it->second.item_entries = CountItemEntries(*id, typed);
    }
  }));
  return Status::Ok();
}

bool Whole(const StoredDocument& doc) {
  return doc.record_ok && doc.pages_ok && doc.pages_seen == doc.summary.page_count && doc.facts_seen && doc.facts_ok;
}

}  // namespace

Result<CheckReport> Store::Check() const {
  const Impl& s = *impl_;
  CheckReport report;
  report.data_dir = s.data_dir;
  // Every block of every table file, against its checksum (reads the whole database).
  if (rocksdb::Status verified = s.db->VerifyChecksum(CheckedReadOptions()); !verified.ok()) {
    report.findings.push_back({"rocksdb_checksums", 1, "a table file fails its checksums: " + verified.ToString(), {}});
    return report;  // what the scans below would read is not to be trusted
  }

  std::map<DocumentId, StoredDocument> docs;
  Tally records("document_records", "document records that do not read");
  Tally orphan_pages("orphan_pages", "pages of no stored document");
  Tally orphan_facts("orphan_facts", "facts of no stored document");
  DOSSIER_RETURN_IF_ERROR(ReadDocuments(s, &docs, &records, &orphan_pages, &orphan_facts, &report.pages));
  report.documents = docs.size();

  std::map<DocumentId, keys::PendingOp> pending;
  DOSSIER_RETURN_IF_ERROR(ScanAll(s.data_dir, s.db.get(), s.pending, [&](std::string_view key, std::string_view value) {
    std::optional<DocumentId> id = keys::ParseDocumentKey(key);
    std::optional<keys::PendingOp> op = keys::DecodePendingValue(value);
    if (id && op) pending[*id] = *op;
  }));
  report.pending = pending.size();
  // A writer's markers are its work in progress; a marker nobody holds is a
  // run that stopped (killed, disk full), which the next writer finishes.
  const bool writer = s.mode == StoreMode::kReadOnly && WriterActive((fs::path(s.data_dir) / "rocksdb").string());
  if (!writer && !pending.empty()) {
    Tally unfinished("pending", "documents with an unfinished index update or removal (a run stopped before it "
                                "finished them; the next ingest, or check --repair, finishes them)");
    for (const auto& [id, op] : pending) unfinished.Add(id.ToHex());
    unfinished.AddTo(&report);
  }
  auto settled = [&](const DocumentId& id) { return pending.count(id) == 0; };

  Tally pages("pages", "documents whose stored pages are missing, damaged or more than their record says");
  Tally facts("facts", "documents whose extracted facts are missing or damaged");
  for (const auto& [id, doc] : docs) {
    if (!doc.record_ok) continue;
    if (!doc.pages_ok || doc.pages_seen != doc.summary.page_count) {
      pages.Add(id.ToHex() + " (" + std::to_string(doc.pages_seen) + " of " + std::to_string(doc.summary.page_count) +
                " pages)");
    }
    if (!doc.facts_seen || !doc.facts_ok) facts.Add(id.ToHex());
  }

  // Source paths and the records that list them.
  Tally sources("source_paths", "source paths that do not point at a stored document listing them, or records "
                                "listing a path that points elsewhere");
  std::set<std::pair<DocumentId, std::string>> listed;  // (document, path) from the sources column family
  DOSSIER_RETURN_IF_ERROR(ScanAll(s.data_dir, s.db.get(), s.sources, [&](std::string_view key, std::string_view value) {
    SourceEntry entry;
    const std::string path(key);
    if (!keys::DecodeSourceValue(value, &entry.id, &entry.size, &entry.mtime_ns)) return sources.Add(path);
    auto it = docs.find(entry.id);
    const bool listed_there = it != docs.end() && it->second.record_ok &&
                              std::any_of(it->second.summary.sources.begin(), it->second.summary.sources.end(),
                                          [&](const SourceFile& f) { return f.path == path; });
    if (!listed_there && settled(entry.id)) sources.Add(path + " -> " + entry.id.ToHex());
    listed.emplace(entry.id, path);
  }));
  for (const auto& [id, doc] : docs) {
    if (!doc.record_ok || !settled(id)) continue;
    for (const SourceFile& f : doc.summary.sources) {
      if (!listed.count({id, f.path})) sources.Add(f.path + " (listed by " + id.ToHex() + ")");
    }
  }

  // Index entries: one per settled document, none for anything else.
  Tally missing_entries("index_entries", "documents without their search index entry");
  Tally extra_entries("orphan_index_entries", "search index entries of no stored document");
  Result<std::vector<std::string>> entries = s.index->ListEntries();
  if (!entries.ok()) {
    report.findings.push_back({"search_index", 1, "the search index does not list: " + entries.status().message(), {}});
  } else {
    report.index_entries = entries->size();
    std::set<std::string> in_index(entries->begin(), entries->end());
    for (const auto& [id, doc] : docs) {
      if (settled(id) && !in_index.count(id.ToHex())) missing_entries.Add(id.ToHex());
    }
    for (const std::string& hex : in_index) {
      Result<DocumentId> id = DocumentId::FromHex(hex);
      if (!id.ok() || (!docs.count(*id) && settled(*id))) extra_entries.Add(hex);
    }
  }

  // Item entries: as many as each settled document's facts give, none of
  // any other document.
  Tally item_entries("item_entries", "documents whose item index entries do not match their items");
  Tally orphan_item_entries("orphan_item_entries", "item index entries of no stored document");
  Result<std::map<std::string, uint64_t>> items = s.index->ItemEntries();
  if (!items.ok()) {
    report.findings.push_back({"search_index", 1, "the item index does not list: " + items.status().message(), {}});
  } else {
    for (const auto& [id, doc] : docs) {
      auto it = items->find(id.ToHex());
      const uint64_t indexed = it == items->end() ? 0 : it->second;
      if (settled(id) && doc.facts_ok && indexed != doc.item_entries) {
        item_entries.Add(id.ToHex() + " (" + std::to_string(indexed) + " of " + std::to_string(doc.item_entries) + ")");
      }
    }
    for (const auto& [hex, count] : *items) {
      Result<DocumentId> id = DocumentId::FromHex(hex);
      if (!id.ok() || (!docs.count(*id) && settled(*id))) orphan_item_entries.Add(hex);
    }
  }

  // The graph: every edge's ends are nodes, and it is listed from both ends
  // and under the document that contributed it.
  std::set<std::string> nodes;
  DOSSIER_RETURN_IF_ERROR(ScanAll(s.data_dir, s.db.get(), s.graph.nodes, [&](std::string_view key, std::string_view) {
    if (key.size() == keys::kNodeKeySize) nodes.emplace(key);  // not the entities' tallies ("~" + node)
  }));
  report.graph_nodes = nodes.size();
  Tally dangling("graph_edges", "graph edges whose source or target node is missing");
  Tally unpaired("graph_edge_lists", "graph edges not listed from both ends and under their document");
  Tally edge_docs("graph_edge_documents", "graph edges contributed by no stored document");
  Tally doc_nodes("document_nodes", "documents without their graph node");
  Tally aliases("graph_aliases", "names and aliases pointing at no graph node");
  std::set<std::string> expected_in, expected_doc;
  DOSSIER_RETURN_IF_ERROR(ScanAll(s.data_dir, s.db.get(), s.graph.edges, [&](std::string_view key, std::string_view) {
    keys::EdgeParts e;
    if (!keys::ParseEdgeKey(key, &e)) return unpaired.Add("edge key of " + std::to_string(key.size()) + " bytes");
    ++report.graph_edges;
    const std::string name = keys::NodeKeyToText(e.src) + " -" + std::string(keys::EdgeTypeName(e.type)) + "-> " +
                             keys::NodeKeyToText(e.dst);
    if (!nodes.count(e.src) || !nodes.count(e.dst)) {
      dangling.Add(name + " (missing: " + (nodes.count(e.src) ? "" : keys::NodeKeyToText(e.src)) +
                   (!nodes.count(e.src) && !nodes.count(e.dst) ? ", " : "") +
                   (nodes.count(e.dst) ? "" : keys::NodeKeyToText(e.dst)) + ")");
    }
    if (!docs.count(e.doc) && settled(e.doc)) edge_docs.Add(name + " from " + e.doc.ToHex());
    expected_in.insert(keys::EdgeInKey(e.dst, e.type, e.src, e.doc));
    expected_doc.insert(keys::DocEdgeKey(e.doc, e.src, e.type, e.dst));
  }));
  auto match = [&](rocksdb::ColumnFamilyHandle* cf, std::set<std::string>* expected) {
    return ScanAll(s.data_dir, s.db.get(), cf, [&](std::string_view key, std::string_view) {
      if (expected->erase(std::string(key)) == 0) unpaired.Add("a listing with no edge");
    });
  };
  DOSSIER_RETURN_IF_ERROR(match(s.graph.edges_in, &expected_in));
  DOSSIER_RETURN_IF_ERROR(match(s.graph.doc_edges, &expected_doc));
  for (size_t i = 0; i < expected_in.size() + expected_doc.size(); ++i) unpaired.Add("an edge not listed");
  for (const auto& [id, doc] : docs) {
    if (settled(id) && !nodes.count(keys::DocumentNodeKey(id))) doc_nodes.Add(keys::NodeKeyToText(keys::DocumentNodeKey(id)));
  }
  DOSSIER_RETURN_IF_ERROR(ScanAll(s.data_dir, s.db.get(), s.graph.aliases, [&](std::string_view key, std::string_view) {
    if (key.size() < keys::kNodeKeySize + 1 || !nodes.count(std::string(key.substr(key.size() - keys::kNodeKeySize)))) {
      aliases.Add(std::string(key.substr(0, key.size() > keys::kNodeKeySize ? key.size() - keys::kNodeKeySize - 1 : 0)));
    }
  }));

  for (const Tally* t : {&records, &pages, &facts, &orphan_pages, &orphan_facts, &sources, &missing_entries,
                         &extra_entries, &item_entries, &orphan_item_entries, &dangling, &unpaired, &edge_docs, &doc_nodes, &aliases}) {
    t->AddTo(&report);
  }
  return report;
}

Result<RebuildReport> Store::RebuildFromStoredDocuments() {
  Impl& s = *impl_;
  RebuildReport report;
  DOSSIER_RETURN_IF_ERROR(s.Guarded([&]() -> Status {
    DOSSIER_RETURN_IF_ERROR(Flush());
    std::map<DocumentId, StoredDocument> docs;
    Tally ignored("", "");
    uint64_t page_total = 0;
    DOSSIER_RETURN_IF_ERROR(ReadDocuments(s, &docs, &ignored, &ignored, &ignored, &page_total));

    // 1. Documents missing a part go, with every path pointing at them.
    rocksdb::WriteBatch batch;
    std::vector<std::pair<int64_t, DocumentId>> kept;  // by ingestion time
    for (const auto& [id, doc] : docs) {
      if (Whole(doc)) {
        kept.emplace_back(doc.summary.ingested_at_ms, id);
        continue;
      }
      ++report.documents_dropped;
      batch.Delete(s.documents, keys::DocumentKey(id));
      batch.Delete(s.facts, keys::DocumentKey(id));
      batch.Delete(s.facts, keys::DocumentStructureKey(id));
      batch.Delete(s.pending, keys::PendingKey(id));
      const std::string prefix = keys::PagePrefix(id);
      batch.DeleteRange(s.pages, prefix, keys::PrefixEnd(prefix));
    }
    std::sort(kept.begin(), kept.end());
    std::set<DocumentId> whole;
    for (const auto& [at, id] : kept) whole.insert(id);
    // 2. Pages and facts of no stored document.
    DOSSIER_RETURN_IF_ERROR(ScanAll(s.data_dir, s.db.get(), s.pages, [&](std::string_view key, std::string_view) {
      DocumentId id;
      uint32_t page = 0;
      if (!keys::ParsePageKey(key, &id, &page) || !docs.count(id)) {
        batch.Delete(s.pages, rocksdb::Slice(key.data(), key.size()));
        ++report.records_removed;
      }
    }));
    DOSSIER_RETURN_IF_ERROR(ScanAll(s.data_dir, s.db.get(), s.facts, [&](std::string_view key, std::string_view) {
      std::optional<DocumentId> id = keys::ParseDocumentKey(key.substr(0, std::min(key.size(), DocumentId::kSize)));
      if (!id || !docs.count(*id)) {
        batch.Delete(s.facts, rocksdb::Slice(key.data(), key.size()));
        ++report.records_removed;
      }
    }));
    // 3. Source paths: each points at a whole document that lists it; a path a
    // kept document lists and the sources lack is put back.
    std::set<std::pair<DocumentId, std::string>> listed;
    DOSSIER_RETURN_IF_ERROR(ScanAll(s.data_dir, s.db.get(), s.sources, [&](std::string_view key, std::string_view value) {
      SourceEntry entry;
      const std::string path(key);
      bool ok = keys::DecodeSourceValue(value, &entry.id, &entry.size, &entry.mtime_ns) && whole.count(entry.id);
      if (ok) {
        const std::vector<SourceFile>& files = docs[entry.id].summary.sources;
        ok = std::any_of(files.begin(), files.end(), [&](const SourceFile& f) { return f.path == path; });
      }
      if (ok) {
        listed.emplace(entry.id, path);
        return;
      }
      batch.Delete(s.sources, rocksdb::Slice(key.data(), key.size()));
      report.paths_to_ingest_again.push_back(path);
    }));
    for (const DocumentId& id : whole) {
      for (const SourceFile& f : docs[id].summary.sources) {
        if (!listed.count({id, f.path})) {
          batch.Put(s.sources, keys::SourceKey(f.path), keys::EncodeSourceValue(id, f.size, f.mtime_ns));
        }
      }
    }
    DOSSIER_RETURN_IF_ERROR(s.Write(&batch, "repair: dropping what cannot be rebuilt"));

    // 4. The graph, cleared and entered again document by document, in the
    // order they were ingested (entities an earlier document defines are
    // joined by later ones, as when they were ingested).
    // Near-duplicate signatures and links are made again with the graph.
    for (rocksdb::ColumnFamilyHandle* cf : {s.graph.nodes, s.graph.edges, s.graph.edges_in, s.graph.doc_edges,
                                            s.graph.aliases, s.graph.near_duplicates}) {
      if (cf == nullptr) continue;
      rocksdb::WriteBatch clear;
      DOSSIER_RETURN_IF_ERROR(ScanAll(s.data_dir, s.db.get(), cf, [&](std::string_view key, std::string_view) {
        clear.Delete(cf, rocksdb::Slice(key.data(), key.size()));
      }));
      DOSSIER_RETURN_IF_ERROR(s.Write(&clear, "repair: clearing the graph"));
    }
    // 5. The index: every kept document again, nothing else.
    Result<std::vector<std::string>> entries = s.index->ListEntries();
    if (entries.ok()) {
      for (const std::string& hex : *entries) {
        Result<DocumentId> id = DocumentId::FromHex(hex);
        if (id.ok() && whole.count(*id)) continue;
        if (id.ok()) {
          DOSSIER_RETURN_IF_ERROR(s.index->DeleteDocument(*id));
          ++report.index_entries_removed;
        }
      }
    }
    DOSSIER_ASSIGN_OR_RETURN(const auto item_documents, s.index->ItemEntries());
    for (const auto& [hex, count] : item_documents) {
      Result<DocumentId> id = DocumentId::FromHex(hex);
      if (id.ok() && !whole.count(*id)) DOSSIER_RETURN_IF_ERROR(s.index->DeleteDocument(*id));
    }
    uint32_t done = 0;
    for (const auto& [at, id] : kept) {
      DOSSIER_ASSIGN_OR_RETURN(const Document doc, ForIndex(*this, s, id, docs[id].summary));
      const std::vector<Fact> typed = DecodeFacts(doc.facts);
      DOSSIER_RETURN_IF_ERROR(ApplyDocumentGraph(s.graph, id, doc.title, typed, JoinedExtractors(doc.extractors)));
      DOSSIER_RETURN_IF_ERROR(LinkNearDuplicates(s.graph, id, ComputeNearDuplicateSignature(doc.pages)));
      DOSSIER_RETURN_IF_ERROR(s.index->ReplaceDocument(doc, typed));
      if (++done % 64 == 0) DOSSIER_RETURN_IF_ERROR(s.index->Commit());
    }
    if (s.graph.near_duplicates != nullptr) DOSSIER_RETURN_IF_ERROR(WriteNearDuplicatesVersion(s.graph));
    report.documents_kept = kept.size();
    DOSSIER_RETURN_IF_ERROR(s.index->SetTextFormat());
    DOSSIER_RETURN_IF_ERROR(s.index->Commit());
    return Status::Ok();
  }));
  return report;
}

Result<RebuildReport> RepairDataFolder(const std::string& data_dir) {
  RebuildReport salvage;
  const std::string rocks_path = (fs::path(data_dir) / "rocksdb").string();
  const std::string xapian_path = (fs::path(data_dir) / "xapian").string();
  if (!fs::exists(fs::path(rocks_path) / "CURRENT")) {
    return Status::NotFound(data_dir + ": no Dossier data here (run `dossier ingest` first, or pass --data DIR)");
  }
  if (WriterActive((fs::path(data_dir) / "rocksdb").string())) {
    return Status::Unavailable(data_dir + ": in use by another dossier process (a writer holds rocksdb/LOCK)");
  }
  // RocksDB: opens, and every checksum holds? Otherwise RocksDB's repair.
  rocksdb::Options options;
  std::vector<rocksdb::ColumnFamilyDescriptor> descriptors;
  DatabaseOptions(&options, &descriptors);
  std::string rocks_problem;
  {
    std::vector<rocksdb::ColumnFamilyHandle*> handles;
    rocksdb::DB* raw = nullptr;
    rocksdb::Status s = rocksdb::DB::OpenForReadOnly(options, rocks_path, descriptors, &handles, &raw);
    if (s.ok()) {
      std::vector<rocksdb::LiveFileMetaData> files;
      raw->GetLiveFilesMetaData(&files);
      for (const rocksdb::LiveFileMetaData& file : files) {
        const fs::path path = fs::path(file.db_path) / fs::path(file.name).relative_path();
        std::error_code ec;
        if (fs::file_size(path, ec) != file.size || ec) rocks_problem = path.string() + ": missing or not its listed size";
      }
      if (rocks_problem.empty()) {
        rocksdb::Status verified = raw->VerifyChecksum(CheckedReadOptions());
        if (!verified.ok()) rocks_problem = verified.ToString();
      }
    } else {
      rocks_problem = s.ToString();
    }
    if (raw != nullptr) {
      for (auto* h : handles) raw->DestroyColumnFamilyHandle(h);
      raw->Close().PermitUncheckedError();
      delete raw;
    }
  }
  if (!rocks_problem.empty()) {
    rocksdb::Status repaired = rocksdb::RepairDB(rocks_path, options, descriptors, descriptors[0].options);
    if (!repaired.ok()) return DamagedDataFolder(data_dir, "RocksDB could not repair it: " + repaired.ToString());
    salvage.salvage.push_back("RocksDB repaired the database (" + rocks_problem +
                              "); table files it could not read are in rocksdb/lost/");
  }
  // The search index: derived, so a damaged one is set aside and made again.
  {
    Result<std::unique_ptr<TextIndex>> index = TextIndex::Open(xapian_path, TextIndex::Mode::kReadOnly);
    std::string problem;
    if (!index.ok() && index.status().code() != StatusCode::kNotFound) problem = index.status().message();
    if (index.ok()) {
      Result<std::vector<std::string>> entries = (*index)->ListEntries();
      if (!entries.ok()) problem = entries.status().message();
    }
    if (!problem.empty()) {
      index = Status::Unknown("closed");
      std::string aside;
      for (int n = 1;; ++n) {
        aside = xapian_path + ".damaged-" + std::to_string(n);
        if (!fs::exists(aside)) break;
      }
      std::error_code ec;
      fs::rename(xapian_path, aside, ec);
      if (ec) return Status::Internal(xapian_path + ": cannot set the damaged search index aside: " + ec.message());
      salvage.salvage.push_back("the search index did not read (" + problem + "); set aside as " + aside +
                                " and made again");
    }
  }
  DOSSIER_ASSIGN_OR_RETURN(std::unique_ptr<Store> store, Store::Open(data_dir, StoreMode::kReadWrite));
  DOSSIER_ASSIGN_OR_RETURN(RebuildReport report, store->RebuildFromStoredDocuments());
  report.salvage = std::move(salvage.salvage);
  return report;
}

}  // namespace dossier
