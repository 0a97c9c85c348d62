// The ingester: a bounded pipeline from files, folders and archives to
// documents in the store, with the ingestion plugins in worker processes.
// This file holds the run (IngestRun::Go: the loop that ties discovery,
// admission, the worker pool and the committer, ingest_run.h says which file
// holds each), --prune, and the public entry points.
#include "ingest_run.h"

#include <algorithm>
#include <filesystem>
#include <set>

#include "archive.h"
#include "dossier/graph.h"
#include "dossier/paths.h"

namespace dossier {

namespace fs = std::filesystem;

std::string DefaultWorkerExecutable() {
  std::error_code ec;
  fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  if (ec) return "dossier-worker";
  return (exe.parent_path() / "dossier-worker").string();
}

namespace {
bool UnderPrefix(const std::string& path, const std::string& prefix) { return path.rfind(prefix, 0) == 0; }
}  // namespace

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
    Task task{Task::kReport, std::move(r)};
    committer_.Commit(task);
  }
  if (Status s = store_->Flush(); !s.ok()) SetFatal(s);
}

// ------------------------------------------------------------------ the run

// A path the walk cannot offer (discovery.h): reported, or recorded as failed.
void IngestRun::Discovered(DiscoveryProblem problem) {
  Task task{problem.record ? Task::kFailure : Task::kReport, std::move(problem.result)};
  if (problem.record) {
    task.result.outcome = FileOutcome::kFailed;
    task.source = problem.source;
  }
  queue_.Push(std::move(task));
}

// The next file for a worker; what admission answers at once goes to the committer.
std::optional<Job> IngestRun::NextJob() {
  Candidate c;
  const Admission::MemberReader read_member = [this](uint64_t max_bytes, std::string* content) {
    return discovery_.ReadMember(max_bytes, content);
  };
  while (Fatal().ok() && discovery_.Next(&c)) {
    if (options_.prune) seen_.insert(c.path);
    Admitted admitted = admission_.Admit(c, read_member);
    switch (admitted.kind) {
      case Admitted::kExtract: return std::move(admitted.job);
      case Admitted::kAnswered: queue_.Push(std::move(admitted.task)); break;
      case Admitted::kJoined: break;
      case Admitted::kFatal: SetFatal(std::move(admitted.fatal)); break;
    }
  }
  return std::nullopt;
}

Result<IngestSummary> IngestRun::Go(const std::vector<std::string>& paths) {
  // What opening the data folder finished for a run that died (reported as "repaired").
  const RepairReport repair = store_->RepairedAtOpen();
  std::thread committer([this] { committer_.Run(&queue_); });
  std::vector<std::string> roots;
  for (const std::string& path : paths) {
    roots.push_back(AbsolutePath(path));
    discovery_.AddRoot(roots.back());
  }
  bool exhausted = false;
  auto last_tick = Clock::now();
  while (Fatal().ok()) {
    if (!exhausted && !pool_.Fill([this] { return NextJob(); })) exhausted = true;
    if (!pool_.Wait(1000)) {
      if (exhausted) break;
      continue;
    }
    const auto after = Clock::now();
    if (after - last_tick >= std::chrono::seconds(1)) {
      last_tick = after;
      (void)queue_.TryPush({Task::kProgress});
    }
  }
  pool_.Stop();  // workers see the socket close and exit
  queue_.Close();
  committer.join();
  DOSSIER_RETURN_IF_ERROR(Fatal());
  if (options_.prune) {
    Prune(roots);
    DOSSIER_RETURN_IF_ERROR(Fatal());
  }
  IngestSummary summary = committer_.summary();
  summary.repair = repair;
  summary.seconds = std::chrono::duration<double>(Clock::now() - start_).count();
  summary.ocr_pages_handed_over = pool_.handed_over();
  summary.other_settings = admission_.other_settings();
  summary.other_partitions = discovery_.other_partitions().size();
  return summary;
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
