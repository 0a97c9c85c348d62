// Documents made of facts alone, for the graph tests.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "dossier/document.h"
#include "dossier/text.h"

namespace dossier {

// A one-page text document whose id hashes `content_key`, carrying `facts`.
inline Document DocWithFacts(const std::string& content_key, const std::vector<nlohmann::json>& facts) {
  Document doc;
  doc.id = DocumentId::FromHex(Sha256Hex(content_key).substr(0, 16)).value();
  doc.mime_type = "text/plain";
  doc.sources = {{"/in/" + content_key + ".txt", 10, 1}};
  doc.title = "Doc " + content_key;
  doc.language = "en";
  doc.pages = {{1, "text of " + content_key, TextSource::kPlainText, -1}};
  for (const nlohmann::json& f : facts) doc.facts.push_back(f.dump());
  doc.extractors = {"test 1.0.0"};
  return doc;
}

}  // namespace dossier
