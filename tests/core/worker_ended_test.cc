// Tests of WorkerEnded: how a worker's end is classified from its wait
// status, and the words the ingest report uses for each kind.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include "worker_process.h"

namespace dossier {
namespace {

// The wait status of a child that runs `body` and then exits 0.
template <typename Body>
int WaitStatusOf(Body body) {
  const pid_t pid = ::fork();
  if (pid == 0) {
    body();
    ::_exit(0);
  }
  int status = 0;
  EXPECT_EQ(::waitpid(pid, &status, 0), pid);
  return status;
}

TEST(WorkerEndedTest, AnExitStatusIsAnExit) {
  const WorkerEnded ended = WorkerEnded::FromWaitStatus(WaitStatusOf([] { ::_exit(3); }), 0);
  EXPECT_EQ(ended.kind, WorkerEnded::kExit);
  EXPECT_EQ(ended.code, 3);
  EXPECT_EQ(ended.Describe(), "exit status 3");
  EXPECT_EQ(ended.FileFailure("pdf"), "the worker running the pdf plugin ended unexpectedly (exit status 3)");
  EXPECT_EQ(ended.PageFailure(), "the OCR worker ended on this page (exit status 3)");
}

TEST(WorkerEndedTest, ASignalIsACrash) {
  const WorkerEnded ended = WorkerEnded::FromWaitStatus(WaitStatusOf([] { ::raise(SIGKILL); }), 1ull << 30);
  EXPECT_EQ(ended.kind, WorkerEnded::kSignal);
  EXPECT_EQ(ended.code, SIGKILL);
  EXPECT_EQ(ended.Describe(), "signal 9 (Killed)");
  EXPECT_EQ(ended.FileFailure("pdf"), "the pdf plugin crashed on this file (signal 9 (Killed))");
  EXPECT_EQ(ended.PageFailure(), "the OCR worker crashed on this page (signal 9 (Killed))");
}

TEST(WorkerEndedTest, TheOutOfMemoryExitCodeIsOutOfMemoryAndNamesTheLimit) {
  const int status = WaitStatusOf([] { ::_exit(worker::kExitOutOfMemory); });
  const WorkerEnded limited = WorkerEnded::FromWaitStatus(status, 768ull << 20);
  EXPECT_EQ(limited.kind, WorkerEnded::kOutOfMemory);
  EXPECT_EQ(limited.Describe(), "out of memory (worker limit 768 MiB)");
  EXPECT_EQ(limited.FileFailure("hostile"), "out of memory (worker limit 768 MiB) in the hostile plugin");
  EXPECT_EQ(limited.PageFailure(), "OCR ran out of memory (worker limit 768 MiB)");
  const WorkerEnded unlimited = WorkerEnded::FromWaitStatus(status, 0);
  EXPECT_EQ(unlimited.kind, WorkerEnded::kOutOfMemory);
  EXPECT_EQ(unlimited.Describe(), "out of memory");
}

TEST(WorkerEndedTest, ATimeoutNamesItsSecondsRounded) {
  const WorkerEnded ended = WorkerEnded::Timeout(2.4);
  EXPECT_EQ(ended.kind, WorkerEnded::kTimeout);
  EXPECT_EQ(ended.Describe(), "timed out after 2 s");
  EXPECT_EQ(ended.FileFailure("hostile"), "timed out after 2 s in the hostile plugin (worker killed)");
  EXPECT_EQ(ended.PageFailure(), "OCR timed out after 2 s (worker killed)");
}

}  // namespace
}  // namespace dossier
