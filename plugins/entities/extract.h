// Rule-based extraction of organisations, programmes, numbered items (recommendations,
// findings, conclusions) with responsible offices and due dates, and dates.
#pragma once

#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "cues.h"

namespace dossier_entities {

// Well-known bodies with their names and acronyms in several languages
// (see data/authority.tsv for the format).
class Authority {
 public:
  struct Entry {
    std::string type;  // organisation | programme
    std::string name;  // canonical (English) name
    std::vector<std::string> names;     // every name, all languages
    std::vector<std::string> acronyms;  // every acronym, all languages
    std::string parent;                 // canonical name of the parent body, or ""
  };
  // Adds the entries of a TSV file; returns false with *error set on a bad line.
  bool LoadFile(const std::string& path, std::string* error);
  // By NameKey() of a name, or by an acronym exactly as written.
  const Entry* FindByName(std::string_view name) const;
  const Entry* FindByAcronym(std::string_view acronym) const;
  size_t size() const { return entries_.size(); }
  size_t max_name_tokens() const { return max_name_tokens_; }
  // True when some name's key starts with these whole words.
  bool IsNamePrefix(const std::string& key_prefix) const { return name_prefixes_.count(key_prefix) > 0; }
  const Entry* FindByKey(const std::string& key) const {
    auto it = by_name_.find(key);
    return it == by_name_.end() ? nullptr : &entries_[it->second];
  }

 private:
  std::set<std::string> name_prefixes_;
  std::vector<Entry> entries_;
  std::map<std::string, size_t> by_name_;
  std::map<std::string, size_t> by_acronym_;
  size_t max_name_tokens_ = 1;
};

// A lower-case, accent-free, punctuation-free form of a name, without a
// leading article: the key under which variants of one name meet.
std::string NameKey(std::string_view name);

struct PageInput {
  uint32_t number;
  std::string_view text;
};

// Extracts the facts of one document as JSON objects (grammar in docs/ARCHITECTURE.md).
// `cues` holds the per-language cue words (cues-<lang>.tsv).
std::vector<nlohmann::json> ExtractFacts(const std::vector<PageInput>& pages, const std::string& language,
                                         const Authority& authority, const dossier_structure::Cues& cues);

}  // namespace dossier_entities
