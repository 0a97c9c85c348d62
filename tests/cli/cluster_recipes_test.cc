// The job-runner recipes of docs/SCALING.md (scripts/cluster/): the Slurm
// array script run as its tasks would be (for real, on a small archive, then
// merged), and the Kubernetes indexed Job and the GNU parallel command as dry
// runs that print each partition's command.
#include <gtest/gtest.h>
#include <stdlib.h>

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "support/test_support.h"

namespace dossier {
namespace {

using testing::RunDossier;
using testing::TempDir;
using testing::WriteFile;

const std::string kScripts = std::string(DOSSIER_SOURCE_DIR) + "/scripts/cluster/";

// Each partition's command, in order: what a dry run of N partitions prints.
std::string ExpectedCommands(const std::string& shards, const std::string& archive, int n, const std::string& extra,
                             const std::string& before = "") {
  std::string out;
  for (int k = 0; k < n; ++k) {
    const std::string K = std::to_string(k);
    out += before + "dossier --data " + shards + "/" + K + " ingest --partition " + K + "/" + std::to_string(n) + extra +
           " --report " + shards + "/" + K + ".report.json " + archive + "\n";
  }
  return out;
}

TEST(ClusterRecipesTest, TheSlurmArrayTasksTogetherIngestEveryFileAndMerge) {
  TempDir in, tmp;
  for (int i = 0; i < 9; ++i) {
    WriteFile(in / ("box" + std::to_string(i % 2) + "/note_" + std::to_string(i) + ".txt"),
              "Note " + std::to_string(i) + " on the budget of district " + std::to_string(i * 3) + ".");
  }
  ::setenv("DOSSIER_PLUGIN_DIR", DOSSIER_PLUGIN_DIR, 1);
  for (int k = 0; k < 3; ++k) {
    // As Slurm starts task k of an --array=0-2 job.
    auto r = testing::Run({"/usr/bin/env", "SLURM_ARRAY_TASK_ID=" + std::to_string(k), "SLURM_ARRAY_TASK_COUNT=3",
                  "SLURM_CPUS_PER_TASK=1", std::string("DOSSIER=") + DOSSIER_CLI, "bash",
                  kScripts + "slurm-ingest.sbatch", in.path(), tmp / "shards"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
  }
  auto merged = RunDossier(tmp / "merged", {"merge", "--json", tmp / "shards/0", tmp / "shards/1", tmp / "shards/2",
                                            "--into", tmp / "merged"});
  ASSERT_EQ(merged.exit_code, 0) << merged.err;
  EXPECT_EQ(nlohmann::json::parse(merged.out)["documents"], 9);
  auto dry = testing::Run({"/usr/bin/env", "SLURM_ARRAY_TASK_ID=2", "SLURM_ARRAY_TASK_COUNT=4", "DOSSIER=echo dossier", "bash",
                  kScripts + "slurm-ingest.sbatch", "/mnt/archive", "/shards"});
  ASSERT_EQ(dry.exit_code, 0) << dry.err;
  EXPECT_EQ(dry.out, "dossier --data /shards/2 ingest --partition 2/4 --jobs 1 --report /shards/2.report.json /mnt/archive\n");
  auto outside = testing::Run({"/usr/bin/env", "-u", "SLURM_ARRAY_TASK_ID", "bash", kScripts + "slurm-ingest.sbatch", "/a", "/s"});
  EXPECT_NE(outside.exit_code, 0);
  EXPECT_NE(outside.err.find("Slurm array job"), std::string::npos) << outside.err;
}

TEST(ClusterRecipesTest, TheKubernetesIndexedJobRunsEachPartitionOnce) {
  auto r = testing::Run({kScripts + "k8s-dry-run.sh", kScripts + "k8s-ingest-job.yaml"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, ExpectedCommands("/shards", "/archive", 4, ""));
}

TEST(ClusterRecipesTest, GnuParallelRunsOnePartitionPerHost) {
  ASSERT_EQ(testing::Run({"/bin/sh", "-c", "command -v parallel"}).exit_code, 0)
      << "GNU parallel is missing: apt-get install parallel (scripts/install-deps.sh --test installs it)";
  TempDir tmp;
  WriteFile(tmp / "hosts", "node1\n# a spare\nnode2\n\nnode3\n");
  auto r = testing::Run({"/bin/bash", kScripts + "parallel-ingest.sh", tmp / "hosts", "/mnt/archive", "/shards", "--dry-run"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, ExpectedCommands("/shards", "/mnt/archive", 3, "", "mkdir -p /shards && "));
  WriteFile(tmp / "none", "# nobody\n");
  auto none = testing::Run({"/bin/bash", kScripts + "parallel-ingest.sh", tmp / "none", "/mnt/archive", "/shards", "--dry-run"});
  EXPECT_EQ(none.exit_code, 2);
  EXPECT_NE(none.err.find("lists no host"), std::string::npos) << none.err;
}

}  // namespace
}  // namespace dossier
