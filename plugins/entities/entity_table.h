// The entities one document names, as the passes find them: names,
// aliases, acronyms, mentions and the body each unit belongs to. Variants of
// one name (case, accents, punctuation, a leading article) meet under its
// NameKey; an acronym bound to a name resolves to that name's entity.
#pragma once

#include <cctype>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "authority.h"
#include "tokens.h"

namespace dossier_entities {

struct Mention {
  uint32_t page;
  size_t start, end;
};

struct Entity {
  std::string type;
  std::string name;                 // display form
  std::set<std::string> aliases;    // other forms as written
  std::vector<Mention> mentions;
  std::string parent;               // key of the parent entity, for units
  bool from_authority = false;
  std::map<std::string, int> type_votes;  // "organisation"/"programme": head words met beside its mentions
};

class EntityTable {
 public:
  explicit EntityTable(const Authority& authority) : authority_(authority) {}

  // Registers a name (with an optional acronym) and returns its entity key.
  std::string Add(const std::string& type, const std::string& name, const std::string& acronym = "") {
    if (!PlausibleName(name)) return "";
    std::string key = NameKey(name);
    if (key.empty()) return "";
    // An acronym bound earlier decides which entity a new long form belongs to.
    if (!acronym.empty()) {
      auto bound = by_alias_.find(acronym);
      if (bound != by_alias_.end() && bound->second != key && entities_.count(bound->second)) {
        Entity& existing = entities_[bound->second];
        if (NameKey(existing.name) != key) existing.aliases.insert(name);
        by_alias_[key] = bound->second;
        return bound->second;
      }
    }
    auto alias = by_alias_.find(key);
    if (alias != by_alias_.end()) key = alias->second;
    Entity& e = entities_[key];
    if (e.name.empty()) {
      e.name = name;
      e.type = type;
      const Authority::Entry* known = authority_.FindByName(name);
      if (!known && !acronym.empty()) known = authority_.FindByAcronym(acronym);
      if (known && (!acronym.empty() || NameKey(known->name) == key || authority_.FindByName(name))) {
        e.from_authority = true;
        e.type = known->type;
        if (NameKey(known->name) != key) {
          e.aliases.insert(e.name);
          e.name = known->name;
        }
        for (const std::string& a : known->acronyms) by_alias_.emplace(a, key);
      }
    } else if (IsAllCaps(e.name) && !IsAllCaps(name)) {
      e.aliases.insert(e.name);  // prefer "Office of the Inspector General" to its all-caps heading
      e.name = name;
    } else if (NameKey(e.name) != NameKey(name)) {
      e.aliases.insert(name);
    }
    if (!acronym.empty()) {
      e.aliases.insert(acronym);
      by_alias_[acronym] = key;
      std::string singular = acronym.back() == 's' ? acronym.substr(0, acronym.size() - 1) : acronym + "s";
      by_alias_.emplace(singular, key);
    }
    by_alias_[NameKey(name)] = key;
    return key;
  }

  // The entity an acronym (exactly as written) or a name refers to, or "".
  std::string Resolve(const std::string& surface) const {
    auto it = by_alias_.find(surface);
    if (it != by_alias_.end()) return it->second;
    it = by_alias_.find(NameKey(surface));
    if (it != by_alias_.end()) return it->second;
    return "";
  }

  // An acronym the authority knows but the document never defined: adds it.
  std::string ResolveOrAddKnownAcronym(const std::string& acronym) {
    std::string key = Resolve(acronym);
    if (!key.empty()) return key;
    std::string singular = acronym.size() > 2 && acronym.back() == 's' ? acronym.substr(0, acronym.size() - 1) : acronym;
    if (const Authority::Entry* known = authority_.FindByAcronym(singular)) {
      return Add(known->type, known->name, singular);
    }
    // A body of this document whose initials spell it ("MMS": "Migration
    // Management Services Department", its head word left out), when only one does.
    if (acronym.size() >= 3) {
      std::string found;
      for (const auto& [key, entity] : entities_) {
        if (!MatchesInitials(entity.name, acronym)) continue;
        if (!found.empty() && found != key) return "";
        found = key;
      }
      if (!found.empty()) {
        entities_[found].aliases.insert(acronym);
        by_alias_[acronym] = found;
        return found;
      }
    }
    return "";
  }

  // Whether a phrase can be a name at all: it holds no
  // code or markup ("=", quotes, braces), balanced brackets, and no verb of a
  // sentence ("VALUE will be the null terminated string …", "5 or LEN=6").
  static bool PlausibleName(const std::string& name) {
    size_t i = 0;
    while (i < name.size() && (name[i] == ' ' || name[i] == '\'' || name[i] == '"')) ++i;
    if (i >= name.size()) return false;
    int depth = 0;
    for (char c : name) {
      if (c == '=' || c == '"' || c == '{' || c == '}' || c == '<' || c == '>' || c == ';' || c == '|') return false;
      if (c == '(') ++depth;
      if (c == ')' && --depth < 0) return false;
    }
    if (depth != 0) return false;
    static const std::set<std::string> kVerbs = {"will", "be", "is", "are", "was", "were", "should", "must",
                                                 "shall", "can", "could", "would", "but", "not"};
    size_t start = 0;
    for (size_t k = 0; k <= name.size(); ++k) {
      if (k == name.size() || name[k] == ' ') {
        std::string word = name.substr(start, k - start);
        for (char& c : word) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        if (kVerbs.count(word)) return false;
        start = k + 1;
      }
    }
    return true;
  }

  // Whether the capitalised words of a name begin with the acronym's letters,
  // all of them or all but a last head word ("… Department", "… Unit").
  static bool MatchesInitials(const std::string& name, const std::string& acronym) {
    std::string initials;
    size_t i = 0;
    while (i < name.size()) {
      while (i < name.size() && name[i] == ' ') ++i;
      if (i >= name.size()) break;
      if (std::isupper(static_cast<unsigned char>(name[i]))) initials += name[i];
      else if (!std::isalpha(static_cast<unsigned char>(name[i]))) return false;
      while (i < name.size() && name[i] != ' ') ++i;
    }
    if (initials.size() < acronym.size()) return false;
    return initials == acronym || (initials.size() == acronym.size() + 1 && initials.compare(0, acronym.size(), acronym) == 0);
  }

  void AddMention(const std::string& key, uint32_t page, size_t start, size_t end, const std::string& surface) {
    auto it = entities_.find(key);
    if (it == entities_.end()) return;
    it->second.mentions.push_back({page, start, end});
    if (NameKey(surface) != NameKey(it->second.name) && surface.size() > 1) it->second.aliases.insert(surface);
  }

  // Gives an entity a fuller name, keeping the old one as an alias.
  void Rename(const std::string& key, const std::string& name) {
    auto it = entities_.find(key);
    if (it == entities_.end() || NameKey(it->second.name) == NameKey(name)) return;
    it->second.aliases.insert(it->second.name);
    it->second.name = name;
    by_alias_[NameKey(name)] = key;
  }

  // A vote for the type of an entity the passes could not type from its name.
  void Vote(const std::string& key, const std::string& type) {
    auto it = entities_.find(key);
    if (it != entities_.end()) ++it->second.type_votes[type];
  }
  void SetType(const std::string& key, const std::string& type) {
    auto it = entities_.find(key);
    if (it != entities_.end()) it->second.type = type;
  }

  void SetParent(const std::string& key, const std::string& parent_key) {
    if (key != parent_key && entities_.count(key) && entities_.count(parent_key)) entities_[key].parent = parent_key;
  }

  bool Has(const std::string& key) const { return entities_.count(key) > 0; }
  const Entity& Get(const std::string& key) const { return entities_.at(key); }
  const std::map<std::string, Entity>& all() const { return entities_; }
  const Authority& authority() const { return authority_; }

  // Letters and no lower-case letter (ASCII and accented).
  static bool IsAllCaps(const std::string& s);

 private:
  const Authority& authority_;
  std::map<std::string, Entity> entities_;
  std::map<std::string, std::string> by_alias_;  // acronym (as written) or name key -> entity key
};

// The type a name takes from its governing head word: its last word when
// that is a head not inside a complement ("Local Government Act": document,
// "Ministry of Health Strategic Plan": programme), else its first head
// ("Unité de Gestion du Projet": organisation). "organisation",
// "programme", "document" or "".
std::string NameType(const NameWords& words, const std::vector<Token>& tokens, int from, int to);

}  // namespace dossier_entities
