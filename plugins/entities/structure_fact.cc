// The "structure" fact (see structure_fact.h).
#include "structure_fact.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace dossier_entities {
namespace {

using dossier_structure::Block;
using dossier_structure::BlockKind;
using dossier_structure::DocumentStructure;
using dossier_structure::Section;
using nlohmann::json;

// The first `chars` code points of `text` (never cuts a UTF-8 sequence), with
// "…" when something was cut.
std::string FirstChars(std::string_view text, size_t chars) {
  size_t seen = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    if ((static_cast<unsigned char>(text[i]) & 0xC0) == 0x80) continue;  // a continuation byte
    if (seen++ == chars) return std::string(text.substr(0, i)) + "…";
  }
  return std::string(text);
}

json OrNull(std::string_view text) { return text.empty() ? json(nullptr) : json(std::string(text)); }

constexpr std::array<BlockKind, 5> kKinds = {BlockKind::kHeading, BlockKind::kParagraph, BlockKind::kListItem,
                                             BlockKind::kTableRow, BlockKind::kContentsEntry};

json ZeroCounts() {
  json counts = json::object();
  for (BlockKind kind : kKinds) counts[std::string(dossier_structure::BlockKindName(kind))] = 0;
  return counts;
}

// What the items pass took from one block.
struct Taken {
  std::string as;        // recommendation | finding | conclusion | key_action
  std::string number;    // the item's or action's number
  std::string of;        // key actions: the recommendation's number
};

// Whether `cell` opens with the action number `number` ("1.1", "3.1a") as a whole label.
bool OpensWithNumber(std::string_view cell, const std::string& number) {
  while (!cell.empty() && std::isspace(static_cast<unsigned char>(cell.front()))) cell.remove_prefix(1);
  if (number.empty() || cell.substr(0, number.size()) != number) return false;
  return cell.size() == number.size() || !std::isalnum(static_cast<unsigned char>(cell[number.size()]));
}

// `text` with runs of white space as one space, without leading or trailing space.
std::string Squeezed(std::string_view text) {
  std::string out;
  for (char c : text) {
    const bool space = std::isspace(static_cast<unsigned char>(c));
    if (space && (out.empty() || out.back() == ' ')) continue;
    out += space ? ' ' : c;
  }
  while (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

// Per block: what was taken from it, found by provenance (an item starts
// inside its block's byte span on the same page; key actions as below).
std::vector<std::optional<Taken>> TakenBlocks(const DocumentStructure& structure, const std::vector<Item>& items) {
  const std::vector<Block>& blocks = structure.blocks;
  std::vector<std::optional<Taken>> taken(blocks.size());
  std::map<uint32_t, std::vector<size_t>> by_page;  // page -> block indexes by start
  for (size_t i = 0; i < blocks.size(); ++i) by_page[blocks[i].page].push_back(i);
  for (auto& [page, list] : by_page) {
    std::stable_sort(list.begin(), list.end(), [&](size_t a, size_t b) { return blocks[a].start < blocks[b].start; });
  }
  for (const Item& item : items) {
    auto it = by_page.find(item.page);
    if (it == by_page.end()) continue;
    const std::vector<size_t>& list = it->second;
    auto after = std::upper_bound(list.begin(), list.end(), item.start,
                                  [&](size_t start, size_t b) { return start < blocks[b].start; });
    if (after == list.begin()) continue;
    const size_t b = *(after - 1);
    if (item.start > blocks[b].end || taken[b]) continue;
    taken[b] = Taken{item.type, item.number, ""};
  }
  // Key actions: the row of the action's page opening with its number; else
  // the first row, list item or paragraph there holding the start of its text
  // (actions numbered by the pass, or read from a table with the numbers in
  // a column of their own or none).
  for (const Item& item : items) {
    for (const Item::Action& action : item.actions) {
      auto it = by_page.find(action.page);
      if (it == by_page.end()) continue;
      std::optional<size_t> found;
      for (size_t b : it->second) {
        if (taken[b] || blocks[b].kind != BlockKind::kTableRow || blocks[b].cells.empty()) continue;
        if (OpensWithNumber(blocks[b].cells[0], action.number)) {
          found = b;
          break;
        }
      }
      const std::string start = Squeezed(action.text).substr(0, 24);
      for (BlockKind kind : {BlockKind::kTableRow, BlockKind::kListItem, BlockKind::kParagraph}) {
        if (found || start.size() < 8) break;
        for (size_t b : it->second) {
          if (taken[b] || blocks[b].kind != kind) continue;
          if (Squeezed(blocks[b].text).find(start) != std::string::npos) {
            found = b;
            break;
          }
        }
      }
      if (found) taken[*found] = Taken{"key_action", action.number, item.number};
    }
  }
  return taken;
}

json BlockJson(const Block& block, const std::optional<Taken>& taken) {
  std::string text = block.text;
  if (block.kind == BlockKind::kTableRow) {  // its cells, as " | " shows them apart
    text.clear();
    for (const std::string& cell : block.cells) {
      if (!cell.empty()) text += (text.empty() ? "" : " | ") + cell;
    }
  }
  json out = {{"kind", std::string(dossier_structure::BlockKindName(block.kind))},
              {"label", OrNull(block.label)},
              {"level", block.level},
              {"page", block.page},
              {"text", FirstChars(text, kStructureTextChars)},
              {"taken", nullptr}};
  if (taken) {
    out["taken"] = {{"as", taken->as}, {"number", OrNull(taken->number)}};
    if (!taken->of.empty()) out["taken"]["recommendation"] = taken->of;
  }
  return out;
}

}  // namespace

dossier::StructureFact StructureFactOf(const DocumentStructure& structure, const std::vector<Item>& items) {
  const std::vector<Block>& blocks = structure.blocks;
  const std::vector<Section>& sections = structure.sections;
  const std::vector<std::optional<Taken>> taken = TakenBlocks(structure, items);
  auto labelled = [&](size_t i) {
    return taken[i].has_value() || blocks[i].kind == BlockKind::kListItem || blocks[i].kind == BlockKind::kTableRow;
  };

  // Which labelled blocks are listed: every taken one, then the others in
  // document order while the budget lasts.
  size_t total_labelled = 0, total_taken = 0;
  for (size_t i = 0; i < blocks.size(); ++i) {
    total_labelled += labelled(i) ? 1 : 0;
    total_taken += taken[i] ? 1 : 0;
  }
  size_t budget = kStructureListedBlocks > total_taken ? kStructureListedBlocks - total_taken : 0;

  const size_t listed_sections = std::min(sections.size(), kStructureMaxSections);
  json front = {{"first_page", nullptr}, {"last_page", nullptr}, {"blocks", ZeroCounts()},
                {"labelled_total", 0},   {"labelled", json::array()}};
  std::vector<json> out_sections;
  out_sections.reserve(listed_sections);
  for (size_t s = 0; s < listed_sections; ++s) {
    const Section& section = sections[s];
    out_sections.push_back({{"number", OrNull(section.number)},
                            {"title", FirstChars(section.title, kStructureTitleChars)},
                            {"level", section.level},
                            {"parent", section.parent >= 0 && static_cast<size_t>(section.parent) < listed_sections
                                           ? json(section.parent)
                                           : json(nullptr)},
                            {"role", std::string(dossier_structure::SectionRoleName(section.role))},
                            {"topic", OrNull(dossier_structure::TopicName(section.topic))},
                            {"own_topic", section.own_topic},
                            {"first_page", section.page},
                            {"last_page", section.page},
                            {"blocks", ZeroCounts()},
                            {"labelled_total", 0},
                            {"labelled", json::array()}});
  }

  json counts = ZeroCounts();
  size_t listed = 0;
  for (size_t i = 0; i < blocks.size(); ++i) {
    const Block& block = blocks[i];
    const std::string kind(dossier_structure::BlockKindName(block.kind));
    counts[kind] = counts[kind].get<size_t>() + 1;
    // A section's pages run to the last page of anything under it, sub-sections included.
    for (int s = block.section; s >= 0 && static_cast<size_t>(s) < sections.size(); s = sections[s].parent) {
      if (static_cast<size_t>(s) >= listed_sections) continue;
      json& last = out_sections[s]["last_page"];
      if (last.get<uint32_t>() < block.page) last = block.page;
    }
    json* where = nullptr;
    if (block.section < 0) {
      where = &front;
      if (front["first_page"].is_null()) front["first_page"] = block.page;
      if (front["last_page"].is_null() || front["last_page"].get<uint32_t>() < block.page) front["last_page"] = block.page;
    } else if (static_cast<size_t>(block.section) < listed_sections) {
      where = &out_sections[block.section];
    }
    const bool is_labelled = labelled(i);
    const bool list_it = is_labelled && (taken[i] || budget > 0);
    if (is_labelled && !taken[i] && budget > 0) --budget;
    if (where == nullptr) continue;
    (*where)["blocks"][kind] = (*where)["blocks"][kind].get<size_t>() + 1;
    if (!is_labelled) continue;
    (*where)["labelled_total"] = (*where)["labelled_total"].get<size_t>() + 1;
    if (list_it) {
      (*where)["labelled"].push_back(BlockJson(block, taken[i]));
      ++listed;
    }
  }

  dossier::StructureFact fact;
  fact.body = {{"removed", {{"page_headers", structure.removed.page_headers},
                            {"page_footers", structure.removed.page_footers},
                            {"page_numbers", structure.removed.page_numbers}}},
               {"blocks", counts},
               {"labelled", {{"total", total_labelled}, {"taken", total_taken}, {"listed", listed},
                             {"limit", kStructureListedBlocks}}},
               {"sections_total", sections.size()},
               {"front", std::move(front)},
               {"sections", std::move(out_sections)}};
  return fact;
}

}  // namespace dossier_entities
