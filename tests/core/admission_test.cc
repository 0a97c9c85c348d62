// Tests of Admission (core/src/ingest/admission.h): what each file the walk
// offers needs, decided from the store and the file alone, with no worker.
#include "admission.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <memory>
#include <string>

#include "support/test_support.h"

namespace dossier {
namespace {

namespace fs = std::filesystem;
using testing::TempDir;
using testing::WriteFile;

class AdmissionTest : public ::testing::Test {
 protected:
  void SetUp() override {
    plugins_ = PluginHost::LoadDirectory(DOSSIER_PLUGIN_DIR);
    mime_ = std::move(MimeDetector::Create()).value();
    store_ = std::move(Store::Open(data_ / "data", StoreMode::kReadWrite)).value();
  }

  // A file written here, as the walk would offer it.
  Candidate File(const std::string& name, const std::string& content) {
    const fs::path path = in_ / name;
    WriteFile(path, content);
    Candidate c;
    c.path = path.string();
    c.size = fs::file_size(path);
    c.mtime_ns = 1700000000000000000;
    return c;
  }

  Admitted Admit(Admission& admission, const Candidate& c) {
    return admission.Admit(c, [](uint64_t, std::string*) { return Status::Internal("not an archive member"); });
  }

  // A stored document holding `c`'s content under `c`'s path.
  DocumentId StoreText(const Candidate& c, const std::string& content) {
    Document doc;
    doc.id = DocumentId::FromHex(Sha256Hex(content).substr(0, DocumentId::kSize * 2)).value();
    doc.mime_type = "text/plain";
    doc.sources = {{c.path, c.size, c.mtime_ns}};
    doc.pages = {{1, content}};
    doc.extracted_by = "text 0.1.0";
    EXPECT_TRUE(store_->PutDocument(doc).ok());
    EXPECT_TRUE(store_->Flush().ok());
    return doc.id;
  }

  TempDir data_, in_;
  std::unique_ptr<PluginHost> plugins_;
  std::unique_ptr<MimeDetector> mime_;
  std::unique_ptr<Store> store_;
  IngestOptions options_;
  InFlightDocuments in_flight_;
};

TEST_F(AdmissionTest, ANewFileGoesToAWorkerAndItsDuplicatesWaitForIt) {
  Admission admission(store_.get(), plugins_.get(), mime_.get(), Env::Default(), options_, &in_flight_);
  const std::string text = "Evaluation of rural water supply.\nRecommendation 1: train staff.\n";
  Admitted first = Admit(admission, File("report.txt", text));
  ASSERT_EQ(first.kind, Admitted::kExtract);
  EXPECT_EQ(first.job.content, text);
  EXPECT_EQ(first.job.result.mime_type, "text/plain");
  ASSERT_NE(first.job.plugin, nullptr);
  EXPECT_EQ(first.job.plugin->manifest().name, "text");
  EXPECT_EQ(first.job.id.ToHex(), Sha256Hex(text).substr(0, DocumentId::kSize * 2));

  // The same bytes under another name, while the first is in a worker.
  const Candidate copy = File("copy of report.txt", text);
  Admitted second = Admit(admission, copy);
  EXPECT_EQ(second.kind, Admitted::kJoined);
  const std::vector<SourceFile> waiting = in_flight_.Release(first.job.id);
  ASSERT_EQ(waiting.size(), 1u);
  EXPECT_EQ(waiting[0].path, copy.path);
  EXPECT_TRUE(in_flight_.Release(first.job.id).empty());
}

TEST_F(AdmissionTest, StoredContentIsAnsweredAtOnce) {
  Admission admission(store_.get(), plugins_.get(), mime_.get(), Env::Default(), options_, &in_flight_);
  const std::string text = "Management response to the evaluation of school meals.\n";
  const Candidate original = File("response.txt", text);
  const DocumentId id = StoreText(original, text);

  Admitted unchanged = Admit(admission, original);
  ASSERT_EQ(unchanged.kind, Admitted::kAnswered);
  EXPECT_EQ(unchanged.task.kind, Task::kReport);
  EXPECT_EQ(unchanged.task.result.outcome, FileOutcome::kUnchanged);
  EXPECT_EQ(unchanged.task.result.id, id);

  // Another path with the same bytes: a duplicate the committer adds to the document.
  const Candidate copy = File("elsewhere/response.txt", text);
  Admitted duplicate = Admit(admission, copy);
  ASSERT_EQ(duplicate.kind, Admitted::kAnswered);
  EXPECT_EQ(duplicate.task.kind, Task::kAddSource);
  EXPECT_EQ(duplicate.task.result.outcome, FileOutcome::kDuplicate);
  EXPECT_EQ(duplicate.task.result.message, "same content as " + original.path);
  EXPECT_EQ(duplicate.task.source.path, copy.path);

  // --reprocess --force reads it again.
  options_.reprocess = true;
  options_.force = true;
  Admission again(store_.get(), plugins_.get(), mime_.get(), Env::Default(), options_, &in_flight_);
  EXPECT_EQ(Admit(again, original).kind, Admitted::kExtract);
}

TEST_F(AdmissionTest, BadAndUnhandledFilesAreAnsweredWithTheirReason) {
  Admission admission(store_.get(), plugins_.get(), mime_.get(), Env::Default(), options_, &in_flight_);
  // Empty: a failure, recorded so that the unchanged file is not tried again.
  Admitted empty = Admit(admission, File("empty.pdf", ""));
  ASSERT_EQ(empty.kind, Admitted::kAnswered);
  EXPECT_EQ(empty.task.kind, Task::kFailure);
  EXPECT_EQ(empty.task.result.outcome, FileOutcome::kFailed);
  EXPECT_EQ(empty.task.result.message, "empty file (0 bytes)");

  // A name promising a type we read, with other content.
  Admitted misnamed = Admit(admission, File("annual.pdf", std::string("\x00\x13\x37\xFF\xFE garbage \x01\x02", 17)));
  ASSERT_EQ(misnamed.kind, Admitted::kAnswered);
  EXPECT_EQ(misnamed.task.kind, Task::kFailure);
  EXPECT_EQ(misnamed.task.result.message.rfind("not a valid pdf file: content is ", 0), 0u)
      << misnamed.task.result.message;

  // A type no plugin reads: skipped, not failed.
  Admitted video = Admit(admission, File("clip.bin", std::string("\x00\x00\x00\x18" "ftypmp42\x00\x00\x00\x00mp42isom", 24)));
  ASSERT_EQ(video.kind, Admitted::kAnswered);
  EXPECT_EQ(video.task.result.outcome, FileOutcome::kSkipped);
  EXPECT_EQ(video.task.result.message.rfind("no plugin handles ", 0), 0u) << video.task.result.message;

  // A refused archive member is reported, not recorded (it has no bytes to look at again).
  Candidate unsafe = File("bundle.zip", "x");
  unsafe.path += "/../../etc/passwd";
  unsafe.member = true;
  unsafe.unsafe = "its name leaves the archive";
  Admitted refused = Admit(admission, unsafe);
  ASSERT_EQ(refused.kind, Admitted::kAnswered);
  EXPECT_EQ(refused.task.kind, Task::kReport);
  EXPECT_EQ(refused.task.result.outcome, FileOutcome::kFailed);
  EXPECT_EQ(refused.task.result.message, "refused archive member: its name leaves the archive");
}

TEST_F(AdmissionTest, AnImageWithOcrOffIsSkipped) {
  options_.ocr = false;
  Admission admission(store_.get(), plugins_.get(), mime_.get(), Env::Default(), options_, &in_flight_);
  // A 1x1 PNG: its signature and header are what type detection reads.
  const std::string png("\x89PNG\r\n\x1a\n\x00\x00\x00\x0dIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
                        "\x00\x00\x00\x0aIDATx\x9c\x63\x00\x01\x00\x00\x05\x00\x01\x0d\x0a\x2d\xb4"
                        "\x00\x00\x00\x00IEND\xae\x42\x60\x82",
                        67);
  Admitted scan = Admit(admission, File("scan.png", png));
  ASSERT_EQ(scan.kind, Admitted::kAnswered);
  EXPECT_EQ(scan.task.result.outcome, FileOutcome::kSkipped);
  EXPECT_EQ(scan.task.result.message, "image/png needs OCR, which is turned off");
}

TEST_F(AdmissionTest, AFileThatFailedBeforeAndIsUnchangedIsNotTriedAgainUnlessAsked) {
  const Candidate bad = File("broken.txt", "some text\n");
  ASSERT_TRUE(store_->RecordFailure(bad.path, bad.size, bad.mtime_ns, "the worker crashed").ok());
  {
    Admission admission(store_.get(), plugins_.get(), mime_.get(), Env::Default(), options_, &in_flight_);
    Admitted again = Admit(admission, bad);
    ASSERT_EQ(again.kind, Admitted::kAnswered);
    EXPECT_EQ(again.task.kind, Task::kReport);  // already recorded
    EXPECT_EQ(again.task.result.outcome, FileOutcome::kFailed);
    EXPECT_EQ(again.task.result.message,
              "the worker crashed (failed before and unchanged since; --retry-failed tries again)");
    // Changed since: tried.
    Candidate changed = bad;
    changed.mtime_ns += 1;
    EXPECT_EQ(Admit(admission, changed).kind, Admitted::kExtract);
  }
  options_.retry_failed = true;
  InFlightDocuments fresh;
  Admission retry(store_.get(), plugins_.get(), mime_.get(), Env::Default(), options_, &fresh);
  EXPECT_EQ(Admit(retry, bad).kind, Admitted::kExtract);
}

}  // namespace
}  // namespace dossier
