// Admission (internal to core/src/ingest): what a file the walk offers
// needs. An answer now (unchanged, a duplicate, skipped, failed), to wait
// for the same content already in a worker, or extraction by a worker. It
// reads the store and the file, and writes nothing: its answers go to the
// committer, its jobs to the worker pool.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <string>

#include "discovery.h"
#include "dossier/env.h"
#include "dossier/ingest.h"
#include "dossier/plugin_host.h"
#include "dossier/store.h"
#include "dossier/text.h"
#include "pipeline.h"

namespace dossier {

// What a candidate needs.
struct Admitted {
  enum Kind {
    kAnswered,  // `task` for the committer: unchanged, a duplicate, skipped or failed
    kJoined,    // the same content is in a worker: the path waits for it (InFlightDocuments)
    kExtract,   // `job` for a worker; its id is now in flight
    kFatal,     // the store could not be read: `fatal` ends the run
  };
  Kind kind = kAnswered;
  Task task;
  Job job;
  Status fatal;
};

class Admission {
 public:
  // Reads the archive member the walk stands on, at most `max_bytes` (Discovery::ReadMember).
  using MemberReader = std::function<Status(uint64_t max_bytes, std::string* content)>;

  Admission(Store* store, const PluginHost* plugins, const MimeDetector* mime, Env* env,
            const IngestOptions& options, InFlightDocuments* in_flight)
      : store_(store), plugins_(plugins), mime_(mime), env_(env), options_(options), in_flight_(in_flight),
        ocr_settings_(OcrSettingsName(options)) {}

  Admitted Admit(const Candidate& candidate, const MemberReader& read_member);

  // Unchanged documents that were read with OCR settings other than this
  // run's (--reprocess reads them again).
  uint64_t other_settings() const { return other_settings_; }

 private:
  bool OtherOcrSettings(const DocumentSummary& doc) const {
    return !doc.ocr_settings.empty() && doc.ocr_settings != ocr_settings_;
  }
  // Whether a stored, unchanged document is read again (--reprocess).
  bool ToReprocess(const DocumentSummary& doc) const {
    return options_.reprocess && (options_.force || OtherOcrSettings(doc));
  }

  Store* store_;
  const PluginHost* plugins_;
  const MimeDetector* mime_;
  Env* env_;
  const IngestOptions& options_;
  InFlightDocuments* in_flight_;
  const std::string ocr_settings_;
  std::atomic<uint64_t> other_settings_{0};
};

}  // namespace dossier
