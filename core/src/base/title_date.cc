// Title and date from the document itself (title_date.h).
#include "dossier/title_date.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <set>

#include "dossier/name_key.h"
#include "dossier/text.h"

namespace dossier {

namespace {

constexpr size_t kMaxTitleBytes = 200;

// Collapses runs of white space and trims; strips markdown emphasis and heading marks.
std::string CleanLine(std::string_view line) {
  std::string out;
  bool space = false;
  for (char c : line) {
    if (c == '*' || c == '#' || c == '_') continue;
    if (c == ' ' || c == '\t' || c == '\r') {
      space = !out.empty();
      continue;
    }
    if (space) out.push_back(' ');
    space = false;
    out.push_back(c);
  }
  return out;
}

// The non-empty lines of a text, cleaned.
std::vector<std::string> LinesOf(std::string_view text) {
  std::vector<std::string> lines;
  size_t start = 0;
  while (start <= text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    std::string line = CleanLine(text.substr(start, end - start));
    if (!line.empty()) lines.push_back(std::move(line));
    start = end + 1;
  }
  return lines;
}

std::vector<std::string> Words(std::string_view key) {
  std::vector<std::string> words;
  size_t start = 0;
  while (start < key.size()) {
    size_t end = key.find(' ', start);
    if (end == std::string_view::npos) end = key.size();
    if (end > start) words.emplace_back(key.substr(start, end - start));
    start = end + 1;
  }
  return words;
}

int Letters(std::string_view s) {
  int n = 0;
  for (unsigned char c : s) n += std::isalpha(c) || c >= 0xC0;  // a UTF-8 lead byte counts once
  return n;
}

bool HasLower(std::string_view s) {
  return std::any_of(s.begin(), s.end(), [](unsigned char c) { return std::islower(c); });
}

// Capitals only (at least two letters): "FINAL REPORT", "(PLACMI 2)".
bool AllCaps(std::string_view s) { return Letters(s) >= 2 && !HasLower(s); }

size_t WordCount(std::string_view s) { return Words(NameKey(s)).size(); }

bool InSet(const std::string& word, std::initializer_list<std::string_view> set) {
  return std::find(set.begin(), set.end(), word) != set.end();
}

// Words that name a kind of document: a line holding one is not a masthead.
bool HasDocumentWord(const std::vector<std::string>& words) {
  for (const std::string& w : words) {
    if (InSet(w, {"evaluation", "review", "report", "response", "plan", "audit", "assessment", "study", "strategy",
                  "compendium", "memorandum", "investigation", "rapport", "reponse", "revue", "etude", "examen",
                  "informe", "evaluacion", "respuesta", "estudio", "auditoria", "ficha", "resumen"})) {
      return true;
    }
  }
  return false;
}

// "E/ICEF/2025/4", "E /ICEF/2025/4", "A/78/123", "DP/FPA/2024/1", "GAO-06-1046",
// "NER_IOM_EVAL/2022-01": one or two codes of capitals, digits and / - _ . with a digit.
bool IsDocumentSymbol(std::string_view line) {
  std::string joined;
  for (size_t i = 0; i < line.size(); ++i) {
    if (line[i] == ' ' && ((i > 0 && line[i - 1] == '/') || (i + 1 < line.size() && line[i + 1] == '/'))) continue;
    joined.push_back(line[i]);
  }
  while (!joined.empty() && (joined.front() == '*' || joined.front() == ' ')) joined.erase(0, 1);
  while (!joined.empty() && (joined.back() == '.' || joined.back() == ' ')) joined.pop_back();
  size_t tokens = 0, coded = 0;
  size_t start = 0;
  while (start < joined.size()) {
    size_t end = joined.find(' ', start);
    if (end == std::string::npos) end = joined.size();
    std::string_view token(joined.data() + start, end - start);
    ++tokens;
    bool digit = false, separator = false, ok = true;
    for (unsigned char c : token) {
      if (std::isdigit(c)) digit = true;
      else if (c == '/' || c == '-' || c == '_' || c == '.') separator = true;
      else if (!std::isupper(c)) ok = false;
    }
    if (ok && digit && separator) ++coded;
    start = end + 1;
  }
  return tokens >= 1 && tokens <= 2 && coded >= 1;
}

bool IsUrlOrEmail(std::string_view line) {
  return line.find("http") != std::string_view::npos || line.find("www.") != std::string_view::npos ||
         (line.find('@') != std::string_view::npos && line.find(' ') == std::string_view::npos);
}

// "Photo: …", "Figure 3 …", "© UNICEF/…", "Source: …": captions and credits.
bool IsCaption(std::string_view line) {
  if (line.rfind("©", 0) == 0 || line.rfind("(c)", 0) == 0) return true;
  const std::vector<std::string> words = Words(NameKey(line));
  if (words.empty()) return false;
  return InSet(words[0], {"photo", "photos", "photograph", "photography", "picture", "image", "figure", "fig", "foto",
                          "fotografia", "figura", "imagen", "credit", "credits", "source", "sources", "fuente",
                          "graphique", "grafico", "chart", "map", "carte", "mapa", "cuadro", "tableau"}) &&
         !(words.size() >= 2 && InSet(words[1], {"of", "des", "de"}) && words[0] == "table");
}

// Template labels and placeholders: "FINAL REPORT", "PROJECT TITLE",
// "PROJECT No", "DEADLINE", "[Title]", "<Insert title>", "XXX".
bool IsTemplateLabel(std::string_view line) {
  if (line.find('[') != std::string_view::npos || line.find('<') != std::string_view::npos) return true;
  if (line.find("XXX") != std::string_view::npos) return true;
  const std::vector<std::string> words = Words(NameKey(line));
  if (words.empty() || words.size() > 3) return false;
  if (words[0] == "insert" || words[0] == "enter") return true;
  for (const std::string& w : words) {
    if (!InSet(w, {"final", "draft", "report", "project", "title", "no", "number", "deadline", "date", "name", "author",
                   "version", "subject", "client", "contract", "reference", "ref", "titre", "titulo", "projet",
                   "proyecto", "fecha", "nom", "nombre", "borrador", "rapport", "informe", "final",
                   "definitivo", "provisoire", "confidential", "confidentiel", "confidencial"})) {
      return false;
    }
  }
  return true;
}

// Section headings no document is titled by.
bool IsGenericHeading(std::string_view line) {
  const std::string key = NameKey(line);
  for (std::string_view generic :
       {"executive summary", "summary", "table of contents", "contents", "foreword", "preface", "acknowledgements",
        "acknowledgments", "acronyms", "abbreviations", "acronyms and abbreviations", "introduction", "abstract",
        "highlights", "final report", "resume", "resume executif", "sommaire", "table des matieres", "avant propos",
        "remerciements", "rapport final", "resumen", "resumen ejecutivo", "indice", "contenido", "prologo",
        "agradecimientos", "informe final", "preamble", "preambule"}) {
    if (key == generic) return true;
  }
  return false;
}

// A line that only names the issuing body: "OFFICE OF THE INSPECTOR
// GENERAL", "United Nations", "Economic and Social Council", "U.S.
// Department of Health and Human Services", "IOM International Organization
// for Migration".
bool IsMasthead(std::string_view line) {
  const std::vector<std::string> words = Words(NameKey(line));
  if (words.empty() || words.size() > 8 || HasDocumentWord(words)) return false;
  for (size_t i = 0; i + 1 < words.size() && i < 3; ++i) {
    if (InSet(words[i], {"office", "department", "ministry", "bureau", "ministere", "ministerio", "direction",
                         "direccion", "secretariat", "secretaria"}) &&
        InSet(words[i + 1], {"of", "for", "de", "du", "des", "del", "of"})) {
      return true;
    }
    if (InSet(words[i], {"organization", "organisation", "organizacion"}) && InSet(words[i + 1], {"for", "of", "pour", "para", "de"})) {
      return true;
    }
  }
  if (words.size() >= 2 && words[0] == "ministere") return true;
  return InSet(words.back(), {"office", "department", "ministry", "council", "fund", "agency", "organization",
                              "organisation", "nations", "commission", "secretariat", "government", "board", "bureau",
                              "services", "inspectorate", "ombudsman", "assembly", "parliament", "conseil", "fonds",
                              "agence", "gouvernement", "ministere", "consejo", "fondo", "agencia",
                              "organizacion", "comision", "secretaria", "gobierno", "ministerio", "contraloria",
                              "republica", "republique"});
}

// A short code standing alone, as a logo prints it: "GAO", "OIG", "IOM".
bool IsLogoAcronym(std::string_view line) {
  return line.find(' ') == std::string_view::npos && AllCaps(line) && Letters(line) <= 4;
}

// "To: Head of MRF", "Distr.: General": a label and its value.
bool IsField(std::string_view line) {
  const size_t colon = line.find(':');
  if (colon == std::string_view::npos || colon > 45) return false;
  return WordCount(line.substr(0, colon)) <= 6;
}

bool IsPageNumber(std::string_view line) {
  const std::string key = NameKey(line);
  if (key.empty()) return true;
  const bool digits = std::all_of(key.begin(), key.end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)) || c == ' '; });
  return digits || key.rfind("page ", 0) == 0;
}

// Mostly a date: "July 2001", "O I G March 2014", "Version 6.1 – Tuesday 4th June".
bool IsDateLine(std::string_view line, size_t max_other_words = 4) {
  for (const FoundDate& d : FindDatesInLine(line)) {
    std::string rest = std::string(line.substr(0, d.start)) + " " + std::string(line.substr(d.end));
    if (WordCount(rest) <= max_other_words) return true;
  }
  return false;
}

// A sentence of running text rather than a heading.
bool IsProse(std::string_view line) {
  const size_t words = WordCount(line);
  return words >= 20 || (words >= 8 && !line.empty() && line.back() == '.');
}

enum class LineKind { kCandidate, kDate, kExcluded };

LineKind Classify(std::string_view line) {
  if (Letters(line) < 2 || IsPageNumber(line)) return LineKind::kExcluded;
  if (IsDateLine(line)) return LineKind::kDate;
  if (IsDocumentSymbol(line) || IsUrlOrEmail(line) || IsCaption(line) || IsTemplateLabel(line) ||
      IsGenericHeading(line) || IsMasthead(line) || IsLogoAcronym(line) || IsField(line)) {
    return LineKind::kExcluded;
  }
  return LineKind::kCandidate;
}

bool EndsInFunctionWord(std::string_view text) {
  const std::vector<std::string> words = Words(NameKey(text));
  return !words.empty() && InSet(words.back(), {"of", "the", "and", "for", "to", "in", "on", "a", "an", "de", "du", "des",
                                                "la", "le", "les", "et", "en", "pour", "del", "y", "el", "los", "las",
                                                "para", "por", "con", "with", "at", "by"});
}

// Quotes or parentheses left open: the title goes on.
bool Unbalanced(std::string_view text) {
  int parens = 0, quotes = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '(') ++parens;
    else if (text[i] == ')') --parens;
    else if (text[i] == '\'' || text[i] == '"') ++quotes;
    else if (text.substr(i, 3) == "“") ++quotes;
    else if (text.substr(i, 3) == "”") ++quotes;
  }
  return parens > 0 || quotes % 2 == 1;
}

bool StartsLower(std::string_view text) { return !text.empty() && std::islower(static_cast<unsigned char>(text[0])); }

// Appends a line of the same title: a space, or ": " where a label in
// capitals meets the title in mixed case ("MANAGEMENT RESPONSE: Evaluation of …").
void AppendTitleLine(std::string* title, const std::string& line) {
  if (title->empty()) {
    *title = line;
    return;
  }
  const bool label = AllCaps(*title) && !AllCaps(line) && !EndsInFunctionWord(*title);
  *title += (label ? ": " : " ") + line;
}

std::string Shorten(std::string title) {
  while (!title.empty() && (title.back() == ':' || title.back() == ',' || title.back() == ' ')) title.pop_back();
  if (title.size() > kMaxTitleBytes) title = std::string(TruncateUtf8(title, kMaxTitleBytes)) + "…";
  return title;
}

// Lines printed near the top of several of the first pages: running headers.
std::set<std::string> RunningHeaders(const std::vector<PageText>& pages) {
  std::map<std::string, int> seen;
  for (size_t p = 0; p < pages.size() && p < 4; ++p) {
    std::set<std::string> on_page;
    std::vector<std::string> lines = LinesOf(pages[p].text);
    for (size_t i = 0; i < lines.size() && i < 3; ++i) on_page.insert(NameKey(lines[i]));
    for (const std::string& key : on_page) ++seen[key];
  }
  std::set<std::string> headers;
  for (const auto& [key, count] : seen) {
    if (count >= 3 && !key.empty()) headers.insert(key);
  }
  return headers;
}

size_t FirstPageWithText(const std::vector<PageText>& pages) {
  for (size_t p = 0; p < pages.size(); ++p) {
    if (Letters(pages[p].text) >= 20) return p;
  }
  return pages.size();
}

// The title from the lines of text alone: the first line that reads as a
// title, with the lines that continue it.
std::string FirstLineTitle(const std::vector<PageText>& pages) {
  const std::set<std::string> headers = RunningHeaders(pages);
  for (size_t p = FirstPageWithText(pages); p < pages.size() && p < 2; ++p) {
    const std::vector<std::string> lines = LinesOf(pages[p].text);
    // A run of short lines in capitals (a form's column of labels) is passed over as a whole.
    size_t i = 0;
    for (; i < lines.size() && i < 40; ++i) {
      if (headers.count(NameKey(lines[i]))) continue;
      if (Classify(lines[i]) != LineKind::kCandidate || IsProse(lines[i])) continue;
      if (i + 1 < lines.size() && AllCaps(lines[i]) && WordCount(lines[i]) <= 3 && AllCaps(lines[i + 1]) &&
          WordCount(lines[i + 1]) <= 3 && IsTemplateLabel(lines[i + 1])) {
        continue;
      }
      break;
    }
    if (i >= lines.size() || i >= 40) continue;
    std::string title = lines[i];
    const bool label = AllCaps(title) && WordCount(title) <= 4;
    for (size_t j = i + 1; j < lines.size() && title.size() < kMaxTitleBytes; ++j) {
      const std::string& next = lines[j];
      if (Classify(next) != LineKind::kCandidate || IsProse(next) || next.size() > 160) break;
      const bool goes_on = EndsInFunctionWord(title) || Unbalanced(title) || StartsLower(next) ||
                           (AllCaps(title) && AllCaps(next)) || (label && j == i + 1 && next.back() != '.');
      if (!goes_on) break;
      AppendTitleLine(&title, next);
    }
    return title;
  }
  return "";
}

// A labelled title or subject on the first page ("Subject: …", "Título del
// informe: …", "Evaluation title/year: …"), with the lines that continue it.
std::string TitleField(const std::vector<PageText>& pages) {
  const size_t first = FirstPageWithText(pages);
  if (first >= pages.size()) return "";
  const std::vector<std::string> lines = LinesOf(pages[first].text);
  for (size_t i = 0; i < lines.size() && i < 25; ++i) {
    const std::string& line = lines[i];
    const size_t colon = line.find(':');
    if (colon == std::string::npos || colon > 45) continue;
    const std::vector<std::string> label = Words(NameKey(line.substr(0, colon)));
    if (label.empty() || label.size() > 5) continue;
    bool is_title = InSet(label[0], {"subject", "objet", "asunto", "re", "sujet"}) && label.size() == 1;
    for (const std::string& w : label) is_title = is_title || InSet(w, {"title", "titre", "titulo"});
    if (!is_title) continue;
    std::string value = CleanLine(line.substr(colon + 1));
    size_t j = i + 1;
    if (value.empty() && j < lines.size() && !IsField(lines[j])) value = lines[j++];
    for (int extra = 0; j < lines.size() && extra < 3; ++j, ++extra) {
      const std::string& next = lines[j];
      if (IsField(next) || next.back() == ':' || IsProse(next)) break;
      if (!(Unbalanced(value) || StartsLower(next) || (AllCaps(value) && AllCaps(next)) || EndsInFunctionWord(value))) break;
      value += " " + next;
    }
    if (Letters(value) >= 3) return value;
  }
  return "";
}

// The largest heading of the first pages from their typeset lines; "" when
// no line stands out from the body type.
std::string HeadingTitle(const std::vector<TypesetLine>& typeset) {
  if (typeset.empty()) return "";
  // The body size: the size most characters of lines of running text (eight
  // words or more) are set in; without such lines, the smallest size.
  std::map<long, size_t> chars_by_size;
  for (const TypesetLine& l : typeset) {
    if (WordCount(l.text) >= 8) chars_by_size[std::lround(l.size * 10)] += l.text.size();
  }
  long body_key = 0;
  size_t most = 0;
  for (const auto& [key, chars] : chars_by_size) {
    if (chars > most) most = chars, body_key = key;
  }
  double body = body_key / 10.0;
  if (most == 0) {
    body = typeset.front().size;
    for (const TypesetLine& l : typeset) body = std::min(body, l.size);
  }
  // The first page; the second only when the first has no line that could be a title (a picture cover).
  const uint32_t first_page = typeset.front().page;
  for (uint32_t page = first_page; page <= first_page + 1; ++page) {
    std::vector<TypesetLine> lines;
    for (const TypesetLine& l : typeset) {
      if (l.page == page) lines.push_back(l);
    }
    // Candidates: lines before the first paragraph of running text.
    std::vector<LineKind> kinds;
    double largest = 0;
    size_t end = lines.size();
    for (size_t i = 0; i < lines.size(); ++i) {
      if (IsProse(lines[i].text) && lines[i].size <= body * 1.05) {
        end = i;
        break;
      }
    }
    lines.resize(end);
    for (const TypesetLine& l : lines) {
      kinds.push_back(Classify(l.text));
      if (kinds.back() == LineKind::kCandidate) largest = std::max(largest, l.size);
    }
    if (largest < body * 1.15) {
      if (largest > 0) return "";
      continue;
    }
    size_t start = 0;
    while (!(kinds[start] == LineKind::kCandidate && lines[start].size >= largest * 0.95)) ++start;
    // A line above in the same type, set as close as the title's own lines,
    // is the title's even when it reads like a body's name ("Open Government / Partnership …").
    // (Distances are from the top of one line to the top of the next, in type sizes.)
    while (start > 0 && kinds[start - 1] == LineKind::kExcluded && IsMasthead(lines[start - 1].text) &&
           std::abs(lines[start - 1].size - lines[start].size) <= lines[start].size * 0.05 &&
           lines[start].top - lines[start - 1].top > 0 &&
           lines[start].top - lines[start - 1].top <= lines[start].size * 1.5) {
      --start;
      kinds[start] = LineKind::kCandidate;
    }
    std::string title;
    // A kicker set right above it in large type ("UN80 INITIATIVE" over "Progress and Next Steps").
    if (start > 0 && kinds[start - 1] == LineKind::kCandidate) {
      const TypesetLine& above = lines[start - 1];
      const double pitch = lines[start].top - above.top;
      if (above.size >= largest * 0.4 && above.size > body * 1.15 && pitch > 0 && pitch <= above.size * 1.5) {
        title = above.text + " – ";
      }
    }
    std::string block = lines[start].text;
    double block_size = lines[start].size;
    bool subtitle = false;
    size_t last = start;
    double block_pitch = 0;  // the distance between the block's lines, once it has two
    for (size_t i = start + 1; i < lines.size(); ++i) {
      const TypesetLine& prev = lines[last];
      const TypesetLine& next = lines[i];
      const double pitch = next.top - prev.top;
      const bool same_size = next.size >= block_size * 0.95 && next.size <= block_size * 1.05;
      const bool adjacent = pitch > 0 && (block_pitch > 0 ? pitch <= block_pitch * 1.3
                                                           : pitch <= std::max(prev.size, next.size) * 2.5);
      if (kinds[i] == LineKind::kExcluded && !(adjacent && same_size && IsLogoAcronym(next.text))) break;
      if (adjacent && same_size) {  // the same block (a date inside it is part of the title)
        if (EndsInFunctionWord(block) || StartsLower(next.text) || !AllCaps(block) || AllCaps(next.text)) {
          block += " " + next.text;
        } else {
          block += ": " + next.text;
        }
        if (block_pitch == 0) block_pitch = pitch;
        last = i;
        continue;
      }
      if (kinds[i] == LineKind::kDate || subtitle) break;
      // A subtitle: smaller type set under it, or the same type after a gap.
      const bool smaller_under = adjacent && next.size >= largest * 0.4 && next.size < block_size && next.size > body * 1.15;
      const bool after_gap = pitch > 0 && pitch <= prev.size * 3 && next.size >= largest * 0.4 && next.size > body * 1.15;
      if (!(smaller_under || after_gap)) break;
      block += (EndsInFunctionWord(block) || StartsLower(next.text) ? " " : ": ") + next.text;
      block_size = next.size;
      block_pitch = 0;
      subtitle = true;
      last = i;
    }
    return title + block;
  }
  return "";
}

// A metadata title worth showing: words, not a file name or a placeholder
// ("report_v3.docx", "Microsoft Word - x.doc", "untitled").
bool IsUsefulMetadataTitle(const std::string& title) {
  if (title.find(' ') == std::string::npos) return false;
  std::string lower;
  for (char c : title) lower.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  for (std::string_view junk : {"microsoft word - ", "untitled", ".doc", ".pdf", ".rtf", ".odt", "powerpoint"}) {
    if (lower.find(junk) != std::string::npos) return false;
  }
  return Letters(title) >= 3 && !IsDocumentSymbol(title) && !IsTemplateLabel(title);
}

// ---- dates ----

struct Token {
  size_t start, end;
  std::string key;  // folded word, digits, or "," for a comma
  bool number = false;
};

std::vector<Token> Tokenize(std::string_view line) {
  std::vector<Token> tokens;
  size_t i = 0;
  while (i < line.size()) {
    const unsigned char c = static_cast<unsigned char>(line[i]);
    if (std::isdigit(c)) {
      size_t j = i;
      while (j < line.size() && std::isdigit(static_cast<unsigned char>(line[j]))) ++j;
      tokens.push_back({i, j, std::string(line.substr(i, j - i)), true});
      i = j;
    } else if (std::isalpha(c) || c == 0xC3) {  // ASCII letters and Latin-1 letters (é, û, ñ …)
      size_t j = i;
      while (j < line.size()) {
        const unsigned char d = static_cast<unsigned char>(line[j]);
        if (std::isalpha(d)) ++j;
        else if (d == 0xC3 && j + 1 < line.size()) j += 2;
        else break;
      }
      tokens.push_back({i, j, NameKey(line.substr(i, j - i)), false});
      i = j;
    } else if (c == ',') {
      tokens.push_back({i, i + 1, ",", false});
      ++i;
    } else {
      ++i;
    }
  }
  return tokens;
}

int MonthOf(const std::string& key) {
  static const std::map<std::string, int> months = {
      {"january", 1},  {"jan", 1},       {"february", 2},  {"feb", 2},      {"march", 3},     {"mar", 3},
      {"april", 4},    {"apr", 4},       {"may", 5},       {"june", 6},     {"jun", 6},       {"july", 7},
      {"jul", 7},      {"august", 8},    {"aug", 8},       {"september", 9}, {"sep", 9},      {"sept", 9},
      {"october", 10}, {"oct", 10},      {"november", 11}, {"nov", 11},     {"december", 12}, {"dec", 12},
      {"janvier", 1},  {"janv", 1},      {"fevrier", 2},   {"fevr", 2},     {"mars", 3},      {"avril", 4},
      {"avr", 4},      {"mai", 5},       {"juin", 6},      {"juillet", 7},  {"juil", 7},      {"aout", 8},
      {"septembre", 9}, {"octobre", 10}, {"novembre", 11}, {"decembre", 12}, {"enero", 1},    {"ene", 1},
      {"febrero", 2},  {"marzo", 3},     {"abril", 4},     {"abr", 4},      {"mayo", 5},      {"junio", 6},
      {"julio", 7},    {"agosto", 8},    {"ago", 8},       {"septiembre", 9}, {"setiembre", 9}, {"octubre", 10},
      {"noviembre", 11}, {"diciembre", 12}, {"dic", 12}};
  auto it = months.find(key);
  return it == months.end() ? 0 : it->second;
}

int YearOf(const Token& t) {
  if (!t.number || t.key.size() != 4) return 0;
  const int y = std::atoi(t.key.c_str());
  return y >= 1900 && y <= 2099 ? y : 0;
}

int DayOf(const Token& t) {
  if (!t.number || t.key.size() > 2) return 0;
  const int d = std::atoi(t.key.c_str());
  return d >= 1 && d <= 31 ? d : 0;
}

bool IsOrdinal(const std::string& key) { return InSet(key, {"st", "nd", "rd", "th", "er", "o", "eme"}); }

// Numeric dates: 13/04/2022, 13.04.2022, 13-04-2022 (day first unless that
// cannot be), 2022-04-13.
void FindNumericDates(std::string_view line, std::vector<FoundDate>* out) {
  auto digits = [&](size_t at, size_t n) {
    if (at + n > line.size()) return false;
    for (size_t k = at; k < at + n; ++k) {
      if (!std::isdigit(static_cast<unsigned char>(line[k]))) return false;
    }
    return at + n == line.size() || !std::isdigit(static_cast<unsigned char>(line[at + n]));
  };
  auto number = [&](size_t at, size_t n) { return std::atoi(std::string(line.substr(at, n)).c_str()); };
  for (size_t i = 0; i < line.size(); ++i) {
    if (!std::isdigit(static_cast<unsigned char>(line[i])) || (i > 0 && std::isdigit(static_cast<unsigned char>(line[i - 1])))) continue;
    if (digits(i, 4) && i + 10 <= line.size() && line[i + 4] == '-' && digits(i + 5, 2) && line[i + 7] == '-' && digits(i + 8, 2)) {
      FoundDate d{i, i + 10, number(i, 4), number(i + 5, 2), number(i + 8, 2)};
      if (d.year >= 1900 && d.year <= 2099 && d.month >= 1 && d.month <= 12 && d.day >= 1 && d.day <= 31) out->push_back(d);
      continue;
    }
    for (size_t a : {size_t{1}, size_t{2}}) {
      if (!digits(i, a) || i + a >= line.size()) continue;
      const char sep = line[i + a];
      if (sep != '/' && sep != '.' && sep != '-') continue;
      for (size_t b : {size_t{1}, size_t{2}}) {
        const size_t y = i + a + 1 + b;
        if (!digits(i + a + 1, b) || y >= line.size() || line[y] != sep || !digits(y + 1, 4)) continue;
        int first = number(i, a), second = number(i + a + 1, b), year = number(y + 1, 4);
        int day = first, month = second;
        if (month > 12) std::swap(day, month);
        if (year < 1900 || year > 2099 || month < 1 || month > 12 || day < 1 || day > 31) continue;
        out->push_back({i, y + 5, year, month, day});
      }
    }
  }
}

}  // namespace

std::string FoundDate::Value() const {
  if (year == 0 || month == 0) return "";
  char buffer[40];  // room for any int the format could print (no truncation warning)
  if (day > 0) std::snprintf(buffer, sizeof buffer, "%04d-%02d-%02d", year, month, day);
  else std::snprintf(buffer, sizeof buffer, "%04d-%02d", year, month);
  return buffer;
}

std::vector<FoundDate> FindDatesInLine(std::string_view line) {
  std::vector<FoundDate> found;
  FindNumericDates(line, &found);
  const std::vector<Token> t = Tokenize(line);
  for (size_t i = 0; i < t.size(); ++i) {
    const int month = t[i].number ? 0 : MonthOf(t[i].key);
    if (month == 0) continue;
    FoundDate d;
    d.month = month;
    d.start = t[i].start;
    d.end = t[i].end;
    // A day before it: "3 January", "1er mars", "4 de marzo", "4 th June".
    size_t k = i;
    if (k >= 1 && (t[k - 1].key == "de" || t[k - 1].key == "of" || t[k - 1].key == "le")) --k;
    if (k >= 1 && IsOrdinal(t[k - 1].key) && !t[k - 1].number) --k;
    if (k >= 1 && DayOf(t[k - 1])) {
      d.day = DayOf(t[k - 1]);
      d.start = t[k - 1].start;
    }
    // After it: a year ("March 2024", "marzo de 2023"), or a day and a year ("July 16, 2001").
    size_t j = i + 1;
    while (j < t.size() && (t[j].key == "de" || t[j].key == "del" || t[j].key == ",")) ++j;
    if (j < t.size() && YearOf(t[j])) {
      d.year = YearOf(t[j]);
      d.end = t[j].end;
    } else if (d.day == 0 && j < t.size() && DayOf(t[j])) {
      size_t y = j + 1;
      if (y < t.size() && IsOrdinal(t[y].key)) ++y;
      if (y < t.size() && t[y].key == ",") ++y;
      if (y < t.size() && YearOf(t[y])) {
        d.day = DayOf(t[j]);
        d.year = YearOf(t[y]);
        d.end = t[y].end;
      }
    }
    // A bare abbreviation or "may" is a date only with a day or a year beside it.
    if (d.year == 0 && d.day == 0) continue;
    if (d.year == 0 && (t[i].key == "may" || t[i].key == "mar" || t[i].key.size() <= 3)) continue;
    found.push_back(d);
  }
  std::sort(found.begin(), found.end(), [](const FoundDate& a, const FoundDate& b) { return a.start < b.start; });
  return found;
}

std::vector<TypesetLine> ParseTypesetLines(std::string_view encoded) {
  std::vector<TypesetLine> lines;
  size_t start = 0;
  while (start < encoded.size()) {
    size_t end = encoded.find('\n', start);
    if (end == std::string_view::npos) end = encoded.size();
    std::string_view row = encoded.substr(start, end - start);
    start = end + 1;
    const size_t a = row.find('\t');
    const size_t b = a == std::string_view::npos ? a : row.find('\t', a + 1);
    const size_t c = b == std::string_view::npos ? b : row.find('\t', b + 1);
    if (c == std::string_view::npos) continue;
    TypesetLine line;
    char* stop = nullptr;
    const std::string page(row.substr(0, a)), size(row.substr(a + 1, b - a - 1)), top(row.substr(b + 1, c - b - 1));
    line.page = static_cast<uint32_t>(std::strtoul(page.c_str(), &stop, 10));
    if (*stop != '\0' || line.page == 0) continue;
    line.size = std::strtod(size.c_str(), &stop);
    if (*stop != '\0' || !(line.size > 0 && line.size < 2000)) continue;
    line.top = std::strtod(top.c_str(), &stop);
    if (*stop != '\0') continue;
    line.text = CleanLine(row.substr(c + 1));
    if (!line.text.empty()) lines.push_back(std::move(line));
  }
  return lines;
}

std::string EncodeTypesetLines(const std::vector<TypesetLine>& lines) {
  std::string out;
  char numbers[64];
  for (const TypesetLine& l : lines) {
    std::snprintf(numbers, sizeof numbers, "%u\t%.1f\t%.1f\t", l.page, l.size, l.top);
    out += numbers;
    for (char c : l.text) out.push_back(c == '\n' || c == '\t' ? ' ' : c);
    out.push_back('\n');
  }
  return out;
}

TitleChoice ChooseTitle(const std::vector<PageText>& pages, const std::vector<TypesetLine>& typeset,
                        const std::string& metadata_title, std::string_view file_name) {
  TitleChoice choice;
  const std::string meta = CleanLine(metadata_title);
  std::string heading = HeadingTitle(typeset);
  if (!heading.empty()) {
    choice = {heading, "heading"};
  } else {
    // Without a heading that stands out, a metadata title that looks like one
    // comes before the first line, unless it is short and that line spells it
    // out ("Management response" / "MANAGEMENT RESPONSE: Evaluation of …").
    const std::string first = FirstLineTitle(pages);
    const bool spelled_out = WordCount(meta) < 4 && !first.empty() && NameKey(first).rfind(NameKey(meta), 0) == 0;
    if (IsUsefulMetadataTitle(meta) && !spelled_out) return {Shorten(meta), "metadata"};
    if (!first.empty()) choice = {first, "first_line"};
  }
  // A form or memo names its subject in a field: "MEMORANDUM: <subject>".
  const std::string field = TitleField(pages);
  if (!field.empty()) {
    const std::string field_key = NameKey(field);
    if (choice.title.empty()) choice = {field, "first_line"};
    else if (NameKey(choice.title).find(field_key) == std::string::npos) choice.title += ": " + field;
  }
  if (choice.title.empty()) choice = {std::string(file_name), "file_name"};
  choice.title = Shorten(std::move(choice.title));
  return choice;
}

namespace {

// A label naming the document's date: "Date:", "Date of this response:",
// "Fecha de emisión del informe:", "Publication date".
bool IsDateLabel(std::string_view label) {
  for (const std::string& w : Words(NameKey(label))) {
    if (InSet(w, {"date", "dated", "fecha", "publication", "publicacion", "parution", "publie", "publicado"})) return true;
  }
  return false;
}

struct DateOnPage {
  FoundDate date;
  bool labelled = false;
  bool standalone = false;
};

// The cells of a line (a table row's cells are separated by tabs).
std::vector<std::string> CellsOf(const std::string& line) {
  std::vector<std::string> cells;
  size_t start = 0;
  while (true) {
    const size_t tab = line.find('\t', start);
    cells.push_back(CleanLine(std::string_view(line).substr(start, tab == std::string::npos ? std::string::npos : tab - start)));
    if (tab == std::string::npos) return cells;
    start = tab + 1;
  }
}

std::vector<DateOnPage> DatesOnPage(const PageText& page, const std::string& title_key) {
  std::vector<DateOnPage> out;
  // Lines keep their tabs here: a table row's date is read in its cell, under its column's header.
  std::vector<std::string> lines;
  size_t start = 0;
  while (start < page.text.size()) {
    size_t end = page.text.find('\n', start);
    if (end == std::string::npos) end = page.text.size();
    std::string line = page.text.substr(start, end - start);
    start = end + 1;
    if (!CleanLine(line).empty()) lines.push_back(std::move(line));
  }
  for (size_t i = 0; i < lines.size(); ++i) {
    const std::vector<std::string> cells = CellsOf(lines[i]);
    for (size_t c = 0; c < cells.size(); ++c) {
      const std::string& cell = cells[c];
      for (const FoundDate& d : FindDatesInLine(cell)) {
        const std::string text = cell.substr(d.start, d.end - d.start);
        if (title_key.find(NameKey(text)) != std::string::npos) continue;  // the date of what the title names
        DateOnPage found{d};
        std::string before = cell.substr(0, d.start);
        if (NameKey(before).empty() && i >= 1) {
          const std::vector<std::string> above = CellsOf(lines[i - 1]);
          if (cells.size() > 1 && above.size() == cells.size()) {
            before = above[c];  // the column's header
          } else {
            before = CleanLine(lines[i - 1]);
            const std::string two_above = i >= 2 ? CleanLine(lines[i - 2]) : "";
            if (!before.empty() && before.back() == ':' && !two_above.empty() && !IsField(two_above) &&
                WordCount(two_above) <= 6) {
              before = two_above + " " + before;
            }
          }
        }
        found.labelled = WordCount(before) <= 10 && IsDateLabel(before);
        const std::string rest = cell.substr(0, d.start) + " " + cell.substr(d.end);
        found.standalone = WordCount(rest) <= 4 && !IsProse(cell);
        if (found.labelled || found.standalone) out.push_back(found);
      }
    }
  }
  return out;
}

// Whether the text names `year`, or names no year (1900-2099) at all.
bool YearInText(const std::vector<PageText>& pages, std::string_view year) {
  bool any_year = false;
  for (const PageText& page : pages) {
    const std::string& t = page.text;
    for (size_t i = 0; !any_year && i + 4 <= t.size(); ++i) {
      const bool left = i == 0 || !std::isdigit(static_cast<unsigned char>(t[i - 1]));
      const bool right = i + 4 == t.size() || !std::isdigit(static_cast<unsigned char>(t[i + 4]));
      any_year = left && right && (t.compare(i, 2, "19") == 0 || t.compare(i, 2, "20") == 0) &&
                 std::isdigit(static_cast<unsigned char>(t[i + 2])) && std::isdigit(static_cast<unsigned char>(t[i + 3]));
    }
  }
  if (!any_year) return true;
  for (const PageText& page : pages) {
    size_t at = 0;
    while ((at = page.text.find(year, at)) != std::string::npos) {
      const bool left = at == 0 || !std::isdigit(static_cast<unsigned char>(page.text[at - 1]));
      const bool right = at + year.size() >= page.text.size() || !std::isdigit(static_cast<unsigned char>(page.text[at + year.size()]));
      if (left && right) return true;
      at += year.size();
    }
  }
  return false;
}

}  // namespace

DateChoice ChooseDate(const std::vector<PageText>& pages, const std::string& metadata_created, const std::string& title) {
  const std::string title_key = NameKey(title);
  const size_t cover = FirstPageWithText(pages);
  // Dated ones first, the cover before the front matter; labelled before standing alone.
  std::vector<std::pair<std::vector<DateOnPage>, const char*>> parts;
  if (cover < pages.size()) parts.push_back({DatesOnPage(pages[cover], title_key), "cover"});
  // The front matter: a labelled date on the next seven pages (a title verso,
  // publication details after the contents), a date on a line of its own on the next three.
  std::vector<DateOnPage> front;
  for (size_t p = cover + 1; p < pages.size() && p <= cover + 7; ++p) {
    for (DateOnPage& d : DatesOnPage(pages[p], title_key)) {
      if (!d.labelled && p > cover + 3) continue;
      front.push_back(d);
    }
  }
  parts.push_back({front, "front_matter"});
  for (const auto& [dates, source] : parts) {
    for (bool labelled : {true, false}) {
      for (const DateOnPage& d : dates) {
        if (d.date.year == 0) continue;
        if (labelled ? d.labelled : d.standalone) return {d.date.Value(), source};
      }
    }
  }
  const bool metadata_date = metadata_created.size() >= 10 && std::isdigit(static_cast<unsigned char>(metadata_created[0]));
  if (metadata_date) {
    const int year = std::atoi(metadata_created.substr(0, 4).c_str());
    const int month = std::atoi(metadata_created.substr(5, 2).c_str());
    const int day = std::atoi(metadata_created.substr(8, 2).c_str());
    // A cover date without its year ("Tuesday 4th June"), printed before the file was made.
    if (!parts.empty() && std::string_view(parts.front().second) == "cover") {
      for (const DateOnPage& d : parts.front().first) {
        if (d.date.year != 0 || d.date.day == 0 || !d.standalone) continue;
        if (d.date.month < month || (d.date.month == month && d.date.day <= day)) {
          FoundDate dated = d.date;
          dated.year = year;
          return {dated.Value(), "cover"};
        }
      }
    }
    // Not when the text names years but never this one: a scan or a
    // re-export made years later is not the document's date.
    if (YearInText(pages, metadata_created.substr(0, 4))) return {metadata_created.substr(0, 10), "metadata"};
  }
  return {};
}

}  // namespace dossier
