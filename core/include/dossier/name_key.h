// The key under which variants of one name meet. A small library of its own
// (dossier_name_key) so that the plugins compare names exactly as the graph
// does without linking the core.
#pragma once

#include <string>
#include <string_view>

namespace dossier {

// A lower-case, accent-free, punctuation-free form of a name (words joined
// by single spaces, "&" kept), without a leading article ("the", "la",
// "les" ...).
std::string NameKey(std::string_view name);

}  // namespace dossier
