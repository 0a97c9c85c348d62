// Merging data folders: one folder built from the shard folders that
// `dossier ingest --partition K/N` made, on one machine or many.
//
// The merged folder is written through the same Store::PutDocument as an
// ingest: each document's record, pages, sources and facts are copied by
// document id, and its graph and index entries are made from them there. So
// entities, `same_as`, `recurs` and `responds_to` links span the shards, and
// because the graph is a function of the set of documents (not their order),
// the merged folder answers as a single-folder ingest of the same files.
//
// Which version wins: a path held by several shards goes to the document
// ingested last (the file changed between the runs); a document held by
// several shards (the same content under paths in different partitions) is
// one document with all those paths, its text and facts from the shard that
// ingested it last.
//
// Incremental: a document already in the merged folder with the same
// ingestion time and paths is left alone, so a second merge after one shard
// changed redoes only what changed there (and the links it touches).
// Documents of the merged folder that no shard holds any more go.
//
// Safe to kill: every document goes in under the store's pending-marker
// protocol, so a merge killed at any point leaves a folder that the next
// writer's open repairs, and the next merge finishes the work.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "dossier/status.h"

namespace dossier {

struct MergeOptions {
  std::vector<std::string> shard_dirs;  // data folders made by `dossier ingest` (--partition or not)
  std::string into_dir;                 // created when missing; else a folder an earlier merge made
  uint32_t flush_every_documents = 64;  // index commit batch size, as in ingest
  // A merge that wrote or removed at least this many documents compacts the
  // merged folder's indexes and store after (as ingest does); 0: never.
  uint64_t compact_after_changes = 200;
  // Called after each document is written or removed, one call at a time:
  // done so far and how many this merge writes or removes in all.
  std::function<void(uint64_t done, uint64_t total)> progress;
};

struct MergeShardReport {
  std::string dir;
  uint64_t documents = 0;  // documents the shard holds
};

struct MergeReport {
  std::vector<MergeShardReport> shards;
  uint64_t documents = 0;   // documents in the merged folder afterwards
  uint64_t added = 0;       // not in the merged folder before
  uint64_t updated = 0;     // there, but a shard holds a newer version or other paths
  uint64_t unchanged = 0;   // there as the shards hold them: not written again
  uint64_t removed = 0;     // no shard holds them any more
  uint64_t superseded = 0;  // shard documents whose every path a newer version holds
  double seconds = 0;
  bool compacted = false;
  uint64_t index_bytes_after = 0;  // the search indexes, when compacted
};

// The file in the merged folder that says an earlier merge made it, and from
// which shards (JSON). A folder with documents and without it is refused: a
// merge removes what no shard holds, and that folder's documents came from
// an ingest.
inline constexpr const char* kMergeManifestFile = "merge.json";

// InvalidArgument: no shard, a shard named twice, or `into_dir` is one of
// the shards; NotFound: a shard is not a data folder; FailedPrecondition:
// `into_dir` holds documents no merge put there; kUnavailable: a folder is
// being written by another process. Every message names the folder.
Result<MergeReport> MergeDataFolders(const MergeOptions& options);

}  // namespace dossier
