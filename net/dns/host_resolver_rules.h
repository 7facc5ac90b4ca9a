#ifndef NET_DNS_HOST_RESOLVER_RULES_H_
#define NET_DNS_HOST_RESOLVER_RULES_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "net/base/host_port_pair.h"

namespace net {

// Host remapping in Chromium's --host-resolver-rules syntax: a comma-separated
// list of
//   MAP <pattern> <replacement>  (replacement: IP, host, host:port,
//                                 [v6]:port or ~NOTFOUND)
//   EXCLUDE <pattern>            (hosts matching it are never remapped)
// Patterns are globs ('*' any run of characters, '?' one character) matched
// against the host, and failing that against "host:port". The first matching
// MAP rule wins, unless an EXCLUDE pattern matches the host. Keywords are
// case-insensitive; hosts and patterns are compared in lowercase. Unlike
// Chromium, which skips rules it cannot parse, Parse() rejects the whole list
// with ERR_INVALID_HOST_RESOLVER_RULE and says which rule and why. A value
// type.
class HostResolverRules {
 public:
  // The outcome of Apply().
  enum class Outcome {
    kUnchanged,  // no rule matched (or an EXCLUDE did)
    kMapped,     // host (and maybe port) replaced
    kNotFound,   // mapped to ~NOTFOUND: the lookup must fail with
                 // ERR_NAME_NOT_RESOLVED
  };

  HostResolverRules();
  HostResolverRules(const HostResolverRules&);
  HostResolverRules& operator=(const HostResolverRules&);
  ~HostResolverRules();

  // Returns OK and fills *rules, or ERR_INVALID_HOST_RESOLVER_RULE with a
  // message naming the offending rule (and *rules untouched). An empty string
  // is no rules.
  static int Parse(std::string_view text,
                   HostResolverRules* rules,
                   std::string* error_message);

  // Rewrites *host_port by the first matching MAP rule.
  Outcome Apply(HostPortPair* host_port) const;

  bool empty() const { return map_rules_.empty(); }

 private:
  struct MapRule {
    std::string pattern;
    std::string replacement_host;  // "~NOTFOUND" for the not-found rule
    std::optional<uint16_t> replacement_port;
  };

  std::vector<MapRule> map_rules_;
  std::vector<std::string> exclusion_patterns_;
};

}  // namespace net

#endif  // NET_DNS_HOST_RESOLVER_RULES_H_
