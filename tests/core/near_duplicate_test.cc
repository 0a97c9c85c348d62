// Near-duplicate documents: signatures that survive OCR noise and new line
// breaks, documents that share boilerplate kept apart, links that do not
// depend on the order documents arrive in and go with a removed document,
// and the follow-up, recommendations and recurrence that count a group once.
#include <gtest/gtest.h>

#include <algorithm>
#include <nlohmann/json.hpp>

#include "dossier/near_duplicate.h"
#include "dossier/query_service.h"
#include "dossier/store.h"
#include "support/test_support.h"

namespace dossier {
namespace {

using nlohmann::json;
using testing::TempDir;

// A report of `sentences` sentences drawn from a small vocabulary by a
// generator seeded with `seed`: two seeds give two different reports made of
// the same words, as two reports of one agency are.
std::string Report(uint32_t seed, int sentences) {
  static const char* kWords[] = {
      "programme", "evaluation", "water",    "district",   "ministry",  "office",     "training",  "budget",
      "support",   "community",  "health",   "schools",    "national",  "regional",   "partners",  "monitoring",
      "results",   "capacity",   "staff",    "funding",    "project",   "management", "response",  "finding",
      "report",    "data",       "women",    "youth",      "rural",     "services",   "planning",  "strategy",
      "review",    "quality",    "design",   "access",     "local",     "government", "committee", "annual",
      "the",       "of",         "and",      "to",         "in",        "for",        "with",      "by",
      "should",    "was",        "were",     "has",        "improved",  "limited",    "strong",    "weak",
      "increased", "reduced",    "targets",  "indicators", "baseline",  "field",      "visits",    "interviews"};
  const size_t n = sizeof kWords / sizeof kWords[0];
  uint64_t state = seed * 6364136223846793005ull + 1442695040888963407ull;
  auto next = [&] {
    state = state * 6364136223846793005ull + 1442695040888963407ull;
    return static_cast<size_t>(state >> 33);
  };
  std::string text;
  for (int s = 0; s < sentences; ++s) {
    const size_t words = 8 + next() % 10;
    for (size_t w = 0; w < words; ++w) {
      std::string word = kWords[next() % n];
      if (w == 0) word[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(word[0])));
      text += word + (w + 1 == words ? ". " : " ");
    }
    if (s % 5 == 4) text += "\n\n";
  }
  return text;
}

// Lines of at most `width` characters; with `hyphenate`, a long word at a
// line end is broken with a hyphen, as a printer does.
std::string Wrap(const std::string& text, size_t width, bool hyphenate) {
  std::string out, line;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find_first_of(" \n", start);
    if (end == std::string::npos) end = text.size();
    std::string word = text.substr(start, end - start);
    start = end + 1;
    if (word.empty()) continue;
    if (line.size() + 1 + word.size() > width) {
      if (hyphenate && word.size() >= 8 && line.size() + 5 <= width) {
        out += line + " " + word.substr(0, 4) + "-\n";
        word = word.substr(4);
      } else {
        out += line + "\n";
      }
      line.clear();
    }
    line += (line.empty() ? "" : " ") + word;
  }
  return out + line + "\n";
}

// What OCR does to a page: a misread letter in one word of `every`, a word
// lost now and then, upper case lost in headings, a speck read as "|".
std::string OcrNoise(const std::string& text, size_t every) {
  std::string out;
  size_t word = 0;
  bool in_word = false;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    const bool letter = std::isalpha(static_cast<unsigned char>(c));
    if (letter && !in_word) ++word;
    in_word = letter;
    if (letter && word % every == 0) {
      if (c == 'e') c = 'c';
      else if (c == 'l') c = '1';
      else if (c == 'o') c = '0';
      else if (c == 'i') c = 'l';
    }
    if (letter && word % (every * 7) == 3) continue;  // a word read as nothing
    out.push_back(c);
    if (c == '\n' && word % 11 == 0) out += "| ";
  }
  return out;
}

std::vector<PageText> Pages(const std::string& text, TextSource source, size_t lines_per_page = 40) {
  std::vector<PageText> pages;
  std::string page;
  size_t lines = 0, start = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size() - 1;
    page += text.substr(start, end - start + 1);
    start = end + 1;
    if (++lines == lines_per_page) {
      pages.push_back({static_cast<uint32_t>(pages.size() + 1), page, source, source == TextSource::kOcr ? 90.0f : -1.0f});
      page.clear();
      lines = 0;
    }
  }
  if (!page.empty()) pages.push_back({static_cast<uint32_t>(pages.size() + 1), page, source, source == TextSource::kOcr ? 90.0f : -1.0f});
  return pages;
}

Document Doc(const std::string& hex, const std::vector<PageText>& pages, const std::vector<json>& facts = {}) {
  Document doc;
  doc.id = DocumentId::FromHex(hex).value();
  doc.mime_type = "application/pdf";
  doc.sources = {{"/in/" + hex + ".pdf", 10, 1}};
  doc.title = "Doc " + hex;
  doc.language = "en";
  doc.pages = pages;
  for (const json& f : facts) doc.facts.push_back(f.dump());
  doc.extractors = {"test 1.0.0"};
  return doc;
}

const std::string kBoilerplate =
    "This report was prepared by the independent evaluation office of the agency. The views expressed are those of "
    "the evaluators and do not necessarily reflect the views of the agency, its executive board or its member "
    "states. The designations employed and the presentation of material do not imply the expression of any "
    "opinion whatsoever on the legal status of any country, territory, city or area or of its authorities.\n";

// The digital report, its scan (another printing's line breaks, OCR noise),
// and another report of the same office sharing its boilerplate.
const std::string kDigital = kBoilerplate + Report(1, 120) + kBoilerplate;
const std::string kOther = kBoilerplate + Report(2, 120) + kBoilerplate;
std::vector<PageText> DigitalPages() { return Pages(Wrap(kDigital, 90, false), TextSource::kTextLayer); }
std::vector<PageText> ScanPages() { return Pages(OcrNoise(Wrap(kDigital, 70, true), 25), TextSource::kOcr, 35); }
std::vector<PageText> OtherPages() { return Pages(Wrap(kOther, 90, false), TextSource::kTextLayer); }

// Ids chosen so that the scan has the lowest: the text layer must win on its own merit.
const std::string kScanId = "1000000000000001";
const std::string kDigitalId = "2000000000000002";
const std::string kOtherId = "3000000000000003";

TEST(NearDuplicateSignatureTest, AScanAndAnotherPrintingResembleTheOriginal) {
  const NearDuplicateSignature digital = ComputeNearDuplicateSignature(DigitalPages());
  const NearDuplicateSignature scan = ComputeNearDuplicateSignature(ScanPages());
  ASSERT_FALSE(digital.empty());
  ASSERT_FALSE(scan.empty());
  EXPECT_GE(EstimateResemblance(digital, scan), kNearDuplicateThreshold);
  // Only the line breaks and hyphenation differ: nearly the same shingles
  // (measured 0.98; a few hyphenated splits of the generator are not words).
  const NearDuplicateSignature printing = ComputeNearDuplicateSignature(Pages(Wrap(kDigital, 55, true), TextSource::kTextLayer, 50));
  EXPECT_GE(EstimateResemblance(digital, printing), 0.9);
}

TEST(NearDuplicateSignatureTest, ReportsSharingBoilerplateDoNotResemble) {
  const NearDuplicateSignature digital = ComputeNearDuplicateSignature(DigitalPages());
  const NearDuplicateSignature other = ComputeNearDuplicateSignature(OtherPages());
  EXPECT_LT(EstimateResemblance(digital, other), 0.25);
}

TEST(NearDuplicateSignatureTest, NormalisationFoldsCaseAccentsPunctuationAndNumbers) {
  const std::vector<std::string> words = NearDuplicateWords(
      {{1, "Évaluation FINALE du pro-\ngramme, page 12 : l’entrepreneuriat.", TextSource::kTextLayer, -1}});
  EXPECT_EQ(words, (std::vector<std::string>{"evaluation", "finale", "du", "programme", "page", "entrepreneuriat"}));
  // Too little text to tell documents apart: no signature.
  EXPECT_TRUE(ComputeNearDuplicateSignature({{1, "Annex 3. Terms of reference.", TextSource::kTextLayer, -1}}).empty());
}

class NearDuplicateStoreTest : public ::testing::Test {
 protected:
  std::unique_ptr<Store> Open(const std::string& name) {
    return std::move(Store::Open(dir_ / name, StoreMode::kReadWrite)).value();
  }
  static QueryService Service(Store* store) { return QueryService(std::shared_ptr<Store>(store, [](Store*) {})); }
  // The near_duplicate edges touching a document, as "source type target document similarity".
  static std::vector<std::string> Links(Store* store, const std::string& hex) {
    std::vector<std::string> out;
    for (bool outgoing : {true, false}) {
      const std::vector<GraphEdge> edges = store->GraphEdges("D:" + hex, outgoing, "near_duplicate").value();
      for (const GraphEdge& e : edges) {
        out.push_back(e.source + " " + e.type + " " + e.target + " " + e.document + " " + e.evidence["similarity"].dump());
      }
    }
    return out;
  }
  TempDir dir_;
};

TEST_F(NearDuplicateStoreTest, AScanIsLinkedToItsDigitalFileAndNotToAnotherReport) {
  auto store = Open("data");
  ASSERT_TRUE(store->PutDocument(Doc(kDigitalId, DigitalPages())).ok());
  ASSERT_TRUE(store->PutDocument(Doc(kOtherId, OtherPages())).ok());
  ASSERT_TRUE(store->PutDocument(Doc(kScanId, ScanPages())).ok());
  ASSERT_TRUE(store->Flush().ok());
  std::vector<NearDuplicatePair> pairs = store->NearDuplicatePairs().value();
  ASSERT_EQ(pairs.size(), 1u);
  EXPECT_EQ(pairs[0].low.ToHex(), kScanId);
  EXPECT_EQ(pairs[0].high.ToHex(), kDigitalId);
  EXPECT_GE(pairs[0].similarity, kNearDuplicateThreshold);
  std::vector<GraphEdge> edges = store->GraphEdges("D:" + kScanId, true, "near_duplicate").value();
  ASSERT_EQ(edges.size(), 1u);
  EXPECT_EQ(edges[0].target, "D:" + kDigitalId);
  EXPECT_NEAR(edges[0].evidence["similarity"].get<double>(), pairs[0].similarity, 0.01);
  EXPECT_TRUE(Links(store.get(), kOtherId).empty());

  // The text-layer version stands for the group, though the scan has the lower id.
  json groups = Service(store.get()).Duplicates().value();
  ASSERT_EQ(groups["total"], 1) << groups.dump(1);
  const json& group = groups["groups"][0];
  EXPECT_EQ(group["representative"], kDigitalId);
  ASSERT_EQ(group["documents"].size(), 2u);
  EXPECT_EQ(group["documents"][1]["id"], kScanId);
  EXPECT_EQ(group["documents"][1]["duplicate_of"], kDigitalId);
  EXPECT_GT(group["documents"][1]["ocr_pages"].get<int>(), 0);
  ASSERT_EQ(group["pairs"].size(), 1u);
}

TEST_F(NearDuplicateStoreTest, LinksDoNotDependOnTheOrderDocumentsArriveIn) {
  const std::vector<Document> docs = {Doc(kDigitalId, DigitalPages()), Doc(kScanId, ScanPages()), Doc(kOtherId, OtherPages())};
  std::vector<std::vector<std::string>> seen;
  for (const std::vector<int>& order : std::vector<std::vector<int>>{{0, 1, 2}, {1, 2, 0}, {2, 1, 0}}) {
    auto store = Open("data" + std::to_string(seen.size()));
    for (int i : order) ASSERT_TRUE(store->PutDocument(docs[i]).ok());
    ASSERT_TRUE(store->Flush().ok());
    std::vector<std::string> all;
    for (const std::string& hex : {kDigitalId, kScanId, kOtherId}) {
      for (const std::string& link : Links(store.get(), hex)) all.push_back(hex + ": " + link);
    }
    seen.push_back(all);
  }
  ASSERT_EQ(seen[0].size(), 2u);  // the one edge, seen from both of its ends
  EXPECT_EQ(seen[1], seen[0]);
  EXPECT_EQ(seen[2], seen[0]);
}

TEST_F(NearDuplicateStoreTest, RemovingOrReplacingADocumentRemovesItsLinks) {
  auto store = Open("data");
  ASSERT_TRUE(store->PutDocument(Doc(kDigitalId, DigitalPages())).ok());
  ASSERT_TRUE(store->PutDocument(Doc(kScanId, ScanPages())).ok());
  ASSERT_TRUE(store->Flush().ok());
  ASSERT_EQ(store->NearDuplicatePairs()->size(), 1u);
  // Stored again (a re-ingest): one link still, not two.
  ASSERT_TRUE(store->PutDocument(Doc(kScanId, ScanPages())).ok());
  ASSERT_TRUE(store->PutDocument(Doc(kDigitalId, DigitalPages())).ok());
  ASSERT_TRUE(store->Flush().ok());
  EXPECT_EQ(store->NearDuplicatePairs()->size(), 1u);
  EXPECT_EQ(Links(store.get(), kDigitalId).size(), 1u);

  ASSERT_TRUE(store->RemoveDocument(DocumentId::FromHex(kScanId).value()).ok());
  ASSERT_TRUE(store->Flush().ok());
  EXPECT_TRUE(store->NearDuplicatePairs()->empty());
  EXPECT_TRUE(Links(store.get(), kDigitalId).empty());
  EXPECT_EQ(Service(store.get()).Duplicates().value()["total"], 0);
  // A new scan finds the digital file again through its band keys (they were
  // not removed with the other document's).
  ASSERT_TRUE(store->PutDocument(Doc(kScanId, ScanPages())).ok());
  ASSERT_TRUE(store->Flush().ok());
  EXPECT_EQ(store->NearDuplicatePairs()->size(), 1u);
}

TEST_F(NearDuplicateStoreTest, RelinkingAtOpenFindsThePairsOfDocumentsStoredWithoutSignatures) {
  {
    auto store = Open("data");
    ASSERT_TRUE(store->PutDocument(Doc(kDigitalId, DigitalPages())).ok());
    ASSERT_TRUE(store->PutDocument(Doc(kScanId, ScanPages())).ok());
    ASSERT_TRUE(store->Flush().ok());
    ASSERT_EQ(store->NearDuplicatePairs()->size(), 1u);
    ASSERT_TRUE(store->RelinkNearDuplicates().ok());  // idempotent
    EXPECT_EQ(store->NearDuplicatePairs()->size(), 1u);
  }
}

json Recommendation(const std::string& number, const std::string& text, const std::vector<json>& actions) {
  return {{"kind", "item"}, {"item_type", "recommendation"}, {"number", number}, {"text", text}, {"page", 1},
          {"start", 0}, {"end", 10}, {"responsible", {"Water Office"}}, {"due", nullptr}, {"key_actions", actions}};
}

json Action(const std::string& number, const std::string& text, const std::string& status) {
  return {{"number", number}, {"text", text}, {"responsible", {"Water Office"}}, {"due", "2025-06-30"},
          {"status", status}, {"page", 1}};
}

json Entity() {
  return {{"kind", "entity"}, {"type", "organisation"}, {"name", "Water Office"}, {"aliases", json::array()},
          {"mentions", json::array({{{"page", 1}, {"start", 0}, {"end", 3}}})}};
}

TEST_F(NearDuplicateStoreTest, FollowUpRecommendationsAndRecurrenceCountAGroupOnce) {
  auto store = Open("data");
  // The scan's reading of the same recommendation differs by OCR noise: two
  // texts similar enough to be taken for a recurrence, were they not one document.
  const json digital_facts = Recommendation("1", "The Water Office should repair every district pump before the rainy season.",
                                            {Action("1.1", "Survey the pumps.", "initiated"),
                                             Action("1.2", "Buy the spare parts.", "not started")});
  const json scan_facts = Recommendation("1", "Tbe Water Offce should repalr every district pump before the rainy seasen.",
                                         {Action("1.1", "Survey tbe pumps.", "initiated"),
                                          Action("1.2", "Buy the spare parls.", "not started")});
  ASSERT_TRUE(store->PutDocument(Doc(kDigitalId, DigitalPages(), {Entity(), digital_facts})).ok());
  ASSERT_TRUE(store->PutDocument(Doc(kScanId, ScanPages(), {Entity(), scan_facts})).ok());
  ASSERT_TRUE(store->Flush().ok());
  QueryService service = Service(store.get());

  ActionFilter all;
  all.as_of = "2025-01-01";
  json actions = service.Actions(all).value();
  ASSERT_EQ(actions["total"], 2) << actions.dump(1);
  for (const json& a : actions["actions"]) {
    EXPECT_EQ(a["document"], kDigitalId);
    EXPECT_EQ(a["other_versions"], json::array({kScanId}));
  }
  json followup = service.FollowUp("2025-01-01").value();
  EXPECT_EQ(followup["actions"], 2);
  ASSERT_EQ(followup["evaluations"].size(), 1u) << followup.dump(1);
  EXPECT_EQ(followup["evaluations"][0]["id"], kDigitalId);

  json recommendations = service.Recommendations({}).value();
  ASSERT_EQ(recommendations["total"], 1) << recommendations.dump(1);
  const json& rec = recommendations["recommendations"][0];
  EXPECT_EQ(rec["document"], kDigitalId);
  EXPECT_TRUE(rec["duplicate_of"].is_null());
  EXPECT_TRUE(rec["recurs"].empty()) << rec["recurs"].dump();
  // No recurs link between the two versions is stored either.
  for (const std::string& hex : {kDigitalId, kScanId}) {
    const std::vector<GraphEdge> contained = store->GraphEdges("D:" + hex, true, "contains").value();
    for (const GraphEdge& contains : contained) {
      for (bool outgoing : {true, false}) {
        EXPECT_TRUE(store->GraphEdges(contains.target, outgoing, "recurs")->empty()) << contains.target;
      }
    }
  }
  RecommendationFilter recurring;
  recurring.recurring = true;
  EXPECT_EQ(service.Recommendations(recurring).value()["total"], 0);
  // The other version is still there when asked for, and says which document stands for it.
  RecommendationFilter of_scan;
  of_scan.document = kScanId;
  json scan_recommendations = service.Recommendations(of_scan).value();
  ASSERT_EQ(scan_recommendations["total"], 1);
  EXPECT_EQ(scan_recommendations["recommendations"][0]["duplicate_of"], kDigitalId);
}

// The command line and its JSON: two printings of a report as text files
// (another line width and hyphenation, OCR-like noise) and another report.
TEST(NearDuplicateCliTest, DuplicatesListsTheGroupsAsTextAndJson) {
  TempDir tmp;
  testing::WriteFile(tmp / "in/report.txt", Wrap(kDigital, 90, false));
  testing::WriteFile(tmp / "in/report-reprint.txt", OcrNoise(Wrap(kDigital, 60, true), 30));
  testing::WriteFile(tmp / "in/other.txt", Wrap(kOther, 90, false));
  const std::string data = tmp / "data";
  testing::CommandResult r = testing::RunDossier(data, {"ingest", tmp / "in"});
  ASSERT_EQ(r.exit_code, 0) << r.err;

  r = testing::RunDossier(data, {"duplicates", "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  testing::WriteFile(tmp / "duplicates.json", r.out);
  EXPECT_EQ(testing::SchemaErrors("duplicates.schema.json", tmp / "duplicates.json"), "");
  json groups = json::parse(r.out);
  ASSERT_EQ(groups["total"], 1) << r.out;
  std::vector<std::string> sources;
  for (const json& d : groups["groups"][0]["documents"]) sources.push_back(d["source"]);
  std::sort(sources.begin(), sources.end());
  EXPECT_EQ(sources, (std::vector<std::string>{tmp / "in/report-reprint.txt", tmp / "in/report.txt"}));

  r = testing::RunDossier(data, {"duplicates"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("Group 1 (2 versions):"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("similarity"), std::string::npos) << r.out;

  // The edge, through the graph walk and its schema.
  const std::string low = groups["groups"][0]["pairs"][0]["documents"][0];
  r = testing::RunDossier(data, {"graph", "neighbors", "D:" + low, "--edge", "near_duplicate", "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  testing::WriteFile(tmp / "neighbors.json", r.out);
  EXPECT_EQ(testing::SchemaErrors("neighbors.schema.json", tmp / "neighbors.json"), "");
  EXPECT_EQ(json::parse(r.out)["edges"].size(), 1u) << r.out;

  r = testing::RunDossier(data, {"duplicates", "--limit", "0"});
  EXPECT_NE(r.exit_code, 0);
}

}  // namespace
}  // namespace dossier
