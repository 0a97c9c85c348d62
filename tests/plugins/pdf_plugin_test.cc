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

// How lines are set reaches the host when it asks for it: the type size of
// each run of lines and whether it is bold; table rows and lines it cannot
// place get none.
TEST_F(PdfPluginTest, LineStylesGiveEachLinesTypeSizeAndWeight) {
  TempDir dir;
  MakePdf(dir / "styled.pdf",
          "[h1] What the review of kelp farming found\nThe body text is set in the plain face.\n"
          "[h2] Lessons for the next phase\n[b] A lead sentence in bold.\nMore plain text here.\n",
          {.styled = true});
  const LoadedPlugin* pdf = host_->FindIngestPlugin("application/pdf");
  ASSERT_NE(pdf, nullptr);
  auto styled = pdf->CreateIngestInstance(R"({"line_styles":true})");
  ASSERT_TRUE(styled.ok()) << styled.status().ToString();
  Result<ExtractedFile> file = (*styled)->Extract(dir / "styled.pdf", "application/pdf", ReadFile(dir / "styled.pdf"));
  ASSERT_TRUE(file.ok()) << file.status().ToString();
  ASSERT_EQ(file->pages.size(), 1u);
  const PageText& page = file->pages[0];
  // The style of line `n` of the page text, or none.
  auto style_of = [&](const std::string& line_text) -> const LineStyle* {
    size_t start = 0;
    uint32_t n = 0;
    while (start <= page.text.size()) {
      size_t end = page.text.find('\n', start);
      if (end == std::string::npos) end = page.text.size();
      if (page.text.substr(start, end - start) == line_text) {
        for (const LineStyle& s : page.line_styles) {
          if (s.first_line <= n && n < s.first_line + s.line_count) return &s;
        }
        return nullptr;
      }
      ++n;
      start = end + 1;
    }
    ADD_FAILURE() << "no line " << line_text << " in " << page.text;
    return nullptr;
  };
  const LineStyle* title = style_of("What the review of kelp farming found");
  const LineStyle* body = style_of("The body text is set in the plain face.");
  const LineStyle* subtitle = style_of("Lessons for the next phase");
  const LineStyle* lead = style_of("A lead sentence in bold.");
  ASSERT_TRUE(title && body && subtitle && lead);
  EXPECT_FLOAT_EQ(title->size, 16);
  EXPECT_EQ(title->flags, LineStyle::kBold);
  EXPECT_FLOAT_EQ(body->size, 11);
  EXPECT_EQ(body->flags, 0u);
  EXPECT_FLOAT_EQ(subtitle->size, 13);
  EXPECT_FLOAT_EQ(lead->size, 11);
  EXPECT_EQ(lead->flags, LineStyle::kBold);
  // Without the option (an older host) the plugin sends none.
  Result<ExtractedFile> plain = Extract(dir / "styled.pdf");
  ASSERT_TRUE(plain.ok());
  EXPECT_TRUE(plain->pages[0].line_styles.empty());
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
