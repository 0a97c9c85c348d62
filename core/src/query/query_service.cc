// The query service: validation, lookups and result assembly for CLI and server.
#include "dossier/query_service.h"

#include <set>

#include "dossier/paths.h"

namespace dossier {

Result<std::unique_ptr<QueryService>> QueryService::Open(const std::string& data_dir) {
  DOSSIER_ASSIGN_OR_RETURN(std::unique_ptr<Store> store, Store::Open(data_dir, StoreMode::kReadOnly));
  return std::make_unique<QueryService>(std::shared_ptr<Store>(std::move(store)));
}

Result<SearchResponse> QueryService::Search(const SearchRequest& request) const {
  if (request.query.empty()) return Status::InvalidArgument("q: the query is empty");
  if (request.query.size() > kMaxQueryLength) {
    return Status::InvalidArgument("q: the query is " + std::to_string(request.query.size()) +
                                   " bytes, the limit is " + std::to_string(kMaxQueryLength));
  }
  if (request.limit < 1 || request.limit > kMaxSearchLimit) {
    return Status::InvalidArgument("limit: must be between 1 and " + std::to_string(kMaxSearchLimit));
  }
  if (request.offset > 100000) return Status::InvalidArgument("offset: must be at most 100000");
  DOSSIER_ASSIGN_OR_RETURN(SearchResponse response, store_->Search(request));
  for (SearchHit& hit : response.hits) {
    DOSSIER_ASSIGN_OR_RETURN(std::optional<DocumentSummary> doc, store_->GetDocument(hit.id));
    if (!doc) continue;  // removed between the index read and now
    hit.title = doc->title;
    hit.language = doc->language;
    hit.mime_type = doc->mime_type;
    for (const SourceFile& source : doc->sources) hit.source_paths.push_back(source.path);
  }
  std::erase_if(response.hits, [](const SearchHit& hit) { return hit.source_paths.empty() && hit.title.empty(); });
  return response;
}

Result<DocumentSummary> QueryService::FindDocument(std::string_view id_or_path) const {
  if (id_or_path.size() == DocumentId::kSize * 2) {
    Result<DocumentId> id = DocumentId::FromHex(id_or_path);
    if (id.ok()) {
      DOSSIER_ASSIGN_OR_RETURN(std::optional<DocumentSummary> doc, store_->GetDocument(*id));
      if (doc) return std::move(*doc);
    }
  }
  const std::string path = AbsolutePath(std::string(id_or_path));
  DOSSIER_ASSIGN_OR_RETURN(std::optional<SourceEntry> source, store_->LookupSource(path));
  if (source) {
    DOSSIER_ASSIGN_OR_RETURN(std::optional<DocumentSummary> doc, store_->GetDocument(source->id));
    if (doc) return std::move(*doc);
  }
  return Status::NotFound("no document with id or path '" + std::string(id_or_path) + "'");
}

Result<std::vector<PageText>> QueryService::GetPages(const DocumentId& id) const { return store_->GetPages(id); }

Result<std::vector<DocumentSummary>> QueryService::ListDocuments(uint32_t limit, uint32_t offset) const {
  return store_->ListDocuments(limit, offset);
}

Result<StoreStats> QueryService::Stats() const { return store_->Stats(); }

Result<nlohmann::json> QueryService::ExportRecord(const DocumentSummary& document) const {
  using nlohmann::json;
  DOSSIER_ASSIGN_OR_RETURN(std::vector<std::string> facts, store_->GetFacts(document.id));
  json sources = json::array();
  for (const SourceFile& source : document.sources) sources.push_back(source.path);
  json record = {{"id", document.id.ToHex()},
                 {"source", document.sources.empty() ? "" : document.sources.front().path},
                 {"sources", sources},
                 {"title", document.title},
                 {"language", document.language},
                 {"date", nullptr},
                 {"entities", json::array()},
                 {"recommendations", json::array()},
                 {"findings", json::array()},
                 {"conclusions", json::array()},
                 {"dates", json::array()}};
  std::set<std::string> date_values;
  for (const std::string& text : facts) {
    json fact = json::parse(text, nullptr, /*allow_exceptions=*/false);
    if (fact.is_discarded()) continue;
    const std::string kind = fact.value("kind", "");
    if (kind == "entity") {
      json entity = {{"type", fact.value("type", "other")},
                     {"name", fact.value("name", "")},
                     {"aliases", fact.value("aliases", json::array())},
                     {"mentions", fact.contains("mentions") ? fact["mentions"].size() : 0}};
      if (fact.contains("part_of")) entity["part_of"] = fact["part_of"];
      record["entities"].push_back(std::move(entity));
    } else if (kind == "item") {
      const std::string type = fact.value("item_type", "");
      json item = {{"number", fact.value("number", "")}, {"text", fact.value("text", "")}, {"page", fact.value("page", 0)}};
      if (type == "recommendation") {
        item["responsible"] = fact.value("responsible", json::array());
        item["due"] = fact.contains("due") ? fact["due"] : json(nullptr);
        record["recommendations"].push_back(std::move(item));
      } else if (type == "finding") {
        record["findings"].push_back(std::move(item));
      } else if (type == "conclusion") {
        record["conclusions"].push_back(std::move(item));
      }
    } else if (kind == "date") {
      json date = {{"text", fact.value("text", "")}, {"value", fact.value("value", "")},
                   {"precision", fact.value("precision", "")}, {"page", fact.value("page", 0)}};
      if (fact.contains("end_value")) {
        date["end_value"] = fact["end_value"];
        // A range states both of its ends.
        if (date_values.insert(fact["end_value"].get<std::string>()).second) {
          record["dates"].push_back({{"text", fact.value("text", "")}, {"value", fact["end_value"]},
                                     {"precision", fact.value("precision", "")}, {"page", fact.value("page", 0)}});
        }
      }
      date_values.insert(fact.value("value", ""));
      record["dates"].push_back(std::move(date));
    } else if (kind == "document_date") {
      record["date"] = fact.value("value", "");
    }
  }
  if (record["date"].is_null() && !document.metadata.created.empty()) record["date"] = document.metadata.created.substr(0, 10);
  return record;
}

}  // namespace dossier
