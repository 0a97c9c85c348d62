// Tests of the page index's set of adjacent word pairs (word_pairs.h): the
// Bloom filter itself, what a compaction gathers and a writer keeps, and
// that searches with it answer exactly as searches without it.
#include "word_pairs.h"

#include <gtest/gtest.h>
#include <xapian.h>

#include <filesystem>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "dossier/ingest.h"
#include "dossier/query_service.h"
#include "dossier/store.h"
#include "support/test_support.h"

namespace dossier {
namespace {

using testing::TempDir;
using testing::WriteFile;

std::string RandomWord(std::mt19937_64& random) {
  std::string word;
  const size_t length = 3 + random() % 8;
  for (size_t i = 0; i < length; ++i) word.push_back(static_cast<char>('a' + random() % 26));
  return word;
}

TEST(WordPairSetTest, NeverDeniesAPairItHoldsAndRarelyClaimsOneItDoesNot) {
  std::mt19937_64 random(11);
  WordPairSet set(16);  // 65,536 bits
  std::vector<std::pair<std::string, std::string>> held;
  for (int i = 0; i < 16384; ++i) held.emplace_back(RandomWord(random), "Z" + RandomWord(random));  // 4 bits a pair
  for (const auto& [first, second] : held) set.Add(first, second);
  for (const auto& [first, second] : held) ASSERT_TRUE(set.MayHold(first, second)) << first << " " << second;
  // Order matters: a pair is "first right before second".
  int reversed = 0, other = 0;
  for (const auto& [first, second] : held) reversed += set.MayHold(second, first) ? 1 : 0;
  for (int i = 0; i < 16384; ++i) other += set.MayHold(RandomWord(random), RandomWord(random)) ? 1 : 0;
  // About 15 % false positives at 4 bits a pair, 3 probes.
  EXPECT_LT(reversed, 16384 * 0.22);
  EXPECT_LT(other, 16384 * 0.22);
  EXPECT_GT(other, 0);
}

TEST(WordPairSetTest, FoldsAndUnitesWithoutLosingAPair) {
  std::mt19937_64 random(5);
  WordPairSet big(20), small(14);
  std::vector<std::pair<std::string, std::string>> in_big, in_small;
  for (int i = 0; i < 2000; ++i) in_big.emplace_back(RandomWord(random), RandomWord(random));
  for (int i = 0; i < 2000; ++i) in_small.emplace_back(RandomWord(random), RandomWord(random));
  for (const auto& [first, second] : in_big) big.Add(first, second);
  for (const auto& [first, second] : in_small) small.Add(first, second);
  // About 2,000 pairs: folded down to 8,192 bits (4 bits a pair at least).
  EXPECT_NEAR(big.PairsHeld(), 2000, 100);
  big.FoldToPairs();
  EXPECT_EQ(big.Log2Bits(), 13u);
  for (const auto& [first, second] : in_big) ASSERT_TRUE(big.MayHold(first, second));
  big.Absorb(small);  // the larger (small, 2^14) folded to 2^13
  EXPECT_EQ(big.Log2Bits(), 13u);
  for (const auto& [first, second] : in_big) ASSERT_TRUE(big.MayHold(first, second));
  for (const auto& [first, second] : in_small) ASSERT_TRUE(big.MayHold(first, second));
  EXPECT_TRUE(big.Crowded());  // 4,000 pairs in 8,192 bits
  EXPECT_FALSE(small.Crowded());
}

TEST(WordPairSetTest, IsReadBackOnlyForTheStateItWasWrittenFor) {
  WordPairSet set(12);
  set.Add("cold", "Zchain");
  const WordPairSet::Stamp stamp{"6f1c3a52-8d0e-4b7a-9c1e-2a4f5b6c7d8e", 7, 120, 131};
  const std::string blob = set.Serialise(stamp);
  std::optional<WordPairSet> back = WordPairSet::Parse(blob, stamp);
  ASSERT_TRUE(back.has_value());
  EXPECT_EQ(back->Log2Bits(), 12u);
  EXPECT_TRUE(back->MayHold("cold", "Zchain"));
  EXPECT_EQ(back->BitsSet(), set.BitsSet());
  // Another database, revision, entry count or last docid: not this set.
  WordPairSet::Stamp other_stamp = stamp;
  other_stamp.uuid[0] = '7';
  EXPECT_FALSE(WordPairSet::Parse(blob, other_stamp).has_value());
  EXPECT_FALSE(WordPairSet::Parse(blob, WordPairSet::Stamp{stamp.uuid, 8, 120, 131}).has_value());
  EXPECT_FALSE(WordPairSet::Parse(blob, WordPairSet::Stamp{stamp.uuid, 7, 121, 131}).has_value());
  EXPECT_FALSE(WordPairSet::Parse(blob, WordPairSet::Stamp{stamp.uuid, 7, 120, 132}).has_value());
  // Damaged or foreign: none.
  EXPECT_FALSE(WordPairSet::Parse(blob.substr(0, blob.size() - 1), stamp).has_value());
  EXPECT_FALSE(WordPairSet::Parse("", stamp).has_value());
  std::string other = blob;
  other[0] = 'X';
  EXPECT_FALSE(WordPairSet::Parse(other, stamp).has_value());
}

TEST(WordPairSetTest, RecordsPageWordsAndStemsButNotFunctionWordsNorOtherTerms) {
  EXPECT_TRUE(WordPairSet::Records("evaluations", "en"));
  EXPECT_TRUE(WordPairSet::Records("Zevalu", "en"));
  EXPECT_TRUE(WordPairSet::Records("évaluation", "fr"));
  EXPECT_FALSE(WordPairSet::Records("XFevaluation", "fr"));  // folded forms
  EXPECT_FALSE(WordPairSet::Records("ZXFevalu", "fr"));
  EXPECT_FALSE(WordPairSet::Records("Sreport", "en"));  // title, language, id terms
  EXPECT_FALSE(WordPairSet::Records("Len", "en"));
  EXPECT_FALSE(WordPairSet::Records("Z", "en"));
  // A language's function words, as words or stems; another's are words.
  EXPECT_FALSE(WordPairSet::Records("the", "en"));
  EXPECT_FALSE(WordPairSet::Records("Zthe", "en"));
  EXPECT_TRUE(WordPairSet::Records("the", "de"));
  EXPECT_FALSE(WordPairSet::Records("les", "fr"));
  EXPECT_TRUE(WordPairSet::Records("les", "en"));
  // A stem and the word spelled as it is are one key.
  EXPECT_EQ(WordPairSet::KeyOf("Zreport"), "report");
  EXPECT_EQ(WordPairSet::KeyOf("report"), "report");
  // What a search may ask about: not a function word of any language.
  EXPECT_TRUE(WordPairSet::RecordsInEveryLanguage("Zchain"));
  EXPECT_FALSE(WordPairSet::RecordsInEveryLanguage("les"));
  EXPECT_FALSE(WordPairSet::RecordsInEveryLanguage("the"));
  EXPECT_FALSE(WordPairSet::RecordsInEveryLanguage("XFchain"));
}

TEST(WordPairSetTest, GathersTheSidebySidePairsOfEveryEntryAndFoldsToTheirNumber) {
  TempDir dir;
  const std::string path = dir / "index";
  {
    Xapian::WritableDatabase db(path, Xapian::DB_CREATE);
    Xapian::Document a;
    a.add_boolean_term("Len");
    a.add_posting("cold", 70);
    a.add_posting("Zcold", 70);
    a.add_posting("chain", 71);
    a.add_posting("Zchain", 71);
    a.add_posting("the", 72);  // a function word: no pair
    a.add_posting("store", 73);
    a.add_posting("XFstore", 74);  // a folded form: no pair
    a.add_posting("room", 75);  // not right after "store"
    db.add_document(a);
    Xapian::Document b;
    b.add_boolean_term("Lfr");
    b.add_posting("les", 70);  // a French function word
    b.add_posting("prêts", 71);
    b.add_posting("the", 72);  // not one in French
    b.add_posting("prêts", 73);
    db.add_document(b);
    db.commit();
  }
  const Xapian::Database db(path);
  const WordPairSet set = WordPairSet::Gather(db);
  EXPECT_EQ(set.Log2Bits(), WordPairSet::kMinLog2Bits);  // a few pairs: the smallest set
  for (const auto& [first, second] : std::vector<std::pair<std::string, std::string>>{
           {"cold", "chain"}, {"cold", "Zchain"}, {"Zcold", "chain"}, {"Zcold", "Zchain"}, {"prêts", "the"}, {"the", "prêts"}}) {
    EXPECT_TRUE(set.MayHold(first, second)) << first << " " << second;
  }
  for (const auto& [first, second] : std::vector<std::pair<std::string, std::string>>{
           {"chain", "cold"}, {"Zchain", "cold"}, {"chain", "the"}, {"the", "store"}, {"store", "room"},
           {"store", "XFstore"}, {"les", "prêts"}, {"cold", "store"}}) {
    EXPECT_FALSE(set.MayHold(first, second)) << first << " " << second;
  }
  // A writer's entry gives the same pairs.
  WordPairSet written(WordPairSet::kMinLog2Bits);
  written.AddPairsOf(db.get_document(1), "en");
  written.AddPairsOf(db.get_document(2), "fr");
  EXPECT_EQ(written.Serialise({}), set.Serialise({}));
}

// The store's side: ingested text files, the index compacted (which
// gathers the set), then more ingested through the writer (which keeps it).
class WordPairsInStoreTest : public ::testing::Test {
 protected:
  void Ingest(const std::string& in) {
    auto plugins = PluginHost::LoadDirectory(DOSSIER_PLUGIN_DIR);
    auto languages = std::move(LanguageDetector::Create()).value();
    auto mime = std::move(MimeDetector::Create()).value();
    auto store = std::move(Store::Open(data_, StoreMode::kReadWrite)).value();
    Ingester ingester(store.get(), plugins.get(), languages.get(), mime.get());
    const Status ingested = ingester.Ingest({in}, {}).status();
    ASSERT_TRUE(ingested.ok()) << ingested.ToString();
  }
  void Compact() {
    auto store = std::move(Store::Open(data_, StoreMode::kReadWrite)).value();
    ASSERT_TRUE(store->CompactIndex().ok());
  }
  // The set the page index holds for its revision (none: nullopt).
  std::optional<WordPairSet> SetNow() const {
    const Xapian::Database db(data_ + "/xapian");
    return WordPairSet::Parse(db.get_metadata(WordPairSet::kMetadataKey), WordPairSet::StampOf(db));
  }
  std::vector<std::pair<std::string, int>> Ranking(const QueryService& service, const std::string& query) const {
    SearchRequest request;
    request.query = query;
    Result<SearchResponse> response = service.Search(request);
    EXPECT_TRUE(response.ok()) << response.status().ToString();
    std::vector<std::pair<std::string, int>> ranking;
    if (response.ok()) {
      for (const SearchHit& hit : response->hits) ranking.emplace_back(hit.title, hit.percent);
    }
    return ranking;
  }

  TempDir dir_;
  const std::string data_ = dir_ / "data";
};

TEST_F(WordPairsInStoreTest, AWriterKeepsTheSetFromAnEmptyIndexOnAndACompactionKeepsItsPairs) {
  const std::string first = dir_ / "first";
  // "frozen" and "harbour" often, never side by side.
  WriteFile(first + "/apart.txt",
            "Winter report\nThe frozen lake lay north of the town. The harbour stayed open all winter. Frozen pipes "
            "burst in the mill. The old harbour was calm. Frozen roads closed the pass. A new harbour opened.");
  WriteFile(first + "/other.txt", "Market note\nThe market sold fish and bread on Mondays.");
  Ingest(first);
  std::optional<WordPairSet> written = SetNow();
  ASSERT_TRUE(written.has_value()) << "a writer starting an empty index keeps a set";
  // (Each word is its own stem: its positions are the word's, not the Z
  // stem's; the two are one key, as a search's phrase reads them.)
  EXPECT_TRUE(written->MayHold("frozen", "lake"));
  EXPECT_TRUE(written->MayHold("Zfrozen", "Zlake"));
  EXPECT_FALSE(written->MayHold("frozen", "harbour"));
  EXPECT_FALSE(written->MayHold("Zfrozen", "Zharbour"));
  EXPECT_EQ(written->Log2Bits(), WordPairSet::kMinLog2Bits);  // stored at the size its pairs need
  EXPECT_TRUE(written->MayHold("market", "sold"));
  {  // A document removed: its pairs stay in the set (a false positive each).
    auto store = std::move(Store::Open(data_, StoreMode::kReadWrite)).value();
    Result<std::vector<DocumentSummary>> documents = store->ListDocuments(10, 0);
    ASSERT_TRUE(documents.ok());
    for (const DocumentSummary& document : *documents) {
      if (document.title == "Market note") {
        ASSERT_TRUE(store->RemoveDocument(document.id).ok());
      }
    }
    ASSERT_TRUE(store->Flush().ok());
  }
  Compact();
  std::optional<WordPairSet> compacted = SetNow();
  ASSERT_TRUE(compacted.has_value());
  // Kept, not gathered again (which would leave out the removed document's pairs).
  EXPECT_TRUE(compacted->MayHold("market", "sold"));
  EXPECT_TRUE(compacted->MayHold("frozen", "lake"));

  // Side by side once, in a longer text: it ranks first only through the boost.
  const std::string second = dir_ / "second";
  WriteFile(second + "/side.txt",
            "Ice note\nThe frozen harbour was quiet that week. Fishermen mended nets, traders counted crates, "
            "clerks wrote letters, carters fed horses, children skated, and the council met twice about the "
            "budget, the bridge, the school roof, the well and the lamps of the main street.");
  Ingest(second);
  std::optional<WordPairSet> kept = SetNow();
  ASSERT_TRUE(kept.has_value()) << "the writer's commit left the set stale";
  EXPECT_TRUE(kept->MayHold("frozen", "harbour"));
  EXPECT_TRUE(kept->MayHold("frozen", "lake"));

  auto service = std::move(QueryService::Open(data_)).value();
  const auto ranking = Ranking(*service, "frozen harbour");
  ASSERT_EQ(ranking.size(), 2u);
  EXPECT_EQ(ranking[0].first, "Ice note");
  EXPECT_EQ(ranking[1].first, "Winter report");
}

TEST_F(WordPairsInStoreTest, ACompactionGathersTheSetOfAnIndexWithoutOne) {
  const std::string first = dir_ / "first";
  WriteFile(first + "/a.txt", "Dock note\nThe dry dock flooded in March.");
  Ingest(first);
  {  // As an index made before the set, or changed by a writer that does not keep it.
    Xapian::WritableDatabase db(data_ + "/xapian", Xapian::DB_OPEN);
    db.set_metadata(WordPairSet::kMetadataKey, "");
    db.commit();
  }
  const std::string second = dir_ / "second";
  WriteFile(second + "/b.txt", "Mill note\nThe paper mill closed in May.");
  Ingest(second);
  EXPECT_FALSE(SetNow().has_value()) << "a writer cannot start a set for an index holding entries";
  Compact();
  std::optional<WordPairSet> gathered = SetNow();
  ASSERT_TRUE(gathered.has_value());
  EXPECT_TRUE(gathered->MayHold("dry", "dock"));
  EXPECT_TRUE(gathered->MayHold("paper", "mill"));
  EXPECT_FALSE(gathered->MayHold("dock", "dry"));
  EXPECT_FALSE(gathered->MayHold("mill", "paper"));
}

TEST_F(WordPairsInStoreTest, SearchesAnswerAsWithoutTheSet) {
  const std::string in = dir_ / "in";
  WriteFile(in + "/storage.txt", "Storage note\nThe cold chain broke twice. Vaccines need a cold store and a chain of "
                                 "custody. The store room is cold.");
  WriteFile(in + "/weather.txt", "Weather note\nA cold wind. The chain of hills. Cold nights, cold mornings; the "
                                 "chain ferry stopped. A chain of storms and a store of wood.");
  WriteFile(in + "/ledger.txt", "Ledger\nThe store kept a chain ledger for cold goods and the room rent.");
  Ingest(in);
  Compact();
  ASSERT_TRUE(SetNow().has_value());
  const std::vector<std::string> queries = {"cold chain", "chain cold", "store room", "room store", "cold store room",
                                            "Cold Chain", "cold of the chain", "\"cold chain\"", "ledger cold"};
  std::vector<std::vector<std::pair<std::string, int>>> with;
  {
    auto service = std::move(QueryService::Open(data_)).value();
    for (const std::string& query : queries) with.push_back(Ranking(*service, query));
  }
  // The phrase "chain cold" stands nowhere: the boost's pass was left out.
  EXPECT_FALSE(SetNow()->MayHold("chain", "cold"));
  {
    Xapian::WritableDatabase db(data_ + "/xapian", Xapian::DB_OPEN);
    db.set_metadata(WordPairSet::kMetadataKey, "");
    db.commit();
  }
  ASSERT_FALSE(SetNow().has_value());
  auto service = std::move(QueryService::Open(data_)).value();
  for (size_t i = 0; i < queries.size(); ++i) {
    EXPECT_EQ(Ranking(*service, queries[i]), with[i]) << queries[i];
  }
  EXPECT_EQ(with[0].front().first, "Storage note");  // the boost still ranks
}

}  // namespace
}  // namespace dossier
