// The linker (graph_linker.h): same_as and recurs between items of
// different documents, and the acronyms documents use bare.
#include "graph_linker.h"

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
#include <vector>

#include <nlohmann/json.hpp>

#include "dossier/facts.h"
#include "dossier/keys.h"
#include "dossier/text.h"
#include "graph_builder.h"
#include "graph_read.h"
#include "near_duplicates.h"

namespace dossier {

using nlohmann::json;
using keys::EdgeType;
using keys::NodeKind;

namespace {

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

}  // namespace

Status RelinkItems(const GraphColumns& graph, const std::set<std::string>& items) { return Linker(graph).Relink(items); }

// ---- acronyms used bare across documents ----

// (graph.cc's AddEvidence lends a mention resolved through a bare acronym no names.)
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

namespace {

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

}  // namespace

Result<AcronymDefiners> WatchAcronyms(const GraphColumns& graph, const DocumentId& id, const std::vector<Fact>& facts) {
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
  AcronymDefiners watched;
  for (const std::string& name_key : names) {
    if (name_key.empty()) continue;
    DOSSIER_ASSIGN_OR_RETURN(std::vector<DocumentId> users, DocumentsUsingAcronymBare(graph, name_key, id));
    if (users.empty()) continue;
    DOSSIER_ASSIGN_OR_RETURN(watched[name_key], StoredAcronymDefiners(graph, name_key));
  }
  return watched;
}

Result<std::set<DocumentId>> DocumentsToApplyAgain(const GraphColumns& graph, const DocumentId& id,
                                                   const AcronymDefiners& before) {
  std::set<DocumentId> again;
  for (const auto& [name_key, definers] : before) {
    DOSSIER_ASSIGN_OR_RETURN(std::set<std::string> now, StoredAcronymDefiners(graph, name_key));
    if (now == definers) continue;
    DOSSIER_ASSIGN_OR_RETURN(std::vector<DocumentId> users, DocumentsUsingAcronymBare(graph, name_key, id));
    again.insert(users.begin(), users.end());
  }
  return again;
}

}  // namespace dossier
