// Tests of search through the query service: stemming per language, phrases,
// operators, prefixes, filters, pagination, snippets and bad queries.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <map>
#include <memory>
#include <random>
#include <set>
#include <tuple>
#include <vector>

#include "dossier/ingest.h"
#include "dossier/query_service.h"
#include "dossier/store.h"
#include "support/test_support.h"

namespace dossier {
namespace {

using testing::TempDir;
using testing::WriteFile;

// A page of `service`'s results for `query` (an empty response, the test
// failed, when the search fails).
SearchResponse SearchWith(const QueryService& service, const std::string& query, uint32_t limit = 10,
                          uint32_t offset = 0) {
  SearchRequest request;
  request.query = query;
  request.limit = limit;
  request.offset = offset;
  Result<SearchResponse> response = service.Search(request);
  EXPECT_TRUE(response.ok()) << query << ": " << response.status().ToString();
  return response.ok() ? *response : SearchResponse{};
}

class SearchTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new TempDir();
    const std::string in = *dir_ / "in";
    WriteFile(in + "/water.txt",
              "Evaluation of the Rural Water Programme\nThe programme built wells.\f"
              "Page two says the evaluations recommended decentralization of maintenance.\f"
              "Page three is about budgets.");
    WriteFile(in + "/memo.txt",
              "Memorandum on staffing\nThe office must recruit two engineers. "
              "Best-practice experience was shared with the regional office.");
    WriteFile(in + "/escuelas.txt",
              "Evaluación del Programa de Alimentación Escolar\nLas recomendaciones de la evaluación "
              "proponen fortalecer la gestión de los comedores escolares en las regiones.");
    // Written for these tests: French with elisions and typographic
    // apostrophes, and Spanish typed without its accents.
    WriteFile(in + "/rapport.txt",
              "Rapport d’évaluation finale du projet d’appui aux jeunes\n"
              "L’entrepreneuriat des jeunes femmes progresse dans les trois régions du projet. "
              "Selon l’équipe d’évaluation, l’entrepreneuriat rural reste fragile : les coopératives "
              "n’ont pas encore reçu d’appui durable et l’UNICEF souhaite qu’elles soient mieux "
              "accompagnées jusqu’à la fin de la deuxième phase.");
    WriteFile(in + "/nota.txt",
              "Nota rapida sobre la evaluacion del proyecto de riego\n"
              "La evaluacion no incluyo visitas a las comunidades del valle porque los caminos "
              "estaban cortados. El equipo de UNICEF pide que la proxima mision dure dos semanas "
              "y que los informes se entreguen antes del cierre del ano.");
    // Page 1 has the words of a phrase often, apart; page 2 has the phrase
    // once. Page 3 has one query word many times; page 4 both words once.
    WriteFile(in + "/board.txt",
              "Minutes of the board\nThe audit was long. The committee met. Oversight matters. The audit "
              "team and the committee discussed oversight, audit scope, committee terms and oversight again.\f"
              "Later the audit committee oversight role was confirmed by the chair.\f"
              "Lantern lantern lantern. The lantern shop sold a lantern.\f"
              "A lantern by the harbour.");
    // The query's words as typed in one passage; further down, more than a
    // snippet's length away, more matches, but of stem variants only
    // ("supported", "service"), which Xapian's snippet weighs the same.
    WriteFile(in + "/clinics.txt",
              "Annual note on rural clinics\nIn 2021 the review found that support services for nurses were still "
              "missing, though the nurses were supported by their districts. The districts kept their own "
              "registers, and the nurses travelled between villages on market days, as they had done for years "
              "before the reform. Most registers were kept on paper and sent to the capital each quarter, where "
              "clerks copied them by hand and filed them in the archive. The ministry supported the clinics with "
              "a service for drivers, supported the registers with a service for clerks and supported the "
              "vaccine service in every district, supporting each service with new staff.");
    // French: one word five times on page 1; on page 2 twice, in two forms
    // whose stems differ (Snowball's French stems "microcrédit" and
    // "microcrédits" apart, and each language's parse of the query matches one).
    WriteFile(in + "/prets.txt",
              "Note sur les prêts aux artisans\nLes microcrédits ont aidé les artisans. Les microcrédits sont "
              "remboursés chaque mois. Les microcrédits restent petits, mais les microcrédits sont utiles et les "
              "microcrédits durent un an.\f"
              "La banque du village accorde un microcrédit aux couturières et compte les microcrédits de la saison.");
    // "cold chain" side by side once, and "cold" and "chain" apart, three times each.
    WriteFile(in + "/storage.txt",
              "Storage note\nThe district keeps a cold chain for medicines from the depot to the villages.");
    WriteFile(in + "/weather.txt",
              "Weather note\nThe cold season closed the roads. A chain of trucks waited in the cold while the "
              "chain ferry was mended; cold nights and a broken chain on the gate held the convoy.");
    for (int i = 0; i < 12; ++i) {
      WriteFile(in + "/bulk" + std::to_string(i) + ".txt",
                "Bulk note number " + std::to_string(i) + " mentions logistics and procurement.");
    }
    auto plugins = PluginHost::LoadDirectory(DOSSIER_PLUGIN_DIR);
    auto languages = std::move(LanguageDetector::Create()).value();
    auto mime = std::move(MimeDetector::Create()).value();
    {
      auto store = std::move(Store::Open(*dir_ / "data", StoreMode::kReadWrite)).value();
      Ingester ingester(store.get(), plugins.get(), languages.get(), mime.get());
      ASSERT_TRUE(ingester.Ingest({in}, {}).ok());
    }
    service_ = std::move(QueryService::Open(*dir_ / "data")).value().release();
  }
  static void TearDownTestSuite() {
    delete service_;
    delete dir_;
  }

  static SearchResponse Search(const std::string& query, uint32_t limit = 10, uint32_t offset = 0) {
    return SearchWith(*service_, query, limit, offset);
  }
  static std::string FirstTitle(const std::string& query) {
    SearchResponse r = Search(query);
    return r.hits.empty() ? "" : r.hits[0].title;
  }

  static TempDir* dir_;
  static QueryService* service_;
};
TempDir* SearchTest::dir_ = nullptr;
QueryService* SearchTest::service_ = nullptr;

TEST_F(SearchTest, EnglishStemmingAndTheBestPage) {
  SearchResponse r = Search("evaluation decentralize");  // stems match "evaluations", "decentralization"
  ASSERT_EQ(r.total, 1u);  // documents with both words
  ASSERT_GE(r.hits.size(), 1u);
  EXPECT_TRUE(r.hits[0].all_words);
  EXPECT_EQ(r.hits[0].title, "Evaluation of the Rural Water Programme");
  EXPECT_EQ(r.hits[0].page, 2u);
  EXPECT_EQ(r.hits[0].page_source, TextSource::kPlainText);
  EXPECT_EQ(r.hits[0].language, "en");
  ASSERT_EQ(r.hits[0].source_paths.size(), 1u);
  EXPECT_NE(r.hits[0].snippet_html.find("<mark>decentralization</mark>"), std::string::npos) << r.hits[0].snippet_html;
}

// The best page is where the query matches best: its phrase first, then the
// most of its distinct words, then the most occurrences.
TEST_F(SearchTest, TheBestPageHasThePhraseAndTheMostQueryWords) {
  SearchResponse r = Search("\"audit committee oversight\"");
  ASSERT_EQ(r.hits.size(), 1u);
  EXPECT_EQ(r.hits[0].page, 2u) << r.hits[0].snippet_html;
  EXPECT_NE(r.hits[0].snippet_html.find("<mark>audit committee oversight</mark>"),
            std::string::npos) << r.hits[0].snippet_html;
  r = Search("lantern harbour");
  ASSERT_EQ(r.hits.size(), 1u);
  EXPECT_EQ(r.hits[0].page, 4u) << r.hits[0].snippet_html;
  r = Search("lantern");
  ASSERT_EQ(r.hits.size(), 1u);
  EXPECT_EQ(r.hits[0].page, 3u) << r.hits[0].snippet_html;
}

// A word counts once on a page whatever forms match it (stemmed, unstemmed,
// folded, each language's parse): the page where it occurs most wins, not the
// page where two forms of it each match a different term.
TEST_F(SearchTest, TheBestPageCountsQueryWordsNotTheirTerms) {
  for (const std::string query : {"microcredit", "microcrédit"}) {
    SearchResponse r = Search(query);
    ASSERT_EQ(r.total, 1u) << query;
    EXPECT_EQ(r.hits[0].title, "Note sur les prêts aux artisans") << query;
    EXPECT_EQ(r.hits[0].page, 1u) << query << ": " << r.hits[0].snippet_html;
  }
}

// The files of `in` ingested into a new data folder `data`, and a query
// service on it (null, the test failed, when the ingest fails).
std::unique_ptr<QueryService> IngestAndOpen(const std::string& in, const std::string& data) {
  auto plugins = PluginHost::LoadDirectory(DOSSIER_PLUGIN_DIR);
  auto languages = std::move(LanguageDetector::Create()).value();
  auto mime = std::move(MimeDetector::Create()).value();
  {
    auto store = std::move(Store::Open(data, StoreMode::kReadWrite)).value();
    Ingester ingester(store.get(), plugins.get(), languages.get(), mime.get());
    const Status ingested = ingester.Ingest({in}, {}).status();
    EXPECT_TRUE(ingested.ok()) << ingested.ToString();
    if (!ingested.ok()) return nullptr;
  }
  return std::move(QueryService::Open(data)).value();
}

// Each hit of a page of results gets its own best page, the hits' position
// lists being read term by term for all of them (and not looked up in a hit
// that lacks the term): documents in which the query's words stand on
// different pages, one of the words missing from some of them.
TEST(SearchBestPagesTest, EachHitOfAPageOfResultsHasItsOwnBestPage) {
  TempDir dir;
  const std::string in = dir / "in";
  // The ferry and its timetable: both words on page 3, 2 and 1 in turn.
  WriteFile(in + "/a.txt", "Note A\nThe ferry left. A ferry came. The ferry waited.\fNothing here.\f"
                           "The ferry timetable was posted.");
  WriteFile(in + "/b.txt", "Note B\nThe timetable changed at the quay.\fThe ferry timetable and the ferry.");
  WriteFile(in + "/c.txt", "Note C\nThe ferry timetable is new.\fThe ferry was late. The ferry sank.");
  // No timetable: the ferry, most on page 2; the quay on page 3.
  WriteFile(in + "/d.txt", "Note D\nA ferry.\fThe ferry and the ferry and the ferry.\fThe quay.");
  std::unique_ptr<QueryService> service = IngestAndOpen(in, dir / "data");
  ASSERT_TRUE(service);
  auto pages = [&](const std::string& query) {  // file name -> best page
    SearchRequest request;
    request.query = query;
    Result<SearchResponse> response = service->Search(request);
    EXPECT_TRUE(response.ok()) << response.status().ToString();
    std::map<std::string, uint32_t> page_of;
    if (response.ok()) {
      for (const SearchHit& hit : response->hits) {
        if (!hit.source_paths.empty()) page_of[std::filesystem::path(hit.source_paths[0]).filename().string()] = hit.page;
      }
    }
    return page_of;
  };
  using Pages = std::map<std::string, uint32_t>;
  // (d.txt lacks the timetable: it follows the others, with some of the words.)
  EXPECT_EQ(pages("ferry timetable"), (Pages{{"a.txt", 3}, {"b.txt", 2}, {"c.txt", 1}, {"d.txt", 2}}));
  // The timetable is in three of the four: a page with both words still wins in each.
  EXPECT_EQ(pages("ferry OR timetable"), (Pages{{"a.txt", 3}, {"b.txt", 2}, {"c.txt", 1}, {"d.txt", 2}}));
  // "quay" is in two of the four only; the ferry in all, most on page 2 of b, c and d.
  EXPECT_EQ(pages("ferry OR quay"), (Pages{{"a.txt", 1}, {"b.txt", 2}, {"c.txt", 2}, {"d.txt", 2}}));
  EXPECT_EQ(pages("timetable OR quay"), (Pages{{"a.txt", 3}, {"b.txt", 1}, {"c.txt", 1}, {"d.txt", 3}}));

  // The position lists read are kept across searches (PositionCache): each
  // query asked again of this service, whose cache now holds every list,
  // and of a new one, whose cache is empty, gives the same pages.
  const std::vector<std::string> queries = {"ferry timetable", "ferry OR timetable", "ferry OR quay", "timetable OR quay",
                                            "ferry", "quay ferry"};
  for (const std::string& query : queries) {
    const Pages warm = pages(query);
    auto cold_service = std::move(QueryService::Open(dir / "data")).value();
    SearchRequest request;
    request.query = query;
    Result<SearchResponse> cold = cold_service->Search(request);
    ASSERT_TRUE(cold.ok()) << cold.status().ToString();
    Pages cold_pages;
    for (const SearchHit& hit : cold->hits) cold_pages[std::filesystem::path(hit.source_paths.at(0)).filename().string()] = hit.page;
    EXPECT_EQ(warm, cold_pages) << query;
  }
  // A document removed and the index compacted into another database (a
  // new uuid, its revision back to 1): the open service follows the swap,
  // and the pages are those of the documents left.
  {
    SearchRequest request;
    request.query = "ferry";
    Result<SearchResponse> all = service->Search(request);
    ASSERT_TRUE(all.ok());
    auto store = std::move(Store::Open(dir / "data", StoreMode::kReadWrite)).value();
    for (const SearchHit& hit : all->hits) {
      if (std::filesystem::path(hit.source_paths.at(0)).filename() == "a.txt") {
        ASSERT_TRUE(store->RemoveDocument(hit.id).ok());
      }
    }
    ASSERT_TRUE(store->Flush().ok());
    ASSERT_TRUE(store->CompactIndex().ok());
  }
  ASSERT_TRUE(service->Refresh().ok());
  EXPECT_EQ(pages("ferry timetable"), (Pages{{"b.txt", 2}, {"c.txt", 1}, {"d.txt", 2}}));
  EXPECT_EQ(pages("ferry OR quay"), (Pages{{"b.txt", 2}, {"c.txt", 2}, {"d.txt", 2}}));
  EXPECT_EQ(pages("timetable OR quay"), (Pages{{"b.txt", 1}, {"c.txt", 1}, {"d.txt", 3}}));
}

// A document with only the query's function words ("the" of "the
// harbourmaster") shows the first page where one stands: they are on
// nearly every page, and the page with the most of them tells nothing (and
// reading every "the" of a long document was half of such a search).
TEST(SearchBestPagesTest, AHitWithOnlyFunctionWordsShowsTheFirstPageWithOne) {
  TempDir dir;
  const std::string in = dir / "in";
  WriteFile(in + "/harbour.txt", "Harbour note\nThe harbourmaster closed the quay at dusk.");
  WriteFile(in + "/notes.txt", "Field notes\nNothing was noted on this day.\fThe quay was quiet.\f"
                               "The boats, the nets, the ropes and the sails of the town were mended by the crews.");
  std::unique_ptr<QueryService> service = IngestAndOpen(in, dir / "data");
  ASSERT_TRUE(service);
  SearchRequest request;
  request.query = "the harbourmaster";
  Result<SearchResponse> response = service->Search(request);
  ASSERT_TRUE(response.ok()) << response.status().ToString();
  ASSERT_EQ(response->hits.size(), 2u);
  EXPECT_TRUE(response->hits[0].all_words);
  EXPECT_EQ(std::filesystem::path(response->hits[0].source_paths.at(0)).filename(), "harbour.txt");
  EXPECT_FALSE(response->hits[1].all_words);
  EXPECT_EQ(std::filesystem::path(response->hits[1].source_paths.at(0)).filename(), "notes.txt");
  EXPECT_EQ(response->hits[1].page, 2u);
}


// Words typed side by side rank a document that has them side by side above
// one that has them more often, apart; both match.
TEST_F(SearchTest, WordsSideBySideRankFirst) {
  SearchResponse r = Search("cold chain");
  ASSERT_EQ(r.total, 2u);
  EXPECT_EQ(r.hits[0].title, "Storage note");
  EXPECT_EQ(r.hits[1].title, "Weather note");
  EXPECT_GT(r.hits[0].percent, r.hits[1].percent);
}

// The boost goes only to the words side by side: not to a document that
// starts with the query's second word and has the first elsewhere. (Up to
// text format 5 it did: a word that is its own stem, such as "how", leaves
// its stem without positions, and Xapian 1.4 reads such a term in a phrase
// as if it stood at position 0, just before the document's first word.)
TEST(SearchAdjacencyTest, TheBoostNeedsTheWordsSideBySide) {
  TempDir dir;
  const std::string in = dir / "in";
  // ("soon" is its own stem, and not a function word: FunctionWordsDoNot...)
  const std::string rest = " explains soon the district teams shared their duties during the year, and ";
  // "soon" and "matrix" side by side.
  WriteFile(in + "/beside.txt", "Duties of the teams\nThis note" + rest.substr(0, 14) + " matrix" + rest.substr(14) +
                                    "which teams reported on time.");
  // "soon" twice, "matrix" once, apart: the most weight without the boost.
  WriteFile(in + "/apart.txt", "Duties and the matrix\nThis note" + rest + "soon the teams reported on time.");
  // "soon" once, apart from "matrix", its first word.
  WriteFile(in + "/opens.txt", "Matrix of duties\nThis note" + rest + "which teams reported on time.");
  std::unique_ptr<QueryService> service = IngestAndOpen(in, dir / "data");
  ASSERT_TRUE(service);
  SearchRequest request;
  request.query = "soon matrix";
  Result<SearchResponse> response = service->Search(request);
  ASSERT_TRUE(response.ok()) << response.status().ToString();
  std::vector<std::string> order;
  for (const SearchHit& hit : response->hits) {
    EXPECT_EQ(hit.language, "en") << hit.title;
    order.push_back(std::filesystem::path(hit.source_paths.at(0)).filename().string());
  }
  EXPECT_EQ(order, (std::vector<std::string>{"beside.txt", "apart.txt", "opens.txt"}));
}

// The boost leaves a query's function words out: its other words count as
// side by side when they stand in order within the span the query gives
// them, whatever function words sit between ("response of management"
// boosts "response from management"), and a function word with one other
// word boosts nothing ("the management").
TEST(SearchAdjacencyTest, FunctionWordsDoNotDecideWhetherWordsStandSideBySide) {
  TempDir dir;
  const std::string in = dir / "in";
  const std::string body = " The teams of the district shared their duties during the year and reported on time to the board.";
  // Once each, in order with another function word between.
  WriteFile(in + "/between.txt", "Annual note\nThe response from management came late." + body + body);
  // Twice each, apart: the most weight without a boost.
  WriteFile(in + "/apart.txt", "Annual note\nA response came late." + body + " The management met." + body +
                                   " Another response came. The management agreed.");
  // Notes without either word: the two words are then rare enough to weigh.
  for (int i = 0; i < 6; ++i) {
    WriteFile(in + "/other" + std::to_string(i) + ".txt",
              "Field note " + std::to_string(i) + "\nThe weather was mild and the harvest was good this year." + body);
  }
  std::unique_ptr<QueryService> service = IngestAndOpen(in, dir / "data");
  ASSERT_TRUE(service);
  auto order = [&](const std::string& query) {
    SearchRequest request;
    request.query = query;
    Result<SearchResponse> response = service->Search(request);
    EXPECT_TRUE(response.ok()) << response.status().ToString();
    std::vector<std::string> files;
    if (!response.ok()) return files;
    for (const SearchHit& hit : response->hits) {
      EXPECT_EQ(hit.language, "en") << hit.title;
      // (Those with all the words: the notes with "of" or "the" only follow.)
      if (hit.all_words) files.push_back(std::filesystem::path(hit.source_paths.at(0)).filename().string());
    }
    return files;
  };
  EXPECT_EQ(order("response of management"), (std::vector<std::string>{"between.txt", "apart.txt"}));
  // Without a boost, BM25 alone: more occurrences rank first.
  EXPECT_EQ(order("response management"), (std::vector<std::string>{"apart.txt", "between.txt"}));
  EXPECT_EQ(order("the management"), (std::vector<std::string>{"apart.txt", "between.txt"}));
}

// The boost reorders the best kBoostWindow (100) matches without it; past
// them, the order is that of the words alone. Pages of results taken one by
// one across that edge list every match once, in the order of one long
// page, with percentages that never rise (a boosted match weighs at least
// what it weighed without the boost, more than any match past the edge).
TEST(SearchAdjacencyTest, PagesAcrossTheBoostsWindowListEveryMatchOnceInOneOrder) {
  TempDir dir;
  const std::string in = dir / "in";
  const std::string filler =
      " The district teams visited the clinics in the spring and wrote down what the nurses told them about"
      " the roads, the weather, the supplies that came late and the training that was planned for the year.";
  // The most weight without the boost: each word three times, apart.
  for (int i = 0; i < 30; ++i) {
    WriteFile(in + "/strong" + std::to_string(i) + ".txt",
              "Storage log " + std::to_string(i) + "\nThe cold room was checked. The chain of custody was signed. "
              "A cold night. The chain broke. Cold again, and the chain was mended.");
  }
  // The least: each word once, apart, in a long text.
  for (int i = 0; i < 100; ++i) {
    WriteFile(in + "/weak" + std::to_string(i) + ".txt", "Field report " + std::to_string(i) +
                                                              "\nIt was cold." + filler + filler +
                                                              " The supply chain held." + filler);
  }
  // Twice each, once side by side: within the window, boosted to the top.
  WriteFile(in + "/beside.txt", "Depot note\nThe cold chain held all week. It was cold outside, and the chain of "
                                "trucks came on time.");
  std::unique_ptr<QueryService> service = IngestAndOpen(in, dir / "data");
  ASSERT_TRUE(service);
  auto search = [&](uint32_t offset, uint32_t limit) {
    SearchRequest request;
    request.query = "cold chain";
    request.offset = offset;
    request.limit = limit;
    Result<SearchResponse> response = service->Search(request);
    EXPECT_TRUE(response.ok()) << response.status().ToString();
    return response.ok() ? *response : SearchResponse();
  };
  const SearchResponse whole = search(0, 200);
  ASSERT_EQ(whole.hits.size(), 131u);
  EXPECT_EQ(std::filesystem::path(whole.hits[0].source_paths.at(0)).filename(), "beside.txt");
  EXPECT_EQ(whole.hits[0].percent, 100);
  std::set<std::string> ids;
  for (size_t i = 0; i < whole.hits.size(); ++i) {
    EXPECT_EQ(whole.hits[i].rank, i + 1);
    EXPECT_TRUE(whole.hits[i].all_words);
    ids.insert(whole.hits[i].id.ToHex());
    if (i > 0) {
      EXPECT_LE(whole.hits[i].percent, whole.hits[i - 1].percent) << i;
    }
  }
  EXPECT_EQ(ids.size(), 131u);
  std::vector<SearchHit> paged;
  for (uint32_t offset = 0; offset < 140; offset += 10) {
    for (SearchHit& hit : search(offset, 10).hits) paged.push_back(std::move(hit));
  }
  ASSERT_EQ(paged.size(), whole.hits.size());
  for (size_t i = 0; i < paged.size(); ++i) {
    EXPECT_EQ(paged[i].id, whole.hits[i].id) << i;
    EXPECT_EQ(paged[i].rank, whole.hits[i].rank) << i;
    EXPECT_EQ(paged[i].percent, whole.hits[i].percent) << i;
  }
  // A page straddling the edge.
  const SearchResponse straddling = search(95, 10);
  ASSERT_EQ(straddling.hits.size(), 10u);
  for (size_t i = 0; i < 10; ++i) EXPECT_EQ(straddling.hits[i].id, whole.hits[95 + i].id) << i;
}

// Checking the boost's phrases reads the words' positions in each
// candidate: a group's candidates are checked best first until those
// positions would pass a budget (kBoostPositions, 20,000), the best 10
// whatever they hold. Thirty reports that say "cold" and "chain" apart,
// more often each than a note that has them side by side once: with 150 of
// each in every report (9,000 positions in all) every candidate is checked
// and the note is boosted to the top; with 600 (36,000) the reports
// checked first use the budget up, and the note keeps its own weight, last.
TEST(SearchAdjacencyTest, ThePhraseCheckReadsABoundedNumberOfPositions) {
  auto order_with = [](int occurrences) {
    TempDir dir;
    const std::string in = dir / "in";
    std::string apart;
    for (int k = 0; k < occurrences; ++k) apart += "The cold room was checked. The chain was signed. ";
    for (int i = 0; i < 30; ++i) WriteFile(in + "/report" + std::to_string(i) + ".txt", "Storage log " + std::to_string(i) + "\n" + apart);
    WriteFile(in + "/beside.txt", "Depot note\nThe cold chain held all week. It was cold outside, and the chain of "
                                  "trucks came on time.");
    // Notes with neither word, for the words to weigh.
    for (int i = 0; i < 40; ++i) {
      WriteFile(in + "/other" + std::to_string(i) + ".txt", "Field note " + std::to_string(i) + "\nThe weather was mild.");
    }
    std::unique_ptr<QueryService> service = IngestAndOpen(in, dir / "data");
    std::vector<std::string> files;
    EXPECT_TRUE(service);
    if (!service) return files;
    SearchRequest request;
    request.query = "cold chain";
    request.limit = 50;
    Result<SearchResponse> response = service->Search(request);
    EXPECT_TRUE(response.ok()) << response.status().ToString();
    if (!response.ok()) return files;
    for (const SearchHit& hit : response->hits) files.push_back(std::filesystem::path(hit.source_paths.at(0)).filename().string());
    return files;
  };
  const std::vector<std::string> within = order_with(150);
  ASSERT_EQ(within.size(), 31u);
  EXPECT_EQ(within.front(), "beside.txt");
  const std::vector<std::string> past = order_with(600);
  ASSERT_EQ(past.size(), 31u);
  EXPECT_EQ(past.back(), "beside.txt");
}

// All the words first; when a page of results has room left, documents with
// only some of them follow, flagged, and are not counted in the total.
TEST_F(SearchTest, DocumentsWithSomeOfTheWordsFollowThoseWithAll) {
  SearchResponse r = Search("decentralization wells harbourmaster");
  EXPECT_EQ(r.total, 0u);
  ASSERT_EQ(r.hits.size(), 1u);  // only the water evaluation has any of them (two)
  EXPECT_FALSE(r.hits[0].all_words);
  EXPECT_EQ(r.hits[0].title, "Evaluation of the Rural Water Programme");
  EXPECT_EQ(r.hits[0].rank, 1u);
  r = Search("evaluation decentralize");
  ASSERT_EQ(r.total, 1u);
  ASSERT_GE(r.hits.size(), 2u);
  EXPECT_TRUE(r.hits[0].all_words);
  std::set<std::string> ids;
  for (size_t i = 1; i < r.hits.size(); ++i) {
    EXPECT_FALSE(r.hits[i].all_words) << r.hits[i].title;
    EXPECT_EQ(r.hits[i].rank, i + 1);
    EXPECT_NE(r.hits[i].id, r.hits[0].id);
    ids.insert(r.hits[i].id.ToHex());
  }
  EXPECT_EQ(ids.size(), r.hits.size() - 1);
  // The next page goes on with them, without the document with all the words.
  SearchResponse next = Search("evaluation decentralize", 1, 1);
  ASSERT_EQ(next.hits.size(), 1u);
  EXPECT_EQ(next.hits[0].rank, 2u);
  EXPECT_EQ(next.hits[0].id, r.hits[1].id);
  // A full page of documents with every word, one word, OR, NOT and phrases add nothing.
  EXPECT_EQ(Search("procurement logistics", 5).hits.size(), 5u);
  for (const SearchHit& hit : Search("procurement logistics", 5).hits) EXPECT_TRUE(hit.all_words);
  EXPECT_EQ(Search("programme NOT budgets").hits.size(), 0u);
  EXPECT_EQ(Search("\"experience best-practice\"").hits.size(), 0u);
  EXPECT_EQ(Search("lantern OR nothingmatches").hits.size(), 1u);
  // Without facets, the same hits, widened alike (each language's parse
  // still filtered by the reader's columns).
  SearchRequest bare;
  bare.query = "evaluation decentralize";
  bare.facets = false;
  Result<SearchResponse> without = service_->Search(bare);
  ASSERT_TRUE(without.ok()) << without.status().ToString();
  ASSERT_EQ(without->hits.size(), r.hits.size());
  for (size_t i = 0; i < r.hits.size(); ++i) EXPECT_EQ(without->hits[i].id, r.hits[i].id) << "hit " << i;
  EXPECT_TRUE(without->facets.empty());
}

// A page of results is the same whatever its size: the first three hits of
// a page of ten are a page of three, and the next three the page at offset
// 3. Xapian 1.4.22 turns an OR into an AND_MAYBE once a page is full and its
// weakest hit outweighs what one alternative can give, then check()s a
// phrase there and can step past entries that belong on the page, which
// depends on the page's size; a search whose phrase is one of an OR's
// alternatives (`"a b" OR c`, or the widened pass of `c "a b"` when no
// document has them all) looks at every match instead. 800 short documents
// of words drawn from a vocabulary of 80, most often its first words, and
// 600 queries of a phrase and a word (a fixed seed: 5 of them listed other
// documents at --limit 3, 2 of them in the widened pass, before the fix).
TEST(SearchPagesTest, APageOfResultsIsTheSameWhateverItsSize) {
  TempDir dir;
  const std::string in = dir / "in";
  std::vector<std::string> vocabulary;
  for (const char* a : {"b", "d", "k", "m", "t", "v", "p", "s"}) {
    for (const char* b : {"alo", "eni", "oru", "upa", "iso", "ema", "olu", "ika", "ade", "uvo"}) {
      vocabulary.push_back(std::string(a) + b + "rn");
    }
  }
  std::mt19937 random(3);
  auto word = [&]() {
    // About Zipf's: the first words far more often than the last.
    std::uniform_real_distribution<double> u(0, 1);
    const size_t at = static_cast<size_t>(std::pow(u(random), 2.5) * vocabulary.size());
    return vocabulary[std::min(at, vocabulary.size() - 1)];
  };
  for (int i = 0; i < 800; ++i) {
    std::string text = "Report " + std::to_string(i) + "\n";
    const int words = 10 + static_cast<int>(random() % 40);
    for (int w = 0; w < words; ++w) text += word() + (w % 12 == 11 ? ".\n" : " ");
    WriteFile(in + "/r" + std::to_string(i) + ".txt", text);
  }
  std::unique_ptr<QueryService> service = IngestAndOpen(in, dir / "data");
  ASSERT_TRUE(service);
  auto ids = [&](const std::string& query, uint32_t offset, uint32_t limit, size_t* partial = nullptr) {
    std::vector<std::string> listed;
    for (const SearchHit& hit : SearchWith(*service, query, limit, offset).hits) {
      listed.push_back(hit.id.ToHex());
      if (partial != nullptr && !hit.all_words) ++*partial;
    }
    return listed;
  };
  size_t differing = 0, partial_hits = 0;
  std::string first_difference;
  for (int q = 0; q < 600; ++q) {
    const std::string a = word(), b = vocabulary[random() % vocabulary.size()], c = word();
    const std::string query = q % 2 == 0 ? c + " \"" + a + " " + b + "\"" : "\"" + a + " " + b + "\" OR " + c;
    const std::vector<std::string> ten = ids(query, 0, 10, &partial_hits);
    const std::vector<std::string> three = ids(query, 0, 3), next_three = ids(query, 3, 3);
    const std::vector<std::string> ten_first(ten.begin(), ten.begin() + std::min<size_t>(3, ten.size()));
    const std::vector<std::string> ten_next(ten.begin() + std::min<size_t>(3, ten.size()),
                                            ten.begin() + std::min<size_t>(6, ten.size()));
    if (three != ten_first || next_three != ten_next) {
      if (differing++ == 0) first_difference = query;
    }
  }
  EXPECT_EQ(differing, 0u) << "of 600 queries, the first: " << first_difference;
  // (Not vacuous: the widened pass listed documents with only some of the words.)
  EXPECT_GT(partial_hits, 100u);
}

// The snippet is cut around the passage where the query's words stand as
// typed, and marks them rather than their stem variants; a stem variant is
// marked when the snippet shows no typed form of its word.
TEST_F(SearchTest, SnippetShowsAndMarksTheQueryWordsAsTyped) {
  SearchResponse r = Search("support services");
  ASSERT_EQ(r.hits.size(), 1u);
  EXPECT_EQ(r.hits[0].title, "Annual note on rural clinics");
  const std::string& both = r.hits[0].snippet_html;
  EXPECT_NE(both.find("<mark>support</mark> <mark>services</mark> for nurses"), std::string::npos) << both;
  EXPECT_NE(both.find("were supported by"), std::string::npos) << both;
  EXPECT_EQ(both.find("supported</mark>"), std::string::npos) << both;
  r = Search("support");
  ASSERT_EQ(r.hits.size(), 1u);
  EXPECT_NE(r.hits[0].snippet_html.find("<mark>support</mark> services"), std::string::npos) << r.hits[0].snippet_html;
  // A phrase is marked as a whole.
  r = Search("\"support services\"");
  ASSERT_EQ(r.hits.size(), 1u);
  EXPECT_NE(r.hits[0].snippet_html.find("<mark>support services</mark>"), std::string::npos) << r.hits[0].snippet_html;
  // Only stem variants on the page: they are marked.
  r = Search("supports vaccines");
  ASSERT_EQ(r.hits.size(), 1u);
  EXPECT_NE(r.hits[0].snippet_html.find("<mark>vaccine</mark>"), std::string::npos) << r.hits[0].snippet_html;
  EXPECT_NE(r.hits[0].snippet_html.find("<mark>supported</mark>"), std::string::npos) << r.hits[0].snippet_html;
}

TEST_F(SearchTest, SpanishDocumentsAreStemmedInSpanish) {
  EXPECT_EQ(FirstTitle("recomendación"), "Evaluación del Programa de Alimentación Escolar");
  EXPECT_EQ(FirstTitle("comedor"), "Evaluación del Programa de Alimentación Escolar");
  EXPECT_EQ(Search("comedor lang:en").hits.size(), 0u);
}

TEST_F(SearchTest, PhrasesOperatorsAndPrefixes) {
  EXPECT_EQ(FirstTitle("\"best-practice experience\""), "Memorandum on staffing");
  EXPECT_EQ(Search("\"experience best-practice\"").hits.size(), 0u);
  EXPECT_EQ(Search("office OR wells").hits.size(), 2u);
  EXPECT_EQ(Search("programme NOT budgets").hits.size(), 0u);
  EXPECT_EQ(FirstTitle("title:memorandum"), "Memorandum on staffing");
  EXPECT_EQ(Search("title:engineers").hits.size(), 0u);  // in the text, not the title
  EXPECT_EQ(Search("logist*").total, 12u);
}

TEST_F(SearchTest, PaginationAndTotals) {
  SearchResponse first = Search("procurement", 5, 0);
  EXPECT_EQ(first.total, 12u);
  EXPECT_TRUE(first.total_exact);
  ASSERT_EQ(first.hits.size(), 5u);
  EXPECT_EQ(first.hits[0].rank, 1u);
  SearchResponse last = Search("procurement", 5, 10);
  ASSERT_EQ(last.hits.size(), 2u);
  EXPECT_EQ(last.hits[0].rank, 11u);
  std::set<std::string> ids;
  for (uint32_t offset : {0u, 5u, 10u}) {
    for (const SearchHit& hit : Search("procurement", 5, offset).hits) ids.insert(hit.id.ToHex());
  }
  EXPECT_EQ(ids.size(), 12u);  // no document twice across pages
}

TEST_F(SearchTest, EntityAndYearFiltersWithFacets) {
  // The extractor finds the programme named in the Spanish document.
  SearchRequest request;
  request.query = "evaluación OR evaluation OR memorandum OR logistics";
  request.limit = 50;
  Result<SearchResponse> all = service_->Search(request);
  ASSERT_TRUE(all.ok());
  ASSERT_TRUE(all->facets.count("entity"));
  ASSERT_TRUE(all->facets.count("year"));
  const std::vector<FacetValue>& entities = all->facets.at("entity").values;
  auto entity = std::find_if(entities.begin(), entities.end(), [](const FacetValue& v) {
    return v.value == "Evaluación del Programa de Alimentación Escolar";
  });
  ASSERT_NE(entity, entities.end());
  EXPECT_EQ(entity->count, 1u);
  request.entity = "EVALUACION del programa de alimentacion escolar";  // case and accents do not matter
  Result<SearchResponse> filtered = service_->Search(request);
  ASSERT_TRUE(filtered.ok());
  ASSERT_EQ(filtered->hits.size(), 1u);
  EXPECT_EQ(filtered->hits[0].language, "es");
  EXPECT_EQ(Search("org:\"Evaluación del Programa de Alimentación Escolar\"").hits.size(), 1u);
  request.entity.reset();
  request.year_from = request.year_to = 1990;
  EXPECT_EQ(service_->Search(request)->hits.size(), 0u);
}

// Facets come largest first, then by value, with how many values there are.
TEST_F(SearchTest, FacetsAreSortedByCountThenValue) {
  SearchResponse r = Search("UNICEF OR evaluación OR evaluation OR memorandum");
  ASSERT_TRUE(r.facets.count("entity"));
  const SearchFacet& entities = r.facets.at("entity");
  ASSERT_GE(entities.values.size(), 2u);
  EXPECT_EQ(entities.total_values, entities.values.size());
  for (size_t i = 1; i < entities.values.size(); ++i) {
    const FacetValue& a = entities.values[i - 1];
    const FacetValue& b = entities.values[i];
    EXPECT_TRUE(a.count > b.count || (a.count == b.count && a.value < b.value)) << a.value << " before " << b.value;
  }
  // UNICEF (two documents) comes before names that sort first but count once.
  EXPECT_EQ(entities.values[0].count, 2u) << entities.values[0].value;
  EXPECT_NE(entities.values[0].value.find("Children"), std::string::npos) << entities.values[0].value;
  const SearchFacet& years = r.facets.at("year");
  EXPECT_EQ(years.total_values, years.values.size());
  // Language and text source too: every matching document has one language,
  // and these text files are read as plain text.
  std::map<std::string, uint64_t> languages;
  for (const FacetValue& v : r.facets.at("language").values) languages[v.value] = v.count;
  EXPECT_EQ(languages["en"] + languages["es"] + languages["fr"], r.total);
  EXPECT_GE(languages["es"], 1u);
  EXPECT_GE(languages["fr"], 1u);
  ASSERT_EQ(r.facets.at("source").values.size(), 1u);
  EXPECT_EQ(r.facets.at("source").values[0].value, "plain_text");
  EXPECT_EQ(r.facets.at("source").values[0].count, r.total);
  // A reader counts every match, not only the page's: one hit shown, the
  // same counts and an exact total.
  EXPECT_TRUE(r.facets_exact);
  SearchResponse one = Search("UNICEF OR evaluación OR evaluation OR memorandum", 1);
  ASSERT_EQ(one.hits.size(), 1u);
  EXPECT_TRUE(one.facets_exact);
  EXPECT_TRUE(one.total_exact);
  EXPECT_EQ(one.total, r.total);
  ASSERT_TRUE(one.facets.count("entity"));
  EXPECT_EQ(one.facets.at("entity").values[0].value, entities.values[0].value);
  EXPECT_EQ(one.facets.at("entity").values[0].count, 2u);
}

// The facets' counting pass parses a query without accents in its folded
// form alone (ParsePurpose::kMatchSet), which matches what the typed form
// matches, but not when the query excludes a word: "NOT evaluacion" excludes
// the unaccented word's stem as typed, and also "evaluación" as folded, so
// the document with "Evaluación" (matched through the typed parse) would
// be ranked but not counted. Whatever the query, `total` counts the hits.
TEST_F(SearchTest, CountsWhatItRanksWhenTheQueryExcludesAWord) {
  for (const std::string query : {"programa NOT evaluacion", "programa -evaluacion", "regiones NOT evaluacion",
                                   "evaluacion", "evaluacion OR programa", "\"la evaluacion\""}) {
    SearchResponse r = Search(query);
    EXPECT_TRUE(r.facets_exact) << query;
    EXPECT_EQ(r.total, r.hits.size()) << query;
    uint64_t counted = 0;
    for (const FacetValue& v : r.facets.at("year").values) counted += v.count;
    EXPECT_LE(counted, r.total) << query;
  }
  EXPECT_FALSE(Search("programa NOT evaluacion").hits.empty());
}

// "l’entrepreneuriat" (typographic apostrophe) is found by the word alone,
// and "d’évaluation" by "evaluation" and "évaluation".
TEST_F(SearchTest, FrenchElisionsAreSplit) {
  for (const std::string query : {"entrepreneuriat", "l’entrepreneuriat", "l'entrepreneuriat", "evaluation finale",
                                  "évaluation finale", "\"l’entrepreneuriat rural\"", "coopérative"}) {
    SearchResponse r = Search(query);
    ASSERT_EQ(r.total, 1u) << query;
    ASSERT_GE(r.hits.size(), 1u) << query;
    EXPECT_EQ(r.hits[0].language, "fr") << query;
    EXPECT_EQ(r.hits[0].title, "Rapport d’évaluation finale du projet d’appui aux jeunes") << query;
  }
  SearchResponse r = Search("entrepreneuriat");
  ASSERT_EQ(r.hits.size(), 1u);
  // The snippet keeps the apostrophe and marks the word.
  EXPECT_NE(r.hits[0].snippet_html.find("l’<mark>entrepreneuriat</mark> rural"), std::string::npos) << r.hits[0].snippet_html;
  // Words without accents still match accented ones, and the snippet marks them.
  r = Search("equipe cooperatives");
  ASSERT_EQ(r.total, 1u);
  EXPECT_NE(r.hits[0].snippet_html.find("<mark>équipe</mark>"), std::string::npos) << r.hits[0].snippet_html;
  EXPECT_NE(r.hits[0].snippet_html.find("<mark>coopératives</mark>"), std::string::npos) << r.hits[0].snippet_html;
}

// A wildcard's snippet marks the page's words its prefix begins, typed
// without the accents too, and the query's other words beside them.
TEST_F(SearchTest, WildcardSnippetsMarkTheWordsThePrefixBegins) {
  SearchResponse r = Search("cooper*");
  ASSERT_EQ(r.hits.size(), 1u);
  EXPECT_NE(r.hits[0].snippet_html.find("les <mark>coopératives</mark>"), std::string::npos) << r.hits[0].snippet_html;
  r = Search("entrepreneur*");
  ASSERT_EQ(r.hits.size(), 1u);
  EXPECT_NE(r.hits[0].snippet_html.find("L’<mark>entrepreneuriat</mark> des jeunes"), std::string::npos)
      << r.hits[0].snippet_html;
  EXPECT_NE(r.hits[0].snippet_html.find("l’<mark>entrepreneuriat</mark> rural"), std::string::npos)
      << r.hits[0].snippet_html;
  r = Search("recrui* engineers");
  ASSERT_EQ(r.hits.size(), 1u);
  EXPECT_NE(r.hits[0].snippet_html.find("must <mark>recruit</mark> two <mark>engineers</mark>"), std::string::npos)
      << r.hits[0].snippet_html;
}

// Accents do not have to be typed; typed, they rank exact matches first.
TEST_F(SearchTest, AccentsMatchWithOrWithoutThem) {
  const std::string escuelas = "Evaluación del Programa de Alimentación Escolar";
  const std::string nota = "Nota rapida sobre la evaluacion del proyecto de riego";
  SearchResponse r = Search("evaluacion");
  ASSERT_EQ(r.hits.size(), 2u);
  EXPECT_EQ(r.hits[0].title, nota);  // written as typed
  EXPECT_EQ(r.hits[1].title, escuelas);
  EXPECT_NE(r.hits[1].snippet_html.find("<mark>evaluación</mark>"), std::string::npos) << r.hits[1].snippet_html;
  r = Search("evaluación");
  ASSERT_EQ(r.hits.size(), 2u);
  EXPECT_EQ(r.hits[0].title, escuelas);  // the exact accents first
  EXPECT_EQ(r.hits[1].title, nota);
  EXPECT_GT(r.hits[0].percent, r.hits[1].percent);
  EXPECT_EQ(FirstTitle("alimentacion escolar"), escuelas);
  EXPECT_EQ(FirstTitle("\"programa de alimentacion escolar\""), "");  // phrases need every word's own form: see README
  EXPECT_EQ(FirstTitle("title:alimentacion"), escuelas);
  EXPECT_EQ(FirstTitle("gestion"), escuelas);
}

// --lang restricts to one language, parsed with its stemmer.
TEST_F(SearchTest, LanguageFilterWorksForEveryLanguage) {
  SearchRequest request;
  for (const auto& [language, query, title] : std::vector<std::tuple<std::string, std::string, std::string>>{
           {"fr", "evaluation", "Rapport d’évaluation finale du projet d’appui aux jeunes"},
           {"fr", "évaluations", "Rapport d’évaluation finale du projet d’appui aux jeunes"},
           {"en", "evaluation", "Evaluation of the Rural Water Programme"},
           {"es", "evaluación", "Evaluación del Programa de Alimentación Escolar"}}) {
    request.query = query;
    request.language = language;
    Result<SearchResponse> r = service_->Search(request);
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    ASSERT_GE(r->hits.size(), 1u) << language << " " << query;
    EXPECT_EQ(r->hits[0].title, title) << language << " " << query;
    for (const SearchHit& hit : r->hits) EXPECT_EQ(hit.language, language);
  }
  request.query = "evaluation";
  request.language = "de";  // no German documents
  EXPECT_EQ(service_->Search(request)->hits.size(), 0u);
  EXPECT_EQ(Search("entrepreneuriat lang:fr").hits.size(), 1u);
  EXPECT_EQ(Search("entrepreneuriat lang:es").hits.size(), 0u);
}

TEST_F(SearchTest, BadRequestsNameTheParameter) {
  SearchRequest request;
  request.query = "";
  EXPECT_EQ(service_->Search(request).status().message(), "q: the query is empty");
  request.query = "water";
  request.limit = 0;
  EXPECT_EQ(service_->Search(request).status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(service_->Search(request).status().message().find("limit"), std::string::npos);
  request.limit = 10;
  request.query = std::string(5000, 'a');
  EXPECT_NE(service_->Search(request).status().message().find("q: the query is 5000 bytes"), std::string::npos);
  request.query = "water AND (";
  Result<SearchResponse> r = service_->Search(request);
  EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument) << r.status().ToString();
}

TEST_F(SearchTest, FindDocumentByIdOrPath) {
  SearchResponse r = Search("wells");
  ASSERT_EQ(r.hits.size(), 1u);
  auto by_id = service_->FindDocument(r.hits[0].id.ToHex());
  ASSERT_TRUE(by_id.ok());
  auto by_path = service_->FindDocument(r.hits[0].source_paths[0]);
  ASSERT_TRUE(by_path.ok());
  EXPECT_EQ(by_path->id, r.hits[0].id);
  EXPECT_EQ(by_id->page_count, 3u);
  EXPECT_EQ(service_->FindDocument("0000000000000000").status().code(), StatusCode::kNotFound);
}

}  // namespace
}  // namespace dossier
