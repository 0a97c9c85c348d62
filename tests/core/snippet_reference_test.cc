// BestPassageSnippet and ScorePage split only the words of a page that may
// match and the words around the passage shown. These tests hold them to a
// reference that splits every word of the page, one code point at a time,
// and chooses and shows the passage as the snippet rules say (snippet.h):
// over random texts of words, accents, apostrophes, elision marks,
// punctuation, line breaks and stray bytes, and random queries with
// phrases and wildcard prefixes, both must give the same snippet and score.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <random>
#include <set>
#include <string>
#include <string_view>
#include <tuple>
#include <unordered_set>
#include <vector>

#include "dossier/text.h"
#include "snippet.h"

namespace dossier {
namespace {

struct RefWord {
  size_t begin = 0, end = 0;
  bool built = false;
  std::string lower, folded;
};

bool RefWordChar(unsigned ch) {
  if (ch < 0x80) return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') || ch == '_';
  return Xapian::Unicode::is_wordchar(ch);
}

unsigned char RefStartByte(std::string_view text, size_t at) {
  if (at >= text.size()) return 0;
  const auto byte = static_cast<unsigned char>(text[at]);
  if (byte >= 'A' && byte <= 'Z') return static_cast<unsigned char>(byte + ('a' - 'A'));
  if (byte < 0x80 && !RefWordChar(byte) && byte != '\'') return 0;
  return byte;
}

// Every word of `text`: runs of word characters, an apostrophe (' or ’)
// kept between two of them; a word is built (given its forms) when its
// first character is not ASCII or `starts` admits its first two bytes.
std::vector<RefWord> RefWords(const std::string& text, const WordStarts& starts) {
  struct CodePoint {
    unsigned ch;
    size_t at, length;
  };
  std::vector<CodePoint> points;
  for (size_t at = 0; at < text.size();) {
    const auto byte = static_cast<unsigned char>(text[at]);
    if (byte < 0x80) {
      points.push_back({byte, at, 1});
      ++at;
      continue;
    }
    const Xapian::Utf8Iterator it(text.data() + at, text.size() - at);
    Xapian::Utf8Iterator next = it;
    ++next;
    const size_t length = it.left() - next.left();
    points.push_back({*it, at, length});
    at += length;
  }
  std::vector<RefWord> words;
  for (size_t i = 0; i < points.size();) {
    if (!RefWordChar(points[i].ch)) {
      ++i;
      continue;
    }
    RefWord word;
    word.begin = points[i].at;
    word.built = points[i].ch >= 0x80 || starts.Admits(RefStartByte(text, word.begin), RefStartByte(text, word.begin + 1));
    bool ascii = true;
    size_t j = i;
    for (; j < points.size(); ++j) {
      const unsigned ch = points[j].ch;
      if (RefWordChar(ch)) {
        if (ch >= 0x80) ascii = false;
        if (ch < 0x80) {
          word.lower += static_cast<char>(ch >= 'A' && ch <= 'Z' ? ch + ('a' - 'A') : ch);
        } else {
          Xapian::Unicode::append_utf8(word.lower, Xapian::Unicode::tolower(ch));
        }
      } else if ((ch == '\'' || ch == 0x2019) && j > i && j + 1 < points.size() && RefWordChar(points[j + 1].ch)) {
        word.lower += '\'';
      } else {
        break;
      }
    }
    word.end = j < points.size() ? points[j].at : text.size();
    word.folded = ascii ? word.lower : FoldAccents(word.lower);
    if (!word.built) word.lower.clear(), word.folded.clear();
    words.push_back(std::move(word));
    i = j;
  }
  return words;
}

bool RefSentenceBreak(std::string_view gap) {
  if (gap.find('\n') != std::string_view::npos || gap.find('\f') != std::string_view::npos) return true;
  for (size_t i = 0; i + 1 < gap.size(); ++i) {
    if (std::string_view(".!?:").find(gap[i]) != std::string_view::npos && (gap[i + 1] == ' ' || gap[i + 1] == '\t')) return true;
  }
  return false;
}

void RefEscaped(std::string_view text, std::string* out) {
  for (char c : text) *out += c == '&' ? "&amp;" : c == '<' ? "&lt;" : c == '>' ? "&gt;" : std::string(1, c);
}

struct RefMatches {
  std::vector<RefWord> words;
  std::vector<int> query_word;
  std::vector<char> exact;
  size_t query_words = 0;
  std::vector<size_t> matches;
  std::vector<size_t> phrase_length;
};

RefMatches RefFind(const std::string& text, const SnippetQuery& query, const Xapian::Stem& stem) {
  WordStarts starts;
  std::set<std::string> terms(query.terms.begin(), query.terms.end());
  for (const std::string& term : query.terms) {
    std::string_view word = term;
    for (std::string_view prefix : {"ZXF", "XF", "Z"}) {
      if (word.substr(0, prefix.size()) == prefix) {
        word.remove_prefix(prefix.size());
        break;
      }
    }
    starts.Add(word);
  }
  for (const std::string& prefix : query.prefixes) starts.Add(prefix);
  std::set<std::string> typed;
  for (const std::string& word : QueryWords(query.typed)) typed.insert(FoldAccents(word));
  RefMatches m;
  m.words = RefWords(text, starts);
  const size_t n = m.words.size();
  m.query_word.assign(n, -1);
  m.exact.assign(n, 0);
  m.phrase_length.assign(n, 0);
  std::map<std::string, int> ids;
  auto admitted = [&starts](const std::string& w) {
    return !w.empty() && starts.Admits(RefStartByte(w, 0), RefStartByte(w, 1));
  };
  for (size_t i = 0; i < n; ++i) {
    const RefWord& w = m.words[i];
    if (!w.built || !(admitted(w.lower) || admitted(w.folded))) continue;
    int id = -1;
    bool hit = terms.count(w.lower) || terms.count("Z" + stem(w.lower));
    if (!hit && w.folded != w.lower) hit = terms.count("XF" + w.folded) || terms.count("ZXF" + stem(w.folded));
    if (hit) {
      id = ids.emplace("Z" + stem(w.folded), static_cast<int>(ids.size())).first->second;
    } else {
      for (const std::string& prefix : query.prefixes) {
        if (w.folded.compare(0, prefix.size(), prefix) == 0) {
          id = ids.emplace(w.folded, static_cast<int>(ids.size())).first->second;
          break;
        }
      }
    }
    if (id < 0) continue;
    m.query_word[i] = id;
    m.exact[i] = typed.count(w.folded) ? 1 : 0;
    m.matches.push_back(i);
  }
  m.query_words = ids.size();
  if (m.matches.empty()) return m;
  for (const std::vector<std::string>& phrase : query.phrases) {
    if (phrase.size() < 2) continue;
    for (size_t start = 0; start + phrase.size() <= n; ++start) {
      bool whole = true;
      for (size_t k = 0; k < phrase.size() && whole; ++k) {
        const RefWord& w = m.words[start + k];
        whole = w.built && (phrase[k] == w.lower || phrase[k] == "XF" + w.folded);
      }
      if (whole) m.phrase_length[start] = std::max(m.phrase_length[start], phrase.size());
    }
  }
  return m;
}

PageScore RefScore(const std::string& text, const SnippetQuery& query, const Xapian::Stem& stem) {
  const RefMatches m = RefFind(text, query, stem);
  PageScore score;
  score.phrases = static_cast<size_t>(std::count_if(m.phrase_length.begin(), m.phrase_length.end(), [](size_t l) { return l > 0; }));
  score.words = m.query_words;
  score.matches = m.matches.size();
  return score;
}

std::string RefSnippet(const std::string& text, const SnippetQuery& query, const Xapian::Stem& stem, size_t length) {
  const RefMatches m = RefFind(text, query, stem);
  if (m.matches.empty()) return "";
  const std::vector<RefWord>& words = m.words;
  const size_t n = words.size();
  // The best window of at most `length` bytes from a matching word.
  using Score = std::tuple<size_t, size_t, size_t, size_t>;
  Score best_score{};
  size_t best_first = n, best_last = n;
  for (size_t first : m.matches) {
    Score score{};
    size_t last = first;
    std::set<int> distinct, distinct_exact;
    for (size_t j = first; j < n && words[j].end - words[first].begin <= length; ++j) {
      const size_t phrase = m.phrase_length[j];
      if (phrase && j + phrase - 1 < n && words[j + phrase - 1].end - words[first].begin <= length) {
        ++std::get<0>(score);
        last = std::max(last, j + phrase - 1);
      }
      if (m.query_word[j] < 0) continue;
      distinct.insert(m.query_word[j]);
      if (m.exact[j]) distinct_exact.insert(m.query_word[j]);
      ++std::get<3>(score);
      last = std::max(last, j);
    }
    std::get<1>(score) = distinct.size();
    std::get<2>(score) = distinct_exact.size();
    if (best_first == n || score > best_score) {
      best_score = score;
      best_first = first;
      best_last = last;
    }
  }
  const size_t span_begin = words[best_first].begin, span_end = words[best_last].end;
  const size_t span = span_end - span_begin;
  const size_t slack = length > span ? length - span : 0;
  const size_t after = std::min(text.size() - span_end, slack - std::min(span_begin, slack / 2));
  const size_t before = std::min(span_begin, slack - after);
  auto gap = [&](size_t k) { return std::string_view(text).substr(words[k - 1].end, words[k].begin - words[k - 1].end); };
  size_t from = best_first;
  while (from > 0 && words[from - 1].begin >= span_begin - before) --from;
  for (size_t k = from; k < best_first; ++k) {
    if (k > 0 && RefSentenceBreak(gap(k))) {
      from = k;
      break;
    }
  }
  size_t to = best_last;
  while (to + 1 < n && words[to + 1].end <= span_end + after) ++to;
  std::vector<char> typed_shown(m.query_words, 0);
  for (size_t i = from; i <= to; ++i) {
    if (m.query_word[i] >= 0 && m.exact[i]) typed_shown[static_cast<size_t>(m.query_word[i])] = 1;
  }
  std::string out;
  if (!(from == 0 || RefSentenceBreak(gap(from)))) out += "…";
  size_t at = words[from].begin;
  for (size_t i = from; i <= to; ++i) {
    size_t mark_end = 0;
    if (m.phrase_length[i] && i + m.phrase_length[i] - 1 <= to) {
      mark_end = i + m.phrase_length[i] - 1;
    } else if (m.query_word[i] >= 0 && (m.exact[i] || !typed_shown[static_cast<size_t>(m.query_word[i])])) {
      mark_end = i;
    } else {
      continue;
    }
    RefEscaped(std::string_view(text).substr(at, words[i].begin - at), &out);
    out += "<mark>";
    RefEscaped(std::string_view(text).substr(words[i].begin, words[mark_end].end - words[i].begin), &out);
    out += "</mark>";
    at = words[mark_end].end;
    i = mark_end;
  }
  RefEscaped(std::string_view(text).substr(at, words[to].end - at), &out);
  size_t tail = words[to].end;
  while (tail < text.size() && tail - words[to].end < 4 && std::string_view(".,;:!?)]}\"'").find(text[tail]) != std::string_view::npos) {
    ++tail;
  }
  RefEscaped(std::string_view(text).substr(words[to].end, tail - words[to].end), &out);
  const bool sentence_end = tail > words[to].end && std::string_view(".!?").find(text[tail - 1]) != std::string_view::npos;
  if (to + 1 < n && !sentence_end) out += "…";
  return out;
}

// Pieces of text: words the queries hold, in other cases and with accents,
// stem variants, words beginning as query words do, words the queries never
// hold, apostrophes inside and outside words, French elisions (marked as
// MarkElisions marks them, and not), non-ASCII punctuation, digits, and
// stray bytes; separators of every kind.
const std::vector<std::string>& Pieces() {
  static const std::vector<std::string> pieces = {
      "evaluation", "Evaluation", "\u00e9valuation", "\u00c9VALUATIONS", "evaluations", "evasion", "eve",
      "report", "reports", "Reporting", "repr\u00e9sentant", "management", "response", "responses",
      "l\u2019\u00e9valuation", "l'evaluation", "don't", "'tis", "rock'n'roll", "report'", "\u2019report",
      "d\xee\x80\x80" "evaluation", "the", "a", "of", "and", "x", "_under", "42", "2019", "r\u00e9", "re",
      "\u00abreport\u00bb", "\u2014", "\u2022", "na\u00efve", "caf\u00e9s", "\xff", "\x80" "report", "re\xc3",
      "stu", "students", "study", "Stuttgart", "\u00fcbung", "management response", "Management Responses",
      "evaluation report", "\u00e9valuation report", "management, response", "the report",
      // Runs longer than a 64-byte block, of ASCII alone and with accents
      // and apostrophes; a stretch of 60 bytes where no word begins.
      std::string(5, 'x') + "evaluationsevaluationsevaluationsevaluationsevaluationsevaluations",
      "evaluationsevaluationsevaluationsevaluationsevaluationsevaluationsreport",
      "l\u2019\u00e9valuation\u2019d\u00e9taill\u00e9e'report\u00e9valuation\u2019management\u00e9t\u00e9r\u00e9sum\u00e9",
      "\u2500\u2500 \u2500\u2500 \u2500\u2500 \u2500\u2500 \u2500\u2500 \u2500\u2500 \u2500\u2500 \u2500\u2500 \u2500\u2500 \u2500\u2500"};
  return pieces;
}

const std::vector<std::string>& Separators() {
  static const std::vector<std::string> separators = {" ", " ", " ", "  ", ", ", ". ", ".", "\n", "\n\n", ": ",
                                                      "! ", "? ", "\t", " - ", "/", "(", ") ", " \"", "&", "<", "' "};
  return separators;
}

std::string RandomText(std::mt19937& random, size_t pieces) {
  std::string text;
  if (random() % 4 == 0) text += Separators()[random() % Separators().size()];
  for (size_t i = 0; i < pieces; ++i) {
    text += Pieces()[random() % Pieces().size()];
    text += Separators()[random() % Separators().size()];
  }
  if (random() % 2) text.pop_back();
  return text;
}

// A query as the parser makes its page terms: each word as typed and
// Z + its stem, their folded forms when they differ; sometimes a phrase of
// two or three of its words (as typed or folded), sometimes a wildcard.
SnippetQuery RandomQuery(std::mt19937& random, const Xapian::Stem& stem) {
  static const std::vector<std::string> words = {"evaluation", "\u00e9valuation", "report", "management", "response",
                                                 "the", "re", "stu", "eve", "students", "42", "na\u00efve", "x"};
  SnippetQuery query;
  std::vector<std::string> chosen;
  const size_t count = 1 + random() % 3;
  for (size_t i = 0; i < count; ++i) chosen.push_back(words[random() % words.size()]);
  if (random() % 3 == 0) {  // two words the texts hold side by side
    static const std::vector<std::vector<std::string>> pairs = {
        {"management", "response"}, {"evaluation", "report"}, {"\u00e9valuation", "report"}, {"the", "report"}};
    chosen = pairs[random() % pairs.size()];
  }
  for (const std::string& word : chosen) {
    query.terms.push_back(word);
    query.terms.push_back("Z" + stem(word));
    const std::string folded = FoldAccents(word);
    if (folded != word) {
      query.terms.push_back("XF" + folded);
      query.terms.push_back("ZXF" + stem(folded));
    }
    query.typed += (query.typed.empty() ? "" : " ") + word;
  }
  if (chosen.size() >= 2 && random() % 2) {
    std::vector<std::string> phrase;
    for (const std::string& word : chosen) phrase.push_back(random() % 3 ? word : "XF" + FoldAccents(word));
    query.phrases.push_back(phrase);
  }
  if (random() % 5 == 0) {
    query.prefixes.push_back(random() % 2 ? "stu" : "ev");
    query.typed += " " + query.prefixes.back() + "*";
    if (random() % 2) query.terms.clear();  // a wildcard query: BestPage is given no terms
  }
  return query;
}

TEST(SnippetReferenceTest, SnippetsAndScoresAreThoseOfASplitOfEveryWord) {
  std::mt19937 random(2026);
  const Xapian::Stem english("english"), french("french");
  int compared = 0, marked = 0, cut_before = 0, phrases = 0;
  for (int round = 0; round < 10000; ++round) {
    const Xapian::Stem& stem = round % 2 ? english : french;
    const std::string text = RandomText(random, 1 + random() % 120);
    const SnippetQuery query = RandomQuery(random, stem);
    const size_t length = 20 + random() % 300;
    const std::string expected = RefSnippet(text, query, stem, length);
    ASSERT_EQ(BestPassageSnippet(text, query, stem, length), expected)
        << "round " << round << "\ntext: " << text << "\nquery: " << query.typed << "\nlength: " << length;
    const PageScore want = RefScore(text, query, stem), got = ScorePage(text, query, stem);
    ASSERT_EQ(got.Key(), want.Key()) << "round " << round << "\ntext: " << text << "\nquery: " << query.typed;
    ++compared;
    if (expected.find("<mark>") != std::string::npos) ++marked;
    if (expected.rfind("…", 0) == 0) ++cut_before;
    if (want.phrases > 0) ++phrases;
  }
  // The draws reach what they are meant to: marked snippets, passages cut
  // before their start, phrases found.
  EXPECT_EQ(compared, 10000);
  EXPECT_GT(marked, 5000);
  EXPECT_GT(cut_before, 1500);
  EXPECT_GT(phrases, 300);
}

}  // namespace
}  // namespace dossier
