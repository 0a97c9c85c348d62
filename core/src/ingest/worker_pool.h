// The worker pool (internal to core/src/ingest): the dossier-worker
// processes of an ingest run. It starts them, hands each a file (a Job from
// admission), hands scanned pages to idle workers at the end of a run, reads
// their frames, keeps the deadlines, and says how a worker ended
// (WorkerEnded). A file whose worker and handed-over pages are done goes to
// the committer's queue: a document to store, or a failure to record.
#pragma once

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "dossier/env.h"
#include "dossier/ingest.h"
#include "dossier/plugin_host.h"
#include "pipeline.h"
#include "worker_process.h"
#include "worker_protocol.h"

namespace dossier {

using Clock = std::chrono::steady_clock;

// A file in the workers: extracted by its own worker, with scanned pages
// that may have been handed to idle workers to OCR.
struct FileInWork {
  Job job;
  Document doc;
  std::vector<std::string> warnings;
  bool extracted = false;      // its own worker finished, or failed
  std::string failure;         // why it failed ("" = it did not)
  uint32_t pages_out = 0;      // pages handed over and not back yet
  uint32_t ocr_failures = 0;   // OCR'd pages that could not be recognised
  std::string ocr_by;          // the OCR plugin, when another worker read a page
};

// One worker process and what it is doing.
struct Slot {
  std::unique_ptr<WorkerProcess> proc;
  bool busy = false;
  enum Kind { kFile, kPage } kind = kFile;
  uint64_t file = 0;            // the FileInWork it works for
  uint32_t page = 0;            // kPage: the page it OCRs
  bool awaiting_image = false;  // kPage: taken, the image not here yet
  uint32_t ocr_started = 0;     // kFile: pages it OCRs itself (each extends its time)
  Clock::time_point started;
};

class WorkerPool {
 public:
  // `workers` processes at most; finished files go to `queue`; a worker that
  // does not start ends the run through `failure`.
  WorkerPool(unsigned workers, const PluginHost* plugins, Env* env, const IngestOptions& options, TaskQueue* queue,
             RunFailure* failure)
      : slots_(std::max(1u, workers)), plugins_(plugins), env_(env), options_(options), queue_(queue),
        failure_(failure) {}

  // Gives each idle worker the next job `next` has; false once `next` has
  // none left (the walk is over).
  bool Fill(const std::function<std::optional<Job>()>& next);
  // Waits at most `max_wait_ms` (less when a deadline comes first) for the
  // busy workers, and handles what they sent and the deadlines that passed.
  // False when no worker is busy: there was nothing to wait for.
  bool Wait(int max_wait_ms);
  // Ends the worker processes (they see their socket close and exit).
  void Stop();

  // Scanned pages handed from a file's worker to an idle one.
  uint64_t handed_over() const { return handed_over_; }

 private:
  bool StartWorker(Slot* slot);
  void Dispatch(Slot* slot, Job job);
  void HandleInput(Slot* slot);
  void HandleFileFrame(Slot* slot, worker::FrameType type, const std::string& payload);
  void HandlePageFrame(Slot* slot, worker::FrameType type, const std::string& payload);
  void Offer(Slot* slot, uint32_t page);
  void ForwardImage(Slot* slot, const std::string& payload);
  void FileExtracted(Slot* slot, std::string failure);
  void PageDone(Slot* slot, std::string failure);
  void MaybeFinish(uint64_t file);
  // A file's allowance grows with the pages it OCRs itself; a handed-over page has its own.
  double Allowance(const Slot& slot) const;

  std::vector<Slot> slots_;
  const PluginHost* plugins_;
  Env* env_;
  const IngestOptions& options_;
  TaskQueue* queue_;
  RunFailure* failure_;
  std::map<uint64_t, FileInWork> files_;  // files in the workers, by serial number
  uint64_t next_file_ = 0;
  uint64_t handed_over_ = 0;
  unsigned start_failures_ = 0;
};

}  // namespace dossier
