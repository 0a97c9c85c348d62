// Tests of the facet columns: slot values in memory by docid, counted over
// the matches of a search without reading the entries' values.
#include "facet_columns.h"

#include <gtest/gtest.h>

#include <xapian.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <future>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "support/test_support.h"
#include "text_index.h"
#include "xapian_text.h"

namespace dossier {
namespace {

using ValueCounts = std::map<std::string, uint64_t>;

Xapian::Document Entry(const std::string& word, const std::string& type, const std::string& bodies) {
  Xapian::Document doc;
  doc.add_term(word);
  doc.add_term("all");
  if (!type.empty()) doc.add_value(3, type);
  if (!bodies.empty()) doc.add_value(5, bodies);
  return doc;
}

// What the spy saw over every match of `word`: how many, and each column's counts.
struct Seen {
  uint64_t matches = 0;
  std::vector<ValueCounts> columns;
  const ValueCounts& Counts(size_t column) const { return columns.at(column); }
};

Seen CountMatches(const Xapian::Database& db, const FacetColumns& columns, const std::string& word) {
  FacetColumnSpy spy(columns);
  Xapian::Enquire enquire(db);
  enquire.set_query(Xapian::Query(word));
  enquire.add_matchspy(&spy);
  enquire.get_mset(0, 1, db.get_doccount());
  Seen seen{spy.Seen(), {}};
  for (size_t c = 0; c < columns.ColumnCount(); ++c) seen.columns.push_back(spy.Counts(c));
  return seen;
}

TEST(FacetColumnsTest, EachEntrysValuesAreCountedOverEveryMatchAndMissingValuesAreNone) {
  testing::TempDir dir;
  Xapian::WritableDatabase db(dir.path() + "/db", Xapian::DB_CREATE);
  db.add_document(Entry("red", "finding", "Unit A\x1fUnit B"));
  db.add_document(Entry("red", "recommendation", "Unit B"));
  db.add_document(Entry("blue", "recommendation", ""));  // no responsible body
  db.add_document(Entry("red", "", "\x1fUnit C\x1f"));   // no type; empty names skipped
  db.delete_document(2);                                 // a gap in the docids
  db.add_document(Entry("red", "recommendation", "Unit A"));
  db.commit();
  auto columns = FacetColumns::Build(db, {{3, false}, {5, true}});
  ASSERT_EQ(columns->ColumnCount(), 2u);
  EXPECT_EQ(columns->Values(0).front(), "") << "code 0 is no value";

  const Seen red = CountMatches(db, *columns, "red");
  EXPECT_EQ(red.matches, 3u);
  EXPECT_EQ(red.Counts(0), (ValueCounts{{"finding", 1}, {"recommendation", 1}}));
  EXPECT_EQ(red.Counts(1), (ValueCounts{{"Unit A", 2}, {"Unit B", 1}, {"Unit C", 1}}));

  const Seen all = CountMatches(db, *columns, "all");
  EXPECT_EQ(all.matches, 4u);
  EXPECT_EQ(all.Counts(0), (ValueCounts{{"finding", 1}, {"recommendation", 2}}));

  int codes = 0;
  columns->ForEachCode(1, 3, [&](uint32_t) { ++codes; });
  EXPECT_EQ(codes, 0) << "docid 3 has no responsible body";
  columns->ForEachCode(1, 99, [&](uint32_t) { ++codes; });
  EXPECT_EQ(codes, 0) << "a docid past the last has nothing";
}

TEST(FacetColumnsTest, TheCacheMakesNewColumnsForANewRevisionOnly) {
  testing::TempDir dir;
  Xapian::WritableDatabase db(dir.path() + "/db", Xapian::DB_CREATE);
  db.add_document(Entry("red", "finding", ""));
  db.commit();
  FacetColumnCache cache({{3, false}});
  auto first = cache.For(db);
  EXPECT_EQ(cache.For(db), first) << "same revision, same columns";
  db.add_document(Entry("red", "conclusion", ""));
  db.commit();
  auto second = cache.For(db);
  EXPECT_NE(second, first);
  EXPECT_EQ(CountMatches(db, *second, "red").Counts(0), (ValueCounts{{"conclusion", 1}, {"finding", 1}}));
}

// A search at the revision the cache holds gets its columns while the
// columns of a newer revision are being made, without waiting for them; a
// second search at the newer revision waits for that build rather than
// making its own.
TEST(FacetColumnsTest, ASearchAtTheRevisionHeldDoesNotWaitForANewerOnesColumns) {
  testing::TempDir dir;
  Xapian::WritableDatabase db(dir.path() + "/db", Xapian::DB_CREATE);
  db.add_document(Entry("red", "finding", ""));
  db.commit();
  Xapian::Database older(dir.path() + "/db");  // stays at the first revision
  std::promise<void> building, release;
  std::shared_future<void> released = release.get_future().share();
  std::atomic<int> builds{0};
  FacetColumnCache cache({{3, false}}, [&](const Xapian::Database& handle, const std::vector<FacetColumnSpec>& specs) {
    ++builds;
    if (handle.get_revision() == 2) {
      building.set_value();
      released.wait();
    }
    return FacetColumns::Build(handle, specs);
  });
  const auto first = cache.For(older);
  EXPECT_EQ(cache.Revision(), 1u);
  db.add_document(Entry("red", "conclusion", ""));
  db.commit();
  Xapian::Database newer(dir.path() + "/db");
  std::future<std::shared_ptr<const FacetColumns>> made = std::async(std::launch::async, [&] { return cache.For(db); });
  if (building.get_future().wait_for(std::chrono::seconds(10)) != std::future_status::ready) {
    release.set_value();
    FAIL() << "the columns of the new revision were not made";
  }
  std::future<std::shared_ptr<const FacetColumns>> held =
      std::async(std::launch::async, [&] { return cache.For(older); });
  // (Checked without returning early: the build is released below in any case.)
  const bool held_at_once = held.wait_for(std::chrono::seconds(10)) == std::future_status::ready;
  EXPECT_TRUE(held_at_once) << "a search at the revision held waited for the newer columns";
  std::future<std::shared_ptr<const FacetColumns>> waiting =
      std::async(std::launch::async, [&] { return cache.For(newer); });
  EXPECT_EQ(waiting.wait_for(std::chrono::milliseconds(200)), std::future_status::timeout)
      << "a search at the revision being made waits for it";
  release.set_value();
  const auto second = made.get();
  EXPECT_EQ(held.get(), first);
  EXPECT_EQ(waiting.get(), second);
  EXPECT_EQ(builds.load(), 2) << "the newer revision's columns were made once";
  EXPECT_EQ(cache.Revision(), 2u);
  EXPECT_EQ(CountMatches(db, *second, "red").Counts(0), (ValueCounts{{"conclusion", 1}, {"finding", 1}}));
}

// The refresh's Prepare makes the columns of a newer revision, once
// searches asked for columns, and keeps those it replaces for the searches
// still at that revision until ForgetPrevious.
TEST(FacetColumnsTest, PrepareMakesANewerRevisionsColumnsAndKeepsThePreviousOnesUntilForgotten) {
  testing::TempDir dir;
  Xapian::WritableDatabase db(dir.path() + "/db", Xapian::DB_CREATE);
  db.add_document(Entry("red", "finding", ""));
  db.commit();
  std::atomic<int> builds{0};
  FacetColumnCache cache({{3, false}}, [&](const Xapian::Database& handle, const std::vector<FacetColumnSpec>& specs) {
    ++builds;
    return FacetColumns::Build(handle, specs);
  });
  cache.Prepare(db);
  EXPECT_EQ(builds.load(), 0) << "no search asked for columns yet";
  Xapian::Database older(dir.path() + "/db");
  const auto first = cache.For(older);
  cache.Prepare(db);
  EXPECT_EQ(builds.load(), 1) << "the cache holds this revision already";
  db.add_document(Entry("red", "conclusion", ""));
  db.commit();
  cache.Prepare(db);
  EXPECT_EQ(builds.load(), 2);
  EXPECT_EQ(cache.Revision(), 2u);
  EXPECT_EQ(cache.For(older), first) << "the revision before, kept for the searches still there";
  const auto second = cache.For(db);
  EXPECT_EQ(builds.load(), 2) << "the search at the new revision finds its columns made";
  db.add_document(Entry("blue", "finding", ""));
  db.commit();
  cache.Prepare(db);
  EXPECT_EQ(builds.load(), 3) << "a search asked since";
  cache.Prepare(db);
  EXPECT_EQ(builds.load(), 3);
  cache.ForgetPrevious();
  EXPECT_NE(cache.For(older), first) << "forgotten: a search still at the first revision makes its own";
  EXPECT_EQ(builds.load(), 4);
  EXPECT_EQ(cache.Revision(), 3u) << "and the cache keeps the newest";
  EXPECT_EQ(CountMatches(db, *second, "red").Counts(0), (ValueCounts{{"conclusion", 1}, {"finding", 1}}));
}

// A reader's PrepareRefresh makes the facet columns of the latest revision
// before Reopen moves the searches there (else the first search at each new
// revision made them, and the searches at that revision waited).
TEST(FacetColumnsTest, AReadersRefreshMakesTheNewRevisionsColumnsBeforeItsSearchesMove) {
  testing::TempDir dir;
  const std::string path = dir.path() + "/xapian";
  Xapian::WritableDatabase db(path, Xapian::DB_CREATE);
  db.add_document(Entry("red", "finding", ""));
  db.commit();
  Result<std::unique_ptr<TextIndex>> reader = TextIndex::Open(path, TextIndex::Mode::kReadOnly);
  ASSERT_TRUE(reader.ok()) << reader.status().ToString();
  (*reader)->PrepareRefresh();
  EXPECT_EQ((*reader)->FacetColumnsRevision(), 0u) << "no search asked for columns yet";
  TextIndex::HitReader hits;
  hits.describe = [](SearchHit*) { return Status::Ok(); };
  hits.page = [](const DocumentId&, uint32_t) -> Result<std::shared_ptr<const PageText>> {
    return Status::NotFound("no page");
  };
  SearchRequest request;
  request.query = "red";
  request.facets = true;
  Result<SearchResponse> found = (*reader)->Search(request, hits);
  ASSERT_TRUE(found.ok()) << found.status().ToString();
  EXPECT_EQ((*reader)->FacetColumnsRevision(), db.get_revision());
  db.add_document(Entry("red", "conclusion", ""));
  db.commit();
  (*reader)->PrepareRefresh();
  EXPECT_EQ((*reader)->FacetColumnsRevision(), db.get_revision()) << "made before Reopen";
  ASSERT_TRUE((*reader)->Reopen().ok());
  found = (*reader)->Search(request, hits);
  ASSERT_TRUE(found.ok()) << found.status().ToString();
  db.add_document(Entry("blue", "finding", ""));
  db.commit();
  (*reader)->PrepareRefresh();
  EXPECT_EQ((*reader)->FacetColumnsRevision(), db.get_revision()) << "a search asked since";
  const uint64_t made = db.get_revision();
  db.add_document(Entry("blue", "conclusion", ""));
  db.commit();
  ASSERT_TRUE((*reader)->Reopen().ok());
  (*reader)->PrepareRefresh();
  EXPECT_EQ((*reader)->FacetColumnsRevision(), made) << "no search since: nothing made";
}

// Warm (dossierd calls it before it says it is ready) makes the columns of
// the present revision, which the first search made while its user waited,
// and the refreshes after it keep them made for each new revision.
TEST(FacetColumnsTest, AWarmedReaderHasItsColumnsBeforeTheFirstSearch) {
  testing::TempDir dir;
  const std::string path = dir.path() + "/xapian";
  Xapian::WritableDatabase db(path, Xapian::DB_CREATE);
  db.add_document(Entry("red", "finding", ""));
  db.commit();
  Result<std::unique_ptr<TextIndex>> reader = TextIndex::Open(path, TextIndex::Mode::kReadOnly);
  ASSERT_TRUE(reader.ok()) << reader.status().ToString();
  EXPECT_EQ((*reader)->FacetColumnsRevision(), 0u);
  ASSERT_TRUE((*reader)->Warm().ok());
  EXPECT_EQ((*reader)->FacetColumnsRevision(), db.get_revision()) << "made before any search";
  db.add_document(Entry("blue", "finding", ""));
  db.commit();
  (*reader)->PrepareRefresh();
  EXPECT_EQ((*reader)->FacetColumnsRevision(), db.get_revision()) << "the refresh makes the next revision's";
  // A writer's searches make their own columns: nothing to warm.
  db.close();
  Result<std::unique_ptr<TextIndex>> writer = TextIndex::Open(path, TextIndex::Mode::kWritable);
  ASSERT_TRUE(writer.ok()) << writer.status().ToString();
  EXPECT_TRUE((*writer)->Warm().ok());
  EXPECT_EQ((*writer)->FacetColumnsRevision(), 0u);
}

// A column of boolean terms (the text sources, "XS…"): an entry counts under
// every value whose term it holds, and an entry with none under no value.
TEST(FacetColumnsTest, ATermColumnCountsEveryTermWithItsPrefix) {
  testing::TempDir dir;
  Xapian::WritableDatabase db(dir.path() + "/db", Xapian::DB_CREATE);
  auto entry = [](const std::vector<std::string>& sources) {
    Xapian::Document doc = Entry("red", "finding", "");
    for (const std::string& source : sources) doc.add_boolean_term("XS" + source);
    doc.add_boolean_term("XT");  // a shorter term that shares no prefix value
    return doc;
  };
  db.add_document(entry({"text_layer", "ocr"}));
  db.add_document(entry({"ocr"}));
  db.add_document(entry({}));
  db.add_document(entry({"plain_text"}));
  db.delete_document(2);
  db.add_document(entry({"ocr"}));
  db.commit();
  auto columns = FacetColumns::Build(db, {{3, false}, {0, true, "XS"}});
  ASSERT_EQ(columns->ColumnCount(), 2u);
  const Seen seen = CountMatches(db, *columns, "red");
  EXPECT_EQ(seen.matches, 4u);
  EXPECT_EQ(seen.Counts(0), (ValueCounts{{"finding", 4}}));
  EXPECT_EQ(seen.Counts(1), (ValueCounts{{"ocr", 2}, {"plain_text", 1}, {"text_layer", 1}}));
}

// Top() ranks the codes as TopFacetValues ranks the counted values (by
// count, then by value) and makes strings only of those it shows.
TEST(FacetColumnsTest, TheTopValuesAreThoseTopFacetValuesGivesForTheCounts) {
  testing::TempDir dir;
  Xapian::WritableDatabase db(dir.path() + "/db", Xapian::DB_CREATE);
  // Codes are given in the order values are first seen: "Unit D" gets a
  // lower code than "Unit B", so a tie must be broken by the value.
  for (const char* bodies : {"Unit D", "Unit BUnit D", "Unit BUnit A", "Unit C", "Unit CUnit E"}) {
    db.add_document(Entry("red", "", bodies));
  }
  db.add_document(Entry("blue", "", "Unit F"));  // not matched: not among the values
  db.commit();
  auto columns = FacetColumns::Build(db, {{5, true}});
  FacetColumnSpy spy(*columns);
  Xapian::Enquire enquire(db);
  enquire.set_query(Xapian::Query("red"));
  enquire.add_matchspy(&spy);
  enquire.get_mset(0, 1, db.get_doccount());
  for (size_t limit : {size_t{0}, size_t{1}, size_t{2}, size_t{3}, size_t{5}, SIZE_MAX}) {
    const SearchFacet top = spy.Top(0, limit), expected = TopFacetValues(spy.Counts(0), limit);
    EXPECT_EQ(top.total_values, 5u);
    ASSERT_EQ(top.values.size(), expected.values.size()) << "limit " << limit;
    for (size_t i = 0; i < top.values.size(); ++i) {
      EXPECT_EQ(top.values[i].value, expected.values[i].value) << "limit " << limit << ", value " << i;
      EXPECT_EQ(top.values[i].count, expected.values[i].count) << "limit " << limit << ", value " << i;
    }
  }
  const SearchFacet three = spy.Top(0, 3);
  ASSERT_EQ(three.values.size(), 3u);
  EXPECT_EQ(three.values[0].value, "Unit B");
  EXPECT_EQ(three.values[1].value, "Unit C");
  EXPECT_EQ(three.values[2].value, "Unit D");
}

// Xapian 1.4.22 (Debian 12) throws "Unexpected end of posting list" when a
// BoolWeight match reads a whole posting list of several chunks after a
// document was deleted from it (a re-ingest of a changed file, a removal,
// a merge): the counting pass must count those matches all the same.
TEST(FacetColumnsTest, EveryMatchIsCountedAfterDeletionsFromALongPostingList) {
  testing::TempDir dir;
  Xapian::WritableDatabase db(dir.path() + "/db", Xapian::DB_CREATE);
  for (int i = 0; i < 3000; ++i) db.add_document(Entry("red", i % 2 ? "finding" : "recommendation", ""));
  db.commit();
  db.delete_document(2);
  db.delete_document(2500);
  db.commit();
  auto columns = FacetColumns::Build(db, {{3, false}});
  FacetColumnSpy spy(*columns);
  bool every = false;
  ASSERT_NO_THROW(every = CountEveryMatch(db, Xapian::Query("red"), &spy));
  EXPECT_TRUE(every);
  EXPECT_EQ(spy.Seen(), 2998u);
  EXPECT_EQ(spy.Counts(0), (ValueCounts{{"finding", 1498}, {"recommendation", 1500}}));
  // And from the term's list the columns keep (DocsOf reads it whole).
  FacetColumnSpy from_columns(*columns);
  std::optional<bool> from_lists;
  ASSERT_NO_THROW(from_lists = CountEveryMatchFromColumns(db, *columns, Xapian::Query("red"), &from_columns));
  ASSERT_TRUE(from_lists.has_value());
  EXPECT_TRUE(*from_lists);
  EXPECT_EQ(from_columns.Seen(), 2998u);
  EXPECT_EQ(from_columns.Counts(0), spy.Counts(0));
}

// A column that is not counted (a value of each entry's own, read by
// docid: a hit's document id, its page starts) is read with ValueOf and
// costs the spy nothing; the counted columns are counted as before.
TEST(FacetColumnsTest, AColumnNotCountedIsReadByDocidAndLeftOutOfTheCounts) {
  testing::TempDir dir;
  Xapian::WritableDatabase db(dir.path() + "/db", Xapian::DB_CREATE);
  for (const char* id : {"id-one", "id-two", "", "id-four"}) {
    Xapian::Document doc = Entry("red", "finding", "");
    if (*id != '\0') doc.add_value(0, id);
    db.add_document(doc);
  }
  db.delete_document(2);
  db.commit();
  FacetColumnSpec ids{0, false};
  ids.counted = false;
  auto columns = FacetColumns::Build(db, {{3, false}, ids});
  EXPECT_EQ(columns->ValueOf(1, 1), "id-one");
  EXPECT_EQ(columns->ValueOf(1, 2), "") << "deleted";
  EXPECT_EQ(columns->ValueOf(1, 3), "") << "no value";
  EXPECT_EQ(columns->ValueOf(1, 4), "id-four");
  EXPECT_EQ(columns->ValueOf(1, 99), "") << "past the last docid";
  EXPECT_EQ(columns->ValueOf(0, 4), "finding");
  const Seen seen = CountMatches(db, *columns, "red");
  EXPECT_EQ(seen.matches, 3u);
  EXPECT_EQ(seen.Counts(0), (ValueCounts{{"finding", 3}}));
  EXPECT_TRUE(seen.Counts(1).empty());
  FacetColumnSpy spy(*columns);
  EXPECT_TRUE(spy.Top(1, 10).values.empty());
}

// 400 entries in English, French and Catalan (an L term and value 2),
// every 97th without a language, 4 of them deleted: "all" on every entry,
// "third" on every third, "rare" on 8, "catalan" on Catalan entries only,
// "gone" on a deleted one only.
void AddLanguageEntries(Xapian::WritableDatabase& db) {
  for (int i = 1; i <= 400; ++i) {
    Xapian::Document doc;
    doc.add_term("all");
    if (i % 3 == 0) doc.add_term("third");
    if (i % 50 == 7) doc.add_term("rare");
    if (i % 80 == 0) doc.add_term("catalan");
    if (i == 41) doc.add_term("gone");
    const std::string language = i % 97 == 0 ? "" : i % 40 == 0 ? "ca" : i % 4 == 0 ? "fr" : "en";
    if (!language.empty()) {
      doc.add_boolean_term("L" + language);
      doc.add_value(2, language);
    }
    db.add_document(doc);
  }
  for (Xapian::docid gone : {3u, 40u, 41u, 400u}) db.delete_document(gone);
  db.commit();
}

// A ColumnFilterSource restricts a query to the entries holding some
// values of a column, as an OR of the values' terms does: the same
// matches, whether the filter drives the match (a rare value: next and
// skip_to) or checks the candidates a common word gives (check), for a
// column made from terms and one made from a value slot, with deleted
// entries, an entry without the value, and values no entry holds.
TEST(FacetColumnsTest, AColumnFilterMatchesWhatAnOrOfItsValuesTermsMatches) {
  testing::TempDir dir;
  Xapian::WritableDatabase db(dir.path() + "/db", Xapian::DB_CREATE);
  AddLanguageEntries(db);
  auto columns = FacetColumns::Build(db, {{.term_prefix = "L", .postings = true}, {.slot = 2, .postings = true}});
  auto docids = [&db](const Xapian::Query& query) {
    Xapian::Enquire enquire(db);
    enquire.set_query(query);
    enquire.set_docid_order(Xapian::Enquire::ASCENDING);
    enquire.set_weighting_scheme(Xapian::BoolWeight());
    std::vector<Xapian::docid> found;
    const Xapian::MSet mset = enquire.get_mset(0, 1000);
    for (auto it = mset.begin(); it != mset.end(); ++it) found.push_back(*it);
    return found;
  };
  const std::vector<std::vector<std::string>> value_sets = {{"en"}, {"fr"}, {"ca"}, {"fr", "ca"}, {"en", "fr", "ca"},
                                                            {"xx"}, {"ca", "xx"}, {}};
  for (const char* word : {"all", "third", "rare"}) {
    for (const std::vector<std::string>& values : value_sets) {
      std::vector<Xapian::Query> terms;
      for (const std::string& value : values) terms.emplace_back("L" + value);
      const Xapian::Query expected(Xapian::Query::OP_FILTER, Xapian::Query(word),
                                   Xapian::Query(Xapian::Query::OP_OR, terms.begin(), terms.end()));
      const std::vector<Xapian::docid> want = docids(expected);
      for (size_t column : {size_t{0}, size_t{1}}) {
        const Xapian::Query filtered(Xapian::Query::OP_FILTER, Xapian::Query(word),
                                     Xapian::Query((new ColumnFilterSource(columns, column, values))->release()));
        EXPECT_EQ(docids(filtered), want) << word << " in " << values.size() << " languages, column " << column;
        // Two filters in one AND: one checks what the other gives.
        const Xapian::Query twice(Xapian::Query::OP_FILTER, filtered,
                                  Xapian::Query((new ColumnFilterSource(columns, column, {"fr", "ca"}))->release()));
        const Xapian::Query twice_expected(Xapian::Query::OP_FILTER, expected,
                                           Xapian::Query(Xapian::Query::OP_OR, Xapian::Query("Lfr"), Xapian::Query("Lca")));
        EXPECT_EQ(docids(twice), docids(twice_expected)) << word << ", column " << column;
      }
    }
  }
  // The filter alone: every entry holding a value, in docid order.
  const std::vector<Xapian::docid> french_or_catalan =
      docids(Xapian::Query((new ColumnFilterSource(columns, 0, {"fr", "ca"}))->release()));
  EXPECT_EQ(french_or_catalan, docids(Xapian::Query(Xapian::Query::OP_OR, Xapian::Query("Lfr"), Xapian::Query("Lca"))));
  EXPECT_EQ(french_or_catalan.size(), 97u);
  EXPECT_EQ(ColumnFilterSource(columns, 0, {"fr", "ca"}).get_termfreq_est(), 97u) << "exact: the postings' sizes";
  // The source never goes back: not before where it stands, nor before a
  // docid check() found without the values.
  ColumnFilterSource source(columns, 0, {"fr"});
  source.init(db);
  EXPECT_FALSE(source.check(9, 0)) << "9 is English";
  source.skip_to(5, 0);
  ASSERT_FALSE(source.at_end());
  EXPECT_EQ(source.get_docid(), 12u) << "the first French entry past 9";
  source.skip_to(8, 0);
  EXPECT_EQ(source.get_docid(), 12u);
  EXPECT_TRUE(source.check(16, 0));
  source.next(0);
  EXPECT_EQ(source.get_docid(), 20u);
  source.skip_to(399, 0);
  EXPECT_TRUE(source.at_end()) << "396 is the last French entry";
  // skip_to() goes on from where the last call left off: forward by
  // strides short and long, with next() between, it lands where a search
  // of the whole list does (the first entry with a value at or past the
  // docid asked, never back).
  for (Xapian::docid stride : {1u, 2u, 3u, 7u, 50u, 150u}) {
    ColumnFilterSource walker(columns, 0, {"fr", "ca"});
    walker.init(db);
    Xapian::docid at = 0;
    for (Xapian::docid target = 1; target < 420; target += stride) {
      walker.skip_to(target, 0);
      const auto want = std::lower_bound(french_or_catalan.begin(), french_or_catalan.end(), std::max(target, at));
      if (want == french_or_catalan.end()) {
        EXPECT_TRUE(walker.at_end()) << "stride " << stride << ", docid " << target;
        break;
      }
      ASSERT_FALSE(walker.at_end()) << "stride " << stride << ", docid " << target;
      EXPECT_EQ(walker.get_docid(), *want) << "stride " << stride << ", docid " << target;
      at = walker.get_docid();
      if (target % 3 == 0) {
        walker.next(0);
        const auto after = std::upper_bound(french_or_catalan.begin(), french_or_catalan.end(), at);
        if (after == french_or_catalan.end()) {
          EXPECT_TRUE(walker.at_end());
          break;
        }
        EXPECT_EQ(walker.get_docid(), *after) << "next() from " << at;
        at = walker.get_docid();
      }
    }
  }
}

// MayHold tells whether an entry with one of some values (languages) holds
// a term: false exactly when none does, for common, rare and one-language
// words, a word only deleted entries held, values no entry has, and the
// same answer when asked again (kept with the columns). A column without
// postings cannot tell.
TEST(FacetColumnsTest, MayHoldIsFalseExactlyWhenNoEntryOfTheValuesHoldsTheTerm) {
  testing::TempDir dir;
  Xapian::WritableDatabase db(dir.path() + "/db", Xapian::DB_CREATE);
  AddLanguageEntries(db);
  auto columns = FacetColumns::Build(db, {{.term_prefix = "L", .postings = true}, {.slot = 2}});
  auto held = [&db](const std::string& word, const std::vector<std::string>& values) {
    std::vector<Xapian::Query> terms;
    for (const std::string& value : values) terms.emplace_back("L" + value);
    Xapian::Enquire enquire(db);
    enquire.set_query(Xapian::Query(Xapian::Query::OP_FILTER, Xapian::Query(word),
                                    Xapian::Query(Xapian::Query::OP_OR, terms.begin(), terms.end())));
    return !enquire.get_mset(0, 1).empty();
  };
  const std::vector<std::vector<std::string>> value_sets = {{"en"}, {"fr"}, {"ca"}, {"fr", "ca"}, {"en", "fr", "ca"},
                                                            {"xx"}, {"ca", "xx"}, {}};
  int held_nowhere = 0;
  for (const char* word : {"all", "third", "rare", "catalan", "gone", "absent", "Len", "Lca"}) {
    for (const std::vector<std::string>& values : value_sets) {
      const bool want = held(word, values);
      held_nowhere += want ? 0 : 1;
      for (int ask = 0; ask < 2; ++ask) {
        EXPECT_EQ(columns->MayHold(db, 0, word, values), want) << word << " in " << values.size() << " values, ask " << ask;
      }
      EXPECT_TRUE(columns->MayHold(db, 1, word, {"en"})) << "no postings: it may";
    }
  }
  EXPECT_GT(held_nowhere, 20) << "the cases must include terms held by no entry of the values";
  EXPECT_FALSE(columns->MayHold(db, 0, "catalan", {"en", "fr"}));
  EXPECT_TRUE(columns->MayHold(db, 0, "catalan", {"fr", "ca"}));
  EXPECT_FALSE(columns->MayHold(db, 0, "rare", {"ca"})) << "7, 57, ... are never multiples of 40";
}

// DocsOf holds exactly the entries of a term's posting list (deleted
// entries left out), as docids for a rare term and as bits for one most
// entries hold, and keeps them: the second ask gets the same list. Holds
// agrees with term_exists, and the languages (L terms) are read once.
TEST(FacetColumnsTest, DocsOfHoldsExactlyTheEntriesOfATermsPostingList) {
  testing::TempDir dir;
  Xapian::WritableDatabase db(dir.path() + "/db", Xapian::DB_CREATE);
  AddLanguageEntries(db);
  auto columns = FacetColumns::Build(db, {{.term_prefix = "L", .postings = true}});
  for (const char* term : {"all", "third", "rare", "catalan", "gone", "absent", "Len", "Lca"}) {
    const std::shared_ptr<const TermDocs> docs = columns->DocsOf(db, term);
    ASSERT_NE(docs, nullptr) << term;
    std::vector<Xapian::docid> want;
    for (auto p = db.postlist_begin(term); p != db.postlist_end(term); ++p) want.push_back(*p);
    EXPECT_EQ(docs->size(), want.size()) << term;
    for (Xapian::docid did = 0; did <= 410; ++did) {
      EXPECT_EQ(docs->Contains(did), std::binary_search(want.begin(), want.end(), did)) << term << " " << did;
    }
    std::vector<Xapian::docid> seen;
    EXPECT_FALSE(docs->Any([&](Xapian::docid did) { seen.push_back(did); return false; }));
    EXPECT_EQ(seen, want) << term << ": every entry, in docid order";
    EXPECT_EQ(columns->DocsOf(db, term), docs) << term << ": kept";
    EXPECT_EQ(columns->Holds(db, term), db.term_exists(term)) << term;
  }
  EXPECT_TRUE(columns->DocsOf(db, "all")->dense());
  EXPECT_FALSE(columns->DocsOf(db, "rare")->dense());
  EXPECT_TRUE(columns->DocsOf(db, "absent")->empty());
  Xapian::docid first_third = 0;
  EXPECT_TRUE(columns->DocsOf(db, "third")->Any([&](Xapian::docid did) { first_third = did; return true; }));
  EXPECT_EQ(first_third, 6u) << "3 was deleted: the first held is 6, and Any stops there";
  EXPECT_EQ(columns->TermsWithPrefix(db, "L"), (std::vector<std::string>{"ca", "en", "fr"}));
  db.add_document([] { Xapian::Document doc; doc.add_boolean_term("Lxx"); return doc; }());
  db.commit();
  EXPECT_EQ(columns->TermsWithPrefix(db, "L"), (std::vector<std::string>{"ca", "en", "fr"}))
      << "kept with the columns of their revision";
}

// MatchesOf: for terms joined by AND, OR, AND_NOT, FILTER, AND_MAYBE and
// SCALE_WEIGHT, and the query parsers' wildcards, exactly the entries a
// match over the index gives (deleted entries, language terms, a term no
// entry holds, a wildcard no term begins as), and value ranges over the
// slot of a column of one value an entry; a phrase, another wildcard (no
// limit, or another), a value range over another slot and a posting
// source it cannot tell. Counted from the
// columns, the facets, the count and its exactness are a counting pass's.
TEST(FacetColumnsTest, TheMatchesOfTermsJoinedByAndAndOrAreThoseOfAMatch) {
  testing::TempDir dir;
  Xapian::WritableDatabase db(dir.path() + "/db", Xapian::DB_CREATE);
  AddLanguageEntries(db);
  auto columns = FacetColumns::Build(db, {{.slot = 2}, {.term_prefix = "L", .postings = true}});
  using Q = Xapian::Query;
  auto matched = [&](const Q& query) {
    Xapian::Enquire enquire(db);
    enquire.set_query(query);
    std::vector<Xapian::docid> docids;
    const Xapian::MSet mset = enquire.get_mset(0, db.get_doccount());
    for (auto it = mset.begin(); it != mset.end(); ++it) docids.push_back(*it);
    std::sort(docids.begin(), docids.end());
    return docids;
  };
  auto of_bits = [](const std::vector<uint64_t>& bits) {
    std::vector<Xapian::docid> docids;
    for (size_t w = 0; w < bits.size(); ++w) {
      for (size_t b = 0; b < 64; ++b) {
        if (bits[w] >> b & 1) docids.push_back(static_cast<Xapian::docid>(w * 64 + b));
      }
    }
    return docids;
  };
  const std::vector<Q> told = {
      Q("rare"),
      Q("gone"),
      Q("absent"),
      Q(Q::OP_AND, Q("third"), Q("catalan")),
      Q(Q::OP_OR, Q("rare"), Q("catalan")),
      Q(Q::OP_AND_NOT, Q("third"), Q(Q::OP_OR, Q("Len"), Q("rare"))),
      Q(Q::OP_FILTER, Q(Q::OP_OR, Q("third"), Q("rare")), Q(Q::OP_OR, Q("Lfr"), Q("Lca"))),
      Q(Q::OP_AND_MAYBE, Q("rare"), Q("third")),
      Q(Q::OP_SCALE_WEIGHT, Q(Q::OP_AND, Q("all"), Q("absent")), 0.5),
      Q(Q::OP_OR, Q(Q::OP_FILTER, Q(Q::OP_AND, Q("third"), Q(Q::OP_SCALE_WEIGHT, Q("all"), 0)), Q("Len")),
        Q(Q::OP_FILTER, Q("catalan"), Q("Lca"))),
      Q(Q::OP_SYNONYM, Q("rare"), Q("gone")),
      Q::MatchNothing,
      // Wildcards as the parsers make them (SetUpQueryParsers).
      Q(Q::OP_WILDCARD, "thi", kWildcardExpansions, Q::WILDCARD_LIMIT_MOST_FREQUENT),
      Q(Q::OP_WILDCARD, "", kWildcardExpansions, Q::WILDCARD_LIMIT_MOST_FREQUENT, Q::OP_OR),
      Q(Q::OP_WILDCARD, "nothing begins so", kWildcardExpansions, Q::WILDCARD_LIMIT_MOST_FREQUENT, Q::OP_MAX),
      Q(Q::OP_AND, Q(Q::OP_WILDCARD, "ra", kWildcardExpansions, Q::WILDCARD_LIMIT_MOST_FREQUENT), Q("Len")),
      // Value ranges over the slot of a column of one value an entry (an
      // entry without the value never matches).
      Q(Q::OP_VALUE_RANGE, 2, "ca", "en"),
      Q(Q::OP_VALUE_RANGE, 2, "a", "f"),
      Q(Q::OP_VALUE_RANGE, 2, "en", "en"),
      Q(Q::OP_VALUE_RANGE, 2, "fr", "zz"),
      Q(Q::OP_VALUE_GE, 2, "e"),
      Q(Q::OP_VALUE_GE, 2, "fr"),
      Q(Q::OP_VALUE_LE, 2, "en"),
      Q(Q::OP_VALUE_LE, 2, "d"),
      Q(Q::OP_FILTER, Q(Q::OP_OR, Q("third"), Q("rare")), Q(Q::OP_VALUE_RANGE, 2, "ca", "en")),
      Q(Q::OP_AND_NOT, Q("all"), Q(Q::OP_VALUE_GE, 2, "f")),
  };
  for (const Q& query : told) {
    std::vector<uint64_t> bits;
    ASSERT_TRUE(columns->MatchesOf(db, query, &bits)) << query.get_description();
    EXPECT_EQ(of_bits(bits), matched(query)) << query.get_description();
  }
  const std::vector<Q> untold = {
      Q(Q::OP_PHRASE, Q("all"), Q("third")),
      Q(Q::OP_WILDCARD, "thi"),
      Q(Q::OP_WILDCARD, "thi", kWildcardExpansions + 1, Q::WILDCARD_LIMIT_MOST_FREQUENT),
      Q(Q::OP_WILDCARD, "thi", kWildcardExpansions, Q::WILDCARD_LIMIT_FIRST),
      Q(Q::OP_VALUE_RANGE, 3, "a", "f"),  // a slot without a column
      Q(Q::OP_VALUE_GE, 7, "a"),
      Q(Q::OP_AND, Q("third"), Q((new ColumnFilterSource(columns, 1, {"fr"}))->release())),
      Q::MatchAll,
  };
  for (const Q& query : untold) {
    std::vector<uint64_t> bits;
    EXPECT_FALSE(columns->MatchesOf(db, query, &bits)) << query.get_description();
  }

  for (const Q& query : {Q(Q::OP_OR, Q("third"), Q("rare")), Q(Q::OP_AND, Q("all"), Q("Lfr")),
                         Q(Q::OP_FILTER, Q("third"), Q(Q::OP_VALUE_RANGE, 2, "ca", "en"))}) {
    FacetColumnSpy from_columns(*columns), from_pass(*columns);
    const std::optional<bool> exact = CountEveryMatchFromColumns(db, *columns, query, &from_columns);
    ASSERT_TRUE(exact.has_value()) << query.get_description();
    EXPECT_EQ(*exact, CountEveryMatch(db, query, &from_pass)) << query.get_description();
    EXPECT_EQ(from_columns.Seen(), from_pass.Seen()) << query.get_description();
    EXPECT_EQ(from_columns.Seen(), matched(query).size()) << query.get_description();
    for (size_t c = 0; c < columns->ColumnCount(); ++c) {
      EXPECT_EQ(from_columns.Counts(c), from_pass.Counts(c)) << query.get_description() << " column " << c;
    }
  }
  FacetColumnSpy untouched(*columns);
  EXPECT_FALSE(CountEveryMatchFromColumns(db, *columns, Q(Q::OP_PHRASE, Q("all"), Q("third")), &untouched));
  EXPECT_EQ(untouched.Seen(), 0u) << "nothing counted when the columns cannot tell";
}


// CountEach counts a column at a time what Count counts entry by entry:
// the entries whose bits are set, in docid order, until the cap.
TEST(FacetColumnsTest, CountEachCountsWhatCountCountsEntryByEntryUpToTheCap) {
  testing::TempDir dir;
  Xapian::WritableDatabase db(dir.path() + "/db", Xapian::DB_CREATE);
  AddLanguageEntries(db);
  auto columns = FacetColumns::Build(db, {{.slot = 2}, {.term_prefix = "L", .postings = true}});
  std::vector<uint64_t> bits;
  ASSERT_TRUE(columns->MatchesOf(db, Xapian::Query("third"), &bits));
  std::vector<Xapian::docid> docids;  // in docid order
  for (size_t w = 0; w < bits.size(); ++w) {
    for (size_t b = 0; b < 64; ++b) {
      if (bits[w] >> b & 1) docids.push_back(static_cast<Xapian::docid>(w * 64 + b));
    }
  }
  ASSERT_GT(docids.size(), 20u);
  for (const uint64_t cap : {uint64_t{0}, uint64_t{1}, uint64_t{7}, uint64_t{docids.size()}, uint64_t{1000}}) {
    FacetColumnSpy each(*columns), one_by_one(*columns);
    each.CountEach(bits, cap);
    for (size_t i = 0; i < docids.size() && i < cap; ++i) one_by_one.Count(docids[i]);
    EXPECT_EQ(each.Seen(), std::min<uint64_t>(cap, docids.size())) << "cap " << cap;
    for (size_t c = 0; c < columns->ColumnCount(); ++c) {
      EXPECT_EQ(each.Counts(c), one_by_one.Counts(c)) << "cap " << cap << ", column " << c;
    }
    // The cap counts what was counted before too.
    each.CountEach(bits, cap);
    EXPECT_EQ(each.Seen(), std::min<uint64_t>(cap, 2 * docids.size())) << "cap " << cap << ", counted again";
  }
  FacetColumnSpy twice(*columns);
  twice.CountEach(bits, 1000);
  twice.CountEach(bits, 1000);
  EXPECT_EQ(twice.Seen(), 2 * docids.size());
  EXPECT_EQ(twice.Counts(0).at("fr"), 2 * CountMatches(db, *columns, "third").Counts(0).at("fr"));
}

// A column of more values than a spy scans whole (it lists the codes it
// counts, and takes the count vector a spy before it let go of): each spy
// counts from zero, two spies of one thread count apart, and Top ranks as
// TopFacetValues ranks the same counts (by count, then by value).
TEST(FacetColumnsTest, ASpyOfAColumnOfManyValuesCountsFromZeroAndRanksAsTopFacetValues) {
  testing::TempDir dir;
  Xapian::WritableDatabase db(dir.path() + "/db", Xapian::DB_CREATE);
  ValueCounts red_counts;  // what the red entries hold, counted here
  for (int i = 0; i < 3000; ++i) {
    const std::string many = "Body " + std::to_string(i % 1500), few = "Unit " + std::to_string(i % 7);
    const bool red = i % 3 == 0;
    db.add_document(Entry(red ? "red" : "blue", "", many + "\x1f" + few));
    if (red) {
      ++red_counts[many];
      ++red_counts[few];
    }
  }
  db.commit();
  auto columns = FacetColumns::Build(db, {{5, true}});
  ASSERT_GT(columns->Values(0).size(), 1500u);

  const Seen first = CountMatches(db, *columns, "red");
  EXPECT_EQ(first.Counts(0), red_counts);
  const Seen again = CountMatches(db, *columns, "red");  // with the count vector the first spy let go of
  EXPECT_EQ(again.Counts(0), red_counts) << "a spy counts from zero";

  FacetColumnSpy red_spy(*columns), blue_spy(*columns);  // at once, on one thread
  for (auto [spy, word] : {std::pair{&red_spy, "red"}, std::pair{&blue_spy, "blue"}}) {
    Xapian::Enquire enquire(db);
    enquire.set_query(Xapian::Query(word));
    enquire.add_matchspy(spy);
    enquire.get_mset(0, 1, db.get_doccount());
  }
  EXPECT_EQ(red_spy.Counts(0), red_counts);
  EXPECT_EQ(blue_spy.Seen(), 2000u);
  for (const FacetColumnSpy* spy : {&red_spy, &blue_spy}) {
    for (const size_t limit : {size_t{0}, size_t{5}, size_t{20}, size_t{5000}}) {
      const SearchFacet top = spy->Top(0, limit);
      const SearchFacet expected = TopFacetValues(spy->Counts(0), limit);
      EXPECT_EQ(top.total_values, expected.total_values);
      ASSERT_EQ(top.values.size(), expected.values.size()) << "limit " << limit;
      for (size_t i = 0; i < top.values.size(); ++i) {
        EXPECT_EQ(top.values[i].value, expected.values[i].value) << "limit " << limit << ", value " << i;
        EXPECT_EQ(top.values[i].count, expected.values[i].count) << "limit " << limit << ", value " << i;
      }
    }
  }
}

// A parsers' wildcard that expands to more terms than kWildcardExpansions:
// a match keeps the most frequent, which the columns cannot tell (ties), so
// MatchesOf does not; one term fewer, and it does.
TEST(FacetColumnsTest, AWildcardExpandingPastTheParsersLimitIsLeftToAMatch) {
  testing::TempDir dir;
  Xapian::WritableDatabase db(dir.path() + "/db", Xapian::DB_CREATE);
  Xapian::Document doc;
  for (Xapian::termcount i = 0; i < kWildcardExpansions; ++i) doc.add_term("word" + std::to_string(i));
  doc.add_boolean_term("Len");
  db.add_document(doc);
  db.commit();
  auto columns = FacetColumns::Build(db, {{.term_prefix = "L", .postings = true}});
  using Q = Xapian::Query;
  const Q wildcard(Q::OP_WILDCARD, "word", kWildcardExpansions, Q::WILDCARD_LIMIT_MOST_FREQUENT);
  std::vector<uint64_t> bits;
  ASSERT_TRUE(columns->MatchesOf(db, wildcard, &bits)) << "as many terms as the limit";
  EXPECT_EQ(bits[0], uint64_t{1} << 1);

  Xapian::Document another;
  another.add_term("word-one-more");
  another.add_boolean_term("Len");
  db.add_document(another);
  db.commit();
  columns = FacetColumns::Build(db, {{.term_prefix = "L", .postings = true}});
  EXPECT_FALSE(columns->MatchesOf(db, wildcard, &bits)) << "one term past the limit";
}

// A term held by more than kMaxTermDocs entries is not kept (its posting
// list is walked where it is asked about): DocsOf says so, again when asked
// again, and Holds and MayHold still answer.
TEST(FacetColumnsTest, ATermMoreEntriesHoldThanTheLimitIsNotKept) {
  testing::TempDir dir;
  Xapian::WritableDatabase db(dir.path() + "/db", Xapian::DB_CREATE);
  const Xapian::docid entries = FacetColumns::kMaxTermDocs + 10;
  for (Xapian::docid i = 1; i <= entries; ++i) {
    Xapian::Document doc;
    doc.add_term("common");
    if (i == entries) doc.add_term("last");
    doc.add_boolean_term(i == entries ? "Lfr" : "Len");
    db.add_document(doc);
  }
  db.commit();
  auto columns = FacetColumns::Build(db, {{.term_prefix = "L", .postings = true}});
  EXPECT_EQ(columns->DocsOf(db, "common"), nullptr);
  EXPECT_EQ(columns->DocsOf(db, "common"), nullptr);
  EXPECT_TRUE(columns->Holds(db, "common"));
  EXPECT_TRUE(columns->MayHold(db, 0, "common", {"fr"})) << "the one French entry holds it, the list's last";
  EXPECT_FALSE(columns->MayHold(db, 0, "last", {"en"}));
  ASSERT_NE(columns->DocsOf(db, "last"), nullptr);
  EXPECT_TRUE(columns->DocsOf(db, "last")->Contains(entries));
  std::vector<uint64_t> bits;
  EXPECT_FALSE(columns->MatchesOf(db, Xapian::Query(Xapian::Query::OP_AND, Xapian::Query("common"), Xapian::Query("last")), &bits))
      << "a list DocsOf does not keep: a match must find the entries";
  ASSERT_TRUE(columns->MatchesOf(db, Xapian::Query("last"), &bits));
  EXPECT_EQ(bits.at(entries / 64) >> (entries % 64) & 1, 1u);
  // A language term is read from the column's own entries, however many hold it.
  using Q = Xapian::Query;
  ASSERT_TRUE(columns->MatchesOf(db, Q(Q::OP_FILTER, Q("last"), Q("Len")), &bits))
      << "Len is on " << entries - 1 << " entries, more than DocsOf keeps";
  EXPECT_TRUE(std::all_of(bits.begin(), bits.end(), [](uint64_t w) { return w == 0; }));
  ASSERT_TRUE(columns->MatchesOf(db, Q(Q::OP_FILTER, Q("last"), Q(Q::OP_OR, Q("Len"), Q("Lfr"))), &bits));
  EXPECT_EQ(bits.at(entries / 64) >> (entries % 64) & 1, 1u);
  ASSERT_TRUE(columns->MatchesOf(db, Q("Len"), &bits));
  size_t english = 0;
  for (uint64_t w : bits) english += static_cast<size_t>(__builtin_popcountll(w));
  EXPECT_EQ(english, entries - 1);
  auto any = [](const std::string&) { return true; };
  EXPECT_FALSE(columns->QueryTermsHeld(db, Q(Q::OP_OR, Q("last"), Q("common")), entries, any).has_value())
      << "a list DocsOf does not keep: the entry's term list must tell";
}

// QueryTermsHeld lists what Enquire::get_matching_terms lists (among the
// terms wanted): the query's terms the entry holds, each once, by first
// place in the query, for every matching entry, deleted entries and terms
// no entry holds among the query's, and a wildcard's expansions not among
// them (Xapian 1.4 lists none).
TEST(FacetColumnsTest, TheQueryTermsAnEntryHoldsAreThoseGetMatchingTermsLists) {
  testing::TempDir dir;
  Xapian::WritableDatabase db(dir.path() + "/db", Xapian::DB_CREATE);
  AddLanguageEntries(db);
  auto columns = FacetColumns::Build(db, {{.slot = 2}, {.term_prefix = "L", .postings = true}});
  using Q = Xapian::Query;
  auto any_of = [](std::vector<Q> parts) { return Q(Q::OP_OR, parts.begin(), parts.end()); };
  // (A term's place in the query is its position, as the parser gives it:
  // get_terms lists by position, then name.)
  auto at = [](const char* term, Xapian::termpos position) { return Q(term, 1, position); };
  const std::vector<Q> queries = {
      any_of({Q("third"), Q("rare"), Q("absent"), Q("catalan")}),
      any_of({at("third", 1), at("rare", 2), at("catalan", 3), at("all", 4)}),
      any_of({at("catalan", 1), Q(Q::OP_AND, at("all", 2), at("third", 3)), at("catalan", 4), at("gone", 5),
              at("rare", 6)}),
      Q(Q::OP_AND_MAYBE, Q(Q::OP_FILTER, Q("all"), Q("Lfr")), Q(Q::OP_OR, Q("rare"), Q("third"))),
      Q(Q::OP_OR, Q(Q::OP_WILDCARD, "ra", kWildcardExpansions, Q::WILDCARD_LIMIT_MOST_FREQUENT), Q("third")),
  };
  const std::function<bool(const std::string&)> wanted = [](const std::string& term) { return term[0] != 'L'; };
  size_t entries_checked = 0;
  for (const Q& query : queries) {
    Xapian::Enquire enquire(db);
    enquire.set_query(query);
    const Xapian::MSet mset = enquire.get_mset(0, db.get_doccount());
    for (auto it = mset.begin(); it != mset.end(); ++it) {
      std::vector<std::string> listed;
      for (auto t = enquire.get_matching_terms_begin(it); t != enquire.get_matching_terms_end(it); ++t) {
        if (wanted(*t)) listed.push_back(*t);
      }
      const std::optional<std::vector<std::string>> held = columns->QueryTermsHeld(db, query, *it, wanted);
      ASSERT_TRUE(held.has_value()) << query.get_description();
      EXPECT_EQ(*held, listed) << query.get_description() << " entry " << *it;
      ++entries_checked;
    }
  }
  EXPECT_GT(entries_checked, 500u);
}

}  // namespace
}  // namespace dossier
