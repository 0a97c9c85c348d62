// IngestRun: one Ingest() call (internal to core/src/ingest). Its parts, a
// file each:
//   discovery.{h,cc}  the walk over folders and archives (Discovery)
//   admission.cc      what each file found needs: an answer now (unchanged,
//                     duplicate, skipped, failed) or a worker (Prepare)
//   worker_pool.cc    the worker processes: starting them, handing out files
//                     and OCR pages, reading their frames, deadlines
//   committer.cc      the committer thread: documents stored in order,
//                     failures recorded, duplicates released, the report
//   ingest.cc         the run (Go: the poll loop tying them), --prune, and
//                     the public Ingester and RemoveFromStore
// The dispatcher (the calling thread) runs discovery, admission and the
// worker pool; the committer thread alone writes to the store. They meet in
// a bounded TaskQueue.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <unordered_set>
#include <vector>

#include "discovery.h"
#include "dossier/ingest.h"
#include "worker_process.h"
#include "worker_protocol.h"

namespace dossier {

using Clock = std::chrono::steady_clock;

// What the committer thread is asked to do, in order.
struct Task {
  enum Kind {
    kReport,     // only report `result` (unchanged, skipped, a failure already recorded)
    kFailure,    // record the failure of `source`, then report
    kAddSource,  // add `source` to stored document `result.id`, then report
    kStore,      // finish `doc` (language, title, extractors) and store it, then report
    kProgress,   // nothing to store: call on_progress
  };
  Kind kind = kReport;
  FileResult result;
  SourceFile source;
  Document doc;
  bool extracted = false;  // went through a worker (for the ETA)
};

// A bounded FIFO between the dispatcher and the committer.
class TaskQueue {
 public:
  explicit TaskQueue(size_t capacity) : capacity_(capacity) {}
  void Push(Task task) {
    std::unique_lock<std::mutex> lock(mutex_);
    not_full_.wait(lock, [&] { return queue_.size() < capacity_; });
    queue_.push_back(std::move(task));
    not_empty_.notify_one();
  }
  bool TryPush(Task task) {
    std::lock_guard<std::mutex> lock(mutex_);
    if (queue_.size() >= capacity_) return false;
    queue_.push_back(std::move(task));
    not_empty_.notify_one();
    return true;
  }
  // False when closed and empty.
  bool Pop(Task* task) {
    std::unique_lock<std::mutex> lock(mutex_);
    not_empty_.wait(lock, [&] { return closed_ || !queue_.empty(); });
    if (queue_.empty()) return false;
    *task = std::move(queue_.front());
    queue_.pop_front();
    not_full_.notify_one();
    return true;
  }
  void Close() {
    std::lock_guard<std::mutex> lock(mutex_);
    closed_ = true;
    not_empty_.notify_all();
  }

 private:
  size_t capacity_;
  std::mutex mutex_;
  std::condition_variable not_empty_, not_full_;
  std::deque<Task> queue_;
  bool closed_ = false;
};

// A file on its way through a worker.
struct Job {
  FileResult result;
  SourceFile source;
  DocumentId id;
  const LoadedPlugin* plugin = nullptr;
  std::string content;
};

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

// One Ingest() call.
class IngestRun {
 public:
  IngestRun(Store* store, const PluginHost* plugins, const LanguageDetector* languages, const MimeDetector* mime,
            Env* env, const IngestOptions& options)
      : store_(store), plugins_(plugins), languages_(languages), mime_(mime), env_(env), options_(options),
        queue_(2 * Jobs() + 4),
        discovery_(env, {store->data_dir(), options.open_archives, options.max_archive_total_bytes, options.partition},
                   [this](DiscoveryProblem problem) { Discovered(std::move(problem)); }) {}

  Result<IngestSummary> Go(const std::vector<std::string>& paths);

 private:
  unsigned Jobs() const {
    return options_.jobs ? options_.jobs : std::max(1u, std::thread::hardware_concurrency());
  }
  // ---- dispatcher (calling thread) ----
  void Discovered(DiscoveryProblem problem);
  std::optional<Job> NextJob();
  std::optional<Job> Prepare(const Candidate& candidate);
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
  void FailFile(FileResult result, const SourceFile& source, bool record = true);
  void Prune(const std::vector<std::string>& roots);
  void SetFatal(Status status) {
    std::lock_guard<std::mutex> lock(fatal_mutex_);
    if (fatal_.ok()) fatal_ = std::move(status);
  }
  Status Fatal() {
    std::lock_guard<std::mutex> lock(fatal_mutex_);
    return fatal_;
  }
  // ---- committer thread ----
  void CommitLoop();
  void Commit(Task& task);
  void StoreDocument(Task& task);
  void ReleaseDuplicates(const DocumentId& id, const FileResult* failed);
  void Report(FileResult result, bool extracted);

  Store* store_;
  const PluginHost* plugins_;
  const LanguageDetector* languages_;
  const MimeDetector* mime_;
  Env* env_;
  const IngestOptions& options_;
  Clock::time_point start_ = Clock::now();

  // dispatcher state
  std::vector<Slot> slots_;
  std::map<uint64_t, FileInWork> files_;  // files in the workers, by serial number
  uint64_t next_file_ = 0;
  uint64_t handed_over_ = 0;
  unsigned start_failures_ = 0;
  std::unordered_set<std::string> seen_;   // for --prune

  // shared
  TaskQueue queue_;
  std::mutex dup_mutex_;
  std::map<DocumentId, std::vector<SourceFile>> in_flight_;  // id → paths waiting for it (duplicates)
  std::mutex fatal_mutex_;
  Status fatal_;
  Discovery discovery_;  // the walk, and the files it found (dispatcher); discovered() from any thread

  // committer state
  std::map<const LoadedPlugin*, std::unique_ptr<ExtractorPluginInstance>> extractors_;
  IngestSummary summary_;
  // Whether a stored, unchanged document is read again (--reprocess), and
  // whether it was read with OCR settings other than this run's.
  bool OtherOcrSettings(const DocumentSummary& doc) const {
    return !doc.ocr_settings.empty() && doc.ocr_settings != current_ocr_settings_;
  }
  bool ToReprocess(const DocumentSummary& doc) const {
    return options_.reprocess && (options_.force || OtherOcrSettings(doc));
  }
  const std::string current_ocr_settings_ = OcrSettingsName(options_);
  std::atomic<uint64_t> other_settings_{0};
  IngestProgress progress_;
  uint32_t unflushed_ = 0;
  int64_t last_stored_ms_ = 0;  // ingested_at_ms of the last document stored
};

}  // namespace dossier
