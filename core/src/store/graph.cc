// The knowledge graph in RocksDB: a document's facts become nodes and edges
// with evidence; entities shared by documents live until their last mention goes.
#include "graph.h"

#include <rocksdb/write_batch.h>

#include <algorithm>
#include <cmath>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <unordered_map>
#include <nlohmann/json.hpp>

#include "dossier/facts.h"
#include "dossier/keys.h"
#include "dossier/text.h"
#include "graph_builder.h"
#include "near_duplicates.h"

namespace dossier {

using nlohmann::json;
using keys::EdgeType;
using keys::NodeKind;

rocksdb::ReadOptions CheckedReadOptions() {
  rocksdb::ReadOptions options;
  options.verify_checksums = true;
  return options;
}

Status DamagedDataFolder(const std::string& data_dir, const std::string& cause) {
  return Status::DataLoss(data_dir + ": the data folder is damaged: " + cause);
}

Status FromRocksWrite(const std::string& data_dir, const std::string& what, const rocksdb::Status& s) {
  if (s.ok()) return Status::Ok();
  if (s.IsCorruption()) return DamagedDataFolder(data_dir, what + ": " + s.ToString());
  if (s.IsIOError() || s.IsNoSpace()) return WriteFailed(data_dir, what, s.ToString());
  return Status::Internal(data_dir + ": " + what + ": " + s.ToString());
}

void PutEdge(const GraphColumns& graph, const std::string& src, EdgeType type, const std::string& dst,
             const DocumentId& doc, const json& evidence, rocksdb::WriteBatch* batch) {
  batch->Put(graph.edges, keys::EdgeKey(src, type, dst, doc), evidence.dump());
  batch->Put(graph.edges_in, keys::EdgeInKey(dst, type, src, doc), "");
  batch->Put(graph.doc_edges, keys::DocEdgeKey(doc, src, type, dst), "");
}

void DeleteEdge(const GraphColumns& graph, const keys::EdgeParts& e, rocksdb::WriteBatch* batch) {
  batch->Delete(graph.edges, keys::EdgeKey(e.src, e.type, e.dst, e.doc));
  batch->Delete(graph.edges_in, keys::EdgeInKey(e.dst, e.type, e.src, e.doc));
  batch->Delete(graph.doc_edges, keys::DocEdgeKey(e.doc, e.src, e.type, e.dst));
}

Status GraphGet(const GraphColumns& graph, rocksdb::ColumnFamilyHandle* cf, const std::string& key, std::string* value,
                bool* found) {
  rocksdb::Status s = graph.staged ? graph.staged->GetFromBatchAndDB(graph.db, CheckedReadOptions(), cf, key, value)
                                   : graph.db->Get(CheckedReadOptions(), cf, key, value);
  *found = s.ok();
  if (s.ok() || s.IsNotFound()) return Status::Ok();
  return DamagedDataFolder(graph.data_dir, "graph: " + s.ToString());
}

std::unique_ptr<rocksdb::Iterator> GraphIterator(const GraphColumns& graph, rocksdb::ColumnFamilyHandle* cf) {
  std::unique_ptr<rocksdb::Iterator> stored(graph.db->NewIterator(CheckedReadOptions(), cf));
  if (!graph.staged) return stored;
  return std::unique_ptr<rocksdb::Iterator>(graph.staged->NewIteratorWithBase(cf, stored.release()));
}

namespace {

// Replays a step's batch into the staged change (the graph writes Put and
// Delete only).
class StageBatch : public rocksdb::WriteBatch::Handler {
 public:
  explicit StageBatch(const GraphColumns& graph) : graph_(graph) {
    for (rocksdb::ColumnFamilyHandle* cf : {graph.nodes, graph.edges, graph.edges_in, graph.doc_edges, graph.aliases,
                                            graph.near_duplicates, graph.facts}) {
      if (cf) by_id_[cf->GetID()] = cf;
    }
  }
  rocksdb::Status PutCF(uint32_t id, const rocksdb::Slice& key, const rocksdb::Slice& value) override {
    rocksdb::ColumnFamilyHandle* cf = Column(id);
    return cf ? graph_.staged->Put(cf, key, value) : Unknown(id);
  }
  rocksdb::Status DeleteCF(uint32_t id, const rocksdb::Slice& key) override {
    rocksdb::ColumnFamilyHandle* cf = Column(id);
    return cf ? graph_.staged->Delete(cf, key) : Unknown(id);
  }

 private:
  rocksdb::ColumnFamilyHandle* Column(uint32_t id) const {
    auto it = by_id_.find(id);
    return it == by_id_.end() ? nullptr : it->second;
  }
  static rocksdb::Status Unknown(uint32_t id) {
    return rocksdb::Status::InvalidArgument("graph batch writes column family " + std::to_string(id) + ", not the graph's");
  }
  const GraphColumns& graph_;
  std::map<uint32_t, rocksdb::ColumnFamilyHandle*> by_id_;
};

}  // namespace

rocksdb::Status GraphWrite(const GraphColumns& graph, rocksdb::WriteBatch* batch) {
  if (!graph.staged) return graph.db->Write(rocksdb::WriteOptions(), batch);
  StageBatch stage(graph);
  return batch->Iterate(&stage);
}

StagedGraphChange::StagedGraphChange(const GraphColumns& graph) : graph_(graph) {
  if (graph_.staged) return;  // nested: adds to the change being made
  // overwrite_key: a key written twice reads (and is written) as its last write.
  own_ = std::make_unique<rocksdb::WriteBatchWithIndex>(rocksdb::BytewiseComparator(), 0, true);
  graph_.staged = own_.get();
}

StagedGraphChange::~StagedGraphChange() = default;

Status StagedGraphChange::Commit() {
  if (!own_) return Status::Ok();
  rocksdb::Status s = graph_.db->Write(rocksdb::WriteOptions(), own_->GetWriteBatch());
  own_.reset();
  graph_.staged = nullptr;
  return FromRocksWrite(graph_.data_dir, "writing the graph", s);
}

namespace {

Status FromRocks(const GraphColumns& graph, const rocksdb::Status& s) {
  return FromRocksWrite(graph.data_dir, "writing the graph", s);
}

std::string KindName(char kind) {
  switch (static_cast<NodeKind>(kind)) {
    case NodeKind::kDocument: return "document";
    case NodeKind::kOrganisation: return "organisation";
    case NodeKind::kProgramme: return "programme";
    case NodeKind::kOtherEntity: return "entity";
    case NodeKind::kRecommendation: return "recommendation";
    case NodeKind::kFinding: return "finding";
    case NodeKind::kConclusion: return "conclusion";
    case NodeKind::kDate: return "date";
    case NodeKind::kAction: return "action";
  }
  return "unknown";
}

bool IsEntityKind(char kind) { return kind == 'O' || kind == 'P' || kind == 'X'; }

// The words of a text that carry meaning (four letters or more), folded,
// sorted, each once (what Similarity compares).
std::vector<std::string> SignificantWords(const std::string& text) {
  std::vector<std::string> words;
  std::string key = NameKey(text.substr(0, 2000));
  size_t start = 0;
  while (start < key.size()) {
    size_t end = key.find(' ', start);
    if (end == std::string::npos) end = key.size();
    if (end - start >= 4) words.push_back(key.substr(start, end - start));
    start = end + 1;
  }
  std::sort(words.begin(), words.end());
  words.erase(std::unique(words.begin(), words.end()), words.end());
  return words;
}

// Jaccard similarity of two sorted word lists (no word twice), counted in
// one pass over both.
double Similarity(const std::vector<std::string>& a, const std::vector<std::string>& b) {
  if (a.empty() || b.empty()) return 0;
  size_t common = 0;
  for (auto i = a.begin(), j = b.begin(); i != a.end() && j != b.end();) {
    const int order = i->compare(*j);
    if (order == 0) ++common;
    if (order <= 0) ++i;
    if (order >= 0) ++j;
  }
  return static_cast<double>(common) / static_cast<double>(a.size() + b.size() - common);
}

// What the linker reads of an item node, parsed once while the node holds
// the same bytes: the linker looks at up to 500 recommendations of each body
// a new document's recommendation names, and parsing their JSON (and
// folding their text into a key) each time was most of a bulk ingest's time
// once the archive held thousands of documents. An entry serves only the
// stored value it was made from (its hash and size), so the cache never
// changes a result.
struct LinkedItem {
  std::string document;  // hex id
  std::string item_type, number;
  std::vector<std::string> responsible;  // as named, in order
  bool management_response = false;
  std::string text_key;            // ItemTextKey(item_type, text): items stating the same text share it
  std::vector<std::string> words;  // SignificantWords(text) in order, for recommendations (recurrence)
};

// What the linker made of a node's stored value, kept while the node holds
// the same bytes (their hash and size), at most kLimit nodes.
template <typename Made>
class NodeValueCache {
 public:
  explicit NodeValueCache(std::function<Made(const std::string& node, const json& record)> make) : make_(std::move(make)) {}

  // What `make` gives for the record stored as `value` under `node`; Made()
  // when the value is not a JSON object.
  Made Of(const std::string& node, std::string_view value) {
    const size_t hash = std::hash<std::string_view>()(value);
    {
      std::lock_guard<std::mutex> lock(mutex_);
      auto it = entries_.find(node);
      if (it != entries_.end() && it->second.hash == hash && it->second.size == value.size()) return it->second.made;
    }
    json record = json::parse(value, nullptr, false);
    if (record.is_discarded() || !record.is_object()) return Made();
    Made made = make_(node, record);
    std::lock_guard<std::mutex> lock(mutex_);
    if (entries_.size() >= kLimit) entries_.clear();  // crude but bounded
    entries_[node] = Entry{hash, value.size(), made};
    return made;
  }

 private:
  struct Entry {
    size_t hash = 0, size = 0;
    Made made;
  };
  static constexpr size_t kLimit = 20000;
  std::function<Made(const std::string&, const json&)> make_;
  std::mutex mutex_;
  std::unordered_map<std::string, Entry> entries_;
};

std::shared_ptr<const LinkedItem> MakeLinkedItem(const std::string& node, const json& record) {
  auto item = std::make_shared<LinkedItem>();
  item->document = record.value("document", "");
  item->item_type = record.value("item_type", "");
  item->number = record.value("number", "");
  for (const json& who : record.value("responsible", json::array())) {
    if (who.is_string()) item->responsible.push_back(who.get<std::string>());
  }
  item->management_response = record.contains("management_response");
  const std::string text = record.value("text", "");
  item->text_key = ItemTextKey(item->item_type, text);
  if (node[0] == static_cast<char>(NodeKind::kRecommendation)) item->words = SignificantWords(text);
  return item;
}

// What `cache` makes of the value stored under `node` (Made() when nothing is).
template <typename Made>
Result<Made> ReadThrough(const GraphColumns& graph, NodeValueCache<Made>& cache, const std::string& node) {
  std::string value;
  bool stored = false;
  DOSSIER_RETURN_IF_ERROR(GraphGet(graph, graph.nodes, node, &value, &stored));
  return stored ? cache.Of(node, value) : Made();
}

// The items the linker reads (an item node's value -> LinkedItem).
NodeValueCache<std::shared_ptr<const LinkedItem>>& LinkedItems() {
  static NodeValueCache<std::shared_ptr<const LinkedItem>> cache(MakeLinkedItem);
  return cache;
}

// Documents' dates, which order recurrences (a document node's value -> its "date").
NodeValueCache<std::string>& LinkedDocumentDates() {
  static NodeValueCache<std::string> cache([](const std::string&, const json& record) { return record.value("date", ""); });
  return cache;
}

// The prefix scan helper: calls `visit(key, value)` for keys starting with `prefix`.
template <typename Visit>
Status Scan(const GraphColumns& graph, rocksdb::ColumnFamilyHandle* cf, const std::string& prefix, Visit visit) {
  std::unique_ptr<rocksdb::Iterator> it = GraphIterator(graph, cf);
  for (it->Seek(prefix); it->Valid() && it->key().starts_with(prefix); it->Next()) {
    if (!visit(it->key().ToStringView(), it->value().ToStringView())) break;
  }
  if (!it->status().ok()) return DamagedDataFolder(graph.data_dir, "graph: " + it->status().ToString());
  return Status::Ok();
}

// A stored JSON record (a node's, an edge's evidence), or nothing when absent or unreadable.
Result<std::optional<json>> ReadJson(const GraphColumns& graph, rocksdb::ColumnFamilyHandle* cf, const std::string& key) {
  std::string value;
  bool stored = false;
  DOSSIER_RETURN_IF_ERROR(GraphGet(graph, cf, key, &value, &stored));
  if (!stored) return std::optional<json>();
  json record = json::parse(value, nullptr, false);
  if (record.is_discarded() || !record.is_object()) return std::optional<json>();
  return std::optional<json>(std::move(record));
}

// Whether any edge of `type` leaves `node`.
Result<bool> HasOutgoing(const GraphColumns& graph, const std::string& node, EdgeType type) {
  bool found = false;
  DOSSIER_RETURN_IF_ERROR(Scan(graph, graph.edges, keys::EdgePrefix(node, type), [&](std::string_view, std::string_view) {
    found = true;
    return false;
  }));
  return found;
}

// Every edge of `type` leaving or reaching `node`.
Result<std::vector<keys::EdgeParts>> EdgesOfType(const GraphColumns& graph, const std::string& node, EdgeType type) {
  std::vector<keys::EdgeParts> found;
  for (bool outgoing : {true, false}) {
    DOSSIER_RETURN_IF_ERROR(Scan(graph, outgoing ? graph.edges : graph.edges_in, keys::EdgePrefix(node, type),
                                 [&](std::string_view key, std::string_view) {
                                   keys::EdgeParts e;
                                   if (outgoing ? keys::ParseEdgeKey(key, &e) : keys::ParseEdgeInKey(key, &e)) {
                                     found.push_back(std::move(e));
                                   }
                                   return true;
                                 }));
  }
  return found;
}

// The extractors a stored document's facts came from, as its edges' evidence names them.
Result<std::string> StoredExtractors(const GraphColumns& graph, const DocumentId& doc) {
  DOSSIER_ASSIGN_OR_RETURN(std::optional<json> stored, ReadJson(graph, graph.facts, keys::DocumentKey(doc)));
  std::string extractors;
  if (stored && (*stored)["extractors"].is_array()) {
    for (const json& e : (*stored)["extractors"]) {
      if (e.is_string()) extractors += (extractors.empty() ? "" : ", ") + e.get<std::string>();
    }
  }
  return extractors;
}

// The entities that stored documents define an acronym (its NameKey) as:
// those having it as a name or alias, other than the nodes of its bare uses.
// A mention resolved through a bare acronym adds no names (AddEvidence), so
// it never makes its entity a definer: the definers are those of the
// documents' definitions alone, whatever order they came in.
Result<std::set<std::string>> StoredAcronymDefiners(const GraphColumns& graph, const std::string& acronym_key) {
  std::set<std::string> found;
  const std::string prefix = keys::AliasPrefix(acronym_key);
  const std::string bare = HashBytes(acronym_key);
  DOSSIER_RETURN_IF_ERROR(Scan(graph, graph.aliases, prefix, [&](std::string_view key, std::string_view) {
    const std::string node(key.substr(prefix.size()));
    if (!node.empty() && IsEntityKind(node[0]) && node.substr(1) != bare) found.insert(node);
    return true;
  }));
  return found;
}

// The documents other than `except` that use an acronym (its NameKey) bare.
Result<std::vector<DocumentId>> DocumentsUsingAcronymBare(const GraphColumns& graph, const std::string& acronym_key,
                                                          const DocumentId& except) {
  std::vector<DocumentId> found;
  const std::string prefix = keys::AliasPrefix(keys::AcronymUseAlias(acronym_key));
  DOSSIER_RETURN_IF_ERROR(Scan(graph, graph.aliases, prefix, [&](std::string_view key, std::string_view) {
    const std::string_view node = key.substr(prefix.size());
    if (node.size() == keys::kNodeKeySize && node[0] == static_cast<char>(NodeKind::kDocument)) {
      const DocumentId doc = DocumentId::FromBytes(node.substr(1));
      if (doc != except) found.push_back(doc);
    }
    return true;
  }));
  return found;
}

// ---- entity records, kept up to date incrementally ----
//
// An entity's record (name, aliases, type, documents, authority) summarises
// the evidence of all its `mentions` edges: the most used name wins (ties:
// the smallest name; a name in capitals only when there is no other), every other name and every alias is an alias, the most
// common type wins (ties: the smallest), authority if any mention says so.
// Re-reading every mention each time a document mentions the entity made
// ingest cost grow with the archive (quadratic overall), so each entity keeps
// a tally of its mentions' evidence, updated by +/- one document's evidence in
// the same write batch as that document's edges; the record is derived from
// the tally. The tally lives in the nodes column family under keys::TallyKey.
// An entity
// without a tally (a data folder written before tallies existed) gets one
// built once from its mention edges.
struct EntityTally {
  int64_t documents = 0;  // mention edges
  int64_t authority = 0;  // mentions saying the authority file knows it
  std::map<std::string, int64_t> names, aliases, types;
};

// A mention resolved through a bare acronym ("resolved") counts as a
// document and a type, but lends the entity no name: its names and aliases
// are those the documents defining it give.
void AddEvidence(const json& evidence, int sign, EntityTally* t) {
  t->documents += sign;
  if (!evidence.value("resolved", false)) {
    t->names[evidence.value("name", "")] += sign;
    for (const auto& alias : evidence.value("aliases", json::array())) {
      if (alias.is_string()) t->aliases[alias.get<std::string>()] += sign;
    }
  }
  if (evidence.contains("type") && evidence["type"].is_string()) t->types[evidence["type"].get<std::string>()] += sign;
  if (evidence.value("authority", false)) t->authority += sign;
}

json TallyToJson(const EntityTally& t) {
  auto positive = [](const std::map<std::string, int64_t>& m) {
    json out = json::object();
    for (const auto& [k, v] : m) {
      if (v > 0) out[k] = v;
    }
    return out;
  };
  return {{"documents", t.documents}, {"authority", t.authority}, {"names", positive(t.names)},
          {"aliases", positive(t.aliases)}, {"types", positive(t.types)}};
}

// The entity's tally as committed: stored, or built from its mention edges.
Status LoadTally(const GraphColumns& graph, const std::string& node, EntityTally* t) {
  *t = EntityTally();
  std::string value;
  bool stored = false;
  DOSSIER_RETURN_IF_ERROR(GraphGet(graph, graph.nodes, keys::TallyKey(node), &value, &stored));
  if (stored) {
    json j = json::parse(value, nullptr, false);
    if (!j.is_discarded() && j.is_object()) {
      t->documents = j.value("documents", int64_t{0});
      t->authority = j.value("authority", int64_t{0});
      auto read = [&](const char* field, std::map<std::string, int64_t>* map) {
        if (!j.contains(field) || !j[field].is_object()) return;
        for (auto it = j[field].begin(); it != j[field].end(); ++it) {
          if (it->is_number_integer()) (*map)[it.key()] = it->get<int64_t>();
        }
      };
      read("names", &t->names);
      read("aliases", &t->aliases);
      read("types", &t->types);
      return Status::Ok();
    }
  }
  std::vector<keys::EdgeParts> mentions;
  const std::string prefix = keys::EdgePrefix(node, EdgeType::kMentions);
  DOSSIER_RETURN_IF_ERROR(Scan(graph, graph.edges_in, prefix, [&](std::string_view key, std::string_view) {
    keys::EdgeParts parts;
    if (keys::ParseEdgeInKey(key, &parts)) mentions.push_back(parts);
    return true;
  }));
  for (const keys::EdgeParts& m : mentions) {
    std::string evidence_text;
    bool stored = false;
    DOSSIER_RETURN_IF_ERROR(GraphGet(graph, graph.edges, keys::EdgeKey(m.src, m.type, m.dst, m.doc), &evidence_text, &stored));
    if (!stored) continue;
    json evidence = json::parse(evidence_text, nullptr, false);
    if (evidence.is_discarded()) continue;
    AddEvidence(evidence, +1, t);
  }
  return Status::Ok();
}

// Writes the entity's record, alias keys and tally derived from `t` into
// `batch` (deleting the node when nothing mentions it any more).
Status WriteEntity(const GraphColumns& graph, const std::string& node, const EntityTally& t, rocksdb::WriteBatch* batch) {
  // Old alias keys go; new ones are written below.
  std::string old_value;
  bool old_value_stored = false;
  DOSSIER_RETURN_IF_ERROR(GraphGet(graph, graph.nodes, node, &old_value, &old_value_stored));
  if (old_value_stored) {
    json old = json::parse(old_value, nullptr, false);
    if (!old.is_discarded()) {
      std::set<std::string> old_keys = {NameKey(old.value("name", ""))};
      for (const auto& a : old.value("aliases", json::array())) old_keys.insert(NameKey(a.get<std::string>()));
      for (const std::string& k : old_keys) batch->Delete(graph.aliases, keys::AliasKey(k, node));
    }
  }
  if (t.documents <= 0) {
    batch->Delete(graph.nodes, node);
    batch->Delete(graph.nodes, keys::TallyKey(node));
    return Status::Ok();
  }
  auto most = [](const std::map<std::string, int64_t>& votes) {
    std::string best;
    int64_t best_votes = 0;
    for (const auto& [value, n] : votes) {
      if (n > best_votes) best = value, best_votes = n;
    }
    return best;
  };
  // A name set in capitals (a title page's, a heading's) names the entity
  // only when no document prints it in the case its text uses.
  std::map<std::string, int64_t> cased;
  for (const auto& [name, n] : t.names) {
    if (std::any_of(name.begin(), name.end(), [](char c) { return c >= 'a' && c <= 'z'; })) cased[name] = n;
  }
  const std::string best = most(cased).empty() ? most(t.names) : most(cased);
  std::set<std::string> aliases;
  for (const auto& [name, n] : t.names) {
    if (n > 0 && name != best) aliases.insert(name);
  }
  for (const auto& [alias, n] : t.aliases) {
    if (n > 0) aliases.insert(alias);
  }
  aliases.erase(best);
  std::set<std::string> alias_keys = {NameKey(best)};
  json alias_list = json::array();
  for (const std::string& a : aliases) {
    if (NameKey(a) == NameKey(best)) continue;
    alias_list.push_back(a);
    alias_keys.insert(NameKey(a));
  }
  json record = {{"name", best}, {"type", most(t.types)}, {"aliases", alias_list}, {"documents", t.documents},
                 {"authority", t.authority > 0}};
  batch->Put(graph.nodes, node, record.dump());
  batch->Put(graph.nodes, keys::TallyKey(node), TallyToJson(t).dump());
  for (const std::string& k : alias_keys) batch->Put(graph.aliases, keys::AliasKey(k, node), "");
  return Status::Ok();
}

// Adds (sign +1) or takes away (-1) one document's mention evidence from each
// entity in `evidence_by_node`, writing the new records into `batch`.
Status UpdateEntities(const GraphColumns& graph, const std::map<std::string, json>& evidence_by_node, int sign,
                      rocksdb::WriteBatch* batch) {
  for (const auto& [node, evidence] : evidence_by_node) {
    EntityTally tally;
    DOSSIER_RETURN_IF_ERROR(LoadTally(graph, node, &tally));
    AddEvidence(evidence, sign, &tally);
    DOSSIER_RETURN_IF_ERROR(WriteEntity(graph, node, tally, batch));
  }
  return Status::Ok();
}

// ---- removing a document's contribution ----

// Deletes everything `id` contributed to the graph (and its near-duplicate
// signature), collecting into *linked the items of other documents that
// stated the same text as one of its items (their links change with it).
Status RemoveContribution(const GraphColumns& graph, const DocumentId& id, std::set<std::string>* linked) {
  rocksdb::WriteBatch batch;
  std::set<std::string> dates, items;
  std::map<std::string, json> mentioned;  // entity -> this document's mention evidence
  const std::string doc_node = keys::DocumentNodeKey(id);
  Status read_status;
  DOSSIER_RETURN_IF_ERROR(Scan(graph, graph.doc_edges, keys::DocEdgePrefix(id), [&](std::string_view key, std::string_view) {
    keys::EdgeParts e;
    if (!keys::ParseDocEdgeKey(key, &e)) return true;
    const std::string edge_key = keys::EdgeKey(e.src, e.type, e.dst, e.doc);
    if (e.type == EdgeType::kMentions && IsEntityKind(e.dst[0])) {
      Result<std::optional<json>> evidence = ReadJson(graph, graph.edges, edge_key);
      if (!evidence.ok()) {
        read_status = evidence.status();
        return false;
      }
      mentioned[e.dst] = evidence->value_or(json::object());
      // Its bare uses of acronyms go with it.
      const json& used = mentioned[e.dst];
      const std::string name = used.value("name", "");
      if (used.value("resolved", false) ||
          (used.value("aliases", json::array()).empty() && !used.value("authority", false) && IsBareAcronym(name))) {
        batch.Delete(graph.aliases, keys::AliasKey(keys::AcronymUseAlias(NameKey(name)), doc_node));
      }
    }
    if (e.type == EdgeType::kSameAs) linked->insert({e.src, e.dst});
    DeleteEdge(graph, e, &batch);
    for (const std::string* node : {&e.src, &e.dst}) {
      char kind = (*node)[0];
      if (kind == 'T') dates.insert(*node);
      else if ((kind == 'R' || kind == 'F' || kind == 'C' || kind == 'A') && e.type == EdgeType::kContains) {
        items.insert(*node);
      }
    }
    return true;
  }));
  DOSSIER_RETURN_IF_ERROR(read_status);
  // Edges (either way) under a key prefix that other documents contributed:
  // links they made to something of this document, which goes with it.
  auto delete_links_of_others = [&](const std::string& prefix) -> Status {
    for (bool outgoing : {true, false}) {
      DOSSIER_RETURN_IF_ERROR(Scan(graph, outgoing ? graph.edges : graph.edges_in, prefix, [&](std::string_view key, std::string_view) {
        keys::EdgeParts e;
        if (!(outgoing ? keys::ParseEdgeKey(key, &e) : keys::ParseEdgeInKey(key, &e)) || e.doc == id) return true;
        if (e.type == EdgeType::kSameAs) linked->insert({e.src, e.dst});
        DeleteEdge(graph, e, &batch);
        return true;
      }));
    }
    return Status::Ok();
  };
  // Items belong to one document: they go with it, with the links other
  // documents made to them (same_as, recurs) and their text alias.
  for (const std::string& item : items) {
    batch.Delete(graph.nodes, item);
    DOSSIER_ASSIGN_OR_RETURN(std::optional<json> record, ReadJson(graph, graph.nodes, item));
    if (record) {
      batch.Delete(graph.aliases, keys::AliasKey(ItemTextKey(record->value("item_type", ""), record->value("text", "")), item));
    }
    DOSSIER_RETURN_IF_ERROR(delete_links_of_others(item));
  }
  for (const std::string& item : items) linked->erase(item);
  // The document's title keys, and responds_to links another document made to it.
  DOSSIER_ASSIGN_OR_RETURN(std::optional<json> doc_record, ReadJson(graph, graph.nodes, doc_node));
  if (doc_record) {
    for (const auto& alias : doc_record->value("title_keys", json::array())) {
      if (alias.is_string()) batch.Delete(graph.aliases, keys::AliasKey(alias.get<std::string>(), doc_node));
    }
  }
  DOSSIER_RETURN_IF_ERROR(delete_links_of_others(keys::EdgePrefix(doc_node, EdgeType::kRespondsTo)));
  batch.Delete(graph.nodes, doc_node);
  // Its near-duplicate signature and links (both directions).
  DOSSIER_RETURN_IF_ERROR(ForgetNearDuplicates(graph, id, &batch));
  // The entities it mentioned lose its evidence, in the same batch as its edges.
  DOSSIER_RETURN_IF_ERROR(UpdateEntities(graph, mentioned, -1, &batch));
  // Dates no other document states (the edges reaching a date are all
  // filed under the document stating it) go in the same batch.
  for (const std::string& date : dates) {
    bool used = false;
    DOSSIER_RETURN_IF_ERROR(Scan(graph, graph.edges_in, date, [&](std::string_view key, std::string_view) {
      keys::EdgeParts e;
      used = keys::ParseEdgeInKey(key, &e) && e.doc != id;
      return !used;
    }));
    if (!used) batch.Delete(graph.nodes, date);
  }
  return FromRocks(graph, GraphWrite(graph, &batch));
}

// ---- writing a document's own contribution ----

// What the stored graph tells a document's build (graph_builder.h).
class StoredGraphLookup : public GraphLookup {
 public:
  explicit StoredGraphLookup(const GraphColumns& graph) : graph_(graph) {}
  Result<std::set<std::string>> AcronymDefiners(const std::string& acronym_key) const override {
    return StoredAcronymDefiners(graph_, acronym_key);
  }
  Result<std::vector<std::string>> NodesWithAlias(const std::string& alias) const override {
    std::vector<std::string> found;
    const std::string prefix = keys::AliasPrefix(alias);
    DOSSIER_RETURN_IF_ERROR(Scan(graph_, graph_.aliases, prefix, [&](std::string_view key, std::string_view) {
      found.emplace_back(key.substr(prefix.size()));
      return true;
    }));
    return found;
  }
  Result<std::optional<json>> NodeRecord(const std::string& node) const override {
    return ReadJson(graph_, graph_.nodes, node);
  }
  Result<std::string> Extractors(const DocumentId& doc) const override { return StoredExtractors(graph_, doc); }

 private:
  const GraphColumns& graph_;
};

// Writes what `id`'s facts say of it alone (BuildDocumentGraph's plan) and
// the evidence its mentions lend its entities, in one batch. Its items are
// added to *items for the linker.
Status WriteContribution(const GraphColumns& graph, const DocumentId& id, const std::string& title,
                         const std::vector<Fact>& facts, const std::string& extractor, std::set<std::string>* items) {
  DOSSIER_ASSIGN_OR_RETURN(DocumentGraphPlan plan,
                           BuildDocumentGraph(id, title, facts, extractor, StoredGraphLookup(graph)));
  rocksdb::WriteBatch batch;
  for (const auto& [node, record] : plan.nodes) batch.Put(graph.nodes, node, record);
  for (const PlannedEdge& e : plan.edges) PutEdge(graph, e.src, e.type, e.dst, e.doc, e.evidence, &batch);
  for (const std::string& alias : plan.aliases) batch.Put(graph.aliases, alias, "");
  items->insert(plan.items.begin(), plan.items.end());
  // The entities it mentions gain its evidence, in the same batch as its edges.
  DOSSIER_RETURN_IF_ERROR(UpdateEntities(graph, plan.mentioned, +1, &batch));
  return FromRocks(graph, GraphWrite(graph, &batch));
}

// ---- the linker: what spans the items of several documents ----
//
// same_as joins items of different documents stating the same text (a
// report's recommendation restated by its management response, a response's
// action restated by a progress update); recurs joins recommendations of
// different evaluations to a shared responsible body whose texts are similar
// (half the significant words) but not the same. Each link is a function of
// its two items and their documents' dates, whichever document was stored
// first: recurs goes from the later recommendation to the earlier (by
// document date, then node key; an undated document counts as the latest);
// same_as goes from the restatement to the statement standing for it — one
// carrying a management response or key actions before one that does not,
// then the earlier — and each is filed under its source's document. An item
// with a same_as link is a restatement: the statement it stands for carries
// the recurrences.
class Linker {
 public:
  explicit Linker(const GraphColumns& graph) : graph_(graph) {}

  // Recomputes every same_as and recurs link of `items` and of the items of
  // other documents stating the same text as one of them.
  Status Relink(const std::set<std::string>& items) {
    std::set<std::string> all;
    for (const std::string& node : items) {
      DOSSIER_ASSIGN_OR_RETURN(const Item* item, Load(node));
      if (!item) continue;
      all.insert(node);
      DOSSIER_ASSIGN_OR_RETURN(std::vector<std::string> same, SameText(*item));
      all.insert(same.begin(), same.end());
    }
    // Their links go, then come back: same_as first (which say which items are restatements), then recurs.
    rocksdb::WriteBatch cleared;
    for (const std::string& node : all) {
      for (EdgeType type : {EdgeType::kSameAs, EdgeType::kRecurs}) {
        DOSSIER_ASSIGN_OR_RETURN(std::vector<keys::EdgeParts> edges, EdgesOfType(graph_, node, type));
        for (const keys::EdgeParts& e : edges) DeleteEdge(graph_, e, &cleared);
      }
    }
    DOSSIER_RETURN_IF_ERROR(FromRocks(graph_, GraphWrite(graph_, &cleared)));
    rocksdb::WriteBatch same_as;
    for (const std::string& node : all) DOSSIER_RETURN_IF_ERROR(LinkSameText(node, &same_as));
    DOSSIER_RETURN_IF_ERROR(FromRocks(graph_, GraphWrite(graph_, &same_as)));
    rocksdb::WriteBatch recurs;
    for (const std::string& node : all) {
      if (node[0] == static_cast<char>(NodeKind::kRecommendation)) DOSSIER_RETURN_IF_ERROR(LinkRecurrences(node, &recurs));
    }
    return FromRocks(graph_, GraphWrite(graph_, &recurs));
  }

 private:
  struct Item {
    std::string node;
    std::shared_ptr<const LinkedItem> record;
    DocumentId doc;
    std::string order;  // document date ("~" when none), then node key: earlier sorts first
    // For same_as: the statement carrying a management response or key
    // actions first (the one a restatement stands for), then `order`.
    std::string standing;
  };

  Result<const Item*> Load(const std::string& node) {
    if (auto it = items_.find(node); it != items_.end()) return &it->second;
    DOSSIER_ASSIGN_OR_RETURN(std::shared_ptr<const LinkedItem> record, ReadThrough(graph_, LinkedItems(), node));
    if (!record) return static_cast<const Item*>(nullptr);
    Result<DocumentId> doc = DocumentId::FromHex(record->document);
    if (!doc.ok()) return static_cast<const Item*>(nullptr);
    DOSSIER_ASSIGN_OR_RETURN(std::string date, DocumentDate(*doc));
    DOSSIER_ASSIGN_OR_RETURN(const bool has_actions, HasOutgoing(graph_, node, EdgeType::kHasAction));
    const bool follow_up = has_actions || record->management_response;
    std::string order = (date.empty() ? "~" : date) + '\0' + node;
    std::string standing = (follow_up ? "0" : "1") + order;
    Item item{node, std::move(record), *doc, std::move(order), std::move(standing)};
    return &items_.emplace(node, std::move(item)).first->second;
  }

  Result<std::string> DocumentDate(const DocumentId& doc) {
    if (auto it = dates_.find(doc.ToHex()); it != dates_.end()) return it->second;
    DOSSIER_ASSIGN_OR_RETURN(std::string date, ReadThrough(graph_, LinkedDocumentDates(), keys::DocumentNodeKey(doc)));
    dates_[doc.ToHex()] = date;
    return date;
  }

  Result<std::string> Extractors(const DocumentId& doc) {
    if (auto it = extractors_.find(doc.ToHex()); it != extractors_.end()) return it->second;
    DOSSIER_ASSIGN_OR_RETURN(std::string extractors, StoredExtractors(graph_, doc));
    extractors_[doc.ToHex()] = extractors;
    return extractors;
  }

  // The items of other documents under the same text alias.
  Result<std::vector<std::string>> SameText(const Item& item) {
    const std::string prefix =
        keys::AliasPrefix(item.record->text_key);
    std::vector<std::string> found;
    DOSSIER_RETURN_IF_ERROR(Scan(graph_, graph_.aliases, prefix, [&](std::string_view key, std::string_view) {
      found.emplace_back(key.substr(prefix.size()));
      return true;
    }));
    std::vector<std::string> others;
    for (const std::string& node : found) {
      DOSSIER_ASSIGN_OR_RETURN(const Item* other, Load(node));
      if (other && other->doc != item.doc) others.push_back(node);
    }
    return others;
  }

  // Files the link between two items: from the later to the earlier (for
  // same_as, the one standing for both), under the later's document.
  Status PutLink(const Item& a, const Item& b, EdgeType type, json evidence, rocksdb::WriteBatch* batch) {
    const bool a_later = type == EdgeType::kSameAs ? a.standing > b.standing : a.order > b.order;
    const Item& later = a_later ? a : b;
    const Item& earlier = a_later ? b : a;
    DOSSIER_ASSIGN_OR_RETURN(evidence["extractor"], Extractors(later.doc));
    evidence["number"] = earlier.record->number;
    if (type == EdgeType::kRecurs) evidence["document"] = earlier.doc.ToHex();
    PutEdge(graph_, later.node, type, earlier.node, later.doc, evidence, batch);
    return Status::Ok();
  }

  Status LinkSameText(const std::string& node, rocksdb::WriteBatch* batch) {
    DOSSIER_ASSIGN_OR_RETURN(const Item* item, Load(node));
    if (!item) return Status::Ok();
    DOSSIER_ASSIGN_OR_RETURN(std::vector<std::string> same, SameText(*item));
    for (const std::string& other : same) {
      DOSSIER_ASSIGN_OR_RETURN(const Item* other_item, Load(other));
      DOSSIER_RETURN_IF_ERROR(PutLink(*item, *other_item, EdgeType::kSameAs, {{"by", "text"}}, batch));
    }
    return Status::Ok();
  }

  // The bodies a recommendation names as responsible, in its order, each
  // with the node its responsible edge reaches.
  Result<std::vector<std::pair<std::string, std::string>>> Responsible(const Item& item) {
    std::set<std::string> targets;
    DOSSIER_RETURN_IF_ERROR(Scan(graph_, graph_.edges, keys::EdgePrefix(item.node, EdgeType::kResponsible),
                                 [&](std::string_view key, std::string_view) {
                                   keys::EdgeParts e;
                                   if (keys::ParseEdgeKey(key, &e)) targets.insert(e.dst);
                                   return true;
                                 }));
    std::vector<std::pair<std::string, std::string>> out;
    std::set<std::string> done;
    for (const std::string& who : item.record->responsible) {
      const std::string name_key = NameKey(who);
      for (const std::string& target : targets) {
        bool named = target.substr(1) == HashBytes(name_key);
        if (!named) {
          std::string ignored;
          DOSSIER_RETURN_IF_ERROR(GraphGet(graph_, graph_.aliases, keys::AliasKey(name_key, target), &ignored, &named));
        }
        if (named && done.insert(target).second) {
          out.emplace_back(who, target);
          break;
        }
      }
    }
    return out;
  }

  Result<const std::set<DocumentId>*> GroupOf(const DocumentId& doc) {
    if (auto it = groups_.find(doc); it != groups_.end()) return &it->second;
    std::set<DocumentId> group = {doc};
    if (graph_.near_duplicates) {
      DOSSIER_ASSIGN_OR_RETURN(group, NearDuplicateGroup(graph_, doc));
    }
    return &groups_.emplace(doc, std::move(group)).first->second;
  }

  Result<bool> IsRestatement(const std::string& node) { return HasOutgoing(graph_, node, EdgeType::kSameAs); }

  Status LinkRecurrences(const std::string& node, rocksdb::WriteBatch* batch) {
    DOSSIER_ASSIGN_OR_RETURN(const Item* own, Load(node));
    if (!own) return Status::Ok();
    DOSSIER_ASSIGN_OR_RETURN(bool restatement, IsRestatement(node));
    if (restatement) return Status::Ok();  // the original carries the recurrence
    const LinkedItem& own_features = *own->record;
    if (own_features.words.size() < 4) return Status::Ok();
    DOSSIER_ASSIGN_OR_RETURN(const auto own_bodies, Responsible(*own));
    std::set<std::string> own_targets;
    for (const auto& [who, body] : own_bodies) own_targets.insert(body);
    std::set<std::string> done;
    for (const auto& [who, body] : own_bodies) {
      int looked = 0;
      std::vector<std::string> candidates;
      DOSSIER_RETURN_IF_ERROR(Scan(graph_, graph_.edges_in, keys::EdgePrefix(body, EdgeType::kResponsible),
                                   [&](std::string_view key, std::string_view) {
                                     keys::EdgeParts e;
                                     if (keys::ParseEdgeInKey(key, &e) && e.doc != own->doc && e.src[0] == 'R') {
                                       candidates.push_back(e.src);
                                     }
                                     return ++looked < 500;  // bounded work per recommendation, however big the body
                                   }));
      for (const std::string& other : candidates) {
        if (!done.insert(other).second) continue;
        DOSSIER_ASSIGN_OR_RETURN(const Item* theirs, Load(other));
        if (!theirs || theirs->doc == own->doc) continue;
        // Not with another version of its own document (LinkNearDuplicates prunes those too).
        DOSSIER_ASSIGN_OR_RETURN(const std::set<DocumentId>* versions, GroupOf(own->doc));
        if (versions->count(theirs->doc)) continue;
        const LinkedItem& their_features = *theirs->record;
        if (their_features.text_key == own_features.text_key) continue;
        const double similarity = Similarity(own_features.words, their_features.words);
        if (similarity < 0.5) continue;
        // A restatement (a memo or update repeating a report's item) links to
        // the original through same_as; the recurrence is with the original.
        DOSSIER_ASSIGN_OR_RETURN(bool restates, IsRestatement(other));
        if (restates) continue;
        // The body as the later recommendation names it.
        std::string named = who;
        if (theirs->order > own->order) {
          DOSSIER_ASSIGN_OR_RETURN(const auto their_bodies, Responsible(*theirs));
          for (const auto& [their_who, their_body] : their_bodies) {
            if (own_targets.count(their_body)) {
              named = their_who;
              break;
            }
          }
        }
        DOSSIER_RETURN_IF_ERROR(PutLink(*own, *theirs, EdgeType::kRecurs,
                                        {{"similarity", std::round(similarity * 100) / 100}, {"responsible", named}}, batch));
      }
    }
    return Status::Ok();
  }

  const GraphColumns& graph_;
  std::map<std::string, Item> items_;
  std::map<std::string, std::string> dates_, extractors_;
  std::map<DocumentId, std::set<DocumentId>> groups_;
};

// ---- acronyms whose definers a change alters ----

// The acronyms that documents use bare and that a change to `id` (its stored
// mentions, and `facts` when it is being stored) may define or stop
// defining, each with its definers before the change.
Result<std::map<std::string, std::set<std::string>>> WatchAcronyms(const GraphColumns& graph, const DocumentId& id,
                                                                   const std::vector<Fact>& facts) {
  std::set<std::string> names;
  for (const Fact& any : facts) {
    const auto* fact = std::get_if<EntityFact>(&any);
    if (!fact || UsesAcronymBare(*fact)) continue;
    names.insert(NameKey(fact->name));
    for (const std::string& alias : fact->aliases) names.insert(NameKey(alias));
  }
  std::vector<std::string> mention_keys;
  DOSSIER_RETURN_IF_ERROR(Scan(graph, graph.doc_edges, keys::DocEdgePrefix(id), [&](std::string_view key, std::string_view) {
    keys::EdgeParts e;
    if (keys::ParseDocEdgeKey(key, &e) && e.type == EdgeType::kMentions) mention_keys.push_back(keys::EdgeKey(e.src, e.type, e.dst, e.doc));
    return true;
  }));
  for (const std::string& key : mention_keys) {
    DOSSIER_ASSIGN_OR_RETURN(std::optional<json> evidence, ReadJson(graph, graph.edges, key));
    if (!evidence || evidence->value("resolved", false)) continue;
    names.insert(NameKey(evidence->value("name", "")));
    for (const json& alias : evidence->value("aliases", json::array())) {
      if (alias.is_string()) names.insert(NameKey(alias.get<std::string>()));
    }
  }
  std::map<std::string, std::set<std::string>> watched;
  for (const std::string& name_key : names) {
    if (name_key.empty()) continue;
    DOSSIER_ASSIGN_OR_RETURN(std::vector<DocumentId> users, DocumentsUsingAcronymBare(graph, name_key, id));
    if (users.empty()) continue;
    DOSSIER_ASSIGN_OR_RETURN(watched[name_key], StoredAcronymDefiners(graph, name_key));
  }
  return watched;
}

Status ReapplyStoredDocument(const GraphColumns& graph, const DocumentId& id);

// Stores again the documents using bare an acronym whose definers changed.
Status ApplyWhereAcronymsChanged(const GraphColumns& graph, const DocumentId& id,
                                 const std::map<std::string, std::set<std::string>>& before) {
  std::set<DocumentId> again;
  for (const auto& [name_key, definers] : before) {
    DOSSIER_ASSIGN_OR_RETURN(std::set<std::string> now, StoredAcronymDefiners(graph, name_key));
    if (now == definers) continue;
    DOSSIER_ASSIGN_OR_RETURN(std::vector<DocumentId> users, DocumentsUsingAcronymBare(graph, name_key, id));
    again.insert(users.begin(), users.end());
  }
  for (const DocumentId& doc : again) DOSSIER_RETURN_IF_ERROR(ReapplyStoredDocument(graph, doc));
  return Status::Ok();
}

// Applies a stored document's graph again from its stored facts, keeping its
// near-duplicate signature and links.
Status ReapplyStoredDocument(const GraphColumns& graph, const DocumentId& id) {
  DOSSIER_ASSIGN_OR_RETURN(std::optional<json> stored, ReadJson(graph, graph.facts, keys::DocumentKey(id)));
  DOSSIER_ASSIGN_OR_RETURN(std::optional<json> doc_record, ReadJson(graph, graph.nodes, keys::DocumentNodeKey(id)));
  if (!stored || !doc_record) return Status::Ok();
  std::vector<Fact> facts;
  for (const json& fact : stored->value("facts", json::array())) {
    Result<Fact> decoded = DecodeFactJson(fact);
    if (decoded.ok() && !std::holds_alternative<StructureFact>(*decoded)) facts.push_back(std::move(decoded).value());
  }
  DOSSIER_ASSIGN_OR_RETURN(const std::string extractors, StoredExtractors(graph, id));
  DOSSIER_ASSIGN_OR_RETURN(std::optional<NearDuplicateSignature> signature, ReadNearDuplicateSignature(graph, id));
  DOSSIER_RETURN_IF_ERROR(ApplyDocumentGraph(graph, id, doc_record->value("title", ""), facts, extractors));
  if (signature) DOSSIER_RETURN_IF_ERROR(LinkNearDuplicates(graph, id, *signature));
  return Status::Ok();
}

}  // namespace

Status RemoveDocumentGraph(const GraphColumns& stored, const DocumentId& id) {
  StagedGraphChange change(stored);
  const GraphColumns& graph = change.graph();
  DOSSIER_ASSIGN_OR_RETURN(const auto acronyms, WatchAcronyms(graph, id, {}));
  std::set<std::string> linked;
  DOSSIER_RETURN_IF_ERROR(RemoveContribution(graph, id, &linked));
  DOSSIER_RETURN_IF_ERROR(Linker(graph).Relink(linked));
  DOSSIER_RETURN_IF_ERROR(ApplyWhereAcronymsChanged(graph, id, acronyms));
  return change.Commit();
}

Status ApplyDocumentGraph(const GraphColumns& stored, const DocumentId& id, const std::string& title,
                          const std::vector<Fact>& facts, const std::string& extractor) {
  StagedGraphChange change(stored);
  const GraphColumns& graph = change.graph();
  DOSSIER_ASSIGN_OR_RETURN(const auto acronyms, WatchAcronyms(graph, id, facts));
  std::set<std::string> items;
  DOSSIER_RETURN_IF_ERROR(RemoveContribution(graph, id, &items));
  DOSSIER_RETURN_IF_ERROR(WriteContribution(graph, id, title, facts, extractor, &items));
  DOSSIER_RETURN_IF_ERROR(Linker(graph).Relink(items));
  DOSSIER_RETURN_IF_ERROR(ApplyWhereAcronymsChanged(graph, id, acronyms));
  return change.Commit();
}

Result<std::optional<GraphNode>> ReadNode(const GraphColumns& graph, const std::string& node_key) {
  std::string value;
  bool stored = false;
  DOSSIER_RETURN_IF_ERROR(GraphGet(graph, graph.nodes, node_key, &value, &stored));
  if (!stored) return std::optional<GraphNode>();
  json record = json::parse(value, nullptr, false);
  if (record.is_discarded()) return Status::DataLoss(graph.data_dir + ": graph node " + keys::NodeKeyToText(node_key) + " is damaged");
  return std::optional<GraphNode>(GraphNode{keys::NodeKeyToText(node_key), KindName(node_key[0]), std::move(record)});
}

Result<std::vector<GraphNode>> ReadNodesOfKind(const GraphColumns& graph, char kind, uint32_t limit, uint32_t offset) {
  std::vector<GraphNode> out;
  uint32_t skipped = 0;
  DOSSIER_RETURN_IF_ERROR(Scan(graph, graph.nodes, std::string(1, kind), [&](std::string_view key, std::string_view value) {
    if (skipped < offset) {
      ++skipped;
      return true;
    }
    json record = json::parse(value, nullptr, false);
    if (!record.is_discarded()) out.push_back({keys::NodeKeyToText(key), KindName(kind), std::move(record)});
    return out.size() < limit;
  }));
  return out;
}

Result<std::vector<std::string>> FindNodesByName(const GraphColumns& graph, std::string_view name) {
  std::vector<std::string> out;
  std::string prefix = NameKey(name);
  if (prefix.empty()) return out;
  prefix.push_back('\0');
  DOSSIER_RETURN_IF_ERROR(Scan(graph, graph.aliases, prefix, [&](std::string_view key, std::string_view) {
    out.emplace_back(key.substr(prefix.size()));
    return true;
  }));
  return out;
}

Result<std::vector<GraphEdge>> ReadEdges(const GraphColumns& graph, const std::string& node_key, bool outgoing,
                                         int edge_type) {
  std::vector<GraphEdge> out;
  const std::string prefix = edge_type > 0 ? keys::EdgePrefix(node_key, static_cast<EdgeType>(edge_type)) : node_key;
  // An outgoing edge's evidence is the value the scan is on; an incoming
  // edge's (edges_in holds keys only) is read from edges.
  std::vector<std::pair<keys::EdgeParts, std::string>> found;
  DOSSIER_RETURN_IF_ERROR(Scan(graph, outgoing ? graph.edges : graph.edges_in, prefix, [&](std::string_view key, std::string_view value) {
    keys::EdgeParts parts;
    if (outgoing ? keys::ParseEdgeKey(key, &parts) : keys::ParseEdgeInKey(key, &parts)) {
      found.emplace_back(parts, outgoing ? std::string(value) : std::string());
    }
    return true;
  }));
  for (auto& [e, value] : found) {
    if (!outgoing) {
      bool stored = false;
      DOSSIER_RETURN_IF_ERROR(GraphGet(graph, graph.edges, keys::EdgeKey(e.src, e.type, e.dst, e.doc), &value, &stored));
    }
    json evidence = json::parse(value, nullptr, false);
    if (evidence.is_discarded()) evidence = json::object();
    out.push_back({keys::NodeKeyToText(e.src), std::string(keys::EdgeTypeName(e.type)), keys::NodeKeyToText(e.dst),
                   e.doc.ToHex(), std::move(evidence)});
  }
  return out;
}

Result<std::vector<GraphEdge>> ReadEdgesPage(const GraphColumns& graph, const std::string& node_key, bool outgoing,
                                             int edge_type, uint32_t offset, uint32_t limit, uint64_t* total,
                                             bool with_evidence) {
  std::vector<GraphEdge> out;
  const std::string prefix = edge_type > 0 ? keys::EdgePrefix(node_key, static_cast<EdgeType>(edge_type)) : node_key;
  uint64_t seen = 0;
  std::vector<keys::EdgeParts> found;
  DOSSIER_RETURN_IF_ERROR(Scan(graph, outgoing ? graph.edges : graph.edges_in, prefix, [&](std::string_view key, std::string_view) {
    const uint64_t index = seen++;
    if (index < offset || index - offset >= limit) return true;  // counted only
    keys::EdgeParts parts;
    if (outgoing ? keys::ParseEdgeKey(key, &parts) : keys::ParseEdgeInKey(key, &parts)) found.push_back(parts);
    return true;
  }));
  if (total) *total = seen;
  for (const keys::EdgeParts& e : found) {
    json evidence = json::object();
    if (with_evidence) {
      std::string value;
      bool stored = false;
      DOSSIER_RETURN_IF_ERROR(GraphGet(graph, graph.edges, keys::EdgeKey(e.src, e.type, e.dst, e.doc), &value, &stored));
      evidence = json::parse(value, nullptr, false);
      if (evidence.is_discarded()) evidence = json::object();
    }
    out.push_back({keys::NodeKeyToText(e.src), std::string(keys::EdgeTypeName(e.type)), keys::NodeKeyToText(e.dst),
                   e.doc.ToHex(), std::move(evidence)});
  }
  return out;
}

}  // namespace dossier
