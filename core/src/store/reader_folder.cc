#include "reader_folder.h"

#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <string_view>

namespace dossier {
namespace {

constexpr std::string_view kPrefix = "dossier-reader-";

// The process id in `dossier-reader-<pid>-XXXXXX`, or 0 for another name.
pid_t OwnerOf(std::string_view name) {
  if (name.substr(0, kPrefix.size()) != kPrefix) return 0;
  name.remove_prefix(kPrefix.size());
  const size_t dash = name.find('-');
  if (dash == std::string_view::npos || dash == 0 || name.size() - dash - 1 != 6) return 0;
  long pid = 0;
  auto [end, ec] = std::from_chars(name.data(), name.data() + dash, pid);
  if (ec != std::errc() || end != name.data() + dash || pid <= 0) return 0;
  return static_cast<pid_t>(pid);
}

}  // namespace

std::string ReaderFolderParent() {
  const char* tmpdir = std::getenv("TMPDIR");
  return tmpdir != nullptr && *tmpdir != '\0' ? std::string(tmpdir) : std::string("/tmp");
}

int RemoveAbandonedReaderFolders(const std::string& parent) {
  namespace fs = std::filesystem;
  std::error_code ec;
  int removed = 0;
  for (fs::directory_iterator it(parent, ec), end; !ec && it != end; it.increment(ec)) {
    const std::string name = it->path().filename().string();
    const pid_t owner = OwnerOf(name);
    if (owner == 0 || owner == ::getpid()) continue;
    // Only when the process is gone: kill(pid, 0) fails with ESRCH. (EPERM
    // means it runs under another user.)
    if (::kill(owner, 0) == 0 || errno != ESRCH) continue;
    struct stat info;
    if (::lstat(it->path().c_str(), &info) != 0 || !S_ISDIR(info.st_mode) || info.st_uid != ::geteuid()) continue;
    std::error_code remove_ec;
    if (fs::remove_all(it->path(), remove_ec) > 0 && !remove_ec) ++removed;
  }
  return removed;
}

Result<std::string> MakeReaderFolder() {
  const std::string parent = ReaderFolderParent();
  RemoveAbandonedReaderFolders(parent);
  std::string path = parent + "/" + std::string(kPrefix) + std::to_string(::getpid()) + "-XXXXXX";
  if (::mkdtemp(path.data()) == nullptr) {
    return Status::Internal("cannot create a temporary folder for the reader in " + parent + ": " +
                            std::strerror(errno) + " (set TMPDIR to a writable folder)");
  }
  return path;
}

}  // namespace dossier
