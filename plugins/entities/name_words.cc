#include "name_words.h"

#include <algorithm>
#include <filesystem>
#include <fstream>

#include <unicode/locid.h>
#include <unicode/unistr.h>

#include "structure.h"

namespace dossier_entities {

void NameWords::Add(const std::string& category, std::string_view word) {
  std::string key = dossier_structure::FoldedKey(word);
  if (key.empty()) return;
  if (category == "head.organisation") heads_[0].insert(key);
  if (category == "head.programme") heads_[1].insert(key);
  if (category == "head.document") heads_[2].insert(key);
  words_[category].insert(std::move(key));
}

bool NameWords::LoadFile(const std::string& path, std::string* error) {
  std::ifstream in(path);
  if (!in) {
    *error = path + ": cannot open name-word file";
    return false;
  }
  std::string line;
  int number = 0;
  while (std::getline(in, line)) {
    ++number;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty() || line[0] == '#') continue;
    const size_t tab = line.find('\t');
    if (tab == std::string::npos || tab == 0 || tab + 1 >= line.size()) {
      *error = path + ":" + std::to_string(number) + ": expected CATEGORY<TAB>WORD";
      return false;
    }
    Add(line.substr(0, tab), std::string_view(line).substr(tab + 1));
  }
  return true;
}

bool NameWords::LoadFolder(const std::string& folder, const std::string& prefix, std::string* error) {
  std::error_code ec;
  std::vector<std::filesystem::path> files;
  const std::string stem = prefix + "names-";
  for (const auto& entry : std::filesystem::directory_iterator(folder, ec)) {
    const std::string name = entry.path().filename().string();
    if (name.rfind(stem, 0) == 0 && name.size() > stem.size() + 4 && name.substr(name.size() - 4) == ".tsv") {
      files.push_back(entry.path());
    }
  }
  if (ec || files.empty()) {
    *error = folder + ": no " + stem + "<language>.tsv file" + (ec ? " (" + ec.message() + ")" : "");
    return false;
  }
  std::sort(files.begin(), files.end());
  for (const auto& path : files) {
    if (!LoadFile(path.string(), error)) return false;
  }
  AddCountryNames();
  return true;
}

void NameWords::AddCountryNames() {
  // Country names in English, French and Spanish from ICU's locale data: the
  // places after a body's acronym that name its country office ("IOM Niger").
  static const char* const kLanguages[] = {"en", "fr", "es"};
  for (const char* const* code = icu::Locale::getISOCountries(); *code != nullptr; ++code) {
    for (const char* language : kLanguages) {
      icu::UnicodeString name;
      icu::Locale("", *code).getDisplayCountry(icu::Locale(language), name);
      std::string utf8;
      name.toUTF8String(utf8);
      if (!utf8.empty() && utf8 != *code) Add("place", utf8);
    }
  }
}

const std::unordered_set<std::string>& NameWords::Category(std::string_view category) const {
  static const std::unordered_set<std::string> kNone;
  auto it = words_.find(category);
  return it == words_.end() ? kNone : it->second;
}

bool NameWords::Has(std::string_view category, const std::string& key) const {
  const auto& words = Category(category);
  return words.count(key) > 0;
}

bool NameWords::IsPostTitle(const std::string& key) const {
  return Has("title.person", key) ||
         (key.size() > 3 && key.back() == 's' && Has("title.person", key.substr(0, key.size() - 1)));
}

std::string_view NameWords::HeadType(const std::string& key) const {
  if (key.empty()) return "";
  // A hyphenated word ("Directorate-General", "Sub-Committee"): its last part with a type.
  if (const size_t space = key.rfind(' '); space != std::string::npos) {
    std::string_view found;
    size_t from = 0;
    while (from <= key.size()) {
      size_t to = key.find(' ', from);
      if (to == std::string::npos) to = key.size();
      std::string_view type = HeadType(key.substr(from, to - from));
      if (!type.empty()) found = type;
      from = to + 1;
    }
    return found;
  }
  static const std::string_view kTypes[] = {"organisation", "programme", "document"};
  for (int i = 0; i < 3; ++i) {
    if (heads_[i].count(key)) return kTypes[i];
  }
  // A plural: "Offices", "Programmes", "Hubs".
  if (key.size() > 3 && key.back() == 's') {
    const std::string singular = key.substr(0, key.size() - 1);
    for (int i = 0; i < 3; ++i) {
      if (heads_[i].count(singular)) return kTypes[i];
    }
  }
  return "";
}

}  // namespace dossier_entities
