// dossier entity: everything known about one entity.
#include <iostream>
#include <memory>
#include <string>

#include "commands/commands.h"
#include "format.h"
#include "dossier/query_service.h"

namespace dossier::cli {
namespace {

void PrintEntity(const nlohmann::json& e) {
  std::cout << e.value("name", "") << "  [" << e.value("id", "") << ", " << e.value("kind", "") << "]\n";
  if (!e["aliases"].empty()) std::cout << "  also:        " << Joined(e["aliases"]) << "\n";
  for (const auto& p : e["part_of"]) std::cout << "  part of:     " << p.value("name", "") << "\n";
  for (const auto& u : e["units"]) std::cout << "  unit:        " << u.value("name", "") << "\n";
  for (const auto& m : e["mentioned_in"]) {
    std::cout << "  mentioned:   " << m.value("title", m.value("document", "")) << " [" << m.value("document", "")
              << "] pages " << Joined(m["pages"]) << "\n";
  }
  const uint64_t total = e.value("mentions_total", uint64_t{0}), from = e.value("mentions_offset", uint64_t{0});
  if (from + e["mentioned_in"].size() < total || from > 0) {
    std::cout << "  (mentioned in " << total << " documents; shown: " << from + 1 << "-" << from + e["mentioned_in"].size()
              << "; see --mentions-offset, --mentions-limit)\n";
  }
  for (const auto& r : e["relations"]) {
    std::cout << "  " << (r.value("direction", "") == "outgoing" ? r.value("type", "") + ":" : "by (" + r.value("type", "") + "):")
              << " " << r.value("name", "") << " [" << r.value("document", "") << " p." << r.value("page", 0) << "]\n";
  }
  for (const auto& r : e["responsible_for"]) {
    std::cout << "  must act on: " << (r.value("kind", "") == "action" ? "key action " : "recommendation ")
              << r.value("number", "") << " of " << r.value("document", "")
              << (r["due"].is_string() ? ", due " + r["due"].get<std::string>() : "") << "\n";
  }
  if (e.value("responsible_for_total", uint64_t{0}) > e["responsible_for"].size()) {
    std::cout << "  (must act on " << e.value("responsible_for_total", uint64_t{0})
              << " recommendations in all: dossier recommendations --responsible NAME)\n";
  }
}

struct EntityCommandOptions {
  std::string name;
  uint32_t mentions_limit = kDefaultEntityMentionsLimit, mentions_offset = 0;
  bool json = false;
};

}  // namespace

void AddEntityCommand(CLI::App& app, const GlobalOptions& global, CommandList& commands) {
  auto o = std::make_shared<EntityCommandOptions>();
  auto* entity = app.add_subcommand("entity", "Everything known about one entity");
  entity->add_option("name", o->name, "Name, alias or node id (O:…)")->required();
  entity->add_option("--mentions-limit", o->mentions_limit, "Show at most this many mentioning documents")
      ->check(CLI::Range(1u, kMaxEntityMentionsLimit))
      ->capture_default_str();
  entity->add_option("--mentions-offset", o->mentions_offset, "Skip this many mentioning documents")->capture_default_str();
  entity->add_flag("--json", o->json, "Print JSON (schemas/entity.schema.json)");
  commands.Add(entity, [o, &global] {
    return RunGraphQuery(global, o->json,
                         [&](const QueryService& q) { return q.Entity(o->name, o->mentions_limit, o->mentions_offset); },
                         PrintEntity);
  });
}

}  // namespace dossier::cli
