// The parent's handle on one `dossier-worker` child: start, send a job,
// read frames without blocking, kill, and say how the child ended.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "dossier/status.h"
#include "worker_protocol.h"

namespace dossier {

// How a worker process ended, as the pool reports it: by its own exit, a
// signal, running out of memory (the worker's exit code for it), or killed
// for taking too long.
struct WorkerEnded {
  enum Kind { kExit, kSignal, kOutOfMemory, kTimeout };
  Kind kind = kExit;
  int code = 0;               // kExit: the exit status (-1 when unknown); kSignal: the signal number
  uint64_t memory_limit = 0;  // kOutOfMemory: the worker's address-space limit, bytes (0 = not named)
  double seconds = 0;         // kTimeout: how long it ran before it was killed

  // Classifies a waitpid() status; `max_memory` is named when it ran out.
  static WorkerEnded FromWaitStatus(int status, uint64_t max_memory);
  static WorkerEnded Timeout(double seconds);

  // "signal 11 (Segmentation fault)", "out of memory (worker limit 768 MiB)",
  // "exit status 3", "timed out after 2 s".
  std::string Describe() const;
  // Why a file failed when its own worker, running `plugin`, ended so.
  std::string FileFailure(const std::string& plugin) const;
  // Why a page handed over to a worker for OCR failed when the worker ended so.
  std::string PageFailure() const;
};

struct WorkerSpec {
  std::string executable;  // the dossier-worker binary
  std::string plugin_dir;
  std::string ocr_languages;
  std::string ocr_strategy = "detect";
  bool ocr = true;
  uint64_t max_memory = 0;  // RLIMIT_AS of the child, bytes; 0 = none
};

class WorkerProcess {
 public:
  // Starts a child with the socket on its fd 3 and stdio on /dev/null
  // (stderr is kept when DOSSIER_WORKER_STDERR=1, for debugging).
  static Result<std::unique_ptr<WorkerProcess>> Start(const WorkerSpec& spec);
  ~WorkerProcess();  // kills and reaps the child if it still runs
  WorkerProcess(const WorkerProcess&) = delete;
  WorkerProcess& operator=(const WorkerProcess&) = delete;

  int fd() const { return fd_; }
  pid_t pid() const { return pid_; }
  // True once the child said it loaded its plugins.
  bool ready() const { return ready_; }

  // Sends one job (blocks until the child took all of it). False when the
  // child is gone.
  bool SendJob(std::string_view path, std::string_view mime, std::string_view plugin, std::string_view content);
  // Sends one frame ('I' with an image, 'K'/'S' answering an offer). False
  // when the child is gone.
  bool Send(worker::FrameType type, std::string_view payload);
  // Reads whatever has arrived, without blocking. False at end of stream
  // (the child exited or crashed) or on a malformed frame.
  bool ReadAvailable();
  // The next whole frame received, if any ('R' is consumed here). False when
  // no whole frame has arrived yet, and from the first oversized frame on
  // (the stream is malformed: see malformed()).
  bool NextFrame(worker::FrameType* type, std::string* payload);
  // True once the child sent a frame longer than worker::kMaxFrame: nothing
  // after it can be read, so the child should be killed.
  bool malformed() const { return malformed_; }

  // Kills the child (SIGKILL) if `kill`, waits for it, and says how it
  // ended (`max_memory`, the child's address-space limit, is named in the
  // out-of-memory case). Called again, it says the same.
  WorkerEnded Reap(bool kill, uint64_t max_memory);

 private:
  bool SendAll(std::string_view data);
  WorkerProcess(pid_t pid, int fd) : pid_(pid), fd_(fd) {}
  pid_t pid_;
  int fd_;
  bool ready_ = false;
  bool reaped_ = false;
  WorkerEnded ended_;  // once reaped_
  bool malformed_ = false;  // an oversized frame arrived
  std::string in_;
  size_t consumed_ = 0;
};

}  // namespace dossier
