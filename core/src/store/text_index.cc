// TextIndex: Xapian indexing and search of page texts (layout in text_index.h).
#include "text_index.h"

#include <xapian.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <thread>

#include "dossier/graph.h"

namespace dossier {

namespace {

constexpr Xapian::valueno kValueDocId = 0;
constexpr Xapian::valueno kValueLanguage = 2;
constexpr Xapian::valueno kValueYear = 4;      // the document's own year, "2001"
constexpr Xapian::valueno kValueEntities = 5;  // organisation and programme names, joined by \x1f

// Counts the entity names of the matching documents (a value holding several).
class EntityFacetSpy : public Xapian::MatchSpy {
 public:
  void operator()(const Xapian::Document& doc, double) override {
    const std::string value = doc.get_value(kValueEntities);
    size_t start = 0;
    while (start < value.size()) {
      size_t end = value.find('\x1f', start);
      if (end == std::string::npos) end = value.size();
      if (end > start) ++counts[value.substr(start, end - start)];
      start = end + 1;
    }
  }
  std::map<std::string, uint64_t> counts;
};

// org:"name" matches documents mentioning an organisation or programme by any of its names.
class EntityFieldProcessor : public Xapian::FieldProcessor {
 public:
  Xapian::Query operator()(const std::string& text) override { return Xapian::Query("XE" + NameKey(text).substr(0, 200)); }
};

// The most frequent entries of a facet, at most `limit`.
std::map<std::string, uint64_t> Top(const std::map<std::string, uint64_t>& counts, size_t limit) {
  std::vector<std::pair<uint64_t, std::string>> sorted;
  for (const auto& [name, count] : counts) sorted.emplace_back(count, name);
  std::sort(sorted.begin(), sorted.end(), [](const auto& a, const auto& b) {
    return a.first != b.first ? a.first > b.first : a.second < b.second;
  });
  std::map<std::string, uint64_t> out;
  for (size_t i = 0; i < sorted.size() && i < limit; ++i) out[sorted[i].second] = sorted[i].first;
  return out;
}

// Positions reserved for each page: 2^18 words. Xapian positions are 32-bit,
// so pages past kMaxDistinctPages share the last range (their hits report
// that page).
constexpr Xapian::termpos kPageStride = 1u << 18;
constexpr uint32_t kMaxDistinctPages = (0xFFFFFFFFu / kPageStride) - 1;

std::string IdTerm(const std::string& hex_id) { return "Q" + hex_id; }

uint32_t PageOfPosition(Xapian::termpos position) { return (position - 1) / kPageStride + 1; }

// A stemmer for an ISO 639-1 code; the "none" stemmer for "und" or a
// language Xapian does not stem.
Xapian::Stem StemmerFor(const std::string& language) {
  if (language.empty() || language == "und") return Xapian::Stem();
  try {
    return Xapian::Stem(language);
  } catch (const Xapian::InvalidArgumentError&) {
    return Xapian::Stem();
  }
}

Status FromXapian(const std::string& context, const Xapian::Error& e) {
  std::string msg = context + ": " + e.get_type() + ": " + e.get_msg();
  std::string type = e.get_type();
  if (type == "DatabaseLockError") return Status::Unavailable(msg + " (another dossier process is writing to it)");
  if (type == "DatabaseOpeningError" || type == "DatabaseNotFoundError") return Status::NotFound(msg);
  if (type == "DatabaseCorruptError") return Status::DataLoss(msg);
  if (type == "QueryParserError") return Status::InvalidArgument(msg);
  return Status::Internal(msg);
}

// The page where the query's words occur most often in the document a hit
// points at (the first such page on a tie), from the positions of its
// matching terms; page 1 when only title or boolean terms matched.
uint32_t BestPage(const Xapian::Database& db, const Xapian::Enquire& enquire, const Xapian::MSetIterator& hit) {
  std::map<uint32_t, uint32_t> count_by_page;
  for (auto term = enquire.get_matching_terms_begin(hit); term != enquire.get_matching_terms_end(hit); ++term) {
    const std::string& name = *term;
    if (name.empty() || (std::isupper(static_cast<unsigned char>(name[0])) && name[0] != 'Z')) continue;
    for (auto pos = db.positionlist_begin(*hit, name); pos != db.positionlist_end(*hit, name); ++pos) {
      ++count_by_page[PageOfPosition(*pos)];
    }
  }
  uint32_t best = 1, best_count = 0;
  for (const auto& [page, count] : count_by_page) {
    if (count > best_count) best = page, best_count = count;
  }
  return best;
}

}  // namespace

// A read-only handle of the pool: Xapian handles are not thread-safe, so
// each is used by one search at a time; a search takes a free one.
struct ReaderSlot {
  std::mutex mutex;
  std::unique_ptr<Xapian::Database> db;  // opened on first use
  uint64_t generation = 0;               // the Reopen() it has caught up with
};

struct TextIndex::Impl {
  std::string path;
  Mode mode;
  std::unique_ptr<Xapian::WritableDatabase> writer;
  mutable std::mutex mutex;  // guards the writer (Xapian handles are not thread-safe)
  Xapian::TermGenerator term_generator;

  // Read-only mode: one handle per concurrent search, reopened lazily after Reopen().
  std::vector<std::unique_ptr<ReaderSlot>> readers;
  std::atomic<uint64_t> generation{1};
  mutable std::atomic<size_t> next_reader{0};

  // A reader slot, locked, its database open and caught up with the last Reopen().
  Result<std::unique_lock<std::mutex>> AcquireReader(ReaderSlot** slot) const {
    const size_t n = readers.size();
    const size_t start = next_reader.fetch_add(1, std::memory_order_relaxed);
    std::unique_lock<std::mutex> lock;
    for (size_t i = 0; i < n && !lock.owns_lock(); ++i) {
      *slot = readers[(start + i) % n].get();
      lock = std::unique_lock<std::mutex>((*slot)->mutex, std::try_to_lock);
    }
    if (!lock.owns_lock()) {  // all busy: wait for one
      *slot = readers[start % n].get();
      lock = std::unique_lock<std::mutex>((*slot)->mutex);
    }
    ReaderSlot& r = **slot;
    const uint64_t wanted = generation.load();
    try {
      if (!r.db) {
        r.db = std::make_unique<Xapian::Database>(path);
        r.generation = wanted;
      } else if (r.generation != wanted) {
        r.db->reopen();
        r.generation = wanted;
      }
    } catch (const Xapian::Error& e) {
      r.db.reset();
      return FromXapian(path + ": opening a reader", e);
    }
    return lock;
  }
};

TextIndex::TextIndex(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
TextIndex::~TextIndex() = default;

Result<std::unique_ptr<TextIndex>> TextIndex::Open(const std::string& path, Mode mode) {
  auto impl = std::make_unique<Impl>();
  impl->path = path;
  impl->mode = mode;
  try {
    if (mode == Mode::kWritable) {
      impl->writer = std::make_unique<Xapian::WritableDatabase>(path, Xapian::DB_CREATE_OR_OPEN);
    } else {
      if (!std::filesystem::exists(path)) return Status::NotFound(path + ": no search index here");
      const size_t readers = std::clamp<size_t>(std::thread::hardware_concurrency(), 2, 16);
      for (size_t i = 0; i < readers; ++i) impl->readers.push_back(std::make_unique<ReaderSlot>());
      impl->readers[0]->db = std::make_unique<Xapian::Database>(path);  // fails here when it cannot open
      impl->readers[0]->generation = impl->generation.load();
    }
  } catch (const Xapian::Error& e) {
    return FromXapian(path, e);
  }
  return std::unique_ptr<TextIndex>(new TextIndex(std::move(impl)));
}

Status TextIndex::ReplaceDocument(const Document& document) {
  std::lock_guard<std::mutex> lock(impl_->mutex);
  const std::string hex = document.id.ToHex();
  try {
    Xapian::Document entry;
    Xapian::TermGenerator& tg = impl_->term_generator;
    tg.set_stemmer(StemmerFor(document.language));
    tg.set_stemming_strategy(Xapian::TermGenerator::STEM_SOME_FULL_POS);
    tg.set_document(entry);
    std::set<TextSource> sources;
    for (const PageText& page : document.pages) {
      tg.set_termpos((std::min(page.number, kMaxDistinctPages) - 1) * kPageStride);
      tg.index_text(page.text);
      sources.insert(page.source);
    }
    tg.set_termpos(0);
    tg.index_text_without_positions(document.title, 1, "S");
    tg.index_text_without_positions(document.metadata.author, 1, "A");
    entry.add_boolean_term(IdTerm(hex));
    entry.add_boolean_term("L" + document.language);
    for (TextSource source : sources) entry.add_boolean_term("XS" + std::string(TextSourceName(source)));
    if (!document.mime_type.empty()) entry.add_boolean_term("T" + document.mime_type);
    // Entities and the document's own date, from the extractors' facts.
    std::string entity_names, year;
    for (const std::string& text : document.facts) {
      nlohmann::json fact = nlohmann::json::parse(text, nullptr, false);
      if (fact.is_discarded()) continue;
      const std::string kind = fact.value("kind", "");
      if (kind == "entity" && (fact.value("type", "") == "organisation" || fact.value("type", "") == "programme")) {
        const std::string name = fact.value("name", "");
        entry.add_boolean_term("XE" + NameKey(name).substr(0, 200));
        for (const auto& alias : fact.value("aliases", nlohmann::json::array())) {
          entry.add_boolean_term("XE" + NameKey(alias.get<std::string>()).substr(0, 200));
        }
        entity_names += (entity_names.empty() ? "" : "\x1f") + name;
      } else if (kind == "document_date") {
        year = fact.value("value", "").substr(0, 4);
      }
    }
    if (year.empty() && document.metadata.created.size() >= 4) year = document.metadata.created.substr(0, 4);
    if (!year.empty()) {
      entry.add_boolean_term("Y" + year);
      entry.add_value(kValueYear, year);
    }
    entry.add_value(kValueEntities, entity_names);
    entry.add_value(kValueDocId, hex);
    entry.add_value(kValueLanguage, document.language);
    impl_->writer->replace_document(IdTerm(hex), entry);
  } catch (const Xapian::Error& e) {
    return FromXapian(impl_->path + ": indexing " + hex, e);
  }
  return Status::Ok();
}

Status TextIndex::DeleteDocument(const DocumentId& id) {
  std::lock_guard<std::mutex> lock(impl_->mutex);
  try {
    impl_->writer->delete_document(IdTerm(id.ToHex()));
  } catch (const Xapian::Error& e) {
    return FromXapian(impl_->path + ": deleting " + id.ToHex(), e);
  }
  return Status::Ok();
}

Status TextIndex::Commit() {
  std::lock_guard<std::mutex> lock(impl_->mutex);
  try {
    impl_->writer->commit();
  } catch (const Xapian::Error& e) {
    return FromXapian(impl_->path + ": commit", e);
  }
  return Status::Ok();
}

Status TextIndex::Reopen() {
  if (impl_->writer) return Status::Ok();  // a writer always sees its own state
  // Every reader catches up before its next search.
  impl_->generation.fetch_add(1);
  ReaderSlot* slot = nullptr;
  Result<std::unique_lock<std::mutex>> lock = impl_->AcquireReader(&slot);  // reports a failing reopen now
  return lock.status();
}

uint64_t TextIndex::EntryCount() const {
  try {
    if (impl_->writer) {
      std::lock_guard<std::mutex> lock(impl_->mutex);
      return impl_->writer->get_doccount();
    }
    ReaderSlot* slot = nullptr;
    Result<std::unique_lock<std::mutex>> lock = impl_->AcquireReader(&slot);
    return lock.ok() ? slot->db->get_doccount() : 0;
  } catch (const Xapian::Error&) {
    return 0;
  }
}

Result<SearchResponse> TextIndex::Search(const SearchRequest& request, const PageFetcher& fetch_page) const {
  if (impl_->writer) {
    std::lock_guard<std::mutex> lock(impl_->mutex);
    return SearchIn(*impl_->writer, request, fetch_page);
  }
  ReaderSlot* slot = nullptr;
  DOSSIER_ASSIGN_OR_RETURN(std::unique_lock<std::mutex> lock, impl_->AcquireReader(&slot));
  return SearchIn(*slot->db, request, fetch_page);
}

Result<SearchResponse> TextIndex::SearchIn(Xapian::Database& db, const SearchRequest& request,
                                           const PageFetcher& fetch_page) const {
  SearchResponse response;
  response.query = request.query;
  response.offset = request.offset;
  response.limit = request.limit;
  // A writer may commit twice while we read; Xapian then throws
  // DatabaseModifiedError and a reopen gives a consistent view again.
  for (int attempt = 0;; ++attempt) {
    try {
      std::vector<std::string> languages;
      for (auto it = db.allterms_begin("L"); it != db.allterms_end("L"); ++it) languages.push_back((*it).substr(1));
      if (languages.empty()) return response;  // empty index

      Xapian::QueryParser parser;
      parser.set_database(db);
      parser.set_default_op(Xapian::Query::OP_AND);
      parser.add_prefix("title", "S");
      parser.add_prefix("author", "A");
      parser.add_boolean_prefix("lang", "L");
      parser.add_boolean_prefix("source", "XS");
      parser.add_boolean_prefix("doc", "Q");
      parser.add_boolean_prefix("type", "T");
      parser.add_boolean_prefix("year", "Y");
      parser.add_boolean_prefix("org", new EntityFieldProcessor);
      parser.set_max_expansion(1000, Xapian::Query::WILDCARD_LIMIT_MOST_FREQUENT);
      parser.set_stemming_strategy(Xapian::QueryParser::STEM_SOME);
      const unsigned flags = Xapian::QueryParser::FLAG_DEFAULT | Xapian::QueryParser::FLAG_WILDCARD |
                             Xapian::QueryParser::FLAG_PURE_NOT;
      // Each document was stemmed in its own language: parse the query once
      // per language and match each parse only against that language.
      std::vector<Xapian::Query> per_language;
      for (const std::string& language : languages) {
        parser.set_stemmer(StemmerFor(language));
        Xapian::Query parsed = parser.parse_query(request.query, flags);
        per_language.emplace_back(Xapian::Query::OP_FILTER, parsed, Xapian::Query("L" + language));
      }
      Xapian::Query query(Xapian::Query::OP_OR, per_language.begin(), per_language.end());
      if (request.language) query = Xapian::Query(Xapian::Query::OP_FILTER, query, Xapian::Query("L" + *request.language));
      if (request.text_source) {
        query = Xapian::Query(Xapian::Query::OP_FILTER, query,
                              Xapian::Query("XS" + std::string(TextSourceName(*request.text_source))));
      }

      if (request.mime_type) {
        query = Xapian::Query(Xapian::Query::OP_FILTER, query, Xapian::Query("T" + *request.mime_type));
      }
      if (request.entity) {
        query = Xapian::Query(Xapian::Query::OP_FILTER, query, Xapian::Query("XE" + NameKey(*request.entity).substr(0, 200)));
      }
      if (request.year_from || request.year_to) {
        std::vector<Xapian::Query> years;
        for (int y = request.year_from.value_or(1900); y <= request.year_to.value_or(2100); ++y) {
          years.emplace_back("Y" + std::to_string(y));
        }
        query = Xapian::Query(Xapian::Query::OP_FILTER, query, Xapian::Query(Xapian::Query::OP_OR, years.begin(), years.end()));
      }

      Xapian::Enquire enquire(db);
      enquire.set_query(query);
      Xapian::ValueCountMatchSpy year_spy(kValueYear);
      EntityFacetSpy entity_spy;
      enquire.add_matchspy(&year_spy);
      enquire.add_matchspy(&entity_spy);
      Xapian::MSet mset = enquire.get_mset(request.offset, request.limit, request.offset + request.limit + 1000);
      response.total = mset.get_matches_estimated();
      response.total_exact = mset.get_matches_lower_bound() == mset.get_matches_upper_bound();
      std::map<std::string, uint64_t> years;
      for (auto it = year_spy.values_begin(); it != year_spy.values_end(); ++it) years[*it] = it.get_termfreq();
      response.facets["year"] = years;
      response.facets["entity"] = Top(entity_spy.counts, 20);
      response.hits.clear();
      uint32_t rank = request.offset;
      for (Xapian::MSetIterator it = mset.begin(); it != mset.end(); ++it) {
        Xapian::Document entry = it.get_document();
        SearchHit hit;
        hit.rank = ++rank;
        hit.percent = it.get_percent();
        Result<DocumentId> id = DocumentId::FromHex(entry.get_value(kValueDocId));
        if (!id.ok()) continue;
        hit.id = *id;
        hit.page = BestPage(db, enquire, it);
        std::string language = entry.get_value(kValueLanguage);
        Result<PageText> page = fetch_page(hit.id, hit.page);
        if (page.ok()) {
          hit.ocr_confidence = page->ocr_confidence;
          hit.page_source = page->source;
          hit.snippet_html = mset.snippet(page->text, 300, StemmerFor(language),
                                          Xapian::MSet::SNIPPET_BACKGROUND_MODEL | Xapian::MSet::SNIPPET_EXHAUSTIVE,
                                          "<mark>", "</mark>", "…");
        }
        response.hits.push_back(std::move(hit));
      }
      return response;
    } catch (const Xapian::DatabaseModifiedError& e) {
      if (attempt >= 2) return FromXapian(impl_->path + ": search", e);
      db.reopen();
    } catch (const Xapian::QueryParserError& e) {
      return Status::InvalidArgument("query: " + e.get_msg());
    } catch (const Xapian::Error& e) {
      return FromXapian(impl_->path + ": search", e);
    }
  }
}

}  // namespace dossier
