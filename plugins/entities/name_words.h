// The words the entity passes key on — head nouns of bodies and programmes,
// words that make a name a law or a report, connectors, stop words, job
// titles, company suffixes — read from per-language data files
// (data/names-<lang>.tsv, shipped beside the plugin as
// entities-names-<lang>.tsv), not written in code. Every language's words are
// read together: a French report names English bodies and the other way round.
#pragma once

#include <string>
#include <string_view>
#include <map>
#include <unordered_map>
#include <unordered_set>
#include <vector>

namespace dossier_entities {

class NameWords {
 public:
  // Adds a file: CATEGORY<TAB>WORD lines, '#' comments. Words are stored as
  // folded keys. False with *error set (file and line) on a bad line.
  bool LoadFile(const std::string& path, std::string* error);
  // Loads every `<prefix>names-<lang>.tsv` in `folder`; false with *error when none is there.
  bool LoadFolder(const std::string& folder, const std::string& prefix, std::string* error);
  // Adds the country names ICU knows, in English, French and Spanish, as "place"
  // (LoadFolder does).
  void AddCountryNames();
  // Adds one word (tests).
  void Add(const std::string& category, std::string_view word);

  bool Has(std::string_view category, const std::string& key) const;
  // "organisation", "programme", "document" for a head word (its plural
  // "Offices" too), else "".
  std::string_view HeadType(const std::string& key) const;
  // Whether a word is a post's title, or its plural ("officer", "directors").
  bool IsPostTitle(const std::string& key) const;
  bool empty() const { return words_.empty(); }
  // The phrases of a category (folded keys), e.g. the generic phrases.
  const std::unordered_set<std::string>& Category(std::string_view category) const;

 private:
  std::map<std::string, std::unordered_set<std::string>, std::less<>> words_;  // few categories: no allocation to look one up
  // The head-word categories, looked up for nearly every token.
  std::unordered_set<std::string> heads_[3];  // organisation, programme, document
};

}  // namespace dossier_entities
