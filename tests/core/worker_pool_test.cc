// Tests of the WorkerPool (core/src/ingest/worker_pool.h): jobs handed to
// real dossier-worker processes (and to stand-ins that fail to start or
// never answer), and the tasks the pool gives the committer's queue.
#include "worker_pool.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "support/test_support.h"

namespace dossier {
namespace {

namespace fs = std::filesystem;
using testing::TempDir;
using testing::WriteFile;

class WorkerPoolTest : public ::testing::Test {
 protected:
  void SetUp() override { plugins_ = PluginHost::LoadDirectory(DOSSIER_PLUGIN_DIR); }

  Job TextJob(const std::string& path, const std::string& text) {
    Job job;
    job.result.path = path;
    job.result.mime_type = "text/plain";
    job.source = {path, text.size(), 5};
    job.id = DocumentId::FromHex(Sha256Hex(text).substr(0, DocumentId::kSize * 2)).value();
    job.plugin = plugins_->FindIngestPlugin("text/plain");
    job.content = text;
    return job;
  }

  // Runs the jobs through a pool of `workers` as an ingest run does, and
  // returns the tasks it queued, in order.
  std::vector<Task> Run(unsigned workers, std::vector<Job> jobs) {
    TaskQueue queue(64);
    WorkerPool pool(workers, plugins_.get(), Env::Default(), options_, &queue, &failure_);
    size_t next = 0;
    bool exhausted = false;
    while (failure_.Get().ok()) {
      if (!exhausted && !pool.Fill([&]() -> std::optional<Job> {
            if (next == jobs.size()) return std::nullopt;
            return std::move(jobs[next++]);
          })) {
        exhausted = true;
      }
      if (!pool.Wait(1000) && exhausted) break;
    }
    pool.Stop();
    queue.Close();
    std::vector<Task> tasks;
    Task task;
    while (queue.Pop(&task)) tasks.push_back(std::move(task));
    return tasks;
  }

  // A stand-in for dossier-worker: a shell script.
  std::string Script(const std::string& body) {
    const fs::path path = dir_ / "worker.sh";
    WriteFile(path, "#!/bin/sh\n" + body + "\n");
    ::chmod(path.c_str(), 0755);
    return path.string();
  }

  TempDir dir_;
  std::unique_ptr<PluginHost> plugins_;
  IngestOptions options_;
  RunFailure failure_;
};

TEST_F(WorkerPoolTest, FilesComeBackAsDocumentsToStore) {
  std::vector<Job> jobs;
  for (int i = 0; i < 5; ++i) {
    jobs.push_back(TextJob("/in/" + std::to_string(i) + ".txt", "Report number " + std::to_string(i) + ".\n"));
  }
  const std::vector<Task> tasks = Run(2, jobs);
  ASSERT_TRUE(failure_.Get().ok()) << failure_.Get().ToString();
  ASSERT_EQ(tasks.size(), 5u);
  std::set<std::string> paths;
  for (const Task& task : tasks) {
    ASSERT_EQ(task.kind, Task::kStore) << task.result.message;
    EXPECT_TRUE(task.extracted);
    const Document& doc = task.doc;
    ASSERT_EQ(doc.pages.size(), 1u);
    const std::string number = fs::path(task.result.path).stem().string();
    EXPECT_EQ(doc.pages[0].text.rfind("Report number " + number + ".", 0), 0u) << doc.pages[0].text;
    EXPECT_EQ(doc.id.ToHex(), Sha256Hex("Report number " + number + ".\n").substr(0, DocumentId::kSize * 2));
    EXPECT_EQ(doc.mime_type, "text/plain");
    ASSERT_EQ(doc.sources.size(), 1u);
    EXPECT_EQ(doc.sources[0].path, task.result.path);
    EXPECT_EQ(doc.extracted_by.rfind("text ", 0), 0u) << doc.extracted_by;
    EXPECT_EQ(doc.ocr_settings, "");  // no page needed OCR
    paths.insert(task.result.path);
  }
  EXPECT_EQ(paths.size(), 5u);
}

TEST_F(WorkerPoolTest, AWorkerThatNeverStartsEndsTheRunAfterThreeTries) {
  options_.worker_executable = Script("exit 3");
  std::vector<Job> jobs;
  for (int i = 0; i < 5; ++i) jobs.push_back(TextJob("/in/" + std::to_string(i) + ".txt", "text " + std::to_string(i)));
  const std::vector<Task> tasks = Run(1, jobs);
  const Status failure = failure_.Get();
  EXPECT_EQ(failure.code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(failure.message().find("the ingest worker does not start (exit status 3)"), std::string::npos)
      << failure.ToString();
  EXPECT_NE(failure.message().find(options_.worker_executable), std::string::npos);
  // The files it was given failed with the reason; the rest were never handed out.
  ASSERT_EQ(tasks.size(), 3u);
  for (const Task& task : tasks) {
    EXPECT_EQ(task.kind, Task::kFailure);
    EXPECT_NE(task.result.message.find("text plugin"), std::string::npos) << task.result.message;
  }
}

TEST_F(WorkerPoolTest, AWorkerPastItsDeadlineIsKilledAndItsFileFails) {
  options_.worker_executable = Script("exec sleep 60");
  options_.timeout_seconds = 1;
  const std::vector<Task> tasks = Run(1, {TextJob("/in/slow.txt", "slow")});
  ASSERT_TRUE(failure_.Get().ok()) << failure_.Get().ToString();
  ASSERT_EQ(tasks.size(), 1u);
  EXPECT_EQ(tasks[0].kind, Task::kFailure);
  EXPECT_EQ(tasks[0].result.path, "/in/slow.txt");
  EXPECT_EQ(tasks[0].result.message.rfind("timed out after 1", 0), 0u) << tasks[0].result.message;
  EXPECT_NE(tasks[0].result.message.find("in the text plugin (worker killed)"), std::string::npos);
}

}  // namespace
}  // namespace dossier
