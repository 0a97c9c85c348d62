// Acceptance tests on the sample corpus in ../shared/corpus (outside this
// repository). Without it these tests are reported as SKIPPED, naming the
// missing folder; they never pass silently.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <set>

#include "support/test_support.h"

namespace dossier {
namespace {

using testing::RunDossier;
using testing::SharedCorpusDir;
using testing::TempDir;

class SharedCorpusTest : public ::testing::Test {
 protected:
  void SetUp() override {
    corpus_ = SharedCorpusDir();
    if (corpus_.empty()) {
      GTEST_SKIP() << "uses ../shared/corpus/pdf, which is not beside this checkout: skipped";
    }
  }
  std::string corpus_;
  TempDir tmp_;
};

TEST_F(SharedCorpusTest, IngestsEveryPdfAndFindsDecentralization) {
  const std::string data = tmp_ / "data";
  auto ingest = RunDossier(data, {"ingest", corpus_ + "/pdf"});
  ASSERT_EQ(ingest.exit_code, 0) << ingest.err;
  EXPECT_NE(ingest.err.find("4 file(s): 4 ingested"), std::string::npos) << ingest.err;

  auto search = RunDossier(data, {"search", "--json", "decentralization"});
  ASSERT_EQ(search.exit_code, 0);
  auto hits = nlohmann::json::parse(search.out)["hits"];
  std::set<std::string> found;
  for (const auto& hit : hits) {
    std::string path = hit["source_paths"][0];
    found.insert(path.substr(path.rfind('/') + 1, 3));
    EXPECT_GE(hit["page"].get<int>(), 1);
    EXPECT_NE(hit["snippet_html"].get<std::string>().find("<mark>"), std::string::npos);
  }
  EXPECT_TRUE(found.count("000")) << search.out;
  EXPECT_TRUE(found.count("001")) << search.out;

  auto phrase = RunDossier(data, {"search", "--json", "\"best-practice experience\""});
  auto phrase_hits = nlohmann::json::parse(phrase.out)["hits"];
  EXPECT_GE(phrase_hits.size(), 2u) << phrase.out;

  auto again = RunDossier(data, {"ingest", corpus_ + "/pdf"});
  ASSERT_EQ(again.exit_code, 0);
  EXPECT_NE(again.err.find("0 ingested (0 pages), 4 unchanged"), std::string::npos) << again.err;
  auto stats = RunDossier(data, {"stats", "--json"});
  EXPECT_EQ(nlohmann::json::parse(stats.out)["documents"], 4);
}

}  // namespace
}  // namespace dossier
