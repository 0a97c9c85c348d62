// Tests of the plugin host: manifests, loading, refusal of broken plugins, MIME lookup.
#include "dossier/plugin_host.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "support/test_support.h"

namespace dossier {
namespace {

namespace fs = std::filesystem;
using testing::TempDir;
using testing::WriteFile;

std::string Manifest(const std::string& name, const std::string& library, const std::string& mime = "text/x-fake",
                     int abi = 1) {
  return R"({"name": ")" + name + R"(", "version": "1.0.0", "abi_version": )" + std::to_string(abi) +
         R"(, "kind": "ingest", "library": ")" + library + R"(", "mime_types": [")" + mime + R"("]})";
}

// Puts a built test plugin library and a manifest for it into `dir`.
void Install(const TempDir& dir, const std::string& target, const std::string& manifest_name,
             const std::string& manifest) {
  fs::copy_file(std::string(DOSSIER_TEST_PLUGIN_DIR) + "/" + target + ".so", dir / (target + ".so"),
                fs::copy_options::overwrite_existing);
  WriteFile(dir / (manifest_name + ".plugin.json"), manifest);
}

const PluginLoadReport* ReportFor(const PluginHost& host, const std::string& manifest_name) {
  for (const auto& r : host.reports()) {
    if (fs::path(r.manifest_path).filename() == manifest_name + ".plugin.json") return &r;
  }
  return nullptr;
}

TEST(ManifestTest, AcceptsAValidManifest) {
  Result<PluginManifest> m = ParsePluginManifest(
      R"({"name":"pdf","version":"0.1.0","abi_version":1,"kind":"ingest","library":"dossier_pdf.so",
          "mime_types":["application/pdf"],"extensions":[".pdf"],"description":"PDF"})",
      "pdf.plugin.json");
  ASSERT_TRUE(m.ok()) << m.status().ToString();
  EXPECT_EQ(m->name, "pdf");
  EXPECT_EQ(m->abi_version, 1u);
  EXPECT_EQ(m->mime_types, std::vector<std::string>{"application/pdf"});
}

TEST(ManifestTest, RejectsEachKindOfMistakeWithTheReason) {
  struct Case {
    std::string json, expected;
  } cases[] = {
      {"{not json", "not JSON"},
      {"[]", "top level must be an object"},
      {R"({"version":"1.0.0","abi_version":1,"kind":"ingest","library":"a.so","mime_types":["a/b"]})", "missing 'name'"},
      {R"({"name":"Bad Name","version":"1.0.0","abi_version":1,"kind":"ingest","library":"a.so","mime_types":["a/b"]})", "'name' must match"},
      {R"({"name":"a","version":"one","abi_version":1,"kind":"ingest","library":"a.so","mime_types":["a/b"]})", "'version'"},
      {R"({"name":"a","version":"1.0.0","abi_version":-1,"kind":"ingest","library":"a.so","mime_types":["a/b"]})", "'abi_version'"},
      {R"({"name":"a","version":"1.0.0","abi_version":1,"kind":"viewer","library":"a.so","mime_types":["a/b"]})", "'kind'"},
      {R"({"name":"a","version":"1.0.0","abi_version":1,"kind":"ingest","library":"../evil.so","mime_types":["a/b"]})", "'library'"},
      {R"({"name":"a","version":"1.0.0","abi_version":1,"kind":"ingest","library":"a.so"})", "at least one entry in 'mime_types'"},
      {R"({"name":"a","version":"1.0.0","abi_version":1,"kind":"ingest","library":"a.so","mime_types":["PDF"]})", "bad entry"},
      {R"({"name":"a","version":"1.0.0","abi_version":1,"kind":"extractor","library":"a.so"})", "extractor_kind"},
      {R"({"name":"a","version":"1.0.0","abi_version":1,"kind":"ingest","library":"a.so","mime_types":["a/b"],"extra":1})", "unknown field 'extra'"},
  };
  for (const Case& c : cases) {
    Result<PluginManifest> m = ParsePluginManifest(c.json, "x.plugin.json");
    ASSERT_FALSE(m.ok()) << c.json;
    EXPECT_EQ(m.status().code(), StatusCode::kInvalidArgument);
    EXPECT_NE(m.status().message().find("x.plugin.json"), std::string::npos) << m.status().message();
    EXPECT_NE(m.status().message().find(c.expected), std::string::npos) << m.status().message();
  }
}

TEST(PluginHostTest, LoadsTheShippedPlugins) {
  auto host = PluginHost::LoadDirectory(DOSSIER_PLUGIN_DIR);
  ASSERT_EQ(host->plugins().size(), 4u);
  ASSERT_EQ(host->Extractors().size(), 1u);
  EXPECT_EQ(host->Extractors()[0]->manifest().name, "entities");
  for (const auto& r : host->reports()) EXPECT_TRUE(r.loaded) << r.manifest_path << ": " << r.error;
  ASSERT_NE(host->FindIngestPlugin("application/pdf"), nullptr);
  EXPECT_EQ(host->FindIngestPlugin("application/pdf")->manifest().name, "pdf");
  EXPECT_EQ(host->FindIngestPlugin("text/plain")->manifest().name, "text");
  EXPECT_EQ(host->FindIngestPlugin("image/png")->manifest().name, "ocr");
  EXPECT_EQ(host->FindIngestPlugin("video/mp4"), nullptr);
  // The OCR plugin is found by what it can do (read page images), the others cannot.
  ASSERT_NE(host->FindOcrPlugin(), nullptr);
  EXPECT_EQ(host->FindOcrPlugin()->manifest().name, "ocr");
  EXPECT_FALSE(host->FindIngestPlugin("application/pdf")->CanRecognisePages());
}

TEST(PluginHostTest, RefusesBrokenPluginsByNameAndKeepsTheGoodOne) {
  TempDir dir;
  Install(dir, "tp_good", "fake", Manifest("fake", "tp_good.so"));
  Install(dir, "tp_bad_abi", "badabi", Manifest("badabi", "tp_bad_abi.so"));
  Install(dir, "tp_no_entry", "noentry", Manifest("noentry", "tp_no_entry.so"));
  WriteFile(dir / "missing.plugin.json", Manifest("missing", "not_there.so"));
  WriteFile(dir / "garbage.plugin.json", "{\"name\": ");
  WriteFile(dir / "future.plugin.json", Manifest("future", "tp_good.so", "text/x-fake", 7));
  WriteFile(dir / "liar.plugin.json", Manifest("liar", "tp_good.so"));
  WriteFile(dir / "zdup.plugin.json", Manifest("fake", "tp_good.so"));
  WriteFile(dir / "notes.txt", "not a manifest, ignored");

  auto host = PluginHost::LoadDirectory(dir.path());
  ASSERT_EQ(host->reports().size(), 8u);
  ASSERT_EQ(host->plugins().size(), 1u);
  EXPECT_EQ(host->plugins()[0]->manifest().name, "fake");

  auto refused_because = [&](const std::string& manifest, const std::string& reason) {
    const PluginLoadReport* r = ReportFor(*host, manifest);
    ASSERT_NE(r, nullptr) << manifest;
    EXPECT_FALSE(r->loaded) << manifest;
    EXPECT_NE(r->error.find(reason), std::string::npos) << manifest << ": " << r->error;
  };
  refused_because("badabi", "built for plugin ABI version 99");
  refused_because("noentry", "does not export dossier_plugin_entry");
  refused_because("missing", "cannot load library");
  refused_because("garbage", "not JSON");
  refused_because("future", "manifest declares plugin ABI version 7");
  refused_because("liar", "library calls itself 'fake', manifest says 'liar'");
  refused_because("zdup", "already loaded");
}

TEST(PluginHostTest, MimeLookupFallsBackFromExactToTypeWildcardToAny) {
  TempDir dir;
  Install(dir, "tp_good", "fake", Manifest("fake", "tp_good.so", "*/*"));
  auto any_only = PluginHost::LoadDirectory(dir.path());
  ASSERT_NE(any_only->FindIngestPlugin("image/png"), nullptr);

  TempDir two;
  fs::copy_file(std::string(DOSSIER_TEST_PLUGIN_DIR) + "/tp_good.so", two / "tp_good.so");
  WriteFile(two / "fake.plugin.json", Manifest("fake", "tp_good.so", "image/*"));
  auto wildcard = PluginHost::LoadDirectory(two.path());
  EXPECT_NE(wildcard->FindIngestPlugin("image/tiff"), nullptr);
  EXPECT_EQ(wildcard->FindIngestPlugin("text/plain"), nullptr);
  EXPECT_EQ(wildcard->FindIngestPlugin("garbage"), nullptr);
}

TEST(PluginHostTest, PluginErrorsBecomeStatusesNamingTheFile) {
  TempDir dir;
  Install(dir, "tp_good", "fake", Manifest("fake", "tp_good.so"));
  Install(dir, "tp_fail_create", "failcreate", Manifest("failcreate", "tp_fail_create.so", "text/x-other"));
  auto host = PluginHost::LoadDirectory(dir.path());
  ASSERT_EQ(host->plugins().size(), 2u);

  auto bad = host->FindIngestPlugin("text/x-other")->CreateIngestInstance();
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("model files missing"), std::string::npos);

  auto instance = host->FindIngestPlugin("text/x-fake")->CreateIngestInstance();
  ASSERT_TRUE(instance.ok());
  Result<ExtractedFile> ok = (*instance)->Extract("/in/a.fake", "text/x-fake", "hello");
  ASSERT_TRUE(ok.ok());
  ASSERT_EQ(ok->pages.size(), 1u);
  EXPECT_EQ(ok->pages[0].text, "fake plugin saw text/x-fake");
  EXPECT_EQ(ok->metadata.title, "Fake Title");

  Result<ExtractedFile> failed = (*instance)->Extract("/in/b.fake", "text/x-fake", "FAIL please");
  ASSERT_FALSE(failed.ok());
  EXPECT_EQ(failed.status().code(), StatusCode::kDataLoss);
  EXPECT_EQ(failed.status().message(), "/in/b.fake: asked to fail");

  // A plugin that breaks the sink's contract (page 2 before page 1) is caught.
  Result<ExtractedFile> misbehaved = (*instance)->Extract("/in/c.fake", "text/x-fake", "SKIP-PAGE");
  ASSERT_FALSE(misbehaved.ok());
  EXPECT_NE(misbehaved.status().message().find("sent page 2 where page 1 was due"), std::string::npos);
}

// Line styles from an ingestion plugin reach the page they were sent for,
// cut to its lines; runs that overlap are refused naming the plugin and the
// page; styles sent for a page that then went as an image do not pass on to
// the next text page.
TEST(PluginHostTest, LineStylesAreCheckedAndKeptWithTheirPage) {
  TempDir dir;
  Install(dir, "tp_good", "fake", Manifest("fake", "tp_good.so"));
  auto host = PluginHost::LoadDirectory(dir.path());
  auto instance = host->FindIngestPlugin("text/x-fake")->CreateIngestInstance(R"({"line_styles":true})");
  ASSERT_TRUE(instance.ok());

  Result<ExtractedFile> styled = (*instance)->Extract("/in/a.fake", "text/x-fake", "STYLES");
  ASSERT_TRUE(styled.ok()) << styled.status().ToString();
  ASSERT_EQ(styled->pages.size(), 1u);
  EXPECT_EQ(styled->pages[0].line_styles,
            (std::vector<LineStyle>{{0, 1, 16, LineStyle::kBold}, {1, 1, 11, 0}}));

  Result<ExtractedFile> overlapping = (*instance)->Extract("/in/b.fake", "text/x-fake", "OVERLAPPING-STYLES");
  ASSERT_FALSE(overlapping.ok());
  EXPECT_EQ(overlapping.status().message(),
            "/in/b.fake: plugin fake sent line styles that are empty, overlap or have no size (page 1)");

  std::vector<uint32_t> images;
  PageImageHandler on_image = [&](uint32_t number, const dossier_page_image&) {
    images.push_back(number);
    return Status::Ok();
  };
  Result<ExtractedFile> image_first = (*instance)->Extract("/in/c.fake", "text/x-fake", "STYLED-IMAGE", on_image);
  ASSERT_TRUE(image_first.ok()) << image_first.status().ToString();
  EXPECT_EQ(images, std::vector<uint32_t>{1});
  ASSERT_EQ(image_first->pages.size(), 1u);
  EXPECT_EQ(image_first->pages[0].number, 2u);
  EXPECT_TRUE(image_first->pages[0].line_styles.empty());
}

// An OCR plugin's line styles come back with the page it read, cut to its
// lines; overlapping ones fail the page with the plugin's name.
TEST(PluginHostTest, OcrLineStylesComeBackWithTheText) {
  TempDir dir;
  Install(dir, "tp_ocr", "fakeocr", Manifest("fakeocr", "tp_ocr.so", "image/x-fake"));
  auto host = PluginHost::LoadDirectory(dir.path());
  const LoadedPlugin* ocr = host->FindOcrPlugin();
  ASSERT_NE(ocr, nullptr);
  auto instance = ocr->CreateOcrInstance(R"({"line_styles":true})");
  ASSERT_TRUE(instance.ok()) << instance.status().ToString();
  unsigned char pixel = 255;
  Result<RecognisedPage> page = (*instance)->Recognise(dossier_page_image{1, 1, 1, 1, &pixel, 300});
  ASSERT_TRUE(page.ok()) << page.status().ToString();
  EXPECT_EQ(page->text, "Big line\nsmall line");
  EXPECT_EQ(page->line_styles, (std::vector<LineStyle>{{0, 1, 18, LineStyle::kBold}, {1, 1, 10, 0}}));

  pixel = 0;
  Result<RecognisedPage> bad = (*instance)->Recognise(dossier_page_image{1, 1, 1, 1, &pixel, 300});
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().message(),
            "OCR (fakeocr): plugin sent line styles that are empty, overlap or have no size");
}

TEST(PluginHostTest, ExtractorPluginsSeeEveryPageAndSendFacts) {
  TempDir dir;
  Install(dir, "tp_extractor", "counter",
          R"({"name":"counter","version":"1.0.0","abi_version":1,"kind":"extractor","library":"tp_extractor.so",)"
          R"("extractor_kind":"page_size"})");
  auto host = PluginHost::LoadDirectory(dir.path());
  ASSERT_EQ(host->Extractors().size(), 1u) << host->reports()[0].error;
  EXPECT_EQ(host->FindIngestPlugin("text/x-fake"), nullptr);  // extractors never ingest
  EXPECT_FALSE(host->Extractors()[0]->CreateIngestInstance().ok());
  auto instance = host->Extractors()[0]->CreateExtractorInstance();
  ASSERT_TRUE(instance.ok()) << instance.status().ToString();

  Document doc;
  doc.id = DocumentId::FromHex("0123456789abcdef").value();
  doc.title = "A title";
  doc.sources = {{"/in/doc.pdf", 10, 0}};
  doc.pages = {{1, "four", TextSource::kTextLayer, -1}, {2, "sixsix", TextSource::kOcr, 90}};
  Result<ExtractedFacts> facts = (*instance)->Extract(doc);
  ASSERT_TRUE(facts.ok()) << facts.status().ToString();
  ASSERT_EQ(facts->facts.size(), 2u);
  EXPECT_EQ(facts->facts[1], R"({"kind":"page_size","document":"0123456789abcdef","page":2,"bytes":6})");
  ASSERT_EQ(facts->warnings.size(), 1u);
  EXPECT_NE(facts->warnings[0].find("not a JSON object"), std::string::npos);

  doc.title = "FAIL";
  Result<ExtractedFacts> failed = (*instance)->Extract(doc);
  ASSERT_FALSE(failed.ok());
  EXPECT_EQ(failed.status().message(), "/in/doc.pdf: extractor counter: title says fail");
}

}  // namespace
}  // namespace dossier
