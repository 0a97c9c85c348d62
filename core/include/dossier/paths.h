// Where Dossier keeps its data and finds its plugins by default.
#pragma once

#include <cstdint>
#include <string>

namespace dossier {

// $DOSSIER_DATA, else $XDG_DATA_HOME/dossier, else $HOME/.local/share/dossier.
std::string DefaultDataDir();
// $DOSSIER_PLUGIN_DIR, else <directory of the running binary>/../lib/dossier/plugins.
std::string DefaultPluginDir();
// `path` made absolute and lexically normal, without resolving symlinks.
std::string AbsolutePath(const std::string& path);

// The bytes of the regular files under folder `path` (0 when it cannot be read).
uint64_t FolderBytes(const std::string& path);

}  // namespace dossier
