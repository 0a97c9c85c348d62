// A data folder on a full disk: `dossier ingest` stops at the first write that
// fails, with one error naming the folder and the cause, and exit code 1; it
// never aborts; and the next run, with room again, finishes what was pending
// so that both stores agree and hold what a clean ingest holds.
//
// The disk is made "full" without root: the dossier process runs with its file
// size limit (RLIMIT_FSIZE) low and SIGXFSZ ignored, so any write past that
// size, in RocksDB's files or Xapian's alike, fails with EFBIG.
#include <gtest/gtest.h>

#include <algorithm>
#include <nlohmann/json.hpp>
#include <sstream>

#include "support/test_support.h"

namespace dossier {
namespace {

using testing::Run;
using testing::RunDossier;
using testing::TempDir;
using testing::WriteFile;

// Runs dossier with every file it writes limited to `limit_bytes`.
testing::CommandResult RunDossierWithFileSizeLimit(uint64_t limit_bytes, const std::string& data,
                                                   const std::vector<std::string>& args) {
  std::vector<std::string> argv = {"/bin/sh", "-c", "trap '' XFSZ; exec prlimit --fsize=\"$0\" \"$@\"",
                                   std::to_string(limit_bytes), DOSSIER_CLI, "--data", data, "--plugin-dir",
                                   DOSSIER_PLUGIN_DIR};
  argv.insert(argv.end(), args.begin(), args.end());
  return Run(argv);
}

// `count` reports of about 12 KB of varied words each, so that the
// write-ahead log, the index and RocksDB's info log all grow.
void WriteReports(const std::string& dir, int count) {
  for (int i = 0; i < count; ++i) {
    std::ostringstream text;
    text << "Evaluation of the Rural Water Programme " << i << "\n\n"
         << "The United Nations Children's Fund (UNICEF) supported the Ministry of Health in district " << i
         << ".\n\nRECOMMENDATIONS\nRecommendation 1. UNICEF should train the wardens of district " << i
         << " by 2026.\n\n";
    for (int w = 0; w < 1500; ++w) text << "word" << (i * 7919 + w * 104729) % 100003 << (w % 12 == 11 ? ".\n" : " ");
    WriteFile(dir + "/report" + std::to_string(1000 + i) + ".txt", text.str());
  }
}

int Count(const std::string& haystack, const std::string& needle) {
  int n = 0;
  for (size_t at = haystack.find(needle); at != std::string::npos; at = haystack.find(needle, at + 1)) ++n;
  return n;
}

nlohmann::json Stats(const std::string& data) {
  auto stats = RunDossier(data, {"stats", "--json"});
  EXPECT_EQ(stats.exit_code, 0) << stats.err;
  return nlohmann::json::parse(stats.out);
}

TEST(DiskFullTest, IngestStopsCleanlyAndTheNextRunRepairs) {
  TempDir tmp, in;
  WriteReports(in.path(), 40);
  const std::string data = tmp / "data";

  // Two limits, so that the first write to fail is in different files (at
  // 64 KiB RocksDB's info log fails before the write-ahead log: the abort
  // this used to end in).
  for (uint64_t limit : {uint64_t{64} << 10, uint64_t{256} << 10}) {
    SCOPED_TRACE("file size limit " + std::to_string(limit));
    const std::string folder = tmp / ("full-" + std::to_string(limit));
    auto full = RunDossierWithFileSizeLimit(limit, folder, {"ingest", "-q", in.path()});
    EXPECT_EQ(full.exit_code, 1) << full.err;
    EXPECT_EQ(full.err.find("Assertion"), std::string::npos) << full.err;
    EXPECT_EQ(full.err.find("terminate"), std::string::npos) << full.err;
    // One error, naming the data folder and the cause.
    EXPECT_EQ(Count(full.err, "dossier: error: "), 1) << full.err;
    EXPECT_NE(full.err.find("dossier: error: " + folder +
                            ": cannot write to the data folder: a file reached the size limit (File too large)"),
              std::string::npos)
        << full.err;
    EXPECT_NE(full.err.find("ingest stopped"), std::string::npos) << full.err;

    // With room again, the same command finishes the work: both stores agree.
    auto rerun = RunDossier(folder, {"ingest", "-q", in.path()});
    ASSERT_EQ(rerun.exit_code, 0) << rerun.err;
    const nlohmann::json stats = Stats(folder);
    EXPECT_EQ(stats["documents"], 40) << stats;
    EXPECT_EQ(stats["index_entries"], 40) << stats;
    EXPECT_EQ(stats["pending"], 0) << stats;
    auto check = RunDossier(folder, {"check"});
    EXPECT_EQ(check.exit_code, 0) << check.out << check.err;

    // And it holds what a clean ingest holds.
    static std::string clean_export;
    if (clean_export.empty()) {
      auto clean = RunDossier(data, {"ingest", "-q", in.path()});
      ASSERT_EQ(clean.exit_code, 0) << clean.err;
      clean_export = RunDossier(data, {"export"}).out;
      ASSERT_FALSE(clean_export.empty());
    }
    auto exported = RunDossier(folder, {"export"});
    ASSERT_EQ(exported.exit_code, 0) << exported.err;
    EXPECT_TRUE(exported.out == clean_export) << "the export differs from a clean ingest's";
    auto search = RunDossier(folder, {"search", "--json", "wardens"});
    ASSERT_EQ(search.exit_code, 0) << search.err;
    EXPECT_EQ(nlohmann::json::parse(search.out)["total"], 40);
  }
}

}  // namespace
}  // namespace dossier
