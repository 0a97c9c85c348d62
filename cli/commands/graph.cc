// dossier graph neighbors: walk the knowledge graph around a node.
#include <iostream>
#include <map>
#include <memory>
#include <string>

#include "commands/commands.h"
#include "dossier/query_service.h"

namespace dossier::cli {
namespace {

void PrintNeighbors(const nlohmann::json& result) {
  std::map<std::string, std::string> names;
  for (const auto& n : result["nodes"]) {
    std::string label = n.value("name", n.value("title", n.value("value", n.value("number", ""))));
    names[n.value("id", "")] = n.value("kind", "") + " " + label;
  }
  for (const auto& e : result["edges"]) {
    std::cout << names[e.value("source", "")] << "  -" << e.value("type", "") << "->  " << names[e.value("target", "")]
              << "   (document " << e.value("document", "") << ")\n";
  }
}

struct NeighborsCommandOptions {
  std::string node_id, edge_type;
  uint32_t depth = 1;
  bool json = false;
};

}  // namespace

void AddGraphCommand(CLI::App& app, const GlobalOptions& global, CommandList& commands) {
  auto o = std::make_shared<NeighborsCommandOptions>();
  auto* graph = app.add_subcommand("graph", "Walk the knowledge graph");
  graph->require_subcommand(1);
  auto* neighbors = graph->add_subcommand("neighbors", "Nodes and edges around a node");
  neighbors->add_option("node", o->node_id, "Node id (D:, O:, P:, X:, R:, F:, C:, T:, A: followed by 16 hex digits)")->required();
  neighbors->add_option("--depth", o->depth, "Steps to follow (1-3)")->capture_default_str();
  neighbors->add_option("--edge", o->edge_type, "Follow only this edge type (mentions, part_of, contains, responsible, states_date, due, same_as, has_action, recurs, responds_to, based_on, funds, implements, leads, member_of, near_duplicate)");
  neighbors->add_flag("--json", o->json, "Print JSON (schemas/neighbors.schema.json)");
  commands.Add(neighbors, [o, &global] {
    return RunGraphQuery(global, o->json, [&](const QueryService& q) { return q.Neighbors(o->node_id, o->depth, o->edge_type); },
                         PrintNeighbors);
  });
}

}  // namespace dossier::cli
