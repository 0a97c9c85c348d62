// Reading .zip, .tar, .tar.gz/.tgz files in place with libarchive: member
// names and bytes, never written to disk. Guards: member names that climb
// out (`..`) or are absolute are refused; a member larger than the member
// limit, or more bytes in all than the total limit, stops with a reason.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "dossier/status.h"

struct archive;

namespace dossier {

// True for a path whose name says it is an archive Dossier opens.
bool IsArchivePath(const std::string& path);

class ArchiveReader {
 public:
  struct Member {
    std::string name;  // path inside the archive, '/'-separated, no leading '/'
    uint64_t size = 0;
    int64_t mtime_ns = 0;
    std::string unsafe;  // non-empty: why the name is refused (its bytes are not read)
  };

  static Result<std::unique_ptr<ArchiveReader>> Open(const std::string& path, uint64_t max_total_bytes);
  ~ArchiveReader();

  // Moves to the next regular-file member. Returns false at the end; an
  // error when the archive is damaged (the members before it stand).
  Result<bool> Next(Member* member);
  // The current member's bytes; ResourceExhausted above `max_bytes` or when
  // the archive's total limit is reached.
  Status ReadData(uint64_t max_bytes, std::string* out);
  // True once the total limit was passed: stop reading this archive.
  bool over_total() const { return total_ > max_total_; }

 private:
  ArchiveReader(std::string path, struct archive* a, uint64_t max_total) : path_(std::move(path)), a_(a), max_total_(max_total) {}
  std::string path_;
  struct archive* a_;
  uint64_t max_total_;
  uint64_t total_ = 0;
};

}  // namespace dossier
