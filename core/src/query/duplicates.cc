// Near-duplicate groups for the query service: which documents are versions
// of one another and which version stands for each group.
#include <algorithm>
#include <functional>

#include "dossier/facts.h"
#include "dossier/query_service.h"

namespace dossier {

using nlohmann::json;

std::string DuplicateGroups::RepresentativeOf(const std::string& doc) const {
  auto it = group_of.find(doc);
  return it == group_of.end() ? doc : groups[it->second].representative;
}

std::vector<std::string> DuplicateGroups::OtherVersionsOf(const std::string& doc) const {
  std::vector<std::string> out;
  auto it = group_of.find(doc);
  if (it == group_of.end()) return out;
  for (const std::string& d : groups[it->second].documents) {
    if (d != doc) out.push_back(d);
  }
  return out;
}

namespace {

// The date a document states for itself (its document_date fact), else its
// file's creation date; "" when neither is known.
Result<std::string> DocumentDate(const Store& store, const DocumentSummary& doc) {
  DOSSIER_ASSIGN_OR_RETURN(std::vector<std::string> facts, store.GetFacts(doc.id));
  std::string date;
  for (const Fact& any : DecodeFacts(facts)) {
    if (const auto* fact = std::get_if<DocumentDateFact>(&any)) date = fact->value;
  }
  if (date.empty() && !doc.metadata.created.empty()) date = doc.metadata.created.substr(0, 10);
  return date;
}

struct Version {
  DocumentSummary summary;
  std::string date;
};

}  // namespace

Result<DuplicateGroups> QueryService::NearDuplicateGroups() const {
  DuplicateGroups out;
  DOSSIER_ASSIGN_OR_RETURN(out.pairs, store_->NearDuplicatePairs());
  std::map<std::string, std::string> parent;
  std::function<std::string(const std::string&)> root = [&](const std::string& d) -> std::string {
    auto it = parent.find(d);
    if (it == parent.end() || it->second == d) return d;
    return it->second = root(it->second);
  };
  for (const NearDuplicatePair& pair : out.pairs) {
    const std::string a = pair.low.ToHex(), b = pair.high.ToHex();
    parent.emplace(a, a);
    parent.emplace(b, b);
    const std::string ra = root(a), rb = root(b);
    if (ra != rb) parent[std::max(ra, rb)] = std::min(ra, rb);
  }
  std::map<std::string, std::vector<std::string>> members;  // root -> documents, by id
  for (const auto& [doc, unused] : parent) members[root(doc)].push_back(doc);
  for (auto& [unused, docs] : members) {
    std::vector<Version> versions;
    for (const std::string& hex : docs) {
      DOSSIER_ASSIGN_OR_RETURN(DocumentId id, DocumentId::FromHex(hex));
      DOSSIER_ASSIGN_OR_RETURN(std::optional<DocumentSummary> summary, store_->GetDocument(id));
      if (!summary) continue;  // removed since the pair was read
      DOSSIER_ASSIGN_OR_RETURN(std::string date, DocumentDate(*store_, *summary));
      versions.push_back({std::move(*summary), std::move(date)});
    }
    if (versions.size() < 2) continue;
    // The text-layer version first (smallest share of OCR'd pages), then the
    // newest (an undated one is older than any dated), then the lowest id.
    auto ocr_share = [](const Version& v) {
      return v.summary.page_count == 0 ? 1.0 : double(v.summary.ocr_page_count) / v.summary.page_count;
    };
    auto better = [&](const Version& a, const Version& b) {
      if (ocr_share(a) != ocr_share(b)) return ocr_share(a) < ocr_share(b);
      if (a.date != b.date) return a.date > b.date;
      return a.summary.id < b.summary.id;
    };
    const Version* best = &versions.front();
    for (const Version& v : versions) {
      if (better(v, *best)) best = &v;
    }
    DuplicateGroup group;
    group.representative = best->summary.id.ToHex();
    group.documents.push_back(group.representative);
    for (const Version& v : versions) {
      if (v.summary.id.ToHex() != group.representative) group.documents.push_back(v.summary.id.ToHex());
    }
    out.groups.push_back(std::move(group));
  }
  std::sort(out.groups.begin(), out.groups.end(),
            [](const DuplicateGroup& a, const DuplicateGroup& b) { return a.representative < b.representative; });
  for (size_t i = 0; i < out.groups.size(); ++i) {
    for (const std::string& d : out.groups[i].documents) out.group_of[d] = i;
  }
  return out;
}

Result<json> QueryService::Duplicates(uint32_t limit, uint32_t offset) const {
  DOSSIER_RETURN_IF_ERROR(CheckQueryLimit("limit", limit, kMaxDuplicatesLimit));
  DOSSIER_RETURN_IF_ERROR(CheckQueryOffset("offset", offset));
  DOSSIER_ASSIGN_OR_RETURN(DuplicateGroups groups, NearDuplicateGroups());
  json out = json::array();
  for (size_t i = offset; i < groups.groups.size() && out.size() < limit; ++i) {
    const DuplicateGroup& group = groups.groups[i];
    json documents = json::array();
    for (const std::string& hex : group.documents) {
      DOSSIER_ASSIGN_OR_RETURN(DocumentId id, DocumentId::FromHex(hex));
      DOSSIER_ASSIGN_OR_RETURN(std::optional<DocumentSummary> doc, store_->GetDocument(id));
      if (!doc) continue;
      DOSSIER_ASSIGN_OR_RETURN(std::string date, DocumentDate(*store_, *doc));
      documents.push_back({{"id", hex},
                           {"title", doc->title},
                           {"source", doc->sources.empty() ? "" : doc->sources.front().path},
                           {"pages", doc->page_count},
                           {"ocr_pages", doc->ocr_page_count},
                           {"date", date.empty() ? json(nullptr) : json(date)},
                           {"representative", hex == group.representative},
                           {"duplicate_of", hex == group.representative ? json(nullptr) : json(group.representative)}});
    }
    json pairs = json::array();
    for (const NearDuplicatePair& pair : groups.pairs) {
      auto it = groups.group_of.find(pair.low.ToHex());
      if (it == groups.group_of.end() || it->second != i) continue;
      pairs.push_back({{"documents", {pair.low.ToHex(), pair.high.ToHex()}}, {"similarity", pair.similarity}});
    }
    out.push_back({{"representative", group.representative}, {"documents", documents}, {"pairs", pairs}});
  }
  return json{{"total", groups.groups.size()}, {"offset", offset}, {"groups", out}};
}

}  // namespace dossier
