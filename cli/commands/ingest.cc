// dossier ingest: files and folders into the data folder, with a progress
// line, a summary and an optional JSON report.
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "commands/commands.h"
#include "dossier/ingest.h"
#include "dossier/json.h"
#include "dossier/plugin_host.h"
#include "dossier/store.h"

namespace dossier::cli {
namespace {

// Writes the ingest report (schemas/ingest-report.schema.json) as files
// finish, so that memory does not grow with the number of files.
class ReportWriter {
 public:
  explicit ReportWriter(std::ostream* out) : out_(out) { *out_ << "{\"files_report\": ["; }
  void File(const FileResult& r) {
    *out_ << (first_ ? "\n  " : ",\n  ") << DumpJson(ToJson(r));
    first_ = false;
  }
  void Finish(const IngestSummary& summary, const std::string& data_dir) {
    nlohmann::json totals = ToJson(summary);
    totals["data_dir"] = data_dir;
    *out_ << "\n]";
    for (auto& [key, value] : totals.items()) *out_ << ",\n \"" << key << "\": " << DumpJson(value);
    *out_ << "\n}\n";
    out_->flush();
  }

 private:
  std::ostream* out_;
  bool first_ = true;
};

// "1h02m", "3m05s", "42s"
std::string Duration(double seconds) {
  long s = static_cast<long>(seconds + 0.5);
  char out[32];
  if (s >= 3600) std::snprintf(out, sizeof out, "%ldh%02ldm", s / 3600, (s % 3600) / 60);
  else if (s >= 60) std::snprintf(out, sizeof out, "%ldm%02lds", s / 60, s % 60);
  else std::snprintf(out, sizeof out, "%lds", s);
  return out;
}

// The progress line: rewritten in place on a terminal, else a plain line every 5 s.
class ProgressLine {
 public:
  explicit ProgressLine(bool enabled) : enabled_(enabled), tty_(::isatty(STDERR_FILENO)) {
    if (!tty_) last_ = std::chrono::steady_clock::now();  // the first plain line after 5 s
  }
  void Update(const IngestProgress& p) {
    if (!enabled_) return;
    auto now = std::chrono::steady_clock::now();
    if (now - last_ < (tty_ ? std::chrono::milliseconds(200) : std::chrono::milliseconds(5000))) return;
    last_ = now;
    char line[256];
    const double rate = p.seconds > 0 ? p.pages / p.seconds : 0;
    std::string eta = "?";
    if (p.done > 0 && p.discovered >= p.done) eta = Duration(p.seconds / p.done * (p.discovered - p.done));
    std::snprintf(line, sizeof line, "%llu/%llu files, %llu pages, %.1f pages/s, ETA %s, %llu failed",
                  static_cast<unsigned long long>(p.done), static_cast<unsigned long long>(p.discovered),
                  static_cast<unsigned long long>(p.pages), rate, eta.c_str(), static_cast<unsigned long long>(p.failed));
    if (tty_) {
      std::cerr << "\r\033[K" << line << std::flush;
      shown_ = true;
    } else {
      std::cerr << "dossier: progress: " << line << "\n";
    }
  }
  // Clears the line before other output, so messages don't mix with it.
  void Clear() {
    if (shown_) std::cerr << "\r\033[K" << std::flush;
    shown_ = false;
  }

 private:
  bool enabled_, tty_;
  bool shown_ = false;
  std::chrono::steady_clock::time_point last_{};
};

// An ingest that ingested or removed this many documents compacts the
// search indexes and the store after (unless --no-compact): the indexes
// then hold about twice the room they need (296 -> 154 MiB at 10,000
// generated documents, RocksDB 109 -> 78 MiB, in about 3 s; docs/BENCHMARKS.md).
constexpr uint64_t kCompactAfterChanges = 200;

int RunIngest(const GlobalOptions& global, const std::vector<std::string>& paths, IngestOptions options, bool json,
              bool quiet, const std::string& report_path, bool compact) {
  std::unique_ptr<PluginHost> plugins = PluginHost::LoadDirectory(global.plugin_dir);
  for (const PluginLoadReport& report : plugins->reports()) {
    if (!report.loaded) std::cerr << "dossier: warning: plugin " << report.manifest_path << " refused: " << report.error << "\n";
  }
  if (plugins->plugins().empty()) {
    return Fail(Status::FailedPrecondition("no plugins loaded from " + global.plugin_dir +
                                           " (set --plugin-dir or DOSSIER_PLUGIN_DIR)"), json);
  }
  Result<std::unique_ptr<MimeDetector>> mime = MimeDetector::Create();
  if (!mime.ok()) return Fail(mime.status(), json);
  Result<std::unique_ptr<LanguageDetector>> languages = LanguageDetector::Create();
  if (!languages.ok()) return Fail(languages.status(), json);
  std::ofstream report_file;
  if (!report_path.empty()) {
    report_file.open(report_path);
    if (!report_file) return Fail(Status::PermissionDenied(report_path + ": cannot write the report"), json);
  }
  Result<std::unique_ptr<Store>> store = Store::Open(global.data_dir, StoreMode::kReadWrite);
  if (!store.ok()) return FailWriting(store.status(), json, "ingest");
  NoteIndexRebuiltAtOpen(**store, quiet);

  std::vector<std::string> inputs = paths;
  if (inputs.empty()) {  // --reprocess alone: what is stored
    Result<std::vector<std::string>> stored = StoredSourceFiles(**store);
    if (!stored.ok()) return Fail(stored.status(), json);
    inputs = std::move(stored).value();
    if (inputs.empty()) return Fail(Status::NotFound(global.data_dir + ": no stored source file is still there to read again"), json);
  }
  Ingester ingester(store->get(), plugins.get(), languages->get(), mime->get());
  std::optional<ReportWriter> json_out, file_out;
  if (json) json_out.emplace(&std::cout);
  if (report_file.is_open()) file_out.emplace(&report_file);
  ProgressLine progress(!quiet);
  options.on_file = [&](const FileResult& r) {
    if (json_out) json_out->File(r);
    if (file_out) file_out->File(r);
    const bool say = r.outcome == FileOutcome::kFailed || (!quiet && (r.outcome == FileOutcome::kSkipped ||
                                                                      r.outcome == FileOutcome::kRemoved || !r.warnings.empty()));
    if (!say) return;
    progress.Clear();
    if (r.outcome == FileOutcome::kFailed) {
      std::cerr << "dossier: error: " << r.path << ": " << r.message << "\n";
    } else if (!quiet) {
      if (r.outcome == FileOutcome::kSkipped) std::cerr << "dossier: skipped: " << r.path << ": " << r.message << "\n";
      if (r.outcome == FileOutcome::kRemoved) std::cerr << "dossier: removed: " << r.path << ": " << r.message << "\n";
      for (const std::string& w : r.warnings) std::cerr << "dossier: warning: " << r.path << ": " << w << "\n";
    }
  };
  options.on_progress = [&](const IngestProgress& p) { progress.Update(p); };
  Result<IngestSummary> summary = ingester.Ingest(inputs, options);
  progress.Clear();
  if (!summary.ok()) return FailWriting(summary.status(), json, "ingest");
  if (json_out) json_out->Finish(*summary, global.data_dir);
  if (file_out) {
    file_out->Finish(*summary, global.data_dir);
    if (!report_file) return Fail(Status::DataLoss(report_path + ": cannot write the report"), false);
  }
  if (!quiet || summary->failed > 0) {
    char line[384];
    std::string pages = std::to_string(summary->pages) + " pages";
    if (summary->ocr_pages > 0) pages += ", " + std::to_string(summary->ocr_pages) + " by OCR";
    std::string more;
    if (summary->duplicates) more += ", " + std::to_string(summary->duplicates) + " duplicate(s)";
    if (summary->removed) more += ", " + std::to_string(summary->removed) + " removed";
    if (summary->other_partitions) {
      more += ", " + std::to_string(summary->other_partitions) + " left to other partitions than " + options.partition.Name();
    }
    const double rate = summary->seconds > 0 ? summary->pages / summary->seconds : 0;
    std::snprintf(line, sizeof line, "%llu file(s): %llu ingested (%s), %llu unchanged, %llu skipped, %llu failed%s in %.2f s (%.1f pages/s)\n",
                  static_cast<unsigned long long>(summary->files), static_cast<unsigned long long>(summary->ingested),
                  pages.c_str(), static_cast<unsigned long long>(summary->unchanged),
                  static_cast<unsigned long long>(summary->skipped), static_cast<unsigned long long>(summary->failed),
                  more.c_str(), summary->seconds, rate);
    std::cerr << line;
  }
  // A re-index at open (an index of an older format) rewrote as many entries as an ingest of them.
  if (compact && summary->ingested + summary->removed + (*store)->IndexRebuiltAtOpen() >= kCompactAfterChanges) {
    if (!quiet) std::cerr << "dossier: compacting the search indexes (--no-compact skips this)\n";
    Result<Store::CompactReport> compacted = (*store)->CompactIndex();
    if (!compacted.ok()) return FailWriting(compacted.status(), json, "ingest");
    if (!quiet) {
      char line[256];
      std::snprintf(line, sizeof line, "search indexes: %.1f MiB -> %.1f MiB; documents, pages and graph: %.1f MiB -> %.1f MiB\n",
                    static_cast<double>(compacted->bytes_before) / (1 << 20),
                    static_cast<double>(compacted->bytes_after) / (1 << 20),
                    static_cast<double>(compacted->store_bytes_before) / (1 << 20),
                    static_cast<double>(compacted->store_bytes_after) / (1 << 20));
      std::cerr << line;
    }
  }
  if (summary->other_settings > 0 && !quiet) {
    std::cerr << "dossier: note: " << summary->other_settings
              << " unchanged document(s) were read with other OCR settings (e.g. --no-ocr); "
                 "`dossier ingest --reprocess` reads them again with these\n";
  }
  return summary->failed > 0 ? kExitSomeFailed : kExitOk;
}

struct IngestCommandOptions {
  std::vector<std::string> paths;
  bool json = false, quiet = false;
  std::string report_path;
  IngestOptions ingest;
  bool no_ocr = false, no_archives = false, no_compact = false;
  uint64_t max_worker_mib = 0;
  std::string partition;
};

}  // namespace

void AddIngestCommand(CLI::App& app, const GlobalOptions& global, CommandList& commands) {
  auto o = std::make_shared<IngestCommandOptions>();
  auto* ingest = app.add_subcommand("ingest", "Ingest files and folders (recursively)");
  ingest->add_option("paths", o->paths, "Files and folders (with --reprocess, default: every stored source file)");
  ingest->add_flag("--json", o->json, "Print the JSON report of every file on standard output (schemas/ingest-report.schema.json)");
  ingest->add_option("--report", o->report_path, "Write the JSON report of every file to this file (schemas/ingest-report.schema.json)");
  ingest->add_flag("-q,--quiet", o->quiet, "Print only errors");
  IngestOptions& ingest_options = o->ingest;
  ingest->add_option("--ocr-lang", ingest_options.ocr_languages,
                     "Tesseract language models for scanned pages, joined by '+' (e.g. eng+spa+fra): the languages a page may be in")
      ->capture_default_str();
  ingest->add_option("--ocr-strategy", ingest_options.ocr_strategy,
                     "detect: read each page with the first --ocr-lang model (or the last page's), detect the language of the "
                     "text and read it again with that language's model when it is another one; combined: read every page "
                     "with all the models at once (slower)")
      ->capture_default_str()->check(CLI::IsMember({"detect", "combined"}));
  ingest->add_option("-j,--jobs", ingest_options.jobs, "Worker processes extracting (and OCR-ing) files (default: one per core)")
      ->check(CLI::Range(1u, 256u));
  ingest->add_option("--timeout", ingest_options.timeout_seconds,
                     "Seconds one file may take before its worker is killed and the file fails (plus --ocr-page-timeout per OCR'd page)")
      ->capture_default_str()->check(CLI::Range(1.0, 86400.0));
  ingest->add_option("--ocr-page-timeout", ingest_options.ocr_page_timeout_seconds,
                     "Seconds added to a file's allowance for each page it OCRs (a page handed to an idle worker gets this long of its own)")
      ->capture_default_str()->check(CLI::Range(1.0, 86400.0));
  o->max_worker_mib = ingest_options.max_worker_memory >> 20;
  ingest->add_option("--max-worker-memory", o->max_worker_mib, "Address-space limit of each worker in MiB (0: none)")
      ->capture_default_str();
  ingest->add_flag("--prune", ingest_options.prune, "Remove stored paths under the given folders and archives whose files are gone");
  ingest->add_option("--partition", o->partition,
                     "K/N: ingest only partition K (0 to N-1) of the files, chosen by a hash of each file's path under "
                     "the folders named (an archive member's too), into this data folder; N runs on N machines read "
                     "every file once (docs/USING.md, \"Ingesting on several machines\")");
  ingest->add_flag("--retry-failed", ingest_options.retry_failed, "Try again files that failed before and have not changed since");
  ingest->add_flag("--no-archives", o->no_archives, "Treat .zip/.tar/.tar.gz/.tgz files as plain files instead of opening them");
  ingest->add_flag("--no-compact", o->no_compact,
                   "Do not compact the search indexes and the store after a run that ingested or removed 200 documents or more");
  ingest->add_flag("--no-ocr", o->no_ocr, "Do not OCR scanned pages and images (they are stored without text)");
  ingest->add_flag("--reprocess", ingest_options.reprocess,
                   "Read again the unchanged documents whose OCR settings differ from this run's (pages left empty by "
                   "--no-ocr, other --ocr-lang); without paths, every stored source file");
  ingest->add_flag("--force", ingest_options.force, "With --reprocess: read again every unchanged document")
      ->needs(ingest->get_option("--reprocess"));
  commands.Add(ingest, [o, &global] {
    if (o->paths.empty() && !o->ingest.reprocess) {
      std::cerr << "dossier ingest: give the files and folders to ingest (or --reprocess to read stored documents again)\n";
      return kExitUsage;
    }
    IngestOptions options = o->ingest;
    options.ocr = !o->no_ocr;
    options.open_archives = !o->no_archives;
    options.max_worker_memory = o->max_worker_mib << 20;
    if (!o->partition.empty()) {
      Result<Partition> partition = ParsePartition(o->partition);
      if (!partition.ok()) {
        std::cerr << "dossier ingest: --partition " << partition.status().message() << "\n";
        return kExitUsage;
      }
      options.partition = *partition;
      if (o->paths.empty()) {
        std::cerr << "dossier ingest: --partition needs the folders it partitions (a file's key is its path under them), "
                     "not --reprocess alone\n";
        return kExitUsage;
      }
    }
    return RunIngest(global, o->paths, options, o->json, o->quiet, o->report_path, !o->no_compact);
  });
}

}  // namespace dossier::cli
