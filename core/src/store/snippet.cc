// Search snippets around the best-matching passage (see snippet.h).
#include "snippet.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <map>
#include <set>
#include <string_view>
#include <tuple>
#include <unordered_map>
#include <unordered_set>

#include "byte_classes.h"
#include "dossier/text.h"

namespace dossier {

namespace {

struct Word {
  uint32_t begin = 0, end = 0;  // byte range in the text (a page is far below 4 GiB)
  int32_t forms = -1;           // its forms in Words::forms, or -1 when not built
};

struct WordForms {
  std::string lower;   // lowercased, apostrophes as '
  std::string folded;  // `lower` without accents
};

// A text's words, and the forms of those that were built (most words of a
// page are not: see SplitWords).
struct Words {
  std::vector<Word> list;
  std::vector<WordForms> forms;
  // A word's forms; both empty for a word not built.
  const WordForms& FormsOf(const Word& word) const {
    static const WordForms kNone;
    return word.forms < 0 ? kNone : forms[static_cast<size_t>(word.forms)];
  }
};

// The words of `text` as Xapian's TermGenerator sees them: runs of word
// characters, an apostrophe (' or ’) between two word characters kept
// inside the word ("don't", "aujourd’hui"). Elision marks (U+E000, U+E001)
// are not word characters, so "l’entrepreneuriat" cut by MarkElisions gives
// "l" and "entrepreneuriat".
// The code point at byte `at` of `text` and its length in bytes: ASCII
// directly (most of the text, and most of the cost when each went through
// Xapian's decoder), the rest through Xapian::Utf8Iterator, which turns an
// invalid byte into a code point of its own as TermGenerator does.
inline std::pair<unsigned, size_t> CodePointAt(const std::string& text, size_t at) {
  const unsigned char byte = static_cast<unsigned char>(text[at]);
  if (byte < 0x80) return {byte, 1};
  const Xapian::Utf8Iterator it(text.data() + at, text.size() - at);
  Xapian::Utf8Iterator next = it;
  ++next;
  return {*it, it.left() - next.left()};
}

// Xapian's word characters among ASCII: letters, digits and '_'.
constexpr std::array<bool, 128> kAsciiWordChar = [] {
  std::array<bool, 128> table{};
  for (int c = 0; c < 128; ++c) table[c] = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
  return table;
}();

inline bool IsWordChar(unsigned ch) { return ch < 0x80 ? kAsciiWordChar[ch] : Xapian::Unicode::is_wordchar(ch); }

// By byte: an ASCII word character; an ASCII byte that is not one (a
// separator, without a decode). A byte from 0x80 on is neither: it starts
// (or continues) a code point that must be decoded.
constexpr std::array<bool, 256> kAsciiWordByte = [] {
  std::array<bool, 256> table{};
  for (int c = 0; c < 128; ++c) table[c] = kAsciiWordChar[c];
  return table;
}();
constexpr std::array<bool, 256> kAsciiSeparatorByte = [] {
  std::array<bool, 256> table{};
  for (int c = 0; c < 128; ++c) table[c] = !kAsciiWordChar[c];
  return table;
}();

// A byte of a word as WordStarts reads it: ASCII letters lowercased, 0 for
// a byte that ends the word (an ASCII separator other than the apostrophe,
// or the text's end).
inline unsigned char StartByte(std::string_view text, size_t at) {
  if (at >= text.size()) return 0;
  const unsigned char byte = static_cast<unsigned char>(text[at]);
  if (byte >= 'A' && byte <= 'Z') return static_cast<unsigned char>(byte + ('a' - 'A'));
  if (byte < 0x80 && !kAsciiWordByte[byte] && byte != '\'') return 0;
  return byte;
}

// With `starts`, a word whose first character is ASCII and that, lowercased,
// begins as no query word can has no forms built (it can match no query
// word; building its strings was most of a page's cost).
//
// The separators between words and the ASCII runs within them are skipped
// by the text's byte classes (ByteClasses), not byte by byte; a byte from
// 0x80 on is decoded where it stands.
Words SplitWords(const std::string& text, const WordStarts* starts = nullptr) {
  Words words;
  // (A word with its separator averages about six bytes: a word for every
  // four bytes fits nearly every page without a reallocation.)
  words.list.reserve(text.size() / 4 + 16);
  // (Each thread's classes are reused page after page: no allocation once
  // they have grown to the longest page.)
  thread_local ByteClasses classes;
  classes.Classify(text);
  const size_t size = text.size();
  size_t at = 0;
  while (at < size) {
    at = classes.NextNonSeparator(at);
    if (at >= size) break;
    auto [ch, length] = CodePointAt(text, at);
    if (!IsWordChar(ch)) {
      at += length;
      continue;
    }
    Word& word = words.list.emplace_back();
    word.begin = static_cast<uint32_t>(at);
    const bool build = starts == nullptr || ch >= 0x80 || starts->Admits(StartByte(text, at), StartByte(text, at + 1));
    std::string* lower = nullptr;
    if (build) {
      word.forms = static_cast<int>(words.forms.size());
      lower = &words.forms.emplace_back().lower;
    }
    bool ascii = true;
    while (at < size) {
      // A run of ASCII word characters (the common case) without a decode.
      const size_t run = at;
      at = classes.NextNonWord(at);
      if (build && at > run) {
        const size_t from = lower->size();
        lower->append(text, run, at - run);
        for (size_t i = from; i < lower->size(); ++i) {
          if ((*lower)[i] >= 'A' && (*lower)[i] <= 'Z') (*lower)[i] = static_cast<char>((*lower)[i] + ('a' - 'A'));
        }
      }
      if (at >= size) break;
      // An ASCII separator other than an apostrophe ends the word.
      const unsigned char next = static_cast<unsigned char>(text[at]);
      if (kAsciiSeparatorByte[next] && next != '\'') break;
      std::tie(ch, length) = CodePointAt(text, at);
      if (ch >= 0x80 && Xapian::Unicode::is_wordchar(ch)) {
        ascii = false;
        if (build) Xapian::Unicode::append_utf8(*lower, Xapian::Unicode::tolower(ch));
        at += length;
        continue;
      }
      if ((ch == '\'' || ch == 0x2019) && at + length < size && IsWordChar(CodePointAt(text, at + length).first)) {
        if (build) *lower += '\'';
        at += length;
        continue;
      }
      break;
    }
    word.end = static_cast<uint32_t>(at);
    if (build) {
      WordForms& forms = words.forms.back();
      forms.folded = ascii ? forms.lower : FoldAccents(forms.lower);
    }
  }
  return words;
}

// A sentence or line ends in `gap` (the text between two words).
bool SentenceBreak(std::string_view gap) {
  if (gap.find('\n') != std::string_view::npos || gap.find('\f') != std::string_view::npos) return true;
  for (size_t i = 0; i + 1 < gap.size(); ++i) {
    if ((gap[i] == '.' || gap[i] == '!' || gap[i] == '?' || gap[i] == ':') && (gap[i + 1] == ' ' || gap[i + 1] == '\t')) {
      return true;
    }
  }
  return false;
}

void AppendEscaped(std::string_view text, std::string* out) {
  for (char c : text) {
    switch (c) {
      case '&': *out += "&amp;"; break;
      case '<': *out += "&lt;"; break;
      case '>': *out += "&gt;"; break;
      default: *out += c;
    }
  }
}

// The stems of the words snippets look at, remembered by each thread, by
// stemmer: the texts of one archive share most of their words, and a stem
// costs about ten times a lookup (at 10,000 generated documents, stemming
// was half of the time an item query spent on its snippets). A thread's
// memo is emptied when it holds kStemMemoWords words of one stemmer: the
// words met most come back at once, and dossierd's 64 or more worker
// threads hold at most about 1 MiB each (a word and its stem, ~100 bytes).
class StemMemo {
 public:
  explicit StemMemo(const Xapian::Stem& stemmer) : stemmer_(stemmer), stems_(Memo()[stemmer.get_description()]) {
    if (stems_.size() > kStemMemoWords) stems_.clear();
  }
  const std::string& operator()(const std::string& word) {
    auto it = stems_.find(word);
    if (it == stems_.end()) it = stems_.emplace(word, stemmer_(word)).first;
    return it->second;
  }

 private:
  static constexpr size_t kStemMemoWords = 10000;
  using Stems = std::unordered_map<std::string, std::string>;
  static std::unordered_map<std::string, Stems>& Memo() {
    thread_local std::unordered_map<std::string, Stems> memo;
    return memo;
  }
  const Xapian::Stem& stemmer_;
  Stems& stems_;
};

}  // namespace

std::vector<std::string> QueryWords(const std::string& typed) {
  std::vector<std::string> words;
  for (WordForms& forms : SplitWords(RemoveElisions(typed)).forms) words.push_back(std::move(forms.lower));
  return words;
}

std::string LeadingSnippet(const std::string& text, size_t length) {
  const std::vector<Word> words = SplitWords(text).list;
  std::string out;
  if (words.empty()) return out;
  size_t shown = 1;  // at least the first word, however long
  while (shown < words.size() && words[shown].end <= length) ++shown;
  if (shown == words.size()) {
    AppendEscaped(text, &out);
  } else {
    AppendEscaped(std::string_view(text).substr(0, words[shown - 1].end), &out);
    out += "…";
  }
  return out;
}

namespace {

// The words of a text that match a query: each word's query word (the stem
// of its folded form, so "évaluation" and "evaluation" are one), or -1, and
// whether it is typed so; where the query's phrases start, and how long.
struct QueryMatches {
  Words words;
  std::vector<int> query_word;
  std::vector<char> exact;
  std::map<std::string, int> word_ids;
  std::vector<size_t> matches;        // the matching words, in order
  std::vector<size_t> phrase_length;  // phrase_length[i] words from word i (0: none)
};

// (`terms`, `typed`, `starts` and `phrases`: what SnippetMatcher made
// of `query` once.)
QueryMatches FindQueryMatches(const std::string& text, const SnippetQuery& query, const Xapian::Stem& stemmer,
                              const std::unordered_set<std::string>& terms,
                              const std::unordered_set<std::string>& typed,
                              const WordStarts& starts,
                              const std::vector<std::vector<std::string>>& phrases) {
  StemMemo stem(stemmer);
  auto may_match = [&starts](const WordForms& w) {  // (an empty word begins as no query word)
    return (!w.lower.empty() && starts.Admits(StartByte(w.lower, 0), StartByte(w.lower, 1))) ||
           (!w.folded.empty() && starts.Admits(StartByte(w.folded, 0), StartByte(w.folded, 1)));
  };
  QueryMatches m;
  m.words = SplitWords(text, &starts);
  const std::vector<Word>& words = m.words.list;
  const size_t n = words.size();
  m.query_word.assign(n, -1);
  m.exact.assign(n, 0);
  // A word met again is looked up once (`looked_up`: its query word, or -1).
  std::unordered_map<std::string_view, int> looked_up;
  for (size_t i = 0; i < n; ++i) {
    if (words[i].forms < 0) continue;  // not built: it may match no query word
    const WordForms& w = m.words.FormsOf(words[i]);
    if (!may_match(w)) continue;
    auto [known, added] = looked_up.try_emplace(w.lower, -1);
    if (added) {
      bool hit = terms.count(w.lower) || terms.count("Z" + stem(w.lower));
      if (!hit && w.folded != w.lower) hit = terms.count("XF" + w.folded) || terms.count("ZXF" + stem(w.folded));
      if (hit) {
        known->second = m.word_ids.emplace("Z" + stem(w.folded), static_cast<int>(m.word_ids.size())).first->second;
      } else {
        // A wildcard's expansions are words of their own, as the terms
        // that matched are in BestPage.
        for (const std::string& prefix : query.prefixes) {
          if (w.folded.compare(0, prefix.size(), prefix) == 0) {
            known->second = m.word_ids.emplace(w.folded, static_cast<int>(m.word_ids.size())).first->second;
            break;
          }
        }
      }
    }
    if (known->second < 0) continue;
    m.query_word[i] = known->second;
    m.exact[i] = typed.count(w.folded) ? 1 : 0;
    m.matches.push_back(i);
  }
  m.phrase_length.assign(n, 0);
  if (m.matches.empty()) return m;
  for (const std::vector<std::string>& phrase : phrases) {
    if (phrase.size() < 2 || phrase.size() > n) continue;
    for (size_t start = 0; start + phrase.size() <= n; ++start) {
      bool whole = true;
      for (size_t k = 0; k < phrase.size() && whole; ++k) {
        const WordForms& w = m.words.FormsOf(words[start + k]);
        whole = phrase[k] == w.lower || phrase[k] == "XF" + w.folded;
      }
      if (whole) m.phrase_length[start] = std::max(m.phrase_length[start], phrase.size());
    }
  }
  return m;
}

}  // namespace

void WordStarts::Add(std::string_view word) {
  if (word.empty()) return;
  const unsigned char first = StartByte(word, 0), second = StartByte(word, 1);
  if (first == 0) return;  // begins with no word character: no page word begins so
  firsts_.set(first);
  if (second == 0 || second >= 0x80) {
    any_second_.set(first);
  } else {
    pairs_.set(static_cast<size_t>(first) * 128 + second);
    // English stems "dying", "lying" and "tying" as "die", "lie" and "tie".
    if (second == 'i') pairs_.set(static_cast<size_t>(first) * 128 + 'y');
  }
}

SnippetMatcher::SnippetMatcher(SnippetQuery query) : query_(std::move(query)) {
  terms_.insert(query_.terms.begin(), query_.terms.end());
  // How the query's words begin (past Z, ZXF, XF): a word beginning
  // otherwise, as typed and folded, matches none of them, and is not
  // stemmed (WordStarts).
  for (const std::string& term : query_.terms) {
    std::string_view word = term;
    for (std::string_view prefix : {"ZXF", "XF", "Z"}) {
      if (word.substr(0, prefix.size()) == prefix) {
        word.remove_prefix(prefix.size());
        break;
      }
    }
    starts_.Add(word);
  }
  for (const std::string& prefix : query_.prefixes) starts_.Add(prefix);
  for (const WordForms& w : SplitWords(RemoveElisions(query_.typed)).forms) typed_.insert(w.folded);
  const std::set<std::vector<std::string>> distinct(query_.phrases.begin(), query_.phrases.end());
  phrases_.assign(distinct.begin(), distinct.end());
}

PageScore ScorePage(const std::string& text, const SnippetQuery& query, const Xapian::Stem& stem) {
  return SnippetMatcher(query).Score(text, stem);
}

std::string BestPassageSnippet(const std::string& text, const SnippetQuery& query, const Xapian::Stem& stem,
                               size_t length) {
  return SnippetMatcher(query).BestPassage(text, stem, length);
}

PageScore SnippetMatcher::Score(const std::string& text, const Xapian::Stem& stem) const {
  const QueryMatches m = FindQueryMatches(text, query_, stem, terms_, typed_, starts_, phrases_);
  PageScore score;
  score.phrases = static_cast<size_t>(std::count_if(m.phrase_length.begin(), m.phrase_length.end(), [](size_t l) { return l > 0; }));
  std::set<int> distinct;
  for (size_t i : m.matches) distinct.insert(m.query_word[i]);
  score.words = distinct.size();
  score.matches = m.matches.size();
  return score;
}

std::string SnippetMatcher::BestPassage(const std::string& text, const Xapian::Stem& stemmer, size_t length) const {
  const QueryMatches m = FindQueryMatches(text, query_, stemmer, terms_, typed_, starts_, phrases_);
  if (m.matches.empty()) return "";
  const std::vector<Word>& words = m.words.list;
  const size_t n = words.size();
  const std::vector<int>& query_word = m.query_word;
  const std::vector<char>& exact = m.exact;
  const std::map<std::string, int>& word_ids = m.word_ids;
  const std::vector<size_t>& matches = m.matches;
  const std::vector<size_t>& phrase_length = m.phrase_length;

  // The best window of at most `length` bytes that starts at a matching word.
  using Score = std::tuple<size_t, size_t, size_t, size_t>;  // phrases, query words, typed ones, matching words
  Score best_score{};
  size_t best_first = n, best_last = n;
  std::vector<size_t> seen(word_ids.size(), n), seen_exact(word_ids.size(), n);
  for (size_t first : matches) {
    Score score{};
    size_t last = first;
    for (size_t j = first; j < n && words[j].end - words[first].begin <= length; ++j) {
      if (phrase_length[j] && j + phrase_length[j] - 1 < n &&
          words[j + phrase_length[j] - 1].end - words[first].begin <= length) {
        ++std::get<0>(score);
        last = std::max(last, j + phrase_length[j] - 1);
      }
      if (query_word[j] < 0) continue;
      const size_t c = static_cast<size_t>(query_word[j]);
      if (seen[c] != first) {
        seen[c] = first;
        ++std::get<1>(score);
      }
      if (exact[j] && seen_exact[c] != first) {
        seen_exact[c] = first;
        ++std::get<2>(score);
      }
      ++std::get<3>(score);
      last = std::max(last, j);
    }
    if (best_first == n || score > best_score) {
      best_score = score;
      best_first = first;
      best_last = last;
    }
  }

  // Context around the passage: the room left, shared before and after.
  const size_t span_begin = words[best_first].begin, span_end = words[best_last].end;
  const size_t span = span_end - span_begin;
  const size_t slack = length > span ? length - span : 0;
  const size_t after = std::min(text.size() - span_end, slack - std::min(span_begin, slack / 2));
  const size_t before = std::min(span_begin, slack - after);
  size_t from = best_first;
  while (from > 0 && words[from - 1].begin >= span_begin - before) --from;
  // Start at a sentence or line start in that context, when there is one.
  for (size_t k = from; k < best_first; ++k) {
    if (k > 0 && SentenceBreak(std::string_view(text).substr(words[k - 1].end, words[k].begin - words[k - 1].end))) {
      from = k;
      break;
    }
  }
  size_t to = best_last;
  while (to + 1 < n && words[to + 1].end <= span_end + after) ++to;

  // A query word shown as typed somewhere in the snippet has only those
  // forms marked; one shown only through stem variants has them marked.
  std::vector<char> typed_shown(word_ids.size(), 0);
  for (size_t i = from; i <= to; ++i) {
    if (query_word[i] >= 0 && exact[i]) typed_shown[static_cast<size_t>(query_word[i])] = 1;
  }

  std::string out;
  const bool at_start =
      from == 0 || SentenceBreak(std::string_view(text).substr(words[from - 1].end, words[from].begin - words[from - 1].end));
  if (!at_start) out += "…";
  size_t at = words[from].begin;
  for (size_t i = from; i <= to; ++i) {
    size_t mark_end = 0;
    if (phrase_length[i] && i + phrase_length[i] - 1 <= to) {
      mark_end = i + phrase_length[i] - 1;
    } else if (query_word[i] >= 0 && (exact[i] || !typed_shown[static_cast<size_t>(query_word[i])])) {
      mark_end = i;
    } else {
      continue;
    }
    AppendEscaped(std::string_view(text).substr(at, words[i].begin - at), &out);
    out += "<mark>";
    AppendEscaped(std::string_view(text).substr(words[i].begin, words[mark_end].end - words[i].begin), &out);
    out += "</mark>";
    at = words[mark_end].end;
    i = mark_end;
  }
  AppendEscaped(std::string_view(text).substr(at, words[to].end - at), &out);
  // Closing punctuation right after the last word, then "…" unless the text
  // or a sentence ends there.
  size_t tail = words[to].end;
  while (tail < text.size() && tail - words[to].end < 4 && std::string_view(".,;:!?)]}\"'").find(text[tail]) != std::string_view::npos) {
    ++tail;
  }
  AppendEscaped(std::string_view(text).substr(words[to].end, tail - words[to].end), &out);
  const bool sentence_end = tail > words[to].end && std::string_view(".!?").find(text[tail - 1]) != std::string_view::npos;
  if (to + 1 < n && !sentence_end) out += "…";
  return out;
}

}  // namespace dossier
