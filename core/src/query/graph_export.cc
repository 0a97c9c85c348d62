// The whole knowledge graph for graph tools: GraphML (Gephi, yEd, NetworkX)
// and JSON-LD (RDF stores). Streams node by node, so memory stays flat.
#include <ostream>
#include <string>

#include "dossier/json.h"
#include "dossier/query_service.h"
#include "dossier/text.h"

namespace dossier {

namespace {

using nlohmann::json;

constexpr std::string_view kKinds = "DOPXRFCAT";

std::string XmlEscape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (unsigned char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&apos;"; break;
      default:
        // Control characters other than tab and line breaks are not allowed in XML 1.0.
        if (c >= 0x20 || c == '\t' || c == '\n' || c == '\r') out.push_back(static_cast<char>(c));
    }
  }
  return out;
}

// A short human label for a node.
std::string Label(const GraphNode& node) {
  const json& r = node.record;
  for (const char* field : {"name", "title", "value"}) {
    if (r.contains(field) && r[field].is_string()) return r[field];
  }
  std::string label = node.kind + " " + r.value("number", "");
  const std::string text = r.value("text", "");
  // Cut at a character boundary: a split character is an invalid byte, which the JSON-LD dump would refuse.
  if (!text.empty()) label += ": " + (text.size() > 80 ? std::string(TruncateUtf8(text, 80)) + "…" : text);
  return label;
}

std::string Iri(const std::string& node_id) { return "urn:dossier:" + node_id; }

std::string ClassName(const std::string& kind) {
  std::string out = kind;
  if (!out.empty()) out[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(out[0])));
  return out;
}

}  // namespace

Status QueryService::ExportGraph(const std::string& format, std::ostream& out) const {
  if (format != "graphml" && format != "jsonld") {
    return Status::InvalidArgument("format: expected graphml or jsonld, got '" + format + "'");
  }
  const bool graphml = format == "graphml";
  if (graphml) {
    out << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
           "<graphml xmlns=\"http://graphml.graphdrawing.org/xmlns\">\n"
           "  <key id=\"kind\" for=\"node\" attr.name=\"kind\" attr.type=\"string\"/>\n"
           "  <key id=\"label\" for=\"node\" attr.name=\"label\" attr.type=\"string\"/>\n"
           "  <key id=\"record\" for=\"node\" attr.name=\"record\" attr.type=\"string\"/>\n"
           "  <key id=\"type\" for=\"edge\" attr.name=\"type\" attr.type=\"string\"/>\n"
           "  <key id=\"document\" for=\"edge\" attr.name=\"document\" attr.type=\"string\"/>\n"
           "  <key id=\"evidence\" for=\"edge\" attr.name=\"evidence\" attr.type=\"string\"/>\n"
           "  <graph id=\"dossier\" edgedefault=\"directed\">\n";
  } else {
    // Node fields under @vocab; edges as rel: properties pointing at other nodes.
    out << "{\"@context\":{\"@vocab\":\"https://dossier.invalid/vocab#\",\"rel\":\"https://dossier.invalid/relation#\","
           "\"label\":\"http://www.w3.org/2000/01/rdf-schema#label\"},"
           "\"@graph\":[";
  }
  bool first = true;
  // Nodes first (GraphML wants them declared; JSON-LD gets one object per node with its outgoing edges).
  for (char kind : kKinds) {
    for (uint32_t offset = 0;; offset += 1000) {
      DOSSIER_ASSIGN_OR_RETURN(std::vector<GraphNode> nodes, store_->ListGraphNodes(kind, 1000, offset));
      for (const GraphNode& node : nodes) {
        if (graphml) {
          out << "    <node id=\"" << XmlEscape(node.id) << "\"><data key=\"kind\">" << XmlEscape(node.kind)
              << "</data><data key=\"label\">" << XmlEscape(Label(node)) << "</data><data key=\"record\">"
              << XmlEscape(DumpJson(node.record)) << "</data></node>\n";
          continue;
        }
        json object = node.record;
        object["@id"] = Iri(node.id);
        object["@type"] = ClassName(node.kind);
        object["label"] = Label(node);
        DOSSIER_ASSIGN_OR_RETURN(std::vector<GraphEdge> edges, store_->GraphEdges(node.id, true, ""));
        for (const GraphEdge& e : edges) object["rel:" + e.type].push_back({{"@id", Iri(e.target)}});
        out << (first ? "" : ",") << "\n" << DumpJson(object);
        first = false;
      }
      if (nodes.size() < 1000) break;
    }
  }
  if (graphml) {
    uint64_t n = 0;
    for (char kind : kKinds) {
      for (uint32_t offset = 0;; offset += 1000) {
        DOSSIER_ASSIGN_OR_RETURN(std::vector<GraphNode> nodes, store_->ListGraphNodes(kind, 1000, offset));
        for (const GraphNode& node : nodes) {
          DOSSIER_ASSIGN_OR_RETURN(std::vector<GraphEdge> edges, store_->GraphEdges(node.id, true, ""));
          for (const GraphEdge& e : edges) {
            out << "    <edge id=\"e" << n++ << "\" source=\"" << XmlEscape(e.source) << "\" target=\""
                << XmlEscape(e.target) << "\"><data key=\"type\">" << XmlEscape(e.type) << "</data><data key=\"document\">"
                << XmlEscape(e.document) << "</data><data key=\"evidence\">" << XmlEscape(DumpJson(e.evidence))
                << "</data></edge>\n";
          }
        }
        if (nodes.size() < 1000) break;
      }
    }
    out << "  </graph>\n</graphml>\n";
  } else {
    out << "\n]}\n";
  }
  if (!out) return Status::Unavailable("cannot write the export (disk full?)");
  return Status::Ok();
}

}  // namespace dossier
