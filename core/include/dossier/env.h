// Env: every file-system access and clock read Dossier makes goes through
// this interface, so tests can inject faults (an unreadable directory when
// running as root, a file that vanishes between listing and reading).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "dossier/status.h"

namespace dossier {

struct FileInfo {
  enum class Type { kRegular, kDirectory, kSymlink, kOther };
  Type type = Type::kOther;
  uint64_t size = 0;
  int64_t mtime_ns = 0;
};

// Thread-safe: implementations may be called from several threads.
class Env {
 public:
  virtual ~Env() = default;
  // The process-wide Env backed by the operating system. Never deleted.
  static Env* Default();

  // On success, fills *info for `path` without following a final symlink.
  // NotFound / PermissionDenied / Internal on failure, message names the path.
  virtual Status Stat(const std::string& path, FileInfo* info) = 0;
  // On success, *names holds the entry names (not paths) of a directory,
  // sorted; "." and ".." are left out.
  virtual Status ListDirectory(const std::string& path, std::vector<std::string>* names) = 0;
  // On success, *content holds the whole file. ResourceExhausted when it is
  // larger than max_bytes.
  virtual Status ReadFile(const std::string& path, uint64_t max_bytes, std::string* content) = 0;
  // Milliseconds since the Unix epoch.
  virtual int64_t NowMs() = 0;
};

// Forwards every call to another Env; override the calls to change.
class EnvWrapper : public Env {
 public:
  explicit EnvWrapper(Env* target) : target_(target) {}
  Status Stat(const std::string& path, FileInfo* info) override { return target_->Stat(path, info); }
  Status ListDirectory(const std::string& path, std::vector<std::string>* names) override {
    return target_->ListDirectory(path, names);
  }
  Status ReadFile(const std::string& path, uint64_t max_bytes, std::string* content) override {
    return target_->ReadFile(path, max_bytes, content);
  }
  int64_t NowMs() override { return target_->NowMs(); }

 private:
  Env* target_;
};

}  // namespace dossier
