// The dossier subcommands, one per file in this folder. Each Add…Command adds
// its subcommand and options to `app` and what runs it to `commands`; main()
// adds them in the order `dossier --help` lists them.
#pragma once

#include <CLI/CLI.hpp>

#include "command.h"

namespace dossier::cli {

void AddIngestCommand(CLI::App& app, const GlobalOptions& global, CommandList& commands);
void AddRemoveCommand(CLI::App& app, const GlobalOptions& global, CommandList& commands);
void AddCompactCommand(CLI::App& app, const GlobalOptions& global, CommandList& commands);
void AddMergeCommand(CLI::App& app, const GlobalOptions& global, CommandList& commands);
void AddSearchCommand(CLI::App& app, const GlobalOptions& global, CommandList& commands);
void AddShowCommand(CLI::App& app, const GlobalOptions& global, CommandList& commands);
void AddPluginsCommand(CLI::App& app, const GlobalOptions& global, CommandList& commands);
void AddCheckCommand(CLI::App& app, const GlobalOptions& global, CommandList& commands);
void AddStatsCommand(CLI::App& app, const GlobalOptions& global, CommandList& commands);
void AddExportCommand(CLI::App& app, const GlobalOptions& global, CommandList& commands);
void AddDocumentsCommand(CLI::App& app, const GlobalOptions& global, CommandList& commands);
void AddEntitiesCommand(CLI::App& app, const GlobalOptions& global, CommandList& commands);
void AddEntityCommand(CLI::App& app, const GlobalOptions& global, CommandList& commands);
void AddRecommendationsCommand(CLI::App& app, const GlobalOptions& global, CommandList& commands);
void AddActionsCommand(CLI::App& app, const GlobalOptions& global, CommandList& commands);
void AddFollowUpCommand(CLI::App& app, const GlobalOptions& global, CommandList& commands);
void AddDuplicatesCommand(CLI::App& app, const GlobalOptions& global, CommandList& commands);
void AddGraphCommand(CLI::App& app, const GlobalOptions& global, CommandList& commands);

}  // namespace dossier::cli
