// A test fixture for the extraction passes: the shipped authority file and
// cue words loaded once per test, and the recommendations ExtractFacts finds
// in a few pages of text written for the test.
#pragma once

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "extract.h"

namespace dossier_entities {

class RecommendationsFixture : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string error;
    ASSERT_TRUE(authority_.LoadFile(std::string(DOSSIER_SOURCE_DIR) + "/plugins/entities/data/authority.tsv", &error))
        << error;
    ASSERT_TRUE(cues_.LoadFolder(std::string(DOSSIER_SOURCE_DIR) + "/plugins/structure/data", &error)) << error;
  }
  // The recommendation facts (with their responses and key actions), in order.
  std::vector<nlohmann::json> Recommendations(const std::vector<std::string>& pages, const std::string& language = "en") {
    std::vector<PageInput> inputs;
    for (size_t i = 0; i < pages.size(); ++i) inputs.push_back({static_cast<uint32_t>(i + 1), pages[i]});
    std::vector<nlohmann::json> out;
    for (const nlohmann::json& f : ExtractFacts(inputs, language, authority_, cues_)) {
      if (f["kind"] == "item" && f["item_type"] == "recommendation") out.push_back(f);
    }
    return out;
  }
  Authority authority_;
  dossier_structure::Cues cues_;
};

}  // namespace dossier_entities
