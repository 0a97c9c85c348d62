// The query service: the one place where questions to a data folder are
// answered. The CLI and the HTTP server both call it and only format results.
#pragma once

#include <iosfwd>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include <nlohmann/json.hpp>

#include "dossier/document.h"
#include "dossier/env.h"
#include "dossier/graph.h"
#include "dossier/near_duplicate.h"
#include "dossier/search.h"
#include "dossier/status.h"
#include "dossier/store.h"

namespace dossier {

// Validation: QueryService checks every request it is given (offsets,
// limits, dates, date and year ranges, enumerated values) and answers
// InvalidArgument with a message that starts with the request field's own
// name ("offset: ...", "due_before: ...", "year_to: ..."). The CLI and the
// server only parse types; each maps a field name to its own spelling
// (cli/command.cc: "--due-before"; the HTTP parameters are the field names).

// The largest `offset` of every paged request.
inline constexpr uint32_t kMaxOffset = 100000;
// The largest `limit` of the plain lists (documents, entities).
inline constexpr uint32_t kMaxListLimit = 1000;

// Paging of an entity's mentions (QueryService::Entity).
inline constexpr uint32_t kDefaultEntityMentionsLimit = 50;
inline constexpr uint32_t kMaxEntityMentionsLimit = 1000;
inline constexpr uint32_t kEntityResponsibleForCap = 50;
// At most this many relations of each type and direction are listed.
inline constexpr uint32_t kEntityRelationsCap = 100;

// The rule for every date a query takes, in the CLI and the API alike:
// YYYY-MM-DD naming a real calendar day (2024-02-29 yes, 2023-02-29 and
// 2024-13-01 no). OK for nullopt; otherwise InvalidArgument naming
// `parameter` (the request field's name, e.g. "due_before") and the value.
Status CheckQueryDate(std::string_view parameter, const std::optional<std::string>& value);
// For the CLI and the server: `status` with the field name its message starts
// with ("due_before: ...") replaced by names[field] ("--due-before: ...").
// Only InvalidArgument is rewritten, and only fields found in `names`.
Status RenameQueryField(const Status& status, const std::map<std::string, std::string, std::less<>>& names);
// `field` (a limit) in 1..max: OK, or InvalidArgument naming `field`.
Status CheckQueryLimit(std::string_view field, uint32_t value, uint32_t max);
// `field` (an offset) at most kMaxOffset: OK, or InvalidArgument naming `field`.
Status CheckQueryOffset(std::string_view field, uint32_t value);
// A range of dates or years given by two fields (either may be absent): OK
// unless both are there and `to` is before `from`; then InvalidArgument
// naming `to_field`, e.g. "year_to: 2020 is before year_from 2022".
template <typename T>
Status CheckQueryRange(std::string_view from_field, const std::optional<T>& from, std::string_view to_field,
                       const std::optional<T>& to) {
  if (!from || !to || !(*to < *from)) return Status::Ok();
  auto text = [](const T& v) {
    if constexpr (std::is_arithmetic_v<T>) return std::to_string(v);
    else return std::string(v);
  };
  return Status::InvalidArgument(std::string(to_field) + ": " + text(*to) + " is before " + std::string(from_field) +
                                 " " + text(*from));
}

// One page of the stored documents, in id order, and how many there are.
struct DocumentList {
  std::vector<DocumentSummary> documents;
  uint64_t total = 0;
};

// Paging of near-duplicate groups (QueryService::Duplicates).
inline constexpr uint32_t kDefaultDuplicatesLimit = 100;
inline constexpr uint32_t kMaxDuplicatesLimit = 1000;

// Documents linked by near_duplicate edges, transitively, form a group; one
// version stands for the group in follow-up, recommendations, actions and
// recurrence: the one with the smallest share of OCR'd pages (the text-layer
// version), then the newest (document date, else creation date), then the
// lowest id. Nothing is deleted: the others stay searchable.
struct DuplicateGroup {
  std::string representative;         // hex id of the version that stands for the group
  std::vector<std::string> documents;  // hex ids: the representative, then the others by id
};
struct DuplicateGroups {
  std::vector<DuplicateGroup> groups;       // by representative id
  std::map<std::string, size_t> group_of;   // hex id -> index in `groups`
  std::vector<NearDuplicatePair> pairs;     // every near_duplicate link
  // The representative of `doc`'s group; `doc` itself when it is in none.
  std::string RepresentativeOf(const std::string& doc) const;
  // The other documents of `doc`'s group (empty when it is in none).
  std::vector<std::string> OtherVersionsOf(const std::string& doc) const;
};

// Thread-safe: every method may be called from several threads at once.
class QueryService {
 public:
  // Opens `data_dir` read-only (works while an ingest writes to it).
  static Result<std::unique_ptr<QueryService>> Open(const std::string& data_dir);
  // With `remote_index`: searches the shards xapian-tcpsrv serves instead of
  // the folder's own page index (Store::Open).
  static Result<std::unique_ptr<QueryService>> Open(const std::string& data_dir,
                                                    const std::optional<RemoteIndex>& remote_index);
  // `env` gives the clock ("today" when a request names no date); never null.
  explicit QueryService(std::shared_ptr<Store> store, Env* env = Env::Default())
      : store_(std::move(store)), env_(env) {}

  // Validates the request (InvalidArgument naming the bad parameter), then
  // searches and fills each hit's title, language, type and paths.
  Result<SearchResponse> Search(const SearchRequest& request) const;

  // A document by its 16-hex-digit id or by one of its source paths
  // (relative paths are taken from the current directory). NotFound otherwise.
  Result<DocumentSummary> FindDocument(std::string_view id_or_path) const;
  Result<std::vector<PageText>> GetPages(const DocumentId& id) const;
  // One page (1-based); NotFound past the last page.
  Result<PageText> GetPage(const DocumentId& id, uint32_t page) const;
  // Documents `offset`.. `offset + limit - 1` in id order, with the total;
  // InvalidArgument for a limit outside 1..kMaxListLimit or an offset above kMaxOffset.
  Result<DocumentList> ListDocuments(uint32_t limit, uint32_t offset) const;
  Result<StoreStats> Stats() const;

  // A document in the export contract (schemas/export-record.schema.json):
  // metadata, entities, recommendations, findings, conclusions and dates.
  Result<nlohmann::json> ExportRecord(const DocumentSummary& document) const;

  // A document's structure model, as the entities extractor read it
  // (schemas/structure.schema.json): the running lines it removed, the
  // section tree with roles, topics and pages, and under each section its
  // labelled blocks (list items, table rows, and any block taken as an item
  // or key action), each marked with what it was taken as. `id_or_path` as
  // FindDocument. NotFound for an unknown document, and for one stored
  // without a structure (ingested before Dossier kept it, or without the
  // entities extractor), with a message saying how to re-ingest it.
  Result<nlohmann::json> DocumentStructure(std::string_view id_or_path) const;

  // ---- the knowledge graph ----

  // Entities, optionally of one type (organisation, programme, entity) or
  // mentioned by one document; each as {id, kind, name, type, aliases,
  // documents}, sorted by name then id (or, for one document, in the order
  // the document's mentions are stored), with `total`, `offset` and `limit`.
  Result<nlohmann::json> Entities(const std::optional<std::string>& type, const std::optional<std::string>& document,
                                  uint32_t limit, uint32_t offset) const;
  // One entity by node id, name or alias: its record, the documents and pages
  // that mention it (`mentions_limit` of them from `mentions_offset`, in
  // document id order, with `mentions_total`), its parent and units, and the
  // first kEntityResponsibleForCap recommendations it must act on (with
  // `responsible_for_total`). NotFound when nothing has that name;
  // InvalidArgument for a limit outside 1..kMaxEntityMentionsLimit.
  Result<nlohmann::json> Entity(std::string_view name_or_id, uint32_t mentions_limit = kDefaultEntityMentionsLimit,
                                uint32_t mentions_offset = 0) const;
  // Recommendations matching `filter`, each with its document, page,
  // responsible bodies, due date and linked items.
  Result<nlohmann::json> Recommendations(const RecommendationFilter& filter) const;
  // Items (recommendations, findings, conclusions, management responses and
  // key actions) ranked by relevance to a query, each with its document,
  // page, snippet, responsible bodies, due date, response status and, for a
  // key action, its latest status (schemas/items.schema.json). Filters as in
  // `request`; `responsible` takes a body's aliases and units as
  // Recommendations does; a near-duplicate group's items come from the version
  // that stands for it.
  Result<nlohmann::json> SearchItems(const ItemSearchRequest& request) const;
  // Writes the whole graph as GraphML or JSON-LD (every node with its record,
  // every edge with its type, document and evidence).
  Status ExportGraph(const std::string& format, std::ostream& out) const;

  // Key actions matching `filter`, each with its recommendation, document,
  // page, responsible units, time frame, latest status, status history
  // (each statement with its document and date) and whether it is overdue.
  Result<nlohmann::json> Actions(const ActionFilter& filter) const;
  // Follow-up summary as of a date: per responsible unit and per evaluation,
  // actions by status, how many are overdue, and the oldest overdue.
  Result<nlohmann::json> FollowUp(const std::string& as_of) const;
  // The nodes and edges within `depth` (1..3) steps of a node, optionally
  // following one edge type only.
  Result<nlohmann::json> Neighbors(std::string_view node_id, uint32_t depth, const std::string& edge_type) const;

  // Near-duplicate documents: every group with its representative.
  Result<DuplicateGroups> NearDuplicateGroups() const;
  // The groups as JSON (schemas/duplicates.schema.json): `limit` groups
  // (1..kMaxDuplicatesLimit) from `offset`, with `total`; each with its
  // representative, its documents (title, first path, pages, OCR'd pages,
  // date) and the linked pairs with their similarity.
  Result<nlohmann::json> Duplicates(uint32_t limit = kDefaultDuplicatesLimit, uint32_t offset = 0) const;

  // Sees what writers committed since the last call.
  Status Refresh() const { return store_->Refresh(); }
  // Makes ready what the first searches would make while their users wait
  // (Store::Warm).
  Status Warm() const { return store_->Warm(); }
  // Changes whenever an answer may have changed (see Store::DataVersion): the
  // key under which answers may be cached.
  uint64_t DataVersion() const { return store_->DataVersion(); }
  // OK, or kUnavailable naming a remote index shard that does not answer
  // (Store::SearchIndexHealth): dossierd's /ready.
  Status SearchIndexHealth() const { return store_->SearchIndexHealth(); }
  // Store::SearchIndexIsOlder: dossierd says so when it opens the folder.
  bool SearchIndexIsOlder() const { return store_->SearchIndexIsOlder(); }

 private:
  Result<std::optional<nlohmann::json>> DescribeRecommendation(const GraphNode& item, const RecommendationFilter& filter,
                                                              const std::optional<std::string>& doc_id,
                                                              const std::set<std::string>& wanted,
                                                              const DuplicateGroups& duplicates) const;
  // Recommendations with a query or similar_to: item search, then DescribeRecommendation.
  Result<nlohmann::json> RankedRecommendations(const RecommendationFilter& filter, const std::optional<std::string>& doc_id,
                                               const std::set<std::string>& wanted, const DuplicateGroups& duplicates) const;
  // Actions with a query: the filtered actions, in the order of the item search's key actions.
  Result<nlohmann::json> RankedActions(const ActionFilter& filter) const;
  // The item filters every item search gets from the caller's: the names of
  // `bodies` (node ids) and `name`, and the documents to leave out (versions
  // that do not stand for their near-duplicate group).
  Result<std::vector<std::string>> BodyNames(const std::set<std::string>& bodies, const std::string& name) const;
  // A key action's latest stated status (its same_as statements, by document date), or null.
  Result<nlohmann::json> LatestActionStatus(const std::string& action_id) const;
  // The graph nodes of every entity with this name or alias, and of their units (part_of), transitively.
  Result<std::set<std::string>> BodyAndUnits(const std::string& name) const;
  // Today (UTC) as YYYY-MM-DD, from env_'s clock.
  std::string Today() const;
  std::shared_ptr<Store> store_;
  Env* env_;
};

}  // namespace dossier
