// Text analysis and query parsing shared by the page and item indexes (see xapian_text.h).
#include "xapian_text.h"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <filesystem>
#include <map>
#include <mutex>
#include <set>
#include <unordered_map>

#include "dossier/text.h"
#include "function_words.h"
#include "write_failure.h"

namespace dossier {

namespace {

// Indexes the accent-folded form of the page words just indexed from `text`
// (from `start`) as XF terms, beside them: what folding changes gets an XF
// word and a ZXF stem, at the same positions as the original word.
// Positions where folding changed nothing are taken out again in
// DropUnfoldedPositions (they already have the same unprefixed or Z term).
void IndexFolded(Xapian::TermGenerator& tg, const std::string& text, Xapian::termpos start) {
  std::string folded = FoldAccents(text);
  if (folded == text) return;
  const Xapian::termpos end = tg.get_termpos();
  tg.set_termpos(start);
  tg.index_text(folded, 1, "XF");
  tg.set_termpos(end);
}

// The runs of page words the parser joined with its default AND ("management
// response": AND(Zmanag, Zrespons)), each as the phrase of those terms in
// order, wherever they sit in `query` (not under NOT, and not when a word of
// the run is a phrase, a wildcard or a field); and in `adjacent`, for each
// phrase, its words' terms when they must stand side by side (AdjacentWords).
//
// A function word (`is_function_word`, given the word or stem a term holds)
// is left out of a run that has other words, which must then stand in
// order within the run's span: "management of the response" boosts
// "management" and "response" within 4 positions, "since the" boosts
// nothing. What sits beside "the" tells little about which documents hold a
// query's words together, and a function word's position lists are the
// longest in the index: a phrase check reads them for each candidate
// document (20 of the 25 slowest of 1,000 searches on real PDFs had one). A
// run of function words only is kept whole: nothing else ranks it.
void CollectWordRuns(const Xapian::Query& query, std::vector<Xapian::Query>* runs, std::vector<AdjacentWords>* adjacent,
                     const std::function<bool(const std::string&)>& is_function_word) {
  const size_t n = query.get_num_subqueries();
  switch (query.get_type()) {
    case Xapian::Query::OP_AND: {
      std::vector<Xapian::Query> words;
      std::vector<char> function_word;  // of each of `words`
      std::vector<std::vector<std::string>> terms_of;  // of each of `words`
      bool plain = n >= 2;
      for (size_t i = 0; i < n; ++i) {
        const Xapian::Query part = query.get_subquery(i);
        const std::string term = part.get_type() == Xapian::Query::LEAF_TERM ? LeafTermOf(part) : std::string();
        if (!term.empty() && IsPageTerm(term)) {
          // A stem's positions are shared with the word that is its own
          // stem (DropWordPositionsFromStems): both, the word weighing
          // nothing (a word no entry has is an empty posting list).
          const std::string word = WordOfStem(term);
          words.push_back(word.empty() ? part
                                       : Xapian::Query(Xapian::Query::OP_OR, part,
                                                       Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT, Xapian::Query(word), 0)));
          function_word.push_back(is_function_word && is_function_word(word.empty() ? term : word));
          terms_of.push_back(word.empty() ? std::vector<std::string>{term} : std::vector<std::string>{term, word});
        } else {
          plain = false;
          CollectWordRuns(part, runs, adjacent, is_function_word);
        }
      }
      if (!plain) return;
      // The words kept, by their place in the run.
      std::vector<size_t> kept;
      for (size_t i = 0; i < words.size(); ++i) {
        if (!function_word[i]) kept.push_back(i);
      }
      if (kept.empty()) {
        for (size_t i = 0; i < words.size(); ++i) kept.push_back(i);
      }
      // Phrases spanning at most kMaxBoostPhraseWords positions (each the
      // words kept in that span, in order within it).
      for (size_t from = 0; from + 1 < kept.size();) {
        size_t to = from + 1;
        while (to < kept.size() && kept[to] - kept[from] < kMaxBoostPhraseWords) ++to;
        if (to - from >= 2) {
          std::vector<Xapian::Query> phrase;
          for (size_t k = from; k < to; ++k) phrase.push_back(words[kept[k]]);
          const Xapian::termcount window = static_cast<Xapian::termcount>(kept[to - 1] - kept[from] + 1);
          runs->emplace_back(Xapian::Query::OP_PHRASE, phrase.begin(), phrase.end(), window);
          // Its words' terms, when they must stand side by side (no word left out inside it).
          AdjacentWords& words_side_by_side = adjacent->emplace_back();
          if (window == to - from) {
            for (size_t k = from; k < to; ++k) words_side_by_side.push_back(terms_of[kept[k]]);
          }
        }
        from = to;
      }
      return;
    }
    case Xapian::Query::OP_FILTER:
    case Xapian::Query::OP_AND_NOT:
    case Xapian::Query::OP_AND_MAYBE:
      if (n > 0) CollectWordRuns(query.get_subquery(0), runs, adjacent, is_function_word);
      return;
    case Xapian::Query::OP_OR:
    case Xapian::Query::OP_SCALE_WEIGHT:
      for (size_t i = 0; i < n; ++i) CollectWordRuns(query.get_subquery(i), runs, adjacent, is_function_word);
      return;
    default:
      return;
  }
}

// Whether `query` holds a wildcard.
bool HasWildcard(const Xapian::Query& query) {
  if (query.get_type() == Xapian::Query::OP_WILDCARD) return true;
  for (size_t i = 0; i < query.get_num_subqueries(); ++i) {
    if (HasWildcard(query.get_subquery(i))) return true;
  }
  return false;
}

// Whether an entry of `languages` may hold `term`: the reader's columns know
// (`parsers->held_in`); otherwise whether any entry of the index holds it
// (`parsers->held_anywhere`, or `parsers->db`, kept in `parsers->held`);
// without either, it may.
bool MayBeHeld(const std::string& term, const std::vector<std::string>& languages, QueryParsers* parsers) {
  if (parsers->held_in) return parsers->held_in(term, languages);
  if (parsers->held_anywhere) return parsers->held_anywhere(term);
  if (parsers->db == nullptr) return true;
  auto [known, added] = parsers->held.try_emplace(term, false);
  if (added) known->second = parsers->db->term_exists(term);
  return known->second;
}

// Whether no entry of `languages` holds any of the folded terms (XF…, ZXF…)
// of `folded_parse` (MayBeHeld), nor could its wildcards of folded forms
// expand to one: a wildcard expands when the query runs, against the terms
// the index holds then, so one is "held nowhere" only when the search's own
// handle (`parsers->db`) holds no term it begins (its unfolded wildcard is
// the typed parse's, as an unfolded term is). False when nothing can tell
// (a remote index).
bool FoldedFormsHeldNowhere(const Xapian::Query& folded_parse, const std::vector<std::string>& languages,
                            QueryParsers* parsers) {
  if (parsers->db == nullptr && !parsers->held_in) return false;
  const Xapian::Query::op type = folded_parse.get_type();
  if (type == Xapian::Query::OP_WILDCARD) {
    const std::optional<std::string> pattern = ParsersWildcardPattern(folded_parse);
    if (!pattern || parsers->db == nullptr) return false;
    if (pattern->compare(0, 2, "XF") != 0 && pattern->compare(0, 3, "ZXF") != 0) return true;
    return parsers->db->allterms_begin(*pattern) == parsers->db->allterms_end(*pattern);
  }
  if (type == Xapian::Query::LEAF_TERM) {
    const std::string term = LeafTermOf(folded_parse);
    if (term.compare(0, 2, "XF") != 0 && term.compare(0, 3, "ZXF") != 0) return true;
    return !MayBeHeld(term, languages, parsers);
  }
  for (size_t i = 0; i < folded_parse.get_num_subqueries(); ++i) {
    if (!FoldedFormsHeldNowhere(folded_parse.get_subquery(i), languages, parsers)) return false;
  }
  return true;
}

// Whether the folded parse of a query typed without accents matches every
// entry its typed parse matches (it reads each term t as t OR XF t): yes
// unless something is excluded (NOT, -word, a pure NOT) whose folded forms
// an entry of `languages` may hold, where the folded parse would exclude
// XF t too (FoldedFormsHeldNowhere on each excluded subquery), or the
// query has XOR. False when nothing can tell (a remote index).
bool FoldedMatchesEveryTypedMatch(const Xapian::Query& folded_parse, const std::vector<std::string>& languages,
                                  QueryParsers* parsers) {
  const size_t n = folded_parse.get_num_subqueries();
  switch (folded_parse.get_type()) {
    case Xapian::Query::OP_XOR:
      return false;
    case Xapian::Query::OP_AND_NOT:
      if (n > 0 && !FoldedMatchesEveryTypedMatch(folded_parse.get_subquery(0), languages, parsers)) return false;
      for (size_t i = 1; i < n; ++i) {
        if (!FoldedFormsHeldNowhere(folded_parse.get_subquery(i), languages, parsers)) return false;
      }
      return true;
    default:
      for (size_t i = 0; i < n; ++i) {
        if (!FoldedMatchesEveryTypedMatch(folded_parse.get_subquery(i), languages, parsers)) return false;
      }
      return true;
  }
}

// Whether `query` may match an entry in one of `languages`: false only when
// the terms it needs are held by no such entry (`parsers->held_in`: the
// reader's columns; without them, it may). Each operator needs what it
// needs: all of an AND's (FILTER, PHRASE, NEAR) subqueries, one of an OR's
// (SYNONYM, MAX, ELITE_SET, XOR), the first of AND_MAYBE and AND_NOT. A
// wildcard, a value range, a posting source may match.
bool MayMatchIn(const Xapian::Query& query, const std::vector<std::string>& languages, QueryParsers* parsers) {
  if (!parsers->held_in) return true;
  const size_t n = query.get_num_subqueries();
  switch (query.get_type()) {
    case Xapian::Query::LEAF_MATCH_NOTHING:
      return false;
    case Xapian::Query::LEAF_TERM: {
      const std::string term = LeafTermOf(query);
      return term.empty() || MayBeHeld(term, languages, parsers);
    }
    case Xapian::Query::OP_AND:
    case Xapian::Query::OP_FILTER:
    case Xapian::Query::OP_PHRASE:
    case Xapian::Query::OP_NEAR:
      for (size_t i = 0; i < n; ++i) {
        if (!MayMatchIn(query.get_subquery(i), languages, parsers)) return false;
      }
      return true;
    case Xapian::Query::OP_OR:
    case Xapian::Query::OP_XOR:
    case Xapian::Query::OP_SYNONYM:
    case Xapian::Query::OP_MAX:
    case Xapian::Query::OP_ELITE_SET:
      for (size_t i = 0; i < n; ++i) {
        if (MayMatchIn(query.get_subquery(i), languages, parsers)) return true;
      }
      return false;
    case Xapian::Query::OP_AND_MAYBE:
    case Xapian::Query::OP_AND_NOT:
    case Xapian::Query::OP_SCALE_WEIGHT:
      return n == 0 || MayMatchIn(query.get_subquery(0), languages, parsers);
    default:
      return true;
  }
}

// The words of `typed`, lowercased, when it holds nothing but words and
// white space (no quotes, operators, wildcards, fields or other marks): the
// terms QueryParser stems are then these words, and nothing else of the
// query depends on the stemmer. Empty otherwise.
std::vector<std::string> PlainQueryWords(const std::string& typed) {
  std::vector<std::string> words;
  std::string word;
  for (Xapian::Utf8Iterator it(typed); it != Xapian::Utf8Iterator(); ++it) {
    const unsigned ch = *it;
    if (ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r') {
      if (!word.empty()) words.push_back(std::move(word));
      word.clear();
      continue;
    }
    if (!Xapian::Unicode::is_wordchar(ch)) return {};
    Xapian::Unicode::append_utf8(word, Xapian::Unicode::tolower(ch));
  }
  if (!word.empty()) words.push_back(std::move(word));
  return words;
}

// Which of `words` are function words of `language`, as the word or its
// stem ('1') or not ('0'), in order; empty when none is.
std::string FunctionWordMarks(const std::string& language, const std::vector<std::string>& words) {
  if (!KnowsFunctionWords(language)) return "";
  const Xapian::Stem stem = StemmerFor(language);
  std::string marks;
  bool any = false;
  for (const std::string& word : words) {
    const bool function_word = IsFunctionWord(language, word) || IsFunctionWord(language, stem(word));
    marks += function_word ? '1' : '0';
    any = any || function_word;
  }
  return any ? marks : "";
}

// A key that is the same for two queries exactly when they are the same
// query: its serialised form, made about six times faster than its
// description (which prints each weight through a stream; the descriptions
// of a search's parses were 1.7 % of its instructions). A query holding a
// posting source that cannot be serialised (none a parser makes) is keyed
// by its description.
std::string QueryKey(const Xapian::Query& query) {
  try {
    return 'S' + query.serialise();
  } catch (const Xapian::UnimplementedError&) {
    return 'D' + query.get_description();
  }
}

}  // namespace

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

namespace {

// The stems of the words queries are parsed with, by language, shared by
// every search: a word of one query comes back in others (a stem costs
// about 2,000 instructions; a search's parses and its best pages' map of
// terms stemmed each word of the query in each of the index's languages,
// about 50 stems a search on 626 real PDFs in 13 languages). Each thread
// stems with its own stemmers (a Snowball stemmer keeps state: not
// thread-safe); what they make is kept under a lock held only to look up
// or add. At kMaxStems (a few MiB) the cache is emptied.
class QueryStemCache {
 public:
  static QueryStemCache& Instance() {
    static QueryStemCache cache;
    return cache;
  }

  std::string StemOf(const std::string& language, const std::string& word) {
    std::string key;
    key.reserve(language.size() + 1 + word.size());
    key.append(language).push_back('\0');
    key.append(word);
    {
      std::lock_guard<std::mutex> lock(mutex_);
      if (auto known = stems_.find(key); known != stems_.end()) return known->second;
    }
    thread_local std::map<std::string, Xapian::Stem> stemmers;
    auto [stemmer, added] = stemmers.try_emplace(language);
    if (added) stemmer->second = StemmerFor(language);
    std::string stem = stemmer->second(word);
    std::lock_guard<std::mutex> lock(mutex_);
    if (stems_.size() >= kMaxStems) stems_.clear();
    stems_.emplace(std::move(key), stem);
    return stem;
  }

  // Whether StemmerFor(language) is the "none" stemmer, found once.
  bool Stems(const std::string& language) {
    std::lock_guard<std::mutex> lock(mutex_);
    auto [known, added] = stems_language_.try_emplace(language, false);
    if (added) known->second = !StemmerFor(language).is_none();
    return known->second;
  }

 private:
  static constexpr size_t kMaxStems = size_t{1} << 15;
  std::mutex mutex_;
  std::unordered_map<std::string, std::string> stems_;
  std::map<std::string, bool> stems_language_;
};

// A stemmer whose stems come from the QueryStemCache.
class CachedStemmer : public Xapian::StemImplementation {
 public:
  explicit CachedStemmer(std::string language) : language_(std::move(language)) {}
  std::string operator()(const std::string& word) override { return QueryStemCache::Instance().StemOf(language_, word); }
  std::string get_description() const override { return "cached " + language_; }

 private:
  const std::string language_;
};

}  // namespace

Xapian::Stem QueryStemmer(const std::string& language) {
  if (!QueryStemCache::Instance().Stems(language)) return Xapian::Stem();
  return Xapian::Stem(new CachedStemmer(language));
}

std::string FoldingStemmer::operator()(const std::string& word) {
  if (auto known = memo_.find(word); known != memo_.end()) return known->second;
  const std::string folded = FoldAccents(word);
  std::string stem = folded == word ? stem_(word) : "XF" + stem_(folded);
  if (memo_.size() >= kMemoWords) memo_.clear();
  memo_.emplace(word, stem);
  return stem;
}

void IndexPageWords(Xapian::TermGenerator& tg, const std::string& text, bool positions) {
  const Xapian::termpos start = tg.get_termpos();
  const std::string words = RemoveElisions(text);
  if (!positions) {
    tg.index_text_without_positions(words);
    const std::string folded = FoldAccents(words);
    if (folded != words) tg.index_text_without_positions(folded, 1, "XF");
    return;
  }
  tg.index_text(words);
  IndexFolded(tg, words, start);
}

// Removes from XF<w> and ZXF<s> the positions where the same word is
// indexed unfolded (<w>, Z<s>): a folded term only where folding changed the
// word. A query then matches the folded space with <w> OR XF<w>, and the
// index holds no second copy of unaccented text.
void DropUnfoldedPositions(Xapian::Document& entry) {
  // The folded page terms and the unfolded term each one shadows.
  std::map<std::string, std::string> plain_of;  // XFw -> w, ZXFs -> Zs
  for (auto t = entry.termlist_begin(); t != entry.termlist_end(); ++t) {
    const std::string& name = *t;
    const size_t stem = name.rfind("ZXF", 0) == 0 ? 1 : 0;
    if (!stem && name.rfind("XF", 0) != 0) continue;
    const size_t rest = stem + 2;
    // XFS and XFA: title and author forms (no positions), kept as they are.
    if (rest >= name.size() || std::isupper(static_cast<unsigned char>(name[rest]))) continue;
    plain_of.emplace(name, (stem ? "Z" : "") + name.substr(rest));
  }
  if (plain_of.empty()) return;
  std::set<std::string> wanted;
  for (const auto& [folded, plain] : plain_of) wanted.insert(plain);
  std::map<std::string, std::vector<Xapian::termpos>> positions;  // of the unfolded terms
  std::map<std::string, std::vector<Xapian::termpos>> folded_positions;
  for (auto t = entry.termlist_begin(); t != entry.termlist_end(); ++t) {
    const std::string& name = *t;
    if (wanted.count(name)) positions[name].assign(t.positionlist_begin(), t.positionlist_end());
    if (plain_of.count(name)) folded_positions[name].assign(t.positionlist_begin(), t.positionlist_end());
  }
  for (const auto& [folded, plain] : plain_of) {
    auto at = positions.find(plain);
    if (at == positions.end()) continue;  // folding changed this word wherever it occurs
    const std::vector<Xapian::termpos>& mine = folded_positions[folded];
    size_t removed = 0;
    for (Xapian::termpos pos : mine) {
      if (std::binary_search(at->second.begin(), at->second.end(), pos)) {
        entry.remove_posting(folded, pos);
        ++removed;
      }
    }
    if (removed == mine.size()) entry.remove_term(folded);
  }
}

// (xapian_text.h)
bool PhraseUnderOr(const Xapian::Query& query) {
  const size_t n = query.get_num_subqueries();
  switch (query.get_type()) {
    case Xapian::Query::OP_OR:
    case Xapian::Query::OP_XOR:
    case Xapian::Query::OP_MAX:
    case Xapian::Query::OP_ELITE_SET:
      for (size_t i = 0; i < n; ++i) {
        if (HasPhrase(query.get_subquery(i))) return true;
      }
      return false;
    case Xapian::Query::OP_AND_MAYBE:
      for (size_t i = 1; i < n; ++i) {
        if (HasPhrase(query.get_subquery(i))) return true;
      }
      return n > 0 && PhraseUnderOr(query.get_subquery(0));
    default:
      for (size_t i = 0; i < n; ++i) {
        if (PhraseUnderOr(query.get_subquery(i))) return true;
      }
      return false;
  }
}

// (xapian_text.h)
bool HasPhrase(const Xapian::Query& query) {
  if (query.get_type() == Xapian::Query::OP_PHRASE || query.get_type() == Xapian::Query::OP_NEAR) return true;
  for (size_t i = 0; i < query.get_num_subqueries(); ++i) {
    if (HasPhrase(query.get_subquery(i))) return true;
  }
  return false;
}

std::string WordOfStem(const std::string& term) {
  if (term.size() < 2 || term[0] != 'Z') return "";
  const size_t rest = term.rfind("ZXF", 0) == 0 ? 3 : 1;
  // ZS..., ZA..., ZXFS...: title and author stems, without positions.
  if (rest >= term.size() || std::isupper(static_cast<unsigned char>(term[rest]))) return "";
  return term.substr(1);
}

void DropWordPositionsFromStems(Xapian::Document& entry) {
  std::map<std::string, std::vector<Xapian::termpos>> positions;  // of every term with some
  for (auto t = entry.termlist_begin(); t != entry.termlist_end(); ++t) {
    if (t.positionlist_count() > 0) positions[*t].assign(t.positionlist_begin(), t.positionlist_end());
  }
  for (const auto& [stem, at] : positions) {
    const std::string word = WordOfStem(stem);
    if (word.empty()) continue;
    auto word_at = positions.find(word);
    if (word_at == positions.end()) continue;
    for (Xapian::termpos pos : at) {
      if (std::binary_search(word_at->second.begin(), word_at->second.end(), pos)) {
        entry.remove_posting(stem, pos, 0);  // the wdf stays: it weighs every occurrence
      }
    }
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

// A failed write to the index (DatabaseError: the disk is full, an I/O
// error) is a write failure of the data folder, like RocksDB's (write_failure.h).
Status FromXapianWrite(const std::string& path, const std::string& what, const Xapian::Error& e) {
  if (std::string(e.get_type()) != "DatabaseError") return FromXapian(path + ": " + what, e);
  std::string detail = std::string(e.get_type()) + ": " + e.get_msg();
  if (e.get_error_string() != nullptr && detail.find(e.get_error_string()) == std::string::npos) {
    detail += " (" + std::string(e.get_error_string()) + ")";
  }
  return WriteFailed(std::filesystem::path(path).parent_path().string(), "search index, " + what, detail);
}

// Page words: unprefixed, Z (stems) and XF (accent-folded forms), with
// positions; not boolean, title or author terms.
bool IsPageTerm(const std::string& name) {
  size_t i = !name.empty() && name[0] == 'Z' ? 1 : 0;
  if (name.compare(i, 2, "XF") == 0) i += 2;
  return i < name.size() && !std::isupper(static_cast<unsigned char>(name[i]));
}

std::string_view MetadataKeyName(std::string_view key) {
  return key.size() >= 2 && key[0] == '\0' ? key.substr(2) : key;
}

std::string LeafTermOf(const Xapian::Query& leaf) {
  // Xapian 1.4 serialises a term as a byte 0x40 | flags | length (length 0:
  // 16 or more, given after it as Xapian's encode_length of length - 16: one
  // byte below 255, else 0xff and 7 bits a byte, the last with 0x80 set),
  // then the term, then what its flags say (wqf, position). (MatchAll, the
  // empty term, is a leaf of another type: LEAF_MATCH_ALL.)
  if (leaf.get_type() == Xapian::Query::LEAF_TERM) {
    const std::string form = leaf.serialise();
    const auto head = form.empty() ? 0 : static_cast<unsigned char>(form[0]);
    if ((head & 0xc0) == 0x40) {
      size_t length = head & 0x0f, at = 1;
      bool known = true;
      if (length == 0) {
        if (at < form.size() && static_cast<unsigned char>(form[at]) != 0xff) {
          length = static_cast<unsigned char>(form[at++]);
        } else {
          // 255 and more: 0xff, then 7 bits a byte, low first, until one with 0x80.
          ++at;
          size_t value = 0;
          unsigned shift = 0;
          known = false;
          while (at < form.size() && shift < 63) {
            const auto b = static_cast<unsigned char>(form[at++]);
            value |= static_cast<size_t>(b & 0x7f) << shift;
            shift += 7;
            if (b & 0x80) {
              known = true;
              break;
            }
          }
          length = value + 255;
        }
        length += 16;
      }
      if (known && at + length <= form.size()) return form.substr(at, length);
    }
  }
  // Not a term's leaf, or not as expected (another Xapian): the slow way.
  const Xapian::TermIterator t = leaf.get_terms_begin();
  return t == leaf.get_terms_end() ? std::string() : *t;
}

// The query's phrases ("recommendations for executive action"), each as its
// terms in order, wherever they sit in the query tree (one per language parse
// and per folded half).
void CollectPhrases(const Xapian::Query& query, std::vector<std::vector<std::string>>* phrases) {
  if (query.get_type() == Xapian::Query::OP_PHRASE) {
    std::vector<std::string> terms;
    for (size_t i = 0; i < query.get_num_subqueries(); ++i) {
      const Xapian::Query part = query.get_subquery(i);
      if (part.get_type() != Xapian::Query::LEAF_TERM) return;
      std::string term = LeafTermOf(part);
      if (term.empty()) return;
      terms.push_back(std::move(term));
    }
    if (terms.size() > 1) phrases->push_back(std::move(terms));
    return;
  }
  for (size_t i = 0; i < query.get_num_subqueries(); ++i) CollectPhrases(query.get_subquery(i), phrases);
}


void SetUpQueryParsers(Xapian::Database& db, const std::function<void(Xapian::QueryParser&)>& configure,
                       QueryParsers* parsers, Xapian::QueryParser::stem_strategy stemming) {
  for (Xapian::QueryParser* p : {&parsers->as_typed, &parsers->folded}) {
    p->set_database(db);
    p->set_default_op(Xapian::Query::OP_AND);
    configure(*p);
    p->set_max_expansion(kWildcardExpansions, Xapian::Query::WILDCARD_LIMIT_MOST_FREQUENT);
    p->set_stemming_strategy(stemming);
  }
  parsers->folded.add_prefix("", "");
  parsers->folded.add_prefix("", "XF");
  parsers->db = &db;
}

Xapian::Query ParseInEachLanguage(QueryParsers& parsers, const std::string& query_text,
                                  const std::vector<std::string>& languages, Xapian::Query::op default_op,
                                  bool adjacent_boost, ParsePurpose purpose) {
  constexpr unsigned kFlags = Xapian::QueryParser::FLAG_DEFAULT | Xapian::QueryParser::FLAG_WILDCARD |
                              Xapian::QueryParser::FLAG_PURE_NOT;
  const std::string typed = RemoveElisions(query_text);
  const std::string folded = FoldAccents(typed);
  parsers.as_typed.set_default_op(default_op);
  parsers.folded.set_default_op(default_op);
  // Without positions (an item index) Xapian reads a phrase as an AND,
  // which would weigh the same terms a second time.
  const bool boost = adjacent_boost && (parsers.db == nullptr || parsers.db->has_positions());
  using Group = QueryParsers::Group;
  std::string languages_key;
  for (const std::string& language : languages) (languages_key += language) += ' ';
  auto [grouped, group_anew] =
      parsers.groupings.try_emplace({query_text, std::move(languages_key), static_cast<int>(default_op), boost});
  std::vector<Group>& groups = grouped->second;
  // Languages whose two parses come out the same share one subquery.
  std::map<std::string, size_t> parse_of_key;
  // A query of plain words is parsed alike by two languages whose stemmers
  // stem each of its words, as typed and folded, alike: such a language
  // joins the first one's subquery without parsing (two parses for each of
  // an index's languages were 8 % of a search on 14 languages).
  const std::vector<std::string> plain_words = group_anew ? PlainQueryWords(typed) : std::vector<std::string>();
  std::map<std::string, size_t> parse_of_stems;
  const std::vector<std::string> grouped_already;  // (groups made by an earlier build: none to parse)
  for (const std::string& language : group_anew ? languages : grouped_already) {
    std::string stems_key;
    if (!plain_words.empty()) {
      auto [cached, added] = parsers.stems_keys.try_emplace({query_text, language});
      if (added) {
        const Xapian::Stem stem = QueryStemmer(language);
        std::string& key = cached->second;
        key = stem.is_none() ? "-" : "+";
        for (const std::string& word : plain_words) {
          const std::string word_stem = stem(word), folded = FoldAccents(word);
          ((key += word_stem) += '\0') += folded == word ? word_stem : stem(folded);
          key += '\0';
        }
      }
      stems_key = cached->second;
      // The boost of two words or more leaves out each language's own
      // function words (CollectWordRuns): the languages that share a parse
      // leave out the same ones.
      if (boost && plain_words.size() >= 2) stems_key += '\1' + FunctionWordMarks(language, plain_words);
      if (auto known = parse_of_stems.find(stems_key); known != parse_of_stems.end()) {
        groups[known->second].languages.push_back(language);
        continue;
      }
    }
    auto parse = [&](bool folded_form) -> const QueryParsers::Parse& {
      auto [it, added] = parsers.parses.try_emplace({query_text, language, static_cast<int>(default_op), folded_form});
      if (added) {
        Xapian::QueryParser& parser = folded_form ? parsers.folded : parsers.as_typed;
        parser.set_stemmer(QueryStemmer(language));
        it->second.query = parser.parse_query(folded_form ? folded : typed, kFlags);
        it->second.key = QueryKey(it->second.query);
      }
      return it->second;
    };
    const QueryParsers::Parse& typed_parse = parse(false);
    const QueryParsers::Parse& folded_parsed = parse(true);
    // The phrases of the adjacency boost, without `language`'s function words.
    std::vector<Xapian::Query> runs;
    std::vector<AdjacentWords> adjacent;
    if (boost) {
      CollectWordRuns(typed_parse.query, &runs, &adjacent,
                      [&language](const std::string& word) { return IsFunctionWord(language, word); });
    }
    std::string runs_key;
    for (const Xapian::Query& run : runs) (runs_key += QueryKey(run)) += '\0';
    auto [shared, first] = parse_of_key.emplace(typed_parse.key + '\0' + folded_parsed.key + '\0' + runs_key, groups.size());
    if (!plain_words.empty()) parse_of_stems.emplace(stems_key, shared->second);
    if (!first) {
      groups[shared->second].languages.push_back(language);
      continue;
    }
    groups.push_back(Group{&typed_parse, &folded_parsed, std::move(runs), std::move(adjacent), {language}});
  }
  std::vector<Xapian::Query> per_language;
  for (Group& group : groups) {
    const Xapian::Query& as_typed = group.typed->query;
    const Xapian::Query& folded_parse = group.folded->query;
    // A subquery whose languages' entries lack the terms it needs matches
    // nothing: left out, it opens no posting list (the reader's columns
    // know which languages' entries hold a term).
    // (What held_in told is kept with the group: each build of the search's
    // query with this grouping asks once.)
    if (parsers.held_in) {
      if (!group.may_match) {
        group.may_match = MayMatchIn(as_typed, group.languages, &parsers) ||
                          MayMatchIn(folded_parse, group.languages, &parsers);
      }
      if (!*group.may_match) continue;
    }
    auto folded_held_nowhere = [&]() {
      if (!parsers.held_in) return FoldedFormsHeldNowhere(folded_parse, group.languages, &parsers);
      if (!group.folded_held_nowhere) {
        group.folded_held_nowhere = FoldedFormsHeldNowhere(folded_parse, group.languages, &parsers);
      }
      return *group.folded_held_nowhere;
    };
    Xapian::Query parsed;
    if (purpose == ParsePurpose::kBoost) {
      // The boost's phrases alone, for the entries of their languages.
      if (group.runs.empty()) continue;
      parsed = Xapian::Query(Xapian::Query::OP_OR, group.runs.begin(), group.runs.end());
      if (parsers.boost_among) {
        per_language.push_back(parsers.boost_among(group.languages, parsed, group.runs, group.adjacent));
        continue;
      }
    } else if (purpose == ParsePurpose::kMatchSet && folded == typed &&
               FoldedMatchesEveryTypedMatch(folded_parse, group.languages, &parsers)) {
      parsed = folded_parse;
    } else if (folded == typed && folded_held_nowhere()) {
      // The folded parse is the typed one, each term t read as (t OR XF t),
      // and no entry of these languages holds an XF t: it matches what the
      // typed parse matches, weighing kFoldedWeight times as much. One
      // parse weighed 1 + kFoldedWeight walks each posting list once
      // instead of twice (the hits and their order the same).
      parsed = Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT, as_typed, 1 + kFoldedWeight);
    } else if (folded == typed && HasWildcard(as_typed) &&
               FoldedMatchesEveryTypedMatch(folded_parse, group.languages, &parsers)) {
      // A wildcard whose folded form begins terms the index holds: the
      // folded parse alone, weighed 1 + kFoldedWeight. It matches what
      // both parses match (each of its terms and wildcards t is read as
      // t OR XF t, and what it excludes has no folded form an entry
      // holds), and the typed expansions,
      // up to kWildcardExpansions posting lists, are walked once instead
      // of twice: half the time of a two- or three-letter prefix. A word
      // matched only through its folded form then weighs as much as one
      // matched as typed (docs/USING.md).
      parsed = Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT, folded_parse, 1 + kFoldedWeight);
    } else {
      parsed = Xapian::Query(Xapian::Query::OP_OR, as_typed,
                             Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT, folded_parse, kFoldedWeight));
    }
    if (!group.runs.empty() && purpose != ParsePurpose::kBoost) {
      parsed = Xapian::Query(Xapian::Query::OP_AND_MAYBE, parsed,
                             Xapian::Query(Xapian::Query::OP_OR, group.runs.begin(), group.runs.end()));
    }
    // A subquery whose terms no entry of the other languages holds (a stem
    // only this group's stemmers make) matches only this group's entries
    // already: without the filter, it matches the same entries with the same
    // weights, and no match is checked for its language (a reader's
    // `held_in` tells, asked once for the group). Not one with a phrase:
    // Xapian 1.4.22 may check() a phrase and then skip past a match when the
    // matcher turns an OR into an AND_MAYBE as the minimum weight rises, so
    // which matches such a query keeps can depend on how the weights build
    // up (the same query's partial matches differ with the page size), and
    // a subquery without its filter would change that.
    auto only_its_languages_match = [&]() {
      if (!parsers.held_in || HasPhrase(as_typed) || HasPhrase(folded_parse)) return false;
      if (!group.only_its_languages_match) {
        std::vector<std::string> others;
        for (const std::string& language : languages) {
          if (std::find(group.languages.begin(), group.languages.end(), language) == group.languages.end()) {
            others.push_back(language);
          }
        }
        group.only_its_languages_match =
            !MayMatchIn(as_typed, others, &parsers) && !MayMatchIn(folded_parse, others, &parsers);
      }
      return *group.only_its_languages_match;
    };
    if (groups.size() == 1) {
      per_language.push_back(parsed);  // every entry has one of these languages
    } else if (parsers.language_filter) {
      if (only_its_languages_match()) {
        per_language.push_back(parsed);
      } else {
        per_language.emplace_back(Xapian::Query::OP_FILTER, parsed, parsers.language_filter(group.languages));
      }
    } else {
      std::vector<Xapian::Query> language_terms;
      for (const std::string& language : group.languages) language_terms.emplace_back("L" + language);
      per_language.emplace_back(Xapian::Query::OP_FILTER, parsed,
                                Xapian::Query(Xapian::Query::OP_OR, language_terms.begin(), language_terms.end()));
    }
  }
  return Xapian::Query(Xapian::Query::OP_OR, per_language.begin(), per_language.end());
}

std::optional<std::string> ParsersWildcardPattern(const Xapian::Query& wildcard) {
  const std::string description = wildcard.get_description();
  constexpr std::string_view kOpen = "Query(WILDCARD ";
  if (description.compare(0, kOpen.size(), kOpen) != 0 || description.back() != ')') return std::nullopt;
  const std::string_view rest = std::string_view(description).substr(kOpen.size(), description.size() - kOpen.size() - 1);
  const size_t space = rest.find(' ');
  if (space == std::string_view::npos) return std::nullopt;
  std::string pattern(rest.substr(space + 1));
  const std::string serialised = wildcard.serialise();
  for (Xapian::Query::op combiner : {Xapian::Query::OP_SYNONYM, Xapian::Query::OP_OR, Xapian::Query::OP_MAX}) {
    const Xapian::Query same(Xapian::Query::OP_WILDCARD, pattern, kWildcardExpansions,
                             Xapian::Query::WILDCARD_LIMIT_MOST_FREQUENT, combiner);
    if (same.serialise() == serialised) return pattern;
  }
  return std::nullopt;
}

Xapian::Query YearRangeQuery(Xapian::valueno slot, std::optional<int> from, std::optional<int> to) {
  // The year slot holds four digits, which sort as the numbers do.
  auto four_digits = [](int year) {
    char text[16];
    std::snprintf(text, sizeof text, "%04d", std::clamp(year, 0, 9999));
    return std::string(text);
  };
  if (from && to) return Xapian::Query(Xapian::Query::OP_VALUE_RANGE, slot, four_digits(*from), four_digits(*to));
  if (from) return Xapian::Query(Xapian::Query::OP_VALUE_GE, slot, four_digits(*from));
  return Xapian::Query(Xapian::Query::OP_VALUE_LE, slot, four_digits(to.value_or(9999)));
}

std::vector<std::string> IndexLanguages(const Xapian::Database& db) {
  std::vector<std::string> languages;
  for (auto it = db.allterms_begin("L"); it != db.allterms_end("L"); ++it) languages.push_back((*it).substr(1));
  return languages;
}

bool RestrictToLanguage(const std::optional<std::string>& language, std::vector<std::string>* languages) {
  if (!language) return true;
  const bool indexed = std::find(languages->begin(), languages->end(), *language) != languages->end();
  languages->assign(indexed ? 1 : 0, *language);
  return indexed;
}

void TermFacetSpy::operator()(const Xapian::Document& doc, double) {
  Xapian::TermIterator t = doc.termlist_begin();
  for (t.skip_to(prefix_); t != doc.termlist_end(); ++t) {
    const std::string term = *t;
    if (term.compare(0, prefix_.size(), prefix_) != 0) break;
    ++counts[term.substr(prefix_.size())];
  }
}

void MultiValueFacetSpy::operator()(const Xapian::Document& doc, double) {
  const std::string value = doc.get_value(slot_);
  std::string_view rest = value;
  while (!rest.empty()) {
    const size_t end = std::min(rest.find('\x1f'), rest.size());
    const std::string_view name = rest.substr(0, end);
    if (!name.empty()) {
      auto it = counts.find(name);
      if (it == counts.end()) it = counts.emplace(std::string(name), 0).first;
      ++it->second;
    }
    rest.remove_prefix(std::min(end + 1, rest.size()));
  }
}

bool SawEveryMatch(Xapian::doccount seen, Xapian::doccount check, const Xapian::MSet& mset) {
  return seen < check ||
         (mset.get_matches_lower_bound() == mset.get_matches_upper_bound() && seen >= mset.get_matches_estimated());
}

SearchFacet FacetOf(const Xapian::ValueCountMatchSpy& spy) {
  std::map<std::string, uint64_t> counts;
  for (auto it = spy.values_begin(); it != spy.values_end(); ++it) {
    if (!(*it).empty()) counts[*it] = it.get_termfreq();
  }
  return TopFacetValues(counts, counts.size());
}

}  // namespace dossier
