// The schemas in schemas/ (and schemas/openapi.json), embedded at build time
// by server/embed.cmake so dossierd serves /openapi.json without files beside it.
#pragma once

#include <map>
#include <string>

namespace dossier::server {

// File name ("search-response.schema.json", "openapi.json") -> content.
const std::map<std::string, std::string>& EmbeddedSchemas();

}  // namespace dossier::server
