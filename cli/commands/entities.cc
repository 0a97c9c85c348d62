// dossier entities: organisations, programmes and other entities, optionally
// of one type or mentioned by one document.
#include <iostream>
#include <memory>
#include <optional>
#include <string>

#include "commands/commands.h"
#include "format.h"
#include "dossier/query_service.h"

namespace dossier::cli {
namespace {

void PrintEntities(const nlohmann::json& result) {
  for (const auto& e : result["entities"]) {
    std::cout << e.value("id", "") << "  " << e.value("kind", "") << "  " << e.value("name", "");
    if (!e["aliases"].empty()) std::cout << "  (" << Joined(e["aliases"]) << ")";
    std::cout << "  " << e.value("documents", 0) << " document(s)\n";
  }
  if (result["entities"].empty()) std::cout << "No entities.\n";
  PrintPaging(result, result["entities"].size(), "entities");
}

struct EntitiesCommandOptions {
  std::string type, doc;
  uint32_t limit = 100, offset = 0;
  bool json = false;
};

}  // namespace

void AddEntitiesCommand(CLI::App& app, const GlobalOptions& global, CommandList& commands) {
  auto o = std::make_shared<EntitiesCommandOptions>();
  auto* entities = app.add_subcommand("entities", "List organisations, programmes and other entities");
  entities->add_option("--type", o->type, "organisation, programme or entity");
  entities->add_option("--doc", o->doc, "Only those a document mentions (id or path)");
  AddListPagingOptions(entities, &o->limit, &o->offset);
  entities->add_flag("--json", o->json, "Print JSON (schemas/entities.schema.json)");
  commands.Add(entities, [o, &global] {
    return RunGraphQuery(global, o->json, [&](const QueryService& q) {
      return q.Entities(OptionalText(o->type), OptionalText(o->doc), o->limit, o->offset);
    }, PrintEntities);
  });
}

}  // namespace dossier::cli
