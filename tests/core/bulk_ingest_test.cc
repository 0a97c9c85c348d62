// Tests of bulk ingestion: crash isolation (a plugin that crashes, hangs or
// eats memory, built by the tests), archives, reruns, --prune, remove,
// --retry-failed, duplicates in flight.
#include <gtest/gtest.h>

#include <filesystem>
#include <map>

#include "dossier/ingest.h"
#include "support/test_support.h"

namespace dossier {
namespace {

namespace fs = std::filesystem;
using testing::MakePdf;
using testing::ReadFile;
using testing::Run;
using testing::TempDir;
using testing::WriteFile;

// A plugin directory holding only the hostile test plugin, for text/plain.
void InstallHostilePlugin(const TempDir& dir) {
  fs::copy_file(std::string(DOSSIER_TEST_PLUGIN_DIR) + "/tp_hostile.so", dir / "tp_hostile.so",
                fs::copy_options::overwrite_existing);
  WriteFile(dir / "hostile.plugin.json",
            R"({"name":"hostile","version":"1.0.0","abi_version":1,"kind":"ingest","library":"tp_hostile.so",
                "mime_types":["text/plain"],"extensions":[".txt"],"description":"misbehaves on request"})");
}

class BulkIngestTest : public ::testing::Test {
 protected:
  void SetUp() override {
    languages_ = std::move(LanguageDetector::Create()).value();
    mime_ = std::move(MimeDetector::Create()).value();
    store_ = std::move(Store::Open(data_ / "data", StoreMode::kReadWrite)).value();
    plugins_ = PluginHost::LoadDirectory(DOSSIER_PLUGIN_DIR);
  }

  // Ingests and returns outcome by path (relative to in_ when under it).
  std::map<std::string, FileResult> Ingest(const std::vector<std::string>& paths, IngestOptions options = {},
                                           IngestSummary* summary_out = nullptr) {
    Ingester ingester(store_.get(), plugins_.get(), languages_.get(), mime_.get());
    std::map<std::string, FileResult> results;
    options.worker_executable = DOSSIER_WORKER;
    options.on_file = [&](const FileResult& r) {
      std::string key = r.path.rfind(in_.path() + "/", 0) == 0 ? r.path.substr(in_.path().size() + 1) : r.path;
      results[key] = r;
    };
    Result<IngestSummary> summary = ingester.Ingest(paths, options);
    EXPECT_TRUE(summary.ok()) << summary.status().ToString();
    if (summary_out && summary.ok()) *summary_out = *summary;
    return results;
  }

  TempDir data_, in_, plugin_dir_;
  std::unique_ptr<PluginHost> plugins_;
  std::unique_ptr<LanguageDetector> languages_;
  std::unique_ptr<MimeDetector> mime_;
  std::unique_ptr<Store> store_;
};

TEST_F(BulkIngestTest, ACrashAHangAndAMemoryHogFailTheirFileAndTheRunGoesOn) {
  InstallHostilePlugin(plugin_dir_);
  plugins_ = PluginHost::LoadDirectory(plugin_dir_.path());
  WriteFile(in_ / "a-good.txt", "a good file");
  WriteFile(in_ / "b-crash.txt", "CRASH here");
  WriteFile(in_ / "c-hang.txt", "HANG here");
  WriteFile(in_ / "d-hog.txt", "HOG here");
  WriteFile(in_ / "e-good.txt", "another good file");
  WriteFile(in_ / "f-fail.txt", "FAIL politely");
  IngestOptions options;
  options.jobs = 2;
  options.timeout_seconds = 2;
  options.max_worker_memory = 768ull << 20;
  IngestSummary summary;
  auto started = std::chrono::steady_clock::now();
  auto results = Ingest({in_.path()}, options, &summary);
  double took = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();

  EXPECT_EQ(results["a-good.txt"].outcome, FileOutcome::kIngested);
  EXPECT_EQ(results["e-good.txt"].outcome, FileOutcome::kIngested);
  auto failed_with = [&](const std::string& name, const std::string& reason) {
    EXPECT_EQ(results[name].outcome, FileOutcome::kFailed) << name;
    EXPECT_NE(results[name].message.find(reason), std::string::npos) << name << ": " << results[name].message;
  };
  failed_with("b-crash.txt", "the hostile plugin crashed on this file (signal 11");
  failed_with("c-hang.txt", "timed out after 2 s in the hostile plugin (worker killed)");
  failed_with("d-hog.txt", "out of memory (worker limit 768 MiB) in the hostile plugin");
  failed_with("f-fail.txt", "asked to fail");
  EXPECT_EQ(summary.ingested, 2u);
  EXPECT_EQ(summary.failed, 4u);
  EXPECT_LT(took, 30.0);  // the hang cost its timeout, not the run

  // The failures are remembered; unchanged files are not tried again unless asked.
  EXPECT_EQ(store_->Stats()->failed_files, 4u);
  auto again = Ingest({in_ / "b-crash.txt"}, options);
  EXPECT_NE(again["b-crash.txt"].message.find("failed before and unchanged since"), std::string::npos)
      << again["b-crash.txt"].message;
  options.retry_failed = true;
  auto retried = Ingest({in_ / "b-crash.txt"}, options);
  EXPECT_EQ(retried["b-crash.txt"].message.find("failed before"), std::string::npos);
  EXPECT_NE(retried["b-crash.txt"].message.find("crashed"), std::string::npos);
}

TEST_F(BulkIngestTest, AMissingWorkerIsAnEnvironmentErrorNotAPerFileFailure) {
  WriteFile(in_ / "a.txt", "some text");
  Ingester ingester(store_.get(), plugins_.get(), languages_.get(), mime_.get());
  IngestOptions options;
  options.worker_executable = in_ / "no-such-worker";
  Result<IngestSummary> summary = ingester.Ingest({in_.path()}, options);
  ASSERT_FALSE(summary.ok());
  EXPECT_NE(summary.status().message().find("no-such-worker"), std::string::npos) << summary.status().ToString();
}

// Makes archives with Python's zipfile/tarfile (any member name, including hostile ones).
void MakeArchive(const std::string& path, const std::map<std::string, std::string>& members) {
  std::string script =
      "import sys, zipfile, tarfile, io\n"
      "path = sys.argv[1]\n"
      "items = list(zip(sys.argv[2::2], sys.argv[3::2]))\n"
      "if path.endswith('.zip'):\n"
      "    with zipfile.ZipFile(path, 'w', zipfile.ZIP_DEFLATED) as z:\n"
      "        for n, c in items: z.writestr(n, c)\n"
      "else:\n"
      "    mode = 'w:gz' if path.endswith('gz') else 'w:xz' if path.endswith('xz') else 'w:bz2' if path.endswith('bz2') else 'w'\n"
      "    with tarfile.open(path, mode) as t:\n"
      "        for n, c in items:\n"
      "            data = c.encode(); info = tarfile.TarInfo(n); info.size = len(data); info.mtime = 1700000000\n"
      "            t.addfile(info, io.BytesIO(data))\n";
  std::vector<std::string> argv = {DOSSIER_PYTHON, "-c", script, path};
  for (const auto& [name, content] : members) {
    argv.push_back(name);
    argv.push_back(content);
  }
  auto r = Run(argv);
  ASSERT_EQ(r.exit_code, 0) << r.err;
}

TEST_F(BulkIngestTest, ArchiveMembersAreIngestedInPlaceWithTheirPathInside) {
  MakeArchive(in_ / "box.zip", {{"memos/one.txt", "The first memo, about wells."},
                                {"memos/two.txt", "The second memo, about pumps."},
                                {"../escape.txt", "climbing out"},
                                {"clip.bin", std::string("\x01\x02\x03\x04\x05\x06\x07\x08\x0e\x0f", 10)}});
  MakeArchive(in_ / "old.tar.gz", {{"three.txt", "The third memo, about latrines."},
                                   {"copy.txt", "The first memo, about wells."}});
  MakeArchive(in_ / "later.tar.xz", {{"four.txt", "The fourth memo, about boreholes."}});
  MakeArchive(in_ / "older.tar.bz2", {{"five.txt", "The fifth memo, about cisterns."}});
  WriteFile(in_ / "broken.zip", "PK\x03\x04 this is not really a zip");
  IngestSummary summary;
  auto results = Ingest({in_.path()}, {}, &summary);
  EXPECT_EQ(results["box.zip/memos/one.txt"].outcome, FileOutcome::kIngested);
  EXPECT_EQ(results["box.zip/memos/two.txt"].outcome, FileOutcome::kIngested);
  EXPECT_EQ(results["old.tar.gz/three.txt"].outcome, FileOutcome::kIngested);
  EXPECT_EQ(results["old.tar.gz/copy.txt"].outcome, FileOutcome::kDuplicate);
  EXPECT_EQ(results["box.zip/../escape.txt"].outcome, FileOutcome::kFailed);
  EXPECT_NE(results["box.zip/../escape.txt"].message.find("climbs out"), std::string::npos);
  EXPECT_EQ(results["box.zip/clip.bin"].outcome, FileOutcome::kSkipped);
  EXPECT_EQ(results["later.tar.xz/four.txt"].outcome, FileOutcome::kIngested);
  EXPECT_EQ(results["older.tar.bz2/five.txt"].outcome, FileOutcome::kIngested);
  EXPECT_EQ(results["broken.zip"].outcome, FileOutcome::kFailed);
  EXPECT_EQ(store_->Stats()->documents, 5u);
  auto source = store_->LookupSource(in_ / "box.zip/memos/two.txt");
  ASSERT_TRUE(source.ok() && *source);

  // A rerun reads no member again; a member gone from the archive is pruned.
  IngestSummary rerun;
  auto again = Ingest({in_.path()}, {}, &rerun);
  EXPECT_EQ(rerun.ingested, 0u);
  EXPECT_EQ(again["box.zip/memos/one.txt"].outcome, FileOutcome::kUnchanged);
  EXPECT_EQ(again["old.tar.gz/copy.txt"].outcome, FileOutcome::kUnchanged);
  fs::remove(in_ / "box.zip");
  MakeArchive(in_ / "box.zip", {{"memos/one.txt", "The first memo, about wells."}});
  IngestOptions prune;
  prune.prune = true;
  IngestSummary pruned;
  auto after = Ingest({in_.path()}, prune, &pruned);
  EXPECT_EQ(after["box.zip/memos/two.txt"].outcome, FileOutcome::kRemoved);
  EXPECT_EQ(pruned.removed, 1u);
  EXPECT_EQ(store_->Stats()->documents, 4u);
  EXPECT_EQ(store_->Stats()->index_entries, 4u);
}

TEST_F(BulkIngestTest, PruneRemovesOnlyWhatIsGoneUnderTheGivenFoldersAndRemoveForgetsPaths) {
  WriteFile(in_ / "keep/a.txt", "Alpha report on water.");
  WriteFile(in_ / "keep/b.txt", "Bravo report on roads.");
  WriteFile(in_ / "other/c.txt", "Charlie report on schools.");
  WriteFile(in_ / "other/c-copy.txt", "Charlie report on schools.");
  Ingest({in_.path()});
  ASSERT_EQ(store_->Stats()->documents, 3u);

  fs::remove(in_ / "keep/b.txt");
  fs::remove(in_ / "other/c.txt");
  IngestOptions prune;
  prune.prune = true;
  auto results = Ingest({in_ / "keep"}, prune);  // only under keep/
  EXPECT_EQ(results["keep/b.txt"].outcome, FileOutcome::kRemoved);
  EXPECT_EQ(results.count("other/c.txt"), 0u);
  EXPECT_EQ(store_->Stats()->documents, 2u);

  // Removing one of two paths keeps the document; removing by id takes it all.
  Result<RemoveReport> removed = RemoveFromStore(store_.get(), in_ / "other/c.txt");
  ASSERT_TRUE(removed.ok()) << removed.status().ToString();
  EXPECT_EQ(removed->paths_detached.size(), 1u);
  EXPECT_TRUE(removed->documents_removed.empty());
  auto entry = store_->LookupSource(in_ / "other/c-copy.txt");
  ASSERT_TRUE(entry.ok() && *entry);
  removed = RemoveFromStore(store_.get(), (*entry)->id.ToHex());
  ASSERT_TRUE(removed.ok());
  EXPECT_EQ(removed->documents_removed.size(), 1u);
  EXPECT_EQ(store_->Stats()->documents, 1u);
  removed = RemoveFromStore(store_.get(), in_.path());  // a folder: everything under it
  ASSERT_TRUE(removed.ok());
  EXPECT_EQ(store_->Stats()->documents, 0u);
  EXPECT_EQ(store_->Stats()->index_entries, 0u);
  EXPECT_EQ(RemoveFromStore(store_.get(), in_ / "nothing.txt").status().code(), StatusCode::kNotFound);
}

TEST_F(BulkIngestTest, ManyFilesInParallelWithDuplicatesInFlight) {
  for (int i = 0; i < 40; ++i) {
    // Every fourth file repeats the content of the one before it.
    int n = i % 4 == 3 ? i - 1 : i;
    WriteFile(in_ / ("f" + std::to_string(100 + i) + ".txt"), "Report number " + std::to_string(n) + " on wells.");
  }
  IngestOptions options;
  options.jobs = 3;
  options.flush_every_documents = 7;
  IngestSummary summary;
  Ingest({in_.path()}, options, &summary);
  EXPECT_EQ(summary.files, 40u);
  EXPECT_EQ(summary.ingested, 30u);
  EXPECT_EQ(summary.duplicates, 10u);
  auto stats = store_->Stats();
  EXPECT_EQ(stats->documents, 30u);
  EXPECT_EQ(stats->source_paths, 40u);
  EXPECT_EQ(stats->index_entries, 30u);
  EXPECT_EQ(stats->pending, 0u);
}

}  // namespace
}  // namespace dossier
