// JSON forms of Dossier's results: one serialiser shared by the CLI's --json
// output and the HTTP server, each matching a schema in schemas/.
#pragma once

#include <nlohmann/json.hpp>
#include <vector>

#include "dossier/document.h"
#include "dossier/ingest.h"
#include "dossier/plugin_host.h"
#include "dossier/search.h"
#include "dossier/status.h"
#include "dossier/store.h"

namespace dossier {

nlohmann::json ToJson(const SearchResponse& response);                 // search-response.schema.json
nlohmann::json ToJson(const DocumentSummary& summary);                 // document-summary (in document.schema.json)
// document.schema.json; `pages` may be null to leave texts out.
nlohmann::json DocumentToJson(const DocumentSummary& summary, const std::vector<PageText>* pages);
// documents.schema.json: one page of the document list.
nlohmann::json DocumentListToJson(const std::vector<DocumentSummary>& documents, uint64_t total, uint32_t offset,
                                  uint32_t limit);
// document-detail.schema.json: the record, a summary of each page (no text) and
// the entities the document mentions (`entities` as QueryService::Entities gives it).
nlohmann::json DocumentDetailToJson(const DocumentSummary& summary, const std::vector<PageText>& pages,
                                    const nlohmann::json& entities);
nlohmann::json PageToJson(const DocumentId& id, const PageText& page);  // page.schema.json
nlohmann::json ToJson(const StoreStats& stats);                        // stats.schema.json
nlohmann::json PluginsToJson(const std::string& plugin_dir, const std::vector<PluginLoadReport>& reports);  // plugins.schema.json
nlohmann::json ToJson(const FileResult& result);                       // ingest-report.schema.json items
nlohmann::json ToJson(const IngestSummary& summary);                   // ingest-report.schema.json
nlohmann::json ErrorToJson(const Status& status);                      // error.schema.json
// check.schema.json: what `dossier check` found ({data_dir, clean, counts, findings}).
nlohmann::json ToJson(const CheckReport& report);
// check.schema.json's "repair" (without "after", which the caller adds).
nlohmann::json ToJson(const RebuildReport& report);

// Serialises `value` as nlohmann's dump(indent) does (-1: compact), except
// that invalid UTF-8 in a string becomes U+FFFD instead of throwing: text from
// documents, plugins and requests is of unknown validity, and an exception
// from a dump must never abort a command or a server thread.
std::string DumpJson(const nlohmann::json& value, int indent = -1);

// DumpJson(ToJson(response)) written directly, without the JSON tree (a
// search answers with one of these; building and walking the tree was a
// twelfth of a computed search's instructions). The same bytes.
std::string SearchResponseJson(const SearchResponse& response);

}  // namespace dossier
