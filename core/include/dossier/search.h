// Search requests and results, shared by the store, the query service, the CLI and the server.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "dossier/document.h"

namespace dossier {

inline constexpr uint32_t kMaxSearchLimit = 1000;
inline constexpr size_t kMaxQueryLength = 4096;

struct SearchRequest {
  // Xapian query syntax: AND OR NOT, "phrases", title:word, author:word,
  // lang:es, source:ocr|text_layer|plain_text, doc:<id>, wild*cards.
  std::string query;
  uint32_t limit = 10;   // 1..kMaxSearchLimit
  uint32_t offset = 0;
  std::optional<std::string> language;   // filter, ISO 639-1
  std::optional<TextSource> text_source; // filter on the matching page's source
};

// One document in the results, with its best-matching page.
struct SearchHit {
  uint32_t rank = 0;      // 1-based over the whole result list
  int percent = 0;        // Xapian's relevance percentage
  DocumentId id;
  uint32_t page = 0;      // the best-matching page
  TextSource page_source = TextSource::kTextLayer;
  float ocr_confidence = -1;
  std::string snippet_html;  // HTML-escaped page text with <mark>…</mark> around matches
  // Filled from the document record:
  std::string title;
  std::string language;
  std::string mime_type;
  std::vector<std::string> source_paths;
};

struct SearchResponse {
  std::string query;
  uint32_t offset = 0;
  uint32_t limit = 0;
  uint64_t total = 0;        // matching documents (estimate unless total_exact)
  bool total_exact = true;
  std::vector<SearchHit> hits;
};

}  // namespace dossier
