// Search requests and results, shared by the store, the query service, the CLI and the server.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "dossier/document.h"

namespace dossier {

inline constexpr uint32_t kMaxSearchLimit = 1000;
inline constexpr size_t kMaxQueryLength = 4096;

struct SearchRequest {
  // Xapian query syntax: AND OR NOT, "phrases", title:word, author:word,
  // lang:es, source:ocr|text_layer|plain_text, doc:<id>, org:"name or alias",
  // year:2024, wild*cards.
  std::string query;
  uint32_t limit = 10;   // 1..kMaxSearchLimit
  uint32_t offset = 0;
  std::optional<std::string> language;   // filter, ISO 639-1
  std::optional<TextSource> text_source; // filter: documents with a page from this source
  std::optional<std::string> entity;     // filter: documents mentioning this organisation or programme (name or alias)
  std::optional<int> year_from, year_to; // filter: the document's own year, inclusive
  std::optional<std::string> mime_type;  // filter: documents of this MIME type (as type: in queries)
  // Count facets (year, entity) over the first ~1000 matches. Off, a search
  // looks only at the requested page of hits (cheaper; `total` is then an
  // estimate more often) and returns no facets.
  bool facets = true;
};

// One document in the results, with its best-matching page.
struct SearchHit {
  uint32_t rank = 0;      // 1-based over the whole result list
  int percent = 0;        // relevance: the hit's weight as a percentage of the best match's
  DocumentId id;
  uint32_t page = 0;      // the best-matching page
  uint32_t page_count = 0;  // the document's pages (from its record)
  TextSource page_source = TextSource::kTextLayer;
  float ocr_confidence = -1;
  std::string snippet_html;  // HTML-escaped page text with <mark>…</mark> around matches
  // False for a document with only some of the query's words: listed after
  // every document with all of them, when a page of results has room left.
  bool all_words = true;
  // Filled from the document record:
  std::string title;
  std::string language;
  std::string mime_type;
  std::vector<std::string> source_paths;
};

// One value of a facet and the matching documents that have it.
struct FacetValue {
  std::string value;
  uint64_t count = 0;
};

// A facet's values, largest count first, then by value; `total_values` is
// how many distinct values the counted documents have (the entity facet
// keeps the 20 most frequent of them).
struct SearchFacet {
  std::vector<FacetValue> values;
  uint64_t total_values = 0;
};

struct SearchResponse {
  std::string query;
  uint32_t offset = 0;
  uint32_t limit = 0;
  uint64_t total = 0;        // matching documents (estimate unless total_exact)
  bool total_exact = true;
  std::vector<SearchHit> hits;
  // Counts over the matching documents: "year" -> [{"2001", 3}, ...],
  // "entity" -> [{"International Organization for Migration", 5}, ...].
  std::map<std::string, SearchFacet> facets;
  // True when the facets counted every matching document; false when they
  // may have counted only the first many (a sample).
  bool facets_exact = true;
};

// ---------------------------------------------------------------- items

// Items are searched as results of their own: recommendations, findings,
// conclusions, management responses and key actions (wire names below), each
// an entry of the item index (docs/ARCHITECTURE.md, "Items in the index").
inline constexpr const char* kItemTypes[] = {"recommendation", "finding", "conclusion", "management_response",
                                             "key_action"};

struct ItemSearchRequest {
  // Xapian query syntax, as SearchRequest::query (doc:<id>, year:2024,
  // lang:es, "phrases", AND OR NOT). Ignored with `similar_to`.
  std::string query;
  // An item id (its graph node id, "R:1a2b3c4d5e6f7a8b"): rank the items
  // most like it instead (relevance feedback: its most telling terms).
  std::optional<std::string> similar_to;
  std::vector<std::string> types;              // any of these item types; empty: all
  std::vector<std::string> responsible;        // any of these body names (a unit's items are filed under its parents too)
  std::vector<std::string> documents;          // hex ids: only items of these documents
  std::vector<std::string> exclude_documents;  // hex ids: no items of these documents
  std::optional<std::string> response_status;  // accepted, partially accepted, not accepted
  // A key action status (completed, initiated, not started, no longer
  // applicable, overdue); a recommendation matches through its actions.
  // "overdue" also takes an open action due before `as_of`.
  std::optional<std::string> action_status;
  std::string as_of;                           // YYYY-MM-DD for "overdue"
  std::optional<std::string> due_before;       // YYYY-MM-DD: the stated due period ends before it
  std::optional<std::string> agency;           // the evaluating organisation (name)
  std::optional<std::string> language;         // ISO 639-1
  std::optional<int> year_from, year_to;       // the document's year, inclusive
  uint32_t limit = 10;   // 1..kMaxSearchLimit
  uint32_t offset = 0;
  bool facets = false;   // count type, responsible, response status, year, agency over the matches
};

// One item in the results.
struct ItemHit {
  uint32_t rank = 0;   // 1-based over the whole result list
  int percent = 0;     // the hit's weight as a percentage of the best match's
  double weight = 0;   // Xapian's relevance weight (BM25)
  std::string id;      // graph node id; a management response has its recommendation's
  std::string type;    // one of kItemTypes
  std::string document;  // hex document id
  std::string number;    // as printed: "3", "A.2"; a key action's own number
  uint32_t page = 0;
  std::string language;  // the document's (ISO 639-1): the snippet's stemmer
  // False for an item with only some of the query's words: listed after
  // every item with all of them, when a page of results has room left.
  bool all_words = true;
};

struct ItemSearchResponse {
  std::string query;
  uint32_t offset = 0;
  uint32_t limit = 0;
  uint64_t total = 0;        // matching items (estimate unless total_exact)
  bool total_exact = true;
  std::vector<ItemHit> hits;
  // With `facets`: "type", "responsible", "response_status", "year", "agency".
  std::map<std::string, SearchFacet> facets;
  // True when the facets counted every matching item; false when they may
  // have counted only the first many (a sample).
  bool facets_exact = true;
  // The snippet of a hit's text (which the graph holds, not the index) for
  // this query: about 300 bytes, HTML-escaped (& < >), <mark>…</mark> around
  // the query's words, "…" where text is left out; the text's start when no
  // word matches. Called only for the hits a page shows. Never empty.
  std::function<std::string(const std::string& text, const std::string& language)> snippet;
};

}  // namespace dossier
