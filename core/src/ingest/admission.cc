// Admission (admission.h): what each file the walk offers needs.
#include "admission.h"

#include <algorithm>
#include <filesystem>
#include <optional>

#include "dossier/keys.h"

namespace dossier {

namespace fs = std::filesystem;

namespace {

std::string LowerExtension(const std::string& path) {
  std::string ext = fs::path(path).extension().string();
  for (char& c : ext) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return ext;
}

Admitted Answer(Task::Kind kind, FileResult result) {
  Admitted admitted;
  admitted.kind = Admitted::kAnswered;
  admitted.task.kind = kind;
  admitted.task.result = std::move(result);
  return admitted;
}

Admitted Fatal(Status status) {
  Admitted admitted;
  admitted.kind = Admitted::kFatal;
  admitted.fatal = std::move(status);
  return admitted;
}

// What a stored document tells the report of a file that has its content.
void FromStored(const DocumentSummary& doc, FileResult* result) {
  result->mime_type = doc.mime_type;
  result->pages = doc.page_count;
  result->ocr_pages = doc.ocr_page_count;
}

}  // namespace

Admitted Admission::Admit(const Candidate& c, const MemberReader& read_member) {
  FileResult result;
  result.path = c.path;
  const SourceFile source{c.path, c.size, c.mtime_ns};
  // A failure: recorded in the store (so an unchanged file is not tried
  // again), or only reported.
  auto failed = [&](std::string reason, bool record = true) {
    result.outcome = FileOutcome::kFailed;
    result.message = std::move(reason);
    Admitted admitted = Answer(record ? Task::kFailure : Task::kReport, std::move(result));
    admitted.task.source = source;
    return admitted;
  };
  if (!c.unsafe.empty()) return failed("refused archive member: " + c.unsafe, /*record=*/false);
  if (c.size == 0) return failed("empty file (0 bytes)");

  // Unchanged since last time: same path, size and mtime, document still there.
  Result<std::optional<SourceEntry>> known = store_->LookupSource(c.path);
  if (!known.ok()) return Fatal(known.status());
  if (*known && (*known)->size == c.size && (*known)->mtime_ns == c.mtime_ns) {
    Result<std::optional<DocumentSummary>> doc = store_->GetDocument((*known)->id);
    if (doc.ok() && *doc && !ToReprocess(**doc)) {
      if (options_.ocr && OtherOcrSettings(**doc)) ++other_settings_;
      result.outcome = FileOutcome::kUnchanged;
      result.id = (*known)->id;
      FromStored(**doc, &result);
      return Answer(Task::kReport, std::move(result));
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
    Status s = read_member(std::min(options_.max_member_bytes, options_.max_file_bytes), &content);
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
  if (in_flight_->Join(id, actual)) {
    Admitted joined;
    joined.kind = Admitted::kJoined;
    joined.task.result = std::move(result);
    joined.task.source = actual;
    return joined;
  }
  // Same content stored already (this path touched, or another path: a duplicate).
  Result<std::optional<DocumentSummary>> existing = store_->GetDocument(id);
  if (!existing.ok()) return Fatal(existing.status());
  if (*existing && !ToReprocess(**existing)) {
    const DocumentSummary& doc = **existing;
    result.outcome = FileOutcome::kUnchanged;
    FromStored(doc, &result);
    const bool has_path =
        std::any_of(doc.sources.begin(), doc.sources.end(), [&](const SourceFile& other) { return other.path == c.path; });
    if (!has_path) {
      result.outcome = FileOutcome::kDuplicate;
      if (!doc.sources.empty()) result.message = "same content as " + doc.sources.front().path;
    }
    Admitted admitted = Answer(Task::kAddSource, std::move(result));
    admitted.task.source = actual;
    return admitted;
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
    return Answer(Task::kReport, std::move(result));
  }
  if (!options_.ocr && plugin->CanRecognisePages()) {
    result.outcome = FileOutcome::kSkipped;
    result.message = result.mime_type + " needs OCR, which is turned off";
    return Answer(Task::kReport, std::move(result));
  }
  in_flight_->Start(id);
  Admitted admitted;
  admitted.kind = Admitted::kExtract;
  admitted.job.result = std::move(result);
  admitted.job.source = actual;
  admitted.job.id = id;
  admitted.job.plugin = plugin;
  admitted.job.content = std::move(content);
  return admitted;
}

}  // namespace dossier
