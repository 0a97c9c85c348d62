// dossier followup: the follow-up summary per responsible unit and per evaluation.
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "commands/commands.h"
#include "format.h"
#include "dossier/json.h"
#include "dossier/query_service.h"

namespace dossier::cli {
namespace {

void PrintFollowUp(const nlohmann::json& result) {
  std::cout << "Follow-up as of " << result.value("as_of", "") << ": " << result.value("actions", 0) << " key action(s)\n";
  for (const char* part : {"units", "evaluations"}) {
    std::cout << "\nBy " << (std::string(part) == "units" ? "responsible unit" : "evaluation") << ":\n";
    for (const auto& t : result[part]) {
      std::cout << "  " << t.value(std::string(part) == "units" ? "unit" : "title", "") << ": " << t.value("total", 0)
                << " action(s), " << t.value("overdue", 0) << " overdue";
      std::string statuses;
      for (const auto& [status, n] : t["by_status"].items()) statuses += (statuses.empty() ? "" : ", ") + status + " " + DumpJson(n);
      std::cout << " (" << statuses << ")";
      if (t["oldest_overdue"].is_object()) {
        const auto& o = t["oldest_overdue"];
        std::cout << "; oldest overdue: " << o.value("number", "") << " due "
                  << (o["due"].is_string() ? o["due"].get<std::string>() : "?");
      }
      std::cout << "\n";
    }
  }
}

void FollowUpCsv(const nlohmann::json& result) {
  std::vector<std::vector<nlohmann::json>> rows;
  for (const char* part : {"units", "evaluations"}) {
    for (const auto& t : result[part]) {
      const auto& o = t["oldest_overdue"];
      auto status = [&](const char* s) { return t["by_status"].value(s, 0); };
      rows.push_back({std::string(part) == "units" ? "unit" : "evaluation",
                      t.value(std::string(part) == "units" ? "unit" : "title", ""), t.value("total", 0),
                      status("completed"), status("initiated"), status("not started"), status("overdue"),
                      status("no longer applicable"), status("unknown"), t.value("overdue", 0),
                      o.is_object() ? o.value("number", "") : "", o.is_object() ? o.value("due", nlohmann::json(nullptr)) : nullptr,
                      o.is_object() ? o.value("document", "") : ""});
    }
  }
  PrintCsv({"by", "name", "actions", "completed", "initiated", "not_started", "stated_overdue", "no_longer_applicable",
            "status_unknown", "overdue", "oldest_overdue_action", "oldest_overdue_due", "oldest_overdue_document"}, rows);
}

struct FollowUpCommandOptions {
  std::string as_of;
  bool json = false;
  std::string format = "text";
};

}  // namespace

void AddFollowUpCommand(CLI::App& app, const GlobalOptions& global, CommandList& commands) {
  auto o = std::make_shared<FollowUpCommandOptions>();
  auto* followup = app.add_subcommand("followup", "Follow-up summary per responsible unit and per evaluation");
  followup->add_option("--as-of", o->as_of, "Judge 'overdue' on this date (default: today)");
  followup->add_flag("--json", o->json, "Print JSON (schemas/followup.schema.json)");
  AddListingFormatOption(followup, &o->format);
  commands.Add(followup, [o, &global] {
    return RunGraphQuery(global, o->json || o->format == "json", [&](const QueryService& q) { return q.FollowUp(o->as_of); },
                         PrintFollowUp, o->format == "csv" ? &FollowUpCsv : nullptr);
  });
}

}  // namespace dossier::cli
