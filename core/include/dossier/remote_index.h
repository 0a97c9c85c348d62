// A page index served by xapian-tcpsrv on other machines (dossierd and
// dossier --remote-index): the shards of a scaled-out archive searched as
// one Xapian database, while the documents, pages, facts, graph and item
// index still come from the local data folder (docs/USING.md, "Searching
// shards with xapian-tcpsrv").
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "dossier/status.h"

namespace dossier {

// One xapian-tcpsrv serving a shard's page index (its data folder's xapian/).
struct RemoteShard {
  std::string host;  // a name or an address; an IPv6 address without its brackets
  uint16_t port = 0;
  // "HOST:PORT" as given ("[::1]:33333" for an IPv6 address): how messages name it.
  std::string Name() const;
};

// Default time a remote search operation (and a connection) may take before
// the shard counts as down (dossierd --remote-timeout-ms).
inline constexpr std::chrono::milliseconds kDefaultRemoteTimeout{10000};

struct RemoteIndex {
  std::vector<RemoteShard> shards;
  // Each message exchanged with a shard, and each connection, must complete
  // within this; beyond it the search fails naming the shard.
  std::chrono::milliseconds timeout = kDefaultRemoteTimeout;
};

// Parses "HOST:PORT[,HOST:PORT...]" (IPv6 as "[ADDR]:PORT"). InvalidArgument
// naming the malformed element (empty, no port, a port outside 1-65535, the
// same shard twice).
Result<std::vector<RemoteShard>> ParseRemoteShards(std::string_view list);

}  // namespace dossier
