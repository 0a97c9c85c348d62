// Default locations of the data folder and the plugin directory.
#include "dossier/paths.h"

#include <unistd.h>

#include <cstdlib>
#include <filesystem>

namespace dossier {

namespace fs = std::filesystem;

std::string DefaultDataDir() {
  if (const char* dir = std::getenv("DOSSIER_DATA"); dir != nullptr && *dir) return dir;
  if (const char* xdg = std::getenv("XDG_DATA_HOME"); xdg != nullptr && *xdg) {
    return (fs::path(xdg) / "dossier").string();
  }
  const char* home = std::getenv("HOME");
  return (fs::path(home && *home ? home : ".") / ".local" / "share" / "dossier").string();
}

std::string DefaultPluginDir() {
  if (const char* dir = std::getenv("DOSSIER_PLUGIN_DIR"); dir != nullptr && *dir) return dir;
  std::error_code ec;
  fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  if (ec) return "lib/dossier/plugins";
  return (exe.parent_path().parent_path() / "lib" / "dossier" / "plugins").lexically_normal().string();
}

std::string AbsolutePath(const std::string& path) {
  std::error_code ec;
  fs::path abs = fs::absolute(fs::path(path), ec);
  if (ec) return path;
  std::string out = abs.lexically_normal().string();
  while (out.size() > 1 && out.back() == '/') out.pop_back();
  return out;
}

uint64_t FolderBytes(const std::string& path) {
  uint64_t bytes = 0;
  std::error_code ec;
  for (const auto& entry : fs::recursive_directory_iterator(path, ec)) {
    if (entry.is_regular_file(ec)) bytes += entry.file_size(ec);
  }
  return bytes;
}

}  // namespace dossier
