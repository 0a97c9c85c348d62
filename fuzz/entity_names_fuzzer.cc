// libFuzzer target: the acronym and named-body finders (plugins/entities/
// acronyms.h, named_bodies.h) with the shipped authority file, run as the
// extractor runs them: acronym lists, then definitions, then named bodies on
// each page (pages split at form feeds), then typing from usage. Checks that
// every mention lies inside its page and, for valid UTF-8 input, that every
// name and alias is valid UTF-8.
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "acronyms.h"
#include "authority.h"
#include "entity_table.h"
#include "named_bodies.h"
#include "dossier/utf8.h"

namespace de = dossier_entities;

namespace {

const de::Authority& LoadedAuthority() {
  static const de::Authority* authority = [] {
    auto* a = new de::Authority();
    std::string error;
    if (!a->LoadFile(std::string(DOSSIER_SOURCE_DIR) + "/plugins/entities/data/authority.tsv", &error)) std::abort();
    return a;
  }();
  return *authority;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string input(reinterpret_cast<const char*>(data), size);
  const bool valid = dossier::IsValidUtf8(input);
  std::vector<std::string_view> texts;
  for (size_t from = 0;;) {
    const size_t ff = input.find('\f', from);
    texts.emplace_back(std::string_view(input).substr(from, ff == std::string::npos ? std::string::npos : ff - from));
    if (ff == std::string::npos || texts.size() == 8) break;
    from = ff + 1;
  }
  de::EntityTable table(LoadedAuthority());
  std::vector<de::PageTokens> pages;
  for (size_t i = 0; i < texts.size(); ++i) pages.push_back(de::MakePageTokens(static_cast<uint32_t>(i + 1), texts[i]));
  for (de::PageTokens& page : pages) de::FindAcronymLists(page, table);
  for (de::PageTokens& page : pages) de::FindAcronymDefinitions(page, table);
  for (de::PageTokens& page : pages) de::FindNamedBodies(page, table);
  de::TypeFromUsage(pages, table);
  for (const auto& [key, entity] : table.all()) {
    if (entity.name.empty()) std::abort();
    for (const de::Mention& m : entity.mentions) {
      if (m.page < 1 || m.page > pages.size() || m.start > m.end || m.end > pages[m.page - 1].text.size()) std::abort();
    }
    if (valid) {
      if (!dossier::IsValidUtf8(entity.name)) std::abort();
      for (const std::string& alias : entity.aliases) {
        if (!dossier::IsValidUtf8(alias)) std::abort();
      }
    }
  }
  return 0;
}
