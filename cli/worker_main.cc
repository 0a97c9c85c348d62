// dossier-worker: runs ingestion plugins for `dossier ingest` in a child
// process (socket on fd 3). Not meant to be run by hand.
#include "dossier/ingest.h"

int main(int argc, char** argv) { return dossier::RunIngestWorker(argc, argv); }
