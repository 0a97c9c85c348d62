// Parsing --remote-index (see dossier/remote_index.h).
#include "dossier/remote_index.h"

#include <set>

namespace dossier {

std::string RemoteShard::Name() const {
  const bool ipv6 = host.find(':') != std::string::npos;
  return (ipv6 ? "[" + host + "]" : host) + ":" + std::to_string(port);
}

Result<std::vector<RemoteShard>> ParseRemoteShards(std::string_view list) {
  std::vector<RemoteShard> shards;
  std::set<std::string> seen;
  size_t start = 0;
  for (size_t number = 1;; ++number) {
    const size_t comma = list.find(',', start);
    const std::string element(list.substr(start, comma == std::string_view::npos ? std::string_view::npos : comma - start));
    auto bad = [&](const std::string& why) {
      return Status::InvalidArgument("--remote-index: shard " + std::to_string(number) + " '" + element + "': " + why +
                                     " (expected HOST:PORT[,HOST:PORT...])");
    };
    const size_t colon = element.rfind(':');
    if (element.empty()) return bad("empty");
    if (colon == std::string::npos || colon == 0) return bad("no HOST:PORT");
    RemoteShard shard;
    shard.host = element.substr(0, colon);
    if (shard.host.front() == '[') {
      if (shard.host.size() < 3 || shard.host.back() != ']') return bad("an IPv6 address needs its closing ]");
      shard.host = shard.host.substr(1, shard.host.size() - 2);
    } else if (shard.host.find(':') != std::string::npos) {
      return bad("an IPv6 address must be written [ADDR]:PORT");
    }
    if (shard.host.find_first_of(" \t/") != std::string::npos) return bad("not a host name or address");
    const std::string digits = element.substr(colon + 1);
    if (digits.empty() || digits.size() > 5 || digits.find_first_not_of("0123456789") != std::string::npos ||
        std::stoul(digits) == 0 || std::stoul(digits) > 65535) {
      return bad("the port must be 1-65535");
    }
    shard.port = static_cast<uint16_t>(std::stoul(digits));
    if (!seen.insert(shard.Name()).second) return bad("listed twice (each shard's documents would count twice)");
    shards.push_back(std::move(shard));
    if (comma == std::string_view::npos) break;
    start = comma + 1;
  }
  return shards;
}

}  // namespace dossier
