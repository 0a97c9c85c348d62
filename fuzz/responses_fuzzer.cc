// libFuzzer target: the response and key-action readers, fed as the entities
// extractor feeds them: pages of text (split at form feeds) go through the
// structure model (plugins/structure/structure.h) and the items pass, which
// reads management responses (responses.h) and key-action tables
// (key_actions.h) under each recommendation. The first byte picks the
// language (en, fr, es) for the cue words; the rest is the text.
//
// Checks, for valid UTF-8 input: every fact names a page of the document,
// its offsets are in order, and it survives the fact codec (EncodeFact
// writes JSON, which needs valid UTF-8; DecodeFact reads the same fact back).
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "authority.h"
#include "cues.h"
#include "dossier/facts.h"
#include "extract.h"
#include "dossier/utf8.h"

namespace de = dossier_entities;

namespace {

struct Rules {
  de::Authority authority;
  dossier_structure::Cues cues;
};

const Rules& LoadedRules() {
  static const Rules* rules = [] {
    auto* r = new Rules();
    std::string error;
    if (!r->authority.LoadFile(std::string(DOSSIER_SOURCE_DIR) + "/plugins/entities/data/authority.tsv", &error) ||
        !r->cues.LoadFolder(std::string(DOSSIER_SOURCE_DIR) + "/plugins/structure/data", &error)) {
      std::abort();
    }
    return r;
  }();
  return *rules;
}

void CheckPage(uint32_t page, size_t pages) {
  if (page < 1 || page > pages) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1) return 0;
  static const char* const kLanguages[] = {"en", "fr", "es"};
  const std::string language = kLanguages[data[0] % 3];
  const std::string input(reinterpret_cast<const char*>(data + 1), size - 1);
  std::vector<de::PageInput> pages;
  for (size_t from = 0;;) {
    const size_t ff = input.find('\f', from);
    pages.push_back({static_cast<uint32_t>(pages.size() + 1),
                     std::string_view(input).substr(from, ff == std::string::npos ? std::string::npos : ff - from)});
    if (ff == std::string::npos || pages.size() == 16) break;
    from = ff + 1;
  }
  const Rules& rules = LoadedRules();
  const std::vector<dossier::Fact> facts = de::ExtractTypedFacts(pages, language, rules.authority, rules.cues);
  if (!dossier::IsValidUtf8(input)) return 0;
  for (const dossier::Fact& fact : facts) {
    if (const auto* item = std::get_if<dossier::ItemFact>(&fact)) {
      CheckPage(item->page, pages.size());
      if (item->start > item->end) std::abort();
      if (item->management_response) CheckPage(item->management_response->page, pages.size());
      for (const dossier::KeyAction& action : item->key_actions) CheckPage(action.page, pages.size());
    }
    const std::string encoded = dossier::EncodeFact(fact);  // throws (a crash here) on invalid UTF-8
    dossier::Result<dossier::Fact> decoded = dossier::DecodeFact(encoded);
    if (!decoded.ok() || !(*decoded == fact)) std::abort();
  }
  return 0;
}
