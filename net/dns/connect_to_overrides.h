#ifndef NET_DNS_CONNECT_TO_OVERRIDES_H_
#define NET_DNS_CONNECT_TO_OVERRIDES_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "net/base/host_port_pair.h"

namespace net {

// curl-style --connect-to overrides: "HOST1:PORT1:HOST2:PORT2" sends
// connections for the logical endpoint HOST1:PORT1 to HOST2:PORT2 instead. Only
// where the socket connects changes: the origin, its pool group key and its TLS
// server name stay those of HOST1:PORT1, so https://news.example:443 can be
// served by 127.0.0.1:41234 in tests and the replay. As in curl, an empty HOST1
// or PORT1 matches any host or port, an empty HOST2 or PORT2 keeps the
// original, and IPv6 hosts are written in brackets. Entries are tried in order;
// the first match wins. A value type.
class ConnectToOverrides {
 public:
  ConnectToOverrides();
  ConnectToOverrides(const ConnectToOverrides&);
  ConnectToOverrides& operator=(const ConnectToOverrides&);
  ~ConnectToOverrides();

  // Parses a comma-separated list of entries. Returns OK and fills *overrides,
  // or ERR_INVALID_HOST_RESOLVER_RULE with a message naming the entry and the
  // problem.
  static int Parse(std::string_view text,
                   ConnectToOverrides* overrides,
                   std::string* error_message);

  // Where a connection to `logical` should go, or nullopt if no entry matches.
  std::optional<HostPortPair> Apply(const HostPortPair& logical) const;

  bool empty() const { return entries_.empty(); }

 private:
  struct Entry {
    std::string from_host;  // empty: any host
    std::optional<uint16_t> from_port;
    std::string to_host;  // empty: keep the host
    std::optional<uint16_t> to_port;
  };

  std::vector<Entry> entries_;
};

}  // namespace net

#endif  // NET_DNS_CONNECT_TO_OVERRIDES_H_
