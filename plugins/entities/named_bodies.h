// The named-bodies pass: organisations, programmes and units named in running
// text, table cells and headings, found by the shape of their names.
//
// - A known acronym (defined in the document or in the authority file), and a
//   unit after it: "IOM Niger" (a country), "UNICEF Evaluation Office" (a
//   head word); "IOM Protection Officer" is a person's title, not a unit, and
//   "IOM Niger Crisis Response Plan" is a programme.
// - The longest name from the authority file.
// - A capitalised phrase whose governing head word is a body's or a
//   programme's ("Office", "Ministère", "Programa" …, data/names-<lang>.tsv):
//   connectors inside ("of", "de la"), a comma list closed by "and" after a
//   complement ("Department for Business, Innovation and Skills"), a company
//   suffix ("Acme Holdings, Inc."). It stops at a possessive, at a change
//   from title case to capitals (a heading glued under a name), at a line
//   break between styles, and before a person's name after the head word.
//   A name whose head is a law, act or report is not a body. A line in
//   capitals gives only names that open with their head word ("MINISTRY OF
//   HEALTH"), not heading phrases.
// - A capitalised word before a lower-case programme word ("the Midata
//   initiative") or after one ("le projet MRRM").
#pragma once

#include "entity_table.h"
#include "tokens.h"

namespace dossier_entities {

void FindNamedBodies(PageTokens& page, EntityTable& table);

// Names without a head word that the document lists beside bodies ("les
// partenaires (Kelp Finance, CIPMEN, Marsh Solidali et MEJ)") or after a word
// for a body ("ONG Marsh Solidali", "NGO …"): organisations. Call after
// FindNamedBodies on every page and TypeFromUsage, so that the bodies beside
// them are known; a name found this way can vouch for the next in its list.
void FindListedBodies(std::vector<PageTokens>& pages, EntityTable& table);

// Types entities the acronym passes left as "other" from the words beside
// their mentions in the document: "the MRRM project", "projet MRRM",
// "CMS officials". Call after every page was read.
void TypeFromUsage(const std::vector<PageTokens>& pages, EntityTable& table);

}  // namespace dossier_entities
