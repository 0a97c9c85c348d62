// The ingester: walks files and folders, detects types, runs ingestion
// plugins and writes documents to the store.
#pragma once

#include <cstdint>
#include <deque>
#include <functional>
#include <future>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "dossier/document.h"
#include "dossier/env.h"
#include "dossier/plugin_host.h"
#include "dossier/status.h"
#include "dossier/store.h"
#include "dossier/text.h"

namespace dossier {

enum class FileOutcome {
  kIngested,   // new or changed content, now stored and indexed
  kUnchanged,  // content already stored (same path, or another path: a duplicate)
  kSkipped,    // a type no plugin handles (not an error)
  kFailed,     // could not be read or extracted; `message` says why
};
std::string_view FileOutcomeName(FileOutcome outcome);

struct FileResult {
  std::string path;
  FileOutcome outcome = FileOutcome::kFailed;
  std::optional<DocumentId> id;
  std::string mime_type;
  uint32_t pages = 0;
  uint32_t ocr_pages = 0;  // pages read by OCR, among `pages`
  std::string message;  // failure reason, skip reason, or "duplicate of <path>"
  std::vector<std::string> warnings;
};

struct IngestSummary {
  uint64_t files = 0;
  uint64_t ocr_pages = 0;  // pages read by OCR, among `pages`
  uint64_t ingested = 0;
  uint64_t unchanged = 0;
  uint64_t skipped = 0;
  uint64_t failed = 0;
  uint64_t pages = 0;
  double seconds = 0;
  RepairReport repair;
};

struct IngestOptions {
  uint64_t max_file_bytes = 2ull << 30;  // larger files fail with a clear reason
  uint32_t flush_every_documents = 64;   // index commit batch size
  // OCR of scanned pages and images (when an OCR plugin is loaded):
  std::string ocr_languages = "eng+spa";  // Tesseract language models, '+'-separated
  unsigned ocr_workers = 0;               // OCR threads; 0 = one per core
  bool ocr = true;                        // false: pages without text stay empty
  // Called once per file, in the order files finish, from the calling thread.
  std::function<void(const FileResult&)> on_file;
};

// Not thread-safe: one Ingest() at a time. Plugins, detectors and the store
// are borrowed and must outlive the ingester.
class OcrPool;

class Ingester {
 public:
  Ingester(Store* store, const PluginHost* plugins, const LanguageDetector* languages,
           const MimeDetector* mime, Env* env = Env::Default());
  ~Ingester();

  // Ingests files and folders (recursively, in name order). Fails as a whole
  // only when the store fails; each bad file is reported through on_file
  // and counted in the summary.
  Result<IngestSummary> Ingest(const std::vector<std::string>& paths, const IngestOptions& options);

 private:
  // A file on its way in: extracted, perhaps with pages still being OCR'd.
  struct PendingFile {
    FileResult result;
    bool needs_store = false;  // false: `result` is final (failed, unchanged, skipped)
    FileInfo info;
    Document doc;
    std::vector<std::pair<uint32_t, std::future<Result<RecognisedPage>>>> ocr_pages;
    bool Ready() const;
  };

  // Reads, detects and extracts a file; scanned pages go to the OCR pool.
  PendingFile PrepareFile(const std::string& path, const FileInfo& info, const IngestOptions& options,
                          IngestSummary* summary);
  // Waits for its OCR pages, runs the extractors and stores the document.
  FileResult FinishFile(PendingFile pending);
  // Finishes files in order: all of them, or while the first is ready or too many wait.
  Status Drain(bool all, const IngestOptions& options, IngestSummary* summary);
  Status Walk(const std::string& path, bool explicitly_named, const IngestOptions& options,
              IngestSummary* summary);
  void Report(FileResult result, const IngestOptions& options, IngestSummary* summary);
  OcrPool* Ocr(const IngestOptions& options);

  Store* store_;
  const PluginHost* plugins_;
  const LanguageDetector* languages_;
  const MimeDetector* mime_;
  Env* env_;
  std::map<const LoadedPlugin*, std::unique_ptr<IngestPluginInstance>> instances_;
  std::map<const LoadedPlugin*, std::unique_ptr<ExtractorPluginInstance>> extractor_instances_;
  std::deque<PendingFile> pending_;
  std::unique_ptr<OcrPool> ocr_pool_;
  uint32_t unflushed_ = 0;
  Status store_error_;  // a store failure ends the run
};

}  // namespace dossier
