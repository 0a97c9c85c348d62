// The committer (internal to core/src/ingest): the one thread of an ingest
// run that writes to the store. It takes the tasks in the order their files
// were offered: finishes and stores documents (language, title and date,
// extractors), records failures, adds paths to stored documents, releases
// the duplicates that waited for a document, and reports each file and the
// progress.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>

#include "dossier/ingest.h"
#include "dossier/plugin_host.h"
#include "dossier/store.h"
#include "dossier/text.h"
#include "pipeline.h"

namespace dossier {

class Committer {
 public:
  // `discovered` tells the progress how many files the walk has found so
  // far; `failure` is the run's (a failed write ends it there).
  Committer(Store* store, const PluginHost* plugins, const LanguageDetector* languages, const IngestOptions& options,
            InFlightDocuments* in_flight, RunFailure* failure, std::function<uint64_t()> discovered)
      : store_(store), plugins_(plugins), languages_(languages), options_(options), in_flight_(in_flight),
        failure_(failure), discovered_(std::move(discovered)) {}

  // Commits the queue's tasks until it is closed and empty, then flushes the
  // store. After a failure it only drains the queue, so that the dispatcher
  // never blocks on it.
  void Run(TaskQueue* queue);
  // One task.
  void Commit(Task& task);

  // The files reported so far, by outcome, and their pages.
  const IngestSummary& summary() const { return summary_; }

 private:
  void StoreDocument(Task& task);
  void ReleaseDuplicates(const DocumentId& id, const FileResult* failed);
  void Report(FileResult result, bool extracted);
  void Progress();

  Store* store_;
  const PluginHost* plugins_;
  const LanguageDetector* languages_;
  const IngestOptions& options_;
  InFlightDocuments* in_flight_;
  RunFailure* failure_;
  std::function<uint64_t()> discovered_;
  const std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();

  std::map<const LoadedPlugin*, std::unique_ptr<ExtractorPluginInstance>> extractors_;
  IngestSummary summary_;
  IngestProgress progress_;
  uint32_t unflushed_ = 0;
  int64_t last_stored_ms_ = 0;  // ingested_at_ms of the last document stored
};

}  // namespace dossier
