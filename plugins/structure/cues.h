// Cue words per language: the words that name a section's topic, label an
// item or a response, state a response's status or name who must act. They
// live in data files (cues-<language>.tsv, shipped beside the entities
// plugin), not in code, so a new language or wording is a line of data.
//
// File format: one cue a line, CATEGORY<TAB>PHRASE; '#' starts a comment.
// Phrases are matched on FoldedKey() (case and accents do not matter) as
// whole words. Categories are listed in cues-en.tsv's header.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace dossier_structure {

class Cues {
 public:
  // Adds a file's cues under `language` ("en"). False with *error set
  // (naming the file and line) when it cannot be read or a line is bad.
  bool LoadFile(const std::string& path, const std::string& language, std::string* error);
  // Loads every cues-<lang>.tsv in `folder`; a folder without any is an error.
  bool LoadFolder(const std::string& folder, std::string* error);

  // The phrases of a category for `language`, longest first; for a language
  // without its own file (or "und"), every language's. Keys are FoldedKey()s.
  const std::vector<std::string>& Phrases(std::string_view category, std::string_view language) const;

  // The first category (in `categories` order) one of whose phrases `key`
  // (a FoldedKey) starts with as whole words; sets *length to the phrase's
  // key length. "" when none does.
  std::string StartsWith(const std::string& key, const std::vector<std::string_view>& categories,
                         std::string_view language, size_t* length = nullptr) const;
  // Whether a phrase of the category occurs in `key` as whole words.
  // StartsWith and Contains fall back to every language's phrases for the
  // label.* and status.* categories (specific phrases: a Spanish response
  // label in an English report still counts); topic and role words, which
  // are single common words, are read in the document's language only.
  bool Contains(const std::string& key, std::string_view category, std::string_view language) const;

  bool empty() const { return by_language_.empty(); }

 private:
  bool ContainsIn(const std::string& key, std::string_view category, std::string_view language) const;
  // language -> category -> phrases (longest first)
  std::map<std::string, std::map<std::string, std::vector<std::string>, std::less<>>, std::less<>> by_language_;
  std::map<std::string, std::vector<std::string>, std::less<>> all_languages_;
};

// Whether `key` starts with `phrase` as whole words (both FoldedKeys).
bool StartsWithWords(const std::string& key, std::string_view phrase);

}  // namespace dossier_structure
