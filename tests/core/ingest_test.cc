// Tests of the ingester: outcomes per file, bad input, reruns, duplicates, faults.
#include "dossier/ingest.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <map>

#include "support/test_support.h"

namespace dossier {
namespace {

namespace fs = std::filesystem;
using testing::MakePdf;
using testing::ReadFile;
using testing::TempDir;
using testing::WriteFile;

class IngestTest : public ::testing::Test {
 protected:
  void SetUp() override {
    plugins_ = PluginHost::LoadDirectory(DOSSIER_PLUGIN_DIR);
    languages_ = std::move(LanguageDetector::Create()).value();
    mime_ = std::move(MimeDetector::Create()).value();
    store_ = std::move(Store::Open(data_ / "data", StoreMode::kReadWrite)).value();
  }

  // Ingests and returns outcome by file name.
  std::map<std::string, FileResult> Ingest(const std::vector<std::string>& paths, Env* env = Env::Default(),
                                           IngestSummary* summary_out = nullptr) {
    Ingester ingester(store_.get(), plugins_.get(), languages_.get(), mime_.get(), env);
    std::map<std::string, FileResult> results;
    IngestOptions options;
    options.on_file = [&](const FileResult& r) { results[fs::path(r.path).filename().string()] = r; };
    Result<IngestSummary> summary = ingester.Ingest(paths, options);
    EXPECT_TRUE(summary.ok()) << summary.status().ToString();
    if (summary_out && summary.ok()) *summary_out = *summary;
    return results;
  }

  TempDir data_, in_;
  std::unique_ptr<PluginHost> plugins_;
  std::unique_ptr<LanguageDetector> languages_;
  std::unique_ptr<MimeDetector> mime_;
  std::unique_ptr<Store> store_;
};

TEST_F(IngestTest, GoodFilesGoInBadOnesAreReportedWithTheirReason) {
  MakePdf(in_ / "good.pdf", "A report about rural water.\fPage two.", {.title = "Rural Water Report"});
  MakePdf(in_ / "secret.pdf", "Hidden", {.user_password = "pw"});
  std::string whole = ReadFile(in_ / "good.pdf");
  WriteFile(in_ / "truncated.pdf", whole.substr(0, whole.size() / 2));
  WriteFile(in_ / "empty.pdf", "");
  WriteFile(in_ / "random.pdf", std::string("\x00\x13\x37\xFF\xFE garbage \x01\x02", 17));
  WriteFile(in_ / "notes.md", "# Field notes\n\nVisited three districts.\n");
  WriteFile(in_ / "sub/clip.bin", std::string("\x00\x00\x00\x18" "ftypmp42\x00\x00\x00\x00mp42isom", 24));

  IngestSummary summary;
  auto results = Ingest({in_.path()}, Env::Default(), &summary);
  EXPECT_EQ(results["good.pdf"].outcome, FileOutcome::kIngested);
  EXPECT_EQ(results["good.pdf"].pages, 2u);
  EXPECT_EQ(results["notes.md"].outcome, FileOutcome::kIngested);
  EXPECT_EQ(results["notes.md"].mime_type, "text/markdown");
  EXPECT_EQ(results["clip.bin"].outcome, FileOutcome::kSkipped);
  EXPECT_EQ(results["clip.bin"].message, "no plugin handles video/mp4");

  auto failed_with = [&](const std::string& name, const std::string& reason) {
    EXPECT_EQ(results[name].outcome, FileOutcome::kFailed) << name;
    EXPECT_NE(results[name].message.find(reason), std::string::npos) << name << ": " << results[name].message;
  };
  failed_with("secret.pdf", "encrypted PDF");
  failed_with("truncated.pdf", "truncated");
  failed_with("empty.pdf", "empty file");
  failed_with("random.pdf", "not a valid pdf file: content is application/octet-stream");
  EXPECT_EQ(summary.files, 7u);
  EXPECT_EQ(summary.ingested, 2u);
  EXPECT_EQ(summary.failed, 4u);
  EXPECT_EQ(summary.skipped, 1u);

  auto stats = store_->Stats();
  EXPECT_EQ(stats->documents, 2u);
  EXPECT_EQ(stats->failed_files, 4u);
  EXPECT_EQ(stats->pending, 0u);
  auto doc = store_->GetDocument(*results["good.pdf"].id);
  EXPECT_EQ((*doc)->title, "Rural Water Report");
  EXPECT_EQ((*doc)->language, "en");
  EXPECT_EQ((*doc)->extracted_by, "pdf 0.1.0");
}

TEST_F(IngestTest, ARerunAddsNothingAndAChangedFileReplacesItsOldVersion) {
  WriteFile(in_ / "a.txt", "First version of the memo about budgets.");
  WriteFile(in_ / "b.txt", "Another memo about staffing.");
  EXPECT_EQ(Ingest({in_.path()})["a.txt"].outcome, FileOutcome::kIngested);
  IngestSummary rerun;
  auto again = Ingest({in_.path()}, Env::Default(), &rerun);
  EXPECT_EQ(rerun.ingested, 0u);
  EXPECT_EQ(rerun.unchanged, 2u);
  EXPECT_EQ(store_->Stats()->documents, 2u);

  DocumentId old_id = *again["a.txt"].id;
  WriteFile(in_ / "a.txt", "Second version of the memo, now about audits.");
  auto changed = Ingest({in_ / "a.txt"});
  EXPECT_EQ(changed["a.txt"].outcome, FileOutcome::kIngested);
  EXPECT_NE(*changed["a.txt"].id, old_id);
  EXPECT_FALSE(store_->GetDocument(old_id)->has_value());
  EXPECT_EQ(store_->Stats()->documents, 2u);
}

TEST_F(IngestTest, IdenticalContentUnderTwoPathsIsOneDocument) {
  WriteFile(in_ / "one/report.txt", "The same report, filed twice.");
  WriteFile(in_ / "two/report-copy.txt", "The same report, filed twice.");
  auto results = Ingest({in_.path()});
  EXPECT_EQ(results["report.txt"].outcome, FileOutcome::kIngested);
  EXPECT_EQ(results["report-copy.txt"].outcome, FileOutcome::kDuplicate);
  EXPECT_NE(results["report-copy.txt"].message.find("same content as"), std::string::npos);
  EXPECT_EQ(*results["report.txt"].id, *results["report-copy.txt"].id);
  auto doc = store_->GetDocument(*results["report.txt"].id);
  EXPECT_EQ((*doc)->sources.size(), 2u);
  EXPECT_EQ(store_->Stats()->documents, 1u);
}

// An Env whose one folder cannot be read (root can read any folder, so the
// permission error is injected rather than made with chmod).
class UnreadableFolderEnv : public EnvWrapper {
 public:
  UnreadableFolderEnv(std::string folder) : EnvWrapper(Env::Default()), folder_(std::move(folder)) {}
  Status ListDirectory(const std::string& path, std::vector<std::string>* names) override {
    if (path == folder_) return Status::PermissionDenied(path + ": cannot read directory: Permission denied");
    return EnvWrapper::ListDirectory(path, names);
  }

 private:
  std::string folder_;
};

TEST_F(IngestTest, AnUnreadableFolderIsReportedAndTheRestGoesOn) {
  WriteFile(in_ / "locked/inside.txt", "never read");
  WriteFile(in_ / "open/readable.txt", "read fine");
  UnreadableFolderEnv env(in_ / "locked");
  auto results = Ingest({in_.path()}, &env);
  EXPECT_EQ(results["locked"].outcome, FileOutcome::kFailed);
  EXPECT_EQ(results["locked"].message, "cannot read directory: Permission denied");
  EXPECT_EQ(results["readable.txt"].outcome, FileOutcome::kIngested);
  EXPECT_EQ(results.count("inside.txt"), 0u);
}

TEST_F(IngestTest, AMissingPathIsAFailureNotACrash) {
  auto results = Ingest({in_ / "does-not-exist.pdf"});
  EXPECT_EQ(results["does-not-exist.pdf"].outcome, FileOutcome::kFailed);
  EXPECT_NE(results["does-not-exist.pdf"].message.find("No such file"), std::string::npos);
}

}  // namespace
}  // namespace dossier
