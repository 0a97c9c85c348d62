// The knowledge graph in RocksDB: a document's facts become nodes and edges
// with evidence; entities shared by documents live until their last mention goes.
// The links between items of different documents are the linker's
// (graph_linker.cc); the plan of one document's own part, the builder's
// (graph_builder.cc).
#include "graph.h"

#include <rocksdb/write_batch.h>

#include <algorithm>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <nlohmann/json.hpp>

#include "dossier/facts.h"
#include "dossier/keys.h"
#include "dossier/text.h"
#include "graph_builder.h"
#include "graph_linker.h"
#include "graph_read.h"
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

// Replays a graph step's batch (Put and Delete on the graph's columns) into
// `target`: the staged change, or the batch that Commit() writes.
class StageBatch : public rocksdb::WriteBatch::Handler {
 public:
  StageBatch(const GraphColumns& graph, rocksdb::WriteBatchBase* target) : target_(target) {
    for (rocksdb::ColumnFamilyHandle* cf : {graph.nodes, graph.edges, graph.edges_in, graph.doc_edges, graph.aliases,
                                            graph.near_duplicates, graph.facts}) {
      if (cf) by_id_[cf->GetID()] = cf;
    }
  }
  rocksdb::Status PutCF(uint32_t id, const rocksdb::Slice& key, const rocksdb::Slice& value) override {
    rocksdb::ColumnFamilyHandle* cf = Column(id);
    return cf ? target_->Put(cf, key, value) : Unknown(id);
  }
  rocksdb::Status DeleteCF(uint32_t id, const rocksdb::Slice& key) override {
    rocksdb::ColumnFamilyHandle* cf = Column(id);
    return cf ? target_->Delete(cf, key) : Unknown(id);
  }

 private:
  rocksdb::ColumnFamilyHandle* Column(uint32_t id) const {
    auto it = by_id_.find(id);
    return it == by_id_.end() ? nullptr : it->second;
  }
  static rocksdb::Status Unknown(uint32_t id) {
    return rocksdb::Status::InvalidArgument("graph batch writes column family " + std::to_string(id) + ", not the graph's");
  }
  rocksdb::WriteBatchBase* target_;
  std::map<uint32_t, rocksdb::ColumnFamilyHandle*> by_id_;
};

}  // namespace

rocksdb::Status GraphWrite(const GraphColumns& graph, rocksdb::WriteBatch* batch) {
  if (!graph.staged) return graph.db->Write(rocksdb::WriteOptions(), batch);
  StageBatch stage(graph, graph.staged);
  return batch->Iterate(&stage);
}

StagedGraphChange::StagedGraphChange(const GraphColumns& graph) : graph_(graph) {
  if (graph_.staged) return;  // nested: adds to the change being made
  // overwrite_key: a key written twice reads (and is written) as its last write.
  own_ = std::make_unique<rocksdb::WriteBatchWithIndex>(rocksdb::BytewiseComparator(), 0, true);
  graph_.staged = own_.get();
}

StagedGraphChange::~StagedGraphChange() = default;

Status StagedGraphChange::Commit(rocksdb::WriteBatch* with, const std::string& what) {
  if (!own_) {
    if (with == nullptr) return Status::Ok();
    return Status::FailedPrecondition(graph_.data_dir + ": a batch of its own cannot join a nested graph change");
  }
  rocksdb::WriteBatch* batch = own_->GetWriteBatch();
  if (with != nullptr) {
    StageBatch append(graph_, with);
    rocksdb::Status appended = batch->Iterate(&append);
    if (!appended.ok()) return FromRocksWrite(graph_.data_dir, what, appended);
    batch = with;
  }
  rocksdb::Status s = graph_.db->Write(rocksdb::WriteOptions(), batch);
  own_.reset();
  graph_.staged = nullptr;
  return FromRocksWrite(graph_.data_dir, what, s);
}

Status FromRocks(const GraphColumns& graph, const rocksdb::Status& s) {
  return FromRocksWrite(graph.data_dir, "writing the graph", s);
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

namespace {

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

// ---- acronyms whose definers a change alters (the linker watches them) ----

Status ReapplyStoredDocument(const GraphColumns& graph, const DocumentId& id);

// Stores again the documents using bare an acronym whose definers changed
// (the linker says which).
Status ApplyWhereAcronymsChanged(const GraphColumns& graph, const DocumentId& id, const AcronymDefiners& before) {
  DOSSIER_ASSIGN_OR_RETURN(const std::set<DocumentId> again, DocumentsToApplyAgain(graph, id, before));
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
  DOSSIER_RETURN_IF_ERROR(RelinkItems(graph, linked));
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
  DOSSIER_RETURN_IF_ERROR(RelinkItems(graph, items));
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
    if (index >= uint64_t{offset} + limit) return total != nullptr;  // past the page: counted, when asked, or done
    if (index < offset) return true;  // counted only
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

Result<std::vector<std::string>> ReadEdgeEnds(const GraphColumns& graph, const std::string& node_key, bool outgoing,
                                              int edge_type) {
  // A key is the node, the type, the other end (a node key) and the document.
  const std::string prefix = keys::EdgePrefix(node_key, static_cast<EdgeType>(edge_type));
  std::vector<std::string> ends;
  std::unique_ptr<rocksdb::Iterator> it = GraphIterator(graph, outgoing ? graph.edges : graph.edges_in);
  it->Seek(prefix);
  while (it->Valid() && it->key().starts_with(prefix)) {
    const std::string_view key = it->key().ToStringView();
    if (key.size() < prefix.size() + keys::kNodeKeySize) {  // not an edge key: passed over
      it->Next();
      continue;
    }
    const std::string_view end = key.substr(prefix.size(), keys::kNodeKeySize);
    ends.push_back(keys::NodeKeyToText(end));
    // Past every key of this end.
    const std::string past = keys::PrefixEnd(std::string(key.substr(0, prefix.size() + keys::kNodeKeySize)));
    if (past.size() <= prefix.size()) break;  // nothing after this end within the prefix
    it->Seek(past);
  }
  if (!it->status().ok()) return DamagedDataFolder(graph.data_dir, "graph: " + it->status().ToString());
  return ends;
}

}  // namespace dossier
