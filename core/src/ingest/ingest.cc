// The ingester: a bounded pipeline from files, folders and archives to
// documents in the store, with the ingestion plugins in worker processes.
#include "dossier/ingest.h"

#include <poll.h>

#include <algorithm>
#include <atomic>
#include <set>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <filesystem>
#include <map>
#include <mutex>
#include <thread>
#include <unordered_set>

#include "archive.h"
#include "discovery.h"
#include "dossier/graph.h"
#include "dossier/paths.h"
#include "dossier/facts.h"
#include "dossier/text.h"
#include "dossier/title_date.h"
#include "worker_process.h"

namespace dossier {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

std::string DefaultWorkerExecutable() {
  std::error_code ec;
  fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  if (ec) return "dossier-worker";
  return (exe.parent_path() / "dossier-worker").string();
}

namespace {

// The title and date from the document itself (title_date.h).
void ChooseTitleAndDate(Document* doc, const std::string& file_name) {
  const TitleChoice title = ChooseTitle(doc->pages, ParseTypesetLines(doc->metadata.typeset_lines), doc->metadata.title, file_name);
  doc->title = title.title;
  doc->title_source = title.source;
  doc->metadata.typeset_lines.clear();
  const DateChoice date = ChooseDate(doc->pages, doc->metadata.created, doc->title);
  doc->date = date.value;
  doc->date_source = date.source;
}

// The document's date as the one `document_date` fact the graph, the text
// index and the export read, in place of an extractor's own guess.
void SetDocumentDateFact(Document* doc) {
  std::vector<std::string> kept;
  for (std::string& encoded : doc->facts) {
    if (encoded.find("document_date") != std::string::npos) {
      Result<Fact> fact = DecodeFact(encoded);
      if (fact.ok() && std::holds_alternative<DocumentDateFact>(*fact)) continue;
    }
    kept.push_back(std::move(encoded));
  }
  if (!doc->date.empty()) kept.push_back(EncodeFact(DocumentDateFact{doc->date}));
  doc->facts = std::move(kept);
}

std::string LowerExtension(const std::string& path) {
  std::string ext = fs::path(path).extension().string();
  for (char& c : ext) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return ext;
}

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

}  // namespace

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

namespace {
bool UnderPrefix(const std::string& path, const std::string& prefix) { return path.rfind(prefix, 0) == 0; }
}  // namespace

// ------------------------------------------------------------------ discovery

// A path the walk cannot offer (discovery.h): reported, or recorded as failed.
void IngestRun::Discovered(DiscoveryProblem problem) {
  if (problem.record) return FailFile(std::move(problem.result), problem.source);
  queue_.Push({Task::kReport, std::move(problem.result)});
}

void IngestRun::FailFile(FileResult result, const SourceFile& source, bool record) {
  result.outcome = FileOutcome::kFailed;
  Task task{record ? Task::kFailure : Task::kReport, std::move(result)};
  task.source = source;
  queue_.Push(std::move(task));
}

std::optional<Job> IngestRun::NextJob() {
  Candidate c;
  while (Fatal().ok() && discovery_.Next(&c)) {
    std::optional<Job> job = Prepare(c);
    if (job) return job;
  }
  return std::nullopt;
}

// Decides what a candidate needs: an answer now (unchanged, duplicate,
// skipped, failed) or extraction by a worker (the returned job).
std::optional<Job> IngestRun::Prepare(const Candidate& c) {
  if (options_.prune) seen_.insert(c.path);
  FileResult result;
  result.path = c.path;
  const SourceFile source{c.path, c.size, c.mtime_ns};
  auto failed = [&](std::string reason, bool record = true) {
    result.message = std::move(reason);
    FailFile(std::move(result), source, record);
    return std::nullopt;
  };
  if (!c.unsafe.empty()) return failed("refused archive member: " + c.unsafe, /*record=*/false);
  if (c.size == 0) return failed("empty file (0 bytes)");

  // Unchanged since last time: same path, size and mtime, document still there.
  Result<std::optional<SourceEntry>> known = store_->LookupSource(c.path);
  if (!known.ok()) {
    SetFatal(known.status());
    return std::nullopt;
  }
  if (*known && (*known)->size == c.size && (*known)->mtime_ns == c.mtime_ns) {
    Result<std::optional<DocumentSummary>> doc = store_->GetDocument((*known)->id);
    if (doc.ok() && *doc && !ToReprocess(**doc)) {
      if (options_.ocr && OtherOcrSettings(**doc)) ++other_settings_;
      result.outcome = FileOutcome::kUnchanged;
      result.id = (*known)->id;
      result.mime_type = (*doc)->mime_type;
      result.pages = (*doc)->page_count;
      result.ocr_pages = (*doc)->ocr_page_count;
      queue_.Push({Task::kReport, std::move(result)});
      return std::nullopt;
    }
  }
  // Failed last time and not changed since: not tried again unless asked.
  if (!options_.retry_failed) {
    Result<std::optional<FailureEntry>> failure = store_->LookupFailure(c.path);
    if (failure.ok() && *failure && (*failure)->size == c.size && (*failure)->mtime_ns == c.mtime_ns) {
      return failed((*failure)->reason + " (failed before and unchanged since; --retry-failed tries again)",
                    /*record=*/false);
    }
  }

  std::string content;
  if (c.member) {
    Status s = discovery_.ReadMember(std::min(options_.max_member_bytes, options_.max_file_bytes), &content);
    if (!s.ok()) return failed(s.message());
  } else if (Status s = env_->ReadFile(c.path, options_.max_file_bytes, &content); !s.ok()) {
    return failed(Reason(s, c.path));
  }
  if (content.empty()) return failed("empty file (0 bytes)");
  const DocumentId id = DocumentId::FromHex(Sha256Hex(content).substr(0, DocumentId::kSize * 2)).value();
  result.id = id;
  SourceFile actual = source;
  actual.size = content.size();

  // The same content on its way through a worker: this path joins it.
  {
    std::lock_guard<std::mutex> lock(dup_mutex_);
    auto it = in_flight_.find(id);
    if (it != in_flight_.end()) {
      it->second.push_back(actual);
      return std::nullopt;
    }
  }
  // Same content stored already (this path touched, or another path: a duplicate).
  Result<std::optional<DocumentSummary>> existing = store_->GetDocument(id);
  if (!existing.ok()) {
    SetFatal(existing.status());
    return std::nullopt;
  }
  if (*existing && !ToReprocess(**existing)) {
    const DocumentSummary& doc = **existing;
    result.outcome = FileOutcome::kUnchanged;
    result.mime_type = doc.mime_type;
    result.pages = doc.page_count;
    result.ocr_pages = doc.ocr_page_count;
    bool has_path = false;
    for (const SourceFile& other : doc.sources) has_path |= other.path == c.path;
    if (!has_path) {
      result.outcome = FileOutcome::kDuplicate;
      for (const SourceFile& other : doc.sources) {
        result.message = "same content as " + other.path;
        break;
      }
    }
    Task task{Task::kAddSource, std::move(result)};
    task.source = actual;
    queue_.Push(std::move(task));
    return std::nullopt;
  }

  result.mime_type = mime_->Detect(content, c.path);
  const LoadedPlugin* plugin = plugins_->FindIngestPlugin(result.mime_type);
  if (plugin == nullptr) {
    // A name that promises a type we handle, with content that is not it, is
    // an error; any other unhandled type is merely skipped.
    const std::string ext = LowerExtension(c.path);
    for (const auto& p : plugins_->plugins()) {
      const auto& exts = p->manifest().extensions;
      if (!ext.empty() && std::find(exts.begin(), exts.end(), ext) != exts.end()) {
        return failed("not a valid " + ext.substr(1) + " file: content is " + result.mime_type);
      }
    }
    result.outcome = FileOutcome::kSkipped;
    result.message = "no plugin handles " + result.mime_type;
    queue_.Push({Task::kReport, std::move(result)});
    return std::nullopt;
  }
  if (!options_.ocr && plugin->CanRecognisePages()) {
    result.outcome = FileOutcome::kSkipped;
    result.message = result.mime_type + " needs OCR, which is turned off";
    queue_.Push({Task::kReport, std::move(result)});
    return std::nullopt;
  }
  {
    std::lock_guard<std::mutex> lock(dup_mutex_);
    in_flight_[id];
  }
  Job job;
  job.result = std::move(result);
  job.source = actual;
  job.id = id;
  job.plugin = plugin;
  job.content = std::move(content);
  return job;
}

// ------------------------------------------------------------------ workers

bool IngestRun::StartWorker(Slot* slot) {
  if (slot->proc) return true;
  WorkerSpec spec;
  spec.executable = options_.worker_executable.empty() ? DefaultWorkerExecutable() : options_.worker_executable;
  spec.plugin_dir = plugins_->plugin_dir();
  spec.ocr_languages = options_.ocr_languages;
  spec.ocr_strategy = options_.ocr_strategy;
  spec.ocr = options_.ocr;
  spec.max_memory = options_.max_worker_memory;
  Result<std::unique_ptr<WorkerProcess>> started = WorkerProcess::Start(spec);
  if (!started.ok()) {
    SetFatal(started.status());
    return false;
  }
  slot->proc = std::move(started).value();
  return true;
}

void IngestRun::Dispatch(Slot* slot, Job job) {
  const uint64_t serial = ++next_file_;
  files_[serial].job = std::move(job);
  slot->busy = true;
  slot->kind = Slot::kFile;
  slot->file = serial;
  slot->ocr_started = 0;
  slot->started = Clock::now();
  if (!StartWorker(slot)) return FileExtracted(slot, Fatal().message());
  FileInWork& f = files_[serial];
  const Job& j = f.job;
  bool sent = slot->proc->SendJob(j.result.path, j.result.mime_type, j.plugin->manifest().name, j.content);
  f.job.content = std::string();  // the worker has it now
  if (!sent) HandleInput(slot);   // the worker is gone: find out why
}

// Reads what a busy worker sent; ends its job on 'D', 'E' or its death.
void IngestRun::HandleInput(Slot* slot) {
  bool open = slot->proc->ReadAvailable();
  worker::FrameType type;
  std::string payload;
  while (slot->busy && slot->proc && slot->proc->NextFrame(&type, &payload)) {
    if (slot->kind == Slot::kFile) HandleFileFrame(slot, type, payload);
    else HandlePageFrame(slot, type, payload);
  }
  if (open || !slot->proc) return;
  // The worker is gone.
  const bool was_ready = slot->proc->ready();
  const WorkerEnded ended = slot->proc->Reap(/*kill=*/false, options_.max_worker_memory);
  slot->proc.reset();
  if (!was_ready && ++start_failures_ >= 3) {
    SetFatal(Status::FailedPrecondition("the ingest worker does not start (" + ended.Describe() + "): " +
                                        (options_.worker_executable.empty() ? DefaultWorkerExecutable()
                                                                            : options_.worker_executable)));
  }
  if (was_ready) start_failures_ = 0;
  if (!slot->busy) return;
  if (slot->kind == Slot::kPage) return PageDone(slot, ended.PageFailure());
  FileExtracted(slot, ended.FileFailure(files_[slot->file].job.plugin->manifest().name));
}

namespace {
// An 'E' frame: the status the worker failed with.
Status ReadError(worker::Reader& r) {
  uint32_t code = 0;
  std::string_view message;
  (void)r.GetFixed32(&code);
  (void)r.GetString(&message);
  return Status(static_cast<StatusCode>(code), std::string(message));
}
}  // namespace

void IngestRun::HandleFileFrame(Slot* slot, worker::FrameType type, const std::string& payload) {
  FileInWork& f = files_[slot->file];
  worker::Reader r(payload);
  switch (type) {
    case worker::kMetadata: {
      std::string_view key, value;
      if (!r.GetString(&key) || !r.GetString(&value)) break;
      DocumentMetadata& m = f.doc.metadata;
      if (key == "title") m.title = value;
      else if (key == "author") m.author = value;
      else if (key == "subject") m.subject = value;
      else if (key == "keywords") m.keywords = value;
      else if (key == "creator") m.creator = value;
      else if (key == "producer") m.producer = value;
      else if (key == "created") m.created = value;
      else if (key == "modified") m.modified = value;
      else if (key == "typeset_lines") m.typeset_lines = value;
      break;
    }
    case worker::kOffer: {
      uint32_t page = 0;
      if (r.GetFixed32(&page)) Offer(slot, page);
      break;
    }
    case worker::kImage: ForwardImage(slot, payload); break;
    case worker::kOcrStarted: ++slot->ocr_started; break;
    case worker::kPage: {
      PageText page;
      if (worker::ParsePagePayload(payload, &page)) f.doc.pages.push_back(std::move(page));
      break;
    }
    case worker::kWarning: f.warnings.emplace_back(payload); break;
    case worker::kDone: {
      std::string_view by;
      uint32_t failures = 0;
      (void)r.GetString(&by);
      (void)r.GetFixed32(&failures);
      f.doc.extracted_by = by;
      f.ocr_failures += failures;
      FileExtracted(slot, "");
      break;
    }
    case worker::kError: FileExtracted(slot, Reason(ReadError(r), f.job.result.path)); break;
    default: break;
  }
}

// A worker rendered a scanned page: an idle worker OCRs it if there is one
// (the end of a run), else the worker itself does.
void IngestRun::Offer(Slot* slot, uint32_t page) {
  Slot* idle = nullptr;
  for (Slot& other : slots_) {
    if (!other.busy && &other != slot) {
      idle = &other;
      break;
    }
  }
  if (idle != nullptr && !StartWorker(idle)) idle = nullptr;
  if (idle == nullptr) {
    (void)slot->proc->Send(worker::kKeep, "");  // a broken socket shows up at the next read
    return;
  }
  idle->busy = true;
  idle->kind = Slot::kPage;
  idle->file = slot->file;
  idle->page = page;
  idle->awaiting_image = true;
  idle->started = Clock::now();
  ++files_[slot->file].pages_out;
  (void)slot->proc->Send(worker::kTake, "");
}

void IngestRun::ForwardImage(Slot* slot, const std::string& payload) {
  uint32_t page = 0;
  worker::Reader r(payload);
  if (!r.GetFixed32(&page)) return;
  for (Slot& helper : slots_) {
    if (!helper.busy || helper.kind != Slot::kPage || !helper.awaiting_image || helper.file != slot->file ||
        helper.page != page) {
      continue;
    }
    helper.awaiting_image = false;
    helper.started = Clock::now();
    ++handed_over_;
    if (!helper.proc->Send(worker::kOcrJob, payload)) HandleInput(&helper);  // gone: find out why
    return;
  }
}

void IngestRun::HandlePageFrame(Slot* slot, worker::FrameType type, const std::string& payload) {
  FileInWork& f = files_[slot->file];
  worker::Reader r(payload);
  switch (type) {
    case worker::kPage: {
      PageText page;
      if (worker::ParsePagePayload(payload, &page)) f.doc.pages.push_back(std::move(page));
      break;
    }
    case worker::kWarning: f.warnings.emplace_back(payload); break;
    case worker::kDone: {
      std::string_view by;
      (void)r.GetString(&by);
      f.ocr_by = by;
      PageDone(slot, "");
      break;
    }
    case worker::kError: PageDone(slot, ReadError(r).message()); break;
    default: break;
  }
}

// A file's own worker is done with it (failed when `failure` is not empty).
void IngestRun::FileExtracted(Slot* slot, std::string failure) {
  slot->busy = false;
  const uint64_t serial = slot->file;
  FileInWork& f = files_[serial];
  f.extracted = true;
  f.failure = std::move(failure);
  // Pages it offered but never sent (it died on the way) are not coming.
  for (Slot& helper : slots_) {
    if (helper.busy && helper.kind == Slot::kPage && helper.file == serial && helper.awaiting_image) {
      helper.busy = false;
      helper.awaiting_image = false;
      --f.pages_out;
    }
  }
  MaybeFinish(serial);
}

// A handed-over page is back (read, or failed with the reason).
void IngestRun::PageDone(Slot* slot, std::string failure) {
  slot->busy = false;
  FileInWork& f = files_[slot->file];
  --f.pages_out;
  if (!failure.empty()) {
    ++f.ocr_failures;
    f.warnings.push_back("page " + std::to_string(slot->page) + ": " + failure + "; the page is indexed as empty");
    PageText page;
    page.number = slot->page;
    page.source = TextSource::kOcr;
    page.ocr_confidence = 0;
    f.doc.pages.push_back(std::move(page));
  }
  MaybeFinish(slot->file);
}

// Hands a file to the committer once its worker and every page it handed
// over are done: stored, or recorded as failed.
void IngestRun::MaybeFinish(uint64_t serial) {
  auto it = files_.find(serial);
  if (it == files_.end() || !it->second.extracted || it->second.pages_out > 0) return;
  FileInWork f = std::move(it->second);
  files_.erase(it);
  Job& job = f.job;
  Document& doc = f.doc;
  std::stable_sort(doc.pages.begin(), doc.pages.end(),
                   [](const PageText& a, const PageText& b) { return a.number < b.number; });
  if (f.failure.empty()) {
    size_t ocr_pages = 0;
    bool any_text = false;
    for (const PageText& page : doc.pages) {
      ocr_pages += page.source == TextSource::kOcr;
      any_text |= page.source != TextSource::kOcr && !page.text.empty();
    }
    if (ocr_pages > 0 && f.ocr_failures >= ocr_pages && !any_text && !f.warnings.empty()) {
      f.failure = "OCR failed on every page: " + f.warnings.back();
    }
  }
  if (!f.failure.empty()) {
    job.result.message = std::move(f.failure);
    job.result.warnings = std::move(f.warnings);
    Task task{Task::kFailure, std::move(job.result)};
    task.source = job.source;
    task.extracted = true;
    queue_.Push(std::move(task));
    return;
  }
  if (!f.ocr_by.empty() && doc.extracted_by.find(f.ocr_by) == std::string::npos) doc.extracted_by += " + " + f.ocr_by;
  // The OCR settings this text depends on: none when every page had a text
  // layer, "off" when a page stayed empty for want of OCR.
  const bool left_empty = std::any_of(doc.pages.begin(), doc.pages.end(), [](const PageText& p) {
    return p.source != TextSource::kOcr && p.text.find_first_not_of(" \t\n\f") == std::string::npos;
  });
  const bool ocr_read = std::any_of(doc.pages.begin(), doc.pages.end(), [](const PageText& p) { return p.source == TextSource::kOcr; });
  const bool can_ocr = options_.ocr && plugins_->FindOcrPlugin() != nullptr;
  doc.ocr_settings = ocr_read || (left_empty && can_ocr) ? OcrSettingsName(options_) : left_empty ? "off" : "";
  doc.id = job.id;
  doc.mime_type = job.result.mime_type;
  doc.size_bytes = job.source.size;
  doc.sources = {job.source};
  doc.ingested_at_ms = env_->NowMs();
  job.result.warnings = std::move(f.warnings);
  Task task{Task::kStore, std::move(job.result)};
  task.source = job.source;
  task.doc = std::move(doc);
  task.extracted = true;
  queue_.Push(std::move(task));
}

// ------------------------------------------------------------------ committer

void IngestRun::CommitLoop() {
  Task task;
  // An exception (a library's, or a bug) would end the process from this
  // thread: it ends the run instead, as a failed write does.
  auto guarded = [this](auto&& step) {
    try {
      step();
    } catch (const std::exception& e) {
      SetFatal(Status::Internal(store_->data_dir() + ": storing: unexpected error: " + e.what()));
    } catch (...) {
      SetFatal(Status::Internal(store_->data_dir() + ": storing: unexpected error"));
    }
  };
  while (queue_.Pop(&task)) {
    if (!Fatal().ok()) continue;  // drain, so the dispatcher never blocks
    guarded([&] { Commit(task); });
  }
  if (Fatal().ok()) {
    guarded([&] {
      if (Status s = store_->Flush(); !s.ok()) SetFatal(s);
    });
  }
}

void IngestRun::Commit(Task& task) {
  switch (task.kind) {
    case Task::kProgress:
      progress_.seconds = std::chrono::duration<double>(Clock::now() - start_).count();
      progress_.discovered = discovery_.discovered();
      if (options_.on_progress) options_.on_progress(progress_);
      return;
    case Task::kReport: return Report(std::move(task.result), task.extracted);
    case Task::kFailure: {
      const SourceFile& f = task.source;
      if (Status s = store_->RecordFailure(f.path, f.size, f.mtime_ns, task.result.message); !s.ok()) return SetFatal(s);
      if (task.result.id) ReleaseDuplicates(*task.result.id, &task.result);
      return Report(std::move(task.result), task.extracted);
    }
    case Task::kAddSource: {
      if (Status s = store_->AddSource(*task.result.id, task.source); !s.ok()) return SetFatal(s);
      (void)store_->ClearFailure(task.source.path);
      return Report(std::move(task.result), false);
    }
    case Task::kStore: return StoreDocument(task);
  }
}

void IngestRun::StoreDocument(Task& task) {
  FileResult& result = task.result;
  Document& doc = task.doc;
  const std::string& path = result.path;
  std::string sample;
  size_t text_bytes = 0;
  for (const PageText& page : doc.pages) {
    text_bytes += page.text.size();
    if (page.source == TextSource::kOcr) ++result.ocr_pages;
    if (sample.size() < 16 * 1024) sample.append(page.text).push_back('\n');
  }
  doc.language = languages_->Detect(sample);
  ChooseTitleAndDate(&doc, fs::path(path).filename().string());
  for (const LoadedPlugin* extractor : plugins_->Extractors()) {
    auto& instance = extractors_[extractor];
    if (!instance) {
      Result<std::unique_ptr<ExtractorPluginInstance>> created =
          extractor->CreateExtractorInstance(R"({"line_styles":true})");
      if (!created.ok()) {
        result.warnings.push_back(created.status().message());
        continue;
      }
      instance = std::move(created).value();
    }
    Result<ExtractedFacts> facts = instance->Extract(doc);
    if (!facts.ok()) {
      result.warnings.push_back(Reason(facts.status(), path));  // the text is still stored and searchable
      continue;
    }
    for (std::string& w : facts->warnings) result.warnings.push_back("extractor " + extractor->manifest().name + ": " + w);
    for (std::string& fact : facts->facts) doc.facts.push_back(std::move(fact));
    doc.extractors.push_back(extractor->NameAndVersion());
  }
  SetDocumentDateFact(&doc);
  if (text_bytes == 0) {
    const char* why = !options_.ocr                          ? ": OCR is off (--no-ocr), so scanned pages stay empty"
                      : plugins_->FindOcrPlugin() == nullptr ? ": scanned pages need the ocr plugin (see `dossier plugins`)"
                                                             : "";
    result.warnings.push_back("no text found in " + std::to_string(doc.pages.size()) + " page(s)" + why);
  }
  // Strictly increasing in the order documents are stored, so that the order
  // can be told from the records (check --repair enters the graph again in it).
  doc.ingested_at_ms = std::max(doc.ingested_at_ms, last_stored_ms_ + 1);
  last_stored_ms_ = doc.ingested_at_ms;
  if (Status s = store_->PutDocument(doc); !s.ok()) return SetFatal(s);
  (void)store_->ClearFailure(path);
  result.outcome = FileOutcome::kIngested;
  result.pages = static_cast<uint32_t>(doc.pages.size());
  const DocumentId id = doc.id;
  Report(std::move(result), true);
  ReleaseDuplicates(id, nullptr);
  if (++unflushed_ >= options_.flush_every_documents) {
    if (Status s = store_->Flush(); !s.ok()) return SetFatal(s);
    unflushed_ = 0;
  }
}

// Paths that waited for a document's content: added to it, or failed with it.
void IngestRun::ReleaseDuplicates(const DocumentId& id, const FileResult* failed) {
  std::vector<SourceFile> waiting;
  std::string first_path;
  {
    std::lock_guard<std::mutex> lock(dup_mutex_);
    auto it = in_flight_.find(id);
    if (it == in_flight_.end()) return;
    waiting = std::move(it->second);
    in_flight_.erase(it);
  }
  Result<std::optional<DocumentSummary>> doc = failed ? Result<std::optional<DocumentSummary>>(std::nullopt)
                                                      : store_->GetDocument(id);
  for (const SourceFile& source : waiting) {
    FileResult r;
    r.path = source.path;
    r.id = id;
    if (failed) {
      r.outcome = FileOutcome::kFailed;
      r.mime_type = failed->mime_type;
      r.message = failed->message + " (same content as " + failed->path + ")";
      if (Status s = store_->RecordFailure(source.path, source.size, source.mtime_ns, r.message); !s.ok()) return SetFatal(s);
    } else {
      if (Status s = store_->AddSource(id, source); !s.ok()) return SetFatal(s);
      (void)store_->ClearFailure(source.path);
      r.outcome = FileOutcome::kDuplicate;
      if (doc.ok() && *doc) {
        r.mime_type = (*doc)->mime_type;
        r.pages = (*doc)->page_count;
        r.ocr_pages = (*doc)->ocr_page_count;
        for (const SourceFile& other : (*doc)->sources) {
          if (other.path != source.path) {
            r.message = "same content as " + other.path;
            break;
          }
        }
      }
    }
    Report(std::move(r), false);
  }
}

void IngestRun::Report(FileResult result, bool extracted) {
  ++summary_.files;
  ++progress_.done;
  if (extracted) ++progress_.extracted;
  switch (result.outcome) {
    case FileOutcome::kIngested:
      ++summary_.ingested;
      summary_.pages += result.pages;
      summary_.ocr_pages += result.ocr_pages;
      progress_.pages += result.pages;
      break;
    case FileOutcome::kUnchanged: ++summary_.unchanged; break;
    case FileOutcome::kDuplicate: ++summary_.duplicates; break;
    case FileOutcome::kSkipped: ++summary_.skipped; break;
    case FileOutcome::kFailed:
      ++summary_.failed;
      ++progress_.failed;
      break;
    case FileOutcome::kRemoved: --summary_.files; ++summary_.removed; break;
  }
  if (options_.on_file) options_.on_file(result);
  if (options_.on_progress) {
    progress_.seconds = std::chrono::duration<double>(Clock::now() - start_).count();
    progress_.discovered = discovery_.discovered();
    options_.on_progress(progress_);
  }
}

// ------------------------------------------------------------------ prune

void IngestRun::Prune(const std::vector<std::string>& roots) {
  seen_.insert(discovery_.archives().begin(), discovery_.archives().end());
  const std::vector<std::string>& unreadable = discovery_.unreadable();
  const std::set<std::string> other_partitions(discovery_.other_partitions().begin(), discovery_.other_partitions().end());
  std::vector<std::pair<std::string, SourceEntry>> stored;
  for (const std::string& root : roots) {
    FileInfo info;
    Status st = env_->Stat(root, &info);
    if (!st.ok() && st.code() != StatusCode::kNotFound) continue;
    if (st.ok() && info.type == FileInfo::Type::kRegular && !IsArchivePath(root)) {
      // A single file: only its own path.
    } else {
      Result<std::vector<std::pair<std::string, SourceEntry>>> under = store_->ListSources(root + "/");
      if (!under.ok()) return SetFatal(under.status());
      for (auto& e : *under) stored.push_back(std::move(e));
    }
    Result<std::optional<SourceEntry>> exact = store_->LookupSource(root);
    if (!exact.ok()) return SetFatal(exact.status());
    if (*exact) stored.emplace_back(root, **exact);
  }
  for (const auto& [path, entry] : stored) {
    if (seen_.count(path)) continue;
    if (std::any_of(unreadable.begin(), unreadable.end(), [&](const std::string& p) { return UnderPrefix(path, p); })) {
      continue;
    }
    Result<std::optional<DocumentSummary>> doc = store_->GetDocument(entry.id);
    if (!doc.ok()) return SetFatal(doc.status());
    if (Status s = store_->DetachSource(path); !s.ok()) return SetFatal(s);
    (void)store_->ClearFailure(path);
    FileResult r{path, FileOutcome::kRemoved};
    r.id = entry.id;
    const bool last = !*doc || (*doc)->sources.size() <= 1;
    const std::string why = other_partitions.count(path) ? "file is in another partition than " + options_.partition.Name()
                                                         : "file is gone";
    r.message = why + (last ? ": document removed" : ": path removed, the document keeps its other paths");
    Report(std::move(r), false);
  }
  if (Status s = store_->Flush(); !s.ok()) SetFatal(s);
}

// ------------------------------------------------------------------ the run

Result<IngestSummary> IngestRun::Go(const std::vector<std::string>& paths) {
  // What opening the data folder finished for a run that died (reported as "repaired").
  summary_.repair = store_->RepairedAtOpen();
  std::thread committer([this] { CommitLoop(); });
  std::vector<std::string> roots;
  for (const std::string& path : paths) {
    roots.push_back(AbsolutePath(path));
    discovery_.AddRoot(roots.back());
  }
  slots_.resize(std::max(1u, Jobs()));
  auto last_tick = Clock::now();
  bool exhausted = false;
  while (Fatal().ok()) {
    for (Slot& slot : slots_) {
      if (slot.busy || exhausted || !Fatal().ok()) continue;
      std::optional<Job> job = NextJob();
      if (!job) {
        exhausted = true;
        break;
      }
      Dispatch(&slot, std::move(*job));
    }
    std::vector<pollfd> fds;
    std::vector<Slot*> polled;
    int wait_ms = 1000;
    const auto now = Clock::now();
    // A file's allowance grows with the pages it OCRs itself; a handed-over page has its own.
    auto allowance = [&](const Slot& slot) {
      return slot.kind == Slot::kPage ? options_.ocr_page_timeout_seconds
                                      : options_.timeout_seconds + slot.ocr_started * options_.ocr_page_timeout_seconds;
    };
    for (Slot& slot : slots_) {
      if (!slot.busy || !slot.proc || slot.awaiting_image) continue;
      fds.push_back({slot.proc->fd(), POLLIN, 0});
      polled.push_back(&slot);
      const double left = allowance(slot) - std::chrono::duration<double>(now - slot.started).count();
      wait_ms = std::min(wait_ms, std::max(0, static_cast<int>(left * 1000) + 1));
    }
    if (polled.empty()) {
      if (exhausted) break;
      continue;
    }
    int ready = ::poll(fds.data(), fds.size(), wait_ms);
    for (size_t i = 0; ready > 0 && i < fds.size(); ++i) {
      if (fds[i].revents != 0 && polled[i]->busy && !polled[i]->awaiting_image) HandleInput(polled[i]);
    }
    const auto after = Clock::now();
    for (Slot* slot : polled) {
      if (!slot->busy || slot->awaiting_image) continue;
      const double took = std::chrono::duration<double>(after - slot->started).count();
      if (took < allowance(*slot)) continue;
      (void)slot->proc->Reap(/*kill=*/true, 0);
      slot->proc.reset();
      const WorkerEnded ended = WorkerEnded::Timeout(took);
      if (slot->kind == Slot::kPage) {
        PageDone(slot, ended.PageFailure());
      } else {
        FileExtracted(slot, ended.FileFailure(files_[slot->file].job.plugin->manifest().name));
      }
    }
    if (after - last_tick >= std::chrono::seconds(1)) {
      last_tick = after;
      (void)queue_.TryPush({Task::kProgress});
    }
  }
  for (Slot& slot : slots_) slot.proc.reset();  // workers see the socket close and exit
  queue_.Close();
  committer.join();
  DOSSIER_RETURN_IF_ERROR(Fatal());
  if (options_.prune) {
    Prune(roots);
    DOSSIER_RETURN_IF_ERROR(Fatal());
  }
  summary_.seconds = std::chrono::duration<double>(Clock::now() - start_).count();
  summary_.ocr_pages_handed_over = handed_over_;
  summary_.other_settings = other_settings_;
  summary_.other_partitions = discovery_.other_partitions().size();
  return summary_;
}

Ingester::Ingester(Store* store, const PluginHost* plugins, const LanguageDetector* languages,
                   const MimeDetector* mime, Env* env)
    : store_(store), plugins_(plugins), languages_(languages), mime_(mime), env_(env) {}

Ingester::~Ingester() = default;

Result<std::vector<std::string>> StoredSourceFiles(const Store& store) {
  DOSSIER_ASSIGN_OR_RETURN(auto sources, store.ListSources(""));
  std::vector<std::string> files;
  std::set<std::string> seen;
  for (const auto& [path, entry] : sources) {
    // The path itself, or its longest leading part that is a file (the archive).
    std::string file = path;
    std::error_code error;
    while (!file.empty() && !fs::is_regular_file(file, error)) {
      const size_t slash = file.rfind('/');
      file = slash == std::string::npos || slash == 0 ? "" : file.substr(0, slash);
    }
    if (!file.empty() && seen.insert(file).second) files.push_back(file);
  }
  return files;
}

std::string OcrSettingsName(const IngestOptions& options) {
  return options.ocr ? options.ocr_languages + " " + options.ocr_strategy : "off";
}

// Settings that could only fail every file in turn are refused before the
// first one, each message naming the setting.
Status CheckIngestOptions(const IngestOptions& options, const PluginHost& plugins) {
  if (options.max_worker_memory > 0 && options.max_worker_memory < kMinWorkerMemory) {
    return Status::InvalidArgument("--max-worker-memory " + std::to_string(options.max_worker_memory >> 20) +
                                   " MiB: a worker needs at least " + std::to_string(kMinWorkerMemory >> 20) +
                                   " MiB to load the plugins and read a page (0 means no limit)");
  }
  const LoadedPlugin* ocr = options.ocr ? plugins.FindOcrPlugin() : nullptr;
  if (ocr != nullptr) {
    const nlohmann::json settings = {{"languages", options.ocr_languages}, {"strategy", options.ocr_strategy}};
    Result<std::unique_ptr<OcrPluginInstance>> engine = ocr->CreateOcrInstance(settings.dump());
    if (!engine.ok()) {
      return Status::InvalidArgument("--ocr-lang " + options.ocr_languages + " --ocr-strategy " + options.ocr_strategy +
                                     ": " + engine.status().message());
    }
  }
  return Status::Ok();
}

Result<IngestSummary> Ingester::Ingest(const std::vector<std::string>& paths, const IngestOptions& options) {
  DOSSIER_RETURN_IF_ERROR(CheckIngestOptions(options, *plugins_));
  IngestRun run(store_, plugins_, languages_, mime_, env_, options);
  return run.Go(paths);
}

// ------------------------------------------------------------------ remove

Result<RemoveReport> RemoveFromStore(Store* store, const std::string& what) {
  RemoveReport report;
  if (Result<DocumentId> id = DocumentId::FromHex(what); id.ok()) {
    DOSSIER_ASSIGN_OR_RETURN(std::optional<DocumentSummary> doc, store->GetDocument(*id));
    if (doc) {
      DOSSIER_RETURN_IF_ERROR(store->RemoveDocument(*id));
      DOSSIER_RETURN_IF_ERROR(store->Flush());
      for (const SourceFile& s : doc->sources) report.paths_detached.push_back(s.path);
      report.documents_removed.push_back(*id);
      return report;
    }
  }
  const std::string path = AbsolutePath(what);
  std::vector<std::pair<std::string, SourceEntry>> targets;
  DOSSIER_ASSIGN_OR_RETURN(std::optional<SourceEntry> exact, store->LookupSource(path));
  if (exact) targets.emplace_back(path, *exact);
  DOSSIER_ASSIGN_OR_RETURN(auto under, store->ListSources(path + "/"));
  for (auto& e : under) targets.push_back(std::move(e));
  if (targets.empty()) return Status::NotFound(what + ": no stored document has this id or path");
  std::vector<DocumentId> ids;
  for (const auto& [p, entry] : targets) {
    DOSSIER_RETURN_IF_ERROR(store->DetachSource(p));
    (void)store->ClearFailure(p);
    report.paths_detached.push_back(p);
    if (std::find(ids.begin(), ids.end(), entry.id) == ids.end()) ids.push_back(entry.id);
  }
  // A document whose last path went was marked for removal; Flush finishes it.
  DOSSIER_RETURN_IF_ERROR(store->Flush());
  for (const DocumentId& id : ids) {
    DOSSIER_ASSIGN_OR_RETURN(std::optional<DocumentSummary> doc, store->GetDocument(id));
    if (!doc) report.documents_removed.push_back(id);
  }
  return report;
}

}  // namespace dossier
