// Builds the document structure model (structure.h) from page texts.
#include "structure.h"

#include "dossier/name_key.h"

#include <re2/re2.h>
#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>
#include <unicode/utf8.h>

#include <algorithm>
#include <cmath>
#include <cctype>
#include <map>
#include <set>

namespace dossier_structure {

std::string_view BlockKindName(BlockKind kind) {
  switch (kind) {
    case BlockKind::kHeading: return "heading";
    case BlockKind::kParagraph: return "paragraph";
    case BlockKind::kListItem: return "list_item";
    case BlockKind::kTableRow: return "table_row";
    case BlockKind::kContentsEntry: return "contents_entry";
  }
  return "paragraph";
}

std::string_view SectionRoleName(SectionRole role) {
  switch (role) {
    case SectionRole::kFrontMatter: return "front_matter";
    case SectionRole::kContents: return "contents";
    case SectionRole::kSummary: return "summary";
    case SectionRole::kBody: return "body";
    case SectionRole::kAnnex: return "annex";
  }
  return "body";
}

std::string_view TopicName(Topic topic) {
  switch (topic) {
    case Topic::kNone: return "";
    case Topic::kRecommendations: return "recommendations";
    case Topic::kFindings: return "findings";
    case Topic::kConclusions: return "conclusions";
    case Topic::kLessons: return "lessons";
    case Topic::kResponse: return "response";
    case Topic::kTermsOfReference: return "terms_of_reference";
    case Topic::kMethodology: return "methodology";
    case Topic::kReferences: return "references";
    case Topic::kAcronyms: return "acronyms";
    case Topic::kBackground: return "background";
    case Topic::kActions: return "actions";
  }
  return "";
}

// ---------------------------------------------------------------- keys

std::string FoldedKey(std::string_view name) { return dossier::NameKey(name); }

namespace {

// A block shorter than this (bytes) that is still open at a page break is a
// stray line (a footer the running-line test missed, a caption), not a
// paragraph whose sentence runs on to the next page.
constexpr size_t kShortestRunOnBlock = 60;

// ---------------------------------------------------------------- characters

// The code point at `i` (advancing i); U+FFFD for a bad byte.
UChar32 NextChar(std::string_view s, size_t* i) {
  UChar32 c = 0;
  int32_t at = static_cast<int32_t>(*i);
  U8_NEXT(reinterpret_cast<const uint8_t*>(s.data()), at, static_cast<int32_t>(s.size()), c);
  *i = static_cast<size_t>(at);
  return c < 0 ? 0xFFFD : c;
}

bool IsBulletChar(UChar32 c) {
  switch (c) {
    case 0x2022: case 0x25CF: case 0x25AA: case 0x25A0: case 0x25E6: case 0x25CB: case 0x27A2: case 0x25BA:
    case 0x2713: case 0x2714: case 0x25C6: case 0x25C7: case 0x2043: case 0x00B7: case 0x2219: case 0x25B8:
    case 0x27A4: case 0x2794: case 0x2192: case 0x25A1: case 0x2756: case 0x274F:
      return true;
    default:
      return c >= 0xE000 && c <= 0xF8FF;  // symbol fonts' private-use bullets
  }
}

bool IsDash(UChar32 c) { return c == '-' || c == 0x2013 || c == 0x2014; }

std::string_view Trim(std::string_view s) {
  size_t a = 0, b = s.size();
  while (a < b && (s[a] == ' ' || s[a] == '\t' || s[a] == '\r' || s[a] == '\f')) ++a;
  while (b > a && (s[b - 1] == ' ' || s[b - 1] == '\t' || s[b - 1] == '\r' || s[b - 1] == '\f')) --b;
  return s.substr(a, b - a);
}

bool IsRoman(std::string_view s, bool upper) {
  if (s.empty() || s.size() > 6) return false;
  for (char c : s) {
    if (std::string_view(upper ? "IVXLC" : "ivxlc").find(c) == std::string_view::npos) return false;
  }
  static const std::set<std::string> kValid = [] {
    std::set<std::string> out;
    const char* romans[] = {"i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x", "xi", "xii", "xiii",
                            "xiv", "xv", "xvi", "xvii", "xviii", "xix", "xx"};
    for (const char* r : romans) out.insert(r);
    return out;
  }();
  std::string lower(s);
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return kValid.count(lower) > 0;
}

bool IsMonthWord(const std::string& key) {
  static const std::set<std::string> kMonths = {
      "january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
      "november", "december", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
      "janvier", "fevrier", "mars", "avril", "mai", "juin", "juillet", "aout", "septembre", "octobre", "novembre",
      "decembre", "enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre",
      "setiembre", "octubre", "noviembre", "diciembre"};
  return kMonths.count(key) > 0;
}

// Letters and how many are upper case, in the first `limit` bytes.
struct CaseCount {
  int letters = 0, upper = 0;
};
CaseCount CountCase(std::string_view s) {
  CaseCount out;
  for (size_t i = 0; i < s.size();) {
    UChar32 c = NextChar(s, &i);
    if (u_isalpha(c)) {
      ++out.letters;
      if (u_isupper(c)) ++out.upper;
    }
  }
  return out;
}

// The first letter's case: 1 upper, -1 lower, 0 none.
int FirstLetterCase(std::string_view s) {
  for (size_t i = 0; i < s.size();) {
    UChar32 c = NextChar(s, &i);
    if (u_isalpha(c)) return u_isupper(c) ? 1 : -1;
    if (u_isdigit(c)) return 0;
  }
  return 0;
}

std::vector<std::string_view> Words(std::string_view s) {
  std::vector<std::string_view> out;
  size_t i = 0;
  while (i < s.size()) {
    while (i < s.size() && (s[i] == ' ' || s[i] == '\t')) ++i;
    size_t j = i;
    while (j < s.size() && s[j] != ' ' && s[j] != '\t') ++j;
    if (j > i) out.push_back(s.substr(i, j - i));
    i = j;
  }
  return out;
}

// Short words a title leaves in lower case (en, fr, es).
bool IsFunctionWord(const std::string& key) {
  static const std::set<std::string> kWords = {
      "a", "an", "and", "as", "at", "by", "for", "from", "in", "into", "of", "on", "or", "the", "to", "with",
      "vs", "via", "de", "des", "du", "la", "le", "les", "et", "en", "au", "aux", "d", "l", "pour", "par", "sur",
      "dans", "del", "el", "los", "las", "y", "e", "o", "u", "con", "para", "por", "al", "its", "their", "our"};
  return kWords.count(key) > 0;
}

bool EndsWithSentencePunct(std::string_view s) {
  s = Trim(s);
  while (!s.empty() && (s.back() == '"' || s.back() == '\'' || s.back() == ')' || s.back() == '*')) s.remove_suffix(1);
  if (s.size() >= 3 && s.substr(s.size() - 3) == "\xE2\x80\x9D") s.remove_suffix(3);  // ”
  if (s.size() >= 3 && s.substr(s.size() - 3) == "\xE2\x80\x99") s.remove_suffix(3);  // ’
  return !s.empty() && (s.back() == '.' || s.back() == '!' || s.back() == '?' || s.back() == ';' || s.back() == ':');
}

}  // namespace

// ---------------------------------------------------------------- labels and page numbers

bool ParseLabel(std::string_view line, Label* out) {
  size_t i = 0;
  while (i < line.size() && (line[i] == ' ' || line[i] == '\t')) ++i;
  const size_t begin = i;
  auto finish = [&](size_t end_of_label, Label::Style style, std::string number) {
    size_t t = end_of_label;
    while (t < line.size() && (line[t] == ' ' || line[t] == '\t')) ++t;
    out->printed = std::string(Trim(line.substr(begin, end_of_label - begin)));
    out->number = std::move(number);
    out->style = style;
    out->text_at = t;
    out->bare = Trim(line.substr(t)).empty();
    return true;
  };
  if (i >= line.size()) return false;
  // Bullets, possibly several ("● ●" where a table cell holds a list).
  {
    size_t j = i;
    bool any = false;
    while (j < line.size()) {
      size_t k = j;
      UChar32 c = NextChar(line, &k);
      bool bullet = IsBulletChar(c) || ((c == '*' || IsDash(c)) && k < line.size() && line[k] == ' ');
      if (c == 'o' && k < line.size() && line[k] == ' ' && k + 1 < line.size() &&
          std::isupper(static_cast<unsigned char>(line[k + 1]))) bullet = true;  // "o Item" from symbol fonts
      if (!bullet) break;
      any = true;
      j = k;
      while (j < line.size() && (line[j] == ' ' || line[j] == '\t')) ++j;
    }
    if (any) {
      Label inner;
      if (j < line.size() && ParseLabel(line.substr(j), &inner) && inner.style != Label::kBullet) {
        finish(j + inner.text_at, inner.style, inner.number);
        return true;
      }
      return finish(j, Label::kBullet, "");
    }
  }
  // Coded labels: "R1", "F12", "C3", "REC4" (capitals then digits, then a space or '*' or ':').
  {
    size_t j = i, letters = 0, digits = 0;
    while (j < line.size() && std::isupper(static_cast<unsigned char>(line[j])) && letters < 3) ++j, ++letters;
    while (j < line.size() && std::isdigit(static_cast<unsigned char>(line[j])) && digits < 3) ++j, ++digits;
    if (letters >= 1 && digits >= 1) {
      const size_t end_of_code = j;
      while (j < line.size() && (line[j] == '*' || line[j] == ':' || line[j] == '.')) ++j;
      if (j < line.size() && line[j] == ' ' && j + 1 < line.size() && FirstLetterCase(line.substr(j + 1, 8)) == 1)
        return finish(j, Label::kCoded, std::string(line.substr(i, end_of_code - i)));
    }
  }
  std::string_view rest = line.substr(i);
  // "(a)", "(1)", "(iv)"
  if (rest[0] == '(') {
    size_t close = rest.find(')');
    if (close != std::string_view::npos && close >= 2 && close <= 5) {
      std::string_view inner = rest.substr(1, close - 1);
      Label::Style style;
      if (std::all_of(inner.begin(), inner.end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)); }))
        style = Label::kArabic;
      else if (inner.size() == 1 && std::islower(static_cast<unsigned char>(inner[0])) && !IsRoman(inner, false))
        style = Label::kLowerAlpha;
      else if (IsRoman(inner, false))
        style = Label::kLowerRoman;
      else if (inner.size() == 1 && std::isupper(static_cast<unsigned char>(inner[0])) && !IsRoman(inner, true))
        style = Label::kUpperAlpha;
      else if (IsRoman(inner, true))
        style = Label::kUpperRoman;
      else
        return false;
      if (close + 1 < rest.size() && rest[close + 1] != ' ' && rest[close + 1] != '\t') return false;
      return finish(i + close + 1, style, std::string(inner));
    }
    return false;
  }
  // Numbers: "1.", "1)", "1.2", "1.2.3", "12 Title"
  if (std::isdigit(static_cast<unsigned char>(rest[0]))) {
    size_t j = 0;
    int groups = 0;
    while (true) {
      size_t d = j;
      while (j < rest.size() && std::isdigit(static_cast<unsigned char>(rest[j]))) ++j;
      if (j - d == 0 || j - d > 3) return false;
      ++groups;
      if (j + 1 < rest.size() && rest[j] == '.' && std::isdigit(static_cast<unsigned char>(rest[j + 1]))) {
        ++j;
        continue;
      }
      break;
    }
    std::string number(rest.substr(0, j));
    size_t after = j;
    bool punct = false;
    if (after < rest.size() && (rest[after] == '.' || rest[after] == ')')) {
      ++after;
      punct = true;
    }
    // "4.2.Recommandations": a dotted number run into a capitalised word (the space lost in the text layer).
    const bool run_in = groups > 1 && punct && rest[after - 1] == '.' && after < rest.size() &&
                        std::isupper(static_cast<unsigned char>(rest[after]));
    if (after < rest.size() && rest[after] != ' ' && rest[after] != '\t' && !run_in) return false;
    std::string_view text = Trim(rest.substr(after));
    if (groups == 1 && !punct) {
      // "12 Title": a bare number as label only before a capital and not a date or a quantity.
      if (text.empty() || number.size() > 2 || FirstLetterCase(text.substr(0, 1)) != 1) return false;
      std::vector<std::string_view> words = Words(text);
      if (words.size() < 2 || IsMonthWord(FoldedKey(words[0]))) return false;
    }
    if (groups > 1 && !text.empty() && FirstLetterCase(text) != 1) return false;  // "1.5 million"
    if (groups == 1 && punct && rest[after - 1] == '.' && !text.empty() && IsMonthWord(FoldedKey(Words(text)[0])))
      return false;
    return finish(i + after, groups > 1 ? Label::kDotted : Label::kArabic, number);
  }
  // Letters and roman numerals: "a.", "a)", "IV.", "iv)", "A -"
  size_t j = 0;
  while (j < rest.size() && std::isalpha(static_cast<unsigned char>(rest[j]))) ++j;
  if (j == 0 || j > 6) return false;
  std::string_view word = rest.substr(0, j);
  if (j < rest.size() && (rest[j] == '.' || rest[j] == ')')) {
    const size_t after = j + 1;
    if (after < rest.size() && rest[after] != ' ' && rest[after] != '\t') return false;
    Label::Style style;
    if (word.size() == 1 && std::islower(static_cast<unsigned char>(word[0])) && word != "i") style = Label::kLowerAlpha;
    else if (IsRoman(word, false)) style = Label::kLowerRoman;
    else if (IsRoman(word, true) && (word.size() > 1 || word == "I" || word == "V" || word == "X")) style = Label::kUpperRoman;
    else if (word.size() == 1 && std::isupper(static_cast<unsigned char>(word[0]))) style = Label::kUpperAlpha;
    else return false;
    // "a. text" needs text that is not a continuation of an abbreviation ("e.g.")
    return finish(i + after, style, std::string(word));
  }
  // "A - TITLE", "B – Title"
  if (word.size() == 1 && std::isupper(static_cast<unsigned char>(word[0])) && j + 1 < rest.size() && rest[j] == ' ') {
    size_t k = j + 1;
    UChar32 c = NextChar(rest, &k);
    if (IsDash(c) && k < rest.size() && rest[k] == ' ') return finish(i + k, Label::kUpperAlpha, std::string(word));
  }
  return false;
}

bool IsPageNumberLine(std::string_view line) {
  static const RE2 kPage(
      R"((?i)^[\s\-–—|]*(?:page|pág\.?|página|pagina|p\.)?\s*\d{1,4}(?:\s*(?:/|of|de|sur|\|)\s*\d{1,4})?[\s\-–—|]*$)");
  line = Trim(line);
  if (line.empty() || line.size() > 24) return false;
  if (RE2::FullMatch(line, kPage)) return true;
  std::string_view core = line;
  while (!core.empty() && (core.front() == '-' || core.front() == ' ')) core.remove_prefix(1);
  while (!core.empty() && (core.back() == '-' || core.back() == ' ')) core.remove_suffix(1);
  return IsRoman(core, false) || (IsRoman(core, true) && core.size() > 1);
}

// ---------------------------------------------------------------- the builder

namespace {

struct RawLine {
  uint32_t page = 0;
  size_t page_index = 0;
  size_t start = 0, end = 0;  // of the trimmed text in the page
  std::string_view text;      // trimmed
  enum State { kText, kBlank, kHeader, kFooter, kPageNumber, kContents } state = kText;
  bool page_first = false;    // first line of its page that is read
  bool styled = false;        // the page said how the line is set
  float size = 0;             // type size in points (styled lines)
  bool bold = false;          // set in bold (styled lines)
};

// The key that tells a running header or footer line: its folded words with
// every digit masked and without a page marker at either end, so that
// "27 April 2026", "27 April 2026 Page 7" and "Page 8 27 April 2026" (the page
// number moving from side to side) are one running line.
std::string RunningKey(std::string_view text) {
  std::string masked(text);
  for (char& c : masked) if (std::isdigit(static_cast<unsigned char>(c))) c = '0';
  std::string key = FoldedKey(masked);
  for (std::string_view marker : {"page 0", "pagina 0", "pag 0", "p 0"}) {
    const std::string head = std::string(marker) + " ", tail = " " + std::string(marker);
    if (key.size() > head.size() && key.compare(0, head.size(), head) == 0) key.erase(0, head.size());
    if (key.size() > tail.size() && key.compare(key.size() - tail.size(), tail.size(), tail) == 0)
      key.erase(key.size() - tail.size());
  }
  return key;
}

bool LooksLikeContentsEntry(std::string_view line, uint32_t page_count) {
  // Cheap test first: an entry ends in a page number (arabic or roman).
  while (!line.empty() && (line.back() == ' ' || line.back() == '\t' || line.back() == '\r')) line.remove_suffix(1);
  if (line.empty()) return false;
  const char last = line.back();
  if (!std::isdigit(static_cast<unsigned char>(last)) && std::string_view("ivxlc").find(last) == std::string_view::npos)
    return false;
  static const RE2 kLeader(R"((?:\.{3,}|…{2,}|(?:\. ){3,}|\s{2,}|\t)\s*([0-9]{1,4}|[ivxlc]{1,6})\s*$)");
  std::string number;
  if (RE2::PartialMatch(line, kLeader, &number)) return true;
  static const RE2 kTrailing(R"(^\D.{2,}\s([0-9]{1,3})$)");
  if (RE2::FullMatch(line, kTrailing, &number)) {
    return std::stoi(number) <= static_cast<int>(page_count) + 20 && !EndsWithSentencePunct(line.substr(0, line.size() - number.size()));
  }
  return false;
}

class Builder {
 public:
  Builder(const std::vector<PageText>& pages, const Cues& cues, std::string_view language)
      : pages_(pages), cues_(cues), language_(language) {}

  DocumentStructure Build() {
    SplitLines();
    ReadBodyStyle();
    MarkRunningLines();
    MarkContents();
    ReadBlocks();
    AssignSections();
    return std::move(out_);
  }

 private:
  void SplitLines() {
    for (size_t p = 0; p < pages_.size(); ++p) {
      std::string_view text = pages_[p].text;
      size_t line_start = 0;
      bool first = true;
      uint32_t line_number = 0;
      size_t style = 0;
      const std::vector<LineStyle>& styles = pages_[p].styles;
      while (line_start <= text.size()) {
        size_t line_end = text.find('\n', line_start);
        if (line_end == std::string_view::npos) line_end = text.size();
        std::string_view raw = text.substr(line_start, line_end - line_start);
        std::string_view trimmed = Trim(raw);
        RawLine line;
        line.page = pages_[p].number;
        line.page_index = p;
        line.start = trimmed.empty() ? line_start : static_cast<size_t>(trimmed.data() - text.data());
        line.end = line.start + trimmed.size();
        line.text = trimmed;
        line.state = trimmed.empty() ? RawLine::kBlank : RawLine::kText;
        line.page_first = first && !trimmed.empty();
        if (!trimmed.empty()) first = false;
        while (style < styles.size() && styles[style].first_line + styles[style].line_count <= line_number) ++style;
        if (style < styles.size() && styles[style].first_line <= line_number && styles[style].size > 0) {
          line.styled = true;
          line.size = styles[style].size;
          line.bold = styles[style].bold;
        }
        ++line_number;
        lines_.push_back(line);
        if (line_end == text.size()) break;
        line_start = line_end + 1;
      }
    }
  }

  // The body text's type: the size most letters of the document are set in.
  // Styles count only when most of the text has them (a text-layer document,
  // not OCR).
  // OCR estimates sizes to a tenth of a point, so the body is the mean size
  // of the letters in the most common half point, not that half point.
  void ReadBodyStyle() {
    std::map<int, std::pair<size_t, double>> letters_at;  // half points -> letters, letters x size
    size_t all = 0, styled = 0;
    for (const RawLine& line : lines_) {
      if (line.state != RawLine::kText) continue;
      all += line.text.size();
      if (!line.styled) continue;
      styled += line.text.size();
      const int half_points = static_cast<int>(std::lround(line.size * 2));
      letters_at[half_points].first += line.text.size();
      letters_at[half_points].second += static_cast<double>(line.text.size()) * line.size;
    }
    if (all == 0 || styled * 2 < all) return;
    size_t most = 0;
    double body = 0;
    for (const auto& [half_points, letters] : letters_at) {
      if (letters.first > most) most = letters.first, body = letters.second / static_cast<double>(letters.first);
    }
    styled_ = true;
    body_size_ = static_cast<float>(body);
  }

  // A list item that is one clause ending in a colon ("3. To the Harbour Board:").
  static bool IntroducesWhatFollows(const Block& b) {
    return b.kind == BlockKind::kListItem && !b.text.empty() && b.text.back() == ':' &&
           b.text.find_first_of(".!?") == std::string::npos;
  }
  // Sizes equal to within what OCR's estimates vary by from line to line.
  static bool SameSize(float a, float b) { return std::fabs(a - b) <= 0.06f * std::max(a, b); }
  // A line set in a type clearly larger than the body's (a heading's).
  bool LargerType(const RawLine& line) const {
    return styled_ && line.styled && line.size >= body_size_ * 1.15f && line.size >= body_size_ + 1.0f;
  }
  // The shape any heading has, whatever its type: a short line that opens
  // with a capital or a digit and is not a clause of a sentence.
  static bool HeadingShape(std::string_view text) {
    text = Trim(text);
    if (text.empty() || text.size() > 160 || text.find('\t') != std::string_view::npos) return false;
    const char last = text.back();
    if (last == ',' || last == ';' || (last == '.' && Words(text).size() > 8)) return false;
    if (FirstLetterCase(text) == -1 || Words(text).size() > 20) return false;
    return CountCase(text).letters >= 3;
  }

  // Running headers and footers: the same text (digits aside) among the first
  // or last three lines of many pages; page numbers there.
  void MarkRunningLines() {
    const size_t page_count = pages_.size();
    std::vector<std::vector<size_t>> top(page_count), bottom(page_count);
    for (size_t i = 0; i < lines_.size(); ++i) {
      if (lines_[i].state != RawLine::kText) continue;
      auto& t = top[lines_[i].page_index];
      if (t.size() < 3) t.push_back(i);
    }
    for (size_t i = lines_.size(); i-- > 0;) {
      if (lines_[i].state != RawLine::kText) continue;
      auto& b = bottom[lines_[i].page_index];
      if (b.size() < 3) b.push_back(i);
    }
    std::map<std::string, std::set<size_t>> pages_with;
    auto key_of = [&](size_t i) -> std::string {
      std::string_view text = lines_[i].text;
      if (text.find('\t') != std::string_view::npos || text.size() > 140) return "";
      return RunningKey(text);
    };
    for (size_t p = 0; p < page_count; ++p) {
      for (size_t i : top[p]) if (std::string k = key_of(i); !k.empty()) pages_with["t" + k].insert(p);
      for (size_t i : bottom[p]) if (std::string k = key_of(i); !k.empty()) pages_with["b" + k].insert(p);
    }
    const size_t threshold = std::max<size_t>(2, (page_count + 3) / 4);
    auto mark = [&](size_t i, bool at_top) {
      if (IsPageNumberLine(lines_[i].text)) {
        lines_[i].state = RawLine::kPageNumber;
        ++out_.removed.page_numbers;
        return;
      }
      if (page_count < 3) return;
      std::string k = key_of(i);
      if (k.empty()) return;
      if (pages_with[(at_top ? "t" : "b") + k].size() >= threshold) {
        lines_[i].state = at_top ? RawLine::kHeader : RawLine::kFooter;
        ++(at_top ? out_.removed.page_headers : out_.removed.page_footers);
      }
    };
    for (size_t p = 0; p < page_count; ++p) {
      for (size_t i : top[p]) if (lines_[i].state == RawLine::kText) mark(i, true);
      for (size_t i : bottom[p]) if (lines_[i].state == RawLine::kText) mark(i, false);
    }
  }

  bool HeadingNamesRole(std::string_view text, std::string_view category) const {
    std::string key = FoldedKey(text);
    for (const std::string& phrase : cues_.Phrases(category, language_)) {
      if (key == phrase) return true;
    }
    return false;
  }

  // A contents page: headed "Contents" (or the like), or mostly entries
  // ending in page numbers. Its lines up to the last entry are contents.
  void MarkContents() {
    const uint32_t page_count = static_cast<uint32_t>(pages_.size());
    bool previous_contents = false;
    size_t i = 0;
    while (i < lines_.size()) {
      size_t p = lines_[i].page_index, j = i;
      while (j < lines_.size() && lines_[j].page_index == p) ++j;
      int text_lines = 0, entries = 0, bare_numbers = 0;
      bool headed = false;
      size_t last_entry = i;
      for (size_t k = i; k < j; ++k) {
        if (lines_[k].state != RawLine::kText) continue;
        ++text_lines;
        std::string_view t = lines_[k].text;
        if (text_lines <= 6 && HeadingNamesRole(t, "role.contents")) headed = true;
        static const RE2 kBareNumber(R"(^[0-9]{1,3}$)");
        if (LooksLikeContentsEntry(t, page_count)) ++entries, last_entry = k;
        else if (RE2::FullMatch(t, kBareNumber)) ++bare_numbers, last_entry = k;
      }
      // A contents that runs over onto a short last page ("… 35", "… 36"
      // and a running header) has too few lines to tell by their share.
      const bool contents = (headed && entries + bare_numbers >= 3) ||
                            (text_lines >= 6 && (entries + bare_numbers) * 10 >= text_lines * 4 && entries >= 2) ||
                            (previous_contents && entries >= 2 && entries * 2 >= text_lines);
      if (contents) {
        for (size_t k = i; k <= last_entry; ++k) {
          if (lines_[k].state == RawLine::kText) lines_[k].state = RawLine::kContents;
        }
      } else {
        // A dot leader to a page number ("Findings ........ 12") marks an
        // entry wherever it stands.
        static const RE2 kDotLeader(R"((?:\.{4,}|…{3,}|(?:\. ){4,})\s*(?:[0-9]{1,4}|[ivxlc]{1,6})\s*$)");
        for (size_t k = i; k < j; ++k) {
          const std::string_view t = lines_[k].text;
          // Cheap tests first: a leader ends in a page number and has dots.
          if (lines_[k].state != RawLine::kText || t.size() < 6) continue;
          const char last = t.back();
          if (!std::isdigit(static_cast<unsigned char>(last)) && std::string_view("ivxlc").find(last) == std::string_view::npos)
            continue;
          if (t.find("....") == std::string_view::npos && t.find("\xE2\x80\xA6\xE2\x80\xA6") == std::string_view::npos &&
              t.find(". . .") == std::string_view::npos)
            continue;
          if (RE2::PartialMatch(t, kDotLeader)) lines_[k].state = RawLine::kContents;
        }
      }
      previous_contents = contents;
      i = j;
    }
  }

  // Whether the text of a line (after any label) reads as a heading.
  // `next` is the line after it, `after_next` the one after that.
  bool HeadingLike(std::string_view text, const Label* label, bool after_break, std::string_view next,
                   std::string_view after_next = {}) const {
    text = Trim(text);
    if (text.empty() || text.size() > 120) return false;
    if (label != nullptr && label->style == Label::kBullet) return false;
    if (text.find('\t') != std::string_view::npos) return false;
    const char last = text.back();
    if (last == '.' || last == ',' || last == ';') return false;
    if (label != nullptr && label->style == Label::kCoded) return false;
    if (std::count(text.begin(), text.end(), ',') >= 2) return false;  // a list of names in a sentence
    if (FirstLetterCase(text) != 1) return false;
    std::vector<std::string_view> words = Words(text);
    if (words.size() > 16) return false;
    if (cues_.Contains(FoldedKey(text), "sentence.modal", language_)) return false;
    CaseCount cc = CountCase(text);
    if (cc.letters < 3) return false;
    const bool caps = cc.upper * 10 >= cc.letters * 9 && cc.letters >= 4;
    int significant = 0, capitalised = 0;
    for (std::string_view w : words) {
      std::string key = FoldedKey(w);
      if (key.empty() || IsFunctionWord(key)) continue;
      ++significant;
      if (FirstLetterCase(w) == 1) ++capitalised;
    }
    const bool title = significant > 0 && capitalised * 10 >= significant * 7;
    const int next_case = FirstLetterCase(next);
    if (last == ':' && !caps && words.size() > 4) return false;  // "Subrecommendations include:"
    // "To the Harbour Board:" between blank lines (OCR sets paragraphs
    // apart): whom the items below are for, inside their section.
    if (last == ':' && IsAddresseeLine(text)) return false;
    if (caps) return words.size() <= 16 && next_case != -1;
    if (label != nullptr) return next_case != -1 && ((title && words.size() <= 12) || (words.size() <= 4 && after_break));
    if (next_case == -1 && after_break && !next.empty() && FirstLetterCase(after_next) != -1) {
      // A title-case heading set on two lines whose second starts in lower
      // case ("Annex C – Government's response to the Review's" /
      // "recommendations"): the two together read as the heading.
      const std::string_view rest = Trim(next);
      if (rest.find('\t') != std::string_view::npos || EndsWithSentencePunct(rest) || rest.back() == ',' ||
          rest.back() == ';' || rest.back() == ':')
        return false;
      const std::vector<std::string_view> more = Words(rest);
      if (words.size() + more.size() > 12) return false;
      int sig = significant, cap = capitalised;
      for (std::string_view w : more) {
        std::string key = FoldedKey(w);
        if (key.empty() || IsFunctionWord(key)) continue;
        ++sig;
        if (FirstLetterCase(w) == 1) ++cap;
      }
      return sig > 0 && cap * 10 >= sig * 7;
    }
    return after_break && title && words.size() <= 10 && next_case != -1;
  }

  // A line that starts a block whatever precedes it: an item label with its
  // number ("Recommendation 2.", "Recomendación N° 3:"), or a response or
  // responsible label with its colon.
  bool OpensBlock(std::string_view text) const {
    const std::string key = FoldedKey(text.substr(0, 80));
    size_t length = 0;
    if (!cues_.StartsWith(key, {"label.recommendation", "label.finding", "label.conclusion"}, language_, &length).empty()) {
      const std::string rest = key.substr(std::min(key.size(), length + 1));
      const std::string word = rest.substr(0, rest.find(' '));
      if (!word.empty() && (std::isdigit(static_cast<unsigned char>(word[0])) || word.size() == 1)) return true;
    }
    // "Response by the Safety Authority", "Agency comments" set on a line of
    // their own (a heading the layout did not set apart)
    if (!cues_.StartsWith(key, {"topic.response"}, language_, &length).empty() && !EndsWithSentencePunct(text) &&
        Words(text).size() <= 10 && FirstLetterCase(text) == 1)
      return true;
    // "Management response" alone on its line
    if (!cues_.StartsWith(key, {"label.response"}, language_, &length).empty() && length == key.size() &&
        key.find(' ') != std::string::npos) return true;
    const size_t colon = text.find(':');
    if (colon != std::string_view::npos && colon < 60) {
      const std::string head = FoldedKey(text.substr(0, colon));
      if (!cues_.StartsWith(head, {"label.response", "label.responsible"}, language_, &length).empty() &&
          length == head.size()) return true;
    }
    // "Al Órgano Instructor:", "To the Secretary of Health:": the addressee of
    // the items that follow, a line of its own ending in a colon.
    return IsAddresseeLine(text);
  }

  // A line of its own naming whom the items below are for, ending in a colon.
  bool IsAddresseeLine(std::string_view text) const {
    text = Trim(text);
    const size_t colon = text.find(':');
    size_t length = 0;
    return colon != std::string_view::npos && colon + 1 == text.size() && colon < 140 && FirstLetterCase(text) == 1 &&
           !cues_.StartsWith(FoldedKey(text.substr(0, colon)), {"label.addressee"}, language_, &length).empty();
  }

  // A line that is a topic's name and nothing else ("Conclusions", "Recommandations").
  bool IsTopicHeading(std::string_view text) const {
    const std::string key = FoldedKey(text.substr(0, 80));
    size_t length = 0;
    return !key.empty() &&
           !cues_.StartsWith(key, {"topic.recommendations", "topic.findings", "topic.conclusions", "topic.lessons",
                                   "topic.response", "topic.actions"}, language_, &length).empty() &&
           length == key.size();
  }

  // A line that is nothing but an item label without a number ("Safety
  // issue", "Recommendation:"): it stands alone, and its item follows.
  bool IsBareItemLabel(std::string_view text) const {
    text = Trim(text);
    // A label is capitalised and is no sentence's end ("… our recommendation.").
    if (text.empty() || FirstLetterCase(text) != 1 || text.back() == '.' || text.back() == ',' || text.back() == ';')
      return false;
    const std::string key = FoldedKey(text.substr(0, 60));
    size_t length = 0;
    if (key.empty() || key.size() > 40 ||
        cues_.StartsWith(key, {"label.recommendation", "label.finding", "label.conclusion"}, language_, &length).empty())
      return false;
    if (length == key.size()) return true;
    // "Commitment 12", "Recommendation 3:" alone on the line: a label and its number.
    const std::string rest = key.substr(std::min(key.size(), length + 1));
    return !rest.empty() && rest.size() <= 4 && rest.find(' ') == std::string::npos &&
           std::isdigit(static_cast<unsigned char>(rest[0]));
  }

  // The cells of a line set in columns by runs of three or more spaces, when
  // each reads as a column heading (a few words, no sentence); else none.
  static std::vector<std::string> SpaceSetCells(std::string_view text) {
    std::vector<std::string> cells;
    size_t i = 0;
    while (i < text.size()) {
      while (i < text.size() && text[i] == ' ') ++i;
      if (i >= text.size()) break;
      size_t j = i;
      while (j < text.size()) {
        if (text[j] == ' ' && j + 2 < text.size() && text[j + 1] == ' ' && text[j + 2] == ' ') break;
        ++j;
      }
      std::string_view cell = Trim(text.substr(i, j - i));
      if (Words(cell).size() > 6 || EndsWithSentencePunct(cell)) return {};
      cells.emplace_back(cell);
      i = j;
    }
    return cells;
  }

  bool EndsWithFunctionWord(std::string_view text) const {
    std::vector<std::string_view> words = Words(text);
    return !words.empty() && IsFunctionWord(FoldedKey(words.back()));
  }

  // A table row whose number the layout set on its second line, in the middle
  // of the row's height: the first line has an empty first cell and a text
  // that opens in capitals, the second the number and the text's lower-case
  // run-on ("\tThe government will issue a\tDepartment for" over
  // "3\tcode requiring …\tCommunities"). The second line joins the first,
  // cell by cell. (A wrapped line under a numbered row has the opposite
  // shape: an empty first cell after the number's line.) Returns whether
  // `row` was merged into the last block.
  bool MergeRowWithNumberBelow(Block* row) {
    if (out_.blocks.empty() || row->cells.size() < 2) return false;
    Block& above = out_.blocks.back();
    if (above.kind != BlockKind::kTableRow || above.page != row->page || merged_row_ == out_.blocks.size() - 1 ||
        above.cells.size() < 2) {
      return false;
    }
    auto is_number = [](const std::string& cell) {
      return !cell.empty() && cell.size() <= 3 &&
             std::all_of(cell.begin(), cell.end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)); });
    };
    if (!is_number(row->cells[0])) return false;
    // The line's leading tab (its empty number cell) may be gone with its indent.
    const bool shifted = !above.cells[0].empty() && !is_number(above.cells[0]);
    size_t text_cell = shifted ? 0 : 1;
    while (text_cell < above.cells.size() && above.cells[text_cell].empty()) ++text_cell;
    if (text_cell >= above.cells.size() || FirstLetterCase(above.cells[text_cell]) != 1) return false;
    const size_t below_cell = shifted ? text_cell + 1 : text_cell;
    const std::string below = below_cell < row->cells.size() ? row->cells[below_cell] : std::string();
    // The text runs on in lower case, or from a sentence left open; or the number's line holds other cells only.
    const std::string& text = above.cells[text_cell];
    // (A header row's cells are short: "Recommendation" over "1 | The government should …" stays a header.)
    if (Words(text).size() < 6) return false;
    const bool open_sentence = std::string_view(".;:!?").find(text.back()) == std::string_view::npos;
    if (below.empty() ? std::all_of(row->cells.begin() + std::min(below_cell, row->cells.size()), row->cells.end(), [](const std::string& c) { return c.empty(); }) : (FirstLetterCase(below) != -1 && !open_sentence)) return false;
    if (shifted) above.cells.insert(above.cells.begin(), std::string());
    if (above.cells.size() < row->cells.size()) above.cells.resize(row->cells.size());
    above.cells[0] = row->cells[0];
    for (size_t c = 1; c < row->cells.size(); ++c) {
      if (row->cells[c].empty()) continue;
      above.cells[c] += (above.cells[c].empty() ? "" : " ") + row->cells[c];
    }
    above.text = RowText(above.cells);
    above.end = row->end;
    merged_row_ = out_.blocks.size() - 1;
    return true;
  }

  size_t merged_row_ = static_cast<size_t>(-1);  // the last row MergeRowWithNumberBelow joined a line into

  static std::string RowText(const std::vector<std::string>& cells) {
    std::string text;
    for (const std::string& c : cells) {
      if (c.empty()) continue;
      if (!text.empty()) text += ' ';
      text += c;
    }
    return text;
  }

  void ReadBlocks() {
    // Reading lines only: skip removed ones; contents lines become entries.
    std::vector<size_t> order;
    for (size_t i = 0; i < lines_.size(); ++i) {
      if (lines_[i].state == RawLine::kText || lines_[i].state == RawLine::kBlank ||
          lines_[i].state == RawLine::kContents) order.push_back(i);
    }
    bool after_break = true;   // a blank line, a page start or a finished sentence came before
    int open = -1;             // the block that takes continuation lines
    std::vector<Label> bare_labels;
    std::vector<std::pair<uint32_t, size_t>> bare_at;
    uint32_t previous_page = 0;
    for (size_t n = 0; n < order.size(); ++n) {
      const RawLine& line = lines_[order[n]];
      if (line.page != previous_page) {
        // A page break ends a paragraph only where its sentence ended; a
        // short open block (a stray footer line "27 April 2026 Page 7", a
        // caption) does not run on into the next page's heading.
        if (open >= 0 && (EndsWithSentencePunct(out_.blocks[open].text) ||
                          out_.blocks[open].text.size() < kShortestRunOnBlock))
          after_break = true;
        previous_page = line.page;
      }
      if (line.state == RawLine::kBlank) {
        after_break = true;
        if (open >= 0 && out_.blocks[open].kind != BlockKind::kListItem) open = -1;
        continue;
      }
      std::string_view next, after_next;
      for (size_t m = n + 1; m < order.size(); ++m) {
        if (lines_[order[m]].state != RawLine::kText) continue;
        if (next.empty()) {
          next = lines_[order[m]].text;
        } else {
          after_next = lines_[order[m]].text;
          break;
        }
      }
      if (line.state == RawLine::kContents) {
        Block b;
        b.kind = BlockKind::kContentsEntry;
        b.page = line.page;
        b.start = line.start;
        b.end = line.end;
        b.text = std::string(line.text);
        out_.blocks.push_back(std::move(b));
        open = -1;
        after_break = true;
        continue;
      }
      std::string_view text = line.text;
      // A header set with spaces over a table the reader rebuilt ("Niveau      Recommandations").
      std::vector<std::string> header_cells;
      if (text.find('\t') == std::string_view::npos && n + 1 < order.size() &&
          lines_[order[n + 1]].state == RawLine::kText && lines_[order[n + 1]].page == line.page &&
          lines_[order[n + 1]].text.find('\t') != std::string_view::npos) {
        header_cells = SpaceSetCells(text);
        if (header_cells.size() < 2) header_cells.clear();
      }
      if (text.find('\t') != std::string_view::npos || !header_cells.empty()) {
        Block b;
        b.kind = BlockKind::kTableRow;
        b.page = line.page;
        b.start = line.start;
        b.end = line.end;
        size_t s = 0;
        while (header_cells.empty() && s <= text.size()) {
          size_t e = text.find('\t', s);
          if (e == std::string_view::npos) e = text.size();
          b.cells.emplace_back(Trim(text.substr(s, e - s)));
          s = e + 1;
        }
        if (!header_cells.empty()) b.cells = std::move(header_cells);
        if (MergeRowWithNumberBelow(&b)) {
          open = -1;
          after_break = true;
          continue;
        }
        b.text = RowText(b.cells);
        out_.blocks.push_back(std::move(b));
        open = -1;
        after_break = true;
        continue;
      }
      Label label;
      const bool labelled = ParseLabel(text, &label);
      if (labelled && label.bare) {
        // A label whose text the layout put elsewhere: pair it with the text that follows.
        bare_labels.push_back(label);
        bare_at.emplace_back(line.page, line.start);
        continue;
      }
      if (!bare_labels.empty() && !labelled) {
        // The next pending label opens an item where a sentence ended.
        const bool starts_item = after_break || open < 0 || out_.blocks[open].kind != BlockKind::kListItem ||
                                 EndsWithSentencePunct(out_.blocks[open].text);
        if (starts_item && FirstLetterCase(text) != -1) {
          Label pending = bare_labels.front();
          bare_labels.erase(bare_labels.begin());
          bare_at.erase(bare_at.begin());
          Block b;
          b.kind = BlockKind::kListItem;
          b.page = line.page;
          b.start = line.start;
          b.end = line.end;
          b.label = pending.printed;
          b.number = pending.number;
          b.level = ListLevel(pending.style);
          b.text = std::string(text);
          out_.blocks.push_back(std::move(b));
          open = static_cast<int>(out_.blocks.size()) - 1;
          after_break = false;
          continue;
        }
      }
      // An unnumbered line in a larger type is a heading by its look (a
      // numbered one is read as before: a list item set large stays one).
      const bool larger = LargerType(line);
      if (labelled || larger || HeadingLike(text, nullptr, after_break, next, after_next)) {
        std::string_view own = labelled ? std::string_view(text).substr(label.text_at) : text;
        if ((larger && !labelled && HeadingShape(own)) ||
            HeadingLike(own, labelled ? &label : nullptr, after_break, next, after_next)) {
          bare_labels.clear();
          bare_at.clear();
          Block b;
          b.kind = BlockKind::kHeading;
          b.page = line.page;
          b.start = line.start;
          b.end = line.end;
          if (labelled) b.label = label.printed, b.number = label.number, b.start = line.start + label.text_at;
          b.text = std::string(own);
          b.level = HeadingStyle(labelled ? &label : nullptr, own);
          // A heading set on two lines: "Recommendations for / Executive Action".
          for (int more = 0; more < 2 && n + 1 < order.size(); ++more) {
            const RawLine& following = lines_[order[n + 1]];
            if (following.state != RawLine::kText || following.page != line.page) break;
            std::string_view t = following.text;
            Label l2;
            if (t.find('\t') != std::string_view::npos || ParseLabel(t, &l2) || EndsWithSentencePunct(t)) break;
            // "CONCLUSIONS & RECOMMENDATIONS" over "CONCLUSIONS": a topic's own heading stands alone.
            if (IsTopicHeading(t) && FirstLetterCase(t) != -1) break;
            // A heading in a larger type goes on in the same type ("Evaluation of the" / "Rural Water Programme").
            const bool same_large_type = larger && LargerType(following) && SameSize(following.size, line.size) &&
                                         following.bold == line.bold && HeadingShape(t);
            const bool joins = EndsWithFunctionWord(b.text) || FirstLetterCase(t) == -1 || same_large_type ||
                               (CountCase(b.text).upper == CountCase(b.text).letters &&
                                CountCase(t).upper == CountCase(t).letters && CountCase(t).letters >= 3);
            if (!joins || Words(b.text).size() + Words(t).size() > 20) break;
            b.text += ' ';
            b.text += t;
            b.end = following.end;
            ++n;
          }
          out_.blocks.push_back(std::move(b));
          list_styles_.clear();
          open = -1;
          after_break = true;
          continue;
        }
      }
      if (labelled) {
        Block b;
        b.kind = BlockKind::kListItem;
        b.page = line.page;
        b.start = line.start;
        b.end = line.end;
        b.start = line.start + label.text_at;  // the item's own text
        b.label = label.printed;
        b.number = label.number;
        b.level = ListLevel(label.style);
        b.text = std::string(std::string_view(text).substr(label.text_at));
        out_.blocks.push_back(std::move(b));
        open = static_cast<int>(out_.blocks.size()) - 1;
        after_break = false;
        continue;
      }
      // Continuation or a new paragraph; a labelled line ("Recommendation 2.",
      // "Management response:") always opens one.
      const bool bare_label = IsBareItemLabel(text);
      // A list item that is one clause ending in a colon ("3. To the Harbour
      // Board:") goes on in the paragraph after it, across the blank line OCR
      // sets there; one whose sentence ended first ("... missions.
      // Confirmation due by:") is a table's column read apart.
      const bool introduces = open >= 0 && IntroducesWhatFollows(out_.blocks[open]);
      const bool continues = open >= 0 && (!after_break || FirstLetterCase(text) == -1 || introduces) &&
                             !OpensBlock(text) && !bare_label;
      if (continues) {
        Block& b = out_.blocks[open];
        b.text += ' ';
        b.text += text;
        if (b.page == line.page) b.end = line.end;
      } else {
        Block b;
        b.kind = BlockKind::kParagraph;
        b.page = line.page;
        b.start = line.start;
        b.end = line.end;
        b.text = std::string(text);
        out_.blocks.push_back(std::move(b));
        open = static_cast<int>(out_.blocks.size()) - 1;
      }
      after_break = false;
      if (bare_label) open = -1;  // its item is the next block
    }
  }

  // Heading levels: the order in which each heading style first appears.
  // (Type sizes do not rank them: on real documents that nested sections
  // wrongly more often than it mended them, see docs/ARCHITECTURE.md.)
  int HeadingStyle(const Label* label, std::string_view text) {
    std::string style;
    if (label == nullptr) style = "none";
    else if (label->style == Label::kDotted) style = "dotted" + std::to_string(std::count(label->number.begin(), label->number.end(), '.'));
    else style = std::to_string(static_cast<int>(label->style));
    CaseCount cc = CountCase(text);
    style += cc.upper * 10 >= cc.letters * 9 ? ":caps" : ":title";
    auto it = std::find(heading_styles_.begin(), heading_styles_.end(), style);
    if (it == heading_styles_.end()) {
      heading_styles_.push_back(style);
      return static_cast<int>(heading_styles_.size());
    }
    return static_cast<int>(it - heading_styles_.begin()) + 1;
  }

  // List levels: the order in which each label style first appears in the section.
  int ListLevel(Label::Style style) {
    auto it = std::find(list_styles_.begin(), list_styles_.end(), style);
    if (it == list_styles_.end()) {
      list_styles_.push_back(style);
      return static_cast<int>(list_styles_.size());
    }
    return static_cast<int>(it - list_styles_.begin()) + 1;
  }

  Topic TopicOfHeading(const std::string& key) const {
    // The most specific topic the heading names ("Conclusions and recommendations": recommendations).
    static const std::vector<std::pair<std::string_view, Topic>> kTopics = {
        {"topic.recommendations", Topic::kRecommendations}, {"topic.findings", Topic::kFindings},
        {"topic.conclusions", Topic::kConclusions},         {"topic.lessons", Topic::kLessons},
        {"topic.response", Topic::kResponse},               {"topic.actions", Topic::kActions},
        {"topic.terms_of_reference", Topic::kTermsOfReference},
        {"topic.methodology", Topic::kMethodology},         {"topic.references", Topic::kReferences},
        {"topic.acronyms", Topic::kAcronyms},               {"topic.background", Topic::kBackground}};
    for (const auto& [category, topic] : kTopics) {
      if (cues_.Contains(key, category, language_)) return topic;
    }
    return Topic::kNone;
  }

  void AssignSections() {
    std::vector<int> stack;
    int current = -1;
    for (size_t b = 0; b < out_.blocks.size(); ++b) {
      Block& block = out_.blocks[b];
      if (block.kind == BlockKind::kHeading) {
        Section s;
        s.number = block.number;
        s.title = block.text;
        s.level = block.level;
        s.page = block.page;
        s.heading_block = b;
        while (!stack.empty() && out_.sections[stack.back()].level >= s.level) stack.pop_back();
        s.parent = stack.empty() ? -1 : stack.back();
        const Section* parent = s.parent < 0 ? nullptr : &out_.sections[s.parent];
        std::string key = FoldedKey(block.label + " " + block.text);
        Topic own = TopicOfHeading(FoldedKey(block.text));
        // Under a recommendations, findings or conclusions heading, a sub-heading
        // is the theme of the items below it ("E - Data collection and
        // monitoring"): a theme word does not take them out of the section.
        if (parent != nullptr &&
            (parent->topic == Topic::kRecommendations || parent->topic == Topic::kFindings ||
             parent->topic == Topic::kConclusions || parent->topic == Topic::kLessons) &&
            (own == Topic::kMethodology || own == Topic::kBackground || own == Topic::kReferences ||
             own == Topic::kAcronyms))
          own = Topic::kNone;
        s.own_topic = own != Topic::kNone;
        s.topic = s.own_topic ? own : parent != nullptr ? parent->topic : Topic::kNone;
        if (!cues_.StartsWith(key, {"role.annex"}, language_).empty()) s.role = SectionRole::kAnnex;
        else if (!cues_.StartsWith(FoldedKey(block.text), {"role.summary"}, language_).empty()) s.role = SectionRole::kSummary;
        else if (!cues_.StartsWith(FoldedKey(block.text), {"role.contents"}, language_).empty()) s.role = SectionRole::kContents;
        else if (parent != nullptr) s.role = parent->role;
        else s.role = SectionRole::kBody;
        // Everything after an annex at the same level is annex too, unless named otherwise.
        if (s.role == SectionRole::kBody && parent == nullptr && last_top_role_ == SectionRole::kAnnex && !s.own_topic)
          s.role = SectionRole::kAnnex;
        if (parent == nullptr) last_top_role_ = s.role;
        out_.sections.push_back(std::move(s));
        current = static_cast<int>(out_.sections.size()) - 1;
        stack.push_back(current);
      }
      block.section = current;
    }
  }

  const std::vector<PageText>& pages_;
  const Cues& cues_;
  std::string_view language_;
  std::vector<RawLine> lines_;
  std::vector<std::string> heading_styles_;
  std::vector<Label::Style> list_styles_;
  bool styled_ = false;      // most of the text says how it is set
  float body_size_ = 0;      // the body text's type size
  SectionRole last_top_role_ = SectionRole::kFrontMatter;
  DocumentStructure out_;
};

}  // namespace

DocumentStructure BuildStructure(const std::vector<PageText>& pages, const Cues& cues, std::string_view language) {
  std::string lang(language.substr(0, 2));
  if (cues.Phrases("topic.recommendations", lang).empty()) lang = "und";
  Builder builder(pages, cues, lang);
  DocumentStructure structure = builder.Build();
  structure.pages = pages;
  if (!pages.empty()) {
    for (const Section& section : structure.sections) {
      if (section.page != pages.front().number) break;
      const std::string key = FoldedKey(section.title);
      if (section.own_topic && section.topic == Topic::kRecommendations &&
          !cues.Contains(key, "topic.findings", lang) && !cues.Contains(key, "topic.conclusions", lang) &&
          !cues.Contains(key, "topic.response", lang)) {
        structure.title_topic = Topic::kRecommendations;
        break;
      }
    }
  }
  return structure;
}

}  // namespace dossier_structure
