// Discovery: what an ingest run is to read. It walks the paths named by the
// user (folders recursively, single files, symbolic links) and then offers,
// in walk order, each regular file, or for an archive Dossier opens
// (archive.h) each of its members. What it cannot offer it reports as a
// problem, when it meets it: a missing or unreadable path, a broken link, a
// damaged archive, or a skip (a link to a folder inside a walk, the data
// folder). The data folder itself is never walked into.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "archive.h"
#include "dossier/env.h"
#include "dossier/ingest.h"
#include "dossier/status.h"

namespace dossier {

// A status's message without the leading "<path>: " that plugin and Env
// messages carry, for a report that names the path already.
std::string Reason(const Status& status, const std::string& path);

struct DiscoveryOptions {
  std::string data_dir;  // the data folder: skipped when a walk meets it
  bool open_archives = true;
  uint64_t max_archive_total_bytes = 16ull << 30;  // all members of one archive, unpacked
  Partition partition;  // files and members of other partitions are not offered
};

// A path Discovery does not offer, and why.
struct DiscoveryProblem {
  FileResult result;    // path, outcome (kFailed, or kSkipped) and message
  bool record = false;  // a failure to record for `source` (an archive that does not open)
  SourceFile source;
};

// One thing to ingest: a file, or the current member of an open archive.
struct Candidate {
  std::string path;  // an archive member is `archive.zip/inner/path`
  uint64_t size = 0;
  int64_t mtime_ns = 0;
  bool member = false;
  std::string unsafe;  // a member whose name is refused (its bytes cannot be read)
};

class Discovery {
 public:
  using ProblemSink = std::function<void(DiscoveryProblem)>;
  Discovery(Env* env, DiscoveryOptions options, ProblemSink on_problem);
  ~Discovery();
  Discovery(const Discovery&) = delete;
  Discovery& operator=(const Discovery&) = delete;

  // Walks a path the user named (a symbolic link to a folder is followed;
  // one met inside a walk is skipped). Its files are offered by Next().
  void AddRoot(const std::string& path);
  // The next file or archive member, in walk order; false at the end.
  bool Next(Candidate* candidate);
  // The bytes of the current candidate, an archive member: ResourceExhausted
  // above `max_bytes`, or once the archive's total limit is passed (its
  // remaining members are then not offered).
  Status ReadMember(uint64_t max_bytes, std::string* content);

  // Files found so far, an archive counted by its members once opened
  // (read from any thread, for progress).
  uint64_t discovered() const { return discovered_; }
  // Prefixes of the paths that could not be read or not to the end (a
  // folder or archive as "<path>/"): what is stored under them is kept by
  // --prune.
  const std::vector<std::string>& unreadable() const { return unreadable_; }
  // The archives met, opened or not: their own paths count as seen for --prune.
  const std::vector<std::string>& archives() const { return archives_; }
  // The files and archive members found but left to other partitions.
  const std::vector<std::string>& other_partitions() const { return other_partitions_; }

 private:
  // A file or archive found by the walk.
  struct Input {
    std::string path;
    FileInfo info;
    std::string key;  // its partition key (Partition)
  };
  // `root` is the path the user named that this walk started from.
  void Walk(const std::string& path, bool explicitly_named, const std::string& root);
  void Problem(FileResult result) { on_problem_({std::move(result)}); }

  Env* env_;
  const DiscoveryOptions options_;
  ProblemSink on_problem_;
  std::vector<Input> inputs_;
  size_t next_input_ = 0;
  std::unique_ptr<ArchiveReader> archive_;
  std::string archive_path_;
  std::string archive_key_;
  uint64_t archive_members_ = 0;
  ArchiveReader::Member member_;
  std::atomic<uint64_t> discovered_{0};
  std::vector<std::string> unreadable_;
  std::vector<std::string> archives_;
  std::vector<std::string> other_partitions_;
};

}  // namespace dossier
