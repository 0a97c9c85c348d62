#include "worker_process.h"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <vector>

extern char** environ;

namespace dossier {

Result<std::unique_ptr<WorkerProcess>> WorkerProcess::Start(const WorkerSpec& spec) {
  int sv[2];
  if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) != 0) {
    return Status::ResourceExhausted(std::string("cannot create a socket for an ingest worker: ") + strerror(errno));
  }
  // The child's end must not already be fd 3, or dup2 would keep CLOEXEC on it.
  int child_end = ::fcntl(sv[1], F_DUPFD_CLOEXEC, 10);
  ::close(sv[1]);
  if (child_end < 0) {
    ::close(sv[0]);
    return Status::ResourceExhausted(std::string("cannot create a socket for an ingest worker: ") + strerror(errno));
  }
  std::vector<std::string> args = {spec.executable,   "--plugin-dir", spec.plugin_dir,
                                   "--max-memory",    std::to_string(spec.max_memory),
                                   "--ocr-languages", spec.ocr_languages,
                                   "--ocr-strategy",  spec.ocr_strategy,
                                   "--ocr",           spec.ocr ? "1" : "0"};
  std::vector<char*> argv;
  for (std::string& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
  const char* keep_stderr = std::getenv("DOSSIER_WORKER_STDERR");
  if (!(keep_stderr && std::string(keep_stderr) == "1")) {
    posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0);
  }
  posix_spawn_file_actions_adddup2(&actions, child_end, worker::kSocketFd);
  pid_t pid = 0;
  int rc = ::posix_spawn(&pid, spec.executable.c_str(), &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  ::close(child_end);
  if (rc != 0) {
    ::close(sv[0]);
    return Status::FailedPrecondition("cannot start the ingest worker " + spec.executable + ": " + strerror(rc));
  }
  return std::unique_ptr<WorkerProcess>(new WorkerProcess(pid, sv[0]));
}

WorkerProcess::~WorkerProcess() {
  if (!reaped_) (void)Reap(/*kill=*/true, 0);
  if (fd_ >= 0) ::close(fd_);
}

bool WorkerProcess::SendJob(std::string_view path, std::string_view mime, std::string_view plugin,
                            std::string_view content) {
  std::string head;
  worker::PutString(&head, path);
  worker::PutString(&head, mime);
  worker::PutString(&head, plugin);
  worker::PutFixed32(&head, static_cast<uint32_t>(content.size()));
  std::string frame_head;
  frame_head.push_back(static_cast<char>(worker::kJob));
  worker::PutFixed32(&frame_head, static_cast<uint32_t>(head.size() + content.size()));
  frame_head += head;
  return SendAll(frame_head) && SendAll(content);
}

bool WorkerProcess::Send(worker::FrameType type, std::string_view payload) {
  std::string head;
  head.push_back(static_cast<char>(type));
  worker::PutFixed32(&head, static_cast<uint32_t>(payload.size()));
  return SendAll(head) && SendAll(payload);
}

bool WorkerProcess::SendAll(std::string_view data) {
  while (!data.empty()) {
    ssize_t n = ::send(fd_, data.data(), data.size(), MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    data.remove_prefix(static_cast<size_t>(n));
  }
  return true;
}

bool WorkerProcess::ReadAvailable() {
  if (consumed_ > 0 && consumed_ == in_.size()) {
    in_.clear();
    consumed_ = 0;
  }
  char buffer[65536];
  for (;;) {
    ssize_t n = ::recv(fd_, buffer, sizeof buffer, MSG_DONTWAIT);
    if (n > 0) {
      in_.append(buffer, static_cast<size_t>(n));
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return true;
    return false;  // end of stream or error
  }
}

bool WorkerProcess::NextFrame(worker::FrameType* type, std::string* payload) {
  for (;;) {
    std::string_view view;
    bool bad = false;
    if (!worker::TakeFrame(&in_, &consumed_, type, &view, &bad)) {
      malformed_ |= bad;
      return false;
    }
    if (*type == worker::kReady) {
      ready_ = true;
      continue;
    }
    payload->assign(view);
    return true;
  }
}

WorkerEnded WorkerProcess::Reap(bool kill, uint64_t max_memory) {
  if (reaped_) return ended_;
  if (kill) ::kill(pid_, SIGKILL);
  int status = 0;
  while (::waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
  }
  reaped_ = true;
  ended_ = WorkerEnded::FromWaitStatus(status, max_memory);
  return ended_;
}

WorkerEnded WorkerEnded::FromWaitStatus(int status, uint64_t max_memory) {
  WorkerEnded ended;
  if (WIFSIGNALED(status)) {
    ended.kind = kSignal;
    ended.code = WTERMSIG(status);
    return ended;
  }
  ended.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  if (ended.code == worker::kExitOutOfMemory) {
    ended.kind = kOutOfMemory;
    ended.memory_limit = max_memory;
  }
  return ended;
}

WorkerEnded WorkerEnded::Timeout(double seconds) {
  WorkerEnded ended;
  ended.kind = kTimeout;
  ended.seconds = seconds;
  return ended;
}

std::string WorkerEnded::Describe() const {
  switch (kind) {
    case kSignal: return "signal " + std::to_string(code) + " (" + strsignal(code) + ")";
    case kOutOfMemory:
      return "out of memory" +
             (memory_limit ? " (worker limit " + std::to_string(memory_limit >> 20) + " MiB)" : std::string());
    case kTimeout: {
      char what[64];
      std::snprintf(what, sizeof what, "timed out after %.0f s", seconds);
      return what;
    }
    case kExit: break;
  }
  return "exit status " + std::to_string(code);
}

std::string WorkerEnded::FileFailure(const std::string& plugin) const {
  switch (kind) {
    case kOutOfMemory: return Describe() + " in the " + plugin + " plugin";
    case kSignal: return "the " + plugin + " plugin crashed on this file (" + Describe() + ")";
    case kTimeout: return Describe() + " in the " + plugin + " plugin (worker killed)";
    case kExit: break;
  }
  return "the worker running the " + plugin + " plugin ended unexpectedly (" + Describe() + ")";
}

std::string WorkerEnded::PageFailure() const {
  switch (kind) {
    case kOutOfMemory: return "OCR ran " + Describe();
    case kSignal: return "the OCR worker crashed on this page (" + Describe() + ")";
    case kTimeout: return "OCR " + Describe() + " (worker killed)";
    case kExit: break;
  }
  return "the OCR worker ended on this page (" + Describe() + ")";
}

}  // namespace dossier
