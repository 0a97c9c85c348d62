// The authority file and the name key.
#include "authority.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "structure.h"

namespace dossier_entities {

// ---------------------------------------------------------------- names

// One key for names, headings and cue words: the structure library's.
std::string NameKey(std::string_view name) { return dossier_structure::FoldedKey(name); }

// The non-empty fields of `s` split at `sep`, each trimmed of spaces and tabs.
std::vector<std::string> Split(const std::string& s, char sep) {
  std::vector<std::string> out;
  std::stringstream in(s);
  std::string part;
  while (std::getline(in, part, sep)) {
    size_t a = part.find_first_not_of(" \t"), b = part.find_last_not_of(" \t\r");
    if (a != std::string::npos) out.push_back(part.substr(a, b - a + 1));
  }
  return out;
}

bool Authority::LoadFile(const std::string& path, std::string* error) {
  // The name words shipped beside the first authority file ("entities-authority.tsv"
  // beside "entities-names-en.tsv" …).
  const std::filesystem::path file(path);
  const std::string filename = file.filename().string();
  constexpr std::string_view kStem = "authority.tsv";
  if (words_.empty() && filename.size() >= kStem.size() &&
      filename.compare(filename.size() - kStem.size(), kStem.size(), kStem) == 0) {
    const std::string folder = file.has_parent_path() ? file.parent_path().string() : ".";
    if (!words_.LoadFolder(folder, filename.substr(0, filename.size() - kStem.size()), error)) return false;
  }
  std::ifstream in(path);
  if (!in) {
    *error = path + ": cannot open authority file";
    return false;
  }
  std::string line;
  int line_number = 0;
  while (std::getline(in, line)) {
    ++line_number;
    if (line.empty() || line[0] == '#') continue;
    std::vector<std::string> fields;
    std::stringstream row(line);
    std::string field;
    while (std::getline(row, field, '\t')) fields.push_back(field);
    if (fields.size() < 2 || (fields[0] != "organisation" && fields[0] != "programme")) {
      *error = path + ":" + std::to_string(line_number) +
               ": expected TYPE<tab>NAMES[<tab>ACRONYMS[<tab>PARENT]] with TYPE organisation or programme";
      return false;
    }
    Entry entry;
    entry.type = fields[0];
    entry.names = Split(fields[1], '|');
    if (fields.size() > 2) entry.acronyms = Split(fields[2], '|');
    if (fields.size() > 3) entry.parent = fields[3];
    if (entry.names.empty()) {
      *error = path + ":" + std::to_string(line_number) + ": no name";
      return false;
    }
    entry.name = entry.names.front();
    size_t index = entries_.size();
    for (const std::string& n : entry.names) {
      const std::string key = NameKey(n);
      by_name_.emplace(key, index);
      std::vector<std::string> words = Split(key, ' ');
      max_name_tokens_ = std::max(max_name_tokens_, words.size());
      std::string prefix;
      for (const std::string& w : words) {
        prefix += (prefix.empty() ? "" : " ") + w;
        name_prefixes_.insert(prefix);
      }
    }
    for (const std::string& a : entry.acronyms) by_acronym_.emplace(a, index);
    entries_.push_back(std::move(entry));
  }
  return true;
}

const Authority::Entry* Authority::FindByName(std::string_view name) const {
  auto it = by_name_.find(NameKey(name));
  return it == by_name_.end() ? nullptr : &entries_[it->second];
}

const Authority::Entry* Authority::FindByAcronym(std::string_view acronym) const {
  auto it = by_acronym_.find(std::string(acronym));
  return it == by_acronym_.end() ? nullptr : &entries_[it->second];
}

}  // namespace dossier_entities
