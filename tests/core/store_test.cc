// Tests of the store: round trips, replacement, locking, readers, and
// all-or-nothing behaviour when a writer is killed half-way.
#include "dossier/store.h"

#include <gtest/gtest.h>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>
#include <xapian.h>

#include <algorithm>
#include <filesystem>
#include <functional>
#include <iterator>
#include <optional>
#include <random>
#include <set>
#include <sstream>
#include <tuple>

#include <rocksdb/db.h>

#include "dossier/keys.h"
#include "dossier/text.h"
#include "support/test_support.h"

namespace dossier {
namespace {

using testing::TempDir;
namespace fs = std::filesystem;

Document MakeDocument(const std::string& content_key, const std::string& path, std::vector<std::string> pages,
                      const std::string& language = "en") {
  Document doc;
  doc.id = DocumentId::FromHex(Sha256Hex(content_key).substr(0, 16)).value();
  doc.mime_type = "application/pdf";
  doc.size_bytes = 1000;
  doc.sources = {{path, 1000, 42}};
  doc.title = "Title of " + content_key;
  doc.language = language;
  doc.extracted_by = "test 1.0.0";
  uint32_t n = 0;
  for (auto& text : pages) doc.pages.push_back({++n, text, TextSource::kTextLayer, -1});
  return doc;
}

std::unique_ptr<Store> OpenWriter(const std::string& dir) {
  auto store = Store::Open(dir, StoreMode::kReadWrite);
  EXPECT_TRUE(store.ok()) << store.status().ToString();
  return store.ok() ? std::move(store).value() : nullptr;
}

// A writer holding one document of `pages`, flushed (searchable).
std::unique_ptr<Store> WriterWithPages(const std::string& dir, const std::string& name, std::vector<std::string> pages) {
  auto writer = OpenWriter(dir);
  if (!writer) return nullptr;
  EXPECT_TRUE(writer->PutDocument(MakeDocument(name, "/in/" + name + ".pdf", std::move(pages))).ok());
  EXPECT_TRUE(writer->Flush().ok());
  return writer;
}

uint64_t Hits(const Store& store, const std::string& query) {
  SearchRequest request;
  request.query = query;
  Result<SearchResponse> r = store.Search(request);
  EXPECT_TRUE(r.ok()) << r.status().ToString();
  return r.ok() ? r->hits.size() : 0;
}

// Runs `body` in a child process and waits for it. Bodies end with _exit()
// while their store is open, so nothing is flushed or destroyed: what kill -9
// would leave behind.
template <typename Body>
void InKilledChild(Body body) {
  pid_t pid = ::fork();
  if (pid == 0) {
    body();
    ::_exit(0);
  }
  int status = 0;
  ::waitpid(pid, &status, 0);
  ASSERT_TRUE(WIFEXITED(status));
}

TEST(StoreTest, StoresAndReadsBackADocument) {
  TempDir dir;
  auto store = OpenWriter(dir.path());
  Document doc = MakeDocument("a", "/in/a.pdf", {"first page about sanitation", "second page about water"});
  ASSERT_TRUE(store->PutDocument(doc).ok());
  ASSERT_TRUE(store->Flush().ok());

  auto summary = store->GetDocument(doc.id);
  ASSERT_TRUE(summary.ok() && summary->has_value());
  EXPECT_EQ((*summary)->title, "Title of a");
  EXPECT_EQ((*summary)->page_count, 2u);
  ASSERT_EQ((*summary)->sources.size(), 1u);
  auto page = store->GetPage(doc.id, 2);
  ASSERT_TRUE(page.ok());
  EXPECT_EQ(page->text, "second page about water");
  EXPECT_EQ(store->GetPage(doc.id, 3).status().code(), StatusCode::kNotFound);
  auto source = store->LookupSource("/in/a.pdf");
  ASSERT_TRUE(source.ok() && source->has_value());
  EXPECT_EQ((*source)->id, doc.id);
  EXPECT_EQ(Hits(*store, "water"), 1u);
  auto stats = store->Stats();
  EXPECT_EQ(stats->documents, 1u);
  EXPECT_EQ(stats->pages, 2u);
  EXPECT_EQ(stats->index_entries, 1u);
  EXPECT_EQ(stats->pending, 0u);
}

TEST(StoreTest, ANewVersionAtTheSamePathReplacesTheOldDocument) {
  TempDir dir;
  auto store = OpenWriter(dir.path());
  Document v1 = MakeDocument("v1", "/in/report.pdf", {"old wording zebra"});
  Document v2 = MakeDocument("v2", "/in/report.pdf", {"new wording giraffe"});
  ASSERT_TRUE(store->PutDocument(v1).ok());
  ASSERT_TRUE(store->Flush().ok());
  ASSERT_TRUE(store->PutDocument(v2).ok());
  ASSERT_TRUE(store->Flush().ok());
  EXPECT_FALSE(store->GetDocument(v1.id)->has_value());
  EXPECT_TRUE(store->GetDocument(v2.id)->has_value());
  EXPECT_EQ(Hits(*store, "zebra"), 0u);
  EXPECT_EQ(Hits(*store, "giraffe"), 1u);
  EXPECT_EQ(store->GetPages(v1.id)->size(), 0u);
  EXPECT_EQ(store->Stats()->documents, 1u);
}

TEST(StoreTest, SharedContentSurvivesUntilItsLastPathGoes) {
  TempDir dir;
  auto store = OpenWriter(dir.path());
  Document doc = MakeDocument("same", "/in/a.pdf", {"shared text"});
  ASSERT_TRUE(store->PutDocument(doc).ok());
  ASSERT_TRUE(store->AddSource(doc.id, {"/in/copy/a.pdf", 1000, 7}).ok());
  ASSERT_TRUE(store->Flush().ok());
  EXPECT_EQ((*store->GetDocument(doc.id))->sources.size(), 2u);
  ASSERT_TRUE(store->DetachSource("/in/a.pdf").ok());
  ASSERT_TRUE(store->Flush().ok());
  EXPECT_EQ((*store->GetDocument(doc.id))->sources.size(), 1u);
  ASSERT_TRUE(store->DetachSource("/in/copy/a.pdf").ok());
  ASSERT_TRUE(store->Flush().ok());
  EXPECT_FALSE(store->GetDocument(doc.id)->has_value());
  EXPECT_EQ(Hits(*store, "shared"), 0u);
  EXPECT_EQ(store->Stats()->source_paths, 0u);
}

TEST(StoreTest, OneWriterAtATimeAndReadersAlongside) {
  TempDir dir;
  auto writer = OpenWriter(dir.path());
  auto second = Store::Open(dir.path(), StoreMode::kReadWrite);
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.status().code(), StatusCode::kUnavailable);
  EXPECT_NE(second.status().message().find("another dossier process"), std::string::npos) << second.status().message();

  auto reader = Store::Open(dir.path(), StoreMode::kReadOnly);
  ASSERT_TRUE(reader.ok()) << reader.status().ToString();
  EXPECT_EQ(Hits(**reader, "later"), 0u);
  ASSERT_TRUE(writer->PutDocument(MakeDocument("late", "/in/late.pdf", {"added later"})).ok());
  ASSERT_TRUE(writer->Flush().ok());
  ASSERT_TRUE((*reader)->Refresh().ok());
  EXPECT_EQ(Hits(**reader, "later"), 1u);
  EXPECT_EQ((*reader)->Stats()->documents, 1u);
}

// A reader keeps the pages its hits showed (Store::Search), each for the
// data it read: once the writer has changed a document's page, the reader
// shows it as it is after its next refresh, not as it kept it.
TEST(StoreTest, AReaderShowsAHitsPageAsItIsAfterTheDocumentChanged) {
  TempDir dir;
  auto writer = OpenWriter(dir.path());
  ASSERT_TRUE(writer->PutDocument(MakeDocument("well", "/in/well.pdf", {"Boreholes were drilled in the north."})).ok());
  ASSERT_TRUE(writer->Flush().ok());
  auto reader = Store::Open(dir.path(), StoreMode::kReadOnly);
  ASSERT_TRUE(reader.ok()) << reader.status().ToString();
  auto snippet = [&]() {
    SearchRequest request;
    request.query = "boreholes";
    Result<SearchResponse> r = (*reader)->Search(request);
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() && r->hits.size() == 1 ? r->hits[0].snippet_html : std::string("(no single hit)");
  };
  EXPECT_NE(snippet().find("north"), std::string::npos);
  EXPECT_NE(snippet().find("north"), std::string::npos) << "kept, and shown again";
  // The same document (its id) extracted anew, with other text on its page.
  ASSERT_TRUE(writer->PutDocument(MakeDocument("well", "/in/well.pdf", {"Boreholes were drilled in the south."})).ok());
  ASSERT_TRUE(writer->Flush().ok());
  ASSERT_TRUE((*reader)->Refresh().ok());
  const std::string after = snippet();
  EXPECT_NE(after.find("south"), std::string::npos) << after;
  EXPECT_EQ(after.find("north"), std::string::npos) << after;
}

TEST(StoreTest, YearRangesMayBeOpenAtEitherEnd) {
  TempDir dir;
  auto writer = OpenWriter(dir.path());
  Document old_report = MakeDocument("old", "/in/old.pdf", {"annual report of the mission"});
  old_report.date = "1895-03-01";  // the date the ingester chose (title_date.h)
  Document new_report = MakeDocument("new", "/in/new.pdf", {"annual report of the office"});
  new_report.date = "2023-06";
  ASSERT_TRUE(writer->PutDocument(old_report).ok());
  ASSERT_TRUE(writer->PutDocument(new_report).ok());
  ASSERT_TRUE(writer->Flush().ok());
  auto hits = [&](std::optional<int> from, std::optional<int> to) {
    SearchRequest request;
    request.query = "report";
    request.year_from = from;
    request.year_to = to;
    Result<SearchResponse> r = writer->Search(request);
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    std::vector<std::string> titles;
    if (r.ok()) for (const SearchHit& hit : r->hits) titles.push_back(hit.id == old_report.id ? "old" : "new");
    std::sort(titles.begin(), titles.end());
    return titles;
  };
  using V = std::vector<std::string>;
  EXPECT_EQ(hits(1890, std::nullopt), (V{"new", "old"}));
  EXPECT_EQ(hits(std::nullopt, 1900), V{"old"});
  EXPECT_EQ(hits(2000, std::nullopt), V{"new"});
  EXPECT_EQ(hits(1800, 1899), V{"old"});
  EXPECT_EQ(hits(2023, 2023), V{"new"});
  EXPECT_EQ(hits(2024, std::nullopt), V{});
}

// An index made before accent folding and elision splitting (no text format
// recorded) is re-indexed from the stored pages at the next read-write open.
// A writer's handle has no facet columns: the adjacency boost reads each
// candidate's language from its index entry, and the document with the
// words side by side still ranks first, in English as in French, with
// both languages in the index.
TEST(StoreTest, AWritersSearchBoostsWordsSideBySideInEachLanguage) {
  TempDir dir;
  auto writer = OpenWriter(dir.path());
  ASSERT_TRUE(writer);
  const std::vector<std::pair<std::string, Document>> documents = {
      {"beside", MakeDocument("beside", "/in/beside.pdf", {"The cold chain held all week; it was cold."})},
      {"apart", MakeDocument("apart", "/in/apart.pdf", {"Cold rooms, a chain, cold nights and a chain again, cold."})},
      {"pres", MakeDocument("pres", "/in/pres.pdf", {"La chaîne du froid a tenu. Il faisait froid."}, "fr")},
      {"loin", MakeDocument("loin", "/in/loin.pdf", {"Une chaîne, du vent, le froid, une chaîne et le froid encore."}, "fr")},
  };
  for (const auto& [name, doc] : documents) ASSERT_TRUE(writer->PutDocument(doc).ok()) << name;
  ASSERT_TRUE(writer->Flush().ok());
  auto first = [&](const std::string& query) {
    SearchRequest request;
    request.query = query;
    Result<SearchResponse> r = writer->Search(request);
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    if (!r.ok() || r->hits.empty()) return std::string("none");
    for (const auto& [name, doc] : documents) {
      if (doc.id == r->hits[0].id) return name;
    }
    return std::string("unknown");
  };
  EXPECT_EQ(first("cold chain"), "beside");
  EXPECT_EQ(first("chaîne froid"), "loin");  // not side by side as typed: BM25 alone
  EXPECT_EQ(first("chaîne du froid"), "pres");
}

// A reader ranks with what it keeps per revision (facet columns: each
// candidate's language for the adjacency boost, the languages whose
// subqueries may match; position lists kept across searches for the best
// pages); a writer's handle keeps none and reads the index. Over documents
// of a few words, in two languages, that often stand side by side, in
// order, or a function word apart, both rank every query's hits alike, with
// the same pages and percentages, whether the reader's lists are read
// afresh or kept from earlier searches.
TEST(StoreTest, AReaderRanksAndChoosesPagesAsAWritersHandleDoes) {
  TempDir dir;
  auto writer = OpenWriter(dir.path());
  ASSERT_TRUE(writer);
  const std::vector<std::string> english = {"cold", "chain", "water", "supply", "audit", "report",
                                            "reports", "the", "of", "and"};
  const std::vector<std::string> french = {"chaîne", "froid", "eau", "rapport", "rapports", "audit", "la", "du", "et"};
  std::mt19937 random(56);
  auto text = [&](const std::vector<std::string>& vocabulary, size_t words) {
    std::string out;
    for (size_t i = 0; i < words; ++i) (out += vocabulary[random() % vocabulary.size()]) += ' ';
    return out;
  };
  for (int d = 0; d < 160; ++d) {
    const bool in_french = d % 4 == 3;
    const std::vector<std::string>& vocabulary = in_french ? french : english;
    std::vector<std::string> pages;
    for (size_t p = 0, n = 1 + random() % 3; p < n; ++p) pages.push_back(text(vocabulary, 4 + random() % 30));
    ASSERT_TRUE(writer->PutDocument(MakeDocument("doc" + std::to_string(d), "/in/" + std::to_string(d) + ".pdf", pages,
                                                 in_french ? "fr" : "en"))
                    .ok());
  }
  ASSERT_TRUE(writer->Flush().ok());
  auto reader = Store::Open(dir.path(), StoreMode::kReadOnly);
  ASSERT_TRUE(reader.ok()) << reader.status().ToString();
  auto ranking = [](const Store& store, const std::string& query) {
    SearchRequest request;
    request.query = query;
    request.limit = 20;
    Result<SearchResponse> r = store.Search(request);
    EXPECT_TRUE(r.ok()) << query << ": " << r.status().ToString();
    std::vector<std::tuple<std::string, uint32_t, int>> hits;
    if (r.ok()) {
      for (const SearchHit& hit : r->hits) hits.emplace_back(hit.id.ToHex(), hit.page, hit.percent);
    }
    return hits;
  };
  std::vector<std::string> queries;
  for (int q = 0; q < 120; ++q) {
    const std::vector<std::string>& vocabulary = q % 3 == 2 ? french : english;
    queries.push_back(text(vocabulary, 2 + q % 3));
  }
  size_t boosted_apart = 0;  // queries whose words reversed rank their hits otherwise: the boost at work
  for (int pass = 0; pass < 2; ++pass) {  // the reader's lists read afresh, then kept
    for (const std::string& query : queries) {
      const auto from_writer = ranking(*writer, query);
      EXPECT_EQ(ranking(**reader, query), from_writer) << query;
      if (pass == 0) {
        std::istringstream in(query);
        std::vector<std::string> words{std::istream_iterator<std::string>(in), std::istream_iterator<std::string>()};
        std::reverse(words.begin(), words.end());
        std::string reversed;
        for (const std::string& word : words) (reversed += word) += ' ';
        const auto reversed_hits = ranking(*writer, reversed);
        boosted_apart += !from_writer.empty() && reversed_hits != from_writer;
      }
    }
  }
  EXPECT_GE(boosted_apart, 20u) << "too few queries that the boost reorders: the test would not tell";
}

TEST(StoreTest, AnIndexOfAnOlderTextFormatIsRebuiltAtOpen) {
  TempDir dir;
  {
    auto writer = OpenWriter(dir.path());
    EXPECT_EQ(writer->IndexRebuiltAtOpen(), 0u);  // a new data folder has nothing to re-index
    ASSERT_TRUE(writer->PutDocument(MakeDocument("fr", "/in/fr.pdf", {"Le rapport d’évaluation de l’équipe"}, "fr")).ok());
    ASSERT_TRUE(writer->PutDocument(MakeDocument("en", "/in/en.pdf", {"The evaluation report"})).ok());
    ASSERT_TRUE(writer->Flush().ok());
  }
  {
    // What an older build leaves: no format, and page words as typed only.
    Xapian::WritableDatabase db(dir.path() + "/xapian", Xapian::DB_OPEN);
    db.set_metadata("dossier.text_format", "");
    for (Xapian::PostingIterator p = db.postlist_begin(""); p != db.postlist_end(""); ++p) {
      Xapian::Document doc = db.get_document(*p);
      std::vector<std::string> folded;
      for (auto t = doc.termlist_begin(); t != doc.termlist_end(); ++t) {
        if ((*t).rfind("XF", 0) == 0 || (*t).rfind("ZXF", 0) == 0) folded.push_back(*t);
      }
      for (const std::string& term : folded) doc.remove_term(term);
      db.replace_document(*p, doc);
    }
    db.commit();
  }
  {
    auto reader = Store::Open(dir.path(), StoreMode::kReadOnly);
    ASSERT_TRUE(reader.ok());
    EXPECT_EQ(Hits(**reader, "equipe"), 0u);  // an old index still answers, without folding
    EXPECT_EQ(Hits(**reader, "évaluation"), 2u);  // "evaluation" in English matches as folded
  }
  {
    auto writer = OpenWriter(dir.path());
    EXPECT_EQ(writer->IndexRebuiltAtOpen(), 2u);
    EXPECT_EQ(Hits(*writer, "equipe"), 1u);
    EXPECT_EQ(Hits(*writer, "entrepreneuriat OR evaluation"), 2u);
  }
  EXPECT_EQ(OpenWriter(dir.path())->IndexRebuiltAtOpen(), 0u);  // once only
}

uint32_t BestPageOf(const Store& store, const std::string& query) {
  SearchRequest request;
  request.query = query;
  Result<SearchResponse> r = store.Search(request);
  EXPECT_TRUE(r.ok()) << r.status().ToString();
  return r.ok() && !r->hits.empty() ? r->hits[0].page : 0;
}

// The first positions of each page, from an entry's value 6 (pairs of
// varint increases: page number, first position).
std::vector<Xapian::termpos> PageStarts(const std::string& value) {
  std::vector<Xapian::termpos> starts;
  uint64_t fields[2] = {0, 0}, n = 0;
  int field = 0, shift = 0;
  for (unsigned char byte : value) {
    n |= static_cast<uint64_t>(byte & 0x7F) << shift;
    shift += 7;
    if (byte & 0x80) continue;
    fields[field] += n;
    if (field == 1) starts.push_back(static_cast<Xapian::termpos>(fields[1]));
    field = 1 - field;
    n = 0;
    shift = 0;
  }
  return starts;
}

// Text format 5 puts each page's words right after the previous page's (64
// positions apart) and says in value 6 where each page starts, and keeps the
// positions of a word that is its own stem under the word only; format 6
// leaves the same gap before the first page too; format 4
// put page p's at (p-1) * 2^18 + 1. A reader of a format-4 index finds pages
// where that format put them; the next writer's open indexes it again.
TEST(StoreTest, PagesAreFoundWhereTheIndexFormatPutThem) {
  TempDir dir;
  {
    auto writer = WriterWithPages(dir.path(), "three",
                                  {"first page about budgets", "second page about wells",
                                   "third page about wells, schools and wells"});
    ASSERT_TRUE(writer);
    EXPECT_EQ(BestPageOf(*writer, "budgets"), 1u);
    EXPECT_EQ(BestPageOf(*writer, "wells"), 3u);
    EXPECT_EQ(BestPageOf(*writer, "\"second page\""), 2u);
    EXPECT_EQ(Hits(*writer, "\"budgets second\""), 0u) << "a phrase does not run across a page break";
  }
  {
    Xapian::WritableDatabase db(dir.path() + "/xapian", Xapian::DB_OPEN);
    Xapian::Document entry = db.get_document(1);
    const std::vector<Xapian::termpos> starts = PageStarts(entry.get_value(6));
    ASSERT_EQ(starts.size(), 3u);
    EXPECT_EQ(starts[0], 64u + 1u) << "page 1 after the gap";
    EXPECT_EQ(starts[1], starts[0] + 4u + 64u) << "page 2 follows page 1's four words and the gap";
    // "page" is its own English stem: its positions are the word's only, and
    // the stem keeps its wdf; "wells" (stem "well") has both.
    EXPECT_EQ(db.positionlist_begin(1, "Zpage"), db.positionlist_end(1, "Zpage"));
    EXPECT_EQ(std::distance(db.positionlist_begin(1, "page"), db.positionlist_end(1, "page")), 3);
    Xapian::TermIterator stem = entry.termlist_begin();
    stem.skip_to("Zpage");
    ASSERT_EQ(*stem, "Zpage");
    EXPECT_EQ(stem.get_wdf(), 3u);
    EXPECT_EQ(std::distance(db.positionlist_begin(1, "Zwell"), db.positionlist_end(1, "Zwell")), 3);
    // What format 4 wrote: the same words, page p's from (p-1) * 2^18 + 1, no value 6.
    Xapian::Document old;
    for (auto t = entry.termlist_begin(); t != entry.termlist_end(); ++t) {
      old.add_term(*t, t.get_wdf());
      for (auto p = t.positionlist_begin(); p != t.positionlist_end(); ++p) {
        const size_t page = std::upper_bound(starts.begin(), starts.end(), *p) - starts.begin();
        old.add_posting(*t, (page - 1) * (1u << 18) + (*p - starts[page - 1]) + 1, 0);
      }
    }
    for (auto v = entry.values_begin(); v != entry.values_end(); ++v) {
      if (v.get_valueno() != 6) old.add_value(v.get_valueno(), *v);
    }
    db.replace_document(1, old);
    db.set_metadata("dossier.text_format", "4");
    db.commit();
  }
  {
    auto reader = Store::Open(dir.path(), StoreMode::kReadOnly);
    ASSERT_TRUE(reader.ok());
    EXPECT_EQ(BestPageOf(**reader, "budgets"), 1u);
    EXPECT_EQ(BestPageOf(**reader, "wells"), 3u);
    EXPECT_EQ(BestPageOf(**reader, "\"second page\""), 2u);
  }
  {
    auto writer = OpenWriter(dir.path());
    EXPECT_EQ(writer->IndexRebuiltAtOpen(), 1u);
    EXPECT_FALSE(writer->ItemsOnlyRebuiltAtOpen());
    EXPECT_EQ(BestPageOf(*writer, "wells"), 3u);
  }
  Xapian::Database db(dir.path() + "/xapian");
  EXPECT_EQ(PageStarts(db.get_document(1).get_value(6)).size(), 3u) << "made again with its page starts";
}

// The best page leaves out the function words of the entry's language
// ("the", "of") when the query has other words: they stand on every page,
// and counted they chose the page with the most of them. A query of
// function words alone still chooses by them, and so does a phrase.
TEST(StoreTest, TheBestPageIsChosenByTheQuerysOtherWordsThanItsFunctionWords) {
  TempDir dir;
  auto writer = WriterWithPages(dir.path(), "wells",
                                {"the review of the district wells and the plans of the board for the year",
                                 "wells dug and wells repaired",
                                 "the the the the of of of of the of the of the",
                                 "they said the wells of the"});
  ASSERT_TRUE(writer);
  auto reader = Store::Open(dir.path(), StoreMode::kReadOnly);
  ASSERT_TRUE(reader.ok()) << reader.status().ToString();
  for (const Store* store : {writer.get(), reader->get()}) {
    EXPECT_EQ(BestPageOf(*store, "the wells"), 2u) << "two wells, not the most of the";
    EXPECT_EQ(BestPageOf(*store, "wells of the"), 2u);
    EXPECT_EQ(BestPageOf(*store, "the of"), 3u) << "function words alone count";
    EXPECT_EQ(BestPageOf(*store, "\"wells of the\""), 4u) << "a phrase counts before the words";
    EXPECT_EQ(BestPageOf(*store, "\"the wells\" dug"), 4u);
  }
}

// Three pages: "wells" on pages 2 and 3 once each, "schools" on page 3,
// "budgets" on page 1, "page" on every one.
const std::vector<std::string> kThreePages = {"first page about budgets", "second page about wells",
                                              "third page about wells and schools"};

// The best page is tallied in a flat array by page number, and in a map past
// 65,536 pages (a damaged value 6 that still decodes gives such numbers):
// either way the page with most matches wins, the lowest number on a tie.
TEST(StoreTest, TheBestPageIsChosenAlikeBelowAndPastTheFlatTally) {
  TempDir dir;
  {
    auto writer = WriterWithPages(dir.path(), "pages", kThreePages);
    ASSERT_TRUE(writer);
    EXPECT_EQ(BestPageOf(*writer, "wells"), 2u) << "a tie: the lower page";
    EXPECT_EQ(BestPageOf(*writer, "schools"), 3u);
    EXPECT_EQ(BestPageOf(*writer, "budgets"), 1u);
    EXPECT_EQ(BestPageOf(*writer, "wells schools"), 3u) << "more of the query's words";
  }
  {
    // Pages 1, 70,000 and 70,001, each starting where it did.
    Xapian::WritableDatabase db(dir.path() + "/xapian", Xapian::DB_OPEN);
    Xapian::Document entry = db.get_document(1);
    const std::vector<Xapian::termpos> starts = PageStarts(entry.get_value(6));
    ASSERT_EQ(starts.size(), 3u);
    auto varint = [](uint64_t n, std::string* out) {
      for (; n >= 0x80; n >>= 7) out->push_back(static_cast<char>((n & 0x7F) | 0x80));
      out->push_back(static_cast<char>(n));
    };
    std::string value;
    for (const auto& [page_step, start_step] :
         std::vector<std::pair<uint64_t, uint64_t>>{{1, starts[0]}, {69999, starts[1] - starts[0]}, {1, starts[2] - starts[1]}}) {
      varint(page_step, &value);
      varint(start_step, &value);
    }
    entry.add_value(6, value);
    db.replace_document(1, entry);
    db.commit();
  }
  auto reader = Store::Open(dir.path(), StoreMode::kReadOnly);
  ASSERT_TRUE(reader.ok()) << reader.status().ToString();
  EXPECT_EQ(BestPageOf(**reader, "wells"), 70000u) << "a tie past the flat tally: the lower page";
  EXPECT_EQ(BestPageOf(**reader, "schools"), 70001u);
  EXPECT_EQ(BestPageOf(**reader, "budgets"), 1u);
  EXPECT_EQ(BestPageOf(**reader, "wells schools"), 70001u);
  EXPECT_EQ(BestPageOf(**reader, "page"), 1u) << "a tie across both tallies: the flat one's page";
}

// A value 6 that does not decode (its last varint cut off) maps every
// position to page 1, whether the search decodes it or finds it decoded by
// an earlier one (the reader keeps it in its position cache).
TEST(StoreTest, AnEntryWhosePageStartsDoNotDecodeHasItsMatchesOnPageOne) {
  TempDir dir;
  {
    auto writer = WriterWithPages(dir.path(), "pages", kThreePages);
    ASSERT_TRUE(writer);
    EXPECT_EQ(BestPageOf(*writer, "schools"), 3u);
  }
  {
    Xapian::WritableDatabase db(dir.path() + "/xapian", Xapian::DB_OPEN);
    Xapian::Document entry = db.get_document(1);
    std::string value = entry.get_value(6);
    ASSERT_EQ(PageStarts(value).size(), 3u);
    ASSERT_LT(static_cast<unsigned char>(value.back()), 0x80) << "the last page's start step ends the value";
    value.pop_back();
    entry.add_value(6, value);
    db.replace_document(1, entry);
    db.commit();
  }
  auto reader = Store::Open(dir.path(), StoreMode::kReadOnly);
  ASSERT_TRUE(reader.ok()) << reader.status().ToString();
  for (int ask = 1; ask <= 2; ++ask) {
    EXPECT_EQ(BestPageOf(**reader, "schools"), 1u) << "ask " << ask;
    EXPECT_EQ(BestPageOf(**reader, "wells"), 1u) << "ask " << ask;
  }
}

// A hit is described from its record's fields read in one pass; a record
// that pass refuses is read whole: still described when the whole decoder
// accepts it (a field given twice, the first of the wrong kind), a DataLoss
// naming the record when it is damaged.
TEST(StoreTest, AHitsRecordIsReadWholeWhenTheOnePassRefusesIt) {
  TempDir dir;
  Document doc = MakeDocument("rec", "/in/rec.pdf", {"a page about irrigation", "another page"});
  {
    auto store = OpenWriter(dir.path());
    ASSERT_TRUE(store->PutDocument(doc).ok());
    ASSERT_TRUE(store->Flush().ok());
  }
  // Rewrites the record's value with `edit` applied to its JSON text.
  auto rewrite = [&](const std::function<std::string(std::string)>& edit) {
    rocksdb::Options options;
    std::vector<std::string> names;
    const std::string path = dir.path() + "/rocksdb";
    ASSERT_TRUE(rocksdb::DB::ListColumnFamilies(options, path, &names).ok());
    std::vector<rocksdb::ColumnFamilyDescriptor> descriptors;
    for (const std::string& name : names) descriptors.emplace_back(name, rocksdb::ColumnFamilyOptions());
    std::vector<rocksdb::ColumnFamilyHandle*> handles;
    rocksdb::DB* db = nullptr;
    ASSERT_TRUE(rocksdb::DB::Open(options, path, descriptors, &handles, &db).ok());
    rocksdb::ColumnFamilyHandle* documents =
        handles[std::find(names.begin(), names.end(), std::string(keys::kDocumentsCf)) - names.begin()];
    std::string value;
    ASSERT_TRUE(db->Get(rocksdb::ReadOptions(), documents, keys::DocumentKey(doc.id), &value).ok());
    ASSERT_TRUE(db->Put(rocksdb::WriteOptions(), documents, keys::DocumentKey(doc.id), edit(value)).ok());
    for (auto* h : handles) db->DestroyColumnFamilyHandle(h);
    delete db;
  };
  auto search = [&]() {
    auto store = Store::Open(dir.path(), StoreMode::kReadOnly);
    EXPECT_TRUE(store.ok()) << store.status().ToString();
    SearchRequest request;
    request.query = "irrigation";
    return store.ok() ? (*store)->Search(request) : Result<SearchResponse>(store.status());
  };
  // {"title": 7, ...the record...}: the whole decoder keeps the last title.
  rewrite([](std::string v) { return "{\"title\":7," + v.substr(1); });
  Result<SearchResponse> found = search();
  ASSERT_TRUE(found.ok()) << found.status().ToString();
  ASSERT_EQ(found->hits.size(), 1u);
  EXPECT_EQ(found->hits[0].title, "Title of rec");
  EXPECT_EQ(found->hits[0].page_count, 2u);
  EXPECT_EQ(found->hits[0].source_paths, (std::vector<std::string>{"/in/rec.pdf"}));
  // A page count that is not a count: damaged.
  rewrite([](std::string v) {
    const size_t at = v.find("\"page_count\":2");
    EXPECT_NE(at, std::string::npos) << v;
    return at == std::string::npos ? v : v.replace(at, 14, "\"page_count\":-1");
  });
  found = search();
  ASSERT_FALSE(found.ok());
  EXPECT_EQ(found.status().code(), StatusCode::kDataLoss);
  EXPECT_NE(found.status().message().find("document record " + doc.id.ToHex() + " is damaged"), std::string::npos)
      << found.status().ToString();
}

TEST(StoreTest, DataVersionMovesOnlyWhenARefreshSeesACommit) {
  TempDir dir;
  auto writer = OpenWriter(dir.path());
  ASSERT_TRUE(writer->PutDocument(MakeDocument("first", "/in/first.pdf", {"first text"})).ok());
  ASSERT_TRUE(writer->Flush().ok());
  auto reader = Store::Open(dir.path(), StoreMode::kReadOnly);
  ASSERT_TRUE(reader.ok()) << reader.status().ToString();
  const uint64_t opened = (*reader)->DataVersion();
  ASSERT_TRUE((*reader)->Refresh().ok());
  EXPECT_EQ((*reader)->DataVersion(), opened) << "nothing was committed since the reader opened";

  ASSERT_TRUE(writer->PutDocument(MakeDocument("second", "/in/second.pdf", {"second text"})).ok());
  ASSERT_TRUE(writer->Flush().ok());
  EXPECT_EQ((*reader)->DataVersion(), opened) << "changes only at a refresh";
  ASSERT_TRUE((*reader)->Refresh().ok());
  const uint64_t after_commit = (*reader)->DataVersion();
  EXPECT_NE(after_commit, opened);
  ASSERT_TRUE((*reader)->Refresh().ok());
  EXPECT_EQ((*reader)->DataVersion(), after_commit);
}

// A hit's title and paths are kept across searches (Store::Impl::hit_fields)
// for one data version: a document changed since shows as it is now, in a
// reader after its refresh and in the writer itself.
TEST(StoreTest, AHitShowsItsDocumentAsItIsNowAfterAChange) {
  TempDir dir;
  auto writer = OpenWriter(dir.path());
  ASSERT_TRUE(writer->PutDocument(MakeDocument("kept", "/in/kept.pdf", {"evaluation of the mission"})).ok());
  ASSERT_TRUE(writer->Flush().ok());
  auto reader = Store::Open(dir.path(), StoreMode::kReadOnly);
  ASSERT_TRUE(reader.ok()) << reader.status().ToString();
  auto first_hit = [](const Store& store) {
    SearchRequest request;
    request.query = "mission";
    Result<SearchResponse> r = store.Search(request);
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() && !r->hits.empty() ? r->hits[0] : SearchHit();
  };
  for (int i = 0; i < 2; ++i) {  // the second search finds the fields the first kept
    EXPECT_EQ(first_hit(**reader).title, "Title of kept");
    EXPECT_EQ(first_hit(*writer).title, "Title of kept");
  }
  Document changed = MakeDocument("kept", "/in/renamed.pdf", {"evaluation of the mission"});
  changed.title = "A new title";
  ASSERT_TRUE(writer->PutDocument(changed).ok());
  ASSERT_TRUE(writer->Flush().ok());
  EXPECT_EQ(first_hit(*writer).title, "A new title");
  EXPECT_EQ(first_hit(**reader).title, "Title of kept") << "a reader sees the change at its refresh";
  ASSERT_TRUE((*reader)->Refresh().ok());
  const SearchHit now = first_hit(**reader);
  EXPECT_EQ(now.title, "A new title");
  EXPECT_EQ(now.source_paths, (std::vector<std::string>{"/in/kept.pdf", "/in/renamed.pdf"})) << "the same content at a second path";
}

TEST(StoreTest, AClosedWriterLeavesTablesNotJustItsLog) {
  TempDir dir;
  {
    auto writer = OpenWriter(dir.path());
    ASSERT_TRUE(writer->PutDocument(MakeDocument("kept", "/in/kept.pdf", {"kept text"})).ok());
    ASSERT_TRUE(writer->Flush().ok());
  }
  uint64_t sst_files = 0, log_bytes = 0;
  for (const auto& entry : fs::directory_iterator(fs::path(dir.path()) / "rocksdb")) {
    if (entry.path().extension() == ".sst") ++sst_files;
    if (entry.path().extension() == ".log") log_bytes += entry.file_size();
  }
  EXPECT_GT(sst_files, 0u) << "a reader would have to replay the whole write-ahead log";
  EXPECT_EQ(log_bytes, 0u);
  auto reader = Store::Open(dir.path(), StoreMode::kReadOnly);
  ASSERT_TRUE(reader.ok()) << reader.status().ToString();
  EXPECT_EQ(Hits(**reader, "kept"), 1u);
}

TEST(StoreTest, ReadOnlyOpenOfAMissingFolderSaysWhatToDo) {
  TempDir dir;
  auto reader = Store::Open(dir / "nothing-here", StoreMode::kReadOnly);
  ASSERT_FALSE(reader.ok());
  EXPECT_EQ(reader.status().code(), StatusCode::kNotFound);
  EXPECT_NE(reader.status().message().find("dossier ingest"), std::string::npos);
}

TEST(StoreCrashTest, AWriterKilledBeforeTheIndexCommitIsFinishedOnReopen) {
  TempDir dir;
  Document doc = MakeDocument("crash", "/in/crash.pdf", {"evidence of resilience", "more pages"});
  InKilledChild([&] {
    auto store = Store::Open(dir.path(), StoreMode::kReadWrite);
    if (!store.ok() || !(*store)->PutDocument(doc).ok()) ::_exit(1);
    ::_exit(0);  // killed here: RocksDB has the document, Xapian never committed it
  });
  {
    auto reader = Store::Open(dir.path(), StoreMode::kReadOnly);
    ASSERT_TRUE(reader.ok());
    EXPECT_EQ((*reader)->Stats()->pending, 1u);
    EXPECT_EQ(Hits(**reader, "resilience"), 0u);
  }
  auto store = OpenWriter(dir.path());  // repairs
  EXPECT_EQ(store->RepairedAtOpen().reindexed, 1u);
  EXPECT_EQ(store->RepairedAtOpen().removed, 0u);
  EXPECT_EQ(Hits(*store, "resilience"), 1u);
  auto stats = store->Stats();
  EXPECT_EQ(stats->pending, 0u);
  EXPECT_EQ(stats->documents, 1u);
  EXPECT_EQ(stats->index_entries, 1u);
}

// The ingest that opens such a folder says what it finished in its report
// ("repaired"), as bench/kill9.sh reads it.
TEST(StoreCrashTest, TheNextIngestReportsWhatItRepaired) {
  TempDir dir;
  Document doc = MakeDocument("crash", "/in/crash.pdf", {"evidence of resilience"});
  InKilledChild([&] {
    auto store = Store::Open(dir / "data", StoreMode::kReadWrite);
    if (!store.ok() || !(*store)->PutDocument(doc).ok()) ::_exit(1);
    ::_exit(0);  // killed before the index commit
  });
  testing::WriteFile(dir / "in/memo.txt", "A memo on resilience.");
  testing::CommandResult r = testing::RunDossier(dir / "data", {"ingest", "--json", dir / "in"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("\"repaired\": {\"reindexed\":1,\"removed\":0}"), std::string::npos) << r.out;
}

TEST(StoreCrashTest, AWriterKilledMidRemovalFinishesTheRemovalOnReopen) {
  TempDir dir;
  Document doc = MakeDocument("gone", "/in/gone.pdf", {"soon removed"});
  {
    auto store = OpenWriter(dir.path());
    ASSERT_TRUE(store->PutDocument(doc).ok());
    ASSERT_TRUE(store->Flush().ok());
  }
  InKilledChild([&] {
    auto store = Store::Open(dir.path(), StoreMode::kReadWrite);
    if (!store.ok() || !(*store)->RemoveDocument(doc.id).ok()) ::_exit(1);
    ::_exit(0);  // before the index commit
  });
  auto store = OpenWriter(dir.path());
  EXPECT_EQ(store->RepairedAtOpen().removed, 1u);
  EXPECT_FALSE(store->GetDocument(doc.id)->has_value());
  EXPECT_EQ(Hits(*store, "removed"), 0u);
  auto stats = store->Stats();
  EXPECT_EQ(stats->documents, 0u);
  EXPECT_EQ(stats->index_entries, 0u);
  EXPECT_EQ(stats->source_paths, 0u);
  EXPECT_EQ(stats->pending, 0u);
}

TEST(StoreCrashTest, KilledAfterPartOfABatchKeepsEveryDocumentWhole) {
  TempDir dir;
  std::vector<Document> docs;
  for (int i = 0; i < 5; ++i) {
    docs.push_back(MakeDocument("batch" + std::to_string(i), "/in/" + std::to_string(i) + ".pdf",
                                {"batch document number" + std::to_string(i), "common page"}));
  }
  InKilledChild([&] {
    auto store = Store::Open(dir.path(), StoreMode::kReadWrite);
    if (!store.ok()) ::_exit(1);
    for (int i = 0; i < 5; ++i) {
      if (!(*store)->PutDocument(docs[i]).ok()) ::_exit(1);
      if (i == 1 && !(*store)->Flush().ok()) ::_exit(1);  // two committed, three not
    }
    ::_exit(0);
  });
  auto store = OpenWriter(dir.path());
  auto stats = store->Stats();
  EXPECT_EQ(stats->documents, 5u);
  EXPECT_EQ(stats->index_entries, 5u);
  EXPECT_EQ(stats->pending, 0u);
  EXPECT_EQ(Hits(*store, "common"), 5u);
}

// Sets an environment variable for a scope, and puts back what it was.
class ScopedEnv {
 public:
  ScopedEnv(const char* name, const std::string& value) : name_(name) {
    if (const char* old = std::getenv(name)) saved_ = old;
    ::setenv(name, value.c_str(), 1);
  }
  ~ScopedEnv() {
    if (saved_) {
      ::setenv(name_, saved_->c_str(), 1);
    } else {
      ::unsetenv(name_);
    }
  }

 private:
  const char* name_;
  std::optional<std::string> saved_;
};

// A reader's scratch folder (its RocksDB secondary instance's log) carries
// its process id and a lock file it holds; the folders of processes that
// died without closing their Store (SIGKILL, Ctrl-C on a CLI command) are
// removed by the next reader, unless their lock is held (a process of
// another namespace sharing the temporary directory) or, without a lock
// file, they are less than a minute old.
TEST(StoreTest, AReaderRemovesTheScratchFoldersOfReadersThatDied) {
  TempDir dir, tmp;
  { auto writer = OpenWriter(dir.path()); }
  ScopedEnv tmpdir("TMPDIR", tmp.path());

  const pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) ::_exit(0);
  ASSERT_EQ(::waitpid(child, nullptr, 0), child);  // its pid now names no process
  const std::string dead_pid = std::to_string(child);
  const std::string dead = "dossier-reader-" + dead_pid + "-a1B2c3";          // its lock free
  const std::string held = "dossier-reader-" + dead_pid + "-h3L4d5";          // its lock held
  const std::string unlocked_old = "dossier-reader-" + dead_pid + "-o1D2e3";  // no lock file, old
  const std::string unlocked_new = "dossier-reader-" + dead_pid + "-n4E5w6";  // no lock file, new
  const std::string live = "dossier-reader-1-d4E5f6";   // init runs
  const std::string other = "dossier-reader-q7R8s9";    // no pid: not ours to judge
  const std::string file = "dossier-reader-" + dead_pid + "-t0U1v2";  // not a folder
  for (const std::string& name : {dead, held, unlocked_old, unlocked_new, live, other}) {
    std::filesystem::create_directories(tmp / name);
    testing::WriteFile(tmp / name + "/LOG", "left by a reader\n");
  }
  testing::WriteFile(tmp / dead + "/reader.lock", "");
  testing::WriteFile(tmp / held + "/reader.lock", "");
  const int held_lock = ::open((tmp / held + "/reader.lock").c_str(), O_RDWR | O_CLOEXEC);
  ASSERT_GE(held_lock, 0);
  ASSERT_EQ(::flock(held_lock, LOCK_EX | LOCK_NB), 0);
  const struct timeval two_minutes_ago[2] = {{::time(nullptr) - 120, 0}, {::time(nullptr) - 120, 0}};
  ASSERT_EQ(::utimes((tmp / unlocked_old).c_str(), two_minutes_ago), 0);
  testing::WriteFile(tmp / file, "");

  auto names = [&] {
    std::set<std::string> found;
    for (const auto& entry : std::filesystem::directory_iterator(tmp.path())) found.insert(entry.path().filename());
    return found;
  };
  const std::set<std::string> kept = {held, unlocked_new, live, other, file};
  {
    auto reader = Store::Open(dir.path(), StoreMode::kReadOnly);
    ASSERT_TRUE(reader.ok()) << reader.status().ToString();
    std::set<std::string> during = names();
    const std::string own_prefix = "dossier-reader-" + std::to_string(::getpid()) + "-";
    std::string own;
    for (const std::string& name : during) {
      if (name.rfind(own_prefix, 0) == 0) own = name;
    }
    ASSERT_FALSE(own.empty());
    during.erase(own);
    EXPECT_EQ(during, kept);
    // Its lock is held: another reader's sweep leaves its folder.
    const int own_lock = ::open((tmp / own + "/reader.lock").c_str(), O_RDWR | O_CLOEXEC);
    ASSERT_GE(own_lock, 0);
    EXPECT_NE(::flock(own_lock, LOCK_EX | LOCK_NB), 0);
    ::close(own_lock);
  }
  EXPECT_EQ(names(), kept);  // its own folder goes when it closes
  ::close(held_lock);
}

}  // namespace
}  // namespace dossier
