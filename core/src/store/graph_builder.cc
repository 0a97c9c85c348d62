// The graph builder (graph_builder.h): one document's facts as a plan of
// nodes, edges, aliases and entity evidence, asking a GraphLookup what the
// stored graph says.
#include "graph_builder.h"

#include <algorithm>
#include <cctype>
#include <map>
#include <set>

#include "dossier/name_key.h"
#include "dossier/text.h"

namespace dossier {

using nlohmann::json;
using keys::EdgeType;
using keys::NodeKind;

std::string HashBytes(std::string_view text) {
  return std::string(DocumentId::FromHex(Sha256Hex(text).substr(0, 16)).value().Bytes());
}

NodeKind KindOfEntityType(EntityType type) {
  if (type == EntityType::kOrganisation) return NodeKind::kOrganisation;
  if (type == EntityType::kProgramme) return NodeKind::kProgramme;
  return NodeKind::kOtherEntity;
}

bool IsBareAcronym(std::string_view name) {
  if (name.size() < 2 || name.size() > 12) return false;
  int capitals = 0;
  for (unsigned char c : name) {
    if (c >= 'A' && c <= 'Z') ++capitals;
    else if (!(c >= '0' && c <= '9') && c != '&') return false;
  }
  return capitals >= 2;
}

bool UsesAcronymBare(const EntityFact& fact) {
  return fact.aliases.empty() && !fact.authority && IsBareAcronym(fact.name);
}

std::string EntityNodeKey(NodeKind kind, const std::string& name_key) { return keys::NodeKey(kind, HashBytes(name_key)); }

std::string ItemTextKey(const std::string& item_type, const std::string& text) {
  return keys::ItemTextAlias(item_type, NameKey(text));
}

Result<DocumentGraphPlan> BuildDocumentGraph(const DocumentId& id, const std::string& title,
                                             const std::vector<Fact>& facts, const std::string& extractor,
                                             const GraphLookup& lookup) {
  DocumentGraphPlan plan;
  const std::string doc_node = keys::DocumentNodeKey(id);
  auto add_edge = [&](const std::string& src, EdgeType type, const std::string& dst, const json& evidence) {
    json full = evidence;
    full["extractor"] = extractor;
    if (type == EdgeType::kMentions) plan.mentioned[dst] = full;
    plan.edges.push_back({src, type, dst, id, std::move(full)});
  };
  json doc_record = {{"title", title}, {"document", id.ToHex()}};

  // Entities first: names and aliases of this document resolve to node keys.
  std::map<std::string, std::string> node_of_name;  // NameKey(name or alias) -> node
  // The entities this document itself defines each name or alias as (for its bare acronyms).
  std::map<std::string, std::set<std::string>> own_definers;
  for (const Fact& any : facts) {
    const auto* fact = std::get_if<EntityFact>(&any);
    if (!fact || fact->name.empty() || UsesAcronymBare(*fact)) continue;
    const std::string node = EntityNodeKey(KindOfEntityType(fact->type), NameKey(fact->name));
    for (const std::string& alias : fact->aliases) {
      const std::string alias_key = NameKey(alias);
      if (node.substr(1) != HashBytes(alias_key)) own_definers[alias_key].insert(node);  // as StoredAcronymDefiners (graph_linker.h)
    }
  }
  for (const Fact& any : facts) {
    const auto* fact = std::get_if<EntityFact>(&any);
    if (!fact) continue;
    const std::string& name = fact->name;
    if (name.empty()) continue;
    std::string node = EntityNodeKey(KindOfEntityType(fact->type), NameKey(name));
    bool resolved = false;
    // An acronym this document uses but does not define ("RISU should …") is
    // the entity the documents (any, this one too) define it as, when exactly
    // one is: its mention counts there. Whether one is depends on the set of
    // documents, so the documents using it bare are listed under the acronym,
    // and stored again when its definers change (graph.cc ApplyWhereAcronymsChanged, from the linker's DocumentsToApplyAgain).
    if (UsesAcronymBare(*fact)) {
      const std::string acronym_key = NameKey(name);
      plan.aliases.push_back(keys::AliasKey(keys::AcronymUseAlias(acronym_key), doc_node));
      DOSSIER_ASSIGN_OR_RETURN(std::set<std::string> definers, lookup.AcronymDefiners(acronym_key));
      const std::set<std::string>& own = own_definers[acronym_key];
      definers.insert(own.begin(), own.end());
      definers.erase(node);
      if (definers.size() == 1) {
        node = *definers.begin();
        resolved = true;
      }
    }
    node_of_name[NameKey(name)] = node;
    for (const std::string& alias : fact->aliases) node_of_name.emplace(NameKey(alias), node);
    json pages = json::array();
    std::set<uint32_t> seen;
    json first_span = nullptr;
    for (const Mention& m : fact->mentions) {
      if (first_span.is_null()) first_span = ToJson(m);
      if (seen.insert(m.page).second) pages.push_back(m.page);
    }
    json evidence = {{"name", name}, {"type", WireName(fact->type)}, {"aliases", fact->aliases},
                     {"authority", fact->authority}, {"pages", pages},
                     {"mentions", fact->mentions.size()}, {"first", first_span}};
    if (resolved) evidence["resolved"] = true;
    add_edge(doc_node, EdgeType::kMentions, node, evidence);
  }
  auto entity_node = [&](const std::string& name) -> std::string {
    auto it = node_of_name.find(NameKey(name));
    if (it != node_of_name.end()) return it->second;
    return EntityNodeKey(NodeKind::kOrganisation, NameKey(name));
  };
  std::string document_date;
  for (const Fact& any : facts) {
    if (const auto* fact = std::get_if<DocumentDateFact>(&any)) document_date = fact->value;
  }
  // The linker orders restatements and recurrences by their documents' dates.
  if (!document_date.empty()) doc_record["date"] = document_date;
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
  // An item or action's text alias, under which the linker finds the same text in other documents.
  auto add_item = [&](const std::string& node, const std::string& item_type, const std::string& text) {
    plan.aliases.push_back(keys::AliasKey(ItemTextKey(item_type, text), node));
    plan.items.insert(node);
  };
  // Key actions under a recommendation: nodes of their own, with their
  // responsible units, due date and the document's date (for status history).
  auto apply_actions = [&](const ItemFact& fact, const std::string& rec_node, const std::string& rec_number) {
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
      plan.nodes.emplace_back(node, record.dump());
      const json page = {{"page", action.page}};
      add_edge(rec_node, EdgeType::kHasAction, node, page);
      add_edge(doc_node, EdgeType::kContains, node, page);
      for (const std::string& who : action.responsible) {
        add_edge(node, EdgeType::kResponsible, entity_node(who), page);
      }
      if (action.due) {
        const std::string& due = *action.due;
        const std::string date_node = keys::NodeKey(NodeKind::kDate, HashBytes(due));
        plan.nodes.emplace_back(date_node, json({{"value", due}}).dump());
        add_edge(node, EdgeType::kDue, date_node, page);
      }
      add_item(node, "action", action.text);
    }
  };
  // The evaluation this document is, or the one it answers: the two meet
  // under the title's key, whichever was stored first. The link goes from
  // the answer to the evaluation and is filed under the answer.
  for (const Fact& any : facts) {
    const auto* fact = std::get_if<EvaluationTitleFact>(&any);
    if (!fact) continue;
    const std::string& key = fact->key;
    if (key.empty()) continue;
    const bool answers = fact->responds_to;
    const std::string own = keys::TitleAlias(answers, key);
    plan.aliases.push_back(keys::AliasKey(own, doc_node));
    doc_record["title_keys"].push_back(own);
    doc_record[answers ? "responds_to_title" : "evaluation_title"] = fact->title;
    DOSSIER_ASSIGN_OR_RETURN(std::vector<std::string> found, lookup.NodesWithAlias(keys::TitleAlias(!answers, key)));
    std::erase(found, doc_node);
    for (const std::string& other : found) {
      if (answers) {
        add_edge(doc_node, EdgeType::kRespondsTo, other, {{"title", fact->title}, {"by", "title"}});
        continue;
      }
      const DocumentId answer = DocumentId::FromBytes(std::string_view(other).substr(1));
      DOSSIER_ASSIGN_OR_RETURN(std::optional<json> answer_record, lookup.NodeRecord(other));
      DOSSIER_ASSIGN_OR_RETURN(const std::string answer_extractor, lookup.Extractors(answer));
      plan.edges.push_back({other, EdgeType::kRespondsTo, doc_node, answer,
                            {{"title", answer_record ? answer_record->value("responds_to_title", fact->title) : fact->title},
                             {"by", "title"},
                             {"extractor", answer_extractor}}});
    }
  }
  plan.nodes.emplace_back(doc_node, doc_record.dump());
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
        apply_actions(*fact, node, number);
        record["responsible"] = fact->responsible;
        record["due"] = fact->due ? json(*fact->due) : json(nullptr);
        for (const std::string& who : fact->responsible) {
          add_edge(node, EdgeType::kResponsible, entity_node(who), {{"page", fact->page}});
        }
        if (fact->due) {
          const std::string& due = *fact->due;
          const std::string date_node = keys::NodeKey(NodeKind::kDate, HashBytes(due));
          plan.nodes.emplace_back(date_node, json({{"value", due}}).dump());
          add_edge(node, EdgeType::kDue, date_node, {{"page", fact->page}});
        }
      }
      plan.nodes.emplace_back(node, record.dump());
      add_item(node, item_type, fact->text);
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
      // The node is shared (a due date of another document may be the same
      // value): the precision this document states it at is the edge's.
      plan.nodes.emplace_back(date_node, json({{"value", value}}).dump());
      add_edge(doc_node, EdgeType::kStatesDate, date_node, {{"text", fact->text}, {"page", fact->page},
                                                            {"start", fact->start},
                                                            {"precision", WireName(fact->precision)}});
    }
  }
  return plan;
}

}  // namespace dossier
