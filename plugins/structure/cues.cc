// Loading and matching cue words (cues.h).
#include "cues.h"

#include <algorithm>
#include <filesystem>
#include <fstream>

#include "structure.h"

namespace dossier_structure {

bool StartsWithWords(const std::string& key, std::string_view phrase) {
  return !phrase.empty() && key.size() >= phrase.size() && key.compare(0, phrase.size(), phrase) == 0 &&
         (key.size() == phrase.size() || key[phrase.size()] == ' ');
}

bool Cues::LoadFile(const std::string& path, const std::string& language, std::string* error) {
  std::ifstream in(path);
  if (!in) {
    *error = path + ": cannot open cue file";
    return false;
  }
  std::string line;
  int line_number = 0;
  auto& categories = by_language_[language];
  while (std::getline(in, line)) {
    ++line_number;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty() || line[0] == '#') continue;
    const size_t tab = line.find('\t');
    if (tab == std::string::npos || tab == 0 || tab + 1 >= line.size()) {
      *error = path + ":" + std::to_string(line_number) + ": expected CATEGORY<tab>PHRASE";
      return false;
    }
    std::string key = FoldedKey(std::string_view(line).substr(tab + 1));
    if (key.empty()) {
      *error = path + ":" + std::to_string(line_number) + ": the phrase has no letters or digits";
      return false;
    }
    const std::string category = line.substr(0, tab);
    categories[category].push_back(key);
    all_languages_[category].push_back(std::move(key));
  }
  auto longest_first = [](std::vector<std::string>& phrases) {
    std::stable_sort(phrases.begin(), phrases.end(),
                     [](const std::string& a, const std::string& b) { return a.size() > b.size(); });
    phrases.erase(std::unique(phrases.begin(), phrases.end()), phrases.end());
  };
  for (auto& [category, phrases] : categories) longest_first(phrases);
  for (auto& [category, phrases] : all_languages_) longest_first(phrases);
  return true;
}

bool Cues::LoadFolder(const std::string& folder, std::string* error) {
  std::error_code ec;
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::directory_iterator(folder, ec)) {
    const std::string name = entry.path().filename().string();
    if (name.rfind("cues-", 0) == 0 && name.size() > 9 && name.substr(name.size() - 4) == ".tsv") {
      files.push_back(entry.path());
    }
  }
  if (ec) {
    *error = folder + ": cannot list cue files (" + ec.message() + ")";
    return false;
  }
  if (files.empty()) {
    *error = folder + ": no cues-<language>.tsv file";
    return false;
  }
  std::sort(files.begin(), files.end());
  for (const auto& path : files) {
    const std::string name = path.filename().string();
    if (!LoadFile(path.string(), name.substr(5, name.size() - 9), error)) return false;
  }
  return true;
}

const std::vector<std::string>& Cues::Phrases(std::string_view category, std::string_view language) const {
  static const std::vector<std::string> kNone;
  auto lang = by_language_.find(language);
  if (lang != by_language_.end()) {
    auto it = lang->second.find(category);
    return it == lang->second.end() ? kNone : it->second;
  }
  auto it = all_languages_.find(category);
  return it == all_languages_.end() ? kNone : it->second;
}

namespace {
// Labels and status words are multi-word phrases specific enough to be read
// in any language: a French response label in an English report still counts.
bool AnyLanguage(std::string_view category) {
  return category.rfind("label.", 0) == 0 || category.rfind("status.", 0) == 0 || category.rfind("column.", 0) == 0 ||
         category.rfind("action.", 0) == 0;
}
}  // namespace

std::string Cues::StartsWith(const std::string& key, const std::vector<std::string_view>& categories,
                             std::string_view language, size_t* length) const {
  for (int pass = 0; pass < 2; ++pass) {
    for (std::string_view category : categories) {
      if (pass == 1 && !AnyLanguage(category)) continue;
      for (const std::string& phrase : Phrases(category, pass == 0 ? language : "und")) {
        if (StartsWithWords(key, phrase)) {
          if (length != nullptr) *length = phrase.size();
          return std::string(category);
        }
      }
    }
  }
  return "";
}

bool Cues::Contains(const std::string& key, std::string_view category, std::string_view language) const {
  if (ContainsIn(key, category, language)) return true;
  return AnyLanguage(category) && ContainsIn(key, category, "und");
}

bool Cues::ContainsIn(const std::string& key, std::string_view category, std::string_view language) const {
  for (const std::string& phrase : Phrases(category, language)) {
    for (size_t at = key.find(phrase); at != std::string::npos; at = key.find(phrase, at + 1)) {
      const bool starts = at == 0 || key[at - 1] == ' ';
      const bool ends = at + phrase.size() == key.size() || key[at + phrase.size()] == ' ';
      if (starts && ends) return true;
    }
  }
  return false;
}

}  // namespace dossier_structure
