// The error for a write to the data folder that failed, in one wording for
// RocksDB and Xapian alike. No RocksDB or Xapian types: the search index and
// the fuzz targets link it without the store.
#pragma once

#include <string>

#include "dossier/status.h"

namespace dossier {

// "DATA: cannot write to the data folder: REASON (what was being written:
// the library's message)". kResourceExhausted when the disk (or a quota, or
// the file size limit) is full, kUnavailable for other I/O errors. `detail`
// is the library's own message.
Status WriteFailed(const std::string& data_dir, const std::string& what, const std::string& detail);

}  // namespace dossier
