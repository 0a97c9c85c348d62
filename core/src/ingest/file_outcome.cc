// FileOutcomeName (dossier/ingest.h) in a file of its own, so that what
// serialises a FileResult (json.cc) links without the ingester: the HTTP fuzz
// target links json.cc alone.
#include "dossier/ingest.h"

namespace dossier {

std::string_view FileOutcomeName(FileOutcome outcome) {
  switch (outcome) {
    case FileOutcome::kIngested: return "ingested";
    case FileOutcome::kUnchanged: return "unchanged";
    case FileOutcome::kDuplicate: return "duplicate";
    case FileOutcome::kSkipped: return "skipped";
    case FileOutcome::kFailed: return "failed";
    case FileOutcome::kRemoved: return "removed";
  }
  return "failed";
}

}  // namespace dossier
