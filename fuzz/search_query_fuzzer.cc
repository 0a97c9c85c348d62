// libFuzzer target: the search query parser with its prefixes (title:,
// author:, lang:, source:, doc:, type:, year:, org:, wildcards, phrases,
// AND/OR/NOT), through TextIndex::Search (core/src/store/text_index.h) on a
// small index of three documents (fuzz/sample_documents.h) made at start-up
// in a temporary folder: elision removal, accent folding, one parse per
// language, the filters, facets, best page and snippets.
//
// The first byte sets the request's options (a language filter, a source
// filter, facets, limit and offset); the rest is the query. Checks that a
// search either answers or fails with InvalidArgument (a query error for the
// user), and that every hit names a stored document and one of its pages.
#include <unistd.h>

#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <memory>
#include <string>

#include "dossier/facts.h"
#include "sample_documents.h"
#include "text_index.h"

namespace {

struct Index {
  std::unique_ptr<dossier::TextIndex> index;
  std::map<std::string, dossier::Document> documents;  // by hex id
};

const Index& SampleIndex() {
  static const Index* loaded = [] {
    auto* out = new Index();
    char folder[] = "/tmp/dossier-search-fuzz-XXXXXX";
    if (!mkdtemp(folder)) std::abort();
    auto index = dossier::TextIndex::Open(std::string(folder) + "/index", dossier::TextIndex::Mode::kWritable);
    if (!index.ok()) std::abort();
    out->index = std::move(index).value();
    for (const dossier::Document& d : dossier_fuzz::SampleDocuments()) {
      if (!out->index->ReplaceDocument(d, dossier::DecodeFacts(d.facts)).ok()) std::abort();
      out->documents[d.id.ToHex()] = d;
    }
    if (!out->index->Commit().ok()) std::abort();
    static std::string made = folder;
    std::atexit([] {
      std::error_code ec;
      std::filesystem::remove_all(made, ec);
    });
    return out;
  }();
  return *loaded;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1) return 0;
  const Index& index = SampleIndex();
  const uint8_t options = data[0];
  dossier::SearchRequest request;
  request.query.assign(reinterpret_cast<const char*>(data + 1), size - 1);
  static const char* const kLanguages[] = {"en", "es", "fr", "de"};
  if (options & 1) request.language = kLanguages[(options >> 1) & 3];
  if (options & 8) request.text_source = (options & 16) ? dossier::TextSource::kOcr : dossier::TextSource::kTextLayer;
  request.facets = options & 32;
  request.limit = (options & 64) ? 1 : 10;
  request.offset = (options & 128) ? 1 : 0;
  dossier::TextIndex::HitReader reader;
  reader.describe = [&](dossier::SearchHit* hit) {
    auto it = index.documents.find(hit->id.ToHex());
    if (it != index.documents.end()) {
      hit->title = it->second.title;
      hit->language = it->second.language;
      hit->source_paths = {"sample.txt"};
      hit->page_count = static_cast<uint32_t>(it->second.pages.size());
    }
    return dossier::Status::Ok();
  };
  reader.page = [&](const dossier::DocumentId& id,
                    uint32_t page) -> dossier::Result<std::shared_ptr<const dossier::PageText>> {
    auto it = index.documents.find(id.ToHex());
    if (it == index.documents.end() || page < 1 || page > it->second.pages.size()) {
      return dossier::Status::NotFound("no such page");
    }
    return std::make_shared<const dossier::PageText>(it->second.pages[page - 1]);
  };
  reader.pages = [&](const dossier::DocumentId& id) -> dossier::Result<std::vector<dossier::PageText>> {
    auto it = index.documents.find(id.ToHex());
    if (it == index.documents.end()) return dossier::Status::NotFound("no such document");
    return it->second.pages;
  };
  dossier::Result<dossier::SearchResponse> response = index.index->Search(request, reader);
  if (!response.ok()) {
    if (response.status().code() != dossier::StatusCode::kInvalidArgument) std::abort();
    return 0;
  }
  for (const dossier::SearchHit& hit : response->hits) {
    auto it = index.documents.find(hit.id.ToHex());
    if (it == index.documents.end() || hit.page < 1 || hit.page > it->second.pages.size()) std::abort();
    if (hit.percent < 0 || hit.percent > 100) std::abort();
  }
  return 0;
}
