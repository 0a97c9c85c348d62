// The query service: validation, lookups and result assembly for CLI and server.
#include "dossier/query_service.h"

#include <deque>
#include <regex>
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

Result<PageText> QueryService::GetPage(const DocumentId& id, uint32_t page) const { return store_->GetPage(id, page); }

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

namespace dossier {

using nlohmann::json;

namespace {

json NodeToJson(const GraphNode& node) {
  json out = node.record;
  out["id"] = node.id;
  out["kind"] = node.kind;
  return out;
}

bool IsIsoDate(const std::string& s) {
  static const std::regex iso("\\d{4}-\\d{2}-\\d{2}");
  return std::regex_match(s, iso);
}

// The last day a due value ("2021", "2021-06", "2021-06-30") still covers.
std::string PeriodEnd(const std::string& due) {
  if (due.size() == 4) return due + "-12-31";
  if (due.size() == 7) return due + "-31";
  return due;
}

}  // namespace

Result<json> QueryService::Entities(const std::optional<std::string>& type, const std::optional<std::string>& document,
                                    uint32_t limit, uint32_t offset) const {
  std::string kinds = "OPX";
  if (type) {
    if (*type == "organisation") kinds = "O";
    else if (*type == "programme") kinds = "P";
    else if (*type == "entity" || *type == "other") kinds = "X";
    else return Status::InvalidArgument("type: must be organisation, programme or entity, got '" + *type + "'");
  }
  json out = json::array();
  if (document) {
    DOSSIER_ASSIGN_OR_RETURN(DocumentSummary doc, FindDocument(*document));
    DOSSIER_ASSIGN_OR_RETURN(std::vector<GraphEdge> edges, store_->GraphEdges("D:" + doc.id.ToHex(), true, "mentions"));
    uint32_t skipped = 0;
    for (const GraphEdge& edge : edges) {
      if (kinds.find(edge.target[0]) == std::string::npos) continue;
      if (skipped++ < offset) continue;
      if (out.size() >= limit) break;
      DOSSIER_ASSIGN_OR_RETURN(std::optional<GraphNode> node, store_->GetGraphNode(edge.target));
      if (node) {
        json item = NodeToJson(*node);
        item["pages"] = edge.evidence.value("pages", json::array());
        out.push_back(std::move(item));
      }
    }
  } else {
    for (char kind : kinds) {
      DOSSIER_ASSIGN_OR_RETURN(std::vector<GraphNode> nodes, store_->ListGraphNodes(kind, limit + offset, 0));
      for (const GraphNode& node : nodes) out.push_back(NodeToJson(node));
    }
    std::sort(out.begin(), out.end(), [](const json& a, const json& b) {
      return a.value("name", "") < b.value("name", "");
    });
    json page = json::array();
    for (size_t i = offset; i < out.size() && page.size() < limit; ++i) page.push_back(out[i]);
    out = page;
  }
  return json{{"entities", out}};
}

Result<json> QueryService::Entity(std::string_view name_or_id, uint32_t mentions_limit, uint32_t mentions_offset) const {
  if (mentions_limit < 1 || mentions_limit > kMaxEntityMentionsLimit) {
    return Status::InvalidArgument("mentions_limit: must be between 1 and " + std::to_string(kMaxEntityMentionsLimit));
  }
  std::vector<std::string> ids;
  if (name_or_id.size() == 18 && name_or_id[1] == ':') ids.emplace_back(name_or_id);
  else {
    DOSSIER_ASSIGN_OR_RETURN(ids, store_->FindGraphNodes(name_or_id));
  }
  std::vector<GraphNode> found;
  for (const std::string& id : ids) {
    DOSSIER_ASSIGN_OR_RETURN(std::optional<GraphNode> node, store_->GetGraphNode(id));
    if (node && (node->kind == "organisation" || node->kind == "programme" || node->kind == "entity")) found.push_back(*node);
  }
  if (found.empty()) return Status::NotFound("no entity named '" + std::string(name_or_id) + "'");
  // The most mentioned first when a name is shared.
  std::sort(found.begin(), found.end(), [](const GraphNode& a, const GraphNode& b) {
    return a.record.value("documents", 0) > b.record.value("documents", 0);
  });
  const GraphNode& node = found.front();
  json out = NodeToJson(node);
  // A body may be mentioned by (and responsible in) thousands of documents:
  // only one page of mentions and the first recommendations are read, the
  // totals come from the edge keys alone.
  uint64_t mentions_total = 0, responsible_total = 0, ignored = 0;
  DOSSIER_ASSIGN_OR_RETURN(std::vector<GraphEdge> mention_edges,
                           store_->GraphEdgesPage(node.id, false, "mentions", mentions_offset, mentions_limit, &mentions_total));
  DOSSIER_ASSIGN_OR_RETURN(std::vector<GraphEdge> responsible_edges,
                           store_->GraphEdgesPage(node.id, false, "responsible", 0, kEntityResponsibleForCap, &responsible_total));
  // Units and parents: many documents may state the same link; the keys suffice.
  DOSSIER_ASSIGN_OR_RETURN(std::vector<GraphEdge> unit_edges,
                           store_->GraphEdgesPage(node.id, false, "part_of", 0, UINT32_MAX, &ignored, false));
  DOSSIER_ASSIGN_OR_RETURN(std::vector<GraphEdge> parent_edges,
                           store_->GraphEdgesPage(node.id, true, "part_of", 0, UINT32_MAX, &ignored, false));
  json mentions = json::array(), units = json::array(), parents = json::array(), responsible_for = json::array();
  for (const GraphEdge& edge : mention_edges) {
    Result<std::optional<DocumentSummary>> doc = store_->GetDocument(DocumentId::FromHex(edge.document).value());
    json mention = {{"document", edge.document}, {"pages", edge.evidence.value("pages", json::array())},
                    {"count", edge.evidence.value("mentions", 0)}, {"as", edge.evidence.value("name", "")}};
    if (doc.ok() && *doc) {
      mention["title"] = (*doc)->title;
      mention["source"] = (*doc)->sources.empty() ? "" : (*doc)->sources.front().path;
    }
    mentions.push_back(std::move(mention));
  }
  for (const GraphEdge& edge : responsible_edges) {
    DOSSIER_ASSIGN_OR_RETURN(std::optional<GraphNode> item, store_->GetGraphNode(edge.source));
    if (item) responsible_for.push_back(NodeToJson(*item));
  }
  // One entry per unit or parent even when several documents state the link.
  std::set<std::string> seen_units, seen_parents;
  for (const GraphEdge& edge : unit_edges) {
    if (!seen_units.insert(edge.source).second) continue;
    DOSSIER_ASSIGN_OR_RETURN(std::optional<GraphNode> unit, store_->GetGraphNode(edge.source));
    if (unit) units.push_back({{"id", unit->id}, {"name", unit->record.value("name", "")}});
  }
  for (const GraphEdge& edge : parent_edges) {
    if (!seen_parents.insert(edge.target).second) continue;
    DOSSIER_ASSIGN_OR_RETURN(std::optional<GraphNode> parent, store_->GetGraphNode(edge.target));
    if (parent) parents.push_back({{"id", parent->id}, {"name", parent->record.value("name", "")}});
  }
  out["mentioned_in"] = mentions;
  out["mentions_total"] = mentions_total;
  out["mentions_offset"] = mentions_offset;
  out["mentions_limit"] = mentions_limit;
  out["part_of"] = parents;
  out["units"] = units;
  out["responsible_for"] = responsible_for;
  out["responsible_for_total"] = responsible_total;
  json others = json::array();
  for (size_t i = 1; i < found.size(); ++i) others.push_back({{"id", found[i].id}, {"name", found[i].record.value("name", "")}});
  out["other_matches"] = others;
  return out;
}

Result<json> QueryService::Recommendations(const RecommendationFilter& filter) const {
  for (const auto* date : {&filter.due_before, &filter.overdue_as_of}) {
    if (*date && !IsIsoDate(**date)) {
      return Status::InvalidArgument(std::string(date == &filter.due_before ? "due-before" : "overdue-as-of") +
                                     ": expected a date as YYYY-MM-DD, got '" + **date + "'");
    }
  }
  std::optional<std::string> doc_id;
  if (filter.document) {
    DOSSIER_ASSIGN_OR_RETURN(DocumentSummary doc, FindDocument(*filter.document));
    doc_id = doc.id.ToHex();
  }
  // Who counts as responsible: every entity with that name, and their units.
  std::set<std::string> wanted;
  if (filter.responsible) {
    DOSSIER_ASSIGN_OR_RETURN(std::vector<std::string> ids, store_->FindGraphNodes(*filter.responsible));
    std::deque<std::string> queue(ids.begin(), ids.end());
    while (!queue.empty()) {
      std::string id = queue.front();
      queue.pop_front();
      if (!wanted.insert(id).second) continue;
      DOSSIER_ASSIGN_OR_RETURN(std::vector<GraphEdge> units, store_->GraphEdges(id, false, "part_of"));
      for (const GraphEdge& unit : units) queue.push_back(unit.source);
    }
  }
  // The candidates: a document's recommendations (its `contains` edges), or
  // those with a responsible edge to a wanted body, or else all of them.
  std::vector<GraphNode> items;
  if (doc_id || filter.responsible) {
    std::set<std::string> ids;
    if (doc_id) {
      DOSSIER_ASSIGN_OR_RETURN(std::vector<GraphEdge> contains, store_->GraphEdges("D:" + *doc_id, true, "contains"));
      for (const GraphEdge& edge : contains) {
        if (edge.target.rfind("R:", 0) == 0) ids.insert(edge.target);
      }
    } else {
      for (const std::string& body : wanted) {
        DOSSIER_ASSIGN_OR_RETURN(std::vector<GraphEdge> responsible, store_->GraphEdges(body, false, "responsible"));
        for (const GraphEdge& edge : responsible) {
          if (edge.source.rfind("R:", 0) == 0) ids.insert(edge.source);
        }
      }
    }
    for (const std::string& id : ids) {  // id order, as ListGraphNodes gives
      DOSSIER_ASSIGN_OR_RETURN(std::optional<GraphNode> node, store_->GetGraphNode(id));
      if (node) items.push_back(std::move(*node));
    }
  } else {
    DOSSIER_ASSIGN_OR_RETURN(items, store_->ListGraphNodes('R', 1u << 30, 0));
  }
  json out = json::array();
  for (const GraphNode& item : items) {
    const json& r = item.record;
    if (doc_id && r.value("document", "") != *doc_id) continue;
    std::string due = r.contains("due") && r["due"].is_string() ? r["due"].get<std::string>() : "";
    if (filter.due_before && (due.empty() || PeriodEnd(due) >= *filter.due_before)) continue;
    if (filter.overdue_as_of && (due.empty() || PeriodEnd(due) >= *filter.overdue_as_of)) continue;
    DOSSIER_ASSIGN_OR_RETURN(std::vector<GraphEdge> edges, store_->GraphEdges(item.id, true, ""));
    json responsible_ids = json::array();
    bool matches = wanted.empty();
    for (const GraphEdge& edge : edges) {
      if (edge.type != "responsible") continue;
      responsible_ids.push_back(edge.target);
      matches |= wanted.count(edge.target) > 0;
    }
    // The same recommendation in other documents, in either direction.
    json linked = json::array();
    DOSSIER_ASSIGN_OR_RETURN(std::vector<GraphEdge> incoming, store_->GraphEdges(item.id, false, "same_as"));
    std::set<std::string> linked_ids;
    for (const GraphEdge& edge : edges) {
      if (edge.type == "same_as") linked_ids.insert(edge.target);
    }
    for (const GraphEdge& edge : incoming) linked_ids.insert(edge.source);
    for (const std::string& other_id : linked_ids) {
      DOSSIER_ASSIGN_OR_RETURN(std::optional<GraphNode> other, store_->GetGraphNode(other_id));
      if (!other) continue;
      linked.push_back({{"id", other->id}, {"document", other->record.value("document", "")},
                        {"number", other->record.value("number", "")}, {"due", other->record.value("due", json(nullptr))},
                        {"responsible", other->record.value("responsible", json::array())}});
    }
    if (!matches) continue;
    json rec = NodeToJson(item);
    rec["responsible_ids"] = responsible_ids;
    rec["linked"] = linked;
    Result<std::optional<DocumentSummary>> doc = store_->GetDocument(DocumentId::FromHex(r.value("document", "")).value());
    if (doc.ok() && *doc) {
      rec["title"] = (*doc)->title;
      rec["source"] = (*doc)->sources.empty() ? "" : (*doc)->sources.front().path;
    }
    out.push_back(std::move(rec));
  }
  std::sort(out.begin(), out.end(), [](const json& a, const json& b) {
    return std::make_tuple(a.value("document", ""), a.value("page", 0), a.value("number", "")) <
           std::make_tuple(b.value("document", ""), b.value("page", 0), b.value("number", ""));
  });
  return json{{"recommendations", out}};
}

Result<json> QueryService::Neighbors(std::string_view node_id, uint32_t depth, const std::string& edge_type) const {
  if (depth < 1 || depth > 3) return Status::InvalidArgument("depth: must be 1, 2 or 3");
  DOSSIER_ASSIGN_OR_RETURN(std::optional<GraphNode> start, store_->GetGraphNode(node_id));
  if (!start) return Status::NotFound("no graph node " + std::string(node_id));
  json nodes = json::array(), edges = json::array();
  std::set<std::string> seen = {start->id};
  std::set<std::string> seen_edges;
  nodes.push_back(NodeToJson(*start));
  std::vector<std::string> frontier = {start->id};
  for (uint32_t level = 0; level < depth && !frontier.empty(); ++level) {
    std::vector<std::string> next;
    for (const std::string& id : frontier) {
      for (bool outgoing : {true, false}) {
        DOSSIER_ASSIGN_OR_RETURN(std::vector<GraphEdge> found, store_->GraphEdges(id, outgoing, edge_type));
        for (const GraphEdge& e : found) {
          std::string key = e.source + e.type + e.target + e.document;
          if (seen_edges.insert(key).second) {
            edges.push_back({{"source", e.source}, {"type", e.type}, {"target", e.target}, {"document", e.document},
                             {"evidence", e.evidence}});
          }
          const std::string& other = outgoing ? e.target : e.source;
          if (seen.insert(other).second) {
            DOSSIER_ASSIGN_OR_RETURN(std::optional<GraphNode> node, store_->GetGraphNode(other));
            if (node) nodes.push_back(NodeToJson(*node));
            next.push_back(other);
          }
        }
      }
    }
    frontier = std::move(next);
  }
  return json{{"node", start->id}, {"depth", depth}, {"nodes", nodes}, {"edges", edges}};
}

}  // namespace dossier
