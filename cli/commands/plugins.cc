// dossier plugins: the plugins found, and why any was refused.
#include <algorithm>
#include <iostream>
#include <memory>
#include <string>

#include "commands/commands.h"
#include "dossier/json.h"
#include "dossier/plugin_host.h"

namespace dossier::cli {
namespace {

int RunPlugins(const GlobalOptions& global, bool json) {
  std::unique_ptr<PluginHost> host = PluginHost::LoadDirectory(global.plugin_dir);
  if (json) {
    std::cout << DumpJson(PluginsToJson(global.plugin_dir, host->reports()), 2) << "\n";
  } else {
    std::cout << "plugin directory: " << global.plugin_dir << " (ABI " << DOSSIER_PLUGIN_ABI_VERSION << ")\n";
    for (const PluginLoadReport& r : host->reports()) {
      if (r.loaded) {
        std::cout << "  loaded   " << r.name << " " << r.version << " (" << r.kind << "):";
        for (const std::string& m : r.mime_types) std::cout << " " << m;
        std::cout << "\n";
      } else {
        std::cout << "  refused  " << r.manifest_path << ": " << r.error << "\n";
      }
    }
    if (host->reports().empty()) std::cout << "  (no plugin manifests found)\n";
  }
  bool any_refused = std::any_of(host->reports().begin(), host->reports().end(), [](auto& r) { return !r.loaded; });
  return any_refused ? kExitSomeFailed : kExitOk;
}

}  // namespace

void AddPluginsCommand(CLI::App& app, const GlobalOptions& global, CommandList& commands) {
  auto json = std::make_shared<bool>(false);
  auto* plugins = app.add_subcommand("plugins", "List plugins and why any was refused");
  plugins->add_flag("--json", *json, "Print JSON (schemas/plugins.schema.json)");
  commands.Add(plugins, [json, &global] { return RunPlugins(global, *json); });
}

}  // namespace dossier::cli
