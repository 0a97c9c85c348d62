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
#include <algorithm>
#include <set>
#include <sstream>
#include <thread>

#include "support/test_support.h"

namespace dossier {
namespace {

namespace fs = std::filesystem;
using testing::MakePdf;
using testing::PdfOptions;
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

// Sorted lines: an export whose records may come in another order.
std::string SortedLines(const std::string& text) {
  std::istringstream in(text);
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  std::sort(lines.begin(), lines.end());
  std::string out;
  for (const std::string& line : lines) out += line + "\n";
  return out;
}

// The ids and total of a search, and each hit's page and weight: what a
// merged folder must answer as the single folder does (hits of equal
// weight may come in another order: ties go by Xapian docid).
std::string SearchAnswer(const std::string& data, const std::string& query) {
  auto r = RunDossier(data, {"search", "--json", "--limit", "100", query});
  EXPECT_EQ(r.exit_code, 0) << query << ": " << r.err;
  const nlohmann::json found = nlohmann::json::parse(r.out, nullptr, false);
  if (found.is_discarded()) return "unreadable: " + r.out;
  std::vector<std::string> hits;
  for (const auto& hit : found["hits"]) {
    hits.push_back(hit["id"].get<std::string>() + " p" + hit["page"].dump() + " " + hit["percent"].dump());
  }
  std::sort(hits.begin(), hits.end());
  std::string out = query + ": " + found["total"].dump() + "\n";
  for (const std::string& h : hits) out += h + "\n";
  return out;
}

// Three machines' shares ingested at once (--partition K/3, in parallel),
// then `dossier merge`: the merged folder exports (JSON lines and JSON-LD)
// and searches as a single-folder ingest of the same files, structure
// included; a second merge writes nothing; merging into a folder an ingest
// filled is refused, naming it.
TEST(BulkCliTest, ThreePartitionsMergedAnswerAsOneIngestOfTheSameFiles) {
  TempDir in, tmp;
  PdfOptions styled;
  styled.styled = true;
  std::filesystem::create_directories(in / "eval");
  MakePdf(in / "eval/rural_water_evaluation.pdf",
          "[h1] Evaluation of the Rural Water Programme\n"
          "The programme was evaluated in 2024 by the Independent Evaluation Office.\n"
          "[h2] Recommendations\n"
          "Recommendation 1. The Rural Infrastructure Support Unit (RISU) should train district engineers "
          "in pump maintenance by December 2025.\n"
          "Recommendation 2. The Ministry of Water should fund the regional water boards every year.\n",
          styled);
  MakePdf(in / "eval/rural_water_response.pdf",
          "[h1] Management response to the Evaluation of the Rural Water Programme\n"
          "Recommendation 1. RISU should train district engineers in pump maintenance.\n"
          "Management response: Accepted.\n"
          "Key action 1.1 Training courses for district engineers are held twice a year. Responsible: RISU. "
          "Due: June 2026.\n",
          styled);
  for (int i = 0; i < 10; ++i) {
    WriteFile(in / ("memos/memo_" + std::to_string(i) + ".txt"),
              "Memo " + std::to_string(i) + " on water boards and pump maintenance in district " +
                  std::to_string(i * 7) + ". The Ministry of Water funds district " + std::to_string(i) + ".");
  }
  std::vector<pid_t> runs;
  for (int k = 0; k < 3; ++k) {
    runs.push_back(Spawn({DOSSIER_CLI, "--data", tmp / ("shard" + std::to_string(k)), "--plugin-dir", DOSSIER_PLUGIN_DIR,
                          "ingest", "--partition", std::to_string(k) + "/3", in.path()}));
  }
  for (pid_t pid : runs) {
    int status = 0;
    ASSERT_EQ(::waitpid(pid, &status, 0), pid);
    ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << "a partition's ingest failed";
  }
  auto single = RunDossier(tmp / "single", {"ingest", in.path()});
  ASSERT_EQ(single.exit_code, 0) << single.err;

  auto merged = RunDossier(tmp / "merged", {"merge", "--json", tmp / "shard0", tmp / "shard1", tmp / "shard2", "--into",
                                            tmp / "merged"});
  ASSERT_EQ(merged.exit_code, 0) << merged.err;
  WriteFile(tmp / "merge.json", merged.out);
  EXPECT_EQ(SchemaErrors("merge-report.schema.json", tmp / "merge.json"), "");
  const nlohmann::json report = nlohmann::json::parse(merged.out);
  EXPECT_EQ(report["documents"], 12);
  EXPECT_EQ(report["added"], 12);
  uint64_t from_shards = 0;
  for (const auto& shard : report["shards"]) from_shards += shard["documents"].get<uint64_t>();
  EXPECT_EQ(from_shards, 12u) << "every file in exactly one shard";

  for (const std::vector<std::string>& args :
       {std::vector<std::string>{"export"}, {"export", "--format", "jsonld"}, {"export", "--format", "graphml"}}) {
    auto want = RunDossier(tmp / "single", args);
    auto got = RunDossier(tmp / "merged", args);
    ASSERT_EQ(want.exit_code, 0) << want.err;
    ASSERT_EQ(got.exit_code, 0) << got.err;
    EXPECT_EQ(SortedLines(got.out), SortedLines(want.out)) << args.back();
  }
  EXPECT_NE(RunDossier(tmp / "merged", {"export"}).out.find("RISU"), std::string::npos) << "extraction ran";
  for (const char* query : {"pump maintenance", "water", "\"district engineers\"", "RISU OR ministry"}) {
    EXPECT_EQ(SearchAnswer(tmp / "merged", query), SearchAnswer(tmp / "single", query));
  }
  for (const char* command : {"recommendations", "actions"}) {
    auto want = RunDossier(tmp / "single", {command, "--json"});
    auto got = RunDossier(tmp / "merged", {command, "--json"});
    EXPECT_EQ(got.out, want.out) << command;
  }
  // The structure model travels with its document.
  auto docs = nlohmann::json::parse(RunDossier(tmp / "single", {"documents", "--json", "--limit", "100"}).out);
  for (const auto& doc : docs["documents"]) {
    const std::string id = doc["id"];
    auto want = RunDossier(tmp / "single", {"show", id, "--structure", "--json"});
    auto got = RunDossier(tmp / "merged", {"show", id, "--structure", "--json"});
    EXPECT_EQ(got.exit_code, want.exit_code) << id;
    EXPECT_EQ(got.out, want.out) << id;
  }

  auto again = RunDossier(tmp / "merged", {"merge", "--json", tmp / "shard0", tmp / "shard1", tmp / "shard2", "--into",
                                           tmp / "merged"});
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_EQ(nlohmann::json::parse(again.out)["unchanged"], 12);

  auto refused = RunDossier(tmp / "x", {"merge", tmp / "shard0", "--into", tmp / "single"});
  EXPECT_NE(refused.exit_code, 0);
  EXPECT_NE(refused.err.find(tmp / "single"), std::string::npos) << refused.err;
  EXPECT_NE(refused.err.find("no merge put there"), std::string::npos) << refused.err;
}

}  // namespace
}  // namespace dossier
