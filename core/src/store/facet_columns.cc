// Facet columns: slot values in memory by docid (facet_columns.h).
#include "facet_columns.h"

#include "xapian_text.h"

#include <algorithm>
#include <set>
#include <string_view>
#include <unordered_map>

namespace dossier {

void FacetColumns::OrderValues(Column* column) {
  if (!column->counted) return;
  std::vector<uint32_t> codes(column->values.size());
  for (uint32_t code = 0; code < codes.size(); ++code) codes[code] = code;
  std::sort(codes.begin(), codes.end(), [&](uint32_t a, uint32_t b) { return column->values[a] < column->values[b]; });
  column->value_order.resize(codes.size());
  for (uint32_t place = 0; place < codes.size(); ++place) column->value_order[codes[place]] = place;
}

std::shared_ptr<const FacetColumns> FacetColumns::Build(const Xapian::Database& db,
                                                        const std::vector<FacetColumnSpec>& specs) {
  auto built = std::make_shared<FacetColumns>();
  built->revision_ = db.get_revision();
  built->uuid_ = db.get_uuid();
  const Xapian::docid last = db.get_lastdocid();
  for (const FacetColumnSpec& spec : specs) {
    Column column;
    column.counted = spec.counted;
    column.begin.assign(static_cast<size_t>(last) + 2, 0);
    std::unordered_map<std::string, uint32_t> code_of;
    auto code = [&](std::string_view value) {
      auto [it, added] = code_of.try_emplace(std::string(value), static_cast<uint32_t>(column.values.size()));
      if (added) column.values.emplace_back(value);
      return it->second;
    };
    if (!spec.term_prefix.empty()) {
      // One posting list per term: (docid, code) pairs, then laid out by docid.
      std::vector<std::pair<Xapian::docid, uint32_t>> postings;
      for (auto t = db.allterms_begin(spec.term_prefix); t != db.allterms_end(spec.term_prefix); ++t) {
        const std::string term = *t;
        std::string shown = spec.display_metadata.empty() ? std::string() : db.get_metadata(spec.display_metadata + term);
        if (shown.empty()) shown = term.substr(spec.term_prefix.size());
        const uint32_t value_code = code(shown);
        if (spec.postings) column.term_codes.emplace(term, value_code);
        for (auto p = db.postlist_begin(term); p != db.postlist_end(term); ++p) {
          if (*p <= last) postings.emplace_back(*p, value_code);
        }
      }
      std::sort(postings.begin(), postings.end());
      if (spec.postings) {
        column.postings.resize(column.values.size());
        for (const auto& [docid, value_code] : postings) column.postings[value_code].push_back(docid);
        column.code_docs.reserve(column.postings.size());
        for (const std::vector<Xapian::docid>& docids : column.postings) column.code_docs.emplace_back(docids, last);
      }
      for (const auto& [docid, value_code] : postings) ++column.begin[docid + 1];
      for (size_t d = 1; d < column.begin.size(); ++d) column.begin[d] += column.begin[d - 1];
      column.codes.reserve(postings.size());
      for (const auto& [docid, value_code] : postings) column.codes.push_back(value_code);
      OrderValues(&column);
      built->columns_.push_back(std::move(column));
      continue;
    }
    Xapian::docid next = 1;  // the first docid whose begin is not yet set
    for (auto it = db.valuestream_begin(spec.slot); it != db.valuestream_end(spec.slot); ++it) {
      const Xapian::docid docid = it.get_docid();
      if (docid > last) break;  // cannot happen within one revision
      for (; next <= docid; ++next) column.begin[next] = static_cast<uint32_t>(column.codes.size());
      const std::string value = *it;
      if (!spec.multi_valued) {
        if (!value.empty()) column.codes.push_back(code(value));
      } else {
        std::string_view rest = value;
        while (!rest.empty()) {
          const size_t end = std::min(rest.find('\x1f'), rest.size());
          if (end > 0) column.codes.push_back(code(rest.substr(0, end)));
          rest.remove_prefix(std::min(end + 1, rest.size()));
        }
      }
    }
    for (; next < column.begin.size(); ++next) column.begin[next] = static_cast<uint32_t>(column.codes.size());
    column.codes.shrink_to_fit();
    if (!spec.multi_valued) column.single_valued_slot = spec.slot;
    if (spec.postings) {
      column.postings.resize(column.values.size());
      for (Xapian::docid docid = 1; docid + 1 < column.begin.size(); ++docid) {
        for (uint32_t at = column.begin[docid]; at < column.begin[docid + 1]; ++at) column.postings[column.codes[at]].push_back(docid);
      }
    }
    OrderValues(&column);
    built->columns_.push_back(std::move(column));
  }
  return built;
}

const std::vector<Xapian::docid>& FacetColumns::Postings(size_t column, uint32_t code) const {
  static const std::vector<Xapian::docid> kNone;
  const Column& c = columns_[column];
  return code < c.postings.size() ? c.postings[code] : kNone;
}

bool FacetColumns::MayHold(const Xapian::Database& db, size_t column, const std::string& term,
                           const std::vector<std::string>& values) const {
  const Column& c = columns_[column];
  // The values' codes (no entry has a value the column lacks).
  std::vector<uint32_t> wanted;
  for (const std::string& value : values) {
    auto at = std::find(c.values.begin() + 1, c.values.end(), value);
    if (at != c.values.end()) wanted.push_back(static_cast<uint32_t>(at - c.values.begin()));
  }
  if (wanted.empty()) return false;
  if (c.postings.empty()) return true;  // no postings kept: nothing to tell by
  std::sort(wanted.begin(), wanted.end());
  std::string key(1, static_cast<char>(column));
  key += term;
  key += '\0';
  for (uint32_t code : wanted) key.append(reinterpret_cast<const char*>(&code), sizeof code);
  auto wanted_code = [&](Xapian::docid did) {
    bool found = false;
    ForEachCode(column, did, [&](uint32_t code) { found = found || std::binary_search(wanted.begin(), wanted.end(), code); });
    return found;
  };
  return Memo(std::move(key), [&]() {
    // The term's entries (DocsOf, read once for every question about the
    // term): their codes, or, for a term held as bits (one most entries
    // hold), the values' entries looked up among them.
    if (const std::shared_ptr<const TermDocs> docs = DocsOf(db, term)) {
      if (!docs->dense()) return docs->Any(wanted_code);
      for (uint32_t code : wanted) {
        const std::vector<Xapian::docid>& entries = Postings(column, code);
        if (std::any_of(entries.begin(), entries.end(), [&](Xapian::docid did) { return docs->Contains(did); })) return true;
      }
      return false;
    }
    // A longer list: it and the values' entries, each skipped forward to
    // the other's next docid, as an AND would: the cost follows the shorter.
    const Xapian::PostingIterator end = db.postlist_end(term);
    for (Xapian::PostingIterator p = db.postlist_begin(term); p != end;) {
      const Xapian::docid did = *p;
      if (wanted_code(did)) return true;
      Xapian::docid next = 0;  // the first entry after `did` with one of the values
      for (uint32_t code : wanted) {
        const std::vector<Xapian::docid>& entries = Postings(column, code);
        auto after = std::upper_bound(entries.begin(), entries.end(), did);
        if (after != entries.end() && (next == 0 || *after < next)) next = *after;
      }
      if (next == 0) break;
      p.skip_to(next);
    }
    return false;
  });
}

bool FacetColumns::Holds(const Xapian::Database& db, const std::string& term) const {
  const std::shared_ptr<const TermDocs> docs = DocsOf(db, term);
  return docs == nullptr || !docs->empty();  // (null: more than kMaxTermDocs entries hold it)
}

TermDocs::TermDocs(std::vector<Xapian::docid> docids, Xapian::docid last_docid)
    : count_(static_cast<Xapian::doccount>(docids.size())) {
  // One bit a docid when that is smaller than the docids themselves.
  const size_t words = static_cast<size_t>(last_docid) / 64 + 1;
  if (words * sizeof(uint64_t) < docids.size() * sizeof(Xapian::docid)) {
    bits_.assign(words, 0);
    for (Xapian::docid did : docids) {
      if (did / 64 < words) bits_[did / 64] |= uint64_t{1} << (did % 64);
    }
  } else {
    docids_ = std::move(docids);
    docids_.shrink_to_fit();
  }
}

void TermDocs::SetBits(std::vector<uint64_t>* bits) const {
  if (bits_.empty()) {
    for (Xapian::docid did : docids_) {
      if (did / 64 < bits->size()) (*bits)[did / 64] |= uint64_t{1} << (did % 64);
    }
    return;
  }
  const size_t words = std::min(bits_.size(), bits->size());
  for (size_t w = 0; w < words; ++w) (*bits)[w] |= bits_[w];
}

bool TermDocs::Contains(Xapian::docid did) const {
  if (bits_.empty()) return std::binary_search(docids_.begin(), docids_.end(), did);
  return did / 64 < bits_.size() && (bits_[did / 64] >> (did % 64) & 1) != 0;
}

std::shared_ptr<const TermDocs> FacetColumns::DocsOf(const Xapian::Database& db, const std::string& term) const {
  // (The columns are of one revision: every entry is kept at version 0.)
  if (const std::shared_ptr<const HeldDocs> held = term_docs_.Find(term, 0)) return held->docs;
  auto found = std::make_shared<HeldDocs>();
  std::vector<Xapian::docid> docids;
  bool too_many = false;
  const Xapian::PostingIterator end = db.postlist_end(term);
  for (Xapian::PostingIterator p = db.postlist_begin(term); p != end && !too_many; ++p) {
    too_many = docids.size() >= kMaxTermDocs;
    if (!too_many) docids.push_back(*p);
  }
  if (!too_many) found->docs = std::make_shared<const TermDocs>(std::move(docids), db.get_lastdocid());
  const size_t charge = term.size() + 160 + (found->docs ? found->docs->Bytes() : 0);
  std::shared_ptr<const TermDocs> docs = found->docs;
  term_docs_.Put(term, 0, std::move(found), charge);
  return docs;
}

namespace {

// A value range query's slot and bounds (an empty bound: open), read from
// its description (Xapian 1.4 tells them nowhere else) and checked by
// making the same query again and comparing the two serialised; nothing
// for any other query, or bounds the description does not give back.
struct ValueRange {
  Xapian::valueno slot = 0;
  std::string begin, end;
};
std::optional<ValueRange> ValueRangeOf(const Xapian::Query& query) {
  const Xapian::Query::op type = query.get_type();
  if (type != Xapian::Query::OP_VALUE_RANGE && type != Xapian::Query::OP_VALUE_GE &&
      type != Xapian::Query::OP_VALUE_LE) {
    return std::nullopt;
  }
  // "Query(VALUE_RANGE 4 2013 2022)", "Query(VALUE_GE 4 2013)", "Query(VALUE_LE 4 2022)"
  const std::string description = query.get_description();
  std::vector<std::string> words;
  std::string word;
  for (char c : std::string_view(description).substr(std::min(description.size(), sizeof("Query(") - 1))) {
    if (c == ' ' || c == ')') {
      words.push_back(std::move(word));
      word.clear();
    } else {
      word += c;
    }
  }
  const size_t bounds = type == Xapian::Query::OP_VALUE_RANGE ? 2 : 1;
  if (words.size() != 2 + bounds || words[1].empty() ||
      words[1].find_first_not_of("0123456789") != std::string::npos || words[1].size() > 9) {
    return std::nullopt;
  }
  ValueRange range;
  range.slot = static_cast<Xapian::valueno>(std::stoul(words[1]));
  Xapian::Query same;
  if (type == Xapian::Query::OP_VALUE_RANGE) {
    if (words[2].empty() || words[3].empty()) return std::nullopt;
    range.begin = words[2];
    range.end = words[3];
    same = Xapian::Query(type, range.slot, range.begin, range.end);
  } else {
    (type == Xapian::Query::OP_VALUE_GE ? range.begin : range.end) = words[2];
    same = Xapian::Query(type, range.slot, words[2]);
  }
  if (same.serialise() != query.serialise()) return std::nullopt;
  return range;
}

}  // namespace

bool FacetColumns::MatchesOf(const Xapian::Database& db, const Xapian::Query& query, std::vector<uint64_t>* bits) const {
  if (db.get_lastdocid() > kMaxMatchesDocid) return false;
  const size_t words = static_cast<size_t>(db.get_lastdocid()) / 64 + 1;
  const size_t parts = query.get_num_subqueries();
  // The subqueries from `from` on, each into `bits` with `join` (false when one cannot be told).
  auto fold = [&](size_t from, auto&& join) {
    std::vector<uint64_t> part;
    for (size_t i = from; i < parts; ++i) {
      if (!MatchesOf(db, query.get_subquery(i), &part)) return false;
      for (size_t w = 0; w < words; ++w) join((*bits)[w], part[w]);
    }
    return true;
  };
  switch (query.get_type()) {
    case Xapian::Query::LEAF_TERM: {
      const std::string term = LeafTermOf(query);
      bits->assign(words, 0);
      // A term of a column that keeps its entries (the languages' L terms),
      // however many entries hold it.
      for (const Column& c : columns_) {
        if (auto known = c.term_codes.find(term); known != c.term_codes.end()) {
          c.code_docs[known->second].SetBits(bits);
          return true;
        }
      }
      const std::shared_ptr<const TermDocs> docs = DocsOf(db, term);
      if (!docs) return false;
      docs->SetBits(bits);
      return true;
    }
    case Xapian::Query::LEAF_MATCH_NOTHING:
      bits->assign(words, 0);
      return true;
    case Xapian::Query::OP_WILDCARD: {
      // Every term the pattern begins, as the match expands it (up to
      // kWildcardExpansions of them: beyond, the match keeps the most
      // frequent, and tells).
      const std::optional<std::string> pattern = ParsersWildcardPattern(query);
      if (!pattern) return false;
      bits->assign(words, 0);
      Xapian::termcount expansions = 0;
      for (auto t = db.allterms_begin(*pattern); t != db.allterms_end(*pattern); ++t) {
        if (++expansions > kWildcardExpansions) return false;
        const std::shared_ptr<const TermDocs> docs = DocsOf(db, *t);
        if (!docs) return false;
        docs->SetBits(bits);
      }
      return true;
    }
    case Xapian::Query::OP_AND:
    case Xapian::Query::OP_FILTER:
      if (parts == 0 || !MatchesOf(db, query.get_subquery(0), bits)) return false;
      return fold(1, [](uint64_t& into, uint64_t part) { into &= part; });
    case Xapian::Query::OP_OR:
    case Xapian::Query::OP_SYNONYM:
    case Xapian::Query::OP_MAX:
      bits->assign(words, 0);
      return fold(0, [](uint64_t& into, uint64_t part) { into |= part; });
    case Xapian::Query::OP_AND_NOT:
      if (parts == 0 || !MatchesOf(db, query.get_subquery(0), bits)) return false;
      return fold(1, [](uint64_t& into, uint64_t part) { into &= ~part; });
    case Xapian::Query::OP_AND_MAYBE:
    case Xapian::Query::OP_SCALE_WEIGHT:
      return parts > 0 && MatchesOf(db, query.get_subquery(0), bits);
    case Xapian::Query::OP_VALUE_RANGE:
    case Xapian::Query::OP_VALUE_GE:
    case Xapian::Query::OP_VALUE_LE: {
      // The entries with a value in the slot that lies in the range, as
      // Xapian compares them (bytewise; an entry without a value never
      // matches): each value of the column checked once, then each entry's.
      const std::optional<ValueRange> range = ValueRangeOf(query);
      if (!range) return false;
      const Column* column = nullptr;
      for (const Column& c : columns_) {
        if (c.single_valued_slot == range->slot) column = &c;
      }
      if (column == nullptr) return false;
      std::vector<char> in_range(column->values.size(), 0);
      for (size_t code = 1; code < column->values.size(); ++code) {
        const std::string& value = column->values[code];
        in_range[code] = value >= range->begin && (range->end.empty() || value <= range->end);
      }
      bits->assign(words, 0);
      for (Xapian::docid did = 1; did + 1 < column->begin.size(); ++did) {
        for (uint32_t at = column->begin[did]; at < column->begin[did + 1]; ++at) {
          if (in_range[column->codes[at]]) (*bits)[did / 64] |= uint64_t{1} << (did % 64);
        }
      }
      return true;
    }
    default:
      return false;
  }
}

std::optional<std::vector<std::string>> FacetColumns::QueryTermsHeld(
    const Xapian::Database& db, const Xapian::Query& query, Xapian::docid did,
    const std::function<bool(const std::string&)>& wanted) const {
  const std::optional<QueryTerms> terms = QueryTerms::Of(*this, db, query, wanted);
  if (!terms) return std::nullopt;
  return terms->HeldBy(did);
}

std::optional<FacetColumns::QueryTerms> FacetColumns::QueryTerms::Of(
    const FacetColumns& columns, const Xapian::Database& db, const Xapian::Query& query,
    const std::function<bool(const std::string&)>& wanted) {
  QueryTerms made;
  std::set<std::string> seen;
  for (auto t = query.get_terms_begin(); t != query.get_terms_end(); ++t) {
    if (!wanted(*t) || !seen.insert(*t).second) continue;
    std::shared_ptr<const TermDocs> docs = columns.DocsOf(db, *t);
    if (!docs) return std::nullopt;
    made.terms_.emplace_back(*t, std::move(docs));
  }
  return made;
}

std::vector<std::string> FacetColumns::QueryTerms::HeldBy(Xapian::docid did) const {
  std::vector<std::string> held;
  for (const auto& [term, docs] : terms_) {
    if (docs->Contains(did)) held.push_back(term);
  }
  return held;
}

std::vector<std::string> FacetColumns::TermsWithPrefix(const Xapian::Database& db, const std::string& prefix) const {
  {
    std::lock_guard<std::mutex> lock(prefix_terms_mutex_);
    if (auto known = prefix_terms_.find(prefix); known != prefix_terms_.end()) return known->second;
  }
  std::vector<std::string> terms;
  for (auto t = db.allterms_begin(prefix); t != db.allterms_end(prefix); ++t) terms.push_back((*t).substr(prefix.size()));
  std::lock_guard<std::mutex> lock(prefix_terms_mutex_);
  prefix_terms_.emplace(prefix, terms);
  return terms;
}

template <typename Find>
bool FacetColumns::Memo(std::string key, Find&& find) const {
  HeldShard& shard = held_[std::hash<std::string>()(key) % kHeldShards];
  {
    std::lock_guard<std::mutex> lock(shard.mutex);
    if (auto known = shard.held.find(key); known != shard.held.end()) return known->second;
  }
  const bool held = find();  // (outside the lock: a posting list read)
  std::lock_guard<std::mutex> lock(shard.mutex);
  if (shard.held.size() >= kHeldPerShard) shard.held.clear();
  shard.held.emplace(std::move(key), held);
  return held;
}

size_t FacetColumns::MemoryBytes() const {
  size_t bytes = sizeof(*this) + term_docs_.counters().bytes;
  for (const Column& c : columns_) {
    bytes += (c.begin.capacity() + c.codes.capacity() + c.value_order.capacity()) * sizeof(uint32_t);
    for (const auto& p : c.postings) bytes += p.capacity() * sizeof(Xapian::docid);
    for (const TermDocs& docs : c.code_docs) bytes += docs.Bytes();
    for (const auto& [term, code] : c.term_codes) bytes += sizeof(term) + term.capacity() + 32;
    for (const std::string& v : c.values) bytes += sizeof(v) + v.capacity();
  }
  return bytes;
}

ColumnFilterSource::ColumnFilterSource(std::shared_ptr<const FacetColumns> columns, size_t column,
                                       const std::vector<std::string>& values)
    : columns_(std::move(columns)), column_(column) {
  const std::vector<std::string>& known = columns_->Values(column_);
  accepted_.assign(known.size(), 0);
  for (uint32_t code = 1; code < known.size(); ++code) {
    if (std::find(values.begin(), values.end(), known[code]) != values.end()) {
      codes_.push_back(code);
      accepted_[code] = 1;
      count_ += static_cast<Xapian::doccount>(columns_->Postings(column_, code).size());
    }
  }
}

void ColumnFilterSource::init(const Xapian::Database&) {
  did_ = 0;
  on_match_ = false;
  at_end_ = codes_.empty();
  postings_.clear();
  for (uint32_t code : codes_) postings_.push_back(&columns_->Postings(column_, code));
  at_.assign(codes_.size(), 0);
}

void ColumnFilterSource::next(double min_wt) { skip_to(did_ + 1, min_wt); }

void ColumnFilterSource::skip_to(Xapian::docid did, double) {
  if (did <= did_) {  // never backwards, nor back past a docid check() found without the values
    if (on_match_) return;
    did = did_;
  }
  Xapian::docid nearest = 0;  // the first docid >= did holding one of the codes
  for (size_t k = 0; k < postings_.size(); ++k) {
    const std::vector<Xapian::docid>& postings = *postings_[k];
    // From where the last call left off (every docid before it is below
    // `did` too), in steps doubling until one passes `did`, then a binary
    // search of the last step.
    size_t from = at_[k];
    if (from < postings.size() && postings[from] < did) {
      size_t step = 1;
      while (from + step < postings.size() && postings[from + step] < did) {
        from += step;
        step *= 2;
      }
      const size_t end = std::min(postings.size(), from + step + 1);
      from = static_cast<size_t>(std::lower_bound(postings.begin() + static_cast<std::ptrdiff_t>(from) + 1,
                                                  postings.begin() + static_cast<std::ptrdiff_t>(end), did) -
                                 postings.begin());
    }
    at_[k] = from;
    if (from < postings.size() && (nearest == 0 || postings[from] < nearest)) nearest = postings[from];
  }
  if (nearest == 0) {
    at_end_ = true;
  } else {
    did_ = nearest;
    on_match_ = true;
  }
}

bool ColumnFilterSource::check(Xapian::docid did, double) {
  did_ = did;
  on_match_ = false;
  columns_->ForEachCode(column_, did, [this](uint32_t code) { on_match_ = on_match_ || accepted_[code]; });
  return on_match_;
}

ColumnFilterSource* ColumnFilterSource::clone() const {
  return new ColumnFilterSource(columns_, column_, codes_, accepted_, count_);
}

std::string ColumnFilterSource::get_description() const {
  std::string description = "ColumnFilterSource(";
  for (uint32_t code : codes_) (description += (description.back() == '(' ? "" : " ")) += columns_->Values(column_)[code];
  return description + ")";
}

namespace {

// Count vectors of many values let go of by this thread's spies, every
// count zero.
std::vector<std::vector<uint32_t>>& SpareCounts() {
  thread_local std::vector<std::vector<uint32_t>> spare;
  return spare;
}

}  // namespace

FacetColumnSpy::FacetColumnSpy(const FacetColumns& columns) : columns_(columns) {
  std::vector<std::vector<uint32_t>>& spare = SpareCounts();
  counts_.resize(columns.ColumnCount());
  counted_.resize(columns.ColumnCount());
  for (size_t c = 0; c < columns.ColumnCount(); ++c) {
    if (!columns.Counted(c)) continue;
    const size_t values = columns.Values(c).size();
    std::vector<uint32_t>& counts = counts_[c];
    if (values > kListCountedPast && !spare.empty()) {
      counts.swap(spare.back());
      spare.pop_back();
    }
    counts.resize(values, 0);  // (zero already where it was)
  }
}

FacetColumnSpy::~FacetColumnSpy() {
  std::vector<std::vector<uint32_t>>& spare = SpareCounts();
  for (size_t c = 0; c < counts_.size(); ++c) {
    if (!ListsCounted(c)) continue;
    for (uint32_t code : counted_[c]) counts_[c][code] = 0;
    // (A few kept: a thread runs one search at a time.)
    if (spare.size() < counts_.size()) spare.push_back(std::move(counts_[c]));
  }
}

void FacetColumnSpy::operator()(const Xapian::Document& doc, double) {
  Count(doc.get_docid());  // no read: the document's data and values stay unread
}

void FacetColumnSpy::Count(Xapian::docid docid) {
  ++seen_;
  for (size_t c = 0; c < counts_.size(); ++c) {
    if (!columns_.Counted(c)) continue;
    AddEach(c, [&](auto&& add) { columns_.ForEachCode(c, docid, add); });
  }
}

void FacetColumnSpy::CountEach(const std::vector<uint64_t>& bits, uint64_t cap) {
  thread_local std::vector<Xapian::docid> docids;  // the entries counted, reused search after search
  docids.clear();
  for (size_t w = 0; w < bits.size() && seen_ + docids.size() < cap; ++w) {
    for (uint64_t rest = bits[w]; rest != 0 && seen_ + docids.size() < cap; rest &= rest - 1) {
      docids.push_back(static_cast<Xapian::docid>(w * 64 + static_cast<size_t>(__builtin_ctzll(rest))));
    }
  }
  seen_ += docids.size();
  for (size_t c = 0; c < counts_.size(); ++c) {
    if (!columns_.Counted(c)) continue;
    AddEach(c, [&](auto&& add) { columns_.ForEachCodeOfEach(c, docids, add); });
  }
}

std::vector<uint32_t> FacetColumnSpy::CodesCounted(size_t column) const {
  std::vector<uint32_t> codes;
  if (ListsCounted(column)) {
    codes.reserve(counted_[column].size());
    for (uint32_t code : counted_[column]) {
      if (code != 0) codes.push_back(code);
    }
  } else {
    const std::vector<uint32_t>& counts = counts_[column];
    for (uint32_t code = 1; code < counts.size(); ++code) {
      if (counts[code] > 0) codes.push_back(code);
    }
  }
  return codes;
}

std::map<std::string, uint64_t> FacetColumnSpy::Counts(size_t column) const {
  std::map<std::string, uint64_t> out;
  if (!columns_.Counted(column)) return out;
  const std::vector<std::string>& values = columns_.Values(column);
  for (uint32_t code : CodesCounted(column)) out[values[code]] += counts_[column][code];
  return out;
}

SearchFacet FacetColumnSpy::Top(size_t column, size_t limit) const {
  if (!columns_.Counted(column)) return SearchFacet();
  const std::vector<std::string>& values = columns_.Values(column);
  const std::vector<uint32_t>& counts = counts_[column];
  std::vector<uint32_t> seen = CodesCounted(column);
  // By count (largest first), then by value, as TopFacetValues (each
  // value's place in the column's sorted values: a code a value).
  const std::vector<uint32_t>& order = columns_.ValueOrder(column);
  auto before = [&](uint32_t a, uint32_t b) {
    return counts[a] != counts[b] ? counts[a] > counts[b] : order[a] < order[b];
  };
  const size_t shown = std::min(limit, seen.size());
  std::partial_sort(seen.begin(), seen.begin() + static_cast<std::ptrdiff_t>(shown), seen.end(), before);
  SearchFacet facet;
  facet.total_values = seen.size();
  facet.values.reserve(shown);
  for (size_t i = 0; i < shown; ++i) facet.values.push_back({values[seen[i]], counts[seen[i]]});
  return facet;
}

Xapian::Enquire CountingEnquire(const Xapian::Database& db, const Xapian::Query& query) {
  Xapian::Enquire counting(db);
  counting.set_query(query);
  // Weights are not wanted, but not BoolWeight either: with it (and with
  // any scheme that reads no wdf) Xapian 1.4.22 throws "Unexpected end of
  // posting list" reading a posting list of several chunks that a deletion
  // changed. BM25 with b = 0 reads wdf but no document lengths; k1 > 0 keeps
  // every match's weight above 0 (with k1 = 0 phrase matches were dropped).
  counting.set_weighting_scheme(Xapian::BM25Weight(1, 0, 1, 0, 0));
  counting.set_docid_order(Xapian::Enquire::ASCENDING);
  return counting;
}

bool CountEveryMatch(const Xapian::Database& db, const Xapian::Query& query, FacetColumnSpy* spy) {
  Xapian::Enquire counting = CountingEnquire(db, query);
  counting.add_matchspy(spy);
  counting.get_mset(0, 0, std::min(db.get_doccount(), kFacetExactUpTo));
  return spy->Seen() < kFacetExactUpTo;
}

std::optional<bool> CountEveryMatchFromColumns(const Xapian::Database& db, const FacetColumns& columns,
                                               const Xapian::Query& query, FacetColumnSpy* spy) {
  std::vector<uint64_t> matches;
  if (!columns.MatchesOf(db, query, &matches)) return std::nullopt;
  // As a counting pass: in docid order, at most as many as it checks.
  spy->CountEach(matches, std::min(db.get_doccount(), kFacetExactUpTo));
  return spy->Seen() < kFacetExactUpTo;
}

FacetColumnCache::FacetColumnCache(std::vector<FacetColumnSpec> specs, Builder build)
    : specs_(std::move(specs)), build_(build ? std::move(build) : Builder(&FacetColumns::Build)) {}

std::shared_ptr<const FacetColumns> FacetColumnCache::BuildAndKeep(const Xapian::Database& db, const Key& key,
                                                                   std::unique_lock<std::mutex>& lock) {
  building_ = key;
  lock.unlock();
  std::shared_ptr<const FacetColumns> made;
  try {
    made = build_(db, specs_);
  } catch (...) {
    lock.lock();
    building_.reset();
    built_.notify_all();
    throw;
  }
  lock.lock();
  building_.reset();
  if (Newer(key)) {
    if (latest_) previous_ = std::move(latest_);
    latest_ = made;
  }
  built_.notify_all();
  return made;
}

std::shared_ptr<const FacetColumns> FacetColumnCache::For(const Xapian::Database& db) {
  const Key key{db.get_uuid(), db.get_revision()};
  std::unique_lock<std::mutex> lock(mutex_);
  asked_ = true;
  while (true) {
    if (Is(latest_, key)) return latest_;
    if (Is(previous_, key)) return previous_;
    if (building_ && building_->uuid == key.uuid && building_->revision == key.revision) {
      built_.wait(lock);  // this revision's: wait for it, then look again
      continue;
    }
    if (!building_ && Newer(key)) return BuildAndKeep(db, key, lock);
    break;
  }
  // An older revision, or another build under way: columns of its own,
  // made for this search alone.
  lock.unlock();
  return build_(db, specs_);
}

void FacetColumnCache::Prepare(const Xapian::Database& db) {
  const Key key{db.get_uuid(), db.get_revision()};
  std::unique_lock<std::mutex> lock(mutex_);
  if (!asked_ || building_ || !Newer(key)) return;
  asked_ = false;  // until a search asks again
  (void)BuildAndKeep(db, key, lock);
}

void FacetColumnCache::ForgetPrevious() {
  std::shared_ptr<const FacetColumns> forgotten;  // freed after the lock is let go
  std::lock_guard<std::mutex> lock(mutex_);
  forgotten = std::move(previous_);
}

uint64_t FacetColumnCache::Revision() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return latest_ ? latest_->Revision() : 0;
}

}  // namespace dossier
