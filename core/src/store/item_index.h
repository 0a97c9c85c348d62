// The item index (internal to core): each recommendation, finding,
// conclusion, management response and key action of a document as an entry
// of its own, in a Xapian database of its own beside the page index, so that
// item entries never count in a document search's totals, facets or term
// statistics. TextIndex owns the database and calls these with its handles,
// so items are written, deleted and committed with their document.
//
// Entries (docs/ARCHITECTURE.md, "Items in the index"), none with a unique
// term (text format 4: a document's entries are replaced together):
//   XD<hexid>       the document (every entry of a document goes with it: delete by this term)
//   XT<type>        recommendation | finding | conclusion | management_response | key_action
//   XR<name key>    a responsible body as stated (the facet counts these; the
//                   metadata "dossier.name.XR…" holds how it shows)
//   XP<name key>    a stated body's other names, and every body it is part of
//   XS<status>      the management response's status (accepted, partially accepted, not accepted)
//   XK<status>      a key action's status; a recommendation has its actions'
//   XA<name key>    the agency: the evaluating organisation (see AgencyOf)
//   Y<yyyy>, L<lang>  the document's year and language
//   Z…, ZXF…       the item's words as stems (STEM_ALL_Z) in the document's language, and the
//                  stems of their accent-folded forms where folding changes them; no positions
// Values: the due days and the year, for ranges (the kItemValue… slots in
// item_index.cc); the facets are counted from the terms. Data: what a hit shows
// (id, type, document, number, page, language; EntryData in item_index.cc),
// not the item's text, which the graph holds.
#pragma once

#include <xapian.h>

#include <map>
#include <string>
#include <vector>

#include "dossier/document.h"
#include "dossier/facts.h"
#include "dossier/search.h"
#include "dossier/status.h"
#include "facet_columns.h"

namespace dossier {

// Replaces the item entries of `document` in `db` with those its `facts`
// give (none when it has no items). Throws Xapian::Error.
void ReplaceItemEntries(Xapian::WritableDatabase& db, Xapian::TermGenerator& tg, const Document& document,
                        const std::vector<Fact>& facts);
// Deletes every item entry of the document. Throws Xapian::Error.
void DeleteItemEntries(Xapian::WritableDatabase& db, const DocumentId& id);
// How many item entries the facts of document `id` give (what ReplaceItemEntries writes).
size_t CountItemEntries(const DocumentId& id, const std::vector<Fact>& facts);
// Item entries by document (hex id -> count). Throws Xapian::Error.
std::map<std::string, uint64_t> ItemEntriesByDocument(const Xapian::Database& db);

// How a merge of several item indexes (Xapian's compactor) combines their
// metadata: a name term's spelling is the first in byte order of theirs,
// as one index of all their documents would have it; for any other key,
// the first index's.
class ItemMetadataMerge : public Xapian::Compactor {
 public:
  std::string resolve_duplicate_metadata(const std::string& key, size_t count, const std::string tags[]) override;
};

// The facet columns an item search counts with (facet_columns.h).
std::vector<FacetColumnSpec> ItemFacetColumns();

// Runs an item search (a query, or `similar_to`, whose entry is among those
// of document `similar_in`, a hex id). InvalidArgument for a bad query or
// filter, NotFound for an unknown `similar_to`. Throws Xapian::Error
// (DatabaseModifiedError: the caller reopens and retries). Facets count
// over every match (up to 100,000) from facet columns: `column_cache`'s, or
// without it columns made for this search.
Result<ItemSearchResponse> SearchItemEntries(Xapian::Database& db, const ItemSearchRequest& request,
                                             const std::string& similar_in, FacetColumnCache* column_cache = nullptr);

}  // namespace dossier
