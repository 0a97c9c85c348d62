// Tests of the item index: items as search results of their own, kept in step
// with their document through re-ingest, removal, repair and check, without
// touching document search.
#include <gtest/gtest.h>

#include <xapian.h>

#include <algorithm>
#include <filesystem>
#include <map>

#include "dossier/facts.h"
#include "dossier/keys.h"
#include "dossier/store.h"
#include "dossier/text.h"
#include "support/test_support.h"

namespace dossier {
namespace {

using testing::TempDir;

ItemFact Recommendation(const std::string& number, const std::string& text, std::vector<std::string> responsible = {},
                        std::optional<std::string> due = std::nullopt) {
  ItemFact item;
  item.item_type = ItemType::kRecommendation;
  item.number = number;
  item.text = text;
  item.page = 2;
  item.start = 100 * std::stoul(number);
  item.end = item.start + text.size();
  item.responsible = std::move(responsible);
  item.due = std::move(due);
  return item;
}

EntityFact Organisation(const std::string& name, std::optional<std::string> part_of = std::nullopt) {
  EntityFact entity;
  entity.type = EntityType::kOrganisation;
  entity.name = name;
  entity.part_of = std::move(part_of);
  entity.mentions = {{1, 0, 3}};
  return entity;
}

Document DocumentWith(const std::string& key, const std::vector<Fact>& facts, const std::string& page_text) {
  Document doc;
  doc.id = DocumentId::FromHex(Sha256Hex(key).substr(0, 16)).value();
  doc.mime_type = "text/plain";
  doc.size_bytes = 100;
  doc.sources = {{"/in/" + key + ".txt", 100, 1}};
  doc.title = "Evaluation " + key;
  doc.language = "en";
  doc.date = "2024-05-01";
  doc.pages = {{1, page_text, TextSource::kPlainText, -1}, {2, page_text, TextSource::kPlainText, -1}};
  for (const Fact& fact : facts) doc.facts.push_back(EncodeFact(fact));
  return doc;
}

std::unique_ptr<Store> OpenWriter(const std::string& dir) {
  auto store = Store::Open(dir, StoreMode::kReadWrite);
  EXPECT_TRUE(store.ok()) << store.status().ToString();
  return store.ok() ? std::move(store).value() : nullptr;
}

std::vector<std::string> Numbers(const Store& store, ItemSearchRequest request) {
  Result<ItemSearchResponse> found = store.SearchItems(request);
  EXPECT_TRUE(found.ok()) << found.status().ToString();
  std::vector<std::string> out;
  if (found.ok()) {
    for (const ItemHit& hit : found->hits) out.push_back(hit.type + " " + hit.number);
  }
  return out;
}

// The checks a report found, by name.
std::vector<std::string> Findings(const CheckReport& report) {
  std::vector<std::string> out;
  for (const CheckFinding& finding : report.findings) out.push_back(finding.check);
  return out;
}

// The item checks among them (the fixtures name bodies without entity facts,
// which the graph check reports; not what these tests are about).
std::vector<std::string> ItemFindings(const CheckReport& report) {
  std::vector<std::string> out;
  for (const std::string& check : Findings(report)) {
    if (check.find("item") != std::string::npos) out.push_back(check);
  }
  return out;
}

ItemSearchRequest Query(const std::string& q) {
  ItemSearchRequest request;
  request.query = q;
  return request;
}

class ItemIndexTest : public ::testing::Test {
 protected:
  void SetUp() override {
    store_ = OpenWriter(dir_.path());
    ItemFact first = Recommendation("1", "Train the district health teams on gender-responsive budgeting.",
                                    {"Gender Unit"}, "2024-06");
    first.management_response = ManagementResponse{ResponseStatus::kAccepted, "We agree and will train the teams.", 3};
    KeyAction action;
    action.number = "1.1";
    action.text = "Design a gender budgeting course.";
    action.responsible = {"Gender Unit"};
    action.due = "2024-09";
    action.status = ActionStatus::kInitiated;
    action.page = 3;
    first.key_actions = {action};
    ItemFact second = Recommendation("2", "Publish the procurement plans of every district every quarter.",
                                     {"Procurement Office"}, "2026");
    ItemFact finding = Recommendation("3", "Gender gaps in school enrolment widened in the northern districts.");
    finding.item_type = ItemType::kFinding;
    first_ = DocumentWith("report", {Organisation("Ministry of Health"), Organisation("Gender Unit", "Ministry of Health"),
                                     first, second, finding},
                          "Pages about gender, health, budgets and procurement.");
    ASSERT_TRUE(store_->PutDocument(first_).ok());
    ASSERT_TRUE(store_->Flush().ok());
  }
  TempDir dir_;
  std::unique_ptr<Store> store_;
  Document first_;
};

TEST_F(ItemIndexTest, ItemsAreResultsOfTheirOwnStemmedAndTyped) {
  // "budget" finds "budgeting" (English stems) in the recommendation and its key action.
  EXPECT_EQ(Numbers(*store_, Query("budget")),
            (std::vector<std::string>{"key_action 1.1", "recommendation 1"}));
  EXPECT_EQ(Numbers(*store_, Query("gender")).size(), 3u) << "recommendation, key action, finding";
  ItemSearchRequest findings = Query("gender");
  findings.types = {"finding"};
  EXPECT_EQ(Numbers(*store_, findings), (std::vector<std::string>{"finding 3"}));
  EXPECT_EQ(Numbers(*store_, Query("agree")), (std::vector<std::string>{"management_response 1"}));
  Result<ItemSearchResponse> found = store_->SearchItems(Query("procurement"));
  ASSERT_TRUE(found.ok());
  ASSERT_EQ(found->hits.size(), 1u);
  EXPECT_EQ(found->hits[0].id, keys::NodeKeyToText(keys::ItemNodeKey(first_.id, "recommendation", "2", 200)));
  EXPECT_EQ(found->hits[0].page, 2u);
  EXPECT_EQ(found->hits[0].document, first_.id.ToHex());
  EXPECT_EQ(found->hits[0].language, "en");
  // The snippet is made from the text the graph holds, for the hits a page shows.
  const std::string snippet = found->snippet("Publish the procurement plans of every district every quarter.", "en");
  EXPECT_NE(snippet.find("<mark>procurement</mark>"), std::string::npos) << snippet;
  EXPECT_EQ(found->snippet("Nothing here & there.", "en"), "Nothing here &amp; there.") << "no word matches: the start";
}

TEST_F(ItemIndexTest, AnEntryHoldsWhatAHitShowsAndNotTheText) {
  Xapian::Database items(dir_.path() + "/xapian-items");
  const std::string by_document = "XD" + first_.id.ToHex();
  size_t entries = 0;
  for (auto entry = items.postlist_begin(by_document); entry != items.postlist_end(by_document); ++entry, ++entries) {
    const Xapian::Document doc = items.get_document(*entry);
    const std::string data = doc.get_data();
    EXPECT_EQ(data.find(' '), std::string::npos) << "the text stays in the graph: " << data;
    EXPECT_NE(data.find(first_.id.ToHex()), std::string::npos) << data;
    // Nothing twice: no unique term (a document's entries go together) and
    // values only for ranges (due, year, open actions' due); the facets
    // are counted from the boolean terms.
    for (auto t = doc.termlist_begin(); t != doc.termlist_end(); ++t) EXPECT_NE((*t)[0], 'Q') << *t;
    for (auto v = doc.values_begin(); v != doc.values_end(); ++v) {
      EXPECT_TRUE(v.get_valueno() == 2 || v.get_valueno() == 3 || v.get_valueno() == 11) << "slot " << v.get_valueno();
    }
  }
  EXPECT_EQ(entries, 5u) << "three items, a management response and a key action";
}

TEST_F(ItemIndexTest, FacetsShowABodyAsDocumentsSpellItWhateverTheirOrder) {
  // Two spellings of one body: one facet value, the same in either order.
  auto shown = [](const std::vector<std::string>& spellings) {
    TempDir dir;
    auto store = OpenWriter(dir.path());
    for (size_t n = 0; n < spellings.size(); ++n) {
      Document doc = DocumentWith("spelling" + std::to_string(n),
                                  {Recommendation("1", "Reform the water tariffs.", {spellings[n]})}, "Water.");
      EXPECT_TRUE(store->PutDocument(doc).ok());
      EXPECT_TRUE(store->Flush().ok());
    }
    ItemSearchRequest request = Query("water");
    request.facets = true;
    auto reader = Store::Open(dir.path(), StoreMode::kReadOnly);
    EXPECT_TRUE(reader.ok());
    Result<ItemSearchResponse> found = (*reader)->SearchItems(request);
    EXPECT_TRUE(found.ok());
    std::vector<std::string> out;
    for (const FacetValue& v : found->facets["responsible"].values) out.push_back(v.value + " " + std::to_string(v.count));
    return out;
  };
  EXPECT_EQ(shown({"water board", "Water Board"}), std::vector<std::string>{"Water Board 2"});
  EXPECT_EQ(shown({"Water Board", "water board"}), std::vector<std::string>{"Water Board 2"});
}

TEST_F(ItemIndexTest, ItemsWithSomeOfTheWordsFollowWhenThePageHasRoom) {
  ItemSearchRequest request = Query("procurement budgeting");  // no item has both
  request.types = {"recommendation"};
  Result<ItemSearchResponse> found = store_->SearchItems(request);
  ASSERT_TRUE(found.ok());
  EXPECT_EQ(found->total, 0u) << "total counts the items with every word";
  ASSERT_EQ(found->hits.size(), 2u);
  for (const ItemHit& hit : found->hits) EXPECT_FALSE(hit.all_words);
  EXPECT_EQ(found->hits[1].rank, 2u);
}

TEST_F(ItemIndexTest, DocumentSearchCountsDocumentsOnly) {
  SearchRequest request;
  request.query = "gender";
  Result<SearchResponse> found = store_->Search(request);
  ASSERT_TRUE(found.ok());
  EXPECT_EQ(found->total, 1u) << "item entries are not documents";
  ASSERT_EQ(found->hits.size(), 1u);
  Result<StoreStats> stats = store_->Stats();
  ASSERT_TRUE(stats.ok());
  EXPECT_EQ(stats->index_entries, 1u);
}

TEST_F(ItemIndexTest, FiltersByParentBodyStatusDueAndYear) {
  ItemSearchRequest request = Query("gender OR procurement OR budget OR agree");
  request.responsible = {"Ministry of Health"};  // the Gender Unit is part of it
  std::vector<std::string> units = Numbers(*store_, request);
  std::sort(units.begin(), units.end());
  EXPECT_EQ(units, (std::vector<std::string>{"key_action 1.1", "management_response 1", "recommendation 1"}));
  request = Query("gender OR procurement");
  request.response_status = "accepted";
  request.types = {"recommendation"};
  EXPECT_EQ(Numbers(*store_, request), (std::vector<std::string>{"recommendation 1"}));
  request = Query("gender OR procurement");
  request.due_before = "2024-07-01";  // 2024-06 ends on the 30th; 2026 ends later
  EXPECT_EQ(Numbers(*store_, request), (std::vector<std::string>{"recommendation 1"}));
  request = Query("gender OR procurement");
  request.types = {"recommendation"};
  request.action_status = "overdue";
  request.as_of = "2024-10-01";  // action 1.1, due 2024-09, is open
  EXPECT_EQ(Numbers(*store_, request), (std::vector<std::string>{"recommendation 1"}));
  request.as_of = "2024-09-30";
  EXPECT_EQ(Numbers(*store_, request), (std::vector<std::string>{}));
  request = Query("gender");
  request.year_from = 2025;
  EXPECT_EQ(Numbers(*store_, request), (std::vector<std::string>{}));
  request.facets = true;
  request.year_from.reset();
  Result<ItemSearchResponse> faceted = store_->SearchItems(request);
  ASSERT_TRUE(faceted.ok());
  ASSERT_EQ(faceted->facets["responsible"].values.size(), 1u);
  EXPECT_EQ(faceted->facets["responsible"].values[0].value, "Gender Unit");
  EXPECT_EQ(faceted->facets["responsible"].values[0].count, 2u);
  EXPECT_EQ(faceted->facets["year"].values[0].value, "2024");
  EXPECT_EQ(faceted->facets["agency"].values.size(), 0u) << "no organisation from the authority file";
}

TEST_F(ItemIndexTest, AReaderCountsFacetsOverEveryMatchAndCatchesUpWithTheWriter) {
  auto reader = Store::Open(dir_.path(), StoreMode::kReadOnly);
  ASSERT_TRUE(reader.ok()) << reader.status().ToString();
  ItemSearchRequest request = Query("gender OR procurement OR budget OR agree");
  request.facets = true;
  request.limit = 1;  // the counts are over every match, not the page
  auto type_counts = [&]() {
    Result<ItemSearchResponse> found = (*reader)->SearchItems(request);
    EXPECT_TRUE(found.ok()) << found.status().ToString();
    std::map<std::string, uint64_t> counts;
    if (!found.ok()) return counts;
    EXPECT_TRUE(found->facets_exact);
    EXPECT_EQ(found->hits.size(), 1u);
    for (const FacetValue& v : found->facets["type"].values) counts[v.value] = v.count;
    return counts;
  };
  EXPECT_EQ(type_counts(), (std::map<std::string, uint64_t>{
                               {"finding", 1}, {"key_action", 1}, {"management_response", 1}, {"recommendation", 2}}));
  ItemFact more = Recommendation("4", "Audit the gender budget of each ministry.", {"Audit Office"});
  ASSERT_TRUE(store_->PutDocument(DocumentWith("second", {more}, "Another report on gender.")).ok());
  ASSERT_TRUE(store_->Flush().ok());
  ASSERT_TRUE((*reader)->Refresh().ok());
  EXPECT_EQ(type_counts(), (std::map<std::string, uint64_t>{
                               {"finding", 1}, {"key_action", 1}, {"management_response", 1}, {"recommendation", 3}}))
      << "the columns are made again at the writer's new revision";
}

TEST_F(ItemIndexTest, FacetsOfABroadQuerySayWhetherTheyCountedEveryMatch) {
  std::vector<Fact> many;
  for (int n = 1; n <= 1500; ++n) many.push_back(Recommendation(std::to_string(n), "Repair rural road " + std::to_string(n) + "."));
  ASSERT_TRUE(store_->PutDocument(DocumentWith("roads", many, "Roads.")).ok());
  ASSERT_TRUE(store_->Flush().ok());
  ItemSearchRequest request = Query("road");
  request.facets = true;
  // The writer counts every match, with columns made for the search.
  Result<ItemSearchResponse> written = store_->SearchItems(request);
  ASSERT_TRUE(written.ok()) << written.status().ToString();
  EXPECT_TRUE(written->facets_exact);
  ASSERT_EQ(written->facets["type"].values.size(), 1u);
  EXPECT_EQ(written->facets["type"].values[0].count, 1500u);
  // A reader counts every match from its shared columns, and its total is exact.
  auto reader = Store::Open(dir_.path(), StoreMode::kReadOnly);
  ASSERT_TRUE(reader.ok()) << reader.status().ToString();
  Result<ItemSearchResponse> counted = (*reader)->SearchItems(request);
  ASSERT_TRUE(counted.ok()) << counted.status().ToString();
  EXPECT_TRUE(counted->facets_exact);
  EXPECT_TRUE(counted->total_exact);
  EXPECT_EQ(counted->total, 1500u);
  ASSERT_EQ(counted->facets["type"].values.size(), 1u);
  EXPECT_EQ(counted->facets["type"].values[0].count, 1500u);
  EXPECT_EQ(counted->hits.size(), 10u);
}

TEST_F(ItemIndexTest, CompactingKeepsEveryAnswerAndAReaderOpenedBeforeGoesOn) {
  for (int n = 0; n < 30; ++n) {
    ItemFact item = Recommendation("1", "Maintain the village pumps, report " + std::to_string(n) + ".");
    ASSERT_TRUE(store_->PutDocument(DocumentWith("pumps" + std::to_string(n), {item}, "Pumps and wells.")).ok());
    ASSERT_TRUE(store_->Flush().ok());  // a commit each: room for the compactor to take back
  }
  auto reader = Store::Open(dir_.path(), StoreMode::kReadOnly);
  ASSERT_TRUE(reader.ok()) << reader.status().ToString();
  auto answers = [](const Store& store) {
    std::vector<std::string> out = Numbers(store, Query("pumps OR gender"));
    SearchRequest pages;
    pages.query = "wells OR gender";
    pages.limit = 50;
    Result<SearchResponse> found = store.Search(pages);
    EXPECT_TRUE(found.ok()) << found.status().ToString();
    if (found.ok()) out.push_back("documents: " + std::to_string(found->total));
    return out;
  };
  const std::vector<std::string> before = answers(**reader);
  ASSERT_EQ(before.back(), "documents: 31");
  // A compaction left half done by a kill is cleared at the next writer's open.
  std::filesystem::create_directories(dir_.path() + "/xapian.compacting/junk");
  store_.reset();
  store_ = OpenWriter(dir_.path());
  EXPECT_FALSE(std::filesystem::exists(dir_.path() + "/xapian.compacting"));
  Result<Store::CompactReport> compacted = store_->CompactIndex();
  ASSERT_TRUE(compacted.ok()) << compacted.status().ToString();
  EXPECT_LT(compacted->bytes_after, compacted->bytes_before);
  EXPECT_GT(compacted->store_bytes_before, 0u);
  EXPECT_GT(compacted->store_bytes_after, 0u);
  EXPECT_FALSE(std::filesystem::exists(dir_.path() + "/xapian.compacting"));
  EXPECT_FALSE(std::filesystem::exists(dir_.path() + "/xapian-items.compacting"));
  EXPECT_EQ(answers(*store_), before) << "the writer answers the same";
  ASSERT_TRUE((*reader)->Refresh().ok());
  EXPECT_EQ(answers(**reader), before) << "the reader opened before moves to the compacted index";
  // And the writer goes on writing into it.
  ASSERT_TRUE(store_->PutDocument(DocumentWith("late", {Recommendation("9", "Fence the pumps.")}, "Pumps.")).ok());
  ASSERT_TRUE(store_->Flush().ok());
  ASSERT_TRUE((*reader)->Refresh().ok());
  EXPECT_EQ(Numbers(**reader, Query("fence")), (std::vector<std::string>{"recommendation 9"}));
}

TEST_F(ItemIndexTest, AnEntryWrittenBeforeTheDataHeaderIsStillReadAndCounted) {
  // Text format 3 kept the id, document, page, number and language in
  // values 0, 1, 8, 9, 10, the facets in values 3-7 and the text as data,
  // and had a unique term. (A writer's open makes such entries again: a
  // reader shows the agency and bodies by their terms' folded names.)
  store_.reset();
  const std::string hex = Sha256Hex("older").substr(0, 16);
  {
    Xapian::WritableDatabase items(dir_.path() + "/xapian-items", Xapian::DB_OPEN);
    Xapian::Document entry;
    entry.add_term("Zharbour");
    entry.add_boolean_term("QR:00000000000000aa");
    entry.add_boolean_term("XD" + hex);
    entry.add_boolean_term("XTrecommendation");
    entry.add_boolean_term("Len");
    for (const char* term : {"Y2019", "XSaccepted", "XAworld bank", "XRport authority", "XRharbour board"}) {
      entry.add_boolean_term(term);
    }
    for (const auto& [slot, value] : std::vector<std::pair<Xapian::valueno, std::string>>{
             {0, "R:00000000000000aa"}, {1, hex}, {3, "2019"}, {4, "accepted"}, {5, "Port Authority\x1fHarbour Board"},
             {6, "World Bank"}, {7, "recommendation"}, {8, "4"}, {9, "12"}, {10, "en"}}) {
      entry.add_value(slot, value);
    }
    entry.set_data("Dredge the harbour.");
    items.replace_document("QR:00000000000000aa", entry);
    items.commit();
  }
  auto reader = Store::Open(dir_.path(), StoreMode::kReadOnly);
  ASSERT_TRUE(reader.ok()) << reader.status().ToString();
  ItemSearchRequest request = Query("harbour");
  request.facets = true;
  Result<ItemSearchResponse> found = (*reader)->SearchItems(request);
  ASSERT_TRUE(found.ok()) << found.status().ToString();
  ASSERT_EQ(found->hits.size(), 1u);
  const ItemHit& hit = found->hits[0];
  EXPECT_EQ(hit.id, "R:00000000000000aa");
  EXPECT_EQ(hit.document, hex);
  EXPECT_EQ(hit.type, "recommendation");
  EXPECT_EQ(hit.number, "12");
  EXPECT_EQ(hit.page, 4u);
  EXPECT_EQ(hit.language, "en");
  EXPECT_EQ(found->facets["year"].values.at(0).value, "2019");
  EXPECT_EQ(found->facets["response_status"].values.at(0).value, "accepted");
  EXPECT_EQ(found->facets["agency"].values.at(0).value, "world bank");
  EXPECT_EQ(found->facets["type"].values.at(0).value, "recommendation");
  EXPECT_EQ(found->facets["responsible"].values.size(), 2u);
}

TEST_F(ItemIndexTest, TheAgencyIsTheKnownOrganisationTheFirstPagesNameEvenWithinASystem) {
  // The cover names the agency (which the authority file places in the
  // United Nations); a ministry it worked with is mentioned more often later.
  EntityFact agency = Organisation("International Organization for Migration", "United Nations");
  agency.authority = true;
  agency.mentions = {{1, 0, 40}, {5, 10, 50}};
  EntityFact system = Organisation("United Nations");
  system.authority = true;
  system.mentions = {{6, 0, 14}};
  EntityFact ministry = Organisation("Ministry of Interior");
  ministry.authority = true;
  ministry.mentions = {{4, 0, 20}, {5, 0, 20}, {6, 20, 40}, {7, 0, 20}};
  Document doc = DocumentWith("agency", {agency, system, ministry, Recommendation("1", "Train the border staff.")}, "Pages.");
  ASSERT_TRUE(store_->PutDocument(doc).ok());
  ASSERT_TRUE(store_->Flush().ok());
  ItemSearchRequest request = Query("border");
  request.facets = true;
  Result<ItemSearchResponse> found = store_->SearchItems(request);
  ASSERT_TRUE(found.ok()) << found.status().ToString();
  ASSERT_EQ(found->facets["agency"].values.size(), 1u);
  EXPECT_EQ(found->facets["agency"].values[0].value, "International Organization for Migration");
  request.agency = "International Organization for Migration";
  request.facets = false;
  EXPECT_EQ(Numbers(*store_, request), (std::vector<std::string>{"recommendation 1"}));
}

TEST_F(ItemIndexTest, ReIngestAndRemovalKeepItemsInStep) {
  Document changed = first_;
  ItemFact only = Recommendation("7", "Close the regional procurement backlog.", {"Procurement Office"});
  changed.facts = {EncodeFact(only)};
  ASSERT_TRUE(store_->PutDocument(changed).ok());
  ASSERT_TRUE(store_->Flush().ok());
  EXPECT_EQ(Numbers(*store_, Query("gender")), (std::vector<std::string>{}));
  EXPECT_EQ(Numbers(*store_, Query("procurement")), (std::vector<std::string>{"recommendation 7"}));
  Result<CheckReport> clean = store_->Check();
  ASSERT_TRUE(clean.ok());
  EXPECT_EQ(ItemFindings(*clean), std::vector<std::string>{});
  ASSERT_TRUE(store_->RemoveDocument(changed.id).ok());
  ASSERT_TRUE(store_->Flush().ok());
  EXPECT_EQ(Numbers(*store_, Query("procurement")), (std::vector<std::string>{}));
}

TEST_F(ItemIndexTest, CheckFindsMissingItemEntriesAndRepairRestoresThem) {
  store_.reset();
  {
    Xapian::WritableDatabase items(dir_.path() + "/xapian-items", Xapian::DB_OPEN);
    items.delete_document("XD" + first_.id.ToHex());
    items.commit();
  }
  {
    auto reader = Store::Open(dir_.path(), StoreMode::kReadOnly);
    ASSERT_TRUE(reader.ok());
    Result<CheckReport> report = (*reader)->Check();
    ASSERT_TRUE(report.ok());
    EXPECT_EQ(ItemFindings(*report), std::vector<std::string>{"item_entries"});
  }
  Result<RebuildReport> rebuilt = RepairDataFolder(dir_.path());
  ASSERT_TRUE(rebuilt.ok()) << rebuilt.status().ToString();
  auto reader = Store::Open(dir_.path(), StoreMode::kReadOnly);
  ASSERT_TRUE(reader.ok());
  EXPECT_EQ(Numbers(**reader, Query("procurement")), (std::vector<std::string>{"recommendation 2"}));
  EXPECT_EQ(ItemFindings(*(*reader)->Check()), std::vector<std::string>{});
}

TEST_F(ItemIndexTest, AFolderWithoutAnItemIndexGetsOneAtTheNextWriterOpen) {
  store_.reset();
  std::filesystem::remove_all(dir_.path() + "/xapian-items");
  {
    Xapian::WritableDatabase pages(dir_.path() + "/xapian", Xapian::DB_OPEN);
    pages.set_metadata("dossier.text_format", "2");  // what the build before items left
    pages.commit();
  }
  {
    auto reader = Store::Open(dir_.path(), StoreMode::kReadOnly);
    ASSERT_TRUE(reader.ok());
    Result<ItemSearchResponse> none = (*reader)->SearchItems(Query("gender"));
    EXPECT_EQ(none.status().code(), StatusCode::kFailedPrecondition);
  }
  auto writer = OpenWriter(dir_.path());
  EXPECT_EQ(writer->IndexRebuiltAtOpen(), 1u);
  EXPECT_FALSE(writer->ItemsOnlyRebuiltAtOpen()) << "format 2: the pages are indexed again too";
  EXPECT_EQ(Numbers(*writer, Query("procurement")), (std::vector<std::string>{"recommendation 2"}));
}

TEST_F(ItemIndexTest, AnIndexOfTextFormat3To5IsMadeAgainAtTheNextWriterOpen) {
  // Format 3 gave each item entry a unique term and the facets as values;
  // formats up to 4 put page p's words at (p-1) * 2^18 + 1; format 5 put
  // page 1's first word at position 1. A writer's open makes both the page
  // entries and the item entries again.
  for (const char* format : {"3", "4", "5"}) {
    SCOPED_TRACE(format);
    store_.reset();
    for (const char* path : {"/xapian", "/xapian-items"}) {
      Xapian::WritableDatabase db(dir_.path() + path, Xapian::DB_OPEN);
      db.set_metadata("dossier.text_format", format);
      if (std::string(path) == "/xapian") {
        const std::string id_term = "Q" + first_.id.ToHex();
        Xapian::Document page_entry = db.get_document(*db.postlist_begin(id_term));
        page_entry.add_boolean_term("Xmade-by-an-older-build");  // gone when the page entry is made again
        db.replace_document(id_term, page_entry);
      } else {
        Xapian::Document old;
        old.add_boolean_term("QR:00000000000000bb");
        old.add_boolean_term("XD" + first_.id.ToHex());
        old.add_value(7, "recommendation");
        db.add_document(old);
      }
      db.commit();
    }
    auto writer = OpenWriter(dir_.path());
    EXPECT_EQ(writer->IndexRebuiltAtOpen(), 1u);
    EXPECT_FALSE(writer->ItemsOnlyRebuiltAtOpen()) << "the pages are indexed again too";
    writer.reset();
    Xapian::Database pages(dir_.path() + "/xapian");
    EXPECT_EQ(pages.get_metadata("dossier.text_format"), "6");
    EXPECT_EQ(pages.get_termfreq("Xmade-by-an-older-build"), 0u) << "the page entry was made again";
    Xapian::Database items(dir_.path() + "/xapian-items");
    EXPECT_EQ(items.get_metadata("dossier.text_format"), "6");
    EXPECT_EQ(items.allterms_begin("Q"), items.allterms_end("Q")) << "no unique terms left";
    EXPECT_EQ(items.get_value_freq(7), 0u) << "no facet values left";
    EXPECT_EQ(items.get_termfreq("XD" + first_.id.ToHex()), 5u);
    EXPECT_EQ(items.get_metadata("dossier.name.XRgender unit"), "Gender Unit");
    store_ = OpenWriter(dir_.path());
  }
}

TEST_F(ItemIndexTest, SimilarRanksTheCloseRecommendationOfAnotherEvaluationFirst) {
  Document later = DocumentWith(
      "later", {Recommendation("4", "Train the district health teams in gender-responsive budgeting and planning.",
                               {"Gender Unit"}),
                Recommendation("5", "Publish the audit reports of the district councils.", {"Audit Office"})},
      "Later pages.");
  ASSERT_TRUE(store_->PutDocument(later).ok());
  ASSERT_TRUE(store_->Flush().ok());
  ItemSearchRequest request;
  request.similar_to = keys::NodeKeyToText(keys::ItemNodeKey(first_.id, "recommendation", "1", 100));
  request.types = {"recommendation"};
  Result<ItemSearchResponse> similar = store_->SearchItems(request);
  ASSERT_TRUE(similar.ok()) << similar.status().ToString();
  ASSERT_FALSE(similar->hits.empty());
  EXPECT_EQ(similar->hits[0].number, "4");
  for (const ItemHit& hit : similar->hits) EXPECT_NE(hit.document, first_.id.ToHex()) << "other evaluations only";
  request.similar_to = "R:0000000000000000";
  EXPECT_EQ(store_->SearchItems(request).status().code(), StatusCode::kNotFound);
}

}  // namespace
}  // namespace dossier
