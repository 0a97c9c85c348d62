// The item index: items as Xapian entries of their own (layout in item_index.h).
#include "item_index.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <optional>
#include <set>
#include <string_view>

#include "dossier/keys.h"
#include "dossier/name_key.h"
#include "dossier/text.h"
#include "snippet.h"
#include "xapian_text.h"

namespace dossier {

namespace {

// Slots 0 (graph node id), 1 (hex document id), 8 (page), 9 (number) and
// 10 (language) held what the entry's data holds now (EntryData) in entries
// written before the data header; such an entry is still read by them.
// Slots 4-7 held the facets (response status, responsible names, agency,
// type) before text format 4, which counts them from the boolean terms.
constexpr Xapian::valueno kItemValueId = 0;
constexpr Xapian::valueno kItemValueDocument = 1;
constexpr Xapian::valueno kItemValueDue = 2;   // last day of the stated due period, YYYY-MM-DD
constexpr Xapian::valueno kItemValueYear = 3;  // the document's year (range)
constexpr Xapian::valueno kItemValueType = 7;
constexpr Xapian::valueno kItemValuePage = 8;
constexpr Xapian::valueno kItemValueNumber = 9;
constexpr Xapian::valueno kItemValueLanguage = 10;
// The earliest due day of an open key action: the action's own, or for a
// recommendation the earliest of its actions not completed nor no longer
// applicable ("overdue as of" is a range on it).
constexpr Xapian::valueno kItemValueOpenDue = 11;

// Responsible bodies and agencies listed in a facet (the most frequent).
constexpr size_t kItemFacetValues = 20;
// A snippet's length in bytes of item text.
constexpr size_t kItemSnippetBytes = 300;
// The first byte of an entry's data with the header (EntryData); an entry
// written before holds the item's text there instead.
constexpr char kEntryDataMark = '\x01';
constexpr char kEntryDataSeparator = '\x1f';
// Expand terms taken from an item for "more like this".
constexpr Xapian::termcount kSimilarTerms = 40;
// The metadata key prefix of a name term's display form: + "XR…" or "XA…"
// -> the name as a document states it (the facets show it).
constexpr const char* kNameShownKey = "dossier.name.";

std::string NameTerm(const char* prefix, std::string_view name) { return prefix + NameKey(name).substr(0, 200); }

// Records how a name term shows: of the spellings documents gave it, the
// first in byte order, so that the folder shows the same whatever order its
// documents came in. (A spelling whose documents were all removed may stay:
// only how the facet shows the name, never what it counts.)
void RecordNameShown(Xapian::WritableDatabase& db, const std::string& term, const std::string& name) {
  const std::string key = kNameShownKey + term;
  const std::string shown = db.get_metadata(key);
  if (shown.empty() || name < shown) db.set_metadata(key, name);
}

// The last day a due value ("2021", "2021-06", "2021-06-30") still covers,
// as text that sorts as the days do.
std::string DueDay(const std::string& due) {
  if (due.size() == 4) return due + "-12-31";
  if (due.size() == 7) return due + "-31";
  return due;
}

bool IsOpen(const KeyAction& action) {
  return !action.status || (*action.status != ActionStatus::kCompleted && *action.status != ActionStatus::kNoLongerApplicable);
}

// The evaluating agency: of the organisations the authority file knows, the
// one the document's first two pages (its cover, title page or memo head)
// mention most, then the one the whole document mentions most; on a tie,
// one that is no one's unit, then the first. (An agency the authority file
// places in a system, as IOM or UNICEF in the United Nations, is an agency
// all the same.)
const EntityFact* AgencyOf(const std::vector<Fact>& facts) {
  const EntityFact* best = nullptr;
  auto weight = [](const EntityFact* e) {
    const auto up_front = std::count_if(e->mentions.begin(), e->mentions.end(), [](const Mention& m) { return m.page <= 2; });
    return std::make_tuple(up_front, e->mentions.size(), !e->part_of);
  };
  for (const Fact& any : facts) {
    const auto* entity = std::get_if<EntityFact>(&any);
    if (!entity || entity->type != EntityType::kOrganisation || !entity->authority) continue;
    if (!best || weight(entity) > weight(best)) best = entity;
  }
  return best;
}

// What a hit shows without a graph read, in one read of the entry's data:
// mark, then id, type, hex document id, number, page and language, each
// after a separator (\x1f). The item's text stays in the graph, which the
// query service reads for the hits it lists (a tenth of the index's size at
// 10,000 documents, docs/BENCHMARKS.md).
std::string EntryData(const std::string& id, const std::string& type, const std::string& document,
                      const std::string& number, uint32_t page, const std::string& language) {
  std::string data(1, kEntryDataMark);
  for (const std::string& field : {id, type, document, number, std::to_string(page), language}) {
    data += kEntryDataSeparator;
    data += field;
  }
  return data;
}

// Fills a hit's fields from an entry (its data header, or the values of an
// entry written before the header).
void ReadEntry(const Xapian::Document& entry, ItemHit* hit) {
  const std::string data = entry.get_data();
  if (!data.empty() && data[0] == kEntryDataMark) {
    std::vector<std::string> fields;
    for (size_t at = 1; at < data.size() && data[at] == kEntryDataSeparator;) {
      const size_t end = std::min(data.find(kEntryDataSeparator, at + 1), data.size());
      fields.push_back(data.substr(at + 1, end - at - 1));
      at = end;
    }
    fields.resize(6);
    hit->id = fields[0];
    hit->type = fields[1];
    hit->document = fields[2];
    hit->number = fields[3];
    hit->page = static_cast<uint32_t>(std::strtoul(fields[4].c_str(), nullptr, 10));
    hit->language = fields[5];
    return;
  }
  hit->id = entry.get_value(kItemValueId);
  hit->type = entry.get_value(kItemValueType);
  hit->document = entry.get_value(kItemValueDocument);
  hit->number = entry.get_value(kItemValueNumber);
  hit->page = static_cast<uint32_t>(std::strtoul(entry.get_value(kItemValuePage).c_str(), nullptr, 10));
  hit->language = entry.get_value(kItemValueLanguage);
}

// What one entry holds besides its words.
struct ItemEntry {
  std::string key;  // the unique term's text (node id, "/response" for a response)
  std::string id;   // node id
  std::string type;
  std::string number;
  uint32_t page = 0;
  std::string text;
  const std::vector<std::string>* responsible = nullptr;
  std::optional<std::string> due;
  std::optional<ResponseStatus> response;
  std::vector<ActionStatus> action_statuses;
  std::string open_due;
};

class ItemWriter {
 public:
  ItemWriter(Xapian::WritableDatabase& db, Xapian::TermGenerator& tg, const Document& document,
             const std::vector<Fact>& facts)
      : db_(db), tg_(tg), document_(document), hex_(document.id.ToHex()) {
    for (const Fact& any : facts) {
      if (const auto* entity = std::get_if<EntityFact>(&any)) {
        entity_of_.emplace(NameKey(entity->name), entity);
        for (const std::string& alias : entity->aliases) entity_of_.emplace(NameKey(alias), entity);
      } else if (const auto* date = std::get_if<DocumentDateFact>(&any)) {
        year_ = date->value.substr(0, 4);
      }
    }
    if (!document.date.empty()) year_ = document.date.substr(0, 4);  // as the page index has it
    if (const EntityFact* agency = AgencyOf(facts)) agency_ = agency->name;
    tg_.set_stemmer(StemmerFor(document.language));
    // Stems only, without positions: an item is a sentence or three, where
    // a phrase is nearly the same as its words (a database without
    // positions treats a phrase as AND), and the index stays small
    // (measured at 10,000 generated documents: 189 MiB with positions and
    // both forms of each word, the page index's size x 0.74).
    tg_.set_stemming_strategy(Xapian::TermGenerator::STEM_ALL_Z);
  }

  void Add(const ItemEntry& item) {
    Xapian::Document entry;
    tg_.set_document(entry);
    tg_.set_termpos(0);
    IndexPageWords(tg_, item.text, /*positions=*/false);
    DropUnfoldedPositions(entry);
    entry.add_boolean_term("XD" + hex_);
    entry.add_boolean_term("XT" + item.type);
    entry.add_boolean_term("L" + document_.language);
    if (!year_.empty()) {
      entry.add_boolean_term("Y" + year_);
      entry.add_value(kItemValueYear, year_);
    }
    if (!agency_.empty()) {
      const std::string agency = NameTerm("XA", agency_);
      entry.add_boolean_term(agency);
      RecordNameShown(db_, agency, agency_);
    }
    if (item.responsible) AddBodyTerms(entry, *item.responsible);
    if (item.due) entry.add_value(kItemValueDue, DueDay(*item.due));
    if (!item.open_due.empty()) entry.add_value(kItemValueOpenDue, item.open_due);
    if (item.response) {
      entry.add_boolean_term("XS" + std::string(WireName(*item.response)));
    }
    for (ActionStatus status : item.action_statuses) entry.add_boolean_term("XK" + std::string(WireName(status)));
    entry.set_data(EntryData(item.id, item.type, hex_, item.number, item.page, document_.language));
    // No unique term: a document's entries are deleted together (XD) before
    // its entries are added again, and one is found by its document's.
    db_.add_document(entry);
  }

 private:
  // The bodies as stated (XR, the facet counts them), and each one's other
  // names and every body it is part of as this document states them (XP),
  // so that asking for a parent finds its units' items.
  void AddBodyTerms(Xapian::Document& entry, const std::vector<std::string>& stated) {
    std::set<std::string> terms;
    for (const std::string& name : stated) {
      const std::string term = NameTerm("XR", name);
      entry.add_boolean_term(term);
      RecordNameShown(db_, term, name);
      terms.insert(term.substr(2));
    }
    auto also = [&](const std::string& name) {
      const std::string key = NameTerm("", name);
      if (terms.insert(key).second) entry.add_boolean_term("XP" + key);
    };
    for (const std::string& name : stated) {
      std::string current = name;
      for (int depth = 0; depth < 8 && !current.empty(); ++depth) {
        if (depth > 0) also(current);
        auto it = entity_of_.find(NameKey(current));
        if (it == entity_of_.end()) break;
        also(it->second->name);
        for (const std::string& alias : it->second->aliases) also(alias);
        current = it->second->part_of.value_or("");
      }
    }
  }

  Xapian::WritableDatabase& db_;
  Xapian::TermGenerator& tg_;
  const Document& document_;
  const std::string hex_;
  std::map<std::string, const EntityFact*> entity_of_;  // NameKey of a name or alias -> entity
  std::string year_, agency_;
};

}  // namespace

namespace {

// Calls `add` with each entry the facts give, in document order.
template <typename Add>
void ForEachItemEntry(const DocumentId& id, const std::vector<Fact>& facts, Add add) {
  for (const Fact& any : facts) {
    const auto* fact = std::get_if<ItemFact>(&any);
    if (!fact) continue;
    ItemEntry item;
    item.type = std::string(WireName(fact->item_type));
    item.id = keys::NodeKeyToText(keys::ItemNodeKey(id, item.type, fact->number, fact->start));
    item.key = item.id;
    item.number = fact->number;
    item.page = fact->page;
    item.text = fact->text;
    if (fact->item_type == ItemType::kRecommendation) {
      item.responsible = &fact->responsible;
      item.due = fact->due;
      if (fact->management_response) item.response = fact->management_response->status;
      for (const KeyAction& action : fact->key_actions) {
        if (action.status) item.action_statuses.push_back(*action.status);
        if (IsOpen(action) && action.due && (item.open_due.empty() || DueDay(*action.due) < item.open_due)) {
          item.open_due = DueDay(*action.due);
        }
      }
    }
    add(item);
    if (fact->management_response) {
      ItemEntry response = item;
      response.key = item.id + "/response";
      response.type = "management_response";
      response.text = fact->management_response->text;
      response.page = fact->management_response->page;
      response.due.reset();
      add(response);
    }
    if (fact->item_type != ItemType::kRecommendation) continue;
    size_t position = 0;
    for (const KeyAction& action : fact->key_actions) {
      ItemEntry entry;
      entry.id = keys::NodeKeyToText(keys::ActionNodeKey(id, fact->number, action.number, position++));
      entry.key = entry.id;
      entry.type = "key_action";
      entry.number = action.number;
      entry.page = action.page;
      entry.text = action.text;
      entry.responsible = &action.responsible;
      entry.due = action.due;
      entry.response = item.response;
      if (action.status) entry.action_statuses.push_back(*action.status);
      if (IsOpen(action) && action.due) entry.open_due = DueDay(*action.due);
      add(entry);
    }
  }
}

}  // namespace

size_t CountItemEntries(const DocumentId& id, const std::vector<Fact>& facts) {
  std::set<std::string> keys;  // an item stated twice under one key is one entry
  ForEachItemEntry(id, facts, [&](const ItemEntry& item) { keys.insert(item.key); });
  return keys.size();
}

void DeleteItemEntries(Xapian::WritableDatabase& db, const DocumentId& id) { db.delete_document("XD" + id.ToHex()); }

void ReplaceItemEntries(Xapian::WritableDatabase& db, Xapian::TermGenerator& tg, const Document& document,
                        const std::vector<Fact>& facts) {
  DeleteItemEntries(db, document.id);
  // An item stated twice under one key is one entry, at the first's place
  // and with the last's content (as CountItemEntries counts them).
  std::vector<ItemEntry> entries;
  std::map<std::string, size_t> at;
  ForEachItemEntry(document.id, facts, [&](const ItemEntry& item) {
    auto [it, added] = at.try_emplace(item.key, entries.size());
    if (added) entries.push_back(item);
    else entries[it->second] = item;
  });
  ItemWriter writer(db, tg, document, facts);
  for (const ItemEntry& item : entries) writer.Add(item);
}

std::map<std::string, uint64_t> ItemEntriesByDocument(const Xapian::Database& db) {
  std::map<std::string, uint64_t> out;
  for (auto t = db.allterms_begin("XD"); t != db.allterms_end("XD"); ++t) out[(*t).substr(2)] = t.get_termfreq();
  return out;
}

namespace {

// Expand terms for "more like this": the item's words and stems, not its
// boolean terms nor the accent-folded copies (which repeat the words).
class ItemWordDecider : public Xapian::ExpandDecider {
 public:
  bool operator()(const std::string& term) const override {
    return IsPageTerm(term) && term.rfind("XF", 0) != 0 && term.rfind("ZXF", 0) != 0 && term.size() > 3;
  }
};

Xapian::Query AnyOf(const char* prefix, const std::vector<std::string>& values, bool name_keys) {
  std::vector<Xapian::Query> terms;
  for (const std::string& value : values) terms.emplace_back(name_keys ? NameTerm(prefix, value) : prefix + value);
  return Xapian::Query(Xapian::Query::OP_OR, terms.begin(), terms.end());
}

// Entries whose value in `slot` (a YYYY-MM-DD day) is before `day`.
Xapian::Query DayBefore(Xapian::valueno slot, const std::string& day) {
  return Xapian::Query(Xapian::Query::OP_AND_NOT, Xapian::Query(Xapian::Query::OP_VALUE_LE, slot, day),
                       Xapian::Query(Xapian::Query::OP_VALUE_GE, slot, day));
}

Xapian::Query Filtered(Xapian::Query query, const ItemSearchRequest& request) {
  auto filter = [&](const Xapian::Query& by) { query = Xapian::Query(Xapian::Query::OP_FILTER, query, by); };
  if (!request.types.empty()) filter(AnyOf("XT", request.types, false));
  if (!request.responsible.empty()) {
    filter(Xapian::Query(Xapian::Query::OP_OR, AnyOf("XR", request.responsible, true), AnyOf("XP", request.responsible, true)));
  }
  if (!request.documents.empty()) filter(AnyOf("XD", request.documents, false));
  if (request.response_status) filter(Xapian::Query("XS" + *request.response_status));
  if (request.action_status) {
    if (*request.action_status == "overdue") {
      filter(Xapian::Query(Xapian::Query::OP_OR, Xapian::Query("XKoverdue"), DayBefore(kItemValueOpenDue, request.as_of)));
    } else {
      filter(Xapian::Query("XK" + *request.action_status));
    }
  }
  if (request.due_before) filter(DayBefore(kItemValueDue, *request.due_before));
  if (request.agency) filter(Xapian::Query(NameTerm("XA", *request.agency)));
  if (request.language) filter(Xapian::Query("L" + *request.language));
  if (request.year_from || request.year_to) filter(YearRangeQuery(kItemValueYear, request.year_from, request.year_to));
  if (!request.exclude_documents.empty()) {
    query = Xapian::Query(Xapian::Query::OP_AND_NOT, query, AnyOf("XD", request.exclude_documents, false));
  }
  return query;
}

}  // namespace

std::string ItemMetadataMerge::resolve_duplicate_metadata(const std::string& key, size_t count,
                                                          const std::string tags[]) {
  const std::string_view name_shown(kNameShownKey);
  if (MetadataKeyName(key).substr(0, name_shown.size()) != name_shown) return tags[0];
  return *std::min_element(tags, tags + count);
}

std::vector<FacetColumnSpec> ItemFacetColumns() {
  return {{0, false, "XT"}, {0, false, "XS"}, {0, false, "Y"}, {0, false, "XA", kNameShownKey}, {0, false, "XR", kNameShownKey}};
}

namespace {

// The entry of item `id` among the entries of document `hex` (the item
// itself, not its management response, which has its id too).
std::optional<Xapian::Document> FindEntry(const Xapian::Database& db, const std::string& hex, const std::string& id) {
  const std::string term = "XD" + hex;
  for (auto it = db.postlist_begin(term); it != db.postlist_end(term); ++it) {
    Xapian::Document entry = db.get_document(*it);
    ItemHit hit;
    ReadEntry(entry, &hit);
    if (hit.id == id && hit.type != "management_response") return entry;
  }
  return std::nullopt;
}

}  // namespace

Result<ItemSearchResponse> SearchItemEntries(Xapian::Database& db, const ItemSearchRequest& request,
                                             const std::string& similar_in, FacetColumnCache* column_cache) {
  ItemSearchResponse response;
  response.query = request.similar_to ? "" : request.query;
  response.offset = request.offset;
  response.limit = request.limit;
  response.snippet = [](const std::string& text, const std::string&) { return LeadingSnippet(text, kItemSnippetBytes); };
  std::vector<std::string> languages = IndexLanguages(db);
  if (languages.empty()) return response;  // no items at all
  // widened: OR between the words, for a page with room left; counted: the
  // entries `match` matches, for the facets' pass (ParsePurpose).
  Xapian::Query match, ranked, widened, counted;
  SnippetQuery snippet_query;
  if (request.similar_to) {
    // Relevance feedback: the item is the one relevant entry; its most
    // telling words (by Xapian's expand weight over the item index) make
    // the query, and the item's own document is left out.
    std::optional<Xapian::Document> own = FindEntry(db, similar_in, *request.similar_to);
    if (!own) return Status::NotFound("no item " + *request.similar_to + " in the item index");
    Xapian::RSet relevant;
    relevant.add_document(own->get_docid());
    Xapian::Enquire expand(db);
    ItemWordDecider words;
    Xapian::ESet terms = expand.get_eset(kSimilarTerms, relevant, &words);
    std::vector<Xapian::Query> weighted;
    for (auto t = terms.begin(); t != terms.end(); ++t) {
      weighted.emplace_back(Xapian::Query::OP_SCALE_WEIGHT, Xapian::Query(*t), t.get_weight());
      snippet_query.terms.push_back(*t);
    }
    const std::string own_document = similar_in;
    match = Xapian::Query(Xapian::Query::OP_AND_NOT, Xapian::Query(Xapian::Query::OP_OR, weighted.begin(), weighted.end()),
                          Xapian::Query("XD" + own_document));
    ranked = match;
    counted = match;
  } else {
    if (!RestrictToLanguage(request.language, &languages)) return response;
    QueryParsers parsers;
    SetUpQueryParsers(db, [](Xapian::QueryParser& p) {
      p.add_boolean_prefix("doc", "XD");
      p.add_boolean_prefix("lang", "L");
      p.add_boolean_prefix("year", "Y");
      p.add_boolean_prefix("type", "XT");
    }, &parsers, Xapian::QueryParser::STEM_ALL_Z);
    match = ParseInEachLanguage(parsers, request.query, languages, Xapian::Query::OP_AND, false);
    // Item entries keep no positions: ParseInEachLanguage adds no adjacency
    // boost, and the ranking is the match.
    ranked = match;
    widened = ParseInEachLanguage(parsers, request.query, languages, Xapian::Query::OP_OR, false);
    counted = ParseInEachLanguage(parsers, request.query, languages, Xapian::Query::OP_AND, false, ParsePurpose::kMatchSet);
    for (auto t = match.get_unique_terms_begin(); t != match.get_unique_terms_end(); ++t) {
      if (IsPageTerm(*t)) snippet_query.terms.push_back(*t);
    }
    CollectPhrases(match, &snippet_query.phrases);
    snippet_query.typed = request.query;
  }
  response.snippet = [matcher = std::make_shared<const SnippetMatcher>(snippet_query)](const std::string& text,
                                                                                   const std::string& language) {
    std::string html = matcher->BestPassage(text, StemmerFor(language), kItemSnippetBytes, language);
    return html.empty() ? LeadingSnippet(text, kItemSnippetBytes) : html;
  };
  Xapian::Enquire enquire(db);
  enquire.set_query(Filtered(ranked, request));
  std::shared_ptr<const FacetColumns> columns;
  if (request.facets) columns = column_cache ? column_cache->For(db) : FacetColumns::Build(db, ItemFacetColumns());
  std::optional<FacetColumnSpy> column_spy;
  if (columns) {
    column_spy.emplace(*columns);
    // From the columns' lists of its terms where they tell (terms joined
    // by AND and OR), with no counting pass over the index.
    const Xapian::Query counted_filtered = Filtered(counted, request);
    std::optional<bool> exact = CountEveryMatchFromColumns(db, *columns, counted_filtered, &*column_spy);
    if (!exact) exact = CountEveryMatch(db, counted_filtered, &*column_spy);
    response.facets_exact = *exact;
  }
  Xapian::MSet mset = enquire.get_mset(request.offset, request.limit, request.offset + request.limit + 1);
  response.total = mset.get_matches_estimated();
  response.total_exact = mset.get_matches_lower_bound() == mset.get_matches_upper_bound();
  if (columns) {
    // ItemFacetColumns() lists the columns in this order.
    response.facets["type"] = column_spy->Top(0, SIZE_MAX);
    response.facets["response_status"] = column_spy->Top(1, SIZE_MAX);
    response.facets["year"] = column_spy->Top(2, SIZE_MAX);
    response.facets["agency"] = column_spy->Top(3, kItemFacetValues);
    response.facets["responsible"] = column_spy->Top(4, kItemFacetValues);
    if (response.facets_exact) {  // every match was counted: the total too
      response.total = column_spy->Seen();
      response.total_exact = true;
    }
  }
  const double best = mset.get_max_attained();
  uint32_t rank = request.offset;
  auto add_hits = [&](const Xapian::MSet& set, double best_weight, bool all_words) {
    for (auto it = set.begin(); it != set.end(); ++it) {
      ItemHit hit;
      hit.rank = ++rank;
      hit.weight = it.get_weight();
      hit.all_words = all_words;
      hit.percent = best_weight > 0 ? std::clamp(static_cast<int>(std::lround(100 * hit.weight / best_weight)), 0, 100) : 100;
      ReadEntry(it.get_document(), &hit);
      response.hits.push_back(std::move(hit));
    }
  };
  add_hits(mset, best, true);
  // Room left on this page: every item with all the words is listed, so
  // items with only some of them follow, as in a document search (the same
  // query with OR, less the items already matched). `total` and the facets
  // count the items with all the words.
  if (!request.similar_to && mset.size() < request.limit && widened.get_description() != match.get_description()) {
    const Xapian::doccount with_all_words = mset.get_matches_estimated();  // exact: fewer than offset + limit
    Xapian::Enquire partial_enquire(db);
    partial_enquire.set_query(Filtered(Xapian::Query(Xapian::Query::OP_AND_NOT, widened, match), request));
    const Xapian::doccount skip = request.offset > with_all_words ? request.offset - with_all_words : 0;
    Xapian::MSet partial = partial_enquire.get_mset(skip, request.limit - mset.size());
    rank = std::max<uint32_t>(rank, with_all_words + skip);
    add_hits(partial, mset.empty() ? partial.get_max_attained() : best, false);
  }
  return response;
}

}  // namespace dossier
