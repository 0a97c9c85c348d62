// Output helpers the dossier commands share: lists, paging lines, ranked
// listings and CSV (RFC 4180).
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace dossier::cli {

// Words given as separate arguments, joined by single spaces.
std::string JoinWords(const std::vector<std::string>& words);

// A JSON list as text: strings as they are, other values as JSON, joined by `sep`.
std::string Joined(const nlohmann::json& list, const char* sep = ", ");

// "Showing 11-20 of 57 recommendations" when a page leaves some out.
void PrintPaging(const nlohmann::json& result, size_t shown, const char* what);

// The facet counts of a ranked item listing, one line each ("by responsible: FD (3)  …").
void PrintItemFacets(const nlohmann::json& result);

// "3. [87%] " before a ranked item; the snippet under it.
void PrintRanking(const nlohmann::json& item);

// ---- CSV (RFC 4180), for the spreadsheets staff already keep

// One field: lists joined by "; ", text that opens like a formula kept text
// with a leading apostrophe, quoted when it holds a comma, quote or line break.
std::string CsvField(const nlohmann::json& value);

// The header and the rows, each line ended by CRLF.
void PrintCsv(const std::vector<std::string>& header, const std::vector<std::vector<nlohmann::json>>& rows);

// A ranked listing's CSV starts each row with the rank and score: the header
// with them when `result` is ranked (has a query or similar_to), and each row
// of `rows` (the items of `result[list]`) given them.
std::vector<std::string> WithRanking(const nlohmann::json& result, const char* list, std::vector<std::string> header,
                                     std::vector<std::vector<nlohmann::json>>* rows);

}  // namespace dossier::cli
