// The knowledge graph in RocksDB: a document's facts become nodes and edges
// with evidence; entities shared by documents live until their last mention goes.
#include "graph.h"

#include <rocksdb/write_batch.h>

#include <cmath>
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

namespace {

Status FromRocks(const GraphColumns& graph, const rocksdb::Status& s) {
  return FromRocksWrite(graph.data_dir, "writing the graph", s);
}

// A point read. *found says whether the key is there; any failure other than
// "not found" is damage (kDataLoss), never taken for the key's absence.
Status GetValue(const GraphColumns& graph, rocksdb::ColumnFamilyHandle* cf, const std::string& key, std::string* value,
                bool* found) {
  rocksdb::Status s = graph.db->Get(CheckedReadOptions(), cf, key, value);
  *found = s.ok();
  if (s.ok() || s.IsNotFound()) return Status::Ok();
  return DamagedDataFolder(graph.data_dir, "graph: " + s.ToString());
}

// 8 bytes that identify a thing by its name.
std::string HashBytes(std::string_view text) {
  return std::string(DocumentId::FromHex(Sha256Hex(text).substr(0, 16)).value().Bytes());
}

NodeKind KindOfEntityType(EntityType type) {
  if (type == EntityType::kOrganisation) return NodeKind::kOrganisation;
  if (type == EntityType::kProgramme) return NodeKind::kProgramme;
  return NodeKind::kOtherEntity;
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

// The words of a text that carry meaning (four letters or more), folded.
std::set<std::string> SignificantWords(const std::string& text) {
  std::set<std::string> words;
  std::string key = NameKey(text.substr(0, 2000));
  size_t start = 0;
  while (start < key.size()) {
    size_t end = key.find(' ', start);
    if (end == std::string::npos) end = key.size();
    if (end - start >= 4) words.insert(key.substr(start, end - start));
    start = end + 1;
  }
  return words;
}

// Jaccard similarity of two word sets.
double Similarity(const std::set<std::string>& a, const std::set<std::string>& b) {
  if (a.empty() || b.empty()) return 0;
  size_t common = 0;
  for (const std::string& w : a) common += b.count(w);
  return static_cast<double>(common) / static_cast<double>(a.size() + b.size() - common);
}

// Items whose text opens with the same words are the same item (a memo or a
// response restating a report's recommendation): they share this alias key.
std::string ItemTextKey(const std::string& item_type, const std::string& text) {
  return item_type + "|" + NameKey(text).substr(0, 160);
}

// What the recurrence check compares of a recommendation: its text key and
// its significant words. An item never changes under its id (the id hashes
// the document's content id and the item's number), so this bounded cache is
// never stale; it spares an ICU normalisation of every candidate's text for
// each new recommendation to the same body, which was most of the cost of
// storing a document once a body had hundreds of recommendations.
struct RecommendationFeatures {
  std::string text_key;
  std::set<std::string> words;
};

class RecommendationFeatureCache {
 public:
  std::shared_ptr<const RecommendationFeatures> Find(const std::string& node) {
    std::lock_guard<std::mutex> lock(mutex_);
    auto it = features_.find(node);
    return it == features_.end() ? nullptr : it->second;
  }
  std::shared_ptr<const RecommendationFeatures> Add(const std::string& node, const std::string& text) {
    auto features = std::make_shared<RecommendationFeatures>();
    features->text_key = ItemTextKey("recommendation", text);
    features->words = SignificantWords(text);
    std::lock_guard<std::mutex> lock(mutex_);
    if (features_.size() >= kLimit) features_.clear();  // crude but bounded (about 30 MB)
    features_[node] = features;
    return features;
  }

 private:
  static constexpr size_t kLimit = 20000;
  std::mutex mutex_;
  std::unordered_map<std::string, std::shared_ptr<const RecommendationFeatures>> features_;
};

RecommendationFeatureCache& FeatureCache() {
  static RecommendationFeatureCache cache;
  return cache;
}

// The prefix scan helper: calls `visit(key, value)` for keys starting with `prefix`.
template <typename Visit>
Status Scan(const GraphColumns& graph, rocksdb::ColumnFamilyHandle* cf, const std::string& prefix, Visit visit) {
  std::unique_ptr<rocksdb::Iterator> it(graph.db->NewIterator(CheckedReadOptions(), cf));
  for (it->Seek(prefix); it->Valid() && it->key().starts_with(prefix); it->Next()) {
    if (!visit(it->key().ToStringView(), it->value().ToStringView())) break;
  }
  if (!it->status().ok()) return DamagedDataFolder(graph.data_dir, "graph: " + it->status().ToString());
  return Status::Ok();
}

// A bare acronym: 2 to 12 capitals, digits or '&', at least two capitals.
bool IsBareAcronym(std::string_view name) {
  if (name.size() < 2 || name.size() > 12) return false;
  int capitals = 0;
  for (unsigned char c : name) {
    if (c >= 'A' && c <= 'Z') ++capitals;
    else if (!(c >= '0' && c <= '9') && c != '&') return false;
  }
  return capitals >= 2;
}

struct DefinedEntity {
  std::string node, name;
};

// The one entity other than `own` that has `acronym` as a name or alias, or
// nothing when none or several do.
Result<std::optional<DefinedEntity>> EntityDefiningAcronym(const GraphColumns& graph, const std::string& acronym,
                                                           const std::string& own) {
  std::string prefix = NameKey(acronym);
  prefix.push_back('\0');
  std::set<std::string> found;
  DOSSIER_RETURN_IF_ERROR(Scan(graph, graph.aliases, prefix, [&](std::string_view key, std::string_view) {
    const std::string node(key.substr(prefix.size()));
    const char kind = node.empty() ? 0 : node[0];
    const bool entity = kind == static_cast<char>(NodeKind::kOrganisation) ||
                        kind == static_cast<char>(NodeKind::kProgramme) ||
                        kind == static_cast<char>(NodeKind::kOtherEntity);
    if (entity && node != own) found.insert(node);
    return found.size() <= 1;
  }));
  if (found.size() != 1) return std::optional<DefinedEntity>();
  std::string value;
  bool stored = false;
  DOSSIER_RETURN_IF_ERROR(GetValue(graph, graph.nodes, *found.begin(), &value, &stored));
  if (!stored) return std::optional<DefinedEntity>();
  json record = json::parse(value, nullptr, false);
  if (!record.is_object() || !record.contains("name") || !record["name"].is_string()) return std::optional<DefinedEntity>();
  return std::optional<DefinedEntity>(DefinedEntity{*found.begin(), record["name"].get<std::string>()});
}

// ---- entity records, kept up to date incrementally ----
//
// An entity's record (name, aliases, type, documents, authority) summarises
// the evidence of all its `mentions` edges: the most used name wins (ties:
// the smallest name), every other name and every alias is an alias, the most
// common type wins (ties: the smallest), authority if any mention says so.
// Re-reading every mention each time a document mentions the entity made
// ingest cost grow with the archive (quadratic overall), so each entity keeps
// a tally of its mentions' evidence, updated by +/- one document's evidence in
// the same write batch as that document's edges; the record is derived from
// the tally. The tally lives in the nodes column family under kTallyPrefix +
// node key ('~' is no node kind, so scans of a kind never see it). An entity
// without a tally (a data folder written before tallies existed) gets one
// built once from its mention edges.
constexpr char kTallyPrefix = '~';

struct EntityTally {
  int64_t documents = 0;  // mention edges
  int64_t authority = 0;  // mentions saying the authority file knows it
  std::map<std::string, int64_t> names, aliases, types;
};

std::string TallyKey(const std::string& node) { return kTallyPrefix + node; }

void AddEvidence(const json& evidence, int sign, EntityTally* t) {
  t->documents += sign;
  t->names[evidence.value("name", "")] += sign;
  for (const auto& alias : evidence.value("aliases", json::array())) {
    if (alias.is_string()) t->aliases[alias.get<std::string>()] += sign;
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
  rocksdb::Status s = graph.db->Get(CheckedReadOptions(), graph.nodes, TallyKey(node), &value);
  if (s.ok()) {
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
  } else if (!s.IsNotFound()) {
    return DamagedDataFolder(graph.data_dir, "graph: " + s.ToString());
  }
  std::vector<keys::EdgeParts> mentions;
  std::string prefix = node + static_cast<char>(EdgeType::kMentions);
  DOSSIER_RETURN_IF_ERROR(Scan(graph, graph.edges_in, prefix, [&](std::string_view key, std::string_view) {
    keys::EdgeParts parts;
    if (keys::ParseEdgeInKey(key, &parts)) mentions.push_back(parts);
    return true;
  }));
  for (const keys::EdgeParts& m : mentions) {
    std::string evidence_text;
    bool stored = false;
    DOSSIER_RETURN_IF_ERROR(GetValue(graph, graph.edges, keys::EdgeKey(m.src, m.type, m.dst, m.doc), &evidence_text, &stored));
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
  DOSSIER_RETURN_IF_ERROR(GetValue(graph, graph.nodes, node, &old_value, &old_value_stored));
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
    batch->Delete(graph.nodes, TallyKey(node));
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
  const std::string best = most(t.names);
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
  batch->Put(graph.nodes, TallyKey(node), TallyToJson(t).dump());
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

}  // namespace

Status RemoveDocumentGraph(const GraphColumns& graph, const DocumentId& id) {
  rocksdb::WriteBatch batch;
  std::set<std::string> dates, items;
  std::map<std::string, json> mentioned;  // entity -> this document's mention evidence
  Status read_status;
  DOSSIER_RETURN_IF_ERROR(Scan(graph, graph.doc_edges, std::string(id.Bytes()), [&](std::string_view key, std::string_view) {
    keys::EdgeParts e;
    if (!keys::ParseDocEdgeKey(key, &e)) return true;
    const std::string edge_key = keys::EdgeKey(e.src, e.type, e.dst, e.doc);
    if (e.type == EdgeType::kMentions && IsEntityKind(e.dst[0])) {
      std::string value;
      bool stored = false;
      read_status = GetValue(graph, graph.edges, edge_key, &value, &stored);
      if (!read_status.ok()) return false;
      if (stored) {
        json evidence = json::parse(value, nullptr, false);
        mentioned[e.dst] = evidence.is_discarded() ? json::object() : std::move(evidence);
      }
    }
    batch.Delete(graph.edges, edge_key);
    batch.Delete(graph.edges_in, keys::EdgeInKey(e.dst, e.type, e.src, e.doc));
    batch.Delete(graph.doc_edges, std::string(key));
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
        batch.Delete(graph.edges, keys::EdgeKey(e.src, e.type, e.dst, e.doc));
        batch.Delete(graph.edges_in, keys::EdgeInKey(e.dst, e.type, e.src, e.doc));
        batch.Delete(graph.doc_edges, keys::DocEdgeKey(e.doc, e.src, e.type, e.dst));
        return true;
      }));
    }
    return Status::Ok();
  };
  // Items belong to one document: they go with it, with the links other
  // documents made to them (same_as) and their text alias.
  for (const std::string& item : items) {
    batch.Delete(graph.nodes, item);
    std::string value;
    bool value_stored = false;
    DOSSIER_RETURN_IF_ERROR(GetValue(graph, graph.nodes, item, &value, &value_stored));
    if (value_stored) {
      json record = json::parse(value, nullptr, false);
      if (!record.is_discarded()) {
        batch.Delete(graph.aliases, keys::AliasKey(ItemTextKey(record.value("item_type", ""), record.value("text", "")), item));
      }
    }
    DOSSIER_RETURN_IF_ERROR(delete_links_of_others(item));
  }
  // The document's title keys, and responds_to links another document made to it.
  const std::string doc_node = keys::DocumentNodeKey(id);
  std::string doc_value;
  bool doc_value_stored = false;
  DOSSIER_RETURN_IF_ERROR(GetValue(graph, graph.nodes, doc_node, &doc_value, &doc_value_stored));
  if (doc_value_stored) {
    json record = json::parse(doc_value, nullptr, false);
    if (!record.is_discarded()) {
      for (const auto& alias : record.value("title_keys", json::array())) {
        if (alias.is_string()) batch.Delete(graph.aliases, keys::AliasKey(alias.get<std::string>(), doc_node));
      }
    }
  }
  std::string responds_to = doc_node;
  responds_to.push_back(static_cast<char>(EdgeType::kRespondsTo));
  DOSSIER_RETURN_IF_ERROR(delete_links_of_others(responds_to));
  batch.Delete(graph.nodes, doc_node);
  // Its near-duplicate signature and links (both directions).
  DOSSIER_RETURN_IF_ERROR(ForgetNearDuplicates(graph, id, &batch));
  // The entities it mentioned lose its evidence, in the same batch as its edges.
  DOSSIER_RETURN_IF_ERROR(UpdateEntities(graph, mentioned, -1, &batch));
  DOSSIER_RETURN_IF_ERROR(FromRocks(graph, graph.db->Write(rocksdb::WriteOptions(), &batch)));
  // Dates nothing states any more go (reads see the batch above).
  rocksdb::WriteBatch refresh;
  for (const std::string& date : dates) {
    bool used = false;
    DOSSIER_RETURN_IF_ERROR(Scan(graph, graph.edges_in, date, [&](std::string_view, std::string_view) {
      used = true;
      return false;
    }));
    if (!used) refresh.Delete(graph.nodes, date);
  }
  return FromRocks(graph, graph.db->Write(rocksdb::WriteOptions(), &refresh));
}

Status ApplyDocumentGraph(const GraphColumns& graph, const DocumentId& id, const std::string& title,
                          const std::vector<Fact>& facts, const std::string& extractor) {
  DOSSIER_RETURN_IF_ERROR(RemoveDocumentGraph(graph, id));
  rocksdb::WriteBatch batch;
  const std::string doc_node = keys::DocumentNodeKey(id);
  std::map<std::string, json> mentioned;  // entity -> this document's mention evidence (the last edge written)
  auto add_edge = [&](const std::string& src, EdgeType type, const std::string& dst, const json& evidence) {
    json full = evidence;
    full["extractor"] = extractor;
    if (type == EdgeType::kMentions) mentioned[dst] = full;
    batch.Put(graph.edges, keys::EdgeKey(src, type, dst, id), full.dump());
    batch.Put(graph.edges_in, keys::EdgeInKey(dst, type, src, id), "");
    batch.Put(graph.doc_edges, keys::DocEdgeKey(id, src, type, dst), "");
  };
  json doc_record = {{"title", title}, {"document", id.ToHex()}};

  // Entities first: names and aliases of this document resolve to node keys.
  std::map<std::string, std::string> node_of_name;  // NameKey(name or alias) -> node
  for (const Fact& any : facts) {
    const auto* fact = std::get_if<EntityFact>(&any);
    if (!fact) continue;
    std::string name = fact->name;
    if (name.empty()) continue;
    std::string node = keys::NodeKey(KindOfEntityType(fact->type), HashBytes(NameKey(name)));
    json aliases = fact->aliases;
    // An acronym this document uses but does not define ("RISU should …") is
    // the entity that earlier documents define it as, when exactly one does:
    // its mention counts there, under that entity's name, the acronym an alias.
    if (aliases.empty() && !fact->authority && IsBareAcronym(name)) {
      DOSSIER_ASSIGN_OR_RETURN(std::optional<DefinedEntity> defined, EntityDefiningAcronym(graph, name, node));
      if (defined) {
        node_of_name[NameKey(name)] = defined->node;
        aliases.push_back(name);
        node = defined->node;
        name = defined->name;
      }
    }
    node_of_name[NameKey(name)] = node;
    for (const auto& alias : aliases) node_of_name.emplace(NameKey(alias.get<std::string>()), node);
    json pages = json::array();
    std::set<uint32_t> seen;
    json first_span = nullptr;
    for (const Mention& m : fact->mentions) {
      if (first_span.is_null()) first_span = ToJson(m);
      if (seen.insert(m.page).second) pages.push_back(m.page);
    }
    add_edge(doc_node, EdgeType::kMentions, node,
             {{"name", name}, {"type", WireName(fact->type)}, {"aliases", aliases},
              {"authority", fact->authority}, {"pages", pages},
              {"mentions", fact->mentions.size()}, {"first", first_span}});
  }
  auto entity_node = [&](const std::string& name) -> std::string {
    auto it = node_of_name.find(NameKey(name));
    if (it != node_of_name.end()) return it->second;
    return keys::NodeKey(NodeKind::kOrganisation, HashBytes(NameKey(name)));
  };
  std::string document_date;
  for (const Fact& any : facts) {
    if (const auto* fact = std::get_if<DocumentDateFact>(&any)) document_date = fact->value;
  }
  // Links `node` (an item or action) to the nodes of other documents that
  // state the same text (a memo restating a report's recommendation, a
  // progress update restating an action), and records its text alias.
  // This document's items by type and number, for the chains they state ("based on Conclusion 2").
  auto item_node = [&](const ItemFact& fact) {
    return keys::ItemNodeKey(id, WireName(fact.item_type), fact.number, fact.start);
  };
  // "F12" and "Finding 12" are the same number.
  auto number_key = [](const std::string& type, std::string number) {
    if (number.size() > 1 && std::isupper(static_cast<unsigned char>(number[0])) &&
        std::isdigit(static_cast<unsigned char>(number[1]))) {
      number.erase(0, 1);
    }
    return type + "|" + number;
  };
  std::map<std::string, std::string> item_by_number;
  for (const Fact& any : facts) {
    if (const auto* fact = std::get_if<ItemFact>(&any)) {
      item_by_number.emplace(number_key(std::string(WireName(fact->item_type)), fact->number), item_node(*fact));
    }
  }
  std::set<std::string> restatements;  // nodes of this document that restate another document's item
  auto link_same_text = [&](const std::string& node, const std::string& item_type, const std::string& text) -> Status {
    const std::string text_key = ItemTextKey(item_type, text);
    batch.Put(graph.aliases, keys::AliasKey(text_key, node), "");
    std::string prefix = text_key;
    prefix.push_back('\0');
    Status read_status;
    DOSSIER_RETURN_IF_ERROR(Scan(graph, graph.aliases, prefix, [&](std::string_view key, std::string_view) {
      std::string other(key.substr(prefix.size()));
      std::string value;
      bool stored = false;
      if (other != node) {
        read_status = GetValue(graph, graph.nodes, other, &value, &stored);
        if (!read_status.ok()) return false;
      }
      if (stored) {
        json other_record = json::parse(value, nullptr, false);
        if (!other_record.is_discarded() && other_record.value("document", "") != id.ToHex()) {
          add_edge(node, EdgeType::kSameAs, other, {{"by", "text"}, {"number", other_record.value("number", "")}});
          restatements.insert(node);
        }
      }
      return true;
    }));
    return read_status;
  };
  // Key actions under a recommendation: nodes of their own, with their
  // responsible units, due date and the document's date (for status history).
  auto apply_actions = [&](const ItemFact& fact, const std::string& rec_node, const std::string& rec_number) -> Status {
    size_t n = 0;
    for (const KeyAction& action : fact.key_actions) {
      const std::string& number = action.number;
      const std::string node = keys::ActionNodeKey(id, rec_number, number, n++);
      json record = ToJson(action);
      record["item_type"] = "action";
      record["document"] = id.ToHex();
      record["document_title"] = title;
      record["document_date"] = document_date.empty() ? json(nullptr) : json(document_date);
      record["recommendation"] = keys::NodeKeyToText(rec_node);
      record["recommendation_number"] = rec_number;
      batch.Put(graph.nodes, node, record.dump());
      const json page = {{"page", action.page}};
      add_edge(rec_node, EdgeType::kHasAction, node, page);
      add_edge(doc_node, EdgeType::kContains, node, page);
      for (const std::string& who : action.responsible) {
        add_edge(node, EdgeType::kResponsible, entity_node(who), page);
      }
      if (action.due) {
        const std::string& due = *action.due;
        const std::string date_node = keys::NodeKey(NodeKind::kDate, HashBytes(due));
        batch.Put(graph.nodes, date_node, json({{"value", due}}).dump());
        add_edge(node, EdgeType::kDue, date_node, page);
      }
      DOSSIER_RETURN_IF_ERROR(link_same_text(node, "action", action.text));
    }
    return Status::Ok();
  };
  // The same recommendation made again to the same body in another
  // evaluation: similar (not identical) text and a shared responsible body.
  auto link_recurrences = [&](const ItemFact& fact, const std::string& rec_node) -> Status {
    if (restatements.count(rec_node)) return Status::Ok();  // the original carries the recurrence
    const std::shared_ptr<const RecommendationFeatures> own = FeatureCache().Add(rec_node, fact.text);
    const std::set<std::string>& words = own->words;
    if (words.size() < 4) return Status::Ok();
    const std::string& own_key = own->text_key;
    std::set<std::string> done;
    for (const std::string& who : fact.responsible) {
      std::string prefix = entity_node(who);
      prefix.push_back(static_cast<char>(EdgeType::kResponsible));
      int looked = 0;
      std::vector<std::string> candidates;
      DOSSIER_RETURN_IF_ERROR(Scan(graph, graph.edges_in, prefix, [&](std::string_view key, std::string_view) {
        keys::EdgeParts e;
        if (keys::ParseEdgeInKey(key, &e) && e.doc != id && e.src[0] == 'R') candidates.push_back(e.src);
        return ++looked < 500;  // bounded work per recommendation, however big the body
      }));
      for (const std::string& other : candidates) {
        if (!done.insert(other).second) continue;
        std::shared_ptr<const RecommendationFeatures> theirs = FeatureCache().Find(other);
        json record;
        if (!theirs) {
          std::string value;
          bool value_stored = false;
          DOSSIER_RETURN_IF_ERROR(GetValue(graph, graph.nodes, other, &value, &value_stored));
          if (!value_stored) continue;
          record = json::parse(value, nullptr, false);
          if (record.is_discarded()) continue;
          theirs = FeatureCache().Add(other, record.value("text", ""));
        }
        if (theirs->text_key == own_key) continue;
        const double similarity = Similarity(words, theirs->words);
        if (similarity < 0.5) continue;
        // A restatement (a memo or update repeating a report's item) links to
        // the original through same_as; the recurrence is with the original.
        bool restates = false;
        std::string same_prefix = other;
        same_prefix.push_back(static_cast<char>(EdgeType::kSameAs));
        DOSSIER_RETURN_IF_ERROR(Scan(graph, graph.edges, same_prefix, [&](std::string_view, std::string_view) {
          restates = true;
          return false;
        }));
        if (restates) continue;
        if (record.is_null()) {
          std::string value;
          bool value_stored = false;
          DOSSIER_RETURN_IF_ERROR(GetValue(graph, graph.nodes, other, &value, &value_stored));
          if (!value_stored) continue;
          record = json::parse(value, nullptr, false);
          if (record.is_discarded()) continue;
        }
        add_edge(rec_node, EdgeType::kRecurs, other,
                 {{"similarity", std::round(similarity * 100) / 100}, {"responsible", who},
                  {"document", record.value("document", "")}, {"number", record.value("number", "")}});
      }
    }
    return Status::Ok();
  };
  // The evaluation this document is, or the one it answers: the two meet
  // under the title's key, whichever was ingested first.
  for (const Fact& any : facts) {
    const auto* fact = std::get_if<EvaluationTitleFact>(&any);
    if (!fact) continue;
    const std::string& key = fact->key;
    if (key.empty()) continue;
    const bool answers = fact->responds_to;
    const std::string own = (answers ? "answers|" : "title|") + key;
    const std::string other = (answers ? "title|" : "answers|") + key;
    batch.Put(graph.aliases, keys::AliasKey(own, doc_node), "");
    doc_record["title_keys"].push_back(own);
    doc_record[answers ? "responds_to_title" : "evaluation_title"] = fact->title;
    std::string prefix = other;
    prefix.push_back('\0');
    DOSSIER_RETURN_IF_ERROR(Scan(graph, graph.aliases, prefix, [&](std::string_view alias, std::string_view) {
      std::string found(alias.substr(prefix.size()));
      if (found == doc_node) return true;
      if (answers) add_edge(doc_node, EdgeType::kRespondsTo, found, {{"title", fact->title}, {"by", "title"}});
      else add_edge(found, EdgeType::kRespondsTo, doc_node, {{"title", fact->title}, {"by", "title"}});
      return true;
    }));
  }
  batch.Put(graph.nodes, doc_node, doc_record.dump());
  for (const Fact& any : facts) {
    if (const auto* fact = std::get_if<EntityFact>(&any); fact && fact->part_of) {
      const std::string& part_of = *fact->part_of;
      const std::string child = entity_node(fact->name);
      const std::string parent = entity_node(part_of);
      if (!node_of_name.count(NameKey(part_of))) {
        // A parent named only by the authority file (e.g. "United Nations"): it is stated here too.
        add_edge(doc_node, EdgeType::kMentions, parent,
                 {{"name", part_of}, {"type", "organisation"}, {"aliases", json::array()},
                  {"authority", true}, {"pages", json::array()}, {"mentions", 0}, {"first", nullptr}});
        node_of_name[NameKey(part_of)] = parent;
      }
      add_edge(child, EdgeType::kPartOf, parent, {{"stated_by", fact->authority ? "authority" : "text"}});
    } else if (const auto* fact = std::get_if<ItemFact>(&any)) {
      const std::string item_type(WireName(fact->item_type));
      const std::string& number = fact->number;
      const std::string node = item_node(*fact);
      for (const ItemReference& ref : fact->based_on) {
        auto it = item_by_number.find(number_key(std::string(WireName(ref.item_type)), ref.number));
        if (it != item_by_number.end() && it->second != node) {
          add_edge(node, EdgeType::kBasedOn, it->second, {{"page", fact->page}, {"number", ref.number}});
        }
      }
      json record = {{"item_type", item_type}, {"number", number}, {"text", fact->text},
                     {"document", id.ToHex()}, {"page", fact->page}};
      if (fact->item_type == ItemType::kRecommendation) {
        if (fact->management_response) record["management_response"] = ToJson(*fact->management_response);
        DOSSIER_RETURN_IF_ERROR(apply_actions(*fact, node, number));
        record["responsible"] = fact->responsible;
        record["due"] = fact->due ? json(*fact->due) : json(nullptr);
        for (const std::string& who : fact->responsible) {
          add_edge(node, EdgeType::kResponsible, entity_node(who), {{"page", fact->page}});
        }
        if (fact->due) {
          const std::string& due = *fact->due;
          const std::string date_node = keys::NodeKey(NodeKind::kDate, HashBytes(due));
          batch.Put(graph.nodes, date_node, json({{"value", due}}).dump());
          add_edge(node, EdgeType::kDue, date_node, {{"page", fact->page}});
        }
      }
      batch.Put(graph.nodes, node, record.dump());
      DOSSIER_RETURN_IF_ERROR(link_same_text(node, item_type, fact->text));
      if (fact->item_type == ItemType::kRecommendation) DOSSIER_RETURN_IF_ERROR(link_recurrences(*fact, node));
      add_edge(doc_node, EdgeType::kContains, node, {{"page", fact->page}, {"start", fact->start}, {"end", fact->end}});
    } else if (const auto* fact = std::get_if<RelationFact>(&any)) {
      // "A funds B", "B is implemented by A": an edge between the two bodies, with the sentence as evidence.
      std::optional<EdgeType> type = keys::EdgeTypeFromName(std::string(WireName(fact->type)));
      if (!type || *type < EdgeType::kFunds) continue;
      add_edge(entity_node(fact->source), *type, entity_node(fact->target),
               {{"page", fact->page}, {"start", fact->start}, {"end", fact->end}, {"text", fact->text}});
    } else if (const auto* fact = std::get_if<DateFact>(&any)) {
      const std::string& value = fact->value;
      if (value.empty()) continue;
      const std::string date_node = keys::NodeKey(NodeKind::kDate, HashBytes(value));
      batch.Put(graph.nodes, date_node, json({{"value", value}, {"precision", WireName(fact->precision)}}).dump());
      add_edge(doc_node, EdgeType::kStatesDate, date_node, {{"text", fact->text}, {"page", fact->page},
                                                            {"start", fact->start}});
    }
  }
  // The entities it mentions gain its evidence, in the same batch as its edges.
  DOSSIER_RETURN_IF_ERROR(UpdateEntities(graph, mentioned, +1, &batch));
  return FromRocks(graph, graph.db->Write(rocksdb::WriteOptions(), &batch));
}

Result<std::optional<GraphNode>> ReadNode(const GraphColumns& graph, const std::string& node_key) {
  std::string value;
  bool stored = false;
  DOSSIER_RETURN_IF_ERROR(GetValue(graph, graph.nodes, node_key, &value, &stored));
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
  std::string prefix = node_key;
  if (edge_type > 0) prefix.push_back(static_cast<char>(edge_type));
  std::vector<keys::EdgeParts> found;
  DOSSIER_RETURN_IF_ERROR(Scan(graph, outgoing ? graph.edges : graph.edges_in, prefix, [&](std::string_view key, std::string_view) {
    keys::EdgeParts parts;
    if (outgoing ? keys::ParseEdgeKey(key, &parts) : keys::ParseEdgeInKey(key, &parts)) found.push_back(parts);
    return true;
  }));
  for (const keys::EdgeParts& e : found) {
    std::string value;
    bool stored = false;
    DOSSIER_RETURN_IF_ERROR(GetValue(graph, graph.edges, keys::EdgeKey(e.src, e.type, e.dst, e.doc), &value, &stored));
    json evidence = json::parse(value, nullptr, false);
    out.push_back({keys::NodeKeyToText(e.src), std::string(keys::EdgeTypeName(e.type)), keys::NodeKeyToText(e.dst),
                   e.doc.ToHex(), evidence.is_discarded() ? json::object() : evidence});
  }
  return out;
}

Result<std::vector<GraphEdge>> ReadEdgesPage(const GraphColumns& graph, const std::string& node_key, bool outgoing,
                                             int edge_type, uint32_t offset, uint32_t limit, uint64_t* total,
                                             bool with_evidence) {
  std::vector<GraphEdge> out;
  std::string prefix = node_key;
  if (edge_type > 0) prefix.push_back(static_cast<char>(edge_type));
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
      DOSSIER_RETURN_IF_ERROR(GetValue(graph, graph.edges, keys::EdgeKey(e.src, e.type, e.dst, e.doc), &value, &stored));
      evidence = json::parse(value, nullptr, false);
      if (evidence.is_discarded()) evidence = json::object();
    }
    out.push_back({keys::NodeKeyToText(e.src), std::string(keys::EdgeTypeName(e.type)), keys::NodeKeyToText(e.dst),
                   e.doc.ToHex(), std::move(evidence)});
  }
  return out;
}

}  // namespace dossier
