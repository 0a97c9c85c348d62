// TextIndex: the Xapian side of the store (internal to core).
//
// One Xapian document per stored document, so AND, NOT and facets act on
// whole documents. Terms and values (see docs/ARCHITECTURE.md):
//   Q<hexid>          unique id term (replace and delete by term)
//   L<lang>           document language ("en", "es", "und")
//   XS<source>        a text source some page has: text_layer, ocr, plain_text
//   T<mime>           document MIME type
//   S...              title words (title:), A... author words (author:)
//   unprefixed + Z... page words, stemmed by the document's language, all
//                     with positions (STEM_SOME_FULL_POS; a stem has none
//                     where its word is itself: DropWordPositionsFromStems).
//                     Each page's words follow the previous page's after
//                     kPageGap unused positions, so phrases never span pages;
//                     value 6 says where each page starts (PageMap in
//                     text_index.cc).
//                     French elisions are taken off first ("l’entrepreneuriat"
//                     is indexed as "entrepreneuriat").
//   XF... + ZXF...    the accent-folded form of the page words that folding
//                     changes ("evaluación": XFevaluacion, ZXF + the stem of
//                     "evaluacion"), at the same positions; none for words
//                     without accents, whose plain terms are their folded form.
//   XFS..., XFA...    folded title and author words, when folding changes any
//   XE<name key>      an organisation or programme the document mentions, by
//                     the NameKey of each of its names and aliases (org:, --org)
//   Y<yyyy>           the document's own year (year:, --year)
// Items (recommendations, findings, …) are entries of a second database at
// `path`-items, written, deleted and committed with their document
// (item_index.h).
// Value slots: 0 hex document id, 2 language, 4 year, 5 entity names joined
// by \x1f (for facet counts), 6 the pages' first positions.
//
// Threads: a read-only index keeps a small pool of Xapian handles (one per
// core, 2..16), each used by one search at a time, so searches run in
// parallel; Reopen() makes each handle reopen before its next use. A
// writable index has one handle behind a mutex.
//
// Remote (OpenRemote): the page index is the shards xapian-tcpsrv serves,
// combined into one Xapian database per handle of the pool (each handle has
// its own connection to every shard); the item index is still the local
// `path`-items, and the local page index at `path` (the folder `dossier
// merge` made), when there is one, is where hits' best pages are chosen. Docids of a combined database interleave the shards, so
// nothing here keys anything by docid across handles: facets are counted by
// spies the servers run (facet columns need value streams, which a remote
// database reads one document at a time). A shard that does not answer
// makes the search kUnavailable naming it (HOST:PORT); the next search
// connects again.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "dossier/document.h"
#include "dossier/facts.h"
#include "dossier/remote_index.h"
#include "dossier/search.h"
#include "dossier/status.h"

namespace Xapian {
class Database;
}

namespace dossier {

class FacetColumnCache;
class PositionCache;
struct ShardView;

class TextIndex {
 public:
  enum class Mode { kWritable, kReadOnly };
  // kUnavailable when another writer holds the lock, kNotFound for a missing read-only index.
  static Result<std::unique_ptr<TextIndex>> Open(const std::string& path, Mode mode);
  // Read-only, with the page index on `remote`'s shards and the item index at
  // `path`-items (a data folder's xapian-items). The folder's own page index
  // at `path`, when it has one, is read only to choose hits' best pages
  // (SearchIn). Fails only when the item index cannot be read: shards that
  // do not answer yet make Health() and each search kUnavailable until they
  // do (Reopen() looks again).
  static Result<std::unique_ptr<TextIndex>> OpenRemote(const std::string& path, const RemoteIndex& remote);
  ~TextIndex();

  // The text analysis the index's entries were made with: 1 before accent
  // folding and elision splitting (no format recorded), kTextFormat now.
  // Store::Open (read-write) re-indexes an older index from the stored pages.
  // 3: the item index exists (made from the stored facts at the next write open).
  // 4: item entries without a unique term nor facet values; the facets are
  //    counted from their terms (responsible bodies as stated XR, the others XP).
  // 5: each page's positions follow the previous page's (value 6 says where
  //    each starts) instead of starting at (p-1) * 2^18 + 1, and a word that
  //    is its own stem keeps its positions under the word only.
  // 6: the first page starts after kPageGap unused positions, as the others
  //    do, so that no phrase can match through a term without positions
  //    (Xapian 1.4 reads one as standing at position 0).
  static constexpr uint32_t kTextFormat = 6;
  // The last format that changed how pages are indexed: an index of this
  // format or a later one has only its item entries made again.
  static constexpr uint32_t kPageTextFormat = 6;
  uint32_t TextFormat() const;
  // Writable: records kTextFormat, durable at the next Commit().
  Status SetTextFormat();

  // Writable only. Changes become visible and durable at Commit().
  // `facts` are the document's facts, decoded (its entities and date are indexed).
  Status ReplaceDocument(const Document& document, const std::vector<Fact>& facts);
  // The document's item entries only (its page entry is left as it is).
  Status ReplaceItems(const Document& document, const std::vector<Fact>& facts);
  // Both also replace or delete the document's item entries (item_index.h).
  Status DeleteDocument(const DocumentId& id);
  Status Commit();

  // Writable only: commits, then rewrites both databases compactly
  // (Xapian's compactor, docids kept) into a fresh folder beside each and
  // swaps it in atomically (renameat2 RENAME_EXCHANGE), so the path always
  // holds a whole database; the old one is then deleted. Readers of another
  // process keep reading the old files until they catch up, then open the
  // new ones (ReaderSlot::folder). Sizes in bytes before and after.
  struct CompactReport {
    uint64_t bytes_before = 0;
    uint64_t bytes_after = 0;
  };
  Result<CompactReport> Compact();
  // Writable only: both databases are replaced (whatever they held) by the
  // merge of the page indexes at `indexes` (and of the item indexes beside
  // them), made by Xapian's compactor and swapped in as Compact() does;
  // then the entries of the documents in `drop` (held by several of them,
  // or not to be kept) are deleted. What `dossier merge` does into a folder
  // without documents (a new one, or one a merge killed before its first
  // document left with an index).
  Status ReplaceWithMergeOf(const std::vector<std::string>& indexes, const std::vector<DocumentId>& drop);

  // Read-only: makes the facet columns of the index's latest revision, on
  // handles of its own, while the searches go on at the revision they hold,
  // so that none waits for them once Reopen() moves the handles there. Only
  // for the page or item index that searches used since its columns were
  // last made; remote: the item index only. Call it before the store catches
  // up with the writer (a search must not see index entries newer than the
  // documents it can read) and then Reopen(). Best effort.
  void PrepareRefresh();
  // Read-only: makes ready what the first searches, and the first item
  // search, would otherwise make while their users wait: every handle of the
  // reader pool opened, and the facet columns of the index's present
  // revision (about 2.4 µs an entry: 24 ms at 10,000 entries). Remote: one
  // handle, and the item index's columns only. Nothing for a writer. Errors
  // are the ones a search would meet. Call it before searches start: it
  // takes every handle of the pool.
  Status Warm() const;
  // Read-only: sees the latest commit. Remote: also connects to every shard
  // (or finds one down: kUnavailable naming it, and Health() says so).
  Status Reopen();
  // Read-only: the revision of the page index whose facet columns the
  // searches share (0: none made yet).
  uint64_t FacetColumnsRevision() const;
  // The Xapian revision searches now see (0 when unknown); changes with every commit they can see.
  // Remote (Xapian gives no revision over the network): a fingerprint of
  // each shard's uuid, entry count, last docid and total length, as the
  // last Reopen() saw them.
  uint64_t Revision() const;
  // Whether the page index is remote shards' (OpenRemote).
  bool IsRemote() const;
  // OK, or (remote) kUnavailable naming a shard the last Reopen() or search
  // could not reach.
  Status Health() const;
  uint64_t EntryCount() const;
  // The hex document id of every entry (sorted); kDataLoss when an id term
  // is on several entries or an entry has none.
  Result<std::vector<std::string>> ListEntries() const;

  // Item entries by document (hex id -> count); empty when there is no item index.
  Result<std::map<std::string, uint64_t>> ItemEntries() const;
  // Runs an item search (item_index.h). FailedPrecondition when no writer
  // of this version has made the item index yet. With `similar_to`,
  // `similar_in` is the hex id of the item's document.
  Result<ItemSearchResponse> SearchItems(const ItemSearchRequest& request, const std::string& similar_in = "") const;

  // What a search reads from the store for each hit: `describe` fills its
  // title, language, type and paths from the document's record (with a
  // remote index, the language would be a round trip to the shard: hits come
  // from the shards by id alone); left empty when the store has no such
  // document, with its page count. `page` returns one of its pages (for
  // the snippet and OCR confidence), shared (the store keeps the pages hits
  // show: Store::Search); `pages` all of them, from which a
  // remote index chooses the best page (its shards would send the position
  // lists one message per position).
  struct HitReader {
    std::function<Status(SearchHit*)> describe;
    std::function<Result<std::shared_ptr<const PageText>>(const DocumentId&, uint32_t)> page;
    std::function<Result<std::vector<PageText>>(const DocumentId&)> pages;
  };
  Result<SearchResponse> Search(const SearchRequest& request, const HitReader& reader) const;

 private:
  struct Impl;
  explicit TextIndex(std::unique_ptr<Impl> impl);
  // Commits and closes both writers, runs `work` (which may swap the
  // folders), and opens them again; the caller holds the mutex.
  Status WithWritersClosed(const std::string& what, const std::function<Status()>& work);
  // `read` on the writer or on a free reader caught up with the last Reopen(); 0 on error.
  uint64_t ReadNumber(uint64_t (*read)(const Xapian::Database&)) const;
  // With `column_cache` (a reader), facets count every match from its columns
  // (and each language's parse is filtered by its language column); with
  // `position_cache`, the best pages read position lists through it.
  // `remote` (the handle's shards, with the languages and text sources they
  // hold): facets are counted by spies xapian-tcpsrv can run (no columns).
  // `remote_counting`: a second handle on the same shards, on which the
  // facets are counted beside the search. `local_pages`: the data folder's
  // own page index, where a remote search chooses the best page of each hit
  // it holds, as a local search does.
  Result<SearchResponse> SearchIn(Xapian::Database& db, const SearchRequest& request, const HitReader& reader,
                                  FacetColumnCache* column_cache, PositionCache* position_cache = nullptr,
                                  const struct ShardView* remote = nullptr,
                                  Xapian::Database* remote_counting = nullptr,
                                  Xapian::Database* local_pages = nullptr) const;
  std::unique_ptr<Impl> impl_;
};

}  // namespace dossier
