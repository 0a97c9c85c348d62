// The POSIX Env: files and clock of the real operating system.
#include "dossier/env.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>

namespace dossier {
namespace {

Status ErrnoStatus(const std::string& path, const std::string& what, int err) {
  std::string msg = path + ": " + what + ": " + std::strerror(err);
  switch (err) {
    case ENOENT:
    case ENOTDIR: return Status::NotFound(msg);
    case EACCES:
    case EPERM: return Status::PermissionDenied(msg);
    case ENOMEM: return Status::ResourceExhausted(msg);
    default: return Status::Internal(msg);
  }
}

class PosixEnv : public Env {
 public:
  Status Stat(const std::string& path, FileInfo* info) override {
    struct stat st;
    if (::lstat(path.c_str(), &st) != 0) return ErrnoStatus(path, "cannot stat", errno);
    if (S_ISREG(st.st_mode)) info->type = FileInfo::Type::kRegular;
    else if (S_ISDIR(st.st_mode)) info->type = FileInfo::Type::kDirectory;
    else if (S_ISLNK(st.st_mode)) info->type = FileInfo::Type::kSymlink;
    else info->type = FileInfo::Type::kOther;
    info->size = static_cast<uint64_t>(st.st_size);
    info->mtime_ns = static_cast<int64_t>(st.st_mtim.tv_sec) * 1000000000 + st.st_mtim.tv_nsec;
    return Status::Ok();
  }

  Status ListDirectory(const std::string& path, std::vector<std::string>* names) override {
    DIR* dir = ::opendir(path.c_str());
    if (dir == nullptr) return ErrnoStatus(path, "cannot read directory", errno);
    names->clear();
    errno = 0;
    while (struct dirent* entry = ::readdir(dir)) {
      std::string_view name = entry->d_name;
      if (name != "." && name != "..") names->emplace_back(name);
    }
    int err = errno;
    ::closedir(dir);
    if (err != 0) return ErrnoStatus(path, "cannot read directory", err);
    std::sort(names->begin(), names->end());
    return Status::Ok();
  }

  Status ReadFile(const std::string& path, uint64_t max_bytes, std::string* content) override {
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return ErrnoStatus(path, "cannot open", errno);
    struct stat st;
    if (::fstat(fd, &st) != 0) {
      int err = errno;
      ::close(fd);
      return ErrnoStatus(path, "cannot stat", err);
    }
    if (static_cast<uint64_t>(st.st_size) > max_bytes) {
      ::close(fd);
      return Status::ResourceExhausted(path + ": file is " + std::to_string(st.st_size) +
                                       " bytes, over the limit of " + std::to_string(max_bytes));
    }
    content->resize(static_cast<size_t>(st.st_size));
    size_t done = 0;
    while (done < content->size()) {
      ssize_t n = ::read(fd, content->data() + done, content->size() - done);
      if (n < 0) {
        if (errno == EINTR) continue;
        int err = errno;
        ::close(fd);
        return ErrnoStatus(path, "cannot read", err);
      }
      if (n == 0) break;  // the file shrank while we read it
      done += static_cast<size_t>(n);
    }
    content->resize(done);
    ::close(fd);
    return Status::Ok();
  }

  int64_t NowMs() override {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
  }
};

}  // namespace

Env* Env::Default() {
  static PosixEnv* env = new PosixEnv();
  return env;
}

}  // namespace dossier
