#include "reader_folder.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <climits>
#include <ctime>
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
  if (ec != std::errc() || end != name.data() + dash || pid <= 0 || pid > INT_MAX) return 0;
  return static_cast<pid_t>(pid);
}

constexpr char kLockFile[] = "reader.lock";

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
    // Its reader's lock: held, the folder is in use (its process id names
    // a process of another namespace). No lock file: a reader that has just
    // made its folder, unless the folder is a minute old.
    const std::string lock_path = (it->path() / kLockFile).string();
    const int lock_fd = ::open(lock_path.c_str(), O_RDWR | O_CLOEXEC | O_NOFOLLOW);
    if (lock_fd < 0) {
      if (errno != ENOENT || ::time(nullptr) - info.st_mtime < 60) continue;
    } else if (::flock(lock_fd, LOCK_EX | LOCK_NB) != 0) {
      ::close(lock_fd);
      continue;
    }
    std::error_code remove_ec;
    if (fs::remove_all(it->path(), remove_ec) > 0 && !remove_ec) ++removed;
    if (lock_fd >= 0) ::close(lock_fd);
  }
  return removed;
}

Result<ReaderFolder> MakeReaderFolder() {
  const std::string parent = ReaderFolderParent();
  RemoveAbandonedReaderFolders(parent);
  ReaderFolder folder;
  folder.path = parent + "/" + std::string(kPrefix) + std::to_string(::getpid()) + "-XXXXXX";
  if (::mkdtemp(folder.path.data()) == nullptr) {
    return Status::Internal("cannot create a temporary folder for the reader in " + parent + ": " +
                            std::strerror(errno) + " (set TMPDIR to a writable folder)");
  }
  const std::string lock_path = folder.path + "/" + kLockFile;
  folder.lock_fd = ::open(lock_path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
  if (folder.lock_fd < 0 || ::flock(folder.lock_fd, LOCK_EX | LOCK_NB) != 0) {
    const std::string reason = std::strerror(errno);
    if (folder.lock_fd >= 0) ::close(folder.lock_fd);
    std::error_code ec;
    std::filesystem::remove_all(folder.path, ec);
    return Status::Internal("cannot lock the reader's temporary folder " + folder.path + ": " + reason);
  }
  return folder;
}

}  // namespace dossier
