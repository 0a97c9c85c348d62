// dossier actions: key actions, who must do what by when, their status and
// whether they are overdue; filtered, or ranked by relevance to words.
#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "commands/commands.h"
#include "format.h"
#include "dossier/json.h"
#include "dossier/query_service.h"

namespace dossier::cli {
namespace {

void PrintActions(const nlohmann::json& result) {
  PrintItemFacets(result);
  for (const auto& a : result["actions"]) {
    PrintRanking(a);
    std::cout << "Action " << a.value("number", "") << " (recommendation " << a["recommendation"].value("number", "")
              << ") — " << a.value("document_title", "") << " [" << a.value("document", "") << "] page " << a.value("page", 0)
              << "\n";
    std::cout << "  responsible: " << (a["responsible"].empty() ? "(not stated)" : Joined(a["responsible"])) << "\n";
    std::cout << "  time frame:  " << (a["time_frame"].is_string() ? a["time_frame"].get<std::string>() : "(not stated)");
    if (a["due"].is_string()) std::cout << "  (due " << a["due"].get<std::string>() << ")";
    std::cout << "\n  status:      " << (a["status"].is_string() ? a["status"].get<std::string>() : "(not stated)")
              << (a["overdue"].get<bool>() ? "  OVERDUE as of " + result.value("as_of", "") : "") << "\n";
    if (a["history"].size() > 1) {
      for (const auto& h : a["history"]) {
        std::cout << "    " << (h["document_date"].is_string() ? h["document_date"].get<std::string>() : "(undated)") << "  "
                  << (h["status"].is_string() ? h["status"].get<std::string>() : "-") << "  [" << h.value("document", "")
                  << " p." << h.value("page", 0) << "]\n";
      }
    }
    std::cout << "  " << a.value("text", "") << "\n\n";
  }
  if (result["actions"].empty()) std::cout << "No key actions match.\n";
  PrintPaging(result, result["actions"].size(), "key actions");
}

void ActionsCsv(const nlohmann::json& result) {
  std::vector<std::vector<nlohmann::json>> rows;
  for (const auto& a : result["actions"]) {
    rows.push_back({a.value("document", ""), a.value("document_title", ""), a.value("page", 0),
                    a["recommendation"].value("number", ""), a.value("number", ""), a["responsible"],
                    a.value("time_frame", nlohmann::json(nullptr)), a.value("start", nlohmann::json(nullptr)),
                    a.value("due", nlohmann::json(nullptr)), a.value("status", nlohmann::json(nullptr)), a["overdue"],
                    a.value("text", "")});
  }
  PrintCsv(WithRanking(result, "actions", {"document", "title", "page", "recommendation", "action", "responsible", "time_frame", "start", "due",
            "status", "overdue", "text"}, &rows), rows);
}

struct ActionsCommandOptions {
  ActionFilter filter;
  std::string responsible, status, due_before, overdue_as_of, evaluation;
  std::vector<std::string> words;
  bool json = false;
  std::string format = "text";
};

}  // namespace

void AddActionsCommand(CLI::App& app, const GlobalOptions& global, CommandList& commands) {
  auto o = std::make_shared<ActionsCommandOptions>();
  ActionFilter& action_filter = o->filter;
  auto* actions = app.add_subcommand("actions", "Key actions: who must do what by when, status, overdue");
  actions->add_option("query", o->words, "Rank by relevance to these words (search syntax)");
  actions->add_option("--responsible", o->responsible, "Name or alias of the unit (its sub-units count too)");
  actions->add_option("--status", o->status, "completed, initiated, not started, overdue, no longer applicable");
  actions->add_option("--due-before", o->due_before, "Due before this date (YYYY-MM-DD)");
  actions->add_option("--overdue-as-of", o->overdue_as_of, "Only those overdue on this date (YYYY-MM-DD)");
  actions->add_option("--evaluation", o->evaluation, "Only those of one evaluation or its response (id or path)");
  actions->add_option("--as-of", action_filter.as_of, "Judge 'overdue' on this date (default: today)");
  actions->add_option("--limit", action_filter.limit, "List at most N (default: all)")->check(CLI::Range(1u, 1000000u));
  actions->add_option("--offset", action_filter.offset, "Skip the first N");
  actions->add_flag("--json", o->json, "Print JSON (schemas/actions.schema.json)");
  AddListingFormatOption(actions, &o->format);
  commands.Add(actions, [o, &global] {
    ActionFilter filter = o->filter;
    filter.responsible = OptionalText(o->responsible);
    filter.status = OptionalText(o->status);
    filter.due_before = OptionalText(o->due_before);
    filter.overdue_as_of = OptionalText(o->overdue_as_of);
    filter.evaluation = OptionalText(o->evaluation);
    if (!o->words.empty()) filter.query = JoinWords(o->words);
    return RunGraphQuery(global, o->json || o->format == "json", [&](const QueryService& q) { return q.Actions(filter); },
                         PrintActions, o->format == "csv" ? &ActionsCsv : nullptr);
  });
}

}  // namespace dossier::cli
