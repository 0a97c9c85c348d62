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
#include "function_words.h"

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

// Which words SplitInto gives forms: every word, the words `starts`
// admits, or none.
enum class Build { kAll, kAdmitted, kNone };

// Appends to `words` the words of `text` that begin in [from, to), `from`
// being a boundary of `classes` (ByteClasses::NextBoundary) or the text's
// start, and stops after the first word that ends past `stop`. With
// Build::kAdmitted, a word whose first character is ASCII and that,
// lowercased, begins as no query word can has no forms built (it can match
// no query word; building its strings was most of a page's cost), and is
// left out unless `keep_unbuilt`.
//
// The separators between words and the ASCII runs within them are skipped
// by the text's byte classes (ByteClasses), not byte by byte; a byte from
// 0x80 on is decoded where it stands.
void SplitInto(const std::string& text, const ByteClasses& classes, size_t from, size_t to, size_t stop,
               Build rule, const WordStarts* starts, bool keep_unbuilt, Words* words) {
  const size_t size = text.size();
  size_t at = from;
  while (at < to) {
    at = classes.NextNonSeparator(at);
    if (at >= to) break;
    auto [ch, length] = CodePointAt(text, at);
    if (!IsWordChar(ch)) {
      at += length;
      continue;
    }
    const size_t begin = at;
    const bool build = rule == Build::kAll ||
                       (rule == Build::kAdmitted &&
                        (ch >= 0x80 || starts->Admits(StartByte(text, at), StartByte(text, at + 1))));
    std::string* lower = nullptr;
    if (build) lower = &words->forms.emplace_back().lower;
    bool ascii = true;
    while (at < size) {
      // A run of ASCII word characters (the common case) without a decode.
      const size_t run = at;
      at = classes.NextNonWord(at);
      if (build && at > run) {
        const size_t from_byte = lower->size();
        lower->append(text, run, at - run);
        for (size_t i = from_byte; i < lower->size(); ++i) {
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
    if (build || keep_unbuilt) {
      Word& word = words->list.emplace_back();
      word.begin = static_cast<uint32_t>(begin);
      word.end = static_cast<uint32_t>(at);
      if (build) {
        word.forms = static_cast<int>(words->forms.size() - 1);
        WordForms& forms = words->forms.back();
        forms.folded = ascii ? forms.lower : FoldAccents(forms.lower);
      }
    }
    if (at > stop) break;
  }
}

// Each thread's classes are reused page after page: no allocation once they
// have grown to the longest page.
ByteClasses& ClassesOf(const std::string& text) {
  thread_local ByteClasses classes;
  classes.Classify(text);
  return classes;
}

// Every word of `text`, with forms (QueryWords, LeadingSnippet).
Words SplitWords(const std::string& text) {
  Words words;
  // (A word with its separator averages about six bytes: a word for every
  // four bytes fits nearly every page without a reallocation.)
  words.list.reserve(text.size() / 4 + 16);
  SplitInto(text, ClassesOf(text), 0, text.size(), text.size(), Build::kAll, nullptr, false, &words);
  return words;
}

// The words of `text` that `starts` admits, with their forms: those that
// may match a query, in order (`classes` classify `text`). Most words of a
// page are never visited: a run between two boundaries of ASCII word
// characters alone is one word, admitted or not by its first two bytes; only
// a run with an apostrophe or a byte from 0x80 on is split word by word.
// (Splitting every word of the ten hits' pages was 14 % of a search's
// instructions on 626 real PDFs.)
Words AdmittedWords(const std::string& text, const ByteClasses& classes, const WordStarts& starts) {
  // The runs to look at, by where they start: those whose first byte, an
  // ASCII one lowercased, may begin an admitted word, and those that hold an
  // apostrophe or a byte from 0x80 on. (Each thread's lists are reused page
  // after page.)
  thread_local std::vector<uint32_t> runs, odd_runs, both;
  runs.clear();
  odd_runs.clear();
  auto admit = [&](size_t run) {
    if (starts.MayAdmit(StartByte(text, run))) runs.push_back(static_cast<uint32_t>(run));
  };
  // (A run that starts with a byte from 0x80 on, or an apostrophe, is among
  // `odd_runs` below: only those with an ASCII word byte first are looked
  // for here, by the bytes that begin the admitted words.)
  const std::vector<unsigned char>& firsts = starts.AsciiFirstsBit5();
  if (firsts.size() <= ByteClasses::kMaxStartValues) {
    classes.ForEachRunStartWith(text, firsts.data(), firsts.size(), admit);
  } else {
    classes.ForEachRunStart(admit);
  }
  for (size_t at = classes.NextApostropheOrHigh(0); at < text.size();) {
    odd_runs.push_back(static_cast<uint32_t>(classes.RunStartOf(at)));
    at = classes.NextApostropheOrHigh(classes.NextBoundary(at));
  }
  if (!odd_runs.empty()) {
    both.resize(runs.size() + odd_runs.size());
    both.erase(std::set_union(runs.begin(), runs.end(), odd_runs.begin(), odd_runs.end(), both.begin()), both.end());
    runs.swap(both);
  }
  Words words;
  // (Nearly always one word a run: room for them all at once.)
  words.list.reserve(runs.size());
  words.forms.reserve(runs.size());
  for (const uint32_t run : runs) {
    const size_t run_end = classes.NextBoundary(run);
    if (classes.AnyApostropheOrHigh(run, run_end)) {
      SplitInto(text, classes, run, run_end, text.size(), Build::kAdmitted, &starts, false, &words);
    } else if (starts.Admits(StartByte(text, run), StartByte(text, run + 1))) {
      Word& word = words.list.emplace_back();
      word.begin = run;
      word.end = static_cast<uint32_t>(run_end);
      word.forms = static_cast<int>(words.forms.size());
      WordForms& forms = words.forms.emplace_back();
      forms.lower.assign(text, run, run_end - run);
      for (char& c : forms.lower) {
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c + ('a' - 'A'));
      }
      forms.folded = forms.lower;
    }
  }
  return words;
}

// Where the first word that begins at or after `at` begins (`at` being a
// word's end, a boundary or the text's start), or the text's size.
size_t NextWordBegin(const std::string& text, const ByteClasses& classes, size_t at) {
  while (at < text.size()) {
    at = classes.NextNonSeparator(at);
    if (at >= text.size()) break;
    const auto [ch, length] = CodePointAt(text, at);
    if (IsWordChar(ch)) return at;
    at += length;
  }
  return text.size();
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
  // The runs between the characters escaped appended whole (a character at
  // a time was 1.6 % of a search's instructions).
  size_t run = 0;  // where the run not yet appended begins
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c != '&' && c != '<' && c != '>') continue;
    out->append(text.data() + run, i - run);
    *out += c == '&' ? "&amp;" : c == '<' ? "&lt;" : "&gt;";
    run = i + 1;
  }
  out->append(text.data() + run, text.size() - run);
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

// A word of a text that matches a query or starts one of its phrases.
struct Match {
  uint32_t begin = 0, end = 0;  // the word's bytes
  int query_word = -1;          // its query word (the stem of its folded form), or -1
  bool exact = false;           // it is typed so (accents aside)
  uint32_t phrase_end = 0;      // where the longest phrase it starts ends, or 0 (none)
};

// The words of a text that match a query, in order: each word's query word
// (the stem of its folded form, so "évaluation" and "evaluation" are one),
// or -1, and whether it is typed so; where the query's phrases start, and
// where they end. Words that neither match nor start a phrase are left out.
struct QueryMatches {
  std::vector<Match> words;
  size_t query_words = 0;  // distinct
  size_t matches = 0;      // words with a query word
  size_t phrases = 0;      // words that start a phrase
};

// The query word of each distinct word of a page, looked up once: a flat
// table of open addressing, reused page after page by its thread (a node
// allocated for each distinct word, and the page's vectors, were a fifth of
// the allocations of a search on 626 real PDFs).
class LookedUpWords {
 public:
  // Empties the table, with room for `words` distinct words.
  void Reset(size_t words) {
    size_t capacity = 16;
    while (capacity < 2 * words) capacity <<= 1;
    if (slots_.size() < capacity) slots_.resize(capacity);
    mask_ = capacity - 1;
    std::fill_n(slots_.begin(), capacity, Slot());
  }
  // The value kept for `word` (which must outlive the table's next Reset),
  // and whether it was added now, with `value`.
  std::pair<int*, bool> TryEmplace(std::string_view word, int value) {
    for (size_t at = std::hash<std::string_view>()(word) & mask_;; at = (at + 1) & mask_) {
      Slot& slot = slots_[at];
      if (!slot.used) {
        slot = Slot{word, value, true};
        return {&slot.value, true};
      }
      if (slot.word == word) return {&slot.value, false};
    }
  }

 private:
  struct Slot {
    std::string_view word;
    int value = -1;
    bool used = false;
  };
  std::vector<Slot> slots_;
  size_t mask_ = 0;
};

// (`terms`, `typed`, `starts` and `phrases`: what SnippetMatcher made
// of `query` once; `classes` classify `text`.)
QueryMatches FindQueryMatches(const std::string& text, const ByteClasses& classes, const SnippetQuery& query,
                              const Xapian::Stem& stemmer, const std::unordered_set<std::string>& terms,
                              const std::unordered_set<std::string>& typed, const WordStarts& starts,
                              const std::vector<std::vector<std::string>>& phrases,
                              const std::unordered_set<std::string>* left_out = nullptr) {
  StemMemo stem(stemmer);
  auto may_match = [&starts](const WordForms& w) {  // (an empty word begins as no query word)
    return (!w.lower.empty() && starts.Admits(StartByte(w.lower, 0), StartByte(w.lower, 1))) ||
           (!w.folded.empty() && starts.Admits(StartByte(w.folded, 0), StartByte(w.folded, 1)));
  };
  // Only the words that may match a query word are split out of the text.
  const Words words = AdmittedWords(text, classes, starts);
  const size_t n = words.list.size();
  // (Each thread's, reused page after page.)
  thread_local std::vector<int> query_word;
  thread_local std::vector<char> exact;
  thread_local std::vector<uint32_t> phrase_end;
  thread_local std::vector<signed char> next_adjacent;
  thread_local LookedUpWords looked_up;
  query_word.assign(n, -1);
  exact.assign(n, 0);
  std::map<std::string, int> word_ids;
  size_t matches = 0;
  // A word met again is looked up once (`looked_up`: its query word, or -1).
  looked_up.Reset(n);
  size_t left_out_matches = 0;  // distinct words left out (`left_out`)
  for (size_t i = 0; i < n; ++i) {
    const WordForms& w = words.FormsOf(words.list[i]);
    if (!may_match(w)) continue;
    auto [value, added] = looked_up.TryEmplace(w.lower, -1);
    int* const known_word = value;
    if (added) {
      bool hit = terms.count(w.lower) || terms.count("Z" + stem(w.lower));
      if (!hit && w.folded != w.lower) hit = terms.count("XF" + w.folded) || terms.count("ZXF" + stem(w.folded));
      if (hit) {
        std::string key = "Z" + stem(w.folded);
        // A function word of the text's language, when the query has other
        // words: neither counted nor marked (SnippetMatcher::ViewFor), but
        // a phrase of them is still looked for below.
        if (left_out != nullptr && left_out->count(key)) {
          ++left_out_matches;
        } else {
          *known_word = word_ids.emplace(std::move(key), static_cast<int>(word_ids.size())).first->second;
        }
      } else {
        // A wildcard's expansions are words of their own, as the terms
        // that matched are in BestPage.
        for (const std::string& prefix : query.prefixes) {
          if (w.folded.compare(0, prefix.size(), prefix) == 0) {
            *known_word = word_ids.emplace(w.folded, static_cast<int>(word_ids.size())).first->second;
            break;
          }
        }
      }
    }
    if (*known_word < 0) continue;
    query_word[i] = *known_word;
    exact[i] = typed.count(w.folded) ? 1 : 0;
    ++matches;
  }
  QueryMatches m;
  m.query_words = word_ids.size();
  m.matches = matches;
  if (matches == 0 && (left_out_matches == 0 || phrases.empty())) return m;
  // A phrase's words are admitted words that follow one another in the
  // text, with no other word between (`next_adjacent[i]`: word i + 1 is the
  // word after word i; -1 until asked).
  phrase_end.assign(n, 0);
  next_adjacent.assign(n, -1);
  auto adjacent = [&](size_t i) {
    if (next_adjacent[i] < 0) {
      next_adjacent[i] = NextWordBegin(text, classes, words.list[i].end) == words.list[i + 1].begin ? 1 : 0;
    }
    return next_adjacent[i] == 1;
  };
  for (const std::vector<std::string>& phrase : phrases) {
    if (phrase.size() < 2 || phrase.size() > n) continue;
    for (size_t start = 0; start + phrase.size() <= n; ++start) {
      bool whole = true;
      for (size_t k = 0; k < phrase.size() && whole; ++k) {
        const WordForms& w = words.FormsOf(words.list[start + k]);
        whole = (phrase[k] == w.lower || phrase[k] == "XF" + w.folded) && (k == 0 || adjacent(start + k - 1));
      }
      if (whole) phrase_end[start] = std::max(phrase_end[start], words.list[start + phrase.size() - 1].end);
    }
  }
  m.words.reserve(matches);
  for (size_t i = 0; i < n; ++i) {
    if (query_word[i] < 0 && phrase_end[i] == 0) continue;
    Match& match = m.words.emplace_back();
    match.begin = words.list[i].begin;
    match.end = words.list[i].end;
    match.query_word = query_word[i];
    match.exact = exact[i] != 0;
    match.phrase_end = phrase_end[i];
    if (phrase_end[i] != 0) ++m.phrases;
  }
  return m;
}

// The words of `text` around [from_byte, to_byte]: from a word that
// begins before `from_byte` (or the text's first word) through the
// first word that ends past `to_byte` (or the text's last word), split from
// boundaries as the whole text would be.
std::vector<Word> WordsAround(const std::string& text, const ByteClasses& classes, size_t from_byte, size_t to_byte) {
  // (From a little before `from_byte`: a split from there nearly always
  // holds a word that begins before it.)
  size_t split_from = classes.BoundaryAtOrBefore(from_byte > 32 ? from_byte - 32 : 0);
  Words words;
  SplitInto(text, classes, split_from, text.size(), to_byte, Build::kNone, nullptr, true, &words);
  // Until a word begins before `from_byte`: the words of the bytes further
  // back, twice as many each time, put before them (each byte split once).
  for (size_t back = 64; split_from > 0 && (words.list.empty() || words.list.front().begin >= from_byte); back *= 2) {
    const size_t earlier = classes.BoundaryAtOrBefore(split_from > back ? split_from - back : 0);
    Words before;
    SplitInto(text, classes, earlier, split_from, text.size(), Build::kNone, nullptr, true, &before);
    before.list.insert(before.list.end(), words.list.begin(), words.list.end());
    words.list.swap(before.list);
    split_from = earlier;
  }
  return std::move(words.list);
}

}  // namespace

void WordStarts::Add(std::string_view word) {
  if (word.empty()) return;
  const unsigned char first = StartByte(word, 0), second = StartByte(word, 1);
  if (first == 0) return;  // begins with no word character: no page word begins so
  firsts_.set(first);
  if (first < 0x80) {
    const auto bit5 = static_cast<unsigned char>(first | 0x20);
    if (std::find(ascii_firsts_bit5_.begin(), ascii_firsts_bit5_.end(), bit5) == ascii_firsts_bit5_.end()) {
      ascii_firsts_bit5_.push_back(bit5);
    }
  }
  if (second == 0 || second >= 0x80) {
    any_second_.set(first);
  } else {
    pairs_.set(static_cast<size_t>(first) * 128 + second);
    // English stems "dying", "lying" and "tying" as "die", "lie" and "tie".
    if (second == 'i') pairs_.set(static_cast<size_t>(first) * 128 + 'y');
  }
}

namespace {

// A page term's word: past its Z, ZXF or XF prefix.
std::string_view BareWord(std::string_view term) {
  for (std::string_view prefix : {"ZXF", "XF", "Z"}) {
    if (term.substr(0, prefix.size()) == prefix) return term.substr(prefix.size());
  }
  return term;
}

}  // namespace

SnippetMatcher::SnippetMatcher(SnippetQuery query) : query_(std::move(query)) {
  terms_.insert(query_.terms.begin(), query_.terms.end());
  // How the query's words begin (past Z, ZXF, XF): a word beginning
  // otherwise, as typed and folded, matches none of them, and is not
  // stemmed (WordStarts).
  for (const std::string& term : query_.terms) starts_.Add(BareWord(term));
  for (const std::string& prefix : query_.prefixes) starts_.Add(prefix);
  for (const WordForms& w : SplitWords(RemoveElisions(query_.typed)).forms) {
    typed_.insert(w.folded);
    typed_words_.emplace_back(w.lower, w.folded);
  }
  const std::set<std::vector<std::string>> distinct(query_.phrases.begin(), query_.phrases.end());
  phrases_.assign(distinct.begin(), distinct.end());
}

std::shared_ptr<const SnippetMatcher::LanguageView> SnippetMatcher::ViewFor(const std::string& language,
                                                                            const Xapian::Stem& stem) const {
  if (language.empty() || !KnowsFunctionWords(language)) return nullptr;
  std::lock_guard<std::mutex> lock(views_mutex_);
  auto [view, added] = views_.try_emplace(language);
  if (!added) return view->second;
  // The forms a word's terms take in this language (bare of their Z, XF and
  // ZXF prefixes), and its key, for the function words and the others.
  std::unordered_set<std::string> function_forms, other_forms, function_keys, other_keys;
  for (const auto& [lower, folded] : typed_words_) {
    const bool function_word = IsFunctionWord(language, lower);
    auto& forms = function_word ? function_forms : other_forms;
    forms.insert({lower, folded, stem(lower), stem(folded)});
    (function_word ? function_keys : other_keys).insert("Z" + stem(folded));
  }
  if (function_keys.empty() || other_keys.empty()) return nullptr;  // none, or nothing else: all count
  auto made = std::make_shared<LanguageView>();
  for (const std::string& key : function_keys) {
    if (!other_keys.count(key)) made->left_out.insert(key);
  }
  if (made->left_out.empty()) return nullptr;
  // Only the words that may still match are split out of a page: the other
  // words' terms, every phrase's, and the wildcards'.
  for (const std::string& term : query_.terms) {
    const std::string bare(BareWord(term));
    if (function_forms.count(bare) && !other_forms.count(bare)) continue;
    made->starts.Add(bare);
  }
  for (const std::vector<std::string>& phrase : phrases_) {
    for (const std::string& term : phrase) made->starts.Add(BareWord(term));
  }
  for (const std::string& prefix : query_.prefixes) made->starts.Add(prefix);
  view->second = std::move(made);
  return view->second;
}

PageScore ScorePage(const std::string& text, const SnippetQuery& query, const Xapian::Stem& stem) {
  return SnippetMatcher(query).Score(text, stem);
}

std::string BestPassageSnippet(const std::string& text, const SnippetQuery& query, const Xapian::Stem& stem,
                               size_t length) {
  return SnippetMatcher(query).BestPassage(text, stem, length);
}

PageScore SnippetMatcher::Score(const std::string& text, const Xapian::Stem& stem, const std::string& language) const {
  const std::shared_ptr<const LanguageView> view = ViewFor(language, stem);
  const QueryMatches m = FindQueryMatches(text, ClassesOf(text), query_, stem, terms_, typed_,
                                          view ? view->starts : starts_, phrases_, view ? &view->left_out : nullptr);
  PageScore score;
  score.phrases = m.phrases;
  score.words = m.query_words;
  score.matches = m.matches;
  return score;
}

std::string SnippetMatcher::BestPassage(const std::string& text, const Xapian::Stem& stemmer, size_t length,
                                        const std::string& language) const {
  const ByteClasses& classes = ClassesOf(text);
  const std::shared_ptr<const LanguageView> view = ViewFor(language, stemmer);
  QueryMatches m = FindQueryMatches(text, classes, query_, stemmer, terms_, typed_, view ? view->starts : starts_,
                                    phrases_, view ? &view->left_out : nullptr);
  // A page where the query's function words are all that match (a title
  // match): those, rather than no passage.
  bool leaving_out = view != nullptr;
  if (m.matches == 0 && view) {
    m = FindQueryMatches(text, classes, query_, stemmer, terms_, typed_, starts_, phrases_);
    leaving_out = false;
  }
  if (m.matches == 0) return "";
  const std::vector<Match>& matches = m.words;
  const size_t count = matches.size();

  // The best window of at most `length` bytes that starts at a matching
  // word. (The words that neither match nor start a phrase add nothing to
  // a window's score: only the others are looked at.)
  using Score = std::tuple<size_t, size_t, size_t, size_t>;  // phrases, query words, typed ones, matching words
  Score best_score{};
  size_t best_first = count;
  uint32_t best_end = 0;
  std::vector<size_t> seen(m.query_words, count), seen_exact(m.query_words, count);
  // (With the function words left out, a window may also start at a
  // phrase: one of function words only, "to be", starts at no query word.)
  for (size_t first = 0; first < count; ++first) {
    if (matches[first].query_word < 0 && (!leaving_out || matches[first].phrase_end == 0)) continue;
    const uint32_t begin = matches[first].begin;
    Score score{};
    uint32_t end = matches[first].end;
    for (size_t j = first; j < count && matches[j].end - begin <= length; ++j) {
      const Match& word = matches[j];
      if (word.phrase_end != 0 && word.phrase_end - begin <= length) {
        ++std::get<0>(score);
        end = std::max(end, word.phrase_end);
      }
      if (word.query_word < 0) continue;
      const size_t c = static_cast<size_t>(word.query_word);
      if (seen[c] != first) {
        seen[c] = first;
        ++std::get<1>(score);
      }
      if (word.exact && seen_exact[c] != first) {
        seen_exact[c] = first;
        ++std::get<2>(score);
      }
      ++std::get<3>(score);
      end = std::max(end, word.end);
    }
    if (best_first == count || score > best_score) {
      best_score = score;
      best_first = first;
      best_end = end;
    }
  }

  // Context around the passage: the room left, shared before and after.
  const size_t span_begin = matches[best_first].begin, span_end = best_end;
  const size_t span = span_end - span_begin;
  const size_t slack = length > span ? length - span : 0;
  const size_t after = std::min(text.size() - span_end, slack - std::min(span_begin, slack / 2));
  const size_t before = std::min(span_begin, slack - after);
  // The words there, split from the text around them only.
  const std::vector<Word> words = WordsAround(text, classes, span_begin - before, span_end + after);
  const size_t n = words.size();
  size_t passage_first = 0;
  while (words[passage_first].begin != span_begin) ++passage_first;
  size_t from = passage_first;
  while (from > 0 && words[from - 1].begin >= span_begin - before) --from;
  // (`from` is 0 only at the text's first word: WordsAround splits from a
  // word before the context.)
  // Start at a sentence or line start in that context, when there is one.
  for (size_t k = from; k < passage_first; ++k) {
    if (k > 0 && SentenceBreak(std::string_view(text).substr(words[k - 1].end, words[k].begin - words[k - 1].end))) {
      from = k;
      break;
    }
  }
  size_t to = passage_first;
  while (to + 1 < n && words[to + 1].end <= span_end + after) ++to;

  // Each word of the snippet that matches or starts a phrase (`match_of`:
  // its Match, or none).
  std::vector<const Match*> match_of(to - from + 1, nullptr);
  {
    size_t j = 0;
    for (size_t i = from; i <= to; ++i) {
      while (j < count && matches[j].begin < words[i].begin) ++j;
      if (j < count && matches[j].begin == words[i].begin) match_of[i - from] = &matches[j];
    }
  }
  // A query word shown as typed somewhere in the snippet has only those
  // forms marked; one shown only through stem variants has them marked.
  std::vector<char> typed_shown(m.query_words, 0);
  for (const Match* match : match_of) {
    if (match && match->query_word >= 0 && match->exact) typed_shown[static_cast<size_t>(match->query_word)] = 1;
  }

  std::string out;
  const bool at_start =
      from == 0 || SentenceBreak(std::string_view(text).substr(words[from - 1].end, words[from].begin - words[from - 1].end));
  if (!at_start) out += "…";
  size_t at = words[from].begin;
  for (size_t i = from; i <= to; ++i) {
    const Match* match = match_of[i - from];
    if (!match) continue;
    size_t mark_end = 0;
    if (match->phrase_end != 0 && match->phrase_end <= words[to].end) {
      mark_end = i;
      while (words[mark_end].end < match->phrase_end) ++mark_end;
    } else if (match->query_word >= 0 && (match->exact || !typed_shown[static_cast<size_t>(match->query_word)])) {
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
