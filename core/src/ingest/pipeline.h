// What the parts of an ingest run hand each other (internal to
// core/src/ingest): the committer's tasks and their bounded queue, the job a
// worker extracts, and the documents in flight that duplicates wait for.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "dossier/ingest.h"
#include "dossier/plugin_host.h"

namespace dossier {

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

// The documents whose content is on its way through a worker, each with
// the other paths of the same content that wait for it (duplicates):
// admission adds them (dispatcher), the committer releases them.
class InFlightDocuments {
 public:
  // `id` goes to a worker.
  void Start(const DocumentId& id) {
    std::lock_guard<std::mutex> lock(mutex_);
    waiting_[id];
  }
  // When `id` is in flight, `source` waits for it (true); false otherwise.
  bool Join(const DocumentId& id, const SourceFile& source) {
    std::lock_guard<std::mutex> lock(mutex_);
    auto it = waiting_.find(id);
    if (it == waiting_.end()) return false;
    it->second.push_back(source);
    return true;
  }
  // Takes `id` out of flight, with the paths that waited for it.
  std::vector<SourceFile> Release(const DocumentId& id) {
    std::lock_guard<std::mutex> lock(mutex_);
    auto it = waiting_.find(id);
    if (it == waiting_.end()) return {};
    std::vector<SourceFile> waiting = std::move(it->second);
    waiting_.erase(it);
    return waiting;
  }

 private:
  std::mutex mutex_;
  std::map<DocumentId, std::vector<SourceFile>> waiting_;
};

// The first error that ends a run (a store that cannot be written, a worker
// that does not start), set by any part from any thread.
class RunFailure {
 public:
  void Set(Status status) {
    std::lock_guard<std::mutex> lock(mutex_);
    if (status_.ok()) status_ = std::move(status);
  }
  Status Get() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return status_;
  }

 private:
  mutable std::mutex mutex_;
  Status status_;
};

}  // namespace dossier
