// The scratch folder a read-only Store's RocksDB secondary instance keeps
// its info log in.
//
// It lives in the temporary directory ($TMPDIR, else /tmp) and is removed
// when the Store closes. A process that never closes its Store (SIGKILL, a
// crash, Ctrl-C on a CLI command) leaves its folder behind, so each folder
// carries its process id in its name, and every new reader first removes the
// folders of processes that no longer run.
#pragma once

#include <string>

#include "dossier/status.h"

namespace dossier {

// The temporary directory readers' folders go in: $TMPDIR when set and not
// empty, else /tmp.
std::string ReaderFolderParent();

// Removes every `dossier-reader-<pid>-*` folder in `parent` this user owns
// whose process no longer runs. Returns how many it removed. Folders of
// running processes, of other users, and names of another shape are left.
int RemoveAbandonedReaderFolders(const std::string& parent);

// Removes the abandoned folders, then makes this process's new folder
// `<parent>/dossier-reader-<pid>-XXXXXX`.
Result<std::string> MakeReaderFolder();

}  // namespace dossier
