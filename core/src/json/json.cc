// JSON serialisers shared by the CLI and the server (schemas in schemas/).
#include "dossier/json.h"
#include "dossier/utf8.h"
#include <algorithm>
#include <cstdio>
#include <cstring>
#include <map>
#include <functional>

namespace dossier {

using nlohmann::json;

namespace {

json NullIfEmpty(const std::string& s) { return s.empty() ? json(nullptr) : json(s); }

json MetadataToJson(const DocumentMetadata& m) {
  return {{"title", NullIfEmpty(m.title)},       {"author", NullIfEmpty(m.author)},
          {"subject", NullIfEmpty(m.subject)},   {"keywords", NullIfEmpty(m.keywords)},
          {"creator", NullIfEmpty(m.creator)},   {"producer", NullIfEmpty(m.producer)},
          {"created", NullIfEmpty(m.created)},   {"modified", NullIfEmpty(m.modified)}};
}

json ConfidenceToJson(float confidence) { return confidence < 0 ? json(nullptr) : json(confidence); }

}  // namespace

json ToJson(const SearchResponse& response) {
  json hits = json::array();
  for (const SearchHit& hit : response.hits) {
    hits.push_back({{"rank", hit.rank},
                    {"percent", hit.percent},
                    {"id", hit.id.ToHex()},
                    {"title", hit.title},
                    {"language", hit.language},
                    {"mime_type", hit.mime_type},
                    {"source_paths", hit.source_paths},
                    {"page", hit.page},
                    {"page_count", hit.page_count},
                    {"page_source", std::string(TextSourceName(hit.page_source))},
                    {"ocr_confidence", ConfidenceToJson(hit.ocr_confidence)},
                    {"snippet_html", hit.snippet_html},
                    {"all_words", hit.all_words}});
  }
  // "facets": value -> count, as before (a JSON object has no order);
  // "facet_values": the same values in order, largest count first, with
  // how many values there are in all.
  json facets = json::object();
  json facet_values = json::object();
  for (const auto& [facet, counted] : response.facets) {
    json counts = json::object();
    json values = json::array();
    for (const FacetValue& v : counted.values) {
      counts[v.value] = v.count;
      values.push_back({{"value", v.value}, {"count", v.count}});
    }
    facets[facet] = std::move(counts);
    facet_values[facet] = {{"total_values", counted.total_values}, {"values", std::move(values)}};
  }
  return {{"query", response.query}, {"offset", response.offset}, {"limit", response.limit},
          {"total", response.total}, {"total_exact", response.total_exact}, {"hits", hits},
          {"facets", facets}, {"facet_values", facet_values}, {"facets_exact", response.facets_exact}};
}

json ToJson(const DocumentSummary& s) {
  json sources = json::array();
  for (const SourceFile& f : s.sources) sources.push_back({{"path", f.path}, {"size", f.size}, {"mtime_ns", f.mtime_ns}});
  return {{"id", s.id.ToHex()},
          {"title", s.title},
          {"title_source", NullIfEmpty(s.title_source)},
          {"date", NullIfEmpty(s.date)},
          {"date_source", NullIfEmpty(s.date_source)},
          {"mime_type", s.mime_type},
          {"size_bytes", s.size_bytes},
          {"language", s.language},
          {"page_count", s.page_count},
          {"ocr_page_count", s.ocr_page_count},
          {"sources", sources},
          {"metadata", MetadataToJson(s.metadata)},
          {"extracted_by", s.extracted_by},
          {"ocr_settings", s.ocr_settings},
          {"ingested_at_ms", s.ingested_at_ms}};
}

json DocumentToJson(const DocumentSummary& summary, const std::vector<PageText>* pages) {
  json out = {{"document", ToJson(summary)}};
  if (pages) {
    json list = json::array();
    for (const PageText& p : *pages) {
      list.push_back({{"number", p.number},
                      {"source", std::string(TextSourceName(p.source))},
                      {"ocr_confidence", ConfidenceToJson(p.ocr_confidence)},
                      {"text", p.text}});
    }
    out["pages"] = list;
  }
  return out;
}

json DocumentListToJson(const std::vector<DocumentSummary>& documents, uint64_t total, uint32_t offset, uint32_t limit) {
  json list = json::array();
  for (const DocumentSummary& d : documents) list.push_back(ToJson(d));
  return {{"total", total}, {"offset", offset}, {"limit", limit}, {"documents", list}};
}

json DocumentDetailToJson(const DocumentSummary& summary, const std::vector<PageText>& pages, const json& entities) {
  json list = json::array();
  for (const PageText& p : pages) {
    list.push_back({{"number", p.number},
                    {"source", std::string(TextSourceName(p.source))},
                    {"ocr_confidence", ConfidenceToJson(p.ocr_confidence)},
                    {"text_bytes", p.text.size()}});
  }
  return {{"document", ToJson(summary)}, {"pages", list}, {"entities", entities.value("entities", json::array())}};
}

json PageToJson(const DocumentId& id, const PageText& page) {
  return {{"document", id.ToHex()},
          {"number", page.number},
          {"source", std::string(TextSourceName(page.source))},
          {"ocr_confidence", ConfidenceToJson(page.ocr_confidence)},
          {"text", page.text}};
}

json ToJson(const StoreStats& s) {
  return {{"data_dir", s.data_dir},         {"documents", s.documents},     {"pages", s.pages},
          {"ocr_pages", s.ocr_pages},       {"source_paths", s.source_paths}, {"failed_files", s.failed_files},
          {"pending", s.pending},           {"index_entries", s.index_entries}, {"text_bytes", s.text_bytes},
          {"languages", s.languages},       {"mime_types", s.mime_types}};
}

json ToJson(const CheckReport& r) {
  json findings = json::array();
  for (const CheckFinding& f : r.findings) {
    findings.push_back({{"check", f.check}, {"count", f.count}, {"message", f.message}, {"examples", f.examples}});
  }
  return {{"data_dir", r.data_dir},
          {"clean", r.clean()},
          {"counts",
           {{"documents", r.documents},
            {"pages", r.pages},
            {"index_entries", r.index_entries},
            {"graph_nodes", r.graph_nodes},
            {"graph_edges", r.graph_edges},
            {"pending", r.pending}}},
          {"findings", findings}};
}

json ToJson(const RebuildReport& r) {
  return {{"salvage", r.salvage},
          {"documents_kept", r.documents_kept},
          {"documents_dropped", r.documents_dropped},
          {"index_entries_removed", r.index_entries_removed},
          {"records_removed", r.records_removed},
          {"paths_to_ingest_again", r.paths_to_ingest_again}};
}

json PluginsToJson(const std::string& plugin_dir, const std::vector<PluginLoadReport>& reports) {
  json plugins = json::array();
  for (const PluginLoadReport& r : reports) {
    plugins.push_back({{"name", NullIfEmpty(r.name)},
                       {"version", NullIfEmpty(r.version)},
                       {"kind", NullIfEmpty(r.kind)},
                       {"mime_types", r.mime_types},
                       {"manifest", r.manifest_path},
                       {"library", NullIfEmpty(r.library_path)},
                       {"loaded", r.loaded},
                       {"error", NullIfEmpty(r.error)}});
  }
  return {{"plugin_dir", plugin_dir}, {"abi_version", DOSSIER_PLUGIN_ABI_VERSION}, {"plugins", plugins}};
}

json ToJson(const FileResult& r) {
  return {{"path", r.path},
          {"outcome", std::string(FileOutcomeName(r.outcome))},
          {"id", r.id ? json(r.id->ToHex()) : json(nullptr)},
          {"mime_type", NullIfEmpty(r.mime_type)},
          {"pages", r.pages},
          {"ocr_pages", r.ocr_pages},
          {"message", NullIfEmpty(r.message)},
          {"warnings", r.warnings}};
}

json ToJson(const IngestSummary& s) {
  return {{"files", s.files},     {"ingested", s.ingested}, {"unchanged", s.unchanged},
          {"duplicates", s.duplicates}, {"skipped", s.skipped}, {"failed", s.failed}, {"removed", s.removed},
          {"other_settings", s.other_settings}, {"other_partitions", s.other_partitions}, {"pages", s.pages}, {"ocr_pages", s.ocr_pages},
          {"seconds", s.seconds}, {"repaired", {{"reindexed", s.repair.reindexed}, {"removed", s.repair.removed}}}};
}

json ErrorToJson(const Status& status) {
  return {{"error", {{"code", std::string(StatusCodeName(status.code())) }, {"message", status.message()}}}};
}

std::string DumpJson(const json& value, int indent) { return value.dump(indent, ' ', false, json::error_handler_t::replace); }

namespace {

// Appends `text` as DumpJson writes a string. Valid UTF-8 is written here
// (nlohmann escapes ", \\ and the control characters, the usual five by
// name, the others as \u00xx); text with invalid UTF-8 is left to nlohmann,
// whose replacement of bad bytes is its own.
void AppendJsonString(std::string_view text, std::string* out) {
  if (!IsValidUtf8(text)) {
    *out += DumpJson(json(std::string(text)));
    return;
  }
  *out += '"';
  size_t run = 0;  // bytes copied as they are since the last escape
  for (size_t i = 0; i < text.size(); ++i) {
    // Eight bytes at a time while none needs a look: none below 0x20, from
    // 0x80 on, '"' or '\\' (the bit tricks of "Bit Twiddling Hacks": a
    // byte below n, a zero byte).
    while (i + 8 <= text.size()) {
      constexpr uint64_t kOnes = 0x0101010101010101ULL, kHighs = 0x8080808080808080ULL;
      uint64_t eight;
      std::memcpy(&eight, text.data() + i, 8);
      const uint64_t quote = eight ^ (kOnes * '"'), backslash = eight ^ (kOnes * '\\');
      const uint64_t look = (eight | ((eight - kOnes * 0x20) & ~eight) | ((quote - kOnes) & ~quote) |
                             ((backslash - kOnes) & ~backslash)) & kHighs;
      if (look != 0) break;
      i += 8;
    }
    if (i >= text.size()) break;
    const unsigned char c = static_cast<unsigned char>(text[i]);
    if (c >= 0x20 && c != '"' && c != '\\') continue;
    out->append(text.data() + run, i - run);
    run = i + 1;
    switch (c) {
      case '"': *out += "\\\""; break;
      case '\\': *out += "\\\\"; break;
      case '\b': *out += "\\b"; break;
      case '\f': *out += "\\f"; break;
      case '\n': *out += "\\n"; break;
      case '\r': *out += "\\r"; break;
      case '\t': *out += "\\t"; break;
      default: {
        char escaped[8];
        std::snprintf(escaped, sizeof escaped, "\\u%04x", c);
        *out += escaped;
      }
    }
  }
  out->append(text.data() + run, text.size() - run);
  *out += '"';
}

// A JSON object's members, written in the order nlohmann's (a std::map)
// keeps them: by key. Each member's value is written by its function.
class ObjectWriter {
 public:
  // (Room for the members of the largest object written, a search hit's:
  // growing the vector member by member was five allocations an object.)
  explicit ObjectWriter(std::string* out) : out_(out) { members_.reserve(16); }
  ObjectWriter& Add(std::string_view key, std::function<void(std::string*)> value) {
    members_.emplace_back(key, std::move(value));
    return *this;
  }
  void Write() {
    std::stable_sort(members_.begin(), members_.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
    *out_ += '{';
    for (size_t i = 0; i < members_.size(); ++i) {
      if (i > 0) *out_ += ',';
      AppendJsonString(members_[i].first, out_);
      *out_ += ':';
      members_[i].second(out_);
    }
    *out_ += '}';
  }

 private:
  std::string* out_;
  std::vector<std::pair<std::string_view, std::function<void(std::string*)>>> members_;
};

template <typename Number>
std::function<void(std::string*)> NumberValue(Number n) {
  return [n](std::string* out) { *out += std::to_string(n); };
}
std::function<void(std::string*)> BoolValue(bool b) {
  return [b](std::string* out) { *out += b ? "true" : "false"; };
}
std::function<void(std::string*)> StringValue(std::string_view s) {
  return [s](std::string* out) { AppendJsonString(s, out); };
}

}  // namespace

std::string SearchResponseJson(const SearchResponse& response) {
  std::string out;
  out.reserve(1024 + response.hits.size() * 1024);
  auto hits = [&response](std::string* o) {
    *o += '[';
    for (size_t i = 0; i < response.hits.size(); ++i) {
      const SearchHit& hit = response.hits[i];
      if (i > 0) *o += ',';
      // The members in ObjectWriter's order (by name), written straight out:
      // the hits were most of a response's writing.
      *o += "{\"all_words\":";
      *o += hit.all_words ? "true" : "false";
      *o += ",\"id\":";
      AppendJsonString(hit.id.ToHex(), o);
      *o += ",\"language\":";
      AppendJsonString(hit.language, o);
      *o += ",\"mime_type\":";
      AppendJsonString(hit.mime_type, o);
      *o += ",\"ocr_confidence\":";
      *o += hit.ocr_confidence < 0 ? "null" : DumpJson(ConfidenceToJson(hit.ocr_confidence));
      *o += ",\"page\":";
      *o += std::to_string(hit.page);
      *o += ",\"page_count\":";
      *o += std::to_string(hit.page_count);
      *o += ",\"page_source\":";
      AppendJsonString(TextSourceName(hit.page_source), o);
      *o += ",\"percent\":";
      *o += std::to_string(hit.percent);
      *o += ",\"rank\":";
      *o += std::to_string(hit.rank);
      *o += ",\"snippet_html\":";
      AppendJsonString(hit.snippet_html, o);
      *o += ",\"source_paths\":[";
      for (size_t k = 0; k < hit.source_paths.size(); ++k) {
        if (k > 0) *o += ',';
        AppendJsonString(hit.source_paths[k], o);
      }
      *o += "],\"title\":";
      AppendJsonString(hit.title, o);
      *o += '}';
    }
    *o += ']';
  };
  // An object of the facets by name (response.facets is a std::map: by
  // name), each facet's value written by `write`.
  auto by_facet = [&response](std::string* o, auto write) {
    *o += '{';
    bool first = true;
    for (const auto& [facet, counted] : response.facets) {
      if (!first) *o += ',';
      first = false;
      AppendJsonString(facet, o);
      *o += ':';
      write(counted, o);
    }
    *o += '}';
  };
  // "facets": value -> count (an object: by value, a value given twice
  // counted as the last); "facet_values": the values in their order.
  auto facets = [&by_facet](std::string* o) {
    by_facet(o, [](const SearchFacet& counted, std::string* p) {
      std::map<std::string_view, uint64_t> counts;
      for (const FacetValue& v : counted.values) counts[v.value] = v.count;
      *p += '{';
      bool first_value = true;
      for (const auto& [value, count] : counts) {
        if (!first_value) *p += ',';
        first_value = false;
        AppendJsonString(value, p);
        *p += ':';
        *p += std::to_string(count);
      }
      *p += '}';
    });
  };
  auto facet_values = [&by_facet](std::string* o) {
    // Written straight out, members by name as ObjectWriter orders them
    // (an ObjectWriter for each of up to 40 values cost 3 % of a search).
    by_facet(o, [](const SearchFacet& counted, std::string* p) {
      *p += "{\"total_values\":";
      *p += std::to_string(counted.total_values);
      *p += ",\"values\":[";
      for (size_t k = 0; k < counted.values.size(); ++k) {
        if (k > 0) *p += ',';
        *p += "{\"count\":";
        *p += std::to_string(counted.values[k].count);
        *p += ",\"value\":";
        AppendJsonString(counted.values[k].value, p);
        *p += '}';
      }
      *p += "]}";
    });
  };
  ObjectWriter(&out)
      .Add("query", StringValue(response.query))
      .Add("offset", NumberValue(response.offset))
      .Add("limit", NumberValue(response.limit))
      .Add("total", NumberValue(response.total))
      .Add("total_exact", BoolValue(response.total_exact))
      .Add("hits", hits)
      .Add("facets", facets)
      .Add("facet_values", facet_values)
      .Add("facets_exact", BoolValue(response.facets_exact))
      .Write();
  return out;
}

}  // namespace dossier
