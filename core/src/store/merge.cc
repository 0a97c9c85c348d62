// MergeDataFolders: the shard folders' documents into one folder, through
// the store's own write path (merge.h says what wins and why).
#include "dossier/merge.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <limits>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <tuple>

#include <nlohmann/json.hpp>

#include "dossier/env.h"
#include "dossier/paths.h"
#include "dossier/store.h"

namespace dossier {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

// What the merged folder should hold for one document: the shard whose copy
// is taken and every path the document keeps.
struct Planned {
  size_t shard = 0;
  int64_t ingested_at_ms = 0;
  std::vector<SourceFile> sources;  // sorted by path
};

bool SameSources(const std::vector<SourceFile>& a, const std::vector<SourceFile>& b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](const SourceFile& x, const SourceFile& y) {
           return x.path == y.path && x.size == y.size && x.mtime_ns == y.mtime_ns;
         });
}

// A folder's canonical path, so that one folder named two ways is caught.
std::string Canonical(const std::string& dir) {
  std::error_code ec;
  fs::path canonical = fs::weakly_canonical(fs::path(AbsolutePath(dir)), ec);
  return ec ? AbsolutePath(dir) : canonical.string();
}

// Writes the manifest beside the stores: a temporary file, synced, renamed.
Status WriteManifest(const std::string& into_dir, const std::vector<std::string>& shards, int64_t at_ms,
                     const MergeReport* report) {
  json manifest = {{"shards", shards}, {"started_at_ms", at_ms}};
  if (report != nullptr) {
    manifest["documents"] = report->documents;
    manifest["finished"] = true;
  }
  const std::string path = (fs::path(into_dir) / kMergeManifestFile).string();
  const std::string temporary = path + ".tmp";
  {
    std::ofstream out(temporary, std::ios::trunc);
    out << manifest.dump(2) << "\n";
    out.flush();
    if (!out) return Status::Unavailable(temporary + ": cannot write the merge manifest");
  }
  int fd = ::open(temporary.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd >= 0) {
    ::fsync(fd);
    ::close(fd);
  }
  std::error_code ec;
  fs::rename(temporary, path, ec);
  if (ec) return Status::Unavailable(path + ": cannot write the merge manifest: " + ec.message());
  return Status::Ok();
}

Status CheckShardList(const MergeOptions& options, std::vector<std::string>* canonical_shards, std::string* into) {
  if (options.shard_dirs.empty()) return Status::InvalidArgument("merge: name at least one shard data folder");
  if (options.into_dir.empty()) return Status::InvalidArgument("merge: name the folder to merge into (--into DIR)");
  *into = Canonical(options.into_dir);
  std::set<std::string> seen;
  for (const std::string& dir : options.shard_dirs) {
    const std::string canonical = Canonical(dir);
    if (canonical == *into) {
      return Status::InvalidArgument(dir + ": is the folder to merge into; a shard cannot be merged into itself");
    }
    if (!seen.insert(canonical).second) return Status::InvalidArgument(dir + ": named twice among the shards");
    canonical_shards->push_back(canonical);
  }
  return Status::Ok();
}

// A folder with documents and no manifest was filled by an ingest; merging
// into it would remove every document no shard holds.
Status CheckIntoIsMergeOutput(const std::string& into, Store& store) {
  if (fs::exists(fs::path(into) / kMergeManifestFile)) return Status::Ok();
  DOSSIER_ASSIGN_OR_RETURN(uint64_t documents, store.CountDocuments());
  if (documents == 0) return Status::Ok();
  return Status::FailedPrecondition(into + ": holds " + std::to_string(documents) +
                                    " document(s) that no merge put there (no " + kMergeManifestFile +
                                    "); merge into a new folder, or one an earlier merge made");
}

}  // namespace

Result<MergeReport> MergeDataFolders(const MergeOptions& options) {
  const auto start = std::chrono::steady_clock::now();
  MergeReport report;
  std::vector<std::string> shard_dirs;
  std::string into_dir;
  DOSSIER_RETURN_IF_ERROR(CheckShardList(options, &shard_dirs, &into_dir));

  // Every shard is opened (read-only) before anything is written, so a
  // missing or busy one stops the merge with the folder untouched.
  std::vector<std::unique_ptr<Store>> shards;
  for (const std::string& dir : shard_dirs) {
    Result<std::unique_ptr<Store>> shard = Store::Open(dir, StoreMode::kReadOnly);
    if (!shard.ok()) {
      if (shard.status().code() == StatusCode::kNotFound) {
        return Status::NotFound(dir + ": not a Dossier data folder (a shard is a folder `dossier ingest` wrote)");
      }
      return shard.status();
    }
    shards.push_back(std::move(shard).value());
  }

  // The plan: per path, the newest document holding it; per document, its
  // newest copy and the paths it keeps.
  std::vector<std::vector<DocumentSummary>> listed(shards.size());
  std::map<std::string, std::tuple<int64_t, DocumentId, SourceFile>> path_owner;
  std::map<DocumentId, Planned> plan;
  for (size_t i = 0; i < shards.size(); ++i) {
    DOSSIER_ASSIGN_OR_RETURN(listed[i], shards[i]->ListDocuments(std::numeric_limits<uint32_t>::max(), 0));
    report.shards.push_back({shard_dirs[i], listed[i].size()});
    for (const DocumentSummary& doc : listed[i]) {
      // The newest copy wins; equal times go to the first shard named.
      auto [planned, first] = plan.try_emplace(doc.id, Planned{i, doc.ingested_at_ms, {}});
      if (!first && doc.ingested_at_ms > planned->second.ingested_at_ms) {
        planned->second.shard = i;
        planned->second.ingested_at_ms = doc.ingested_at_ms;
      }
      for (const SourceFile& source : doc.sources) {
        auto [it, fresh] = path_owner.try_emplace(source.path, doc.ingested_at_ms, doc.id, source);
        if (!fresh && doc.ingested_at_ms > std::get<0>(it->second)) it->second = {doc.ingested_at_ms, doc.id, source};
      }
    }
  }
  for (auto& [path, owner] : path_owner) plan[std::get<1>(owner)].sources.push_back(std::get<2>(owner));
  for (auto it = plan.begin(); it != plan.end();) {
    if (it->second.sources.empty()) {
      ++report.superseded;
      it = plan.erase(it);
      continue;
    }
    std::sort(it->second.sources.begin(), it->second.sources.end(),
              [](const SourceFile& a, const SourceFile& b) { return a.path < b.path; });
    ++it;
  }

  std::error_code ec;
  fs::create_directories(into_dir, ec);
  if (ec) return Status::Unavailable(into_dir + ": cannot create the folder to merge into: " + ec.message());
  DOSSIER_ASSIGN_OR_RETURN(std::unique_ptr<Store> into, Store::Open(into_dir, StoreMode::kReadWrite));
  DOSSIER_RETURN_IF_ERROR(CheckIntoIsMergeOutput(into_dir, *into));
  const int64_t started_at_ms = Env::Default()->NowMs();
  DOSSIER_RETURN_IF_ERROR(WriteManifest(into_dir, shard_dirs, started_at_ms, nullptr));

  // What the merged folder holds now decides what to write.
  DOSSIER_ASSIGN_OR_RETURN(std::vector<DocumentSummary> present,
                           into->ListDocuments(std::numeric_limits<uint32_t>::max(), 0));
  std::map<DocumentId, const DocumentSummary*> present_by_id;
  for (const DocumentSummary& doc : present) present_by_id[doc.id] = &doc;
  std::vector<std::pair<int64_t, DocumentId>> to_write;  // oldest first, as an ingest would have met them
  for (const auto& [id, p] : plan) {
    auto it = present_by_id.find(id);
    if (it != present_by_id.end() && it->second->ingested_at_ms == p.ingested_at_ms &&
        SameSources(it->second->sources, p.sources)) {
      ++report.unchanged;
      continue;
    }
    (it == present_by_id.end() ? report.added : report.updated) += 1;
    to_write.emplace_back(p.ingested_at_ms, id);
  }
  std::sort(to_write.begin(), to_write.end());
  std::vector<DocumentId> to_remove;
  for (const DocumentSummary& doc : present) {
    if (!plan.count(doc.id)) to_remove.push_back(doc.id);
  }
  report.removed = to_remove.size();

  // Into a folder without documents, the shards' indexes are merged whole
  // by Xapian's compactor, far faster than analysing every text again; the
  // entries of documents several shards hold, or that a newer version
  // superseded, are dropped and made again (or not at all) below.
  std::set<std::string> held;
  if (present.empty() && !to_write.empty()) {
    std::map<DocumentId, int> copies;
    for (const auto& shard : listed) {
      for (const DocumentSummary& doc : shard) ++copies[doc.id];
    }
    std::vector<DocumentId> drop;
    for (const auto& [id, count] : copies) {
      if (count > 1 || !plan.count(id)) drop.push_back(id);
    }
    std::vector<const Store*> sources;
    for (const auto& shard : shards) sources.push_back(shard.get());
    Result<std::set<std::string>> merged = into->MergeIndexesOf(sources, drop);
    if (merged.ok()) {
      held = std::move(merged).value();
    } else if (merged.status().code() != StatusCode::kFailedPrecondition) {
      return merged.status();
    }
  }

  const uint64_t total = to_write.size() + to_remove.size();
  uint64_t done = 0;
  auto step = [&]() -> Status {
    ++done;
    if (options.progress) options.progress(done, total);
    if (options.flush_every_documents > 0 && done % options.flush_every_documents == 0) return into->Flush();
    return Status::Ok();
  };
  // Removals first: a path a removed document held may belong to a written one.
  for (const DocumentId& id : to_remove) {
    DOSSIER_RETURN_IF_ERROR(into->RemoveDocument(id));
    DOSSIER_RETURN_IF_ERROR(step());
  }
  for (const auto& [at, id] : to_write) {
    const Planned& p = plan[id];
    Status copied = into->CopyDocumentFrom(*shards[p.shard], id, p.sources, held.count(id.ToHex()) > 0);
    if (copied.code() == StatusCode::kNotFound) {
      return Status::Unavailable(shard_dirs[p.shard] + ": document " + id.ToHex() +
                                 " went while merging (is an ingest writing the shard? merge again after it)");
    }
    DOSSIER_RETURN_IF_ERROR(copied);
    // PutDocument keeps the paths a previous version had; the merged
    // folder's are the plan's, so those now elsewhere or gone are dropped
    // (after the put, so the document always keeps a path).
    if (auto it = present_by_id.find(id); it != present_by_id.end()) {
      for (const SourceFile& old : it->second->sources) {
        const bool kept = std::any_of(p.sources.begin(), p.sources.end(),
                                      [&](const SourceFile& s) { return s.path == old.path; });
        if (!kept && !path_owner.count(old.path)) DOSSIER_RETURN_IF_ERROR(into->DetachSource(old.path));
      }
    }
    DOSSIER_RETURN_IF_ERROR(step());
  }
  DOSSIER_RETURN_IF_ERROR(into->Flush());
  // Entries of documents the folder does not hold: a merge killed after
  // its index was merged and before those documents were written.
  DOSSIER_RETURN_IF_ERROR(into->DropIndexEntriesWithoutDocuments().status());
  if (options.compact_after_changes > 0 && total >= options.compact_after_changes) {
    DOSSIER_ASSIGN_OR_RETURN(Store::CompactReport compacted, into->CompactIndex());
    report.compacted = true;
    report.index_bytes_after = compacted.bytes_after;
  }
  DOSSIER_ASSIGN_OR_RETURN(report.documents, into->CountDocuments());
  report.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  DOSSIER_RETURN_IF_ERROR(WriteManifest(into_dir, shard_dirs, started_at_ms, &report));
  return report;
}

}  // namespace dossier
