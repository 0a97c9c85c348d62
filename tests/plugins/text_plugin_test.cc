// Tests of the text plugin: encodings and page splitting.
#include <gtest/gtest.h>

#include "dossier/plugin_host.h"

namespace dossier {
namespace {

class TextPluginTest : public ::testing::Test {
 protected:
  void SetUp() override {
    host_ = PluginHost::LoadDirectory(DOSSIER_PLUGIN_DIR);
    const LoadedPlugin* text = host_->FindIngestPlugin("text/plain");
    ASSERT_NE(text, nullptr);
    instance_ = std::move(text->CreateIngestInstance()).value();
  }
  std::unique_ptr<PluginHost> host_;
  std::unique_ptr<IngestPluginInstance> instance_;
};

TEST_F(TextPluginTest, FormFeedsSplitPagesAndATrailingOneAddsNone) {
  Result<ExtractedFile> file = instance_->Extract("a.txt", "text/plain", "one\ftwo\fthree\f");
  ASSERT_TRUE(file.ok());
  ASSERT_EQ(file->pages.size(), 3u);
  EXPECT_EQ(file->pages[0].text, "one");
  EXPECT_EQ(file->pages[2].text, "three");
  EXPECT_EQ(file->pages[1].source, TextSource::kPlainText);
}

TEST_F(TextPluginTest, Utf8IsKeptAndBomDropped) {
  Result<ExtractedFile> file = instance_->Extract("a.txt", "text/plain", "\xEF\xBB\xBFRecomendación 1");
  ASSERT_TRUE(file.ok());
  EXPECT_EQ(file->pages[0].text, "Recomendación 1");
}

TEST_F(TextPluginTest, InvalidUtf8FallsBackToWindows1252) {
  Result<ExtractedFile> file = instance_->Extract("a.txt", "text/plain", "Evaluaci\xF3n \x93quoted\x94 \x80");
  ASSERT_TRUE(file.ok());
  EXPECT_EQ(file->pages[0].text, "Evaluación “quoted” €");
}

TEST_F(TextPluginTest, Utf16WithByteOrderMark) {
  std::string utf16le("\xFF\xFE" "A\0" "\xF1\0" "o\0", 8);  // "Año"
  Result<ExtractedFile> file = instance_->Extract("a.txt", "text/plain", utf16le);
  ASSERT_TRUE(file.ok());
  EXPECT_EQ(file->pages[0].text, "Año");
}

}  // namespace
}  // namespace dossier
