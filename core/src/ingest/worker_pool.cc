// The worker pool (worker_pool.h): worker processes started, files and OCR
// pages handed out, their frames read, deadlines kept.
#include "worker_pool.h"

#include <poll.h>

#include <algorithm>
#include <filesystem>

#include "discovery.h"

namespace dossier {

namespace fs = std::filesystem;

bool WorkerPool::Fill(const std::function<std::optional<Job>()>& next) {
  for (Slot& slot : slots_) {
    if (slot.busy || !failure_->Get().ok()) continue;
    std::optional<Job> job = next();
    if (!job) return false;
    Dispatch(&slot, std::move(*job));
  }
  return true;
}

double WorkerPool::Allowance(const Slot& slot) const {
  return slot.kind == Slot::kPage ? options_.ocr_page_timeout_seconds
                                  : options_.timeout_seconds + slot.ocr_started * options_.ocr_page_timeout_seconds;
}

bool WorkerPool::Wait(int max_wait_ms) {
  std::vector<pollfd> fds;
  std::vector<Slot*> polled;
  int wait_ms = max_wait_ms;
  const auto now = Clock::now();
  for (Slot& slot : slots_) {
    if (!slot.busy || !slot.proc || slot.awaiting_image) continue;
    fds.push_back({slot.proc->fd(), POLLIN, 0});
    polled.push_back(&slot);
    const double left = Allowance(slot) - std::chrono::duration<double>(now - slot.started).count();
    wait_ms = std::min(wait_ms, std::max(0, static_cast<int>(left * 1000) + 1));
  }
  if (polled.empty()) return false;
  int ready = ::poll(fds.data(), fds.size(), wait_ms);
  for (size_t i = 0; ready > 0 && i < fds.size(); ++i) {
    if (fds[i].revents != 0 && polled[i]->busy && !polled[i]->awaiting_image) HandleInput(polled[i]);
  }
  const auto after = Clock::now();
  for (Slot* slot : polled) {
    if (!slot->busy || slot->awaiting_image) continue;
    const double took = std::chrono::duration<double>(after - slot->started).count();
    if (took < Allowance(*slot)) continue;
    (void)slot->proc->Reap(/*kill=*/true, 0);
    slot->proc.reset();
    const WorkerEnded ended = WorkerEnded::Timeout(took);
    if (slot->kind == Slot::kPage) {
      PageDone(slot, ended.PageFailure());
    } else {
      FileExtracted(slot, ended.FileFailure(files_[slot->file].job.plugin->manifest().name));
    }
  }
  return true;
}

void WorkerPool::Stop() {
  for (Slot& slot : slots_) slot.proc.reset();
}

bool WorkerPool::StartWorker(Slot* slot) {
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
    failure_->Set(started.status());
    return false;
  }
  slot->proc = std::move(started).value();
  return true;
}

void WorkerPool::Dispatch(Slot* slot, Job job) {
  const uint64_t serial = ++next_file_;
  files_[serial].job = std::move(job);
  slot->busy = true;
  slot->kind = Slot::kFile;
  slot->file = serial;
  slot->ocr_started = 0;
  slot->started = Clock::now();
  if (!StartWorker(slot)) return FileExtracted(slot, failure_->Get().message());
  FileInWork& f = files_[serial];
  const Job& j = f.job;
  bool sent = slot->proc->SendJob(j.result.path, j.result.mime_type, j.plugin->manifest().name, j.content);
  f.job.content = std::string();  // the worker has it now
  if (!sent) HandleInput(slot);   // the worker is gone: find out why
}

// Reads what a busy worker sent; ends its job on 'D', 'E' or its death.
void WorkerPool::HandleInput(Slot* slot) {
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
    failure_->Set(Status::FailedPrecondition("the ingest worker does not start (" + ended.Describe() + "): " +
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

void WorkerPool::HandleFileFrame(Slot* slot, worker::FrameType type, const std::string& payload) {
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
void WorkerPool::Offer(Slot* slot, uint32_t page) {
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

void WorkerPool::ForwardImage(Slot* slot, const std::string& payload) {
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

void WorkerPool::HandlePageFrame(Slot* slot, worker::FrameType type, const std::string& payload) {
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
void WorkerPool::FileExtracted(Slot* slot, std::string failure) {
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
void WorkerPool::PageDone(Slot* slot, std::string failure) {
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
void WorkerPool::MaybeFinish(uint64_t serial) {
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
    queue_->Push(std::move(task));
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
  queue_->Push(std::move(task));
}

}  // namespace dossier
