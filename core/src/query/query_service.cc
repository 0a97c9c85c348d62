// The query service: validation, lookups and result assembly for CLI and server.
#include "dossier/query_service.h"

#include <algorithm>
#include <cctype>
#include <chrono>
#include <deque>
#include <iterator>
#include <limits>
#include <functional>
#include <cmath>
#include <cstdio>
#include <tuple>
#include <regex>
#include <set>

#include "dossier/facts.h"
#include "dossier/paths.h"
#include "dossier/text.h"

namespace dossier {

namespace {

// A query as search and the item searches take it: not empty, at most kMaxQueryLength bytes.
Status CheckQuery(const std::string& query) {
  if (query.empty()) return Status::InvalidArgument("q: the query is empty");
  if (query.size() > kMaxQueryLength) {
    return Status::InvalidArgument("q: the query is " + std::to_string(query.size()) + " bytes, the limit is " +
                                   std::to_string(kMaxQueryLength));
  }
  return Status::Ok();
}

}  // namespace

Result<std::unique_ptr<QueryService>> QueryService::Open(const std::string& data_dir) {
  return Open(data_dir, std::nullopt);
}

Result<std::unique_ptr<QueryService>> QueryService::Open(const std::string& data_dir,
                                                         const std::optional<RemoteIndex>& remote_index) {
  DOSSIER_ASSIGN_OR_RETURN(std::unique_ptr<Store> store, Store::Open(data_dir, StoreMode::kReadOnly, remote_index));
  return std::make_unique<QueryService>(std::shared_ptr<Store>(std::move(store)));
}

Result<SearchResponse> QueryService::Search(const SearchRequest& request) const {
  DOSSIER_RETURN_IF_ERROR(CheckQuery(request.query));
  DOSSIER_RETURN_IF_ERROR(CheckQueryLimit("limit", request.limit, kMaxSearchLimit));
  DOSSIER_RETURN_IF_ERROR(CheckQueryOffset("offset", request.offset));
  DOSSIER_RETURN_IF_ERROR(CheckQueryRange("year_from", request.year_from, "year_to", request.year_to));
  // The hits come with their title, language, type and paths (Store::Search).
  DOSSIER_ASSIGN_OR_RETURN(SearchResponse response, store_->Search(request));
  // A hit whose document this reader cannot see yet (the index caught up with
  // a commit before the document store did) or any more (removed) is left
  // out, and out of the total too: a total never promises hits that are not there.
  const size_t before = response.hits.size();
  std::erase_if(response.hits, [](const SearchHit& hit) { return hit.source_paths.empty() && hit.title.empty(); });
  const size_t dropped = before - response.hits.size();
  response.total = response.total >= dropped ? response.total - dropped : 0;
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

Result<DocumentList> QueryService::ListDocuments(uint32_t limit, uint32_t offset) const {
  DOSSIER_RETURN_IF_ERROR(CheckQueryLimit("limit", limit, kMaxListLimit));
  DOSSIER_RETURN_IF_ERROR(CheckQueryOffset("offset", offset));
  DocumentList list;
  DOSSIER_ASSIGN_OR_RETURN(list.documents, store_->ListDocuments(limit, offset));
  DOSSIER_ASSIGN_OR_RETURN(list.total, store_->CountDocuments());
  return list;
}

Result<StoreStats> QueryService::Stats() const { return store_->Stats(); }

Result<nlohmann::json> QueryService::DocumentStructure(std::string_view id_or_path) const {
  using nlohmann::json;
  DOSSIER_ASSIGN_OR_RETURN(DocumentSummary document, FindDocument(id_or_path));
  DOSSIER_ASSIGN_OR_RETURN(std::optional<std::string> stored, store_->GetStructure(document.id));
  if (!stored) {
    const std::string path = document.sources.empty() ? "PATH" : document.sources.front().path;
    return Status::NotFound("document " + document.id.ToHex() +
                            " has no stored structure: it was ingested before Dossier kept documents' structure, "
                            "or without the entities extractor; ingest it again with: dossier remove " +
                            document.id.ToHex() + " && dossier ingest '" + path + "'");
  }
  Result<Fact> fact = DecodeFact(*stored);
  if (!fact.ok() || !std::holds_alternative<StructureFact>(*fact)) {
    return Status::DataLoss("the stored structure of " + document.id.ToHex() + " is damaged" +
                            (fact.ok() ? "" : ": " + fact.status().message()));
  }
  json out = {{"document", {{"id", document.id.ToHex()}, {"title", document.title}, {"page_count", document.page_count}}}};
  for (auto& [key, value] : std::get<StructureFact>(*fact).body.items()) out[key] = std::move(value);
  return out;
}

Result<nlohmann::json> QueryService::ExportRecord(const DocumentSummary& document) const {
  using nlohmann::json;
  DOSSIER_ASSIGN_OR_RETURN(std::vector<std::string> facts, store_->GetFacts(document.id));
  json sources = json::array();
  for (const SourceFile& source : document.sources) sources.push_back(source.path);
  json record = {{"id", document.id.ToHex()},
                 {"source", document.sources.empty() ? "" : document.sources.front().path},
                 {"sources", sources},
                 {"title", document.title},
                 {"title_source", document.title_source.empty() ? json(nullptr) : json(document.title_source)},
                 {"language", document.language},
                 {"date", nullptr},
                 {"date_source", document.date_source.empty() ? json(nullptr) : json(document.date_source)},
                 {"entities", json::array()},
                 {"recommendations", json::array()},
                 {"findings", json::array()},
                 {"conclusions", json::array()},
                 {"dates", json::array()}};
  std::set<std::string> date_values;
  for (const Fact& any : DecodeFacts(facts)) {
    if (const auto* fact = std::get_if<EntityFact>(&any)) {
      json entity = {{"type", WireName(fact->type)},
                     {"name", fact->name},
                     {"aliases", fact->aliases},
                     {"mentions", fact->mentions.size()}};
      if (fact->part_of) entity["part_of"] = *fact->part_of;
      record["entities"].push_back(std::move(entity));
    } else if (const auto* fact = std::get_if<ItemFact>(&any)) {
      json item = {{"number", fact->number}, {"text", fact->text}, {"page", fact->page}};
      if (fact->item_type == ItemType::kRecommendation) {
        item["responsible"] = fact->responsible;
        item["due"] = fact->due ? json(*fact->due) : json(nullptr);
        if (fact->management_response) item["management_response"] = ToJson(*fact->management_response);
        if (!fact->key_actions.empty()) {
          json actions = json::array();
          for (const KeyAction& action : fact->key_actions) actions.push_back(ToJson(action));
          item["key_actions"] = std::move(actions);
        }
        record["recommendations"].push_back(std::move(item));
      } else if (fact->item_type == ItemType::kFinding) {
        record["findings"].push_back(std::move(item));
      } else if (fact->item_type == ItemType::kConclusion) {
        record["conclusions"].push_back(std::move(item));
      }
    } else if (const auto* fact = std::get_if<DateFact>(&any)) {
      const std::string precision(WireName(fact->precision));
      json date = {{"text", fact->text}, {"value", fact->value}, {"precision", precision}, {"page", fact->page}};
      if (fact->end_value) {
        date["end_value"] = *fact->end_value;
        // A range states both of its ends.
        if (date_values.insert(*fact->end_value).second) {
          record["dates"].push_back({{"text", fact->text}, {"value", *fact->end_value},
                                     {"precision", precision}, {"page", fact->page}});
        }
      }
      date_values.insert(fact->value);
      record["dates"].push_back(std::move(date));
    } else if (const auto* fact = std::get_if<DocumentDateFact>(&any)) {
      record["date"] = fact->value;
    }
  }
  // The date the ingester chose (title_date.h); a record stored before it (no title_source) keeps the old fallback.
  if (!document.title_source.empty()) record["date"] = document.date.empty() ? json(nullptr) : json(document.date);
  else if (record["date"].is_null() && !document.metadata.created.empty()) record["date"] = document.metadata.created.substr(0, 10);
  return record;
}

}  // namespace dossier

namespace dossier {

using nlohmann::json;

namespace {

// The part of a sorted list a page asks for: `limit` items from `offset` (limit 0: all of the rest).
json Page(json items, uint32_t offset, uint32_t limit) {
  json page = json::array();
  for (size_t i = offset; i < items.size() && (limit == 0 || page.size() < limit); ++i) page.push_back(std::move(items[i]));
  return page;
}

}  // namespace

namespace {

json NodeToJson(const GraphNode& node) {
  json out = node.record;
  out["id"] = node.id;
  out["kind"] = node.kind;
  return out;
}

}  // namespace

Status CheckQueryDate(std::string_view parameter, const std::optional<std::string>& value) {
  if (!value) return Status::Ok();
  const std::string& s = *value;
  auto digits = [&](size_t from, size_t n) {
    return std::all_of(s.begin() + from, s.begin() + from + n, [](unsigned char c) { return std::isdigit(c); });
  };
  auto invalid = [&](const std::string& why) {
    return Status::InvalidArgument(std::string(parameter) + ": expected a date as YYYY-MM-DD, got '" +
                                   std::string(TruncateUtf8(s, 40)) + "'" + why);
  };
  if (s.size() != 10 || s[4] != '-' || s[7] != '-' || !digits(0, 4) || !digits(5, 2) || !digits(8, 2)) return invalid("");
  const int year = std::stoi(s.substr(0, 4)), month = std::stoi(s.substr(5, 2)), day = std::stoi(s.substr(8, 2));
  if (month < 1 || month > 12) return invalid(" (no month " + std::to_string(month) + ")");
  const std::chrono::year_month_day date{std::chrono::year(year), std::chrono::month(month), std::chrono::day(day)};
  if (!date.ok()) return invalid(" (no such day)");
  return Status::Ok();
}

Status RenameQueryField(const Status& status, const std::map<std::string, std::string, std::less<>>& names) {
  if (status.code() != StatusCode::kInvalidArgument) return status;
  const std::string& message = status.message();
  const size_t colon = message.find(':');
  if (colon == std::string::npos) return status;
  auto it = names.find(std::string_view(message).substr(0, colon));
  if (it == names.end()) return status;
  return Status(status.code(), it->second + message.substr(colon));
}

Status CheckQueryLimit(std::string_view field, uint32_t value, uint32_t max) {
  if (value < 1 || value > max) {
    return Status::InvalidArgument(std::string(field) + ": must be between 1 and " + std::to_string(max) + ", got " +
                                   std::to_string(value));
  }
  return Status::Ok();
}

Status CheckQueryOffset(std::string_view field, uint32_t value) {
  if (value > kMaxOffset) {
    return Status::InvalidArgument(std::string(field) + ": must be at most " + std::to_string(kMaxOffset) + ", got " +
                                   std::to_string(value));
  }
  return Status::Ok();
}

namespace {

// The last day a due value ("2021", "2021-06", "2021-06-30") still covers.
std::string PeriodEnd(const std::string& due) {
  if (due.size() == 4) return due + "-12-31";
  if (due.size() == 7) return due + "-31";
  return due;
}

}  // namespace

Result<json> QueryService::Entities(const std::optional<std::string>& type, const std::optional<std::string>& document,
                                    uint32_t limit, uint32_t offset) const {
  DOSSIER_RETURN_IF_ERROR(CheckQueryLimit("limit", limit, kMaxListLimit));
  DOSSIER_RETURN_IF_ERROR(CheckQueryOffset("offset", offset));
  std::string kinds = "OPX";
  if (type) {
    if (*type == "organisation") kinds = "O";
    else if (*type == "programme") kinds = "P";
    else if (*type == "entity" || *type == "other") kinds = "X";
    else return Status::InvalidArgument("type: must be organisation, programme or entity, got '" + *type + "'");
  }
  json out = json::array();
  uint64_t total = 0;
  if (document) {
    DOSSIER_ASSIGN_OR_RETURN(DocumentSummary doc, FindDocument(*document));
    DOSSIER_ASSIGN_OR_RETURN(std::vector<GraphEdge> edges, store_->GraphEdges("D:" + doc.id.ToHex(), true, "mentions"));
    for (const GraphEdge& edge : edges) {
      if (kinds.find(edge.target[0]) == std::string::npos) continue;
      if (total++ < offset || out.size() >= limit) continue;
      DOSSIER_ASSIGN_OR_RETURN(std::optional<GraphNode> node, store_->GetGraphNode(edge.target));
      if (node) {
        json item = NodeToJson(*node);
        item["pages"] = edge.evidence.value("pages", json::array());
        out.push_back(std::move(item));
      }
    }
  } else {
    // Every entity of the kinds asked for, so that the order (name, then id)
    // and the total hold across pages.
    std::vector<GraphNode> nodes;
    for (char kind : kinds) {
      DOSSIER_ASSIGN_OR_RETURN(std::vector<GraphNode> of_kind,
                               store_->ListGraphNodes(kind, std::numeric_limits<uint32_t>::max(), 0));
      std::move(of_kind.begin(), of_kind.end(), std::back_inserter(nodes));
    }
    auto name_of = [](const GraphNode& n) { return n.record.value("name", ""); };
    std::sort(nodes.begin(), nodes.end(), [&](const GraphNode& a, const GraphNode& b) {
      const std::string name_a = name_of(a), name_b = name_of(b);
      return name_a != name_b ? name_a < name_b : a.id < b.id;
    });
    total = nodes.size();
    for (size_t i = offset; i < nodes.size() && out.size() < limit; ++i) out.push_back(NodeToJson(nodes[i]));
  }
  return json{{"entities", out}, {"total", total}, {"offset", offset}, {"limit", limit}};
}

Result<json> QueryService::Entity(std::string_view name_or_id, uint32_t mentions_limit, uint32_t mentions_offset) const {
  DOSSIER_RETURN_IF_ERROR(CheckQueryLimit("mentions_limit", mentions_limit, kMaxEntityMentionsLimit));
  DOSSIER_RETURN_IF_ERROR(CheckQueryOffset("mentions_offset", mentions_offset));
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
  // only one page of mentions and the first recommendations are read; the
  // responsibilities' total comes from the edge keys alone.
  uint64_t mentions_total = 0, responsible_total = 0, ignored = 0;
  // The record counts the entity's mention edges (its tally, written in the
  // same batch as they are): the total without reading every key ("United
  // Nations" in 7,258 documents took 18.7 ms counted key by key). A record
  // without the count has them counted.
  const auto counted = node.record.find("documents");
  const bool record_counts = counted != node.record.end() && counted->is_number_integer() && counted->get<int64_t>() >= 0;
  DOSSIER_ASSIGN_OR_RETURN(std::vector<GraphEdge> mention_edges,
                           store_->GraphEdgesPage(node.id, false, "mentions", mentions_offset, mentions_limit,
                                                  record_counts ? nullptr : &mentions_total));
  if (record_counts) mentions_total = counted->get<uint64_t>();
  DOSSIER_ASSIGN_OR_RETURN(std::vector<GraphEdge> responsible_edges,
                           store_->GraphEdgesPage(node.id, false, "responsible", 0, kEntityResponsibleForCap, &responsible_total));
  // Units and parents: many documents may state the same link, each
  // once (the other documents' keys passed over).
  DOSSIER_ASSIGN_OR_RETURN(std::vector<std::string> unit_ids, store_->GraphEdgeEnds(node.id, false, "part_of"));
  DOSSIER_ASSIGN_OR_RETURN(std::vector<std::string> parent_ids, store_->GraphEdgeEnds(node.id, true, "part_of"));
  json mentions = json::array(), units = json::array(), parents = json::array(), responsible_for = json::array();
  for (const GraphEdge& edge : mention_edges) {
    Result<std::optional<DocumentSummary>> doc = store_->GetDocument(DocumentId::FromHex(edge.document).value());
    if (!doc.ok()) return doc.status();  // damage, never a mention without its document
    json mention = {{"document", edge.document}, {"pages", edge.evidence.value("pages", json::array())},
                    {"count", edge.evidence.value("mentions", 0)}, {"as", edge.evidence.value("name", "")}};
    if (doc.ok() && *doc) {
      mention["title"] = (*doc)->title;
      mention["source"] = (*doc)->sources.empty() ? "" : (*doc)->sources.front().path;
    }
    mentions.push_back(std::move(mention));
  }
  // Relations the texts state (funds, implements, leads, member of), both ways.
  json relations = json::array();
  for (bool out_going : {true, false}) {
    for (const char* type : {"funds", "implements", "leads", "member_of"}) {
      DOSSIER_ASSIGN_OR_RETURN(std::vector<GraphEdge> edges,
                               store_->GraphEdgesPage(node.id, out_going, type, 0, kEntityRelationsCap, &ignored));
      for (const GraphEdge& edge : edges) {
        const std::string other_id = out_going ? edge.target : edge.source;
        DOSSIER_ASSIGN_OR_RETURN(std::optional<GraphNode> other, store_->GetGraphNode(other_id));
        relations.push_back({{"type", edge.type}, {"direction", out_going ? "outgoing" : "incoming"}, {"id", other_id},
                             {"name", other ? other->record.value("name", "") : ""}, {"document", edge.document},
                             {"page", edge.evidence.value("page", 0)}, {"text", edge.evidence.value("text", "")}});
      }
    }
  }
  out["relations"] = relations;
  for (const GraphEdge& edge : responsible_edges) {
    DOSSIER_ASSIGN_OR_RETURN(std::optional<GraphNode> item, store_->GetGraphNode(edge.source));
    if (item) responsible_for.push_back(NodeToJson(*item));
  }
  // One entry per unit or parent even when several documents state the link.
  for (const std::string& unit_id : unit_ids) {
    DOSSIER_ASSIGN_OR_RETURN(std::optional<GraphNode> unit, store_->GetGraphNode(unit_id));
    if (unit) units.push_back({{"id", unit->id}, {"name", unit->record.value("name", "")}});
  }
  for (const std::string& parent_id : parent_ids) {
    DOSSIER_ASSIGN_OR_RETURN(std::optional<GraphNode> parent, store_->GetGraphNode(parent_id));
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

Result<std::set<std::string>> QueryService::BodyAndUnits(const std::string& name) const {
  std::set<std::string> nodes;
  DOSSIER_ASSIGN_OR_RETURN(std::vector<std::string> ids, store_->FindGraphNodes(name));
  std::deque<std::string> queue(ids.begin(), ids.end());
  while (!queue.empty()) {
    std::string id = queue.front();
    queue.pop_front();
    if (!nodes.insert(id).second) continue;
    DOSSIER_ASSIGN_OR_RETURN(std::vector<GraphEdge> units, store_->GraphEdges(id, false, "part_of"));
    for (const GraphEdge& unit : units) queue.push_back(unit.source);
  }
  return nodes;
}

namespace {

// What decides from a recommendation's record alone whether it is listed:
// its document (asked for, or standing for its near-duplicate group) and
// its due date against the date filters. (Whom it names and whether it
// recurs need its edges: DescribeRecommendation.)
bool ListedByItsRecord(const GraphNode& item, const RecommendationFilter& filter, const std::optional<std::string>& doc_id,
                       const DuplicateGroups& duplicates) {
  const json& r = item.record;
  const std::string item_document = r.value("document", "");
  if (doc_id && item_document != *doc_id) return false;
  if (!doc_id && duplicates.RepresentativeOf(item_document) != item_document) return false;
  const std::string due = r.contains("due") && r["due"].is_string() ? r["due"].get<std::string>() : "";
  if (filter.due_before && (due.empty() || PeriodEnd(due) >= *filter.due_before)) return false;
  if (filter.overdue_as_of && (due.empty() || PeriodEnd(due) >= *filter.overdue_as_of)) return false;
  return true;
}

// Where a recommendation is made again in another evaluation: its recurs
// edges, in either direction (`outgoing` may hold edges of other types,
// left out), less those with another version of its own document or with
// a version that does not stand for its near-duplicate group (`stands_for`:
// the version that stands for the recommendation's own document's group).
json RecursOf(const std::vector<GraphEdge>& outgoing, const std::vector<GraphEdge>& incoming_recurs,
              const std::string& stands_for, const DuplicateGroups& duplicates) {
  json recurs = json::array();
  for (bool is_outgoing : {true, false}) {
    for (const GraphEdge& e : is_outgoing ? outgoing : incoming_recurs) {
      if (e.type != "recurs") continue;
      const std::string other_document = is_outgoing ? e.evidence.value("document", "") : e.document;
      const std::string other_stands_for = duplicates.RepresentativeOf(other_document);
      if (other_stands_for != other_document || other_stands_for == stands_for) continue;
      recurs.push_back({{"id", is_outgoing ? e.target : e.source}, {"document", other_document},
                        {"similarity", e.evidence.value("similarity", 0.0)}});
    }
  }
  return recurs;
}

}  // namespace

// One recommendation as listed (with its links, actions and document), or
// nullopt when `filter` (resolved: `doc_id`, the `wanted` bodies) leaves it out.
Result<std::optional<json>> QueryService::DescribeRecommendation(const GraphNode& item, const RecommendationFilter& filter,
                                                                 const std::optional<std::string>& doc_id,
                                                                 const std::set<std::string>& wanted,
                                                                 const DuplicateGroups& duplicates) const {
  const json& r = item.record;
  if (!ListedByItsRecord(item, filter, doc_id, duplicates)) return std::optional<json>();
  const std::string item_document = r.value("document", "");
  const std::string stands_for = duplicates.RepresentativeOf(item_document);
  DOSSIER_ASSIGN_OR_RETURN(std::vector<GraphEdge> edges, store_->GraphEdges(item.id, true, ""));
  json responsible_ids = json::array();
  bool matches = wanted.empty();
  for (const GraphEdge& edge : edges) {
    if (edge.type != "responsible") continue;
    responsible_ids.push_back(edge.target);
    matches |= wanted.count(edge.target) > 0;
  }
  if (!matches) return std::optional<json>();
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
  // Made again in another evaluation (recurs, either direction).
  // (The outgoing ones are among `edges`, read above: a templated
  // recommendation can have a hundred.)
  DOSSIER_ASSIGN_OR_RETURN(std::vector<GraphEdge> incoming_recurs, store_->GraphEdges(item.id, false, "recurs"));
  json recurs = RecursOf(edges, incoming_recurs, stands_for, duplicates);
  if (filter.recurring && recurs.empty()) return std::optional<json>();
  json rec = NodeToJson(item);
  rec["recurs"] = recurs;
  json action_ids = json::array();
  for (const GraphEdge& edge : edges) {
    if (edge.type == "has_action") action_ids.push_back(edge.target);
  }
  rec["action_ids"] = action_ids;
  // The chain it rests on: conclusions and findings of its document ("based on Conclusion 2").
  json based_on = json::array();
  for (const GraphEdge& edge : edges) {
    if (edge.type == "based_on") based_on.push_back(edge.target);
  }
  rec["based_on"] = based_on;
  rec["responsible_ids"] = responsible_ids;
  rec["linked"] = linked;
  rec["duplicate_of"] = stands_for != item_document ? json(stands_for) : json(nullptr);
  rec["other_versions"] = duplicates.OtherVersionsOf(item_document);
  Result<std::optional<DocumentSummary>> doc = store_->GetDocument(DocumentId::FromHex(r.value("document", "")).value());
  if (!doc.ok()) return doc.status();
  if (*doc) {
    rec["title"] = (*doc)->title;
    rec["source"] = (*doc)->sources.empty() ? "" : (*doc)->sources.front().path;
  }
  return std::optional<json>(std::move(rec));
}

Result<json> QueryService::Recommendations(const RecommendationFilter& filter) const {
  DOSSIER_RETURN_IF_ERROR(CheckQueryOffset("offset", filter.offset));
  DOSSIER_RETURN_IF_ERROR(CheckQueryDate("due_before", filter.due_before));
  DOSSIER_RETURN_IF_ERROR(CheckQueryDate("overdue_as_of", filter.overdue_as_of));
  std::optional<std::string> doc_id;
  if (filter.document) {
    DOSSIER_ASSIGN_OR_RETURN(DocumentSummary doc, FindDocument(*filter.document));
    doc_id = doc.id.ToHex();
  }
  // Who counts as responsible: every entity with that name, and their units.
  std::set<std::string> wanted;
  if (filter.responsible) {
    DOSSIER_ASSIGN_OR_RETURN(wanted, BodyAndUnits(*filter.responsible));
  }
  // A near-duplicate group's recommendations are listed once, under the
  // version that stands for it (unless that other version is asked for).
  DOSSIER_ASSIGN_OR_RETURN(const DuplicateGroups duplicates, NearDuplicateGroups());
  if (filter.query || filter.similar_to) return RankedRecommendations(filter, doc_id, wanted, duplicates);
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
  // Listed by document, page and number (then id, as the nodes come).
  // Which are listed, and in what order, is known from their records (a
  // responsible filter's candidates all have the edge it asks for) and,
  // with --recurring, their recurs edges alone: only the page's are
  // described. Describing every one (all its edges, its linked
  // recommendations, its document) before cutting the page took 3-4 s for
  // the first 100 of 29,274 recommendations at 10,000 documents, and 4-6 s
  // with --recurring.
  // (Each one's sort key read from its record once: read at each
  // comparison, they were a quarter of the listing's instructions.)
  using Key = std::tuple<std::string, int, std::string, size_t>;
  std::vector<Key> listed;
  for (size_t i = 0; i < items.size(); ++i) {
    if (!ListedByItsRecord(items[i], filter, doc_id, duplicates)) continue;
    const json& r = items[i].record;
    if (filter.recurring) {
      // The incoming edges first: an incoming edge's other document is in
      // its key, so neither its evidence (one more read an edge) nor any
      // JSON is needed to tell. The linker links both ways, so the
      // outgoing ones (whose other document is in their evidence) are
      // read only when no incoming one counts.
      const std::string stands_for = duplicates.RepresentativeOf(r.value("document", ""));
      DOSSIER_ASSIGN_OR_RETURN(std::vector<GraphEdge> incoming,
                               store_->GraphEdgesPage(items[i].id, false, "recurs", 0, UINT32_MAX, nullptr, false));
      if (RecursOf({}, incoming, stands_for, duplicates).empty()) {
        DOSSIER_ASSIGN_OR_RETURN(std::vector<GraphEdge> outgoing, store_->GraphEdges(items[i].id, true, "recurs"));
        if (RecursOf(outgoing, {}, stands_for, duplicates).empty()) continue;
      }
    }
    listed.emplace_back(r.value("document", ""), r.value("page", 0), r.value("number", ""), i);
  }
  std::sort(listed.begin(), listed.end());
  json page = json::array();
  size_t total = listed.size();
  for (size_t i = filter.offset; i < listed.size() && (filter.limit == 0 || page.size() < filter.limit); ++i) {
    const GraphNode& item = items[std::get<3>(listed[i])];
    DOSSIER_ASSIGN_OR_RETURN(std::optional<json> rec, DescribeRecommendation(item, filter, doc_id, wanted, duplicates));
    if (rec) {
      page.push_back(std::move(*rec));
    } else {
      --total;  // (none: what the describer checks besides is true of every candidate)
    }
  }
  return json{{"total", total}, {"offset", filter.offset}, {"recommendations", page}};
}

// ---------------------------------------------------------------- items ranked

namespace {

// A ranked listing's default page size (a plain listing's default is all).
constexpr uint32_t kDefaultRankedLimit = 20;

// The hex ids of the versions that do not stand for their near-duplicate group.
std::vector<std::string> NonRepresentatives(const DuplicateGroups& duplicates) {
  std::vector<std::string> out;
  for (const DuplicateGroup& group : duplicates.groups) {
    for (const std::string& doc : group.documents) {
      if (doc != group.representative) out.push_back(doc);
    }
  }
  return out;
}

json FacetsToJson(const std::map<std::string, SearchFacet>& facets) {
  json out = json::object();
  for (const auto& [name, facet] : facets) {
    json values = json::array();
    for (const FacetValue& v : facet.values) values.push_back({{"value", v.value}, {"count", v.count}});
    out[name] = {{"values", values}, {"total_values", facet.total_values}};
  }
  return out;
}

// What a ranked hit adds to the record it is listed with: its ranking, and
// the snippet of `text` (the listed item's, from the graph) for the query.
void AddRanking(const ItemHit& hit, const ItemSearchResponse& found, const std::string& text, json* record) {
  (*record)["rank"] = hit.rank;
  (*record)["percent"] = hit.percent;
  (*record)["score"] = std::round(hit.weight * 1000) / 1000;
  (*record)["snippet"] = found.snippet ? found.snippet(text, hit.language) : "";
  (*record)["all_words"] = hit.all_words;
}

}  // namespace

Result<std::vector<std::string>> QueryService::BodyNames(const std::set<std::string>& bodies, const std::string& name) const {
  std::set<std::string> names = {name};
  for (const std::string& body : bodies) {
    DOSSIER_ASSIGN_OR_RETURN(std::optional<GraphNode> node, store_->GetGraphNode(body));
    if (!node) continue;
    names.insert(node->record.value("name", ""));
    for (const json& alias : node->record.value("aliases", json::array())) {
      if (alias.is_string()) names.insert(alias.get<std::string>());
    }
  }
  names.erase("");
  return std::vector<std::string>(names.begin(), names.end());
}

Result<json> QueryService::LatestActionStatus(const std::string& action_id) const {
  // The statements of one action (a response, then progress updates), joined
  // by same_as in either direction; the latest dated one with a status wins.
  std::set<std::string> seen = {action_id};
  std::vector<std::string> queue = {action_id};
  std::tuple<std::string, std::string> latest;
  json status = nullptr;
  for (size_t i = 0; i < queue.size() && i < 64; ++i) {
    DOSSIER_ASSIGN_OR_RETURN(std::optional<GraphNode> node, store_->GetGraphNode(queue[i]));
    if (!node) continue;
    const json& r = node->record;
    const std::tuple<std::string, std::string> stated = {
        r.value("document_date", json(nullptr)).is_string() ? r["document_date"].get<std::string>() : "",
        r.value("document", "")};
    if (r.value("status", json(nullptr)).is_string() && (status.is_null() || stated > latest)) {
      latest = stated;
      status = r["status"];
    }
    for (bool outgoing : {true, false}) {
      DOSSIER_ASSIGN_OR_RETURN(std::vector<GraphEdge> same, store_->GraphEdges(queue[i], outgoing, "same_as"));
      for (const GraphEdge& e : same) {
        const std::string& other = outgoing ? e.target : e.source;
        if (seen.insert(other).second) queue.push_back(other);
      }
    }
  }
  return status;
}

Result<json> QueryService::RankedRecommendations(const RecommendationFilter& filter, const std::optional<std::string>& doc_id,
                                                 const std::set<std::string>& wanted,
                                                 const DuplicateGroups& duplicates) const {
  ItemSearchRequest request;
  request.types = {"recommendation"};
  json recurs = json::array();  // with similar_to: its recurs links, the strongest cases of "like it"
  std::string own_document;     // with similar_to: its document, whose recommendations are not listed
  if (filter.similar_to) {
    DOSSIER_ASSIGN_OR_RETURN(std::optional<GraphNode> own, store_->GetGraphNode(*filter.similar_to));
    if (!own || own->kind != "recommendation") return Status::NotFound("no recommendation " + *filter.similar_to);
    request.similar_to = own->id;
    own_document = own->record.value("document", "");
    DOSSIER_ASSIGN_OR_RETURN(std::optional<json> described,
                             DescribeRecommendation(*own, RecommendationFilter(), own->record.value("document", ""),
                                                    {}, duplicates));
    if (described) recurs = (*described)["recurs"];
    // Not the other versions of its own document either.
    request.exclude_documents = duplicates.OtherVersionsOf(own->record.value("document", ""));
  } else {
    request.query = *filter.query;
    DOSSIER_RETURN_IF_ERROR(CheckQuery(request.query));
  }
  if (doc_id) {
    request.documents = {*doc_id};
  } else {
    std::vector<std::string> others = NonRepresentatives(duplicates);
    request.exclude_documents.insert(request.exclude_documents.end(), others.begin(), others.end());
  }
  if (filter.responsible) {
    DOSSIER_ASSIGN_OR_RETURN(request.responsible, BodyNames(wanted, *filter.responsible));
  }
  // Due before either date (the describer checks both again).
  request.due_before = filter.due_before;
  if (filter.overdue_as_of && (!request.due_before || *filter.overdue_as_of < *request.due_before)) {
    request.due_before = filter.overdue_as_of;
  }
  request.facets = true;
  const uint32_t limit = filter.limit == 0 ? kDefaultRankedLimit : std::min(filter.limit, kMaxSearchLimit);
  // The graph leaves out restatements (a management response matrix quoting
  // the report) and knows --recurring: rank more than the page from the
  // first match on, keep what the graph keeps, then cut the page.
  request.offset = 0;
  request.limit = filter.recurring ? kMaxSearchLimit
                                   : std::min<uint32_t>(kMaxSearchLimit, 2 * (filter.offset + limit) + 20);
  DOSSIER_ASSIGN_OR_RETURN(ItemSearchResponse found, store_->SearchItems(request));
  json out = json::array();
  uint64_t dropped = 0;
  std::set<std::string> listed;
  // Like a recommendation: first those the graph links to it as made again
  // (recurs: the same body, half the significant words shared; by their
  // similarity), then the rest by relevance feedback.
  std::vector<ItemHit> ordered = found.hits;
  std::stable_sort(recurs.begin(), recurs.end(),
                   [](const json& a, const json& b) { return a.value("similarity", 0.0) > b.value("similarity", 0.0); });
  std::vector<ItemHit> linked;
  for (const json& link : recurs) {
    const std::string id = link.value("id", "");
    auto it = std::find_if(ordered.begin(), ordered.end(), [&](const ItemHit& h) { return h.id == id; });
    if (it != ordered.end()) {
      linked.push_back(*it);
      ordered.erase(it);
    } else if (std::none_of(linked.begin(), linked.end(), [&](const ItemHit& h) { return h.id == id; })) {
      ItemHit hit;  // linked, though its words did not rank it among the candidates
      hit.id = id;
      hit.type = "recommendation";
      linked.push_back(std::move(hit));
    }
  }
  ordered.insert(ordered.begin(), linked.begin(), linked.end());
  // Each hit costs graph reads: describe them until the page is full.
  const size_t enough = filter.recurring ? ordered.size() : filter.offset + limit;
  bool stopped = false;
  for (const ItemHit& hit : ordered) {
    if (out.size() >= enough) {
      stopped = true;
      break;
    }
    // A restatement (a progress update or response matrix quoting the
    // report, same_as) stands for its original, which carries the response
    // and the actions, unless the filters leave the original out.
    std::optional<json> rec;
    DOSSIER_ASSIGN_OR_RETURN(std::vector<GraphEdge> restates, store_->GraphEdges(hit.id, true, "same_as"));
    for (const std::string& id : {restates.empty() ? hit.id : restates.front().target, hit.id}) {
      if (rec || listed.count(id)) break;
      DOSSIER_ASSIGN_OR_RETURN(std::optional<GraphNode> node, store_->GetGraphNode(id));
      if (node) {
        DOSSIER_ASSIGN_OR_RETURN(rec, DescribeRecommendation(*node, filter, doc_id, wanted, duplicates));
      }
    }
    // A restatement (a progress update quoting it, linked by same_as) is
    // listed once, where it ranks first.
    bool restated = false;
    if (rec) {
      for (const json& linked : (*rec)["linked"]) restated |= listed.count(linked.value("id", "")) > 0;
    }
    // (With similar_to: not a recommendation of its own document, which a restatement elsewhere may stand for.)
    if (rec && !own_document.empty() && rec->value("document", "") == own_document) rec.reset();
    if (!rec || restated) {
      ++dropped;  // a restatement, the graph not caught up with the index, or a filter only the graph knows
      continue;
    }
    listed.insert((*rec)["id"].get<std::string>());
    AddRanking(hit, found, rec->value("text", ""), &*rec);
    (*rec)["rank"] = out.size() + 1;  // after the restatements left out
    // Its follow-up: the response, and each key action's latest status.
    json actions = json::array();
    for (const json& action_id : (*rec)["action_ids"]) {
      DOSSIER_ASSIGN_OR_RETURN(std::optional<GraphNode> action, store_->GetGraphNode(action_id.get<std::string>()));
      DOSSIER_ASSIGN_OR_RETURN(json status, LatestActionStatus(action_id.get<std::string>()));
      actions.push_back({{"id", action_id}, {"number", action ? action->record.value("number", "") : ""},
                         {"status", status}});
    }
    std::sort(actions.begin(), actions.end(), [](const json& a, const json& b) { return a["number"] < b["number"]; });
    const json response = rec->value("management_response", json(nullptr));
    (*rec)["follow_up"] = {{"response_status", response.is_object() ? response.value("status", json(nullptr)) : json(nullptr)},
                           {"actions", actions}};
    out.push_back(std::move(*rec));
  }
  // Every match was ranked when fewer than asked for came back; otherwise the
  // index's count less what the graph left out of those ranked.
  // (Items with only some of the words, listed when there is room, are not counted, as in a search.)
  const uint64_t with_all_words = std::count_if(out.begin(), out.end(), [](const json& r) { return r["all_words"] == true; });
  const uint64_t total = (found.hits.size() < request.limit && !stopped) || filter.recurring
                             ? with_all_words
                             : std::max<uint64_t>(found.total >= dropped ? found.total - dropped : 0, with_all_words);
  json result = {{"total", total}, {"offset", filter.offset}, {"limit", limit},
                 {"facets", FacetsToJson(found.facets)}, {"facets_exact", found.facets_exact}, {"recommendations", Page(std::move(out), filter.offset, limit)}};
  if (filter.similar_to) result["similar_to"] = *request.similar_to;
  else result["query"] = *filter.query;
  return result;
}

Result<json> QueryService::RankedActions(const ActionFilter& filter) const {
  DOSSIER_RETURN_IF_ERROR(CheckQuery(*filter.query));
  // Every action the filters keep (latest status, evaluation, overdue), then
  // in the order the item search ranks their statements.
  ActionFilter all = filter;
  all.query.reset();
  all.limit = 0;
  all.offset = 0;
  DOSSIER_ASSIGN_OR_RETURN(json listed, Actions(all));
  std::map<std::string, size_t> action_of;  // statement id -> index in listed["actions"]
  for (size_t i = 0; i < listed["actions"].size(); ++i) {
    for (const json& statement : listed["actions"][i]["history"]) action_of[statement.value("id", "")] = i;
  }
  ItemSearchRequest request;
  request.types = {"key_action"};
  request.query = *filter.query;
  request.limit = kMaxSearchLimit;
  request.facets = true;
  DOSSIER_ASSIGN_OR_RETURN(ItemSearchResponse found, store_->SearchItems(request));
  json out = json::array();
  std::vector<const ItemHit*> hit_of;  // the statement that ranked each action listed
  std::set<size_t> taken;
  for (const ItemHit& hit : found.hits) {
    auto it = action_of.find(hit.id);
    if (it == action_of.end() || !taken.insert(it->second).second) continue;
    json action = std::move(listed["actions"][it->second]);
    action["rank"] = out.size() + 1;
    out.push_back(std::move(action));
    hit_of.push_back(&hit);
  }
  const uint32_t limit = filter.limit == 0 ? kDefaultRankedLimit : filter.limit;
  const size_t total = out.size();
  json page = Page(std::move(out), filter.offset, limit);
  // The page's snippets, each of the statement that matched (the listed
  // record is the action's latest statement).
  for (size_t i = 0; i < page.size(); ++i) {
    const ItemHit& hit = *hit_of[filter.offset + i];
    DOSSIER_ASSIGN_OR_RETURN(std::optional<GraphNode> statement, store_->GetGraphNode(hit.id));
    const uint64_t rank = page[i]["rank"];
    AddRanking(hit, found, statement ? statement->record.value("text", "") : page[i].value("text", ""), &page[i]);
    page[i]["rank"] = rank;
  }
  return json{{"as_of", listed["as_of"]}, {"query", *filter.query}, {"total", total}, {"offset", filter.offset},
              {"limit", limit}, {"facets", FacetsToJson(found.facets)}, {"facets_exact", found.facets_exact},
              {"actions", std::move(page)}};
}

Result<json> QueryService::SearchItems(const ItemSearchRequest& request_in) const {
  ItemSearchRequest request = request_in;
  DOSSIER_RETURN_IF_ERROR(CheckQuery(request.query));
  DOSSIER_RETURN_IF_ERROR(CheckQueryLimit("limit", request.limit, kMaxSearchLimit));
  DOSSIER_RETURN_IF_ERROR(CheckQueryOffset("offset", request.offset));
  DOSSIER_RETURN_IF_ERROR(CheckQueryRange("year_from", request.year_from, "year_to", request.year_to));
  for (const std::string& type : request.types) {
    if (std::find(std::begin(kItemTypes), std::end(kItemTypes), type) == std::end(kItemTypes)) {
      return Status::InvalidArgument("types: expected recommendation, finding, conclusion, management_response or "
                                     "key_action, got '" + std::string(TruncateUtf8(type, 40)) + "'");
    }
  }
  if (ResponseStatus status; request.response_status && !ParseWireName(*request.response_status, &status)) {
    return Status::InvalidArgument("response_status: expected accepted, partially accepted or not accepted, got '" +
                                   std::string(TruncateUtf8(*request.response_status, 40)) + "'");
  }
  if (ActionStatus status; request.action_status && !ParseWireName(*request.action_status, &status)) {
    return Status::InvalidArgument("action_status: expected completed, initiated, not started, overdue or no longer "
                                   "applicable, got '" + std::string(TruncateUtf8(*request.action_status, 40)) + "'");
  }
  DOSSIER_RETURN_IF_ERROR(CheckQueryDate("due_before", request.due_before));
  if (!request.as_of.empty()) DOSSIER_RETURN_IF_ERROR(CheckQueryDate("as_of", request.as_of));
  if (request.as_of.empty()) request.as_of = Today();
  DOSSIER_ASSIGN_OR_RETURN(const DuplicateGroups duplicates, NearDuplicateGroups());
  for (std::string& document : request.documents) {
    DOSSIER_ASSIGN_OR_RETURN(DocumentSummary doc, FindDocument(document));
    document = doc.id.ToHex();
  }
  if (request.documents.empty()) request.exclude_documents = NonRepresentatives(duplicates);
  std::vector<std::string> responsible;
  for (const std::string& name : request.responsible) {
    DOSSIER_ASSIGN_OR_RETURN(std::set<std::string> bodies, BodyAndUnits(name));
    DOSSIER_ASSIGN_OR_RETURN(std::vector<std::string> names, BodyNames(bodies, name));
    responsible.insert(responsible.end(), names.begin(), names.end());
  }
  request.responsible = std::move(responsible);
  DOSSIER_ASSIGN_OR_RETURN(ItemSearchResponse found, store_->SearchItems(request));
  json items = json::array();
  std::map<std::string, std::optional<DocumentSummary>> documents;
  for (const ItemHit& hit : found.hits) {
    DOSSIER_ASSIGN_OR_RETURN(std::optional<GraphNode> node, store_->GetGraphNode(hit.id));
    if (!documents.count(hit.document)) {
      Result<DocumentId> id = DocumentId::FromHex(hit.document);
      if (!id.ok()) continue;
      DOSSIER_ASSIGN_OR_RETURN(documents[hit.document], store_->GetDocument(*id));
    }
    const std::optional<DocumentSummary>& doc = documents[hit.document];
    if (!node || !doc) continue;  // the graph or the records have not caught up with the index
    const json& r = node->record;
    json response = r.value("management_response", json(nullptr));
    // A management response's entry is its recommendation's node, which holds the response's text.
    const std::string text = hit.type == "management_response" && response.is_object() ? response.value("text", "")
                                                                                        : r.value("text", "");
    json item = {{"id", hit.id}, {"type", hit.type}, {"number", hit.number}, {"document", hit.document},
                 {"title", doc->title}, {"source", doc->sources.empty() ? "" : doc->sources.front().path},
                 {"page", hit.page}, {"text", text}, {"responsible", r.value("responsible", json::array())},
                 {"due", hit.type == "management_response" ? json(nullptr) : r.value("due", json(nullptr))},
                 {"response_status", nullptr}, {"action_status", nullptr}, {"recommendation", nullptr}};
    AddRanking(hit, found, text, &item);
    if (hit.type == "key_action") {
      const std::string rec_id = r.value("recommendation", "");
      DOSSIER_ASSIGN_OR_RETURN(std::optional<GraphNode> rec, store_->GetGraphNode(rec_id));
      if (rec) response = rec->record.value("management_response", json(nullptr));
      item["recommendation"] = {{"id", rec_id}, {"number", r.value("recommendation_number", "")}};
      DOSSIER_ASSIGN_OR_RETURN(item["action_status"], LatestActionStatus(hit.id));
    } else if (hit.type == "management_response") {
      item["recommendation"] = {{"id", hit.id}, {"number", hit.number}};
    }
    if (response.is_object()) item["response_status"] = response.value("status", json(nullptr));
    items.push_back(std::move(item));
  }
  const uint64_t dropped = found.hits.size() - items.size();
  return json{{"query", request.query}, {"total", found.total >= dropped ? found.total - dropped : 0},
              {"total_exact", found.total_exact}, {"offset", request.offset}, {"limit", request.limit},
              {"items", items}, {"facets", FacetsToJson(found.facets)}, {"facets_exact", found.facets_exact}};
}

// ---------------------------------------------------------------- follow-up

namespace {

std::string IsoDay(int64_t ms_since_epoch) {
  const std::chrono::sys_days day = std::chrono::floor<std::chrono::days>(
      std::chrono::sys_time<std::chrono::milliseconds>(std::chrono::milliseconds(ms_since_epoch)));
  const std::chrono::year_month_day ymd(day);
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()),
                static_cast<unsigned>(ymd.day()));
  return buf;
}

}  // namespace

std::string QueryService::Today() const { return IsoDay(env_->NowMs()); }

namespace {

bool IsClosedStatus(const std::string& status) { return status == "completed" || status == "no longer applicable"; }

// Overdue as of `as_of`: stated so, or due before that day and not closed.
// A due value covers its whole period: "2026-03" is due until 31 March.
bool IsOverdue(const json& action, const std::string& as_of) {
  const std::string status = action.value("status", json(nullptr)).is_string() ? action["status"].get<std::string>() : "";
  if (IsClosedStatus(status)) return false;
  if (status == "overdue") return true;
  if (!action.contains("due") || !action["due"].is_string()) return false;
  return PeriodEnd(action["due"].get<std::string>()) < as_of;
}

}  // namespace

Result<json> QueryService::Actions(const ActionFilter& filter) const {
  DOSSIER_RETURN_IF_ERROR(CheckQueryOffset("offset", filter.offset));
  DOSSIER_RETURN_IF_ERROR(CheckQueryDate("due_before", filter.due_before));
  DOSSIER_RETURN_IF_ERROR(CheckQueryDate("overdue_as_of", filter.overdue_as_of));
  if (!filter.as_of.empty()) DOSSIER_RETURN_IF_ERROR(CheckQueryDate("as_of", filter.as_of));
  static const std::set<std::string> kStatuses = {"completed", "initiated", "not started", "overdue", "no longer applicable"};
  if (filter.status && !kStatuses.count(*filter.status)) {
    return Status::InvalidArgument("status: expected one of completed, initiated, not started, overdue, no longer applicable; got '" +
                                   *filter.status + "'");
  }
  if (filter.query) return RankedActions(filter);
  const std::string as_of = filter.overdue_as_of ? *filter.overdue_as_of : filter.as_of.empty() ? Today() : filter.as_of;
  // A near-duplicate group's actions are counted once: those of the version
  // that stands for it (an evaluation named by another version means it).
  DOSSIER_ASSIGN_OR_RETURN(const DuplicateGroups duplicates, NearDuplicateGroups());
  std::optional<std::string> evaluation;
  std::set<std::string> answering;  // documents that respond to the evaluation (responds_to)
  if (filter.evaluation) {
    DOSSIER_ASSIGN_OR_RETURN(DocumentSummary doc, FindDocument(*filter.evaluation));
    evaluation = duplicates.RepresentativeOf(doc.id.ToHex());
    std::vector<std::string> versions = duplicates.OtherVersionsOf(*evaluation);
    versions.push_back(*evaluation);
    for (const std::string& version : versions) {
      answering.insert(version);
      DOSSIER_ASSIGN_OR_RETURN(std::vector<GraphEdge> responses, store_->GraphEdges("D:" + version, false, "responds_to"));
      for (const GraphEdge& e : responses) answering.insert(duplicates.RepresentativeOf(e.source.substr(2)));
    }
  }
  std::set<std::string> wanted;
  if (filter.responsible) {
    DOSSIER_ASSIGN_OR_RETURN(wanted, BodyAndUnits(*filter.responsible));
    if (wanted.empty()) return json{{"as_of", as_of}, {"total", 0}, {"actions", json::array()}};
  }
  DOSSIER_ASSIGN_OR_RETURN(std::vector<GraphNode> all, store_->ListGraphNodes('A', 1u << 30, 0));
  std::erase_if(all, [&](const GraphNode& node) {
    const std::string document = node.record.value("document", "");
    return duplicates.RepresentativeOf(document) != document;
  });
  std::map<std::string, size_t> index;
  for (size_t i = 0; i < all.size(); ++i) index[all[i].id] = i;
  // Statements of one action in several documents (a response, then progress
  // updates) form a group, joined by same_as; the latest statement wins.
  std::vector<size_t> parent(all.size());
  for (size_t i = 0; i < all.size(); ++i) parent[i] = i;
  std::function<size_t(size_t)> root = [&](size_t i) { return parent[i] == i ? i : parent[i] = root(parent[i]); };
  for (size_t i = 0; i < all.size(); ++i) {
    DOSSIER_ASSIGN_OR_RETURN(std::vector<GraphEdge> same, store_->GraphEdges(all[i].id, true, "same_as"));
    for (const GraphEdge& e : same) {
      if (auto it = index.find(e.target); it != index.end()) parent[root(i)] = root(it->second);
    }
  }
  std::map<size_t, std::vector<size_t>> groups;
  for (size_t i = 0; i < all.size(); ++i) groups[root(i)].push_back(i);
  auto stated_at = [&](size_t i) {
    const json& r = all[i].record;
    return std::make_pair(r.value("document_date", json(nullptr)).is_string() ? r["document_date"].get<std::string>() : "",
                          r.value("document", ""));
  };
  std::map<std::string, json> recommendations;  // node id -> record (cache)
  json out = json::array();
  for (auto& [group_root, members] : groups) {
    std::sort(members.begin(), members.end(), [&](size_t a, size_t b) { return stated_at(a) < stated_at(b); });
    size_t latest = members.back();
    json history = json::array();
    std::string latest_status;
    json latest_status_text = nullptr;
    for (size_t m : members) {
      const json& r = all[m].record;
      if (r.contains("status") && r["status"].is_string()) {
        latest_status = r["status"];
        latest_status_text = r.value("status_text", json(nullptr));
      }
      history.push_back({{"status", r.value("status", json(nullptr))}, {"status_text", r.value("status_text", json(nullptr))},
                         {"document", r.value("document", "")}, {"document_date", r.value("document_date", json(nullptr))},
                         {"page", r.value("page", 0)}, {"id", all[m].id}});
    }
    const GraphNode& node = all[latest];
    // The first statement (the response or report that promised the action)
    // names its evaluation and recommendation; the latest gives the status.
    const json& origin = all[members.front()].record;
    json action = node.record;
    action["evaluation"] = {{"id", origin.value("document", "")}, {"title", origin.value("document_title", "")},
                            {"date", origin.value("document_date", json(nullptr))}};
    action["recommendation"] = origin.value("recommendation", "");
    action["id"] = node.id;
    action["status"] = latest_status.empty() ? json(nullptr) : json(latest_status);
    action["status_text"] = latest_status_text;
    action["history"] = history;
    action["overdue"] = IsOverdue(action, as_of);
    action["other_versions"] = duplicates.OtherVersionsOf(node.record.value("document", ""));
    // Responsible: this statement's units (ids for following the graph).
    DOSSIER_ASSIGN_OR_RETURN(std::vector<GraphEdge> edges, store_->GraphEdges(node.id, true, "responsible"));
    json responsible_ids = json::array();
    bool matches = wanted.empty();
    for (size_t m : members) {
      DOSSIER_ASSIGN_OR_RETURN(std::vector<GraphEdge> member_edges, store_->GraphEdges(all[m].id, true, "responsible"));
      for (const GraphEdge& e : member_edges) matches |= wanted.count(e.target) > 0;
    }
    for (const GraphEdge& e : edges) responsible_ids.push_back(e.target);
    action["responsible_ids"] = responsible_ids;
    if (!matches) continue;
    if (filter.status && action["status"] != *filter.status && !(*filter.status == "overdue" && action["overdue"] == true)) continue;
    const std::string due = action.contains("due") && action["due"].is_string() ? action["due"].get<std::string>() : "";
    if (filter.due_before && (due.empty() || PeriodEnd(due) >= *filter.due_before)) continue;
    if (filter.overdue_as_of && !action["overdue"].get<bool>()) continue;
    // The recommendation it serves, and the evaluations that recommendation belongs to.
    const std::string rec_id = action.value("recommendation", "");
    if (!recommendations.count(rec_id)) {
      DOSSIER_ASSIGN_OR_RETURN(std::optional<GraphNode> rec, store_->GetGraphNode(rec_id));
      json r = rec ? rec->record : json::object();
      json documents = json::array({r.value("document", "")});
      if (rec) {
        for (bool outgoing : {true, false}) {
          DOSSIER_ASSIGN_OR_RETURN(std::vector<GraphEdge> same, store_->GraphEdges(rec_id, outgoing, "same_as"));
          for (const GraphEdge& e : same) {
            DOSSIER_ASSIGN_OR_RETURN(std::optional<GraphNode> other, store_->GetGraphNode(outgoing ? e.target : e.source));
            if (other) documents.push_back(other->record.value("document", ""));
          }
        }
      }
      r["documents"] = documents;
      recommendations[rec_id] = std::move(r);
    }
    const json& rec = recommendations[rec_id];
    if (evaluation) {
      bool belongs = false;
      for (const auto& d : rec["documents"]) belongs |= duplicates.RepresentativeOf(d.get<std::string>()) == *evaluation;
      for (size_t m : members) belongs |= answering.count(all[m].record.value("document", "")) > 0;
      if (!belongs) continue;
    }
    action["recommendation"] = {{"id", rec_id}, {"number", rec.value("number", "")}, {"text", rec.value("text", "")},
                                {"management_response", rec.value("management_response", json(nullptr))}};
    action.erase("recommendation_number");
    action.erase("item_type");
    out.push_back(std::move(action));
  }
  std::sort(out.begin(), out.end(), [](const json& a, const json& b) {
    auto due = [](const json& x) { return x.contains("due") && x["due"].is_string() ? PeriodEnd(x["due"]) : "9999"; };
    return std::make_tuple(due(a), a.value("document", ""), a.value("number", "")) <
           std::make_tuple(due(b), b.value("document", ""), b.value("number", ""));
  });
  const size_t total = out.size();
  return json{{"as_of", as_of}, {"total", total}, {"offset", filter.offset},
              {"actions", Page(std::move(out), filter.offset, filter.limit)}};
}

Result<json> QueryService::FollowUp(const std::string& as_of_in) const {
  ActionFilter filter;
  filter.as_of = as_of_in;
  DOSSIER_ASSIGN_OR_RETURN(json listed, Actions(filter));
  const std::string as_of = listed["as_of"];
  struct Tally {
    std::string name, id;
    uint64_t total = 0, overdue = 0;
    std::map<std::string, uint64_t> by_status;
    json oldest_overdue = nullptr;
  };
  std::map<std::string, Tally> units, evaluations;
  auto count = [&](Tally& t, const json& action) {
    ++t.total;
    const std::string status = action["status"].is_string() ? action["status"].get<std::string>() : "unknown";
    ++t.by_status[status];
    if (action["overdue"].get<bool>()) {
      ++t.overdue;
      const std::string due = action.contains("due") && action["due"].is_string() ? action["due"].get<std::string>() : "";
      if (t.oldest_overdue.is_null() || (!due.empty() && PeriodEnd(due) < PeriodEnd(t.oldest_overdue.value("due", "9999")))) {
        t.oldest_overdue = {{"id", action["id"]}, {"number", action.value("number", "")}, {"text", action.value("text", "")},
                            {"due", action.value("due", json(nullptr))}, {"document", action.value("document", "")},
                            {"page", action.value("page", 0)}};
      }
    }
  };
  for (const json& action : listed["actions"]) {
    const json& names = action["responsible"];
    const json& ids = action["responsible_ids"];
    if (names.empty()) {
      Tally& t = units["(none stated)"];
      t.name = "(none stated)";
      count(t, action);
    }
    for (size_t k = 0; k < names.size(); ++k) {
      Tally& t = units[names[k].get<std::string>()];
      t.name = names[k];
      if (k < ids.size()) t.id = ids[k];
      count(t, action);
    }
    const std::string doc = action["evaluation"].value("id", "");
    Tally& e = evaluations[doc];
    e.id = doc;
    e.name = action["evaluation"].value("title", "");
    count(e, action);
  }
  auto to_json = [](const std::map<std::string, Tally>& tallies, const char* key) {
    json out = json::array();
    for (const auto& [name, t] : tallies) {
      out.push_back({{key, t.name}, {"id", t.id.empty() ? json(nullptr) : json(t.id)}, {"total", t.total},
                     {"by_status", t.by_status}, {"overdue", t.overdue}, {"oldest_overdue", t.oldest_overdue}});
    }
    std::stable_sort(out.begin(), out.end(), [](const json& a, const json& b) { return a["overdue"] > b["overdue"]; });
    return out;
  };
  return json{{"as_of", as_of}, {"actions", listed["total"]}, {"units", to_json(units, "unit")},
              {"evaluations", to_json(evaluations, "title")}};
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
