// The ingester: walks files and folders, detects types, runs ingestion
// plugins and writes documents to the store.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
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
  kUnchanged,  // this path's content is stored already (same size and mtime, or same content hash)
  kDuplicate,  // the same content is stored under another path; this path was added to it
  kSkipped,    // a type no plugin handles (not an error)
  kFailed,     // could not be read or extracted; `message` says why
  kRemoved,    // --prune: the file is gone, its path (and a document left without paths) removed
};
std::string_view FileOutcomeName(FileOutcome outcome);

struct FileResult {
  std::string path;  // absolute; an archive member is `archive.zip/inner/path.pdf`
  FileOutcome outcome = FileOutcome::kFailed;
  std::optional<DocumentId> id;
  std::string mime_type;
  uint32_t pages = 0;
  uint32_t ocr_pages = 0;  // pages read by OCR, among `pages`
  std::string message;  // failure reason, skip reason, or "same content as <path>"
  std::vector<std::string> warnings;
};

struct IngestSummary {
  uint64_t files = 0;
  uint64_t ocr_pages = 0;  // pages read by OCR, among `pages`
  // Scanned pages a file's worker handed to an idle worker to OCR (at the
  // end of a run, so that one long scanned document still uses every core).
  uint64_t ocr_pages_handed_over = 0;
  uint64_t ingested = 0;
  uint64_t unchanged = 0;
  uint64_t duplicates = 0;
  uint64_t skipped = 0;
  uint64_t failed = 0;
  uint64_t removed = 0;
  // Unchanged documents whose OCR settings differ from this run's, left as
  // they are because `reprocess` was off (the CLI suggests --reprocess).
  uint64_t other_settings = 0;
  // Files and archive members found but left to other partitions (--partition).
  uint64_t other_partitions = 0;
  uint64_t pages = 0;
  double seconds = 0;
  RepairReport repair;
};

// Where a run is, for a progress line. `discovered` grows while archives are opened.
struct IngestProgress {
  uint64_t discovered = 0;  // files and archive members found so far
  uint64_t done = 0;        // of which reported
  uint64_t extracted = 0;   // of which went through a worker (ingested or failed there)
  uint64_t pages = 0;
  uint64_t failed = 0;
  double seconds = 0;
};

// The smallest worker memory limit accepted (IngestOptions::max_worker_memory):
// below it a worker cannot map Poppler's and Tesseract's libraries and a page.
inline constexpr uint64_t kMinWorkerMemory = 256ull << 20;

// One of N partitions of the files an ingest is given (`dossier ingest
// --partition K/N`), for ingesting an archive on several machines into
// shard data folders. A file belongs to partition (the first 8 bytes of the
// SHA-256 of its key) mod N. Its key is its path relative to the folder it
// was found under as named ("2021/eval.pdf" under "~/archive"), a named
// file's own name, and for an archive member the archive's key, '/', and
// the member's name inside ("reports.zip/2021/eval.pdf"). So the N runs
// together read every file once, wherever each machine mounts the archive
// and in whatever order its folders list.
struct Partition {
  uint32_t index = 0;  // K: 0 .. count - 1
  uint32_t count = 1;  // N
  bool Holds(std::string_view key) const;
  std::string Name() const;  // "K/N"
};
// "K/N", 0 <= K < N, 1 <= N <= 1,000,000; InvalidArgument naming what is wrong.
Result<Partition> ParsePartition(std::string_view spec);

struct IngestOptions {
  uint64_t max_file_bytes = 2ull << 30;  // larger files fail with a clear reason
  uint32_t flush_every_documents = 64;   // index commit batch size
  // Worker processes (dossier-worker) that run the ingestion plugins:
  unsigned jobs = 0;                       // how many; 0 = one per core
  double timeout_seconds = 120;            // per file, then the worker is killed and the file fails
  double ocr_page_timeout_seconds = 60;    // added to a file's allowance for each page it OCRs
  uint64_t max_worker_memory = 2ull << 30; // address-space limit of each worker (RLIMIT_AS); 0 = none, else >= kMinWorkerMemory
  std::string worker_executable;           // "" = dossier-worker beside the running binary
  // Archives (.zip, .tar, .tar.gz, .tgz) are opened in place:
  uint64_t max_member_bytes = 512ull << 20;     // one member, unpacked
  uint64_t max_archive_total_bytes = 16ull << 30;  // all members of one archive, unpacked
  bool open_archives = true;
  // Incremental runs:
  bool retry_failed = false;  // retry files that failed before and have not changed since
  bool prune = false;         // remove stored paths under the given folders whose files are gone (or are in another partition)
  Partition partition;        // read only the files of this partition (default: all)
  // OCR of scanned pages and images (when an OCR plugin is loaded), inside the workers:
  std::string ocr_languages = "eng+spa";  // Tesseract language models, '+'-separated
  // "detect": each page is read with one of those models, chosen by the
  // language of its text; "combined": with all of them at once (Tesseract's own way).
  std::string ocr_strategy = "detect";
  bool ocr = true;                        // false: pages without text stay empty
  // Stored documents whose source has not changed are read again when their
  // ocr_settings differ from these options' (OcrSettingsName): a page left
  // empty by --no-ocr, or read with other OCR languages. `force`: every one.
  bool reprocess = false;
  bool force = false;
  // Called once per file, in the order files finish, one call at a time
  // (from the ingester's committer thread).
  std::function<void(const FileResult&)> on_file;
  // Called after each file (same thread as on_file), and about once a second
  // while nothing finishes; the callee throttles.
  std::function<void(const IngestProgress&)> on_progress;
};

// The OCR settings of a run as a document records them: "off", or the
// languages and strategy ("eng+spa detect").
std::string OcrSettingsName(const IngestOptions& options);

// What `ingest --reprocess` without paths reads again: every stored source
// path that is still a file, and for an archive member
// ("/data/reports.zip/2021/eval.pdf") the archive it came from, each once,
// in order. Paths whose file is gone are left out (`dossier ingest --prune`
// removes them).
Result<std::vector<std::string>> StoredSourceFiles(const Store& store);

// Not thread-safe: one Ingest() at a time. Plugins, detectors and the store
// are borrowed and must outlive the ingester.
//
// Pipeline: discover (walk folders, in name order) → cheap checks (unchanged
// by path + size + mtime, failed before) → read + SHA-256 (duplicates stop
// here) → MIME type → a worker process extracts pages (and OCRs scanned
// ones) → committer thread: language, title, extractor plugins, store, index
// commit every `flush_every_documents`. Queues are bounded, so memory does
// not grow with the size of the input. See docs/ARCHITECTURE.md.
class Ingester {
 public:
  Ingester(Store* store, const PluginHost* plugins, const LanguageDetector* languages,
           const MimeDetector* mime, Env* env = Env::Default());
  ~Ingester();

  // Ingests files, folders (recursively) and archives. Fails as a whole only
  // when the store fails or no worker can start, or at once (InvalidArgument
  // naming the setting) for settings that would fail every file: a worker
  // memory limit below kMinWorkerMemory, OCR languages whose models are not
  // installed. Each bad file is reported through on_file and counted in the
  // summary.
  Result<IngestSummary> Ingest(const std::vector<std::string>& paths, const IngestOptions& options);

 private:
  Store* store_;
  const PluginHost* plugins_;
  const LanguageDetector* languages_;
  const MimeDetector* mime_;
  Env* env_;
};

// What `dossier remove` did.
struct RemoveReport {
  std::vector<std::string> paths_detached;
  std::vector<DocumentId> documents_removed;  // gone from both stores
};
// Removes a document by id (16 hex digits) with all its paths, or a path
// (a file, an archive member, or everything stored under a folder or
// archive): the path is forgotten, and a document left without paths is
// removed. NotFound when nothing matches. Flushes before returning.
Result<RemoveReport> RemoveFromStore(Store* store, const std::string& what);

// The default worker binary: `dossier-worker` beside the running executable.
std::string DefaultWorkerExecutable();

// Entry point of the dossier-worker binary (socket on fd 3; see
// src/ingest/worker_protocol.h). Returns the process exit status.
int RunIngestWorker(int argc, char** argv);

}  // namespace dossier
