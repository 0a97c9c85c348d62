// dossier recommendations: recommendations with who must act and by when,
// filtered, or ranked by relevance to words or to another recommendation.
#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "commands/commands.h"
#include "format.h"
#include "dossier/json.h"
#include "dossier/query_service.h"
#include "dossier/text.h"

namespace dossier::cli {
namespace {

void PrintRecommendations(const nlohmann::json& result) {
  PrintItemFacets(result);
  for (const auto& r : result["recommendations"]) {
    PrintRanking(r);
    std::cout << "Recommendation " << r.value("number", "") << " — " << r.value("title", "") << " [" << r.value("document", "")
              << "] page " << r.value("page", 0) << "  " << r.value("id", "") << "\n";
    std::cout << "  responsible: " << (r["responsible"].empty() ? "(not stated)" : Joined(r["responsible"])) << "\n";
    std::cout << "  due:         " << (r["due"].is_string() ? r["due"].get<std::string>() : "(not stated)") << "\n";
    if (r.contains("follow_up")) {
      const auto& follow_up = r["follow_up"];
      std::cout << "  response:    " << (follow_up["response_status"].is_string() ? follow_up["response_status"].get<std::string>() : "(none stated)");
      for (const auto& a : follow_up["actions"]) {
        std::cout << "; action " << a.value("number", "") << " " << (a["status"].is_string() ? a["status"].get<std::string>() : "-");
      }
      std::cout << "\n";
    }
    std::string text = r.contains("snippet") ? r.value("snippet", "") : r.value("text", "");
    std::cout << "  " << (text.size() > 300 ? std::string(TruncateUtf8(text, 300)) + "…" : text) << "\n\n";
  }
  if (result["recommendations"].empty()) std::cout << "No recommendations match.\n";
  PrintPaging(result, result["recommendations"].size(), "recommendations");
}

void RecommendationsCsv(const nlohmann::json& result) {
  std::vector<std::vector<nlohmann::json>> rows;
  for (const auto& r : result["recommendations"]) {
    const nlohmann::json response = r.value("management_response", nlohmann::json(nullptr));
    rows.push_back({r.value("document", ""), r.value("title", ""), r.value("page", 0), r.value("number", ""),
                    r["responsible"], r.value("due", nlohmann::json(nullptr)),
                    response.is_object() ? response.value("status", nlohmann::json(nullptr)) : nlohmann::json(nullptr),
                    response.is_object() ? response.value("text", nlohmann::json(nullptr)) : nlohmann::json(nullptr),
                    r["action_ids"].size(), r["recurs"].size(), r.value("text", "")});
  }
  PrintCsv(WithRanking(result, "recommendations", {"document", "title", "page", "number", "responsible", "due",
                                                   "response_status", "response_text", "key_actions", "recurs", "text"},
                       &rows),
           rows);
}

struct RecommendationsCommandOptions {
  RecommendationFilter filter;
  std::string responsible, due_before, overdue_as_of, doc;
  std::vector<std::string> words;
  std::string similar_to;
  bool json = false;
  std::string format = "text";
};

}  // namespace

void AddRecommendationsCommand(CLI::App& app, const GlobalOptions& global, CommandList& commands) {
  auto o = std::make_shared<RecommendationsCommandOptions>();
  RecommendationFilter& rec_filter = o->filter;
  auto* recommendations = app.add_subcommand("recommendations", "Recommendations with who must act and by when");
  recommendations->add_option("query", o->words, "Rank by relevance to these words (search syntax)");
  recommendations->add_option("--similar", o->similar_to, "Rank the recommendations of other evaluations most like this one (R:…)");
  recommendations->add_option("--responsible", o->responsible, "Name or alias of the body (its units count too)");
  recommendations->add_option("--due-before", o->due_before, "Due before this date (YYYY-MM-DD)");
  recommendations->add_option("--overdue-as-of", o->overdue_as_of, "Due date passed as of this date (YYYY-MM-DD)");
  recommendations->add_option("--doc", o->doc, "Only those of one document (id or path)");
  recommendations->add_flag("--recurring", rec_filter.recurring,
                            "Only those made again to the same body in another evaluation (similar text)");
  recommendations->add_option("--limit", rec_filter.limit, "List at most N (default: all; ranked: 20)")->check(CLI::Range(1u, 1000000u));
  recommendations->add_option("--offset", rec_filter.offset, "Skip the first N");
  recommendations->add_flag("--json", o->json, "Print JSON (schemas/recommendations.schema.json)");
  AddListingFormatOption(recommendations, &o->format);
  commands.Add(recommendations, [o, &global] {
    RecommendationFilter filter = o->filter;
    filter.responsible = OptionalText(o->responsible);
    filter.due_before = OptionalText(o->due_before);
    filter.overdue_as_of = OptionalText(o->overdue_as_of);
    filter.document = OptionalText(o->doc);
    filter.similar_to = OptionalText(o->similar_to);
    if (!o->words.empty()) filter.query = JoinWords(o->words);
    return RunGraphQuery(global, o->json || o->format == "json",
                         [&](const QueryService& q) { return q.Recommendations(filter); }, PrintRecommendations,
                         o->format == "csv" ? &RecommendationsCsv : nullptr);
  });
}

}  // namespace dossier::cli
