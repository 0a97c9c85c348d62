// The graph is a function of the set of documents, not of the order they
// arrive in: the same files ingested in several orders (one file after
// another, as their paths are given) export the same JSON-LD and GraphML,
// byte for byte. On the repository's sample archive with four reports
// written here that link across documents, and on the real
// development set in ../shared/corpus/real when it is beside the checkout
// (skipped, saying so, when it is not).
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

#include "support/test_support.h"

namespace dossier {
namespace {

namespace fs = std::filesystem;
using testing::RunDossier;
using testing::SharedCorpusDir;
using testing::TempDir;
using testing::WriteFile;

std::vector<std::string> PdfsIn(const fs::path& folder) {
  std::vector<std::string> files;
  for (const auto& entry : fs::directory_iterator(folder)) {
    if (entry.path().extension() == ".pdf") files.push_back(entry.path().string());
  }
  std::sort(files.begin(), files.end());
  return files;
}

// Four reports that link across documents: an evaluation defining an
// acronym, a management response restating its recommendation (same_as),
// a later evaluation with a similar one to the same body (recurs), a memo
// naming the body by its acronym alone.
std::vector<std::string> WriteLinkedReports(const fs::path& folder) {
  const std::vector<std::pair<std::string, std::string>> reports = {
    {"eval_2019.txt",
      "Evaluation of the Rural Water Access Programme\n"
      "\n"
      "March 2019\n"
      "\n"
      "The Agency for Rural Development (ARD) ran the programme in four districts with the Ministry of Water.\n"
      "\n"
      "FINDINGS\n"
      "\n"
      "Finding 1. District water committees met rarely and kept no records of repairs.\n"
      "\n"
      "RECOMMENDATIONS\n"
      "\n"
      "Recommendation 1. ARD should strengthen the monitoring framework for district water committees, with quarterly visits and repair records, by December 2021.\n"
      "\n"
      "Recommendation 2. The Ministry of Water should publish the list of villages served every year.\n"},
    {"response_2020.txt",
      "Management Response to the Evaluation of the Rural Water Access Programme\n"
      "\n"
      "February 2020\n"
      "\n"
      "Recommendation 1. ARD should strengthen the monitoring framework for district water committees, with quarterly visits and repair records, by December 2021.\n"
      "\n"
      "Management response: Accepted.\n"
      "\n"
      "Key action 1.1: ARD will hire two monitoring officers by June 2021. Status: completed.\n"},
    {"eval_2023.txt",
      "Evaluation of the Rural Water Access Programme, Phase II\n"
      "\n"
      "May 2023\n"
      "\n"
      "The Agency for Rural Development (ARD) and the district councils continued the programme.\n"
      "\n"
      "RECOMMENDATIONS\n"
      "\n"
      "Recommendation 1. ARD should strengthen the monitoring framework for district water committees and village pump mechanics, with quarterly visits, by December 2025.\n"
      "\n"
      "Recommendation 2. The district councils should budget for spare parts every year.\n"},
    {"memo_2024.txt",
      "Memo on follow-up of evaluations\n"
      "\n"
      "January 2024\n"
      "\n"
      "ARD should report progress on the monitoring framework to the board by March 2024.\n"},
  };
  std::vector<std::string> files;
  for (const auto& [name, text] : reports) {
    WriteFile(folder / name, text);
    files.push_back((folder / name).string());
  }
  return files;
}

// The graph exports after ingesting `files` in this order, one at a time.
std::vector<std::string> GraphAfter(const std::vector<std::string>& files, const fs::path& data) {
  std::vector<std::string> args = {"ingest", "-q", "--jobs", "1"};
  args.insert(args.end(), files.begin(), files.end());
  auto ingest = RunDossier(data.string(), args);
  EXPECT_EQ(ingest.exit_code, 0) << ingest.err;
  std::vector<std::string> exports;
  for (const char* format : {"jsonld", "graphml"}) {
    auto run = RunDossier(data.string(), {"export", "--format", format});
    EXPECT_EQ(run.exit_code, 0) << run.err;
    exports.push_back(run.out);
  }
  return exports;
}

// Forward, reversed, and the odd-numbered files before the even-numbered.
std::vector<std::vector<std::string>> Orders(std::vector<std::string> files) {
  std::vector<std::string> reversed(files.rbegin(), files.rend());
  std::vector<std::string> interleaved;
  for (size_t start : {1u, 0u}) {
    for (size_t i = start; i < files.size(); i += 2) interleaved.push_back(files[i]);
  }
  return {files, reversed, interleaved};
}

void ExpectSameGraphInEveryOrder(const std::vector<std::string>& files, size_t orders) {
  ASSERT_GE(files.size(), 3u);
  TempDir tmp;
  std::vector<std::vector<std::string>> each = Orders(files);
  each.resize(std::min(orders, each.size()));
  const std::vector<std::string> first = GraphAfter(each[0], tmp / "order0");
  ASSERT_GT(first[0].size(), 1000u) << first[0];
  for (size_t k = 1; k < each.size(); ++k) {
    const std::vector<std::string> other = GraphAfter(each[k], tmp / ("order" + std::to_string(k)));
    EXPECT_TRUE(other[0] == first[0]) << "JSON-LD differs in order " << k;
    EXPECT_TRUE(other[1] == first[1]) << "GraphML differs in order " << k;
  }
}

TEST(ArrivalOrderTest, TheSampleArchiveAndLinkedReportsGiveTheSameGraphInEveryOrder) {
  TempDir in;
  std::vector<std::string> files = PdfsIn(fs::path(DOSSIER_SOURCE_DIR) / "samples");
  for (const std::string& file : WriteLinkedReports(in.path())) files.push_back(file);
  ExpectSameGraphInEveryOrder(files, 3);
}

TEST(ArrivalOrderTest, TheRealDevelopmentSetGivesTheSameGraphInEveryOrder) {
  const std::string corpus = SharedCorpusDir();
  if (corpus.empty() || !fs::is_directory(fs::path(corpus) / "real")) {
    GTEST_SKIP() << "uses ../shared/corpus/real, which is not beside this checkout: skipped";
  }
  ExpectSameGraphInEveryOrder(PdfsIn(fs::path(corpus) / "real"), 2);
}

}  // namespace
}  // namespace dossier
