// Output helpers the dossier commands share (see format.h).
#include "format.h"

#include <cctype>
#include <iostream>

#include "dossier/json.h"

namespace dossier::cli {

std::string JoinWords(const std::vector<std::string>& words) {
  std::string joined;
  for (const std::string& w : words) joined += (joined.empty() ? "" : " ") + w;
  return joined;
}

std::string Joined(const nlohmann::json& list, const char* sep) {
  std::string out;
  for (const auto& x : list) out += (out.empty() ? "" : sep) + (x.is_string() ? x.get<std::string>() : DumpJson(x));
  return out;
}

void PrintPaging(const nlohmann::json& result, size_t shown, const char* what) {
  const uint64_t total = result.value("total", uint64_t{0}), offset = result.value("offset", uint64_t{0});
  if (total <= shown) return;
  std::cout << "Showing " << (shown ? offset + 1 : offset) << "-" << offset + shown << " of " << total << " " << what
            << " (--limit, --offset for more).\n";
}

void PrintItemFacets(const nlohmann::json& result) {
  if (!result.contains("facets")) return;
  for (const auto& [name, facet] : result["facets"].items()) {
    if (facet["values"].empty()) continue;
    std::cout << "by " << name << ": ";
    size_t shown = 0;
    for (const auto& v : facet["values"]) {
      if (shown++ == 8) break;
      std::cout << " " << v.value("value", "") << " (" << v.value("count", 0) << ")";
    }
    std::cout << "\n";
  }
  if (!result.value("facets_exact", true)) std::cout << "(these counts are over a sample of the matches, not all of them)\n";
  std::cout << "\n";
}

void PrintRanking(const nlohmann::json& item) {
  if (item.contains("rank")) std::cout << item.value("rank", 0) << ". [" << item.value("percent", 0) << "%] ";
}

std::string CsvField(const nlohmann::json& value) {
  std::string text = value.is_null() ? "" : value.is_string() ? value.get<std::string>() : DumpJson(value);
  if (value.is_array()) {
    text.clear();
    for (const auto& x : value) text += (text.empty() ? "" : "; ") + (x.is_string() ? x.get<std::string>() : DumpJson(x));
  }
  // Text from documents that opens like a formula ("=HYPERLINK(…)", "+1", "@x")
  // would run in a spreadsheet: a leading apostrophe keeps it text.
  if (value.is_string() && !text.empty() &&
      (text[0] == '=' || text[0] == '+' || text[0] == '@' ||
       (text[0] == '-' && (text.size() == 1 || !std::isdigit(static_cast<unsigned char>(text[1])))))) {
    text.insert(0, "'");
  }
  if (text.find_first_of(",\"\r\n") == std::string::npos) return text;
  std::string quoted = "\"";
  for (char c : text) {
    if (c == '"') quoted += '"';
    quoted += c;
  }
  return quoted + "\"";
}

void PrintCsv(const std::vector<std::string>& header, const std::vector<std::vector<nlohmann::json>>& rows) {
  for (size_t i = 0; i < header.size(); ++i) std::cout << (i ? "," : "") << header[i];
  std::cout << "\r\n";
  for (const auto& row : rows) {
    for (size_t i = 0; i < row.size(); ++i) std::cout << (i ? "," : "") << CsvField(row[i]);
    std::cout << "\r\n";
  }
}

std::vector<std::string> WithRanking(const nlohmann::json& result, const char* list, std::vector<std::string> header,
                                     std::vector<std::vector<nlohmann::json>>* rows) {
  if (!result.contains("query") && !result.contains("similar_to")) return header;
  header.insert(header.begin(), {"rank", "score"});
  for (size_t i = 0; i < rows->size(); ++i) {
    const nlohmann::json& item = result[list][i];
    (*rows)[i].insert((*rows)[i].begin(), {item.value("rank", nlohmann::json(nullptr)), item.value("score", nlohmann::json(nullptr))});
  }
  return header;
}

}  // namespace dossier::cli
