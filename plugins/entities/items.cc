// The items pass (items.h): recommendations, findings and conclusions as the
// document's structure presents them, never by a document's own wording.
#include "items.h"

#include "key_actions.h"
#include "responses.h"
#include "tokens.h"

#include <unicode/brkiter.h>
#include <unicode/locid.h>
#include <unicode/unistr.h>

#include <algorithm>
#include <cctype>
#include <map>
#include <memory>

namespace dossier_entities {

using dossier_structure::Block;
using dossier_structure::BlockKind;
using dossier_structure::Cues;
using dossier_structure::DocumentStructure;
using dossier_structure::FoldedKey;
using dossier_structure::Section;
using dossier_structure::SectionRole;
using dossier_structure::Topic;

namespace {

std::string TypeOfTopic(Topic topic) {
  switch (topic) {
    case Topic::kRecommendations: return "recommendation";
    case Topic::kFindings: return "finding";
    case Topic::kConclusions: return "conclusion";
    default: return "";
  }
}

std::string TypeOfLabelCategory(const std::string& category) {
  if (category == "label.recommendation") return "recommendation";
  if (category == "label.finding") return "finding";
  if (category == "label.conclusion") return "conclusion";
  return "";
}

// Skips `words` words of `text` (as FoldedKey counts them) and returns the byte offset after them.
size_t SkipWords(std::string_view text, size_t words) {
  size_t pos = 0;
  for (size_t w = 0; w < words && pos < text.size(); ++w) {
    while (pos < text.size() && !std::isalnum(static_cast<unsigned char>(text[pos])) &&
           static_cast<unsigned char>(text[pos]) < 0x80) ++pos;
    while (pos < text.size() && (std::isalnum(static_cast<unsigned char>(text[pos])) ||
                                 static_cast<unsigned char>(text[pos]) >= 0x80)) ++pos;
  }
  return pos;
}

size_t WordCount(const std::string& key) {
  return key.empty() ? 0 : 1 + static_cast<size_t>(std::count(key.begin(), key.end(), ' '));
}

// "Recommendation 3: text", "Evaluation recommendation 1: text",
// "Recomendación N° 2.- text": the item type, its number and where its text starts.
struct ItemLabel {
  std::string type, number;
  size_t text_at = 0;
  bool ends_line = false;  // nothing but the label (and a title-like rest) on the line
};
bool ParseItemLabel(const std::string& text, const Cues& cues, std::string_view language, ItemLabel* out) {
  const std::string key = FoldedKey(text.substr(0, 80));
  size_t length = 0;
  std::string category = cues.StartsWith(key, {"label.recommendation", "label.finding", "label.conclusion"}, language, &length);
  if (category.empty()) return false;
  // The number: the next word of the key, digits or one letter, maybe dotted ("2.1").
  size_t pos = SkipWords(text, WordCount(key.substr(0, length)));
  while (pos < text.size() && (text[pos] == ' ' || text[pos] == '#' || text[pos] == '.')) ++pos;
  // "N°", "n°", "Nº", "nº", "No.", "no" before the number
  for (const char* sign : {"N\xC2\xB0", "n\xC2\xB0", "N\xC2\xBA", "n\xC2\xBA"}) {
    if (text.compare(pos, 3, sign) == 0) {
      pos += 3;
      break;
    }
  }
  if ((text.compare(pos, 3, "No.") == 0 || text.compare(pos, 3, "no.") == 0) ) pos += 3;
  else if ((text.compare(pos, 3, "No ") == 0 || text.compare(pos, 3, "no ") == 0) && pos + 3 < text.size() &&
           std::isdigit(static_cast<unsigned char>(text[pos + 3])))
    pos += 3;
  while (pos < text.size() && text[pos] == ' ') ++pos;
  size_t start = pos;
  // An identifier: "R20070024", "A-09-01", "004/10" (capitals, then digits joined by - / .).
  {
    size_t p = pos, letters = 0;
    while (p < text.size() && std::isupper(static_cast<unsigned char>(text[p])) && letters < 3) ++p, ++letters;
    if (letters > 0 && p < text.size() && text[p] == '-') ++p;
    if (p < text.size() && std::isdigit(static_cast<unsigned char>(text[p]))) {
      size_t q = p;
      while (q < text.size() && (std::isdigit(static_cast<unsigned char>(text[q])) ||
                                 ((text[q] == '-' || text[q] == '/' || text[q] == '.') && q + 1 < text.size() &&
                                  std::isdigit(static_cast<unsigned char>(text[q + 1])))))
        ++q;
      if (letters > 0 || q - p >= 4 || text.find_first_of("-/", p) < q) pos = q;
    }
  }
  while (pos < text.size() && (std::isdigit(static_cast<unsigned char>(text[pos])) ||
                               (text[pos] == '.' && pos + 1 < text.size() && std::isdigit(static_cast<unsigned char>(text[pos + 1])))))
    ++pos;
  if (pos == start && pos < text.size() && std::isalpha(static_cast<unsigned char>(text[pos])) &&
      (pos + 1 == text.size() || !std::isalpha(static_cast<unsigned char>(text[pos + 1])))) ++pos;  // "A"
  if (pos == start) return false;
  out->type = TypeOfLabelCategory(category);
  out->number = text.substr(start, pos - start);
  // After the number: ':' '.' ')' '-' '–' or the end; anything else is a mention ("Recommendation 3 was …").
  size_t after = pos;
  while (after < text.size() && text[after] == ' ') ++after;
  if (after >= text.size()) {
    out->text_at = after;
    out->ends_line = true;
    return true;
  }
  if (text[after] == '(') {  // "Recommendation 1 (based on Conclusion 1): …": the note stays in the text
    const size_t close = text.find(')', after);
    if (close == std::string::npos || close - after > 120 || close + 1 >= text.size() ||
        std::string_view(":.-").find(text[close + 1]) == std::string_view::npos) return false;
    out->type = TypeOfLabelCategory(category);
    out->number = text.substr(start, pos - start);
    out->text_at = after;
    return true;
  }
  const std::string_view rest(text.data() + after, text.size() - after);
  size_t skip = 0;
  if (rest[0] == ':' || rest[0] == '.' || rest[0] == ')' || rest[0] == '-') skip = 1;
  else if (rest.rfind("\xE2\x80\x93", 0) == 0 || rest.rfind("\xE2\x80\x94", 0) == 0) skip = 3;
  else return false;
  after += skip;
  while (after < text.size() && (text[after] == ' ' || text[after] == '-' || text[after] == ':')) ++after;
  out->text_at = after;
  out->ends_line = after >= text.size();
  return true;
}

// A label of who must act ("Recommendation to:", "Responsable :"): sets the offset after its colon.
bool ParseResponsibleLabel(const std::string& text, const Cues& cues, std::string_view language, size_t* after) {
  const size_t colon = text.find(':');
  if (colon == std::string::npos || colon > 60) return false;
  const std::string key = FoldedKey(text.substr(0, colon));
  size_t length = 0;
  if (cues.StartsWith(key, {"label.responsible"}, language, &length).empty() || length != key.size()) return false;
  *after = colon + 1;
  while (*after < text.size() && text[*after] == ' ') ++*after;
  return true;
}

// The titles of the sections around a block, nearest first, and who must act
// when a title says so ("Work Package 4 | Leads: Under-Secretary-General (OCHA)").
void AddSectionContext(const DocumentStructure& structure, const Block& b, const Cues& cues, std::string_view language,
                       Item* item) {
  // "Work Package 1 | Leads: Under-Secretary-General (DPPA), …": a responsible
  // label after a bar, or opening the line, in a heading above the item or in
  // the short line set right under such a heading.
  auto responsible_in = [&](const std::string& line) {
    const size_t bar = line.rfind(" | ");
    size_t after = 0;
    const std::string tail = bar == std::string::npos ? line : line.substr(bar + 3);
    if (!ParseResponsibleLabel(tail, cues, language, &after) || after >= tail.size()) return false;
    item->responsible_cells.push_back(tail.substr(after));
    return true;
  };
  for (int s = b.section, depth = 0; s >= 0 && depth < 3; s = structure.sections[s].parent, ++depth) {
    const std::string& title = structure.sections[s].title;
    item->section_titles.push_back(title);
    if (responsible_in(title)) break;
    bool found = false;
    // Blocks run in section order: the section's first block by binary search.
    auto first = std::lower_bound(structure.blocks.begin(), structure.blocks.end(), s,
                                  [](const Block& block, int section) { return block.section < section; });
    for (auto it = first; it != structure.blocks.end(); ++it) {
      const Block& under = *it;
      if (under.section != s) break;
      if (under.kind == BlockKind::kHeading) continue;
      if (under.kind == BlockKind::kParagraph && under.text.size() <= 240) found = responsible_in(under.text);
      break;  // only the first block under the heading
    }
    if (found) break;
  }
}

// "Al Presidente del Directorio de Petroperú S.A.:", "To the Secretary of
// Health:": who the items that follow are addressed to. Sets the addressee and
// the offset after the colon (0 when the colon ends the text).
bool ParseAddressee(const std::string& text, const Cues& cues, std::string_view language, std::string* addressee,
                    size_t* after) {
  const size_t colon = text.find(':');
  if (colon == std::string::npos || colon < 6 || colon > 140) return false;
  const std::string head = text.substr(0, colon);
  const std::string key = FoldedKey(head);
  size_t length = 0;
  if (cues.StartsWith(key, {"label.addressee"}, language, &length).empty()) return false;
  if (key.size() <= length + 1) return false;
  const size_t words = SkipWords(head, WordCount(key.substr(0, length)));
  size_t from = words;
  while (from < head.size() && head[from] == ' ') ++from;
  if (from >= head.size() || !StartsWithCapital(std::string_view(head).substr(from))) return false;  // a name follows
  *addressee = head.substr(from);
  *after = colon + 1;
  while (*after < text.size() && text[*after] == ' ') ++*after;
  return true;
}

}  // namespace

std::string Clean(const std::string& text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    if (c == '*') continue;
    if ((c == ' ' || c == '\t') && (out.empty() || out.back() == ' ')) continue;
    out.push_back(c == '\t' ? ' ' : c);
  }
  while (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

namespace {

// Whether a header row names a column of recommendations, and which column does what.
struct TableColumns {
  int item = -1, responsible = -1, due = -1, response = -1, number = -1;
};
bool ReadHeaderRow(const Block& row, const Cues& cues, std::string_view language, TableColumns* out) {
  TableColumns cols;
  for (size_t c = 0; c < row.cells.size(); ++c) {
    const std::string key = FoldedKey(row.cells[c]);
    if (key.empty() || key.size() > 60) continue;
    if (cols.item < 0 && !cues.StartsWith(key, {"topic.recommendations"}, language).empty()) {
      cols.item = static_cast<int>(c);
    } else if (!cues.StartsWith(key, {"label.response", "topic.response"}, language).empty()) {
      cols.response = static_cast<int>(c);
    } else if (!cues.StartsWith(key, {"label.responsible"}, language).empty()) {
      cols.responsible = static_cast<int>(c);
    } else if (key == "no" || key == "n" || key == "#" || key == "num" || key == "number") {
      cols.number = static_cast<int>(c);
    } else if (!cues.StartsWith(key, {"column.time"}, language).empty()) {
      cols.due = static_cast<int>(c);  // the action tables' time-frame words (cue files)
    }
  }
  if (cols.item < 0) return false;
  *out = cols;
  return true;
}

}  // namespace

std::vector<std::string> Sentences(const std::string& text, std::string_view language) {
  std::vector<std::string> out;
  UErrorCode status = U_ZERO_ERROR;
  const icu::Locale locale(std::string(language.substr(0, 2)).c_str());
  std::unique_ptr<icu::BreakIterator> breaks(icu::BreakIterator::createSentenceInstance(locale, status));
  const icu::UnicodeString unicode = icu::UnicodeString::fromUTF8(text);
  if (U_FAILURE(status) || !breaks) {
    out.push_back(text);
    return out;
  }
  breaks->setText(unicode);
  int32_t start = breaks->first();
  for (int32_t end = breaks->next(); end != icu::BreakIterator::DONE; start = end, end = breaks->next()) {
    std::string sentence;
    unicode.tempSubStringBetween(start, end).toUTF8String(sentence);
    while (!sentence.empty() && (sentence.back() == ' ' || sentence.back() == '\n')) sentence.pop_back();
    while (!sentence.empty() && sentence.front() == ' ') sentence.erase(0, 1);
    if (!sentence.empty()) out.push_back(std::move(sentence));
  }
  return out;
}

// A label of a response ("Management response:", "Government response",
// "Réponse de la direction (Accept/Reject)"): sets the offset after it.
bool ParseResponseLabel(const std::string& text, const Cues& cues, std::string_view language, size_t* after) {
  const std::string head = text.substr(0, 80);
  const std::string key = FoldedKey(head);
  size_t length = 0;
  if (cues.StartsWith(key, {"label.response"}, language, &length).empty()) return false;
  size_t pos = SkipWords(text, WordCount(key.substr(0, length)));
  // The bare word "response" only as a label with a colon.
  while (pos < text.size() && text[pos] == ' ') ++pos;
  const bool colon = pos < text.size() && (text[pos] == ':' || text[pos] == '.');
  if (!colon && key.substr(0, length) == "response") return false;
  if (!colon && pos < text.size() && text[pos] != '(') {
    // "Management response" then more words: a label only when the words are a status.
    if (ResponseStatusIn(text.substr(pos), cues, language, 4, true).empty()) return false;
  }
  if (pos < text.size() && text[pos] == '(') {  // "(Accept/Partially Accept/Reject)": the template's legend
    size_t close = text.find(')', pos);
    pos = close == std::string::npos ? text.size() : close + 1;
  }
  while (pos < text.size() && (text[pos] == ':' || text[pos] == '.' || text[pos] == ' ')) ++pos;
  *after = pos;
  return true;
}

std::string ResponseStatusIn(const std::string& text, const Cues& cues, std::string_view language, size_t max_words,
                             bool at_start) {
  std::string key = FoldedKey(text.substr(0, 400));
  // "Recommendation 2 accepted", "Recommendation accepted": the status after the item's own label.
  size_t length = 0;
  if (!cues.StartsWith(key, {"label.recommendation"}, language, &length).empty()) {
    std::string rest = key.substr(std::min(key.size(), length + 1));
    size_t space = rest.find(' ');
    const std::string first = rest.substr(0, space);
    if (!first.empty() && first.size() <= 3 && std::isalnum(static_cast<unsigned char>(first[0])) &&
        (std::isdigit(static_cast<unsigned char>(first[0])) || first.size() == 1))
      rest = space == std::string::npos ? "" : rest.substr(space + 1);
    key = rest;
  }
  // The first words only: a reason further on may say "agree" about something else.
  size_t cut = 0;
  for (size_t w = 0; w < max_words && cut != std::string::npos; ++w) cut = key.find(' ', cut + 1);
  if (cut != std::string::npos) key = key.substr(0, cut);
  static const std::vector<std::pair<std::string_view, std::string_view>> kStatuses = {
      {"status.not_accepted", "not accepted"},
      {"status.partially_accepted", "partially accepted"},
      {"status.accepted", "accepted"}};
  if (at_start) {
    for (const auto& [category, status] : kStatuses) {
      if (!cues.StartsWith(key, {category}, language).empty()) return std::string(status);
    }
    return "";
  }
  for (const auto& [category, status] : kStatuses) {
    if (!cues.Contains(key, category, language)) continue;
    // "accepts this recommendation in part"
    if (status == "accepted" && cues.Contains(key, "status.partial_marker", language)) return "partially accepted";
    return std::string(status);
  }
  return "";
}

// The response's own text: without the status words that open it ("Agreed. Mapping starts …" → "Mapping starts …").
std::string WithoutStatusWords(const std::string& text, const Cues& cues, std::string_view language) {
  if (ResponseStatusIn(text, cues, language, 4, true).empty()) return text;
  const size_t stop = text.find_first_of(".:;");
  if (stop == std::string::npos || stop > 60) return text;
  size_t from = stop + 1;
  while (from < text.size() && text[from] == ' ') ++from;
  return text.substr(from);
}

namespace {

// The items as the document prints them, in document order (a recommendation
// printed twice is here twice).
std::vector<Item> ReadItems(const DocumentStructure& structure, const Cues& cues, std::string_view language) {
  std::vector<Item> items;
  const auto& blocks = structure.blocks;
  // Which sections hold labelled items or list items, to know where to look for prose recommendations.
  std::map<int, int> list_items_in_section;
  for (const Block& b : blocks) {
    if (b.kind == BlockKind::kListItem && b.level == 1) ++list_items_in_section[b.section];
  }
  int open = -1;                    // the item that takes continuation blocks
  std::string bare_label_type;      // a label standing alone ("Safety issue", "Recommendation:"): its item follows
  std::string bare_label_number;    // its number ("Commitment 4" set as a heading), or "" (then counted)
  std::string group;                // "A" under "Evaluation recommendation A - …"
  size_t group_first_item = 0;      // first item of the current group
  bool status_next = false;         // a response label without status: the status opens the next block
  bool responsible_next = false;    // a responsible label without names: the names are in the next block
  size_t responsible_from = 0;      // the items a responsible label applies to
  TableColumns table;               // the recommendations table in force
  bool table_active = false;
  int table_item = -1;              // the last item read from a table row (a wrapped cell runs on into it)
  uint32_t lead_page = 0;
  size_t lead_start = 0, lead_end = 0;
  int lead_section = -2;
  std::string addressee;            // "Al Presidente …:" above the items that follow
  int addressee_section = -2;

  auto start_item = [&](const Block& b, const std::string& type, std::string number, std::string text,
                        size_t text_offset = 0, bool labelled = false) {
    Item item;
    item.type = type;
    item.number = group.empty() || number.empty() ? std::move(number) : group + "." + number;
    item.text = std::move(text);
    item.page = b.page;
    item.start = b.start + text_offset;
    item.end = b.end;
    {
      std::string named;
      size_t after = 0;
      if (ParseAddressee(item.text, cues, language, &named, &after) && after < item.text.size()) {
        item.text = item.text.substr(after);
        item.start += after;
        addressee = named;
        addressee_section = b.section;
      }
    }
    if (labelled) addressee.clear();  // "Recomendación 3:" stands on its own
    if (!addressee.empty() && addressee_section == b.section) item.responsible_cells.push_back(addressee);
    AddSectionContext(structure, b, cues, language, &item);
    if (lead_section == b.section) {
      item.lead_page = lead_page;
      item.lead_start = lead_start;
      item.lead_end = lead_end;
    }
    items.push_back(std::move(item));
    open = static_cast<int>(items.size()) - 1;
  };

  for (size_t i = 0; i < blocks.size(); ++i) {
    const Block& b = blocks[i];
    if (b.kind == BlockKind::kContentsEntry || structure.RoleAt(b) == SectionRole::kContents) continue;
    const Section* section = structure.SectionOf(b);
    const Topic topic = structure.TopicAt(b);
    // Annexes and terms of reference hold numbered lists that are no recommendations,
    // unless their own heading says they are recommendations.
    bool scoped_out = false;
    for (const Section* s = section; s != nullptr; s = s->parent < 0 ? nullptr : &structure.sections[s->parent]) {
      if (s->topic == Topic::kTermsOfReference || s->topic == Topic::kMethodology || s->topic == Topic::kReferences ||
          s->topic == Topic::kAcronyms) {
        scoped_out = true;
        break;
      }
      if (s->own_topic) break;
    }

    size_t after = 0;
    // A label standing alone, without a number: the next paragraph is its item.
    if (b.kind == BlockKind::kHeading || b.kind == BlockKind::kParagraph) {
      std::string key = FoldedKey(b.text.substr(0, 60));
      size_t length = 0;
      const std::string category = key.size() <= 40 ? cues.StartsWith(key, {"label.recommendation", "label.finding",
                                                                              "label.conclusion"}, language, &length)
                                                     : "";
      const char last = b.text.empty() ? '.' : b.text.back();
      if (!category.empty() && length == key.size() && StartsWithCapital(b.text) &&
          last != '.' && last != ',' && last != ';') {
        bare_label_type = TypeOfLabelCategory(category);
        open = -1;
        continue;
      }
      ItemLabel numbered;
      if (b.kind == BlockKind::kParagraph && ParseItemLabel(b.text, cues, language, &numbered) && numbered.ends_line &&
          std::isdigit(static_cast<unsigned char>(numbered.number[0]))) {
        // "Commitment 12" alone on its line: the item is the paragraph below.
        bare_label_type = numbered.type;
        bare_label_number = numbered.number;
        open = -1;
        continue;
      }
      if (!bare_label_type.empty() && b.kind == BlockKind::kParagraph && b.text.size() >= 20) {
        const std::string type = bare_label_type;
        std::string number = bare_label_number;
        bare_label_type.clear();
        bare_label_number.clear();
        if (number.empty())
          number = std::to_string(1 + std::count_if(items.begin(), items.end(), [&](const Item& it) { return it.type == type; }));
        start_item(b, type, number, b.text);
        continue;
      }
      bare_label_type.clear();
      bare_label_number.clear();
    }
    if (b.kind == BlockKind::kHeading && ParseResponseLabel(b.text, cues, language, &after)) {
      // "Management response (Accept/Reject)" set as a heading: a label, not a new section.
      open = -1;
      status_next = true;
      continue;
    }
    if (b.kind == BlockKind::kHeading && ParseResponsibleLabel(b.text, cues, language, &after)) {
      // "Recommendation to:" set as a heading: a label, not a new section.
      open = -1;
      responsible_from = group.empty() ? (items.empty() ? 0 : items.size() - 1) : group_first_item;
      const std::string rest = b.text.substr(after);
      if (!rest.empty()) {
        for (size_t k = responsible_from; k < items.size(); ++k) items[k].responsible_cells.push_back(rest);
      }
      responsible_next = rest.empty();
      continue;
    }
    if (b.kind == BlockKind::kHeading) {
      open = -1;
      status_next = false;
      table_active = false;
      table_item = -1;
      ItemLabel label;
      if (ParseItemLabel(b.label + (b.label.empty() ? "" : " ") + b.text, cues, language, &label) &&
          label.type == "recommendation") {
        const bool alpha = std::isalpha(static_cast<unsigned char>(label.number[0]));
        if (alpha && (label.ends_line || label.number.size() == 1)) {
          // "EVALUATION RECOMMENDATION A - COMMUNICATION": a group of recommendations.
          group = label.number;
          group_first_item = items.size();
        } else if (label.ends_line) {
          // "Commitment 12" or "Recommendation 3" set as a heading: the item is the paragraph below.
          bare_label_type = label.type;
          bare_label_number = label.number;
        } else {
          start_item(b, label.type, label.number, b.text.substr(std::min(b.text.size(), label.text_at)));
        }
      } else if (section != nullptr && section->own_topic) {
        group.clear();
        group_first_item = items.size();
      }
      continue;
    }

    // "Response by the Safety Authority …": a response in prose (responses.h), not the item's text.
    if (b.kind == BlockKind::kParagraph &&
        !cues.StartsWith(FoldedKey(b.text.substr(0, 80)), {"topic.response"}, language).empty()) {
      size_t label_end = 0;
      if (!ParseResponseLabel(b.text, cues, language, &label_end)) {
        open = -1;
        continue;
      }
    }
    // Responses and responsible labels act on what came before.
    if (b.kind != BlockKind::kTableRow && ParseResponseLabel(b.text, cues, language, &after)) {
      open = -1;
      const std::string rest = b.text.substr(after);
      std::string status = ResponseStatusIn(rest, cues, language, 12, false);
      Item* target = items.empty() ? nullptr : &items.back();
      if (target != nullptr) {
        if (!status.empty()) {
          for (size_t k = group.empty() ? items.size() - 1 : group_first_item; k < items.size(); ++k) {
            if (items[k].response_status.empty() && items[k].type == "recommendation") {
              items[k].response_status = status;
              items[k].response_text = Clean(WithoutStatusWords(rest, cues, language));
              items[k].response_page = b.page;
            }
          }
          status_next = false;
        } else {
          status_next = true;
        }
      }
      continue;
    }
    if (status_next || (!group.empty() && b.kind == BlockKind::kParagraph && !items.empty())) {
      // "Recommendation 2 accepted: …" or "Agree." opening the block after a response label.
      ItemLabel label;
      std::string status = ResponseStatusIn(b.text, cues, language, 6, true);
      // "The Government accepts this recommendation …": the response's first sentence, in prose.
      if (status.empty() && status_next && b.kind == BlockKind::kParagraph) {
        const std::vector<std::string> sentences = Sentences(b.text.substr(0, 600), language);
        if (!sentences.empty()) status = ResponseStatusIn(sentences.front(), cues, language, 30, false);
      }
      if (!status.empty()) {
        Item* target = nullptr;
        if (ParseItemLabel(b.text, cues, language, &label) || FoldedKey(b.text).rfind("recommendation ", 0) == 0) {
          std::string number = label.number.empty() ? "" : (group.empty() ? label.number : group + "." + label.number);
          for (size_t k = group_first_item; k < items.size(); ++k) {
            if (!number.empty() && items[k].number == number) target = &items[k];
          }
          if (target == nullptr && label.number.empty()) {
            for (size_t k = group_first_item; k < items.size(); ++k) {
              if (items[k].response_status.empty()) {
                items[k].response_status = status;
                items[k].response_text = Clean(b.text);
                items[k].response_page = b.page;
              }
            }
          }
        } else if (status_next && !items.empty()) {
          target = &items.back();
        }
        if (target != nullptr && target->response_status.empty()) {
          target->response_status = status;
          target->response_text = Clean(WithoutStatusWords(b.text, cues, language));
          target->response_page = b.page;
        }
        status_next = false;
        open = -1;
        continue;
      }
      status_next = false;
    }
    if (b.kind != BlockKind::kTableRow && ParseResponsibleLabel(b.text, cues, language, &after)) {
      open = -1;
      responsible_from = group.empty() ? (items.empty() ? 0 : items.size() - 1) : group_first_item;
      // "Recommendation to:      Priority level (1 to 3):": another label beside it, the names below.
      std::string rest = b.text.substr(after);
      if (const size_t gap = rest.find("   "); gap != std::string::npos && rest.back() == ':') rest = rest.substr(0, gap);
      if (!rest.empty() && rest.back() == ':') rest.clear();
      if (!rest.empty()) {
        for (size_t k = responsible_from; k < items.size(); ++k) items[k].responsible_cells.push_back(rest);
        responsible_next = false;
      } else {
        responsible_next = true;
      }
      continue;
    }
    if (responsible_next) {
      // The names under a responsible label: a table row's first cell that is not bullets, or a short paragraph.
      std::string names;
      if (b.kind == BlockKind::kTableRow) {
        for (const std::string& cell : b.cells) {
          if (cell.empty() || dossier_structure::FoldedKey(cell).empty()) continue;
          names = cell;
          break;
        }
      } else if (b.text.size() < 200 && b.text.back() != ':') {  // not another label ("Priority level:")
        dossier_structure::Label l;
        names = dossier_structure::ParseLabel(b.text, &l) ? b.text.substr(l.text_at) : b.text;
        if (FoldedKey(names).find_first_not_of("0123456789 ") == std::string::npos) names.clear();  // "1" (a priority)
      }
      if (!names.empty()) {
        for (size_t k = responsible_from; k < items.size(); ++k) items[k].responsible_cells.push_back(names);
        responsible_next = false;
        continue;
      }
    }

    {
      std::string named;
      size_t after = 0;
      if (b.kind == BlockKind::kParagraph && ParseAddressee(b.text, cues, language, &named, &after) &&
          after >= b.text.size()) {
        addressee = named;
        addressee_section = b.section;
        open = -1;
        continue;
      }
    }
    // A short block that is nothing but a status ("Accept in part") answers the item it sits in.
    if (open >= 0 && b.kind == BlockKind::kParagraph && b.text.size() <= 40 && items[open].response_status.empty()) {
      std::string status = ResponseStatusIn(b.text, cues, language, 5, true);
      if (!status.empty() && WordCount(FoldedKey(b.text)) <= 4) {
        items[open].response_status = status;
        items[open].response_text = Clean(b.text);
        items[open].response_page = b.page;
        continue;
      }
    }

    // Table rows: a header naming a recommendations column opens a recommendations table.
    if (b.kind == BlockKind::kTableRow) {
      TableColumns header;
      if (ReadHeaderRow(b, cues, language, &header)) {
        table = header;
        table_active = true;
        table_item = -1;
        open = -1;
        continue;
      }
      // Another table's header ("N° | Name | Function | Contact"): the recommendations table has ended.
      if (table_active) {
        size_t cells = 0;
        bool header_like = true;
        for (const std::string& c : b.cells) {
          if (c.empty()) continue;
          ++cells;
          if (WordCount(FoldedKey(c)) > 4 || std::any_of(c.begin(), c.end(), [](char ch) { return std::isdigit(static_cast<unsigned char>(ch)); }))
            header_like = false;
        }
        if (header_like && cells >= 3) {
          table_active = false;
          table_item = -1;
          open = -1;
          continue;
        }
      }
      // A row shorter than the header (its empty leading cells lost): a wrapped cell of the last item.
      if (table_active && static_cast<size_t>(table.item) >= b.cells.size() && !b.cells.empty() && table_item >= 0 &&
          static_cast<size_t>(table_item) < items.size() && !b.cells.back().empty()) {
        const std::string& text = b.cells.back();
        const std::string& last = items[table_item].text;
        if (std::islower(static_cast<unsigned char>(text[0])) ||
            (!last.empty() && std::string_view(".;:!?").find(last.back()) == std::string_view::npos)) {
          items[table_item].text += " " + text;
          continue;
        }
      }
      if (table_active && static_cast<size_t>(table.item) < b.cells.size()) {
        size_t text_cell = static_cast<size_t>(table.item);
        std::string text = b.cells[text_cell];
        std::string number;
        dossier_structure::Label l;
        if (table.number >= 0 && static_cast<size_t>(table.number) < b.cells.size()) {
          number = b.cells[table.number];
          if (dossier_structure::ParseLabel(number, &l) && l.bare) number = l.number;  // "1." -> "1"
        }
        // The number set in a column of its own under the header's item column
        // ("| 1. | Improve …"), or in a first column whose header cell is
        // empty ("   | Recommendation | Response" over "1 | The government …").
        const bool bare_number = !text.empty() && text.size() <= 3 &&
                                 std::all_of(text.begin(), text.end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)); });
        if ((text.empty() || bare_number ||
             (dossier_structure::ParseLabel(text, &l) && l.bare && l.style != dossier_structure::Label::kBullet)) &&
            text_cell + 1 < b.cells.size() && !b.cells[text_cell + 1].empty()) {
          if (!text.empty() && number.empty()) number = bare_number ? text : l.number;
          text = b.cells[++text_cell];
        }
        // Cells after the text are read against the header shifted by as much.
        const int shift = static_cast<int>(text_cell) - table.item;
        if (dossier_structure::ParseLabel(text, &l) && l.style != dossier_structure::Label::kBullet) {
          if (number.empty()) number = l.number;
          text = text.substr(l.text_at);
        } else if (number.empty() && table.item > 0) {
          // A first column holding only a number: "1 | The government should …".
          const std::string& c0 = b.cells[0];
          if (!c0.empty() && c0.size() <= 4 && std::isdigit(static_cast<unsigned char>(c0[0]))) {
            dossier_structure::Label l0;
            number = dossier_structure::ParseLabel(c0, &l0) ? l0.number : c0;  // "1." -> "1"
          }
        }
        // A cell wrapped onto the next row: no number of its own, and its text runs on from the last item's.
        if (number.empty() && !text.empty() && table_item >= 0 && static_cast<size_t>(table_item) < items.size()) {
          const std::string& last = items[table_item].text;
          const bool runs_on = std::islower(static_cast<unsigned char>(text[0])) ||
                               (!last.empty() && std::string_view(".;:!?").find(last.back()) == std::string_view::npos);
          if (runs_on) {
            items[table_item].text += " " + text;
            continue;
          }
        }
        if (text.size() >= 12) {
          start_item(b, "recommendation", number, text);
          Item& item = items.back();
          for (size_t c = 0; c < b.cells.size(); ++c) {
            if (c == text_cell || b.cells[c].empty()) continue;
            const int hc = c > text_cell ? static_cast<int>(c) - shift : static_cast<int>(c);
            if (hc == table.item) continue;
            if (hc == table.responsible) item.responsible_cells.push_back(b.cells[c]);
            else if (hc == table.due) item.due_cell = b.cells[c];
            else if (hc == table.response) {
              std::string status = ResponseStatusIn(b.cells[c], cues, language, 6, true);
              if (!status.empty()) item.response_status = status, item.response_text = Clean(b.cells[c]), item.response_page = b.page;
            } else if (hc != table.number && !(c < text_cell && c + 1 == text_cell && number == b.cells[c])) {
              item.table_cells.push_back(b.cells[c]);
            }
          }
          open = -1;  // a table row holds the whole item
          table_item = static_cast<int>(items.size()) - 1;
          continue;
        }
      }
      table_item = -1;
      // Any other row ends the running item's text (a key-action table follows it).
      open = -1;
      continue;
    }

    // A sub-point opening a page inside a table of numbered rows ("ii) They
    // should …", the row's empty number cell lost with the line's leading
    // tab): the last row, continued.
    if (b.kind == BlockKind::kListItem && table_active && table_item >= 0 && static_cast<size_t>(table_item) < items.size()) {
      dossier_structure::Label l;
      const std::string& last_number = items[table_item].number;
      if (!b.label.empty() && dossier_structure::ParseLabel(b.label + " x", &l) &&
          (l.style == dossier_structure::Label::kLowerRoman || l.style == dossier_structure::Label::kLowerAlpha) &&
          !last_number.empty() && std::isdigit(static_cast<unsigned char>(last_number[0]))) {
        items[table_item].text += " " + b.label + " " + b.text;
        continue;
      }
    }
    // A table cell's wrapped line that the text layer set apart from its row.
    if (b.kind == BlockKind::kParagraph && table_active && table_item >= 0 && static_cast<size_t>(table_item) < items.size() &&
        !b.text.empty() && std::islower(static_cast<unsigned char>(b.text[0]))) {
      items[table_item].text += " " + b.text;
      continue;
    }
    // Labelled items anywhere outside the contents: "Recommendation 3: …".
    ItemLabel label;
    if (ParseItemLabel(b.text, cues, language, &label) && !label.ends_line) {
      start_item(b, label.type, label.number, b.text.substr(label.text_at), label.text_at, true);
      continue;
    }

    // Coded labels ("R1", "F12"): the letter says the type, wherever they are.
    if (b.kind == BlockKind::kListItem && !b.number.empty() && std::isupper(static_cast<unsigned char>(b.number[0])) &&
        std::isdigit(static_cast<unsigned char>(b.number.back()))) {
      std::string prefix;
      for (char c : b.number) if (std::isalpha(static_cast<unsigned char>(c))) prefix += static_cast<char>(std::tolower(c));
      std::string coded_type;
      for (const auto& [category, item_type] : {std::pair<std::string_view, std::string_view>{"prefix.recommendation", "recommendation"},
                                                {"prefix.finding", "finding"}, {"prefix.conclusion", "conclusion"}}) {
        for (const std::string& p : cues.Phrases(category, language)) {
          if (p == prefix) coded_type = item_type;
        }
      }
      if (!coded_type.empty()) {
        start_item(b, coded_type, b.number, b.text);
        continue;
      }
    }
    std::string type = scoped_out ? "" : TypeOfTopic(topic);
    // A document that is a set of recommendations ("Compendium of Priority Recommendations"):
    // its numbered top-level list items in the body are recommendations, whatever their section.
    if (type.empty() && !scoped_out && topic == Topic::kNone && structure.title_topic == Topic::kRecommendations &&
        b.kind == BlockKind::kListItem && b.level == 1 && !b.number.empty() &&
        std::isdigit(static_cast<unsigned char>(b.number[0])) && structure.RoleAt(b) == SectionRole::kBody)
      type = "recommendation";
    // There, a numbered item that continues the recommendations' own
    // numbering ("04" after "03") is the next one, wherever the layout put
    // it: after a bulleted list (which makes it look nested), or under a
    // heading the table beside it produced.
    bool continues_numbering = false;
    if (structure.title_topic == Topic::kRecommendations && b.kind == BlockKind::kListItem &&
        structure.RoleAt(b) == SectionRole::kBody && !b.number.empty() && b.number.size() <= 3 &&
        std::all_of(b.number.begin(), b.number.end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)); })) {
      for (auto it = items.rbegin(); it != items.rend(); ++it) {
        if (it->type != "recommendation") continue;
        const std::string& n = it->number;
        if (!n.empty() && n.size() <= 3 && std::all_of(n.begin(), n.end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)); }))
          continues_numbering = std::stoi(b.number) == std::stoi(n) + 1 && b.number.size() == n.size();
        break;
      }
      bool terms = false;
      for (const Section* s = section; s != nullptr; s = s->parent < 0 ? nullptr : &structure.sections[s->parent]) {
        terms = terms || s->topic == Topic::kTermsOfReference || s->topic == Topic::kReferences || s->topic == Topic::kAcronyms;
      }
      continues_numbering = continues_numbering && !terms;
      if (continues_numbering && type.empty()) type = "recommendation";
    }
    if (b.kind == BlockKind::kListItem && !type.empty()) {
      if (b.level == 1 || continues_numbering) {
        start_item(b, type, b.number, b.text);
        continue;
      }
      if (open >= 0) {
        items[open].text += " " + (b.label.empty() ? "" : b.label + " ") + b.text;
        items[open].end = items[open].page == b.page ? b.end : items[open].end;
        continue;
      }
    }
    if (b.kind == BlockKind::kParagraph && open >= 0 &&
        ((b.text.size() < 60 && b.text.back() == ':') ||
         (b.text.size() <= 30 && std::any_of(b.text.begin(), b.text.end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)); })))) {
      open = -1;  // "Confirmation due by:", a date column: the table beside the items, not their text
      continue;
    }
    if (b.kind == BlockKind::kParagraph && !type.empty()) {
      const std::string key = FoldedKey(b.text.substr(0, 400));
      const bool recommends = cues.Contains(key, "verb.recommend", language);
      if (recommends && type == "recommendation" && list_items_in_section[b.section] == 0 && open < 0) {
        // Prose recommendations ("We recommend that the Secretary …"): the paragraph is the item.
        start_item(b, type, std::to_string(1 + std::count_if(items.begin(), items.end(),
                                                             [&](const Item& it) { return it.type == type; })),
                   b.text);
        continue;
      }
      if (recommends && open < 0) {
        // A lead-in naming who the list below is for.
        lead_page = b.page;
        lead_start = b.start;
        lead_end = b.start + b.text.size();
        lead_section = b.section;
        continue;
      }
      if (open >= 0 && items[open].type == type && items[open].text.size() < 4000) {
        // Explanation paragraphs under a recommendation belong to it.
        items[open].text += " " + b.text;
        continue;
      }
    }
    if (b.kind == BlockKind::kParagraph && open >= 0 && type.empty() && items[open].text.size() < 4000) {
      // A labelled item's text running on outside a recommendations section.
      const std::string key = FoldedKey(b.text.substr(0, 60));
      if (!key.empty()) {
        items[open].text += " " + b.text;
        continue;
      }
    }
    if (b.kind == BlockKind::kListItem && open >= 0 && type.empty()) {
      items[open].text += " " + (b.label.empty() ? "" : b.label + " ") + b.text;
      continue;
    }
    open = -1;
  }

  return items;
}

// Tidy, drop fragments, and keep each item once (the fullest text).
std::vector<Item> KeepOnce(std::vector<Item> items) {
  std::vector<Item> unique;
  std::vector<std::string> folded;                    // each kept item's folded opening (600 characters)
  std::map<std::string, std::vector<size_t>> seen;    // type and first 80 folded characters -> kept items
  for (Item& item : items) {
    item.text = Clean(item.text);
    if (item.text.size() < 12) continue;
    const std::string opening = FoldedKey(item.text.substr(0, 600));
    const std::string key = item.type + "|" + opening.substr(0, 80);
    // The same item when one text starts the other ("Work with a social scientist … to improve
    // analyses" and "… to develop indicators" share 80 characters and are two items).
    size_t same = unique.size();
    for (size_t k : seen[key]) {
      const size_t n = std::min(opening.size(), folded[k].size());
      if (opening.compare(0, n, folded[k], 0, n) == 0) {
        same = k;
        break;
      }
    }
    if (same == unique.size()) {
      seen[key].push_back(unique.size());
      folded.push_back(opening);
      unique.push_back(std::move(item));
      continue;
    }
    Item& kept = unique[same];
    if (opening.size() > folded[same].size()) folded[same] = opening;
    if (item.text.size() > kept.text.size()) {
      std::swap(kept.text, item.text);
    }
    if (kept.response_status.empty() && !item.response_status.empty()) {
      kept.response_status = item.response_status;
      kept.response_text = item.response_text;
      kept.response_page = item.response_page;
    }
    if (kept.responsible_cells.empty()) kept.responsible_cells = item.responsible_cells;
    if (kept.due_cell.empty()) kept.due_cell = item.due_cell;
    if (kept.actions.empty()) kept.actions = std::move(item.actions);
  }
  return unique;
}

}  // namespace

std::vector<Item> FindStructuredItems(const DocumentStructure& structure, const Cues& cues, std::string_view language,
                                      NumericOrder order) {
  std::vector<Item> items = ReadItems(structure, cues, language);
  // An action plan names no recommendations: its numbered actions ("Action 15: Conduct a review …")
  // are the items to follow up, outside the sections of next steps that report on them.
  if (std::none_of(items.begin(), items.end(), [](const Item& i) { return i.type == "recommendation"; })) {
    bool added = false;
    for (const Block& b : structure.blocks) {
      if ((b.kind != BlockKind::kListItem && b.kind != BlockKind::kParagraph) ||
          structure.TopicAt(b) == Topic::kActions || structure.RoleAt(b) == SectionRole::kContents)
        continue;
      std::string numbers;
      size_t text_at = 0;
      if (!ParseActionItemLabel(b.text, cues, language, &numbers, &text_at) || b.text.size() - text_at < 12) continue;
      Item item;
      item.type = "recommendation";
      item.number = numbers;
      item.text = b.text.substr(text_at);
      item.page = b.page;
      item.start = b.start + text_at;
      item.end = b.end;
      AddSectionContext(structure, b, cues, language, &item);
      items.push_back(std::move(item));
      added = true;
    }
    if (added) {
      std::stable_sort(items.begin(), items.end(), [](const Item& a, const Item& b) {
        return a.page != b.page ? a.page < b.page : a.start < b.start;
      });
    }
  }
  AttachKeyActions(structure, cues, language, order, &items);
  std::vector<Item> unique = KeepOnce(std::move(items));
  AttachStatedResponses(structure, cues, language, &unique);
  // A table row elsewhere that prints a recommendation again, its text in one
  // cell: the cells after that one are the overview's columns for it.
  {
    std::map<std::string, size_t> by_opening;  // 60 folded characters -> recommendation
    for (size_t k = 0; k < unique.size(); ++k) {
      const std::string opening = FoldedKey(unique[k].text.substr(0, 200)).substr(0, 60);
      if (unique[k].type == "recommendation" && opening.size() == 60) by_opening.emplace(opening, k);
    }
    for (const Block& b : structure.blocks) {
      if (b.kind != BlockKind::kTableRow || by_opening.empty()) continue;
      size_t text_cell = 0;
      for (size_t c = 1; c < b.cells.size(); ++c) {
        if (b.cells[c].size() > b.cells[text_cell].size()) text_cell = c;
      }
      if (text_cell + 1 >= b.cells.size()) continue;
      const std::string opening = FoldedKey(Clean(b.cells[text_cell]).substr(0, 200)).substr(0, 60);
      auto it = by_opening.find(opening);
      if (it == by_opening.end()) continue;
      Item& item = unique[it->second];
      if ((item.page == b.page && item.start >= b.start && item.start < b.end) || !item.restated_cells.empty()) continue;
      for (size_t c = text_cell + 1; c < b.cells.size(); ++c) item.restated_cells.push_back(b.cells[c]);
    }
  }
  // The text under each item runs to the next item, and at most to the end of the next page.
  std::vector<std::pair<uint32_t, size_t>> starts;
  for (const Item& item : unique) starts.emplace_back(item.page, item.start);
  std::sort(starts.begin(), starts.end());
  for (Item& item : unique) {
    auto next = std::upper_bound(starts.begin(), starts.end(), std::make_pair(item.page, item.start));
    const std::pair<uint32_t, size_t> page_after_end{item.page + 1, std::string::npos};
    const auto end = next != starts.end() && *next < page_after_end ? *next : page_after_end;
    item.scope_end_page = end.first;
    item.scope_end = end.second;
  }
  return unique;
}

}  // namespace dossier_entities
