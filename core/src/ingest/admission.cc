// Admission: what each file the walk offers needs (ingest_run.h).
#include "ingest_run.h"

#include <filesystem>

namespace dossier {

namespace fs = std::filesystem;

namespace {

std::string LowerExtension(const std::string& path) {
  std::string ext = fs::path(path).extension().string();
  for (char& c : ext) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return ext;
}

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

}  // namespace dossier
