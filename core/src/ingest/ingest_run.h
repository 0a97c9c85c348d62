// IngestRun: one Ingest() call (internal to core/src/ingest). Its parts, a
// file each:
//   discovery.{h,cc}  the walk over folders and archives (Discovery)
//   admission.{h,cc}  what each file found needs: an answer now (unchanged,
//                     duplicate, skipped, failed) or a worker (Admission)
//   pipeline.h        what the parts hand each other: tasks, jobs, the
//                     documents in flight
//   worker_pool.{h,cc} the worker processes: starting them, handing out
//                     files and OCR pages, reading their frames, deadlines
//                     (WorkerPool)
//   committer.{h,cc}  the committer thread: documents stored in order,
//                     failures recorded, duplicates released, the report
//                     (Committer)
//   ingest.cc         the run (Go: the poll loop tying them), --prune, and
//                     the public Ingester and RemoveFromStore
// The dispatcher (the calling thread) runs discovery, admission and the
// worker pool; the committer thread alone writes to the store. They meet in
// a bounded TaskQueue.
#pragma once

#include <algorithm>
#include <optional>
#include <string>
#include <thread>
#include <unordered_set>
#include <vector>

#include "admission.h"
#include "committer.h"
#include "discovery.h"
#include "dossier/ingest.h"
#include "pipeline.h"
#include "worker_pool.h"

namespace dossier {

// One Ingest() call.
class IngestRun {
 public:
  IngestRun(Store* store, const PluginHost* plugins, const LanguageDetector* languages, const MimeDetector* mime,
            Env* env, const IngestOptions& options)
      : store_(store), env_(env), options_(options),
        queue_(2 * Jobs() + 4), admission_(store, plugins, mime, env, options, &in_flight_),
        discovery_(env, {store->data_dir(), options.open_archives, options.max_archive_total_bytes, options.partition},
                   [this](DiscoveryProblem problem) { Discovered(std::move(problem)); }),
        pool_(Jobs(), plugins, env, options, &queue_, &failure_),
        committer_(store, plugins, languages, options, &in_flight_, &failure_,
                   [this] { return discovery_.discovered(); }) {}

  Result<IngestSummary> Go(const std::vector<std::string>& paths);

 private:
  unsigned Jobs() const {
    return options_.jobs ? options_.jobs : std::max(1u, std::thread::hardware_concurrency());
  }
  // ---- dispatcher (calling thread) ----
  void Discovered(DiscoveryProblem problem);
  std::optional<Job> NextJob();
  void Prune(const std::vector<std::string>& roots);
  void SetFatal(Status status) { failure_.Set(std::move(status)); }
  Status Fatal() const { return failure_.Get(); }

  Store* store_;
  Env* env_;
  const IngestOptions& options_;
  Clock::time_point start_ = Clock::now();

  std::unordered_set<std::string> seen_;  // the paths offered (for --prune)
  TaskQueue queue_;
  InFlightDocuments in_flight_;  // ids in the workers, and the paths of the same content waiting for them
  Admission admission_;          // dispatcher
  RunFailure failure_;
  Discovery discovery_;  // the walk, and the files it found (dispatcher); discovered() from any thread

  WorkerPool pool_;      // dispatcher
  Committer committer_;  // the committer thread's
};

}  // namespace dossier
