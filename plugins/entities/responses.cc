// The responses pass (responses.h).
#include "responses.h"

#include <algorithm>
#include <cctype>
#include <string>

namespace dossier_entities {

using dossier_structure::Block;
using dossier_structure::BlockKind;
using dossier_structure::FoldedKey;
using dossier_structure::Topic;

namespace {

// The recommendation numbers a sentence names ("recommendation 3", "recommendations 2 and 4").
std::vector<std::string> NamedNumbers(const std::string& key) {
  std::vector<std::string> numbers;
  for (size_t at = key.find("recommendation"); at != std::string::npos; at = key.find("recommendation", at + 1)) {
    size_t pos = key.find(' ', at);
    while (pos != std::string::npos && pos + 1 < key.size()) {
      size_t end = key.find(' ', pos + 1);
      const std::string word = key.substr(pos + 1, end == std::string::npos ? std::string::npos : end - pos - 1);
      if (!word.empty() && word.size() <= 3 && std::isdigit(static_cast<unsigned char>(word[0]))) {
        numbers.push_back(word);
      } else if (word != "and" && word != "s" && word != "nos" && word != "no") {
        break;
      }
      pos = end;
    }
  }
  return numbers;
}

}  // namespace

void AttachStatedResponses(const dossier_structure::DocumentStructure& structure, const dossier_structure::Cues& cues,
                           std::string_view language, std::vector<Item>* items) {
  std::vector<Item*> open;
  for (Item& item : *items) {
    if (item.type == "recommendation" && item.response_status.empty()) open.push_back(&item);
  }
  if (open.empty()) return;
  for (const Block& b : structure.blocks) {
    if (b.kind != BlockKind::kParagraph) continue;
    // In a response section, or a paragraph that opens with a response heading
    // the layout ran into it ("Response by the Safety Authority CASA does not …").
    if (structure.TopicAt(b) != Topic::kResponse &&
        cues.StartsWith(FoldedKey(b.text.substr(0, 80)), {"topic.response"}, language).empty())
      continue;
    for (const std::string& sentence : Sentences(b.text, language)) {
      const std::string key = FoldedKey(sentence);
      // It must speak of the recommendations, not of the findings or of "we agree".
      if (!cues.Contains(key, "topic.recommendations", language) && !cues.Contains(key, "label.recommendation", language))
        continue;
      const std::string status = ResponseStatusIn(sentence, cues, language, 80, false);
      if (status.empty()) continue;
      const std::vector<std::string> numbers = NamedNumbers(key);
      for (Item* item : open) {
        if (!item->response_status.empty()) continue;
        if (!numbers.empty() && std::find(numbers.begin(), numbers.end(), item->number) == numbers.end()) continue;
        item->response_status = status;
        item->response_text = sentence;
        item->response_page = b.page;
      }
    }
  }
}

}  // namespace dossier_entities
