// Plugin manifests: parsing and validation (mirrors schemas/plugin-manifest.schema.json).
#include <nlohmann/json.hpp>
#include <regex>
#include <set>

#include "dossier/plugin_host.h"

namespace dossier {

namespace {

Status Invalid(std::string_view origin, const std::string& why) {
  return Status::InvalidArgument(std::string(origin) + ": invalid plugin manifest: " + why);
}

}  // namespace

Result<PluginManifest> ParsePluginManifest(std::string_view json_text, std::string_view origin) {
  nlohmann::json j;
  try {
    j = nlohmann::json::parse(json_text);
  } catch (const nlohmann::json::parse_error& e) {
    return Invalid(origin, std::string("not JSON: ") + e.what());
  }
  if (!j.is_object()) return Invalid(origin, "the top level must be an object");

  static const std::set<std::string> kKnown = {"name",       "version",    "abi_version",   "kind",
                                               "library",    "description", "mime_types",   "extensions",
                                               "extractor_kind"};
  for (const auto& [key, _] : j.items()) {
    if (!kKnown.count(key)) return Invalid(origin, "unknown field '" + key + "'");
  }
  auto get_string = [&](const char* key, bool required, std::string* out) -> Status {
    if (!j.contains(key)) return required ? Invalid(origin, std::string("missing '") + key + "'") : Status::Ok();
    if (!j[key].is_string()) return Invalid(origin, std::string("'") + key + "' must be a string");
    *out = j[key].get<std::string>();
    return Status::Ok();
  };
  auto get_strings = [&](const char* key, const std::regex& pattern, std::vector<std::string>* out) -> Status {
    if (!j.contains(key)) return Status::Ok();
    if (!j[key].is_array()) return Invalid(origin, std::string("'") + key + "' must be an array of strings");
    for (const auto& item : j[key]) {
      if (!item.is_string() || !std::regex_match(item.get<std::string>(), pattern)) {
        return Invalid(origin, std::string("'") + key + "' has a bad entry " + item.dump());
      }
      out->push_back(item.get<std::string>());
    }
    return Status::Ok();
  };

  PluginManifest m;
  DOSSIER_RETURN_IF_ERROR(get_string("name", true, &m.name));
  DOSSIER_RETURN_IF_ERROR(get_string("version", true, &m.version));
  DOSSIER_RETURN_IF_ERROR(get_string("kind", true, &m.kind));
  DOSSIER_RETURN_IF_ERROR(get_string("library", true, &m.library));
  DOSSIER_RETURN_IF_ERROR(get_string("description", false, &m.description));
  DOSSIER_RETURN_IF_ERROR(get_string("extractor_kind", false, &m.extractor_kind));
  if (!j.contains("abi_version") || !j["abi_version"].is_number_unsigned() || j["abi_version"].get<uint64_t>() < 1 ||
      j["abi_version"].get<uint64_t>() > 0xFFFFFFFFu) {
    return Invalid(origin, "'abi_version' must be a positive integer");
  }
  m.abi_version = j["abi_version"].get<uint32_t>();

  static const std::regex kName("[a-z][a-z0-9_-]{0,63}");
  static const std::regex kVersion("[0-9]+\\.[0-9]+\\.[0-9]+([-+][0-9A-Za-z.-]+)?");
  static const std::regex kLibrary("[A-Za-z0-9_.+-]+\\.so(\\.[0-9]+)*");
  static const std::regex kMime("(\\*/\\*|[a-z]+/\\*|[a-z]+/[a-z0-9][a-z0-9.+-]*)");
  static const std::regex kExtension("\\.[a-z0-9]{1,10}");
  if (!std::regex_match(m.name, kName)) return Invalid(origin, "'name' must match [a-z][a-z0-9_-]{0,63}, got '" + m.name + "'");
  if (!std::regex_match(m.version, kVersion)) return Invalid(origin, "'version' must be MAJOR.MINOR.PATCH, got '" + m.version + "'");
  if (!std::regex_match(m.library, kLibrary)) {
    return Invalid(origin, "'library' must be a file name ending in .so (no directories), got '" + m.library + "'");
  }
  DOSSIER_RETURN_IF_ERROR(get_strings("mime_types", kMime, &m.mime_types));
  DOSSIER_RETURN_IF_ERROR(get_strings("extensions", kExtension, &m.extensions));
  if (m.kind == "ingest") {
    if (m.mime_types.empty()) return Invalid(origin, "an ingest plugin needs at least one entry in 'mime_types'");
  } else if (m.kind == "extractor") {
    if (m.extractor_kind.empty()) return Invalid(origin, "an extractor plugin needs 'extractor_kind'");
  } else {
    return Invalid(origin, "'kind' must be \"ingest\" or \"extractor\", got '" + m.kind + "'");
  }
  return m;
}

}  // namespace dossier
