// dossier search: full-text search of the documents, each with its best page;
// with --items, a ranked search of recommendations, findings, conclusions,
// management responses and key actions.
#include <unistd.h>

#include <iostream>
#include <memory>
#include <regex>
#include <string>
#include <vector>

#include "commands/commands.h"
#include "format.h"
#include "dossier/json.h"
#include "dossier/query_service.h"
#include "dossier/text.h"

namespace dossier::cli {
namespace {

// Turns a snippet's HTML into terminal text: matches in bold on a terminal,
// between ** otherwise.
std::string SnippetForTerminal(const std::string& html, bool tty) {
  std::string out;
  for (size_t i = 0; i < html.size();) {
    auto starts = [&](std::string_view s) { return html.compare(i, s.size(), s) == 0; };
    if (starts("<mark>")) { out += tty ? "\033[1m" : "**"; i += 6; }
    else if (starts("</mark>")) { out += tty ? "\033[0m" : "**"; i += 7; }
    else if (starts("&amp;")) { out += '&'; i += 5; }
    else if (starts("&lt;")) { out += '<'; i += 4; }
    else if (starts("&gt;")) { out += '>'; i += 4; }
    else if (starts("&quot;")) { out += '"'; i += 6; }
    else if (starts("&#39;")) { out += '\''; i += 5; }
    else if (html[i] == '\n' || html[i] == '\f') { out += ' '; ++i; }
    else out += html[i++];
  }
  return out;
}

int RunSearch(const GlobalOptions& global, const SearchRequest& request, bool json) {
  Result<std::unique_ptr<QueryService>> service = QueryService::Open(global.data_dir, global.remote_index);
  if (!service.ok()) return Fail(service.status(), json);
  Result<SearchResponse> response = (*service)->Search(request);
  if (!response.ok()) return Fail(response.status(), json);
  if (json) {
    std::cout << DumpJson(ToJson(*response), 2) << "\n";
    return kExitOk;
  }
  const bool tty = ::isatty(STDOUT_FILENO);
  if (response->hits.empty()) {
    std::cout << "No documents match " << request.query << (response->total ? " on this page of results" : "") << ".\n";
    return kExitOk;
  }
  if (response->total == 0) {
    std::cout << "No document has every word of " << request.query << "; showing " << response->offset + 1 << "–"
              << response->offset + response->hits.size() << " with some of them\n\n";
  } else {
    std::cout << (response->total_exact ? "" : "about ") << response->total << " document(s) match; showing "
              << response->offset + 1 << "–" << response->offset + response->hits.size() << "\n\n";
  }
  // The largest values of each facet (they come sorted by count, then by value).
  for (const auto& [facet, counted] : response->facets) {
    if (counted.values.empty()) continue;
    std::cout << (facet == "year" ? "by year:    " : facet == "entity" ? "by entity:  " : facet == "language" ? "by language:" : "by source:  ");
    size_t shown = 0;
    for (const FacetValue& v : counted.values) {
      if (shown++ == 8) break;
      std::cout << v.value << " (" << v.count << ")  ";
    }
    if (counted.total_values > 8) std::cout << "(" << counted.total_values - 8 << " more)";
    std::cout << "\n";
  }
  if (!response->facets.empty() && !response->facets_exact) {
    std::cout << "(these counts are over a sample of the matches, not all of them)\n";
  }
  std::cout << "\n";
  bool some_words_said = response->total == 0;
  for (const SearchHit& hit : response->hits) {
    if (!hit.all_words && !some_words_said) {
      std::cout << "Documents with only some of the words:\n\n";
      some_words_said = true;
    }
    std::cout << hit.rank << ". " << hit.title << "  [" << hit.id.ToHex() << "]\n";
    std::cout << "   page " << hit.page;
    if (hit.page_count > 1) std::cout << " of " << hit.page_count;
    std::cout << " (" << TextSourceName(hit.page_source);
    if (hit.ocr_confidence >= 0) std::cout << ", OCR confidence " << static_cast<int>(hit.ocr_confidence) << "%";
    std::cout << "), " << hit.percent << "% match, " << hit.language << "\n";
    for (const std::string& path : hit.source_paths) std::cout << "   " << path << "\n";
    std::cout << "   " << SnippetForTerminal(hit.snippet_html, tty) << "\n\n";
  }
  return kExitOk;
}

void PrintItems(const nlohmann::json& result) {
  std::cout << result.value("total", 0) << " item(s) match\n\n";
  PrintItemFacets(result);
  for (const auto& item : result["items"]) {
    PrintRanking(item);
    std::cout << item.value("type", "") << " " << item.value("number", "") << " — " << item.value("title", "") << " ["
              << item.value("document", "") << "] page " << item.value("page", 0) << "  " << item.value("id", "") << "\n";
    if (!item["responsible"].empty()) std::cout << "  responsible: " << Joined(item["responsible"]) << "\n";
    if (item["due"].is_string()) std::cout << "  due:         " << item["due"].get<std::string>() << "\n";
    if (item["response_status"].is_string()) std::cout << "  response:    " << item["response_status"].get<std::string>() << "\n";
    if (item["action_status"].is_string()) std::cout << "  status:      " << item["action_status"].get<std::string>() << "\n";
    std::cout << "  " << item.value("snippet", "") << "\n\n";
  }
  if (result["items"].empty()) std::cout << "No items match.\n";
  PrintPaging(result, result["items"].size(), "items");
}

void ItemsCsv(const nlohmann::json& result) {
  std::vector<std::vector<nlohmann::json>> rows;
  for (const auto& item : result["items"]) {
    rows.push_back({item["rank"], item["score"], item["type"], item["id"], item["document"], item["title"], item["page"],
                    item["number"], item["responsible"], item["due"], item["response_status"], item["action_status"],
                    item["text"]});
  }
  PrintCsv({"rank", "score", "type", "id", "document", "title", "page", "number", "responsible", "due",
            "response_status", "action_status", "text"}, rows);
}

struct SearchCommandOptions {
  SearchRequest request;
  std::vector<std::string> words;
  std::string language, source;
  bool json = false;
  std::string org_filter, year_filter;
  std::string type_filter;
  bool items = false;
  ItemSearchRequest item_request;
  std::string item_format = "text", item_responsible;
};

int RunSearchCommand(const GlobalOptions& global, SearchCommandOptions& o) {
  SearchRequest& request = o.request;
  request.query = JoinWords(o.words);
  if (!o.language.empty()) request.language = o.language;
  if (!o.source.empty()) request.text_source = TextSourceFromName(o.source);
  if (!o.org_filter.empty()) request.entity = o.org_filter;
  if (!o.type_filter.empty()) request.mime_type = o.type_filter;
  if (!o.year_filter.empty()) {
    static const std::regex year_range("(\\d{4})(?:\\.\\.(\\d{4}))?");
    std::smatch m;
    if (!std::regex_match(o.year_filter, m, year_range)) {
      return Fail(Status::InvalidArgument("--year: expected YYYY or YYYY..YYYY, got '" + o.year_filter + "'"), o.json);
    }
    request.year_from = std::stoi(m[1]);
    request.year_to = m[2].matched ? std::stoi(m[2]) : *request.year_from;
  }
  if (o.items) {
    ItemSearchRequest& item_request = o.item_request;
    item_request.query = request.query;
    item_request.limit = request.limit;
    item_request.offset = request.offset;
    item_request.language = request.language;
    item_request.year_from = request.year_from;
    item_request.year_to = request.year_to;
    item_request.facets = true;
    if (!o.item_responsible.empty()) item_request.responsible = {o.item_responsible};
    return RunGraphQuery(global, o.json || o.item_format == "json",
                         [&](const QueryService& q) { return q.SearchItems(item_request); }, PrintItems,
                         o.item_format == "csv" ? &ItemsCsv : nullptr);
  }
  return RunSearch(global, request, o.json);
}

}  // namespace

void AddSearchCommand(CLI::App& app, const GlobalOptions& global, CommandList& commands) {
  auto o = std::make_shared<SearchCommandOptions>();
  SearchRequest& request = o->request;
  ItemSearchRequest& item_request = o->item_request;
  auto* search = app.add_subcommand("search", "Full-text search; prints documents with their best page");
  search->add_option("query", o->words, "Query: words, \"phrases\", AND/OR/NOT, title:, author:, lang:, source:")->required();
  search->add_option("--limit", request.limit, "Results per page (1-1000)")->capture_default_str();
  search->add_option("--offset", request.offset, "Results to skip")->capture_default_str();
  search->add_option("--lang", o->language, "Only documents in this language (ISO 639-1)");
  search->add_option("--source", o->source, "Only pages whose text came from: text_layer, ocr, plain_text")
      ->check(CLI::IsMember({"text_layer", "ocr", "plain_text"}));
  search->add_flag("--json", o->json, "Print JSON (schemas/search-response.schema.json)");
  search->add_option("--org", o->org_filter, "Only documents mentioning this organisation or programme (name or alias)");
  search->add_option("--year", o->year_filter, "Only documents of this year, or of a range: 2019..2024");
  search->add_option("--type", o->type_filter, "Only documents of this MIME type (e.g. application/pdf)");
  search->add_flag("--items", o->items,
                   "Search recommendations, findings, conclusions, management responses and key actions instead "
                   "(schemas/items.schema.json)");
  search->add_option("--item-type", item_request.types,
                     "With --items: recommendation, finding, conclusion, management_response, key_action");
  search->add_option("--responsible", o->item_responsible, "With --items: a body (its aliases and units count too)");
  search->add_option("--response-status", item_request.response_status,
                     "With --items: accepted, partially accepted, not accepted");
  search->add_option("--action-status", item_request.action_status,
                     "With --items: completed, initiated, not started, no longer applicable, overdue");
  search->add_option("--as-of", item_request.as_of, "With --items: judge 'overdue' on this date (default: today)");
  search->add_option("--doc", item_request.documents, "With --items: only items of this document (id or path)");
  search->add_option("--agency", item_request.agency, "With --items: only items of this agency's evaluations");
  search->add_option("--format", o->item_format, "With --items: text, json or csv")
      ->check(CLI::IsMember({"text", "json", "csv"}));
  commands.Add(search, [o, &global] { return RunSearchCommand(global, *o); });
}

}  // namespace dossier::cli
