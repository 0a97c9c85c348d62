// Tests of the pdf plugin through the plugin host, on PDFs the test makes.
#include <gtest/gtest.h>

#include "dossier/plugin_host.h"
#include "support/test_support.h"

namespace dossier {
namespace {

using testing::MakePdf;
using testing::ReadFile;
using testing::TempDir;

class PdfPluginTest : public ::testing::Test {
 protected:
  void SetUp() override {
    host_ = PluginHost::LoadDirectory(DOSSIER_PLUGIN_DIR);
    const LoadedPlugin* pdf = host_->FindIngestPlugin("application/pdf");
    ASSERT_NE(pdf, nullptr);
    auto instance = pdf->CreateIngestInstance();
    ASSERT_TRUE(instance.ok());
    instance_ = std::move(instance).value();
  }
  Result<ExtractedFile> Extract(const std::string& path) {
    return instance_->Extract(path, "application/pdf", ReadFile(path));
  }
  std::unique_ptr<PluginHost> host_;
  std::unique_ptr<IngestPluginInstance> instance_;
};

TEST_F(PdfPluginTest, ExtractsPagesInOrderWithMetadata) {
  TempDir dir;
  MakePdf(dir / "report.pdf",
          "Evaluation of the water programme\nThe first page.\fSecond page: evaluación del año\fThird page ends here.",
          {.title = "Evaluation of the Water Programme", .author = "Evaluation Office", .date = "2019-07-16"});
  Result<ExtractedFile> file = Extract(dir / "report.pdf");
  ASSERT_TRUE(file.ok()) << file.status().ToString();
  ASSERT_EQ(file->pages.size(), 3u);
  EXPECT_EQ(file->pages[0].number, 1u);
  EXPECT_NE(file->pages[0].text.find("The first page."), std::string::npos);
  EXPECT_NE(file->pages[1].text.find("evaluación del año"), std::string::npos);
  EXPECT_NE(file->pages[2].text.find("Third page ends here."), std::string::npos);
  EXPECT_EQ(file->pages[2].source, TextSource::kTextLayer);
  EXPECT_EQ(file->pages[2].ocr_confidence, -1.0f);
  EXPECT_EQ(file->metadata.title, "Evaluation of the Water Programme");
  EXPECT_EQ(file->metadata.author, "Evaluation Office");
  EXPECT_EQ(file->metadata.created.substr(0, 10), "2019-07-16");
}

TEST_F(PdfPluginTest, EncryptedPdfNeedsAPassword) {
  TempDir dir;
  MakePdf(dir / "secret.pdf", "Confidential text", {.user_password = "s3cret"});
  Result<ExtractedFile> file = Extract(dir / "secret.pdf");
  ASSERT_FALSE(file.ok());
  EXPECT_EQ(file.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(file.status().message().find("encrypted PDF"), std::string::npos) << file.status().message();
  EXPECT_EQ(file.status().message().rfind(dir / "secret.pdf", 0), 0u);  // names the file first
}

TEST_F(PdfPluginTest, TruncatedPdfIsDataLoss) {
  TempDir dir;
  std::string text;
  for (int i = 0; i < 300; ++i) text += "Line " + std::to_string(i) + " of a long report about migration.\n";
  MakePdf(dir / "whole.pdf", text);
  std::string bytes = ReadFile(dir / "whole.pdf");
  for (size_t keep : {bytes.size() / 2, bytes.size() - 40, size_t{600}}) {
    testing::WriteFile(dir / "cut.pdf", bytes.substr(0, keep));
    Result<ExtractedFile> file = Extract(dir / "cut.pdf");
    ASSERT_FALSE(file.ok()) << "kept " << keep << " of " << bytes.size();
    EXPECT_EQ(file.status().code(), StatusCode::kDataLoss) << file.status().ToString();
    EXPECT_NE(file.status().message().find("truncated"), std::string::npos) << file.status().message();
  }
}

TEST_F(PdfPluginTest, NotAPdfIsInvalidArgument) {
  Result<ExtractedFile> file = instance_->Extract("/x/fake.pdf", "application/pdf", "this is not a PDF at all");
  ASSERT_FALSE(file.ok());
  EXPECT_EQ(file.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(file.status().message(), "/x/fake.pdf: not a PDF: no %PDF- header");  // no Poppler noise
}

TEST_F(PdfPluginTest, FuzzedPdfsNeverCrashTheHost) {
  TempDir dir;
  MakePdf(dir / "seed.pdf", "Some text on page one.\fAnd page two.");
  const std::string seed = ReadFile(dir / "seed.pdf");
  uint32_t state = 12345;
  int failures = 0;
  for (int round = 0; round < 200; ++round) {
    std::string mutated = seed;
    for (int flips = 0; flips < 1 + round % 20; ++flips) {
      state = state * 1103515245 + 12345;
      mutated[state % mutated.size()] = static_cast<char>(state >> 16);
    }
    Result<ExtractedFile> file = instance_->Extract("/fuzz.pdf", "application/pdf", mutated);
    if (!file.ok()) {
      ++failures;
      EXPECT_EQ(file.status().message().rfind("/fuzz.pdf: ", 0), 0u) << file.status().message();
    }
  }
  RecordProperty("failures", failures);
}

}  // namespace
}  // namespace dossier
