// The ingester: walks files and folders, detects types, runs ingestion
// plugins and writes documents to the store.
#pragma once

#include <cstdint>
#include <functional>
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
  std::string message;  // failure reason, skip reason, or "duplicate of <path>"
  std::vector<std::string> warnings;
};

struct IngestSummary {
  uint64_t files = 0;
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
  // Called once per file, in the order files finish, from the calling thread.
  std::function<void(const FileResult&)> on_file;
};

// Not thread-safe: one Ingest() at a time. Plugins, detectors and the store
// are borrowed and must outlive the ingester.
class Ingester {
 public:
  Ingester(Store* store, const PluginHost* plugins, const LanguageDetector* languages,
           const MimeDetector* mime, Env* env = Env::Default());

  // Ingests files and folders (recursively, in name order). Fails as a whole
  // only when the store fails; each bad file is reported through on_file
  // and counted in the summary.
  Result<IngestSummary> Ingest(const std::vector<std::string>& paths, const IngestOptions& options);

 private:
  FileResult IngestFile(const std::string& path, const FileInfo& info, const IngestOptions& options);
  Status Walk(const std::string& path, bool explicitly_named, const IngestOptions& options,
              IngestSummary* summary);
  void Report(FileResult result, const IngestOptions& options, IngestSummary* summary);

  Store* store_;
  const PluginHost* plugins_;
  const LanguageDetector* languages_;
  const MimeDetector* mime_;
  Env* env_;
  std::map<const LoadedPlugin*, std::unique_ptr<IngestPluginInstance>> instances_;
  std::map<const LoadedPlugin*, std::unique_ptr<ExtractorPluginInstance>> extractor_instances_;
  uint32_t unflushed_ = 0;
  Status store_error_;  // a store failure ends the run
};

}  // namespace dossier
