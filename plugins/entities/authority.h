// The authority file (well-known bodies with their names and acronyms in
// several languages) and the name words beside it.
#pragma once

#include <map>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "name_words.h"

namespace dossier_entities {

// The non-empty fields of `s` split at `sep`, each trimmed of spaces and tabs
// (authority and data files, who-must-act cells).
std::vector<std::string> Split(const std::string& s, char sep);

// A lower-case, accent-free, punctuation-free form of a name, without a
// leading article: the key under which variants of one name meet.
std::string NameKey(std::string_view name);

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
  // The first file named `<prefix>authority.tsv` also loads the name words
  // shipped beside it (`<prefix>names-<lang>.tsv`, see name_words.h).
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
  // The name words (head nouns, connectors, stop words …) the passes use.
  const NameWords& words() const { return words_; }
  NameWords& mutable_words() { return words_; }

 private:
  std::set<std::string> name_prefixes_;
  std::vector<Entry> entries_;
  std::map<std::string, size_t> by_name_;
  std::map<std::string, size_t> by_acronym_;
  size_t max_name_tokens_ = 1;
  NameWords words_;
};

}  // namespace dossier_entities
