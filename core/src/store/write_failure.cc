// The data folder's write-failure error, shared by the RocksDB side (graph,
// store) and the Xapian side (text_index); see write_failure.h.
#include "write_failure.h"

#include <utility>

namespace dossier {

Status WriteFailed(const std::string& data_dir, const std::string& what, const std::string& detail) {
  // The reason in the system's words (strerror), found in the library's message.
  static const std::pair<const char*, const char*> kFull[] = {
      {"No space left on device", "the disk is full (No space left on device)"},
      {"Disk quota exceeded", "the disk quota is used up (Disk quota exceeded)"},
      {"File too large", "a file reached the size limit (File too large)"},
  };
  for (const auto& [needle, reason] : kFull) {
    if (detail.find(needle) != std::string::npos) {
      return Status::ResourceExhausted(data_dir + ": cannot write to the data folder: " + reason + " (" + what + ": " +
                                       detail + ")");
    }
  }
  return Status::Unavailable(data_dir + ": cannot write to the data folder: I/O error (" + what + ": " + detail + ")");
}

}  // namespace dossier
