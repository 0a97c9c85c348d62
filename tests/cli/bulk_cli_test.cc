// End-to-end tests of bulk ingestion through the dossier command: the
// --report file against its schema, and kill -9 in the middle of a run
// followed by the same command again.
#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <set>
#include <thread>

#include "support/test_support.h"

namespace dossier {
namespace {

namespace fs = std::filesystem;
using testing::MakePdf;
using testing::ReadFile;
using testing::RunDossier;
using testing::SchemaErrors;
using testing::TempDir;
using testing::WriteFile;

TEST(BulkCliTest, ReportListsEveryFileAndMatchesItsSchema) {
  TempDir in, tmp;
  const std::string data = tmp / "data";
  MakePdf(in / "eval.pdf", "Evaluation of the Rural Water Programme.\fFindings on wells.");
  std::string pdf = ReadFile(in / "eval.pdf");
  WriteFile(in / "z-copy/eval-again.pdf", pdf);
  WriteFile(in / "truncated.pdf", pdf.substr(0, pdf.size() / 2));
  WriteFile(in / "clip.bin", std::string("\x00\x00\x00\x18" "ftypmp42\x00\x00\x00\x00mp42isom", 24));
  WriteFile(in / "memo.txt", "Memo on staffing.");
  auto r = RunDossier(data, {"ingest", "--report", tmp / "report.json", in.path()});
  EXPECT_EQ(r.exit_code, 1) << r.err;  // one file failed
  EXPECT_EQ(SchemaErrors("ingest-report.schema.json", tmp / "report.json"), "");
  nlohmann::json report = nlohmann::json::parse(ReadFile(tmp / "report.json"));
  std::map<std::string, std::string> outcome;
  for (const auto& f : report["files_report"]) outcome[fs::path(f["path"].get<std::string>()).filename()] = f["outcome"];
  EXPECT_EQ(outcome["eval.pdf"], "ingested");
  EXPECT_EQ(outcome["memo.txt"], "ingested");
  EXPECT_EQ(outcome["eval-again.pdf"], "duplicate");
  EXPECT_EQ(outcome["truncated.pdf"], "failed");
  EXPECT_EQ(outcome["clip.bin"], "skipped");
  EXPECT_EQ(report["files"], 5);
  EXPECT_EQ(report["duplicates"], 1);
  EXPECT_NE(r.err.find("5 file(s): 2 ingested (3 pages), 0 unchanged, 1 skipped, 1 failed, 1 duplicate(s)"), std::string::npos)
      << r.err;

  // Rerun: all unchanged but the failure, which is reported again without a retry.
  r = RunDossier(data, {"ingest", "--json", in.path()});
  EXPECT_EQ(r.exit_code, 1);
  WriteFile(tmp / "rerun.json", r.out);
  EXPECT_EQ(SchemaErrors("ingest-report.schema.json", tmp / "rerun.json"), "");
  report = nlohmann::json::parse(r.out);
  EXPECT_EQ(report["unchanged"], 3);
  EXPECT_NE(r.err.find("failed before and unchanged since"), std::string::npos) << r.err;

  // remove by path, then prune after deleting a file.
  r = RunDossier(data, {"remove", in / "memo.txt"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("1 path(s) forgotten, 1 document(s) removed"), std::string::npos) << r.out;
  fs::remove(in / "eval.pdf");
  r = RunDossier(data, {"ingest", "--prune", "--json", in.path()});
  report = nlohmann::json::parse(r.out);
  EXPECT_EQ(report["removed"], 1);
  r = RunDossier(data, {"remove", in / "nothing-here.pdf"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("no stored document has this id or path"), std::string::npos) << r.err;
}

// Starts the CLI without waiting for it; returns its pid.
pid_t Spawn(const std::vector<std::string>& argv) {
  pid_t pid = ::fork();
  if (pid == 0) {
    int null = ::open("/dev/null", O_RDWR);
    ::dup2(null, 0);
    ::dup2(null, 1);
    ::dup2(null, 2);
    std::vector<char*> args;
    for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    ::execv(args[0], args.data());
    ::_exit(127);
  }
  return pid;
}

TEST(BulkCliTest, KillNineInTheMiddleThenTheSameCommandFinishesTheRest) {
  TempDir in, tmp, plugins;
  // A slow ingestion plugin (150 ms a file), so the kill lands mid-run.
  fs::copy_file(std::string(DOSSIER_TEST_PLUGIN_DIR) + "/tp_hostile.so", plugins / "tp_hostile.so");
  WriteFile(plugins / "hostile.plugin.json",
            R"({"name":"hostile","version":"1.0.0","abi_version":1,"kind":"ingest","library":"tp_hostile.so",
                "mime_types":["text/plain"],"extensions":[".txt"],"description":"slow"})");
  constexpr int kFiles = 40;
  for (int i = 0; i < kFiles; ++i) WriteFile(in / ("f" + std::to_string(100 + i) + ".txt"), "SLOW file " + std::to_string(i));
  const std::string data = tmp / "data";
  std::vector<std::string> ingest = {DOSSIER_CLI, "--data", data, "--plugin-dir", plugins.path(), "ingest", "-q",
                                     "--jobs", "2", in.path()};
  pid_t pid = Spawn(ingest);
  // Wait until some documents are in (a reader sees them while the writer runs).
  uint64_t seen = 0;
  auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (seen < 6 && std::chrono::steady_clock::now() < give_up) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    auto stats = RunDossier(data, {"stats", "--json"});
    if (stats.exit_code == 0) seen = nlohmann::json::parse(stats.out).value("documents", uint64_t{0});
  }
  ::kill(pid, SIGKILL);
  int status = 0;
  ::waitpid(pid, &status, 0);
  ASSERT_TRUE(WIFSIGNALED(status)) << "the ingest finished before it could be killed";
  ASSERT_GE(seen, 6u);

  auto r = testing::Run({DOSSIER_CLI, "--data", data, "--plugin-dir", plugins.path(), "ingest", "--json", "--jobs", "2",
                         in.path()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  nlohmann::json report = nlohmann::json::parse(r.out);
  EXPECT_EQ(report["files"], kFiles);
  EXPECT_GE(report["unchanged"].get<int>(), static_cast<int>(seen));  // finished files are not redone
  EXPECT_EQ(report["ingested"].get<int>() + report["unchanged"].get<int>(), kFiles);
  auto stats = nlohmann::json::parse(RunDossier(data, {"stats", "--json"}).out);
  EXPECT_EQ(stats["documents"], kFiles);
  EXPECT_EQ(stats["index_entries"], kFiles);  // nothing half in one store
  EXPECT_EQ(stats["pending"], 0);
  auto search = RunDossier(data, {"search", "--json", "--limit", "100", "fake"});
  ASSERT_EQ(search.exit_code, 0) << search.err;
  EXPECT_EQ(nlohmann::json::parse(search.out)["total"], kFiles);
}

// Two machines' share of one archive (--partition K/N): each data folder
// holds its partition's documents, together every document once; the report
// counts the files left to the other partition; a rerun is incremental; a
// run with another N and --prune removes what is no longer its share,
// saying why; and a malformed K/N is a usage error naming the mistake.
TEST(BulkCliTest, PartitionsSplitAnArchiveBetweenDataFoldersAndTogetherHoldEveryFile) {
  TempDir in, tmp;
  for (int i = 0; i < 12; ++i) {
    WriteFile(in / ("r" + std::to_string(i % 3) + "/memo_" + std::to_string(i) + ".txt"),
              "Memo number " + std::to_string(i) + " on the staffing of office " + std::to_string(i * 7) + ".");
  }
  std::set<std::string> all_titles;
  uint64_t ingested = 0;
  for (int k = 0; k < 2; ++k) {
    const std::string data = tmp / ("shard" + std::to_string(k));
    auto r = RunDossier(data, {"ingest", "--json", "--partition", std::to_string(k) + "/2", in.path()});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    WriteFile(tmp / "report.json", r.out);
    EXPECT_EQ(SchemaErrors("ingest-report.schema.json", tmp / "report.json"), "");
    const nlohmann::json report = nlohmann::json::parse(r.out);
    EXPECT_EQ(report["ingested"].get<uint64_t>() + report["other_partitions"].get<uint64_t>(), 12u);
    EXPECT_GT(report["ingested"].get<uint64_t>(), 0u);
    ingested += report["ingested"].get<uint64_t>();
    auto again = RunDossier(data, {"ingest", "--partition", std::to_string(k) + "/2", in.path()});
    EXPECT_EQ(again.exit_code, 0) << again.err;
    EXPECT_NE(again.err.find("0 ingested"), std::string::npos) << again.err;
    EXPECT_NE(again.err.find("left to other partitions than " + std::to_string(k) + "/2"), std::string::npos) << again.err;
  }
  EXPECT_EQ(ingested, 12u) << "every file in exactly one shard";
  // Shard 0 becomes partition 0 of 3: what it held of partitions 1 and 2 of
  // three goes with --prune, and says so.
  auto three = RunDossier(tmp / "shard0", {"ingest", "--json", "--prune", "--partition", "0/3", in.path()});
  ASSERT_EQ(three.exit_code, 0) << three.err;
  const nlohmann::json report = nlohmann::json::parse(three.out);
  uint64_t removed = 0;
  for (const auto& f : report["files_report"]) {
    if (f["outcome"] == "removed") {
      ++removed;
      EXPECT_EQ(f["message"], "file is in another partition than 0/3: document removed");
    }
  }
  EXPECT_GT(removed, 0u);
  EXPECT_EQ(report["removed"], removed);
  auto listed = RunDossier(tmp / "shard0", {"stats", "--json"});
  ASSERT_EQ(listed.exit_code, 0) << listed.err;
  EXPECT_EQ(nlohmann::json::parse(listed.out)["documents"].get<uint64_t>(), 12u - report["other_partitions"].get<uint64_t>());
  for (const char* bad : {"2/2", "x/2", "1"}) {
    auto r = RunDossier(tmp / "bad", {"ingest", "--partition", bad, in.path()});
    EXPECT_EQ(r.exit_code, 2) << bad;
    EXPECT_NE(r.err.find("--partition partition '"), std::string::npos) << r.err;
  }
}

}  // namespace
}  // namespace dossier
