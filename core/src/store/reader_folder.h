// The scratch folder a read-only Store's RocksDB secondary instance keeps
// its info log in.
//
// It lives in the temporary directory ($TMPDIR, else /tmp) and is removed
// when the Store closes. A process that never closes its Store (SIGKILL, a
// crash, Ctrl-C on a CLI command) leaves its folder behind, so each folder
// carries its process id in its name and a lock file (`reader.lock`) its
// reader holds an flock on while it lives, and every new reader first
// removes the folders whose process no longer runs and whose lock nobody
// holds (the lock guards a folder whose process id names another
// namespace's process: a temporary directory shared between containers).
#pragma once

#include <string>

#include "dossier/status.h"

namespace dossier {

// The temporary directory readers' folders go in: $TMPDIR when set and not
// empty, else /tmp.
std::string ReaderFolderParent();

// Removes every `dossier-reader-<pid>-XXXXXX` folder in `parent` this user
// owns whose process no longer runs and whose lock file nobody holds (one
// without a lock file only once it is a minute old). Returns how many it
// removed. Folders of running processes, of other users, and names of
// another shape (such as `dossier-reader-XXXXXX`, which builds before the
// process id was named made) are left.
int RemoveAbandonedReaderFolders(const std::string& parent);

// A reader's folder, and the descriptor of its lock file (flock held):
// close it after removing the folder.
struct ReaderFolder {
  std::string path;
  int lock_fd = -1;
};

// Removes the abandoned folders, then makes this process's new folder
// `<parent>/dossier-reader-<pid>-XXXXXX` and takes its lock.
Result<ReaderFolder> MakeReaderFolder();

}  // namespace dossier
