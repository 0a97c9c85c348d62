// TextIndex: the Xapian side of the store (internal to core).
//
// One Xapian document per page. Terms and values (see docs/ARCHITECTURE.md):
//   Q<hexid>/<page>   unique id term of the page entry (replace by term)
//   XD<hexid>         every page of a document (delete-all, doc: filter)
//   L<lang>           document language ("en", "es", "und")
//   XS<source>        page text source: text_layer, ocr, plain_text
//   T<mime>           document MIME type
//   S...              title words (title:), A... author words (author:)
//   unprefixed + Z... page words with positions, stemmed by the document's language
// Value slots: 0 hex document id (collapse key), 1 page number
// (sortable_serialise), 2 language, 3 page text source.
#pragma once

#include <functional>
#include <memory>
#include <mutex>
#include <string>

#include "dossier/document.h"
#include "dossier/search.h"
#include "dossier/status.h"

namespace dossier {

class TextIndex {
 public:
  enum class Mode { kWritable, kReadOnly };
  // kUnavailable when another writer holds the lock, kNotFound for a missing read-only index.
  static Result<std::unique_ptr<TextIndex>> Open(const std::string& path, Mode mode);
  ~TextIndex();

  // Writable only. Changes become visible and durable at Commit().
  Status ReplaceDocument(const Document& document);
  Status DeleteDocument(const DocumentId& id);
  Status Commit();

  // Read-only: sees the latest commit.
  Status Reopen();
  uint64_t EntryCount() const;

  // Runs `request`; `fetch_page` returns a hit's page (for its snippet and OCR confidence).
  using PageFetcher = std::function<Result<PageText>(const DocumentId&, uint32_t)>;
  Result<SearchResponse> Search(const SearchRequest& request, const PageFetcher& fetch_page) const;

 private:
  struct Impl;
  explicit TextIndex(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace dossier
