#include "archive.h"

#include <archive.h>
#include <archive_entry.h>

#include <algorithm>

namespace dossier {

bool IsArchivePath(const std::string& path) {
  std::string lower = path;
  std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return std::tolower(c); });
  for (const char* ext : {".zip", ".tar", ".tar.gz", ".tgz", ".tar.bz2", ".tbz2", ".tbz", ".tar.xz", ".txz", ".tar.zst",
                          ".tzst"}) {
    if (lower.ends_with(ext)) return true;
  }
  return false;
}

namespace {
std::string Why(struct archive* a) {
  const char* s = archive_error_string(a);
  return s ? s : "unknown libarchive error";
}

// "" when `name` is a safe relative path; else why not.
std::string Unsafe(std::string* name) {
  if (name->empty()) return "member without a name";
  if ((*name)[0] == '/') return "absolute member name";
  if (name->find('\0') != std::string::npos) return "member name with a NUL byte";
  size_t start = 0;
  while (start <= name->size()) {
    size_t end = name->find('/', start);
    if (end == std::string::npos) end = name->size();
    if (name->compare(start, end - start, "..") == 0 && end - start == 2) return "member name climbs out with '..'";
    start = end + 1;
  }
  while (name->starts_with("./")) name->erase(0, 2);
  return "";
}
}  // namespace

Result<std::unique_ptr<ArchiveReader>> ArchiveReader::Open(const std::string& path, uint64_t max_total_bytes) {
  struct archive* a = archive_read_new();
  archive_read_support_filter_all(a);
  archive_read_support_format_zip(a);
  archive_read_support_format_tar(a);
  archive_read_support_format_gnutar(a);
  if (archive_read_open_filename(a, path.c_str(), 1 << 16) != ARCHIVE_OK) {
    std::string why = Why(a);
    archive_read_free(a);
    return Status::DataLoss(path + ": cannot open archive: " + why);
  }
  return std::unique_ptr<ArchiveReader>(new ArchiveReader(path, a, max_total_bytes));
}

ArchiveReader::~ArchiveReader() { archive_read_free(a_); }

Result<bool> ArchiveReader::Next(Member* member) {
  for (;;) {
    struct archive_entry* entry = nullptr;
    int rc = archive_read_next_header(a_, &entry);
    if (rc == ARCHIVE_EOF) return false;
    if (rc < ARCHIVE_WARN) return Status::DataLoss(path_ + ": damaged archive: " + Why(a_));
    if (archive_entry_filetype(entry) != AE_IFREG) continue;  // folders, links, devices
    const char* name = archive_entry_pathname_utf8(entry);
    if (name == nullptr) name = archive_entry_pathname(entry);
    member->name = name ? name : "";
    member->unsafe = Unsafe(&member->name);
    member->size = archive_entry_size_is_set(entry) ? static_cast<uint64_t>(archive_entry_size(entry)) : 0;
    member->mtime_ns = archive_entry_mtime_is_set(entry)
                           ? int64_t{archive_entry_mtime(entry)} * 1'000'000'000 + archive_entry_mtime_nsec(entry)
                           : 0;
    return true;
  }
}

Status ArchiveReader::ReadData(uint64_t max_bytes, std::string* out) {
  out->clear();
  char buffer[1 << 16];
  for (;;) {
    la_ssize_t n = archive_read_data(a_, buffer, sizeof buffer);
    if (n == 0) break;
    if (n < 0) return Status::DataLoss("cannot read member: " + Why(a_));
    if (out->size() + static_cast<size_t>(n) > max_bytes) {
      return Status::ResourceExhausted("member is larger than the limit of " + std::to_string(max_bytes >> 20) + " MiB");
    }
    total_ += static_cast<uint64_t>(n);
    if (total_ > max_total_) {
      return Status::ResourceExhausted("archive unpacks to more than the limit of " + std::to_string(max_total_ >> 20) +
                                       " MiB (an archive bomb?)");
    }
    out->append(buffer, static_cast<size_t>(n));
  }
  return Status::Ok();
}

}  // namespace dossier
