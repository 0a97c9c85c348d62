// Date recognition with RE2: month names (en, es, fr), numeric dates, quarters, years and year ranges.
#include "dates.h"

#include <re2/re2.h>

#include <algorithm>
#include <cstdio>
#include <map>
#include <set>
#include <memory>

namespace dossier_entities {

namespace {

// Month names and abbreviations, lower case, to month number.
const std::map<std::string, int>& Months() {
  static const auto* months = new std::map<std::string, int>{
      {"january", 1},   {"jan", 1},        {"february", 2}, {"feb", 2},        {"march", 3},     {"mar", 3},
      {"april", 4},     {"apr", 4},        {"may", 5},      {"june", 6},       {"jun", 6},       {"july", 7},
      {"jul", 7},       {"august", 8},     {"aug", 8},      {"september", 9},  {"sept", 9},      {"sep", 9},
      {"october", 10},  {"oct", 10},       {"november", 11}, {"nov", 11},      {"december", 12}, {"dec", 12},
      {"enero", 1},     {"febrero", 2},    {"marzo", 3},    {"abril", 4},      {"mayo", 5},      {"junio", 6},
      {"julio", 7},     {"agosto", 8},     {"septiembre", 9}, {"setiembre", 9}, {"octubre", 10}, {"noviembre", 11},
      {"diciembre", 12}, {"janvier", 1},   {"février", 2},  {"fevrier", 2},    {"mars", 3},      {"avril", 4},
      {"mai", 5},       {"juin", 6},       {"juillet", 7},  {"août", 8},       {"aout", 8},      {"septembre", 9},
      {"octobre", 10},  {"novembre", 11},  {"décembre", 12}, {"decembre", 12}};
  return *months;
}

const char kMonthAlternation[] =
    "(january|february|march|april|may|june|july|august|september|october|november|december|"
    "jan|feb|mar|apr|jun|jul|aug|sept|sep|oct|nov|dec|"
    "enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|setiembre|octubre|noviembre|diciembre|"
    "janvier|février|fevrier|mars|avril|mai|juin|juillet|août|aout|octobre|novembre|décembre|decembre)";

std::string Lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  // Accented capitals anywhere (U+00C0..U+00DE but ×: two bytes C3 80..9E,
  // lower case 0x20 further on), as in an all-capitals "FÉVRIER" or "AOÛT".
  for (size_t i = 0; i + 1 < s.size(); ++i) {
    const auto second = static_cast<unsigned char>(s[i + 1]);
    if (static_cast<unsigned char>(s[i]) == 0xC3 && second >= 0x80 && second <= 0x9E && second != 0x97) {
      s[i + 1] = static_cast<char>(second + 0x20);
      ++i;
    }
  }
  return s;
}

// The month a name matched by kMonthAlternation stands for; 0 when its lower
// case is no name of Months(): the patterns match without regard to case,
// by Unicode's case folding, so "Augu\u017Ft" (a long s) or "\u212Aov" (a
// Kelvin sign) match too, and are no month.
int MonthNumber(const std::string& name) {
  auto month = Months().find(Lower(name));
  return month == Months().end() ? 0 : month->second;
}

std::string Iso(int year, int month = 0, int day = 0) {
  char buf[16];
  if (day) std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", year, month, day);
  else if (month) std::snprintf(buf, sizeof buf, "%04d-%02d", year, month);
  else std::snprintf(buf, sizeof buf, "%04d", year);
  return buf;
}

bool ValidDay(int year, int month, int day) {
  static const int kDays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (month < 1 || month > 12 || day < 1 || day > kDays[month - 1]) return false;
  if (month == 2 && day == 29) return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  return true;
}

bool PlausibleYear(int year) { return year >= 1900 && year <= 2100; }

struct Pattern {
  std::unique_ptr<RE2> re;
  enum Kind { kDayMonthYear, kMonthDayYear, kMonthYear, kMonthRangeYear, kNumeric, kIso, kQuarter, kYearRange, kYear } kind;
};

const std::vector<Pattern>& Patterns() {
  static const auto* patterns = [] {
    auto* p = new std::vector<Pattern>();
    RE2::Options options;
    options.set_case_sensitive(false);
    auto add = [&](const std::string& re, Pattern::Kind kind) {
      p->push_back({std::make_unique<RE2>(re, options), kind});
    };
    const std::string m = kMonthAlternation;
    // Order matters: longer, more precise forms first; later ones skip taken spans.
    add("\\b(\\d{1,2})(?:st|nd|rd|th|er|º)?\\s+(?:de\\s+|of\\s+)?" + m + "\\.?,?\\s+(?:de\\s+|del\\s+)?(\\d{4})\\b", Pattern::kDayMonthYear);
    add("\\b" + m + "\\.?\\s+(\\d{1,2})(?:st|nd|rd|th)?,?\\s+(\\d{4})\\b", Pattern::kMonthDayYear);
    add("\\b" + m + "\\s*[-–—]\\s*" + m + "\\s+(?:de\\s+|of\\s+)?(\\d{4})\\b", Pattern::kMonthRangeYear);
    add("\\b" + m + "\\.?,?\\s+(?:de\\s+|of\\s+|del\\s+)?(\\d{4})\\b", Pattern::kMonthYear);
    add("\\b(\\d{4})-(\\d{2})-(\\d{2})\\b", Pattern::kIso);
    add("\\b(\\d{1,2})[/.](\\d{1,2})[/.](\\d{4})\\b", Pattern::kNumeric);
    add("\\b(?:Q|T)([1-4])\\s*[-/]?\\s*(\\d{4})\\b", Pattern::kQuarter);
    add("\\b(\\d{4})\\s*[-–—/]\\s*(\\d{4}|\\d{2})\\b", Pattern::kYearRange);
    add("\\b(\\d{4})\\b", Pattern::kYear);
    return p;
  }();
  return *patterns;
}

}  // namespace

NumericOrder GuessNumericOrder(std::string_view text) {
  static const RE2 numeric("\\b(\\d{1,2})[/.](\\d{1,2})[/.](\\d{4})\\b");
  re2::StringPiece input(text.data(), text.size());
  int first = 0, second = 0, year = 0;
  int day_first = 0, month_first = 0;
  while (RE2::FindAndConsume(&input, numeric, &first, &second, &year)) {
    if (first > 12 && second <= 12) ++day_first;
    if (second > 12 && first <= 12) ++month_first;
  }
  return month_first > day_first ? NumericOrder::kMonthFirst : NumericOrder::kDayFirst;
}

namespace {
std::vector<DateMention> FindDatesIn(std::string_view text, NumericOrder order);
}  // namespace

std::vector<DateMention> FindBareMonths(std::string_view text, int year) {
  std::vector<DateMention> out;
  if (!PlausibleYear(year)) return out;
  // Words that, just before a month, say when something happens.
  static const std::set<std::string> kCues = {"in", "by", "of", "through", "throughout", "from", "until", "till",
                                              "starting", "since", "before", "after", "during", "en", "ici", "de",
                                              "fin", "avant", "depuis", "hasta", "para", "desde", "durante", "partir"};
  static const std::set<std::string> kJoins = {"and", "to", "or", "et", "à", "a", "y", "o", "-", "\xE2\x80\x93"};
  struct Word {
    std::string_view text;
    size_t start, end;
  };
  std::vector<Word> words;
  for (size_t i = 0; i < text.size();) {
    while (i < text.size() && (text[i] == ' ' || text[i] == '\n' || text[i] == '\t' || text[i] == '(' ||
                               text[i] == '\'' || text[i] == ',' || text[i] == ';'))
      ++i;
    size_t j = i;
    while (j < text.size() && text[j] != ' ' && text[j] != '\n' && text[j] != '\t' && text[j] != '(' &&
           text[j] != '\'' && text[j] != ',' && text[j] != ';' && text[j] != '.' && text[j] != ')' && text[j] != ':')
      ++j;
    if (j > i) words.push_back({text.substr(i, j - i), i, j});
    i = j == i ? i + 1 : j;
  }
  bool previous_month = false;
  for (size_t w = 0; w < words.size(); ++w) {
    // Month names are 3 to 10 bytes long; most words are not worth lower-casing.
    if (words[w].text.size() < 3 || words[w].text.size() > 10) {
      if (!kJoins.count(std::string(words[w].text))) previous_month = false;
      continue;
    }
    const std::string lower = Lower(std::string(words[w].text));
    auto month = Months().find(lower);
    // Full names only ("mar", "may" as abbreviations are words too); English ones capitalised.
    static const std::set<std::string> kAbbreviations = {"jan", "feb", "mar", "apr", "jun", "jul",
                                                         "aug", "sep", "sept", "oct", "nov", "dec"};
    if (month == Months().end() || kAbbreviations.count(lower) > 0 ||
        (std::isalpha(static_cast<unsigned char>(words[w].text[0])) && std::islower(static_cast<unsigned char>(words[w].text[0])) &&
         (lower == "may" || lower == "march" || lower == "august"))) {
      if (!kJoins.count(lower)) previous_month = false;  // "May and June": the join keeps the run
      continue;
    }
    // A number after it (a day or a year) or before it (a day): a full date.
    const bool number_after = w + 1 < words.size() && std::isdigit(static_cast<unsigned char>(words[w + 1].text[0])) &&
                              words[w + 1].start - words[w].end <= 2;
    const bool number_before = w > 0 && std::isdigit(static_cast<unsigned char>(words[w - 1].text[0])) &&
                               words[w].start - words[w - 1].end <= 2;
    if (number_after || number_before) {
      previous_month = false;
      continue;
    }
    const std::string before = w > 0 ? Lower(std::string(words[w - 1].text)) : "";
    const bool cued = kCues.count(before) > 0 || (before.size() > 2 && before.compare(before.size() - 2, 2, "ici") == 0);
    const bool joined = previous_month && kJoins.count(before) > 0;
    if (!cued && !joined) {
      previous_month = false;
      continue;
    }
    DateMention d;
    d.start = words[w].start;
    d.end = words[w].end;
    d.text = std::string(words[w].text);
    d.value = Iso(year, month->second);
    d.precision = "month";
    out.push_back(std::move(d));
    previous_month = true;
  }
  return out;
}

// Every date form holds a four-digit year, so the patterns run only on
// windows around four-digit numbers (most of a report has none).
std::vector<DateMention> FindDates(std::string_view text, NumericOrder order) {
  std::vector<DateMention> out;
  size_t window_start = std::string_view::npos, window_end = 0;
  auto flush = [&] {
    if (window_start == std::string_view::npos) return;
    for (DateMention& d : FindDatesIn(text.substr(window_start, window_end - window_start), order)) {
      d.start += window_start;
      d.end += window_start;
      out.push_back(std::move(d));
    }
    window_start = std::string_view::npos;
  };
  for (size_t i = 0; i + 4 <= text.size(); ++i) {
    if (!std::isdigit(static_cast<unsigned char>(text[i]))) continue;
    size_t j = i;
    while (j < text.size() && std::isdigit(static_cast<unsigned char>(text[j]))) ++j;
    if (j - i == 4) {
      // From the start of the line or 48 bytes back (at a space), to 12 bytes on.
      size_t from = i > 48 ? i - 48 : 0;
      while (from > 0 && text[from - 1] != ' ' && text[from - 1] != '\n') --from;
      size_t to = std::min(text.size(), j + 12);
      while (to < text.size() && text[to] != ' ' && text[to] != '\n') ++to;
      if (window_start != std::string_view::npos && from > window_end) flush();
      if (window_start == std::string_view::npos) window_start = from;
      window_end = std::max(window_end, to);
    }
    i = j;
  }
  flush();
  return out;
}

namespace {

std::vector<DateMention> FindDatesIn(std::string_view text, NumericOrder order) {
  std::vector<DateMention> found;
  std::vector<std::pair<size_t, size_t>> taken;
  auto overlaps = [&](size_t start, size_t end) {
    for (const auto& [s, e] : taken) {
      if (start < e && s < end) return true;
    }
    return false;
  };
  for (const Pattern& pattern : Patterns()) {
    const int groups = pattern.re->NumberOfCapturingGroups();
    std::vector<re2::StringPiece> match(groups + 1);
    size_t pos = 0;
    while (pos < text.size() &&
           pattern.re->Match(re2::StringPiece(text.data(), text.size()), pos, text.size(), RE2::UNANCHORED,
                             match.data(), groups + 1)) {
      const size_t start = static_cast<size_t>(match[0].data() - text.data());
      const size_t end = start + match[0].size();
      pos = end > start ? end : start + 1;
      if (overlaps(start, end)) continue;
      auto group = [&](int i) { return std::string(match[i].data(), match[i].size()); };
      auto number = [&](int i) { return std::atoi(group(i).c_str()); };
      DateMention date;
      date.start = start;
      date.end = end;
      date.text = std::string(text.substr(start, end - start));
      switch (pattern.kind) {
        case Pattern::kDayMonthYear: {
          int day = number(1), month = MonthNumber(group(2)), year = number(3);
          if (!month || !PlausibleYear(year) || !ValidDay(year, month, day)) continue;
          date.value = Iso(year, month, day), date.precision = "day";
          break;
        }
        case Pattern::kMonthDayYear: {
          int month = MonthNumber(group(1)), day = number(2), year = number(3);
          if (!month || !PlausibleYear(year) || !ValidDay(year, month, day)) continue;
          date.value = Iso(year, month, day), date.precision = "day";
          break;
        }
        case Pattern::kMonthRangeYear: {
          int from = MonthNumber(group(1)), to = MonthNumber(group(2)), year = number(3);
          if (!from || !to || !PlausibleYear(year) || to < from) continue;
          date.value = Iso(year, from), date.end_value = Iso(year, to), date.precision = "month";
          break;
        }
        case Pattern::kMonthYear: {
          std::string month_name = Lower(group(1));
          int year = number(2);
          // "may" and "mar" are also words; require a capital for them.
          if ((month_name == "may" || month_name == "mar") && !std::isupper(static_cast<unsigned char>(match[1][0]))) continue;
          const int month = MonthNumber(month_name);
          if (!month || !PlausibleYear(year)) continue;
          date.value = Iso(year, month), date.precision = "month";
          break;
        }
        case Pattern::kIso: {
          int year = number(1), month = number(2), day = number(3);
          if (!PlausibleYear(year) || !ValidDay(year, month, day)) continue;
          date.value = Iso(year, month, day), date.precision = "day";
          break;
        }
        case Pattern::kNumeric: {
          int a = number(1), b = number(2), year = number(3);
          int day = a, month = b;
          if (a > 12 || (b <= 12 && order == NumericOrder::kDayFirst)) day = a, month = b;
          else day = b, month = a;
          if (!PlausibleYear(year) || !ValidDay(year, month, day)) continue;
          date.value = Iso(year, month, day), date.precision = "day";
          break;
        }
        case Pattern::kQuarter: {
          int quarter = number(1), year = number(2);
          if (!PlausibleYear(year)) continue;
          date.value = Iso(year, quarter * 3 - 2), date.end_value = Iso(year, quarter * 3), date.precision = "quarter";
          break;
        }
        case Pattern::kYearRange: {
          int from = number(1);
          std::string to_text = group(2);
          int to = to_text.size() == 2 ? (from / 100) * 100 + std::atoi(to_text.c_str()) : std::atoi(to_text.c_str());
          if (!PlausibleYear(from) || !PlausibleYear(to) || to <= from || to - from > 50) continue;
          date.value = Iso(from), date.end_value = Iso(to), date.precision = "year";
          break;
        }
        case Pattern::kYear: {
          int year = number(1);
          if (year < 1945 || year > 2100) continue;  // older four-digit numbers are rarely years in these reports
          // A year is not part of a longer number ("12,2000", "2000.5").
          if (start > 0 && (text[start - 1] == ',' || text[start - 1] == '.') && start > 1 &&
              std::isdigit(static_cast<unsigned char>(text[start - 2]))) continue;
          if (end < text.size() && (text[end] == ',' || text[end] == '.') && end + 1 < text.size() &&
              std::isdigit(static_cast<unsigned char>(text[end + 1]))) continue;
          date.value = Iso(year), date.precision = "year";
          break;
        }
      }
      taken.emplace_back(start, end);
      found.push_back(std::move(date));
    }
  }
  std::sort(found.begin(), found.end(), [](const DateMention& a, const DateMention& b) { return a.start < b.start; });
  return found;
}

}  // namespace

}  // namespace dossier_entities
